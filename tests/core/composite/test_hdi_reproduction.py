"""Reproduce the UNDP Human Development Index (HDR 2015 Table 1; HDR 2020 technical-notes example)
through a framework file: goalposts, ln income, arithmetic education mean, geometric HDI."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lanbai.core.composite import compute, framework_from_dict, load_framework
from lanbai.core.composite.engine import rank_desc

DATA = Path(__file__).resolve().parents[2] / "data" / "composite" / "hdi"
COMPONENTS = {"life_expectancy": 0.05, "expected_schooling": 0.05, "mean_schooling": 0.05, "gni_pc": 0.5}


@pytest.fixture(scope="module")
def table():
    return pd.read_csv(DATA / "hdr2015_table1.csv")


@pytest.fixture(scope="module")
def fw():
    return load_framework(DATA / "framework.yaml")


def _hdi(fw, df):
    res = compute(fw, df)
    return res.index.to_numpy()


def test_published_hdi_within_rounding_of_components(fw, table):
    low = table.copy()
    high = table.copy()
    for c, h in COMPONENTS.items():
        low[c] = table[c] - h
        high[c] = table[c] + h
    lo, mid, hi = _hdi(fw, low), _hdi(fw, table), _hdi(fw, high)
    assert np.all(lo <= mid) and np.all(mid <= hi)
    pub = table["hdi"].to_numpy()
    # the published 3-decimal value is consistent with the engine on the unrounded inputs
    assert np.all(pub + 0.0005 >= lo - 1e-12), table["unit"][pub + 0.0005 < lo].tolist()
    assert np.all(pub - 0.0005 <= hi + 1e-12), table["unit"][pub - 0.0005 > hi].tolist()
    # and most rows match exactly even from the rounded components
    assert (np.round(mid, 3) == pub).mean() >= 0.7


def test_caps_at_goalposts(fw, table):
    res = compute(fw, table)
    s = res.scores.assign(unit=res.rows["unit"]).set_index("unit")
    assert s.at["AUS", "expected_schooling"] == 1.0  # 20.2 years capped at 18
    assert s.at["SGP", "gni_pc"] == 1.0  # 76,628 capped at 75,000
    assert s.at["NOR", "life_expectancy"] == pytest.approx((81.6 - 20) / 65)
    assert s.at["NOR", "education"] == pytest.approx((17.5 / 18 + 12.6 / 15) / 2)
    assert s.at["NOR", "gni_pc"] == pytest.approx(np.log(64992 / 100) / np.log(750))
    assert s.at["NOR", "HDI"] == pytest.approx(
        (s.at["NOR", "health"] * s.at["NOR", "education"] * s.at["NOR", "income"]) ** (1 / 3)
    )


def test_published_ranks_follow_sport_ranking(table):
    assert rank_desc(table["hdi"].to_numpy()).astype(int).tolist() == table["hdi_rank"].tolist()


def test_technical_notes_worked_example():
    spec = {
        "code": "HDI",
        "nodes": [
            {"code": "HDI", "aggregate": {"method": "geometric"}},
            {"code": "health", "parent": "HDI", "normalise": {"method": "none"}},
            {"code": "education", "parent": "HDI", "normalise": {"method": "none"}},
            {
                "code": "gni_pc",
                "parent": "HDI",
                "normalise": {"method": "goalposts", "min": 100, "max": 75000, "log": True},
            },
        ],
    }
    df = pd.DataFrame({"unit": ["example"], "health": [0.6971], "education": [0.3447], "gni_pc": [3829.0]})
    res = compute(framework_from_dict(spec), df)
    assert round(float(res.scores["gni_pc"].iloc[0]), 4) == 0.5506
    assert round(float(res.index.iloc[0]), 3) == 0.510


def test_exact_hdi_2021_from_unrounded_components(fw):
    """HDR 2021/22 data file: the published 3-decimal HDI is reproduced exactly for every country."""
    t = pd.read_csv(DATA / "hdr2022_composite_2021.csv")
    res = compute(fw, t)
    assert [f"{v:.3f}" for v in res.index] == [f"{v:.3f}" for v in t["hdi"]]
    # ranks among these countries follow the published world ranks
    assert res.ranks["HDI"].astype(int).tolist() == t["hdi_rank"].rank().astype(int).tolist()
