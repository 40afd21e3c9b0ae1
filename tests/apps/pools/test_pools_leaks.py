"""No page or API answer of the pools holds a talent's full 身份证号 or its HMAC fingerprint, for any role."""

import pytest
from django.test import Client

from lanbai.core.pools.identity import check_digit

FIRST17 = "62010219770707771"
ID = FIRST17 + check_digit(FIRST17)


@pytest.mark.django_db
def test_pools_no_answer_holds_the_full_id_or_fingerprint(shipped_plan_in_db, make_user):
    from lanbai.plans.models import OrgUnit
    from lanbai.pools import services
    from lanbai.pools.models import Talent

    unit = OrgUnit.objects.get(code="lzgx")
    users = {
        "anonymous": None,
        "province": make_user("lk_prov", "province", None),
        "reporter_same_zone": make_user("lk_rep", "zone_reporter", "lzgx"),
        "reviewer_same_zone": make_user("lk_rev", "zone_reviewer", "lzgx"),
        "reporter_other_zone": make_user("lk_other", "zone_reporter", "lzjj"),
        "city": make_user("lk_city", "city", "lanzhou"),
        "evaluator": make_user("lk_eval", "evaluator", "lzgx"),
    }
    p = services.project_propose(
        user=users["reporter_same_zone"],
        unit=unit,
        data={"title": "模拟项目", "field": "新材料", "budget_wan": "1", "responsible_person": "模拟"},
    )
    t = services.talent_register(
        user=users["province"], unit=unit, data={"name": "模拟人才", "id_number": ID}, consent_version="v1"
    )
    fingerprint = Talent.objects.get(pk=t.pk).id_fingerprint
    assert len(fingerprint) == 64
    paths = [
        "/pools/",
        f"/pools/projects/{p.pk}/",
        "/pools/projects/new/",
        "/pools/talents/",
        f"/pools/talents/{t.pk}/",
        "/pools/talents/new/",
        "/api/pools/projects/",
        "/api/pools/talents/",
    ]
    seen_masked = set()
    for role, user in users.items():
        c = Client()
        if user is not None:
            c.force_login(user)
        for path in paths:
            r = c.get(path)
            assert r.status_code < 500, (role, path)
            body = r.content.decode()
            assert ID not in body and ID[:17] not in body, (role, path)
            assert fingerprint not in body and fingerprint[:16] not in body, (role, path)
            if t.id_masked in body:
                seen_masked.add(role)
        bad = c.post("/pools/talents/new/", {"unit": "lzgx", "name": "x", "id_number": ID, "consent": "on"})
        assert ID not in bad.content.decode() and fingerprint not in bad.content.decode(), role
    # the masked number is shown to those who handle the register, and only to them
    assert "province" in seen_masked
    assert seen_masked <= {"province", "reviewer_same_zone", "reporter_same_zone"}
