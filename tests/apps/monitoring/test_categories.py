"""附件2–3 series by category: enterprise reports carry their category as text; sums are split by it."""

from __future__ import annotations

import datetime as dt

import pytest

from lanbai.collection import services
from lanbai.collection.models import Enterprise
from lanbai.monitoring.selectors import indicator_values
from lanbai.plans.models import OrgUnit, OrgUnitLink

ENTERPRISE_FORM = "兰白统Q2表"


def enterprise(code: str, zone: str) -> OrgUnit:
    zone_unit = OrgUnit.objects.get(code=zone)
    unit = OrgUnit.objects.create(plan=zone_unit.plan, code=code, name=f"企业{code}", kind="enterprise",
                                  valid_from=dt.date(2015, 1, 1), source="附件7")
    OrgUnitLink.objects.create(unit=unit, parent=zone_unit, valid_from=dt.date(2015, 1, 1))
    Enterprise.objects.create(credit_code=code.upper().ljust(18, "0")[:18], name=unit.name, org_unit=unit,
                              zone=zone_unit)
    return unit


@pytest.mark.django_db
def test_output_value_split_by_reported_category(report, make_user):
    report("lzxq", "2018Q4", {"gdp": 1_000_000, "resident_population": 30, "fiscal_expenditure": 1,
                              "fiscal_st_expenditure": 1, "zone_rd_expenditure": 1})
    filler = make_user("ent_filler", "zone_reporter", "lzxq")
    reviewer = make_user("ent_reviewer", "zone_reviewer", "lzxq")
    province = make_user("ent_province", "province")
    figures = {"e1": ("traditional", 300_000), "e2": ("emerging", 500_000), "e3": ("emerging", 200_000)}
    for code, (category, output) in figures.items():
        unit = enterprise(code, "lzxq")
        sub, _ = services.submission_save_version(
            user=filler, form_code=ENTERPRISE_FORM, unit=unit, period="2018Q4",
            values={"category": category, "output_value": output, "high_tech": True},
            now=dt.datetime(2019, 1, 10, tzinfo=dt.UTC))
        services.submission_submit(user=filler, submission=sub)
        services.submission_review(user=reviewer, submission=sub, approve=True)
        services.submission_final_approve(user=province, submission=sub)
    values = indicator_values(until_period="2018Q4")
    got = values[(values["unit"] == "lzxq") & (values["indicator"] == "output_value") & (values["period"] == "2018Q4")]
    by_category = dict(zip(got["category"], got["value"], strict=True))
    assert by_category["traditional"] == pytest.approx(30.0)  # 300,000 万元 = 30 亿元
    assert by_category["emerging"] == pytest.approx(70.0)
    assert by_category["total"] == pytest.approx(100.0)
