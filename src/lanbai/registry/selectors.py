"""Reads of the registry app: counts against the plan's targets (any date), screening and policy matching.

Validity on a date ``d`` (documented policy): an object counts on ``d`` when ``valid_from <= d`` and
(``valid_to`` is empty or ``d <= valid_to``) — ``valid_to`` is the last day it is valid.  An object
without ``valid_from`` (a planned line seeded from the plan) counts on no date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.db.models import Q, QuerySet
from django.utils import timezone
from pydantic import BaseModel

from lanbai.access.policy import Action, can, scope_filter
from lanbai.collection import selectors as collection_selectors
from lanbai.common.exceptions import NotFoundError
from lanbai.core.plan.schema import PolicyArticle, RecognitionCriterion
from lanbai.core.registry import EnterpriseProfile as CoreProfile
from lanbai.core.registry import screen_enterprises
from lanbai.plans.selectors import (
    orgunit_find,
    orgunit_get,
    orgunit_list,
    plan_current,
    plan_records,
    unit_targets,
)
from lanbai.plans.selectors import zone_list as plan_zone_list

from .models import Alliance, Candidate, Cluster, EnterpriseProfile, Incubator, RdPlatform, Recognition
from .presenters import match_dict as match_dict
from .presenters import result_dict

if TYPE_CHECKING:  # the other apps' models are read through their selectors
    from lanbai.collection.models import Enterprise
    from lanbai.plans.models import OrgUnit, PlanVersion


def valid_on(on: dt.date, prefix: str = "") -> Q:
    """Q of objects valid on ``on`` (see the module docstring); ``prefix`` reaches a related object."""
    p = f"{prefix}__" if prefix else ""
    return Q(**{f"{p}valid_from__isnull": False, f"{p}valid_from__lte": on}) & (
        Q(**{f"{p}valid_to__isnull": True}) | Q(**{f"{p}valid_to__gte": on})
    )


# ------------------------------------------------------------------------------------------------
# registry entries


ZonedRegistryModel = type[RdPlatform] | type[Alliance] | type[Incubator] | type[Cluster]  # name, zone, park
RegistryModel = ZonedRegistryModel | type[Recognition]  # a recognition's zone is its enterprise's


def registry_entry_list(
    model: RegistryModel,
    *,
    zone: str | None = None,
    on: dt.date | None = None,
    **filters: Any,
) -> QuerySet:
    """Entries of one registry: ``zone`` a zone code (a recognition: its enterprise's zone), valid on
    ``on``, and equal to the non-empty ``filters`` (``kind``, ``level``, ``industry``, ``category`` …)."""
    qs: QuerySet[Any]
    if issubclass(model, Recognition):
        qs = Recognition.objects.select_related("enterprise", "enterprise__zone")
        if zone:
            qs = qs.filter(enterprise__zone__code=zone)
    else:
        zoned = cast(ZonedRegistryModel, model)  # (not a recognition: checked above)
        qs = zoned.objects.select_related("zone", "park")
        if zone:
            qs = qs.filter(zone__code=zone)
    qs = qs.filter(**{k: v for k, v in filters.items() if v not in (None, "")})
    if on is not None:
        qs = qs.filter(valid_on(on))
    return qs


def registry_entry_get(model: RegistryModel, *, pk: Any) -> Any:
    """One entry of a registry by key; :class:`NotFoundError` if there is none."""
    obj = registry_entry_list(model).filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise NotFoundError("未找到 / not found")
    return obj


def registry_entry_find(model: ZonedRegistryModel, *, name: str, zone: OrgUnit | None) -> Any:
    """The entry of a registry with this name in this zone (how an import identifies it), or None."""
    return model.objects.filter(name=name, zone=zone).first()


def rd_platform_list(**filters: Any) -> QuerySet[RdPlatform]:
    return registry_entry_list(RdPlatform, **filters)


def alliance_list(**filters: Any) -> QuerySet[Alliance]:
    return registry_entry_list(Alliance, **filters)


def incubator_list(**filters: Any) -> QuerySet[Incubator]:
    return registry_entry_list(Incubator, **filters)


def cluster_list(**filters: Any) -> QuerySet[Cluster]:
    return registry_entry_list(Cluster, **filters)


def recognition_list(**filters: Any) -> QuerySet[Recognition]:
    return registry_entry_list(Recognition, **filters)


# ------------------------------------------------------------------------------------------------
# enterprises and their registry profiles
# (the enterprises themselves are collection's: read through its selectors)

enterprise_list = collection_selectors.enterprise_list
enterprise_find = collection_selectors.enterprise_find


def enterprise_get(*, user: Any, credit_code: str) -> Enterprise:
    """The enterprise with this credit code whose confidential figures ``user`` may read
    (:attr:`Action.READ_CONFIDENTIAL`: its zone's staff, 省创新办, itself); :class:`NotFoundError`
    otherwise — the same answer whether it exists or not."""
    ent = enterprise_find(credit_code)
    if ent is None or not can(user, Action.READ_CONFIDENTIAL, ent.org_unit):
        raise NotFoundError("未找到该企业 / no such enterprise")
    return ent


def enterprise_list_readable(*, user: Any, zone: str | None = None) -> QuerySet[Enterprise]:
    """:func:`enterprise_list` narrowed to the enterprises ``user`` may read (READ_CONFIDENTIAL)."""
    return enterprise_list(zone=zone).filter(scope_filter(user, Action.READ_CONFIDENTIAL))


def enterprise_profile_list(*, user: Any = None, zone: str | None = None) -> QuerySet[EnterpriseProfile]:
    """Registry profiles (of the enterprises of the zone with code ``zone``) ``user`` may read
    (``user`` None: the command line, every profile)."""
    qs = EnterpriseProfile.objects.select_related("enterprise", "enterprise__zone", "park")
    qs = qs.filter(scope_filter(user, Action.READ_CONFIDENTIAL, unit_field="enterprise__org_unit"))
    return qs.filter(enterprise__zone__code=zone) if zone else qs


def enterprise_profile_find(enterprise: Enterprise) -> EnterpriseProfile | None:
    """The registry profile of ``enterprise``, or None if it has none yet."""
    return enterprise_profile_list().filter(enterprise=enterprise).first()


def enterprise_profile_get_or_new(*, user: Any, credit_code: str) -> EnterpriseProfile:
    """The profile of the enterprise (an unsaved empty one if it has none); NotFoundError if no enterprise
    or not one ``user`` may read."""
    ent = enterprise_get(user=user, credit_code=credit_code)
    return enterprise_profile_find(ent) or EnterpriseProfile(enterprise=ent)


def enterprise_recognitions(enterprise: Enterprise) -> QuerySet[Recognition]:
    return enterprise.recognitions.all()


def zone_get(plan: PlanVersion, code: str) -> OrgUnit:
    """A zone of ``plan`` (by code, name or short name); NotFoundError naming it as a zone otherwise."""
    try:
        return orgunit_get(code, kind="zone", plan=plan)
    except NotFoundError as exc:
        raise NotFoundError("未知园区 / unknown zone", extra=exc.extra) from exc


def zone_list(plan: PlanVersion | None) -> list[OrgUnit]:
    """The zones of ``plan`` in order (none without a plan)."""
    return list(plan_zone_list(plan=plan)) if plan is not None else []


def plan_units_by_code(plan: PlanVersion | None) -> dict[str, OrgUnit]:
    """Every unit of ``plan`` by code (none without a plan)."""
    return {u.code: u for u in orgunit_list(plan=plan)} if plan is not None else {}


# ------------------------------------------------------------------------------------------------
# counts against targets


def _recognised(kind: str, on: dt.date, zone: OrgUnit | None) -> int:
    qs = Recognition.objects.filter(valid_on(on), kind=kind)
    if zone is not None:
        qs = qs.filter(enterprise__zone=zone)
    return qs.values("enterprise").distinct().count()


def _hightech(on: dt.date, zone: OrgUnit | None) -> int:
    """Enterprises with a high-tech recognition or a 高企 certificate valid on ``on`` (each counted once)."""
    # counted from the registry's side (the enterprises are collection's): the union of both sets of ids
    rec = Recognition.objects.filter(valid_on(on), kind=Recognition.Kind.HIGH_TECH)
    cert = EnterpriseProfile.objects.filter(hightech_valid_from__isnull=False, hightech_valid_from__lte=on).filter(
        Q(hightech_valid_to__isnull=True) | Q(hightech_valid_to__gte=on)
    )
    if zone is not None:
        rec, cert = rec.filter(enterprise__zone=zone), cert.filter(enterprise__zone=zone)
    return len(set(rec.values_list("enterprise_id", flat=True)) | set(cert.values_list("enterprise_id", flat=True)))


def _objects(model, on: dt.date, zone: OrgUnit | None, **filters: Any) -> int:
    qs = model.objects.filter(valid_on(on), **filters)
    if zone is not None:
        qs = qs.filter(zone=zone)
    return qs.count()


@dataclass(frozen=True)
class Counted:
    indicator: str  # indicator code of the plan (indicators.yaml)
    label: str
    registry: str
    note: str


COUNTED: tuple[Counted, ...] = (
    Counted("innovative_enterprises", "创新型企业", "recognitions", "认定类型为创新型企业"),
    Counted("hightech_enterprises", "高新技术企业", "recognitions", "高企认定或证书在有效期内，每户计一次"),
    Counted("ip_advantage_enterprises", "知识产权优势企业", "recognitions", "认定类型为知识产权优势企业"),
    Counted("incubators", "企业孵化器", "incubators", "仅科技企业孵化器（不含众创空间、加速器）"),
    Counted("industry_alliances", "产业技术创新战略联盟", "alliances", "已成立的联盟（规划备选不计）"),
    Counted("rd_platforms", "研发平台", "platforms", "各级研发平台"),
)


def count_on(indicator: str, *, on: dt.date, zone: OrgUnit | None = None) -> int:
    """The registry count behind ``indicator`` on date ``on``, for ``zone`` (None: every zone)."""
    if indicator == "innovative_enterprises":
        return _recognised(Recognition.Kind.INNOVATIVE, on, zone)
    if indicator == "ip_advantage_enterprises":
        return _recognised(Recognition.Kind.IP_ADVANTAGE, on, zone)
    if indicator == "hightech_enterprises":
        return _hightech(on, zone)
    if indicator == "incubators":
        return _objects(Incubator, on, zone, kind="incubator")
    if indicator == "industry_alliances":
        return _objects(Alliance, on, zone)
    if indicator == "rd_platforms":
        return _objects(RdPlatform, on, zone)
    raise ValueError(
        f"indicator {indicator!r} is not counted from a registry ({[c.indicator for c in COUNTED]})"
    )


def _targets(plan: PlanVersion, indicator: str, unit: OrgUnit) -> list[dict[str, Any]]:
    rows = unit_targets(plan=plan, indicator=indicator, unit=unit)
    return [
        {
            "kind": t.kind,
            "kind_zh": t.get_kind_display(),
            "from_year": t.from_year,
            "year": t.year,
            "value": float(t.value),
            "comparator": t.comparator,
            "approx": t.approx,
            "source": t.source,
            "label": t.label,
        }
        for t in rows
    ]


def registry_units(plan: PlanVersion) -> list[OrgUnit | None]:
    """None (the whole pilot zone) followed by the plan's zones in order."""
    return [None, *plan_zone_list(plan=plan)]


def counts_vs_targets(
    plan: PlanVersion, *, on: dt.date | None = None, zone: OrgUnit | None = None
) -> list[dict[str, Any]]:
    """One row per counted indicator and unit: the count on ``on`` and the plan's targets with their source.

    The whole pilot zone's row (``unit`` None) counts every object, including those with no zone, and
    carries the targets of the plan's root unit.  ``target`` is the end-of-plan target (kind
    ``target``) if the plan sets one for that unit, else None; ``share_pct`` is count / target × 100.
    """
    on = on or timezone.localdate()
    root = orgunit_find(plan.meta.get("root_unit", "lanbai"), plan=plan)
    units = [zone] if zone is not None else registry_units(plan)
    out = []
    for c in COUNTED:
        for unit in units:
            target_unit = unit if unit is not None else root
            targets = _targets(plan, c.indicator, target_unit) if target_unit else []
            main = next((t for t in reversed(targets) if t["kind"] == "target"), None)
            n = count_on(c.indicator, on=on, zone=unit)
            out.append(
                {
                    "indicator": c.indicator,
                    "label": c.label,
                    "registry": c.registry,
                    "note": c.note,
                    "unit_code": unit.code if unit else (root.code if root else None),
                    "unit_name": unit.name if unit else (root.name if root else "兰白试验区"),
                    "on": on.isoformat(),
                    "count": n,
                    "targets": targets,
                    "target": main["value"] if main else None,
                    "target_year": main["year"] if main else None,
                    "target_source": main["source"] if main else None,
                    "share_pct": round(n / main["value"] * 100, 1) if main and main["value"] else None,
                }
            )
    return out


def counts_history(
    plan: PlanVersion, *, years: list[int] | None = None, zone: OrgUnit | None = None
) -> list[dict[str, Any]]:
    """Counts at each year end (default: the plan's years) per counted indicator and unit, with the target."""
    years = years or list(range(plan.start_year, plan.end_year + 1))
    current = counts_vs_targets(plan, on=dt.date(years[-1], 12, 31), zone=zone)
    units = [zone] if zone is not None else registry_units(plan)
    for row in current:
        unit = next((u for u in units if (u.code if u else None) == row["unit_code"]), None)
        row["by_year"] = {y: count_on(row["indicator"], on=dt.date(y, 12, 31), zone=unit) for y in years}
    return current


# ------------------------------------------------------------------------------------------------
# figures and profiles for screening


# approved report field -> (core profile field, converter)
REPORT_FIELDS: dict[str, tuple[str, type]] = {
    "revenue": ("revenue_wan", float),
    "profit": ("profit_wan", float),
    "tax": ("tax_wan", float),
    "rd_expenditure": ("rd_expenditure_wan", float),
    "rd_staff": ("rd_staff", int),
    "invention_patents_valid": ("valid_invention_patents", int),
}
# registry profile field -> core profile field
PROFILE_FIELDS: dict[str, str] = {
    "main_business_kind": "main_business_kind",
    "independent_legal_person": "is_independent_legal_person",
    "rd_staff": "rd_staff",
    "rd_staff_senior_or_master": "rd_staff_senior_or_master",
    "has_rd_institution": "has_rd_institution",
    "valid_patents": "valid_patents",
    "invention_patents": "valid_invention_patents",
    "new_drug_certificates": "new_drug_certificates",
    "software_copyrights": "software_copyrights",
    "trademarks": "trademarks",
    "plant_varieties": "plant_varieties",
    "origin_protections": "origin_protections",
    "quality_certified": "quality_certified",
}


@dataclass(frozen=True)
class Figures:
    """The approved figures used: the period, why it was chosen, and the values (field code -> str)."""

    period: str | None
    basis: str
    values: dict[str, Any]


def _choose_figures(reports: list[tuple[str, dict]]) -> Figures:
    """Pick from (period, approved values) pairs: the latest approved Q4, else the latest approved quarter."""
    if not reports:
        return Figures(None, "无已审核报表 / no approved report", {})
    reports = sorted(reports, key=lambda r: r[0], reverse=True)
    q4 = [r for r in reports if r[0].endswith("Q4")]
    if q4:
        period, values = q4[0]
        return Figures(
            period,
            f"{period[:4]}年第四季度已审核报表（全年累计） / approved Q4 {period[:4]} (annual)",
            dict(values),
        )
    period, values = reports[0]
    return Figures(
        period,
        f"{period} 已审核报表（年初至该季度累计，非全年） / latest approved quarter "
        f"{period} (year to date, not a full year)",
        dict(values),
    )


def approved_figures(enterprises: list[Enterprise]) -> dict[int, Figures]:
    """Latest approved figures of each enterprise (by enterprise pk), read in one query.

    Q4 of the latest year that has an approved Q4 (annual figures, flows being year-to-date), else the
    latest approved quarter (year to date, stated).  Only the version 省创新办 approved counts
    (``Submission.approved_version``): drafts, submitted or zone-approved versions and later
    corrections under review are never read.
    """
    by_unit: dict[int, list[tuple[str, dict]]] = {}
    for unit_id, period, values in collection_selectors.approved_values(
        org_unit_ids=[e.org_unit_id for e in enterprises]
    ):
        by_unit.setdefault(unit_id, []).append((period, values))
    return {e.pk: _choose_figures(by_unit.get(e.org_unit_id, [])) for e in enterprises}


def latest_approved_figures(enterprise: Enterprise) -> Figures:
    """:func:`approved_figures` for one enterprise."""
    return approved_figures([enterprise])[enterprise.pk]


def _convert(value: Any, kind: type) -> Any:
    if value is None or value == "":
        return None
    try:
        return kind(float(value)) if kind is int else float(value)
    except (TypeError, ValueError):
        return None


def core_profiles(enterprises: list[Enterprise]) -> list[tuple[CoreProfile, dict[str, Any]]]:
    """:func:`core_profile` for many enterprises with three queries in all."""
    regs = {p.enterprise_id: p for p in EnterpriseProfile.objects.filter(enterprise__in=enterprises)}
    figures = approved_figures(enterprises)
    return [core_profile(e, reg=regs.get(e.pk), figures=figures[e.pk]) for e in enterprises]


_UNSET: Any = object()


def core_profile(
    enterprise: Enterprise, *, reg: EnterpriseProfile | None = _UNSET, figures: Figures | None = None
) -> tuple[CoreProfile, dict[str, Any]]:
    """The enterprise as the recognition rules see it, and where each figure came from.

    Registry profile fields first; then the approved report's figures, which take precedence for the
    fields they hold (revenue, profit, tax, R&D spending, R&D staff, invention patents).  An
    enterprise of the collection app is registered in a zone of the pilot zone (``registered_in_zone``).
    """
    if reg is _UNSET:
        reg = EnterpriseProfile.objects.filter(enterprise=enterprise).first()
    data: dict[str, Any] = {
        "credit_code": enterprise.credit_code,
        "name": enterprise.name,
        "zone": enterprise.zone.code,
        "registered_in_zone": True,
    }
    sources: dict[str, str] = {"registered_in_zone": "企业登记（园区） / enterprise register"}
    if reg is not None:
        for src, dst in PROFILE_FIELDS.items():
            value = getattr(reg, src)
            if value is not None and value != "":
                data[dst] = value
                sources[dst] = f"登记档案 {src} / registry profile"
    figures = figures or latest_approved_figures(enterprise)
    for code, (dst, kind) in REPORT_FIELDS.items():
        value = _convert(figures.values.get(code), kind)
        if value is not None:
            data[dst] = value
            sources[dst] = f"{figures.period} 已审核报表 {code} / approved report"
    if (
        data.get("rd_staff_senior_or_master") is not None
        and data.get("rd_staff") is not None
        and data["rd_staff_senior_or_master"] > data["rd_staff"]
    ):
        data.pop("rd_staff_senior_or_master")  # inconsistent sources: leave it undecided rather than guess
        sources["rd_staff_senior_or_master"] = "与研发人员数不一致，未采用 / exceeds rd_staff, not used"
    if (
        data.get("valid_invention_patents") is not None
        and data.get("valid_patents") is not None
        and data["valid_invention_patents"] > data["valid_patents"]
    ):
        data.pop("valid_patents")
        sources["valid_patents"] = "小于有效发明专利数，未采用 / below invention patents, not used"
    meta = {
        "figures_period": figures.period,
        "figures_basis": figures.basis,
        "sources": sources,
        "reviewer": {
            "credit_good": reg.credit_good if reg else None,
            "policy_fit": reg.policy_fit if reg else None,
        },
    }
    return CoreProfile(**data), meta


_Record = TypeVar("_Record", bound=BaseModel)


def plan_section(plan: PlanVersion, section: str, model: type[_Record]) -> list[_Record]:
    """The plan's records of ``section`` as validated schema objects, in plan order."""
    rows = plan_records(plan, section)
    return [model.model_validate(r.data) for r in rows]


def recognition_criteria(plan: PlanVersion) -> list[RecognitionCriterion]:
    return plan_section(plan, "recognition_criteria", RecognitionCriterion)


def policy_articles(plan: PlanVersion) -> list[PolicyArticle]:
    return plan_section(plan, "policy_articles", PolicyArticle)


def screen(
    plan: PlanVersion, enterprises: QuerySet[Enterprise] | list[Enterprise] | None = None
) -> list[dict]:
    """Screen enterprises (default: every registered enterprise) against 附件7; one dict per enterprise."""
    ents = list(enterprises if enterprises is not None else enterprise_list())
    built = core_profiles(ents)
    results = screen_enterprises([p for p, _ in built], recognition_criteria(plan))
    return [result_dict(r, meta) for r, (_, meta) in zip(results, built, strict=True)]


def plan_required() -> PlanVersion:
    """The plan in force; :class:`NotFoundError` when none is loaded."""
    plan = plan_current()
    if plan is None:
        raise NotFoundError("没有已加载的规划 / no plan loaded")
    return plan


def candidate_list(plan: PlanVersion) -> QuerySet[Candidate]:
    return Candidate.objects.filter(plan=plan).select_related("zone", "enterprise")


def candidate_unlinked_count(plan: PlanVersion | None) -> int:
    """How many 附件7 candidates of ``plan`` have no enterprise record yet."""
    return candidate_list(plan).filter(enterprise__isnull=True).count() if plan is not None else 0


def candidate_get(plan: PlanVersion, *, pk: Any) -> Candidate:
    """One 附件7 candidate of ``plan``; :class:`NotFoundError` if there is none."""
    obj = candidate_list(plan).filter(pk=pk).first() if str(pk).isdigit() else None
    if obj is None:
        raise NotFoundError("未找到 / not found")
    return obj


def profile_policy_matches(plan: PlanVersion, profile: Any) -> list[dict]:
    """The 23 articles of 附件8 matched against a profile given as such (enterprise, person, institution)."""
    from lanbai.core.registry import match_policies

    return [match_dict(m) for m in match_policies(profile, policy_articles(plan))]


def enterprise_policy_matches(plan: PlanVersion, enterprise: Enterprise) -> list[dict]:
    """The 23 articles of 附件8 matched against the enterprise's profile (registry + approved figures)."""
    from lanbai.core.registry import match_policies

    profile, _ = core_profile(enterprise)
    return [match_dict(m) for m in match_policies(profile, policy_articles(plan))]
