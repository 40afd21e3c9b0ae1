"""Progress methods at their edges (issue 17 item 5).

* The baseline already satisfies the target and the current value no longer does: the Eurostat ratio
  is computed as Open SDG does (``sdg-build``, ``sdg/ProgressMeasure.py``,
  ``SeriesProgress.methodology_2``): ``R = d · CAGR_observed / |CAGR_required|``, then classified by
  the usual thresholds.  Expected values are hand-computed below.
* Every other case gives exactly what it gave before the change: the output on a fixed grid was
  written by this module (``python tests/core/progress/test_progress_edges.py --write``) before
  the change and is compared here.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lanbai.core.progress import assess, assess_one
from lanbai.core.progress import methods as m

GRID_FILE = Path(__file__).resolve().parents[2] / "data" / "progress" / "regression_grid.csv.gz"
COMPARED = ["expected", "ratio", "actual_rate", "required_rate", "anticipated"]
TEXTS = ["category", "status", "path", "rule", "status_rule"]


def regression_grid() -> pd.DataFrame:
    """Every combination of a few baselines, current values, targets, years, directions and kinds."""
    rows = []
    for b, v, x, t, d, kind in itertools.product(
        [0.0, 50.0, 100.0, 150.0],
        [-1.0, 40.0, 100.0, 110.0, 210.0, math.nan],
        [math.nan, 0.0, 80.0, 100.0, 120.0, 200.0],
        [2015, 2018, 2018.5],
        ["increase", "decrease"],
        ["level", "count"],
    ):
        rows.append(
            dict(indicator="x", base_year=2015, base_value=b, current_year=t, current_value=v,
                 target=x, target_year=2020, direction=d, kind=kind)
        )  # fmt: skip
    return pd.DataFrame(rows)


def grid_output() -> pd.DataFrame:
    grid = regression_grid()
    parts = []
    for method, nonpositive in itertools.product(["eurostat", "escap", "path"], ["not_assessable", "linear"]):
        out = assess(grid, method=method, nonpositive=nonpositive)
        out = out[
            ["base_value", "current_year", "current_value", "target", "direction", "kind", *COMPARED, *TEXTS]
        ]
        out.insert(0, "nonpositive", nonpositive)
        out.insert(0, "method", method)
        parts.append(out)
    res = pd.concat(parts, ignore_index=True)
    for c in ("rule", "status_rule"):
        res[c] = [hashlib.sha1(s.encode()).hexdigest()[:16] for s in res[c]]
    return res


def _edge(frame: pd.DataFrame) -> np.ndarray:
    """Rows of the changed case: Eurostat, a target strictly on the far side of the baseline, not met."""
    d = np.where(frame["direction"] == "increase", 1.0, -1.0)
    b, x, v = frame["base_value"], frame["target"], frame["current_value"]
    beyond = d * (x - b) < 0
    met = np.where(d > 0, v >= x, v <= x)
    ok = frame["current_year"] > 2015
    return ((frame["method"] == "eurostat") & beyond & ~met & v.notna() & ok).to_numpy()


# --- the baseline already meets the target ------------------------------------------------------


def test_increase_baseline_already_above_target_hand_computed():
    # b = 120 (2015) already ≥ target 100 (2020); 2018: 90 < 100, the target is no longer met.
    # observed CAGR = (90/120)^(1/3) − 1 = −0.091440; required = (100/120)^(1/5) − 1 = −0.035807
    # R = (+1) · (−0.091440) / 0.035807 = −2.553647  → < 0: movement away from the target.
    a = assess_one(base_year=2015, base_value=120.0, current_year=2018, current_value=90.0,
                   target=100.0, target_year=2020, direction="increase")  # fmt: skip
    obs = (90 / 120) ** (1 / 3) - 1
    req = (100 / 120) ** (1 / 5) - 1
    assert a.actual_rate == pytest.approx(obs) and a.required_rate == pytest.approx(req)
    assert a.ratio == pytest.approx(obs / abs(req)) and a.ratio == pytest.approx(-2.553647, abs=1e-6)
    assert a.category == m.EU_AWAY
    assert "Open SDG" in a.rule and "-255.4%" in a.rule.replace("−", "-")


def test_decrease_baseline_already_below_target_hand_computed():
    # b = 0.8 (2015) already ≤ target 1.0 (2020); 2019: 1.1 > 1.0, the target is no longer met.
    # observed CAGR = (1.1/0.8)^(1/4) − 1 = +0.082868; required = (1.0/0.8)^(1/5) − 1 = +0.045640
    # R = (−1) · 0.082868 / 0.045640 = −1.815714  → < 0: movement away from the target.
    a = assess_one(base_year=2015, base_value=0.8, current_year=2019, current_value=1.1,
                   target=1.0, target_year=2020, direction="decrease")  # fmt: skip
    obs = (1.1 / 0.8) ** (1 / 4) - 1
    req = (1.0 / 0.8) ** (1 / 5) - 1
    assert a.ratio == pytest.approx(-obs / abs(req)) and a.ratio == pytest.approx(-1.815714, abs=1e-6)
    assert a.category == m.EU_AWAY and a.status == "严重滞后"


def test_ratio_sign_follows_open_sdg_not_the_plain_quotient():
    # The plain quotient CAGR_o / CAGR_r would be +2.55 here (two negative rates) and read as
    # "significant progress"; Open SDG's d · CAGR_o / |CAGR_r| keeps the sign of the movement.
    a = assess_one(base_year=2015, base_value=120.0, current_year=2018, current_value=90.0,
                   target=100.0, target_year=2020, direction="increase")  # fmt: skip
    assert a.ratio < 0 and m.eurostat_category([a.ratio])[0] == a.category


def test_baseline_meets_target_in_a_table_and_vectorised():
    df = pd.DataFrame(
        dict(indicator=["up", "down"], base_year=[2015, 2015], base_value=[120.0, 0.8],
             current_year=[2018, 2019], current_value=[90.0, 1.1], target=[100.0, 1.0],
             target_year=[2020, 2020], direction=["increase", "decrease"])
    )  # fmt: skip
    res = assess(df)
    assert res["ratio"].to_numpy() == pytest.approx([-2.553647, -1.815714], abs=1e-6)
    assert list(res["category"]) == [m.EU_AWAY, m.EU_AWAY]


def test_baseline_equal_to_target_keeps_undefined_ratio():
    # Required growth 0: Open SDG would divide by zero; the ratio stays undefined as before.
    a = assess_one(base_year=2015, base_value=100.0, current_year=2018, current_value=95.0,
                   target=100.0, target_year=2020)  # fmt: skip
    assert math.isnan(a.ratio) and a.category == m.EU_AWAY and "所需变化为 0" in a.rule


@pytest.mark.parametrize("method", ["escap", "path"])
def test_other_methods_unchanged_in_that_case(method):
    a = assess_one(base_year=2015, base_value=120.0, current_year=2018, current_value=90.0,
                   target=100.0, target_year=2020, method=method)  # fmt: skip
    assert math.isnan(a.ratio) and a.category in (m.ESCAP_REGRESSING, m.PATH_SEVERE)


# --- every other case as before -----------------------------------------------------------------


def test_every_other_case_as_before_the_change():
    before = pd.read_csv(GRID_FILE, keep_default_na=False, na_values=[""])
    now = grid_output()
    assert len(now) == len(before)
    edge = _edge(now)
    assert edge.sum() > 50  # the grid does exercise the changed case
    for c in TEXTS:
        b_col = before[c].fillna("").astype(str)
        n_col = now[c].fillna("").astype(str)
        if c == "rule":
            assert (b_col[~edge] == n_col[~edge]).all(), c
        else:
            assert (b_col == n_col).all(), c  # categories and statuses never change, even in the edge case
    for c in COMPARED:
        b_col, n_col = before[c].to_numpy(dtype=float), now[c].to_numpy(dtype=float)
        sel = ~edge if c == "ratio" else np.ones(len(now), bool)
        np.testing.assert_allclose(n_col[sel], b_col[sel], rtol=1e-12, atol=0, equal_nan=True, err_msg=c)
    # in the edge case the ratio was undefined before and is now Open SDG's, wherever the rates exist
    assert np.isnan(before["ratio"].to_numpy(dtype=float)[edge]).all()
    r = now["ratio"].to_numpy(dtype=float)[edge]
    a = now["actual_rate"].to_numpy(dtype=float)[edge]
    q = now["required_rate"].to_numpy(dtype=float)[edge]
    d = np.where(now["direction"].to_numpy()[edge] == "increase", 1.0, -1.0)
    ok = np.isfinite(a) & np.isfinite(q) & (q != 0)
    np.testing.assert_allclose(r[ok], d[ok] * a[ok] / np.abs(q[ok]), rtol=1e-12)
    assert np.isnan(r[~ok]).all()


if __name__ == "__main__":  # pragma: no cover - regenerates the fixture (run only before a change)
    if "--write" in sys.argv:
        GRID_FILE.parent.mkdir(parents=True, exist_ok=True)
        grid_output().to_csv(GRID_FILE, index=False, float_format="%.17g")
        print(f"wrote {GRID_FILE}")
