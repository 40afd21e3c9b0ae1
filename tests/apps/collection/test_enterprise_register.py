"""The one enterprise_register: right first, the credit-code rule, already registered, the org unit, audit."""

from __future__ import annotations

import pytest
from reporting_helpers import ENT_FORM, ent_row, valid_code
from rest_framework.test import APIClient

from lanbai.collection import services
from lanbai.collection.models import Enterprise, Upload
from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.common.models import AuditEvent
from lanbai.plans.models import OrgUnit


def test_register_checks_right_then_code_then_uniqueness(people, make_user):
    xq = OrgUnit.objects.get(code="lzxq")
    good = valid_code(7)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDeniedError):  # another zone's 填报员, even with a bad code
        services.enterprise_register(user=people["other_reporter"], zone=xq, credit_code="x", name="甲")
    with pytest.raises(ValidationFailed, match="校验位错误") as exc:
        services.enterprise_register(user=people["reporter"], zone=xq, credit_code=bad_check, name="甲")
    assert exc.value.extra["field"] == "credit_code"
    with pytest.raises(ValidationFailed, match="格式错误"):
        services.enterprise_register(user=people["reporter"], zone=xq, credit_code="91620100MA0000000I", name="甲")
    assert AuditEvent.objects.count() == before and not Enterprise.objects.exists()
    ent = services.enterprise_register(user=people["reporter"], zone=xq, credit_code=f" {good} ", name="甲公司")
    assert ent.credit_code == good and ent.org_unit.code == f"ent-{good}" and ent.org_unit.kind == "enterprise"
    assert ent.org_unit.parent_links.get().parent == xq
    assert AuditEvent.objects.filter(action="enterprise_register", field=good, new="甲公司").count() == 1
    with pytest.raises(ConflictError, match="已登记") as exc:
        services.enterprise_register(user=people["province"], zone=xq, credit_code=good, name="甲公司")
    assert exc.value.extra["field"] == "credit_code"
    boss = make_user("boss", "enterprise_reporter", ent.org_unit.code)
    with pytest.raises(PermissionDeniedError):  # an enterprise does not register others
        services.enterprise_register(user=boss, zone=xq, credit_code=valid_code(8), name="乙")


def test_an_enterprise_reports_only_its_own_enterprise_form(enterprises, make_user, settings):
    """Through the importer an enterprise unit reports one row, itself; anything else is refused (kept raw)."""
    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000
    a, b = enterprises["a"], enterprises["b"]
    c = APIClient()
    c.force_authenticate(make_user("ent_a", "enterprise_reporter", a.org_unit.code))
    body = {"form_code": ENT_FORM, "period": "2018Q2", "unit": a.org_unit.code}
    res = c.post("/api/collection/reports/", body | {"records": [ent_row(b.credit_code, b.name)]}, format="json")
    assert res.status_code == 400 and [p["rule"] for p in res.json()["problems"]] == ["enterprise.not_self"]
    assert Upload.objects.get(pk=res.json()["upload"]).outcome == "refused"
    res = c.post("/api/collection/reports/", body | {"records": [ent_row(a.credit_code, a.name)]}, format="json")
    assert res.status_code == 201, res.json()


def test_api_unknown_unit_is_a_bad_request(people):
    c = APIClient()
    c.force_authenticate(people["reporter"])
    body = {"form_code": ENT_FORM, "period": "2018Q2", "unit": "nowhere", "records": [{}]}
    res = c.post("/api/collection/reports/", body, format="json")
    assert res.status_code == 400 and "nowhere" in res.json()["message"]
    assert c.post("/api/collection/reports/", body | {"period": "2018Q5"}, format="json").status_code == 400
