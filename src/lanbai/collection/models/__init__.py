"""Models of the collection app."""

from .reporting import AuditEvent as AuditEvent
from .reporting import Enterprise as Enterprise
from .reporting import LockException as LockException
from .reporting import Submission as Submission
from .reporting import SubmissionVersion as SubmissionVersion
from .reporting import Upload as Upload
from .reporting import UserScope as UserScope

__all__ = [
    "AuditEvent",
    "Enterprise",
    "LockException",
    "Submission",
    "SubmissionVersion",
    "Upload",
    "UserScope",
]
