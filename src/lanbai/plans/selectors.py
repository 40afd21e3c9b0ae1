"""Reads of the plans app."""

from __future__ import annotations

from django.db.models import QuerySet

from lanbai.common.exceptions import NotFoundError

from .models import Indicator, OrgUnit, PlanVersion, Target


def plan_current() -> PlanVersion | None:
    """The plan in force (the most recently loaded one)."""
    return PlanVersion.objects.order_by("-updated_at").first()


def zone_list(*, plan: PlanVersion) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(plan=plan, kind="zone").order_by("order")


def orgunit_list(*, plan: PlanVersion) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(plan=plan).order_by("order")


def headline_indicator_list(*, plan: PlanVersion, source: str = "专栏1") -> list[dict]:
    """The headline indicators (专栏1) with the pilot zone's baseline and target."""
    root = plan.meta.get("root_unit", "lanbai")
    targets = (
        Target.objects.filter(plan=plan, kind="target", source=source, org_unit__code=root)
        .select_related("indicator", "org_unit")
        .order_by("indicator__order")
    )
    return [
        {
            "indicator": t.indicator,
            "baseline_year": t.baseline_year,
            "baseline_value": t.baseline_value,
            "target_year": t.year,
            "target_value": t.value,
            "comparator": t.comparator,
            "source": t.source,
        }
        for t in targets
    ]


def indicator_list(*, plan: PlanVersion) -> QuerySet[Indicator]:
    return Indicator.objects.filter(plan=plan).order_by("order")


def orgunit_get(text: str, *, kind: str | None = None, plan: PlanVersion | None = None) -> OrgUnit:
    """The unit with code, Chinese name or short name ``text`` (the latest plan first); the one lookup
    of units by what a user types or a URL carries.  ``kind`` restricts it (``zone`` …).

    Raises :class:`NotFoundError` naming ``text`` when there is none.
    """
    qs = OrgUnit.objects.order_by("-plan_id", "order")
    if plan is not None:
        qs = qs.filter(plan=plan)
    if kind is not None:
        qs = qs.filter(kind=kind)
    text = (text or "").strip()
    unit = qs.filter(code=text).first() or qs.filter(name=text).first() or qs.filter(short_name=text).first()
    if unit is None:
        raise NotFoundError(f"未知的单位 {text} / unknown unit {text}", extra={"field": "unit", "value": text})
    return unit
