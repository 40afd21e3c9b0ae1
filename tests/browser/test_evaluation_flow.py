"""Third-party evaluation (专栏26) and public supervision in a real browser, by clicking only.

(a) 省创新办 registers an evaluator organisation, gives it a member account and assigns it a park; the
evaluator signs in, sees only that park, scores it and submits the report; the 省创新办 returns it
with a reason; the evaluator resubmits; the 省创新办 accepts it.
(b) 省创新办 releases the half year's measure progress; the public opens the measure group's page and
sends a message; the lead unit finds it in its queue.

After the login page no address is typed: every step clicks a link or button on the screen.
Run with ``pytest -m browser tests/browser/test_evaluation_flow.py``.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CREDIT_CODE = "91620100MA73XY123R"


@pytest.fixture
def people(shipped_plan_dir):
    from django.contrib.auth import get_user_model

    from lanbai.access.services import user_scope_grant
    from lanbai.evaluation import services as evaluation
    from lanbai.execution import services as execution
    from lanbai.plans.selectors import orgunit_get
    from lanbai.plans.services import plan_load_into_db

    plan_load_into_db(plan_dir=shipped_plan_dir)
    execution.execution_load()
    evaluation.evaluation_scheme_register(None, plan_dir=shipped_plan_dir)
    for name, role, unit in (("sheng", "province", None), ("fill_lzxq", "zone_reporter", "lzxq")):
        u = get_user_model().objects.create_user(username=name, password="pw-" + name)
        user_scope_grant(by=None, user=u, role=role, unit=orgunit_get(unit) if unit else None)


def _page(browser):
    return browser.new_context(locale="zh-CN").new_page()


def _login(page, base, username, password=None):
    page.goto(f"{base}/accounts/login/")  # the only address typed
    page.fill("#id_username", username)
    page.fill("#id_password", password or "pw-" + username)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/workbench/")


def _logout(page):
    page.click("header form.inline button:has-text('退出')")
    page.wait_for_load_state()


def _nav(page, label):
    page.click(f"header nav a:has-text('{label}')")
    page.wait_for_load_state()


def _approved_report(code, *, evidence=None, status="in_progress", pct="60", narrative="园区道路完成一期"):
    """兰州新区管委会's 2019Q2 report on ``code``, approved by the 省创新办 (through the services)."""
    from django.contrib.auth import get_user_model

    from lanbai.execution import selectors, services

    filler = get_user_model().objects.get(username="fill_lzxq")
    report = services.report_form_save(
        filler, measure=selectors.measure_get(filler, code), unit_code="lzxq_committee", period="2019Q2",
        status=status, pct=pct, narrative=narrative, late_reason="", submit=True, evidence=evidence,
    )
    services.report_review(get_user_model().objects.get(username="sheng"), pk=report.pk, approve=True)


def test_province_commissions_an_evaluation_and_reviews_the_report(browser, live_server, people, screenshots):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from lanbai.evaluation.models import EvaluationReport

    _approved_report("c05_02", evidence=SimpleUploadedFile("装备园验收报告.pdf", b"%PDF-1.4 acceptance"))
    base = live_server.url
    page = _page(browser)
    _login(page, base, "sheng")
    _nav(page, "第三方评估")
    page.click("text=登记第三方评估机构")
    page.get_by_label("评估机构名称").fill("陇原科技评估中心（模拟数据）")
    page.get_by_label("统一社会信用代码").fill("91620100MA73XY1230")  # a wrong check character
    page.click("main button:has-text('登记')")
    page.wait_for_selector("text=校验码不符")
    page.get_by_label("统一社会信用代码").fill(CREDIT_CODE)
    page.click("main button:has-text('登记')")
    page.wait_for_selector("h1:has-text('陇原科技评估中心')")
    member = page.locator("form[aria-label='添加成员']")
    member.get_by_label("用户名").fill("pinggu")
    member.get_by_label("姓名（新建账号时填写）").fill("评估员甲")
    member.get_by_label("初始密码（新建账号时填写）").fill("Longyuan-eval-2019")
    member.locator("button").click()
    page.wait_for_selector("main li:has-text('评估员甲')")
    assign = page.locator("form[aria-label='委托评估']")
    assign.get_by_label("评估年度").fill("2019")
    assign.get_by_label("兰州新区", exact=True).check()
    assign.locator("button").click()
    page.wait_for_selector("main table a:has-text('兰州新区')")
    page.screenshot(path=str(screenshots / "evaluation-organisation.png"), full_page=True)
    _logout(page)

    _login(page, base, "pinggu", "Longyuan-eval-2019")
    _nav(page, "第三方评估")
    links = page.locator("main table a").all_inner_texts()
    assert links == ["兰州新区"]  # only the assigned park
    page.click("main table a:has-text('兰州新区')")
    page.wait_for_selector("h1:has-text('兰州新区')")
    with page.expect_download() as download:  # the approved report's evidence, as uploaded
        page.click("main a:has-text('装备园验收报告.pdf')")
    assert open(download.value.path(), "rb").read() == b"%PDF-1.4 acceptance"
    for label, score in (("目标指标完成情况", "8"), ("重点任务推进情况", "9"), ("创新能力与成果", "7"),
                         ("体制机制与服务保障", "8")):
        page.get_by_label(label).fill(score)
    page.get_by_label("评估发现").fill("研发平台建设进展明显，人才引进偏慢")
    page.click("main button:has-text('保存评分')")
    page.wait_for_selector("text=加权总分")
    page.screenshot(path=str(screenshots / "evaluation-score.png"), full_page=True)
    page.click("header nav a:has-text('第三方评估') >> nth=-1")
    page.click("main button:has-text('提交评估报告')")
    page.wait_for_selector("main td:has-text('已提交')")
    _logout(page)

    _login(page, base, "sheng")
    _nav(page, "第三方评估")
    assert "研发平台建设进展明显" in page.content()
    page.get_by_label("退回理由").fill("请补充人才引进的佐证")
    page.click("main button:has-text('退回')")
    page.wait_for_selector("main td:has-text('请补充人才引进的佐证')")
    _logout(page)

    _login(page, base, "pinggu", "Longyuan-eval-2019")
    _nav(page, "第三方评估")
    assert "请补充人才引进的佐证" in page.content()
    page.click("main button:has-text('提交评估报告')")
    page.wait_for_selector("main td:has-text('已提交')")
    _logout(page)

    _login(page, base, "sheng")
    _nav(page, "第三方评估")
    page.click("main button:has-text('接受')")
    page.wait_for_selector("main td:has-text('已接受')")
    page.screenshot(path=str(screenshots / "evaluation-accepted.png"), full_page=True)
    report = EvaluationReport.objects.get()
    assert (report.state, report.submissions) == ("accepted", 2)


def test_public_sees_released_progress_and_its_message_reaches_the_lead_unit(
    browser, live_server, people, screenshots
):
    _approved_report("c05_01")
    base = live_server.url
    page = _page(browser)
    _login(page, base, "sheng")
    _nav(page, "规划举措")
    page.click("main a:has-text('进展发布（省创新办）')")
    page.get_by_label("报告期（半年：第二或第四季度）").fill("2019Q2")
    page.click("main button:has-text('发布')")
    page.wait_for_selector("main td:has-text('2019Q2')")
    _logout(page)

    public = _page(browser)
    public.goto(f"{base}/")  # an anonymous visitor starts on the home page
    _nav(public, "举措进展公开")
    public.click("main a:has-text('空间布局')")
    public.wait_for_selector("main td:has-text('石油化工产业')")
    row = public.locator("main tr:has-text('c05_01')")
    assert "推进中" in row.inner_text() and "60" in row.inner_text()
    public.get_by_label("举措").select_option(label="c05_01 石油化工产业")
    public.get_by_label("留言").fill("希望公开园区道路二期的开工时间")
    public.click("main button:has-text('提交留言')")
    public.wait_for_selector("[role=status]")
    public.screenshot(path=str(screenshots / "public-feedback.png"), full_page=True)

    _login(page, base, "fill_lzxq")
    _nav(page, "规划举措")
    page.click("main a:has-text('公众留言')")
    page.wait_for_selector("main td:has-text('希望公开园区道路二期的开工时间')")
    page.click("main button:has-text('标记为已处理')")
    page.wait_for_selector("main td:has-text('已处理')")
