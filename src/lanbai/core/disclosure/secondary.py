"""Secondary (complementary) suppression: hide enough other cells that no confidential cell can be
computed from the published ones and the totals (an earlier release: see :mod:`.releases`).

Method (deterministic; ties always in table order):

0. Complete 2-D tables with one total per dimension (zones × indicators with 4区合计 and 合计):
   the cheapest cycle of hidden cells through each confidential cell, by shortest paths on the
   row/column graph (:func:`_shortest_path_pattern`; Castro's heuristic, the rectangles of the
   hypercube method).  Other tables start with every cell hidden.
1. Go through the hidden cells that are not confidential from the most to the least costly to
   hide (totals first, then by descending value) and publish each one unless that would let some
   confidential cell be computed exactly from the published cells and the additivity of the
   table (after GaussSuppression, Langsrud, Statistics Norway).  "Computed exactly" is linear
   algebra: the cell's unit vector lies in the row space of the constraints restricted to the
   hidden cells (tested on the null space of that matrix, by SVD).  Afterwards every complement
   is needed: none can be published alone.
2. Audit with bounds (:mod:`.audit`): non-negativity may still pin a cell (hidden cells summing
   to zero), and ``protection_pct`` may ask for a wider interval.  While a confidential cell
   fails, hide the cheapest published cell that shares a total with it.

Not a proven minimum-cost pattern (that needs a mixed-integer program, τ-Argus' optimal method);
around a single confidential cell of a 2-D table it is the cheapest 2×2 rectangle.
"""

from __future__ import annotations

import heapq
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
    method: str = "auto",
    singletons: pd.Series | None = None,
) -> pd.Series:
    """Boolean Series named ``suppressed`` (indexed like ``table``): the primary cells and their complements.

    ``cost`` (optional, indexed like ``table``) is the price of hiding each cell; by default a
    cell's absolute value, empty (zero) cells cost more than any other inner cell (an intruder may
    know a cell is empty) and a total more than all inner cells together (hidden only when nothing
    else protects; then the smallest total).
    ``method``: ``"path"`` (complete 2-D table with one total per dimension: the cheapest cycle
    through each confidential cell), ``"gauss"`` (any table: greedy publishing), ``"auto"``
    (path where it applies, else gauss).  ``lower_bound``/``upper_bound``: what the intruder knows
    of any cell (default non-negative).  ``singletons`` (boolean, indexed like ``table``; e.g.
    ``assess_cells(...)["contributors"] == 1``): cells whose sole enterprise knows their value; the
    pattern then also holds against each of them (two singletons never protect only each other).
    """
    rules = (rules or DEFAULT_RULES).replace(protection_pct=protection_pct)
    structure, values = _prepare(table, keys=keys, value=value, totals=totals, hierarchies=hierarchies)
    forced = _mask(primary, table)
    costs = _costs(table, structure, values, cost)
    if method not in ("auto", "path", "gauss"):
        raise DisclosureError(f"unknown method {method!r} (auto, path or gauss)")
    start = None
    if method in ("auto", "path"):
        start = _shortest_path_pattern(table, structure, values, forced, costs)
        if start is None and method == "path":
            raise DisclosureError("the path method needs a complete 2-D table with one total per dimension")
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
        start=start,
        singletons=None if singletons is None else _mask(singletons, table),
    )
    return pd.Series(hidden, index=table.index, name="suppressed")


# --- the engine ----------------------------------------------------------------------------


def _prepare(
    table: pd.DataFrame,
    *,
    keys: Sequence[str],
    value: str,
    totals: Mapping[str, str] | None,
    hierarchies: Hierarchies | None,
) -> tuple[TableStructure, np.ndarray]:
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


def _costs(
    table: pd.DataFrame, structure: TableStructure, values: np.ndarray, cost: pd.Series | None
) -> np.ndarray:
    if cost is not None:
        return pd.to_numeric(cost.reindex(table.index), errors="raise").to_numpy(dtype=float)
    out = np.abs(values)
    total = structure.total_cells(table)
    top = out.max() if len(out) else 0.0
    out = np.where(values == 0, top + 1.0, out)
    # a total costs more than all inner cells together, and among totals the smaller one is cheaper
    return np.where(total, out[~total].sum() + 1.0 + np.abs(values), out)


def _null_space(matrix: np.ndarray, hidden: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The hidden columns and an orthonormal basis (rows) of the null space of the constraints on them."""
    cols = np.flatnonzero(hidden)
    if not len(cols):
        return cols, np.zeros((0, 0))
    sub = matrix[:, cols]
    sub = sub[np.any(sub != 0, axis=1)]
    if not len(sub):
        return cols, np.eye(len(cols))
    _, s, vt = np.linalg.svd(sub, full_matrices=True)
    rank = int(np.sum(s > max(sub.shape) * np.finfo(float).eps * (s[0] if len(s) else 1.0)))
    return cols, vt[rank:]


def determined(matrix: np.ndarray, hidden: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Which ``targets`` (a boolean mask, hidden cells) the published cells determine exactly,
    ignoring bounds: those whose coordinate vanishes on the null space of the hidden columns."""
    out = np.zeros(len(hidden), dtype=bool)
    cols, null = _null_space(matrix, hidden)
    if not len(cols):
        return out
    norms = np.linalg.norm(null, axis=0) if len(null) else np.zeros(len(cols))
    out[cols] = norms < _NULL_TOL
    result: np.ndarray = out & targets
    return result


def _movable(
    matrix: np.ndarray,
    values: np.ndarray,
    hidden: np.ndarray,
    targets: np.ndarray,
    lower_bound: float | None,
    upper_bound: float | None,
) -> np.ndarray:
    """Targets proven not exact without an LP: moving along the projection of the target's unit
    vector on the null space changes it and keeps every moved cell strictly inside its bounds."""
    out = np.zeros(len(hidden), dtype=bool)
    cols, null = _null_space(matrix, hidden)
    if not len(cols) or not len(null):
        return out
    lo = -np.inf if lower_bound is None else lower_bound
    hi = np.inf if upper_bound is None else upper_bound
    inside = (values[cols] > lo + 1e-9) & (values[cols] < hi - 1e-9)
    for pos, cell in enumerate(cols):
        if not targets[cell]:
            continue
        direction = null.T @ null[:, pos]
        if direction[pos] < _NULL_TOL:
            continue
        moved = np.abs(direction) > _NULL_TOL
        out[cell] = bool(np.all(inside[moved]))
    return out


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
    start: np.ndarray | None = None,
    singletons: np.ndarray | None = None,
) -> np.ndarray:
    # Intruders: the public, and the sole enterprise of each single-contributor cell, who knows
    # that cell's value (the Handbook's singleton problem).  Each is one scenario of known cells.
    scenarios = [np.zeros(len(values), dtype=bool)]
    for cell in np.flatnonzero(singletons if singletons is not None else []):
        known = np.zeros(len(values), dtype=bool)
        known[cell] = True
        scenarios.append(known)
    # per scenario, the cells to protect; a cell the structure alone fixes (a total without parts
    # is 0; a one-child total its singleton child knows) cannot be protected and is left out
    guarded = [
        protect & ~known & ~determined(matrix, ~fixed_published & ~known, protect & ~known)
        for known in scenarios
    ]
    if not any(g.any() for g in guarded):
        nothing_to_guard: np.ndarray = forced & ~fixed_published
        return nothing_to_guard

    def exposed(hidden: np.ndarray) -> bool:
        return any(
            determined(matrix, hidden & ~known, g).any() for known, g in zip(scenarios, guarded, strict=True)
        )

    # 1. publish greedily, most costly to hide first (stable: ties keep table order); from a
    #    shortest-path pattern this only drops complements that turned out unnecessary
    hidden = ~fixed_published if start is None else (start | forced) & ~fixed_published
    if start is not None and exposed(hidden):  # the paths ignore singletons: start from all hidden
        hidden = ~fixed_published
    for i in np.argsort(-cost, kind="stable"):
        if forced[i] or fixed_published[i] or not hidden[i]:
            continue
        hidden[i] = False
        if exposed(hidden):
            hidden[i] = True
    # 2. audit with bounds and the protection level; hide more where a protected cell still fails
    while True:
        target = _first_failing(matrix, values, hidden, scenarios, guarded, rules, lower_bound, upper_bound)
        if target is None:
            return hidden
        candidates = ~hidden & ~fixed_published
        near = candidates & np.any(matrix[matrix[:, target] != 0] != 0, axis=0)
        pool = np.flatnonzero(near if near.any() else candidates)
        if not len(pool):
            raise DisclosureError("no cell left to hide: the confidential cells cannot be protected")
        hidden[pool[np.argsort(cost[pool], kind="stable")[0]]] = True


def _first_failing(
    matrix: np.ndarray,
    values: np.ndarray,
    hidden: np.ndarray,
    scenarios: list[np.ndarray],
    guarded: list[np.ndarray],
    rules: DisclosureRules,
    lower_bound: float | None,
    upper_bound: float | None,
) -> int | None:
    """The first protected cell some intruder pins down (or narrows below the protection level)."""
    pct = rules.protection_pct / 100.0
    margin = pct * np.abs(values)
    tol = 1e-7 * np.maximum(np.abs(values), 1.0)
    for known, guard in zip(scenarios, guarded, strict=True):
        shown_hidden = hidden & ~known
        # without a protection level, most cells are proven safe by one null-space direction
        ask = guard & shown_hidden
        if pct == 0:
            ask &= ~_movable(matrix, values, shown_hidden, guard, lower_bound, upper_bound)
        if not ask.any():
            continue
        lo, hi = intervals(
            matrix, values, shown_hidden, lower_bound=lower_bound, upper_bound=upper_bound, only=ask
        )
        weak = degenerate(lo, hi, values) | (lo > values - margin + tol) | (hi < values + margin - tol)
        failing = np.flatnonzero(ask & weak)
        if len(failing):
            return int(failing[0])
    return None


def _shortest_path_pattern(
    table: pd.DataFrame, structure: TableStructure, values: np.ndarray, forced: np.ndarray, cost: np.ndarray
) -> np.ndarray | None:
    """Complements for a complete 2-D table with one total per dimension, or None if it is not one.

    Rows and columns (totals included) are the nodes of a bipartite graph and every cell is an
    edge; with the margins the table's cells balance at every node, so a hidden cell cannot be
    computed exactly (algebraically) iff it lies on a cycle of hidden cells.  For each confidential
    cell not yet on one, the cheapest path between its row and its column (cells already hidden
    cost 0, totals more than all inner cells together) closes the cheapest such cycle: a single
    confidential cell gets the cheapest 2×2 rectangle (the shortest-path heuristic of Castro for
    two-dimensional tables; the hypercube method of τ-Argus builds the same rectangles).
    """
    if len(structure.keys) != 2:
        return None
    dims = structure.keys
    for dim in dims:
        tree = structure.hierarchies.get(dim, {})
        if len(tree) != 1 or any(c in tree for c in next(iter(tree.values()))):
            return None
    rows = table[dims[0]].astype(str).to_numpy()
    cols = table[dims[1]].astype(str).to_numpy()
    row_codes, col_codes = sorted(set(rows)), sorted(set(cols))
    if len(table) != len(row_codes) * len(col_codes):
        return None  # missing cells: not the bipartite structure
    n_rows = len(row_codes)
    r_index = {c: i for i, c in enumerate(row_codes)}
    c_index = {c: n_rows + i for i, c in enumerate(col_codes)}
    ends = [(r_index[r], c_index[c]) for r, c in zip(rows, cols, strict=True)]
    finite = cost[np.isfinite(cost)]
    big = float(finite.sum() + 1.0) if len(finite) else 1.0
    weight = np.where(np.isfinite(cost), cost, big)
    adjacency: dict[int, list[tuple[int, int]]] = {}
    for cell, (a, b) in enumerate(ends):
        adjacency.setdefault(a, []).append((b, cell))
        adjacency.setdefault(b, []).append((a, cell))
    hidden = forced.copy()
    # the largest confidential cells first (they are the hardest to cover); ties in table order
    for target in sorted(np.flatnonzero(forced), key=lambda i: (-abs(values[i]), i)):
        path = _cheapest_path(adjacency, ends[target], int(target), np.where(hidden, 0.0, weight))
        if path is None:
            return None
        hidden[path] = True
    return hidden


def _cheapest_path(
    adjacency: dict[int, list[tuple[int, int]]], ends: tuple[int, int], skip: int, weight: np.ndarray
) -> list[int] | None:
    """Dijkstra from one end of cell ``skip`` to the other without it; the cells on the path."""
    source, sink = ends
    best = {source: 0.0}
    back: dict[int, tuple[int, int]] = {}
    heap = [(0.0, source)]
    done: set[int] = set()
    while heap:
        dist, node = heapq.heappop(heap)
        if node in done:
            continue
        done.add(node)
        if node == sink:
            break
        for other, cell in adjacency[node]:
            if cell == skip or other in done:
                continue
            d = dist + weight[cell]
            if d < best.get(other, np.inf):
                best[other] = d
                back[other] = (node, cell)
                heapq.heappush(heap, (d, other))
    if sink not in done:
        return None
    cells, node = [], sink
    while node != source:
        node, cell = back[node]
        cells.append(cell)
    return cells
