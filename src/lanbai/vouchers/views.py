"""Pages of 创新券 (Chinese first): schemes, application form, review queues, voucher detail, the public 公示,
the report. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action, on_some_unit, page_rule
from lanbai.common.exceptions import ApplicationError, ValidationFailed

from . import selectors, services

EVENTS = {
    "voucher_apply": _("提交申请"),
    "voucher_resubmit": _("重新提交"),
    "voucher_zone_approve": _("区审核通过"),
    "voucher_zone_return": _("区审核退回"),
    "voucher_province_approve": _("批准并公示"),
    "voucher_province_return": _("省创新办退回"),
    "voucher_issue": _("发放"),
    "voucher_use": _("登记使用"),
    "voucher_claim": _("申请兑付"),
    "voucher_claim_return": _("兑付退回"),
    "voucher_pay": _("已兑付"),
    "voucher_expire": _("已过期"),
    "voucher_clawback": _("追回"),
}


def _back(url: str, exc: Exception):
    return redirect(url + "?" + urlencode({"error": getattr(exc, "message", str(exc))}))


@login_required
def scheme_list(request):
    return render(request, "vouchers/schemes.html", {"schemes": selectors.scheme_list(user=request.user)})


@login_required
def application_new(request):
    enterprises = list(selectors.own_enterprises(user=request.user))
    schemes = list(selectors.scheme_choices())
    error, post = "", request.POST
    if request.method == "POST":
        try:
            ent = next((e for e in enterprises if str(e.pk) == post.get("enterprise")), None)
            if ent is None:
                raise ValidationFailed("请选择本企业", field="enterprise")
            services.application_submit(
                user=request.user,
                scheme_id=int(post.get("scheme") or 0),
                enterprise=ent,
                price=post.get("price", ""),
                requested=post.get("requested", ""),
                service=post.get("service", ""),
                provider_code=post.get("provider_code", ""),
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("vouchers:queue")
    ctx = {"enterprises": enterprises, "schemes": schemes, "error": error, "data": post}
    return render(request, "vouchers/form.html", ctx, status=400 if error else 200)


@login_required
@page_rule(on_some_unit(Action.READ_VOUCHERS), message="无权查看创新券 / outside your scope")
def queue(request):
    return render(
        request,
        "vouchers/queue.html",
        {
            "zone": selectors.zone_queue(user=request.user),
            "province": selectors.province_queue(user=request.user),
            "mine": selectors.application_list(user=request.user)[:200],
            "vouchers": selectors.voucher_list(user=request.user)[:200],
            "error": request.GET.get("error", ""),
        },
    )


@login_required
@require_POST
def application_act(request, pk: int, verb: str):
    app = selectors.application_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if verb in ("zone_approve", "zone_return"):
            services.application_zone_review(
                user=request.user, application=app, approve=verb == "zone_approve", reason=reason
            )
        elif verb in ("province_approve", "province_return"):
            end = request.POST.get("notice_end", "")
            services.application_province_review(
                user=request.user,
                application=app,
                approve=verb == "province_approve",
                reason=reason,
                notice_end=dt.date.fromisoformat(end) if end else None,
            )
        elif verb == "issue":
            v = services.application_issue(user=request.user, application=app)
            return redirect("vouchers:detail", pk=v.pk)
        else:
            raise Http404
    except (ApplicationError, ValueError) as exc:
        return _back(reverse("vouchers:queue"), exc)
    return redirect("vouchers:queue")


@login_required
def voucher_detail(request, pk: int):
    v = selectors.voucher_get(user=request.user, pk=pk)
    return render(
        request,
        "vouchers/detail.html",
        {
            "v": v,
            "uses": v.uses.all(),
            "used": services.used_amount(v),
            "balance": v.amount - services.used_amount(v),
            "history": [(e, EVENTS.get(e.action, e.action)) for e in selectors.voucher_history(v)],
            "bookings": selectors.instrument_bookings_payable(user=request.user, voucher=v),
            "error": request.GET.get("error", ""),
        },
    )


@login_required
@require_POST
def voucher_act(request, pk: int, verb: str):
    v = selectors.voucher_get(user=request.user, pk=pk)
    p = request.POST
    try:
        if verb == "use":
            services.voucher_use_record(
                user=request.user,
                voucher=v,
                provider_code=p.get("provider_code", ""),
                provider_name=p.get("provider_name", ""),
                amount=p.get("amount", ""),
                used_on=dt.date.fromisoformat(p.get("used_on", "")),
                published_price=p.get("published_price") or None,
            )
        elif verb == "use_instrument":
            booking = next(
                (b for b, _ in selectors.instrument_bookings_payable(user=request.user, voucher=v)
                 if str(b.pk) == p.get("booking")),
                None,
            )
            services.voucher_use_instrument(
                user=request.user, voucher=v, booking=booking, amount=p.get("amount") or None
            )
        elif verb == "clawback":
            services.voucher_clawback(user=request.user, voucher=v, reason=p.get("reason", ""))
        else:
            raise Http404
    except (ApplicationError, ValueError) as exc:
        return _back(reverse("vouchers:detail", args=[v.pk]), exc)
    return redirect("vouchers:detail", pk=v.pk)


def notice(request):
    """The public 公示 (anonymous visitors too): enterprise name, scheme, amount, notice dates only."""
    return render(request, "vouchers/notice.html", {"rows": selectors.notice_list()})


@login_required
def report(request):
    year = request.GET.get("year", "")
    rows = selectors.report(user=request.user, year=int(year) if year.isdigit() else None)
    return render(request, "vouchers/report.html", {"rows": rows, "year": year})
