"""Each role's quarter from the 工作台, in Chromium, using only what is on the screen after login.

No URL is typed after the login page and no id is looked up in the database: every step clicks a
link or a button whose text is the verb.  Screenshots go to ``screenshots/workbench-*.png``.
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
