"""Uncertainty and sensitivity analysis (OECD/JRC Handbook ch. 7; Saltelli et al. 2010).

Uncertain assumptions ("factors"):

* ``weights``: every weight ``w`` of an aggregate's children drawn uniformly in ``w (1 +- noise)``;
  one (grouped) factor per aggregate node with at least two children;
* ``impute`` / ``treat`` / ``normalise``: alternative data pipelines (each a list of specs);
* ``aggregate``: alternative aggregation for *all* aggregate nodes (option 0 = each node's own).

Sampling: Saltelli's radial design with matrices ``A``, ``B`` (``N x D`` uniform) and ``A_B^(i)``
(``A`` with the columns of factor ``i`` taken from ``B``): ``N (k + 2)`` evaluations for ``k`` factors.
All evaluations are batched array work: the few alternative data pipelines are prepared once, then
every replicate is a gather plus the batched tree aggregation of :func:`aggregate_tree` (chunks of
replicates, no per-replicate recomputation).  Output of interest for the sensitivity indices: the mean
absolute rank shift of the units against the nominal ranking (as COINr).  First order ``S_i`` by
Saltelli (2010) ``mean(f_B (f_ABi - f_A)) / V``, total ``ST_i`` by Jansen ``mean((f_A - f_ABi)^2) / 2V``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .engine import (
    Prepared,
    aggregate_tree,
    compile_tree,
    normalise_matrix,
    prepare,
    rank_desc,
    resolve_method,
)
from .framework import Framework

__all__ = ["SensitivityResult", "default_assumptions", "saltelli_indices", "sensitivity"]


def _as_spec(v: Any) -> dict[str, Any]:
    return {"method": v} if isinstance(v, str) else dict(v)


def default_assumptions(framework: Framework) -> dict[str, Any]:
    """Weights +-25 %; aggregation arithmetic vs mean-min (partially compensatory); imputation
    none vs the nominal one when the nominal imputes."""
    m = resolve_method(framework)
    out: dict[str, Any] = {"weights": {"noise": 0.25}, "aggregate": ["nominal", {"method": "mean_min"}]}
    if m["impute"].get("method", "none") != "none":
        out["impute"] = ["nominal", {"method": "none"}]
    return out


@dataclass
class SensitivityResult:
    """Rank uncertainty per unit, sensitivity indices per factor, nominal ranks."""

    ranks: pd.DataFrame  # unit[, year], nominal_rank (framework's method), median_rank, p05, p95
    indices: pd.DataFrame  # factor, S_i, ST_i
    runs: int
    base_samples: int
    factors: list[str]
    output_variance: float
    excluded_units: list[str]  # units not kept by every imputation alternative (screening)

    def summary(self) -> str:
        return f"{self.runs} runs, N={self.base_samples}, factors={self.factors}"


def saltelli_indices(fA: np.ndarray, fB: np.ndarray, fAB: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """First-order (Saltelli 2010) and total (Jansen 1999) indices; ``fAB`` has shape ``(k, N)``."""
    V = float(np.var(np.concatenate([fA, fB]), ddof=1))
    if not np.isfinite(V) or V <= 0:
        return np.zeros(fAB.shape[0]), np.zeros(fAB.shape[0]), 0.0
    S = np.mean(fB[None, :] * (fAB - fA[None, :]), axis=1) / V
    ST = np.mean((fA[None, :] - fAB) ** 2, axis=1) / (2 * V)
    return S, ST, V


def sensitivity(
    framework: Framework,
    data: pd.DataFrame,
    *,
    assumptions: Mapping[str, Any] | None = None,
    runs: int = 10000,
    seed: int = 0,
    chunk: int = 256,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityResult:
    """Monte Carlo uncertainty analysis and Saltelli/Jansen sensitivity indices (see module doc)."""
    if runs < 1:
        raise ValueError("runs must be >= 1")
    nominal = resolve_method(framework)
    assum = dict(assumptions if assumptions is not None else default_assumptions(framework))
    unknown = sorted(set(assum) - {"weights", "impute", "treat", "normalise", "aggregate"})
    if unknown:
        raise ValueError(f"sensitivity assumptions: unknown key(s) {unknown}")

    def _alts(key: str) -> list[dict[str, Any]]:
        vals = assum.get(key) or ["nominal"]
        if not isinstance(vals, Sequence) or isinstance(vals, str | bytes):
            raise ValueError(f"sensitivity.{key}: a list of alternatives")
        return [dict(nominal[key]) if v == "nominal" else _as_spec(v) for v in vals]

    imp_alts, tr_alts, norm_alts = _alts("impute"), _alts("treat"), _alts("normalise")
    agg_vals = assum.get("aggregate") or ["nominal"]
    agg_alts = [None if v == "nominal" else _as_spec(v) for v in agg_vals]

    # --- prepare every data pipeline once ---------------------------------------------------------
    combos = list(itertools.product(range(len(imp_alts)), range(len(tr_alts)), range(len(norm_alts))))
    prep_cache: dict[tuple[int, int], Prepared] = {}
    for i, t, _ in combos:
        if (i, t) not in prep_cache:
            m = resolve_method(framework, {"impute": imp_alts[i], "treat": tr_alts[t]})
            prep_cache[(i, t)] = prepare(framework, data, m)
    keys = [c for c in ("unit", "year") if c in next(iter(prep_cache.values())).rows]

    def _key(rows: pd.DataFrame) -> pd.Index:
        return pd.MultiIndex.from_frame(rows[keys].astype(str))

    common = None
    for p in prep_cache.values():
        common = _key(p.rows) if common is None else common.intersection(_key(p.rows), sort=False)
    assert common is not None
    if len(common) == 0:
        raise ValueError("sensitivity: no unit is kept by every imputation alternative")
    Ns = []
    rows_ref: pd.DataFrame | None = None
    for i, t, n in combos:
        p = prep_cache[(i, t)]
        m = resolve_method(framework, {"impute": imp_alts[i], "treat": tr_alts[t], "normalise": norm_alts[n]})
        N, _ = normalise_matrix(framework, p, m)
        sel = _key(p.rows).isin(common)
        if rows_ref is None:
            rows_ref = p.rows.loc[sel].reset_index(drop=True)
        sub = pd.DataFrame(N[sel], index=_key(p.rows)[sel])
        Ns.append(sub.loc[_key(rows_ref)].to_numpy())
    assert rows_ref is not None
    excluded = sorted({u for p in prep_cache.values() for u in p.rows["unit"]} - set(rows_ref["unit"]))
    N_all = np.stack(Ns)  # (P, n, I)
    years = rows_ref["year"].to_numpy() if "year" in rows_ref else None

    tree = compile_tree(framework, nominal)
    root_pos = tree.nodes.index(framework.root)
    specs = [[tree.specs[j]] + [a for a in agg_alts if a is not None] for j in range(len(tree.aggregates))]
    n_agg = len(agg_alts)
    # validate every pipeline x aggregation combination once (e.g. geometric needs positive values)
    for p_i, a_i in itertools.product(range(len(combos)), range(n_agg)):
        try:
            aggregate_tree(tree, N_all[p_i : p_i + 1], specs=specs, spec_index=np.array([a_i]))
        except ValueError as exc:
            i, t, n = combos[p_i]
            raise ValueError(
                f"sensitivity: normalise={norm_alts[n].get('method')} with aggregate option {agg_vals[a_i]!r} is invalid: {exc}"
            ) from exc

    # --- factors ----------------------------------------------------------------------------------
    wspec = assum.get("weights")
    noise = float(wspec.get("noise", 0.25)) if isinstance(wspec, Mapping) else 0.0
    if not 0 <= noise < 1:
        raise ValueError("sensitivity.weights.noise must be in [0, 1)")
    factors: list[tuple[str, slice]] = []
    col = 0
    wcols: list[slice | None] = []
    for j, a in enumerate(tree.aggregates):
        k = len(tree.children[j])
        if noise > 0 and k >= 2:
            factors.append((f"weights:{a}", slice(col, col + k)))
            wcols.append(slice(col, col + k))
            col += k
        else:
            wcols.append(None)
    disc: dict[str, int] = {}
    for key, K in (
        ("impute", len(imp_alts)),
        ("treat", len(tr_alts)),
        ("normalise", len(norm_alts)),
        ("aggregate", n_agg),
    ):
        if K > 1:
            factors.append((key, slice(col, col + 1)))
            disc[key] = col
            col += 1
    D = col
    k = len(factors)

    def _pick(u: np.ndarray, K: int) -> np.ndarray:
        out: np.ndarray = np.minimum((u * K).astype(int), K - 1)
        return out

    def evaluate(U: np.ndarray) -> np.ndarray:
        """Root scores ``(M, n)`` for uniform samples ``U`` ``(M, D)``."""
        M = U.shape[0]
        ii = _pick(U[:, disc["impute"]], len(imp_alts)) if "impute" in disc else np.zeros(M, int)
        tt = _pick(U[:, disc["treat"]], len(tr_alts)) if "treat" in disc else np.zeros(M, int)
        nn = _pick(U[:, disc["normalise"]], len(norm_alts)) if "normalise" in disc else np.zeros(M, int)
        aa = _pick(U[:, disc["aggregate"]], n_agg) if "aggregate" in disc else np.zeros(M, int)
        pipe = (ii * len(tr_alts) + tt) * len(norm_alts) + nn
        W = []
        for j, sl in enumerate(wcols):
            w0 = tree.weights[j]
            W.append(
                np.broadcast_to(w0, (M, w0.size))
                if sl is None
                else w0[None, :] * (1 + noise * (2 * U[:, sl] - 1))
            )
        S = aggregate_tree(tree, N_all[pipe], weights=W, specs=specs, spec_index=aa)
        return S[..., root_pos]

    # nominal ranking: the framework's own method, on the units common to every alternative
    p_nom = prepare(framework, data, nominal)
    N_nom, _ = normalise_matrix(framework, p_nom, nominal)
    sel_nom = _key(p_nom.rows).isin(common)
    if sel_nom.sum() != len(rows_ref):
        raise ValueError("sensitivity: the nominal method screens out units that every alternative keeps")
    N_nom = pd.DataFrame(N_nom[sel_nom], index=_key(p_nom.rows)[sel_nom]).loc[_key(rows_ref)].to_numpy()
    S0 = aggregate_tree(tree, N_nom)[:, root_pos]
    nominal_rank = rank_desc(S0, years)
    # replicates per chunk: bounded memory (about 16 MB of scores per chunk)
    chunk = max(1, min(chunk, int(2e6 // max(1, S0.size * len(tree.nodes)))))

    rng = np.random.default_rng(seed)
    if k == 0 or D == 0:
        n_base, A, B = runs, rng.random((runs, max(D, 1))), None
    else:
        n_base = max(runs // (k + 2), 2)
        A, B = rng.random((n_base, D)), rng.random((n_base, D))
    blocks: list[np.ndarray] = [A] if B is None else [A, B]
    if B is not None:
        for _, sl in factors:
            AB = A.copy()
            AB[:, sl] = B[:, sl]
            blocks.append(AB)
    U_all = np.concatenate(blocks)[:, :D] if D else np.zeros((len(A), 0))
    total = U_all.shape[0]
    ranks = np.empty((total, S0.size))
    done = 0
    for start in range(0, total, chunk):
        s = evaluate(U_all[start : start + chunk])
        ranks[start : start + len(s)] = rank_desc(s, years)
        done += len(s)
        if progress is not None:
            progress(done, total)
    shift = np.mean(np.abs(ranks - nominal_rank[None, :]), axis=1)
    if B is not None:
        fA, fB = shift[:n_base], shift[n_base : 2 * n_base]
        fAB = shift[2 * n_base :].reshape(k, n_base)
        S_i, ST_i, V = saltelli_indices(fA, fB, fAB)
    else:
        S_i, ST_i, V = np.zeros(0), np.zeros(0), float(np.var(shift))
    rk = rows_ref[keys].copy().reset_index(drop=True)
    rk["nominal_rank"] = nominal_rank.astype(int)
    rk["median_rank"] = np.median(ranks, axis=0)
    rk["p05"] = np.percentile(ranks, 5, axis=0)
    rk["p95"] = np.percentile(ranks, 95, axis=0)
    ind = pd.DataFrame({"factor": [f for f, _ in factors], "S_i": S_i, "ST_i": ST_i})
    return SensitivityResult(rk, ind, total, n_base, [f for f, _ in factors], V, excluded)
