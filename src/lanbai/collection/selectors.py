"""Reads of the collection app (scoped to what the user may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, Max, OuterRef, Q, QuerySet, Subquery

from lanbai.access.policy import Action, can, scope_filter, unit_ids
from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import NotFoundError
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import orgunit_pks, zone_list_all

from . import calendar
from .choices import LateRequestStatus, Status
from .models import Enterprise, LateRequest, LockException, SoftRuleWarning, Submission, SubmissionVersion

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import OrgUnit


def _deadline_days(form_code: str | None = None) -> int:
    """Days after a period's end a report is due: the form's ``reporting:`` data (or the setting)."""
    return calendar.deadline_days(calendar.form_spec(form_code))


def submission_list(
    *,
    user,
    period: Quarter | str | None = None,
    status: str | None = None,
    form_code: str | None = None,
) -> QuerySet[Submission]:
    """Submissions the user may read (with their unit and current and approved versions)."""
    qs = Submission.objects.select_related("org_unit", "current_version", "approved_version")
    qs = qs.filter(scope_filter(user, Action.READ))
    if period:
        qs = qs.filter(period=str(period))
    if status:
        qs = qs.filter(status=status)
    if form_code:
        qs = qs.filter(form_code=form_code)
    return qs


def submission_get(*, user, pk: int) -> Submission:
    """A submission the user may read, else :class:`NotFoundError` (its existence is not revealed)."""
    sub = submission_list(user=user).filter(pk=pk).first()
    if sub is None:
        raise NotFoundError(f"报表不存在 / no report {pk}")
    return sub


def submission_for_entry(*, user, form_code: str, unit: OrgUnit, period: Quarter | str) -> Submission | None:
    """The (form, unit, period) report an entry form edits, if stored and readable by the user."""
    return submission_list(user=user, form_code=form_code, period=period).filter(org_unit=unit).first()


def submission_entry_initial(submission: Submission | None) -> dict[str, Any]:
    """What an entry form shows: the current version's values and the lock_version it was read at."""
    if submission is None:
        return {"lock_version": 0}
    values = dict(submission.current_version.values) if submission.current_version is not None else {}
    return values | {"lock_version": submission.lock_version}


def submission_versions(submission: Submission, *, newest_first: bool = False) -> QuerySet[SubmissionVersion]:
    """The versions of a report (who saved each, from which upload)."""
    qs = submission.versions.select_related("created_by", "upload")
    return qs.order_by("-number") if newest_first else qs.order_by("number")


def enterprise_get(*, user, credit_code: str) -> Enterprise:
    """The registered enterprise with ``credit_code`` the user may read, else :class:`NotFoundError`."""
    ent = Enterprise.objects.select_related("org_unit", "zone").filter(credit_code=credit_code).first()
    if ent is None or not can(user, Action.READ, ent.org_unit):
        raise NotFoundError(f"企业未登记 / no enterprise {credit_code}")
    return ent


def enterprise_list(*, zone: str | None = None) -> QuerySet[Enterprise]:
    """Registered enterprises (of the zone with code ``zone``), by credit code (not scoped: callers scope)."""
    qs = Enterprise.objects.select_related("zone").order_by("credit_code")
    return qs.filter(zone__code=zone) if zone else qs


def enterprise_find(credit_code: str) -> Enterprise | None:
    """The enterprise with this credit code, or None (not scoped: callers scope)."""
    return Enterprise.objects.select_related("zone").filter(credit_code=credit_code).first()


def approved_values(*, org_unit_ids: list[int]) -> list[tuple[int, str, dict[str, Any]]]:
    """(org unit id, period, values of the version 省创新办 approved) of every approved report of the units."""
    rows = Submission.objects.filter(
        org_unit_id__in=org_unit_ids, approved_version__isnull=False
    ).values_list("org_unit_id", "period", "approved_version__values")
    return [(u, p, v or {}) for u, p, v in rows]


def importing_user_get(*, username: str | None = None):
    """The user a command-line import runs as: ``username``, else the first superuser (NotFoundError)."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    if username:
        found = users.filter(username=username).first()
        if found is None:
            raise NotFoundError(f"用户不存在 / no such user: {username}")
        return found
    found = users.filter(is_superuser=True).order_by("id").first()
    if found is None:
        raise NotFoundError("没有管理员账户，请用 --user 指定 / no superuser; pass --user")
    return found


def review_queue(*, user) -> QuerySet[Submission]:
    """What waits for this user: 已提交 for zone reviewers, 园区已审核 for 省创新办."""
    if can(user, Action.FINAL_APPROVE):
        qs = Submission.objects.filter(status=Status.ZONE_APPROVED)
    else:
        ids = unit_ids(user, Action.REVIEW)
        qs = Submission.objects.filter(status=Status.SUBMITTED, org_unit_id__in=ids or set())
    return qs.select_related("org_unit", "current_version", "approved_version")


@dataclass(frozen=True)
class AuditEntry:
    """One line of a report's audit trail: who, when, what, from what to what, why."""

    at: dt.datetime
    user: Any
    action: str
    field: str
    old: str
    new: str
    reason: str


def audit_for(submission: Submission) -> list[AuditEntry]:
    """The audit trail of a report, oldest first: every version and every recorded event.

    A version is the record of the figures it stored (who saved them, when, from which upload, why); a
    new report's version 1 has no other entry (an import of 100,000 new reports writes no audit row
    per report).  Changes of existing figures also have one ``value_change`` event per field (old,
    new); workflow steps (submit, return, approve) have theirs.
    """
    versions = [
        (
            v.created_at,
            0,
            v.number,
            AuditEntry(
                at=v.created_at,
                user=v.created_by,
                action="version",
                field="*",
                old=f"v{v.number - 1}" if v.number > 1 else "",
                new=f"v{v.number}（{len(v.values or {})} 项）",
                reason=v.note,
            ),
        )
        for v in submission.versions.select_related("created_by").order_by("number")
    ]
    events = [
        (e.at, 1, e.id, AuditEntry(e.at, e.user, e.action, e.field, e.old, e.new, e.reason))
        for e in audit_events_for(submission).select_related("user")
    ]
    return [entry for *_, entry in sorted(versions + events, key=lambda t: t[:3])]


@dataclass(frozen=True)
class Completeness:
    """Reporting completeness of one zone for one period and form."""

    zone: OrgUnit
    form_code: str
    period: str
    expected: int
    received: int
    on_time: int
    late: int
    missing: int

    @property
    def reporting_rate(self) -> float:
        """报送率: received / expected (0–100 %, never above 100)."""
        return 100.0 * self.received / self.expected if self.expected else 0.0

    @property
    def timeliness_rate(self) -> float:
        """及时率: on time / expected."""
        return 100.0 * self.on_time / self.expected if self.expected else 0.0


def expected_enterprise_units(zone: OrgUnit, on: dt.date) -> set[int]:
    """Enterprise units registered in the zone on that date (the expected reporters)."""
    qs = Enterprise.objects.filter(zone=zone).filter(Q(registered_on__isnull=True) | Q(registered_on__lte=on))
    qs = qs.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
    return set(qs.values_list("org_unit_id", flat=True))


def completeness(
    *, zone: OrgUnit, form_code: str, period: Quarter | str, level: str = "enterprise"
) -> Completeness:
    """Derived from submission times and the expected reporters at the period's end — never a manual flag."""
    q = Quarter.coerce(period)
    period = str(q)
    expected = expected_enterprise_units(zone, q.end) if level == "enterprise" else {zone.id}
    deadline = dt.datetime.combine(q.end + dt.timedelta(days=_deadline_days(form_code) + 1), dt.time.min)
    from django.utils import timezone

    deadline = timezone.make_aware(deadline)
    subs = (
        Submission.objects.filter(form_code=form_code, period=period, org_unit_id__in=expected)
        .exclude(status=Status.DRAFT)
        .exclude(submitted_at__isnull=True)
    )
    received = on_time = 0
    for submitted_at in subs.values_list("submitted_at", flat=True):
        received += 1
        on_time += submitted_at is not None and submitted_at < deadline  # (nulls are excluded above)
    return Completeness(
        zone=zone,
        form_code=form_code,
        period=period,
        expected=len(expected),
        received=received,
        on_time=on_time,
        late=received - on_time,
        missing=len(expected) - received,
    )


def completeness_table(*, user, period: Quarter | str, form_code: str) -> list[dict]:
    """Completeness of every zone the user may read (enterprise forms: the zone's enterprises; zone forms:
    the zone itself), as rows with 报送率 and 及时率 in %."""
    from lanbai.core.collection import default_forms_dir, load_forms

    form = load_forms(default_forms_dir()).get(form_code)
    level = form.level if form is not None else "enterprise"
    zones = zone_list_all()
    seen, rows = set(), []
    for zone in zones:
        if zone.code in seen or not can(user, Action.READ, zone):
            continue
        seen.add(zone.code)
        c = completeness(zone=zone, form_code=form_code, period=period, level=level)
        rows.append(
            {
                "zone": zone.code,
                "zone_name": zone.name,
                "form_code": form_code,
                "period": c.period,
                "expected": c.expected,
                "received": c.received,
                "on_time": c.on_time,
                "late": c.late,
                "missing": c.missing,
                "reporting_rate": round(c.reporting_rate, 1),
                "timeliness_rate": round(c.timeliness_rate, 1),
            }
        )
    return rows


def dangling_references() -> dict[str, int]:
    """How many loose foreign keys of reports and versions do not resolve (each should be 0).

    Reports and versions keep their keys without database constraints (see
    :class:`lanbai.collection.models.Submission`); this is the check that stands in for them, one
    anti-join per key.
    """
    from django.contrib.auth import get_user_model

    from .models import Upload

    def missing(qs, column: str, target) -> int:
        pks = target if isinstance(target, QuerySet) else target.objects.values("pk")
        return qs.exclude(**{f"{column}__isnull": True}).exclude(**{f"{column}__in": pks}).count()

    return {
        "submission.org_unit": missing(Submission.objects, "org_unit_id", orgunit_pks()),
        "submission.current_version": missing(Submission.objects, "current_version_id", SubmissionVersion),
        "submission.approved_version": missing(Submission.objects, "approved_version_id", SubmissionVersion),
        "version.submission": missing(SubmissionVersion.objects, "submission_id", Submission),
        "version.upload": missing(SubmissionVersion.objects, "upload_id", Upload),
        "version.created_by": missing(SubmissionVersion.objects, "created_by_id", get_user_model()),
    }


def zone_enterprise_reports(form_code: str, period: str, zone: OrgUnit) -> QuerySet:
    """The reports of (form, period) of the enterprises registered in ``zone``.

    An enterprise file names enterprises of its zone, so its reports are found by a join on the
    zone's enterprises instead of by 100,000 unit ids (no key list to send, and no index probe per
    unit when the quarter has no report yet).  Callers keep the units they want.
    """
    return Submission.objects.filter(form_code=form_code, period=period, org_unit__enterprise__zone=zone)


# ------------------------------------------------------------------------------------------------
# reads of the reported figures for monitoring (which computes from them and stores nothing)


def submission_value_rows(*, approved: bool, until_period: str | None = None):
    """(unit code, period, form, values, status, number) of every report's version that monitoring counts,
    streamed: with ``approved`` the version 省创新办 approved (status ``"approved"``), else the current version of
    submitted and zone-approved reports (their status)."""
    columns: tuple[str, ...]
    if approved:
        qs = Submission.objects.exclude(approved_version__isnull=True)
        columns = ("org_unit__code", "period", "form_code", "approved_version__values", "approved_version__number")
    else:
        qs = Submission.objects.filter(status__in=[Status.SUBMITTED, Status.ZONE_APPROVED],
                                       current_version__isnull=False)
        columns = ("org_unit__code", "period", "form_code", "current_version__values", "status",
                   "current_version__number")
    if until_period:
        qs = qs.filter(period__lte=until_period)
    for row in qs.values_list(*columns).iterator(chunk_size=2000):
        if approved:
            unit, period, form, values, number = row
            yield unit, period, form, values, "approved", number
        else:
            yield row


def submission_freshness() -> tuple:
    """(latest approval time, latest update time) of any report: changes whenever the figures may have."""
    agg = Submission.objects.aggregate(a=Max("approved_at"), u=Max("updated_at"))
    return (agg["a"], agg["u"])


def submission_freshness_subqueries() -> dict[str, Subquery]:
    """:func:`submission_freshness` as subqueries ``fresh_a`` / ``fresh_u``, to annotate another query with."""
    subs = Submission.objects.order_by()
    return {
        "fresh_a": Subquery(
            subs.filter(approved_at__isnull=False).order_by("-approved_at").values("approved_at")[:1]
        ),
        "fresh_u": Subquery(subs.order_by("-updated_at").values("updated_at")[:1]),
    }


# soft rules (核实性审核) and their explanations


def submission_warnings(submission: Submission) -> list[SoftRuleWarning]:
    """The soft-rule warnings of the report's current version (rule, field, value, bound, explanation)."""
    if submission.current_version_id is None:
        return []
    return list(
        SoftRuleWarning.objects.filter(version_id=submission.current_version_id).select_related(
            "explained_by"
        )
    )


def explained_submissions(*, user) -> QuerySet[Submission]:
    """The reports waiting for this user's review (:func:`review_queue`) whose current version breaks
    a soft rule and carries the reporter's explanation: the queue of explained reports."""
    with_explanations = SoftRuleWarning.objects.filter(version_id=OuterRef("current_version_id")).exclude(
        explanation=""
    )
    return review_queue(user=user).filter(Exists(with_explanations))


def submissions_needing_explanation(ids: list[int], explanations: dict[str, str]) -> set[int]:
    """The open reports among ``ids`` whose current version breaks a soft rule that is neither
    explained yet nor in ``explanations`` (rule code -> text)."""
    given = {k for k, v in explanations.items() if (v or "").strip()}
    wanted = set(ids)
    rows = (
        SoftRuleWarning.objects.filter(submission__status__in=(Status.DRAFT, Status.RETURNED), explanation="")
        .filter(version_id=F("submission__current_version_id"))
        .values_list("submission_id", "rule_key")
    )
    return {sid for sid, key in rows if sid in wanted and key not in given}


# ------------------------------------------------------------------------------------------------
# the reporting calendar and late reporting (申请逾期填报 / 准予逾期填报)


def reporting_periods(*, form_code: str | None = None, now: dt.datetime | None = None):
    """The form's reporting periods with their state (future / open / closed / locked) and deadline."""
    return calendar.reporting_periods(form_code=form_code, now=now)


def period_state(period: Quarter | str, *, form_code: str | None = None, now: dt.datetime | None = None):
    """One period's :class:`~lanbai.core.collection.PeriodInfo` for the form today."""
    return calendar.period_state(period, form_code=form_code, now=now)


def late_requests(*, user, pending_only: bool = False) -> QuerySet[LateRequest]:
    """Late-reporting requests this user may see: all for the 省创新办, else those of the units the
    user reports for."""
    qs = LateRequest.objects.select_related("org_unit", "requested_by", "grant")
    if not can(user, Action.GRANT_LATE):
        ids = unit_ids(user, Action.REPORT)
        if ids is not None:
            qs = qs.filter(org_unit_id__in=ids)
    if pending_only:
        qs = qs.filter(status=LateRequestStatus.PENDING)
    return qs


def late_request_get(*, user, pk: int) -> LateRequest:
    try:
        return late_requests(user=user).get(pk=pk)
    except LateRequest.DoesNotExist:
        raise NotFoundError("申请不存在 / no such request") from None


def lock_exceptions_active(*, user, now: dt.datetime | None = None) -> QuerySet[LockException]:
    """Late-reporting grants still running (the province's list; a unit sees its own)."""
    from django.utils import timezone

    qs = LockException.objects.filter(until__gte=now or timezone.now()).select_related(
        "org_unit", "granted_by"
    )
    if not can(user, Action.GRANT_LATE):
        ids = unit_ids(user, Action.REPORT)
        if ids is not None:
            qs = qs.filter(org_unit_id__in=ids)
    return qs
