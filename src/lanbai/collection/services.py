"""Writes of the collection app: versions, the review workflow, locks, the audit trail.

Every write runs in a transaction, checks the user's scope first (a forbidden attempt raises
PermissionDeniedError and changes nothing) and records who did what in the audit trail (:func:`lanbai.common.audit.audit`).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lanbai.access.policy import Action, can, unit_ids
from lanbai.common.audit import actor, audit, audit_event, audit_events_bulk, audit_events_save
from lanbai.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.core.collection.creditcode import classify as classify_credit_code
from lanbai.core.collection.stored import store_value
from lanbai.core.periods import Quarter
from lanbai.plans.services import orgunit_links_create, orgunits_create

from . import calendar, figures, selectors
from .choices import STATUS_WORDS, LateRequestStatus, Status, UploadOutcome
from .models import (
    Enterprise,
    LateRequest,
    LockException,
    SoftRuleWarning,
    Submission,
    SubmissionVersion,
    Upload,
)

if TYPE_CHECKING:  # the plans app's units are created through its services
    from lanbai.common.models import AuditEvent
    from lanbai.plans.models import OrgUnit

LOCK_DAYS_DEFAULT = 45  # a period locks this many days after it ends (settings.LANBAI_PERIOD_LOCK_DAYS)


def _quarter(period: Quarter | str) -> Quarter:
    """``period`` as a Quarter; text that is none is :class:`ValidationFailed` (field ``period``)."""
    try:
        return Quarter.coerce(period)
    except (ValueError, TypeError):
        raise ValidationFailed(
            f"报告期格式错误：{period}，应为如 2018Q2 / a period looks like 2018Q2", field="period"
        ) from None


def period_lock_time(period: Quarter | str, *, form_code: str | None = None) -> dt.datetime:
    """When a period locks: midnight after ``end + lock days`` (Asia/Shanghai)."""
    return selectors.period_lock_time(period, form_code=form_code)


def period_is_locked(
    period: Quarter | str, unit: OrgUnit, *, now: dt.datetime | None = None, form_code: str | None = None
) -> bool:
    """True once the lock time has passed, unless 省创新办 granted this unit an exception."""
    now = now or timezone.now()
    period = str(_quarter(period))
    if now < period_lock_time(period, form_code=form_code):
        return False
    return not LockException.objects.filter(org_unit=unit, period=period, until__gte=now).exists()


def period_refusal(
    period: Quarter | str, unit: OrgUnit, *, form_code: str | None = None, now: dt.datetime | None = None
) -> str | None:
    """Why ``unit`` may not report ``period`` now — ``future``, ``outside`` or ``locked`` — else None.

    The state comes from the form's reporting calendar (:mod:`lanbai.collection.calendar`); a locked
    period is open again while a 准予逾期填报 (:class:`LockException`) of the unit runs.
    """
    state = calendar.period_state(_quarter(period), form_code=form_code, now=now).state
    if state in ("future", "outside"):
        return state
    if period_is_locked(period, unit, now=now, form_code=form_code):
        return "locked"
    return None


def _check_lock_version(submission: Submission, expected: int | None) -> None:
    if expected is not None and submission.lock_version != expected:
        raise ConflictError(
            "该报表已被他人修改，请刷新后重试 / this report was changed by someone else since you opened it; "
            "reload and try again",
            extra={"expected_version": expected, "current_version": submission.lock_version},
        )


@transaction.atomic
def submission_save_version(
    *,
    user,
    form_code: str,
    unit: OrgUnit,
    period: Quarter | str,
    values: dict[str, Any],
    upload: Upload | None = None,
    expected_lock_version: int | None = None,
    reason: str = "",
    simulated: bool = False,
    now: dt.datetime | None = None,
) -> tuple[Submission, SubmissionVersion | None]:
    """Store validated values as a new version of the (form, unit, period) report.

    ``values`` are typed values or their stored text; both are kept as stored text
    (:func:`lanbai.core.collection.stored.store_value`, the rule every import path uses).  Returns the submission and the new version (None when the values equal the current version:
    saving the same figures again is a no-op).  Only draft or returned reports can be changed.
    """
    if not can(user, Action.REPORT, unit):
        raise PermissionDeniedError(f"无权为 {unit.name} 填报 / not allowed to report for {unit.name}")
    period = str(_quarter(period))
    refusal = period_refusal(period, unit, form_code=form_code, now=now)
    if refusal in ("future", "outside"):
        raise ValidationFailed(
            f"报告期 {period} 尚未结束或不在报告期范围内，不能填报 / period {period} cannot be reported "
            f"({refusal})",
            field="period",
        )
    if refusal == "locked":
        raise ApplicationError(
            f"报告期 {period} 已锁定 / period {period} is locked",
            extra={"locked_at": period_lock_time(period).isoformat()},
        )
    submission, created = Submission.objects.select_for_update().get_or_create(
        form_code=form_code, org_unit=unit, period=period, defaults={"is_simulated": simulated}
    )
    if not created:
        _check_lock_version(submission, expected_lock_version)
        if submission.status not in (Status.DRAFT, Status.RETURNED):
            raise ApplicationError(
                f"报表状态为「{STATUS_WORDS[submission.status]}」，不能修改 / a {submission.status} report cannot be changed",
                extra={"status": submission.status},
            )
    old = submission.current_version.values if submission.current_version is not None else {}
    new = {k: store_value(v) for k, v in values.items()}
    if old == new and not created:
        return submission, None
    number = (submission.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        upload=upload,
        values=new,
        created_by=user if user and user.is_authenticated else None,
        note=reason,
    )
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            audit(
                user,
                "value_change",
                submission,
                field=key,
                old=old.get(key),
                new=new.get(key),
                reason=reason or (f"上传 {upload.filename}" if upload else "填报"),
            )
    submission.current_version = version
    submission.lock_version += 1
    submission.status = Status.DRAFT if submission.status != Status.RETURNED else Status.RETURNED
    submission.save(update_fields=["current_version", "lock_version", "status", "updated_at"])
    return submission, version


_EMPTY_REPORT = "报表没有数据，不能上报 / an empty report cannot be submitted"


def _locked(
    submission: Submission,
    expected_lock_version: int | None,
    *,
    may_act: Callable[[Submission], bool],
    refusal: str,
) -> Submission:
    """Re-read ``submission`` under a row lock, refuse it out of scope, then check the caller's version."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not may_act(submission):
        raise PermissionDeniedError(refusal)
    _check_lock_version(submission, expected_lock_version)
    return submission


def _transition(submission: Submission, *, to: str, allowed_from: tuple[str, ...]) -> str:
    if submission.status not in allowed_from:
        raise ApplicationError(
            f"不能从「{STATUS_WORDS[submission.status]}」变为「{STATUS_WORDS[to]}」/ "  # the Chinese half in Chinese
            f"cannot go from {submission.status} to {to}",
            extra={"status": submission.status},
        )
    previous = submission.status
    submission.status = to
    submission.lock_version += 1
    return previous


def _return(submission: Submission, reason: str, *, allowed_from: tuple[str, ...]) -> str:
    """退回 (→ 已退回): needs a reason, which the report keeps for its reporter."""
    if not reason.strip():
        raise ApplicationError("退回必须说明原因 / a return needs a reason")
    previous = _transition(submission, to=Status.RETURNED, allowed_from=allowed_from)
    submission.return_reason = reason
    return previous


def _save_transition(
    user, action: str, submission: Submission, previous: str, *, reason: str = ""
) -> Submission:
    """Save a report after a status change and record the change in the audit trail."""
    submission.save()
    audit(user, action, submission, field="status", old=previous, new=submission.status, reason=reason)
    return submission


@transaction.atomic
def submission_submit(
    *,
    user,
    submission: Submission,
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
    explanations: dict[str, str] | None = None,
) -> Submission:
    """上报: a draft or returned report goes to the zone reviewer.

    Every soft rule (核实性审核) the current version breaks needs a written explanation:
    ``explanations`` maps the rule's code (``revenue_yoy``) to the text; one given earlier is kept.
    A missing one is :class:`ValidationFailed` naming the rule (``extra["rules"]``); each explanation
    given is stored on its warning and audited (``soft_rule_explain``).
    """
    submission = _locked(
        submission,
        expected_lock_version,
        may_act=lambda s: can(user, Action.REPORT, s.org_unit),
        refusal="无权上报该报表 / not allowed to submit this report",
    )
    if submission.current_version_id is None:
        raise ApplicationError(_EMPTY_REPORT)
    when = now or timezone.now()
    if submission.status in (Status.DRAFT, Status.RETURNED):
        warnings = list(SoftRuleWarning.objects.filter(version_id=submission.current_version_id))
        for event in _explain(user, warnings, explanations or {}, when, {submission.pk: submission}):
            event.save()
    previous = _transition(submission, to=Status.SUBMITTED, allowed_from=(Status.DRAFT, Status.RETURNED))
    submission.submitted_at = when
    submission.submitted_by = actor(user)
    submission.return_reason = ""
    return _save_transition(user, "submit", submission, previous)


@transaction.atomic
def submission_review(
    *, user, submission: Submission, approve: bool, reason: str = "", expected_lock_version: int | None = None
) -> Submission:
    """审核 by the zone reviewer: approve (→ 园区已审核) or return with a reason (→ 已退回)."""
    submission = _locked(
        submission,
        expected_lock_version,
        may_act=lambda s: can(user, Action.REVIEW, s.org_unit),
        refusal="无权审核该报表 / not allowed to review this report",
    )
    if approve:
        previous = _transition(submission, to=Status.ZONE_APPROVED, allowed_from=(Status.SUBMITTED,))
    else:
        previous = _return(submission, reason, allowed_from=(Status.SUBMITTED, Status.ZONE_APPROVED))
    return _save_transition(
        user, "review_approve" if approve else "review_return", submission, previous, reason=reason
    )


@transaction.atomic
def submission_final_approve(
    *,
    user,
    submission: Submission,
    approve: bool = True,
    reason: str = "",
    expected_lock_version: int | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Final approval by 省创新办 (→ 已审核); or a return with a reason."""
    submission = _locked(
        submission,
        expected_lock_version,
        may_act=lambda _s: can(user, Action.FINAL_APPROVE),
        refusal="只有省创新办可以终审 / only the provincial office gives final approval",
    )
    if approve:
        previous = _transition(submission, to=Status.APPROVED, allowed_from=(Status.ZONE_APPROVED,))
        submission.approved_at = now or timezone.now()
        submission.approved_version = submission.current_version
    else:
        previous = _return(submission, reason, allowed_from=(Status.ZONE_APPROVED, Status.APPROVED))
    saved = _save_transition(
        user, "final_approve" if approve else "final_return", submission, previous, reason=reason
    )
    figures.figures_replace([saved.pk])  # the analytical store, in this transaction
    return saved


def _explain(
    user, warnings: list[SoftRuleWarning], explanations: dict[str, str], when: dt.datetime, subs: dict
) -> list[AuditEvent]:
    """Store the explanations of ``warnings``; the unsaved audit events.  Missing → ValidationFailed."""
    missing: list[SoftRuleWarning] = []
    changed: list[SoftRuleWarning] = []
    for w in warnings:
        text = (explanations.get(w.rule_key) or "").strip()
        if text and text != w.explanation:
            w.explanation, w.explained_by, w.explained_at = text, actor(user), when
            changed.append(w)
        elif not text and not w.explanation.strip():
            missing.append(w)
    if missing:
        keys = sorted({w.rule_key for w in missing})
        labels = {f.code: f.label for spec in calendar.shipped_forms().values() for f in spec.fields}
        shown = "、".join(dict.fromkeys(labels.get(w.field, w.field) for w in missing[:10]))
        raise ValidationFailed(
            f"上报前须对核实性审核提示逐条说明原因（{shown}） / explain each soft-rule warning before "
            f"submitting ({len(missing)})",
            field="explanations",
            extra={"rules": keys},
        )
    SoftRuleWarning.objects.bulk_update(changed, ["explanation", "explained_by", "explained_at"])
    return [
        audit_event(
            user,
            "soft_rule_explain",
            subs[w.submission_id],
            field=w.rule_key,
            new=w.explanation,
            reason=w.message_zh,
        )
        for w in changed
    ]


@transaction.atomic
def soft_warnings_record(
    *,
    user,
    unit: OrgUnit,
    upload: Upload,
    form_code: str,
    period: Quarter | str,
    warnings: list[tuple[int, Any]],
) -> int:
    """Keep the soft-rule problems of an accepted file on the versions it created; how many kept.

    ``warnings`` pairs an org unit id with a soft :class:`~lanbai.core.collection.Problem`; a unit
    whose figures did not change (no new version) keeps the warnings of its current version.
    """
    if not can(user, Action.REPORT, unit):
        raise PermissionDeniedError(f"无权为 {unit.name} 填报 / not allowed to report for {unit.name}")
    if not warnings:
        return 0
    period = str(_quarter(period))
    units = {u for u, _ in warnings}
    versions = {
        u: (sid, vid)
        for u, sid, vid in SubmissionVersion.objects.filter(
            upload=upload, submission__form_code=form_code, submission__period=period
        ).values_list("submission__org_unit_id", "submission_id", "id")
        if u in units
    }
    rows = []
    for u, p in warnings:
        if u not in versions:
            continue
        sid, vid = versions[u]
        rows.append(
            SoftRuleWarning(
                submission_id=sid,
                version_id=vid,
                rule_key=p.rule_key or p.rule,
                rule=p.rule,
                field=p.field or "",
                value=(p.value or "")[:200],
                bound=(p.bound or "")[:200],
                message_zh=p.message_zh,
                message_en=p.message_en,
            )
        )
    SoftRuleWarning.objects.bulk_create(rows, batch_size=1000)
    audit(
        user,
        "soft_rule_warning",
        upload,
        field=form_code,
        new=str(len(rows)),
        reason="；".join(sorted({r.rule_key for r in rows})),
    )
    return len(rows)


@transaction.atomic
def late_request_create(
    *,
    user,
    unit: OrgUnit,
    period: Quarter | str,
    reason: str,
    form_code: str = "",
    now: dt.datetime | None = None,
) -> LateRequest:
    """申请逾期填报: a unit's 填报员 asks the 省创新办 to open a locked period, saying why."""
    if not can(user, Action.REPORT, unit):
        raise PermissionDeniedError(f"无权为 {unit.name} 申请 / not allowed to ask for {unit.name}")
    q = _quarter(period)
    period = str(q)
    if not (reason or "").strip():
        raise ValidationFailed(
            "申请逾期填报须说明理由 / a late-reporting request needs a reason", field="reason"
        )
    state = calendar.period_state(q, form_code=form_code or None, now=now).state
    if state in ("future", "outside"):
        raise ValidationFailed(
            f"报告期 {period} 不能填报（{state}），无需申请 / period {period} cannot be reported",
            field="period",
        )
    if not period_is_locked(period, unit, now=now, form_code=form_code or None):
        raise ValidationFailed(
            f"报告期 {period} 未锁定，可直接填报 / period {period} is open: no request needed", field="period"
        )
    if LateRequest.objects.filter(org_unit=unit, period=period, status=LateRequestStatus.PENDING).exists():
        raise ConflictError(f"{unit.name} {period} 已有待批准的申请 / a request is already pending")
    req = LateRequest.objects.create(
        org_unit=unit, period=period, form_code=form_code, reason=reason.strip(), requested_by=user
    )
    audit(
        user, "late_request", req, field=f"{unit.code}:{period}", new=LateRequestStatus.PENDING, reason=reason
    )
    return req


@transaction.atomic
def late_request_decline(*, user, request: LateRequest, reason: str) -> LateRequest:
    """省创新办 declines a pending late-reporting request (with a reason)."""
    if not can(user, Action.GRANT_LATE):
        raise PermissionDeniedError(
            "只有省创新办可以批准逾期填报 / only the provincial office grants exceptions"
        )
    request = LateRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != LateRequestStatus.PENDING:
        raise ConflictError("该申请已处理 / this request was already decided")
    if not (reason or "").strip():
        raise ValidationFailed("须说明不予准许的理由 / a reason is needed", field="reason")
    request.status = LateRequestStatus.DECLINED
    request.save(update_fields=["status"])
    audit(user, "late_request_decline", request, field="status", old="pending", new="declined", reason=reason)
    return request


@transaction.atomic
def lock_exception_grant(
    *,
    user,
    unit: OrgUnit | None = None,
    period: Quarter | str | None = None,
    until: dt.datetime,
    reason: str = "",
    request: LateRequest | None = None,
    now: dt.datetime | None = None,
) -> LockException:
    """准予逾期填报: 省创新办 lets a unit report into a locked period until ``until`` (the expiry).

    With ``request`` (a pending :class:`LateRequest`) the unit and period are the request's, and the
    request is marked granted with this exception.
    """
    if not can(user, Action.GRANT_LATE):
        raise PermissionDeniedError(
            "只有省创新办可以批准逾期填报 / only the provincial office grants exceptions"
        )
    if request is not None:
        request = LateRequest.objects.select_for_update().select_related("org_unit").get(pk=request.pk)
        if request.status != LateRequestStatus.PENDING:
            raise ConflictError("该申请已处理 / this request was already decided")
        unit, period = request.org_unit, request.period
        reason = reason or request.reason
    if unit is None or period is None:
        raise ValidationFailed("须指定单位和报告期 / unit and period are needed", field="unit")
    if until <= (now or timezone.now()):
        raise ValidationFailed("许可截止时间须晚于现在 / the expiry must be in the future", field="until")
    period = str(_quarter(period))
    exc = LockException.objects.create(
        org_unit=unit, period=period, until=until, granted_by=user, reason=reason
    )
    if request is not None:
        request.status, request.grant = LateRequestStatus.GRANTED, exc
        request.save(update_fields=["status", "grant"])
    audit(user, "lock_exception", exc, field=f"{unit.code}:{period}", new=until.isoformat(), reason=reason)
    return exc


@dataclass
class _ReportRow:
    """What :func:`_bulk_transition` checks of a report; ``org_unit`` and ``str()`` read the report itself."""

    pk: int
    org_unit_id: int
    status: str
    current_version_id: int | None

    @functools.cached_property
    def submission(self) -> Submission:
        return Submission.objects.select_related("org_unit").get(pk=self.pk)

    @property
    def org_unit(self) -> OrgUnit:
        return self.submission.org_unit

    def __str__(self) -> str:
        return str(self.submission)


def _bulk_transition(
    user,
    ids: list[int],
    *,
    action: str,
    allowed_from: tuple[str, ...],
    to: str,
    may_act: Callable[[_ReportRow], bool],
    refusal: Callable[[_ReportRow], str],
    wrong_status: str,
    require_data: bool = False,
    set_values: dict[str, Any] | None = None,
    before_save: Callable[[], object] | None = None,
) -> int:
    """Move the reports ``ids`` from a status in ``allowed_from`` to ``to``, all or nothing.

    The audit events (one per report) are written at once by :func:`lanbai.common.audit.audit_events_bulk`
    (an imported file submits thousands of reports at once).
    Every report is checked before anything changes, in this order: in scope (else
    PermissionDeniedError with ``refusal(report)``), has data when ``require_data``, in a status of
    ``allowed_from`` (else ApplicationError ``"<report> <wrong_status>"``).  Then each report gets one
    audit event (``action``, field "status", old -> new), the new status, a lock_version bump and
    ``set_values`` (the same for every report: constants or expressions such as ``F(...)``), written
    with one UPDATE per 5,000 reports — ``bulk_update``'s per-row ``CASE`` took 0.4 s per 1,000
    reports.  Returns how many reports moved.  The caller holds the transaction (select_for_update
    needs one).
    """
    # only what the checks read, as plain rows (model instances cost more than the UPDATE at 100,000
    # reports); the whole report is fetched for a refusal's message or a check that needs its unit
    subs = [
        _ReportRow(*row) for row in Submission.objects.select_for_update(of=("self",)).filter(pk__in=ids)
        .order_by().values_list("pk", "org_unit_id", "status", "current_version_id")
    ]
    for s in subs:
        if not may_act(s):
            raise PermissionDeniedError(refusal(s))
        if require_data and s.current_version_id is None:
            raise ApplicationError(_EMPTY_REPORT)
        if s.status not in allowed_from:
            raise ApplicationError(f"{s} {wrong_status}", extra={"status": s.status})
    if before_save is not None:
        before_save()
    pks = [s.pk for s in subs]
    for start in range(0, len(pks), 5000):
        Submission.objects.filter(pk__in=pks[start : start + 5000]).update(
            status=to, lock_version=F("lock_version") + 1, **(set_values or {})
        )
    audit_events_bulk(user, action, Submission, ((s.pk, "status", s.status, to) for s in subs))
    return len(subs)


@transaction.atomic
def submissions_submit_bulk(
    *, user, ids: list[int], now: dt.datetime | None = None, explanations: dict[str, str] | None = None
) -> int:
    """上报 many draft/returned reports at once (an imported enterprise file); returns how many.

    Same rules as :func:`submission_submit`: every report must be in the user's scope and have data,
    and every soft-rule warning of their current versions needs an explanation (``explanations``
    by rule code, applied to every report that breaks the rule).
    """
    zone_ids = unit_ids(user, Action.REPORT)  # once, not per report
    when, by = now or timezone.now(), actor(user)

    return _bulk_transition(
        user,
        ids,
        action="submit",
        allowed_from=(Status.DRAFT, Status.RETURNED),
        to=Status.SUBMITTED,
        may_act=lambda s: (
            zone_ids is None or s.org_unit_id in zone_ids or can(user, Action.REPORT, s.org_unit)
        ),
        refusal=lambda s: f"无权上报 {s.org_unit.name} 的报表 / not allowed to submit for {s.org_unit.name}",
        wrong_status="不能上报 / cannot be submitted",
        require_data=True,
        set_values={"submitted_at": when, "submitted_by": by, "return_reason": ""},
        # after every report's scope and status are checked: explanations, or which rule lacks one
        before_save=lambda: audit_events_save(_explain_open_reports(user, ids, explanations or {}, when)),
    )


def _explain_open_reports(user, ids: list[int], explanations: dict[str, str], when) -> list[AuditEvent]:
    """:func:`_explain` for the warnings of the current versions of the open reports among ``ids``.

    Soft warnings are rare: all those of open reports are read (one small query) and matched here,
    rather than sending the ids of a 100,000-row import to the database.
    """
    wanted = set(ids)
    warnings = [
        w
        for w in SoftRuleWarning.objects.filter(
            submission__status__in=(Status.DRAFT, Status.RETURNED)
        ).select_related("submission")
        if w.submission_id in wanted and w.version_id == w.submission.current_version_id
    ]
    if not warnings:
        return []
    return _explain(user, warnings, explanations, when, {w.submission_id: w.submission for w in warnings})


@transaction.atomic
def submissions_approve_bulk(*, user, ids: list[int], final: bool, now: dt.datetime | None = None) -> int:
    """Approve many reports at once: the zone review (已上报 → 园区已审核) or, with ``final=True``,
    the final approval by 省创新办 (园区已审核 → 已审核).  All or nothing."""
    if final and not can(user, Action.FINAL_APPROVE):
        raise PermissionDeniedError("只有省创新办可以终审 / only the provincial office gives final approval")
    zone_ids = None if final else unit_ids(user, Action.REVIEW)
    when = now or timezone.now()

    moved = _bulk_transition(
        user,
        ids,
        action="final_approve" if final else "review_approve",
        allowed_from=(Status.ZONE_APPROVED,) if final else (Status.SUBMITTED,),
        to=Status.APPROVED if final else Status.ZONE_APPROVED,
        may_act=lambda s: zone_ids is None or s.org_unit_id in zone_ids,
        refusal=lambda s: f"无权审核 {s.org_unit.name} 的报表 / not allowed to review {s.org_unit.name}",
        wrong_status="不能审核 / cannot be approved",
        set_values={"approved_at": when, "approved_version_id": F("current_version_id")} if final else None,
    )
    if final:
        figures.figures_replace(ids)  # the analytical store, in this transaction
    return moved


def approved_figures_catch_up() -> int:
    """A system step (no user, no audit: it writes derived data only): give the approved reports
    missing from the approved-figures store their rows.  Monitoring runs it before its first full
    read in a process, so a crash or a writer that bypassed these services is caught up at the next
    start.  Returns how many reports were filled."""
    return figures.figures_catch_up()


@transaction.atomic
def enterprise_register(
    *,
    user,
    zone: OrgUnit,
    credit_code: str,
    name: str,
    park: OrgUnit | None = None,
    industry: str = "",
    category: str = "",
    registered_on: dt.date | None = None,
    simulated: bool = False,
) -> Enterprise:
    """Register an enterprise in a zone — the one way an enterprise comes to the platform.

    The right to write the zone's registry first (省创新办, or the zone's 填报员); then the credit
    code (GB 32100-2015, :func:`lanbai.core.collection.creditcode.classify`: the message names the
    rule) and that it is not registered yet (:class:`ConflictError`).  The enterprise gets an org unit
    of kind enterprise coded ``ent-<credit code>`` (the prefix keeps enterprise codes apart from the
    plan's zone and park codes in the one namespace of a plan's units; the demo, the benchmarks and
    the URLs of enterprise pages, which use the credit code itself, rely on it), linked below ``park``
    when given, else below the zone, valid from ``registered_on`` (else the plan's first year).
    """
    entry = EnterpriseEntry(zone=zone, credit_code=credit_code, name=name, park=park, industry=industry,
                            category=category, registered_on=registered_on, simulated=simulated)
    return enterprises_register(user=user, entries=[entry])[0]


@dataclass(frozen=True)
class EnterpriseEntry:
    """One enterprise to register (:func:`enterprise_register`'s arguments)."""

    zone: OrgUnit
    credit_code: str
    name: str
    park: OrgUnit | None = None
    industry: str = ""
    category: str = ""
    registered_on: dt.date | None = None
    simulated: bool = False


@transaction.atomic
def enterprises_register(*, user, entries: list[EnterpriseEntry]) -> list[Enterprise]:
    """:func:`enterprise_register` for many enterprises at once, all or nothing: the same checks in
    the same order (rights per zone, each credit code, none registered before or twice in
    ``entries``), then the units, their links, the enterprises and one audit event each written in
    bulk — seven queries per enterprise became seven per batch (the demo registers 10,000)."""
    for zone in {e.zone.pk: e.zone for e in entries}.values():
        if not can(user, Action.WRITE_REGISTRY, zone):
            raise PermissionDeniedError(
                f"无权为 {zone.name} 登记企业（需省创新办或本园区填报员） / not allowed to register for {zone.code}"
            )
    codes = [(e.credit_code or "").strip() for e in entries]
    for code in codes:
        problem = credit_code_error(code)
        if problem:
            raise ValidationFailed(problem, field="credit_code")
    seen: set[str] = set()
    taken = set(Enterprise.objects.filter(credit_code__in=codes).values_list("credit_code", flat=True))
    for code in codes:
        if code in taken or code in seen:
            raise ConflictError(
                f"统一社会信用代码 {code} 已登记 / already registered", extra={"field": "credit_code"}
            )
        seen.add(code)
    starts = [e.registered_on or dt.date(e.zone.plan.start_year, 1, 1) for e in entries]
    units = orgunits_create(
        units=[
            {"plan": e.zone.plan, "code": f"ent-{code}", "name": e.name, "kind": "enterprise", "valid_from": start,
             "source": "企业登记", "order": 100000}
            for e, code, start in zip(entries, codes, starts, strict=True)
        ]
    )
    orgunit_links_create(
        links=[(unit, e.park or e.zone, start) for unit, e, start in zip(units, entries, starts, strict=True)]
    )
    ents = []
    for e, code, unit in zip(entries, codes, units, strict=True):
        ent = Enterprise(credit_code=code, name=e.name, org_unit=unit, zone=e.zone, industry=e.industry,
                         category=e.category, registered_on=e.registered_on, is_simulated=e.simulated)
        try:  # the credit code's uniqueness was checked above, for the whole batch in one query
            ent.full_clean(validate_unique=False)
        except DjangoValidationError as exc:
            raise ValidationFailed(
                "企业登记信息无效 / invalid enterprise", extra={"fields": exc.message_dict}
            ) from exc
        ents.append(ent)
    Enterprise.objects.bulk_create(ents, batch_size=2000)
    audit_events_bulk(user, "enterprise_register", None,  # the credit code names it
                      ((None, ent.credit_code, "", ent.name) for ent in ents))
    return ents


def credit_code_error(code: str) -> str | None:
    """None if ``code`` is a valid 统一社会信用代码, else a message naming the rule (GB 32100-2015)."""
    rule = classify_credit_code(code or "")
    if rule is None:
        return None
    if rule == "credit_code.format":
        return f"统一社会信用代码“{code}”格式错误：应为18位数字或大写字母（不含I、O、S、V、Z） [{rule}]"
    return f"统一社会信用代码“{code}”校验位错误（GB 32100-2015） [{rule}]"


@transaction.atomic
def reminder_send(
    *, user, unit: OrgUnit, form_code: str, period: Quarter | str, message: str = ""
) -> list:
    """催报: remind the unit's fillers that (form, period) is missing — a notice on each one's 工作台
    and an e-mail through Django's mail framework (``EMAIL_BACKEND``); one audit event per reminder.

    省创新办 reminds any unit; a zone reviewer the units of their zone.  Returns the notices made
    (none when the unit has no filler: the audit event still records the attempt).
    """
    from django.core.mail import send_mail
    from django.utils.translation import gettext

    from .models import Notification

    if not (can(user, Action.FINAL_APPROVE) or can(user, Action.REVIEW, unit)):
        raise PermissionDeniedError(f"无权催报 {unit.name} / not allowed to remind {unit.name}")
    period = str(_quarter(period))
    deadline = selectors.deadline_of(period)
    text = message.strip() or gettext("请尽快报送 %(unit)s %(period)s 的 %(form)s（截止日期 %(date)s）。") % {
        "unit": unit.name, "period": period, "form": form_code, "date": f"{deadline:%Y-%m-%d}"
    }
    notices = []
    for filler in selectors.fillers_of(unit):
        n = Notification.objects.create(
            recipient=filler, sender=actor(user), org_unit=unit, form_code=form_code, period=period, message=text
        )
        if filler.email:
            sent = send_mail(
                subject=gettext("催报：%(form)s %(unit)s %(period)s")
                % {"form": form_code, "unit": unit.name, "period": period},
                message=text,
                from_email=None,
                recipient_list=[filler.email],
                fail_silently=True,
            )
            if sent:
                n.emailed = True
                n.save(update_fields=["emailed"])
        notices.append(n)
    audit(
        user,
        "reminder_send",
        None,
        field=f"{form_code}:{unit.code}:{period}",
        new=", ".join(f.recipient.username for f in notices) or "（无填报员）",
        reason=text,
    )
    return notices


def survey_notice_send(*, user, unit: OrgUnit, form_code: str, period: str, message: str) -> list:
    """Notices (and e-mails) to the fillers of ``unit`` for another app's 催报 (the innovation survey);
    the caller has checked the right to remind and records its own audit event."""
    from django.core.mail import send_mail

    from .models import Notification

    notices = []
    for filler in selectors.fillers_of(unit):
        n = Notification.objects.create(
            recipient=filler, sender=actor(user), org_unit=unit, form_code=form_code, period=period, message=message
        )
        if filler.email and send_mail(subject=f"催报：{form_code} {unit.name} {period}", message=message,
                                      from_email=None, recipient_list=[filler.email], fail_silently=True):
            n.emailed = True
            n.save(update_fields=["emailed"])
        notices.append(n)
    return notices


@transaction.atomic
def notification_read(*, user, ids: list[int]) -> int:
    """Mark the user's own notices read; returns how many changed."""
    from .models import Notification

    return Notification.objects.filter(recipient=user, pk__in=ids, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def upload_refuse_oversize(*, user, filename: str, size_seen: int, limit: int, channel: str = "") -> Upload:
    """Keep the record of an upload refused for its size, WITHOUT its bytes (outcome refused at once).

    No right is checked: anyone who may upload leaves a trace of a refused attempt; the record holds
    the file name, the bytes seen before the body was stopped, the uploader and the refusal.
    """
    from .intake.receiving import channel_for  # the import path's own rule for the channel

    message = f"文件超过 {limit // 1_000_000} MB 上限，已拒绝，未保存 / larger than the limit, refused, not stored"
    upload = Upload.objects.create(
        filename=(filename or "")[-255:],
        channel=channel or channel_for(filename or ""),
        content=b"",
        sha256="",
        size=size_seen,
        uploaded_by=user if user is not None and user.is_authenticated else None,
        outcome=UploadOutcome.REFUSED,
        problems=[{"rule": "upload.too_large", "value": str(size_seen), "file": filename or ""}],
        message=message,
    )
    audit(user, "upload.refuse", upload, new=f"{filename} {size_seen}", reason="upload.too_large")
    return upload
