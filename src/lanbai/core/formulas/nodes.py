"""The abstract syntax tree of a formula.  Every node keeps its span (``pos``, ``end``: 0-based
character offsets into the formula text) so that errors can point at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Node:
    pos: int
    end: int


@dataclass(frozen=True)
class Num(Node):
    value: float


@dataclass(frozen=True)
class FieldRef(Node):
    """A reported field, summed over the reporters of the unit (``ent_output``, ``gdp``)."""

    code: str


@dataclass(frozen=True)
class IndRef(Node):
    """Another indicator's formula: ``ind:grp`` or ``ind:output_value.emerging``."""

    code: str
    category: str = "total"


@dataclass(frozen=True)
class Unary(Node):
    op: str  # "-"
    operand: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str  # + - * /
    left: Node
    right: Node


@dataclass(frozen=True)
class Call(Node):
    """``prev(x)``, ``lag_year(x)``, ``yoy(x)``, ``convert(x, "万元", "亿元")``."""

    name: str
    args: tuple[Node, ...]
    units: tuple[str, ...] = ()  # the unit strings of convert
    unit_pos: tuple[int, ...] = ()


@dataclass(frozen=True)
class FilteredSum(Node):
    """``sum(ent_ind_va where ent_high_tech)``: an enterprise field summed over the enterprises
    of the unit that satisfy the condition."""

    field: FieldRef
    where: Pred | None


# conditions of a filtered sum --------------------------------------------------------------------
@dataclass(frozen=True)
class Pred(Node):
    pass


@dataclass(frozen=True)
class PredField(Pred):
    """A bool field used as a condition (true when the enterprise reports 1 / 是)."""

    code: str


@dataclass(frozen=True)
class PredCompare(Pred):
    """``field == "x"``, ``field != "x"``, ``field in ("a", "b")``."""

    code: str
    op: str  # == != in
    values: tuple[str, ...]


@dataclass(frozen=True)
class PredNot(Pred):
    operand: Pred


@dataclass(frozen=True)
class PredBool(Pred):
    op: str  # and / or
    left: Pred
    right: Pred


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, depth first, the node itself first."""
    yield node
    for child in children(node):
        yield from walk(child)


def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Unary):
        return (node.operand,)
    if isinstance(node, Binary):
        return (node.left, node.right)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, FilteredSum):
        return (node.field,) + ((node.where,) if node.where is not None else ())
    if isinstance(node, PredNot):
        return (node.operand,)
    if isinstance(node, PredBool):
        return (node.left, node.right)
    return ()
