"""Design-based estimates of the stratified survey: totals, means, proportions and ratios with
standard errors and 95 % confidence intervals.

Notation (Cochran, *Sampling Techniques*, ch. 5; Särndal, Swensson & Wretman, *Model Assisted Survey
Sampling*, §3.7 and §5.6): stratum h has N_h enterprises in the population and r_h respondents.  Unit
non-response is adjusted within strata (respondents are taken as a simple random sample of the
stratum, the missing-at-random-within-strata assumption of the CIS and of the national enterprise
innovation survey), so each respondent weighs w_h = N_h / r_h and

    total      Ŷ = Σ_h N_h ȳ_h,          V(Ŷ) = Σ_h N_h² (1 − r_h/N_h) s²_h / r_h
    mean       Ȳ = Ŷ / N                 (N = Σ_h N_h known from the frame)
    ratio      R = Ŷ / X̂,               V(R) by linearisation: z = (y − R x) / X̂ in V(Ŷ)'s formula

with s²_h the respondents' variance (ddof 1) in stratum h.  A proportion is the mean of a 0/1
variable; a domain (a zone, an industry) that cuts across strata is estimated with y·1[d] (totals)
or as the ratio of y·1[d] to 1[d] (means and proportions), so its variance counts the zeros outside
it.  Take-all strata fully answered add no variance (1 − r_h/N_h = 0).

Undefined cases are explicit choices, never silent guesses:
* a stratum of the population without any respondent: ``empty_stratum="error"`` (default) raises;
  ``"exclude"`` leaves it out and the estimate reports the population it does not cover;
* a stratum with one respondent (no variance estimate; R's ``survey.lonely.psu``):
  ``lonely="error"`` (default) raises, ``"certainty"`` takes its variance contribution as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

Z_95 = 1.959963984540054  # standard normal quantile for a two-sided 95 % interval


@dataclass(frozen=True)
class Estimate:
    """One estimate with its precision; ``uncovered`` = population of strata left without respondents."""

    kind: str
    value: float
    se: float
    ci_low: float
    ci_high: float
    respondents: int
    population: int
    uncovered: int = 0

    @property
    def cv(self) -> float:
        """Coefficient of variation (SE / |value|), NaN for a zero estimate."""
        return self.se / abs(self.value) if self.value else float("nan")


def response_weights(sample: pd.DataFrame, *, stratum: str = "stratum", population: str = "N_h",
                     responded: str = "responded") -> pd.Series:
    """The non-response adjusted weight N_h / r_h of each respondent (0 for non-respondents)."""
    resp = sample[responded].astype(bool)
    r_h = resp.groupby(sample[stratum]).transform("sum")
    w = sample[population] / r_h.where(r_h > 0)
    return w.where(resp, 0.0).fillna(0.0)


def _strata(sample: pd.DataFrame, stratum: str, population: str, responded: str,
            empty_stratum: str) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    pop = sample.groupby(stratum)[population].first()
    if (sample.groupby(stratum)[population].nunique() > 1).any():
        raise ValueError(f"{population}: each stratum must have one population size")
    resp = sample[sample[responded].astype(bool)]
    r_h = resp.groupby(stratum).size().reindex(pop.index, fill_value=0)
    empty = r_h[r_h == 0].index
    uncovered = int(pop.loc[empty].sum())
    if len(empty) and empty_stratum == "error":
        raise ValueError(
            f"strata without any respondent: {sorted(map(str, empty))} (population {uncovered}); "
            "pass empty_stratum='exclude' to estimate without them (the estimate then says what it leaves out)"
        )
    return resp, pd.DataFrame({"N": pop, "r": r_h}).loc[r_h > 0], uncovered


def _total_and_variance(values: pd.Series, strat: pd.Series, info: pd.DataFrame, lonely: str) -> tuple[float, float]:
    g = values.groupby(strat)
    mean = g.mean().reindex(info.index)
    var = g.var(ddof=1).reindex(info.index)
    n, r = info["N"].astype(float), info["r"].astype(float)
    single = r == 1
    if single.any():
        if lonely == "error":
            raise ValueError(
                f"strata with a single respondent (no variance estimate): {sorted(map(str, info.index[single]))}; "
                "pass lonely='certainty' to count their variance as 0"
            )
        var = var.where(~single, 0.0)
    total = float((n * mean).sum())
    variance = float((n**2 * (1 - r / n) * var / r).sum())
    return total, max(variance, 0.0)


def estimate(
    sample: pd.DataFrame,
    y: str,
    *,
    kind: Literal["total", "mean", "proportion", "ratio"] = "total",
    x: str | None = None,
    stratum: str = "stratum",
    population: str = "N_h",
    responded: str = "responded",
    empty_stratum: Literal["error", "exclude"] = "error",
    lonely: Literal["error", "certainty"] = "error",
) -> Estimate:
    """The ``kind`` estimate of ``y`` (``ratio``: of y to ``x``) from the stratified ``sample``.

    ``sample`` has one row per selected enterprise with its ``stratum``, the stratum's population
    ``N_h``, whether it ``responded`` and the variables (respondents' values; a respondent with a
    missing ``y`` is refused — item non-response must be imputed before estimation).
    """
    if kind not in ("total", "mean", "proportion", "ratio"):
        raise ValueError(f"kind must be total, mean, proportion or ratio, got {kind!r}")
    if kind == "ratio" and x is None:
        raise ValueError("kind='ratio' needs x (the denominator variable)")
    resp, info, uncovered = _strata(sample, stratum, population, responded, empty_stratum)
    strat = resp[stratum]
    yv = pd.to_numeric(resp[y], errors="coerce").astype(float)
    if yv.isna().any():
        raise ValueError(f"{y}: {int(yv.isna().sum())} respondent(s) without a value (impute item non-response first)")
    if kind == "proportion" and not yv.isin([0.0, 1.0]).all():
        raise ValueError(f"{y}: a proportion needs a 0/1 variable")
    n_pop = int(info["N"].sum())
    if kind in ("total", "mean", "proportion"):
        total, var = _total_and_variance(yv, strat, info, lonely)
        value, se = (total, var**0.5) if kind == "total" else (total / n_pop, var**0.5 / n_pop)
    else:
        xv = pd.to_numeric(resp[x], errors="coerce").astype(float)
        if xv.isna().any():
            raise ValueError(f"{x}: {int(xv.isna().sum())} respondent(s) without a value")
        ty, _ = _total_and_variance(yv, strat, info, lonely)
        tx, _ = _total_and_variance(xv, strat, info, lonely)
        if tx == 0:
            raise ValueError(f"{x}: the estimated total of the denominator is 0")
        value = ty / tx
        _, var = _total_and_variance((yv - value * xv) / tx, strat, info, lonely)
        se = var**0.5
    return Estimate(kind, value, se, value - Z_95 * se, value + Z_95 * se, int(len(resp)), n_pop, uncovered)


def estimate_by_domain(
    sample: pd.DataFrame,
    y: str,
    *,
    domain: str,
    kind: Literal["total", "mean", "proportion"] = "total",
    stratum: str = "stratum",
    population: str = "N_h",
    responded: str = "responded",
    empty_stratum: Literal["error", "exclude"] = "error",
    lonely: Literal["error", "certainty"] = "error",
) -> dict[object, Estimate]:
    """:func:`estimate` for each value of ``domain`` (a column), with domain-correct variances; the
    other options as for :func:`estimate`."""
    options = dict(stratum=stratum, population=population, responded=responded)
    out: dict[object, Estimate] = {}
    yv = pd.to_numeric(sample[y], errors="coerce")
    for d in sorted(sample.loc[sample[responded].astype(bool), domain].dropna().unique()):
        ind = (sample[domain] == d).astype(float)
        frame = sample.assign(_yd=yv.fillna(0) * ind, _d=ind)
        frame.loc[sample[responded].astype(bool) & yv.isna(), "_yd"] = np.nan
        if kind == "total":
            out[d] = estimate(
                frame, "_yd", kind="total", empty_stratum=empty_stratum, lonely=lonely, **options
            )
        else:
            est = estimate(
                frame, "_yd", kind="ratio", x="_d", empty_stratum=empty_stratum, lonely=lonely, **options
            )
            out[d] = Estimate(kind, est.value, est.se, est.ci_low, est.ci_high, est.respondents, est.population,
                              est.uncovered)
    return out
