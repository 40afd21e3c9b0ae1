"""A half-year measure report in a real browser: the 管委会 reports with evidence, 省创新办 returns it.

Run with ``pytest -m browser tests/browser/test_measures_flow.py``.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def people(shipped_plan_dir):
    from django.contrib.auth import get_user_model

    from lanbai.access.services import user_scope_grant
    from lanbai.execution import services
    from lanbai.plans.selectors import orgunit_get
    from lanbai.plans.services import plan_load_into_db

    plan_load_into_db(plan_dir=shipped_plan_dir)
    services.execution_load()
    users = {}
    for name, role, unit in (("fill_lzxq", "zone_reporter", "lzxq"), ("sheng", "province", None)):
        users[name] = get_user_model().objects.create_user(username=name, password="pw-" + name)
        user_scope_grant(by=None, user=users[name], role=role, unit=orgunit_get(unit) if unit else None)
    return users


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/workbench/")  # LOGIN_REDIRECT_URL: the 工作台


def test_zone_reports_a_measure_and_province_returns_it(browser, live_server, people, tmp_path, screenshots):
    base = live_server.url
    evidence = tmp_path / "验收报告.pdf"
    evidence.write_bytes(b"%PDF-1.4 evidence")
    page = browser.new_page()
    _login(page, base, "fill_lzxq")
    page.goto(f"{base}/measures/")
    assert "c05_01" in page.content() and "c06_01" not in page.content()
    page.goto(f"{base}/measures/c05_01/report/")
    page.fill("#id_period", "2019Q2")
    page.select_option("#id_status", "lagging")
    page.fill("#id_pct", "30")
    page.fill("#id_narrative", "园区道路完成一期")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=须说明原因")  # 滞后 without a reason: the form says so
    page.fill("#id_late_reason", "用地审批未办结")
    page.set_input_files("#id_evidence", str(evidence))
    page.check("#id_submit")
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/measures/c05_01/")
    assert "验收报告.pdf" in page.content()
    page.screenshot(path=str(screenshots / "measure-detail.png"), full_page=True)
    page.context.clear_cookies()
    _login(page, base, "sheng")
    page.goto(f"{base}/measures/review/")
    page.screenshot(path=str(screenshots / "measure-review.png"), full_page=True)
    page.fill("main input[name=reason]", "请补充验收文件")
    page.click("main button[name=decision][value=return]")  # labels follow the browser's language
    page.wait_for_load_state()
    page.goto(f"{base}/measures/c05_01/")
    assert "请补充验收文件" in page.content()
    from lanbai.execution import selectors

    assert selectors.report_queryset().get().state == "returned"
