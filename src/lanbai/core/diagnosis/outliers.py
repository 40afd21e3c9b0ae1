"""Outliers in reported figures, for reviewers.

Across reporters (one period, one field): modified z-scores
-----------------------------------------------------------
Iglewicz, B. & Hoaglin, D. C. (1993), *How to Detect and Handle Outliers* (ASQC Basic References in
Quality Control 16), ch. 3: with ``med`` the median and ``MAD = median(|x − med|)`` of the group,

    M = 0.6745 · (x − med) / MAD,        outlier when |M| > 3.5

(0.6745 is the 0.75 quantile of the standard normal, so ``MAD/0.6745`` estimates σ).  Policies for
the undefined cases: when ``MAD = 0`` (more than half the values equal) the mean absolute deviation
is used instead, ``M = (x − med) / (1.253314 · MeanAD)`` (IBM SPSS Modeler's rule; 1.253314 = √(π/2)
makes MeanAD estimate σ) and ``z_method`` says ``MeanAD``; when that is 0 too every value equals the
median and ``M = 0``.  Groups with fewer than ``min_count`` reporters are not assessed (``M`` NaN,
``reason`` says so).

One unit's own history (one unit, one field): min–max ranges
------------------------------------------------------------
DHIS2 flags a value that falls outside the min–max range of its data element and organisation unit
at data entry; the range it generates comes from the unit's own earlier values: "DHIS2 will
determine the arithmetic mean and standard deviation of all values for a given data element /
category option / organisation unit combination" and set the range a chosen number of standard
deviations around the mean (DHIS2 User Manual 2.25, §9.3 "Data quality check at the point of data
entry", https://docs.dhis2.org/2.25/en/user/html/ch09s03.html; its DQ Workbench generates them from
a window of history with a completeness threshold,
https://dhis2.github.io/tool-dq-workbench/min_max_generation.html).  The manual warns that mean ± SD
suits only normally distributed data, so the default here is the robust variant:

* ``method="mad"`` (default): ``median ± k · MAD / 0.6745`` (MeanAD fallback as above);
* ``method="sd"``: ``mean ± k · SD`` (sample SD), DHIS2's generated range.

Only periods *before* the checked one count as history; fewer than ``min_history`` earlier values
means not assessed (``reason`` says so).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .contributions import DiagnosisError

# None as a numpy array: `np.where(mask, None, x)` does the same, but numpy's stubs refuse a bare None
_NONE = np.array(None, dtype=object)

__all__ = ["MAD_Z", "MEANAD_Z", "history_range_outliers", "robust_z_outliers"]

MAD_Z = 0.6745
MEANAD_Z = 1.253314


def _check_frame(df: pd.DataFrame, name: str, cols: Sequence[str]) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise DiagnosisError(f"{name}: expected a DataFrame")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise DiagnosisError(f"{name}: missing column(s) {missing}")
    out = df.copy()
    try:
        out["value"] = out["value"].astype(float)
    except (TypeError, ValueError):
        raise DiagnosisError(f"{name}: column 'value' must be numeric") from None
    return out.dropna(subset=["value"]).reset_index(drop=True)


def _robust_scale(dev: pd.Series, keys: list[pd.Series]) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Per-group MAD and MeanAD of absolute deviations ``dev``; sigma estimate and method name."""
    g = dev.groupby(keys, sort=False)
    mad = g.transform("median")
    meanad = g.transform("mean")
    sigma = np.where(mad > 0, mad / MAD_Z, np.where(meanad > 0, MEANAD_Z * meanad, 0.0))
    method = np.where(mad > 0, "MAD", np.where(meanad > 0, "MeanAD", "constant"))
    return mad, pd.Series(sigma, index=dev.index), pd.Series(method, index=dev.index)


def robust_z_outliers(
    values: pd.DataFrame,
    *,
    by: Sequence[str] = ("period", "field"),
    threshold: float = 3.5,
    min_count: int = 3,
) -> pd.DataFrame:
    """Modified z-score of every value against the other reporters of its group (``by``).

    ``values``: long frame with the ``by`` columns and ``value`` (other columns are kept; rows
    without a value are dropped).  Adds ``n``, ``median``, ``mad``, ``z``, ``z_method``,
    ``outlier`` (``|z| > threshold``) and ``reason``.
    """
    by = list(by)
    if threshold <= 0:
        raise DiagnosisError("threshold: must be > 0")
    if min_count < 3:
        raise DiagnosisError("min_count: must be ≥ 3 (a median of fewer values says nothing)")
    df = _check_frame(values, "values", by + ["value"])
    keys = [df[c] for c in by]
    x = df["value"]
    df["n"] = x.groupby(keys, sort=False).transform("size").astype(int)
    df["median"] = x.groupby(keys, sort=False).transform("median")
    dev = (x - df["median"]).abs()
    df["mad"], sigma, method = _robust_scale(dev, keys)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sigma > 0, (x - df["median"]) / np.where(sigma > 0, sigma, 1.0), 0.0)
    few = df["n"] < min_count
    df["z"] = np.where(few, np.nan, z)
    df["z_method"] = np.where(few, _NONE, method)
    df["outlier"] = ~few & (np.abs(z) > threshold)
    df["reason"] = np.where(
        few, f"填报单位少于 {min_count} 个，不评估 / fewer than {min_count} reporters", _NONE
    )
    return df


def history_range_outliers(
    current: pd.DataFrame,
    history: pd.DataFrame,
    *,
    keys: Sequence[str] = ("unit", "field"),
    method: str = "mad",
    k: float = 3.0,
    min_history: int = 3,
) -> pd.DataFrame:
    """Check each current value against the min–max range of its unit's earlier values.

    ``current`` and ``history``: long frames with ``keys``, ``period`` (sortable, e.g. '2018Q4')
    and ``value``.  Returns one row per current value with ``history`` (list of ``[period,
    value]`` pairs before it), ``history_n``, ``centre``, ``spread``, ``lower``, ``upper``,
    ``outlier``, ``bound`` ('lower' / 'upper' / None) and ``reason``.
    """
    keys = list(keys)
    if method not in ("mad", "sd"):
        raise DiagnosisError(f"method: 'mad' or 'sd', got {method!r}")
    if not k > 0:
        raise DiagnosisError("k: must be > 0")
    if min_history < 2:
        raise DiagnosisError("min_history: must be ≥ 2")
    cur = _check_frame(current, "current", keys + ["period"])
    hist = _check_frame(history, "history", keys + ["period"])[keys + ["period", "value"]]
    cur["_row"] = np.arange(len(cur))
    pairs = cur[keys + ["period", "_row"]].merge(
        hist.rename(columns={"period": "h_period", "value": "h_value"}), on=keys, how="inner"
    )
    pairs = pairs[pairs["h_period"].astype(str) < pairs["period"].astype(str)].sort_values(
        ["_row", "h_period"]
    )
    g = pairs.groupby("_row", sort=False)["h_value"]
    stats = pd.DataFrame({"history_n": g.size(), "mean": g.mean(), "sd": g.std(ddof=1), "median": g.median()})
    pairs = pairs.assign(_dev=(pairs["h_value"] - pairs["_row"].map(stats["median"])).abs())
    gd = pairs.groupby("_row", sort=False)["_dev"]
    stats["mad"], stats["meanad"] = gd.median(), gd.mean()
    by_row: dict[Any, list[list[Any]]] = {}  # row -> [[period, value], ...] in period order
    for row, period, value in zip(pairs["_row"], pairs["h_period"], pairs["h_value"], strict=True):
        by_row.setdefault(row, []).append([period, value])
    stats["history"] = pd.Series(by_row, dtype=object)
    out = cur.merge(stats, left_on="_row", right_index=True, how="left")
    out["history_n"] = out["history_n"].fillna(0).astype(int)
    out["history"] = out["history"].apply(lambda h: h if isinstance(h, list) else [])
    if method == "sd":
        out["centre"], out["spread"] = out["mean"], out["sd"]
    else:
        out["centre"] = out["median"]
        out["spread"] = np.where(
            out["mad"] > 0, out["mad"] / MAD_Z, np.where(out["meanad"] > 0, MEANAD_Z * out["meanad"], 0.0)
        )
    few = out["history_n"] < min_history
    out.loc[few, ["centre", "spread"]] = np.nan
    out["lower"] = out["centre"] - k * out["spread"]
    out["upper"] = out["centre"] + k * out["spread"]
    below, above = ~few & (out["value"] < out["lower"]), ~few & (out["value"] > out["upper"])
    out["outlier"] = below | above
    out["bound"] = np.where(below, "lower", np.where(above, "upper", _NONE))
    out["reason"] = np.where(
        few, f"历史值少于 {min_history} 个，不评估 / fewer than {min_history} earlier values", _NONE
    )
    out["method"] = method
    return out.drop(columns=["_row", "mean", "sd", "median", "mad", "meanad"]).reset_index(drop=True)
