"""Property: after secondary suppression no confidential cell of a small random table can be
computed exactly (LP audit), whichever method and whatever the values (zeros included)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sdc_tables import KEYS, TOTALS, with_margins

from lanbai.core.disclosure import recoverable_cells, secondary_suppression


@st.composite
def tables(draw):
    n_rows = draw(st.integers(2, 3))
    n_cols = draw(st.integers(2, 3))
    inner = draw(
        st.lists(st.integers(0, 60), min_size=n_rows * n_cols, max_size=n_rows * n_cols).map(
            lambda v: np.reshape(v, (n_rows, n_cols))
        )
    )
    table = with_margins(inner)
    primary = draw(st.lists(st.booleans(), min_size=len(table), max_size=len(table)))
    if not any(primary):
        primary[draw(st.integers(0, len(table) - 1))] = True
    return table, np.array(primary)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["auto", "gauss"]))
def test_no_confidential_cell_is_recoverable_after_secondary_suppression(case, method):
    table, primary = case
    primary = pd.Series(primary, index=table.index)
    suppressed = secondary_suppression(table, primary=primary, keys=KEYS, totals=TOTALS, method=method)
    assert suppressed[primary].all()
    assert not recoverable_cells(table, suppressed, keys=KEYS, totals=TOTALS, only=primary)[primary].any()


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.data())
def test_no_singleton_enterprise_recovers_another_confidential_cell(case, data):
    table, primary = case
    primary = pd.Series(primary, index=table.index)
    singles = primary & pd.Series(
        data.draw(st.lists(st.booleans(), min_size=len(table), max_size=len(table)))
    )
    suppressed = secondary_suppression(table, primary=primary, keys=KEYS, totals=TOTALS, singletons=singles)
    for own in np.flatnonzero(singles.to_numpy()):
        knows = suppressed.copy()
        knows.iloc[own] = False  # its enterprise knows this cell
        others = primary & knows
        assert not recoverable_cells(table, knows, keys=KEYS, totals=TOTALS, only=others)[others].any()
