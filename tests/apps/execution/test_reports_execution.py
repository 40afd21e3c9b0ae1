"""Half-year progress reports: 草稿 → 已报送 → 已审核 / 已退回, evidence, figures from the platform."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest

from lanbai.core.periods import Quarter

pytestmark = pytest.mark.django_db
H1 = Quarter(2019, 2)


@pytest.fixture
def science(member):
    return member("kejizu", "wg_science")


def _measure(code):
    from lanbai.execution import selectors

    return selectors.measure_get(None, code)


def test_workflow_with_return_and_resubmission(science, province, unit):
    from lanbai.common.audit import audit_events_for
    from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
    from lanbai.execution import selectors, services

    m = _measure("c16_01")
    r = services.report_save(science, measure=m, unit=unit("wg_science"), period=H1, status="推进中", pct="45",
                             narrative="已建成 3 个平台")
    assert float(r.pct) == 45 and r.measured_value is None
    ev = services.evidence_add(science, r, filename="验收.pdf", content=b"%PDF-1.4 x")
    assert ev.sha256 == hashlib.sha256(b"%PDF-1.4 x").hexdigest() and ev.size == 10
    with pytest.raises(PermissionDeniedError):
        services.report_approve(science, r)
    with pytest.raises(ConflictError):
        services.report_approve(province, r)  # a draft is not reviewed
    services.report_submit(science, r, now=dt.datetime(2019, 7, 10, tzinfo=dt.UTC))
    assert [x.measure.code for x in selectors.review_queue(province)] == ["c16_01"]
    with pytest.raises(PermissionDeniedError):
        selectors.review_queue(science)
    with pytest.raises(ValidationFailed):
        services.report_return(province, r, reason=" ")
    services.report_return(province, r, reason="佐证不足")
    assert r.state == "returned" and r.return_reason == "佐证不足"
    services.report_save(science, measure=m, unit=unit("wg_science"), period=H1, status="已完成")
    services.report_submit(science, r)
    services.report_approve(province, r)
    r.refresh_from_db()
    assert r.state == "approved" and r.status == "done" and float(r.pct) == 100
    with pytest.raises(ConflictError):
        services.report_save(science, measure=m, unit=unit("wg_science"), period=H1, status="滞后", late_reason="x")
    actions = [e.action for e in audit_events_for(r)]
    assert actions.count("progress_report_submit") == 2 and "progress_report_return" in actions


def test_rules_of_a_report(science, unit):
    from lanbai.common.exceptions import ValidationFailed
    from lanbai.execution import services

    m = _measure("c16_01")
    for kw, field in (
        ({"status": "滞后"}, "late_reason"),
        ({"status": "差不多"}, "status"),
        ({"status": "推进中", "pct": 120}, "pct"),
        ({"status": "推进中", "period": Quarter(2019, 1)}, "period"),
        ({"status": "推进中", "unit": unit("wg_talent")}, None),
    ):
        args = {"measure": m, "unit": unit("wg_science"), "period": H1} | kw
        with pytest.raises(Exception) as exc:
            services.report_save(science, **args)
        if field:
            assert isinstance(exc.value, ValidationFailed) and exc.value.extra["field"] == field
    with pytest.raises(ValidationFailed):  # the “3510” actions are reported through their items
        services.report_save(None, measure=_measure("project_enterprises"), unit=unit("wg_science"), period=H1,
                             status="推进中")


def test_quantitative_measure_takes_the_registry_count(science, unit, monkeypatch):
    from lanbai.execution import selectors, services

    seen = {}

    def fake_count(indicator, *, on, zone=None):
        seen.update(indicator=indicator, on=on, zone=zone)
        return 60

    monkeypatch.setattr(selectors, "count_on", fake_count)
    r = services.report_save(science, measure=_measure("c14_01"), unit=unit("wg_science"), period=H1,
                             status="推进中", pct=99)
    assert seen == {"indicator": "innovative_enterprises", "on": dt.date(2019, 6, 30), "zone": None}
    assert float(r.measured_value) == 60
    assert float(r.pct) == 37.5  # 60 of the 2019 milestone 160, not the typed 99
    assert "登记库计数" in r.measured_source
