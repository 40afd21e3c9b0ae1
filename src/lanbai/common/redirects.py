"""Redirects only to our own host: a ``next=`` from a form or a query string is followed only when it
is a path (or URL) of this site over the request's scheme (``url_has_allowed_host_and_scheme``)."""

from __future__ import annotations

from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, candidate: str | None) -> str | None:
    """``candidate`` if it stays on this site, else None (an off-site ``next=`` is ignored)."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


def redirect_next(request, default: str, *args, **kwargs):
    """Redirect to the request's ``next`` (POST, else GET) when it is ours, else to ``default``."""
    target = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    return redirect(target) if target else redirect(default, *args, **kwargs)
