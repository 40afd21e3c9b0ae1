"""The reviewers' outlier page and the diagnosis page."""

from __future__ import annotations

import pytest
from test_monitoring_table import zone_values


@pytest.fixture
def figures(report):
    for year, gdp in ((2015, 1_000_000), (2016, 1_100_000), (2017, 1_200_000)):
        report("lzxq", f"{year}Q4", zone_values(gdp))
    report("lzxq", "2018Q4", zone_values(10_000_000))
    report("lzgx", "2018Q4", zone_values(1_000_000))
    report("lzjj", "2018Q4", zone_values(1_100_000))


@pytest.mark.django_db
def test_outlier_page_lists_the_figure_its_history_and_bound(figures, client, make_user):
    client.force_login(make_user("sheng2", "province"))
    page = client.get("/monitoring/outliers/", {"period": "2018Q4"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "异常值清单" in html and "兰州新区" in html and "2017Q4: 1200000" in html
    assert "历史区间上限" in html and "稳健z分数" in html


@pytest.mark.django_db
def test_outlier_page_is_for_reviewers_and_needs_login(figures, client, make_user):
    assert client.get("/monitoring/outliers/").status_code == 302
    client.force_login(make_user("city_reader", "city", "lanzhou"))
    assert client.get("/monitoring/outliers/", {"period": "2018Q4"}).status_code == 403


@pytest.mark.django_db
def test_diagnosis_page(figures, client, make_user):
    # zone staff read every unit's approved figures; a city office only its own zones' (issue 13)
    client.force_login(make_user("zone_reader", "zone_reporter", "lzxq"))
    html = client.get("/monitoring/diagnosis/", {"period": "2018Q4", "indicator": "grp"}).content.decode()
    assert "指标诊断" in html and "兰白试验区" in html and "对差距的贡献" in html and "兰州新区" in html
    bad = client.get("/monitoring/diagnosis/", {"period": "2018-4", "indicator": "grp"}).content.decode()
    assert "格式错误" in bad
