"""Reads of the execution app: measures, their units and milestones, progress reports, the half-year check.

Every read about users' data is scoped through :mod:`lanbai.access.policy` (``responsible_filter``): a
unit's users see the measures their unit leads or co-carries, 省创新办 sees all.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from lanbai.access.policy import Action, can_on_responsible, is_province, responsible_filter
from lanbai.common.exceptions import NotFoundError, PermissionDeniedError
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import plan_current
from lanbai.registry.selectors import COUNTED, count_on

from .choices import MeasureKind, Progress, ReportState
from .models import (
    Evidence,
    Feedback,
    Measure,
    Milestone,
    ProgressRelease,
    ProgressReport,
    ReleasedProgress,
    ResponsibleUnit,
)

if TYPE_CHECKING:
    from lanbai.plans.models import PlanVersion

DUE_DAYS = 15  # a half-year report is due 15 days after the half year ends (七（二）半年检查)
COUNTED_INDICATORS = {c.indicator: c for c in COUNTED}
SHOWN = (ReportState.SUBMITTED, ReportState.APPROVED)  # states that count in the inspection notice


def due_date(period: Quarter | str) -> dt.date:
    """The day a half-year report on ``period`` is due."""
    return Quarter.coerce(period).end + dt.timedelta(days=DUE_DAYS)


def half_year(period: Quarter | str) -> Quarter:
    """``period`` as a half year (its Q2 or Q4); a ValidationFailed-free check for the edges."""
    q = Quarter.coerce(period)
    return q if q.q in (2, 4) else Quarter(q.year, 2 if q.q == 1 else 4)


def _plan(plan: PlanVersion | None) -> PlanVersion | None:
    return plan or plan_current()


# --- responsible units -----------------------------------------------------------------------------


def responsible_unit_list(*, plan: PlanVersion | None = None) -> QuerySet[ResponsibleUnit]:
    return ResponsibleUnit.objects.filter(plan=_plan(plan)).select_related("org_unit", "parent")


def responsible_unit_get(text: str, *, plan: PlanVersion | None = None) -> ResponsibleUnit:
    """A responsible unit by code or name (NotFoundError otherwise)."""
    text = (text or "").strip()
    unit = responsible_unit_list(plan=plan).filter(Q(code=text) | Q(name=text)).first()
    if unit is None:
        raise NotFoundError(f"未知责任单位 {text} / unknown responsible unit", extra={"field": "unit"})
    return unit


def responsible_units_of(user: Any, *, action: Action = Action.REPORT_MEASURE) -> list[ResponsibleUnit]:
    """The responsible units the user may ``action`` (for menus and the report form)."""
    return list(responsible_unit_list().filter(responsible_filter(user, action, unit_field="")).distinct())


# --- measures ----------------------------------------------------------------------------------------


def _measures_visible(user: Any) -> QuerySet[Measure]:
    plan = plan_current()
    qs = Measure.objects.filter(plan=plan)
    if is_province(user):
        return qs
    lead = responsible_filter(user, Action.READ_MEASURES, unit_field="lead")
    co = responsible_filter(user, Action.READ_MEASURES, unit_field="co_units")
    ids = set(qs.filter(lead).values_list("id", flat=True)) | set(qs.filter(co).values_list("id", flat=True))
    return qs.filter(id__in=ids)


def measure_queryset(user: Any) -> QuerySet[Measure]:
    return (
        _measures_visible(user)
        .select_related("lead", "action")
        .prefetch_related(
            "co_units",
            Prefetch("reports", queryset=ProgressReport.objects.order_by("-period")),
            Prefetch("items", queryset=Measure.objects.prefetch_related("reports")),
        )
    )


def measure_get(user: Any, code: str) -> Measure:
    """The measure ``code`` if the user may see it (404 otherwise, as for an unknown code)."""
    m = measure_queryset(user).filter(code=code).first()
    if m is None:
        raise NotFoundError(f"未知举措 {code} / unknown measure", extra={"field": "measure"})
    return m


def latest_report(m: Measure, *, period: str | None = None, states=SHOWN) -> ProgressReport | None:
    """The lead unit's newest report (in ``states``; up to ``period``)."""
    rows = [
        r for r in m.reports.all()
        if r.unit_id == m.lead_id and r.state in states and (period is None or r.period <= period)
    ]
    return max(rows, key=lambda r: r.period) if rows else None


def measure_status(m: Measure, *, period: str | None = None) -> str:
    """The measure's progress (Progress value): its lead's latest reported status, else 未启动.

    A “3510” action is 滞后 when one of its items lags, 已完成 when all are done, else 推进中 / 未启动.
    """
    if m.kind == MeasureKind.ACTION:  # a “3510” action: from its items
        items = [measure_status(i, period=period) for i in m.items.all()]
        if not items:
            return Progress.NOT_STARTED
        if Progress.LAGGING in items:
            return Progress.LAGGING
        if all(s == Progress.DONE for s in items):
            return Progress.DONE
        if all(s == Progress.NOT_STARTED for s in items):
            return Progress.NOT_STARTED
        return Progress.IN_PROGRESS
    r = latest_report(m, period=period)
    return r.status if r else Progress.NOT_STARTED


def measure_row(m: Measure, *, period: str | None = None) -> dict[str, Any]:
    """A measure as plain data (CLI --json, API)."""
    r = latest_report(m, period=period)
    status = measure_status(m, period=period)
    return {
        "code": m.code,
        "kind": m.kind,
        "group": m.group,
        "programme": m.programme,
        "programme_name": m.programme_name,
        "action": m.action.code if m.action is not None else None,
        "title": m.title,
        "source": m.source,
        "lead": m.lead.code,
        "lead_name": m.lead.name,
        "co_units": [u.code for u in m.co_units.all()],
        "co_unit_names": [u.name for u in m.co_units.all()],
        "indicators": m.indicators,
        "status": status,
        "status_zh": str(Progress(status).label) if status else "",
        "pct": float(r.pct) if r and r.pct is not None else None,
        "period": r.period if r else None,
    }


def measure_rows(
    user: Any, *, unit: str | None = None, status: str | None = None, period: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """The measures the user may see, filtered by responsible unit (lead or co), status and kind."""
    qs = measure_queryset(user)
    if unit:
        u = responsible_unit_get(unit)
        qs = qs.filter(Q(lead=u) | Q(co_units=u)).distinct()
    if kind:
        qs = qs.filter(kind=kind)
    rows = [measure_row(m, period=period) for m in qs]
    if status:
        wanted = {status} | {p.value for p in Progress if str(p.label) == status}
        rows = [r for r in rows if r["status"] in wanted]
    return rows


def milestones_of(m: Measure) -> QuerySet[Milestone]:
    return m.milestones.select_related("unit").order_by("year", "unit_id")


def milestone_for(m: Measure, unit: ResponsibleUnit, year: int) -> Milestone | None:
    """The unit's milestone of ``year``, else the lead's (a co-unit reports against the lead's)."""
    rows = {ms.unit_id: ms for ms in m.milestones.filter(year=year)}
    return rows.get(unit.id) or rows.get(m.lead_id)


def platform_progress(m: Measure, milestone: Milestone | None, period: Quarter | str) -> dict[str, Any] | None:
    """The platform's own figure for a quantitative measure on the half year's last day, or None.

    Only registry counts qualify (``lanbai.registry.selectors.count_on``): the number is counted, not
    typed.  ``pct`` is that count against the year's milestone (capped at 100).
    """
    code = (milestone.indicator if milestone and milestone.indicator else "") or next(
        (c for c in m.indicators if c in COUNTED_INDICATORS), ""
    )
    if code not in COUNTED_INDICATORS:
        return None
    q = Quarter.coerce(period)
    zone = m.lead.org_unit if m.lead.org_unit is not None and m.lead.org_unit.kind == "zone" else None
    value = count_on(code, on=q.end, zone=zone)
    target = milestone.target_value if milestone and milestone.target_value else None
    pct = None if not target else min(Decimal(100), (Decimal(value) * 100 / target).quantize(Decimal("0.1")))
    c = COUNTED_INDICATORS[code]
    return {
        "indicator": code,
        "value": value,
        "target": float(target) if target is not None else None,
        "pct": float(pct) if pct is not None else None,
        "source": f"登记库计数：{c.label}（{c.note}），截至 {q.end.isoformat()}",
    }


# --- progress reports ---------------------------------------------------------------------------------


def report_queryset() -> QuerySet[ProgressReport]:
    return ProgressReport.objects.select_related("measure", "unit", "submitted_by", "reviewed_by")


def report_get(user: Any, pk: int) -> ProgressReport:
    """A report the user may see (404 otherwise)."""
    r = report_queryset().filter(pk=pk).first()
    if r is None or not can_on_responsible(user, Action.READ_MEASURES, r.unit):
        raise NotFoundError(f"未知进展报告 {pk} / unknown progress report")
    return r


def report_find(measure: Measure, unit: ResponsibleUnit, period: Quarter | str) -> ProgressReport | None:
    return report_queryset().filter(measure=measure, unit=unit, period=str(Quarter.coerce(period))).first()


def reports_of_measure(user: Any, m: Measure) -> list[ProgressReport]:
    rows = report_queryset().filter(measure=m).order_by("-period", "unit_id")
    return [r for r in rows if can_on_responsible(user, Action.READ_MEASURES, r.unit)]


def review_queue(user: Any) -> QuerySet[ProgressReport]:
    """Reports waiting for the 省创新办's review (403 for anyone else)."""
    if not is_province(user):
        raise PermissionDeniedError("仅省创新办可审核举措进展报告 / only the province reviews")
    return report_queryset().filter(state=ReportState.SUBMITTED).order_by("submitted_at", "id")


def evidence_get(user: Any, pk: int) -> Evidence:
    ev = Evidence.objects.select_related("report__unit").filter(pk=pk).first()
    if ev is None or not can_on_responsible(user, Action.READ_MEASURES, ev.report.unit):
        raise NotFoundError(f"未知佐证材料 {pk} / unknown evidence")
    return ev


def report_row(r: ProgressReport) -> dict[str, Any]:
    due = due_date(r.period)
    return {
        "id": r.pk,
        "measure": r.measure.code,
        "unit": r.unit.code,
        "unit_name": r.unit.name,
        "period": r.period,
        "status": r.status,
        "status_zh": str(Progress(r.status).label),
        "pct": float(r.pct) if r.pct is not None else None,
        "measured_value": float(r.measured_value) if r.measured_value is not None else None,
        "measured_source": r.measured_source,
        "narrative": r.narrative,
        "late_reason": r.late_reason,
        "state": r.state,
        "state_zh": str(ReportState(r.state).label),
        "return_reason": r.return_reason,
        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
        "due": due.isoformat(),
        "late": bool(r.submitted_at and r.submitted_at.date() > due),
    }


# --- 半年检查通报 -----------------------------------------------------------------------------------------


def half_year_inspection(period: Quarter | str, *, today: dt.date | None = None) -> dict[str, Any]:
    """The half-year check of ``period`` (Q2: 上半年, Q4: 全年) by measure and by responsible unit.

    For every 专栏 item, its lead unit's report of the half year (submitted or approved) decides:
    done (已完成), lagging (滞后, with the reason given), adjusted (调整); overdue (逾期) lists the
    measures with no report by the due date (未按期报送) and, at year end, those whose milestone of
    the year is not done (年度目标未完成).  A report sent after the due date counts as late.
    """
    q = half_year(period)
    p = str(q)
    due = due_date(q)
    today = today or timezone.localdate()
    plan = plan_current()
    if plan is None:
        return {"period": p, "measures": [], "units": [], "totals": {}}
    measures = (
        Measure.objects.filter(plan=plan, kind=MeasureKind.ITEM)
        .select_related("lead")
        .prefetch_related(
            Prefetch("reports", queryset=ProgressReport.objects.filter(period=p)),
            Prefetch("milestones", queryset=Milestone.objects.filter(year=q.year)),
        )
    )
    rows: list[dict[str, Any]] = []
    for m in measures:
        rep = next((r for r in m.reports.all() if r.unit_id == m.lead_id and r.state in SHOWN), None)
        ms = next((x for x in m.milestones.all() if x.unit_id == m.lead_id), None)
        status = rep.status if rep else ""
        overdue = []
        if rep is None and today > due:
            returned = any(r.unit_id == m.lead_id and r.state == ReportState.RETURNED for r in m.reports.all())
            overdue.append("已退回未重新报送" if returned else "未按期报送")
        if q.q == 4 and ms is not None and status != Progress.DONE and today > q.end:
            overdue.append("年度目标未完成")
        late = bool(rep and rep.submitted_at and rep.submitted_at.date() > due)
        rows.append({
            "measure": m.code,
            "title": m.title,
            "source": m.source,
            "unit": m.lead.code,
            "unit_name": m.lead.name,
            "milestone": ms.text if ms else "",
            "status": status,
            "status_zh": str(Progress(status).label) if status else "未报送",
            "pct": float(rep.pct) if rep and rep.pct is not None else None,
            "reason": rep.late_reason if rep else "",
            "late_report": late,
            "overdue": overdue,
        })
    units: dict[str, dict[str, Any]] = {}
    for r in rows:
        u = units.setdefault(r["unit"], {"unit": r["unit"], "unit_name": r["unit_name"], "measures": 0,
                                        "done": [], "lagging": [], "adjusted": [], "overdue": [],
                                        "late_reports": 0})
        u["measures"] += 1
        u["late_reports"] += int(r["late_report"])
        brief = {k: r[k] for k in ("measure", "title", "reason", "pct")}
        if r["status"] == Progress.DONE:
            u["done"].append(brief)
        elif r["status"] == Progress.LAGGING:
            u["lagging"].append(brief)
        elif r["status"] == Progress.ADJUSTED:
            u["adjusted"].append(brief)
        if r["overdue"]:
            u["overdue"].append(brief | {"why": "、".join(r["overdue"])})
    totals = {
        "measures": len(rows),
        "done": sum(r["status"] == Progress.DONE for r in rows),
        "lagging": sum(r["status"] == Progress.LAGGING for r in rows),
        "adjusted": sum(r["status"] == Progress.ADJUSTED for r in rows),
        "overdue": sum(bool(r["overdue"]) for r in rows),
        "late_reports": sum(r["late_report"] for r in rows),
    }
    return {"period": p, "due": due.isoformat(), "measures": rows, "units": list(units.values()),
            "totals": totals}


def measure_units_reportable(user: Any, m: Measure) -> list[ResponsibleUnit]:
    """The measure's responsible units (lead first) the user may report for."""
    units = [m.lead, *[u for u in m.co_units.all() if u.id != m.lead_id]]
    return [u for u in units if can_on_responsible(user, Action.REPORT_MEASURE, u)]


def measure_detail_data(user: Any, code: str) -> dict[str, Any]:
    """One measure with its milestones and the reports the user may see (API)."""
    m = measure_get(user, code)
    return measure_row(m) | {
        "text": m.text,
        "targets": m.targets,
        "milestones": [
            {"year": ms.year, "unit": ms.unit.code, "text": ms.text,
             "target_value": float(ms.target_value) if ms.target_value is not None else None,
             "target_unit": ms.target_unit, "indicator": ms.indicator, "simulated": ms.simulated}
            for ms in milestones_of(m)
        ],
        "reports": [report_row(r) for r in reports_of_measure(user, m)],
    }


def half_year_inspection_for(user: Any, period: Quarter | str) -> dict[str, Any]:
    """:func:`half_year_inspection` for the 省创新办; a unit's users get their own units' part only."""
    data = half_year_inspection(period)
    if is_province(user):
        return data
    mine = {u.code for u in responsible_units_of(user, action=Action.READ_MEASURES)}
    data["measures"] = [r for r in data["measures"] if r["unit"] in mine]
    data["units"] = [u for u in data["units"] if u["unit"] in mine]
    return data


# --- the annual assessment (目标责任制考核) reads these ---------------------------------------------------


def lead_measure_year_rows(year: int) -> list[dict[str, Any]]:
    """Every 专栏 item led by a city 创新办 or a 管委会, with its lead's status for ``year``.

    The status is that of the lead's latest report of the year (its Q4, else its Q2) submitted or
    approved; ``unreported`` when there is none.  ``org_unit``: the code of the unit the lead stands for.
    """
    plan = plan_current()
    if plan is None:
        return []
    periods = [str(Quarter(year, 2)), str(Quarter(year, 4))]
    measures = (
        Measure.objects.filter(plan=plan, kind=MeasureKind.ITEM, lead__org_unit__isnull=False)
        .select_related("lead__org_unit")
        .prefetch_related(Prefetch("reports", queryset=ProgressReport.objects.filter(period__in=periods)))
    )
    rows = []
    for m in measures:
        org = m.lead.org_unit
        if org is None:  # filtered out above; for the type checker
            continue
        reps = [r for r in m.reports.all() if r.unit_id == m.lead_id and r.state in SHOWN]
        rep = max(reps, key=lambda r: r.period) if reps else None
        rows.append({
            "org_unit": org.code, "unit": m.lead.code, "measure": m.code, "title": m.title,
            "status": rep.status if rep else "unreported",
            "status_zh": str(Progress(rep.status).label) if rep else "未报送",
            "period": rep.period if rep else "", "report": rep.pk if rep else None,
        })
    return rows


def progress_report_year_rows(year: int, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The half-year reports owed in ``year`` by the units standing for a city or zone: one row per
    (lead measure, half year) — submitted when, due when, on time, ever returned (the audit trail).

    A report not sent by its due date is late; one not yet due (``today`` ≤ due) has ``on_time`` None.
    """
    from lanbai.common.audit import audit_events_where

    plan = plan_current()
    if plan is None:
        return []
    today = today or timezone.localdate()
    halves = [Quarter(year, 2), Quarter(year, 4)]
    measures = list(
        Measure.objects.filter(plan=plan, kind=MeasureKind.ITEM, lead__org_unit__isnull=False)
        .select_related("lead__org_unit")
    )
    reports = {
        (r.measure_id, r.unit_id, r.period): r
        for r in ProgressReport.objects.filter(measure__in=measures, period__in=[str(q) for q in halves])
    }
    returned = {
        e.object_id for e in audit_events_where(
            ProgressReport, actions=("progress_report_return",),
            object_ids=[r.pk for r in reports.values()])
    }
    rows = []
    for m in measures:
        org = m.lead.org_unit
        if org is None:  # filtered out above; for the type checker
            continue
        for q in halves:
            r = reports.get((m.id, m.lead_id, str(q)))
            due = due_date(q)
            sent = r.submitted_at if r is not None and r.state != ReportState.DRAFT else None
            if r is not None and r.state == ReportState.RETURNED:
                sent = None  # returned and not sent again: not (yet) delivered
            on_time = None if sent is None and today <= due else bool(sent and timezone.localdate(sent) <= due)
            rows.append({
                "org_unit": org.code, "kind": "measure_report", "measure": m.code,
                "title": m.title, "period": str(q), "due": due.isoformat(),
                "submitted_at": timezone.localtime(sent).isoformat() if sent else None,
                "submitted": r is not None and r.submitted_at is not None,
                "on_time": on_time,
                "returned": r is not None and (r.pk in returned or r.state == ReportState.RETURNED),
                "report": r.pk if r is not None else None,
            })
    return rows


# --- public supervision (issue 16 item 6): only what a ProgressRelease holds ------------------------

OTHER_GROUP = "其他"  # the 专栏 items outside the plan's programmes


def release_candidates(plan: PlanVersion) -> QuerySet[Measure]:
    """The 专栏 items of ``plan`` with their reports (what a release takes its rows from)."""
    return (Measure.objects.filter(plan=plan, kind=MeasureKind.ITEM)
            .prefetch_related(Prefetch("reports", queryset=ProgressReport.objects.order_by("-period"))))


def release_list(*, plan: PlanVersion | None = None) -> QuerySet[ProgressRelease]:
    """The releases of measure progress, newest period first."""
    return ProgressRelease.objects.filter(plan=_plan(plan)).select_related("released_by").order_by("-period")


def releases_for(user: Any) -> list[ProgressRelease]:
    """The releases for the release page (the 省创新办's: 403 for anyone else)."""
    if not is_province(user):
        raise PermissionDeniedError("仅省创新办可发布举措进展 / province only")
    return list(release_list())


def release_latest(*, plan: PlanVersion | None = None) -> ProgressRelease | None:
    return release_list(plan=plan).first()


def _public_items() -> QuerySet[Measure]:
    return Measure.objects.filter(plan=plan_current(), kind=MeasureKind.ITEM).select_related("lead")


def public_groups() -> list[dict[str, Any]]:
    """The measure groups (三大计划, 五大工程, 十项改革, 空间布局 …) with their number of 专栏 items."""
    counts: dict[str, int] = {}
    for group in _public_items().values_list("group", flat=True):
        counts[group or OTHER_GROUP] = counts.get(group or OTHER_GROUP, 0) + 1
    return [{"group": g, "count": n} for g, n in counts.items()]


def public_group_rows(group: str) -> dict[str, Any]:
    """One group's 专栏 items with the status and % of the latest release (none before a release).

    NotFoundError for an unknown group.  Nothing here reads a report: only the release's frozen rows.
    """
    qs = _public_items().filter(group="" if group == OTHER_GROUP else group)
    items = list(qs)
    if not items:
        raise NotFoundError(f"未知举措分组 {group} / unknown group")
    release = release_latest()
    frozen = ({r.measure_id: r for r in ReleasedProgress.objects.filter(release=release)}
              if release is not None else {})
    rows = []
    for m in items:
        r = frozen.get(m.pk)
        rows.append({
            "code": m.code, "title": m.title, "programme_name": m.programme_name, "column": m.column,
            "lead_name": m.lead.name, "status": r.status if r else None,
            "status_label": Progress(r.status).label if r else None,
            "pct": r.pct if r else None, "report_period": r.report_period if r else None,
        })
    return {"group": group, "release": release, "rows": rows}


def public_measure_get(code: str) -> Measure:
    """A 专栏 item of the current plan by code (the public's feedback target)."""
    m = _public_items().filter(code=(code or "").strip()).first()
    if m is None:
        raise NotFoundError(f"未知举措 {code} / unknown measure", extra={"field": "measure"})
    return m


def feedback_queue(user: Any, *, handled: bool | None = None) -> QuerySet[Feedback]:
    """The public's messages on the measures led by the units the user acts for (省创新办: all)."""
    qs = Feedback.objects.filter(measure__plan=plan_current()).filter(
        responsible_filter(user, Action.READ_MEASURES, unit_field="unit")
    ).select_related("measure", "unit", "handled_by")
    if handled is not None:
        qs = qs.filter(handled_at__isnull=not handled)
    return qs


def feedback_get(user: Any, pk: int) -> Feedback:
    """A message in the user's queue (404 otherwise)."""
    fb = feedback_queue(user).filter(pk=pk).first()
    if fb is None:
        raise NotFoundError("未知留言 / unknown message")
    return fb


def approved_reports_of_org_unit(org_unit_id: int, year: int) -> list[ProgressReport]:
    """The 已审核 half-year reports of ``year`` by the responsible unit standing for an organisation unit
    (a zone's 管委会, a city's 创新办), with their evidence.  No access check: the caller decides
    (third-party evaluation reads its assigned units' approved reports through it)."""
    return list(
        report_queryset()
        .filter(unit__org_unit_id=org_unit_id, state=ReportState.APPROVED,
                period__in=[f"{year}Q2", f"{year}Q4"])
        .prefetch_related("evidence")
        .order_by("measure__code", "period")
    )


def approved_evidence_of_org_unit(pk: int, org_unit_id: int, year: int) -> Evidence | None:
    """Evidence ``pk`` if it belongs to an approved report of ``year`` by the unit standing for the
    organisation unit, else None (the caller has checked the reader's access to that unit)."""
    return (
        Evidence.objects.select_related("report__unit")
        .filter(pk=pk, report__unit__org_unit_id=org_unit_id, report__state=ReportState.APPROVED,
                report__period__in=[f"{year}Q2", f"{year}Q4"])
        .first()
    )


# --- third-party evaluation of measures (issue 16 item 5): the caller has checked the reader ---------


def measure_item_get(code: str) -> Measure | None:
    """The 专栏 item ``code`` of the current plan, or None.  No access check: the evaluation app asks
    the policy (``EVALUATE_MEASURE``) before it shows anything of it."""
    return _public_items().filter(code=(code or "").strip()).first()


def measure_items(codes: list[str] | None = None) -> QuerySet[Measure]:
    """The 专栏 items of the current plan (those among ``codes``), in plan order, with their lead."""
    qs = _public_items().order_by("order", "code")
    return qs.filter(code__in=codes) if codes is not None else qs


def approved_reports_of_measure(measure_id: int, year: int) -> list[ProgressReport]:
    """The 已审核 half-year reports of ``year`` on one measure (every responsible unit's), with their
    evidence.  No access check: third-party evaluation reads an assigned measure's reports through it."""
    return list(
        report_queryset()
        .filter(measure_id=measure_id, state=ReportState.APPROVED, period__in=[f"{year}Q2", f"{year}Q4"])
        .prefetch_related("evidence")
        .order_by("period", "unit_id")
    )


def approved_evidence_of_measure(pk: int, measure_id: int, year: int) -> Evidence | None:
    """Evidence ``pk`` if it belongs to an approved report of ``year`` on the measure, else None."""
    return (
        Evidence.objects.select_related("report__unit")
        .filter(pk=pk, report__measure_id=measure_id, report__state=ReportState.APPROVED,
                report__period__in=[f"{year}Q2", f"{year}Q4"])
        .first()
    )
