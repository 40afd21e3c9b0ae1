"""The declared related-party list (关联方): entered by the enterprise or its zone's staff, audited, read by the
fraud check of every later use, which shows why the provider is a related party."""

from __future__ import annotations

import datetime as dt

import pytest
from voucher_helpers import vcode

from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.vouchers import services
from lanbai.vouchers.models import RelatedParty


def _use(vx, v, provider):
    return services.voucher_use_record(
        user=vx["ent_a"], voucher=v, provider_code=vcode(provider), provider_name="某服务机构", amount="1",
        used_on=dt.date(2019, 5, 1),
    )


def test_a_listed_provider_is_flagged_with_the_reason(vx, issued):
    v = issued()
    assert _use(vx, v, 30).findings == []
    rp = services.related_party_add(
        user=vx["ent_a"], enterprise=vx["a"], credit_code=vcode(30), name="甲控股集团", relation="控股股东"
    )
    assert rp.declared_by == vx["ent_a"]
    assert [e.action for e in audit_events_for(rp)] == ["voucher_related_add"]
    flagged = _use(vx, v, 30)
    assert [f["rule"] for f in flagged.findings] == ["related_party"]
    assert "甲科技公司申报的关联方：甲控股集团，控股股东" in flagged.findings[0]["message"]
    same = _use(vx, v, 1)  # the enterprise's own credit code
    assert "统一社会信用代码相同" in same.findings[0]["message"]


def test_the_provider_s_own_list_counts_too(vx, issued):
    services.related_party_add(user=vx["prov_c"], enterprise=vx["c"], credit_code=vx["a"].credit_code, name="甲")
    use = _use(vx, issued(), 9)
    assert "服务机构丙检测中心申报的关联方：甲" in use.findings[0]["message"]


def test_who_declares_and_bad_input(vx):
    services.related_party_add(user=vx["rev_gx"], enterprise=vx["a"], credit_code=vcode(31), name="甲子公司")
    with pytest.raises(PermissionDeniedError):
        services.related_party_add(user=vx["ent_b"], enterprise=vx["a"], credit_code=vcode(32), name="x")
    with pytest.raises(PermissionDeniedError):
        services.related_party_add(user=vx["rev_jj"], enterprise=vx["a"], credit_code=vcode(32), name="x")
    with pytest.raises(ValidationFailed, match="关联方统一社会信用代码（credit_code）") as exc:
        services.related_party_add(user=vx["ent_a"], enterprise=vx["a"], credit_code="91620100ABC", name="x")
    assert exc.value.extra["field"] == "credit_code"
    bad_check = vcode(33)[:17] + ("0" if vcode(33)[17] != "0" else "1")
    with pytest.raises(ValidationFailed, match="校验位不符"):
        services.related_party_add(user=vx["ent_a"], enterprise=vx["a"], credit_code=bad_check, name="x")
    with pytest.raises(ValidationFailed, match="名称（name）") as exc:
        services.related_party_add(user=vx["ent_a"], enterprise=vx["a"], credit_code=vcode(34), name=" ")
    assert exc.value.extra["field"] == "name"
    with pytest.raises(ConflictError, match="已在甲科技公司的名单中"):
        services.related_party_add(user=vx["ent_a"], enterprise=vx["a"], credit_code=vcode(31), name="again")
    assert RelatedParty.objects.count() == 1
    rp = RelatedParty.objects.get()
    with pytest.raises(PermissionDeniedError):
        services.related_party_remove(user=vx["ent_b"], party=rp)
    pk = rp.pk
    services.related_party_remove(user=vx["ent_a"], party=rp)
    assert not RelatedParty.objects.exists()
    from lanbai.common.models import AuditEvent

    trail = AuditEvent.objects.filter(object_type="vouchers.relatedparty", object_id=pk).order_by("id")
    assert [(e.action, e.old) for e in trail] == [("voucher_related_add", ""), ("voucher_related_remove", vcode(31))]


def test_related_page(vx, client):
    client.force_login(vx["ent_a"])
    page = client.get("/vouchers/related/").content.decode()
    assert f'value="{vx["a"].credit_code}"' in page  # its one enterprise, filled in
    res = client.post("/vouchers/related/", {
        "enterprise": vx["a"].credit_code, "credit_code": "bad", "name": "甲控股",
    })
    assert res.status_code == 400 and "关联方统一社会信用代码（credit_code）" in res.content.decode()
    res = client.post("/vouchers/related/", {
        "enterprise": vx["a"].credit_code, "credit_code": vcode(30), "name": "甲控股", "relation": "控股股东",
    })
    assert res.status_code == 302 and RelatedParty.objects.filter(enterprise=vx["a"]).count() == 1
    assert "甲控股" in client.get("/vouchers/related/").content.decode()
    client.force_login(vx["rev_jj"])  # another zone: neither sees nor declares for 甲
    assert "甲控股" not in client.get("/vouchers/related/").content.decode()
    res = client.post("/vouchers/related/", {"enterprise": vx["a"].credit_code, "credit_code": vcode(31), "name": "x"})
    assert res.status_code == 400 and "（enterprise）" in res.content.decode()
    rp = RelatedParty.objects.get()
    assert client.post(f"/vouchers/related/{rp.pk}/remove/").status_code == 404
    client.force_login(vx["rev_gx"])
    assert client.post(f"/vouchers/related/{rp.pk}/remove/").status_code == 302
    assert not RelatedParty.objects.exists()
