"""Issue 13 item 1: who reads what — evaluators and cities within their scope, confidential enterprise
figures, preview scoped to the reviewer's zone, reviewer-only registry fields, no enterprise listed
publicly."""

from __future__ import annotations

from rest_framework.test import APIClient

from lanbai.access.policy import Action, can, unit_ids
from lanbai.collection import services as cs
from lanbai.core.collection.creditcode import check_character
from lanbai.plans.models import OrgUnit


def _code(n: int) -> str:
    first = f"91620100MA{n:07d}"
    return first + check_character(first)


def _enterprise(zone: str, n: int):
    return cs.enterprise_register(
        user=None, zone=OrgUnit.objects.get(code=zone), credit_code=_code(n), name=f"企业{n}"
    )


def api(user=None):
    c = APIClient()
    if user is not None:
        c.force_authenticate(user)
    return c


def test_roles_read_their_scope_only(mini_plan, make_user):
    ent_a, ent_b = _enterprise("lzxq", 11), _enterprise("bygx", 12)
    lz, by, park = (OrgUnit.objects.get(code=c) for c in ("lzxq", "bygx", "lzxq_a"))
    evaluator = make_user("eval", "evaluator", "lzxq")
    city = make_user("city", "city", "lanzhou")
    filler = make_user("fill", "zone_reporter", "lzxq")
    own = make_user("own", "evaluator", "bygx")
    own.scopes.update(role="enterprise_reporter", org_unit=ent_a.org_unit)
    # evaluator: its zone and park, no other zone (before: every unit), no enterprise's figures
    assert can(evaluator, Action.READ, lz) and can(evaluator, Action.READ, park)
    assert not can(evaluator, Action.READ, by) and not can(evaluator, Action.READ, ent_a.org_unit)
    assert not can(evaluator, Action.READ_CONFIDENTIAL, ent_a.org_unit)
    assert not can(evaluator, Action.REPORT, lz) and not can(evaluator, Action.WRITE_REGISTRY, lz)
    # city office: its zones, no writes, no enterprise's figures
    assert can(city, Action.READ, lz) and not can(city, Action.READ, by)
    assert not can(city, Action.READ_CONFIDENTIAL, ent_a.org_unit) and not can(city, Action.REPORT, lz)
    # zone staff: their enterprises' figures, not another zone's
    assert can(filler, Action.READ_CONFIDENTIAL, ent_a.org_unit)
    assert not can(filler, Action.READ_CONFIDENTIAL, ent_b.org_unit)
    # an enterprise: itself only
    assert unit_ids(own, Action.READ) == {ent_a.org_unit_id}
    assert can(own, Action.READ_CONFIDENTIAL, ent_a.org_unit) and not can(own, Action.READ, lz)
    # the public: nothing
    assert unit_ids(None, Action.READ) is None  # (None is the command line, not the public)
    from django.contrib.auth.models import AnonymousUser

    assert unit_ids(AnonymousUser(), Action.READ) == set()


def test_enterprise_figures_404_outside_the_zone(mini_plan, make_user):
    from lanbai.registry.models import EnterpriseProfile

    ent = _enterprise("lzxq", 21)
    EnterpriseProfile.objects.create(enterprise=ent, rd_staff=42)
    for user in (make_user("by", "zone_reporter", "bygx"), make_user("ev", "evaluator", "lzxq"),
                 make_user("ct", "city", "lanzhou")):
        c = api(user)
        for path in (f"/api/registry/enterprises/{ent.credit_code}/",
                     f"/api/registry/enterprises/{ent.credit_code}/screening/",
                     f"/api/registry/enterprises/{ent.credit_code}/policies/"):
            res = c.get(path)
            assert res.status_code in (404, 503) and ent.name not in res.content.decode(), path
        listed = c.get("/api/registry/enterprises/").content.decode()
        assert ent.credit_code not in listed
    mine = api(make_user("lz", "zone_reporter", "lzxq")).get(f"/api/registry/enterprises/{ent.credit_code}/")
    assert mine.status_code == 200 and mine.json()["rd_staff"] == 42


def test_reviewer_only_fields(mini_plan, make_user):
    from lanbai.registry.models import EnterpriseProfile

    ent = _enterprise("lzxq", 31)
    path = f"/api/registry/enterprises/{ent.credit_code}/"
    filler = api(make_user("f", "zone_reporter", "lzxq"))
    assert filler.patch(path, {"rd_staff": 5}, format="json").status_code == 200
    res = filler.patch(path, {"credit_good": True, "rd_staff": 6}, format="json")
    assert res.status_code == 403
    profile = EnterpriseProfile.objects.get(enterprise=ent)
    assert profile.credit_good is None and profile.rd_staff == 5  # nothing changed
    reviewer = api(make_user("r", "zone_reviewer", "lzxq"))
    assert reviewer.patch(path, {"credit_good": True, "policy_fit": False}, format="json").status_code == 200
    other = api(make_user("r2", "zone_reviewer", "bygx"))
    assert other.patch(path, {"credit_good": False}, format="json").status_code == 404
    profile.refresh_from_db()
    assert profile.credit_good is True and profile.policy_fit is False


def test_public_plan_api_lists_no_enterprise(mini_plan):
    ent = _enterprise("lzxq", 41)
    body = api().get("/api/plans/org-units/").content.decode()
    assert "lzxq" in body and ent.credit_code not in body and ent.name not in body
    assert api().get(f"/api/plans/org-units/{ent.org_unit.code}/").status_code == 404


def test_preview_shows_a_reviewer_its_own_zone_only(report, make_user):
    report("lzxq", "2018Q4", {"gdp": "1000", "resident_population": "10", "fiscal_expenditure": "50"})
    report("bygx", "2018Q4", {"gdp": "777", "resident_population": "7", "fiscal_expenditure": "5"},
           approve=False)  # submitted, not approved
    reviewer = make_user("prev_lz", "zone_reviewer", "lzxq")
    province = make_user("prev_sheng", "province")
    url = "/api/monitoring/results/?period=2018Q4&unit=bygx&preview=true"
    theirs = {r["indicator"]: r["value"] for r in api(province).get(url).json()}
    mine = {r["indicator"]: r["value"] for r in api(reviewer).get(url).json()}
    assert any(v is not None for v in theirs.values())  # 省创新办 previews every zone
    # another zone's unapproved figures never reach a reviewer (bygx has nothing approved)
    assert all(v is None for v in mine.values())
