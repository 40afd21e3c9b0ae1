"""``lanbai policy match --profile P.json [--json]``: the 23 articles of 附件8 against a profile.

The profile file is JSON with ``kind`` enterprise, person or institution (default enterprise) and the
fields of :mod:`lanbai.core.registry.profiles`; the articles come from the plan directory (``--plan``,
default the shipped plan).  No database needed.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)


@app.callback()
def _group() -> None:
    """政策匹配（附件8） / policy matching (附件8)."""


def _amount(b: dict) -> str:
    if b["amount_max"] is None:
        return ""
    unit = b["unit"] or ""
    if b["amount_min"] == b["amount_max"]:
        return f"{b['amount_max']:g}{unit}"
    return f"{b['amount_min']:g}–{b['amount_max']:g}{unit}"


@app.command()
def match(
    profile: Path = typer.Option(
        ..., "--profile", help="A JSON profile file (kind: enterprise/person/institution)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    plan_dir: Path = typer.Option(None, "--plan", help="Plan directory (default: the shipped plan)."),
) -> None:
    """符合哪些政策条款、金额多少、不符合的原因 / which articles apply, for how much, and why not."""
    from lanbai.cli.registry import _fail, read_profile_file
    from lanbai.core.plan import PlanError, default_plan_dir, load_plan
    from lanbai.core.registry import match_policies
    from lanbai.registry.presenters import match_dict

    p = read_profile_file(profile, kinds=("enterprise", "person", "institution"))
    try:
        articles = load_plan(plan_dir or default_plan_dir()).policy_articles
    except PlanError as exc:
        raise _fail(f"计划文件无效 / plan refused: {len(exc.issues)} problem(s)", 2) from exc
    if not articles:
        raise _fail("规划中没有附件8政策条款 / the plan has no policy_articles")
    results = [match_dict(m) for m in match_policies(p, articles)]
    if as_json:
        out.print_json(json.dumps({"profile_kind": p.kind, "articles": results}, ensure_ascii=False))
        return
    t = Table(title=f"政策匹配（附件8，{len(results)} 条） / policy matching")
    for col in ("条", "标题", "结论 / status", "金额 / amount", "原因 / reason"):
        t.add_column(col)
    for r in results:
        amounts = "；".join(a for b in r["benefits"] if b["verdict"] != "fail" and (a := _amount(b)))
        t.add_row(
            str(r["number"]),
            escape(r["heading"]),
            f"{r['status_zh']} ({r['status']})",
            amounts,
            escape(r["reason"]),
        )
    out.print(t)
    n = sum(r["status"] == "qualifies" for r in results)
    out.print(f"符合 {n} 条 / qualifies for {n} article(s)")
