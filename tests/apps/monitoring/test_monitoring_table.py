"""Indicators from approved reports, aggregated up the tree, judged against the plan's targets."""

from __future__ import annotations

import pytest

from lanbai.monitoring.selectors import monitoring_table


def zone_values(gdp_wan, pop_wan=30.0, rd_wan=None, fiscal=100000.0, fiscal_st=3000.0):
    return {
        "gdp": gdp_wan, "resident_population": pop_wan, "fiscal_expenditure": fiscal,
        "fiscal_st_expenditure": fiscal_st, "zone_rd_expenditure": rd_wan if rd_wan is not None else gdp_wan * 0.02,
    }


def row(rows, unit, indicator):
    matches = [r for r in rows if r.org_unit == unit and r.indicator == indicator]
    assert len(matches) == 1, (unit, indicator, matches)
    return matches[0]


@pytest.mark.django_db
def test_zone_gdp_in_yi_yuan_with_target_path_and_status(report):
    report("lzxq", "2017Q4", zone_values(1_800_000))
    report("lzxq", "2018Q4", zone_values(2_000_000))
    rows = monitoring_table(period="2018Q4", unit="lzxq", method="path")
    grp = row(rows, "lzxq", "grp")
    assert grp.value == pytest.approx(200.0)  # 2,000,000 万元 = 200 亿元
    assert grp.unit == "亿元"
    assert grp.yoy_pct == pytest.approx(2_000_000 / 1_800_000 * 100 - 100)
    assert (grp.baseline_value, grp.target_value, grp.target_source) == (96.4, 500.0, "附件1")
    expected = 96.4 * (500 / 96.4) ** (4 / 6)  # geometric path for a level, 2014 → 2020
    assert grp.expected == pytest.approx(expected, rel=1e-6)
    assert grp.status == "严重滞后"  # 200 is 30.8 % below the path value 288.85
    assert f"{expected:.2f}" in grp.rule and "严重滞后阈值" in grp.rule


@pytest.mark.django_db
def test_ratio_of_the_pilot_zone_is_recomputed_from_summed_parts(report):
    # R&D intensity: 兰州新区 1 % of a big GDP, 白银高新区 5 % of a small GDP.
    report("lzxq", "2018Q4", zone_values(9_000_000, rd_wan=90_000))
    report("bygx", "2018Q4", zone_values(1_000_000, rd_wan=50_000))
    rows = monitoring_table(period="2018Q4", unit="lanbai")
    rd = row(rows, "lanbai", "rd_intensity")
    assert rd.value == pytest.approx(140_000 / 10_000_000 * 100)  # 1.4 %, not the mean of 1 % and 5 %
    assert rd.target_source == "专栏1" and rd.target_value == 2.9


@pytest.mark.django_db
def test_only_approved_reports_count_unless_preview(report):
    report("lzxq", "2018Q4", zone_values(2_000_000))
    report("bygx", "2018Q4", zone_values(1_000_000), approve=False)
    approved = row(monitoring_table(period="2018Q4", unit="lanbai"), "lanbai", "grp")
    preview = row(monitoring_table(period="2018Q4", unit="lanbai", preview=True), "lanbai", "grp")
    assert approved.value == pytest.approx(200.0)
    assert preview.value == pytest.approx(300.0) and preview.preview


@pytest.mark.django_db
def test_mid_year_flow_is_projected_with_last_years_seasonal_share(report):
    report("lzxq", "2017Q2", zone_values(800_000))
    report("lzxq", "2017Q4", zone_values(1_800_000))
    report("lzxq", "2018Q2", zone_values(900_000))
    grp = row(monitoring_table(period="2018Q2", unit="lzxq"), "lzxq", "grp")
    assert grp.value == pytest.approx(90.0)
    assert grp.assessed_value == pytest.approx(90.0 * 180.0 / 80.0)
    assert "折算全年" in grp.rule


@pytest.mark.django_db
def test_unit_without_target_says_so_and_division_by_zero_is_not_computable(report):
    report("lzgx", "2018Q4", zone_values(1_000_000, fiscal=0.0, fiscal_st=0.0))
    rows = monitoring_table(period="2018Q4", unit="lzgx")
    assert row(rows, "lzgx", "grp").status == "无目标"
    share = row(rows, "lzgx", "fiscal_st_share")
    assert share.value is None and share.status == "无法评估"
    assert "零" in share.rule or "zero" in share.rule
