"""``lanbai demo``: simulated reporting data 2015–2020 through the real import path (every record 模拟数据)."""

from __future__ import annotations

from collections.abc import Callable

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table

out = Console(soft_wrap=True, highlight=False)


def demo(
    seed: int = typer.Option(2016, "--seed", help="Seed of the simulator's random numbers (reproducible)."),
    synthetic: int = typer.Option(
        8, "--synthetic", min=0, help="Synthetic enterprises per zone (besides 附件7)."
    ),
) -> None:
    """Create demo users, enterprises and quarterly reports 2015Q1–2020Q4 (模拟数据), import and approve them.

    Run after `lanbai init`.  A second run changes nothing.  Users and password: docs/reporting.md.
    """
    from .django_setup import setup

    setup()
    from lanbai.collection.demo import DEMO_PASSWORD, demo_run
    from lanbai.collection.demo.simulator import STAGES
    from lanbai.common.exceptions import ApplicationError

    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=False,
    ) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(label: str, step: int, total: int) -> None:
            # one bar per step of the simulator (its label starts with the step's name); earlier ones stay
            stage = next((s for s in STAGES if label.startswith(s)), "模拟填报 / simulating")
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], description=label, completed=step, total=total)

        try:
            report = demo_run(seed=seed, synthetic_per_zone=synthetic, progress=progress)
        except ApplicationError as exc:
            out.print(f"[red]✗[/red] {exc.message}")
            raise typer.Exit(2) from exc
        messages = [report.message]
        steps = _more_steps()
        more = bar.add_task(MORE, total=len(steps))
        for k, (label, run) in enumerate(steps):
            bar.update(more, description=f"{MORE}: {label}", completed=k)
            messages.append(run())
        bar.update(more, description=MORE, completed=len(steps))
    for message in messages:
        out.print(message)
    if report.already:
        return
    table = Table("用户名 / username", "角色 / role", "范围 / scope", "密码 / password")
    for username, role, scope in report.users:
        table.add_row(username, role, scope, DEMO_PASSWORD)
    out.print(table)
    for line in report.refused:
        out.print(f"  故意出错的文件被拒绝 / deliberately bad file refused: {line}")


MORE = "其他演示数据 / more demo data"


def _more_steps() -> list[tuple[str, Callable[[], str]]]:
    """The demo data of the apps above collection, in order (each returns its summary line)."""
    from lanbai.assessment.demo import assessment_demo_run  # scores the demo years from the data above
    from lanbai.evaluation.demo import evaluation_demo_run  # the demo evaluator's 2019 evaluation
    from lanbai.execution.demo import measures_demo_run  # above collection: called here, not in demo_run
    from lanbai.pools.demo import pools_demo_run  # a few reserve projects and talents (模拟数据)
    from lanbai.reports.demo import demo_publish_survey  # its reports, numbered and public (issue 17)
    from lanbai.survey.demo import (  # the innovation survey on the demo enterprises
        DEMO_YEARS,
        survey_demo_run,
    )
    from lanbai.vouchers.demo import vouchers_demo_run  # 创新券 through the real services

    return [
        ("举措进展 / measure reports", measures_demo_run),
        ("目标责任制考核 / assessment", assessment_demo_run),
        ("创新调查 / innovation survey", survey_demo_run),
        ("调查报告 / survey reports", lambda: demo_publish_survey(DEMO_YEARS)),
        ("项目库与人才库 / pools", pools_demo_run),
        ("第三方评估 / evaluation", evaluation_demo_run),
        ("创新券 / vouchers", vouchers_demo_run),
    ]


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
