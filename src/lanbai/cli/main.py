"""Entry point of the ``lanbai`` command.

Sub-commands live in one module each (``plan``, ``forms``, ``monitor``, ``index``, ``registry``,
``policy``, ``report``, ``server``) and only call services of the core or the apps.
"""

from __future__ import annotations

import typer

from . import plan as plan_cli
from . import server as server_cli

app = typer.Typer(
    name="lanbai",
    help="兰白试验区监测评价与服务平台 — Lanbai monitoring, evaluation and service platform.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(plan_cli.app, name="plan", help="The plan as data: check, targets, show.")
server_cli.register(app)

# Optional command groups are added when their module exists (each capability owns one module).
for _name, _help in [
    ("forms", "Report forms: list, template, import."),
    ("monitor", "Indicators, progress and early warning."),
    ("index", "The development index (composite indicator)."),
    ("registry", "Registries and innovative-enterprise screening."),
    ("policy", "Policy matching (附件8)."),
    ("report", "Publications: bulletin, inspection notice, annual report."),
    ("demo", "Simulated demo data through the real reporting path."),
]:
    try:
        _mod = __import__(f"lanbai.cli.{_name}", fromlist=["app"])
    except ModuleNotFoundError as _exc:  # pragma: no cover - only while a capability is absent
        if _exc.name != f"lanbai.cli.{_name}":
            raise
        continue
    if hasattr(_mod, "register"):
        _mod.register(app)
    else:
        app.add_typer(_mod.app, name=_name, help=_help)


if __name__ == "__main__":  # pragma: no cover
    app()
