"""The one access policy (``lanbai.access.policy``): each role's decisions on a small tree, and granting roles.

The tree is the mini plan's (兰白试验区 > 兰州市 > 兰州新区 > 甲园区, 兰白试验区 > 白银市 > 白银高新区) with one
enterprise registered below 甲园区.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from lanbai.access.choices import Role
from lanbai.access.models import UserScope
from lanbai.access.policy import Action, can, is_province, require, scope_filter, unit_ids
from lanbai.access.services import user_scope_grant
from lanbai.common.audit import audit_events_for
from lanbai.common.exceptions import ApplicationError, PermissionDeniedError
from lanbai.plans.models import OrgUnit, OrgUnitLink

UNIT_ACTIONS = (Action.READ, Action.REPORT, Action.REVIEW, Action.WRITE_REGISTRY)
OFFICE_ACTIONS = (Action.FINAL_APPROVE, Action.GRANT_LATE, Action.MANAGE_RELEASES, Action.GRANT_ROLES)


@pytest.fixture
def tree(mini_plan):
    units = {u.code: u for u in OrgUnit.objects.filter(plan=mini_plan)}
    ent = OrgUnit.objects.create(
        plan=mini_plan, code="ent-x", name="甲企业", kind="enterprise", valid_from=dt.date(2015, 1, 1), order=100000
    )
    OrgUnitLink.objects.create(unit=ent, parent=units["lzxq_a"], valid_from=dt.date(2015, 1, 1))
    units["ent-x"] = ent
    return units


def ids(tree, *codes):
    return {tree[c].id for c in codes}


LZXQ_SUBTREE = ("lzxq", "lzxq_a", "ent-x")


def test_province_may_do_everything(tree, make_user):
    user = make_user("sheng", Role.PROVINCE)
    assert is_province(user)
    for action in (*UNIT_ACTIONS, Action.OUTLIERS):
        assert unit_ids(user, action) is None
        assert can(user, action, tree["bygx"])
    for action in (*OFFICE_ACTIONS, Action.PREVIEW):
        assert can(user, action)
    assert can(user, Action.WRITE_REGISTRY)  # zone-less registry entries too
    assert scope_filter(user, Action.READ).children == []  # no filter at all


def test_a_superuser_counts_as_the_province(tree):
    user = get_user_model().objects.create_superuser(username="root", password="pw-root")
    assert is_province(user)
    assert unit_ids(user, Action.REVIEW) is None and can(user, Action.FINAL_APPROVE)


def test_zone_reporter_reads_reports_and_registers_in_the_zone_subtree(tree, make_user):
    user = make_user("fill", Role.ZONE_REPORTER, "lzxq")
    assert not is_province(user)
    assert unit_ids(user, Action.READ) == ids(tree, *LZXQ_SUBTREE)
    assert unit_ids(user, Action.REPORT) == ids(tree, *LZXQ_SUBTREE)
    assert unit_ids(user, Action.WRITE_REGISTRY) == ids(tree, *LZXQ_SUBTREE)
    assert unit_ids(user, Action.REVIEW) == set()
    assert can(user, Action.REPORT, tree["ent-x"]) and can(user, Action.WRITE_REGISTRY, tree["lzxq"])
    assert not can(user, Action.REPORT, tree["bygx"]) and not can(user, Action.READ, tree["lanzhou"])
    assert not can(user, Action.REVIEW, tree["lzxq"])
    assert not can(user, Action.WRITE_REGISTRY)  # zone-less: 省创新办 only
    assert not can(user, Action.PREVIEW) and not can(user, Action.OUTLIERS)
    assert not any(can(user, a) for a in OFFICE_ACTIONS)
    assert dict(scope_filter(user, Action.READ).children) == {"org_unit_id__in": ids(tree, *LZXQ_SUBTREE)}


def test_zone_reviewer_reviews_and_previews_but_does_not_report(tree, make_user):
    user = make_user("review", Role.ZONE_REVIEWER, "lzxq")
    assert unit_ids(user, Action.REVIEW) == ids(tree, *LZXQ_SUBTREE)
    assert unit_ids(user, Action.OUTLIERS) == ids(tree, *LZXQ_SUBTREE)
    assert unit_ids(user, Action.READ) == ids(tree, *LZXQ_SUBTREE)
    assert unit_ids(user, Action.REPORT) == set() and unit_ids(user, Action.WRITE_REGISTRY) == set()
    assert can(user, Action.REVIEW, tree["lzxq"]) and not can(user, Action.REVIEW, tree["bygx"])
    assert can(user, Action.PREVIEW) and can(user, Action.OUTLIERS)
    assert not can(user, Action.REPORT, tree["lzxq"])
    assert not any(can(user, a) for a in OFFICE_ACTIONS)


def test_city_reads_its_city_subtree_but_no_enterprise(tree, make_user):
    user = make_user("city", Role.CITY, "lanzhou")
    # issue 13: an individual enterprise's figures are for its zone staff, the province and itself only
    assert unit_ids(user, Action.READ) == ids(tree, "lanzhou", *(u for u in LZXQ_SUBTREE if u != "ent-x"))
    assert can(user, Action.READ, tree["lzxq_a"]) and not can(user, Action.READ, tree["bygx"])
    assert not can(user, Action.READ, tree["ent-x"]) and not can(user, Action.READ_CONFIDENTIAL, tree["ent-x"])
    for action in (Action.REPORT, Action.REVIEW, Action.WRITE_REGISTRY):
        assert unit_ids(user, action) == set()
        assert not can(user, action, tree["lzxq"])
    assert not can(user, Action.PREVIEW)


def test_evaluator_reads_its_assigned_units_only_and_writes_nothing(tree, make_user):
    user = make_user("eval", Role.EVALUATOR, "bygx")
    assert unit_ids(user, Action.READ) == ids(tree, "bygx")
    assert can(user, Action.READ, tree["bygx"]) and not can(user, Action.READ, tree["lzxq"])
    assert not can(user, Action.READ, tree["ent-x"])
    unassigned = make_user("eval2", Role.EVALUATOR)
    assert unit_ids(unassigned, Action.READ) == set()
    for action in (Action.REPORT, Action.REVIEW, Action.WRITE_REGISTRY):
        assert unit_ids(user, action) == set()
        assert not can(user, action, tree["lzxq"])
    assert not can(user, Action.PREVIEW) and not any(can(user, a) for a in OFFICE_ACTIONS)


def test_enterprise_reporter_reads_and_reports_its_own_unit_only(tree, make_user):
    user = make_user("ent", Role.ENTERPRISE_REPORTER, "ent-x")
    assert unit_ids(user, Action.READ) == ids(tree, "ent-x")
    assert unit_ids(user, Action.REPORT) == ids(tree, "ent-x")
    assert can(user, Action.REPORT, tree["ent-x"])
    assert not can(user, Action.REPORT, tree["lzxq"]) and not can(user, Action.READ, tree["lzxq_a"])
    assert unit_ids(user, Action.REVIEW) == set() and unit_ids(user, Action.WRITE_REGISTRY) == set()
    assert not can(user, Action.WRITE_REGISTRY, tree["lzxq"])


def test_roles_add_up(tree, make_user):
    user = make_user("both", Role.ZONE_REPORTER, "bygx")
    UserScope.objects.create(user=user, role=Role.ZONE_REVIEWER, org_unit=tree["lzxq"])
    assert unit_ids(user, Action.REPORT) == ids(tree, "bygx")
    assert unit_ids(user, Action.REVIEW) == ids(tree, *LZXQ_SUBTREE)
    assert unit_ids(user, Action.READ) == ids(tree, "bygx", *LZXQ_SUBTREE)


def test_anonymous_and_roleless_users_may_do_nothing(tree):
    roleless = get_user_model().objects.create_user(username="nobody", password="pw-nobody")
    for user in (AnonymousUser(), roleless):
        assert not is_province(user)
        for action in (*UNIT_ACTIONS, Action.OUTLIERS):
            assert unit_ids(user, action) == set()
            assert not can(user, action, tree["lzxq"])
        assert not can(user, Action.PREVIEW) and not any(can(user, a) for a in OFFICE_ACTIONS)
        with pytest.raises(PermissionDeniedError, match="不可以"):
            require(user, Action.READ, tree["lzxq"], message="不可以")


def test_the_command_line_operator_may_do_everything(tree):
    assert is_province(None)
    for action in UNIT_ACTIONS:
        assert unit_ids(None, action) is None and can(None, action, tree["bygx"])
    assert all(can(None, a) for a in (*OFFICE_ACTIONS, Action.PREVIEW, Action.OUTLIERS))
    require(None, Action.GRANT_ROLES, message="never raised")


def test_user_scope_grant_by_the_province_is_audited_once_and_idempotent(tree, make_user):
    province = make_user("sheng", Role.PROVINCE)
    user = get_user_model().objects.create_user(username="new", password="pw-new")
    scope = user_scope_grant(by=province, user=user, role=Role.ZONE_REVIEWER, unit=tree["lzxq"])
    assert (scope.user, scope.role, scope.org_unit) == (user, Role.ZONE_REVIEWER, tree["lzxq"])
    [event] = audit_events_for(scope)
    assert (event.user, event.action, event.field, event.new) == (province, "scope_grant", "role", "zone_reviewer:lzxq")
    assert user_scope_grant(by=province, user=user, role=Role.ZONE_REVIEWER, unit=tree["lzxq"]) == scope
    assert audit_events_for(scope).count() == 1
    assert can(user, Action.REVIEW, tree["lzxq_a"])


def test_user_scope_grant_from_the_command_line_over_the_whole_tree(tree):
    user = get_user_model().objects.create_user(username="office", password="pw-office")
    scope = user_scope_grant(by=None, user=user, role=Role.PROVINCE)
    assert scope.org_unit is None
    [event] = audit_events_for(scope)
    assert event.user is None and event.new == "province:*"
    assert is_province(user)


def test_user_scope_grant_refuses_others_and_unknown_roles(tree, make_user):
    user = get_user_model().objects.create_user(username="new", password="pw-new")
    reporter = make_user("fill", Role.ZONE_REPORTER, "lzxq")
    with pytest.raises(PermissionDeniedError):
        user_scope_grant(by=reporter, user=user, role=Role.ZONE_REPORTER, unit=tree["lzxq"])
    with pytest.raises(PermissionDeniedError):
        user_scope_grant(by=AnonymousUser(), user=user, role=Role.CITY, unit=tree["lanzhou"])
    with pytest.raises(ApplicationError) as exc:
        user_scope_grant(by=None, user=user, role="mayor", unit=tree["lanzhou"])
    assert exc.value.extra["field"] == "role"
    assert not UserScope.objects.filter(user=user).exists()
