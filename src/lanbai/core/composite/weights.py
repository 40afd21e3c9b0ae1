"""Weights: equal, expert (as declared), PCA-derived and budget allocation (OECD/JRC Handbook 6.1)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .framework import Framework, FrameworkError, FrameworkIssue

__all__ = ["budget_allocation_weights", "equal_weights", "pca_weights"]


def equal_weights(framework: Framework) -> dict[str, float]:
    """Every node weight 1 (equal weights among siblings)."""
    return {c: 1.0 for c in framework.nodes if framework.nodes[c].parent is not None}


def pca_weights(framework: Framework, scores: pd.DataFrame) -> dict[str, float]:
    """Weights of each aggregate's children from the first principal component of their (normalised)
    scores: squared loadings of PC1 of the correlation matrix, scaled to sum to 1 (Handbook step 6).

    ``scores`` has one column per child node (indicators and aggregates, e.g. from a nominal run).
    Children with zero variance get weight 0 and a group with < 2 usable children keeps equal weights.
    """
    out: dict[str, float] = {}
    for agg in framework.aggregates:
        kids = framework.children(agg)
        miss = [k for k in kids if k not in scores.columns]
        if miss:
            raise ValueError(f"pca_weights: scores lack columns {miss} (children of {agg})")
        Z = scores[kids].to_numpy(dtype=float)
        Z = Z[np.isfinite(Z).all(axis=1)]
        sd = Z.std(axis=0, ddof=1) if Z.shape[0] > 1 else np.zeros(len(kids))
        use = sd > 0
        if use.sum() < 2 or Z.shape[0] < 3:
            out.update({k: 1.0 / len(kids) for k in kids})
            continue
        C = np.corrcoef(Z[:, use], rowvar=False)
        vals, vecs = np.linalg.eigh(C)
        load = vecs[:, -1] ** 2
        w = np.zeros(len(kids))
        w[use] = load / load.sum()
        out.update(dict(zip(kids, w.tolist(), strict=True)))
    return out


def budget_allocation_weights(
    allocations: pd.DataFrame, *, budget: float = 100.0, node: str = "budget"
) -> dict[str, float]:
    """Budget allocation: each expert (row) distributes ``budget`` points over the columns; the weight of
    a column is the mean allocation divided by the budget.  Every row must sum to ``budget``."""
    A = allocations.astype(float)
    if A.isna().to_numpy().any() or (A.to_numpy() < 0).any():
        raise FrameworkError(
            [FrameworkIssue(node, "budget-values", "allocations must be non-negative numbers")]
        )
    sums = A.sum(axis=1)
    bad = sums[(sums - budget).abs() > 1e-6]
    if len(bad):
        raise FrameworkError(
            [
                FrameworkIssue(
                    node, "budget-sum", f"expert {i!r} allocates {s:g} points, budget is {budget:g}"
                )
                for i, s in bad.items()
            ]
        )
    # the columns are indicator codes
    return {str(code): float(w) for code, w in (A.mean(axis=0) / budget).items()}


def normalised(weights: Mapping[str, float], codes: list[str]) -> np.ndarray:
    w = np.array([weights[c] for c in codes], dtype=float)
    out: np.ndarray = w / w.sum()
    return out
