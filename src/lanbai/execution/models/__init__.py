"""Models of the execution app: measures and their owners (measures), progress reports (reports)."""

from .measures import Measure as Measure
from .measures import Milestone as Milestone
from .measures import ResponsibleUnit as ResponsibleUnit
from .reports import Evidence as Evidence
from .reports import ProgressReport as ProgressReport

__all__ = ["Evidence", "Measure", "Milestone", "ProgressReport", "ResponsibleUnit"]
