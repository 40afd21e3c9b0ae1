"""Benchmark: a full recompute from the database against a hand-written DuckDB rollup of the same
approved figures exported to Parquet (issue 15, item 2).

Setup, untimed: the scratch PostgreSQL database of ``bench/approval_latency.py``
(``lanbai_bench_latency`` on the server of ``DATABASE_URL``): ``--reuse`` measures on the one that
``approval_latency.py --keep`` left; otherwise it is built the same way (migrate, the shipped plan,
``lanbai demo`` with ``--enterprises`` enterprises over the four zones, 24 quarters, through the real
importer and workflow) and dropped afterwards unless ``--keep``.  The approved figures and the
effective-dated tree are then exported once to Parquet in a temporary directory.

Timed, ``--runs`` times each, medians compared:

* core: a server process's first full recompute — the approved figures as DuckDB reads them from
  the store's Parquet mirror (``monitoring.data.reported_values_view``: the mirror first brought up
  to the change log in PostgreSQL), the tree and the 4区合计 members read from PostgreSQL, then
  :func:`lanbai.core.aggregate.aggregate` with the plan's formulas on the YTD and the single-quarter
  basis, as ``lanbai monitor recompute`` (latest approved version, effective-dated attribution,
  filtered sums, 4区合计, every formula with its reasons).  Its first run, which reads the store
  whole from PostgreSQL and writes the mirror, is printed apart;
* hand SQL: ``bench/national_scale.py``'s statements (:func:`national_scale.hand_sql`: one wide row
  per enterprise × period by ``arg_max``, the single quarter by ``lag()``, one ``GROUPING SETS``
  over zone → city → pilot zone, with the category splits, and the zones' own reports) over
  ``read_parquet`` views of the exported figures.  No formulas, no reasons, no 4区合计.

A check compares the pilot zone's totals of every enterprise field on both bases.  Prints both
medians, peak RSS and last ``ratio: recompute_from_db VALUE goal<=3`` (core / hand SQL).  Not run
by CI.

    .venv/bin/python bench/recompute_from_db.py [--reuse] [--enterprises 10000] [--runs 3]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from approval_latency import _peak_rss_mb, on_scratch, scratch_arguments, scratch_setup  # noqa: E402 - the same scratch database
from national_scale import form_fields, hand_sql  # noqa: E402 - the same baseline statements


def main() -> int:
    ap = scratch_arguments(__doc__)
    ap.add_argument("--runs", type=int, default=3)
    return on_scratch(ap.parse_args(), run)


def run(args) -> int:
    import django

    django.setup()
    from lanbai.core.aggregate import aggregate
    from lanbai.monitoring import data, selectors

    if not args.reuse:
        from django.test.utils import override_settings

        t = time.perf_counter()
        with override_settings(LANBAI_PERIOD_LOCK_DAYS=100_000):
            report = scratch_setup(args.enterprises)
        print(f"setup: {report.enterprises} enterprises, {report.approved} reports approved, "
              f"{time.perf_counter() - t:.1f} s", flush=True)
    version, _plan, fset = selectors.plan_core()

    def core():
        """The figures and tree from the database, then the core's full recompute (both bases), as
        a server process's first full recompute: DuckDB reads the store's mirror, brought up to the
        change log first (the first time: the store read whole and the mirror written)."""
        t0 = time.perf_counter()
        with duckdb.connect() as con:
            if not data.reported_values_view(con, "approved"):
                raise SystemExit("this database has no mirror of its approved figures")
            tree, members = selectors._read_inputs(version)  # the server's read of the tree and 4区合计
            read = time.perf_counter() - t0
            res = aggregate("approved", tree, fset, aggregates=members, basis=("ytd", "quarter"), con=con)
        return time.perf_counter() - t0, read, res

    from lanbai.collection.figures import mirror_path

    mirror = mirror_path()
    if mirror is not None:
        mirror.unlink(missing_ok=True)
    took, read, res = core()
    print(f"core, from the database, first time (the store read whole, its Parquet mirror written): "
          f"{took:.2f} s (of which the read {read:.2f} s)")
    core_times, reads = [], []
    for _ in range(args.runs):
        took, read, res = core()
        core_times.append(took)
        reads.append(read)
    computable = int(res.indicators["value"].notna().sum())
    values = data.reported_values_frame(compact=True)  # for the export below, untimed
    print(f"data: {values['org_unit'].nunique():,} units, {values['period'].nunique()} quarters, "
          f"{len(values):,} approved figures")
    print(f"core, from the database, as every later start (DuckDB reads the mirror): median "
          f"{statistics.median(core_times):.2f} s of {args.runs} ({', '.join(f'{x:.2f}' for x in core_times)}; "
          f"of which the mirror checked and the tree read {statistics.median(reads):.2f} s); "
          f"{len(res.inputs):,} unit x period x basis rows, {len(res.indicators):,} indicator values, "
          f"{computable:,} computable")

    with tempfile.TemporaryDirectory(prefix="recompute_from_db_") as tmp:
        # the same approved figures and tree, exported once (untimed); the codes as plain text
        columns = ["org_unit", "period", "field", "value", "value_text", "status", "version"]
        exported = values[columns].astype({c: "string" for c in ("org_unit", "period", "field", "value_text",
                                                                 "status")})
        pq.write_table(pa.Table.from_pandas(exported, preserve_index=False), f"{tmp}/values.parquet")
        tree, _members = selectors._read_inputs(version)
        pq.write_table(pa.Table.from_pandas(tree, preserve_index=False), f"{tmp}/tree.parquet")
        mib = Path(f"{tmp}/values.parquet").stat().st_size / 1024**2
        statements = hand_sql(fset, form_fields("enterprise"), form_fields("zone"))
        hand_times = []
        for _ in range(args.runs):
            con = duckdb.connect()
            con.execute(f"CREATE VIEW vals AS SELECT * FROM read_parquet('{tmp}/values.parquet')")
            con.execute(f"CREATE VIEW tree AS SELECT * FROM read_parquet('{tmp}/tree.parquet')")
            t0 = time.perf_counter()
            for sql in statements:
                con.execute(sql)
            rows = con.execute("SELECT (SELECT count(*) FROM h_totals) + (SELECT count(*) FROM h_zone_totals)"
                               ).fetchall()[0][0]
            hand_times.append(time.perf_counter() - t0)
            if len(hand_times) < args.runs:
                con.close()  # the last one is kept for the check
        print(f"hand-written SQL on the Parquet export ({mib:.0f} MiB): median {statistics.median(hand_times):.2f} s "
              f"({', '.join(f'{x:.2f}' for x in hand_times)}; {rows:,} total rows)")
        # the two agree on the pilot zone's totals of every enterprise field, both bases
        con.register("core_inputs", res.inputs)
        checks = " UNION ALL ".join(
            f"SELECT max(abs(h.{c} - c.{c}) / greatest(abs(c.{c}), 1)) AS d FROM h_totals h "
            f"JOIN core_inputs c ON c.unit = 'lanbai' AND c.period = h.period AND c.basis = h.basis "
            f"WHERE h.province = 'lanbai' AND h.city IS NULL"
            for c in (f.code for f in form_fields("enterprise"))
        )
        (worst, pairs), = con.execute(f"SELECT max(d), count(d) FROM ({checks})").fetchall()  # noqa: S608
        con.unregister("core_inputs")
        con.close()
    print(f"check: pilot-zone totals of every enterprise field, core vs hand SQL, {pairs} fields, "
          f"max relative difference {worst:.3g}")
    print(f"peak RSS of this process: {_peak_rss_mb():.0f} MB" + ("" if args.reuse else " (includes the setup)"))
    print(f"ratio: recompute_from_db {statistics.median(core_times) / statistics.median(hand_times):.2f} goal<=3")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
