"""Report forms as data (plans/<plan>/forms/*.yaml): header block, fields, cross-field rules.

One YAML file per form, a mapping ``form: {...}`` validated by :class:`FormSpec`.  Forms shipped:
``兰白统Q1表`` 园区季报 (zone level) and ``兰白统Q2表`` 企业季报 (enterprise level); the Q marks the
quarterly period type, the digit the level (1 zone, 2 enterprise).

Cross-field rules are small linear comparisons such as ``rd_staff <= employees`` or
``industrial_va <= output_value * 1``: terms are field codes or numbers, optionally
``number * field``, joined by ``+``/``-``; comparators ``<= < >= > == !=``.  They are parsed by a tiny
tokenizer (no ``eval``).  A rule is not checked on a row where one of its fields is missing.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lanbai.core.periods import Quarter

from .problems import Problem, make_problem

FieldType = Literal["decimal", "integer", "text", "credit_code", "category", "bool", "date"]
Nature = Literal["flow", "stock"]
# 强制性审核 (hard: the file is refused) / 核实性审核 (soft: accepted as a draft; 上报 needs an explanation)
Severity = Literal["hard", "soft"]
NUMERIC_TYPES = ("decimal", "integer")
_CODE = re.compile(r"[a-z][a-z0-9_]*")


class FormError(Exception):
    """A form file is invalid; ``issues`` lists ``(file, path, rule, message)`` for every problem."""

    def __init__(self, issues: list[tuple[str, str, str, str]]):
        self.issues = issues
        super().__init__("\n".join(f"{f}: {p}: [{r}] {m}" for f, p, r, m in issues))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Implies(_Strict):
    """Choosing this value requires another category field to hold ``value`` (industry -> category)."""

    field: str
    value: str


class Choice(_Strict):
    """An allowed value of a ``category`` field: a stored code and the label shown to reporters."""

    code: str = Field(min_length=1)
    label: str = Field(min_length=1)
    implies: Implies | None = None


class RequiredIf(_Strict):
    """The field is required on rows where ``field`` equals ``equals`` (e.g. high_tech == true)."""

    field: str
    equals: bool | str


class FieldSpec(_Strict):
    """One field (column) of a form."""

    code: str
    label: str = Field(min_length=1)
    unit: str | None = None
    type: FieldType
    required: bool = False
    required_if: RequiredIf | None = None
    min: float | None = None
    max: float | None = None
    max_length: int | None = None
    choices: list[Choice] = Field(default_factory=list)
    nature: Nature | None = None  # flow (cumulative YTD) or stock (point in time); numbers only
    note: str | None = None

    @field_validator("code")
    @classmethod
    def _code(cls, v: str) -> str:
        if not _CODE.fullmatch(v):
            raise ValueError(f"field code {v!r} must be lower-case ASCII, digits and _")
        return v

    @model_validator(mode="after")
    def _consistent(self) -> FieldSpec:
        if self.type == "category" and not self.choices:
            raise ValueError(f"field {self.code}: a category field lists its choices")
        if self.type != "category" and self.choices:
            raise ValueError(f"field {self.code}: only a category field has choices")
        if self.type in NUMERIC_TYPES and self.nature is None:
            raise ValueError(f"field {self.code}: a numeric field states its nature (flow or stock)")
        if self.type not in NUMERIC_TYPES and (self.min is not None or self.max is not None or self.nature):
            raise ValueError(f"field {self.code}: min/max/nature apply to numeric fields only")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(f"field {self.code}: min {self.min} is above max {self.max}")
        return self

    @property
    def heading(self) -> str:
        """The column heading of a template: label and unit, e.g. ``营业收入（万元）``."""
        return f"{self.label}（{self.unit}）" if self.unit else self.label

    def choice_code(self, text: str) -> str | None:
        """The choice code for a label or code, None if not allowed.

        Cell text is NFKC-normalised before it gets here, so labels are compared normalised too
        (a label written with full-width brackets, 重点实验室（科技）, must still match).
        """
        for c in self.choices:
            if text in (c.code, c.label, unicodedata.normalize("NFKC", c.label)):
                return c.code
        return None


class RuleSpec(_Strict):
    """A cross-field rule: an expression, and messages for reporters."""

    code: str
    expr: str
    message_zh: str
    message_en: str | None = None
    severity: Severity = "hard"

    @field_validator("expr")
    @classmethod
    def _parses(cls, v: str) -> str:
        parse_rule(v)  # raises ValueError naming the problem
        return v


class YoyRuleSpec(_Strict):
    """同比 (year on year): ``field`` may not change by more than ``max_change`` (0.5 = 50 %) on the
    same quarter last year; soft by default (核实性审核: a large change is possible, but explained)."""

    code: str
    field: str
    max_change: float = Field(gt=0)
    severity: Severity = "soft"
    message_zh: str
    message_en: str | None = None


class ReportingSpec(_Strict):
    """The reporting calendar of a form: which periods may be reported, when they are due and lock.

    ``first_period``/``last_period`` bound the periods (no ``last_period``: up to the last ended
    quarter — the platform keeps collecting after the plan's years); a period is due
    ``deadline_days`` after its end and locks ``lock_days`` after its end (then only a
    准予逾期填报 of the 省创新办 opens it).  ``open_current``: the current quarter may be reported
    before it ends (off: a period that has not ended is in the future).
    """

    first_period: str | None = None
    last_period: str | None = None
    deadline_days: int = Field(default=15, ge=0)
    lock_days: int = Field(default=45, ge=0)
    open_current: bool = False

    @field_validator("first_period", "last_period")
    @classmethod
    def _quarter(cls, v: str | None) -> str | None:
        return None if v is None else str(Quarter.parse(v))

    @model_validator(mode="after")
    def _order(self) -> ReportingSpec:
        if self.lock_days < self.deadline_days:
            raise ValueError(f"lock_days {self.lock_days} is before deadline_days {self.deadline_days}")
        if (
            self.first_period
            and self.last_period
            and Quarter.parse(self.first_period) > Quarter.parse(self.last_period)
        ):
            raise ValueError(f"first_period {self.first_period} is after last_period {self.last_period}")
        return self


class FormSpec(_Strict):
    """A report form: its header block (表号, 制定机关, 批准文号, 有效期至), period type, level, fields, rules.

    ``version`` is stamped into every template; an upload of a lower version is refused.
    ``key`` names the field identifying a row (the enterprise's credit code); a zone form has none
    and exactly one data row.
    """

    code: str = Field(min_length=1, max_length=31)  # 表号; also the sheet name (Excel allows 31 chars)
    name: str = Field(min_length=1)
    name_en: str | None = None
    issuing_body: str = Field(min_length=1)  # 制定机关
    approval_no: str = Field(min_length=1)  # 批准文号
    valid_until: dt.date  # 有效期至
    version: int = Field(ge=1)
    period_type: Literal["quarterly"] = "quarterly"
    level: Literal["zone", "enterprise"]
    key: str | None = None
    foot: list[str] = Field(default_factory=lambda: ["单位负责人", "统计负责人", "填表人", "报出日期"])
    fields: list[FieldSpec] = Field(min_length=1)
    rules: list[RuleSpec] = Field(default_factory=list)
    yoy_rules: list[YoyRuleSpec] = Field(default_factory=list)
    reporting: ReportingSpec = Field(default_factory=ReportingSpec)
    note: str | None = None

    @field_validator("approval_no")
    @classmethod
    def _no_placeholder(cls, v: str) -> str:
        if "XX" in v.upper() or "××" in v or "**" in v:
            raise ValueError(
                f"approval_no {v!r} is a placeholder: give the approval document's number (批准文号), marked "
                "（模拟） while it is simulated"
            )
        return v

    @field_validator("code")
    @classmethod
    def _sheet_name(cls, v: str) -> str:
        if any(ch in v for ch in "[]:*?/\\"):
            raise ValueError(f"form code {v!r} cannot be a sheet name (no []:*?/\\)")
        return v

    @model_validator(mode="after")
    def _references(self) -> FormSpec:
        codes = [f.code for f in self.fields]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ValueError(f"duplicate field codes: {', '.join(dup)}")
        known = set(codes)
        if self.key is not None and self.key not in known:
            raise ValueError(f"key {self.key!r} is not a field")
        if self.level == "enterprise" and self.key is None:
            raise ValueError("an enterprise form names its key field (the credit code)")
        for f in self.fields:
            if f.required_if and f.required_if.field not in known:
                raise ValueError(f"field {f.code}: required_if names unknown field {f.required_if.field!r}")
        for f in self.fields:
            for c in f.choices:
                if c.implies is None:
                    continue
                target = c.implies.field
                if target not in known or self.field(target).type != "category":
                    raise ValueError(
                        f"field {f.code}: choice {c.code} implies unknown category field {target!r}"
                    )
                if c.implies.value not in {x.code for x in self.field(target).choices}:
                    raise ValueError(
                        f"field {f.code}: choice {c.code} implies {target}={c.implies.value!r}, not a choice"
                    )
        for r in self.rules:
            for name in parse_rule(r.expr).fields:
                if name not in known:
                    raise ValueError(f"rule {r.code}: unknown field {name!r}")
                if self.field(name).type not in NUMERIC_TYPES:
                    raise ValueError(f"rule {r.code}: field {name!r} is not numeric")
        rule_codes = [r.code for r in self.rules] + [r.code for r in self.yoy_rules]
        dup = sorted({c for c in rule_codes if rule_codes.count(c) > 1})
        if dup:
            raise ValueError(f"duplicate rule codes: {', '.join(dup)}")
        for y in self.yoy_rules:
            if y.field not in known or self.field(y.field).type not in NUMERIC_TYPES:
                raise ValueError(f"yoy rule {y.code}: {y.field!r} is not a numeric field")
        return self

    def rule_severity(self, code: str) -> str | None:
        """The severity of the rule ``code`` (a cross-field or a year-on-year rule); None if unknown."""
        candidates: list[RuleSpec | YoyRuleSpec] = [*self.rules, *self.yoy_rules]
        for r in candidates:
            if r.code == code:
                return r.severity
        return None

    def field(self, code: str) -> FieldSpec:
        for f in self.fields:
            if f.code == code:
                return f
        raise KeyError(code)

    @property
    def field_codes(self) -> list[str]:
        return [f.code for f in self.fields]


# --------------------------------------------------------------------------- rule expressions

_TOKEN = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([a-z][a-z0-9_]*)|(<=|>=|==|!=|<|>)|([+\-*]))")


@dataclass(frozen=True)
class LinearSide:
    """``sum(coef * field) + const``."""

    terms: tuple[tuple[float, str], ...]
    const: float


@dataclass(frozen=True)
class ParsedRule:
    left: LinearSide
    op: str
    right: LinearSide

    @property
    def fields(self) -> list[str]:
        return [f for _, f in self.left.terms + self.right.terms]


def _tokens(expr: str) -> list[tuple[str, str]]:
    out, pos = [], 0
    expr = expr.rstrip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if not m or m.end() == pos:
            raise ValueError(f"rule {expr!r}: unexpected text at position {pos}: {expr[pos:]!r}")
        num, name, op, arith = m.groups()
        out.append(("num", num) if num else ("name", name) if name else ("op", op) if op else ("ar", arith))
        pos = m.end()
    return out


def _side(tokens: list[tuple[str, str]], expr: str) -> LinearSide:
    if not tokens:
        raise ValueError(f"rule {expr!r}: a side of the comparison is empty")
    terms: list[tuple[float, str]] = []
    const = 0.0
    i, sign = 0, 1.0
    expect_term = True
    while i < len(tokens):
        kind, text = tokens[i]
        if expect_term:
            if kind == "ar" and text in "+-":
                sign = -sign if text == "-" else sign
                i += 1
                continue
            if kind == "num":
                if i + 2 < len(tokens) + 1 and i + 1 < len(tokens) and tokens[i + 1] == ("ar", "*"):
                    if i + 2 >= len(tokens) or tokens[i + 2][0] != "name":
                        raise ValueError(f"rule {expr!r}: '*' must be followed by a field code")
                    terms.append((sign * float(text), tokens[i + 2][1]))
                    i += 3
                else:
                    const += sign * float(text)
                    i += 1
            elif kind == "name":
                if i + 1 < len(tokens) and tokens[i + 1] == ("ar", "*"):
                    if i + 2 >= len(tokens) or tokens[i + 2][0] != "num":
                        raise ValueError(f"rule {expr!r}: only number * field products are allowed")
                    terms.append((sign * float(tokens[i + 2][1]), text))
                    i += 3
                else:
                    terms.append((sign, text))
                    i += 1
            else:
                raise ValueError(f"rule {expr!r}: expected a field or a number, got {text!r}")
            sign, expect_term = 1.0, False
        else:
            if kind == "ar" and text in "+-":
                sign = -1.0 if text == "-" else 1.0
                expect_term = True
                i += 1
            else:
                raise ValueError(f"rule {expr!r}: expected + or -, got {text!r}")
    if expect_term:
        raise ValueError(f"rule {expr!r}: ends with an operator")
    return LinearSide(tuple(terms), const)


_OP_SYMBOLS = {"<=": "≤", ">=": "≥", "==": "=", "!=": "≠", "<": "<", ">": ">"}


def readable_rule(expr: str, labels: dict[str, str] | None = None) -> str:
    """``urban_population <= resident_population`` as a person reads it: field codes replaced by
    ``labels`` (when given), comparisons by ≤ ≥ = ≠, multiplication by ×."""
    parts = []
    for kind, text in _tokens(expr):
        if kind == "name":
            parts.append((labels or {}).get(text, text))
        elif kind == "op":
            parts.append(_OP_SYMBOLS.get(text, text))
        else:
            parts.append("×" if text == "*" else text)
    return " ".join(parts)


def parse_rule(expr: str) -> ParsedRule:
    """Parse ``a + 2 * b <= c`` into a :class:`ParsedRule`; ValueError naming the problem otherwise."""
    toks = _tokens(expr)
    ops = [i for i, (k, _) in enumerate(toks) if k == "op"]
    if len(ops) != 1:
        raise ValueError(f"rule {expr!r}: exactly one comparison (<=, <, >=, >, ==, !=) is required")
    i = ops[0]
    return ParsedRule(_side(toks[:i], expr), toks[i][1], _side(toks[i + 1 :], expr))


def _eval_side(side: LinearSide, columns: dict[str, np.ndarray], n: int) -> np.ndarray:
    acc = np.full(n, side.const)
    for coef, name in side.terms:
        acc = acc + coef * columns[name]
    return acc


_CMP = {
    "<=": np.less_equal,
    "<": np.less,
    ">=": np.greater_equal,
    ">": np.greater,
    "==": np.equal,
    "!=": np.not_equal,
}


def evaluate_rule(rule: ParsedRule, columns: dict[str, np.ndarray], n: int) -> np.ndarray:
    """Vectorised: a bool array, True where the rule is broken (rows with a missing operand are not)."""
    left, right = _eval_side(rule.left, columns, n), _eval_side(rule.right, columns, n)
    known = ~(np.isnan(left) | np.isnan(right))
    # a small relative tolerance so that 0.1 + 0.2 <= 0.3 holds
    if rule.op in ("<=", ">=", "=="):
        tol = 1e-9 * np.maximum(np.abs(left), np.abs(right))
        ok = {
            "<=": left <= right + tol,
            ">=": left + tol >= right,
            "==": np.abs(left - right) <= tol,
        }[rule.op]
    else:
        ok = _CMP[rule.op](left, right)
    broken: np.ndarray = known & ~ok
    return broken


# --------------------------------------------------------------------------- loading


def load_forms(directory: str | Path) -> dict[str, FormSpec]:
    """Load every ``*.yaml`` of ``directory`` (each ``form: {...}``) into ``{code: FormSpec}``.

    Raises :class:`FormError` listing every problem with file, path and rule (``yaml``,
    ``schema``, ``duplicate_code``, ``empty``).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FormError([(str(directory), "", "missing", "forms directory not found")])
    issues: list[tuple[str, str, str, str]] = []
    forms: dict[str, FormSpec] = {}
    origin: dict[str, str] = {}
    for path in sorted(directory.glob("*.yaml")):
        name = path.name
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            issues.append((name, "", "yaml", str(exc)))
            continue
        if not isinstance(data, dict) or set(data) != {"form"}:
            issues.append((name, "", "schema", "a form file is a mapping with the single key 'form'"))
            continue
        try:
            spec = FormSpec.model_validate(data["form"])
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(p) for p in ("form", *err["loc"]))
                issues.append((name, loc, "schema", err["msg"]))
            continue
        if spec.code in forms:
            issues.append(
                (name, "form.code", "duplicate_code", f"form {spec.code} is also in {origin[spec.code]}")
            )
            continue
        forms[spec.code] = spec
        origin[spec.code] = name
    if not forms and not issues:
        issues.append((str(directory), "", "empty", "no form files (*.yaml) found"))
    if issues:
        raise FormError(issues)
    return forms


def default_forms_dir() -> Path:
    """The shipped forms: ``forms/`` of the plan directory (``$LANBAI_PLAN_DIR`` or the repository's)."""
    from lanbai.core.plan.paths import default_plan_dir

    return default_plan_dir() / "forms"


# --------------------------------------------------------------------------- year-to-date rule


def _paired_rows(
    form: FormSpec, current_rows: list[dict[str, Any]], other_rows: list[dict[str, Any]]
) -> list[tuple[int, dict[str, Any], dict[str, Any] | None]]:
    """(1-based position, row, the other period's row of the same unit or None): matched by the form's
    key, else by position — the one pairing of the year-to-date and the year-on-year rules."""
    if form.key:
        before = {r.get(form.key): r for r in other_rows if r.get(form.key) is not None}
        return [(i, r, before.get(r.get(form.key))) for i, r in enumerate(current_rows, start=1)]
    return [
        (i, r, other_rows[i - 1] if i - 1 < len(other_rows) else None)
        for i, r in enumerate(current_rows, start=1)
    ]


def check_ytd(
    form: FormSpec,
    current_rows: list[dict[str, Any]],
    previous_rows: list[dict[str, Any]],
    *,
    source: str = "",
    current_period: str | None = None,
    previous_period: str | None = None,
) -> list[Problem]:
    """Flows are cumulative within a year: a flow may not fall below the previous quarter's value.

    ``current_rows`` and ``previous_rows`` are parsed records (field code -> value) of the same
    reporting unit; enterprise rows are matched on the form's key, a zone form's single rows
    directly.  Stocks may fall.  When both periods are given and are not consecutive quarters of one
    year (e.g. Q1 after Q4), nothing is checked.  Missing values on either side are not checked.
    A problem's ``row`` is the 1-based position in ``current_rows``.
    """
    if current_period and previous_period:
        cur, before_q = Quarter.parse(current_period), Quarter.parse(previous_period)
        if cur.year != before_q.year or cur.q != before_q.q + 1:
            return []
    flows = [f for f in form.fields if f.nature == "flow"]
    out: list[Problem] = []
    for i, row, prev in _paired_rows(form, current_rows, previous_rows):
        if prev is None:
            continue
        for f in flows:
            a, b = row.get(f.code), prev.get(f.code)
            if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
                continue
            try:
                fa, fb = float(a), float(b)
            except (TypeError, ValueError):
                continue
            if fa < fb - 1e-9 * max(abs(fa), abs(fb)):
                who = f"{form.key} {row.get(form.key)}" if form.key else ""
                out.append(
                    make_problem(
                        "ytd.flow_decreased",
                        file=source,
                        row=i,
                        field=f.code,
                        label=f.label,
                        value=a,
                        detail_zh=f"{who}上期（{previous_period or '上季度'}）累计为 {b}，本年累计数不应减少".strip(),
                        detail_en=f"{who} previous cumulative value {b}; a year-to-date flow cannot fall".strip(),
                    )
                )
    return out


# --------------------------------------------------------------------------- year-on-year rules


def _number(v: Any) -> float:
    """A figure as a float; NaN for a missing, boolean or non-numeric one (not compared)."""
    if v is None or isinstance(v, bool):
        return np.nan
    try:
        return float(v)
    except (TypeError, ValueError):
        return np.nan


def _numbers(values: list[Any]) -> np.ndarray:
    """:func:`_number` of each value, at once (numbers and their texts converted in C)."""
    out = np.array(pd.to_numeric(pd.Series(values, dtype=object), errors="coerce"), dtype=float)
    flags = [i for i, v in enumerate(values) if isinstance(v, bool)]
    if flags:
        out[flags] = np.nan
    return out


def yoy_breaks(max_change: float, current: list[Any], last_year: list[Any]) -> np.ndarray:
    """Which pairs (``current[i]``, ``last_year[i]``) break a 同比 rule of bound ``max_change``: the
    change ``new / old - 1`` is larger than the bound in size.  A value missing or not a number on
    either side, or last year's 0, does not break it.  Vectorised: an import asks for 10,000 pairs."""
    a, b = _numbers(current), _numbers(last_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        change = np.abs(a / b - 1)
    breaks: np.ndarray = np.isfinite(change) & (b != 0) & (change > max_change + 1e-12)
    return breaks


def check_yoy(
    form: FormSpec,
    current_rows: list[dict[str, Any]],
    last_year_rows: list[dict[str, Any]],
    *,
    source: str = "",
    current_period: str | None = None,
    last_year_period: str | None = None,
) -> list[Problem]:
    """同比: each of the form's ``yoy_rules`` on rows of the same units a year apart.

    Rows are matched like :func:`check_ytd` (the form's key, else position).  A change is
    ``new / old - 1``; it breaks the rule when its size is above ``max_change``.  A value missing on
    either side, or last year's value 0, is not checked.  A problem has the rule's severity, its
    code as ``rule_key`` and the bound (``±50%``).  ``row`` is the 1-based position in ``current_rows``.
    """
    if not form.yoy_rules:
        return []
    if current_period and last_year_period:
        if Quarter.parse(current_period).same_quarter_last_year() != Quarter.parse(last_year_period):
            return []
    pairs = [(i, row, prev) for i, row, prev in _paired_rows(form, current_rows, last_year_rows) if prev is not None]
    # which pairs break each rule, tested at once per rule
    broken = [yoy_breaks(rule.max_change, [row.get(rule.field) for _, row, _ in pairs],
                         [prev.get(rule.field) for _, _, prev in pairs]) for rule in form.yoy_rules]
    out: list[Problem] = []
    for k, (i, row, prev) in enumerate(pairs):
        for rule, breaks in zip(form.yoy_rules, broken, strict=True):
            if not breaks[k]:
                continue
            f = form.field(rule.field)
            a, b = row.get(f.code), prev.get(f.code)
            change = _number(a) / _number(b) - 1
            bound = f"±{rule.max_change * 100:g}%"
            last = last_year_period or "上年同期"
            out.append(
                make_problem(
                    "yoy.change",
                    file=source,
                    row=i,
                    field=f.code,
                    label=f.label,
                    value=a,
                    detail_zh=f"{rule.message_zh}：上年同期（{last}）为 {b}，同比 {change * 100:+.1f}%，"
                    f"超过 {bound}",
                    detail_en=f"{rule.message_en or rule.code}: {last_year_period or 'last year'} {b}, "
                    f"{change * 100:+.1f}% year on year, beyond {bound}",
                    severity=rule.severity,
                    rule_key=rule.code,
                    bound=bound,
                )
            )
    return out
