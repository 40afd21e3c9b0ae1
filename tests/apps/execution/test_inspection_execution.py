"""The half-year check by responsible unit and measure, and its section in the inspection notice."""

from __future__ import annotations

import datetime as dt

import pytest

from lanbai.core.periods import Quarter

pytestmark = pytest.mark.django_db


def test_done_lagging_overdue_by_unit(measures, member, province, unit):
    from lanbai.execution import selectors, services

    science = member("kejizu", "wg_science")
    q = Quarter(2019, 4)
    get = lambda c: selectors.measure_get(None, c)  # noqa: E731
    done = services.report_save(science, measure=get("c16_01"), unit=unit("wg_science"), period=q, status="已完成")
    services.report_submit(science, done, now=dt.datetime(2020, 1, 10, tzinfo=dt.UTC))
    lag = services.report_save(science, measure=get("c16_02"), unit=unit("wg_science"), period=q, status="滞后",
                               late_reason="资金未到位")
    services.report_submit(science, lag, now=dt.datetime(2020, 1, 25, tzinfo=dt.UTC))  # after the due date
    services.report_approve(province, lag)
    back = services.report_save(science, measure=get("c16_04"), unit=unit("wg_science"), period=q, status="推进中")
    services.report_submit(science, back)
    services.report_return(province, back, reason="请补充")
    data = selectors.half_year_inspection(q, today=dt.date(2020, 2, 1))
    assert data["due"] == "2020-01-15"
    u = {x["unit"]: x for x in data["units"]}["wg_science"]
    assert [x["measure"] for x in u["done"]] == ["c16_01"]
    assert u["lagging"] == [{"measure": "c16_02", "title": get("c16_02").title, "reason": "资金未到位", "pct": None}]
    assert u["late_reports"] == 1
    overdue = {x["measure"]: x["why"] for x in u["overdue"]}
    assert "c16_01" not in overdue
    assert overdue["c16_02"] == "年度目标未完成"
    assert overdue["c16_03"] == "未按期报送、年度目标未完成"
    assert overdue["c16_04"] == "已退回未重新报送、年度目标未完成"
    actions = {r["code"]: r["status"] for r in selectors.measure_rows(None, kind="action")}
    assert actions["project_platforms"] == "lagging"  # one of its items lags
    assert actions["project_talent"] == "not_started"
    assert data["totals"]["measures"] == measures["measures"]
    before = selectors.half_year_inspection(q, today=dt.date(2020, 1, 5))  # before the due date: nothing late
    assert not any("未按期报送" in x["overdue"] for x in before["measures"])
    assert selectors.half_year_inspection_for(science, q)["units"] == [u]


def test_notice_renders_the_section(measures):
    from lanbai.execution import selectors
    from lanbai.reports.services import render_html, render_xlsx

    check = selectors.half_year_inspection(Quarter(2019, 2), today=dt.date(2019, 8, 1))
    content = {"kind": "inspection", "rows": [], "lagging": [], "measure_check": check, "label": "2019年上半年",
               "period": "2019Q2", "period_label": "2019年上半年", "data_cutoff": "2019-08-01",
               "approved_count": 0, "pending_count": 0}
    meta = {"number": "兰白检查〔2019〕第1号", "title": "检查通报", "issued_at": None}
    html = render_html(meta, content)
    assert "举措半年检查（按责任单位）" in html and "科技组" in html and "未按期报送" in html
    assert render_xlsx(meta, content)[:2] == b"PK"
