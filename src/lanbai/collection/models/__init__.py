"""Models of the collection app."""

from .notices import Notification as Notification
from .reporting import Enterprise as Enterprise
from .reporting import LockException as LockException
from .reporting import Submission as Submission
from .reporting import SubmissionVersion as SubmissionVersion
from .reporting import Upload as Upload

__all__ = [
    "Enterprise",
    "LockException",
    "Notification",
    "Submission",
    "SubmissionVersion",
    "Upload",
]
