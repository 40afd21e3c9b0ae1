"""Models of the plans app: the plan loaded into the database."""

from .organisation import OrgUnit as OrgUnit
from .organisation import OrgUnitLink as OrgUnitLink
from .plan import Indicator as Indicator
from .plan import PlanRecord as PlanRecord
from .plan import PlanVersion as PlanVersion
from .plan import Target as Target

__all__ = ["Indicator", "OrgUnit", "OrgUnitLink", "PlanRecord", "PlanVersion", "Target"]
