"""Reads of the pools, scoped through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lanbai.access.policy import Action, can, unit_ids
from lanbai.common.exceptions import NotFoundError

from .models import Project, ProjectStageChange, Stage, Talent


def project_list(*, user: Any, stage: str = "") -> QuerySet[Project]:
    """Projects of the units the user may read (all for 省创新办)."""
    qs = Project.objects.select_related("unit")
    ids = unit_ids(user, Action.READ)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return qs.filter(stage=stage) if stage else qs


def talent_list(*, user: Any) -> QuerySet[Talent]:
    """Talents of the units the user may write registry entries for (province: all); never the fingerprint."""
    qs = Talent.objects.select_related("unit").defer("id_fingerprint")
    ids = unit_ids(user, Action.WRITE_REGISTRY)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return qs


def project_filtered(*, user: Any, stage: str = "", zone: str = "", cluster: str = "") -> QuerySet[Project]:
    """:func:`project_list` filtered by stage, zone (the proposing unit or one below it) and 附件4 cluster."""
    from lanbai.access.policy import descendant_ids
    from lanbai.plans.selectors import zone_list_all

    qs = project_list(user=user, stage=stage)
    if zone:
        roots = set(zone_list_all().filter(code=zone).values_list("id", flat=True))
        qs = qs.filter(unit_id__in=descendant_ids(roots) | roots)
    if cluster:
        qs = qs.filter(cluster=cluster)
    return qs


def accepted_counts(*, user: Any) -> list[dict[str, Any]]:
    """Projects accepted (验收), per proposing unit and year of acceptance, among those the user may read."""
    from collections import Counter

    rows = ProjectStageChange.objects.filter(
        to_stage=Stage.ACCEPTED, project__in=project_list(user=user)
    ).select_related("project__unit")
    counts = Counter((h.project.unit.name, h.effective_on.year) for h in rows)
    return [{"unit": u, "year": y, "count": n} for (u, y), n in sorted(counts.items())]


def zone_accepted(*, user: Any, zone: Any, period: Any) -> dict[str, Any] | None:
    """Projects accepted (验收) of the zone and the units below it, year to date of ``period`` (a quarter)
    by the day the acceptance took effect.  None when the user may not read the zone (``READ``)."""
    import datetime as dt

    from lanbai.access.policy import descendant_ids
    from lanbai.core.periods import Quarter

    if not can(user, Action.READ, zone):
        return None
    q = Quarter.coerce(period)
    n = (
        ProjectStageChange.objects.filter(
            to_stage=Stage.ACCEPTED,
            project__unit_id__in=descendant_ids({zone.id}) | {zone.id},
            effective_on__gte=dt.date(q.year, 1, 1),
            effective_on__lte=q.end,
        )
        .values("project")
        .distinct()
        .count()
    )
    return {"period": str(q), "accepted": n}


def project_get(*, user: Any, pk: int) -> Project:
    """One project the user may read; :class:`NotFoundError` otherwise."""
    obj = project_list(user=user).filter(pk=pk).first()
    if obj is None:
        raise NotFoundError(f"没有储备项目 {pk} / no project {pk}")
    return obj


def project_history(project: Project) -> QuerySet[ProjectStageChange]:
    return project.history.select_related("user").order_by("id")


def project_moves(*, user: Any, project: Project) -> list[str]:
    """The stages the user may move the project to now (the stage machine and the policy)."""
    from lanbai.core.pools import TRANSITIONS

    out = []
    for to in sorted(TRANSITIONS.get(project.stage, ()), key=list(TRANSITIONS).index):
        if to in (Stage.APPROVED, Stage.ACCEPTED):
            ok = can(user, Action.FINAL_APPROVE)
        else:
            ok = can(user, Action.REPORT, project.unit)
        if ok:
            out.append(to)
    return out


def talent_get(*, user: Any, pk: int) -> Talent:
    """One talent the user may handle; :class:`NotFoundError` otherwise (never the fingerprint)."""
    obj = talent_list(user=user).filter(pk=pk).first()
    if obj is None:
        raise NotFoundError(f"没有人才 {pk} / no talent {pk}")
    return obj


def writable_units(*, user: Any, action: Action) -> QuerySet[Any]:
    """The units of the plan in force the user may act for with ``action`` (province: all)."""
    from lanbai.plans.selectors import orgunit_list, plan_in_force

    qs = orgunit_list(plan=plan_in_force())
    ids = unit_ids(user, action)
    return qs if ids is None else qs.filter(id__in=ids)


def talent_policy_matches(talent: Talent) -> list[dict[str, Any]]:
    """The 附件8 articles for persons, matched against what the register holds of the talent.

    The register keeps no person attribute of the matcher (引进人才, 劳动合同年限, …: minimisation), so
    the matcher answers from an empty person profile: each article with the facts it still needs."""
    from lanbai.core.registry.profiles import PersonProfile
    from lanbai.plans.selectors import plan_current
    from lanbai.registry.selectors import profile_policy_matches

    plan = plan_current()
    if plan is None or talent.withdrawn_at is not None:
        return []
    rows = profile_policy_matches(plan, PersonProfile())
    return [r for r in rows if r["status"] in ("qualifies", "needs_review", "not_decidable")]


def export_workbook(*, user: Any, path: Any) -> Any:
    """Projects and talents the user may see written to an Excel file (no 身份证号, masked or keyed)."""
    from lanbai.core.pools.stages import STAGE_LABELS

    from .excel import write_workbook

    projects = list(project_list(user=user).order_by("id"))
    talents = list(talent_list(user=user).order_by("id"))
    return write_workbook(path, projects, talents, stage_labels=dict(STAGE_LABELS))
