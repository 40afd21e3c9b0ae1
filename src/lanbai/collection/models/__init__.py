"""Models of the collection app."""

from .figures import ApprovedFigure as ApprovedFigure
from .figures import ApprovedFigureChange as ApprovedFigureChange
from .notices import Notification as Notification
from .reporting import Enterprise as Enterprise
from .reporting import LateRequest as LateRequest
from .reporting import LockException as LockException
from .reporting import SoftRuleWarning as SoftRuleWarning
from .reporting import Submission as Submission
from .reporting import SubmissionVersion as SubmissionVersion
from .reporting import Upload as Upload

__all__ = [
    "ApprovedFigure",
    "ApprovedFigureChange",
    "Enterprise",
    "LateRequest",
    "LockException",
    "SoftRuleWarning",
    "Notification",
    "Submission",
    "SubmissionVersion",
    "Upload",
]
