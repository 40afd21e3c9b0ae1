"""The evaluator's workspace lists only the assigned parks; an unassigned park's page is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"


@pytest.fixture
def world(shipped_plan_in_db, django_user_model):
    from lanbai.evaluation import services

    services.evaluation_scheme_register(None, plan_dir=SHIPPED)
    org = services.organisation_create(None, name="评估中心（模拟数据）", credit_code="91620100MA73XY123R")
    member = django_user_model.objects.create_user(username="pg", password="pw")
    services.member_add(None, org, member)
    a = services.assign(None, org, year=2019, unit_codes=["lzxq"])
    client = Client()
    client.force_login(member)
    return a, member, client


def test_workspace_lists_only_assigned_parks_and_refuses_others(world):
    from lanbai.plans.models import OrgUnit

    a, member, client = world
    page = client.get("/evaluation/?year=2019").content.decode()
    assert "/evaluation/2019/lzxq/" in page
    assert "/evaluation/2019/bygx/" not in page
    assert OrgUnit.objects.get(code="bygx").name not in page
    assert client.get("/evaluation/2019/lzxq/").status_code == 200
    assert client.get("/evaluation/2019/bygx/").status_code in (403, 404)
    assert client.post("/evaluation/2019/bygx/score/", {"score_targets": "5"}).status_code in (403, 404)


def test_score_submit_and_review_through_the_pages(world, django_user_model):
    from lanbai.access.models import UserScope
    from lanbai.evaluation.models import EvaluationReport

    a, member, client = world
    form = {
        "score_targets": "10",
        "score_tasks": "10",
        "score_innovation": "5",
        "score_governance": "10",
        "findings": "平台建设进展明显",
    }
    assert client.post("/evaluation/2019/lzxq/score/", form).status_code == 302
    assert "87.50" in client.get("/evaluation/2019/lzxq/").content.decode()
    assert client.post(f"/evaluation/assignments/{a.pk}/submit/").status_code == 302
    report = EvaluationReport.objects.get(assignment=a)
    assert report.state == "submitted"
    # the member cannot review its own report; the province returns it with a reason
    assert client.post(f"/evaluation/reports/{report.pk}/review/", {"decision": "accept"}).status_code == 403
    province = django_user_model.objects.create_user(username="prov", password="pw")
    UserScope.objects.create(user=province, role="province")
    pc = Client()
    pc.force_login(province)
    overview = pc.get("/evaluation/").content.decode()
    assert "平台建设进展明显" in overview and "待审查的评估报告" in overview
    assert (
        pc.post(
            f"/evaluation/reports/{report.pk}/review/", {"decision": "return", "reason": "请补充依据"}
        ).status_code
        == 302
    )
    report.refresh_from_db()
    assert (report.state, report.return_reason) == ("returned", "请补充依据")
    api = client.get("/api/evaluation/assignments/").json()
    assert [r["units"] for r in api] == [["lzxq"]] and api[0]["report_state"] == "returned"
    assert client.post(f"/api/evaluation/assignments/{a.pk}/submit/").json()["state"] == "submitted"
