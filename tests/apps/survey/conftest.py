"""Fixtures of the survey tests: a small frame of enterprises in two zones with approved employee counts."""

from __future__ import annotations

import datetime as dt

import pytest

# (zone, employees, how many): lzxq 5 small (stratum N=5, n=3), lzxq 2 large (census), bygx 4 medium (N=4, n=3)
FRAME = [("lzxq", 10, 5), ("lzxq", 500, 2), ("bygx", 50, 4)]


def credit_code(n: int) -> str:
    from lanbai.core.collection.creditcode import check_character

    first = f"91620100MA{n:07d}"
    return first + check_character(first)


@pytest.fixture
def survey_frame(shipped_plan_in_db):
    """Eleven enterprises with an approved 2019Q4 report giving their employees; returns their Enterprise rows."""
    from lanbai.collection.figures import figures_replace
    from lanbai.collection.models import Enterprise, Submission, SubmissionVersion
    from lanbai.plans.models import OrgUnit, OrgUnitLink

    out = []
    n = 0
    for zone, employees, count in FRAME:
        z = OrgUnit.objects.get(code=zone)
        for _ in range(count):
            n += 1
            code = credit_code(n)
            unit = OrgUnit.objects.create(
                plan=z.plan,
                code=code,
                name=f"调查企业{n}",
                kind="enterprise",
                valid_from=dt.date(2015, 1, 1),
                source="test",
            )
            OrgUnitLink.objects.create(unit=unit, parent=z, valid_from=unit.valid_from)
            ent = Enterprise.objects.create(credit_code=code, name=unit.name, org_unit=unit, zone=z)
            sub = Submission.objects.create(form_code="兰白统Q2表", org_unit=unit, period="2019Q4")
            v = SubmissionVersion.objects.create(
                submission=sub, number=1, values={"employees": str(employees)}
            )
            sub.current_version = v
            sub.approved_version = v
            sub.status = "approved"
            sub.save()
            figures_replace([sub.pk])  # what the approval services write with it (the approved-figures store)
            out.append(ent)
    return out
