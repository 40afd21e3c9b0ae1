"""Who may do what where: roles scoped to the organisation tree (enforced in services)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from lanbai.plans.models import OrgUnit, OrgUnitLink

from .choices import Role


def _descendant_ids(root_ids: set[int], *, on: dt.date | None = None) -> set[int]:
    """Ids of the given units and every unit below them (links valid on ``on``, or ever)."""
    links = OrgUnitLink.objects.all()
    if on is not None:
        links = links.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
    children: dict[int, set[int]] = {}
    for unit_id, parent_id in links.values_list("unit_id", "parent_id"):
        children.setdefault(parent_id, set()).add(unit_id)
    seen, stack = set(root_ids), list(root_ids)
    while stack:
        for child in children.get(stack.pop(), ()):
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen


def roles_of(user) -> list[tuple[str, int | None]]:
    if not user or not user.is_authenticated:
        return []
    return list(user.scopes.values_list("role", "org_unit_id"))


def is_province(user) -> bool:
    return bool(
        user
        and user.is_authenticated
        and (user.is_superuser or user.scopes.filter(role=Role.PROVINCE).exists())
    )


def unit_ids_for(user, *roles: str) -> set[int] | None:
    """Unit ids the user covers with any of ``roles``; None means every unit (省创新办)."""
    if is_province(user):
        return None
    roots = {uid for role, uid in roles_of(user) if role in roles and uid is not None}
    return _descendant_ids(roots) if roots else set()


def can_report(user, unit: OrgUnit) -> bool:
    """A 填报员 enters and submits for its own zone and the enterprises below it; an enterprise for itself."""
    ids = unit_ids_for(user, Role.ZONE_REPORTER)
    if ids is None or unit.id in ids:
        return True
    return any(role == Role.ENTERPRISE_REPORTER and uid == unit.id for role, uid in roles_of(user))


def can_review(user, unit: OrgUnit) -> bool:
    ids = unit_ids_for(user, Role.ZONE_REVIEWER)
    return ids is None or unit.id in ids


def can_read(user, unit: OrgUnit) -> bool:
    ids = unit_ids_for(user, Role.ZONE_REPORTER, Role.ZONE_REVIEWER, Role.CITY, Role.EVALUATOR)
    if ids is None or unit.id in ids:
        return True
    if any(role == Role.EVALUATOR for role, _ in roles_of(user)):
        return True
    return any(role == Role.ENTERPRISE_REPORTER and uid == unit.id for role, uid in roles_of(user))
