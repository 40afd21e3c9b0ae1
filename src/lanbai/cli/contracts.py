"""``lanbai contracts``: the technology-contract register (技术合同认定登记).

* ``lanbai contracts turnover --period 2019Q4 [--json]``: per zone the registered 成交额 (by seller), 技术交易额,
  吸纳 (by buyer), the zone's reported figure (approved 兰白统Q1表) and the difference.
* ``lanbai contracts list [--zone Z] [--status S] [--year Y]``
* ``lanbai contracts import F.xlsx`` (all or nothing, errors name row and column) / ``export F.xlsx``.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(no_args_is_help=True)
console = Console()


def _setup() -> None:
    from lanbai.cli.django_setup import setup

    setup()


def _operator():
    from lanbai.cli.django_setup import operator

    return operator()


def _plain(value):
    return float(value) if isinstance(value, Decimal) else value


@app.command()
def turnover(
    period: str = typer.Option(..., "--period", help="报告期，如 2019Q4（本年累计）"),
    as_json: bool = typer.Option(False, "--json", help="JSON 输出"),
) -> None:
    """技术合同成交额 from the register beside the zones' reported figure."""
    from lanbai.core.periods import Quarter

    try:
        q = Quarter.parse(period)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None
    _setup()
    from lanbai.contracts.selectors import turnover as compute

    rows = compute(period=q, user=_operator())
    if as_json:
        typer.echo(json.dumps([{k: _plain(v) for k, v in r.items()} for r in rows], ensure_ascii=False, indent=1))
        return
    table = Table(title=f"技术合同成交额 {q.label_zh}（万元）")
    for col in ("园区", "合同数", "成交额", "技术交易额", "吸纳", "亿元", "上报", "差额"):
        table.add_column(col, justify="left" if col == "园区" else "right")
    for r in rows:
        table.add_row(r["zone_name"], str(r["contracts"]), str(r["turnover"]), str(r["tech_turnover"]),
                      str(r["absorbed"]), str(r["turnover_yi"]), str(r["reported"] if r["reported"] is not None
                                                                    else "—"),
                      str(r["difference"] if r["difference"] is not None else "—"))
    console.print(table)


@app.command("list")
def list_(
    zone: str = typer.Option("", help="卖方所在园区代码"),
    status: str = typer.Option("", help="状态（registered, refused …）"),
    year: int = typer.Option(0, help="登记年度"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """The register."""
    _setup()
    from lanbai.contracts.selectors import export_rows

    rows = export_rows(user=_operator(), zone=zone, status=status, year=year or None)
    if as_json:
        typer.echo(json.dumps([
            {"id": c.pk, "number": c.registration_number, "title": c.title, "type": c.contract_type,
             "status": c.status, "seller_zone": c.seller_zone.code, "amount": float(c.amount),
             "tech_amount": float(c.tech_amount), "registered_on": c.registered_on.isoformat()
             if c.registered_on else None, "supplement_of": c.supplement_of_id}
            for c in rows], ensure_ascii=False, indent=1))
        return
    table = Table(title="技术合同登记")
    for col in ("编号", "登记编号", "项目名称", "类型", "状态", "园区", "成交额", "登记日期"):
        table.add_column(col)
    for c in rows:
        table.add_row(str(c.pk), c.registration_number or "—", c.title, c.get_contract_type_display(),
                      c.get_status_display(), c.seller_zone.code, str(c.amount), str(c.registered_on or ""))
    console.print(table)


@app.command("import")
def import_(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Drafts from an Excel sheet (the columns of ``export``); nothing is saved if any row is wrong."""
    _setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.contracts.services import contract_import_file

    try:
        created = contract_import_file(user=_operator(), path=path)
    except ApplicationError as exc:
        console.print(f"[red]{exc.message}[/red]")
        for e in exc.extra.get("errors", []):
            console.print(f"  第 {e['row']} 行 {e['column']}：{e['message']}")
        raise typer.Exit(1) from None
    console.print(f"已导入 {len(created)} 份技术合同（草稿）")


@app.command()
def export(path: Path = typer.Argument(...), year: int = typer.Option(0, help="登记年度")) -> None:
    """The register to an Excel file."""
    _setup()
    from lanbai.contracts.selectors import export_workbook

    export_workbook(user=_operator(), path=path, year=year or None)
    console.print(f"已导出到 {path}")
