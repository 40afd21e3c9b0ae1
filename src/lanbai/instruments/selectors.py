"""Reads of the instrument register, bookings and annual sharing figures."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from lanbai.access.policy import Action, scope_filter
from lanbai.core.instruments import (
    SharingFigures,
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
