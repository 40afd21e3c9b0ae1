"""Reporting periods: quarters reported cumulatively for the year to date (1–3月, 1–6月 …)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

PERIOD_PATTERN = r"^(\d{4})Q([1-4])$"  # the text of a period: 2018Q2
_PERIOD = re.compile(PERIOD_PATTERN)
# Years a period may name at all (the plan's reporting range is checked where the plan is known):
# bounds that keep date arithmetic valid (0000Q1 has no calendar date) and refuse typing slips.
MIN_YEAR, MAX_YEAR = 1949, 2999


@dataclass(frozen=True, order=True)
class Quarter:
    """A quarterly reporting period, e.g. ``Quarter(2018, 2)`` = 2018年1-6月 (cumulative)."""

    year: int
    q: int

    @classmethod
    def parse(cls, text: str) -> Quarter:
        """Parse ``'2018Q2'``; raise ValueError naming the expected form otherwise."""
        m = _PERIOD.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"报告期 {text!r} 格式错误，应为如 2018Q2 / period {text!r} must look like 2018Q2")
        year = int(m.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(
                f"报告期 {text!r} 的年份应在 {MIN_YEAR}–{MAX_YEAR} 之间 / the year of period {text!r} must be "
                f"between {MIN_YEAR} and {MAX_YEAR}"
            )
        return cls(year, int(m.group(2)))

    @classmethod
    def coerce(cls, value: Quarter | str) -> Quarter:
        """``value`` itself if it is a Quarter, else :meth:`parse` of it."""
        return value if isinstance(value, Quarter) else cls.parse(value)

    def __str__(self) -> str:
        return f"{self.year}Q{self.q}"

    def last_quarter_of_previous_year(self) -> Quarter:
        """Q4 of the year before (the whole previous year, as figures are cumulative)."""
        return Quarter(self.year - 1, 4)

    def previous_in_year(self) -> Quarter | None:
        """The previous quarter of the same year (``2018Q2`` -> ``2018Q1``); None for Q1."""
        return None if self.q == 1 else Quarter(self.year, self.q - 1)

    @property
    def start(self) -> dt.date:
        """First day of the cumulative span (1 January)."""
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """Last day of the period (31 March, 30 June, 30 September, 31 December)."""
        month = self.q * 3
        nxt = dt.date(self.year + (month == 12), month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    @property
    def label_zh(self) -> str:
        """``2018年1-6月`` as Chinese statistical forms name a cumulative period."""
        return f"{self.year}年1-{self.q * 3}月"

    def previous(self) -> Quarter:
        return Quarter(self.year - 1, 4) if self.q == 1 else Quarter(self.year, self.q - 1)

    def same_quarter_last_year(self) -> Quarter:
        return Quarter(self.year - 1, self.q)


def quarters(first: str, last: str) -> list[Quarter]:
    """All quarters from ``first`` to ``last`` inclusive."""
    a, b = Quarter.parse(first), Quarter.parse(last)
    out, cur = [], a
    while cur <= b:
        out.append(cur)
        cur = Quarter(cur.year + (cur.q == 4), cur.q % 4 + 1)
    return out
