"""Normalisation of one indicator column (units or unit-years along the axis).

Every method returns a new float array with NaN kept where the input is NaN, and applies the
indicator's direction so that, afterwards, higher is always better.  A column whose scale is undefined
(constant under min-max or z-score, reference equal to the minimum, base value missing or zero) raises
:class:`DegenerateIndicator`; the engine then applies its documented ``on_constant`` policy.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["METHODS", "DegenerateIndicator", "normalise_column", "rank_min"]

METHODS = (
    "minmax",
    "zscore",
    "goalposts",
    "dist2target",
    "dist2ref",
    "dist2max",
    "fracmax",
    "rank",
    "percentile",
    "ratio_to_base",
    "none",
)


class DegenerateIndicator(ValueError):
    """The normalisation of this indicator is undefined (e.g. zero range)."""

    def __init__(self, code: str, reason: str):
        self.code = code
        self.reason = reason
        super().__init__(f"{code}: {reason}")


def rank_min(x: np.ndarray) -> np.ndarray:
    """Ascending 'sport' ranks (ties get the smallest rank), NaN kept; like R ``rank(ties='min')``."""
    x = np.asarray(x, dtype=float)
    return pd.Series(x).rank(method="min", ascending=True, na_option="keep").to_numpy()


def _range(v: np.ndarray, code: str, what: str) -> tuple[float, float]:
    fin = v[np.isfinite(v)]
    if fin.size == 0:
        raise DegenerateIndicator(code, "no data at all")
    lo, hi = float(fin.min()), float(fin.max())
    if hi == lo:
        raise DegenerateIndicator(code, f"constant indicator (value {lo:g}): {what} undefined")
    return lo, hi


def normalise_column(
    x: np.ndarray,
    spec: Mapping[str, Any],
    *,
    code: str = "?",
    direction: int = 1,
    target: float | None = None,
    units: np.ndarray | None = None,
    years: np.ndarray | None = None,
) -> np.ndarray:
    """Normalise one column according to ``spec`` (``{"method": ..., params}``); see docs/index.md."""
    method = spec.get("method", "minmax")
    v = np.asarray(x, dtype=float)
    d = int(direction)
    if method == "none":
        return v * d
    if method == "minmax":
        lo_t, hi_t = float(spec.get("lower", 0.0)), float(spec.get("upper", 100.0))
        w = v * d
        lo, hi = _range(w, code, "min-max")
        return (w - lo) / (hi - lo) * (hi_t - lo_t) + lo_t
    if method == "zscore":
        m, s = float(spec.get("mean", 0.0)), float(spec.get("sd", 1.0))
        w = v * d
        fin = w[np.isfinite(w)]
        if fin.size < 2 or np.std(fin) == 0:
            raise DegenerateIndicator(code, "constant indicator: z-score undefined (standard deviation 0)")
        z: np.ndarray = (w - fin.mean()) / np.std(fin, ddof=1) * s + m
        return z
    if method == "goalposts":
        if "min" not in spec or "max" not in spec:
            # a framework is checked when loaded; this guards specs passed at run time
            raise ValueError(f"{code}: normalise method 'goalposts' needs 'min' and 'max' (goalposts)")
        lo, hi = float(spec["min"]), float(spec["max"])
        scale = float(spec.get("scale", 1.0))
        w = v
        if spec.get("log", False):
            if lo <= 0 or np.nanmin(v) <= 0:
                raise DegenerateIndicator(code, "goalposts with log need positive bounds and values")
            w, lo, hi = np.log(v), np.log(lo), np.log(hi)
        if hi == lo:
            raise DegenerateIndicator(code, "goalposts min == max")
        y = (w - lo) / (hi - lo) if d == 1 else (hi - w) / (hi - lo)
        if spec.get("truncate", True):
            y = np.clip(y, 0.0, 1.0)
        return y * scale
    if method in ("dist2target", "dist2ref"):
        w = v * d
        if method == "dist2target":
            t = spec.get("target", target)
            if t is None or not np.isfinite(float(t)):
                raise DegenerateIndicator(code, "dist2target needs a target (spec 'target' or node 'target')")
            ref = float(t) * d
        else:
            if units is None or "unit" not in spec:
                raise DegenerateIndicator(code, "dist2ref needs 'unit' (the reference unit code)")
            sel = np.flatnonzero(np.asarray(units) == spec["unit"])
            if sel.size == 0 or not np.isfinite(w[sel]).any():
                raise DegenerateIndicator(code, f"reference unit {spec['unit']!r} has no value")
            ref = float(np.nanmean(w[sel]))
        lo = float(np.nanmin(w))
        if ref == lo:
            raise DegenerateIndicator(code, "reference equals the minimum: distance undefined")
        y = 1 - (ref - w) / (ref - lo)
        if spec.get("cap", False):
            y = np.minimum(y, 1.0)
        return y * float(spec.get("scale", 1.0))
    if method == "dist2max":
        w = v * d
        lo, hi = _range(w, code, "distance to maximum")
        return (1 - (hi - w) / (hi - lo)) * float(spec.get("scale", 1.0))
    if method == "fracmax":
        fin = v[np.isfinite(v)]
        if fin.size == 0 or np.any(fin <= 0):
            raise DegenerateIndicator(code, "fracmax needs strictly positive values")
        y = v / fin.max() if d == 1 else fin.min() / v
        scaled: np.ndarray = y * float(spec.get("scale", 1.0))
        return scaled
    if method == "rank":
        return rank_min(v * d)
    if method == "percentile":
        w = v * d
        n = int(np.isfinite(w).sum())
        if n < 2:
            raise DegenerateIndicator(code, "percentile rank needs at least 2 values")
        return (rank_min(w) - 1) / (n - 1) * float(spec.get("scale", 1.0))
    if method == "ratio_to_base":
        if units is None or years is None:
            raise DegenerateIndicator(code, "ratio_to_base needs unit and year for every row")
        base_year = spec.get("base_year")
        if base_year is None:
            raise DegenerateIndicator(code, "ratio_to_base needs base_year")
        units_a, years_a = np.asarray(units), np.asarray(years)
        is_base = years_a == base_year
        ref_unit = spec.get("reference", "own")
        if ref_unit == "own":
            base = pd.Series(np.where(is_base, v, np.nan)).groupby(units_a).transform("max").to_numpy()
        else:
            sel = is_base & (units_a == ref_unit)
            if not sel.any():
                raise DegenerateIndicator(code, f"reference unit {ref_unit!r} has no row in {base_year}")
            base = np.full(v.shape, float(v[sel][0]))
        bad = ~np.isfinite(base) | (base <= 0)
        if bad.any():
            which = sorted(set(units_a[bad].tolist()))
            raise DegenerateIndicator(code, f"base-year {base_year} value missing or <= 0 for {which}")
        scale = float(spec.get("scale", 100.0))
        with np.errstate(divide="ignore"):
            y = v / base if d == 1 else base / v
        if d == -1 and np.any(v[np.isfinite(v)] <= 0):
            raise DegenerateIndicator(code, "lower-is-better ratio needs strictly positive values")
        ratio: np.ndarray = y * scale
        return ratio
    raise ValueError(f"normalise.method: unknown method {method!r}; choose one of {METHODS}")
