"""Statistical coherence per aggregate (OECD/JRC Handbook steps 4 and 10): correlations of each child
with its parent (Pearson and Spearman), Cronbach's alpha of the children, and the share of variance
explained by the first principal component of the children (with the count of eigenvalues > 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .engine import IndexResult

__all__ = ["coherence", "cronbach_alpha"]


def cronbach_alpha(X: np.ndarray) -> float:
    """Cronbach's alpha of the columns of ``X`` (rows with missing values dropped); NaN if undefined."""
    X = np.asarray(X, dtype=float)
    X = X[np.isfinite(X).all(axis=1)]
    k = X.shape[1]
    if k < 2 or X.shape[0] < 2:
        return float("nan")
    tot = X.sum(axis=1).var(ddof=1)
    if tot == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / tot))


def coherence(result: IndexResult) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Returns (per aggregate: alpha, PC1 share, eigenvalues > 1; per child: Pearson, Spearman with parent).

    Undefined statistics (fewer than 2 children, constant columns) are reported as empty cells in the
    text output and documented; they are never used in computation.
    """
    fw, S = result.framework, result.scores
    agg_rows, child_rows = [], []
    for a in fw.aggregates:
        kids = [c for c in fw.children(a) if c in S.columns]
        X = S[kids].to_numpy(dtype=float)
        ok = np.isfinite(X).all(axis=1)
        Xo = X[ok]
        pc1, n_eig = float("nan"), 0
        sd = Xo.std(axis=0, ddof=1) if len(Xo) > 1 else np.zeros(len(kids))
        use = sd > 0
        if use.sum() >= 2 and len(Xo) >= 3:
            ev = np.linalg.eigvalsh(np.corrcoef(Xo[:, use], rowvar=False))
            pc1, n_eig = float(ev[-1] / ev.sum()), int((ev > 1).sum())
        agg_rows.append(
            {
                "node": a,
                "children": len(kids),
                "cronbach_alpha": cronbach_alpha(Xo),
                "pc1_share": pc1,
                "eigen_gt_1": n_eig,
            }
        )
        parent = S[a].to_numpy(dtype=float)[ok]
        for j, c in enumerate(kids):
            x = Xo[:, j]
            if x.std() == 0 or parent.std() == 0 or len(x) < 3:
                pr = sp = float("nan")
            else:
                pr = float(np.corrcoef(x, parent)[0, 1])
                sp = float(pd.Series(x).rank().corr(pd.Series(parent).rank()))
            child_rows.append({"node": a, "child": c, "pearson": pr, "spearman": sp})
    return pd.DataFrame(agg_rows), pd.DataFrame(child_rows)
