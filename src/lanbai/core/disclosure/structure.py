"""How the cells of a table add up: the linear constraints an intruder can use.

A table is a DataFrame with one row per cell: key columns (the dimensions, e.g. ``zone`` and
``industry``) and a value column.  Each dimension may have totals: ``totals={"zone": "4区合计"}``
says the cell with zone ``4区合计`` is the sum of every other zone's cell with the same other keys;
``hierarchies={"zone": {"合计": ["兰州市", "白银市"], "兰州市": ["兰州新区", "兰州高新区"]}}``
gives several levels (a parent is the sum of its children; a child may itself be a parent).
A cell missing from the table counts as an empty (zero) cell.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .rules import DisclosureError

Hierarchies = Mapping[str, Mapping[str, Sequence[str]]]


@dataclass(frozen=True)
class TableStructure:
    """The additivity of one table: ``matrix @ values == 0`` holds row by row (parent − children)."""

    keys: tuple[str, ...]
    hierarchies: dict[str, dict[str, tuple[str, ...]]]
    matrix: np.ndarray  # constraints × cells, entries +1 (parent), −1 (child), 0
    labels: tuple[str, ...]  # one readable name per constraint, for error messages

    def total_cells(self, table: pd.DataFrame) -> np.ndarray:
        """Boolean array: the cells that are a total (parent) in some dimension."""
        out = np.zeros(len(table), dtype=bool)
        for dim, tree in self.hierarchies.items():
            out |= table[dim].isin(list(tree)).to_numpy()
        return out

    def leaves(self, dim: str, code: str) -> list[str]:
        """The codes at the bottom of ``dim``'s hierarchy that ``code`` adds up (itself if a leaf)."""
        tree = self.hierarchies.get(dim, {})
        if code not in tree:
            return [code]
        out: list[str] = []
        for child in tree[code]:
            out.extend(self.leaves(dim, child))
        return out


def table_structure(
    table: pd.DataFrame,
    *,
    keys: Sequence[str],
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
) -> TableStructure:
    """Build the constraints of ``table`` from its totals and hierarchies (see the module docstring)."""
    keys = tuple(keys)
    missing = [k for k in keys if k not in table.columns]
    if missing:
        raise DisclosureError(f"key column(s) not in the table: {', '.join(missing)}")
    tuples = list(table[list(keys)].astype(str).itertuples(index=False, name=None))
    position = {t: i for i, t in enumerate(tuples)}
    if len(position) != len(tuples):
        dup = pd.Series(tuples).loc[pd.Series(tuples).duplicated()].iloc[0]
        raise DisclosureError(f"the table has two cells with the same keys {dup}")

    trees: dict[str, dict[str, tuple[str, ...]]] = {}
    for dim, tree in (hierarchies or {}).items():
        if dim not in keys:
            raise DisclosureError(f"hierarchy for {dim!r}, which is not a key column")
        trees[dim] = {str(p): tuple(str(c) for c in children) for p, children in tree.items()}
    for dim, label in (totals or {}).items():
        if dim not in keys:
            raise DisclosureError(f"total for {dim!r}, which is not a key column")
        label = str(label)
        if dim in trees:
            if label not in trees[dim]:
                raise DisclosureError(f"total {label!r} of {dim!r} is not a parent in its hierarchy")
            continue
        codes = sorted(set(table[dim].astype(str)) - {label})
        trees[dim] = {label: tuple(codes)}
    _check_acyclic(trees)

    rows: list[np.ndarray] = []
    labels: list[str] = []
    for d, dim in enumerate(keys):
        for parent, children in trees.get(dim, {}).items():
            for i, t in enumerate(tuples):
                if t[d] != parent:
                    continue
                row = np.zeros(len(tuples))
                row[i] = 1.0
                for child in children:
                    j = position.get(t[:d] + (child,) + t[d + 1 :])
                    if j is not None:
                        row[j] -= 1.0
                rows.append(row)
                labels.append(
                    f"{dim}: {parent} = {' + '.join(children)} at {dict(zip(keys, t, strict=True))}"
                )
    matrix = np.vstack(rows) if rows else np.zeros((0, len(tuples)))
    return TableStructure(keys=keys, hierarchies=trees, matrix=matrix, labels=tuple(labels))


def _check_acyclic(trees: dict[str, dict[str, tuple[str, ...]]]) -> None:
    for dim, tree in trees.items():
        done: set[str] = set()
        for start in tree:
            # iterative depth-first walk; a code met again on the current path is a cycle
            stack: list[tuple[str, list[str]]] = [(start, [start])]
            while stack:
                code, path = stack.pop()
                if code in done:
                    continue
                for child in tree.get(code, ()):
                    if child in path:
                        raise DisclosureError(f"the hierarchy of {dim!r} has a cycle through {child!r}")
                    if child in tree:
                        stack.append((child, [*path, child]))
            done.add(start)


def check_additivity(structure: TableStructure, values: np.ndarray, *, rtol: float = 1e-9) -> None:
    """Raise :class:`DisclosureError` naming the first total that is not the sum of its parts."""
    if not len(structure.matrix):
        return
    gaps = structure.matrix @ values
    scale = np.abs(structure.matrix) @ np.abs(values)
    bad = np.flatnonzero(np.abs(gaps) > rtol * np.maximum(scale, 1.0))
    if len(bad):
        i = bad[0]
        raise DisclosureError(f"the table is not additive: {structure.labels[i]} is off by {gaps[i]:g}")
