"""Pages of the project reserve and talent pools (Chinese first; login required).

Thin: parse, call one service or selector, render.  A talent page shows the masked 身份证号 only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action
from lanbai.common.exceptions import ApplicationError
from lanbai.plans.selectors import plan_in_force, zone_list

from . import selectors, services
from .models import Stage

CONSENT_VERSION = "2026-v1"


@login_required
def project_list(request):
    f = {k: request.GET.get(k, "") for k in ("stage", "zone", "cluster")}
    rows = selectors.project_filtered(user=request.user, **f)
    labels = services.cluster_labels()
    projects = list(rows[:500])
    for p in projects:
        p.cluster_label = labels.get(p.cluster, p.cluster)
    return render(
        request,
        "pools/project_list.html",
        {
            "projects": projects,
            "count": rows.count(),
            "filters": f,
            "stages": Stage.choices,
            "zones": zone_list(plan=plan_in_force()),
            "clusters": labels.items(),
            "accepted": selectors.accepted_counts(user=request.user),
        },
    )


def _project_page(request, project, error: str = "", status: int = 200):
    labels = dict(Stage.choices)
    project.cluster_label = services.cluster_labels().get(project.cluster, project.cluster)
    return render(
        request,
        "pools/project_detail.html",
        {
            "p": project,
            "history": selectors.project_history(project),
            "labels": labels,
            "moves": [(s, labels[s]) for s in selectors.project_moves(user=request.user, project=project)],
            "error": error,
        },
        status=status,
    )


@login_required
def project_detail(request, pk: int):
    return _project_page(request, selectors.project_get(user=request.user, pk=pk))


@login_required
@require_POST
def project_advance(request, pk: int):
    project = selectors.project_get(user=request.user, pk=pk)
    try:
        services.project_advance(
            user=request.user,
            project=project,
            to=request.POST.get("to", ""),
            note=request.POST.get("note", ""),
        )
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        return _project_page(request, project, exc.message, exc.status_code)
    return redirect("pools:project-detail", pk=pk)


FIELDS = ("title", "field", "budget_wan", "responsible_person", "expected_outputs", "cluster")


@login_required
def project_new(request):
    units = selectors.writable_units(user=request.user, action=Action.REPORT)
    data = {k: request.POST.get(k, "") for k in (*FIELDS, "unit")}
    error, field = "", ""
    if request.method == "POST":
        unit = units.filter(code=data["unit"]).first()
        try:
            if unit is None:
                from lanbai.common.exceptions import ValidationFailed

                raise ValidationFailed(gettext("unit：请选择您可以申报的单位"), field="unit")
            project = services.project_propose(user=request.user, unit=unit, data=data)
        except ApplicationError as exc:
            if exc.status_code in (403, 404):
                raise
            error, field = exc.message, str((exc.extra or {}).get("field", ""))
        else:
            return redirect("pools:project-detail", pk=project.pk)
    return render(
        request,
        "pools/project_form.html",
        {
            "units": units,
            "data": data,
            "error": error,
            "error_field": field,
            "clusters": services.cluster_labels().items(),
        },
        status=400 if error else 200,
    )


@login_required
def talent_list(request):
    rows = selectors.talent_list(user=request.user)
    return render(request, "pools/talent_list.html", {"talents": rows[:500], "count": rows.count()})


def _talent_page(request, talent, error: str = "", status: int = 200):
    return render(
        request,
        "pools/talent_detail.html",
        {
            "t": talent,
            "error": error,
            "matches": selectors.talent_policy_matches(talent),
        },
        status=status,
    )


@login_required
def talent_detail(request, pk: int):
    return _talent_page(request, selectors.talent_get(user=request.user, pk=pk))


@login_required
@require_POST
def talent_withdraw(request, pk: int):
    talent = selectors.talent_get(user=request.user, pk=pk)
    try:
        services.talent_withdraw_consent(user=request.user, talent=talent)
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        return _talent_page(request, talent, exc.message, exc.status_code)
    return redirect("pools:talent-detail", pk=pk)


TALENT_FIELDS = ("name", "gender", "birth_year", "fields", "title", "id_number")


@login_required
def talent_new(request):
    units = selectors.writable_units(user=request.user, action=Action.WRITE_REGISTRY)
    data = {k: request.POST.get(k, "") for k in (*TALENT_FIELDS, "unit")}
    errors: dict[str, str] = {}
    status = 400
    if request.method == "POST":
        unit = units.filter(code=data["unit"]).first()
        consent = request.POST.get("consent") == "on"
        if unit is None:
            errors["unit"] = gettext("所在单位：请选择您可以登记的单位")
        if not consent:
            errors["consent"] = gettext(
                "须经本人同意方可登记：请勾选“本人已书面同意”（《个人信息保护法》第十三条）"
            )
        birth = data["birth_year"].strip()
        if birth and not (birth.isdigit() and 1900 <= int(birth) <= 2100):
            errors["birth_year"] = gettext("出生年份：应为 1900–2100 之间的四位年份")
        if not errors:
            payload = {k: v for k, v in data.items() if k != "unit"}
            payload["birth_year"] = int(birth) if birth else None
            try:
                talent = services.talent_register(
                    user=request.user, unit=unit, data=payload, consent_version=CONSENT_VERSION
                )
            except ApplicationError as exc:
                if exc.status_code in (403, 404):
                    raise
                field = str((exc.extra or {}).get("field", "")) or (
                    "id_number" if "id_number" in exc.message else "form"
                )
                errors[field], status = exc.message, exc.status_code
            else:
                return redirect("pools:talent-detail", pk=talent.pk)
    data["id_number"] = ""  # the number is never sent back to the browser
    return render(
        request,
        "pools/talent_form.html",
        {
            "units": units,
            "data": data,
            "errors": errors,
            "consent_version": CONSENT_VERSION,
        },
        status=status if errors else 200,
    )
