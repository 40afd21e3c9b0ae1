"""Writes of the technology-contract register: one service per transition (《技术合同认定登记管理办法》).

The seller files (:func:`contract_create`, :func:`contract_update`, :func:`contract_submit`); the 技术合同
登记机构 accepts or returns for correction, then registers (number, 核定技术交易额) or refuses with a ground
of 《技术合同认定规则》, and may amend or revoke a registered contract.  Every service checks the access
policy first, writes one audit event and one append-only :class:`ContractHistory` row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from lanbai.access.policy import Action, require
from lanbai.collection.selectors import enterprise_find
from lanbai.common.audit import audit
from lanbai.common.exceptions import ApplicationError, ValidationFailed
from lanbai.core.collection.creditcode import classify
from lanbai.plans.selectors import orgunit_get

from .choices import ContractStatus, ContractType, HistoryAction, RefusalGround
from .excel import column_of
from .models import ContractHistory, RegistrationSequence, TechContract
from .selectors import contract_get_by_number

# GB/T 2260 province-level prefixes (省、自治区、直辖市; 71 台湾, 81 香港, 82 澳门)
PROVINCES = {
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65",
    "71", "81", "82",
}
MONEY_FIELDS = ("amount", "equipment_cost", "materials_cost", "other_non_tech_cost")
# what a 变更 may change: never the 成交金额, the seller or the registration date (counted once)
AMENDABLE = (
    "title", "valid_until", "buyer_name", "buyer_credit_code", "buyer_region",
    "equipment_cost", "materials_cost", "other_non_tech_cost",
)
EDITABLE = (
    "title", "contract_type", "signed_on", "valid_until", "seller_name", "seller_region",
    "buyer_name", "buyer_credit_code", "buyer_region", "buyer_zone", *MONEY_FIELDS,
)


class WrongStateError(ApplicationError):
    """The transition is not possible from the contract's state (400)."""


def _money(value: Any, field: str) -> Decimal:
    try:
        d = Decimal(str(value if value not in (None, "") else 0)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(f"{field} 不是数值 / {field} is not a number", field=field) from None
    if d < 0:
        raise ValidationFailed(f"{field} 不能为负 / {field} must not be negative", field=field)
    return d


def _date(value: Any, field: str, *, required: bool = True) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(f"{field} 必填 / {field} is required", field=field)
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationFailed(f"{field} 日期格式应为 YYYY-MM-DD / {field} must be YYYY-MM-DD", field=field) from None


def validate_credit_code(code: str, field: str) -> str:
    code = (code or "").strip().upper()
    rule = classify(code)
    if rule is not None:
        what = "格式错误" if rule == "credit_code.format" else "校验位错误"
        raise ValidationFailed(
            f"统一社会信用代码{what}：{code} / invalid credit code ({rule})", field=field, extra={"rule": rule}
        )
    return code


def validate_region(code: str, field: str) -> str:
    """A 6-digit 行政区划代码 (GB/T 2260) of a known province."""
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit() or code[:2] not in PROVINCES:
        raise ValidationFailed(f"行政区划代码应为6位 GB/T 2260 代码：{code} / region must be a GB/T 2260 code",
                               field=field)
    return code


def _clean(data: dict[str, Any], *, partial: TechContract | None = None) -> dict[str, Any]:
    """The contract fields of ``data`` checked and converted (missing ones from ``partial``)."""
    out: dict[str, Any] = {}
    for key in ("title", "seller_name", "buyer_name"):
        if key in data or partial is None:
            text = str(data.get(key) or "").strip()
            if not text:
                raise ValidationFailed(f"{key} 必填 / {key} is required", field=key)
            out[key] = text[:200]
    if "contract_type" in data or partial is None:
        if data.get("contract_type") not in ContractType.values:
            raise ValidationFailed("合同类型无效 / unknown contract type", field="contract_type")
        out["contract_type"] = data["contract_type"]
    if "signed_on" in data or partial is None:
        out["signed_on"] = _date(data.get("signed_on"), "signed_on")
    if "valid_until" in data:
        out["valid_until"] = _date(data.get("valid_until"), "valid_until", required=False)
    for key in ("seller_credit_code", "buyer_credit_code"):
        if key in data or partial is None:
            out[key] = validate_credit_code(str(data.get(key) or ""), key)
    for key in ("seller_region", "buyer_region"):
        if key in data or partial is None:
            out[key] = validate_region(str(data.get(key) or ""), key)
    for key in MONEY_FIELDS:
        if key in data or partial is None:
            out[key] = _money(data.get(key), key)
    if "buyer_zone" in data:
        code = data.get("buyer_zone")
        out["buyer_zone"] = orgunit_get(str(code), kind="zone") if code else None
    amount = out.get("amount", partial.amount if partial else Decimal(0))
    costs = sum(
        (out.get(k, getattr(partial, k) if partial else Decimal(0)) for k in MONEY_FIELDS[1:]), Decimal(0)
    )
    if amount <= 0:
        raise ValidationFailed("成交金额应大于0 / amount must be positive", field="amount")
    if costs > amount:
        raise ValidationFailed(
            "非技术性费用合计不能超过成交金额 / non-technical costs exceed the amount", field="equipment_cost"
        )
    return out


def _history(contract: TechContract, user, action: str, old: str, *, now: dt.datetime | None, reason: str = ""):
    ContractHistory.objects.create(
        contract=contract,
        action=action,
        from_status=old,
        to_status=contract.status,
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        at=now or timezone.now(),
        reason=reason,
    )


def _state(contract: TechContract, *allowed: str, verb: str) -> None:
    if contract.status not in allowed:
        raise WrongStateError(
            f"当前状态“{contract.get_status_display()}”下不能{verb} / cannot {verb} a {contract.status} contract",
            extra={"status": contract.status},
        )


def _locked(contract: TechContract) -> TechContract:
    return TechContract.objects.select_for_update().get(pk=contract.pk)


@transaction.atomic
def contract_create(*, user, data: dict[str, Any], now: dt.datetime | None = None,
                    simulated: bool = False) -> TechContract:
    """A draft (草稿) filed by the seller: the seller's unit is its enterprise when registered, else its zone."""
    zone = orgunit_get(str(data.get("seller_zone") or ""), kind="zone")
    fields = _clean(data)
    enterprise = enterprise_find(fields["seller_credit_code"])
    seller_unit = enterprise.org_unit if enterprise is not None and enterprise.zone_id == zone.id else zone
    require(user, Action.FILE_CONTRACT, seller_unit, message="只有卖方（企业填报员或园区填报员）可以填报技术合同")
    original = None
    if data.get("supplement_of"):
        original = contract_get_by_number(str(data["supplement_of"]))
        if original.status != ContractStatus.REGISTERED:
            raise ValidationFailed("补充合同的原合同应已登记 / the original must be registered", field="supplement_of")
        if original.seller_credit_code != fields["seller_credit_code"]:
            raise ValidationFailed("补充合同的卖方应与原合同一致 / same seller as the original",
                                   field="supplement_of")
    contract = TechContract.objects.create(
        seller_zone=zone, seller_unit=seller_unit, supplement_of=original, is_simulated=simulated, **fields
    )
    audit(user, "contract.create", contract, new=str(contract)[:500])
    _history(contract, user, HistoryAction.CREATE, "", now=now)
    return contract


@transaction.atomic
def contract_update(*, user, contract: TechContract, data: dict[str, Any],
                    now: dt.datetime | None = None) -> TechContract:
    """The seller corrects a draft or a contract returned for correction (退回补正)."""
    require(user, Action.FILE_CONTRACT, contract.seller_unit, message="只有卖方可以修改技术合同")
    contract = _locked(contract)
    _state(contract, ContractStatus.DRAFT, ContractStatus.RETURNED, verb="修改")
    fields = _clean({k: v for k, v in data.items() if k in EDITABLE}, partial=contract)
    changed = {k: v for k, v in fields.items() if getattr(contract, k) != v}
    for k, v in changed.items():
        setattr(contract, k, v)
    contract.save()
    audit(user, "contract.update", contract, field=",".join(changed), new=str(contract)[:500])
    _history(contract, user, HistoryAction.EDIT, contract.status, now=now, reason="、".join(changed))
    return contract


@transaction.atomic
def contract_submit(*, user, contract: TechContract, now: dt.datetime | None = None) -> TechContract:
    """提交: the seller applies for 认定登记 (from a draft or after correction)."""
    require(user, Action.FILE_CONTRACT, contract.seller_unit, message="只有卖方可以提交技术合同")
    contract = _locked(contract)
    _state(contract, ContractStatus.DRAFT, ContractStatus.RETURNED, verb="提交")
    old = contract.status
    contract.status = ContractStatus.SUBMITTED
    contract.submitted_at = now or timezone.now()
    contract.save()
    audit(user, "contract.submit", contract, field="status", old=old, new=contract.status)
    _history(contract, user, HistoryAction.SUBMIT, old, now=now)
    return contract


@transaction.atomic
def contract_accept(*, user, contract: TechContract, on: dt.date | None = None,
                    now: dt.datetime | None = None) -> TechContract:
    """受理: the 30-day time limit runs from ``on``."""
    require(user, Action.REGISTER_CONTRACT, contract.seller_zone, message="只有技术合同登记机构可以受理")
    contract = _locked(contract)
    _state(contract, ContractStatus.SUBMITTED, verb="受理")
    old = contract.status
    contract.status = ContractStatus.ACCEPTED
    contract.accepted_on = on or timezone.localdate()
    contract.save()
    audit(user, "contract.accept", contract, field="status", old=old, new=contract.status)
    _history(contract, user, HistoryAction.ACCEPT, old, now=now)
    return contract


@transaction.atomic
def contract_return(*, user, contract: TechContract, reason: str,
                    now: dt.datetime | None = None) -> TechContract:
    """退回补正 with the reason; a later acceptance starts a new time limit."""
    require(user, Action.REGISTER_CONTRACT, contract.seller_zone, message="只有技术合同登记机构可以退回")
    if not (reason or "").strip():
        raise ValidationFailed("退回补正须说明理由 / a reason is required", field="reason")
    contract = _locked(contract)
    _state(contract, ContractStatus.SUBMITTED, ContractStatus.ACCEPTED, verb="退回补正")
    old = contract.status
    contract.status = ContractStatus.RETURNED
    contract.accepted_on = None
    contract.save()
    audit(user, "contract.return", contract, field="status", old=old, new=contract.status, reason=reason)
    _history(contract, user, HistoryAction.RETURN, old, now=now, reason=reason)
    return contract


def _next_number(region: str, year: int) -> str:
    """Region code + year + 4-digit sequence (e.g. 62010020190001), the sequence row locked."""
    try:
        with transaction.atomic():
            RegistrationSequence.objects.get_or_create(region=region, year=year)
    except IntegrityError:  # created meanwhile by a concurrent registration
        pass
    seq = RegistrationSequence.objects.select_for_update().get(region=region, year=year)
    seq.last += 1
    seq.save(update_fields=["last"])
    return f"{region}{year}{seq.last:04d}"


@transaction.atomic
def contract_register(*, user, contract: TechContract, on: dt.date | None = None,
                      costs: dict[str, Any] | None = None, now: dt.datetime | None = None) -> TechContract:
    """已登记: the number is assigned and the 技术交易额 核定 (the registrar may set the deductions)."""
    require(user, Action.REGISTER_CONTRACT, contract.seller_zone, message="只有技术合同登记机构可以认定登记")
    contract = _locked(contract)
    _state(contract, ContractStatus.ACCEPTED, verb="认定登记")
    if costs:
        for k, v in _clean({k: v for k, v in costs.items() if k in MONEY_FIELDS[1:]}, partial=contract).items():
            setattr(contract, k, v)
    old = contract.status
    contract.status = ContractStatus.REGISTERED
    contract.registered_on = on or timezone.localdate()
    contract.refusal_ground = ""
    contract.registration_number = _next_number(contract.seller_region, contract.registered_on.year)
    contract.save()
    audit(user, "contract.register", contract, field="registration_number", new=contract.registration_number)
    _history(contract, user, HistoryAction.REGISTER, old, now=now,
             reason=f"登记编号 {contract.registration_number}，核定技术交易额 {contract.tech_amount} 万元")
    return contract


@transaction.atomic
def contract_refuse(*, user, contract: TechContract, ground: str, reason: str = "",
                    now: dt.datetime | None = None) -> TechContract:
    """不予登记 with a ground of 《技术合同认定规则》 (``RefusalGround``)."""
    require(user, Action.REGISTER_CONTRACT, contract.seller_zone, message="只有技术合同登记机构可以不予登记")
    if ground not in RefusalGround.values:
        raise ValidationFailed("不予登记须选择认定规则所列理由 / choose a ground of the rules", field="ground")
    contract = _locked(contract)
    _state(contract, ContractStatus.ACCEPTED, verb="不予登记")
    old = contract.status
    contract.status = ContractStatus.REFUSED
    contract.refusal_ground = ground
    contract.save()
    text = f"{RefusalGround(ground).label}{('：' + reason) if reason else ''}"
    audit(user, "contract.refuse", contract, field="status", old=old, new=contract.status, reason=text)
    _history(contract, user, HistoryAction.REFUSE, old, now=now, reason=text)
    return contract


@transaction.atomic
def contract_amend(*, user, contract: TechContract, changes: dict[str, Any], reason: str,
                   now: dt.datetime | None = None) -> TechContract:
    """变更 of a registered contract: never its 成交金额, seller or registration year (counted once)."""
    require(user, Action.REGISTER_CONTRACT, contract.seller_zone, message="只有技术合同登记机构可以变更登记")
    if not (reason or "").strip():
        raise ValidationFailed("变更须说明理由 / a reason is required", field="reason")
    refused = sorted(set(changes) - set(AMENDABLE))
    if refused:
        raise ValidationFailed(
            f"变更不能修改：{'、'.join(refused)}（成交金额的变化应另行登记补充合同）/ not amendable: {refused}",
            field=refused[0],
        )
    contract = _locked(contract)
    _state(contract, ContractStatus.REGISTERED, verb="变更")
    fields = _clean(changes, partial=contract)
    diff = {k: (getattr(contract, k), v) for k, v in fields.items() if getattr(contract, k) != v}
    if not diff:
        raise ValidationFailed("没有需要变更的内容 / nothing changes", field="changes")
    for k, (_, v) in diff.items():
        setattr(contract, k, v)
    contract.save()
    text = "；".join(f"{k}: {a} → {b}" for k, (a, b) in diff.items())
    audit(user, "contract.amend", contract, field=",".join(diff), old=text, new="", reason=reason)
    _history(contract, user, HistoryAction.AMEND, contract.status, now=now, reason=f"{reason}（{text}）")
    return contract


@transaction.atomic
def contract_revoke(*, user, contract: TechContract, reason: str, now: dt.datetime | None = None) -> TechContract:
    """撤销 a registration: the contract leaves the 成交额 (its number stays taken)."""
    require(user, Action.REGISTER_CONTRACT, contract.seller_zone, message="只有技术合同登记机构可以撤销登记")
    if not (reason or "").strip():
        raise ValidationFailed("撤销须说明理由 / a reason is required", field="reason")
    contract = _locked(contract)
    _state(contract, ContractStatus.REGISTERED, verb="撤销")
    old = contract.status
    contract.status = ContractStatus.REVOKED
    contract.save()
    audit(user, "contract.revoke", contract, field="status", old=old, new=contract.status, reason=reason)
    _history(contract, user, HistoryAction.REVOKE, old, now=now, reason=reason)
    return contract


@transaction.atomic
def contract_import(*, user, rows: list[dict[str, Any]], simulated: bool = False) -> list[TechContract]:
    """Drafts from an Excel sheet, all or nothing: every error names its row (Excel line) and column."""
    errors: list[dict[str, Any]] = []
    created: list[TechContract] = []
    for row in rows:
        line = row.pop("_line", None)
        try:
            with transaction.atomic():
                created.append(contract_create(user=user, data=row, simulated=simulated))
        except ApplicationError as exc:
            field = exc.extra.get("field", "")
            errors.append({"row": line, "column": column_of(field), "field": field, "message": exc.message})
    if errors:
        transaction.set_rollback(True)
        first = errors[0]
        raise ValidationFailed(
            f"导入失败，共 {len(errors)} 处错误（第 {first['row']} 行 {first['column']}：{first['message']}）"
            f" / import refused, {len(errors)} errors",
            extra={"errors": errors},
        )
    return created


def contract_import_file(*, user, path, simulated: bool = False) -> list[TechContract]:
    """:func:`contract_import` of an Excel file (contract types by their Chinese label or code)."""
    from .excel import read_rows

    codes = {str(label): value for value, label in ContractType.choices}
    codes.update({"技术开发": ContractType.DEVELOPMENT_COMMISSIONED, "技术培训": ContractType.TRAINING,
                  "技术中介": ContractType.INTERMEDIARY})
    return contract_import(user=user, rows=read_rows(path, type_codes=codes), simulated=simulated)
