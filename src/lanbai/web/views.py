"""Web pages (thin: read through selectors, render templates)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render

from lanbai.plans import selectors as plan_selectors


def home(request):
    """Home dashboard of 兰白试验区: the zones and the headline indicators of 专栏1."""
    plan = plan_selectors.plan_current()
    context = {"plan": plan, "zones": [], "headline": []}
    if plan is not None:
        context["zones"] = plan_selectors.zone_list(plan=plan)
        context["headline"] = plan_selectors.headline_indicator_list(plan=plan)
    return render(request, "web/home.html", context)


def zone_detail(request, code: str):
    plan = plan_selectors.plan_current()
    zone = plan and plan_selectors.zone_list(plan=plan).filter(code=code).first()
    if not zone:
        raise Http404
    parks = [link.unit for link in zone.child_links.select_related("unit").order_by("unit__order")]
    targets = zone.targets.select_related("indicator").order_by("indicator__order", "year")
    return render(request, "web/zone.html", {"plan": plan, "zone": zone, "parks": parks, "targets": targets})


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
