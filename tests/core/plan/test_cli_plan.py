"""``lanbai plan check | targets | show`` through typer's CliRunner."""

from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from lanbai.cli.main import app

runner = CliRunner()


@pytest.fixture
def plan_dir(base_plan, write_plan):
    files = base_plan
    files["tables.yaml"] = {
        "targets": [
            {
                "indicator": "rd_share", "org_unit": "xinqu", "baseline": {"year": 2014, "value": 1.7},
                "target": {"year": 2020, "value": 2.5}, "stated_annual_growth_pct": 4.9, "source": "附件1",
            },
            {"indicator": "rd_share", "org_unit": "lanbai", "target": {"year": 2020, "value": 2.9}, "source": "专栏1"},
        ],
        "annual_series": [
            {"indicator": "output", "org_unit": "xinqu", "category": "total",
             "values": {2015: 240, 2016: 310, 2017: 420, 2018: 650, 2019: 1040, 2020: 1570}, "source": "附件2"},
        ],
        "period_totals": [
            {"indicator": "output", "org_unit": "xinqu", "from_year": 2015, "to_year": 2020, "value": 4000,
             "approx": True, "source": "附件2"},
        ],
    }  # fmt: skip
    return write_plan(files)


def test_check_prints_one_line_per_finding_and_a_summary(plan_dir):
    result = runner.invoke(app, ["plan", "check", "--plan", str(plan_dir)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    growth = next(line for line in lines if "[growth]" in line)
    assert "兰州新区 全社会研发投入占GDP的比重 年均增长" in growth
    assert "附件1 年均增长（%） vs 附件1 2014年基数1.7→2020年目标2.5推算（6年）" in growth
    assert "所述/stated 4.9;" in growth and "推算/computed 6.6388;" in growth and "(+35.5%)" in growth
    total = next(line for line in lines if "[period_total]" in line)
    assert "附件2 兰州新区 2015-2020年合计 vs 附件2 兰州新区 合计 2015-2020年逐年之和" in total
    assert "所述/stated 4000左右; 推算/computed 4230; 差/difference +230 亿元 (+5.8%)" in total
    summary = {line.split()[0]: line.split()[1] for line in lines if line.startswith("  ")}
    assert summary["growth"] == "1" and summary["period_total"] == "1" and summary["total"] == "2"
    assert summary["category_sum"] == "0"


def test_check_tolerance_option(plan_dir):
    result = runner.invoke(app, ["plan", "check", "--plan", str(plan_dir), "--tolerance", "6"])
    assert result.exit_code == 0
    assert "[period_total]" not in result.output
    assert "容差 tolerance 6%" in result.output


def test_check_on_an_invalid_plan_exits_2_and_prints_every_issue(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["org_unit"] = "nowhere"
    base_plan["indicators.yaml"]["targets"][0]["target"]["value"] = "1377"
    result = runner.invoke(app, ["plan", "check", "--plan", str(write_plan(base_plan))])
    assert result.exit_code == 2
    out = result.output  # stderr is mixed into output by CliRunner
    assert (
        "indicators.yaml: targets[0].target.value: [float_type] Input should be a valid number (value: '1377')"
        in out
    )
    assert "计划文件无效 / plan refused: 1 problem(s); nothing was loaded." in out


def test_check_reports_a_reference_error(base_plan, write_plan):
    base_plan["indicators.yaml"]["targets"][0]["indicator"] = "nothing"
    result = runner.invoke(app, ["plan", "check", "--plan", str(write_plan(base_plan))])
    assert result.exit_code == 2
    assert (
        "indicators.yaml: targets[0].indicator: [unknown-reference] unknown indicator 'nothing'"
        in result.output
    )


def test_check_on_a_missing_directory_exits_2(tmp_path):
    result = runner.invoke(app, ["plan", "check", "--plan", str(tmp_path / "none")])
    assert result.exit_code == 2
    assert "[missing-directory]" in result.output


def test_targets_csv(plan_dir):
    result = runner.invoke(app, ["plan", "targets", "--csv", "--plan", str(plan_dir)])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["org_unit", "indicator", "year", "value", "unit", "source", "kind", "comparator", "approx"]
    assert ["兰白试验区", "地区生产总值", "2020", "1377", "亿元", "专栏1", "target", "=", "false"] in rows
    assert ["兰州新区", "全社会研发投入占GDP的比重", "2020", "2.5", "%", "附件1", "target", "=", "false"] in rows
    assert ["兰州新区", "优势特色产业产值", "2016", "310", "亿元", "附件2", "milestone", "=", "false"] in rows
    total = ["兰州新区", "优势特色产业产值 2015-2020年合计", "", "4000", "亿元", "附件2", "target"]
    assert any(r[:7] == total for r in rows)
    # baselines are rows of their own, kind baseline, just before their target
    base = ["兰白试验区", "地区生产总值", "2014", "552.4", "亿元", "专栏1", "baseline", "=", "false"]
    assert base in rows and rows.index(base) + 1 == rows.index(
        ["兰白试验区", "地区生产总值", "2020", "1377", "亿元", "专栏1", "target", "=", "false"]
    )
    baselines = [r for r in rows[1:] if r[6] == "baseline"]
    assert len(rows) == 1 + 3 + len(baselines) + 6 + 1 and baselines
    assert {r[6] for r in rows[1:]} <= {"baseline", "target", "milestone"}


def test_targets_table(plan_dir):
    result = runner.invoke(app, ["plan", "targets", "--plan", str(plan_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "目标 / targets (" in result.output
    assert "优势特色产业产值" in result.output


def test_show_prints_the_tree(plan_dir):
    result = runner.invoke(app, ["plan", "show", "--plan", str(plan_dir)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert "兰白试验区 [lanbai]" in out
    assert "兰州新区 [xinqu] — 石化" in out
    assert "石化产业园 [park1]" in out
    assert "4区合计 [four_zones] = 兰州新区、兰州高新区" in out
    assert "兰州新区: 2014年 1.7 → 2020年 2.5，年均增长4.9%（附件1）" in out
    # the tree nests: the park is below its zone, which is below the city
    assert out.index("兰州市 [lanzhou]") < out.index("兰州新区 [xinqu]") < out.index("石化产业园 [park1]")


def test_targets_lists_a_zone_enterprise_target_once(base_plan, write_plan):
    zone = base_plan["organisation.yaml"]["org_units"][2]
    zone["enterprise_targets"] = {
        "enterprises": 1000, "industrial": 500, "above_scale_industrial": 200, "high_tech": 50, "source": "三（二）",
    }  # fmt: skip
    base_plan["indicators.yaml"]["indicators"].append(
        {"code": "firms", "name": "企业总数", "aliases": ["入区企业"], "unit": "户", "direction": "increase",
         "kind": "count", "source": "二（四）"}
    )  # fmt: skip
    base_plan["indicators.yaml"]["targets"].append(
        {"indicator": "firms", "org_unit": "xinqu", "label": "入区企业", "target": {"year": 2020, "value": 1000},
         "source": "三（二）"}
    )  # fmt: skip
    result = runner.invoke(app, ["plan", "targets", "--csv", "--plan", str(write_plan(base_plan))])
    assert result.exit_code == 0, result.output
    rows = [r for r in csv.reader(io.StringIO(result.output)) if r[0] == "兰州新区"]
    assert rows == [
        ["兰州新区", "入区企业", "2020", "1000", "户", "三（二）", "target", "=", "false"],
        ["兰州新区", "工业企业", "2020", "500", "户", "三（二）", "target", "=", "false"],
        ["兰州新区", "规模以上工业企业", "2020", "200", "户", "三（二）", "target", "=", "false"],
        ["兰州新区", "高新技术企业", "2020", "50", "户", "三（二）", "target", "=", "false"],
    ]
