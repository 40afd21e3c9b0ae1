"""Demo data (模拟数据) for 大型科研仪器开放共享, through the real services.

A few instruments in three zones; in 2019–2020 bookings by the owner and by other zones (machine time and
sample testing), approved and used (normal, overtime, a 爽约 no-show), one attempt refused as a time
conflict, one booking refused with a reason, one still waiting in the approval queue.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.utils import timezone

from lanbai.access.choices import Role
from lanbai.access.services import demo_user_create, user_scope_grant
from lanbai.collection.demo import DEMO_PASSWORD
from lanbai.common.exceptions import ConflictError
from lanbai.plans.selectors import plan_in_force, zone_list

from . import services
from .models import Instrument

# (owner zone, name, model, manufacturer, 原值 万元, 分类编码, fee basis, rate 元, minimum 元, location)
CATALOGUE = [
    (
        "lzgx",
        "场发射扫描电子显微镜",
        "SU8010",
        "日立",
        "320",
        "030101",
        "per_hour",
        "300",
        "300",
        "兰州高新区科技园A栋",
    ),
    (
        "lzgx",
        "X射线衍射仪",
        "D8 ADVANCE",
        "布鲁克",
        "180",
        "030203",
        "per_sample",
        "200",
        "200",
        "兰州高新区科技园B栋",
    ),
    (
        "lzxq",
        "液相色谱-质谱联用仪",
        "6545 Q-TOF",
        "安捷伦",
        "260",
        "030402",
        "per_hour",
        "400",
        "400",
        "兰州新区研发中心",
    ),
    (
        "bygx",
        "电感耦合等离子体质谱仪",
        "iCAP RQ",
        "赛默飞",
        "150",
        "030406",
        "per_sample",
        "150",
        "300",
        "白银高新区检测中心",
    ),
]


def _user(username: str, unit: Any):
    User = get_user_model()  # noqa: N806
    user = User.objects.filter(username=username).first()
    if user is None:
        user = demo_user_create(username=username, password=DEMO_PASSWORD, first_name="模拟数据")
    user_scope_grant(by=None, user=user, role=Role.ZONE_REPORTER, unit=unit)
    return user


def instruments_demo(*, seed: int = 2016) -> dict[str, int]:
    """Fill the register and its bookings (idempotent: nothing happens when simulated instruments exist)."""
    if Instrument.objects.filter(is_simulated=True).exists():
        return {"instruments": 0}
    zones = {z.code: z for z in zone_list(plan=plan_in_force())}
    if not all(code in zones for code, *_ in CATALOGUE):
        return {"instruments": 0}
    tz = timezone.get_current_timezone()
    rng = np.random.default_rng(seed)
    users = {code: _user(f"demo_{code}_fill", z) for code, z in zones.items()}
    counts = {"instruments": 0, "bookings": 0, "usages": 0, "conflicts": 0, "refused": 0, "no_shows": 0}
    insts = []
    for code, name, model, maker, value, cls, basis, rate, minimum, location in CATALOGUE:
        insts.append(
            services.instrument_register(
                user=users[code],
                owner_unit=zones[code],
                simulated=True,
                data={
                    "name": name,
                    "model_number": model,
                    "manufacturer": maker,
                    "original_value": value,
                    "classification_code": cls,
                    "fee_basis": basis,
                    "fee_rate": rate,
                    "fee_minimum": minimum,
                    "location": location,
                },
            )
        )
    counts["instruments"] = len(insts)
    codes = list(zones)
    for ii, inst in enumerate(insts):
        owner_code = CATALOGUE[ii][0]
        owner = users[owner_code]
        for year in (2019, 2020):
            for month in range(1, 13, 2):  # six bookings a year per instrument
                day = int(rng.integers(1, 28))
                hours = int(rng.integers(2, 7))
                start = dt.datetime(year, month, day, 9, tzinfo=tz)
                end = start + dt.timedelta(hours=hours)
                external = rng.random() < 0.6
                code = codes[int(rng.integers(0, len(codes)))] if external else owner_code
                per_sample = inst.fee_basis == "per_sample"
                b = services.booking_create(
                    user=users[code],
                    instrument=inst,
                    requester_unit=zones[code],
                    start=start,
                    end=end,
                    purpose="模拟数据：样品测试" if per_sample else "模拟数据：材料表征",
                    kind="送样" if per_sample else "机时",
                    samples=int(rng.integers(1, 8)) if per_sample else 0,
                    simulated=True,
                )
                counts["bookings"] += 1
                b = services.booking_approve(user=owner, booking=b)
                outcome = (
                    "爽约"
                    if (ii, year, month) == (0, 2019, 5)
                    else ("超时" if rng.random() < 0.15 else "正常")
                )
                extra = dt.timedelta(hours=1) if outcome == "超时" else dt.timedelta(0)
                services.usage_record(
                    user=owner,
                    booking=b,
                    actual_start=start,
                    actual_end=end + extra,
                    outcome=outcome,
                    simulated=True,
                )
                counts["usages"] += 1
                counts["no_shows"] += outcome == "爽约"
                if (ii, year, month) == (0, 2020, 3):  # another zone asks for the same slot: refused
                    try:
                        services.booking_create(
                            user=users["lzxq"],
                            instrument=inst,
                            requester_unit=zones["lzxq"],
                            start=start + dt.timedelta(hours=1),
                            end=end,
                            simulated=True,
                        )
                    except ConflictError:
                        counts["conflicts"] += 1
    first = insts[0]
    late = dt.datetime(2020, 12, 28, 9, tzinfo=tz)
    refused = services.booking_create(
        user=users["bygx"],
        instrument=first,
        requester_unit=zones["bygx"],
        start=late,
        end=late + dt.timedelta(hours=3),
        purpose="模拟数据",
        simulated=True,
    )
    services.booking_refuse(user=users[CATALOGUE[0][0]], booking=refused, reason="年末设备检修（模拟数据）")
    counts["refused"] += 1
    services.booking_create(
        user=users["lzxq"],
        instrument=first,
        requester_unit=zones["lzxq"],
        start=late + dt.timedelta(days=1),
        end=late + dt.timedelta(days=1, hours=4),
        purpose="模拟数据：待审批",
        simulated=True,
    )  # waits in the approval queue
    counts["bookings"] += 2
    return counts
