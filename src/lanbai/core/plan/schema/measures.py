"""Measures of the plan: 三大计划, 五大工程, 十项改革, every 专栏 item, and the responsible units."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, model_validator

from .base import Code, Quantity, Source, Strict

ProgrammeKind = Literal["plan", "project", "reform", "theme", "outcome", "layout", "cooperation", "other"]


class Programme(Strict):
    """A grouping of measures: one of 三大计划, 五大工程, 十项改革 (or another numbered part)."""

    code: Code
    name: str
    kind: ProgrammeKind
    group: str  # 三大计划 / 五大工程 / 十项改革 / …
    order: int
    columns: list[int] = Field(default_factory=list)  # 专栏 numbers that detail it
    org_unit: Code | None = None  # the unit a layout programme is about (三（二） 兰州新区 -> lzxq)
    summary: str | None = None
    source: Source


class IndustryPlan(Strict):
    """One industry of 三大计划 (四（一）1–2) with its counts to 2020."""

    code: Code
    name: str  # e.g. 化工产业
    annex5_industry: str | None = None  # the same industry's line in 附件5 (named differently: 化工)
    programme: Code
    category: Literal["traditional", "emerging"]
    platforms: float | None = None  # 工程（技术）研究中心、实验室和协同创新中心等创新平台
    alliances: float | None = None  # 产业技术创新战略联盟
    transformation_projects: float | None = None  # 重大科技成果转化项目
    national_new_products: float | None = None  # 国家级重点新产品
    parks: list[str] = Field(default_factory=list)
    chains: list[str] = Field(default_factory=list)
    clusters: list[str] = Field(default_factory=list)
    source: Source


class Measure(Strict):
    """One item of a 专栏 (or a measure stated in the text), with its quantitative targets.

    ``part`` tells a numbered item (``01`` …) from the unnumbered sentence some 专栏 open with
    (专栏5–8, 专栏18): an intro has no ``item`` and the code ``c<NN>_00``.  Where a 专栏 item is
    given, its code must be ``c<NN>_<item>`` so a code always says where the measure is written.
    """

    code: Code  # e.g. c14_01
    column: int | None = None  # 专栏 number
    item: str | None = None  # "01"
    part: Literal["item", "intro"] = "item"
    programme: Code | None = None
    title: str | None = None
    text: str = Field(min_length=1)
    targets: list[Quantity] = Field(default_factory=list)
    responsible: list[Code] = Field(default_factory=list)
    source: Source

    @model_validator(mode="after")
    def _code_names_the_column_item(self) -> Measure:
        if self.item is not None and not re.fullmatch(r"\d{2}", self.item):
            raise ValueError(f"item {self.item!r} must be the two-digit number of the 专栏 item (e.g. '01')")
        if self.part == "intro":
            if self.column is None or self.item is not None:
                raise ValueError("an intro measure (part: intro) needs a column and no item")
            expected = f"c{self.column:02d}_00"
        elif self.column is not None and self.item is not None:
            expected = f"c{self.column:02d}_{self.item}"
        else:
            return self
        if self.code != expected:
            raise ValueError(
                f"code {self.code!r} must be {expected!r} for 专栏{self.column} {self.part} {self.item or ''}"
            )
        return self


ResponsibleKind = Literal[
    "government",
    "ministry",
    "partner",
    "leading_group",
    "office",
    "working_group",
    "city_office",
    "zone_committee",
    "advisory",
]


class ResponsibleUnit(Strict):
    """A body responsible for carrying out the plan (专栏31–33, 七（一））."""

    code: Code
    name: str
    kind: ResponsibleKind
    parent: Code | None = None
    lead_department: str | None = None  # for the four working groups
    org_unit: Code | None = None  # the organisation unit it is responsible for, if any
    duties: str | None = None
    source: Source
