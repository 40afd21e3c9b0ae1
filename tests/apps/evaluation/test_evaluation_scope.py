"""Third-party evaluation: assignments drive the evaluator's scope; conflicts block assignment."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

CODE = "91620100MA73XY123R"


@pytest.fixture
def org(shipped_plan_in_db):
    from lanbai.evaluation import services

    return services.organisation_create(
        None, name="甘肃某评估中心（模拟数据）", credit_code=CODE, contact="0931-0000000"
    )


@pytest.fixture
def evaluator(org, django_user_model):
    from lanbai.evaluation import services

    user = django_user_model.objects.create_user(username="pinggu", password="pw")
    services.member_add(None, org, user)
    return user


def test_evaluator_sees_only_assigned_parks(org, evaluator):
    """The role-matrix question: READ / READ_FIGURES cover the assigned parks only, never others."""
    from lanbai.access.policy import Action, can, unit_ids
    from lanbai.evaluation import services
    from lanbai.plans.models import OrgUnit

    assert unit_ids(evaluator, Action.READ_FIGURES) == set()
    services.assign(None, org, year=2019, unit_codes=["lzxq", "bygx"])
    ids = unit_ids(evaluator, Action.READ_FIGURES)
    codes = set(OrgUnit.objects.filter(id__in=ids).values_list("code", flat=True))
    assert {"lzxq", "bygx"} <= codes
    assert not codes & {"lzgx", "lzjj", "lanzhou", "baiyin"}
    assert can(evaluator, Action.READ, OrgUnit.objects.get(code="lzxq"))
    assert not can(evaluator, Action.READ, OrgUnit.objects.get(code="lzgx"))
    assert not can(evaluator, Action.READ_CONFIDENTIAL, OrgUnit.objects.get(code="lzxq"))
    assert not can(evaluator, Action.MANAGE_EVALUATION)


def test_retiring_the_assignment_retires_the_scope(org, evaluator):
    from lanbai.access.policy import Action, unit_ids
    from lanbai.common.models import AuditEvent
    from lanbai.evaluation import services

    a = services.assign(None, org, year=2019, unit_codes=["lzxq"])
    assert unit_ids(evaluator, Action.READ_FIGURES)
    services.assignment_retire(None, a, reason="年度结束")
    assert unit_ids(evaluator, Action.READ_FIGURES) == set()
    assert list(
        AuditEvent.objects.filter(action__startswith="evaluation.")
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["evaluation.organisation_create", "evaluation.member_add", "evaluation.assign", "evaluation.retire"]


def test_declared_conflict_refuses_the_unit(org, evaluator):
    from lanbai.common.exceptions import ValidationFailed
    from lanbai.evaluation import services
    from lanbai.evaluation.models import Assignment

    services.conflict_declare(evaluator, org, unit_code="lzgx", nature="本机构曾为该园区编制规划")
    with pytest.raises(ValidationFailed, match="利益冲突") as exc:
        services.assign(None, org, year=2019, unit_codes=["lzxq", "lzgx"])
    assert exc.value.extra["field"] == "units"
    assert not Assignment.objects.exists()  # nothing half-written


def test_only_province_manages_and_only_members_declare(org, evaluator, make_user):
    from lanbai.common.exceptions import PermissionDeniedError, ValidationFailed
    from lanbai.evaluation import services

    with pytest.raises(PermissionDeniedError):
        services.assign(evaluator, org, year=2019, unit_codes=["lzxq"])
    outsider = make_user("zr", "zone_reporter", "lzgx")
    with pytest.raises(PermissionDeniedError):
        services.conflict_declare(outsider, org, unit_code="lzgx", nature="x")
    with pytest.raises(ValidationFailed) as exc:
        services.organisation_create(None, name="乙", credit_code="91620100MA73XY123Q")
    assert exc.value.extra["field"] == "credit_code"


def test_evaluator_lists_only_its_assignments(org, evaluator, django_user_model):
    from lanbai.evaluation import selectors, services

    services.assign(None, org, year=2019, unit_codes=["lzxq"])
    other = django_user_model.objects.create_user(username="nobody", password="pw")
    assert [a.year for a in selectors.assignments_for(evaluator, year=2019)] == [2019]
    assert list(selectors.assignments_for(other)) == []


def test_cli_lists_the_years_assignments(org, evaluator):
    import json

    from typer.testing import CliRunner

    from lanbai.cli.main import app
    from lanbai.evaluation import services

    services.assign(None, org, year=2019, unit_codes=["lzxq", "bygx"])
    res = CliRunner().invoke(app, ["evaluation", "list", "--year", "2019", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [(r["year"], r["units"], r["retired"]) for r in rows] == [(2019, ["bygx", "lzxq"], False)]
    assert "2018 年度无评估委托" in CliRunner().invoke(app, ["evaluation", "list", "--year", "2018"]).output
