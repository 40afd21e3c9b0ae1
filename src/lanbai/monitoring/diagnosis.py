"""Diagnosis of lagging indicators and reviewers' outlier list, on the platform's figures.

The arithmetic is the pure core's (:mod:`lanbai.core.diagnosis`); this module only chooses the
figures: the monitoring rows of the period, the aggregated inputs of each unit, the member zones of
each aggregate unit and, for outliers, the reported figures with their history.  Policies (also in
docs/monitoring.md, "Diagnosis"):

* Member zones of a unit: the units of kind ``zone`` below it in the plan's tree (兰白试验区 → the
  four zones; 兰州市 → three; 白银市 → 白银高新区), or the listed members of an aggregate (4区合计).
  A zone itself has no member zones (its parks report no zone figures): only the input split.
* Sum indicators: each zone's part of the aggregate's expected value is proportional to the zones'
  own expected values when every zone has one (its share of the plan's paths); otherwise to the
  zones' shares of the aggregate in the reference period (the earliest period of the same quarter
  with figures); the rule text says which.  ``unexplained`` is what the aggregate holds beyond its
  member zones (figures reported directly by a city, say).
* Ratio indicators ``k·N/D`` whose numerator and denominator are each a reported field, a filtered
  sum or another indicator: zones by weighted deviation, inputs by LMDI against the same quarter of
  the previous year.  Other formulas are "not decomposable" with the reason.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lanbai.common.exceptions import ValidationFailed
from lanbai.core.diagnosis import (
    DiagnosisError,
    history_range_outliers,
    ratio_change_inputs,
    ratio_gap_contributions,
    robust_z_outliers,
    sum_gap_contributions,
)
from lanbai.core.formulas import nodes as N
from lanbai.core.periods import Quarter

from . import data
from .selectors import aggregated_inputs, indicator_values, monitoring_table, plan_core, quarter_of


def _num(x) -> float | None:
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


# ----------------------------------------------------------------------------------------------
# Formula structure
# ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Operand:
    """Where a numerator or denominator comes from: an aggregated input column or an indicator."""

    source: str  # "input" | "indicator"
    key: str
    label: str


@dataclass(frozen=True)
class Structure:
    kind: str  # "sum" | "ratio" | "other"
    numerator: Operand | None = None
    denominator: Operand | None = None
    reason: str = ""


def _strip(node):
    """Drop unit conversions and multiplication by constants (they do not change shares or logs)."""
    while True:
        if isinstance(node, N.Call) and node.name == "convert":
            node = node.args[0]
        elif isinstance(node, N.Binary) and node.op == "*" and isinstance(node.left, N.Num):
            node = node.right
        elif isinstance(node, N.Binary) and node.op == "*" and isinstance(node.right, N.Num):
            node = node.left
        else:
            return node


def _operand(node, fset) -> Operand | None:
    node = _strip(node)
    if isinstance(node, N.FieldRef):
        spec = fset.fields.get(node.code)
        name = next((k for k, i in fset.inputs.items() if i.field == node.code and i.where is None), None)
        return Operand("input", name, spec.label if spec else node.code) if name else None
    if isinstance(node, N.FilteredSum):
        field = node.field.code if isinstance(node.field, N.FieldRef) else None
        name = next((k for k, i in fset.inputs.items() if i.field == field and i.where == node.where), None)
        return Operand("input", name, fset.inputs[name].label) if name else None
    if isinstance(node, N.IndRef):
        key = node.code if node.category == "total" else f"{node.code}.{node.category}"
        f = fset.formulas.get(key)
        return Operand("indicator", key, (f.spec.label if f and f.spec.label else key))
    return None


def indicator_structure(indicator: str) -> Structure:
    """Whether the indicator's formula is a sum of reported figures, a ratio of two parts, or other."""
    _, _, fset = plan_core()
    f = fset.formulas.get(indicator)
    if f is None:
        return Structure("other", reason=f"指标 {indicator} 没有计算公式 / no formula")
    node = _strip(f.ast)
    if isinstance(node, N.FieldRef | N.FilteredSum):
        return Structure("sum")
    if isinstance(node, N.Binary) and node.op == "/":
        num, den = _operand(node.left, fset), _operand(node.right, fset)
        if num and den:
            return Structure("ratio", num, den)
        return Structure(
            "other", reason="分子或分母为复合表达式，不作分解 / numerator or denominator is compound"
        )
    return Structure("other", reason="公式既非加总也非比值，不作分解 / formula is neither a sum nor a ratio")


# ----------------------------------------------------------------------------------------------
def member_zones() -> dict[str, list[str]]:
    """Unit code -> its member zones (see module doc)."""
    _, plan, _ = plan_core()
    parent = {}
    for u in plan.org_units:
        parent[u.code] = u.parent or (u.parents[-1].parent if u.parents else None)
    out: dict[str, list[str]] = {}
    zones = [u.code for u in plan.org_units if u.kind == "zone"]
    for z in zones:
        p = parent.get(z)
        while p:
            out.setdefault(p, []).append(z)
            p = parent.get(p)
    for u in plan.org_units:
        if u.kind == "aggregate" and u.members:
            out[u.code] = [m for m in u.members if m in zones]
    return out


def _operand_values(op: Operand, inputs: pd.DataFrame, ind: pd.DataFrame, period: str) -> pd.Series:
    if op.source == "input":
        frame = inputs[inputs["period"] == period]
        if op.key not in frame:
            return pd.Series(dtype=float)
        return frame.set_index("unit")[op.key].astype(float)
    frame = ind[(ind["period"] == period) & (ind["indicator"] == op.key)]
    frame = frame[frame["category"].isin(["total", ""]) | frame["category"].isna()]
    return frame.set_index("unit")["value"].astype(float)


def _clean(rec: dict) -> dict:
    return {
        k: (
            None if isinstance(v, float) and not math.isfinite(v) else (v.item() if hasattr(v, "item") else v)
        )
        for k, v in rec.items()
    }


def diagnosis(
    *, period: Quarter | str, indicator: str, unit: str | None = None, method: str = "path",
    preview: bool | frozenset[str] = False, unit_codes: set[str] | None = None,
) -> dict:
    """Contributions of member zones and of inputs to the gap of ``indicator`` in ``period``.

    ``unit_codes``: only those units' entries (None: every unit; see ``figure_unit_codes``).

    Returns ``{"period", "indicator", "indicator_name", "structure", "units": [...]}`` with, per unit
    that has a value: its monitoring row fields, ``zones`` (member contributions, or a ``zones_reason``)
    and ``inputs`` (numerator/denominator split against the same quarter last year, ratios only).
    """
    q = quarter_of(period)
    period = str(q)
    _, plan, fset = plan_core()
    if indicator not in fset.formulas:
        raise ValidationFailed(
            f"未知指标或指标无公式 {indicator!r} / unknown indicator {indicator!r}", field="indicator"
        )
    all_rows = [
        r for r in monitoring_table(period=period, method=method, preview=preview) if r.indicator == indicator
    ]
    rows = all_rows
    if unit:
        wanted = {
            r.org_unit for r in monitoring_table(period=period, unit=unit, method=method, preview=preview)
        }
        rows = [r for r in all_rows if r.org_unit in wanted]
    if unit_codes is not None:
        rows = [r for r in rows if r.org_unit in unit_codes]
    names = {u.code: u.name for u in plan.org_units}
    st = indicator_structure(indicator)
    ind = indicator_values(until_period=period, preview=preview)
    ind_total = ind[
        (ind["indicator"] == indicator) & (ind["category"].isin(["total", ""]) | ind["category"].isna())
    ]
    inputs = aggregated_inputs(until_period=period, preview=preview)
    prev = str(q.same_quarter_last_year())
    members = member_zones()
    by_unit_rows = {r.org_unit: r for r in all_rows}
    out_units = []
    for r in rows:
        if r.value is None:
            continue
        entry = {
            "org_unit": r.org_unit,
            "org_unit_name": r.org_unit_name,
            "value": r.value,
            "unit": r.unit,
            "expected": r.expected,
            "status": r.status,
            "rule": r.rule,
            "gap": None if r.expected is None else r.value - r.expected,
            "zones": [],
            "zones_rule": "",
            "zones_reason": "",
            "inputs": None,
        }
        zs = members.get(r.org_unit, [])
        if not zs:
            entry["zones_reason"] = "该单位没有下属园区（区）数据可分解 / no member zones"
        elif r.expected is None:
            entry["zones_reason"] = (
                "没有预期值（无目标），不作差距分解 / no expected value to measure the gap against"
            )
        elif st.kind == "sum":
            entry.update(_sum_zones(r, zs, names, ind_total, by_unit_rows, period, q))
        elif st.kind == "ratio":
            entry.update(_ratio_zones(r, zs, names, st, inputs, ind, period))
        else:
            entry["zones_reason"] = st.reason
        if st.kind == "ratio":
            entry["inputs"] = _inputs_split(r, st, inputs, ind, period, prev)
        out_units.append(entry)
    return {
        "period": period,
        "indicator": indicator,
        "indicator_name": next((i.name for i in plan.indicators if i.code == indicator), indicator),
        "structure": st.kind,
        "structure_reason": st.reason,
        "numerator": st.numerator.label if st.numerator else None,
        "denominator": st.denominator.label if st.denominator else None,
        "reference_period": prev,
        "units": out_units,
    }


def _sum_zones(r, zs, names, ind_total, by_unit_rows, period, q) -> dict:
    cur = ind_total[ind_total["period"] == period].set_index("unit")["value"].astype(float)
    values = pd.Series({z: cur.get(z, np.nan) for z in zs}, dtype=float)
    own = {z: by_unit_rows[z].expected if z in by_unit_rows else None for z in zs}
    if all(v is not None and v > 0 for v in own.values()):
        shares = pd.Series(own, dtype=float)
        rule = "各区份额按各区自身目标路径的预期值分配 / shares from each zone's own expected path value"
    else:
        same_q = ind_total[ind_total["period"].str.endswith(f"Q{q.q}") & ind_total["unit"].isin(zs)]
        same_q = same_q.dropna(subset=["value"])
        if same_q.empty:
            return {"zones_reason": "成员区没有数据 / member zones have no figures"}
        ref = same_q["period"].min()
        ref_vals = same_q[same_q["period"] == ref].set_index("unit")["value"]
        shares = pd.Series({z: float(ref_vals.get(z, 0.0)) for z in zs}, dtype=float)
        rule = (
            f"各区份额取参照期 {ref} 各区占合计的比重 / shares of the aggregate in the reference period {ref}"
            + ("（即本期份额，缺口按规模分摊）" if ref == period else "")
        )
    try:
        df = sum_gap_contributions(values, shares, expected=r.expected)
    except DiagnosisError as exc:
        return {"zones_reason": str(exc)}
    df["member_name"] = df["member"].map(names)
    return {
        "zones": [_clean(x) for x in df.to_dict("records")],
        "zones_rule": rule,
        "unexplained": r.value - df.attrs["actual"],
    }


def _ratio_zones(r, zs, names, st, inputs, ind, period) -> dict:
    n = _operand_values(st.numerator, inputs, ind, period)
    d = _operand_values(st.denominator, inputs, ind, period)
    N_all, D_all = _num(n.get(r.org_unit)), _num(d.get(r.org_unit))
    if not N_all or not D_all:
        return {"zones_reason": "缺少本单位的分子或分母 / the unit's numerator or denominator is missing"}
    scale = r.value / (N_all / D_all)
    nz = pd.Series({z: n.get(z, np.nan) for z in zs}, dtype=float)
    dz = pd.Series({z: d.get(z, np.nan) for z in zs}, dtype=float)
    if not (math.isclose(nz.sum(), N_all, rel_tol=1e-6) and math.isclose(dz.sum(), D_all, rel_tol=1e-6)):
        return {
            "zones_reason": "分子或分母不等于各区之和（含其他单位数据），不作分解 / numerator or denominator "
            "is not the sum of the member zones"
        }
    try:
        df = ratio_gap_contributions(nz, dz, expected=r.expected, scale=scale)
    except DiagnosisError as exc:
        return {"zones_reason": str(exc)}
    df["member_name"] = df["member"].map(names)
    return {
        "zones": [_clean(x) for x in df.to_dict("records")],
        "zones_rule": "比值 = 各区比值按分母加权；贡献 = 权重 ×（本区比值 − 预期值）(Kitagawa 1955) / "
        "ratio = denominator-weighted mean of zone ratios; contribution = weight × (zone ratio − expected)",
        "unexplained": 0.0,
    }


def _inputs_split(r, st, inputs, ind, period, prev) -> dict:
    vals = [
        _num(_operand_values(op, inputs, ind, p).get(r.org_unit))
        for p in (prev, period)
        for op in (st.numerator, st.denominator)
    ]
    n0, d0, n1, d1 = (np.nan if v is None else v for v in vals)
    scale = r.value / (n1 / d1) if n1 and d1 and not math.isnan(n1 / d1) and n1 / d1 != 0 else 1.0
    df = ratio_change_inputs([n0], [d0], [n1], [d1], scale=scale)
    rec = _clean(df.iloc[0].to_dict())
    rec.update(
        reference_period=prev,
        numerator=st.numerator.label,
        denominator=st.denominator.label,
        numerator_0=_num(n0),
        denominator_0=_num(d0),
        numerator_1=_num(n1),
        denominator_1=_num(d1),
    )
    if rec["reason"] is not None and not isinstance(rec["reason"], str):
        rec["reason"] = None
    return rec


# ----------------------------------------------------------------------------------------------
# Outliers in reported figures
# ----------------------------------------------------------------------------------------------
def outlier_list(
    *,
    period: Quarter | str,
    form: str | None = None,
    unit_codes: set[str] | None = None,
    preview: bool = True,
    method: str = "mad",
    k: float = 3.0,
    threshold: float = 3.5,
    min_history: int = 3,
    flagged_only: bool = True,
) -> list[dict]:
    """Reported figures of ``period`` that break a robust z-score or their unit's min–max range.

    Cross-section: every field of a form across its reporters in the period (modified z-score,
    Iglewicz & Hoaglin).  History: the unit's values of the same field in the *same quarter* of
    earlier years (year-to-date figures are comparable only quarter by quarter), ``method``
    'mad' (median ± k·MAD/0.6745) or 'sd' (mean ± k·SD, DHIS2's generated range).  ``preview``
    (default for reviewers) includes submitted reports awaiting review; ``unit_codes`` limits the
    list to those reporters.  Rows are dicts with the figure, its history and the bound it broke.
    """
    q = quarter_of(period)
    period = str(q)
    version, plan, fset = plan_core()
    values = data.reported_values_frame(preview=preview, until_period=period)
    if form:
        values = values[values["form_code"] == form]
    if values.empty:
        return []
    values = values.rename(columns={"org_unit": "unit"})
    same_q = values[values["period"].str.endswith(f"Q{q.q}")]
    cur = same_q[same_q["period"] == period]
    if cur.empty:
        return []
    try:
        z = robust_z_outliers(cur, by=("period", "form_code", "field"), threshold=threshold)
        h = history_range_outliers(
            cur, same_q, keys=("unit", "form_code", "field"), method=method, k=k, min_history=min_history
        )
    except DiagnosisError as exc:
        raise ValidationFailed(str(exc)) from None
    merged = z.merge(
        h[
            [
                "unit",
                "form_code",
                "field",
                "history",
                "history_n",
                "centre",
                "spread",
                "lower",
                "upper",
                "outlier",
                "bound",
                "reason",
                "method",
            ]
        ],
        on=["unit", "form_code", "field"],
        suffixes=("_z", "_range"),
    )
    if unit_codes is not None:
        merged = merged[merged["unit"].isin(unit_codes)]
    if flagged_only:
        merged = merged[merged["outlier_z"] | merged["outlier_range"]]
    names = {u.code: u.name for u in plan.org_units}
    out = []
    for rec in merged.sort_values(["unit", "form_code", "field"]).to_dict("records"):
        spec = fset.fields.get(rec["field"])
        rules = []
        if rec["outlier_z"]:
            rules.append(
                f"稳健z分数 {rec['z']:.2f} 超过 ±{threshold}（中位数 {rec['median']:.6g}，{rec['z_method']}）"
                f" / modified z-score beyond ±{threshold}"
            )
        if rec["outlier_range"]:
            side = "上限" if rec["bound"] == "upper" else "下限"
            bound = rec["upper"] if rec["bound"] == "upper" else rec["lower"]
            rules.append(
                f"超出历史区间{side} {bound:.6g}（{rec['history_n']} 个往年同期值，"
                f"{'中位数±' if method == 'mad' else '均值±'}{k:g}×{'MAD/0.6745' if method == 'mad' else 'SD'}）"
                f" / outside the unit's min–max range ({rec['bound']} bound)"
            )
        out.append(
            _clean(
                {
                    "org_unit": rec["unit"],
                    "org_unit_name": names.get(rec["unit"], rec["unit"]),
                    "period": period,
                    "form": rec["form_code"],
                    "field": rec["field"],
                    "field_label": spec.label if spec else rec["field"],
                    "field_unit": (spec.unit or "") if spec else "",
                    "value": rec["value"],
                    "status": rec["status"],
                    "reporters": rec["n"],
                    "median": rec["median"],
                    "mad": rec["mad"],
                    "z": rec["z"],
                    "z_method": rec["z_method"],
                    "z_outlier": bool(rec["outlier_z"]),
                    "z_reason": rec["reason_z"] if isinstance(rec["reason_z"], str) else None,
                    "history": rec["history"],
                    "history_n": rec["history_n"],
                    "range_method": rec["method"],
                    "lower": rec["lower"],
                    "upper": rec["upper"],
                    "range_outlier": bool(rec["outlier_range"]),
                    "bound": rec["bound"] if isinstance(rec["bound"], str) else None,
                    "range_reason": rec["reason_range"] if isinstance(rec["reason_range"], str) else None,
                    "rule": "；".join(rules),
                }
            )
        )
    return out
