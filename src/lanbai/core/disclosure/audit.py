"""The protection audit: what an intruder can compute about each suppressed cell.

The intruder knows every published cell, the additivity of the table (:mod:`.structure`) and
that cells are not below ``lower_bound`` (0: enterprises' figures are non-negative) nor above
``upper_bound``.  For each suppressed cell two linear programs (scipy.optimize.linprog, HiGHS)
give its feasible interval [min, max]; a cell whose min equals its max is *recoverable* (the
audit of τ-Argus and of GaussSuppression's ComputeIntervals).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .rules import DisclosureError
from .structure import Hierarchies, check_additivity, table_structure

# two bounds closer than this (relative to the cell) are equal: the cell is recoverable
RECOVER_RTOL = 1e-7


def intervals(
    matrix: np.ndarray,
    values: np.ndarray,
    suppressed: np.ndarray,
    *,
    lower_bound: float | None = 0.0,
    upper_bound: float | None = None,
    only: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Feasible [lower, upper] of every cell given the published ones (published: their value).

    ``only`` (boolean mask) limits the LPs to those hidden cells; the others get NaN bounds.
    """
    lower = values.astype(float).copy()
    upper = values.astype(float).copy()
    hidden = np.flatnonzero(suppressed)
    if not len(hidden):
        return lower, upper
    shown = np.flatnonzero(~suppressed)
    a_s = matrix[:, hidden]
    touching = np.any(a_s != 0, axis=1)
    a_eq = a_s[touching]
    b_eq = -(matrix[touching][:, shown] @ values[shown])
    bounds = [(lower_bound, upper_bound)] * len(hidden)
    for pos, cell in enumerate(hidden):
        if only is not None and not only[cell]:
            lower[cell] = upper[cell] = np.nan
            continue
        if not a_eq.size or not np.any(a_eq[:, pos]):
            lower[cell] = -np.inf if lower_bound is None else lower_bound
            upper[cell] = np.inf if upper_bound is None else upper_bound
            continue
        for sign, out in ((1.0, lower), (-1.0, upper)):
            c = np.zeros(len(hidden))
            c[pos] = sign
            res = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if res.status == 3:  # unbounded
                out[cell] = -np.inf * sign
            elif res.status == 0:
                out[cell] = res.x[pos]
            elif res.status == 2:
                raise DisclosureError(
                    "the published cells are inconsistent with the table's totals (LP infeasible)"
                )
            else:  # pragma: no cover - solver limits on tiny problems
                raise DisclosureError(f"the audit LP failed: {res.message}")
    return lower, upper


def degenerate(lower: np.ndarray, upper: np.ndarray, values: np.ndarray) -> np.ndarray:
    """True where the interval is a single point: the cell is known exactly."""
    with np.errstate(invalid="ignore"):
        exact: np.ndarray = (upper - lower) <= RECOVER_RTOL * np.maximum(np.abs(values), 1.0)
    return exact


def feasibility_intervals(
    table: pd.DataFrame,
    suppressed: pd.Series,
    *,
    keys: Sequence[str],
    value: str = "value",
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
    lower_bound: float | None = 0.0,
    upper_bound: float | None = None,
    only: pd.Series | None = None,
) -> pd.DataFrame:
    """For every cell: ``value``, ``suppressed``, ``lower``, ``upper`` and ``recoverable``.

    ``recoverable`` is true for a suppressed cell the intruder can compute exactly (published
    cells: their interval is their value and ``recoverable`` is false, there is nothing to recover).
    ``only`` (boolean, indexed like ``table``) audits just those hidden cells (others: NaN bounds).
    """
    structure = table_structure(table, keys=keys, totals=totals, hierarchies=hierarchies)
    values = pd.to_numeric(table[value], errors="raise").to_numpy(dtype=float)
    check_additivity(structure, values)
    mask = suppressed.reindex(table.index).fillna(False).to_numpy(dtype=bool)
    which = None if only is None else only.reindex(table.index).fillna(False).to_numpy(dtype=bool)
    lo, hi = intervals(
        structure.matrix, values, mask, lower_bound=lower_bound, upper_bound=upper_bound, only=which
    )
    return pd.DataFrame(
        {
            "value": values,
            "suppressed": mask,
            "lower": lo,
            "upper": hi,
            "recoverable": mask & degenerate(lo, hi, values),
        },
        index=table.index,
    )


def recoverable_cells(
    table: pd.DataFrame,
    suppressed: pd.Series,
    *,
    keys: Sequence[str],
    value: str = "value",
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
    lower_bound: float | None = 0.0,
    upper_bound: float | None = None,
    only: pd.Series | None = None,
) -> pd.Series:
    """Boolean Series: the suppressed cells an intruder can compute exactly (should be all False)."""
    return feasibility_intervals(
        table,
        suppressed,
        keys=keys,
        value=value,
        totals=totals,
        hierarchies=hierarchies,
        lower_bound=lower_bound,
        upper_bound=upper_bound,
        only=only,
    )["recoverable"].rename("recoverable")
