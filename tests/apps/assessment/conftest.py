"""Fixtures of the assessment tests: the shipped plan with its measures, a year of lzxq's reporting."""

from __future__ import annotations

import datetime as dt

import pytest

TZ = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2020, 3, 1)  # every 2019 report is due by then
VALUES = {"gdp": "1000", "resident_population": "10", "fiscal_expenditure": "50"}


@pytest.fixture
def today():
    return TODAY


@pytest.fixture
def measures(shipped_plan_in_db):
    from lanbai.execution import services

    return services.execution_load()


@pytest.fixture
def year_2019(measures, report, make_user):
    """lzxq in 2019: four zone reports on time; its 管委会's measures c05_01 done (on time), c05_02 lagging
    (late), c05_03 推进中 (returned once, sent again on time); the other five of its eight unreported."""
    from lanbai.core.periods import Quarter
    from lanbai.execution import selectors, services

    for q in (1, 2, 3, 4):
        report("lzxq", f"2019Q{q}", VALUES)
    filler = make_user("lzxq_measures", "zone_reporter", "lzxq")
    province = make_user("sheng_assess", "province")
    unit = selectors.responsible_unit_get("lzxq_committee")

    def send(code, period, status, when, **kw):
        r = services.report_save(filler, measure=selectors.measure_get(None, code), unit=unit, period=period,
                                 status=status, **kw)
        return services.report_submit(filler, r, now=dt.datetime.combine(when, dt.time(10), tzinfo=TZ))

    services.report_approve(province, send("c05_01", Quarter(2019, 4), "已完成", dt.date(2020, 1, 10)))
    services.report_approve(province, send("c05_02", Quarter(2019, 4), "滞后", dt.date(2020, 1, 25),
                                           late_reason="用地审批未完成"))
    back = send("c05_03", Quarter(2019, 2), "推进中", dt.date(2019, 7, 10))
    services.report_return(province, back, reason="请补充佐证")
    services.report_approve(province, send("c05_03", Quarter(2019, 2), "推进中", dt.date(2019, 7, 12)))
    return province
