"""Hypothesis properties of normalisers and aggregators."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from lanbai.core.composite import aggregate, normalise_column

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=0.01, max_value=1e6, allow_nan=False, allow_infinity=False)
cols = arrays(np.float64, st.integers(3, 30), elements=finite).filter(
    lambda v: np.ptp(v) > 1e-6 * (1 + np.abs(v).max())
)
NORMS = [
    {"method": "minmax", "lower": 0, "upper": 100},
    {"method": "zscore"},
    {"method": "rank"},
    {"method": "percentile"},
    {"method": "goalposts", "min": -1e5, "max": 1e5},
    {"method": "dist2max"},
]


@settings(max_examples=60, deadline=None)
@given(cols, st.sampled_from(NORMS), st.sampled_from([1, -1]), st.randoms(use_true_random=False))
def test_normalisers_order_invariant_monotone_not_mutating(x, spec, d, rnd):
    x0 = x.copy()
    y = normalise_column(x, spec, direction=d)
    assert np.array_equal(x, x0)
    perm = list(range(len(x)))
    rnd.shuffle(perm)
    yp = normalise_column(x[perm], spec, direction=d)
    assert np.allclose(yp, y[perm])
    # monotone: higher raw (times direction) never gives a lower normalised value
    o = np.argsort(x * d, kind="stable")
    assert np.all(np.diff(y[o]) >= -1e-9)


@settings(max_examples=60, deadline=None)
@given(cols)
def test_minmax_within_bounds(x):
    y = normalise_column(x, {"method": "minmax", "lower": 1, "upper": 100})
    assert y.min() >= 1 - 1e-9 and y.max() <= 100 + 1e-9
    g = normalise_column(x, {"method": "goalposts", "min": np.median(x), "max": x.max() + 1})
    assert g.min() >= 0 and g.max() <= 1


mats = st.integers(2, 8).flatmap(
    lambda k: arrays(np.float64, st.tuples(st.integers(1, 10), st.just(k)), elements=positive)
)


@settings(max_examples=60, deadline=None)
@given(mats, st.sampled_from(["arithmetic", "geometric", "harmonic", "mean_min", "mazziotta_pareto"]))
def test_aggregators(X, method):
    X0 = X.copy()
    k = X.shape[1]
    w = np.ones(k)
    y = aggregate(X, w, method)
    assert np.array_equal(X, X0)
    lo, hi = X.min(axis=1), X.max(axis=1)
    if method in ("arithmetic", "geometric", "harmonic"):
        assert np.all(y >= lo * (1 - 1e-9) - 1e-9) and np.all(y <= hi * (1 + 1e-9) + 1e-9)
    else:
        assert np.all(y <= X.mean(axis=1) + 1e-6)
    # children order invariance
    p = np.random.default_rng(0).permutation(k)
    assert np.allclose(aggregate(X[:, p], w[p], method), y)
    # monotone in each child (not MPI: its penalty is only monotone on the standardised 100 +- 10 scale)
    if method != "mazziotta_pareto":
        assert np.all(aggregate(X * 1.0 + np.eye(k)[0] * 1.0, w, method) >= y - 1e-9)


@settings(max_examples=60, deadline=None)
@given(mats)
def test_equal_weights_is_plain_mean(X):
    assert np.allclose(aggregate(X, np.full(X.shape[1], 3.0), "arithmetic"), X.mean(axis=1))
    assert np.allclose(aggregate(X, np.ones(X.shape[1]), "geometric"), np.exp(np.log(X).mean(axis=1)))


@settings(max_examples=8, deadline=None)
@given(st.permutations(list(range(51))))
def test_full_pipeline_unit_order_invariant(perm):
    """Denominate, group-mean imputation, treatment, normalisation and aggregation do not depend on row order."""
    from pathlib import Path

    import pandas as pd

    from lanbai.core.composite import compute, load_framework

    data_dir = Path(__file__).resolve().parents[2] / "data" / "composite" / "coinr-asem"
    fw = load_framework(data_dir / "framework.yaml")
    d = pd.read_csv(data_dir / "ASEM_iData.csv").rename(columns={"uCode": "unit"})
    a = compute(fw, d).table().set_index("unit").sort_index()
    b = compute(fw, d.iloc[perm]).table().set_index("unit").sort_index()
    pd.testing.assert_frame_equal(a, b)
