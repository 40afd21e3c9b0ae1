"""Load approved figures and the organisation tree as columnar frames for the pure core.

This is the only place where monitoring touches the ORM: everything after it (aggregation,
formulas, progress) runs in ``lanbai.core`` on these frames.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pandas as pd

from lanbai.collection.choices import Status
from lanbai.collection.models import Submission
from lanbai.plans.models import OrgUnit, OrgUnitLink, PlanVersion

VALUE_COLUMNS = ["org_unit", "period", "form_code", "field", "value", "value_text", "status", "version"]


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


def reported_values_frame(*, preview: bool = False, until_period: str | None = None) -> pd.DataFrame:
    """Long frame of numeric reported figures: one row per (unit, period, form, field).

    Only the version 省创新办 approved counts.  With ``preview=True`` the current version of
    submitted and zone-approved reports replaces it (the status column says which was used).
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
    links = list(OrgUnitLink.objects.filter(unit__plan=plan).values_list(
        "unit__code", "parent__code", "valid_from", "valid_to", "unit__kind"))
    roots = OrgUnit.objects.filter(plan=plan, parent_links__isnull=True).exclude(kind="aggregate")
    links += [(code, None, start, end, kind)
              for code, start, end, kind in roots.values_list("code", "valid_from", "valid_to", "kind")]
    return pd.DataFrame(links, columns=["unit", "parent", "valid_from", "valid_to", "kind"])


def org_units_frame(plan: PlanVersion) -> pd.DataFrame:
    rows = OrgUnit.objects.filter(plan=plan).values_list("code", "name", "kind", "members")
    return pd.DataFrame(list(rows), columns=["code", "name", "kind", "members"])
