"""The application's error hierarchy (HackSoft style): services raise these, one handler maps them."""

from __future__ import annotations


class ApplicationError(Exception):
    """A business rule refused an operation.  ``extra`` carries structured details."""

    status_code = 400

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class PermissionDeniedError(ApplicationError):
    status_code = 403


class NotFoundError(ApplicationError):
    status_code = 404


class ConflictError(ApplicationError):
    """The object changed since it was read (optimistic locking) or already exists."""

    status_code = 409


class ValidationFailed(ApplicationError):
    """Input breaks a rule; ``extra["field"]`` (or ``extra["fields"]``: field -> messages) names where."""

    status_code = 400

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        extra = dict(extra or {})
        if field is not None:
            extra.setdefault("field", field)
            extra.setdefault("fields", {field: [message]})
        super().__init__(message, extra=extra)
