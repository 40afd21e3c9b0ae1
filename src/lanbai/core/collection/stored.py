"""The stored text of typed values, and the JSON object of a report's values, built column by column.

Stored text: decimals as the shortest decimal that round-trips (``1234.5``, ``100``; never an
exponent), integers as digits, booleans as ``"1"`` / ``"0"`` (so a count of 高新技术企业 is a sum),
dates as ISO text, categories as their code, missing as ``None``.

A 100,000-row file has two million values: the column functions here keep per-value work to one
C-level call where they can (``map(repr, …)``, one ``%``-template per row) instead of a Python call
per value.  ``orjson`` would serialise a dict per row faster than ``json``, but the template does
better still and needs no dependency.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, cast

_NONE = type(None)
_JSON_UNSAFE = re.compile(r'["\\\x00-\x1f]')  # what a JSON string must escape
_encode = json.encoder.encode_basestring  # the C encoder behind json.dumps(ensure_ascii=False)


def store_value(value: Any) -> str | None:
    """The stored text of one typed value (see the module docstring)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        text = repr(value)
        if "e" in text or "n" in text:  # 1e+16, inf, nan: the exact decimal expansion
            return format(Decimal(text).normalize(), "f")
        return text[:-2] if text.endswith(".0") else text
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _dense(values: list[Any], convert: Callable[[Any], str]) -> list[str | None]:
    """``convert`` over the values that are not None (None stays None)."""
    if None not in values:
        return list(map(convert, values))
    return [None if v is None else convert(v) for v in values]


def _floats(values: list[Any]) -> list[str | None]:
    reps = _dense(values, repr)
    # without None the list is all texts (the cast says so without copying it)
    joined = "|".join(r for r in reps if r is not None) if None in reps else "|".join(cast("list[str]", reps))
    if "e" in joined or "n" in joined:  # an exponent, inf or nan
        return [store_value(v) for v in values]
    return [r[:-2] if r is not None and r.endswith(".0") else r for r in reps]


def text_column(values: list[Any]) -> list[str | None]:
    """:func:`store_value` of every value of a column, with fast paths for a column of one type."""
    kinds = set(map(type, values))
    kinds.discard(_NONE)
    if kinds <= {str}:
        return list(values)
    if kinds == {int}:
        return _dense(values, str)
    if kinds == {float}:
        return _floats(values)
    if kinds == {bool}:
        return _dense(values, lambda v: "1" if v else "0")
    if kinds == {dt.date}:
        return _dense(values, dt.date.isoformat)
    return [store_value(v) for v in values]


def json_objects(columns: dict[str, list[str | None]], rows: list[int] | None = None) -> list[str]:
    """One JSON object per row (or per row of ``rows``) of stored-text columns.

    Each object is exactly ``json.dumps(dict(row), ensure_ascii=False)``.  A column without None
    and without a character JSON must escape is placed into a ``"%s"`` slot of one row template as
    it is; other columns become their JSON tokens first.
    """
    slots, args = [], []
    for code, vals in columns.items():
        if rows is not None:
            vals = [vals[i] for i in rows]
        key = _encode(code).replace("%", "%%") + ": "
        if None not in vals and not _JSON_UNSAFE.search("".join(cast("list[str]", vals))):
            slots.append(key + '"%s"')
            args.append(vals)
        else:
            slots.append(key + "%s")
            args.append(["null" if v is None else _encode(v) for v in vals])
    template = "{" + ", ".join(slots) + "}"
    if not args:
        return ["{}"] * (len(rows) if rows is not None else 0)
    return list(map(template.__mod__, zip(*args, strict=True)))
