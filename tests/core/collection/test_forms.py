"""Forms as data: the shipped forms, the loader's errors, rule expressions, the year-to-date rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml
from collection_helpers import ENT, ZONE

from lanbai.core.collection import FormError, check_ytd, load_forms
from lanbai.core.collection.forms import evaluate_rule, parse_rule

FIELDS_YAML = Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "fields.yaml"
IDENTITY = {"credit_code", "enterprise_name", "hightech_certificate_no", "hightech_certificate_valid_until"}


def test_shipped_forms_have_header_block_and_fields(forms):
    assert set(forms) == {ENT, ZONE}
    ent, zone = forms[ENT], forms[ZONE]
    assert (ent.name, ent.level, ent.key) == ("企业季报", "enterprise", "credit_code")
    assert (zone.name, zone.level, zone.key) == ("园区季报", "zone", None)
    for f in (ent, zone):
        assert f.issuing_body == "甘肃省创新办" and f.approval_no and f.valid_until and f.version >= 1
        assert f.period_type == "quarterly"


def test_forms_supply_every_field_of_the_plan_catalogue(forms):
    """Every raw figure of fields.yaml (the inputs of the indicator formulas) is on the form of its level,
    with the same unit and nature; the forms add only identifying fields."""
    catalogue = yaml.safe_load(FIELDS_YAML.read_text(encoding="utf-8"))["fields"]
    by_level = {form.level: form for form in forms.values()}
    for item in catalogue:
        form = by_level[item["level"]]
        assert item["code"] in form.field_codes, (item["code"], form.code)
        f = form.field(item["code"])
        assert f.unit == item.get("unit"), item["code"]
        assert f.nature == item.get("nature"), item["code"]
    listed = {item["code"] for item in catalogue}
    for form in forms.values():
        assert set(form.field_codes) - listed <= IDENTITY


def test_every_numeric_field_states_flow_or_stock(forms):
    for form in forms.values():
        for f in form.fields:
            assert (f.nature is not None) == (f.type in ("decimal", "integer")), f.code
    assert forms[ENT].field("employees").nature == "stock"
    assert forms[ENT].field("revenue").nature == "flow"


def test_cross_field_rules_shipped(forms):
    exprs = {r.expr for form in forms.values() for r in form.rules}
    assert {
        "rd_staff <= employees",
        "industrial_va <= output_value",
        "urban_population <= resident_population",
        "fiscal_st_expenditure <= fiscal_expenditure",
    } <= exprs


def _write(tmp_path, name, text):
    (tmp_path / name).write_text(text, encoding="utf-8")


MINIMAL = """form:
  code: 测试表
  name: 测试
  issuing_body: 甘肃省创新办
  approval_no: X
  valid_until: 2021-12-31
  version: 1
  level: zone
  fields:
    - {code: a, label: 甲, unit: 万元, type: decimal, nature: flow}
    - {code: b, label: 乙, unit: 万元, type: decimal, nature: flow}
  rules:
    - {code: r1, expr: "a <= b", message_zh: 甲不大于乙}
"""


def test_load_forms_reads_a_minimal_form(tmp_path):
    _write(tmp_path, "t.yaml", MINIMAL)
    forms = load_forms(tmp_path)
    assert list(forms) == ["测试表"]


@pytest.mark.parametrize(
    ("text", "rule", "path_part"),
    [
        (MINIMAL.replace("a <= b", "a <= c"), "schema", "form"),  # unknown field in a rule
        (MINIMAL.replace("a <= b", "__import__('os')"), "schema", "rules.0.expr"),  # no eval
        (MINIMAL.replace("level: zone", "level: zone\n  colour: red"), "schema", "form.colour"),
        (
            MINIMAL.replace("type: decimal, nature: flow}\n  rules", "type: decimal}\n  rules"),
            "schema",
            "fields.1",
        ),
        ("form: [unclosed", "yaml", ""),
        (
            MINIMAL.replace(
                "type: decimal, nature: flow}\n  rules",
                "type: category, choices: [{code: x, label: X, implies: {field: a, value: y}}]}\n  rules",
            ).replace("a <= b", "a <= a"),
            "schema",
            "form",
        ),
        ("fields: []", "schema", ""),
    ],
)
def test_load_forms_errors_name_file_path_and_rule(tmp_path, text, rule, path_part):
    _write(tmp_path, "bad.yaml", text)
    with pytest.raises(FormError) as exc:
        load_forms(tmp_path)
    issues = exc.value.issues
    assert issues and all(i[0] == "bad.yaml" and i[2] == rule for i in issues)
    assert any(path_part in i[1] for i in issues)


def test_duplicate_form_codes_refused(tmp_path):
    _write(tmp_path, "a.yaml", MINIMAL)
    _write(tmp_path, "b.yaml", MINIMAL)
    with pytest.raises(FormError) as exc:
        load_forms(tmp_path)
    assert exc.value.issues[0][:3] == ("b.yaml", "form.code", "duplicate_code")


@pytest.mark.parametrize(
    ("expr", "row", "broken"),
    [
        ("a <= b", {"a": 1, "b": 2}, False),
        ("a <= b", {"a": 3, "b": 2}, True),
        ("a + b <= 10", {"a": 6, "b": 5}, True),
        ("a - b >= 0", {"a": 6, "b": 5}, False),
        ("2 * a <= b", {"a": 2, "b": 3}, True),
        ("a * 0.5 <= b", {"a": 2, "b": 1}, False),
        ("a == b", {"a": 0.1 + 0.2, "b": 0.3}, False),  # tolerance
        ("a != b", {"a": 1, "b": 1}, True),
        ("a <= b", {"a": 5, "b": np.nan}, False),  # missing operand: not checked
    ],
)
def test_rule_expressions(expr, row, broken):
    rule = parse_rule(expr)
    cols = {k: np.array([v], dtype=float) for k, v in row.items()}
    assert evaluate_rule(rule, cols, 1).tolist() == [broken]


@pytest.mark.parametrize(
    "expr", ["a", "a <= b <= c", "a * b <= 1", "open('x')", "a <= ", "a + <= b", "a ** 2 <= b"]
)
def test_rule_parser_refuses(expr):
    with pytest.raises(ValueError, match="rule"):
        parse_rule(expr)


def test_ytd_flow_may_not_fall_stock_may(ent):
    prev = [{"credit_code": "914403001922038216", "revenue": 100.0, "employees": 50}]
    cur = [{"credit_code": "914403001922038216", "revenue": 90.0, "employees": 40}]
    problems = check_ytd(ent, cur, prev, source="api", current_period="2018Q2", previous_period="2018Q1")
    assert [(p.rule, p.field, p.row, p.value) for p in problems] == [
        ("ytd.flow_decreased", "revenue", 1, "90.0")
    ]
    assert "100.0" in problems[0].message_zh


def test_ytd_not_across_years_and_matched_by_key(ent):
    prev = [{"credit_code": "914403001922038216", "revenue": 100.0}]
    cur = [{"credit_code": "914403001922038216", "revenue": 10.0}]
    assert check_ytd(ent, cur, prev, current_period="2019Q1", previous_period="2018Q4") == []
    other = [{"credit_code": "91110108551385082Q", "revenue": 10.0}]
    assert check_ytd(ent, other, prev) == []


def test_ytd_zone_form(zone):
    problems = check_ytd(
        zone, [{"gdp": 10.0, "resident_population": 1.0}], [{"gdp": 20.0, "resident_population": 2.0}]
    )
    assert [p.field for p in problems] == ["gdp"]


def test_choice_label_with_full_width_brackets_matches_normalised_cell_text():
    import unicodedata

    from lanbai.core.collection.forms import Choice, FieldSpec

    field = FieldSpec(
        code="kind",
        label="类型",
        type="category",
        choices=[Choice(code="key_lab_st", label="重点实验室（科技）")],
    )
    cell = unicodedata.normalize("NFKC", "重点实验室（科技）")  # what the engine compares: 重点实验室(科技)
    assert cell != "重点实验室（科技）"
    assert field.choice_code(cell) == "key_lab_st"
    assert field.choice_code("重点实验室（教育）") is None
