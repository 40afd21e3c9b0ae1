"""The reporting calendar of a form (pure): which periods are open, due, locked or still in the future.

A form's ``reporting:`` block (:class:`~lanbai.core.collection.forms.ReportingSpec`) and today's date
decide a period's state:

* ``future`` — the period has not ended (or comes after ``last_period``): it cannot be reported, except
  the current quarter when ``open_current`` says so;
* ``open`` — ended, on or before its deadline (``end + deadline_days``);
* ``closed`` — past the deadline but not locked: still accepted, counted as late (逾期);
* ``locked`` — from ``end + lock_days + 1`` on: refused unless the 省创新办 granted 准予逾期填报;
* ``outside`` — before ``first_period``: not a reporting period of the form.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from lanbai.core.periods import Quarter

from .forms import ReportingSpec

PeriodState = Literal["future", "open", "closed", "locked", "outside"]
STATE_LABELS: dict[str, tuple[str, str]] = {
    "future": ("未到报告期", "future"),
    "open": ("开放填报", "open"),
    "closed": ("已过截止日期（逾期填报）", "past the deadline (late)"),
    "locked": ("已锁定（需准予逾期填报）", "locked (needs a late-reporting grant)"),
    "outside": ("不在报告期范围内", "not a reporting period"),
}


@dataclass(frozen=True)
class PeriodInfo:
    """A period's state on a date, its deadline (last day on time) and the first day it is locked."""

    period: Quarter
    state: PeriodState
    deadline: dt.date
    locks_on: dt.date

    @property
    def label_zh(self) -> str:
        return STATE_LABELS[self.state][0]

    @property
    def label_en(self) -> str:
        return STATE_LABELS[self.state][1]

    def to_dict(self) -> dict[str, str]:
        return {
            "period": str(self.period),
            "state": self.state,
            "deadline": self.deadline.isoformat(),
            "locks_on": self.locks_on.isoformat(),
        }


def quarter_of(day: dt.date) -> Quarter:
    """The quarter containing ``day``."""
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def last_ended_quarter(today: dt.date) -> Quarter:
    return quarter_of(today).previous()


def period_info(
    spec: ReportingSpec,
    period: Quarter | str,
    *,
    today: dt.date,
    lock_days: int | None = None,
    deadline_days: int | None = None,
) -> PeriodInfo:
    """The state of ``period`` on ``today``; ``lock_days``/``deadline_days`` override the spec's."""
    q = Quarter.coerce(period)
    lock = spec.lock_days if lock_days is None else lock_days
    due = spec.deadline_days if deadline_days is None else deadline_days
    deadline = q.end + dt.timedelta(days=due)
    locks_on = q.end + dt.timedelta(days=lock + 1)
    state: PeriodState
    if spec.first_period and q < Quarter.parse(spec.first_period):
        state = "outside"
    elif spec.last_period and q > Quarter.parse(spec.last_period):
        state = "future" if q.end >= today else "outside"
    elif q.end >= today:
        state = "open" if spec.open_current and q == quarter_of(today) else "future"
    elif today <= deadline:
        state = "open"
    elif today < locks_on:
        state = "closed"
    else:
        state = "locked"
    return PeriodInfo(q, state, deadline, locks_on)


def reporting_periods(
    spec: ReportingSpec,
    *,
    today: dt.date,
    first: Quarter | str | None = None,
    lock_days: int | None = None,
    deadline_days: int | None = None,
    include_next: bool = True,
) -> list[PeriodInfo]:
    """Every period from ``first_period`` (or ``first``) to the last one that may be reported today.

    The last is ``last_period`` when given, else the last ended quarter (the current one when
    ``open_current``); ``include_next`` adds the next period, in the future, so a list shows what
    comes.  Without a first period the list starts four years before the last.
    """
    end = last_ended_quarter(today)
    if spec.open_current:
        end = quarter_of(today)
    if spec.last_period:
        end = min(end, Quarter.parse(spec.last_period))
    start = (
        Quarter.coerce(first)
        if first
        else (Quarter.parse(spec.first_period) if spec.first_period else Quarter(end.year - 4, 1))
    )
    out: list[PeriodInfo] = []
    cur = start
    stop = Quarter(end.year + (end.q == 4), end.q % 4 + 1) if include_next else end
    while cur <= stop:
        out.append(period_info(spec, cur, today=today, lock_days=lock_days, deadline_days=deadline_days))
        cur = Quarter(cur.year + (cur.q == 4), cur.q % 4 + 1)
    return out
