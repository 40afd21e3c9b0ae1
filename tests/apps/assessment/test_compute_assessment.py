"""The annual assessment computed from the platform's data (issue 16 item 4): lzxq's 2019 by hand."""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db


def _units(run):
    from lanbai.assessment import selectors

    return {u["unit"]: u for u in selectors.assessment_for(None, run.year)["units"]}


def _comps(unit):
    return {c["component"]: c for c in unit["components"]}


def test_lzxq_2019_scored_by_hand(year_2019, today):
    """measures: 1 of 8 done → 20 × 1/8 = 2.5; not lagging and reported 2 of 8 → 10 × 2/8 = 2.5;
    on time: 4 zone reports + c05_01 Q4 + c05_03 Q2 = 6 of 20 owed (8 measures × 2 halves + 4) → 20 × 0.3 = 6;
    quality: 7 sent, c05_03 returned once → 10 × 6/7 = 8.57."""
    from lanbai.assessment import services
    from lanbai.common.models import AuditEvent

    run = services.assessment_compute(year_2019, year=2019, today=today)
    units = _units(run)
    assert list(units) == ["lanzhou", "baiyin", "lzxq", "lzgx", "lzjj", "bygx"]
    c = _comps(units["lzxq"])
    assert (c["measures_completed"]["rows"], c["measures_completed"]["score"]) == (8, 2.5)
    assert (c["measures_on_track"]["rows"], c["measures_on_track"]["score"]) == (8, 2.5)
    assert (c["reporting_timeliness"]["rows"], c["reporting_timeliness"]["score"]) == (20, 6.0)
    assert (c["reporting_quality"]["rows"], c["reporting_quality"]["score"]) == (7, 8.57)
    ev = {e["ref"]: e for e in c["reporting_timeliness"]["evidence"]}
    assert ev["c05_02 2019Q4"]["points"] == 0 and "2020-01-25 报送" in ev["c05_02 2019Q4"]["label"]
    assert ev["兰白统Q1表 2019Q3"]["points"] == 1
    assert {e["ref"]: e["points"] for e in c["reporting_quality"]["evidence"]}["c05_03 2019Q2"] == 0
    assert {e["ref"]: e["value"] for e in c["measures_completed"]["evidence"]}["c05_02"] == "lagging"
    used = [x for x in c.values() if x["applicable"]]
    total = round(sum(x["score"] for x in used) / sum(x["weight"] for x in used) * 100, 2)
    assert units["lzxq"]["total"] == total
    # a city: 0.6 × the mean of its zones' totals + 0.4 × its 创新办's own total
    lz = units["lanzhou"]
    zones = [units[z]["total"] for z in ("lzxq", "lzgx", "lzjj")]
    assert lz["zones_total"] == round(sum(zones) / 3, 2)
    assert lz["total"] == round(0.6 * lz["zones_total"] + 0.4 * lz["own_total"], 2)
    assert {e["ref"] for e in _comps(lz)["zones"]["evidence"]} == {"lzxq", "lzgx", "lzjj"}
    assert run.scheme.version == 1 and run.computed_by == year_2019
    event = AuditEvent.objects.get(action="assessment_compute")
    assert event.object_id == run.pk and event.user == year_2019
    # on 2019-12-01 the six unsent Q4 measure reports are not yet due: not counted (6 on time of 14)
    early = _comps(_units(services.assessment_compute(None, year=2019, today=dt.date(2019, 12, 1)))["lzxq"])
    assert (early["reporting_timeliness"]["rows"], early["reporting_timeliness"]["score"]) == (14, 8.57)


def test_only_the_province_computes(measures, make_user):
    from lanbai.assessment import selectors, services
    from lanbai.common.exceptions import PermissionDeniedError

    with pytest.raises(PermissionDeniedError):
        services.assessment_compute(make_user("z", "zone_reporter", "lzxq"), year=2019)
    with pytest.raises(PermissionDeniedError):
        services.assessment_compute(make_user("c", "city", "lanzhou"), year=2019)
    assert selectors.run_latest(2019) is None


def test_scope_city_its_zones_zone_itself(year_2019, make_user, today):
    from lanbai.assessment import selectors, services
    from lanbai.common.exceptions import NotFoundError

    services.assessment_compute(None, year=2019, today=today)
    city = make_user("c", "city", "lanzhou")
    zone = make_user("z", "zone_reviewer", "bygx")
    assert [u["unit"] for u in selectors.assessment_for(city, 2019)["units"]] == ["lanzhou", "lzxq", "lzgx", "lzjj"]
    assert [u["unit"] for u in selectors.assessment_for(zone, 2019)["units"]] == ["bygx"]
    with pytest.raises(NotFoundError):
        selectors.assessment_unit_for(zone, 2019, "lzxq")
    assert selectors.assessment_for(make_user("e", "evaluator", "lzxq"), 2019)["units"] == []


def test_demo_scores_2018_and_2019_once(measures):
    from lanbai.assessment import selectors
    from lanbai.assessment.demo import assessment_demo_run

    line = assessment_demo_run()
    assert "2018:" in line and "2019:" in line and "白银高新区" in line
    first = selectors.run_latest(2019)
    assessment_demo_run()
    assert selectors.run_latest(2019) == first and selectors.assessed_years() == [2019, 2018]
