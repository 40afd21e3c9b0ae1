"""The declared schema of a framework file: every block, every key it may hold, its type, and the
parameters each method needs.  :func:`check_spec` walks a parsed framework against it and returns
problems as ``(path, rule, message)``; :mod:`.framework` turns them into :class:`FrameworkIssue`.

Paths name the node of the file, e.g. ``method.normalise``, ``nodes[7](gni_pc).normalise``,
``method.sensitivity.aggregate[1]``.  An unknown key is refused with the closest allowed key
(:func:`difflib.get_close_matches`) as a "did you mean" suggestion, because a silently ignored
misspelling changes the index (``logarithm: true`` for ``log: true`` gives Afghanistan an HDI of
0.161 instead of 0.462).  To add an option, declare it here and nowhere else.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeGuard

from .aggregate import AGGREGATORS
from .impute import IMPUTERS
from .normalise import METHODS as NORMALISERS

__all__ = [
    "AGGREGATE_PARAMS",
    "IMPUTE_PARAMS",
    "NODE_FIELDS",
    "NORMALISE_PARAMS",
    "Param",
    "METHOD_KEYS",
    "Problem",
    "TREAT_PARAMS",
    "check_spec",
    "method_block",
    "missing_parameters",
    "suggest",
]

Problem = tuple[str, str, str]  # (path, rule, message)


@dataclass(frozen=True)
class Param:
    """One key of a block: its type (``number``, ``integer``, ``boolean``, ``string``, ``code`` —
    a string or an integer, as unit and column codes —, ``choice``), bounds, and what it means."""

    kind: str
    doc: str = ""
    required: bool = False
    choices: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    high_open: bool = False
    nullable: bool = False


NUM = Param("number")
BOOL = Param("boolean")
SCALE = Param("number", "multiplier of the normalised value")

#: normalisation methods and their parameters (normalise.py); "method" itself is implied.
NORMALISE_PARAMS: dict[str, dict[str, Param]] = {
    "none": {},
    "minmax": {"lower": Param("number", "lower end of the scale"), "upper": Param("number", "upper end")},
    "zscore": {"mean": Param("number", "mean of the scale"), "sd": Param("number", "sd of the scale", low=0)},
    "goalposts": {
        "min": Param("number", "lower goalpost", required=True),
        "max": Param("number", "upper goalpost", required=True),
        "log": Param("boolean", "take logarithms of values and goalposts"),
        "truncate": Param("boolean", "cap the result to [0, 1]"),
        "scale": SCALE,
    },
    # target: here or on the indicator node (checked per indicator, see missing_parameters)
    "dist2target": {"target": Param("number", "target value"), "cap": BOOL, "scale": SCALE},
    "dist2ref": {"unit": Param("code", "reference unit", required=True), "cap": BOOL, "scale": SCALE},
    "dist2max": {"scale": SCALE},
    "fracmax": {"scale": SCALE},
    "rank": {},
    "percentile": {"scale": SCALE},
    # base_year: here or method.base_year (checked per indicator)
    "ratio_to_base": {
        "base_year": Param("integer", "base year"),
        "reference": Param("code", "'own' or the code of the reference unit"),
        "scale": SCALE,
    },
}
assert set(NORMALISE_PARAMS) == set(NORMALISERS)

IMPUTE_PARAMS: dict[str, dict[str, Param]] = {
    m: ({"group": Param("code", "group column of the data", required=True)} if m.startswith("group_") else {})
    for m in IMPUTERS
}

_WINSORISE = {
    "winmax": Param("integer", "maximum points winsorised", low=0),
    "skew": Param("number", "|skewness| threshold", low=0),
    "kurt": Param("number", "kurtosis threshold"),
    "log_fallback": Param("boolean", "log-transform when winsorising is not enough"),
}
TREAT_PARAMS: dict[str, dict[str, Param]] = {"none": {}, "winsorise": _WINSORISE, "coinr": _WINSORISE}

AGGREGATE_PARAMS: dict[str, dict[str, Param]] = {
    "arithmetic": {},
    "geometric": {},
    "harmonic": {},
    "mean_min": {"alpha": Param("number", "penalty weight", low=0, high=1), "beta": Param("number", low=0)},
    "mazziotta_pareto": {"penalty": Param("choice", choices=("negative", "positive"))},
    "median": {},
}
assert set(AGGREGATE_PARAMS) == set(AGGREGATORS)

#: blocks selected by a ``method`` key, with the method used when a mapping omits it
METHOD_BLOCKS: dict[str, tuple[dict[str, dict[str, Param]], str]] = {
    "normalise": (NORMALISE_PARAMS, "minmax"),
    "impute": (IMPUTE_PARAMS, "none"),
    "treat": (TREAT_PARAMS, "none"),
    "aggregate": (AGGREGATE_PARAMS, "arithmetic"),
}

SCREEN_FIELDS = {
    "min_coverage": Param("number", "minimum share of indicators with data", low=0, high=1),
    "stage": Param("choice", choices=("before_impute", "after_impute")),
}

TOP_FIELDS = {
    "code": Param("code"),
    "name": Param("string"),
    "description": Param("string"),
    "nodes": Param("list"),  # required: framework.py reports its absence
    "method": Param("mapping", nullable=True),
}

#: node fields; ``only`` says which node type may carry the field
NODE_FIELDS: dict[str, tuple[Param, str | None]] = {
    "code": (Param("code", required=True), None),
    "name": (Param("string"), None),
    "parent": (Param("code", nullable=True), None),
    "weight": (Param("number", low=0), None),
    "unit": (Param("string"), None),
    "direction": (Param("choice", choices=(1, -1)), "indicator"),
    "denominator": (Param("code", nullable=True), "indicator"),
    "normalise": (Param("block"), "indicator"),
    "treat": (Param("block"), "indicator"),
    "target": (Param("number", nullable=True), "indicator"),
    # the declared base year of a unit without a value in method.base_year (platform index)
    "base_year": (Param("integer", "declared base year", nullable=True), "indicator"),
    "weights_sum": (Param("number", nullable=True), "aggregate"),
    "aggregate": (Param("block"), "aggregate"),
}

#: pipeline options a framework may set under ``method:`` (see docs/index.md)
METHOD_KEYS = (
    "denominate",
    "screen",
    "impute",
    "treat",
    "normalise",
    "aggregate",
    "weights",
    "base_year",
    "on_constant",
    "sensitivity",
)
SENSITIVITY_KEYS = ("weights", "impute", "treat", "normalise", "aggregate")
WEIGHT_MODES = ("expert", "equal", "pca")
ON_CONSTANT = ("drop", "error")


# --- helpers ----------------------------------------------------------------------------------


def suggest(key: Any, allowed: Any) -> str:
    """' did you mean 'x'?' for the allowed key closest to ``key`` ('' when none is close)."""
    names = [str(a) for a in allowed]
    k = str(key)
    low = {n.lower(): n for n in names}
    hit = difflib.get_close_matches(k.lower(), list(low), n=1, cutoff=0.6)
    if not hit:
        # a longer spelling of a short key ("logarithm" for "log", "minimum" for "min")
        pre = [n for n in low if len(n) >= 3 and (k.lower().startswith(n) or n.startswith(k.lower()))]
        hit = sorted(pre, key=len, reverse=True)[:1]
    return f"; did you mean {low[hit[0]]!r}?" if hit else ""


def _typename(v: Any) -> str:
    return {bool: "boolean", int: "integer", float: "number", str: "text", list: "list", dict: "mapping"}.get(
        type(v), type(v).__name__
    )


def _type_problem(path: str, p: Param, v: Any) -> Problem | None:
    """A wrong type or an out-of-range value, or ``None``."""
    if v is None:
        return None if p.nullable else (path, "wrong-type", f"must be {_expect(p)}, got an empty value")
    got = f"got {v!r} ({_typename(v)})"
    ok: bool
    if p.kind == "number":
        ok = isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    elif p.kind == "integer":
        ok = isinstance(v, int) and not isinstance(v, bool)
    elif p.kind == "boolean":
        ok = isinstance(v, bool)
    elif p.kind == "string":
        ok = isinstance(v, str | int | float) and not isinstance(v, bool)
    elif p.kind == "code":
        ok = isinstance(v, str | int) and not isinstance(v, bool) and str(v) != ""
    elif p.kind == "choice":
        ok = any(v == c and type(v) is type(c) for c in p.choices)
        if not ok:
            return (
                path,
                "bad-value",
                f"must be one of {', '.join(map(repr, p.choices))}, {got}{suggest(v, p.choices)}",
            )
    elif p.kind == "list":
        ok = isinstance(v, list)
    elif p.kind == "mapping":
        ok = isinstance(v, Mapping)
    else:  # pragma: no cover - schema error
        raise AssertionError(p.kind)
    if not ok:
        return (path, "wrong-type", f"must be {_expect(p)}, {got}")
    if p.kind in ("number", "integer"):
        if p.low is not None and v < p.low:
            return (path, "out-of-range", f"must be >= {p.low:g}, got {v!r}")
        if p.high is not None and (v >= p.high if p.high_open else v > p.high):
            return (path, "out-of-range", f"must be {'<' if p.high_open else '<='} {p.high:g}, got {v!r}")
    return None


def _expect(p: Param) -> str:
    if p.kind == "choice":
        return "one of " + ", ".join(map(repr, p.choices))
    return {
        "number": "a number",
        "integer": "an integer",
        "boolean": "true or false",
        "string": "a text",
        "code": "a code (text)",
        "list": "a list",
        "mapping": "a mapping",
    }.get(p.kind, p.kind)


def _check_fields(
    path: str, block: Mapping[str, Any], fields: Mapping[str, Param], context: str = ""
) -> list[Problem]:
    """Unknown keys (with a suggestion), wrong types, required keys missing."""
    out: list[Problem] = []
    for k, v in block.items():
        if k not in fields:
            allowed = ", ".join(sorted(fields)) or "none"
            out.append(
                (path, "unknown-key", f"unknown key {k!r}{context}{suggest(k, fields)} (allowed: {allowed})")
            )
            continue
        prob = _type_problem(f"{path}.{k}", fields[k], v)
        if prob is not None:
            out.append(prob)
    for k, p in fields.items():
        if p.required and k not in block:
            out.append((path, "missing-parameter", f"missing required key {k!r}{context}{_doc(p)}"))
    return out


def _doc(p: Param) -> str:
    return f" ({p.doc})" if p.doc else ""


def method_block(
    path: str, what: str, spec: Any, *, default: str | None = None, allow_string: bool = True
) -> tuple[list[Problem], dict[str, Any] | None]:
    """Check a method-selected block (``normalise``, ``impute``, ``treat``, ``aggregate``): the
    method name, then the keys of that method.  Returns the problems and the block as a mapping (a
    bare method name becomes ``{"method": name}``; ``None`` when unusable).  ``default`` is the
    method a mapping without ``method`` means (``None``: the key is required)."""
    table, fallback = METHOD_BLOCKS[what]
    if isinstance(spec, str) and allow_string:
        spec = {"method": spec}
    if not isinstance(spec, Mapping):
        kinds = f"a method name ({', '.join(table)}) or a mapping" if allow_string else "a mapping"
        return [(path, "wrong-type", f"must be {kinds}, got {spec!r} ({_typename(spec)})")], None
    spec = dict(spec)
    if "method" in spec:
        meth = spec["method"]
        if not isinstance(meth, str) or meth not in table:
            return [
                (
                    f"{path}.method",
                    "bad-value",
                    f"unknown {what} method {meth!r}{suggest(meth, table)} (choose one of {', '.join(table)})",
                )
            ], None
        context = f" for {what} method {meth!r}"
    else:
        meth = default if default is not None else fallback
        context = f" for {what} method {meth!r} (the method in force: this block gives no 'method')"
    fields = {"method": Param("choice", choices=tuple(table)), **table[meth]}
    # required parameters are checked on the effective spec (missing_parameters), not here
    probs = _check_fields(
        path, spec, {k: Param(**{**p.__dict__, "required": False}) for k, p in fields.items()}, context
    )
    # unknown keys are reported and left out; the rest of the block stays usable for further checks
    spec = {k: v for k, v in spec.items() if k in fields}
    return probs, spec


def missing_parameters(path: str, spec: Mapping[str, Any], what: str, **ctx: Any) -> list[Problem]:
    """Required parameters absent from an *effective* spec (after merging node and global blocks).

    ``ctx`` supplies what may stand in for a parameter: ``target`` (the indicator node's target)
    for ``dist2target`` and ``base_year`` (``method.base_year``) for ``ratio_to_base``."""
    table, fallback = METHOD_BLOCKS[what]
    meth = spec.get("method", fallback)
    if meth not in table:
        return []
    out = [
        (path, "missing-parameter", f"{what} method {meth!r} needs {k!r}{_doc(p)}")
        for k, p in table[meth].items()
        if p.required and k not in spec
    ]
    if (
        what == "normalise"
        and meth == "dist2target"
        and spec.get("target") is None
        and ctx.get("target") is None
    ):
        out.append(
            (
                path,
                "missing-parameter",
                "normalise method 'dist2target' needs 'target' (here or the node's target)",
            )
        )
    if (
        what == "normalise"
        and meth == "ratio_to_base"
        and spec.get("base_year") is None
        and ctx.get("base_year") is None
    ):
        out.append(
            (
                path,
                "missing-parameter",
                "normalise method 'ratio_to_base' needs 'base_year' (here or method.base_year)",
            )
        )
    if what == "normalise" and meth == "goalposts" and not out:
        lo, hi = spec.get("min"), spec.get("max")
        if _is_num(lo) and _is_num(hi) and lo >= hi:
            out.append((path, "bad-value", f"goalposts need min < max, got min={lo!r}, max={hi!r}"))
        elif spec.get("log") is True and _is_num(lo) and lo <= 0:
            out.append((path, "bad-value", f"goalposts with log need min > 0, got min={lo!r}"))
    return out


def _is_num(v: Any) -> TypeGuard[int | float]:
    return isinstance(v, int | float) and not isinstance(v, bool)


# --- the walk ---------------------------------------------------------------------------------


def check_method(method: Mapping[str, Any], node_codes: list[str]) -> list[Problem]:
    """The ``method:`` block: keys, types, each sub-block, the sensitivity assumptions."""
    out: list[Problem] = []
    known = METHOD_KEYS
    for k, v in method.items():
        p = f"method.{k}"
        if k not in known:
            out.append(
                (
                    "method",
                    "unknown-key",
                    f"unknown key {k!r}{suggest(k, known)} (allowed: {', '.join(sorted(known))})",
                )
            )
        elif k == "denominate":
            out += [x for x in [_type_problem(p, BOOL, v)] if x]
        elif k == "screen":
            if isinstance(v, Mapping):
                out += _check_fields(p, v, SCREEN_FIELDS)
            else:
                out.append(
                    (p, "wrong-type", f"must be a mapping (min_coverage, stage), got {v!r} ({_typename(v)})")
                )
        elif k in METHOD_BLOCKS:
            out += method_block(p, k, v)[0]
        elif k == "weights":
            out += _check_weights(p, v, node_codes)
        elif k == "base_year":
            out += [x for x in [_type_problem(p, Param("integer", nullable=True), v)] if x]
        elif k == "on_constant":
            out += [x for x in [_type_problem(p, Param("choice", choices=ON_CONSTANT), v)] if x]
        elif k == "sensitivity":
            out += _check_sensitivity(p, v)
    return out


def _check_weights(path: str, v: Any, node_codes: list[str]) -> list[Problem]:
    if isinstance(v, str):
        if v in WEIGHT_MODES:
            return []
        return [
            (
                path,
                "bad-value",
                f"must be one of {', '.join(WEIGHT_MODES)} or a mapping node -> weight, got {v!r}{suggest(v, WEIGHT_MODES)}",
            )
        ]
    if not isinstance(v, Mapping):
        return [
            (
                path,
                "wrong-type",
                f"must be one of {', '.join(WEIGHT_MODES)} or a mapping node -> weight, got {v!r} ({_typename(v)})",
            )
        ]
    out: list[Problem] = []
    for k, w in v.items():
        if str(k) not in node_codes:
            out.append((path, "unknown-key", f"unknown node {k!r}{suggest(k, node_codes)}"))
        else:
            out += [x for x in [_type_problem(f"{path}.{k}", Param("number", low=0), w)] if x]
    return out


def _check_sensitivity(path: str, v: Any) -> list[Problem]:
    if not isinstance(v, Mapping):
        return [
            (
                path,
                "wrong-type",
                f"must be a mapping ({', '.join(SENSITIVITY_KEYS)}), got {v!r} ({_typename(v)})",
            )
        ]
    out: list[Problem] = []
    for k, alts in v.items():
        p = f"{path}.{k}"
        if k not in SENSITIVITY_KEYS:
            out.append(
                (
                    path,
                    "unknown-key",
                    f"unknown key {k!r}{suggest(k, SENSITIVITY_KEYS)} (allowed: {', '.join(SENSITIVITY_KEYS)})",
                )
            )
        elif k == "weights":
            if isinstance(alts, Mapping):
                out += _check_fields(
                    p,
                    alts,
                    {
                        "noise": Param(
                            "number", "relative half-width of the uniform draw", low=0, high=1, high_open=True
                        )
                    },
                )
            elif alts is not None:
                out.append(
                    (p, "wrong-type", f"must be a mapping {{noise: …}}, got {alts!r} ({_typename(alts)})")
                )
        elif not isinstance(alts, list):
            out.append(
                (
                    p,
                    "wrong-type",
                    f"must be a list of alternatives ('nominal' or {k} specs), got {alts!r} ({_typename(alts)})",
                )
            )
        else:
            for i, a in enumerate(alts):
                if a == "nominal":
                    continue
                probs, spec = method_block(f"{p}[{i}]", k, a)
                out += probs
                if spec is not None and k != "normalise":  # normalise: checked per indicator
                    out += missing_parameters(f"{p}[{i}]", spec, k)
    return out


def node_path(i: int, rec: Any) -> str:
    code = rec.get("code") if isinstance(rec, Mapping) else None
    return f"nodes[{i}]" + (f"({code})" if code is not None else "")


def check_node(
    i: int, rec: Mapping[str, Any], node_type: str | None, normalise_default: str
) -> tuple[list[Problem], set[str], dict[str, dict[str, Any]]]:
    """One node: keys (with suggestions), types, fields that do not belong to its type.

    ``node_type`` is ``indicator``/``aggregate`` (``None`` when unknown); ``normalise_default`` is
    the framework's normalisation method, which a node ``normalise`` block without ``method``
    adjusts.  Returns the problems, the keys refused (left out of the node) and the method blocks
    as mappings, unknown keys removed."""
    path = node_path(i, rec)
    out: list[Problem] = []
    refused: set[str] = set()
    cleaned: dict[str, dict[str, Any]] = {}
    for k, v in rec.items():
        if k not in NODE_FIELDS:
            out.append(
                (
                    path,
                    "unknown-key",
                    f"unknown key {k!r}{suggest(k, NODE_FIELDS)} (allowed: {', '.join(NODE_FIELDS)})",
                )
            )
            refused.add(k)
            continue
        p, only = NODE_FIELDS[k]
        if only is not None and node_type is not None and only != node_type and v is not None:
            out.append(
                (
                    f"{path}.{k}",
                    "wrong-node-type",
                    f"{k!r} belongs to {only} nodes and {rec.get('code')!r} is an {node_type}: it would be ignored",
                )
            )
            refused.add(k)
            continue
        if k in ("weight", "direction"):
            continue  # checked with their historical rules (framework._node_from_record)
        if p.kind == "block":
            default = (
                normalise_default if k == "normalise" else ("arithmetic" if k == "aggregate" else "winsorise")
            )
            probs, block = method_block(f"{path}.{k}", k, v, default=default)
        else:
            prob = _type_problem(f"{path}.{k}", p, v)
            probs, block = ([prob] if prob is not None else []), None
        out += probs
        if p.kind == "block":
            if block is None:
                refused.add(k)  # unusable (wrong type or unknown method)
            else:
                cleaned[k] = block
        elif probs:
            refused.add(k)
    return out, refused, cleaned


def check_spec(spec: Mapping[str, Any]) -> list[Problem]:
    """Top-level keys and types (the nodes and method blocks are checked by :mod:`.framework`)."""
    return _check_fields("framework", spec, TOP_FIELDS)
