"""Annual sharing figures: 有效工作机时, 对外服务机时 and 共享率 = 对外服务机时 / 有效工作机时.

A usage counts by its actual duration inside the year (a usage across 31 Dec is split by hours);
a no-show (爽约) counts 0.  External = the user's unit differs from the owner unit.  Aggregating by
unit sums the hours and recomputes the ratio (never averages ratios); with no effective hours the
ratio is undefined (``None``, shown as “—”).
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass
from datetime import datetime

OUTCOME_NORMAL = "正常"
OUTCOME_OVERTIME = "超时"
OUTCOME_NO_SHOW = "爽约"
COUNTED_OUTCOMES = (OUTCOME_NORMAL, OUTCOME_OVERTIME)


@dataclass(frozen=True)
class UsageRecord:
    instrument: Hashable
    owner_unit: Hashable
    user_unit: Hashable
    start: datetime
    end: datetime
    outcome: str = OUTCOME_NORMAL


@dataclass(frozen=True)
class SharingFigures:
    effective_hours: float
    external_hours: float

    @property
    def sharing_rate(self) -> float | None:
        """对外服务机时 / 有效工作机时, or None when there were no effective hours."""
        if self.effective_hours <= 0:
            return None
        return self.external_hours / self.effective_hours


def hours_within_year(start: datetime, end: datetime, year: int) -> float:
    """Hours of [start, end) that fall within calendar ``year`` (same tzinfo as the inputs)."""
    lo = datetime(year, 1, 1, tzinfo=start.tzinfo)
    hi = datetime(year + 1, 1, 1, tzinfo=start.tzinfo)
    a, b = max(start, lo), min(end, hi)
    return max((b - a).total_seconds(), 0.0) / 3600.0


def _figures(records: Iterable[UsageRecord], year: int, key: str) -> dict[Hashable, SharingFigures]:
    sums: dict[Hashable, list[float]] = {}
    for r in records:
        k = getattr(r, key)
        acc = sums.setdefault(k, [0.0, 0.0])
        if r.outcome not in COUNTED_OUTCOMES:
            continue
        h = hours_within_year(r.start, r.end, year)
        acc[0] += h
        if r.user_unit != r.owner_unit:
            acc[1] += h
    return {k: SharingFigures(round(v[0], 6), round(v[1], 6)) for k, v in sums.items()}


def sharing_by_instrument(records: Iterable[UsageRecord], year: int) -> dict[Hashable, SharingFigures]:
    """Figures per instrument for ``year``."""
    return _figures(records, year, "instrument")


def sharing_by_unit(records: Iterable[UsageRecord], year: int) -> dict[Hashable, SharingFigures]:
    """Figures per owner unit for ``year``: hours summed over its instruments, ratio recomputed."""
    return _figures(records, year, "owner_unit")


def hours_between(start: datetime, end: datetime, lo: datetime, hi: datetime) -> float:
    """Hours of [start, end) that fall within [lo, hi)."""
    a, b = max(start, lo), min(end, hi)
    return max((b - a).total_seconds(), 0.0) / 3600.0


def sharing_between(records: Iterable[UsageRecord], lo: datetime, hi: datetime) -> SharingFigures:
    """Figures of all ``records`` together over [lo, hi) (e.g. a zone's instruments, year to date):
    hours summed over the records, the ratio recomputed from the sums (never an average of ratios)."""
    effective = external = 0.0
    for r in records:
        if r.outcome not in COUNTED_OUTCOMES:
            continue
        h = hours_between(r.start, r.end, lo, hi)
        effective += h
        if r.user_unit != r.owner_unit:
            external += h
    return SharingFigures(round(effective, 6), round(external, 6))


def format_ratio(rate: float | None) -> str:
    """A sharing rate for people: percent with one decimal, “—” when undefined."""
    return "—" if rate is None else f"{rate * 100:.1f}%"
