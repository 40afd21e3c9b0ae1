"""A small tree with a park that moves between zones on 2018-07-01, and helpers."""

from __future__ import annotations

import pandas as pd
import pytest

from lanbai.core.formulas import FieldSpec, FormulaSpec, compile_formulas

OPEN = None


def tree_rows() -> pd.DataFrame:
    rows = [
        ("lanbai", None, "2015-01-01", OPEN, "pilot_zone"),
        ("lz", "lanbai", "2015-01-01", OPEN, "city"),
        ("by", "lanbai", "2015-01-01", OPEN, "city"),
        ("za", "lz", "2015-01-01", OPEN, "zone"),
        ("zb", "lz", "2015-01-01", OPEN, "zone"),
        ("zc", "by", "2015-01-01", OPEN, "zone"),
        ("p", "za", "2015-01-01", "2018-06-30", "park"),  # moved ...
        ("p", "zb", "2018-07-01", OPEN, "park"),  # ... to zone zb mid-2018
        ("q", "zb", "2015-01-01", OPEN, "park"),
        ("e1", "p", "2015-01-01", OPEN, "enterprise"),
        ("e2", "p", "2015-01-01", OPEN, "enterprise"),
        ("e3", "q", "2015-01-01", OPEN, "enterprise"),
        ("e4", "zc", "2015-01-01", OPEN, "enterprise"),
    ]
    df = pd.DataFrame(rows, columns=["unit", "parent", "valid_from", "valid_to", "kind"])
    df["valid_from"] = pd.to_datetime(df["valid_from"])
    df["valid_to"] = pd.to_datetime(df["valid_to"])
    return df


MEMBERS = pd.DataFrame({"unit": ["four", "four", "four"], "member": ["za", "zb", "zc"]})


def values_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (unit, period, field, value[, status[, version]]); text values go to value_text."""
    out = []
    for r in rows:
        unit, period, field, value = r[:4]
        status = r[4] if len(r) > 4 else "approved"
        version = r[5] if len(r) > 5 else 1
        text = value if isinstance(value, str) else None
        num = None if isinstance(value, str) else float(value)
        out.append((unit, period, field, num, text, status, version))
    return pd.DataFrame(
        out, columns=["org_unit", "period", "field", "value", "value_text", "status", "version"]
    )


@pytest.fixture()
def tree() -> pd.DataFrame:
    return tree_rows()


@pytest.fixture()
def fset():
    fields = {
        f.code: f
        for f in [
            FieldSpec("gdp", "地区生产总值", "万元", "zone", "flow", "decimal"),
            FieldSpec("population", "常住人口", "万人", "zone", "stock", "decimal"),
            FieldSpec("zone_rd_staff", "R&D人员（园区）", "人", "zone", "stock", "integer"),
            FieldSpec("va", "工业增加值", "万元", "enterprise", "flow", "decimal"),
            FieldSpec("staff", "从业人员", "人", "enterprise", "stock", "integer"),
            FieldSpec(
                "category", "产业分类", None, "enterprise", None, "category", ("traditional", "emerging")
            ),
            FieldSpec("high_tech", "高新技术企业", None, "enterprise", None, "bool"),
        ]
    }
    return compile_formulas(
        [
            FormulaSpec("grp", 'convert(gdp, "万元", "亿元")', "亿元"),
            FormulaSpec("per_10k", "zone_rd_staff / population", "人/万人"),
            FormulaSpec("productivity", "va / staff", "万元/人"),
            FormulaSpec("va", "ind:va.traditional + ind:va.emerging", "万元"),
            FormulaSpec("va", 'sum(va where category == "traditional")', "万元", category="traditional"),
            FormulaSpec("va", 'sum(va where category == "emerging")', "万元", category="emerging"),
            FormulaSpec("ht_va", "sum(va where high_tech)", "万元"),
            FormulaSpec("va_growth", "yoy(va)", "%"),
        ],
        fields,
    )
