"""Reading index data files: wide (``unit[, year]``, indicator columns) or long
(``unit[, year], indicator, value``) CSV/Excel.  COINr's ``uCode``/``Time`` column names are accepted."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .engine import IndexDataError

__all__ = ["read_data", "to_wide"]


def to_wide(df: pd.DataFrame) -> pd.DataFrame:
    """Normalise column names and pivot long data to wide (one row per unit[, year])."""
    df = df.copy()
    if "unit" not in df.columns and "uCode" in df.columns:
        df = df.rename(columns={"uCode": "unit"})
    if "unit" not in df.columns:
        raise IndexDataError("data: a 'unit' column is required / 数据缺少 unit 列")
    if {"indicator", "value"} <= set(df.columns):
        keys = ["unit", "year"] if "year" in df.columns else ["unit"]
        dup = df.duplicated(keys + ["indicator"])
        if dup.any():
            raise IndexDataError(
                f"long data: duplicate values for {df.loc[dup, keys + ['indicator']].head(5).to_dict('records')}"
            )
        wide = df.pivot(index=keys, columns="indicator", values="value").reset_index()
        wide.columns.name = None
        return wide
    return df


def read_data(path: str | Path) -> pd.DataFrame:
    """Read a CSV (UTF-8, BOM tolerated) or Excel file and return wide data."""
    path = Path(path)
    if not path.is_file():
        raise IndexDataError(f"data file {path} does not exist / 数据文件不存在")
    if path.suffix.lower() in (".xlsx", ".xls"):
        df = pd.read_excel(path)
    else:
        df = pd.read_csv(path, encoding="utf-8-sig")
    return to_wide(df)
