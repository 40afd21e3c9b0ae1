"""Registry web pages (Chinese first; login required): counts vs targets with history, lists, enterprise."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from lanbai.collection.models import Enterprise
from lanbai.plans.models import OrgUnit
from lanbai.plans.selectors import plan_current

from . import selectors
from .models import Alliance, Cluster, EnterpriseProfile, Incubator, RdPlatform, Recognition

LISTS = {
    "platforms": ("研发平台", RdPlatform, ("kind", "level")),
    "alliances": ("产业技术创新战略联盟", Alliance, ()),
    "incubators": ("孵化载体", Incubator, ("kind", "level")),
    "clusters": ("产业集群", Cluster, ("category",)),
    "recognitions": ("企业认定", Recognition, ("kind",)),
}


@login_required
def index(request):
    plan = plan_current()
    if plan is None:
        raise Http404("没有已加载的规划")
    rows = selectors.counts_history(plan)
    years = list(range(plan.start_year, plan.end_year + 1))
    for r in rows:
        r["years"] = [r["by_year"][y] for y in years]
    return render(
        request, "registry/index.html", {"plan": plan, "rows": rows, "years": years, "lists": LISTS}
    )


@login_required
def registry_list(request, kind: str):
    if kind not in LISTS:
        raise Http404
    title, model, filters = LISTS[kind]
    plan = plan_current()
    zones = OrgUnit.objects.filter(plan=plan, kind="zone").order_by("order") if plan else []
    qs = model.objects.all()
    zone = request.GET.get("zone") or ""
    if zone:
        qs = qs.filter(enterprise__zone__code=zone) if model is Recognition else qs.filter(zone__code=zone)
    on = request.GET.get("on") or ""
    error = ""
    if on:
        try:
            qs = qs.filter(selectors.valid_on(dt.date.fromisoformat(on)))
        except ValueError:
            error = "日期格式应为 YYYY-MM-DD"
    choices = {}
    for f in filters:
        value = request.GET.get(f) or ""
        if value:
            qs = qs.filter(**{f: value})
        choices[f] = (model._meta.get_field(f).verbose_name, model._meta.get_field(f).choices or [], value)
    if model is Recognition:
        qs = qs.select_related("enterprise", "enterprise__zone")
    else:
        qs = qs.select_related("zone", "park")
    return render(
        request,
        "registry/list.html",
        {
            "plan": plan,
            "title": title,
            "kind": kind,
            "objects": qs[:1000],
            "count": qs.count(),
            "zones": zones,
            "zone": zone,
            "on": on,
            "choices": choices,
            "error": error,
            "is_recognition": model is Recognition,
        },
    )


@login_required
def enterprise_list(request):
    plan = plan_current()
    qs = Enterprise.objects.select_related("zone").order_by("credit_code")
    zone = request.GET.get("zone") or ""
    if zone:
        qs = qs.filter(zone__code=zone)
    candidates = selectors.candidate_list(plan) if plan else []
    zones = OrgUnit.objects.filter(plan=plan, kind="zone").order_by("order") if plan else []
    return render(
        request,
        "registry/enterprises.html",
        {"plan": plan, "enterprises": qs, "zone": zone, "zones": zones, "candidates": candidates},
    )


@login_required
def enterprise_detail(request, credit_code: str):
    plan = plan_current()
    ent = get_object_or_404(Enterprise.objects.select_related("zone"), credit_code=credit_code)
    profile = EnterpriseProfile.objects.filter(enterprise=ent).first()
    result = selectors.screen(plan, [ent])[0] if plan and selectors.recognition_criteria(plan) else None
    policies = (
        selectors.enterprise_policy_matches(plan, ent) if plan and selectors.policy_articles(plan) else []
    )
    return render(
        request,
        "registry/enterprise.html",
        {
            "plan": plan,
            "enterprise": ent,
            "profile": profile,
            "result": result,
            "recognitions": ent.recognitions.all(),
            # articles about another kind of profile (a person, an institution) are left out of the page
            "policies": [p for p in policies if not any(f.startswith("subject:") for f in p["failing"])],
        },
    )
