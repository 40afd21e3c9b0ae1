"""``lanbai report``: build the publications from approved figures.

* ``lanbai report bulletin --period 2018Q2 --pdf F.pdf [--html F.html] [--xlsx F.xlsx] [--publish
  [--confirm-incomplete]]`` — publishing a period whose expected reports are not all approved is
  refused (naming the zones and reports missing) unless ``--confirm-incomplete``
* ``lanbai report inspection --period 2018Q2 …`` (half years: Q2 or Q4)
* ``lanbai report annual --year 2019 …``
* ``lanbai report list`` — the numbered releases.

Every build records a numbered release (a draft unless ``--publish``) and writes the files asked for.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from lanbai.core.periods import Quarter

app = typer.Typer(no_args_is_help=True)
out = Console()
err = Console(stderr=True)

PdfOpt = typer.Option(None, "--pdf", help="写出 PDF / write the PDF here")
HtmlOpt = typer.Option(None, "--html", help="写出 HTML / write the HTML here")
XlsxOpt = typer.Option(None, "--xlsx", help="写出 XLSX / write the XLSX here")
PublishOpt = typer.Option(False, "--publish", help="立即发布（公开）/ publish it (public)")
ConfirmOpt = typer.Option(
    False,
    "--confirm-incomplete",
    help="确认发布尚有未审核报表的（初步）数据 / confirm publishing although expected reports are not all approved",
)
STEPS = {"bulletin": 6, "inspection": 7, "annual": 9, "survey": 5}


def _quarter(text: str) -> Quarter:
    """``--period`` parsed once, at the edge; a clear error (exit 1) when it is not a quarter."""
    try:
        return Quarter.parse(text)
    except ValueError as exc:
        err.print(f"[red]错误 / error:[/red] --period: {escape(str(exc))}")
        raise typer.Exit(1) from None


def _build(
    kind: str,
    period: Quarter | str,
    pdf: Path | None,
    html: Path | None,
    xlsx: Path | None,
    publish: bool,
    confirm: bool = False,
) -> None:
    from . import django_setup

    django_setup.setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.reports import services

    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=False,
    ) as bar:
        task = bar.add_task("开始 / starting", total=STEPS[kind])

        def step(msg: str) -> None:
            bar.update(task, advance=1, description=msg)

        try:
            rel = services.release_create(
                kind=kind, period=period, user=django_setup.operator(), publish=publish, progress=step,
                confirm_incomplete=confirm,
            )
        except (ApplicationError, LookupError) as exc:  # ReleaseError and the other refusals
            err.print(f"[red]错误 / error:[/red] {escape(str(exc))}")
            raise typer.Exit(1) from None
        bar.update(task, completed=STEPS[kind], description="完成 / done")
    for path, body in ((pdf, rel.pdf), (html, rel.html.encode("utf-8")), (xlsx, rel.xlsx)):
        if path is None:
            continue
        if body is None:
            err.print(f"[yellow]未生成 / not produced:[/yellow] {escape(str(path))}")
            continue
        path.write_bytes(bytes(body))
        out.print(f"已写出 / written: {path}")
    state = "已发布 / published" if publish else "草稿 / draft"
    out.print(
        f"{rel.number} {rel.title} [{state}] 已审核 {rel.approved_count} 份，待审核 {rel.pending_count} 份"
    )
    if rel.content.get("missing_text"):
        out.print(f"数据不完整（初步）/ incomplete: 未审核 {rel.content['missing_text']}")


@app.command()
def bulletin(
    period: str = typer.Option(..., "--period", help="报告期，如 2018Q2 / period"),
    pdf: Path | None = PdfOpt,
    html: Path | None = HtmlOpt,
    xlsx: Path | None = XlsxOpt,
    publish: bool = PublishOpt,
    confirm_incomplete: bool = ConfirmOpt,
) -> None:
    """季度监测数据 / quarterly monitoring bulletin."""
    _build("bulletin", _quarter(period), pdf, html, xlsx, publish, confirm_incomplete)


@app.command()
def inspection(
    period: str = typer.Option(..., "--period", help="半年报告期 2018Q2 或 2018Q4 / half year"),
    pdf: Path | None = PdfOpt,
    html: Path | None = HtmlOpt,
    xlsx: Path | None = XlsxOpt,
    publish: bool = PublishOpt,
    confirm_incomplete: bool = ConfirmOpt,
) -> None:
    """半年检查通报 / half-year inspection notice."""
    _build("inspection", _quarter(period), pdf, html, xlsx, publish, confirm_incomplete)


@app.command()
def annual(
    year: int = typer.Option(..., "--year", help="年度，如 2019 / year"),
    pdf: Path | None = PdfOpt,
    html: Path | None = HtmlOpt,
    xlsx: Path | None = XlsxOpt,
    publish: bool = PublishOpt,
    confirm_incomplete: bool = ConfirmOpt,
) -> None:
    """年度评估报告 / annual evaluation report."""
    _build("annual", str(year), pdf, html, xlsx, publish, confirm_incomplete)


@app.command()
def survey(
    year: int = typer.Option(..., "--year", help="调查年度，如 2019 / survey year"),
    pdf: Path | None = PdfOpt,
    html: Path | None = HtmlOpt,
    xlsx: Path | None = XlsxOpt,
    publish: bool = PublishOpt,
) -> None:
    """创新调查报告 / the innovation survey report (estimates with SE and 95 % CI, disclosure-controlled)."""
    _build("survey", str(year), pdf, html, xlsx, publish)


@app.command("list")
def list_releases() -> None:
    """文号、标题、状态 / the numbered releases."""
    from . import django_setup

    django_setup.setup()
    from lanbai.reports.selectors import release_list

    table = Table("文号 / number", "标题 / title", "状态 / status", "发布 / issued", "更正 / supersedes")
    for r in release_list():
        table.add_row(
            r.number,
            r.title,
            r.get_status_display(),
            f"{r.issued_at:%Y-%m-%d}" if r.issued_at else "",
            r.supersedes.number if r.supersedes else "",
        )
    out.print(table)
