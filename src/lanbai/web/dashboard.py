"""Data for the dashboard pages: cards, series and charts.

Policies (issue 13): **publication is the only way out to the public.**  Anonymous visitors (and
enterprise accounts) see only the stored rows of published releases (``Release.content["rows"]``:
the current release of each period, with the disclosure-control mask applied); their headline
period is the latest period with a published release.  Staff (``Action.READ_UNPUBLISHED``) see the
live approved figures (``preview=False``), each row not in a published release marked 未发布;
their headline period is the latest *complete* period (every zone's 园区季报 approved), never a
period only some zones have reported.  Without a plan, or before any
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
from typing import TYPE_CHECKING, Any

from django.core.signals import request_finished, request_started
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lanbai.access.policy import Action, can
from lanbai.core.disclosure import CONFIDENTIAL, DEFAULT_RULES
from lanbai.core.periods import Quarter
from lanbai.monitoring import selectors as monitoring
from lanbai.plans import selectors as plans
from lanbai.plans.selectors import PlanNotLoaded
from lanbai.reports import selectors as releases
from lanbai.reports.disclosure import public_row

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


ROW_FIELDS = (
    "period", "org_unit", "org_unit_name", "indicator", "indicator_name", "unit", "value", "yoy_pct",
    "assessed_value", "baseline_year", "baseline_value", "target_year", "target_value", "comparator",
    "target_source", "expected", "status", "rule", "not_computable_reason",
)


@dataclass(frozen=True)
class Row:
    """One figure as a page shows it: the monitoring columns plus where it comes from."""

    period: str
    org_unit: str
    org_unit_name: str
    indicator: str
    indicator_name: str
    unit: str
    value: float | None = None
    yoy_pct: float | None = None
    assessed_value: float | None = None
    baseline_year: int | None = None
    baseline_value: float | None = None
    target_year: int | None = None
    target_value: float | None = None
    comparator: str = "="
    target_source: str = ""
    expected: float | None = None
    status: str = ""
    rule: str = ""
    not_computable_reason: str | None = None
    suppressed: bool = False  # disclosure control: shown as × (value fields already emptied)
    unpublished: bool = False  # staff only: approved but not (or not so) in a published release
    release: str = ""  # number of the release the figure is published in

    @classmethod
    def of(cls, data: dict, **extra: Any) -> Row:
        fields: dict[str, Any] = {f: data.get(f) for f in ROW_FIELDS if data.get(f) is not None}
        return cls(**fields, **extra)


@dataclass(frozen=True)
class ReleaseInfo:
    """The label of a period's published release: number, date, 初步/终, completeness, history."""

    pk: int
    number: str
    issued: str
    stage: str
    missing: str
    simulated: bool
    history: tuple[tuple[int, str, str, str], ...]  # (pk, number, issued, correction note), newest first


@dataclass
class Snapshot:
    """Rows of every period with figures, by period (public: published; staff: approved); charts kept."""

    key: tuple
    periods: list[str]
    rows: dict[str, list]
    public: bool = True
    headline_period: str | None = None
    releases: dict[str, ReleaseInfo] = field(default_factory=dict)
    simulated: bool = False
    legend: dict = field(default_factory=lambda: CONFIDENTIAL.legend(DEFAULT_RULES))
    charts: dict[str, tuple[list[str], list]] = field(default_factory=dict)
    fragments: dict[tuple, str] = field(default_factory=dict)
    indicators: dict[str, Indicator] = field(default_factory=dict)
    zones: dict[str, OrgUnit] = field(default_factory=dict)
    generation: int | None = None  # staff: the generation of monitoring's results the rows are of
    marks: dict[str, tuple] = field(default_factory=dict)  # period -> (pk, number) of its current release
    current_releases: dict = field(default_factory=dict)  # period -> its current published Release


_lock = threading.Lock()
_WS = re.compile(r">\s+<")
_snapshots: dict[bool, Snapshot] = {}
_local = threading.local()


def is_public(user: Any) -> bool:
    """Does ``user`` see the public face only (anonymous visitors, enterprise accounts)?"""
    return not (getattr(user, "is_authenticated", False) and can(user, Action.READ_UNPUBLISHED))


def _request_started(**_: Any) -> None:
    _local.in_request, _local.snap = True, None


def _request_finished(**_: Any) -> None:
    _local.in_request, _local.snap = False, None


request_started.connect(_request_started, dispatch_uid="lanbai.web.dashboard.request_started")
request_finished.connect(_request_finished, dispatch_uid="lanbai.web.dashboard.request_finished")


def current(user: Any = None) -> tuple:
    """(plan in force or None, the snapshot for ``user``'s audience or None).

    The audience is remembered for the request's thread so the helpers below read the same snapshot;
    inside a request the snapshot itself is too (one freshness check per request, not one per helper,
    and every part of a page shows the same figures).
    """
    public = is_public(user)
    _local.public = public
    _local.snap = None
    plan, key = monitoring.plan_and_freshness(releases.releases_key_subqueries)
    if plan is None or key is None:  # (the key is None exactly when there is no plan)
        return None, None
    snap = _snapshot_for(key, public)
    if getattr(_local, "in_request", False):
        _local.snap = snap
    return plan, snap


def warm() -> bool:
    """Compute the monitoring results and both audiences' snapshots now (``lanbai serve`` calls it before
    it listens, so no visitor waits for the first full recompute).  False without a plan."""
    plan, key = monitoring.plan_and_freshness(releases.releases_key_subqueries)
    if plan is None or key is None:
        return False
    for public in (True, False):
        _snapshot_for(key, public)
    return True


def snapshot() -> Snapshot | None:
    """The snapshot of the audience of the last :func:`current` call in this thread (public by default):
    inside a request the one :func:`current` returned, elsewhere the current one."""
    kept = getattr(_local, "snap", None)
    if kept is not None and getattr(_local, "in_request", False):
        return kept
    public = getattr(_local, "public", True)
    plan, key = monitoring.plan_and_freshness(releases.releases_key_subqueries)
    if plan is None or key is None:  # (the key is None exactly when there is no plan)
        return None
    return _snapshot_for(key, public)


def _release_info(rel) -> ReleaseInfo:
    def day(r) -> str:
        return r.issued_at.strftime("%Y-%m-%d") if r.issued_at else ""

    return ReleaseInfo(
        pk=rel.pk,
        number=rel.number,
        issued=day(rel),
        stage=rel.content.get("stage_label", ""),
        missing=rel.content.get("missing_text", ""),
        simulated=bool(rel.content.get("simulated")),
        history=tuple((r.pk, r.number, day(r), r.correction_note) for r in releases.release_history(rel)),
    )


def _snapshot_for(key: tuple, public: bool) -> Snapshot | None:
    snap = _snapshots.get(public)
    if snap is not None and snap.key == key:
        return snap
    with _lock:
        snap = _snapshots.get(public)
        if snap is not None and snap.key == key:
            return snap
        try:
            snap = _snapshot_update(snap, key, public)
        except PlanNotLoaded:
            return None
        _snapshots[public] = snap
        return snap


def _staff_row(r: monitoring.MonitoringRow, stored: dict | None, release) -> Row:
    same = stored is not None and stored.get("value") == _finite(r.value)
    return Row.of(
        {f: getattr(r, f) for f in ROW_FIELDS},
        unpublished=r.value is not None and not same,
        release=release.number if same and release else "",
    )


def _snapshot_update(old: Snapshot | None, key: tuple, public: bool) -> Snapshot:
    """The snapshot for ``key``, reusing what ``old`` (the same audience's) still has right.

    Public rows come from the releases alone: kept while no release was published.  Staff rows of a
    period are rebuilt when the period's indicator results changed (monitoring says which) or its
    published release did; the others are kept, so an approval in the latest quarter rebuilds one
    period's rows, not every period's.  Everything is rebuilt for another plan, or when monitoring
    cannot say what changed.  Charts and fragments span periods: they are redrawn on demand.
    """
    same_plan = old is not None and old.key[:2] == key[:2]
    units = public_units()
    same_releases = old is not None and old.key[-1] == key[-1]  # no release published or withdrawn
    current_releases = (old.current_releases if old is not None and same_releases
                        else releases.current_period_releases())
    marks = {p: (rel.pk, rel.number) for p, rel in current_releases.items()}
    rows: dict[str, list] = {}
    generation = None
    if public:
        if old is not None and same_plan and old.key[-1] == key[-1] and old.marks == marks:
            rows = old.rows  # no release changed: the stored rows are the same
        else:
            for p, rel in current_releases.items():
                rows[p] = [
                    Row.of(public_row(r), suppressed=bool(r.get("suppressed")), release=rel.number)
                    for r in rel.content.get("rows", [])
                    if r["org_unit"] in units
                ]
        periods = sorted(rows, key=Quarter.parse)
        headline = periods[-1] if periods else None
    else:
        since = old.generation if old is not None and same_plan else None
        generation, changed = monitoring.indicator_changes(since=since)
        stale = None if old is None or changed is None else monitoring.table_periods_affected(changed)
        periods = monitoring.periods_with_values()
        for p in periods:
            period_rel = current_releases.get(p)
            if old is not None and stale is not None and p in old.rows and p not in stale \
                    and old.marks.get(p) == marks.get(p):
                rows[p] = old.rows[p]
                continue
            pub = {(r["org_unit"], r["indicator"]): r for r in period_rel.content.get("rows", [])} if period_rel else {}
            rows[p] = [_staff_row(r, pub.get((r.org_unit, r.indicator)), period_rel)
                       for r in monitoring.monitoring_table(period=p) if r.org_unit in units]
        with_data = [p for p in periods if any(r.value is not None for r in rows[p])]
        headline = releases.latest_complete_period(with_data) or (
            max(current_releases, key=Quarter.parse) if current_releases else None
        )
    shown = set(rows)
    legends = [rel.content["disclosure"]["legend"] for rel in current_releases.values()
               if (rel.content.get("disclosure") or {}).get("legend")]
    snap = Snapshot(
        key=key,
        periods=periods,
        rows=rows,
        public=public,
        headline_period=headline,
        releases=old.releases if old is not None and same_releases
        else {p: _release_info(rel) for p, rel in current_releases.items()},
        simulated=any(rel.content.get("simulated") for p, rel in current_releases.items() if p in shown)
        or (not public and _any_simulated(periods)),
        indicators=old.indicators if old is not None and same_plan else plans.indicators_by_code(plan_id=key[0]),
        zones=old.zones if old is not None and same_plan else plans.zones_by_code(plan_id=key[0]),
        generation=generation,
        marks=marks,
        current_releases=current_releases,
    )
    if legends:  # the legend with the plan's thresholds, as the latest release states it
        snap.legend = legends[-1]
    return snap


def _any_simulated(periods: list[str]) -> bool:
    return bool(periods) and releases.period_is_simulated(periods[-1])


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
    """The headline period (public: latest published; staff: latest complete) if ``unit`` has figures
    in it, else the latest period in which ``unit`` has figures."""
    periods = periods_with_data(unit=unit)
    snap = snapshot()
    if snap is not None and snap.headline_period in periods:
        return snap.headline_period
    if snap is not None and not snap.public:
        if snap.headline_period:
            periods = [p for p in periods if Quarter.parse(p) <= Quarter.parse(snap.headline_period)]
        elif public_units().get(unit or "", ("", ""))[1] != "zone":
            return None  # no complete period yet: an aggregate of the zones that reported is no headline
    return periods[-1] if periods else None


def published_index(year: int) -> dict | None:
    """The development index of ``year`` stored in the current published release of ``year``Q4, or None."""
    snap = snapshot()
    if snap is None or f"{year}Q4" not in snap.releases:
        return None
    return releases.published_index(f"{year}Q4")


def release_of(period: str | None) -> ReleaseInfo | None:
    """The published release shown for ``period`` (None if the period is not published)."""
    snap = snapshot()
    return snap.releases.get(period) if snap is not None and period else None


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
    suppressed: bool = False
    unpublished: bool = False

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
                suppressed=r.suppressed if r else False,
                unpublished=r.unpublished if r else False,
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
    key = f"{indicator}|{get_language() or ''}"  # the charts' words are in the page's language
    cached = snap.charts.get(key)
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
                Series(_("评估值（年度值或折算全年）"), assessed, short=_("评估值"), gap_label=_("缺报")),
                Series(_("规划目标路径预期值"), expected, dashed=True, short=_("预期值"), gap_label=_("缺报")),
            ],
            title=f"{uname} · {name}",
            desc=_(
                "%(unit)s%(indicator)s各报告期的评估值与规划目标路径预期值（单位：%(measure)s）。"
                "第一至三季度的流量指标按上年同期占全年比重折算全年；详细数值见下表。"
            )
            % {"unit": uname, "indicator": name, "measure": measure},
            y_label=measure,
            x_label=_("报告期"),
            chart_id=f"c-{indicator}-{code}",
            marks=[i for i, p in enumerate(periods) if p in per and getattr(per[p], "suppressed", False)],
            mark_label=snap.legend["en" if (get_language() or "").startswith("en") else "zh"],
            note=_("模拟数据") if snap.simulated else "",
        )
        out.append(UnitSeries(code=code, name=uname, rows=[per[p] for p in periods if p in per], svg=svg))
    snap.charts[key] = (periods, out)
    return periods, out
