"""Instrument register, bookings (conflicts refused), decisions, usage fees and annual sharing figures."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed

TZ = dt.timezone(dt.timedelta(hours=8))


def at(*a):
    return dt.datetime(*a, tzinfo=TZ)


def data(**over):
    d = {
        "name": "场发射扫描电镜",
        "model_number": "SU8010",
        "manufacturer": "日立",
        "original_value": "320",
        "classification_code": "030101",
        "fee_basis": "per_hour",
        "fee_rate": "300",
        "fee_minimum": "500",
        "location": "兰州高新区",
        "requires_approval": True,
    }
    d.update(over)
    return d


@pytest.fixture
def ctx(shipped_plan_in_db, make_user):
    from lanbai.plans.models import OrgUnit

    return {
        "owner": make_user("owner", "zone_reporter", "lzgx"),
        "guest": make_user("guest", "zone_reporter", "lzjj"),
        "U": OrgUnit.objects.get(code="lzgx"),
        "X": OrgUnit.objects.get(code="lzjj"),
    }


def test_instruments_register_rules(ctx):
    from lanbai.instruments import services

    with pytest.raises(ValidationFailed) as e:
        services.instrument_register(
            user=ctx["owner"], owner_unit=ctx["U"], data=data(original_value="49.99")
        )
    assert e.value.extra["field"] == "original_value" and "50 万元" in e.value.message
    with pytest.raises(ValidationFailed) as e:
        services.instrument_register(
            user=ctx["owner"], owner_unit=ctx["U"], data=data(classification_code="0301")
        )
    assert e.value.extra["field"] == "classification_code"
    with pytest.raises(PermissionDeniedError):
        services.instrument_register(user=ctx["guest"], owner_unit=ctx["U"], data=data())


def test_instruments_booking_flow_and_sharing(ctx):
    from lanbai.common.audit import audit_events_for
    from lanbai.instruments import selectors, services

    inst = services.instrument_register(user=ctx["owner"], owner_unit=ctx["U"], data=data())
    b1 = services.booking_create(
        user=ctx["guest"],
        instrument=inst,
        requester_unit=ctx["X"],
        start=at(2019, 12, 31, 20),
        end=at(2020, 1, 1, 6),
    )
    with pytest.raises(ConflictError) as e:
        services.booking_create(
            user=ctx["owner"],
            instrument=inst,
            requester_unit=ctx["U"],
            start=at(2020, 1, 1, 5),
            end=at(2020, 1, 1, 8),
        )
    assert f"#{b1.pk}" in e.value.message
    with pytest.raises(PermissionDeniedError):
        services.booking_create(
            user=ctx["guest"],
            instrument=inst,
            requester_unit=ctx["U"],
            start=at(2019, 6, 1, 8),
            end=at(2019, 6, 1, 9),
        )
    with pytest.raises(PermissionDeniedError):
        services.booking_approve(user=ctx["guest"], booking=b1)
    b1 = services.booking_approve(user=ctx["owner"], booking=b1)
    assert [ev.new for ev in audit_events_for(b1)] == ["待审批", "已批准"]
    u1 = services.usage_record(user=ctx["owner"], booking=b1, actual_start=b1.start, actual_end=b1.end)
    assert u1.fee == Decimal("3000.00")  # 10 h × 300 元
    b2 = services.booking_create(
        user=ctx["owner"],
        instrument=inst,
        requester_unit=ctx["U"],
        start=at(2019, 5, 1, 8),
        end=at(2019, 5, 1, 12),
    )
    services.booking_approve(user=ctx["owner"], booking=b2)
    b2.refresh_from_db()
    services.usage_record(user=ctx["owner"], booking=b2, actual_start=b2.start, actual_end=b2.end)
    b3 = services.booking_create(
        user=ctx["guest"],
        instrument=inst,
        requester_unit=ctx["X"],
        start=at(2019, 5, 2, 8),
        end=at(2019, 5, 2, 9),
    )
    services.booking_approve(user=ctx["owner"], booking=b3)
    b3.refresh_from_db()
    u3 = services.usage_record(
        user=ctx["owner"], booking=b3, actual_start=b3.start, actual_end=b3.end, outcome="爽约"
    )
    assert u3.fee == Decimal("0.00")
    by_i, by_u = selectors.sharing_figures(year=2019)
    # 2019: internal 4 h + external 4 h (20:00–24:00 on 31 Dec), no-show 0 -> 8 h, 50 %
    assert (by_i[inst.id].effective_hours, by_i[inst.id].external_hours) == (8.0, 4.0)
    assert by_u[ctx["U"].id].sharing_rate == pytest.approx(0.5)
    by_i20, _ = selectors.sharing_figures(year=2020)
    assert by_i20[inst.id].effective_hours == 6.0


def test_instruments_refusal_needs_reason(ctx):
    from lanbai.instruments import services

    inst = services.instrument_register(user=ctx["owner"], owner_unit=ctx["U"], data=data())
    b = services.booking_create(
        user=ctx["guest"],
        instrument=inst,
        requester_unit=ctx["X"],
        start=at(2019, 6, 1, 8),
        end=at(2019, 6, 1, 9),
    )
    with pytest.raises(ValidationFailed):
        services.booking_refuse(user=ctx["owner"], booking=b, reason=" ")
    assert services.booking_refuse(user=ctx["owner"], booking=b, reason="仪器检修").state == "已拒绝"
    # a refused booking frees its slot
    services.booking_create(
        user=ctx["owner"],
        instrument=inst,
        requester_unit=ctx["U"],
        start=at(2019, 6, 1, 8),
        end=at(2019, 6, 1, 9),
    )


def test_instruments_cli_sharing_json(ctx):
    import json

    from typer.testing import CliRunner

    from lanbai.cli.main import app
    from lanbai.instruments import services

    inst = services.instrument_register(user=ctx["owner"], owner_unit=ctx["U"], data=data())
    b = services.booking_create(
        user=ctx["guest"],
        instrument=inst,
        requester_unit=ctx["X"],
        start=at(2019, 3, 1, 8),
        end=at(2019, 3, 1, 11),
    )
    b = services.booking_approve(user=ctx["owner"], booking=b)
    services.usage_record(user=ctx["owner"], booking=b, actual_start=b.start, actual_end=b.end)
    res = CliRunner().invoke(app, ["instruments", "sharing", "--year", "2019", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [(r["instrument"], r["effective_hours"], r["sharing_rate"]) for r in rows] == [
        ("场发射扫描电镜", 3.0, 1.0)
    ]
    res = CliRunner().invoke(app, ["instruments", "sharing", "--year", "2020"])
    assert res.exit_code == 0 and "—" in res.output
