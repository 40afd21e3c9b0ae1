"""Data for the dashboard pages: cards, series and charts, read through the monitoring selectors.

Policies: the dashboard shows approved figures only (``preview=False``); the "latest period" is the
latest period for which the pilot zone has any indicator value.  Without a plan, or before any
figure is approved, the pages show the plan's targets and say that there is no monitoring data yet.
Parks and enterprises never appear (their figures are confidential statistical data).

Caching: every page reads one in-process snapshot of the monitoring rows of every period (and the
charts drawn from them).  The snapshot is keyed by the plan's hash and the latest approval/update
time of any report, so an approval shows on the next request; one thread builds it while the others
wait for it.  A new key does not throw the snapshot away: only the rows of the periods the changed
figures affect are rebuilt (the charts and rendered fragments, which span periods, are redrawn).
"""

from __future__ import annotations

import math
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from lanbai.core.periods import Quarter
from lanbai.monitoring import selectors as monitoring
from lanbai.plans import selectors as plans
from lanbai.plans.selectors import PlanNotLoaded

from .charts import Series, line_chart

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import Indicator, OrgUnit

PUBLIC_KINDS = ("pilot_zone", "city", "zone", "aggregate")
STATUS_CLASS = {
    "达标": "ok",
    "正常": "normal",
    "预警": "warn",
    "严重滞后": "bad",
    "无法评估": "na",
    "无目标": "na",
}


def _finite(v) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def public_units() -> dict[str, tuple[str, str]]:
    """code -> (name, kind) of the units shown on the dashboard, in the plan's order."""
    _, plan, _ = monitoring.plan_core()
    return {u.code: (u.name, u.kind) for u in plan.org_units if u.kind in PUBLIC_KINDS}


@dataclass
class Snapshot:
    """Monitoring rows of every period with figures, by period; charts drawn on demand and kept."""

    key: tuple
    periods: list[str]
    rows: dict[str, list]
    charts: dict[str, tuple[list[str], list]] = field(default_factory=dict)
    fragments: dict[tuple, str] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    zones: dict[str, OrgUnit] = field(default_factory=dict)
    generation: int = 0  # of monitoring's indicator results (monitoring.indicator_changes)


_lock = threading.Lock()
_WS = re.compile(r">\s+<")
_snapshot: Snapshot | None = None


def current() -> tuple:
    """(plan in force or None, its snapshot or None) — one query when the snapshot is fresh."""
    plan, key = monitoring.plan_and_freshness()
    if plan is None or key is None:  # (the key is None exactly when there is no plan)
        return None, None
    return plan, _snapshot_for(key)


def snapshot() -> Snapshot | None:
    """The current snapshot (built if the figures changed), or None without a (usable) plan."""
    return current()[1]


def _snapshot_for(key: tuple) -> Snapshot | None:
    global _snapshot
    snap = _snapshot
    if snap is not None and snap.key == key:
        return snap
    with _lock:
        if _snapshot is not None and _snapshot.key == key:
            return _snapshot
        try:
            _snapshot = _snapshot_update(_snapshot, key)
        except PlanNotLoaded:
            return None
        return _snapshot


def _snapshot_update(old: Snapshot | None, key: tuple) -> Snapshot:
    """The snapshot for ``key``: the rows of the periods whose figures changed since ``old`` are
    rebuilt and the others kept (monitoring says which periods changed); everything when ``old``
    is of another plan or monitoring cannot say."""
    since = old.generation if old is not None and old.key[:2] == key[:2] else None
    generation, changed = monitoring.indicator_changes(since=since)
    ind = monitoring.indicator_values()
    ind = ind[ind["value"].notna()]
    periods = sorted(set(ind["period"]), key=Quarter.parse)
    units = public_units()

    def table(p: str) -> list:
        return [r for r in monitoring.monitoring_table(period=p) if r.org_unit in units]

    if old is None or changed is None:
        rows = {p: table(p) for p in periods}
    else:
        stale = monitoring.table_periods_affected(changed)
        rows = {p: old.rows[p] if p in old.rows and p not in stale else table(p) for p in periods}
    same_plan = old is not None and old.key[:2] == key[:2]
    return Snapshot(
        key=key,
        periods=periods,
        rows=rows,
        indicators=old.indicators if same_plan else plans.indicators_by_code(plan_id=key[0]),
        zones=old.zones if same_plan else plans.zones_by_code(plan_id=key[0]),
        generation=generation,
    )


def fragment(snap: Snapshot | None, key: tuple, build: Callable[[], str]) -> str:
    """A rendered piece of page kept with the snapshot (the caller puts the language in ``key``)."""
    if snap is None:
        return build()
    html = snap.fragments.get(key)
    if html is None:
        html = snap.fragments[key] = _squeeze(build())
    return html


def _squeeze(html: str) -> str:
    """Collapse the templates' indentation between tags to one space (the fragments have no <pre>)."""
    return _WS.sub("> <", html)


def periods_with_data(*, unit: str | None = None) -> list[str]:
    """Periods (sorted) for which ``unit`` (or any unit) has an approved indicator value."""
    snap = snapshot()
    if snap is None:
        return []
    return [
        p
        for p in snap.periods
        if any(r.value is not None and (unit is None or r.org_unit == unit) for r in snap.rows[p])
    ]


def latest_period(*, unit: str | None = None) -> str | None:
    periods = periods_with_data(unit=unit)
    return periods[-1] if periods else None


@dataclass(frozen=True)
class Card:
    indicator: str
    name: str
    unit: str
    source: str
    baseline_year: int | None
    baseline_value: float | None
    target_year: int | None
    target_value: float | None
    comparator: str
    value: float | None = None
    yoy_pct: float | None = None
    assessed: float | None = None
    expected: float | None = None
    status: str = ""
    rule: str = ""
    period: str = ""

    @property
    def status_class(self) -> str:
        return STATUS_CLASS.get(self.status, "na")


def unit_rows(*, unit: str, period: str | None) -> list:
    snap = snapshot()
    if not period or snap is None:
        return []
    return [r for r in snap.rows.get(period, []) if r.org_unit == unit]


def cards(headline: list[dict], *, unit: str, period: str | None) -> list[Card]:
    """One card per headline indicator: the plan's target plus, when there is data, the latest row."""
    rows = {r.indicator: r for r in unit_rows(unit=unit, period=period)}
    out = []
    for h in headline:
        ind = h["indicator"]
        r = rows.get(ind.code)
        out.append(
            Card(
                indicator=ind.code,
                name=ind.name,
                unit=ind.unit,
                source=h["source"],
                baseline_year=h["baseline_year"],
                baseline_value=_finite(h["baseline_value"]),
                target_year=h["target_year"],
                target_value=_finite(h["target_value"]),
                comparator=h["comparator"],
                value=r.value if r else None,
                yoy_pct=r.yoy_pct if r else None,
                assessed=r.assessed_value if r else None,
                expected=r.expected if r else None,
                status=r.status if r else "",
                rule=r.rule if r else "",
                period=period or "",
            )
        )
    return out


@dataclass(frozen=True)
class UnitSeries:
    code: str
    name: str
    rows: list
    svg: str


def indicator_charts(indicator: str, *, name: str, measure: str) -> tuple[list[str], list[UnitSeries]]:
    """For every public unit with figures: the indicator per period against its expected path, as SVG."""
    snap = snapshot()
    if snap is None:
        return [], []
    cached = snap.charts.get(indicator)
    if cached is not None:
        return cached
    units = public_units()
    by_unit: dict[str, dict[str, monitoring.MonitoringRow]] = {}
    for p in snap.periods:
        for r in snap.rows[p]:
            if r.indicator == indicator:
                by_unit.setdefault(r.org_unit, {})[p] = r
    periods = [p for p in snap.periods if any(p in per for per in by_unit.values())]
    out = []
    for code, (uname, _kind) in units.items():
        per = by_unit.get(code)
        if not per or all(getattr(r, "value", None) is None for r in per.values()):
            continue
        assessed = [
            _finite(getattr(per.get(p), "assessed_value", None)) if p in per else None for p in periods
        ]
        expected = [_finite(per[p].expected) if p in per else None for p in periods]
        svg = line_chart(
            periods,
            [
                Series("评估值（年度值或折算全年）", assessed, short="评估值"),
                Series("规划目标路径预期值", expected, dashed=True, short="预期值"),
            ],
            title=f"{uname} · {name}",
            desc=(
                f"{uname}{name}各报告期的评估值与规划目标路径预期值（单位：{measure}）。"
                "第一至三季度的流量指标按上年同期占全年比重折算全年；详细数值见下表。"
            ),
            y_label=measure,
            chart_id=f"c-{indicator}-{code}",
        )
        out.append(UnitSeries(code=code, name=uname, rows=[per[p] for p in periods if p in per], svg=svg))
    snap.charts[indicator] = (periods, out)
    return periods, out
