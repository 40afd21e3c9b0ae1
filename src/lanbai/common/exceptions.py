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


class ThrottledError(ApplicationError):
    """Too many requests from one source in a while (e.g. public feedback)."""

    status_code = 429


class BusyError(ApplicationError):
    """The database is busy (SQLite allows one writer at a time); the client should retry shortly."""

    status_code = 503
    message_default = (
        "系统繁忙，请稍后重试（数据库正被其他上传占用）/ busy, try again in a moment (the database is in use by "
        "another upload)"
    )

    def __init__(self, message: str | None = None):
        super().__init__(message or self.message_default, extra={"retry_after": 5})


def database_busy(exc: BaseException) -> bool:
    """Whether ``exc`` is SQLite's "database is locked" (or "busy") refusal."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and any(
        word in str(exc).lower() for word in ("database is locked", "database is busy")
    )
