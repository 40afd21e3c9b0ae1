"""The same aggregation on DuckDB and on Apache Spark (PySpark local mode) gives the same cells.

A seeded sample of the shipped plan — 2,000 enterprises × 8 quarters with enterprises moving park
mid-series, unknown categories (NaN filtered sums), missing quarters (NULL single quarters),
submitted-only reports and approved corrections, a zone with zero population (division by zero),
an enterprise that is unattributed before it joins — runs through :func:`aggregate` on both
engines; every cell of ``inputs``, ``indicators`` and ``unattributed`` is compared.
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from lanbai.core.aggregate import aggregate, tree_from_plan
from lanbai.core.formulas.compile import NUMERIC_TYPES
from lanbai.core.formulas.plan_check import plan_formulas

pytestmark = pytest.mark.slow

N_ENTERPRISES = 2_000
PERIODS = [f"{y}Q{q}" for y in (2018, 2019) for q in range(1, 5)]
REL_TOL = 1e-9


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (scripts/setup.sh --test installs openjdk-17-jre-headless)")
    from lanbai.core.aggregate.spark import spark_session

    session = spark_session()
    yield session
    session.stop()


def sample(plan, seed: int = 20260101):
    """(values, tree, members, fset): the seeded sample described in the module docstring."""
    rng = np.random.default_rng(seed)
    fset = plan_formulas(plan)
    tree, members = tree_from_plan(plan)
    parks = sorted(tree.loc[tree.kind == "park", "unit"].unique())
    zones = sorted(tree.loc[tree.kind == "zone", "unit"].unique())
    ents = [f"e{i:05d}" for i in range(N_ENTERPRISES)]
    home = rng.choice(parks + zones[:1], size=N_ENTERPRISES)  # a few report straight to a zone
    moves = rng.random(N_ENTERPRISES) < 0.06
    dest = rng.choice(parks, size=N_ENTERPRISES)
    start = pd.Timestamp("2015-01-01")
    move_day = pd.Timestamp("2018-10-01")
    rows = []
    for i, e in enumerate(ents):
        if i == 7:  # joins in 2019: its 2018 reports are unattributed
            rows.append((e, home[i], pd.Timestamp("2019-01-01"), pd.NaT, "enterprise"))
        elif moves[i]:
            rows.append((e, home[i], start, move_day - pd.Timedelta(days=1), "enterprise"))
            rows.append((e, dest[i], move_day, pd.NaT, "enterprise"))
        else:
            rows.append((e, home[i], start, pd.NaT, "enterprise"))
    extra = pd.DataFrame(rows, columns=list(tree.columns))
    tree = pd.concat([tree, extra], ignore_index=True)

    ent_fields = [f for f in fset.fields.values() if f.level == "enterprise" and f.type in NUMERIC_TYPES]
    zone_fields = [f for f in fset.fields.values() if f.level == "zone" and f.type in NUMERIC_TYPES]
    size = 10 + rng.gamma(2.0, 300.0, N_ENTERPRISES)
    frames = []
    for period in PERIODS:
        q = int(period[-1])
        present = rng.random(N_ENTERPRISES) >= 0.04  # a missing quarter now and then
        idx = np.flatnonzero(present)
        status = np.where(rng.random(len(idx)) < 0.02, "submitted", "approved")
        for f in ent_fields:
            factor = q if (f.nature or "flow") == "flow" else 1
            value = np.round(size[idx] * factor * rng.uniform(0.5, 1.5, len(idx)), 1)
            value[rng.random(len(idx)) < 0.03] = 0.0
            keep = rng.random(len(idx)) >= 0.01  # a field left blank
            frames.append(
                pd.DataFrame(
                    {"org_unit": np.asarray(ents)[idx][keep], "period": period, "field": f.code,
                     "value": value[keep], "value_text": None, "status": status[keep], "version": 1}
                )
            )  # fmt: skip
        category = np.where(rng.random(len(idx)) < 0.4, "emerging", "traditional")
        known = rng.random(len(idx)) >= 0.01  # category not reported: filtered sums unknown
        frames.append(
            pd.DataFrame(
                {"org_unit": np.asarray(ents)[idx][known], "period": period, "field": "category",
                 "value": np.nan, "value_text": category[known], "status": status[known], "version": 1}
            )
        )  # fmt: skip
        frames.append(
            pd.DataFrame(
                {"org_unit": np.asarray(ents)[idx], "period": period, "field": "high_tech",
                 "value": (rng.random(len(idx)) < 0.25).astype(float), "value_text": None,
                 "status": status, "version": 1}
            )
        )  # fmt: skip
        zrows = []
        for zi, z in enumerate(zones):
            for fi, f in enumerate(zone_fields):
                if (zi + fi + q) % 11 == 0:
                    continue  # a zone figure not reported
                factor = q if (f.nature or "flow") == "flow" else 1
                v = round((zi + 1) * (fi + 3) * 1000.0 * factor * rng.uniform(0.9, 1.1), 2)
                if f.code == "resident_population" and z == zones[-1] and period == "2019Q2":
                    v = 0.0  # division by zero
                zrows.append((z, period, f.code, v, None, "approved", 1))
        frames.append(pd.DataFrame(zrows, columns=list(frames[0].columns)))
    values = pd.concat(frames, ignore_index=True)
    # approved corrections (version 2) of 1 % of the enterprise reports
    reports = values.loc[values.status == "approved", ["org_unit", "period"]].drop_duplicates()
    fixed = reports.sample(frac=0.01, random_state=seed)
    v2 = values.merge(fixed, on=["org_unit", "period"])
    v2 = v2.assign(value=v2.value * 1.07, version=2)
    values = pd.concat([values, v2], ignore_index=True)
    return values, tree, members, fset


def _sorted(table: pa.Table, keys: list[str]) -> pa.Table:
    return table.sort_by([(k, "ascending") for k in keys])


def _compare(a: pa.Table, b: pa.Table, keys: list[str], what: str) -> tuple[int, float]:
    """Every cell of ``a`` and ``b`` (aligned on ``keys``): NULL where NULL, NaN where NaN, text
    equal, numbers within REL_TOL.  Returns (cells compared, max relative difference)."""
    assert sorted(a.column_names) == sorted(b.column_names), what
    assert a.num_rows == b.num_rows, f"{what}: {a.num_rows} rows on DuckDB, {b.num_rows} on Spark"
    a, b = _sorted(a, keys), _sorted(b, keys)
    cells, worst = 0, 0.0
    for name in a.column_names:
        x, y = a.column(name), b.column(name)
        cells += len(x)
        nx = pc.is_null(x).to_numpy(zero_copy_only=False)
        ny = pc.is_null(y).to_numpy(zero_copy_only=False)
        assert (nx == ny).all(), f"{what}.{name}: NULL in different cells"
        if pa.types.is_floating(x.type) or pa.types.is_integer(x.type) or pa.types.is_decimal(x.type):
            xv = x.cast(pa.float64()).to_numpy(zero_copy_only=False)[~nx]
            yv = y.cast(pa.float64()).to_numpy(zero_copy_only=False)[~ny]
            assert (np.isnan(xv) == np.isnan(yv)).all(), f"{what}.{name}: NaN in different cells"
            ok = ~np.isnan(xv)
            xv, yv = xv[ok], yv[ok]
            scale = np.maximum(np.maximum(np.abs(xv), np.abs(yv)), 1e-300)
            rel = np.abs(xv - yv) / scale
            if len(rel):
                worst = max(worst, float(rel.max()))
                assert rel.max() <= REL_TOL, f"{what}.{name}: relative difference {rel.max():.3g}"
        else:
            xs = x.cast(pa.string()).to_pylist()
            ys = y.cast(pa.string()).to_pylist()
            assert xs == ys, f"{what}.{name}: text differs"
    return cells, worst


def test_duckdb_and_spark_give_identical_cells(shipped_plan, spark) -> None:
    values, tree, members, fset = sample(shipped_plan)
    options = dict(aggregates=members, basis=("ytd", "quarter"), include_enterprises=True, arrow=True)
    duck = aggregate(values, tree, fset, **options)
    sprk = aggregate(values, tree, fset, spark=spark, **options)

    n_in, rel_in = _compare(duck.inputs, sprk.inputs, ["basis", "unit", "period"], "inputs")
    n_ind, rel_ind = _compare(
        duck.indicators, sprk.indicators, ["basis", "unit", "period", "indicator", "category"], "indicators"
    )
    n_un, _ = _compare(duck.unattributed, sprk.unattributed, ["unit", "period"], "unattributed")
    print(
        f"spark parity: {n_in + n_ind + n_un:,} cells compared, max relative difference {max(rel_in, rel_ind):.3g}"
    )

    # the sample exercises what it is meant to: NaN filtered sums, NULL single quarters, reasons
    inputs = duck.inputs.to_pandas()
    filtered = [c for c in inputs.columns if "__" in c]
    assert filtered and inputs[filtered].isna().any().any()
    reasons = pc.unique(duck.indicators.column("reason")).to_pylist()
    assert any(r and r.startswith("无法分类") for r in reasons)
    assert any(r and r.startswith("分母为零") for r in reasons)
    assert any(r and r.startswith("缺少数据") for r in reasons)
    assert duck.unattributed.num_rows > 0
