"""The plan as one validated object, assembled from the sections of its data files."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, TypeVar

from pydantic import BaseModel, Field, PrivateAttr

from .annexes import (
    AllianceGroup,
    CandidateEnterprise,
    ClusterRow,
    ClusterTotal,
    RdColumn,
    RdInstitution,
    RdRow,
    RdTotals,
    RecognitionCriterion,
    SupportItem,
)
from .base import Code, Date, Source, Strict
from .disclosure import DisclosureControl
from .formulas import FieldDef, FormulaDef
from .indicators import AnnualSeries, Indicator, PeriodTotal, Phase, Target
from .measures import IndustryPlan, Measure, Programme, ResponsibleUnit
from .narrative import NarrativeFigure
from .organisation import OrgUnit
from .policies import PolicyArticle


class PlanMeta(Strict):
    """What the plan is: its title, issuer, dates and span."""

    code: Code
    name: str
    title: str
    issued_by: str
    issued_on: Date
    approved_on: Date | None = None
    start_year: int
    end_year: int
    baseline_year: int
    root_unit: Code
    seed: str | None = None  # the text the data was transcribed from
    source: Source


# section name -> (model, is_list)
SECTIONS: dict[str, tuple[type[BaseModel], bool]] = {
    "plan": (PlanMeta, False),
    "org_units": (OrgUnit, True),
    "indicators": (Indicator, True),
    "targets": (Target, True),
    "annual_series": (AnnualSeries, True),
    "period_totals": (PeriodTotal, True),
    "phases": (Phase, True),
    "narrative_figures": (NarrativeFigure, True),
    "programmes": (Programme, True),
    "industry_plans": (IndustryPlan, True),
    "measures": (Measure, True),
    "responsible_units": (ResponsibleUnit, True),
    "cluster_rows": (ClusterRow, True),
    "cluster_totals": (ClusterTotal, True),
    "alliance_groups": (AllianceGroup, True),
    "rd_columns": (RdColumn, True),
    "rd_rows": (RdRow, True),
    "rd_totals": (RdTotals, False),
    "rd_institutions": (RdInstitution, True),
    "candidate_enterprises": (CandidateEnterprise, True),
    "recognition_criteria": (RecognitionCriterion, True),
    "policy_articles": (PolicyArticle, True),
    "support_items": (SupportItem, True),
    "fields": (FieldDef, True),
    "formulas": (FormulaDef, True),
    "disclosure_control": (DisclosureControl, False),
}


class Plan(BaseModel):
    """The whole plan.  Build it with :func:`lanbai.core.plan.load_plan`, which also checks references."""

    model_config = {"frozen": True, "extra": "forbid"}

    plan: PlanMeta
    org_units: list[OrgUnit] = Field(default_factory=list)
    indicators: list[Indicator] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    annual_series: list[AnnualSeries] = Field(default_factory=list)
    period_totals: list[PeriodTotal] = Field(default_factory=list)
    phases: list[Phase] = Field(default_factory=list)
    narrative_figures: list[NarrativeFigure] = Field(default_factory=list)
    programmes: list[Programme] = Field(default_factory=list)
    industry_plans: list[IndustryPlan] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)
    responsible_units: list[ResponsibleUnit] = Field(default_factory=list)
    cluster_rows: list[ClusterRow] = Field(default_factory=list)
    cluster_totals: list[ClusterTotal] = Field(default_factory=list)
    alliance_groups: list[AllianceGroup] = Field(default_factory=list)
    rd_columns: list[RdColumn] = Field(default_factory=list)
    rd_rows: list[RdRow] = Field(default_factory=list)
    rd_totals: RdTotals | None = None
    rd_institutions: list[RdInstitution] = Field(default_factory=list)
    candidate_enterprises: list[CandidateEnterprise] = Field(default_factory=list)
    recognition_criteria: list[RecognitionCriterion] = Field(default_factory=list)
    policy_articles: list[PolicyArticle] = Field(default_factory=list)
    support_items: list[SupportItem] = Field(default_factory=list)
    fields: list[FieldDef] = Field(default_factory=list)
    formulas: list[FormulaDef] = Field(default_factory=list)
    disclosure_control: DisclosureControl | None = None  # thresholds of public tables; None: defaults

    # where each record came from: section -> ["file.yaml:section[3]", …] (filled by the loader)
    _origins: dict[str, list[str]] = PrivateAttr(default_factory=dict)

    def origin(self, section: str, index: int) -> str:
        """``file:section[i]`` of a record, for messages that must name where a figure is written."""
        try:
            return self._origins[section][index]
        except (KeyError, IndexError):
            return f"{section}[{index}]"

    # lookups ---------------------------------------------------------------------------------
    def unit(self, code: str) -> OrgUnit:
        return _by_code(self.org_units, code, "organisation unit")

    def indicator(self, code: str) -> Indicator:
        return _by_code(self.indicators, code, "indicator")

    def unit_by_name(self, name: str) -> OrgUnit:
        for u in self.org_units:
            if name in (u.name, u.short_name, u.code):
                return u
        raise KeyError(f"no organisation unit named {name!r}")

    def children(self, code: str, on: dt.date | None = None) -> list[OrgUnit]:
        """Units whose parent is ``code`` on the given day (default: the plan's end)."""
        day = on or dt.date(self.plan.end_year, 12, 31)
        return [u for u in self.org_units if u.parent_on(day) == code and _valid(u, day)]

    def zones(self, on: dt.date | None = None) -> list[OrgUnit]:
        day = on or dt.date(self.plan.end_year, 12, 31)
        return [u for u in self.org_units if u.kind == "zone" and _valid(u, day)]


def _valid(unit: OrgUnit, day: dt.date) -> bool:
    return unit.valid_from <= day and (unit.valid_to is None or day <= unit.valid_to)


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


_C = TypeVar("_C", bound=_Coded)


def _by_code(items: list[_C], code: str, what: str) -> _C:
    for item in items:
        if item.code == code:
            return item
    raise KeyError(f"no {what} with code {code!r}")
