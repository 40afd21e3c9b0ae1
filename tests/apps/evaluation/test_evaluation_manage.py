"""The 省创新办's evaluation management pages: organisation (errors per field), members, assignments,
conflicts (which block an assignment); an evaluator declares a conflict for its own organisation."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

CODE = "91620100MA73XY123R"


@pytest.fixture
def province(shipped_plan_in_db, make_user):
    c = Client()
    c.force_login(make_user("sheng_mg", "province"))
    return c


def _org(province) -> int:
    from lanbai.evaluation.models import EvaluatorOrganisation

    res = province.post("/evaluation/organisations/new/", {"name": "评估中心（模拟数据）", "credit_code": CODE})
    assert res.status_code == 302
    return EvaluatorOrganisation.objects.get(credit_code=CODE).pk


def test_organisation_form_names_every_bad_field_and_writes_nothing(province):
    from lanbai.evaluation.models import EvaluatorOrganisation

    res = province.post("/evaluation/organisations/new/", {"name": " ", "credit_code": "91620100MA73XY1230"})
    assert res.status_code == 400
    errors = res.context["form"].errors
    assert "credit_code" in errors and "校验码不符" in errors["credit_code"][0]
    assert "name" in errors
    assert not EvaluatorOrganisation.objects.exists()
    pk = _org(province)
    again = province.post("/evaluation/organisations/new/", {"name": "另一家", "credit_code": CODE.lower()})
    assert again.status_code == 400 and "已登记" in again.context["form"].errors["credit_code"][0]
    assert EvaluatorOrganisation.objects.count() == 1
    assert f"/evaluation/organisations/{pk}/" in province.get("/evaluation/").content.decode()


def test_member_account_assignment_and_conflict_blocking(province, django_user_model, make_user):
    from lanbai.access.policy import Action, can
    from lanbai.evaluation.models import Assignment
    from lanbai.plans.models import OrgUnit

    pk = _org(province)
    base = f"/evaluation/organisations/{pk}/"
    res = province.post(base + "members/", {"username": "pg_new"})
    assert res.status_code == 400 and "初始密码" in res.context["member_form"].errors["password"][0]
    assert province.post(base + "members/", {"username": "pg_new", "full_name": "评估员甲",
                                             "password": "Lanbai-eval-2019"}).status_code == 302
    member = django_user_model.objects.get(username="pg_new")
    assert member.check_password("Lanbai-eval-2019")
    make_user("zone_rep", "zone_reporter", "lzxq")
    res = province.post(base + "members/", {"username": "zone_rep"})
    assert res.status_code == 400 and "其他角色" in res.context["member_form"].errors["username"][0]
    # the member declares a conflict on its organisation's page
    ev = Client()
    ev.force_login(member)
    assert f"/evaluation/organisations/{pk}/" in ev.get("/evaluation/").content.decode()
    page = ev.get(base)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="nature"' in body  # the conflict form; not the 省创新办's member and assignment forms
    assert 'name="units"' not in body and 'name="password"' not in body
    assert ev.post(base + "conflicts/", {"unit": "lzgx", "nature": "曾为该园区编制规划"}).status_code == 302
    assert ev.post(base + "assign/", {"year": "2019", "units": ["lzxq"]}).status_code == 403
    # the conflict blocks the assignment, with the reason on the units field; nothing is written
    res = province.post(base + "assign/", {"year": "2019", "units": ["lzxq", "lzgx"]})
    assert res.status_code == 400
    msg = res.context["assign_form"].errors["units"][0]
    assert "利益冲突" in msg and "曾为该园区编制规划" in msg
    assert not Assignment.objects.exists()
    res = province.post(base + "assign/", {"year": "2031", "units": ["lzxq"]})
    assert res.status_code == 400 and "规划期" in res.context["assign_form"].errors["year"][0]
    assert province.post(base + "assign/", {"year": "2019", "units": ["lzxq"]}).status_code == 302
    assert can(member, Action.READ_FIGURES, OrgUnit.objects.get(code="lzxq"))
    assert not can(member, Action.READ_FIGURES, OrgUnit.objects.get(code="bygx"))


def test_organisation_page_is_for_the_province_and_its_members_only(province, make_user):
    pk = _org(province)
    other = Client()
    other.force_login(make_user("rep_x", "zone_reporter", "lzxq"))
    assert other.get(f"/evaluation/organisations/{pk}/").status_code == 404
    assert other.post(f"/evaluation/organisations/{pk}/conflicts/", {"unit": "lzxq", "nature": "x"}).status_code == 404
    assert other.get("/evaluation/organisations/new/").status_code == 403


def test_province_retires_an_assignment_with_a_reason(province, django_user_model):
    from lanbai.access.policy import Action, can
    from lanbai.evaluation import services
    from lanbai.evaluation.models import Assignment, EvaluatorOrganisation
    from lanbai.plans.models import OrgUnit

    pk = _org(province)
    org = EvaluatorOrganisation.objects.get(pk=pk)
    member = django_user_model.objects.create_user(username="pg_r", password="pw")
    services.member_add(None, org, member)
    a = services.assign(None, org, year=2019, unit_codes=["lzxq"])
    lzxq = OrgUnit.objects.get(code="lzxq")
    assert can(member, Action.READ_FIGURES, lzxq)
    ev = Client()
    ev.force_login(member)
    assert ev.post(f"/evaluation/assignments/{a.pk}/retire/", {"reason": "x"}).status_code == 403
    assert province.post(f"/evaluation/assignments/{a.pk}/retire/", {"reason": ""}).status_code == 400
    assert not Assignment.objects.get(pk=a.pk).retired
    assert province.post(f"/evaluation/assignments/{a.pk}/retire/", {"reason": "合同终止"}).status_code == 302
    assert Assignment.objects.get(pk=a.pk).retired
    assert not can(member, Action.READ_FIGURES, lzxq)
    assert "已撤销" in province.get(f"/evaluation/organisations/{pk}/").content.decode()
