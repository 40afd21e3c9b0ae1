"""Year-to-date rule against the stored previous quarter: service, JSON API and web entry."""

from __future__ import annotations

import pytest
from django.test import Client
from reporting_helpers import ENT_FORM, ZONE_FORM, ent_row, zone_row
from rest_framework.test import APIClient

from lanbai.collection import services
from lanbai.collection.choices import UploadOutcome
from lanbai.collection.intake.checks import previous_period, previous_values, ytd_problems
from lanbai.collection.intake.parsing import form_by_code
from lanbai.collection.models import Submission, Upload
from lanbai.plans.models import OrgUnit


@pytest.fixture(autouse=True)
def _open_periods(settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def store(user, period, *, form=ZONE_FORM, unit="lzxq", **over):
    values = {k: str(v) for k, v in zone_row(**over).items()}
    return services.submission_save_version(
        user=user, form_code=form, unit=OrgUnit.objects.get(code=unit), period=period, values=values
    )[0]


def post(user, period, **over):
    body = {"form_code": ZONE_FORM, "period": period, "unit": "lzxq", "records": [zone_row(**over)]}
    return api(user).post("/api/collection/reports/", body, format="json")


def approved_then_returned(people, period, **over):
    """lzxq's report of ``period`` approved by 省创新办, then returned: its approved version stays."""
    sub = store(people["reporter"], period, **over)
    services.submission_submit(user=people["reporter"], submission=sub)
    services.submission_review(user=people["reviewer"], submission=sub, approve=True)
    services.submission_final_approve(user=people["province"], submission=sub)
    sub.refresh_from_db()
    services.submission_final_approve(user=people["province"], submission=sub, approve=False, reason="改")


def test_previous_period():
    assert previous_period("2018Q2") == "2018Q1" and previous_period("2018Q4") == "2018Q3"
    assert previous_period("2018Q1") is None


def test_service_flow_decrease_is_a_problem_naming_field_and_both_values(people):
    store(people["reporter"], "2018Q1", gdp=120000.5)
    form, unit = form_by_code(ZONE_FORM), OrgUnit.objects.get(code="lzxq")
    problems = ytd_problems(
        form=form, unit_values={unit.id: zone_row(gdp=100000.0, zone_rd_staff=10)}, period="2018Q2"
    )
    assert [(p.field, p.rule, p.row) for p in problems] == [("gdp", "ytd.flow_decreased", 1)]
    assert "100000" in problems[0].message_zh and "120000.5" in problems[0].message_zh
    assert "地区生产总值" in problems[0].message_zh
    # stock decreasing (R&D staff 2000 -> 10) alone: nothing; Q1 and another year: nothing
    assert ytd_problems(form=form, unit_values={unit.id: zone_row(zone_rd_staff=10)}, period="2018Q2") == []
    assert ytd_problems(form=form, unit_values={unit.id: zone_row(gdp=1.0)}, period="2018Q1") == []
    assert ytd_problems(form=form, unit_values={unit.id: zone_row(gdp=1.0)}, period="2019Q2") == []


def test_approved_version_is_the_reference_when_there_is_one(people):
    approved_then_returned(people, "2018Q1", gdp=100)
    store(people["reporter"], "2018Q1", gdp=500)  # a returned, re-edited version: not approved
    form, unit = form_by_code(ZONE_FORM), OrgUnit.objects.get(code="lzxq")
    assert ytd_problems(form=form, unit_values={unit.id: zone_row(gdp=200)}, period="2018Q2") == []
    assert len(ytd_problems(form=form, unit_values={unit.id: zone_row(gdp=50)}, period="2018Q2")) == 1


def test_a_read_of_some_fields_takes_them_from_the_same_version_as_a_whole_read(people):
    """previous_values(fields=…) (the 同比 check's read) picks the approved version, else the current
    one, like the read of whole documents, and leaves out a field the version does not have."""
    lzxq, zjz = OrgUnit.objects.get(code="lzxq"), OrgUnit.objects.get(code="bygx")
    approved_then_returned(people, "2018Q1", gdp=100)
    store(people["reporter"], "2018Q1", gdp=500)  # re-edited, not approved: the approved 100 counts
    store(people["other_reporter"], "2018Q1", unit="bygx", gdp=700)  # never approved: the current 700
    form, ids = form_by_code(ZONE_FORM), [lzxq.id, zjz.id]
    whole = previous_values(form=form, unit_ids=ids, period="2018Q2")
    some = previous_values(form=form, unit_ids=ids, period="2018Q2", fields=["gdp", "no_such_field"])
    assert some == {u: {"gdp": whole[u]["gdp"]} for u in ids}
    assert float(some[lzxq.id]["gdp"]) == 100 and float(some[zjz.id]["gdp"]) == 700


def test_api_refuses_a_falling_flow_and_accepts_a_falling_stock(people):
    assert post(people["reporter"], "2018Q1").status_code == 201
    res = post(people["reporter"], "2018Q2", gdp=100000)
    assert res.status_code == 400
    body = res.json()
    assert [(p["field"], p["rule"]) for p in body["problems"]] == [("gdp", "ytd.flow_decreased")]
    assert "120000.5" in body["problems"][0]["message_zh"]
    assert not Submission.objects.filter(period="2018Q2").exists()
    assert Upload.objects.get(pk=body["upload"]).outcome == UploadOutcome.REFUSED  # kept raw
    ok = post(people["reporter"], "2018Q2", gdp=130000, zone_rd_staff=1500)
    assert ok.status_code == 201 and Submission.objects.filter(period="2018Q2").count() == 1


def test_q1_and_another_year_are_unaffected(people):
    assert post(people["reporter"], "2018Q4", energy_consumption=5000).status_code == 201
    assert post(people["reporter"], "2019Q1", energy_consumption=100).status_code == 201  # a new year
    assert post(people["reporter"], "2020Q2", energy_consumption=10).status_code == 201  # no 2020Q1
    assert post(people["reporter"], "2019Q2", energy_consumption=50).status_code == 400  # below 2019Q1


def test_api_enterprise_rows_are_checked_per_enterprise(people, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    rows = [ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)]
    body = {"form_code": ENT_FORM, "period": "2018Q1", "unit": "lzxq", "records": rows}
    assert api(people["reporter"]).post("/api/collection/reports/", body, format="json").status_code == 201
    rows = [ent_row(a.credit_code, a.name, revenue=2000), ent_row(b.credit_code, b.name, revenue=10)]
    res = api(people["reporter"]).post(
        "/api/collection/reports/", body | {"period": "2018Q2", "records": rows}, format="json"
    )
    assert res.status_code == 400
    assert [(p["row"], p["field"]) for p in res.json()["problems"]] == [(2, "revenue")]
    assert not Submission.objects.filter(period="2018Q2").exists()


def test_forbidden_user_learns_nothing_from_the_rule(people):
    store(people["reporter"], "2018Q1")
    res = post(people["other_reporter"], "2018Q2", gdp=1)
    assert res.status_code == 403 and "120000.5" not in res.content.decode()
    assert not Submission.objects.filter(period="2018Q2").exists()


def test_web_zone_entry_shows_the_problem_next_to_the_field(people):
    store(people["reporter"], "2018Q1")
    c = Client()
    c.force_login(people["reporter"])
    data = {k: str(v) for k, v in zone_row(gdp=100000).items()} | {"lock_version": "0"}
    res = c.post("/collection/entry/lzxq/2018Q2/", data)
    html = res.content.decode()
    assert res.status_code == 400 and "ytd.flow_decreased" in html and "120000.5" in html
    assert not Submission.objects.filter(period="2018Q2").exists()
    data["gdp"] = "130000"
    assert c.post("/collection/entry/lzxq/2018Q2/", data).status_code == 302


def test_columnar_call_for_the_importer_reports_excel_rows(people, enterprises):
    from lanbai.collection.intake.checks import ytd_problems_for_columns

    a, b, c = enterprises["a"], enterprises["b"], enterprises["c"]
    rows = [ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)]
    body = {"form_code": ENT_FORM, "period": "2018Q1", "unit": "lzxq", "records": rows}
    assert api(people["reporter"]).post("/api/collection/reports/", body, format="json").status_code == 201
    form = form_by_code(ENT_FORM)
    new = [ent_row(c.credit_code, c.name), ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)]
    new[2]["profit"] = 1  # b falls from 80 to 1
    columns = {f: [r.get(f) for r in new] for f in form.field_codes}
    units = [c.org_unit_id, a.org_unit_id, b.org_unit_id]
    problems = ytd_problems_for_columns(
        form=form,
        unit_ids=units,
        columns=columns,
        period="2018Q2",
        source="f.xlsx",
        sheet="S",
        row_numbers=[7, 8, 9],
    )
    assert [(p.row, p.sheet, p.field, p.value) for p in problems] == [(9, "S", "profit", "1")]
    assert problems[0].message_zh.startswith("文件 f.xlsx 工作表 S 第 9 行（利润")
    assert "80" in problems[0].message_zh and "row 9" in problems[0].message_en
    with pytest.raises(ValueError, match="same length"):
        ytd_problems_for_columns(form=form, unit_ids=units[:2], columns=columns, period="2018Q2")
