"""The organisation tree: pilot zone, cities, zones, the core innovation area and parks.

Units are effective-dated (``valid_from`` / ``valid_to``).  A restructuring adds a new unit (or a
new version of a unit's parent link) from a date on, and closes the old one; figures reported
before that date keep their attribution.  This is the answer to DHIS2's single latest-wins
hierarchy, which re-attributes history when a unit moves.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from .base import Code, Date, Figure, Source, Strict

OrgKind = Literal["pilot_zone", "city", "zone", "core_area", "park", "aggregate"]

PLAN_START = dt.date(2015, 1, 1)


class ParentLink(Strict):
    """The parent of a unit over a span of time (the unit's position in the tree may change)."""

    parent: Code
    valid_from: Date = PLAN_START
    valid_to: Date | None = None


class EnterpriseTargets(Strict):
    """A zone's 2020 enterprise-count targets (入区企业, 工业企业, 规模以上工业企业, 高新技术企业)."""

    year: int = 2020
    enterprises: float
    industrial: float
    above_scale_industrial: float
    high_tech: float
    source: Source


class OrgUnit(Strict):
    """One unit of the organisation tree."""

    code: Code
    name: str = Field(min_length=1)
    short_name: str | None = None
    name_en: str | None = None
    kind: OrgKind
    parent: Code | None = None
    parents: list[ParentLink] = Field(default_factory=list)
    valid_from: Date = PLAN_START
    valid_to: Date | None = None
    admin_code: str | None = None  # GB/T 2260 division code for cities
    area: Figure | None = None  # 平方公里
    size: str | None = None  # a description of extent where no area figure is given
    leading_industries: list[str] = Field(default_factory=list)
    enterprise_targets: EnterpriseTargets | None = None
    members: list[Code] = Field(default_factory=list)  # for kind == aggregate (4区合计)
    source: Source
    note: str | None = None

    @model_validator(mode="after")
    def _dates_and_parents(self) -> OrgUnit:
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError(f"valid_to {self.valid_to} is before valid_from {self.valid_from}")
        if self.parent and self.parents:
            raise ValueError("give either parent (a fixed parent) or parents (dated links), not both")
        if self.kind == "aggregate" and not self.members:
            raise ValueError("an aggregate unit lists its members")
        if self.kind not in ("pilot_zone", "aggregate") and not (self.parent or self.parents):
            raise ValueError(f"a unit of kind {self.kind} needs a parent")
        return self

    def parent_links(self) -> list[ParentLink]:
        """The unit's parent links over time (a fixed parent is one open-ended link)."""
        if self.parents:
            return list(self.parents)
        if self.parent:
            return [ParentLink(parent=self.parent, valid_from=self.valid_from, valid_to=self.valid_to)]
        return []

    def parent_on(self, day: dt.date) -> str | None:
        """The parent code in force on ``day`` (None for a root or outside the validity)."""
        for link in self.parent_links():
            if link.valid_from <= day and (link.valid_to is None or day <= link.valid_to):
                return link.parent
        return None


class Organisation(Strict):
    units: list[OrgUnit]
