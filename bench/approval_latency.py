"""Benchmark: how long after a final approval the pages and the API show the new figure (PostgreSQL).

Setup, untimed, in a scratch database (``lanbai_bench_latency``, created and dropped on the server
of ``DATABASE_URL``, default postgres://postgres@127.0.0.1:5432/postgres): migrate, load the shipped
plan, then ``lanbai demo`` with ``--enterprises`` enterprises spread over the four zones, 2015Q1–
2020Q4, through the real importer and workflow (the demo leaves the last quarter of one zone
submitted).  Those reports get their zone review, and the pages are requested once (cold caches).

Measured, through Django's test client in this process (a logged-in 省创新办 user):

* warm: the request set — ``/`` (the dashboard), ``/zones/<zone>/`` and
  ``/api/monitoring/results/?period=2020Q4&unit=<zone>`` — with warm caches and no approval
  before it, ``--approvals`` times;
* approval: ``--approvals`` reports of that zone final-approved one by one
  (:func:`lanbai.collection.services.submission_final_approve`), each followed at once by the
  request set, repeated until every response differs from the one before the approval (the new
  figure shows); the latency is from the approval's return to the end of that first showing set.

Prints p50/p95 of both and, last, ``ratio: approval_latency VALUE goal<=3`` = p95(approval) /
p95(warm).  ``--keep`` keeps the scratch database; ``--reuse`` measures again on a kept one (no setup:
the approvals take further pending reports of the same zone).  Not run by CI; the default size (10,000
enterprises) takes long on a small machine.

    .venv/bin/python bench/approval_latency.py [--enterprises 10000] [--approvals 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

SCRATCH = "lanbai_bench_latency"
ROOT = Path(__file__).resolve().parents[1]


def _admin(url: str):
    import psycopg

    p = urlparse(url)
    return psycopg.connect(host=p.hostname, port=p.port or 5432, user=p.username, password=p.password,
                           dbname="postgres", autocommit=True)


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, max(0, round(q * (len(xs) - 1))))]


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def scratch_arguments(doc: str) -> argparse.ArgumentParser:
    """The options of a bench on the scratch database: --enterprises, --keep, --reuse."""
    ap = argparse.ArgumentParser(description=doc.splitlines()[0])
    ap.add_argument("--enterprises", type=int, default=10_000)
    ap.add_argument("--keep", action="store_true", help="keep the scratch database")
    ap.add_argument("--reuse", action="store_true", help="measure on the kept scratch database (no setup)")
    return ap


def main() -> int:
    ap = scratch_arguments(__doc__)
    ap.add_argument("--approvals", type=int, default=30)
    return on_scratch(ap.parse_args(), run)


def on_scratch(args, run) -> int:
    """``run(args)`` on the scratch database: created anew, or the kept one with ``--reuse``;
    dropped afterwards unless ``--keep`` (or ``--reuse``)."""
    args.keep = args.keep or args.reuse
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with _admin(url) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [SCRATCH]).fetchone()
        if args.reuse and not exists:
            print(f"--reuse: no database {SCRATCH}; run once with --keep first", file=sys.stderr)
            return 2
        if not args.reuse:
            admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")
            admin.execute(f"CREATE DATABASE {SCRATCH}")
    os.environ["DATABASE_URL"] = urlunparse(urlparse(url)._replace(path=f"/{SCRATCH}"))
    os.environ.setdefault("LANBAI_DATA_DIR", tempfile.mkdtemp(prefix="lanbai-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lanbai.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    try:
        return run(args)
    finally:
        from django.db import connections

        connections.close_all()
        if not args.keep:
            with _admin(url) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {SCRATCH}")


def scratch_setup(enterprises: int):
    """Migrate, load the shipped plan and run the demo with ``enterprises`` enterprises over the four
    zones (real importer and workflow); the demo's report.  Inside ``LANBAI_PERIOD_LOCK_DAYS=100_000``."""
    from django.core.management import call_command

    from lanbai.collection.demo.simulator import demo_run
    from lanbai.plans.services import plan_load_into_db

    call_command("migrate", interactive=False, verbosity=0)
    plan_load_into_db(plan_dir=ROOT / "plans" / "lanbai-2015-2020")
    return demo_run(synthetic_per_zone=max(1, enterprises // 4))


def run(args) -> int:
    import django

    django.setup()
    from django.db.models import Q
    from django.test import Client
    from django.test.utils import override_settings

    from lanbai.collection import services
    from lanbai.collection.demo.simulator import LAST
    from lanbai.collection.models import Submission
    from lanbai.plans.models import OrgUnit

    t = time.perf_counter()
    with override_settings(LANBAI_PERIOD_LOCK_DAYS=100_000, ALLOWED_HOSTS=["*"]):
        from django.contrib.auth import get_user_model

        users = get_user_model().objects
        province = users.get(username="demo_sheng") if args.reuse else None
        if not args.reuse:
            report = scratch_setup(args.enterprises)
            province = users.get(username="demo_sheng")
            print(f"setup: {report.enterprises} enterprises, {report.approved} reports approved, "
                  f"{report.pending} pending, {time.perf_counter() - t:.1f} s", flush=True)
            submitted = Submission.objects.filter(status="submitted", period=str(LAST))
            zone = OrgUnit.objects.filter(pk__in=submitted.values("org_unit_id"), kind="zone").get()
            # that zone's reports (the demo leaves a few enterprise reports of other zones submitted
            # too, for their reviewers' queues)
            pending = list(submitted.filter(Q(org_unit=zone) | Q(org_unit__enterprise__zone=zone))
                           .order_by("form_code", "pk").select_related("org_unit"))
            reviewer = users.get(username=f"demo_{zone.code}_review")
            services.submissions_approve_bulk(user=reviewer, ids=[s.pk for s in pending], final=False)
            own = [s.pk for s in pending if s.org_unit_id == zone.pk]  # the zone's own report: approved untimed
            services.submissions_approve_bulk(user=province, ids=own, final=True)
        pending = list(Submission.objects.filter(status="zone_approved", period=str(LAST))
                       .order_by("form_code", "pk").select_related("org_unit"))
        if not pending:
            print("no zone-approved report of the last quarter is left to approve", file=sys.stderr)
            return 2
        from lanbai.plans.selectors import orgunit_descendant_ids

        zone = next(z for z in OrgUnit.objects.filter(kind="zone")
                    if pending[0].org_unit_id in orgunit_descendant_ids({z.pk}))
        inside = orgunit_descendant_ids({zone.pk})  # once: a recursive query
        todo = [s for s in pending if s.org_unit_id in inside][: args.approvals]
        client = Client()
        client.force_login(province)
        urls = ["/", f"/zones/{zone.code}/", f"/api/monitoring/results/?period={LAST}&unit={zone.code}"]

        def request_set() -> list[bytes]:
            out = []
            for u in urls:
                r = client.get(u)
                assert r.status_code == 200, (u, r.status_code)
                out.append(r.content)
            return out

        t = time.perf_counter()
        before = request_set()
        print(f"cold request set: {time.perf_counter() - t:.2f} s", flush=True)
        warm = []
        for _ in range(max(5, args.approvals)):
            t = time.perf_counter()
            request_set()
            warm.append(time.perf_counter() - t)
        latencies, approvals, tries = [], [], []
        for s in todo:
            t0 = time.perf_counter()
            services.submission_final_approve(user=province, submission=s)
            t1 = time.perf_counter()
            n = 0
            while True:
                n += 1
                bodies = request_set()
                if all(b != a for a, b in zip(before, bodies, strict=True)) or n >= 20:
                    break
            latencies.append(time.perf_counter() - t1)
            approvals.append(t1 - t0)
            tries.append(n)
            before = bodies
    print(f"approvals: {len(latencies)} (the first request set showed the new figure: "
          f"{sum(1 for n in tries if n == 1)}/{len(tries)})")
    print(f"approval itself  p50 {statistics.median(approvals) * 1000:8.1f} ms  p95 {pct(approvals, .95) * 1000:8.1f} ms")
    print(f"warm request set p50 {statistics.median(warm) * 1000:8.1f} ms  p95 {pct(warm, .95) * 1000:8.1f} ms")
    print(f"approval → shown p50 {statistics.median(latencies) * 1000:8.1f} ms  "
          f"p95 {pct(latencies, .95) * 1000:8.1f} ms")
    print(f"peak RSS of this process (server and client): {_peak_rss_mb():.0f} MB"
          + (" (includes the setup)" if not args.reuse else ""))
    print(f"ratio: approval_latency {pct(latencies, .95) / pct(warm, .95):.2f} goal<=3")
    return 0


if __name__ == "__main__":
    sys.exit(main())
