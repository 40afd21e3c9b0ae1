"""The transcription of the plan's measures (专栏2–30, 四（一）1–2 industries, 专栏31–33 and 七（一）).

The figures asserted here are copied one by one from the plan text (shared/seed/000_5bcace37f4a5eee3.txt);
the sums of the industry paragraphs are computed from the data and compared with the totals the 专栏 state.
The data is loaded with ``load_plan`` from an isolated directory holding the shipped plan.yaml,
measures.yaml and responsibilities.yaml plus a minimal organisation/indicator stub, so the test does not
depend on the state of the other data files.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from lanbai.core.plan import load_plan
from lanbai.core.plan.checks import check_plan
from lanbai.core.plan.schema.measures import Measure
from lanbai.core.plan.schema.plan import Plan

PLAN_DIR = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"
SEED = Path("/work/shared/seed/000_5bcace37f4a5eee3.txt")

# items per 专栏 as numbered in the seed
ITEMS_PER_COLUMN = {
    2: 6, 3: 5, 4: 7, 5: 7, 6: 5, 7: 7, 8: 7, 9: 5, 10: 3, 11: 7, 12: 8, 13: 6, 14: 7, 15: 6, 16: 9,
    17: 7, 18: 5, 19: 5, 20: 6, 21: 6, 22: 8, 23: 6, 24: 6, 25: 9, 26: 5, 27: 4, 28: 5, 29: 3, 30: 3,
}  # fmt: skip
INTRO_COLUMNS = {5, 6, 7, 8, 18}

ORG_STUB = {
    "org_units": [
        {"code": "lanbai", "name": "兰白试验区", "kind": "pilot_zone", "source": "二（一）"},
        {"code": "lanzhou", "name": "兰州市", "kind": "city", "parent": "lanbai", "source": "二（一）"},
        {"code": "baiyin", "name": "白银市", "kind": "city", "parent": "lanbai", "source": "二（一）"},
        {"code": "lzxq", "name": "兰州新区", "kind": "zone", "parent": "lanzhou", "source": "专栏5"},
        {"code": "lzgx", "name": "兰州高新区", "kind": "zone", "parent": "lanzhou", "source": "专栏6"},
        {"code": "lzjj", "name": "兰州经济区", "kind": "zone", "parent": "lanzhou", "source": "专栏7"},
        {"code": "bygx", "name": "白银高新区", "kind": "zone", "parent": "baiyin", "source": "专栏8"},
        {"code": "core_area", "name": "兰白试验区核心创新区", "kind": "core_area", "parent": "lzxq", "source": "三（一）"},
    ]
}


def _referenced_indicators() -> set[str]:
    data = yaml.safe_load((PLAN_DIR / "measures.yaml").read_text(encoding="utf-8"))
    return {q["indicator"] for m in data["measures"] for q in m.get("targets", []) if q.get("indicator")}


def _shipped_indicators() -> list[dict]:
    path = PLAN_DIR / "indicators.yaml"
    if not path.exists():
        return []
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("indicators", [])


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Plan:
    d = tmp_path_factory.mktemp("measures_plan")
    for name in ("plan.yaml", "measures.yaml", "responsibilities.yaml"):
        shutil.copy(PLAN_DIR / name, d / name)
    files: dict[str, object] = {"organisation.yaml": ORG_STUB}
    # the indicators the measures link to: their records from indicators.yaml where it has them
    shipped = {i["code"]: i for i in _shipped_indicators()}
    codes = sorted(_referenced_indicators())
    if codes:
        stub = {"unit": "个", "direction": "increase", "kind": "count", "source": "二（四）"}
        files["indicators.yaml"] = {
            "indicators": [shipped.get(c, {"code": c, "name": c, **stub}) for c in codes]
        }
    for name, content in files.items():
        (d / name).write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return load_plan(d)


def measure(plan: Plan, code: str):
    (m,) = [m for m in plan.measures if m.code == code]
    return m


def target(plan: Plan, code: str, name: str):
    (q,) = [q for q in measure(plan, code).targets if q.name == name]
    return q


def industry(plan: Plan, name: str):
    (ip,) = [ip for ip in plan.industry_plans if ip.name == name]
    return ip


# ---------------------------------------------------------------------------------------------
# every 专栏 item is there


def test_every_column_2_to_30_has_all_its_items(plan):
    items = Counter(m.column for m in plan.measures if m.part == "item")
    assert dict(items) == ITEMS_PER_COLUMN
    for col, n in ITEMS_PER_COLUMN.items():
        got = sorted(m.item for m in plan.measures if m.column == col and m.part == "item")
        assert got == [f"{i:02d}" for i in range(1, n + 1)], col


def test_columns_that_open_with_a_sentence_have_an_intro_measure(plan):
    assert {m.column for m in plan.measures if m.part == "intro"} == INTRO_COLUMNS
    intro = measure(plan, "c18_00")
    assert intro.text.endswith("建设4个军民结合专业产业技术园。")
    (q,) = intro.targets
    assert (q.name, q.value, q.unit, q.comparator) == ("军民结合专业产业技术园", 4, "个", "=")


def test_every_measure_has_a_programme_and_the_column_as_source(plan):
    progs = {p.code: p for p in plan.programmes}
    for m in plan.measures:
        assert m.programme in progs, m.code
        assert m.source == f"专栏{m.column}", m.code
        assert m.column in progs[m.programme].columns, m.code


@pytest.mark.skipif(not SEED.exists(), reason="the seed text is not on this machine")
def test_every_measure_text_is_written_in_the_seed():
    seed = SEED.read_text(encoding="utf-8")
    data = yaml.safe_load((PLAN_DIR / "measures.yaml").read_text(encoding="utf-8"))
    missing = [m["code"] for m in data["measures"] if m["text"] not in seed]
    assert missing == []


# ---------------------------------------------------------------------------------------------
# programmes


def test_programme_groups(plan):
    groups = Counter(p.group for p in plan.programmes)
    assert groups["三大计划"] == 3 and groups["五大工程"] == 5 and groups["十项改革"] == 10
    assert groups["试验主题"] == 6
    reforms = sorted((p for p in plan.programmes if p.group == "十项改革"), key=lambda p: p.order)
    assert [p.columns for p in reforms] == [[c] for c in range(21, 31)]
    assert reforms[0].source == "五（一）" and reforms[9].source == "五（十）"
    assert reforms[9].name == "新型城镇化制度创新改革"
    themes = [measure(plan, f"c02_{i:02d}").programme for i in range(1, 7)]
    assert [p.name for p in plan.programmes if p.code in themes] == [
        "管理体制试验", "运行机制试验", "创新模式试验", "产业发展试验", "军民结合试验", "区域一体试验",
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------
# figures, one by one, as the seed writes them


def test_chemical_industry_counts(plan):
    # 四（一）1 化工产业: 建成50个…创新平台，…15个产业技术创新战略联盟，完成100项…，开发10个国家级重点新产品
    ip = industry(plan, "化工产业")
    assert ip.platforms == 50
    assert ip.alliances == 15
    assert ip.transformation_projects == 100
    assert ip.national_new_products == 10
    assert ip.source == "四（一）1" and ip.category == "traditional"
    assert ip.parks == ["兰州新区石化产业园", "白银高新区银东化工园"]


def test_other_industry_figures(plan):
    assert industry(plan, "装备制造产业").transformation_projects == 400  # 完成400项重大科技成果转化项目
    assert industry(plan, "建筑材料产业").national_new_products == 5  # 开发5个国家级重点新产品
    assert industry(plan, "轻工产业").alliances == 18  # 培育18个产业技术创新战略联盟
    assert industry(plan, "新材料产业").alliances == 17
    assert industry(plan, "新材料产业").transformation_projects == 220
    assert industry(plan, "先进装备制造产业").platforms == 60
    assert industry(plan, "信息技术产业").alliances == 7
    assert industry(plan, "节能环保产业").platforms == 20
    assert industry(plan, "现代服务业").source == "四（一）2"


def test_column_14_enterprises(plan):
    q = target(plan, "c14_01", "创新型企业")
    assert (q.value, q.unit, q.comparator) == (200, "家", "=")
    assert target(plan, "c14_02", "高新技术企业").value == 250
    assert target(plan, "c14_03", "产业技术创新战略联盟").value == 160
    assert target(plan, "c14_03", "企业创新团队").value == 400
    assert target(plan, "c14_04", "百亿元产值产业集群").value == 7
    assert target(plan, "c14_06", "创制国家技术标准").value == 50


def test_ranges_are_a_lower_and_an_upper_bound(plan):
    # 专栏14-05 设立5－10家海外研发中心
    lo = target(plan, "c14_05", "海外研发中心（下限）")
    hi = target(plan, "c14_05", "海外研发中心（上限）")
    assert (lo.value, lo.comparator, hi.value, hi.comparator) == (5, ">=", 10, "<=")
    assert lo.unit == hi.unit == "家"


def test_column_15_talent(plan):
    assert target(plan, "c15_01", "创新团队").value == 12
    assert target(plan, "c15_01", "产业领军人才").value == 50
    assert target(plan, "c15_03", "高校学生科技创业实习基地").value == 25
    q = target(plan, "c15_06", "企业高技能人才")  # 培养企业高技能人才1万名
    assert (q.value, q.unit) == (10000, "名")
    assert target(plan, "c15_06", "企业研究生导师").value == 100


def test_column_16_and_17(plan):
    q = target(plan, "c16_01", "民营科技融资专业机构或众筹平台（试点）")  # 5家左右
    assert (q.value, q.approx) == (5, True)
    assert target(plan, "c16_05", "科技企业孵化器和大学专业科技园").value == 50
    # "10个以上海张江…为重点" is 10个 + 以…为重点, not 10个以上
    assert target(plan, "c16_04", "区域对接科技转化园区（技术转移平台）").comparator == "="
    q = target(plan, "c17_02", "专利权质押融资贷款规模")
    assert (q.value, q.unit) == (10, "亿元")
    q = target(plan, "c17_05", "知识产权服务机构")  # 设立5家以上
    assert (q.value, q.comparator) == (5, ">=")
    assert target(plan, "c17_06", "计算机软件著作权登记量").value == 100
    assert target(plan, "c17_07", "三方（美欧日）发明专利").value == 20


def test_column_11_and_12_comparators(plan):
    q = target(plan, "c11_05", "产业技术创新战略联盟")  # 发展68个左右
    assert (q.value, q.approx, q.comparator) == (68, True, "=")
    q = target(plan, "c11_06", "重大科技成果转化项目")  # 完成800项以上
    assert (q.value, q.comparator) == (800, ">=")
    q = target(plan, "c12_02", "创新平台（累计）")  # 累计建立300个以上
    assert (q.value, q.comparator) == (300, ">=")
    assert target(plan, "c12_05", "重大科技成果转化项目").value == 1000
    assert target(plan, "c19_04", "省级众创空间").value == 25


# ---------------------------------------------------------------------------------------------
# the industry paragraphs add up to the 专栏 totals


def _sum(plan: Plan, programme: str, field: str) -> float:
    return sum(getattr(ip, field) for ip in plan.industry_plans if ip.programme == programme)


def test_traditional_industries_add_up_to_column_11(plan):
    prog = measure(plan, "c11_04").programme
    assert len([ip for ip in plan.industry_plans if ip.programme == prog]) == 5
    assert _sum(plan, prog, "platforms") == target(plan, "c11_04", "创新平台").value == 200
    assert _sum(plan, prog, "alliances") == target(plan, "c11_05", "产业技术创新战略联盟").value == 68
    assert _sum(plan, prog, "national_new_products") == target(plan, "c11_05", "国家级重点新产品").value == 40
    # 专栏11-06 says 800项以上; the five paragraphs give 880
    assert (
        _sum(plan, prog, "transformation_projects")
        == 880
        >= target(plan, "c11_06", "重大科技成果转化项目").value
    )


def test_emerging_industries_add_up_to_column_12(plan):
    prog = measure(plan, "c12_04").programme
    assert len([ip for ip in plan.industry_plans if ip.programme == prog]) == 7
    assert _sum(plan, prog, "platforms") == target(plan, "c12_02", "创新平台（累计）").value == 300
    assert _sum(plan, prog, "alliances") == target(plan, "c12_04", "产业技术创新战略联盟").value == 92
    assert _sum(plan, prog, "national_new_products") == target(plan, "c12_04", "国家级重点新产品").value == 60
    # 专栏12-05 says 1000项以上; the seven paragraphs give 1120
    assert (
        _sum(plan, prog, "transformation_projects")
        == 1120
        >= target(plan, "c12_05", "重大科技成果转化项目").value
    )


def test_both_plans_together_match_column_14_and_the_goals(plan):
    alliances = sum(ip.alliances for ip in plan.industry_plans)
    products = sum(ip.national_new_products for ip in plan.industry_plans)
    projects = sum(ip.transformation_projects for ip in plan.industry_plans)
    assert alliances == target(plan, "c14_03", "产业技术创新战略联盟").value == 160
    assert products == target(plan, "c14_07", "国家级新产品（增加）").value == 100
    assert projects == 2000  # 二（四）: 转化2000个重大科技成果项目


def test_the_industry_check_finds_nothing_in_the_transcription(plan):
    assert [f for f in check_plan(plan) if f.check == "industry"] == []


# ---------------------------------------------------------------------------------------------
# responsible units


def test_responsible_units(plan):
    units = {u.code: u for u in plan.responsible_units}
    kinds = Counter(u.kind for u in units.values())
    assert kinds["working_group"] == 4 and kinds["zone_committee"] == 4 and kinds["city_office"] == 2
    lead = {u.name: u.lead_department for u in units.values() if u.kind == "working_group"}
    assert lead == {
        "政策财经组": "省财政厅",
        "产业组": "省发展改革委",
        "科技组": "省科技厅",
        "人才组": "省人社厅",
    }
    assert all(u.parent == "innovation_office" for u in units.values() if u.kind == "working_group")
    assert units["innovation_office"].parent == "leading_group"
    assert {u.org_unit for u in units.values() if u.kind == "zone_committee"} == {
        "lzxq",
        "lzgx",
        "lzjj",
        "bygx",
    }
    assert units["most"].kind == "ministry" and units["zhangjiang_committee"].kind == "partner"
    assert "推动建设中国-中西亚技术转移中心" in units["most"].duties
    assert units["expert_committee"].duties.endswith("城市建设5个专业专家团。")


def test_indicator_links_exist_in_the_shipped_indicators():
    assert _referenced_indicators() <= {i["code"] for i in _shipped_indicators()}


# ---------------------------------------------------------------------------------------------
# the schema ties a measure's code to where it is written


@pytest.mark.parametrize(
    ("record", "message"),
    [
        ({"code": "c14_02", "column": 14, "item": "01"}, "must be 'c14_01'"),
        ({"code": "c14_1", "column": 14, "item": "1"}, "two-digit number"),
        ({"code": "c18_01", "column": 18, "part": "intro"}, "must be 'c18_00'"),
        ({"code": "c18_00", "column": 18, "item": "00", "part": "intro"}, "needs a column and no item"),
        ({"code": "c18_00", "part": "intro"}, "needs a column and no item"),
    ],
)
def test_a_code_that_does_not_name_its_column_item_is_refused(record, message):
    with pytest.raises(ValidationError, match=message):
        Measure.model_validate({**record, "text": "培育200家创新型企业。", "source": "专栏14"})


def test_a_measure_outside_the_columns_keeps_a_free_code():
    m = Measure.model_validate({"code": "jobs_2020", "text": "新增就业8万人左右", "source": "二（四）"})
    assert (m.part, m.column, m.item) == ("item", None, None)
