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
import itertools
import math
import os
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

import duckdb
import numpy as np
import pandas as pd

from lanbai.access.policy import Action, unit_ids
from lanbai.collection import selectors as collection_selectors
from lanbai.collection import services as collection_services
from lanbai.collection.selectors import submission_freshness, submission_freshness_subqueries
from lanbai.common.exceptions import NotFoundError, ValidationFailed
from lanbai.core.aggregate import AggregateResult, aggregate, drop_work_tables
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
FIGURES_KEPT = 2  # periods whose store rows a state keeps between incremental recomputes


@dataclass
class _Computed:
    """One process's aggregation of every period and what it was computed from (not the figures).

    ``change`` is the id and time of the last change of the approved-figures store it includes (the
    time guards against a database whose log was rolled back and reused the id).  ``log`` lists, per
    ``generation``, the periods whose indicator rows changed (None: everything), for the dashboard.
    ``totals`` are the core's wide totals of every period (:attr:`AggregateResult.totals`), which an
    incremental recompute passes back so that only the changed periods are summed again.  The
    recomputed periods' rows are spliced into ``result`` when it is next read (``pending``,
    :func:`_result`): the request set after an approval reads the per-period split only.
    """

    key: tuple
    fresh: tuple
    change: tuple
    periods: set  # the periods that have figures
    result: AggregateResult | None  # None without figures; read it through _result (pending splices)
    totals: object = None
    pending: list = field(default_factory=list)  # (targets, changed periods, part) not yet in result
    figures: dict = field(default_factory=dict)  # period -> its store rows, for the last changed periods
    generation: int = 0
    log: list = field(default_factory=list)
    by_period: dict | None = None  # period -> _PeriodTotals, made on first use (:func:`_period_totals`)
    valued: set | None = None  # the periods with any indicator value, made on first use


@dataclass(frozen=True)
class _PeriodTotals:
    """The indicator rows of one period (totals: category total or empty) and their values by key."""

    frame: pd.DataFrame
    values: dict  # (unit, indicator) -> value as a float (NaN: none)


def _totals_of(indicators: pd.DataFrame) -> dict[str, _PeriodTotals]:
    ind = indicators[indicators["category"].isin(["total", ""]) | indicators["category"].isna()]
    out = {}
    for p, frame in ind.groupby("period", sort=False):
        frame = frame.reset_index(drop=True)
        vals = _floats(frame["value"])
        out[str(p)] = _PeriodTotals(frame=frame, values=dict(zip(
            zip(frame["unit"].tolist(), frame["indicator"].tolist(), strict=True), vals.tolist(), strict=True)))
    return out


def _period_totals(state: _Computed) -> dict[str, _PeriodTotals]:
    """The state's indicator totals split by period, made once per state and updated per changed period."""
    with _computed_lock:
        if state.by_period is None:
            result = _result(state)
            state.by_period = {} if result is None else _totals_of(result.indicators)
        return state.by_period


def _result(state: _Computed) -> AggregateResult | None:
    """The state's full result, with the recomputed periods still pending spliced in."""
    with _computed_lock:
        if state.pending and state.result is not None:
            result = state.result
            for targets, changed, part in state.pending:
                result = AggregateResult(
                    inputs=_splice(result.inputs, part.inputs, targets),
                    indicators=_splice(result.indicators, part.indicators, targets),
                    # unattributed reports depend on their own period's figures only
                    unattributed=_splice(result.unattributed, part.unattributed, changed),
                )
            state.result = result
        state.pending = []
        return state.result


_computed: dict[tuple, _Computed] = {}
# generations are unique in the process (not per state), so a generation of a state that was dropped
# and rebuilt never passes for one of the new state's
_generations = itertools.count(1)
_computed_lock = threading.RLock()


_tree_frames: dict[int, tuple] = {}  # plan version pk -> (tree key, (tree, members)), read under _computed_lock


def _inputs(version: PlanVersion):
    """The effective-dated tree and the aggregates' members for the core, kept until the tree's
    fingerprint (:func:`lanbai.plans.selectors.orgunit_tree_key`) changes."""
    key = plan_selectors.orgunit_tree_key(plan=version)
    kept = _tree_frames.get(version.pk)
    if kept is not None and kept[0] == key:
        return kept[1]
    frames = _read_inputs(version)
    _tree_frames.clear()
    _tree_frames[version.pk] = (key, frames)
    return frames


def _read_inputs(version: PlanVersion):
    tree = data.org_tree_frame(version)
    units = data.org_units_frame(version)
    members = [(u, m) for u, kind, mm in units[["code", "kind", "members"]].itertuples(index=False)
               if kind == "aggregate" for m in (mm or [])]
    for col in ("valid_from", "valid_to"):
        tree[col] = pd.to_datetime(tree[col])
    return tree, pd.DataFrame(members, columns=["unit", "member"])


_AGG_COLUMNS = ["org_unit", "period", "field", "value", "value_text", "status", "version"]


_duck: dict[int, duckdb.DuckDBPyConnection] = {}  # process id -> the DuckDB connection monitoring aggregates on


def _connection() -> duckdb.DuckDBPyConnection:
    """The process's DuckDB connection (a new one costs ~15 ms per aggregation); used under
    ``_computed_lock`` only, so one aggregation runs on it at a time.  Per process id: a forked
    worker never shares its parent's."""
    con = _duck.get(os.getpid())
    if con is None:
        _duck.clear()
        con = _duck[os.getpid()] = duckdb.connect()
    return con


def _compute(values: pd.DataFrame | str, version: PlanVersion, fset: FormulaSet, *, preview: bool | frozenset[str],
             periods: list[str] | None = None, known_totals=None,
             replace: list[str] | None = None) -> AggregateResult | None:
    """The core aggregation of ``values`` (all of it is read for ``prev`` / ``lag_year``), keeping
    the results of ``periods`` (all when None); None without figures.  With ``known_totals`` (the
    state's), only the ``replace`` periods are summed from ``values`` (:func:`lanbai.core.aggregate.aggregate`)."""
    if not isinstance(values, str) and values.empty and known_totals is None:
        return None
    tree, agg_members = _inputs(version)
    vals: pd.DataFrame | str = values  # a view's name: its columns are VALUE_COLUMNS
    if not isinstance(values, str):
        vals = values[_AGG_COLUMNS]
        if preview:
            vals = vals.assign(status=vals["status"].replace({"zone_approved": "submitted"}))
    con = _connection()
    try:
        # the engine only asks whether to count submitted figures (the units were chosen in the read)
        return aggregate(vals, tree, fset, aggregates=agg_members, preview=bool(preview), basis=("ytd",),
                         periods=periods, con=con, known_totals=known_totals, replace=replace,
                         keep_totals=True)
    finally:
        if known_totals is None:  # a full recompute's work tables hold every figure: not kept
            drop_work_tables(con)


def _change_mark(change_id: int) -> tuple:
    return (change_id, collection_selectors.approved_figure_change_at(change_id))


def _full(key: tuple, fresh: tuple, version: PlanVersion, fset: FormulaSet,
          preview: bool | frozenset[str]) -> _Computed:
    collection_services.approved_figures_catch_up()  # the next start catches up (docs/scale.md)
    change = _change_mark(collection_selectors.approved_figure_change_latest())
    _tree_frames.clear()  # a full recompute reads the tree again, whatever its fingerprint says
    con = _connection()
    if not preview and data.reported_values_view(con, "agg_source"):  # DuckDB reads the store's mirror
        try:
            periods = {p for (p,) in con.execute("SELECT DISTINCT period FROM agg_source").fetchall()}
            result = _compute("agg_source", version, fset, preview=False) if periods else None
        finally:
            drop_work_tables(con)  # the views agg_source* and the units' codes they join
    else:
        values = data.reported_values_frame(preview=preview, compact=not preview)
        periods = set(values["period"].unique())
        result = _compute(values, version, fset, preview=preview)
    return _Computed(key=key, fresh=fresh, change=change, periods=periods,
                     result=result, totals=None if result is None else result.totals)


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


def _incremental(state: _Computed, fresh: tuple, version: PlanVersion, fset: FormulaSet) -> _Computed | None:
    """Bring ``state`` up to date from the store's change log: re-read the changed reports' periods,
    sum only those again (the other periods' totals are the state's), evaluate the formulas of the
    affected periods and splice them in.  None when a full recompute is needed."""
    last, changes = collection_selectors.approved_figure_changes(after=state.change[0])
    if last == state.change[0]:
        state.fresh = fresh
        return state
    if len(changes) > INCREMENTAL_MAX_REPORTS or state.result is None or state.totals is None:
        return None
    changed_periods = {p for _, p, _ in changes}
    known = state.periods | changed_periods
    targets = affected_periods(changed_periods, fset.shifts, known) & known
    # only the figures of the changed periods, from the store (no copy of every figure is kept in
    # memory: at province scale that would be most of the server's memory); the periods the
    # affected ones look back to are read from the state's totals
    values = _changed_figures(state, changes)
    part = _compute(values, version, fset, preview=False, periods=sorted(targets), known_totals=state.totals,
                    replace=sorted(changed_periods))
    if part is not None:
        state.pending.append((targets, changed_periods, part))
        state.totals = part.totals
    if state.by_period is not None and part is not None:  # only the recomputed periods are split again
        fresh_totals = _totals_of(part.indicators[part.indicators["period"].isin(targets)])
        state.by_period = {**{p: t for p, t in state.by_period.items() if p not in targets}, **fresh_totals}
    if state.valued is not None and part is not None:
        state.valued = (state.valued - targets) | _valued(part.indicators[part.indicators["period"].isin(targets)])
    state.periods, state.fresh = known, fresh
    state.change = _change_mark(last)
    state.generation = next(_generations)
    state.log.append((state.generation, frozenset(targets)))
    del state.log[:-64]
    return state


def _changed_figures(state: _Computed, changes: list[tuple[int, str, str]]) -> pd.DataFrame:
    """The store rows of the changed periods.  The rows of the last ``FIGURES_KEPT`` changed periods are
    kept with the state: for those only the changed units' rows are read again and swapped in (an
    approval reads one report's figures, not its whole period's); another period is read whole."""
    by_period: dict[str, set[int]] = {}
    for unit_id, period, _ in changes:
        by_period.setdefault(period, set()).add(unit_id)
    frames = []
    for period in sorted(by_period):
        kept = state.figures.get(period)
        if kept is None:
            kept = data.reported_values_frame(periods=[period])
        else:
            ids = by_period[period]
            fresh = data.reported_values_frame(periods=[period], units=ids)
            codes = plan_selectors.orgunit_codes(ids)
            kept = pd.concat([kept[~kept["org_unit"].isin(codes)], fresh], ignore_index=True)
        state.figures.pop(period, None)
        state.figures[period] = kept  # the most recently changed last
        frames.append(kept)
    while len(state.figures) > FIGURES_KEPT:
        state.figures.pop(next(iter(state.figures)))
    return frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True)


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
    return _result(_state(content_hash, preview, fresh))


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
        new.generation = next(_generations)
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
    known = [g for g, _ in state.log]
    if since not in known:  # another state's, or older than the log
        return state.generation, None
    changed: set[str] = set()
    for _, periods in state.log[known.index(since) + 1:]:
        if periods is None:
            return state.generation, None
        changed |= periods
    return state.generation, changed


def _valued(indicators: pd.DataFrame) -> set[str]:
    return {str(p) for p in indicators.loc[indicators["value"].notna(), "period"].unique()}


def periods_with_values(*, preview: bool = False) -> list[str]:
    """The periods (in order) in which any unit has an indicator value (the dashboard's periods)."""
    version, _, _ = plan_core()
    state = _state(version.content_hash, preview, _freshness())
    with _computed_lock:
        if state.valued is None:
            result = _result(state)
            state.valued = set() if result is None else _valued(result.indicators)
        return sorted(state.valued, key=Quarter.parse)


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


@dataclass(frozen=True)
class _PlanTables:
    """What :func:`monitoring_table` reads from the plan, built once per plan version (not per call).

    ``applicable``: (unit, indicator) -> (base year, base value, target year, target value,
    comparator, source) of the applicable target (:func:`applicable_targets`), numbers as Python
    numbers or None; ``annual``: the annual targets (total) per year, filled on first use.
    """

    applicable: dict
    annual: dict
    targets: pd.DataFrame
    names: dict
    indicators: dict
    unit_order: dict
    indicator_order: dict


_plan_tables: dict[tuple, _PlanTables] = {}


def _tables(version: PlanVersion, plan: Plan) -> _PlanTables:
    key = (version.pk, version.content_hash)
    tables = _plan_tables.get(key)
    if tables is None:
        targets = targets_frame(version)
        applicable = {
            (u, i): (_year(by), _num(bv), _year(ty), _num(tv), c, s)
            for u, i, by, bv, ty, tv, c, s in applicable_targets(targets).itertuples(index=False)
        }
        tables = _PlanTables(
            applicable=applicable, annual={}, targets=targets,
            names={u.code: u.name for u in plan.org_units},
            indicators={i.code: i for i in plan.indicators},
            unit_order={u.code: n for n, u in enumerate(plan.org_units)},
            indicator_order={i.code: n for n, i in enumerate(plan.indicators)},
        )
        if len(_plan_tables) >= 2:
            _plan_tables.clear()
        _plan_tables[key] = tables
    return tables


def _annual_targets(tables: _PlanTables, year: int) -> dict:
    annual = tables.annual.get(year)
    if annual is None:
        annual = tables.annual[year] = annual_target_of(tables.targets, year).to_dict()
    return annual


def _floats(values) -> np.ndarray:
    """``values`` as floats, NaN for missing and non-finite values (what :func:`_num` calls None)."""
    series = values if isinstance(values, pd.Series) else pd.Series(values)
    if not pd.api.types.is_numeric_dtype(series.dtype):
        series = pd.to_numeric(series.astype(object), errors="coerce")
    out = series.to_numpy(dtype=float, na_value=np.nan, copy=True)
    out[~np.isfinite(out)] = np.nan
    return out


def _nums(arr: np.ndarray) -> list:
    """Floats as Python floats, None for NaN."""
    return [None if f != f else f for f in arr.tolist()]


def monitoring_table(*, period: Quarter | str, unit: str | None = None, method: str = "path",
                     preview: bool | frozenset[str] = False,
                     unit_codes: set[str] | None = None) -> list[MonitoringRow]:
    """Every indicator with a formula, for every unit (or one), for ``period``: value, target, status, rule.

    ``unit_codes`` (:func:`figure_unit_codes`): only the rows of those units (None: every unit).

    The pure core annualises the year-to-date figures (:func:`lanbai.core.progress.annualise`),
    chooses the applicable target (:func:`lanbai.core.progress.applicable_targets`) and assesses
    progress; this function fetches the frames and shapes the rows.  It works on columns: the
    figures of the three periods it reads are joined by (unit, indicator), the targets are looked
    up per plan version once, and the rows are made in one pass over plain lists (docs/scale.md).
    """
    q = quarter_of(period)
    period = str(q)
    version, plan, _ = plan_core()
    tables = _tables(version, plan)
    code = _unit_code(unit, version) if unit else None
    by_period = _period_totals(_state(version.content_hash, preview, _freshness()))
    now = by_period.get(period)
    if now is None:
        return []
    cur = now.frame
    cur = cur[cur["indicator"].isin(list(tables.indicators))]
    if code is not None:
        cur = cur[cur["unit"] == code]
    if unit_codes is not None:
        cur = cur[cur["unit"].isin(unit_codes)]
    if cur.empty:
        return []
    units, codes = cur["unit"].tolist(), cur["indicator"].tolist()
    keys = list(zip(units, codes, strict=True))

    def values_of(p: str) -> np.ndarray:
        other = by_period.get(p)
        if other is None:
            return np.full(len(keys), np.nan)
        return np.array([other.values.get(k, np.nan) for k in keys], dtype=float)

    same, full = str(q.same_quarter_last_year()), str(q.last_quarter_of_previous_year())
    value = _floats(cur["value"])
    projected = annualise(
        pd.DataFrame({"indicator": codes, "value": value, "last_same": values_of(same),
                      "last_full": values_of(full)}),
        quarter=q.q,
        scaled=_scaled_indicators(version.content_hash),
    )
    n = len(units)
    indicators = [tables.indicators[i] for i in codes]
    none6 = (None, None, None, None, "", "")
    tgt = [tables.applicable.get(k, none6) for k in keys]
    base_year, base_value, target_year, target_value, comparator, source = (
        list(col) for col in zip(*tgt, strict=True))
    comparator = [c or "=" for c in comparator]
    assessed = _floats(projected["assessed"])
    annual_now = _annual_targets(tables, q.year)

    def col(xs: list) -> np.ndarray:
        return np.array([np.nan if x is None else x for x in xs], dtype=float)

    has_target = np.array([tv is not None and by is not None for by, tv in zip(base_year, target_value, strict=True)],
                          dtype=bool)
    status: list = [NO_TARGET] * n
    expected: list = [None] * n
    ratio: list = [None] * n
    category: list = [""] * n
    rule_head: list = [None] * n
    if has_target.any():
        pick = np.flatnonzero(has_target)
        sub = pd.DataFrame({
            "indicator": [codes[k] for k in pick],
            "base_year": col(base_year)[pick],
            "base_value": col(base_value)[pick],
            "current_year": np.full(len(pick), q.year, dtype=np.int64),
            "current_value": assessed[pick],
            "target": col(target_value)[pick],
            "target_year": col(target_year)[pick],
            "direction": [indicators[k].direction for k in pick],
            "comparator": [comparator[k] for k in pick],
            "kind": [indicators[k].kind for k in pick],
            "annual_target": np.array([annual_now.get(keys[k], np.nan) for k in pick], dtype=float),
            "unit": [indicators[k].unit for k in pick],
        })
        res = assess(sub, method=method)
        r_status = res["status"].astype(str).tolist()
        r_expected = _nums(_floats(res["expected"]))
        r_ratio = _nums(_floats(res["ratio"]))
        r_category = [str(c or "") for c in res["category"].tolist()] if "category" in res else [""] * len(pick)
        r_rule = res["status_rule"].tolist()
        r_method_rule = res["rule"].tolist() if method != "path" else None
        for j, k in enumerate(pick.tolist()):
            status[k], expected[k], ratio[k], category[k] = r_status[j], r_expected[j], r_ratio[j], r_category[j]
            rule_head[k] = (f"{r_rule[j]}" if r_method_rule is None else f"{r_rule[j]}；{method}: {r_method_rule[j]}")
    how = projected["how"].tolist()
    values = _nums(value)
    reasons = cur["reason"].tolist() if "reason" in cur else [None] * n
    labels = cur["unit_label"].tolist() if "unit_label" in cur else [None] * n
    yoy = _nums(_floats(projected["yoy_pct"]))
    assessed_values = _nums(assessed)
    names, shown_preview = tables.names, bool(preview)
    out = []
    for k in range(n):
        u, indicator, v = units[k], indicators[k], values[k]
        reason = reasons[k] if v is None else None
        if v is None:
            st = "无法评估"
            rule = f"无法计算 / not computable: {reason or '缺少数据'}"
        elif rule_head[k] is not None:
            st, rule = status[k], f"{rule_head[k]}；{how[k]}"
        else:
            st = status[k]
            rule = f"规划未对该单位设定此指标的目标 / the plan sets no target for this unit；{how[k]}"
        out.append(MonitoringRow(
            period=period, org_unit=u, org_unit_name=names.get(u, u), indicator=codes[k],
            indicator_name=indicator.name, unit=str(indicator.unit or labels[k] or ""), value=v,
            not_computable_reason=reason, yoy_pct=yoy[k], assessed_value=assessed_values[k],
            baseline_year=base_year[k], baseline_value=base_value[k], target_year=target_year[k],
            target_value=target_value[k], comparator=comparator[k], target_source=source[k],
            expected=expected[k], status=st, rule=rule, method=method, ratio=ratio[k], category=category[k],
            preview=shown_preview,
        ))
    order, iorder = tables.unit_order, tables.indicator_order
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


_extra_names: dict[str, list[str]] = {}  # plan_and_freshness: the names of an ``extra``'s subqueries


def plan_and_freshness(extra: Callable[[], dict] | None = None) -> tuple[PlanVersion | None, tuple | None]:
    """The plan in force and the freshness key of the figures (plan, hash, latest approval and update,
    then the values of the ``extra()`` subqueries as one tuple: another app's freshness), in one
    query compiled once per process; (None, None) without a plan.  The dashboard keys its snapshot
    on it, so its parts are only compared."""
    key = "freshness" if extra is None else f"freshness+{extra.__module__}.{extra.__qualname__}"
    names = _extra_names.get(key)
    if names is None:
        names = _extra_names[key] = sorted(extra()) if extra is not None else []

    def annotations() -> dict:
        return {**submission_freshness_subqueries(), **(extra() if extra is not None else {})}

    plan = plan_selectors.plan_current_annotated_compiled(key, annotations)
    if plan is None:
        return None, None
    # fresh_a / fresh_u and the extra names are the annotations added (unknown to the model's type)
    return plan, (plan.pk, plan.content_hash, plan.fresh_a, plan.fresh_u,  # type: ignore[attr-defined]
                  tuple(getattr(plan, n) for n in names))


def diagnosable_indicators() -> list[tuple[str, str]]:
    """(code, name) of the plan's indicators that have a formula, in the plan's order."""
    _, plan, fset = plan_core()
    return [(i.code, i.name) for i in plan.indicators if i.code in fset.formulas]
