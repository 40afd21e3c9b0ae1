"""Reads of the plans app.

At run time the plan comes from the database only: ``plan_load_into_db`` stores the validated plan
(``PlanVersion.document``) and its index framework, and :func:`plan_validated` rebuilds the
:class:`~lanbai.core.plan.schema.Plan` from them (once per content hash).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from lanbai.common.exceptions import ApplicationError, NotFoundError
from lanbai.core.plan.schema import Plan

from .models import Indicator, OrgUnit, OrgUnitLink, PlanRecord, PlanVersion, Target

NO_PLAN = "尚未加载规划数据，请先运行 lanbai init / no plan loaded: run lanbai init"
NO_DOCUMENT = (
    "数据库中的规划缺少规划文档（在升级前加载），请重新运行 lanbai init / "
    "the plan in the database predates its stored document: run lanbai init again"
)

# Fields not needed to know which plan is in force (the document is large; it is read once per hash).
_HEAVY = ("document", "index_framework")


class PlanNotLoaded(ApplicationError):
    """There is no (usable) plan in the database: ``lanbai init`` has not run (since the upgrade)."""


def plan_current() -> PlanVersion | None:
    """The plan in force (the most recently loaded one)."""
    return PlanVersion.objects.defer(*_HEAVY).order_by("-updated_at").first()


def plan_in_force() -> PlanVersion:
    """The plan in force; :class:`PlanNotLoaded` when none was loaded."""
    version = plan_current()
    if version is None:
        raise PlanNotLoaded(NO_PLAN)
    return version


def plan_get(code: str) -> PlanVersion:
    """The plan with ``code``; :class:`NotFoundError` otherwise."""
    version = PlanVersion.objects.defer(*_HEAVY).filter(code=code).first()
    if version is None:
        raise NotFoundError(f"未知规划 {code} / unknown plan {code}", extra={"field": "plan", "value": code})
    return version


_validated: dict[str, Plan] = {}  # content hash -> the plan rebuilt from its stored document
_validated_lock = threading.Lock()


def plan_validated(version: PlanVersion) -> Plan:
    """The validated plan of ``version``, rebuilt from the database (cached by its content hash).

    Raises :class:`PlanNotLoaded` when the plan was loaded before its document was stored.
    """
    plan = _validated.get(version.content_hash)
    if plan is not None:
        return plan
    with _validated_lock:
        document = PlanVersion.objects.filter(pk=version.pk).values_list("document", flat=True).first()
        if not document:
            raise PlanNotLoaded(NO_DOCUMENT)
        # JSON mode: the strict schema takes the JSON forms (year keys as text, dates as ISO strings)
        plan = Plan.model_validate_json(json.dumps(document))
        if len(_validated) >= 2:
            _validated.clear()
        _validated[version.content_hash] = plan
    return plan


def plan_index_framework(version: PlanVersion) -> str:
    """The YAML text of the plan's index framework as stored at load time; PlanNotLoaded when absent."""
    text = PlanVersion.objects.filter(pk=version.pk).values_list("index_framework", flat=True).first()
    if not text:
        raise PlanNotLoaded(NO_DOCUMENT)
    return text


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


def indicator_get(code: str, *, plan: PlanVersion) -> Indicator:
    """The indicator ``code`` of ``plan``; :class:`NotFoundError` otherwise."""
    indicator = Indicator.objects.filter(plan=plan, code=code).first()
    if indicator is None:
        raise NotFoundError(f"未知指标 {code} / unknown indicator {code}", extra={"field": "indicator", "value": code})
    return indicator


def orgunit_list_public(*, plan: PlanVersion | None) -> QuerySet[OrgUnit]:
    """Every unit of ``plan`` but the enterprises (none without a plan), in the model's order, for the
    public plan API: who reports is confidential (统计法), so enterprise units are never listed there."""
    return OrgUnit.objects.filter(plan=plan).exclude(kind="enterprise")


def orgunit_get_by_code(code: str, *, plan: PlanVersion | None) -> OrgUnit:
    """The non-enterprise unit of ``plan`` whose code is exactly ``code`` (the public API's lookup);
    NotFoundError otherwise."""
    unit = OrgUnit.objects.filter(plan=plan, code=code).exclude(kind="enterprise").first()
    if unit is None:  # an enterprise answers as an unknown code (the public API names no enterprise)
        raise NotFoundError("未找到。/ Not found.")
    return unit


def indicator_list_public(*, plan: PlanVersion | None) -> QuerySet[Indicator]:
    """Every indicator of ``plan`` (none without a plan), in the model's order, for the plan API."""
    return Indicator.objects.filter(plan=plan)


def indicator_get_by_code(code: str, *, plan: PlanVersion | None) -> Indicator:
    indicator = Indicator.objects.filter(plan=plan, code=code).first()
    if indicator is None:
        raise NotFoundError("未找到。/ Not found.")
    return indicator


def target_list(
    *, plan: PlanVersion | None, indicator: str = "", org_unit: str = "", kind: str = "", source: str = ""
) -> QuerySet[Target]:
    """The plan's targets, filtered by indicator code, unit code, kind and source when given."""
    qs = Target.objects.filter(plan=plan).select_related("indicator", "org_unit")
    for field, value in (("indicator__code", indicator), ("org_unit__code", org_unit), ("kind", kind),
                         ("source", source)):
        if value:
            qs = qs.filter(**{field: value})
    return qs


def target_get(pk: int | str, *, plan: PlanVersion | None) -> Target:
    if not str(pk).isdigit():
        raise NotFoundError("未找到。/ Not found.")
    target = Target.objects.filter(plan=plan, pk=int(pk)).select_related("indicator", "org_unit").first()
    if target is None:
        raise NotFoundError("未找到。/ Not found.")
    return target


def zone_parks(zone: OrgUnit) -> list[OrgUnit]:
    """The parks linked below ``zone``, in the plan's order (never its enterprises: a public page shows
    this list, and who reports is confidential)."""
    links = zone.child_links.select_related("unit").exclude(unit__kind="enterprise").order_by("unit__order")
    return [link.unit for link in links]


def zone_targets(zone: OrgUnit) -> QuerySet[Target]:
    """The plan's targets for ``zone``, by indicator and year."""
    return zone.targets.select_related("indicator").order_by("indicator__order", "year")


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


def target_baseline_rows(
    *, plan: PlanVersion, year: int, units: list[str], indicators: list[str]
) -> list[tuple[str, str, float]]:
    """(unit code, indicator code, baseline value) of the targets of ``plan`` whose baseline year is ``year``."""
    rows = Target.objects.filter(
        plan=plan,
        baseline_year=year,
        baseline_value__isnull=False,
        org_unit__code__in=units,
        indicator__code__in=indicators,
        category__in=["total", ""],
    ).values_list("org_unit__code", "indicator__code", "baseline_value")
    return [(u, i, float(v)) for u, i, v in rows if v is not None]  # (none is: the filter excludes them)


def target_frame_rows(*, plan: PlanVersion) -> list[tuple]:
    """Every target of ``plan`` as plain tuples, one query, in the model's order:
    (unit code, indicator code, kind, category, year, value, comparator, baseline year, baseline value, source).
    """
    return list(
        Target.objects.filter(plan=plan).values_list(
            "org_unit__code", "indicator__code", "kind", "category", "year", "value", "comparator",
            "baseline_year", "baseline_value", "source",
        )
    )


def orgunit_list_reporting(*, plan: PlanVersion | None) -> list[OrgUnit]:
    """The units of ``plan`` that monitoring shows (parks and enterprises excluded: confidential figures)."""
    return list(OrgUnit.objects.filter(plan=plan).exclude(kind__in=["park", "enterprise"]))


def orgunit_ids_of_kind(ids, kind: str) -> set[int]:
    """The ids among ``ids`` of the units of ``kind`` (the access policy sets enterprises apart)."""
    return set(OrgUnit.objects.filter(pk__in=ids, kind=kind).values_list("pk", flat=True))


def orgunit_codes(ids) -> set[str]:
    """The codes of the units with primary keys ``ids``."""
    return set(OrgUnit.objects.filter(id__in=ids).values_list("code", flat=True))


def indicators_by_code(*, plan_id: int) -> dict[str, Indicator]:
    """code -> indicator of the plan with primary key ``plan_id`` (one query, for the dashboard's snapshot)."""
    return {i.code: i for i in Indicator.objects.filter(plan_id=plan_id)}


def zones_by_code(*, plan_id: int) -> dict[str, OrgUnit]:
    """code -> zone of the plan with primary key ``plan_id`` (one query, for the dashboard's snapshot)."""
    return {z.code: z for z in OrgUnit.objects.filter(plan_id=plan_id, kind="zone")}


_compiled: dict[tuple, tuple[str, tuple]] = {}


def plan_current_annotated_compiled(key: str, annotations: Callable[[], dict[str, Any]]) -> PlanVersion | None:
    """The plan in force with ``annotations()`` (e.g. other apps' freshness subqueries) in the same
    query, for the check every page request makes: the SQL is compiled once
    per process, database and ``key`` and then run as a raw query (compiling the subqueries cost more
    than running them).  ``annotations()`` must give the same constant expressions for a ``key``.
    The annotations come back as the database returns them (on SQLite, timestamps as text): compare
    them, don't compute with them."""
    cache_key = (connection.alias, connection.vendor, key)
    compiled = _compiled.get(cache_key)
    if compiled is None:
        qs = PlanVersion.objects.defer(*_HEAVY).order_by("-updated_at").annotate(**annotations())[:1]
        compiled = _compiled[cache_key] = qs.query.sql_with_params()
    return next(iter(PlanVersion.objects.raw(*compiled)), None)


def orgunit_tree_rows(*, plan: PlanVersion) -> list[tuple]:
    """Effective-dated parent links of the units of ``plan`` as (unit, parent, valid_from, valid_to, kind),
    roots (no parent link, aggregates excluded) with parent None."""
    links: list[tuple[str, str | None, dt.date, dt.date | None, str]] = list(OrgUnitLink.objects.filter(unit__plan=plan).values_list(
        "unit__code", "parent__code", "valid_from", "valid_to", "unit__kind"))
    roots = OrgUnit.objects.filter(plan=plan, parent_links__isnull=True).exclude(kind="aggregate")
    links += [(code, None, start, end, kind)
              for code, start, end, kind in roots.values_list("code", "valid_from", "valid_to", "kind")]
    return links


def orgunit_tree_key(*, plan: PlanVersion) -> tuple:
    """A fingerprint of ``plan``'s units and links (two aggregate queries over the plan's units): it
    changes when a unit is added, removed or saved (``updated_at``) and when a link is added, removed,
    re-parented or has its dates changed (counts, extremes and id-weighted sums), so a reader can keep
    :func:`orgunit_tree_rows` and :func:`orgunit_rows` until it does."""
    from django.db.models import Count, F, Max, Min, Sum

    units = OrgUnit.objects.filter(plan=plan).aggregate(n=Count("id"), i=Max("id"), m=Max("updated_at"))
    links = OrgUnitLink.objects.filter(unit__plan=plan).aggregate(
        n=Count("id"), i=Max("id"), p=Sum(F("id") * F("parent_id")), u=Sum(F("id") * F("unit_id")),
        c=Count("valid_to"), f0=Min("valid_from"), f1=Max("valid_from"), t0=Min("valid_to"), t1=Max("valid_to"))
    return (plan.pk, *units.values(), *links.values())


def orgunit_rows(*, plan: PlanVersion) -> list[tuple]:
    """(code, name, kind, members) of every unit of ``plan``."""
    return list(OrgUnit.objects.filter(plan=plan).values_list("code", "name", "kind", "members"))


# ------------------------------------------------------------------------------------------------
# reads other apps make of the organisation tree and the plan's records (they do not import the models)


def orgunit_descendant_ids(root_ids: set[int], *, on: dt.date | None = None) -> set[int]:
    """Ids of the given units and every unit below them (links valid on ``on``, or ever).

    One recursive query over the links' parent index: the cost follows the size of the subtree, not
    of the whole tree (reading every link cost 10 ms per call with 10,000 enterprises, and the access
    policy asks this several times per request of a zone's staff).
    """
    if not root_ids:
        return set()
    table = OrgUnitLink._meta.db_table
    valid, params = "", []
    if on is not None:
        valid = " AND l.valid_from <= %s AND (l.valid_to IS NULL OR l.valid_to >= %s)"
        params = [on, on]
    roots = ", ".join(["%s"] * len(root_ids))
    sql = (
        f"WITH RECURSIVE down(id) AS (SELECT l.unit_id FROM {table} l WHERE l.parent_id IN ({roots}){valid} "  # noqa: S608
        f"UNION SELECT l.unit_id FROM {table} l JOIN down ON l.parent_id = down.id{valid}) SELECT id FROM down"
    )
    with connection.cursor() as cur:
        cur.execute(sql, [*root_ids, *params, *params])
        return set(root_ids) | {row[0] for row in cur.fetchall()}


def orgunit_find(code: str, *, plan: PlanVersion) -> OrgUnit | None:
    """The unit of ``plan`` whose code is exactly ``code``, or None."""
    return OrgUnit.objects.filter(plan=plan, code=code).first()


def orgunit_names(ids) -> dict[int, str]:
    """id -> name of the units with primary keys ``ids``."""
    return dict(OrgUnit.objects.filter(id__in=ids).values_list("id", "name"))


def orgunit_pks() -> QuerySet[OrgUnit, Any]:
    """The primary keys of every unit, as a subquery (``__in``) for integrity checks of loose keys."""
    return OrgUnit.objects.values("pk")


def zone_list_all() -> QuerySet[OrgUnit]:
    """The zones of every plan, the latest plan first, each in the plan's order."""
    return OrgUnit.objects.filter(kind="zone").order_by("-plan_id", "order", "code")


def orgunit_is_linked(unit: OrgUnit, *, parent: OrgUnit) -> bool:
    """Whether ``unit`` has (or had) a link directly below ``parent``."""
    return OrgUnitLink.objects.filter(unit=unit, parent=parent).exists()


def unit_targets(*, plan: PlanVersion, indicator: str, unit: OrgUnit) -> QuerySet[Target]:
    """The targets of ``plan`` for ``indicator`` (code) and ``unit``, by year and kind."""
    return Target.objects.filter(plan=plan, indicator__code=indicator, org_unit=unit).order_by("year", "kind")


def target_first_with_baseline(*, unit: OrgUnit, indicator: str) -> Target | None:
    """The earliest target of ``unit`` for ``indicator`` (code) that has a baseline value, or None."""
    return (
        Target.objects.filter(org_unit=unit, indicator__code=indicator, baseline_value__isnull=False)
        .order_by("year")
        .first()
    )


def plan_records(plan: PlanVersion, section: str, *, order: tuple[str, ...] = ("order",)) -> QuerySet[PlanRecord]:
    """The plan's records of ``section`` (附件 tables kept as data), in plan order."""
    return PlanRecord.objects.filter(plan=plan, section=section).order_by(*order)


def orgunit_list_by_ids(ids, *, kinds: dict[str, set[int] | None] | None = None, order: tuple[str, ...] = ("code",)) -> list[OrgUnit]:
    """The units with these ids (``kinds``: per kind, the ids allowed for it — None: all ``ids``), ordered."""

    ids = set(ids or ())
    if kinds is None:
        qs = OrgUnit.objects.filter(id__in=ids)
    else:
        q = Q()
        for kind, allowed in kinds.items():
            q |= Q(kind=kind, id__in=ids if allowed is None else ids & allowed)
        qs = OrgUnit.objects.filter(q)
    return list(qs.order_by(*order))


def plan_target_rows(version: PlanVersion) -> list[Any]:
    """Every numeric figure of the plan (baselines, targets, milestones) with kind, comparator, approx
    and source: :func:`lanbai.core.plan.views.targets_table` of the stored plan (``lanbai plan targets``)."""
    from lanbai.core.plan.views import targets_table

    return targets_table(plan_validated(version))


def plan_check_findings(version: PlanVersion, check: str) -> list[Any]:
    """The findings of one consistency check of the stored plan (``lanbai plan check``), e.g. alliances."""
    from lanbai.core.plan.checks import check_plan

    return check_plan(plan_validated(version), checks=[check])


def plan_alliance_totals(version: PlanVersion) -> tuple[float, int]:
    """The alliances of 四（一） (per industry plan) and of 附件5 (per group, as stated), each summed."""
    plan = plan_validated(version)
    section = sum(float(ip.alliances) for ip in plan.industry_plans if ip.alliances is not None)
    return section, sum(int(g.stated_count) for g in plan.alliance_groups)
