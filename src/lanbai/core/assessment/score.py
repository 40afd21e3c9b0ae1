"""Scoring the units against a scheme, vectorised with pandas.

Inputs are frames of evidence rows, one frame per source (``indicators``, ``measures``, ``reports``),
each with the columns ``unit`` (the code of the unit it counts for), ``ref`` (what the row is: an
indicator code, a measure code, a report), ``label`` (its words) and the fields the scheme's
components score (``status``, ``on_time``, ``returned`` …).  ``units`` lists the units to score:
``unit``, ``name``, ``kind`` (``zone`` / ``city``) and, for a zone, its ``city``.

A zone's total is its own: ``100 × Σ score / Σ applicable weight``.  A city's total is
``city.zones × mean(its zones' totals) + city.own × its own total`` (the city 创新办's own evidence);
with no own evidence it is the mean of its zones, with no zone its own total.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .scheme import Scheme

EVIDENCE_COLUMNS = ["unit", "component", "ref", "label", "value", "points", "counted"]
COMPONENT_COLUMNS = ["unit", "component", "name", "weight", "rows", "points", "share", "score", "applicable",
                     "rule"]
SCORE_COLUMNS = ["unit", "name", "kind", "own_total", "zones_total", "total", "grade"]
ZONES = "zones"  # the pseudo component of a city: its zones' totals


def _key(value: Any) -> str:
    """A row's value as the scheme writes it: booleans ``true`` / ``false``, missing ``""``."""
    if isinstance(value, bool | np.bool_):
        return "true" if value else "false"
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value)


def _keys(series: pd.Series) -> pd.Series:
    return series.map(_key).astype(object)


@dataclass(frozen=True)
class AssessmentResult:
    """Per unit: ``scores`` (total, grade), ``components`` (the breakdown), ``evidence`` (every row)."""

    scores: pd.DataFrame
    components: pd.DataFrame
    evidence: pd.DataFrame

    def records(self) -> list[dict[str, Any]]:
        """Per unit, its score with the breakdown and each component's evidence rows (plain JSON)."""
        out = []
        comps = self.components.groupby("unit", sort=False)
        evs = self.evidence.groupby(["unit", "component"], sort=False)
        ev_groups = set(evs.groups)
        comp_groups = set(comps.groups)
        for s in self.scores.to_dict("records"):
            unit = s["unit"]
            breakdown = []
            if unit in comp_groups:
                for c in comps.get_group(unit).to_dict("records"):
                    rows = (evs.get_group((unit, c["component"])).drop(columns=["unit", "component"])
                            if (unit, c["component"]) in ev_groups else pd.DataFrame(columns=EVIDENCE_COLUMNS[2:]))
                    breakdown.append(_clean(c) | {"evidence": [_clean(r) for r in rows.to_dict("records")]})
            out.append(_clean(s) | {"components": breakdown})
        return out


def _clean(rec: dict[Any, Any]) -> dict[str, Any]:
    """NaN → None, NumPy scalars → Python (JSON-ready)."""
    out: dict[str, Any] = {}
    for k, v in rec.items():
        if isinstance(v, np.generic):
            v = v.item()
        if isinstance(v, float) and math.isnan(v):
            v = None
        out[str(k)] = v
    return out


def _empty_evidence() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in EVIDENCE_COLUMNS})


def _component(scheme_component: Any, frame: pd.DataFrame | None, units: list[str]) -> tuple[pd.DataFrame,
                                                                                              pd.DataFrame]:
    """The evidence rows and the per-unit breakdown of one component."""
    c = scheme_component
    f = frame if frame is not None else pd.DataFrame(columns=["unit", "ref", "label", c.field])
    if c.field not in f.columns:
        f = f.assign(**{c.field: pd.Series([None] * len(f), index=f.index, dtype=object)})
    f = f[f["unit"].isin(units)]
    for column, wanted in c.filter.items():
        col = f[column] if column in f.columns else pd.Series([None] * len(f), index=f.index, dtype=object)
        f = f[_keys(col).isin(wanted)]
    keys = _keys(f[c.field])
    counted = ~keys.isin(c.exclude)
    points = keys.map(c.points).astype(float).fillna(c.default).where(counted)
    ev = pd.DataFrame({
        "unit": f["unit"].astype(object),
        "component": c.code,
        "ref": f["ref"].astype(object) if "ref" in f else "",
        "label": f["label"].astype(object) if "label" in f else "",
        "value": keys,
        "points": points,
        "counted": counted,
    }, columns=EVIDENCE_COLUMNS)
    by = ev[ev["counted"]].groupby("unit")["points"].agg(["count", "sum"])
    agg = by.reindex(units)
    rows = agg["count"].fillna(0).astype(int)
    total = agg["sum"].fillna(0.0).astype(float)
    share = (total / rows.where(rows > 0)).astype(float)
    applicable = rows > 0
    if c.empty == "zero":
        share, applicable = share.fillna(0.0), pd.Series(True, index=share.index)
    elif c.empty == "full":
        share, applicable = share.fillna(1.0), pd.Series(True, index=share.index)
    comp = pd.DataFrame({
        "unit": units,
        "component": c.code,
        "name": c.name,
        "weight": float(c.weight),
        "rows": rows.to_numpy(),
        "points": total.round(4).to_numpy(),
        "share": share.round(4).to_numpy(),
        "score": (share * c.weight).round(2).to_numpy(),
        "applicable": applicable.to_numpy(),
        "rule": c.rule,
    }, columns=COMPONENT_COLUMNS)
    return ev, comp


def score_units(scheme: Scheme, units: pd.DataFrame, evidence: dict[str, pd.DataFrame]) -> AssessmentResult:
    """Score every unit of ``units`` with ``scheme`` from the ``evidence`` frames (keyed by source)."""
    codes = [str(u) for u in units["unit"]]
    evs, comps = [], []
    for c in scheme.components:
        ev, comp = _component(c, evidence.get(c.source), codes)
        evs.append(ev)
        comps.append(comp)
    components = pd.concat(comps, ignore_index=True)
    evidence_rows = pd.concat([e for e in evs if not e.empty] or [_empty_evidence()], ignore_index=True)
    used = components[components["applicable"]]
    weight = used.groupby("unit")["weight"].sum().reindex(codes)
    got = used.groupby("unit")["score"].sum().reindex(codes)
    own = (got / weight.where(weight > 0) * 100).round(2)

    info = units.set_index("unit")
    kinds = info["kind"].reindex(codes).astype(str)
    cities = (info["city"] if "city" in info.columns else pd.Series("", index=info.index)).reindex(codes)
    zone_totals = pd.DataFrame({"unit": codes, "city": cities.fillna("").to_numpy(),
                                "own": own.to_numpy()})
    zone_totals = zone_totals[(kinds == "zone").to_numpy() & zone_totals["own"].notna().to_numpy()]
    zones_mean = zone_totals.groupby("city")["own"].mean().round(2)
    zones_of_city = pd.Series(codes, index=codes).map(zones_mean).where((kinds == "city").to_numpy())
    own_city = own.where(kinds == "city")
    both = scheme.city.zones * zones_of_city + scheme.city.own * own_city
    city_total = both.fillna(zones_of_city).fillna(own_city)
    total = own.where(kinds != "city", city_total).round(2)
    scores = pd.DataFrame({
        "unit": codes,
        "name": info["name"].reindex(codes).astype(object).to_numpy(),
        "kind": kinds.to_numpy(),
        "own_total": own.to_numpy(),
        "zones_total": zones_of_city.to_numpy(),
        "total": total.to_numpy(),
    })
    scores["grade"] = [scheme.grade(t) if not math.isnan(t) else "" for t in scores["total"].astype(float)]

    # the city's pseudo component: its zones' totals as evidence
    if not zone_totals.empty and (kinds == "city").any():
        city_zone = zone_totals[zone_totals["city"].isin(list(kinds[kinds == "city"].index))]
        names = info["name"].astype(str).to_dict()
        zev = pd.DataFrame({
            "unit": city_zone["city"].to_numpy(), "component": ZONES, "ref": city_zone["unit"].to_numpy(),
            "label": [names.get(u, u) for u in city_zone["unit"]], "value": city_zone["own"].astype(str).to_numpy(),
            "points": (city_zone["own"] / 100).round(4).to_numpy(), "counted": True,
        }, columns=EVIDENCE_COLUMNS)
        evidence_rows = pd.concat([evidence_rows, zev], ignore_index=True)
        zc = scores[scores["kind"] == "city"]
        zone_rows = city_zone.groupby("city")["unit"].count().reindex(zc["unit"]).fillna(0).astype(int)
        zcomp = pd.DataFrame({
            "unit": zc["unit"].to_numpy(), "component": ZONES, "name": "所辖园区得分",
            "weight": 100.0, "rows": zone_rows.to_numpy(),
            "points": np.nan, "share": (zc["zones_total"] / 100).round(4).to_numpy(),
            "score": zc["zones_total"].to_numpy(), "applicable": zc["zones_total"].notna().to_numpy(),
            "rule": f"所辖园区总分的平均值，占城市总分的 {scheme.city.zones:.0%}；"
                    f"市创新办自身得分占 {scheme.city.own:.0%}",
        }, columns=COMPONENT_COLUMNS)
        components = pd.concat([components, zcomp], ignore_index=True)
    order = {u: n for n, u in enumerate(codes)}
    corder = {c.code: n for n, c in enumerate(scheme.components)} | {ZONES: -1}
    components = components.sort_values(
        by=["unit", "component"], key=lambda s: s.map(order) if s.name == "unit" else s.map(corder),
        kind="stable",
    ).reset_index(drop=True)
    return AssessmentResult(scores=scores, components=components, evidence=evidence_rows)
