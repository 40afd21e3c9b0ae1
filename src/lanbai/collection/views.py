"""Server-rendered pages of statistical direct reporting (Chinese first; every write goes through services).

A forbidden attempt gets 403 (or 404 for an object outside the user's scope) and changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lanbai.access.policy import Action, can
from lanbai.common.exceptions import ApplicationError, ConflictError, PermissionDeniedError
from lanbai.core.collection import write_template
from lanbai.plans.models import OrgUnit

from . import importing, selectors, services, ytd
from .choices import UploadOutcome
from .forms import PeriodForm, ReportEntryForm, TemplateForm, UploadForm, ZoneEntryForm
from .models import Enterprise, Submission


@login_required
def index(request):
    return render(request, "collection/index.html", {"forms": importing.forms().values()})


@login_required
def upload(request):
    """Upload filled templates; the full error report (file/sheet/row/column/rule/value/message) on refusal."""
    results, status = [], 200
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        for f in form.cleaned_data["files"]:
            try:
                res = importing.import_bytes(
                    user=request.user, filename=f.name, content=f.read(), dry_run=form.cleaned_data["dry_run"]
                )
                results.append(
                    {
                        "file": f.name,
                        "ok": res.accepted,
                        "message": res.message,
                        "problems": importing.problems_table(res.problems, lang=_lang(request)),
                    }
                )
            except PermissionDeniedError as exc:
                status = 403
                results.append({"file": f.name, "ok": False, "message": exc.message, "problems": []})
            except ApplicationError as exc:
                results.append({"file": f.name, "ok": False, "message": exc.message, "problems": []})
    return render(request, "collection/upload.html", {"form": form, "results": results}, status=status)


def _lang(request) -> str:
    return "en" if (getattr(request, "LANGUAGE_CODE", "zh") or "zh").startswith("en") else "zh"


@login_required
def template_download(request):
    form = TemplateForm(request.GET or None)
    if request.GET and form.is_valid():
        d = form.cleaned_data
        spec, unit = importing.form_by_code(d["form_code"]), d["unit"]
        data = write_template(spec, period=d["period"], unit_code=unit.code, unit_name=unit.name)
        resp = HttpResponse(
            data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        resp["Content-Disposition"] = (
            f"attachment; filename*=UTF-8''{spec.code}-{unit.code}-{d['period']}.xlsx"
        )
        return resp
    return render(request, "collection/templates.html", {"form": form})


@login_required
def zone_entry(request, unit_code: str, period: str):
    """Web entry of the zone form: generated from the FormSpec, validated by the same engine."""
    unit = OrgUnit.objects.filter(code=unit_code, kind="zone").order_by("-plan_id").first()
    if unit is None or not can(request.user, Action.READ, unit):
        raise Http404
    spec = importing.form_by_code("兰白统Q1表")
    sub = Submission.objects.filter(form_code=spec.code, org_unit=unit, period=period).first()
    initial = dict(sub.current_version.values) if sub and sub.current_version_id else {}
    form = ZoneEntryForm(
        request.POST or None, spec=spec, initial=initial | {"lock_version": sub.lock_version if sub else 0}
    )
    problems, message, status = [], "", 200
    if request.method == "POST":
        if not can(request.user, Action.REPORT, unit):
            return HttpResponseForbidden(_("无权为该单位填报 / not allowed to report for this unit"))
        if form.is_valid():
            record = {
                k: v for k, v in form.cleaned_data.items() if k != "lock_version" and v not in ("", None)
            }
            problems = ytd.ytd_problems_for_records(
                form=spec, unit=unit, records=[record], period=period, source=f"web-{unit.code}-{period}.json"
            )
            if problems:
                ytd.refuse_upload(
                    user=request.user,
                    filename=f"web-{unit.code}-{period}.json",
                    content=repr(record).encode(),
                    channel="web",
                    problems=problems,
                    form_code=spec.code,
                    period=period,
                    unit=unit,
                )
                return _render_problems(
                    request, form, "collection/entry.html", problems, unit, period, spec, sub
                )
            try:
                res = importing.import_bytes(
                    user=request.user,
                    filename=f"web-{unit.code}-{period}.json",
                    content=repr(record).encode(),
                    channel="web",
                    records=[record],
                    expected_form=spec.code,
                    expected_period=period,
                    expected_unit=unit.code,
                    expected_lock_version=form.cleaned_data["lock_version"] if sub else None,
                )
            except ConflictError as exc:
                message, status = exc.message, 409
            except ApplicationError as exc:
                message, status = exc.message, exc.status_code
            else:
                if res.accepted:
                    sub = Submission.objects.get(form_code=spec.code, org_unit=unit, period=period)
                    return redirect("collection:submission", pk=sub.pk)
                problems, message, status = res.problems, res.message, 400
                for p in problems:
                    if p.field in form.fields:
                        form.add_error(p.field, p.message_zh if _lang(request) == "zh" else p.message_en)
    return render(
        request,
        "collection/entry.html",
        {
            "form": form,
            "unit": unit,
            "period": period,
            "spec": spec,
            "submission": sub,
            "problems": problems,
            "message": message,
        },
        status=status,
    )


def _render_problems(request, form, template, problems, unit, period, spec, sub, **extra):
    """The entry page with each problem next to its field (status 400)."""
    for p in problems:
        if p.field in form.fields:
            form.add_error(p.field, p.message_zh if _lang(request) == "zh" else p.message_en)
    n = len(problems)
    context = {
        "form": form,
        "unit": unit,
        "period": period,
        "spec": spec,
        "submission": sub,
        "problems": problems,
        "message": f"未保存：发现 {n} 个问题 / not saved: {n} problem(s)",
    }
    return render(request, template, context | extra, status=400)


ENTERPRISE_FORM = "兰白统Q2表"


@login_required
def enterprise_entry(request, credit_code: str, period: str):
    """Web entry of the enterprise form (企业季报) by the enterprise itself or its zone's 填报员.

    Generated from the FormSpec and validated by the same engine (and the year-to-date rule);
    暂存 saves a draft version, 上报 saves and submits.  The credit code and name are the registered
    enterprise's.  A user who may not read the enterprise gets 404; one who may read but not report
    gets 403 on POST; nothing changes in either case.
    """
    import json

    from lanbai.core.collection import parse_records
    from lanbai.core.periods import Quarter

    ent = Enterprise.objects.select_related("org_unit", "zone").filter(credit_code=credit_code).first()
    if ent is None or not can(request.user, Action.READ, ent.org_unit):
        raise Http404
    try:
        Quarter.parse(period)
    except (ValueError, TypeError):
        raise Http404 from None
    spec = importing.form_by_code(ENTERPRISE_FORM)
    unit = ent.org_unit
    fixed = {spec.key: ent.credit_code, "enterprise_name": ent.name}
    sub = Submission.objects.filter(form_code=spec.code, org_unit=unit, period=period).first()
    initial = dict(sub.current_version.values) if sub and sub.current_version_id else {}
    form = ReportEntryForm(
        request.POST or None,
        spec=spec,
        fixed=fixed,
        initial=initial | fixed | {"lock_version": sub.lock_version if sub else 0},
    )
    extra = {"enterprise": ent}
    if request.method == "POST":
        if not can(request.user, Action.REPORT, unit):
            return HttpResponseForbidden(_("无权为该企业填报 / not allowed to report for this enterprise"))
        if not form.is_valid():
            return _render_problems(
                request, form, "collection/entry.html", [], unit, period, spec, sub, **extra
            )
        record = {
            k: v for k, v in form.cleaned_data.items() if k != "lock_version" and v not in ("", None)
        } | fixed
        filename = f"web-{ent.credit_code}-{period}.json"
        content = json.dumps(record, ensure_ascii=False, sort_keys=True).encode()
        parsed = parse_records(spec, [record], source=filename)
        problems = list(parsed.problems) or ytd.ytd_problems_for_records(
            form=spec, unit=unit, records=[record], period=period, source=filename
        )
        if problems:
            ytd.refuse_upload(
                user=request.user,
                filename=filename,
                content=content,
                channel="web",
                problems=problems,
                form_code=spec.code,
                period=period,
                unit=unit,
            )
            return _render_problems(
                request, form, "collection/entry.html", problems, unit, period, spec, sub, **extra
            )
        row = ytd.parsed_rows(parsed)[0]
        lock = form.cleaned_data.get("lock_version")
        try:
            with transaction.atomic():
                upload = importing.upload_receive(
                    user=request.user, filename=filename, content=content, channel="web"
                )
                saved, _version = services.submission_save_version(
                    user=request.user,
                    form_code=spec.code,
                    unit=unit,
                    period=period,
                    values={c: importing.store_value(row.get(c)) for c in spec.field_codes},
                    upload=upload,
                    expected_lock_version=lock,
                    reason="网页填报",
                )
                if request.POST.get("action") == "submit":
                    services.submission_submit(
                        user=request.user, submission=saved, expected_lock_version=saved.lock_version
                    )
                upload.outcome, upload.form_code, upload.period = UploadOutcome.ACCEPTED, spec.code, period
                upload.message = "网页填报已保存 / saved from the web form"
                upload.save(update_fields=["outcome", "form_code", "period", "message"])
        except PermissionDeniedError as exc:
            return HttpResponseForbidden(exc.message)
        except ApplicationError as exc:  # a conflict (409), a locked period, a report under review
            ctx = {"form": form, "unit": unit, "period": period, "spec": spec, "submission": sub}
            ctx |= extra | {"problems": [], "message": exc.message}
            return render(request, "collection/entry.html", ctx, status=exc.status_code)
        return redirect("collection:submission", pk=saved.pk)
    ctx = {"form": form, "unit": unit, "period": period, "spec": spec, "submission": sub}
    return render(request, "collection/entry.html", ctx | extra | {"problems": [], "message": ""})


@login_required
def queue(request):
    return render(
        request,
        "collection/queue.html",
        {
            "items": selectors.review_queue(user=request.user)[:500],
            "province": can(request.user, Action.FINAL_APPROVE),
        },
    )


def _submission_page(request, sub, *, error: str = "", status: int = 200):
    """The report page: its versions, audit trail and the actions this user may take."""
    versions = sub.versions.select_related("created_by", "upload").order_by("-number")
    ctx = {
        "sub": sub,
        "versions": versions,
        "audit": selectors.audit_for(sub),
        "can_review": can(request.user, Action.REVIEW, sub.org_unit),
        "province": can(request.user, Action.FINAL_APPROVE),
        "can_report": can(request.user, Action.REPORT, sub.org_unit),
    }
    if error:
        ctx["error"] = error
    return render(request, "collection/submission.html", ctx, status=status)


@login_required
def submission_detail(request, pk: int):
    return _submission_page(request, get_object_or_404(selectors.submission_list(user=request.user), pk=pk))


@login_required
@require_POST
def submission_action(request, pk: int, action: str):
    """submit / approve / return / final_approve / final_return, with the lock_version the page showed."""
    sub = get_object_or_404(selectors.submission_list(user=request.user), pk=pk)
    lock = request.POST.get("lock_version")
    lock = int(lock) if lock and lock.isdigit() else None
    reason = request.POST.get("reason", "")
    try:
        if action == "submit":
            services.submission_submit(user=request.user, submission=sub, expected_lock_version=lock)
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
    return redirect(request.POST.get("next") or "collection:queue")


@login_required
def completeness(request):
    form = PeriodForm(request.GET or None)
    rows = []
    if request.GET and form.is_valid():
        rows = selectors.completeness_table(
            user=request.user, period=form.cleaned_data["period"], form_code=form.cleaned_data["form_code"]
        )
    return render(request, "collection/completeness.html", {"form": form, "rows": rows})
