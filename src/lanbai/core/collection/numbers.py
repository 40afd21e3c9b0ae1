"""The one number-parsing rule applied to every way in (xlsx, csv, JSON, web).

A numeric cell of a workbook (or a JSON number) is taken as is.  A text is parsed as follows
(docs/collection.md states the same rule for reporters):

1. Unicode NFKC normalisation: full-width digits and punctuation (１２３，４５６．７) become ASCII;
   surrounding spaces (including the ideographic space) are removed.
2. Empty means missing (never 0).
3. ``1234.5`` and ``-1234.5`` are accepted; thousands separators ``,`` only in groups of three
   (``1,234.5`` yes, ``12,34`` no → ``number.thousands``).
4. A trailing ``%`` is accepted only where the field's unit is ``%`` — and then ``12%`` means 12 (the
   value in the field's unit), never 0.12.  Elsewhere → ``number.percent``.
5. A number of more than 20 digits, or of absolute value 10^15 or more in the field's unit (no field of
   the forms comes near: 10^15 万元 is a thousand times the world's GDP), is refused
   (``number.too_large``) instead of being rounded or stored as infinity.
6. Anything else is refused with its own rule, never silently changed: a trailing unit such as
   ``12万元`` (``number.unit_suffix``, the message names the field's unit; values are never scaled),
   ``约12`` / ``12左右`` / ``~12`` (``number.approximate``), ``-`` / ``—`` / ``/`` / ``无`` / ``N/A``
   (``number.placeholder``: leave the cell empty instead), scientific notation and everything
   else (``number.invalid``).
"""

from __future__ import annotations

import math
import operator
import re
import unicodedata
from collections.abc import Sequence
from itertools import repeat

import numpy as np

_PLAIN = re.compile(r"[+-]?\d+(?:\.\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LOOKS_GROUPED = re.compile(r"[+-]?[\d,]*\d(?:\.\d+)?")
_UNIT_SUFFIX = re.compile(r"[+-]?[\d,]*\d(?:\.\d+)?\s*([^\d\s.,+-][^\d]*)")
_APPROX = ("约", "大约", "左右", "~", "≈", "余", "多", "近", "以上", "以下", "不足", "超过")
MAX_MAGNITUDE = 1e15  # |value| must stay below this (in the field's unit)
MAX_DIGITS = 20  # digits of a number written as text


def _too_large(text: str) -> bool:
    return sum(c.isdigit() for c in text) > MAX_DIGITS


_TOO_LARGE = "number.too_large"

_PLACEHOLDERS = {
    "-",
    "--",
    "—",
    "——",
    "/",
    "\\",
    "无",
    "n/a",
    "na",
    "null",
    "none",
    "nan",
    "#n/a",
    "…",
    "...",
}


def normalise_text(value: str) -> str:
    """NFKC-normalise and strip (full-width → ASCII, ideographic space → removed)."""
    return unicodedata.normalize("NFKC", value).strip()


def parse_number_text(text: str, *, unit: str | None = None) -> tuple[float | None, str | None, str]:
    """Parse one text by the rule above.

    Returns ``(value, rule, detail_zh)``: ``(float, None, "")`` when accepted, ``(None, None, "")``
    when empty (missing), ``(None, rule_code, detail)`` when refused.
    """
    s = normalise_text(text)
    if not s:
        return None, None, ""
    if s.endswith("%"):
        if unit == "%":
            s = s[:-1].rstrip()
        else:
            return None, "number.percent", f"该项单位为{unit or '无单位'}，请填写数字本身"
    if _PLAIN.fullmatch(s) or _GROUPED.fullmatch(s):
        if _too_large(s):
            return None, _TOO_LARGE, f"共 {sum(c.isdigit() for c in s)} 位数字"
        f = float(s.replace(",", ""))
        if abs(f) >= MAX_MAGNITUDE:
            return None, _TOO_LARGE, ""
        return f, None, ""
    if _LOOKS_GROUPED.fullmatch(s):
        return None, "number.thousands", "千位分隔符只能每三位一组，如 1,234.5"
    low = s.lower()
    if low in _PLACEHOLDERS:
        return None, "number.placeholder", "缺失请留空，不要填写占位符"
    if any(a in s for a in _APPROX):
        return None, "number.approximate", "请填写确切数值"
    m = _UNIT_SUFFIX.fullmatch(s)
    if m:
        return (
            None,
            "number.unit_suffix",
            f"请去掉“{m.group(1)}”，只填数字，计量单位为{unit or '无'}（不会自动换算）",
        )
    return None, "number.invalid", ""


def parse_number(value: object, *, unit: str | None = None) -> tuple[float | None, str | None, str]:
    """Parse one raw value (float/int from a cell or JSON, or text); same result shape as above."""
    if value is None:
        return None, None, ""
    if isinstance(value, bool):
        return None, "number.invalid", "是/否值不是数字"
    if isinstance(value, int) and abs(value) >= MAX_MAGNITUDE:  # before float(): a huge int overflows
        return None, _TOO_LARGE, ""
    if isinstance(value, (int, float)):
        f = float(value)
        if math.isnan(f) or math.isinf(f):
            return None, "number.invalid", ""
        if abs(f) >= MAX_MAGNITUDE:
            return None, _TOO_LARGE, ""
        return f, None, ""
    if isinstance(value, str):
        return parse_number_text(value, unit=unit)
    return None, "number.invalid", f"类型为{type(value).__name__}"


def parse_number_column(
    values: list[object], *, unit: str | None = None
) -> tuple[np.ndarray, list[tuple[int, str, str]]]:
    """Parse a column: a float64 array (NaN = missing or refused) and the refusals ``(index, rule, detail)``.

    Numeric cells take a vectorised path; only text cells go through the per-value rule.
    """
    out, errors, _ = parse_numbers(values, unit=unit)
    return out, errors


def parse_numbers(
    values: Sequence[object], *, unit: str | None = None
) -> tuple[np.ndarray, list[tuple[int, str, str]], bool]:
    """:func:`parse_number_column` plus whether every value was a float (then the array holds them)."""
    n = len(values)
    errors: list[tuple[int, str, str]] = []
    types = set(map(type, values))
    if types == {float}:
        out = np.fromiter(values, dtype=np.float64, count=n)
        if not (np.abs(out) < MAX_MAGNITUDE).all():  # also false for NaN and infinities
            for i in np.flatnonzero(~(np.abs(out) < MAX_MAGNITUDE)).tolist():
                errors.append((i, "number.invalid" if not np.isfinite(out[i]) else _TOO_LARGE, ""))
                out[i] = np.nan
        return out, errors, True
    out = np.full(n, np.nan)
    is_float = np.fromiter(map(float.__instancecheck__, values), dtype=bool, count=n)
    if is_float.any():
        arr = np.asarray(values, dtype=object)
        out[is_float] = arr[is_float].astype(np.float64)
        for i in np.flatnonzero(is_float & ~(np.abs(out) < MAX_MAGNITUDE)).tolist():
            errors.append((i, "number.invalid" if not np.isfinite(out[i]) else _TOO_LARGE, ""))
            out[i] = np.nan
    is_blank = np.fromiter(map(operator.eq, values, repeat("")), dtype=bool, count=n)
    for i in np.flatnonzero(~is_float & ~is_blank).tolist():
        v = values[i]
        if v is None:
            continue
        val, rule, detail = parse_number(v, unit=unit)
        if rule:
            if not isinstance(v, (str, int, float)):
                detail = detail or "日期或其他类型不是数字"
            errors.append((int(i), rule, detail))
        elif val is not None:
            out[i] = val
    return out, errors, False
