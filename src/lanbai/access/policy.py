"""The one access policy: every "may this user do X on this unit / object in this state" question.

Services ask it before they write, selectors to scope what they read, views, the API and the CLI to
decide what to offer.  A decision depends only on the user's roles (:class:`UserScope`: a role and
the subtree of the organisation tree it covers) and on the unit (and, for some actions, the state)
of the object; nothing else in the code base decides who may do what.

Roles (domain.md): 省创新办 (``province``, the whole tree; superusers count as 省创新办), 市创新办
(``city``, its city's subtree), 园区填报员 / 园区审核员 (``zone_reporter`` / ``zone_reviewer``, their
zone's subtree), 企业填报员 (``enterprise_reporter``, its own enterprise unit), 第三方评估
(``evaluator``, the parks / zones assigned to it).  ``user=None`` is the command line run by an
operator with server access; the public (anonymous) may do nothing here (it sees published releases only).

Confidential enterprise figures (统计法: an individual respondent's figures — revenue, R&D staff,
patents …, reported or in the registry) are :attr:`Action.READ_CONFIDENTIAL`: the enterprise's zone
staff (填报员, 审核员), 省创新办 and the enterprise itself; never a city office or an evaluator, who
read their units' other figures (:attr:`Action.READ`) but no enterprise unit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from django.db.models import Q

from lanbai.common.exceptions import PermissionDeniedError
from lanbai.plans.models import OrgUnitLink
from lanbai.plans.selectors import orgunit_ids_of_kind

from .choices import Role


class Action(StrEnum):
    """What a user may want to do (see :func:`can`)."""

    READ = "read"  # a unit's reports, figures and registry entries (enterprise units: READ_CONFIDENTIAL)
    READ_CONFIDENTIAL = "read_confidential"  # an individual enterprise's figures, profile, screening
    READ_FIGURES = "read_figures"  # approved aggregate figures of a unit (monitoring, staff pages)
    REPORT = "report"  # enter and submit (填报, 上报) the unit's reports; register its enterprises
    REVIEW = "review"  # zone review (审核) of the unit's reports
    FINAL_APPROVE = "final_approve"  # 终审 by 省创新办
    GRANT_LATE = "grant_late"  # 准予逾期填报
    PREVIEW = "preview"  # see submitted, not yet approved figures in monitoring
    OUTLIERS = "outliers"  # the reviewers' outlier list
    WRITE_REGISTRY = "write_registry"  # create / change registry entries of the unit's zone
    REVIEW_REGISTRY = "review_registry"  # the reviewer-only registry fields (credit_good, policy_fit)
    MANAGE_RELEASES = "manage_releases"  # build, publish and correct releases
    GRANT_ROLES = "grant_roles"  # give users roles (UserScope)


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


_ZONE_STAFF = (Role.ZONE_REPORTER, Role.ZONE_REVIEWER)


def _without_enterprises(ids: set[int]) -> set[int]:
    """``ids`` less the enterprise units (whose figures are confidential)."""
    if not ids:
        return ids
    return ids - orgunit_ids_of_kind(ids, "enterprise")


def unit_ids(user: Any, action: Action) -> set[int] | None:
    """Ids of the units on which the user may do ``action``; None means every unit.

    For the actions that are not about units (final approval, releases …) the answer is None or
    the empty set.
    """
    r = roles_of(user)
    if r.province:
        return None
    if action == Action.READ_CONFIDENTIAL:
        return (covered_unit_ids(user, *_ZONE_STAFF) or set()) | r.roots(Role.ENTERPRISE_REPORTER)
    if action == Action.READ:
        insiders = (covered_unit_ids(user, *_ZONE_STAFF) or set()) | r.roots(Role.ENTERPRISE_REPORTER)
        return insiders | _without_enterprises(covered_unit_ids(user, Role.CITY, Role.EVALUATOR) or set())
    if action == Action.READ_FIGURES:
        if r.has(Role.ZONE_REPORTER) or r.has(Role.ZONE_REVIEWER):
            return None  # zone staff compare their zone with the others (approved figures only)
        return _without_enterprises(covered_unit_ids(user, Role.CITY, Role.EVALUATOR) or set())
    if action == Action.REPORT:
        return (covered_unit_ids(user, Role.ZONE_REPORTER) or set()) | r.roots(Role.ENTERPRISE_REPORTER)
    if action in (Action.REVIEW, Action.OUTLIERS, Action.PREVIEW, Action.REVIEW_REGISTRY):
        return covered_unit_ids(user, Role.ZONE_REVIEWER) or set()
    if action == Action.WRITE_REGISTRY:
        return covered_unit_ids(user, Role.ZONE_REPORTER) or set()
    return set()


def can(user: Any, action: Action, unit: _UnitLike | None = None) -> bool:
    """May ``user`` do ``action`` (on ``unit``, for the actions about units)?

    Without a unit, the unit actions PREVIEW and OUTLIERS ask "on some unit" (a reviewer anywhere);
    WRITE_REGISTRY / REVIEW_REGISTRY without a unit are the zone-less registry entries (省创新办).
    """
    r = roles_of(user)
    if action in (Action.FINAL_APPROVE, Action.GRANT_LATE, Action.MANAGE_RELEASES, Action.GRANT_ROLES):
        return r.province
    if unit is None and action in (Action.PREVIEW, Action.OUTLIERS):
        return r.province or r.has(Role.ZONE_REVIEWER)
    if unit is None and action in (Action.WRITE_REGISTRY, Action.REVIEW_REGISTRY):
        return r.province  # zone-less registry entries: 省创新办 only
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
