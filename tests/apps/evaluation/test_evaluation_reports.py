"""Scores and reports: only members write; 草稿 → 已提交 → 已退回 (reason) → 已提交 → 已接受; audited."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.django_db

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"
FULL = {"targets": 8, "tasks": 7, "innovation": 9, "governance": 6}


@pytest.fixture
def setup(shipped_plan_in_db, django_user_model):
    from lanbai.evaluation import services

    services.evaluation_scheme_register(None, plan_dir=SHIPPED)
    org = services.organisation_create(None, name="评估中心（模拟数据）", credit_code="91620100MA73XY123R")
    member = django_user_model.objects.create_user(username="pg", password="pw")
    outsider = django_user_model.objects.create_user(username="other", password="pw")
    services.member_add(None, org, member)
    a = services.assign(None, org, year=2019, unit_codes=["lzxq", "bygx"])
    return a, member, outsider


def test_weighted_total_and_only_members_write(setup):
    from lanbai.common.exceptions import PermissionDeniedError, ValidationFailed
    from lanbai.evaluation import services

    a, member, outsider = setup
    ev = services.evaluation_save(member, a, unit_code="lzxq", scores=FULL, findings="发现一")
    # 30×0.8 + 25×0.7 + 25×0.9 + 20×0.6 = 24 + 17.5 + 22.5 + 12
    assert float(ev.total) == 76.0
    with pytest.raises(PermissionDeniedError):
        services.evaluation_save(outsider, a, unit_code="lzxq", scores=FULL)
    with pytest.raises(ValidationFailed) as exc:
        services.evaluation_save(member, a, unit_code="lzxq", scores={**FULL, "tasks": 11})
    assert exc.value.extra["field"] == "scores.tasks"
    with pytest.raises(ValidationFailed, match="不在本次评估委托中"):
        services.evaluation_save(member, a, unit_code="lzgx", scores=FULL)


def test_report_lifecycle_return_with_reason_then_accept(setup):
    from lanbai.common.exceptions import PermissionDeniedError, ValidationFailed
    from lanbai.common.models import AuditEvent
    from lanbai.evaluation import services

    a, member, outsider = setup
    services.evaluation_save(member, a, unit_code="lzxq", scores=FULL)
    with pytest.raises(ValidationFailed, match="bygx"):
        services.report_submit(member, a)
    services.evaluation_save(member, a, unit_code="bygx", scores=FULL)
    report = services.report_submit(member, a)
    assert report.state == "submitted"
    with pytest.raises(ValidationFailed, match="不能修改"):
        services.evaluation_save(member, a, unit_code="bygx", scores=FULL)
    with pytest.raises(PermissionDeniedError):
        services.report_accept(member, report)
    with pytest.raises(ValidationFailed, match="退回理由"):
        services.report_return(None, report, reason=" ")
    services.report_return(None, report, reason="评估发现过于笼统")
    report.refresh_from_db()
    assert (report.state, report.return_reason) == ("returned", "评估发现过于笼统")
    services.evaluation_save(member, a, unit_code="bygx", scores=FULL, findings="补充具体发现")
    report = services.report_submit(member, a)
    services.report_accept(None, report)
    report.refresh_from_db()
    assert report.state == "accepted" and report.submissions == 2
    actions = list(
        AuditEvent.objects.filter(action__startswith="evaluation.report").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        [
            "evaluation.report_submit",
            "evaluation.report_returned",
            "evaluation.report_submit",
            "evaluation.report_accepted",
        ]
    )
