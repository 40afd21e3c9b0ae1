"""The REST API: JSON reports and uploads through the same engine, the workflow, scopes (403/404), 409."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from reporting_helpers import ZONE_FORM, zone_file, zone_row
from rest_framework.test import APIClient

from lanbai.collection.models import Submission, Upload
from lanbai.common.models import AuditEvent


@pytest.fixture(autouse=True)
def _open_periods(settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000


def client(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def post_report(user, **over):
    body = {"form_code": ZONE_FORM, "period": "2018Q2", "unit": "lzxq", "records": [zone_row()]} | over
    return client(user).post("/api/collection/reports/", body, format="json")


def test_json_report_is_stored_raw_and_validated(people):
    res = post_report(people["reporter"])
    assert res.status_code == 201, res.json()
    assert Upload.objects.get().channel == "api"
    bad = post_report(people["reporter"], period="2018Q3", records=[zone_row(gdp="约100")])
    assert bad.status_code == 400 and bad.json()["problems"][0]["rule"] == "number.approximate"
    assert Submission.objects.count() == 1


def test_forbidden_report_is_403_and_changes_nothing(people):
    res = post_report(people["other_reporter"])
    assert res.status_code == 403 and Submission.objects.count() == 0


def test_upload_file(people):
    content = zone_file()  # one byte string: two writes may differ in the zip entries' timestamps
    f = SimpleUploadedFile("z.xlsx", content)
    res = client(people["reporter"]).post("/api/collection/uploads/", {"file": f}, format="multipart")
    assert res.status_code == 201 and res.json()["outcome"] == "accepted"
    f2 = SimpleUploadedFile("z2.xlsx", content)
    again = client(people["reporter"]).post("/api/collection/uploads/", {"file": f2}, format="multipart")
    assert again.status_code == 201 and again.json()["outcome"] == "duplicate"


def test_workflow_with_locking_scopes_and_audit(people):
    post_report(people["reporter"])
    sub = Submission.objects.get()
    rep, rev, prov = client(people["reporter"]), client(people["reviewer"]), client(people["province"])
    # a stale lock_version → 409, nothing changes
    stale = rep.post(f"/api/collection/submissions/{sub.pk}/submit/", {"lock_version": 0}, format="json")
    assert stale.status_code == 409 and Submission.objects.get().status == "draft"
    # outside the scope: 404 (not even its existence), nothing changes
    other = client(people["other_reviewer"]).post(
        f"/api/collection/submissions/{sub.pk}/review/", {"approve": True}, format="json"
    )
    assert other.status_code == 404
    ok = rep.post(f"/api/collection/submissions/{sub.pk}/submit/", {}, format="json", HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    assert [s["id"] for s in rev.get("/api/collection/review-queue/").json()] == [sub.pk]
    # a reporter in scope can read but not review: 403
    assert (
        rep.post(
            f"/api/collection/submissions/{sub.pk}/review/", {"approve": True}, format="json"
        ).status_code
        == 403
    )
    back = rev.post(
        f"/api/collection/submissions/{sub.pk}/review/",
        {"approve": False, "reason": "数据有误"},
        format="json",
    )
    assert back.status_code == 200 and back.json()["status"] == "returned"
    fix = post_report(people["reporter"], records=[zone_row(gdp=130000)], lock_version=3)
    assert fix.status_code == 201, fix.json()
    stale_save = post_report(people["reporter"], records=[zone_row(gdp=125000)], lock_version=3)
    assert stale_save.status_code == 409 and "他人修改" in stale_save.json()["message"]
    rep.post(f"/api/collection/submissions/{sub.pk}/submit/", {}, format="json")
    rev.post(f"/api/collection/submissions/{sub.pk}/review/", {"approve": True}, format="json")
    assert (
        rev.post(
            f"/api/collection/submissions/{sub.pk}/final-approve/", {"approve": True}, format="json"
        ).status_code
        == 403
    )
    final = prov.post(
        f"/api/collection/submissions/{sub.pk}/final-approve/", {"approve": True}, format="json"
    )
    assert final.status_code == 200 and final.json()["approved_version"] == 2
    detail = rev.get(f"/api/collection/submissions/{sub.pk}/").json()
    assert [v["number"] for v in detail["versions"]] == [1, 2]
    assert detail["versions"][0]["values"]["gdp"] == "120000.5"
    actions = [a["action"] for a in detail["audit"]]
    assert actions.count("submit") == 2 and "review_return" in actions and actions[-1] == "final_approve"
    assert AuditEvent.objects.filter(action="value_change", field="gdp", new="130000").exists()


def test_completeness_per_zone(people):
    post_report(people["reporter"], submit=True)
    rows = (
        client(people["province"])
        .get("/api/collection/completeness/", {"period": "2018Q2", "form_code": ZONE_FORM})
        .json()
    )
    by = {r["zone"]: r for r in rows}
    assert (by["lzxq"]["expected"], by["lzxq"]["received"], by["lzxq"]["reporting_rate"]) == (1, 1, 100.0)
    assert (by["bygx"]["missing"], by["bygx"]["reporting_rate"]) == (1, 0.0)
    mine = (
        client(people["other_reporter"])
        .get("/api/collection/completeness/", {"period": "2018Q2", "form_code": ZONE_FORM})
        .json()
    )
    assert [r["zone"] for r in mine] == ["bygx"]


def test_anonymous_is_refused(people):
    assert APIClient().get("/api/collection/submissions/").status_code in (401, 403)
