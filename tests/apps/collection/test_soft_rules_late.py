"""Soft rules (核实性审核) explained at 上报, and the reporting calendar: future, locked, 准予逾期填报."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone
from reporting_helpers import ENT_FORM, ZONE_FORM, ent_file, ent_row, zone_file, zone_row

from lanbai.collection import selectors, services
from lanbai.collection.choices import Status, UploadOutcome
from lanbai.collection.intake import import_records
from lanbai.collection.models import LateRequest, SoftRuleWarning, Submission
from lanbai.common.exceptions import PermissionDeniedError, ValidationFailed
from lanbai.common.models import AuditEvent
from lanbai.plans.models import OrgUnit


@pytest.fixture(autouse=True)
def _open_periods(settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000  # historical periods open, unless a test says otherwise


def unit(code="lzxq"):
    return OrgUnit.objects.get(code=code)


def last_year(user, period="2017Q2", **over):
    values = {k: str(v) for k, v in zone_row(**over).items()}
    return services.submission_save_version(
        user=user, form_code=ZONE_FORM, unit=unit(), period=period, values=values
    )[0]


def upload(user, content, name="q1.xlsx", **kw):
    return import_records(user=user, filename=name, content=content, **kw)


def test_a_file_breaking_only_a_soft_rule_is_a_draft_and_上报_needs_the_explanation(people):
    reporter, reviewer = people["reporter"], people["reviewer"]
    last_year(reporter, gdp=100000)
    res = upload(reporter, zone_file(period="2018Q2", gdp=180000))  # +80 % on 2017Q2: gdp_yoy
    assert res.outcome == UploadOutcome.ACCEPTED and [p.rule_key for p in res.warnings] == ["gdp_yoy"]
    assert "核实性审核" in res.message
    sub = Submission.objects.get(period="2018Q2")
    assert sub.status == Status.DRAFT
    (w,) = SoftRuleWarning.objects.filter(version=sub.current_version)
    assert (w.rule_key, w.field, w.bound, w.explanation) == ("gdp_yoy", "gdp", "±50%", "")
    assert "地区生产总值同比变化超过50%" in w.message_zh and "100000" in w.message_zh
    with pytest.raises(ValidationFailed) as exc:
        services.submission_submit(user=reporter, submission=sub)
    assert "（地区生产总值）" in exc.value.message and exc.value.extra["rules"] == ["gdp_yoy"]
    assert "gdp" not in exc.value.message  # the field's label, not its code
    sub.refresh_from_db()
    assert sub.status == Status.DRAFT
    with pytest.raises(ValidationFailed):
        services.submission_submit(user=reporter, submission=sub, explanations={"gdp_yoy": "  "})
    services.submission_submit(
        user=reporter, submission=sub, explanations={"gdp_yoy": "新区新引进大型项目投产，产值大幅增加"}
    )
    sub.refresh_from_db()
    w.refresh_from_db()
    assert (
        sub.status == Status.SUBMITTED
        and w.explanation.startswith("新区新引进")
        and w.explained_by == reporter
    )
    assert AuditEvent.objects.filter(action="soft_rule_explain", field="gdp_yoy").count() == 1
    # the reviewer's queue of explained reports and the report page
    assert list(selectors.explained_submissions(user=reviewer)) == [sub]
    assert list(selectors.explained_submissions(user=people["other_reviewer"])) == []
    c = Client()
    c.force_login(reviewer)
    page = c.get(f"/collection/submissions/{sub.pk}/").content.decode()
    assert "核实性审核提示" in page and "新区新引进大型项目投产" in page and "gdp_yoy" in page


def test_the_report_page_asks_for_the_explanation_and_上报_from_the_page(people):
    reporter = people["reporter"]
    last_year(reporter, gdp=100000)
    upload(
        reporter, zone_file(period="2018Q2", gdp=30000, zone_industrial_va=20000, hightech_va=5000)
    )  # -70 %
    sub = Submission.objects.get(period="2018Q2")
    c = Client()
    c.force_login(reporter)
    page = c.get(f"/collection/submissions/{sub.pk}/").content.decode()
    assert 'name="explanation_gdp_yoy"' in page
    url = f"/collection/submissions/{sub.pk}/submit/"
    refused = c.post(url, {"lock_version": sub.lock_version})
    assert refused.status_code == 400 and "gdp_yoy" in refused.content.decode()
    ok = c.post(url, {"lock_version": sub.lock_version, "explanation_gdp_yoy": "统计口径调整"})
    assert ok.status_code == 302
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED


def test_a_hard_rule_still_refuses_the_file(people):
    last_year(people["reporter"], gdp=100000)
    res = upload(people["reporter"], zone_file(period="2018Q2", gdp=180000, urban_population=99))
    assert res.outcome == UploadOutcome.REFUSED
    assert "rule.cross_field" in {p.rule for p in res.problems}
    assert not Submission.objects.filter(period="2018Q2").exists()


def test_enterprise_file_soft_warnings_and_bulk_submit(people, enterprises):
    a, b = enterprises["a"], enterprises["b"]
    rows = [ent_row(a.credit_code, a.name), ent_row(b.credit_code, b.name)]
    assert upload(people["reporter"], ent_file(rows, period="2017Q1"), name="e1.xlsx", submit=True).accepted
    rows[1]["revenue"] = 5000  # b: ×5 on 2017Q1
    res = upload(people["reporter"], ent_file(rows, period="2018Q1"), name="e2.xlsx", submit=True)
    assert res.accepted and [(p.rule_key, p.row) for p in res.warnings] == [
        ("revenue_yoy", res.warnings[0].row)
    ]
    subs = {s.org_unit_id: s for s in Submission.objects.filter(period="2018Q1", form_code=ENT_FORM)}
    # a is submitted, b (unexplained) stays a draft
    assert subs[a.org_unit_id].status == Status.SUBMITTED and subs[b.org_unit_id].status == Status.DRAFT
    with pytest.raises(ValidationFailed) as exc:
        services.submissions_submit_bulk(user=people["reporter"], ids=[subs[b.org_unit_id].pk])
    assert exc.value.extra["rules"] == ["revenue_yoy"]
    n = services.submissions_submit_bulk(
        user=people["reporter"], ids=[subs[b.org_unit_id].pk], explanations={"revenue_yoy": "新签大额订单"}
    )
    assert n == 1 and SoftRuleWarning.objects.get().explanation == "新签大额订单"


def test_future_periods_are_refused(people):
    res = upload(people["reporter"], zone_file(period="2027Q1"))
    assert res.outcome == UploadOutcome.REFUSED and [p.rule for p in res.problems] == ["period.future"]
    current = selectors.period_state("2027Q1")
    assert current.state == "future"
    with pytest.raises(ValidationFailed):
        services.submission_save_version(
            user=people["reporter"], form_code=ZONE_FORM, unit=unit(), period="2099Q1", values={"gdp": "1"}
        )


def test_a_locked_period_is_refused_until_granted_then_accepted_until_expiry(people, settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = None  # the forms data: 45 days
    reporter, province = people["reporter"], people["province"]
    res = upload(reporter, zone_file(period="2018Q2"))
    assert [p.rule for p in res.problems] == ["period.locked"]
    with pytest.raises(PermissionDeniedError):
        services.late_request_create(user=people["other_reporter"], unit=unit(), period="2018Q2", reason="x")
    with pytest.raises(ValidationFailed):
        services.late_request_create(user=reporter, unit=unit(), period="2027Q1", reason="x")
    req = services.late_request_create(
        user=reporter, unit=unit(), period="2018Q2", reason="人员调整，申请补报"
    )
    assert list(selectors.late_requests(user=province, pending_only=True)) == [req]
    assert list(selectors.late_requests(user=people["other_reporter"])) == []
    with pytest.raises(PermissionDeniedError):
        services.lock_exception_grant(user=reporter, request=req, until=timezone.now() + dt.timedelta(days=7))
    until = timezone.now() + dt.timedelta(days=7)
    grant = services.lock_exception_grant(user=province, request=req, until=until)
    req.refresh_from_db()
    assert req.status == "granted" and req.grant == grant
    assert AuditEvent.objects.filter(action__in=["late_request", "lock_exception"]).count() == 2
    assert upload(reporter, zone_file(period="2018Q2"), name="late.xlsx").accepted
    after = upload(
        reporter,
        zone_file(period="2018Q2", energy_consumption=7),
        name="later.xlsx",
        now=until + dt.timedelta(hours=1),
    )
    assert [p.rule for p in after.problems] == ["period.locked"]


def test_late_pages_request_and_grant(people, settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = None
    c = Client()
    c.force_login(people["reporter"])
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = c.post("/collection/upload/", {"files": SimpleUploadedFile("z.xlsx", zone_file(period="2018Q2"))})
    html = page.content.decode()
    assert "申请逾期填报" in html and "/collection/late/?unit=lzxq&amp;period=2018Q2" in html
    assert c.get("/collection/late/?unit=lzxq&period=2018Q2").status_code == 200
    r = c.post(
        "/collection/late/", {"action": "request", "unit": "lzxq", "period": "2018Q2", "reason": "补报"}
    )
    assert r.status_code == 302
    req = LateRequest.objects.get()
    p = Client()
    p.force_login(people["province"])
    html = p.get("/collection/late/").content.decode()
    assert "准予逾期填报" in html and f'value="{req.pk}"' in html
    assert p.post("/collection/late/", {"action": "grant", "pk": req.pk, "days": 10}).status_code == 302
    req.refresh_from_db()
    assert req.status == "granted" and req.grant.until > timezone.now() + dt.timedelta(days=9)
    assert (
        c.post(
            "/collection/upload/", {"files": SimpleUploadedFile("z2.xlsx", zone_file(period="2018Q2"))}
        ).status_code
        == 200
    )
    assert Submission.objects.filter(period="2018Q2").exists()


def test_lanbai_periods(db, settings):
    from typer.testing import CliRunner

    from lanbai.cli.main import app

    settings.LANBAI_PERIOD_LOCK_DAYS = None
    res = CliRunner().invoke(app, ["periods", "--form", ZONE_FORM, "--json", "--on", "2026-12-02"])
    assert res.exit_code == 0, res.output
    rows = {r["period"]: r for r in json.loads(res.output)[ZONE_FORM]}
    assert rows["2026Q4"]["state"] == "future" and rows["2026Q3"]["state"] == "locked"
    assert rows["2026Q3"]["deadline"] == "2026-10-15" and "2027Q1" not in rows
    res = CliRunner().invoke(app, ["periods", "--on", "2026-10-10"])
    assert res.exit_code == 0 and "open" in res.output and ENT_FORM in res.output
    assert CliRunner().invoke(app, ["periods", "--form", "nope"]).exit_code == 2


def test_api_reports_warnings_and_takes_explanations(people):
    from rest_framework.test import APIClient

    reporter = people["reporter"]
    last_year(reporter, gdp=100000)
    c = APIClient()
    c.force_authenticate(reporter)
    body = {"form_code": ZONE_FORM, "period": "2018Q2", "unit": "lzxq", "records": [zone_row(gdp=200000)]}
    res = c.post("/api/collection/reports/", body, format="json")
    assert res.status_code == 201, res.json()
    data = res.json()
    assert data["problems"] == [] and [w["rule_key"] for w in data["warnings"]] == ["gdp_yoy"]
    assert data["warnings"][0]["severity"] == "soft" and data["warnings"][0]["bound"] == "±50%"
    sub = Submission.objects.get(period="2018Q2")
    url = f"/api/collection/submissions/{sub.pk}/submit/"
    refused = c.post(url, {}, format="json")
    assert refused.status_code == 400 and "gdp_yoy" in json.dumps(refused.json(), ensure_ascii=False)
    ok = c.post(url, {"explanations": {"gdp_yoy": "园区扩区"}}, format="json")
    assert ok.status_code == 200
    sub.refresh_from_db()
    assert sub.status == Status.SUBMITTED
