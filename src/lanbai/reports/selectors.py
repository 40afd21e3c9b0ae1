"""Reads of published releases and of the open data built from them.

Open-data policy: a value is public only if it is in the snapshot of a *published* release that has
not been superseded (bulletins, annual reports and open-data releases; inspection notices hold the
same rows and add nothing).  When several current releases hold the same (period, unit, indicator),
the most recently issued one wins.  Nothing here reads the live monitoring tables, so a filter,
an ordering or an error can only ever reveal published data.
"""

from __future__ import annotations

from django.db.models import QuerySet

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
    ("release", "string", None, "发布文号 / number of the release that published the value"),
    ("issued_at", "datetime", None, "发布时间（ISO 8601）/ time of publication"),
]
COLUMN_NAMES = [c[0] for c in COLUMNS]


def published_releases(*, kind: str | None = None) -> QuerySet[Release]:
    """Published releases, newest first (superseded ones included: they stay downloadable)."""
    qs = Release.objects.filter(status=ReleaseStatus.PUBLISHED).select_related("supersedes")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-issued_at", "-pk")


def release_get_published(pk: int) -> Release | None:
    return published_releases().filter(pk=pk).first()


def published_values() -> list[dict]:
    """Every published value (see the module policy), in (period, unit, indicator) order."""
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
        for r in rel.content.get("rows", []):
            rec = {k: r.get(k) for k in COLUMN_NAMES[:-2]}
            rec["release"], rec["issued_at"] = rel.number, issued
            rows[(r["period"], r["org_unit"], r["indicator"])] = rec
    return [rows[k] for k in sorted(rows)]


def last_modified():
    rel = Release.objects.filter(status=ReleaseStatus.PUBLISHED).order_by("-issued_at").first()
    return rel.issued_at if rel else None
