"""Helpers of the vouchers tests (a unique module name: the test folders are not packages)."""

from __future__ import annotations


def vcode(seed: int) -> str:
    """A valid 统一社会信用代码 built from ``seed``."""
    from lanbai.core.collection import check_character

    body = f"9162010{seed:010d}"
    return body + check_character(body)


# a claim's documents under 通兑 (the provider's invoice, the service confirmation) and 通用 (contract, invoice,
# payment proof): (kind, filename, bytes)
PROVIDER_DOCS = [("invoice", "发票.pdf", b"%PDF-1.4 invoice"), ("delivery", "confirm.txt", b"delivered")]
ENTERPRISE_DOCS = [
    ("contract", "contract.pdf", b"%PDF-1.4 contract"),
    ("invoice", "invoice.pdf", b"%PDF-1.4 invoice"),
    ("payment", "payment.png", b"\x89PNG payment"),
]
