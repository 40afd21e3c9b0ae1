"""Framework validation without holes (issue 17 item 4): every key of every block is declared
(lanbai.core.composite.schema); unknown keys are refused with the node path and a "did you mean",
missing required parameters and wrong types are FrameworkError messages, never a traceback."""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from lanbai.core.composite import FrameworkError, compute, framework_from_dict, load_framework
from lanbai.core.composite.normalise import normalise_column

ROOT = Path(__file__).resolve().parents[3]
HDI = ROOT / "tests" / "data" / "composite" / "hdi"
SHIPPED = [
    ROOT / "tests" / "data" / "composite" / "coinr-asem" / "framework.yaml",
    HDI / "framework.yaml",
    ROOT / "plans" / "lanbai-2015-2020" / "index" / "framework.yaml",
]
BASE = {
    "code": "t",
    "method": {"normalise": {"method": "minmax", "lower": 0, "upper": 100}},
    "nodes": [
        {"code": "I"},
        {"code": "P1", "parent": "I", "weight": 1},
        {"code": "P2", "parent": "I", "weight": 1},
        {"code": "a", "parent": "P1", "target": 5},
        {"code": "b", "parent": "P1"},
        {"code": "c", "parent": "P2", "direction": -1},
    ],
}


def _hdi_spec() -> dict:
    return yaml.safe_load((HDI / "framework.yaml").read_text(encoding="utf-8"))


def _issues(spec) -> list:
    with pytest.raises(FrameworkError) as e:
        framework_from_dict(spec)
    return e.value.issues


def _one(spec):
    issues = _issues(spec)
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


def _with(**changes):
    spec = copy.deepcopy(BASE)
    for path, value in changes.items():
        *head, last = path.split("__")
        cur = spec
        for h in head:
            cur = cur[int(h)] if isinstance(cur, list) else cur.setdefault(h, {})
        cur[int(last) if isinstance(cur, list) else last] = value
    return spec


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.parent.name)
def test_shipped_and_example_frameworks_load(path):
    fw = load_framework(path)
    assert fw.indicators and fw.root


# --- the reported case: a misspelt key in a normalise block -------------------------------------


def test_logarithm_for_log_is_refused_with_did_you_mean():
    spec = _hdi_spec()
    gni = next(i for i, n in enumerate(spec["nodes"]) if n["code"] == "gni_pc")
    spec["nodes"][gni]["normalise"] = {"method": "goalposts", "min": 100, "max": 75000, "logarithm": True}
    issue = _one(spec)
    assert issue.node == f"nodes[{gni}](gni_pc).normalise" and issue.rule == "unknown-key"
    assert "'logarithm'" in issue.message and "did you mean 'log'?" in issue.message
    # why it matters: without ln income (what the ignored key meant) Afghanistan is far off its HDI
    t = pd.read_csv(HDI / "hdr2022_composite_2021.csv")
    ok = compute(load_framework(HDI / "framework.yaml"), t).index[t["unit"].eq("AFG")].item()
    spec["nodes"][gni]["normalise"].pop("logarithm")
    nolog = compute(framework_from_dict(spec), t).index[t["unit"].eq("AFG")].item()
    assert round(ok, 3) == 0.478 and nolog < 0.4


# --- misspelt keys at every level ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "node", "bad", "suggestion"),
    [
        ({**BASE, "methd": {}}, "framework", "methd", "method"),
        (_with(method__normalize={"method": "zscore"}), "method", "normalize", "normalise"),
        (_with(nodes__4__weigth=2), "nodes[4](b)", "weigth", "weight"),
        (_with(nodes__1__weights_sun=1), "nodes[1](P1)", "weights_sun", "weights_sum"),
        (_with(method__normalise={"method": "minmax", "lowr": 1}), "method.normalise", "lowr", "lower"),
        (_with(nodes__5__normalise={"method": "goalposts", "min": 0, "max": 9, "truncat": False}),
         "nodes[5](c).normalise", "truncat", "truncate"),
        # a node block without 'method' adjusts the framework's method (min-max here)
        (_with(nodes__3__normalise={"uper": 10}), "nodes[3](a).normalise", "uper", "upper"),
        (_with(method__impute={"method": "group_mean", "grup": "g"}), "method.impute", "grup", "group"),
        (_with(method__treat={"method": "winsorise", "winmx": 3}), "method.treat", "winmx", "winmax"),
        (_with(nodes__4__treat={"kurtosis": 3}), "nodes[4](b).treat", "kurtosis", "kurt"),
        (_with(method__aggregate={"method": "mean_min", "alpah": 0.5}), "method.aggregate", "alpah", "alpha"),
        (_with(nodes__0__aggregate={"method": "mean_min", "betta": 1}), "nodes[0](I).aggregate", "betta", "beta"),
        (_with(method__screen={"min_coverge": 0.5}), "method.screen", "min_coverge", "min_coverage"),
        (_with(method__weights={"P11": 2}), "method.weights", "P11", "P1"),
        (_with(method__sensitivity={"weight": {"noise": 0.2}}), "method.sensitivity", "weight", "weights"),
        (_with(method__sensitivity={"weights": {"nois": 0.2}}), "method.sensitivity.weights", "nois", "noise"),
        (_with(method__sensitivity={"aggregate": ["nominal", {"method": "mean_min", "alfa": 0.2}]}),
         "method.sensitivity.aggregate[1]", "alfa", "alpha"),
    ],
)  # fmt: skip
def test_misspelt_key_refused_with_node_and_suggestion(spec, node, bad, suggestion):
    # (a misspelt required key is also reported missing: method.impute 'grup' -> 'group' needed)
    (issue,) = [i for i in _issues(spec) if i.rule == "unknown-key"]
    assert issue.node == node and issue.rule == "unknown-key"
    assert repr(bad) in issue.message and f"did you mean {suggestion!r}?" in issue.message


@pytest.mark.parametrize(
    ("spec", "node", "suggestion"),
    [
        (_with(method__normalise={"method": "goalpost", "min": 0, "max": 1}), "method.normalise.method", "goalposts"),
        (_with(nodes__0__aggregate={"method": "geometirc"}), "nodes[0](I).aggregate.method", "geometric"),
        (_with(method__impute="loc"), "method.impute.method", "locf"),
        (_with(method__weights="equl"), "method.weights", "equal"),
        (_with(method__on_constant="dorp"), "method.on_constant", "drop"),
        (_with(method__screen={"stage": "after_imputation"}), "method.screen.stage", "after_impute"),
        (_with(method__sensitivity={"normalise": ["nominal", "zscor"]}),
         "method.sensitivity.normalise[1].method", "zscore"),
    ],
)  # fmt: skip
def test_misspelt_value_refused_with_suggestion(spec, node, suggestion):
    issue = _one(spec)
    assert issue.node == node and issue.rule == "bad-value"
    assert f"did you mean {suggestion!r}?" in issue.message


def test_key_for_another_method_is_named_with_the_method():
    issue = _one(_with(method__normalise={"method": "minmax", "min": 0}))
    assert issue.node == "method.normalise" and "for normalise method 'minmax'" in issue.message


# --- required parameters ------------------------------------------------------------------------


def test_goalposts_without_min_is_a_message_not_a_keyerror():
    spec = _hdi_spec()
    le = next(i for i, n in enumerate(spec["nodes"]) if n["code"] == "life_expectancy")
    del spec["nodes"][le]["normalise"]["min"]
    issue = _one(spec)
    assert issue.node == f"nodes[{le}](life_expectancy).normalise" and issue.rule == "missing-parameter"
    assert "'goalposts' needs 'min'" in issue.message
    assert "invalid framework" in str(FrameworkError([issue]))


def test_goalposts_without_min_in_the_method_block_and_in_an_alternative():
    issue = _one(_with(method__normalise={"method": "goalposts", "max": 10}))
    assert (issue.node, issue.rule) == ("method.normalise", "missing-parameter") and "'min'" in issue.message
    alt = _with(method__sensitivity={"normalise": ["nominal", {"method": "goalposts", "min": 0}]})
    issue = _one(alt)
    assert issue.node == "method.sensitivity.normalise[1]" and "'max'" in issue.message
    # a node block may supply what the framework's method lacks
    ok = _with(method__normalise={"method": "goalposts"})
    for i in (3, 4, 5):
        ok["nodes"][i]["normalise"] = {"min": 0, "max": 10}
    framework_from_dict(ok)


def test_goalposts_spec_at_run_time_is_a_clear_error():
    with pytest.raises(ValueError, match="'goalposts' needs 'min' and 'max'"):
        normalise_column(np.array([1.0, 2.0]), {"method": "goalposts", "max": 3}, code="x")


@pytest.mark.parametrize(
    ("spec", "node", "needle"),
    [
        (_with(method__impute={"method": "group_mean"}), "method.impute", "needs 'group'"),
        (_with(method__normalise={"method": "dist2ref"}), "method.normalise", "needs 'unit'"),
        (_with(method__normalise={"method": "ratio_to_base"}), "method.normalise", "needs 'base_year'"),
        (_with(nodes__4__normalise={"method": "dist2target"}), "nodes[4](b).normalise", "needs 'target'"),
    ],
)
def test_missing_required_parameter(spec, node, needle):
    issue = _one(spec)
    assert issue.node == node and issue.rule == "missing-parameter" and needle in issue.message


def test_dist2target_names_every_indicator_without_a_target():
    issues = _issues(_with(method__normalise="dist2target"))
    assert [i.node for i in issues] == ["nodes[4](b)", "nodes[5](c)"]  # a has its target
    assert all("needs 'target'" in i.message and "[method.normalise]" in i.message for i in issues)
    framework_from_dict(_with(method__normalise="ratio_to_base", method__base_year=2014))


def test_missing_code_and_missing_nodes():
    issue = _one(_with(nodes__4={"parent": "P1"}))
    assert issue.node == "nodes[4]" and issue.rule == "missing-code"
    with pytest.raises(FrameworkError, match="'nodes' must be a non-empty list"):
        framework_from_dict({"code": "x", "method": {}})


# --- wrong types --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "node", "rule", "needle"),
    [
        (_with(nodes__4__weight="high"), "nodes[4](b).weight", "weight-number", "'high'"),
        (_with(nodes__4__direction="up"), "nodes[4](b).direction", "direction", "'up'"),
        (_with(nodes__4__target="five"), "nodes[4](b).target", "wrong-type", "must be a number"),
        (_with(nodes__0__weights_sum="2"), "nodes[0](I).weights_sum", "wrong-type", "must be a number"),
        (_with(nodes__4__denominator=["P1"]), "nodes[4](b).denominator", "wrong-type", "must be a code"),
        (_with(nodes__5__normalise=3), "nodes[5](c).normalise", "wrong-type", "got 3 (integer)"),
        (_with(nodes__5__normalise={"method": "goalposts", "min": 0, "max": "9"}),
         "nodes[5](c).normalise.max", "wrong-type", "got '9' (text)"),
        (_with(nodes__5__normalise={"method": "goalposts", "min": 0, "max": 9, "log": "yes"}),
         "nodes[5](c).normalise.log", "wrong-type", "true or false"),
        (_with(method__denominate="yes"), "method.denominate", "wrong-type", "true or false"),
        (_with(method__base_year=2014.5), "method.base_year", "wrong-type", "an integer"),
        (_with(method__treat={"method": "winsorise", "winmax": "5"}), "method.treat.winmax", "wrong-type",
         "an integer"),
        (_with(method__screen={"min_coverage": 1.5}), "method.screen.min_coverage", "out-of-range", "<= 1"),
        (_with(method__screen=0.5), "method.screen", "wrong-type", "must be a mapping"),
        (_with(method__sensitivity={"weights": {"noise": 1}}), "method.sensitivity.weights.noise",
         "out-of-range", "< 1"),
        (_with(method__sensitivity={"aggregate": "geometric"}), "method.sensitivity.aggregate", "wrong-type",
         "list of alternatives"),
        (_with(method__weights={"P1": "2"}), "method.weights.P1", "wrong-type", "must be a number"),
        ({**BASE, "method": ["minmax"]}, "framework.method", "wrong-type", "must be a mapping"),
        ({**BASE, "name": ["x"]}, "framework.name", "wrong-type", "must be a text"),
    ],
)  # fmt: skip
def test_wrong_types_named(spec, node, rule, needle):
    issue = _one(spec)
    assert (issue.node, issue.rule) == (node, rule) and needle in issue.message, str(issue)


def test_fields_on_the_wrong_node_type():
    issue = _one(_with(nodes__1__normalise={"method": "zscore"}))
    assert issue.node == "nodes[1](P1).normalise" and issue.rule == "wrong-node-type"
    assert "indicator nodes" in issue.message and "ignored" in issue.message
    issue = _one(_with(nodes__4__aggregate={"method": "geometric"}))
    assert issue.node == "nodes[4](b).aggregate" and "aggregate nodes" in issue.message


def test_goalposts_order_and_log_bounds():
    issue = _one(_with(nodes__5__normalise={"method": "goalposts", "min": 9, "max": 1}))
    assert issue.rule == "bad-value" and "min < max" in issue.message
    issue = _one(_with(nodes__5__normalise={"method": "goalposts", "min": 0, "max": 9, "log": True}))
    assert issue.rule == "bad-value" and "min > 0" in issue.message


def test_every_problem_is_reported_together():
    spec = _with(methd={}, nodes__4__weigth=2, nodes__5__normalise={"method": "goalposts", "max": 1})
    nodes = {i.node for i in _issues(spec)}
    assert {"framework", "nodes[4](b)", "nodes[5](c).normalise"} <= nodes


def test_misspelt_and_missing_in_one_block_both_reported():
    spec = _with(nodes__5__normalise={"method": "goalposts", "max": 9, "minimum": 0})
    assert [(i.rule, "'minimum'" in i.message or "needs 'min'" in i.message) for i in _issues(spec)] == [
        ("unknown-key", True),
        ("missing-parameter", True),
    ]


def test_bare_method_names_accepted_in_node_blocks():
    fw = framework_from_dict(_with(nodes__4__normalise="zscore", nodes__0__aggregate="geometric"))
    assert fw.nodes["b"].normalise == {"method": "zscore"} and fw.nodes["I"].aggregate == {
        "method": "geometric"
    }


def test_load_framework_reports_the_file_problem(tmp_path):
    f = tmp_path / "fw.yaml"
    f.write_text(
        "code: x\nnodes:\n  - {code: I}\n  - {code: a, parent: I, normalise: {method: goalposts, max: 1}}\n"
    )
    with pytest.raises(FrameworkError, match=r"nodes\[1\]\(a\)\.normalise: \[missing-parameter\]"):
        load_framework(f)
