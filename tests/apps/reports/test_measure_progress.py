"""The inspection notice names the measures that lag: registry counts against the plan's targets."""

from __future__ import annotations

import datetime as dt

import pytest

from lanbai.collection.models import Enterprise
from lanbai.plans.models import OrgUnit, OrgUnitLink
from lanbai.registry.models import Recognition
from lanbai.reports.services import build_content, measure_progress


def recognise(n: int, zone: str, kind: str, on: dt.date) -> None:
    zone_unit = OrgUnit.objects.get(code=zone)
    for i in range(n):
        unit = OrgUnit.objects.create(plan=zone_unit.plan, code=f"{zone}_e{kind}{i}", name=f"企业{kind}{i}",
                                      kind="enterprise", valid_from=dt.date(2015, 1, 1), source="附件7")
        OrgUnitLink.objects.create(unit=unit, parent=zone_unit, valid_from=dt.date(2015, 1, 1))
        ent = Enterprise.objects.create(credit_code=f"{i:04d}{zone}{kind}".upper().ljust(18, "0")[:18],
                                        name=unit.name, org_unit=unit, zone=zone_unit)
        Recognition.objects.create(enterprise=ent, kind=kind, valid_from=on)


@pytest.mark.django_db
def test_measure_lags_when_count_is_below_the_prorated_target(shipped_plan_in_db):
    # 200 innovative enterprises by 2020 (二（四）/专栏14); at the end of 2017 half the period
    # (3 of 6 years) has passed: 100 expected; 20 registered → lagging.
    recognise(20, "lzxq", "innovative", dt.date(2015, 3, 1))
    rows = [r for r in measure_progress(dt.date(2017, 12, 31))
            if r["indicator"] == "innovative_enterprises" and r["target"] == 200]
    assert rows and rows[0]["count"] == 20
    assert rows[0]["expected"] == pytest.approx(100.0, abs=0.3)
    assert rows[0]["status"] == "滞后" and "低于" in rows[0]["rule"]
    early = [r for r in measure_progress(dt.date(2015, 6, 30))  # 200 × 180/2191 days ≈ 16 expected
             if r["indicator"] == "innovative_enterprises" and r["target"] == 200]
    assert early[0]["status"] == "正常"


@pytest.mark.django_db
def test_inspection_notice_carries_the_measures(two_years):
    content = build_content("inspection", "2018Q4")
    labels = {m["label"] for m in content["measures"]}
    assert "创新型企业" in labels and all(m["status"] in ("滞后", "正常") for m in content["measures"])
