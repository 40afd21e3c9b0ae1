"""Who may see what in monitoring: results are computed from approved data, so every signed-in role
reads them; previews (submitted figures not yet approved) and the outlier list are for reviewers."""

from __future__ import annotations

from lanbai.collection.choices import Role
from lanbai.collection.scopes import is_province, roles_of, unit_ids_for
from lanbai.plans.models import OrgUnit


def can_preview(user) -> bool:
    """省创新办 or a zone reviewer (园区审核员) may include submitted, unapproved figures."""
    return is_province(user) or any(role == Role.ZONE_REVIEWER for role, _ in roles_of(user))


def reviewable_unit_codes(user) -> set[str] | None:
    """Codes of the units whose figures the user reviews; None means all (省创新办)."""
    ids = unit_ids_for(user, Role.ZONE_REVIEWER)
    if ids is None:
        return None
    return set(OrgUnit.objects.filter(id__in=ids).values_list("code", flat=True))
