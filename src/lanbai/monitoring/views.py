"""Monitoring pages for reviewers and analysts: simple tables (the dashboard lives in the web app)."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from lanbai.access.policy import Action, can
from lanbai.core.diagnosis import DiagnosisError

from . import diagnosis as diag
from .selectors import plan_core, reviewable_unit_codes

PERIOD = re.compile(r"^\d{4}Q[1-4]$")


def _period(request) -> tuple[str, str]:
    period = (request.GET.get("period") or "").strip()
    if not period:
        return "", ""
    return (period, "") if PERIOD.match(period) else ("", f"报告期 {period!r} 格式错误，应为如 2018Q4")


@login_required
def outliers_page(request):
    """异常值清单: reported figures breaking a robust z-score or their unit's history range (reviewers)."""
    if not can(request.user, Action.PREVIEW):
        raise PermissionDenied("只有省创新办或园区审核员可以查看异常值清单")
    period, error = _period(request)
    form = (request.GET.get("form") or "").strip() or None
    method = request.GET.get("method") if request.GET.get("method") in ("mad", "sd") else "mad"
    rows = []
    if period:
        try:
            rows = diag.outlier_list(
                period=period, form=form, unit_codes=reviewable_unit_codes(request.user), method=method
            )
        except (LookupError, DiagnosisError) as exc:
            error = str(exc)
    return render(
        request,
        "monitoring/outliers.html",
        {"period": period, "form": form or "", "method": method, "rows": rows, "error": error},
    )


@login_required
def diagnosis_page(request):
    """诊断: member zones' and inputs' contributions to the gap of one indicator in one period."""
    period, error = _period(request)
    indicator = (request.GET.get("indicator") or "").strip()
    result, indicators = None, []
    try:
        _, plan, fset = plan_core()
        indicators = [(i.code, i.name) for i in plan.indicators if i.code in fset.formulas]
    except LookupError as exc:
        error = str(exc)
    if period and indicator and not error:
        try:
            result = diag.diagnosis(period=period, indicator=indicator)
        except (LookupError, ValueError) as exc:
            error = str(exc)
    return render(
        request,
        "monitoring/diagnosis.html",
        {
            "period": period,
            "indicator": indicator,
            "indicators": indicators,
            "result": result,
            "error": error,
        },
    )
