"""Read-only views of a loaded plan: every numeric target as rows, and the plan as a tree.

``targets_table`` lists what the plan sets out to reach, each row with its source, its kind (baseline,
target or milestone), its comparator (≥, ≤, =, >, <, or 左右 for an approximate figure) and whether it
is approximate:

* ``targets`` — one row per Target (kind ``target``), preceded by its baseline where the plan states one
  (kind ``baseline``);
* ``annual_series`` — one row per filled cell of an annual table (附件2/3, kind ``milestone``), the indicator name
  followed by the category in brackets unless it is the 合计 row;
* ``period_totals`` — one row per stated total over a span; the span is part of the indicator
  label (``… 2015-2020年合计``) and the year is empty;
* ``phases`` — one row per phase target (六, kind ``milestone``), labelled with the phase; the year is empty;
* ``enterprise_targets`` — a zone's enterprise-count targets (four rows per zone);
* ``industry_plans`` — an industry's platforms / alliances / projects / new products (四（一））;
* ``measures`` — every quantity written in a 专栏 item, named as written;
* ``narrative_figures`` — the current-state figures (kind ``baseline``) and targets of the running text of
  一 and 三, with the unit as written (家, 户, 位 …); the counts of a programme's parts are left to the tree.

The tree (``plan_tree``) is plain nested ``(label, children)`` tuples so that the CLI can render it
with rich and tests can read it without a terminal.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .checks import BANDS, ENTERPRISE_FIELDS, fmt_number
from .schema import CATEGORY_NAMES, Plan

TARGET_COLUMNS = ("org_unit", "indicator", "year", "value", "unit", "source", "kind", "comparator", "approx")
KINDS = ("baseline", "target", "milestone")  # a starting value / an end value / a value on the way
COMPARATOR_SIGNS = {"=": "=", ">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def comparator_sign(comparator: str, approx: bool) -> str:
    """The comparator as the CSV shows it: ≥ ≤ = > <, and 左右 for an approximate plain figure."""
    if approx and comparator == "=":
        return "左右"
    return COMPARATOR_SIGNS.get(comparator, comparator)

INDUSTRY_FIELD_NAMES = {
    "platforms": "创新平台",
    "alliances": "产业技术创新战略联盟",
    "transformation_projects": "重大科技成果转化项目",
    "national_new_products": "国家级重点新产品",
}
INDUSTRY_FIELD_UNITS = {
    "platforms": "个",
    "alliances": "个",
    "transformation_projects": "项",
    "national_new_products": "个",
}
ENTERPRISE_FIELD_NAMES = {
    "enterprises": "企业总数",
    "industrial": "工业企业",
    "above_scale_industrial": "规模以上工业企业",
    "high_tech": "高新技术企业",
}


@dataclass(frozen=True)
class TargetRow:
    """One numeric target: who, what (as the plan names it), when, how much, in what, and where written."""

    org_unit: str
    indicator: str
    year: int | None
    value: float
    unit: str
    source: str
    section: str  # which section of the data it comes from (targets, annual_series, …)
    kind: str = "target"  # baseline | target | milestone
    comparator: str = "="  # as the plan writes it (>=, <=, =, >, <)
    approx: bool = False  # 左右

    def as_csv_row(self) -> list[str]:
        return [
            self.org_unit,
            self.indicator,
            "" if self.year is None else str(self.year),
            fmt_number(self.value),
            self.unit,
            self.source,
            self.kind,
            comparator_sign(self.comparator, self.approx),
            "true" if self.approx else "false",
        ]


def targets_table(plan: Plan) -> list[TargetRow]:
    """Every numeric target of the plan, in the order of the data (see the module docstring)."""
    units = {u.code: u.name for u in plan.org_units}
    inds = {i.code: i for i in plan.indicators}
    root = units.get(plan.plan.root_unit, plan.plan.root_unit)

    def iname(code: str) -> str:
        return inds[code].name if code in inds else code

    def iunit(code: str) -> str:
        return inds[code].unit if code in inds else ""

    rows: list[TargetRow] = []
    for t in plan.targets:
        unit, name = units.get(t.org_unit, t.org_unit), t.label or iname(t.indicator)
        written = t.unit or iunit(t.indicator)  # the measure word as this source writes it
        if t.baseline is not None:
            b = t.baseline
            rows.append(
                TargetRow(unit, name, b.year, b.value, written, t.source, "targets", "baseline",
                          b.comparator, b.approx)
            )  # fmt: skip
        rows.append(
            TargetRow(unit, name, t.target.year, t.target.value, written, t.source, "targets", "target",
                      t.target.comparator, t.target.approx)
        )  # fmt: skip
    for s in plan.annual_series:
        label = iname(s.indicator) + ("" if s.category == "total" else f"（{CATEGORY_NAMES[s.category]}）")
        for year in sorted(s.values):
            rows.append(
                TargetRow(units.get(s.org_unit, s.org_unit), label, year, s.values[year], iunit(s.indicator), s.source,
                          "annual_series", "milestone")
            )  # fmt: skip
    for p in plan.period_totals:
        cat = "" if p.category == "total" else f"（{CATEGORY_NAMES[p.category]}）"
        span = f"{p.from_year}年" if p.from_year == p.to_year else f"{p.from_year}-{p.to_year}年"
        rows.append(
            TargetRow(units.get(p.org_unit, p.org_unit), f"{iname(p.indicator)}{cat} {span}合计", None, p.value,
                      iunit(p.indicator), p.source, "period_totals", "target", p.comparator, p.approx)
        )  # fmt: skip
    for ph in plan.phases:
        for pt in ph.targets:
            rows.append(
                TargetRow(units.get(pt.org_unit, pt.org_unit), f"{pt.name}（{ph.name}）", None, pt.figure.value,
                          pt.figure.unit, pt.figure.source, "phases", "milestone", pt.figure.comparator,
                          pt.figure.approx)
            )  # fmt: skip
    for u in plan.org_units:
        et = u.enterprise_targets
        if et is None:
            continue
        for fld, name in ENTERPRISE_FIELD_NAMES.items():
            if _also_a_target(plan, u.code, et.year, et.source, getattr(et, fld), ENTERPRISE_FIELDS[fld][1]):
                continue  # the same figure is also a Target record: list it once
            rows.append(
                TargetRow(u.name, name, et.year, getattr(et, fld), "户", et.source, "enterprise_targets")
            )
    for ip in plan.industry_plans:
        for fld, name in INDUSTRY_FIELD_NAMES.items():
            v = getattr(ip, fld)
            if v is not None:
                rows.append(
                    TargetRow(root, f"{ip.name}：{name}", plan.plan.end_year, v, INDUSTRY_FIELD_UNITS[fld], ip.source,
                              "industry_plans")
                )  # fmt: skip
    # a layout programme's item quantities (专栏5 园区 8个, 专栏6/8 …) belong to the zone the programme is about
    unit_of = {p.code: units.get(p.org_unit, p.org_unit) for p in plan.programmes if p.org_unit}
    for m in plan.measures:
        who = unit_of.get(m.programme or "", root)
        for q in m.targets:
            rows.append(
                TargetRow(who, q.name, q.year, q.value, q.unit, m.source, "measures", "target", q.comparator, q.approx)
            )
    for f in plan.narrative_figures:
        if f.kind == "composition":  # how many parts a programme has: shown by plan show, not a target
            continue
        who = units.get(f.org_unit, f.org_unit) if f.org_unit else f.subject
        rows.append(
            TargetRow(who, f.name, f.year, f.value, f.unit, f.source, "narrative_figures", f.kind, f.comparator,
                      f.approx)
        )  # fmt: skip
    return rows


def _also_a_target(plan: Plan, unit: str, year: int, source: str, value: float, pattern: str) -> bool:
    inds = {i.code: i for i in plan.indicators}
    for t in plan.targets:
        ind = inds.get(t.indicator)
        if (t.org_unit, t.target.year, t.source, t.target.value) != (
            unit,
            year,
            source,
            value,
        ) or ind is None:
            continue
        if any(re.search(pattern, n) for n in (t.label, ind.name, *ind.aliases) if n):
            return True
    return False


# a tree node: (label, children)
Node = tuple[str, list["Node"]]

FIGURES_LABEL = "规划数字 / figures"


def unit_figures(plan: Plan) -> dict[str, list[str]]:
    """The figures written about each unit outside the indicator tables, one line each with its source.

    * the quantities of the 专栏 items of a layout programme (专栏5 园区 8个 …), under the unit the
      programme is about (``Programme.org_unit``), not under the pilot zone;
    * the 合计 rows of 附件4 (a blank band printed empty, not 0);
    * the narrative figures of 一 and 三 (现有企业4674户 …), under their ``org_unit``.
    """
    out: dict[str, list[str]] = {}
    unit_of = {p.code: p.org_unit for p in plan.programmes if p.org_unit}
    for m in plan.measures:
        unit = unit_of.get(m.programme or "")
        if unit is None:
            continue
        where = f"{m.source}-{m.item}" if m.item else m.source
        for q in m.targets:
            sign = "" if q.comparator == "=" else COMPARATOR_SIGNS.get(q.comparator, q.comparator)
            out.setdefault(unit, []).append(
                f"{q.name} {sign}{fmt_number(q.value)}{q.unit}{'左右' if q.approx else ''}（{where}）"
            )
    for ct in plan.cluster_totals:  # 附件4's 合计 rows: a band the seed leaves blank is printed empty
        parts = []
        if ct.counts is not None:
            cells = ct.counts.model_dump()
            parts.append("、".join(f"{name}={'' if cells[b] is None else cells[b]}" for b, name in BANDS.items()))
        if ct.total is not None:
            parts.append(f"2015-2020年合计 {ct.total}")
        if parts:
            out.setdefault(ct.zone, []).append(f"附件4 集群 合计 {'；'.join(parts)}（{ct.source}）")
    for f in plan.narrative_figures:
        if f.org_unit is None:
            continue
        when = f"{f.from_year}-{f.year}年 " if f.from_year else (f"{f.year}年 " if f.year else "")
        shown = f.as_written
        if not re.search(r"\d", shown):  # 五园, 三大, 百家: the number as well
            shown += f" = {fmt_number(f.value)}{f.unit}"
        out.setdefault(f.org_unit, []).append(f"{when}{f.name} {shown}（{f.source}）")
    return out


def _figures_node(lines: list[str]) -> list[Node]:
    return [(f"{FIGURES_LABEL}（{len(lines)}）", [(line, []) for line in lines])] if lines else []


def plan_tree(plan: Plan, *, on: dt.date | None = None) -> Node:
    """The plan as a tree: organisation (units with parks and industries), indicators, programmes."""
    day = on or dt.date(plan.plan.end_year, 12, 31)

    figures = unit_figures(plan)

    def unit_node(code: str, seen: frozenset[str]) -> Node:
        u = plan.unit(code)
        label = f"{u.name} [{u.code}]"
        if u.leading_industries:
            label += " — " + "、".join(u.leading_industries)
        if u.valid_to is not None or u.valid_from.year > plan.plan.start_year:
            label += f" ({u.valid_from}–{u.valid_to or ''})"
        kids = _figures_node(figures.get(code, []))
        kids += [unit_node(c.code, seen | {code}) for c in plan.children(code, day) if c.code not in seen]
        return (label, kids)

    org: list[Node] = []
    if any(u.code == plan.plan.root_unit for u in plan.org_units):
        org.append(unit_node(plan.plan.root_unit, frozenset()))
    for u in plan.org_units:
        if u.kind == "aggregate":
            names = "、".join(plan.unit(m).name for m in u.members)
            org.append((f"{u.name} [{u.code}] = {names}", _figures_node(figures.get(u.code, []))))

    indicators: list[Node] = []
    by_ind: dict[str, list[str]] = {}
    for t in plan.targets:
        base = f"{t.baseline.year}年 {fmt_number(t.baseline.value)} → " if t.baseline else ""
        growth = (
            f"，年均增长{fmt_number(t.stated_annual_growth_pct)}%"
            if t.stated_annual_growth_pct is not None
            else ""
        )
        unit_name = plan.unit(t.org_unit).name
        by_ind.setdefault(t.indicator, []).append(
            f"{unit_name}: {base}{t.target.year}年 {fmt_number(t.target.value)}{growth}（{t.source}）"
        )
    for i in plan.indicators:
        lines = by_ind.get(i.code, [])
        indicators.append((f"{i.name}（{i.unit}） [{i.code}]", [(line, []) for line in lines]))

    counts: dict[str | None, int] = {}
    for m in plan.measures:
        counts[m.programme] = counts.get(m.programme, 0) + 1
    industries: dict[str, list[str]] = {}
    for ip in plan.industry_plans:
        industries.setdefault(ip.programme, []).append(ip.name)
    programmes: list[Node] = []
    for group in dict.fromkeys(p.group for p in plan.programmes):  # groups in the order of the data
        kids: list[Node] = []
        for p in sorted((p for p in plan.programmes if p.group == group), key=lambda p: p.order):
            cols = "、".join(f"专栏{c}" for c in p.columns)
            label = f"{p.name} — {counts.get(p.code, 0)}项措施" + (f"（{cols}）" if cols else "")
            kids.append((label, [(n, []) for n in industries.get(p.code, [])]))
        programmes.append((group, kids))
    if counts.get(None):
        programmes.append((f"未归入计划的措施 — {counts[None]}项", []))

    meta = plan.plan
    span = f"{meta.start_year}-{meta.end_year}"
    title = meta.name + ("" if span in meta.name else f"（{span}年）") + f" — 基期{meta.baseline_year}年"
    return (
        title,
        [
            (f"组织 / organisation（{day}）", org),
            (f"指标 / indicators（{len(plan.indicators)}）", indicators),
            (f"计划、工程与改革 / programmes（{len(plan.programmes)}）", programmes),
        ],
    )
