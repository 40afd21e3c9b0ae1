"""``lanbai monitor recompute --engine duckdb|spark [--spark-remote sc://HOST:PORT]``.

A full recompute of the approved figures (every unit, period, input and formula, on the YTD and
the single-quarter basis) on the chosen engine.  The SQL is the core's
(:func:`lanbai.core.aggregate.run`); only where it runs differs.  Mounted under ``monitor``.
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd
import typer
from rich.console import Console

from lanbai.core.aggregate import ENGINES

app = typer.Typer(no_args_is_help=False)
out = Console()
err = Console(stderr=True)


@app.command("recompute")
def recompute(
    engine: str = typer.Option("duckdb", "--engine", help="duckdb | spark"),
    spark_remote: str = typer.Option(
        None, "--spark-remote", help="Spark Connect server, e.g. sc://spark-master:15002 (engine spark)"
    ),
    preview: bool = typer.Option(False, "--preview", help="also count submitted reports（含已报送未审核）"),
    output: Path = typer.Option(
        None, "--out", help="write indicators (and inputs beside) as Parquet: OUT, OUT.inputs.parquet"
    ),
) -> None:
    """全量重算 / recompute every aggregate and indicator from the approved figures."""
    if engine not in ENGINES:
        err.print(f"--engine {engine!r} 无效，应为 {' | '.join(ENGINES)} / unknown engine", highlight=False)
        raise typer.Exit(1)
    if spark_remote and engine != "spark":
        err.print("--spark-remote 仅用于 --engine spark / only with --engine spark", highlight=False)
        raise typer.Exit(1)
    from .django_setup import operator, setup

    setup()
    from lanbai.core.aggregate import run
    from lanbai.monitoring import data, selectors

    t0 = time.perf_counter()
    try:
        version, _plan, fset = selectors.plan_core()
    except LookupError as exc:
        err.print(str(exc), highlight=False)
        raise typer.Exit(1) from exc
    # submitted figures only where the policy lets the caller preview (the operator: everywhere)
    values = data.reported_values_frame(preview=selectors.preview_scope(operator(), preview) is True)
    if values.empty:
        err.print("没有已审核的数据 / no approved figures", highlight=False)
        raise typer.Exit(1)
    values["status"] = values["status"].replace({"zone_approved": "submitted"})
    tree = data.org_tree_frame(version)
    for col in ("valid_from", "valid_to"):
        tree[col] = pd.to_datetime(tree[col])
    units = data.org_units_frame(version)
    members = pd.DataFrame(
        [(u, m) for u, kind, mm in units[["code", "kind", "members"]].itertuples(index=False)
         if kind == "aggregate" for m in (mm or [])],
        columns=["unit", "member"],
    )  # fmt: skip
    columns = ["org_unit", "period", "field", "value", "value_text", "status", "version"]
    loaded = time.perf_counter() - t0

    t0 = time.perf_counter()
    res = run(
        values[columns],
        tree,
        fset,
        engine=engine,
        spark_remote=spark_remote,
        aggregates=members,
        preview=preview,
        basis=("ytd", "quarter"),
    )
    took = time.perf_counter() - t0
    computable = int(res.indicators["value"].notna().sum())
    where = f"Spark Connect {spark_remote}" if spark_remote else engine
    out.print(
        f"{where}: {len(res.inputs):,} unit × period × basis rows, {len(res.indicators):,} indicator values "
        f"({computable:,} computable) in {took:.2f} s (figures read in {loaded:.2f} s)",
        highlight=False,
    )
    if output is not None:
        res.indicators.to_parquet(output, index=False)
        res.inputs.to_parquet(output.with_suffix(".inputs.parquet"), index=False)
        out.print(f"written: {output}", highlight=False)
