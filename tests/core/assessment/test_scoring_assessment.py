"""The pure assessment scoring (issue 16 item 4): a small case computed by hand, and the scheme's errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lanbai.core.assessment import SchemeError, load_scheme, parse_scheme, score_units

PLAN_SCHEME = Path(__file__).parents[3] / "plans" / "lanbai-2015-2020" / "assessment" / "scheme.yaml"


def _scheme(**changes):
    data = {
        "version": 1, "name": "test", "source": "七（二）",
        "components": [
            {"code": "ind", "name": "指标", "source": "indicators", "weight": 60, "field": "status",
             "points": {"达标": 1, "正常": 0.5}, "exclude": ["无目标"], "rule": "r"},
            {"code": "time", "name": "及时", "source": "reports", "weight": 40, "field": "on_time",
             "points": {"true": 1, "false": 0}, "rule": "r"},
        ],
        "bands": [{"grade": "优秀", "min": 90}, {"grade": "合格", "min": 60}, {"grade": "不合格", "min": 0}],
        "city": {"zones": 0.5, "own": 0.5},
    }
    data.update(changes)
    return parse_scheme(data, file="t.yaml")


UNITS = pd.DataFrame({"unit": ["c", "z1", "z2"], "name": ["城", "区一", "区二"], "kind": ["city", "zone", "zone"],
                      "city": ["", "c", "c"]})
EVIDENCE = {
    "indicators": pd.DataFrame({"unit": ["z1", "z1", "z1", "z2"], "ref": ["a", "b", "x", "a"],
                                "label": ["A", "B", "X", "A"], "status": ["达标", "正常", "无目标", "达标"]}),
    "reports": pd.DataFrame({"unit": ["z1", "z1", "z1", "z1", "z2", "c", "c"], "ref": list("pqrstuv"),
                             "label": list("PQRSTUV"),
                             "on_time": [True, True, False, True, False, True, False]}),
}


def test_hand_computed_case():
    """z1: 指标 (1 + 0.5) / 2 × 60 = 45, 及时 3/4 × 40 = 30 → 75 合格; z2: 60 + 0 → 60 合格;
    city c: no indicator (dropped), 及时 1/2 × 40 = 20 of 40 → 50; zones' mean 67.5 → 0.5 × 67.5 + 0.5 × 50."""
    result = score_units(_scheme(), UNITS, EVIDENCE)
    s = result.scores.set_index("unit")
    assert s.loc["z1", "total"] == 75.0 and s.loc["z1", "grade"] == "合格"
    assert s.loc["z2", "total"] == 60.0 and s.loc["z2", "grade"] == "合格"
    assert s.loc["c", "own_total"] == 50.0
    assert s.loc["c", "zones_total"] == 67.5
    assert s.loc["c", "total"] == 58.75 and s.loc["c", "grade"] == "不合格"
    comp = result.components.set_index(["unit", "component"])
    assert comp.loc[("z1", "ind"), "score"] == 45.0 and comp.loc[("z1", "ind"), "rows"] == 2
    assert not comp.loc[("c", "ind"), "applicable"]
    assert comp.loc[("c", "zones"), "score"] == 67.5
    ev = result.evidence
    excluded = ev[(ev["unit"] == "z1") & (ev["ref"] == "x")].iloc[0]
    assert not excluded["counted"] and pd.isna(excluded["points"])
    late = ev[(ev["unit"] == "z1") & (ev["ref"] == "r")].iloc[0]
    assert late["value"] == "false" and late["points"] == 0


def test_records_carry_the_evidence_behind_each_point():
    recs = {r["unit"]: r for r in score_units(_scheme(), UNITS, EVIDENCE).records()}
    z1 = {c["component"]: c for c in recs["z1"]["components"]}
    assert [e["ref"] for e in z1["time"]["evidence"]] == ["p", "q", "r", "s"]
    assert sum(e["points"] for e in z1["time"]["evidence"]) == 3
    city = {c["component"]: c for c in recs["c"]["components"]}
    assert {e["ref"]: e["points"] for e in city["zones"]["evidence"]} == {"z1": 0.75, "z2": 0.6}
    assert recs["c"]["total"] == 58.75


def test_empty_zero_scores_a_missing_component_as_nought():
    comps = _scheme().model_dump()["components"]
    comps[0]["empty"] = "zero"
    s = score_units(_scheme(components=comps), UNITS, EVIDENCE).scores.set_index("unit")
    assert s.loc["c", "own_total"] == 20.0  # 0 of 60 + 20 of 40


def test_filter_keeps_only_the_named_rows():
    comps = _scheme().model_dump()["components"]
    comps[1]["filter"] = {"ref": ["p", "r"]}
    comp = score_units(_scheme(components=comps), UNITS, EVIDENCE).components.set_index(["unit", "component"])
    assert comp.loc[("z1", "time"), "share"] == 0.5


def test_shipped_scheme_is_valid():
    scheme = load_scheme(PLAN_SCHEME)
    assert sum(c.weight for c in scheme.components) == 100
    assert [b.grade for b in scheme.bands] == ["优秀", "良好", "合格", "不合格"]
    assert scheme.grade(89.99) == "良好" and scheme.grade(90) == "优秀" and scheme.grade(0) == "不合格"


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"components": [{**_scheme().model_dump()["components"][0], "weight": 50},
                         _scheme().model_dump()["components"][1]]}, "(top level)", "add up to 100"),
        ({"bands": [{"grade": "优秀", "min": 90}, {"grade": "合格", "min": 95}]}, "(top level)", "decrease"),
        ({"city": {"zones": 0.5, "own": 0.6}}, "city", "must be 1"),
    ],
)
def test_scheme_errors_name_file_and_field(change, field, words):
    with pytest.raises(SchemeError) as exc:
        _scheme(**change)
    assert exc.value.file == "t.yaml" and exc.value.field == field and words in exc.value.message


def test_a_bad_component_field_names_the_component(tmp_path):
    text = PLAN_SCHEME.read_text(encoding="utf-8").replace("weight: 20\n    field: status", "weight: -3\n    field: status")
    (tmp_path / "scheme.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SchemeError) as exc:
        load_scheme(tmp_path / "scheme.yaml")
    assert exc.value.file == "scheme.yaml"
    assert exc.value.field == "components[1](measures_completed).weight"
    assert "scheme.yaml: components[1](measures_completed).weight" in str(exc.value)
