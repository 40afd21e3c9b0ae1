"""Demo work for the soft rules and the late-reporting requests (issue 14, items 3–4).

After the simulated quarters, one zone's 填报员 has a draft of the quarter after the simulation whose
地区生产总值 grew by 80 % on the same quarter last year (the soft rule ``gdp_yoy``): accepted as a
draft, to be explained before 上报; another zone has asked the 省创新办 to report a locked period
late (a pending 申请逾期填报, for 准予逾期填报 on /collection/late/).
"""

from __future__ import annotations

import datetime as dt
import json

from django.utils import timezone

from lanbai.core.periods import Quarter

from .. import selectors, services
from ..intake import import_records

ZONE_FORM = "兰白统Q1表"
GROWTH = 1.8  # beyond the ±50 % of gdp_yoy, and no hard rule broken (everything else grows less)


def demo_soft_and_late(*, zones, users, last: Quarter, report=None) -> list[str]:
    """Leave the soft-rule draft and the pending late request; what was left, in words.

    ``report`` (the simulator's DemoReport) counts the file sent.
    """
    done: list[str] = []
    period = Quarter(last.year + 1, 1)  # Q1: no year-to-date comparison, only the year on year
    found = None
    for zone in zones:  # the first zone with last year's report to compare with
        fill = users[f"demo_{zone.code}_fill"]
        before = selectors.submission_for_entry(
            user=fill, form_code=ZONE_FORM, unit=zone, period=period.same_quarter_last_year()
        )
        if before is not None and before.current_version_id:
            found = (zone, fill, before)
            break
    if found is not None:
        zone, fill, before = found
        assert before.current_version is not None  # found only with a current_version_id
        values = dict(before.current_version.values)
        record = {k: v for k, v in values.items() if v not in (None, "")}
        for k in ("gdp", "fiscal_expenditure"):  # the totals grow most: every "≤ total" rule holds
            if k in record:
                record[k] = str(round(float(record[k]) * GROWTH, 1))
        when = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=5), dt.time(10)))
        res = import_records(
            user=fill,
            filename=f"{ZONE_FORM}-{zone.code}-{period}.json",
            content=json.dumps(record, ensure_ascii=False, sort_keys=True).encode(),
            channel="api",
            records=[record],
            expected_form=ZONE_FORM,
            expected_period=period,
            expected_unit=zone.code,
            simulated=True,
            now=when,
        )
        if report is not None:
            report.files += 1
            report.accepted += res.accepted
        if res.accepted and res.warnings:
            done.append(f"{zone.name} {period} 草稿含核实性审核提示 {len(res.warnings)} 条")
    others = [z for z in zones if found is None or z != found[0]]
    if others:
        other = others[0]
        late = Quarter(last.year + 1, 2)
        if selectors.period_state(late).state == "locked":
            services.late_request_create(
                user=users[f"demo_{other.code}_fill"],
                unit=other,
                period=late,
                form_code=ZONE_FORM,
                reason="园区统计人员调整，未能在截止日期前报送，申请逾期填报（模拟）",
            )
            done.append(f"{other.name} {late} 逾期填报申请待批准")
    return done
