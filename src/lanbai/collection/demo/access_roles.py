"""Demo accounts of the roles beyond 省创新办 and the zones' 填报员 / 审核员 (issue 13): a city office
(市创新办: its zones' approved figures and reports, no writes), one enterprise's own account (企业填报员:
itself only) and a third-party evaluator (第三方评估: only the zone assigned to it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from lanbai.access.choices import Role
from lanbai.access.services import demo_user_create, user_scope_grant
from lanbai.plans.selectors import orgunit_list

from ..models import Enterprise

if TYPE_CHECKING:
    from lanbai.plans.models import OrgUnit


def demo_enterprise_of(zones: list[OrgUnit]) -> Enterprise | None:
    """The enterprise whose own account is ``demo_enterprise``: of the first zone's enterprises that report
    from the start, the first by credit code."""
    if not zones:
        return None
    qs = Enterprise.objects.filter(zone=zones[0]).select_related("org_unit")
    return qs.order_by("registered_on", "credit_code").first()


def demo_access_roles(report, zones: list[OrgUnit], *, password: str, marker: str) -> None:
    """Create ``demo_city_<city>``, ``demo_enterprise`` and ``demo_evaluator`` (listed in ``report.users``)."""
    User = get_user_model()  # noqa: N806
    if not zones:
        return
    first = zones[0]

    def make(username: str, role: str, unit: OrgUnit) -> None:
        if User.objects.filter(username=username).exists():
            return
        user = demo_user_create(username=username, password=password, first_name=marker)
        user_scope_grant(by=None, user=user, role=role, unit=unit)
        report.users.append((username, str(Role(role).label), unit.name))

    city = orgunit_list(plan=first.plan).filter(child_links__unit=first, kind="city").first()
    if city is not None:
        make(f"demo_city_{city.code}", Role.CITY, city)
    enterprise = demo_enterprise_of(zones)
    if enterprise is not None:
        make("demo_enterprise", Role.ENTERPRISE_REPORTER, enterprise.org_unit)
    make("demo_evaluator", Role.EVALUATOR, first)
