"""Reads of 创新券: schemes (budget figures), applications and vouchers scoped through the policy, the public 公示."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from lanbai.access import policy
from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import NotFoundError

from .models import Application, ClaimDocument, Redemption, RelatedParty, Scheme, Use, Voucher


def scheme_list(*, user: Any) -> QuerySet[Scheme]:
    """Schemes with budget, committed and remaining; staff only (READ_UNPUBLISHED)."""
    policy.require(user, policy.Action.READ_UNPUBLISHED, message="只有工作人员可以查看创新券方案")
    return Scheme.objects.all()


def _scoped(user: Any, qs: QuerySet, field: str = "enterprise__org_unit") -> QuerySet:
    """Rows of enterprises the user may read (their zone's staff, 省创新办, the enterprise itself)."""
    return qs.filter(policy.scope_filter(user, policy.Action.READ_VOUCHERS, unit_field=field))


def own_enterprises(*, user: Any, credit_code: str | None = None) -> QuerySet:
    """The enterprises the user applies for (企业填报员 of their own unit), optionally the one of ``credit_code``."""
    from lanbai.collection.selectors import enterprise_list

    ids = policy.roles_of(user).roots(policy.Role.ENTERPRISE_REPORTER)
    qs = enterprise_list().filter(org_unit_id__in=ids)
    return qs if credit_code is None else qs.filter(credit_code=credit_code.strip())


def application_list(*, user: Any, state: str = "") -> QuerySet[Application]:
    qs = _scoped(user, Application.objects.select_related("scheme", "enterprise", "zone"))
    return qs.filter(state=state) if state else qs


def application_get(*, user: Any, pk: int) -> Application:
    app = application_list(user=user).filter(pk=pk).first()
    if app is None:
        raise NotFoundError("没有这份申请，或您无权查看")
    return app


def zone_queue(*, user: Any) -> QuerySet[Application]:
    """Submitted applications the user reviews as 园区审核员 (empty for others)."""
    qs = Application.objects.select_related("scheme", "enterprise", "zone").filter(
        state=Application.State.SUBMITTED
    )
    return qs.filter(
        policy.scope_filter(user, policy.Action.REVIEW_VOUCHER, unit_field="enterprise__org_unit")
    )


def province_queue(*, user: Any) -> dict[str, Any]:
    """省创新办's queue: zone-approved applications, applications in 公示, redemption claims."""
    if not policy.can(user, policy.Action.MANAGE_VOUCHERS):
        return {"approve": [], "notice": [], "claims": []}
    apps = Application.objects.select_related("scheme", "enterprise", "zone")
    return {
        "approve": list(apps.filter(state=Application.State.ZONE_APPROVED)),
        "notice": list(apps.filter(state=Application.State.NOTICE)),
        "claims": list(
            Redemption.objects.select_related("use__voucher")
            .prefetch_related("documents")
            .filter(state=Redemption.State.CLAIMED)
        ),
    }


def voucher_list(*, user: Any) -> QuerySet[Voucher]:
    return _scoped(user, Voucher.objects.select_related("scheme", "zone"))


def voucher_get(*, user: Any, pk: int) -> Voucher:
    v = voucher_list(user=user).filter(pk=pk).first()
    if v is None:
        raise NotFoundError("没有这张创新券，或您无权查看")
    return v


def voucher_history(voucher: Voucher) -> list[Any]:
    """Audit events of the voucher, its application, its uses and their redemptions, oldest first."""
    events = list(audit_events_for(voucher))
    app = Application.objects.filter(voucher=voucher).first()
    if app is not None:
        events += list(audit_events_for(app))
    for use in voucher.uses.all():
        events += list(audit_events_for(use))
        red = Redemption.objects.filter(use=use).first()
        if red is not None:
            events += list(audit_events_for(red))
    return sorted(events, key=lambda e: (e.at, e.id))


def notice_list() -> QuerySet[Application]:
    """The public 公示: applications approved by 省创新办 and in notice (name, scheme, amount, dates only)."""
    return Application.objects.select_related("scheme", "enterprise").filter(state=Application.State.NOTICE)


def report(*, user: Any, year: int | None = None) -> list[dict[str, Any]]:
    """Per zone and scheme: vouchers issued, used, redeemed, expired, clawed back (counts and 万元). Staff only."""
    policy.require(user, policy.Action.READ_UNPUBLISHED, message="只有工作人员可以查看创新券统计")
    vouchers = Voucher.objects.select_related("scheme", "zone")
    if year is not None:
        vouchers = vouchers.filter(scheme__year=year)
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    zero = Decimal(0)
    for v in vouchers:
        key = (v.zone.name if v.zone else "—", v.scheme.name)
        row = rows.setdefault(
            key,
            {
                "zone": key[0],
                "scheme": key[1],
                "issued_n": 0,
                "issued": zero,
                "used": zero,
                "redeemed": zero,
                "expired_n": 0,
                "clawed_back_n": 0,
            },
        )
        row["issued_n"] += 1
        row["issued"] += v.amount
        row["used"] += sum((u.amount for u in v.uses.all()), zero)
        row["redeemed"] += sum(
            (r.amount for r in Redemption.objects.filter(use__voucher=v, state=Redemption.State.PAID)), zero
        )
        row["expired_n"] += v.state == Voucher.State.EXPIRED
        row["clawed_back_n"] += v.state == Voucher.State.CLAWED_BACK
    return [rows[k] for k in sorted(rows)]


def zone_redeemed(*, user: Any, zone: Any, period: Any) -> dict[str, Any] | None:
    """创新券 redeemed for the zone's enterprises, year to date of ``period`` (a quarter) by 兑付日期: the
    vouchers with a paid claim (张) and the amount paid (万元).  None when the user may not read the zone's
    vouchers (``READ_VOUCHERS``: its staff, 省创新办)."""
    import datetime as dt

    from django.db.models import Count, Sum

    from lanbai.core.periods import Quarter

    if not policy.can(user, policy.Action.READ_VOUCHERS, zone):
        return None
    q = Quarter.coerce(period)
    paid = Redemption.objects.filter(
        state=Redemption.State.PAID,
        use__voucher__zone=zone,
        paid_on__gte=dt.date(q.year, 1, 1),
        paid_on__lte=q.end,
    ).aggregate(n=Count("use__voucher", distinct=True), amount=Sum("amount"))
    return {
        "period": str(q),
        "vouchers": paid["n"] or 0,
        "amount": (paid["amount"] or Decimal(0)).quantize(Decimal("0.01")),
    }


def instrument_bookings_payable(*, user: Any, voucher: Voucher) -> list[tuple[Any, Decimal]]:
    """The holder's instrument bookings the voucher may pay, each with its price (万元) by the owner's fee
    rule; empty for anyone but the holder (``APPLY_VOUCHER``) and for a closed voucher."""
    from lanbai.instruments import selectors as instrument_selectors

    if voucher.enterprise is None or voucher.state in (Voucher.State.EXPIRED, Voucher.State.CLAWED_BACK):
        return []
    unit = voucher.enterprise.org_unit
    if not policy.can(user, policy.Action.APPLY_VOUCHER, unit):
        return []
    return [
        (b, (Decimal(instrument_selectors.booking_price(b)) / 10000).quantize(Decimal("0.0001")))
        for b in instrument_selectors.bookings_payable(user=user, unit=unit)
    ]


def scheme_choices() -> QuerySet[Scheme]:
    """The schemes an enterprise may apply to (names only; no budget figures)."""
    return Scheme.objects.all()


def scheme_by_code(code: str) -> Scheme | None:
    return Scheme.objects.filter(code=code).first()


# --- Providers (通兑), redemption claims and their documents -----------------------------------------


def _claim_scope(user: Any) -> Q:
    """Uses the user may see with their claims: the holder's readers (READ_VOUCHERS: its zone's staff,
    省创新办, the enterprise) and the provider's own users (REDEEM_VOUCHER on the provider's unit)."""
    return _holder_or_provider(user, policy.Action.READ_VOUCHERS)


def _holder_or_provider(user: Any, holder_action: Any) -> Q:
    """Uses whose holder's unit the user may ``holder_action``, or whose provider's unit it may
    REDEEM_VOUCHER. (An empty ``Q()`` — everything — would vanish in ``|``, so "all" is answered first.)"""
    holder_ids = policy.unit_ids(user, holder_action)
    provider_ids = policy.unit_ids(user, policy.Action.REDEEM_VOUCHER)
    if holder_ids is None or provider_ids is None:
        return Q()
    return Q(voucher__enterprise__org_unit_id__in=holder_ids) | Q(provider__org_unit_id__in=provider_ids)


def provider_uses(*, user: Any) -> QuerySet[Use]:
    """The uses ordered from the registered providers whose 企业填报员 the user is (every provider's for
    省创新办), newest first, with their claims; nobody else sees any."""
    return (
        Use.objects.select_related("voucher__scheme", "provider", "redemption")
        .filter(provider__isnull=False)
        .filter(policy.scope_filter(user, policy.Action.REDEEM_VOUCHER, unit_field="provider__org_unit"))
        .order_by("-used_on", "-id")
    )


def use_for_claim(*, user: Any, pk: int) -> Use:
    """A use the user may file a claim for: the holder's own users or the provider's (the service then
    decides by the scheme's redemption model); 404 for anyone else."""
    use = (
        Use.objects.select_related("voucher__scheme", "voucher__enterprise", "provider")
        .filter(_holder_or_provider(user, policy.Action.APPLY_VOUCHER))
        .filter(pk=pk)
        .first()
    )
    if use is None:
        raise NotFoundError("没有这笔使用记录，或您无权为其申请兑付")
    return use


def redemption_get(*, user: Any, pk: int) -> Redemption:
    """A claim with its use, for the holder's readers and the provider's users (404 otherwise)."""
    red = (
        Redemption.objects.select_related("use__voucher__scheme", "use__voucher__enterprise", "use__provider")
        .filter(use__in=Use.objects.filter(_claim_scope(user)))
        .filter(pk=pk)
        .first()
    )
    if red is None:
        raise NotFoundError("没有这份兑付申请，或您无权查看")
    return red


def claim_document_get(*, user: Any, pk: int) -> ClaimDocument:
    """A claim's document, raw as uploaded, for whoever may see the claim (404 for anyone else)."""
    doc = (
        ClaimDocument.objects.select_related("redemption")
        .filter(redemption__use__in=Use.objects.filter(_claim_scope(user)))
        .filter(pk=pk)
        .first()
    )
    if doc is None:
        raise NotFoundError("没有这份兑付材料，或您无权查看")
    return doc


def claim_history(redemption: Redemption) -> list[Any]:
    return sorted(audit_events_for(redemption), key=lambda e: (e.at, e.id))


def may_see_findings(*, user: Any, use: Use) -> bool:
    """The fraud findings are for the holder's readers (the reviewers among them), not for the provider."""
    ent = use.voucher.enterprise
    return ent is not None and policy.can(user, policy.Action.READ_VOUCHERS, ent.org_unit)


# --- Related parties ------------------------------------------------------------------------------


def related_parties(*, user: Any) -> QuerySet[RelatedParty]:
    """The declared related parties of the enterprises the user may declare for (DECLARE_RELATED_PARTY)."""
    return RelatedParty.objects.select_related("enterprise").filter(
        policy.scope_filter(user, policy.Action.DECLARE_RELATED_PARTY, unit_field="enterprise__org_unit")
    )


def related_party_get(*, user: Any, pk: int) -> RelatedParty:
    rp = related_parties(user=user).filter(pk=pk).first()
    if rp is None:
        raise NotFoundError("没有这条关联方记录，或您无权修改")
    return rp


def declarable_enterprise(*, user: Any, credit_code: str) -> Any:
    """The registered enterprise of ``credit_code`` if the user may declare its related parties, else None."""
    from lanbai.collection.selectors import enterprise_list

    return (
        enterprise_list()
        .filter(credit_code=credit_code.strip().upper())
        .filter(policy.scope_filter(user, policy.Action.DECLARE_RELATED_PARTY))
        .first()
    )


def holder_booking(*, user: Any, voucher: Voucher, pk: Any) -> Any:
    """A booking of the holder's own unit (any state: the service says why it cannot be paid), or None;
    None for anyone who may not use the voucher."""
    from lanbai.instruments.selectors import booking_of_unit

    if voucher.enterprise is None or not policy.can(user, policy.Action.APPLY_VOUCHER, voucher.enterprise.org_unit):
        return None
    return booking_of_unit(user=user, unit=voucher.enterprise.org_unit, pk=pk)


def report_workbook(*, user: Any, path: Any, year: int | None = None) -> Any:
    """:func:`report` (staff only) written to an Excel file, amounts in 万元, with a 合计 row."""
    from .excel import write_report

    return write_report(path, report(user=user, year=year), year)
