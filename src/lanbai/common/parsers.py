"""The API's JSON parser with limits: size, nesting depth, digits and magnitude of numbers.

DRF's JSONParser hands the body to :func:`json.load` as is: a body nested 1,000 deep ends in a
RecursionError (HTTP 500), a 400-digit number becomes an int that later overflows.  This parser
refuses such bodies with a 400 that names where (``records[3].gdp``) and the limit broken.
"""

from __future__ import annotations

import json
from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_BYTES = 50_000_000  # as uploads (lanbai.collection intake)
MAX_DEPTH = 32  # a report body is 3 deep (object -> records -> record)
MAX_NUMBER_CHARS = 25  # digits, sign, point and exponent of one JSON number


class _BigNumber(str):
    """A JSON number too long (or too large) to be a figure, kept as its text until its place is known."""

    __slots__ = ()


def _int(text: str) -> Any:
    return _BigNumber(text) if len(text) > MAX_NUMBER_CHARS else int(text)


def _float(text: str) -> Any:
    if len(text) > MAX_NUMBER_CHARS:
        return _BigNumber(text)
    value = float(text)
    return value if abs(value) != float("inf") else _BigNumber(text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} 不是有效的 JSON 数值 / {name} is not a valid JSON number")


def _where(path: list[Any]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out or "(根 / root)"


def check_structure(data: Any, *, max_depth: int = MAX_DEPTH) -> None:
    """Raise ParseError when ``data`` is nested deeper than ``max_depth`` or holds a too-long number."""
    stack: list[tuple[Any, list[Any]]] = [(data, [])]
    while stack:
        node, path = stack.pop()
        if len(path) > max_depth:
            raise ParseError(
                f"JSON 嵌套过深（{_where(path)}，至多 {max_depth} 层）/ JSON nested too deep at {_where(path)} "
                f"(at most {max_depth} levels)"
            )
        if isinstance(node, _BigNumber):
            raise ParseError(
                f"{_where(path)}：数字位数过多或过大（至多 {MAX_NUMBER_CHARS} 个字符）/ {_where(path)}: number too "
                f"long or too large (at most {MAX_NUMBER_CHARS} characters)"
            )
        if isinstance(node, dict):
            stack.extend((v, [*path, k]) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, [*path, i]) for i, v in enumerate(node))


class BoundedJSONParser(JSONParser):
    """JSON bodies within :data:`MAX_BYTES`, :data:`MAX_DEPTH` and :data:`MAX_NUMBER_CHARS`."""

    def parse(self, stream, media_type=None, parser_context=None):
        raw = stream.read(MAX_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BYTES:
            raise ParseError(
                f"请求体超过 {MAX_BYTES // 1_000_000} MB / request body larger than {MAX_BYTES // 1_000_000} MB"
            )
        try:
            text = raw.decode((parser_context or {}).get("encoding") or "utf-8")
            data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_refuse_constant)
        except RecursionError:
            raise ParseError(
                f"JSON 嵌套过深（至多 {MAX_DEPTH} 层）/ JSON nested too deep (at most {MAX_DEPTH} levels)"
            ) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON 无法解析 / invalid JSON: {exc}") from None
        check_structure(data)
        return data
