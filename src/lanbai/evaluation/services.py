"""Writes of third-party evaluation: organisations, members, assignments, conflict declarations.

Every write: one transaction, the access check first (``Action.MANAGE_EVALUATION``: 省创新办; a conflict
also by a member of the organisation), one audit event.  Assigning (and retiring) maintains the members'
``UserScope(role=evaluator)`` rows, so the policy's evaluator scope follows the live assignments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from lanbai.access import services as access_services
from lanbai.access.policy import Action, is_operator, require
from lanbai.common.audit import audit
from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.core.evaluation import (
    EvaluationSchemeError,
    EvaluationSchemeFileError,
    credit_code_valid,
    load_scheme,
    scheme_criteria,
    scheme_hash,
    weighted_score,
)
from lanbai.core.plan import default_plan_dir
from lanbai.plans.selectors import orgunit_find, plan_in_force

from . import selectors
from .models import (
    Assignment,
    ConflictDeclaration,
    Evaluation,
    EvaluationReport,
    EvaluationScheme,
    EvaluatorOrganisation,
)

SCHEME_FILE = Path("evaluation") / "scheme.yaml"

_MSG = "仅省创新办可管理第三方评估 / province only"


@transaction.atomic
def organisation_create(
    user: Any, *, name: str, credit_code: str, contact: str = ""
) -> EvaluatorOrganisation:
    """Create an evaluator organisation; every field's problem is reported at once (``extra["fields"]``)."""
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    name = name.strip()
    code = credit_code.strip().upper()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = ["评估机构名称不能为空 / name required"]
    elif EvaluatorOrganisation.objects.filter(name=name).exists():
        errors["name"] = [f"评估机构 {name} 已登记 / already registered"]
    if not credit_code_valid(code):
        errors["credit_code"] = [
            f"统一社会信用代码 {credit_code!r} 无效（18 位，校验码不符）/ invalid credit code"
        ]
    elif EvaluatorOrganisation.objects.filter(credit_code=code).exists():
        errors["credit_code"] = [f"统一社会信用代码 {code} 已登记 / already registered"]
    if len(contact) > 200:
        errors["contact"] = ["联系方式不能超过 200 个字符 / at most 200 characters"]
    if errors:
        first = next(iter(errors))
        raise ValidationFailed(errors[first][0], field=first, extra={"fields": errors})
    org = EvaluatorOrganisation.objects.create(name=name, credit_code=code, contact=contact.strip())
    audit(user, "evaluation.organisation_create", org, new=org.name)
    return org


def _sync_scopes(user: Any, org: EvaluatorOrganisation) -> None:
    """Members hold an evaluator scope for exactly the units of their organisations' live assignments."""
    for member in org.members.all():
        access_services.evaluator_scopes_set(
            by=user,
            user=member,
            unit_ids=selectors.live_unit_ids(member),
            measure_ids=selectors.live_measure_ids(member),
            reason=f"第三方评估委托 {org.name}",
        )


@transaction.atomic
def member_add(user: Any, org: EvaluatorOrganisation, member: Any) -> None:
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    org.members.add(member)
    _sync_scopes(user, org)
    audit(user, "evaluation.member_add", org, new=member.username)


@transaction.atomic
def member_add_account(
    user: Any, org: EvaluatorOrganisation, *, username: str, full_name: str = "", password: str = ""
) -> Any:
    """Add the account ``username`` to ``org``; a new account is created when none exists and a password
    is given (Django's password validators apply).  An account holding another role is refused."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from lanbai.access.policy import roles_of

    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    username = username.strip()
    if not username:
        raise ValidationFailed("请填写用户名 / username required", field="username")
    model = get_user_model()
    member = model.objects.filter(username=username).first()
    if member is None:
        if not password:
            raise ValidationFailed(
                f"用户 {username} 不存在；新建账号须设置初始密码 / no such user: give a password to create it",
                field="password",
            )
        try:
            validate_password(password, model(username=username, first_name=full_name))
        except ValidationError as exc:
            raise ValidationFailed("；".join(exc.messages), field="password") from None
        member = model.objects.create_user(username=username, password=password, first_name=full_name.strip())
        audit(user, "evaluation.account_create", org, new=username)
    else:
        if org.members.filter(pk=member.pk).exists():
            raise ValidationFailed(
                f"用户 {username} 已是 {org.name} 的成员 / already a member", field="username"
            )
        other = sorted({r for r, _ in roles_of(member).pairs if r != "evaluator"})
        if other or member.is_superuser:
            raise ValidationFailed(
                f"用户 {username} 已有其他角色（{'、'.join(other) or 'superuser'}），不能兼任第三方评估 / "
                f"the account holds another role",
                field="username",
            )
    member_add(user, org, member)
    return member


@transaction.atomic
def assign(
    user: Any,
    org: EvaluatorOrganisation,
    *,
    year: int,
    unit_codes: list[str] | None = None,
    measure_codes: list[str] | None = None,
) -> Assignment:
    """Assign ``org`` to zones / parks and / or plan measures (专栏 items) for ``year``.

    A unit the organisation declared a conflict with is refused, and so is a measure whose lead unit
    (or the organisation unit that lead stands for) it declared a conflict with: the whole request,
    nothing written.
    """
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    unit_codes, measure_codes = list(unit_codes or []), list(measure_codes or [])
    plan = plan_in_force()
    if not plan.start_year <= year <= plan.end_year:
        raise ValidationFailed(
            f"年度 {year} 不在规划期 {plan.start_year}–{plan.end_year} 内 / year outside the plan period",
            field="year",
        )
    if not unit_codes and not measure_codes:
        raise ValidationFailed(
            "请至少选择一个评估单位或举措 / choose at least one unit or measure", field="units"
        )
    found = {code: orgunit_find(code, plan=plan) for code in unit_codes}
    units = [u for u in found.values() if u is not None]
    missing = sorted(code for code, u in found.items() if u is None)
    if missing:
        raise ValidationFailed(f"未知单位 / unknown unit: {', '.join(missing)}", field="units")
    bad = [u for u in units if u.kind == "enterprise"]
    if bad:
        raise ValidationFailed(
            f"不能委托评估企业 / enterprises cannot be assigned: {bad[0].code}", field="units"
        )
    measures = selectors.measures_by_code(measure_codes)
    unknown = sorted(set(measure_codes) - set(measures))
    if unknown:
        raise ValidationFailed(f"未知举措 / unknown measure: {', '.join(unknown)}", field="measures")
    conflicts = selectors.conflict_exists(org.id, {u.id for u in units})
    if conflicts:
        c = conflicts[0]
        raise ValidationFailed(
            f"{org.name} 已申报与 {c.party} 存在利益冲突（{c.nature}），不能委托评估 / declared conflict",
            field="units",
        )
    leads = {m.lead_id: m for m in measures.values()}
    stands_for = {m.lead.org_unit_id: m for m in measures.values() if m.lead.org_unit_id is not None}
    conflicts = selectors.conflict_exists(org.id, set(stands_for), set(leads))
    if conflicts:
        c = conflicts[0]
        m = leads.get(c.responsible_unit_id) or stands_for[c.unit_id]
        raise ValidationFailed(
            f"{org.name} 已申报与举措 {m.code} 的牵头单位 {c.party} 存在利益冲突（{c.nature}），"
            f"不能委托评估 / declared conflict with the measure's lead unit",
            field="measures",
        )
    a = Assignment.objects.create(organisation=org, year=year)
    a.units.set(units)
    a.measures.set(list(measures.values()))
    _sync_scopes(user, org)
    audit(user, "evaluation.assign", a, new=",".join(sorted(u.code for u in units) + sorted(measures)))
    return a


@transaction.atomic
def assignment_retire(user: Any, a: Assignment, *, reason: str) -> None:
    """省创新办 retires a live assignment (reason required); its members' scope over it ends."""
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed("请填写撤销理由 / a reason is required", field="reason")
    if a.retired:
        return
    a.retired = True
    a.save(update_fields=["retired"])
    _sync_scopes(user, a.organisation)
    audit(user, "evaluation.retire", a, field="retired", old=False, new=True, reason=reason)


@transaction.atomic
def conflict_declare(
    user: Any, org: EvaluatorOrganisation, *, unit_code: str = "", responsible_code: str = "", nature: str
) -> ConflictDeclaration:
    """省创新办 or a member of ``org`` declares a conflict of interest with an organisation unit
    (``unit_code``: a zone, park, city) or a responsible unit (``responsible_code``: a measure's lead)."""
    from lanbai.execution.selectors import responsible_unit_list

    pk = getattr(user, "pk", None)
    member = not is_operator(user) and pk is not None and org.members.filter(pk=pk).exists()
    if not member:
        try:
            require(user, Action.MANAGE_EVALUATION, message=_MSG)
        except PermissionDeniedError:
            raise PermissionDeniedError("仅评估机构成员或省创新办可申报利益冲突 / members only") from None
    if not nature.strip():
        raise ValidationFailed("请说明利益冲突情况 / nature required", field="nature")
    unit = responsible = None
    if responsible_code:
        responsible = responsible_unit_list().filter(code=responsible_code).first()
        if responsible is None:
            raise ValidationFailed(f"未知责任单位 / unknown responsible unit: {responsible_code}", field="unit")
    else:
        unit = orgunit_find(unit_code, plan=plan_in_force())
        if unit is None:
            raise ValidationFailed(f"未知单位 / unknown unit: {unit_code}", field="unit")
    c = ConflictDeclaration.objects.create(
        organisation=org, user=user if member else None, unit=unit, responsible_unit=responsible, nature=nature
    )
    party = unit.code if unit is not None else responsible.code if responsible is not None else ""
    audit(user, "evaluation.conflict_declare", c, new=f"{party}: {nature}")
    return c


def scheme_path(plan_dir: str | Path | None = None) -> Path:
    from django.conf import settings

    directory = (
        Path(plan_dir) if plan_dir else Path(getattr(settings, "LANBAI_PLAN_DIR", "") or default_plan_dir())
    )
    return directory / SCHEME_FILE


@transaction.atomic
def evaluation_scheme_register(user: Any, *, plan_dir: str | Path | None = None) -> EvaluationScheme:
    """Store the plan's evaluation scheme file as a version (idempotent for an unchanged file).

    A file whose ``version`` is stored with other content is refused: a changed scheme needs a new version.
    """
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    path = scheme_path(plan_dir)
    try:
        scheme = load_scheme(path)
    except EvaluationSchemeFileError as exc:
        raise ValidationFailed(
            f"评估指标体系有误 / invalid scheme: {exc}", field=exc.field, extra={"file": exc.file}
        ) from exc
    digest = scheme_hash(scheme)
    stored = selectors.scheme_get(scheme.version)
    if stored is not None:
        if stored.content_hash != digest:
            raise ConflictError(
                f"{path.name}: 评估指标体系内容已改变但版本号仍为 {scheme.version}，请改为新版本号 / "
                f"the scheme changed: give it a new version",
                extra={"field": "version", "file": path.name},
            )
        return stored
    row = EvaluationScheme.objects.create(
        version=scheme.version,
        name=scheme.name,
        content_hash=digest,
        document=scheme.document(),
        source_file=str(path),
    )
    audit(user, "evaluation.scheme_register", row, field="version", new=scheme.version)
    return row


# --- scores and reports ---------------------------------------------------------------------------------

_WRITABLE = (EvaluationReport.State.DRAFT, EvaluationReport.State.RETURNED)


def _require_member(user: Any, a: Assignment) -> None:
    """Only a member of the assigned organisation writes its evaluation, and only on a live assignment."""
    pk = getattr(user, "pk", None)
    if pk is None or not a.organisation.members.filter(pk=pk).exists():
        raise PermissionDeniedError(
            "仅受托评估机构的成员可填写评估 / members of the assigned organisation only"
        )
    if a.retired:
        raise PermissionDeniedError("该评估委托已撤销 / the assignment is retired")


def _report(a: Assignment) -> EvaluationReport:
    existing = EvaluationReport.objects.filter(assignment=a).first()
    if existing is not None:
        return existing
    scheme = selectors.scheme_latest()
    if scheme is None:
        raise ValidationFailed(
            "省创新办尚未登记评估指标体系 / no evaluation scheme registered", field="scheme"
        )
    return EvaluationReport.objects.create(assignment=a, scheme=scheme)


def _target(a: Assignment, unit_code: str, measure_code: str) -> tuple[str, Any]:
    """("units", unit) or ("measures", measure): what of the assignment is scored."""
    if measure_code:
        measure = a.measures.filter(code=measure_code).first()
        if measure is None:
            raise ValidationFailed(
                f"举措 {measure_code} 不在本次评估委托中 / measure not assigned", field="measure"
            )
        return "measures", measure
    unit = a.units.filter(code=unit_code).first()
    if unit is None:
        raise ValidationFailed(f"单位 {unit_code} 不在本次评估委托中 / unit not assigned", field="unit")
    return "units", unit


@transaction.atomic
def evaluation_save(
    user: Any,
    a: Assignment,
    *,
    unit_code: str = "",
    measure_code: str = "",
    scores: dict[str, Any],
    comment: str = "",
    findings: str = "",
) -> Evaluation:
    """A member scores one assigned unit (the scheme's ``criteria``) or one assigned measure (its
    ``measure_criteria``) on every criterion of the report's scheme (while 草稿 / 已退回)."""
    _require_member(user, a)
    report = _report(a)
    if report.state not in _WRITABLE:
        raise ValidationFailed(
            f"评估报告{report.get_state_display()}，不能修改 / the report is {report.state}", field="state"
        )
    part, target = _target(a, unit_code, measure_code)
    try:
        values = {k: float(v) for k, v in scores.items() if v not in (None, "")}
    except (TypeError, ValueError):
        raise ValidationFailed("得分应为数字 / scores must be numbers", field="scores") from None
    try:
        total = weighted_score(scheme_criteria(report.scheme.document, part), values)
    except EvaluationSchemeError as exc:
        raise ValidationFailed(str(exc), field=f"scores.{exc.field}") from None
    key = {"unit": target} if part == "units" else {"measure": target}
    ev, _created = Evaluation.objects.update_or_create(
        report=report,
        **key,
        defaults={"scores": values, "total": total, "comment": comment, "findings": findings},
    )
    audit(user, "evaluation.score", ev, field="total", new=total)
    return ev


@transaction.atomic
def report_submit(user: Any, a: Assignment) -> EvaluationReport:
    """A member submits the report (草稿 or 已退回 → 已提交) once every assigned unit and measure is scored."""
    _require_member(user, a)
    report = _report(a)
    if report.state not in _WRITABLE:
        raise ValidationFailed(
            f"评估报告{report.get_state_display()}，不能提交 / the report is {report.state}", field="state"
        )
    done = set(report.evaluations.values_list("unit_id", "measure_id"))
    missing = sorted(u.code for u in a.units.all() if (u.id, None) not in done)
    missing += sorted(m.code for m in a.measures.all() if (None, m.id) not in done)
    if missing:
        raise ValidationFailed(
            f"以下单位或举措尚未评分 / not yet scored: {', '.join(missing)}", field="evaluations"
        )
    old = report.state
    report.state = EvaluationReport.State.SUBMITTED
    report.submitted_at = timezone.now()
    report.submissions += 1
    report.save(update_fields=["state", "submitted_at", "submissions"])
    audit(user, "evaluation.report_submit", report, field="state", old=old, new=report.state)
    return report


def _review(user: Any, report: EvaluationReport, state: str, reason: str) -> EvaluationReport:
    require(user, Action.MANAGE_EVALUATION, message="仅省创新办可审查评估报告 / province only")
    if report.state != EvaluationReport.State.SUBMITTED:
        raise ValidationFailed(
            f"评估报告{report.get_state_display()}，只能审查已提交的报告 / only a submitted report",
            field="state",
        )
    report.state = state
    report.return_reason = reason
    report.reviewed_at = timezone.now()
    report.save(update_fields=["state", "return_reason", "reviewed_at"])
    audit(
        user, f"evaluation.report_{state}", report, field="state", old="submitted", new=state, reason=reason
    )
    return report


@transaction.atomic
def report_accept(user: Any, report: EvaluationReport) -> EvaluationReport:
    """省创新办 accepts a submitted report (已提交 → 已接受)."""
    return _review(user, report, EvaluationReport.State.ACCEPTED, "")


@transaction.atomic
def report_return(user: Any, report: EvaluationReport, *, reason: str) -> EvaluationReport:
    """省创新办 returns a submitted report with a reason (已提交 → 已退回); the members revise and resubmit."""
    require(user, Action.MANAGE_EVALUATION, message="仅省创新办可审查评估报告 / province only")
    if not reason.strip():
        raise ValidationFailed("请填写退回理由 / a reason is required", field="reason")
    return _review(user, report, EvaluationReport.State.RETURNED, reason.strip())
