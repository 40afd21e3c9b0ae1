"""Pages of 创新券 (Chinese first): schemes, application form, review queues, voucher detail, the public 公示,
the report. Thin: parse, call one service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lanbai.access import policy
from lanbai.access.policy import Action, on_some_unit, page_rule
from lanbai.common.exceptions import ApplicationError, ValidationFailed
from lanbai.common.uploads import upload_refusal

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
    "voucher_claim_document": _("上传兑付材料"),
    "voucher_related_add": _("申报关联方"),
    "voucher_related_remove": _("撤回关联方"),
}

DOCUMENT_LABELS = {
    "contract": _("服务合同"),
    "invoice": _("发票"),
    "payment": _("付款凭证"),
    "delivery": _("服务确认单"),
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
            "model": services.scheme_rules(v.scheme).redemption_model,
            "holder": v.enterprise is not None
            and policy.can(request.user, policy.Action.APPLY_VOUCHER, v.enterprise.org_unit),
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


# --- Redemption claims with their documents, providers, related parties ------------------------------


def _documents_posted(request, kinds) -> list[tuple[str, str, bytes]]:
    return [(k, f.name, f.read()) for k in kinds for f in request.FILES.getlist(k)]


@login_required
def claim_new(request, pk: int):
    """File a redemption claim for a use, with its documents (file fields; the required ones marked)."""
    use = selectors.use_for_claim(user=request.user, pk=pk)
    required = services.required_documents(use)
    error, status = "", 200
    if request.method == "POST":
        refused = upload_refusal(request)
        if refused is not None:  # over the size limit: stopped while reading the body, nothing stored
            error, status = refused.message, 413
        else:
            try:
                day = request.POST.get("claimed_on", "")
                red = services.redemption_claim(
                    user=request.user,
                    use=use,
                    on=dt.date.fromisoformat(day) if day else timezone.localdate(),
                    documents=_documents_posted(request, DOCUMENT_LABELS),
                )
            except ValueError:
                error, status = str(_("兑付申请日期（claimed_on）不是有效日期")), 400
            except ApplicationError as exc:
                error, status = exc.message, exc.status_code
            else:
                return redirect("vouchers:claim", pk=red.pk)
    kept = list(use.redemption.documents.all()) if hasattr(use, "redemption") else []
    docs = [(k, label, k in required) for k, label in DOCUMENT_LABELS.items()]
    ctx = {"use": use, "docs": docs, "kept": kept, "error": error, "model": services.scheme_rules(
        use.voucher.scheme).redemption_model, "today": timezone.localdate().isoformat()}
    return render(request, "vouchers/claim_form.html", ctx, status=status)


@login_required
def claim_detail(request, pk: int):
    """The claim review page: the use, its findings (for the holder's readers), the documents, the review."""
    red = selectors.redemption_get(user=request.user, pk=pk)
    return render(
        request,
        "vouchers/claim.html",
        {
            "r": red,
            "use": red.use,
            "documents": [(d, DOCUMENT_LABELS.get(d.kind, d.kind)) for d in red.documents.all()],
            "findings": red.use.findings if selectors.may_see_findings(user=request.user, use=red.use) else None,
            "reviewer": policy.can(request.user, policy.Action.MANAGE_VOUCHERS),
            "history": [(e, EVENTS.get(e.action, e.action)) for e in selectors.claim_history(red)],
            "error": request.GET.get("error", ""),
        },
    )


@login_required
@require_POST
def claim_review(request, pk: int, verb: str):
    red = selectors.redemption_get(user=request.user, pk=pk)
    if verb not in ("pay", "return"):
        raise Http404
    try:
        services.redemption_review(
            user=request.user, redemption=red, approve=verb == "pay", reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        return _back(reverse("vouchers:claim", args=[red.pk]), exc)
    return redirect("vouchers:claim", pk=red.pk)


@login_required
def claim_document(request, pk: int):
    """A claim's document, raw as uploaded (an attachment), for whoever may see the claim."""
    doc = selectors.claim_document_get(user=request.user, pk=pk)
    resp = HttpResponse(bytes(doc.content), content_type="application/octet-stream")
    resp["Content-Disposition"] = content_disposition_header(True, doc.filename)
    return resp


@login_required
def provider_uses(request):
    """A provider's page (its 企业填报员): the uses ordered from it and their claims; nothing else."""
    rows = [
        (u, services.scheme_rules(u.voucher.scheme).redemption_model, getattr(u, "redemption", None))
        for u in selectors.provider_uses(user=request.user)[:200]
    ]
    return render(request, "vouchers/provider.html", {"rows": rows})


@login_required
def related_list(request):
    """The declared related parties of the user's enterprises (their own 企业填报员, their zone's staff)."""
    error, status, post = "", 200, request.POST
    if request.method == "POST":
        try:
            ent = selectors.declarable_enterprise(user=request.user, credit_code=post.get("enterprise", ""))
            if ent is None:
                raise ValidationFailed(
                    "企业统一社会信用代码（enterprise）：不是已登记的、您可为其申报关联方的企业", field="enterprise"
                )
            services.related_party_add(
                user=request.user,
                enterprise=ent,
                credit_code=post.get("credit_code", ""),
                name=post.get("name", ""),
                relation=post.get("relation", ""),
            )
        except ApplicationError as exc:
            error, status = exc.message, 400
        else:
            return redirect("vouchers:related")
    own = list(selectors.own_enterprises(user=request.user))
    ctx = {
        "rows": selectors.related_parties(user=request.user)[:500],
        "own": own,
        "error": error or request.GET.get("error", ""),
        "data": post,
    }
    return render(request, "vouchers/related.html", ctx, status=status)


@login_required
@require_POST
def related_remove(request, pk: int):
    rp = selectors.related_party_get(user=request.user, pk=pk)
    try:
        services.related_party_remove(user=request.user, party=rp)
    except ApplicationError as exc:
        return _back(reverse("vouchers:related"), exc)
    return redirect("vouchers:related")
