"""Entry point of the ``lanbai`` command.

Sub-commands live in one module each (``plan``, ``forms``, ``monitor``, ``index``, ``registry``,
``policy``, ``report``, ``demo``, ``periods``, ``server``) and only call services and selectors of the apps or the core.
"""

from __future__ import annotations

import typer

from . import assess as assess_cli
from . import contracts as contracts_cli
from . import demo as demo_cli
from . import evaluation as evaluation_cli
from . import forms as forms_cli
from . import index as index_cli
from . import instruments as instruments_cli
from . import measures as measures_cli
from . import monitor as monitor_cli
from . import periods as periods_cli
from . import plan as plan_cli
from . import policy as policy_cli
from . import pools as pools_cli
from . import recompute as recompute_cli
from . import registry as registry_cli
from . import report as report_cli
from . import server as server_cli
from . import survey as survey_cli
from . import vouchers as vouchers_cli

app = typer.Typer(
    name="lanbai",
    help="兰白试验区监测评价与服务平台 — Lanbai monitoring, evaluation and service platform.",
    no_args_is_help=True,
    rich_markup_mode="rich",
)
app.add_typer(plan_cli.app, name="plan", help="The plan as data: check, targets, show.")
app.add_typer(forms_cli.app, name="forms", help="Report forms: list, template, import.")
monitor_cli.app.command("recompute")(recompute_cli.recompute)
app.add_typer(monitor_cli.app, name="monitor", help="Indicators, progress and early warning.")
app.add_typer(index_cli.app, name="index", help="The development index (composite indicator).")
app.add_typer(registry_cli.app, name="registry", help="Registries and innovative-enterprise screening.")
app.add_typer(measures_cli.app, name="measures", help="Measures of the plan: owners, half-year progress.")
app.add_typer(assess_cli.app, name="assess", help="Annual assessment (目标责任制考核) of the cities and zones.")
app.add_typer(evaluation_cli.app, name="evaluation", help="Third-party evaluation (第三方评估) assignments.")
app.add_typer(contracts_cli.app, name="contracts", help="技术合同认定登记: turnover, list, import, export.")
app.add_typer(pools_cli.app, name="pools", help="储备项目库与人才库: projects, talents (masked).")
app.add_typer(instruments_cli.app, name="instruments", help="大型科研仪器开放共享: sharing.")
app.add_typer(survey_cli.app, name="survey", help="创新调查: sample design, response, estimates.")
app.add_typer(vouchers_cli.app, name="vouchers", help="创新券: report by zone and scheme.")
app.add_typer(policy_cli.app, name="policy", help="Policy matching (附件8).")
app.add_typer(report_cli.app, name="report", help="Publications: bulletin, inspection notice, annual report.")
demo_cli.register(app)
periods_cli.register(app)
server_cli.register(app)


if __name__ == "__main__":  # pragma: no cover
    app()
