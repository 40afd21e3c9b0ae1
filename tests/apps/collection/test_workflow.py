"""Review workflow, scope checks, optimistic locking, period locks and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from lanbai.collection import services
from lanbai.collection.models import AuditEvent, Submission, SubmissionVersion
from lanbai.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from lanbai.plans.models import OrgUnit

NOW = timezone.make_aware(dt.datetime(2018, 7, 10, 10, 0))


@pytest.fixture
def people(mini_plan, make_user):
    return {
        "reporter": make_user("xq_fill", "zone_reporter", "lzxq"),
        "reviewer": make_user("xq_review", "zone_reviewer", "lzxq"),
        "other_reporter": make_user("by_fill", "zone_reporter", "bygx"),
        "province": make_user("sheng", "province"),
    }


def zone(code="lzxq"):
    return OrgUnit.objects.get(code=code)


def save(user, values, **kw):
    return services.submission_save_version(
        user=user, form_code="Q1", unit=zone(), period="2018Q2", values=values, now=NOW, **kw
    )


def test_full_cycle_draft_submit_return_resubmit_approve(people):
    sub, v1 = save(people["reporter"], {"grp": 120.5})
    assert sub.status == "draft" and v1.number == 1
    services.submission_submit(user=people["reporter"], submission=sub, now=NOW)
    returned = services.submission_review(
        user=people["reviewer"], submission=sub, approve=False, reason="地区生产总值与统计局数据不符"
    )
    assert returned.status == "returned" and "不符" in returned.return_reason
    sub2, v2 = save(people["reporter"], {"grp": 118.0}, reason="按统计局数据更正")
    assert v2.number == 2
    assert SubmissionVersion.objects.get(submission=sub, number=1).values == {
        "grp": "120.5"
    }  # old stays readable
    services.submission_submit(user=people["reporter"], submission=sub2, now=NOW)
    services.submission_review(user=people["reviewer"], submission=sub2, approve=True)
    final = services.submission_final_approve(user=people["province"], submission=sub2, now=NOW)
    assert final.status == "approved" and final.current_version.values == {"grp": "118"}
    assert final.approved_version_id == v2.id
    change = AuditEvent.objects.get(action="value_change", old="120.5")
    assert (change.field, change.new, change.user.username, change.reason) == (
        "grp",
        "118",
        "xq_fill",
        "按统计局数据更正",
    )
    assert list(
        AuditEvent.objects.filter(submission=sub).order_by("id").values_list("action", flat=True)
    ) == [
        "value_change",
        "submit",
        "review_return",
        "value_change",
        "submit",
        "review_approve",
        "final_approve",
    ]


def test_reporter_of_another_zone_is_refused_and_nothing_changes(people):
    with pytest.raises(PermissionDeniedError):
        services.submission_save_version(
            user=people["other_reporter"],
            form_code="Q1",
            unit=zone("lzxq"),
            period="2018Q2",
            values={"grp": 1},
            now=NOW,
        )
    assert Submission.objects.count() == 0 and AuditEvent.objects.count() == 0


def test_reporter_cannot_approve_and_reviewer_cannot_final_approve(people):
    sub, _ = save(people["reporter"], {"grp": 1})
    services.submission_submit(user=people["reporter"], submission=sub, now=NOW)
    with pytest.raises(PermissionDeniedError):
        services.submission_review(user=people["other_reporter"], submission=sub, approve=True)
    services.submission_review(user=people["reviewer"], submission=sub, approve=True)
    with pytest.raises(PermissionDeniedError):
        services.submission_final_approve(user=people["reviewer"], submission=sub)
    assert Submission.objects.get(pk=sub.pk).status == "zone_approved"


def test_second_save_on_a_stale_version_is_refused(people):
    sub, _ = save(people["reporter"], {"grp": 1})
    seen_by_both = sub.lock_version
    save(people["reporter"], {"grp": 2}, expected_lock_version=seen_by_both)
    with pytest.raises(ConflictError) as exc:
        save(people["reporter"], {"grp": 3}, expected_lock_version=seen_by_both)
    assert "已被他人修改" in exc.value.message
    assert Submission.objects.get(pk=sub.pk).current_version.values == {"grp": "2"}


def test_same_values_again_is_a_no_op(people):
    sub, v1 = save(people["reporter"], {"grp": 7})
    again, v = save(people["reporter"], {"grp": 7.0})
    assert v is None and again.versions.count() == 1


def test_return_needs_a_reason_and_submitted_report_is_read_only(people):
    sub, _ = save(people["reporter"], {"grp": 1})
    services.submission_submit(user=people["reporter"], submission=sub, now=NOW)
    with pytest.raises(ApplicationError):
        services.submission_review(user=people["reviewer"], submission=sub, approve=False, reason="  ")
    with pytest.raises(ApplicationError):
        save(people["reporter"], {"grp": 5})
    assert Submission.objects.get(pk=sub.pk).current_version.values == {"grp": "1"}


def test_period_locks_after_the_configured_days_unless_an_exception_is_granted(people, settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 30
    late = timezone.make_aware(dt.datetime(2018, 8, 5))  # 2018Q2 ended 30 June; locks after 30 July
    with pytest.raises(ApplicationError) as exc:
        services.submission_save_version(
            user=people["reporter"], form_code="Q1", unit=zone(), period="2018Q2", values={"grp": 1}, now=late
        )
    assert "已锁定" in exc.value.message
    with pytest.raises(PermissionDeniedError):
        services.lock_exception_grant(
            user=people["reporter"],
            unit=zone(),
            period="2018Q2",
            until=late + dt.timedelta(days=3),
            reason="补报",
        )
    services.lock_exception_grant(
        user=people["province"],
        unit=zone(),
        period="2018Q2",
        until=timezone.now() + dt.timedelta(days=3650),
        reason="系统故障补报",
    )
    sub, v = services.submission_save_version(
        user=people["reporter"], form_code="Q1", unit=zone(), period="2018Q2", values={"grp": 1}, now=late
    )
    assert v.number == 1
