"""Helpers of the vouchers tests (a unique module name: the test folders are not packages)."""

from __future__ import annotations


def vcode(seed: int) -> str:
    """A valid 统一社会信用代码 built from ``seed``."""
    from lanbai.core.collection import check_character

    body = f"9162010{seed:010d}"
    return body + check_character(body)
