"""Progress against targets and early-warning status, over arrays of rows (docs/monitoring.md).

:func:`assess` takes a table (DataFrame or mapping of columns) with one row per (unit, indicator,
period) and returns a DataFrame with, per row, the expected path value, the method's ratio and
category, the early-warning status (达标 / 正常 / 预警 / 严重滞后 / 无法评估) and the rule text that
produced each (Chinese / English).  :func:`assess_one` is the scalar wrapper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import methods as m
from .path import KINDS, expected_path, lookup_annual_target

REQUIRED_COLUMNS = (
    "indicator",
    "base_year",
    "base_value",
    "current_year",
    "current_value",
    "target",
    "target_year",
    "direction",
)
OPTIONAL_COLUMNS = ("unit", "comparator", "kind", "annual_target")
NUMERIC_COLUMNS = (
    "base_year",
    "base_value",
    "current_year",
    "current_value",
    "target",
    "target_year",
    "annual_target",
)
DIRECTIONS = ("increase", "decrease")
COMPARATORS = ("=", ">=", ">", "<=", "<")
METHODS = ("eurostat", "escap", "path")
NONPOSITIVE_POLICIES = ("not_assessable", "linear")

STATUS_MET = "达标"
STATUS_OK = "正常"
STATUS_WARN = "预警"
STATUS_SEVERE = "严重滞后"
STATUS_NA = "无法评估"
STATUS_EN = {
    STATUS_MET: "target met",
    STATUS_OK: "normal",
    STATUS_WARN: "warning",
    STATUS_SEVERE: "severely lagging",
    STATUS_NA: "not assessable",
}

DEFAULT_WARN = 0.05
DEFAULT_SEVERE = 0.15

OUTPUT_COLUMNS = (
    "indicator",
    "unit",
    "base_year",
    "base_value",
    "current_year",
    "current_value",
    "target",
    "target_year",
    "direction",
    "expected",
    "ratio",
    "category",
    "status",
    "rule",
    # extras
    "comparator",
    "kind",
    "method",
    "path",
    "actual_rate",
    "required_rate",
    "anticipated",
    "category_zh",
    "status_en",
    "status_rule",
)


class ProgressInputError(ValueError):
    """Invalid input rows; ``row`` (0-based position), ``column`` and ``rule`` name the problem."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        rule: str = "",
        detail: str | None = None,
    ):
        super().__init__(message)
        self.row, self.column, self.rule = row, column, rule
        self.detail = detail or message  # the message without the row prefix


# --- input ------------------------------------------------------------------------------------


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


def assess(
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


# --- scalar wrapper ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Assessment:
    """One assessed row (see :func:`assess` for the meaning of each field)."""

    indicator: str
    unit: str
    base_year: float
    base_value: float
    current_year: float
    current_value: float
    target: float
    target_year: float
    direction: str
    expected: float
    ratio: float
    category: str
    status: str
    rule: str
    comparator: str
    kind: str
    method: str
    path: str
    actual_rate: float
    required_rate: float
    anticipated: float
    category_zh: str
    status_en: str
    status_rule: str


def assess_one(
    *,
    base_year: float,
    base_value: float,
    current_year: float,
    current_value: float,
    target: float,
    target_year: float,
    direction: str = "increase",
    indicator: str = "",
    unit: str = "",
    comparator: str = "=",
    kind: str = "level",
    annual_targets: Mapping[int, float] | None = None,
    method: str = "eurostat",
    warn: float = DEFAULT_WARN,
    severe: float = DEFAULT_SEVERE,
    nonpositive: str = "not_assessable",
) -> Assessment:
    """Assess a single series; ``annual_targets`` maps year → the plan's explicit target."""
    at = lookup_annual_target([annual_targets], [current_year])
    cols: dict[str, npt.ArrayLike] = {
        "indicator": [indicator],
        "unit": [unit],
        "base_year": [base_year],
        "base_value": [base_value],
        "current_year": [current_year],
        "current_value": [current_value],
        "target": [target],
        "target_year": [target_year],
        "direction": [direction],
        "comparator": [comparator],
        "kind": [kind],
        "annual_target": at,
    }
    row = assess(cols, method=method, warn=warn, severe=severe, nonpositive=nonpositive).iloc[0]
    return Assessment(**{k: (row[k].item() if hasattr(row[k], "item") else row[k]) for k in OUTPUT_COLUMNS})
