"""Operator commands: init (load the plan into the database), demo, serve."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("serve")(serve)


def init(
    plan_dir: str = typer.Option(None, "--plan", help="Plan directory (default: the shipped plan)."),
) -> None:
    """Create the database schema and load the plan (idempotent: a second run changes nothing)."""
    from .django_setup import setup

    setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from django.conf import settings

    from lanbai.config.secret import ensure_key_file

    written = ensure_key_file(settings.DATA_DIR)
    if written is not None:
        typer.echo(f"已生成密钥文件 / secret key written: {written}")
    from lanbai.plans.services import plan_load_into_db

    from .django_setup import operator

    report = plan_load_into_db(user=operator(), plan_dir=plan_dir)
    typer.echo(report.render())
    from lanbai.plans.selectors import plan_get
    from lanbai.registry.services import registry_seed_from_plan

    seeded = registry_seed_from_plan(plan_get(report.plan_code), user=operator())
    typer.echo(f"登记库（附件4、5、7）/ registries seeded from the plan: {seeded.render()}")
    from lanbai.execution.services import execution_load

    loaded = execution_load(user=operator(), plan_dir=plan_dir)
    typer.echo(f"举措与年度工作计划 / measures and work plans: {loaded['measures']} 项专栏举措 items, "
               f"{loaded['milestones']} 个年度目标 milestones")


def serve(
    port: int = typer.Option(8000, "--port", help="TCP port on 127.0.0.1."),
    host: str = typer.Option("127.0.0.1", "--host"),
    threads: int = typer.Option(8, "--threads"),
) -> None:
    """Run the web server (waitress, a production WSGI server) on HOST:PORT."""
    from .django_setup import setup

    setup()
    from django.conf import settings
    from django.core.management import call_command

    from lanbai.config.secret import insecure_start_refusal

    refusal = insecure_start_refusal(settings.SECRET_KEY, debug=settings.DEBUG)
    if refusal:
        typer.echo(refusal, err=True)
        raise typer.Exit(2)
    settings.STATIC_ROOT.mkdir(parents=True, exist_ok=True)
    call_command("collectstatic", interactive=False, verbosity=0)
    import time

    from rich.console import Console

    from lanbai.web.dashboard import warm

    started = time.perf_counter()
    with Console(stderr=True).status("准备监测数据 / preparing the monitoring figures …"):
        warmed = warm()  # the first full recompute happens here, not in a visitor's request
    if warmed:
        typer.echo(f"监测数据已就绪 / monitoring figures ready ({time.perf_counter() - started:.1f} s)")
    from waitress import serve as waitress_serve

    from lanbai.config.wsgi import application

    typer.echo(f"lanbai: serving on http://{host}:{port}/")
    waitress_serve(application, host=host, port=port, threads=threads)
