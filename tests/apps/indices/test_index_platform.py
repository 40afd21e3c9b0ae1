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
    # 兰州高新区 doubles every indicator of the index but GDP; 白银高新区 (at 80 % of its levels) grows
    # only its GDP, by 10 %.  Neither has 2014 figures on the platform or in the plan, so every indicator
    # takes its declared base year, 2015 (framework.yaml).
    report("lzgx", "2015Q4", zone_values(GDP, 1.0))
    report("lzgx", "2016Q4", zone_values(GDP, 2.0))
    report("bygx", "2015Q4", zone_values(GDP / 2, 1.0, level=0.8))
    report("bygx", "2016Q4", zone_values(GDP / 2 * 1.1, 1.0, level=0.8))


# pillars 0.25 / 0.25 / 0.25 / 0.125 / 0.125, arithmetic; inside a pillar the equal-weight geometric mean
# (NBS 中国创新指数); every normalised indicator is 200 except 地区生产总值 (100)
INDUSTRY_DOUBLED = (100 * 200**3) ** 0.25  # 168.18
DOUBLED = 0.25 * 200 + 0.25 * 200 + 0.25 * INDUSTRY_DOUBLED + 0.125 * 200 + 0.125 * 200  # 192.04
# 白银高新区: 地区生产总值 and 高技术产业劳动生产率 (value added per employee) +10 %, the rest 100
INDUSTRY_STILL = (110 * 100 * 100 * 110) ** 0.25  # 104.88
STILL = 0.25 * 100 + 0.25 * 100 + 0.25 * INDUSTRY_STILL + 0.125 * 100 + 0.125 * 100  # 101.22


@pytest.mark.django_db
def test_index_by_hand_with_rank_and_band(two_zones):
    res = index_results(2016, runs=120, seed=1)
    by = {r["unit"]: r for r in res["results"]}
    assert set(by) == {"lzgx", "bygx"} and res["year"] == 2016 and res["base_year"] == 2014
    assert by["lzgx"]["index"] == pytest.approx(DOUBLED)
    assert by["bygx"]["index"] == pytest.approx(STILL)
    assert by["lzgx"]["pillars"]["industry"] == pytest.approx(INDUSTRY_DOUBLED)
    assert by["bygx"]["pillars"]["industry"] == pytest.approx(INDUSTRY_STILL)
    assert (by["lzgx"]["rank"], by["bygx"]["rank"]) == (1, 2)
    assert by["lzgx"]["rank_p05"] == by["lzgx"]["rank_p95"] == 1.0  # far ahead under every assumption
    assert res["runs"] > 0 and len(res["framework_hash"]) == 64
    assert {(s["source"], s["base_year"]) for s in res["base_sources"]} == {("declared:2015", 2015)}
    assert set(by["lzgx"]["base_years"].values()) == {2015} and len(by["lzgx"]["base_years"]) == 12
    # the base row of a zone on declared base years is a construction, not a year: not in the series
    assert {r["year"] for r in res["series"]} == {2015, 2016}
    assert all(r["index"] == pytest.approx(100.0) for r in res["series"] if r["year"] == 2015)


@pytest.mark.django_db
def test_plan_baselines_stand_in_for_2014(report):
    report("lzxq", "2015Q4", zone_values(GDP, 1.0))
    report("bygx", "2015Q4", zone_values(GDP * 0.9, 1.0, level=0.8))
    res = index_results(2015, runs=0)
    src = {(s["unit"], s["indicator"]): s for s in res["base_sources"]}
    assert src[("lzxq", "grp")]["source"] == "plan_baseline" and src[("lzxq", "grp")]["value"] == 96.4
    assert src[("lzxq", "grp")]["base_year"] == 2014
    assert src[("lzxq", "rd_platforms")]["source"] == "declared:2015"  # the plan has no 2014 baseline for it
    assert src[("bygx", "grp")]["source"] == "declared:2015" and src[("bygx", "grp")]["base_year"] == 2015
    by = {r["unit"]: r for r in res["results"]}
    assert by["lzxq"]["base_years"]["grp"] == 2014 and by["lzxq"]["base_years"]["rd_platforms"] == 2015
    assert by["lzxq"]["base"] == "2014×10 (规划基期值 plan baseline); 2015×2 (框架声明基期 declared)"
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
    assert "兰州高新区" in res.output and "192.04" in res.output and "IndexRun" in res.output
    run = IndexRun.objects.get()
    assert run.year == 2016 and run.runs > 0 and run.framework_code == "lanbai_development_index"
    assert {r["unit"] for r in run.results["results"]} == {"lzgx", "bygx"}
    csv = runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "0", "--csv"])
    header, first, second = csv.stdout.strip().splitlines()
    # the base is stated per zone and per indicator (here every indicator's declared base, 2015), never
    # "2014=100"; the level index (min–max across the zones of the year) beside the growth index
    assert header.startswith(
        "unit,name,year,index_base=100,level_0-100,level_rank,base,base_by_indicator,flags,rank"
    ) and first.startswith("lzgx,兰州高新区,2016,192.045,100,1,2015×12 (框架声明基期 declared),alliances=2015;")
    assert second.startswith("bygx,白银高新区,2016,101.22,0,2,")
    assert "index_2014" not in header and "首报年" not in csv.stdout
    assert "基期 / base year grp: bygx 2015, lzgx 2015" in runner.invoke(
        app, ["index", "compute", "--year", "2016", "--runs", "0"]
    ).stderr


@pytest.mark.django_db
def test_a_missing_report_is_carried_forward_and_flagged_not_dropped(report):
    # 白银高新区 skips its 2016 report: it stays in the 2016 ranking with its 2015 values, flagged.
    report("lzgx", "2015Q4", zone_values(GDP, 1.0))
    report("lzgx", "2016Q4", zone_values(GDP * 1.2, 2.0))
    report("bygx", "2015Q4", zone_values(GDP / 2, 1.0, level=0.8))
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
    first = body["results"][0]
    assert first["level"] is not None and first["level_rank"] in (1, 2) and first["base_years"]["grp"] == 2015
    assert {s["base_year"] for s in body["base_sources"]} == {2015}
    assert client.get("/api/indices/results", {"year": 2019, "runs": 0}).status_code == 400
    runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "0", "--save"])
    runs = client.get("/api/indices/runs", {"year": 2016}).json()
    assert len(runs) == 1 and runs[0]["framework_code"] == "lanbai_development_index"


@pytest.mark.django_db
def test_cli_compute_year_without_a_plan_says_so():
    res = runner.invoke(app, ["index", "compute", "--year", "2019"])
    assert res.exit_code == 2 and "lanbai init" in res.output


@pytest.mark.django_db
def test_an_indicator_without_variance_is_refused_naming_it_and_the_year(report):
    # both zones report the same 研发投入强度 (2 %) and 财政科技投入占比 (3 %) in 2015: no information to rank
    report("lzgx", "2015Q4", zone_values(GDP, 1.0))
    report("lzgx", "2016Q4", zone_values(GDP, 2.0))
    report("bygx", "2015Q4", zone_values(GDP / 2, 1.0))
    report("bygx", "2016Q4", zone_values(GDP / 2 * 1.1, 1.5))
    with pytest.raises(IndexUnavailable) as exc:
        index_results(2016, runs=0)
    msg = exc.value.message
    assert "rd_intensity 2015: [no-variance]" in msg and "fiscal_st_share 2015: [no-variance]" in msg
    assert "不作静默重新加权" in msg and "2016" not in msg.split("rd_intensity")[0]
    res = runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "0", "--csv"])
    assert res.exit_code == 2 and "rd_intensity 2015" in res.output


@pytest.mark.django_db
def test_the_same_growth_everywhere_is_refused(report):
    report("lzgx", "2015Q4", zone_values(GDP, 1.0))
    report("lzgx", "2016Q4", zone_values(GDP * 1.2, 2.0))
    report("bygx", "2015Q4", zone_values(GDP / 2, 1.0, level=0.8))
    report("bygx", "2016Q4", zone_values(GDP / 2 * 1.2, 1.5, level=0.8))  # 地区生产总值 +20 % in both zones
    with pytest.raises(IndexUnavailable, match=r"grp 2016: \[no-variance-growth\]"):
        index_results(2016, runs=0)


@pytest.mark.django_db
def test_a_zone_without_a_value_in_the_declared_base_year_is_refused(report):
    report("lzgx", "2015Q4", zone_values(GDP, 1.0))
    report("lzgx", "2016Q4", zone_values(GDP, 2.0))
    report("bygx", "2016Q4", zone_values(GDP / 2, 1.0, level=0.8))  # first report 2016: no 2015 base
    with pytest.raises(IndexUnavailable) as exc:
        index_results(2016, runs=0)
    assert "grp bygx: 声明基期 2015 年没有已审核数据" in exc.value.message


@pytest.mark.django_db
def test_level_index_by_hand_with_three_zones(report):
    # 2016 levels: 兰州经济区 halfway between the other two in every indicator (by construction of
    # zone_values: each intensity is linear in ``level``), so its level index is 50
    report("lzgx", "2015Q4", zone_values(GDP, 1.0))
    report("lzgx", "2016Q4", zone_values(GDP, 2.0))
    report("bygx", "2015Q4", zone_values(GDP / 2, 1.0, level=0.8))
    report("bygx", "2016Q4", zone_values(GDP / 2 * 1.1, 1.0, level=0.8))
    report("lzjj", "2015Q4", zone_values(GDP * 0.75, 1.0, level=0.9))
    report("lzjj", "2016Q4", zone_values(GDP * 0.8, 1.5, level=0.9))
    res = index_results(2016, runs=0)
    by = {r["unit"]: r for r in res["results"]}
    assert by["lzgx"]["level"] == pytest.approx(100.0) and by["bygx"]["level"] == pytest.approx(0.0)
    assert (by["lzgx"]["level_rank"], by["lzjj"]["level_rank"], by["bygx"]["level_rank"]) == (1, 2, 3)
    assert 0 < by["lzjj"]["level"] < 100


@pytest.mark.django_db
def test_distance_to_the_plan_targets_beside_the_level_index(report, client, make_user):
    # only 兰州新区 has zone targets for the index's indicators (附件1, 2020); 白银高新区 has none
    from lanbai.indices.selectors import index_table

    report("lzxq", "2015Q4", zone_values(GDP, 1.0))
    report("lzxq", "2016Q4", zone_values(GDP, 1.2))
    report("bygx", "2015Q4", zone_values(GDP / 2, 1.0, level=0.8))
    report("bygx", "2016Q4", zone_values(GDP / 2 * 1.1, 1.0, level=0.8))
    res = index_results(2016, runs=0)
    by = {r["unit"]: r for r in res["results"]}
    lzxq = by["lzxq"]["target"]
    ind = {r["indicator"]: r for r in lzxq["by_indicator"]}
    assert (lzxq["covered"], lzxq["indicators"], lzxq["sources"], lzxq["target_year"]) == (10, 12, ["附件1"], 2020)
    # R&D intensity 2 % × 1.2 = 2.4 % against the 2020 target 2.5 %
    assert ind["rd_intensity"]["value"] == pytest.approx(2.4) and ind["rd_intensity"]["target"] == 2.5
    assert ind["rd_intensity"]["attainment"] == pytest.approx(96.0)
    assert ind["energy_per_10k_gdp"]["attainment"] == pytest.approx(  # lower is better: target / value, ≤ 100
        min(100.0, 100 * 1.39 / ind["energy_per_10k_gdp"]["value"]))
    for code in ("rd_platforms", "alliances"):  # no target in the plan: no reading
        assert ind[code]["attainment"] is None and ind[code]["note"] == "无目标值"
    assert 0 < lzxq["attainment"] <= 100
    assert by["bygx"]["target"]["attainment"] is None and by["bygx"]["target"]["covered"] == 0
    rows = {r["园区 / zone"]: r for r in index_table(year=2016, runs=0)}
    col = "距2020年目标 / to the 2020 targets"
    assert rows["白银高新区"][col] == "无目标值"
    assert rows["兰州新区"][col] == f"{lzxq['attainment']:.1f}%（10/12 项，附件1）"
    # the CLI: one line per zone after the table (growth and level index), CSV columns
    out = runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "0"])
    assert out.exit_code == 0, out.output
    flat = out.stderr.replace("\n", "")  # the console wraps at 80 columns
    assert "距2020年目标 / to the 2020 targets 白银高新区: 无目标值" in flat
    assert f"距2020年目标 / to the 2020 targets 兰州新区: {lzxq['attainment']:.1f}%（10/12 项，附件1）：" in flat
    assert "rd_intensity 96.0%（2.4/2.5，附件1）" in flat and "rd_platforms 无目标值" in flat
    csv = runner.invoke(app, ["index", "compute", "--year", "2016", "--runs", "0", "--csv"]).stdout
    head, *lines = csv.strip().splitlines()
    assert "target_2020_%,target_coverage,to_target" in head
    assert any(line.startswith("bygx,") and ",0/12,无目标值" in line for line in lines)
    # the API and the index page (staff)
    user = make_user("index_target", "province")
    api = APIClient()
    api.force_authenticate(user)
    zones = {r["unit"]: r for r in api.get("/api/indices/results", {"year": 2016, "runs": 0}).json()["results"]}
    assert zones["lzxq"]["target"]["covered"] == 10 and zones["bygx"]["target"]["attainment"] is None
    client.force_login(user)
    html = client.get("/index/?year=2016").content.decode()
    assert "距2020年目标" in html and "无目标值" in html and "（10/12 项，附件1）" in html
    assert "兰州新区：逐项距2020年目标" in html and "白银高新区：逐项距2020年目标" not in html
