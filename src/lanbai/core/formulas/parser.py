"""A hand-written recursive-descent parser for the formula language (no ``eval``).

Grammar (whitespace between tokens is free)::

    expr     := term (("+" | "-") term)*
    term     := unary (("*" | "/") unary)*
    unary    := "-" unary | primary
    primary  := NUMBER | "(" expr ")" | ref | call
    ref      := FIELD | "ind:" INDICATOR ("." CATEGORY)?
    call     := ("prev" | "lag_year" | "yoy") "(" expr ")"
              | "convert" "(" expr "," STRING "," STRING ")"
              | "sum" "(" FIELD ("where" cond)? ")"
    cond     := conj ("or" conj)*
    conj     := neg ("and" neg)*
    neg      := "not" neg | "(" cond ")" | FIELD | FIELD ("==" | "!=") STRING
              | FIELD "in" "(" STRING ("," STRING)* ")"

``*`` and ``/`` bind tighter than ``+`` and ``-``; all four are left-associative; unary minus binds
tightest.  Names are ASCII (``[A-Za-z_][A-Za-z0-9_]*``); strings are in double quotes.

Meaning
-------
* ``FIELD``: a field of the catalogue, summed over the unit's reporters (no ``sum_children``: the
  sum over child units is implicit — fields are summed first, the formula is applied after).
* ``sum(FIELD where cond)``: an enterprise field summed over the enterprises satisfying ``cond``
  (bool fields as conditions; category / code fields compared with strings).
* ``ind:code`` / ``ind:code.category``: another indicator's formula (inlined; cycles are refused).
* ``prev(x)``: ``x`` one quarter earlier (``prev`` of 2018Q1 is 2017Q4); ``lag_year(x)``: the same
  quarter of the previous year; ``yoy(x)`` = (x − lag_year(x)) / lag_year(x) × 100, in %.
* ``convert(x, "万元", "亿元")``: ``x`` must be in the first unit; the result is in the second.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import TypeVar

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
)

FUNCTIONS_1 = ("prev", "lag_year", "yoy")
KEYWORDS = ("where", "and", "or", "not", "in")

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      |(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
      |(?P<name>[A-Za-z_][A-Za-z0-9_]*)
      |(?P<str>"[^"\n]*")
      |(?P<op>==|!=|[-+*/(),:.])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # num name str op end
    text: str
    pos: int

    @property
    def end(self) -> int:
        return self.pos + len(self.text)


def tokenize(text: str) -> list[Token]:
    """Split a formula into tokens; an unexpected character is refused with its position."""
    tokens: list[Token] = []
    i = 0
    while i < len(text):
        m = _TOKEN.match(text, i)
        if not m:
            ch = text[i]
            if ch == '"':
                raise FormulaError(text, i, "unterminated-string", "字符串缺少结束引号 / unterminated string")
            raise FormulaError(
                text, i, "unexpected-character", f"不能识别的字符 {ch!r} / unexpected character {ch!r}"
            )
        kind = m.lastgroup or ""
        if kind != "ws":
            tokens.append(Token(kind, m.group(), i))
        i = m.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.tokens = tokenize(text)
        self.i = 0

    # helpers -------------------------------------------------------------------------------
    @property
    def tok(self) -> Token:
        return self.tokens[self.i]

    def error(self, tok: Token, rule: str, message: str) -> FormulaError:
        return FormulaError(self.text, tok.pos, rule, message)

    def at(self, kind: str, text: str | None = None) -> bool:
        t = self.tok
        return t.kind == kind and (text is None or t.text == text)

    def take(self) -> Token:
        t = self.tok
        self.i += 1
        return t

    def expect(self, kind: str, text: str | None = None, what: str | None = None) -> Token:
        if not self.at(kind, text):
            want = what or (repr(text) if text else kind)
            got = "公式结尾 / end of formula" if self.tok.kind == "end" else repr(self.tok.text)
            raise self.error(
                self.tok, "syntax", f"此处应为 {want}，实际为 {got} / expected {want}, got {got}"
            )
        return self.take()

    # grammar -------------------------------------------------------------------------------
    def parse(self) -> Node:
        if self.at("end"):
            raise self.error(self.tok, "empty", "公式为空 / empty formula")
        node = self.expr()
        if not self.at("end"):
            raise self.error(
                self.tok, "syntax", f"多余的内容 {self.tok.text!r} / unexpected {self.tok.text!r}"
            )
        return node

    def expr(self) -> Node:
        node = self.term()
        while self.at("op", "+") or self.at("op", "-"):
            op = self.take().text
            right = self.term()
            node = Binary(node.pos, right.end, op, node, right)
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.at("op", "*") or self.at("op", "/"):
            op = self.take().text
            right = self.unary()
            node = Binary(node.pos, right.end, op, node, right)
        return node

    def unary(self) -> Node:
        if self.at("op", "-"):
            t = self.take()
            operand = self.unary()
            return Unary(t.pos, operand.end, "-", operand)
        return self.primary()

    def primary(self) -> Node:
        t = self.tok
        if t.kind == "num":
            self.take()
            return Num(t.pos, t.end, float(t.text))
        if t.kind == "op" and t.text == "(":
            self.take()
            inner = self.expr()
            close = self.expect("op", ")")
            return _respan(inner, t.pos, close.end)
        if t.kind == "name":
            if t.text in KEYWORDS:
                raise self.error(
                    t, "syntax", f"关键字 {t.text!r} 不能出现在这里 / keyword {t.text!r} not allowed here"
                )
            self.take()
            if t.text == "ind" and self.at("op", ":"):
                return self.indicator_ref(t)
            if self.at("op", "("):
                return self.call(t)
            return FieldRef(t.pos, t.end, t.text)
        got = "公式结尾 / end of formula" if t.kind == "end" else repr(t.text)
        raise self.error(
            t,
            "syntax",
            f"此处应为数值、字段或函数，实际为 {got} / expected a number, field or function, got {got}",
        )

    def indicator_ref(self, start: Token) -> Node:
        self.expect("op", ":")
        code = self.expect("name", what="指标代码 / an indicator code")
        category, end = "total", code.end
        if self.at("op", "."):
            self.take()
            cat = self.expect("name", what="产业分类 / a category (traditional, emerging, total)")
            category, end = cat.text, cat.end
        return IndRef(start.pos, end, code.text, category)

    def call(self, name: Token) -> Node:
        self.expect("op", "(")
        if name.text in FUNCTIONS_1:
            arg = self.expr()
            close = self.expect("op", ")")
            return Call(name.pos, close.end, name.text, (arg,))
        if name.text == "convert":
            arg = self.expr()
            self.expect("op", ",")
            a = self.expect("str", what='单位字符串 / a unit string such as "万元"')
            self.expect("op", ",")
            b = self.expect("str", what='单位字符串 / a unit string such as "亿元"')
            close = self.expect("op", ")")
            return Call(name.pos, close.end, "convert", (arg,), (a.text[1:-1], b.text[1:-1]), (a.pos, b.pos))
        if name.text == "sum":
            ft = self.expect("name", what="企业字段 / an enterprise field")
            field = FieldRef(ft.pos, ft.end, ft.text)
            where = None
            if self.at("name", "where"):
                self.take()
                where = self.cond()
            close = self.expect("op", ")")
            return FilteredSum(name.pos, close.end, field, where)
        known = ", ".join((*FUNCTIONS_1, "convert", "sum"))
        raise self.error(
            name,
            "unknown-function",
            f"未知函数 {name.text!r}（可用：{known}）/ unknown function {name.text!r}",
        )

    def cond(self) -> Pred:
        node = self.conj()
        while self.at("name", "or"):
            self.take()
            right = self.conj()
            node = PredBool(node.pos, right.end, "or", node, right)
        return node

    def conj(self) -> Pred:
        node = self.neg()
        while self.at("name", "and"):
            self.take()
            right = self.neg()
            node = PredBool(node.pos, right.end, "and", node, right)
        return node

    def neg(self) -> Pred:
        t = self.tok
        if self.at("name", "not"):
            self.take()
            operand = self.neg()
            return PredNot(t.pos, operand.end, operand)
        if self.at("op", "("):
            self.take()
            inner = self.cond()
            close = self.expect("op", ")")
            return _respan(inner, t.pos, close.end)
        ft = self.expect("name", what="条件字段 / a condition field")
        if ft.text in KEYWORDS:
            raise self.error(
                ft,
                "syntax",
                f"此处应为字段，实际为关键字 {ft.text!r} / expected a field, got keyword {ft.text!r}",
            )
        if self.at("op", "==") or self.at("op", "!="):
            op = self.take().text
            s = self.expect("str", what='字符串 / a string such as "emerging"')
            return PredCompare(ft.pos, s.end, ft.text, op, (s.text[1:-1],))
        if self.at("name", "in"):
            self.take()
            self.expect("op", "(")
            values = [self.expect("str", what="字符串 / a string").text[1:-1]]
            while self.at("op", ","):
                self.take()
                values.append(self.expect("str", what="字符串 / a string").text[1:-1])
            close = self.expect("op", ")")
            return PredCompare(ft.pos, close.end, ft.text, "in", tuple(values))
        return PredField(ft.pos, ft.end, ft.text)


N = TypeVar("N", bound=Node)


def _respan(node: N, pos: int, end: int) -> N:
    """The same node with the span of its enclosing parentheses."""
    return dataclasses.replace(node, pos=pos, end=end)


def parse(text: str) -> Node:
    """Parse a formula into its AST; raise :class:`FormulaError` with the position on bad syntax."""
    if not isinstance(text, str):
        raise TypeError(f"formula text must be a str, got {type(text).__name__}")
    return _Parser(text).parse()
