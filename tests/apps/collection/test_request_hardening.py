"""Issue 13 item 5 (access parts): the upload limit while reading the body (413, a record without the
bytes), the duplicate check after the permission check, ``next=`` only to our own host."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from reporting_helpers import zone_file
from rest_framework.test import APIClient

from lanbai.collection.models import Submission, Upload


@pytest.fixture(autouse=True)
def _open_periods(settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000


def api(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_oversize_upload_is_413_and_keeps_a_record_without_the_bytes(people, settings):
    settings.LANBAI_MAX_UPLOAD_BYTES = 10_000
    big = SimpleUploadedFile("big.xlsx", b"x" * 200_000)
    res = api(people["reporter"]).post("/api/collection/uploads/", {"file": big}, format="multipart")
    assert res.status_code == 413 and "MB" in str(res.json())
    upload = Upload.objects.get()
    assert upload.outcome == "refused" and bytes(upload.content) == b"" and upload.filename == "big.xlsx"
    assert 10_000 < upload.size < 200_000  # the bytes seen before the body was stopped, not all of it
    assert upload.uploaded_by == people["reporter"]
    assert not Upload.objects.filter(outcome="received").exists() and Submission.objects.count() == 0


def test_oversize_upload_on_the_web_page_is_413(people, settings):
    settings.LANBAI_MAX_UPLOAD_BYTES = 10_000
    c = Client()
    c.force_login(people["reporter"])
    res = c.post("/collection/upload/", {"files": SimpleUploadedFile("big.xlsx", b"x" * 200_000)})
    assert res.status_code == 413 and "big.xlsx" in res.content.decode()
    assert Upload.objects.get().outcome == "refused"
    assert not Upload.objects.filter(outcome="received").exists()


def test_upload_under_the_limit_still_imports(people, settings):
    settings.LANBAI_MAX_UPLOAD_BYTES = 50_000_000
    res = api(people["reporter"]).post(
        "/api/collection/uploads/", {"file": SimpleUploadedFile("z.xlsx", zone_file())}, format="multipart"
    )
    assert res.status_code == 201 and res.json()["outcome"] == "accepted"


def test_duplicate_check_runs_after_the_permission_check(people):
    content = zone_file()  # lzxq's file
    first = api(people["reporter"]).post(
        "/api/collection/uploads/", {"file": SimpleUploadedFile("z.xlsx", content)}, format="multipart"
    )
    assert first.status_code == 201 and first.json()["outcome"] == "accepted"
    other = api(people["other_reporter"]).post(
        "/api/collection/uploads/", {"file": SimpleUploadedFile("z.xlsx", content)}, format="multipart"
    )
    assert other.status_code == 403 and "already" not in str(other.json())
    assert Upload.objects.exclude(outcome__in=["accepted", "refused"]).count() == 0
    again = api(people["reporter"]).post(
        "/api/collection/uploads/", {"file": SimpleUploadedFile("z.xlsx", content)}, format="multipart"
    )
    assert again.json()["outcome"] == "duplicate"


def test_next_redirects_only_to_our_own_host(people):
    api(people["reporter"]).post(
        "/api/collection/reports/",
        {"form_code": "兰白统Q1表", "period": "2018Q2", "unit": "lzxq",
         "records": [__import__("reporting_helpers").zone_row()]},
        format="json",
    )
    sub = Submission.objects.get()
    c = Client()
    c.force_login(people["reporter"])
    off = c.post(f"/collection/submissions/{sub.pk}/submit/",
                 {"lock_version": sub.lock_version, "next": "https://evil.example/phish"})
    assert off.status_code == 302 and "evil.example" not in off["Location"]
    sub.refresh_from_db()
    c.force_login(people["reviewer"])
    ours = c.post(f"/collection/submissions/{sub.pk}/approve/",
                  {"lock_version": sub.lock_version, "next": f"/collection/submissions/{sub.pk}/"})
    assert ours.status_code == 302 and ours["Location"] == f"/collection/submissions/{sub.pk}/"
