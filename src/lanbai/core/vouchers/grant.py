"""Grant amount: regressive coverage bands on the service price, then the caps (per application, annual, cycle)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .rules import Band, Scheme

CENT = Decimal("0.0001")  # 万元 to 4 places = 1 元


def coverage(price: Decimal, bands: tuple[Band, ...]) -> Decimal:
    """Subsidy for ``price`` 万元 under regressive bands: each slice of the price times its band's ratio.

    Bands 0–10 at 80 % and 10–50 at 50 %: a price of 30 gives 10×0.8 + 20×0.5 = 18. Above the last
    bounded band nothing is covered.
    """
    if price < 0:
        raise ValueError(f"price must not be negative, got {price}")
    total = Decimal(0)
    lower = Decimal(0)
    for band in bands:
        top = price if band.upper is None else min(price, band.upper)
        if top > lower:
            total += (top - lower) * band.ratio
        if band.upper is None or price <= band.upper:
            break
        lower = band.upper
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Grant:
    amount: Decimal
    by_coverage: Decimal
    limited_by: str | None  # "coverage", "per_application", "per_enterprise_annual", "per_cycle", "requested"


def compute_grant(
    scheme: Scheme,
    price: Decimal,
    requested: Decimal | None = None,
    issued_this_year: Decimal = Decimal(0),
    issued_this_cycle: Decimal = Decimal(0),
) -> Grant:
    """The voucher amount for a service of ``price`` 万元: the least of coverage, request and remaining caps."""
    by_cov = coverage(price, scheme.bands)
    limits: list[tuple[Decimal, str]] = [
        (by_cov, "coverage"),
        (scheme.per_application_cap, "per_application"),
    ]
    limits.append(
        (max(Decimal(0), scheme.per_enterprise_annual_cap - issued_this_year), "per_enterprise_annual")
    )
    if scheme.per_cycle_cap is not None:
        limits.append((max(Decimal(0), scheme.per_cycle_cap - issued_this_cycle), "per_cycle"))
    if requested is not None:
        limits.append((requested, "requested"))
    amount, which = min(limits, key=lambda pair: pair[0])
    return Grant(amount=amount.quantize(CENT), by_coverage=by_cov, limited_by=which)
