"""``lanbai vouchers report --year 2019 [--json] [--xlsx F.xlsx]``: 创新券 issued / used / redeemed / expired by
zone and scheme."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(no_args_is_help=True)
console = Console()


@app.command()
def report(
    year: int = typer.Option(..., "--year", help="方案年度，如 2019"),
    as_json: bool = typer.Option(False, "--json", help="JSON 输出"),
    xlsx: Path | None = typer.Option(None, "--xlsx", help="写入 Excel 文件（金额：万元）", dir_okay=False),
) -> None:
    """Vouchers issued, used, redeemed (万元) and expired / clawed back (张) per zone and scheme."""
    from lanbai.cli.django_setup import operator

    user = operator()
    from lanbai.vouchers.selectors import report as voucher_report

    if xlsx is not None:
        from lanbai.vouchers.selectors import report_workbook

        report_workbook(user=user, path=xlsx, year=year)
        console.print(f"已导出到 {xlsx}")
        return
    rows = voucher_report(user=user, year=year)
    money = ("issued", "used", "redeemed")
    if as_json:
        out = [{k: f"{v:.4f}" if k in money else v for k, v in r.items()} for r in rows]
        typer.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    table = Table(title=f"创新券 {year} 年（金额：万元）")
    cols = (
        "园区",
        "券种",
        "发放张数",
        "发放金额（万元）",
        "已使用（万元）",
        "已兑付（万元）",
        "过期张数",
        "追回张数",
    )
    for col in cols:
        table.add_column(col, justify="left" if col in ("园区", "券种") else "right")
    for r in rows:
        table.add_row(
            r["zone"],
            r["scheme"],
            str(r["issued_n"]),
            f"{r['issued']:.2f}",
            f"{r['used']:.2f}",
            f"{r['redeemed']:.2f}",
            str(r["expired_n"]),
            str(r["clawed_back_n"]),
        )
    console.print(table)
