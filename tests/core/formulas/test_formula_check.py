"""Units inferred through the tree, unknown references and cycles refused with their position."""

from __future__ import annotations

import math

import pytest

from lanbai.core.formulas import FormulaSetError, FormulaSpec, compile_formulas, parse_unit


def refuse(fields, *specs: FormulaSpec) -> list:
    with pytest.raises(FormulaSetError) as info:
        compile_formulas(list(specs), fields)
    return info.value.errors


def test_units_parse_and_combine() -> None:
    assert parse_unit("亿元").same(parse_unit("万元") * parse_unit("1") / parse_unit("1") * _k(1e4))
    assert parse_unit("万元/人").same(parse_unit("万元") / parse_unit("人"))
    assert parse_unit("人/万人").dims == ()
    assert math.isclose(parse_unit("人/万人").scale, 1e-4)
    assert parse_unit("%").label == "%"
    assert (parse_unit("万元") / parse_unit("人")).label == "10^4·元/人"
    with pytest.raises(ValueError, match="未知单位"):
        parse_unit("美元")
    with pytest.raises(ValueError, match="格式错误"):
        parse_unit("元/人/年")


def _k(scale: float):
    from lanbai.core.formulas import Unit

    return Unit(scale)


def test_declared_unit_is_inferred_through_the_tree(fields) -> None:
    fs = compile_formulas(
        [
            FormulaSpec("grp", 'convert(gdp, "万元", "亿元")', "亿元"),
            FormulaSpec("intensity", 'convert(convert(rd_exp, "万元", "亿元") / ind:grp, "1", "%")', "%"),
            FormulaSpec("per_10k", "rd_staff / population", "人/万人"),
            FormulaSpec("energy_per_gdp", "energy / gdp", "吨标准煤/万元"),
            FormulaSpec("growth", "yoy(ind:grp)", "%"),
            FormulaSpec("emerging", 'sum(va where category == "emerging")', "万元"),
            FormulaSpec("scaled", "-prev(gdp) * 2 + gdp", "万元"),
        ],
        fields,
    )
    assert {k: f.unit.label for k, f in fs.formulas.items()}["intensity"] == "%"
    assert set(fs.inputs) == {"gdp", "rd_exp", "rd_staff", "population", "energy", "va__category_emerging"}
    assert fs.shifts == {1, 4}


def test_adding_money_to_people_is_refused_at_the_offending_operand(fields) -> None:
    (err,) = refuse(fields, FormulaSpec("bad", "gdp + rd_staff", "万元"))
    assert err.rule == "unit-mismatch"
    assert err.column == 7  # rd_staff
    assert err.formula == "bad"
    assert "元" in err.message and "人" in err.message
    assert "gdp + rd_staff" in str(err)


def test_same_dimension_different_scale_needs_convert(fields) -> None:
    (err,) = refuse(
        fields,
        FormulaSpec("grp", 'convert(gdp, "万元", "亿元")', "亿元"),
        FormulaSpec("bad", "ind:grp + gdp", "亿元"),
    )
    assert err.rule == "unit-mismatch" and err.column == 11 and "convert" in err.message


def test_declared_unit_must_match(fields) -> None:
    (err,) = refuse(fields, FormulaSpec("grp", "gdp", "亿元"))
    assert err.rule == "unit-mismatch" and "万元" in err.message and "亿元" in err.message


def test_convert_checks_source_unit_and_dimension(fields) -> None:
    errs = refuse(
        fields,
        FormulaSpec("a", 'convert(gdp, "亿元", "元")', "元"),
        FormulaSpec("b", 'convert(gdp, "万元", "人")', "人"),
        FormulaSpec("c", 'convert(gdp, "万元", "美元")', "元"),
    )
    by = {e.formula: e for e in errs}
    assert by["a"].rule == "unit-mismatch" and by["a"].column == 9
    assert by["b"].rule == "unit-mismatch" and by["b"].column == 20
    assert by["c"].rule == "unknown-unit" and by["c"].column == 20


def test_unknown_field_and_indicator_with_positions(fields) -> None:
    errs = refuse(
        fields,
        FormulaSpec("a", "gdp / populaton", "1"),
        FormulaSpec("b", "1 + ind:nothing", "1"),
        FormulaSpec("c", "ind:a.emerging", "1"),
    )
    by = {e.formula: e for e in errs}
    assert by["a"].rule == "unknown-field" and by["a"].column == 7 and "populaton" in by["a"].message
    assert by["b"].rule == "unknown-indicator" and by["b"].column == 5
    assert by["c"].rule == "unknown-indicator"


def test_filter_rules(fields) -> None:
    errs = refuse(
        fields,
        FormulaSpec("a", "sum(gdp where high_tech)", "万元"),
        FormulaSpec("b", "sum(va where category)", "万元"),
        FormulaSpec("c", 'sum(va where high_tech == "x")', "万元"),
        FormulaSpec("d", 'sum(va where category == "新兴")', "万元"),
        FormulaSpec("e", "high_tech * 2", "1"),
        FormulaSpec("f", "sum(va where gdp)", "万元"),
    )
    rules = {e.formula: (e.rule, e.column) for e in errs}
    assert rules == {
        "a": ("not-enterprise-field", 5),
        "b": ("not-bool", 14),
        "c": ("not-comparable", 14),
        "d": ("unknown-choice", 14),
        "e": ("not-numeric", 1),
        "f": ("not-enterprise-field", 14),
    }


def test_cycles_are_refused_with_the_path(fields) -> None:
    errs = refuse(
        fields,
        FormulaSpec("a", "ind:b + gdp", "万元"),
        FormulaSpec("b", "gdp - ind:c", "万元"),
        FormulaSpec("c", "2 * ind:a", "万元"),
        FormulaSpec("self", "prev(ind:self)", "万元"),
    )
    cycles = [e for e in errs if e.rule == "cycle"]
    assert len(cycles) == 2
    messages = " | ".join(e.message for e in cycles)
    assert "a → b → c → a" in messages
    assert "self → self" in messages
    first = next(e for e in cycles if "a → b" in e.message)
    assert first.formula == "c" and first.column == 5  # where the cycle closes


def test_every_error_is_reported_at_once(fields) -> None:
    errs = refuse(
        fields,
        FormulaSpec("a", "gdp +", "万元"),
        FormulaSpec("b", "gdp + rd_staff", "万元"),
        FormulaSpec("c", "nothing", "万元"),
    )
    assert sorted(e.formula for e in errs) == ["a", "b", "c"]


def test_bad_declared_unit_and_duplicates(fields) -> None:
    errs = refuse(
        fields,
        FormulaSpec("a", "gdp", "元元"),
        FormulaSpec("b", "gdp", "万元"),
        FormulaSpec("b", "gdp", "万元"),
    )
    assert {e.rule for e in errs} == {"unknown-unit", "duplicate-formula"}
