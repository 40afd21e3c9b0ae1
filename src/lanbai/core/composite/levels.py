"""The level index: units compared within one year (min–max across the units of that year).

A growth index (each unit against its own base year) says how far each unit has come, not where it
stands: a zone that started small can show a large index.  The level reading normalises every
indicator across the units *of one year* to 0–100 (0 = the lowest unit, 100 = the highest; direction
−1 reversed), then aggregates with the framework's own tree and weights by arithmetic means — the
OECD/JRC Handbook's min–max normalisation, computed per year (COINr ``Normalise`` on a one-year slice).
The framework's own aggregation (the growth index takes the geometric mean within a pillar, as the NBS
中国创新指数) is not used here: min–max puts the lowest unit at 0, and a geometric mean with a 0 is 0
whatever the other indicators say (the Handbook: geometric aggregation needs strictly positive values).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from .engine import IndexResult, compute
from .framework import Framework

__all__ = ["LEVEL_METHOD", "level_index"]

LEVEL_METHOD = {
    "normalise": {"method": "minmax", "lower": 0, "upper": 100},
    "aggregate": {"method": "arithmetic"},
    "impute": {"method": "none"},
    "treat": {"method": "none"},
    "screen": {"min_coverage": 0.0, "stage": "before_impute"},
    "base_year": None,
    "on_constant": "error",
}


def level_index(framework: Framework, wide: pd.DataFrame, year: int) -> IndexResult:
    """The level index of ``year``: ``wide`` rows ``unit, year, <indicators>`` (other years ignored).

    Node-level normalisation and aggregation blocks are replaced by the within-year min–max and the
    arithmetic mean; an indicator constant
    across the units of the year is an error (:class:`IndexDataError`), never silently dropped —
    :func:`lanbai.core.composite.checks.indicator_data_issues` reports it before.
    """
    nodes = {c: dataclasses.replace(n, normalise=None, aggregate=None) for c, n in framework.nodes.items()}
    fw = dataclasses.replace(framework, nodes=nodes)
    one = wide[wide["year"] == year].drop(columns=["year"]).reset_index(drop=True)
    for c in fw.indicators:
        if c not in one.columns:
            one[c] = np.nan
    return compute(fw, one, method=LEVEL_METHOD)
