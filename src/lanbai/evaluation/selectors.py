"""Reads of third-party evaluation, scoped through the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from lanbai.access.policy import Action, can_on_measure, is_province

from .models import Assignment, ConflictDeclaration, EvaluationReport, EvaluationScheme, EvaluatorOrganisation


def assignments_for(user: Any, *, year: int | None = None) -> QuerySet[Assignment]:
    """省创新办: every assignment; an evaluator: its organisations' live ones; anyone else: none."""
    qs = Assignment.objects.select_related("organisation").prefetch_related("units", "measures__lead")
    if year is not None:
        qs = qs.filter(year=year)
    if is_province(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(organisation__members=user, retired=False)


def conflict_exists(
    organisation_id: int, unit_ids: set[int], responsible_ids: set[int] | None = None
) -> list[ConflictDeclaration]:
    """The organisation's declarations with one of the units or one of the responsible units."""
    return list(
        ConflictDeclaration.objects.filter(organisation_id=organisation_id)
        .filter(Q(unit_id__in=unit_ids) | Q(responsible_unit_id__in=responsible_ids or set()))
        .select_related("unit", "responsible_unit")
    )


def live_unit_ids(member: Any) -> set[int]:
    """Ids of the units of the live assignments of every organisation ``member`` belongs to."""
    through = Assignment.units.through
    return set(
        through.objects.filter(
            assignment__organisation__members=member, assignment__retired=False
        ).values_list("orgunit_id", flat=True)
    )


def live_measure_ids(member: Any) -> set[int]:
    """Ids of the plan measures of the live assignments of every organisation ``member`` belongs to."""
    through = Assignment.measures.through
    return set(
        through.objects.filter(
            assignment__organisation__members=member, assignment__retired=False
        ).values_list("measure_id", flat=True)
    )


def scheme_get(version: int) -> EvaluationScheme | None:
    return EvaluationScheme.objects.filter(version=version).first()


def scheme_latest() -> EvaluationScheme | None:
    return EvaluationScheme.objects.order_by("-version").first()


def organisations_for(user: Any) -> QuerySet[EvaluatorOrganisation]:
    """省创新办: every organisation; anyone else: the ones they belong to."""
    qs = EvaluatorOrganisation.objects.prefetch_related("members")
    if is_province(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(members=user)


def conflicts_for(user: Any) -> QuerySet[ConflictDeclaration]:
    """省创新办: every declaration; a member: its organisations' declarations."""
    qs = ConflictDeclaration.objects.select_related("organisation", "unit", "responsible_unit", "user")
    if is_province(user):
        return qs
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    return qs.filter(organisation__members=user)


def reports_for(user: Any, *, year: int | None = None) -> QuerySet[EvaluationReport]:
    """The reports of the assignments the user sees (:func:`assignments_for`), with their evaluations."""
    qs = EvaluationReport.objects.select_related("assignment__organisation", "scheme").prefetch_related(
        "evaluations__unit", "evaluations__measure"
    )
    return qs.filter(assignment__in=assignments_for(user, year=year))


def report_of(assignment: Assignment) -> EvaluationReport | None:
    return (
        EvaluationReport.objects.filter(assignment=assignment)
        .prefetch_related("evaluations__unit", "evaluations__measure")
        .first()
    )


def is_member(user: Any, assignment: Assignment) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and assignment.organisation.members.filter(pk=pk).exists()


def assignment_for_unit(user: Any, year: int, code: str) -> Assignment | None:
    """The live assignment of ``year`` covering unit ``code`` that the user sees (member first)."""
    qs = assignments_for(user, year=year).filter(units__code=code, retired=False)
    pk = getattr(user, "pk", None)
    mine = qs.filter(organisation__members__pk=pk).first() if pk is not None else None
    return mine or qs.first()


def unit_figures(user: Any, year: int, code: str) -> list[dict[str, Any]]:
    """The unit's approved figures for ``year`` (Q4, year to date), read only through the policy.

    Reuses the monitoring selector scoped by :func:`figure_unit_codes` (READ_FIGURES): a unit outside
    the user's scope answers no rows.
    """
    from lanbai.monitoring.selectors import figure_unit_codes, monitoring_table

    rows = monitoring_table(period=f"{year}Q4", unit=code, unit_codes=figure_unit_codes(user))
    return [r.as_dict() for r in rows]


def organisation_get(user: Any, pk: int) -> EvaluatorOrganisation | None:
    """The organisation if the user sees it (省创新办: any; a member: its own), else None."""
    return organisations_for(user).filter(pk=pk).first()


ASSIGNABLE_KINDS = ("zone", "core_area", "park")


def assignable_units() -> list[tuple[str, str]]:
    """(code, name) of the zones and parks of the plan in force: what an evaluator may be assigned."""
    from lanbai.plans.selectors import orgunit_list, plan_in_force

    return [
        (u.code, u.name)
        for u in orgunit_list(plan=plan_in_force()).filter(kind__in=ASSIGNABLE_KINDS).order_by("order", "code")
    ]


def unit_measure_reports(user: Any, year: int, unit: Any) -> list[Any]:
    """The approved half-year measure reports (with evidence) of the 管委会 / 创新办 standing for
    ``unit``, for 省创新办 or a member of a live assignment of ``year`` covering it; else none."""
    from lanbai.execution.selectors import approved_reports_of_org_unit

    if not (is_province(user) or _member_assignment(user, year, unit.code)):
        return []
    return approved_reports_of_org_unit(unit.id, year)


def unit_evidence(user: Any, year: int, unit: Any, pk: int) -> Any | None:
    """Evidence ``pk`` of an approved report of ``unit``'s 管委会 in ``year``, under the same rule."""
    from lanbai.execution.selectors import approved_evidence_of_org_unit

    if not (is_province(user) or _member_assignment(user, year, unit.code)):
        return None
    return approved_evidence_of_org_unit(pk, unit.id, year)


def _member_assignment(user: Any, year: int, code: str) -> bool:
    pk = getattr(user, "pk", None)
    return pk is not None and Assignment.objects.filter(
        year=year, retired=False, units__code=code, organisation__members__pk=pk
    ).exists()


# --- plan measures assigned for evaluation (issue 16 item 5) --------------------------------------


def assignable_measures() -> list[tuple[str, str]]:
    """(code, "code title · lead") of the plan's 专栏 items: what an evaluator may be assigned."""
    from lanbai.execution.selectors import measure_items

    return [(m.code, f"{m.code} {m.title}（{m.lead.name}）") for m in measure_items()]


def measures_by_code(codes: list[str]) -> dict[str, Any]:
    """{code: measure} of the plan's 专栏 items among ``codes`` (unknown codes are left out)."""
    from lanbai.execution.selectors import measure_items

    return {m.code: m for m in measure_items(codes)}


def measure_get(code: str) -> Any | None:
    """The 专栏 item ``code`` (no access check: the view asks the policy, EVALUATE_MEASURE)."""
    from lanbai.execution.selectors import measure_item_get

    return measure_item_get(code)


def assignment_for_measure(user: Any, year: int, code: str) -> Assignment | None:
    """The live assignment of ``year`` covering measure ``code`` that the user sees (member first)."""
    qs = assignments_for(user, year=year).filter(measures__code=code, retired=False)
    pk = getattr(user, "pk", None)
    mine = qs.filter(organisation__members__pk=pk).first() if pk is not None else None
    return mine or qs.first()


def _may_read_measure(user: Any, year: int, measure: Any) -> bool:
    """The policy's EVALUATE_MEASURE on the measure, and (but for 省创新办) a live assignment of ``year``
    of one of the user's organisations covering it: a scope of another year opens nothing."""
    if not can_on_measure(user, Action.EVALUATE_MEASURE, measure):
        return False
    if is_province(user):
        return True
    pk = getattr(user, "pk", None)
    return pk is not None and Assignment.objects.filter(
        year=year, retired=False, measures=measure, organisation__members__pk=pk
    ).exists()


def measure_reports(user: Any, year: int, measure: Any) -> list[Any]:
    """The measure's approved half-year reports of ``year`` with their evidence, for 省创新办 or a member
    of a live assignment of ``year`` covering it; else none (drafts, submitted, returned: never)."""
    from lanbai.execution.selectors import approved_reports_of_measure

    if not _may_read_measure(user, year, measure):
        return []
    return approved_reports_of_measure(measure.id, year)


def measure_evidence(user: Any, year: int, measure: Any, pk: int) -> Any | None:
    """Evidence ``pk`` of an approved report of ``year`` on the measure, under the same rule."""
    from lanbai.execution.selectors import approved_evidence_of_measure

    if not _may_read_measure(user, year, measure):
        return None
    return approved_evidence_of_measure(pk, measure.id, year)


def conflict_responsible_units() -> list[tuple[str, str]]:
    """(code, name) of the responsible units leading a plan measure: a conflict may be declared with them."""
    from lanbai.execution.selectors import measure_items

    seen: dict[str, str] = {}
    for m in measure_items():
        seen.setdefault(m.lead.code, m.lead.name)
    return list(seen.items())
