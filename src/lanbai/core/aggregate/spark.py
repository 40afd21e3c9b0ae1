"""The aggregation statements on Apache Spark: the same SQL as on DuckDB, rendered with sqlglot.

:mod:`lanbai.core.aggregate.engine` writes every statement once, in DuckDB's dialect restricted
to constructs both engines mean the same way.  Here each statement is parsed with sqlglot
(``read="duckdb"``) and written as Spark SQL; ``CREATE TEMP TABLE x AS q`` becomes the DataFrame
of ``q`` materialised (local checkpoint, or cache where that is not available) and registered as
the temporary view ``x``; ``CREATE TEMP VIEW`` a plain temporary view; ``DROP TABLE`` drops the
view.  Inputs given as pandas / Arrow become temporary views.  docs/scale.md lists the semantic
normalisations (NULL vs NaN, division by zero, dates, ANSI mode).

Imports of pyspark and sqlglot stay inside this module: the DuckDB path needs neither.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from sqlglot import exp

# Settings for a local session (the test suite, a single machine): few shuffle partitions for
# small data, no UI, dates in UTC so a timestamp read from pandas is the same calendar day.
LOCAL_CONF = {
    "spark.sql.shuffle.partitions": "4",
    "spark.default.parallelism": "2",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    "spark.sql.adaptive.enabled": "true",
}
# Settings that change results, applied to every session, local or remote (docs/scale.md).
SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    # The SQL guards every division and cast itself; ANSI mode stays on (Spark 4's default) so a
    # statement that relied on a silent NULL would fail loudly instead of differing from DuckDB.
    "spark.sql.ansi.enabled": "true",
}


def spark_session(remote: str | None = None, *, master: str = "local[2]", conf: dict[str, str] | None = None) -> SparkSession:
    """A SparkSession: Spark Connect to ``remote`` (``sc://host:15002``) when given, else PySpark
    local mode on this machine (``master``)."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("lanbai-aggregate")
    if remote:
        builder = builder.remote(remote)
    else:
        builder = builder.master(master)
        for key, value in LOCAL_CONF.items():
            builder = builder.config(key, value)
    for key, value in {**SESSION_CONF, **(conf or {})}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    for key, value in SESSION_CONF.items():  # getOrCreate may return an existing session
        session.conf.set(key, value)
    return session


def to_spark_sql(sql: str) -> str:
    """One DuckDB statement of the engine as Spark SQL."""
    import sqlglot

    return sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)[0]


def _arrow_for_spark(obj: Any) -> pa.Table:
    """A pandas frame / Arrow table as an Arrow table Spark reads with the same meaning: columns of
    no type (all NULL) become text, naive timestamps become dates (the engine compares days only)."""
    table = (
        obj if isinstance(obj, pa.Table) else pa.Table.from_pandas(pd.DataFrame(obj), preserve_index=False)
    )
    fields, arrays = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_null(field.type):
            column = column.cast(pa.string())
        elif pa.types.is_timestamp(field.type) and field.type.tz is None:
            column = column.cast(pa.date32(), safe=False)
        elif pa.types.is_large_string(field.type) or pa.types.is_string_view(field.type):
            column = column.cast(pa.string())
        elif pa.types.is_dictionary(field.type):
            column = column.cast(field.type.value_type)
        fields.append(pa.field(field.name, column.type))
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=pa.schema(fields))


def _table_name(tree: exp.Expression) -> str:
    """The name of the (first) table a CREATE / DROP statement names."""
    from sqlglot import exp

    table = tree.find(exp.Table)
    if table is None:
        raise ValueError(f"the statement names no table: {tree.sql()}")
    return table.name


class SparkBackend:
    """Runs the engine's statements on a SparkSession (same interface as ``DuckDBBackend``)."""

    name = "spark"

    def __init__(self, spark: Any):
        self.spark = spark
        self._frames: dict[str, Any] = {}  # materialised temporary tables, to unpersist
        self._views: list[str] = []

    def register(self, name: str, obj: Any) -> str:
        if isinstance(obj, str):
            return obj
        if hasattr(obj, "createOrReplaceTempView"):  # already a Spark DataFrame
            df = obj
        else:
            df = self.spark.createDataFrame(_arrow_for_spark(obj))
        df.createOrReplaceTempView(name)
        self._views.append(name)
        return name

    def columns(self, table: str) -> list[str]:
        return list(self.spark.table(table).columns)

    def execute(self, sql: str) -> None:
        import sqlglot
        from sqlglot import exp

        tree = sqlglot.parse_one(sql, read="duckdb")
        if isinstance(tree, exp.Create) and tree.kind in ("TABLE", "VIEW") and tree.expression is not None:
            name = _table_name(tree)
            query = tree.expression.sql(dialect="spark", unsupported_level=sqlglot.ErrorLevel.RAISE)
            df = self.spark.sql(query)
            if tree.kind == "TABLE":
                df = self._materialise(df)
                self._drop(name)
                self._frames[name] = df
            df.createOrReplaceTempView(name)
            self._views.append(name)
            return
        if isinstance(tree, exp.Drop):
            self._drop(_table_name(tree))
            return
        self.spark.sql(to_spark_sql(sql))

    def _materialise(self, df: Any) -> Any:
        # a local checkpoint cuts the lineage, so later statements do not re-plan every earlier one
        try:
            return df.localCheckpoint(eager=True)
        except Exception:  # noqa: BLE001 - a server without checkpoints: cache instead
            df = df.cache()
            df.count()
            return df

    def _drop(self, name: str) -> None:
        old = self._frames.pop(name, None)
        if old is not None:
            old.unpersist()
        self.spark.catalog.dropTempView(name)

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        return [tuple(r) for r in self.spark.sql(to_spark_sql(sql)).collect()]

    def frame(self, sql: str, *, arrow: bool = False) -> Any:
        table = self.spark.sql(to_spark_sql(sql)).toArrow()
        return table if arrow else table.to_pandas()

    def close(self) -> None:
        for name in list(self._frames):
            self._drop(name)
        for name in set(self._views):
            self.spark.catalog.dropTempView(name)
