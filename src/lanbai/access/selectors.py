"""Reads of the access app."""

from __future__ import annotations

from typing import Any

from .models import UserScope


def user_scope_list(*, user: Any) -> list[UserScope]:
    """The user's scopes with their units."""
    return list(UserScope.objects.filter(user=user).select_related("org_unit"))


def users_with_role(*, unit_ids: set[int], roles: tuple[str, ...]) -> list:
    """Active users holding one of ``roles`` directly on one of the units (e.g. a zone's 填报员)."""
    from django.contrib.auth import get_user_model

    user_ids = UserScope.objects.filter(org_unit_id__in=unit_ids, role__in=roles).values_list("user_id", flat=True)
    return list(get_user_model().objects.filter(id__in=list(user_ids), is_active=True).order_by("username"))
