"""Redemption claims carry their documents (kept raw); the scheme's redemption model says who files (通兑: the
provider's own users; 通用: the holder) and which documents are required; who may open them (issue 18)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient
from voucher_helpers import ENTERPRISE_DOCS, PROVIDER_DOCS, vcode

from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import PermissionDeniedError, ValidationFailed
from lanbai.vouchers import services
from lanbai.vouchers.models import ClaimDocument, Redemption, Voucher

DAY = dt.date(2019, 5, 1)


def _use(vx, v, amount="5", provider=9, user="ent_a", used_on=DAY):
    return services.voucher_use_record(
        user=vx[user], voucher=v, provider_code=vcode(provider), provider_name="丙检测中心", amount=amount,
        used_on=used_on,
    )


@pytest.fixture
def tongyong(vx):
    """A 2020 voucher (通用: the enterprise pays in full and is reimbursed) of enterprise 甲, 10 万元."""
    from lanbai.core.vouchers import load_scheme_file

    rules = load_scheme_file(Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "vouchers" / "2020.yaml")
    scheme = services.scheme_load(user=vx["province"], rules=dataclasses.replace(rules, budget=D(100)))
    return services.voucher_issue(
        user=vx["province"], scheme_id=scheme.pk, enterprise_name=vx["a"].name, credit_code=vx["a"].credit_code,
        amount=D(10), enterprise=vx["a"], issued_on=dt.date(2020, 3, 1),
    )


def test_tongdui_the_provider_files_with_invoice_and_confirmation(vx, issued):
    v = issued()
    use = _use(vx, v)
    assert use.provider == vx["c"]  # the registered enterprise of the provider's credit code
    with pytest.raises(PermissionDeniedError, match="通兑方案由提供服务的服务机构"):
        services.redemption_claim(user=vx["ent_a"], use=use, on=DAY, documents=PROVIDER_DOCS)
    with pytest.raises(ValidationFailed, match="缺少兑付材料：发票、服务确认单") as exc:
        services.redemption_claim(user=vx["prov_c"], use=use, on=DAY)
    assert exc.value.extra["field"] == "invoice"
    with pytest.raises(ValidationFailed, match="缺少兑付材料：服务确认单（通兑方案须提交发票、服务确认单）") as exc:
        services.redemption_claim(user=vx["prov_c"], use=use, on=DAY, documents=PROVIDER_DOCS[:1])
    assert exc.value.extra["field"] == "delivery"
    with pytest.raises(ValidationFailed, match="为空") as exc:
        services.redemption_claim(
            user=vx["prov_c"], use=use, on=DAY, documents=[PROVIDER_DOCS[0], ("delivery", "empty.txt", b"")]
        )
    assert exc.value.extra["field"] == "delivery"
    with pytest.raises(ValidationFailed, match="材料类型必须是") as exc:
        services.redemption_claim(user=vx["prov_c"], use=use, on=DAY, documents=[("photo", "x.jpg", b"x")])
    assert not Redemption.objects.exists() and not ClaimDocument.objects.exists()  # nothing half-written
    assert Voucher.objects.get(pk=v.pk).state == "in_use"
    with pytest.raises(PermissionDeniedError):  # another enterprise's user is not this provider
        services.redemption_claim(user=vx["ent_b"], use=use, on=DAY, documents=PROVIDER_DOCS)
    red = services.redemption_claim(user=vx["prov_c"], use=use, on=DAY, documents=PROVIDER_DOCS)
    docs = {d.kind: d for d in red.documents.all()}
    assert set(docs) == {"invoice", "delivery"} and red.claimed_by == vx["prov_c"]
    inv = docs["invoice"]
    assert (inv.filename, bytes(inv.content), inv.size) == ("发票.pdf", b"%PDF-1.4 invoice", 16)
    assert inv.sha256 == hashlib.sha256(b"%PDF-1.4 invoice").hexdigest() and inv.uploaded_by == vx["prov_c"]
    actions = [e.action for e in audit_events_for(red)]
    assert actions.count("voucher_claim_document") == 2 and actions[-1] == "voucher_claim"


def test_tongyong_the_holder_files_with_contract_invoice_and_payment(vx, tongyong, make_user):
    use = services.voucher_use_record(
        user=vx["ent_a"], voucher=tongyong, provider_code=vcode(9), provider_name="丙检测中心", amount="4",
        used_on=dt.date(2020, 5, 1),
    )
    with pytest.raises(PermissionDeniedError, match="通用方案由持券企业申请兑付"):
        services.redemption_claim(user=vx["prov_c"], use=use, on=dt.date(2020, 6, 1), documents=ENTERPRISE_DOCS)
    with pytest.raises(ValidationFailed, match="缺少兑付材料：付款凭证（通用方案须提交服务合同、发票、付款凭证）") as exc:
        services.redemption_claim(user=vx["ent_a"], use=use, on=dt.date(2020, 6, 1), documents=ENTERPRISE_DOCS[:2])
    assert exc.value.extra["field"] == "payment" and not Redemption.objects.exists()
    red = services.redemption_claim(user=vx["ent_a"], use=use, on=dt.date(2020, 6, 1), documents=ENTERPRISE_DOCS)
    assert sorted(red.documents.values_list("kind", flat=True)) == ["contract", "invoice", "payment"]
    services.redemption_review(user=vx["province"], redemption=red, approve=False, reason="发票抬头不符")
    # filed again: the earlier documents are kept, a corrected invoice is added
    red = services.redemption_claim(
        user=vx["ent_a"], use=use, on=dt.date(2020, 6, 9), documents=[("invoice", "invoice2.pdf", b"%PDF-2")]
    )
    assert red.state == "claimed" and red.documents.count() == 4


def test_documents_open_for_reviewers_and_the_parties_only(vx, issued, client, make_user):
    red = services.redemption_claim(user=vx["prov_c"], use=_use(vx, issued()), on=DAY, documents=PROVIDER_DOCS)
    doc = red.documents.get(kind="invoice")
    url = f"/vouchers/documents/{doc.pk}/"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    assert client.get(f"/vouchers/claims/{red.pk}/").status_code == 302
    for who in ("province", "prov_c", "ent_a", "rev_gx"):
        client.force_login(vx[who])
        res = client.get(url)
        assert res.status_code == 200, who
        assert b"".join(res.streaming_content if res.streaming else [res.content]) == b"%PDF-1.4 invoice"
        assert "attachment" in res["Content-Disposition"]
    for who in ("ent_b", "rev_jj"):  # another enterprise, another zone's staff
        client.force_login(vx[who])
        assert client.get(url).status_code == 404, who
        assert client.get(f"/vouchers/claims/{red.pk}/").status_code == 404, who
    client.force_login(make_user("city", "city", "lanzhou"))
    assert client.get(url).status_code == 404
    client.force_login(vx["province"])
    page = client.get(f"/vouchers/claims/{red.pk}/").content.decode()
    assert "发票.pdf" in page and url in page and "同意兑付" in page
    client.force_login(vx["prov_c"])  # the provider sees its claim, not the reviewer's findings or buttons
    page = client.get(f"/vouchers/claims/{red.pk}/").content.decode()
    assert "发票.pdf" in page and "同意兑付" not in page and "风险提示" not in page


def test_claim_form_and_review_on_the_web(vx, issued, client):
    v = issued()
    use = _use(vx, v)
    client.force_login(vx["prov_c"])
    provider_page = client.get("/vouchers/provider/").content.decode()
    assert v.number in provider_page and f"/vouchers/uses/{use.pk}/claim/" in provider_page
    form = client.get(f"/vouchers/uses/{use.pk}/claim/").content.decode()
    assert 'enctype="multipart/form-data"' in form and 'name="invoice"' in form and "（必交）" in form
    res = client.post(f"/vouchers/uses/{use.pk}/claim/", {
        "claimed_on": "2019-06-01", "invoice": SimpleUploadedFile("fp.pdf", b"%PDF inv"),
    })
    assert res.status_code == 400 and "缺少兑付材料：服务确认单" in res.content.decode()
    assert not Redemption.objects.exists()
    res = client.post(f"/vouchers/uses/{use.pk}/claim/", {
        "claimed_on": "2019-06-01", "invoice": SimpleUploadedFile("fp.pdf", b"%PDF inv"),
        "delivery": SimpleUploadedFile("ok.txt", b"done"),
    })
    red = Redemption.objects.get(use=use)
    assert res.status_code == 302 and res["Location"] == f"/vouchers/claims/{red.pk}/"
    client.force_login(vx["ent_a"])  # the holder under 通兑: no claim link, the claim's state
    detail = client.get(f"/vouchers/{v.pk}/").content.decode()
    assert f"/vouchers/claims/{red.pk}/" in detail and f"/vouchers/uses/{use.pk}/claim/" not in detail
    other = _use(vx, v, amount="1")
    res = client.post(f"/vouchers/uses/{other.pk}/claim/", {
        "claimed_on": "2019-06-01", "invoice": SimpleUploadedFile("fp.pdf", b"%PDF"),
        "delivery": SimpleUploadedFile("ok.txt", b"done"),
    })
    assert res.status_code == 403 and "通兑方案由提供服务的服务机构" in res.content.decode()
    assert not Redemption.objects.filter(use=other).exists()
    assert client.post(f"/vouchers/claims/{red.pk}/pay/").status_code == 302  # refused: back with the message
    assert Redemption.objects.get(pk=red.pk).state == "claimed"
    client.force_login(vx["province"])
    queue = client.get("/vouchers/queue/").content.decode()
    assert f"/vouchers/claims/{red.pk}/" in queue and "2 份材料" in queue
    client.post(f"/vouchers/claims/{red.pk}/pay/")
    assert Redemption.objects.get(pk=red.pk).state == "paid"
    client.force_login(vx["ent_b"])
    assert client.get(f"/vouchers/uses/{use.pk}/claim/").status_code == 404
    assert v.number not in client.get("/vouchers/provider/").content.decode()


def test_claim_through_the_api(vx, issued, tongyong):
    api = APIClient()
    use = _use(vx, issued())
    api.force_authenticate(vx["prov_c"])
    res = api.post(f"/api/vouchers/uses/{use.pk}/claim/", {"claimed_on": "2019-06-01", "invoice": SimpleUploadedFile("f.pdf", b"%PDF")},
                   format="multipart")
    assert res.status_code == 400 and res.json()["extra"]["field"] == "delivery"
    res = api.post(f"/api/vouchers/uses/{use.pk}/claim/", {
        "claimed_on": "2019-06-01", "invoice": SimpleUploadedFile("f.pdf", b"%PDF"),
        "delivery": SimpleUploadedFile("d.txt", b"ok"),
    }, format="multipart")
    body = res.json()
    assert res.status_code == 201 and body["state"] == "claimed"
    assert {d["kind"]: d["size"] for d in body["documents"]} == {"invoice": 4, "delivery": 2}
    other = services.voucher_use_record(
        user=vx["ent_a"], voucher=tongyong, provider_code=vcode(9), provider_name="丙", amount="1",
        used_on=dt.date(2020, 5, 1),
    )
    api.force_authenticate(vx["ent_b"])
    assert api.post(f"/api/vouchers/uses/{other.pk}/claim/", {}, format="multipart").status_code == 404
    api.force_authenticate(vx["ent_a"])
    res = api.post(f"/api/vouchers/uses/{other.pk}/claim/", {"claimed_on": "2020-13-01"}, format="multipart")
    assert res.status_code == 400 and res.json()["extra"]["field"] == "claimed_on"


def test_claim_of_an_unregistered_provider_is_open_to_the_reviewers(vx, tongyong, client):
    use = services.voucher_use_record(
        user=vx["ent_a"], voucher=tongyong, provider_code=vcode(40), provider_name="未登记机构", amount="2",
        used_on=dt.date(2020, 5, 1),
    )
    assert use.provider is None
    red = services.redemption_claim(user=vx["ent_a"], use=use, on=dt.date(2020, 6, 1), documents=ENTERPRISE_DOCS)
    doc = red.documents.get(kind="payment")
    for who, status in (("province", 200), ("rev_gx", 200), ("ent_a", 200), ("rev_jj", 404), ("prov_c", 404)):
        client.force_login(vx[who])
        assert client.get(f"/vouchers/claims/{red.pk}/").status_code == status, who
        assert client.get(f"/vouchers/documents/{doc.pk}/").status_code == status, who


def test_a_document_over_the_upload_limit_is_refused_and_nothing_stored(vx, issued, client, settings):
    settings.LANBAI_MAX_UPLOAD_BYTES = 10_000
    use = _use(vx, issued())
    client.force_login(vx["prov_c"])
    res = client.post(f"/vouchers/uses/{use.pk}/claim/", {
        "claimed_on": "2019-06-01", "invoice": SimpleUploadedFile("big.pdf", b"x" * 20_000),
        "delivery": SimpleUploadedFile("ok.txt", b"done"),
    })
    assert res.status_code == 413 and "big.pdf" in res.content.decode()
    api = APIClient()
    api.force_authenticate(vx["prov_c"])
    res = api.post(f"/api/vouchers/uses/{use.pk}/claim/", {
        "claimed_on": "2019-06-01", "invoice": SimpleUploadedFile("big.pdf", b"x" * 20_000),
        "delivery": SimpleUploadedFile("ok.txt", b"done"),
    }, format="multipart")
    assert res.status_code == 413
    assert not Redemption.objects.exists() and not ClaimDocument.objects.exists()
