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

#: pipeline options a framework may set under ``method:`` (see docs/index.md).
METHOD_KEYS = {
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
}


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


def _node_from_record(rec: Mapping[str, Any], issues: list[FrameworkIssue], i: int) -> Node | None:
    allowed = set(Node.__dataclass_fields__)
    if not isinstance(rec, Mapping) or "code" not in rec:
        issues.append(FrameworkIssue(f"nodes[{i}]", "missing-code", "every node needs a 'code'"))
        return None
    code = str(rec["code"])
    extra = sorted(set(rec) - allowed)
    if extra:
        issues.append(
            FrameworkIssue(code, "unknown-field", f"unknown field(s) {extra}; allowed: {sorted(allowed)}")
        )
    kw = {k: rec[k] for k in rec if k in allowed}
    kw["code"] = code
    for key in ("weight",):
        if key in kw:
            try:
                kw[key] = float(kw[key])
            except (TypeError, ValueError):
                issues.append(
                    FrameworkIssue(code, "weight-number", f"weight must be a number, got {kw[key]!r}")
                )
                return None
            if not np.isfinite(kw[key]) or kw[key] < 0:
                issues.append(
                    FrameworkIssue(
                        code, "weight-non-negative", f"weight must be finite and >= 0, got {kw[key]}"
                    )
                )
    if "direction" in kw and kw["direction"] not in (1, -1):
        issues.append(
            FrameworkIssue(code, "direction", f"direction must be 1 or -1, got {kw['direction']!r}")
        )
    for k in ("parent", "denominator"):
        if k in kw and kw[k] is not None:
            kw[k] = str(kw[k])
    return Node(**kw)


def framework_from_dict(spec: Mapping[str, Any]) -> Framework:
    """Build and validate a framework from a mapping (the parsed YAML/JSON file).

    Checks: unique codes, exactly one root, parents exist, no cycle, declared ``weights_sum``
    respected, every aggregate has a child with positive weight, known method keys.
    """
    issues: list[FrameworkIssue] = []
    if not isinstance(spec, Mapping):
        raise FrameworkError([FrameworkIssue("-", "not-a-mapping", "a framework is a mapping with 'nodes'")])
    extra = sorted(set(spec) - {"code", "name", "nodes", "method", "description"})
    if extra:
        issues.append(FrameworkIssue("-", "unknown-field", f"unknown top-level field(s) {extra}"))
    recs = spec.get("nodes")
    if not isinstance(recs, list) or not recs:
        raise FrameworkError([FrameworkIssue("nodes", "missing-nodes", "'nodes' must be a non-empty list")])
    method = dict(spec.get("method") or {})
    bad = sorted(set(method) - METHOD_KEYS)
    if bad:
        issues.append(
            FrameworkIssue(
                "method", "unknown-method-key", f"unknown key(s) {bad}; allowed: {sorted(METHOD_KEYS)}"
            )
        )

    nodes: dict[str, Node] = {}
    for i, rec in enumerate(recs):
        node = _node_from_record(rec, issues, i)
        if node is None:
            continue
        if node.code in nodes:
            issues.append(FrameworkIssue(node.code, "duplicate-code", "code declared twice"))
            continue
        nodes[node.code] = node

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
