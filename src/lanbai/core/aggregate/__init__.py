"""Aggregation of approved figures along the effective-dated organisation tree, followed by the
indicator formulas: one dialect-neutral SQL plan, run on DuckDB (default) or Apache Spark.  See
:mod:`lanbai.core.aggregate.engine` for the policies and :mod:`lanbai.core.aggregate.spark`."""

from .engine import BASES, ENGINES, AggregateResult, aggregate, build_sql, drop_work_tables, run
from .tree import tree_from_plan

__all__ = ["BASES", "ENGINES", "AggregateResult", "aggregate", "build_sql", "drop_work_tables", "run", "tree_from_plan"]
