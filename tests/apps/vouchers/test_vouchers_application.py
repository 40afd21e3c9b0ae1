"""Application workflow: enterprise applies → zone review → 省创新办 → 公示 → issue (budget committed at issue)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from voucher_helpers import vcode

from lanbai.common.exceptions import ConflictError, PermissionDeniedError, ValidationFailed
from lanbai.vouchers import services
from lanbai.vouchers.models import Application, Scheme


def _apply(vx, user="ent_a", ent="a", **over):
    data = {"price": "30", "requested": "25", "service": "检验检测", "provider_code": vcode(9)} | over
    return services.application_submit(
        user=vx[user], scheme_id=vx["scheme"].pk, enterprise=vx[ent], on=dt.date(2019, 3, 1), **data
    )


def test_full_workflow_commits_budget_only_at_issue(vx):
    app = _apply(vx)
    assert app.state == "submitted" and app.zone.code == "lzgx"
    services.application_zone_review(user=vx["rev_gx"], application=app, approve=True)
    app = services.application_province_review(
        user=vx["province"],
        application=app,
        approve=True,
        notice_start=dt.date(2019, 3, 10),
        notice_end=dt.date(2019, 3, 16),
    )
    # coverage 10×0.8 + 20×0.5 = 18 < requested 25 and the per-application cap 20
    assert (app.state, app.granted, app.limited_by) == ("notice", D(18), "coverage")
    assert Scheme.objects.get(pk=vx["scheme"].pk).committed == D(0)
    with pytest.raises(ConflictError, match="公示结束后"):
        services.application_issue(user=vx["province"], application=app, on=dt.date(2019, 3, 16))
    v = services.application_issue(user=vx["province"], application=app, on=dt.date(2019, 3, 17))
    assert (v.amount, v.enterprise, v.zone.code) == (D(18), vx["a"], "lzgx")
    assert Application.objects.get(pk=app.pk).state == "issued"
    assert Scheme.objects.get(pk=vx["scheme"].pk).committed == D(18)


def test_return_with_reason_then_resubmit(vx):
    app = _apply(vx)
    with pytest.raises(ValidationFailed, match="理由"):
        services.application_zone_review(user=vx["rev_gx"], application=app, approve=False, reason=" ")
    app = services.application_zone_review(
        user=vx["rev_gx"], application=app, approve=False, reason="合同缺页"
    )
    assert (app.state, app.reason) == ("returned", "合同缺页")
    with pytest.raises(ConflictError):
        services.application_zone_review(user=vx["rev_gx"], application=app, approve=True)
    app = services.application_resubmit(user=vx["ent_a"], application=app, requested="10")
    assert (app.state, app.requested) == ("submitted", D(10))
    services.application_zone_review(user=vx["rev_gx"], application=app, approve=True)
    app = services.application_province_review(
        user=vx["province"], application=app, approve=False, reason="超范围"
    )
    assert app.state == "returned"


def test_access_enterprise_itself_zone_reviewer_province(vx):
    with pytest.raises(PermissionDeniedError):  # another enterprise
        _apply(vx, user="ent_b", ent="a")
    with pytest.raises(PermissionDeniedError):  # zone staff do not apply on the enterprise's behalf
        _apply(vx, user="rep_gx", ent="a")
    app = _apply(vx)
    for who in ("rev_jj", "ent_a", "rep_gx"):
        with pytest.raises(PermissionDeniedError):
            services.application_zone_review(user=vx[who], application=app, approve=True)
    services.application_zone_review(user=vx["rev_gx"], application=app, approve=True)
    with pytest.raises(PermissionDeniedError):
        services.application_province_review(
            user=vx["rev_gx"], application=app, approve=True, notice_end=dt.date(2030, 1, 1)
        )


def test_eligibility_from_registry(vx):
    from lanbai.registry.models import EnterpriseProfile

    with pytest.raises(ValidationFailed, match="企业规模不在本券种支持范围内"):  # 5000 staff: large
        _apply(vx, user="ent_b", ent="b")
    EnterpriseProfile.objects.filter(enterprise=vx["a"]).update(credit_good=False)
    with pytest.raises(ValidationFailed, match="存在不良信用记录"):
        _apply(vx)
    EnterpriseProfile.objects.filter(enterprise=vx["a"]).delete()
    with pytest.raises(ValidationFailed, match="企业规模未登记"):
        _apply(vx)
    assert not Application.objects.exists()


def test_bad_amounts_name_the_field(vx):
    with pytest.raises(ValidationFailed, match="申请金额必须大于 0") as exc:
        _apply(vx, requested="0")
    assert exc.value.extra["field"] == "requested"
    with pytest.raises(ValidationFailed, match="服务合同金额不是数字"):
        _apply(vx, price="abc")


def test_annual_cap_counts_earlier_vouchers(vx, issued):
    issued(price="30", requested="20")  # 18
    v2 = issued(price="30", requested="20")  # annual cap 30 − 18 = 12
    assert v2.amount == D(12) and v2.application.limited_by == "per_enterprise_annual"
    with pytest.raises(ValidationFailed, match="核定金额为 0"):
        issued()
