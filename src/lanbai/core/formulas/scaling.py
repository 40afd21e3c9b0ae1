"""How an indicator scales with the length of its period (flows grow with it, stocks and ratios do not).

Monitoring compares year-to-date figures with annual targets; only indicators that scale with time
are projected to the whole year (:mod:`lanbai.core.progress.annualise`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from . import nodes as N
from .compile import FieldSpec, FormulaSet


def time_exponent(node: N.Node, fields: Mapping[str, FieldSpec], ind_exp: Callable[[str], float]) -> float:
    """The power of the period length in ``node``: 1 for a flow, 0 for a stock or a ratio of flows.

    ``ind_exp(key)`` gives the exponent of another indicator (``code`` or ``code.category``).
    """
    if isinstance(node, N.Num):
        return 0.0
    if isinstance(node, N.FieldRef):
        spec = fields.get(node.code)
        return 1.0 if spec is not None and spec.nature == "flow" else 0.0
    if isinstance(node, N.FilteredSum):
        return time_exponent(node.field, fields, ind_exp)
    if isinstance(node, N.IndRef):
        return ind_exp(node.code if node.category == "total" else f"{node.code}.{node.category}")
    if isinstance(node, N.Unary):
        return time_exponent(node.operand, fields, ind_exp)
    if isinstance(node, N.Binary):
        left, right = time_exponent(node.left, fields, ind_exp), time_exponent(node.right, fields, ind_exp)
        if node.op == "*":
            return left + right
        if node.op == "/":
            return left - right
        return max(left, right)
    if isinstance(node, N.Call):
        if node.name in ("yoy",):
            return 0.0
        return max((time_exponent(a, fields, ind_exp) for a in node.args), default=0.0)
    return 0.0


def time_scaled_indicators(fset: FormulaSet) -> frozenset[str]:
    """The formula keys whose value grows with the length of the period (exponent > 0)."""
    memo: dict[str, float] = {}

    def ind_exp(key: str) -> float:
        if key not in memo:
            memo[key] = 0.0  # a reference cycle counts as not scaling (formulas are acyclic when checked)
            f = fset.formulas.get(key)
            memo[key] = time_exponent(f.ast, fset.fields, ind_exp) if f else 0.0
        return memo[key]

    return frozenset(k for k in fset.formulas if ind_exp(k) > 0)
