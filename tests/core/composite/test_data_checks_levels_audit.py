"""Issue 17 items 1–3 in the core: the framework check against the data (no data, no variance),
the declared base year per indicator, the level index (min–max within a year) and the audit tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lanbai.core.composite import FrameworkError, IndexDataError, compute_index, framework_from_dict
from lanbai.core.composite.audit import audit, contributions, effective_weights
from lanbai.core.composite.checks import indicator_data_issues
from lanbai.core.composite.coherence import cronbach_alpha
from lanbai.core.composite.levels import level_index


def _fw(**method):
    return framework_from_dict(
        {
            "code": "T",
            "name": "test",
            "method": {
                "normalise": {"method": "ratio_to_base", "reference": "own"},
                "base_year": 2014,
                **method,
            },
            "nodes": [
                {"code": "T", "weights_sum": 1.0},
                {"code": "p", "parent": "T", "weight": 0.75},
                {"code": "q", "parent": "T", "weight": 0.25},
                {"code": "a", "parent": "p", "weight": 1},
                {"code": "b", "parent": "p", "weight": 3},
                {"code": "c", "parent": "q", "weight": 1, "direction": -1, "base_year": 2015},
            ],
        }
    )


def _long(values: dict[tuple[str, int], dict[str, float]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"unit": u, "year": y, "indicator": i, "value": v}
            for (u, y), row in values.items()
            for i, v in row.items()
        ]
    )


BASE = {
    ("u1", 2014): {"a": 10, "b": 5, "c": 2},
    ("u2", 2014): {"a": 20, "b": 4, "c": 3},
    ("u3", 2014): {"a": 40, "b": 8, "c": 4},
    ("u1", 2015): {"a": 12, "b": 6, "c": 1.8},
    ("u2", 2015): {"a": 22, "b": 6, "c": 2.4},
    ("u3", 2015): {"a": 40, "b": 9, "c": 4.4},
}


def test_clean_data_has_no_issue():
    assert (
        indicator_data_issues(_fw(), _long(BASE), units=["u1", "u2", "u3"], years=[2015], reference_year=2014)
        == []
    )


def test_an_indicator_the_same_for_every_unit_is_refused_naming_it_and_the_year():
    data = {k: dict(v) for k, v in BASE.items()}
    for u in ("u1", "u2", "u3"):
        data[(u, 2015)]["b"] = 7.0
    issues = indicator_data_issues(
        _fw(), _long(data), units=["u1", "u2", "u3"], years=[2015], reference_year=2014
    )
    assert [(i.indicator, i.year, i.rule) for i in issues] == [("b", 2015, "no-variance")]
    assert "2015" in str(issues[0]) and "b" in str(issues[0])


def test_the_same_growth_for_every_unit_is_refused_except_in_a_declared_base_year():
    data = {k: dict(v) for k, v in BASE.items()}
    for u in ("u1", "u2", "u3"):
        data[(u, 2015)]["a"] = data[(u, 2014)]["a"] * 1.5  # every unit +50 %: index 150 for all
    issues = indicator_data_issues(
        _fw(), _long(data), units=["u1", "u2", "u3"], years=[2015], reference_year=2014
    )
    assert [(i.indicator, i.year, i.rule) for i in issues] == [("a", 2015, "no-variance-growth")]
    assert "150.0" in issues[0].message
    # 2015 is the declared base of 'a' for the units (their index is 100 there by construction)
    assert (
        indicator_data_issues(
            _fw(),
            _long(data),
            units=["u1", "u2", "u3"],
            years=[2015],
            reference_year=2014,
            base_years={"a": [2015]},
        )
        == []
    )


def test_missing_data_is_refused_for_one_unit_and_for_all():
    data = {k: dict(v) for k, v in BASE.items()}
    del data[("u2", 2015)]["c"]
    issues = indicator_data_issues(
        _fw(), _long(data), units=["u1", "u2", "u3"], years=[2015], reference_year=2014, names={"u2": "二区"}
    )
    assert [(i.indicator, i.year, i.rule) for i in issues] == [("c", 2015, "no-data")]
    assert "二区" in issues[0].message
    for u in ("u1", "u3"):
        del data[(u, 2015)]["c"]
    issues = indicator_data_issues(_fw(), _long(data), units=["u1", "u2", "u3"], years=[2015, 2016])
    assert {(i.indicator, i.year, i.rule) for i in issues} >= {("c", 2015, "no-data"), ("a", 2016, "no-data")}


def test_declared_base_year_is_an_integer_on_indicators_only():
    assert _fw().nodes["c"].base_year == 2015 and _fw().nodes["a"].base_year is None
    spec = {
        "code": "T",
        "nodes": [
            {"code": "T", "base_year": 2015},
            {"code": "a", "parent": "T", "base_year": "2015"},
        ],
    }
    with pytest.raises(FrameworkError) as exc:
        framework_from_dict(spec)
    text = str(exc.value)
    assert (
        "nodes[0](T).base_year: [wrong-node-type]" in text and "nodes[1](a).base_year: [wrong-type]" in text
    )


def test_level_index_is_min_max_within_the_year_by_hand():
    fw = _fw()
    wide = _long(BASE).pivot_table(index=["unit", "year"], columns="indicator", values="value").reset_index()
    res = level_index(fw, wide, 2015)
    got = dict(zip(res.rows["unit"], res.scores["T"], strict=True))
    # 2015: a 12/22/40 -> 0, 35.714, 100; b 6/6/9 -> 0, 0, 100; c (lower is better) 1.8/2.4/4.4 -> 100, 76.923, 0
    p = {"u1": (0 * 1 + 0 * 3) / 4, "u2": (100 * 10 / 28 + 0) / 4, "u3": 100.0}
    q = {"u1": 100.0, "u2": 100 * 2.0 / 2.6, "u3": 0.0}
    for u in got:
        assert got[u] == pytest.approx(0.75 * p[u] + 0.25 * q[u])
    same = wide.copy()
    same.loc[same["year"] == 2015, "b"] = 6.0
    with pytest.raises(IndexDataError, match="b"):
        level_index(fw, same, 2015)  # constant in the year: refused, not dropped


def test_audit_tables_by_hand():
    rng = np.random.default_rng(3)
    rows = {}
    for u in range(6):
        for y in (2014, 2015, 2016):
            rows[(f"u{u}", y)] = {k: float(rng.uniform(1, 10)) for k in ("a", "b", "c")}
    fw = _fw()
    fw = framework_from_dict(
        {
            "code": "T",
            "method": {"normalise": {"method": "minmax"}},
            "nodes": [
                {
                    "code": n.code,
                    "parent": n.parent,
                    "weight": n.weight,
                    **({"direction": n.direction} if n.parent in ("p", "q") else {}),
                }
                for n in fw.nodes.values()
            ],
        }
    )
    res = compute_index(fw, _long(rows))
    assert effective_weights(fw) == pytest.approx(
        {"T": 1, "p": 0.75, "q": 0.25, "a": 0.1875, "b": 0.5625, "c": 0.25}
    )
    tabs = audit(res)
    imp = tabs["importance"].set_index("indicator")
    S = res.scores
    for c in ("a", "b", "c"):
        assert imp.at[c, "S_i"] == pytest.approx(np.corrcoef(S[c], S["T"])[0, 1] ** 2)
    assert imp["importance_share"].sum() == pytest.approx(1.0)
    assert imp.at["b", "share_to_weight"] == pytest.approx(imp.at["b", "importance_share"] / 0.5625)
    corr = tabs["correlations"].set_index("indicator")
    assert corr.at["a", "r_own_pillar"] == pytest.approx(np.corrcoef(S["a"], S["p"])[0, 1])
    assert corr.at["a", "closest_other_pillar"] == "q"
    pill = tabs["pillars"].set_index("node")
    assert pill.at["p", "cronbach_alpha"] == pytest.approx(cronbach_alpha(S[["a", "b"]].to_numpy()))
    # arithmetic tree: contributions add up to the index minus the reference
    pc, ic = contributions(res, 4, reference=50.0)
    assert sum(pc.values()) == pytest.approx(S.at[4, "T"] - 50.0)
    assert sum(ic.values()) == pytest.approx(S.at[4, "T"] - 50.0)


# --- distance to the plan's targets (item 2: beside the level index) ------------------------------------


def test_target_attainment_by_hand():
    from lanbai.core.composite.targets import NO_TARGET, PlanTarget, target_attainment

    fw = _fw()  # effective weights a 0.1875, b 0.5625, c 0.25
    targets = {"a": PlanTarget(20.0, 2020, "附件1"), "c": PlanTarget(1.5, 2020, "专栏1")}
    got = target_attainment(fw, {"a": 15.0, "b": 7.0, "c": 1.2}, targets)
    by = {r["indicator"]: r for r in got["by_indicator"]}
    assert by["a"]["attainment"] == pytest.approx(75.0)  # 15 / 20
    assert by["c"]["attainment"] == pytest.approx(100.0)  # lower is better: 1.5 / 1.2 > 1, capped
    assert by["b"]["attainment"] is None and by["b"]["note"] == NO_TARGET and by["b"]["target"] is None
    assert by["a"]["source"] == "附件1" and by["c"]["target_year"] == 2020
    # the summary covers a and c only: weights renormalised over them
    assert got["attainment"] == pytest.approx((0.1875 * 75 + 0.25 * 100) / (0.1875 + 0.25))
    assert (got["covered"], got["indicators"], got["sources"]) == (2, 3, ["专栏1", "附件1"])
    # lower is better and short of its target: 1.5 / 3.0
    assert target_attainment(fw, {"c": 3.0}, targets)["by_indicator"][2]["attainment"] == pytest.approx(50.0)
    # no target anywhere: no reading, not 0
    none = target_attainment(fw, {"a": 1.0, "b": 1.0, "c": 1.0}, {})
    assert none["attainment"] is None and none["covered"] == 0
    assert all(r["note"] == NO_TARGET for r in none["by_indicator"])
    # a target without a value: no reading for it, said why
    miss = target_attainment(fw, {"a": None, "c": 1.5}, targets)
    assert miss["by_indicator"][0]["attainment"] is None and miss["by_indicator"][0]["note"]
    assert miss["attainment"] == pytest.approx(100.0) and miss["covered"] == 1
