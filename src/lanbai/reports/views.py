"""Pages of the publications: releases (public when published), open data, dictionary, DCAT catalogue."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from lanbai.core.periods import Quarter
from lanbai.plans import selectors as plan_selectors

from . import opendata, selectors, services
from .models import ReleaseKind

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "xlsx": opendata.MEDIA_TYPES["xlsx"],
    "html": "text/html; charset=utf-8",
}


def index(request):
    """Published releases (and drafts plus the build form for 省创新办)."""
    return render(
        request,
        "reports/index.html",
        {
            "releases": selectors.published_releases(),
            "drafts": selectors.release_drafts(user=request.user),
            "manage": selectors.can_manage_releases(request.user),
            "kinds": ReleaseKind.choices,
        },
    )


def detail(request, pk: int):
    rel = selectors.release_get_visible(user=request.user, pk=pk)
    return render(
        request, "reports/detail.html", {"rel": rel, "manage": selectors.can_manage_releases(request.user)}
    )


def download(request, pk: int, fmt: str):
    rel = selectors.release_get_visible(user=request.user, pk=pk)
    if fmt not in CONTENT_TYPES:
        raise Http404
    body = {"pdf": rel.pdf, "xlsx": rel.xlsx, "html": rel.html}[fmt]
    if not body:
        raise Http404
    resp = HttpResponse(body if isinstance(body, str) else bytes(body), content_type=CONTENT_TYPES[fmt])
    if fmt != "html":
        resp["Content-Disposition"] = f'attachment; filename="release-{rel.pk}.{fmt}"'
    return resp


@login_required
@require_POST
def create(request):
    if not selectors.can_manage_releases(request.user):
        raise Http404  # the build form does not exist for anyone else
    kind, period = request.POST.get("kind", ""), request.POST.get("period", "").strip()
    try:
        rel = services.release_create(
            kind=kind,
            period=period,
            user=request.user,
            publish=request.POST.get("publish") == "1",
            confirm_incomplete=request.POST.get("confirm_incomplete") == "1",
        )
    except (services.ReleaseError, services.IncompleteReleaseError) as exc:
        messages.error(request, exc.message)
        return redirect("reports:index")
    messages.success(request, f"已生成 {rel.number}")
    return redirect("reports:detail", pk=rel.pk)


@login_required
@require_POST
def publish(request, pk: int):
    """Publish a draft; an incomplete one only with the confirmation box ticked (it names what is missing)."""
    rel = selectors.release_get_manageable(user=request.user, pk=pk)
    try:
        rel = services.release_publish(
            rel, user=request.user, confirm_incomplete=request.POST.get("confirm_incomplete") == "1"
        )
    except services.IncompleteReleaseError as exc:
        messages.error(request, exc.message)
        return redirect("reports:detail", pk=rel.pk)
    messages.success(request, f"已发布 {rel.number}")
    return redirect("reports:detail", pk=rel.pk)


@login_required
@require_POST
def correct(request, pk: int):
    rel = selectors.release_get_manageable(user=request.user, pk=pk)
    try:
        new = services.release_correct(
            rel,
            note=request.POST.get("note", ""),
            user=request.user,
            confirm_incomplete=request.POST.get("confirm_incomplete") == "1",
        )
    except (services.ReleaseError, services.IncompleteReleaseError) as exc:
        messages.error(request, exc.message)
        return redirect("reports:detail", pk=rel.pk)
    messages.success(request, f"已生成更正 {new.number}")
    return redirect("reports:detail", pk=new.pk)


def open_data(request):
    return render(
        request,
        "reports/open_data.html",
        {
            "releases": selectors.published_releases(),
            "formats": ("csv", "xlsx", "json"),
            "count": len(selectors.published_values()),
            # the API example names a published period (an unpublished one would answer nothing)
            "example_period": max(selectors.current_period_releases(), key=Quarter.parse, default=None),
        },
    )


def values_file(request, fmt: str):
    rows = selectors.published_values()
    if fmt == "csv":
        body, ctype = opendata.to_csv(rows), "text/csv; charset=utf-8"
    elif fmt == "xlsx":
        body, ctype = opendata.to_xlsx(rows), opendata.MEDIA_TYPES["xlsx"]
    elif fmt == "json":
        body, ctype = opendata.to_json(rows), "application/json; charset=utf-8"
    else:
        raise Http404
    resp = HttpResponse(body, content_type=ctype)
    resp["Content-Disposition"] = f'attachment; filename="lanbai-indicators.{fmt}"'
    return resp


def dictionary(request):
    plan = plan_selectors.plan_current()
    indicators = plan_selectors.indicator_list(plan=plan) if plan else []
    return render(
        request, "reports/dictionary.html", {"columns": selectors.COLUMNS, "indicators": indicators}
    )


def catalog(request):
    base = request.build_absolute_uri("/").rstrip("/")
    urls = {f: f"{base}/reports/open-data/values.{f}" for f in ("csv", "xlsx", "json")}
    data = opendata.dcat_catalog(
        base=base,
        releases=selectors.published_releases(),
        modified=selectors.last_modified(),
        values_urls=urls,
    )
    return JsonResponse(
        data, content_type="application/ld+json; charset=utf-8", json_dumps_params={"ensure_ascii": False}
    )
