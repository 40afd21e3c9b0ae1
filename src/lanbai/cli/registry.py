"""``lanbai registry``: seeding, counts against targets, innovative-enterprise screening (附件7).

* ``lanbai registry screen --profile P.json [--json|--xlsx F]`` screens a profile file (no database
  needed; thresholds from the plan directory, ``--plan``).
* ``lanbai registry screen [--enterprise CODE] [--json|--xlsx F]`` screens one registered enterprise or
  all of them from the database (registry profile + latest approved figures, stated).
* ``lanbai registry seed`` seeds clusters, planned alliances and candidates from the loaded plan.
* ``lanbai registry counts [--on DATE] [--json]`` counts against the plan's targets.
* ``lanbai registry export KIND F.xlsx`` / ``import KIND F.xlsx`` (KIND: enterprises, platforms).
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

app = typer.Typer(no_args_is_help=True)
out = Console(soft_wrap=True, highlight=False)
err = Console(stderr=True, soft_wrap=True, highlight=False)

VERDICT_MARK = {"pass": "✓", "fail": "✗", "not_decidable": "?", "needs_review": "审"}


def _fail(message: str, code: int = 1) -> typer.Exit:
    err.print(message, markup=False)
    return typer.Exit(code)


def _plan_criteria(plan_dir: Path | None):
    from lanbai.core.plan import PlanError, default_plan_dir, load_plan

    try:
        return load_plan(plan_dir or default_plan_dir()).recognition_criteria
    except PlanError as exc:
        raise _fail(f"计划文件无效 / plan refused: {len(exc.issues)} problem(s)", 2) from exc


def read_profile_file(path: Path, *, kinds: tuple[str, ...]) -> Any:
    """A profile from a JSON file (``kind`` enterprise / person / institution; default enterprise).

    Refuses with a message naming the file and the field: unreadable file, invalid JSON, unknown field,
    wrong type, invalid credit code.
    """
    from pydantic import ValidationError

    from lanbai.core.registry.profiles import PROFILE_MODELS

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise _fail(f"无法读取 {path} / cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise _fail(f"{path} 不是有效的 JSON / not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise _fail(f"{path}: 应为一个 JSON 对象 / must be a JSON object")
    kind = data.get("kind", "enterprise")
    if kind not in kinds:
        raise _fail(f"{path}: kind 应为 {' | '.join(kinds)}（得到 {kind!r}） / kind must be one of {kinds}")
    try:
        return PROFILE_MODELS[kind].model_validate(data)
    except ValidationError as exc:
        lines = [f"{path}: {'.'.join(map(str, e['loc'])) or '(profile)'}: {e['msg']}" for e in exc.errors()]
        raise _fail("档案无效 / invalid profile:\n" + "\n".join(lines)) from exc


def _screen_db(enterprise: str | None) -> list[dict]:
    from lanbai.cli.django_setup import operator, setup

    setup()
    from lanbai.common.exceptions import NotFoundError
    from lanbai.plans.selectors import plan_current
    from lanbai.registry import selectors

    plan = plan_current()
    if plan is None:
        raise _fail(
            "数据库中没有规划，请先运行 lanbai init / no plan in the database: run `lanbai init` first"
        )
    if not selectors.recognition_criteria(plan):
        raise _fail("规划中没有附件7认定标准 / the plan has no recognition_criteria")
    if enterprise:
        try:
            found = selectors.enterprise_get(user=operator(), credit_code=enterprise.strip().upper())
        except NotFoundError:
            raise _fail(
                f"未找到统一社会信用代码为 {enterprise} 的企业 / no enterprise with credit code {enterprise}"
            ) from None
        ents = [found]
    else:
        ents = list(selectors.enterprise_list_readable(user=operator()))
    return selectors.screen(plan, ents)


def _print_results(results: list[dict]) -> None:
    summary = Table(title="创新型企业认定筛查（附件7） / innovative-enterprise screening")
    for col in (
        "统一社会信用代码",
        "企业名称",
        "结论 / status",
        *(f"标准{n}" for n in range(1, 7)),
        "数据 / figures",
    ):
        summary.add_column(col)
    for r in results:
        verdicts = {c["number"]: VERDICT_MARK[c["verdict"]] for c in r["criteria"]}
        summary.add_row(
            r["credit_code"] or "",
            r["name"] or "",
            f"{r['status_zh']} ({r['status']})",
            *(verdicts.get(n, "") for n in range(1, 7)),
            r.get("figures_period") or "—",
        )
    out.print(summary)
    if len(results) != 1:
        out.print(
            "✓ 符合  ✗ 不符合  ? 无法判定（缺数据）  审 需人工审核 / pass, fail, not decidable, needs review"
        )
        return
    r = results[0]
    if r.get("figures_basis"):
        out.print(f"数据来源 / figures: {escape(r['figures_basis'])}")
    for c in r["criteria"]:
        out.print(f"[bold]标准 {c['number']}[/bold]：{c['verdict_zh']} ({c['verdict']})")
        for k in c["checks"]:
            out.print(f"  {VERDICT_MARK[k['verdict']]} {escape(k['message'])}")
        for q in c["qualitative_parts"]:
            out.print(f"  · 描述性条件，未评估 / descriptive, not assessed: {escape(q)}")
    for note in r.get("notes", []):
        out.print(f"! {escape(note)}")
    if r["missing"]:
        out.print(f"缺少数据 / missing: {', '.join(r['missing'])}")
    if r["pending_review"]:
        out.print("需审核人确认 / reviewer to confirm: " + "；".join(r["pending_review"]))


def screening_workbook(results: list[dict]) -> bytes:
    """An xlsx of screening results: one summary row per enterprise, one row per check (cells neutralised)."""
    from openpyxl import Workbook

    from lanbai.core.collection import neutralise

    wb = Workbook()
    ws = wb.active
    ws.title = "筛查结果"
    ws.append(
        [
            "统一社会信用代码",
            "企业名称",
            "园区",
            "结论",
            "status",
            "缺少数据",
            "待人工审核",
            "数据来源",
            *(f"标准{n}" for n in range(1, 7)),
        ]
    )
    for r in results:
        verdicts = {c["number"]: c["verdict_zh"] for c in r["criteria"]}
        ws.append(
            [
                neutralise(v)
                for v in (
                    r["credit_code"],
                    r["name"],
                    r["zone"],
                    r["status_zh"],
                    r["status"],
                    ", ".join(r["missing"]),
                    "；".join(r["pending_review"]),
                    r.get("figures_basis") or "",
                    *(verdicts.get(n, "") for n in range(1, 7)),
                )
            ]
        )
    detail = wb.create_sheet("逐条判定")
    detail.append(["统一社会信用代码", "标准", "条件", "数值", "比较", "阈值", "单位", "判定", "说明"])
    for r in results:
        for c in r["criteria"]:
            for k in c["checks"]:
                threshold = k["threshold"]
                if isinstance(threshold, list):
                    threshold = "、".join(map(str, threshold))
                detail.append(
                    [
                        neutralise(v)
                        for v in (
                            r["credit_code"],
                            c["number"],
                            k["label"],
                            k["figure"] if not isinstance(k["figure"], list) else str(k["figure"]),
                            k["op"],
                            threshold,
                            k["unit"],
                            k["verdict_zh"],
                            k["message"],
                        )
                    ]
                )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@app.command()
def screen(
    enterprise: str = typer.Option(None, "--enterprise", help="统一社会信用代码 (database mode)."),
    profile: Path = typer.Option(None, "--profile", help="A JSON profile file (no database needed)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    xlsx: Path = typer.Option(None, "--xlsx", help="Write the results to this Excel file."),
    plan_dir: Path = typer.Option(
        None, "--plan", help="Plan directory for --profile (default: shipped plan)."
    ),
) -> None:
    """创新型企业认定筛查（附件7六项标准） / innovative-enterprise screening (the six criteria of 附件7)."""
    if profile and enterprise:
        raise _fail("--profile 与 --enterprise 只能选一个 / use --profile or --enterprise, not both")
    if as_json and xlsx:
        raise _fail("--json 与 --xlsx 只能选一个 / use --json or --xlsx, not both")
    if profile:
        from lanbai.core.registry import screen_enterprise
        from lanbai.registry.presenters import result_dict

        p = read_profile_file(profile, kinds=("enterprise",))
        meta = {"figures_basis": f"档案文件 {profile.name} / profile file", "sources": {}}
        results = [result_dict(screen_enterprise(p, _plan_criteria(plan_dir)), meta)]
    else:
        results = _screen_db(enterprise)
    if as_json:
        out.print_json(
            json.dumps(results if not enterprise and not profile else results[0], ensure_ascii=False)
        )
    elif xlsx:
        xlsx.write_bytes(screening_workbook(results))
        out.print(f"已写入 / written: {xlsx} ({len(results)} 户 / enterprises)")
    else:
        _print_results(results)
        if not profile and not enterprise:
            _note_unlinked_candidates()


def _note_unlinked_candidates() -> None:
    from lanbai.plans.selectors import plan_current
    from lanbai.registry.selectors import candidate_unlinked_count

    n = candidate_unlinked_count(plan_current())
    if n:
        out.print(
            f"附件7备选名单中 {n} 户尚无填报企业记录，未筛查 / {n} candidates of 附件7 have no enterprise record: not screened"
        )


@app.command()
def seed() -> None:
    """从规划播种：产业集群（附件4）、联盟规划（附件5）、创新型企业备选（附件7） / seed from the plan."""
    from lanbai.cli.django_setup import operator, setup

    setup()
    from lanbai.plans.selectors import plan_current
    from lanbai.registry.services import registry_seed_from_plan

    plan = plan_current()
    if plan is None:
        raise _fail(
            "数据库中没有规划，请先运行 lanbai init / no plan in the database: run `lanbai init` first"
        )
    report = registry_seed_from_plan(plan, user=operator())
    out.print(f"播种完成 / seeded: {report.render()}")


@app.command()
def counts(
    on: str = typer.Option(None, "--on", help="Date YYYY-MM-DD (default: today)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """登记数量与规划目标对比 / registry counts against the plan's targets."""
    from lanbai.cli.django_setup import setup

    try:
        day = dt.date.fromisoformat(on) if on else None
    except ValueError as exc:
        raise _fail(f"--on 日期格式应为 YYYY-MM-DD（得到 {on!r}） / --on must be YYYY-MM-DD") from exc
    setup()
    from lanbai.plans.selectors import plan_current
    from lanbai.registry.selectors import counts_vs_targets

    plan = plan_current()
    if plan is None:
        raise _fail(
            "数据库中没有规划，请先运行 lanbai init / no plan in the database: run `lanbai init` first"
        )
    rows = counts_vs_targets(plan, on=day)
    if as_json:
        out.print_json(json.dumps(rows, ensure_ascii=False))
        return
    t = Table(title=f"登记数量与目标 / counts vs targets ({rows[0]['on'] if rows else ''})")
    for col in ("指标", "单位", "数量", "目标", "完成 %", "出处"):
        t.add_column(col)
    for r in rows:
        t.add_row(
            r["label"],
            r["unit_name"],
            str(r["count"]),
            "—" if r["target"] is None else f"{r['target']:g}（{r['target_year']}）",
            "—" if r["share_pct"] is None else f"{r['share_pct']:g}",
            r["target_source"] or "—",
        )
    out.print(t)


@app.command("export")
def export_cmd(
    kind: str = typer.Argument(..., help="enterprises | platforms | incubators | alliances"),
    path: Path = typer.Argument(..., help="Output .xlsx"),
) -> None:
    """导出登记表（Excel） / export a registry to Excel."""
    from lanbai.cli.django_setup import operator, setup

    setup()
    from lanbai.registry import excel

    if kind not in excel.SHEETS:
        raise _fail(f"KIND 应为 {' | '.join(excel.SHEETS)} / unknown registry {kind!r}")
    path.write_bytes(excel.export_registry(kind, user=operator()))
    out.print(f"已写入 / written: {path}")


@app.command("import")
def import_cmd(
    kind: str = typer.Argument(..., help="enterprises | platforms | incubators | alliances"),
    path: Path = typer.Argument(..., help="A filled .xlsx"),
) -> None:
    """导入登记表（整表校验，有错误则整表不导入） / import a registry (all or nothing)."""
    from lanbai.cli.django_setup import operator, setup

    setup()
    from lanbai.registry import excel

    if kind not in excel.SHEETS:
        raise _fail(f"KIND 应为 {' | '.join(excel.SHEETS)} / unknown registry {kind!r}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _fail(f"无法读取 {path} / cannot read {path}: {exc}") from exc
    result = excel.import_registry(kind, data, filename=path.name, user=operator())
    if result.problems:
        for p in result.problems:
            err.print(f"✗ {p.message_zh}", markup=False)
        raise _fail(
            f"文件被拒绝，未导入任何数据 / file refused, nothing imported: {len(result.problems)} problem(s)"
        )
    out.print(f"已导入 / imported: 新增 {result.created}，更新 {result.updated}")
