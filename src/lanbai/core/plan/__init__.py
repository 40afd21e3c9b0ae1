"""The plan as data: schema, loader and consistency checks."""

from .errors import PlanError, PlanIssue
from .loader import check_references, load_plan
from .paths import default_plan_dir

__all__ = ["PlanError", "PlanIssue", "check_references", "default_plan_dir", "load_plan"]
