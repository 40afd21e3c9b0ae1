"""Sums along the effective-dated tree, periods, statuses, ratios of sums."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import MEMBERS, values_frame

from lanbai.core.aggregate import aggregate


def cell(frame: pd.DataFrame, unit: str, period: str, column: str, basis: str = "ytd"):
    row = frame[(frame.unit == unit) & (frame.period == period) & (frame.basis == basis)]
    assert len(row) == 1, (unit, period, basis, len(row))
    v = row.iloc[0][column]
    return None if pd.isna(v) else v


def ind(res, unit: str, period: str, indicator: str, category: str = "total", basis: str = "ytd"):
    f = res.indicators
    row = f[
        (f.unit == unit)
        & (f.period == period)
        & (f.indicator == indicator)
        & (f.category == category)
        & (f.basis == basis)
    ]
    assert len(row) == 1
    v, r = row.iloc[0]["value"], row.iloc[0]["reason"]
    return (None if pd.isna(v) else float(v)), (None if pd.isna(r) else r)


def ent(unit: str, period: str, va: float, staff: int, category: str = "traditional", *extra) -> list[tuple]:
    return [
        (unit, period, "va", va, *extra),
        (unit, period, "staff", staff, *extra),
        (unit, period, "category", category, *extra),
    ]


def test_sums_along_tree_and_restructured_park(tree, fset) -> None:
    rows = []
    for period in ("2018Q2", "2018Q3"):
        rows += (
            ent("e1", period, 100, 10)
            + ent("e2", period, 50, 5, "emerging")
            + ent("e3", period, 7, 1)
            + ent("e4", period, 3, 2)
        )
    res = aggregate(values_frame(rows), tree, fset, aggregates=MEMBERS)
    t = res.inputs
    # 2018Q2: park p belongs to zone za; 2018Q3: to zb.  History keeps the old attribution.
    assert cell(t, "p", "2018Q2", "va") == 150
    assert cell(t, "za", "2018Q2", "va") == 150 and cell(t, "za", "2018Q3", "va") is None
    assert cell(t, "zb", "2018Q2", "va") == 7 and cell(t, "zb", "2018Q3", "va") == 157
    assert cell(t, "lz", "2018Q2", "va") == 157 == cell(t, "lz", "2018Q3", "va")
    assert cell(t, "lanbai", "2018Q3", "va") == 160
    assert cell(t, "four", "2018Q3", "va") == 160
    assert cell(t, "lanbai", "2018Q3", "n_reporters") == 4
    # filtered sums: category split adds up to the total
    assert cell(t, "lanbai", "2018Q3", "va__category_emerging") == 50
    assert cell(t, "lanbai", "2018Q3", "va__category_traditional") == 110
    assert ind(res, "lanbai", "2018Q3", "va") == (160.0, None)
    assert ind(res, "zb", "2018Q3", "va", "emerging") == (50.0, None)
    assert ind(res, "za", "2018Q3", "va", "emerging") == (
        None,
        '缺少数据: 工业增加值（产业分类为战略性新兴产业）',
    )
    assert res.unattributed.empty


def test_enterprise_rows_on_request(tree, fset) -> None:
    res = aggregate(values_frame(ent("e1", "2018Q1", 10, 2)), tree, fset, include_enterprises=True)
    assert cell(res.inputs, "e1", "2018Q1", "va") == 10
    assert ind(res, "e1", "2018Q1", "productivity") == (5.0, None)


def test_ytd_to_single_quarter_and_stocks(tree, fset) -> None:
    rows = (
        ent("e4", "2018Q1", 100, 10)
        + ent("e4", "2018Q2", 250, 12)
        + ent("e4", "2018Q3", 300, 11)
        + ent("e4", "2018Q4", 420, 15)
        + ent("e4", "2019Q1", 90, 15)
    )
    rows += [("za", "2018Q1", "gdp", 1000.0), ("za", "2018Q2", "gdp", 2500.0)]
    rows += [("za", "2018Q1", "population", 20.0), ("za", "2018Q2", "population", 21.0)]
    res = aggregate(values_frame(rows), tree, fset, basis=("ytd", "quarter"))
    t = res.inputs
    # flows: single quarter = difference of cumulative figures within the year; Q1 is itself
    assert [
        cell(t, "zc", p, "va", "quarter") for p in ("2018Q1", "2018Q2", "2018Q3", "2018Q4", "2019Q1")
    ] == [
        100,
        150,
        50,
        120,
        90,
    ]
    assert cell(t, "zc", "2018Q4", "va") == 420  # Q4 YTD = the year
    assert cell(t, "za", "2018Q2", "gdp", "quarter") == 1500
    # stocks: the value at period end on both bases, never summed over quarters
    assert cell(t, "zc", "2018Q4", "staff") == 15 == cell(t, "zc", "2018Q4", "staff", "quarter")
    assert cell(t, "za", "2018Q2", "population", "quarter") == 21
    # formulas on each basis
    assert ind(res, "zc", "2018Q2", "productivity", basis="quarter") == (pytest.approx(150 / 12), None)
    assert ind(res, "zc", "2018Q2", "productivity") == (pytest.approx(250 / 12), None)


def test_single_quarter_missing_previous_report(tree, fset) -> None:
    rows = ent("e1", "2018Q1", 100, 10) + ent("e2", "2018Q2", 80, 3) + ent("e1", "2018Q2", 150, 10)
    res = aggregate(values_frame(rows), tree, fset, basis=("quarter",))
    # e2 has no Q1 report: its single Q2 is unknown, so it is NULL and not counted in the sum
    assert cell(res.inputs, "p", "2018Q2", "va", "quarter") == 50


def test_flow_yoy_uses_same_period_last_year(tree, fset) -> None:
    rows = ent("e1", "2017Q3", 200, 10) + ent("e1", "2018Q3", 250, 10)
    res = aggregate(values_frame(rows), tree, fset)
    assert ind(res, "lanbai", "2018Q3", "va_growth") == (pytest.approx(25.0), None)
    assert ind(res, "lanbai", "2017Q3", "va_growth") == (None, "缺少数据: 工业增加值（上年同期）")


def test_approved_only_unless_preview_and_latest_version(tree, fset) -> None:
    rows = (
        ent("e1", "2018Q1", 100, 10, "traditional", "approved", 1)
        + ent("e1", "2018Q1", 130, 10, "traditional", "submitted", 2)  # a correction under review
        + ent("e2", "2018Q1", 40, 4, "traditional", "submitted", 1)  # never approved yet
        + ent("e3", "2018Q1", 9, 1, "traditional", "returned", 1)  # returned: never counts
        + ent("e4", "2018Q1", 5, 1, "traditional", "approved", 1)
        + ent("e4", "2018Q1", 6, 1, "traditional", "approved", 2)  # an approved correction wins
    )
    values = values_frame(rows)
    published = aggregate(values, tree, fset)
    assert cell(published.inputs, "p", "2018Q1", "va") == 100
    assert cell(published.inputs, "lanbai", "2018Q1", "va") == 106
    preview = aggregate(values, tree, fset, preview=True)
    assert cell(preview.inputs, "p", "2018Q1", "va") == 170
    assert cell(preview.inputs, "lanbai", "2018Q1", "va") == 176
    assert values.equals(values_frame(rows))  # inputs are not mutated


def test_ratio_recomputed_from_sums_not_averaged(tree, fset) -> None:
    rows = [
        ("za", "2018Q4", "zone_rd_staff", 100.0),
        ("za", "2018Q4", "population", 10.0),
        ("zb", "2018Q4", "zone_rd_staff", 100.0),
        ("zb", "2018Q4", "population", 1.0),
    ]
    rows += ent("e1", "2018Q4", 1000, 10) + ent("e3", "2018Q4", 10, 40)
    res = aggregate(values_frame(rows), tree, fset)
    a, b = ind(res, "za", "2018Q4", "per_10k")[0], ind(res, "zb", "2018Q4", "per_10k")[0]
    total = ind(res, "lz", "2018Q4", "per_10k")[0]
    assert (a, b) == (10.0, 100.0)
    assert math.isclose(total, 200 / 11) and not math.isclose(total, (a + b) / 2)
    prod = ind(res, "lz", "2018Q4", "productivity")[0]
    assert math.isclose(prod, 1010 / 50) and not math.isclose(prod, (100 + 0.25) / 2)


def test_missing_and_zero_denominators_after_aggregation(tree, fset) -> None:
    rows = [
        ("za", "2018Q4", "zone_rd_staff", 5.0),
        ("za", "2018Q4", "population", 0.0),
        ("zc", "2018Q4", "gdp", 10.0),
    ]
    res = aggregate(values_frame(rows), tree, fset)
    assert ind(res, "za", "2018Q4", "per_10k") == (None, "分母为零: 常住人口 = 0")
    assert ind(res, "zc", "2018Q4", "per_10k") == (None, "缺少数据: R&D人员（园区）")
    assert ind(res, "zb", "2018Q4", "grp") == (None, "缺少数据: 地区生产总值")
    assert ind(res, "lanbai", "2018Q4", "grp") == (pytest.approx(0.001), None)


def test_filtered_sum_by_bool_and_unattributed(tree, fset) -> None:
    rows = ent("e1", "2018Q1", 10, 1) + ent("e2", "2018Q1", 20, 1) + ent("ghost", "2018Q1", 99, 1)
    rows += [("e1", "2018Q1", "high_tech", 1.0), ("e2", "2018Q1", "high_tech", 0.0)]
    res = aggregate(values_frame(rows), tree, fset)
    assert cell(res.inputs, "lanbai", "2018Q1", "va__high_tech") == 10
    assert cell(res.inputs, "lanbai", "2018Q1", "va") == 30
    assert res.unattributed.to_dict("records") == [{"unit": "ghost", "period": "2018Q1"}]


def test_periods_filter_and_bad_arguments(tree, fset) -> None:
    rows = ent("e1", "2017Q1", 10, 1) + ent("e1", "2018Q1", 20, 1)
    res = aggregate(values_frame(rows), tree, fset, periods=["2018Q1"])
    assert set(res.inputs.period) == {"2018Q1"} == set(res.indicators.period)
    assert ind(res, "lanbai", "2018Q1", "va_growth") == (100.0, None)
    with pytest.raises(ValueError, match="basis"):
        aggregate(values_frame(rows), tree, fset, basis=("month",))
    with pytest.raises(ValueError, match="tree: missing columns"):
        aggregate(values_frame(rows), tree.drop(columns=["kind"]), fset)


def test_overlapping_parent_links_are_refused(tree, fset) -> None:
    bad = pd.concat(
        [
            tree,
            pd.DataFrame(
                [
                    {
                        "unit": "e1",
                        "parent": "q",
                        "valid_from": pd.Timestamp("2018-01-01"),
                        "valid_to": None,
                        "kind": "enterprise",
                    }
                ]
            ),
        ],
        ignore_index=True,
    )
    with pytest.raises(ValueError, match="e1 2018Q1: p, q"):
        aggregate(values_frame(ent("e1", "2018Q1", 1, 1)), bad, fset)


def test_unclassified_enterprise_makes_filtered_sums_not_computable(tree, fset) -> None:
    rows = ent("e1", "2018Q1", 10, 1, "emerging") + ent("e4", "2018Q1", 5, 1, "emerging")
    rows += [("e2", "2018Q1", "va", 20.0)]  # no category reported
    res = aggregate(values_frame(rows), tree, fset)
    unknown = "无法分类: 有企业报送了工业增加值但未填报产业分类"
    assert ind(res, "p", "2018Q1", "va", "emerging") == (None, unknown)
    assert ind(res, "lanbai", "2018Q1", "va") == (None, unknown)  # never the under-count 15
    assert ind(res, "zc", "2018Q1", "va", "emerging") == (5.0, None)  # other branches unaffected
    assert cell(res.inputs, "lanbai", "2018Q1", "va") == 35  # the unfiltered sum is known
