"""Primary suppression: the threshold rule and the (1, 85) dominance rule on hand-made cells."""

from __future__ import annotations

import pandas as pd
import pytest

from lanbai.core.disclosure import (
    DOMINANCE,
    THRESHOLD,
    DisclosureError,
    DisclosureRules,
    assess_cells,
    primary_suppression,
    rules_from_plan,
)
from lanbai.core.plan import default_plan_dir, load_plan
from lanbai.core.plan.schema import DisclosureControl


def micro(*rows):
    return pd.DataFrame(rows, columns=["zone", "enterprise", "value"])


CELLS = pd.DataFrame({"zone": ["two", "ninety", "exact85", "over85", "fine", "empty"]})
CONTRIBUTIONS = micro(
    ("two", "e1", 50.0), ("two", "e2", 50.0),  # 2 enterprises: threshold
    ("ninety", "e1", 90.0), ("ninety", "e2", 5.0), ("ninety", "e3", 5.0),  # one gives 90 %: dominance
    ("exact85", "e1", 85.0), ("exact85", "e2", 10.0), ("exact85", "e3", 5.0),  # exactly 85 %: published
    ("over85", "e1", 85.1), ("over85", "e2", 9.9), ("over85", "e3", 5.0),  # 85.1 %: dominance
    ("fine", "e1", 40.0), ("fine", "e2", 35.0), ("fine", "e3", 25.0),
)  # fmt: skip


def test_threshold_dominance_and_the_85_percent_boundary():
    out = assess_cells(CELLS, contributions=CONTRIBUTIONS, keys=["zone"]).set_index(CELLS.zone)
    assert out.loc["two", "reason"] == THRESHOLD and out.loc["two", "contributors"] == 2
    assert out.loc["ninety", "reason"] == DOMINANCE and out.loc["ninety", "dominance_pct"] == pytest.approx(
        90.0
    )
    assert out.loc["exact85", "reason"] is None and not out.loc["exact85", "primary"]
    assert out.loc["exact85", "dominance_pct"] == pytest.approx(85.0)
    assert out.loc["over85", "reason"] == DOMINANCE
    assert out.loc["fine", "reason"] is None
    # an empty cell reveals no enterprise: not confidential
    assert out.loc["empty", "contributors"] == 0 and not out.loc["empty", "primary"]
    assert out["primary"].tolist() == [True, True, False, True, False, False]
    assert (
        primary_suppression(CELLS, contributions=CONTRIBUTIONS, keys=["zone"]).tolist()
        == out["primary"].tolist()
    )


def test_the_exact_boundary_holds_with_decimal_figures_summed_in_floats():
    # 0.1 + 0.2 + ... sums are not exact in binary; 85 % of them must still count as exactly 85 %
    cells = pd.DataFrame({"zone": ["z"]})
    contributions = micro(("z", "e1", 0.85 * 3), ("z", "e2", 0.1 * 3), ("z", "e3", 0.05 * 3))
    assert not primary_suppression(cells, contributions=contributions, keys=["zone"]).iloc[0]


def test_one_enterprise_is_one_contributor_and_zero_figures_do_not_count():
    cells = pd.DataFrame({"zone": ["split", "zeros"]})
    contributions = micro(
        ("split", "e1", 45.0), ("split", "e1", 45.0), ("split", "e2", 5.0), ("split", "e3", 5.0),
        ("zeros", "e1", 100.0), ("zeros", "e2", 0.0), ("zeros", "e3", 0.0),
    )  # fmt: skip
    out = assess_cells(cells, contributions=contributions, keys=["zone"])
    assert out["contributors"].tolist() == [3, 1]
    assert out["reason"].tolist() == [DOMINANCE, THRESHOLD]  # e1's two rows are 90 %; the zeros hide nothing


def test_a_4qu_total_gathers_the_enterprises_of_its_zones():
    cells = pd.DataFrame({"zone": ["z1", "z2", "z3", "z4", "4区合计"]})
    contributions = micro(
        ("z1", "big", 900.0), ("z1", "a", 10.0), ("z1", "b", 10.0),
        ("z2", "big", 30.0), ("z2", "c", 20.0), ("z2", "d", 20.0),
        ("z3", "e", 5.0), ("z3", "f", 5.0), ("z3", "g", 5.0),
        ("z4", "h", 1.0), ("z4", "i", 1.0), ("z4", "j", 1.0),
    )  # fmt: skip
    out = assess_cells(cells, contributions=contributions, keys=["zone"], totals={"zone": "4区合计"})
    total = out.iloc[4]
    assert total["contributors"] == 11  # "big" counted once across z1 and z2 (12 rows)
    assert total["dominance_pct"] == pytest.approx(100 * 930 / 1008)
    assert out["reason"].tolist() == [DOMINANCE, None, None, None, DOMINANCE]


def test_two_dimensional_cells_with_margins_and_hierarchy():
    cells = pd.DataFrame(
        [(z, i) for z in ["lz", "by", "合计"] for i in ["a", "b", "合计"]], columns=["zone", "industry"]
    )
    contributions = pd.DataFrame(
        [("lz", "a", "e1", 10), ("lz", "a", "e2", 10), ("lz", "b", "e3", 10), ("lz", "b", "e4", 10),
         ("lz", "b", "e5", 10), ("by", "a", "e6", 10), ("by", "a", "e7", 10), ("by", "a", "e8", 10),
         ("by", "b", "e9", 10)],
        columns=["zone", "industry", "enterprise", "value"],
    )  # fmt: skip
    out = assess_cells(
        cells,
        contributions=contributions,
        keys=["zone", "industry"],
        hierarchies={"zone": {"合计": ["lz", "by"]}, "industry": {"合计": ["a", "b"]}},
    )
    counts = dict(zip(zip(cells.zone, cells.industry, strict=True), out["contributors"], strict=True))
    assert counts[("lz", "a")] == 2 and counts[("by", "b")] == 1 and counts[("合计", "合计")] == 9
    assert counts[("lz", "合计")] == 5 and counts[("合计", "a")] == 5
    flagged = {k for k, p in zip(counts, out["primary"], strict=True) if p}
    assert flagged == {("lz", "a"), ("by", "b")}


def test_thresholds_are_options_and_the_plan_gives_the_defaults():
    kw = dict(contributions=CONTRIBUTIONS, keys=["zone"])
    assert primary_suppression(CELLS, **kw, min_contributors=2).tolist()[0] is False
    assert primary_suppression(CELLS, **kw, dominance_k=95.0).tolist()[1] is False
    # (2, 85): the two largest of "fine" give 75 %, of "exact85" 95 %
    two = primary_suppression(CELLS, **kw, rules=DisclosureRules(dominance_n=2))
    assert two.tolist() == [True, True, True, True, False, False]
    plan = load_plan(default_plan_dir())
    assert rules_from_plan(plan) == DisclosureRules(min_contributors=3, dominance_n=1, dominance_k=85.0)
    assert rules_from_plan(object()) == DisclosureRules()
    assert DisclosureRules.from_mapping({"dominance_k": 80}).dominance_k == 80


@pytest.mark.parametrize(
    "bad",
    [
        dict(min_contributors=0),
        dict(dominance_n=1.5),
        dict(dominance_k=0),
        dict(dominance_k=101),
        dict(protection_pct=100),
    ],
)
def test_bad_thresholds_are_refused(bad):
    with pytest.raises(DisclosureError):
        DisclosureRules(**bad)


def test_the_plan_section_refuses_bad_thresholds_and_unknown_keys():
    with pytest.raises(ValueError):
        DisclosureControl.model_validate({"dominance_k": 120.0})
    with pytest.raises(ValueError):
        DisclosureControl.model_validate({"min_contributor": 3})
    with pytest.raises(DisclosureError, match="unknown"):
        DisclosureRules.from_mapping({"k": 3})


def test_missing_columns_are_named():
    with pytest.raises(DisclosureError, match="enterprise"):
        primary_suppression(CELLS, contributions=CONTRIBUTIONS.drop(columns="enterprise"), keys=["zone"])
