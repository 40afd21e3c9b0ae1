"""Pages and API of the project reserve and talent pools."""

import pytest
from django.test import Client

from lanbai.core.pools.identity import check_digit

FIRST17 = "62010219851231002"
ID = FIRST17 + check_digit(FIRST17)


@pytest.fixture
def people(shipped_plan_in_db, make_user):
    return {
        "filler": make_user("pp_filler", "zone_reporter", "lzgx"),
        "other": make_user("pp_other", "zone_reporter", "lzjj"),
        "province": make_user("pp_prov", "province", None),
    }


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _propose(c, **over):
    data = {
        "unit": "lzgx",
        "title": "模拟储备项目",
        "field": "新材料",
        "budget_wan": "80",
        "responsible_person": "模拟负责人",
    }
    data.update(over)
    return c.post("/pools/projects/new/", data)


@pytest.mark.django_db
def test_pools_project_pages_propose_advance_and_count(people):
    from lanbai.pools.models import Project
    from lanbai.pools.services import cluster_labels

    code, label = next((k, v) for k, v in cluster_labels().items() if k.startswith("lzgx:"))
    c = _client(people["filler"])
    r = _propose(c, cluster=code)
    assert r.status_code == 302
    p = Project.objects.get(title="模拟储备项目")
    page = c.get(f"/pools/projects/{p.pk}/").content.decode()
    assert f"<dd>{label}</dd>" in page and f"<dd>{code}</dd>" not in page  # no raw code for people
    assert "转为终止" in page and "转为立项" not in page  # 立项 is the province's decision
    prov = _client(people["province"])
    for to, who in (("approved", prov), ("implementing", c), ("accepted", prov)):
        assert who.post(f"/pools/projects/{p.pk}/advance/", {"to": to}).status_code == 302
    r = c.post(f"/pools/projects/{p.pk}/advance/", {"to": "terminated"})
    assert r.status_code == 409 and "不能转为" in r.content.decode()
    listing = prov.get("/pools/?stage=accepted&zone=lzgx").content.decode()
    assert "模拟储备项目" in listing
    assert "模拟储备项目" not in prov.get("/pools/?zone=lzjj").content.decode()
    assert '<td class="num">1</td>' in listing  # one project accepted this year
    assert "模拟储备项目" not in _client(people["other"]).get("/pools/").content.decode()
    assert _client(people["other"]).get(f"/pools/projects/{p.pk}/").status_code == 404


@pytest.mark.django_db
def test_pools_project_form_names_the_field(people):
    r = _propose(_client(people["filler"]), budget_wan="abc")
    assert r.status_code == 400 and "预算（万元）不是数值" in r.content.decode()
    r = _propose(_client(people["filler"]), unit="lzjj")
    assert r.status_code == 400 and "请选择您可以申报的单位" in r.content.decode()


@pytest.mark.django_db
def test_pools_talent_register_needs_consent_and_shows_masked_only(people):
    from lanbai.pools.models import Talent

    c = _client(people["filler"])
    data = {"unit": "lzgx", "name": "模拟人才丙", "id_number": ID}
    r = c.post("/pools/talents/new/", data)
    assert r.status_code == 400 and 'id="consent-error"' in r.content.decode()
    assert not Talent.objects.exists() and ID not in r.content.decode()
    bad = c.post("/pools/talents/new/", {**data, "consent": "on", "id_number": FIRST17 + "Y"})
    assert bad.status_code == 400 and "GB 11643" in bad.content.decode()
    assert c.post("/pools/talents/new/", {**data, "consent": "on"}).status_code == 302
    t = Talent.objects.get()
    dup = c.post("/pools/talents/new/", {**data, "consent": "on"})
    assert dup.status_code == 409 and "已在人才库" in dup.content.decode()
    page = c.get(f"/pools/talents/{t.pk}/").content.decode()
    assert t.id_masked in page and ID not in page and t.id_fingerprint not in page
    assert "政策匹配（附件8" in page and "is_introduced_talent" in page  # art. 6: the fact still missing
    assert _client(people["other"]).get(f"/pools/talents/{t.pk}/").status_code == 404
    assert c.post(f"/pools/talents/{t.pk}/withdraw/").status_code == 302
    t.refresh_from_db()
    assert t.withdrawn_at is not None and t.id_masked == ""
    assert "模拟人才丙" not in c.get("/pools/talents/").content.decode()


@pytest.mark.django_db
def test_pools_api_lists_and_proposes(people):
    c = _client(people["filler"])
    body = {
        "unit": "lzgx",
        "title": "接口项目",
        "field": "信息",
        "budget_wan": "10.5",
        "responsible_person": "模拟",
    }
    r = c.post("/api/pools/projects/", body, content_type="application/json")
    assert r.status_code == 201 and r.json()["stage"] == "reserve"
    assert (
        c.post("/api/pools/projects/", {**body, "unit": "lzjj"}, content_type="application/json").status_code
        == 400
    )
    assert [p["title"] for p in c.get("/api/pools/projects/?stage=reserve").json()] == ["接口项目"]
    assert _client(people["other"]).get("/api/pools/projects/").json() == []
    c.post("/pools/talents/new/", {"unit": "lzgx", "name": "模拟人才丁", "id_number": ID, "consent": "on"})
    rows = c.get("/api/pools/talents/").json()
    assert rows[0]["id_masked"].startswith(ID[:4]) and "id_fingerprint" not in rows[0]
    assert ID not in str(rows)
