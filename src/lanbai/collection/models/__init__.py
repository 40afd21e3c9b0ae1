"""Models of the collection app."""

from .figures import ApprovedFigure as ApprovedFigure
from .figures import ApprovedFigureChange as ApprovedFigureChange
from .reporting import Enterprise as Enterprise
from .reporting import LockException as LockException
from .reporting import Submission as Submission
from .reporting import SubmissionVersion as SubmissionVersion
from .reporting import Upload as Upload

__all__ = [
    "ApprovedFigure",
    "ApprovedFigureChange",
    "Enterprise",
    "LockException",
    "Submission",
    "SubmissionVersion",
    "Upload",
]
