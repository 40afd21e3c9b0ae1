"""Diagnosis: contributions to a gap (by zone, by input) and outliers, against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lanbai.core.diagnosis import (
    DiagnosisError,
    history_range_outliers,
    ratio_change_inputs,
    ratio_gap_contributions,
    robust_z_outliers,
    sum_gap_contributions,
)


def test_sum_gap_splits_the_path_by_reference_share():
    # expected 300 for the aggregate; zone A had 2/3 of it in the reference year, zone B 1/3
    out = sum_gap_contributions({"A": 150.0, "B": 100.0}, {"A": 2.0, "B": 1.0}, expected=300.0)
    out = out.set_index("member")
    assert out.loc["A", "expected_part"] == pytest.approx(200.0)
    assert out.loc["A", "contribution"] == pytest.approx(-50.0)  # 150 − 200
    assert out.loc["B", "contribution"] == pytest.approx(0.0)  # 100 − 100
    assert out.loc["A", "share_of_gap"] == pytest.approx(1.0)
    assert out.attrs["gap"] == pytest.approx(-50.0)


def test_sum_gap_counts_a_missing_member_as_not_reported():
    out = sum_gap_contributions({"A": 90.0, "B": np.nan}, {"A": 0.5, "B": 0.5}, expected=200.0).set_index(
        "member"
    )
    assert not out.loc["B", "reported"]
    assert out.loc["B", "contribution"] == pytest.approx(-100.0)
    assert out["contribution"].sum() == pytest.approx(out.attrs["gap"]) == pytest.approx(90.0 - 200.0)


def test_sum_gap_refuses_mismatched_or_bad_shares():
    with pytest.raises(DiagnosisError, match="shares"):
        sum_gap_contributions({"A": 1.0}, {"B": 1.0}, expected=1.0)
    with pytest.raises(DiagnosisError, match="shares"):
        sum_gap_contributions({"A": 1.0}, {"A": 0.0}, expected=1.0)
    with pytest.raises(DiagnosisError, match="expected"):
        sum_gap_contributions({"A": 1.0}, {"A": 1.0}, expected=float("nan"))


def test_zero_gap_gives_undefined_share_of_gap_but_contributions():
    out = sum_gap_contributions({"A": 60.0, "B": 40.0}, {"A": 0.5, "B": 0.5}, expected=100.0)
    assert out["share_of_gap"].isna().all()
    assert list(out["contribution"]) == pytest.approx([10.0, -10.0])


def test_ratio_gap_weighted_deviation():
    # R&D intensity in %: A = 90/9000 = 1 %, B = 50/1000 = 5 %; aggregate 140/10000 = 1.4 %; expected 2 %
    out = ratio_gap_contributions({"A": 90.0, "B": 50.0}, {"A": 9000.0, "B": 1000.0}, expected=2.0, scale=100)
    out = out.set_index("member")
    assert out.attrs["actual"] == pytest.approx(1.4)
    assert out.loc["A", "weight"] == pytest.approx(0.9)
    assert out.loc["A", "contribution"] == pytest.approx(0.9 * (1.0 - 2.0))  # −0.9 pp
    assert out.loc["B", "contribution"] == pytest.approx(0.1 * (5.0 - 2.0))  # +0.3 pp
    assert out["contribution"].sum() == pytest.approx(1.4 - 2.0)


def test_ratio_gap_refuses_zero_denominators():
    with pytest.raises(DiagnosisError, match="denominators"):
        ratio_gap_contributions({"A": 1.0}, {"A": 0.0}, expected=1.0)


def test_ratio_change_lmdi_by_hand():
    # GDP (denominator) +50 %, R&D (numerator) +20 %: ratio 2 % -> 1.6 %
    out = ratio_change_inputs([2.0], [100.0], [2.4], [150.0], scale=100).iloc[0]
    assert out["ratio_0"] == pytest.approx(2.0) and out["ratio_1"] == pytest.approx(1.6)
    L = (1.6 - 2.0) / math.log(1.6 / 2.0)
    assert out["contrib_num"] == pytest.approx(L * math.log(1.2))
    assert out["contrib_den"] == pytest.approx(-L * math.log(1.5))
    assert out["contrib_num"] + out["contrib_den"] == pytest.approx(-0.4)
    assert out["num_growth"] == pytest.approx(0.2) and out["den_growth"] == pytest.approx(0.5)
    assert pd.isna(out["reason"])


def test_ratio_change_not_decomposable_is_explained():
    out = ratio_change_inputs([0.0, np.nan, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0], [1.0, 1.0, 1.0])
    assert np.isnan(out.loc[0, "contrib_num"]) and "非正" in out.loc[0, "reason"]
    assert "缺少" in out.loc[1, "reason"]
    assert out.loc[2, "contrib_num"] == 0 and pd.isna(out.loc[2, "reason"])  # unchanged ratio


@given(st.lists(st.tuples(*[st.floats(0.01, 1e6)] * 4), min_size=1, max_size=20))
def test_lmdi_parts_always_add_up(rows):
    a = np.array(rows)
    out = ratio_change_inputs(a[:, 0], a[:, 1], a[:, 2], a[:, 3])
    np.testing.assert_allclose(out["contrib_num"] + out["contrib_den"], out["change"], rtol=1e-7, atol=1e-9)


def test_modified_z_score_by_hand():
    vals = [10.0, 12.0, 11.0, 13.0, 50.0]  # median 12, |dev| = 2,0,1,1,38 -> MAD 1
    df = pd.DataFrame({"unit": list("abcde"), "period": "2018Q4", "field": "gdp", "value": vals})
    out = robust_z_outliers(df).set_index("unit")
    assert out.loc["e", "median"] == 12.0 and out.loc["e", "mad"] == 1.0
    assert out.loc["e", "z"] == pytest.approx(0.6745 * 38)
    assert out.loc["a", "z"] == pytest.approx(0.6745 * -2)
    assert list(out["outlier"]) == [False, False, False, False, True]
    assert (out["z_method"] == "MAD").all()


def test_modified_z_falls_back_to_mean_absolute_deviation_when_mad_is_zero():
    df = pd.DataFrame({"period": "q", "field": "f", "value": [5.0, 5.0, 5.0, 5.0, 20.0]})
    out = robust_z_outliers(df)
    meanad = 15 / 5
    assert out.loc[4, "z"] == pytest.approx(15 / (1.253314 * meanad))  # 3.99
    assert out.loc[4, "z_method"] == "MeanAD" and out.loc[4, "outlier"] and not out.loc[0, "outlier"]


def test_too_few_reporters_are_not_assessed():
    df = pd.DataFrame({"period": "q", "field": "f", "value": [1.0, 100.0]})
    out = robust_z_outliers(df)
    assert not out["outlier"].any() and out["z"].isna().all() and "少于" in out.loc[0, "reason"]


def _hist(values):
    return pd.DataFrame(
        {"unit": "u", "field": "f", "period": [f"{2014 + i}Q4" for i in range(len(values))], "value": values}
    )


def test_history_range_mad_by_hand():
    hist = _hist([100.0, 110.0, 105.0, 120.0])  # median 107.5, |dev| 7.5 2.5 2.5 12.5 -> MAD 5
    cur = pd.DataFrame({"unit": ["u"], "field": ["f"], "period": ["2018Q4"], "value": [200.0]})
    out = history_range_outliers(cur, hist).iloc[0]
    sigma = 5 / 0.6745
    assert out["centre"] == 107.5 and out["spread"] == pytest.approx(sigma)
    assert out["upper"] == pytest.approx(107.5 + 3 * sigma)
    assert out["outlier"] and out["bound"] == "upper"
    assert out["history"] == [["2014Q4", 100.0], ["2015Q4", 110.0], ["2016Q4", 105.0], ["2017Q4", 120.0]]


def test_history_range_sd_like_dhis2_and_only_earlier_periods_count():
    hist = _hist([100.0, 110.0, 105.0, 120.0, 1000.0])  # the 2018Q4 value itself is not history
    cur = pd.DataFrame({"unit": ["u"], "field": ["f"], "period": ["2018Q4"], "value": [1000.0]})
    out = history_range_outliers(cur, hist, method="sd", k=2).iloc[0]
    h = np.array([100.0, 110.0, 105.0, 120.0])
    assert out["history_n"] == 4
    assert out["lower"] == pytest.approx(h.mean() - 2 * h.std(ddof=1))
    assert out["outlier"] and out["bound"] == "upper"


def test_history_range_short_history_not_assessed_and_bad_method_refused():
    cur = pd.DataFrame({"unit": ["u"], "field": ["f"], "period": ["2016Q4"], "value": [1.0]})
    out = history_range_outliers(cur, _hist([1.0, 2.0])).iloc[0]
    assert not out["outlier"] and "少于" in out["reason"] and out["history_n"] == 2
    with pytest.raises(DiagnosisError, match="method"):
        history_range_outliers(cur, _hist([1.0]), method="iqr")
