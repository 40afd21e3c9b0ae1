"""The whole quarter in a real browser: upload with an error, fix, submit, two approvals, dashboard, PDF.

Run with ``pytest -m browser tests/browser``.  Screenshots of the main pages go to ``screenshots/``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "apps" / "collection"))
from reporting_helpers import zone_file  # noqa: E402

GDP_WAN = 1_234_567.8  # 万元 → 123.46 亿元 on the dashboard
FIGURE = "123.46"


@pytest.fixture
def quarter(settings, shipped_plan_dir):
    from django.contrib.auth import get_user_model

    from lanbai.access.models import UserScope
    from lanbai.plans.models import OrgUnit
    from lanbai.plans.services import plan_load_into_db

    settings.LANBAI_PERIOD_LOCK_DAYS = 100_000
    plan_load_into_db(plan_dir=shipped_plan_dir)
    users = {}
    for name, role, unit in (
        ("fill_lzxq", "zone_reporter", "lzxq"),
        ("review_lzxq", "zone_reviewer", "lzxq"),
        ("sheng", "province", None),
    ):
        users[name] = get_user_model().objects.create_user(username=name, password="pw-" + name)
        UserScope.objects.create(
            user=users[name], role=role, org_unit=OrgUnit.objects.get(code=unit) if unit else None
        )
    return users


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/workbench/")  # LOGIN_REDIRECT_URL: the 工作台


def logout(page):
    page.click("header form.inline button:has-text('退出')")


def test_quarter_from_upload_to_published_bulletin(browser, live_server, quarter, tmp_path, screenshots):
    from lanbai.collection.models import Submission

    base = live_server.url
    bad, good = tmp_path / "兰州新区-bad.xlsx", tmp_path / "兰州新区.xlsx"
    bad.write_bytes(zone_file(period="2018Q4", gdp=-3))
    good.write_bytes(zone_file(period="2018Q4", gdp=GDP_WAN))
    context = browser.new_context(
        accept_downloads=True, locale="zh-CN", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()

    # 园区填报员: upload with an error, see it, fix, upload, submit
    login(page, base, "fill_lzxq")
    page.goto(f"{base}/collection/upload/")
    page.set_input_files("input[type=file]", str(bad))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已拒绝")
    assert "value.below_min" in page.content()
    page.screenshot(path=str(screenshots / "upload-error.png"), full_page=True)
    page.set_input_files("input[type=file]", str(good))
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=已接受")
    sub = Submission.objects.get(org_unit__code="lzxq", period="2018Q4")
    page.goto(f"{base}/collection/submissions/{sub.pk}/")
    page.click("main button:has-text('上报')")
    page.wait_for_load_state()
    sub.refresh_from_db()
    assert sub.status == "submitted"
    logout(page)

    # 园区审核员 approves
    login(page, base, "review_lzxq")
    page.goto(f"{base}/collection/queue/")
    page.screenshot(path=str(screenshots / "review-queue.png"), full_page=True)
    page.click("main button:has-text('审核通过')")
    page.wait_for_load_state()
    sub.refresh_from_db()
    assert sub.status == "zone_approved"
    logout(page)

    # 省创新办 gives the final approval; the dashboard shows the figure
    login(page, base, "sheng")
    page.goto(f"{base}/collection/queue/")
    page.click("main button:has-text('终审通过')")
    page.wait_for_load_state()
    sub.refresh_from_db()
    assert sub.status == "approved"
    page.goto(f"{base}/zones/lzxq/")  # staff see the approved figure, marked 未发布
    assert FIGURE in page.content() and "未发布" in page.content()
    page.screenshot(path=str(screenshots / "zone-lzxq.png"), full_page=True)
    page.goto(f"{base}/indicators/grp/")
    assert page.locator("svg[role=img]").count() >= 1
    page.screenshot(path=str(screenshots / "indicator-grp.png"), full_page=True)
    # an anonymous visitor does not see the approved-but-unpublished figure (issue 13)
    anon_context = browser.new_context(locale="zh-CN")
    anon = anon_context.new_page()
    for url in ("/", "/zones/lzxq/", "/indicators/grp/"):
        anon.goto(f"{base}{url}")
        assert FIGURE not in anon.content(), url

    # the bulletin: build, publish, download the PDF
    page.goto(f"{base}/reports/")
    page.select_option("#kind", "bulletin")
    page.fill("#period", "2018Q4")
    page.check("#publish")
    page.check("#confirm_incomplete")  # only 兰州新区 reported: publishing needs the confirmation
    page.click("main form button[type=submit]")
    page.wait_for_selector("text=兰白监测〔2018〕第1号")
    detail_url = page.url
    page.goto(f"{base}/")
    card = page.locator("li.card", has=page.locator("a[href='/indicators/grp/']"))
    assert FIGURE in card.inner_text()
    card.focus()
    assert page.locator("#rule-grp").is_visible()  # the status rule shows on keyboard focus
    page.screenshot(path=str(screenshots / "dashboard.png"), full_page=True)
    anon.goto(f"{base}/")  # now published: the public sees it, labelled 初步 (incomplete)
    assert FIGURE in anon.content() and "数据不完整" in anon.content()
    anon_context.close()
    page.goto(detail_url)
    page.screenshot(path=str(screenshots / "release.png"), full_page=True)
    with page.expect_download() as dl:
        page.click("text=下载 PDF")
    pdf = tmp_path / "bulletin.pdf"
    dl.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert FIGURE in text and "兰州新区" in text
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes()[:4] == b"\x89PNG"
    png.replace(screenshots / "bulletin-page1.png")

    # the public sees it without logging in; a phone-sized screen works
    logout(page)
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone = phone_context.new_page()
    phone.goto(f"{base}/")
    assert FIGURE in phone.content()
    phone.screenshot(path=str(screenshots / "dashboard-phone.png"), full_page=True)
    phone.goto(f"{base}/reports/open-data/")
    phone.screenshot(path=str(screenshots / "open-data-phone.png"), full_page=True)
    phone_context.close()
    context.close()
