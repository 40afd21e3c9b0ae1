"""Distance to the plan's targets: a unit's values read against its own target values, beside the level index.

The level index (:mod:`.levels`) compares the units of one year with each other.  Where the plan states a
target of a unit for an indicator, the OECD/JRC Handbook's "distance to a reference" normalisation reads the
value against that target instead: attainment = value / target for indicators where more is better,
target / value where less is better (e.g. energy per unit of GRP), capped at 1 (a target exceeded counts as
reached, as COINr's ``n_dist2targ`` with ``cap_max = TRUE``), shown in percent.  An indicator without a
target has no reading ("无目标值"), never a stand-in: the summary is the mean of the indicators that have
targets, with the framework's effective weights renormalised over them, and it states that coverage.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .audit import effective_weights
from .framework import Framework

__all__ = ["NO_TARGET", "PlanTarget", "target_attainment"]

NO_TARGET = "无目标值"


@dataclass(frozen=True)
class PlanTarget:
    """A unit's target for one indicator: the value, its year and where the plan states it (专栏, 附件)."""

    value: float
    year: int
    source: str


def _one(value: float | None, target: PlanTarget, direction: int) -> tuple[float | None, str]:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, "无实际值 / no value"
    if target.value <= 0:
        return None, "目标值不为正 / target not positive"
    if direction < 0:
        if value <= 0:
            return None, "实际值不为正 / value not positive"
        ratio = target.value / value
    else:
        ratio = value / target.value
    return 100.0 * min(1.0, max(0.0, ratio)), ""


def target_attainment(
    framework: Framework, values: Mapping[str, float | None], targets: Mapping[str, PlanTarget]
) -> dict[str, Any]:
    """One unit's attainment of its ``targets`` (indicator → :class:`PlanTarget`) with its ``values``.

    Returns ``attainment`` (0–100, weighted mean over the indicators with a reading, or None),
    ``covered`` / ``indicators`` (how many framework indicators have a reading / exist), ``sources`` (the
    plan's sections the targets come from) and ``by_indicator``: per framework indicator ``value``,
    ``target``, ``target_year``, ``source``, ``attainment`` (None without a target: ``note`` "无目标值").
    """
    weights = effective_weights(framework)
    rows: list[dict[str, Any]] = []
    total = weighted = 0.0
    for code in framework.indicators:
        node = framework.nodes[code]
        value = values.get(code)
        t = targets.get(code)
        if t is None:
            rows.append({"indicator": code, "name": node.name, "value": value, "target": None, "target_year": None,
                         "source": "", "attainment": None, "note": NO_TARGET})
            continue
        att, note = _one(value, t, node.direction)
        rows.append({"indicator": code, "name": node.name, "value": value, "target": t.value,
                     "target_year": t.year, "source": t.source, "attainment": att, "note": note})
        if att is not None:
            w = weights.get(code, 0.0)
            total += w
            weighted += w * att
    covered = [r for r in rows if r["attainment"] is not None]
    return {
        "attainment": weighted / total if total > 0 else None,
        "covered": len(covered),
        "indicators": len(rows),
        "sources": sorted({r["source"] for r in covered}),
        "by_indicator": rows,
    }
