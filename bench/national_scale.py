"""Benchmark: the nation on one machine.

Generates (seeded, streaming in chunks of enterprises, never the whole set in memory) N enterprises
(default 1,500,000) × Q quarters (default 40, 2011Q1–2020Q4) of every numeric field of the
enterprise form (plans/lanbai-2015-2020/forms/, plus its category and high_tech), as narrow Parquet
— (org_unit, period, field, value, value_text, status, version), the analytical store's shape —
partitioned by year under a temporary directory; the 178 zones report the zone form.  Organisation:
enterprise → park (4 per zone) → zone (178) → city (93) → province (31) → nation; 3 % of the
enterprises move park at the start of a random quarter (effective-dated links), 10 % report to
their zone directly; 2 % of enterprise-quarters are missing, 1 % only submitted, 0.5 % corrected
(an approved version 2).

Then, on DuckDB with a memory limit (spilling to the temporary directory):

* the core's full recompute — :func:`lanbai.core.aggregate.aggregate` (summing a year at a time,
  ``by_year=True``) with the shipped formulas
  plus a year-on-year growth formula per enterprise flow field: effective-dated rollup, latest
  approved version, filtered sums, YTD and single-quarter bases, every formula with reasons — and
  the early-warning statuses (:func:`lanbai.core.progress.assess`) of every indicator × period of
  every unit a plan sets targets for (zone, city, province, nation);
* the strongest hand-written DuckDB SQL of the same totals: one pass pivoting the narrow values to
  a wide table (latest approved version by ``arg_max``), the single quarter by a window, and one
  ``GROUPING SETS`` over the denormalised hierarchy (park, zone, city, province, nation) summing
  every field and the category-filtered fields; the zone reports rolled up the same way.  No
  formulas, no reasons, no statuses.

Prints both times, peak RSS (this process and its children) and last
``ratio: national_scale VALUE goal<=3`` (core / hand SQL).  Not run by CI.

Usage: python bench/national_scale.py [--enterprises N] [--quarters Q] [--memory-limit 12GB]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from lanbai.core.aggregate import aggregate
from lanbai.core.collection import load_forms
from lanbai.core.collection.forms import default_forms_dir
from lanbai.core.formulas import FormulaSpec, compile_formulas
from lanbai.core.formulas.compile import NUMERIC_TYPES
from lanbai.core.formulas.plan_check import field_specs, formula_specs
from lanbai.core.plan import load_plan
from lanbai.core.progress import assess

PLAN = Path(__file__).resolve().parents[1] / "plans" / "lanbai-2015-2020"
N_PROVINCES, N_CITIES, N_ZONES, PARKS_PER_ZONE = 31, 93, 178, 4
LAST_YEAR = 2020
CHUNK = 50_000  # enterprises generated and written at a time
START = pd.Timestamp("2000-01-01")


def formula_set():
    plan = load_plan(PLAN)
    fields = field_specs(plan)
    growth = [
        FormulaSpec(f"{f.code}_growth", f"yoy({f.code})", "%")
        for f in fields.values()
        if f.level == "enterprise" and f.type in NUMERIC_TYPES and f.nature == "flow"
    ]
    return compile_formulas([*formula_specs(plan), *growth], fields), fields


def form_fields(level_code: str) -> list:
    forms = load_forms(default_forms_dir())
    form = next(f for f in forms.values() if f.level == level_code)
    return [f for f in form.fields if f.type in ("decimal", "integer")]


def periods_of(quarters: int) -> list[str]:
    end = (LAST_YEAR + 1) * 4  # quarter index (year × 4 + quarter − 1) after the last period
    return [f"{i // 4}Q{i % 4 + 1}" for i in range(end - quarters, end)]


def quarter_start(period: str) -> pd.Timestamp:
    return pd.Timestamp(year=int(period[:4]), month=3 * int(period[-1]) - 2, day=1)


# ---------------------------------------------------------------------------------------------- data
def org_tree(rng: np.random.Generator) -> pd.DataFrame:
    rows = [("cn", None, START, pd.NaT, "nation")]
    rows += [(f"pr{p:02d}", "cn", START, pd.NaT, "province") for p in range(N_PROVINCES)]
    rows += [(f"ct{c:03d}", f"pr{c % N_PROVINCES:02d}", START, pd.NaT, "city") for c in range(N_CITIES)]
    rows += [(f"z{z:03d}", f"ct{z % N_CITIES:03d}", START, pd.NaT, "zone") for z in range(N_ZONES)]
    rows += [
        (f"z{z:03d}p{k}", f"z{z:03d}", START, pd.NaT, "park")
        for z in range(N_ZONES)
        for k in range(PARKS_PER_ZONE)
    ]
    return pd.DataFrame(rows, columns=["unit", "parent", "valid_from", "valid_to", "kind"])


def enterprise_links(lo: int, hi: int, periods: list[str], rng: np.random.Generator) -> pd.DataFrame:
    n = hi - lo
    units = np.array([f"e{i:07d}" for i in range(lo, hi)], dtype=object)
    n_parks = N_ZONES * PARKS_PER_ZONE

    def home(idx: np.ndarray) -> np.ndarray:
        park = idx % n_parks
        to_zone = rng.random(len(idx)) < 0.10
        return np.where(
            to_zone,
            np.char.add("z", np.char.zfill((park // PARKS_PER_ZONE).astype(str), 3)),
            np.char.add(
                np.char.add("z", np.char.zfill((park // PARKS_PER_ZONE).astype(str), 3)),
                np.char.add("p", (park % PARKS_PER_ZONE).astype(str)),
            ),
        )

    first = home(rng.integers(0, 1 << 30, n))
    moves = rng.random(n) < 0.03
    when = np.array([quarter_start(p) for p in periods[1:]])[rng.integers(0, len(periods) - 1, n)]
    second = home(rng.integers(0, 1 << 30, n))
    stay = pd.DataFrame(
        {"unit": units, "parent": first, "valid_from": START,
         "valid_to": pd.Series(np.where(moves, when - pd.Timedelta(days=1), pd.NaT), dtype="datetime64[us]"),
         "kind": "enterprise"}
    )  # fmt: skip
    moved = pd.DataFrame(
        {"unit": units[moves], "parent": second[moves], "valid_from": when[moves], "valid_to": pd.NaT,
         "kind": "enterprise"}
    )  # fmt: skip
    return pd.concat([stay, moved], ignore_index=True)


def _dict(values: np.ndarray, codes: np.ndarray) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(values, pa.string()))


def write_chunk(
    out: Path, lo: int, hi: int, periods: list[str], fields: list, rng: np.random.Generator
) -> int:
    """Every report of enterprises lo..hi-1, one Parquet file per year; returns the rows written."""
    n = hi - lo
    units = np.array([f"e{i:07d}" for i in range(lo, hi)], dtype=object)
    size = np.exp(rng.normal(5.0, 1.2, n))
    category = np.where(rng.random(n) < 0.4, "emerging", "traditional")
    high_tech = (rng.random(n) < 0.2).astype(float)
    field_codes = np.array([f.code for f in fields] + ["category", "high_tech"], dtype=object)
    rows = 0
    years = sorted({p[:4] for p in periods})
    for year in years:
        quarters = [p for p in periods if p[:4] == year]
        year_periods = np.array(quarters, dtype=object)
        parts = []
        ytd = np.zeros((len(fields), n))
        for qi in range(len(quarters)):
            present = np.flatnonzero(rng.random(n) >= 0.02)
            m = len(present)
            status_code = (rng.random(m) < 0.01).astype(np.int32)  # 1 = submitted only
            block = np.empty((len(fields) + 2, n))
            for fi, f in enumerate(fields):
                amount = size * (1 + fi % 5) * rng.uniform(0.7, 1.3, n)
                if (f.nature or "flow") == "flow":
                    ytd[fi] += amount
                    block[fi] = np.round(ytd[fi], 1)
                else:
                    block[fi] = np.round(amount, 0 if f.type == "integer" else 1)
            block[len(fields)] = np.nan
            block[len(fields) + 1] = high_tech
            k = len(field_codes)
            ent_codes = np.repeat(present, k)
            fcodes = np.tile(np.arange(k), m)
            value = block[:, present].T.reshape(-1)
            text_code = np.where(fcodes == len(fields), np.repeat(category[present] == "emerging", k), -1)
            parts.append((ent_codes, qi, fcodes, value, text_code, np.repeat(status_code, k), 1))
            fixed = present[rng.random(m) < 0.005]  # approved corrections: version 2 of the whole report
            if len(fixed):
                sel = np.isin(ent_codes, fixed) & (np.repeat(status_code, k) == 0)
                parts.append(
                    (ent_codes[sel], qi, fcodes[sel], np.where(np.isnan(value[sel]), np.nan, value[sel] * 1.02),
                     text_code[sel], np.zeros(sel.sum(), np.int32), 2)
                )  # fmt: skip
        ent_codes = np.concatenate([p[0] for p in parts])
        per_codes = np.concatenate([np.full(len(p[0]), p[1], np.int32) for p in parts])
        fcodes = np.concatenate([p[2] for p in parts])
        value = np.concatenate([p[3] for p in parts])
        text_code = np.concatenate([p[4] for p in parts])
        status_code = np.concatenate([p[5] for p in parts])
        version = np.concatenate([np.full(len(p[0]), p[6], np.int32) for p in parts])
        text = pa.DictionaryArray.from_arrays(
            pa.array(np.where(text_code < 0, 0, text_code).astype(np.int32), mask=text_code < 0),
            pa.array(["traditional", "emerging"]),
        )
        table = pa.table(
            {
                "org_unit": _dict(units, ent_codes),
                "period": _dict(year_periods, per_codes),
                "field": _dict(field_codes, fcodes),
                "value": pa.array(value, mask=np.isnan(value) & (fcodes == len(fields))),
                "value_text": text,
                "status": _dict(np.array(["approved", "submitted"], dtype=object), status_code),
                "version": pa.array(version, pa.int32()),
            }
        )
        target = out / f"year={year}"
        target.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, target / f"chunk-{lo:08d}.parquet", compression="zstd")
        rows += table.num_rows
    return rows


def zone_reports(out: Path, periods: list[str], fields: list, rng: np.random.Generator) -> None:
    rows = []
    for z in range(N_ZONES):
        for period in periods:
            q = int(period[-1])
            for fi, f in enumerate(fields):
                factor = q if (f.nature or "flow") == "flow" else 1
                v = round((1 + z % 17) * (fi + 3) * 1000.0 * factor * rng.uniform(0.9, 1.1), 2)
                rows.append((f"z{z:03d}", period, f.code, v, None, "approved", 1))
    frame = pd.DataFrame(
        rows, columns=["org_unit", "period", "field", "value", "value_text", "status", "version"]
    )
    frame["version"] = frame["version"].astype("int32")
    frame["value_text"] = frame["value_text"].astype("string")
    frame.to_parquet(out / "zone_values.parquet", index=False)


def generate(root: Path, n: int, periods: list[str], seed: int) -> tuple[int, list, list]:
    rng = np.random.default_rng(seed)
    ent_fields, zone_fields = form_fields("enterprise"), form_fields("zone")
    links = [org_tree(rng)]
    rows = 0
    for lo in range(0, n, CHUNK):
        hi = min(n, lo + CHUNK)
        links.append(enterprise_links(lo, hi, periods, rng))
        rows += write_chunk(root / "values", lo, hi, periods, ent_fields, rng)
    tree = pd.concat(links, ignore_index=True)
    for col in ("valid_from", "valid_to"):
        tree[col] = tree[col].astype("datetime64[us]")
    tree.to_parquet(root / "tree.parquet", index=False)
    zone_reports(root, periods, zone_fields, rng)
    return rows, ent_fields, zone_fields


# ---------------------------------------------------------------------------------------------- runs
def peak_rss_gb() -> float:
    kb = (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    )
    return kb / 1024**2


def connect(root: Path, memory_limit: str, threads: int) -> duckdb.DuckDBPyConnection:
    spill = root / "spill"
    spill.mkdir(exist_ok=True)
    con = duckdb.connect(
        config={"threads": threads, "memory_limit": memory_limit, "temp_directory": str(spill),
                "preserve_insertion_order": False}
    )  # fmt: skip
    con.execute(
        f"""CREATE VIEW vals AS
            SELECT org_unit, period, field, value, value_text, status, version
            FROM read_parquet('{root}/values/*/*.parquet', hive_partitioning = true)
            UNION ALL SELECT * FROM read_parquet('{root}/zone_values.parquet')"""
    )
    con.execute(f"CREATE VIEW tree AS SELECT * FROM read_parquet('{root}/tree.parquet')")
    return con


def assess_all(indicators: pd.DataFrame, units: set[str]) -> pd.DataFrame:
    """Early-warning status of every (unit, indicator, category, period) on the YTD basis of the
    ``units`` a plan sets targets for (zones and above; parks have none), against synthetic
    targets: baseline the unit's first Q4, target twice that in the last year."""
    keep = (indicators["basis"] == "ytd") & indicators["value"].notna() & indicators["unit"].isin(units)
    ytd = indicators[keep].copy()
    ytd["t"] = ytd["period"].str[:4].astype(int) + (ytd["period"].str[-1].astype(int) - 4) / 4.0
    first_q4 = sorted(p for p in ytd["period"].unique() if p.endswith("Q4"))[0]
    key = ["unit", "indicator", "category"]
    base = ytd[ytd["period"] == first_q4].set_index(key)["value"].rename("base_value")
    rows = ytd.join(base, on=key)
    rows = rows[rows["base_value"].notna()]
    frame = pd.DataFrame(
        {
            "indicator": rows["indicator"].to_numpy(),
            "base_year": np.full(len(rows), float(first_q4[:4])),
            "base_value": rows["base_value"].to_numpy(),
            "current_year": rows["t"].to_numpy(),
            "current_value": rows["value"].to_numpy(),
            "target": 2 * rows["base_value"].to_numpy(),
            "target_year": np.full(len(rows), float(LAST_YEAR)),
            "direction": np.full(len(rows), "increase"),
        }
    )
    return assess(frame, method="path")


def hand_sql(fset, ent_fields: list, zone_fields: list) -> list[str]:
    """The strongest hand-written DuckDB SQL of the same totals (see the module docstring)."""
    codes = [f.code for f in ent_fields]
    nature = {f.code: (f.nature or "flow") for f in ent_fields}
    split = sorted(
        (i.name, i.field, i.where.values[0])
        for i in fset.inputs.values()
        if i.where is not None and getattr(i.where, "code", None) == "category"
    )
    prev = "left(period, 5) || CAST(CAST(right(period, 1) AS INT) - 1 AS VARCHAR)"  # q-1 of the same year
    pivot = ", ".join(f"arg_max(value, version) FILTER (WHERE field = '{c}') AS {c}" for c in codes)
    single = ", ".join(
        f"CASE WHEN right(period, 1) = '1' THEN {c} WHEN lag(period) OVER w = {prev} THEN {c} - lag({c}) OVER w END AS {c}"
        if nature[c] == "flow"
        else c
        for c in codes
    )
    sums = ", ".join(f"sum({c}) AS {c}" for c in codes)
    sums += "".join(f", sum({f}) FILTER (WHERE category = '{v}') AS {n}" for n, f, v in split)
    zcodes = [f.code for f in zone_fields]
    zpivot = ", ".join(f"arg_max(value, version) FILTER (WHERE field = '{c}') AS {c}" for c in zcodes)
    zsums = ", ".join(f"sum({c}) AS {c}" for c in zcodes)
    return [
        # one row per enterprise × period: the latest approved version of every field, wide
        f"""CREATE OR REPLACE TEMP TABLE h_wide AS
            SELECT org_unit, period, {pivot},
                   arg_max(value_text, version) FILTER (WHERE field = 'category') AS category
            FROM vals WHERE status = 'approved' AND org_unit LIKE 'e%'
            GROUP BY org_unit, period""",
        # the park / zone / city / province each enterprise belongs to on the period's last day
        """CREATE OR REPLACE TEMP TABLE h_path AS
           WITH per AS (SELECT DISTINCT period, make_date(CAST(left(period, 4) AS INT), CAST(right(period, 1) AS INT) * 3,
                              CASE right(period, 1) WHEN '2' THEN 30 WHEN '3' THEN 30 ELSE 31 END) AS end_date FROM h_wide),
                org AS (SELECT unit, parent, kind FROM tree WHERE kind <> 'enterprise')
           SELECT l.unit, p.period, CASE WHEN o.kind = 'park' THEN o.unit END AS park,
                  CASE WHEN o.kind = 'park' THEN o.parent ELSE o.unit END AS zone
           FROM tree l JOIN per p ON l.valid_from <= p.end_date AND (l.valid_to IS NULL OR p.end_date <= l.valid_to)
           JOIN org o ON o.unit = l.parent
           WHERE l.kind = 'enterprise'""",
        """CREATE OR REPLACE TEMP TABLE h_zones AS
           SELECT z.unit AS zone, c.unit AS city, c.parent AS province
           FROM tree z JOIN tree c ON c.unit = z.parent WHERE z.kind = 'zone'""",
        f"""CREATE OR REPLACE TEMP TABLE h_totals AS
            WITH both_bases AS (
                SELECT 'ytd' AS basis, org_unit, period, category, {", ".join(codes)} FROM h_wide
                UNION ALL
                SELECT 'quarter', org_unit, period, category, {single} FROM h_wide
                WINDOW w AS (PARTITION BY org_unit, left(period, 4) ORDER BY period))
            SELECT b.basis, b.period, p.park, p.zone, z.city, z.province, {sums}
            FROM both_bases b JOIN h_path p ON p.unit = b.org_unit AND p.period = b.period
            JOIN h_zones z ON z.zone = p.zone
            GROUP BY GROUPING SETS ((b.basis, b.period, z.province, z.city, p.zone, p.park),
                                    (b.basis, b.period, z.province, z.city, p.zone),
                                    (b.basis, b.period, z.province, z.city),
                                    (b.basis, b.period, z.province), (b.basis, b.period))""",
        f"""CREATE OR REPLACE TEMP TABLE h_zone_totals AS
            WITH w AS (SELECT org_unit, period, {zpivot} FROM vals
                       WHERE status = 'approved' AND org_unit NOT LIKE 'e%' GROUP BY org_unit, period)
            SELECT w.period, z.zone, z.city, z.province, {zsums}
            FROM w JOIN h_zones z ON z.zone = w.org_unit
            GROUP BY GROUPING SETS ((w.period, z.province, z.city, z.zone), (w.period, z.province, z.city),
                                    (w.period, z.province), (w.period))""",
    ]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--enterprises", type=int, default=1_500_000)
    ap.add_argument("--quarters", type=int, default=40)
    ap.add_argument("--memory-limit", default="12GB")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args()
    periods = periods_of(args.quarters)
    fset, _fields = formula_set()
    with tempfile.TemporaryDirectory(prefix="national_scale_") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        rows, ent_fields, zone_fields = generate(root, args.enterprises, periods, args.seed)
        size = sum(p.stat().st_size for p in root.rglob("*.parquet")) / 1024**2
        print(
            f"data: {args.enterprises:,} enterprises x {len(periods)} quarters ({periods[0]}–{periods[-1]}), "
            f"{len(ent_fields)} numeric fields + category + high_tech: {rows:,} reported values, "
            f"{size:,.0f} MiB Parquet (written in {time.perf_counter() - t0:.1f} s)"
        )
        con = connect(root, args.memory_limit, args.threads)

        t0 = time.perf_counter()
        for sql in hand_sql(fset, ent_fields, zone_fields):
            con.execute(sql)
        base_rows = con.execute(
            "SELECT (SELECT count(*) FROM h_totals) + (SELECT count(*) FROM h_zone_totals)"
        ).fetchone()[0]
        baseline = time.perf_counter() - t0
        print(f"hand-written SQL (wide, GROUPING SETS): {baseline:.2f} s ({base_rows:,} total rows)")
        # its wide table (one row per report) would otherwise hold memory and spill during the core's run
        for table in ("h_wide", "h_path"):
            con.execute(f"DROP TABLE {table}")

        t0 = time.perf_counter()
        # a year at a time: the same totals, with work tables of one year (tens of GB less spill)
        res = aggregate("vals", "tree", fset, basis=("ytd", "quarter"), con=con, by_year=True)
        rollup = time.perf_counter() - t0
        targeted = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT unit FROM tree WHERE kind IN ('zone', 'city', 'province', 'nation')"
            ).fetchall()
        }
        statuses = assess_all(res.indicators, targeted)
        core = time.perf_counter() - t0
        computable = int(res.indicators["value"].notna().sum())
        print(
            f"core full recompute: {core:.2f} s ({len(res.inputs):,} unit x period x basis rows x "
            f"{len(res.inputs.columns) - 4} inputs; {len(res.indicators):,} indicator values, {computable:,} computable; "
            f"{len(statuses):,} statuses; rollup and formulas {rollup:.2f} s, statuses {core - rollup:.2f} s)"
        )
        # the two agree on the nation's totals of every enterprise field, both bases
        con.register("core_inputs", res.inputs)
        checks = " UNION ALL ".join(
            f"SELECT '{c}' AS f, max(abs(h.{c} - c.{c}) / greatest(abs(c.{c}), 1)) AS d FROM h_totals h "
            f"JOIN core_inputs c ON c.unit = 'cn' AND c.period = h.period AND c.basis = h.basis "
            f"WHERE h.province IS NULL"
            for c in (f.code for f in ent_fields)
        )
        worst = con.execute(f"SELECT max(d) FROM ({checks})").fetchone()[0]
        print(
            f"check: nation totals of every enterprise field, core vs hand SQL, max relative difference {worst:.3g}"
        )
        print(f"peak RSS: {peak_rss_gb():.2f} GB (memory_limit {args.memory_limit}, {args.threads} threads)")
        con.close()
    # the statuses cost per unit × indicator × period, not per report: at the nation's size they
    # are a small share; at a small --enterprises they dominate, hence the second figure
    print(f"rollup and formulas only / hand SQL: {rollup / baseline:.2f}")
    print(f"ratio: national_scale {core / baseline:.2f} goal<=3")


if __name__ == "__main__":
    main()
