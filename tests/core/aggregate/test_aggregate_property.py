"""Property: for additive fields, a unit's sum equals the sum over its children (at that period)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from conftest import MEMBERS, tree_rows, values_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lanbai.core.aggregate import aggregate

PERIODS = ["2018Q1", "2018Q2", "2018Q3", "2018Q4"]
ENTERPRISES = ["e1", "e2", "e3", "e4"]
ZONES = ["za", "zb"]

report = st.tuples(
    st.sampled_from(ENTERPRISES + ZONES),
    st.sampled_from(PERIODS),
    st.integers(min_value=-1000, max_value=10**6),
    st.sampled_from(["approved", "approved", "submitted"]),
)


def children_on(tree: pd.DataFrame, unit: str, day: dt.date) -> list[str]:
    ts = pd.Timestamp(day)
    ok = (tree.parent == unit) & (tree.valid_from <= ts) & (tree.valid_to.isna() | (ts <= tree.valid_to))
    return sorted(set(tree[ok].unit))


def period_end(p: str) -> dt.date:
    y, q = int(p[:4]), int(p[5])
    return (dt.date(y + (q == 4), q * 3 % 12 + 1, 1)) - dt.timedelta(days=1)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(report, min_size=1, max_size=25, unique_by=lambda r: (r[0], r[1])), st.booleans())
def test_parent_equals_sum_of_children(fset, reports, preview) -> None:
    tree = tree_rows()
    rows = []
    for unit, period, value, status in reports:
        field = "gdp" if unit in ZONES else "va"
        rows.append((unit, period, field, value, status))
    res = aggregate(
        values_frame(rows), tree, fset, aggregates=MEMBERS, preview=preview, include_enterprises=True
    )
    frame = res.inputs
    counted = {(u, p): v for u, p, v, s in reports if s == "approved" or preview}
    for field in ("va", "gdp"):
        totals = {
            (u, p): (None if pd.isna(v) else v)
            for u, p, v in zip(frame.unit, frame.period, frame[field], strict=True)
        }
        for period in sorted(set(frame.period)):
            day = period_end(period)
            for node in ["lanbai", "lz", "by", "za", "zb", "zc", "p", "q"]:
                kids = children_on(tree, node, day)
                parts = [totals.get((k, period)) for k in kids]
                own = counted.get((node, period)) if (field == "gdp") == (node in ZONES) else None
                parts = [x for x in parts if x is not None] + ([own] if own is not None else [])
                # nothing reported below: missing (None), not 0
                assert totals[(node, period)] == (sum(parts) if parts else None), (node, period, field)
            zs = [totals[(z, period)] for z in ("za", "zb", "zc") if totals[(z, period)] is not None]
            assert totals[("four", period)] == (sum(zs) if zs else None)
