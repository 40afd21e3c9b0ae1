"""``lanbai plan``: check, targets, show (the plan as data, no database needed)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

from lanbai.core.plan import PlanError, default_plan_dir, load_plan

app = typer.Typer(no_args_is_help=True)
err = Console(stderr=True)

PlanDir = typer.Option(None, "--plan", help="Plan directory (default: the shipped plan).")


def _load(plan_dir: Path | None):
    try:
        return load_plan(plan_dir or default_plan_dir())
    except PlanError as exc:
        for issue in exc.issues:
            err.print(f"[red]✗[/red] {issue}", markup=True, highlight=False)
        err.print(f"计划文件无效 / plan refused: {len(exc.issues)} problem(s); nothing was loaded.")
        raise typer.Exit(2) from exc
