"""The reporting calendar of the shipped forms: a period's state, deadline and lock date today.

The calendar is data (each form's ``reporting:`` block, :class:`lanbai.core.collection.ReportingSpec`);
the settings ``LANBAI_PERIOD_LOCK_DAYS`` / ``LANBAI_REPORT_DEADLINE_DAYS`` override its days when set
(tests keep historical periods open with them).  Pure reads: services and selectors both use them.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.conf import settings
from django.utils import timezone

from lanbai.core.collection import FormSpec, PeriodInfo, default_forms_dir, load_forms, period_info
from lanbai.core.collection import reporting_periods as core_reporting_periods
from lanbai.core.periods import Quarter


def _forms() -> dict[str, FormSpec]:
    """The shipped forms, read again only when a form file changes (every import asks)."""
    directory = default_forms_dir()
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in directory.glob("*.yaml")))
    return _forms_of(str(directory), stamp)


@functools.lru_cache(maxsize=4)
def _forms_of(directory: str, stamp: tuple) -> dict[str, FormSpec]:
    return load_forms(directory)


def shipped_forms() -> dict[str, FormSpec]:
    """The shipped forms by 表号 (cached until a form file changes)."""
    return _forms()


def form_spec(form_code: str | None = None) -> FormSpec:
    """The form ``form_code``; without one, or for a form not shipped, the zone form (the calendar
    of every shipped form is the same; a form unknown here is refused elsewhere)."""
    forms = _forms()
    if form_code in forms:
        return forms[form_code]
    return next((f for f in forms.values() if f.level == "zone"), next(iter(forms.values())))


def _override(name: str) -> int | None:
    value = getattr(settings, name, None)
    return None if value is None else int(value)


def lock_days(form: FormSpec) -> int:
    override = _override("LANBAI_PERIOD_LOCK_DAYS")
    return form.reporting.lock_days if override is None else override


def deadline_days(form: FormSpec) -> int:
    override = _override("LANBAI_REPORT_DEADLINE_DAYS")
    days = form.reporting.deadline_days if override is None else override
    return min(days, lock_days(form))


def today(now: dt.datetime | None = None) -> dt.date:
    """The local (Asia/Shanghai) date of ``now`` (default: the current time)."""
    return timezone.localtime(now or timezone.now()).date()


def period_state(
    period: Quarter | str, *, form_code: str | None = None, now: dt.datetime | None = None
) -> PeriodInfo:
    """The state of ``period`` (future / open / closed / locked / outside) for the form on ``now``."""
    form = form_spec(form_code)
    return period_info(
        form.reporting,
        Quarter.coerce(period),
        today=today(now),
        lock_days=lock_days(form),
        deadline_days=deadline_days(form),
    )


def reporting_periods(*, form_code: str | None = None, now: dt.datetime | None = None) -> list[PeriodInfo]:
    """Every reporting period of the form up to the next one, with its state today."""
    form = form_spec(form_code)
    return core_reporting_periods(
        form.reporting, today=today(now), lock_days=lock_days(form), deadline_days=deadline_days(form)
    )
