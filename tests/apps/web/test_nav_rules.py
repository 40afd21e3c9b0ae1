"""The main navigation shows a signed-in user only the pages the user can use: each link's view carries
its rule (access.policy.page_rule) and the navigation asks that same rule, so every link rendered opens
(200) for the user who sees it, and a page refused to a user (403) is not linked for that user."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def _nav(client) -> list[str]:
    page = client.get("/").content.decode()
    nav = page[page.index('<nav aria-label'):page.index("</nav>")]
    return [h for h in re.findall(r'<a href="([^"]+)"', nav) if h != "/accounts/login/"]


@pytest.fixture
def roles(shipped_plan_in_db, make_user):
    """The demo's roles: anonymous, an enterprise, zone staff, a city, the province, an evaluator."""
    from lanbai.access.models import UserScope
    from lanbai.collection import services as cs
    from lanbai.core.collection.creditcode import check_character
    from lanbai.evaluation import services as evaluation
    from lanbai.plans.models import OrgUnit

    first = "91620100MA0000911"
    ent = cs.enterprise_register(user=None, zone=OrgUnit.objects.get(code="lzxq"),
                                 credit_code=first + check_character(first), name="导航测试企业（模拟数据）")
    enterprise = make_user("nav_ent", "zone_reporter", "lzxq")
    UserScope.objects.filter(user=enterprise).update(role="enterprise_reporter", org_unit=ent.org_unit)
    evaluator = make_user("nav_eval", "city", "lanzhou")
    UserScope.objects.filter(user=evaluator).delete()
    org = evaluation.organisation_create(None, name="导航评估中心（模拟数据）", credit_code="91620100MA73XY123R")
    evaluation.member_add(None, org, evaluator)
    evaluation.assign(None, org, year=2019, unit_codes=["lzxq"])
    return {
        "anonymous": None,
        "enterprise": enterprise,
        "zone_reporter": make_user("nav_fill", "zone_reporter", "lzxq"),
        "zone_reviewer": make_user("nav_review", "zone_reviewer", "lzxq"),
        "city": make_user("nav_city", "city", "lanzhou"),
        "province": make_user("nav_sheng", "province"),
        "evaluator": evaluator,
    }


def test_every_link_shown_opens_and_refused_pages_are_not_shown(roles):
    shown = {}
    for role, user in roles.items():
        c = Client()
        if user is not None:
            c.force_login(user)
        links = _nav(c)
        shown[role] = set(links)
        for href in links:
            assert c.get(href).status_code == 200, f"{role}: {href}"
        for href in ("/collection/upload/", "/collection/queue/", "/measures/", "/assessment/", "/evaluation/",
                     "/vouchers/queue/"):
            if href not in links and user is not None:
                assert c.get(href).status_code == 403, f"{role}: {href} not linked but opens"
    assert "/collection/upload/" in shown["zone_reporter"] and "/collection/upload/" in shown["enterprise"]
    assert "/collection/upload/" not in shown["zone_reviewer"] | shown["city"] | shown["evaluator"]
    assert "/collection/queue/" in shown["zone_reviewer"] and "/collection/queue/" not in shown["zone_reporter"]
    assert "/evaluation/" in shown["evaluator"] and "/evaluation/" in shown["province"]
    assert "/evaluation/" not in shown["zone_reporter"] | shown["city"] | shown["enterprise"]
    assert "/measures/" in shown["city"] and "/measures/" not in shown["evaluator"] | shown["enterprise"]
    assert "/assessment/" in shown["city"] and "/assessment/" not in shown["evaluator"] | shown["enterprise"]
    assert "/vouchers/queue/" in shown["enterprise"] and "/vouchers/queue/" not in shown["city"]
    assert shown["anonymous"] <= shown["province"] and "/workbench/" not in shown["anonymous"]
