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
from lanbai.core.composite.framework import FrameworkIssue, framework_from_dict
from lanbai.core.composite.sensitivity import sensitivity
from lanbai.core.periods import Quarter
from lanbai.monitoring.selectors import aggregated_inputs, indicator_values, plan_core
from lanbai.plans.selectors import plan_index_framework, target_baseline_rows

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
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The long frame ``[unit, year, indicator, value]`` of the zones, and the base-year sources."""
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
    later = long[long["year"] > base_year].sort_values("year")
    first = later.drop_duplicates(["unit", "indicator"], keep="first")
    first = first[~pd.MultiIndex.from_frame(first[["unit", "indicator"]]).isin(have)]
    first_rows = first.assign(source=first["year"].map(lambda y: f"first_year:{y}"))[
        ["unit", "indicator", "value", "source"]
    ]
    added = pd.concat([plan_rows, first_rows], ignore_index=True)
    long = pd.concat(
        [long, added[["unit", "indicator", "value"]].assign(year=base_year)[long.columns]], ignore_index=True
    )
    sources = pd.concat([sources, added], ignore_index=True).sort_values(["unit", "indicator"])
    return long.sort_values(["unit", "year", "indicator"]).reset_index(drop=True), sources.reset_index(
        drop=True
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
    """How a zone's base (=100) was set, per indicator count: '2014×10; 2015×3 (首报年 first report)'."""
    s = sources[sources["unit"] == unit]["source"].astype(str)
    if s.empty:
        return ""
    n_base = int(s.isin(["platform", "plan_baseline"]).sum())
    parts = [f"{base_year}×{n_base}"] if n_base else []
    firsts = s[s.str.startswith("first_year:")].str.split(":").str[1].value_counts().sort_index()
    parts += [f"{y}×{n} (首报年 first report)" for y, n in firsts.items()]
    return "; ".join(parts)


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
) -> dict:
    """Each zone's index for ``year`` (base year = 100), rank and Monte Carlo rank band, plus the series.

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
    long, sources = index_frame(year, framework=fw, base_year=base_year, preview=preview)
    zones = [u.code for u in plan.org_units if u.kind == "zone"]
    if long.empty or not (long["year"] == year).any():
        raise IndexUnavailable(
            f"平台没有 {year} 年（{year}Q4）的已审核数据 / no approved figures for {year}Q4"
        )
    long, carried = carry_forward(long, year=year, base_year=base_year, zones=zones)
    try:
        res = compute_index(fw, long)
    except (IndexDataError, ValueError) as exc:
        raise IndexUnavailable(f"指数无法计算 / cannot compute the index: {exc}") from None
    tab = res.table()
    names = {u.code: u.name for u in plan.org_units}
    band = None
    if runs > 0:
        wide = long.pivot_table(index=["unit", "year"], columns="indicator", values="value").reset_index()
        wide.columns.name = None
        for c in fw.indicators:
            if c not in wide.columns:
                wide[c] = np.nan
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
                "base": _base_label(sources, rec["unit"], base_year),
                "carried": sum(
                    1 for c in carried if c["unit"] == rec["unit"] and c["year"] == int(rec["year"])
                ),
            }
        )
    report = res.report
    return {
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


def index_table(*, year: int, runs: int = 200, seed: int = 0) -> list[dict]:
    """The development index of ``year`` as rows for publications (annual report).

    One row per zone: the index (base year = 100), its rank and the 5–95 % rank interval of the
    Monte Carlo uncertainty analysis, with Chinese column names as the report prints them.
    """
    result = index_results(year, runs=runs, seed=seed)
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
                "发展指数（基期=100）/ index": None if r["index"] is None else round(r["index"], 1),
                "排名 / rank": r["rank"],
                "排名区间（5%–95%）/ rank band": band,
            }
        )
    return rows


def index_run_list(*, year: str | int | None = None, limit: int = 50) -> list[IndexRun]:
    """Stored index runs, newest first (at most ``limit``); ``year`` filters (ValidationFailed unless an integer)."""
    qs = IndexRun.objects.all()
    if year is not None and year != "":
        if not str(year).isdigit():
            raise ValidationFailed("year 应为整数 / year must be an integer")
        qs = qs.filter(year=int(year))
    return list(qs[:limit])
