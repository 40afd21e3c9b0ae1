"""Small hand-made tables for the disclosure-control tests."""

from __future__ import annotations

import numpy as np
import pandas as pd

KEYS = ["row", "col"]
TOTALS = {"row": "T", "col": "T"}


def with_margins(inner, rows=None, cols=None, total="T") -> pd.DataFrame:
    """A 2-D table (rows × cols, inner values given) with row, column and grand totals, in long form."""
    inner = np.asarray(inner, dtype=float)
    rows = rows or [f"r{i + 1}" for i in range(inner.shape[0])]
    cols = cols or [f"c{j + 1}" for j in range(inner.shape[1])]
    out = []
    for i, r in enumerate([*rows, total]):
        for j, c in enumerate([*cols, total]):
            if r == total and c == total:
                v = inner.sum()
            elif r == total:
                v = inner[:, j].sum()
            elif c == total:
                v = inner[i].sum()
            else:
                v = inner[i, j]
            out.append((r, c, v))
    return pd.DataFrame(out, columns=["row", "col", "value"])


def mask(table: pd.DataFrame, *cells: tuple[str, str]) -> pd.Series:
    """Boolean Series true at the given (row, col) cells."""
    keys = list(zip(table["row"], table["col"], strict=True))
    return pd.Series([k in set(cells) for k in keys], index=table.index)


def cells_of(table: pd.DataFrame, flags: pd.Series) -> set[tuple[str, str]]:
    sub = table[flags.to_numpy(dtype=bool)]
    return set(zip(sub["row"], sub["col"], strict=True))
