"""The demo takes simulated enterprises through the real services: issue → use → redeem (with generated claim
documents marked 模拟数据), an instrument service paid with a voucher, expiry, clawback."""

from __future__ import annotations

from decimal import Decimal as D

from voucher_helpers import vcode

from lanbai.vouchers.models import Application, ClaimDocument, Scheme, Use, Voucher


def test_demo_once_through_the_services(shipped_plan_in_db):
    from lanbai.collection.services import enterprise_register
    from lanbai.instruments.models import Booking
    from lanbai.plans.models import OrgUnit
    from lanbai.vouchers.demo import vouchers_demo_run

    gx = OrgUnit.objects.get(code="lzgx")
    for i in range(5):  # four holders and the owner of the instrument
        enterprise_register(user=None, zone=gx, credit_code=vcode(20 + i), name=f"模拟{i}", simulated=True)
    line = vouchers_demo_run()
    assert "追回 1 张" in line and "仪器共享服务 1 笔" in line
    states = sorted(Voucher.objects.values_list("state", flat=True))
    assert states == ["clawed_back", "expired", "paid"]
    assert Application.objects.filter(state="notice").count() == 1
    # the paid claim carries the 通兑 documents, raw and marked 模拟数据
    docs = {d.kind: bytes(d.content) for d in ClaimDocument.objects.filter(redemption__state="paid")}
    assert set(docs) == {"invoice", "delivery"}
    assert docs["invoice"].startswith(b"%PDF-1.4") and "模拟数据".encode() in docs["invoice"]
    assert "模拟数据".encode() in docs["delivery"]
    # one instrument booking paid by the expiring voucher: 4 h × 200 元 = 0.08 万元
    use = Use.objects.get(booking__isnull=False)
    assert use.amount == D("0.08") and use.voucher.state == "expired" and use.provider is not None
    assert Booking.objects.get(pk=use.booking_id).voucher_ref == use.voucher.number
    scheme = Scheme.objects.get(code="LB-CXQ-2019")
    paid = Voucher.objects.get(state="paid").amount
    assert scheme.committed == paid + D(2) + D("0.08")  # the redeemed voucher and the used part of the expired one
    assert "未改动" in vouchers_demo_run()
