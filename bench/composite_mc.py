"""Benchmark: 10,000 Monte Carlo replications of the ASEM index (COINr example, 51 units x 49
indicators, 4 levels) versus one single index computation, in the same run.

Prints the ratio time(10,000 replications) / time(one computation); goal <= 200 (replications are
batched array work, not a loop of full recomputes).
"""

from __future__ import annotations

import time
from pathlib import Path

import pandas as pd

from lanbai.core.composite import compute, load_framework
from lanbai.core.composite.sensitivity import sensitivity

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "composite" / "coinr-asem"
RUNS = 10_000


def main() -> None:
    fw = load_framework(DATA / "framework.yaml")
    data = pd.read_csv(DATA / "ASEM_iData.csv").rename(columns={"uCode": "unit"})
    compute(fw, data)  # warm-up (imports, caches)
    singles = []
    for _ in range(5):
        t0 = time.perf_counter()
        compute(fw, data)
        singles.append(time.perf_counter() - t0)
    single = sorted(singles)[len(singles) // 2]
    assumptions = {
        "weights": {"noise": 0.25},
        "aggregate": ["nominal", {"method": "mean_min"}, {"method": "geometric"}],
        "normalise": [{"method": "minmax", "lower": 1, "upper": 100}, {"method": "rank"}],
        "impute": ["nominal", {"method": "median"}],
    }
    t0 = time.perf_counter()
    res = sensitivity(fw, data, assumptions=assumptions, runs=RUNS, seed=1)
    mc = time.perf_counter() - t0
    print(f"single computation: {single * 1000:.1f} ms (median of 5)")
    print(
        f"monte carlo: {res.runs} evaluations ({len(res.factors)} factors, N={res.base_samples}) in {mc:.2f} s"
    )
    print(f"ratio: composite_mc {mc / single:.1f} goal<=200")


if __name__ == "__main__":
    main()
