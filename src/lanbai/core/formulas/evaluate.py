"""Vectorised evaluation of compiled formulas with DuckDB over a table of aggregated inputs."""

from __future__ import annotations

from collections.abc import Sequence

import duckdb
import pandas as pd

from .compile import FormulaSet, _lit, _q

NOT_COMPUTABLE = "无法计算"


def evaluation_sql(
    fset: FormulaSet, table: str, *, by: Sequence[str] = (), carry: Sequence[str] = (), rank: str | None = None
) -> str:
    """SQL computing every formula for every row of ``table``.

    ``table`` has one row per (unit, period[, by…]) with columns ``unit``, ``period``, ``pidx``
    (a quarter index: year × 4 + quarter − 1) and one column per input of ``fset``.  The result is
    long: unit, period, by…, indicator, category, value, unit_label, reason — ``reason`` is NULL
    exactly when ``value`` is not.  ``carry`` columns of ``table`` are passed through (after
    ``by``); ``rank`` names an extra integer column, the formula's position in (indicator,
    category) order, so that a large result can be sorted on integers.
    """
    keys = ["unit", "period", *by, *carry]
    order = sorted(fset.formulas.values(), key=lambda f: (f.spec.code, f.spec.category))
    ranks = {id(f): k for k, f in enumerate(order)}
    joins = []
    for s in sorted(fset.shifts):
        cond = " AND ".join(
            [
                f"w{s}.unit = w0.unit",
                f"w{s}.pidx = w0.pidx - {s}",
                *(f"w{s}.{_q(b)} = w0.{_q(b)}" for b in by),
            ]
        )
        joins.append(f"LEFT JOIN {table} AS w{s} ON {cond}")
    cols = [f"w0.{_q(k)}" for k in keys]
    parts = []
    for i, f in enumerate(fset.formulas.values()):
        cols.append(f"{f.value_sql} AS v{i}")
        cols.append(f"{f.reason_sql} AS r{i}")
        parts.append(
            f"SELECT {', '.join(_q(k) for k in keys)}, {_lit(f.spec.code)} AS indicator, "  # noqa: S608
            f"{_lit(f.spec.category)} AS category, "
            f"v{i} AS value, {_lit(f.spec.unit)} AS unit_label, "
            f"CASE WHEN v{i} IS NULL THEN coalesce(r{i}, {_lit(NOT_COMPUTABLE)}) END AS reason"
            + (f", {ranks[id(f)]} AS {_q(rank)}" if rank else "")
            + " FROM wide"
        )
    wide = f"SELECT {', '.join(cols)} FROM {table} AS w0 {' '.join(joins)}"  # noqa: S608
    return f"WITH wide AS ({wide})\n" + "\nUNION ALL\n".join(parts)  # noqa: S608


def evaluate(inputs: pd.DataFrame, fset: FormulaSet, *, by: Sequence[str] = ()) -> pd.DataFrame:
    """Evaluate every formula of ``fset`` for every row of the aggregated-input frame ``inputs``.

    ``inputs`` needs ``unit``, ``period`` (``'2018Q2'``), the ``by`` columns and one column per
    input (missing figures as NULL/NaN).  ``pidx`` is derived from ``period`` when absent.
    Returns the long frame described in :func:`evaluation_sql`.
    """
    missing = [c for c in ("unit", "period", *by, *fset.inputs) if c not in inputs.columns]
    if missing:
        raise ValueError(f"inputs: missing columns {missing} (需要的输入列缺失)")
    con = duckdb.connect()
    try:
        con.register("inputs_df", inputs)
        extra = "" if "pidx" in inputs.columns else ", " + PIDX_SQL.format(col="period") + " AS pidx"
        casts = ", ".join(f"CAST({_q(c)} AS DOUBLE) AS {_q(c)}" for c in fset.inputs)
        keep = ", ".join(
            _q(c) for c in ("unit", "period", *by, *(("pidx",) if "pidx" in inputs.columns else ()))
        )
        con.execute(f"CREATE TEMP TABLE inp AS SELECT {keep}{extra}, {casts} FROM inputs_df")  # noqa: S608
        return con.execute(evaluation_sql(fset, "inp", by=by)).df()
    finally:
        con.close()


# quarter index of a 'YYYYQn' text column
PIDX_SQL = "(CAST(substr({col}, 1, 4) AS INTEGER) * 4 + CAST(substr({col}, 6, 1) AS INTEGER) - 1)"
