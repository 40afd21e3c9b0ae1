"""The development index on the platform's figures (computed on read, like monitoring).

Data: each zone's fourth-quarter (= whole-year) indicator values from monitoring (framework
indicators that are reported zone fields — 研发平台, 孵化器, 联盟 — from the aggregated fields), for every year
from the framework's base year (2014) to the requested year, as the long frame
``[unit, year, indicator, value]`` that :func:`lanbai.core.composite.compute_index` takes.

Base year.  The platform collects from 2015 on, so 2014 values come, in this order, from:

1. the platform itself (a zone that reported 2014Q4);
2. the plan's baselines: a target of that zone and indicator with ``baseline_year`` 2014
   (附件1 gives them for 兰州新区, for example);
3. otherwise the zone's first reported year stands in for 2014 (its index then starts at 100 in
   that year).

Every base-year value says which rule supplied it (``base_sources``).  Units are the zones (the
framework normalises each zone against its own 2014 value and ranks zones within a year); an
indicator a zone never reports cannot be normalised and is dropped by the engine, which reports it.
Uncertainty: the framework's Monte Carlo assumptions (weights ±25 %, alternative aggregations and
imputations), batched in the core; each zone gets its median rank and 5–95 % rank interval.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lanbai.common.exceptions import ApplicationError, ValidationFailed
from lanbai.core.composite import Framework, FrameworkError, IndexDataError, compute_index, load_framework
from lanbai.core.composite.audit import audit, contributions
from lanbai.core.composite.checks import DataIssue, indicator_data_issues
from lanbai.core.composite.framework import FrameworkIssue, framework_from_dict
from lanbai.core.composite.levels import level_index
from lanbai.core.composite.sensitivity import sensitivity
from lanbai.core.composite.targets import NO_TARGET, PlanTarget, target_attainment
from lanbai.core.periods import Quarter
from lanbai.monitoring.selectors import aggregated_inputs, indicator_values, plan_core
from lanbai.plans.selectors import plan_index_framework, target_baseline_rows, target_frame_rows

from .models import IndexRun

DEFAULT_RUNS = 1000


class IndexUnavailable(ApplicationError):
    """The index cannot be computed from the platform's data (the message says why, Chinese first)."""


def _framework(framework: str | Path | None) -> tuple[Framework, str, str]:
    """The framework file given (CLI ``--framework``), else the plan's as stored in the database."""
    if framework:
        path = Path(framework)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise IndexUnavailable(f"指数框架文件无法读取 / cannot read framework {path}: {exc}") from None
        return load_framework(path), hashlib.sha256(raw).hexdigest(), str(path)
    version, _, _ = plan_core()
    text = plan_index_framework(version)
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise FrameworkError(
            [FrameworkIssue("index/framework.yaml", "syntax", str(exc).replace("\n", " "))]
        ) from exc
    where = f"{version.code}:index/framework.yaml"
    return framework_from_dict(spec), hashlib.sha256(text.encode("utf-8")).hexdigest(), where


def index_frame(
    year: int, *, framework: Framework, base_year: int = 2014, preview: bool = False
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """The long frame ``[unit, year, indicator, value]`` of the zones, the base values' sources, problems.

    The rows of ``base_year`` hold each (zone, indicator)'s base value: the platform's 2014 figure, the
    plan's 2014 baseline, or the value of the indicator's declared ``base_year`` (framework node);
    ``sources`` says which, with the base year actually used.  A (zone, indicator) with none of them is
    a problem (text naming it) — the caller refuses the index.
    """
    version, plan, _ = plan_core()
    zones = [u.code for u in plan.org_units if u.kind == "zone"]
    inds = framework.indicators
    ind = indicator_values(until_period=str(Quarter(year, 4)), preview=preview)
    ind = ind[
        ind["period"].str.endswith("Q4")
        & ind["unit"].isin(zones)
        & ind["indicator"].isin(inds)
        & (ind["category"].isin(["total", ""]) | ind["category"].isna())
    ].dropna(subset=["value"])
    long = pd.DataFrame(
        {
            "unit": ind["unit"].to_numpy(),
            "year": ind["period"].str[:4].astype(int).to_numpy(),
            "indicator": ind["indicator"].to_numpy(),
            "value": ind["value"].astype(float).to_numpy(),
        }
    )
    _, _, fset = plan_core()
    field_inds = [c for c in inds if c not in fset.formulas and c in fset.fields]
    if field_inds:  # framework indicators that are reported zone fields (研发平台, 孵化器, 联盟)
        inp = aggregated_inputs(until_period=str(Quarter(year, 4)), preview=preview)
        inp = inp[inp["period"].str.endswith("Q4") & inp["unit"].isin(zones)]
        cols = [c for c in field_inds if c in inp.columns]
        melted = inp.melt(id_vars=["unit", "period"], value_vars=cols, var_name="indicator").dropna(
            subset=["value"]
        )
        long = pd.concat(
            [
                long,
                pd.DataFrame(
                    {
                        "unit": melted["unit"].to_numpy(),
                        "year": melted["period"].str[:4].astype(int).to_numpy(),
                        "indicator": melted["indicator"].to_numpy(),
                        "value": melted["value"].astype(float).to_numpy(),
                    }
                ),
            ],
            ignore_index=True,
        )
    long = long[(long["year"] >= base_year) & (long["year"] <= year)]
    sources = long.loc[long["year"] == base_year, ["unit", "indicator", "value"]].assign(source="platform")

    baselines = pd.DataFrame(
        target_baseline_rows(plan=version, year=base_year, units=zones, indicators=inds),
        columns=["unit", "indicator", "value"],
    ).drop_duplicates(["unit", "indicator"])
    baselines["value"] = baselines["value"].astype(float)
    have = pd.MultiIndex.from_frame(sources[["unit", "indicator"]])
    plan_rows = baselines[~pd.MultiIndex.from_frame(baselines[["unit", "indicator"]]).isin(have)]
    plan_rows = plan_rows[plan_rows["unit"].isin(long["unit"])].assign(source="plan_baseline")

    have = have.append(pd.MultiIndex.from_frame(plan_rows[["unit", "indicator"]]))
    # no 2014 value: the indicator's declared base year (framework), never a silent stand-in
    declared_rows, problems = [], []
    later = long[long["year"] > base_year].set_index(["unit", "indicator", "year"])["value"]
    for u in zones:
        for c in inds:
            if (u, c) in have:
                continue
            by = framework.nodes[c].base_year
            if by is None:
                problems.append(
                    f"{c} {u}: 没有 {base_year} 年基期值，框架也未声明基期 / no {base_year} value and no declared base year"
                )
                continue
            v = later.get((u, c, by))
            if v is None or not np.isfinite(v):
                if ((long["unit"] == u) & (long["indicator"] == c)).any():
                    problems.append(
                        f"{c} {u}: 声明基期 {by} 年没有已审核数据 / no approved value in the declared base year {by}"
                    )
                continue
            declared_rows.append({"unit": u, "indicator": c, "value": float(v), "source": f"declared:{by}"})
    added = pd.concat(
        [plan_rows, pd.DataFrame(declared_rows, columns=["unit", "indicator", "value", "source"])], ignore_index=True
    )
    long = pd.concat(
        [long, added[["unit", "indicator", "value"]].assign(year=base_year)[long.columns]], ignore_index=True
    )
    sources = pd.concat([sources, added], ignore_index=True).sort_values(["unit", "indicator"])
    sources["base_year"] = sources["source"].map(
        lambda s: int(s.split(":")[1]) if str(s).startswith("declared:") else base_year
    )
    return (
        long.sort_values(["unit", "year", "indicator"]).reset_index(drop=True),
        sources.reset_index(drop=True),
        problems,
    )


def carry_forward(
    long: pd.DataFrame, *, year: int, base_year: int, zones: list[str]
) -> tuple[pd.DataFrame, list[dict]]:
    """Fill a zone's missing report with its last reported value (LOCF), flagged.

    A zone that skipped a year's report (or part of it) would otherwise fall below the framework's
    coverage screen and silently vanish from that year's ranking.  Every (zone, year, indicator) between
    the base year and ``year`` with an earlier value gets that value; each filled cell is returned as
    ``{unit, year, indicator, from_year}`` so the output can flag it.  Cells with no earlier value stay
    missing (nothing is invented).
    """
    if long.empty:
        return long, []
    added: list[dict] = []
    for (unit, ind), grp in long.groupby(["unit", "indicator"]):
        if unit not in zones:
            continue
        years = dict(zip(grp["year"], grp["value"], strict=True))
        last_y = None
        for y in range(base_year, year + 1):
            if y in years:
                last_y = y
            elif last_y is not None:
                added.append(
                    {"unit": unit, "year": y, "indicator": ind, "value": years[last_y], "from_year": last_y}
                )
    if not added:
        return long, []
    extra = pd.DataFrame(added)
    out = pd.concat([long, extra[["unit", "year", "indicator", "value"]]], ignore_index=True)
    return out.sort_values(["unit", "year", "indicator"]).reset_index(drop=True), [
        {k: (int(v) if k in ("year", "from_year") else v) for k, v in a.items() if k != "value"}
        for a in added
    ]


def _base_label(sources: pd.DataFrame, unit: str, base_year: int) -> str:
    """How a zone's base (=100) was set, per indicator count: '2014×10 (规划基期值…); 2015×3 (声明基期…)'."""
    s = sources[sources["unit"] == unit]
    if s.empty:
        return ""
    parts = []
    n_platform = int((s["source"] == "platform").sum())
    n_plan = int((s["source"] == "plan_baseline").sum())
    if n_platform:
        parts.append(f"{base_year}×{n_platform} (平台数据 platform)")
    if n_plan:
        parts.append(f"{base_year}×{n_plan} (规划基期值 plan baseline)")
    declared = s[s["source"].astype(str).str.startswith("declared:")]["base_year"].value_counts().sort_index()
    parts += [f"{y}×{n} (框架声明基期 declared)" for y, n in declared.items()]
    return "; ".join(parts)


def _base_by_indicator(sources: pd.DataFrame, unit: str) -> dict[str, int]:
    """Each indicator's base year for ``unit``."""
    s = sources[sources["unit"] == unit]
    return {str(k): int(v) for k, v in zip(s["indicator"], s["base_year"], strict=True)}


def _clean(v):
    if isinstance(v, float | np.floating):
        return float(v) if np.isfinite(v) else None
    if isinstance(v, np.integer):
        return int(v)
    return v


def index_results(
    year: int,
    *,
    framework: str | Path | None = None,
    runs: int = DEFAULT_RUNS,
    seed: int = 0,
    preview: bool = False,
    with_audit: bool = False,
) -> dict:
    """Each zone's index for ``year`` (base year = 100), rank and Monte Carlo rank band, plus the series.

    ``with_audit``: add ``audit`` (:func:`_audit`: correlations, Cronbach's alpha, importance against
    nominal weight, sensitivity indices and a paragraph per zone on what drives its score).

    ``framework``: a framework file (default: the plan's); ``runs``: Monte Carlo evaluations (0 for
    none).  Raises :class:`IndexUnavailable` when the platform has no figures for ``year`` or the
    engine refuses the data (message says why).
    """
    if runs < 0:
        raise ValidationFailed("runs 应 ≥ 0 / runs: must be ≥ 0", field="runs")
    try:
        fw, fw_hash, fw_path = _framework(framework)
    except FrameworkError as exc:
        raise IndexUnavailable(f"指数框架无效 / framework refused: {exc}") from None
    version, plan, _ = plan_core()
    base_year = int(fw.method.get("base_year") or 2014)
    if year < base_year:
        raise IndexUnavailable(f"年份 {year} 早于基期 {base_year} / year before the base year {base_year}")
    long, sources, problems = index_frame(year, framework=fw, base_year=base_year, preview=preview)
    zones = [u.code for u in plan.org_units if u.kind == "zone"]
    if long.empty or not (long["year"] == year).any():
        raise IndexUnavailable(
            f"平台没有 {year} 年（{year}Q4）的已审核数据 / no approved figures for {year}Q4"
        )
    long, carried = carry_forward(long, year=year, base_year=base_year, zones=zones)
    names = {u.code: u.name for u in plan.org_units}
    zones = [z for z in zones if z in set(long["unit"])]
    declared = sources[sources["source"].astype(str).str.startswith("declared:")]
    own_bases = {str(k): set(map(int, g)) for k, g in declared.groupby("indicator")["base_year"]}
    issues = [
        str(i)
        for i in check_index_data(
            fw, long, zones=zones, base_year=base_year, year=year, names=names, base_years=own_bases
        )
    ]
    if problems or issues:
        raise IndexUnavailable(
            "指数框架不适用于平台数据（指标无数据或无差异，不作静默重新加权）/ the framework does not fit the "
            "platform's data (indicators without data or without variance are refused, not reweighted): "
            + "；".join(problems + issues)
        )
    try:
        res = compute_index(fw, long)
    except (IndexDataError, ValueError) as exc:
        raise IndexUnavailable(f"指数无法计算 / cannot compute the index: {exc}") from None
    tab = res.table()
    wide = long.pivot_table(index=["unit", "year"], columns="indicator", values="value").reset_index()
    wide.columns.name = None
    for c in fw.indicators:
        if c not in wide.columns:
            wide[c] = np.nan
    levels = _levels(fw, wide, years=sorted({int(y) for y in tab["year"]}))
    targets = _zone_targets(version, fw, zones)
    values = wide.set_index(["unit", "year"])
    band = None
    sens = None
    if runs > 0:
        assumptions = fw.method.get("sensitivity")
        try:
            sens = sensitivity(fw, wide, assumptions=assumptions, runs=runs, seed=seed)
            band = sens.ranks.set_index(["unit", "year"])
        except (IndexDataError, ValueError) as exc:
            band, band_error = None, str(exc)
        else:
            band_error = ""
    else:
        band_error = "未做蒙特卡洛分析（runs=0）/ no Monte Carlo (runs=0)"
    pillars = [a for a in fw.aggregates if a != fw.root]
    rows = []
    for rec in tab.to_dict("records"):
        key = (rec["unit"], rec["year"])
        b = band.loc[key] if band is not None and key in band.index else None
        rows.append(
            {
                "unit": rec["unit"],
                "unit_name": names.get(rec["unit"], rec["unit"]),
                "year": int(rec["year"]),
                "score": _clean(rec["score"]),
                "index": _clean(rec.get("base100")),
                "rank": int(rec["rank"]),
                "median_rank": _clean(b["median_rank"]) if b is not None else None,
                "rank_p05": _clean(b["p05"]) if b is not None else None,
                "rank_p95": _clean(b["p95"]) if b is not None else None,
                "pillars": {p: _clean(rec.get(p)) for p in pillars},
                "level": _clean(levels.get(key, {}).get("level")),
                "level_rank": levels.get(key, {}).get("level_rank"),
                "level_pillars": {p: _clean(levels.get(key, {}).get(p)) for p in pillars},
                "target": _target_reading(fw, values, key, targets.get(rec["unit"], {})),
                "base": _base_label(sources, rec["unit"], base_year),
                "base_years": _base_by_indicator(sources, rec["unit"]),
                "carried": sum(
                    1 for c in carried if c["unit"] == rec["unit"] and c["year"] == int(rec["year"])
                ),
            }
        )
    declared_units = set(sources.loc[sources["source"].astype(str).str.startswith("declared:"), "unit"])
    # the base row of a zone with declared base years is a construction, not a year of data
    rows = [r for r in rows if not (r["year"] == base_year and r["unit"] in declared_units)]
    report = res.report
    audit_section = _audit(fw, res, sens, year=year, base_year=base_year, rows=rows, names=names) if with_audit else None
    out = {
        "framework": fw.code,
        "framework_name": fw.name,
        "framework_hash": fw_hash,
        "framework_path": fw_path,
        "plan_hash": version.content_hash,
        "year": year,
        "base_year": base_year,
        "runs": runs if band is not None else 0,
        "seed": seed,
        "pillars": {p: fw.nodes[p].name for p in pillars},
        "results": [r for r in rows if r["year"] == year],
        "series": rows,
        "base_sources": [{k: _clean(v) for k, v in r.items()} for r in sources.to_dict("records")],
        "notes": {
            "dropped_indicators": report.get("dropped_indicators", []),
            "imputed_cells": int(report.get("imputed_cells", 0)),
            "incomplete_units": report.get("incomplete_units", []),
            "carried_forward": [c for c in carried if c["year"] == year],
            "screened_out": [{k: _clean(v) for k, v in r.items()} for r in report.get("screened_out", [])],
            "missing_zones": [
                names.get(z, z) for z in zones if z not in {r["unit"] for r in rows if r["year"] == year}
            ],
            "uncertainty": band_error,
        },
    }
    if audit_section is not None:
        out["audit"] = audit_section
    return out


def _audit(fw: Framework, res, sens, *, year: int, base_year: int, rows: list[dict], names: dict[str, str]) -> dict:
    """The statistical audit of the growth index (all zone-years after the base year up to ``year``)."""
    label = {c: (n.name or c) for c, n in fw.nodes.items()}
    years = res.rows["year"].to_numpy()
    tabs = audit(res, rows=years > base_year)

    def recs(df: pd.DataFrame) -> list[dict]:
        return [{k: _clean(v) for k, v in r.items()} for r in df.to_dict("records")]

    corr = tabs["correlations"].assign(
        name=lambda d: d["indicator"].map(label),
        pillar_name=lambda d: d["pillar"].map(label),
        other_name=lambda d: d["closest_other_pillar"].map(lambda c: label.get(c, "")),
    )
    pill = tabs["pillars"].assign(name=lambda d: d["node"].map(label))
    imp = tabs["importance"].assign(name=lambda d: d["indicator"].map(label))
    sens_rows = []
    if sens is not None:
        for r in sens.indices.to_dict("records"):
            sens_rows.append({k: _clean(v) for k, v in r.items()})
    by_key = {(r["unit"], r["year"]): r for r in rows}
    paragraphs = []
    order = sorted(np.flatnonzero(years == year).tolist(), key=lambda i: by_key.get((res.rows.at[i, "unit"], year), {}).get("rank", 99))
    for i in order:
        unit = str(res.rows.at[i, "unit"])
        r = by_key.get((unit, year))
        if r is None or r["index"] is None:
            continue
        pc, ic = contributions(res, i, reference=100.0)
        top_p, low_p = max(pc, key=lambda k: pc[k]), min(pc, key=lambda k: pc[k])
        top_i, low_i = max(ic, key=lambda k: ic[k]), min(ic, key=lambda k: ic[k])
        gain = r["index"] - 100.0
        band = (
            f"，蒙特卡洛排名区间第 {r['rank_p05']:.0f}–{r['rank_p95']:.0f} 位"
            if r["rank_p05"] is not None and r["rank_p95"] is not None
            else ""
        )
        level = (
            f"；按当年各园区比较的水平指数为 {r['level']:.1f}（第 {r['level_rank']} 位）"
            if r["level"] is not None
            else ""
        )
        share = f"，占 {pc[top_p] / gain:.0%}" if gain > 0 and pc[top_p] > 0 else ""
        zh = (
            f"{r['unit_name']}：增长指数 {r['index']:.1f}，第 {r['rank']} 位{band}{level}。"
            f"较基期{'增加' if gain >= 0 else '减少'} {abs(gain):.1f} 点，其中{label[top_p]}贡献最多"
            f"（{pc[top_p]:+.1f} 点{share}），{label[low_p]}最少（{pc[low_p]:+.1f} 点）；"
            f"单项指标中{label[top_i]}拉动最大（{ic[top_i]:+.1f} 点），{label[low_i]}最弱（{ic[low_i]:+.1f} 点）。"
            f"基期：{r['base']}。"
        )
        en = (
            f"{unit}: growth index {r['index']:.1f}, rank {r['rank']}; {gain:+.1f} points on the base, most from "
            f"{top_p} ({pc[top_p]:+.1f}), least from {low_p} ({pc[low_p]:+.1f}); strongest indicator {top_i} "
            f"({ic[top_i]:+.1f}), weakest {low_i} ({ic[low_i]:+.1f})."
        )
        paragraphs.append({"unit": unit, "unit_name": r["unit_name"], "text_zh": zh, "text_en": en})
    return {
        "years": f"{int(years[years > base_year].min()) if (years > base_year).any() else year}–{year}",
        "observations": int((years > base_year).sum()),
        "correlations": recs(corr),
        "pillars": recs(pill),
        "importance": recs(imp),
        "sensitivity": sens_rows,
        "runs": int(sens.runs) if sens is not None else 0,
        "paragraphs": paragraphs,
    }


def check_index_data(
    fw: Framework,
    long: pd.DataFrame,
    *,
    zones: list[str],
    base_year: int,
    year: int,
    names: dict[str, str],
    base_years: dict[str, set[int]] | None = None,
) -> list[DataIssue]:
    """The framework check on the platform's data: every indicator has a value for every zone and
    varies across the zones in every year after the base year up to ``year`` (issue 17)."""
    years = sorted({int(y) for y in long["year"] if base_year < int(y) <= year})
    return indicator_data_issues(
        fw, long, units=zones, years=years, reference_year=base_year, names=names, base_years=base_years
    )


def _levels(fw: Framework, wide: pd.DataFrame, *, years: list[int]) -> dict[tuple[str, int], dict]:
    """The level index (min–max across the zones within each year) per (zone, year), with its rank."""
    out: dict[tuple[str, int], dict] = {}
    pillars = [a for a in fw.aggregates if a != fw.root]
    for y in years:
        try:
            res = level_index(fw, wide, y)
        except (IndexDataError, ValueError):
            continue  # a year before the data (the base row): no level reading
        tab = res.table()
        for rec in tab.to_dict("records"):
            out[(rec["unit"], y)] = {
                "level": rec["score"],
                "level_rank": int(rec["rank"]),
                **{p: rec.get(p) for p in pillars},
            }
    return out


TARGET_YEAR = 2020  # the plan's end year: its 专栏/附件 targets are stated for 2020


def _zone_targets(version, fw: Framework, zones: list[str]) -> dict[str, dict[str, PlanTarget]]:
    """Each zone's plan targets for ``TARGET_YEAR`` on the framework's indicators (whole-indicator targets)."""
    out: dict[str, dict[str, PlanTarget]] = {}
    inds = set(fw.indicators)
    for unit, ind, kind, category, year, value, _cmp, _by, _bv, source in target_frame_rows(plan=version):
        if kind == "target" and year == TARGET_YEAR and category in ("total", "") and ind in inds and unit in zones:
            out.setdefault(unit, {})[ind] = PlanTarget(value=float(value), year=int(year), source=source)
    return out


def _target_reading(fw: Framework, values: pd.DataFrame, key: tuple, targets: dict[str, PlanTarget]) -> dict:
    """The zone's distance to its plan targets in that year (:func:`target_attainment`), JSON-clean."""
    row = values.loc[key] if key in values.index else pd.Series(dtype=float)
    got = target_attainment(fw, {c: _clean(row.get(c)) for c in fw.indicators}, targets)
    got["attainment"] = _clean(got["attainment"])
    got["by_indicator"] = [{k: _clean(v) for k, v in r.items()} for r in got["by_indicator"]]
    got["target_year"] = TARGET_YEAR
    return got


def target_text(reading: dict) -> str:
    """The reading as one cell: "84.3%（10/12 项，附件1）" or "无目标值"."""
    if reading.get("attainment") is None:
        return NO_TARGET
    return (
        f"{reading['attainment']:.1f}%（{reading['covered']}/{reading['indicators']} 项，"
        f"{'、'.join(reading['sources'])}）"
    )


def _table_rows(result: dict, year: int) -> list[dict]:
    rows = []
    for r in sorted((r for r in result["results"] if r["year"] == year), key=lambda r: r["rank"]):
        band = (
            f"{r['rank_p05']:.0f}–{r['rank_p95']:.0f}"
            if r["rank_p05"] is not None and r["rank_p95"] is not None
            else "—"
        )
        rows.append(
            {
                "园区 / zone": r["unit_name"],
                "增长指数（基期=100）/ growth index": None if r["index"] is None else round(r["index"], 1),
                "排名 / rank": r["rank"],
                "排名区间（5%–95%）/ rank band": band,
                "水平指数（0–100）/ level index": None if r["level"] is None else round(r["level"], 1),
                "水平排名 / level rank": r["level_rank"],
                f"距{TARGET_YEAR}年目标 / to the {TARGET_YEAR} targets": target_text(r["target"]),
                "基期 / base": r["base"],
            }
        )
    return rows


def index_table(*, year: int, runs: int = 200, seed: int = 0) -> list[dict]:
    """The development index of ``year`` as rows for publications (annual report).

    One row per zone: the growth index (each zone's base = 100), its rank and the 5–95 % rank
    interval of the Monte Carlo uncertainty analysis, the level index (min–max across the zones
    within the year) and its rank, and the base years, with the column names the report prints.
    """
    return _table_rows(index_results(year, runs=runs, seed=seed), year)


def index_report_section(*, year: int, runs: int = 200, seed: int = 0) -> dict:
    """The annual report's index section: the table (:func:`index_table`) and the statistical audit."""
    result = index_results(year, runs=runs, seed=seed, with_audit=True)
    return {"rows": _table_rows(result, year), "audit": result["audit"], "runs": result["runs"], "seed": seed}


def index_run_list(*, year: str | int | None = None, limit: int = 50) -> list[IndexRun]:
    """Stored index runs, newest first (at most ``limit``); ``year`` filters (ValidationFailed unless an integer)."""
    qs = IndexRun.objects.all()
    if year is not None and year != "":
        if not str(year).isdigit():
            raise ValidationFailed("year 应为整数 / year must be an integer")
        qs = qs.filter(year=int(year))
    return list(qs[:limit])
