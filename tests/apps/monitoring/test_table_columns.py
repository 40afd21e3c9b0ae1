"""The column-wise ``monitoring_table`` gives, cell for cell, the rows of its earlier row-by-row
implementation (kept here verbatim as ``reference_table``), on the demo's data: every period, unit
filter, method and the preview, and again after an approval (the incremental path)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from django.db import transaction

from lanbai.collection.demo import simulator
from lanbai.core.periods import Quarter
from lanbai.core.progress import annual_target_of, annualise, applicable_targets, assess
from lanbai.monitoring import selectors as monitoring
from lanbai.monitoring.selectors import (
    NO_TARGET,
    MonitoringRow,
    _scaled_indicators,
    _unit_code,
    indicator_values,
    monitoring_table,
    plan_core,
    quarter_of,
    targets_frame,
)

pytestmark = pytest.mark.slow
LAST = "2016Q4"


def _num(x) -> float | None:
    if x is None:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def _year(x) -> int | None:
    f = _num(x)
    return None if f is None else int(f)


def reference_table(*, period: Quarter | str, unit: str | None = None, method: str = "path",
                     preview: bool | frozenset[str] = False,
                     unit_codes: set[str] | None = None) -> list[MonitoringRow]:
    """The row-by-row implementation monitoring_table had before it worked on columns (verbatim)."""
    q = quarter_of(period)
    period = str(q)
    version, plan, fset = plan_core()
    ind = indicator_values(until_period=period, preview=preview)
    ind = ind[ind["category"].isin(["total", ""]) | ind["category"].isna()]
    names = {u.code: u.name for u in plan.org_units}
    inds = {i.code: i for i in plan.indicators}
    if unit:
        ind = ind[ind["unit"] == _unit_code(unit, version)]
    key = ["unit", "indicator"]
    cur = ind[(ind["period"] == period) & ind["indicator"].isin(list(inds))].set_index(key)
    if cur.empty:
        return []
    last_same = ind[ind["period"] == str(q.same_quarter_last_year())].set_index(key)["value"]
    last_full = ind[ind["period"] == str(q.last_quarter_of_previous_year())].set_index(key)["value"]

    def numbers(series: pd.Series) -> np.ndarray:
        return np.array([np.nan if (v := _num(x)) is None else v for x in series], dtype=float)

    projected = annualise(
        pd.DataFrame({
            "indicator": cur.index.get_level_values("indicator"),
            "value": numbers(cur["value"]),
            "last_same": numbers(last_same.reindex(cur.index)),
            "last_full": numbers(last_full.reindex(cur.index)),
        }),
        quarter=q.q,
        scaled=_scaled_indicators(version.content_hash),
    )
    targets = targets_frame(version)
    applicable = {
        (r.unit, r.indicator): r for r in applicable_targets(targets).itertuples(index=False)
    }
    annual_now = annual_target_of(targets, q.year).to_dict()

    rows_in, meta = [], []
    # plain dicts, not iterrows(): a Series per row was most of a period's table at province scale
    for n, rec in enumerate(cur.reset_index().to_dict("records")):
        u, i = rec["unit"], rec["indicator"]
        indicator = inds[i]
        value = _num(rec["value"])
        reason = rec.get("reason") if value is None else None
        p = projected.iloc[n]
        tgt = applicable.get((u, i))
        if tgt is not None:
            base_year, base_value = _year(tgt.base_year), _num(tgt.base_value)
            target_year, target_value = _year(tgt.target_year), _num(tgt.target_value)
            comparator, source = tgt.comparator, tgt.source
        else:
            base_year = base_value = target_year = target_value = None
            comparator, source = "", ""
        assessed = _num(p["assessed"])
        meta.append(dict(period=period, org_unit=u, org_unit_name=names.get(u, u), indicator=i,
                         indicator_name=indicator.name, unit=str(indicator.unit or rec.get("unit_label") or ""),
                         value=value, not_computable_reason=reason, yoy_pct=_num(p["yoy_pct"]),
                         assessed_value=assessed, baseline_year=base_year, baseline_value=base_value,
                         target_year=target_year, target_value=target_value, comparator=comparator or "=",
                         target_source=source, how=p["how"]))
        rows_in.append(dict(indicator=i, base_year=base_year, base_value=base_value, current_year=q.year,
                            current_value=assessed, target=target_value, target_year=target_year,
                            direction=indicator.direction, comparator=comparator or "=", kind=indicator.kind,
                            annual_target=annual_now.get((u, i), np.nan), unit=indicator.unit))
    frame = pd.DataFrame(rows_in)
    has_target = frame["target"].notna() & frame["base_year"].notna()
    result = pd.DataFrame(index=frame.index)
    if has_target.any():
        sub = frame[has_target].astype({"base_year": float, "target_year": float})
        assessed_frame = assess(sub.fillna({"annual_target": np.nan}), method=method)
        assessed_frame.index = sub.index
        result = assessed_frame
    out = []
    assessed_rows = result.to_dict("index")
    for idx, m in enumerate(meta):
        if idx in assessed_rows:
            r = assessed_rows[idx]
            status, expected = str(r["status"]), _num(r["expected"])
            rule = f"{r['status_rule']}；{m['how']}"
            if method != "path":
                rule = f"{r['status_rule']}；{method}: {r['rule']}；{m['how']}"
            ratio, category = _num(r["ratio"]), str(r.get("category") or "")
        else:
            status, expected, ratio, category = NO_TARGET, None, None, ""
            rule = f"规划未对该单位设定此指标的目标 / the plan sets no target for this unit；{m['how']}"
        if m["value"] is None:
            status = "无法评估"
            rule = f"无法计算 / not computable: {m['not_computable_reason'] or '缺少数据'}"
        m = dict(m)
        m.pop("how")
        out.append(MonitoringRow(**m, expected=expected, status=status, rule=rule, method=method, ratio=ratio,
                                 category=category, preview=bool(preview)))
    if unit_codes is not None:
        out = [r for r in out if r.org_unit in unit_codes]
    order = {u.code: n for n, u in enumerate(plan.org_units)}
    iorder = {i.code: n for n, i in enumerate(plan.indicators)}
    out.sort(key=lambda r: (order.get(r.org_unit, 999), iorder.get(r.indicator, 999)))
    return out


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """A small demo run (2015Q1–2016Q4, one synthetic enterprise per zone), rolled back at the end."""
    from lanbai.plans.services import plan_load_into_db

    patch = pytest.MonkeyPatch()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            plan_load_into_db()
            patch.setattr(simulator, "LAST", simulator.Quarter.parse(LAST))
            monitoring._computed.clear()
            yield simulator.demo_run(seed=1, synthetic_per_zone=1)
        finally:
            patch.undo()
            monitoring._computed.clear()
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def _assert_same_rows(new: list[MonitoringRow], old: list[MonitoringRow], what: str) -> int:
    assert len(new) == len(old), what
    cells = 0
    for n, o in zip(new, old, strict=True):
        dn, do = n.as_dict(), o.as_dict()
        for k in do:
            assert _same(dn[k], do[k]), (what, o.org_unit, o.indicator, k, dn[k], do[k])
            cells += 1
    return cells


def _periods() -> list[str]:
    ind = indicator_values()
    return sorted(set(ind["period"]), key=Quarter.parse)


def test_every_period_unit_and_method_gives_the_reference_rows(demo, db):
    periods = _periods()
    assert len(periods) == 8
    cells = 0
    for p in periods:
        for method in ("path", "eurostat", "escap"):
            cells += _assert_same_rows(monitoring_table(period=p, method=method),
                                       reference_table(period=p, method=method), f"{p} {method}")
        for unit in ("lanbai", "lzxq", "bygx"):
            cells += _assert_same_rows(monitoring_table(period=p, unit=unit), reference_table(period=p, unit=unit),
                                       f"{p} {unit}")
        codes = {"lzxq", "lanzhou", "lanbai"}
        cells += _assert_same_rows(monitoring_table(period=p, unit_codes=codes),
                                   reference_table(period=p, unit_codes=codes), f"{p} scoped")
    # the rows carry statuses, missing values and targets of every kind, not only one case
    rows = [r for p in periods for r in monitoring_table(period=p)]
    assert {"无目标", "无法评估"} <= {r.status for r in rows} and len({r.status for r in rows}) >= 4
    assert any(r.value is None for r in rows) and any(r.target_value is not None for r in rows)
    assert cells > 50_000


def test_preview_and_after_an_approval_give_the_reference_rows(demo, db):
    from django.contrib.auth import get_user_model
    from django.test.utils import override_settings

    from lanbai.collection import services
    from lanbai.collection.models import Submission

    for p in (LAST, "2016Q3"):
        _assert_same_rows(monitoring_table(period=p, preview=True), reference_table(period=p, preview=True),
                          f"{p} preview")
    before = {r.org_unit: r.value for r in monitoring_table(period=LAST) if r.indicator == "grp"}
    pending = list(Submission.objects.filter(status="submitted", period=LAST, form_code=simulator.ZONE_FORM))
    assert pending
    users = get_user_model().objects
    with override_settings(LANBAI_PERIOD_LOCK_DAYS=100_000):
        s = pending[0]
        reviewer = users.get(username=f"demo_{s.org_unit.code}_review")
        services.submissions_approve_bulk(user=reviewer, ids=[s.pk], final=False)
        services.submission_final_approve(user=users.get(username="demo_sheng"), submission=s)
    rows = monitoring_table(period=LAST)  # the incremental recompute and the changed period's totals
    assert {r.org_unit: r.value for r in rows if r.indicator == "grp"} != before
    for p in _periods():
        _assert_same_rows(monitoring_table(period=p), reference_table(period=p), f"{p} after approval")
