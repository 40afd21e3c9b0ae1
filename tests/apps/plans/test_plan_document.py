"""At run time the plan comes from the database: the stored document rebuilds the same Plan."""

from __future__ import annotations

import pytest

from lanbai.core.formulas.plan_check import plan_formulas
from lanbai.core.plan import load_plan
from lanbai.core.plan.schema import Plan
from lanbai.plans import selectors
from lanbai.plans.models import PlanVersion
from lanbai.plans.services import plan_load_into_db


def test_document_round_trips_to_an_equal_plan_with_the_same_formulas(shipped_plan_dir):
    plan = load_plan(shipped_plan_dir)
    document = plan.model_dump(mode="json")
    import json

    rebuilt = Plan.model_validate_json(json.dumps(document))
    # every field equal (the private ``_origins``, file positions for load-time messages, is not stored)
    assert all(getattr(rebuilt, f) == getattr(plan, f) for f in Plan.model_fields)
    assert rebuilt.model_dump(mode="json") == document
    before, after = plan_formulas(plan), plan_formulas(rebuilt)
    assert before.formulas.keys() == after.formulas.keys()
    assert all(before.formulas[k].ast == after.formulas[k].ast for k in before.formulas)
    assert before.fields == after.fields and before.inputs == after.inputs


@pytest.mark.django_db
def test_load_stores_the_document_and_the_index_framework(shipped_plan_dir):
    plan_load_into_db(plan_dir=shipped_plan_dir)
    version = selectors.plan_in_force()
    assert selectors.plan_validated(version).plan.code == load_plan(shipped_plan_dir).plan.code
    framework = (shipped_plan_dir / "index" / "framework.yaml").read_text(encoding="utf-8")
    assert selectors.plan_index_framework(version) == framework


@pytest.mark.django_db
def test_a_plan_loaded_before_the_document_existed_is_completed_by_init(shipped_plan_dir):
    plan_load_into_db(plan_dir=shipped_plan_dir)
    PlanVersion.objects.update(document={}, index_framework="")  # as the migration leaves an older database
    selectors._validated.clear()
    version = selectors.plan_in_force()
    with pytest.raises(selectors.PlanNotLoaded, match="lanbai init"):
        selectors.plan_validated(version)
    report = plan_load_into_db(plan_dir=shipped_plan_dir)  # same content hash: only the document is new
    assert len(report.changes) == 1 and "document" in report.changes[0]
    assert selectors.plan_validated(selectors.plan_in_force()).indicators
    assert plan_load_into_db(plan_dir=shipped_plan_dir).changes == []


@pytest.mark.django_db
def test_no_plan_is_an_application_error():
    with pytest.raises(selectors.PlanNotLoaded, match="lanbai init"):
        selectors.plan_in_force()
