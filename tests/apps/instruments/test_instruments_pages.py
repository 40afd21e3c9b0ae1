"""Pages and API of 大型科研仪器开放共享: public catalogue without requesters, booking conflicts shown on the
form, approval/refusal and usage through the pages, the annual sharing table figures."""

from __future__ import annotations

import datetime as dt

import pytest

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
        "fee_rate": "300",
        "fee_minimum": "500",
        "location": "兰州高新区",
    }
    return d | over


@pytest.fixture
def ctx(shipped_plan_in_db, make_user):
    from lanbai.instruments import services
    from lanbai.plans.models import OrgUnit

    owner = make_user("inst_owner", "zone_reporter", "lzgx")
    guest = make_user("inst_guest_person", "zone_reporter", "lzjj")
    U, X = OrgUnit.objects.get(code="lzgx"), OrgUnit.objects.get(code="lzjj")
    inst = services.instrument_register(user=owner, owner_unit=U, data=data())
    idle = services.instrument_register(user=owner, owner_unit=U, data=data(name="闲置核磁共振波谱仪"))
    b = services.booking_create(
        user=guest,
        instrument=inst,
        requester_unit=X,
        purpose="材料表征",
        start=at(2020, 3, 2, 9),
        end=at(2020, 3, 2, 12),
    )
    return {"owner": owner, "guest": guest, "U": U, "X": X, "inst": inst, "idle": idle, "booking": b}


def test_instruments_anonymous_sees_catalogue_but_no_requester(client, ctx):
    page = client.get("/instruments/").content.decode()
    assert "场发射扫描电镜" in page and "SU8010" in page and "030101" in page and ctx["U"].name in page
    assert "300 元/小时" in page and "开放共享" in page
    detail = client.get(f"/instruments/{ctx['inst'].pk}/")
    text = detail.content.decode()
    assert detail.status_code == 200 and "2020-03-02 09:00" in text and "300 元/小时（最低 500 元）" in text
    assert "inst_guest_person" not in text and ctx["X"].name not in text and "预约单位" not in text
    # the requesting zone's own staff are not the owner: no requester names either
    client.force_login(ctx["guest"])
    assert "预约单位" not in client.get(f"/instruments/{ctx['inst'].pk}/").content.decode()
    client.force_login(ctx["owner"])
    owner_view = client.get(f"/instruments/{ctx['inst'].pk}/").content.decode()
    assert "inst_guest_person" in owner_view and ctx["X"].name in owner_view
    # the public API: catalogue fields only
    client.logout()
    rows = client.get("/api/instruments/").json()
    assert {r["name"] for r in rows} == {"场发射扫描电镜", "闲置核磁共振波谱仪"}
    assert "bookings" not in rows[0] and "original_value" not in rows[0]


def test_instruments_booking_conflict_is_a_clear_error_on_the_form(client, ctx):
    from lanbai.instruments.models import Booking

    assert client.get(f"/instruments/{ctx['inst'].pk}/book/").status_code == 302  # login first
    client.force_login(ctx["guest"])
    form = client.get(f"/instruments/{ctx['inst'].pk}/book/").content.decode()
    assert ctx["X"].name in form
    res = client.post(
        f"/instruments/{ctx['inst'].pk}/book/",
        {"unit": ctx["X"].pk, "start": "2020-03-02 11:00", "end": "2020-03-02 13:00", "kind": "机时"},
    )
    text = res.content.decode()
    assert res.status_code == 409 and f"与预约 #{ctx['booking'].pk}" in text and "时间重叠" in text
    assert 'value="2020-03-02 11:00"' in text  # the user's input is kept
    assert Booking.objects.count() == 1
    ok = client.post(
        f"/instruments/{ctx['inst'].pk}/book/",
        {"unit": ctx["X"].pk, "start": "2020-03-02 12:00", "end": "2020-03-02 14:00", "kind": "机时"},
    )
    assert ok.status_code == 302 and Booking.objects.count() == 2
    bad = client.post(
        f"/instruments/{ctx['inst'].pk}/book/",
        {"unit": ctx["X"].pk, "start": "2020-03-02", "end": "明天", "kind": "机时"},
    )
    assert bad.status_code == 400 and "end" in bad.content.decode()
    # the API refuses the same overlap with 409
    api = client.post(
        "/api/instruments/bookings/",
        {
            "instrument": ctx["inst"].pk,
            "requester_unit": ctx["X"].pk,
            "start": "2020-03-02T10:00:00+08:00",
            "end": "2020-03-02T10:30:00+08:00",
        },
        content_type="application/json",
    )
    assert api.status_code == 409 and str(ctx["booking"].pk) in api.content.decode()


def test_instruments_queue_decisions_usage_and_sharing_table(client, ctx):
    from lanbai.instruments import services

    b = ctx["booking"]
    client.force_login(ctx["guest"])
    assert client.post(f"/instruments/bookings/{b.pk}/approve/").status_code == 404  # not the owner
    client.force_login(ctx["owner"])
    queue = client.get("/instruments/queue/").content.decode()
    assert "材料表征" in queue and "拒绝理由" in queue
    other = services.booking_create(
        user=ctx["owner"],
        instrument=ctx["inst"],
        requester_unit=ctx["U"],
        start=at(2020, 3, 3, 9),
        end=at(2020, 3, 3, 19),
    )
    later = services.booking_create(
        user=ctx["owner"],
        instrument=ctx["inst"],
        requester_unit=ctx["U"],
        start=at(2020, 3, 4, 9),
        end=at(2020, 3, 4, 10),
    )
    no_reason = client.post(f"/instruments/bookings/{later.pk}/refuse/", {"reason": " "})
    assert no_reason.status_code == 400 and "理由" in no_reason.content.decode()
    assert client.post(f"/instruments/bookings/{later.pk}/refuse/", {"reason": "设备维护"}).status_code == 302
    for booking in (b, other):
        assert client.post(f"/instruments/bookings/{booking.pk}/approve/").status_code == 302
    later.refresh_from_db()
    assert later.state == "已拒绝"
    # usage: the guest used 3 h → overtime to 5 h; the owner's own 10 h
    assert (
        client.post(
            f"/instruments/bookings/{b.pk}/usage/",
            {"actual_start": "2020-03-02 09:00", "actual_end": "2020-03-02 14:00", "outcome": "超时"},
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"/instruments/bookings/{other.pk}/usage/",
            {"actual_start": "2020-03-03 09:00", "actual_end": "2020-03-03 14:00", "outcome": "正常"},
        ).status_code
        == 302
    )
    b.refresh_from_db()
    assert b.usage.fee == 1500  # 5 h × 300 元
    page = client.get("/instruments/sharing/?year=2020").content.decode()
    assert "有效工作机时（小时）" in page
    assert "10.0" in page and "5.0" in page and "50.0%" in page and "—" in page  # idle: undefined
    assert "0.0%" not in page.replace("50.0%", "")
    api = client.get("/api/instruments/sharing/?year=2020").json()
    row = next(r for r in api if r["instrument"] == "场发射扫描电镜")
    assert (
        row["effective_hours"] == 10.0
        and row["external_hours"] == 5.0
        and row["sharing_rate_text"] == "50.0%"
    )
    assert client.get("/api/instruments/sharing/").status_code == 400
    # another zone's staff read no figures of this owner
    client.force_login(ctx["guest"])
    assert "场发射扫描电镜" not in client.get("/instruments/sharing/?year=2020").content.decode()
