"""Writes of the execution app: loading measures and work plans, progress reports and their review.

Every write: one transaction, the access check first (:mod:`lanbai.access.policy`), one audit event.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

from lanbai.access.policy import Action, require, require_on_responsible
from lanbai.common.audit import audit
from lanbai.common.exceptions import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ThrottledError,
    ValidationFailed,
)
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import orgunit_get, plan_current, plan_in_force, plan_validated

from . import selectors, workplans
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

ACTION_GROUPS = ("三大计划", "五大工程", "十项改革")  # the “3510” action
MAX_EVIDENCE = 20 * 1024 * 1024


@transaction.atomic
def execution_load(*, user: Any = None, plan_dir: str | Path | None = None) -> dict[str, int]:
    """Load the responsible units, measures and annual milestones of the plan in force (idempotent).

    A plan directory without ``work_plans/owners.yaml`` loads nothing (all counts 0).
    """
    require(user, Action.GRANT_ROLES, message="仅省创新办可加载举措与年度工作计划 / province only")
    version = plan_in_force()
    plan = plan_validated(version)
    directory = workplans.plan_dir(plan_dir)
    if not (directory / "work_plans" / "owners.yaml").is_file():
        return {"units": 0, "actions": 0, "measures": 0, "milestones": 0}  # a plan without work plans
    owners = workplans.read_owners(directory)
    units: dict[str, ResponsibleUnit] = {}
    for r in plan.responsible_units:
        org = orgunit_get(r.org_unit, plan=version) if r.org_unit else None
        units[r.code], _ = ResponsibleUnit.objects.update_or_create(
            plan=version, code=r.code,
            defaults=dict(name=r.name, kind=r.kind, lead_department=r.lead_department or "", org_unit=org,
                          duties=r.duties or "", source=r.source),
        )
    for r in plan.responsible_units:
        if r.parent:
            ResponsibleUnit.objects.filter(pk=units[r.code].pk).update(parent=units[r.parent])

    def unit(code: str, where: str) -> ResponsibleUnit:
        if code not in units:
            raise ValidationFailed(f"{where}: 未知责任单位 {code} / unknown responsible unit", field="work_plans")
        return units[code]

    def owners_of(programme: str, measure: str | None = None) -> workplans.Owners:
        own = owners.measures.get(measure or "") or owners.programmes.get(programme)
        if own is None:
            raise ValidationFailed(f"owners.yaml: {programme} 未指定牵头单位 / no lead", field="work_plans")
        return own

    order = 0
    actions: dict[str, Measure] = {}
    progs = {p.code: p for p in plan.programmes}
    measures: dict[str, Measure] = {}

    def put(code: str, own: workplans.Owners, **values: Any) -> Measure:
        nonlocal order
        order += 1
        m, _ = Measure.objects.update_or_create(
            plan=version, code=code, defaults=values | {"order": order, "lead": unit(own.lead, code)}
        )
        m.co_units.set([unit(c, code) for c in own.co if c != own.lead])
        return m

    for p in sorted(progs.values(), key=lambda p: (p.group not in ACTION_GROUPS, p.group, p.order)):
        if p.group in ACTION_GROUPS:
            actions[p.code] = put(
                p.code, owners_of(p.code), kind=MeasureKind.ACTION, group=p.group, programme=p.code,
                programme_name=p.name, action=None, column=None, title=p.name, text=p.summary or p.name,
                targets=[], indicators=[], source=p.source,
            )
    for item in plan.measures:
        prog = progs[item.programme] if item.programme else None
        targets = [q.model_dump(mode="json") for q in item.targets]
        measures[item.code] = put(
            item.code, owners_of(item.programme or "", item.code), kind=MeasureKind.ITEM,
            group=prog.group if prog else "", programme=prog.code if prog else "",
            programme_name=prog.name if prog else "", action=actions.get(prog.code) if prog else None,
            column=item.column,
            title=item.title or item.text[:40], text=item.text, targets=targets,
            indicators=list(dict.fromkeys(q.indicator for q in item.targets if q.indicator)), source=item.source,
        )
    # milestones in bulk (five years × every item): update the ones there, create the others
    existing = {(x.measure_id, x.unit_id, x.year): x for x in Milestone.objects.filter(measure__plan=version)}
    fields = ("text", "target_value", "target_unit", "indicator", "simulated")
    new, changed, milestones = [], [], 0
    for wp in workplans.read_work_plans(directory):
        for c in wp.commitments:
            if c.measure not in measures:
                raise ValidationFailed(f"{wp.year}.yaml: 未知举措 {c.measure} / unknown measure", field="work_plans")
            t = c.target
            values = dict(text=c.milestone, target_value=Decimal(str(t.value)) if t else None,
                          target_unit=t.unit if t else "", indicator=(t.indicator or "") if t else "",
                          simulated=c.simulated)
            m, u = measures[c.measure], unit(c.unit, f"{wp.year}.yaml {c.measure}")
            row = existing.get((m.pk, u.pk, wp.year))
            if row is None:
                new.append(Milestone(measure=m, unit=u, year=wp.year, **values))
            elif any(getattr(row, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(row, f, v)
                changed.append(row)
            milestones += 1
    Milestone.objects.bulk_create(new)
    Milestone.objects.bulk_update(changed, fields)
    counts = {"units": len(units), "actions": len(actions), "measures": len(measures), "milestones": milestones}
    audit(user, "execution_load", None, new=counts)
    return counts


def _progress(value: Any) -> str:
    """A progress status from its code or its word in either UI language (a spreadsheet is written in
    Chinese whatever language the request that imports it is in)."""
    text = str(value or "").strip()
    with translation.override(settings.LANGUAGE_CODE):
        words = {p.value: str(p.label) for p in Progress}
    with translation.override("en"):
        english = {p.value: str(p.label) for p in Progress}
    for code in words:
        if text in (code, words[code], english[code]):
            return code
    raise ValidationFailed(
        f"进展状态应为 {' / '.join(words.values())}，收到 {text!r} / bad status", field="status"
    )


def _pct(value: Any) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        pct = Decimal(str(value).strip().rstrip("%"))
    except InvalidOperation as exc:
        raise ValidationFailed(f"完成比例应为 0–100 的数，收到 {value!r} / bad percentage", field="pct") from exc
    if not Decimal(0) <= pct <= Decimal(100):
        raise ValidationFailed(f"完成比例应在 0–100 之间，收到 {value} / out of range", field="pct")
    return pct.quantize(Decimal("0.1"))


def _check_report_fields(m: Measure, unit: ResponsibleUnit, period: Quarter) -> None:
    if m.kind != MeasureKind.ITEM:
        raise ValidationFailed("“3510”行动按其专栏事项报告 / report on the 专栏 items", field="measure")
    if unit.id != m.lead_id and not m.co_units.filter(pk=unit.pk).exists():
        raise ValidationFailed(f"{unit.name} 不是举措 {m.code} 的责任单位 / not responsible", field="unit")
    if period.q not in (2, 4):
        raise ValidationFailed("举措进展按半年报告：报告期应为第二或第四季度 / half years only", field="period")


@transaction.atomic
def report_save(
    user: Any, *, measure: Measure, unit: ResponsibleUnit, period: Quarter | str, status: str,
    pct: Any = None, narrative: str = "", late_reason: str = "",
) -> ProgressReport:
    """Create or change the unit's draft (or returned) report on ``measure`` for the half year.

    A quantitative measure (counted in a registry) takes its figure and % from the platform; a typed
    % is ignored for it.  滞后 needs a reason.
    """
    require_on_responsible(user, Action.REPORT_MEASURE, unit, message=f"无权填报 {unit.name} 的举措进展 / forbidden")
    q = Quarter.coerce(period)
    _check_report_fields(measure, unit, q)
    status = _progress(status)
    typed = _pct(pct)
    if status == Progress.LAGGING and not (late_reason or "").strip():
        raise ValidationFailed("进展滞后须说明原因 / a lagging measure needs a reason", field="late_reason")
    report = selectors.report_find(measure, unit, q) or ProgressReport(measure=measure, unit=unit, period=str(q))
    if report.state in (ReportState.SUBMITTED, ReportState.APPROVED):
        raise ConflictError(f"报告已{ReportState(report.state).label}，不能修改 / report is {report.state}")
    platform = selectors.platform_progress(measure, selectors.milestone_for(measure, unit, q.year), q)
    old = report.status if report.pk else ""
    report.status = status
    report.narrative = narrative or ""
    report.late_reason = late_reason or ""
    if platform is not None:
        report.measured_value = Decimal(platform["value"])
        report.measured_source = platform["source"]
        report.pct = Decimal(str(platform["pct"])) if platform["pct"] is not None else None
    else:
        report.measured_value, report.measured_source, report.pct = None, "", typed
    if status == Progress.DONE and report.pct is None:
        report.pct = Decimal(100)
    report.save()
    audit(user, "progress_report_save", report, field="status", old=old, new=status)
    return report


@transaction.atomic
def report_submit(user: Any, report: ProgressReport, *, now: dt.datetime | None = None) -> ProgressReport:
    """草稿 / 已退回 → 已报送."""
    require_on_responsible(user, Action.REPORT_MEASURE, report.unit, message="无权报送该进展报告 / forbidden")
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ConflictError(f"报告已{ReportState(report.state).label} / already {report.state}")
    old = report.state
    report.state = ReportState.SUBMITTED
    report.submitted_at = now or timezone.now()
    report.submitted_by = user if getattr(user, "is_authenticated", False) else None
    report.save(update_fields=["state", "submitted_at", "submitted_by", "updated_at"])
    audit(user, "progress_report_submit", report, field="state", old=old, new=report.state)
    return report


def _reviewable(user: Any, report: ProgressReport) -> None:
    require_on_responsible(user, Action.REVIEW_MEASURE, report.unit, message="仅省创新办可审核 / province only")
    if report.state != ReportState.SUBMITTED:
        raise ConflictError(f"只能审核已报送的报告（当前：{ReportState(report.state).label}） / not submitted")


@transaction.atomic
def report_approve(user: Any, report: ProgressReport, *, now: dt.datetime | None = None) -> ProgressReport:
    """已报送 → 已审核 (省创新办)."""
    _reviewable(user, report)
    report.state = ReportState.APPROVED
    report.reviewed_at = now or timezone.now()
    report.reviewed_by = user if getattr(user, "is_authenticated", False) else None
    report.return_reason = ""
    report.save(update_fields=["state", "reviewed_at", "reviewed_by", "return_reason", "updated_at"])
    audit(user, "progress_report_approve", report, field="state", old=ReportState.SUBMITTED, new=report.state)
    return report


@transaction.atomic
def report_return(
    user: Any, report: ProgressReport, *, reason: str, now: dt.datetime | None = None
) -> ProgressReport:
    """已报送 → 已退回 with the reason (省创新办); the unit corrects and submits again."""
    _reviewable(user, report)
    if not (reason or "").strip():
        raise ValidationFailed("退回须说明原因 / a return needs a reason", field="reason")
    report.state = ReportState.RETURNED
    report.return_reason = reason.strip()
    report.reviewed_at = now or timezone.now()
    report.reviewed_by = user if getattr(user, "is_authenticated", False) else None
    report.save(update_fields=["state", "return_reason", "reviewed_at", "reviewed_by", "updated_at"])
    audit(user, "progress_report_return", report, field="state", old=ReportState.SUBMITTED, new=report.state,
          reason=report.return_reason)
    return report


@transaction.atomic
def evidence_add(user: Any, report: ProgressReport, *, filename: str, content: bytes) -> Evidence:
    """Keep an evidence file as received (bytes, SHA-256, size) on a report not yet submitted."""
    require_on_responsible(user, Action.REPORT_MEASURE, report.unit, message="无权上传佐证材料 / forbidden")
    if report.state in (ReportState.SUBMITTED, ReportState.APPROVED):
        raise ConflictError("报告已报送，不能再添加佐证材料 / report already submitted")
    if not content:
        raise ValidationFailed("佐证材料为空 / empty file", field="file")
    if len(content) > MAX_EVIDENCE:
        raise ValidationFailed("佐证材料超过 20 MB / file too large", field="file")
    ev = Evidence.objects.create(report=report, **Evidence.raw_values(user, filename, content, "evidence"))
    audit(user, "evidence_add", ev, field="sha256", new=ev.sha256)
    return ev


def _measure_for(user: Any, code: str) -> Measure:
    try:
        return selectors.measure_get(user, code)
    except NotFoundError as exc:
        raise ValidationFailed(exc.message, field="measure") from exc


@transaction.atomic
def reports_import(
    user: Any, *, unit: ResponsibleUnit, period: Quarter | str, rows: list[dict[str, Any]], submit: bool = True,
    now: dt.datetime | None = None,
) -> list[ProgressReport]:
    """Save (and submit) a unit's half-year report of several measures at once: all or nothing.

    ``rows``: dicts with ``measure``, ``status``, ``pct``, ``narrative``, ``late_reason`` and ``where``
    (e.g. "第5行") for the error messages; every problem is collected and raised in one
    ValidationFailed (``extra["problems"]``) before anything is kept.
    """
    require_on_responsible(user, Action.REPORT_MEASURE, unit, message=f"无权填报 {unit.name} 的举措进展 / forbidden")
    problems: list[str] = []
    done: list[ProgressReport] = []
    for row in rows:
        try:
            m = _measure_for(user, str(row.get("measure") or "").strip())
            r = report_save(user, measure=m, unit=unit, period=period, status=str(row.get("status") or ""),
                            pct=row.get("pct"), narrative=row.get("narrative") or "",
                            late_reason=row.get("late_reason") or "")
            done.append(report_submit(user, r, now=now) if submit else r)
        except (ValidationFailed, ConflictError, PermissionDeniedError) as exc:
            field = exc.extra.get("field") if exc.extra else None
            col = row.get("columns", {}).get(field, "")
            problems.append(f"{row.get('where', '')}{col}：{exc.message}")
    if problems:  # raising rolls back the reports saved before the first problem
        raise ValidationFailed("导入失败，未保存任何内容 / nothing saved:\n" + "\n".join(problems),
                               extra={"problems": problems})
    return done


@transaction.atomic
def unit_member_add(user: Any, *, unit: ResponsibleUnit, member: Any) -> ResponsibleUnit:
    """Make ``member`` one of the users acting for ``unit`` (省创新办)."""
    require(user, Action.GRANT_ROLES, message="仅省创新办可指定责任单位用户 / province only")
    unit.members.add(member)
    audit(user, "responsible_unit_member_add", unit, field="members", new=member.pk)
    return unit


def reports_import_excel(user: Any, *, content: bytes, submit: bool = True) -> list[ProgressReport]:
    """Import a unit's half-year report from the Excel template (:mod:`lanbai.execution.excel`)."""
    from .excel import template_read

    unit_code, period, rows = template_read(content)
    try:
        unit = selectors.responsible_unit_get(unit_code)
    except NotFoundError as exc:
        raise ValidationFailed(f"第1行B列（责任单位）：{exc.message}", field="unit") from exc
    return reports_import(user, unit=unit, period=period, rows=rows, submit=submit)


def report_form_save(
    user: Any, *, measure: Measure, unit_code: str, period: Quarter | str, status: str, pct: Any,
    narrative: str, late_reason: str, evidence: Any = None, submit: bool = False,
) -> ProgressReport:
    """The web form: save the report, keep an evidence file, and submit it if asked — all or nothing."""
    with transaction.atomic():
        unit = selectors.responsible_unit_get(unit_code)
        report = report_save(user, measure=measure, unit=unit, period=period, status=status, pct=pct,
                             narrative=narrative, late_reason=late_reason)
        if evidence is not None:
            evidence_add(user, report, filename=evidence.name, content=evidence.read())
        return report_submit(user, report) if submit else report


def report_review(user: Any, *, pk: int, approve: bool, reason: str = "") -> ProgressReport:
    """审核 (approve) or 退回 (return with ``reason``) report ``pk``."""
    report = selectors.report_get(user, pk)
    return report_approve(user, report) if approve else report_return(user, report, reason=reason)


def report_api_save(
    user: Any, *, code: str, unit_code: str, period: Quarter | str, status: str, pct: Any, narrative: str,
    late_reason: str, submit: bool = False,
) -> ProgressReport:
    """The API: save the unit's report on measure ``code`` (and submit it if asked) in one transaction."""
    with transaction.atomic():
        m = selectors.measure_get(user, code)
        unit = selectors.responsible_unit_get(unit_code)
        report = report_save(user, measure=m, unit=unit, period=period, status=status, pct=pct,
                             narrative=narrative, late_reason=late_reason)
        return report_submit(user, report) if submit else report


# --- public supervision (issue 16 item 6) ----------------------------------------------------------

FEEDBACK_MAX = 2000  # characters of one message
FEEDBACK_PER_HOUR = 5  # messages from one address per hour (settings.LANBAI_FEEDBACK_PER_HOUR)


@transaction.atomic
def measure_progress_release(user: Any, *, period: Quarter | str, now: dt.datetime | None = None) -> ProgressRelease:
    """省创新办 releases the half-year progress of ``period``: a frozen copy of each measure's accepted report.

    Each 专栏 item gets its lead unit's newest 已审核 report up to ``period`` (none: not in the release);
    a period is released once.
    """
    require(user, Action.REVIEW_MEASURE, message="仅省创新办可发布举措进展 / province only")
    q = Quarter.coerce(period)
    if q.q not in (2, 4):
        raise ValidationFailed("举措进展按半年发布：报告期应为第二或第四季度 / half years only", field="period")
    plan = plan_current()
    if plan is None:
        raise ConflictError("尚无规划 / no plan")
    if ProgressRelease.objects.filter(plan=plan, period=str(q)).exists():
        raise ConflictError(f"{q} 的举措进展已发布 / already released")
    release = ProgressRelease.objects.create(
        plan=plan, period=str(q), released_at=now or timezone.now(),
        released_by=user if getattr(user, "is_authenticated", False) else None,
    )
    rows = []
    for m in selectors.release_candidates(plan):
        r = selectors.latest_report(m, period=str(q), states=(ReportState.APPROVED,))
        if r is not None:
            rows.append(ReleasedProgress(release=release, measure=m, report=r, report_period=r.period,
                                         status=r.status, pct=r.pct))
    ReleasedProgress.objects.bulk_create(rows)
    audit(user, "measure_progress_release", release, field="period", new=str(q))
    return release


def _client_count(ip: str | None) -> int:
    """Count one more message from ``ip`` in the current hour (Django's cache) and return the count."""
    key = f"lanbai:feedback:{ip or 'unknown'}"
    cache.add(key, 0, timeout=3600)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=3600)
        return 1


@transaction.atomic
def feedback_submit(
    *, measure_code: str, message: str, name: str = "", contact: str = "", ip: str | None = None,
    honeypot: str = "",
) -> Feedback | None:
    """A message from the public on a released measure, queued for its lead unit (anonymous, audited).

    The honeypot (a field people do not see) filled in: dropped quietly (None).  More than
    ``LANBAI_FEEDBACK_PER_HOUR`` messages from one address in an hour: ThrottledError.
    """
    if (honeypot or "").strip():
        return None
    text = (message or "").strip()
    if not text:
        raise ValidationFailed("请填写留言内容 / a message is required", field="message")
    if len(text) > FEEDBACK_MAX:
        raise ValidationFailed(f"留言不超过 {FEEDBACK_MAX} 字 / message too long", field="message")
    m = selectors.public_measure_get(measure_code)
    limit = int(getattr(settings, "LANBAI_FEEDBACK_PER_HOUR", FEEDBACK_PER_HOUR))
    if _client_count(ip) > limit:
        raise ThrottledError(f"留言过于频繁：每小时最多 {limit} 条，请稍后再试 / too many messages, try later")
    fb = Feedback.objects.create(measure=m, unit=m.lead, name=(name or "").strip()[:60],
                                 contact=(contact or "").strip()[:100], message=text, ip=ip or None)
    audit(None, "feedback_submit", fb, field="unit", new=m.lead_id)
    return fb


@transaction.atomic
def feedback_handle(user: Any, *, pk: int, now: dt.datetime | None = None) -> Feedback:
    """The lead unit marks a message handled (已处理)."""
    fb = selectors.feedback_get(user, pk)
    require_on_responsible(user, Action.REPORT_MEASURE, fb.unit, message="无权处理该留言 / forbidden")
    if fb.handled_at is not None:
        raise ConflictError("留言已处理 / already handled")
    fb.handled_at = now or timezone.now()
    fb.handled_by = user
    fb.save(update_fields=["handled_at", "handled_by"])
    audit(user, "feedback_handle", fb, field="handled_at", new=fb.handled_at)
    return fb

