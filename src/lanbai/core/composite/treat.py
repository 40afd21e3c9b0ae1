"""Outlier treatment as in COINr's ``Treat``: winsorise while skew and kurtosis are both too high,
then fall back to a log transform.

Defaults follow COINr 1.1: an indicator *fails* when ``|skew| >= 2`` **and** ``kurtosis >= 3.5``
(sample skewness and excess kurtosis, type 2 of ``e1071``, as Excel).  A failing indicator is
winsorised one extreme at a time (the side given by the sign of the skew; tied extremes move together)
until it passes or ``winmax`` points have been winsorised; if it still fails, the *original* column is
log-transformed with COINr's ``log_CT``: ``log(x - min(x) + 0.01 (max(x) - min(x)))``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["TreatmentRecord", "kurt", "log_ct", "passes_skew_kurt", "skew", "treat_column", "winsorise"]


def skew(x: np.ndarray) -> float:
    """Sample skewness (e1071 type 2 / Excel SKEW) of the finite values of ``x``."""
    v = np.asarray(x, dtype=float)
    v = v[np.isfinite(v)]
    n = v.size
    if n < 3:
        raise ValueError(f"skew needs at least 3 finite values, got {n}")
    d = v - v.mean()
    s2 = np.sum(d**2)
    if s2 == 0:
        return 0.0
    y = np.sqrt(n) * np.sum(d**3) / s2**1.5
    return float(y * np.sqrt(n * (n - 1)) / (n - 2))


def kurt(x: np.ndarray) -> float:
    """Sample excess kurtosis (e1071 type 2 / Excel KURT) of the finite values of ``x``."""
    v = np.asarray(x, dtype=float)
    v = v[np.isfinite(v)]
    n = v.size
    if n < 4:
        raise ValueError(f"kurtosis needs at least 4 finite values, got {n}")
    d = v - v.mean()
    s2 = np.sum(d**2)
    if s2 == 0:
        return 0.0
    r = n * np.sum(d**4) / s2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def passes_skew_kurt(x: np.ndarray, *, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> bool:
    """COINr's ``check_SkewKurt``: passes when ``|skew| < skew_thresh`` or ``kurt < kurt_thresh``."""
    return bool(abs(skew(x)) < skew_thresh or kurt(x) < kurt_thresh)


def winsorise(
    x: np.ndarray, *, winmax: int = 5, skew_thresh: float = 2.0, kurt_thresh: float = 3.5
) -> tuple[np.ndarray, int, bool]:
    """Winsorise ``x`` (copy) as COINr does; returns (values, points winsorised, passes afterwards)."""
    v = np.array(x, dtype=float, copy=True)
    ok = np.isfinite(v)
    imax = np.zeros(0, dtype=int)
    imin = np.zeros(0, dtype=int)
    nwin = 0
    passing = passes_skew_kurt(v, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh)
    while not passing and nwin < winmax:
        fin = v[ok]
        if np.unique(fin).size < 3:
            break
        if skew(v) >= 0:
            imax = np.flatnonzero(ok & (v == fin.max()))
            rest = np.delete(v, imax)
            v[imax] = np.nanmax(rest[np.isfinite(rest)])
        else:
            imin = np.flatnonzero(ok & (v == fin.min()))
            rest = np.delete(v, imin)
            v[imin] = np.nanmin(rest[np.isfinite(rest)])
        # as COINr: the extreme group now includes the moved points, so this counts them cumulatively
        nwin = imax.size + imin.size
        passing = passes_skew_kurt(v, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh)
    return v, nwin, passing


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr ``log_CT``: ``log(x - min + 0.01 (max - min))`` over the finite values (NaN kept)."""
    v = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(v), np.nanmax(v)
    out: np.ndarray = np.log(v - lo + 0.01 * (hi - lo))
    return out


@dataclass(frozen=True)
class TreatmentRecord:
    """What happened to one indicator."""

    indicator: str
    skew_before: float
    kurt_before: float
    action: str  # "none" | "winsorised" | "log" | "skipped"
    points: int
    passes_after: bool


def treat_column(
    x: np.ndarray,
    code: str,
    *,
    winmax: int = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    log_fallback: bool = True,
) -> tuple[np.ndarray, TreatmentRecord]:
    """Treat one indicator column (returns a new array); columns with < 4 distinct finite values are skipped."""
    v = np.asarray(x, dtype=float)
    fin = v[np.isfinite(v)]
    if fin.size < 4 or np.unique(fin).size < 3:
        return v.copy(), TreatmentRecord(code, float("nan"), float("nan"), "skipped", 0, True)
    s0, k0 = skew(v), kurt(v)
    if abs(s0) < skew_thresh or k0 < kurt_thresh:
        return v.copy(), TreatmentRecord(code, s0, k0, "none", 0, True)
    w, n, ok = winsorise(v, winmax=winmax, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh)
    if ok or not log_fallback:
        return w, TreatmentRecord(code, s0, k0, "winsorised", n, ok)
    lg = log_ct(v)
    return lg, TreatmentRecord(
        code, s0, k0, "log", 0, passes_skew_kurt(lg, skew_thresh=skew_thresh, kurt_thresh=kurt_thresh)
    )
