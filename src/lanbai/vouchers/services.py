"""Writes of 创新券: load a scheme from data, issue a voucher committing the scheme's budget."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from lanbai.access import policy
from lanbai.common.audit import audit
from lanbai.common.exceptions import ConflictError, ValidationFailed
from lanbai.core.vouchers import (
    Band,
    EnterpriseProfile,
    check_eligibility,
    compute_grant,
    price_above_published,
    related_party,
    split_contracts,
)
from lanbai.core.vouchers import Eligibility as EligibilityRules
from lanbai.core.vouchers import Scheme as SchemeRules

from .models import Application, ClaimDocument, Redemption, RelatedParty, Scheme, Use, Voucher


def _rules_json(rules: SchemeRules) -> dict[str, Any]:
    return json_safe(dataclasses.asdict(rules))


def json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


@transaction.atomic
def scheme_load(*, user: Any, rules: SchemeRules) -> Scheme:
    """Create or update the scheme ``rules.code``; a change of rules bumps its version."""
    policy.require(user, policy.Action.MANAGE_VOUCHERS, message="只有省创新办可以维护创新券方案")
    data = _rules_json(rules)
    scheme = Scheme.objects.select_for_update().filter(code=rules.code).first()
    if scheme is None:
        scheme = Scheme.objects.create(
            year=rules.year, code=rules.code, name=rules.name, budget=rules.budget, rules=data
        )
        audit(user, "voucher_scheme_create", scheme, new=rules.code)
        return scheme
    if scheme.rules != data:
        if rules.budget < scheme.committed:
            raise ValidationFailed(
                f"预算 {rules.budget} 万元低于已承诺 {scheme.committed} 万元", field="budget"
            )
        scheme.rules, scheme.budget, scheme.name = data, rules.budget, rules.name
        scheme.version += 1
        scheme.save()
        audit(user, "voucher_scheme_update", scheme, field="version", new=scheme.version)
    return scheme


def voucher_issue(
    *,
    user: Any,
    scheme_id: int,
    enterprise_name: str,
    credit_code: str,
    amount: Decimal,
    enterprise: Any = None,
    issued_on: dt.date | None = None,
) -> Voucher:
    """Issue a voucher and commit ``amount`` 万元 of the scheme's budget at once.

    The scheme row is locked (select_for_update inside the transaction), so two reviewers issuing the
    last of the budget at the same time cannot both succeed: the second sees the first's commitment.
    """
    policy.require(user, policy.Action.MANAGE_VOUCHERS, message="只有省创新办可以发放创新券")
    if amount <= 0:
        raise ValidationFailed("发放金额必须大于 0", field="amount")
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=scheme_id)
        if scheme.committed + amount > scheme.budget:
            raise ValidationFailed(
                f"{scheme.name}剩余预算 {scheme.remaining} 万元，不足以发放 {amount} 万元", field="amount"
            )
        scheme.committed += amount
        scheme.save(update_fields=["committed"])
        number = f"{scheme.code}-{scheme.vouchers.count() + 1:05d}"
        voucher = Voucher.objects.create(
            scheme=scheme,
            number=number,
            enterprise_name=enterprise_name,
            credit_code=credit_code,
            amount=amount,
            enterprise=enterprise,
            zone_id=getattr(enterprise, "zone_id", None),
            issued_on=issued_on or timezone.localdate(),
        )
        audit(user, "voucher_issue", voucher, field="amount", new=amount)
    return voucher


# --- Applications: 已提交 → 区审核通过 → 公示中 → 已发放 ------------------------------------------------


def scheme_rules(scheme: Scheme) -> SchemeRules:
    """The scheme's rules back as the core dataclass (from the JSON stored at load)."""
    r = scheme.rules
    el = r.get("eligibility") or {}
    return SchemeRules(
        year=int(r["year"]),
        code=r["code"],
        name=r["name"],
        budget=Decimal(r["budget"]),
        bands=tuple(
            Band(upper=None if b["upper"] is None else Decimal(b["upper"]), ratio=Decimal(b["ratio"]))
            for b in r["bands"]
        ),
        per_application_cap=Decimal(r["per_application_cap"]),
        per_enterprise_annual_cap=Decimal(r["per_enterprise_annual_cap"]),
        per_cycle_cap=None if r.get("per_cycle_cap") is None else Decimal(r["per_cycle_cap"]),
        use_deadline=dt.date.fromisoformat(r["use_deadline"]),
        redemption_deadline=dt.date.fromisoformat(r["redemption_deadline"]),
        redemption_model=r["redemption_model"],
        eligibility=EligibilityRules(
            sizes=tuple(el.get("sizes", ())),
            recognitions_any=tuple(el.get("recognitions_any", ())),
            no_bad_credit=bool(el.get("no_bad_credit", True)),
        ),
    )


def size_from_staff(staff: int | None) -> str | None:
    """Size class from 从业人员 alone (统计上大中小微型企业划分办法（2017）, 工业 thresholds: <20 micro,
    <300 small, <1000 medium); the registry holds no revenue, so the staff count is the one test."""
    if staff is None:
        return None
    if staff < 20:
        return "micro"
    if staff < 300:
        return "small"
    if staff < 1000:
        return "medium"
    return "large"


def enterprise_profile(enterprise: Any, on: dt.date) -> EnterpriseProfile:
    """The core profile from the registry: size from 从业人员, recognitions valid on ``on`` (code and
    Chinese name), bad credit when a reviewer recorded 信用良好 = no."""
    from lanbai.registry.selectors import enterprise_profile_find, enterprise_recognitions

    reg = enterprise_profile_find(enterprise)
    recs: set[str] = set()
    for rec in enterprise_recognitions(enterprise).filter(valid_from__lte=on):
        if rec.valid_to is None or rec.valid_to >= on:
            recs |= {rec.kind, str(rec.get_kind_display())}
    return EnterpriseProfile(
        size=size_from_staff(reg.staff if reg else None),
        recognitions=frozenset(recs),
        bad_credit=bool(reg is not None and reg.credit_good is False),
    )


def _eligible(application_scheme: Scheme, enterprise: Any, on: dt.date) -> None:
    reasons = check_eligibility(
        enterprise_profile(enterprise, on), scheme_rules(application_scheme).eligibility
    )
    if reasons:
        raise ValidationFailed("不符合申领条件：" + "；".join(reasons), field="enterprise")


def _positive(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except Exception as exc:
        raise ValidationFailed(f"{label}不是数字：{value!r}", field=field) from exc
    if not amount.is_finite() or amount <= 0:
        raise ValidationFailed(f"{label}必须大于 0 万元", field=field)
    return amount


def _state(application: Application, *states: str) -> None:
    if application.state not in states:
        raise ConflictError(f"申请当前状态为{application.get_state_display()}，不能进行此操作")


@transaction.atomic
def application_submit(
    *,
    user: Any,
    scheme_id: int,
    enterprise: Any,
    price: Any,
    requested: Any,
    service: str,
    provider_code: str,
    on: dt.date | None = None,
) -> Application:
    """The enterprise applies for itself; eligibility (core ``check_eligibility`` on registry data) first."""
    policy.require(
        user, policy.Action.APPLY_VOUCHER, enterprise.org_unit, message="只有企业本身可以申领创新券"
    )
    on = on or timezone.localdate()
    scheme = Scheme.objects.get(pk=scheme_id)
    price_d = _positive(price, "price", "服务合同金额")
    requested_d = _positive(requested, "requested", "申请金额")
    if not service.strip():
        raise ValidationFailed("服务内容不能为空", field="service")
    if not provider_code.strip():
        raise ValidationFailed("服务机构统一社会信用代码不能为空", field="provider_code")
    _eligible(scheme, enterprise, on)
    app = Application.objects.create(
        scheme=scheme,
        enterprise=enterprise,
        zone_id=enterprise.zone_id,
        price=price_d,
        requested=requested_d,
        service=service.strip(),
        provider_code=provider_code.strip().upper(),
    )
    audit(user, "voucher_apply", app, field="requested", new=requested_d)
    return app


@transaction.atomic
def application_resubmit(*, user: Any, application: Application, **changes: Any) -> Application:
    """A returned application, corrected and submitted again by the enterprise."""
    policy.require(
        user, policy.Action.APPLY_VOUCHER, application.enterprise.org_unit, message="只有企业本身可以重新提交"
    )
    _state(application, Application.State.RETURNED)
    if "price" in changes:
        application.price = _positive(changes["price"], "price", "服务合同金额")
    if "requested" in changes:
        application.requested = _positive(changes["requested"], "requested", "申请金额")
    if changes.get("service"):
        application.service = str(changes["service"]).strip()
    if changes.get("provider_code"):
        application.provider_code = str(changes["provider_code"]).strip().upper()
    application.state = Application.State.SUBMITTED
    application.save()
    audit(user, "voucher_resubmit", application)
    return application


def _return(user: Any, application: Application, reason: str, action: str) -> Application:
    if not reason.strip():
        raise ValidationFailed("退回必须填写理由", field="reason")
    application.state, application.reason = Application.State.RETURNED, reason.strip()
    application.save(update_fields=["state", "reason"])
    audit(user, action, application, field="reason", new=application.reason)
    return application


@transaction.atomic
def application_zone_review(
    *, user: Any, application: Application, approve: bool, reason: str = ""
) -> Application:
    """园区审核员 of the enterprise's zone approves, or returns with a reason."""
    policy.require(
        user, policy.Action.REVIEW_VOUCHER, application.enterprise.org_unit, message="只有本区审核员可以审核"
    )
    _state(application, Application.State.SUBMITTED)
    if not approve:
        return _return(user, application, reason, "voucher_zone_return")
    application.state = Application.State.ZONE_APPROVED
    application.save(update_fields=["state"])
    audit(user, "voucher_zone_approve", application)
    return application


def _issued_sums(application: Application) -> tuple[Decimal, Decimal]:
    """What the enterprise was issued this scheme year and in the whole cycle (万元)."""
    from django.db.models import Sum

    mine = Voucher.objects.filter(enterprise=application.enterprise).exclude(state=Voucher.State.CLAWED_BACK)
    year = mine.filter(scheme__year=application.scheme.year).aggregate(s=Sum("amount"))["s"] or Decimal(0)
    cycle = mine.aggregate(s=Sum("amount"))["s"] or Decimal(0)
    return year, cycle


@transaction.atomic
def application_province_review(
    *,
    user: Any,
    application: Application,
    approve: bool,
    reason: str = "",
    notice_start: dt.date | None = None,
    notice_end: dt.date | None = None,
) -> Application:
    """省创新办 approves (grant computed by the core, then 公示 until ``notice_end``) or returns."""
    policy.require(user, policy.Action.MANAGE_VOUCHERS, message="只有省创新办可以终审")
    _state(application, Application.State.ZONE_APPROVED)
    if not approve:
        return _return(user, application, reason, "voucher_province_return")
    start = notice_start or timezone.localdate()
    if notice_end is None or notice_end < start:
        raise ValidationFailed("公示截止日期必须不早于公示开始日期", field="notice_end")
    _eligible(application.scheme, application.enterprise, start)
    year, cycle = _issued_sums(application)
    grant = compute_grant(
        scheme_rules(application.scheme),
        application.price,
        application.requested,
        issued_this_year=year,
        issued_this_cycle=cycle,
    )
    if grant.amount <= 0:
        raise ValidationFailed(f"核定金额为 0 万元（受{grant.limited_by}限制）", field="requested")
    application.granted, application.limited_by = grant.amount, grant.limited_by or ""
    application.notice_start, application.notice_end = start, notice_end
    application.state = Application.State.NOTICE
    application.save()
    audit(user, "voucher_province_approve", application, field="granted", new=grant.amount)
    return application


def application_issue(*, user: Any, application: Application, on: dt.date | None = None) -> Voucher:
    """After the 公示 has ended, issue the voucher (``voucher_issue``: the budget is committed now)."""
    policy.require(user, policy.Action.MANAGE_VOUCHERS, message="只有省创新办可以发放创新券")
    on = on or timezone.localdate()
    with transaction.atomic():
        app = Application.objects.select_for_update().get(pk=application.pk)
        _state(app, Application.State.NOTICE)
        if app.notice_end is not None and on <= app.notice_end:
            raise ConflictError(f"公示期至 {app.notice_end}，公示结束后才能发放")
        assert app.granted is not None
        voucher = voucher_issue(
            user=user,
            scheme_id=app.scheme_id,
            enterprise_name=app.enterprise.name,
            credit_code=app.enterprise.credit_code,
            amount=app.granted,
            enterprise=app.enterprise,
            issued_on=on,
        )
        app.voucher, app.state = voucher, Application.State.ISSUED
        app.save(update_fields=["voucher", "state"])
    return voucher


# --- Use, redemption, expiry, clawback ---------------------------------------------------------------


def used_amount(voucher: Voucher) -> Decimal:
    """万元 locked by the voucher's recorded uses."""
    from django.db.models import Sum

    return voucher.uses.aggregate(s=Sum("amount"))["s"] or Decimal(0)


_OPEN = (Voucher.State.ISSUED, Voucher.State.IN_USE, Voucher.State.CLAIMED)


@transaction.atomic
def voucher_use_record(
    *,
    user: Any,
    voucher: Voucher,
    provider_code: str,
    provider_name: str,
    amount: Any,
    used_on: dt.date,
    published_price: Any = None,
) -> Use:
    """Record a service bought with the voucher; ``amount`` is locked against the balance (refused above
    it). The core fraud checks run and their findings are stored on the use (they flag, not refuse)."""
    if voucher.enterprise is None:
        raise ConflictError("该券未关联企业，不能登记使用")
    policy.require(
        user, policy.Action.APPLY_VOUCHER, voucher.enterprise.org_unit, message="只有持券企业可以登记使用"
    )
    v = Voucher.objects.select_for_update().get(pk=voucher.pk)
    if v.state not in _OPEN:
        raise ConflictError(f"创新券当前状态为{v.get_state_display()}，不能使用")
    amount_d = _positive(amount, "amount", "使用金额")
    rules = scheme_rules(v.scheme)
    if used_on > rules.use_deadline:
        raise ValidationFailed(f"使用日期 {used_on} 晚于使用截止日 {rules.use_deadline}", field="used_on")
    balance = v.amount - used_amount(v)
    if amount_d > balance:
        raise ValidationFailed(f"使用金额 {amount_d} 万元超过余额 {balance} 万元", field="amount")
    published = (
        None if published_price in (None, "") else _positive(published_price, "published_price", "公开价格")
    )
    code = provider_code.strip().upper()
    if not code or not provider_name.strip():
        raise ValidationFailed("服务机构名称和统一社会信用代码不能为空", field="provider_code")
    earlier = [
        (u.provider_code, u.used_on, u.amount) for u in Use.objects.filter(voucher__enterprise=v.enterprise)
    ]
    provider = _registered_provider(code)
    findings = [
        {"rule": f.rule, "message": f.message + _related_reason(v, code, provider) if f.rule == "related_party"
         else f.message}
        for f in (
            related_party(v.credit_code, code, _related_map(v, code, provider)),
            split_contracts(earlier, (code, used_on, amount_d), rules.per_application_cap),
            price_above_published(amount_d, published),
        )
        if f is not None
    ]
    use = Use.objects.create(
        voucher=v,
        provider_code=code,
        provider_name=provider_name.strip(),
        provider=provider,
        amount=amount_d,
        used_on=used_on,
        published_price=published,
        findings=findings,
    )
    if v.state == Voucher.State.ISSUED:
        v.state = Voucher.State.IN_USE
        v.save(update_fields=["state"])
    audit(user, "voucher_use", use, field="amount", new=amount_d)
    return use


def _registered_provider(code: str) -> Any:
    """The registered enterprise whose 统一社会信用代码 is ``code`` (the provider with accounts), or None."""
    from lanbai.collection.selectors import enterprise_list

    return enterprise_list().filter(credit_code=code).first()


def _related_map(v: Voucher, code: str, provider: Any) -> dict[str, list[str]]:
    """The declared 关联方 lists of the holder and (when registered) of the provider, by credit code."""
    out: dict[str, list[str]] = {v.credit_code: [], code: []}
    for rp in RelatedParty.objects.filter(enterprise_id__in=[v.enterprise_id, getattr(provider, "pk", None)]):
        key = v.credit_code if rp.enterprise_id == v.enterprise_id else code
        out[key].append(rp.credit_code)
    return out


def _related_reason(v: Voucher, code: str, provider: Any) -> str:
    """Why the provider is a related party: the same credit code, or whose declared list names whom."""
    if code == v.credit_code.strip().upper():
        return "（统一社会信用代码相同）"
    listed = RelatedParty.objects.filter(enterprise=v.enterprise, credit_code=code).first()
    if listed is not None:
        relation = f"，{listed.relation}" if listed.relation else ""
        return f"（{v.enterprise_name}申报的关联方：{listed.name}{relation}）"
    listed = RelatedParty.objects.filter(enterprise=provider, credit_code=v.credit_code).first()
    if listed is not None:
        return f"（服务机构{provider.name}申报的关联方：{listed.name}）"
    return ""


WAN = Decimal(10000)  # 元 per 万元


@transaction.atomic
def voucher_use_instrument(*, user: Any, voucher: Voucher, booking: Any, amount: Any = None) -> Use:
    """Order an instrument service with the voucher: a booking of a registered shared instrument, made by the
    holder for itself, whose owner unit is a registered enterprise (the provider, with its 统一社会信用代码).
    ``amount`` (万元; default the service's price, capped by the balance) is locked against the balance like
    any use and may not exceed the price by the owner's fee rule, which also stands as the published price.
    The use is dated the day of the booked slot; the booking is marked as paid by the voucher."""
    from lanbai.collection.selectors import enterprise_list
    from lanbai.instruments import selectors as instrument_selectors
    from lanbai.instruments import services as instrument_services

    if voucher.enterprise is None:
        raise ConflictError("该券未关联企业，不能登记使用")
    policy.require(
        user, policy.Action.APPLY_VOUCHER, voucher.enterprise.org_unit, message="只有持券企业可以登记使用"
    )
    if booking is None:
        raise ValidationFailed("请选择本企业的仪器预约", field="booking")
    if booking.requester_unit_id != voucher.enterprise.org_unit_id:
        raise ValidationFailed("booking：该预约不是持券企业本单位的预约", field="booking")
    inst = booking.instrument
    provider = enterprise_list().filter(org_unit_id=inst.owner_unit_id).first()
    if provider is None:
        raise ValidationFailed(
            f"booking：仪器「{inst.name}」的所属单位{inst.owner_unit.name}不是已登记的服务机构"
            "（须为登记了统一社会信用代码的企业）",
            field="booking",
        )
    price = (Decimal(instrument_selectors.booking_price(booking)) / WAN).quantize(Decimal("0.0001"))
    if price <= 0:
        raise ValidationFailed("booking：该预约按收费标准计算的费用为 0，无需使用创新券", field="booking")
    if amount in (None, ""):
        amount_d = min(price, voucher.amount - used_amount(voucher))
    else:
        amount_d = _positive(amount, "amount", "使用金额")
    if amount_d > price:
        raise ValidationFailed(
            f"使用金额 {amount_d} 万元超过该仪器服务按收费标准计算的费用 {price} 万元", field="amount"
        )
    # the booking first (locked; refused when already paid or refused); a refused use below rolls it back
    instrument_services.booking_voucher_link(user=user, booking=booking, voucher_number=voucher.number)
    use = voucher_use_record(
        user=user,
        voucher=voucher,
        provider_code=provider.credit_code,
        provider_name=provider.name,
        amount=amount_d,
        used_on=timezone.localtime(booking.start).date(),
        published_price=price,
    )
    use.booking = booking
    use.save(update_fields=["booking"])
    return use


# the documents each redemption model requires (reference notes §1: 通兑 — the provider's invoice and the
# holder's confirmation of the service; 通用 [S4] — 合同 + 发票 + 到款凭证)
REQUIRED_DOCUMENTS: dict[str, tuple[str, ...]] = {
    "provider": (ClaimDocument.Kind.INVOICE, ClaimDocument.Kind.DELIVERY),
    "enterprise": (ClaimDocument.Kind.CONTRACT, ClaimDocument.Kind.INVOICE, ClaimDocument.Kind.PAYMENT),
}
MODEL_LABELS = {"provider": "通兑方案", "enterprise": "通用方案"}
MAX_DOCUMENT = 20 * 1024 * 1024  # bytes, as the measure report evidence


def required_documents(use: Use) -> tuple[str, ...]:
    """The document kinds a claim for ``use`` must carry under its scheme's redemption model."""
    return REQUIRED_DOCUMENTS[scheme_rules(use.voucher.scheme).redemption_model]


def _claim_documents(documents: Iterable[tuple[str, str, bytes]]) -> list[tuple[str, str, bytes]]:
    labels = dict(ClaimDocument.Kind.choices)
    out = []
    for kind, filename, content in documents:
        if kind not in labels:
            raise ValidationFailed(
                f"{kind}：材料类型必须是 {'/'.join(labels)} 之一（{'、'.join(labels.values())}）", field=kind
            )
        if not content:
            raise ValidationFailed(f"{labels[kind]}（{kind}）：文件「{filename}」为空", field=kind)
        if len(content) > MAX_DOCUMENT:
            raise ValidationFailed(f"{labels[kind]}（{kind}）：文件「{filename}」超过 20 MB", field=kind)
        out.append((kind, filename, content))
    return out


@transaction.atomic
def redemption_claim(
    *, user: Any, use: Use, on: dt.date, documents: Iterable[tuple[str, str, bytes]] = ()
) -> Redemption:
    """Claim redemption (兑付申请) of a recorded use by the scheme's redemption deadline, with its documents
    (``(kind, filename, bytes)``, kept exactly as received). Who files and what is required follow the
    scheme's redemption model: 通兑 (``provider``) — the provider's own users, its invoice and the service
    confirmation; 通用 (``enterprise``) — the holder, the contract, the invoice and the payment proof. A
    returned claim filed again keeps its earlier documents; new ones are added. All or nothing."""
    v = use.voucher
    assert v.enterprise is not None
    model = scheme_rules(v.scheme).redemption_model
    if model == "provider":
        policy.require(
            user,
            policy.Action.REDEEM_VOUCHER,
            use.provider.org_unit if use.provider is not None else None,
            message="通兑方案由提供服务的服务机构（已登记企业）申请兑付",
        )
    else:
        policy.require(
            user, policy.Action.APPLY_VOUCHER, v.enterprise.org_unit, message="通用方案由持券企业申请兑付"
        )
    if v.state not in _OPEN:
        raise ConflictError(f"创新券当前状态为{v.get_state_display()}，不能申请兑付")
    deadline = scheme_rules(v.scheme).redemption_deadline
    if on > deadline:
        raise ValidationFailed(f"兑付申请日期 {on} 晚于兑付截止日 {deadline}", field="claimed_on")
    existing = Redemption.objects.select_for_update().filter(use=use).first()
    if existing is not None and existing.state != Redemption.State.RETURNED:
        raise ConflictError("该笔使用已申请兑付")
    docs = _claim_documents(documents)
    have = {k for k, _, _ in docs} | (
        set(existing.documents.values_list("kind", flat=True)) if existing is not None else set()
    )
    labels = dict(ClaimDocument.Kind.choices)
    required = REQUIRED_DOCUMENTS[model]
    missing = [k for k in required if k not in have]
    if missing:
        raise ValidationFailed(
            f"缺少兑付材料：{'、'.join(labels[k] for k in missing)}（{MODEL_LABELS[model]}须提交"
            f"{'、'.join(labels[k] for k in required)}）",
            field=missing[0],
        )
    filer = user if getattr(user, "is_authenticated", False) else None
    if existing is not None:
        existing.state, existing.claimed_on, existing.reason = Redemption.State.CLAIMED, on, ""
        existing.claimed_by = filer
        existing.save()
        red = existing
    else:
        red = Redemption.objects.create(use=use, amount=use.amount, claimed_on=on, claimed_by=filer)
    for kind, filename, content in docs:
        doc = ClaimDocument.objects.create(
            redemption=red, kind=kind, **ClaimDocument.raw_values(user, filename, content, kind)
        )
        audit(user, "voucher_claim_document", red, field=kind, new=f"{doc.filename} {doc.sha256}")
    Voucher.objects.filter(pk=v.pk).update(state=Voucher.State.CLAIMED)
    audit(user, "voucher_claim", red, field="amount", new=red.amount)
    return red


@transaction.atomic
def redemption_review(
    *, user: Any, redemption: Redemption, approve: bool, reason: str = "", on: dt.date | None = None
) -> Redemption:
    """省创新办 pays (已兑付) or returns the claim with a reason."""
    policy.require(user, policy.Action.MANAGE_VOUCHERS, message="只有省创新办可以审核兑付")
    if redemption.state != Redemption.State.CLAIMED:
        raise ConflictError(f"兑付申请当前状态为{redemption.get_state_display()}，不能审核")
    v = redemption.use.voucher
    if not approve:
        if not reason.strip():
            raise ValidationFailed("退回必须填写理由", field="reason")
        redemption.state, redemption.reason = Redemption.State.RETURNED, reason.strip()
        redemption.save()
        Voucher.objects.filter(pk=v.pk).update(state=Voucher.State.IN_USE)
        audit(user, "voucher_claim_return", redemption, field="reason", new=redemption.reason)
        return redemption
    redemption.state, redemption.paid_on = Redemption.State.PAID, on or timezone.localdate()
    redemption.save()
    pending = Redemption.objects.filter(use__voucher=v, state=Redemption.State.CLAIMED).exists()
    fully_used = used_amount(v) >= v.amount
    state = Voucher.State.CLAIMED if pending else (Voucher.State.PAID if fully_used else Voucher.State.IN_USE)
    Voucher.objects.filter(pk=v.pk).update(state=state)
    audit(user, "voucher_pay", redemption, field="amount", new=redemption.amount)
    return redemption


def vouchers_expire(*, user: Any, today: dt.date) -> int:
    """Expire the open vouchers whose scheme's use deadline has passed: the unused balance (amount less
    recorded uses) goes back to the scheme's budget. Returns how many vouchers expired."""
    policy.require(user, policy.Action.MANAGE_VOUCHERS, message="只有省创新办可以处理过期")
    count = 0
    with transaction.atomic():
        for scheme in Scheme.objects.select_for_update().order_by("pk"):
            if scheme_rules(scheme).use_deadline >= today:
                continue
            for v in scheme.vouchers.select_for_update().filter(
                state__in=(Voucher.State.ISSUED, Voucher.State.IN_USE)
            ):
                release = v.amount - used_amount(v)
                scheme.committed -= release
                v.state, v.closed_on = Voucher.State.EXPIRED, today
                v.save(update_fields=["state", "closed_on"])
                audit(user, "voucher_expire", v, field="released", new=release)
                count += 1
            scheme.save(update_fields=["committed"])
    return count


def voucher_clawback(*, user: Any, voucher: Voucher, reason: str, on: dt.date | None = None) -> Voucher:
    """Claw a voucher back (追回, e.g. 弄虚作假): the reason is required; its whole amount is released from
    the scheme's commitment (money already paid is to be recovered) and pending claims are returned."""
    policy.require(user, policy.Action.MANAGE_VOUCHERS, message="只有省创新办可以追回创新券")
    if not reason.strip():
        raise ValidationFailed("追回必须填写理由", field="reason")
    with transaction.atomic():
        scheme = Scheme.objects.select_for_update().get(pk=voucher.scheme_id)
        v = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if v.state in (Voucher.State.EXPIRED, Voucher.State.CLAWED_BACK):
            raise ConflictError(f"创新券当前状态为{v.get_state_display()}，不能追回")
        scheme.committed -= v.amount
        scheme.save(update_fields=["committed"])
        Redemption.objects.filter(use__voucher=v, state=Redemption.State.CLAIMED).update(
            state=Redemption.State.RETURNED, reason="创新券已追回"
        )
        v.state, v.reason, v.closed_on = Voucher.State.CLAWED_BACK, reason.strip(), on or timezone.localdate()
        v.save(update_fields=["state", "reason", "closed_on"])
        audit(user, "voucher_clawback", v, field="reason", new=v.reason)
    return v


# --- Related parties (关联方) declared by the enterprise or its zone's staff ------------------------------


@transaction.atomic
def related_party_add(
    *, user: Any, enterprise: Any, credit_code: str, name: str, relation: str = ""
) -> RelatedParty:
    """Declare a related party of ``enterprise`` (its own 企业填报员 or its zone's staff); the fraud check of
    every later use reads the list."""
    from lanbai.core.collection.creditcode import classify

    policy.require(
        user,
        policy.Action.DECLARE_RELATED_PARTY,
        enterprise.org_unit,
        message="只有企业本身或其园区工作人员可以申报关联方",
    )
    code = credit_code.strip().upper()
    problem = classify(code)
    if problem:
        why = "须为 18 位（数字和大写字母，不含 I、O、S、V、Z）" if problem == "credit_code.format" else "校验位不符"
        raise ValidationFailed(f"关联方统一社会信用代码（credit_code）{code}：{why}", field="credit_code")
    if code == enterprise.credit_code:
        raise ValidationFailed("关联方统一社会信用代码（credit_code）不能是企业自身的代码", field="credit_code")
    if not name.strip():
        raise ValidationFailed("关联方名称（name）不能为空", field="name")
    if RelatedParty.objects.filter(enterprise=enterprise, credit_code=code).exists():
        raise ConflictError(f"关联方 {code} 已在{enterprise.name}的名单中", extra={"field": "credit_code"})
    rp = RelatedParty.objects.create(
        enterprise=enterprise,
        credit_code=code,
        name=name.strip()[:200],
        relation=relation.strip()[:200],
        declared_by=user if getattr(user, "is_authenticated", False) else None,
    )
    audit(user, "voucher_related_add", rp, field="credit_code", new=code)
    return rp


@transaction.atomic
def related_party_remove(*, user: Any, party: RelatedParty) -> None:
    """Withdraw a declared related party (audited with the code it held); earlier findings stay as flagged."""
    policy.require(
        user,
        policy.Action.DECLARE_RELATED_PARTY,
        party.enterprise.org_unit,
        message="只有企业本身或其园区工作人员可以修改关联方名单",
    )
    audit(user, "voucher_related_remove", party, field="credit_code", old=party.credit_code)
    party.delete()
