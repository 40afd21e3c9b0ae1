"""One DRF exception handler for the whole API: ``{"message": ..., "extra": {...}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
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


class HouseAutoSchema(AutoSchema):
    """OpenAPI for the house's APIViews: the nested ``InputSerializer`` is the request body and an
    ``OutputSerializer`` (where a view declares one) the response; otherwise a JSON object.

    drf-spectacular guesses serializers from GenericAPIView's interface, which HackSoft-style APIViews
    do not have; without this every such view is dropped from the schema with an error.
    """

    def _declared(self, name: str) -> Any:
        cls = getattr(self.view, name, None)
        return cls() if isinstance(cls, type) else None

    def _has_generic_serializer(self) -> bool:
        view = self.view
        return any(callable(getattr(view, n, None)) for n in ("get_serializer", "get_serializer_class")) or hasattr(
            view, "serializer_class"
        )

    def get_request_serializer(self) -> Any:
        if self._has_generic_serializer():
            return super().get_request_serializer()
        if self.method in ("POST", "PUT", "PATCH"):
            return self._declared("InputSerializer")
        return None

    def get_response_serializers(self) -> Any:
        if self._has_generic_serializer():
            return super().get_response_serializers()
        return self._declared("OutputSerializer") or OpenApiTypes.OBJECT

    def _get_serializer_name(self, serializer: Any, direction: str, bypass_extensions: bool = False) -> str:
        """A nested ``InputSerializer`` / ``OutputSerializer`` is named after its view (``ReportSubmitJsonInput``)."""
        cls = serializer if isinstance(serializer, type) else type(serializer)
        outer, _, inner = cls.__qualname__.rpartition(".")
        if outer and inner in ("InputSerializer", "OutputSerializer"):
            return outer.removesuffix("Api") + inner.removesuffix("Serializer")
        return super()._get_serializer_name(serializer, direction, bypass_extensions)

    def get_operation_id(self) -> str:
        """``<view class in snake case>_<method>`` (``submission_list_get``): unique, as class names are."""
        name = type(self.view).__name__.removesuffix("Api")
        snake = "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")
        return f"{snake}_{self.method.lower()}"
