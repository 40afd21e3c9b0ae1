"""The framework tree of a composite indicator, defined as data.

A framework is a tree ``index -> pillars (-> sub-indices) -> indicators``.  Every node has a code, a
parent (none for the root), a weight relative to its siblings; indicators also have a direction
(+1 higher is better, -1 lower is better) and optional per-indicator method overrides (normalisation,
treatment, denominator).  Aggregate nodes may declare ``weights_sum``: the weights of their children
must then add up to it.  :func:`framework_from_dict` validates everything and raises
:class:`FrameworkError` listing every problem with the node it concerns.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from . import schema

__all__ = [
    "Framework",
    "FrameworkError",
    "FrameworkIssue",
    "Node",
    "framework_from_dict",
    "framework_from_imeta",
    "load_framework",
]

WEIGHT_TOLERANCE = 1e-6

#: pipeline options a framework may set under ``method:`` (declared in :mod:`.schema`)
METHOD_KEYS = set(schema.METHOD_KEYS)


@dataclass(frozen=True)
class FrameworkIssue:
    """One problem of a framework: the node (or field) concerned, the rule broken, a message."""

    node: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.node}: [{self.rule}] {self.message}"


class FrameworkError(ValueError):
    """A framework is invalid; ``issues`` lists every problem found."""

    def __init__(self, issues: list[FrameworkIssue]):
        self.issues = list(issues)
        text = "; ".join(str(i) for i in self.issues)
        super().__init__(f"框架无效 / invalid framework: {text}")


@dataclass(frozen=True)
class Node:
    """A node of the framework tree."""

    code: str
    name: str = ""
    parent: str | None = None
    weight: float = 1.0
    direction: int = 1
    denominator: str | None = None
    weights_sum: float | None = None
    normalise: Mapping[str, Any] | None = None
    treat: Mapping[str, Any] | None = None
    aggregate: Mapping[str, Any] | None = None
    target: float | None = None
    unit: str = ""
    base_year: int | None = None  # declared base year where a unit has no value in method.base_year


@dataclass(frozen=True)
class Framework:
    """A validated framework: nodes, the tree, and the pipeline method options."""

    code: str
    name: str
    nodes: Mapping[str, Node]
    method: Mapping[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> str:
        return next(c for c, n in self.nodes.items() if n.parent is None)

    def children(self, code: str) -> list[str]:
        return [c for c, n in self.nodes.items() if n.parent == code]

    @property
    def indicators(self) -> list[str]:
        """Leaf codes, in declaration order."""
        parents = {n.parent for n in self.nodes.values()}
        return [c for c in self.nodes if c not in parents]

    @property
    def aggregates(self) -> list[str]:
        """Aggregate codes, children before parents (bottom-up order)."""
        leaves = set(self.indicators)
        aggs = [c for c in self.nodes if c not in leaves]
        return sorted(aggs, key=self.height)

    def depth(self, code: str) -> int:
        d, cur = 0, self.nodes[code].parent
        while cur is not None:
            d, cur = d + 1, self.nodes[cur].parent
        return d

    def height(self, code: str) -> int:
        kids = self.children(code)
        return 0 if not kids else 1 + max(self.height(k) for k in kids)

    def weights(self, code: str) -> np.ndarray:
        """Weights of the children of ``code`` as declared (not normalised)."""
        return np.array([self.nodes[c].weight for c in self.children(code)], dtype=float)


def _node_from_record(
    rec: Mapping[str, Any],
    issues: list[FrameworkIssue],
    i: int,
    node_type: str | None,
    normalise_default: str,
) -> Node | None:
    if not isinstance(rec, Mapping) or "code" not in rec:
        what = "a mapping" if not isinstance(rec, Mapping) else "a 'code'"
        issues.append(FrameworkIssue(f"nodes[{i}]", "missing-code", f"every node needs {what} (got {rec!r})"))
        return None
    problems, refused, blocks = schema.check_node(i, rec, node_type, normalise_default)
    issues.extend(FrameworkIssue(*p) for p in problems)
    code = str(rec["code"])
    where = schema.node_path(i, rec)
    # refused keys are left out, so nothing later trips over them
    kw = {k: rec[k] for k in rec if k in schema.NODE_FIELDS and k not in refused}
    kw["code"] = code
    for key in ("weight",):
        if key in kw:
            try:
                if isinstance(kw[key], bool):
                    raise TypeError
                kw[key] = float(kw[key])
            except (TypeError, ValueError):
                issues.append(
                    FrameworkIssue(
                        f"{where}.weight", "weight-number", f"weight must be a number, got {kw[key]!r}"
                    )
                )
                return None
            if not np.isfinite(kw[key]) or kw[key] < 0:
                issues.append(
                    FrameworkIssue(
                        f"{where}.weight",
                        "weight-non-negative",
                        f"weight must be finite and >= 0, got {kw[key]}",
                    )
                )
    if "direction" in kw and (isinstance(kw["direction"], bool) or kw["direction"] not in (1, -1)):
        issues.append(
            FrameworkIssue(
                f"{where}.direction", "direction", f"direction must be 1 or -1, got {kw['direction']!r}"
            )
        )
        kw.pop("direction")
    for k in ("parent", "denominator"):
        if k in kw and kw[k] is not None:
            kw[k] = str(kw[k])
    for k in ("name", "unit"):
        if k in kw:
            kw[k] = str(kw[k])
    for k in ("target", "weights_sum"):
        if kw.get(k) is not None:
            kw[k] = float(kw[k])
    if kw.get("base_year") is not None:
        kw["base_year"] = int(kw["base_year"])
    for k in ("normalise", "treat", "aggregate"):
        if k in kw:
            kw[k] = blocks[k]  # a mapping (a bare method name becomes {method: name})
    return Node(**kw)


def _global_normalise(method: Mapping[str, Any]) -> dict[str, Any]:
    """The framework's normalisation as :func:`engine.resolve_method` resolves it (default min-max)."""
    g = method.get("normalise")
    if isinstance(g, str):
        return {"method": g}
    if isinstance(g, Mapping):
        return dict(g) if "method" in g else {"method": "minmax", **g}
    return {"method": "minmax"}


def _effective_problems(
    method: Mapping[str, Any],
    nodes: Mapping[str, Node],
    paths: Mapping[str, str],
    leaves: list[str],
    skip: set[str],
) -> list[FrameworkIssue]:
    """Required parameters of the normalisation each indicator will use (its own block, or the
    framework's adjusted by it), of the framework's imputation, and of every sensitivity alternative.
    ``skip``: indicators whose own block was refused already (no second, misleading message)."""
    out: list[schema.Problem] = []
    base_year = method.get("base_year")
    alternatives = [("method.normalise", _global_normalise(method))]
    sens = method.get("sensitivity")
    if isinstance(sens, Mapping) and isinstance(sens.get("normalise"), list):
        for i, alt in enumerate(sens["normalise"]):
            if alt == "nominal":
                continue
            spec = (
                {"method": alt} if isinstance(alt, str) else dict(alt) if isinstance(alt, Mapping) else None
            )
            if spec is None:
                continue
            g = alternatives[0][1]
            if spec.get("method", g["method"]) == g["method"]:
                spec = {**g, **spec}  # same method keeps the framework's parameters (resolve_method)
            alternatives.append((f"method.sensitivity.normalise[{i}]", spec))
    for where, glob in alternatives:
        for c in leaves:
            n = nodes[c]
            if c in skip:
                continue
            if n.normalise is not None and "method" in n.normalise:
                # the node's own method: the framework's block and its alternatives do not apply
                if where == "method.normalise":
                    out += schema.missing_parameters(
                        f"{paths[c]}.normalise",
                        n.normalise,
                        "normalise",
                        target=n.target,
                        base_year=base_year,
                    )
                continue
            spec = {**glob, **(n.normalise or {})}
            for p, r, msg in schema.missing_parameters(
                where, spec, "normalise", target=n.target, base_year=base_year
            ):
                if n.normalise is not None:
                    out.append((f"{paths[c]}.normalise", r, f"{msg} [with {where}]"))
                elif "'target'" in msg:
                    out.append((paths[c], r, f"{msg} [{where}]"))
                else:
                    out.append((p, r, msg))  # the block itself lacks it: reported once
    imp = method.get("impute")
    if isinstance(imp, Mapping | str):
        out += schema.missing_parameters(
            "method.impute", {"method": imp} if isinstance(imp, str) else imp, "impute"
        )
    return [FrameworkIssue(*p) for p in dict.fromkeys(out)]  # each problem once, in order


def framework_from_dict(spec: Mapping[str, Any]) -> Framework:
    """Build and validate a framework from a mapping (the parsed YAML/JSON file).

    Checks every key of every block against the declared schema (:mod:`.schema`: unknown keys with
    a "did you mean", wrong types, missing required parameters, fields on the wrong node type), then
    the tree: unique codes, exactly one root, parents exist, no cycle, declared ``weights_sum``
    respected, every aggregate has a child with positive weight.
    """
    issues: list[FrameworkIssue] = []
    if not isinstance(spec, Mapping):
        raise FrameworkError([FrameworkIssue("-", "not-a-mapping", "a framework is a mapping with 'nodes'")])
    issues += [FrameworkIssue(*p) for p in schema.check_spec(spec)]
    recs = spec.get("nodes")
    if not isinstance(recs, list) or not recs:
        raise FrameworkError(
            issues + [FrameworkIssue("nodes", "missing-nodes", "'nodes' must be a non-empty list")]
        )
    method_raw = spec.get("method")
    method = dict(method_raw) if isinstance(method_raw, Mapping) else {}
    codes = [str(r["code"]) for r in recs if isinstance(r, Mapping) and "code" in r]
    issues += [FrameworkIssue(*p) for p in schema.check_method(method, codes)]
    parents = {str(r["parent"]) for r in recs if isinstance(r, Mapping) and r.get("parent") is not None}
    normalise_default = str(_global_normalise(method).get("method"))

    nodes: dict[str, Node] = {}
    paths: dict[str, str] = {}
    had_normalise: dict[str, bool] = {}
    for i, rec in enumerate(recs):
        code = str(rec["code"]) if isinstance(rec, Mapping) and "code" in rec else None
        node_type = None if code is None else ("aggregate" if code in parents else "indicator")
        node = _node_from_record(rec, issues, i, node_type, normalise_default)
        if node is None:
            continue
        if node.code in nodes:
            issues.append(FrameworkIssue(node.code, "duplicate-code", "code declared twice"))
            continue
        nodes[node.code] = node
        paths[node.code] = schema.node_path(i, rec)
        had_normalise[node.code] = "normalise" in rec

    roots = [c for c, n in nodes.items() if n.parent is None]
    if len(roots) != 1:
        issues.append(
            FrameworkIssue("-", "one-root", f"exactly one node without parent is required, found {roots}")
        )
    for c, n in nodes.items():
        if n.parent is not None and n.parent not in nodes:
            issues.append(
                FrameworkIssue(c, "unknown-parent", f"parent {n.parent!r} is not a node of the framework")
            )
        if n.parent == c:
            issues.append(FrameworkIssue(c, "cycle", "node is its own parent"))
    # cycles
    for c in nodes:
        seen, cur = [c], nodes[c].parent
        while cur is not None and cur in nodes:
            if cur in seen:
                cyc = seen[seen.index(cur) :] + [cur]
                issues.append(FrameworkIssue(c, "cycle", "cycle in the tree: " + " -> ".join(cyc)))
                break
            seen.append(cur)
            cur = nodes[cur].parent
    if any(i.rule == "cycle" for i in issues):
        # report each cycle once per node; stop before tree walks that would not terminate
        raise FrameworkError(issues)
    kids: dict[str, list[str]] = {}
    for c, n in nodes.items():
        if n.parent is not None:
            kids.setdefault(n.parent, []).append(c)
    for c, n in nodes.items():
        ch = kids.get(c, [])
        if n.weights_sum is not None:
            if not ch:
                issues.append(
                    FrameworkIssue(c, "weights-sum-on-leaf", "weights_sum declared on an indicator")
                )
            else:
                total = sum(nodes[k].weight for k in ch)
                if abs(total - float(n.weights_sum)) > WEIGHT_TOLERANCE:
                    issues.append(
                        FrameworkIssue(
                            c,
                            "weights-sum",
                            f"children weights sum to {total:g}, declared weights_sum {float(n.weights_sum):g} "
                            f"({', '.join(f'{k}={nodes[k].weight:g}' for k in ch)})",
                        )
                    )
        if ch and not any(nodes[k].weight > 0 for k in ch):
            issues.append(FrameworkIssue(c, "zero-weights", "all children have weight 0"))
    leaves = [c for c in nodes if c not in kids]
    # an indicator whose normalise block was refused as unusable gets no second, misleading message
    refused = {c for c in leaves if nodes[c].normalise is None and had_normalise.get(c)}
    issues += _effective_problems(method, nodes, paths, leaves, refused)
    if issues:
        raise FrameworkError(issues)
    return Framework(
        str(spec.get("code", "index")), str(spec.get("name", spec.get("code", "index"))), nodes, method
    )


def framework_from_imeta(imeta: pd.DataFrame, *, method: Mapping[str, Any] | None = None) -> Framework:
    """Build a framework from a COINr ``iMeta`` table (columns iCode, iName, Direction, Weight, Parent,
    Type, optional Denominator, Target, Unit).  Rows of type Group/Denominator are ignored."""
    need = {"iCode", "Parent", "Type"}
    miss = need - set(imeta.columns)
    if miss:
        raise FrameworkError(
            [FrameworkIssue("iMeta", "missing-column", f"columns {sorted(miss)} are required")]
        )
    rows = imeta[imeta["Type"].isin(["Indicator", "Aggregate"])]
    recs = []
    for r in rows.to_dict("records"):
        rec: dict[str, Any] = {"code": str(r["iCode"]), "name": str(r.get("iName", "") or "")}
        if isinstance(r.get("Parent"), str) and r["Parent"]:
            rec["parent"] = r["Parent"]
        if pd.notna(r.get("Weight", np.nan)):
            rec["weight"] = float(r["Weight"])
        if r["Type"] == "Indicator":
            if pd.notna(r.get("Direction", np.nan)):
                rec["direction"] = int(r["Direction"])
            if isinstance(r.get("Denominator"), str) and r["Denominator"]:
                rec["denominator"] = r["Denominator"]
            if pd.notna(r.get("Target", np.nan)):
                rec["target"] = float(r["Target"])
        if isinstance(r.get("Unit"), str):
            rec["unit"] = r["Unit"]
        recs.append(rec)
    return framework_from_dict({"code": "index", "nodes": recs, "method": dict(method or {})})


def load_framework(path: str | Path) -> Framework:
    """Read a framework file: YAML (``.yaml``/``.yml``), JSON, or a COINr-style iMeta CSV."""
    path = Path(path)
    if not path.is_file():
        raise FrameworkError([FrameworkIssue(str(path), "missing-file", "framework file does not exist")])
    if path.suffix.lower() == ".csv":
        return framework_from_imeta(pd.read_csv(path))
    text = path.read_text(encoding="utf-8")
    try:
        spec = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as exc:
        raise FrameworkError([FrameworkIssue(str(path), "syntax", str(exc).replace("\n", " "))]) from exc
    return framework_from_dict(spec)
