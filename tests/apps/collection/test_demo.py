"""``lanbai demo`` on a small population: real files through the importer, bad ones refused, idempotent."""

from __future__ import annotations

import pytest

from lanbai.collection.demo import simulator
from lanbai.collection.models import Enterprise, Submission, Upload


@pytest.mark.slow
def test_demo_small_run(db, tmp_path, monkeypatch):
    from lanbai.plans.services import plan_load_into_db

    plan_load_into_db()
    monkeypatch.setattr(simulator, "LAST", simulator.Quarter.parse("2016Q4"))
    monkeypatch.setattr(
        simulator,
        "SPOILED",
        [
            ("lzjj", "2016Q3", simulator.ENT_FORM, "rd_staff", True),
            ("bygx", "2016Q1", simulator.ZONE_FORM, "approximate", False),
        ],
    )
    report = simulator.demo_run(seed=1, synthetic_per_zone=1)
    assert report.enterprises > 100 and Enterprise.objects.filter(is_simulated=False).count() == 0
    assert len(report.refused) == 2 and Upload.objects.filter(outcome="refused").count() == 2
    assert not Submission.objects.filter(is_simulated=False).exists()
    # approved reports feed monitoring; the last quarter of one zone waits for review
    assert (
        Submission.objects.filter(status="approved", approved_version__isnull=False).count()
        == report.approved
    )
    assert report.pending > 0
    assert not Submission.objects.filter(
        org_unit__code="bygx", period="2016Q1", form_code=simulator.ZONE_FORM
    ).exists()
    # work left for the demo users: a draft with a soft-rule warning to explain, a late request to grant
    from lanbai.collection.models import LateRequest, SoftRuleWarning

    draft = Submission.objects.get(period="2017Q1", form_code=simulator.ZONE_FORM, status="draft")
    assert SoftRuleWarning.objects.filter(
        version=draft.current_version, rule_key="gdp_yoy", explanation=""
    ).exists()
    assert LateRequest.objects.filter(status="pending", period="2017Q2").count() == 1
    again = simulator.demo_run(seed=1)
    assert again.already and "未作任何更改" in again.message
    assert Upload.objects.count() == report.files
