"""``lanbai measures``: the plan's measures as tracked work (issue 16).

* ``lanbai measures load`` loads the responsible units, measures and annual work plans of the plan in force.
* ``lanbai measures list [--unit U] [--status S] [--json]`` lists them with their units and status.
* ``lanbai measures template --unit U --period 2019Q2 F.xlsx`` writes a unit's half-year report template.
* ``lanbai measures report F.xlsx [--draft]`` imports a filled template (all or nothing; errors name
  row and column) and submits it to the 省创新办.
* ``lanbai measures inspection --period 2019Q2 [--json]`` the half-year check by unit and measure.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from lanbai.core.periods import Quarter

app = typer.Typer(no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def _setup() -> None:
    from . import django_setup

    django_setup.setup()


def _operator():
    from lanbai.cli.django_setup import operator

    return operator()


def _fail(exc) -> typer.Exit:
    err.print(getattr(exc, "message", str(exc)), markup=False)
    return typer.Exit(1)


def _period(text: str) -> Quarter:
    try:
        return Quarter.parse(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


@app.command("load")
def load(plan_dir: Path = typer.Option(None, "--plan", help="Plan directory (default: the configured one).")):
    """Load responsible units (专栏31–33), measures (3510 and every 专栏 item) and the annual work plans."""
    _setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.execution import services

    try:
        counts = services.execution_load(user=_operator(), plan_dir=plan_dir)
    except ApplicationError as exc:
        raise _fail(exc) from exc
    out.print(f"责任单位 units {counts['units']} · “3510”行动 actions {counts['actions']} · "
              f"专栏事项 items {counts['measures']} · 年度目标 milestones {counts['milestones']}")


@app.command("list")
def list_(
    unit: str = typer.Option(None, "--unit", help="Responsible unit code or name (lead or co-responsible)."),
    status: str = typer.Option(None, "--status", help="未启动 / 推进中 / 已完成 / 滞后 / 调整 (or the code)."),
    as_json: bool = typer.Option(False, "--json", help="JSON instead of a table."),
):
    """Every measure with its lead and co-responsible units and its latest reported status."""
    _setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.execution import selectors

    try:
        rows = selectors.measure_rows(_operator(), unit=unit, status=status)
    except ApplicationError as exc:
        raise _fail(exc) from exc
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    table = Table()
    for col in ("代码", "举措", "牵头单位", "配合单位", "进展", "完成%", "报告期"):
        table.add_column(col, overflow="fold")  # codes and titles wrap rather than end in "…"
    for r in rows:
        table.add_row(r["code"], r["title"], r["lead_name"], "、".join(r["co_unit_names"]), r["status_zh"] or "—",
                      "—" if r["pct"] is None else f"{r['pct']:g}", r["period"] or "—")
    out.print(table)
    out.print(f"{len(rows)} 项举措 measures")


@app.command("template")
def template(
    path: Path = typer.Argument(..., help="Where to write the .xlsx template."),
    unit: str = typer.Option(..., "--unit", help="Responsible unit code or name."),
    period: str = typer.Option(..., "--period", help="Half year: 2019Q2 (上半年) or 2019Q4 (全年)."),
):
    """Write the Excel template of a unit's half-year report, one row per measure it is responsible for."""
    _setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.execution import excel, selectors

    q = _period(period)
    try:
        u = selectors.responsible_unit_get(unit)
        rows = selectors.measure_rows(_operator(), unit=u.code, kind="item")
    except ApplicationError as exc:
        raise _fail(exc) from exc
    path.write_bytes(excel.template_write(unit_code=u.code, unit_name=u.name, period=str(q),
                                          measures=[(r["code"], r["title"]) for r in rows]))
    out.print(f"{path}: {len(rows)} 项举措 measures")


@app.command("report")
def report(
    path: Path = typer.Argument(..., exists=True, dir_okay=False, help="A filled template (.xlsx)."),
    draft: bool = typer.Option(False, "--draft", help="Save as drafts, do not submit."),
):
    """Import a unit's half-year report from Excel: all rows or none; errors name the row and column."""
    _setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.execution import services

    try:
        reports = services.reports_import_excel(_operator(), content=path.read_bytes(), submit=not draft)
    except ApplicationError as exc:
        raise _fail(exc) from exc
    out.print(f"{len(reports)} 项举措进展已{'保存' if draft else '报送'} / reports {'saved' if draft else 'submitted'}")


@app.command("inspection")
def inspection(
    period: str = typer.Option(..., "--period", help="Half year: 2019Q2 or 2019Q4."),
    as_json: bool = typer.Option(False, "--json"),
):
    """The half-year check (半年检查) by responsible unit: done, lagging (why), overdue."""
    _setup()
    from lanbai.execution import selectors

    data = selectors.half_year_inspection_for(_operator(), _period(period))
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    table = Table("责任单位", "举措", "已完成", "滞后", "逾期", "逾期报送")
    for u in data["units"]:
        table.add_row(u["unit_name"], str(u["measures"]), str(len(u["done"])),
                      "；".join(f"{x['measure']}（{x['reason']}）" for x in u["lagging"]) or "0",
                      str(len(u["overdue"])), str(u["late_reports"]))
    out.print(table)
