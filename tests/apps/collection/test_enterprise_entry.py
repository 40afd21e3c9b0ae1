"""Web entry of the enterprise form (企业季报): the enterprise itself or its zone's 填报员; others 403/404."""

from __future__ import annotations

import pytest
from django.test import Client
from reporting_helpers import ENT_FORM, ent_row

from lanbai.collection.choices import Status, UploadOutcome
from lanbai.collection.models import Submission, Upload
from lanbai.common.models import AuditEvent


@pytest.fixture(autouse=True)
def _open_periods(settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000


@pytest.fixture
def ent_users(enterprises, make_user):
    return {
        "a": make_user("ent_a", "enterprise_reporter", enterprises["a"].org_unit.code),
        "b": make_user("ent_b", "enterprise_reporter", enterprises["b"].org_unit.code),
    }


def login(user):
    c = Client()
    c.force_login(user)
    return c


def url(ent, period="2018Q2"):
    return f"/collection/enterprise/{ent.credit_code}/{period}/"


def form_data(ent, action="save", lock=0, **over):
    row = ent_row(ent.credit_code, ent.name, **over)
    data = {k: ("是" if v is True else "否" if v is False else str(v)) for k, v in row.items()}
    return data | {"lock_version": str(lock), "action": action}


def sub_of(ent, period="2018Q2"):
    return Submission.objects.filter(form_code=ENT_FORM, org_unit=ent.org_unit, period=period).first()


def test_enterprise_sees_a_form_generated_from_the_formspec(enterprises, ent_users):
    res = login(ent_users["a"]).get(url(enterprises["a"]))
    html = res.content.decode()
    assert res.status_code == 200
    assert "营业收入（万元）" in html and "暂存" in html and "上报" in html
    assert enterprises["a"].credit_code in html and 'name="lock_version"' in html
    assert "<select" in html and "生物产业" in html  # category fields are drop-downs


def test_enterprise_saves_a_draft_then_submits(enterprises, ent_users):
    a, c = enterprises["a"], login(ent_users["a"])
    res = c.post(url(a), form_data(a))
    sub = sub_of(a)
    assert res.status_code == 302 and sub.status == Status.DRAFT
    assert sub.current_version.values["revenue"] == "1000.5"
    assert sub.current_version.values["credit_code"] == a.credit_code
    assert sub.current_version.upload.channel == "web"
    assert sub.current_version.upload.outcome == UploadOutcome.ACCEPTED
    again = c.get(url(a)).content.decode()
    assert 'value="1000.5"' in again  # the draft is shown back
    res = c.post(url(a), form_data(a, action="submit", lock=sub.lock_version, revenue=1200))
    sub.refresh_from_db()
    assert res.status_code == 302 and sub.status == Status.SUBMITTED
    assert sub.current_version.values["revenue"] == "1200"
    assert AuditEvent.objects.filter(object_type="collection.submission", object_id=sub.pk, action="submit").exists()
    # submitted: no more changes from the browser
    res = c.post(url(a), form_data(a, lock=sub.lock_version, revenue=5))
    sub.refresh_from_db()
    assert res.status_code == 400 and sub.current_version.values["revenue"] == "1200"


def test_credit_code_and_name_cannot_be_changed_from_the_request(enterprises, ent_users):
    a, b = enterprises["a"], enterprises["b"]
    data = form_data(a) | {"credit_code": b.credit_code, "enterprise_name": "冒名"}
    assert login(ent_users["a"]).post(url(a), data).status_code == 302
    values = sub_of(a).current_version.values
    assert values["credit_code"] == a.credit_code and values["enterprise_name"] == a.name
    assert sub_of(b) is None


def test_problems_are_shown_next_to_fields_and_nothing_is_stored(enterprises, ent_users):
    a = enterprises["a"]
    res = login(ent_users["a"]).post(url(a), form_data(a, revenue="-5", rd_staff=500))
    html = res.content.decode()
    assert res.status_code == 400 and "value.below_min" in html
    assert sub_of(a) is None
    assert Upload.objects.get().outcome == UploadOutcome.REFUSED  # the raw input is kept


def test_stale_lock_version_is_a_clear_conflict(enterprises, ent_users, people):
    a = enterprises["a"]
    assert login(ent_users["a"]).post(url(a), form_data(a)).status_code == 302
    # the zone reporter saves on top (lock 1), then the enterprise saves with the lock it saw (1 -> stale)
    assert login(people["reporter"]).post(url(a), form_data(a, lock=1, revenue=1100)).status_code == 302
    res = login(ent_users["a"]).post(url(a), form_data(a, lock=1, revenue=999))
    assert res.status_code == 409 and "已被他人修改" in res.content.decode()
    assert sub_of(a).current_version.values["revenue"] == "1100"
    # the refused save's raw input stays (received and committed before the import), marked refused
    last = Upload.objects.order_by("-id").first()
    assert (last.channel, last.outcome) == ("web", UploadOutcome.REFUSED) and b'"revenue": "999"' in bytes(last.content)


def test_zone_reporter_fills_for_an_enterprise_of_its_zone(enterprises, people):
    a = enterprises["a"]
    res = login(people["reporter"]).post(url(a), form_data(a, action="submit"))
    assert res.status_code == 302 and sub_of(a).status == Status.SUBMITTED


def test_year_to_date_rule_applies(enterprises, ent_users):
    a, c = enterprises["a"], login(ent_users["a"])
    assert c.post(url(a, "2018Q1"), form_data(a, revenue=1000)).status_code == 302
    res = c.post(url(a), form_data(a, revenue=900))
    assert res.status_code == 400 and "ytd.flow_decreased" in res.content.decode()
    assert sub_of(a) is None
    assert c.post(url(a), form_data(a, revenue=1100, employees=100)).status_code == 302


@pytest.mark.parametrize(
    ("who", "target", "status"),
    [
        ("ent_b", "a", 404),  # another enterprise of the same zone
        ("ent_a", "c", 404),  # an enterprise of another zone
        ("other_reporter", "a", 404),  # another zone's 填报员
        ("reviewer", "a", 403),  # the zone's 审核员 reads but does not fill
        ("province_reader", "a", 200),
    ],
)
def test_forbidden_users_change_nothing(enterprises, ent_users, people, make_user, who, target, status):
    users = people | {"ent_a": ent_users["a"], "ent_b": ent_users["b"]}
    users["province_reader"] = users["province"]
    ent = enterprises[target]
    c = login(users[who])
    if status == 200:
        assert c.get(url(ent)).status_code == 200
        return
    before = (Submission.objects.count(), Upload.objects.count(), AuditEvent.objects.count())
    assert c.get(url(ent)).status_code == (404 if status == 404 else 200)
    assert c.post(url(ent), form_data(ent)).status_code == status
    assert c.post(url(ent), form_data(ent, action="submit")).status_code == status
    assert (Submission.objects.count(), Upload.objects.count(), AuditEvent.objects.count()) == before


def test_unknown_enterprise_or_bad_period_is_404(enterprises, ent_users):
    c = login(ent_users["a"])
    assert c.get("/collection/enterprise/91620100000000000X/2018Q2/").status_code == 404
    assert c.get(url(enterprises["a"], "2018Q9")).status_code == 404


def test_anonymous_is_sent_to_login(enterprises):
    assert Client().post(url(enterprises["a"]), form_data(enterprises["a"])).status_code == 302
    assert Submission.objects.count() == 0
