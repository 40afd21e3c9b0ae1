"""Reads of the technology-contract register, scoped by the user, and the 技术合同成交额 computed from it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, ExpressionWrapper, F, Q, QuerySet, Sum
from django.utils import timezone

from lanbai.access.policy import Action, can, unit_ids
from lanbai.collection.selectors import approved_values
from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import NotFoundError
from lanbai.core.periods import Quarter
from lanbai.plans.selectors import plan_in_force, zone_list

from .choices import ContractStatus
from .models import ContractHistory, TechContract

TIME_LIMIT_DAYS = 30
REPORTED_FIELD = "zone_tech_contract_value"  # 兰白统Q1表, 万元, 本年累计
WAN_PER_YI = Decimal(10000)

_TECH = ExpressionWrapper(
    F("amount") - F("equipment_cost") - F("materials_cost") - F("other_non_tech_cost"),
    output_field=DecimalField(max_digits=14, decimal_places=2),
)


def readable_unit_ids(user) -> set[int] | None:
    """Units whose contracts the user may see: readers, sellers and registrars (None: every unit)."""
    out: set[int] = set()
    for action in (Action.READ, Action.FILE_CONTRACT, Action.REGISTER_CONTRACT):
        ids = unit_ids(user, action)
        if ids is None:
            return None
        out |= ids
    return out


def _scoped(user) -> QuerySet[TechContract]:
    qs = TechContract.objects.select_related("seller_zone", "seller_unit", "buyer_zone", "supplement_of")
    ids = readable_unit_ids(user)
    if ids is None:
        return qs
    return qs.filter(Q(seller_unit_id__in=ids) | Q(seller_zone_id__in=ids))


def contract_list(*, user, status: str = "", contract_type: str = "", zone: str = "", year: int | None = None,
                  q: str = "") -> QuerySet[TechContract]:
    """The register as the user may see it, filtered (year: of registration)."""
    qs = _scoped(user)
    if status:
        qs = qs.filter(status=status)
    if contract_type:
        qs = qs.filter(contract_type=contract_type)
    if zone:
        qs = qs.filter(seller_zone__code=zone)
    if year:
        qs = qs.filter(registered_on__year=year)
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(seller_name__icontains=q) | Q(registration_number__startswith=q))
    return qs


def contract_get(*, user, pk: int) -> TechContract:
    contract = _scoped(user).filter(pk=pk).first()
    if contract is None:
        raise NotFoundError(f"没有技术合同 {pk} / no contract {pk}")
    return contract


def contract_get_by_number(number: str) -> TechContract:
    """A contract by registration number (or by id when ``number`` is short); not scoped."""
    text = (number or "").strip()
    contract = TechContract.objects.filter(registration_number=text).first()
    if contract is None and text.isdigit() and len(text) < 10:
        contract = TechContract.objects.filter(pk=int(text)).first()
    if contract is None:
        raise NotFoundError(f"没有登记编号为 {text} 的技术合同 / no contract {text}", extra={"field": "supplement_of"})
    return contract


def contract_history(contract: TechContract) -> QuerySet[ContractHistory]:
    return contract.history.select_related("user").order_by("at", "id")


def contract_audit(contract: TechContract):
    return audit_events_for(contract)


def contract_actions(*, user, contract: TechContract) -> list[str]:
    """The transitions the user may take now (names of the services without ``contract_``)."""
    s = ContractStatus
    seller = can(user, Action.FILE_CONTRACT, contract.seller_unit)
    registrar = can(user, Action.REGISTER_CONTRACT, contract.seller_zone)
    out = []
    if seller and contract.status in (s.DRAFT, s.RETURNED):
        out += ["update", "submit"]
    if registrar and contract.status == s.SUBMITTED:
        out += ["accept", "return"]
    if registrar and contract.status == s.ACCEPTED:
        out += ["register", "refuse", "return"]
    if registrar and contract.status == s.REGISTERED:
        out += ["amend", "revoke"]
    return out


def time_limit(contract: TechContract, *, today: dt.date | None = None) -> dict[str, Any] | None:
    """The 30-day limit from 受理: due date, days left (negative: overdue) or days taken."""
    if contract.accepted_on is None:
        return None
    due = contract.accepted_on + dt.timedelta(days=TIME_LIMIT_DAYS)
    if contract.status == ContractStatus.ACCEPTED:
        left = (due - (today or timezone.localdate())).days
        return {"due": due, "days_left": left, "overdue": left < 0, "open": True}
    end = contract.registered_on
    if end is None:
        last = contract.history.filter(to_status=contract.status).order_by("-at").first()
        end = timezone.localdate(last.at) if last is not None else None
    taken = (end - contract.accepted_on).days if end else None
    return {"due": due, "days_taken": taken, "overdue": taken is not None and taken > TIME_LIMIT_DAYS,
            "open": False}


def counted_contracts(period: Quarter | str) -> QuerySet[TechContract]:
    """Registered contracts counted in ``period`` (year to date): registered in its span, not supplementary.

    A contract counts once, in the year of its registration; a 补充合同 never adds 成交额; a revoked
    registration counts nowhere."""
    q = Quarter.coerce(period)
    return TechContract.objects.filter(
        status=ContractStatus.REGISTERED,
        registered_on__gte=q.start,
        registered_on__lte=q.end,
        supplement_of__isnull=True,
    )


def _by(qs: QuerySet[TechContract], field: str) -> dict[int, dict[str, Any]]:
    rows = qs.values(field).annotate(total=Sum("amount"), tech_total=Sum(_TECH)).order_by()
    counts: dict[int, int] = {}
    for zid in qs.values_list(field, flat=True):
        counts[zid] = counts.get(zid, 0) + 1
    return {r[field]: {"amount": r["total"] or Decimal(0), "tech": r["tech_total"] or Decimal(0),
                       "count": counts.get(r[field], 0)} for r in rows if r[field] is not None}


def reported_figures(zone_ids: list[int], period: str) -> dict[int, Decimal]:
    """Zone id -> the 技术合同成交额 (万元, 本年累计) of the version 省创新办 approved for ``period``."""
    out: dict[int, Decimal] = {}
    for unit_id, _, values in approved_values(org_unit_ids=zone_ids, periods=[period]):
        if values.get(REPORTED_FIELD) not in (None, ""):
            out[unit_id] = Decimal(str(values[REPORTED_FIELD]))
    return out


def _q2(d: Decimal) -> Decimal:
    return d.quantize(Decimal("0.01"))


def turnover(*, period: Quarter | str, user=None) -> list[dict[str, Any]]:
    """Per zone: registered 成交额 by seller (技术输出), 技术交易额, 吸纳 by buyer, the approved reported figure
    and the difference (register − reported), all 万元, plus the indicator in 亿元."""
    q = Quarter.coerce(period)
    zones = list(zone_list(plan=plan_in_force()))
    ids = readable_unit_ids(user)
    if ids is not None:
        zones = [z for z in zones if z.id in ids]
    qs = counted_contracts(q)
    out_by, in_by = _by(qs, "seller_zone_id"), _by(qs, "buyer_zone_id")
    reported = reported_figures([z.id for z in zones], str(q))
    rows = []
    for z in zones:
        o = out_by.get(z.id, {"amount": Decimal(0), "tech": Decimal(0), "count": 0})
        i = in_by.get(z.id, {"amount": Decimal(0), "count": 0})
        rep = reported.get(z.id)
        rows.append({
            "zone": z.code,
            "zone_name": z.name,
            "period": str(q),
            "contracts": o["count"],
            "turnover": _q2(o["amount"]),
            "tech_turnover": _q2(o["tech"]),
            "absorbed": _q2(i["amount"]),
            "absorbed_contracts": i["count"],
            "turnover_yi": (o["amount"] / WAN_PER_YI).quantize(Decimal("0.0001")),
            "reported": rep,
            "difference": None if rep is None else _q2(o["amount"] - rep),
        })
    return rows


def export_rows(*, user, **filters) -> list[TechContract]:
    return list(contract_list(user=user, **filters).order_by("id"))


def export_workbook(*, user, path, **filters):
    """The register (as the user may see it) written to an Excel file."""
    from .excel import write_rows

    return write_rows(path, export_rows(user=user, **filters))


def simulated_exists() -> bool:
    """Whether the demo register (模拟数据) is there already."""
    return TechContract.objects.filter(is_simulated=True).exists()



def zone_turnover(zone, period: Quarter | str | None = None) -> dict[str, Any] | None:
    """The zone's registered 技术合同成交额 beside its reported figure for ``period`` (default: the quarter of
    the zone's latest registration); a public aggregate for the zone page, None when the register is empty."""
    if period is None:
        last = (TechContract.objects.filter(status=ContractStatus.REGISTERED, seller_zone=zone)
                .order_by("-registered_on").values_list("registered_on", flat=True).first())
        if last is None:
            return None
        period = Quarter(last.year, (last.month - 1) // 3 + 1)
    return next((r for r in turnover(period=period) if r["zone"] == zone.code), None)
