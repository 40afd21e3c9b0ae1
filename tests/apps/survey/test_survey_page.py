"""The staff page /survey/<year>/: strata, response rates, estimates with SE and CI; never an enterprise."""

from __future__ import annotations

from django.test import Client


def test_survey_page_for_staff(survey_frame, make_user):
    from lanbai.survey import selectors, services

    province = make_user("sheng_page_survey", "province")
    services.survey_round_draw(province, 2019)
    units = selectors.round_units(2019)
    base = {
        "prod_goods": False,
        "prod_services": False,
        "proc_production": True,
        "proc_logistics": False,
        "proc_ict": False,
        "proc_admin": False,
        "proc_organisation": False,
        "proc_marketing": False,
        "rd_inhouse": 12345678,
        "rd_external": 0,
        "other_innovation": 0,
        "coop_any": False,
        "info_sources": ["internal"],
        "obs_cost": 4,
        "obs_finance": 1,
        "obs_staff": 1,
        "obs_market": 1,
        "ip_patent": False,
        "ip_trademark": False,
    }
    for u in units[:4]:
        services.response_save(province, u, base, submit=True)
    client = Client()
    client.force_login(make_user("fill_bygx_page", "zone_reporter", "bygx"))
    page = client.get("/survey/2019/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2019 年企业创新调查" in text and "回答率" in text and "95% 置信区间" in text
    assert "e+" not in text and "万元" in text and "%" in text
    assert "兰州新区" not in text.split("分层与回答情况")[1].split("主要指标估计")[0]  # strata of bygx only
    # the 催报 list names the zone's own non-respondents only (zone staff may read them); never another zone's
    assert all(e.name not in text and e.credit_code not in text for e in survey_frame if e.zone.code != "bygx")
    assert "12,345,678" not in text and "12345678" not in text
    assert client.get("/survey/2018/").status_code == 200  # not drawn: said so
    ent = make_user("ent_page_survey", "zone_reporter", "bygx")
    from lanbai.access.models import UserScope

    UserScope.objects.filter(user=ent).update(role="enterprise_reporter", org_unit=survey_frame[0].org_unit)
    client.force_login(ent)
    assert client.get("/survey/2019/").status_code in (403, 404)
