"""Fixtures of the vouchers tests: the shipped plan, a scheme, two enterprises in two zones and their people."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest
from voucher_helpers import vcode

SHIPPED = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "vouchers"


@pytest.fixture
def vx(shipped_plan_in_db, make_user):
    """The people, a 2019 scheme (通兑, budget 500 万元), enterprises 甲 (lzgx, 50 staff) and 乙 (lzjj), and the
    registered provider 丙 (lzgx, vcode(9)) with its user ``prov_c``."""
    from lanbai.collection.services import enterprise_register
    from lanbai.core.vouchers import load_scheme_file
    from lanbai.plans.models import OrgUnit
    from lanbai.registry.models import EnterpriseProfile
    from lanbai.vouchers import services

    province = make_user("prov", "province")
    rules = load_scheme_file(SHIPPED / "2019.yaml")
    scheme = services.scheme_load(user=province, rules=dataclasses.replace(rules, budget=D(500)))
    gx, jj = OrgUnit.objects.get(code="lzgx"), OrgUnit.objects.get(code="lzjj")
    a = enterprise_register(user=None, zone=gx, credit_code=vcode(1), name="甲科技公司")
    b = enterprise_register(user=None, zone=jj, credit_code=vcode(2), name="乙制造公司")
    EnterpriseProfile.objects.create(enterprise=a, staff=50)
    EnterpriseProfile.objects.create(enterprise=b, staff=5000)
    # the registered provider 丙检测中心 (credit code vcode(9), 兰州高新区): its 企业填报员 files 通兑 claims
    c = enterprise_register(user=None, zone=gx, credit_code=vcode(9), name="丙检测中心")
    return {
        "province": province,
        "scheme": scheme,
        "a": a,
        "b": b,
        "ent_a": make_user("ent_a", "enterprise_reporter", a.org_unit.code),
        "ent_b": make_user("ent_b", "enterprise_reporter", b.org_unit.code),
        "rev_gx": make_user("rev_gx", "zone_reviewer", "lzgx"),
        "rev_jj": make_user("rev_jj", "zone_reviewer", "lzjj"),
        "rep_gx": make_user("rep_gx", "zone_reporter", "lzgx"),
        "c": c,
        "prov_c": make_user("prov_c", "enterprise_reporter", c.org_unit.code),
    }


@pytest.fixture
def issued(vx):
    """issue(price, requested): a voucher of enterprise 甲 through the whole workflow."""
    from lanbai.vouchers import services

    def _issue(price="30", requested="20"):
        app = services.application_submit(
            user=vx["ent_a"],
            scheme_id=vx["scheme"].pk,
            enterprise=vx["a"],
            price=price,
            requested=requested,
            service="检验检测",
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
        return services.application_issue(user=vx["province"], application=app, on=dt.date(2019, 3, 20))

    return _issue
