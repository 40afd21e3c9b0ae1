"""The demo takes simulated enterprises through the real services: issue → use → redeem, expiry, clawback."""

from __future__ import annotations

from decimal import Decimal as D

from voucher_helpers import vcode

from lanbai.vouchers.models import Application, Scheme, Voucher


def test_demo_once_through_the_services(shipped_plan_in_db):
    from lanbai.collection.services import enterprise_register
    from lanbai.plans.models import OrgUnit
    from lanbai.vouchers.demo import vouchers_demo_run

    gx = OrgUnit.objects.get(code="lzgx")
    for i in range(4):
        enterprise_register(user=None, zone=gx, credit_code=vcode(20 + i), name=f"模拟{i}", simulated=True)
    assert "追回 1 张" in vouchers_demo_run()
    states = sorted(Voucher.objects.values_list("state", flat=True))
    assert states == ["clawed_back", "expired", "paid"]
    assert Application.objects.filter(state="notice").count() == 1
    scheme = Scheme.objects.get(code="LB-CXQ-2019")
    paid = Voucher.objects.get(state="paid").amount
    assert scheme.committed == paid + D(2)  # the redeemed voucher and the used part of the expired one
    assert "未改动" in vouchers_demo_run()
