"""Writes: register an instrument, book it, decide a booking, record its usage (policy + audit)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone

from lanbai.access.policy import Action, require
from lanbai.common.audit import audit
from lanbai.common.exceptions import ApplicationError, ConflictError, ValidationFailed
from lanbai.core.instruments import FeeRule, FeeRuleError, Interval, compute_fee, find_conflicts

from .models import Booking, Instrument, UsageRecord

MIN_VALUE_WAN = Decimal("50")  # 大型科研仪器: 原值 50 万元及以上
SHARING_MODES = ("开放共享", "内部使用", "外部共享")
INSTRUMENT_STATUSES = ("正常", "维修", "停用")
BOOKING_KINDS = ("机时", "送样")
OUTCOMES = ("正常", "超时", "爽约", "提前结束")
ACTIVE_STATES = ("待审批", "已批准")


def instrument_register(
    *, user: Any, owner_unit: Any, data: dict[str, Any], simulated: bool = False
) -> Instrument:
    """Register one instrument of ``owner_unit`` (its staff or 省创新办); 原值 must be ≥ 50 万元.

    Every broken rule is reported at once: ``extra["fields"]`` maps each field to its messages
    (``extra["field"]`` names the first), and nothing is written."""
    require(user, Action.MANAGE_INSTRUMENT, owner_unit, message="只有所属单位或省创新办可以登记仪器")
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    for f, label in (("name", "仪器名称"), ("model_number", "规格型号"), ("manufacturer", "生产厂商")):
        if not str(data.get(f, "")).strip():
            fail(f, f"{label}（{f}）：必填")
    value = Decimal(0)
    try:
        value = Decimal(str(data.get("original_value")).strip())
        if not value.is_finite():
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        fail("original_value", f"原值（original_value）：不是数字（{data.get('original_value')!r}）")
    else:
        if value < MIN_VALUE_WAN:
            fail(
                "original_value",
                f"原值（original_value）{value} 万元低于 50 万元：不属于大型科研仪器开放共享范围",
            )
    code = str(data.get("classification_code", "")).strip()
    if not re.fullmatch(r"\d{6}", code):
        fail("classification_code", f"分类编码（classification_code）必须是 6 位数字，收到 {code!r}")
    mode = data.get("sharing_mode", "开放共享")
    if mode not in SHARING_MODES:
        fail("sharing_mode", f"共享模式（sharing_mode）必须是 {'/'.join(SHARING_MODES)} 之一")
    status = data.get("status", "正常")
    if status not in INSTRUMENT_STATUSES:
        fail("status", f"状态（status）必须是 {'/'.join(INSTRUMENT_STATUSES)} 之一")
    rule = None
    amounts = {}
    for f, label in (("fee_rate", "收费单价"), ("fee_minimum", "最低收费")):
        try:
            amounts[f] = Decimal(str(data.get(f, 0) if data.get(f) not in (None, "") else 0).strip())
            if not amounts[f].is_finite():
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            fail(f, f"{label}（{f}）：不是数字（{data.get(f)!r}）")
    if len(amounts) == 2:
        try:
            rule = FeeRule(data.get("fee_basis", "per_hour"), amounts["fee_rate"], amounts["fee_minimum"])
        except FeeRuleError as e:
            fail(f"fee_{e.field}" if e.field != "basis" else "fee_basis", str(e))
    if errors or rule is None:
        first = next(iter(errors))
        raise ValidationFailed(
            "；".join(m for ms in errors.values() for m in ms), field=first, extra={"fields": errors}
        )
    with transaction.atomic():
        inst = Instrument.objects.create(
            name=data["name"],
            model_number=data["model_number"],
            manufacturer=data["manufacturer"],
            original_value=value,
            classification_code=code,
            sharing_mode=mode,
            status=status,
            fee_basis=rule.basis,
            fee_rate=rule.rate,
            fee_minimum=rule.minimum,
            owner_unit=owner_unit,
            location=data.get("location", ""),
            requires_approval=bool(data.get("requires_approval", True)),
            is_simulated=simulated,
        )
        audit(user, "instrument_register", inst, new=inst.name)
    return inst


def booking_create(
    *,
    user: Any,
    instrument: Instrument,
    requester_unit: Any,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str = "",
    kind: str = "机时",
    samples: int = 0,
    simulated: bool = False,
) -> Booking:
    """Book ``instrument`` for ``requester_unit``; an overlap with a pending/approved booking is refused."""
    require(user, Action.BOOK_INSTRUMENT, requester_unit, message="只能为本单位预约仪器")
    if kind not in BOOKING_KINDS:
        raise ValidationFailed(f"类型（kind）必须是 {'/'.join(BOOKING_KINDS)} 之一", field="kind")
    if end <= start:
        raise ValidationFailed("结束时间（end）必须晚于开始时间（start）", field="end")
    with transaction.atomic():
        locked = Instrument.objects.select_for_update().get(
            pk=instrument.pk
        )  # serialise bookings per instrument
        if locked.status != "正常":
            raise ApplicationError(f"仪器「{locked.name}」状态为{locked.status}，不能预约")
        existing = Booking.objects.filter(
            instrument=locked, state__in=ACTIVE_STATES, start__lt=end, end__gt=start
        )
        clashes = find_conflicts(Interval(start, end), [Interval(b.start, b.end, key=b.pk) for b in existing])
        if clashes:
            c = clashes[0]
            raise ConflictError(
                f"与预约 #{c.key}（{timezone.localtime(c.start):%Y-%m-%d %H:%M} – "
                f"{timezone.localtime(c.end):%Y-%m-%d %H:%M}）时间重叠",
                extra={"booking": c.key},
            )
        b = Booking.objects.create(
            instrument=locked,
            requester=user if getattr(user, "is_authenticated", False) else None,
            requester_unit=requester_unit,
            kind=kind,
            start=start,
            end=end,
            purpose=purpose,
            samples=samples,
            state="待审批" if locked.requires_approval else "已批准",
            is_simulated=simulated,
        )
        audit(user, "booking_create", b, field="state", new=b.state)
    return b


def _decide(user: Any, booking: Booking, new: str, reason: str) -> Booking:
    require(
        user, Action.MANAGE_INSTRUMENT, booking.instrument.owner_unit, message="只有仪器所属单位可以审批预约"
    )
    with transaction.atomic():
        b = Booking.objects.select_for_update().get(pk=booking.pk)
        if b.state != "待审批":
            raise ApplicationError(f"预约 #{b.pk} 状态为{b.state}，不能再审批")
        old, b.state = b.state, new
        b.save(update_fields=["state", "updated_at"])
        audit(user, "booking_decide", b, field="state", old=old, new=new, reason=reason)
    return b


def booking_approve(*, user: Any, booking: Booking) -> Booking:
    return _decide(user, booking, "已批准", "")


def booking_refuse(*, user: Any, booking: Booking, reason: str) -> Booking:
    if not reason.strip():
        raise ValidationFailed("拒绝预约须说明理由（reason）", field="reason")
    return _decide(user, booking, "已拒绝", reason)


def usage_record(
    *,
    user: Any,
    booking: Booking,
    actual_start: dt.datetime,
    actual_end: dt.datetime,
    outcome: str = "正常",
    simulated: bool = False,
) -> UsageRecord:
    """Record what happened on an approved booking; the fee follows the owner's rule (爽约: 0 h)."""
    inst = booking.instrument
    require(user, Action.MANAGE_INSTRUMENT, inst.owner_unit, message="只有仪器所属单位可以登记使用记录")
    if outcome not in OUTCOMES:
        raise ValidationFailed(f"使用结果（outcome）必须是 {'/'.join(OUTCOMES)} 之一", field="outcome")
    if booking.state != "已批准":
        raise ApplicationError(f"预约 #{booking.pk} 状态为{booking.state}，未批准不能登记使用")
    if actual_end < actual_start:
        raise ValidationFailed("实际结束时间（actual_end）早于实际开始时间", field="actual_end")
    hours = (
        Decimal(0) if outcome == "爽约" else Decimal(str((actual_end - actual_start).total_seconds() / 3600))
    )
    fee = compute_fee(
        FeeRule(inst.fee_basis, inst.fee_rate, inst.fee_minimum),
        hours=hours,
        samples=0 if outcome == "爽约" else booking.samples,
    )
    with transaction.atomic():
        if UsageRecord.objects.filter(booking=booking).exists():
            raise ConflictError(f"预约 #{booking.pk} 已有使用记录")
        u = UsageRecord.objects.create(
            booking=booking,
            actual_start=actual_start,
            actual_end=actual_end,
            outcome=outcome,
            fee=fee,
            is_simulated=simulated,
        )
        audit(user, "usage_record", u, field="fee", new=fee)
    return u


def booking_voucher_link(*, user: Any, booking: Booking, voucher_number: str) -> Booking:
    """Mark ``booking`` as paid (in part) by the 创新券 ``voucher_number`` (the vouchers app calls this when
    it records the use); the requester unit's staff only, once per booking, never a refused booking."""
    require(user, Action.BOOK_INSTRUMENT, booking.requester_unit, message="只能为本单位的预约使用创新券")
    with transaction.atomic():
        b = Booking.objects.select_for_update().get(pk=booking.pk)
        if b.voucher_ref:
            raise ConflictError(f"预约 #{b.pk} 已由创新券 {b.voucher_ref} 支付", extra={"field": "booking"})
        if b.state not in ACTIVE_STATES:
            raise ConflictError(f"预约 #{b.pk} 状态为{b.state}，不能使用创新券", extra={"field": "booking"})
        b.voucher_ref = voucher_number
        b.save(update_fields=["voucher_ref", "updated_at"])
        audit(user, "booking_voucher", b, field="voucher_ref", new=voucher_number)
    return b


def instrument_import_file(*, user: Any, path: Any, simulated: bool = False) -> list[Instrument]:
    """Register the instruments of an Excel sheet (the columns of the export's 大型科研仪器 sheet), each
    through :func:`instrument_register`; all or nothing: every error names the file, row and column."""
    from pathlib import Path

    from lanbai.common.exceptions import PermissionDeniedError
    from lanbai.common.workbook import import_all_or_nothing
    from lanbai.plans.selectors import orgunit_list, plan_in_force

    from .excel import column_of, read_rows

    name = Path(path).name
    rows = read_rows(Path(path))
    codes = {str(r.get("owner_unit", "")).strip() for r in rows}
    units = {u.code: u for u in orgunit_list(plan=plan_in_force()).filter(
        kind__in=("zone", "park", "enterprise"), code__in=codes)}

    def create(row: dict[str, Any]) -> Instrument:
        code = str(row.pop("owner_unit", "")).strip()
        unit = units.get(code)
        if unit is None:
            raise ValidationFailed(f"所属单位代码（owner_unit）{code!r} 不是园区、园中园或企业的代码",
                                   field="owner_unit")
        try:
            return instrument_register(user=user, owner_unit=unit, data=row, simulated=simulated)
        except PermissionDeniedError as exc:
            raise ValidationFailed(f"所属单位代码（owner_unit）{code}：{exc.message}", field="owner_unit") from None

    return import_all_or_nothing(rows, create, column_of=column_of, file=name)
