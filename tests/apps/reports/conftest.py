"""Approved zone reports entered through the real workflow services, for the publication tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from publication_helpers import zone_values

from lanbai.collection import services
from lanbai.plans.models import OrgUnit
from lanbai.plans.services import plan_load_into_db

ZONE_FORM = "兰白统Q1表"
NOW = timezone.make_aware(dt.datetime(2019, 1, 20))


@pytest.fixture
def shipped_plan_in_db(db, shipped_plan_dir):
    plan_load_into_db(plan_dir=shipped_plan_dir)


@pytest.fixture
def report(shipped_plan_in_db, make_user, settings):
    """report(zone_code, period, values, approve=True) through save → submit → review → final approval."""
    settings.LANBAI_PERIOD_LOCK_DAYS = 100000
    people = {}

    def _report(zone: str, period: str, values: dict, *, approve: bool = True):
        if zone not in people:
            people[zone] = (
                make_user(f"fill_{zone}", "zone_reporter", zone),
                make_user(f"review_{zone}", "zone_reviewer", zone),
            )
        if "province" not in people:
            people["province"] = make_user("sheng", "province")
        filler, reviewer = people[zone]
        unit = OrgUnit.objects.get(code=zone)
        sub, _ = services.submission_save_version(
            user=filler, form_code=ZONE_FORM, unit=unit, period=period, values=values, now=NOW
        )
        services.submission_submit(user=filler, submission=sub, now=NOW)
        if approve:
            services.submission_review(user=reviewer, submission=sub, approve=True)
            services.submission_final_approve(user=people["province"], submission=sub, now=NOW)
        return sub

    return _report


@pytest.fixture
def two_years(report):
    """兰州新区 and 白银高新区, 2017Q2/2017Q4/2018Q2/2018Q4 approved; 2019Q2 of 兰州新区 only submitted."""
    for zone, base in (("lzxq", 1_800_000), ("bygx", 500_000)):
        report(zone, "2017Q2", zone_values(base * 0.45))
        report(zone, "2017Q4", zone_values(base))
        report(zone, "2018Q2", zone_values(base * 0.5))
        report(zone, "2018Q4", zone_values(base * 1.1))
    report("lzxq", "2019Q2", zone_values(999_999), approve=False)
    return report
