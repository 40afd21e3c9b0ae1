"""四（一） and 附件5 give each industry's alliances; they disagree for six industries (both total 160)."""

from __future__ import annotations

from lanbai.core.plan import default_plan_dir, load_plan
from lanbai.core.plan.checks import check_plan


def test_each_industry_whose_alliance_count_disagrees_with_annex5_is_reported():
    plan = load_plan(default_plan_dir())
    assert sum(ip.alliances or 0 for ip in plan.industry_plans) == 160
    assert sum(g.stated_count for g in plan.alliance_groups) == 160
    findings = [f for f in check_plan(plan, checks=["alliances"]) if f.check == "alliances" and "四（一）" in f.where]
    got = {f.what.split(" ")[0]: (f.stated, f.computed) for f in findings}
    assert got == {
        "冶金有色产业": (10, 9),
        "轻工产业": (18, 19),
        "生物产业": (10, 13),
        "先进装备制造产业": (15, 14),
        "信息技术产业": (7, 6),
        "新能源产业": (15, 14),
    }
    assert all(ip.annex5_industry in {g.industry for g in plan.alliance_groups} for ip in plan.industry_plans)
