"""Pages of 大型科研仪器开放共享 (Chinese first): the public catalogue, an instrument with its bookings, the
booking form, the owner's approval queue, usage recording and the annual sharing table.  Thin: parse,
call one service or selector, render."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from lanbai.common.exceptions import ApplicationError, PermissionDeniedError, ValidationFailed
from lanbai.core.instruments import format_ratio

from . import selectors, services


def _when(value: str, field: str) -> dt.datetime:
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationFailed(
            f"{field}：时间格式应为 YYYY-MM-DD HH:MM，收到 {value!r}", field=field
        ) from None
    return parsed if parsed.tzinfo else timezone.make_aware(parsed)


def instrument_list(request):
    """The public catalogue (catalogue fields only)."""
    return render(
        request,
        "instruments/list.html",
        {"instruments": selectors.instrument_list(), "can_register": bool(selectors.managed_units(user=request.user))},
    )


REGISTER_FIELDS = (
    "owner_unit", "name", "model_number", "manufacturer", "original_value", "classification_code",
    "sharing_mode", "status", "fee_basis", "fee_rate", "fee_minimum", "location",
)


@login_required
def instrument_new(request):
    """Register an instrument with the national platform's fields (owner unit staff, 省创新办); every broken
    rule is shown next to its field, the input kept."""
    units = selectors.managed_units(user=request.user)
    if not units:
        raise PermissionDeniedError("只有仪器所属单位的工作人员或省创新办可以登记仪器")
    values = {k: request.POST.get(k, "") for k in REGISTER_FIELDS}
    values["requires_approval"] = request.POST.get("requires_approval", "" if request.method == "POST" else "on")
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        unit = next((u for u in units if str(u.pk) == values["owner_unit"]), None)
        try:
            if unit is None:
                raise ValidationFailed("所属单位（owner_unit）：请选择您负责的单位", field="owner_unit")
            inst = services.instrument_register(
                user=request.user,
                owner_unit=unit,
                data={k: v for k, v in values.items() if k != "owner_unit"}
                | {"requires_approval": bool(values["requires_approval"])},
            )
        except ValidationFailed as exc:
            errors = exc.extra.get("fields") or {"owner_unit": [exc.message]}
        else:
            return redirect("instruments:detail", pk=inst.pk)
    ctx = {
        "units": units, "values": values, "errors": {k: "；".join(v) for k, v in errors.items()},
        "modes": services.SHARING_MODES, "statuses": services.INSTRUMENT_STATUSES,
    }
    return render(request, "instruments/new.html", ctx, status=400 if errors else 200)


def instrument_detail(request, pk: int):
    inst = selectors.instrument_get(pk=pk)
    return render(
        request,
        "instruments/detail.html",
        {
            "i": inst,
            "bookings": selectors.booking_list_for_instrument(instrument=inst),
            "staff": selectors.can_manage(user=request.user, instrument=inst),
            "fee_text": selectors.fee_text(inst),
        },
    )


@login_required
def booking_new(request, pk: int):
    inst = selectors.instrument_get(pk=pk)
    units = selectors.bookable_units(user=request.user)
    error, values = (
        "",
        {k: request.POST.get(k, "") for k in ("unit", "start", "end", "purpose", "kind", "samples")},
    )
    if request.method == "POST":
        try:
            unit = next((u for u in units if str(u.pk) == values["unit"]), None)
            if unit is None:
                raise ValidationFailed("预约单位（unit）：请选择本人所属单位", field="unit")
            services.booking_create(
                user=request.user,
                instrument=inst,
                requester_unit=unit,
                start=_when(values["start"], "start"),
                end=_when(values["end"], "end"),
                purpose=values["purpose"],
                kind=values["kind"] or "机时",
                samples=int(values["samples"]) if values["samples"].isdigit() else 0,
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("instruments:detail", pk=inst.pk)
    return render(
        request,
        "instruments/book.html",
        {"i": inst, "units": units, "values": values, "error": error},
        status=409 if error and "重叠" in error else (400 if error else 200),
    )


@login_required
def booking_queue(request):
    return render(
        request,
        "instruments/queue.html",
        {
            "bookings": selectors.booking_list_for_owner(user=request.user)
            .filter(state="待审批")
            .select_related("instrument", "requester_unit", "requester"),
            "approved": selectors.booking_list_for_owner(user=request.user)
            .filter(state="已批准", usage__isnull=True)
            .select_related("instrument", "requester_unit"),
            "error": request.GET.get("error", ""),
        },
    )


@login_required
@require_POST
def booking_act(request, pk: int, verb: str):
    booking = selectors.booking_get_for_owner(user=request.user, pk=pk)
    try:
        if verb == "approve":
            services.booking_approve(user=request.user, booking=booking)
        elif verb == "refuse":
            services.booking_refuse(user=request.user, booking=booking, reason=request.POST.get("reason", ""))
        else:
            raise Http404
    except ApplicationError as exc:
        if exc.status_code in (403, 404):
            raise
        return render(
            request,
            "instruments/queue.html",
            {
                "bookings": selectors.booking_list_for_owner(user=request.user).filter(state="待审批"),
                "approved": [],
                "error": exc.message,
            },
            status=exc.status_code,
        )
    return redirect("instruments:queue")


@login_required
def usage_new(request, pk: int):
    booking = selectors.booking_get_for_owner(user=request.user, pk=pk)
    error = ""
    values = {
        "actual_start": request.POST.get(
            "actual_start", f"{timezone.localtime(booking.start):%Y-%m-%d %H:%M}"
        ),
        "actual_end": request.POST.get("actual_end", f"{timezone.localtime(booking.end):%Y-%m-%d %H:%M}"),
        "outcome": request.POST.get("outcome", "正常"),
    }
    if request.method == "POST":
        try:
            services.usage_record(
                user=request.user,
                booking=booking,
                actual_start=_when(values["actual_start"], "actual_start"),
                actual_end=_when(values["actual_end"], "actual_end"),
                outcome=values["outcome"],
            )
        except ApplicationError as exc:
            error = exc.message
        else:
            return redirect("instruments:detail", pk=booking.instrument_id)
    return render(
        request,
        "instruments/usage.html",
        {
            "b": booking,
            "values": values,
            "error": error,
            "outcomes": services.OUTCOMES,
        },
        status=400 if error else 200,
    )


@login_required
def sharing(request):
    text = request.GET.get("year", "2019")
    if not text.isdigit():
        raise ValidationFailed(f"年度（year）应为四位数字，收到 {text!r}", field="year")
    year = int(text)
    rows = [
        r | {"rate_text": format_ratio(r["sharing_rate"])}
        for r in selectors.sharing_table(user=request.user, year=year)
    ]
    return render(request, "instruments/sharing.html", {"rows": rows, "year": year})


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@login_required
def export(request):
    """The register and sheet 共享情况 as an Excel file, for the staff who manage some unit's instruments
    (``MANAGE_INSTRUMENT``); rows scoped like the sharing table (``READ`` on the owner unit)."""
    import io

    if not selectors.managed_units(user=request.user):
        raise PermissionDeniedError("只有仪器所属单位的工作人员或省创新办可以导出仪器登记表")
    text = request.GET.get("year", "")
    if text and not text.isdigit():
        raise ValidationFailed(f"年度（year）应为四位数字，收到 {text!r}", field="year")
    year = int(text) if text else selectors.latest_usage_year()
    buf = io.BytesIO()
    selectors.export_workbook(user=request.user, path=buf, year=year)
    out = HttpResponse(buf.getvalue(), content_type=XLSX)
    out["Content-Disposition"] = f'attachment; filename="instruments-{year}.xlsx"'
    return out
