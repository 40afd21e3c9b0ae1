"""Year-to-date figures compared with annual targets: projecting a quarter to the whole year.

Targets are annual.  For the fourth quarter the cumulative figure *is* the year.  For Q1–Q3:

* indicators whose value does not scale with the length of the period (shares and ratios of
  flows, stocks, ratios of stocks) are compared as they are (the year-to-date share estimates the
  year's share);
* indicators that scale with time (flows, and ratios of a flow to a stock such as labour
  productivity, see :func:`lanbai.core.formulas.scaling.time_scaled_indicators`) are projected
  to the year with the same period's share of last year:
  ``estimate = YTD(y, q) × annual(y−1) / YTD(y−1, q)``; without last year's figures the row is
  not assessable and says why.  The ``how`` text of every row states which was used.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

YTD_RULE = "本期累计值 / year-to-date value"
NO_LAST_YEAR_RULE = "缺少上年同期或全年数据，无法折算全年 / no last-year figures to project the year"


def projection_rule(value: float, full: float, same: float, assessed: float) -> str:
    return (f"按上年同期占全年比重折算全年：{value:.4g} × {full:.4g} / {same:.4g} = {assessed:.4g} / "
            "projected to the year with last year's share of the same period")


def annualise(frame: pd.DataFrame, *, quarter: int, scaled: Collection[str]) -> pd.DataFrame:
    """The value to assess against an annual target, with the rule used and the year-on-year change.

    ``frame`` has ``indicator``, ``value`` (year to date), ``last_same`` (the same period last year)
    and ``last_full`` (last year's whole-year value); missing values are NaN.  ``scaled`` names the
    indicators that grow with the period's length.  Returns a frame on the same index with
    ``assessed`` (NaN when not assessable), ``how`` (the rule, as text) and ``yoy_pct``.
    """
    value = frame["value"].to_numpy(dtype=float)
    same = frame["last_same"].to_numpy(dtype=float)
    full = frame["last_full"].to_numpy(dtype=float)
    has_value = ~np.isnan(value)
    has_same = ~np.isnan(same) & (same != 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        yoy = np.where(has_value & has_same, (value / same - 1) * 100, np.nan)
        projected = value * full / same
    project = (quarter < 4) & frame["indicator"].isin(list(scaled)).to_numpy() & has_value
    can = project & has_same & ~np.isnan(full)
    assessed = np.where(can, projected, np.where(project, np.nan, value))
    how = np.full(len(frame), YTD_RULE, dtype=object)
    how[project & ~can] = NO_LAST_YEAR_RULE
    for n in np.flatnonzero(can):
        how[n] = projection_rule(value[n], full[n], same[n], assessed[n])
    return pd.DataFrame({"assessed": assessed, "how": how, "yoy_pct": yoy}, index=frame.index)
