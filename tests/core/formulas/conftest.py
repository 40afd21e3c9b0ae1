"""A small field catalogue shared by the formula tests."""

from __future__ import annotations

import pytest

from lanbai.core.formulas import FieldSpec


@pytest.fixture()
def fields() -> dict[str, FieldSpec]:
    specs = [
        FieldSpec("gdp", "地区生产总值", "万元", "zone", "flow", "decimal"),
        FieldSpec("population", "常住人口", "万人", "zone", "stock", "decimal"),
        FieldSpec("rd_staff", "R&D人员", "人", "zone", "stock", "integer"),
        FieldSpec("rd_exp", "全社会研发投入", "万元", "zone", "flow", "decimal"),
        FieldSpec("energy", "综合能源消费量", "吨标准煤", "zone", "flow", "decimal"),
        FieldSpec("va", "工业增加值", "万元", "enterprise", "flow", "decimal"),
        FieldSpec("high_tech", "高新技术企业", None, "enterprise", None, "bool"),
        FieldSpec("category", "产业分类", None, "enterprise", None, "category", ("traditional", "emerging")),
        FieldSpec("industry", "所属产业", None, "enterprise", None, "code"),
    ]
    return {f.code: f for f in specs}
