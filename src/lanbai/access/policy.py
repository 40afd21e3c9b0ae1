"""The one access policy: every "may this user do X on this unit / object in this state" question.

Services ask it before they write, selectors to scope what they read, views, the API and the CLI to
decide what to offer.  A decision depends only on the user's roles (:class:`UserScope`: a role and
the subtree of the organisation tree it covers) and on the unit (and, for some actions, the state)
of the object; nothing else in the code base decides who may do what.

Roles (domain.md): 省创新办 (``province``, the whole tree; superusers count as 省创新办), 市创新办
(``city``, its city's subtree), 园区填报员 / 园区审核员 (``zone_reporter`` / ``zone_reviewer``, their
zone's subtree), 企业填报员 (``enterprise_reporter``, its own enterprise unit), 第三方评估
(``evaluator``).  ``user=None`` is the command line run by an operator with server access.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.db.models import Q

from lanbai.common.exceptions import PermissionDeniedError
from lanbai.plans.models import OrgUnitLink

from .choices import Role


class Action(StrEnum):
    """What a user may want to do (see :func:`can`)."""

    READ = "read"  # a unit's reports, figures and registry entries
    REPORT = "report"  # enter and submit (填报, 上报) the unit's reports; register its enterprises
    REVIEW = "review"  # zone review (审核) of the unit's reports
    FINAL_APPROVE = "final_approve"  # 终审 by 省创新办
    GRANT_LATE = "grant_late"  # 准予逾期填报
    PREVIEW = "preview"  # see submitted, not yet approved figures in monitoring
    OUTLIERS = "outliers"  # the reviewers' outlier list
    WRITE_REGISTRY = "write_registry"  # create / change registry entries of the unit's zone
    MANAGE_RELEASES = "manage_releases"  # build, publish and correct releases
    GRANT_ROLES = "grant_roles"  # give users roles (UserScope)
    READ_UNPUBLISHED = "read_unpublished"  # see approved figures not yet in a published release (staff)


class _UnitLike(Protocol):
    id: int


@dataclass(frozen=True)
class Roles:
    """A user's roles: (role, unit id or None) pairs, and whether the user is 省创新办."""

    pairs: tuple[tuple[str, int | None], ...]
    province: bool

    def has(self, role: str) -> bool:
        return any(r == role for r, _ in self.pairs)

    def roots(self, *roles: str) -> set[int]:
        return {uid for r, uid in self.pairs if r in roles and uid is not None}


_NOBODY = Roles((), False)
_OPERATOR = Roles((), True)


def roles_of(user: Any) -> Roles:
    """The user's roles (``None``: the command line, with every right)."""
    if user is None:
        return _OPERATOR
    if not getattr(user, "is_authenticated", False):
        return _NOBODY
    pairs = tuple(user.scopes.values_list("role", "org_unit_id"))
    return Roles(pairs, bool(user.is_superuser) or any(r == Role.PROVINCE for r, _ in pairs))


def descendant_ids(root_ids: set[int], *, on: dt.date | None = None) -> set[int]:
    """Ids of the given units and every unit below them (links valid on ``on``, or ever)."""
    if not root_ids:
        return set()
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


def is_province(user: Any) -> bool:
    """省创新办 (or a superuser, or the command line)."""
    return roles_of(user).province


def covered_unit_ids(user: Any, *roles: str) -> set[int] | None:
    """Ids of the units the user covers with any of ``roles``; None means every unit (省创新办)."""
    r = roles_of(user)
    if r.province:
        return None
    roots = r.roots(*roles)
    if not roots:
        return set()
    return descendant_ids(roots)


_READ_ROLES = (Role.ZONE_REPORTER, Role.ZONE_REVIEWER, Role.CITY, Role.EVALUATOR)


def unit_ids(user: Any, action: Action) -> set[int] | None:
    """Ids of the units on which the user may do ``action``; None means every unit.

    For the actions that are not about units (final approval, releases …) the answer is None or
    the empty set.
    """
    r = roles_of(user)
    if r.province:
        return None
    if action == Action.READ:
        if r.has(Role.EVALUATOR):
            return None
        ids = covered_unit_ids(user, Role.ZONE_REPORTER, Role.ZONE_REVIEWER, Role.CITY)
        return (ids or set()) | r.roots(Role.ENTERPRISE_REPORTER)
    if action == Action.REPORT:
        return (covered_unit_ids(user, Role.ZONE_REPORTER) or set()) | r.roots(Role.ENTERPRISE_REPORTER)
    if action in (Action.REVIEW, Action.OUTLIERS):
        return covered_unit_ids(user, Role.ZONE_REVIEWER) or set()
    if action == Action.WRITE_REGISTRY:
        return covered_unit_ids(user, Role.ZONE_REPORTER) or set()
    return set()


def can(user: Any, action: Action, unit: _UnitLike | None = None) -> bool:
    """May ``user`` do ``action`` (on ``unit``, for the actions about units)?"""
    r = roles_of(user)
    if action in (Action.FINAL_APPROVE, Action.GRANT_LATE, Action.MANAGE_RELEASES, Action.GRANT_ROLES):
        return r.province
    if action == Action.PREVIEW:
        return r.province or r.has(Role.ZONE_REVIEWER)
    if action == Action.READ_UNPUBLISHED:  # the staff roles; never the public or an enterprise account
        return r.province or any(r.has(role) for role in _READ_ROLES)
    if action == Action.OUTLIERS:
        return r.province or r.has(Role.ZONE_REVIEWER)
    if action == Action.WRITE_REGISTRY and unit is None:
        return r.province  # zone-less registry entries: 省创新办 only
    if action == Action.READ and unit is not None and r.has(Role.EVALUATOR):
        return True
    ids = unit_ids(user, action)
    if ids is None:
        return True
    return unit is not None and unit.id in ids


def require(user: Any, action: Action, unit: _UnitLike | None = None, *, message: str) -> None:
    """:func:`can`, else :class:`PermissionDeniedError` with ``message`` (nothing has changed yet)."""
    if not can(user, action, unit):
        raise PermissionDeniedError(message)


def scope_filter(user: Any, action: Action, *, unit_field: str = "org_unit") -> Q:
    """A ``Q`` keeping the rows whose ``unit_field`` the user may ``action`` (everything for 省创新办)."""
    ids = unit_ids(user, action)
    return Q() if ids is None else Q(**{f"{unit_field}_id__in": ids})
