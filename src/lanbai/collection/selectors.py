"""Reads of the collection app (scoped to what the user may see)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet

from lanbai.access.policy import Action, can, scope_filter, unit_ids
from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import NotFoundError
from lanbai.core.periods import Quarter
from lanbai.plans.models import OrgUnit

from . import figures
from .choices import Status
from .models import Enterprise, Submission, SubmissionVersion

DEADLINE_DAYS_DEFAULT = 15  # reports are due this many days after the period ends


def _deadline_days() -> int:
    return int(getattr(settings, "LANBAI_REPORT_DEADLINE_DAYS", DEADLINE_DAYS_DEFAULT))


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
    values = dict(submission.current_version.values) if submission.current_version_id else {}
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
    rows = Submission.objects.filter(org_unit_id__in=org_unit_ids, approved_version__isnull=False).values_list(
        "org_unit_id", "period", "approved_version__values"
    )
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
    deadline = dt.datetime.combine(q.end + dt.timedelta(days=_deadline_days() + 1), dt.time.min)
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
        on_time += submitted_at < deadline
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
    zones = OrgUnit.objects.filter(kind="zone").order_by("-plan_id", "order", "code")
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
        return (
            qs.exclude(**{f"{column}__isnull": True})
            .exclude(**{f"{column}__in": target.objects.values("pk")})
            .count()
        )

    return {
        "submission.org_unit": missing(Submission.objects, "org_unit_id", OrgUnit),
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


def approved_figures_frame(*, periods=None, until_period: str | None = None, units=None):
    """The approved figures as a long frame (org_unit code, period, form_code, field, value,
    value_text, version), one query; optionally only some periods / unit ids."""
    return figures.figures_frame(periods=periods, until_period=until_period, units=units)


def approved_figure_changes(*, after: int) -> tuple[int, list[tuple[int, str, str]]]:
    """(latest change id, (unit id, period, form) of every report whose approved figures changed after ``after``)."""
    return figures.figure_changes(after=after)


def approved_figure_change_latest() -> int:
    """The id of the latest change of the approved-figures store (0 when none)."""
    return figures.figure_change_latest()


def approved_figure_change_at(change_id: int):
    """When change ``change_id`` of the approved-figures store was logged (None if there is no such change)."""
    return figures.figure_change_at(change_id)
