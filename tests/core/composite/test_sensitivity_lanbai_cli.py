"""Monte Carlo/Saltelli analysis, coherence, the Lanbai framework (2014 = 100) and the CLI."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from lanbai.cli.index import DEFAULT_FRAMEWORK, app
from lanbai.core.composite import compute, compute_index, load_framework
from lanbai.core.composite.coherence import coherence, cronbach_alpha
from lanbai.core.composite.sensitivity import saltelli_indices, sensitivity

DATA = Path(__file__).resolve().parents[2] / "data" / "composite"
LANBAI = DATA / "lanbai_synthetic.csv"


def test_saltelli_jansen_on_additive_model():
    rng = np.random.default_rng(1)
    n = 20000
    A, B = rng.random((n, 2)), rng.random((n, 2))

    def f(U):
        return U[:, 0] + 2 * U[:, 1]

    fAB = []
    for i in range(2):
        AB = A.copy()
        AB[:, i] = B[:, i]
        fAB.append(f(AB))
    S, ST, _ = saltelli_indices(f(A), f(B), np.array(fAB))
    assert S == pytest.approx([0.2, 0.8], abs=0.03)
    assert ST == pytest.approx([0.2, 0.8], abs=0.03)


def test_sensitivity_asem_ranks_and_indices():
    fw = load_framework(DATA / "coinr-asem" / "framework.yaml")
    d = pd.read_csv(DATA / "coinr-asem" / "ASEM_iData.csv").rename(columns={"uCode": "unit"})
    res = sensitivity(
        fw,
        d,
        assumptions={"weights": {"noise": 0.25}, "aggregate": ["nominal", "mean_min"]},
        runs=1300,
        seed=3,
    )
    nominal = compute(fw, d)
    r = res.ranks.set_index("unit")
    assert r.loc["CHE", "nominal_rank"] == 1
    assert (r["p05"] <= r["median_rank"]).all() and (r["median_rank"] <= r["p95"]).all()
    assert (r["p05"] <= r["nominal_rank"]).all() and (r["nominal_rank"] <= r["p95"]).all()
    assert res.runs == res.base_samples * (len(res.factors) + 2)
    idx = res.indices.set_index("factor")
    assert idx.loc["aggregate", "ST_i"] > idx.drop("aggregate")["ST_i"].max()
    assert np.isfinite(idx.to_numpy()).all()
    assert len(r) == len(nominal.rows)


def test_coherence_and_alpha():
    X = np.column_stack([np.arange(10.0), np.arange(10.0) * 2 + 1])
    assert cronbach_alpha(X) == pytest.approx(2 * (1 - (X.var(0, ddof=1).sum()) / X.sum(1).var(ddof=1)))
    fw = load_framework(DATA / "hdi" / "framework.yaml")
    res = compute(fw, pd.read_csv(DATA / "hdi" / "hdr2015_table1.csv"))
    aggs, kids = coherence(res)
    assert set(aggs["node"]) == set(fw.aggregates)
    assert kids["pearson"].dropna().between(-1, 1).all()


def test_lanbai_framework_base_year_100():
    fw = load_framework(DEFAULT_FRAMEWORK)
    assert [fw.nodes[c].name for c in fw.children(fw.root)] == [
        "创新投入",
        "创新产出",
        "产业发展",
        "绿色发展",
        "开放合作",
    ]
    assert fw.nodes["energy_per_10k_gdp"].direction == -1
    long = pd.read_csv(LANBAI)
    res = compute_index(fw, long)
    t = res.table()
    base = t[t["year"] == 2014]
    assert np.allclose(base["score"], 100) and np.allclose(base["base100"], 100)
    assert np.isfinite(t.select_dtypes("number").to_numpy()).all()
    assert res.report["imputed_cells"] == 1
    assert t[t["year"] == 2020]["score"].gt(100).all()
    # lower energy intensity raises the green pillar
    e = long[long.indicator == "energy_per_10k_gdp"].set_index(["unit", "year"])["value"]
    g = t.set_index(["unit", "year"])["green"]
    assert g.loc[("lzxq", 2020)] == pytest.approx(e.loc[("lzxq", 2014)] / e.loc[("lzxq", 2020)] * 100)


def test_cli_compute_csv_and_year():
    r = CliRunner().invoke(app, ["compute", "--data", str(LANBAI), "--year", "2019", "--csv"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(StringIO(r.stdout))
    assert set(df["year"]) == {2019} and len(df) == 4 and df["rank"].min() == 1


def test_cli_compute_hdi_and_errors(tmp_path):
    r = CliRunner().invoke(
        app,
        [
            "compute",
            "-f",
            str(DATA / "hdi" / "framework.yaml"),
            "-d",
            str(DATA / "hdi" / "hdr2015_table1.csv"),
            "--csv",
        ],
    )
    assert r.exit_code == 0
    assert pd.read_csv(StringIO(r.stdout)).iloc[0]["unit"] == "NOR"
    bad = tmp_path / "f.yaml"
    bad.write_text(
        "nodes:\n  - {code: I}\n  - {code: a, parent: b}\n  - {code: b, parent: a}\n", encoding="utf-8"
    )
    r = CliRunner().invoke(app, ["compute", "-f", str(bad), "-d", str(LANBAI)])
    assert r.exit_code == 2 and "cycle" in r.output
    # the rule of each problem is printed as written ([unknown-key]), not swallowed as console markup
    typo = tmp_path / "typo.yaml"
    typo.write_text("nodes:\n  - {code: I, wieght: 2}\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["compute", "-f", str(typo), "-d", str(LANBAI)])
    assert r.exit_code == 2 and "[unknown-key]" in r.output and "wieght" in r.output


def test_cli_sensitivity_runs():
    r = CliRunner().invoke(app, ["sensitivity", "-d", str(LANBAI), "--runs", "300", "--csv"])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(StringIO(r.stdout))
    assert {"median_rank", "p05", "p95"} <= set(df.columns) and len(df) == 28


def test_cli_runs_published_asem_index():
    r = CliRunner().invoke(
        app,
        [
            "compute",
            "-f",
            str(DATA / "coinr-asem" / "framework.yaml"),
            "-d",
            str(DATA / "coinr-asem" / "ASEM_iData.csv"),
            "--csv",
        ],
    )
    assert r.exit_code == 0, r.output
    df = pd.read_csv(StringIO(r.stdout)).set_index("unit")
    assert round(df.at["CHE", "score"], 2) == 68.38 and df.at["CHE", "rank"] == 1
    assert round(df.at["IND", "Sust"], 2) == 50.99


def test_cli_coherence_and_missing_data_option():
    r = CliRunner().invoke(app, ["coherence", "-d", str(LANBAI)])
    assert r.exit_code == 0, r.output
    assert "innovation_input" in r.stdout
    # `compute --year` without --data reads the platform's data: covered by
    # tests/apps/indices/test_index_platform.py (it needs a database).


# --- `lanbai index compute --data`: constant indicators are refused by name, or dropped on request ------

ASEM = DATA / "coinr-asem"


def test_cli_data_mode_reproduces_the_coinr_asem_example():
    """COINr's example coin through the command line: nothing refused or dropped, published scores and ranks."""
    r = CliRunner().invoke(app, ["compute", "-f", str(ASEM / "framework.yaml"), "-d", str(ASEM / "ASEM_iData.csv"),
                                 "--csv"])
    assert r.exit_code == 0, r.output
    assert "dropped" not in r.stderr and "剔除" not in r.stderr
    tab = pd.read_csv(StringIO(r.stdout)).set_index("unit")
    pub = pd.read_csv(ASEM / "ASEM_published_results.csv", dtype={"published_value": str})
    top = pub[pub["table"] == "Aggs_top6"]
    assert len(top) >= 12
    for row in top.itertuples():
        if row.field == "Rank":
            assert tab.at[row.uCode, "rank"] == int(row.published_value), row
        else:
            col = "score" if row.field == "Index" else row.field
            assert f"{tab.at[row.uCode, col]:.2f}" == row.published_value, row


def test_cli_data_mode_refuses_a_constant_indicator_unless_allowed(tmp_path):
    data = pd.read_csv(ASEM / "ASEM_iData.csv")
    data["LPI"] = 3.5  # constant across every unit (LPI has no denominator): min-max undefined
    path = tmp_path / "asem_constant.csv"
    data.to_csv(path, index=False)
    args = ["compute", "-f", str(ASEM / "framework.yaml"), "-d", str(path), "--csv"]
    refused = CliRunner().invoke(app, args)
    assert refused.exit_code == 2 and refused.stdout == ""
    flat = refused.stderr.replace("\n", "")
    assert "cannot normalise LPI" in flat and "--allow-constant" in flat
    allowed = CliRunner().invoke(app, [*args, "--allow-constant"])
    assert allowed.exit_code == 0, allowed.output
    assert "dropped indicators (--allow-constant, weight to siblings): LPI (" in allowed.stderr.replace("\n", "")
    # its siblings share its weight: the scores differ from the full data's
    from lanbai.core.composite.io import read_data

    full = compute(load_framework(ASEM / "framework.yaml"), read_data(ASEM / "ASEM_iData.csv")).table()
    got = pd.read_csv(StringIO(allowed.stdout))
    assert len(got) == len(full) and not np.allclose(got["score"], full["score"])
    # the same rule in the other --data commands
    coh = CliRunner().invoke(app, ["coherence", "-f", str(ASEM / "framework.yaml"), "-d", str(path)])
    assert coh.exit_code == 2 and "--allow-constant" in coh.stderr.replace("\n", "")
    # and it is a --data option: the platform's data refuses such an indicator anyway
    plat = CliRunner().invoke(app, ["compute", "--year", "2019", "--allow-constant"])
    assert plat.exit_code == 2 and "--data" in plat.stderr
