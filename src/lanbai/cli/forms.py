"""``lanbai forms``: list the report forms, write a template, import filled files (the real import path)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

app = typer.Typer(no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


@app.command("list")
def list_forms() -> None:
    """List the report forms (表号, name, level, version)."""
    from lanbai.core.collection import default_forms_dir, load_forms

    table = Table("表号 / code", "表名 / name", "层级 / level", "版本 / version", "字段数 / fields")
    for form in load_forms(default_forms_dir()).values():
        table.add_row(
            form.code,
            f"{form.name} / {form.name_en or ''}",
            form.level,
            str(form.version),
            str(len(form.fields)),
        )
    out.print(table)


@app.command("template")
def template(
    form: str = typer.Argument(..., help="表号, e.g. 兰白统Q1表 (see `lanbai forms list`)."),
    period: str = typer.Option(..., "--period", help="Quarter, e.g. 2018Q2."),
    unit: str = typer.Option(
        ..., "--unit", help="Reporting unit: org code (lzxq) or Chinese name (兰州新区)."
    ),
    output: Path = typer.Option(..., "-o", "--output", help="The .xlsx file to write."),
) -> None:
    """Write the Excel template of FORM for one unit and period."""
    from .django_setup import setup

    setup()
    from lanbai.collection.intake.parsing import form_by_code
    from lanbai.common.exceptions import ApplicationError
    from lanbai.core.collection import write_template
    from lanbai.core.periods import Quarter
    from lanbai.plans.selectors import orgunit_get

    try:
        quarter = Quarter.parse(period)
        spec = form_by_code(form)
        org = orgunit_get(unit)
        data = write_template(spec, period=str(quarter), unit_code=org.code, unit_name=org.name)
    except (ApplicationError, ValueError) as exc:
        err.print(f"[red]✗[/red] {escape(str(exc))}")
        raise typer.Exit(2) from exc
    output.write_bytes(data)
    out.print(f"已生成模板 / template written: {output} ({spec.code} {spec.name}, {org.name}, {period})")


def _report(res, *, lang: str) -> None:
    """One line per problem: file, sheet, row, column, rule, value, message (greppable, never wrapped)."""
    from lanbai.collection.intake import problems_table

    for p in problems_table(res.problems, lang=lang):
        where = " ".join(str(p[k]) for k in ("sheet", "row", "column") if p[k] is not None)
        value = "" if p["value"] is None else f" 值/value={p['value']!r}"
        out.print(
            escape(f"  · {p['file']} {where} [{p['rule']}]{value} {p['message']}"),
            overflow="ignore",
            crop=False,
        )


@app.command("import")
def import_files(
    files: list[Path] = typer.Argument(
        ..., exists=True, dir_okay=False, help="Filled .xlsx (or .csv) files."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Validate and report; store nothing but the raw upload."
    ),
    user: str | None = typer.Option(None, "--user", help="Import as this user (default: a superuser)."),
    form: str | None = typer.Option(None, "--form", help="Expected 表号 (required for CSV)."),
    period: str | None = typer.Option(None, "--period", help="Expected period (required for CSV)."),
    unit: str | None = typer.Option(None, "--unit", help="Expected unit code or name (required for CSV)."),
    submit: bool = typer.Option(False, "--submit", help="Also submit (上报) the imported reports."),
    lang: str = typer.Option("zh", "--lang", help="Language of the error report: zh or en."),
) -> None:
    """Import filled files; exit 0 when every file is accepted, 1 when any is refused."""
    from .django_setup import setup

    setup()
    from lanbai.collection.intake import import_records
    from lanbai.collection.selectors import importing_user_get
    from lanbai.common.exceptions import ApplicationError
    from lanbai.core.periods import Quarter
    from lanbai.plans.selectors import orgunit_get

    try:
        actor = importing_user_get(username=user)
        quarter = Quarter.parse(period) if period else None
        unit_code = orgunit_get(unit).code if unit else None
    except (ApplicationError, ValueError) as exc:
        err.print(f"[red]✗[/red] {escape(getattr(exc, 'message', str(exc)))}")
        raise typer.Exit(2) from exc
    refused = 0
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=len(files) < 3,
    ) as progress:
        task = progress.add_task("导入 / importing", total=len(files))
        for path in files:
            try:
                res = import_records(
                    user=actor,
                    filename=path.name,
                    content=path.read_bytes(),
                    dry_run=dry_run,
                    expected_form=form,
                    expected_period=quarter,
                    expected_unit=unit_code,
                    submit=submit,
                )
            except ApplicationError as exc:
                refused += 1
                out.print(f"[red]✗[/red] {escape(str(path))}: {escape(exc.message)}")
                progress.advance(task)
                continue
            if res.accepted:
                out.print(f"[green]✓[/green] {escape(str(path))}: {escape(res.message)}")
            else:
                refused += 1
                out.print(f"[red]✗[/red] {escape(str(path))}: {escape(res.message)}")
                _report(res, lang=lang)
            progress.advance(task)
    out.print(
        f"共 {len(files)} 个文件，接受 {len(files) - refused}，拒绝 {refused} / "
        f"{len(files)} file(s): {len(files) - refused} accepted, {refused} refused"
    )
    raise typer.Exit(1 if refused else 0)
