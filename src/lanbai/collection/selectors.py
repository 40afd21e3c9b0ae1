"""Reads of the collection app (scoped to what the user may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lanbai.access.policy import Action, can, scope_filter, unit_ids
from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import NotFoundError
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import orgunit_list_by_ids, orgunit_pks, zone_list_all

from . import calendar, figures
from .choices import STATUS_WORDS, LateRequestStatus, Status
from .models import (
    ApprovedFigure,
    Enterprise,
    LateRequest,
    LockException,
    SoftRuleWarning,
    Submission,
    SubmissionVersion,
)

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import OrgUnit

DEADLINE_DAYS_DEFAULT = 15  # reports are due this many days after the period ends


def period_lock_time(period: Quarter | str, *, form_code: str | None = None) -> dt.datetime:
    """When a period locks: midnight after ``end + lock days`` (the form's ``reporting:`` data, Asia/Shanghai)."""
    from django.utils import timezone

    end = Quarter.coerce(period).end + dt.timedelta(days=calendar.lock_days(calendar.form_spec(form_code)) + 1)
    return timezone.make_aware(dt.datetime.combine(end, dt.time.min))


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


def enterprise_list_for(*, user, zone: str) -> QuerySet[Enterprise]:
    """The enterprises of the zone with code ``zone`` whose names and codes ``user`` may read
    (:attr:`Action.READ_CONFIDENTIAL`: its zone's staff, 省创新办, the enterprise itself)."""
    return enterprise_list(zone=zone).filter(scope_filter(user, Action.READ_CONFIDENTIAL))


def enterprise_find(credit_code: str) -> Enterprise | None:
    """The enterprise with this credit code, or None (not scoped: callers scope)."""
    return Enterprise.objects.select_related("zone").filter(credit_code=credit_code).first()


def approved_values(*, org_unit_ids: list[int], periods: list[str] | None = None,
                    until_period: str | None = None) -> list[tuple[int, str, dict[str, Any]]]:
    """(org unit id, period, values of the version 省创新办 approved) of every approved report of the
    units, of ``periods`` only and up to ``until_period`` when given (each version's JSON is parsed:
    ask only for the periods you read)."""
    qs = Submission.objects.filter(org_unit_id__in=org_unit_ids, approved_version__isnull=False)
    if periods is not None:
        qs = qs.filter(period__in=list(periods))
    if until_period is not None:
        qs = qs.filter(period__lte=until_period)
    rows = qs.order_by().values_list("org_unit_id", "period", "approved_version__values")
    return [(u, p, v or {}) for u, p, v in rows]


def approved_field_latest(*, field: str, org_unit_ids: list[int], until_period: str) -> dict[int, tuple[str, Any]]:
    """Unit id -> (period, value) of the latest approved report up to ``until_period`` that has
    ``field``, read from the approved-figures store (no version JSON is parsed)."""
    rows = (ApprovedFigure.objects.filter(org_unit_id__in=org_unit_ids, field=field, period__lte=until_period)
            .order_by("org_unit_id", "period").values_list("org_unit_id", "period", "value", "value_text"))
    return {unit: (period, text if value is None else value) for unit, period, value, text in rows}


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
    """What waits for this user: 已上报 for zone reviewers, 园区已审核 for 省创新办."""
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
    unit when the quarter has no report yet).  Callers keep the units they want.  Unordered: the
    model's ordering would join every report's org unit and sort 10,000 rows by code for callers
    that build a dict (a third of the 同比 prefetch's time).
    """
    zone_units = Enterprise.objects.filter(zone=zone).values("org_unit_id")
    return Submission.objects.filter(form_code=form_code, period=period, org_unit_id__in=zone_units).order_by()


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
    """(latest approval time, latest update time) of any report: changes whenever the figures may have.

    Two lookups on the columns' indexes: one ``SELECT max(a), max(u)`` scans the whole table (SQLite
    reads every row for two aggregates), and monitoring asks this on every read."""
    subs = Submission.objects.order_by()
    latest = subs.filter(approved_at__isnull=False).order_by("-approved_at").values_list("approved_at", flat=True)
    return (latest.first(), subs.order_by("-updated_at").values_list("updated_at", flat=True).first())


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


# ---------------------------------------------------------------------------------------------------
# 工作台 (workbench), the review workspace, the completeness matrix, reminders (issue 14)

ZONE_FORM, ENTERPRISE_FORM = "兰白统Q1表", "兰白统Q2表"
WORKBENCH_QUARTERS = 4  # the filler's workbench lists the reports of the last four ended quarters
ACTION_WORDS = {
    "submit": _("上报"),
    "review_approve": _("园区审核通过"),
    "review_return": _("园区退回"),
    "final_approve": _("终审通过"),
    "final_return": _("省创新办退回"),
    "value_change": _("修改数值"),
    "version": _("保存新版本"),
    "reminder_send": _("催报"),
}


def quarter_today(today: dt.date | None = None) -> Quarter:
    """The quarter containing ``today``."""
    from django.utils import timezone

    d = today or timezone.localdate()
    return Quarter(d.year, (d.month - 1) // 3 + 1)


def deadline_of(period: Quarter | str) -> dt.date:
    """The day a report of ``period`` is due (``LANBAI_REPORT_DEADLINE_DAYS`` after the quarter ends)."""
    return Quarter.coerce(period).end + dt.timedelta(days=_deadline_days())


def _recent_periods(today: dt.date | None = None, n: int = WORKBENCH_QUARTERS) -> list[Quarter]:
    q, out = quarter_today(today).previous(), []
    for _i in range(n):
        out.append(q)
        q = q.previous()
    return out


@dataclass(frozen=True)
class DueReport:
    """One report a filler owes: the form, unit, period, deadline, its status in words and the report."""

    form_code: str
    unit: OrgUnit
    period: str
    deadline: dt.date
    status: str
    submission: Submission | None
    returned_by: Any = None

    @property
    def overdue(self) -> bool:
        from django.utils import timezone

        return self.status in ("未填报", "草稿", "已退回") and timezone.localdate() > self.deadline


def _returned_by(subs: list[Submission]) -> dict[int, Any]:
    """Who returned each returned report (the user of its latest return event)."""
    from lanbai.common.audit import audit_events_where

    ids = [s.pk for s in subs if s.status == Status.RETURNED]
    if not ids:
        return {}
    out: dict[int, Any] = {}
    for e in audit_events_where(Submission, actions=("review_return", "final_return"), object_ids=ids):
        if e.object_id is not None:  # always set: the query filters on object_id__in
            out[e.object_id] = e.user
    return out


# The filler's statuses from the least to the most advanced (the workbench sorts on it).
_PROGRESS = [
    STATUS_WORDS[s]
    for s in (Status.RETURNED, Status.DRAFT, None, Status.SUBMITTED, Status.ZONE_APPROVED, Status.APPROVED)
]


def workbench_filler(*, user, today: dt.date | None = None) -> list[DueReport]:
    """The reports the user reports for: each zone's 季报 and enterprise file of the recent quarters, and
    every report of theirs still in their hands (draft or returned) whatever its period; newest first."""
    ids = unit_ids(user, Action.REPORT)
    if ids is not None and not ids:
        return []
    if ids is None:  # 省创新办 reports for nobody in particular: their workbench is the province's
        return []
    own = roles_enterprise(user)  # an enterprise's own 填报员; a zone's 填报员 uploads the enterprise file
    units = orgunit_list_by_ids(ids, kinds={"zone": None, "enterprise": own}, order=("kind", "order", "code"))
    zones = [u for u in units if u.kind == "zone"]
    own_ents = [u for u in units if u.kind == "enterprise"]
    wanted: list[tuple[str, OrgUnit]] = [(ZONE_FORM, z) for z in zones] + [(ENTERPRISE_FORM, e) for e in own_ents]
    periods = [str(q) for q in _recent_periods(today)]
    subs = list(
        Submission.objects.filter(org_unit_id__in=[u.id for _, u in wanted] or [0], form_code__in=[ZONE_FORM, ENTERPRISE_FORM])
        .filter(Q(period__in=periods) | Q(status__in=(Status.DRAFT, Status.RETURNED)))
        .select_related("org_unit", "current_version")
    )
    by_key = {(s.form_code, s.org_unit_id, s.period): s for s in subs}
    returned_by = _returned_by(subs)
    keys = {(f, u.id, p) for f, u in wanted for p in periods} | set(by_key)
    unit_by_id = {u.id: u for _, u in wanted}
    rows = []
    for form_code, uid, period in keys:
        if uid not in unit_by_id or (form_code == ENTERPRISE_FORM and unit_by_id[uid].kind != "enterprise"):
            continue
        sub = by_key.get((form_code, uid, period))
        rows.append(
            DueReport(
                form_code=form_code,
                unit=unit_by_id[uid],
                period=period,
                deadline=deadline_of(period),
                status=STATUS_WORDS[sub.status if sub else None],
                submission=sub,
                returned_by=returned_by.get(sub.pk) if sub else None,
            )
        )
    rows += _zone_enterprise_rows(zones, periods)
    order = {w: i for i, w in enumerate(_PROGRESS)}
    rows.sort(key=lambda r: (order[r.status], [-ord(c) for c in r.period], r.unit.code, r.form_code))
    return rows


def _zone_enterprise_rows(zones: list[OrgUnit], periods: list[str]) -> list[DueReport]:
    """The enterprise file (企业季报) a zone's filler uploads for its registered enterprises, one row per
    period: the status of the least advanced report (未填报 while any enterprise has none)."""
    out = []
    for zone in zones:
        n_ents = Enterprise.objects.filter(zone=zone).count()
        if not n_ents:
            continue
        statuses: dict[str, list[str]] = {}
        for period, status in Submission.objects.filter(
            form_code=ENTERPRISE_FORM, period__in=periods, org_unit__enterprise__zone=zone
        ).values_list("period", "status"):
            statuses.setdefault(period, []).append(status)
        for period in periods:
            got = statuses.get(period, [])
            if len(got) < n_ents and not any(s in (Status.DRAFT, Status.RETURNED) for s in got):
                word = "未填报"
            else:
                word = min((STATUS_WORDS[s] for s in got), key=_PROGRESS.index)
            out.append(DueReport(ENTERPRISE_FORM, zone, period, deadline_of(period), word, None))
    return out


def roles_enterprise(user) -> set[int]:
    """Enterprise units the user reports for as 企业填报员."""
    from lanbai.access.policy import roles_of

    return roles_of(user).roots("enterprise_reporter")


def zone_enterprise_drafts(*, user) -> list[Submission]:
    """Enterprise reports of the user's zones still in the filler's hands (uploaded from a file)."""
    ids = unit_ids(user, Action.REPORT)
    if not ids:
        return []
    return list(
        Submission.objects.filter(
            form_code=ENTERPRISE_FORM, org_unit_id__in=ids, status__in=(Status.DRAFT, Status.RETURNED)
        )
        .exclude(org_unit_id__in=roles_enterprise(user))
        .select_related("org_unit")
        .order_by("-period", "org_unit__code")[:200]
    )


def returned_by_user(*, user, limit: int = 50) -> list[Submission]:
    """Reports this user returned that are still 已退回 (waiting for the filler's correction)."""
    from lanbai.common.audit import audit_events_where

    ids = {
        e.object_id
        for e in audit_events_where(Submission, actions=("review_return", "final_return"), user=user)
        if e.object_id is not None  # pk__in drops None anyway
    }
    return list(
        submission_list(user=user, status=Status.RETURNED).filter(pk__in=ids).order_by("-updated_at")[:limit]
    )


def pending_everywhere(*, user) -> dict[str, list[Submission]]:
    """For 省创新办: reports waiting at every level — with the filler (draft/returned), at the zone
    reviewer (已上报) and at the province (园区已审核)."""
    qs = submission_list(user=user).order_by("-period", "org_unit__code")
    return {
        "province": list(qs.filter(status=Status.ZONE_APPROVED)[:200]),
        "zone": list(qs.filter(status=Status.SUBMITTED)[:200]),
        "returned": list(qs.filter(status=Status.RETURNED)[:200]),
    }


def notifications_for(*, user, limit: int = 20) -> list:
    """The user's latest notices (催报 reminders), newest first."""
    from .models import Notification

    return list(Notification.objects.filter(recipient=user).select_related("sender", "org_unit")[:limit])


def fillers_of(unit: OrgUnit) -> list:
    """The users who report for ``unit`` (its zone's 填报员, or the enterprise's own 填报员)."""
    from lanbai.access.selectors import users_with_role

    roots = {unit.id}
    ent = Enterprise.objects.filter(org_unit=unit).first()
    if ent is not None:
        roots.add(ent.zone_id)
    return users_with_role(unit_ids=roots, roles=("zone_reporter", "enterprise_reporter"))


def reminders_for_unit(unit: OrgUnit, *, form_code: str, period: str) -> dict:
    """How many 催报 notices ``unit`` got for (form, period) and when the last was sent."""
    from .models import Notification

    qs = Notification.objects.filter(org_unit=unit, form_code=form_code, period=period)
    last = qs.order_by("-created_at").values_list("created_at", flat=True).first()
    return {"count": qs.values("created_at").distinct().count(), "last": last}


def reminders_sent(*, user, limit: int = 50) -> list:
    """The reminders the user sent (the log of 催报)."""
    from .models import Notification

    return list(
        Notification.objects.filter(sender=user, kind="reminder").select_related("recipient", "org_unit")[:limit]
    )


# --- the completeness matrix ----------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """Completeness of one zone in one quarter: counts and who is missing."""

    zone: OrgUnit
    period: str
    expected: int
    received: int
    on_time: int
    late: int
    missing: int
    under_review: int
    missing_units: list[OrgUnit]


def _cell(zone: OrgUnit, form_code: str, period: str, level: str) -> Cell:
    from django.utils import timezone

    q = Quarter.coerce(period)
    if level == "enterprise":
        expected = expected_enterprise_units(zone, q.end)
    else:
        expected = {zone.id}
    deadline = timezone.make_aware(dt.datetime.combine(q.end + dt.timedelta(days=_deadline_days() + 1), dt.time.min))
    rows = list(
        Submission.objects.filter(form_code=form_code, period=str(q), org_unit_id__in=expected).values_list(
            "org_unit_id", "status", "submitted_at"
        )
    )
    got = {u for u, s, at in rows if s != Status.DRAFT and at is not None}
    on_time = sum(1 for u, s, at in rows if u in got and at is not None and at < deadline)
    under_review = sum(1 for _u, s, _at in rows if s in (Status.SUBMITTED, Status.ZONE_APPROVED))
    missing_ids = expected - got
    missing_units = orgunit_list_by_ids(missing_ids)[:200]
    return Cell(zone, str(q), len(expected), len(got), on_time, len(got) - on_time, len(missing_ids), under_review, missing_units)


def completeness_matrix(
    *, user, form_code: str = ZONE_FORM, periods: list[Quarter] | None = None, zone: OrgUnit | None = None
) -> dict[str, Any]:
    """Zones × quarters (or, with ``zone``, that zone only) completeness cells of ``form_code``.

    Returns ``{"periods": [...], "rows": [(zone, [Cell, ...]), ...]}``, zones the user may read.
    """
    from lanbai.core.collection import default_forms_dir, load_forms

    form = load_forms(default_forms_dir()).get(form_code)
    level = form.level if form is not None else "enterprise"
    periods = periods or list(reversed(_recent_periods()))
    zones, seen = [], set()
    for z in zone_list_all():
        if z.code in seen or not can(user, Action.READ, z) or (zone is not None and z.code != zone.code):
            continue
        seen.add(z.code)
        zones.append(z)
    rows = [(z, [_cell(z, form_code, str(p), level) for p in periods]) for z in zones]
    return {"periods": [str(p) for p in periods], "rows": rows, "form_code": form_code, "level": level}


# --- the review workspace -------------------------------------------------------------------------


def _as_float(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if f == f else None


def _values_of(form_code: str, unit_id: int, period: str) -> dict[str, Any]:
    sub = (
        Submission.objects.filter(form_code=form_code, org_unit_id=unit_id, period=period)
        .select_related("current_version", "approved_version")
        .first()
    )
    if sub is None:
        return {}
    v = sub.approved_version or sub.current_version
    return dict(v.values or {}) if v is not None else {}


def review_rows(submission: Submission) -> list[dict[str, Any]]:
    """Every value of the report with its label and unit, last quarter, same quarter last year, the
    changes, and the outlier flags (robust z across reporters, min–max of its own history, ratio to
    its own history median) with the bound broken."""
    import pandas as pd

    from lanbai.core.diagnosis import history_range_outliers, robust_z_outliers

    from .intake.parsing import forms

    spec = forms().get(submission.form_code)
    current = submission.current_version if submission.current_version_id else None
    values = dict(current.values or {}) if current is not None else {}
    q = Quarter.coerce(submission.period)
    prev = _values_of(submission.form_code, submission.org_unit_id, str(q.previous()))
    last_year = _values_of(submission.form_code, submission.org_unit_id, str(q.same_quarter_last_year()))
    numeric = {k: f for k, v in values.items() if (f := _as_float(v)) is not None}
    # cross-section: the same form and period, every other reporter's current figures
    peers = []
    for uid, vals in Submission.objects.filter(form_code=submission.form_code, period=str(q)).exclude(
        current_version__isnull=True
    ).values_list("org_unit_id", "current_version__values")[:5000]:
        for k, v in (vals or {}).items():
            if k in numeric and (f := _as_float(v)) is not None:
                peers.append({"period": str(q), "field": k, "unit": uid, "value": f})
    z = {}
    if peers:
        zdf = robust_z_outliers(pd.DataFrame(peers), by=("period", "field"))
        for rec in zdf[zdf["unit"] == submission.org_unit_id].to_dict("records"):
            z[rec["field"]] = rec
    # history: the same quarter of earlier years (year-to-date figures compare quarter by quarter)
    hist = []
    for p, vals in Submission.objects.filter(
        form_code=submission.form_code, org_unit_id=submission.org_unit_id, period__endswith=f"Q{q.q}"
    ).exclude(period=str(q)).exclude(current_version__isnull=True).values_list("period", "current_version__values"):
        for k, v in (vals or {}).items():
            if k in numeric and (f := _as_float(v)) is not None:
                hist.append({"unit": submission.org_unit_id, "field": k, "period": p, "value": f})
    h = {}
    if hist and numeric:
        cur = pd.DataFrame(
            [{"unit": submission.org_unit_id, "field": k, "period": str(q), "value": f} for k, f in numeric.items()]
        )
        hdf = history_range_outliers(cur, pd.DataFrame(hist), min_history=3)
        h = {rec["field"]: rec for rec in hdf.to_dict("records")}
    rows = []
    order = [f.code for f in spec.fields] if spec is not None else sorted(values)
    for code in [c for c in order if c in values] + sorted(set(values) - set(order)):
        fs = spec.fields_by_code.get(code) if spec is not None and hasattr(spec, "fields_by_code") else None
        if fs is None and spec is not None:
            fs = next((f for f in spec.fields if f.code == code), None)
        cur_v, pv, ly = numeric.get(code), _as_float(prev.get(code)), _as_float(last_year.get(code))
        flags = []
        zr = z.get(code)
        if zr is not None and bool(zr["outlier"]):
            flags.append(
                gettext("稳健 z 值 %(z).1f，超出 ±3.5（同期 %(n)d 个填报单位，中位数 %(median)s）")
                % {"z": zr["z"], "n": int(zr["n"]), "median": f"{zr['median']:,.2f}"}
            )
        hr = h.get(code)
        if hr is not None and bool(hr["outlier"]):
            bound = gettext("下限") if hr["bound"] == "lower" else gettext("上限")
            limit = hr["lower"] if hr["bound"] == "lower" else hr["upper"]
            flags.append(
                gettext("超出本单位历史同期范围%(bound)s %(limit)s（%(n)d 个历史值）")
                % {"bound": bound, "limit": f"{limit:,.2f}", "n": int(hr["history_n"])}
            )
        if hr is not None and cur_v is not None and hr.get("history"):
            med = float(pd.Series([v for _p, v in hr["history"]]).median())
            if med and (cur_v / med > 3 or cur_v / med < 1 / 3):
                flags.append(
                    gettext("为本单位历史同期中位数 %(median)s 的 %(ratio).1f 倍（超出 1/3–3 倍）")
                    % {"median": f"{med:,.2f}", "ratio": cur_v / med}
                )
        rows.append(
            {
                "code": code,
                "label": fs.label if fs is not None else code,
                "unit": (fs.unit or "") if fs is not None else "",
                "value": values.get(code),
                "numeric": cur_v is not None,
                "previous": prev.get(code),
                "change_previous": _pct(cur_v, pv),
                "last_year": last_year.get(code),
                "change_last_year": _pct(cur_v, ly),
                "flags": flags,
            }
        )
    return rows


def _pct(new: float | None, old: float | None) -> str:
    if new is None or old is None or old == 0:
        return ""
    return f"{(new - old) / abs(old) * 100:+.1f}%"


def submission_flag_counts(submissions: list[Submission]) -> dict[int, int]:
    """How many flagged values each report has (for "bulk approval of reports without flags")."""
    return {s.pk: sum(1 for r in review_rows(s) if r["flags"]) for s in submissions}


def version_diff(submission: Submission) -> list[dict[str, Any]]:
    """What changed between each version and the one before it: field label, old → new."""
    from .intake.parsing import forms

    spec = forms().get(submission.form_code)
    labels = {f.code: f.label for f in spec.fields} if spec is not None else {}
    out: list[dict[str, Any]] = []
    before: dict[str, Any] = {}
    for v in submission_versions(submission):
        vals = dict(v.values or {})
        changes = [
            {"label": labels.get(k, k), "old": before.get(k, ""), "new": vals.get(k, "")}
            for k in ([c for c in labels if c in set(vals) | set(before)] + sorted((set(vals) | set(before)) - set(labels)))
            if before.get(k) != vals.get(k)
        ]
        if v.number > 1:
            out.append({"number": v.number, "at": v.created_at, "by": v.created_by, "changes": changes})
        before = vals
    return list(reversed(out))


def audit_in_words(submission: Submission) -> list[dict[str, Any]]:
    """The audit trail as sentences' parts: who, when, what (in words), field label, old → new, reason."""
    from .intake.parsing import forms

    spec = forms().get(submission.form_code)
    labels = {f.code: f.label for f in spec.fields} if spec is not None else {}
    status_labels = dict(Status.choices)
    out = []
    for a in audit_for(submission):
        if a.field == "status":
            field, old, new = gettext("状态"), str(status_labels.get(a.old, a.old)), str(status_labels.get(a.new, a.new))
        elif a.field == "*":
            field, old, new = gettext("全部数值"), a.old, a.new
        else:
            field, old, new = labels.get(a.field, a.field), a.old, a.new
        out.append(
            {
                "at": a.at,
                "user": a.user,
                "action": str(ACTION_WORDS.get(a.action, a.action)),
                "field": field,
                "old": old,
                "new": new,
                "reason": _reason_words(a.reason),
            }
        )
    return out


def _reason_words(reason: str) -> str:
    """A reason the platform itself wrote (``填报``, ``导入 a.xlsx``, ``上传 a.xlsx``) in the page's language;
    a person's own words are shown as written."""
    if reason == "填报":
        return gettext("填报")
    for verb, words in (("导入 ", gettext("导入 %(file)s")), ("上传 ", gettext("上传 %(file)s"))):
        if reason.startswith(verb):
            return words % {"file": reason.removeprefix(verb)}
    return reason


def template_periods(today: dt.date | None = None) -> list[dict[str, str]]:
    """The periods around today with what the template form says of each: open (with its deadline),
    locked (needs 省创新办's 逾期填报许可) or future (cannot be reported yet)."""
    from django.utils import timezone

    now = timezone.now()
    current = quarter_today(today)
    out = [{"period": str(current), "state": "future", "note": gettext("未来报告期：季度结束后才能报送")}]
    for q in _recent_periods(today, n=8):
        if now >= period_lock_time(q):
            out.append({"period": str(q), "state": "locked", "note": gettext("已锁定：需省创新办准予逾期填报")})
        else:
            note = gettext("开放填报，截止 %(date)s") % {"date": f"{deadline_of(q):%Y-%m-%d}"}
            out.append({"period": str(q), "state": "open", "note": note})
    return out


def approved_figures_frame(*, periods=None, until_period: str | None = None, units=None, compact: bool = False):
    """The approved figures as a long frame (org_unit code, period, form_code, field, value,
    value_text, version), one query; optionally only some periods / unit ids; ``compact``: the code
    columns as categoricals (:func:`lanbai.collection.figures.figures_frame`)."""
    return figures.figures_frame(periods=periods, until_period=until_period, units=units, compact=compact)


def approved_figures_view(con, name: str) -> bool:
    """The approved figures as the DuckDB view ``name`` on ``con`` (org_unit code, period, form_code,
    field, value, value_text, version), read by DuckDB straight from the store's Parquet mirror;
    False where the database has no mirror (:func:`lanbai.collection.figures.figures_view`)."""
    return figures.figures_view(con, name)


def approved_figure_changes(*, after: int) -> tuple[int, list[tuple[int, str, str]]]:
    """(latest change id, (unit id, period, form) of every report whose approved figures changed after ``after``)."""
    return figures.figure_changes(after=after)


def approved_figure_change_latest() -> int:
    """The id of the latest change of the approved-figures store (0 when none)."""
    return figures.figure_change_latest()


def approved_figure_change_at(change_id: int):
    """When change ``change_id`` of the approved-figures store was logged (None if there is no such change)."""
    return figures.figure_change_at(change_id)


def zone_report_timeliness_rows(*, year: int, units: list[OrgUnit], today: dt.date | None = None) -> list[dict]:
    """The zone-level reports (园区季报) ``units`` owe for the quarters of ``year``: one row per unit ×
    zone form × quarter, with when it was submitted, its deadline (the reporting calendar), whether it
    came on time and whether a reviewer ever returned it (the audit trail).  For the annual assessment.

    A report not submitted by its deadline is late; one whose deadline is still ahead has ``on_time`` None.
    """
    from django.utils import timezone

    from lanbai.common.audit import audit_events_where

    today = today or timezone.localdate()
    forms = [code for code, f in calendar._forms().items() if f.level == "zone"]
    periods = [str(Quarter(year, q)) for q in (1, 2, 3, 4)]
    subs = {
        (s.org_unit_id, s.form_code, s.period): s
        for s in Submission.objects.filter(org_unit__in=[u.pk for u in units], form_code__in=forms,
                                           period__in=periods)
    }
    returned = {
        e.object_id for e in audit_events_where(
            Submission, actions=("review_return", "final_return"), object_ids=[s.pk for s in subs.values()])
    }
    rows = []
    for u in units:
        for form in forms:
            for p in periods:
                s = subs.get((u.pk, form, p))
                deadline = Quarter.coerce(p).end + dt.timedelta(days=_deadline_days(form))
                sent = s.submitted_at if s is not None and s.status not in (Status.DRAFT, Status.RETURNED) else None
                if sent is None and today <= deadline:
                    on_time = None
                else:
                    on_time = bool(sent and timezone.localdate(sent) <= deadline)
                rows.append({
                    "org_unit": u.code, "kind": "form", "form_code": form, "period": p,
                    "deadline": deadline.isoformat(),
                    "submitted_at": timezone.localtime(sent).isoformat() if sent else None,
                    "submitted": sent is not None, "on_time": on_time,
                    "returned": s is not None and (s.pk in returned or s.status == Status.RETURNED),
                    "status": s.status if s is not None else "", "submission": s.pk if s is not None else None,
                })
    return rows
