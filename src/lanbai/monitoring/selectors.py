"""Monitoring results, computed on read from approved figures (no nightly batch).

Pipeline: approved report versions (``data.reported_values_frame``) and the effective-dated
tree go to the core's DuckDB aggregation (sums up the tree, then the plan's formulas), then to
the core's progress assessment against the plan's targets.  Results are current as soon as a
report is approved; a small cache is keyed by the latest approval time and the plan's hash.

Quarters and annual targets: the rules (which indicators are projected to the year, and how;
which target applies) are the core's, :mod:`lanbai.core.progress.annualise` and
:mod:`lanbai.core.progress.targets`; the rule text of every row states which was used.
"""

from __future__ import annotations

import functools
import math
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from django.db.models import Max, Subquery

from lanbai.access.policy import Action, unit_ids
from lanbai.collection.models import Submission
from lanbai.common.exceptions import NotFoundError, ValidationFailed
from lanbai.core.aggregate import aggregate
from lanbai.core.formulas import FormulaSet
from lanbai.core.formulas.plan_check import plan_formulas
from lanbai.core.formulas.scaling import time_scaled_indicators
from lanbai.core.periods import Quarter
from lanbai.core.plan.schema import Plan
from lanbai.core.progress import annual_target_of, annualise, applicable_targets, assess
from lanbai.core.progress.targets import TARGET_COLUMNS
from lanbai.plans import selectors as plan_selectors
from lanbai.plans.selectors import plan_current, plan_in_force, plan_validated

from . import data

NO_TARGET = "无目标"

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import OrgUnit, PlanVersion


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
_compiled: dict[str, tuple[Plan, FormulaSet]] = {}  # content hash -> (plan, its compiled formulas)


def plan_core() -> tuple[PlanVersion, Plan, FormulaSet]:
    """The plan in force: its DB version, the validated plan (from the database) and its compiled formulas.

    Raises :class:`lanbai.plans.selectors.PlanNotLoaded` (an ApplicationError) without a plan.
    """
    version = plan_in_force()
    cached = _compiled.get(version.content_hash)
    if cached is None:
        plan = plan_validated(version)
        cached = (plan, plan_formulas(plan))
        if len(_compiled) >= 2:
            _compiled.clear()
        _compiled[version.content_hash] = cached
    return version, *cached


@functools.lru_cache(maxsize=2)
def _scaled_indicators(content_hash: str) -> frozenset[str]:
    _, _, fset = plan_core()
    return time_scaled_indicators(fset)


# ----------------------------------------------------------------------------------------------
def _freshness() -> tuple:
    agg = Submission.objects.aggregate(a=Max("approved_at"), u=Max("updated_at"))
    return (agg["a"], agg["u"])


@functools.lru_cache(maxsize=4)
def _aggregate_cached(content_hash: str, preview: bool | frozenset[str], fresh: tuple):
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
                     aggregates=agg_members, preview=bool(preview), basis=("ytd",))


def _until(frame: pd.DataFrame, until_period: str | None) -> pd.DataFrame:
    """Rows of periods up to ``until_period`` ('YYYYQn' sorts as text)."""
    return frame.copy() if until_period is None else frame[frame["period"] <= until_period].copy()


def aggregated_inputs(*, until_period: str | None = None,
                      preview: bool | frozenset[str] = False) -> pd.DataFrame:
    """Every aggregated input (summed reported fields, wide) of every unit and period (year to date)."""
    version, _, _ = plan_core()
    result = _aggregate_cached(version.content_hash, preview, _freshness())
    return pd.DataFrame(columns=["unit", "period"]) if result is None else _until(result.inputs, until_period)


def indicator_values(*, until_period: str | None = None,
                     preview: bool | frozenset[str] = False) -> pd.DataFrame:
    """Every indicator of every unit and period (cumulative year to date) from approved figures."""
    version, _, _ = plan_core()
    result = _aggregate_cached(version.content_hash, preview, _freshness())
    if result is None:
        return pd.DataFrame(columns=["unit", "period", "indicator", "category", "value", "reason"])
    return _until(result.indicators, until_period)


# ----------------------------------------------------------------------------------------------
def targets_frame(version: PlanVersion) -> pd.DataFrame:
    """Every target of the plan (one query), in the plan's order, numbers as floats (NaN when absent)."""
    frame = pd.DataFrame(plan_selectors.target_frame_rows(plan=version), columns=TARGET_COLUMNS)
    for col in ("value", "baseline_value", "year", "baseline_year"):
        frame[col] = pd.to_numeric(frame[col].astype(object), errors="coerce").astype(float)
    return frame


def _num(x) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _year(x) -> int | None:
    f = _num(x)
    return None if f is None else int(f)


def _unit_code(unit: str, version: PlanVersion) -> str:
    try:
        return plan_selectors.orgunit_get(unit, plan=version).code
    except NotFoundError:
        raise ValidationFailed(f"未知单位 {unit!r} / unknown unit {unit!r}", field="unit") from None


def quarter_of(period: Quarter | str) -> Quarter:
    """``period`` as a Quarter; ValidationFailed naming the period otherwise."""
    try:
        return Quarter.coerce(period)
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="period") from None


def monitoring_table(*, period: Quarter | str, unit: str | None = None, method: str = "path",
                     preview: bool | frozenset[str] = False,
                     unit_codes: set[str] | None = None) -> list[MonitoringRow]:
    """Every indicator with a formula, for every unit (or one), for ``period``: value, target, status, rule.

    ``unit_codes`` (:func:`figure_unit_codes`): only the rows of those units (None: every unit).

    The pure core annualises the year-to-date figures (:func:`lanbai.core.progress.annualise`),
    chooses the applicable target (:func:`lanbai.core.progress.applicable_targets`) and assesses
    progress; this function fetches the frames and shapes the rows.
    """
    q = quarter_of(period)
    period = str(q)
    version, plan, fset = plan_core()
    ind = indicator_values(until_period=period, preview=preview)
    ind = ind[ind["category"].isin(["total", ""]) | ind["category"].isna()]
    names = {u.code: u.name for u in plan.org_units}
    inds = {i.code: i for i in plan.indicators}
    if unit:
        ind = ind[ind["unit"] == _unit_code(unit, version)]
    key = ["unit", "indicator"]
    cur = ind[(ind["period"] == period) & ind["indicator"].isin(list(inds))].set_index(key)
    if cur.empty:
        return []
    last_same = ind[ind["period"] == str(q.same_quarter_last_year())].set_index(key)["value"]
    last_full = ind[ind["period"] == str(q.last_quarter_of_previous_year())].set_index(key)["value"]

    def numbers(series: pd.Series) -> np.ndarray:
        return np.array([np.nan if (v := _num(x)) is None else v for x in series], dtype=float)

    projected = annualise(
        pd.DataFrame({
            "indicator": cur.index.get_level_values("indicator"),
            "value": numbers(cur["value"]),
            "last_same": numbers(last_same.reindex(cur.index)),
            "last_full": numbers(last_full.reindex(cur.index)),
        }),
        quarter=q.q,
        scaled=_scaled_indicators(version.content_hash),
    )
    targets = targets_frame(version)
    applicable = {
        (r.unit, r.indicator): r for r in applicable_targets(targets).itertuples(index=False)
    }
    annual_now = annual_target_of(targets, q.year).to_dict()

    rows_in, meta = [], []
    for n, ((u, i), rec) in enumerate(cur.iterrows()):
        indicator = inds[i]
        value = _num(rec["value"])
        reason = rec.get("reason") if value is None else None
        p = projected.iloc[n]
        tgt = applicable.get((u, i))
        if tgt is not None:
            base_year, base_value = _year(tgt.base_year), _num(tgt.base_value)
            target_year, target_value = _year(tgt.target_year), _num(tgt.target_value)
            comparator, source = tgt.comparator, tgt.source
        else:
            base_year = base_value = target_year = target_value = None
            comparator, source = "", ""
        assessed = _num(p["assessed"])
        meta.append(dict(period=period, org_unit=u, org_unit_name=names.get(u, u), indicator=i,
                         indicator_name=indicator.name, unit=str(rec.get("unit_label") or indicator.unit),
                         value=value, not_computable_reason=reason, yoy_pct=_num(p["yoy_pct"]),
                         assessed_value=assessed, baseline_year=base_year, baseline_value=base_value,
                         target_year=target_year, target_value=target_value, comparator=comparator or "=",
                         target_source=source, how=p["how"]))
        rows_in.append(dict(indicator=i, base_year=base_year, base_value=base_value, current_year=q.year,
                            current_value=assessed, target=target_value, target_year=target_year,
                            direction=indicator.direction, comparator=comparator or "=", kind=indicator.kind,
                            annual_target=annual_now.get((u, i), np.nan), unit=indicator.unit))
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
                                 category=category, preview=bool(preview)))
    if unit_codes is not None:
        out = [r for r in out if r.org_unit in unit_codes]
    order = {u.code: n for n, u in enumerate(plan.org_units)}
    iorder = {i.code: n for n, i in enumerate(plan.indicators)}
    out.sort(key=lambda r: (order.get(r.org_unit, 999), iorder.get(r.indicator, 999)))
    return out


def indicator_series(*, indicator: str, unit: str | None = None, method: str = "path",
                     preview: bool | frozenset[str] = False,
                     unit_codes: set[str] | None = None) -> list[MonitoringRow]:
    """The indicator for every period that has figures (for charts: value against the expected path)."""
    ind = indicator_values(preview=preview)
    periods = sorted(set(ind.loc[ind["indicator"] == indicator, "period"]))
    rows: list[MonitoringRow] = []
    for p in periods:
        rows += [r for r in monitoring_table(period=p, unit=unit, method=method, preview=preview,
                                             unit_codes=unit_codes)
                 if r.indicator == indicator]
    return rows


def units_with_data() -> list[OrgUnit]:
    version = plan_current()
    return plan_selectors.orgunit_list_reporting(plan=version)


def preview_scope(user, wanted: bool) -> bool | frozenset[str]:
    """What ``preview=`` means for ``user``: False (approved only), True (every unit's submitted figures:
    省创新办) or the codes of the units the user reviews (a 园区审核员 previews its own zone only)."""
    if not wanted:
        return False
    ids = unit_ids(user, Action.PREVIEW)
    return True if ids is None else frozenset(plan_selectors.orgunit_codes(ids))


def figure_unit_codes(user) -> set[str] | None:
    """Codes of the units whose approved figures the user may read (:attr:`Action.READ_FIGURES`); None: all."""
    ids = unit_ids(user, Action.READ_FIGURES)
    return None if ids is None else plan_selectors.orgunit_codes(ids)


def reviewable_unit_codes(user) -> set[str] | None:
    """Codes of the units whose figures the user reviews; None means all (省创新办)."""
    ids = unit_ids(user, Action.REVIEW)
    if ids is None:
        return None
    return plan_selectors.orgunit_codes(ids)


def plan_and_freshness() -> tuple[PlanVersion | None, tuple | None]:
    """The plan in force and the freshness key of the figures (plan, hash, latest approval and update), in one
    query; (None, None) without a plan.  The dashboard keys its snapshot on it."""
    subs = Submission.objects.order_by()
    plan = plan_selectors.plan_current_annotated(
        fresh_a=Subquery(
            subs.filter(approved_at__isnull=False).order_by("-approved_at").values("approved_at")[:1]
        ),
        fresh_u=Subquery(subs.order_by("-updated_at").values("updated_at")[:1]),
    )
    if plan is None:
        return None, None
    return plan, (plan.pk, plan.content_hash, plan.fresh_a, plan.fresh_u)


def diagnosable_indicators() -> list[tuple[str, str]]:
    """(code, name) of the plan's indicators that have a formula, in the plan's order."""
    _, plan, fset = plan_core()
    return [(i.code, i.name) for i in plan.indicators if i.code in fset.formulas]
