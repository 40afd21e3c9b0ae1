"""Dashboard pages from approved figures: cards with status and rule, zone page, indicator charts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from lanbai.monitoring.selectors import monitoring_table


@pytest.mark.django_db
def test_home_cards_show_latest_approved_value_target_expected_and_rule(client, published_two_years):
    html = client.get("/").content.decode()
    grp = next(r for r in monitoring_table(period="2018Q4", unit="lanbai") if r.indicator == "grp")
    assert "2018Q4" in html  # the latest period with approved figures, not the submitted 2019Q2
    card = re.search(
        r'<li class="card st-(\w+)"[^>]*title="([^"]*)"[^>]*>\s*<h3><a href="/indicators/grp/">', html
    )
    assert card, "the GDP card carries its status class and its rule as a title"
    assert card.group(1) == {"达标": "ok", "正常": "normal", "预警": "warn", "严重滞后": "bad"}[grp.status]
    assert grp.status in card.group(2)
    assert f"{grp.value:,.2f}".rstrip("0").rstrip(".") in html  # 1.1 × (180 + 50) = 253 亿元
    assert f"{grp.expected:,.2f}".rstrip("0").rstrip(".") in html
    assert 'tabindex="0"' in html and 'id="rule-grp"' in html  # the rule is reachable by keyboard


@pytest.mark.django_db
def test_home_without_figures_says_so(client, shipped_plan_in_db):
    html = client.get("/").content.decode()
    assert "尚无已发布的监测数据" in html and "1377" in html


@pytest.mark.django_db
def test_nav_links_public_pages_to_everyone_and_staff_pages_once_signed_in(
    client, shipped_plan_in_db, django_user_model, make_user
):
    staff = ('href="/collection/upload/"', 'href="/collection/queue/"', 'href="/registry/"', 'href="/assessment/"')
    nav = client.get("/").content.decode().split("</nav>")[0]
    assert 'href="/reports/"' in nav and 'href="/reports/open-data/"' in nav and 'href="/measures/public/"' in nav
    assert not [link for link in staff if link in nav]  # they would only send a visitor to the login page
    # signed in: the pages without a role rule, and those whose rule lets the user in (test_nav_rules.py)
    client.force_login(django_user_model.objects.create_user("nav_reader", password="x" * 12))
    nav = client.get("/").content.decode().split("</nav>")[0]
    assert 'href="/registry/"' in nav and 'href="/reports/"' in nav
    assert 'href="/collection/upload/"' not in nav and 'href="/assessment/"' not in nav  # no role: no use
    client.force_login(make_user("nav_filler", "zone_reporter", "lzxq"))
    nav = client.get("/").content.decode().split("</nav>")[0]
    assert all(link in nav for link in staff if link != 'href="/collection/queue/"')
    client.force_login(make_user("nav_reviewer", "zone_reviewer", "lzxq"))
    assert 'href="/collection/queue/"' in client.get("/").content.decode().split("</nav>")[0]


@pytest.mark.django_db
def test_zone_page_lists_its_monitoring_rows(client, published_two_years):
    html = client.get("/zones/lzxq/").content.decode()
    assert "兰州新区" in html and "监测情况" in html and "2018Q4" in html
    assert "198" in html  # 1.1 × 180 亿元
    assert client.get("/zones/nope/").status_code == 404


@pytest.mark.django_db
def test_indicator_page_has_an_accessible_chart_per_unit_and_a_table(client, published_two_years):
    html = client.get("/indicators/grp/").content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, flags=re.S)
    assert len(svgs) >= 3  # 兰白试验区, 兰州新区, 白银高新区 (and their cities)
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.get("role") == "img" and root.find("{http://www.w3.org/2000/svg}title") is not None
    assert "兰州新区 · 地区生产总值" in html and "规划目标路径预期值" in html
    assert "<details>" in html and "2017Q2" in html
    assert "甲园区" not in html
    assert client.get("/indicators/nope/").status_code == 404


@pytest.mark.django_db
def test_english_is_switchable(client, shipped_plan_in_db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in html and "<dt>Target</dt>" in html and "Home" in html
    assert "主要发展指标" not in html and "首页" not in html
