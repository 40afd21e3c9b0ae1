"""Fixtures of the collection tests: people with roles and registered enterprises."""

from __future__ import annotations

import pytest
from reporting_helpers import valid_code


@pytest.fixture
def people(mini_plan, make_user):
    return {
        "reporter": make_user("xq_fill", "zone_reporter", "lzxq"),
        "reviewer": make_user("xq_review", "zone_reviewer", "lzxq"),
        "other_reporter": make_user("by_fill", "zone_reporter", "bygx"),
        "other_reviewer": make_user("by_review", "zone_reviewer", "bygx"),
        "province": make_user("sheng", "province"),
    }


@pytest.fixture
def enterprises(people):
    from lanbai.collection import services
    from lanbai.plans.models import OrgUnit

    xq, by = OrgUnit.objects.get(code="lzxq"), OrgUnit.objects.get(code="bygx")
    return {
        "a": services.enterprise_register(
            user=people["province"], zone=xq, credit_code=valid_code(1), name="甲公司"
        ),
        "b": services.enterprise_register(
            user=people["province"], zone=xq, credit_code=valid_code(2), name="乙公司"
        ),
        "c": services.enterprise_register(
            user=people["province"], zone=by, credit_code=valid_code(3), name="丙公司"
        ),
    }
