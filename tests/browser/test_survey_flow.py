"""The innovation survey in a real browser: an enterprise fills and submits its questionnaire (a skip-logic
question, one validation error corrected), the province publishes the 创新调查报告 and the public sees it.

Run with ``pytest -m browser tests/browser/test_survey_flow.py``.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(shipped_plan_dir):
    from django.contrib.auth import get_user_model

    from lanbai.access.services import user_scope_grant
    from lanbai.collection import services as cs
    from lanbai.core.collection.creditcode import check_character
    from lanbai.plans.selectors import orgunit_get
    from lanbai.plans.services import plan_load_into_db
    from lanbai.survey import services

    plan_load_into_db(plan_dir=shipped_plan_dir)
    zone = orgunit_get("lzxq")
    ents = []
    for n in range(1, 4):  # three enterprises: the stratum is taken whole (min_per_stratum 3)
        first = f"91620100MA{800 + n:07d}"
        ents.append(cs.enterprise_register(user=None, zone=zone, credit_code=first + check_character(first),
                                           name=f"调查测试企业{n}"))
    users = {}
    for name, role, unit in (("ent_survey", "enterprise_reporter", ents[0].org_unit), ("sheng", "province", None)):
        users[name] = get_user_model().objects.create_user(username=name, password="pw-" + name)
        user_scope_grant(by=None, user=users[name], role=role, unit=unit)
    services.survey_round_draw(users["sheng"], 2019)
    base = {"prod_goods": False, "prod_services": False, "proc_production": True, "proc_logistics": False,
            "proc_ict": False, "proc_admin": False, "proc_organisation": False, "proc_marketing": False,
            "rd_inhouse": 30, "rd_external": 0, "other_innovation": 5, "coop_any": False,
            "info_sources": ["internal"], "obs_cost": 3, "obs_finance": 4, "obs_staff": 2, "obs_market": 1,
            "ip_patent": False, "ip_trademark": True}
    from lanbai.survey import selectors

    for u in selectors.round_units(2019):
        if u.enterprise_id != ents[0].org_unit_id:
            services.response_save(users["sheng"], u, base, submit=True)
    return users


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/workbench/")


def _answer(page, question: str, label: str) -> None:
    """Tick the option ``label`` of the question whose legend is ``question`` (as a person reads the form)."""
    page.locator("fieldset.inline", has=page.locator("legend", has_text=question)).get_by_label(label, exact=True).check()


def test_enterprise_submits_and_public_sees_the_report(browser, live_server, people, screenshots):
    base = live_server.url
    page = browser.new_page(locale="zh-CN")
    _login(page, base, "ent_survey")
    page.get_by_role("link", name="填写问卷").click()
    page.wait_for_selector("text=2019 年企业创新调查问卷")
    for q, a in (("是否推出新的或改进的商品", "是"), ("是否推出新的或改进的服务", "否"),
                 ("生产商品或提供服务的方法", "是"), ("物流、交付或分销方法", "否"), ("信息与通信系统", "否"),
                 ("行政管理方法", "否"), ("业务流程与外部关系组织方法", "否"), ("营销方法", "否"),
                 ("产品创新的新颖程度", "对市场是新的"),
                 ("是否与其他机构开展创新合作", "否"),  # skip logic: 合作伙伴类型 is not asked
                 ("是否申请发明专利", "是"), ("是否注册商标", "否")):
        _answer(page, q, a)
    page.get_by_label("高等学校").first.check()  # a partner ticked anyway: dropped, the question is skipped
    for q, a in (("创新成本过高", "4 高"), ("缺乏资金", "3 中等"), ("缺乏合格人才", "2 较低"), ("市场需求不确定", "1 不重要")):
        _answer(page, q, a)
    page.get_by_label("内部研发经费支出（万元）").fill("一百")  # not a number
    page.get_by_label("外部研发经费支出（万元）").fill("0")
    page.get_by_label("其他创新活动经费支出（万元）").fill("12.5")
    page.get_by_label("发明专利申请数（件）").fill("2")
    page.get_by_role("button", name="提交问卷").click()
    page.wait_for_selector("text=内部研发经费支出（rd_inhouse）：应为数字")
    page.screenshot(path=str(screenshots / "survey-answer-error.png"), full_page=True)
    page.get_by_label("内部研发经费支出（万元）").fill("120")
    page.get_by_role("button", name="提交问卷").click()
    page.wait_for_selector("text=问卷已提交")
    from lanbai.survey.models import Response

    mine = Response.objects.filter(state="submitted").order_by("-submitted_at").first()
    assert mine.answers["rd_inhouse"] == 120 and "coop_partners" not in mine.answers
    assert mine.answers["ip_patent_count"] == 2

    page.context.clear_cookies()
    _login(page, base, "sheng")
    page.goto(f"{base}/reports/")
    page.select_option("#kind", "survey")
    page.fill("#period", "2019")
    page.click("text=生成")
    page.wait_for_selector("text=兰白调查〔2019〕第1号")
    number_url = page.url
    anon = browser.new_page(locale="zh-CN")
    assert anon.goto(number_url).status == 404  # a draft: nobody else sees it
    page.get_by_role("button", name="发布").click()
    page.wait_for_selector("text=已发布")
    anon.goto(f"{base}/reports/")
    anon.get_by_role("link", name="兰白调查〔2019〕第1号").first.click()
    anon.wait_for_selector("text=兰白调查〔2019〕第1号")
    anon.goto(anon.url + "file.html")
    assert "创新型企业占比" in anon.content() and "95%置信区间" in anon.content()
    anon.screenshot(path=str(screenshots / "survey-report.png"), full_page=True)
