"""``lanbai assess``: the annual assessment (目标责任制考核) of the two cities and the four zones (issue 16).

* ``lanbai assess zones --year 2019 [--json]`` the six scores with their breakdown (computed first when
  the year has no result yet; ``--recompute`` makes a new run, ``--rescore`` with the current scheme file).
* ``lanbai assess scheme`` checks the scheme file and registers its version.
"""

from __future__ import annotations

import json

import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


def _setup():
    """Set Django up; the operator the commands act as (lanbai.access.policy.OPERATOR)."""
    from . import django_setup

    django_setup.setup()
    return django_setup.operator()


@app.command("zones")
def zones(
    year: int = typer.Option(..., "--year", help="The year assessed, e.g. 2019."),
    as_json: bool = typer.Option(False, "--json", help="JSON (with every component's evidence rows)."),
    recompute: bool = typer.Option(False, "--recompute", help="Compute again (a new run; same scheme version)."),
    rescore: bool = typer.Option(False, "--rescore", help="Compute again with the current scheme file."),
):
    """The scores of 兰州市, 白银市 and the four zones for the year: total, grade, breakdown, evidence."""
    operator = _setup()
    from lanbai.assessment import selectors, services
    from lanbai.common.exceptions import ApplicationError

    try:
        if recompute or rescore or selectors.run_latest(year) is None:
            services.assessment_compute(operator, year=year, rescore=rescore)
        data = selectors.assessment_for(operator, year)
    except ApplicationError as exc:
        err.print(exc.message, markup=False)
        raise typer.Exit(1) from exc
    assert data is not None
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for u in data["units"]:  # one line per unit: a table of nine columns does not fit a terminal
        parts = [f"{c['name']} {_n(c['score']) if c['applicable'] else '不计'}/{c['weight']:g}"
                 for c in u["components"]]
        out.print(f"{u['name']}  总分 {_n(u['total'])}  {u['grade'] or '—'}  ·  " + " · ".join(parts), markup=False)
    out.print(f"{data['year']} 年度 · 评分办法 v{data['scheme_version']} {data['scheme_name']} · "
              f"指标数据期 {data['indicator_period'] or '—'} · 计算于 {data['computed_at'][:16]}")


def _n(v: float | None) -> str:
    return "—" if v is None else f"{v:g}"


@app.command("scheme")
def scheme():
    """Validate the plan's scheme file (assessment/scheme.yaml) and register its version."""
    operator = _setup()
    from lanbai.assessment import services
    from lanbai.common.exceptions import ApplicationError

    try:
        row = services.assessment_scheme_register(operator)
    except ApplicationError as exc:
        err.print(exc.message, markup=False)
        raise typer.Exit(1) from exc
    out.print(f"评分办法 scheme v{row.version} {row.name} ({row.content_hash[:12]})")
