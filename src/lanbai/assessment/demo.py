"""Demo of the annual assessment: score 2018 and 2019 (after the measure reports of the execution demo)."""

from __future__ import annotations

from . import selectors, services

DEMO_YEARS = (2018, 2019)


def assessment_demo_run() -> str:
    """Compute the demo years not yet assessed; returns a one-line summary (a second run changes nothing)."""
    lines = []
    for year in DEMO_YEARS:
        if selectors.run_latest(year) is None:
            services.assessment_compute(None, year=year)
        data = selectors.assessment_for(None, year, evidence=False) or {"units": []}
        scores = "，".join(f"{u['name']} {u['total'] if u['total'] is not None else '—'}（{u['grade'] or '—'}）"
                          for u in data["units"])
        lines.append(f"{year}: {scores}")
    return "目标责任制考核 / assessment — " + "；".join(lines) + "（lanbai assess zones --year 2019）"
