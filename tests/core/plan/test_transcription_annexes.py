"""Annexes 4–9 as shipped in plans/lanbai-2015-2020, checked figure by figure against the seed text.

The plan directory is loaded together with a minimal organisation stub (the organisation file is
transcribed separately), so these tests check only the annex files: they validate against the schema,
and the figures below are read off the seed (000_5bcace37f4a5eee3.txt, 附件4–附件9).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from lanbai.core.plan import load_plan
from lanbai.core.plan.schema import Plan

ROOT = Path(__file__).resolve().parents[3]
PLAN_DIR = ROOT / "plans" / "lanbai-2015-2020"
ANNEX_FILES = [
    "clusters.yaml",
    "alliances.yaml",
    "rd_institutions.yaml",
    "enterprises.yaml",
    "policies.yaml",
    "support.yaml",
]
ZONES = {"lzxq": "兰州新区", "lzgx": "兰州高新区", "lzjj": "兰州经济区", "bygx": "白银高新区"}


def _stub_units() -> list[dict]:
    units = [
        {"code": "lanbai", "name": "兰白试验区", "kind": "pilot_zone", "source": "二（一）"},
        {"code": "lanzhou", "name": "兰州市", "kind": "city", "parent": "lanbai", "source": "二（一）"},
        {"code": "baiyin", "name": "白银市", "kind": "city", "parent": "lanbai", "source": "二（一）"},
    ]
    for code, name in ZONES.items():
        parent = "baiyin" if code == "bygx" else "lanzhou"
        units.append({"code": code, "name": name, "kind": "zone", "parent": parent, "source": "二（一）"})
    units.append(
        {
            "code": "four_zones",
            "name": "4区合计",
            "kind": "aggregate",
            "members": list(ZONES),
            "source": "附件2",
        }
    )
    return units


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    d = tmp_path_factory.mktemp("annex_plan")
    shutil.copy(PLAN_DIR / "plan.yaml", d / "plan.yaml")
    for name in ANNEX_FILES:
        shutil.copy(PLAN_DIR / name, d / name)
    (d / "org_stub.yaml").write_text(
        yaml.safe_dump({"org_units": _stub_units()}, allow_unicode=True), "utf-8"
    )
    return load_plan(d)


# 附件4 ------------------------------------------------------------------------------------------


def _total(plan: Plan, zone: str):
    return next(t for t in plan.cluster_totals if t.zone == zone)


@pytest.mark.parametrize(("zone", "total"), [("lzxq", 75), ("lzgx", 46), ("lzjj", 44), ("bygx", 77)])
def test_cluster_totals_per_zone_are_the_2015_2020_figures(plan: Plan, zone: str, total: int) -> None:
    t = _total(plan, zone)
    assert t.total == total
    assert t.source == "附件4"


def test_four_zone_grand_total_is_242_with_its_bands(plan: Plan) -> None:
    t = _total(plan, "four_zones")
    assert t.total == 242
    assert (t.counts.thousand, t.counts.hundred, t.counts.fifty_to_hundred) == (1, 7, 15)
    assert (t.counts.ten_to_fifty, t.counts.one_to_ten) == (49, 170)


def test_xinqu_total_row_is_1_3_10_23_38(plan: Plan) -> None:
    c = _total(plan, "lzxq").counts
    assert (c.thousand, c.hundred, c.fifty_to_hundred, c.ten_to_fifty, c.one_to_ten) == (1, 3, 10, 23, 38)


def test_named_columns_are_counted_and_names_kept(plan: Plan) -> None:
    chem = next(r for r in plan.cluster_rows if r.zone == "lzxq" and r.industry == "化工")
    assert chem.counts.thousand == 1 and chem.named_thousand == ["石油化工"]
    equip = next(r for r in plan.cluster_rows if r.zone == "lzxq" and r.industry == "先进装备制造")
    assert equip.counts.hundred == 2 and equip.named_hundred == ["石油机械装备", "晶体材料"]
    assert (equip.counts.fifty_to_hundred, equip.counts.ten_to_fifty, equip.counts.one_to_ten) == (1, 5, 10)


def test_cluster_rows_add_up_to_each_zone_total_row(plan: Plan) -> None:
    bands = ("thousand", "hundred", "fifty_to_hundred", "ten_to_fifty", "one_to_ten")
    for zone in ZONES:
        rows = [r for r in plan.cluster_rows if r.zone == zone]
        stated = _total(plan, zone).counts
        for b in bands:
            written = getattr(stated, b)  # None: the 合计 row leaves the band blank
            assert sum(getattr(r.counts, b) for r in rows) == (written or 0), (zone, b)
    assert len([r for r in plan.cluster_rows if r.zone == "bygx"]) == 12


def test_jingjiqu_biology_direction_joins_the_wrapped_line(plan: Plan) -> None:
    row = next(r for r in plan.cluster_rows if r.zone == "lzjj" and r.industry == "生物")
    assert row.directions == ["中药加工、科技研发、现代物流产品生产"]
    assert row.counts.ten_to_fifty == 2 and row.counts.one_to_ten == 8


# 附件5 ------------------------------------------------------------------------------------------


def test_alliances_keep_stated_counts_and_listed_fields(plan: Plan) -> None:
    g = {a.industry: a for a in plan.alliance_groups}
    assert len(g) == 12
    assert g["化工"].stated_count == 15 and len(g["化工"].fields) == 15
    assert g["新能源"].stated_count == 14  # 13 items are listed: kept as written, the checker reports it
    assert g["节能环保"].stated_count == 10 and len(g["节能环保"].fields) == 9
    assert g["现代服务业"].fields[-1] == "新媒体与会展、总集成总承包服务"
    assert sum(a.stated_count for a in plan.alliance_groups) == 160


# 附件6 ------------------------------------------------------------------------------------------


def test_rd_table_total_575_and_cells(plan: Plan) -> None:
    assert plan.rd_totals is not None
    assert plan.rd_totals.stated_total == 575
    assert plan.rd_totals.column_subtotals["tech_center_miit"] == 170
    assert plan.rd_totals.column_subtotals["key_lab_sci"] == 111
    rows = {r.field: r for r in plan.rd_rows}
    assert rows["生物"].stated_subtotal == 115
    assert rows["生物"].counts["key_lab_sci"] == 34
    assert rows["化工"].counts == {
        "key_lab_sci": 3,
        "eng_center_sci": 12,
        "eng_research_center_ndrc": 3,
        "eng_lab_ndrc": 5,
        "tech_center_miit": 18,
    }
    assert rows["化工"].stated_subtotal == 41
    assert sum(sum(r.counts.values()) for r in plan.rd_rows) == 575


# 附件7 ------------------------------------------------------------------------------------------


def test_151_candidate_enterprises_numbered_1_to_151(plan: Plan) -> None:
    assert [e.seq for e in plan.candidate_enterprises] == list(range(1, 152))


@pytest.mark.parametrize(("zone", "n"), [("lzxq", 34), ("lzgx", 38), ("lzjj", 22), ("bygx", 38), (None, 19)])
def test_enterprises_per_zone(plan: Plan, zone: str | None, n: int) -> None:
    assert sum(1 for e in plan.candidate_enterprises if e.zone == zone) == n


@pytest.mark.parametrize(
    ("seq", "name"),
    [
        (1, "兰州兰石集团有限公司"),
        (26, "兰州大得利生物化学制药有限公司"),
        (38, "中牧实业股份有限公司兰州生物药厂"),
        (55, "甘肃金桥水科技（集团）股份有限公司"),
        (94, "甘肃长风信息科技有限公司"),
        (132, "甘肃荣信电材科技有限公司"),
        (151, "临夏州华安生物制品有限责任公司"),
    ],
)
def test_enterprise_names_as_written(plan: Plan, seq: int, name: str) -> None:
    assert plan.candidate_enterprises[seq - 1].name == name


def test_outside_enterprises_carry_the_group_heading(plan: Plan) -> None:
    e = plan.candidate_enterprises[132]
    assert e.seq == 133 and e.zone is None and e.group == "区域外战略性新兴产业攻坚行动骨干企业"


def test_recognition_criteria_parameters(plan: Plan) -> None:
    c = {r.number: r for r in plan.recognition_criteria}
    assert sorted(c) == [1, 2, 3, 4, 5, 6]
    assert c[1].judgement and c[2].judgement
    assert c[3].parameters["min_revenue_wan"] == 1000 and c[3].parameters["min_profit_tax_rate_pct"] == 20
    assert c[4].parameters["min_rd_staff"] == 10 and c[4].parameters["min_senior_or_master_share_pct"] == 15
    assert c[5].parameters["revenue_threshold_wan"] == 3000
    assert (
        c[5].parameters["min_rd_share_below_pct"] == 1.5
        and c[5].parameters["min_rd_share_at_or_above_pct"] == 1.0
    )
    assert c[6].parameters["min_valid_patents"] == 3 and c[6].parameters["min_invention_patents"] == 1
    assert "1000万元（含1000万元）以上" in c[3].text


# 附件8 ------------------------------------------------------------------------------------------


def _benefit(plan: Plan, number: int, code: str):
    art = next(a for a in plan.policy_articles if a.number == number)
    return next(b for b in art.benefits if b.code == code)


def test_23_policy_articles(plan: Plan) -> None:
    assert [a.number for a in plan.policy_articles] == list(range(1, 24))


def test_policy_amounts(plan: Plan) -> None:
    assert (_benefit(plan, 1, "innovation_fund").value, _benefit(plan, 1, "innovation_fund").unit) == (
        20,
        "亿元",
    )
    assert _benefit(plan, 6, "transfer_funding").value == 1000
    assert _benefit(plan, 6, "research_funding").value == 500
    assert (
        _benefit(plan, 7, "settling_in_allowance").value,
        _benefit(plan, 7, "settling_in_allowance").unit,
    ) == (
        20,
        "万元",
    )
    assert _benefit(plan, 18, "national_incubator_reward").value == 100
    assert _benefit(plan, 18, "provincial_incubator_reward").value == 50
    assert _benefit(plan, 18, "incubated_enterprise_reward").value == 50
    assert _benefit(plan, 14, "startup_loan").value == 20


def test_policy_shares_and_durations(plan: Plan) -> None:
    assert _benefit(plan, 16, "founder_matching").value == 20
    assert _benefit(plan, 17, "angel_matching").value == 50
    share = _benefit(plan, 9, "income_share")
    assert (share.value, share.value_max, share.unit) == (50, 90, "%")
    assert _benefit(plan, 5, "retroactive_super_deduction").value == 3
    assert _benefit(plan, 15, "keep_personnel_relation").value == 3
    assert _benefit(plan, 4, "reward_period").value == 3


def test_policy_conditions(plan: Plan) -> None:
    art7 = next(a for a in plan.policy_articles if a.number == 7)
    contract = next(c for c in art7.conditions if c.field == "contract_years")
    assert (contract.op, contract.value, contract.unit) == (">=", 5, "年")
    art5 = next(a for a in plan.policy_articles if a.number == 5)
    assert any(c.field == "rd_expense_date" and c.value == "2016-01-01" for c in art5.conditions)
    inc = _benefit(plan, 18, "incubated_enterprise_reward")
    assert any(c.field == "incubated_years" and c.op == ">=" and c.value == 2 for c in inc.conditions)
    art14 = next(a for a in plan.policy_articles if a.number == 14)
    grad = art14.conditions[0].any_of[1]
    assert (grad.field, grad.op, grad.value) == ("years_since_graduation", "<=", 2)
    text_only = [a.number for a in plan.policy_articles if not a.computable]
    assert text_only == [1, 2, 3, 20, 21, 22, 23]


# 附件9 ------------------------------------------------------------------------------------------


def test_support_items_every_line(plan: Plan) -> None:
    items = plan.support_items
    assert sum(1 for i in items if i.party == "ministry") == 24
    assert sum(1 for i in items if i.party == "zhangjiang") == 10
    assert not [i for i in items if i.area == "税收优惠" and i.party == "zhangjiang"]
    assert ("计划支持", "ministry", "设立国家科技成果转化引导基金甘肃子基金") in {
        (i.area, i.party, i.text) for i in items
    }
    assert ("改革试点", "zhangjiang", "推进张江示范区经验在兰白试验区实施") in {
        (i.area, i.party, i.text) for i in items
    }
