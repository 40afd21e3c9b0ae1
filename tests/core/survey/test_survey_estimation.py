"""Stratified estimates against hand computation on a small fixed sample (Cochran ch. 5)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lanbai.core.survey import SampleDesign, estimate, estimate_by_domain, response_weights, select_sample

# Stratum A: N=10, 4 sampled, 3 answered (y 2, 4, 6); B: take-all N=2, both answered (10, 20);
# C: N=5, 3 sampled, 2 answered (1, 3).
SAMPLE = pd.DataFrame(
    {
        "stratum": ["A"] * 4 + ["B"] * 2 + ["C"] * 3,
        "N_h": [10] * 4 + [2] * 2 + [5] * 3,
        "responded": [True, True, True, False, True, True, True, True, False],
        "y": [2, 4, 6, None, 10, 20, 1, 3, None],
        "x": [1, 2, 3, None, 5, 5, 1, 1, None],
        "zone": ["lz", "by", "lz", "lz", "lz", "by", "by", "by", "lz"],
    }
)
N = 17
VAR_TOTAL = 10**2 * (1 - 3 / 10) * 4 / 3 + 0 + 5**2 * (1 - 2 / 5) * 2 / 2  # s²_A = 4, s²_C = 2


def test_total_and_its_standard_error():
    est = estimate(SAMPLE, "y", kind="total")
    assert est.value == pytest.approx(10 * 4 + 2 * 15 + 5 * 2)  # 80
    assert est.se == pytest.approx(math.sqrt(VAR_TOTAL))  # sqrt(108.33) = 10.408
    assert (est.ci_low, est.ci_high) == pytest.approx((80 - 1.959964 * est.se, 80 + 1.959964 * est.se), rel=1e-6)
    assert (est.respondents, est.population, est.uncovered) == (7, N, 0)


def test_mean_and_proportion():
    mean = estimate(SAMPLE, "y", kind="mean")
    assert mean.value == pytest.approx(80 / N) and mean.se == pytest.approx(math.sqrt(VAR_TOTAL) / N)
    share = estimate(SAMPLE.assign(big=(SAMPLE["y"] > 3).astype(float).where(SAMPLE["responded"])), "big",
                     kind="proportion")
    # A: 0,1,1 (p 2/3, s² 1/3); B: 1,1; C: 0,0
    assert share.value == pytest.approx((10 * 2 / 3 + 2 + 0) / N)
    assert share.se == pytest.approx(math.sqrt(10**2 * 0.7 * (1 / 3) / 3) / N)


def test_ratio_by_linearisation():
    est = estimate(SAMPLE, "y", kind="ratio", x="x")
    tx, ty = 10 * 2 + 2 * 5 + 5 * 1, 80
    r = ty / tx
    # residuals y - R x: A -0.2857, -0.5714, -0.8571 (s² = (2/7)² ... = 0.08163); C -1.2857, 0.7143 (s² = 2)
    s2_a = ((2 - r * 1) ** 2 + (4 - r * 2) ** 2 + (6 - r * 3) ** 2 - 3 * ((12 - r * 6) / 3) ** 2) / 2
    s2_c = ((1 - r) - (3 - r)) ** 2 / 2
    var = (100 * 0.7 * s2_a / 3 + 25 * 0.6 * s2_c / 2) / tx**2
    assert est.value == pytest.approx(r) and est.se == pytest.approx(math.sqrt(var))


def test_weights_are_population_over_respondents():
    w = response_weights(SAMPLE)
    assert list(w) == pytest.approx([10 / 3] * 3 + [0] + [1, 1] + [2.5, 2.5, 0])
    assert w.groupby(SAMPLE["stratum"]).sum().to_dict() == pytest.approx({"A": 10, "B": 2, "C": 5})


def test_domains_cut_across_strata():
    by_zone = estimate_by_domain(SAMPLE, "y", domain="zone", kind="total")
    # lz: A (2, 6 -> y·1d = 2, 0, 6; mean 8/3), B (10, 0 -> mean 5), C (0, 0)
    assert by_zone["lz"].value == pytest.approx(10 * 8 / 3 + 2 * 5 + 0)
    assert by_zone["lz"].value + by_zone["by"].value == pytest.approx(80)
    s2_a = pd.Series([2.0, 0.0, 6.0]).var()
    assert by_zone["lz"].se == pytest.approx(math.sqrt(100 * 0.7 * s2_a / 3))
    means = estimate_by_domain(SAMPLE, "y", domain="zone", kind="mean")
    assert means["lz"].value == pytest.approx((10 * 8 / 3 + 10) / (10 * 2 / 3 + 1))


def test_census_with_full_response_has_no_sampling_error():
    census = pd.DataFrame({"stratum": ["A", "A", "B"], "N_h": [2, 2, 1], "responded": True, "y": [1.0, 3.0, 5.0]})
    est = estimate(census, "y", lonely="certainty")
    assert est.value == pytest.approx(9) and est.se == 0


def test_undefined_cases_are_explicit():
    no_answer = SAMPLE.assign(responded=SAMPLE["responded"] & (SAMPLE["stratum"] != "C"))
    with pytest.raises(ValueError, match="without any respondent.*'C'"):
        estimate(no_answer, "y")
    est = estimate(no_answer, "y", empty_stratum="exclude")
    assert est.uncovered == 5 and est.population == 12 and est.value == pytest.approx(70)
    lonely = SAMPLE.assign(responded=SAMPLE["responded"] & ~SAMPLE.index.isin([6]))
    with pytest.raises(ValueError, match="single respondent"):
        estimate(lonely, "y")
    assert estimate(lonely, "y", lonely="certainty").value == pytest.approx(40 + 30 + 5 * 3)
    with pytest.raises(ValueError, match="impute item non-response"):
        estimate(SAMPLE.assign(y=SAMPLE["y"].where(SAMPLE.index != 0)), "y")


def test_sample_design_census_above_threshold_and_reproducible():
    frame = pd.DataFrame(
        {"unit": [f"e{i}" for i in range(60)], "zone": ["lz"] * 40 + ["by"] * 20,
         "employees": [500] * 5 + [50] * 35 + [10] * 20}
    )
    design = SampleDesign(census_min_employees=300, sampling_fraction=0.2, size_bands=(0, 20, 100))
    s = select_sample(frame, design=design)
    census = s[s["stratum"] == "lz|census"]
    assert census["selected"].all() and (census["pi"] == 1).all()
    assert s.loc[s["stratum"] == "lz|20-99", "selected"].sum() == 7  # ceil(0.2 × 35)
    assert s.loc[s["stratum"] == "by|0-19", "selected"].sum() == 4
    assert s.loc[s["stratum"] == "lz|20-99", "pi"].iloc[0] == pytest.approx(7 / 35)
    again = select_sample(frame.sample(frac=1, random_state=3), design=design)
    assert set(again.loc[again["selected"], "unit"]) == set(s.loc[s["selected"], "unit"])
    other = select_sample(frame, design=SampleDesign(sampling_fraction=0.2, seed=9))
    assert set(other.loc[other["selected"], "unit"]) != set(s.loc[s["selected"], "unit"])
    with pytest.raises(ValueError, match="size_bands"):
        SampleDesign(size_bands=(5, 20))
