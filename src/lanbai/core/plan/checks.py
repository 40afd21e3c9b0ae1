"""Consistency checks of the plan's own figures against each other.

The plan states many figures twice: a table's 合计 row and its cells, a zone's rows and the 4区合计
row, annual tables and their 2015-2020年合计, the phases of 六 and the goals of 二（四）, the industry
paragraphs of 四（一） and the 专栏 that add them up.  :func:`check_plan` recomputes every such
relation from the data and returns a :class:`Finding` wherever two sources disagree.

Every check works from the data only: figures are linked through indicator codes, organisation
codes (an aggregate unit's ``members``), categories, years and the indicator *names* as written in
the plan (for the few links the schema carries no code for, see ``INDUSTRY_FIELDS``,
``ENTERPRISE_FIELDS`` and ``CLUSTER_BANDS``).  No plan number is written in this module.

Policies (documented, never silent):

* Comparison.  ``approx`` figures (左右) agree when within ``approx_tolerance_pct`` % of the stated
  value; plain figures (``=``) must agree exactly (to 1e-9 relative); ``>=`` (以上) is satisfied by
  any value not below it, ``>`` (超过) by a value above it, ``<=`` / ``<`` likewise.  A satisfied
  comparator gives no finding.
* Empty cells.  A year missing from an annual row is a cell the plan leaves empty and counts as 0
  in sums, as long as the row exists.  If a whole row is missing, nothing is summed: the check says
  so with an ``info`` finding.
* Units.  A figure whose unit differs from the indicator's unit by a 万 prefix (万人 vs 人, 万亿元 vs
  亿元) is converted; any other unit mismatch is an ``info`` finding, not a comparison.
* The pilot zone and 4区合计.  Where the plan states a figure for a unit that has no annual rows of
  its own (e.g. the whole pilot zone in 二（四） or 六), it is compared with the rows of the
  aggregate unit whose members are exactly that unit's zones (4区合计), and the finding says so.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from .schema import CATEGORY_NAMES, AnnualSeries, Indicator, Plan

Severity = Literal["warning", "info"]

_COMPARATOR_TEXT = {"=": "", ">=": "以上", ">": "（超过）", "<=": "（不超过）", "<": "（低于）"}


@dataclass(frozen=True)
class Finding:
    """Two figures of the plan that should agree and do not.

    ``stated`` is the figure as written at the first source named in ``where``; ``computed`` is the
    figure recomputed from (or stated at) the second source.  ``difference = computed - stated``.
    ``computed`` is None only for ``info`` findings that report a comparison that could not be made.
    """

    check: str
    what: str
    where: str
    stated: float
    computed: float | None
    unit: str
    comparator: str = "="
    approx: bool = False
    severity: Severity = "warning"
    note: str | None = None

    @property
    def difference(self) -> float | None:
        return None if self.computed is None else self.computed - self.stated

    @property
    def difference_pct(self) -> float | None:
        """Difference as a percentage of the stated figure (None when stated is 0)."""
        d = self.difference
        if d is None or self.stated == 0:
            return None
        return d / abs(self.stated) * 100

    @property
    def stated_text(self) -> str:
        text = fmt_number(self.stated) + _COMPARATOR_TEXT.get(self.comparator, self.comparator)
        return text + ("左右" if self.approx else "")

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["difference"] = self.difference
        out["difference_pct"] = self.difference_pct
        return out


@dataclass(frozen=True)
class CheckOptions:
    approx_tolerance_pct: float = 5.0
    growth_tolerance_pp: float = 0.1


@dataclass(frozen=True)
class Check:
    """A registered check: a name (used in summaries and ``checks=``), a title and its function."""

    name: str
    title: str
    func: Callable[[_Context], Iterable[Finding]]


CHECKS: list[Check] = []


def register(name: str, title: str) -> Callable[[Callable[[_Context], Iterable[Finding]]], Any]:
    """Decorator adding a check function to :data:`CHECKS` (the order of registration is kept)."""

    def deco(func: Callable[[_Context], Iterable[Finding]]) -> Callable[[_Context], Iterable[Finding]]:
        if any(c.name == name for c in CHECKS):
            raise ValueError(f"a check named {name!r} is already registered")
        CHECKS.append(Check(name, title, func))
        return func

    return deco


def check_plan(
    plan: Plan,
    *,
    approx_tolerance_pct: float = 5.0,
    growth_tolerance_pp: float = 0.1,
    checks: Sequence[str] | None = None,
) -> list[Finding]:
    """Run the consistency checks on a loaded plan and return every finding, in check order.

    Parameters
    ----------
    plan
        a plan returned by :func:`lanbai.core.plan.load_plan`.
    approx_tolerance_pct
        relative tolerance (in %) within which a 左右 figure agrees with a computed one.
    growth_tolerance_pp
        tolerance (in percentage points) between a stated annual growth and the recomputed one.
    checks
        names of the checks to run (default: all of :data:`CHECKS`).
    """
    if not isinstance(plan, Plan):
        raise TypeError(f"plan must be a Plan (from load_plan), got {type(plan).__name__}")
    for pname, value in (
        ("approx_tolerance_pct", approx_tolerance_pct),
        ("growth_tolerance_pp", growth_tolerance_pp),
    ):
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or value < 0
        ):
            raise ValueError(f"{pname} must be a finite number >= 0, got {value!r}")
    known = {c.name for c in CHECKS}
    if checks is not None:
        unknown = [c for c in checks if c not in known]
        if unknown:
            raise ValueError(f"checks: unknown check(s) {unknown}; known: {sorted(known)}")
    ctx = _Context(plan, CheckOptions(float(approx_tolerance_pct), float(growth_tolerance_pp)))
    out: list[Finding] = []
    for check in CHECKS:
        if checks is None or check.name in checks:
            out.extend(_boundary(f) for f in check.func(ctx))
    return out


def _boundary(f: Finding) -> Finding:
    """A figure exactly on a strict bound (800 vs 超过800) is an ``info`` finding, not a warning."""
    if (
        f.comparator in (">", "<")
        and f.computed is not None
        and math.isclose(f.computed, f.stated, rel_tol=1e-9)
    ):
        note = "恰等于界值，未满足“超过/低于” / exactly on a strict bound"
        return replace(f, severity="info", note=f"{f.note}; {note}" if f.note else note)
    return f


def fmt_number(value: float | None) -> str:
    """A figure as the plan writes it: 1377 rather than 1377.0, 552.4 rather than 552.4000001."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return str(int(value))
    return f"{round(value, 6):g}" if abs(value) < 1e6 else f"{value:.2f}"


# ----------------------------------------------------------------------------------------------
# shared lookups


class _Context:
    """The plan with the indexes the checks share."""

    def __init__(self, plan: Plan, options: CheckOptions):
        self.plan = plan
        self.options = options
        self.units = {u.code: u for u in plan.org_units}
        self.indicators = {i.code: i for i in plan.indicators}
        self.series: dict[tuple[str, str, str], list[AnnualSeries]] = defaultdict(list)
        for s in plan.annual_series:
            self.series[(s.indicator, s.org_unit, s.category)].append(s)
        children: dict[str, set[str]] = defaultdict(set)
        for u in plan.org_units:
            for link in u.parent_links():
                children[link.parent].add(u.code)
        self._children = children
        # aggregate standing for a unit: an aggregate whose members are exactly the unit's zones
        self.standing: dict[str, str] = {}
        for agg in plan.org_units:
            if agg.kind != "aggregate":
                continue
            members = set(agg.members)
            for u in plan.org_units:
                if u.kind != "aggregate" and u.code not in members and self.zones_under(u.code) == members:
                    self.standing.setdefault(u.code, agg.code)

    def zones_under(self, code: str) -> set[str]:
        out: set[str] = set()
        stack, seen = [code], set()
        while stack:
            c = stack.pop()
            if c in seen:
                continue
            seen.add(c)
            for child in self._children.get(c, ()):
                if self.units[child].kind == "zone":
                    out.add(child)
                stack.append(child)
        return out

    def unit_name(self, code: str) -> str:
        u = self.units.get(code)
        return u.name if u else code

    def ind_name(self, code: str) -> str:
        i = self.indicators.get(code)
        return i.name if i else code

    def ind_unit(self, code: str) -> str:
        i = self.indicators.get(code)
        return i.unit if i else ""

    def series_for(
        self, indicator: str, unit: str, category: str = "total"
    ) -> tuple[str, list[AnnualSeries]]:
        """Rows of ``unit`` (or, when it has none, of the aggregate standing for it)."""
        rows = self.series.get((indicator, unit, category), [])
        if rows:
            return unit, rows
        agg = self.standing.get(unit)
        if agg:
            return agg, self.series.get((indicator, agg, category), [])
        return unit, []

    def increase_of(self, code: str) -> str | None:
        """The indicator ``code`` is the increase of (its name is 新增 + that indicator's name)."""
        ind = self.indicators.get(code)
        if ind is None or not ind.name.startswith("新增"):
            return None
        rest = ind.name[len("新增") :]
        for other in self.plan.indicators:
            if other.code != code and rest in (other.name, *other.aliases):
                return other.code
        return None

    def equivalent(self, unit: str) -> str:
        return self.standing.get(unit, unit)

    def disagrees(self, stated: float, computed: float, comparator: str = "=", approx: bool = False) -> bool:
        eps = 1e-9 * max(1.0, abs(stated))
        margin = self.options.approx_tolerance_pct / 100 * abs(stated) + eps if approx else eps
        if comparator == "=":
            return abs(computed - stated) > margin
        if comparator == ">=":
            return computed < stated - margin
        if comparator == ">":
            return computed <= stated - (margin if approx else -eps)
        if comparator == "<=":
            return computed > stated + margin
        if comparator == "<":
            return computed >= stated + (margin if approx else -eps)
        raise ValueError(f"unknown comparator {comparator!r}")


def _span(a: int, b: int) -> str:
    return f"{a}年" if a == b else f"{a}-{b}年"


def _sum_years(rows: AnnualSeries, years: Iterable[int]) -> tuple[float, int]:
    """Sum of a row over years (an empty cell counts 0) and how many cells were filled."""
    vals = [rows.values[y] for y in years if y in rows.values]
    return float(sum(vals)), len(vals)


_WAN = "万"


def convert(value: float, unit: str, to_unit: str) -> float | None:
    """Convert between units that differ by a 万 prefix; None when they are not comparable."""
    if unit == to_unit or not to_unit:
        return value
    if unit == _WAN + to_unit:
        return value * 1e4
    if to_unit == _WAN + unit:
        return value / 1e4
    return None


# ----------------------------------------------------------------------------------------------
# (a) stated annual growth vs CAGR


@register("growth", "年均增长与基数、目标推算不符")
def _growth(ctx: _Context) -> Iterator[Finding]:
    tol = ctx.options.growth_tolerance_pp
    for t in ctx.plan.targets:
        if t.baseline is None or t.stated_annual_growth_pct is None:
            continue
        b, v = t.baseline.value, t.target.value
        n = t.target.year - t.baseline.year
        label = t.label or ctx.ind_name(t.indicator)
        what = f"{ctx.unit_name(t.org_unit)} {label} 年均增长"
        where = (
            f"{t.source} 年均增长（%） vs {t.source} {t.baseline.year}年基数{fmt_number(b)}→"
            f"{t.target.year}年目标{fmt_number(v)}推算（{n}年）"
        )
        if b <= 0 or v <= 0:
            yield Finding(
                "growth",
                what,
                where,
                t.stated_annual_growth_pct,
                None,
                "%",
                severity="info",
                note="基数或目标不为正，无法计算年均增长 / baseline or target not positive: no growth rate",
            )
            continue
        cagr = ((v / b) ** (1 / n) - 1) * 100
        if abs(cagr - t.stated_annual_growth_pct) <= tol + 1e-9:
            continue
        note = None
        g = t.stated_annual_growth_pct / 100
        if g > -1 and g != 0 and math.log(v / b) / math.log(1 + g) > 0:
            years = math.log(v / b) / math.log(1 + g)
            note = (
                f"所述增速对应约{years:.1f}年跨度 / the stated rate matches a span of about {years:.1f} years"
            )
        yield Finding("growth", what, where, t.stated_annual_growth_pct, round(cagr, 4), "%", note=note)


# ----------------------------------------------------------------------------------------------
# (b) category sums and zone sums


@register("category_sum", "传统产业+战略性新兴产业与合计不符")
def _category_sums(ctx: _Context) -> Iterator[Finding]:
    groups: dict[tuple[str, str, str], dict[str, AnnualSeries]] = defaultdict(dict)
    for s in ctx.plan.annual_series:
        groups[(s.indicator, s.org_unit, s.source)][s.category] = s
    for (ind, unit, source), cats in groups.items():
        total = cats.get("total")
        parts = [cats[c] for c in ("traditional", "emerging") if c in cats]
        if total is None or not parts:
            continue
        name = ctx.unit_name(unit)
        for year in sorted(total.values):
            if all(year not in p.values for p in parts):
                continue
            computed = float(sum(p.values.get(year, 0.0) for p in parts))
            if ctx.disagrees(total.values[year], computed):
                partnames = "+".join(CATEGORY_NAMES[p.category] for p in parts)
                yield Finding(
                    "category_sum",
                    f"{name} {ctx.ind_name(ind)} {year}年 分类之和与合计不符",
                    f"{source} {name} 合计 {year}年 vs {source} {name} {partnames} {year}年",
                    total.values[year],
                    computed,
                    ctx.ind_unit(ind),
                )


@register("category_total", "分类期间合计之和与期间合计不符")
def _category_totals(ctx: _Context) -> Iterator[Finding]:
    groups: dict[tuple[Any, ...], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for p in ctx.plan.period_totals:
        groups[(p.indicator, ctx.equivalent(p.org_unit), p.from_year, p.to_year)][p.category].append(p)
    for (ind, _unit, a, b), cats in groups.items():
        if not cats.get("traditional") or not cats.get("emerging") or not cats.get("total"):
            continue
        parts = [cats["traditional"][0], cats["emerging"][0]]
        computed = float(sum(p.value for p in parts))
        for tot in cats["total"]:
            if ctx.disagrees(tot.value, computed, tot.comparator, tot.approx):
                span = _span(a, b)
                yield Finding(
                    "category_total",
                    f"{ctx.unit_name(tot.org_unit)} {ctx.ind_name(ind)} {span}合计 与分类合计之和不符",
                    f"{tot.source} {span}合计 vs {parts[0].source} 传统产业{span}合计+{parts[1].source} "
                    f"战略性新兴产业{span}合计",
                    tot.value,
                    computed,
                    ctx.ind_unit(ind),
                    tot.comparator,
                    tot.approx,
                )


@register("zone_sum", "各区之和与4区合计不符")
def _zone_sums(ctx: _Context) -> Iterator[Finding]:
    for agg in ctx.plan.org_units:
        if agg.kind != "aggregate":
            continue
        for s in ctx.plan.annual_series:
            if s.org_unit != agg.code:
                continue
            member_rows = []
            missing = []
            for m in agg.members:
                rows = ctx.series.get((s.indicator, m, s.category), [])
                same = [r for r in rows if r.source == s.source] or rows
                if same:
                    member_rows.append(same[0])
                else:
                    missing.append(ctx.unit_name(m))
            cat = CATEGORY_NAMES[s.category]
            what_base = f"{agg.name} {ctx.ind_name(s.indicator)} {cat}"
            if missing:
                yield Finding(
                    "zone_sum",
                    f"{what_base} 无法核对",
                    f"{s.source} {agg.name} {cat}",
                    0.0,
                    None,
                    ctx.ind_unit(s.indicator),
                    severity="info",
                    note="缺少成员的行 / rows missing for: " + "、".join(missing),
                )
                continue
            sources = "、".join(sorted({r.source for r in member_rows}))
            for year in sorted(s.values):
                computed = float(sum(r.values.get(year, 0.0) for r in member_rows))
                if ctx.disagrees(s.values[year], computed):
                    yield Finding(
                        "zone_sum",
                        f"{what_base} {year}年 各区之和与合计不符",
                        f"{s.source} {agg.name} {cat} {year}年 vs {sources} 各区{cat} {year}年之和",
                        s.values[year],
                        computed,
                        ctx.ind_unit(s.indicator),
                    )
        # stated period totals of the aggregate vs the members' stated period totals
        for pt in ctx.plan.period_totals:
            if pt.org_unit != agg.code:
                continue
            parts = [
                p
                for p in ctx.plan.period_totals
                if p.org_unit in agg.members
                and (p.indicator, p.category, p.from_year, p.to_year)
                == (pt.indicator, pt.category, pt.from_year, pt.to_year)
            ]
            if {p.org_unit for p in parts} != set(agg.members):
                continue
            computed = float(sum(p.value for p in parts))
            if ctx.disagrees(pt.value, computed, pt.comparator, pt.approx):
                span = _span(pt.from_year, pt.to_year)
                sources = "、".join(sorted({p.source for p in parts}))
                yield Finding(
                    "zone_sum",
                    f"{agg.name} {ctx.ind_name(pt.indicator)} {span}合计 与各区所述合计之和不符",
                    f"{pt.source} {agg.name} {span}合计 vs {sources} 各区{span}合计之和",
                    pt.value,
                    computed,
                    ctx.ind_unit(pt.indicator),
                    pt.comparator,
                    pt.approx,
                    note="各区合计本身为约数 / the zones' totals are themselves approximate"
                    if any(p.approx for p in parts)
                    else None,
                )


# ----------------------------------------------------------------------------------------------
# (c) annual rows summed vs stated period totals


@register("period_total", "逐年之和与期间合计不符")
def _period_totals(ctx: _Context) -> Iterator[Finding]:
    for pt in ctx.plan.period_totals:
        unit, rows = ctx.series_for(pt.indicator, pt.org_unit, pt.category)
        years = range(pt.from_year, pt.to_year + 1)
        for r in rows:
            computed, filled = _sum_years(r, years)
            if not filled or not ctx.disagrees(pt.value, computed, pt.comparator, pt.approx):
                continue
            span = _span(pt.from_year, pt.to_year)
            cat = CATEGORY_NAMES[pt.category]
            via = "" if unit == pt.org_unit else f"（以{ctx.unit_name(unit)}代{ctx.unit_name(pt.org_unit)}）"
            yield Finding(
                "period_total",
                f"{ctx.unit_name(pt.org_unit)} {ctx.ind_name(pt.indicator)}{'' if pt.category == 'total' else f'（{cat}）'} "
                f"{span}合计 与逐年之和不符",
                f"{pt.source} {ctx.unit_name(pt.org_unit)} {span}合计 vs {r.source} {ctx.unit_name(unit)} {cat} "
                f"{span}逐年之和{via}",
                pt.value,
                computed,
                ctx.ind_unit(pt.indicator),
                pt.comparator,
                pt.approx,
                note=None
                if filled == len(years)
                else f"{len(years) - filled}个年份空白，按0计 / empty cells counted 0",
            )


# ----------------------------------------------------------------------------------------------
# (d) phases vs annual rows, and the sum of the phases vs the plan's goals


@register("phase", "阶段目标与年度表或总目标不符")
def _phases(ctx: _Context) -> Iterator[Finding]:
    sums: dict[tuple[str, str], list[tuple[Any, Any, float]]] = defaultdict(list)
    for ph in ctx.plan.phases:
        years = range(ph.start.year, ph.end.year + 1)
        span = _span(ph.start.year, ph.end.year)
        for pt in ph.targets:
            ind_unit = ctx.ind_unit(pt.indicator)
            stated = convert(pt.figure.value, pt.figure.unit, ind_unit)
            what = f"{ph.name} {pt.name}"
            if stated is None:
                yield Finding(
                    "phase",
                    what,
                    f"{ph.source} {ph.name}",
                    pt.figure.value,
                    None,
                    pt.figure.unit,
                    severity="info",
                    note=f"单位{pt.figure.unit}与指标单位{ind_unit}不可比 / units not comparable",
                )
                continue
            sums[(pt.indicator, pt.org_unit)].append((ph, pt, stated))
            unit, rows = ctx.series_for(pt.indicator, pt.org_unit)
            for r in rows:
                computed, filled = _sum_years(r, years)
                if not filled or not ctx.disagrees(stated, computed, pt.figure.comparator, pt.figure.approx):
                    continue
                yield Finding(
                    "phase",
                    f"{what}（{span}） 与年度表不符",
                    f"{ph.source} {ph.name} {pt.name} vs {r.source} {ctx.unit_name(unit)} 合计 {span}逐年之和",
                    stated,
                    computed,
                    ind_unit,
                    pt.figure.comparator,
                    pt.figure.approx,
                )
    # the sum of the phases vs period totals and targets over the same span
    for (ind, unit), items in sums.items():
        first = min(ph.start.year for ph, _, _ in items)
        last = max(ph.end.year for ph, _, _ in items)
        total = float(sum(v for _, _, v in items))
        names = "+".join(pt.name for _, pt, _ in items)
        srcs = "、".join(dict.fromkeys(ph.source for ph, _, _ in items))
        where_phase = f"{srcs} 各阶段{names.split('+')[0]}之和（{_span(first, last)}）"
        eq = ctx.equivalent(unit)
        for ptot in ctx.plan.period_totals:
            if (ptot.indicator, ptot.category, ptot.from_year, ptot.to_year) != (ind, "total", first, last):
                continue
            if ctx.equivalent(ptot.org_unit) != eq:
                continue
            if ctx.disagrees(ptot.value, total, ptot.comparator, ptot.approx):
                yield Finding(
                    "phase",
                    f"{ctx.unit_name(ptot.org_unit)} {ctx.ind_name(ind)} 各阶段之和与期间合计不符",
                    f"{ptot.source} {ctx.unit_name(ptot.org_unit)} {_span(first, last)}合计 vs {where_phase}",
                    ptot.value,
                    total,
                    ctx.ind_unit(ind),
                    ptot.comparator,
                    ptot.approx,
                )
        indicator = ctx.indicators.get(ind)
        base = ctx.increase_of(ind)
        for t in ctx.plan.targets:
            if t.indicator not in (ind, base) or ctx.equivalent(t.org_unit) != eq or t.target.year != last:
                continue
            if (
                t.indicator == ind
                and t.baseline is None
                and indicator is not None
                and indicator.kind in ("flow_total", "count")
            ):
                # a total to reach by the end (flows, or counts built up from nothing: 培育200家)
                stated, how = t.target.value, f"{t.target.year}年目标"
                cmp_, approx = t.target.comparator, t.target.approx
            elif t.baseline is not None and t.baseline.year == first - 1:
                # a level: the phases add up its increase (新增X vs X's target minus baseline)
                stated = t.target.value - t.baseline.value
                how = f"{ctx.ind_name(t.indicator)} {t.target.year}年目标减{t.baseline.year}年基数"
                cmp_, approx = "=", t.target.approx or t.baseline.approx
            else:
                continue
            if ctx.disagrees(stated, total, cmp_, approx):
                yield Finding(
                    "phase",
                    f"{ctx.unit_name(t.org_unit)} {ctx.ind_name(ind)} 各阶段之和与总目标不符",
                    f"{t.source} {how} vs {where_phase}",
                    stated,
                    total,
                    ctx.ind_unit(ind),
                    cmp_,
                    approx,
                )


# ----------------------------------------------------------------------------------------------
# (e) industry paragraphs of 四（一） vs the 专栏 and 二（四）

# IndustryPlan field -> (name as the plan writes it, pattern for a 专栏 quantity's name, pattern for an
# indicator's name).  Quantity names are matched strictly (a 专栏 also names 众筹平台, 技术转移平台 …).
INDUSTRY_FIELDS: dict[str, tuple[str, str, str]] = {
    "platforms": ("创新平台", r"^创新平台", r"平台"),
    "alliances": ("产业技术创新战略联盟", r"^产业技术创新战略联盟", r"联盟"),
    "transformation_projects": ("重大科技成果转化项目", r"成果转化项目", r"成果转化|转化.*成果"),
    "national_new_products": ("国家级重点新产品", r"^国家级(重点)?新产品", r"新产品"),
}


def _matches(pattern: str, *names: str | None) -> bool:
    return any(n and re.search(pattern, n) for n in names)


def _indicator_matches(ind: Indicator | None, pattern: str) -> bool:
    return ind is not None and _matches(pattern, ind.name, *ind.aliases)


@register("industry", "各产业数之和与专栏或总目标不符")
def _industry(ctx: _Context) -> Iterator[Finding]:
    plan = ctx.plan
    if not plan.industry_plans:
        return
    progs = {p.code: p for p in plan.programmes}
    by_prog: dict[str, list[Any]] = defaultdict(list)
    for ip in plan.industry_plans:
        by_prog[ip.programme].append(ip)
    industry_progs = set(by_prog)
    root = plan.plan.root_unit
    for fld, (label, qpattern, pattern) in INDUSTRY_FIELDS.items():
        grand: list[float] = []
        for prog, ips in by_prog.items():
            vals = [getattr(ip, fld) for ip in ips if getattr(ip, fld) is not None]
            if not vals:
                continue
            s = float(sum(vals))
            grand.append(s)
            pname = progs[prog].name if prog in progs else prog
            isrc = "、".join(sorted({ip.source for ip in ips}))
            for m in plan.measures:
                if m.programme != prog:
                    continue
                for q in m.targets:
                    ind = ctx.indicators.get(q.indicator) if q.indicator else None
                    if not (_indicator_matches(ind, pattern) or _matches(qpattern, q.name)):
                        continue
                    if ctx.disagrees(q.value, s, q.comparator, q.approx):
                        yield Finding(
                            "industry",
                            f"{pname} {label} 各产业之和与专栏不符",
                            f"{m.source}-{m.item or m.code} {q.name} vs {isrc} {pname}各产业{label}之和（{len(vals)}个产业）",
                            q.value,
                            s,
                            q.unit,
                            q.comparator,
                            q.approx,
                        )
        if not grand:
            continue
        total = float(sum(grand))
        where_sum = f"四（一）各计划各产业{label}之和"
        srcs = sorted({ip.source for ip in plan.industry_plans})
        if srcs:
            where_sum = f"{'、'.join(srcs)} 各产业{label}之和"
        for t in plan.targets:
            if t.org_unit != root or not _indicator_matches(ctx.indicators.get(t.indicator), pattern):
                continue
            if ctx.disagrees(t.target.value, total, t.target.comparator, t.target.approx):
                yield Finding(
                    "industry",
                    f"{ctx.unit_name(root)} {t.label or ctx.ind_name(t.indicator)} 与各产业之和不符",
                    f"{t.source} {t.target.year}年目标 vs {where_sum}",
                    t.target.value,
                    total,
                    ctx.ind_unit(t.indicator),
                    t.target.comparator,
                    t.target.approx,
                )
        for m in plan.measures:
            if m.programme in industry_progs:
                continue
            for q in m.targets:
                ind = ctx.indicators.get(q.indicator) if q.indicator else None
                if not (_indicator_matches(ind, pattern) or _matches(qpattern, q.name)):
                    continue
                if ctx.disagrees(q.value, total, q.comparator, q.approx):
                    yield Finding(
                        "industry",
                        f"{q.name} 与各产业之和不符",
                        f"{m.source}-{m.item or m.code} {q.name} vs {where_sum}",
                        q.value,
                        total,
                        q.unit,
                        q.comparator,
                        q.approx,
                    )


# ----------------------------------------------------------------------------------------------
# (f) the same indicator targeted twice with different values


@register("duplicate_target", "同一指标两处目标不一致")
def _duplicates(ctx: _Context) -> Iterator[Finding]:
    groups: dict[tuple[str, str, int], list[Any]] = defaultdict(list)
    for t in ctx.plan.targets:
        groups[(t.indicator, ctx.equivalent(t.org_unit), t.target.year)].append(t)
    for (ind, _unit, year), ts in groups.items():
        for i, one in enumerate(ts):
            for two in ts[i + 1 :]:
                if one.source == two.source:
                    continue
                if one.target.comparator != "=" and two.target.comparator != "=":
                    continue  # two bounds: nothing to compare
                # a bound (以上/超过/低于) is the stated side; a plain figure must satisfy it
                first, other = (two, one) if two.target.comparator != "=" else (one, two)
                a, b = first.target, other.target
                if ctx.disagrees(a.value, b.value, a.comparator, a.approx or b.approx):
                    yield Finding(
                        "duplicate_target",
                        f"{ctx.unit_name(first.org_unit)} {first.label or ctx.ind_name(ind)} {year}年 两处目标不同",
                        f"{first.source} {first.label or ctx.ind_name(ind)} vs {other.source} "
                        f"{other.label or ctx.ind_name(ind)}",
                        a.value,
                        b.value,
                        ctx.ind_unit(ind),
                        a.comparator,
                        a.approx,
                    )
    # an increase indicator (新增X) against X's target minus its baseline
    for t in ctx.plan.targets:
        base = ctx.increase_of(t.indicator)
        if base is None:
            continue
        for bt in ctx.plan.targets:
            if bt.indicator != base or bt.baseline is None or bt.target.year != t.target.year:
                continue
            if ctx.equivalent(bt.org_unit) != ctx.equivalent(t.org_unit):
                continue
            delta = bt.target.value - bt.baseline.value
            if ctx.disagrees(t.target.value, delta, t.target.comparator, t.target.approx):
                yield Finding(
                    "duplicate_target",
                    f"{ctx.unit_name(t.org_unit)} {ctx.ind_name(t.indicator)} 与目标减基数不符",
                    f"{t.source} {ctx.ind_name(t.indicator)} vs {bt.source} {ctx.ind_name(base)} "
                    f"{bt.target.year}年目标减{bt.baseline.year}年基数",
                    t.target.value,
                    delta,
                    ctx.ind_unit(t.indicator),
                    t.target.comparator,
                    t.target.approx,
                )
    # a 专栏 quantity named exactly as a pilot-zone target's indicator (or the target's label)
    root = ctx.plan.plan.root_unit
    by_name: dict[str, list[Any]] = defaultdict(list)
    for t in ctx.plan.targets:
        idef = ctx.indicators.get(t.indicator)
        if t.org_unit != root or idef is None:
            continue
        for n in {n for n in (t.label, idef.name, *idef.aliases) if n is not None}:
            by_name[n].append(t)
    industry_progs = {ip.programme for ip in ctx.plan.industry_plans}
    for m in ctx.plan.measures:
        if m.programme in industry_progs:
            continue  # a programme's quantities are its industries' subtotals (see the industry check)
        for q in m.targets:
            for t in by_name.get(q.name, []):
                if q.year is not None and q.year != t.target.year:
                    continue
                if ctx.disagrees(t.target.value, q.value, "=", t.target.approx or q.approx):
                    yield Finding(
                        "duplicate_target",
                        f"{ctx.unit_name(root)} {q.name} 两处目标不同",
                        f"{t.source} {t.label or ctx.ind_name(t.indicator)} vs {m.source}-{m.item or m.code} {q.name}",
                        t.target.value,
                        q.value,
                        ctx.ind_unit(t.indicator),
                        t.target.comparator,
                        t.target.approx,
                        note=f"专栏单位 / unit there: {q.unit}",
                    )
    pgroups: dict[tuple[Any, ...], list[Any]] = defaultdict(list)
    for p in ctx.plan.period_totals:
        pgroups[(p.indicator, ctx.equivalent(p.org_unit), p.category, p.from_year, p.to_year)].append(p)
    for (ind, _unit, _cat, a_year, b_year), ps in pgroups.items():
        first = ps[0]
        for other in ps[1:]:
            if other.source == first.source:
                continue
            if ctx.disagrees(first.value, other.value, "=", first.approx or other.approx):
                span = _span(a_year, b_year)
                yield Finding(
                    "duplicate_target",
                    f"{ctx.unit_name(first.org_unit)} {ctx.ind_name(ind)} {span}合计 两处不同",
                    f"{first.source} {ctx.unit_name(first.org_unit)} vs {other.source} {ctx.unit_name(other.org_unit)}",
                    first.value,
                    other.value,
                    ctx.ind_unit(ind),
                    first.comparator,
                    first.approx,
                )


# ----------------------------------------------------------------------------------------------
# (g) zone enterprise targets vs the pilot zone's

# EnterpriseTargets field -> (name as written, pattern matching the pilot zone's indicator name)
ENTERPRISE_FIELDS: dict[str, tuple[str, str]] = {
    "enterprises": ("企业总数", r"^(企业总数|入区企业|企业数)"),
    "industrial": ("工业企业", r"^工业企业(数|总数|数量)?$"),
    "above_scale_industrial": ("规模以上工业企业", r"^规模以上工业企业(数|总数|数量)?$"),
    "high_tech": ("高新技术企业", r"^高新技术企业(数|总数|数量)?$"),
}


@register("enterprise_sum", "各区企业目标之和与总目标不符")
def _enterprises(ctx: _Context) -> Iterator[Finding]:
    plan = ctx.plan
    zones = [u for u in plan.org_units if u.enterprise_targets is not None]
    if not zones:
        return
    root = plan.plan.root_unit
    for fld, (label, pattern) in ENTERPRISE_FIELDS.items():
        by_year: dict[int, list[tuple[Any, float]]] = defaultdict(list)
        for u in zones:
            et = u.enterprise_targets
            if et is None:  # not a zone (filtered above; said again for the type checker)
                continue
            by_year[et.year].append((u, float(getattr(et, fld))))
        for year, items in by_year.items():
            total = float(sum(v for _, v in items))
            srcs = "、".join(sorted({u.enterprise_targets.source for u, _ in items}))
            for t in plan.targets:
                if t.org_unit != root or t.target.year != year:
                    continue
                if not _indicator_matches(ctx.indicators.get(t.indicator), pattern):
                    continue
                if ctx.disagrees(t.target.value, total, t.target.comparator, t.target.approx):
                    yield Finding(
                        "enterprise_sum",
                        f"{ctx.unit_name(root)} {label} {year}年 与各区目标之和不符",
                        f"{t.source} {t.label or ctx.ind_name(t.indicator)} vs {srcs} {len(items)}区{label}之和",
                        t.target.value,
                        total,
                        ctx.ind_unit(t.indicator),
                        t.target.comparator,
                        t.target.approx,
                    )


# ----------------------------------------------------------------------------------------------
# (h) 附件4 cluster counts

BANDS: dict[str, str] = {
    "thousand": "千亿级",
    "hundred": "百亿级",
    "fifty_to_hundred": "50-100亿级",
    "ten_to_fifty": "10-50亿级",
    "one_to_ten": "亿元级",
}
# how a pilot-zone target names a band (anything else naming 集群 is the total of all bands)
CLUSTER_BANDS: dict[str, str] = {"thousand": r"千亿", "hundred": r"百亿"}


def _stated(value: int | None) -> float | None:
    """A 附件4 合计 cell: None where the seed leaves it blank (not stated), else the number."""
    return None if value is None else float(value)


@register("clusters", "附件4集群数合计不符")
def _clusters(ctx: _Context) -> Iterator[Finding]:
    plan = ctx.plan
    if not plan.cluster_rows and not plan.cluster_totals:
        return
    rows_by_zone: dict[str, list[Any]] = defaultdict(list)
    for r in plan.cluster_rows:
        rows_by_zone[r.zone].append(r)
    band_sums: dict[str, dict[str, float]] = {}  # zone -> band -> count (from its 合计 row or rows)
    for z, rows in rows_by_zone.items():
        band_sums[z] = {b: float(sum(getattr(r.counts, b) for r in rows)) for b in BANDS}

    def src(items: Iterable[Any]) -> str:
        return "、".join(sorted({i.source for i in items}))

    stated_rows: dict[str, dict[str, float | None]] = {}
    for ct in plan.cluster_totals:
        zname = ctx.unit_name(ct.zone)
        unit = ctx.units.get(ct.zone)
        if unit is not None and unit.kind == "aggregate":
            members = unit.members
            parts_src = f"{src(ct2 for ct2 in plan.cluster_totals if ct2.zone in members and ct2.counts) or ct.source} 各区合计行"
            # a band a member's 合计 row leaves blank (None) is not stated and adds nothing
            parts = {
                b: float(
                    sum(
                        getattr(c.counts, b) or 0
                        for c in plan.cluster_totals
                        if c.zone in members and c.counts
                    )
                )
                for b in BANDS
            }
            if not any(c.counts for c in plan.cluster_totals if c.zone in members):
                parts = {b: float(sum(band_sums.get(m, {}).get(b, 0.0) for m in members)) for b in BANDS}
                parts_src = f"{src(r for r in plan.cluster_rows if r.zone in members)} 各区各行"
        else:
            rows = rows_by_zone.get(ct.zone, [])
            if not rows:
                continue
            parts = band_sums[ct.zone]
            parts_src = f"{src(rows)} {zname}各行"
        if ct.counts is not None:
            stated_rows[ct.zone] = {b: _stated(getattr(ct.counts, b)) for b in BANDS}
            for b, bname in BANDS.items():
                stated = _stated(getattr(ct.counts, b))
                if stated is None:  # blank in the 合计 row: not stated, nothing to compare
                    continue
                if ctx.disagrees(stated, parts[b]):
                    yield Finding(
                        "clusters",
                        f"{zname} {bname}集群数 与各行之和不符",
                        f"{ct.source} {zname} 合计 {bname} vs {parts_src}{bname}之和",
                        stated,
                        parts[b],
                        "个",
                    )
        if ct.total is not None:
            computed = float(sum(parts.values()))
            if ctx.disagrees(float(ct.total), computed):
                yield Finding(
                    "clusters",
                    f"{zname} 集群总数 与各级之和不符",
                    f"{ct.source} {zname} 2015-2020合计 vs {parts_src}各级之和",
                    float(ct.total),
                    computed,
                    "个",
                )
            if ct.counts is not None and ctx.disagrees(float(ct.total), float(ct.counts.total())):
                yield Finding(
                    "clusters",
                    f"{zname} 集群总数 与本区合计行不符",
                    f"{ct.source} {zname} 2015-2020合计 vs {ct.source} {zname} 合计行各级之和",
                    float(ct.total),
                    float(ct.counts.total()),
                    "个",
                )
    # the aggregate vs the pilot zone's targets (240 clusters, of which 1 千亿级 and 7 百亿级)
    root = plan.plan.root_unit
    agg_codes = [c for c in stated_rows if ctx.units.get(c) and ctx.units[c].kind == "aggregate"]
    grand: dict[str, float | None]
    if agg_codes:
        grand = stated_rows[agg_codes[0]]
        gsrc = next(c.source for c in plan.cluster_totals if c.zone == agg_codes[0])
        gname = ctx.unit_name(agg_codes[0])
    elif band_sums:
        grand = {b: float(sum(z[b] for z in band_sums.values())) for b in BANDS}
        gsrc, gname = src(plan.cluster_rows), "各区各行"
    else:
        return
    for t in plan.targets:
        ind = ctx.indicators.get(t.indicator)
        if t.org_unit != root or ind is None or not _indicator_matches(ind, r"集群"):
            continue
        band = next((b for b, p in CLUSTER_BANDS.items() if _indicator_matches(ind, p)), None)
        grand_count = grand[band] if band else float(sum(v for v in grand.values() if v is not None))
        if grand_count is None:  # the band is blank in the 总计 row
            continue
        bname = BANDS[band] if band else "各级"
        if ctx.disagrees(t.target.value, grand_count, t.target.comparator, t.target.approx):
            yield Finding(
                "clusters",
                f"{ctx.unit_name(root)} {t.label or ind.name} 与附件4不符",
                f"{t.source} {t.label or ind.name} vs {gsrc} {gname} {bname}集群数",
                t.target.value,
                grand_count,
                ctx.ind_unit(t.indicator),
                t.target.comparator,
                t.target.approx,
            )

    for m in plan.measures:
        for q in m.targets:
            if not _matches(r"集群", q.name):
                continue
            band = next((b for b, p in CLUSTER_BANDS.items() if _matches(p, q.name)), None)
            if band is None:  # no band named
                continue
            stated_band = grand[band]
            if stated_band is None:  # the band is blank in the 总计 row
                continue
            if ctx.disagrees(q.value, stated_band, q.comparator, q.approx):
                yield Finding(
                    "clusters",
                    f"{q.name} 与附件4不符",
                    f"{m.source}-{m.item or m.code} {q.name} vs {gsrc} {gname} {BANDS[band]}集群数",
                    q.value,
                    stated_band,
                    q.unit,
                    q.comparator,
                    q.approx,
                )


# ----------------------------------------------------------------------------------------------
# (i) 附件5 alliance groups


@register("alliances", "附件5联盟数与所列领域或四（一）不符")
def _alliances(ctx: _Context) -> Iterator[Finding]:
    plan = ctx.plan
    if not plan.alliance_groups:
        return
    for g in plan.alliance_groups:
        if g.stated_count != len(g.fields):
            yield Finding(
                "alliances",
                f"{g.industry} 所述联盟数与所列领域数不符",
                f"{g.source} {g.industry}（{g.stated_count}个） vs {g.source} {g.industry} 所列领域",
                float(g.stated_count),
                float(len(g.fields)),
                "个",
            )
    groups = {grp.industry: grp for grp in plan.alliance_groups}
    for ip in plan.industry_plans:  # 四（一） gives each industry's alliances too; 附件5 lists them
        group = groups.get(ip.annex5_industry or "")
        if ip.alliances is None or group is None:
            continue
        if ctx.disagrees(ip.alliances, float(group.stated_count), "=", False):
            yield Finding(
                "alliances",
                f"{ip.name} 联盟数：{ip.source} 与 {group.source} 不符",
                f"{ip.source} {ip.name}（{fmt_number(ip.alliances)}个） vs {group.source} {group.industry}（{group.stated_count}个）",
                ip.alliances,
                float(group.stated_count),
                "个",
            )
    stated_sum = float(sum(group.stated_count for group in plan.alliance_groups))
    listed_sum = float(sum(len(group.fields) for group in plan.alliance_groups))
    src = "、".join(sorted({group.source for group in plan.alliance_groups}))
    pattern = INDUSTRY_FIELDS["alliances"][2]
    for t in plan.targets:
        if t.org_unit != plan.plan.root_unit or not _indicator_matches(
            ctx.indicators.get(t.indicator), pattern
        ):
            continue
        for computed, how in ((stated_sum, "各行所述数之和"), (listed_sum, "所列领域总数")):
            if ctx.disagrees(t.target.value, computed, t.target.comparator, t.target.approx):
                yield Finding(
                    "alliances",
                    f"{t.label or ctx.ind_name(t.indicator)} 与附件5不符",
                    f"{t.source} {t.label or ctx.ind_name(t.indicator)} vs {src} {how}",
                    t.target.value,
                    computed,
                    ctx.ind_unit(t.indicator),
                    t.target.comparator,
                    t.target.approx,
                )


# ----------------------------------------------------------------------------------------------
# (j) 附件6 R&D institutions


@register("rd_table", "附件6小计、总计不符")
def _rd(ctx: _Context) -> Iterator[Finding]:
    plan = ctx.plan
    if not plan.rd_rows:
        return
    names = {c.code: c.name for c in plan.rd_columns}
    for r in plan.rd_rows:
        computed = float(sum(r.counts.values()))
        if r.stated_subtotal is not None and ctx.disagrees(float(r.stated_subtotal), computed):
            yield Finding(
                "rd_table",
                f"附件6 {r.field} 小计 与各列之和不符",
                f"{r.source} {r.field} 小计 vs {r.source} {r.field} 各列之和",
                float(r.stated_subtotal),
                computed,
                "个",
            )
    # the second table names the institutions: per field, as many names as the counts table's 小计
    named: dict[str, int] = defaultdict(int)
    for inst in plan.rd_institutions:
        named[inst.field] += 1
    for r in plan.rd_rows:
        if not plan.rd_institutions or r.stated_subtotal is None:
            continue
        listed = float(named.get(r.field, 0))
        if ctx.disagrees(float(r.stated_subtotal), listed):
            yield Finding(
                "rd_table",
                f"附件6 {r.field} 小计 与所列机构数不符",
                f"{r.source} {r.field} 小计 vs {r.source} 机构名单{r.field}所列名称数",
                float(r.stated_subtotal),
                listed,
                "个",
            )
    tot = plan.rd_totals
    if tot is None:
        return
    for col, stated in tot.column_subtotals.items():
        computed = float(sum(r.counts.get(col, 0) for r in plan.rd_rows))
        if ctx.disagrees(float(stated), computed):
            yield Finding(
                "rd_table",
                f"附件6 {names.get(col, col)} 小计 与各行之和不符",
                f"{tot.source} 小计行 {names.get(col, col)} vs {tot.source} 各领域{names.get(col, col)}之和",
                float(stated),
                computed,
                "个",
            )
    for computed, how in (
        (float(sum(tot.column_subtotals.values())), "小计行各列之和"),
        (
            float(sum(r.stated_subtotal for r in plan.rd_rows if r.stated_subtotal is not None)),
            "各领域小计之和",
        ),
        (float(sum(sum(r.counts.values()) for r in plan.rd_rows)), "全部单元格之和"),
    ):
        if ctx.disagrees(float(tot.stated_total), computed):
            yield Finding(
                "rd_table",
                "附件6 总计 不符",
                f"{tot.source} 总计 vs {tot.source} {how}",
                float(tot.stated_total),
                computed,
                "个",
            )
