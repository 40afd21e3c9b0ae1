"""Primary suppression: which cells are confidential in themselves (threshold and (n, k) dominance)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from .rules import DEFAULT_RULES, DisclosureError, DisclosureRules
from .structure import Hierarchies, table_structure

THRESHOLD = "threshold"
DOMINANCE = "dominance"

# relative tolerance on the dominance boundary, so a share that is exactly k % up to float
# rounding of the sums (85.00000000001 %) counts as k % and passes
_DOMINANCE_RTOL = 1e-9


def assess_cells(
    cells: pd.DataFrame,
    *,
    contributions: pd.DataFrame,
    keys: Sequence[str],
    value: str = "value",
    contributor: str = "enterprise",
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
    rules: DisclosureRules | None = None,
    min_contributors: int | None = None,
    dominance_n: int | None = None,
    dominance_k: float | None = None,
) -> pd.DataFrame:
    """Count, dominance share and verdict of every cell, indexed like ``cells``.

    ``contributions`` holds the enterprises' figures (microdata): the ``keys`` of the inner cell
    each figure belongs to, the ``contributor`` id and the ``value``.  A total cell (given by
    ``totals``/``hierarchies``, see :mod:`.structure`) gathers the figures of every cell below it;
    one enterprise's figures in a cell are summed before counting and ranking, so an enterprise
    present in two zones is one contributor of 4区合计.  Negative figures rank by absolute value.

    Columns: ``contributors`` (enterprises with a non-zero figure), ``dominance_pct`` (share of the
    ``dominance_n`` largest in %, NaN for an empty cell), ``reason`` (``"threshold"``,
    ``"dominance"`` or None; threshold wins when both apply) and ``primary`` (bool).
    """
    rules = (rules or DEFAULT_RULES).replace(
        min_contributors=min_contributors, dominance_n=dominance_n, dominance_k=dominance_k
    )
    keys = list(keys)
    missing = [c for c in [*keys, contributor, value] if c not in contributions.columns]
    if missing:
        raise DisclosureError(f"contributions lack column(s): {', '.join(missing)}")
    structure = table_structure(cells, keys=keys, totals=totals, hierarchies=hierarchies)

    micro = contributions[[*keys, contributor, value]].copy()
    micro[keys] = micro[keys].astype(str)
    micro[value] = pd.to_numeric(micro[value], errors="raise").astype(float)
    # Lift every figure to each ancestor code in every dimension (a leaf maps to itself), so a
    # total cell is an ordinary group below.
    for dim in keys:
        tree = structure.hierarchies.get(dim)
        if not tree:
            continue
        ancestors = _ancestors(tree)
        micro[dim] = micro[dim].map(lambda c, a=ancestors: [c, *a.get(c, [])])
        micro = micro.explode(dim, ignore_index=True)

    per_unit = micro.groupby([*keys, contributor], sort=False)[value].sum().abs().reset_index()
    per_unit = per_unit[per_unit[value] > 0]
    ranked = per_unit.sort_values([*keys, value], ascending=[True] * len(keys) + [False], kind="stable")
    grouped = ranked.groupby(keys, sort=False)[value]
    stats = pd.DataFrame(
        {
            "contributors": grouped.size(),
            "total": grouped.sum(),
            "top": ranked.groupby(keys, sort=False)
            .head(rules.dominance_n)
            .groupby(keys, sort=False)[value]
            .sum(),
        }
    )

    cell_keys = cells[keys].astype(str)
    joined = cell_keys.merge(stats, how="left", left_on=keys, right_index=True)
    n = joined["contributors"].fillna(0).astype(int).to_numpy()
    total = joined["total"].fillna(0.0).to_numpy()
    top = joined["top"].fillna(0.0).to_numpy()

    threshold = (n > 0) & (n < rules.min_contributors)
    # more than k %: top * 100 > k * total, compared with a tiny tolerance (see _DOMINANCE_RTOL)
    dominance = (n > 0) & (top * 100.0 > rules.dominance_k * total * (1 + _DOMINANCE_RTOL))
    reason = np.where(threshold, THRESHOLD, np.where(dominance, DOMINANCE, np.array(None, dtype=object)))
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total > 0, 100.0 * top / total, np.nan)
    return pd.DataFrame(
        {
            "contributors": n,
            "dominance_pct": share,
            # object dtype keeps None (pandas would infer a string dtype and turn None into NaN)
            "reason": pd.Series(reason, index=cells.index, dtype=object),
            "primary": threshold | dominance,
        },
        index=cells.index,
    )


def primary_suppression(
    cells: pd.DataFrame,
    *,
    contributions: pd.DataFrame,
    keys: Sequence[str],
    value: str = "value",
    contributor: str = "enterprise",
    totals: Mapping[str, str] | None = None,
    hierarchies: Hierarchies | None = None,
    rules: DisclosureRules | None = None,
    min_contributors: int | None = None,
    dominance_n: int | None = None,
    dominance_k: float | None = None,
) -> pd.Series:
    """Boolean Series (indexed like ``cells``, named ``primary``): the confidential cells.

    Same arguments as :func:`assess_cells`, which also gives each cell's reason.
    """
    return assess_cells(
        cells,
        contributions=contributions,
        keys=keys,
        value=value,
        contributor=contributor,
        totals=totals,
        hierarchies=hierarchies,
        rules=rules,
        min_contributors=min_contributors,
        dominance_n=dominance_n,
        dominance_k=dominance_k,
    )["primary"]


def _ancestors(tree: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    parent_of: dict[str, list[str]] = {}
    for parent, children in tree.items():
        for child in children:
            parent_of.setdefault(child, []).append(parent)
    out: dict[str, list[str]] = {}

    def up(code: str) -> list[str]:
        if code not in out:
            seen: list[str] = []
            for p in parent_of.get(code, []):
                for a in [p, *up(p)]:
                    if a not in seen:
                        seen.append(a)
            out[code] = seen
        return out[code]

    for code in list(parent_of):
        up(code)
    return out
