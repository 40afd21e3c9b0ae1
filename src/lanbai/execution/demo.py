"""Demo of plan execution (模拟数据): two years (2018, 2019) of half-year reports on every measure.

Each lead unit reports on its measures every half year; about one report in twelve arrives after the
due date, about one measure in eight lags (with a reason), the 省创新办 approves them — except one report
it returns with a reason, and the last half year of one unit left waiting for review.  Units that are
not organisation units get a demo user each (``demo_<unit code>``, member of the unit); the zone
committees report through the zones' 园区填报员 (``demo_<zone>_fill``).  A second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from lanbai.access.services import demo_user_create
from lanbai.collection.demo import DEMO_PASSWORD
from lanbai.core.periods import Quarter

from . import selectors, services
from .choices import Progress
from .models import Measure, ProgressReport, ResponsibleUnit

PERIODS = (Quarter(2018, 2), Quarter(2018, 4), Quarter(2019, 2), Quarter(2019, 4))
RETURNED = ("c14_03", Quarter(2019, 2))  # the report the 省创新办 sends back
PENDING_UNIT = "wg_talent"  # its last half year is still waiting for review
REASONS = (
    "配套资金未及时到位，项目建设进度推迟",
    "用地审批手续尚未办结",
    "牵头企业调整投资计划，需重新论证",
    "相关国家政策尚未出台，试点暂缓",
)


def _roll(*parts: object) -> int:
    """A reproducible number 0–99 for the given parts (no global random state)."""
    return int(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:6], 16) % 100


def _user_for(unit: ResponsibleUnit):
    users = get_user_model()
    if unit.org_unit is not None and unit.kind == "zone_committee":
        return users.objects.filter(username=f"demo_{unit.org_unit.code}_fill").first()
    user = users.objects.filter(username=f"demo_{unit.code}").first() or demo_user_create(
        username=f"demo_{unit.code}", password=DEMO_PASSWORD)
    services.unit_member_add(None, unit=unit, member=user)
    return user


def _status(m: Measure, q: Quarter) -> tuple[str, str]:
    step = PERIODS.index(q)
    r = _roll(m.code, q)
    if r < 12:
        return Progress.LAGGING, REASONS[r % len(REASONS)]
    if r < 15:
        return Progress.ADJUSTED, ""
    if step == 0 and r < 22:
        return Progress.NOT_STARTED, ""
    if r > 100 - 12 * (step + 1):
        return Progress.DONE, ""
    return Progress.IN_PROGRESS, ""


def measures_demo_run() -> str:
    """Load the measures and simulate their half-year reports; returns a one-line summary."""
    services.execution_load()
    if ProgressReport.objects.exists():
        return "举措进展演示数据已存在 / measure reports already there"
    tz = timezone.get_current_timezone()
    province = get_user_model().objects.filter(username="demo_sheng").first()
    measures = list(Measure.objects.filter(kind="item").select_related("lead__org_unit").order_by("order"))
    users = {u.pk: _user_for(u) for u in {m.lead for m in measures}}
    late = returned = 0
    with transaction.atomic():
        for q in PERIODS:
            for m in measures:
                user = users[m.lead_id]
                if user is None:
                    continue
                status, reason = _status(m, q)
                pct = 100.0 if status == Progress.DONE else 0.0 if status == Progress.NOT_STARTED else (
                    20 + _roll(m.code, q, "pct") * 0.7
                )
                due = selectors.due_date(q)
                days = 10 if _roll(m.code, q, "late") < 8 else -5
                late += days > 0
                when = dt.datetime.combine(due + dt.timedelta(days=days), dt.time(10), tzinfo=tz)
                r = services.report_save(
                    user, measure=m, unit=m.lead, period=q, status=status, pct=round(pct, 1),
                    narrative=f"{q.year}年{'上半年' if q.q == 2 else '全年'}：{m.title}按年度工作计划推进（模拟数据）。",
                    late_reason=reason,
                )
                services.report_submit(user, r, now=when)
                if (m.code, q) == RETURNED:
                    services.report_return(province, r, reason="佐证材料不足，请补充项目验收文件后重新报送",
                                           now=when + dt.timedelta(days=3))
                    returned += 1
                elif not (q == PERIODS[-1] and m.lead.code == PENDING_UNIT):
                    services.report_approve(province, r, now=when + dt.timedelta(days=3))
        # the 省创新办 publishes every half year but the last (still under review): the public pages show it
        released = PERIODS[:-1]
        for q in released:
            when = dt.datetime.combine(selectors.due_date(q) + dt.timedelta(days=30), dt.time(10), tzinfo=tz)
            services.measure_progress_release(province, period=q, now=when)
    names = "、".join(sorted(u.username for u in users.values() if u is not None and u.username.startswith("demo_")))
    return (f"举措进展演示数据 / measure reports: {len(measures)} 项举措 × {len(PERIODS)} 个半年，"
            f"{late} 份逾期报送 late, {returned} 份退回 returned，已发布 released {released[-1]}；责任单位用户 / unit users: {names}")
