"""The recursive-descent parser: precedence, associativity, spans and errors with positions."""

from __future__ import annotations

import pytest

from lanbai.core.formulas import FormulaError, parse
from lanbai.core.formulas.nodes import (
    Binary,
    Call,
    FieldRef,
    FilteredSum,
    IndRef,
    Num,
    PredBool,
    PredCompare,
    PredField,
    PredNot,
    Unary,
)


def show(node) -> str:
    """A fully parenthesised rendering of the tree, to read precedence off."""
    if isinstance(node, Num):
        return f"{node.value:g}"
    if isinstance(node, FieldRef):
        return node.code
    if isinstance(node, IndRef):
        return f"ind:{node.code}.{node.category}"
    if isinstance(node, Unary):
        return f"(-{show(node.operand)})"
    if isinstance(node, Binary):
        return f"({show(node.left)} {node.op} {show(node.right)})"
    if isinstance(node, Call):
        return f"{node.name}({', '.join(show(a) for a in node.args)}{''.join(', ' + u for u in node.units)})"
    if isinstance(node, FilteredSum):
        return f"sum({node.field.code})"
    raise AssertionError(node)


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a + b * c", "(a + (b * c))"),
        ("a * b + c", "((a * b) + c)"),
        ("a - b - c", "((a - b) - c)"),
        ("a / b / c", "((a / b) / c)"),
        ("(a + b) * c", "((a + b) * c)"),
        ("-a * b", "((-a) * b)"),
        ("a - -b", "(a - (-b))"),
        ("--a", "(-(-a))"),
        ("2.5e3 * x", "(2500 * x)"),
        (".5 + 1.", "(0.5 + 1)"),
        ("prev(a) + lag_year(b / c)", "(prev(a) + lag_year((b / c)))"),
        ("yoy(ind:grp)", "yoy(ind:grp.total)"),
        ('convert(a, "万元", "亿元") * 2', "(convert(a, 万元, 亿元) * 2)"),
        ("ind:output_value.emerging - ind:x", "(ind:output_value.emerging - ind:x.total)"),
    ],
)
def test_precedence_and_associativity(text: str, tree: str) -> None:
    assert show(parse(text)) == tree


def test_spans_point_into_the_text() -> None:
    node = parse("a + (b * c)")
    assert isinstance(node, Binary)
    assert (node.right.pos, node.right.end) == (4, 11)  # the parenthesised operand keeps its brackets
    assert (node.left.pos, node.left.end) == (0, 1)


def test_filtered_sum_conditions() -> None:
    node = parse('sum(va where high_tech and not (category == "emerging" or industry in ("a", "b")))')
    assert isinstance(node, FilteredSum) and node.field.code == "va"
    where = node.where
    assert isinstance(where, PredBool) and where.op == "and"
    assert isinstance(where.left, PredField) and where.left.code == "high_tech"
    assert isinstance(where.right, PredNot)
    inner = where.right.operand
    assert isinstance(inner, PredBool) and inner.op == "or"
    assert isinstance(inner.left, PredCompare) and inner.left.values == ("emerging",)
    assert (
        isinstance(inner.right, PredCompare) and inner.right.op == "in" and inner.right.values == ("a", "b")
    )


def test_and_binds_tighter_than_or() -> None:
    node = parse("sum(va where a or b and c)")
    assert isinstance(node, FilteredSum)
    assert isinstance(node.where, PredBool) and node.where.op == "or"
    assert isinstance(node.where.right, PredBool) and node.where.right.op == "and"


@pytest.mark.parametrize(
    ("text", "column", "rule"),
    [
        ("a +", 4, "syntax"),
        ("(a + b", 7, "syntax"),
        ("a b", 3, "syntax"),
        ("a # b", 3, "unexpected-character"),
        ("地区生产总值 + 1", 1, "unexpected-character"),
        ("foo(a)", 1, "unknown-function"),
        ("", 1, "empty"),
        ('convert(a, "万元")', 16, "syntax"),
        ('convert(a, 万元, "亿元")', 12, "unexpected-character"),
        ("a + ind:", 9, "syntax"),
        ("sum(va where category == emerging)", 26, "syntax"),
        ('a + "x', 5, "unterminated-string"),
        ("a * where", 5, "syntax"),
        ("__import__('os')", 12, "unexpected-character"),
    ],
)
def test_errors_name_the_column(text: str, column: int, rule: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse(text)
    assert info.value.column == column
    assert info.value.rule == rule
    shown = str(info.value)
    assert f"第{column}列" in shown and text in shown
