"""``lanbai monitor assess`` via Typer's CliRunner."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lanbai.cli.main import app

runner = CliRunner()
HEADER = "indicator,base_year,base_value,current_year,current_value,target,target_year,direction\n"


@pytest.fixture
def series_csv(tmp_path):
    p = tmp_path / "series.csv"
    p.write_text(
        HEADER
        + "研发投入强度,2015,1.2,2018,1.6,2.5,2020,increase\n"
        + "万元GDP能耗,2015,1.0,2018,0.8,0.5,2020,decrease\n"
        + "已达标,2015,100,2018,210,200,2020,increase\n"
        + "缺数据,2015,,2018,3,5,2020,increase\n",
        encoding="utf-8",
    )
    return p


def test_assess_table(series_csv):
    res = runner.invoke(app, ["monitor", "assess", str(series_csv)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    # RR for row 1: ((1.6/1.2) ** (1/3) − 1) / ((2.5/1.2) ** (1/5) − 1) = 0.10064 / 0.15800 = 63.7 %
    assert "63.7%" in res.output and "moderate progress towards the target" in res.output
    assert "已达标" in res.output and "target met" in res.output
    assert "not assessable: missing value" in res.output
    assert "预警阈值" in res.output  # the status rule is printed next to the status


def test_assess_json_escap(series_csv):
    res = runner.invoke(app, ["monitor", "assess", str(series_csv), "--method", "escap", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.output)
    assert [r["category"] for r in rows] == [
        "need to accelerate",
        "need to accelerate",
        "target met",
        "not assessable: missing value",
    ]
    assert rows[3]["ratio"] is None and rows[0]["rule"].startswith("按实际年均增长率")
    assert {"ratio", "category", "rule", "status", "expected"} <= set(rows[0])


@pytest.mark.parametrize(
    ("body", "needles"),
    [
        ("x,2015,abc,2018,1,2,2020,increase\n", ["第 2 行", "base_value", "numeric value", "'abc'"]),
        ("x,2015,1,2018,1,2,2020,up\n", ["第 2 行", "direction", "increase | decrease", "'up'"]),
        ("x,2015,1,2018,1,2,2015,increase\n", ["第 2 行", "target_year", "target_year > base_year"]),
    ],
)
def test_bad_rows_exit_1_naming_file_row_column_rule(tmp_path, body, needles):
    p = tmp_path / "bad.csv"
    p.write_text(
        HEADER + "ok,2015,1,2018,1.1,2,2020,increase\n" + body.replace(",2018,", ",2018,", 1),
        encoding="utf-8",
    )
    # the bad row is the second data row → line 3 of the file
    res = runner.invoke(app, ["monitor", "assess", str(p)])
    assert res.exit_code == 1
    text = res.output + (res.stderr if res.stderr_bytes is not None else "")
    assert "bad.csv" in text
    for needle in needles:
        assert needle.replace("第 2 行", "第 3 行") in text


def test_missing_column_and_missing_file(tmp_path):
    p = tmp_path / "cols.csv"
    p.write_text("indicator,base_year,base_value\nx,2015,1\n", encoding="utf-8")
    res = runner.invoke(app, ["monitor", "assess", str(p)])
    assert res.exit_code == 1
    text = res.output + (res.stderr or "")
    assert "cols.csv" in text and "current_year" in text and "required columns" in text
    res = runner.invoke(app, ["monitor", "assess", str(tmp_path / "nope.csv")])
    assert res.exit_code == 1 and "nope.csv" in (res.output + (res.stderr or ""))


