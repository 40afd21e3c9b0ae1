"""创新调查报告: the annual innovation survey report's content, disclosure control, chart, HTML and XLSX.

The cells are design-based estimates (:mod:`lanbai.core.survey`: stratified, non-response re-weighted within
strata) for the pilot zone, each zone and each size band, with standard error and 95 % confidence interval.

Disclosure control (the statistical releases' rules, :mod:`lanbai.core.disclosure`, thresholds from the plan):

* primary: a cell with fewer than ``min_contributors`` responding enterprises (threshold rule), and for the
  expenditure totals the (n, k) dominance rule on the respondents' weighted contributions;
* secondary: every indicator is a total over enterprises (a share times the domain's population is the
  estimated number of enterprises), and 试验区 = Σ zones = Σ size bands, so complementary cells are hidden
  (``secondary_suppression``) in the zone table and in the size-band table, so no suppressed cell can be
  derived from the pilot zone's figure;
* a suppressed cell shows × (its value, SE and interval are never stored in the public view); if a table
  cannot be protected, all its zone / band cells are suppressed (failing safe).
"""

from __future__ import annotations

import datetime as dt
import io
from html import escape
from typing import Any, Literal

import pandas as pd
from django.template.loader import render_to_string
from django.utils import timezone

from lanbai.core.disclosure import (
    CONFIDENTIAL,
    DisclosureError,
    assess_cells,
    rules_from_plan,
    secondary_suppression,
)
from lanbai.core.survey.estimation import Estimate, estimate, estimate_by_domain
from lanbai.core.survey.indicators import derived_variables
from lanbai.monitoring.selectors import plan_core
from lanbai.survey import selectors as survey_selectors

ALL = "lanbai"
ALL_NAME = "兰白试验区"
HIDDEN = ("value", "se", "ci_low", "ci_high", "value_s", "se_s", "ci_s")


class SurveyReportError(ValueError):
    """The survey report cannot be built (no round, no submitted questionnaire)."""


def _band_name(band: str) -> str:
    if band == "census":
        return "300 人及以上（全面调查）"
    return f"{band.replace('-', '–')} 人"


def _spec(qn: Any) -> list[tuple[str, str, str, str, Literal["total", "proportion"]]]:
    """(code, table, label, unit, kind) of every published indicator."""
    out: list[tuple[str, str, str, str, Literal["total", "proportion"]]] = [
        ("innovative", "innovation", "创新型企业占比", "%", "proportion"),
        ("product_innovator", "innovation", "实现产品创新的企业占比", "%", "proportion"),
        ("process_innovator", "innovation", "实现业务流程创新的企业占比", "%", "proportion"),
        ("expenditure", "expenditure", "创新经费支出合计", "万元", "total"),
        ("coop_any", "cooperation", "开展创新合作的企业占比", "%", "proportion"),
    ]
    try:
        partners = qn.question("coop_partners").options
    except KeyError:
        partners = ()
    out += [(f"coop_{k}", "cooperation", f"与{label}合作的企业占比", "%", "proportion") for k, label in partners]
    out += [
        (f"{q.id}_high", "obstacles", f"认为「{q.text}」影响高的企业占比", "%", "proportion")
        for q in qn.questions
        if q.type == "scale"
    ]
    return out


TABLES = (
    ("innovation", "表1 创新型企业"),
    ("expenditure", "表2 创新经费支出"),
    ("cooperation", "表3 创新合作"),
    ("obstacles", "表4 创新障碍"),
)


def _variables(qn: Any, answers: dict[str, Any]) -> dict[str, float]:
    out = derived_variables(qn, answers)
    out["coop_any"] = float(answers.get("coop_any") is True)
    for k in answers.get("coop_partners") or []:
        out[f"coop_{k}"] = 1.0
    return out


def _fmt(v: float | None, unit: str) -> str:
    if v is None or v != v:
        return "—"
    return f"{100 * v:.1f}%" if unit == "%" else f"{v:,.1f}"


def _cell(code, table, label, unit, kind, dkind, domain, dname, est: Estimate | None, respondents, population):
    value = None if est is None else est.value
    row = {
        "table": table,
        "indicator": code,
        "label": label,
        "unit": unit,
        "kind": kind,
        "domain_kind": dkind,
        "domain": domain,
        "domain_name": dname,
        "respondents": int(respondents),
        "population": int(population),
        "value": None if value is None or value != value else float(value),
        "se": None if est is None or est.se != est.se else float(est.se),
        "ci_low": None if est is None or est.ci_low != est.ci_low else float(est.ci_low),
        "ci_high": None if est is None or est.ci_high != est.ci_high else float(est.ci_high),
        "suppressed": False,
    }
    return row


def build_survey_content(year: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """The JSON snapshot of the survey report of ``year`` (every cell carries ``suppressed``)."""
    try:
        rnd, units, answers = survey_selectors.responses_for_report(year)
    except Exception as exc:  # NotFoundError: no round
        raise SurveyReportError(f"period: {year} 年创新调查尚未抽样 / no survey round for {year}") from exc
    if not answers:
        raise SurveyReportError(f"period: {year} 年创新调查没有已提交的问卷 / no submitted questionnaire for {year}")
    qn = survey_selectors.questionnaire()
    spec = _spec(qn)
    rows = []
    for u in units:
        a = answers.get(str(u.enterprise_id))
        band = u.stratum.split("|", 1)[1]
        rows.append(
            {
                "unit": str(u.enterprise_id),
                "stratum": u.stratum,
                "N_h": u.population,
                "zone": u.zone.code,
                "zone_name": u.zone.name,
                "band": band,
                "responded": a is not None,
                **(_variables(qn, a) if a is not None else {}),
            }
        )
    frame = pd.DataFrame(rows)
    for code, *_ in spec:
        if code not in frame:
            frame[code] = 0.0
        frame.loc[frame["responded"], code] = frame.loc[frame["responded"], code].fillna(0.0)
    strata = frame.drop_duplicates("stratum")
    zones = dict(frame[["zone", "zone_name"]].drop_duplicates().itertuples(index=False, name=None))
    bands = sorted(frame["band"].unique(), key=lambda b: (b == "census", int(b.split("-")[0]) if b != "census" else 0))
    resp = frame[frame["responded"]]
    # the weight of a respondent: N_h / r_h (non-response re-weighting within strata)
    r_h = resp.groupby("stratum").size()
    weight = resp["stratum"].map(strata.set_index("stratum")["N_h"] / r_h)
    cells: list[dict[str, Any]] = []
    opts: dict[str, Any] = {"lonely": "certainty", "empty_stratum": "exclude"}
    pop_zone = strata.groupby("zone")["N_h"].sum()
    for code, table, label, unit, kind in spec:
        cells.append(_cell(code, table, label, unit, kind, "all", ALL, ALL_NAME, estimate(frame, code, kind=kind, **opts),
                           len(resp), strata["N_h"].sum()))
        by_zone = estimate_by_domain(frame, code, domain="zone", kind=kind, **opts)
        for z, zname in sorted(zones.items()):
            cells.append(_cell(code, table, label, unit, kind, "zone", z, zname, by_zone.get(z),
                               (resp["zone"] == z).sum(), pop_zone.get(z, 0)))
        by_band = estimate_by_domain(frame, code, domain="band", kind=kind, **opts)
        for b in bands:
            # a band's population: the strata of the band (every stratum is one zone × one band)
            pop = strata.loc[strata["band"] == b, "N_h"].sum()
            cells.append(_cell(code, table, label, unit, kind, "band", b, _band_name(b), by_band.get(b),
                               (resp["band"] == b).sum(), pop))
    micro = resp.assign(w=weight)
    summary = _protect(cells, micro, spec)
    done = [u.response.submitted_at for u in units if str(u.enterprise_id) in answers and u.response.submitted_at]
    latest = max(done) if done else (now or timezone.now())
    drafts = sum(1 for u in units if survey_selectors.has_response(u) and u.response.state != "submitted")
    headline = {c["indicator"]: c for c in cells if c["domain"] == ALL}
    return {
        "kind": "survey",
        "period": str(year),
        "label": f"{year}年",
        "year": year,
        "rows": [],  # no monitoring rows: the survey's cells are in "cells"
        "cells": cells,
        "tables": [{"code": t, "title": title} for t, title in TABLES],
        "zones": [{"code": z, "name": n} for z, n in sorted(zones.items())],
        "bands": [{"code": b, "name": _band_name(b)} for b in bands],
        "headline": [headline[c] for c in ("innovative", "product_innovator", "process_innovator", "expenditure",
                                           "coop_any") if c in headline],
        "design": {
            "frame_size": rnd.frame_size,
            "sample_size": len(units),
            "respondents": len(answers),
            "drafts": drafts,
            "response_rate": len(answers) / len(units) if units else None,
            "strata": int(len(strata)),
            "questionnaire_version": rnd.questionnaire_version,
            "census_min_employees": rnd.design.get("census_min_employees"),
            "sampling_fraction": rnd.design.get("sampling_fraction"),
            "seed": rnd.seed,
        },
        "simulated": rnd.is_simulated,
        "approved_count": len(answers),
        "pending_count": len(units) - len(answers),
        "data_cutoff": latest.isoformat(),
        "data_cutoff_label": timezone.localtime(latest).strftime("%Y-%m-%d %H:%M"),
        "stage": "final",
        "stage_label": "终",
        "missing_text": "",
        "disclosure": summary,
    }


def _protect(cells: list[dict], micro: pd.DataFrame, spec) -> dict[str, Any]:
    """Set ``suppressed`` on every cell (in place): threshold and dominance, then complements per table."""
    _, plan, _ = plan_core()
    rules = rules_from_plan(plan)
    summary: dict[str, Any] = {
        "rules": {"min_contributors": rules.min_contributors, "dominance_n": rules.dominance_n,
                  "dominance_k": rules.dominance_k},
        "legend": CONFIDENTIAL.legend(rules),
        "primary": 0,
        "suppressed": 0,
        "method": "secondary",
    }
    primary_ids: set[int] = set()
    for dkind in ("zone", "band"):
        part = [c for c in cells if c["domain"] == ALL or c["domain_kind"] == dkind]
        leaves = sorted({c["domain"] for c in part if c["domain_kind"] == dkind})
        table = pd.DataFrame(
            [{"domain": c["domain"], "indicator": c["indicator"],
              "value": (c["value"] or 0.0) * (c["population"] if c["kind"] == "proportion" else 1.0)} for c in part]
        )
        contrib = []
        for code, *_ in spec:
            for r in micro.itertuples(index=False):
                contrib.append({"domain": getattr(r, dkind), "indicator": code, "enterprise": r.unit,
                                "value": float(getattr(r, code) or 0.0) * float(r.w)})  # type: ignore[arg-type]
        contributions = pd.DataFrame(contrib, columns=["domain", "indicator", "enterprise", "value"])
        hier = {"domain": {ALL: leaves}}
        try:
            verdict = assess_cells(table, contributions=contributions, keys=["domain", "indicator"],
                                   contributor="enterprise", hierarchies=hier, rules=rules)
            few = pd.Series([c["respondents"] < rules.min_contributors for c in part], index=table.index)
            totals = pd.Series([c["kind"] == "total" for c in part], index=table.index)
            primary = few | (verdict["primary"] & totals)
            singletons = pd.Series([c["respondents"] == 1 for c in part], index=table.index)
            hidden = secondary_suppression(table, primary=primary, keys=["domain", "indicator"], hierarchies=hier,
                                           rules=rules, singletons=singletons)
            primary_ids.update(id(c) for c, p in zip(part, primary, strict=True) if p)
        except DisclosureError as exc:  # fail safe
            hidden = pd.Series([c["domain"] != ALL for c in part], index=table.index)
            summary["method"] = f"all suppressed: {exc}"
        for c, h in zip(part, hidden, strict=True):
            if h:
                c["suppressed"] = True
    summary["primary"] = len(primary_ids)
    summary["suppressed"] = sum(1 for c in cells if c["suppressed"])
    return summary


def public_cell(cell: dict) -> dict:
    """A cell as the public sees it: value, SE and interval emptied where suppressed, shown figures formatted."""
    out = dict(cell)
    if cell.get("suppressed"):
        for f in HIDDEN:
            out[f] = None
        out["obs_status"] = CONFIDENTIAL.obs_status
        out["value_s"] = out["se_s"] = out["ci_s"] = CONFIDENTIAL.symbol
        out["respondents"] = None  # a count below the threshold would tell primary from complementary cells
    else:
        out["obs_status"] = ""
        out["value_s"] = _fmt(cell["value"], cell["unit"])
        out["se_s"] = _fmt(cell["se"], cell["unit"])
        out["ci_s"] = f"{_fmt(cell['ci_low'], cell['unit'])} – {_fmt(cell['ci_high'], cell['unit'])}"
    out["unit_s"] = "" if cell["unit"] == "%" else cell["unit"]
    return out


def headline_section(content: dict) -> list[dict]:
    """The headline cells of a survey report for the annual evaluation report (public view)."""
    return [public_cell(c) for c in content.get("headline", [])]


PALETTE = ("#0b5394", "#b3261e")  # as lanbai.web.charts (contrast >= 4.5:1 on white)
TEXT, GRID = "#1b1b1b", "#d0d0d0"


def share_chart(cells: list[dict], *, indicator: str = "innovative", note: str = "") -> str:
    """Horizontal bars: the share of ``indicator`` per zone and for the pilot zone, with the 95 % interval as a
    whisker; a suppressed cell draws no bar and shows × (the value is not in the SVG)."""
    rows = [public_cell(c) for c in cells if c["indicator"] == indicator and c["domain_kind"] in ("all", "zone")]
    title = f"{rows[0]['label'] if rows else indicator}（95% 置信区间）"
    width, left, right, top, bar = 640, 150, 40, 40, 22
    height = top + len(rows) * (bar + 12) + 50
    pw = width - left - right
    hi = max([1e-9] + [r["ci_high"] or 0 for r in rows] + [r["value"] or 0 for r in rows])
    hi = min(1.0, max(0.1, ((hi * 10) // 1 + 1) / 10))

    def x(v: float) -> float:
        return left + max(0.0, min(v, hi)) / hi * pw

    desc = "；".join(f"{r['domain_name']} {r['value_s']}" for r in rows)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-labelledby="survey-chart-t survey-chart-d" class="chart" '
        f"style=\"max-width:{width}px;font-family:'Noto Sans CJK SC',sans-serif\">",
        f'<title id="survey-chart-t">{escape(title)}</title><desc id="survey-chart-d">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{left}" y="20" font-size="14" font-weight="700" fill="{TEXT}">{escape(title)}</text>',
    ]
    if note:
        out.append(f'<text x="{width - right}" y="20" font-size="12" font-weight="700" text-anchor="end" '
                   f'fill="{PALETTE[1]}" class="chart-note">{escape(note)}</text>')
    axis_y = top + len(rows) * (bar + 12)
    for k in range(0, 6):
        t = hi * k / 5
        out.append(f'<line x1="{x(t):.1f}" x2="{x(t):.1f}" y1="{top}" y2="{axis_y}" stroke="{GRID}"/>'
                   f'<text x="{x(t):.1f}" y="{axis_y + 16}" font-size="11" text-anchor="middle" fill="{TEXT}">'
                   f"{100 * t:.0f}%</text>")
    for i, r in enumerate(rows):
        y = top + i * (bar + 12) + 6
        out.append(f'<text x="{left - 8}" y="{y + bar / 2 + 4:.1f}" font-size="12" text-anchor="end" '
                   f'fill="{TEXT}">{escape(r["domain_name"])}</text>')
        if r["suppressed"] or r["value"] is None:
            out.append(f'<text x="{left + 6}" y="{y + bar / 2 + 5:.1f}" font-size="14" fill="{TEXT}" '
                       f'class="suppressed-mark">{escape(r["value_s"])}<title>{escape(r["domain_name"])}: '
                       f'{escape(CONFIDENTIAL.legend_zh)}</title></text>')
            continue
        colour = PALETTE[0] if r["domain_kind"] == "zone" else PALETTE[1]
        out.append(f'<rect x="{left}" y="{y}" width="{x(r["value"]) - left:.1f}" height="{bar}" fill="{colour}">'
                   f'<title>{escape(r["domain_name"])}: {escape(r["value_s"])}（{escape(r["ci_s"])}）</title></rect>')
        if r["ci_low"] is not None and r["ci_high"] is not None:
            lo, hi_ = x(r["ci_low"]), x(r["ci_high"])
            cy = y + bar / 2
            out.append(f'<line x1="{lo:.1f}" x2="{hi_:.1f}" y1="{cy:.1f}" y2="{cy:.1f}" stroke="{TEXT}" stroke-width="1.5"/>'
                       f'<line x1="{lo:.1f}" x2="{lo:.1f}" y1="{cy - 5:.1f}" y2="{cy + 5:.1f}" stroke="{TEXT}"/>'
                       f'<line x1="{hi_:.1f}" x2="{hi_:.1f}" y1="{cy - 5:.1f}" y2="{cy + 5:.1f}" stroke="{TEXT}"/>')
        out.append(f'<text x="{x(r["ci_high"] or r["value"]) + 6:.1f}" y="{y + bar / 2 + 4:.1f}" font-size="11" '
                   f'fill="{TEXT}">{escape(r["value_s"])}</text>')
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{axis_y}" stroke="{TEXT}"/>'
               f'<line x1="{left}" x2="{left + pw}" y1="{axis_y}" y2="{axis_y}" stroke="{TEXT}"/>')
    out.append(f'<text x="{left + pw / 2:.1f}" y="{axis_y + 34}" font-size="12" text-anchor="middle" '
               f'fill="{TEXT}" class="axis-label">企业占比（%）</text>')
    out.append("</svg>")
    return "".join(out)


def _tables(content: dict) -> list[dict]:
    """The report's tables for the templates: per table, per indicator, the cells by domain (public view)."""
    out = []
    for t in content["tables"]:
        inds: dict[str, dict] = {}
        for c in content["cells"]:
            if c["table"] != t["code"]:
                continue
            e = inds.setdefault(c["indicator"], {"label": c["label"], "unit": c["unit"], "cells": []})
            e["cells"].append(public_cell(c))
        out.append({"title": t["title"], "indicators": list(inds.values())})
    return out


def render_survey_html(meta: dict, content: dict) -> str:
    """The survey report as a standalone HTML document (also the PDF's input)."""
    note = "模拟数据" if content.get("simulated") else ""
    return render_to_string(
        "reports/survey_document.html",
        {"r": meta, "c": content, "tables": _tables(content), "chart": share_chart(content["cells"], note=note),
         "headline": headline_section(content), "design": content["design"],
         "rate_s": _fmt(content["design"]["response_rate"], "%")},
    )


XLSX_COLUMNS = [
    ("table", "表"),
    ("indicator", "指标代码"),
    ("label", "指标"),
    ("unit", "计量单位"),
    ("domain_kind", "分组"),
    ("domain", "分组代码"),
    ("domain_name", "分组名称"),
    ("value", "估计值"),
    ("se", "标准误"),
    ("ci_low", "95%置信区间下限"),
    ("ci_high", "95%置信区间上限"),
    ("respondents", "回答企业数"),
    ("population", "总体企业数"),
]


def render_survey_xlsx(meta: dict, content: dict) -> bytes:
    """The survey report's cells as a workbook: 说明 (number, design, response, legend) and 数据 (every cell;
    a suppressed cell's value, SE and interval empty, obs_status C)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from lanbai.core.collection.excel import neutralise

    d = content["design"]
    legend = content["disclosure"]["legend"]
    wb = Workbook()
    ws = wb.active
    ws.title = "说明"
    for k, v in (
        ("文号", meta["number"]),
        ("标题", meta["title"]),
        ("发布时间", meta.get("issued_at") or "未发布（草稿）"),
        ("数据截止时间", content["data_cutoff"]),
        ("抽样框企业数", d["frame_size"]),
        ("样本企业数", d["sample_size"]),
        ("回答企业数", d["respondents"]),
        ("口径", "分层抽样估计，层内按回答企业调整无回答权数；比例为企业数占比；95%置信区间为估计值±1.96倍标准误"),
        ("数据性质", "模拟数据" if content.get("simulated") else ""),
        ("保密标识", f"{legend['symbol']} {legend['zh']}：{legend['rule_zh']}"),
    ):
        ws.append([neutralise(k), neutralise(v)])
    data = wb.create_sheet("数据")
    data.append([label for _, label in XLSX_COLUMNS] + ["obs_status"])
    for cell in data[1]:
        cell.font = Font(bold=True)
    for c in content["cells"]:
        pc = public_cell(c)
        data.append([neutralise(pc.get(k)) for k, _ in XLSX_COLUMNS] + [pc["obs_status"]])
    data.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
