"""``lanbai pools``: the project reserve and the talent register (masked), as the operator.

* ``lanbai pools projects [--stage S] [--json]``
* ``lanbai pools talents --json`` (身份证号 masked; the clear number is never stored)
* ``lanbai pools export F.xlsx``: sheets 项目库 and 人才库 (no 身份证号, not even masked)
* ``lanbai pools import F.xlsx``: 储备项目 (all or nothing, errors name file, row and column)
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(no_args_is_help=True)


def _operator():
    from lanbai.cli.django_setup import operator

    return operator()


@app.command()
def projects(
    stage: str = typer.Option(
        "", "--stage", help="阶段：reserve / approved / implementing / accepted / terminated"
    ),
    as_json: bool = typer.Option(False, "--json", help="JSON 输出"),
) -> None:
    """储备项目 with their stage."""
    user = _operator()
    from lanbai.core.pools.stages import STAGE_LABELS
    from lanbai.pools.selectors import project_list

    if stage and stage not in STAGE_LABELS:
        raise typer.BadParameter(f"--stage：未知阶段 {stage}（可选：{'、'.join(STAGE_LABELS)}）")
    rows = [
        {
            "id": p.pk,
            "unit": p.unit.name,
            "title": p.title,
            "field": p.field,
            "budget_wan": f"{p.budget_wan:.2f}",
            "stage": STAGE_LABELS[p.stage],
            "cluster": p.cluster,
        }
        for p in project_list(user=user, stage=stage)
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        typer.echo(f"{r['id']}\t{r['stage']}\t{r['unit']}\t{r['title']}\t{r['budget_wan']} 万元")


@app.command()
def talents(as_json: bool = typer.Option(False, "--json", help="JSON 输出")) -> None:
    """人才库 entries, 身份证号 masked."""
    user = _operator()
    from lanbai.pools.selectors import talent_list

    rows = [
        {
            "id": t.pk,
            "name": t.name,
            "unit": t.unit.name,
            "title": t.title,
            "fields": t.fields,
            "id_masked": t.id_masked,
        }
        for t in talent_list(user=user)
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        typer.echo(f"{r['id']}\t{r['name']}\t{r['unit']}\t{r['id_masked']}")


@app.command("import")
def import_(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """储备项目 from an Excel sheet (the columns of ``export``'s 项目库); nothing is saved if any row is wrong."""
    user = _operator()
    from rich.console import Console

    from lanbai.common.exceptions import ApplicationError
    from lanbai.pools.services import project_import_file

    console = Console()
    try:
        created = project_import_file(user=user, path=path)
    except ApplicationError as exc:
        console.print(f"[red]{exc.message}[/red]", soft_wrap=True)
        for e in exc.extra.get("errors", []):
            console.print(f"  {e['file']} 第 {e['row']} 行 {e['column']}：{e['message']}", soft_wrap=True)
        raise typer.Exit(1) from None
    console.print(f"已导入 {len(created)} 个储备项目")


@app.command()
def export(path: Path = typer.Argument(...)) -> None:
    """Projects and talents to an Excel file (the talent sheet without any 身份证号)."""
    user = _operator()
    from lanbai.pools.selectors import export_workbook

    export_workbook(user=user, path=path)
    typer.echo(f"已导出到 {path}")
