"""Unit tests of the individual methods: treatment, imputation, normalisation, weights, aggregation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from lanbai.core.composite import (
    DegenerateIndicator,
    FrameworkError,
    aggregate,
    budget_allocation_weights,
    compute,
    framework_from_dict,
    impute,
    kurt,
    normalise_column,
    skew,
    treat_column,
    winsorise,
)
from lanbai.core.composite.treat import log_ct

X = np.array([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0])


def test_skew_kurt_are_type2_as_excel():
    assert skew(X) == pytest.approx(stats.skew(X, bias=False))
    assert kurt(X) == pytest.approx(stats.kurtosis(X, bias=False))


def test_winsorise_moves_extremes_until_passing():
    x = np.r_[np.arange(30.0), 500, 800, 1200]
    w, n, ok = winsorise(x, winmax=5)
    assert ok and n == 3
    assert np.all(w[-3:] == 29.0) and np.array_equal(w[:30], x[:30])
    assert np.array_equal(x[-1:], [1200])  # input untouched


def test_treat_falls_back_to_log_on_original():
    x = np.r_[np.arange(100.0), 10 ** np.arange(3, 12.0)]
    y, rec = treat_column(x, "x", winmax=5)
    assert rec.action == "log"
    assert np.allclose(y, np.log(x - x.min() + 0.01 * (x.max() - x.min())))
    assert np.allclose(log_ct(x), y)


def test_treat_leaves_passing_column():
    y, rec = treat_column(X, "x")
    assert rec.action == "none" and np.array_equal(y, X)


def test_imputers():
    df = pd.DataFrame({"a": [1.0, np.nan, 3.0, 10.0, np.nan], "b": [1.0, 2.0, 3.0, 4.0, 5.0]})
    g = pd.Series(["p", "p", "p", "q", "q"])
    out, mask = impute(df, "group_mean", groups=g)
    assert out["a"].tolist() == [1.0, 2.0, 3.0, 10.0, 10.0] and mask["a"].sum() == 2
    out, _ = impute(df, "median")
    assert out.loc[1, "a"] == 3.0
    out, mask = impute(df, "none")
    assert out["a"].isna().sum() == 2 and not mask.to_numpy().any()
    assert df["a"].isna().sum() == 2  # not mutated
    units = pd.Series(["u", "u", "u", "v", "v"])
    years = pd.Series([2014, 2015, 2016, 2014, 2015])
    out, _ = impute(df, "locf", units=units, years=years)
    assert out["a"].tolist() == [1.0, 1.0, 3.0, 10.0, 10.0]
    out, _ = impute(df, "interpolate", units=units, years=years)
    assert out["a"].tolist() == [1.0, 2.0, 3.0, 10.0, 10.0]
    with pytest.raises(ValueError, match="group"):
        impute(df, "group_mean")


def test_normalisers_values():
    x = np.array([2.0, 4.0, 6.0])
    assert normalise_column(x, {"method": "minmax", "lower": 0, "upper": 100}).tolist() == [0, 50, 100]
    assert normalise_column(x, {"method": "minmax"}, direction=-1).tolist() == [100, 50, 0]
    assert np.allclose(normalise_column(x, {"method": "zscore"}), [-1, 0, 1])
    assert normalise_column(x, {"method": "goalposts", "min": 0, "max": 5}).tolist() == [0.4, 0.8, 1.0]
    assert normalise_column(
        x, {"method": "goalposts", "min": 0, "max": 5}, direction=-1
    ).tolist() == pytest.approx([0.6, 0.2, 0.0])
    assert normalise_column(x, {"method": "dist2target", "target": 4, "cap": True}).tolist() == [0, 1, 1]
    assert normalise_column(
        x, {"method": "dist2ref", "unit": "b"}, units=np.array(["a", "b", "c"])
    ).tolist() == [0, 1, 2]
    assert normalise_column(x, {"method": "rank"}).tolist() == [1, 2, 3]
    assert normalise_column(x, {"method": "percentile"}).tolist() == [0, 0.5, 1]
    assert normalise_column(x, {"method": "fracmax"}).tolist() == pytest.approx([1 / 3, 2 / 3, 1])
    u, y = np.array(["a", "a", "b", "b"]), np.array([2014, 2015, 2014, 2015])
    v = np.array([2.0, 3.0, 4.0, 2.0])
    assert normalise_column(v, {"method": "ratio_to_base", "base_year": 2014}, units=u, years=y).tolist() == [
        100,
        150,
        100,
        50,
    ]
    assert normalise_column(
        v, {"method": "ratio_to_base", "base_year": 2014}, direction=-1, units=u, years=y
    ).tolist() == pytest.approx([100, 200 / 3, 100, 200])
    ref = normalise_column(
        v, {"method": "ratio_to_base", "base_year": 2014, "reference": "b"}, units=u, years=y
    )
    assert ref.tolist() == [50, 75, 100, 50]
    with pytest.raises(DegenerateIndicator, match="constant"):
        normalise_column(np.ones(4), {"method": "minmax"})
    with pytest.raises(ValueError, match="unknown method"):
        normalise_column(x, {"method": "nope"})


def test_aggregators_values():
    x = np.array([[1.0, 4.0], [2.0, 8.0]])
    w = np.array([1.0, 1.0])
    assert aggregate(x, w, "arithmetic").tolist() == [2.5, 5.0]
    assert aggregate(x, w, "geometric").tolist() == pytest.approx([2.0, 4.0])
    assert aggregate(x, w, "harmonic").tolist() == pytest.approx([1.6, 3.2])
    assert aggregate(x, np.array([3.0, 1.0]), "arithmetic").tolist() == [1.75, 3.5]
    m = aggregate(x, w, {"method": "mean_min", "alpha": 1, "beta": 0})
    assert m.tolist() == pytest.approx([1.0, 2.0])  # alpha=1, beta=0 -> the minimum
    mpi = aggregate(x, w, "mazziotta_pareto")
    assert mpi[0] == pytest.approx(2.5 - 1.5 * (1.5 / 2.5))
    # NaN skipped with re-normalised weights; batched leading axes
    assert aggregate(np.array([[np.nan, 4.0]]), w, "arithmetic").tolist() == [4.0]
    xb = np.stack([x, x * 2])
    assert aggregate(xb, np.array([[1.0, 1.0], [1.0, 3.0]])[:, None, :], "arithmetic").shape == (2, 2)


def test_weights_modes():
    nodes = [
        {"code": "I"},
        {"code": "a", "parent": "I", "weight": 3},
        {"code": "b", "parent": "I", "weight": 1},
    ]
    d = pd.DataFrame({"unit": list("uvwx"), "a": [1.0, 2.0, 3.0, 4.0], "b": [4.0, 1.0, 3.0, 2.0]})
    fw = framework_from_dict({"nodes": nodes, "method": {"normalise": {"method": "none"}}})
    assert compute(fw, d).index.tolist() == pytest.approx(((3 * d.a + d.b) / 4).tolist())
    assert compute(fw, d, method={"weights": "equal"}).index.tolist() == pytest.approx(
        ((d.a + d.b) / 2).tolist()
    )
    pca = compute(fw, d, method={"weights": "pca"})
    assert pca.weights["a"] == pytest.approx(0.5) and pca.weights["b"] == pytest.approx(
        0.5
    )  # 2 vars: equal loadings
    assert compute(fw, d, method={"weights": {"a": 1, "b": 0}}).index.tolist() == d.a.tolist()
    with pytest.raises(FrameworkError):
        compute(fw, d, method={"weights": {"zz": 1}})


def test_budget_allocation():
    alloc = pd.DataFrame({"a": [60, 40], "b": [40, 60]}, index=["e1", "e2"])
    assert budget_allocation_weights(alloc) == {"a": 0.5, "b": 0.5}
    with pytest.raises(FrameworkError, match="e2"):
        budget_allocation_weights(pd.DataFrame({"a": [60, 40], "b": [40, 50]}, index=["e1", "e2"]))


def test_base100_with_minmax_panel():
    nodes = [{"code": "I"}, {"code": "a", "parent": "I"}, {"code": "b", "parent": "I"}]
    fw = framework_from_dict(
        {
            "nodes": nodes,
            "method": {"normalise": {"method": "minmax", "lower": 1, "upper": 100}, "base_year": 2014},
        }
    )
    d = pd.DataFrame(
        {
            "unit": ["u", "u", "v", "v"],
            "year": [2014, 2015, 2014, 2015],
            "a": [1.0, 2.0, 3.0, 4.0],
            "b": [1.0, 3.0, 2.0, 5.0],
        }
    )
    t = compute(fw, d).table()
    assert t.loc[t.year == 2014, "base100"].tolist() == [100.0, 100.0]
    assert t.groupby("year")["rank"].apply(sorted).tolist() == [[1, 2], [1, 2]]
