"""Pages of the execution app: measures, one measure with its reports, the report form, the review queue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action, may_read_measures, page_rule
from lanbai.common.exceptions import ApplicationError

from . import selectors, services
from .choices import Progress
from .forms import FeedbackForm, ReleaseForm, ReportForm, ReturnForm


@login_required
@page_rule(may_read_measures, message="无权查看规划举措 / outside your scope")
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


# --- public supervision (issue 16 item 6) ---------------------------------------------------------


@login_required
def release_list(request):
    """省创新办 releases a half year's measure progress; the past releases."""
    releases = selectors.releases_for(request.user)  # 403 for anyone but the 省创新办
    form = ReleaseForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_progress_release(request.user, period=form.cleaned_data["period"])
            return redirect("execution:releases")
        except ApplicationError as exc:
            error = exc.message
    return render(request, "execution/releases.html", {
        "form": form, "error": error, "releases": releases,
    })


def public_index(request):
    return render(request, "execution/public_index.html", {
        "groups": selectors.public_groups(), "release": selectors.release_latest(),
    })


def _client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def public_group(request, group: str):
    """One measure group's released progress and the public's feedback form (anonymous)."""
    data = selectors.public_group_rows(group)
    choices = [(r["code"], f"{r['code']} {r['title']}") for r in data["rows"]]
    form = FeedbackForm(request.POST or None, measures=choices)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.feedback_submit(measure_code=d["measure"], message=d["message"], name=d["name"],
                                     contact=d["contact"], ip=_client_ip(request), honeypot=d["website"])
            messages.success(request, _("留言已提交，将转交牵头单位办理。"))
            return redirect("execution:public-group", group=group)
        except ApplicationError as exc:
            error, status = exc.message, exc.status_code
    return render(request, "execution/public_group.html", data | {"form": form, "error": error}, status=status)


@login_required
def feedback_queue(request):
    """The public's messages on the measures the user's units lead."""
    return render(request, "execution/feedback.html", {"items": selectors.feedback_queue(request.user)})


@login_required
@require_POST
def feedback_handle(request, pk: int):
    services.feedback_handle(request.user, pk=pk)
    return redirect("execution:feedback")
