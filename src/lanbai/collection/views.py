"""Server-rendered pages of statistical direct reporting (Chinese first; every write goes through services).

A forbidden attempt gets 403 (or 404 for an object outside the user's scope) and changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action, can, may_review_reports, on_some_unit, page_rule, unit_ids
from lanbai.common.exceptions import ApplicationError, NotFoundError, PermissionDeniedError, ValidationFailed
from lanbai.common.redirects import redirect_next
from lanbai.common.uploads import upload_refusal
from lanbai.core.collection import write_template
from lanbai.core.collection.problems import without_code
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import orgunit_get

from . import selectors, services
from .choices import Channel
from .forms import (
    LateGrantForm,
    LateRequestForm,
    PeriodForm,
    ReportEntryForm,
    TemplateForm,
    UploadForm,
    ZoneEntryForm,
)
from .intake import import_records, problems_table
from .intake.parsing import form_by_code, forms

ZONE_FORM = "兰白统Q1表"
ENTERPRISE_FORM = "兰白统Q2表"


@login_required
def index(request):
    return render(request, "collection/index.html", {"forms": forms().values()})


@login_required
@page_rule(on_some_unit(Action.REPORT), message="仅填报员可上传报表 / reporters only")
def upload(request):
    """Upload filled templates; the full error report (file/sheet/row/column/rule/value/message) on refusal."""
    results, status = [], 200
    refused = upload_refusal(request) if request.method == "POST" else None
    if refused is not None:  # over the size limit: stopped while reading the body, nothing stored
        services.upload_refuse_oversize(
            user=request.user, filename=refused.filename, size_seen=refused.size_seen, limit=refused.limit
        )
        results = [{"file": refused.filename, "ok": False, "message": refused.message, "problems": []}]
        return render(request, "collection/upload.html", {"form": UploadForm(), "results": results}, status=413)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        for f in form.cleaned_data["files"]:
            try:
                res = import_records(
                    user=request.user, filename=f.name, content=f.read(), dry_run=form.cleaned_data["dry_run"]
                )
                results.append(
                    {
                        "file": f.name,
                        "ok": res.accepted,
                        "message": res.message,
                        "problems": problems_table(res.problems, lang=_lang(request)),
                        "warnings": problems_table(res.warnings, lang=_lang(request)),
                        "late": _late_link(res),
                    }
                )
            except PermissionDeniedError as exc:
                status = 403
                results.append({"file": f.name, "ok": False, "message": exc.message, "problems": []})
            except ApplicationError as exc:
                results.append({"file": f.name, "ok": False, "message": exc.message, "problems": []})
    return render(request, "collection/upload.html", {"form": form, "results": results}, status=status)


def _late_link(res) -> str | None:
    """The 申请逾期填报 link of a file refused because its period is locked (unit, period, form filled in)."""
    if res.accepted or res.unit is None or not any(p.rule == "period.locked" for p in res.problems):
        return None
    query = urlencode({"unit": res.unit.code, "period": res.period or "", "form_code": res.form_code or ""})
    return f"{reverse('collection:late')}?{query}"


def _lang(request) -> str:
    return "en" if (getattr(request, "LANGUAGE_CODE", "zh") or "zh").startswith("en") else "zh"


@login_required
def template_download(request):
    form = TemplateForm(request.GET or None)
    if request.GET and form.is_valid():
        d = form.cleaned_data
        spec, unit, period = form_by_code(d["form_code"]), d["unit"], str(d["period"])
        rows = None
        if spec.level == "enterprise" and spec.key:  # the zone's enterprises the user may read, ready to fill
            rows = [
                {spec.key: e.credit_code, "enterprise_name": e.name}
                for e in selectors.enterprise_list_for(user=request.user, zone=unit.code)
            ]
        data = write_template(spec, period=period, unit_code=unit.code, unit_name=unit.name, rows=rows)
        resp = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        # RFC 6266 with an RFC 5987 filename* for the Chinese name (and an ASCII fallback)
        resp["Content-Disposition"] = content_disposition_header(
            True, f"{spec.code}-{unit.name}-{period}.xlsx"
        )
        return resp
    return render(
        request, "collection/templates.html", {"form": form, "periods": selectors.template_periods()}
    )


def _entry_page(request, form, *, spec, unit, period, sub, problems=(), message="", status=200, **extra):
    """The entry page, each problem shown next to its field."""
    for p in problems:
        if p.field in form.fields:
            form.add_error(p.field, without_code(p.message_zh if _lang(request) == "zh" else p.message_en, p.rule))
    context = {
        "form": form,
        "unit": unit,
        "period": str(period),
        "spec": spec,
        "submission": sub,
        "problems": list(problems),
        "message": message,
        "late_url": (
            f"{reverse('collection:late')}?"
            + urlencode({"unit": unit.code, "period": str(period), "form_code": spec.code})
            if any(p.rule == "period.locked" for p in problems)
            else None
        ),
    }
    return render(request, "collection/entry.html", context | extra, status=status)


def _entry_save(request, form, *, spec, unit, period: Quarter, sub, filename, content, record, lock, **extra):
    """Send one web-entered record through the importer; the report page, or the form with why not."""
    try:
        res = import_records(
            user=request.user,
            filename=filename,
            content=content,
            channel=Channel.WEB,
            records=[record],
            expected_form=spec.code,
            expected_period=period,
            expected_unit=unit.code,
            expected_lock_version=lock,
            reason="网页填报",
        )
        if res.accepted and request.POST.get("action") == "submit" and not res.warnings:
            saved = selectors.submission_for_entry(
                user=request.user, form_code=spec.code, unit=unit, period=period
            )
            assert saved is not None  # the import just accepted it, for this user
            services.submission_submit(user=request.user, submission=saved)
    except PermissionDeniedError as exc:
        return HttpResponseForbidden(exc.message)
    except ApplicationError as exc:  # a conflict (409), a locked period, a report under review
        return _entry_page(
            request,
            form,
            spec=spec,
            unit=unit,
            period=period,
            sub=sub,
            message=exc.message,
            status=exc.status_code,
            **extra,
        )
    if not res.accepted:
        n = len(res.problems)
        which = "；".join(
            (p.message_zh if _lang(request) == "zh" else p.message_en) for p in res.problems[:5]
        )
        return _entry_page(
            request, form, spec=spec, unit=unit, period=period, sub=sub, problems=res.problems,
            message=f"未保存：发现 {n} 个问题 / not saved: {n} problem(s)：{which}", status=400, **extra,
        )
    saved = selectors.submission_for_entry(user=request.user, form_code=spec.code, unit=unit, period=period)
    if saved is None:  # (the user may read what they just saved: not expected)
        raise NotFoundError("未找到该报表 / report not found")
    return redirect("collection:submission", pk=saved.pk)


@login_required
def zone_entry(request, unit_code: str, period: Quarter):
    """Web entry of the zone form: generated from the FormSpec, checked and stored by the importer."""
    unit = orgunit_get(unit_code, kind="zone")
    if not can(request.user, Action.READ, unit):
        raise Http404
    spec = form_by_code(ZONE_FORM)
    sub = selectors.submission_for_entry(user=request.user, form_code=spec.code, unit=unit, period=period)
    form = ZoneEntryForm(request.POST or None, spec=spec, initial=selectors.submission_entry_initial(sub))
    if request.method == "POST":
        if not can(request.user, Action.REPORT, unit):
            return HttpResponseForbidden(_("无权为该单位填报 / not allowed to report for this unit"))
        if form.is_valid():
            record = {
                k: v for k, v in form.cleaned_data.items() if k != "lock_version" and v not in ("", None)
            }
            return _entry_save(
                request,
                form,
                spec=spec,
                unit=unit,
                period=period,
                sub=sub,
                filename=f"web-{unit.code}-{period}.json",
                content=repr(record).encode(),
                record=record,
                lock=form.cleaned_data["lock_version"] if sub else None,
            )
    return _entry_page(request, form, spec=spec, unit=unit, period=period, sub=sub)


@login_required
def enterprise_entry(request, credit_code: str, period: Quarter):
    """Web entry of the enterprise form (企业季报) by the enterprise itself or its zone's 填报员.

    Generated from the FormSpec; checked and stored by the importer like any file (the engine, the
    year-to-date rule, the workflow): 暂存 saves a draft version, 上报 saves and submits.  The credit
    code and name are the registered enterprise's.  A user who may not read the enterprise gets 404;
    one who may read but not report gets 403 on POST; nothing changes in either case.
    """
    ent = selectors.enterprise_get(user=request.user, credit_code=credit_code)
    spec = form_by_code(ENTERPRISE_FORM)
    unit = ent.org_unit
    fixed = {spec.key: ent.credit_code, "enterprise_name": ent.name}
    sub = selectors.submission_for_entry(user=request.user, form_code=spec.code, unit=unit, period=period)
    initial = selectors.submission_entry_initial(sub)
    form = ReportEntryForm(request.POST or None, spec=spec, fixed=fixed, initial=initial | fixed)
    extra = {"enterprise": ent}
    if request.method == "POST":
        if not can(request.user, Action.REPORT, unit):
            return HttpResponseForbidden(_("无权为该企业填报 / not allowed to report for this enterprise"))
        if not form.is_valid():
            return _entry_page(
                request, form, spec=spec, unit=unit, period=period, sub=sub, status=400, **extra
            )
        record = {
            k: v for k, v in form.cleaned_data.items() if k != "lock_version" and v not in ("", None)
        } | fixed
        return _entry_save(
            request,
            form,
            spec=spec,
            unit=unit,
            period=period,
            sub=sub,
            filename=f"web-{ent.credit_code}-{period}.json",
            content=json.dumps(record, ensure_ascii=False, sort_keys=True).encode(),
            record=record,
            lock=form.cleaned_data.get("lock_version"),
            **extra,
        )
    return _entry_page(request, form, spec=spec, unit=unit, period=period, sub=sub, **extra)


@login_required
@page_rule(may_review_reports, message="仅审核员和省创新办可查看审核队列 / reviewers only")
def queue(request):
    items = list(selectors.review_queue(user=request.user)[:500])
    flags = selectors.submission_flag_counts(items) if len(items) <= 100 else {}
    return render(
        request,
        "collection/queue.html",
        {
            "items": [(s, flags.get(s.pk, 0)) for s in items],
            "province": can(request.user, Action.FINAL_APPROVE),
            "error": request.GET.get("error", ""),
        },
    )


@login_required
@require_POST
def queue_approve_bulk(request):
    """批量审核通过 the ticked reports (zone review, or the final approval for 省创新办)."""
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    try:
        services.submissions_approve_bulk(
            user=request.user, ids=ids, final=can(request.user, Action.FINAL_APPROVE)
        )
    except PermissionDeniedError as exc:
        return HttpResponseForbidden(exc.message)
    return redirect(request.POST.get("next") or "collection:queue")


@login_required
def workbench(request):
    """工作台: what this user has to do now (filler, reviewer, 省创新办)."""
    user = request.user
    province = can(user, Action.FINAL_APPROVE)
    reviewer = bool(unit_ids(user, Action.REVIEW))
    ctx = {
        "province": province,
        "reviewer": reviewer,
        "due": selectors.workbench_filler(user=user),
        "enterprise_drafts": selectors.zone_enterprise_drafts(user=user),
        "notifications": selectors.notifications_for(user=user),
        "zone_form": ZONE_FORM,
        "enterprise_form": ENTERPRISE_FORM,
    }
    if not province and unit_ids(user, Action.REPORT):
        ctx["late_mine"] = list(selectors.late_requests(user=user)[:50])
    if reviewer and not province:
        ctx["waiting"] = list(selectors.review_queue(user=user)[:200])
        ctx["returned"] = selectors.returned_by_user(user=user)
    if province:
        ctx["pending"] = selectors.pending_everywhere(user=user)
        ctx["matrix"] = selectors.completeness_matrix(user=user, form_code=ZONE_FORM)
        ctx["reminders"] = selectors.reminders_sent(user=user)
        ctx["late_pending"] = list(selectors.late_requests(user=user, pending_only=True)[:50])
    return render(request, "collection/workbench.html", ctx)


@login_required
@require_POST
def remind(request):
    """催报 one unit's missing report."""
    form_code = request.POST.get("form_code", ZONE_FORM)
    try:
        period = Quarter.parse(request.POST.get("period", ""))
    except ValueError as exc:
        raise ValidationFailed(str(exc), field="period") from None
    unit = orgunit_get(request.POST.get("unit", ""))
    try:
        notices = services.reminder_send(user=request.user, unit=unit, form_code=form_code, period=period)
    except PermissionDeniedError as exc:
        return HttpResponseForbidden(exc.message)
    from django.contrib import messages

    messages.success(
        request, _("已催报 %(unit)s（通知 %(n)d 人）") % {"unit": unit.name, "n": len(notices)}
    )
    return redirect(request.POST.get("next") or "workbench")


def _submission_page(request, sub, *, error: str = "", status: int = 200):
    """The report page: its versions, audit trail and the actions this user may take."""
    versions = selectors.submission_versions(sub, newest_first=True)
    warnings = selectors.submission_warnings(sub)
    ctx = {
        "sub": sub,
        "versions": versions,
        "warnings": warnings,
        "unexplained": [w for w in warnings if not w.explanation],
        "audit": selectors.audit_in_words(sub),
        "rows": selectors.review_rows(sub),
        "diff": selectors.version_diff(sub),
        "can_review": can(request.user, Action.REVIEW, sub.org_unit),
        "may_outliers": can(request.user, Action.OUTLIERS),
        "province": can(request.user, Action.FINAL_APPROVE),
        "can_report": can(request.user, Action.REPORT, sub.org_unit),
    }
    if error:
        ctx["error"] = error
    return render(request, "collection/submission.html", ctx, status=status)


@login_required
def submission_detail(request, pk: int):
    return _submission_page(request, selectors.submission_get(user=request.user, pk=pk))


@login_required
@require_POST
def submission_action(request, pk: int, action: str):
    """submit / approve / return / final_approve / final_return, with the lock_version the page showed."""
    sub = selectors.submission_get(user=request.user, pk=pk)
    lock = request.POST.get("lock_version")
    lock = int(lock) if lock and lock.isdigit() else None
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            explanations = {
                k.removeprefix("explanation_"): v
                for k, v in request.POST.items()
                if k.startswith("explanation_")
            }
            services.submission_submit(
                user=request.user, submission=sub, expected_lock_version=lock, explanations=explanations
            )
        elif action in ("approve", "return"):
            services.submission_review(
                user=request.user,
                submission=sub,
                approve=action == "approve",
                reason=reason,
                expected_lock_version=lock,
            )
        elif action in ("final_approve", "final_return"):
            services.submission_final_approve(
                user=request.user,
                submission=sub,
                approve=action == "final_approve",
                reason=reason,
                expected_lock_version=lock,
            )
        else:
            raise Http404
    except PermissionDeniedError as exc:
        return HttpResponseForbidden(exc.message)
    except ApplicationError as exc:
        return _submission_page(request, sub, error=exc.message, status=exc.status_code)
    return redirect_next(request, "collection:queue")


@login_required
def completeness_matrix(request):
    """Zones × quarters (or one zone's enterprises) completeness, each missing reporter listed."""
    form_code = request.GET.get("form_code") or ZONE_FORM
    zone = orgunit_get(request.GET["zone"], kind="zone") if request.GET.get("zone") else None
    matrix = selectors.completeness_matrix(user=request.user, form_code=form_code, zone=zone)
    return render(
        request,
        "collection/matrix.html",
        {"matrix": matrix, "zone": zone, "may_remind": can(request.user, Action.FINAL_APPROVE) or bool(unit_ids(request.user, Action.REVIEW)), "forms": [ZONE_FORM, ENTERPRISE_FORM]},
    )


@login_required
def completeness(request):
    form = PeriodForm(request.GET or None)
    rows = []
    if request.GET and form.is_valid():
        rows = selectors.completeness_table(
            user=request.user, period=form.cleaned_data["period"], form_code=form.cleaned_data["form_code"]
        )
    return render(request, "collection/completeness.html", {"form": form, "rows": rows})


@login_required
def late_requests(request):
    """申请逾期填报 (a unit's 填报员) and 准予逾期填报 (省创新办): the requests, pending first."""
    province = can(request.user, Action.GRANT_LATE)
    ask = LateRequestForm(
        request.POST if request.POST.get("action") == "request" else None, initial=request.GET
    )
    grant = LateGrantForm(request.POST if request.POST.get("action") == "grant" else None, auto_id=False)
    error, status = "", 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "request" and ask.is_valid():
                d = ask.cleaned_data
                services.late_request_create(
                    user=request.user,
                    unit=orgunit_get(d["unit"]),
                    period=d["period"],
                    reason=d["reason"],
                    form_code=d["form_code"] or "",
                )
                return redirect("collection:late")
            if request.POST.get("action") == "grant" and grant.is_valid():
                req = selectors.late_request_get(user=request.user, pk=int(request.POST.get("pk") or 0))
                services.lock_exception_grant(
                    user=request.user,
                    request=req,
                    until=timezone.now() + dt.timedelta(days=grant.cleaned_data["days"]),
                    reason=grant.cleaned_data["reason"] or "",
                )
                return redirect("collection:late")
            status = 400
        except PermissionDeniedError as exc:
            return HttpResponseForbidden(exc.message)
        except ApplicationError as exc:
            error, status = exc.message, exc.status_code
    ctx = {
        "province": province,
        "ask": ask,
        "grant": grant,
        "error": error,
        "requests": selectors.late_requests(user=request.user)[:500],
        "grants": selectors.lock_exceptions_active(user=request.user)[:500],
    }
    return render(request, "collection/late.html", ctx, status=status)
