"""Reads of the annual assessment: the units assessed, the evidence frames the core scores, the results.

Results are scoped through :mod:`lanbai.access.policy` (``Action.READ_ASSESSMENT``): 省创新办 all six
units, a 市创新办 its city and its zones, a zone's staff their own zone.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pandas as pd

from lanbai.access.policy import Action, can
from lanbai.collection.selectors import zone_report_timeliness_rows
from lanbai.common.exceptions import NotFoundError
from lanbai.core.periods import Quarter
from lanbai.execution.selectors import lead_measure_year_rows, progress_report_year_rows
from lanbai.monitoring.selectors import monitoring_table
from lanbai.plans.selectors import orgunit_list, plan_current, plan_validated

from .models import AssessmentRun, AssessmentScheme, AssessmentScore

if TYPE_CHECKING:
    from lanbai.plans.models import OrgUnit

KINDS = ("city", "zone")


def assessed_units() -> list[tuple[OrgUnit, str]]:
    """The two cities and the four zones of the plan in force, each with its city's code ("" for a city)."""
    version = plan_current()
    if version is None:
        return []
    parents = {u.code: (u.parent or "") for u in plan_validated(version).org_units}
    units = list(orgunit_list(plan=version).filter(kind__in=KINDS))
    order = {"city": 0, "zone": 1}
    units.sort(key=lambda u: (order[u.kind], u.order, u.code))
    return [(u, "" if u.kind == "city" else parents.get(u.code, "")) for u in units]


def units_frame(units: list[tuple[OrgUnit, str]]) -> pd.DataFrame:
    return pd.DataFrame({
        "unit": [u.code for u, _ in units], "name": [u.name for u, _ in units],
        "kind": [u.kind for u, _ in units], "city": [c for _, c in units],
    })


def indicator_rows(year: int) -> tuple[str | None, list[Any]]:
    """The monitoring rows of the quarter of ``year`` that is assessed: Q4 (the whole year), else the
    latest quarter of the year with figures; (None, []) when the year has none."""
    for q in (4, 3, 2, 1):
        rows = monitoring_table(period=Quarter(year, q))
        if rows:
            return str(Quarter(year, q)), rows
    return None, []


def indicator_frame(rows: list[Any], codes: set[str]) -> pd.DataFrame:
    """One evidence row per indicator of each unit: its monitoring status."""
    rows = [r for r in rows if r.org_unit in codes]

    def label(r: Any) -> str:
        value = "—" if r.value is None else f"{r.value:g}"
        target = "" if r.target_value is None else f"；目标 {r.comparator}{r.target_value:g}（{r.target_year}年）"
        return f"{r.indicator_name}：{value}{r.unit}{target}"

    return pd.DataFrame({
        "unit": [r.org_unit for r in rows], "ref": [r.indicator for r in rows], "label": [label(r) for r in rows],
        "status": [r.status for r in rows],
    }, columns=["unit", "ref", "label", "status"])


def measure_frame(year: int) -> pd.DataFrame:
    """One evidence row per 专栏 item a city 创新办 or 管委会 leads: its status in ``year``."""
    rows = lead_measure_year_rows(year)
    return pd.DataFrame({
        "unit": [r["org_unit"] for r in rows], "ref": [r["measure"] for r in rows],
        "label": [f"{r['title']}：{r['status_zh']}{'（' + r['period'] + '）' if r['period'] else ''}" for r in rows],
        "status": [r["status"] for r in rows],
    }, columns=["unit", "ref", "label", "status"])


def report_frame(year: int, units: list[OrgUnit], *, today: dt.date | None = None) -> pd.DataFrame:
    """One evidence row per report owed in ``year``: the zones' 园区季报 and the half-year measure reports."""
    zones = [u for u in units if u.kind == "zone"]
    forms = zone_report_timeliness_rows(year=year, units=zones, today=today)
    measures = progress_report_year_rows(year, today=today)

    def when(r: dict[str, Any]) -> str:
        return f"{r['submitted_at'][:10]} 报送" if r["submitted_at"] else "未报送"

    rows = [
        {"unit": r["org_unit"], "ref": f"{r['form_code']} {r['period']}",
         "label": f"{r['form_code']} {r['period']}：截止 {r['deadline']}，{when(r)}{'，曾退回' if r['returned'] else ''}",
         "on_time": r["on_time"], "returned": r["returned"], "submitted": r["submitted"]}
        for r in forms
    ] + [
        {"unit": r["org_unit"], "ref": f"{r['measure']} {r['period']}",
         "label": f"举措 {r['measure']} {r['period']} 进展报告：截止 {r['due']}，{when(r)}"
                  f"{'，曾退回' if r['returned'] else ''}",
         "on_time": r["on_time"], "returned": r["returned"], "submitted": r["submitted"]}
        for r in measures
    ]
    return pd.DataFrame(rows, columns=["unit", "ref", "label", "on_time", "returned", "submitted"])


def assessment_inputs(year: int, *, today: dt.date | None = None) -> tuple[pd.DataFrame, dict[str, pd.DataFrame],
                                                                           str | None]:
    """(units, evidence frames by source, the indicator period) for scoring ``year``."""
    units = assessed_units()
    codes = {u.code for u, _ in units}
    period, rows = indicator_rows(year)
    evidence = {
        "indicators": indicator_frame(rows, codes),
        "measures": measure_frame(year),
        "reports": report_frame(year, [u for u, _ in units], today=today),
    }
    return units_frame(units), evidence, period


# --- schemes and results -------------------------------------------------------------------------------


def scheme_get(version: int) -> AssessmentScheme | None:
    return AssessmentScheme.objects.filter(version=version).first()


def scheme_latest() -> AssessmentScheme | None:
    return AssessmentScheme.objects.order_by("-version").first()


def run_latest(year: int) -> AssessmentRun | None:
    """The newest run of ``year`` (its result), or None."""
    return AssessmentRun.objects.filter(year=year).select_related("scheme", "computed_by").first()


def assessed_years() -> list[int]:
    return sorted(set(AssessmentRun.objects.values_list("year", flat=True)), reverse=True)


def _visible(user: Any, scores: list[AssessmentScore]) -> list[AssessmentScore]:
    return [s for s in scores if can(user, Action.READ_ASSESSMENT, s.org_unit)]


def score_row(s: AssessmentScore, *, evidence: bool = True) -> dict[str, Any]:
    comps = s.breakdown if evidence else [{k: v for k, v in c.items() if k != "evidence"} for c in s.breakdown]
    return {
        "unit": s.unit_code, "name": s.unit_name, "kind": s.kind,
        "total": float(s.total) if s.total is not None else None,
        "own_total": float(s.own_total) if s.own_total is not None else None,
        "zones_total": float(s.zones_total) if s.zones_total is not None else None,
        "grade": s.grade, "components": comps,
    }


def run_data(run: AssessmentRun, scores: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "year": run.year, "scheme_version": run.scheme.version, "scheme_name": run.scheme.name,
        "computed_at": run.computed_at.isoformat(),
        "computed_by": run.computed_by.get_username() if run.computed_by else None,
        "indicator_period": run.indicator_period, "note": run.note, "units": scores,
    }


def assessment_for(user: Any, year: int, *, evidence: bool = True) -> dict[str, Any] | None:
    """The year's result (newest run) with the scores the user may read; None when not yet assessed."""
    run = run_latest(year)
    if run is None:
        return None
    scores = _visible(user, list(run.scores.select_related("org_unit")))
    return run_data(run, [score_row(s, evidence=evidence) for s in scores])


def assessment_unit_for(user: Any, year: int, code: str) -> dict[str, Any]:
    """One unit's score in the year's result; 404 when the user may not read the unit (or it is unknown).

    ``score`` is None when the year has not been assessed yet.
    """
    unit = next((u for u, _ in assessed_units() if u.code == code), None)
    if unit is None or not can(user, Action.READ_ASSESSMENT, unit):
        raise NotFoundError(f"未知考核单位 {code} / unknown assessed unit")
    run = run_latest(year)
    score = run.scores.filter(org_unit=unit).first() if run is not None else None
    return {"unit": unit.code, "name": unit.name, "year": year,
            "run": run_data(run, []) if run is not None else None,
            "score": score_row(score) if score is not None else None,
            "scheme": run.scheme.document if run is not None else None}


def assessment_release_section(year: int) -> dict[str, Any] | None:
    """The year's 目标责任制考核 result for the annual evaluation report (newest run), or None.

    Every assessed unit (two cities, four zones; no enterprise) with its total, grade and component
    breakdown, without the evidence rows.  It is read by the release service (province only) and
    reaches the public only inside a published release.
    """
    run = run_latest(year)
    if run is None:
        return None
    scores = list(run.scores.select_related("org_unit"))
    return run_data(run, [score_row(s, evidence=False) for s in scores])
