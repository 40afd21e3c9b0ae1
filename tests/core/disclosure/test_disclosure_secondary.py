"""Secondary suppression and its LP audit on hand-made tables whose answer is known."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sdc_tables import KEYS, TOTALS, cells_of, mask, with_margins

from lanbai.core.disclosure import (
    DisclosureError,
    feasibility_intervals,
    recoverable_across_releases,
    recoverable_cells,
    secondary_suppression,
    suppress_across_releases,
    table_structure,
)

# 3×3 inner cells with row, column and grand totals (T).  (r1, c1) is confidential.
INNER = [[20, 50, 10], [8, 19, 22], [17, 32, 12]]
# Around (r1, c1) a 2×2 rectangle (r1|rY) × (c1|cX) is the smallest protecting pattern; hiding
# cX in r1, rY in c1 and the corner (rY, cX) costs c3,r3: 10 + 17 + 12 = 39 (c3,r2: 40; c2,r2: 77; c2,r3: 99).
MINIMAL = {("r1", "c1"), ("r1", "c3"), ("r3", "c1"), ("r3", "c3")}


def test_without_secondary_suppression_the_cell_is_recovered_from_its_row_total():
    table = with_margins(INNER)
    primary = mask(table, ("r1", "c1"))
    audit = feasibility_intervals(table, primary, keys=KEYS, totals=TOTALS)
    hit = audit[primary]
    assert hit["recoverable"].all()
    assert hit["lower"].iloc[0] == pytest.approx(20) and hit["upper"].iloc[0] == pytest.approx(20)


def test_one_primary_cell_needs_complements_in_its_row_and_column_the_minimal_rectangle():
    table = with_margins(INNER)
    primary = mask(table, ("r1", "c1"))
    suppressed = secondary_suppression(table, primary=primary, keys=KEYS, totals=TOTALS)
    assert cells_of(table, suppressed) == MINIMAL
    audit = feasibility_intervals(table, suppressed, keys=KEYS, totals=TOTALS).set_index(
        pd.MultiIndex.from_frame(table[KEYS])
    )
    hidden = audit[audit["suppressed"]]
    assert not hidden["recoverable"].any()
    assert (hidden["upper"] - hidden["lower"] > 0).all()  # every interval is non-degenerate
    # r1c1 + r1c3 = 30, r1c1 + r3c1 = 37, r3c1 + r3c3 = 29, r1c3 + r3c3 = 22: r1c1 ∈ [8, 30]
    assert tuple(hidden.loc[("r1", "c1"), ["lower", "upper"]]) == pytest.approx((8.0, 30.0))
    assert tuple(hidden.loc[("r3", "c3"), ["lower", "upper"]]) == pytest.approx((0.0, 22.0))


def test_the_result_is_deterministic_and_keeps_the_totals():
    table = with_margins(INNER)
    primary = mask(table, ("r1", "c1"))
    runs = {frozenset(cells_of(table, secondary_suppression(table, primary=primary, keys=KEYS, totals=TOTALS)))
            for _ in range(3)}  # fmt: skip
    assert len(runs) == 1
    shuffled = table.sample(frac=1.0, random_state=7)
    again = secondary_suppression(shuffled, primary=primary.loc[shuffled.index], keys=KEYS, totals=TOTALS)
    assert cells_of(shuffled, again) == MINIMAL
    assert not any("T" in cell for cell in MINIMAL)


def test_4qu_total_one_hidden_zone_needs_a_second_one():
    zones = ["兰州新区", "兰州高新区", "白银高新区", "兰白经济区"]
    values = [120.0, 45.0, 30.0, 80.0]
    table = pd.DataFrame({"zone": [*zones, "4区合计"], "value": [*values, sum(values)]})
    primary = table["zone"].eq("白银高新区")
    totals = {"zone": "4区合计"}
    assert recoverable_cells(table, primary, keys=["zone"], totals=totals)[primary].all()
    suppressed = secondary_suppression(table, primary=primary, keys=["zone"], totals=totals)
    # the smallest other zone is the complement; 4区合计 stays published
    assert table.loc[suppressed, "zone"].tolist() == ["兰州高新区", "白银高新区"]
    assert not recoverable_cells(table, suppressed, keys=["zone"], totals=totals).any()


def test_4qu_total_in_a_two_dimensional_table():
    # zones × industries with a 4区合计 row and a 合计 column
    inner = [[30, 12, 40], [25, 9, 33], [18, 26, 21], [40, 35, 50]]
    zones = ["z1", "z2", "z3", "z4"]
    table = with_margins(inner, rows=zones, cols=["a", "b", "c"])
    table["row"] = table["row"].replace({"T": "4区合计"})
    totals = {"row": "4区合计", "col": "T"}
    primary = mask(table, ("z2", "b"), ("4区合计", "a"))  # an inner cell and a total cell
    suppressed = secondary_suppression(table, primary=primary, keys=KEYS, totals=totals)
    audit = feasibility_intervals(table, suppressed, keys=KEYS, totals=totals)
    assert not audit.loc[primary, "recoverable"].any()
    assert suppressed[primary].all()


def test_hierarchical_zones_a_city_total_inside_the_grand_total():
    hier = {
        "zone": {"合计": ["兰州市", "白银市"], "兰州市": ["新区", "高新区"], "白银市": ["白银高新区", "银东"]}
    }
    v = {"新区": 50.0, "高新区": 30.0, "白银高新区": 14.0, "银东": 6.0}
    v |= {"兰州市": 80.0, "白银市": 20.0, "合计": 100.0}
    table = pd.DataFrame({"zone": list(v), "value": list(v.values())})
    primary = table["zone"].eq("新区")
    # recoverable from 兰州市 − 高新区, and from 合计 − 白银市 − 高新区
    assert recoverable_cells(table, primary, keys=["zone"], hierarchies=hier)[primary].all()
    suppressed = secondary_suppression(table, primary=primary, keys=["zone"], hierarchies=hier)
    assert set(table.loc[suppressed, "zone"]) == {"新区", "高新区"}  # the sibling; the city total stays
    assert not recoverable_cells(table, suppressed, keys=["zone"], hierarchies=hier).any()
    # a confidential city total: its value follows from 合计 − 白银市 and from 新区 + 高新区
    primary = table["zone"].eq("兰州市")
    suppressed = secondary_suppression(table, primary=primary, keys=["zone"], hierarchies=hier)
    assert not recoverable_cells(table, suppressed, keys=["zone"], hierarchies=hier)[primary].any()


def test_protection_level_widens_the_pattern_when_asked():
    table = pd.DataFrame({"zone": ["a", "b", "c", "T"], "value": [100.0, 2.0, 50.0, 152.0]})
    primary = table["zone"].eq("a")
    # hiding b (2) leaves a ∈ [100, 102]: not exact, but within 1 % of its value
    plain = secondary_suppression(table, primary=primary, keys=["zone"], totals={"zone": "T"})
    assert table.loc[plain, "zone"].tolist() == ["a", "b"]
    wide = secondary_suppression(
        table, primary=primary, keys=["zone"], totals={"zone": "T"}, protection_pct=10
    )
    assert table.loc[wide, "zone"].tolist() == ["a", "b", "c"]
    audit = feasibility_intervals(table, wide, keys=["zone"], totals={"zone": "T"})
    assert audit.loc[0, "lower"] <= 90 and audit.loc[0, "upper"] >= 110


def test_hidden_cells_summing_to_zero_are_not_a_protection():
    # a and b hidden in a row whose published total says a + b = 0: non-negativity pins both to 0
    table = pd.DataFrame({"zone": ["a", "b", "c", "d", "T"], "value": [0.0, 0.0, 5.0, 7.0, 12.0]})
    primary = table["zone"].eq("a")
    suppressed = secondary_suppression(table, primary=primary, keys=["zone"], totals={"zone": "T"})
    assert not recoverable_cells(table, suppressed, keys=["zone"], totals={"zone": "T"})[primary].any()
    assert suppressed[table["zone"].isin(["c", "d"])].any()


def test_previous_release_a_correction_must_not_reveal_the_cell_hidden_before():
    before = with_margins(INNER)
    hidden_before = secondary_suppression(
        before, primary=mask(before, ("r1", "c1")), keys=KEYS, totals=TOTALS
    )
    assert cells_of(before, hidden_before) == MINIMAL
    # the correction changes r1c2 from 50 to 5 (and its totals); r1c1 is still confidential
    after = with_margins([[20, 5, 10], [8, 19, 22], [17, 32, 12]])
    primary = mask(after, ("r1", "c1"))
    alone = secondary_suppression(after, primary=primary, keys=KEYS, totals=TOTALS)
    # on its own the new release would pick the cheaper rectangle through the corrected cell ...
    assert cells_of(after, alone) == {("r1", "c1"), ("r1", "c2"), ("r2", "c1"), ("r2", "c2")}
    assert not recoverable_cells(after, alone, keys=KEYS, totals=TOTALS).any()
    # ... which publishes r1c3 = 10, unchanged: with release 1's row r1 (r1c1 + r1c3 = 30) r1c1 = 20
    both = recoverable_across_releases(
        after, alone, previous=before, previous_suppressed=hidden_before, keys=KEYS, totals=TOTALS
    )
    leaked = both[both["recoverable"]]
    assert ("previous", "r1", "c1") in set(zip(leaked.release, leaked.row, leaked.col, strict=True))
    # the rule keeps release 1's complements hidden where publishing them would reveal it
    kept = suppress_across_releases(
        after, primary=primary, previous=before, previous_suppressed=hidden_before, keys=KEYS, totals=TOTALS
    )
    assert cells_of(after, kept) == MINIMAL
    audit = recoverable_across_releases(
        after, kept, previous=before, previous_suppressed=hidden_before, keys=KEYS, totals=TOTALS
    )
    assert not audit["recoverable"].any()


def test_previous_release_changed_values_are_new_unknowns():
    before = with_margins(INNER)
    hidden_before = secondary_suppression(
        before, primary=mask(before, ("r1", "c1")), keys=KEYS, totals=TOTALS
    )
    # every inner value changed: nothing links the releases, the new one is judged alone
    after = with_margins(np.asarray(INNER) + 1)
    primary = mask(after, ("r2", "c2"))
    kept = suppress_across_releases(
        after, primary=primary, previous=before, previous_suppressed=hidden_before, keys=KEYS, totals=TOTALS
    )
    assert kept.equals(secondary_suppression(after, primary=primary, keys=KEYS, totals=TOTALS))


def test_tables_that_do_not_add_up_or_repeat_a_cell_are_refused():
    table = with_margins(INNER)
    table.loc[0, "value"] = 21.0
    with pytest.raises(DisclosureError, match="not additive"):
        secondary_suppression(table, primary=mask(table, ("r1", "c1")), keys=KEYS, totals=TOTALS)
    with pytest.raises(DisclosureError, match="same keys"):
        table_structure(pd.concat([table, table.head(1)]), keys=KEYS)
    with pytest.raises(DisclosureError, match="cycle"):
        table_structure(table, keys=KEYS, hierarchies={"row": {"r1": ["r2"], "r2": ["r1"]}})


def test_two_dimensional_table_with_a_zone_hierarchy():
    hier = {
        "row": {"合计": ["兰州市", "白银市"], "兰州市": ["新区", "高新区"], "白银市": ["白银高新区", "银东"]},
        "col": {"T": ["a", "b", "c"]},
    }
    leaves = {"新区": [30, 12, 40], "高新区": [25, 9, 33], "白银高新区": [18, 26, 21], "银东": [40, 35, 50]}
    rows = dict(leaves)
    rows["兰州市"] = list(np.add(leaves["新区"], leaves["高新区"]))
    rows["白银市"] = list(np.add(leaves["白银高新区"], leaves["银东"]))
    rows["合计"] = list(np.add(rows["兰州市"], rows["白银市"]))
    table = pd.DataFrame(
        [
            (r, c, float(v))
            for r, vs in rows.items()
            for c, v in zip(["a", "b", "c", "T"], [*vs, sum(vs)], strict=True)
        ],
        columns=["row", "col", "value"],
    )
    primary = mask(table, ("高新区", "b"), ("白银市", "c"))
    assert recoverable_cells(table, primary, keys=KEYS, hierarchies=hier)[primary].all()
    suppressed = secondary_suppression(table, primary=primary, keys=KEYS, hierarchies=hier)
    assert secondary_suppression(table, primary=primary, keys=KEYS, hierarchies=hier).equals(suppressed)
    assert not recoverable_cells(table, suppressed, keys=KEYS, hierarchies=hier, only=primary)[primary].any()
    # 高新区·b needs its sibling 新区 in column b and a second column in both zones
    hidden = cells_of(table, suppressed)
    assert ("新区", "b") in hidden and len(hidden) < len(table) // 2
    # the confidential 白银市·c = 合计·c − 兰州市·c forces a total to be hidden: the smaller one (兰州市)
    assert ("兰州市", "c") in hidden and not any(r == "合计" for r, _ in hidden)


def test_two_singletons_do_not_protect_only_each_other():
    # a and b each have one enterprise; hidden together, a + b = T − c − d: the public cannot split
    # the sum, but a's enterprise knows a and so reads b (the singleton problem)
    table = pd.DataFrame({"zone": ["a", "b", "c", "d", "T"], "value": [30.0, 20.0, 50.0, 60.0, 160.0]})
    primary = table["zone"].isin(["a", "b"])
    totals = {"zone": "T"}
    naive = secondary_suppression(table, primary=primary, keys=["zone"], totals=totals)
    assert table.loc[naive, "zone"].tolist() == ["a", "b"]
    assert recoverable_cells(table, naive & ~table["zone"].eq("a"), keys=["zone"], totals=totals)[1]
    safe = secondary_suppression(table, primary=primary, keys=["zone"], totals=totals, singletons=primary)
    assert table.loc[safe, "zone"].tolist() == ["a", "b", "c"]  # the cheapest third cell
    for own in ("a", "b"):  # each singleton's enterprise, knowing its own cell, learns nothing exact
        knows = safe & ~table["zone"].eq(own)
        assert not recoverable_cells(table, knows, keys=["zone"], totals=totals)[primary & knows].any()


def test_singletons_in_a_two_dimensional_table():
    table = with_margins([[3, 40, 35], [4, 38, 29], [30, 33, 41]])
    primary = mask(table, ("r1", "c1"), ("r2", "c1"))
    naive = secondary_suppression(table, primary=primary, keys=KEYS, totals=TOTALS)
    assert cells_of(table, naive) == {("r1", "c1"), ("r2", "c1"), ("r1", "c3"), ("r2", "c3")}
    # r1·c1's enterprise knows 3: then r1·c3 = 78 − 3, r2·c3 = 64 − r1·c3 ... and r2·c1 follow
    assert recoverable_cells(table, naive & ~mask(table, ("r1", "c1")), keys=KEYS, totals=TOTALS)[
        primary
    ].any()
    safe = secondary_suppression(table, primary=primary, keys=KEYS, totals=TOTALS, singletons=primary)
    assert not any("T" in cell for cell in cells_of(table, safe))  # still no total hidden
    for own in [("r1", "c1"), ("r2", "c1")]:
        knows = safe & ~mask(table, own)
        assert not recoverable_cells(table, knows, keys=KEYS, totals=TOTALS)[primary & knows].any()
