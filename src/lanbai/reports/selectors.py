"""Reads of published releases and of the open data built from them.

Open-data policy: a value is public only if it is in the snapshot of a *published* release that has
not been superseded (bulletins, annual reports and open-data releases; inspection notices hold the
same rows and add nothing).  When several current releases hold the same (period, unit, indicator),
the most recently issued one wins.  Nothing here reads the live monitoring tables, so a filter,
an ordering or an error can only ever reveal published data.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, F, Max, QuerySet, Subquery

from lanbai.access.policy import Action, can
from lanbai.collection.selectors import expected_enterprise_units, submission_list
from lanbai.common.exceptions import ApplicationError, NotFoundError
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import plan_current, zone_list

from .models import Release, ReleaseStatus

DATA_KINDS = ("bulletin", "annual", "open_data")

# The open-data columns: (name, type, unit or None, description) — also the data dictionary.
COLUMNS = [
    ("period", "string", None, "报告期，如 2018Q2（年初至该季度末累计）/ reporting period, year to date"),
    ("org_unit", "string", None, "单位代码 / unit code"),
    ("org_unit_name", "string", None, "单位名称 / unit name"),
    ("indicator", "string", None, "指标代码 / indicator code"),
    ("indicator_name", "string", None, "指标名称 / indicator name"),
    ("unit", "string", None, "计量单位 / unit of measurement"),
    ("value", "number|null", "见 unit", "本期值；null 表示无法计算（见 not_computable_reason）/ value"),
    ("yoy_pct", "number|null", "%", "同比增长（现价）/ year-on-year growth at current prices"),
    (
        "assessed_value",
        "number|null",
        "见 unit",
        "与目标路径比较的评估值：第四季度为全年值；第一至三季度的流量按上年同期占全年比重折算全年 / value assessed "
        "against the path (the year, or the year-to-date value projected to the year for flows in Q1–Q3)",
    ),
    ("target_year", "integer|null", None, "规划目标年份 / target year"),
    ("target_value", "number|null", "见 unit", "规划目标值 / target value"),
    ("comparator", "string", None, "目标比较方式：= 约等于，>= 以上，<= 以下 / comparator of the target"),
    ("target_source", "string", None, "目标出处（规划专栏或附件）/ where the plan sets the target"),
    ("expected", "number|null", "见 unit", "规划目标路径上本期的预期值 / expected value on the target path"),
    ("status", "string", None, "状态：达标、正常、预警、严重滞后、无法评估、无目标 / status"),
    ("rule", "string", None, "状态判定规则 / the rule that gave the status"),
    ("not_computable_reason", "string|null", None, "无法计算的原因 / why the value is not computable"),
    ("obs_status", "string", None, "观测状态：C 表示因涉及单个企业数据予以保密（值为空）/ SDMX OBS_STATUS, C = confidential"),
    ("stage", "string", None, "初步 或 终 / provisional or final"),
    ("data_note", "string", None, "模拟数据 表示演示用的模拟数据 / 模拟数据 marks simulated data"),
    ("release", "string", None, "发布文号 / number of the release that published the value"),
    ("issued_at", "datetime", None, "发布时间（ISO 8601）/ time of publication"),
]
ZONE_FORM, ENTERPRISE_FORM = "兰白统Q1表", "兰白统Q2表"
COLUMN_NAMES = [c[0] for c in COLUMNS]


def published_releases(*, kind: str | None = None) -> QuerySet[Release]:
    """Published releases, newest first (superseded ones included: they stay downloadable)."""
    qs = Release.objects.filter(status=ReleaseStatus.PUBLISHED).select_related("supersedes")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-issued_at", "-pk")


def release_get_published(pk: int) -> Release:
    """A published release; :class:`NotFoundError` for an unknown one and a draft alike."""
    rel = published_releases().filter(pk=pk).first()
    if rel is None:
        raise NotFoundError("未找到 / not found")
    return rel


def can_manage_releases(user: Any) -> bool:
    """May ``user`` build, publish and correct releases (省创新办)?  Anonymous visitors may not."""
    return bool(getattr(user, "is_authenticated", False)) and can(user, Action.MANAGE_RELEASES)


def release_get_visible(*, user: Any, pk: int) -> Release:
    """A published release for everyone, a draft only for 省创新办.

    An unknown release and one the user may not see look the same: :class:`NotFoundError` (404).
    """
    rel = Release.objects.filter(pk=pk).select_related("supersedes").first()
    if rel is None or (rel.status != ReleaseStatus.PUBLISHED and not can_manage_releases(user)):
        raise NotFoundError("未找到 / not found")
    return rel


def release_get_manageable(*, user: Any, pk: int) -> Release:
    """A release 省创新办 may publish or correct; :class:`NotFoundError` for anyone else (nothing shows)."""
    if not can_manage_releases(user):
        raise NotFoundError("未找到 / not found")
    return release_get_visible(user=user, pk=pk)


def release_drafts(*, user: Any) -> QuerySet[Release] | list[Release]:
    """The drafts, newest first, for 省创新办; nothing for anyone else."""
    if not can_manage_releases(user):
        return []
    return Release.objects.filter(status=ReleaseStatus.DRAFT).order_by("-created_at")


def release_list() -> QuerySet[Release]:
    """Every release (drafts included) in the order they were built — for the command line."""
    return Release.objects.select_related("supersedes").order_by("created_at")


def release_next_seq(*, kind: str, year: int) -> int:
    """The next number in the sequence of ``kind`` and ``year`` (1 for the first release)."""
    return (Release.objects.filter(kind=kind, year=year).aggregate(m=Max("seq"))["m"] or 0) + 1


def approval_status(periods: list[str]) -> tuple[int, int, dt.datetime | None]:
    """(approved, pending, latest approval time) of the reports of ``periods`` (drafts are not pending).

    Every report counts (``user=None``: the platform as a whole), read through collection's selector.
    """
    approved = pending = 0
    latest: dt.datetime | None = None
    for period in periods:
        qs = submission_list(user=None, period=period)
        done = qs.filter(status="approved")
        approved += done.count()
        pending += qs.filter(status__in=["submitted", "zone_approved", "returned"]).count()
        m = done.aggregate(m=Max("approved_at"))["m"]
        latest = m if latest is None or (m is not None and m > latest) else latest
    return approved, pending, latest


def period_completeness(period: Quarter | str, *, forms: tuple[str, ...] = (ZONE_FORM, ENTERPRISE_FORM)) -> dict:
    """Which expected reports of ``period`` are approved: every zone's 园区季报 (the zone itself) and
    企业季报 (the enterprises registered in the zone at the period's end, as in collection's
    completeness).  ``{"complete", "expected", "approved", "missing": [{zone, zone_name, form, missing}]}``.
    """
    q = Quarter.coerce(period)
    plan = plan_current()
    out: dict[str, Any] = {"complete": True, "expected": 0, "approved": 0, "missing": []}
    if plan is None:
        return out
    approved = submission_list(user=None, period=str(q), status="approved")
    for zone in zone_list(plan=plan):
        for form in forms:
            expected = {zone.id} if form == ZONE_FORM else expected_enterprise_units(zone, q.end)
            if not expected:
                continue
            done = approved.filter(form_code=form, org_unit_id__in=expected).count()
            out["expected"] += len(expected)
            out["approved"] += done
            if done < len(expected):
                out["missing"].append(
                    {"zone": zone.code, "zone_name": zone.name, "form": form, "missing": len(expected) - done}
                )
    out["complete"] = not out["missing"]
    return out


def missing_text(missing: list[dict]) -> str:
    """The missing reports in words, e.g. 白银高新区 兰白统Q1表 1 份."""
    return "；".join(f"{m['zone_name']} {m['form']} {m['missing']} 份" for m in missing)


def latest_complete_period(periods: list[str]) -> str | None:
    """The latest of ``periods`` whose every zone's 园区季报 is approved (the headline form)."""
    for p in sorted(periods, key=Quarter.parse, reverse=True):
        if period_completeness(p, forms=(ZONE_FORM,))["complete"]:
            return p
    return None


def period_is_simulated(period: Quarter | str) -> bool:
    """Is any approved report of ``period`` simulated (模拟数据)?"""
    return submission_list(user=None, period=str(period), status="approved").filter(is_simulated=True).exists()


def current_period_releases() -> dict[str, Release]:
    """monitor period -> the current (not superseded) published data release that shows it, latest issued."""
    out: dict[str, Release] = {}
    current = (
        Release.objects.filter(
            status=ReleaseStatus.PUBLISHED, kind__in=DATA_KINDS, superseded_by__isnull=True
        )
        .select_related("supersedes")
        .order_by("issued_at", "pk")
    )
    for rel in current:
        out[rel.content.get("monitor_period") or rel.period] = rel
    return out


def published_index(period: str) -> dict | None:
    """The development index stored in the current published release of ``period`` (a Q4), or None."""
    rel = current_period_releases().get(period)
    return rel.content.get("development_index") if rel is not None else None


def release_history(release: Release) -> list[Release]:
    """The corrections chain of ``release``, newest first (``release`` itself first)."""
    chain, seen = [], set()
    rel: Release | None = release
    while rel is not None and rel.pk not in seen:
        seen.add(rel.pk)
        chain.append(rel)
        rel = rel.supersedes
    return chain


def releases_key_subqueries() -> dict[str, Subquery]:
    """Freshness of the published releases (the public dashboard's snapshot key) as subqueries to
    annotate another query with: the newest publication time ``rel_m``, the highest id ``rel_n`` and
    the count ``rel_c``.  The dashboard asks for them with the figures' freshness, in one query per request."""
    published = Release.objects.filter(status=ReleaseStatus.PUBLISHED).order_by()
    return {
        "rel_m": Subquery(published.order_by(F("issued_at").desc(nulls_last=True)).values("issued_at")[:1]),
        "rel_n": Subquery(published.order_by("-pk").values("pk")[:1]),
        "rel_c": Subquery(published.values("status").annotate(c=Count("pk")).values("c")),
    }


def published_values() -> list[dict]:
    """Every published value (see the module policy), in (period, unit, indicator) order.

    Suppressed cells (disclosure control) come with the value fields empty and ``obs_status`` C.
    """
    from .disclosure import public_row

    current = (
        Release.objects.filter(
            status=ReleaseStatus.PUBLISHED, kind__in=DATA_KINDS, superseded_by__isnull=True
        )
        .order_by("issued_at", "pk")
        .only("number", "issued_at", "content")
    )
    rows: dict[tuple[str, str, str], dict] = {}
    for rel in current:
        issued = rel.issued_at.isoformat() if rel.issued_at else None
        stage = rel.content.get("stage_label", "")
        note = "模拟数据" if rel.content.get("simulated") else ""
        for r in rel.content.get("rows", []):
            pr = public_row(r)
            rec = {k: pr.get(k) for k in COLUMN_NAMES[:-2]}
            rec["stage"], rec["data_note"] = stage, note
            rec["release"], rec["issued_at"] = rel.number, issued
            rows[(r["period"], r["org_unit"], r["indicator"])] = rec
    return [rows[k] for k in sorted(rows)]


VALUE_ORDERING = ("period", "org_unit", "indicator", "value", "status")
VALUE_FILTERS = {  # query name -> column
    "period": "period",
    "unit": "org_unit",
    "indicator": "indicator",
    "status": "status",
    "release": "release",
}


def published_value_list(*, ordering: str | None = None, **filters: str | None) -> list[dict]:
    """:func:`published_values` equal to the given ``filters`` (:data:`VALUE_FILTERS`), ordered by
    ``ordering`` (a column of :data:`VALUE_ORDERING`, ``-`` for descending; missing values last).

    A bad ordering is refused naming only the allowed columns (nothing about the data).
    """
    rows = published_values()
    for name, key in VALUE_FILTERS.items():
        if filters.get(name):
            rows = [r for r in rows if r[key] == filters[name]]
    if ordering:
        field = ordering.removeprefix("-")
        if field not in VALUE_ORDERING:
            allowed = ", ".join(VALUE_ORDERING)
            raise ApplicationError(f"ordering 只能是 {allowed} / allowed: {allowed}")
        present = [r for r in rows if r[field] is not None]
        absent = [r for r in rows if r[field] is None]
        rows = sorted(present, key=lambda r: r[field], reverse=ordering.startswith("-")) + absent
    return rows


def last_modified():
    rel = Release.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-issued_at").first()
    return rel.issued_at if rel else None


def current_survey_release(year: int) -> Release | None:
    """The current (latest issued, not superseded) published 创新调查报告 of ``year``, or None."""
    return (
        Release.objects.filter(
            status=ReleaseStatus.PUBLISHED, kind="survey", period=str(year), superseded_by__isnull=True
        )
        .order_by("-issued_at", "-pk")
        .first()
    )
