"""The assessment's page, API and CLI (issue 16 item 4): the six units, scoped, with their evidence."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from typer.testing import CliRunner

pytestmark = pytest.mark.django_db


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_pages_list_the_six_units_and_the_evidence(year_2019, make_user, today):
    from lanbai.assessment import services

    services.assessment_compute(None, year=2019, today=today)
    province = _client(year_2019)
    page = province.get("/assessment/?year=2019").content.decode()
    for name in ("兰州市", "白银市", "兰州新区", "兰州高新区", "兰州经济区", "白银高新区"):
        assert name in page
    assert "评分办法 v1" in page and 'action="/assessment/compute/"' in page
    assert 'href="/assessment/"' in province.get("/measures/").content.decode()  # reachable from the measures
    unit = province.get("/assessment/2019/lzxq/").content.decode()
    assert "重点任务完成" in unit and "c05_02" in unit and "2020-01-25 报送" in unit
    zone = _client(make_user("z", "zone_reporter", "bygx"))
    assert "兰州新区" not in zone.get("/assessment/?year=2019").content.decode()
    assert zone.get("/assessment/2019/lzxq/").status_code == 404
    assert zone.get("/assessment/2019/bygx/").status_code == 200
    assert zone.post("/assessment/compute/", {"year": 2019}).status_code == 403


def test_compute_from_the_page_then_the_api(year_2019, make_user):
    from lanbai.assessment import selectors

    province = _client(year_2019)
    res = province.post("/assessment/compute/", {"year": 2019})
    assert res.status_code == 302 and res["Location"] == "/assessment/?year=2019"
    assert selectors.run_latest(2019).computed_by == year_2019
    data = province.get("/api/assessment/2019/").json()
    assert [u["unit"] for u in data["units"]] == ["lanzhou", "baiyin", "lzxq", "lzgx", "lzjj", "bygx"]
    assert data["scheme_version"] == 1
    assert all(u["grade"] in ("优秀", "良好", "合格", "不合格") for u in data["units"])
    one = province.get("/api/assessment/2019/lzxq/").json()
    assert one["score"]["unit"] == "lzxq" and one["scheme"]["version"] == 1
    city = _client(make_user("c", "city", "baiyin"))
    assert [u["unit"] for u in city.get("/api/assessment/2019/").json()["units"]] == ["baiyin", "bygx"]
    assert city.post("/api/assessment/2019/compute/", {}).status_code == 403
    assert province.get("/api/assessment/2017/").json() == {"year": 2017, "assessed": False, "units": []}
    assert province.post("/api/assessment/2019/compute/", {}, content_type="application/json").status_code == 201


def test_cli_assess_zones_json(year_2019):
    from lanbai.cli.main import app

    runner = CliRunner()
    res = runner.invoke(app, ["assess", "zones", "--year", "2019", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert len(data["units"]) == 6 and data["year"] == 2019
    lzxq = next(u for u in data["units"] if u["unit"] == "lzxq")
    assert {c["component"] for c in lzxq["components"]} >= {"measures_completed", "reporting_timeliness"}
    table = runner.invoke(app, ["assess", "zones", "--year", "2019"])
    assert table.exit_code == 0 and "白银高新区" in table.output and "评分办法 v1" in table.output
    assert runner.invoke(app, ["assess", "zones", "--year", "1999"]).exit_code == 1
