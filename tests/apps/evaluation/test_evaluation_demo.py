"""The evaluation demo runs through the real services and a second run changes nothing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_evaluation_demo_returned_then_accepted(shipped_plan_in_db, django_user_model):
    from lanbai.common.models import AuditEvent
    from lanbai.evaluation.demo import evaluation_demo_run
    from lanbai.evaluation.models import ConflictDeclaration, Evaluation, EvaluationReport

    django_user_model.objects.create_user(username="demo_evaluator", password="pw")
    assert "模拟数据" in evaluation_demo_run()
    report = EvaluationReport.objects.get()
    assert (report.state, report.submissions) == ("accepted", 2)
    returned = AuditEvent.objects.get(action="evaluation.report_returned")
    assert "数据依据" in returned.reason
    assert sorted(Evaluation.objects.values_list("unit__code", flat=True)) == ["bygx", "lzxq"]
    assert ConflictDeclaration.objects.count() == 1
    assert "已有演示数据" in evaluation_demo_run()
    assert EvaluationReport.objects.count() == 1
