"""Statistical disclosure control of a release's rows (the core is :mod:`lanbai.core.disclosure`).

Rule applied (docs/open-data.md, "Statistical disclosure control: what the releases apply"):

* Only **enterprise-aggregated indicators** are subject to the enterprise rules: an indicator
  whose formula only sums enterprise-level fields of the 企业季报 (附件2/附件3: 产值, 工业增加值,
  产业税收, 新增就业).  Figures the zone reports itself on the 园区季报 (GDP, R&D expenditure,
  population …) have one contributor, the zone, which is not an enterprise: they are published.
* The table is units × enterprise indicators with the totals an intruder can use: 兰白试验区 =
  兰州市 + 白银市, each city = its zones, 4区合计 = the four zones.  Primary cells: threshold
  (fewer than ``min_contributors`` enterprises) and (n, k) dominance, thresholds from the plan
  (``disclosure_control``); contributions are the enterprises' figures in the approved 企业季报 of
  the period.  Secondary suppression (complements, singletons) and, for a new release of a period
  already published, :func:`suppress_across_releases` against the current published release.
* If the table cannot be protected (e.g. not additive), every enterprise-indicator cell is
  suppressed: failing safe.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from lanbai.collection.selectors import approved_values, enterprise_list
from lanbai.core.disclosure import (
    CONFIDENTIAL,
    DisclosureError,
    assess_cells,
    rules_from_plan,
    secondary_suppression,
    suppress_across_releases,
)
from lanbai.monitoring.selectors import plan_core

_SUM = re.compile(r'^(?:convert\()?\s*sum\((\w+) where category == "(\w+)"\)')
_REF = re.compile(r"ind:(\w+)\.(\w+)")
KEYS = ["unit", "indicator"]
# hidden with a suppressed cell: yoy, the assessed value, the status and its rule give the value away
HIDDEN_FIELDS = ("value", "yoy_pct", "assessed_value", "status", "rule", "not_computable_reason")


def enterprise_indicators() -> dict[str, list[tuple[str, str]]]:
    """indicator code -> [(enterprise field, category)] it sums, for the enterprise-aggregated indicators."""
    _, _, fset = plan_core()
    by_key = {f.spec.key: f.spec for f in fset.formulas.values()}
    out: dict[str, list[tuple[str, str]]] = {}

    def parts(key: str, depth: int = 0) -> list[tuple[str, str]] | None:
        spec = by_key.get(key)
        if spec is None or depth > 5:
            return None
        m = _SUM.match(spec.expr.strip())
        if m:
            fld = fset.fields.get(m.group(1))
            return [(m.group(1), m.group(2))] if fld is not None and fld.level == "enterprise" else None
        refs = _REF.findall(spec.expr)
        if not refs:
            return None
        got: list[tuple[str, str]] = []
        for code, cat in refs:
            sub = parts(f"{code}.{cat}", depth + 1)
            if sub is None:
                return None
            got += sub
        return got

    for spec in by_key.values():
        if spec.category == "total":
            p = parts(spec.key)
            if p:
                out[spec.code] = p
    return out


def _hierarchy() -> dict[str, list[str]]:
    _, plan, _ = plan_core()
    tree: dict[str, list[str]] = {}
    for u in plan.org_units:
        if u.kind in ("city", "zone") and u.parent:
            tree.setdefault(u.parent, []).append(u.code)
        if u.kind == "aggregate" and u.members:
            tree[u.code] = list(u.members)
    return tree


def contributions(period: str, indicators: dict[str, list[tuple[str, str]]]) -> pd.DataFrame:
    """One row per (zone, indicator, enterprise): the enterprise's figure in its approved 企业季报 of ``period``."""
    zone_of = {e.org_unit_id: e.zone.code for e in enterprise_list() if e.zone_id}
    rows = []
    for unit_id, _, values in approved_values(org_unit_ids=list(zone_of), periods=[period]):
        for ind, comps in indicators.items():
            total = 0.0
            for fld, cat in comps:
                v = values.get(fld)
                if values.get("category") == cat and v not in (None, ""):
                    try:
                        total += float(v)
                    except (TypeError, ValueError):
                        continue
            rows.append({"unit": zone_of[unit_id], "indicator": ind, "enterprise": unit_id, "value": total})
    return pd.DataFrame(rows, columns=["unit", "indicator", "enterprise", "value"])


def _table(rows: list[dict], indicators) -> pd.DataFrame:
    cells = [
        {"unit": r["org_unit"], "indicator": r["indicator"], "value": float(r["value"] or 0.0)}
        for r in rows
        if r["indicator"] in indicators
    ]
    return pd.DataFrame(cells, columns=["unit", "indicator", "value"])


def protect(rows: list[dict], *, period: str, previous: list[dict] | None = None) -> dict:
    """Set ``suppressed`` on every row (in place) and return the summary stored with the release."""
    _, plan, _ = plan_core()
    rules = rules_from_plan(plan)
    indicators = enterprise_indicators()
    for r in rows:
        r["suppressed"] = False
    table = _table(rows, indicators)
    summary: dict[str, Any] = {
        "rules": {
            "min_contributors": rules.min_contributors,
            "dominance_n": rules.dominance_n,
            "dominance_k": rules.dominance_k,
        },
        "indicators": sorted(indicators),
        "legend": CONFIDENTIAL.legend(rules),
        "primary": 0,
        "suppressed": 0,
        "method": "",
    }
    if table.empty:
        return summary
    tree = _hierarchy()
    units = set(table["unit"])
    hier = {"unit": {p: [c for c in cs if c in units] for p, cs in tree.items() if p in units}}
    hier["unit"] = {p: cs for p, cs in hier["unit"].items() if cs}
    try:
        micro = contributions(period, indicators)
        verdict = assess_cells(
            table, contributions=micro, keys=KEYS, contributor="enterprise", hierarchies=hier, rules=rules
        )
        singletons = verdict["contributors"].eq(1)
        prev = _table(previous or [], indicators)
        prev_hidden = pd.Series(
            [bool(r.get("suppressed")) for r in (previous or []) if r["indicator"] in indicators],
            index=prev.index,
            dtype=bool,
        )
        if len(prev) and prev_hidden.any():
            hidden = suppress_across_releases(
                table, primary=verdict["primary"], previous=prev, previous_suppressed=prev_hidden,
                keys=KEYS, hierarchies=hier, rules=rules, singletons=singletons,
            )
            summary["method"] = "secondary+previous_release"
        else:
            hidden = secondary_suppression(
                table, primary=verdict["primary"], keys=KEYS, hierarchies=hier, rules=rules, singletons=singletons
            )
            summary["method"] = "secondary"
        summary["primary"] = int(verdict["primary"].sum())
    except DisclosureError as exc:  # fail safe: nothing of these indicators is published
        hidden = pd.Series(True, index=table.index)
        summary["method"] = f"all suppressed: {exc}"
    flagged = {(u, i) for (u, i), h in zip(table[KEYS].itertuples(index=False, name=None), hidden, strict=True)
               if h}
    for r in rows:
        if (r["org_unit"], r["indicator"]) in flagged:
            r["suppressed"] = True
    summary["suppressed"] = len(flagged)
    return summary


def public_row(row: dict) -> dict:
    """A stored row as the public may see it: the value fields emptied where suppressed, ``obs_status``."""
    out = dict(row)
    if row.get("suppressed"):
        for f in HIDDEN_FIELDS:
            out[f] = None
        out["obs_status"] = CONFIDENTIAL.obs_status
    else:
        out["obs_status"] = ""
    return out
