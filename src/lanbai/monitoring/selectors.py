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
import threading
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from lanbai.access.policy import Action, unit_ids
from lanbai.collection import selectors as collection_selectors
from lanbai.collection import services as collection_services
from lanbai.collection.selectors import submission_freshness, submission_freshness_subqueries
from lanbai.common.exceptions import NotFoundError, ValidationFailed
from lanbai.core.aggregate import AggregateResult, aggregate
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
    return submission_freshness()


INCREMENTAL_MAX_REPORTS = 20_000  # more changed reports than this since the last read: recompute everything


@dataclass
class _Computed:
    """One process's aggregation of every period and what it was computed from (not the figures).

    ``change`` is the id and time of the last change of the approved-figures store it includes (the
    time guards against a database whose log was rolled back and reused the id).  ``log`` lists, per
    ``generation``, the periods whose indicator rows changed (None: everything), for the dashboard.
    """

    key: tuple
    fresh: tuple
    change: tuple
    periods: set  # the periods that have figures
    result: AggregateResult | None  # None without figures
    generation: int = 0
    log: list = field(default_factory=list)


_computed: dict[tuple, _Computed] = {}
_computed_lock = threading.RLock()


def _inputs(version: PlanVersion):
    tree = data.org_tree_frame(version)
    units = data.org_units_frame(version)
    members = [(u, m) for u, kind, mm in units[["code", "kind", "members"]].itertuples(index=False)
               if kind == "aggregate" for m in (mm or [])]
    for col in ("valid_from", "valid_to"):
        tree[col] = pd.to_datetime(tree[col])
    return tree, pd.DataFrame(members, columns=["unit", "member"])


_AGG_COLUMNS = ["org_unit", "period", "field", "value", "value_text", "status", "version"]


def _compute(values: pd.DataFrame, version: PlanVersion, fset: FormulaSet, *, preview: bool | frozenset[str],
             periods: list[str] | None = None) -> AggregateResult | None:
    """The core aggregation of ``values`` (all of it is read for ``prev`` / ``lag_year``), keeping
    the results of ``periods`` (all when None); None without figures."""
    if values.empty:
        return None
    tree, agg_members = _inputs(version)
    vals = values[_AGG_COLUMNS]
    if preview:
        vals = vals.assign(status=vals["status"].replace({"zone_approved": "submitted"}))
    # the engine only asks whether to count submitted figures (the units were chosen in the read)
    return aggregate(vals, tree, fset, aggregates=agg_members, preview=bool(preview), basis=("ytd",),
                     periods=periods)


def _change_mark(change_id: int) -> tuple:
    return (change_id, collection_selectors.approved_figure_change_at(change_id))


def _full(key: tuple, fresh: tuple, version: PlanVersion, fset: FormulaSet,
          preview: bool | frozenset[str]) -> _Computed:
    collection_services.approved_figures_catch_up()  # the next start catches up (docs/scale.md)
    change = _change_mark(collection_selectors.approved_figure_change_latest())
    values = data.reported_values_frame(preview=preview)
    return _Computed(key=key, fresh=fresh, change=change, periods=set(values["period"].unique()),
                     result=_compute(values, version, fset, preview=preview))


def affected_periods(changed: set[str], shifts: set[int], known: set[str]) -> set[str]:
    """The periods whose indicator results depend on figures of the ``changed`` periods.

    The dependency rule (:mod:`lanbai.core.aggregate.engine`, :mod:`lanbai.core.formulas.compile`):
    a period's sums depend only on that period's figures (attribution on the period's last day), and
    its formulas read the sums of the same unit ``s`` quarters back for every ``s`` in the formula
    set's ``shifts`` (``prev`` = 1, ``lag_year`` = 4, nested calls add up).  So figures of period c
    change the results of c + s for s in {0} ∪ shifts, restricted to the ``known`` periods.
    """
    return {p for c in changed for s in {0, *shifts}
            if (p := str(_forward(Quarter.parse(c), s))) in known or s == 0}


def _forward(q: Quarter, n: int) -> Quarter:
    index = q.year * 4 + q.q - 1 + n
    return Quarter(index // 4, index % 4 + 1)


def _window(targets: set[str], shifts: set[int]) -> set[str]:
    """The periods whose figures the results of ``targets`` read (the targets and ``shifts`` back)."""
    return {str(_forward(Quarter.parse(p), -s)) for p in targets for s in {0, *shifts}}


def _incremental(state: _Computed, fresh: tuple, version: PlanVersion, fset: FormulaSet) -> _Computed | None:
    """Bring ``state`` up to date from the store's change log: re-read the changed reports' periods,
    recompute only the affected periods and splice them in.  None when a full recompute is needed."""
    last, changes = collection_selectors.approved_figure_changes(after=state.change[0])
    if last == state.change[0]:
        state.fresh = fresh
        return state
    if len(changes) > INCREMENTAL_MAX_REPORTS or state.result is None:
        return None
    changed_periods = {p for _, p, _ in changes}
    known = state.periods | changed_periods
    targets = affected_periods(changed_periods, fset.shifts, known) & known
    # only the figures the affected periods read, from the store (no copy of every figure is kept
    # in memory: at province scale that would be most of the server's memory)
    values = data.reported_values_frame(periods=sorted(_window(targets, fset.shifts)))
    part = _compute(values, version, fset, preview=False, periods=sorted(targets))
    result = state.result
    if part is not None:
        result = AggregateResult(
            inputs=_splice(result.inputs, part.inputs, targets),
            indicators=_splice(result.indicators, part.indicators, targets),
            unattributed=_splice(result.unattributed, part.unattributed, targets),
        )
    state.periods, state.result, state.fresh = known, result, fresh
    state.change = _change_mark(last)
    state.generation += 1
    state.log.append((state.generation, frozenset(targets)))
    del state.log[:-64]
    return state


def _splice(old: pd.DataFrame, new: pd.DataFrame, periods: set[str]) -> pd.DataFrame:
    if "period" not in old.columns:
        return old
    kept = old[~old["period"].isin(periods)]
    out = pd.concat([kept, new], ignore_index=True) if len(new) else kept.reset_index(drop=True)
    sort = [c for c in ("basis", "unit", "period", "indicator", "category") if c in out.columns]
    return out.sort_values(sort, kind="stable", ignore_index=True)


def _aggregate_cached(content_hash: str, preview: bool | frozenset[str], fresh: tuple) -> AggregateResult | None:
    """The core aggregation of every period (inputs summed up the tree, then formulas), or None.

    One aggregation serves every ``until_period``: a period's results depend only on its own and
    earlier periods (attribution at the period's end, ``prev`` / ``lag_year`` look back), so the
    results up to a period are the full results filtered to it.  After an approval only the periods
    it affects are recomputed (:func:`affected_periods`); the preview is recomputed whole.
    """
    return _state(content_hash, preview, fresh).result


def _state(content_hash: str, preview: bool | frozenset[str], fresh: tuple) -> _Computed:
    version, _, fset = plan_core()
    key = (version.pk, content_hash, preview)
    with _computed_lock:
        state = _computed.get(key)
        if state is not None and state.fresh == fresh:
            return state
        if state is not None and not preview and _change_mark(state.change[0]) == state.change:
            updated = _incremental(state, fresh, version, fset)
            if updated is not None:
                return updated
        new = _full(key, fresh, version, fset, preview)
        if state is not None:
            new.generation = state.generation + 1
        new.log = [(new.generation, None)]
        if len(_computed) >= 4:
            _computed.clear()
        _computed[key] = new
        return new


def indicator_changes(*, since: int | None, preview: bool = False) -> tuple[int, set[str] | None]:
    """(current generation of the indicator results, the periods whose results changed after
    generation ``since``; None when all may have).  The dashboard updates its snapshot with it."""
    version, _, _ = plan_core()
    state = _state(version.content_hash, preview, _freshness())
    if since is None or since == state.generation:
        return state.generation, (None if since is None else set())
    changed: set[str] = set()
    entries = [(g, p) for g, p in state.log if g > since]
    if not entries or entries[0][0] != since + 1:
        return state.generation, None
    for _, periods in entries:
        if periods is None:
            return state.generation, None
        changed |= periods
    return state.generation, changed


def table_periods_affected(periods: set[str]) -> set[str]:
    """Periods whose :func:`monitoring_table` reads indicator rows of ``periods``: the period itself,
    the same quarter of the next year (last year's same quarter) and, for a Q4, every quarter of the
    next year (last year's full value)."""
    out = set()
    for p in periods:
        q = Quarter.parse(p)
        out |= {p, str(_forward(q, 4))}
        if q.q == 4:
            out |= {str(_forward(q, n)) for n in (1, 2, 3, 4)}
    return out


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
    # plain dicts, not iterrows(): a Series per row was most of a period's table at province scale
    for n, rec in enumerate(cur.reset_index().to_dict("records")):
        u, i = rec["unit"], rec["indicator"]
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
                         indicator_name=indicator.name, unit=str(indicator.unit or rec.get("unit_label") or ""),
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
    assessed_rows = result.to_dict("index")
    for idx, m in enumerate(meta):
        if idx in assessed_rows:
            r = assessed_rows[idx]
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
    plan = plan_selectors.plan_current_annotated(**submission_freshness_subqueries())
    if plan is None:
        return None, None
    # fresh_a / fresh_u are the annotations plan_current_annotated added (unknown to the model's type)
    return plan, (plan.pk, plan.content_hash, plan.fresh_a, plan.fresh_u)  # type: ignore[attr-defined]


def diagnosable_indicators() -> list[tuple[str, str]]:
    """(code, name) of the plan's indicators that have a formula, in the plan's order."""
    _, plan, fset = plan_core()
    return [(i.code, i.name) for i in plan.indicators if i.code in fset.formulas]
