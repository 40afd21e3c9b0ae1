"""Writes of the access app: granting a user a role over a part of the organisation tree."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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
    scope, created = UserScope.objects.get_or_create(user=user, role=role, org_unit=unit)
    if created:
        audit(by, "scope_grant", scope, field="role", new=f"{role}:{unit.code if unit else '*'}")
    return scope
