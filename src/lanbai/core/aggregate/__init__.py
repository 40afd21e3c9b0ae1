"""Aggregation of approved figures along the effective-dated organisation tree (DuckDB SQL),
followed by the indicator formulas.  See :mod:`lanbai.core.aggregate.engine` for the policies."""

from .engine import BASES, AggregateResult, aggregate, build_sql
from .tree import tree_from_plan

__all__ = ["BASES", "AggregateResult", "aggregate", "build_sql", "tree_from_plan"]
