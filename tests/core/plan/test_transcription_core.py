"""The core of the plan as shipped in plans/lanbai-2015-2020, checked figure by figure against the seed.

Every expected value below is read off the plan text (shared/seed/000_5bcace37f4a5eee3.txt): 专栏1,
附件1 (with its 年均增长 column), 附件2, 附件3, 二（四） 主要目标, 三 空间布局 (areas, zone enterprise
targets, parks of 专栏5–8) and 六 (the three phases).  The plan is loaded once for the module.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lanbai.core.plan import load_plan
from lanbai.core.plan.schema.base import SOURCE_PATTERN

PLAN_DIR = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020"


@pytest.fixture(scope="module")
def plan():
    return load_plan(PLAN_DIR)


def _target(plan, indicator, unit, source, year=2020):
    found = [
        t
        for t in plan.targets
        if (t.indicator, t.org_unit, t.source, t.target.year) == (indicator, unit, source, year)
    ]
    assert len(found) == 1, f"{len(found)} targets for {indicator} {unit} {source} {year}"
    return found[0]


# ---- 专栏1 and 附件1: baseline 2014 and target 2020 ---------------------------------------------
BASELINE_TARGET = [
    # indicator, unit, source, baseline 2014, target 2020, stated growth (附件1)
    ("grp", "lanbai", "专栏1", 552.4, 1377, None),
    ("rd_intensity", "lanbai", "专栏1", 2.3, 2.9, None),
    ("fiscal_st_share", "lanbai", "专栏1", 0.9, 2.1, None),
    ("hightech_va_share", "lanbai", "专栏1", 18.7, 38.8, None),
    ("emerging_va_share_gdp", "lanbai", "专栏1", 14.9, 28.5, None),
    ("hightech_labour_productivity", "lanbai", "专栏1", 26.6, 48.5, None),
    ("rd_personnel_per_10k", "lanbai", "专栏1", 63, 131, None),
    ("invention_patents_per_10k", "lanbai", "专栏1", 6.6, 17.5, None),
    ("tech_contract_turnover", "lanbai", "专栏1", 24, 60, None),
    ("energy_per_10k_gdp", "lanbai", "专栏1", 2.17, 1.7, None),
    ("grp", "lzxq", "附件1", 96.4, 500, 31.6),
    ("rd_intensity", "lzxq", "附件1", 1.7, 2.5, 4.9),
    ("fiscal_st_share", "lzxq", "附件1", 0.3, 3, 46.8),  # the seed writes "46. 8"
    ("hightech_va_share", "lzxq", "附件1", 9.6, 57, 34.6),
    ("emerging_va_share_gdp", "lzxq", "附件1", 6.7, 37, 33),
    ("hightech_labour_productivity", "lzxq", "附件1", 4.5, 44, 46.2),
    ("rd_personnel_per_10k", "lzxq", "附件1", 30, 80, 17.8),
    ("invention_patents_per_10k", "lzxq", "附件1", 2.3, 5, 13.8),
    ("tech_contract_turnover", "lzxq", "附件1", 5, 20, 26),
    ("energy_per_10k_gdp", "lzxq", "附件1", 1.71, 1.39, -3.4),
]


@pytest.mark.parametrize(("indicator", "unit", "source", "base", "goal", "growth"), BASELINE_TARGET)
def test_baseline_and_target(plan, indicator, unit, source, base, goal, growth):
    t = _target(plan, indicator, unit, source)
    assert t.baseline is not None
    assert (t.baseline.year, t.baseline.value) == (2014, base)
    assert t.target.value == goal
    assert t.target.comparator == "="
    assert t.stated_annual_growth_pct == growth


def test_annex1_labels_keep_the_annex_spelling(plan):
    assert _target(plan, "hightech_va_share", "lzxq", "附件1").label == "高新技术产业增加值占工业增加值比重"
    assert _target(plan, "hightech_labour_productivity", "lzxq", "附件1").label == "高新技术产业劳动生产率"
    assert "高新技术产业增加值占工业增加值比重" in plan.indicator("hightech_va_share").aliases
    assert "高新技术产业劳动生产率" in plan.indicator("hightech_labour_productivity").aliases


COLUMN1_NAMES = [
    ("grp", "地区生产总值", "亿元"),
    ("rd_intensity", "全社会研发投入占GDP的比重", "%"),
    ("fiscal_st_share", "财政科技投入占财政支出比重", "%"),
    ("hightech_va_share", "高技术产业增加值占工业增加值比重", "%"),
    ("emerging_va_share_gdp", "战略性新兴产业增加值占GDP比重", "%"),
    ("hightech_labour_productivity", "高技术产业劳动生产率", "万元/人"),
    # 专栏1 writes 人 / 件 / 吨标准煤 (formulas.yaml notes it); the plan keeps one unit per indicator, the
    # formula's, so every page says the same (issue 14 item 7)
    ("rd_personnel_per_10k", "万人R&D人员", "人/万人"),
    ("invention_patents_per_10k", "万人发明专利拥有量", "件/万人"),
    ("tech_contract_turnover", "技术合同成交额", "亿元"),
    ("energy_per_10k_gdp", "万元GDP能耗", "吨标准煤/万元"),
]


@pytest.mark.parametrize(("code", "name", "unit"), COLUMN1_NAMES)
def test_column1_indicator_names(plan, code, name, unit):
    ind = plan.indicator(code)
    assert (ind.name, ind.unit, ind.source) == (name, unit, "专栏1")
    assert ind.direction == ("decrease" if code == "energy_per_10k_gdp" else "increase")


def test_one_unit_per_indicator_formulas_and_index_agree(plan):
    """The shipped plan gives each indicator one unit: its formula and the index framework say the same."""
    import yaml

    units = {i.code: i.unit for i in plan.indicators}
    assert {f.indicator: f.unit for f in plan.formulas if f.unit != units[f.indicator]} == {}
    framework = yaml.safe_load((PLAN_DIR / "index" / "framework.yaml").read_text(encoding="utf-8"))
    nodes = [n for v in framework.values() if isinstance(v, list) for n in v if isinstance(n, dict)]
    assert {n["code"]: n["unit"] for n in nodes if n.get("unit") and n["code"] in units and n["unit"] != units[n["code"]]} == {}


# ---- 二（四） 主要目标 --------------------------------------------------------------------------
GOALS = [
    # indicator, value, comparator (none of these is 左右)
    ("grp_increase", 800, ">"),
    ("hightech_va_share", 39, "="),
    ("st_progress_contribution", 60, ">="),
    ("urbanisation_rate", 80, ">="),
    ("rd_intensity", 2.9, "="),
    ("fiscal_st_share", 2.1, "="),
    ("rd_platforms", 500, "="),
    ("industry_alliances", 160, "="),
    ("enterprise_innovation_teams", 400, "="),
    ("rd_institution_enterprise_share", 25, "="),
    ("rd_personnel_per_10k", 131, "="),
    ("st_achievements_transferred", 2000, "="),
    ("invention_patents_per_10k", 17.5, "="),
    ("national_new_products", 100, "="),
    ("tech_contract_turnover", 60, "="),
    ("energy_per_10k_gdp", 1.7, "<"),
    ("enterprises", 6200, "="),
    ("industrial_enterprises", 2400, "="),
    ("above_scale_industrial_enterprises", 780, "="),
    ("innovative_enterprises", 200, "="),
    ("hightech_enterprises", 250, "="),
    ("ip_advantage_enterprises", 100, "="),
    ("emerging_va_share_gdp", 28, ">="),
    ("hightech_labour_productivity", 48.5, "="),
    ("innovation_clusters", 240, "="),
    ("clusters_thousand", 1, "="),
    ("clusters_hundred", 7, "="),
    ("technician_share", 25, "="),
    ("enterprise_graduate_supervisors", 100, "="),
    ("civil_military_parks", 4, "="),
    ("incubators", 50, "="),
    ("special_parks", 25, "="),
    ("safety_standard_rate", 100, "="),
    ("clean_production_audit_rate", 100, "="),
    ("tech_transfer_centres", 10, "="),
    ("provincial_collab_centres", 30, "="),
]


@pytest.mark.parametrize(("indicator", "value", "comparator"), GOALS)
def test_headline_goals(plan, indicator, value, comparator):
    t = _target(plan, indicator, "lanbai", "二（四）")
    assert (t.target.value, t.target.comparator, t.target.approx) == (value, comparator, False)


def test_goals_of_the_two_cities_say_so(plan):
    for code in ("st_progress_contribution", "urbanisation_rate"):
        assert "兰白两市" in (_target(plan, code, "lanbai", "二（四）").note or "")


def _period_total(plan, indicator, unit, source, category="total"):
    found = [
        p
        for p in plan.period_totals
        if (p.indicator, p.org_unit, p.source, p.category) == (indicator, unit, source, category)
    ]
    assert len(found) == 1
    return found[0]


PERIOD_TOTALS = [
    # indicator, unit, source, category, value (all 2015-2020, 左右)
    ("output_value", "lzxq", "附件2", "total", 4000),
    ("industrial_va", "lzxq", "附件2", "total", 700),
    ("output_value", "lzgx", "附件2", "total", 5000),
    ("industrial_va", "lzgx", "附件2", "total", 1000),
    ("output_value", "lzjj", "附件2", "total", 2000),
    ("industrial_va", "lzjj", "附件2", "total", 300),
    ("output_value", "bygx", "附件2", "total", 3000),
    ("industrial_va", "bygx", "附件2", "total", 700),
    ("output_value", "four_zones", "附件2", "total", 15000),
    ("industrial_va", "four_zones", "附件2", "total", 3000),
    ("industry_tax", "lzxq", "附件3", "total", 300),
    ("new_jobs", "lzxq", "附件3", "total", 50000),
    ("industry_tax", "lzgx", "附件3", "total", 300),
    ("new_jobs", "lzgx", "附件3", "total", 20000),
    ("industry_tax", "lzjj", "附件3", "total", 50),
    ("new_jobs", "lzjj", "附件3", "total", 7000),
    ("industry_tax", "bygx", "附件3", "total", 100),
    ("new_jobs", "bygx", "附件3", "total", 8000),
    ("industry_tax", "four_zones", "附件3", "total", 800),
    ("new_jobs", "four_zones", "附件3", "total", 80000),
    ("output_value", "lanbai", "二（四）", "total", 15000),  # 1.5万亿元左右
    ("industrial_va", "lanbai", "二（四）", "total", 3000),
    ("industry_tax", "lanbai", "二（四）", "total", 800),
    ("new_jobs", "lanbai", "二（四）", "total", 80000),  # 8万人左右
    ("output_value", "lanbai", "四（一）1", "traditional", 8600),
    ("output_value", "lanbai", "四（一）2", "emerging", 6200),
]


@pytest.mark.parametrize(("indicator", "unit", "source", "category", "value"), PERIOD_TOTALS)
def test_period_totals(plan, indicator, unit, source, category, value):
    p = _period_total(plan, indicator, unit, source, category)
    assert (p.from_year, p.to_year, p.value, p.comparator, p.approx) == (2015, 2020, value, "=", True)


# ---- 附件2 / 附件3 annual tables --------------------------------------------------------------
def _row(plan, indicator, unit, category):
    found = [
        s for s in plan.annual_series if (s.indicator, s.org_unit, s.category) == (indicator, unit, category)
    ]
    assert len(found) == 1
    return found[0]


ANNUAL_ROWS = [
    # indicator, unit, category, source, values 2015..2020 (None = empty cell)
    ("output_value", "lzxq", "traditional", "附件2", [20, 30, 40, 60, 110, 170]),
    ("industrial_va", "lzxq", "traditional", "附件2", [None, None, None, 10, 10, 20]),
    ("output_value", "lzxq", "emerging", "附件2", [220, 280, 380, 590, 930, 1400]),
    ("industrial_va", "lzxq", "total", "附件2", [40, 50, 70, 120, 200, 290]),
    ("output_value", "lzgx", "traditional", "附件2", [400, 450, 500, 560, 650, 800]),
    ("industrial_va", "lzgx", "emerging", "附件2", [50, 60, 60, 70, 90, 110]),
    ("output_value", "lzjj", "total", "附件2", [280, 310, 330, 360, 400, 440]),
    ("industrial_va", "lzjj", "traditional", "附件2", [40, 50, 50, 60, 60, 70]),
    ("output_value", "bygx", "emerging", "附件2", [60, 70, 70, 90, 110, 140]),
    ("industrial_va", "bygx", "total", "附件2", [100, 110, 110, 130, 140, 170]),
    ("output_value", "four_zones", "total", "附件2", [1560, 1770, 2020, 2440, 3070, 3960]),
    ("industrial_va", "four_zones", "emerging", "附件2", [120, 140, 160, 220, 320, 430]),
    ("industry_tax", "lzxq", "traditional", "附件3", [0, 1, 2, 4, 9, 11]),
    ("new_jobs", "lzxq", "total", "附件3", [2300, 3700, 5500, 8700, 12800, 17000]),
    ("industry_tax", "lzgx", "emerging", "附件3", [15, 17, 18, 20, 22, 24]),
    ("new_jobs", "lzgx", "traditional", "附件3", [800, 900, 1170, 1300, 1450, 1550]),
    ("industry_tax", "lzjj", "emerging", "附件3", [0, 1, 1, 1, 1, 1]),
    ("new_jobs", "lzjj", "total", "附件3", [1000, 1050, 1100, 1150, 1200, 1200]),
    ("industry_tax", "bygx", "total", "附件3", [14, 16, 17, 19, 22, 25]),
    ("new_jobs", "bygx", "emerging", "附件3", [255, 315, 450, 750, 1100, 1650]),
    ("industry_tax", "four_zones", "traditional", "附件3", [47, 53, 60, 67, 79, 87]),
    ("new_jobs", "four_zones", "total", "附件3", [5740, 7670, 10340, 14670, 19800, 25200]),
]


@pytest.mark.parametrize(("indicator", "unit", "category", "source", "values"), ANNUAL_ROWS)
def test_annual_rows(plan, indicator, unit, category, source, values):
    row = _row(plan, indicator, unit, category)
    assert row.source == source
    expected = {y: v for y, v in zip(range(2015, 2021), values, strict=True) if v is not None}
    assert row.values == expected


def test_annual_tables_are_complete(plan):
    units = ["lzxq", "lzgx", "lzjj", "bygx", "four_zones"]
    for indicator in ("output_value", "industrial_va", "industry_tax", "new_jobs"):
        for unit in units:
            for category in ("traditional", "emerging", "total"):
                _row(plan, indicator, unit, category)


# ---- 三 空间布局 --------------------------------------------------------------------------------
def test_areas(plan):
    lanbai = plan.unit("lanbai")
    assert (lanbai.kind, lanbai.area.value, lanbai.area.unit, lanbai.area.source) == (
        "pilot_zone",
        2448.65,
        "平方公里",
        "三",
    )
    core = plan.unit("core_area")
    assert (core.kind, core.parent, core.area.value, core.area.source) == (
        "core_area",
        "lzxq",
        5.7,
        "三（一）",
    )
    assert core.size == "东西长4.4公里，南北宽1.3公里"


ZONES = [
    # code, name, parent, full name, enterprises, industrial, above scale, high tech, source
    ("lzxq", "兰州新区", "lanzhou", None, 1000, 500, 200, 50, "三（二）"),
    ("lzgx", "兰州高新区", "lanzhou", "兰州高新技术产业开发区", 3000, 1000, 300, 100, "三（三）"),
    ("lzjj", "兰州经济区", "lanzhou", "兰州经济技术开发区", 1200, 400, 120, 50, "三（四）"),
    ("bygx", "白银高新区", "baiyin", "白银高新技术产业开发区", 1000, 500, 160, 50, "三（五）"),
]


@pytest.mark.parametrize(("code", "name", "parent", "full", "ent", "ind", "above", "hi", "source"), ZONES)
def test_zones_and_enterprise_targets(plan, code, name, parent, full, ent, ind, above, hi, source):
    z = plan.unit(code)
    assert (z.name, z.kind, z.parent) == (name, "zone", parent)
    if full:
        assert full in (z.note or "")
    et = z.enterprise_targets
    assert (et.year, et.enterprises, et.industrial, et.above_scale_industrial, et.high_tech) == (
        2020,
        ent,
        ind,
        above,
        hi,
    )
    assert et.source == source
    for indicator, value in [
        ("enterprises", ent),
        ("industrial_enterprises", ind),
        ("above_scale_industrial_enterprises", above),
        ("hightech_enterprises", hi),
    ]:
        assert _target(plan, indicator, code, source).target.value == value


def test_cities_and_aggregate(plan):
    assert (plan.unit("lanzhou").name, plan.unit("lanzhou").admin_code) == ("兰州市", "620100")
    assert (plan.unit("baiyin").name, plan.unit("baiyin").admin_code) == ("白银市", "620400")
    agg = plan.unit("four_zones")
    assert (agg.name, agg.kind, agg.members) == ("4区合计", "aggregate", ["lzxq", "lzgx", "lzjj", "bygx"])
    assert sorted(z.code for z in plan.zones()) == ["bygx", "lzgx", "lzjj", "lzxq"]


PARKS = {
    "lzxq": {"石化产业园区", "装备制造产业园区", "兰州新区综合产业园区", "兰州新区机场北高新技术产业园区",
             "兰州新区行政文化中心园区", "综合保税区"},
    "lzgx": {"雁滩园区", "榆中园区", "七里河园区", "九州园区", "和平园区"},
    "lzjj": {"安宁园区", "机场北高新园区", "西固园区", "红古园区", "皋兰园区", "皋兰三川口工业集中区",
             "兰州树屏工业集中区"},
    "bygx": {"高新区", "银东工业园区", "银西工业园区", "刘川工业园区", "平川工业园区", "正路工业园区",
             "会宁工业园区", "生物医药专业园", "碳纤维材料专业园", "精细化工专业园", "新能源产业装备制造专业园",
             "稀土新材料专业园"},
}  # fmt: skip


@pytest.mark.parametrize("zone", sorted(PARKS))
def test_parks_per_zone(plan, zone):
    parks = [u for u in plan.org_units if u.kind == "park" and u.parent == zone]
    assert {p.name for p in parks} == PARKS[zone]
    assert all(p.code.startswith(zone + "_") for p in parks)


@pytest.mark.parametrize(
    ("code", "industries"),
    [
        ("lzgx_yantan", ["总部经济", "科技研发", "科技孵化", "文化创意", "现代服务业"]),
        ("lzjj_honggu", ["有色冶金", "城市矿产", "节能环保"]),
        ("bygx_liuchuan", ["稀土新材料", "有色金属深加工", "装备制造"]),
        ("lzxq_petrochem", ["石油炼制", "石油化工", "石化新材料", "油品储备"]),
        ("lzgx", ["电子信息", "生物医药", "新材料", "高端节能环保装备", "现代商贸物流", "科技服务业"]),
    ],
)
def test_leading_industries(plan, code, industries):
    assert plan.unit(code).leading_industries == industries


# ---- 六 阶段进展 ---------------------------------------------------------------------------------
PHASES = [
    ("phase1_foundation", "基础培育阶段", dt.date(2015, 1, 1), dt.date(2015, 12, 31), "六（一）",
     {"grp_increase": 100, "output_value": 1500, "industry_tax": 100, "new_jobs": 10000,
      "platforms_and_alliances": 50, "innovative_enterprises": 20}),
    ("phase2_aggregation", "资源聚集阶段", dt.date(2016, 1, 1), dt.date(2017, 12, 31), "六（二）",
     {"grp_increase": 200, "output_value": 5000, "industry_tax": 300, "new_jobs": 30000,
      "platforms_and_alliances": 200, "innovative_enterprises": 80}),
    ("phase3_breakthrough", "突破发展阶段", dt.date(2018, 1, 1), dt.date(2020, 12, 31), "六（三）",
     {"grp_increase": 500, "output_value": 8500, "industry_tax": 400, "new_jobs": 40000,
      "platforms_and_alliances": 250, "innovative_enterprises": 100}),
]  # fmt: skip


@pytest.mark.parametrize(("code", "name", "start", "end", "source", "figures"), PHASES)
def test_phases(plan, code, name, start, end, source, figures):
    (phase,) = [p for p in plan.phases if p.code == code]
    assert (phase.name, phase.start, phase.end, phase.source) == (name, start, end, source)
    assert {t.indicator: t.figure.value for t in phase.targets} == figures
    assert all(t.figure.source == source and t.org_unit == "lanbai" for t in phase.targets)


# ---- every figure has a source -----------------------------------------------------------------
def test_every_core_figure_has_a_section_source(plan):
    sources = [u.source for u in plan.org_units]
    sources += [u.area.source for u in plan.org_units if u.area]
    sources += [u.enterprise_targets.source for u in plan.org_units if u.enterprise_targets]
    sources += [i.source for i in plan.indicators]
    sources += [t.source for t in plan.targets]
    sources += [s.source for s in plan.annual_series]
    sources += [p.source for p in plan.period_totals]
    sources += [p.source for p in plan.phases] + [t.figure.source for p in plan.phases for t in p.targets]
    assert len(sources) > 200
    assert all(SOURCE_PATTERN.match(s) for s in sources)


def test_valid_from_plan_start(plan):
    assert all(u.valid_from == dt.date(2015, 1, 1) and u.valid_to is None for u in plan.org_units)
