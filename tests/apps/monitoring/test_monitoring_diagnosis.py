"""Diagnosis on platform data: zone and input contributions to a gap, outliers for reviewers."""

from __future__ import annotations

import math

import pytest
from test_monitoring_table import row, zone_values

from lanbai.common.exceptions import ValidationFailed
from lanbai.monitoring.diagnosis import diagnosis, indicator_structure, member_zones, outlier_list
from lanbai.monitoring.selectors import monitoring_table


def _unit(result, code):
    return next(u for u in result["units"] if u["org_unit"] == code)


@pytest.mark.django_db
def test_structure_of_sum_and_ratio_indicators(shipped_plan_in_db):
    assert indicator_structure("grp").kind == "sum"
    st = indicator_structure("rd_intensity")
    assert st.kind == "ratio" and st.denominator.key == "grp" and st.numerator.key == "zone_rd_expenditure"
    zones = member_zones()
    assert sorted(zones["lanbai"]) == ["bygx", "lzgx", "lzjj", "lzxq"]
    assert zones["baiyin"] == ["bygx"] and sorted(zones["four_zones"]) == ["bygx", "lzgx", "lzjj", "lzxq"]


@pytest.mark.django_db
def test_sum_gap_of_the_pilot_zone_split_by_reference_year_shares(report):
    report("lzxq", "2017Q4", zone_values(1_800_000))
    report("bygx", "2017Q4", zone_values(900_000))
    report("lzxq", "2018Q4", zone_values(2_000_000))
    report("bygx", "2018Q4", zone_values(1_000_000))
    res = diagnosis(period="2018Q4", indicator="grp", unit="lanbai")
    lanbai = _unit(res, "lanbai")
    expected = row(monitoring_table(period="2018Q4", unit="lanbai"), "lanbai", "grp").expected
    assert lanbai["expected"] == pytest.approx(expected)
    zones = {z["member"]: z for z in lanbai["zones"]}
    # 2017: 兰州新区 180 亿元, 白银高新区 90 亿元 -> shares 2/3, 1/3 of the path value
    assert zones["lzxq"]["contribution"] == pytest.approx(200.0 - 2 / 3 * expected)
    assert zones["bygx"]["contribution"] == pytest.approx(100.0 - 1 / 3 * expected)
    assert zones["lzgx"]["contribution"] == 0 and not zones["lzgx"]["reported"]
    assert sum(z["contribution"] for z in zones.values()) == pytest.approx(300.0 - expected)
    assert "2017Q4" in lanbai["zones_rule"]


@pytest.mark.django_db
def test_ratio_gap_by_zone_and_inputs_split(report):
    report("lzxq", "2017Q4", zone_values(1_800_000, rd_wan=36_000))
    report("lzxq", "2018Q4", zone_values(9_000_000, rd_wan=90_000))
    report("bygx", "2018Q4", zone_values(1_000_000, rd_wan=50_000))
    res = diagnosis(period="2018Q4", indicator="rd_intensity")
    assert res["structure"] == "ratio"
    lanbai = _unit(res, "lanbai")
    E = lanbai["expected"]
    zones = {z["member"]: z for z in lanbai["zones"]}
    assert zones["lzxq"]["weight"] == pytest.approx(0.9)
    assert zones["lzxq"]["contribution"] == pytest.approx(0.9 * (1.0 - E))
    assert zones["bygx"]["contribution"] == pytest.approx(0.1 * (5.0 - E))
    assert lanbai["value"] - E == pytest.approx(sum(z["contribution"] for z in zones.values()))
    # 兰州新区: R&D 36,000 -> 90,000 万元 (×2.5), GDP 180 -> 900 亿元 (×5): 2 % -> 1 %
    split = _unit(res, "lzxq")["inputs"]
    L = (1.0 - 2.0) / math.log(0.5)
    assert split["ratio_0"] == pytest.approx(2.0) and split["ratio_1"] == pytest.approx(1.0)
    assert split["contrib_num"] == pytest.approx(L * math.log(2.5))
    assert split["contrib_den"] == pytest.approx(-L * math.log(5.0))
    assert _unit(res, "bygx")["inputs"]["reason"]  # no 2017 figures for 白银高新区


@pytest.mark.django_db
def test_unknown_indicator_is_refused(shipped_plan_in_db):
    with pytest.raises(ValidationFailed, match="nope"):
        diagnosis(period="2018Q4", indicator="nope")


@pytest.fixture
def outlying(report):
    for year, gdp in ((2015, 1_000_000), (2016, 1_100_000), (2017, 1_200_000)):
        report("lzxq", f"{year}Q4", zone_values(gdp))
    report("lzxq", "2018Q4", zone_values(10_000_000))
    report("lzgx", "2018Q4", zone_values(1_000_000))
    report("lzjj", "2018Q4", zone_values(1_100_000))
    report("bygx", "2018Q4", zone_values(1_050_000), approve=False)


@pytest.mark.django_db
def test_outliers_by_modified_z_and_history_range(outlying):
    rows = outlier_list(period="2018Q4")
    gdp = next(r for r in rows if r["org_unit"] == "lzxq" and r["field"] == "gdp")
    # reporters 1.0, 1.1, 1.05 (submitted, preview), 10.0 million: median 1.075 M, MAD 0.05 M
    assert gdp["median"] == pytest.approx(1_075_000) and gdp["mad"] == pytest.approx(50_000)
    assert gdp["z"] == pytest.approx(0.6745 * 8_925_000 / 50_000) and gdp["z_outlier"]
    # history 1.0, 1.1, 1.2 million: median 1.1 M, MAD 0.1 M
    assert gdp["upper"] == pytest.approx(1_100_000 + 3 * 100_000 / 0.6745)
    assert gdp["range_outlier"] and gdp["bound"] == "upper"
    assert gdp["history"] == [["2015Q4", 1_000_000.0], ["2016Q4", 1_100_000.0], ["2017Q4", 1_200_000.0]]
    assert "稳健z分数" in gdp["rule"] and "历史区间上限" in gdp["rule"]
    assert not any(r["org_unit"] == "lzgx" for r in rows)


@pytest.mark.django_db
def test_outliers_without_preview_need_three_reporters(outlying):
    rows = outlier_list(period="2018Q4", preview=False)  # 3 approved reporters left
    gdp = next(r for r in rows if r["org_unit"] == "lzxq" and r["field"] == "gdp")
    assert gdp["reporters"] == 3 and gdp["median"] == pytest.approx(1_100_000)
    assert outlier_list(period="2018Q4", unit_codes={"bygx"}) == []
