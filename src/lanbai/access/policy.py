"""The one access policy: every "may this user do X on this unit / object in this state" question.

Services ask it before they write, selectors to scope what they read, views, the API and the CLI to
decide what to offer.  A decision depends only on the user's roles (:class:`UserScope`: a role and
the subtree of the organisation tree it covers) and on the unit (and, for some actions, the state)
of the object; nothing else in the code base decides who may do what.

Roles (domain.md): 省创新办 (``province``, the whole tree; superusers count as 省创新办), 市创新办
(``city``, its city's subtree), 园区填报员 / 园区审核员 (``zone_reporter`` / ``zone_reviewer``, their
zone's subtree), 企业填报员 (``enterprise_reporter``, its own enterprise unit), 第三方评估
(``evaluator``, the parks / zones assigned to it), 技术合同登记机构 (``contract_registrar``,
the subtree of the unit it serves).  The command line acts as :data:`OPERATOR` (the server
operator: whoever can run ``lanbai`` on the server already holds the database), answered here with
省创新办's rights; the public (anonymous) may do nothing here (it sees published releases only).

Confidential enterprise figures (统计法: an individual respondent's figures — revenue, R&D staff,
patents …, reported or in the registry) are :attr:`Action.READ_CONFIDENTIAL`: the enterprise's zone
staff (填报员, 审核员), 省创新办 and the enterprise itself; never a city office or an evaluator, who
read their units' other figures (:attr:`Action.READ`) but no enterprise unit.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Protocol

from django.db import connection
from django.db.models import Q

from lanbai.common.exceptions import PermissionDeniedError
from lanbai.plans.selectors import orgunit_descendant_ids, orgunit_ids_of_kind

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
    READ_MEASURES = "read_measures"  # see a responsible unit's measures and their progress reports
    REPORT_MEASURE = "report_measure"  # write and submit a responsible unit's half-year progress report
    REVIEW_MEASURE = "review_measure"  # 省创新办 reviews (审核 / 退回) progress reports, loads work plans
    FILE_CONTRACT = "file_contract"  # the seller files a technology contract (技术合同认定登记申请)
    REGISTER_CONTRACT = "register_contract"  # 技术合同登记机构: accept, return, register, refuse, amend, revoke
    READ_UNPUBLISHED = "read_unpublished"  # see approved figures not yet in a published release (staff)
    ASSESS = "assess"  # 省创新办 computes the annual assessment (目标责任制考核)
    READ_ASSESSMENT = "read_assessment"  # a city's / zone's assessment scores and their evidence
    MANAGE_VOUCHERS = "manage_vouchers"  # 省创新办: 创新券 schemes, final review, issue, redemption review
    MANAGE_EVALUATION = "manage_evaluation"  # 省创新办: evaluator organisations, assignments (第三方评估)
    EVALUATE = "evaluate"  # 第三方评估's workspace: a member of an evaluator organisation (and 省创新办)
    EVALUATE_MEASURE = "evaluate_measure"  # 第三方评估: an assigned measure's approved reports and evidence
    MANAGE_INSTRUMENT = "manage_instrument"  # owner unit staff: register instruments, approve bookings, usage
    BOOK_INSTRUMENT = "book_instrument"  # a user of a unit books an instrument for that unit
    MANAGE_SURVEY = "manage_survey"  # 省创新办: draws the innovation survey's sample (创新调查)
    ANSWER_SURVEY = "answer_survey"  # the sampled enterprise itself, its zone's staff (and 省创新办) fill its answers
    APPLY_VOUCHER = "apply_voucher"  # an enterprise's own 企业填报员 applies for / uses its 创新券
    REVIEW_VOUCHER = "review_voucher"  # 园区审核员: zone review of 创新券 applications
    READ_VOUCHERS = "read_vouchers"  # an enterprise's vouchers: its zone's staff, the enterprise itself
    REDEEM_VOUCHER = "redeem_voucher"  # a registered provider's own 企业填报员: uses ordered from it, 通兑 claims
    DECLARE_RELATED_PARTY = "declare_related_party"  # an enterprise's 关联方 list: the enterprise, its zone's staff


class _UnitLike(Protocol):
    id: int


@dataclass(frozen=True)
class Roles:
    """A user's roles: (role, unit id or None) pairs, whether the user is 省创新办, and the plan measures
    assigned to the user as 第三方评估 (scopes on a measure, not on a subtree: never in ``pairs``)."""

    pairs: tuple[tuple[str, int | None], ...]
    province: bool
    measures: frozenset[int] = frozenset()

    def has(self, role: str) -> bool:
        return any(r == role for r, _ in self.pairs)

    def roots(self, *roles: str) -> set[int]:
        return {uid for r, uid in self.pairs if r in roles and uid is not None}


_NOBODY = Roles((), False)
_OPERATOR = Roles((), True)

OPERATOR: Final = None
"""Who the command line acts as: the server operator (``lanbai init``, ``demo``, ``report``, imports,
exports …).  The one place that says so: every CLI command passes ``user=OPERATOR`` to the services
and selectors it calls, and the policy answers it with 省创新办's scope (every unit, every action).
Its writes go through the same services, with the same checks and one audit event each; the audit
trail records no web user for them (``AuditEvent.user`` empty = the command line, since anonymous
visitors cannot write).  A web request never acts as the operator: views pass ``request.user``, and
an anonymous user is :data:`_NOBODY`, not ``None``."""


def is_operator(user: Any) -> bool:
    """Is ``user`` the command line (:data:`OPERATOR`)?"""
    return user is OPERATOR


def roles_of(user: Any) -> Roles:
    """The user's roles (:data:`OPERATOR`, the command line: every right)."""
    if is_operator(user):
        return _OPERATOR
    if not getattr(user, "is_authenticated", False):
        return _NOBODY
    rows = _scope_rows(user.pk)
    pairs = tuple((r, uid) for r, uid, mid in rows if mid is None)
    measures = frozenset(mid for r, _, mid in rows if mid is not None and r == Role.EVALUATOR)
    return Roles(pairs, bool(user.is_superuser) or any(r == Role.PROVINCE for r, _ in pairs), measures)


def _scope_rows(user_id: int) -> list[tuple[str, int | None, int | None]]:
    """(role, unit id, measure id) of the user's scopes: one plain query (asked on every check, often
    thousands of times per bulk operation; the ORM's query building cost ten times the query)."""
    from .models import UserScope

    with connection.cursor() as cur:
        cur.execute(
            f"SELECT role, org_unit_id, measure_id FROM {UserScope._meta.db_table} WHERE user_id = %s ORDER BY role",  # noqa: S608
            [user_id],
        )
        return list(cur.fetchall())


def descendant_ids(root_ids: set[int], *, on: dt.date | None = None) -> set[int]:
    """Ids of the given units and every unit below them (links valid on ``on``, or ever)."""
    return orgunit_descendant_ids(root_ids, on=on)


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
_READ_ROLES = (Role.ZONE_REPORTER, Role.ZONE_REVIEWER, Role.CITY, Role.EVALUATOR)  # the staff (READ_UNPUBLISHED)


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
    if action in (Action.READ_CONFIDENTIAL, Action.ANSWER_SURVEY):
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
    if action == Action.FILE_CONTRACT:
        # the seller: its enterprise's 企业填报员, or the 园区填报员 of the seller's zone
        return (covered_unit_ids(user, Role.ZONE_REPORTER) or set()) | r.roots(Role.ENTERPRISE_REPORTER)
    if action == Action.REGISTER_CONTRACT:
        return covered_unit_ids(user, Role.CONTRACT_REGISTRAR) or set()
    if action in (Action.MANAGE_INSTRUMENT, Action.BOOK_INSTRUMENT):
        # the owner's / requester's staff: 园区填报员 of its zone or the unit's own 企业填报员
        return (covered_unit_ids(user, Role.ZONE_REPORTER) or set()) | r.roots(Role.ENTERPRISE_REPORTER)
    if action == Action.APPLY_VOUCHER:  # the enterprise itself only (never zone staff on its behalf)
        return r.roots(Role.ENTERPRISE_REPORTER)
    if action == Action.REVIEW_VOUCHER:
        return covered_unit_ids(user, Role.ZONE_REVIEWER) or set()
    if action in (Action.READ_VOUCHERS, Action.DECLARE_RELATED_PARTY):
        return (covered_unit_ids(user, *_ZONE_STAFF) or set()) | r.roots(Role.ENTERPRISE_REPORTER)
    if action == Action.REDEEM_VOUCHER:  # the provider's unit: the provider itself only
        return r.roots(Role.ENTERPRISE_REPORTER)
    if action == Action.READ_ASSESSMENT:  # 市创新办: its city and zones; zone staff: their own zone
        return _without_enterprises(covered_unit_ids(user, *_ZONE_STAFF, Role.CITY) or set())
    return set()


def can(user: Any, action: Action, unit: _UnitLike | None = None) -> bool:
    """May ``user`` do ``action`` (on ``unit``, for the actions about units)?

    Without a unit, the unit actions PREVIEW and OUTLIERS ask "on some unit" (a reviewer anywhere);
    WRITE_REGISTRY / REVIEW_REGISTRY without a unit are the zone-less registry entries (省创新办).
    """
    r = roles_of(user)
    if action in (
        Action.FINAL_APPROVE, Action.GRANT_LATE, Action.MANAGE_RELEASES, Action.GRANT_ROLES, Action.REVIEW_MEASURE,
        Action.ASSESS, Action.MANAGE_VOUCHERS, Action.MANAGE_EVALUATION, Action.MANAGE_SURVEY,
    ):
        return r.province
    if unit is None and action in (Action.PREVIEW, Action.OUTLIERS):
        return r.province or r.has(Role.ZONE_REVIEWER)
    if action == Action.READ_UNPUBLISHED:  # the staff roles; never the public or an enterprise account
        return r.province or any(r.has(role) for role in _READ_ROLES)
    if unit is None and action in (Action.WRITE_REGISTRY, Action.REVIEW_REGISTRY):
        return r.province  # zone-less registry entries: 省创新办 only
    if action == Action.EVALUATE:  # an evaluator scope, or membership of an organisation not yet assigned
        return r.province or r.has(Role.EVALUATOR) or bool(r.measures) or _evaluator_member(user)
    ids = unit_ids(user, action)
    if ids is None:
        return True
    return unit is not None and unit.id in ids


def _evaluator_member(user: Any) -> bool:
    """Is the user a member of an evaluator organisation (``user.evaluator_organisations``, a relation the
    evaluation app owns, read like ``responsible_units`` below)?"""
    related = getattr(user, "evaluator_organisations", None)
    return bool(getattr(user, "is_authenticated", False)) and related is not None and related.exists()


def require(user: Any, action: Action, unit: _UnitLike | None = None, *, message: str) -> None:
    """:func:`can`, else :class:`PermissionDeniedError` with ``message`` (nothing has changed yet)."""
    if not can(user, action, unit):
        raise PermissionDeniedError(message)


def scope_filter(user: Any, action: Action, *, unit_field: str = "org_unit") -> Q:
    """A ``Q`` keeping the rows whose ``unit_field`` the user may ``action`` (everything for 省创新办)."""
    ids = unit_ids(user, action)
    return Q() if ids is None else Q(**{f"{unit_field}_id__in": ids})


def measure_ids(user: Any, action: Action) -> set[int] | None:
    """Ids of the plan measures on which the user may ``action``; None means every measure.

    EVALUATE_MEASURE: 省创新办, and a 第三方评估 on the measures assigned to it (its measure scopes,
    which the evaluation app derives from the live assignments).  Reading a measure as its responsible
    unit is :func:`can_on_responsible` (READ_MEASURES), not this.
    """
    r = roles_of(user)
    if r.province:
        return None
    if action == Action.EVALUATE_MEASURE:
        return set(r.measures)
    return set()


def can_on_measure(user: Any, action: Action, measure: _UnitLike) -> bool:
    """May ``user`` do ``action`` on plan measure ``measure`` (:func:`measure_ids`)?"""
    ids = measure_ids(user, action)
    return ids is None or measure.id in ids


def require_on_measure(user: Any, action: Action, measure: _UnitLike, *, message: str) -> None:
    """:func:`can_on_measure`, else :class:`PermissionDeniedError`."""
    if not can_on_measure(user, action, measure):
        raise PermissionDeniedError(message)


# --- Measures (issue 16): the responsible units of 专栏31–33 ------------------------------------------
# A responsible unit is not an organisation unit (the four working groups of 专栏32 have no place in the
# tree), so its users are its members (``user.responsible_units``, a relation the execution app owns).
# The two cities' 创新办 and the 4区管委会 stand for an organisation unit (``org_unit_id``): their users are
# also the holders of a UserScope on that unit (市创新办 on its city; 园区填报员 / 园区审核员 on the zone).


class _ResponsibleLike(Protocol):
    id: int
    org_unit_id: int | None


def _member_unit_ids(user: Any) -> set[int]:
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    related = getattr(user, "responsible_units", None)
    return set(related.values_list("id", flat=True)) if related is not None else set()


def responsible_scope(user: Any, action: Action) -> tuple[set[int], set[int]] | None:
    """(responsible unit ids, organisation unit ids) whose measures the user may ``action``; None: all.

    READ_MEASURES: the units the user is a member of, and those standing for an organisation unit the
    user covers as 市创新办 or 园区填报员/审核员.  REPORT_MEASURE: members, 市创新办 of exactly that city and
    园区填报员 of that zone (a city's users do not report for the zones under it).
    """
    r = roles_of(user)
    if r.province:
        return None
    members = _member_unit_ids(user)
    if action == Action.READ_MEASURES:
        orgs = covered_unit_ids(user, Role.ZONE_REPORTER, Role.ZONE_REVIEWER, Role.CITY) or set()
        return members, orgs
    if action == Action.REPORT_MEASURE:
        return members, r.roots(Role.CITY) | (covered_unit_ids(user, Role.ZONE_REPORTER) or set())
    return set(), set()


def can_on_responsible(user: Any, action: Action, unit: _ResponsibleLike) -> bool:
    """May ``user`` do ``action`` on the measures of responsible unit ``unit``?"""
    if action == Action.REVIEW_MEASURE:
        return roles_of(user).province
    scope = responsible_scope(user, action)
    if scope is None:
        return True
    members, orgs = scope
    return unit.id in members or (unit.org_unit_id is not None and unit.org_unit_id in orgs)


def require_on_responsible(user: Any, action: Action, unit: _ResponsibleLike, *, message: str) -> None:
    """:func:`can_on_responsible`, else :class:`PermissionDeniedError`."""
    if not can_on_responsible(user, action, unit):
        raise PermissionDeniedError(message)


def responsible_filter(user: Any, action: Action, *, unit_field: str) -> Q:
    """A ``Q`` keeping rows whose responsible unit (``unit_field``; "" for the units) the user may ``action``."""
    scope = responsible_scope(user, action)
    if scope is None:
        return Q()
    members, orgs = scope
    prefix = f"{unit_field}__" if unit_field else ""  # "": the rows are responsible units themselves
    return Q(**{f"{prefix}id__in": members}) | Q(**{f"{prefix}org_unit_id__in": orgs})


# --- Pages: who may open one (and so who is shown the link to it) ---------------------------------
# A page whose use depends on a role carries its rule on the view (:func:`page_rule`): the view refuses
# everyone else (403) and the main navigation shows the link to exactly the users the rule lets in, by
# asking the same function of the view it links to (:func:`page_allowed`): one rule, not a second list.

PageRule = Callable[[Any], bool]


def on_some_unit(action: Action) -> PageRule:
    """The rule "may do ``action`` on at least one unit" (省创新办: every unit)."""

    def allows(user: Any) -> bool:
        ids = unit_ids(user, action)
        return ids is None or bool(ids)

    allows.__name__ = f"on_some_unit_{action.value}"
    return allows


def may_review_reports(user: Any) -> bool:
    """The review queue: a 园区审核员 (审核) or the 省创新办 (终审)."""
    return can(user, Action.FINAL_APPROVE) or on_some_unit(Action.REVIEW)(user)


def may_read_measures(user: Any) -> bool:
    """The plan's measures: a responsible unit's member, 市创新办, zone staff, 省创新办 (READ_MEASURES)."""
    scope = responsible_scope(user, Action.READ_MEASURES)
    return scope is None or any(scope)


def may_evaluate(user: Any) -> bool:
    """第三方评估's pages: 省创新办 and the evaluator organisations' members (Action.EVALUATE)."""
    return can(user, Action.EVALUATE)


def page_rule(allows: PageRule, *, message: str) -> Callable[[Callable], Callable]:
    """Decorate a view: it answers 403 (``message``) unless ``allows(request.user)``; the rule stays on
    the view (``view.page_rule``, also through ``login_required``, which copies the attribute) for
    :func:`page_allowed`.  Put it under ``@login_required`` so the public is sent to the login page."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(request: Any, *args: Any, **kwargs: Any) -> Any:
            if not allows(request.user):
                raise PermissionDeniedError(message)
            return view(request, *args, **kwargs)

        guarded.page_rule = allows  # type: ignore[attr-defined]
        return guarded

    return decorate


def page_allowed(view: Callable, user: Any) -> bool:
    """May ``user`` open the page ``view`` serves (its :func:`page_rule`; a view without one: yes)?"""
    rule = getattr(view, "page_rule", None)
    return rule is None or bool(rule(user))
