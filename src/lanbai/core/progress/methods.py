"""Published progress methods, vectorised (docs/monitoring.md §2–§4).

* Eurostat, indicators with a quantitative target: ratio ``RR = CAGR_actual / CAGR_required``,
  thresholds 95 % / 60 % / 0 %.
* Eurostat, indicators without a target: the actual CAGR (sign-adjusted for the desired
  direction) against +1 % / 0 % / −1 %.
* UN ESCAP anticipated progress: the observed CAGR extrapolated to the target year, and the ratio
  of anticipated to required progress.

* Open SDG (Statistics Canada): the same ratio written ``d · CAGR_actual / |CAGR_required|``, used
  where the baseline already satisfies the target (:func:`open_sdg_ratio`).

Each function returns plain arrays; the case analysis (missing values, target met, no elapsed
time, …) is done by :mod:`lanbai.core.progress.assess`.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# --- category names ---------------------------------------------------------------------------
# Eurostat's published names say "the EU target"; the platform's targets are the plan's, so
# "EU" is dropped (docs/monitoring.md §2).
EU_SIGNIFICANT = "significant progress towards the target"
EU_MODERATE = "moderate progress towards the target"
EU_INSUFFICIENT = "insufficient progress towards the target"
EU_AWAY = "movement away from the target"
# Indicators without a quantitative target ("… towards / away from SD objectives").
EU_TREND_SIGNIFICANT = "significant progress"
EU_TREND_MODERATE = "moderate progress"
EU_TREND_MODERATE_AWAY = "moderate movement away"
EU_TREND_SIGNIFICANT_AWAY = "significant movement away"
# UN ESCAP dashboard categories.
ESCAP_ON_TRACK = "on track (maintain progress)"
ESCAP_ACCELERATE = "need to accelerate"
ESCAP_REGRESSING = "regressing (reverse trend)"
# Shared.
TARGET_MET = "target met"
NA_MISSING = "not assessable: missing value"
NA_NO_TIME = "not assessable: no elapsed time"
NA_BASELINE = "not assessable: baseline ≤ 0"
NA_NEGATIVE = "not assessable: negative value"
NA_NO_TARGET = "not assessable: no target"
PATH_ON_TRACK = "on or above the expected path"
PATH_WARNING = "below the expected path (warning)"
PATH_SEVERE = "severely lagging"

CATEGORY_ZH = {
    EU_SIGNIFICANT: "显著进展",
    EU_MODERATE: "中等进展",
    EU_INSUFFICIENT: "进展不足",
    EU_AWAY: "背离目标",
    EU_TREND_SIGNIFICANT: "显著进展（无目标）",
    EU_TREND_MODERATE: "中等进展（无目标）",
    EU_TREND_MODERATE_AWAY: "轻度背离（无目标）",
    EU_TREND_SIGNIFICANT_AWAY: "显著背离（无目标）",
    ESCAP_ON_TRACK: "按期可达（保持进度）",
    ESCAP_ACCELERATE: "需加快进度",
    ESCAP_REGRESSING: "倒退（需扭转趋势）",
    TARGET_MET: "已达标",
    NA_MISSING: "无法评估：数据缺失",
    NA_NO_TIME: "无法评估：报告期不晚于基期",
    NA_BASELINE: "无法评估：基期值≤0",
    NA_NEGATIVE: "无法评估：存在负值",
    NA_NO_TARGET: "无法评估：无目标值",
    PATH_ON_TRACK: "达到或优于预期路径",
    PATH_WARNING: "低于预期路径（预警）",
    PATH_SEVERE: "严重滞后",
}

# --- thresholds as published ------------------------------------------------------------------
EUROSTAT_TARGET_THRESHOLDS = (0.95, 0.60, 0.0)  # RR ≥ 95 % | 60 % ≤ RR < 95 % | 0 % ≤ RR < 60 % | < 0
EUROSTAT_TREND_THRESHOLDS = (0.01, 0.0, -0.01)  # CAGR > 1 % | 0–1 % | −1 %–0 % | < −1 %
ESCAP_THRESHOLDS = (1.0, 0.0)  # anticipated/required ≥ 1 | 0 ≤ … < 1 | < 0


def _f(x: npt.ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=float)


def cagr(v0: npt.ArrayLike, v1: npt.ArrayLike, years: npt.ArrayLike) -> np.ndarray:
    """Compound annual growth rate ``(v1 / v0) ** (1 / years) − 1``.

    NaN (never an exception) where it is undefined: ``v0 ≤ 0``, ``v1 < 0`` or ``years ≤ 0``.
    """
    v0, v1, n = np.broadcast_arrays(_f(v0), _f(v1), _f(years))
    ok = (v0 > 0) & (v1 >= 0) & (n > 0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        out = np.power(np.where(ok, v1 / np.where(ok, v0, 1.0), 1.0), 1.0 / np.where(ok, n, 1.0)) - 1.0
    return np.where(ok, out, np.nan)


def linear_rate(v0: npt.ArrayLike, v1: npt.ArrayLike, years: npt.ArrayLike) -> np.ndarray:
    """Average annual absolute change ``(v1 − v0) / years`` (fallback where CAGR is undefined)."""
    v0, v1, n = np.broadcast_arrays(_f(v0), _f(v1), _f(years))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (v1 - v0) / np.where(n > 0, n, 1.0), np.nan)


def eurostat_rates(
    base_year: npt.ArrayLike,
    base_value: npt.ArrayLike,
    current_year: npt.ArrayLike,
    current_value: npt.ArrayLike,
    target_year: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    linear: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Actual and required annual growth rates and ``RR = actual / required`` (Eurostat).

    ``linear`` is a boolean array selecting rows computed with :func:`linear_rate` instead of
    :func:`cagr` (the documented fallback for non-positive values).  RR is NaN where the required
    rate is 0.
    """
    t0, b, t, v, tt, x = (
        _f(a) for a in (base_year, base_value, current_year, current_value, target_year, target)
    )
    actual = cagr(b, v, t - t0)
    required = cagr(b, x, tt - t0)
    if linear is not None:
        lin = np.broadcast_to(np.asarray(linear, dtype=bool), actual.shape)
        actual = np.where(lin, linear_rate(b, v, t - t0), actual)
        required = np.where(lin, linear_rate(b, x, tt - t0), required)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(required != 0, actual / np.where(required != 0, required, 1.0), np.nan)
    return actual, required, ratio


def open_sdg_ratio(actual: npt.ArrayLike, required: npt.ArrayLike, direction_sign: npt.ArrayLike) -> np.ndarray:
    """Ratio of the observed to the required growth as Open SDG computes it,
    ``R = d · CAGR_observed / |CAGR_required|`` (NaN where the required rate is 0 or undefined).

    Source: open-sdg/sdg-build, ``sdg/ProgressMeasure.py``, ``SeriesProgress.methodology_2``
    (``self.sign * self.direction * cagr_o / abs(cagr_r)``; ``sign`` is +1 for the positive
    baselines assessed here), the progress measure Statistics Canada designed for Open SDG.  It
    equals ``actual / required`` whenever the target lies in the desired direction from the
    baseline; it differs only when the baseline already satisfies the target, where the required
    rate points the "wrong" way and the plain quotient would turn a movement away into progress.
    """
    a, q, d = np.broadcast_arrays(_f(actual), _f(required), _f(direction_sign))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(np.isfinite(q) & (q != 0), d * a / np.where(q != 0, np.abs(q), 1.0), np.nan)


def eurostat_category(ratio: npt.ArrayLike) -> np.ndarray:
    """Eurostat category for indicators with a target, from the ratio RR (NaN → empty string)."""
    r = _f(ratio)
    hi, mid, lo = EUROSTAT_TARGET_THRESHOLDS
    out = np.select(
        [r >= hi, r >= mid, r >= lo, r < lo],
        [EU_SIGNIFICANT, EU_MODERATE, EU_INSUFFICIENT, EU_AWAY],
        default="",
    )
    return out.astype(object)


def eurostat_trend_category(growth: npt.ArrayLike, direction_sign: npt.ArrayLike) -> np.ndarray:
    """Eurostat category for indicators without a target.

    ``growth`` is the actual CAGR; it is multiplied by ``direction_sign`` (+1 where higher is
    better, −1 where lower is better) before comparing with +1 % / 0 % / −1 %.
    """
    g = _f(growth) * _f(direction_sign)
    hi, zero, lo = EUROSTAT_TREND_THRESHOLDS
    out = np.select(
        [g > hi, g > zero, g >= lo, g < lo],
        [EU_TREND_SIGNIFICANT, EU_TREND_MODERATE, EU_TREND_MODERATE_AWAY, EU_TREND_SIGNIFICANT_AWAY],
        default="",
    )
    return out.astype(object)


def escap_anticipated(
    base_year: npt.ArrayLike,
    base_value: npt.ArrayLike,
    current_year: npt.ArrayLike,
    current_value: npt.ArrayLike,
    target_year: npt.ArrayLike,
    target: npt.ArrayLike,
    *,
    linear: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """UN ESCAP anticipated progress.

    The observed annual rate (CAGR, or the linear fallback where ``linear``) is extrapolated from
    the base year to the target year: ``A = B · (1 + CAGR) ** (T − t0)`` (linear: ``B + slope · (T −
    t0)``).  Returns ``(actual_rate, anticipated_value, ratio)`` with ``ratio = (A − B) / (X − B)``
    (anticipated progress over required progress; NaN where ``X = B``).
    """
    t0, b, t, v, tt, x = (
        _f(a) for a in (base_year, base_value, current_year, current_value, target_year, target)
    )
    rate = cagr(b, v, t - t0)
    with np.errstate(invalid="ignore", over="ignore"):
        anticipated = b * np.power(1.0 + rate, tt - t0)
    if linear is not None:
        lin = np.broadcast_to(np.asarray(linear, dtype=bool), rate.shape)
        slope = linear_rate(b, v, t - t0)
        rate = np.where(lin, slope, rate)
        anticipated = np.where(lin, b + slope * (tt - t0), anticipated)
    need = x - b
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(need != 0, (anticipated - b) / np.where(need != 0, need, 1.0), np.nan)
    return rate, anticipated, ratio


def escap_category(ratio: npt.ArrayLike) -> np.ndarray:
    """ESCAP dashboard category from anticipated/required progress (NaN → empty string)."""
    r = _f(ratio)
    on, zero = ESCAP_THRESHOLDS
    out = np.select(
        [r >= on, r >= zero, r < zero], [ESCAP_ON_TRACK, ESCAP_ACCELERATE, ESCAP_REGRESSING], default=""
    )
    return out.astype(object)
