"""Approved zone reports for monitoring tests, entered through the real workflow services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

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
    settings.LANBAI_PERIOD_LOCK_DAYS = 100000  # historical periods stay open in tests
    people = {}

    def _report(zone: str, period: str, values: dict, *, approve: bool = True):
        if zone not in people:
            people[zone] = (make_user(f"fill_{zone}", "zone_reporter", zone),
                            make_user(f"review_{zone}", "zone_reviewer", zone))
        if "province" not in people:
            people["province"] = make_user("sheng", "province")
        filler, reviewer = people[zone]
        unit = OrgUnit.objects.get(code=zone)
        sub, _ = services.submission_save_version(user=filler, form_code=ZONE_FORM, unit=unit, period=period,
                                                  values=values, now=NOW)
        services.submission_submit(user=filler, submission=sub, now=NOW)
        if approve:
            services.submission_review(user=reviewer, submission=sub, approve=True)
            services.submission_final_approve(user=people["province"], submission=sub, now=NOW)
        return sub

    return _report
