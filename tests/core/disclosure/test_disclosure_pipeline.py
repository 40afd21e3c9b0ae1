"""End to end: enterprises' figures -> zones × industries table with 4区合计 -> primary ->
secondary -> what the public sees."""

from __future__ import annotations

import pandas as pd

from lanbai.core.disclosure import (
    CONFIDENTIAL,
    DOMINANCE,
    THRESHOLD,
    assess_cells,
    masked_values,
    recoverable_cells,
    secondary_suppression,
)

KEYS = ["zone", "industry"]
TOTALS = {"zone": "4区合计", "industry": "合计"}
FIGURES = [
    ("z1", "a", "e1", 10), ("z1", "a", "e2", 10), ("z1", "a", "e3", 10),  # 30
    ("z1", "b", "e4", 40), ("z1", "b", "e5", 5),  # 45, two enterprises: threshold
    ("z2", "a", "e6", 90), ("z2", "a", "e7", 5), ("z2", "a", "e8", 5),  # 100, e6 gives 90 %: dominance
    ("z2", "b", "e9", 20), ("z2", "b", "e10", 20), ("z2", "b", "e11", 20),  # 60
    ("z3", "a", "e12", 7), ("z3", "a", "e13", 7), ("z3", "a", "e14", 7),  # 21
    ("z3", "b", "e15", 15), ("z3", "b", "e16", 15), ("z3", "b", "e17", 15),  # 45
    ("z4", "a", "e18", 12), ("z4", "a", "e19", 12), ("z4", "a", "e20", 12),  # 36
    ("z4", "b", "e21", 9), ("z4", "b", "e22", 9), ("z4", "b", "e23", 9),  # 27
]  # fmt: skip


def build() -> tuple[pd.DataFrame, pd.DataFrame]:
    micro = pd.DataFrame(FIGURES, columns=[*KEYS, "enterprise", "value"])
    inner = micro.groupby(KEYS, as_index=False)["value"].sum()
    by_zone = inner.groupby("zone", as_index=False)["value"].sum().assign(industry="合计")
    by_industry = inner.groupby("industry", as_index=False)["value"].sum().assign(zone="4区合计")
    grand = pd.DataFrame({"zone": ["4区合计"], "industry": ["合计"], "value": [inner["value"].sum()]})
    table = pd.concat([inner, by_zone, by_industry, grand], ignore_index=True)[[*KEYS, "value"]]
    return table, micro


def test_from_enterprise_figures_to_the_public_table():
    table, micro = build()
    verdict = assess_cells(table, contributions=micro, keys=KEYS, totals=TOTALS)
    reasons = {(z, i): r for z, i, r in zip(table.zone, table.industry, verdict.reason, strict=True) if r}
    assert reasons == {("z1", "b"): THRESHOLD, ("z2", "a"): DOMINANCE}  # every total is safe
    suppressed = secondary_suppression(table, primary=verdict["primary"], keys=KEYS, totals=TOTALS)
    hidden = set(zip(table.zone[suppressed], table.industry[suppressed], strict=True))
    # the cheapest cycle through z2·a uses z1·b (already hidden, free): z2·b 60 + z1·a 30 = 90,
    # against 60 + 45 + 21 (via z3) or 60 + 27 + 36 (via z4); z1·b is then covered too
    assert hidden == {("z1", "a"), ("z1", "b"), ("z2", "a"), ("z2", "b")}
    assert not recoverable_cells(table, suppressed, keys=KEYS, totals=TOTALS).any()
    shown = masked_values(table["value"], suppressed)
    assert (shown[suppressed] == CONFIDENTIAL.symbol).all()
    assert shown[~suppressed].map(lambda v: isinstance(v, int | float)).all()
    # every total is published
    assert not suppressed[table.zone.eq("4区合计") | table.industry.eq("合计")].any()
