"""Build, number, render, publish and correct releases from approved figures.

Policies (also in docs/publications.md):

* Only approved figures are used (``monitoring_table(preview=False)``); the release states the data
  cut-off (the latest approval time of the periods it covers, or the build time without any) and
  how many reports of those periods were approved or still pending.
* Only the pilot zone, the cities, the zones and aggregates are published — never a park or an
  enterprise (their figures are confidential statistical data).
* Numbers: one sequence per kind and year, e.g. 兰白监测〔2018〕第2号.  A correction takes the next
  number of its kind and year, points to the release it ``supersedes`` and stores the differences.
* A 半年检查通报 is for a half year: period Q2 or Q4.  A 年度评估报告 covers year Y (period YQ4).
* Completeness: a release states which expected reports of its period were not approved when it was
  built (zones, forms, how many); such a release is 初步 (provisional) and is published only with an
  explicit confirmation naming what is missing (``confirm_incomplete``).  A complete one is 终 (final).
* Disclosure control (:mod:`.disclosure`): every row carries ``suppressed``; the files show × with
  the legend and never the value of a suppressed cell.  Simulated data is marked 模拟数据.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from lanbai.access.policy import OPERATOR, Action, require
from lanbai.assessment.selectors import assessment_release_section
from lanbai.common.audit import audit
from lanbai.common.exceptions import ApplicationError, ConflictError
from lanbai.core.periods import Quarter
from lanbai.execution.selectors import half_year_inspection
from lanbai.indices.selectors import IndexUnavailable, index_report_section, index_results
from lanbai.monitoring.diagnosis import diagnosis
from lanbai.monitoring.selectors import monitoring_table, plan_core
from lanbai.plans.selectors import PlanNotLoaded, plan_current
from lanbai.registry.selectors import counts_vs_targets

from . import disclosure, survey_report
from .models import Release, ReleaseKind, ReleaseStatus
from .reconciliation import COLUMNS as SERVICE_COLUMNS
from .reconciliation import inspection_section
from .selectors import (
    approval_status,
    current_period_releases,
    missing_text,
    period_completeness,
    period_is_simulated,
    release_next_seq,
)

PREFIX = {"bulletin": "兰白监测", "inspection": "兰白检查", "annual": "兰白评估", "open_data": "兰白数据",
          "survey": "兰白调查"}
TITLES = {
    "bulletin": "兰白试验区{label}季度监测数据",
    "inspection": "兰白试验区{label}检查通报",
    "annual": "兰白试验区{label}年度评估报告",
    "open_data": "兰白试验区{label}开放数据",
    "survey": "兰白试验区{label}企业创新调查报告",
}
PUBLIC_KINDS = ("pilot_zone", "city", "zone", "aggregate")
LAGGING = ("预警", "严重滞后")
ROW_FIELDS = (
    "period",
    "org_unit",
    "org_unit_name",
    "indicator",
    "indicator_name",
    "unit",
    "value",
    "yoy_pct",
    "assessed_value",
    "baseline_year",
    "baseline_value",
    "target_year",
    "target_value",
    "comparator",
    "target_source",
    "expected",
    "status",
    "rule",
    "not_computable_reason",
)

Progress = Callable[[str], None]


def _check_complete(content: dict, confirm_incomplete: bool) -> None:
    """Refuse to publish an incomplete release unless the confirmation was given (naming what is missing)."""
    if content.get("missing_text") and not confirm_incomplete:
        raise IncompleteReleaseError(
            f"confirm_incomplete: 报告期 {content.get('monitor_period')} 仍有未审核的报表：{content['missing_text']}。"
            "确认发布不完整的（初步）数据须明确确认 / incomplete: confirm to publish",
            missing=content.get("completeness", {}).get("missing", []),
        )


class ReleaseError(ApplicationError):
    """A release cannot be built (bad kind or period, or no approved figures); message in Chinese first."""

    status_code = 400


class IncompleteReleaseError(ConflictError):
    """Publishing a release whose expected reports are not all approved needs a confirmation (409)."""

    def __init__(self, message: str, *, missing: list[dict]):
        super().__init__(message, extra={"field": "confirm_incomplete", "missing": missing})
        self.missing = missing


MANAGE_MESSAGE = "仅省创新办可生成、发布和更正发布物 / only 省创新办 builds, publishes and corrects releases"


def _clean(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v


def _periods_of(kind: str, period: Quarter | str) -> tuple[str, list[str], str]:
    """(canonical period, periods whose approvals count, label) for ``kind``; raises ReleaseError."""
    if kind not in PREFIX:
        raise ReleaseError(f"kind: 未知的发布类型 {kind!r}，应为 {', '.join(PREFIX)} / unknown kind")
    try:
        if kind == "annual":
            text = str(period).upper().removesuffix("Q4")
            if not (text.isdigit() and len(text) == 4):
                raise ValueError
            q = Quarter.parse(f"{text}Q4")
        else:
            q = Quarter.parse(str(period))
    except ValueError as exc:
        raise ReleaseError(
            f"period: 报告期格式错误 {period!r}（应为 2018Q2，年度报告为 2019）/ bad period"
        ) from exc
    if kind == "inspection" and q.q not in (2, 4):
        raise ReleaseError(
            f"period: 检查通报按半年发布，报告期应为第二或第四季度，收到 {period!r} / half years only"
        )
    if kind == "annual":
        return str(q.year), [str(q)], f"{q.year}年"
    if kind == "inspection":
        return str(q), [str(q)], f"{q.year}年{'上半年' if q.q == 2 else '全年'}"
    return str(q), [str(q)], q.label_zh


def _monitor_period(kind: str, period: str) -> str:
    """The monitoring period of a release: its quarter, for an annual report (period ``Y``) ``YQ4``."""
    return str(Quarter(int(period), 4)) if kind == "annual" else period


def public_rows(period: str) -> list[dict]:
    """The monitoring rows of ``period`` for the published unit kinds, as plain dicts."""
    _, plan, _ = plan_core()
    kinds = {u.code: u.kind for u in plan.org_units}
    rows = monitoring_table(period=period)
    return [
        {f: _clean(getattr(r, f)) for f in ROW_FIELDS} for r in rows if kinds.get(r.org_unit) in PUBLIC_KINDS
    ]


def _diagnoses(period: str, rows: list[dict], root: str) -> list[dict]:
    out = []
    for ind in dict.fromkeys(r["indicator"] for r in rows if r["status"] in LAGGING):
        try:
            d = diagnosis(period=period, indicator=ind)
        except ApplicationError as exc:  # no plan, unknown indicator, no formula: state why, diagnose the rest
            out.append({"indicator": ind, "error": str(exc), "units": []})
            continue
        units = [
            {
                k: _clean(u.get(k))
                for k in (
                    "org_unit",
                    "org_unit_name",
                    "value",
                    "expected",
                    "gap",
                    "status",
                    "zones_rule",
                    "zones_reason",
                )
            }
            | {"zones": [{k: _clean(v) for k, v in z.items()} for z in (u.get("zones") or [])]}
            for u in d["units"]
            if u["status"] in LAGGING
        ]
        out.append(
            {
                "indicator": ind,
                "indicator_name": d["indicator_name"],
                "structure": d["structure"],
                "units": units,
            }
        )
    return out


def _index_section(year: int) -> dict:
    """The development index of ``year`` with its statistical audit
    (:func:`lanbai.indices.selectors.index_report_section`: one row per zone, audit tables, a
    paragraph per zone; Monte Carlo seeded, ``INDEX_RUNS`` runs).

    The report is published without the index rather than not at all: when the index cannot be
    computed the section states why (the template prints 发展指数未能计算：…).
    """
    try:
        section = index_report_section(year=year, runs=INDEX_RUNS, seed=0)
    except (ApplicationError, LookupError, ValueError) as exc:  # IndexUnavailable, PlanNotLoaded …: state why, publish the rest
        return {"error": str(exc), "rows": []}
    return _json_clean(section)


INDEX_RUNS = 200  # as the dashboard's index page


def _index_page(year: int) -> dict:
    """The index page's data of ``year`` (results and series), stored so the public page shows it as published."""
    try:
        res = index_results(year, runs=INDEX_RUNS)
    except (IndexUnavailable, PlanNotLoaded, LookupError, ValueError) as exc:
        return {"error": str(exc)}
    keep = {"results": res["results"], "series": res["series"], "base_year": res["base_year"],
            "framework_name": res.get("framework_name", "")}
    return _json_clean(keep)


def _json_clean(v: Any) -> Any:
    if isinstance(v, dict):
        return {str(k): _json_clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_json_clean(x) for x in v]
    if hasattr(v, "item") and not isinstance(v, str):  # NumPy scalars
        v = v.item()
    return _clean(v)


def build_content(
    kind: str,
    period: Quarter | str,
    *,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    user: Any = OPERATOR,
) -> dict:
    """The JSON snapshot of a release: meta, rows, lagging rows, diagnoses (and the index for annual).

    ``user`` (who builds it: 省创新办 or the command line) reads the services' figures of the inspection
    notice through the apps' scoped selectors."""
    step = progress or (lambda _msg: None)
    canon, periods, label = _periods_of(kind, period)
    mp = _monitor_period(kind, canon)
    step("读取已审核数据 / reading approved figures")
    approved, pending, latest = approval_status(periods)
    rows = public_rows(mp)
    if not any(r["value"] is not None for r in rows):
        raise ReleaseError(f"period: {mp} 没有已审核的数据，无法发布 / no approved figures for {mp}")
    q = Quarter.parse(mp)
    content: dict[str, Any] = {
        "kind": kind,
        "period": canon,
        "monitor_period": mp,
        "label": label,
        "period_label": q.label_zh,
        "approved_count": approved,
        "pending_count": pending,
        "data_cutoff": (latest or now or timezone.now()).isoformat(),
        "data_cutoff_label": timezone.localtime(latest or now or timezone.now()).strftime("%Y-%m-%d %H:%M"),
        "rows": rows,
        "lagging": [r for r in rows if r["status"] in LAGGING],
    }
    step("完整性与保密审查 / completeness and disclosure control")
    comp = period_completeness(mp)
    content["completeness"] = comp
    content["missing_text"] = missing_text(comp["missing"])
    content["stage"] = "final" if comp["complete"] else "provisional"
    content["stage_label"] = "终" if comp["complete"] else "初步"
    content["simulated"] = period_is_simulated(mp)
    prev = current_period_releases().get(mp)
    content["disclosure"] = disclosure.protect(rows, period=mp, previous=prev.content.get("rows") if prev else None)
    if q.q == 4 and kind in ("bulletin", "annual"):
        step("发展指数 / development index")
        content["development_index"] = _index_page(q.year)
    if kind in ("inspection", "annual"):
        step("诊断滞后指标 / diagnosing lagging indicators")
        content["diagnoses"] = _diagnoses(mp, rows, "lanbai")
        step("举措进展 / progress of measures")
        content["measures"] = measure_progress(q.end)
    if kind == "inspection":
        step("举措半年检查 / half-year check of measures by unit")
        content["measure_check"] = half_year_inspection(q, today=(now or timezone.now()).date())
        step("科聚网服务 / services figures by zone")
        content["services"] = inspection_section(user=user, period=q)
    if kind == "annual":
        step("发展指数 / development index")
        content["index"] = _index_section(q.year)
        step("目标责任制考核 / target-responsibility assessment")
        content["assessment"] = _json_clean(assessment_release_section(q.year))
        step("企业创新调查 / innovation survey")
        content["survey"] = _survey_section(q.year)
    return content


def _survey_section(year: int) -> dict:
    """The survey's headline results of ``year`` for the annual report: those of the current published survey
    report when there is one, else built now with the same disclosure control (or why there are none)."""
    from .selectors import current_survey_release

    rel = current_survey_release(year)
    try:
        content = rel.content if rel is not None else survey_report.build_survey_content(year)
    except survey_report.SurveyReportError as exc:
        return {"error": str(exc).removeprefix("period: "), "headline": []}
    return {
        "year": year,
        "number": rel.number if rel is not None else "",
        "sample_size": content["design"]["sample_size"],
        "respondents": content["design"]["respondents"],
        "headline": survey_report.headline_section(content),
    }


def _survey_year(period: Any) -> int:
    try:
        year = int(str(period).strip())
    except ValueError:
        raise ReleaseError(f"period: 创新调查报告的报告期为年份（如 2019），收到 {period!r} / a year expected") from None
    if not 2000 <= year <= 2100:
        raise ReleaseError(f"period: 年份 {year} 超出范围 / year out of range")
    return year


MEASURE_WARN = 0.05  # a measure lags when its count is more than 5 % below the expected count


def measure_progress(on: dt.date) -> list[dict]:
    """Which measures lag: registry counts on ``on`` against the plan's targets (专栏14 etc.).

    The targets are counts to reach by the target year (培育200家创新型企业 …); the expected count on a
    date is the target prorated linearly over the plan's years (from 0 at the plan's start).  A measure
    lags (滞后) when its count is more than 5 % below that; the rule is stated on each row.
    """
    plan = plan_current()
    if plan is None:
        return []
    start = dt.date(plan.start_year, 1, 1)
    out = []
    for row in counts_vs_targets(plan, on=on):
        if not row["target"] or not row["target_year"]:
            continue
        end = dt.date(int(row["target_year"]), 12, 31)
        share = min(1.0, max(0.0, (on - start).days / max(1, (end - start).days)))
        expected = row["target"] * share
        lagging = row["count"] < expected * (1 - MEASURE_WARN)
        rule = (
            f"登记数 {row['count']} {'低于' if lagging else '不低于'}按期预期数 {expected:.0f}"
            f"（目标 {row['target']:g} × 已过时间 {share:.0%}）{'超过 5%' if lagging else ''} / "
            f"count {row['count']} vs expected {expected:.0f} ({share:.0%} of the plan period elapsed)"
        )
        out.append({**{k: row[k] for k in ("indicator", "label", "unit_name", "count", "target", "target_year",
                                            "target_source")},
                    "expected": round(expected, 1), "status": "滞后" if lagging else "正常", "rule": rule})
    return out


def _next_number(kind: str, year: int) -> tuple[int, str]:
    seq = release_next_seq(kind=kind, year=year)
    return seq, f"{PREFIX[kind]}〔{year}〕第{seq}号"


def render_html(release_meta: dict, content: dict) -> str:
    """The document as a standalone HTML page (also the input of the PDF)."""
    units: dict[str, list[dict]] = {}
    for r in content["rows"]:
        units.setdefault(r["org_unit_name"], []).append(disclosure.public_row(r))
    masked = {**content, "lagging": [disclosure.public_row(r) for r in content.get("lagging", [])]}
    return render_to_string("reports/document.html", {"r": release_meta, "c": masked, "units": units})


def render_pdf(html: str) -> bytes:
    """PDF bytes from the document HTML (WeasyPrint; the CJK font is embedded as a subset)."""
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


XLSX_COLUMNS = [
    ("period", "报告期"),
    ("org_unit", "单位代码"),
    ("org_unit_name", "单位"),
    ("indicator", "指标代码"),
    ("indicator_name", "指标"),
    ("unit", "计量单位"),
    ("value", "本期值"),
    ("yoy_pct", "同比增长(%)"),
    ("assessed_value", "评估值（全年或折算全年）"),
    ("target_year", "目标年份"),
    ("target_value", "目标值"),
    ("expected", "路径预期值"),
    ("status", "状态"),
    ("rule", "判定规则"),
    ("target_source", "目标出处"),
]


def render_xlsx(release_meta: dict, content: dict) -> bytes:
    """The figures as a workbook: a cover sheet (number, cut-off, approvals) and a data sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from lanbai.core.collection.excel import neutralise

    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    cover = [
        ("文号", release_meta["number"]),
        ("标题", release_meta["title"]),
        ("发布时间", release_meta.get("issued_at") or "未发布（草稿）"),
        ("数据截止时间", content["data_cutoff"]),
        ("已审核报表", content["approved_count"]),
        ("待审核报表", content["pending_count"]),
        ("口径", "现价；季度数据为年初至本期累计；同比为与上年同期累计值相比"),
        ("版本", content.get("stage_label", "")),
        ("报表完整性", "完整" if not content.get("missing_text") else f"不完整，未审核：{content['missing_text']}"),
        ("数据性质", "模拟数据" if content.get("simulated") else ""),
        ("保密标识", _legend_text(content)),
    ]
    for k, v in cover:
        ws.append([neutralise(k), neutralise(v)])
    data = wb.create_sheet("数据")
    data.append([label for _, label in XLSX_COLUMNS])
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.cell(row=1, column=len(XLSX_COLUMNS) + 1, value="obs_status").font = Font(bold=True)
    for r in content["rows"]:
        pr = disclosure.public_row(r)
        data.append([neutralise(pr.get(k)) for k, _ in XLSX_COLUMNS] + [pr["obs_status"]])
    data.freeze_panes = "A2"
    if content.get("lagging"):
        lag = wb.create_sheet("滞后指标")
        lag.append([label for _, label in XLSX_COLUMNS])
        for r in content["lagging"]:
            pr = disclosure.public_row(r)
            lag.append([neutralise(pr.get(k)) for k, _ in XLSX_COLUMNS])
    if (content.get("measure_check") or {}).get("measures"):
        sheet = wb.create_sheet("举措检查")
        keys = ("unit_name", "measure", "title", "milestone", "status_zh", "pct", "reason", "overdue")
        sheet.append(["责任单位", "举措", "名称", "年度目标", "进展", "完成%", "滞后原因", "逾期"])
        for r in content["measure_check"]["measures"]:
            sheet.append([neutralise("、".join(r[k]) if k == "overdue" else r.get(k)) for k in keys])
    if (content.get("services") or {}).get("rows"):
        _services_sheet(wb.create_sheet("科聚网服务"), content["services"])
    _index_sheets(wb, content.get("index") or {})
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _services_sheet(sheet: Any, services: dict) -> None:
    """The services' figures by zone (numbers as numbers, “—” where undefined), then each column's source."""
    from openpyxl.styles import Font

    sheet.append([f"科聚网服务数据（{services['span']}累计）"])
    sheet.append(["园区代码", "园区"] + [label for _, label, _ in SERVICE_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in services["rows"]:
        sheet.append([r["zone"], r["zone_name"]] + [("—" if r[k] is None else r[k]) for k, _, _ in SERVICE_COLUMNS])
    sheet.append([])
    sheet.append(["指标", "来源与口径"])
    for _, label, src in SERVICE_COLUMNS:
        sheet.append([label, src])
def _index_sheets(wb: Any, index: dict) -> None:
    """The annual report's development index and its statistical audit as sheets (发展指数, 指数审计)."""
    from openpyxl.styles import Font

    from lanbai.core.collection.excel import neutralise

    rows = index.get("rows") or []
    if not rows:
        return
    ws = wb.create_sheet("发展指数")
    ws.append(list(rows[0].keys()))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r in rows:
        ws.append([neutralise(v) for v in r.values()])
    a = index.get("audit")
    if not a:
        return
    au = wb.create_sheet("指数审计")
    imp = {m["indicator"]: m for m in a.get("importance", [])}
    au.append(["维度", "名义权重", "指标数", "Cronbach's α", "第一主成分方差占比"])
    for p in a.get("pillars", []):
        au.append([neutralise(p["name"]), p["effective_weight"], p["children"], p["cronbach_alpha"], p["pc1_share"]])
    au.append([])
    au.append(["指标", "所属维度", "与本维度相关", "相关最高的其他维度", "与其相关", "与总指数相关", "名义权重",
               "重要性占比", "重要性/权重", "提示"])
    for x in a.get("correlations", []):
        m = imp.get(x["indicator"], {})
        au.append([neutralise(x["name"]), neutralise(x["pillar_name"]), x["r_own_pillar"], neutralise(x["other_name"]),
                   x["r_other_pillar"], x["r_index"], m.get("nominal_weight"), m.get("importance_share"),
                   m.get("share_to_weight"), x["flag"]])
    au.append([])
    au.append(["不确定因素", "一阶敏感性指数 S", "总效应指数 ST"])
    for f in a.get("sensitivity", []):
        au.append([neutralise(f["factor"]), f["S_i"], f["ST_i"]])
    au.append([])
    au.append(["各园区得分的主要来源"])
    for p in a.get("paragraphs", []):
        au.append([neutralise(p["text_zh"])])


def _legend_text(content: dict) -> str:
    legend = (content.get("disclosure") or {}).get("legend")
    return f"{legend['symbol']} {legend['zh']}：{legend['rule_zh']}" if legend else ""


def content_diff(old: dict, new: dict) -> list[dict]:
    """What changed between two snapshots, per (period, unit, indicator): value, status, added, removed."""

    def keyed(c: dict) -> dict:
        return {(r["period"], r["org_unit"], r["indicator"]): r for r in c.get("rows", [])}

    a, b = keyed(old), keyed(new)
    out = []
    for key in sorted(set(a) | set(b)):
        ra, rb = a.get(key), b.get(key)
        if (ra and ra.get("suppressed")) or (rb and rb.get("suppressed")):
            # a change of a confidential cell would give its value away: only the fact is recorded
            ra = ra and {**ra, "value": None}
            rb = rb and {**rb, "value": None}
        ref = rb or ra or {}  # (the key comes from one of them)
        base = {
            "period": key[0],
            "org_unit": key[1],
            "org_unit_name": ref["org_unit_name"],
            "indicator": key[2],
            "indicator_name": ref["indicator_name"],
        }
        if ra is None and rb is not None:
            out.append(
                base
                | {
                    "change": "added",
                    "old_value": None,
                    "new_value": rb["value"],
                    "old_status": None,
                    "new_status": rb["status"],
                }
            )
        elif rb is None and ra is not None:
            out.append(
                base
                | {
                    "change": "removed",
                    "old_value": ra["value"],
                    "new_value": None,
                    "old_status": ra["status"],
                    "new_status": None,
                }
            )
        elif ra is not None and rb is not None and (ra["value"] != rb["value"] or ra["status"] != rb["status"]):
            out.append(
                base
                | {
                    "change": "changed",
                    "old_value": ra["value"],
                    "new_value": rb["value"],
                    "old_status": ra["status"],
                    "new_status": rb["status"],
                }
            )
    return out


def _meta(release: Release) -> dict:
    return {
        "number": release.number,
        "title": release.title,
        "kind": release.kind,
        "kind_label": release.get_kind_display(),
        "issued_at": timezone.localtime(release.issued_at).strftime("%Y年%m月%d日")
        if release.issued_at
        else "",
        "status": release.status,
        "supersedes": release.supersedes.number if release.supersedes else "",
        "correction_note": release.correction_note,
        "diff": release.diff,
    }


def _render_files(release: Release, *, progress: Progress) -> None:
    meta = _meta(release)
    survey = release.kind == "survey"
    progress("生成 HTML / rendering HTML")
    release.html = (survey_report.render_survey_html if survey else render_html)(meta, release.content)
    progress("生成 PDF / rendering PDF")
    release.pdf = render_pdf(release.html)
    progress("生成 XLSX / rendering XLSX")
    release.xlsx = (survey_report.render_survey_xlsx if survey else render_xlsx)(meta, release.content)


@transaction.atomic
def release_create(
    *,
    kind: str,
    period: Quarter | str,
    user=None,
    publish: bool = False,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    supersedes: Release | None = None,
    correction_note: str = "",
    confirm_incomplete: bool = False,
) -> Release:
    """Build a numbered release from approved figures and render its files (optionally publish it).

    Only 省创新办 (or the command line, ``user`` None) builds releases; one audit event
    (``release.create``, or ``release.correct`` for a correction).
    """
    require(user, Action.MANAGE_RELEASES, message=MANAGE_MESSAGE)
    step = progress or (lambda _msg: None)
    now = now or timezone.now()
    if kind == "survey":
        step("创新调查估计与保密审查 / survey estimates and disclosure control")
        try:
            content = survey_report.build_survey_content(_survey_year(period), now=now)
        except survey_report.SurveyReportError as exc:
            raise ReleaseError(str(exc)) from exc
    else:
        content = build_content(kind, period, now=now, progress=step, user=user)
    if publish:
        _check_complete(content, confirm_incomplete)
    canon = content["period"]
    year = int(canon[:4])
    seq, number = _next_number(kind, year)
    title = TITLES[kind].format(label=content["label"])
    diff: list[dict] = []
    if supersedes is not None:
        title += "（更正）"
        diff = content_diff(supersedes.content, content)
    release = Release(
        kind=kind,
        number=number,
        year=year,
        seq=seq,
        period=canon,
        title=title,
        status=ReleaseStatus.PUBLISHED if publish else ReleaseStatus.DRAFT,
        issued_at=now if publish else None,
        data_cutoff=dt.datetime.fromisoformat(content["data_cutoff"]),
        approved_count=content["approved_count"],
        pending_count=content["pending_count"],
        content=content,
        supersedes=supersedes,
        correction_note=correction_note,
        diff=diff,
        created_by=getattr(user, "username", "") or "",
    )
    _render_files(release, progress=step)
    step("保存 / saving")
    release.save()
    if supersedes is not None:
        audit(user, "release.correct", release, field="supersedes", old=supersedes.number, new=number,
              reason=correction_note)
    else:
        audit(user, "release.create", release, field="status", new=release.status)
    return release


@transaction.atomic
def release_publish(
    release: Release, *, user=None, now: dt.datetime | None = None, confirm_incomplete: bool = False
) -> Release:
    """Publish a draft: it gets its issue date (files re-rendered so the document shows it).

    An incomplete release needs ``confirm_incomplete`` (:class:`IncompleteReleaseError` names what is missing).
    """
    require(user, Action.MANAGE_RELEASES, message=MANAGE_MESSAGE)
    if release.status == ReleaseStatus.PUBLISHED:
        return release
    _check_complete(release.content, confirm_incomplete)
    release.status = ReleaseStatus.PUBLISHED
    release.issued_at = now or timezone.now()
    _render_files(release, progress=lambda _m: None)
    release.save()
    audit(user, "release.publish", release, field="status", old=ReleaseStatus.DRAFT, new=release.status)
    return release


def release_correct(
    release: Release,
    *,
    note: str,
    user=None,
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    confirm_incomplete: bool = False,
) -> Release:
    """A correction: a new release of the same kind and period from today's approved figures.

    The earlier release stays (downloadable, marked as superseded); the differences are stored.
    """
    require(user, Action.MANAGE_RELEASES, message=MANAGE_MESSAGE)
    if not note.strip():
        raise ReleaseError("note: 更正必须说明原因 / a correction needs a note")
    if not release.is_current:
        raise ReleaseError(f"release: {release.number} 已被更正，请更正最新版本 / already superseded")
    return release_create(
        kind=release.kind,
        period=release.period,
        user=user,
        publish=release.status == ReleaseStatus.PUBLISHED,
        now=now,
        progress=progress,
        supersedes=release,
        correction_note=note,
        confirm_incomplete=confirm_incomplete,
    )


__all__ = [
    "PREFIX",
    "IncompleteReleaseError",
    "ReleaseError",
    "ReleaseKind",
    "approval_status",
    "build_content",
    "content_diff",
    "public_rows",
    "release_correct",
    "release_create",
    "release_publish",
    "render_html",
    "render_pdf",
    "render_xlsx",
]
