"""One DRF exception handler for the whole API: ``{"message": ..., "extra": {...}}``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions as drf_exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError, BusyError, database_busy


def exception_handler(exc, context):
    """Map application and framework errors to a uniform JSON body."""
    if database_busy(exc):
        exc = BusyError()
    if isinstance(exc, ApplicationError):
        headers = {"Retry-After": str(exc.extra["retry_after"])} if isinstance(exc, BusyError) else None
        return Response({"message": exc.message, "extra": exc.extra}, status=exc.status_code, headers=headers)
    if isinstance(exc, DjangoValidationError):
        exc = drf_exceptions.ValidationError(exc.message_dict if hasattr(exc, "message_dict") else exc.messages)
    if isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    if isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    detail = response.data
    if isinstance(detail, dict) and "detail" in detail:
        response.data = {"message": str(detail["detail"]), "extra": {}}
    else:
        response.data = {"message": "输入无效 / invalid input", "extra": {"fields": detail}}
    return response
