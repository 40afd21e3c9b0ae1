"""Writes of third-party evaluation: organisations, members, assignments, conflict declarations.

Every write: one transaction, the access check first (``Action.MANAGE_EVALUATION``: 省创新办; a conflict
also by a member of the organisation), one audit event.  Assigning (and retiring) maintains the members'
``UserScope(role=evaluator)`` rows, so the policy's evaluator scope follows the live assignments.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.db import transaction

from lanbai.access import services as access_services
from lanbai.access.policy import Action, is_operator, require
from lanbai.common.audit import audit
from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.core.evaluation import (
    EvaluationSchemeFileError,
    credit_code_valid,
    load_scheme,
    scheme_hash,
)
from lanbai.core.plan import default_plan_dir
from lanbai.plans.selectors import orgunit_find, plan_in_force

from . import selectors
from .models import Assignment, ConflictDeclaration, EvaluationScheme, EvaluatorOrganisation

SCHEME_FILE = Path("evaluation") / "scheme.yaml"

_MSG = "仅省创新办可管理第三方评估 / province only"


@transaction.atomic
def organisation_create(
    user: Any, *, name: str, credit_code: str, contact: str = ""
) -> EvaluatorOrganisation:
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    code = credit_code.strip().upper()
    if not credit_code_valid(code):
        raise ValidationFailed(
            f"统一社会信用代码 {credit_code!r} 无效（18 位，校验码不符）/ invalid credit code",
            field="credit_code",
        )
    if not name.strip():
        raise ValidationFailed("评估机构名称不能为空 / name required", field="name")
    org = EvaluatorOrganisation.objects.create(name=name.strip(), credit_code=code, contact=contact)
    audit(user, "evaluation.organisation_create", org, new=org.name)
    return org


def _sync_scopes(user: Any, org: EvaluatorOrganisation) -> None:
    """Members hold an evaluator scope for exactly the units of their organisations' live assignments."""
    for member in org.members.all():
        access_services.evaluator_scopes_set(
            by=user,
            user=member,
            unit_ids=selectors.live_unit_ids(member),
            reason=f"第三方评估委托 {org.name}",
        )


@transaction.atomic
def member_add(user: Any, org: EvaluatorOrganisation, member: Any) -> None:
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    org.members.add(member)
    _sync_scopes(user, org)
    audit(user, "evaluation.member_add", org, new=member.username)


@transaction.atomic
def assign(user: Any, org: EvaluatorOrganisation, *, year: int, unit_codes: list[str]) -> Assignment:
    """Assign ``org`` to the units for ``year``; a unit the organisation declared a conflict for is refused."""
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    plan = plan_in_force()
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
    conflicts = selectors.conflict_exists(org.id, {u.id for u in units})
    if conflicts:
        c = conflicts[0]
        raise ValidationFailed(
            f"{org.name} 已申报与 {c.unit.name} 存在利益冲突（{c.nature}），不能委托评估 / declared conflict",
            field="units",
        )
    a = Assignment.objects.create(organisation=org, year=year)
    a.units.set(units)
    _sync_scopes(user, org)
    audit(user, "evaluation.assign", a, new=",".join(sorted(u.code for u in units)))
    return a


@transaction.atomic
def assignment_retire(user: Any, a: Assignment, *, reason: str) -> None:
    require(user, Action.MANAGE_EVALUATION, message=_MSG)
    a.retired = True
    a.save(update_fields=["retired"])
    _sync_scopes(user, a.organisation)
    audit(user, "evaluation.retire", a, field="retired", old=False, new=True, reason=reason)


@transaction.atomic
def conflict_declare(
    user: Any, org: EvaluatorOrganisation, *, unit_code: str, nature: str
) -> ConflictDeclaration:
    """省创新办 or a member of ``org`` declares a conflict of interest with a unit."""
    pk = getattr(user, "pk", None)
    member = not is_operator(user) and pk is not None and org.members.filter(pk=pk).exists()
    if not member:
        try:
            require(user, Action.MANAGE_EVALUATION, message=_MSG)
        except PermissionDeniedError:
            raise PermissionDeniedError("仅评估机构成员或省创新办可申报利益冲突 / members only") from None
    if not nature.strip():
        raise ValidationFailed("请说明利益冲突情况 / nature required", field="nature")
    unit = orgunit_find(unit_code, plan=plan_in_force())
    if unit is None:
        raise ValidationFailed(f"未知单位 / unknown unit: {unit_code}", field="unit")
    c = ConflictDeclaration.objects.create(
        organisation=org, user=user if member else None, unit=unit, nature=nature
    )
    audit(user, "evaluation.conflict_declare", c, new=f"{unit.code}: {nature}")
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
