"""Issue 13 item 1: the command line acts as the operator (``lanbai.access.policy.OPERATOR``), and its
reads and writes go through the policy and audited services like every other caller's."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from openpyxl import load_workbook

from lanbai.access.policy import OPERATOR, Action, can, is_operator, roles_of
from lanbai.collection import services as cs
from lanbai.common.exceptions import PermissionDeniedError
from lanbai.common.models import AuditEvent
from lanbai.core.collection.creditcode import check_character
from lanbai.plans.models import OrgUnit


def _code(n: int) -> str:
    first = f"91620100MA{n:07d}"
    return first + check_character(first)


def test_the_operator_is_named_once_and_answered_by_the_policy(mini_plan, make_user):
    from lanbai.cli.django_setup import operator

    assert operator() is OPERATOR and is_operator(OPERATOR) and roles_of(OPERATOR).province
    unit = OrgUnit.objects.get(code="bygx")
    assert can(OPERATOR, Action.READ_CONFIDENTIAL, unit) and can(OPERATOR, Action.MANAGE_RELEASES)
    # nobody on the web is the operator: anonymous visitors and signed-in users are answered by their roles
    filler = make_user("xq_fill", "zone_reporter", "lzxq")
    for user in (AnonymousUser(), filler):
        assert not is_operator(user) and not can(user, Action.MANAGE_RELEASES)
    assert not can(AnonymousUser(), Action.READ, unit)


def test_registry_export_holds_only_the_enterprises_the_user_may_read(mini_plan, make_user):
    from lanbai.registry import excel

    for zone, n in (("lzxq", 1), ("bygx", 2)):
        cs.enterprise_register(user=OPERATOR, zone=OrgUnit.objects.get(code=zone), credit_code=_code(n),
                               name=f"企业{n}")

    def codes(user) -> set[str]:
        ws = load_workbook(io.BytesIO(excel.export_registry("enterprises", user=user))).active
        return {str(c.value) for row in ws.iter_rows() for c in row if c.value is not None}

    assert {_code(1), _code(2)} <= codes(OPERATOR)
    mine = codes(make_user("by_fill", "zone_reporter", "bygx"))
    assert _code(2) in mine and _code(1) not in mine and "企业1" not in mine
    assert not {_code(1), _code(2)} & codes(make_user("city", "city", "lanzhou"))


def test_index_run_save_asks_the_policy_and_audits(mini_plan, make_user):
    from lanbai.indices.models import IndexRun
    from lanbai.indices.services import index_run_save

    result = {"framework": "lanbai-dev", "framework_hash": "h", "year": 2018, "results": []}
    with pytest.raises(PermissionDeniedError):
        index_run_save(result=result, user=make_user("xq_fill", "zone_reporter", "lzxq"))
    assert not IndexRun.objects.exists() and not AuditEvent.objects.filter(action="index.run_save").exists()
    run = index_run_save(result=result, user=OPERATOR)
    ev = AuditEvent.objects.get(action="index.run_save")
    assert (ev.object_id, ev.user, ev.new) == (run.pk, None, "2018")


def test_plan_load_and_registry_seed_are_audited_once_per_change(shipped_plan_in_db, shipped_plan_dir, make_user):
    from lanbai.plans.selectors import plan_current
    from lanbai.plans.services import plan_load_into_db
    from lanbai.registry.models import Cluster
    from lanbai.registry.services import registry_seed_from_plan

    assert AuditEvent.objects.filter(action="plan.load").count() == 1  # the fixture's first load
    assert not plan_load_into_db(user=OPERATOR, plan_dir=shipped_plan_dir).changed
    assert AuditEvent.objects.filter(action="plan.load").count() == 1  # nothing changed: nothing recorded
    plan = plan_current()
    with pytest.raises(PermissionDeniedError):
        registry_seed_from_plan(plan, user=make_user("xq_fill", "zone_reporter", "lzxq"))
    assert not Cluster.objects.exists()
    registry_seed_from_plan(plan, user=OPERATOR)
    registry_seed_from_plan(plan, user=OPERATOR)  # idempotent
    assert Cluster.objects.exists() and AuditEvent.objects.filter(action="registry.seed").count() == 1


def test_cli_monitor_preview_is_decided_by_the_policy(mini_plan, monkeypatch):
    from typer.testing import CliRunner

    from lanbai.cli.main import app
    from lanbai.monitoring import selectors

    seen = {}

    def table(**kwargs):
        seen.update(kwargs)
        return []

    monkeypatch.setattr(selectors, "monitoring_table", table)
    res = CliRunner().invoke(app, ["monitor", "--period", "2018Q4", "--preview", "--json"])
    assert res.exit_code == 0, res.output
    assert seen["preview"] is True and seen["unit_codes"] is None  # the operator previews every unit
