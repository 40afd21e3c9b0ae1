"""Writes of 创新券: load a scheme from data, issue a voucher committing the scheme's budget."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.db import transaction

from lanbai.access import policy
from lanbai.common.audit import audit
from lanbai.common.exceptions import ValidationFailed
from lanbai.core.vouchers import Scheme as SchemeRules

from .models import Scheme, Voucher


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
    *, user: Any, scheme_id: int, enterprise_name: str, credit_code: str, amount: Decimal
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
        )
        audit(user, "voucher_issue", voucher, field="amount", new=amount)
    return voucher
