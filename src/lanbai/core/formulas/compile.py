"""Check formulas (references, units, cycles) and compile them to DuckDB SQL expressions.

Evaluation model
----------------
A formula is evaluated for one (unit, period) row of a table of *aggregated inputs*: every field
is first summed over the reporters of the unit (enterprises for enterprise fields, the unit's own
and its sub-units' reports for zone fields), and the formula is applied afterwards.  A ratio of an
aggregate is therefore always recomputed from the summed numerator and denominator, never
averaged.  ``sum(f where cond)`` is an input of its own: ``f`` summed over the enterprises of the
unit that satisfy ``cond``.

Not computable
--------------
Every formula compiles to two SQL expressions: its value and its *reason*.  The value is NULL and
the reason says why when an input is missing (``缺少数据: 地区生产总值``; ``（上期）`` /
``（上年同期）`` for ``prev`` / ``lag_year``) or a denominator is zero (``分母为零: 常住人口 = 0``).
When both happen the first in reading order is given.  A value is never replaced by 0.  A filtered
sum is NaN in the input table (NULL with ``无法分类: …`` as the reason here) when an enterprise
reported the field but not the field its condition needs: it cannot be put in or out of the sum.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .errors import FormulaError
from .nodes import (
    Binary,
    Call,
    FieldRef,
    FilteredSum,
    IndRef,
    Node,
    Num,
    Pred,
    PredBool,
    PredCompare,
    PredField,
    PredNot,
    Unary,
    walk,
)
from .parser import parse
from .units import DIMENSIONLESS, Unit, parse_unit

NUMERIC_TYPES = ("decimal", "integer")
COMPARABLE_TYPES = ("category", "code", "text")
CATEGORIES = ("traditional", "emerging", "total")
SHIFT_NAMES = {1: "上期", 4: "上年同期"}
# the words of the category codes in a ``where`` (as lanbai.core.plan's CATEGORY_NAMES, not imported:
# the plan package imports this one)
_VALUE_WORDS = {"traditional": "传统产业", "emerging": "战略性新兴产业"}


@dataclass(frozen=True)
class FieldSpec:
    """A reported field as the formula language sees it."""

    code: str
    label: str
    unit: str | None
    level: str  # enterprise | zone
    nature: str | None  # flow | stock (numeric fields)
    type: str  # decimal integer text code category bool
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormulaSpec:
    """A formula defining indicator ``code`` (for ``category``; ``total`` unless a table splits it)."""

    code: str
    expr: str
    unit: str
    category: str = "total"
    label: str | None = None

    @property
    def key(self) -> str:
        return self.code if self.category == "total" else f"{self.code}.{self.category}"


@dataclass(frozen=True)
class InputSpec:
    """One column of the aggregated-input table: a field, optionally filtered over enterprises."""

    name: str  # the column name
    field: str
    where: Pred | None
    where_text: str | None
    label: str
    level: str
    nature: str


@dataclass
class CompiledFormula:
    spec: FormulaSpec
    ast: Node
    unit: Unit
    value_sql: str = ""
    reason_sql: str = ""


@dataclass
class FormulaSet:
    """Checked, compiled formulas and the aggregated inputs they read."""

    formulas: dict[str, CompiledFormula]
    inputs: dict[str, InputSpec]
    fields: dict[str, FieldSpec]
    shifts: set[int] = field(default_factory=set)


class FormulaSetError(ValueError):
    """One or more formulas are refused; ``errors`` holds every :class:`FormulaError`."""

    def __init__(self, errors: list[FormulaError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


# ---------------------------------------------------------------------------------------------
def check_formulas(formulas: Sequence[FormulaSpec], fields: Mapping[str, FieldSpec]) -> list[FormulaError]:
    """Every problem of a set of formulas: syntax, unknown field or indicator, units, cycles."""
    try:
        compile_formulas(formulas, fields)
    except FormulaSetError as exc:
        return exc.errors
    return []


def compile_formulas(formulas: Sequence[FormulaSpec], fields: Mapping[str, FieldSpec]) -> FormulaSet:
    """Parse, check and compile ``formulas`` over the field catalogue ``fields``.

    Raises
    ------
    FormulaSetError
        listing every refused formula with its text and the position of the offending node.
    """
    errors: list[FormulaError] = []
    by_key: dict[str, FormulaSpec] = {}
    for f in formulas:
        if f.key in by_key:
            errors.append(
                FormulaError(
                    f.expr, 0, "duplicate-formula", f"指标 {f.key} 重复定义 / defined twice", formula=f.key
                )
            )
        by_key[f.key] = f
    declared: dict[str, Unit] = {}
    for key, f in by_key.items():
        try:
            declared[key] = parse_unit(f.unit)
        except ValueError as exc:
            errors.append(FormulaError(f.expr, 0, "unknown-unit", f"声明单位无效: {exc}", formula=key))
    asts: dict[str, Node] = {}
    for key, f in by_key.items():
        try:
            asts[key] = parse(f.expr)
        except FormulaError as exc:
            errors.append(exc.with_formula(key))
    checker = _Checker(fields, by_key, declared)
    units: dict[str, Unit] = {}
    for key, ast in asts.items():
        try:
            unit = checker.infer(ast, by_key[key].expr)
        except FormulaError as exc:
            errors.append(exc.with_formula(key))
            continue
        units[key] = unit
        want = declared.get(key)
        if want is not None and not unit.same(want):
            msg = (
                f"公式结果单位为 {unit.label}，但声明单位为 {by_key[key].unit}；请用 convert 显式换算"
                f" / result unit {unit.label} differs from the declared unit {by_key[key].unit}"
            )
            errors.append(FormulaError(by_key[key].expr, 0, "unit-mismatch", msg, formula=key))
    errors.extend(_cycles(asts, by_key))
    if errors:
        raise FormulaSetError(errors)

    out = FormulaSet({}, {}, dict(fields))
    compiler = _Compiler(out, asts, by_key)
    for key, ast in asts.items():
        value, reason = compiler.compile(ast, by_key[key].expr, 0)
        out.formulas[key] = CompiledFormula(by_key[key], ast, units[key], value, reason)
    return out


# unit and reference checks -------------------------------------------------------------------
class _Checker:
    def __init__(
        self, fields: Mapping[str, FieldSpec], formulas: dict[str, FormulaSpec], declared: dict[str, Unit]
    ):
        self.fields = fields
        self.formulas = formulas
        self.declared = declared

    def field(self, code: str, node: Node, text: str) -> FieldSpec:
        spec = self.fields.get(code)
        if spec is None:
            raise FormulaError(text, node.pos, "unknown-field", f"未知字段 {code!r} / unknown field {code!r}")
        return spec

    def field_unit(self, spec: FieldSpec, node: Node, text: str) -> Unit:
        if spec.type not in NUMERIC_TYPES:
            raise FormulaError(
                text,
                node.pos,
                "not-numeric",
                f"字段 {spec.code}（{spec.label}）不是数值字段（类型 {spec.type}）/ not a numeric field",
            )
        return parse_unit(spec.unit or "1")

    def infer(self, node: Node, text: str) -> Unit:
        if isinstance(node, Num):
            return DIMENSIONLESS
        if isinstance(node, FieldRef):
            return self.field_unit(self.field(node.code, node, text), node, text)
        if isinstance(node, IndRef):
            if node.category not in CATEGORIES:
                raise FormulaError(
                    text,
                    node.pos,
                    "unknown-category",
                    f"未知产业分类 {node.category!r}（可用：{', '.join(CATEGORIES)}）",
                )
            key = node.code if node.category == "total" else f"{node.code}.{node.category}"
            if key not in self.formulas:
                raise FormulaError(
                    text,
                    node.pos,
                    "unknown-indicator",
                    f"未定义公式的指标 {key!r} / no formula for indicator {key!r}",
                )
            if key not in self.declared:  # its declared unit is itself refused (reported there)
                return DIMENSIONLESS
            return self.declared[key]
        if isinstance(node, Unary):
            return self.infer(node.operand, text)
        if isinstance(node, Binary):
            a, b = self.infer(node.left, text), self.infer(node.right, text)
            if node.op in "+-":
                if not a.same(b):
                    verb = "相加" if node.op == "+" else "相减"
                    if a.same_dimension(b):
                        msg = f"单位 {a.label} 与 {b.label} 不同，不能直接{verb}，请用 convert 换算 / {a.label} {node.op} {b.label}: convert first"
                    else:
                        msg = f"单位不相容：{a.label} 不能与 {b.label} {verb} / incompatible units {a.label} {node.op} {b.label}"
                    raise FormulaError(text, node.right.pos, "unit-mismatch", msg)
                return a
            return a * b if node.op == "*" else a / b
        if isinstance(node, Call):
            u = self.infer(node.args[0], text)
            if node.name in ("prev", "lag_year"):
                return u
            if node.name == "yoy":
                return parse_unit("%")
            # convert
            try:
                src = parse_unit(node.units[0])
            except ValueError as exc:
                raise FormulaError(text, node.unit_pos[0], "unknown-unit", str(exc)) from None
            try:
                dst = parse_unit(node.units[1])
            except ValueError as exc:
                raise FormulaError(text, node.unit_pos[1], "unknown-unit", str(exc)) from None
            if not src.same_dimension(dst):
                raise FormulaError(
                    text, node.unit_pos[1], "unit-mismatch",
                    f"不能把 {node.units[0]} 换算为 {node.units[1]} / cannot convert {node.units[0]} to {node.units[1]}",
                )  # fmt: skip
            if not u.same(src):
                raise FormulaError(
                    text, node.args[0].pos, "unit-mismatch",
                    f"表达式单位为 {u.label}，不是 {node.units[0]} / the expression is in {u.label}, not {node.units[0]}",
                )  # fmt: skip
            return dst
        if isinstance(node, FilteredSum):
            spec = self.field(node.field.code, node.field, text)
            if spec.level != "enterprise":
                raise FormulaError(
                    text, node.field.pos, "not-enterprise-field",
                    f"sum(... where ...) 只能用于企业字段，{spec.code} 是{spec.level}级字段 / filtered sums need an enterprise field",
                )  # fmt: skip
            unit = self.field_unit(spec, node.field, text)
            if node.where is not None:
                self.check_pred(node.where, text)
            return unit
        raise FormulaError(text, node.pos, "syntax", "不支持的表达式 / unsupported expression")

    def check_pred(self, node: Pred, text: str) -> None:
        if isinstance(node, PredNot):
            self.check_pred(node.operand, text)
            return
        if isinstance(node, PredBool):
            self.check_pred(node.left, text)
            self.check_pred(node.right, text)
            return
        assert isinstance(node, PredField | PredCompare)
        spec = self.field(node.code, node, text)
        if spec.level != "enterprise":
            raise FormulaError(
                text,
                node.pos,
                "not-enterprise-field",
                f"条件字段 {spec.code} 不是企业字段 / condition on a non-enterprise field",
            )
        if isinstance(node, PredField):
            if spec.type != "bool":
                raise FormulaError(
                    text, node.pos, "not-bool",
                    f"字段 {spec.code} 不是是/否字段，请写比较，如 {spec.code} == \"…\" / {spec.code} is not a bool field",
                )  # fmt: skip
            return
        if spec.type not in COMPARABLE_TYPES:
            raise FormulaError(
                text,
                node.pos,
                "not-comparable",
                f"字段 {spec.code}（类型 {spec.type}）不能与字符串比较 / cannot compare with a string",
            )
        if spec.choices:
            for v in node.values:
                if v not in spec.choices:
                    raise FormulaError(
                        text, node.pos, "unknown-choice",
                        f"{v!r} 不是字段 {spec.code} 的取值（可用：{', '.join(spec.choices)}）/ not a value of {spec.code}",
                    )  # fmt: skip


def _cycles(asts: dict[str, Node], formulas: dict[str, FormulaSpec]) -> list[FormulaError]:
    refs: dict[str, list[IndRef]] = {}
    for key, ast in asts.items():
        refs[key] = [n for n in walk(ast) if isinstance(n, IndRef)]

    def key_of(r: IndRef) -> str:
        return r.code if r.category == "total" else f"{r.code}.{r.category}"

    errors: list[FormulaError] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    reported: set[frozenset[str]] = set()

    def visit(key: str, path: list[str]) -> None:
        state[key] = 1
        path.append(key)
        for r in refs.get(key, []):
            k = key_of(r)
            if k not in asts:
                continue
            if state.get(k) == 1:
                cycle = path[path.index(k) :] + [k]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    chain = " → ".join(cycle)
                    errors.append(
                        FormulaError(
                            formulas[key].expr,
                            r.pos,
                            "cycle",
                            f"指标循环引用：{chain} / cyclic reference",
                            formula=key,
                        )
                    )
            elif k not in state:
                visit(k, path)
        path.pop()
        state[key] = 2

    for key in asts:
        if key not in state:
            visit(key, [])
    return errors


# SQL -----------------------------------------------------------------------------------------
def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _canon(p: Pred) -> str:
    if isinstance(p, PredField):
        return p.code
    if isinstance(p, PredCompare):
        return f"{p.code} {p.op} {p.values!r}"
    if isinstance(p, PredNot):
        return f"not ({_canon(p.operand)})"
    assert isinstance(p, PredBool)
    return f"({_canon(p.left)}) {p.op} ({_canon(p.right)})"


def _slug(p: Pred) -> str:
    """A readable column-name part for a condition: ``category_emerging``, ``not_high_tech`` …"""
    if isinstance(p, PredField):
        text = p.code
    elif isinstance(p, PredCompare):
        text = f"{p.code}_{'' if p.op == '==' else 'not_' if p.op == '!=' else 'in_'}{'_'.join(p.values)}"
    elif isinstance(p, PredNot):
        text = f"not_{_slug(p.operand)}"
    else:
        assert isinstance(p, PredBool)
        text = f"{_slug(p.left)}_{p.op}_{_slug(p.right)}"
    return re.sub(r"[^A-Za-z0-9_]", "x", text)


def pred_sql(p: Pred) -> str:
    """The condition as SQL over a row of one enterprise's fields, in SQL's three-valued logic: NULL
    (unknown) where a field it needs is missing and the rest does not decide it."""
    if isinstance(p, PredField):
        return f"({_q(p.code)} = 1)"
    if isinstance(p, PredCompare):
        if p.op == "in":
            return f"({_q(p.code)} IN ({', '.join(_lit(v) for v in p.values)}))"
        return f"({_q(p.code)} {'=' if p.op == '==' else '<>'} {_lit(p.values[0])})"
    if isinstance(p, PredNot):
        return f"(NOT {pred_sql(p.operand)})"
    assert isinstance(p, PredBool)
    return f"({pred_sql(p.left)} {p.op.upper()} {pred_sql(p.right)})"


def column(shift: int, name: str) -> str:
    """The SQL reference of input ``name`` shifted back by ``shift`` quarters (alias ``w<shift>``)."""
    return f"w{shift}.{_q(name)}"


class _Compiler:
    def __init__(self, out: FormulaSet, asts: dict[str, Node], formulas: dict[str, FormulaSpec]):
        self.out = out
        self.asts = asts
        self.formulas = formulas
        self.canon_names: dict[tuple[str, str], str] = {}

    def input(self, code: str, where: Pred | None, text: str, node: Node) -> InputSpec:
        spec = self.out.fields[code]
        if where is None:
            name, label, wtext = code, spec.label, None
        else:
            key = (code, _canon(where))
            if key not in self.canon_names:
                name = f"{code}__{_slug(where)}"
                if name in self.canon_names.values():
                    name = f"{name}_{len(self.canon_names) + 1}"
                self.canon_names[key] = name
            name = self.canon_names[key]
            wtext = text[where.pos : where.end]
            label = f"{spec.label}（{self.where_words(where)}）"
        if name not in self.out.inputs:
            self.out.inputs[name] = InputSpec(
                name, code, where, wtext, label, spec.level, spec.nature or "flow"
            )
        return self.out.inputs[name]

    def where_words(self, pred: Pred) -> str:
        """A ``where`` condition as a person reads it: ``category == "emerging"`` → 产业类别为战略性新兴产业."""
        if isinstance(pred, PredField):
            return self.out.fields[pred.code].label
        if isinstance(pred, PredCompare):
            label = self.out.fields[pred.code].label
            values = "、".join(_VALUE_WORDS.get(v, v) for v in pred.values)
            return f"{label}{'不为' if pred.op == '!=' else '为'}{values}"
        if isinstance(pred, PredNot):
            return f"非（{self.where_words(pred.operand)}）"
        if isinstance(pred, PredBool):
            joint = "且" if pred.op == "and" else "或"
            return f"{self.where_words(pred.left)}{joint}{self.where_words(pred.right)}"
        return ""

    def describe(self, node: Node, text: str) -> str:
        if isinstance(node, FieldRef):
            return self.out.fields[node.code].label
        if isinstance(node, FilteredSum):
            return self.input(node.field.code, node.where, text, node).label
        if isinstance(node, IndRef):
            f = self.formulas[node.code if node.category == "total" else f"{node.code}.{node.category}"]
            return f.label or f.key
        return text[node.pos : node.end]

    def compile(self, node: Node, text: str, shift: int) -> tuple[str, str]:
        """(value SQL, reason SQL) of ``node`` read ``shift`` quarters back."""
        if shift:
            self.out.shifts.add(shift)
        if isinstance(node, Num):
            return f"CAST({node.value!r} AS DOUBLE)", "NULL"
        if isinstance(node, FieldRef | FilteredSum):
            spec = (
                self.input(node.code, None, text, node)
                if isinstance(node, FieldRef)
                else self.input(node.field.code, node.where, text, node)
            )
            col = column(shift, spec.name)
            when = f"（{SHIFT_NAMES.get(shift, f'前{shift}个季度')}）" if shift else ""
            missing = f"CASE WHEN {col} IS NULL THEN {_lit('缺少数据: ' + spec.label + when)}"
            if spec.where is None:
                return col, missing + " END"
            # NaN marks a filtered sum with an enterprise the condition cannot classify (see pred_sql)
            names = "、".join(
                self.out.fields[n.code].label
                for n in walk(spec.where)
                if isinstance(n, PredField | PredCompare)
            )
            unknown = _lit(f"无法分类: 有企业报送了{self.out.fields[spec.field].label}但未填报{names}{when}")
            return (
                f"(CASE WHEN isnan({col}) THEN NULL ELSE {col} END)",
                f"{missing} WHEN isnan({col}) THEN {unknown} END",
            )
        if isinstance(node, IndRef):
            key = node.code if node.category == "total" else f"{node.code}.{node.category}"
            return self.compile(self.asts[key], self.formulas[key].expr, shift)
        if isinstance(node, Unary):
            v, r = self.compile(node.operand, text, shift)
            return f"(-{v})", r
        if isinstance(node, Binary):
            a, ra = self.compile(node.left, text, shift)
            b, rb = self.compile(node.right, text, shift)
            if node.op != "/":
                return f"({a} {node.op} {b})", _coalesce(ra, rb)
            zero = _lit(f"分母为零: {self.describe(node.right, text)} = 0")
            return f"(CASE WHEN {b} = 0 THEN NULL ELSE {a} / {b} END)", _coalesce(
                ra, rb, f"CASE WHEN {b} = 0 THEN {zero} END"
            )
        if isinstance(node, Call):
            if node.name == "prev":
                return self.compile(node.args[0], text, shift + 1)
            if node.name == "lag_year":
                return self.compile(node.args[0], text, shift + 4)
            if node.name == "yoy":
                a, ra = self.compile(node.args[0], text, shift)
                b, rb = self.compile(node.args[0], text, shift + 4)
                zero = _lit(f"分母为零: 上年同期 {self.describe(node.args[0], text)} = 0")
                value = f"(CASE WHEN {b} = 0 THEN NULL ELSE ({a} - {b}) / {b} * 100.0 END)"
                return value, _coalesce(ra, rb, f"CASE WHEN {b} = 0 THEN {zero} END")
            v, r = self.compile(node.args[0], text, shift)
            factor = parse_unit(node.units[0]).scale / parse_unit(node.units[1]).scale
            return f"({v} * CAST({factor!r} AS DOUBLE))", r
        raise AssertionError(f"unexpected node {node!r}")


def _coalesce(*parts: str) -> str:
    parts = tuple(p for p in parts if p != "NULL")
    if not parts:
        return "NULL"
    return parts[0] if len(parts) == 1 else f"coalesce({', '.join(parts)})"
