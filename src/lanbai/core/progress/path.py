"""The expected path between a baseline and a target (docs/monitoring.md §1).

* geometric (constant annual growth rate) for levels and counts:
  ``E(t) = B · (X / B) ** ((t − t0) / (T − t0))``
* linear for shares and ratios: ``E(t) = B + (X − B) · (t − t0) / (T − t0)``
* an explicit annual target for year ``t`` (附件2–3) overrides both.

Policies (never silent): before the base year the path is undefined (NaN, reported as "no elapsed
time" by the callers); after the target year it stays at the target; a geometric path with a
non-positive baseline or target is undefined and the linear path is used instead (``path`` says so).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import numpy.typing as npt

KINDS = ("level", "count", "share", "ratio", "flow_total")
GEOMETRIC_KINDS = frozenset({"level", "count"})

PATH_GEOMETRIC = "geometric"
PATH_LINEAR = "linear"
PATH_LINEAR_FALLBACK = "linear (geometric undefined: value ≤ 0)"
PATH_TABLE = "annual target table"


def _f(x: npt.ArrayLike) -> np.ndarray:
    return np.asarray(x, dtype=float)


def expected_path(
    base_year: npt.ArrayLike,
    base_value: npt.ArrayLike,
    target_year: npt.ArrayLike,
    target: npt.ArrayLike,
    year: npt.ArrayLike,
    *,
    kind: npt.ArrayLike = "level",
    annual_target: npt.ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Expected value of an indicator in ``year`` on the way from baseline to target.

    All positional arguments are scalars or equal-length arrays; ``kind`` is one kind or an array
    of kinds (level, count → geometric; share, ratio, flow_total → linear).  ``annual_target`` is
    an array of the plan's explicit target for ``year`` (NaN where the plan gives none) and
    overrides the path where present.  Returns ``(expected, path)``: the values and, per row, the
    name of the path used.
    """
    kinds = np.asarray(kind, dtype=object)
    at = _f(np.nan if annual_target is None else annual_target)
    shape = np.broadcast_shapes(
        *(np.shape(v) for v in (base_year, base_value, target_year, target, year)), kinds.shape, at.shape
    )
    t0, b, tt, x, t = (
        np.broadcast_to(_f(v), shape) for v in (base_year, base_value, target_year, target, year)
    )
    kinds = np.broadcast_to(kinds, shape)
    bad = sorted({str(k) for k in np.unique(kinds.astype(str))} - set(KINDS))
    if bad:
        raise ValueError(f"kind: unknown value(s) {bad}; expected one of {list(KINDS)}")
    span = tt - t0
    if np.any(span[np.isfinite(span)] <= 0):
        raise ValueError("target_year must be after base_year (target_year − base_year > 0)")

    # Fraction of the span elapsed, clipped at the target year; NaN before the base year.
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.clip((t - t0) / span, None, 1.0)
    frac = np.where(t < t0, np.nan, frac)

    geometric = np.isin(kinds, list(GEOMETRIC_KINDS))
    geo_ok = geometric & (b > 0) & (x > 0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        geo = b * np.power(np.where(geo_ok, x / b, 1.0), frac)
        lin = b + (x - b) * frac
    expected = np.where(geo_ok, geo, lin)
    path = np.where(geo_ok, PATH_GEOMETRIC, np.where(geometric, PATH_LINEAR_FALLBACK, PATH_LINEAR)).astype(
        object
    )

    if annual_target is not None:
        has = np.isfinite(np.broadcast_to(at, shape))
        expected = np.where(has, np.broadcast_to(at, shape), expected)
        path = np.where(has, PATH_TABLE, path).astype(object)
    return expected, path


def lookup_annual_target(
    tables: Iterable[Mapping[int, float | None] | None], years: npt.ArrayLike
) -> np.ndarray:
    """Per row, the value of ``tables[i]`` (a mapping year → value, or None) for ``years[i]``.

    NaN where the row has no table, the year is not integral or the table leaves it empty.
    """
    years = _f(years)
    out = np.full(years.shape, np.nan)
    for i, (table, y) in enumerate(zip(tables, years.tolist(), strict=True)):
        if table and np.isfinite(y) and float(y).is_integer():
            if not isinstance(table, Mapping):
                raise ValueError(f"annual targets of row {i}: expected a mapping year → value")
            v = table.get(int(y))
            out[i] = np.nan if v is None else float(v)
    return out
