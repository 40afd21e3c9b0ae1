"""Monitoring pages for reviewers and analysts: simple tables (the dashboard lives in the web app)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from lanbai.access.policy import Action, can
from lanbai.common.exceptions import ApplicationError
from lanbai.core.periods import Quarter

from . import diagnosis as diag
from .selectors import diagnosable_indicators, figure_unit_codes, reviewable_unit_codes


def _period(request) -> tuple[Quarter | None, str, str]:
    """(the period or None, its text as typed, the error to show) from ``?period=``."""
    text = (request.GET.get("period") or "").strip()
    if not text:
        return None, "", ""
    try:
        return Quarter.parse(text), text, ""
    except ValueError as exc:
        return None, "", str(exc)


@login_required
def outliers_page(request):
    """异常值清单: reported figures breaking a robust z-score or their unit's history range (reviewers)."""
    if not can(request.user, Action.PREVIEW):
        raise PermissionDenied("只有省创新办或园区审核员可以查看异常值清单")
    period, text, error = _period(request)
    form = (request.GET.get("form") or "").strip() or None
    method = request.GET.get("method") if request.GET.get("method") in ("mad", "sd") else "mad"
    rows = []
    if period:
        try:
            rows = diag.outlier_list(
                period=period, form=form, unit_codes=reviewable_unit_codes(request.user), method=method
            )
        except ApplicationError as exc:  # the page shows the refusal next to its form
            error = exc.message
    return render(
        request,
        "monitoring/outliers.html",
        {"period": text, "form": form or "", "method": method, "rows": rows, "error": error},
    )


@login_required
def diagnosis_page(request):
    """诊断: member zones' and inputs' contributions to the gap of one indicator in one period."""
    period, text, error = _period(request)
    indicator = (request.GET.get("indicator") or "").strip()
    result, indicators = None, []
    try:
        indicators = diagnosable_indicators()
    except ApplicationError as exc:
        error = exc.message
    if period and indicator and not error:
        try:
            result = diag.diagnosis(
                period=period, indicator=indicator, unit_codes=figure_unit_codes(request.user)
            )
        except ApplicationError as exc:
            error = exc.message
    return render(
        request,
        "monitoring/diagnosis.html",
        {
            "period": text,
            "indicator": indicator,
            "indicators": indicators,
            "result": result,
            "error": error,
        },
    )
