"""``lanbai monitor``: progress against targets and early warning.

* ``lanbai monitor assess F.csv [--method eurostat|escap|path] [--json]`` assesses series a user
  brings (no database needed).
* ``lanbai monitor --period 2018Q4 [--unit …] [--method …] [--preview] [--csv|--json]`` (the
  database-backed mode) is the group callback; its body is :func:`monitor_period`.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from lanbai.core.progress import METHODS, REQUIRED_COLUMNS, ProgressInputError, assess

app = typer.Typer(invoke_without_command=True, no_args_is_help=False)
out = Console()
err = Console(stderr=True)

OPTIONAL_CSV_COLUMNS = ("unit", "comparator", "kind", "annual_target")
NUMERIC_CSV_COLUMNS = (
    "base_year",
    "base_value",
    "current_year",
    "current_value",
    "target",
    "target_year",
    "annual_target",
)

MethodOpt = typer.Option("eurostat", "--method", help="eurostat | escap | path")


def _check_method(method: str) -> str:
    if method not in METHODS:
        err.print(f"--method {method!r} 无效，应为 {' | '.join(METHODS)} / unknown method", highlight=False)
        raise typer.Exit(1)
    return method


# ------------------------------------------------------------------------------------------------
# Database-backed mode
# ------------------------------------------------------------------------------------------------
ROW_COLUMNS = (
    ("org_unit_name", "单位 unit"),
    ("indicator_name", "指标 indicator"),
    ("value", "值 value"),
    ("unit", "计量单位"),
    ("target_value", "目标 target"),
    ("expected", "预期 expected"),
    ("status", "状态 status"),
)


def monitor_period(
    period: str, *, unit: str | None, method: str, as_csv: bool, as_json: bool, preview: bool = False
) -> None:
    """Assess every indicator of ``unit`` (default: all) for ``period`` from approved figures.

    The rows are those of :func:`lanbai.monitoring.selectors.monitoring_table` (the REST API
    returns the same); ``preview`` also counts submitted reports not yet approved.
    """
    from lanbai.core.periods import Quarter

    try:
        quarter = Quarter.parse(period)  # parsed once, here at the edge
    except ValueError as exc:
        err.print(f"✗ {exc}", highlight=False, markup=False)
        raise typer.Exit(1) from None
    from .django_setup import operator, setup

    setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.monitoring.selectors import figure_unit_codes, monitoring_table, preview_scope

    me = operator()  # the policy answers for the command line as for every other user
    try:
        rows = monitoring_table(
            period=quarter, unit=unit, method=method, preview=preview_scope(me, preview),
            unit_codes=figure_unit_codes(me),
        )
    except ApplicationError as exc:
        err.print(f"✗ {exc.message}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None
    records = [r.as_dict() for r in rows]
    if as_json:
        typer.echo(
            json.dumps(
                [{k: _jsonable(v) for k, v in rec.items()} for rec in records], ensure_ascii=False, indent=2
            )
        )
        return
    if as_csv:
        import io

        buf = io.StringIO()
        names = list(records[0]) if records else [f for f in _row_fields()]
        writer = csv.DictWriter(buf, fieldnames=names, lineterminator="\n")
        writer.writeheader()
        for rec in records:
            writer.writerow({k: "" if v is None else v for k, v in rec.items()})
        typer.echo(buf.getvalue(), nl=False)
        return
    if not records:
        out.print(f"{period} 没有已审核的数据 / no approved figures for {period}", highlight=False)
        return
    title = f"监测结果 / monitoring — {period} · {method}" + (
        " · 预览（含未审核）/ preview" if preview else ""
    )
    table = Table(title=title)
    table.add_column("#", justify="right")
    for _, header in ROW_COLUMNS:
        table.add_column(header, overflow="fold")
    for n, rec in enumerate(records, start=1):
        cells = [Text(_cell(rec[key])) for key, _ in ROW_COLUMNS]
        cells[-1] = Text(rec["status"], style=_STATUS_STYLE.get(rec["status"], ""))
        table.add_row(str(n), *cells)
    out.print(table)
    out.print(Text("规则 / rules", style="bold"))
    for n, rec in enumerate(records, start=1):
        out.print(
            Text(
                f"{n}. {rec['org_unit_name']} · {rec['indicator_name']} ({rec['indicator']}): {rec['rule']}"
            ),
            soft_wrap=True,
        )


def _row_fields() -> list[str]:
    from dataclasses import fields

    from lanbai.monitoring.selectors import MonitoringRow

    return [f.name for f in fields(MonitoringRow)]


def _cell(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return _fmt(v)
    return str(v)


@app.callback()
def main(
    ctx: typer.Context,
    period: str | None = typer.Option(None, "--period", help="Reporting period, e.g. 2018Q4."),
    unit: str | None = typer.Option(
        None, "--unit", help="Organisation unit: code (lzxq) or name (兰州新区)."
    ),
    method: str = typer.Option("path", "--method", help="eurostat | escap | path (default: path)."),
    preview: bool = typer.Option(False, "--preview", help="Also count submitted reports not yet approved."),
    as_csv: bool = typer.Option(False, "--csv", help="CSV output."),
    as_json: bool = typer.Option(False, "--json", help="JSON output."),
) -> None:
    """Indicators, progress against targets and early warning (监测、预警)."""
    if ctx.invoked_subcommand is not None:
        return
    if period is None:
        out.print(ctx.get_help(), highlight=False)
        raise typer.Exit(0)
    monitor_period(
        period, unit=unit, method=_check_method(method), as_csv=as_csv, as_json=as_json, preview=preview
    )


# ------------------------------------------------------------------------------------------------
# assess
# ------------------------------------------------------------------------------------------------
class CsvError(Exception):
    """A bad input file: names the file, line, column and the rule broken."""

    def __init__(self, path: Path, line: int | None, column: str | None, rule: str, detail: str):
        where = f"文件 {path}" + (f" 第 {line} 行" if line else "") + (f" 列 {column}" if column else "")
        where_en = (
            f"file {path}" + (f", line {line}" if line else "") + (f", column {column}" if column else "")
        )
        self.path, self.line, self.column, self.rule = path, line, column, rule
        super().__init__(f"{where} / {where_en}: {detail} (规则 / rule: {rule})")


def read_series_csv(path: Path) -> dict[str, list]:
    """Read the ``assess`` CSV into columns; raise :class:`CsvError` on any bad cell."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CsvError(path, None, None, "file exists", "文件不存在 / file not found") from None
    except UnicodeDecodeError:
        raise CsvError(path, None, None, "UTF-8 text", "不是 UTF-8 文本 / not UTF-8 text") from None
    reader = csv.DictReader(text.splitlines())
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise CsvError(
            path,
            1,
            missing[0],
            f"required columns {','.join(REQUIRED_COLUMNS)}",
            f"缺少列 / missing column(s) {missing}",
        )
    unknown = [h for h in header if h not in REQUIRED_COLUMNS and h not in OPTIONAL_CSV_COLUMNS]
    if unknown:
        raise CsvError(
            path,
            1,
            unknown[0],
            f"columns {','.join(REQUIRED_COLUMNS + OPTIONAL_CSV_COLUMNS)}",
            f"未知列 / unknown column(s) {unknown}",
        )
    cols: dict[str, list] = {h: [] for h in header}
    for line, row in enumerate(reader, start=2):
        if None in row:
            raise CsvError(path, line, None, "one value per column", "多余的值 / more values than columns")
        for h in header:
            raw = (row.get(h) or "").strip()
            if h in NUMERIC_CSV_COLUMNS:
                if raw == "":
                    cols[h].append(math.nan)  # an empty cell is a missing value (→ not assessable)
                    continue
                try:
                    val = float(raw)
                except ValueError:
                    raise CsvError(
                        path, line, h, "numeric value", f"{raw!r} 不是数值 / {raw!r} is not a number"
                    ) from None
                if not math.isfinite(val):
                    raise CsvError(
                        path, line, h, "finite number", f"{raw!r} 不是有限数值 / {raw!r} is not finite"
                    )
                cols[h].append(val)
            elif h == "direction" and raw not in ("increase", "decrease"):
                raise CsvError(
                    path, line, h, "increase | decrease", f"方向 {raw!r} 无效 / unknown direction {raw!r}"
                )
            else:
                cols[h].append(
                    raw if raw or h not in ("comparator", "kind") else {"comparator": "=", "kind": "level"}[h]
                )
    return cols


def _jsonable(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if hasattr(v, "item"):
        return _jsonable(v.item())
    return v


def _fmt(v: float, pct: bool = False) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return f"{v * 100:.1f}%" if pct else f"{v:.6g}"


_STATUS_STYLE = {"达标": "green", "正常": "green", "预警": "yellow", "严重滞后": "red", "无法评估": "dim"}


@app.command("assess")
def assess_cmd(
    file: Path = typer.Argument(
        ...,
        help="CSV: indicator,base_year,base_value,current_year,current_value,target,target_year,direction",
    ),
    method: str = MethodOpt,
    as_json: bool = typer.Option(False, "--json", help="JSON output (one object per row)."),
    warn: float = typer.Option(0.05, "--warn", help="预警阈值: relative shortfall below the expected path."),
    severe: float = typer.Option(0.15, "--severe", help="严重滞后阈值."),
) -> None:
    """Assess each CSV row against its target: ratio, category, status and the rule behind them."""
    _check_method(method)
    try:
        cols = read_series_csv(file)
        try:
            result = assess(cols, method=method, warn=warn, severe=severe)
        except ProgressInputError as exc:
            line = exc.row + 2 if exc.row is not None else None
            raise CsvError(file, line, exc.column, exc.rule or "valid input", exc.detail) from None
        except ValueError as exc:
            raise CsvError(file, None, None, "valid options", str(exc)) from None
    except CsvError as exc:
        err.print(f"✗ {exc}", highlight=False, markup=False, soft_wrap=True)
        raise typer.Exit(1) from None

    if as_json:
        records = [{k: _jsonable(v) for k, v in rec.items()} for rec in result.to_dict(orient="records")]
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    table = Table(title=f"进展评估 / progress assessment — {method}")
    for name in ("#", "指标 indicator", "预期 expected", "比率 ratio", "类别 category", "状态 status"):
        table.add_column(name, overflow="fold")
    records = result.to_dict(orient="records")
    for i, rec in enumerate(records, start=1):
        table.add_row(
            str(i),
            Text(str(rec["indicator"])),
            _fmt(rec["expected"]),
            _fmt(rec["ratio"], pct=True),
            Text(f"{rec['category_zh']} / {rec['category']}"),
            Text(rec["status"], style=_STATUS_STYLE.get(rec["status"], "")),
        )
    out.print(table)
    for i, rec in enumerate(records, start=1):
        out.print(Text(f"{i}. {rec['indicator']}"), style="bold")
        out.print(Text(f"   类别规则 / category rule: {rec['rule']}"))
        out.print(Text(f"   状态规则 / status rule: {rec['status_rule']}"))
