"""Writes of the access app: granting a user a role over a part of the organisation tree."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from lanbai.common.audit import audit
from lanbai.common.exceptions import ApplicationError

from . import policy
from .choices import Role
from .models import UserScope

if TYPE_CHECKING:  # the plans app's models are read through its selectors
    from lanbai.plans.models import OrgUnit


@transaction.atomic
def user_scope_grant(*, by: Any, user: Any, role: str, unit: OrgUnit | None = None) -> UserScope:
    """Give ``user`` the ``role`` over ``unit`` (None: the whole tree, for 省创新办); idempotent.

    Only 省创新办 (or the command line, ``by=None``) grants roles.
    """
    policy.require(by, policy.Action.GRANT_ROLES, message="只有省创新办可以授予角色 / only the provincial office grants roles")
    if role not in Role.values:
        raise ApplicationError(f"未知角色 {role!r} / unknown role", extra={"field": "role", "known": list(Role.values)})
    scope, created = UserScope.objects.get_or_create(user=user, role=role, org_unit=unit, measure=None)
    if created:
        audit(by, "scope_grant", scope, field="role", new=f"{role}:{unit.code if unit else '*'}")
    return scope


@transaction.atomic
def evaluator_scopes_set(
    *, by: Any, user: Any, unit_ids: set[int], measure_ids: set[int] | None = None, reason: str = ""
) -> None:
    """Make ``user``'s 第三方评估 scopes exactly ``unit_ids`` (subtrees) and ``measure_ids`` (plan
    measures): the evaluation app's live assignments.  ``measure_ids`` None: no measure scopes.

    Only 省创新办 (or the command line) changes them; one audit event per scope granted or retired.
    """
    policy.require(by, policy.Action.GRANT_ROLES, message="只有省创新办可以授予角色 / only the provincial office grants roles")
    measures = measure_ids or set()
    have = list(UserScope.objects.filter(user=user, role=Role.EVALUATOR))
    units_had = {s.org_unit_id for s in have if s.measure_id is None}
    measures_had = {s.measure_id for s in have if s.measure_id is not None}
    for scope in have:
        if scope.measure_id is not None:
            keep, label = scope.measure_id in measures, f"{Role.EVALUATOR}:measure:{scope.measure_id}"
        else:
            keep, label = scope.org_unit_id in unit_ids, f"{Role.EVALUATOR}:{scope.org_unit_id}"
        if not keep:
            audit(by, "scope_retire", scope, field="role", old=label, reason=reason)
            scope.delete()
    for uid in sorted(unit_ids - units_had):
        scope = UserScope.objects.create(user=user, role=Role.EVALUATOR, org_unit_id=uid)
        audit(by, "scope_grant", scope, field="role", new=f"{Role.EVALUATOR}:{uid}", reason=reason)
    for mid in sorted(measures - measures_had):
        scope = UserScope.objects.create(user=user, role=Role.EVALUATOR, measure_id=mid)
        audit(by, "scope_grant", scope, field="role", new=f"{Role.EVALUATOR}:measure:{mid}", reason=reason)


@lru_cache(maxsize=4)
def _password_hash(password: str) -> str:
    return make_password(password)


def demo_user_create(*, username: str, password: str, first_name: str = "") -> Any:
    """A demo account (``lanbai demo``): its password is published, so every account of a process
    shares one PBKDF2 hash of it (one salt) — hashing it per account (1,000,000 iterations, 0.33 s)
    cost the demo 8 s for its ~25 accounts."""
    users = get_user_model()
    user = users(username=users.normalize_username(username), first_name=first_name,
                 password=_password_hash(password))
    user.save()
    return user
