"""Benchmark: import an enterprise quarterly file (10,000 and 100,000 rows) into PostgreSQL.

Read + validate + store through the real path (:func:`lanbai.collection.intake.import_records`),
side by side with python-calamine reading the same file alone.  Creates and drops its own scratch
database (``lanbai_bench``) on the server of ``DATABASE_URL`` (default postgres://postgres@127.0.0.1:5432/test).

    .venv/bin/python bench/import_enterprise.py [--sizes 10000 100000]

The import itself runs in a fresh subprocess (``--child``) that first imports a one-row file of
another quarter (the third of the year before), untimed, as a running server would have done (warm catalog caches and code paths);
its peak memory (VmHWM) is the import's own plus the interpreter and Django (the baseline, printed
too); registering the file's enterprises (setup) happens before, in the parent, and is not timed.

Every measurement runs in a fresh process after a CHECKPOINT (so no run pays for the WAL of the
one before): per size, the same rows are imported several times, as the first quarter of 2018, 2019
and 2020 (10,000 rows: of 2016 to 2020; equal work: new reports, no previous quarter), interleaved
with reads of the file by python-calamine alone (``--calamine``, one more than the imports); the
ratio is the median import over the median read.  The
last line is ``ratio: import_enterprise VALUE goal<=3``, VALUE the worst ratio of all sizes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlparse, urlunparse

SCRATCH = "lanbai_bench"
# first quarters: no previous quarter to compare with.  Small files get more samples: their run is
# short, so the machine's noise weighs more on a median of three.
PERIODS = ("2016Q1", "2017Q1", "2018Q1", "2019Q1", "2020Q1")
SAMPLES = {10_000: 5}  # imports per size (default 3: the last three periods)


def _admin_conn(url: str):
    import psycopg

    p = urlparse(url)
    return psycopg.connect(
        host=p.hostname,
        port=p.port or 5432,
        user=p.username,
        password=p.password,
        dbname="postgres",
        autocommit=True,
    )


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    ap.add_argument("--child", nargs=3, metavar=("FILE", "ROWS", "PERIOD"), help=argparse.SUPPRESS)
    ap.add_argument("--calamine", nargs=2, metavar=("FILE", "SHEET"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child[0], int(args.child[1]), args.child[2])
    if args.calamine:
        return calamine_child(*args.calamine)
    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    with _admin_conn(base) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{SCRATCH}"')
    os.environ["DATABASE_URL"] = urlunparse(urlparse(base)._replace(path=f"/{SCRATCH}"))
    os.environ["LANBAI_PERIOD_LOCK_DAYS"] = "1000000"  # the bench period must stay open
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanbai.config.settings")
    try:
        return run(args.sizes, base)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with _admin_conn(base) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


def _checkpoint(url: str) -> None:
    """Flush the WAL of earlier work (CHECKPOINT) so that no measurement pays for the one before;
    skipped when the role may not (PostgreSQL 15: superuser or pg_checkpoint)."""
    import psycopg

    try:
        with _admin_conn(url) as conn:
            conn.execute("CHECKPOINT")
    except psycopg.Error:
        pass


def _child_seconds(base: str, *args: str) -> float:
    """Run this script in a fresh process with ``args``; its last output line is the seconds."""
    _checkpoint(base)
    out = subprocess.run(
        [sys.executable, os.path.abspath(__file__), *args], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip().splitlines()[-1])


def calamine_child(path: str, sheet: str) -> int:
    """python-calamine alone reading the file's data sheet into Python values; print the seconds."""
    from python_calamine import CalamineWorkbook

    with open(path, "rb") as fh:
        data = fh.read()
    t0 = time.perf_counter()
    wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grid = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    seconds = time.perf_counter() - t0
    assert grid, "empty sheet"
    print(seconds)
    return 0


def _vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")


def _register(codes: list[str], zone) -> None:
    """Register the file's enterprises in the zone (setup, not timed)."""
    from lanbai.collection.models import Enterprise
    from lanbai.plans.models import OrgUnit, OrgUnitLink

    start = dt.date(2015, 1, 1)
    units = OrgUnit.objects.bulk_create(
        [
            OrgUnit(
                plan=zone.plan,
                code=f"ent-{c}",
                name=f"企业{c[-6:]}",
                kind="enterprise",
                valid_from=start,
                source="bench",
            )
            for c in codes
        ],
        batch_size=5000,
    )
    OrgUnitLink.objects.bulk_create(
        [OrgUnitLink(unit=u, parent=zone, valid_from=start) for u in units], batch_size=5000
    )
    Enterprise.objects.bulk_create(
        [
            Enterprise(credit_code=c, name=u.name, org_unit=u, zone=zone)
            for c, u in zip(codes, units, strict=True)
        ],
        batch_size=5000,
    )


def _vmhwm_mib() -> float:
    """Peak resident memory of this process so far (Linux VmHWM), MiB."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def child(path: str, n: int, period: str) -> int:
    """Import one file and nothing else; print seconds and peak memory as JSON."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from lanbai.collection.intake import import_records
    from lanbai.collection.intake.parsing import forms
    from lanbai.collection.models import SubmissionVersion

    forms()  # the shipped form definitions are loaded once per server process, not per upload
    user = get_user_model().objects.get(username="bench")
    warm = path.replace(".xlsx", "-warm.xlsx")  # a running server has imported before: warm caches
    with open(warm, "rb") as fh:
        res = import_records(
            user=user, filename=os.path.basename(warm), content=fh.read(), expected_unit="lzxq"
        )
    assert res.outcome == "accepted", (res.message, [p.message_en for p in res.problems[:3]])
    with open(path, "rb") as fh:
        data = fh.read()
    base = _vmhwm_mib()
    prof = None
    if os.environ.get("BENCH_PROFILE"):  # a cProfile of the import, written to that path
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t0 = time.perf_counter()
    res = import_records(
        user=user,
        filename=os.path.basename(path),
        content=data,
        expected_form="兰白统Q2表",
        expected_period=period,
        expected_unit="lzxq",
    )
    seconds = time.perf_counter() - t0
    if prof is not None:
        prof.disable()
        prof.dump_stats(os.environ["BENCH_PROFILE"])
    peak = _vmhwm_mib()
    if not res.accepted:
        print(f"refused: {res.message}; {[p.message_en for p in res.problems[:3]]}", file=sys.stderr)
        return 1
    stored = SubmissionVersion.objects.filter(upload=res.upload).count()
    assert stored == n, (stored, n)
    print(json.dumps({"seconds": seconds, "peak_mib": peak, "base_mib": base, "stored": stored}))
    return 0


def run(sizes: list[int], base: str) -> int:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from lanbai.collection.intake.parsing import form_by_code
    from lanbai.core.collection.synthetic import enterprise_columns, fast_workbook
    from lanbai.plans.models import OrgUnit
    from lanbai.plans.services import plan_load_into_db

    call_command("migrate", verbosity=0)
    plan_load_into_db()
    zone = OrgUnit.objects.get(code="lzxq")
    get_user_model().objects.create_superuser("bench", password="bench")  # noqa: S106
    form = form_by_code("兰白统Q2表")
    print(
        f"{'rows':>8} {'calamine s':>11} {'import s':>9} {'ratio':>6} {'stored':>8} "
        f"{'peak MiB':>9} {'of which baseline':>18}"
    )
    worst = float("nan")
    samples = []
    for k, n in enumerate(sizes):
        cols = enterprise_columns(form, n, seed=100 + k)
        _register(cols["credit_code"], zone)
        _vacuum_analyze()  # setup: fresh statistics, and no autovacuum of the new rows during a measurement
        with tempfile.TemporaryDirectory() as tmp:
            paths = {}
            one = {c: v[:1] for c, v in cols.items()}
            periods = PERIODS[-SAMPLES.get(n, 3) :]
            for period in periods:  # the same rows for several first quarters: imports of equal work
                paths[period] = os.path.join(tmp, f"bench-{n}-{period}.xlsx")
                with open(paths[period], "wb") as fh:
                    fh.write(
                        fast_workbook(form, cols, period=period, unit_code=zone.code, unit_name=zone.name)
                    )
                warm = f"{int(period[:4]) - 1}Q3"  # the child's untimed warm-up: one row, another quarter
                with open(paths[period].replace(".xlsx", "-warm.xlsx"), "wb") as fh:
                    fh.write(fast_workbook(form, one, period=warm, unit_code=zone.code, unit_name=zone.name))
            del cols
            # Same conditions for both sides: every measurement in a fresh process after a CHECKPOINT,
            # calamine reads and imports interleaved (the machine's speed drifts), medians of each.
            first = paths[periods[0]]
            reads = [_child_seconds(base, "--calamine", first, form.code)]
            runs = []
            for period, path in paths.items():
                _checkpoint(base)
                out = subprocess.run(
                    [sys.executable, os.path.abspath(__file__), "--child", path, str(n), period],
                    capture_output=True,
                    text=True,
                    check=False,
                )
                if out.returncode != 0:
                    print(out.stdout, out.stderr, file=sys.stderr)
                    return 1
                runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                reads.append(_child_seconds(base, "--calamine", first, form.code))
        samples.append((n, [r["seconds"] for r in runs], reads))
        t_cal = statistics.median(reads)
        t_imp = statistics.median(r["seconds"] for r in runs)
        ratio = t_imp / t_cal
        worst = ratio if not worst >= ratio else worst  # NaN-safe max
        print(
            f"{n:>8} {t_cal:>11.2f} {t_imp:>9.2f} {ratio:>6.2f} {runs[0]['stored']:>8} "
            f"{max(r['peak_mib'] for r in runs):>9.0f} {runs[0]['base_mib']:>18.0f}"
        )
    for n, imports, reads in samples:  # the spread behind each median
        print(
            f"{n:>8} imports {' '.join(f'{x:.2f}' for x in imports)} | calamine reads {' '.join(f'{x:.2f}' for x in reads)}"
        )
    print(f"ratio: import_enterprise {worst:.2f} goal<=3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
