"""Load approved figures and the organisation tree as columnar frames for the pure core.

This is where monitoring reads the figures: everything after it (aggregation, formulas,
progress) runs in ``lanbai.core`` on these frames.  The organisation comes through
``lanbai.plans.selectors``.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

import pandas as pd

from lanbai.collection.choices import Status
from lanbai.collection.models import Submission
from lanbai.plans import selectors as plan_selectors

VALUE_COLUMNS = ["org_unit", "period", "form_code", "field", "value", "value_text", "status", "version"]

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import PlanVersion


def _number(text) -> float | None:
    if text is None or text == "":
        return None
    if isinstance(text, bool) or text in ("True", "False"):
        return 1.0 if text in (True, "True") else 0.0
    try:
        return float(Decimal(str(text)))
    except (InvalidOperation, ValueError):
        return None


def _split(value) -> tuple[float | None, str | None]:
    """A stored value as (number, text): numbers and booleans (1/0) in the first, codes and categories in the second."""
    number = _number(value)
    if number is not None:
        return number, None
    if value is None or value == "":
        return None, None
    return None, str(value)


def reported_values_frame(*, preview: bool | frozenset[str] = False,
                          until_period: str | None = None) -> pd.DataFrame:
    """Long frame of numeric reported figures: one row per (unit, period, form, field).

    Only the version 省创新办 approved counts.  With ``preview=True`` the current version of
    submitted and zone-approved reports replaces it (the status column says which was used); with a
    set of unit codes (a reviewer's preview, :func:`lanbai.monitoring.selectors.preview_scope`) only
    for those units — another zone's unapproved figures never reach a reviewer.
    """
    reports: dict[tuple[str, str, str], tuple[dict, str, int]] = {}
    approved = Submission.objects.exclude(approved_version__isnull=True)
    if until_period:
        approved = approved.filter(period__lte=until_period)
    for unit, period, form, values, number in approved.values_list(
        "org_unit__code", "period", "form_code", "approved_version__values", "approved_version__number"
    ).iterator(chunk_size=2000):
        reports[(unit, period, form)] = (values or {}, "approved", number)
    if preview:
        pending = Submission.objects.filter(status__in=[Status.SUBMITTED, Status.ZONE_APPROVED],
                                            current_version__isnull=False)
        if until_period:
            pending = pending.filter(period__lte=until_period)
        if isinstance(preview, frozenset):
            pending = pending.filter(org_unit__code__in=preview)
        for unit, period, form, values, status, number in pending.values_list(
            "org_unit__code", "period", "form_code", "current_version__values", "status", "current_version__number"
        ).iterator(chunk_size=2000):
            reports[(unit, period, form)] = (values or {}, str(status), number)
    rows = [
        (unit, period, form, field, *parts, status, number)
        for (unit, period, form), (values, status, number) in reports.items()
        for field, value in values.items()
        if (parts := _split(value)) != (None, None)
    ]
    return pd.DataFrame(rows, columns=VALUE_COLUMNS)


def org_tree_frame(plan: PlanVersion) -> pd.DataFrame:
    """Effective-dated parent links (roots with parent None): unit, parent, valid_from, valid_to, kind."""
    return pd.DataFrame(plan_selectors.orgunit_tree_rows(plan=plan),
                        columns=["unit", "parent", "valid_from", "valid_to", "kind"])


def org_units_frame(plan: PlanVersion) -> pd.DataFrame:
    return pd.DataFrame(plan_selectors.orgunit_rows(plan=plan), columns=["code", "name", "kind", "members"])
