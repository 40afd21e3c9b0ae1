"""Models of the execution app: measures and their owners (measures), progress reports (reports)."""

from .measures import Measure as Measure
from .measures import Milestone as Milestone
from .measures import ResponsibleUnit as ResponsibleUnit
from .reports import Evidence as Evidence
from .reports import ProgressReport as ProgressReport
from .supervision import Feedback as Feedback
from .supervision import ProgressRelease as ProgressRelease
from .supervision import ReleasedProgress as ReleasedProgress

__all__ = [
    "Evidence", "Feedback", "Measure", "Milestone", "ProgressRelease", "ProgressReport", "ReleasedProgress",
    "ResponsibleUnit",
]
