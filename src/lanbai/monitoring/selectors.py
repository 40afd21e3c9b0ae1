"""Monitoring results, computed on read from approved figures (no nightly batch).

Pipeline: approved report versions (``data.reported_values_frame``) and the effective-dated
tree go to the core's DuckDB aggregation (sums up the tree, then the plan's formulas), then to
the core's progress assessment against the plan's targets.  Results are current as soon as a
report is approved; a small cache is keyed by the latest approval time and the plan's hash.

Quarters and annual targets
---------------------------
Targets are annual.  For the fourth quarter the cumulative figure *is* the year.  For Q1–Q3:

* indicators whose value does not scale with the length of the period (shares and ratios of
  flows, stocks, ratios of stocks) are compared as they are (the year-to-date share estimates the
  year's share);
* indicators that scale with time (flows, and ratios of a flow to a stock such as labour
  productivity) are projected to the year with the same period's share of last year:
  ``estimate = YTD(y, q) × annual(y−1) / YTD(y−1, q)``; without last year's figures the row is
  not assessable and says why.  The rule text of every row states which was used.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from django.db.models import Max

from lanbai.access.policy import Action, unit_ids
from lanbai.collection.models import Submission
from lanbai.core.aggregate import aggregate
from lanbai.core.formulas import nodes as N
from lanbai.core.formulas.plan_check import plan_formulas
from lanbai.core.periods import Quarter
from lanbai.core.plan import load_plan
from lanbai.core.plan.schema import Plan
from lanbai.core.progress import assess
from lanbai.plans.models import OrgUnit, PlanVersion, Target
from lanbai.plans.selectors import plan_current
from lanbai.plans.services import _plan_dir

from . import data

NO_TARGET = "无目标"


@dataclass(frozen=True)
class MonitoringRow:
    """One indicator of one unit for one period, with its target, expected value, status and rule."""

    period: str
    org_unit: str
    org_unit_name: str
    indicator: str
    indicator_name: str
    unit: str
    value: float | None
    not_computable_reason: str | None
    yoy_pct: float | None
    assessed_value: float | None
    baseline_year: int | None
    baseline_value: float | None
    target_year: int | None
    target_value: float | None
    comparator: str
    target_source: str
    expected: float | None
    status: str
    rule: str
    method: str
    ratio: float | None
    category: str
    preview: bool

    def as_dict(self) -> dict:
        return asdict(self)


# ----------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=2)
def _plan_core(plan_dir: str, content_hash: str) -> tuple[Plan, object]:
    plan = load_plan(plan_dir)
    return plan, plan_formulas(plan)


def plan_core() -> tuple[PlanVersion, Plan, object]:
    """The plan in force: its DB version, the validated plan and its compiled formulas."""
    version = plan_current()
    if version is None:
        raise LookupError("尚未加载规划数据，请先运行 lanbai init / no plan loaded: run lanbai init")
    plan, fset = _plan_core(str(_plan_dir(None)), version.content_hash)
    return version, plan, fset


def _time_exponent(node, fields, ind_exp) -> float:
    """How the value scales with the length of the period: 1 for a flow, 0 for a stock or a ratio of flows."""
    if isinstance(node, N.Num):
        return 0.0
    if isinstance(node, N.FieldRef):
        spec = fields.get(node.code)
        return 1.0 if spec is not None and spec.nature == "flow" else 0.0
    if isinstance(node, N.FilteredSum):
        return _time_exponent(node.field, fields, ind_exp)
    if isinstance(node, N.IndRef):
        return ind_exp(node.code if node.category == "total" else f"{node.code}.{node.category}")
    if isinstance(node, N.Unary):
        return _time_exponent(node.operand, fields, ind_exp)
    if isinstance(node, N.Binary):
        left, right = _time_exponent(node.left, fields, ind_exp), _time_exponent(node.right, fields, ind_exp)
        if node.op == "*":
            return left + right
        if node.op == "/":
            return left - right
        return max(left, right)
    if isinstance(node, N.Call):
        if node.name in ("yoy",):
            return 0.0
        return max((_time_exponent(a, fields, ind_exp) for a in node.args), default=0.0)
    return 0.0


@functools.lru_cache(maxsize=2)
def _scaled_indicators(content_hash: str) -> frozenset[str]:
    _, _, fset = plan_core()
    memo: dict[str, float] = {}

    def ind_exp(key: str) -> float:
        if key not in memo:
            memo[key] = 0.0
            f = fset.formulas.get(key)
            memo[key] = _time_exponent(f.ast, fset.fields, ind_exp) if f else 0.0
        return memo[key]

    return frozenset(k for k in fset.formulas if ind_exp(k) > 0)


# ----------------------------------------------------------------------------------------------
def _freshness() -> tuple:
    agg = Submission.objects.aggregate(a=Max("approved_at"), u=Max("updated_at"))
    return (agg["a"], agg["u"])


@functools.lru_cache(maxsize=4)
def _aggregate_cached(content_hash: str, preview: bool, fresh: tuple):
    """The core aggregation of every period (inputs summed up the tree, then formulas), or None.

    One aggregation serves every ``until_period``: a period's results depend only on its own and
    earlier periods (attribution at the period's end, ``prev`` / ``lag_year`` look back), so the
    results up to a period are the full results filtered to it.
    """
    version, plan, fset = plan_core()
    values = data.reported_values_frame(preview=preview)
    values["status"] = values["status"].replace({"zone_approved": "submitted"})
    tree = data.org_tree_frame(version)
    units = data.org_units_frame(version)
    members = [(u, m) for u, kind, mm in units[["code", "kind", "members"]].itertuples(index=False)
               if kind == "aggregate" for m in (mm or [])]
    agg_members = pd.DataFrame(members, columns=["unit", "member"])
    for col in ("valid_from", "valid_to"):
        tree[col] = pd.to_datetime(tree[col])
    if values.empty:
        return None
    columns = ["org_unit", "period", "field", "value", "value_text", "status", "version"]
    return aggregate(values[columns], tree, fset,
                     aggregates=agg_members, preview=preview, basis=("ytd",))


def _until(frame: pd.DataFrame, until_period: str | None) -> pd.DataFrame:
    """Rows of periods up to ``until_period`` ('YYYYQn' sorts as text)."""
    return frame.copy() if until_period is None else frame[frame["period"] <= until_period].copy()


def aggregated_inputs(*, until_period: str | None = None, preview: bool = False) -> pd.DataFrame:
    """Every aggregated input (summed reported fields, wide) of every unit and period (year to date)."""
    version, _, _ = plan_core()
    result = _aggregate_cached(version.content_hash, preview, _freshness())
    return pd.DataFrame(columns=["unit", "period"]) if result is None else _until(result.inputs, until_period)


def indicator_values(*, until_period: str | None = None, preview: bool = False) -> pd.DataFrame:
    """Every indicator of every unit and period (cumulative year to date) from approved figures."""
    version, _, _ = plan_core()
    result = _aggregate_cached(version.content_hash, preview, _freshness())
    if result is None:
        return pd.DataFrame(columns=["unit", "period", "indicator", "category", "value", "reason"])
    return _until(result.indicators, until_period)


# ----------------------------------------------------------------------------------------------
def _targets(version: PlanVersion) -> tuple[dict, dict]:
    """(unit, indicator) -> target record (with baseline preferred); (unit, indicator) -> {year: annual target}."""
    best: dict[tuple[str, str], Target] = {}
    annual: dict[tuple[str, str], dict[int, float]] = {}
    qs = Target.objects.filter(plan=version).select_related("indicator", "org_unit")
    for t in qs:
        key = (t.org_unit.code, t.indicator.code)
        if t.kind == "annual" and t.category in ("total", ""):
            annual.setdefault(key, {})[t.year] = float(t.value)
        elif t.kind == "target":
            cur = best.get(key)
            if cur is None or (cur.baseline_year is None and t.baseline_year is not None):
                best[key] = t
    return best, annual


def _num(x) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def monitoring_table(*, period: str, unit: str | None = None, method: str = "path",
                     preview: bool = False) -> list[MonitoringRow]:
    """Every indicator with a formula, for every unit (or one), for ``period``: value, target, status, rule."""
    q = Quarter.parse(period)
    version, plan, fset = plan_core()
    ind = indicator_values(until_period=period, preview=preview)
    ind = ind[ind["category"].isin(["total", ""]) | ind["category"].isna()]
    names = {u.code: u.name for u in plan.org_units}
    inds = {i.code: i for i in plan.indicators}
    if unit:
        code = unit if unit in names else next((c for c, n in names.items() if n == unit), None)
        if code is None:
            raise LookupError(f"未知单位 {unit!r} / unknown unit {unit!r}")
        ind = ind[ind["unit"] == code]
    key = ["unit", "indicator"]
    cur = ind[ind["period"] == period].set_index(key)
    last_same = ind[ind["period"] == str(q.same_quarter_last_year())].set_index(key)["value"]
    last_year = ind[ind["period"] == f"{q.year - 1}Q4"].set_index(key)["value"]
    scaled = _scaled_indicators(version.content_hash)
    best, annual = _targets(version)

    rows_in, meta = [], []
    for (u, i), rec in cur.iterrows():
        if i not in inds:
            continue
        indicator = inds[i]
        value = _num(rec["value"])
        reason = rec.get("reason") if value is None else None
        prev = _num(last_same.get((u, i)))
        yoy = (value / prev - 1) * 100 if value is not None and prev not in (None, 0) else None
        assessed, how = value, "本期累计值 / year-to-date value"
        if q.q < 4 and i in scaled and value is not None:
            full = _num(last_year.get((u, i)))
            if prev not in (None, 0) and full is not None:
                assessed = value * full / prev
                how = (f"按上年同期占全年比重折算全年：{value:.4g} × {full:.4g} / {prev:.4g} = {assessed:.4g} / "
                       "projected to the year with last year's share of the same period")
            else:
                assessed, how = None, "缺少上年同期或全年数据，无法折算全年 / no last-year figures to project the year"
        tgt = best.get((u, i))
        yearly = annual.get((u, i), {})
        if tgt is None and yearly:
            first = min(yearly)
            base_year, base_value = first, yearly[first]
            target_year, target_value, comparator, source = max(yearly), yearly[max(yearly)], "=", "附件2/3"
            src = Target.objects.filter(plan=version, kind="annual", org_unit__code=u, indicator__code=i).first()
            source = src.source if src else source
        elif tgt is not None:
            base_year, base_value = tgt.baseline_year, _num(tgt.baseline_value)
            target_year, target_value, comparator, source = tgt.year, _num(tgt.value), tgt.comparator, tgt.source
        else:
            base_year = base_value = target_year = target_value = None
            comparator, source = "", ""
        meta.append(dict(period=period, org_unit=u, org_unit_name=names.get(u, u), indicator=i,
                         indicator_name=indicator.name, unit=str(rec.get("unit_label") or indicator.unit),
                         value=value, not_computable_reason=reason, yoy_pct=yoy, assessed_value=assessed,
                         baseline_year=base_year, baseline_value=base_value, target_year=target_year,
                         target_value=target_value, comparator=comparator or "=", target_source=source,
                         how=how))
        rows_in.append(dict(indicator=i, base_year=base_year, base_value=base_value, current_year=q.year,
                            current_value=assessed, target=target_value, target_year=target_year,
                            direction=indicator.direction, comparator=comparator or "=", kind=indicator.kind,
                            annual_target=yearly.get(q.year, np.nan), unit=indicator.unit))
    if not rows_in:
        return []
    frame = pd.DataFrame(rows_in)
    has_target = frame["target"].notna() & frame["base_year"].notna()
    result = pd.DataFrame(index=frame.index)
    if has_target.any():
        sub = frame[has_target].astype({"base_year": float, "target_year": float})
        assessed_frame = assess(sub.fillna({"annual_target": np.nan}), method=method)
        assessed_frame.index = sub.index
        result = assessed_frame
    out = []
    for idx, m in enumerate(meta):
        if idx in result.index:
            r = result.loc[idx]
            status, expected = str(r["status"]), _num(r["expected"])
            rule = f"{r['status_rule']}；{m['how']}"
            if method != "path":
                rule = f"{r['status_rule']}；{method}: {r['rule']}；{m['how']}"
            ratio, category = _num(r["ratio"]), str(r.get("category") or "")
        else:
            status, expected, ratio, category = NO_TARGET, None, None, ""
            rule = f"规划未对该单位设定此指标的目标 / the plan sets no target for this unit；{m['how']}"
        if m["value"] is None:
            status = "无法评估"
            rule = f"无法计算 / not computable: {m['not_computable_reason'] or '缺少数据'}"
        m = dict(m)
        m.pop("how")
        out.append(MonitoringRow(**m, expected=expected, status=status, rule=rule, method=method, ratio=ratio,
                                 category=category, preview=preview))
    order = {u.code: n for n, u in enumerate(plan.org_units)}
    iorder = {i.code: n for n, i in enumerate(plan.indicators)}
    out.sort(key=lambda r: (order.get(r.org_unit, 999), iorder.get(r.indicator, 999)))
    return out


def indicator_series(*, indicator: str, unit: str | None = None, method: str = "path",
                     preview: bool = False) -> list[MonitoringRow]:
    """The indicator for every period that has figures (for charts: value against the expected path)."""
    ind = indicator_values(preview=preview)
    periods = sorted(set(ind.loc[ind["indicator"] == indicator, "period"]))
    rows: list[MonitoringRow] = []
    for p in periods:
        rows += [r for r in monitoring_table(period=p, unit=unit, method=method, preview=preview)
                 if r.indicator == indicator]
    return rows


def units_with_data() -> list[OrgUnit]:
    version = plan_current()
    return list(OrgUnit.objects.filter(plan=version).exclude(kind__in=["park", "enterprise"]))


def reviewable_unit_codes(user) -> set[str] | None:
    """Codes of the units whose figures the user reviews; None means all (省创新办)."""
    ids = unit_ids(user, Action.REVIEW)
    if ids is None:
        return None
    return set(OrgUnit.objects.filter(id__in=ids).values_list("code", flat=True))
