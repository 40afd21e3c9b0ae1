"""The instrument registration page (issue 18 item 3): reachable from the catalogue for owner unit staff, the
national platform's fields through the register service, every broken rule shown next to its field."""

from __future__ import annotations

import re

import pytest

FORM = {
    "name": "场发射透射电镜",
    "model_number": "JEM-F200",
    "manufacturer": "日本电子",
    "original_value": "680",
    "classification_code": "030102",
    "sharing_mode": "开放共享",
    "status": "正常",
    "fee_basis": "per_hour",
    "fee_rate": "500",
    "fee_minimum": "500",
    "location": "兰州高新区科技园C栋",
    "requires_approval": "on",
}


@pytest.fixture
def people(shipped_plan_in_db, make_user):
    from lanbai.plans.models import OrgUnit

    return {
        "owner": make_user("reg_owner", "zone_reporter", "lzgx"),
        "reviewer": make_user("reg_reviewer", "zone_reviewer", "lzgx"),
        "lzgx": OrgUnit.objects.get(code="lzgx"),
        "lzjj": OrgUnit.objects.get(code="lzjj"),
    }


def test_catalogue_links_to_registration_for_owner_staff_only(people, client):
    client.force_login(people["owner"])
    assert 'href="/instruments/new/"' in client.get("/instruments/").content.decode()
    client.force_login(people["reviewer"])  # a reviewer manages no instruments
    assert 'href="/instruments/new/"' not in client.get("/instruments/").content.decode()
    assert client.get("/instruments/new/").status_code == 403


def test_registration_page_registers_through_the_service(people, client):
    from lanbai.common.audit import audit_events_for
    from lanbai.instruments.models import Instrument

    client.force_login(people["owner"])
    page = client.get("/instruments/new/").content.decode()
    offered = re.findall(r'<option value="(\d+)"', re.search(r'name="owner_unit".*?</select>', page, re.S).group(0))
    assert str(people["lzgx"].pk) in offered and str(people["lzjj"].pk) not in offered
    res = client.post("/instruments/new/", FORM | {"owner_unit": people["lzgx"].pk})
    inst = Instrument.objects.get(name="场发射透射电镜")
    assert res.status_code == 302 and res["Location"] == f"/instruments/{inst.pk}/"
    assert (inst.owner_unit, inst.original_value, inst.classification_code, inst.fee_rate) == (
        people["lzgx"], 680, "030102", 500)
    assert inst.requires_approval and [e.action for e in audit_events_for(inst)] == ["instrument_register"]


def test_registration_errors_are_shown_per_field_and_nothing_is_written(people, client):
    from lanbai.instruments.models import Instrument

    client.force_login(people["owner"])
    bad = FORM | {"owner_unit": people["lzgx"].pk, "original_value": "30", "classification_code": "0301",
                  "manufacturer": "", "fee_rate": "abc"}
    res = client.post("/instruments/new/", bad)
    page = res.content.decode()
    assert res.status_code == 400 and not Instrument.objects.exists()
    errors = dict(re.findall(r'<span class="error" id="err-(\w+)">([^<]*)</span>', page))
    assert set(errors) == {"original_value", "classification_code", "manufacturer", "fee_rate"}
    assert "低于 50 万元" in errors["original_value"] and "6 位数字" in errors["classification_code"]
    assert 'value="场发射透射电镜"' in page  # the input is kept
    res = client.post("/instruments/new/", FORM | {"owner_unit": people["lzjj"].pk})  # not the user's unit
    assert res.status_code == 400 and "err-owner_unit" in res.content.decode()
    assert not Instrument.objects.exists()
