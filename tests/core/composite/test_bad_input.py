"""Bad input: each case is a clear error or a documented, reported treatment; never NaN in the output."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lanbai.core.composite import FrameworkError, IndexDataError, compute, framework_from_dict


def _fw(nodes, method=None):
    return framework_from_dict({"code": "t", "nodes": nodes, "method": method or {}})


BASE = [
    {"code": "I"},
    {"code": "P1", "parent": "I"},
    {"code": "P2", "parent": "I"},
    {"code": "a", "parent": "P1"},
    {"code": "b", "parent": "P1"},
    {"code": "c", "parent": "P2", "direction": -1},
]
DATA = pd.DataFrame(
    {"unit": list("uvwxy"), "a": [1, 2, 3, 4, 5.0], "b": [2, 1, 4, 3, 5.0], "c": [5, 3, 4, 1, 2.0]}
)


def test_cycle_names_the_nodes():
    with pytest.raises(FrameworkError) as e:
        _fw(
            [
                {"code": "I"},
                {"code": "A", "parent": "B"},
                {"code": "B", "parent": "A"},
                {"code": "x", "parent": "A"},
            ]
        )
    assert any(i.rule == "cycle" and "A" in i.message and "B" in i.message for i in e.value.issues)


def test_unknown_parent_and_duplicate():
    with pytest.raises(FrameworkError) as e:
        _fw([{"code": "I"}, {"code": "a", "parent": "Z"}, {"code": "a", "parent": "I"}])
    rules = {(i.node, i.rule) for i in e.value.issues}
    assert ("a", "unknown-parent") in rules and ("a", "duplicate-code") in rules


def test_weights_not_summing_as_declared():
    nodes = [
        {"code": "I", "weights_sum": 1},
        {"code": "a", "parent": "I", "weight": 0.5},
        {"code": "b", "parent": "I", "weight": 0.4},
    ]
    with pytest.raises(FrameworkError) as e:
        _fw(nodes)
    (issue,) = e.value.issues
    assert issue.node == "I" and issue.rule == "weights-sum" and "0.9" in issue.message


def test_bad_direction_and_negative_weight():
    with pytest.raises(FrameworkError) as e:
        _fw([{"code": "I"}, {"code": "a", "parent": "I", "direction": 2, "weight": -1}])
    assert {i.rule for i in e.value.issues} >= {"direction", "weight-non-negative"}


def test_missing_indicator_column():
    with pytest.raises(IndexDataError, match=r"\['c'\]"):
        compute(_fw(BASE), DATA.drop(columns="c"))


def test_unit_with_all_indicators_missing_is_screened_and_reported():
    d = DATA.copy()
    d.loc[2, ["a", "b", "c"]] = np.nan
    res = compute(_fw(BASE, {"impute": "mean"}), d)
    assert "w" not in set(res.rows["unit"])
    assert [r["unit"] for r in res.report["screened_out"]] == ["w"]
    assert np.isfinite(res.table().select_dtypes("number").to_numpy()).all()


def test_constant_indicator_under_zscore_dropped_and_reported():
    d = DATA.assign(b=3.0)
    res = compute(_fw(BASE, {"normalise": "zscore"}), d)
    assert res.report["dropped_indicators"][0]["indicator"] == "b"
    assert "b" not in res.scores.columns
    assert np.isfinite(res.table().select_dtypes("number").to_numpy()).all()
    # P1 then equals the z-score of a alone
    a = DATA["a"].to_numpy()
    assert np.allclose(res.scores["P1"], (a - a.mean()) / a.std(ddof=1))


def test_constant_indicator_error_policy():
    with pytest.raises(IndexDataError, match="constant"):
        compute(_fw(BASE, {"normalise": "zscore", "on_constant": "error"}), DATA.assign(b=3.0))


def test_missing_whole_pillar_without_imputation_reported_not_nan():
    d = DATA.copy()
    d.loc[1, "c"] = np.nan
    res = compute(_fw(BASE), d)
    assert "v" not in set(res.rows["unit"])
    assert res.report["incomplete_units"] == [{"unit": "v", "node": "P2", "reason": "no data for any child"}]
    assert np.isfinite(res.table().select_dtypes("number").to_numpy()).all()


def test_partial_pillar_reweights_and_reports():
    d = DATA.copy()
    d.loc[0, "a"] = np.nan
    res = compute(_fw(BASE), d)
    assert res.report["partial_units"] == [{"unit": "u", "missing": ["a"]}]
    assert res.scores.loc[0, "P1"] == res.scores.loc[0, "b"]


def test_non_numeric_value_and_duplicates():
    with pytest.raises(IndexDataError, match="non-numeric"):
        compute(_fw(BASE), DATA.assign(a=["1", "x", "3", "4", "5"]))
    with pytest.raises(IndexDataError, match="duplicate"):
        compute(_fw(BASE), pd.concat([DATA, DATA.iloc[:1]]))


def test_geometric_with_zero_is_an_error():
    with pytest.raises(ValueError, match="positive"):
        compute(_fw(BASE, {"aggregate": "geometric"}), DATA)
    res = compute(
        _fw(BASE, {"aggregate": "geometric", "normalise": {"method": "minmax", "lower": 1, "upper": 100}}),
        DATA,
    )
    assert np.isfinite(res.index).all()
