"""The annual evaluation report carries the year's 目标责任制考核 result (six units, grades, breakdown)."""

from __future__ import annotations

import pytest

from lanbai.assessment import services as assessment_services
from lanbai.reports import services


@pytest.mark.django_db
def test_annual_report_has_the_assessment_section_of_the_year(two_years, make_user):
    before = services.release_create(kind="annual", period="2018")
    assert before.content["assessment"] is None and "本年度目标责任制考核尚未完成" in before.html
    run = assessment_services.assessment_compute(make_user("p", "province"), year=2018)
    rel = services.release_create(kind="annual", period="2018")
    sec = rel.content["assessment"]
    assert sec["year"] == 2018 and sec["scheme_version"] == run.scheme.version
    units = {u["unit"]: u for u in sec["units"]}
    assert len(units) == 6 and {"lanzhou", "lzxq", "bygx"} <= set(units)
    stored = {s.unit_code: s for s in run.scores.all()}
    for code, u in units.items():
        assert u["grade"] == stored[code].grade
        assert u["components"] and all("evidence" not in c for c in u["components"])
    assert "五、目标责任制考核" in rel.html and units["lzxq"]["name"] in rel.html
    assert units["lzxq"]["components"][0]["name"] in rel.html
