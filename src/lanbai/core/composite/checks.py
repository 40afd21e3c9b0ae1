"""The framework check against the data: indicators without data or without variance are refused.

OECD/JRC *Handbook on Constructing Composite Indicators* (2008), step 4 (multivariate analysis) and
the JRC/COIN audits: an indicator that takes the same value for every unit carries no information
about the units' relative standing, yet it keeps its nominal weight (or, dropped silently, hands it
to its siblings); an indicator some unit has no value for is reweighted away for that unit.  Both
change what the index measures without anyone deciding it, so they are reported here, each naming
the indicator and the year, and the caller refuses to compute with that framework.

Checked per indicator and year over the given units (after any declared imputation):

* ``no-data``: no unit, or not every unit, has a value;
* ``no-variance``: every unit has the same value (the level carries no information);
* ``no-variance-growth``: every unit has the same ratio to its own base value (the growth index
  of the indicator is identical for every unit), checked in years after the reference year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .framework import Framework

__all__ = ["DataIssue", "indicator_data_issues"]


@dataclass(frozen=True)
class DataIssue:
    """One refused (indicator, year): ``rule`` is no-data, no-variance or no-variance-growth."""

    indicator: str
    year: int
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.indicator} {self.year}: [{self.rule}] {self.message}"


def _same(v: np.ndarray) -> bool:
    lo, hi = float(np.min(v)), float(np.max(v))
    return hi - lo <= 1e-9 * max(abs(lo), abs(hi), 1e-12)


def indicator_data_issues(
    framework: Framework,
    long: pd.DataFrame,
    *,
    units: Iterable[str],
    years: Iterable[int],
    reference_year: int | None = None,
    names: Mapping[str, str] | None = None,
    base_years: Mapping[str, Iterable[int]] | None = None,
) -> list[DataIssue]:
    """Every (indicator, year) of ``years`` without data for all ``units`` or without variance.

    ``long``: ``[unit, year, indicator, value]``.  ``reference_year``: the year of each unit's base
    value (the row the growth index divides by); the growth check runs on the later years.
    ``names``: unit code → name for the messages.  ``base_years``: indicator → the years that are
    some unit's declared base (its index is 100 there by construction: no growth check that year).
    """
    units = list(units)
    names = dict(names or {})
    label = {c: (n.name or c) for c, n in framework.nodes.items()}
    d = long[long["unit"].isin(units) & long["indicator"].isin(framework.indicators)].dropna(subset=["value"])
    cube: dict[tuple[str, int], dict[str, float]] = {}
    for u, y, i, v in zip(d["unit"], d["year"], d["indicator"], d["value"], strict=True):
        cube.setdefault((str(i), int(y)), {}).setdefault(str(u), float(v))
    out: list[DataIssue] = []
    for ind in framework.indicators:
        what = f"{label[ind]}（{ind}）"
        base = cube.get((ind, reference_year)) if reference_year is not None else None
        for y in years:
            row = cube.get((ind, int(y)), {})
            have = [u for u in units if u in row and np.isfinite(row[u])]
            if not have:
                out.append(
                    DataIssue(
                        ind,
                        int(y),
                        "no-data",
                        f"{what} 在 {y} 年没有任何单位的数据 / no unit has a value in {y}",
                    )
                )
                continue
            lack = [u for u in units if u not in have]
            if lack:
                who = "、".join(names.get(u, u) for u in lack)
                out.append(
                    DataIssue(
                        ind,
                        int(y),
                        "no-data",
                        f"{what} 在 {y} 年缺少 {who} 的数据（无可结转的上年值）/ no value for {', '.join(lack)} in {y}"
                        " (nothing to carry forward)",
                    )
                )
                continue
            v = np.array([row[u] for u in have], dtype=float)
            if len(v) >= 2 and _same(v):
                out.append(
                    DataIssue(
                        ind,
                        int(y),
                        "no-variance",
                        f"{what} 在 {y} 年各单位取值相同（{v[0]:g}），不含区分信息 / the same value {v[0]:g} for "
                        f"every unit in {y}: carries no information",
                    )
                )
                continue
            own_base = y in set((base_years or {}).get(ind, ()))
            if (
                base is not None
                and reference_year is not None
                and y > reference_year
                and len(v) >= 2
                and not own_base
            ):
                b = np.array([base.get(u, np.nan) for u in have], dtype=float)
                if np.isfinite(b).all() and (b > 0).all():
                    r = v / b * 100.0
                    if _same(r):
                        out.append(
                            DataIssue(
                                ind,
                                int(y),
                                "no-variance-growth",
                                f"{what} 在 {y} 年各单位相对基期的指数相同（{r[0]:.1f}），增长指数不含区分信息 / "
                                f"the same index {r[0]:.1f} against the base for every unit in {y}",
                            )
                        )
    return out
