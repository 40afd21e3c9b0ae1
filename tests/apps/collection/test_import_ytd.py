"""The importer applies the year-to-date rule against the stored previous quarter."""

from __future__ import annotations

from reporting_helpers import NOW, ZONE_FORM, zone_file

from lanbai.collection.intake import import_records
from lanbai.collection.models import Submission


def imp(user, content, name="f.xlsx"):
    return import_records(user=user, filename=name, content=content, now=NOW)


def test_flow_falling_within_the_year_refuses_the_file_and_stores_nothing(people, settings):
    settings.LANBAI_PERIOD_LOCK_DAYS = 100000  # 2018Q1 stays open
    last_year = imp(people["reporter"], zone_file(period="2017Q4", gdp=500_000), name="q4.xlsx")
    assert last_year.outcome == "accepted", [p.message_zh for p in last_year.problems]
    first = imp(people["reporter"], zone_file(period="2018Q1", gdp=100_000))  # a new year starts again
    assert first.outcome == "accepted", [p.message_zh for p in first.problems]
    res = imp(people["reporter"], zone_file(period="2018Q2", gdp=90_000), name="q2.xlsx")
    assert res.outcome == "refused"
    assert [p.rule for p in res.problems] == ["ytd.flow_decreased"]
    assert not Submission.objects.filter(form_code=ZONE_FORM, period="2018Q2").exists()
    # a stock may fall (期末常住人口 30.2 → 21)
    ok = imp(people["reporter"], zone_file(period="2018Q2", gdp=150_000, resident_population=21.0), name="q2b.xlsx")
    assert ok.outcome == "accepted", [p.message_zh for p in ok.problems]
