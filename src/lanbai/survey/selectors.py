"""Reads of the innovation survey: the frame, the rounds, response status and the estimates.

Answers are confidential enterprise data (``Action.READ_CONFIDENTIAL`` on the enterprise's unit: the
enterprise itself, its zone's staff, 省创新办).  Response status is scoped to the zones the user covers
(``Action.READ_ASSESSMENT``'s units: zone staff their zone, 市创新办 its city's zones, 省创新办 all).
The estimates are province-wide aggregates (staff: ``Action.READ_UNPUBLISHED``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from lanbai.access.policy import Action, can, require, unit_ids
from lanbai.collection.selectors import approved_field_latest, enterprise_list
from lanbai.common.exceptions import NotFoundError
from lanbai.core.plan import default_plan_dir
from lanbai.core.survey.indicators import indicator_table
from lanbai.core.survey.questionnaire import Questionnaire, load_questionnaire

from .models import Response, ResponseState, SampleUnit, SurveyRound

SURVEY_DIR = Path("survey")


def plan_dir(directory: str | Path | None = None) -> Path:
    from django.conf import settings

    return (
        Path(directory) if directory else Path(getattr(settings, "LANBAI_PLAN_DIR", "") or default_plan_dir())
    )


def questionnaire(directory: str | Path | None = None) -> Questionnaire:
    path = plan_dir(directory) / SURVEY_DIR / "questionnaire.yaml"
    return _questionnaire_cached(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _questionnaire_cached(path: Path, mtime_ns: int) -> Questionnaire:
    """Parsed once per file version (the demo saves thousands of responses; YAML parsing took 20 ms each).
    ``Questionnaire`` is frozen, so sharing it is safe; an edited file has a new mtime and is re-read."""
    return load_questionnaire(path)


def frame(year: int) -> pd.DataFrame:
    """The survey population of ``year``: every enterprise registered by the year's end and not left before
    it began, with its zone and employees (从业人员期末人数 of its latest approved report up to year's end;
    0 when it has none, counted in ``no_employees``)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    ents = [
        e
        for e in enterprise_list()
        if (e.registered_on is None or e.registered_on <= end) and (e.left_on is None or e.left_on >= start)
    ]
    latest = approved_field_latest(field="employees", org_unit_ids=[e.org_unit_id for e in ents],
                                   until_period=f"{year}Q4")
    rows = []
    for e in ents:
        emp = latest.get(e.org_unit_id, (None, None))[1]
        try:
            n = max(int(float(emp)), 0) if emp is not None else None
        except (TypeError, ValueError):
            n = None
        rows.append(
            {
                "unit": e.org_unit_id,
                "zone": e.zone.code,
                "zone_id": e.zone_id,
                "employees": n if n is not None else 0,
                "has_employees": n is not None,
            }
        )
    return pd.DataFrame(rows, columns=["unit", "zone", "zone_id", "employees", "has_employees"])


def round_get(year: int) -> SurveyRound:
    r = SurveyRound.objects.filter(year=year).first()
    if r is None:
        raise NotFoundError(f"{year} 年创新调查尚未抽样 / no survey round for {year}")
    return r


def round_find(year: int) -> SurveyRound | None:
    return SurveyRound.objects.filter(year=year).first()


def round_years() -> list[int]:
    return list(SurveyRound.objects.order_by("-year").values_list("year", flat=True))


def round_has_responses(r: SurveyRound) -> bool:
    return Response.objects.filter(unit__round=r).exists()


def unit_get(year: int, enterprise_code: str) -> SampleUnit:
    from django.db.models import Q

    u = (
        SampleUnit.objects.select_related("round", "enterprise", "zone")
        .filter(Q(enterprise__code=enterprise_code) | Q(enterprise__enterprise__credit_code=enterprise_code),
                round__year=year)
        .first()
    )
    if u is None:
        raise NotFoundError(f"{enterprise_code} 不在 {year} 年调查样本中 / not in the {year} sample")
    return u


def response_of(unit: SampleUnit) -> Response | None:
    return Response.objects.filter(unit=unit).first()


def response_for(user: Any, unit: SampleUnit) -> dict[str, Any] | None:
    """The unit's answers, for the enterprise, its zone's staff and 省创新办 only (else 404)."""
    if not can(user, Action.READ_CONFIDENTIAL, unit.enterprise):
        raise NotFoundError("未知样本企业 / unknown sample unit")
    r = response_of(unit)
    if r is None:
        return None
    return {
        "state": r.state,
        "answers": r.answers,
        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
    }


def round_units(year: int) -> list[SampleUnit]:
    """The sampled units of ``year`` (not scoped: callers scope; the demo and the tests)."""
    return _units(round_get(year))


def _units(r: SurveyRound) -> list[SampleUnit]:
    return list(SampleUnit.objects.filter(round=r).select_related("enterprise", "enterprise__enterprise", "zone", "response"))


def round_status(user: Any, year: int) -> dict[str, Any]:
    """Response by stratum: N_h, n_h, drafts, submitted and the response rate r_h / n_h.

    Zone staff see their zone's strata only (市创新办 its zones, 省创新办 every stratum)."""
    require(user, Action.READ_UNPUBLISHED, message="仅工作人员可查看创新调查进度 / staff only")
    r = round_get(year)
    zones = unit_ids(user, Action.READ_ASSESSMENT)
    strata: dict[str, dict[str, Any]] = {}
    for u in _units(r):
        if zones is not None and u.zone_id not in zones:
            continue
        s = strata.setdefault(
            u.stratum,
            {
                "stratum": u.stratum,
                "zone": u.zone.code,
                "zone_name": u.zone.name,
                "band": u.stratum.split("|", 1)[1],
                "take_all": u.take_all,
                "population": u.population,
                "sample_size": u.sample_size,
                "drafts": 0,
                "submitted": 0,
            },
        )
        resp = getattr(u, "response", None) if _has_response(u) else None
        if resp is not None:
            s["submitted" if resp.state == ResponseState.SUBMITTED else "drafts"] += 1
    rows = sorted(strata.values(), key=lambda s: s["stratum"])
    for s in rows:
        s["response_rate"] = s["submitted"] / s["sample_size"] if s["sample_size"] else None
    n = sum(s["sample_size"] for s in rows)
    sub = sum(s["submitted"] for s in rows)
    return {
        "year": r.year,
        "questionnaire_version": r.questionnaire_version,
        "seed": r.seed,
        "frame_size": r.frame_size,
        "is_simulated": r.is_simulated,
        "drawn_at": r.drawn_at.isoformat(),
        "design": r.design,
        "strata": rows,
        "sample_size": n,
        "submitted": sub,
        "response_rate": sub / n if n else None,
    }


def _has_response(u: SampleUnit) -> bool:
    try:
        u.response  # noqa: B018 - the reverse one-to-one raises when absent
    except Response.DoesNotExist:
        return False
    return True


def round_estimates(user: Any, year: int, *, directory: str | Path | None = None) -> dict[str, Any]:
    """The survey's indicators for ``year`` (province-wide aggregates, staff only): the core's
    ``indicator_table`` on the drawn sample (N_h per stratum) with the submitted responses as respondents."""
    require(user, Action.READ_UNPUBLISHED, message="仅工作人员可查看创新调查估计 / staff only")
    r = round_get(year)
    units = _units(r)
    sample = pd.DataFrame(
        {
            "unit": [str(u.enterprise_id) for u in units],
            "stratum": [u.stratum for u in units],
            "N_h": [u.population for u in units],
        },
        columns=["unit", "stratum", "N_h"],
    )
    answers = {
        str(u.enterprise_id): u.response.answers
        for u in units
        if _has_response(u) and u.response.state == ResponseState.SUBMITTED
    }
    rows = []
    if answers:
        for row in indicator_table(questionnaire(directory), sample, answers):
            e = row.estimate
            rows.append(
                {
                    "code": row.code,
                    "label": row.label,
                    "unit": row.unit,
                    "value": e.value,
                    "se": e.se,
                    "ci_low": e.ci_low,
                    "ci_high": e.ci_high,
                    "respondents": e.respondents,
                    "population": e.population,
                    "uncovered": e.uncovered,
                }
            )
    return {"year": r.year, "respondents": len(answers), "sample_size": len(units), "indicators": rows}


def units_to_answer(user: Any) -> list[dict[str, Any]]:
    """The sampled units this user answers (an enterprise's own 企业填报员: its enterprise; zone staff: their
    zone's units; 省创新办: none listed, it reaches them through the survey page), newest round first."""
    from lanbai.access.choices import Role
    from lanbai.access.policy import roles_of

    if not getattr(user, "is_authenticated", False) or roles_of(user).province:
        return []
    ids = unit_ids(user, Action.ANSWER_SURVEY) or set()
    own = roles_of(user).roots(Role.ENTERPRISE_REPORTER)
    qs = SampleUnit.objects.select_related("round", "enterprise", "enterprise__enterprise", "zone").order_by("-round__year", "enterprise__code")
    out = []
    for u in qs.filter(enterprise_id__in=own) if own else qs.filter(zone_id__in=ids):
        resp = u.response if _has_response(u) else None
        out.append({"unit": u, "year": u.round.year, "state": resp.state if resp else "", "own": u.enterprise_id in own})
    return out


def non_respondents(user: Any, year: int) -> list[dict[str, Any]]:
    """The sampled units of ``year`` without a submitted questionnaire whose names the user may read (their
    zone's staff, 省创新办), with the 催报 sent for each (staff only)."""
    require(user, Action.READ_UNPUBLISHED, message="仅工作人员可查看创新调查进度 / staff only")
    from lanbai.collection.selectors import reminders_for_unit

    r = round_get(year)
    ids = unit_ids(user, Action.READ_CONFIDENTIAL)  # names are shown: the enterprise's zone staff and 省创新办
    out = []
    for u in _units(r):
        if ids is not None and u.enterprise_id not in ids:
            continue
        resp = u.response if _has_response(u) else None
        if resp is not None and resp.state == ResponseState.SUBMITTED:
            continue
        out.append(
            {
                "unit": u,
                "state": resp.state if resp else "",
                "may_remind": can(user, Action.MANAGE_SURVEY) or can(user, Action.REVIEW, u.zone),
                "reminders": reminders_for_unit(u.enterprise, form_code="创新调查", period=str(year)),
            }
        )
    return out


def responses_for_report(year: int) -> tuple[SurveyRound, list[SampleUnit], dict[str, dict[str, Any]]]:
    """The round, its units and the submitted answers by unit id (for the survey report, which only publishes
    disclosure-controlled aggregates; the caller checks the right to build releases)."""
    r = round_get(year)
    units = _units(r)
    answers = {
        str(u.enterprise_id): u.response.answers
        for u in units
        if _has_response(u) and u.response.state == ResponseState.SUBMITTED
    }
    return r, units, answers


def has_response(u: SampleUnit) -> bool:
    """Whether the unit has a response (draft or submitted)."""
    return _has_response(u)
