"""Fixtures for app tests: a small plan in the database and users with roles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

MINI_PLAN = {
    "plan.yaml": {
        "plan": {
            "code": "mini",
            "name": "迷你规划",
            "title": "迷你规划",
            "issued_by": "测试",
            "issued_on": "2016-04-28",
            "start_year": 2015,
            "end_year": 2020,
            "baseline_year": 2014,
            "root_unit": "lanbai",
            "source": "前言",
        }
    },
    "org.yaml": {
        "org_units": [
            {"code": "lanbai", "name": "兰白试验区", "kind": "pilot_zone", "source": "三"},
            {"code": "lanzhou", "name": "兰州市", "kind": "city", "parent": "lanbai", "source": "三"},
            {"code": "baiyin", "name": "白银市", "kind": "city", "parent": "lanbai", "source": "三"},
            {"code": "lzxq", "name": "兰州新区", "kind": "zone", "parent": "lanzhou", "source": "三（二）"},
            {"code": "bygx", "name": "白银高新区", "kind": "zone", "parent": "baiyin", "source": "三（五）"},
            {"code": "lzxq_a", "name": "甲园区", "kind": "park", "parent": "lzxq", "source": "专栏5"},
        ]
    },
    "ind.yaml": {
        "indicators": [
            {
                "code": "grp",
                "name": "地区生产总值",
                "unit": "亿元",
                "direction": "increase",
                "kind": "level",
                "source": "专栏1",
            },
        ],
        "targets": [
            {
                "indicator": "grp",
                "org_unit": "lanbai",
                "baseline": {"year": 2014, "value": 552.4},
                "target": {"year": 2020, "value": 1377},
                "source": "专栏1",
            },
        ],
    },
}


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts and ends in the default UI language (a test that activates English must not
    change the words the next one reads)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def write_plan(directory: Path, data: dict) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in data.items():
        (directory / name).write_text(
            yaml.safe_dump(content, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return directory


@pytest.fixture
def mini_plan(db, tmp_path):
    from lanbai.plans.services import plan_load_into_db

    plan_load_into_db(plan_dir=write_plan(tmp_path / "mini", MINI_PLAN))
    from lanbai.plans.models import PlanVersion

    return PlanVersion.objects.get(code="mini")


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    from lanbai.access.models import UserScope
    from lanbai.plans.models import OrgUnit

    def _make(username: str, role: str, unit_code: str | None = None):
        user = get_user_model().objects.create_user(username=username, password="pw-" + username)
        unit = OrgUnit.objects.get(code=unit_code) if unit_code else None
        UserScope.objects.create(user=user, role=role, org_unit=unit)
        return user

    return _make


ZONE_FORM = "兰白统Q1表"
REPORT_TIME = dt.datetime(2019, 1, 20, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def shipped_plan_in_db(db, shipped_plan_dir):
    """The shipped plan loaded into the test database."""
    from lanbai.plans.services import plan_load_into_db

    plan_load_into_db(plan_dir=shipped_plan_dir)


@pytest.fixture
def report(shipped_plan_in_db, make_user, settings):
    """report(zone_code, period, values, approve=True): a zone report through the real workflow services
    (save → submit → zone review → 省创新办 final approval)."""
    from lanbai.collection import services
    from lanbai.plans.models import OrgUnit

    settings.LANBAI_PERIOD_LOCK_DAYS = 100000  # historical periods stay open in tests
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
        # reported at REPORT_TIME, or just after the period ends for later periods (a period that has
        # not ended yet cannot be reported: the reporting calendar refuses it)
        from lanbai.core.periods import Quarter

        end = Quarter.parse(period).end
        when = max(REPORT_TIME, dt.datetime.combine(end + dt.timedelta(days=5), dt.time(10), tzinfo=REPORT_TIME.tzinfo))
        sub, _ = services.submission_save_version(
            user=filler, form_code=ZONE_FORM, unit=unit, period=period, values=values, now=when
        )
        services.submission_submit(user=filler, submission=sub, now=when)
        if approve:
            services.submission_review(user=reviewer, submission=sub, approve=True)
            services.submission_final_approve(user=people["province"], submission=sub, now=when)
        return sub

    return _report
