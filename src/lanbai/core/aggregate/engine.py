# ruff: noqa: S608 - SQL is assembled from validated identifiers and quoted literals only
"""Aggregation of reported figures along the effective-dated organisation tree, then formulas.

Everything is SQL over registered frames / tables; no per-row Python.  The statements are written
once, in DuckDB's dialect restricted to what Apache Spark SQL also means the same way (no
``QUALIFY``, ``EXCLUDE``, ``INSERT``, ``GROUP BY ALL``, interval arithmetic or list functions);
:mod:`lanbai.core.aggregate.spark` renders them to Spark SQL with sqlglot (docs/scale.md).

Inputs
------
``values``: long table of reported figures, one row per (org_unit, period, field, version):
    ``org_unit``, ``period`` ('2018Q2'), ``field``, ``value`` (DOUBLE; NULL for text fields),
    optional ``value_text`` (category / code / text fields), ``status`` ('approved' | 'submitted' |
    anything else, which never counts) and ``version`` (integer, higher = later).
``tree``: ``unit``, ``parent`` (NULL for a root), ``valid_from``, ``valid_to`` (NULL = open) and
    ``kind`` ('enterprise' for reporting enterprises; anything else is an organisation unit).  A unit
    may have several rows (a park moved between zones); enterprises are attributed to their park or
    zone by rows of the same table.
``aggregates`` (optional): ``unit``, ``member`` — units that are the sum of listed members (4区合计).

Policies
--------
* Status: only ``approved`` counts; ``preview=True`` also counts ``submitted``.  Of the eligible
  versions of one unit's report for one period, the highest ``version`` is used, whole.
* Attribution: a unit's figures for a period go to the parent valid on the period's last day, so a
  restructuring re-attributes nothing before it.  Overlapping links (two parents on one day) are
  refused with ValueError.  An enterprise without a valid parent on that day
  is not counted anywhere (``unattributed`` in :class:`AggregateResult` lists them).
* Sums: every figure is counted once, at each ancestor of the unit that reports it (the unit's own
  report included).  A sum over no reported figure is NULL (missing), not 0.  In a filtered sum
  (``sum(f where cond)``) an enterprise that reported ``f`` but fails ``cond`` contributes 0; one
  whose condition is unknown (it did not report the category / flag the condition reads) makes the
  filtered sum of every unit above it NaN in ``inputs`` — not computable (``无法分类``), never a
  silent under-count.
* Periods: flows are cumulative year to date (Q4 = the year), stocks are values at period end.  The
  ``quarter`` basis derives a single quarter per reporter as YTD(q) − YTD(q−1) of the same year
  for flows (NULL when the reporter lacks Q(q−1)); stocks are the same on both bases.  Aggregates of
  the quarter basis sum the reporters' single quarters.
* Fields of ``values`` that no input needs are ignored.  The work happens in temporary tables
  named ``agg_*`` of the connection (one aggregation at a time per connection).
* Formulas are applied after the sums (ratios recomputed from summed numerator and denominator).
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
import pandas as pd

from ..formulas.compile import NUMERIC_TYPES, FormulaSet, InputSpec, _lit, _q, pred_sql
from ..formulas.evaluate import PIDX_SQL, evaluation_sql
from ..formulas.nodes import Pred, PredCompare, PredField, walk

BASES = ("ytd", "quarter")
ENGINES = ("duckdb", "spark")
ENTERPRISE = "enterprise"


@dataclass
class AggregateResult:
    """``inputs``: one row per (unit, period, basis) with every aggregated input (wide) and the
    number of reporters counted; ``indicators``: long, one row per (unit, period, basis,
    indicator, category) with value, unit_label and reason; ``unattributed``: enterprise reports
    that had no valid parent on the period's last day; ``totals`` (only with ``keep_totals=True``):
    the wide totals of every period summed or taken from ``known_totals``, as an Arrow table, to be
    passed as ``known_totals`` to a later aggregation."""

    inputs: pd.DataFrame
    indicators: pd.DataFrame
    unattributed: pd.DataFrame
    totals: Any = None


class DuckDBBackend:
    """Runs the statements on a DuckDB connection (the default engine)."""

    name = "duckdb"

    def __init__(self, con: duckdb.DuckDBPyConnection):
        self.con = con
        self._registered: list[str] = []

    def register(self, name: str, obj: Any) -> str:
        if isinstance(obj, str):
            return obj
        self.con.register(name, obj)
        self._registered.append(name)
        return name

    def columns(self, table: str) -> list[str]:
        return [r[0] for r in self.con.execute(f"DESCRIBE SELECT * FROM {table}").fetchall()]

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return self.con.execute(sql).fetchall()

    def frame(self, sql: str, *, arrow: bool = False) -> Any:
        # through Arrow: for millions of rows with text columns several times faster than .df()
        table = self.con.sql(sql).to_arrow_table()
        return table if arrow else table.to_pandas()

    def close(self) -> None:
        for name in self._registered:
            with contextlib.suppress(Exception):  # not registered
                self.con.unregister(name)


def aggregate(
    values: Any,
    tree: Any,
    fset: FormulaSet,
    *,
    aggregates: Any = None,
    periods: Sequence[str] | None = None,
    preview: bool = False,
    basis: Sequence[str] = ("ytd",),
    include_enterprises: bool = False,
    all_fields: bool = True,
    con: duckdb.DuckDBPyConnection | None = None,
    spark: Any = None,
    arrow: bool = False,
    known_totals: Any = None,
    replace: Sequence[str] | None = None,
    keep_totals: bool = False,
    by_year: bool = False,
) -> AggregateResult:
    """Sum reported fields up the organisation tree and evaluate every formula of ``fset``.

    ``values``, ``tree`` and ``aggregates`` are pandas DataFrames, Arrow tables or names of tables
    in ``con`` (see the module docstring for their columns).  ``periods`` limits the output (all
    periods in ``values`` are used for ``prev`` / ``lag_year``).  ``basis`` is any of ``'ytd'``
    (cumulative, as reported) and ``'quarter'`` (single quarter).  ``include_enterprises`` adds a
    row per enterprise.  ``all_fields`` also sums every numeric field of the catalogue that no
    formula reads (as a column named by the field code).

    ``spark``: a SparkSession to run the same statements on instead of DuckDB (then names are
    temporary views / tables of that session); see :func:`run`.  ``arrow=True`` returns Arrow
    tables instead of pandas frames (NULL and NaN stay distinct).

    Incremental use (DuckDB only): ``known_totals`` is the ``totals`` of an earlier aggregation of
    the same formulas (``keep_totals=True`` returns them).  A period's totals depend only on that
    period's figures (attribution on its last day), so only the periods in ``replace`` (default:
    the periods of ``values``) are summed from ``values``; the other periods' totals are taken as
    they are, and the formulas read them for ``prev`` / ``lag_year``.  ``values`` then holds the
    figures of the ``replace`` periods, no other (on the quarter basis ``replace`` holds whole
    years: a single quarter reads its predecessor).  With ``periods``, the formulas are evaluated over the
    rows of those periods and the ones they look back to (``FormulaSet.shifts``) only.

    ``by_year=True`` (DuckDB only) sums one calendar year of ``values`` at a time: the totals of a
    period read only that period's figures and the single quarter only the same year's, so the
    result is the same, but the work tables (one wide row per report, twice with the quarter
    basis) hold one year instead of all of them — what keeps a national recompute inside memory
    and the spill inside the disk (docs/scale.md).  It costs a scan of ``values``' periods and one
    filtered read per year.
    """
    for option, used in (("known_totals", known_totals is not None), ("by_year", by_year)):
        if used and spark is not None:
            raise ValueError(f"{option}: DuckDB only")
    bad = [b for b in basis if b not in BASES]
    if bad or not basis:
        raise ValueError(f"basis: expected a non-empty subset of {BASES}, got {list(basis)}")
    own = con is None and spark is None
    if spark is not None:
        from .spark import SparkBackend

        backend: Any = SparkBackend(spark)
    else:
        con = con or duckdb.connect()
        backend = DuckDBBackend(con)
    try:
        return _aggregate(
            backend,
            values,
            tree,
            fset,
            aggregates=aggregates,
            periods=periods,
            preview=preview,
            basis=basis,
            include_enterprises=include_enterprises,
            all_fields=all_fields,
            arrow=arrow,
            known_totals=known_totals,
            replace=replace,
            keep_totals=keep_totals,
            by_year=by_year,
        )
    finally:
        backend.close()
        if own and con is not None:
            con.close()


def _aggregate(backend: Any, values: Any, tree: Any, fset: FormulaSet, *, aggregates: Any,
               periods: Sequence[str] | None, preview: bool, basis: Sequence[str],
               include_enterprises: bool, all_fields: bool, arrow: bool, known_totals: Any = None,
               replace: Sequence[str] | None = None, keep_totals: bool = False,
               by_year: bool = False) -> AggregateResult:  # fmt: skip
    for obj, param in ((values, "values"), (tree, "tree")):
        if obj is None:
            raise ValueError(f"{param}: a table is required")
    vt = backend.register("agg_values_in", values)
    tt = backend.register("agg_tree_in", tree)
    at = backend.register("agg_members_in", aggregates) if aggregates is not None else None
    _check_columns(backend, vt, ["org_unit", "period", "field", "value", "status", "version"], "values")
    _check_columns(backend, tt, ["unit", "parent", "valid_from", "valid_to", "kind"], "tree")
    if at:
        _check_columns(backend, at, ["unit", "member"], "aggregates")
    has_text = "value_text" in backend.columns(vt)

    def sum_up(source: str) -> None:
        for sql in build_sql(fset, source, tt, at, preview=preview, basis=basis, has_text=has_text,
                             include_enterprises=include_enterprises, all_fields=all_fields):
            backend.execute(sql)

    if by_year:
        _sum_by_year(backend, vt, sum_up, replace if known_totals is not None else None)
    else:
        sum_up(vt)
    overlaps = backend.rows(
        "SELECT unit, period, first_parent, last_parent FROM agg_overlaps ORDER BY unit, period LIMIT 5"
    )
    if overlaps:
        shown = "; ".join(f"{u} {p}: {a}, {b}" for u, p, a, b in overlaps)
        raise ValueError(
            f"tree: units with more than one parent on a period's last day（同一日期有多个上级）: {shown}"
        )
    keep = ""
    if periods is not None:
        keep = "WHERE period IN (" + ", ".join(_lit(str(p)) for p in periods) + ")"
    all_cols = backend.columns("agg_totals")
    looked_at = ""
    if known_totals is not None:
        # the stored totals of the periods not summed again, then the fresh ones of those that were
        kt = backend.register("agg_known_in", known_totals)
        _check_columns(backend, kt, all_cols, "known_totals")
        stale = list(replace) if replace is not None else [
            r[0] for r in backend.rows(f"SELECT DISTINCT period FROM {vt}")]
        drop = f"WHERE period NOT IN ({', '.join(_lit(str(p)) for p in stale)})" if stale else ""
        listed = ", ".join(_q(c) for c in all_cols)
        backend.execute(
            f"CREATE OR REPLACE TEMP TABLE agg_totals_all AS SELECT {listed} FROM {kt} {drop} "
            f"UNION ALL SELECT {listed} FROM agg_totals"
        )
        backend.execute("DROP TABLE agg_totals")
        backend.execute("ALTER TABLE agg_totals_all RENAME TO agg_totals")
        if periods is not None:  # the formulas of ``periods`` read these rows only
            wanted = sorted({_pidx(str(p)) - s for p in periods for s in {0, *fset.shifts}})
            looked_at = "WHERE pidx IN (" + ", ".join(str(i) for i in wanted) + ")" if wanted else "WHERE false"
    cols = ", ".join(_q(c) for c in all_cols if c != "pidx")
    inputs = backend.frame(f"SELECT {cols} FROM agg_totals {keep} ORDER BY basis, unit, period", arrow=arrow)
    # Sorted as ORDER BY basis, unit, period, indicator, category, but on two integers: the
    # position of the (basis, unit, period) row and of the formula (sorting millions of rows on
    # five text keys cost several times the evaluation itself).  Binary text order, as both engines.
    backend.execute(
        "CREATE OR REPLACE TEMP TABLE agg_totals_ord AS "
        f"SELECT *, row_number() OVER (ORDER BY basis, unit, period) AS ord_ FROM agg_totals {looked_at}"
    )
    ev = evaluation_sql(fset, "agg_totals_ord", by=["basis"], carry=["ord_"], rank="formula_ord_")
    ind = backend.frame(
        "SELECT unit, period, basis, indicator, category, value, unit_label, reason "
        f"FROM ({ev}) AS ev {keep} ORDER BY ord_, formula_ord_",
        arrow=arrow,
    )
    backend.execute("DROP TABLE agg_totals_ord")
    unattributed = backend.frame("SELECT * FROM agg_unattributed ORDER BY unit, period", arrow=arrow)
    totals = backend.frame("SELECT * FROM agg_totals", arrow=True) if keep_totals else None
    return AggregateResult(inputs, ind, unattributed, totals)


# what one year's summing leaves behind, kept year by year and put together after the last
_YEAR_RESULTS = ("agg_totals", "agg_overlaps", "agg_unattributed")


def _sum_by_year(backend: Any, values: str, sum_up: Any, periods: Sequence[str] | None) -> None:
    """Run ``sum_up`` on each calendar year of ``values`` (of ``periods`` when given), then leave
    the union of the years' results under the names a single run would have."""
    if periods is None:
        periods = [str(r[0]) for r in backend.rows(f"SELECT DISTINCT period FROM {values}")]
    years = sorted({str(p)[:4] for p in periods})
    if len(years) < 2:
        sum_up(values)
        return
    kinds = dict(backend.rows(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM {values})"))
    # compared as stored text, a year's rows are found from the files' min/max statistics alone
    col = "period" if kinds.get("period") == "VARCHAR" else "CAST(period AS VARCHAR)"
    for year in years:
        backend.execute(
            f"CREATE OR REPLACE TEMP VIEW agg_values_year AS SELECT * FROM {values} "
            f"WHERE {col} >= {_lit(year)} AND {col} < {_lit(str(int(year) + 1))}"
        )
        sum_up("agg_values_year")
        for name in _YEAR_RESULTS:  # (a year's table left by a run that failed goes first)
            backend.execute(f"DROP TABLE IF EXISTS {name}_{year}")
            backend.execute(f"ALTER TABLE {name} RENAME TO {name}_{year}")
        # this year's work tables go before the next year's are built, never beside them
        drop_work_tables(backend.con, _WORK_TABLES)
    backend.execute("DROP VIEW agg_values_year")
    for name in _YEAR_RESULTS:
        union = " UNION ALL ".join(f"SELECT * FROM {name}_{y}" for y in years)
        backend.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {union}")
        for y in years:
            backend.execute(f"DROP TABLE {name}_{y}")


# build_sql's work tables and views other than its results
_WORK_TABLES = ("agg_rep", "agg_rep_ytd", "agg_base", "agg_closure", "agg_nodes", "agg_links", "agg_periods",
                "agg_reports")


def drop_work_tables(con: duckdb.DuckDBPyConnection, names: Sequence[str] | None = None) -> None:
    """Drop the temporary ``agg_*`` tables and views of ``con`` (only ``names`` when given), so the
    connection keeps no copy of the figures.  In any order: DuckDB binds a view when it is read."""
    listed = ", ".join(_lit(n) for n in names or ()) or "NULL"
    where = "starts_with(name, 'agg_')" if names is None else f"name IN ({listed})"
    for name, kind in con.execute(
        "SELECT name, kind FROM (SELECT table_name AS name, 'TABLE' AS kind FROM duckdb_tables() WHERE temporary "
        f"UNION ALL SELECT view_name, 'VIEW' FROM duckdb_views() WHERE temporary) AS objects WHERE {where}"
    ).fetchall():
        con.execute(f"DROP {kind} IF EXISTS {_q(name)}")


def _pidx(period: str) -> int:
    """The quarter index of 'YYYYQn' (year × 4 + quarter − 1), as ``PIDX_SQL`` computes it."""
    return int(period[:4]) * 4 + int(period[5]) - 1


def run(
    values: Any,
    tree: Any,
    fset: FormulaSet,
    *,
    engine: str = "duckdb",
    spark_remote: str | None = None,
    **options: Any,
) -> AggregateResult:
    """:func:`aggregate` on the chosen engine: ``'duckdb'`` (in process) or ``'spark'`` (PySpark
    local mode, or the Spark Connect server at ``spark_remote``, e.g. ``'sc://host:15002'``).
    The SQL is the same; only where it runs differs."""
    if engine == "duckdb":
        if spark_remote:
            raise ValueError("spark_remote: only with engine='spark'")
        return aggregate(values, tree, fset, **options)
    if engine != "spark":
        raise ValueError(f"engine: expected 'duckdb' or 'spark', got {engine!r}")
    from .spark import spark_session

    session = spark_session(remote=spark_remote)
    return aggregate(values, tree, fset, spark=session, **options)


def _check_columns(backend: Any, table: str, needed: list[str], param: str) -> None:
    have = set(backend.columns(table))
    missing = [c for c in needed if c not in have]
    if missing:
        raise ValueError(f"{param}: missing columns {missing}（缺少列）")


def build_sql(
    fset: FormulaSet,
    values: str,
    tree: str,
    members: str | None,
    *,
    preview: bool,
    basis: Sequence[str],
    has_text: bool,
    include_enterprises: bool,
    all_fields: bool = True,
) -> list[str]:
    """The statements creating ``agg_totals`` (wide inputs per unit × period × basis)."""
    statuses = "('approved', 'submitted')" if preview else "('approved',)"
    inputs = list(fset.inputs.values())
    if all_fields:
        inputs += [
            InputSpec(f.code, f.code, None, None, f.label, f.level, f.nature or "flow")
            for f in fset.fields.values()
            if f.type in NUMERIC_TYPES and f.code not in fset.inputs
        ]
    raw_numeric = sorted({i.field for i in inputs})
    raw_attr = sorted({n.code for i in inputs if i.where is not None for n in _pred_fields(i.where)})
    fields = fset.fields

    def attr_expr(code: str) -> str:
        if fields[code].type == "bool":
            return f"max(value) FILTER (WHERE field = {_lit(code)}) AS {_q(code)}"
        src = "value_text" if has_text else "CAST(value AS VARCHAR)"
        return f"max({src}) FILTER (WHERE field = {_lit(code)}) AS {_q(code)}"

    pivot = [f"max(value) FILTER (WHERE field = {_lit(c)}) AS {_q(c)}" for c in raw_numeric]
    pivot += [attr_expr(c) for c in raw_attr if c not in raw_numeric]
    pivoted = [*raw_numeric, *(c for c in raw_attr if c not in raw_numeric)] or ["none_"]

    def input_expr(i: InputSpec) -> str:
        col = _q(i.field)
        if i.where is None:
            return f"CAST({col} AS DOUBLE) AS {_q(i.name)}"
        cond = pred_sql(i.where)
        return (
            f"CAST(CASE WHEN {col} IS NULL THEN NULL WHEN {cond} THEN {col} WHEN NOT {cond} THEN 0 "
            f"ELSE CAST('NaN' AS DOUBLE) END AS DOUBLE) AS {_q(i.name)}"
        )

    in_cols = [_q(i.name) for i in inputs]
    sums = ", ".join(f"sum({c}) AS {c}" for c in in_cols)
    per = PIDX_SQL.format(col="period")
    stmts = [
        # every eligible version of each unit's report for each period, pivoted wide; then the latest
        # the codes as text: a caller may hand them as categoricals (DuckDB: ENUM), which must not
        # reach the results
        f"""CREATE OR REPLACE TEMP TABLE agg_versions AS
            SELECT CAST(org_unit AS VARCHAR) AS unit, CAST(period AS VARCHAR) AS period, version,
                   {", ".join(pivot) if pivot else "NULL AS none_"}
            FROM {values} WHERE status IN {statuses}
            GROUP BY org_unit, period, version""",
        f"""CREATE OR REPLACE TEMP TABLE agg_reports AS
            SELECT unit, period, {", ".join(_q(c) for c in pivoted)} FROM (
                SELECT *, row_number() OVER (PARTITION BY unit, period ORDER BY version DESC) AS rank_
                FROM agg_versions) AS ranked
            WHERE rank_ = 1""",
        "DROP TABLE agg_versions",
        f"""CREATE OR REPLACE TEMP TABLE agg_periods AS
            SELECT period, {per} AS pidx,
                   make_date(CAST(substr(period, 1, 4) AS INTEGER), CAST(substr(period, 6, 1) AS INTEGER) * 3,
                             CASE substr(period, 6, 1) WHEN '2' THEN 30 WHEN '3' THEN 30 ELSE 31 END) AS end_date
            FROM (SELECT DISTINCT period FROM agg_reports) AS reported""",
        # each unit's parent on each period's last day (and whether the unit exists then)
        f"""CREATE OR REPLACE TEMP TABLE agg_links AS
            SELECT t.unit, t.parent, t.kind, p.period, p.pidx
            FROM {tree} t JOIN agg_periods p
              ON CAST(t.valid_from AS DATE) <= p.end_date
             AND (t.valid_to IS NULL OR p.end_date <= CAST(t.valid_to AS DATE))""",
        # a unit with two parents on the same day would be counted twice: refused below
        """CREATE OR REPLACE TEMP TABLE agg_overlaps AS
           SELECT unit, period, min(parent) AS first_parent, max(parent) AS last_parent FROM agg_links
           GROUP BY unit, period HAVING count(*) > 1""",
        """CREATE OR REPLACE TEMP TABLE agg_nodes AS
           SELECT DISTINCT unit, period, pidx, parent FROM agg_links WHERE kind <> 'enterprise'""",
        # reporter rows with their inputs; the single-quarter basis per reporter
        f"""CREATE OR REPLACE TEMP VIEW agg_rep_ytd AS
            SELECT r.unit, r.period, {per.replace("period", "r.period")} AS pidx, {", ".join(input_expr(i) for i in inputs)}
            FROM agg_reports r""",
    ]
    bases = []
    if "ytd" in basis:
        bases.append("SELECT 'ytd' AS basis, * FROM agg_rep_ytd")
    if "quarter" in basis:
        q_cols = []
        for i in inputs:
            c = _q(i.name)
            if i.nature == "flow":
                q_cols.append(f"CASE WHEN a.pidx % 4 = 0 THEN a.{c} ELSE a.{c} - b.{c} END AS {c}")
            else:
                q_cols.append(f"a.{c}")
        bases.append(
            f"SELECT 'quarter' AS basis, a.unit, a.period, a.pidx, {', '.join(q_cols)} "
            "FROM agg_rep_ytd a LEFT JOIN agg_rep_ytd b ON b.unit = a.unit AND b.pidx = a.pidx - 1"
        )
    kind = "TABLE" if "quarter" in basis else "VIEW"  # the self-join is worth materialising
    stmts.append(f"CREATE OR REPLACE TEMP {kind} agg_rep AS " + " UNION ALL ".join(bases))
    stmts += [
        # enterprise reports summed into their direct parent; organisation units' own reports
        f"""CREATE OR REPLACE TEMP TABLE agg_base AS
            SELECT l.parent AS node, r.period, r.basis, count(*) AS n_reporters, {sums}
            FROM agg_rep r JOIN agg_links l ON l.unit = r.unit AND l.period = r.period AND l.kind = 'enterprise'
            GROUP BY l.parent, r.period, r.basis
            UNION ALL
            SELECT r.unit AS node, r.period, r.basis, count(*) AS n_reporters, {sums}
            FROM agg_rep r SEMI JOIN agg_nodes n ON n.unit = r.unit AND n.period = r.period
            GROUP BY r.unit, r.period, r.basis""",
        """CREATE OR REPLACE TEMP TABLE agg_unattributed AS
           SELECT DISTINCT r.unit, r.period FROM agg_reports r
           WHERE NOT EXISTS (SELECT 1 FROM agg_links l WHERE l.unit = r.unit AND l.period = r.period)""",
        # every organisation unit with its ancestors (itself included) on each period's last day
        """CREATE OR REPLACE TEMP TABLE agg_closure AS
           WITH RECURSIVE up(unit, period, ancestor, depth) AS (
               SELECT DISTINCT unit, period, unit, 0 FROM agg_nodes
               UNION ALL
               SELECT up.unit, up.period, n.parent, up.depth + 1
               FROM up JOIN agg_nodes n ON n.unit = up.ancestor AND n.period = up.period
               WHERE n.parent IS NOT NULL AND up.depth < 64)
           SELECT DISTINCT unit, period, ancestor FROM up""",
    ]
    basis_list = ", ".join(f"({_lit(b)})" for b in basis)
    tot_cols = ", ".join(f"sum(b.{c}) AS {c}" for c in in_cols)
    # the tree's totals, then (as one UNION ALL: Spark has no INSERT into a temporary view) the
    # aggregate units and the enterprises
    parts = [
        f"""WITH frame AS (SELECT DISTINCT n.unit, n.period, n.pidx, bs.basis
                           FROM agg_nodes n CROSS JOIN (VALUES {basis_list}) bs(basis))
            SELECT f.unit, f.period, f.pidx, f.basis, CAST(coalesce(sum(b.n_reporters), 0) AS BIGINT) AS n_reporters, {tot_cols}
            FROM frame f
            LEFT JOIN agg_closure c ON c.ancestor = f.unit AND c.period = f.period
            LEFT JOIN agg_base b ON b.node = c.unit AND b.period = f.period AND b.basis = f.basis
            GROUP BY f.unit, f.period, f.pidx, f.basis"""
    ]
    if members:
        stmts.append(f"CREATE OR REPLACE TEMP TABLE agg_tree_totals AS {parts[0]}")
        parts = [
            "SELECT * FROM agg_tree_totals",
            f"""SELECT m.unit, t.period, t.pidx, t.basis, CAST(sum(t.n_reporters) AS BIGINT) AS n_reporters,
                       {", ".join(f"sum(t.{c}) AS {c}" for c in in_cols)}
                FROM {members} m JOIN agg_tree_totals t ON t.unit = m.member
                GROUP BY m.unit, t.period, t.pidx, t.basis""",
        ]
    if include_enterprises:
        parts.append(
            f"""SELECT r.unit, r.period, r.pidx, r.basis, CAST(1 AS BIGINT) AS n_reporters, {", ".join(f"r.{c}" for c in in_cols)}
                FROM agg_rep r SEMI JOIN agg_links l ON l.unit = r.unit AND l.period = r.period AND l.kind = 'enterprise'"""
        )
    if len(parts) == 1:
        stmts.append(f"CREATE OR REPLACE TEMP TABLE agg_totals AS {parts[0]}")
    else:
        stmts.append(
            "CREATE OR REPLACE TEMP TABLE agg_totals AS "
            + " UNION ALL ".join(f"SELECT * FROM ({p}) AS part{i}" for i, p in enumerate(parts))
        )
    if members:
        stmts.append("DROP TABLE agg_tree_totals")
    return stmts


def _pred_fields(pred: Pred) -> list[PredField | PredCompare]:
    return [n for n in walk(pred) if isinstance(n, PredField | PredCompare)]
