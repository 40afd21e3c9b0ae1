"""Progress against targets and early-warning status, over arrays of rows (docs/monitoring.md).

:func:`assess` takes a table (DataFrame or mapping of columns) with one row per (unit, indicator,
period) and returns a DataFrame with, per row, the expected path value, the method's ratio and
category, the early-warning status (达标 / 正常 / 预警 / 严重滞后 / 无法评估) and the rule text that
produced each (Chinese / English).  :func:`assess_one` is the scalar wrapper.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from . import methods as m
from . import text as tx
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
        # each distinct value is converted and checked once; missing values (code −1) are invalid
        codes, uniques = pd.factorize(vals)
        texts = np.array([str(u) for u in uniques] + [""], dtype=object)
        ok = np.isin(texts, list(allowed))[codes]  # code −1 picks the invalid "" at the end
        if not ok.all():
            i = int(np.flatnonzero(~ok)[0])
            raise ProgressInputError(
                f"第 {i} 行 {c} 列的值 {vals[i]!r} 无效，应为 {'/'.join(allowed)} / row {i}, column {c}: "
                f"{vals[i]!r} is not one of {list(allowed)}",
                row=i,
                column=c,
                rule=f"one of {list(allowed)}",
            )
        out[c] = texts[codes]
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

    # --- rule texts: built per case, column-wise (lanbai.core.progress.text) ---
    f = _Texts(v=v, x=x, b=b, t=t, t0=t0, tt=tt, cmp_=cmp_, d=d)
    category_zh = _lookup(category, m.CATEGORY_ZH)
    rule = _category_rules(
        f, method, nonpositive, category, category_zh, cat_case, ratio, actual, required, anticipated, has_target,
        open_sdg,
    )  # fmt: skip
    status_rule = _status_rules(f, status_case, expected, shortfall, warn, severe, path)

    out = pd.DataFrame(
        {
            "indicator": tx.column(c["indicator"]),
            "unit": tx.column(c["unit"]),
            "base_year": t0,
            "base_value": b,
            "current_year": t,
            "current_value": v,
            "target": x,
            "target_year": tt,
            "direction": tx.column(c["direction"]),
            "expected": expected,
            "ratio": ratio,
            "category": tx.column(category),
            "status": tx.column(status),
            "rule": _listed(tx.column(rule)),
            "comparator": tx.column(cmp_),
            "kind": tx.column(kind),
            "method": method,
            "path": tx.column(path),
            "actual_rate": actual,
            "required_rate": required,
            "anticipated": anticipated,
            "category_zh": _listed(tx.column(category_zh)),
            "status_en": _listed(tx.column(_lookup(status, STATUS_EN))),
            "status_rule": _listed(tx.column(status_rule)),
        },
        columns=list(OUTPUT_COLUMNS),
    )
    if isinstance(data, pd.DataFrame):
        out.index = data.index
    return out


def _listed(texts: Any) -> Any:
    """A text column as given to the frame; no rows: an empty list (the frame's dtype for those)."""
    return texts if len(texts) else []


def _lookup(values: np.ndarray, mapping: Mapping[str, str]) -> np.ndarray:
    """``mapping.get(v, v)`` of every element, looked up once per distinct value."""
    codes, uniques = pd.factorize(values)
    if not len(uniques):
        return np.empty(len(values), dtype=object)
    return np.array([mapping.get(u, u) for u in uniques], dtype=object)[codes]


class _Texts:
    """The row values the rule texts quote, formatted on demand for a subset of rows."""

    def __init__(self, **cols: np.ndarray):
        self.cols = cols
        self._n: dict[str, np.ndarray] = {}
        self.cmp_zh = tx.strings(_lookup(cols["cmp_"], _CMP_ZH))
        self.cmp_ = tx.strings(cols["cmp_"])
        self.up = cols["d"] > 0

    def n(self, name: str, idx: np.ndarray) -> np.ndarray:
        """:func:`_n` of column ``name`` at rows ``idx`` (the current value is formatted once, whole)."""
        if name == "v":
            if "v" not in self._n:
                self._n["v"] = tx.fmt_n(self.cols["v"])
            out: np.ndarray = self._n["v"][idx]
            return out
        return tx.fmt_n(self.cols[name][idx])

    def pick(self, idx: np.ndarray, up: str, down: str) -> np.ndarray:
        """``up`` where the direction is increase, else ``down``, at rows ``idx``."""
        return np.where(self.up[idx], up, down).astype(tx.S)


def _rate_fmt(values: np.ndarray, linear: np.ndarray) -> np.ndarray:
    """Rates as :func:`_pct` (CAGR) or, on the linear fallback, as :func:`_n`."""
    out = tx.fmt_pct(values)
    if linear.any():
        out[linear] = tx.fmt_n(values[linear])
    return out


def _bands(r: np.ndarray, cuts: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """The ratio's band between ``cuts`` (descending) as text, Chinese and English."""
    pct = [f"{cut * 100:g}%" for cut in cuts]
    zh = (
        [f"≥ {pct[0]}"]
        + [f"介于 {pct[j]} 与 {pct[j - 1]} 之间" for j in range(1, len(cuts))]
        + [f"< {pct[-1]}"]
    )
    en = (
        [f"≥ {pct[0]}"]
        + [f"between {pct[j]} and {pct[j - 1]}" for j in range(1, len(cuts))]
        + [f"< {pct[-1]}"]
    )
    finite = np.isfinite(r)
    conds = [~finite] + [finite & (r >= cut) for cut in cuts]
    return (
        np.select(conds, ["比率无定义", *zh[:-1]], default=zh[-1]).astype(tx.S),
        np.select(conds, ["ratio undefined", *en[:-1]], default=en[-1]).astype(tx.S),
    )


def _category_rules(
    f: _Texts,
    method: str,
    nonpositive: str,
    category: np.ndarray,
    category_zh: np.ndarray,
    case: np.ndarray,
    ratio: np.ndarray,
    actual: np.ndarray,
    required: np.ndarray,
    anticipated: np.ndarray,
    has_target: np.ndarray,
    open_sdg: np.ndarray,
) -> np.ndarray:
    """The rule text of each row's category (``case``: the category case of :func:`assess`)."""
    n = len(case)
    out = np.empty(n, dtype=tx.S)
    cat_s, zh_s = tx.strings(category), tx.strings(category_zh)
    src = {"eurostat": "Eurostat", "escap": "UN ESCAP", "path": "预期路径 / expected path"}[method]
    b, v, x = f.cols["b"], f.cols["v"], f.cols["x"]
    # case 0 (missing) and 3 (no target) are fixed texts
    out[case == 0] = "基期或报告期数据缺失，无法评估 / baseline or current value missing: not assessable"
    out[case == 3] = (
        f"无目标值，{src} 方法无法评估 / no target value: the {src} method cannot assess this row"
    )
    if (i := np.flatnonzero(case == 1)).size:
        ty, t0y = f.n("t", i), f.n("t0", i)
        out[i] = tx.cat("报告期 ", ty, " 不晚于基期 ", t0y, "，无经过时间，无法评估 / current period ", ty,
                        " is not after the base year ", t0y, ": no elapsed time, not assessable")  # fmt: skip
    if (i := np.flatnonzero(case == 2)).size:
        vs, xs = f.n("v", i), f.n("x", i)
        out[i] = tx.cat("实际值 ", vs, " 已达到目标 ", f.cmp_zh[i], xs, "：", zh_s[i], " / actual ", vs,
                        " meets the target ", f.cmp_[i], " ", xs, ": ", cat_s[i])  # fmt: skip
    if (i := np.flatnonzero(case == 4)).size:
        bs, vs, xs = f.n("b", i), f.n("v", i), f.n("x", i)
        out[i] = tx.cat(
            "基期值 ", bs, " 已满足目标 ", f.cmp_zh[i], xs, "（所需变化为 0，比率无定义），现实际值 ", vs, " 未达标：",
            zh_s[i], " / the baseline ", bs, " already met the target ", f.cmp_[i], " ", xs,
            " (required change 0, ratio undefined) and the actual ", vs, " no longer does: ", cat_s[i],
        )  # fmt: skip
    rest = (case < 0) | (case >= 5)
    if method != "path":
        rest = (case < 0) | (case >= 7)
        if (i := np.flatnonzero(case == 5)).size:
            bs = f.n("b", i)
            out[i] = tx.cat("基期值 ", bs, " ≤ 0，复合年均增长率无定义，无法评估 / baseline ", bs,
                            " ≤ 0: compound annual growth rate undefined, not assessable")  # fmt: skip
        if (i := np.flatnonzero(case == 6)).size:
            out[i] = tx.cat("存在负值（实际 ", f.n("v", i), "，目标 ", f.n("x", i),
                            "），复合年均增长率无定义 / negative value: CAGR undefined, not assessable")  # fmt: skip
    if not rest.any():
        return out
    linear = np.zeros(n, dtype=bool)
    if nonpositive == "linear":
        linear = (b <= 0) | (v < 0) | (x < 0)
    if method == "path":
        i = np.flatnonzero(rest)
        rp = tx.fmt_pct(ratio[i])
        out[i] = tx.cat("实际进展占预期进展的 ", rp, "：", zh_s[i], " / actual progress is ", rp,
                        " of the expected progress: ", cat_s[i])  # fmt: skip
        return out
    rate_zh = np.where(linear, "年均变化量（线性）", "年均增长率").astype(tx.S)
    rate_en = np.where(linear, "average annual change (linear fallback)", "CAGR").astype(tx.S)
    if method == "escap":
        i = np.flatnonzero(rest)
        a = _rate_fmt(actual[i], linear[i])
        tts, an = f.n("tt", i), tx.fmt_n(anticipated[i])
        prog, need, rp = tx.fmt_n(anticipated[i] - b[i]), tx.fmt_n(x[i] - b[i]), tx.fmt_pct(ratio[i])
        bz, be = _bands(ratio[i], (1.0, 0.0))
        out[i] = tx.cat(
            "按实际", rate_zh[i], " ", a, " 外推至 ", tts, " 年预计 ", an, "；预计进展 ", prog, " ÷ 所需进展 ", need, " = ",
            rp, "，", bz, "：", zh_s[i], " / actual ", rate_en[i], " ", a, " extrapolated to ", tts, " gives ", an,
            "; anticipated progress ", prog, " ÷ required ", need, " = ", rp, ", ", be, ": ", cat_s[i], " (UN ESCAP)",
        )  # fmt: skip
        return out
    # Eurostat
    if (i := np.flatnonzero(rest & ~has_target)).size:
        a, g = _rate_fmt(actual[i], linear[i]), _rate_fmt(actual[i] * f.cols["d"][i], linear[i])
        out[i] = tx.cat(
            "无目标值：实际", rate_zh[i], " ", a, "（按期望方向 ", g, "），对照 +1%/0/−1% 阈值：", zh_s[i], " / no target: actual ",
            rate_en[i], " ", a, " (direction-adjusted ", g, ") against +1%/0/−1%: ", cat_s[i], " (Eurostat)",
        )  # fmt: skip
    if (i := np.flatnonzero(rest & has_target & open_sdg)).size:
        a, q, rp = _rate_fmt(actual[i], linear[i]), _rate_fmt(required[i], linear[i]), tx.fmt_pct(ratio[i])
        bs, vs, xs = f.n("b", i), f.n("v", i), f.n("x", i)
        bz, be = _bands(ratio[i], (0.95, 0.60, 0.0))
        sign = f.pick(i, "+1", "−1")
        out[i] = tx.cat(
            "基期值 ", bs, " 已满足目标 ", f.cmp_zh[i], xs, "，现实际值 ", vs, " 未达标；按 Open SDG 方法，", sign, " × 实际",
            rate_zh[i], " ", a, " ÷ |所需", rate_zh[i], " ", q, "| = ", rp, "，", bz, "：", zh_s[i], " / the baseline ", bs,
            " already met the target ", f.cmp_[i], " ", xs, " and the actual ", vs, " no longer does; as Open SDG: ", sign,
            " × actual ", rate_en[i], " ", a, " ÷ |required ", q, "| = ", rp, ", ", be, ": ", cat_s[i],
            " (Eurostat ratio, Open SDG sign convention)",
        )  # fmt: skip
    if (i := np.flatnonzero(rest & has_target & ~open_sdg)).size:
        a, q, rp = _rate_fmt(actual[i], linear[i]), _rate_fmt(required[i], linear[i]), tx.fmt_pct(ratio[i])
        bz, be = _bands(ratio[i], (0.95, 0.60, 0.0))
        out[i] = tx.cat(
            "实际", rate_zh[i], " ", a, " ÷ 所需", rate_zh[i], " ", q, " = ", rp, "，", bz, "：", zh_s[i], " / actual ",
            rate_en[i], " ", a, " ÷ required ", q, " = ", rp, ", ", be, ": ", cat_s[i], " (Eurostat)",
        )  # fmt: skip
    return out


def _status_rules(
    f: _Texts,
    case: np.ndarray,
    expected: np.ndarray,
    shortfall: np.ndarray,
    warn: float,
    severe: float,
    path: np.ndarray,
) -> np.ndarray:
    """The rule text of each row's status (``case``: the status case of :func:`assess`)."""
    out = np.empty(len(case), dtype=tx.S)
    out[case == 0] = "基期或报告期数据缺失 / baseline or current value missing"
    out[case == 3] = "无目标值也无年度目标，无预期路径 / no target and no annual target: no expected path"
    if (i := np.flatnonzero(case == 1)).size:
        ty, t0y = f.n("t", i), f.n("t0", i)
        out[i] = tx.cat(
            "报告期 ", ty, " 不晚于基期 ", t0y, " / current period ", ty, " is not after the base year ", t0y
        )
    if (i := np.flatnonzero(case == 2)).size:
        vs, xs = f.n("v", i), f.n("x", i)
        out[i] = tx.cat("实际值 ", vs, " 已达到目标 ", f.cmp_zh[i], xs, " / actual ", vs, " meets the target ", f.cmp_[i],
                        " ", xs)  # fmt: skip
    if (i := np.flatnonzero(case == 4)).size:
        vs, bs, t0y = f.n("v", i), f.n("b", i), f.n("t0", i)
        out[i] = tx.cat("实际值 ", vs, " 较基期值 ", bs, "（", t0y, "年）反向变化，背离目标 / actual ", vs,
                        " moved away from the target relative to the baseline ", bs, " (", t0y, ")")  # fmt: skip
    if not (i := np.flatnonzero(case >= 5)).size:
        return out
    sub = case[i]
    vs, es, sp = f.n("v", i), tx.fmt_n(expected[i]), tx.fmt_pct(shortfall[i])
    p = path[i]
    has_path = p != ""
    where = tx.strings(np.where(has_path, _lookup(p, {k: f"（{z}）" for k, z in _PATH_ZH.items()}), ""))
    unknown = has_path & ~np.isin(p, list(_PATH_ZH))
    if unknown.any():  # a path name without a Chinese text is quoted as it is
        where[unknown] = tx.strings([f"（{s}）" for s in p[unknown]])
    where_en = tx.strings(np.where(has_path, tx.cat(" (", tx.strings(p), ")").astype(object), ""))
    worse_zh, worse_en = f.pick(i, "低于", "高于"), f.pick(i, "below", "above")
    warn_s, severe_s = _pct(warn, 0), _pct(severe, 0)
    lagging = [
        (sub == 5, f"，超过 {severe_s}（严重滞后阈值） / ", f", beyond the {severe_s} severe threshold"),
        (sub == 6, f"，超过 {warn_s}（预警阈值） / ", f", beyond the {warn_s} warning threshold"),
        (
            (sub == 7) & ~(shortfall[i] <= 0),
            f"，在 {warn_s} 预警阈值以内 / ",
            f", within the {warn_s} warning threshold",
        ),
    ]
    sel = np.empty(len(i), dtype=tx.S)
    for rows, zh, en in lagging:
        if rows.any():
            sel[rows] = tx.cat("实际值 ", vs[rows], " ", worse_zh[rows], "预期路径值 ", es[rows], where[rows], " ", sp[rows], zh,
                               "actual ", vs[rows], " is ", sp[rows], " ", worse_en[rows], " the expected path value ",
                               es[rows], where_en[rows], en)  # fmt: skip
    if (on := (sub == 7) & (shortfall[i] <= 0)).any():
        better_zh, better_en = f.pick(i[on], "不低于", "不高于"), f.pick(i[on], "on or above", "on or below")
        sel[on] = tx.cat("实际值 ", vs[on], " ", better_zh, "预期路径值 ", es[on], where[on], " / actual ", vs[on], " is ",
                         better_en, " the expected path value ", es[on], where_en[on])  # fmt: skip
    out[i] = sel
    return out


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
