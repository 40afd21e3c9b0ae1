"""``lanbai evaluation``: third-party evaluation (第三方评估, 专栏26).

* ``lanbai evaluation list --year 2019 [--json]`` the year's assignments: organisation, units and measures, state.
* ``lanbai evaluation scheme`` registers ``plans/<plan>/evaluation/scheme.yaml`` as a version.
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)


@app.callback()
def main() -> None:
    """Third-party evaluation (第三方评估)."""


@app.command("list")
def list_(
    year: int = typer.Option(..., "--year", help="The year evaluated, e.g. 2019."),
    as_json: bool = typer.Option(False, "--json", help="JSON."),
):
    """The year's evaluation assignments with their organisation and units."""
    from . import django_setup

    django_setup.setup()
    operator = django_setup.operator()
    from lanbai.evaluation import selectors

    rows: list[dict[str, Any]] = [
        {
            "organisation": a.organisation.name,
            "credit_code": a.organisation.credit_code,
            "year": a.year,
            "units": sorted(u.code for u in a.units.all()),
            "measures": sorted(m.code for m in a.measures.all()),
            "retired": a.retired,
        }
        for a in selectors.assignments_for(operator, year=year)
    ]
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    for r in rows:
        state = "已撤销" if r["retired"] else "有效"
        out.print(f"{r['year']} 年度 · {r['organisation']} · {'、'.join(r['units'] + r['measures'])} · {state}", markup=False)
    if not rows:
        out.print(f"{year} 年度无评估委托", markup=False)


@app.command("scheme")
def scheme(
    plan_dir: str = typer.Option("", "--plan-dir", help="The plan directory (default: the shipped plan)."),
):
    """Register the evaluation scheme file as a version (unchanged file: nothing new)."""
    from . import django_setup

    django_setup.setup()
    operator = django_setup.operator()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.evaluation import services

    try:
        row = services.evaluation_scheme_register(operator, plan_dir=plan_dir or None)
    except ApplicationError as exc:
        out.print(f"✗ {exc.message}", markup=False)
        raise typer.Exit(2) from exc
    names = "、".join(c["name"] for c in row.document["criteria"])
    out.print(f"评估指标体系 v{row.version} {row.name}：{names}", markup=False)
    if row.document.get("measure_criteria"):
        names = "、".join(c["name"] for c in row.document["measure_criteria"])
        out.print(f"  举措评估指标：{names}", markup=False)
