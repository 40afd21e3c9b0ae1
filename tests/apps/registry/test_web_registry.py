"""Registry web pages: login required, counts with history, lists with filters, enterprise screening."""

from __future__ import annotations

import datetime as dt

from lanbai.plans.models import OrgUnit
from lanbai.registry import services


def test_pages_need_login_and_render(reg_plan, make_user, make_enterprise, client):
    assert client.get("/registry/").status_code == 302
    client.force_login(make_user("eval", "evaluator"))
    services.registry_seed_from_plan(reg_plan)
    services.platform_save(
        user=None,
        data={
            "name": "甲实验室",
            "kind": "key_lab_st",
            "zone": OrgUnit.objects.get(code="lzxq"),
            "valid_from": dt.date(2016, 1, 1),
        },
    )
    page = client.get("/registry/").content.decode()
    assert "研发平台" in page and "二（四）" in page and "2015" in page
    listed = client.get("/registry/platforms/?zone=lzxq&on=2016-01-01").content.decode()
    assert "甲实验室" in listed
    assert "甲实验室" not in client.get("/registry/platforms/?on=2015-12-31").content.decode()
    assert "规划备选" in client.get("/registry/alliances/").content.decode()
    assert client.get("/registry/nothing/").status_code == 404
    ent = make_enterprise("甲公司", n=3)
    # an evaluator reads no enterprise's confidential figures (issue 13): 404, its zone's staff do
    assert client.get(f"/registry/enterprises/{ent.credit_code}/").status_code == 404
    client.force_login(make_user("lz", "zone_reporter", "lzxq"))
    page = client.get(f"/registry/enterprises/{ent.credit_code}/").content.decode()
    assert "无法判定" in page and "revenue_wan" in page
    assert "政策匹配" in page and "本条适用于" not in page  # person/institution articles left out
    assert "兰州兰石集团有限公司" in client.get("/registry/enterprises/").content.decode()


def test_admin_lists_every_registry(reg_plan, admin_client):
    services.registry_seed_from_plan(reg_plan)
    for model in (
        "rdplatform",
        "alliance",
        "incubator",
        "cluster",
        "enterpriseprofile",
        "recognition",
        "candidate",
    ):
        res = admin_client.get(f"/admin/registry/{model}/")
        assert res.status_code == 200, model
    assert "兰州兰石集团有限公司" in admin_client.get("/admin/registry/candidate/").content.decode()
