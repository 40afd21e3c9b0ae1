"""Progress against targets: paths, Eurostat, UN ESCAP, early warning (docs/monitoring.md).

No worked numerical example could be retrieved from the Eurostat or ESCAP methodology texts in
this session, so the "golden" values below are hand-computed; the arithmetic is in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lanbai.core.progress import (
    ProgressInputError,
    assess,
    assess_one,
    cagr,
    escap_category,
    eurostat_category,
    eurostat_trend_category,
    expected_path,
)
from lanbai.core.progress import methods as m

BASE = dict(
    base_year=2015, base_value=100.0, current_year=2018, current_value=115.0, target=200.0, target_year=2020
)


# --- expected path ------------------------------------------------------------------------------


def test_geometric_and_linear_paths_hand_computed():
    # geometric: 100 · (200/100) ** (3/5) = 100 · 2 ** 0.6 = 151.5717
    # linear:    100 + (200 − 100) · 3/5 = 160
    e, p = expected_path(
        [2015, 2015], [100, 100], [2020, 2020], [200, 200], [2018, 2018], kind=["level", "share"]
    )
    assert e == pytest.approx([151.5717, 160.0], rel=1e-6)
    assert list(p) == ["geometric", "linear"]


def test_count_is_geometric_ratio_is_linear():
    e, p = expected_path(2015, 10, 2020, 40, 2017, kind=np.array(["count", "ratio"], dtype=object))
    # count: 10 · 4 ** (2/5) = 17.411; ratio: 10 + 30 · 2/5 = 22
    assert e == pytest.approx([17.4110, 22.0], rel=1e-4)
    assert list(p) == ["geometric", "linear"]


def test_path_before_base_is_undefined_and_after_target_stays_at_target():
    e, _ = expected_path([2015, 2015, 2015], [100] * 3, [2020] * 3, [200] * 3, [2014, 2020, 2023])
    assert math.isnan(e[0])
    assert e[1] == pytest.approx(200.0)  # the target year itself: the target
    assert e[2] == pytest.approx(200.0)  # after the target year the path stays at the target


def test_geometric_with_zero_baseline_falls_back_to_linear_and_says_so():
    e, p = expected_path(2015, 0.0, 2020, 10.0, 2018, kind="level")
    assert e == pytest.approx(6.0)  # 0 + 10 · 3/5
    assert "geometric undefined" in p.item()  # scalars in, 0-d arrays out


def test_annual_target_table_overrides_path():
    e, p = expected_path(
        [2015, 2015], [100, 100], [2020, 2020], [200, 200], [2018, 2018], annual_target=[130.0, np.nan]
    )
    assert e[0] == 130.0 and p[0] == "annual target table"
    assert e[1] == pytest.approx(151.5717, rel=1e-6) and p[1] == "geometric"


def test_path_validates_kind_and_span():
    with pytest.raises(ValueError, match="kind"):
        expected_path(2015, 1, 2020, 2, 2018, kind="wobbly")
    with pytest.raises(ValueError, match="target_year"):
        expected_path(2015, 1, 2015, 2, 2018)


# --- growth rates -------------------------------------------------------------------------------


def test_cagr_and_its_undefined_cases():
    # (121/100) ** (1/2) − 1 = 0.1
    assert cagr(100, 121, 2) == pytest.approx(0.1)
    assert cagr(100, 0, 2) == pytest.approx(-1.0)  # falling to zero is defined
    assert np.isnan(cagr([0, -5, 100], [10, 10, -1], [2, 2, 2])).all()  # baseline ≤ 0, negative value
    assert np.isnan(cagr(100, 121, 0))  # no elapsed time


# --- Eurostat -----------------------------------------------------------------------------------


def test_eurostat_golden_hand_computed():
    # actual CAGR   = (115/100) ** (1/3) − 1 = 0.047690
    # required CAGR = (200/100) ** (1/5) − 1 = 0.148698
    # RR = 0.047690 / 0.148698 = 0.32072 → 0 % ≤ RR < 60 %: insufficient progress
    a = assess_one(**BASE, method="eurostat")
    assert a.actual_rate == pytest.approx(0.047690, abs=1e-6)
    assert a.required_rate == pytest.approx(0.148698, abs=1e-6)
    assert a.ratio == pytest.approx(0.32072, abs=1e-5)
    assert a.category == m.EU_INSUFFICIENT
    assert "32.1%" in a.rule and "Eurostat" in a.rule


@pytest.mark.parametrize(
    ("rr", "expected"),
    [
        (1.3, m.EU_SIGNIFICANT),
        (0.95, m.EU_SIGNIFICANT),
        (0.9499, m.EU_MODERATE),
        (0.60, m.EU_MODERATE),
        (0.5999, m.EU_INSUFFICIENT),
        (0.0, m.EU_INSUFFICIENT),
        (-0.01, m.EU_AWAY),
        (np.nan, ""),
    ],
)
def test_eurostat_thresholds(rr, expected):
    assert eurostat_category([rr])[0] == expected


def test_eurostat_decreasing_indicator():
    # energy intensity 1.0 → 0.8 in 3 years, target 0.5 in 2020:
    # actual = 0.8 ** (1/3) − 1 = −0.071682; required = 0.5 ** (1/5) − 1 = −0.129449
    # RR = 0.55374 → insufficient progress
    a = assess_one(
        base_year=2015,
        base_value=1.0,
        current_year=2018,
        current_value=0.8,
        target=0.5,
        target_year=2020,
        direction="decrease",
    )
    assert a.ratio == pytest.approx(0.55374, abs=1e-5)
    assert a.category == m.EU_INSUFFICIENT
    # Rising instead of falling: movement away
    b = assess_one(
        base_year=2015,
        base_value=1.0,
        current_year=2018,
        current_value=1.1,
        target=0.5,
        target_year=2020,
        direction="decrease",
    )
    assert b.ratio < 0 and b.category == m.EU_AWAY and b.status == "严重滞后"


def test_eurostat_without_target_uses_trend_thresholds():
    # CAGR = (103/100) ** (1/2) − 1 = 1.489 % > 1 % → significant progress
    a = assess_one(
        base_year=2016,
        base_value=100,
        current_year=2018,
        current_value=103,
        target=math.nan,
        target_year=math.nan,
    )
    assert a.category == m.EU_TREND_SIGNIFICANT
    assert a.status == "无法评估"  # no target → no path → no early-warning status
    g = eurostat_trend_category([0.02, 0.005, 0.0, -0.005, -0.02], [1, 1, 1, 1, 1])
    assert list(g) == [
        m.EU_TREND_SIGNIFICANT,
        m.EU_TREND_MODERATE,
        m.EU_TREND_MODERATE_AWAY,
        m.EU_TREND_MODERATE_AWAY,
        m.EU_TREND_SIGNIFICANT_AWAY,
    ]
    # lower is better: a 2 % fall is significant progress
    assert eurostat_trend_category([-0.02], [-1])[0] == m.EU_TREND_SIGNIFICANT


# --- UN ESCAP -----------------------------------------------------------------------------------


def test_escap_golden_hand_computed():
    # CAGR 0.047690 extrapolated over 2015→2020: 100 · 1.15 ** (5/3) = 126.2301
    # anticipated progress 26.2301 ÷ required 100 = 0.262301 → 0 ≤ ratio < 1: need to accelerate
    a = assess_one(**BASE, method="escap")
    assert a.anticipated == pytest.approx(126.2301, abs=1e-4)
    assert a.ratio == pytest.approx(0.262301, abs=1e-6)
    assert a.category == m.ESCAP_ACCELERATE


def test_escap_categories():
    assert list(escap_category([1.0, 2.0, 0.99, 0.0, -0.1, np.nan])) == [
        m.ESCAP_ON_TRACK,
        m.ESCAP_ON_TRACK,
        m.ESCAP_ACCELERATE,
        m.ESCAP_ACCELERATE,
        m.ESCAP_REGRESSING,
        "",
    ]
    # fast growth: 100 → 160 in 3 years, extrapolated 100 · 1.6 ** (5/3) = 218.9 ≥ 200: on track
    a = assess_one(**{**BASE, "current_value": 160.0}, method="escap")
    assert a.category == m.ESCAP_ON_TRACK and a.ratio > 1


# --- path method and early warning --------------------------------------------------------------


def test_path_method_ratio_is_share_of_expected_progress():
    # (115 − 100) / (151.5717 − 100) = 0.290857
    a = assess_one(**BASE, method="path")
    assert a.ratio == pytest.approx(0.290857, abs=1e-6)
    assert a.category == m.PATH_SEVERE and a.status == "严重滞后"


def test_status_warning_rule_text():
    # linear path 40 → 50 over 2015–2020; 2018: 40 + 10 · 3/5 = 46; actual 43.5 is (46 − 43.5)/46 = 5.43 % below
    a = assess_one(
        base_year=2015,
        base_value=40,
        current_year=2018,
        current_value=43.5,
        target=50,
        target_year=2020,
        kind="share",
    )
    assert a.expected == pytest.approx(46.0)
    assert a.status == "预警"
    assert "实际值 43.5 低于预期路径值 46" in a.status_rule and "超过 5%（预警阈值）" in a.status_rule


def test_status_normal_within_tolerance_and_above_path():
    a = assess_one(
        base_year=2015,
        base_value=40,
        current_year=2018,
        current_value=45,
        target=50,
        target_year=2020,
        kind="share",
    )
    assert a.status == "正常" and "预警阈值以内" in a.status_rule  # 1/46 = 2.2 % below
    b = assess_one(
        base_year=2015,
        base_value=40,
        current_year=2018,
        current_value=47,
        target=50,
        target_year=2020,
        kind="share",
    )
    assert b.status == "正常" and "不低于" in b.status_rule


def test_status_thresholds_are_configurable():
    kw = dict(
        base_year=2015,
        base_value=40,
        current_year=2018,
        current_value=43.5,
        target=50,
        target_year=2020,
        kind="share",
    )
    assert assess_one(**kw, warn=0.06, severe=0.2).status == "正常"
    assert assess_one(**kw, warn=0.01, severe=0.05).status == "严重滞后"
    with pytest.raises(ValueError, match="warn"):
        assess_one(**kw, warn=0.2, severe=0.1)


def test_annual_target_drives_status():
    kw = dict(
        base_year=2015, base_value=100, current_year=2018, current_value=115, target=200, target_year=2020
    )
    a = assess_one(**kw, annual_targets={2017: 105.0, 2018: 112.0})
    assert a.expected == 112.0 and a.path == "annual target table" and a.status == "正常"
    assert "规划年度目标" in a.status_rule


# --- edge cases ---------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["eurostat", "escap", "path"])
def test_target_already_met(method):
    a = assess_one(**{**BASE, "current_value": 210.0}, method=method)
    assert a.category == m.TARGET_MET and a.status == "达标"
    assert "已达到目标" in a.rule


@pytest.mark.parametrize(
    ("comparator", "direction", "value", "met"),
    [
        (">=", "increase", 200.0, True),
        (">", "increase", 200.0, False),
        ("=", "increase", 200.0, True),
        ("<=", "decrease", 0.5, True),
        ("<", "decrease", 0.5, False),
        ("=", "decrease", 0.49, True),
    ],
)
def test_comparators(comparator, direction, value, met):
    base, target = (100.0, 200.0) if direction == "increase" else (1.0, 0.5)
    a = assess_one(
        base_year=2015, base_value=base, current_year=2018, current_value=value, target=target, target_year=2020,
        direction=direction, comparator=comparator,
    )  # fmt: skip
    assert (a.status == "达标") is met


def test_comparator_contradicting_direction_is_refused():
    with pytest.raises(ProgressInputError, match="comparator") as info:
        assess_one(**BASE, comparator="<=")
    assert info.value.column == "comparator" and info.value.row == 0


@pytest.mark.parametrize("method", ["eurostat", "escap"])
def test_zero_and_negative_baseline_not_assessable_by_default(method):
    for b in (0.0, -3.0):
        a = assess_one(
            base_year=2015,
            base_value=b,
            current_year=2018,
            current_value=5,
            target=10,
            target_year=2020,
            method=method,
        )
        assert a.category == m.NA_BASELINE and math.isnan(a.ratio)
        assert "≤ 0" in a.rule


def test_zero_baseline_linear_fallback():
    # linear: actual (5 − 0)/3 = 1.6667 per year; required (10 − 0)/5 = 2 per year; ratio 0.8333 → moderate
    a = assess_one(
        base_year=2015,
        base_value=0,
        current_year=2018,
        current_value=5,
        target=10,
        target_year=2020,
        nonpositive="linear",
    )
    assert a.ratio == pytest.approx(0.833333, abs=1e-6)
    assert a.category == m.EU_MODERATE and "线性" in a.rule
    # ESCAP linear: anticipated 0 + 1.6667 · 5 = 8.333; ratio 8.333/10
    e = assess_one(
        base_year=2015, base_value=0, current_year=2018, current_value=5, target=10, target_year=2020, method="escap",
        nonpositive="linear",
    )  # fmt: skip
    assert e.anticipated == pytest.approx(8.333333, abs=1e-6) and e.category == m.ESCAP_ACCELERATE


@pytest.mark.parametrize("year", [2014, 2015])
def test_period_before_or_at_baseline(year):
    a = assess_one(**{**BASE, "current_year": year})
    assert a.category == m.NA_NO_TIME and a.status == "无法评估" and math.isnan(a.ratio)


def test_target_year_itself():
    # 2020 value 180 < 200: CAGR (1.8) ** (1/5) − 1 = 0.124746; required 0.148698; RR = 0.83892 → moderate
    a = assess_one(**{**BASE, "current_year": 2020, "current_value": 180.0})
    assert a.expected == pytest.approx(200.0)
    assert a.ratio == pytest.approx(0.83892, abs=1e-5) and a.category == m.EU_MODERATE
    assert a.status == "预警"  # (200 − 180)/200 = 10 % below the path


def test_missing_years_and_values():
    df = pd.DataFrame([{**BASE, "indicator": "a", "direction": "increase"}] * 3)
    df.loc[0, "current_year"] = np.nan
    df.loc[1, "base_value"] = np.nan
    df.loc[2, "current_value"] = np.nan
    res = assess(df)
    assert (res["category"] == m.NA_MISSING).all() and (res["status"] == "无法评估").all()


@pytest.mark.parametrize("method", ["eurostat", "escap", "path"])
def test_target_equal_to_baseline(method):
    met = assess_one(**{**BASE, "target": 100.0, "current_value": 101.0}, method=method)
    assert met.category == m.TARGET_MET
    fell = assess_one(**{**BASE, "target": 100.0, "current_value": 95.0}, method=method)
    assert math.isnan(fell.ratio)
    assert fell.category in (m.EU_AWAY, m.ESCAP_REGRESSING, m.PATH_SEVERE)
    assert "所需变化为 0" in fell.rule and fell.status == "严重滞后"


# --- the table API ------------------------------------------------------------------------------


def test_assess_frame_columns_and_no_mutation():
    df = pd.DataFrame(
        {
            "indicator": ["rd", "energy"],
            "unit": ["兰州新区", "白银高新区"],
            "base_year": [2015, 2015],
            "base_value": [1.2, 1.0],
            "current_year": [2018, 2018],
            "current_value": [1.6, 0.8],
            "target": [2.5, 0.5],
            "target_year": [2020, 2020],
            "direction": ["increase", "decrease"],
        }
    )
    before = df.copy()
    res = assess(df, method="escap")
    pd.testing.assert_frame_equal(df, before)
    assert list(res.columns[:14]) == [
        "indicator", "unit", "base_year", "base_value", "current_year", "current_value", "target",
        "target_year", "direction", "expected", "ratio", "category", "status", "rule",
    ]  # fmt: skip
    assert list(res["unit"]) == ["兰州新区", "白银高新区"]


def test_input_validation_names_row_column_and_rule():
    good = {**{k: [v] for k, v in BASE.items()}, "indicator": ["a"], "direction": ["increase"]}
    with pytest.raises(ProgressInputError, match="direction") as e1:
        assess({k: v for k, v in good.items() if k != "direction"})
    assert e1.value.column == "direction"
    with pytest.raises(ProgressInputError) as e2:
        assess({**good, "direction": ["up"]})
    assert (e2.value.row, e2.value.column) == (0, "direction")
    with pytest.raises(ProgressInputError) as e3:
        assess({**good, "base_value": ["abc"]})
    assert (e3.value.row, e3.value.column, e3.value.rule) == (0, "base_value", "numeric value")
    with pytest.raises(ProgressInputError, match="target_year"):
        assess({**good, "target_year": [2014]})
    with pytest.raises(ValueError, match="method"):
        assess(good, method="oecd")
    with pytest.raises(TypeError, match="data"):
        assess([1, 2, 3])


@settings(max_examples=60, deadline=None)
@given(
    st.floats(1, 1e6),
    st.floats(0.01, 10),
    st.floats(0.01, 10),
    st.integers(1, 9),
    st.sampled_from(["increase", "decrease"]),
    st.sampled_from(["eurostat", "escap", "path"]),
)
def test_vectorised_equals_scalar_and_met_is_consistent(b, fc, ft, years, direction, method):
    # Positive values, a target on the desired side of the baseline.
    target = b * (1 + ft) if direction == "increase" else b / (1 + ft)
    cur = b * fc
    rows = [
        dict(indicator="x", base_year=2015, base_value=b, current_year=2015 + years, current_value=cur,
             target=target, target_year=2025, direction=direction)
    ]  # fmt: skip
    res = assess(pd.DataFrame(rows), method=method).iloc[0]
    one = assess_one(**{k: v for k, v in rows[0].items()}, method=method)
    assert res["category"] == one.category and res["status"] == one.status
    met = cur >= target if direction == "increase" else cur <= target
    assert (one.category == m.TARGET_MET) is met
    assert one.category and one.rule  # never an empty category or rule


def test_negative_current_value_and_missing_target_per_method():
    neg = assess_one(
        base_year=2015, base_value=5, current_year=2018, current_value=-1, target=10, target_year=2020
    )
    assert neg.category == m.NA_NEGATIVE and math.isnan(neg.ratio)
    kw = dict(
        base_year=2015,
        base_value=5,
        current_year=2018,
        current_value=6,
        target=math.nan,
        target_year=math.nan,
    )
    assert assess_one(**kw, method="escap").category == m.NA_NO_TARGET
    assert assess_one(**kw, method="path").category == m.NA_NO_TARGET
    # the path method still works with an annual target and no final target
    p = assess_one(**kw, method="path", annual_targets={2018: 5.5})
    assert p.expected == 5.5 and p.status == "正常" and p.category == m.PATH_ON_TRACK
