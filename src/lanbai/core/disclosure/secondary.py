"""Secondary (complementary) suppression: hide enough other cells that no confidential cell can be
computed from the published ones, the totals, or an earlier release of the same table.

Method (deterministic; after GaussSuppression, Langsrud 2024, and the audit of τ-Argus):

1. Start with every cell hidden.  Go through the cells that are not confidential from the most to
   the least costly to hide (totals first, then by descending value; ties in table order) and
   publish each one unless that would let some confidential cell be computed exactly from the
   published cells and the additivity of the table.  "Computed exactly" is linear algebra: the
   cell's unit vector lies in the row space of the constraints restricted to the hidden cells
   (tested on the null space of that matrix, by SVD).  What stays hidden besides the confidential
   cells are the complements, the cheap cells; each one is needed (none can be published alone).
2. Audit with bounds (:mod:`.audit`, one LP pair per hidden cell): non-negativity may still pin a
   cell (e.g. hidden cells summing to zero), and ``protection_pct`` may ask for a wider interval.
   While a confidential cell fails, hide the cheapest published cell that shares a total with it.

The result is an inclusion-minimal pattern after step 1, not a proven minimum-cost one (an exact
minimum needs a mixed-integer program, as in τ-Argus' optimal method); on the 2-D tables of this
platform it gives the classical 2×2 rectangle of smallest cost around a single confidential cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .audit import degenerate, intervals
from .rules import DEFAULT_RULES, DisclosureError, DisclosureRules
from .structure import Hierarchies, TableStructure, check_additivity, table_structure

_NULL_TOL = 1e-9


def secondary_suppression(
    table: pd.DataFrame,
    *,
    primary: pd.Series,
    keys: Sequence[str],
    value: str = "value",
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
    cost: pd.Series | None = None,
    rules: DisclosureRules | None = None,
    protection_pct: float | None = None,
    lower_bound: float | None = 0.0,
    upper_bound: float | None = None,
) -> pd.Series:
    """Boolean Series named ``suppressed`` (indexed like ``table``): the primary cells and their complements.

    ``cost`` (optional, indexed like ``table``) is the price of hiding each cell; by default a
    cell's absolute value, empty (zero) cells cost more than any other (an intruder may know a
    cell is empty) and totals cost most (hidden only when nothing else protects).
    """
    rules = (rules or DEFAULT_RULES).replace(protection_pct=protection_pct)
    structure, values = _prepare(table, keys=keys, value=value, totals=totals, hierarchies=hierarchies)
    forced = _mask(primary, table)
    costs = _costs(table, structure, values, cost)
    hidden = _protect(
        structure.matrix,
        values,
        forced=forced,
        protect=forced,
        fixed_published=np.zeros(len(table), dtype=bool),
        cost=costs,
        rules=rules,
        lower_bound=lower_bound,
        upper_bound=upper_bound,
    )
    return pd.Series(hidden, index=table.index, name="suppressed")


def suppress_across_releases(
    table: pd.DataFrame,
    *,
    primary: pd.Series,
    previous: pd.DataFrame,
    previous_suppressed: pd.Series,
    keys: Sequence[str],
    value: str = "value",
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
    cost: pd.Series | None = None,
    rules: DisclosureRules | None = None,
    protection_pct: float | None = None,
    lower_bound: float | None = 0.0,
    upper_bound: float | None = None,
) -> pd.Series:
    """Like :func:`secondary_suppression`, for a new release of a table already published.

    Rule: the intruder holds both releases.  A cell with the same keys and the same value in both
    is one unknown (the difference of the two releases is zero there), so the two tables are
    audited as one linked system.  Every cell hidden in ``previous`` that the previous release did
    not already give away stays protected, like the new primary cells: a cell hidden before is
    kept hidden now exactly when publishing it (alone or with the others published now) would
    reveal an earlier hidden value.  A cell whose value changed is a new unknown and may be
    published when the new release allows it.
    """
    rules = (rules or DEFAULT_RULES).replace(protection_pct=protection_pct)
    now_s, now_v = _prepare(table, keys=keys, value=value, totals=totals, hierarchies=hierarchies)
    prev_s, prev_v = _prepare(previous, keys=keys, value=value, totals=totals, hierarchies=hierarchies)
    n_prev, n_now = len(previous), len(table)
    prev_hidden = _mask(previous_suppressed, previous)

    # what the previous release alone already gives away is public: nothing left to protect there
    lo, hi = intervals(prev_s.matrix, prev_v, prev_hidden, lower_bound=lower_bound, upper_bound=upper_bound)
    prev_protect = prev_hidden & ~degenerate(lo, hi, prev_v)

    links = []
    now_pos = {t: i for i, t in enumerate(table[list(keys)].astype(str).itertuples(index=False, name=None))}
    for i, t in enumerate(previous[list(keys)].astype(str).itertuples(index=False, name=None)):
        j = now_pos.get(t)
        if j is not None and np.isclose(prev_v[i], now_v[j], rtol=1e-12, atol=0.0):
            row = np.zeros(n_prev + n_now)
            row[i], row[n_prev + j] = 1.0, -1.0
            links.append(row)
    blocks = [
        np.hstack([prev_s.matrix, np.zeros((len(prev_s.matrix), n_now))]),
        np.hstack([np.zeros((len(now_s.matrix), n_prev)), now_s.matrix]),
        *([np.vstack(links)] if links else []),
    ]
    matrix = np.vstack(blocks)
    values = np.concatenate([prev_v, now_v])
    now_primary = _mask(primary, table)
    forced = np.concatenate([prev_hidden, now_primary])
    protect = np.concatenate([prev_protect, now_primary])
    fixed_published = np.concatenate([~prev_hidden, np.zeros(n_now, dtype=bool)])
    costs = np.concatenate([np.full(n_prev, np.inf), _costs(table, now_s, now_v, cost)])
    hidden = _protect(
        matrix,
        values,
        forced=forced,
        protect=protect,
        fixed_published=fixed_published,
        cost=costs,
        rules=rules,
        lower_bound=lower_bound,
        upper_bound=upper_bound,
    )
    return pd.Series(hidden[n_prev:], index=table.index, name="suppressed")


# --- the engine ----------------------------------------------------------------------------


def _prepare(table, *, keys, value, totals, hierarchies) -> tuple[TableStructure, np.ndarray]:
    structure = table_structure(table, keys=keys, totals=totals, hierarchies=hierarchies)
    values = pd.to_numeric(table[value], errors="raise").to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        raise DisclosureError("every cell needs a finite value (hide missing cells before, or drop them)")
    check_additivity(structure, values)
    return structure, values


def _mask(series: pd.Series, table: pd.DataFrame) -> np.ndarray:
    if not series.index.equals(table.index):
        series = series.reindex(table.index)
    return series.fillna(False).to_numpy(dtype=bool)


def _costs(table: pd.DataFrame, structure: TableStructure, values: np.ndarray, cost: pd.Series | None) -> np.ndarray:
    if cost is not None:
        return pd.to_numeric(cost.reindex(table.index), errors="raise").to_numpy(dtype=float)
    out = np.abs(values)
    top = out.max() if len(out) else 0.0
    out = np.where(values == 0, top + 1.0, out)
    return np.where(structure.total_cells(table), np.inf, out)


def determined(matrix: np.ndarray, hidden: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Which ``targets`` (a boolean mask, hidden cells) the published cells determine exactly,
    ignoring bounds: those whose coordinate vanishes on the null space of the hidden columns."""
    cols = np.flatnonzero(hidden)
    out = np.zeros(len(hidden), dtype=bool)
    if not len(cols):
        return out
    sub = matrix[:, cols]
    sub = sub[np.any(sub != 0, axis=1)]
    if not len(sub):
        return out
    _, s, vt = np.linalg.svd(sub, full_matrices=True)
    rank = int(np.sum(s > max(sub.shape) * np.finfo(float).eps * (s[0] if len(s) else 1.0)))
    null = vt[rank:]  # rows: an orthonormal basis of the null space
    norms = np.linalg.norm(null, axis=0) if len(null) else np.zeros(len(cols))
    out[cols] = norms < _NULL_TOL
    return out & targets


def _protect(
    matrix: np.ndarray,
    values: np.ndarray,
    *,
    forced: np.ndarray,
    protect: np.ndarray,
    fixed_published: np.ndarray,
    cost: np.ndarray,
    rules: DisclosureRules,
    lower_bound: float | None,
    upper_bound: float | None,
) -> np.ndarray:
    hidden = ~fixed_published
    if not protect.any():
        return forced & ~fixed_published
    # 1. publish greedily, most costly to hide first (stable: ties keep table order)
    order = np.argsort(-cost, kind="stable")
    for i in order:
        if forced[i] or fixed_published[i]:
            continue
        hidden[i] = False
        if determined(matrix, hidden, protect).any():
            hidden[i] = True
    # 2. audit with bounds and the protection level; hide more where a protected cell still fails
    pct = rules.protection_pct / 100.0
    while True:
        lo, hi = intervals(matrix, values, hidden, lower_bound=lower_bound, upper_bound=upper_bound)
        margin = pct * np.abs(values)
        tol = 1e-7 * np.maximum(np.abs(values), 1.0)
        weak = degenerate(lo, hi, values) | (lo > values - margin + tol) | (hi < values + margin - tol)
        failing = np.flatnonzero(protect & weak)
        if not len(failing):
            return hidden
        target = failing[0]
        candidates = ~hidden & ~fixed_published
        near = candidates & np.any(matrix[matrix[:, target] != 0] != 0, axis=0)
        pool = np.flatnonzero(near if near.any() else candidates)
        if not len(pool):
            raise DisclosureError("no cell left to hide: the confidential cells cannot be protected")
        hidden[pool[np.argsort(cost[pool], kind="stable")[0]]] = True
