"""``lanbai periods [--form F] [--json] [--on DATE]``: the reporting periods of the forms and their state.

The calendar is the forms data (``reporting:`` of plans/<plan>/forms/*.yaml) and today's date: each
period is ``future`` (not ended: refused), ``open`` (ended, before its deadline), ``closed`` (past the
deadline, still accepted as late) or ``locked`` (only a 准予逾期填报 of the 省创新办 opens it).
"""

from __future__ import annotations

import datetime as dt
import json

import typer
from rich.console import Console
from rich.table import Table

out = Console(soft_wrap=True, highlight=False)


def periods(
    form: str | None = typer.Option(None, "--form", help="表号, e.g. 兰白统Q1表 (default: every form)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    on: str | None = typer.Option(None, "--on", help="The date to judge on (YYYY-MM-DD; default today)."),
) -> None:
    """List the reporting periods with state (open / closed / locked / future) and deadline."""
    from lanbai.cli.django_setup import setup

    setup()
    from django.utils import timezone

    from lanbai.collection import selectors
    from lanbai.collection.intake.parsing import forms

    known = forms()
    if form is not None and form not in known:
        out.print(f"未知的表号 {form} / unknown form {form}; known: {', '.join(known)}")
        raise typer.Exit(2)
    now = None
    if on:
        try:
            day = dt.date.fromisoformat(on)
        except ValueError:
            out.print(f"日期格式错误 {on} / --on takes YYYY-MM-DD")
            raise typer.Exit(2) from None
        now = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    codes = [form] if form else list(known)
    data = {code: [p.to_dict() for p in selectors.reporting_periods(form_code=code, now=now)] for code in codes}
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    from lanbai.core.collection.calendar import STATE_LABELS

    for code, rows in data.items():
        table = Table("报告期 / period", "状态 / state", "截止日期 / deadline", "锁定日期 / locks on", title=code)
        for r in rows:
            zh, _en = STATE_LABELS[r["state"]]
            table.add_row(r["period"], f"{r['state']} {zh}", r["deadline"], r["locks_on"])
        out.print(table)


def register(app: typer.Typer) -> None:
    app.command("periods")(periods)
