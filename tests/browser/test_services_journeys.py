"""科聚网 services in Chromium (issue 18): a technology contract returned for correction and registered, a
创新券 application through 区 → 省 review to issue, and an instrument booking refused for an overlapping slot.

As in ``test_workbench_journeys.py``: the login page is the only address typed; every other step clicks a
link or a button on the screen or fills a labelled field.  The fixtures set the scene (people, a voucher
scheme, an instrument) through the services only.  Screenshots go to ``screenshots/services-*.png``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHEMES = Path(__file__).resolve().parents[2] / "plans" / "lanbai-2015-2020" / "vouchers"
ENT_NAME = "兰州甲科技有限公司"


def _code(n: int) -> str:
    from lanbai.core.collection import check_character

    body = f"9162010{n:010d}"
    return body + check_character(body)


@pytest.fixture
def scene(settings, shipped_plan_dir):
    from django.contrib.auth import get_user_model

    from lanbai.access.models import UserScope
    from lanbai.access.policy import OPERATOR
    from lanbai.collection.services import enterprise_register
    from lanbai.core.vouchers import load_scheme_file
    from lanbai.instruments import services as instruments
    from lanbai.plans.models import OrgUnit
    from lanbai.plans.services import plan_load_into_db
    from lanbai.registry.services import enterprise_profile_save
    from lanbai.vouchers import services as vouchers

    plan_load_into_db(plan_dir=shipped_plan_dir)
    gx = OrgUnit.objects.get(code="lzgx")
    ent = enterprise_register(user=None, zone=gx, credit_code=_code(11), name=ENT_NAME)
    enterprise_profile_save(user=OPERATOR, enterprise=ent, data={"staff": 60})  # 小型: eligible
    users = {}
    for name, role, unit in (
        ("qiye", "enterprise_reporter", ent.org_unit),
        ("dengji", "contract_registrar", OrgUnit.objects.get(code="lanbai")),
        ("review_lzgx", "zone_reviewer", gx),
        ("fill_lzgx", "zone_reporter", gx),
        ("fill_lzjj", "zone_reporter", OrgUnit.objects.get(code="lzjj")),
        ("sheng", "province", None),
    ):
        users[name] = get_user_model().objects.create_user(username=name, password="pw-" + name)
        UserScope.objects.create(user=users[name], role=role, org_unit=unit)
    vouchers.scheme_load(user=OPERATOR, rules=load_scheme_file(SCHEMES / "2020.yaml"))
    instruments.instrument_register(user=users["fill_lzgx"], owner_unit=gx, data={
        "name": "场发射扫描电子显微镜", "model_number": "SU8010", "manufacturer": "日立", "original_value": "320",
        "classification_code": "030101", "fee_rate": "300", "fee_minimum": "300",
        "location": "兰州高新区科技园A栋", "requires_approval": True,
    })
    return {"enterprise": ent, "users": users}


def login(page, base, username):
    page.goto(f"{base}/accounts/login/")  # the only address typed: the login page
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{base}/workbench/")


def logout(page):
    page.click("header form.inline button:has-text('退出')")
    page.wait_for_load_state()


def nav(page, label):
    page.locator("header nav").get_by_role("link", name=label, exact=True).first.click()
    page.wait_for_load_state()


def click(page, role, name):
    page.get_by_role(role, name=name, exact=True).first.click()
    page.wait_for_load_state()


def test_contract_returned_corrected_registered_and_counted(browser, live_server, scene, screenshots):
    from django.utils import timezone

    base, ent = live_server.url, scene["enterprise"]
    page = browser.new_context(locale="zh-CN").new_page()  # the Chinese UI
    login(page, base, "qiye")  # the enterprise (seller) files
    nav(page, "技术合同")
    click(page, "link", "填报技术合同")
    page.get_by_label("项目名称").fill("稀土催化材料技术开发")
    page.get_by_label("合同类型").select_option(label="技术开发（委托开发）")
    page.get_by_label("签订日期").fill((timezone.localdate() - dt.timedelta(days=5)).isoformat())
    page.get_by_label("卖方名称").fill(ENT_NAME)
    page.get_by_label("卖方统一社会信用代码").fill(ent.credit_code)
    page.get_by_label("卖方行政区划代码").fill("620102")
    page.get_by_label("卖方所在园区（代码或名称）").fill("兰州高新区")
    page.get_by_label("买方名称").fill("白银乙制造有限公司")
    page.get_by_label("买方统一社会信用代码").fill(_code(12))
    page.get_by_label("买方行政区划代码").fill("620402")
    page.get_by_label("成交金额（万元）").fill("300")
    click(page, "button", "保存草稿")
    assert "草稿" in page.content()
    click(page, "button", "提交")
    assert "已提交" in page.content()
    logout(page)

    login(page, base, "dengji")  # the registrar returns it for correction
    nav(page, "技术合同")
    click(page, "link", "稀土催化材料技术开发")
    page.get_by_label("说明").fill("成交金额与合同文本不符，请补正")
    click(page, "button", "退回补正")
    assert "退回补正" in page.content()
    logout(page)

    login(page, base, "qiye")  # the enterprise corrects and resubmits
    nav(page, "技术合同")
    click(page, "link", "稀土催化材料技术开发")
    assert "成交金额与合同文本不符，请补正" in page.content()
    click(page, "link", "修改")
    page.get_by_label("成交金额（万元）").fill("320")
    click(page, "button", "保存修改")
    click(page, "button", "提交")
    assert "已提交" in page.content()
    logout(page)

    login(page, base, "dengji")  # accepted and registered; the turnover page counts it
    nav(page, "技术合同")
    click(page, "link", "稀土催化材料技术开发")
    click(page, "button", "受理")
    click(page, "button", "登记")
    assert re.search(r"620102\d{8}", page.content())
    page.screenshot(path=str(screenshots / "services-contract-registered.png"), full_page=True)
    page.get_by_role("link", name=re.compile("技术合同成交额$")).click()
    page.wait_for_load_state()
    row = page.get_by_role("row").filter(has_text="兰州高新区")
    assert "320.00" in row.inner_text()
    page.screenshot(path=str(screenshots / "services-contract-turnover.png"), full_page=True)


def test_voucher_application_through_zone_and_province_review_to_issue(
    browser, live_server, scene, screenshots, monkeypatch
):
    from django.utils import timezone

    from lanbai.vouchers.models import Voucher

    base = live_server.url
    page = browser.new_context(locale="zh-CN").new_page()  # the Chinese UI
    login(page, base, "qiye")
    nav(page, "创新券")
    click(page, "link", "申领创新券")
    page.get_by_label("服务合同金额（万元）").fill("12")
    page.get_by_label("申请金额（万元）").fill("8")
    page.get_by_label("服务内容").fill("新材料检验检测")
    page.get_by_label("服务机构统一社会信用代码").fill(_code(13))
    click(page, "button", "提交申请")
    assert "已提交" in page.content()
    logout(page)

    login(page, base, "review_lzgx")  # 区 review
    nav(page, "创新券")
    click(page, "button", "审核通过")
    assert "区审核通过" in page.content()
    logout(page)

    login(page, base, "sheng")  # 省 review: grant computed, 公示 for a week
    nav(page, "创新券")
    notice_end = timezone.localdate() + dt.timedelta(days=7)
    page.get_by_label("公示截止日期").fill(notice_end.isoformat())
    click(page, "button", "批准并公示")
    assert "公示中" in page.content()
    click(page, "button", "发放")  # the 公示 is still running: refused, said on the page
    assert "公示结束后才能发放" in page.content() and not Voucher.objects.exists()

    today = timezone.localdate()  # eight days later
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate",
                        lambda value=None, tz=None: real(value, tz) if value is not None else today + dt.timedelta(8))
    nav(page, "创新券")
    click(page, "button", "发放")
    assert "已发放" in page.content()
    page.screenshot(path=str(screenshots / "services-voucher-issued.png"), full_page=True)
    logout(page)

    login(page, base, "qiye")  # the enterprise holds it
    nav(page, "创新券")
    v = Voucher.objects.get()
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name=v.number)).filter(has_text="已发放")
    assert row.count() == 1 and ENT_NAME in row.inner_text()  # its voucher, listed with its number
    assert v.amount > 0 and v.scheme.committed == v.amount


def test_instrument_booking_and_conflict_refusal(browser, live_server, scene, screenshots):
    base = live_server.url
    page = browser.new_context(locale="zh-CN").new_page()  # the Chinese UI
    login(page, base, "fill_lzjj")  # a user of another zone books the instrument
    nav(page, "大型科研仪器")
    click(page, "link", "场发射扫描电子显微镜")
    click(page, "link", "预约仪器")
    page.get_by_label("开始时间").fill("2030-03-04 09:00")
    page.get_by_label("结束时间").fill("2030-03-04 12:00")
    page.get_by_label("用途").fill("材料断面形貌观察")
    click(page, "button", "提交预约")
    assert "2030-03-04 09:00" in page.content() and "待审批" in page.content()
    click(page, "link", "预约仪器")  # an overlapping slot
    page.get_by_label("开始时间").fill("2030-03-04 11:00")
    page.get_by_label("结束时间").fill("2030-03-04 13:00")
    click(page, "button", "提交预约")
    alert = page.get_by_role("alert")
    assert "时间重叠" in alert.inner_text() and "2030-03-04 09:00" in alert.inner_text()
    assert page.get_by_label("开始时间").input_value() == "2030-03-04 11:00"  # the input kept
    page.screenshot(path=str(screenshots / "services-booking-conflict.png"), full_page=True)
    from lanbai.instruments.models import Booking

    assert Booking.objects.count() == 1


def test_voucher_claim_with_documents_filed_and_paid(browser, live_server, scene, screenshots):
    """通用 (2020): the holder files the claim with its contract, invoice and payment proof (a missing document
    is named on the page); 省创新办 opens a document from the claim page and pays."""
    from lanbai.access.policy import OPERATOR
    from lanbai.vouchers import services as vouchers
    from lanbai.vouchers.models import Redemption, Scheme

    ent = scene["enterprise"]
    v = vouchers.voucher_issue(user=OPERATOR, scheme_id=Scheme.objects.get(year=2020).pk, enterprise_name=ent.name,
                               credit_code=ent.credit_code, amount=Decimal(6), enterprise=ent,
                               issued_on=dt.date(2020, 3, 1))
    vouchers.voucher_use_record(user=scene["users"]["qiye"], voucher=v, provider_code=_code(14),
                                provider_name="兰州检测中心", amount="4", used_on=dt.date(2020, 5, 1))
    base = live_server.url
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    login(page, base, "qiye")
    nav(page, "创新券")
    click(page, "link", v.number)
    click(page, "link", "申请兑付")
    page.get_by_label("服务合同（必交）").set_input_files(
        {"name": "contract.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 contract"})
    page.get_by_label("发票（必交）").set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 invoice"})
    page.get_by_label("兑付申请日期").fill("2021-01-10")
    click(page, "button", "提交兑付申请")
    assert "缺少兑付材料：付款凭证" in page.get_by_role("alert").inner_text() and not Redemption.objects.exists()
    page.get_by_label("服务合同（必交）").set_input_files(
        {"name": "contract.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 contract"})
    page.get_by_label("发票（必交）").set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 invoice"})
    page.get_by_label("付款凭证（必交）").set_input_files(
        {"name": "payment.png", "mimeType": "image/png", "buffer": b"\x89PNG payment"})
    page.get_by_label("兑付申请日期").fill("2021-01-10")
    click(page, "button", "提交兑付申请")
    assert "待审核" in page.content() and "payment.png" in page.content()
    logout(page)

    login(page, base, "sheng")  # the review page: the documents, then pay
    nav(page, "创新券")
    click(page, "link", f"兑付申请 {v.number}")
    with page.expect_download() as dl:
        page.get_by_role("link", name="invoice.pdf").click()
    assert Path(dl.value.path()).read_bytes() == b"%PDF-1.4 invoice"
    page.screenshot(path=str(screenshots / "services-voucher-claim.png"), full_page=True)
    click(page, "button", "同意兑付")
    assert "已兑付" in page.content()
    assert Redemption.objects.get().state == "paid"
