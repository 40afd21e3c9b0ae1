"""Reads of the instrument register, bookings and annual sharing figures."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lanbai.access.policy import Action, can, roles_of, scope_filter, unit_ids
from lanbai.common.exceptions import NotFoundError
from lanbai.core.instruments import (
    SharingFigures,
    sharing_between,
    sharing_by_instrument,
    sharing_by_unit,
)
from lanbai.core.instruments import (
    UsageRecord as CoreUsage,
)

from .models import Booking, Instrument, UsageRecord


def instrument_list() -> QuerySet[Instrument]:
    """The public catalogue (the national platform publishes the register): catalogue fields only."""
    return Instrument.objects.select_related("owner_unit").order_by("id")


def booking_list_for_owner(*, user: Any) -> QuerySet[Booking]:
    """Bookings on the instruments of the units the user manages (approval queue)."""
    return Booking.objects.filter(
        scope_filter(user, Action.MANAGE_INSTRUMENT, unit_field="instrument__owner_unit")
    )


def _core_records(year: int) -> list[CoreUsage]:
    rows = UsageRecord.objects.select_related("booking__instrument").filter(
        actual_start__year__lte=year, actual_end__year__gte=year
    )
    return [
        CoreUsage(
            instrument=u.booking.instrument_id,
            owner_unit=u.booking.instrument.owner_unit_id,
            user_unit=u.booking.requester_unit_id,
            start=timezone.localtime(u.actual_start),  # the year boundary is local midnight
            end=timezone.localtime(u.actual_end),
            outcome=u.outcome,
        )
        for u in rows
    ]


def sharing_figures(*, year: int) -> tuple[dict[Any, SharingFigures], dict[Any, SharingFigures]]:
    """(per instrument id, per owner unit id) figures for ``year``; every registered instrument appears.

    Per-instrument hours are aggregates of an owner unit's own instruments (not an enterprise's usage
    or fees); callers outside the staff must not be shown the per-requester detail.
    """
    recs = _core_records(year)
    by_i = sharing_by_instrument(recs, year)
    by_u = sharing_by_unit(recs, year)
    zero = SharingFigures(0.0, 0.0)
    for inst in Instrument.objects.all():
        by_i.setdefault(inst.id, zero)
        by_u.setdefault(inst.owner_unit_id, zero)
    return by_i, by_u


def sharing_table(*, user: Any, year: int) -> list[dict[str, Any]]:
    """One row per instrument of the units ``user`` may read: 有效工作机时, 对外服务机时 (h), 共享率."""
    by_i, _ = sharing_figures(year=year)
    rows = []
    for inst in instrument_list().filter(scope_filter(user, Action.READ, unit_field="owner_unit")):
        f = by_i[inst.id]
        rows.append(
            {
                "instrument": inst.name,
                "owner_unit": inst.owner_unit.name,
                "effective_hours": round(f.effective_hours, 1),
                "external_hours": round(f.external_hours, 1),
                "sharing_rate": None if f.sharing_rate is None else round(f.sharing_rate, 4),
            }
        )
    return rows


def zone_sharing(*, user: Any, zone: Any, period: Any) -> dict[str, Any] | None:
    """The zone's 大型仪器共享率, year to date of ``period`` (a quarter): 有效工作机时 and 对外服务机时 summed
    over the usage records of the instruments owned by the zone or a unit below it, the ratio recomputed
    from the sums.  None when the user may not read the zone (``READ``)."""
    import datetime as dt

    from lanbai.access.policy import descendant_ids
    from lanbai.core.periods import Quarter

    if not can(user, Action.READ, zone):
        return None
    q = Quarter.coerce(period)
    tz = timezone.get_current_timezone()
    lo = dt.datetime(q.year, 1, 1, tzinfo=tz)
    hi = dt.datetime.combine(q.end + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    owners = descendant_ids({zone.id}) | {zone.id}
    rows = UsageRecord.objects.select_related("booking__instrument").filter(
        booking__instrument__owner_unit_id__in=owners, actual_start__lt=hi, actual_end__gt=lo
    )
    recs = [
        CoreUsage(
            instrument=u.booking.instrument_id,
            owner_unit=u.booking.instrument.owner_unit_id,
            user_unit=u.booking.requester_unit_id,
            start=timezone.localtime(u.actual_start),
            end=timezone.localtime(u.actual_end),
            outcome=u.outcome,
        )
        for u in rows
    ]
    f = sharing_between(recs, lo, hi)
    return {
        "period": str(q),
        "instruments": Instrument.objects.filter(owner_unit_id__in=owners).count(),
        "effective_hours": round(f.effective_hours, 1),
        "external_hours": round(f.external_hours, 1),
        "sharing_rate": None if f.sharing_rate is None else round(f.sharing_rate, 4),
        "sharing_rate_pct": None if f.sharing_rate is None else round(f.sharing_rate * 100, 1),
    }


def instrument_get(*, pk: int) -> Instrument:
    """One instrument of the public catalogue (404 when unknown)."""
    inst = instrument_list().filter(pk=pk).first()
    if inst is None:
        raise NotFoundError(f"仪器 #{pk} 不存在")
    return inst


def can_manage(*, user: Any, instrument: Instrument) -> bool:
    """Owner unit staff or 省创新办: may see requesters, decide bookings, record usage."""
    return can(user, Action.MANAGE_INSTRUMENT, instrument.owner_unit)


def booking_list_for_instrument(*, instrument: Instrument) -> QuerySet[Booking]:
    """The instrument's bookings (the page shows requesters to the owner's staff only)."""
    return instrument.bookings.select_related("requester_unit", "requester", "usage").order_by("start", "id")


def booking_get_for_owner(*, user: Any, pk: int) -> Booking:
    """A booking on an instrument the user manages (404 otherwise: its existence is not disclosed)."""
    b = (
        booking_list_for_owner(user=user)
        .select_related("instrument__owner_unit", "requester_unit")
        .filter(pk=pk)
    )
    found = b.first()
    if found is None:
        raise NotFoundError(f"预约 #{pk} 不存在")
    return found


def bookable_units(*, user: Any) -> list[Any]:
    """The units the user may book for: its own scope units (every zone for 省创新办)."""
    from lanbai.plans.selectors import orgunit_list_by_ids, plan_in_force, zone_list

    ids = unit_ids(user, Action.BOOK_INSTRUMENT)
    if ids is None:
        return list(zone_list(plan=plan_in_force()))
    roots = {pk for _, pk in roles_of(user).pairs if pk is not None}
    return orgunit_list_by_ids(roots & ids)


PAYABLE_STATES = ("待审批", "已批准")


def bookings_payable(*, user: Any, unit: Any) -> QuerySet[Booking]:
    """The bookings of ``unit`` a 创新券 may still pay: pending or approved, not yet linked to a voucher;
    empty unless the user may book for the unit (``BOOK_INSTRUMENT``)."""
    if not can(user, Action.BOOK_INSTRUMENT, unit):
        return Booking.objects.none()
    return (
        Booking.objects.select_related("instrument__owner_unit")
        .filter(requester_unit=unit, state__in=PAYABLE_STATES, voucher_ref="")
        .order_by("start", "id")
    )


def booking_of_unit(*, user: Any, unit: Any, pk: Any) -> Booking | None:
    """The booking ``pk`` made for ``unit`` (any state), or None; None unless the user may book for the unit."""
    if not can(user, Action.BOOK_INSTRUMENT, unit) or not str(pk).isdigit():
        return None
    return Booking.objects.select_related("instrument__owner_unit").filter(requester_unit=unit, pk=int(pk)).first()


def booking_price(booking: Booking) -> Any:
    """The service's price in 元 by the owner's rule: the usage record's fee once recorded, else the fee of
    the booked slot (hours) or of the samples sent (送样)."""
    from decimal import Decimal

    from lanbai.core.instruments import FeeRule, compute_fee

    usage = UsageRecord.objects.filter(booking=booking).first()
    if usage is not None:
        return usage.fee
    inst = booking.instrument
    hours = Decimal(str((booking.end - booking.start).total_seconds() / 3600))
    return compute_fee(FeeRule(inst.fee_basis, inst.fee_rate, inst.fee_minimum), hours=hours,
                       samples=booking.samples)


def managed_units(*, user: Any) -> list[Any]:
    """The units the user may register instruments for (``MANAGE_INSTRUMENT``): its zone and the zone's parks
    and enterprises for 园区填报员, its own enterprise for 企业填报员, every zone and enterprise for 省创新办."""
    from lanbai.plans.selectors import orgunit_list, plan_in_force

    ids = unit_ids(user, Action.MANAGE_INSTRUMENT)
    qs = orgunit_list(plan=plan_in_force()).filter(kind__in=("zone", "park", "enterprise"))
    if ids is not None:
        qs = qs.filter(id__in=ids)
    return list(qs.order_by("order", "code"))


def fee_text(inst: Instrument) -> str:
    """参考收费标准 for people, e.g. “300 元/小时（最低 500 元）”."""
    unit = "元/小时" if inst.fee_basis == "per_hour" else "元/样"
    text = f"{inst.fee_rate.normalize():f} {unit}"
    return text + (f"（最低 {inst.fee_minimum.normalize():f} 元）" if inst.fee_minimum else "")


def latest_usage_year() -> int:
    """The year of the latest usage record (the export's default year), else the current year."""
    from django.db.models import Max

    last = UsageRecord.objects.aggregate(m=Max("actual_end"))["m"]
    return timezone.localtime(last).year if last else timezone.localdate().year


def export_workbook(*, user: Any, path: Any, year: int | None = None) -> Any:
    """The register (instruments of the units ``user`` may read) and sheet 共享情况 for ``year`` (default:
    :func:`latest_usage_year`) written to an Excel file."""
    from .excel import write_workbook

    year = year or latest_usage_year()
    instruments = list(instrument_list().filter(scope_filter(user, Action.READ, unit_field="owner_unit")))
    return write_workbook(path, instruments, sharing_table(user=user, year=year), year)
