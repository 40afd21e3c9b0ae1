"""Benchmark: full recompute of every field aggregation and indicator over the organisation tree
for N synthetic enterprises × 24 quarters (2015Q1–2020Q4), versus a hand-written DuckDB SQL
aggregation of the same figures over the same data, in the same run.

Data (generated in DuckDB, seeded): the pilot zone → 2 cities → 4 zones → 40 parks; one park moves
to another zone on 2018-07-01 and 5 % of the enterprises move park on 2017-01-01; every enterprise
reports every quarter the enterprise fields of plans/lanbai-2015-2020/fields.yaml (numeric, category,
high_tech), 2 % of reports only submitted (not counted), 1 % with an approved correction (version 2);
the four zones report the zone form.

Engine: :func:`lanbai.core.aggregate.aggregate` with the shipped formulas (latest approved version,
effective-dated attribution, every numeric field summed, filtered sums, 4区合计, on both the YTD and
the single-quarter basis, 22 indicator formulas with reasons).  Baseline: the strongest hand-written
DuckDB SQL of the same totals, as ``bench/national_scale.py`` writes it (:func:`national_scale.hand_sql`):
one wide row per enterprise × period (latest approved version of every field), the effective-dated
park / zone / city path of every enterprise on the period's last day, then ``GROUPING SETS`` over
the hierarchy summing every field on both the YTD and the single-quarter basis, with the category
splits, and the zone reports likewise (no formulas, no reasons, no 4区合计).  The one change to
national_scale's statements: the park → zone link is effective-dated too (a park moves here).

The engine side also computes the early-warning status of every unit x indicator x period
(lanbai.core.progress.assess), as issue 4 asks; the baseline does not.

Usage: python bench/monitor_recompute.py [N_ENTERPRISES]   (default 100000)
Last line: ``ratio: monitor_recompute VALUE goal<=3``.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import yaml

from lanbai.core.aggregate import aggregate
from lanbai.core.formulas import FieldSpec, FormulaSpec, compile_formulas
from lanbai.core.progress import assess

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_scale import hand_sql  # noqa: E402 - the same baseline statements as the national bench

PLAN = Path(__file__).resolve().parents[1] / "plans" / "lanbai-2015-2020"
ZONES = {"lzxq": "lz", "lzgx": "lz", "lzjj": "lz", "bygx": "by"}
PARKS_PER_ZONE = 10
MEMORY_LIMIT = "6GB"  # DuckDB spills to a temporary directory beyond this


def formula_set():
    fields = yaml.safe_load((PLAN / "fields.yaml").read_text("utf-8"))["fields"]
    formulas = yaml.safe_load((PLAN / "formulas.yaml").read_text("utf-8"))["formulas"]
    catalogue = {
        f["code"]: FieldSpec(
            f["code"],
            f["label"],
            f.get("unit"),
            f["level"],
            f.get("nature"),
            f["type"],
            tuple(f.get("choices", {})),
        )
        for f in fields
    }
    specs = [FormulaSpec(f["indicator"], f["expr"], f["unit"], f.get("category", "total")) for f in formulas]
    return compile_formulas(specs, catalogue), catalogue


def build_data(con: duckdb.DuckDBPyConnection, n: int, catalogue: dict[str, FieldSpec]) -> None:
    con.execute("SELECT setseed(0.42)")
    org = [("lanbai", None, "2015-01-01", None, "pilot_zone"), ("lz", "lanbai", "2015-01-01", None, "city"),
           ("by", "lanbai", "2015-01-01", None, "city")]  # fmt: skip
    org += [(z, c, "2015-01-01", None, "zone") for z, c in ZONES.items()]
    zones = list(ZONES)
    for zi, z in enumerate(zones):
        for k in range(PARKS_PER_ZONE):
            code = f"{z}_p{k}"
            if zi == 0 and k == 0:  # restructured park: moves from lzxq to lzgx on 2018-07-01
                org += [
                    (code, z, "2015-01-01", "2018-06-30", "park"),
                    (code, "lzgx", "2018-07-01", None, "park"),
                ]
            else:
                org.append((code, z, "2015-01-01", None, "park"))
    con.execute(
        "CREATE TABLE org (unit VARCHAR, parent VARCHAR, valid_from DATE, valid_to DATE, kind VARCHAR)"
    )
    con.executemany("INSERT INTO org VALUES (?, ?, ?, ?, ?)", org)
    con.execute(
        "CREATE TABLE parks AS SELECT DISTINCT unit, row_number() OVER (ORDER BY unit) - 1 AS i FROM org WHERE kind = 'park'"
    )
    n_parks = con.execute("SELECT count(*) FROM parks").fetchone()[0]
    con.execute(
        f"""CREATE TABLE ents AS
            SELECT 'e' || i AS unit, (hash(i) % {n_parks}) AS park_i, (hash(i * 7 + 1) % {n_parks}) AS park_j,
                   random() < 0.05 AS moves, CASE WHEN random() < 0.4 THEN 'emerging' ELSE 'traditional' END AS category,
                   CASE WHEN random() < 0.2 THEN 1.0 ELSE 0.0 END AS high_tech, 10 + random() * 1000 AS size
            FROM range({n}) t(i)"""
    )
    con.execute(
        """CREATE TABLE tree AS
           SELECT unit, parent, valid_from, valid_to, kind FROM org
           UNION ALL SELECT e.unit, p.unit, DATE '2015-01-01', CASE WHEN moves THEN DATE '2016-12-31' END, 'enterprise'
                     FROM ents e JOIN parks p ON p.i = e.park_i
           UNION ALL SELECT e.unit, p.unit, DATE '2017-01-01', NULL, 'enterprise'
                     FROM ents e JOIN parks p ON p.i = e.park_j WHERE moves"""
    )
    con.execute(
        """CREATE TABLE periods AS SELECT y || 'Q' || q AS period, q FROM range(2015, 2021) a(y), range(1, 5) b(q)"""
    )
    numeric = [f for f in catalogue.values() if f.level == "enterprise" and f.type in ("decimal", "integer")]
    parts = [
        f"SELECT e.unit AS org_unit, p.period, '{f.code}' AS field, "
        f"round(e.size * {1 + i % 5} * (CASE WHEN '{f.nature}' = 'flow' THEN p.q ELSE 1 END) * (0.8 + 0.4 * random()), 1) AS value, "
        "NULL::VARCHAR AS value_text, e.unit, p.period AS pp FROM ents e, periods p"
        for i, f in enumerate(numeric)
    ]
    parts.append(
        "SELECT e.unit, p.period, 'category', NULL, e.category, e.unit, p.period FROM ents e, periods p"
    )
    parts.append(
        "SELECT e.unit, p.period, 'high_tech', e.high_tech, NULL, e.unit, p.period FROM ents e, periods p"
    )
    con.execute(
        f"""CREATE TABLE vals AS
            WITH base AS ({" UNION ALL ".join(parts)}),
                 flag AS (SELECT e.unit, p.period, random() AS r FROM ents e, periods p)
            SELECT b.org_unit, b.period, b.field, b.value, b.value_text,
                   CASE WHEN f.r < 0.02 THEN 'submitted' ELSE 'approved' END AS status, 1 AS version
            FROM base b JOIN flag f ON f.unit = b.unit AND f.period = b.pp"""  # noqa: S608
    )
    # approved corrections (version 2) for 1 % of the reports
    con.execute(
        """INSERT INTO vals SELECT org_unit, period, field, CASE WHEN value IS NULL THEN NULL ELSE value * 1.01 END,
                  value_text, 'approved', 2 FROM vals WHERE status = 'approved' AND hash(org_unit || period) % 100 = 0"""
    )
    zone_fields = [f for f in catalogue.values() if f.level == "zone"]
    rows = []
    for zi, z in enumerate(zones):
        for y in range(2015, 2021):
            for q in range(1, 5):
                for fi, f in enumerate(zone_fields):
                    v = (
                        (zi + 1)
                        * (fi + 1)
                        * 1000.0
                        * (q if f.nature == "flow" else 1)
                        * (1 + 0.1 * (y - 2015))
                    )
                    rows.append((z, f"{y}Q{q}", f.code, v, None, "approved", 1))
    con.executemany("INSERT INTO vals VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    con.execute(
        "CREATE TABLE members AS SELECT 'four' AS unit, unnest(['lzxq', 'lzgx', 'lzjj', 'bygx']) AS member"
    )


def baseline_sql(fset, catalogue: dict[str, FieldSpec]) -> list[str]:
    """national_scale's hand-written statements over this bench's tables (see the module docstring)."""
    ent = [f for f in catalogue.values() if f.level == "enterprise" and f.type in ("decimal", "integer")]
    zone = [f for f in catalogue.values() if f.level == "zone" and f.type in ("decimal", "integer")]
    stmts = hand_sql(fset, ent, zone)
    stmts[1] = """CREATE OR REPLACE TEMP TABLE h_path AS
           WITH per AS (SELECT DISTINCT period, make_date(CAST(left(period, 4) AS INT), CAST(right(period, 1) AS INT) * 3,
                              CASE right(period, 1) WHEN '2' THEN 30 WHEN '3' THEN 30 ELSE 31 END) AS end_date FROM h_wide),
                links AS (SELECT t.unit, t.parent, t.kind, p.period FROM tree t JOIN per p
                          ON t.valid_from <= p.end_date AND (t.valid_to IS NULL OR p.end_date <= t.valid_to))
           SELECT l.unit, l.period, CASE WHEN o.kind = 'park' THEN o.unit END AS park,
                  CASE WHEN o.kind = 'park' THEN o.parent ELSE o.unit END AS zone
           FROM links l JOIN links o ON o.unit = l.parent AND o.period = l.period
           WHERE l.kind = 'enterprise'"""
    return stmts, ent


def assess_all(indicators: pd.DataFrame) -> pd.DataFrame:
    """Early-warning status of every (unit, indicator, category, period) on the YTD basis.

    Synthetic targets (the bench has no plan targets for its units): baseline = the unit's 2015Q4
    value, target = twice that in 2020; quarters are assessed as fractional years.
    """
    ytd = indicators[(indicators["basis"] == "ytd") & indicators["value"].notna()].copy()
    year = ytd["period"].str[:4].astype(int)
    quarter = ytd["period"].str[-1].astype(int)
    ytd["t"] = year + (quarter - 4) / 4.0
    key = ["unit", "indicator", "category"]
    base = ytd[ytd["period"] == "2015Q4"].set_index(key)["value"].rename("base_value")
    rows = ytd.join(base, on=key)
    rows = rows[rows["base_value"].notna()]
    frame = pd.DataFrame(
        {
            "indicator": rows["indicator"].to_numpy(),
            "base_year": np.full(len(rows), 2015.0),
            "base_value": rows["base_value"].to_numpy(),
            "current_year": rows["t"].to_numpy(),
            "current_value": rows["value"].to_numpy(),
            "target": 2 * rows["base_value"].to_numpy(),
            "target_year": np.full(len(rows), 2020.0),
            "direction": np.full(len(rows), "increase"),
        }
    )
    return assess(frame, method="path")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as spill:
        run(n, spill)


def run(n: int, spill: str) -> None:
    con = duckdb.connect(config={"threads": 2, "memory_limit": MEMORY_LIMIT, "temp_directory": spill})
    fset, catalogue = formula_set()
    t0 = time.perf_counter()
    build_data(con, n, catalogue)
    rows = con.execute("SELECT count(*) FROM vals").fetchone()[0]
    print(
        f"data: {n} enterprises x 24 quarters, {rows:,} reported values (built in {time.perf_counter() - t0:.1f} s)"
    )

    t0 = time.perf_counter()
    stmts, ent_fields = baseline_sql(fset, catalogue)
    for sql in stmts:
        con.execute(sql)
    base_rows = con.execute(
        "SELECT (SELECT count(*) FROM h_totals) + (SELECT count(*) FROM h_zone_totals)"
    ).fetchone()[0]
    baseline = time.perf_counter() - t0
    print(f"hand-written SQL (wide, GROUPING SETS, as bench/national_scale.py): {baseline:.2f} s "
          f"({base_rows:,} total rows)")

    t0 = time.perf_counter()
    res = aggregate("vals", "tree", fset, aggregates="members", basis=("ytd", "quarter"), con=con)
    statuses = assess_all(res.indicators)
    engine = time.perf_counter() - t0
    n_ind = len(res.indicators)
    computable = int(res.indicators["value"].notna().sum())
    print(
        f"engine full recompute: {engine:.2f} s ({len(res.inputs):,} unit x period x basis rows "
        f"x {len(res.inputs.columns) - 4} inputs, YTD and single quarter; "
        f"{n_ind:,} indicator values, {computable:,} computable)"
    )
    print(f"statuses: {len(statuses):,} unit x indicator x period assessments ({statuses['status'].value_counts().to_dict()})")
    # the two agree on the pilot zone's totals of every enterprise field, both bases
    con.register("core_inputs", res.inputs)
    checks = " UNION ALL ".join(
        f"SELECT max(abs(h.{c} - c.{c}) / greatest(abs(c.{c}), 1)) AS d FROM h_totals h "
        f"JOIN core_inputs c ON c.unit = 'lanbai' AND c.period = h.period AND c.basis = h.basis "
        f"WHERE h.province = 'lanbai' AND h.city IS NULL"
        for c in (f.code for f in ent_fields)
    )
    worst = con.execute(f"SELECT max(d) FROM ({checks})").fetchone()[0]  # noqa: S608
    print(f"check: pilot-zone totals of every enterprise field, core vs hand SQL, max relative difference {worst:.3g}")
    print(f"ratio: monitor_recompute {engine / baseline:.2f} goal<=3")


if __name__ == "__main__":
    main()
