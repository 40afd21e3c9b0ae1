"""Pages of third-party evaluation: the overview (省创新办 reviews; an evaluator's workspace), one unit's
approved figures with the scoring form, and the POSTs (score, submit, accept / return)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action, can, require
from lanbai.common.exceptions import ApplicationError, ValidationFailed
from lanbai.plans.selectors import orgunit_find, plan_in_force

from . import selectors, services
from .forms import AssignForm, ConflictForm, MemberForm, OrganisationForm
from .models import Assignment, EvaluationReport


def _year(request) -> int | None:
    try:
        return int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError:
        return None


@login_required
def evaluation_overview(request):
    """省创新办: organisations, assignments, conflicts, reports to review; an evaluator: its assigned units."""
    year = _year(request)
    user = request.user
    assignments = list(selectors.assignments_for(user, year=year))
    reports = {r.assignment_id: r for r in selectors.reports_for(user, year=year)}
    rows = [{"a": a, "report": reports.get(a.id), "units": list(a.units.all())} for a in assignments]
    return render(
        request,
        "evaluation/overview.html",
        {
            "year": year,
            "province": can(user, Action.MANAGE_EVALUATION),
            "organisations": selectors.organisations_for(user),
            "rows": rows,
            "conflicts": selectors.conflicts_for(user),
            "to_review": [r for r in reports.values() if r.state == EvaluationReport.State.SUBMITTED],
        },
    )


@login_required
def evaluation_unit(request, year: int, code: str):
    """One unit's approved figures for the year (READ_FIGURES through the policy) and, for a member of
    the assigned organisation, the scoring form."""
    unit = orgunit_find(code, plan=plan_in_force())
    if unit is None or unit.kind == "enterprise":
        raise Http404
    require(request.user, Action.READ_FIGURES, unit, message="无权查看该单位 / outside your scope")
    a = selectors.assignment_for_unit(request.user, year, code)
    report = selectors.report_of(a) if a else None
    ev = next((e for e in report.evaluations.all() if e.unit_id == unit.id), None) if report else None
    scheme = report.scheme if report else selectors.scheme_latest()
    criteria = [
        c | {"score": (ev.scores.get(c["code"]) if ev else None)}
        for c in (scheme.document["criteria"] if scheme else [])
    ]
    member = a is not None and selectors.is_member(request.user, a)
    writable = member and (report is None or report.state in ("draft", "returned"))
    return render(
        request,
        "evaluation/unit.html",
        {
            "year": year,
            "unit": unit,
            "assignment": a,
            "report": report,
            "evaluation": ev,
            "criteria": criteria,
            "scheme": scheme,
            "writable": writable,
            "figures": selectors.unit_figures(request.user, year, code),
            "measure_reports": selectors.unit_measure_reports(request.user, year, unit),
        },
    )


@login_required
def evaluation_evidence(request, year: int, code: str, pk: int):
    """Download an evidence file of an approved measure report of the assigned unit (raw, as uploaded)."""
    unit = orgunit_find(code, plan=plan_in_force())
    if unit is None or unit.kind == "enterprise":
        raise Http404
    ev = selectors.unit_evidence(request.user, year, unit, pk)
    if ev is None:
        raise Http404
    resp = HttpResponse(bytes(ev.content), content_type="application/octet-stream")
    resp["Content-Disposition"] = f'attachment; filename="{ev.filename}"'
    return resp


@login_required
@require_POST
def evaluation_score(request, year: int, code: str):
    a = selectors.assignment_for_unit(request.user, year, code)
    if a is None or not selectors.is_member(request.user, a):
        raise Http404
    scores = {k.removeprefix("score_"): v for k, v in request.POST.items() if k.startswith("score_")}
    services.evaluation_save(
        request.user,
        a,
        unit_code=code,
        scores=scores,
        comment=request.POST.get("comment", ""),
        findings=request.POST.get("findings", ""),
    )
    return redirect(reverse("evaluation:unit", args=[year, code]))


@login_required
@require_POST
def evaluation_submit(request, pk: int):
    a = get_object_or_404(Assignment, pk=pk)
    services.report_submit(request.user, a)
    return redirect(f"{reverse('evaluation:overview')}?year={a.year}")


@login_required
@require_POST
def evaluation_review(request, pk: int):
    require(request.user, Action.MANAGE_EVALUATION, message="仅省创新办可审查评估报告 / province only")
    report = get_object_or_404(EvaluationReport, pk=pk)
    if request.POST.get("decision") == "accept":
        services.report_accept(request.user, report)
    else:
        services.report_return(request.user, report, reason=request.POST.get("reason", ""))
    return redirect(reverse("evaluation:overview"))


# --- management: organisations, members, assignments, conflicts ------------------------------------


def _form_errors(form, exc: ApplicationError) -> None:
    """Put a service's refusal on the form: each named field's messages, else the whole form."""
    fields = exc.extra.get("fields") if isinstance(exc, ValidationFailed) else None
    if not fields:
        form.add_error(None, exc.message)
        return
    for name, messages in fields.items():
        target = name if name in form.fields else None
        for m in messages:
            form.add_error(target, m)


@login_required
def organisation_new(request):
    """省创新办 registers an evaluator organisation (统一社会信用代码 validated; errors per field)."""
    require(request.user, Action.MANAGE_EVALUATION, message="仅省创新办可管理第三方评估 / province only")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.organisation_create(request.user, **form.cleaned_data)
            return redirect("evaluation:organisation", pk=org.pk)
        except ApplicationError as exc:
            _form_errors(form, exc)
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluation/organisation_new.html", {"form": form}, status=status)


def _organisation_page(request, pk: int, *, bound: dict | None = None, status: int = 200):
    org = selectors.organisation_get(request.user, pk)
    if org is None:
        raise Http404
    units = selectors.assignable_units()
    province = can(request.user, Action.MANAGE_EVALUATION)
    forms = {
        "member_form": MemberForm(),
        "assign_form": AssignForm(units=units, initial={"year": plan_in_force().end_year}),
        "conflict_form": ConflictForm(units=units),
    } | (bound or {})
    assignments = selectors.assignments_for(request.user).filter(organisation=org)
    return render(
        request,
        "evaluation/organisation.html",
        {
            "org": org,
            "province": province,
            "members": list(org.members.all()),
            "assignments": [{"a": a, "units": list(a.units.all())} for a in assignments],
            "conflicts": selectors.conflicts_for(request.user).filter(organisation=org),
            **forms,
        },
        status=status,
    )


@login_required
def organisation_detail(request, pk: int):
    """One organisation: members, assignments, conflicts; the 省创新办's forms and the conflict form."""
    return _organisation_page(request, pk)


@login_required
@require_POST
def organisation_member_add(request, pk: int):
    org = selectors.organisation_get(request.user, pk)
    if org is None:
        raise Http404
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.member_add_account(request.user, org, **form.cleaned_data)
            return redirect("evaluation:organisation", pk=org.pk)
        except ApplicationError as exc:
            if exc.status_code == 403:
                raise
            _form_errors(form, exc)
    return _organisation_page(request, pk, bound={"member_form": form}, status=400)


@login_required
@require_POST
def organisation_assign(request, pk: int):
    org = selectors.organisation_get(request.user, pk)
    if org is None:
        raise Http404
    form = AssignForm(request.POST, units=selectors.assignable_units())
    if form.is_valid():
        try:
            services.assign(
                request.user, org, year=form.cleaned_data["year"], unit_codes=form.cleaned_data["units"]
            )
            return redirect("evaluation:organisation", pk=org.pk)
        except ApplicationError as exc:
            if exc.status_code == 403:
                raise
            _form_errors(form, exc)
    return _organisation_page(request, pk, bound={"assign_form": form}, status=400)


@login_required
@require_POST
def organisation_conflict(request, pk: int):
    """省创新办 or a member of the organisation declares a conflict of interest with a unit."""
    org = selectors.organisation_get(request.user, pk)
    if org is None:
        raise Http404
    form = ConflictForm(request.POST, units=selectors.assignable_units())
    if form.is_valid():
        try:
            services.conflict_declare(
                request.user, org, unit_code=form.cleaned_data["unit"], nature=form.cleaned_data["nature"]
            )
            return redirect("evaluation:organisation", pk=org.pk)
        except ApplicationError as exc:
            if exc.status_code == 403:
                raise
            _form_errors(form, exc)
    return _organisation_page(request, pk, bound={"conflict_form": form}, status=400)


@login_required
@require_POST
def assignment_retire(request, pk: int):
    """省创新办 retires an assignment (with a reason): the members' scope over its units ends."""
    require(request.user, Action.MANAGE_EVALUATION, message="仅省创新办可管理第三方评估 / province only")
    a = get_object_or_404(Assignment, pk=pk)
    reason = request.POST.get("reason", "").strip()
    if not reason:
        raise ValidationFailed("请填写撤销理由 / a reason is required", field="reason")
    if not a.retired:
        services.assignment_retire(request.user, a, reason=reason)
    return redirect("evaluation:organisation", pk=a.organisation_id)
