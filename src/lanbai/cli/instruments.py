"""``lanbai instruments``: the large research-instrument register.

* ``lanbai instruments sharing --year 2019 [--json]``: each instrument's annual sharing figures.
* ``lanbai instruments export F.xlsx [--year Y]``: the register and sheet 共享情况.
* ``lanbai instruments import F.xlsx``: register instruments (all or nothing, errors name row and column).
"""

from __future__ import annotations

import json
from pathlib import Path

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


@app.command("import")
def import_(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Register instruments from an Excel sheet (the columns of ``export``); nothing is saved if any row is
    wrong."""
    from lanbai.cli.django_setup import operator, setup

    setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.instruments.services import instrument_import_file

    try:
        created = instrument_import_file(user=operator(), path=path)
    except ApplicationError as exc:
        console.print(f"[red]{exc.message}[/red]", soft_wrap=True)
        for e in exc.extra.get("errors", []):
            console.print(f"  {e['file']} 第 {e['row']} 行 {e['column']}：{e['message']}", soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(f"已登记 {len(created)} 台大型科研仪器")


@app.command()
def export(
    path: Path = typer.Argument(...),
    year: int = typer.Option(0, "--year", help="共享情况的年度（默认：最近有使用记录的年度）"),
) -> None:
    """The register (national platform fields) and sheet 共享情况 for the year to an Excel file."""
    from lanbai.cli.django_setup import operator, setup

    setup()
    from lanbai.instruments.selectors import export_workbook

    export_workbook(user=operator(), path=path, year=year or None)
    console.print(f"已导出到 {path}")
