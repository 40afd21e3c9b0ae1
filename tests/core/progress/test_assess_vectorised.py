"""The vectorised status assessment gives exactly what the per-row implementation gave.

The reference below is the per-row implementation of ``lanbai.core.progress.assess`` as it was
before the rule texts were vectorised (copied verbatim; only ``assess`` is renamed
``reference_assess``).  It is kept here, in the test, as the oracle: every column of the new
output must equal it exactly (same floats, same NaN cells, same texts) on seeded and
hypothesis-generated inputs that cover every method, comparator, kind, status and category case.
"""

# ruff: noqa: E501
from __future__ import annotations

import itertools
import math
from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lanbai.core.progress import assess
from lanbai.core.progress import methods as m
from lanbai.core.progress.assess import (
    COMPARATORS,
    DEFAULT_SEVERE,
    DEFAULT_WARN,
    DIRECTIONS,
    METHODS,
    NONPOSITIVE_POLICIES,
    NUMERIC_COLUMNS,
    OUTPUT_COLUMNS,
    REQUIRED_COLUMNS,
    STATUS_EN,
    STATUS_MET,
    STATUS_NA,
    STATUS_OK,
    STATUS_SEVERE,
    STATUS_WARN,
    ProgressInputError,
)
from lanbai.core.progress.path import KINDS, expected_path

# ============================ reference (the per-row implementation) ============================


def _columns(data: object) -> dict[str, np.ndarray]:
    if isinstance(data, pd.DataFrame):
        cols = {c: data[c].to_numpy() for c in data.columns}
    elif isinstance(data, Mapping):
        cols = {c: np.asarray(v) for c, v in data.items()}
    else:
        raise TypeError(
            f"data: expected a pandas DataFrame or a mapping of columns, got {type(data).__name__}"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in cols]
    if missing:
        raise ProgressInputError(
            f"缺少列 {missing} / missing column(s) {missing}; required: {list(REQUIRED_COLUMNS)}",
            column=missing[0],
            rule="required column",
        )
    n = len(cols["indicator"])
    for c, v in cols.items():
        if len(v) != n:
            raise ProgressInputError(
                f"列 {c} 长度 {len(v)} ≠ {n} / column {c} has {len(v)} rows, expected {n}", column=c
            )
    out: dict[str, np.ndarray] = {}
    for c in NUMERIC_COLUMNS:
        if c not in cols:
            out[c] = np.full(n, np.nan)
            continue
        vals = cols[c]
        try:
            out[c] = np.asarray(vals, dtype=float)
        except (TypeError, ValueError):
            for i, v in enumerate(vals):
                try:
                    float(v if v is not None else "nan")
                except (TypeError, ValueError):
                    raise ProgressInputError(
                        f"第 {i} 行 {c} 列的值 {v!r} 不是数值 / row {i}, column {c}: {v!r} is not a number",
                        row=i,
                        column=c,
                        rule="numeric value",
                    ) from None
            raise
    out["indicator"] = np.asarray(cols["indicator"], dtype=object)
    out["unit"] = np.asarray(cols.get("unit", np.full(n, "", dtype=object)), dtype=object)
    for c, allowed, default in (
        ("direction", DIRECTIONS, None),
        ("comparator", COMPARATORS, "="),
        ("kind", KINDS, "level"),
    ):
        vals = np.asarray(cols[c], dtype=object) if c in cols else np.full(n, default, dtype=object)
        ok = np.isin(vals.astype(str), list(allowed))
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            raise ProgressInputError(
                f"第 {i} 行 {c} 列的值 {vals[i]!r} 无效，应为 {'/'.join(allowed)} / row {i}, column {c}: "
                f"{vals[i]!r} is not one of {list(allowed)}",
                row=i,
                column=c,
                rule=f"one of {list(allowed)}",
            )
        out[c] = vals.astype(str).astype(object)
    # A "≥"/">" target only makes sense where higher is better, "≤"/"<" where lower is better.
    clash = (np.isin(out["comparator"], [">=", ">"]) & (out["direction"] == "decrease")) | (
        np.isin(out["comparator"], ["<=", "<"]) & (out["direction"] == "increase")
    )
    if clash.any():
        i = int(np.flatnonzero(clash)[0])
        raise ProgressInputError(
            f"第 {i} 行：比较符 {out['comparator'][i]} 与方向 {out['direction'][i]} 矛盾 / row {i}: comparator "
            f"{out['comparator'][i]!r} contradicts direction {out['direction'][i]!r}",
            row=i,
            column="comparator",
            rule="comparator consistent with direction",
            detail=f"比较符 {out['comparator'][i]} 与方向 {out['direction'][i]} 矛盾 / comparator contradicts direction",
        )
    span = out["target_year"] - out["base_year"]
    bad = np.isfinite(span) & (span <= 0)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ProgressInputError(
            f"第 {i} 行：目标年份须晚于基期年份 / row {i}: target_year must be after base_year",
            row=i,
            column="target_year",
            rule="target_year > base_year",
            detail="目标年份须晚于基期年份 / target_year must be after base_year",
        )
    return out


# --- formatting -------------------------------------------------------------------------------


def _n(x: float) -> str:
    if not np.isfinite(x):
        return "—"
    if float(x).is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.6g}"


def _pct(x: float, digits: int = 1) -> str:
    return "—" if not np.isfinite(x) else f"{x * 100:.{digits}f}%"


def _y(x: float) -> str:
    return _n(x)


_PATH_ZH = {
    "geometric": "几何路径",
    "linear": "线性路径",
    "linear (geometric undefined: value ≤ 0)": "线性路径：值≤0时几何路径无定义",
    "annual target table": "规划年度目标",
}
_CMP_ZH = {"=": "", ">=": "≥", ">": ">", "<=": "≤", "<": "<"}


# --- core -------------------------------------------------------------------------------------


def reference_assess(
    data: pd.DataFrame | Mapping[str, npt.ArrayLike],
    *,
    method: str = "eurostat",
    warn: float = DEFAULT_WARN,
    severe: float = DEFAULT_SEVERE,
    nonpositive: str = "not_assessable",
) -> pd.DataFrame:
    """Assess progress against targets for every row of ``data``.

    Parameters
    ----------
    data : DataFrame or mapping of columns
        Required columns ``indicator, base_year, base_value, current_year, current_value, target,
        target_year, direction`` (direction ``increase``/``decrease``); optional ``unit``,
        ``comparator`` (``=``, ``>=``, ``>``, ``<=``, ``<``; default ``=``), ``kind`` (level, count,
        share, ratio, flow_total; default level) and ``annual_target`` (the plan's explicit target
        for ``current_year``, NaN where none).  Years may be fractional (2018.5 = mid-2018).
    method : {"eurostat", "escap", "path"}
        Which ratio and category to report (the status is the same for every method).
    warn, severe : float
        Relative shortfall below the expected path beyond which the status is 预警 / 严重滞后
        (defaults 5 % and 15 %).
    nonpositive : {"not_assessable", "linear"}
        Where a compound growth rate is undefined (baseline ≤ 0 or a negative value): report "not
        assessable" (default) or use average annual absolute changes instead.
    """
    if method not in METHODS:
        raise ValueError(f"method: {method!r} is not one of {list(METHODS)}")
    if nonpositive not in NONPOSITIVE_POLICIES:
        raise ValueError(f"nonpositive: {nonpositive!r} is not one of {list(NONPOSITIVE_POLICIES)}")
    if not (0 <= warn < severe):
        raise ValueError(f"warn/severe: need 0 ≤ warn < severe, got warn={warn}, severe={severe}")
    c = _columns(data)
    t0, b, t, v = c["base_year"], c["base_value"], c["current_year"], c["current_value"]
    tt, x, cmp_, kind = c["target_year"], c["target"], c["comparator"], c["kind"]
    d = np.where(c["direction"] == "increase", 1.0, -1.0)
    n = len(t0)

    has_target = np.isfinite(x) & np.isfinite(tt)
    missing = ~(np.isfinite(t0) & np.isfinite(b) & np.isfinite(t) & np.isfinite(v))
    no_time = ~missing & (t <= t0)
    met = has_target & np.select(
        [cmp_ == ">=", cmp_ == ">", cmp_ == "<=", cmp_ == "<"],
        [v >= x, v > x, v <= x, v < x],
        default=np.where(d > 0, v >= x, v <= x),
    )
    met &= ~missing
    # The baseline already met the target (or equals it): no change is required.
    no_change_needed = has_target & ~(d * (x - b) > 0)
    away = d * (v - b) < 0  # moved away from the target relative to the baseline

    expected, path = expected_path(t0, b, tt, x, t, kind=kind, annual_target=c["annual_target"])
    path = np.where(np.isfinite(expected), path, "").astype(object)

    # --- method ratio and category ---
    nonpos_base = b <= 0
    negative = (v < 0) | (x < 0)
    cagr_undefined = nonpos_base | negative
    linear = cagr_undefined if nonpositive == "linear" else None
    actual = required = anticipated = np.full(n, np.nan)
    if method == "eurostat":
        actual, required, ratio = m.eurostat_rates(t0, b, t, v, tt, x, linear=linear)
        trend_rate = actual
        category = m.eurostat_category(ratio)
        # No target: Eurostat's thresholds for indicators without a quantitative target.
        category = np.where(has_target, category, m.eurostat_trend_category(trend_rate, d)).astype(object)
        away_name = m.EU_AWAY
    elif method == "escap":
        actual, anticipated, ratio = m.escap_anticipated(t0, b, t, v, tt, x, linear=linear)
        category = m.escap_category(ratio)
        away_name = m.ESCAP_REGRESSING
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            prog = expected - b
            ratio = np.where(prog != 0, (v - b) / np.where(prog != 0, prog, 1.0), np.nan)
        category = np.full(n, "", dtype=object)  # filled from the status below
        away_name = m.PATH_SEVERE

    # The baseline already satisfied the target and the current value no longer does: Open SDG
    # (open-sdg/sdg-build, sdg/ProgressMeasure.py, SeriesProgress.methodology_2) still computes the
    # ratio, as d · CAGR_observed / |CAGR_required|, and classifies it with the usual thresholds
    # (docs/monitoring.md §2.1).  Only this Eurostat case changes; a baseline equal to the target
    # (required rate 0) keeps its undefined ratio, the other methods keep their categories.
    open_sdg = np.zeros(n, dtype=bool)
    if method == "eurostat":
        osr = m.open_sdg_ratio(actual, required, d)
        open_sdg = has_target & (d * (x - b) < 0) & ~met & ~missing & ~no_time & np.isfinite(osr)
        ratio = np.where(open_sdg, osr, ratio)
        category = np.where(open_sdg, m.eurostat_category(ratio), category).astype(object)

    # --- early-warning status (same for every method) ---
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.abs(expected)
        scale = np.where(scale > 0, scale, np.abs(x - b))
        scale = np.where(scale > 0, scale, 1.0)
        shortfall = d * (expected - v) / scale  # > 0: worse than the path
    path_missing = ~np.isfinite(expected)
    status_cases = [
        missing,
        no_time,
        met,
        path_missing,
        away,
        shortfall > severe,
        shortfall > warn,
    ]
    status = np.select(
        status_cases,
        [STATUS_NA, STATUS_NA, STATUS_MET, STATUS_NA, STATUS_SEVERE, STATUS_SEVERE, STATUS_WARN],
        default=STATUS_OK,
    ).astype(object)
    status_case = np.select(status_cases, np.arange(len(status_cases)), default=len(status_cases))

    # --- category precedence ---
    if method == "path":
        category = np.select(
            [status == STATUS_MET, status == STATUS_OK, status == STATUS_WARN, status == STATUS_SEVERE],
            [m.TARGET_MET, m.PATH_ON_TRACK, m.PATH_WARNING, m.PATH_SEVERE],
            default="",
        ).astype(object)
    cat_cases = [
        missing,
        no_time,
        met,
        (~has_target & (method == "escap")) | (path_missing & (method == "path")),
        has_target & no_change_needed & ~open_sdg,
    ]
    cat_vals = [m.NA_MISSING, m.NA_NO_TIME, m.TARGET_MET, m.NA_NO_TARGET, away_name]
    if method != "path" and nonpositive == "not_assessable":
        cat_cases += [nonpos_base, negative]
        cat_vals += [m.NA_BASELINE, m.NA_NEGATIVE]
    cat_case = np.select(cat_cases, np.arange(len(cat_cases)), default=-1)
    category = np.select(cat_cases, cat_vals, default=category).astype(object)
    special = cat_case >= 0
    ratio = np.where(special & (category != m.TARGET_MET), np.nan, ratio)

    # --- rule texts (string formatting is per row by nature) ---
    rows = range(n)
    rule = [
        _category_rule(
            method, category[i], cat_case[i], ratio[i], actual[i], required[i], anticipated[i],
            t0[i], b[i], t[i], v[i], tt[i], x[i], cmp_[i], d[i], nonpositive, has_target[i], open_sdg[i],
        )
        for i in rows
    ]  # fmt: skip
    status_rule = [
        _status_rule(status_case[i], t0[i], b[i], t[i], v[i], x[i], cmp_[i], d[i], expected[i], shortfall[i], warn, severe, path[i])
        for i in rows
    ]  # fmt: skip

    out = pd.DataFrame(
        {
            "indicator": c["indicator"],
            "unit": c["unit"],
            "base_year": t0,
            "base_value": b,
            "current_year": t,
            "current_value": v,
            "target": x,
            "target_year": tt,
            "direction": c["direction"],
            "expected": expected,
            "ratio": ratio,
            "category": category,
            "status": status,
            "rule": rule,
            "comparator": cmp_,
            "kind": kind,
            "method": method,
            "path": path,
            "actual_rate": actual,
            "required_rate": required,
            "anticipated": anticipated,
            "category_zh": [m.CATEGORY_ZH.get(k, k) for k in category],
            "status_en": [STATUS_EN[s] for s in status],
            "status_rule": status_rule,
        },
        columns=list(OUTPUT_COLUMNS),
    )
    if isinstance(data, pd.DataFrame):
        out.index = data.index
    return out


def _category_rule(
    method: str,
    category: str,
    case: int,
    ratio: float,
    actual: float,
    required: float,
    anticipated: float,
    t0: float,
    b: float,
    t: float,
    v: float,
    tt: float,
    x: float,
    cmp_: str,
    d: float,
    nonpositive: str,
    has_target: bool,
    open_sdg: bool = False,
) -> str:  # noqa: E501
    zh_cat = m.CATEGORY_ZH.get(category, category)
    src = {"eurostat": "Eurostat", "escap": "UN ESCAP", "path": "预期路径 / expected path"}[method]
    if case == 0:
        return "基期或报告期数据缺失，无法评估 / baseline or current value missing: not assessable"
    if case == 1:
        return (
            f"报告期 {_y(t)} 不晚于基期 {_y(t0)}，无经过时间，无法评估 / current period {_y(t)} is not after the "
            f"base year {_y(t0)}: no elapsed time, not assessable"
        )
    if case == 2:
        return f"实际值 {_n(v)} 已达到目标 {_CMP_ZH[cmp_]}{_n(x)}：{zh_cat} / actual {_n(v)} meets the target {cmp_} {_n(x)}: {category}"
    if case == 3:
        return f"无目标值，{src} 方法无法评估 / no target value: the {src} method cannot assess this row"
    if case == 4:
        return (
            f"基期值 {_n(b)} 已满足目标 {_CMP_ZH[cmp_]}{_n(x)}（所需变化为 0，比率无定义），现实际值 {_n(v)} 未达标：{zh_cat} / "
            f"the baseline {_n(b)} already met the target {cmp_} {_n(x)} (required change 0, ratio undefined) and "
            f"the actual {_n(v)} no longer does: {category}"
        )
    if case == 5 and method != "path":
        return (
            f"基期值 {_n(b)} ≤ 0，复合年均增长率无定义，无法评估 / baseline {_n(b)} ≤ 0: compound annual growth rate "
            "undefined, not assessable"
        )
    if case == 6 and method != "path":
        return f"存在负值（实际 {_n(v)}，目标 {_n(x)}），复合年均增长率无定义 / negative value: CAGR undefined, not assessable"
    rate_zh = (
        "年均增长率" if not (nonpositive == "linear" and (b <= 0 or v < 0 or x < 0)) else "年均变化量（线性）"
    )
    rate_en = "CAGR" if rate_zh == "年均增长率" else "average annual change (linear fallback)"
    fmt = _pct if rate_en == "CAGR" else _n
    if method == "eurostat" and not has_target:
        g = actual * d
        return (
            f"无目标值：实际{rate_zh} {fmt(actual)}（按期望方向 {fmt(g)}），对照 +1%/0/−1% 阈值：{zh_cat} / "
            f"no target: actual {rate_en} {fmt(actual)} (direction-adjusted {fmt(g)}) against +1%/0/−1%: {category} (Eurostat)"
        )
    if method == "eurostat" and open_sdg:
        band = _band(ratio, (0.95, 0.60, 0.0))
        sign = "+1" if d > 0 else "−1"
        return (
            f"基期值 {_n(b)} 已满足目标 {_CMP_ZH[cmp_]}{_n(x)}，现实际值 {_n(v)} 未达标；按 Open SDG 方法，{sign} × 实际{rate_zh} "
            f"{fmt(actual)} ÷ |所需{rate_zh} {fmt(required)}| = {_pct(ratio)}，{band[0]}：{zh_cat} / "
            f"the baseline {_n(b)} already met the target {cmp_} {_n(x)} and the actual {_n(v)} no longer does; "
            f"as Open SDG: {sign} × actual {rate_en} {fmt(actual)} ÷ |required {fmt(required)}| = {_pct(ratio)}, "
            f"{band[1]}: {category} (Eurostat ratio, Open SDG sign convention)"
        )
    if method == "eurostat":
        band = _band(ratio, (0.95, 0.60, 0.0))
        return (
            f"实际{rate_zh} {fmt(actual)} ÷ 所需{rate_zh} {fmt(required)} = {_pct(ratio)}，{band[0]}：{zh_cat} / "
            f"actual {rate_en} {fmt(actual)} ÷ required {fmt(required)} = {_pct(ratio)}, {band[1]}: {category} (Eurostat)"
        )
    if method == "escap":
        band = _band(ratio, (1.0, 0.0))
        return (
            f"按实际{rate_zh} {fmt(actual)} 外推至 {_y(tt)} 年预计 {_n(anticipated)}；预计进展 {_n(anticipated - b)} ÷ 所需进展 "
            f"{_n(x - b)} = {_pct(ratio)}，{band[0]}：{zh_cat} / actual {rate_en} {fmt(actual)} extrapolated to {_y(tt)} "
            f"gives {_n(anticipated)}; anticipated progress {_n(anticipated - b)} ÷ required {_n(x - b)} = "
            f"{_pct(ratio)}, {band[1]}: {category} (UN ESCAP)"
        )
    return f"实际进展占预期进展的 {_pct(ratio)}：{zh_cat} / actual progress is {_pct(ratio)} of the expected progress: {category}"


def _band(r: float, cuts: tuple[float, ...]) -> tuple[str, str]:
    if not np.isfinite(r):
        return ("比率无定义", "ratio undefined")
    hi = None
    for cut in cuts:
        if r >= cut:
            lo_txt = f"{cut * 100:g}%"
            if hi is None:
                return (f"≥ {lo_txt}", f"≥ {lo_txt}")
            return (f"介于 {lo_txt} 与 {hi} 之间", f"between {lo_txt} and {hi}")
        hi = f"{cut * 100:g}%"
    return (f"< {hi}", f"< {hi}")


def _status_rule(
    case: int,
    t0: float,
    b: float,
    t: float,
    v: float,
    x: float,
    cmp_: str,
    d: float,
    expected: float,
    shortfall: float,
    warn: float,
    severe: float,
    path: str,
) -> str:
    worse_zh, worse_en = ("低于", "below") if d > 0 else ("高于", "above")
    if case == 0:
        return "基期或报告期数据缺失 / baseline or current value missing"
    if case == 1:
        return (
            f"报告期 {_y(t)} 不晚于基期 {_y(t0)} / current period {_y(t)} is not after the base year {_y(t0)}"
        )
    if case == 2:
        return f"实际值 {_n(v)} 已达到目标 {_CMP_ZH[cmp_]}{_n(x)} / actual {_n(v)} meets the target {cmp_} {_n(x)}"
    if case == 3:
        return "无目标值也无年度目标，无预期路径 / no target and no annual target: no expected path"
    if case == 4:
        return (
            f"实际值 {_n(v)} 较基期值 {_n(b)}（{_y(t0)}年）反向变化，背离目标 / actual {_n(v)} moved away from the "
            f"target relative to the baseline {_n(b)} ({_y(t0)})"
        )
    where = f"（{_PATH_ZH.get(path, path)}）" if path else ""
    where_en = f" ({path})" if path else ""
    if case == 5:
        return (
            f"实际值 {_n(v)} {worse_zh}预期路径值 {_n(expected)}{where} {_pct(shortfall)}，超过 {_pct(severe, 0)}（严重滞后阈值） / "
            f"actual {_n(v)} is {_pct(shortfall)} {worse_en} the expected path value {_n(expected)}{where_en}, beyond the "
            f"{_pct(severe, 0)} severe threshold"
        )
    if case == 6:
        return (
            f"实际值 {_n(v)} {worse_zh}预期路径值 {_n(expected)}{where} {_pct(shortfall)}，超过 {_pct(warn, 0)}（预警阈值） / "
            f"actual {_n(v)} is {_pct(shortfall)} {worse_en} the expected path value {_n(expected)}{where_en}, beyond the "
            f"{_pct(warn, 0)} warning threshold"
        )
    if shortfall <= 0:
        better_zh, better_en = ("不低于", "on or above") if d > 0 else ("不高于", "on or below")
        return (
            f"实际值 {_n(v)} {better_zh}预期路径值 {_n(expected)}{where} / actual {_n(v)} is {better_en} the expected "
            f"path value {_n(expected)}{where_en}"
        )
    return (
        f"实际值 {_n(v)} {worse_zh}预期路径值 {_n(expected)}{where} {_pct(shortfall)}，在 {_pct(warn, 0)} 预警阈值以内 / "
        f"actual {_n(v)} is {_pct(shortfall)} {worse_en} the expected path value {_n(expected)}{where_en}, within the "
        f"{_pct(warn, 0)} warning threshold"
    )


# ================================================================================================

# ============================ inputs ============================================================

# Values chosen to hit every branch and every formatting edge: integers, 6-significant-digit
# rounding ties, tiny and huge magnitudes (scientific notation), zero, negative zero, negatives,
# missing values, and values equal to the baseline or the target.
SPECIAL_VALUES = [
    0.0,
    -0.0,
    1.0,
    -1.0,
    2.0,
    50.0,
    100.0,
    100.5,
    0.5,
    0.125,
    0.00125,
    1e-5,
    1.5e-7,
    123456.5,
    1234565.0,
    999999.5,
    9999995.0,
    1e15,
    1e15 - 1,
    1.5e15,
    1e16,
    2.5e22,
    -3.25,
    -1e-9,
    1 / 3,
    2 / 3,
    0.1 + 0.2,
    math.nan,
    math.inf,
    -math.inf,
]


def varied_frame(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """``n`` seeded rows mixing every comparator, direction, kind, missing value and edge case."""
    direction = rng.choice(list(DIRECTIONS), n)
    up = np.array(["=", ">=", ">"], dtype=object)
    down = np.array(["=", "<=", "<"], dtype=object)
    comparator = np.where(direction == "increase", rng.choice(up, n), rng.choice(down, n))
    base_year = rng.choice([2015.0, 2016.0, 2015.5, math.nan], n, p=[0.6, 0.2, 0.15, 0.05])
    span = rng.choice([1.0, 2.0, 5.0, 6.5], n)
    target_year = np.where(rng.random(n) < 0.05, math.nan, base_year + span)
    current_year = base_year + rng.choice([-1.0, 0.0, 0.25, 1.0, 2.75, 3.0, 5.0, 8.0], n)
    current_year[rng.random(n) < 0.03] = math.nan

    def values(scale: float) -> np.ndarray:
        raw = rng.lognormal(np.log(scale), 1.0, n)
        digits = rng.choice([0, 1, 3, 6, 15], n)
        out = np.select([digits == k for k in (0, 1, 3, 6)], [np.round(raw, k) for k in (0, 1, 3, 6)], raw)
        special = rng.random(n) < 0.15
        out[special] = rng.choice(SPECIAL_VALUES, special.sum())
        neg = rng.random(n) < 0.05
        out[neg] = -out[neg]
        return out

    base_value = values(100.0)
    current_value = values(120.0)
    target = values(200.0)
    target[rng.random(n) < 0.1] = math.nan
    # current equal to the target, to the baseline; target equal to the baseline
    for col, src, p in (
        (current_value, target, 0.05),
        (current_value, base_value, 0.05),
        (target, base_value, 0.05),
    ):
        sel = rng.random(n) < p
        col[sel] = src[sel]
    annual = np.where(rng.random(n) < 0.15, values(150.0), math.nan)
    frame = pd.DataFrame(
        {
            "indicator": rng.choice(["gdp", "rd_share", "patents", "income", "指标"], n),
            "unit": rng.choice(["lz", "by", "lanbai", ""], n),
            "base_year": base_year,
            "base_value": base_value,
            "current_year": current_year,
            "current_value": current_value,
            "target": target,
            "target_year": target_year,
            "direction": direction,
            "comparator": comparator,
            "kind": rng.choice(list(KINDS), n),
            "annual_target": annual,
        }
    )
    return frame


def assert_same(new: pd.DataFrame, old: pd.DataFrame) -> None:
    assert list(new.columns) == list(OUTPUT_COLUMNS)
    pd.testing.assert_frame_equal(new, old, check_exact=True)


# ============================ tests =============================================================

OPTIONS = list(itertools.product(METHODS, NONPOSITIVE_POLICIES))


@pytest.mark.parametrize(("method", "nonpositive"), OPTIONS)
def test_seeded_varied_input_matches_the_per_row_implementation(method: str, nonpositive: str) -> None:
    frame = varied_frame(np.random.default_rng(20261202), 6000)
    frame.index = pd.RangeIndex(1000, 7000)  # the output keeps the input's index
    old = reference_assess(frame, method=method, nonpositive=nonpositive)
    new = assess(frame, method=method, nonpositive=nonpositive)
    assert_same(new, old)
    # the sample really is varied: every status, and (nearly) every category of the method
    assert set(old["status"]) == {STATUS_MET, STATUS_OK, STATUS_WARN, STATUS_SEVERE, STATUS_NA}
    assert old["rule"].nunique() > 3000 and old["status_rule"].nunique() > 2000
    assert set(old["comparator"]) == set(COMPARATORS) and set(old["kind"]) == set(KINDS)
    expected_categories = {
        "eurostat": {
            m.EU_SIGNIFICANT,
            m.EU_MODERATE,
            m.EU_INSUFFICIENT,
            m.EU_AWAY,
            m.EU_TREND_SIGNIFICANT,
            m.EU_TREND_MODERATE,
            m.EU_TREND_MODERATE_AWAY,
            m.EU_TREND_SIGNIFICANT_AWAY,
        },
        "escap": {m.ESCAP_ON_TRACK, m.ESCAP_ACCELERATE, m.ESCAP_REGRESSING, m.NA_NO_TARGET},
        "path": {m.PATH_ON_TRACK, m.PATH_WARNING, m.PATH_SEVERE},
    }[method] | {m.TARGET_MET, m.NA_MISSING, m.NA_NO_TIME}
    if nonpositive == "not_assessable" and method != "path":
        expected_categories |= {m.NA_BASELINE, m.NA_NEGATIVE}
    assert expected_categories <= set(old["category"])


@pytest.mark.parametrize(("warn", "severe"), [(0.0, 0.01), (0.1, 0.3), (0.025, 0.125)])
def test_other_thresholds_match_the_per_row_implementation(warn: float, severe: float) -> None:
    frame = varied_frame(np.random.default_rng(7), 2000)
    for method in METHODS:
        old = reference_assess(frame, method=method, warn=warn, severe=severe)
        assert_same(assess(frame, method=method, warn=warn, severe=severe), old)


def test_mapping_input_and_defaults_match_the_per_row_implementation() -> None:
    frame = varied_frame(np.random.default_rng(3), 500)
    cols = {c: frame[c].to_list() for c in [*REQUIRED_COLUMNS, "unit"]}  # no comparator, kind, annual_target
    for method in METHODS:
        assert_same(assess(cols, method=method), reference_assess(cols, method=method))
    empty = {c: [] for c in REQUIRED_COLUMNS}
    assert_same(assess(empty), reference_assess(empty))


def test_input_errors_are_the_same() -> None:
    frame = varied_frame(np.random.default_rng(5), 50)
    bad = frame.assign(comparator=np.where(frame["direction"] == "increase", "<", ">"))
    with pytest.raises(ProgressInputError) as new:
        assess(bad)
    with pytest.raises(ProgressInputError) as old:
        reference_assess(bad)
    assert (str(new.value), new.value.row, new.value.column) == (
        str(old.value),
        old.value.row,
        old.value.column,
    )
    for column, value in (
        ("direction", None),
        ("direction", math.nan),
        ("kind", 3),
        ("comparator", "≥"),
        ("kind", ""),
    ):
        bad = frame.astype({column: object})
        bad.loc[bad.index[7], column] = value
        with pytest.raises(ProgressInputError) as new:
            assess(bad)
        with pytest.raises(ProgressInputError) as old:
            reference_assess(bad)
        assert (str(new.value), new.value.row, new.value.column) == (str(old.value), 7, column)


finite_or_special = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.floats(min_value=-1e7, max_value=1e7),
    st.sampled_from(SPECIAL_VALUES),
    st.integers(-(10**6), 10**6).map(float),
    st.integers(-(10**7), 10**7).map(lambda i: i / 1000),  # ties at 6 significant digits
)


@st.composite
def rows(draw: st.DrawFn) -> dict[str, object]:
    direction = draw(st.sampled_from(DIRECTIONS))
    comparator = draw(st.sampled_from(["=", ">=", ">"] if direction == "increase" else ["=", "<=", "<"]))
    base_year = draw(st.sampled_from([2015.0, 2015.25, 2016.0, math.nan]))
    return {
        "indicator": "x",
        "unit": draw(st.sampled_from(["", "lz"])),
        "base_year": base_year,
        "base_value": draw(finite_or_special),
        "current_year": base_year + draw(st.sampled_from([-1.0, 0.0, 0.5, 1.0, 3.0, 10.0])),
        "current_value": draw(finite_or_special),
        "target": draw(finite_or_special),
        "target_year": base_year + draw(st.sampled_from([0.5, 1.0, 5.0, math.nan])),
        "direction": direction,
        "comparator": comparator,
        "kind": draw(st.sampled_from(KINDS)),
        "annual_target": draw(st.one_of(st.just(math.nan), finite_or_special)),
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(rows(), min_size=1, max_size=40),
    st.sampled_from(METHODS),
    st.sampled_from(NONPOSITIVE_POLICIES),
    st.sampled_from([(DEFAULT_WARN, DEFAULT_SEVERE), (0.0, 1e-9), (0.123456, 0.5)]),
)
def test_generated_rows_match_the_per_row_implementation(
    data: list[dict[str, object]], method: str, nonpositive: str, thresholds: tuple[float, float]
) -> None:
    frame = pd.DataFrame(data)
    warn, severe = thresholds
    old = reference_assess(frame, method=method, nonpositive=nonpositive, warn=warn, severe=severe)
    assert_same(assess(frame, method=method, nonpositive=nonpositive, warn=warn, severe=severe), old)
