"""The contracts REST API and pages: login, role (403) and state (400) refusals, the transitions, turnover."""

from __future__ import annotations

import datetime as dt

import pytest
from contract_helpers import contract_data
from rest_framework.test import APIClient


def _api(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def _body(**over):
    data = contract_data(**over)
    return {k: (v.isoformat() if isinstance(v, dt.date) else str(v)) for k, v in data.items()}


def test_api_needs_login(people):
    assert _api().get("/api/contracts/").status_code in (401, 403)


def test_api_workflow_and_refusals(people):
    seller, registrar, other = people["seller"], people["registrar"], people["other"]
    assert _api(other).post("/api/contracts/", _body(), format="json").status_code == 403
    res = _api(seller).post("/api/contracts/", _body(), format="json")
    assert res.status_code == 201, res.content
    pk = res.json()["id"]
    assert res.json()["actions"] == ["update", "submit"] and res.json()["tech_amount"] == "400.00"
    assert _api(registrar).post(f"/api/contracts/{pk}/accept/").status_code == 400  # still a draft
    assert _api(seller).post(f"/api/contracts/{pk}/submit/").status_code == 200
    assert _api(seller).post(f"/api/contracts/{pk}/accept/").status_code == 403  # not the registrar
    assert _api(other).get(f"/api/contracts/{pk}/").status_code == 404  # out of scope
    assert _api(registrar).post(f"/api/contracts/{pk}/accept/").status_code == 200
    bad = _api(registrar).post(f"/api/contracts/{pk}/refuse/", {"ground": "nonsense"}, format="json")
    assert bad.status_code == 400
    res = _api(registrar).post(f"/api/contracts/{pk}/register/", {}, format="json")
    assert res.status_code == 200 and res.json()["registration_number"].startswith("620102")
    res = _api(registrar).post(f"/api/contracts/{pk}/amend/", {"changes": {"amount": "1"}, "reason": "x"},
                               format="json")
    assert res.status_code == 400
    res = _api(registrar).post(f"/api/contracts/{pk}/amend/",
                               {"changes": {"buyer_name": "白银新公司"}, "reason": "更名"}, format="json")
    assert res.status_code == 200 and [h["action"] for h in res.json()["history"]][-1] == "amend"
    assert _api(seller).post(f"/api/contracts/{pk}/revoke/", {"reason": "x"}, format="json").status_code == 403
    assert _api(registrar).post(f"/api/contracts/{pk}/revoke/", {"reason": "解除"}, format="json").status_code == 200
    listed = _api(seller).get("/api/contracts/", {"status": "revoked"}).json()
    assert [c["id"] for c in listed] == [pk]


def test_api_return_and_refuse(people, filed):
    registrar = people["registrar"]
    c = filed()
    assert _api(registrar).post(f"/api/contracts/{c.pk}/return/", {"reason": "补正"}, format="json").status_code == 200
    d = filed()
    _api(registrar).post(f"/api/contracts/{d.pk}/accept/")
    res = _api(registrar).post(f"/api/contracts/{d.pk}/refuse/", {"ground": "seals"}, format="json")
    assert res.status_code == 200 and res.json()["refusal_ground"] == "seals"


def test_api_turnover(people, registered):
    registered()
    res = _api(people["registrar"]).get("/api/contracts/turnover/", {"period": "2019Q4"})
    assert res.status_code == 200
    row = next(r for r in res.json() if r["zone"] == "lzgx")
    assert row["turnover"] == "500.00" and row["absorbed"] == "0.00"
    assert _api(people["registrar"]).get("/api/contracts/turnover/", {"period": "2019Q9"}).status_code == 400


@pytest.fixture
def web(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_pages_list_detail_form_and_actions(people, filed, web):
    c = filed()
    page = web(people["registrar"]).get("/contracts/")
    assert page.status_code == 200 and "技术合同认定登记" in page.content.decode() and c.title in page.content.decode()
    detail = web(people["registrar"]).get(f"/contracts/{c.pk}/").content.decode()
    assert ">受理</button>" in detail and ">退回补正</button>" in detail and ">登记</button>" not in detail
    assert web(people["registrar"]).post(f"/contracts/{c.pk}/accept/").status_code == 302
    detail = web(people["registrar"]).get(f"/contracts/{c.pk}/").content.decode()
    assert ">登记</button>" in detail and ">不予登记</button>" in detail and "剩余" in detail
    res = web(people["registrar"]).post(f"/contracts/{c.pk}/refuse/", {"ground": "bad"})
    assert res.status_code == 400
    assert web(people["seller"]).post(f"/contracts/{c.pk}/register/").status_code == 403
    assert web(people["registrar"]).post(f"/contracts/{c.pk}/register/").status_code == 302
    assert "620102" in web(people["registrar"]).get(f"/contracts/{c.pk}/").content.decode()


def test_filing_form(people, web):
    client = web(people["seller"])
    assert "填报技术合同" in client.get("/contracts/new/").content.decode()
    res = client.post("/contracts/new/", _body())
    assert res.status_code == 302
    res = client.post("/contracts/new/", _body(buyer_credit_code="123"))
    assert res.status_code == 400 and "统一社会信用代码" in res.content.decode()


def test_turnover_page(people, registered, web):
    registered()
    page = web(people["registrar"]).get("/contracts/turnover/2019Q4/").content.decode()
    assert "技术合同成交额核对" in page and "500.00" in page
    assert web(people["registrar"]).get("/contracts/turnover/?period=2019Q4").status_code == 302


def test_zone_page_shows_register_beside_reported(people, registered, web):
    registered()
    page = web(people["registrar"]).get("/zones/lzgx/").content.decode()
    assert "技术合同成交额：登记与上报" in page and "500.00" in page


def test_edit_page_corrects_a_returned_contract(people, filed, web):
    from lanbai.contracts import services
    from lanbai.contracts.models import TechContract

    c = filed()
    seller = web(people["seller"])
    assert seller.get(f"/contracts/{c.pk}/edit/").status_code == 403  # submitted: not editable now
    services.contract_return(user=people["registrar"], contract=c, reason="请补正买方名称")
    detail = seller.get(f"/contracts/{c.pk}/").content.decode()
    assert f'href="/contracts/{c.pk}/edit/"' in detail and "请补正买方名称" in detail
    form = seller.get(f"/contracts/{c.pk}/edit/").content.decode()
    assert 'value="白银某公司"' in form and "保存修改" in form
    body = _body(buyer_name="白银某某有限公司", seller_credit_code="91620100MA74XXXXXX")  # a fixed field: ignored
    res = seller.post(f"/contracts/{c.pk}/edit/", body)
    assert res.status_code == 302 and res["Location"] == f"/contracts/{c.pk}/"
    c = TechContract.objects.get(pk=c.pk)
    assert c.buyer_name == "白银某某有限公司" and c.status == "returned" and c.seller_credit_code != body[
        "seller_credit_code"]
    assert web(people["other"]).get(f"/contracts/{c.pk}/edit/").status_code == 404  # another zone's filer
    assert web(people["registrar"]).get(f"/contracts/{c.pk}/edit/").status_code == 403


def test_registered_contract_links_to_its_turnover_quarter(people, registered, web):
    c = registered(on=dt.date(2019, 5, 10))
    detail = web(people["registrar"]).get(f"/contracts/{c.pk}/").content.decode()
    assert 'href="/contracts/turnover/2019Q2/"' in detail
