"""The development index on the platform's approved figures: selector, CLI (--year, --save), API."""

from __future__ import annotations

import json

import pytest
from index_helpers import zone_values
from rest_framework.test import APIClient
from typer.testing import CliRunner

from lanbai.cli.main import app
from lanbai.indices.models import IndexRun
from lanbai.indices.selectors import IndexUnavailable, index_results

runner = CliRunner()
GDP = 1_000_000.0


@pytest.fixture
def two_zones(report):
    # 兰州高新区 doubles every indicator of the index but GDP; 白银高新区 stands still.  Neither has
    # 2014 figures on the platform or in the plan, so 2015 stands in for the base year.
    report("lzgx", "2015Q4", zone_values(GDP, 1.0))
    report("lzgx", "2016Q4", zone_values(GDP, 2.0))
    report("bygx", "2015Q4", zone_values(GDP / 2, 1.0))
    report("bygx", "2016Q4", zone_values(GDP / 2, 1.0))


# pillars 0.25 / 0.25 / 0.25 / 0.125 / 0.125; every normalised indicator is 200 except 地区生产总值 (100)
DOUBLED = 0.25 * 200 + 0.25 * 200 + 0.25 * (100 + 3 * 200) / 4 + 0.125 * 200 + 0.125 * 200  # 193.75


@pytest.mark.django_db
def test_index_by_hand_with_rank_and_band(two_zones):
    res = index_results(2016, runs=120, seed=1)
    by = {r["unit"]: r for r in res["results"]}
    assert set(by) == {"lzgx", "bygx"} and res["year"] == 2016 and res["base_year"] == 2014
    assert by["lzgx"]["index"] == pytest.approx(DOUBLED)
    assert by["bygx"]["index"] == pytest.approx(100.0)
    assert by["lzgx"]["pillars"]["industry"] == pytest.approx(175.0)
    assert (by["lzgx"]["rank"], by["bygx"]["rank"]) == (1, 2)
    assert by["lzgx"]["rank_p05"] == by["lzgx"]["rank_p95"] == 1.0  # far ahead under every assumption
    assert res["runs"] > 0 and len(res["framework_hash"]) == 64
    assert {s["source"] for s in res["base_sources"]} == {"first_year:2015"}
    base = [r for r in res["series"] if r["year"] == 2014]
    assert base and all(r["index"] == pytest.approx(100.0) for r in base)


@pytest.mark.django_db
def test_plan_baselines_stand_in_for_2014(report):
    report("lzxq", "2015Q4", zone_values(GDP, 1.0))
    report("bygx", "2015Q4", zone_values(GDP, 1.0))
    res = index_results(2015, runs=0)
    src = {(s["unit"], s["indicator"]): s for s in res["base_sources"]}
    assert src[("lzxq", "grp")]["source"] == "plan_baseline" and src[("lzxq", "grp")]["value"] == 96.4
    assert src[("bygx", "grp")]["source"] == "first_year:2015"
    assert res["notes"]["uncertainty"] and all(r["rank_p05"] is None for r in res["results"])


@pytest.mark.django_db
def test_no_figures_for_the_year_is_a_clear_error(two_zones):
    with pytest.raises(IndexUnavailable, match="2019"):
        index_results(2019, runs=0)
    with pytest.raises(IndexUnavailable, match="基期"):
        index_results(2010, runs=0)


@pytest.mark.django_db
def test_cli_compute_year_prints_and_saves(two_zones):
    res = runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "60", "--save"])
    assert res.exit_code == 0, res.output
    assert "兰州高新区" in res.output and "193.75" in res.output and "IndexRun" in res.output
    run = IndexRun.objects.get()
    assert run.year == 2016 and run.runs > 0 and run.framework_code == "lanbai_development_index"
    assert {r["unit"] for r in run.results["results"]} == {"lzgx", "bygx"}
    csv = runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "0", "--csv"])
    header, first, second = csv.stdout.strip().splitlines()
    # the base is stated per zone (here every indicator's base is the first report, 2015), never "2014=100"
    assert header.startswith("unit,name,year,index_base=100,base,flags,rank") and first.startswith(
        "lzgx,兰州高新区,2016,193.75,2015×"
    )
    assert "index_2014" not in header and "(首报年 first report)" in first


@pytest.mark.django_db
def test_a_missing_report_is_carried_forward_and_flagged_not_dropped(report):
    # 白银高新区 skips its 2016 report: it stays in the 2016 ranking with its 2015 values, flagged.
    report("lzgx", "2015Q4", zone_values(GDP, 1.0))
    report("lzgx", "2016Q4", zone_values(GDP, 2.0))
    report("bygx", "2015Q4", zone_values(GDP / 2, 1.0))
    res = index_results(2016, runs=0)
    by = {r["unit"]: r for r in res["results"]}
    assert (
        set(by) == {"lzgx", "bygx"}
        and res["notes"]["missing_zones"] == []
        or "兰州新区" in str(res["notes"]["missing_zones"])
    )
    assert by["bygx"]["index"] == pytest.approx(100.0) and by["bygx"]["carried"] > 0
    assert by["lzgx"]["carried"] == 0
    carried = res["notes"]["carried_forward"]
    assert (
        carried and {c["unit"] for c in carried} == {"bygx"} and {c["from_year"] for c in carried} == {2015}
    )
    csv = runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "0", "--csv"])
    assert "白银高新区,2016,100," in csv.stdout and "carried forward" in csv.stdout
    assert "bygx" in csv.stderr and "无已审核报表" in csv.stderr


@pytest.mark.django_db
def test_cli_compute_year_without_figures_exits_2(two_zones):
    res = runner.invoke(app, ["index", "compute", "--year", "2019", "--runs", "0"])
    assert res.exit_code == 2 and "2019" in res.output


@pytest.mark.django_db
def test_api_results_and_runs(two_zones, make_user):
    client = APIClient()
    assert client.get("/api/indices/results", {"year": 2016}).status_code in (401, 403)
    client.force_authenticate(make_user("eval", "evaluator"))
    got = client.get("/api/indices/results", {"year": 2016, "runs": 60, "seed": 3})
    assert got.status_code == 200, got.content
    body = got.json()
    direct = index_results(2016, runs=60, seed=3)
    assert body["results"] == json.loads(json.dumps(direct["results"]))
    assert client.get("/api/indices/results", {"year": 2019, "runs": 0}).status_code == 400
    runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "0", "--save"])
    runs = client.get("/api/indices/runs", {"year": 2016}).json()
    assert len(runs) == 1 and runs[0]["framework_code"] == "lanbai_development_index"


@pytest.mark.django_db
def test_cli_compute_year_without_a_plan_says_so():
    res = runner.invoke(app, ["index", "compute", "--year", "2019"])
    assert res.exit_code == 2 and "lanbai init" in res.output
