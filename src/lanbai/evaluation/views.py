"""Pages of third-party evaluation: the overview (省创新办 reviews; an evaluator's workspace), one unit's
approved figures with the scoring form, and the POSTs (score, submit, accept / return)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action, can, may_evaluate, page_rule, require, require_on_measure
from lanbai.common.exceptions import ApplicationError, ValidationFailed
from lanbai.plans.selectors import orgunit_find, plan_in_force

from . import selectors, services
from .forms import AssignForm, ConflictForm, MemberForm, OrganisationForm, RetireForm
from .models import Assignment, EvaluationReport


def _year(request) -> int | None:
    try:
        return int(request.GET["year"]) if request.GET.get("year") else None
    except ValueError:
        return None


@login_required
@page_rule(may_evaluate, message="仅省创新办和第三方评估机构成员 / evaluators only")
def evaluation_overview(request):
    """省创新办: organisations, assignments, conflicts, reports to review; an evaluator: its assigned units."""
    year = _year(request)
    user = request.user
    assignments = list(selectors.assignments_for(user, year=year))
    reports = {r.assignment_id: r for r in selectors.reports_for(user, year=year)}
    rows = [
        {"a": a, "report": reports.get(a.id), "units": list(a.units.all()), "measures": list(a.measures.all())}
        for a in assignments
    ]
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


def _scoring(user, a: Assignment | None, *, part: str, unit_id=None, measure_id=None) -> dict:
    """The scoring block of a unit's or a measure's page: report, evaluation, the scheme part's criteria
    with their scores, and whether the user (a member, while 草稿 / 已退回) may write."""
    report = selectors.report_of(a) if a else None
    ev = None
    if report is not None:
        ev = next(
            (e for e in report.evaluations.all() if (e.unit_id, e.measure_id) == (unit_id, measure_id)), None
        )
    scheme = report.scheme if report else selectors.scheme_latest()
    key = "criteria" if part == "units" else "measure_criteria"
    criteria = [
        c | {"score": (ev.scores.get(c["code"]) if ev else None)}
        for c in ((scheme.document.get(key) or []) if scheme else [])
    ]
    member = a is not None and selectors.is_member(user, a)
    writable = member and (report is None or report.state in ("draft", "returned"))
    return {
        "assignment": a,
        "report": report,
        "evaluation": ev,
        "criteria": criteria,
        "scheme": scheme,
        "writable": writable and bool(criteria),
    }


def _download(ev) -> HttpResponse:
    resp = HttpResponse(bytes(ev.content), content_type="application/octet-stream")
    resp["Content-Disposition"] = f'attachment; filename="{ev.filename}"'
    return resp


@login_required
def evaluation_unit(request, year: int, code: str):
    """One unit's approved figures for the year (READ_FIGURES through the policy) and, for a member of
    the assigned organisation, the scoring form."""
    unit = orgunit_find(code, plan=plan_in_force())
    if unit is None or unit.kind == "enterprise":
        raise Http404
    require(request.user, Action.READ_FIGURES, unit, message="无权查看该单位 / outside your scope")
    a = selectors.assignment_for_unit(request.user, year, code)
    return render(
        request,
        "evaluation/unit.html",
        {
            "year": year,
            "unit": unit,
            "score_url": reverse("evaluation:score", args=[year, code]),
            **_scoring(request.user, a, part="units", unit_id=unit.id),
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
    return _download(ev)


@login_required
@require_POST
def evaluation_score(request, year: int, code: str):
    a = selectors.assignment_for_unit(request.user, year, code)
    if a is None or not selectors.is_member(request.user, a):
        raise Http404
    _save_scores(request, a, unit_code=code)
    return redirect(reverse("evaluation:unit", args=[year, code]))


def _save_scores(request, a: Assignment, **target: str) -> None:
    scores = {k.removeprefix("score_"): v for k, v in request.POST.items() if k.startswith("score_")}
    services.evaluation_save(
        request.user,
        a,
        **target,
        scores=scores,
        comment=request.POST.get("comment", ""),
        findings=request.POST.get("findings", ""),
    )


def _measure(request, code: str):
    """The plan measure ``code`` if the policy lets the user evaluate it (EVALUATE_MEASURE), 404 if
    there is no such measure, 403 outside the user's assignments."""
    m = selectors.measure_get(code)
    if m is None:
        raise Http404
    require_on_measure(
        request.user, Action.EVALUATE_MEASURE, m, message="无权查看该举措 / outside your assignment"
    )
    return m


@login_required
def evaluation_measure(request, year: int, code: str):
    """One assigned measure: its approved half-year reports of the year with their evidence (nothing
    else of it) and, for a member of the assigned organisation, the scoring form (measure criteria)."""
    m = _measure(request, code)
    a = selectors.assignment_for_measure(request.user, year, code)
    return render(
        request,
        "evaluation/measure.html",
        {
            "year": year,
            "m": m,
            "score_url": reverse("evaluation:measure-score", args=[year, code]),
            **_scoring(request.user, a, part="measures", measure_id=m.id),
            "measure_reports": selectors.measure_reports(request.user, year, m),
        },
    )


@login_required
def evaluation_measure_evidence(request, year: int, code: str, pk: int):
    """Download an evidence file of an approved report of the year on the assigned measure."""
    m = _measure(request, code)
    ev = selectors.measure_evidence(request.user, year, m, pk)
    if ev is None:
        raise Http404
    return _download(ev)


@login_required
@require_POST
def evaluation_measure_score(request, year: int, code: str):
    a = selectors.assignment_for_measure(request.user, year, code)
    if a is None or not selectors.is_member(request.user, a):
        raise Http404
    _save_scores(request, a, measure_code=code)
    return redirect(reverse("evaluation:measure", args=[year, code]))


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
    province = can(request.user, Action.MANAGE_EVALUATION)
    forms = {name: spec.form(None) for name, spec in _ORG_FORMS.items()} | (bound or {})
    assignments = selectors.assignments_for(request.user).filter(organisation=org)
    return render(
        request,
        "evaluation/organisation.html",
        {
            "org": org,
            "province": province,
            "members": list(org.members.all()),
            "assignments": [
                {"a": a, "units": list(a.units.all()), "measures": list(a.measures.all())} for a in assignments
            ],
            "conflicts": selectors.conflicts_for(request.user).filter(organisation=org),
            **forms,
        },
        status=status,
    )


@login_required
def organisation_detail(request, pk: int):
    """One organisation: members, assignments, conflicts; the 省创新办's forms and the conflict form."""
    return _organisation_page(request, pk)


# The organisation page's forms, one POST path for all (:func:`organisation_post`): which form, how
# its URL's pk names the organisation (and the object), and the service call with the cleaned data.


@dataclass(frozen=True)
class _OrgForm:
    form: Callable[[Any], Any]  # POST data (or None for the page's empty form) -> the bound form
    run: Callable[[Any, Any, Any, Any], object]  # (user, organisation, object, form) -> the service call
    target: Callable[[Any, int], tuple[Any, Any]] | None = None  # (request, pk) -> (org pk, object)


def _retire_target(request, pk: int) -> tuple[int, Assignment]:
    """The assignment's organisation: only the 省创新办 retires (403 before anything is looked up)."""
    require(request.user, Action.MANAGE_EVALUATION, message="仅省创新办可管理第三方评估 / province only")
    a = get_object_or_404(Assignment, pk=pk)
    return a.organisation_id, a


_ORG_FORMS: dict[str, _OrgForm] = {
    "member_form": _OrgForm(
        form=lambda data: MemberForm(data),
        run=lambda user, org, _obj, f: services.member_add_account(user, org, **f.cleaned_data),
    ),
    "assign_form": _OrgForm(
        form=lambda data: AssignForm(
            data,
            units=selectors.assignable_units(),
            measures=selectors.assignable_measures(),
            initial={"year": plan_in_force().end_year},
        ),
        run=lambda user, org, _obj, f: services.assign(
            user,
            org,
            year=f.cleaned_data["year"],
            unit_codes=f.cleaned_data["units"],
            measure_codes=f.cleaned_data["measures"],
        ),
    ),
    "conflict_form": _OrgForm(
        form=lambda data: ConflictForm(
            data, units=selectors.assignable_units(), responsible=selectors.conflict_responsible_units()
        ),
        run=lambda user, org, _obj, f: services.conflict_declare(
            user, org, nature=f.cleaned_data["nature"], **f.party()
        ),
    ),
    "retire_form": _OrgForm(
        form=lambda data: RetireForm(data),
        run=lambda user, _org, a, f: services.assignment_retire(user, a, reason=f.cleaned_data["reason"]),
        target=_retire_target,
    ),
}


@login_required
@require_POST
def organisation_post(request, pk: int, form: str):
    """A form of the organisation page (members, assign, conflicts, retire): 404 unless the user sees
    the organisation, the service's refusal under the form's fields (400), 403 as it is."""
    spec = _ORG_FORMS[form]
    org_pk, obj = spec.target(request, pk) if spec.target else (pk, None)
    org = selectors.organisation_get(request.user, org_pk)
    if org is None:
        raise Http404
    bound = spec.form(request.POST)
    if bound.is_valid():
        try:
            spec.run(request.user, org, obj, bound)
            return redirect("evaluation:organisation", pk=org.pk)
        except ApplicationError as exc:
            if exc.status_code == 403:
                raise
            _form_errors(bound, exc)
    return _organisation_page(request, org.pk, bound={form: bound}, status=400)
