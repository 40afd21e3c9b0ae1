"""Load approved figures and the organisation tree as columnar frames for the pure core.

This is where monitoring reads the figures: everything after it (aggregation, formulas,
progress) runs in ``lanbai.core`` on these frames.  The organisation comes through
``lanbai.plans.selectors``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lanbai.collection import selectors as collection_selectors
from lanbai.collection.figures import split_value
from lanbai.plans import selectors as plan_selectors

VALUE_COLUMNS = ["org_unit", "period", "form_code", "field", "value", "value_text", "status", "version"]

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import PlanVersion


def reported_values_frame(*, preview: bool | frozenset[str] = False, until_period: str | None = None,
                          periods=None, units=None, compact: bool = False) -> pd.DataFrame:
    """Long frame of numeric reported figures: one row per (unit, period, form, field).

    Only the version 省创新办 approved counts, read from the approved-figures store in one query
    (``collection.selectors.approved_figures_frame``).  With ``preview=True`` the current version of
    submitted and zone-approved reports replaces it (the status column says which was used); those
    few reports under review are parsed from their versions; with a set of unit codes (a reviewer's preview,
    :func:`lanbai.monitoring.selectors.preview_scope`) only those units' — another zone's unapproved figures
    never reach a reviewer.  ``periods`` limits the frame to some periods, ``units`` (ids, approved
    figures only) to some units.  ``compact`` (approved figures only): code and status columns as
    categoricals, for the core's recompute (a quarter of the memory at province scale).
    """
    if units is not None and preview:
        raise ValueError("units: approved figures only")
    if compact and preview:
        raise ValueError("compact: approved figures only")
    frame = collection_selectors.approved_figures_frame(periods=periods, until_period=until_period, units=units,
                                                        compact=compact)
    # compact: one category, not a string per row (4.5 M rows at province scale)
    status = pd.Categorical.from_codes(np.zeros(len(frame), dtype=np.int8),  # type: ignore[call-overload]  # stubs: list codes only
                                       categories=["approved"]) if compact else "approved"
    frame.insert(6, "status", status)
    if not preview:
        return frame[VALUE_COLUMNS]
    wanted = set(periods) if periods is not None else None
    reports = {
        (unit, period, form): (values or {}, str(status), number)
        for unit, period, form, values, status, number in collection_selectors.submission_value_rows(
            approved=False, until_period=until_period
        )
        if (wanted is None or period in wanted) and (not isinstance(preview, frozenset) or unit in preview)
    }
    rows = [
        (unit, period, form, field, *parts, status, number)
        for (unit, period, form), (values, status, number) in reports.items()
        for field, value in values.items()
        if (parts := split_value(value)) != (None, None)
    ]
    if not reports:
        return frame[VALUE_COLUMNS]
    replaced = pd.MultiIndex.from_tuples(list(reports), names=["org_unit", "period", "form_code"])
    keep = ~pd.MultiIndex.from_frame(frame[["org_unit", "period", "form_code"]]).isin(replaced)
    return pd.concat([frame.loc[keep, VALUE_COLUMNS], pd.DataFrame(rows, columns=VALUE_COLUMNS)],
                     ignore_index=True)


def reported_values_view(con, name: str) -> bool:
    """The approved figures as the DuckDB view ``name`` (VALUE_COLUMNS) on ``con``, read straight
    from the store's mirror — a full recompute with no frame of 4.5 M rows in this process; False
    (no view) where there is no mirror: then :func:`reported_values_frame` reads them."""
    store = f"{name}_store"
    if not collection_selectors.approved_figures_view(con, store):
        return False
    columns = "org_unit, period, form_code, field, value, value_text, 'approved' AS status, version"
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {columns} FROM {store}")  # noqa: S608 - our names
    return True


def org_tree_frame(plan: PlanVersion) -> pd.DataFrame:
    """Effective-dated parent links (roots with parent None): unit, parent, valid_from, valid_to, kind."""
    return pd.DataFrame(plan_selectors.orgunit_tree_rows(plan=plan),
                        columns=["unit", "parent", "valid_from", "valid_to", "kind"])


def org_units_frame(plan: PlanVersion) -> pd.DataFrame:
    return pd.DataFrame(plan_selectors.orgunit_rows(plan=plan), columns=["code", "name", "kind", "members"])
