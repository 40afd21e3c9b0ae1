"""Reads of the access app."""

from __future__ import annotations

from typing import Any

from .models import UserScope


def user_scope_list(*, user: Any) -> list[UserScope]:
    """The user's scopes with their units."""
    return list(UserScope.objects.filter(user=user).select_related("org_unit"))
