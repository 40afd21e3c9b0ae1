"""The shipped plan: its tree, fields and formulas, end to end on a few figures."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import values_frame

from lanbai.core.aggregate import aggregate, tree_from_plan
from lanbai.core.formulas.plan_check import plan_formulas


def test_shipped_plan_end_to_end(shipped_plan) -> None:
    tree, members = tree_from_plan(shipped_plan)
    assert {"lanbai", "lzxq", "lzgx", "lzjj", "bygx"} <= set(tree.unit)
    assert set(members.member) == {"lzxq", "lzgx", "lzjj", "bygx"}
    agg = members.unit.iloc[0]
    fset = plan_formulas(shipped_plan)
    park = tree[(tree.kind == "park") & (tree.parent == "lzgx")].unit.iloc[0]
    extra = pd.DataFrame(
        [
            {
                "unit": "ent_a",
                "parent": park,
                "valid_from": tree.valid_from.min(),
                "valid_to": None,
                "kind": "enterprise",
            },
            {
                "unit": "ent_b",
                "parent": "bygx",
                "valid_from": tree.valid_from.min(),
                "valid_to": None,
                "kind": "enterprise",
            },
        ]
    )
    tree = pd.concat([tree, extra.astype({"valid_to": "datetime64[ns]"})], ignore_index=True)
    rows = [
        ("lzgx", "2018Q4", "gdp", 2_000_000.0),
        ("lzgx", "2018Q4", "zone_rd_expenditure", 60_000.0),
        ("lzgx", "2018Q4", "resident_population", 50.0),
        ("lzgx", "2018Q4", "zone_rd_staff", 5_000.0),
        ("bygx", "2018Q4", "gdp", 500_000.0),
        ("bygx", "2018Q4", "zone_rd_expenditure", 5_000.0),
        ("bygx", "2018Q4", "resident_population", 10.0),
        ("bygx", "2018Q4", "zone_rd_staff", 200.0),
        ("ent_a", "2018Q4", "output_value", 300_000.0),
        ("ent_a", "2018Q4", "category", "emerging"),
        ("ent_b", "2018Q4", "output_value", 100_000.0),
        ("ent_b", "2018Q4", "category", "traditional"),
    ]
    res = aggregate(values_frame(rows), tree, fset, aggregates=members)
    out = res.indicators.set_index(["unit", "indicator", "category"])

    def value(unit: str, indicator: str, category: str = "total") -> float:
        return float(out.loc[(unit, indicator, category), "value"])

    assert value("lzgx", "rd_intensity") == pytest.approx(3.0)
    assert value("bygx", "rd_intensity") == pytest.approx(1.0)
    # the pilot zone: recomputed from the sums (65,000 / 2,500,000 = 2.6 %), not the mean 2.0 %
    assert value("lanbai", "rd_intensity") == pytest.approx(2.6)
    assert value(agg, "rd_intensity") == pytest.approx(2.6)
    assert value("lanbai", "rd_personnel_per_10k") == pytest.approx(5200 / 60)
    assert value("lanbai", "grp") == pytest.approx(250.0)
    assert value("lanbai", "output_value") == pytest.approx(40.0)
    assert value("lanbai", "output_value", "emerging") == pytest.approx(30.0)
    assert value("lzgx", "output_value", "traditional") == 0.0  # reported, not in the category
    reason = out.loc[("lzxq", "grp", "total"), "reason"]
    assert reason == "缺少数据: 地区生产总值"
    units = out.reset_index().drop_duplicates("indicator").set_index("indicator").unit_label
    assert units["rd_intensity"] == "%" and units["energy_per_10k_gdp"] == "吨标准煤/万元"
