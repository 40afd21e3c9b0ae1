"""Registry web pages (Chinese first; login required): counts vs targets with history, lists, enterprise."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django.contrib.auth.decorators import login_required
from django.db.models import Field
from django.http import Http404
from django.shortcuts import render

from lanbai.common.exceptions import NotFoundError
from lanbai.plans.selectors import plan_current

from . import selectors
from .models import Alliance, Cluster, Incubator, RdPlatform, Recognition

LISTS: dict[str, tuple[str, selectors.RegistryModel, tuple[str, ...]]] = {
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
    zone = request.GET.get("zone") or ""
    on = request.GET.get("on") or ""
    error = ""
    day = None
    if on:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            error = "日期格式应为 YYYY-MM-DD"
    choices = {}
    values = {}
    for f in filters:
        value = request.GET.get(f) or ""
        values[f] = value
        field = cast("Field", model._meta.get_field(f))  # a filter names a column, never a reverse relation
        choices[f] = (field.verbose_name, field.choices or [], value)
    objects = selectors.registry_entry_list(model, zone=zone or None, on=day, **values)
    return render(
        request,
        "registry/list.html",
        {
            "plan": plan,
            "title": title,
            "kind": kind,
            "objects": objects[:1000],
            "count": objects.count(),
            "zones": selectors.zone_list(plan),
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
    zone = request.GET.get("zone") or ""
    candidates = selectors.candidate_list(plan) if plan else []
    return render(
        request,
        "registry/enterprises.html",
        {
            "plan": plan,
            "enterprises": selectors.enterprise_list_readable(user=request.user, zone=zone or None),
            "zone": zone,
            "zones": selectors.zone_list(plan),
            "candidates": candidates,
        },
    )


@login_required
def enterprise_detail(request, credit_code: str):
    plan = plan_current()
    try:
        ent = selectors.enterprise_get(user=request.user, credit_code=credit_code)
    except NotFoundError as exc:
        raise Http404(exc.message) from exc
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
            "profile": selectors.enterprise_profile_find(ent),
            "result": result,
            "recognitions": selectors.enterprise_recognitions(ent),
            # articles about another kind of profile (a person, an institution) are left out of the page
            "policies": [p for p in policies if not any(f.startswith("subject:") for f in p["failing"])],
        },
    )
