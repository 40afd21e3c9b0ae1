"""Demo pools (模拟数据): a few reserve projects across the stages and a few talents, through the services.

Every title and name carries 模拟数据; the talents' 身份证号 are synthetic (region 620102, a valid birth
date, the GB 11643 check digit computed), so they pass validation and are stored masked like real ones.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from lanbai.core.pools.identity import check_digit
from lanbai.plans.selectors import plan_in_force, zone_list

from . import services
from .models import Project, Stage

MARK = "（模拟数据）"
PATHS = {
    Stage.RESERVE: (),
    Stage.APPROVED: (Stage.APPROVED,),
    Stage.IMPLEMENTING: (Stage.APPROVED, Stage.IMPLEMENTING),
    Stage.ACCEPTED: (Stage.APPROVED, Stage.IMPLEMENTING, Stage.ACCEPTED),
    Stage.TERMINATED: (Stage.TERMINATED,),
}
# the day each move takes effect (proposal first): the accepted project of every zone is accepted in
# 2019Q2, so the half-year inspection notice of 2019Q2 counts it
DATES = {
    None: dt.date(2017, 2, 1),
    Stage.APPROVED: dt.date(2017, 3, 1),
    Stage.IMPLEMENTING: dt.date(2017, 6, 1),
    Stage.ACCEPTED: dt.date(2019, 5, 15),
    Stage.TERMINATED: dt.date(2018, 4, 1),
}
FIELDS = ["新材料", "生物医药", "先进装备制造", "信息技术", "节能环保"]


def synthetic_id(n: int) -> str:
    """A synthetic, valid 18-character number: region 620102, birth date 1980-01-01 + n months, sequence n."""
    year, month = 1980 + n // 12, n % 12 + 1
    first17 = f"620102{year:04d}{month:02d}01{n % 1000:03d}"
    return first17 + check_digit(first17)


def pools_demo_run() -> str:
    """Create the demo pools once (a second run changes nothing); a line for the demo's output."""
    if Project.objects.filter(title__endswith=MARK).exists():
        return "储备项目库与人才库：已有模拟数据 / pools demo already present"
    users = get_user_model().objects
    province = users.filter(username="demo_sheng").first()
    if province is None:
        return "储备项目库与人才库：无省创新办演示用户，跳过 / no demo province user, skipped"
    clusters = sorted(services.cluster_codes())
    n_projects = n_talents = 0
    for zi, zone in enumerate(zone_list(plan=plan_in_force())):
        filler = users.filter(username=f"demo_{zone.code}_fill").first() or province
        zone_clusters = [c for c in clusters if c.startswith(zone.code + ":")]
        for si, path in enumerate(PATHS.values()):
            data = {
                "title": f"{zone.short_name or zone.name}{FIELDS[si]}项目{si + 1}{MARK}",
                "field": FIELDS[si],
                "budget_wan": str(50 + 30 * si + 10 * zi),
                "responsible_person": f"模拟负责人{zi + 1}{si + 1}",
                "expected_outputs": "模拟数据：专利、样机与示范应用",
                "cluster": zone_clusters[si % len(zone_clusters)] if zone_clusters else "",
            }
            p = services.project_propose(user=filler, unit=zone, data=data, on=DATES[None])
            for to in path:
                who = province if to in services.PROVINCE_STAGES else filler
                p = services.project_advance(user=who, project=p, to=to, note="模拟数据", on=DATES[to])
            n_projects += 1
        for k in range(2):
            i = zi * 2 + k
            services.talent_register(
                user=province,
                unit=zone,
                data={
                    "name": f"模拟人才{i + 1}{MARK}",
                    "gender": "女" if i % 2 else "男",
                    "birth_year": 1980 + i // 12,
                    "fields": FIELDS[i % len(FIELDS)],
                    "title": "高级工程师",
                    "id_number": synthetic_id(i),
                },
                consent_version="demo-v1",
            )
            n_talents += 1
    return f"储备项目库与人才库：{n_projects} 个项目、{n_talents} 名人才（模拟数据） / pools demo created"
