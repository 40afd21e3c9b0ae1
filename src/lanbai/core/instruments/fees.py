"""Fees by the owner's rule: per hour or per sample, with a minimum charge (元)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PER_HOUR = "per_hour"
PER_SAMPLE = "per_sample"
BASES = (PER_HOUR, PER_SAMPLE)


class FeeRuleError(ValueError):
    """A fee rule or a usage quantity breaks a rule; ``field`` names where."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FeeRule:
    """``rate`` 元 per hour or per sample; ``minimum`` 元 charged at least (0 = none)."""

    basis: str
    rate: Decimal
    minimum: Decimal = Decimal("0")

    def __post_init__(self) -> None:
        if self.basis not in BASES:
            raise FeeRuleError(f"计费方式必须是 {'/'.join(BASES)} 之一，收到 {self.basis!r}", "basis")
        if Decimal(self.rate) < 0:
            raise FeeRuleError(f"单价不能为负（{self.rate} 元）", "rate")
        if Decimal(self.minimum) < 0:
            raise FeeRuleError(f"最低收费不能为负（{self.minimum} 元）", "minimum")


def compute_fee(rule: FeeRule, *, hours: Decimal | float = 0, samples: int = 0) -> Decimal:
    """Fee in 元 rounded to the fen; zero usage (e.g. a no-show) is charged nothing."""
    qty = Decimal(str(hours)) if rule.basis == PER_HOUR else Decimal(samples)
    if qty < 0:
        raise FeeRuleError(f"用量不能为负（{qty}）", "hours" if rule.basis == PER_HOUR else "samples")
    if qty == 0:
        return Decimal("0.00")
    fee = max(Decimal(rule.rate) * qty, Decimal(rule.minimum))
    return fee.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
