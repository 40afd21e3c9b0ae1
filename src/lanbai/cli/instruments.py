"""``lanbai instruments sharing --year 2019 [--json]``: each instrument's annual sharing figures."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(no_args_is_help=True)
console = Console()


@app.command()
def sharing(
    year: int = typer.Option(..., "--year", help="年度，如 2019"),
    as_json: bool = typer.Option(False, "--json", help="JSON 输出"),
) -> None:
    """有效工作机时, 对外服务机时 and 共享率 per instrument."""
    from lanbai.cli.django_setup import operator, setup

    setup()
    from lanbai.core.instruments import format_ratio
    from lanbai.instruments.selectors import sharing_table

    rows = sharing_table(user=operator(), year=year)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"大型科研仪器开放共享 {year} 年")
    for col in ("仪器", "所属单位", "有效工作机时（小时）", "对外服务机时（小时）", "共享率"):
        table.add_column(col, justify="left" if col in ("仪器", "所属单位") else "right")
    for r in rows:
        table.add_row(
            r["instrument"],
            r["owner_unit"],
            f"{r['effective_hours']:.1f}",
            f"{r['external_hours']:.1f}",
            format_ratio(r["sharing_rate"]),
        )
    console.print(table)
