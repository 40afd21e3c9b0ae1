"""One handler of application errors for the HTML views (the API has :func:`lanbai.common.api.exception_handler`).

A view lets an :class:`~lanbai.common.exceptions.ApplicationError` propagate; this middleware renders
the error page with the error's status (403, 404, 409, 400 …) and its message.  Nothing has been
written: services refuse before they change anything.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .exceptions import ApplicationError, BusyError, database_busy


class ApplicationErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if database_busy(exception):
            exception = BusyError()
        if not isinstance(exception, ApplicationError):
            return None
        if request.path.startswith("/api/") and not isinstance(exception, BusyError):
            return None  # DRF's handler answers API requests
        response = render(
            request,
            "common/error.html",
            {"message": exception.message, "extra": exception.extra, "status": exception.status_code},
            status=exception.status_code,
        )
        if isinstance(exception, BusyError):
            response["Retry-After"] = str(exception.extra["retry_after"])
        return response
