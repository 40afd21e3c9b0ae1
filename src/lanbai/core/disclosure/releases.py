"""Disclosure across releases: a new release of a table must not, together with an earlier release
of the same table (same period, a correction or the final figures), give away a hidden cell.

Rule: the intruder holds both releases.  A cell with the same keys and the same value in both is
one unknown (the difference of the two releases is zero there), so the two tables are audited as
one linked system: both tables' totals plus ``x_previous = x_now`` for every unchanged cell.  Every
cell hidden in the previous release that the previous release did not already give away stays
protected, like the new primary cells; so a cell hidden before is kept hidden now exactly when
publishing it (alone or with what else is published now) would reveal an earlier hidden value.
A cell whose value changed is a new unknown and is judged by the new release alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .audit import degenerate, intervals
from .rules import DEFAULT_RULES, DisclosureRules
from .secondary import _costs, _mask, _prepare, _protect
from .structure import Hierarchies, TableStructure


def _linked(
    previous: pd.DataFrame,
    table: pd.DataFrame,
    *,
    keys: Sequence[str],
    value: str,
    totals: Mapping[str, str] | None,
    hierarchies: Hierarchies | None,
) -> tuple[TableStructure, np.ndarray, TableStructure, np.ndarray, np.ndarray, np.ndarray]:
    prev_s, prev_v = _prepare(previous, keys=keys, value=value, totals=totals, hierarchies=hierarchies)
    now_s, now_v = _prepare(table, keys=keys, value=value, totals=totals, hierarchies=hierarchies)
    n_prev, n_now = len(previous), len(table)
    links = []
    now_pos = {t: i for i, t in enumerate(table[list(keys)].astype(str).itertuples(index=False, name=None))}
    for i, t in enumerate(previous[list(keys)].astype(str).itertuples(index=False, name=None)):
        j = now_pos.get(t)
        if j is not None and np.isclose(prev_v[i], now_v[j], rtol=1e-12, atol=0.0):
            row = np.zeros(n_prev + n_now)
            row[i], row[n_prev + j] = 1.0, -1.0
            links.append(row)
    matrix = np.vstack(
        [
            np.hstack([prev_s.matrix, np.zeros((len(prev_s.matrix), n_now))]),
            np.hstack([np.zeros((len(now_s.matrix), n_prev)), now_s.matrix]),
            *([np.vstack(links)] if links else []),
        ]
    )
    return prev_s, prev_v, now_s, now_v, matrix, np.concatenate([prev_v, now_v])


def suppress_across_releases(
    table: pd.DataFrame,
    *,
    primary: pd.Series,
    previous: pd.DataFrame,
    previous_suppressed: pd.Series,
    keys: Sequence[str],
    value: str = "value",
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
    cost: pd.Series | None = None,
    rules: DisclosureRules | None = None,
    protection_pct: float | None = None,
    lower_bound: float | None = 0.0,
    upper_bound: float | None = None,
    singletons: pd.Series | None = None,
) -> pd.Series:
    """Like :func:`.secondary_suppression` for a new release of a table already published with
    ``previous_suppressed`` hidden (module docstring: the rule).  Returns the new release's pattern."""
    rules = (rules or DEFAULT_RULES).replace(protection_pct=protection_pct)
    prev_s, prev_v, now_s, now_v, matrix, values = _linked(
        previous, table, keys=keys, value=value, totals=totals, hierarchies=hierarchies
    )
    n_prev, n_now = len(previous), len(table)
    prev_hidden = _mask(previous_suppressed, previous)
    # what the previous release alone already gave away is public: nothing left to protect there
    lo, hi = intervals(prev_s.matrix, prev_v, prev_hidden, lower_bound=lower_bound, upper_bound=upper_bound)
    prev_protect = prev_hidden & ~degenerate(lo, hi, prev_v)
    now_primary = _mask(primary, table)
    hidden = _protect(
        matrix,
        values,
        forced=np.concatenate([prev_hidden, now_primary]),
        protect=np.concatenate([prev_protect, now_primary]),
        fixed_published=np.concatenate([~prev_hidden, np.zeros(n_now, dtype=bool)]),
        cost=np.concatenate([np.full(n_prev, np.inf), _costs(table, now_s, now_v, cost)]),
        rules=rules,
        lower_bound=lower_bound,
        upper_bound=upper_bound,
        singletons=None
        if singletons is None
        else np.concatenate([np.zeros(n_prev, dtype=bool), _mask(singletons, table)]),
    )
    return pd.Series(hidden[n_prev:], index=table.index, name="suppressed")


def recoverable_across_releases(
    table: pd.DataFrame,
    suppressed: pd.Series,
    *,
    previous: pd.DataFrame,
    previous_suppressed: pd.Series,
    keys: Sequence[str],
    value: str = "value",
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
    lower_bound: float | None = 0.0,
    upper_bound: float | None = None,
) -> pd.DataFrame:
    """The audit of both releases together: for each release, which hidden cells the intruder
    holding both can compute exactly.  Columns ``release`` (``"previous"``/``"current"``), the
    keys, ``value``, ``lower``, ``upper``, ``recoverable``; one row per hidden cell."""
    prev_s, prev_v, now_s, now_v, matrix, values = _linked(
        previous, table, keys=keys, value=value, totals=totals, hierarchies=hierarchies
    )
    hidden = np.concatenate([_mask(previous_suppressed, previous), _mask(suppressed, table)])
    lo, hi = intervals(matrix, values, hidden, lower_bound=lower_bound, upper_bound=upper_bound)
    frame = pd.concat(
        [previous[list(keys)].assign(release="previous"), table[list(keys)].assign(release="current")],
        ignore_index=True,
    )
    frame = frame.assign(value=values, lower=lo, upper=hi, recoverable=degenerate(lo, hi, values))
    return frame[hidden].reset_index(drop=True)[["release", *keys, "value", "lower", "upper", "recoverable"]]
