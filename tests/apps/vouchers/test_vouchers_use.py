"""Use (locked against the balance, fraud findings stored), redemption, expiry and clawback release budget."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from voucher_helpers import PROVIDER_DOCS, vcode

from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.vouchers import services
from lanbai.vouchers.models import Redemption, Scheme, Voucher

DAY = dt.date(2019, 5, 1)


def _use(vx, v, amount, provider=9, user="ent_a", **over):
    return services.voucher_use_record(
        user=vx[user],
        voucher=v,
        provider_code=vcode(provider),
        provider_name="丙检测中心",
        amount=amount,
        used_on=over.pop("used_on", DAY),
        **over,
    )


def test_use_is_locked_against_the_balance(vx, issued):
    v = issued()  # 18 万元
    _use(vx, v, "10")
    with pytest.raises(ValidationFailed, match="超过余额 8.0000 万元") as exc:
        _use(vx, v, "9")
    assert exc.value.extra["field"] == "amount"
    _use(vx, v, "8", provider=8)
    assert services.used_amount(v) == D(18) and Voucher.objects.get(pk=v.pk).state == "in_use"
    with pytest.raises(PermissionDeniedError):
        _use(vx, v, "1", user="ent_b")
    with pytest.raises(ValidationFailed, match="晚于使用截止日"):
        _use(vx, v, "0.1", used_on=dt.date(2020, 1, 1))


def test_fraud_findings_are_stored(vx, issued):
    v = issued()
    u1 = _use(vx, v, "5", published_price="4")
    assert [f["rule"] for f in u1.findings] == ["price_above_published"]
    related = _use(vx, v, "1", provider=1)  # provider has the enterprise's own credit code
    assert [f["rule"] for f in related.findings] == ["related_party"]
    plain = _use(vx, v, "12", provider=9)  # 5 + 12 = 17 within 90 days: under the 20 万元 cap
    assert plain.findings == []


def test_split_contract_flagged(vx, issued):
    v1 = issued()  # 18
    v2 = issued()  # 12
    _use(vx, v1, "15")
    u = _use(vx, v2, "10", used_on=DAY + dt.timedelta(days=30))  # 25 > cap 20 within 90 days
    assert [f["rule"] for f in u.findings] == ["split_contract"]


def test_claim_then_paid_or_returned(vx, issued):
    v = issued()
    use = _use(vx, v, "18")
    red = services.redemption_claim(user=vx["prov_c"], use=use, on=dt.date(2020, 1, 5), documents=PROVIDER_DOCS)
    assert Voucher.objects.get(pk=v.pk).state == "claimed"
    with pytest.raises(ConflictError):
        services.redemption_claim(user=vx["prov_c"], use=use, on=dt.date(2020, 1, 6), documents=PROVIDER_DOCS)
    with pytest.raises(ValidationFailed, match="理由"):
        services.redemption_review(user=vx["province"], redemption=red, approve=False)
    services.redemption_review(user=vx["province"], redemption=red, approve=False, reason="发票不符")
    assert Voucher.objects.get(pk=v.pk).state == "in_use"
    red = services.redemption_claim(user=vx["prov_c"], use=use, on=dt.date(2020, 1, 9))  # documents kept
    with pytest.raises(PermissionDeniedError):
        services.redemption_review(user=vx["rev_gx"], redemption=red, approve=True)
    services.redemption_review(user=vx["province"], redemption=red, approve=True, on=dt.date(2020, 2, 1))
    assert Redemption.objects.get(pk=red.pk).state == "paid"
    assert Voucher.objects.get(pk=v.pk).state == "paid"
    with pytest.raises(ValidationFailed, match="兑付截止日"):
        services.redemption_claim(
            user=vx["prov_c"], use=_use(vx, issued(), "1"), on=dt.date(2020, 4, 1), documents=PROVIDER_DOCS
        )


def test_expiry_releases_the_unused_balance(vx, issued):
    v = issued()  # 18 committed
    _use(vx, v, "5")
    assert services.vouchers_expire(user=vx["province"], today=dt.date(2019, 12, 31)) == 0
    assert services.vouchers_expire(user=vx["province"], today=dt.date(2020, 1, 1)) == 1
    assert Voucher.objects.get(pk=v.pk).state == "expired"
    assert Scheme.objects.get(pk=vx["scheme"].pk).committed == D(5)
    assert services.vouchers_expire(user=vx["province"], today=dt.date(2020, 1, 2)) == 0
    with pytest.raises(PermissionDeniedError):
        services.vouchers_expire(user=vx["rev_gx"], today=dt.date(2020, 1, 2))


def test_clawback_needs_a_reason_and_releases_the_amount(vx, issued):
    v = issued()
    use = _use(vx, v, "18")
    red = services.redemption_claim(user=vx["prov_c"], use=use, on=dt.date(2020, 1, 5), documents=PROVIDER_DOCS)
    with pytest.raises(ValidationFailed, match="追回必须填写理由"):
        services.voucher_clawback(user=vx["province"], voucher=v, reason="")
    services.voucher_clawback(user=vx["province"], voucher=v, reason="虚假合同")
    v.refresh_from_db()
    assert (v.state, v.reason) == ("clawed_back", "虚假合同")
    assert Redemption.objects.get(pk=red.pk).state == "returned"
    assert Scheme.objects.get(pk=vx["scheme"].pk).committed == D(0)
    with pytest.raises(ConflictError):
        services.voucher_clawback(user=vx["province"], voucher=v, reason="再次")
