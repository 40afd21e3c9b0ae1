"""Pages and REST endpoints of plan execution."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def science(member, client):
    user = member("kejizu", "wg_science")
    client.force_login(user)
    return user


def test_pages_list_detail_form_and_review(science, client, province, unit):
    from lanbai.execution import selectors

    page = client.get("/measures/")
    assert page.status_code == 200 and "c14_01" in page.content.decode() and "c05_01" not in page.content.decode()
    assert client.get("/measures/c05_01/").status_code == 404
    detail = client.get("/measures/c16_01/")
    assert detail.status_code == 200 and "年度工作计划" in detail.content.decode()
    res = client.post("/measures/c16_01/report/", {"unit": "wg_science", "period": "2019Q2", "status": "lagging",
                                                   "narrative": "x"})
    assert res.status_code == 200 and "须说明原因" in res.content.decode()
    res = client.post("/measures/c16_01/report/", {
        "unit": "wg_science", "period": "2019Q2", "status": "in_progress", "pct": "40", "narrative": "推进",
        "submit": "on", "evidence": _file(),
    })
    assert res.status_code == 302
    r = selectors.report_queryset().get()
    assert r.state == "submitted" and r.evidence.count() == 1
    assert client.get("/measures/review/").status_code == 403
    ev = r.evidence.get()
    assert client.get(f"/measures/evidence/{ev.pk}/").content == b"evidence bytes"
    client.force_login(province)
    assert "c16_01" in client.get("/measures/review/").content.decode()
    client.post(f"/measures/reports/{r.pk}/review/", {"decision": "return", "reason": "请补充"})
    r.refresh_from_db()
    assert r.state == "returned" and r.return_reason == "请补充"


def _file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("证明.pdf", b"evidence bytes")


def test_api(science, client, province):
    res = client.get("/api/execution/measures/", {"unit": "wg_science"})
    assert res.status_code == 200 and {r["lead"] for r in res.json()} >= {"wg_science"}
    assert client.get("/api/execution/measures/c05_01/").status_code == 404
    res = client.post("/api/execution/measures/c16_01/reports/",
                      {"unit": "wg_science", "period": "2019Q2", "status": "推进中", "pct": "50", "submit": True},
                      content_type="application/json")
    assert res.status_code == 201, res.content
    pk = res.json()["id"]
    assert res.json()["state"] == "submitted"
    bad = client.post("/api/execution/measures/c16_01/reports/",
                      {"unit": "wg_science", "period": "2019Q3", "status": "推进中"}, content_type="application/json")
    assert bad.status_code == 400
    assert client.get("/api/execution/reports/queue/").status_code == 403
    assert client.post(f"/api/execution/reports/{pk}/review/", {"decision": "approve"},
                       content_type="application/json").status_code == 403
    client.force_login(province)
    assert [r["id"] for r in client.get("/api/execution/reports/queue/").json()] == [pk]
    res = client.post(f"/api/execution/reports/{pk}/review/", {"decision": "approve"}, content_type="application/json")
    assert res.status_code == 200 and res.json()["state"] == "approved"
    data = client.get("/api/execution/inspection/2019Q2/").json()
    assert data["period"] == "2019Q2" and data["totals"]["measures"] > 100
