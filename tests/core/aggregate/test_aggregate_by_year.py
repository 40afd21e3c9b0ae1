"""Summing one year at a time (``by_year=True``) gives exactly what one pass over every year gives."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest
from conftest import MEMBERS, tree_rows, values_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lanbai.core.aggregate import aggregate, drop_work_tables

PERIODS = [f"{y}Q{q}" for y in (2017, 2018, 2019) for q in (1, 2, 3, 4)]
UNITS = ["e1", "e2", "e3", "e4", "e5", "za", "zb"]  # e5 is in no park: unattributed

report = st.tuples(
    st.sampled_from(UNITS),
    st.sampled_from(PERIODS),
    st.integers(min_value=-1000, max_value=10**6),
    st.sampled_from(["approved", "approved", "submitted", "returned"]),
    st.integers(min_value=1, max_value=2),
    st.sampled_from(["traditional", "emerging", None]),
)


def frame_of(reports) -> pd.DataFrame:
    rows = []
    for unit, period, value, status, version, category in reports:
        if unit.startswith("z"):
            rows.append((unit, period, "gdp", value, status, version))
            continue
        rows += [(unit, period, "va", value, status, version), (unit, period, "staff", value % 97, status, version)]
        if category is not None:
            rows.append((unit, period, "category", category, status, version))
    return values_frame(rows)


def temporaries(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {n for (n,) in con.execute(
        "SELECT table_name FROM duckdb_tables() WHERE temporary UNION ALL "
        "SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal").fetchall()}


def assert_same(a, b) -> None:
    pd.testing.assert_frame_equal(a.inputs, b.inputs)
    pd.testing.assert_frame_equal(a.indicators, b.indicators)
    pd.testing.assert_frame_equal(a.unattributed, b.unattributed)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(report, min_size=1, max_size=40, unique_by=lambda r: (r[0], r[1], r[4])),
    st.booleans(),
    st.booleans(),
)
def test_by_year_equals_one_pass(fset, reports, preview, categorical) -> None:
    values = frame_of(reports)
    if categorical:  # handed as categoricals, the period column reaches DuckDB as an ENUM
        values = values.astype({"org_unit": "category", "period": "category", "field": "category"})
    options = dict(aggregates=MEMBERS, preview=preview, basis=("ytd", "quarter"), include_enterprises=True)
    one = aggregate(values, tree_rows(), fset, **options)
    yearly = aggregate(values, tree_rows(), fset, by_year=True, **options)
    assert_same(one, yearly)


def test_by_year_with_known_totals_and_a_parquet_source(fset, tmp_path) -> None:
    reports = [(u, p, 10 * i + j, "approved", 1, "emerging" if j % 2 else "traditional")
               for i, u in enumerate(["e1", "e2", "e3", "e4", "za"]) for j, p in enumerate(PERIODS)]
    values = frame_of(reports)
    path = tmp_path / "values.parquet"
    values.to_parquet(path, index=False)
    con = duckdb.connect()
    con.execute(f"CREATE VIEW stored AS SELECT * FROM read_parquet('{path}')")
    full = aggregate("stored", tree_rows(), fset, basis=("ytd", "quarter"), con=con, keep_totals=True)
    con.execute("CREATE TEMP TABLE agg_totals_2017 AS SELECT 1 AS left_by_a_failed_run")
    assert_same(full, aggregate("stored", tree_rows(), fset, basis=("ytd", "quarter"), con=con, by_year=True))
    # no year's table or view outlives the run: the results are under the one-pass names
    assert {"agg_totals", "agg_unattributed"} <= temporaries(con)
    assert not {n for n in temporaries(con) if n[-4:].isdigit() or n == "agg_values_year"}
    # an approval changes 2018Q2: on the quarter basis (Q3 single = Q3 - Q2) the year 2018 is summed
    # again, the rest comes from the kept totals
    changed = values.assign(value=values["value"].where(values["period"] != "2018Q2", values["value"] + 1))
    replace = [p for p in PERIODS if p.startswith("2018")]
    again = aggregate(changed[changed["period"].isin(replace)], tree_rows(), fset, basis=("ytd", "quarter"),
                      known_totals=full.totals, replace=replace, by_year=True)
    assert_same(aggregate(changed, tree_rows(), fset, basis=("ytd", "quarter")), again)


def test_by_year_still_refuses_overlapping_links_and_spark(fset) -> None:
    tree = tree_rows()
    extra = {"unit": "e1", "parent": "q", "valid_from": pd.Timestamp("2019-01-01"), "valid_to": None, "kind": "enterprise"}
    bad = pd.concat([tree, pd.DataFrame([extra])], ignore_index=True)
    values = frame_of([("e1", "2018Q1", 1, "approved", 1, None), ("e1", "2019Q1", 1, "approved", 1, None)])
    with pytest.raises(ValueError, match="e1 2019Q1: p, q"):
        aggregate(values, bad, fset, by_year=True)
    with pytest.raises(ValueError, match="by_year: DuckDB only"):
        aggregate(values, tree, fset, by_year=True, spark=object())


def test_drop_work_tables_drops_the_listed_or_every_agg_object(fset) -> None:
    con = duckdb.connect()
    con.execute("CREATE TEMP TABLE kept AS SELECT 1 AS x")
    aggregate(frame_of([("e1", "2018Q1", 5, "approved", 1, None)]), tree_rows(), fset, con=con)
    assert {"agg_totals", "agg_reports", "agg_rep", "agg_rep_ytd"} <= temporaries(con)
    drop_work_tables(con, ["agg_reports", "agg_rep"])  # a table and a view
    assert "agg_reports" not in temporaries(con) and "agg_rep" not in temporaries(con)
    assert {"agg_totals", "agg_rep_ytd"} <= temporaries(con)
    drop_work_tables(con, [])
    assert "agg_totals" in temporaries(con)
    drop_work_tables(con)
    assert temporaries(con) == {"kept"}
