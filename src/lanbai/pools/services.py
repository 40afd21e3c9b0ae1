"""Writes of the project reserve and talent pools: access check, one transaction, one audit event each."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lanbai.access.policy import Action, require
from lanbai.common.audit import audit
from lanbai.common.exceptions import ConflictError, ValidationFailed
from lanbai.core.plan import default_plan_dir, load_plan
from lanbai.core.pools import (
    IdNumberError,
    StageError,
    check_transition,
    id_fingerprint,
    mask_id_number,
    validate_id_number,
)

from .models import Project, ProjectStageChange, Stage, Talent

# 省创新办 decides 立项 and 验收; the proposing unit's staff move the rest.
PROVINCE_STAGES = {Stage.APPROVED, Stage.ACCEPTED}


@functools.cache
def _cluster_codes(directory: str) -> frozenset[str]:
    plan = load_plan(directory)
    return frozenset(f"{r.zone}:{r.category}:{r.industry}" for r in plan.cluster_rows)


def cluster_codes() -> frozenset[str]:
    """The 附件4 cluster codes (``zone:category:industry``) of the plan data."""
    return _cluster_codes(str(getattr(settings, "LANBAI_PLAN_DIR", "") or default_plan_dir()))


def cluster_labels() -> dict[str, str]:
    """附件4 cluster code -> a label for people (``园区 · 产业（传统产业）``), in code order."""
    from lanbai.plans.selectors import zone_list_all
    from lanbai.registry.services import CATEGORY_ZH

    names: dict[str, str] = {}
    for z in zone_list_all():
        names.setdefault(z.code, z.short_name or z.name)
    out = {}
    for code in sorted(cluster_codes()):
        zone, category, industry = code.split(":", 2)
        out[code] = f"{names.get(zone, zone)} · {industry}（{CATEGORY_ZH.get(category, category)}）"
    return out


def _id_key() -> bytes:
    return ("lanbai.pools.id:" + settings.SECRET_KEY).encode()


def project_propose(
    *, user: Any, unit: Any, data: dict[str, Any], measures: list[Any] | None = None,
    on: dt.date | None = None,
) -> Project:
    """A unit's staff put a project into the reserve pool (阶段 储备), with effect on ``on`` (default today)."""
    require(user, Action.REPORT, unit, message="只有申报单位的填报人员可以申报储备项目")
    for name in ("title", "field", "responsible_person"):
        if not str(data.get(name, "")).strip():
            raise ValidationFailed(f"{name}：必填", field=name)
    try:
        budget = Decimal(str(data.get("budget_wan", ""))).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed("budget_wan：预算（万元）不是数值", field="budget_wan") from None
    if budget < 0:
        raise ValidationFailed("budget_wan：预算（万元）不能为负", field="budget_wan")
    cluster = str(data.get("cluster", "")).strip()
    if cluster and cluster not in cluster_codes():
        raise ValidationFailed(f"cluster：{cluster} 不是附件4 中的产业集群", field="cluster")
    effective = on or timezone.localdate()
    if effective > timezone.localdate():
        raise ValidationFailed(f"on：生效日期 {effective} 晚于今天", field="on")
    with transaction.atomic():
        p = Project.objects.create(
            unit=unit,
            title=data["title"].strip(),
            field=data["field"].strip(),
            budget_wan=budget,
            expected_outputs=str(data.get("expected_outputs", "")),
            responsible_person=data["responsible_person"].strip(),
            cluster=cluster,
        )
        if measures:
            p.measures.set(measures)
        ProjectStageChange.objects.create(
            project=p, from_stage="", to_stage=Stage.RESERVE, user=user, effective_on=effective
        )
        audit(user, "pools.project_propose", p, new=p.title)
    return p


def project_advance(
    *, user: Any, project: Project, to: str, note: str = "", on: dt.date | None = None
) -> Project:
    """Move a project to stage ``to`` with effect on ``on`` (default today); 立项 and 验收 are the
    省创新办's decisions.  ``on`` may not precede the project's previous stage change nor lie ahead."""
    try:
        check_transition(project.stage, to)
    except StageError as exc:
        raise ConflictError(str(exc)) from None
    if to in PROVINCE_STAGES:
        require(user, Action.FINAL_APPROVE, message="立项和验收由省创新办审定")
    else:
        require(user, Action.REPORT, project.unit, message="只有申报单位的填报人员可以变更项目阶段")
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        if locked.stage != project.stage:
            raise ConflictError("项目阶段已被他人变更，请刷新后重试")
        effective = on or timezone.localdate()
        last = locked.history.order_by("-id").values_list("effective_on", flat=True).first()
        if effective > timezone.localdate() or (last is not None and effective < last):
            raise ValidationFailed(
                f"on：生效日期 {effective} 应在上一阶段生效日期 {last} 与今天之间", field="on"
            )
        old = locked.stage
        locked.stage = to
        locked.save(update_fields=["stage", "updated_at"])
        ProjectStageChange.objects.create(
            project=locked, from_stage=old, to_stage=to, user=user, note=note[:200],
            effective_on=effective,
        )
        audit(user, "pools.project_advance", locked, field="stage", old=old, new=to, reason=note)
    return locked


def talent_register(*, user: Any, unit: Any, data: dict[str, Any], consent_version: str) -> Talent:
    """Register a person, only with consent; the 身份证号 is kept masked plus a keyed fingerprint."""
    require(user, Action.WRITE_REGISTRY, unit, message="只有省创新办和所在单位园区的工作人员可以登记人才")
    if not consent_version.strip():
        raise ValidationFailed(
            "consent_version：未取得本人同意，不能登记（《个人信息保护法》第十三条）", field="consent_version"
        )
    if not str(data.get("name", "")).strip():
        raise ValidationFailed("name：必填", field="name")
    masked = fingerprint = ""
    if data.get("id_number"):
        try:
            number = validate_id_number(str(data["id_number"]))
        except IdNumberError as exc:
            raise ValidationFailed(str(exc), field="id_number") from None
        masked, fingerprint = mask_id_number(number), id_fingerprint(number, _id_key())
        if Talent.objects.filter(id_fingerprint=fingerprint).exists():
            raise ConflictError("id_number：该身份证号已在人才库中登记")
    with transaction.atomic():
        t = Talent.objects.create(
            name=data["name"].strip(),
            gender=str(data.get("gender", "")),
            birth_year=data.get("birth_year") or None,
            fields=str(data.get("fields", "")),
            title=str(data.get("title", "")),
            unit=unit,
            consent_at=timezone.now(),
            consent_version=consent_version.strip(),
            id_masked=masked,
            id_fingerprint=fingerprint,
        )
        audit(user, "pools.talent_register", t, new=t.name)
    return t


def talent_withdraw_consent(*, user: Any, talent: Talent) -> Talent:
    """Consent withdrawn: the identifying data are erased; the audit trace keeps no number."""
    require(
        user,
        Action.WRITE_REGISTRY,
        talent.unit,
        message="只有省创新办和所在单位园区的工作人员可以处理撤回同意",
    )
    if talent.withdrawn_at is not None:
        raise ConflictError("该人员已撤回同意")
    with transaction.atomic():
        talent.name = "（已撤回同意）"
        talent.gender = ""
        talent.birth_year = None
        talent.id_masked = ""
        talent.id_fingerprint = ""
        talent.withdrawn_at = timezone.now()
        talent.save()
        audit(user, "pools.talent_withdraw_consent", talent)
    return talent


def project_import_file(*, user: Any, path: Any) -> list[Project]:
    """储备项目 from an Excel sheet (the columns of the export's 项目库 sheet), each through
    :func:`project_propose` (阶段 储备, same rules and access check); all or nothing: every error names the
    file, row and column."""
    from pathlib import Path

    from lanbai.common.exceptions import PermissionDeniedError
    from lanbai.common.workbook import import_all_or_nothing
    from lanbai.plans.selectors import orgunit_list, plan_in_force

    from .excel import column_of, read_projects

    rows = read_projects(Path(path))
    codes = {str(r.get("unit", "")).strip() for r in rows}
    units = {u.code: u for u in orgunit_list(plan=plan_in_force()).filter(code__in=codes)}

    def create(row: dict[str, Any]) -> Project:
        code = str(row.pop("unit", "")).strip()
        unit = units.get(code)
        if unit is None:
            raise ValidationFailed(f"申报单位代码（unit）{code!r} 不是规划中单位的代码", field="unit")
        try:
            return project_propose(user=user, unit=unit, data=row)
        except PermissionDeniedError as exc:
            raise ValidationFailed(f"申报单位代码（unit）{code}：{exc.message}", field="unit") from None

    return import_all_or_nothing(rows, create, column_of=column_of, file=Path(path).name)
