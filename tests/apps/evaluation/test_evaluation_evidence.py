"""An evaluator reads the assigned unit's approved measure reports and their evidence, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"


def _report(user, sheng, code, unit, *, approve, name):
    from lanbai.execution import selectors, services

    r = services.report_form_save(
        user, measure=selectors.measure_get(user, code), unit_code=unit, period="2019Q2", status="in_progress",
        pct="50", narrative=f"{name} 进展", late_reason="", submit=True,
        evidence=SimpleUploadedFile(f"{name}.pdf", b"%PDF-1.4 " + name.encode()),
    )
    if approve:
        services.report_review(sheng, pk=r.pk, approve=True)
    return r


def test_evaluator_reads_approved_reports_and_evidence_of_the_assigned_unit_only(
    shipped_plan_in_db, make_user, django_user_model
):
    from lanbai.evaluation import services
    from lanbai.execution import services as execution

    execution.execution_load()
    sheng = make_user("sheng_ev", "province")
    lz = _report(make_user("f_lzxq", "zone_reporter", "lzxq"), sheng, "c05_01", "lzxq_committee",
                 approve=True, name="lzxq-approved")
    lz_sub = _report(django_user_model.objects.get(username="f_lzxq"), sheng, "c05_02", "lzxq_committee",
                     approve=False, name="lzxq-submitted")
    gx = _report(make_user("f_lzgx", "zone_reporter", "lzgx"), sheng, "c06_01", "lzgx_committee",
                 approve=True, name="lzgx-approved")
    org = services.organisation_create(None, name="评估中心（模拟数据）", credit_code="91620100MA73XY123R")
    member = django_user_model.objects.create_user(username="pg_ev", password="pw")
    services.member_add(None, org, member)
    services.assign(None, org, year=2019, unit_codes=["lzxq"])
    c = Client()
    c.force_login(member)
    page = c.get("/evaluation/2019/lzxq/").content.decode()
    assert "lzxq-approved.pdf" in page and "lzxq-submitted" not in page and "lzgx-approved" not in page
    ev_lz, ev_sub, ev_gx = (r.evidence.get().pk for r in (lz, lz_sub, gx))
    res = c.get(f"/evaluation/2019/lzxq/evidence/{ev_lz}/")
    assert res.status_code == 200 and res.content == b"%PDF-1.4 lzxq-approved"
    assert c.get(f"/evaluation/2019/lzxq/evidence/{ev_sub}/").status_code == 404  # not approved
    assert c.get(f"/evaluation/2019/lzxq/evidence/{ev_gx}/").status_code == 404  # another unit's
    assert c.get(f"/evaluation/2019/lzgx/evidence/{ev_gx}/").status_code == 404  # not assigned
    assert c.get(f"/evaluation/2018/lzxq/evidence/{ev_lz}/").status_code == 404  # another year
    assert c.get(f"/measures/evidence/{ev_lz}/").status_code == 404  # the measure pages stay closed
