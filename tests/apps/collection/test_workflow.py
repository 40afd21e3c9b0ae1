"""Review workflow, scope checks, optimistic locking, period locks and the audit trail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation
from reporting_helpers import valid_code

from lanbai.collection import services
from lanbai.collection.models import Submission, SubmissionVersion
from lanbai.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from lanbai.common.models import AuditEvent
from lanbai.plans.models import OrgUnit

NOW = timezone.make_aware(dt.datetime(2018, 7, 10, 10, 0))


@pytest.fixture
def people(mini_plan, make_user):
    return {
        "reporter": make_user("xq_fill", "zone_reporter", "lzxq"),
        "reviewer": make_user("xq_review", "zone_reviewer", "lzxq"),
        "other_reporter": make_user("by_fill", "zone_reporter", "bygx"),
        "other_reviewer": make_user("by_review", "zone_reviewer", "bygx"),
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
        AuditEvent.objects.filter(object_type="collection.submission", object_id=sub.pk).order_by("id").values_list("action", flat=True)
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
    assert Submission.objects.count() == 0 and not AuditEvent.objects.exclude(action="plan.load").exists()


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


# ---- bulk transitions (an imported file submitted / approved at once): all or nothing ----


def report(user, form_code, unit_code="lzxq", values=None) -> Submission:
    sub, _ = services.submission_save_version(
        user=user,
        form_code=form_code,
        unit=zone(unit_code),
        period="2018Q2",
        values=values or {"grp": 1},
        now=NOW,
    )
    return sub


def state():
    """Everything a refused bulk call must leave alone."""
    rows = Submission.objects.order_by("id").values_list(
        "id",
        "status",
        "lock_version",
        "submitted_at",
        "submitted_by",
        "approved_at",
        "approved_version",
        "return_reason",
    )
    return list(rows), AuditEvent.objects.count()


def status_events(ids, *, after: int):
    """The status events of the given reports recorded after event ``after``, by report."""
    return list(
        AuditEvent.objects.filter(object_id__in=ids, field="status", id__gt=after)
        .order_by("object_id")
        .values_list("object_id", "action", "old", "new", "user__username", "reason")
    )


def submitted(people, *forms, unit_code="lzxq", reporter="reporter"):
    subs = [report(people[reporter], f, unit_code) for f in forms]
    for s in subs:
        services.submission_submit(user=people[reporter], submission=s, now=NOW)
    return [Submission.objects.get(pk=s.pk) for s in subs]


def test_bulk_submit_moves_draft_and_returned_reports_and_audits_each(people):
    draft = report(people["reporter"], "Q1")
    (returned,) = submitted(people, "Q2")
    services.submission_review(user=people["reviewer"], submission=returned, approve=False, reason="数据不符")
    returned = Submission.objects.get(pk=returned.pk)
    before = {s.pk: s.lock_version for s in (draft, returned)}
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    assert (
        services.submissions_submit_bulk(user=people["reporter"], ids=[draft.pk, returned.pk], now=NOW) == 2
    )

    for s in Submission.objects.filter(pk__in=before):
        assert (s.status, s.submitted_at, s.submitted_by, s.return_reason) == (
            "submitted",
            NOW,
            people["reporter"],
            "",
        )
        assert s.lock_version == before[s.pk] + 1
    assert status_events(before, after=last_event) == [
        (draft.pk, "submit", "draft", "submitted", "xq_fill", ""),
        (returned.pk, "submit", "returned", "submitted", "xq_fill", ""),
    ]


def test_bulk_submit_of_nothing_changes_nothing(people):
    before = state()
    assert services.submissions_submit_bulk(user=people["reporter"], ids=[], now=NOW) == 0
    assert state() == before


def test_bulk_submit_outside_the_scope_refuses_the_whole_batch(people):
    own = report(people["reporter"], "Q1")
    other = report(people["other_reporter"], "Q1", "bygx")
    before = state()
    with pytest.raises(PermissionDeniedError) as exc:
        services.submissions_submit_bulk(user=people["reporter"], ids=[own.pk, other.pk], now=NOW)
    assert exc.value.message == "无权上报 白银高新区 的报表 / not allowed to submit for 白银高新区"
    assert state() == before


def test_bulk_submit_of_an_empty_report_refuses_the_whole_batch(people):
    full = report(people["reporter"], "Q1")
    empty = Submission.objects.create(form_code="Q2", org_unit=zone(), period="2018Q2")
    before = state()
    with pytest.raises(ApplicationError) as exc:
        services.submissions_submit_bulk(user=people["reporter"], ids=[full.pk, empty.pk], now=NOW)
    assert exc.value.message == "报表没有数据，不能上报 / an empty report cannot be submitted"
    assert state() == before


def test_bulk_submit_of_an_already_submitted_report_refuses_the_whole_batch(people):
    draft = report(people["reporter"], "Q1")
    (done,) = submitted(people, "Q2")
    before = state()
    with pytest.raises(ApplicationError) as exc:
        services.submissions_submit_bulk(user=people["reporter"], ids=[draft.pk, done.pk], now=NOW)
    assert exc.value.message == f"{done} 不能上报 / cannot be submitted"
    assert exc.value.extra == {"status": "submitted"}
    assert not isinstance(exc.value, PermissionDeniedError)
    assert state() == before


def test_bulk_submit_by_an_enterprise_reporter_covers_only_its_own_enterprise(people, make_user):
    ent = services.enterprise_register(
        user=people["province"], zone=zone(), credit_code=valid_code(7), name="丁公司"
    )
    boss = make_user("ding", "enterprise_reporter", ent.org_unit.code)
    mine, _ = services.submission_save_version(
        user=boss, form_code="Q2", unit=ent.org_unit, period="2018Q2", values={"revenue": 5}, now=NOW
    )
    zone_report = report(people["reporter"], "Q1")
    before = state()
    with pytest.raises(PermissionDeniedError) as exc:
        services.submissions_submit_bulk(user=boss, ids=[mine.pk, zone_report.pk], now=NOW)
    assert exc.value.message == "无权上报 兰州新区 的报表 / not allowed to submit for 兰州新区"
    assert state() == before
    assert services.submissions_submit_bulk(user=boss, ids=[mine.pk], now=NOW) == 1
    assert Submission.objects.get(pk=mine.pk).status == "submitted"
    assert Submission.objects.get(pk=zone_report.pk).status == "draft"


def test_bulk_zone_approval_moves_submitted_reports_and_audits_each(people):
    subs = submitted(people, "Q1", "Q2")
    before = {s.pk: s.lock_version for s in subs}
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    assert services.submissions_approve_bulk(user=people["reviewer"], ids=list(before), final=False) == 2

    for s in Submission.objects.filter(pk__in=before):
        assert (s.status, s.approved_at, s.approved_version_id) == ("zone_approved", None, None)
        assert (s.submitted_at, s.submitted_by) == (NOW, people["reporter"])
        assert s.lock_version == before[s.pk] + 1
    assert status_events(before, after=last_event) == [
        (pk, "review_approve", "submitted", "zone_approved", "xq_review", "") for pk in sorted(before)
    ]


def test_bulk_zone_approval_outside_the_scope_refuses_the_whole_batch(people):
    own = submitted(people, "Q1")
    other = submitted(people, "Q1", unit_code="bygx", reporter="other_reporter")
    ids = [s.pk for s in own + other]
    before = state()
    with pytest.raises(PermissionDeniedError) as exc:
        services.submissions_approve_bulk(user=people["reviewer"], ids=ids, final=False)
    assert exc.value.message == "无权审核 白银高新区 的报表 / not allowed to review 白银高新区"
    assert state() == before
    with pytest.raises(PermissionDeniedError):
        services.submissions_approve_bulk(user=people["reporter"], ids=[own[0].pk], final=False)
    assert state() == before


def test_bulk_zone_approval_of_a_draft_refuses_the_whole_batch(people):
    (done,) = submitted(people, "Q1")
    draft = report(people["reporter"], "Q2")
    before = state()
    with pytest.raises(ApplicationError) as exc:
        services.submissions_approve_bulk(user=people["reviewer"], ids=[done.pk, draft.pk], final=False)
    assert exc.value.message == f"{draft} 不能审核 / cannot be approved"
    assert exc.value.extra == {"status": "draft"}
    assert not isinstance(exc.value, PermissionDeniedError)
    assert state() == before


def test_bulk_final_approval_only_by_the_province_and_only_after_the_zone_review(people):
    subs = submitted(people, "Q1", "Q2")
    ids = [s.pk for s in subs]
    before = state()
    for who in ("reviewer", "reporter"):
        with pytest.raises(PermissionDeniedError) as exc:
            services.submissions_approve_bulk(user=people[who], ids=ids, final=True, now=NOW)
        assert exc.value.message == "只有省创新办可以终审 / only the provincial office gives final approval"
        assert state() == before
    with pytest.raises(PermissionDeniedError):
        services.submissions_approve_bulk(user=people["reviewer"], ids=[], final=True, now=NOW)
    with pytest.raises(ApplicationError) as exc:  # still 已提交: the zone review comes first
        services.submissions_approve_bulk(user=people["province"], ids=ids, final=True, now=NOW)
    assert exc.value.message == f"{subs[0]} 不能审核 / cannot be approved"
    assert exc.value.extra == {"status": "submitted"}
    assert state() == before


def test_bulk_final_approval_records_the_approved_version(people):
    subs = submitted(people, "Q1", "Q2")
    ids = [s.pk for s in subs]
    services.submissions_approve_bulk(user=people["reviewer"], ids=ids, final=False)
    before = {s.pk: s.lock_version for s in Submission.objects.filter(pk__in=ids)}
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    assert services.submissions_approve_bulk(user=people["province"], ids=ids, final=True, now=NOW) == 2

    for s in Submission.objects.filter(pk__in=ids):
        assert (s.status, s.approved_at) == ("approved", NOW)
        assert s.approved_version_id == s.current_version_id is not None
        assert s.lock_version == before[s.pk] + 1
    assert status_events(ids, after=last_event) == [
        (pk, "final_approve", "zone_approved", "approved", "sheng", "") for pk in sorted(ids)
    ]


# ---- single-report transitions: refusals and the final return ----


def test_single_transitions_refuse_scope_stale_versions_and_wrong_statuses(people):
    sub = report(people["reporter"], "Q1")
    empty = Submission.objects.create(form_code="Q2", org_unit=zone(), period="2018Q2")
    before = state()
    with pytest.raises(PermissionDeniedError) as exc:
        services.submission_submit(user=people["other_reporter"], submission=sub, now=NOW)
    assert exc.value.message == "无权上报该报表 / not allowed to submit this report"
    with pytest.raises(ConflictError):
        services.submission_submit(
            user=people["reporter"], submission=sub, expected_lock_version=sub.lock_version + 1, now=NOW
        )
    with pytest.raises(ApplicationError) as exc:
        services.submission_submit(user=people["reporter"], submission=empty, now=NOW)
    assert exc.value.message == "报表没有数据，不能上报 / an empty report cannot be submitted"
    with pytest.raises(ApplicationError) as exc, translation.override("en"):  # Chinese half in Chinese still
        services.submission_review(user=people["reviewer"], submission=sub, approve=True)
    assert exc.value.message == "不能从「草稿」变为「园区已审核」/ cannot go from draft to zone_approved"
    assert exc.value.extra == {"status": "draft"}
    with pytest.raises(PermissionDeniedError) as exc:
        services.submission_review(user=people["other_reviewer"], submission=sub, approve=True)
    assert exc.value.message == "无权审核该报表 / not allowed to review this report"
    with pytest.raises(ApplicationError) as exc:
        services.submission_final_approve(user=people["province"], submission=sub, now=NOW)
    assert exc.value.message == "不能从「草稿」变为「已审核」/ cannot go from draft to approved"
    assert state() == before


def test_final_return_needs_a_reason_and_records_it(people):
    (sub,) = submitted(people, "Q1")
    services.submission_review(user=people["reviewer"], submission=sub, approve=True)
    sub = Submission.objects.get(pk=sub.pk)
    before = state()
    with pytest.raises(ApplicationError) as exc:
        services.submission_final_approve(user=people["province"], submission=sub, approve=False, reason=" ")
    assert exc.value.message == "退回必须说明原因 / a return needs a reason"
    with pytest.raises(ConflictError):
        services.submission_final_approve(
            user=people["province"], submission=sub, approve=False, reason="x", expected_lock_version=0
        )
    assert state() == before
    last_event = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()

    back = services.submission_final_approve(
        user=people["province"],
        submission=sub,
        approve=False,
        reason="研发投入口径有误",
        expected_lock_version=sub.lock_version,
    )

    assert (back.status, back.return_reason, back.lock_version) == (
        "returned",
        "研发投入口径有误",
        sub.lock_version + 1,
    )
    assert Submission.objects.get(pk=sub.pk).status == "returned"
    assert status_events([sub.pk], after=last_event) == [
        (sub.pk, "final_return", "zone_approved", "returned", "sheng", "研发投入口径有误")
    ]


def test_saved_values_are_stored_text_as_imports_store_them(people):
    """The web/zone save path keeps the same stored text as the bulk import: booleans 1/0, floats as
    their shortest decimal, dates ISO; the audit trail shows that text."""
    from lanbai.core.collection.stored import store_value

    unit = OrgUnit.objects.get(code="lzxq")
    typed = {"gdp": 1234.5, "flag": True, "day": dt.date(2018, 3, 31), "big": 1e16, "none": None}
    sub, version = services.submission_save_version(
        user=people["reporter"], form_code="兰白统Q1表", unit=unit, period="2018Q2", values=typed, now=NOW
    )
    assert version.values == {k: store_value(v) for k, v in typed.items()}
    assert version.values == {
        "gdp": "1234.5",
        "flag": "1",
        "day": "2018-03-31",
        "big": "10000000000000000",
        "none": None,
    }
    _, v2 = services.submission_save_version(
        user=people["reporter"],
        form_code="兰白统Q1表",
        unit=unit,
        period="2018Q2",
        values=typed | {"flag": False},
        now=NOW,
        expected_lock_version=sub.lock_version,
    )
    changes = AuditEvent.objects.filter(object_type="collection.submission", object_id=sub.pk, action="value_change", field="flag").order_by("id")
    assert [(c.old, c.new) for c in changes] == [("", "1"), ("1", "0")] and v2.number == 2
