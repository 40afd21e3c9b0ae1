"""``lanbai monitor --period`` and /api/monitoring/*: same rows, clear errors, roles."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient
from test_monitoring_table import zone_values
from typer.testing import CliRunner

from lanbai.cli.main import app

runner = CliRunner()


@pytest.fixture
def reported(report):
    report("lzxq", "2017Q4", zone_values(1_800_000, rd_wan=36_000))
    report("lzxq", "2018Q4", zone_values(2_000_000))
    report("bygx", "2018Q4", zone_values(1_000_000), approve=False)


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.mark.django_db
def test_cli_table_json_and_csv(reported):
    res = runner.invoke(app, ["monitor", "--period", "2018Q4", "--unit", "兰州新区"])
    assert res.exit_code == 0, res.output
    assert "地区生产总值" in res.output and "严重滞后" in res.output and "亿元" in res.output
    res = runner.invoke(app, ["monitor", "--period", "2018Q4", "--unit", "lzxq", "--json"])
    rows = json.loads(res.output)
    grp = next(r for r in rows if r["indicator"] == "grp")
    assert (
        grp["value"] == pytest.approx(200.0) and grp["target_value"] == 500.0 and grp["status"] == "严重滞后"
    )
    assert grp["expected"] and grp["rule"] and grp["unit"] == "亿元"
    res = runner.invoke(
        app, ["monitor", "--period", "2018Q4", "--unit", "lzxq", "--csv", "--method", "eurostat"]
    )
    header, *lines = res.output.splitlines()
    assert header.startswith("period,org_unit,org_unit_name,indicator") and len(lines) == len(rows)
    assert all(",eurostat," in line for line in lines)


@pytest.mark.django_db
def test_cli_preview_counts_submitted_reports(reported):
    plain = json.loads(
        runner.invoke(app, ["monitor", "--period", "2018Q4", "--unit", "lanbai", "--json"]).output
    )
    prev = json.loads(
        runner.invoke(
            app, ["monitor", "--period", "2018Q4", "--unit", "lanbai", "--json", "--preview"]
        ).output
    )
    value = {r["indicator"]: r["value"] for r in plain}
    value_p = {r["indicator"]: r["value"] for r in prev}
    assert value["grp"] == pytest.approx(200.0) and value_p["grp"] == pytest.approx(300.0)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "2018Q5"], "2018Q2"),
        (["--period", "2018Q4", "--unit", "火星新区"], "未知单位"),
        (["--period", "2018Q4", "--method", "magic"], "--method"),
    ],
)
def test_cli_errors_are_clear_and_exit_1(shipped_plan_in_db, args, message):
    res = runner.invoke(app, ["monitor", *args])
    assert res.exit_code == 1
    assert message in res.output


@pytest.mark.django_db
def test_cli_without_a_plan_says_so():
    res = runner.invoke(app, ["monitor", "--period", "2018Q4"])
    assert res.exit_code == 1 and "lanbai init" in res.output


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["path", "eurostat", "escap"])
def test_api_results_equal_the_cli(reported, make_user, method):
    # zone staff read every unit's approved figures, as the CLI prints them; a city office only its
    # own zones' (issue 13: READ_FIGURES)
    user = make_user("zone_reader", "zone_reporter", "lzxq")
    got = api(user).get("/api/monitoring/results", {"period": "2018Q4", "method": method})
    assert got.status_code == 200, got.content
    cli = json.loads(
        runner.invoke(app, ["monitor", "--period", "2018Q4", "--method", method, "--json"]).output
    )
    assert got.json() == cli
    assert len(cli) > 10


@pytest.mark.django_db
def test_api_needs_login_and_preview_needs_a_reviewer(reported, make_user):
    assert api().get("/api/monitoring/results", {"period": "2018Q4"}).status_code in (401, 403)
    reader = make_user("evaluator", "evaluator")
    assert api(reader).get("/api/monitoring/results", {"period": "2018Q4"}).status_code == 200
    denied = api(reader).get("/api/monitoring/results", {"period": "2018Q4", "preview": "true"})
    assert denied.status_code == 403 and "审核员" in denied.json()["message"]
    reviewer = make_user("rev", "zone_reviewer", "bygx")
    ok = api(reviewer).get(
        "/api/monitoring/results", {"period": "2018Q4", "unit": "lanbai", "preview": "true"}
    )
    assert ok.status_code == 200
    assert next(r for r in ok.json() if r["indicator"] == "grp")["value"] == pytest.approx(300.0)


@pytest.mark.django_db
def test_api_bad_input_is_400_with_a_message(reported, make_user):
    user = make_user("city_reader", "city", "lanzhou")
    bad = api(user).get("/api/monitoring/results", {"period": "2018-4"})
    assert bad.status_code == 400 and "period" in bad.json()["extra"]["fields"]
    unknown = api(user).get("/api/monitoring/results", {"period": "2018Q4", "unit": "火星新区"})
    assert unknown.status_code == 400 and "未知单位" in unknown.json()["message"]


@pytest.mark.django_db
def test_api_series_and_diagnosis(reported, make_user):
    user = make_user("city_reader", "city", "lanzhou")
    series = api(user).get("/api/monitoring/series", {"indicator": "grp", "unit": "lzxq"}).json()
    assert [r["period"] for r in series] == ["2017Q4", "2018Q4"]
    res = api(user).get("/api/monitoring/diagnosis", {"period": "2018Q4", "indicator": "rd_intensity"})
    assert res.status_code == 200, res.content
    body = res.json()
    lzxq = next(u for u in body["units"] if u["org_unit"] == "lzxq")
    assert body["structure"] == "ratio" and lzxq["inputs"]["ratio_0"] == pytest.approx(2.0)
    assert lzxq["inputs"]["contrib_num"] + lzxq["inputs"]["contrib_den"] == pytest.approx(
        lzxq["inputs"]["change"]
    )


@pytest.mark.django_db
def test_api_outliers_for_reviewers_only_and_scoped(reported, make_user):
    reader = make_user("city_reader", "city", "lanzhou")
    assert api(reader).get("/api/monitoring/outliers", {"period": "2018Q4"}).status_code == 403
    sheng = make_user("sheng2", "province")
    rows = api(sheng).get("/api/monitoring/outliers", {"period": "2018Q4", "all": "true"}).json()
    assert {r["org_unit"] for r in rows} == {"lzxq", "bygx"}
    reviewer = make_user("rev", "zone_reviewer", "bygx")
    rows = api(reviewer).get("/api/monitoring/outliers", {"period": "2018Q4", "all": "true"}).json()
    assert {r["org_unit"] for r in rows} == {"bygx"}
    assert all(r["reporters"] == 2 and r["z"] is None for r in rows)  # two reporters: not assessed
