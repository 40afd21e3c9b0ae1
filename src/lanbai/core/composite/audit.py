"""The statistical audit of a computed index, as the JRC/COIN audits published indices.

* correlations of every indicator with its own pillar (within) and with the other pillars and the
  index (across) — an indicator that correlates more with another pillar than with its own, or
  negatively with the index, is flagged (Saisana, Saltelli & Tarantola 2005; JRC audits);
* Cronbach's alpha and the first principal component's share per pillar
  (:func:`lanbai.core.composite.coherence.coherence`);
* each indicator's importance against its nominal weight: the first-order sensitivity index of the
  index with respect to the indicator, estimated by the (linear) correlation ratio
  ``S_i = corr(x_i, index)²`` (Paruolo, Saisana & Saltelli 2013, "Ratings and rankings: voodoo or
  science?", JRSS A 176) and rescaled to sum to 1, beside the indicator's effective nominal weight
  (the product of the normalised weights on its path to the root);
* what drives a unit's score: each pillar's and indicator's weighted contribution to it (measured
  from a reference, 100 for a base-year index).

The Monte Carlo rank intervals come from :mod:`lanbai.core.composite.sensitivity`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .coherence import coherence
from .engine import IndexResult
from .framework import Framework

__all__ = ["CLOSER_MARGIN", "audit", "contributions", "effective_weights"]

#: an indicator is flagged as closer to another pillar when it correlates with it by more than this
#: above its own pillar (differences in the second decimal are noise on a few dozen observations)
CLOSER_MARGIN = 0.05


def effective_weights(framework: Framework) -> dict[str, float]:
    """Each node's share of the root: the product of its and its ancestors' normalised weights."""
    out: dict[str, float] = {framework.root: 1.0}
    for a in sorted(framework.aggregates, key=framework.depth):
        kids = framework.children(a)
        w = framework.weights(a)
        tot = float(w.sum()) or 1.0
        for c, wc in zip(kids, w, strict=True):
            out[c] = out[a] * float(wc) / tot
    return out


def _corr(x: np.ndarray, y: np.ndarray) -> float:
    ok = np.isfinite(x) & np.isfinite(y)
    if ok.sum() < 3 or np.std(x[ok]) == 0 or np.std(y[ok]) == 0:
        return float("nan")
    return float(np.corrcoef(x[ok], y[ok])[0, 1])


def audit(result: IndexResult, *, rows: np.ndarray | None = None) -> dict[str, pd.DataFrame]:
    """The audit tables of ``result`` over the rows selected by the boolean mask ``rows`` (all rows).

    Returns ``correlations`` (indicator, pillar, own pillar r, best other pillar and its r, r with
    the index, flag), ``pillars`` (Cronbach's alpha, PC1 share, eigenvalues > 1, effective weight),
    ``importance`` (indicator, nominal weight, S_i, importance share, ratio share/weight).
    """
    fw = result.framework
    S = (
        result.scores
        if rows is None
        else result.scores.loc[np.asarray(rows, dtype=bool)].reset_index(drop=True)
    )
    root = fw.root
    pillars = [a for a in fw.aggregates if a != root]
    inds = [c for c in fw.indicators if c in S.columns]
    eff = effective_weights(fw)
    index = S[root].to_numpy(dtype=float)
    corr_rows, imp_rows = [], []
    for c in inds:
        x = S[c].to_numpy(dtype=float)
        own = fw.nodes[c].parent or root
        r_own = _corr(x, S[own].to_numpy(dtype=float)) if own in S else float("nan")
        others = {p: _corr(x, S[p].to_numpy(dtype=float)) for p in pillars if p != own}
        best = max(others, key=lambda p: -np.inf if not np.isfinite(others[p]) else others[p], default="")
        r_idx = _corr(x, index)
        flag = ""
        if np.isfinite(r_idx) and r_idx < 0:
            flag = "negative-with-index"
        elif (
            best and np.isfinite(others[best]) and np.isfinite(r_own) and others[best] > r_own + CLOSER_MARGIN
        ):
            flag = "closer-to-other-pillar"
        corr_rows.append(
            {
                "indicator": c,
                "pillar": own,
                "r_own_pillar": r_own,
                "closest_other_pillar": best,
                "r_other_pillar": others.get(best, float("nan")) if best else float("nan"),
                "r_index": r_idx,
                "flag": flag,
            }
        )
        imp_rows.append(
            {"indicator": c, "pillar": own, "nominal_weight": eff.get(c, float("nan")), "S_i": r_idx**2}
        )
    imp = pd.DataFrame(imp_rows)
    tot = float(np.nansum(imp["S_i"])) if len(imp) else 0.0
    imp["importance_share"] = imp["S_i"] / tot if tot > 0 else np.nan
    imp["share_to_weight"] = imp["importance_share"] / imp["nominal_weight"]
    sub = IndexResult(fw, result.rows, S, result.ranks, result.method, result.report, result.weights)
    aggs, _kids = coherence(sub)
    aggs = aggs[aggs["node"].isin(pillars + [root])].copy()
    aggs["effective_weight"] = aggs["node"].map(eff)
    return {
        "correlations": pd.DataFrame(corr_rows),
        "pillars": aggs.reset_index(drop=True),
        "importance": imp,
    }


def contributions(
    result: IndexResult, i: int, *, reference: float = 0.0
) -> tuple[dict[str, float], dict[str, float]]:
    """Row ``i``'s weighted contributions to its index minus ``reference``, per pillar and indicator.

    ``weight × (score − reference)`` in index points: with ``reference`` 100 for a base-year index
    they say where the distance from the base comes from.  For an arithmetic tree they add up to
    ``index − reference``; for other aggregations they are linear shares, a reading aid.
    """
    fw = result.framework
    row = {str(k): float(v) for k, v in result.scores.iloc[i].items()}
    eff = effective_weights(fw)
    pillars = {a: eff[a] * (row[a] - reference) for a in fw.aggregates if a != fw.root and a in row}
    inds = {c: eff[c] * (row[c] - reference) for c in fw.indicators if c in row and np.isfinite(row[c])}
    return pillars, inds
