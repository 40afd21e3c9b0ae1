"""The plan schema: pydantic models, one module per part of the plan."""

from .annexes import (
    AllianceGroup,
    CandidateEnterprise,
    ClusterCounts,
    ClusterRow,
    ClusterTotal,
    RdColumn,
    RdInstitution,
    RdRow,
    RdTotals,
    RecognitionCriterion,
    StatedClusterCounts,
    SupportItem,
)
from .base import Figure, Quantity
from .disclosure import DisclosureControl
from .indicators import (
    CATEGORY_NAMES,
    AnnualSeries,
    Indicator,
    PeriodTotal,
    Phase,
    PhaseTarget,
    Target,
    YearValue,
)
from .measures import IndustryPlan, Measure, Programme, ResponsibleUnit
from .narrative import NarrativeFigure
from .organisation import EnterpriseTargets, OrgUnit, ParentLink
from .plan import SECTIONS, Plan, PlanMeta
from .policies import Benefit, Condition, PolicyArticle

__all__ = [
    "CATEGORY_NAMES",
    "SECTIONS",
    "AllianceGroup",
    "AnnualSeries",
    "Benefit",
    "CandidateEnterprise",
    "ClusterCounts",
    "ClusterRow",
    "ClusterTotal",
    "StatedClusterCounts",
    "Condition",
    "DisclosureControl",
    "EnterpriseTargets",
    "Figure",
    "Indicator",
    "IndustryPlan",
    "Measure",
    "NarrativeFigure",
    "OrgUnit",
    "ParentLink",
    "PeriodTotal",
    "Phase",
    "PhaseTarget",
    "Plan",
    "PlanMeta",
    "PolicyArticle",
    "Programme",
    "Quantity",
    "RdColumn",
    "RdInstitution",
    "RdRow",
    "RdTotals",
    "RecognitionCriterion",
    "ResponsibleUnit",
    "SupportItem",
    "Target",
    "YearValue",
]
