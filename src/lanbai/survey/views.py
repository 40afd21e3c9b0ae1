"""The staff page of a survey year: strata, response rates, estimates with SE and 95 % CI."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lanbai.access.policy import Action, require

from . import selectors


def _fmt(v: float | None, unit: str) -> str:
    """Percent with one decimal, amounts with thousands separators and one decimal (no exponents)."""
    if v is None:
        return "—"
    return f"{100 * v:.1f}%" if unit == "%" else f"{v:,.1f}"


def _shown(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        r
        | {
            "value_s": _fmt(r["value"], r["unit"]),
            "se_s": _fmt(r["se"], r["unit"]),
            "ci_s": f"{_fmt(r['ci_low'], r['unit'])} – {_fmt(r['ci_high'], r['unit'])}",
            "unit_s": "" if r["unit"] == "%" else r["unit"],
        }
        for r in rows
    ]


@login_required
def survey_year(request, year: int):
    require(request.user, Action.READ_UNPUBLISHED, message="仅工作人员可查看创新调查 / staff only")
    rnd = selectors.round_find(year)
    status = estimates = None
    if rnd is not None:
        status = selectors.round_status(request.user, year)
        for s in status["strata"]:
            s["rate_s"] = _fmt(s["response_rate"], "%")
        status["rate_s"] = _fmt(status["response_rate"], "%")
        estimates = selectors.round_estimates(request.user, year)
        estimates["rows"] = _shown(estimates["indicators"])
    return render(
        request,
        "survey/year.html",
        {"year": year, "status": status, "estimates": estimates, "years": selectors.round_years()},
    )
