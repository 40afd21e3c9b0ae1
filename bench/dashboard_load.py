"""Benchmark: the dashboard and indicator pages under 20 concurrent clients on loopback.

Setup (in a temporary data directory, or the database of ``DATABASE_URL`` if set — it must be a
scratch database): migrate, load the shipped plan, enter approved zone reports for the four
zones, 2015Q1–2020Q4, through the real workflow services, and publish the 2020Q4 bulletin (the
public sees published figures only).  The site is served by waitress (8
threads) in a subprocess.  Each phase runs 20 client threads (keep-alive HTTP/1.1) for the given
seconds:

1. baseline: the trivial Django view ``/healthz``;
2. pages: ``/`` (the 10 cards of 专栏1), and ``/indicators/<code>/`` for the 10 headline indicators,
   round robin.

Reported: requests, throughput and latency percentiles per phase.  The ratio is
p95(pages) / p95(healthz) measured in the same run.

Usage: python bench/dashboard_load.py [SECONDS]   (default 30 per phase)
Last line: ``ratio: dashboard_load VALUE goal<=5``.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

CLIENTS = 20
ZONES = ("lzxq", "lzgx", "lzjj", "bygx")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_data() -> list[str]:
    """Migrate, load the plan, approve 4 zones × 24 quarters; return the indicator codes of 专栏1."""
    import datetime as dt

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test.utils import override_settings
    from django.utils import timezone

    from lanbai.access.models import UserScope
    from lanbai.collection import services
    from lanbai.core.periods import quarters
    from lanbai.plans import selectors as plan_selectors
    from lanbai.plans.models import OrgUnit
    from lanbai.plans.services import plan_load_into_db

    call_command("migrate", interactive=False, verbosity=0)
    plan_load_into_db(plan_dir=Path(__file__).resolve().parents[1] / "plans" / "lanbai-2015-2020")
    plan = plan_selectors.plan_current()
    users = get_user_model().objects
    province = users.create_user("bench_sheng", password="x")
    UserScope.objects.create(user=province, role="province")
    now = timezone.make_aware(dt.datetime(2021, 1, 20))
    with override_settings(LANBAI_PERIOD_LOCK_DAYS=100_000):
        for k, zone in enumerate(ZONES):
            unit = OrgUnit.objects.get(plan=plan, code=zone)
            filler = users.create_user(f"bench_f_{zone}", password="x")
            reviewer = users.create_user(f"bench_r_{zone}", password="x")
            UserScope.objects.create(user=filler, role="zone_reporter", org_unit=unit)
            UserScope.objects.create(user=reviewer, role="zone_reviewer", org_unit=unit)
            for q in quarters("2015Q1", "2020Q4"):
                growth = 1.1 ** (q.year - 2015) * q.q / 4 * (1 + k)
                values = {
                    "gdp": 400_000 * growth,
                    "resident_population": 20.0 + k,
                    "urban_population": 12.0 + k,
                    "fiscal_expenditure": 50_000 * growth,
                    "fiscal_st_expenditure": 1_200 * growth,
                    "zone_rd_expenditure": 8_000 * growth,
                    "energy_consumption": 300_000 * growth,
                    "zone_tech_contract_value": 9_000 * growth,
                    "zone_industrial_va": 150_000 * growth,
                    "hightech_va": 30_000 * growth,
                    "emerging_va": 60_000 * growth,
                    "hightech_employment": 8_000.0,
                    "zone_rd_staff": 1_500.0,
                    "zone_invention_patents": 120.0,
                }
                sub, _ = services.submission_save_version(
                    user=filler, form_code="兰白统Q1表", unit=unit, period=str(q), values=values, now=now
                )
                services.submission_submit(user=filler, submission=sub, now=now)
                services.submission_review(user=reviewer, submission=sub, approve=True)
                services.submission_final_approve(user=province, submission=sub, now=now)
    # the public sees published figures only: publish the latest quarter's bulletin, as 省创新办 would
    from lanbai.access.policy import OPERATOR
    from lanbai.reports.services import release_create

    release_create(kind="bulletin", period="2020Q4", user=OPERATOR, publish=True)
    return [h["indicator"].code for h in plan_selectors.headline_indicator_list(plan=plan)]


def run_phase(port: int, paths: list[str], seconds: float) -> list[float]:
    """CLIENTS threads, each with its own keep-alive connection, requesting ``paths`` round robin."""
    stop = time.perf_counter() + seconds
    latencies: list[list[float]] = [[] for _ in range(CLIENTS)]
    errors: list[str] = []

    def client(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        n = i
        while time.perf_counter() < stop:
            path = paths[n % len(paths)]
            n += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Accept-Language": "zh-hans"})
                resp = conn.getresponse()
                resp.read()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{path}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                continue
            if resp.status != 200:
                errors.append(f"{path}: HTTP {resp.status}")
            latencies[i].append(time.perf_counter() - t0)
        conn.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise SystemExit(f"{len(errors)} failed requests, e.g. {errors[:3]}")
    return sorted(x for lat in latencies for x in lat)


def pct(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(name: str, lat: list[float], seconds: float) -> None:
    print(
        f"{name:10s} requests={len(lat):6d} rps={len(lat) / seconds:8.1f} "
        f"p50={pct(lat, 50) * 1000:7.1f}ms p95={pct(lat, 95) * 1000:7.1f}ms p99={pct(lat, 99) * 1000:7.1f}ms"
    )


def main() -> None:
    seconds = float(sys.argv[1]) if len(sys.argv) > 1 else 30.0
    tmp = tempfile.TemporaryDirectory(prefix="lanbai-bench-")
    # a served site refuses the built-in development key (lanbai.config.secret): a throwaway one
    env = dict(os.environ, LANBAI_DATA_DIR=tmp.name, DJANGO_SETTINGS_MODULE="lanbai.config.settings",
               LANBAI_SECRET_KEY=secrets.token_urlsafe(50))
    os.environ.update(env)
    t0 = time.perf_counter()
    codes = setup_data()
    print(f"setup: 4 zones × 24 quarters approved in {time.perf_counter() - t0:.1f}s; data dir {tmp.name}")
    port = free_port()
    log = open(Path(tmp.name) / "waitress.log", "wb")  # noqa: SIM115 - a pipe would fill up and block the server
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "waitress",
            "--threads=8",
            f"--listen=127.0.0.1:{port}",
            "lanbai.config.wsgi:application",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=2).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        pages = ["/"] + [f"/indicators/{c}/" for c in codes]
        for p in pages:  # warm up (and fail early on an error page)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", p)
            resp = conn.getresponse()
            body = resp.read()
            if resp.status != 200:
                raise SystemExit(f"{p}: HTTP {resp.status}")
            if p == "/" and "报告期：2020Q4".encode() not in body:
                raise SystemExit("the dashboard does not show the latest period 2020Q4")
        base = run_phase(port, ["/healthz"], seconds)
        report("healthz", base, seconds)
        lat = run_phase(port, pages, seconds)
        report("pages", lat, seconds)
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
        tmp.cleanup()
    print(f"ratio: dashboard_load {pct(lat, 95) / pct(base, 95):.2f} goal<=5")


if __name__ == "__main__":
    main()
