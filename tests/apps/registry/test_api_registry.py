"""REST API: login required, writes by 省创新办 or the zone's 填报员, counts, screening, policy matching."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lanbai.registry.models import EnterpriseProfile, RdPlatform


@pytest.fixture
def client_for(make_user):
    def _c(user=None):
        c = APIClient()
        if user is not None:
            c.force_authenticate(user)
        return c

    return _c


def test_registries_need_login_and_zone_rights(reg_plan, make_user, client_for):
    assert client_for().get("/api/registry/platforms/").status_code in (401, 403)
    xq = make_user("xq", "zone_reporter", "lzxq")
    evaluator = make_user("eval", "evaluator")
    body = {
        "name": "甲中心",
        "kind": "eng_tech_center",
        "level": "national",
        "zone": "lzxq",
        "valid_from": "2017-03-01",
    }
    res = client_for(xq).post("/api/registry/platforms/", body, format="json")
    assert res.status_code == 201, res.json()
    assert res.json()["zone"] == "lzxq"
    assert (
        client_for(xq).post("/api/registry/platforms/", {**body, "zone": "bygx"}, format="json").status_code
        == 403
    )
    assert client_for(evaluator).post("/api/registry/platforms/", body, format="json").status_code == 403
    listed = client_for(evaluator).get("/api/registry/platforms/?zone=lzxq&on=2017-03-01").json()
    assert [p["name"] for p in listed] == ["甲中心"]
    assert client_for(evaluator).get("/api/registry/platforms/?on=2017-02-28").json() == []
    bad = client_for(make_user("sheng", "province")).post(
        "/api/registry/platforms/", {**body, "kind": "x"}, format="json"
    )
    assert bad.status_code == 400 and "kind" in bad.json()["extra"]["fields"]
    assert RdPlatform.objects.count() == 1


def test_counts_screening_profile_and_policy_match(reg_plan, make_user, make_enterprise, client_for):
    sheng = client_for(make_user("sheng", "province"))
    ent = make_enterprise("甲公司", n=5)
    res = sheng.patch(
        f"/api/registry/enterprises/{ent.credit_code}/", {"valid_patents": 2, "park": "lzxq_a"}, format="json"
    )
    assert res.status_code == 200, res.json()
    assert EnterpriseProfile.objects.get(enterprise=ent).valid_patents == 2
    rows = sheng.get("/api/registry/counts/?on=2020-12-31").json()
    whole = next(r for r in rows if r["indicator"] == "rd_platforms" and r["unit_code"] == "lanbai")
    assert (whole["count"], whole["target"], whole["target_source"]) == (0, 500.0, "二（四）")
    hist = sheng.get("/api/registry/counts/?history=1&zone=lzxq").json()
    assert set(hist[0]["by_year"]) == {str(y) for y in range(2015, 2021)}
    scr = sheng.get(f"/api/registry/enterprises/{ent.credit_code}/screening/").json()
    assert scr["status"] == "undecided" and "revenue_wan" in scr["missing"]
    pol = sheng.get(f"/api/registry/enterprises/{ent.credit_code}/policies/").json()
    assert len(pol) == 23 and {p["status"] for p in pol} >= {"policy_text_only", "does_not_qualify"}
    res = sheng.post(
        "/api/registry/policy-match/",
        {
            "kind": "person",
            "is_introduced_talent": True,
            "is_urgent_high_level_talent": True,
            "contract_years": 5,
        },
        format="json",
    )
    arts = {a["number"]: a for a in res.json()["articles"]}
    assert len(arts) == 23 and arts[7]["status"] == "qualifies"
    bad = sheng.post("/api/registry/policy-match/", {"kind": "person", "contract_years": -1}, format="json")
    assert bad.status_code == 400 and "contract_years" in bad.json()["extra"]["fields"]


def test_profile_update_by_another_zone_is_refused_and_unchanged(
    reg_plan, make_user, make_enterprise, client_for
):
    ent = make_enterprise("甲公司", n=6)  # in lzxq
    by = client_for(make_user("by", "zone_reporter", "bygx"))
    res = by.patch(f"/api/registry/enterprises/{ent.credit_code}/", {"valid_patents": 9}, format="json")
    # another zone's enterprise is not even visible (issue 13: a forbidden read answers 404)
    assert res.status_code == 404 and not EnterpriseProfile.objects.filter(enterprise=ent).exists()
    xq = client_for(make_user("xq", "zone_reporter", "lzxq"))
    assert (
        xq.patch(
            f"/api/registry/enterprises/{ent.credit_code}/", {"valid_patents": 9}, format="json"
        ).status_code
        == 200
    )
    assert xq.get("/api/registry/enterprises/NOPE/screening/").status_code == 404
    assert xq.get("/api/registry/counts/?on=2020-02-30").status_code == 400


def test_detail_update_candidates_and_refusal_bodies(reg_plan, make_user, make_enterprise, client_for):
    from lanbai.registry import services

    services.registry_seed_from_plan(reg_plan)
    sheng = client_for(make_user("sheng", "province"))
    body = {"name": "乙中心", "kind": "eng_tech_center", "zone": "lzxq", "valid_from": "2017-03-01"}
    pk = sheng.post("/api/registry/platforms/", body, format="json").json()["id"]
    assert sheng.get(f"/api/registry/platforms/{pk}/").json()["name"] == "乙中心"
    res = sheng.patch(f"/api/registry/platforms/{pk}/", {"level": "national"}, format="json")
    assert res.status_code == 200 and res.json()["level"] == "national"
    res = sheng.put(f"/api/registry/platforms/{pk}/", {**body, "name": "丙中心"}, format="json")
    assert res.status_code == 200 and res.json()["name"] == "丙中心"
    assert sheng.get("/api/registry/platforms/999999/").status_code == 404
    assert sheng.get("/api/registry/platforms/abc/").status_code == 404
    assert sheng.delete(f"/api/registry/platforms/{pk}/").status_code == 405
    park = sheng.post("/api/registry/platforms/", {**body, "zone": "bygx", "park": "lzxq_a"}, format="json")
    assert park.status_code == 400 and "park" in park.json()["extra"]["fields"]
    bad_on = sheng.get("/api/registry/platforms/?on=2020-13-01")
    assert bad_on.status_code == 400 and "on" in bad_on.json()["extra"]["fields"]
    cands = sheng.get("/api/registry/candidates/").json()
    assert [c["seq"] for c in cands] == [1, 2, 151]
    assert sheng.get(f"/api/registry/candidates/{cands[0]['id']}/").json()["name"] == cands[0]["name"]
    assert sheng.post("/api/registry/candidates/", {}, format="json").status_code == 405
    ent = make_enterprise("甲公司", n=5)
    assert sheng.get(f"/api/registry/enterprises/{ent.credit_code}/").json()["credit_code"] == ent.credit_code
    assert sheng.get("/api/registry/enterprises/?zone=bygx").json() == []
    missing = sheng.get("/api/registry/enterprises/NOPE/policies/")
    assert missing.status_code == 404 and missing.json()["message"] == "未找到该企业 / no such enterprise"
    assert sheng.get("/api/registry/counts/?zone=nowhere").json()["message"] == "未知园区 / unknown zone"
