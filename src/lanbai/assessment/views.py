"""Pages of the annual assessment: the six units of a year with score, grade and breakdown; one unit's
evidence; the 省创新办's compute button."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action, can, on_some_unit, page_rule, require

from . import selectors, services
from .forms import ComputeForm

DEFAULT_YEAR = 2019


def _year(request, default: int | None = None) -> int:
    years = selectors.assessed_years()
    try:
        return int(request.GET.get("year") or default or (years[0] if years else DEFAULT_YEAR))
    except ValueError:
        return years[0] if years else DEFAULT_YEAR


@login_required
@page_rule(on_some_unit(Action.READ_ASSESSMENT), message="无权查看目标责任制考核 / outside your scope")
def assessment_list(request):
    year = _year(request)
    return render(request, "assessment/list.html", {
        "year": year, "years": selectors.assessed_years(), "data": selectors.assessment_for(request.user, year,
                                                                                           evidence=False),
        "can_assess": can(request.user, Action.ASSESS), "form": ComputeForm(initial={"year": year}),
    })


@login_required
def assessment_unit(request, year: int, code: str):
    data = selectors.assessment_unit_for(request.user, year, code)
    return render(request, "assessment/unit.html", {"year": year, "d": data})


@login_required
@require_POST
def assessment_compute(request):
    require(request.user, Action.ASSESS, message="仅省创新办可进行目标责任制考核 / province only")
    form = ComputeForm(request.POST)
    if not form.is_valid():
        return render(request, "assessment/list.html", {
            "year": DEFAULT_YEAR, "years": selectors.assessed_years(), "data": None, "can_assess": True,
            "form": form,
        }, status=400)
    run = services.assessment_compute(request.user, year=form.cleaned_data["year"],
                                      rescore=form.cleaned_data["rescore"])
    return redirect(f"{reverse('assessment:list')}?year={run.year}")
