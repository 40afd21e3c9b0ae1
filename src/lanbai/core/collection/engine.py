"""The one validation engine behind every way in (xlsx, csv, JSON, web).

Input is a table by column: ``{field code: list of raw values}`` where a raw value is what the
source gave (a float for a numeric cell or JSON number, a str, a bool, a date, or None / '' for
empty).  Output is typed records and every problem found.  Work is done column by column with
NumPy; only text cells of numeric columns go through the per-value number rule.

Typed values: decimal -> float, integer -> int, text/credit_code -> str, category -> the choice
code, bool -> bool, date -> datetime.date, missing -> None.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
import unicodedata
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import repeat
from typing import Any, overload

import numpy as np

from .creditcode import classify_many
from .forms import NUMERIC_TYPES, FieldSpec, FormSpec, evaluate_rule, parse_rule, readable_rule
from .numbers import normalise_text, parse_numbers
from .problems import Problem, make_problem

MAX_PROBLEMS = 10_000
_DATE_TEXT = (
    re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"),
    re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日"),
)
_FORMULA_PREFIX = ("=", "+", "-", "@", "\t", "\r")
_TRUE = {"是", "true"}
_FALSE = {"否", "false"}


def unquote(text: str) -> str:
    """Undo :func:`lanbai.core.collection.excel.neutralise`: ``'=x`` read back is ``=x``."""
    if len(text) > 1 and text[0] == "'" and text[1] in _FORMULA_PREFIX:
        return text[1:]
    return text


@dataclass
class Table:
    """Where the values come from, for messages: file, sheet, row numbers, column letters."""

    file: str
    sheet: str | None
    rows: list[int]
    letters: dict[str, str] | None = None  # field code -> Excel column letter


@dataclass
class _Collector:
    problems: list[Problem] = field(default_factory=list)
    dropped: int = 0

    def add(self, p: Problem) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(p)
        else:
            self.dropped += 1

    def finish(self, file: str) -> list[Problem]:
        if self.dropped:
            self.problems.append(
                make_problem(
                    "problems.truncated",
                    file=file,
                    detail_zh=f"另有 {self.dropped} 个问题未列出",
                    detail_en=f"{self.dropped} more problems not listed",
                )
            )
        return self.problems


def _is_empty(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _show(v: object) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


class Records(Sequence[dict[str, Any]]):
    """Typed records stored by column: a read-only sequence of dicts built on access.

    Behaves like ``list[dict]`` (len, index, slice, iterate, ``==`` with a list) while holding one list
    per field instead of one dict per row — half the memory for 100,000 rows.  ``columns`` gives the
    columnar form directly (field code -> list of values), e.g. for a bulk insert.
    """

    __slots__ = ("_codes", "_n", "columns")

    def __init__(self, columns: dict[str, list[Any]], n: int):
        self.columns = columns
        self._codes = list(columns)
        self._n = n

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> dict[str, Any]: ...
    @overload
    def __getitem__(self, i: slice) -> list[dict[str, Any]]: ...
    def __getitem__(self, i: int | slice) -> dict[str, Any] | list[dict[str, Any]]:
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self._n))]
        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        return {c: self.columns[c][i] for c in self._codes}

    def __iter__(self) -> Iterator[dict[str, Any]]:
        codes = self._codes
        for vals in zip(*(self.columns[c] for c in codes), strict=True):
            yield dict(zip(codes, vals, strict=True))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, Records)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other, strict=True))
        return NotImplemented

    # Defining __eq__ already makes Python set __hash__ to None: records are unhashable, like a list.

    def __repr__(self) -> str:
        return f"Records({self._n} rows × {len(self._codes)} fields)"


def validate_table(
    form: FormSpec, columns: dict[str, list[Any]], table: Table, *, reuse_columns: bool = False
) -> tuple[Records, list[Problem]]:
    """Validate and type a table of raw values.  Returns ``(records, problems)``.

    ``columns`` must hold every field of ``form`` (equal lengths, one entry per row of
    ``table.rows``); a field missing from ``columns`` is treated as all-empty.  The inputs are not
    changed; with ``reuse_columns`` a list of ``columns`` whose values are already typed (a decimal
    column of finite floats) becomes the records' column itself instead of a copy.
    """
    n = len(table.rows)
    col = _Collector()
    typed: dict[str, list[Any]] = {}
    numeric: dict[str, np.ndarray] = {}
    present: dict[str, np.ndarray] = {}

    def emit(
        rule: str,
        f: FieldSpec | None,
        i: int | None,
        value: object,
        dz: str = "",
        de: str = "",
        **severity: Any,
    ) -> None:
        col.add(
            make_problem(
                rule,
                file=table.file,
                sheet=table.sheet,
                row=None if i is None else table.rows[i],
                column=(table.letters or {}).get(f.code) if f else None,
                field=f.code if f else None,
                label=f.label if f else None,
                value=None if value is None else _show(value),
                detail_zh=dz,
                detail_en=de,
                **severity,
            )
        )

    for f in form.fields:
        raw = columns.get(f.code) or [None] * n
        if len(raw) != n:
            raise ValueError(f"columns[{f.code!r}] has {len(raw)} values, table has {n} rows")
        if f.type in NUMERIC_TYPES:
            arr, errs, all_float = parse_numbers(raw, unit=f.unit)
            has_value = ~np.isnan(arr)
            for i, rule, detail in errs:
                has_value[i] = True
                emit(rule, f, i, raw[i], detail, "")
            if f.type == "integer":
                frac = np.isfinite(arr) & (arr != np.floor(arr))
                for i in np.flatnonzero(frac).tolist():
                    emit("number.not_integer", f, int(i), raw[i])
                    arr[i] = np.nan
            if f.min is not None:
                for i in np.flatnonzero(arr < f.min).tolist():
                    emit("value.below_min", f, int(i), raw[i], f"下限为 {_show(f.min)}", f"minimum {f.min}")
            if f.max is not None:
                for i in np.flatnonzero(arr > f.max).tolist():
                    emit("value.above_max", f, int(i), raw[i], f"上限为 {_show(f.max)}", f"maximum {f.max}")
            numeric[f.code] = arr
            ok = ~np.isnan(arr)
            present[f.code] = has_value
            if f.type == "decimal" and all_float and ok.all():
                # every cell a finite number: keep the very float objects
                typed[f.code] = raw if reuse_columns and type(raw) is list else list(raw)
                continue
            if f.type == "integer":
                typed[f.code] = _int_values(arr, ok)
                continue
            obj = arr.astype(object)
            obj[~ok] = None
            typed[f.code] = obj.tolist()
            continue
        values: list[Any] = [None] * n
        has = np.zeros(n, dtype=bool)
        if f.type == "credit_code" and set(map(type, raw)) <= {str}:
            values, has = _credit_code_texts(f, raw, emit)
        elif f.type == "credit_code":
            texts: list[str] = []
            idx: list[int] = []
            for i, v in enumerate(raw):
                if _is_empty(v):
                    continue
                has[i] = True
                if isinstance(v, (int, float)) and not isinstance(v, bool):
                    emit(
                        "credit_code.numeric_cell",
                        f,
                        i,
                        v,
                        "请将单元格设为文本格式后重新填写",
                        "enter it as text",
                    )
                    continue
                if not isinstance(v, str):
                    emit("credit_code.format", f, i, v)
                    continue
                texts.append(normalise_text(v))
                idx.append(i)
            verdict = classify_many(texts)
            for j, i in enumerate(idx):
                if verdict[j] == 0:
                    values[i] = texts[j]
                else:
                    _emit_credit_code(emit, f, i, raw[i], verdict[j])
        elif f.type == "text" and set(map(type, raw)) <= {str}:
            values, has = _plain_texts(f, raw, emit)
        elif f.type == "text":
            for i, v in enumerate(raw):
                if type(v) is str:
                    s = v.strip()
                    if not s:
                        continue
                    has[i] = True
                    if s[0] == "'":
                        s = unquote(s)
                    if f.max_length is not None and len(s) > f.max_length:
                        emit(
                            "value.too_long",
                            f,
                            i,
                            v,
                            f"最多 {f.max_length} 个字符",
                            f"at most {f.max_length}",
                        )
                    else:
                        values[i] = s
                elif v is not None:
                    has[i] = True
                    value, refusal, detail = _parse_scalar(f, v)
                    if refusal:
                        emit(refusal, f, i, v, detail)
                    else:
                        values[i] = value
        else:
            values, has = _parse_coded(f, raw, emit)
        typed[f.code] = values
        present[f.code] = has

    # required / required_if
    for f in form.fields:
        need = np.full(n, f.required)
        if f.required_if:
            cond = f.required_if
            ref = typed[cond.field]
            equal = np.fromiter(map(operator.eq, ref, repeat(cond.equals)), dtype=bool, count=n)
            if type(cond.equals) not in (bool, str, int, float):  # None == x is False for these
                equal &= np.fromiter(map(operator.is_not, ref, repeat(None)), dtype=bool, count=n)
            need = need | equal
        missing = need & ~present[f.code]
        for i in np.flatnonzero(missing).tolist():
            dz = ""
            if f.required_if and not f.required:
                ref_label = form.field(f.required_if.field).label
                dz = f"“{ref_label}”为“{_label_of(form.field(f.required_if.field), f.required_if.equals)}”时必填"
            emit("value.required", f, int(i), None, dz, "")

    # choices implying another field's value (industry -> category)
    for f in form.fields:
        implied = {c.code: (c.label, c.implies) for c in f.choices if c.implies}
        if not implied:
            continue
        vals = typed[f.code]
        for i in _inconsistent_rows(vals, implied, typed, n):
            v = vals[i]
            hit = implied.get(v)
            if hit is None:
                continue
            label, imp = hit
            other = typed[imp.field][i]
            if other is not None and other != imp.value:
                target = form.field(imp.field)
                want = next(c.label for c in target.choices if c.code == imp.value)
                emit(
                    "choice.inconsistent",
                    target,
                    i,
                    (columns.get(imp.field) or [None] * n)[i],
                    f"{f.label}“{label}”属于“{want}”",
                    f"{f.code} {v} implies {imp.field} {imp.value}",
                )

    # cross-field rules (vectorised)
    labels = {f.code: f.label for f in form.fields}
    for r in form.rules:
        parsed = parse_rule(r.expr)
        broken = evaluate_rule(parsed, numeric, n)
        first = form.field(parsed.fields[0])
        for i in np.flatnonzero(broken).tolist():
            shown = ", ".join(
                f"{labels.get(name, name)}={_show(numeric[name][i])}" for name in dict.fromkeys(parsed.fields)
            )
            emit(
                "rule.cross_field",
                first,
                int(i),
                shown,
                f"{r.message_zh}（{readable_rule(r.expr, labels)}）",
                f"{r.message_en or r.code} ({readable_rule(r.expr)})",
                severity=r.severity,
                rule_key=r.code,
                bound=r.expr,
            )

    # duplicate keys
    if form.key and _has_duplicates(typed[form.key]):
        keyf = form.field(form.key)
        seen: dict[str, int] = {}
        for i, v in enumerate(typed[form.key]):
            if v is None:
                continue
            if v in seen:
                emit(
                    "rows.duplicate",
                    keyf,
                    i,
                    v,
                    f"与第 {table.rows[seen[v]]} 行重复",
                    f"same as row {table.rows[seen[v]]}",
                )
            else:
                seen[v] = i

    codes = form.field_codes
    records = Records({c: typed[c] for c in codes}, n)
    order = {c: k for k, c in enumerate(codes)}
    col.problems.sort(key=lambda p: (p.row or 0, order.get(p.field or "", len(order))))
    return records, col.finish(table.file)


def _parse_coded(f: FieldSpec, raw: list[Any], emit: Any) -> tuple[list[Any], np.ndarray]:
    """Category / bool / date columns: parse each distinct value once, then map (few distinct values)."""
    n = len(raw)
    types = set(map(type, raw))
    # True == 1.0 in a dict: when booleans and numbers are mixed, key on (type, value)
    mixed = bool in types and (float in types or int in types)
    keys = list(zip(map(type, raw), raw, strict=True)) if mixed else raw
    # one parse per distinct value; no tuple per value is kept (few new GC-tracked objects)
    value_of: dict[Any, Any] = {}
    filled: dict[Any, bool] = {}
    refused: dict[Any, tuple[str, str]] = {}
    for k in set(keys):
        v = k[1] if mixed else k
        if v is None or (type(v) is str and not v.strip()):
            value_of[k], filled[k] = None, False
            continue
        value, rule, detail = _parse_scalar(f, v)
        value_of[k], filled[k] = value, not (value is None and rule is None)
        if rule:
            refused[k] = (rule, detail)
    # the lookups below run in C (map over a dict's __getitem__), with the same key semantics
    if all(value is k for k, value in value_of.items()):  # e.g. dates: every value is its own typed value
        values = list(raw)
    else:
        values = list(map(value_of.__getitem__, keys))
    if all(filled.values()):
        has = np.ones(n, dtype=bool)
    else:
        has = np.fromiter(map(filled.__getitem__, keys), dtype=bool, count=n)
    if refused:
        for i in np.flatnonzero(np.fromiter(map(refused.__contains__, keys), dtype=bool, count=n)).tolist():
            rule, detail = refused[keys[i]]
            emit(rule, f, i, raw[i], detail)
    return values, has


def _int_values(arr: np.ndarray, ok: np.ndarray) -> list[Any]:
    """An integer column's typed values: ``int`` where ``ok``, else None (as ``int(float)`` would give)."""
    good = arr[ok]
    if good.size and not (np.isfinite(good).all() and np.abs(good).max() < 2.0**62):
        obj = arr.astype(object)  # huge or infinite values: the per-value path (int(inf) raises as before)
        obj[~ok] = None
        return [None if v is None else int(v) for v in obj.tolist()]
    if ok.all():
        ints: list[Any] = arr.astype(np.int64).tolist()
        return ints
    obj = np.where(ok, arr, 0.0).astype(np.int64).astype(object)
    obj[~ok] = None
    with_none: list[Any] = obj.tolist()
    return with_none


def _emit_credit_code(emit: Any, f: FieldSpec, i: int, value: Any, verdict: int) -> None:
    """The problem of a credit code that :func:`classify_many` judged malformed (1) or wrong (2)."""
    if verdict == 1:
        emit(
            "credit_code.format",
            f,
            i,
            value,
            "应为18位数字或大写字母（不含I、O、S、V、Z）",
            "18 digits or capital letters without I, O, S, V, Z",
        )
    else:
        emit("credit_code.check", f, i, value, "最后一位校验码与前17位不符", "check character mismatch")


def _credit_code_texts(f: FieldSpec, raw: Sequence[str], emit: Any) -> tuple[list[Any], np.ndarray]:
    """A credit-code column holding only texts ('' = empty): the vectorised form of the general loop."""
    n = len(raw)
    stripped = list(map(str.strip, raw))
    has = np.fromiter(map(len, stripped), dtype=np.int64, count=n) > 0
    idx = np.flatnonzero(has)
    if idx.size == n:
        src, texts = raw, stripped
    else:
        keep = idx.tolist()
        src, texts = list(map(raw.__getitem__, keep)), list(map(stripped.__getitem__, keep))
    if not "".join(src).isascii():  # NFKC leaves ASCII unchanged
        texts = list(map(str.strip, map(partial(unicodedata.normalize, "NFKC"), src)))
    verdict = classify_many(texts)
    bad = np.flatnonzero(verdict)
    for j in bad.tolist():
        i = int(idx[j])
        _emit_credit_code(emit, f, i, raw[i], verdict[j])
    if idx.size == n and bad.size == 0:
        return texts, has
    good = verdict == 0
    values = np.full(n, None, dtype=object)
    values[idx[good]] = np.array(texts, dtype=object)[good]
    return values.tolist(), has


def _plain_texts(f: FieldSpec, raw: Sequence[str], emit: Any) -> tuple[list[Any], np.ndarray]:
    """A text column holding only texts ('' = empty): the vectorised form of the general loop."""
    n = len(raw)
    stripped = list(map(str.strip, raw))
    lengths = np.fromiter(map(len, stripped), dtype=np.int64, count=n)
    has = lengths > 0
    if "'" in "\n".join(stripped):  # rare: a quoted text (see unquote)
        quoted = np.fromiter(map(operator.methodcaller("startswith", "'"), stripped), dtype=bool, count=n)
        for i in np.flatnonzero(quoted).tolist():
            stripped[i] = unquote(stripped[i])
            lengths[i] = len(stripped[i])
    too_long = np.zeros(n, dtype=bool)
    if f.max_length is not None:
        too_long = has & (lengths > f.max_length)
        for i in np.flatnonzero(too_long).tolist():
            emit("value.too_long", f, i, raw[i], f"最多 {f.max_length} 个字符", f"at most {f.max_length}")
    if has.all() and not too_long.any():
        return stripped, has
    values = np.array(stripped, dtype=object)
    values[~has | too_long] = None
    return values.tolist(), has


def _inconsistent_rows(
    vals: list[Any], implied: dict[str, Any], typed: dict[str, list[Any]], n: int
) -> list[int]:
    """Rows (ascending) that may break a choice's implication: a superset, the caller checks each."""
    wanted: dict[str, dict[str, Any]] = {}  # target field -> {choice code: implied value}
    for code, (_, imp) in implied.items():
        wanted.setdefault(imp.field, {})[code] = imp.value
    out = np.zeros(n, dtype=bool)
    for target, want in wanted.items():
        other = typed[target]
        # the implied value where the choice implies one, else the row's own value (never a mismatch)
        expected = map(want.get, vals, other)
        out |= np.fromiter(map(operator.ne, other, expected), dtype=bool, count=n)
    return np.flatnonzero(out).tolist()


def _has_duplicates(values: list[Any]) -> bool:
    """True when a non-None value occurs twice (set semantics, as the dict of the duplicate check)."""
    distinct = set(values)
    return len(distinct) - (None in distinct) != len(values) - values.count(None)


def _label_of(f: FieldSpec, value: object) -> str:
    if f.type == "bool":
        return "是" if value is True else "否" if value is False else str(value)
    return str(value)


def _parse_scalar(f: FieldSpec, v: object) -> tuple[Any, str | None, str]:
    """One non-empty raw value of a non-numeric, non-credit-code field -> (value, rule, detail)."""
    if f.type == "text":
        if isinstance(v, bool) or isinstance(v, (dt.date, dt.datetime)):
            return None, "value.not_text", ""
        if isinstance(v, (int, float)):
            text = _show(v)
        elif isinstance(v, str):
            text = unquote(v.strip())
        else:
            return None, "value.not_text", ""
        if f.max_length is not None and len(text) > f.max_length:
            return None, "value.too_long", f"最多 {f.max_length} 个字符"
        return text, None, ""
    if f.type == "category":
        if not isinstance(v, str):
            return None, "choice.invalid", "可选：" + "、".join(c.label for c in f.choices)
        code = f.choice_code(normalise_text(v))
        if code is None:
            return None, "choice.invalid", "可选：" + "、".join(c.label for c in f.choices)
        return code, None, ""
    if f.type == "bool":
        if isinstance(v, bool):
            return v, None, ""
        if isinstance(v, str):
            s = normalise_text(v).lower()
            if s in _TRUE:
                return True, None, ""
            if s in _FALSE:
                return False, None, ""
        return None, "bool.invalid", ""
    if f.type == "date":
        if isinstance(v, dt.datetime):
            if v.time() != dt.time(0):
                return None, "date.invalid", "应为日期，不含时间"
            return v.date(), None, ""
        if isinstance(v, dt.date):
            return v, None, ""
        if isinstance(v, str):
            s = normalise_text(v)
            for pat in _DATE_TEXT:
                m = pat.fullmatch(s)
                if m:
                    try:
                        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))), None, ""
                    except ValueError:
                        return None, "date.invalid", "日期不存在"
        return None, "date.invalid", "格式如 2019-12-31"
    raise AssertionError(f"unhandled field type {f.type}")


@dataclass
class ParsedFile:
    """The result of reading one file (or one batch of records).

    ``records`` are typed records (field code -> value, see the module docstring), ``row_numbers``
    the source row of each record (Excel/CSV row, or 1-based record number).  ``problems`` lists
    every problem found; the file is acceptable only when it is empty (:attr:`ok`).  File-level
    refusals (wrong form, not an xlsx …) leave ``records`` empty.  ``notices`` are informational
    (e.g. the CSV was decoded as GB18030).  ``prefetched`` holds what the ``while_reading`` callback
    of :func:`~lanbai.core.collection.excel.read_workbook` returned (None without one).
    """

    filename: str
    form_code: str | None
    form_version: int | None
    period: str | None
    unit_code: str | None
    records: Sequence[dict[str, Any]] = field(default_factory=list)  # a Records (columnar) or a list
    problems: list[Problem] = field(default_factory=list)
    row_numbers: list[int] = field(default_factory=list)
    sheet: str | None = None
    unit_name: str | None = None
    encoding: str | None = None
    notices: list[str] = field(default_factory=list)
    prefetched: Any = None

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems

    @property
    def rules(self) -> list[str]:
        """The rule codes of the problems, in order (handy in tests and summaries)."""
        return [p.rule for p in self.problems]


def parse_records(form: FormSpec, records: list[dict[str, Any]], *, source: str) -> ParsedFile:
    """Validate records from JSON or the web entry form with the same engine as the files.

    ``records`` are mappings of field code -> raw value (JSON numbers, strings, booleans, None);
    an unknown key is a problem (``layout.unknown_column``).  Rows are numbered 1, 2, … as given.
    Inputs are not mutated.
    """
    if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
        raise TypeError("records must be a list of dicts (field code -> value)")
    table = Table(file=source, sheet=None, rows=list(range(1, len(records) + 1)))
    known = set(form.field_codes)
    extra: list[Problem] = []
    for i, r in enumerate(records, start=1):
        for k in r:
            if k not in known:
                extra.append(
                    make_problem(
                        "layout.unknown_column",
                        file=source,
                        row=i,
                        field=str(k),
                        value=r[k],
                        detail_zh=f"表 {form.code} 没有字段 {k}",
                        detail_en=f"form {form.code} has no field {k}",
                    )
                )
    columns = {c: [r.get(c) for r in records] for c in form.field_codes}
    parsed, problems = validate_table(form, columns, table)
    if form.level == "zone" and len(records) > 1:
        problems.append(
            make_problem("rows.too_many", file=source, value=len(records), detail_zh="园区表只填一行")
        )
    if not records:
        problems.append(make_problem("file.no_data", file=source))
    return ParsedFile(
        filename=source,
        form_code=form.code,
        form_version=form.version,
        period=None,
        unit_code=None,
        records=parsed,
        problems=extra + problems,
        row_numbers=table.rows,
    )


def validate_records(form: FormSpec, records: list[dict[str, Any]], *, source: str) -> list[Problem]:
    """Every problem of ``records`` (JSON / web entry); the same engine as xlsx and csv."""
    return parse_records(form, records, source=source).problems
