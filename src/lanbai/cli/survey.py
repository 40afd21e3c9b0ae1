"""``lanbai survey``: the innovation survey (创新调查, issue 17 items 6–8).

* ``lanbai survey design --year 2019 [--redraw] [--json]`` draws the year's sample (when not drawn yet) and
  shows its strata: population N_h, sample n_h, take-all strata.
* ``lanbai survey status --year 2019 [--json]`` the response by stratum.
* ``lanbai survey estimate --year 2019 [--json]`` the indicators with SE and 95 % confidence intervals.
"""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

app = typer.Typer(no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

YEAR = typer.Option(..., "--year", help="The survey year, e.g. 2019.")
JSON = typer.Option(False, "--json", help="JSON instead of a table.")


def _setup() -> Any:
    """Set Django up; the operator the commands act as (lanbai.access.policy.OPERATOR)."""
    from . import django_setup

    django_setup.setup()
    return django_setup.operator()


def _pct(v: float | None) -> str:
    return "—" if v is None else f"{100 * v:.1f}%"


def _status(operator: Any, year: int, *, draw: bool = False, redraw: bool = False) -> dict[str, Any]:
    from lanbai.common.exceptions import ApplicationError
    from lanbai.survey import selectors, services

    try:
        if redraw or (draw and selectors.round_find(year) is None):
            services.survey_round_draw(operator, year)
        return selectors.round_status(operator, year)
    except ApplicationError as exc:
        err.print(exc.message, markup=False)
        raise typer.Exit(1) from exc


@app.command("design")
def design(
    year: int = YEAR,
    redraw: bool = typer.Option(False, "--redraw", help="Draw the sample again."),
    as_json: bool = JSON,
) -> None:
    """Draw the year's sample (once) and show its strata."""
    data = _status(_setup(), year, draw=True, redraw=redraw)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    d = data["design"]
    out.print(
        f"{year} 年创新调查 · 问卷 {data['questionnaire_version']} · 种子 {data['seed']} · "
        f"抽样框 {data['frame_size']} 家 · 样本 {data['sample_size']} 家 · "
        f"全面调查 ≥{d['census_min_employees']} 人 · 抽样比 {_pct(d['sampling_fraction'])}"
    )
    for s in data["strata"]:
        out.print(
            f"{s['zone_name']}  {'全面调查' if s['take_all'] else s['band'] + ' 人'}  "
            f"总体 {s['population']}  样本 {s['sample_size']}",
            markup=False,
        )


@app.command("status")
def status(year: int = YEAR, as_json: bool = JSON) -> None:
    """The response by stratum: submitted, drafts, response rate."""
    data = _status(_setup(), year)
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    for s in data["strata"]:
        out.print(
            f"{s['zone_name']}  {'全面调查' if s['take_all'] else s['band'] + ' 人'}  样本 {s['sample_size']}  "
            f"已提交 {s['submitted']}  草稿 {s['drafts']}  回答率 {_pct(s['response_rate'])}",
            markup=False,
        )
    out.print(
        f"合计 样本 {data['sample_size']} 已提交 {data['submitted']} 回答率 {_pct(data['response_rate'])}"
    )


@app.command("estimate")
def estimate(year: int = YEAR, as_json: bool = JSON) -> None:
    """The survey's indicators with standard error and 95 % confidence interval."""
    operator = _setup()
    from lanbai.common.exceptions import ApplicationError
    from lanbai.survey import selectors

    try:
        data = selectors.round_estimates(operator, year)
    except ApplicationError as exc:
        err.print(exc.message, markup=False)
        raise typer.Exit(1) from exc
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=1))
        return
    if not data["indicators"]:
        out.print(f"{year} 年尚无已提交答卷 / no submitted response yet")
    for r in data["indicators"]:
        out.print(
            f"{r['label']}  {_fmt(r['value'], r['unit'])}  标准误 {_fmt(r['se'], r['unit'])}  "
            f"95%置信区间 {_fmt(r['ci_low'], r['unit'])}–{_fmt(r['ci_high'], r['unit'])}",
            markup=False,
        )
    out.print(f"已提交 {data['respondents']} / 样本 {data['sample_size']}")


def _fmt(v: float, unit: str) -> str:
    return f"{100 * v:.1f}%" if unit == "%" else f"{v:,.1f} {unit}"
