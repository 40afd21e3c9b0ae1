"""``lanbai plan``: check, targets, show (the plan as data, no database needed)."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

import typer
from rich.console import Console, JustifyMethod
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from lanbai.core.plan import PlanError, default_plan_dir, load_plan
from lanbai.core.plan.checks import CHECKS, check_plan, fmt_number
from lanbai.core.plan.views import TARGET_COLUMNS, plan_tree, targets_table

app = typer.Typer(no_args_is_help=True)
err = Console(stderr=True, soft_wrap=True, highlight=False)

PlanDir = typer.Option(None, "--plan", help="Plan directory (default: the shipped plan).")


def _load(plan_dir: Path | None):
    try:
        return load_plan(plan_dir or default_plan_dir())
    except PlanError as exc:
        for issue in exc.issues:
            err.print(f"[red]✗[/red] {escape(str(issue))}", markup=True)
        err.print(f"计划文件无效 / plan refused: {len(exc.issues)} problem(s); nothing was loaded.")
        raise typer.Exit(2) from exc


def _diff_text(f) -> str:
    if f.difference is None:
        return "无法比较 / not comparable"
    pct = f.difference_pct
    sign = "+" if f.difference > 0 else ""
    text = f"{sign}{fmt_number(round(f.difference, 4))} {f.unit}".rstrip()
    if pct is not None:
        text += f" ({sign}{pct:.1f}%)"
    return text


@app.command("check")
def check(
    plan_dir: Path | None = PlanDir,
    tolerance: float = typer.Option(
        5.0, "--tolerance", min=0, help="Tolerance in % for figures stated as 左右 (approximate)."
    ),
    growth_tolerance: float = typer.Option(
        0.1, "--growth-tolerance", min=0, help="Tolerance in percentage points for stated annual growth."
    ),
) -> None:
    """Check the plan's figures against each other: one finding per line, then a summary.

    Exits 0 whatever it finds; exits 2 only when the plan files themselves are invalid.
    """
    plan = _load(plan_dir)
    findings = check_plan(plan, approx_tolerance_pct=tolerance, growth_tolerance_pp=growth_tolerance)
    out = Console(highlight=False, soft_wrap=True)
    for f in findings:
        mark = "[yellow]![/yellow]" if f.severity == "warning" else "[blue]i[/blue]"
        computed = fmt_number(f.computed) if f.computed is not None else "—"
        text = (
            f"[{f.check}] {f.what}; {f.where}; 所述/stated {f.stated_text}; "
            f"推算/computed {computed}; 差/difference {_diff_text(f)}"
        )
        if f.note:
            text += f"; {f.note}"
        out.print(f"{mark} {escape(text)}", markup=True)
    counts = Counter(f.check for f in findings)
    info = Counter(f.check for f in findings if f.severity == "info")
    out.print()
    out.print(
        f"一致性检查 / consistency checks — 容差 tolerance {fmt_number(tolerance)}%, 增速 {fmt_number(growth_tolerance)}pp"
    )
    for c in CHECKS:
        n = counts.get(c.name, 0)
        extra = f"（其中提示 {info[c.name]} / info）" if info.get(c.name) else ""
        out.print(f"  {c.name:<18} {n:>3}  {c.title}{extra}")
    out.print(f"  {'total':<18} {len(findings):>3}  发现 / findings")


@app.command("targets")
def targets(
    plan_dir: Path | None = PlanDir,
    as_csv: bool = typer.Option(
        False, "--csv", help="CSV on standard output (org_unit,indicator,year,value,unit,source,kind,comparator,approx)."
    ),
) -> None:
    """Every numeric target of the plan with its source."""
    plan = _load(plan_dir)
    rows = targets_table(plan)
    if as_csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(TARGET_COLUMNS)
        for r in rows:
            w.writerow(r.as_csv_row())
        return
    table = Table(title=f"{plan.plan.name} — 目标 / targets ({len(rows)})")
    justifies: tuple[JustifyMethod, ...] = ("left", "left", "right", "right", "left", "left", "left", "center", "center")
    for col, justify in zip(
        ("区域 org_unit", "指标 indicator", "年份 year", "数值 value", "单位 unit", "出处 source", "类别 kind",
         "比较 comparator", "约数 approx"),
        justifies,
        strict=True,
    ):
        table.add_column(col, justify=justify, overflow="fold")
    for r in rows:
        table.add_row(*(escape(c) for c in r.as_csv_row()))
    Console().print(table)


@app.command("show")
def show(plan_dir: Path | None = PlanDir) -> None:
    """The plan as a tree: organisation, indicators (baseline → target), programmes with measure counts."""
    plan = _load(plan_dir)
    label, children = plan_tree(plan)
    tree = Tree(f"[bold]{escape(label)}[/bold]")

    def add(node: Tree, items) -> None:
        for text, kids in items:
            add(node.add(escape(text), highlight=False), kids)

    add(tree, children)
    Console().print(tree)
