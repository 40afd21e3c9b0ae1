"""``lanbai index``: compute a composite index from a framework file and a data file, run its
uncertainty/sensitivity analysis and statistical coherence (pure core, no database needed)."""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from lanbai.core.composite import FrameworkError, IndexDataError, compute, load_framework
from lanbai.core.composite.coherence import coherence
from lanbai.core.composite.io import read_data
from lanbai.core.composite.sensitivity import sensitivity

app = typer.Typer(no_args_is_help=True)
out = Console()
err = Console(stderr=True)

DEFAULT_FRAMEWORK = (
    Path(__file__).resolve().parents[3] / "plans" / "lanbai-2015-2020" / "index" / "framework.yaml"
)

FrameworkOpt = typer.Option(
    None,
    "--framework",
    "-f",
    help="Framework file (.yaml/.json, or COINr iMeta .csv). Default: the Lanbai index.",
)
DataOpt = typer.Option(None, "--data", "-d", help="Data file (CSV/Excel), wide or long; see docs/index.md.")
AllowConstantOpt = typer.Option(
    False,
    "--allow-constant",
    help="--data: drop an indicator that cannot be normalised (constant, zero range, missing base) and give "
    "its weight to its siblings, listed on stderr; without it such an indicator is refused by name.",
)
CONSTANT_HINT = (
    "无差异（或无法标准化）的指标不静默剔除；确需剔除并把权重分给同级指标，请加 --allow-constant / an indicator "
    "that cannot be normalised is not dropped silently; pass --allow-constant to drop it (its siblings share its "
    "weight)"
)


def _on_constant(fw, allow_constant: bool):
    """The command line decides what a constant indicator does in --data mode, not the file's ``on_constant``
    default: refused (``error``) unless ``--allow-constant`` (``drop``, reported)."""
    return dataclasses.replace(fw, method={**fw.method, "on_constant": "drop" if allow_constant else "error"})


def _refused(what: str, exc: Exception) -> typer.Exit:
    err.print(f"[red]✗[/red] {what}: {escape(str(exc))}", highlight=False)
    if "cannot normalise" in str(exc):
        err.print(CONSTANT_HINT, highlight=False, markup=False)
    return typer.Exit(2)


def _dropped_note(dropped: list[dict]) -> str:
    return "剔除指标（--allow-constant，权重分给同级指标）/ dropped indicators (--allow-constant, weight to " \
        "siblings): " + "; ".join(f"{d['indicator']} ({d['reason']})" for d in dropped)


def _load(framework: Path | None, data: Path | None, *, allow_constant: bool = False):
    fpath = framework or DEFAULT_FRAMEWORK
    try:
        fw = load_framework(fpath)
    except FrameworkError as exc:
        for issue in exc.issues:
            err.print(f"[red]✗[/red] {escape(str(issue))}", highlight=False)
        err.print(f"框架无效 / framework refused: {len(exc.issues)} problem(s) in {fpath}", markup=False)
        raise typer.Exit(2) from exc
    if data is None:
        err.print(
            "请用 --data 指定数据文件，或用 --year 从平台已审核数据计算 / pass --data D.csv, or --year Y to use the platform's approved figures"
        )
        raise typer.Exit(2)
    try:
        df = read_data(data)
    except IndexDataError as exc:
        err.print(f"[red]✗[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from exc
    return _on_constant(fw, allow_constant), df


def _fmt(v: object) -> str:
    if isinstance(v, float | np.floating):
        return "" if not np.isfinite(v) else f"{v:.2f}"
    return str(v)


def _print_table(df: pd.DataFrame, title: str) -> None:
    t = Table(title=escape(title), show_lines=False)
    for c in df.columns:
        t.add_column(escape(str(c)), justify="right" if df[c].dtype.kind in "fiu" else "left")
    for row in df.itertuples(index=False):
        t.add_row(*[escape(_fmt(v)) for v in row])  # cells are data, not markup
    out.print(t)


@app.command("compute")
def compute_cmd(
    framework: Path | None = FrameworkOpt,
    data: Path | None = DataOpt,
    year: int | None = typer.Option(
        None,
        "--year",
        help="Only show this year; without --data: compute from the platform's approved figures.",
    ),
    csv: bool = typer.Option(False, "--csv", help="Write CSV to stdout instead of a table."),
    runs: int = typer.Option(
        1000, "--runs", min=0, help="Platform mode: Monte Carlo evaluations for the rank band (0 = none)."
    ),
    seed: int = typer.Option(0, "--seed", help="Platform mode: random seed of the Monte Carlo."),
    save: bool = typer.Option(
        False, "--save", help="Platform mode: store the run (IndexRun) for the annual report."
    ),
    allow_constant: bool = AllowConstantOpt,
) -> None:
    """计算指数 / Compute the index: scores and ranks of every unit (and year)."""
    if data is None and allow_constant:
        err.print("--allow-constant 只用于 --data / --allow-constant applies to --data only: the platform's data "
                  "refuses an indicator without variance (docs/index.md)", markup=False)
        raise typer.Exit(2)
    if data is None and year is not None:
        _compute_from_platform(framework, year, runs=runs, seed=seed, save=save, as_csv=csv)
        return
    fw, df = _load(framework, data, allow_constant=allow_constant)
    try:
        res = compute(fw, df)
    except (IndexDataError, FrameworkError, ValueError) as exc:
        raise _refused("计算失败 / cannot compute", exc) from exc
    tab = res.table()
    if year is not None:
        if "year" not in tab:
            err.print("数据没有 year 列 / the data has no year column")
            raise typer.Exit(2)
        tab = tab[tab["year"] == year]
        if tab.empty:
            err.print(f"没有 {year} 年的数据 / no row for year {year}")
            raise typer.Exit(2)
    if csv:
        tab.to_csv(sys.stdout, index=False, float_format="%.6g")
    else:
        # the terminal table keeps scores; --csv gives every rank as well
        _print_table(tab[[c for c in tab.columns if not c.endswith("_rank")]], f"{fw.name} ({fw.code})")
    rep = res.report
    notes = []
    if rep.get("screened_out"):
        notes.append(f"筛除单位 / screened out: {[r['unit'] for r in rep['screened_out']]}")
    if rep.get("imputed_cells"):
        notes.append(f"插补 / imputed cells: {rep['imputed_cells']}")
    if rep.get("treatment"):
        notes.append(f"异常值处理 / treated indicators: {[r['indicator'] for r in rep['treatment']]}")
    if rep.get("dropped_indicators"):
        notes.append(_dropped_note(rep["dropped_indicators"]))
    if rep.get("incomplete_units"):
        notes.append(f"数据不全未计算 / not computed: {rep['incomplete_units']}")
    if rep.get("partial_units"):
        notes.append(f"部分指标缺失（权重已重新分配）/ partial: {len(rep['partial_units'])} row(s)")
    for n in notes:
        err.print(n, highlight=False, markup=False)


def _compute_from_platform(
    framework: Path | None, year: int, *, runs: int, seed: int, save: bool, as_csv: bool
) -> None:
    """``--year`` without ``--data``: the index of every zone from the platform's approved figures."""
    from .django_setup import operator, setup

    setup()
    from django.db import Error as DatabaseError

    from lanbai.common.exceptions import ApplicationError
    from lanbai.indices.selectors import index_results, target_text
    from lanbai.indices.services import index_run_save

    try:
        with err.status("计算中（含蒙特卡洛）/ computing (with Monte Carlo)…"):
            res = index_results(year, framework=framework, runs=runs, seed=seed)
    except ApplicationError as exc:
        err.print(f"✗ {exc.message}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    except FrameworkError as exc:
        err.print(f"✗ {exc.args[0] if exc.args else exc}", highlight=False, markup=False)
        raise typer.Exit(2) from None
    except DatabaseError as exc:
        err.print(
            f"✗ 无法读取平台数据库（{exc}）；可用 --data 指定数据文件 / cannot read the platform database; "
            "pass --data D.csv instead",
            highlight=False,
            markup=False,
        )
        raise typer.Exit(2) from None
    rows = pd.DataFrame(
        [
            {
                "unit": r["unit"],
                "name": r["unit_name"],
                "year": r["year"],
                "index_base=100": r["index"],
                "level_0-100": r["level"],
                "level_rank": r["level_rank"],
                "base": r["base"],
                "base_by_indicator": ";".join(f"{k}={v}" for k, v in sorted(r["base_years"].items())),
                "flags": f"上年值结转 carried forward ×{r['carried']}" if r["carried"] else "",
                "rank": r["rank"],
                "median_rank": r["median_rank"],
                "rank_p05": r["rank_p05"],
                "rank_p95": r["rank_p95"],
                "target_2020_%": r["target"]["attainment"],
                "target_coverage": f"{r['target']['covered']}/{r['target']['indicators']}",
                "to_target": target_text(r["target"]),
                **{p: v for p, v in r["pillars"].items()},
            }
            for r in sorted(res["results"], key=lambda r: r["rank"])
        ]
    )
    if as_csv:
        rows.to_csv(sys.stdout, index=False, float_format="%.6g")
    else:
        shown = rows[
            ["name", "year", "index_base=100", "rank", "level_0-100", "level_rank", "median_rank", "rank_p05", "rank_p95"]
        ]
        shown = shown.rename(
            columns={
                "name": "单位 zone",
                "year": "年份",
                "index_base=100": "增长指数（基期=100）",
                "rank": "增长排名",
                "level_0-100": "水平指数（0–100）",
                "level_rank": "水平排名",
                "base": "基期 base (年×指标数)",
                "flags": "标记 flags",
                "median_rank": "中位排名",
                "rank_p05": "排名5%",
                "rank_p95": "排名95%",
            }
        )
        _print_table(shown, f"{res['framework_name']} {year}（蒙特卡洛 {res['runs']} 次 / MC runs）")
    notes = res["notes"]
    if not as_csv:
        for _, r in rows.iterrows():
            err.print(
                f"基期 / base {r['name']}: {r['base']} {r['flags']}".rstrip(), highlight=False, markup=False
            )
    if notes["dropped_indicators"]:
        err.print(
            f"剔除指标 / dropped indicators: {notes['dropped_indicators']}", highlight=False, markup=False
        )
    for c in notes.get("carried_forward", []):
        err.print(
            f"上年值结转 / carried forward: {c['unit']} {c['indicator']} {year} ← {c['from_year']}（无已审核报表 no approved report）",
            highlight=False,
            markup=False,
        )
    for r in notes.get("screened_out", []):
        err.print(f"筛除单位 / screened out: {r}", highlight=False, markup=False)
    if notes.get("missing_zones"):
        err.print(f"未列入排名 / not ranked: {notes['missing_zones']}", highlight=False, markup=False)
    if notes["uncertainty"]:
        err.print(f"排名区间 / rank band: {notes['uncertainty']}", highlight=False, markup=False)
    if not as_csv:
        for r in sorted(res["results"], key=lambda r: r["rank"]):  # beside the level index: one line a zone
            parts = [
                f"{t['indicator']} {t['attainment']:.1f}%（{t['value']:.4g}/{t['target']:.4g}，{t['source']}）"
                if t["attainment"] is not None else f"{t['indicator']} {t['note']}"
                for t in r["target"]["by_indicator"]
            ] if r["target"]["covered"] else []
            err.print(
                f"距2020年目标 / to the 2020 targets {r['unit_name']}: {target_text(r['target'])}"
                + (f"：{'; '.join(parts)}" if parts else ""),
                highlight=False,
                markup=False,
            )
        by_ind: dict[str, list[str]] = {}
        for s in res["base_sources"]:
            by_ind.setdefault(s["indicator"], []).append(f"{s['unit']} {s['base_year']}")
        for ind, parts in sorted(by_ind.items()):
            err.print(f"基期 / base year {ind}: {', '.join(parts)}", highlight=False, markup=False)
    err.print(
        "增长指数：各园区对本园区基期（=100）；水平指数：当年各园区间最小–最大标准化（0=最低，100=最高）/ growth: "
        "each zone against its own base (=100); level: min–max across the zones within the year；"
        "距2020年目标：实际值/规划目标值（越低越好：目标值/实际值），上限100%，仅有目标值的指标 / to the 2020 "
        "targets: value / plan target (lower is better: target / value), capped at 100 %, indicators with a "
        "target only",
        highlight=False,
        markup=False,
    )
    if save:
        run = index_run_save(result=res, user=operator())
        err.print(
            f"已保存计算记录 / saved IndexRun #{run.pk} (framework {run.framework_hash[:12]})",
            highlight=False,
        )


@app.command("sensitivity")
def sensitivity_cmd(
    framework: Path | None = FrameworkOpt,
    data: Path | None = DataOpt,
    runs: int = typer.Option(10000, "--runs", min=1, help="Total model evaluations."),
    seed: int = typer.Option(0, "--seed"),
    csv: bool = typer.Option(False, "--csv", help="Write the rank table as CSV to stdout."),
    allow_constant: bool = AllowConstantOpt,
) -> None:
    """不确定性与敏感性分析 / Monte Carlo rank intervals and Saltelli/Jansen sensitivity indices."""
    fw, df = _load(framework, data, allow_constant=allow_constant)
    assumptions = fw.method.get("sensitivity") if isinstance(fw.method, dict) else None
    with Progress(
        TextColumn("蒙特卡洛 / Monte Carlo"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as prog:
        task = prog.add_task("mc", total=runs)

        def _cb(done: int, total: int) -> None:
            prog.update(task, completed=done, total=total)

        try:
            res = sensitivity(fw, df, assumptions=assumptions, runs=runs, seed=seed, progress=_cb)
        except (IndexDataError, FrameworkError, ValueError) as exc:
            raise _refused("分析失败 / cannot run", exc) from exc
    if csv:
        res.ranks.to_csv(sys.stdout, index=False, float_format="%.6g")
        return
    _print_table(res.ranks, f"排名不确定性 / rank uncertainty ({res.runs} runs)")
    _print_table(res.indices, "敏感性指数 / sensitivity indices (output: mean |rank shift|)")
    if res.excluded_units:
        err.print(
            f"未参与分析的单位 / units excluded by some imputation alternative: {res.excluded_units}",
            markup=False,
        )


@app.command("coherence")
def coherence_cmd(
    framework: Path | None = FrameworkOpt, data: Path | None = DataOpt, allow_constant: bool = AllowConstantOpt
) -> None:
    """统计一致性 / Statistical coherence per pillar: correlations, Cronbach's alpha, PCA."""
    fw, df = _load(framework, data, allow_constant=allow_constant)
    try:
        res = compute(fw, df)
    except (IndexDataError, FrameworkError, ValueError) as exc:
        raise _refused("计算失败 / cannot compute", exc) from exc
    if res.report.get("dropped_indicators"):
        err.print(_dropped_note(res.report["dropped_indicators"]), highlight=False, markup=False)
    aggs, kids = coherence(res)
    _print_table(aggs, "维度一致性 / per aggregate")
    _print_table(kids, "与上级的相关 / correlation with parent")
