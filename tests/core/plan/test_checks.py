"""Consistency checks on small hand-made plans: a finding where figures disagree, none where they agree."""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lanbai.core.plan import load_plan
from lanbai.core.plan.checks import CHECKS, Finding, check_plan, convert, fmt_number
from lanbai.core.plan.schema import AnnualSeries


def series(indicator, unit, category, values, source="附件2"):
    return {
        "indicator": indicator,
        "org_unit": unit,
        "category": category,
        "values": values,
        "source": source,
    }


def years(*vals, start=2015):
    return {start + i: v for i, v in enumerate(vals)}


def load(write_plan, files, **sections):
    files.setdefault("extra.yaml", {})
    for name, recs in sections.items():
        files["extra.yaml"][name] = recs
    return load_plan(write_plan(files))


def run(plan, name, **kw) -> list[Finding]:
    return check_plan(plan, checks=[name], **kw)


# (a) growth ------------------------------------------------------------------------------------


def growth_target(stated, baseline=1.7, target=2.5):
    return {
        "indicator": "rd_share",
        "org_unit": "xinqu",
        "baseline": {"year": 2014, "value": baseline},
        "target": {"year": 2020, "value": target},
        "stated_annual_growth_pct": stated,
        "source": "附件1",
    }


def test_stated_growth_that_does_not_match_the_span_is_a_finding(base_plan, write_plan):
    plan = load(write_plan, base_plan, targets=[growth_target(4.9)])
    (f,) = run(plan, "growth")
    assert f.check == "growth"
    assert f.stated == 4.9
    assert f.computed == pytest.approx(6.639, abs=0.001)
    assert f.difference == pytest.approx(1.739, abs=0.001)
    assert f.difference_pct == pytest.approx(35.5, abs=0.1)
    assert f.unit == "%"
    assert (
        "附件1" in f.where
        and "2014年基数1.7" in f.where
        and "2020年目标2.5" in f.where
        and "（6年）" in f.where
    )
    assert "约8.1年" in f.note  # 1.7 -> 2.5 at 4.9 % a year takes about 8 years, not 6


def test_stated_growth_matching_the_cagr_gives_no_finding(base_plan, write_plan):
    t2 = growth_target(-3.4, 1.71, 1.39) | {"org_unit": "gaoxin"}
    plan = load(write_plan, base_plan, targets=[growth_target(31.6, 96.4, 500), t2])
    assert run(plan, "growth") == []


def test_growth_tolerance_is_an_option(base_plan, write_plan):
    plan = load(write_plan, base_plan, targets=[growth_target(6.5)])  # computed 6.64
    assert len(run(plan, "growth")) == 1
    assert run(plan, "growth", growth_tolerance_pp=0.2) == []


def test_growth_from_a_zero_baseline_is_reported_as_not_computable(base_plan, write_plan):
    plan = load(write_plan, base_plan, targets=[growth_target(10, baseline=0)])
    (f,) = run(plan, "growth")
    assert f.severity == "info" and f.computed is None and f.difference is None


# (b) category sums and zone sums ----------------------------------------------------------------


def test_category_sum_off_by_ten_is_a_finding(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[
            series("output", "xinqu", "traditional", years(20, 30)),
            series("output", "xinqu", "emerging", years(220, 280)),
            series("output", "xinqu", "total", years(240, 320)),
        ],
    )
    (f,) = run(plan, "category_sum")
    assert (f.stated, f.computed, f.difference, f.unit) == (320, 310, -10, "亿元")
    assert f.where == "附件2 兰州新区 合计 2016年 vs 附件2 兰州新区 传统产业+战略性新兴产业 2016年"


def test_an_empty_cell_counts_zero_in_a_category_sum(base_plan, write_plan):
    # 附件2 兰州新区 工业增加值: 传统产业 empty in 2015–2017, the total equals 战略性新兴产业
    plan = load(
        write_plan,
        base_plan,
        annual_series=[
            series("output", "xinqu", "traditional", {2018: 10}),
            series("output", "xinqu", "emerging", years(40, 50, 70, 110)),
            series("output", "xinqu", "total", years(40, 50, 70, 120)),
        ],
    )
    assert run(plan, "category_sum") == []


def zone_rows(xinqu_total, gaoxin_total, agg_total):
    return [
        series("output", "xinqu", "total", years(*xinqu_total)),
        series("output", "gaoxin", "total", years(*gaoxin_total)),
        series("output", "four_zones", "total", years(*agg_total)),
    ]


def test_zone_sum_against_the_aggregate_row(base_plan, write_plan):
    plan = load(write_plan, base_plan, annual_series=zone_rows((240, 310), (600, 670), (840, 990)))
    (f,) = run(plan, "zone_sum")
    assert (f.stated, f.computed) == (990, 980)
    assert f.where == "附件2 4区合计 合计 2016年 vs 附件2 各区合计 2016年之和"
    plan = load(
        write_plan, base_plan_copy(base_plan), annual_series=zone_rows((240, 310), (600, 670), (840, 980))
    )
    assert run(plan, "zone_sum") == []


def base_plan_copy(base_plan):
    import copy

    files = copy.deepcopy(base_plan)
    files.pop("extra.yaml", None)
    return files


def test_zone_sum_with_a_member_row_missing_is_an_info_finding(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[
            series("output", "xinqu", "total", years(1)),
            series("output", "four_zones", "total", years(1)),
        ],
    )
    (f,) = run(plan, "zone_sum")
    assert f.severity == "info" and "兰州高新区" in f.note


def test_zone_period_totals_summed_against_the_aggregate_total(base_plan, write_plan):
    def pt(unit, value):
        return {
            "indicator": "output", "org_unit": unit, "from_year": 2015, "to_year": 2020,
            "value": value, "approx": True, "source": "附件2",
        }  # fmt: skip

    plan = load(
        write_plan, base_plan, period_totals=[pt("xinqu", 4000), pt("gaoxin", 5000), pt("four_zones", 10000)]
    )
    (f,) = run(plan, "zone_sum")
    assert (f.stated, f.computed, f.approx) == (10000, 9000, True)
    assert f.stated_text == "10000左右"


# (c) period totals ----------------------------------------------------------------------------


def period_total(value, approx=True, unit="xinqu", comparator="=", source="附件2"):
    return {
        "indicator": "output", "org_unit": unit, "from_year": 2015, "to_year": 2020,
        "value": value, "approx": approx, "comparator": comparator, "source": source,
    }  # fmt: skip


XINQU = years(240, 310, 420, 650, 1040, 1570)  # sums to 4230


def test_approx_total_beyond_tolerance_is_a_finding(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[series("output", "xinqu", "total", XINQU)],
        period_totals=[period_total(4000)],
    )
    (f,) = run(plan, "period_total")
    assert (f.stated, f.computed, f.difference) == (4000, 4230, 230)
    assert f.difference_pct == pytest.approx(5.75)
    assert f.where == "附件2 兰州新区 2015-2020年合计 vs 附件2 兰州新区 合计 2015-2020年逐年之和"
    # within a wider tolerance it agrees
    assert run(plan, "period_total", approx_tolerance_pct=6) == []


def test_approx_total_within_tolerance_gives_no_finding(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[series("output", "xinqu", "total", XINQU)],
        period_totals=[period_total(4100)],
    )
    assert run(plan, "period_total") == []


def test_exact_total_reports_any_difference(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[series("output", "xinqu", "total", XINQU)],
        period_totals=[period_total(4229, approx=False)],
    )
    (f,) = run(plan, "period_total")
    assert f.difference == 1


def test_at_least_total_is_satisfied_by_a_larger_sum(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[series("output", "xinqu", "total", XINQU)],
        period_totals=[period_total(4000, approx=False, comparator=">=")],
    )
    assert run(plan, "period_total") == []


def test_a_pilot_zone_total_is_compared_with_the_aggregate_rows(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[series("output", "four_zones", "total", years(1560, 1770, 2020, 2440, 3070, 3960))],
        period_totals=[period_total(15000, unit="lanbai", source="二（四）")],
    )
    assert run(plan, "period_total") == []  # 14820 is within 5 % of 15000
    (f,) = run(plan, "period_total", approx_tolerance_pct=1)
    assert f.where.startswith("二（四） 兰白试验区 2015-2020年合计 vs 附件2 4区合计 合计")
    assert "以4区合计代兰白试验区" in f.where


# (d) phases -------------------------------------------------------------------------------------


def phases(values, unit="万人", indicator="jobs"):
    spans = [("2015-01-01", "2015-12-31"), ("2016-01-01", "2017-12-31"), ("2018-01-01", "2020-12-31")]
    out = []
    for i, ((start, end), v) in enumerate(zip(spans, values, strict=True)):
        out.append({
            "code": f"p{i + 1}", "name": f"第{i + 1}阶段", "start": start, "end": end, "source": "六",
            "targets": [{"indicator": indicator, "org_unit": "lanbai", "name": "新增就业",
                         "figure": {"value": v, "unit": unit, "source": "六"}}],
        })  # fmt: skip
    return out


JOBS = years(5740, 7670, 10340, 14670, 19800, 25200)  # 附件3 4区合计 新增就业 (sums to 83420)


def test_phase_targets_against_the_annual_table_with_unit_conversion(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[series("jobs", "four_zones", "total", JOBS, source="附件3")],
        phases=phases([1, 3, 4]),
    )
    found = run(plan, "phase")
    assert [(f.stated, f.computed) for f in found] == [(10000, 5740), (30000, 18010), (40000, 59670)]
    assert found[1].where == "六 第2阶段 新增就业 vs 附件3 4区合计 合计 2016-2017年逐年之和"
    assert found[1].unit == "人"


def test_phase_targets_that_agree_with_the_table(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        annual_series=[series("jobs", "four_zones", "total", JOBS, source="附件3")],
        phases=phases([0.574, 1.801, 5.967]),
    )
    assert run(plan, "phase") == []


def test_sum_of_phases_against_the_period_total(base_plan, write_plan):
    jobs_total = {
        "indicator": "jobs", "org_unit": "lanbai", "from_year": 2015, "to_year": 2020,
        "value": 90000, "approx": True, "source": "二（四）",
    }  # fmt: skip
    plan = load(write_plan, base_plan, phases=phases([1, 3, 4]), period_totals=[jobs_total])
    (f,) = run(plan, "phase")
    assert (f.stated, f.computed) == (90000, 80000)
    assert f.where.startswith("二（四） 兰白试验区 2015-2020年合计 vs 六 各阶段新增就业之和")


def test_sum_of_phases_of_a_level_against_target_minus_baseline(base_plan, write_plan):
    # 新增地区生产总值 100+200+500 vs 专栏1 1377 - 552.4
    plan = load(write_plan, base_plan, phases=phases([100, 200, 500], unit="亿元", indicator="gdp"))
    (f,) = run(plan, "phase")
    assert f.stated == pytest.approx(824.6) and f.computed == 800
    assert f.where.startswith("专栏1 地区生产总值 2020年目标减2014年基数 vs 六")


def test_phase_figure_in_a_unit_that_cannot_be_converted(base_plan, write_plan):
    plan = load(write_plan, base_plan, phases=phases([1, 3, 4], unit="户"))
    found = run(plan, "phase")
    assert {f.severity for f in found} == {"info"} and len(found) == 3


# (e) industry -----------------------------------------------------------------------------------


def industry_sections(c11_alliances=68, c11_cmp="=", c11_approx=True, target=160):
    progs = [
        {"code": "trad", "name": "传统特色产业提质增效创新支撑计划", "kind": "plan", "group": "三大计划", "order": 1,
         "source": "四（一）1"},
        {"code": "firms", "name": "创新型企业培育工程", "kind": "project", "group": "五大工程", "order": 1,
         "source": "四（二）1"},
    ]  # fmt: skip
    ips = [
        {"code": n, "name": z, "programme": "trad", "category": "traditional", "alliances": a, "platforms": 10,
         "source": "四（一）1"}
        for n, z, a in [("chem", "化工产业", 15), ("metal", "冶金有色产业", 10), ("light", "轻工产业", 43)]
    ]  # fmt: skip
    measures = [
        {"code": "c11_05", "column": 11, "item": "05", "programme": "trad", "text": "发展68个左右产业技术创新战略联盟",
         "targets": [{"name": "产业技术创新战略联盟", "value": c11_alliances, "unit": "个", "approx": c11_approx,
                      "comparator": c11_cmp}], "source": "专栏11"},
        {"code": "c14_03", "column": 14, "item": "03", "programme": "firms", "text": "培育和引进160个产业技术创新战略联盟",
         "targets": [{"name": "产业技术创新战略联盟", "value": 160, "unit": "个", "indicator": "alliances"}],
         "source": "专栏14"},
    ]  # fmt: skip
    target = {"indicator": "alliances", "org_unit": "lanbai", "target": {"year": 2020, "value": target},
              "source": "二（四）"}  # fmt: skip
    return {"programmes": progs, "industry_plans": ips, "measures": measures, "targets": [target]}


def test_industry_sums_that_agree_give_no_finding(base_plan, write_plan):
    plan = load(write_plan, base_plan, **industry_sections(target=68))
    found = run(plan, "industry")
    # 68 = 15+10+43 agrees with 专栏11 and 二（四）; 专栏14's 160 (a different programme) does not
    assert [(f.stated, f.computed) for f in found] == [(160, 68)]
    assert found[0].where == "专栏14-03 产业技术创新战略联盟 vs 四（一）1 各产业产业技术创新战略联盟之和"


def test_industry_sum_beyond_an_approx_column_total(base_plan, write_plan):
    plan = load(write_plan, base_plan, **industry_sections(c11_alliances=60, target=68))
    found = [f for f in run(plan, "industry") if f.stated == 60]
    (f,) = found
    assert f.computed == 68 and f.approx
    assert f.where.startswith(
        "专栏11-05 产业技术创新战略联盟 vs 四（一）1 传统特色产业提质增效创新支撑计划各产业"
    )


def test_at_least_is_satisfied_by_a_larger_industry_sum(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        **industry_sections(c11_alliances=60, c11_cmp=">=", c11_approx=False, target=68),
    )
    assert [f.stated for f in run(plan, "industry")] == [160]


# (f) duplicate targets --------------------------------------------------------------------------


def share_target(value, source):
    return {
        "indicator": "rd_share",
        "org_unit": "lanbai",
        "target": {"year": 2020, "value": value},
        "source": source,
    }


def test_the_same_target_from_two_sources_with_different_values(base_plan, write_plan):
    plan = load(write_plan, base_plan, targets=[share_target(38.8, "专栏1"), share_target(39, "二（四）")])
    (f,) = run(plan, "duplicate_target")
    assert (f.stated, f.computed) == (38.8, 39)
    assert f.where == "专栏1 全社会研发投入占GDP的比重 vs 二（四） 全社会研发投入占GDP的比重"


def test_the_same_target_from_two_sources_with_equal_values(base_plan, write_plan):
    plan = load(write_plan, base_plan, targets=[share_target(2.9, "专栏1"), share_target(2.9, "二（四）")])
    assert run(plan, "duplicate_target") == []


# (g) enterprise targets ---------------------------------------------------------------------------


def test_zone_enterprise_targets_summed_against_the_pilot_zone(base_plan, write_plan):
    units = base_plan["organisation.yaml"]["org_units"]
    for u, vals in ((units[2], (4000, 1500, 500, 150)), (units[3], (2200, 900, 280, 90))):
        u["enterprise_targets"] = dict(
            zip(("enterprises", "industrial", "above_scale_industrial", "high_tech"), vals, strict=True),
            source="专栏5",
        )
    inds = [
        {"code": c, "name": n, "unit": "户", "direction": "increase", "kind": "count", "source": "二（四）"}
        for c, n in [
            ("firms", "企业总数"),
            ("ind_firms", "工业企业"),
            ("big_firms", "规模以上工业企业"),
            ("ht", "高新技术企业"),
        ]
    ]
    targets = [
        {"indicator": c, "org_unit": "lanbai", "target": {"year": 2020, "value": v}, "source": "二（四）"}
        for c, v in [("firms", 6200), ("ind_firms", 2400), ("big_firms", 780), ("ht", 250)]
    ]
    plan = load(write_plan, base_plan, indicators=inds, targets=targets)
    (f,) = run(plan, "enterprise_sum")  # only 高新技术企业 disagrees: 150 + 90 = 240
    assert (f.stated, f.computed, f.unit) == (250, 240, "户")
    assert f.where == "二（四） 高新技术企业 vs 专栏5 2区高新技术企业之和"


# (h) 附件4 clusters -------------------------------------------------------------------------------


def cluster_row(zone, industry, **counts):
    return {
        "zone": zone,
        "category": "traditional",
        "industry": industry,
        "counts": counts,
        "source": "附件4",
    }


def test_cluster_totals(base_plan, write_plan):
    rows = [
        cluster_row("xinqu", "化工", thousand=1),
        cluster_row("xinqu", "轻工", fifty_to_hundred=1, ten_to_fifty=3, one_to_ten=4),
        cluster_row("gaoxin", "化工", ten_to_fifty=1, one_to_ten=2),
    ]
    totals = [
        {"zone": "xinqu", "counts": {"thousand": 1, "fifty_to_hundred": 1, "ten_to_fifty": 3, "one_to_ten": 4},
         "total": 9, "source": "附件4"},
        {"zone": "gaoxin", "counts": {"ten_to_fifty": 1, "one_to_ten": 3}, "total": 3, "source": "附件4"},
        {"zone": "four_zones", "counts": {"thousand": 1, "fifty_to_hundred": 1, "ten_to_fifty": 4, "one_to_ten": 7},
         "total": 13, "source": "附件4"},
    ]  # fmt: skip
    ind = {"code": "clusters", "name": "亿元产值以上的产业创新集群", "unit": "个", "direction": "increase", "kind": "count",
           "source": "二（四）"}  # fmt: skip
    t = {
        "indicator": "clusters",
        "org_unit": "lanbai",
        "target": {"year": 2020, "value": 12},
        "source": "二（四）",
    }
    plan = load(
        write_plan, base_plan, cluster_rows=rows, cluster_totals=totals, indicators=[ind], targets=[t]
    )
    found = {(f.what, f.stated, f.computed) for f in run(plan, "clusters")}
    assert found == {
        ("兰州高新区 亿元级集群数 与各行之和不符", 3, 2),  # the 合计 row says 3, the rows 2
        ("兰州高新区 集群总数 与本区合计行不符", 3, 4),
        ("兰白试验区 亿元产值以上的产业创新集群 与附件4不符", 12, 13),
    }


# (i) 附件5 and (j) 附件6 ---------------------------------------------------------------------------


def test_alliance_group_count_against_the_fields_listed(base_plan, write_plan):
    groups = [
        {
            "industry": "节能环保",
            "stated_count": 10,
            "fields": [f"领域{i}" for i in range(9)],
            "source": "附件5",
        },
        {"industry": "信息技术", "stated_count": 2, "fields": ["甲", "乙"], "source": "附件5"},
    ]
    t = {
        "indicator": "alliances",
        "org_unit": "lanbai",
        "target": {"year": 2020, "value": 12},
        "source": "二（四）",
    }
    plan = load(write_plan, base_plan, alliance_groups=groups, targets=[t])
    found = [(f.what, f.stated, f.computed) for f in run(plan, "alliances")]
    assert found == [
        ("节能环保 所述联盟数与所列领域数不符", 10, 9),
        ("产业技术创新战略联盟 与附件5不符", 12, 11),  # 12 stated lines sum to 12, but only 11 fields listed
    ]


def test_rd_table_subtotals_and_total(base_plan, write_plan):
    cols = [{"code": "lab", "name": "重点实验室（科技）"}, {"code": "centre", "name": "技术中心（工信委）"}]
    rows = [
        {"field": "化工", "counts": {"lab": 3, "centre": 18}, "stated_subtotal": 21, "source": "附件6"},
        {"field": "冶金有色", "counts": {"lab": 3, "centre": 7}, "stated_subtotal": 11, "source": "附件6"},
    ]
    tot = {"column_subtotals": {"lab": 6, "centre": 25}, "stated_total": 31, "source": "附件6"}
    plan = load(write_plan, base_plan, rd_columns=cols, rd_rows=rows, rd_totals=tot)
    found = [(f.what, f.stated, f.computed) for f in run(plan, "rd_table")]
    assert found == [
        ("附件6 冶金有色 小计 与各列之和不符", 11, 10),
        ("附件6 总计 不符", 31, 32),  # the row subtotals sum to 32
    ]


# the API --------------------------------------------------------------------------------------------


def test_a_consistent_plan_has_no_finding(base_plan, write_plan):
    plan = load(
        write_plan,
        base_plan,
        targets=[growth_target(6.64)],
        annual_series=zone_rows((240, 310), (600, 670), (840, 980)),
        period_totals=[period_total(550, approx=False)],
    )
    assert check_plan(plan) == []


def test_options_are_validated(base_plan, write_plan):
    plan = load_plan(write_plan(base_plan))
    with pytest.raises(ValueError, match="approx_tolerance_pct must be a finite number >= 0"):
        check_plan(plan, approx_tolerance_pct=-1)
    with pytest.raises(ValueError, match="growth_tolerance_pp"):
        check_plan(plan, growth_tolerance_pp=math.nan)
    with pytest.raises(ValueError, match="unknown check"):
        check_plan(plan, checks=["nope"])
    with pytest.raises(TypeError, match="plan must be a Plan"):
        check_plan({"plan": 1})


def test_every_check_is_registered_once_with_a_title():
    names = [c.name for c in CHECKS]
    assert len(names) == len(set(names)) >= 10
    assert all(c.title for c in CHECKS)


def test_formatting_helpers():
    assert fmt_number(1377.0) == "1377" and fmt_number(552.4) == "552.4" and fmt_number(None) == "—"
    assert convert(1, "万人", "人") == 10000 and convert(15000, "亿元", "万亿元") == 1.5
    assert convert(1, "户", "人") is None
    f = Finding("x", "w", "a vs b", 800, 810, "亿元", ">=", False)
    assert f.stated_text == "800以上" and f.to_dict()["difference"] == 10


# property: a consistent table has no finding; one perturbed cell gives exactly one --------------------

cells = st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(trad=cells, data=st.data())
def test_category_sum_property(base_plan, write_plan, trad, data):
    plan = _property_base(base_plan, write_plan)
    emer = data.draw(st.lists(st.integers(0, 10_000), min_size=len(trad), max_size=len(trad)))
    total = [a + b for a, b in zip(trad, emer, strict=True)]
    rows = [
        AnnualSeries.model_validate(series("output", "xinqu", c, years(*v)))
        for c, v in (("traditional", trad), ("emerging", emer), ("total", total))
    ]
    assert run(plan.model_copy(update={"annual_series": rows}), "category_sum") == []
    i = data.draw(st.integers(0, len(total) - 1))
    delta = data.draw(st.integers(1, 50) | st.integers(-50, -1))
    bad = list(total)
    bad[i] += delta
    rows[2] = AnnualSeries.model_validate(series("output", "xinqu", "total", years(*bad)))
    (f,) = run(plan.model_copy(update={"annual_series": rows}), "category_sum")
    assert f.difference == -delta and f.what.startswith(f"兰州新区 优势特色产业产值 {2015 + i}年")


_BASE_CACHE: dict[str, object] = {}


def _property_base(base_plan, write_plan):
    if "plan" not in _BASE_CACHE:
        _BASE_CACHE["plan"] = load_plan(write_plan(base_plan))
    return _BASE_CACHE["plan"]


def test_a_column_quantity_named_as_a_pilot_zone_indicator_is_the_same_target(base_plan, write_plan):
    measure = {
        "code": "c14_03", "column": 14, "item": "03", "text": "培育和引进150个产业技术创新战略联盟",
        "targets": [{"name": "产业技术创新战略联盟", "value": 150, "unit": "个"}], "source": "专栏14",
    }  # fmt: skip
    t = {
        "indicator": "alliances",
        "org_unit": "lanbai",
        "target": {"year": 2020, "value": 160},
        "source": "二（四）",
    }
    plan = load(write_plan, base_plan, measures=[measure], targets=[t])
    (f,) = run(plan, "duplicate_target")
    assert (f.stated, f.computed) == (160, 150)
    assert f.where == "二（四） 产业技术创新战略联盟 vs 专栏14-03 产业技术创新战略联盟"


def test_a_column_quantity_naming_a_cluster_band(base_plan, write_plan):
    rows = [cluster_row("xinqu", "化工", thousand=1), cluster_row("gaoxin", "轻工", hundred=1)]
    measure = {
        "code": "c14_04", "column": 14, "item": "04", "text": "发展千亿元、百亿元产值产业集群",
        "targets": [{"name": "千亿元产值产业集群", "value": 1, "unit": "个"},
                    {"name": "百亿元产值产业集群", "value": 2, "unit": "个"},
                    {"name": "产业集群", "value": 20, "unit": "个"}],
        "source": "专栏14",
    }  # fmt: skip
    plan = load(write_plan, base_plan, cluster_rows=rows, measures=[measure])
    (f,) = run(plan, "clusters")
    assert (f.stated, f.computed) == (2, 1)
    assert f.where == "专栏14-04 百亿元产值产业集群 vs 附件4 各区各行 百亿级集群数"


def test_a_figure_exactly_on_a_strict_bound_is_an_info_finding(base_plan, write_plan):
    base_plan["indicators.yaml"]["indicators"].append(
        {"code": "gdp_increase", "name": "新增地区生产总值", "unit": "亿元", "direction": "increase",
         "kind": "flow_total", "source": "二（四）"}
    )  # fmt: skip
    over = {"indicator": "gdp_increase", "org_unit": "lanbai", "source": "二（四）",
            "target": {"year": 2020, "value": 800, "comparator": ">"}}  # fmt: skip
    plan = load(
        write_plan,
        base_plan,
        targets=[over],
        phases=phases([100, 200, 500], unit="亿元", indicator="gdp_increase"),
    )
    found = run(plan, "phase")
    # 超过800 vs phases 100+200+500 = 800: on the bound (info); 专栏1 1377-552.4 = 824.6 vs 800: a warning
    assert [(f.severity, f.stated, f.computed) for f in found] == [
        ("info", 800, 800),
        ("warning", 824.6, 800),
    ]
    assert "恰等于界值" in found[0].note
    assert found[1].where.startswith("专栏1 地区生产总值 2020年目标减2014年基数 vs 六 各阶段新增就业之和")
    # the 二（四） target itself is satisfied by 专栏1's increase: 824.6 > 800
    assert run(plan, "duplicate_target") == []


def test_a_bound_and_a_plain_figure_for_the_same_target(base_plan, write_plan):
    at_least = share_target(28, "二（四）")
    at_least["target"]["comparator"] = ">="
    plan = load(write_plan, base_plan, targets=[share_target(28.5, "专栏1"), at_least])
    assert run(plan, "duplicate_target") == []  # 28.5 is 28以上
    files = base_plan_copy(base_plan)
    plan = load(write_plan, files, targets=[share_target(27.5, "专栏1"), at_least])
    (f,) = run(plan, "duplicate_target")
    assert (f.stated, f.comparator, f.computed) == (28, ">=", 27.5)
    assert f.where.startswith("二（四）")


def test_category_period_totals_against_the_total(base_plan, write_plan):
    def pt(cat, value, unit="lanbai", source="四（一）1"):
        return {"indicator": "output", "org_unit": unit, "category": cat, "from_year": 2015, "to_year": 2020,
                "value": value, "approx": True, "source": source}  # fmt: skip

    plan = load(
        write_plan,
        base_plan,
        period_totals=[pt("traditional", 8600), pt("emerging", 6200), pt("total", 16000, source="二（四）")],
    )
    (f,) = run(plan, "category_total")
    assert (f.stated, f.computed) == (16000, 14800)
    plan = load(
        write_plan,
        base_plan_copy(base_plan),
        period_totals=[pt("traditional", 8600), pt("emerging", 6200), pt("total", 15000, source="二（四）")],
    )
    assert run(plan, "category_total") == []


# the shipped plan ----------------------------------------------------------------------------------


def test_known_findings_on_the_shipped_plan(shipped_plan):
    found = check_plan(shipped_plan)
    by = {(f.check, f.stated, f.computed) for f in found}
    (growth,) = [f for f in found if f.check == "growth"]  # 附件1 兰州新区 R&D: 4.9 stated, 6.64 over 6 years
    assert growth.stated == 4.9 and growth.computed == pytest.approx(6.6388, abs=1e-4)
    assert ("period_total", 4000, 4230) in by  # 附件2 兰州新区 产值: 4000左右 vs 4230
    assert ("duplicate_target", 38.8, 39) in by  # 专栏1 vs 二（四）
    assert ("clusters", 240, 242) in by  # 二（四） vs 附件4 4区总计
    assert ("alliances", 10, 9) in by  # 附件5 节能环保（10个） lists 9
    # 附件6's counts table adds up; its list of names has one more name than the 小计 in four fields
    listed = [f for f in found if f.check == "rd_table" and "所列机构数" in f.what]
    assert {(f.stated, f.computed) for f in listed} == {(65, 66), (115, 116), (49, 50), (58, 59)}
    found = [f for f in found if f not in listed]
    assert not [f for f in found if f.check in ("category_sum", "rd_table", "enterprise_sum", "industry")]
