"""Reads of the pools, scoped through the access policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from lanbai.access.policy import Action, unit_ids

from .models import Project, Talent


def project_list(*, user: Any, stage: str = "") -> QuerySet[Project]:
    """Projects of the units the user may read (all for 省创新办)."""
    qs = Project.objects.select_related("unit")
    ids = unit_ids(user, Action.READ)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return qs.filter(stage=stage) if stage else qs


def talent_list(*, user: Any) -> QuerySet[Talent]:
    """Talents of the units the user may write registry entries for (province: all); never the fingerprint."""
    qs = Talent.objects.select_related("unit").defer("id_fingerprint")
    ids = unit_ids(user, Action.WRITE_REGISTRY)
    if ids is not None:
        qs = qs.filter(unit_id__in=ids)
    return qs
