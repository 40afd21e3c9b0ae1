"""Imputation of missing indicator values (rows = units or unit-years, columns = indicators).

Methods (COINr's ``Impute`` options that fit a yearly regional index):

* ``none``: keep missing values; aggregation skips them and re-normalises the weights (reported).
* ``mean`` / ``median``: the column mean/median over all rows.
* ``group_mean`` / ``group_median``: within the group given by ``group`` (a unit column, COINr
  ``i_mean_grp``); a group with no value for that column falls back to the overall statistic (reported).
* ``locf``: per unit over years, last observation carried forward, then first observation carried
  backward (panel data; other units' values are never used).
* ``interpolate``: per unit, linear in year between observed years, ends carried flat.

Every imputed cell is recorded in the returned mask.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["IMPUTERS", "impute"]

IMPUTERS = ("none", "mean", "median", "group_mean", "group_median", "locf", "interpolate")


def impute(
    X: pd.DataFrame,
    spec: Mapping[str, Any] | str,
    *,
    groups: pd.Series | None = None,
    units: pd.Series | None = None,
    years: pd.Series | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return (imputed copy of ``X``, boolean mask of imputed cells)."""
    if isinstance(spec, str):
        spec = {"method": spec}
    method = spec.get("method", "none")
    X = X.astype(float)
    missing = X.isna()
    if method == "none" or not missing.to_numpy().any():
        return X.copy(), pd.DataFrame(False, index=X.index, columns=X.columns)
    if method in ("mean", "median"):
        out = X.fillna(X.agg(method))
    elif method in ("group_mean", "group_median"):
        if groups is None:
            raise ValueError(f"impute.method={method}: needs impute.group, a group column of the data")
        stat = method.split("_")[1]
        g = pd.Series(np.asarray(groups), index=X.index)
        out = X.fillna(X.groupby(g).transform(stat)).fillna(X.agg(stat))
    elif method in ("locf", "interpolate"):
        if units is None or years is None:
            raise ValueError(f"impute.method={method}: needs a panel (unit and year columns)")
        u = pd.Series(np.asarray(units), index=X.index)
        order = np.lexsort((np.asarray(years, dtype=float), np.asarray(units).astype(str)))
        Xs = X.iloc[order]
        us = u.iloc[order]
        if method == "locf":
            out = Xs.groupby(us.to_numpy()).transform(lambda c: c.ffill().bfill())
        else:
            ys = pd.Series(np.asarray(years, dtype=float), index=X.index).iloc[order]

            def _interp(df: pd.DataFrame) -> pd.DataFrame:
                t = ys.loc[df.index].to_numpy()
                res = df.copy()
                for c in df.columns:
                    col = df[c].to_numpy()
                    ok = np.isfinite(col)
                    if ok.any():
                        res[c] = np.interp(t, t[ok], col[ok])
                return res

            out = Xs.groupby(us.to_numpy(), group_keys=False).apply(_interp)
        out = out.loc[X.index]
    else:
        raise ValueError(f"impute.method: unknown method {method!r}; choose one of {IMPUTERS}")
    return out, missing & out.notna()
