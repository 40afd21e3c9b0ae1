"""工作台, the review workspace, the completeness matrix and 催报 (issue 14)."""

from __future__ import annotations

import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from reporting_helpers import ENT_FORM, ZONE_FORM, zone_file

from lanbai.collection import selectors, services
from lanbai.collection.models import Notification, Submission
from lanbai.common.exceptions import PermissionDeniedError
from lanbai.common.models import AuditEvent
from lanbai.plans.models import OrgUnit


@pytest.fixture(autouse=True)
def _open_periods(settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000


def login(user):
    c = Client()
    c.force_login(user)
    return c


def _upload(c, period, **over):
    f = SimpleUploadedFile("z.xlsx", zone_file(period=period, **over))
    assert "已接受" in c.post("/collection/upload/", {"files": [f]}).content.decode()
    return Submission.objects.get(period=period, org_unit__code="lzxq")


def test_login_lands_on_the_workbench_linked_in_the_navigation(people):
    from django.conf import settings

    assert settings.LOGIN_REDIRECT_URL == "workbench"
    html = login(people["reporter"]).get("/").content.decode()
    assert 'href="/workbench/"' in html and "工作台" in html


def test_filler_workbench_lists_due_reports_with_their_actions(people):
    c = login(people["reporter"])
    due = selectors.workbench_filler(user=people["reporter"])
    assert due and all(r.status == "未填报" for r in due) and {r.form_code for r in due} == {ZONE_FORM}
    html = c.get("/workbench/").content.decode()
    assert "未填报" in html and "下载模板" in html and "上传" in html and "在线填报" in html
    sub = _upload(c, "2018Q4")
    html = c.get("/workbench/").content.decode()
    assert "草稿" in html and f"/collection/submissions/{sub.pk}/submit/" in html and ">上报<" in html
    assert c.post(f"/collection/submissions/{sub.pk}/submit/", {"lock_version": sub.lock_version, "next": "/workbench/"}).url == "/workbench/"
    sub.refresh_from_db()
    assert sub.status == "submitted"


def test_a_return_reaches_the_filler_with_reason_and_who(people):
    c = login(people["reporter"])
    sub = _upload(c, "2018Q4")
    services.submission_submit(user=people["reporter"], submission=sub)
    rev = login(people["reviewer"])
    assert ">审核<" in rev.get("/workbench/").content.decode()
    services.submission_review(user=people["reviewer"], submission=sub, approve=False, reason="GDP 有误，请核实")
    html = c.get("/workbench/").content.decode()
    assert "已退回" in html and "GDP 有误，请核实" in html and "xq_review" in html
    assert "GDP 有误" in rev.get("/workbench/").content.decode()  # the reviewer's "returned by me"
    assert [s.pk for s in selectors.returned_by_user(user=people["reviewer"])] == [sub.pk]


def test_review_workspace_labels_units_comparison_flags_diff_and_audit_in_words(people):
    c = login(people["reporter"])
    for year, gdp in ((2015, 100_000), (2016, 101_000), (2017, 102_000)):
        s = _upload(c, f"{year}Q4", gdp=gdp)
        services.submission_submit(user=people["reporter"], submission=s)
    _upload(c, "2018Q3", gdp=110_000)
    sub = _upload(c, "2018Q4", gdp=900_000)
    sub = _upload(c, "2018Q4", gdp=950_000)  # a second version
    rows = {r["code"]: r for r in selectors.review_rows(sub)}
    gdp = rows["gdp"]
    assert gdp["label"] != "gdp" and gdp["unit"]
    assert gdp["previous"] == "110000" and gdp["change_previous"].startswith("+")
    assert gdp["last_year"] == "102000" and gdp["change_last_year"] == "+831.4%"
    assert any("上限" in f for f in gdp["flags"]) and any("倍" in f for f in gdp["flags"])
    diff = selectors.version_diff(sub)
    assert diff[0]["changes"][0]["old"] == "900000" and diff[0]["changes"][0]["new"] == "950000"
    # +831 % year on year breaks the soft gdp_yoy rule: 上报 needs the reporter's explanation
    services.submission_submit(user=people["reporter"], submission=sub, explanations={"gdp_yoy": "新项目投产"})
    html = login(people["reviewer"]).get(f"/collection/submissions/{sub.pk}/").content.decode()
    assert gdp["label"] in html and "950,000" in html and "审核通过" in html and ">退回<" in html
    assert "上报" in html and "修改数值" in html and "/monitoring/outliers/" in html
    assert "value_change" not in html and "review_return" not in html


def test_province_sees_every_level_and_final_approves_on_the_report_page(people):
    c = login(people["reporter"])
    a = _upload(c, "2018Q3")
    b = _upload(c, "2018Q4")
    services.submissions_submit_bulk(user=people["reporter"], ids=[a.pk, b.pk])
    services.submission_review(user=people["reviewer"], submission=a, approve=True)
    pending = selectors.pending_everywhere(user=people["province"])
    assert [s.pk for s in pending["province"]] == [a.pk] and [s.pk for s in pending["zone"]] == [b.pk]
    p = login(people["province"])
    html = p.get("/workbench/").content.decode()
    assert "待终审" in html and "园区审核中" in html and "催报" in html
    assert "终审通过" in p.get(f"/collection/submissions/{a.pk}/").content.decode()


def test_bulk_approval_from_the_queue(people):
    c = login(people["reporter"])
    subs = [_upload(c, p) for p in ("2018Q2", "2018Q3", "2018Q4")]
    services.submissions_submit_bulk(user=people["reporter"], ids=[s.pk for s in subs])
    rev = login(people["reviewer"])
    html = rev.get("/collection/queue/").content.decode()
    assert "批量审核通过" in html and 'name="ids"' in html
    res = rev.post("/collection/queue/approve/", {"ids": [subs[0].pk, subs[1].pk]})
    assert res.status_code == 302
    assert sorted(Submission.objects.values_list("status", flat=True)) == ["submitted", "zone_approved", "zone_approved"]
    assert login(people["other_reviewer"]).post("/collection/queue/approve/", {"ids": [subs[2].pk]}).status_code == 403


def test_completeness_matrix_lists_the_missing_and_under_review(people):
    from lanbai.core.periods import Quarter

    c = login(people["reporter"])
    s = _upload(c, "2018Q4")
    services.submission_submit(user=people["reporter"], submission=s)
    m = selectors.completeness_matrix(
        user=people["province"], form_code=ZONE_FORM, periods=[Quarter(2018, 3), Quarter(2018, 4)]
    )
    cells = {z.code: cs for z, cs in m["rows"]}
    q3, q4 = cells["lzxq"]
    assert (q3.expected, q3.received, q3.missing, [u.code for u in q3.missing_units]) == (1, 0, 1, ["lzxq"])
    assert (q4.received, q4.missing, q4.under_review, q4.late) == (1, 0, 1, 1)  # 2018 deadline long past
    assert cells["bygx"][1].missing == 1
    # a zone filler sees only their zone
    assert [z.code for z, _ in selectors.completeness_matrix(user=people["reporter"])["rows"]] == ["lzxq"]
    html = login(people["province"]).get("/collection/completeness/matrix/").content.decode()
    assert "缺报" in html and "催报" in html


def test_reminder_notifies_fillers_in_app_and_by_mail_and_is_audited(people):
    people["reporter"].email = "fill@example.org"
    people["reporter"].save()
    unit = OrgUnit.objects.get(code="lzxq")
    notices = services.reminder_send(user=people["province"], unit=unit, form_code=ZONE_FORM, period="2018Q4")
    assert [n.recipient for n in notices] == [people["reporter"]] and notices[0].emailed
    assert len(mail.outbox) == 1 and "2018Q4" in mail.outbox[0].subject and mail.outbox[0].to == ["fill@example.org"]
    assert AuditEvent.objects.filter(action="reminder_send", field=f"{ZONE_FORM}:lzxq:2018Q4").count() == 1
    assert "请尽快报送" in login(people["reporter"]).get("/workbench/").content.decode()
    assert selectors.reminders_sent(user=people["province"])[0].recipient == people["reporter"]
    with pytest.raises(PermissionDeniedError):
        services.reminder_send(user=people["other_reviewer"], unit=unit, form_code=ZONE_FORM, period="2018Q4")
    assert Notification.objects.count() == 1
    res = login(people["province"]).post(
        "/collection/remind/", {"unit": "lzxq", "period": "2018Q4", "form_code": ZONE_FORM, "next": "/workbench/"}
    )
    assert res.status_code == 302 and Notification.objects.count() == 2


def test_template_file_name_and_enterprise_prefill(people, enterprises):
    c = login(people["reporter"])
    res = c.get("/collection/templates/", {"form_code": ENT_FORM, "unit": "lzxq", "period": "2020Q4"})
    cd = res["Content-Disposition"]
    assert cd.startswith("attachment;") and "filename*=utf-8''" in cd
    assert unquote(cd.split("filename*=utf-8''")[1]) == "兰白统Q2表-兰州新区-2020Q4.xlsx"
    wb = openpyxl.load_workbook(io.BytesIO(res.content))
    text = {str(c.value) for row in wb[ENT_FORM].iter_rows() for c in row if c.value is not None}
    assert {"甲公司", "乙公司", enterprises["a"].credit_code} <= text and "丙公司" not in text
    html = c.get("/collection/templates/").content.decode()
    assert "已锁定" in html or "开放填报" in html
    assert "未来报告期" in html


def test_template_prefill_lists_only_the_enterprises_the_user_may_read(people, enterprises):
    """Another zone's 填报员 gets the blank form, not 兰州新区's enterprise names and credit codes."""
    res = login(people["other_reporter"]).get(
        "/collection/templates/", {"form_code": ENT_FORM, "unit": "lzxq", "period": "2020Q4"}
    )
    assert res.status_code == 200
    wb = openpyxl.load_workbook(io.BytesIO(res.content))
    text = {str(c.value) for row in wb[ENT_FORM].iter_rows() for c in row if c.value is not None}
    assert not {"甲公司", "乙公司", enterprises["a"].credit_code, enterprises["b"].credit_code} & text


def test_saving_an_approved_report_says_which_problem(people):
    c = login(people["reporter"])
    sub = _upload(c, "2018Q4")
    services.submission_submit(user=people["reporter"], submission=sub)
    services.submission_review(user=people["reviewer"], submission=sub, approve=True)
    from reporting_helpers import zone_row

    sub.refresh_from_db()
    res = c.post("/collection/entry/lzxq/2018Q4/", zone_row(gdp=200000) | {"lock_version": sub.lock_version})
    html = res.content.decode()
    import re

    alert = re.search(r'<p role="alert" class="error">(.*?)</p>', html, re.S).group(1)
    assert "已审核" in alert or "园区已审核" in alert


def test_zone_filler_sees_the_enterprise_file_of_their_zone(people, enterprises):
    from reporting_helpers import ent_file, ent_row

    rows = [r for r in selectors.workbench_filler(user=people["reporter"]) if r.form_code == ENT_FORM]
    assert rows and {r.unit.code for r in rows} == {"lzxq"} and {r.status for r in rows} == {"未填报"}
    period = rows[0].period
    c = login(people["reporter"])
    data = ent_file(
        [ent_row(enterprises["a"].credit_code, "甲公司"), ent_row(enterprises["b"].credit_code, "乙公司")],
        period=period,
    )
    assert "已接受" in c.post("/collection/upload/", {"files": [SimpleUploadedFile("e.xlsx", data)]}).content.decode()
    rows = {r.period: r for r in selectors.workbench_filler(user=people["reporter"]) if r.form_code == ENT_FORM}
    assert rows[period].status == "草稿"
    html = c.get("/workbench/").content.decode()
    assert "企业报表（草稿与退回）" in html and "甲公司" in html


def test_enterprise_filler_sees_their_own_report_with_online_entry(people, enterprises, make_user):
    ent = enterprises["a"]
    me = make_user("jia_fill", "enterprise_reporter", ent.org_unit.code)
    rows = selectors.workbench_filler(user=me)
    assert rows and {(r.form_code, r.unit.code) for r in rows} == {(ENT_FORM, ent.org_unit.code)}
    html = login(me).get("/workbench/").content.decode()
    assert f"/collection/enterprise/{ent.credit_code}/{rows[0].period}/" in html and "在线填报" in html


def test_filler_workbench_lists_the_zones_late_requests_with_their_state(people, settings):
    import datetime as dt

    from django.utils import timezone

    settings.LANBAI_PERIOD_LOCK_DAYS = None  # the forms data: old periods are locked
    reporter, province = people["reporter"], people["province"]
    zone = OrgUnit.objects.get(code="lzxq")
    c = login(reporter)
    assert "我的逾期填报申请" not in c.get("/workbench/").content.decode()
    pending = services.late_request_create(user=reporter, unit=zone, period="2018Q2", reason="人员调整，申请补报")
    granted = services.late_request_create(user=reporter, unit=zone, period="2018Q3", reason="系统故障")
    declined = services.late_request_create(user=reporter, unit=zone, period="2018Q1", reason="忘记填报")
    until = timezone.now() + dt.timedelta(days=7)
    services.lock_exception_grant(user=province, request=granted, until=until)
    services.late_request_decline(user=province, request=declined, reason="理由不充分")
    html = c.get("/workbench/").content.decode()
    assert "我的逾期填报申请" in html and 'href="/collection/late/"' in html
    mine = html.split('class="my-late-requests"')[1].split("</ul>")[0]
    rows = {r.split("</li>")[0] for r in mine.split("<li")[1:]}
    by_status = {s: next(r for r in rows if f'data-status="{s}"' in r) for s in ("pending", "granted", "declined")}
    assert "2018Q2" in by_status["pending"] and "待批准" in by_status["pending"] and "人员调整" in by_status["pending"]
    assert "2018Q3" in by_status["granted"] and "已准予" in by_status["granted"]
    assert timezone.localtime(until).strftime("%Y-%m-%d %H:%M") in by_status["granted"]  # the expiry
    assert "2018Q1" in by_status["declined"] and "未准予" in by_status["declined"]
    assert pending.pk and "我的逾期填报申请" not in login(people["other_reporter"]).get("/workbench/").content.decode()


def test_one_word_per_status_on_the_workbench_report_page_and_queue(people):
    from django.conf import settings
    from django.utils import translation

    from lanbai.collection.choices import STATUS_WORDS, Status

    with translation.override("zh-hans"):
        assert {s: str(s.label) for s in Status} == {s: STATUS_WORDS[s] for s in Status}
    c = login(people["reporter"])
    period = str(selectors._recent_periods()[0])  # a quarter the workbench lists whatever its status
    sub = _upload(c, period)
    services.submission_submit(user=people["reporter"], submission=sub)
    rev = login(people["reviewer"])
    pages = {
        "workbench": c.get("/workbench/").content.decode(),
        "report": c.get(f"/collection/submissions/{sub.pk}/").content.decode(),
        "queue": rev.get("/collection/queue/").content.decode(),
        "reviewer report": rev.get(f"/collection/submissions/{sub.pk}/").content.decode(),
    }
    for name, html in pages.items():
        assert "已上报" in html and "已提交" not in html, name
    services.submission_review(user=people["reviewer"], submission=sub, approve=True)
    assert f'data-period="{period}" data-status="园区已审核"' in c.get("/workbench/").content.decode()
    assert "园区已审核" in c.get(f"/collection/submissions/{sub.pk}/").content.decode()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = c.get(f"/collection/submissions/{sub.pk}/").content.decode()
    assert "Approved by zone" in html and "园区已审核" not in html
