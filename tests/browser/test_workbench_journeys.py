"""Each role's quarter from the 工作台, in Chromium, using only what is on the screen after login.

No URL is typed after the login page and no id is looked up in the database: every step clicks a
link or a button whose text is the verb.  Screenshots go to ``screenshots/workbench-*.png``.
The fixtures set the scene (people, last year's approved report) through the services only.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import openpyxl
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps" / "collection"))
from reporting_helpers import zone_row  # noqa: E402

CODE_ROW, DATA_ROW = 5, 6  # lanbai.core.collection.excel: field codes, then the data row


@pytest.fixture
def people(settings, shipped_plan_dir):
    from django.contrib.auth import get_user_model

    from lanbai.access.models import UserScope
    from lanbai.plans.models import OrgUnit
    from lanbai.plans.services import plan_load_into_db

    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000
    plan_load_into_db(plan_dir=shipped_plan_dir)
    for name, role, unit in (
        ("fill_lzxq", "zone_reporter", "lzxq"),
        ("review_lzxq", "zone_reviewer", "lzxq"),
        ("fill_bygx", "zone_reporter", "bygx"),
        ("sheng", "province", None),
    ):
        u = get_user_model().objects.create_user(username=name, password="pw-" + name, email=f"{name}@example.org")
        UserScope.objects.create(user=u, role=role, org_unit=OrgUnit.objects.get(code=unit) if unit else None)


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")  # the only address typed: the login page
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/workbench/")  # LOGIN_REDIRECT_URL: the 工作台


def logout(page):
    page.click("header form.inline button:has-text('退出')")
    page.wait_for_load_state()


def fill_template(path: Path, out: Path, **over) -> None:
    """Fill the downloaded template's data row the way a person would in Excel (openpyxl here)."""
    wb = openpyxl.load_workbook(path)
    ws = wb[wb.sheetnames[0]]
    values = zone_row(**over)
    for col in range(1, ws.max_column + 1):
        code = ws.cell(CODE_ROW, col).value
        if code in values:
            ws.cell(DATA_ROW, col).value = values[code]
    buf = io.BytesIO()
    wb.save(buf)
    out.write_bytes(buf.getvalue())


def download_fill_upload(page, tmp_path, due, *, name: str, **over) -> str:
    """下载模板 of the workbench row ``due``, fill it, 上传 it; the upload result page is left open."""
    period = due.get_attribute("data-period")
    with page.expect_download() as dl:
        due.get_by_role("link", name="下载模板").click()
    template, filled = tmp_path / f"t-{name}.xlsx", tmp_path / f"{name}.xlsx"
    dl.value.save_as(template)
    fill_template(template, filled, **over)
    due.get_by_role("link", name="上传").click()
    upload_file(page, filled)
    return period


def upload_file(page, path: Path) -> None:
    page.set_input_files("input[type=file]", str(path))
    page.click("main form button[type=submit]")
    page.wait_for_selector("main section[aria-live] h2")


def filler_upload_and_submit(page, tmp_path, screenshots, *, shot: str, row: int = 0, **over) -> str:
    """From the workbench: 下载模板 of a due report, fill it, 上传, back to 工作台, 上报. Returns the period."""
    due = page.locator("table.due tbody tr").nth(row)
    period = due.get_attribute("data-period")
    with page.expect_download() as dl:
        due.get_by_role("link", name="下载模板").click()
    name = dl.value.suggested_filename
    assert name == f"兰白统Q1表-兰州新区-{period}.xlsx", name
    template, filled = tmp_path / f"t-{period}.xlsx", tmp_path / f"兰州新区-{period}.xlsx"
    dl.value.save_as(template)
    fill_template(template, filled, **over)
    due.get_by_role("link", name="上传").click()
    page.set_input_files("input[type=file]", str(filled))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已接受")
    page.screenshot(path=str(screenshots / f"workbench-{shot}-uploaded.png"), full_page=True)
    page.get_by_role("link", name="工作台").first.click()
    draft = page.locator(f"table.due tbody tr[data-period='{period}']").first
    assert draft.get_attribute("data-status") in ("草稿", "已退回")
    page.screenshot(path=str(screenshots / f"workbench-{shot}-draft.png"), full_page=True)
    draft.get_by_role("button", name="上报").click()
    page.wait_for_load_state()
    assert page.locator(f"table.due tbody tr[data-period='{period}']").first.get_attribute("data-status") == "已上报"
    return period


def test_each_role_completes_the_quarter_from_the_workbench(browser, live_server, people, tmp_path, screenshots):
    base = live_server.url
    ctx = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()

    # 填报员: download, fill, upload, 上报 — all from the workbench
    login(page, base, "fill_lzxq")
    page.screenshot(path=str(screenshots / "workbench-filler.png"), full_page=True)
    period = filler_upload_and_submit(page, tmp_path, screenshots, shot="filler")
    logout(page)

    # 审核员: 审核 link on the workbench, 退回 with a reason on the report page
    login(page, base, "review_lzxq")
    page.screenshot(path=str(screenshots / "workbench-reviewer.png"), full_page=True)
    page.locator("ul.waiting li", has_text=period).get_by_role("link", name="审核").click()
    assert page.get_by_role("heading", name="填报数值与对比").is_visible()
    assert page.get_by_role("link", name="异常值对比").is_visible()
    page.screenshot(path=str(screenshots / "workbench-review-workspace.png"), full_page=True)
    page.get_by_label("退回原因").first.fill("地区生产总值与统计局口径不符，请核实")
    page.get_by_role("button", name="退回").first.click()
    page.wait_for_load_state()
    assert "已退回" in page.locator("p", has_text="状态").first.inner_text()
    logout(page)

    # 填报员 sees the reason and who returned it, corrects, re-uploads, 上报
    login(page, base, "fill_lzxq")
    row = page.locator(f"table.due tbody tr[data-period='{period}']").first
    assert row.get_attribute("data-status") == "已退回"
    assert "统计局口径不符" in row.inner_text() and "review_lzxq" in row.inner_text()
    page.screenshot(path=str(screenshots / "workbench-filler-returned.png"), full_page=True)
    index = [r.get_attribute("data-period") for r in page.locator("table.due tbody tr").all()].index(period)
    filler_upload_and_submit(page, tmp_path, screenshots, shot="filler-corrected", row=index, gdp=130000.5)
    logout(page)

    # 审核员 审核通过 on the report page (the diff shows the correction)
    login(page, base, "review_lzxq")
    page.locator("ul.waiting li", has_text=period).get_by_role("link", name="审核").click()
    assert page.get_by_role("heading", name="版本差异").is_visible()
    assert "130,000.5" in page.content()
    page.get_by_role("button", name="审核通过").click()
    page.wait_for_load_state()
    assert "园区已审核" in page.content()
    logout(page)

    # 省创新办: 终审通过, then 催报 a missing unit from the completeness matrix
    login(page, base, "sheng")
    page.screenshot(path=str(screenshots / "workbench-province.png"), full_page=True)
    page.locator("ul.waiting li", has_text=period).get_by_role("link", name="审核").click()
    page.get_by_role("button", name="终审通过").click()
    page.wait_for_load_state()
    assert "已审核" in page.locator("p", has_text="状态").first.inner_text()
    page.get_by_role("link", name="返回工作台").click()
    page.get_by_role("button", name=f"催报 白银高新区 {period}").click()
    page.wait_for_selector("text=已催报")
    page.screenshot(path=str(screenshots / "workbench-province-reminded.png"), full_page=True)
    logout(page)

    # the reminded filler sees it on their workbench
    login(page, base, "fill_bygx")
    assert "请尽快报送" in page.locator("ul.notices").inner_text()
    page.screenshot(path=str(screenshots / "workbench-reminded-filler.png"), full_page=True)
    ctx.close()


def test_filler_journey_on_a_phone(browser, live_server, people, tmp_path, screenshots):
    ctx = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = ctx.new_page()
    login(page, live_server.url, "fill_lzxq")
    page.screenshot(path=str(screenshots / "workbench-phone.png"), full_page=True)
    filler_upload_and_submit(page, tmp_path, screenshots, shot="phone")
    page.screenshot(path=str(screenshots / "workbench-phone-submitted.png"), full_page=True)
    ctx.close()


LAST_YEAR_GDP = 60000  # the template row's gdp (zone_row: 120000.5) is +100 % on it: gdp_yoy (±50 %) breaks


@pytest.fixture
def last_year_approved(people):
    """兰州新区's approved report of the same quarter last year as the newest period on the workbench."""
    from django.contrib.auth import get_user_model

    from lanbai.collection import selectors, services
    from lanbai.plans.models import OrgUnit

    users = {u.username: u for u in get_user_model().objects.all()}
    period = selectors.quarter_today().previous().same_quarter_last_year()
    values = {k: str(v) for k, v in zone_row(gdp=LAST_YEAR_GDP).items()}
    sub, _ = services.submission_save_version(
        user=users["fill_lzxq"], form_code="兰白统Q1表", unit=OrgUnit.objects.get(code="lzxq"), period=period,
        values=values,
    )
    services.submission_submit(user=users["fill_lzxq"], submission=sub)
    services.submission_review(user=users["review_lzxq"], submission=sub, approve=True)
    services.submission_final_approve(user=users["sheng"], submission=sub)
    return str(period)


def test_filler_explains_a_soft_rule_warning_before_上报(
    browser, live_server, people, last_year_approved, tmp_path, screenshots
):
    ctx = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    login(page, live_server.url, "fill_lzxq")
    period = download_fill_upload(page, tmp_path, page.locator("table.due tbody tr").first, name="soft")
    # accepted as a draft, with the 核实性审核 warning in words
    assert "已接受" in page.locator("main section[aria-live] h2").inner_text()
    warning = page.locator("table[data-soft-warnings]")
    assert "地区生产总值同比变化超过50%" in warning.inner_text() and "gdp_yoy" not in warning.inner_text()
    page.screenshot(path=str(screenshots / "workbench-soft-warning.png"), full_page=True)
    # 上报 from the workbench is refused until the warning is explained; the report page asks why
    page.get_by_role("link", name="工作台").first.click()
    draft = page.locator(f"table.due tbody tr[data-period='{period}']").first
    assert draft.get_attribute("data-status") == "草稿"
    draft.get_by_role("button", name="上报").click()
    page.wait_for_load_state()
    assert "逐条说明原因" in page.get_by_role("alert").inner_text()
    assert "草稿" in page.locator("p", has_text="状态").first.inner_text()
    explain = page.get_by_label("说明原因", exact=False)
    assert explain.count() == 1
    explain.fill("新区引进的大型项目于本季度投产，地区生产总值大幅增加")
    page.screenshot(path=str(screenshots / "workbench-soft-explain.png"), full_page=True)
    page.locator("form[data-form=submit]").get_by_role("button", name="上报").click()
    page.wait_for_load_state()
    assert "已上报" in page.locator("p", has_text="状态").first.inner_text()  # submitted to the zone reviewer
    assert "大型项目于本季度投产" in page.locator("section[data-soft-warnings]").inner_text()
    page.get_by_role("link", name="返回工作台").click()
    assert page.locator(f"table.due tbody tr[data-period='{period}']").first.get_attribute("data-status") == "已上报"
    page.screenshot(path=str(screenshots / "workbench-soft-submitted.png"), full_page=True)
    ctx.close()


def test_late_reporting_requested_by_the_zone_and_granted_by_the_province(
    browser, live_server, people, settings, tmp_path, screenshots
):
    settings.LANBAI_PERIOD_LOCK_DAYS = None  # the forms data's calendar: the oldest period listed is locked
    base = live_server.url
    ctx = browser.new_context(accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = ctx.new_page()

    # 填报员: the upload of a locked period is refused, with 申请逾期填报 next to the refusal
    login(page, base, "fill_lzxq")
    due = page.locator("table.due tbody tr").last
    period = download_fill_upload(page, tmp_path, due, name="late")
    assert "已拒绝" in page.locator("main section[aria-live] h2").inner_text()
    assert "报告期已锁定" in page.locator("table.problems").inner_text()
    page.screenshot(path=str(screenshots / "workbench-late-refused.png"), full_page=True)
    page.get_by_role("link", name="申请逾期填报").click()
    page.get_by_label("申请理由").fill("统计人员调整，本期报表未能按时报送，申请补报")
    page.locator("section[data-late-request-form]").get_by_role("button", name="申请逾期填报").click()
    page.wait_for_load_state()
    mine = page.locator("section[data-late-requests] tbody tr", has_text=period)
    assert mine.get_attribute("data-status") == "pending" and "待批准" in mine.inner_text()
    page.screenshot(path=str(screenshots / "workbench-late-requested.png"), full_page=True)
    logout(page)

    # 省创新办: the request is on the workbench; 准予逾期填报 on the late-reporting page
    login(page, base, "sheng")
    pending = page.locator("ul.late-requests li", has_text=period)
    assert "兰州新区" in pending.inner_text() and "统计人员调整" in pending.inner_text()
    page.get_by_role("link", name="处理逾期填报申请").click()
    row = page.locator("section[data-late-requests] tbody tr", has_text=period)
    row.get_by_role("button", name="准予逾期填报").click()
    page.wait_for_load_state()
    row = page.locator("section[data-late-requests] tbody tr", has_text=period)
    assert row.get_attribute("data-status") == "granted"
    page.screenshot(path=str(screenshots / "workbench-late-granted.png"), full_page=True)
    logout(page)

    # 填报员: the same file is now accepted for that period, a draft on the workbench
    login(page, base, "fill_lzxq")
    page.locator(f"table.due tbody tr[data-period='{period}']").first.get_by_role("link", name="上传").click()
    upload_file(page, tmp_path / "late.xlsx")
    assert "已接受" in page.locator("main section[aria-live] h2").inner_text()
    page.get_by_role("link", name="工作台").first.click()
    assert page.locator(f"table.due tbody tr[data-period='{period}']").first.get_attribute("data-status") == "草稿"
    page.screenshot(path=str(screenshots / "workbench-late-uploaded.png"), full_page=True)
    ctx.close()
