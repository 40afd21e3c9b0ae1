"""Anti-fraud checks on voucher use: related parties, split contracts under a cap, price above published price."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class FraudFinding:
    rule: str  # "related_party", "split_contract", "price_above_published"
    message: str


def related_party(
    enterprise_code: str, provider_code: str, related: Mapping[str, Iterable[str]]
) -> FraudFinding | None:
    """Flag when enterprise and provider share a 统一社会信用代码 or one lists the other as related."""
    a, b = enterprise_code.strip().upper(), provider_code.strip().upper()
    linked = {c.strip().upper() for c in related.get(a, ())} | {c.strip().upper() for c in related.get(b, ())}
    if a == b or b in linked or a in linked:
        return FraudFinding("related_party", f"服务机构 {b} 与申请企业 {a} 为关联方")
    return None


def split_contracts(
    uses: Iterable[tuple[str, dt.date, Decimal]],
    new: tuple[str, dt.date, Decimal],
    cap: Decimal,
    window_days: int = 90,
) -> FraudFinding | None:
    """Flag a use whose own amount is under ``cap`` but which, with the same provider's uses within
    ``window_days``, exceeds it: the sign of a contract split to slip under a cap."""
    provider, day, amount = new
    if amount > cap:
        return None
    total = amount + sum(
        (a for p, d, a in uses if p == provider and abs((d - day).days) <= window_days), Decimal(0)
    )
    if total > cap:
        return FraudFinding(
            "split_contract", f"同一服务机构 {window_days} 天内合同合计 {total} 万元，超过单笔上限 {cap} 万元"
        )
    return None


def price_above_published(amount: Decimal, published: Decimal | None) -> FraudFinding | None:
    """Flag a service ordered above the provider's published price (no flag when none is published)."""
    if published is not None and amount > published:
        return FraudFinding(
            "price_above_published", f"合同金额 {amount} 万元高于服务机构公开价格 {published} 万元"
        )
    return None
