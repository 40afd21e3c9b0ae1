"""Pages of the execution app: measures, one measure with its reports, the report form, the review queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action
from lanbai.common.exceptions import ApplicationError

from . import selectors, services
from .choices import Progress
from .forms import ReportForm, ReturnForm


@login_required
def measure_list(request):
    unit = request.GET.get("unit") or None
    status = request.GET.get("status") or None
    rows = selectors.measure_rows(request.user, unit=unit, status=status)
    return render(request, "execution/list.html", {
        "rows": rows, "unit": unit or "", "status": status or "", "statuses": Progress.choices,
        "units": selectors.responsible_units_of(request.user, action=Action.READ_MEASURES),
    })


@login_required
def measure_detail(request, code: str):
    m = selectors.measure_get(request.user, code)
    return render(request, "execution/detail.html", {
        "m": m, "row": selectors.measure_row(m), "milestones": selectors.milestones_of(m),
        "reports": [selectors.report_row(r) | {"evidence": list(r.evidence.all())}
                    for r in selectors.reports_of_measure(request.user, m)],
        "units": selectors.measure_units_reportable(request.user, m),
    })


@login_required
def report_form(request, code: str):
    m = selectors.measure_get(request.user, code)
    units = [(u.code, u.name) for u in selectors.measure_units_reportable(request.user, m)]
    form = ReportForm(request.POST or None, request.FILES or None, units=units)
    error = ""
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            report = services.report_form_save(
                request.user, measure=m, unit_code=d["unit"], period=d["period"], status=d["status"],
                pct=d["pct"], narrative=d["narrative"], late_reason=d["late_reason"],
                evidence=d["evidence"], submit=d["submit"],
            )
            return redirect("execution:detail", code=report.measure.code)
        except ApplicationError as exc:
            error = exc.message
    return render(request, "execution/report_form.html", {"m": m, "form": form, "error": error})


@login_required
def review_queue(request):
    return render(request, "execution/review.html", {
        "reports": [selectors.report_row(r) | {"title": r.measure.title}
                    for r in selectors.review_queue(request.user)],
        "return_form": ReturnForm(),
    })


@login_required
@require_POST
def report_review(request, pk: int):
    form = ReturnForm(request.POST)
    services.report_review(
        request.user, pk=pk, approve=request.POST.get("decision") == "approve",
        reason=form.data.get("reason", ""),
    )
    return redirect("execution:review")


@login_required
def evidence_download(request, pk: int):
    ev = selectors.evidence_get(request.user, pk)
    resp = HttpResponse(bytes(ev.content), content_type="application/octet-stream")
    resp["Content-Disposition"] = f'attachment; filename="{ev.filename}"'
    return resp
