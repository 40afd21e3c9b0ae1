"""The dashboard's development-index page (issue 6: shown on the dashboard)."""

from __future__ import annotations

import re

import pytest
from index_helpers import zone_values


@pytest.mark.django_db
def test_index_page_ranks_zones_and_draws_the_series(report, client, make_user):
    client.force_login(make_user("index_office", "province"))  # staff: approved, unpublished figures (issue 13)
    report("lzgx", "2015Q4", zone_values(1_000_000.0, 1.0))
    report("lzgx", "2016Q4", zone_values(1_000_000.0, 2.0))
    report("bygx", "2015Q4", zone_values(500_000.0, 1.0, level=0.8))
    report("bygx", "2016Q4", zone_values(550_000.0, 1.0, level=0.8))
    html = client.get("/index/").content.decode()
    assert "发展指数" in html and "（2016）" in html
    assert html.index("兰州高新区") < html.index("白银高新区")  # rank 1 first
    # lzgx 2016 against 2015: every indicator doubles (index 200) except 地区生产总值 (100), so 产业发展 is
    # the geometric mean (100·200³)^¼ = 168.18 and LDI = .25·200 + .25·200 + .25·168.18 + .125·200 + .125·200
    # = 192.04, shown to one decimal without a trailing zero
    assert re.search(r">\s*192\s*<", html) and "<svg" in html
    # the level reading beside the growth index, and each zone's base
    assert "水平指数（0–100）" in html and "水平排名" in html and "2015×12 (框架声明基期 declared)" in html
    assert client.get("/index/?year=2030").status_code == 200
    assert "2030" in client.get("/index/?year=2030").content.decode()


@pytest.mark.django_db
def test_index_page_without_data_says_so(shipped_plan_in_db, client, make_user):
    assert "尚无已发布的全年数据" in client.get("/index/").content.decode()
    client.force_login(make_user("index_office", "province"))
    html = client.get("/index/").content.decode()
    assert "尚无已审核的全年数据" in html
