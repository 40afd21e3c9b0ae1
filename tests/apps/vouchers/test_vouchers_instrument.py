"""A 创新券 pays an instrument service (issue 18 item 3): a booking of a shared instrument owned by a registered
enterprise, its amount locked against the balance like any use and bounded by the owner's fee rule."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal as D

import pytest
from voucher_helpers import vcode

from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.vouchers import services
from lanbai.vouchers.models import Voucher

TZ = dt.timezone(dt.timedelta(hours=8))


def _instrument(owner_user, owner_unit, rate="300"):
    from lanbai.instruments import services as inst_services

    return inst_services.instrument_register(user=owner_user, owner_unit=owner_unit, data={
        "name": "液质联用仪", "model_number": "6545", "manufacturer": "安捷伦", "original_value": "260",
        "classification_code": "030402", "fee_basis": "per_hour", "fee_rate": rate, "fee_minimum": "0",
        "requires_approval": False,
    })


def _book(user, inst, unit, day=10, hours=4):
    from lanbai.instruments import services as inst_services

    start = dt.datetime(2019, 5, day, 9, tzinfo=TZ)
    return inst_services.booking_create(user=user, instrument=inst, requester_unit=unit, start=start,
                                        end=start + dt.timedelta(hours=hours))


@pytest.fixture
def lab(vx, make_user):
    """A provider enterprise 丙 (lzjj) owning an instrument at 300 元/h, and a zone-owned instrument."""
    from lanbai.collection.services import enterprise_register
    from lanbai.plans.models import OrgUnit

    p = enterprise_register(user=None, zone=OrgUnit.objects.get(code="lzjj"), credit_code=vcode(7), name="丙检测公司")
    owner = make_user("lab_owner", "enterprise_reporter", p.org_unit.code)
    zone_owner = make_user("zone_owner", "zone_reporter", "lzjj")
    return {
        "provider": p,
        "inst": _instrument(owner, p.org_unit),
        "zone_inst": _instrument(zone_owner, OrgUnit.objects.get(code="lzjj")),
    }


def test_voucher_pays_an_instrument_booking(vx, issued, lab):
    from lanbai.common.audit import audit_events_for
    from lanbai.instruments.models import Booking

    v = issued()
    b = _book(vx["ent_a"], lab["inst"], vx["a"].org_unit, hours=4)  # 4 h × 300 元 = 1200 元 = 0.12 万元
    use = services.voucher_use_instrument(user=vx["ent_a"], voucher=v, booking=b)
    assert use.amount == D("0.12") and use.provider_code == lab["provider"].credit_code
    assert use.provider_name == "丙检测公司" and use.used_on == dt.date(2019, 5, 10) and use.booking_id == b.pk
    assert services.used_amount(v) == D("0.12") and Voucher.objects.get(pk=v.pk).state == "in_use"
    assert Booking.objects.get(pk=b.pk).voucher_ref == v.number
    assert [e.action for e in audit_events_for(b)][-1] == "booking_voucher"
    with pytest.raises(ConflictError, match="已由创新券"):  # a booking is paid once
        services.voucher_use_instrument(user=vx["ent_a"], voucher=v, booking=b)
    assert services.used_amount(v) == D("0.12")


def test_instrument_use_is_locked_against_the_balance_and_the_price(vx, issued, lab):
    from lanbai.instruments.models import Booking

    v = issued()  # 18 万元
    dear = _instrument(vx["ent_a"], vx["a"].org_unit, rate="100000")  # 10 万元 an hour
    services.voucher_use_record(user=vx["ent_a"], voucher=v, provider_code=vcode(9), provider_name="丁",
                                amount="10", used_on=dt.date(2019, 5, 1))
    b = _book(vx["ent_a"], lab["inst"], vx["a"].org_unit, day=11, hours=2)  # 0.06 万元
    with pytest.raises(ValidationFailed, match="超过该仪器服务按收费标准计算的费用 0.0600 万元") as exc:
        services.voucher_use_instrument(user=vx["ent_a"], voucher=v, booking=b, amount="0.07")
    assert exc.value.extra["field"] == "amount"
    big = _book(vx["ent_a"], dear, vx["a"].org_unit, day=12, hours=3)  # 30 万元 > balance 8
    with pytest.raises(ValidationFailed, match="超过余额 8.0000 万元"):
        services.voucher_use_instrument(user=vx["ent_a"], voucher=v, booking=big, amount="9")
    assert Booking.objects.get(pk=big.pk).voucher_ref == ""  # nothing half-written
    use = services.voucher_use_instrument(user=vx["ent_a"], voucher=v, booking=big)  # default: the balance
    assert use.amount == D(8) and services.used_amount(v) == D(18)
    assert [f["rule"] for f in use.findings] == ["related_party"]  # its own instrument: flagged


def test_instrument_use_refusals(vx, issued, lab):
    v = issued()
    zone_b = _book(vx["ent_a"], lab["zone_inst"], vx["a"].org_unit)
    with pytest.raises(ValidationFailed, match="不是已登记的服务机构") as exc:
        services.voucher_use_instrument(user=vx["ent_a"], voucher=v, booking=zone_b)
    assert exc.value.extra["field"] == "booking"
    other = _book(vx["ent_b"], lab["inst"], vx["b"].org_unit, day=20)
    with pytest.raises(ValidationFailed, match="不是持券企业本单位的预约"):
        services.voucher_use_instrument(user=vx["ent_a"], voucher=v, booking=other)
    mine = _book(vx["ent_a"], lab["inst"], vx["a"].org_unit, day=21)
    with pytest.raises(PermissionDeniedError):
        services.voucher_use_instrument(user=vx["rep_gx"], voucher=v, booking=mine)
    assert services.used_amount(v) == 0


def test_voucher_page_offers_the_holders_bookings(vx, issued, lab, client):
    from lanbai.instruments.models import Booking

    v = issued()
    b = _book(vx["ent_a"], lab["inst"], vx["a"].org_unit)
    _book(vx["ent_b"], lab["inst"], vx["b"].org_unit, day=22)  # not the holder's: not offered
    client.force_login(vx["ent_a"])
    page = client.get(f"/vouchers/{v.pk}/").content.decode()
    select = re.search(r'<select name="booking".*?</select>', page, re.S).group(0)
    assert "用于仪器共享服务" in page and re.findall(r'<option value="(\d+)"', select) == [str(b.pk)]
    res = client.post(f"/vouchers/{v.pk}/use_instrument/", {"booking": b.pk, "amount": ""})
    assert res.status_code == 302
    assert Booking.objects.get(pk=b.pk).voucher_ref == v.number
    page = client.get(f"/vouchers/{v.pk}/").content.decode()
    assert "仪器共享服务：液质联用仪" in page and "用于仪器共享服务" not in page
    client.force_login(vx["rev_gx"])  # zone staff read the voucher but do not use it
    assert "用于仪器共享服务" not in client.get(f"/vouchers/{v.pk}/").content.decode()


def test_instrument_use_through_the_api(vx, issued, lab):
    from rest_framework.test import APIClient

    from lanbai.instruments.models import Booking

    v = issued()
    b = _book(vx["ent_a"], lab["inst"], vx["a"].org_unit)  # 0.12 万元
    other = _book(vx["ent_b"], lab["inst"], vx["b"].org_unit, day=22)
    api = APIClient()
    api.force_authenticate(vx["ent_a"])
    url = f"/api/vouchers/{v.number}/instrument-use/"
    res = api.post(url, {"booking": other.pk}, format="json")  # not the holder's booking
    assert res.status_code == 400 and res.json()["extra"]["field"] == "booking"
    res = api.post(url, {"booking": b.pk, "amount": "0.2"}, format="json")  # above the fee rule's price
    assert res.status_code == 400 and res.json()["extra"]["field"] == "amount"
    assert Booking.objects.get(pk=b.pk).voucher_ref == ""
    res = api.post(url, {"booking": b.pk}, format="json")
    body = res.json()
    assert res.status_code == 201 and body["amount_wan"] == "0.1200" and body["provider"] == "丙检测公司"
    assert Booking.objects.get(pk=b.pk).voucher_ref == v.number
    res = api.post(url, {"booking": b.pk}, format="json")  # paid once: the service's refusal
    assert res.status_code == 409 and "已由创新券" in res.json()["message"]
    api.force_authenticate(vx["rep_gx"])  # zone staff read the voucher but do not use it
    assert api.post(url, {"booking": b.pk}, format="json").status_code in (400, 403)
    api.force_authenticate(vx["ent_b"])
    assert api.post(url, {"booking": other.pk}, format="json").status_code == 404
