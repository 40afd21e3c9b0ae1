"""Assigning an evaluator organisation to plan measures (issue 16 item 5): the evaluator reads exactly
those measures' approved half-year reports and their evidence, scores them on the scheme's measure part,
and submits the one report the 省创新办 accepts or returns; a conflict with a measure's lead blocks it."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"
CODE = "91620100MA73XY123R"
MEASURE_SCORES = {"score_milestones": "8", "score_evidence": "6", "score_effect": "7"}


def _report(filler, sheng, code, period, *, to, name, unit="lzxq_committee"):
    """``unit``'s report on ``code`` with one evidence file: draft, approved or returned."""
    from lanbai.execution import selectors, services

    r = services.report_form_save(
        filler, measure=selectors.measure_get(filler, code), unit_code=unit, period=period,
        status="in_progress", pct="50", narrative=f"{name} 进展", late_reason="", submit=to != "draft",
        evidence=SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 " + name.encode()),
    )
    if to in ("approved", "returned"):
        services.report_review(sheng, pk=r.pk, approve=to == "approved", reason="请补充")
    return r.evidence.get().pk


@pytest.fixture
def world(shipped_plan_in_db, make_user, django_user_model):
    from lanbai.evaluation import services
    from lanbai.execution import services as execution

    execution.execution_load()
    services.evaluation_scheme_register(None, plan_dir=SHIPPED)
    sheng = make_user("sheng_m", "province")
    filler = make_user("f_lzxq_m", "zone_reporter", "lzxq")
    evidence = {
        "approved": _report(filler, sheng, "c05_01", "2019Q2", to="approved", name="m-approved"),
        "returned": _report(filler, sheng, "c05_01", "2019Q4", to="returned", name="m-returned"),
        # the co-responsible 兰州市创新办's draft of the same half year
        "draft": _report(make_user("city_m", "city", "lanzhou"), sheng, "c05_01", "2019Q2", to="draft",
                         name="m-draft", unit="lanzhou_office"),
        "other": _report(filler, sheng, "c05_02", "2019Q2", to="approved", name="other-approved"),
    }
    org = services.organisation_create(None, name="评估中心（模拟数据）", credit_code=CODE)
    member = django_user_model.objects.create_user(username="pg_m", password="pw")
    services.member_add(None, org, member)
    a = services.assign(None, org, year=2019, measure_codes=["c05_01"])
    client = Client()
    client.force_login(member)
    return {"org": org, "a": a, "member": member, "client": client, "evidence": evidence, "sheng": sheng}


def test_the_measure_scope_opens_its_approved_reports_and_evidence_only(world):
    from lanbai.access.policy import Action, can, can_on_measure, unit_ids
    from lanbai.execution.models import Measure
    from lanbai.plans.models import OrgUnit

    c, ev, member = world["client"], world["evidence"], world["member"]
    m, other = Measure.objects.get(code="c05_01"), Measure.objects.get(code="c05_02")
    assert can_on_measure(member, Action.EVALUATE_MEASURE, m)
    assert not can_on_measure(member, Action.EVALUATE_MEASURE, other)
    assert unit_ids(member, Action.READ_FIGURES) == set()  # a measure is no subtree of the tree
    assert not can(member, Action.READ_UNPUBLISHED)
    assert "/evaluation/2019/measures/c05_01/" in c.get("/evaluation/").content.decode()  # the workspace
    page = c.get("/evaluation/2019/measures/c05_01/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "m-approved.pdf" in body
    assert "m-returned" not in body and "m-draft" not in body and "other-approved" not in body
    base = "/evaluation/2019/measures/c05_01/evidence/"
    res = c.get(f"{base}{ev['approved']}/")
    assert res.status_code == 200 and res.content == b"%PDF-1.4 m-approved"
    assert c.get(f"{base}{ev['returned']}/").status_code == 404  # a returned report's
    assert c.get(f"{base}{ev['draft']}/").status_code == 404  # a draft's
    assert c.get(f"{base}{ev['other']}/").status_code == 404  # another measure's, through this one
    assert c.get(f"/evaluation/2018/measures/c05_01/evidence/{ev['approved']}/").status_code == 404  # year
    assert c.get("/evaluation/2019/measures/c05_02/").status_code == 403  # another measure
    assert c.get(f"/evaluation/2019/measures/c05_02/evidence/{ev['other']}/").status_code == 403
    assert c.get("/evaluation/2019/measures/nope/").status_code == 404
    assert c.get("/evaluation/2019/lzxq/").status_code == 403  # the lead's park: not assigned
    assert not can(member, Action.READ_FIGURES, OrgUnit.objects.get(code="lzxq"))
    assert c.get("/measures/c05_01/").status_code == 404  # the measure pages stay the units'
    assert c.get(f"/measures/evidence/{ev['approved']}/").status_code == 404


def test_retiring_the_measure_assignment_closes_it(world):
    from lanbai.evaluation import services

    c = world["client"]
    services.assignment_retire(None, world["a"], reason="合同终止")
    assert c.get("/evaluation/2019/measures/c05_01/").status_code == 403
    assert c.get(f"/evaluation/2019/measures/c05_01/evidence/{world['evidence']['approved']}/").status_code == 403


def test_score_the_measure_submit_and_the_province_returns_then_accepts(world):
    from lanbai.evaluation.models import Evaluation, EvaluationReport

    c, a = world["client"], world["a"]
    assert c.post(f"/evaluation/assignments/{a.pk}/submit/").status_code == 400  # nothing scored yet
    res = c.post("/evaluation/2019/measures/c05_01/score/", {"score_milestones": "8", "findings": "x"})
    assert res.status_code == 400  # every criterion of the measure part
    res = c.post("/evaluation/2019/measures/c05_01/score/", MEASURE_SCORES | {"findings": "里程碑基本完成"})
    assert res.status_code == 302
    ev = Evaluation.objects.get(measure__code="c05_01")
    assert float(ev.total) == 40 * 0.8 + 30 * 0.6 + 30 * 0.7  # 71.0, the scheme's measure weights
    assert "71.00" in c.get("/evaluation/2019/measures/c05_01/").content.decode()
    assert c.post("/evaluation/2019/measures/c05_02/score/", MEASURE_SCORES).status_code == 404
    assert c.post(f"/evaluation/assignments/{a.pk}/submit/").status_code == 302
    report = EvaluationReport.objects.get(assignment=a)
    province = Client()
    province.force_login(world["sheng"])
    overview = province.get("/evaluation/").content.decode()
    assert "里程碑基本完成" in overview and "c05_01" in overview
    assert province.post(f"/evaluation/reports/{report.pk}/review/",
                         {"decision": "return", "reason": "请写明依据"}).status_code == 302
    assert "请写明依据" in c.get("/evaluation/2019/measures/c05_01/").content.decode()
    assert c.post("/evaluation/2019/measures/c05_01/score/", MEASURE_SCORES).status_code == 302
    assert c.post(f"/evaluation/assignments/{a.pk}/submit/").status_code == 302
    assert province.post(f"/evaluation/reports/{report.pk}/review/", {"decision": "accept"}).status_code == 302
    report.refresh_from_db()
    assert (report.state, report.submissions) == ("accepted", 2)


def test_management_page_assigns_measures_and_a_conflict_with_the_lead_blocks(shipped_plan_in_db, make_user):
    from lanbai.evaluation.models import Assignment, EvaluatorOrganisation
    from lanbai.execution import services as execution

    execution.execution_load()
    province = Client()
    province.force_login(make_user("sheng_mm", "province"))
    assert province.post("/evaluation/organisations/new/",
                         {"name": "评估中心（模拟数据）", "credit_code": CODE}).status_code == 302
    pk = EvaluatorOrganisation.objects.get().pk
    base = f"/evaluation/organisations/{pk}/"
    page = province.get(base).content.decode()
    assert 'name="measures" value="c05_01"' in page and 'value="ru:wg_science"' in page
    res = province.post(base + "assign/", {"year": "2019"})
    assert res.status_code == 400 and "举措" in res.context["assign_form"].errors["units"][0]
    # a conflict with a responsible unit (a measure's lead) and one with a zone (a lead stands for it)
    assert province.post(base + "conflicts/", {"unit": "ru:lzxq_committee", "nature": "曾承担其课题"}).status_code == 302
    assert province.post(base + "conflicts/", {"unit": "lzgx", "nature": "曾为该园区编制规划"}).status_code == 302
    for code, why in (("c05_02", "曾承担其课题"), ("c06_01", "曾为该园区编制规划")):
        res = province.post(base + "assign/", {"year": "2019", "measures": ["c14_01", code]})
        assert res.status_code == 400
        msg = res.context["assign_form"].errors["measures"][0]
        assert code in msg and "牵头单位" in msg and why in msg
    assert not Assignment.objects.exists()
    assert province.post(base + "assign/", {"year": "2019", "units": ["bygx"],
                                            "measures": ["c14_01"]}).status_code == 302
    a = Assignment.objects.get()
    assert [m.code for m in a.measures.all()] == ["c14_01"] and [u.code for u in a.units.all()] == ["bygx"]
    page = province.get(base).content.decode()
    assert "/evaluation/2019/measures/c14_01/" in page and "/evaluation/2019/bygx/" in page
    assert "曾承担其课题" in page and "兰州新区管委会" in page
    assert province.post(f"/evaluation/assignments/{a.pk}/retire/", {"reason": " "}).status_code == 400


def test_demo_assigns_one_measure_the_evaluator_sees(shipped_plan_in_db, django_user_model):
    from lanbai.evaluation.demo import evaluation_demo_run
    from lanbai.evaluation.models import Assignment
    from lanbai.execution import services as execution

    execution.execution_load()
    user = django_user_model.objects.create_user(username="demo_evaluator", password="pw")
    assert "委托评估举措" in evaluation_demo_run()
    a = Assignment.objects.get(measures__isnull=False)
    m = a.measures.get()
    assert m.lead.code == "wg_science" and a.year == 2019
    c = Client()
    c.force_login(user)
    assert f"/evaluation/2019/measures/{m.code}/" in c.get("/evaluation/").content.decode()
    assert c.get(f"/evaluation/2019/measures/{m.code}/").status_code == 200
    evaluation_demo_run()
    assert Assignment.objects.filter(measures__isnull=False).count() == 1
