"""The thresholds of statistical disclosure control, as one typed, validated object."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class DisclosureError(ValueError):
    """A disclosure-control input is malformed (bad threshold, duplicate cell, non-additive table)."""


@dataclass(frozen=True)
class DisclosureRules:
    """When a cell is confidential (primary) and how well a suppressed cell must be hidden.

    * threshold rule: a cell with fewer than ``min_contributors`` enterprises of non-zero value is
      confidential (a cell with 0 contributors is empty, not confidential);
    * dominance ``(n, k)`` rule: a cell is confidential when its ``dominance_n`` largest
      contributors together give **more than** ``dominance_k`` % of the cell (exactly k % passes);
    * ``protection_pct``: the audit's feasible interval of every primary cell must reach at least
      this many percent of its value below and above it (0: the interval need only be non-degenerate).
    """

    min_contributors: int = 3
    dominance_n: int = 1
    dominance_k: float = 85.0
    protection_pct: float = 0.0

    def __post_init__(self) -> None:
        for name in ("min_contributors", "dominance_n"):
            v = getattr(self, name)
            if isinstance(v, bool) or not isinstance(v, int) or v < 1:
                raise DisclosureError(f"{name} must be an integer >= 1 (got {v!r})")
        k = self.dominance_k
        if isinstance(k, bool) or not isinstance(k, int | float) or not 0 < k <= 100:
            raise DisclosureError(f"dominance_k is a percentage in (0, 100] (got {k!r})")
        p = self.protection_pct
        if isinstance(p, bool) or not isinstance(p, int | float) or not 0 <= p < 100:
            raise DisclosureError(f"protection_pct is a percentage in [0, 100) (got {p!r})")

    def replace(self, **changes: Any) -> DisclosureRules:
        """A copy with the given thresholds changed; ``None`` values are ignored."""
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> DisclosureRules:
        """Rules from a mapping (e.g. the plan's ``disclosure_control`` section); missing keys keep defaults."""
        if not data:
            return cls()
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise DisclosureError(f"unknown disclosure-control setting(s): {', '.join(unknown)}")
        return cls(**dict(data))


DEFAULT_RULES = DisclosureRules()


def rules_from_plan(plan: Any) -> DisclosureRules:
    """The plan's thresholds (its optional ``disclosure_control`` section), or the defaults."""
    section = getattr(plan, "disclosure_control", None)
    if section is None:
        return DEFAULT_RULES
    return DisclosureRules.from_mapping(section.model_dump(exclude={"basis"}))
