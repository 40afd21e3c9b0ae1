"""Web pages (thin: read through selectors, render templates).

The data-heavy part of each dashboard page is rendered once per snapshot of the figures and
language (:func:`dashboard.fragment`); the frame around it (navigation, user, CSRF) per request.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lanbai.common.exceptions import NotFoundError
from lanbai.contracts import selectors as contract_selectors
from lanbai.core.periods import Quarter
from lanbai.indices.selectors import IndexUnavailable, index_results
from lanbai.plans import selectors as plan_selectors
from lanbai.plans.selectors import PlanNotLoaded
from lanbai.reports.reconciliation import zone_service_figures

from . import charts, dashboard


def _page(request, snap, template: str, key: tuple, build_context, *, extra: dict | None = None):
    def build():
        ctx = build_context()
        ctx.setdefault("public", snap.public if snap is not None else True)
        ctx.setdefault("simulated", snap.simulated if snap is not None else False)
        ctx.setdefault("legend", snap.legend if snap is not None else None)
        ctx.setdefault("release", dashboard.release_of(ctx.get("period")))
        return render_to_string(f"web/_{template}_body.html", ctx)

    body = dashboard.fragment(snap, (*key, get_language()), build)
    return render(request, f"web/{template}.html", {"body": mark_safe(body), **(extra or {})})  # noqa: S308


def home(request):
    """Home dashboard of 兰白试验区: the 专栏1 indicators as cards with their latest status, and the zones."""
    plan, snap = dashboard.current(request.user)

    def context():
        ctx = {"plan": plan, "zones": [], "headline": [], "cards": [], "period": None}
        if plan is not None:
            root = plan.meta.get("root_unit", "lanbai")
            ctx["zones"] = list(plan_selectors.zone_list(plan=plan))
            ctx["headline"] = plan_selectors.headline_indicator_list(plan=plan)
            ctx["period"] = dashboard.latest_period(unit=root)
            ctx["cards"] = dashboard.cards(ctx["headline"], unit=root, period=ctx["period"])
        return ctx

    return _page(request, snap, "home", ("home", plan.pk if plan else None), context, extra={"plan": plan})


def zone_detail(request, code: str):
    """A zone: its latest monitoring rows, its parks and the plan's targets."""
    plan, snap = dashboard.current(request.user)
    zone = snap.zones.get(code) if snap is not None else None  # the snapshot keeps the zones: no query
    if zone is None:
        if plan is None:
            raise Http404
        try:
            zone = plan_selectors.orgunit_get(code, kind="zone", plan=plan)
        except NotFoundError:
            raise Http404 from None

    def context():
        parks = plan_selectors.zone_parks(zone)
        targets = plan_selectors.zone_targets(zone)
        period = dashboard.latest_period(unit=zone.code)
        rows = [
            r
            for r in dashboard.unit_rows(unit=zone.code, period=period)
            if r.value is not None or r.target_value or r.suppressed
        ]
        return {
            "plan": plan,
            "zone": zone,
            "parks": parks,
            "targets": targets,
            "period": period,
            "rows": rows,
        }

    # the register changes without the monitoring snapshot: outside the cached fragment
    period = dashboard.latest_period(unit=zone.code)
    contracts = contract_selectors.zone_turnover(zone, period)
    # the vouchers, instruments and pools figures as the user may read them (staff of the zone, 省创新办)
    shown: Quarter | str = period or (contracts or {}).get("period") or _quarter_of(timezone.localdate())
    services = zone_service_figures(user=request.user, zone=zone, period=shown)
    return _page(request, snap, "zone", ("zone", zone.code), context,
                 extra={"plan": plan, "zone": zone, "contracts": contracts, "services": services})


def _quarter_of(day) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def indicator_detail(request, code: str):
    """An indicator: its series against the target path for every zone (SVG), with the figures as tables."""
    plan, snap = dashboard.current(request.user)
    indicator = snap.indicators.get(code) if snap is not None else None  # kept with the snapshot: no query
    if indicator is None:
        if plan is None:
            raise Http404
        try:
            indicator = plan_selectors.indicator_get(code, plan=plan)
        except NotFoundError:
            raise Http404 from None

    def context():
        periods, units = dashboard.indicator_charts(code, name=indicator.name, measure=indicator.unit)
        return {
            "plan": plan, "indicator": indicator, "periods": periods, "units": units,
            "releases": snap.releases if snap is not None else {},
            "any_suppressed": any(r.suppressed for u in units for r in u.rows),
        }

    return _page(
        request, snap, "indicator", ("indicator", code), context, extra={"plan": plan, "indicator": indicator}
    )


INDEX_RUNS = 200  # Monte Carlo evaluations for the rank band shown on the page


def development_index(request):
    """发展指数: each zone's index (base year = 100) over the years, rank and Monte Carlo rank band.

    The public sees the index stored in the published release of the year's Q4 (computed when it was
    built); staff see it computed from today's approved figures, marked 未发布 where it is not published.
    """
    plan, snap = dashboard.current(request.user)
    public = snap.public if snap is not None else True
    years = sorted({q.year for q in map(Quarter.parse, dashboard.periods_with_data()) if q.q == 4})
    if public:
        years = [y for y in years if dashboard.published_index(y) is not None]
    try:
        year = int(request.GET.get("year") or (years[-1] if years else 0))
    except ValueError:
        raise Http404 from None
    if public and year and year not in years:
        year = 0

    def context():
        rel = dashboard.release_of(f"{year}Q4") if year else None
        ctx = {"plan": plan, "year": year, "years": years, "rows": [], "chart": "", "error": "",
               "period": f"{year}Q4" if year else None, "unpublished": not public and rel is None}
        if not year:
            ctx["error"] = (
                "尚无已发布的全年数据 / no published full-year figures yet" if public
                else "尚无已审核的全年数据 / no approved full-year figures yet"
            )
            return ctx
        try:
            res = dashboard.published_index(year) if public else index_results(year, runs=INDEX_RUNS)
            if res is None or res.get("error"):
                raise IndexUnavailable((res or {}).get("error") or "未发布 / not published")
        except (IndexUnavailable, PlanNotLoaded) as exc:
            ctx["error"] = str(exc)
            return ctx
        ctx["rows"] = sorted((r for r in res["results"] if r["year"] == year), key=lambda r: r["rank"])
        ctx["target_rows"] = [r for r in ctx["rows"] if r.get("target") and r["target"]["covered"]]
        xs = sorted({r["year"] for r in res["series"]})
        by_unit: dict[str, dict[int, float | None]] = {}
        names = {}
        for r in res["series"]:
            by_unit.setdefault(r["unit"], {})[r["year"]] = r["index"]
            names[r["unit"]] = r["unit_name"]
        series = [charts.Series(name=names[u], values=[v.get(x) for x in xs]) for u, v in by_unit.items()]
        ctx["chart"] = charts.line_chart(
            [str(x) for x in xs], series, title=f"发展指数（{res['base_year']}=100）",
            desc="各园区发展指数逐年变化 / each zone's development index by year", y_label="指数",
            x_label="年份", chart_id="dev-index",
            note="模拟数据" if snap is not None and snap.simulated else "",
        )
        ctx["base_year"] = res["base_year"]
        ctx["framework"] = res["framework_name"]
        return ctx

    return _page(request, snap, "index", ("index", year), context, extra={"plan": plan})


_KIND_LABELS = {"baseline": _("基期值"), "target": _("目标值"), "milestone": _("阶段目标")}


def _approx_words(sign: str) -> str:
    """A comparator sign for the page: 左右 (an approximate figure) is a word, in the page's language."""
    return str(_("左右")) if sign == "左右" else sign


def plan_data(request):
    """The plan as data (public): every baseline, target and milestone with its kind, comparator,
    approx flag and 专栏/附件 source (filterable), and the 四（一） / 附件5 alliance disagreements."""
    from lanbai.core.plan.views import comparator_sign

    plan = plan_selectors.plan_current()
    if plan is None:
        raise Http404
    rows = plan_selectors.plan_target_rows(plan)
    kind = request.GET.get("kind", "")
    source = request.GET.get("source", "")
    unit = request.GET.get("unit", "")
    sources = sorted({r.source for r in rows})
    units = list(dict.fromkeys(r.org_unit for r in rows))
    shown = [
        r for r in rows
        if (not kind or r.kind == kind) and (not source or r.source == source) and (not unit or r.org_unit == unit)
    ]
    findings = plan_selectors.plan_check_findings(plan, "alliances")
    section_total, annex_total = plan_selectors.plan_alliance_totals(plan)
    return render(request, "web/plan_data.html", {
        "plan": plan,
        "rows": [
            {"r": r, "kind_label": _KIND_LABELS.get(r.kind, r.kind),
             "comparator": _approx_words(comparator_sign(r.comparator, r.approx))}
            for r in shown
        ],
        "total": len(rows),
        "kinds": list(_KIND_LABELS.items()),
        "sources": sources,
        "units": units,
        "selected": {"kind": kind, "source": source, "unit": unit},
        "section_total": section_total,
        "annex_total": annex_total,
        "versus_section": [f for f in findings if "四（一）" in f.where],
        "within_annex": [f for f in findings if "四（一）" not in f.where],
    })


def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
