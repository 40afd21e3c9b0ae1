"""The pages with Django's test client: upload with the error table, entry form, queue, 403/404, 409."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from reporting_helpers import ZONE_FORM, zone_file

from lanbai.collection.models import Submission


@pytest.fixture(autouse=True)
def _open_periods(settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000


def login(user):
    c = Client()
    c.force_login(user)
    return c


def test_pages_need_login(people):
    assert Client().get("/collection/upload/").status_code == 302


def test_upload_page_shows_the_full_error_table(people):
    c = login(people["reporter"])
    bad = SimpleUploadedFile("bad.xlsx", zone_file(gdp=-3))
    res = c.post("/collection/upload/", {"files": [bad]})
    html = res.content.decode()
    assert res.status_code == 200 and "已拒绝" in html and "value.below_min" in html and "<td>A</td>" in html
    good = SimpleUploadedFile("good.xlsx", zone_file())
    assert "已接受" in c.post("/collection/upload/", {"files": [good]}).content.decode()
    assert Submission.objects.count() == 1


def test_upload_by_another_zone_is_403_and_changes_nothing(people):
    res = login(people["other_reporter"]).post(
        "/collection/upload/", {"files": [SimpleUploadedFile("z.xlsx", zone_file())]}
    )
    assert res.status_code == 403 and Submission.objects.count() == 0


def test_template_download(people):
    res = login(people["reporter"]).get(
        "/collection/templates/", {"form_code": ZONE_FORM, "period": "2018Q2", "unit": "lzxq"}
    )
    assert res.status_code == 200 and res.content[:2] == b"PK"


def test_entry_form_validates_with_the_engine_and_detects_conflicts(people):
    c = login(people["reporter"])
    url = "/collection/entry/lzxq/2018Q2/"
    page = c.get(url).content.decode()
    assert 'for="id_gdp"' in page and 'name="lock_version"' in page
    base = {
        "gdp": "120000",
        "resident_population": "30",
        "fiscal_expenditure": "500",
        "fiscal_st_expenditure": "20",
        "zone_rd_expenditure": "100",
        "lock_version": "0",
    }
    bad = c.post(url, base | {"gdp": "12%"})
    assert bad.status_code == 400 and "number.percent" in bad.content.decode()
    assert Submission.objects.count() == 0
    ok = c.post(url, base)
    assert ok.status_code == 302
    sub = Submission.objects.get()
    assert sub.current_version.values["gdp"] == "120000" and sub.lock_version == 1
    c.post(url, base | {"gdp": "130000", "lock_version": "1"})
    stale = c.post(url, base | {"gdp": "140000", "lock_version": "1"})
    assert stale.status_code == 409 and "他人修改" in stale.content.decode()
    assert Submission.objects.get().current_version.values["gdp"] == "130000"
    assert login(people["other_reporter"]).post(url, base).status_code in (403, 404)


def test_queue_review_and_audit_visible_to_reviewers(people):
    c = login(people["reporter"])
    c.post("/collection/upload/", {"files": [SimpleUploadedFile("z.xlsx", zone_file())]})
    sub = Submission.objects.get()
    assert (
        c.post(f"/collection/submissions/{sub.pk}/submit/", {"lock_version": sub.lock_version}).status_code
        == 302
    )
    rev = login(people["reviewer"])
    assert "兰州新区" in rev.get("/collection/queue/").content.decode()
    # another zone's reviewer cannot see it (404) nor act on it; nothing changes
    other = login(people["other_reviewer"])
    assert other.get(f"/collection/submissions/{sub.pk}/").status_code == 404
    assert other.post(f"/collection/submissions/{sub.pk}/approve/").status_code == 404
    # the reporter may read but not approve: 403
    assert c.post(f"/collection/submissions/{sub.pk}/approve/").status_code == 403
    sub.refresh_from_db()
    assert sub.status == "submitted"
    res = rev.post(
        f"/collection/submissions/{sub.pk}/return/", {"reason": "请核实", "lock_version": sub.lock_version}
    )
    assert res.status_code == 302 and Submission.objects.get().status == "returned"
    page = rev.get(f"/collection/submissions/{sub.pk}/").content.decode()
    assert "审计记录" in page and "园区退回" in page and "review_return" not in page and "请核实" in page


def test_completeness_page(people):
    page = login(people["province"]).get(
        "/collection/completeness/", {"period": "2018Q2", "form_code": ZONE_FORM}
    )
    html = page.content.decode()
    assert page.status_code == 200 and "报送率" in html and "白银高新区" in html and "0.0%" in html
