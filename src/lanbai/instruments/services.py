"""Writes: register an instrument, book it, decide a booking, record its usage (policy + audit)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction

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


def _decimal(value: Any, field: str) -> Decimal:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{field}：不是数字（{value!r}）", field=field) from None


def instrument_register(
    *, user: Any, owner_unit: Any, data: dict[str, Any], simulated: bool = False
) -> Instrument:
    """Register one instrument of ``owner_unit`` (its staff or 省创新办); 原值 must be ≥ 50 万元."""
    require(user, Action.MANAGE_INSTRUMENT, owner_unit, message="只有所属单位或省创新办可以登记仪器")
    value = _decimal(data.get("original_value"), "original_value")
    if value < MIN_VALUE_WAN:
        raise ValidationFailed(
            f"原值（original_value）{value} 万元低于 50 万元：不属于大型科研仪器开放共享范围",
            field="original_value",
        )
    code = str(data.get("classification_code", ""))
    if not re.fullmatch(r"\d{6}", code):
        raise ValidationFailed(
            f"分类编码（classification_code）必须是 6 位数字，收到 {code!r}", field="classification_code"
        )
    mode = data.get("sharing_mode", "开放共享")
    if mode not in SHARING_MODES:
        raise ValidationFailed(
            f"共享模式（sharing_mode）必须是 {'/'.join(SHARING_MODES)} 之一", field="sharing_mode"
        )
    status = data.get("status", "正常")
    if status not in INSTRUMENT_STATUSES:
        raise ValidationFailed(f"状态（status）必须是 {'/'.join(INSTRUMENT_STATUSES)} 之一", field="status")
    try:
        rule = FeeRule(
            data.get("fee_basis", "per_hour"),
            _decimal(data.get("fee_rate", 0), "fee_rate"),
            _decimal(data.get("fee_minimum", 0), "fee_minimum"),
        )
    except FeeRuleError as e:
        raise ValidationFailed(
            str(e), field=f"fee_{e.field}" if e.field != "basis" else "fee_basis"
        ) from None
    for f in ("name", "model_number", "manufacturer"):
        if not str(data.get(f, "")).strip():
            raise ValidationFailed(f"{f}：必填", field=f)
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
                f"与预约 #{c.key}（{c.start:%Y-%m-%d %H:%M} – {c.end:%Y-%m-%d %H:%M}）时间重叠",
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
