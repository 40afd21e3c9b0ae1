"""Pages and API of 创新券: the public 公示 shows only name, scheme, amount and dates; queues by role; report."""

from __future__ import annotations

import datetime as dt

from rest_framework.test import APIClient
from voucher_helpers import vcode

from lanbai.vouchers import services


def _login(client, user):
    client.force_login(user)
    return client


def test_notice_is_public_and_shows_only_the_notice_fields(vx, client):
    app = services.application_submit(
        user=vx["ent_a"],
        scheme_id=vx["scheme"].pk,
        enterprise=vx["a"],
        price="30",
        requested="20",
        service="保密服务内容",
        provider_code=vcode(9),
        on=dt.date(2019, 3, 1),
    )
    services.application_zone_review(user=vx["rev_gx"], application=app, approve=True)
    services.application_province_review(
        user=vx["province"],
        application=app,
        approve=True,
        notice_start=dt.date(2019, 3, 10),
        notice_end=dt.date(2019, 3, 16),
    )
    body = client.get("/vouchers/notice/").content.decode()
    assert "甲科技公司" in body and "18.00" in body
    assert "2019年3月16日" in body or "2019-03-16" in body
    assert "保密服务内容" not in body and vx["a"].credit_code not in body


def test_pages_by_role(vx, issued, client):
    v = issued()
    assert client.get("/vouchers/queue/").status_code == 302  # anonymous: to the login page
    page = _login(client, vx["province"]).get("/vouchers/").content.decode()
    assert "500.00" in page and "18.00" in page and "482.00" in page
    detail = client.get(f"/vouchers/{v.pk}/").content.decode()
    assert v.number in detail and "发放" in detail and "voucher_issue" not in detail
    report = client.get("/vouchers/report/?year=2019").content.decode()
    assert "2019年度兰白试验区创新券" in report and ">1<" in report
    client.logout()
    _login(client, vx["ent_b"])
    assert client.get(f"/vouchers/{v.pk}/").status_code == 404  # another enterprise's voucher
    assert client.get("/vouchers/").status_code == 403  # budgets: staff only
    client.logout()
    _login(client, vx["rev_gx"])
    assert client.get(f"/vouchers/{v.pk}/").status_code == 200


def test_apply_form_and_use_page(vx, issued, client):
    _login(client, vx["ent_a"])
    assert "申领创新券" in client.get("/vouchers/apply/").content.decode()
    r = client.post(
        "/vouchers/apply/",
        {
            "enterprise": vx["a"].pk,
            "scheme": vx["scheme"].pk,
            "price": "5",
            "requested": "4",
            "service": "设计",
            "provider_code": vcode(9),
        },
    )
    assert r.status_code == 302
    r = client.post("/vouchers/apply/", {"enterprise": vx["a"].pk, "scheme": vx["scheme"].pk, "price": "x"})
    assert r.status_code == 400 and "不是数字" in r.content.decode()
    v = issued()
    r = client.post(
        f"/vouchers/{v.pk}/use/",
        {
            "provider_code": vcode(1),
            "provider_name": "自家",
            "amount": "2",
            "used_on": "2019-05-01",
        },
    )
    assert r.status_code == 302
    assert "关联方" in client.get(f"/vouchers/{v.pk}/").content.decode()


def test_api_schemes_apply_report(vx, issued):
    api = APIClient()
    api.force_authenticate(vx["ent_a"])
    r = api.post(
        "/api/vouchers/applications/",
        {
            "scheme": "LB-CXQ-2019",
            "credit_code": vx["a"].credit_code,
            "price": "5",
            "requested": "4",
            "service": "设计",
            "provider_code": vcode(9),
        },
        format="json",
    )
    assert r.status_code == 201 and r.json()["state"] == "submitted"
    assert api.get("/api/vouchers/schemes/").status_code == 403
    issued()
    api.force_authenticate(vx["province"])
    schemes = api.get("/api/vouchers/schemes/").json()
    assert schemes[0]["remaining_wan"] == "482.0000"
    rows = api.get("/api/vouchers/report/?year=2019").json()
    assert rows[0]["issued"] == "18.0000" and rows[0]["issued_n"] == 1


def test_cli_report(vx, issued):
    import json

    from typer.testing import CliRunner

    from lanbai.cli.main import app

    issued()
    res = CliRunner().invoke(app, ["vouchers", "report", "--year", "2019", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert rows == [
        {
            "zone": "兰州高新区",
            "scheme": "2019年度兰白试验区创新券",
            "issued_n": 1,
            "issued": "18.0000",
            "used": "0.0000",
            "redeemed": "0.0000",
            "expired_n": 0,
            "clawed_back_n": 0,
        }
    ]
    assert "创新券 2019 年" in CliRunner().invoke(app, ["vouchers", "report", "--year", "2019"]).output
