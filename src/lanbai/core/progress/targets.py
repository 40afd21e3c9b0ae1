"""Which of the plan's targets applies to a unit's indicator.

The plan states targets in two ways: a target value (``kind`` ``target``, often with a baseline,
专栏1 / 附件1) and annual targets (``kind`` ``annual``, 附件2/3).  Per (unit, indicator):

* a target value wins; among several, the first (in the plan's order) that has a baseline,
  else the first;
* otherwise the annual targets of the total (category ``total`` or empty) give the path: the
  first year's value as the baseline and the last year's as the target, comparator ``=``, the
  source of the first annual target of that unit and indicator;
* otherwise there is no target.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

TARGET_COLUMNS = [
    "unit", "indicator", "kind", "category", "year", "value", "comparator", "baseline_year", "baseline_value",
    "source",
]
APPLICABLE_COLUMNS = [
    "unit", "indicator", "base_year", "base_value", "target_year", "target_value", "comparator", "source",
]
KEY = ["unit", "indicator"]
ANNUAL_SOURCE = "附件2/3"


def _annual_totals(targets: pd.DataFrame) -> pd.DataFrame:
    ann = targets[(targets["kind"] == "annual") & targets["category"].isin(["total", ""])]
    return ann.drop_duplicates([*KEY, "year"], keep="last")  # a year given twice: the later one counts


def applicable_targets(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per (unit, indicator) with a target: :data:`APPLICABLE_COLUMNS`.

    ``targets`` has :data:`TARGET_COLUMNS`, in the plan's order (numbers as floats, NaN when absent).
    """
    targets = targets.reset_index(drop=True)
    stated = targets[targets["kind"] == "target"]
    stated = stated.assign(_no_base=stated["baseline_year"].isna(), _pos=np.arange(len(stated)))
    best = stated.sort_values(["_no_base", "_pos"], kind="stable").drop_duplicates(KEY, keep="first")
    from_stated = pd.DataFrame({
        "unit": best["unit"], "indicator": best["indicator"], "base_year": best["baseline_year"],
        "base_value": best["baseline_value"], "target_year": best["year"], "target_value": best["value"],
        "comparator": best["comparator"], "source": best["source"],
    })

    ann = _annual_totals(targets)
    ann = ann[~pd.MultiIndex.from_frame(ann[KEY]).isin(pd.MultiIndex.from_frame(best[KEY]))]
    by_year = ann.sort_values("year", kind="stable")
    first = by_year.drop_duplicates(KEY, keep="first").set_index(KEY)
    last = by_year.drop_duplicates(KEY, keep="last").set_index(KEY)
    annual_all = targets[targets["kind"] == "annual"].drop_duplicates(KEY, keep="first").set_index(KEY)
    source = annual_all["source"].reindex(first.index).fillna(ANNUAL_SOURCE)
    from_annual = pd.DataFrame({
        "base_year": first["year"], "base_value": first["value"], "target_year": last["year"].reindex(first.index),
        "target_value": last["value"].reindex(first.index), "comparator": "=", "source": source,
    }, index=first.index).reset_index()
    out = pd.concat([from_stated, from_annual], ignore_index=True)
    return out[APPLICABLE_COLUMNS]


def annual_target_of(targets: pd.DataFrame, year: int) -> pd.Series:
    """The annual target (total) of ``year`` per (unit, indicator)."""
    ann = _annual_totals(targets)
    ann = ann[ann["year"] == year]
    return ann.set_index(KEY)["value"]
