"""Aggregation functions over the last axis, batched over any leading axes, NaN-skipping.

``x`` has shape ``(..., k)`` and ``w`` broadcasts to it.  Missing values (NaN) are skipped and the
remaining weights re-normalised (as COINr's ``na.rm = TRUE``); a position where *every* child is
missing stays NaN and the engine reports it.  Geometric and harmonic means need strictly positive
values: a value <= 0 raises :class:`ValueError` naming the method (choose a normalisation such as
min-max on [1, 100]).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["AGGREGATORS", "aggregate"]

AGGREGATORS = ("arithmetic", "geometric", "harmonic", "mean_min", "mazziotta_pareto", "median")


def _prep(x: np.ndarray, w: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=float)
    w = np.broadcast_to(np.asarray(w, dtype=float), x.shape)
    ok = np.isfinite(x)
    wz = np.where(ok, w, 0.0)
    tot = wz.sum(axis=-1)
    return x, wz, tot


def _safe_div(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)


def aggregate(x: np.ndarray, w: np.ndarray, spec: Mapping[str, Any] | str = "arithmetic") -> np.ndarray:
    """Aggregate ``x`` (``(..., k)``) with weights ``w`` by ``spec['method']``; returns shape ``(...)``."""
    if isinstance(spec, str):
        spec = {"method": spec}
    method = spec.get("method", "arithmetic")
    x, wz, tot = _prep(x, w)
    xz = np.where(np.isfinite(x), x, 0.0)
    if method == "arithmetic":
        return _safe_div((wz * xz).sum(axis=-1), tot)
    if method in ("geometric", "harmonic"):
        if np.any((x <= 0) & (wz > 0)):
            raise ValueError(
                f"aggregate.method={method}: needs strictly positive values; "
                "use a normalisation without zeros (e.g. minmax on [1, 100]) / 几何与调和平均要求正值"
            )
        xp = np.where(np.isfinite(x) & (x > 0), x, 1.0)
        if method == "geometric":
            geo: np.ndarray = np.exp(_safe_div((wz * np.log(xp)).sum(axis=-1), tot))
            return geo
        return _safe_div(tot, (wz / xp).sum(axis=-1))
    if method == "mean_min":
        # Casadio Tarabusi & Guarini (2013): mean - alpha (sqrt((mean - min)^2 + beta^2) - beta)
        alpha, beta = float(spec.get("alpha", 0.5)), float(spec.get("beta", 1.0))
        if not 0 <= alpha <= 1 or beta < 0:
            raise ValueError("aggregate mean_min: alpha must be in [0, 1] and beta >= 0")
        m = _safe_div((wz * xz).sum(axis=-1), tot)
        mn = np.min(np.where(wz > 0, x, np.inf), axis=-1)
        penalised: np.ndarray = m - alpha * (np.sqrt((m - mn) ** 2 + beta**2) - beta)
        return penalised
    if method == "mazziotta_pareto":
        # MPI with negative penalty: M - S * cv, with M, S the (weighted) mean and sd over children
        m = _safe_div((wz * xz).sum(axis=-1), tot)
        var = _safe_div((wz * (xz - m[..., None]) ** 2).sum(axis=-1), tot)
        s = np.sqrt(np.maximum(var, 0.0))
        with np.errstate(invalid="ignore", divide="ignore"):
            cv = np.where(m != 0, s / np.where(m != 0, m, 1.0), 0.0)
        sign = -1.0 if spec.get("penalty", "negative") == "negative" else 1.0
        mpi: np.ndarray = m + sign * s * cv
        return mpi
    if method == "median":
        xs = np.where(wz > 0, x, np.nan)
        with np.errstate(all="ignore"):
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                return np.nanmedian(xs, axis=-1)
    raise ValueError(f"aggregate.method: unknown method {method!r}; choose one of {AGGREGATORS}")
