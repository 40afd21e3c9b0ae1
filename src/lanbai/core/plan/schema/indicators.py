"""Indicators, their targets and the plan's annual target tables and phases."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from .base import Code, Comparator, Date, Direction, Figure, Source, Strict

# How the expected path between baseline and target is drawn (issue: monitoring):
#   level, count -> geometric (constant growth rate); share, ratio -> linear;
#   flow_total -> a quantity accumulated over a span of years (e.g. 2015–2020 合计).
IndicatorKind = Literal["level", "share", "ratio", "count", "flow_total"]


class Indicator(Strict):
    """An indicator of the plan, named as the seed writes it."""

    code: Code
    name: str = Field(min_length=1)
    aliases: list[str] = Field(default_factory=list)  # other spellings in the seed (e.g. 附件1)
    name_en: str | None = None
    unit: str = Field(min_length=1)
    direction: Direction
    kind: IndicatorKind
    definition: str | None = None
    source: Source


class YearValue(Strict):
    year: int
    value: float
    comparator: Comparator = "="
    approx: bool = False


class Target(Strict):
    """A target (and, where stated, the baseline) of one indicator for one unit."""

    indicator: Code
    org_unit: Code
    label: str | None = None  # the indicator's name as written at this source, where it differs
    # the measure word as written at this source, where it differs from the indicator's unit
    # (二（四） 250家高新技术企业, while 三（二）-（五） write 高新技术企业50户)
    unit: str | None = Field(default=None, min_length=1)
    baseline: YearValue | None = None
    target: YearValue
    stated_annual_growth_pct: float | None = None  # 年均增长 as written
    source: Source
    note: str | None = None

    @model_validator(mode="after")
    def _baseline_before_target(self) -> Target:
        if self.baseline and self.baseline.year >= self.target.year:
            raise ValueError(f"baseline year {self.baseline.year} is not before target year {self.target.year}")
        return self


Category = Literal["traditional", "emerging", "total"]
CATEGORY_NAMES: dict[str, str] = {"traditional": "传统产业", "emerging": "战略性新兴产业", "total": "合计"}


class AnnualSeries(Strict):
    """One row of an annual target table (附件2, 附件3): unit × category, a value per year.

    A year missing from ``values`` is a cell the plan leaves empty.
    """

    indicator: Code
    org_unit: Code
    category: Category
    values: dict[int, float]
    source: Source


class PeriodTotal(Strict):
    """A total stated for a span of years (e.g. 2015-2020年合计 4000左右)."""

    indicator: Code
    org_unit: Code
    from_year: int
    to_year: int
    category: Category = "total"
    value: float
    comparator: Comparator = "="
    approx: bool = False
    source: Source

    @model_validator(mode="after")
    def _span(self) -> PeriodTotal:
        if self.to_year < self.from_year:
            raise ValueError(f"to_year {self.to_year} is before from_year {self.from_year}")
        return self


class PhaseTarget(Strict):
    """A phase target: the quantity to be added (新增) or produced within the phase."""

    indicator: Code
    org_unit: Code = "lanbai"
    name: str  # as written, e.g. 新增地区生产总值
    figure: Figure


class Phase(Strict):
    """One of the three phases of 六."""

    code: Code
    name: str
    start: Date
    end: Date
    summary: str | None = None
    targets: list[PhaseTarget] = Field(default_factory=list)
    source: Source

    @model_validator(mode="after")
    def _span(self) -> Phase:
        if self.end < self.start:
            raise ValueError(f"phase end {self.end} is before its start {self.start}")
        return self
