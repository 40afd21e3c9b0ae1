"""Vectorised evaluation in DuckDB: values, NULL with a reason, shifts in time."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from lanbai.core.formulas import NOT_COMPUTABLE, FormulaSpec, compile_formulas, evaluate


@pytest.fixture()
def fset(fields):
    return compile_formulas(
        [
            FormulaSpec("grp", 'convert(gdp, "万元", "亿元")', "亿元", label="地区生产总值"),
            FormulaSpec("intensity", 'convert(convert(rd_exp, "万元", "亿元") / ind:grp, "1", "%")', "%"),
            FormulaSpec("per_10k", "rd_staff / population", "人/万人"),
            FormulaSpec("growth", "yoy(ind:grp)", "%"),
            FormulaSpec("change", "gdp - prev(gdp)", "万元"),
            FormulaSpec("emerging", 'sum(va where category == "emerging")', "万元"),
        ],
        fields,
    )


def frame(rows: list[dict]) -> pd.DataFrame:
    cols = ["unit", "period", "gdp", "rd_exp", "rd_staff", "population", "va__category_emerging"]
    return pd.DataFrame([{c: r.get(c) for c in cols} for r in rows], columns=cols)


def result(df: pd.DataFrame, unit: str, period: str, indicator: str) -> tuple[float | None, str | None]:
    row = df[(df.unit == unit) & (df.period == period) & (df.indicator == indicator)]
    assert len(row) == 1
    value, reason = row.iloc[0]["value"], row.iloc[0]["reason"]
    return (None if pd.isna(value) else float(value)), (None if pd.isna(reason) else reason)


def test_values_and_units(fset) -> None:
    data = frame(
        [
            {
                "unit": "z",
                "period": "2017Q4",
                "gdp": 400_000.0,
                "rd_exp": 8_000.0,
                "rd_staff": 900,
                "population": 30.0,
            },
            {"unit": "z", "period": "2018Q3", "gdp": 420_000.0},
            {
                "unit": "z",
                "period": "2018Q4",
                "gdp": 500_000.0,
                "rd_exp": 12_500.0,
                "rd_staff": 1200,
                "population": 40.0,
            },
        ]
    )
    out = evaluate(data, fset)
    assert result(out, "z", "2018Q4", "grp") == (50.0, None)
    assert result(out, "z", "2018Q4", "intensity")[0] == pytest.approx(2.5)
    assert result(out, "z", "2018Q4", "per_10k")[0] == pytest.approx(30.0)
    assert result(out, "z", "2018Q4", "growth")[0] == pytest.approx(25.0)
    assert result(out, "z", "2018Q4", "change")[0] == pytest.approx(80_000.0)
    units = dict(zip(out.indicator, out.unit_label, strict=False))
    assert units["grp"] == "亿元" and units["per_10k"] == "人/万人"


def test_division_by_zero_is_null_with_reason(fset) -> None:
    out = evaluate(
        frame(
            [{"unit": "z", "period": "2018Q4", "gdp": 0.0, "rd_exp": 5.0, "rd_staff": 10, "population": 0.0}]
        ),
        fset,
    )
    assert result(out, "z", "2018Q4", "per_10k") == (None, "分母为零: 常住人口 = 0")
    assert result(out, "z", "2018Q4", "intensity") == (None, "分母为零: 地区生产总值 = 0")
    assert result(out, "z", "2018Q4", "grp") == (0.0, None)  # a true zero stays a zero


def test_missing_inputs_are_null_with_reason_never_zero(fset) -> None:
    out = evaluate(frame([{"unit": "z", "period": "2018Q4", "rd_exp": 5.0, "population": 2.0}]), fset)
    assert result(out, "z", "2018Q4", "grp") == (None, "缺少数据: 地区生产总值")
    assert result(out, "z", "2018Q4", "per_10k") == (None, "缺少数据: R&D人员")
    assert result(out, "z", "2018Q4", "emerging") == (None, '缺少数据: 工业增加值（产业分类为战略性新兴产业）')
    # the previous year is not in the table at all
    assert result(out, "z", "2018Q4", "growth") == (None, "缺少数据: 地区生产总值")
    out = evaluate(frame([{"unit": "z", "period": "2018Q4", "gdp": 3.0}]), fset)
    assert result(out, "z", "2018Q4", "growth") == (None, "缺少数据: 地区生产总值（上年同期）")
    assert result(out, "z", "2018Q4", "change") == (None, "缺少数据: 地区生产总值（上期）")


def test_yoy_of_zero_base(fset) -> None:
    out = evaluate(
        frame([{"unit": "z", "period": "2017Q2", "gdp": 0.0}, {"unit": "z", "period": "2018Q2", "gdp": 7.0}]),
        fset,
    )
    assert result(out, "z", "2018Q2", "growth") == (None, "分母为零: 上年同期 地区生产总值 = 0")


def test_reason_is_null_exactly_when_value_is_not(fset) -> None:
    rows = [
        {"unit": u, "period": p, "gdp": g, "rd_exp": r, "rd_staff": s, "population": n}
        for u, p, g, r, s, n in [
            ("a", "2017Q1", 1.0, None, 3, 0.0),
            ("a", "2018Q1", None, 2.0, None, 1.0),
            ("b", "2018Q1", 0.0, 0.0, 0, 0.0),
            ("b", "2017Q1", 5.0, 1.0, 1, 2.0),
        ]
    ]
    out = evaluate(frame(rows), fset)
    assert (out.value.isna() == out.reason.notna()).all()
    assert NOT_COMPUTABLE not in set(out.reason.dropna())


def test_ratio_of_sums_not_average_of_ratios(fset) -> None:
    # two zones: per-10k 10 and 100; averaging gives 55, the aggregate of sums gives 1010/11
    zones = [
        {"unit": "a", "period": "2018Q4", "rd_staff": 100, "population": 10.0},
        {"unit": "b", "period": "2018Q4", "rd_staff": 100, "population": 1.0},
    ]
    total = {"unit": "all", "period": "2018Q4", "rd_staff": 200, "population": 11.0}
    out = evaluate(frame([*zones, total]), fset)
    mean_of_ratios = (result(out, "a", "2018Q4", "per_10k")[0] + result(out, "b", "2018Q4", "per_10k")[0]) / 2
    value = result(out, "all", "2018Q4", "per_10k")[0]
    assert math.isclose(value, 200 / 11)
    assert not math.isclose(value, mean_of_ratios)


def test_missing_input_column_is_refused(fset) -> None:
    with pytest.raises(ValueError, match="va__category_emerging"):
        evaluate(pd.DataFrame({"unit": ["a"], "period": ["2018Q1"], "gdp": [1.0]}), fset)
