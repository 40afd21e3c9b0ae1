"""The composite-indicator pipeline: denominate -> screen -> impute -> treat -> normalise -> weight ->
aggregate -> rank (-> base year = 100), after the OECD/JRC Handbook (2008) and COINr.

Input data is *wide*: one row per unit (or per unit and year), a ``unit`` column, an optional ``year``
column, any group/denominator columns, and one column per indicator code of the framework.  The same
batched aggregation (:func:`aggregate_tree`) serves the single computation and the Monte Carlo runs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

from .aggregate import aggregate
from .framework import Framework, FrameworkError, FrameworkIssue
from .impute import impute as impute_frame
from .normalise import DegenerateIndicator, normalise_column
from .treat import TreatmentRecord, treat_column
from .weights import equal_weights, pca_weights

__all__ = [
    "DEFAULT_METHOD",
    "CompiledTree",
    "IndexDataError",
    "IndexResult",
    "Prepared",
    "aggregate_tree",
    "compile_tree",
    "compute",
    "compute_index",
    "normalise_matrix",
    "prepare",
    "resolve_method",
]

DEFAULT_METHOD: dict[str, Any] = {
    "denominate": True,
    "screen": {"min_coverage": 0.0, "stage": "before_impute"},
    "impute": {"method": "none"},
    "treat": {"method": "none"},
    "normalise": {"method": "minmax", "lower": 0.0, "upper": 100.0},
    "aggregate": {"method": "arithmetic"},
    "weights": "expert",
    "base_year": None,
    "on_constant": "drop",
}


class IndexDataError(ValueError):
    """The data cannot be used with the framework (missing indicator column, no units left, ...)."""


def resolve_method(framework: Framework, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Defaults, then the framework's ``method:``, then ``overrides`` (strings allowed for
    ``impute``/``treat``/``normalise``/``aggregate``, e.g. ``"zscore"``)."""
    out: dict[str, Any] = {}
    for src in (DEFAULT_METHOD, framework.method, overrides or {}):
        for k, v in src.items():
            if k in ("impute", "treat", "normalise", "aggregate") and isinstance(v, str):
                v = {"method": v}
            if isinstance(v, Mapping) and isinstance(out.get(k), Mapping) and k != "weights":
                # a new method replaces the old parameters; same method keeps and updates them
                base = dict(out[k]) if v.get("method", out[k].get("method")) == out[k].get("method") else {}
                out[k] = {**base, **v}
            else:
                out[k] = dict(v) if isinstance(v, Mapping) else v
    return out


@dataclass
class Prepared:
    """Rows after denominate/screen/impute/treat, before normalisation."""

    rows: pd.DataFrame  # unit[, year][, group columns]
    X: pd.DataFrame  # rows x indicators, float, same index as rows
    report: dict[str, Any] = field(default_factory=dict)

    @property
    def units(self) -> np.ndarray:
        return self.rows["unit"].to_numpy()

    @property
    def years(self) -> np.ndarray | None:
        return self.rows["year"].to_numpy() if "year" in self.rows else None


def _check_data(framework: Framework, data: pd.DataFrame) -> None:
    if not isinstance(data, pd.DataFrame):
        raise TypeError("data must be a pandas DataFrame (wide: unit[, year], indicator columns)")
    if "unit" not in data.columns:
        raise IndexDataError("data: a 'unit' column is required / 数据缺少 unit 列")
    missing = [c for c in framework.indicators if c not in data.columns]
    if missing:
        raise IndexDataError(
            f"data: indicator column(s) {missing} of the framework are missing / 数据缺少指标列"
        )
    keys = ["unit", "year"] if "year" in data.columns else ["unit"]
    dup = data.duplicated(keys)
    if dup.any():
        raise IndexDataError(f"data: duplicate rows for {data.loc[dup, keys].head(5).to_dict('records')}")
    bad = []
    for c in framework.indicators:
        col = pd.to_numeric(data[c], errors="coerce")
        if (col.isna() & data[c].notna()).any():
            bad.append(c)
        elif np.isinf(col.to_numpy(dtype=float)).any():
            bad.append(c)
    if bad:
        raise IndexDataError(f"data: non-numeric or infinite values in indicator column(s) {bad}")


def prepare(framework: Framework, data: pd.DataFrame, method: Mapping[str, Any]) -> Prepared:
    """Denominate, screen units, impute and treat (the data steps before normalisation)."""
    _check_data(framework, data)
    inds = framework.indicators
    keep_cols = ["unit"] + (["year"] if "year" in data.columns else [])
    imp = method["impute"]
    group_col = imp.get("group")
    if group_col is not None:
        if group_col not in data.columns:
            raise IndexDataError(f"impute.group: column {group_col!r} not in data")
        keep_cols.append(group_col)
    rows = data[keep_cols].reset_index(drop=True).copy()
    X = data[inds].apply(pd.to_numeric, errors="coerce").astype(float).reset_index(drop=True)
    report: dict[str, Any] = {}

    if method.get("denominate", True):
        den_used = {}
        for c in inds:
            den = framework.nodes[c].denominator
            if den is None:
                continue
            if den not in data.columns:
                raise IndexDataError(f"{c}: denominator column {den!r} not in data")
            d = pd.to_numeric(data[den], errors="coerce").to_numpy(dtype=float)
            with np.errstate(divide="ignore", invalid="ignore"):
                X[c] = np.where(d != 0, X[c].to_numpy() / np.where(d != 0, d, 1.0), np.nan)
            den_used[c] = den
        report["denominated"] = den_used

    screen = method.get("screen") or {}
    min_cov = float(screen.get("min_coverage", 0.0))

    def _screen(Xc: pd.DataFrame) -> np.ndarray:
        cov = Xc.notna().mean(axis=1).to_numpy()
        return (cov > 0) & (cov >= min_cov - 1e-12)

    stage = screen.get("stage", "before_impute")
    if stage not in ("before_impute", "after_impute"):
        raise ValueError("screen.stage must be 'before_impute' or 'after_impute'")
    screened: list[dict[str, Any]] = []
    all_missing = X.notna().sum(axis=1).to_numpy() == 0

    def _apply_screen(mask: np.ndarray, Xc: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
        cov = Xc.notna().mean(axis=1).to_numpy()
        for i in np.flatnonzero(~mask):
            rec = {"unit": rows.at[i, "unit"], "coverage": round(float(cov[i]), 4)}
            if "year" in rows:
                rec["year"] = rows.at[i, "year"]
            screened.append(rec)
        return rows.loc[mask].reset_index(drop=True), Xc.loc[mask].reset_index(drop=True)

    if stage == "before_impute":
        rows, X = _apply_screen(_screen(X), X)
    else:
        # units without any data are never imputed into existence
        rows, X = _apply_screen(~all_missing, X)
    if len(rows) == 0:
        raise IndexDataError("no unit has data left after screening / 筛选后没有可计算的单位")

    X_imp, mask = impute_frame(
        X,
        imp,
        groups=rows[group_col] if group_col is not None else None,
        units=rows["unit"],
        years=rows["year"] if "year" in rows else None,
    )
    report["imputed_cells"] = int(mask.to_numpy().sum())
    ri, ci = np.nonzero(mask.to_numpy())
    report["imputed"] = [
        {
            "unit": rows.at[int(i), "unit"],
            **({"year": rows.at[int(i), "year"]} if "year" in rows else {}),
            "indicator": inds[int(j)],
        }
        for i, j in zip(ri, ci, strict=True)
    ]
    X = X_imp
    if stage == "after_impute":
        keep = _screen(X)
        rows, X = _apply_screen(keep, X)
        if len(rows) == 0:
            raise IndexDataError("no unit has data left after screening / 筛选后没有可计算的单位")
    report["screened_out"] = screened
    report["missing_after_impute"] = int(X.isna().to_numpy().sum())

    tr = method.get("treat") or {"method": "none"}
    records: list[TreatmentRecord] = []
    if tr.get("method", "none") not in ("none", "winsorise", "coinr"):
        raise ValueError("treat.method: choose 'none' or 'winsorise' (COINr: winsorise then log fallback)")
    if tr.get("method", "none") != "none":
        Xt = X.copy()
        for c in inds:
            node_tr = framework.nodes[c].treat
            if node_tr is not None and node_tr.get("method") == "none":
                continue
            p = {**tr, **(node_tr or {})}
            v, rec = treat_column(
                X[c].to_numpy(),
                c,
                winmax=int(p.get("winmax", 5)),
                skew_thresh=float(p.get("skew", 2.0)),
                kurt_thresh=float(p.get("kurt", 3.5)),
                log_fallback=bool(p.get("log_fallback", True)),
            )
            Xt[c] = v
            records.append(rec)
        X = Xt
    report["treatment"] = [r.__dict__ for r in records if r.action not in ("none", "skipped")]
    return Prepared(rows=rows, X=X, report=report)


def normalise_matrix(
    framework: Framework, prepared: Prepared, method: Mapping[str, Any]
) -> tuple[np.ndarray, list[dict[str, str]]]:
    """Normalise every indicator column; returns (array rows x indicators, dropped indicators).

    A degenerate indicator (see :class:`DegenerateIndicator`) is dropped (column all NaN, its siblings
    share its weight) when ``on_constant == 'drop'``, or raises when ``'error'``.
    """
    inds = framework.indicators
    out = np.empty((len(prepared.X), len(inds)))
    dropped: list[dict[str, str]] = []
    glob = method["normalise"]
    policy = method.get("on_constant", "drop")
    if policy not in ("drop", "error"):
        raise ValueError("on_constant must be 'drop' or 'error'")
    for j, c in enumerate(inds):
        node = framework.nodes[c]
        spec = dict(glob)
        if node.normalise is not None:
            spec = dict(node.normalise) if "method" in node.normalise else {**glob, **node.normalise}
        if spec.get("method") == "ratio_to_base" and "base_year" not in spec:
            spec["base_year"] = method.get("base_year")
        try:
            out[:, j] = normalise_column(
                prepared.X[c].to_numpy(),
                spec,
                code=c,
                direction=node.direction,
                target=node.target,
                units=prepared.units,
                years=prepared.years,
            )
        except DegenerateIndicator as exc:
            if policy == "error":
                raise IndexDataError(f"指标无法标准化 / cannot normalise {exc}") from exc
            out[:, j] = np.nan
            dropped.append({"indicator": c, "reason": exc.reason})
    return out, dropped


@dataclass(frozen=True)
class CompiledTree:
    """Array form of the tree for batched aggregation: nodes = indicators then aggregates (bottom-up)."""

    indicators: list[str]
    aggregates: list[str]
    children: list[np.ndarray]  # per aggregate, indices into nodes
    weights: list[np.ndarray]  # per aggregate, declared weights of its children
    specs: list[dict[str, Any]]  # per aggregate, aggregation spec

    @property
    def nodes(self) -> list[str]:
        return self.indicators + self.aggregates


def compile_tree(
    framework: Framework, method: Mapping[str, Any], weights: Mapping[str, float] | None = None
) -> CompiledTree:
    inds, aggs = framework.indicators, framework.aggregates
    pos = {c: i for i, c in enumerate(inds + aggs)}
    ch, ws, sp = [], [], []
    for a in aggs:
        kids = framework.children(a)
        ch.append(np.array([pos[k] for k in kids], dtype=int))
        w = np.array([(weights or {}).get(k, framework.nodes[k].weight) for k in kids], dtype=float)
        ws.append(w)
        node_spec = framework.nodes[a].aggregate
        sp.append(dict(node_spec) if node_spec is not None else dict(method["aggregate"]))
    return CompiledTree(inds, aggs, ch, ws, sp)


def aggregate_tree(
    tree: CompiledTree,
    N: np.ndarray,
    *,
    weights: list[np.ndarray] | None = None,
    specs: list[list[dict[str, Any]]] | None = None,
    spec_index: np.ndarray | None = None,
) -> np.ndarray:
    """Aggregate normalised data bottom-up, batched.

    ``N``: ``(B, n, I)`` (or ``(n, I)``); ``weights[j]``: ``(B, k_j)`` or ``(k_j,)`` per aggregate;
    ``specs[j]``: alternative aggregation specs per aggregate with ``spec_index`` ``(B,)`` choosing one
    per replicate (default: the tree's spec).  Returns scores ``(B, n, n_nodes)``.
    """
    single = N.ndim == 2
    if single:
        N = N[None]
    B, n, nI = N.shape
    S = np.full((B, n, nI + len(tree.aggregates)), np.nan)
    S[..., :nI] = N
    for j, kids in enumerate(tree.children):
        w = tree.weights[j] if weights is None else weights[j]
        w = np.asarray(w, dtype=float)
        w = w[:, None, :] if w.ndim == 2 else w
        x = S[..., kids]
        col = nI + j
        if specs is None or spec_index is None:
            S[..., col] = aggregate(x, w, tree.specs[j])
        else:
            for c, spec in enumerate(specs[j]):
                sel = spec_index == c
                if sel.any():
                    wj = w[sel] if np.ndim(w) == 3 else w
                    S[sel, :, col] = aggregate(x[sel], wj, spec)
    return S[0] if single else S


def rank_desc(scores: np.ndarray, groups: np.ndarray | None = None) -> np.ndarray:
    """Descending 'sport' ranks (1 = best, ties share the smallest rank) along axis -1 of ``(..., n)``,
    within each group of ``groups`` (e.g. year) when given."""
    s = np.asarray(scores, dtype=float)
    if groups is None:
        return _rank_desc_1(s)
    out = np.empty_like(s)
    for g in pd.unique(groups):
        sel = np.asarray(groups) == g
        out[..., sel] = _rank_desc_1(s[..., sel])
    return out


def _rank_desc_1(s: np.ndarray) -> np.ndarray:
    # NaN (not computable) ranks last; vectorised over leading axes
    s = np.where(np.isfinite(s), s, -np.inf)
    out: np.ndarray = rankdata(-s, method="min", axis=-1).astype(float)
    return out


@dataclass
class IndexResult:
    """Scores of every node per row, ranks of aggregates, and the report of every treatment applied."""

    framework: Framework
    rows: pd.DataFrame
    scores: pd.DataFrame  # rows x nodes (normalised indicators and aggregate scores)
    ranks: pd.DataFrame  # rows x aggregates
    method: dict[str, Any]
    report: dict[str, Any]
    weights: dict[str, float]

    @property
    def index(self) -> pd.Series:
        return self.scores[self.framework.root]

    def table(self) -> pd.DataFrame:
        """One tidy table: unit[, year], root score, rank, base-100 value, then every aggregate."""
        root = self.framework.root
        t = self.rows[[c for c in ("unit", "year") if c in self.rows]].copy()
        t["score"] = self.scores[root].to_numpy()
        t["rank"] = self.ranks[root].to_numpy().astype(int)
        if "base100" in self.scores:
            t["base100"] = self.scores["base100"].to_numpy()
        for a in self.framework.aggregates:
            if a != root:
                t[a] = self.scores[a].to_numpy()
                t[f"{a}_rank"] = self.ranks[a].to_numpy().astype(int)
        return t


def compute(
    framework: Framework,
    data: pd.DataFrame,
    *,
    method: Mapping[str, Any] | None = None,
) -> IndexResult:
    """Compute the index of ``framework`` over wide ``data``; ``method`` overrides the framework's."""
    m = resolve_method(framework, method)
    prepared = prepare(framework, data, m)
    N, dropped = normalise_matrix(framework, prepared, m)
    wmode = m.get("weights", "expert")
    if wmode == "expert":
        weights = {c: n.weight for c, n in framework.nodes.items()}
    elif wmode == "equal":
        weights = equal_weights(framework)
    elif wmode == "pca":
        tree0 = compile_tree(framework, m, equal_weights(framework))
        S0 = aggregate_tree(tree0, N)
        weights = pca_weights(framework, pd.DataFrame(S0, columns=tree0.nodes))
    elif isinstance(wmode, Mapping):
        unknown = sorted(set(wmode) - set(framework.nodes))
        if unknown:
            raise FrameworkError(
                [FrameworkIssue(u, "unknown-node", "weight for unknown node") for u in unknown]
            )
        weights = {c: float(wmode.get(c, n.weight)) for c, n in framework.nodes.items()}
    else:
        raise ValueError("weights: 'expert', 'equal', 'pca' or a mapping node -> weight")
    tree = compile_tree(framework, m, weights)
    S = aggregate_tree(tree, N)
    report = dict(prepared.report)
    report["dropped_indicators"] = dropped
    nodes = tree.nodes
    scores = pd.DataFrame(S, columns=nodes)
    root = framework.root
    rows = prepared.rows
    finite = np.isfinite(scores[tree.aggregates].to_numpy())
    bad = ~finite.all(axis=1)
    if bad.any():
        inc = []
        for i in np.flatnonzero(bad).tolist():
            first = tree.aggregates[int(np.argmin(finite[i]))]  # the first aggregate without a score
            inc.append({"unit": rows.at[i, "unit"], "node": first, "reason": "no data for any child"})
        report["incomplete_units"] = inc
        keep = ~bad
        scores, rows = scores.loc[keep].reset_index(drop=True), rows.loc[keep].reset_index(drop=True)
        if len(rows) == 0:
            raise IndexDataError("no unit has a complete index / 没有可完整计算指数的单位")
    else:
        report["incomplete_units"] = []
    # dropped indicators are not part of the output
    scores = scores.drop(columns=[d["indicator"] for d in dropped])
    # partial nodes (some children missing, weights re-normalised) are reported
    years = rows["year"].to_numpy() if "year" in rows else None
    ranks = pd.DataFrame(
        {a: rank_desc(scores[a].to_numpy(), years) for a in tree.aggregates}, index=scores.index
    )
    base_year = m.get("base_year")
    if base_year is not None and years is not None:
        base = (
            pd.Series(np.where(years == base_year, scores[root].to_numpy(), np.nan))
            .groupby(rows["unit"].to_numpy())
            .transform("max")
        )
        b = base.to_numpy()
        if (~np.isfinite(b)).any() or (b <= 0).any():
            which = sorted(set(rows["unit"].to_numpy()[~np.isfinite(b) | (b <= 0)].tolist()))
            raise IndexDataError(f"base_year {base_year}: no positive index value for unit(s) {which}")
        scores["base100"] = scores[root].to_numpy() / b * 100.0
    # never NaN in the output: remaining NaN are normalised indicators the unit lacks (imputation none)
    kept_inds = [c for c in framework.indicators if c in scores.columns]
    miss = scores[kept_inds].isna().to_numpy()
    report["partial_units"] = [
        {"unit": rows.at[i, "unit"], "missing": [kept_inds[j] for j in np.flatnonzero(miss[i])]}
        for i in np.flatnonzero(miss.any(axis=1))
    ]
    return IndexResult(framework, rows, scores, ranks, m, report, weights)


def compute_index(
    framework: Framework, data: pd.DataFrame, *, method: Mapping[str, Any] | None = None
) -> IndexResult:
    """Compute over *long* data ``[unit, year, indicator, value]`` (the Django side's shape)."""
    need = {"unit", "indicator", "value"}
    miss = need - set(data.columns)
    if miss:
        raise IndexDataError(
            f"long data needs columns {sorted(need)} (+ optional year); missing {sorted(miss)}"
        )
    keys = ["unit", "year"] if "year" in data.columns else ["unit"]
    dup = data.duplicated(keys + ["indicator"])
    if dup.any():
        raise IndexDataError(
            f"duplicate values for {data.loc[dup, keys + ['indicator']].head(5).to_dict('records')}"
        )
    wide = data.pivot(index=keys, columns="indicator", values="value").reset_index()
    wide.columns.name = None
    for c in framework.indicators:
        if c not in wide.columns:
            wide[c] = np.nan
    return compute(framework, wide, method=method)
