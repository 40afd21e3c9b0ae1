"""Contributions to the gap of a lagging indicator: by member zone and by input.

Member zones of an aggregate unit (兰白试验区, 兰州市, 4区合计)
------------------------------------------------------------------
*Sums* (``A = Σ a_i``, e.g. 地区生产总值).  The aggregate's expected value ``E`` (its path value for
the year) is split over the members by their *reference shares* ``s_i`` (``Σ s_i = 1``; the caller
chooses them — the platform uses each zone's share of the aggregate in the earliest year it has
figures for, see docs/monitoring.md).  Zone ``i``'s part of the path is ``s_i·E`` and its
contribution to the gap is its shortfall against that part::

    c_i = a_i − s_i·E,        Σ c_i = A − E  (exactly, because Σ s_i = 1)

A member without a figure counts ``a_i = 0`` (the aggregate's sum does not contain it either) and
is flagged ``reported = False``.

*Ratios* (``R = k·N/D`` with ``N = Σ n_i``, ``D = Σ d_i``, e.g. R&D spending / GDP).  The aggregate
ratio is the denominator-weighted mean of the members' ratios, ``R = Σ w_i r_i`` with
``w_i = d_i/D``, so the gap splits exactly into the members' weighted deviations from the expected
ratio (Kitagawa, E. M. (1955), "Components of a difference between two rates", JASA 50(272),
1168–1194 — the rate-as-weighted-mean identity behind shift-share analysis)::

    c_i = w_i·(r_i − E) = (k·n_i − E·d_i) / D,        Σ c_i = R − E

i.e. the numerator a zone lacks (or has in excess) given its own denominator and the expected ratio.
A big zone slightly below the path can thus weigh more than a small zone far below it.

Inputs of a ratio over time
---------------------------
For ``R = k·N/D`` between a reference period 0 and period 1, ``ln(R1/R0) = ln(N1/N0) − ln(D1/D0)``.
The additive LMDI-I form (Ang, B. W. (2005), "The LMDI approach to decomposition analysis: a
practical guide", Energy Policy 33(7), 867–871) turns the log changes into parts of the change
``ΔR = R1 − R0`` that add up exactly::

    L = (R1 − R0) / ln(R1/R0)   (the logarithmic mean; L = R0 when R1 = R0)
    ΔR_N = L·ln(N1/N0),  ΔR_D = −L·ln(D1/D0),  ΔR_N + ΔR_D = ΔR

so "GDP grew faster than R&D spending" reads as a positive numerator part outweighed by a negative
denominator part.  Policy: the logarithm needs positive values; a row where any of ``n0, d0, n1,
d1`` is missing, zero or negative is *not decomposable* — its contributions are NaN and its
``reason`` column says why (never a silent 0).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import numpy.typing as npt
import pandas as pd

# a member -> value table: a Series indexed by member, or a mapping (dict)
Members = pd.Series | Mapping[str, float]

__all__ = ["DiagnosisError", "ratio_change_inputs", "ratio_gap_contributions", "sum_gap_contributions"]


class DiagnosisError(ValueError):
    """Invalid input to a diagnosis function: names the parameter and the rule."""


def _series(x: object, name: str) -> pd.Series:
    if isinstance(x, pd.Series):
        s = x.copy()
    elif isinstance(x, Mapping):
        s = pd.Series(dict(x), dtype=float)
    else:
        raise DiagnosisError(f"{name}: expected a Series or mapping member -> value")
    try:
        s = s.astype(float)
    except (TypeError, ValueError):
        raise DiagnosisError(f"{name}: values must be numbers (or NaN for not reported)") from None
    if s.index.has_duplicates:
        raise DiagnosisError(f"{name}: duplicate members {sorted(set(s.index[s.index.duplicated()]))}")
    if np.isinf(s.to_numpy()).any():
        raise DiagnosisError(f"{name}: values must be finite")
    return s


def _finite(x: float, name: str) -> float:
    try:
        v = float(x)
    except (TypeError, ValueError):
        raise DiagnosisError(f"{name}: must be a number") from None
    if not np.isfinite(v):
        raise DiagnosisError(f"{name}: must be finite, got {x!r}")
    return v


def _share_of_gap(contrib: np.ndarray, gap: float) -> np.ndarray:
    # undefined when there is no gap: NaN by documented policy (the contributions are still given)
    return contrib / gap if gap != 0 else np.full_like(contrib, np.nan)


def sum_gap_contributions(values: Members, shares: Members, *, expected: float) -> pd.DataFrame:
    """Each member's contribution ``a_i − s_i·E`` to the gap ``Σ a_i − E`` of a summed indicator.

    ``values``: member -> actual value (NaN = not reported, counted 0 and flagged); ``shares``:
    member -> reference share (≥ 0, re-scaled to sum to 1; same members as ``values``);
    ``expected``: the aggregate's expected value.  Returns one row per member with ``value``,
    ``reported``, ``share``, ``expected_part``, ``contribution``, ``share_of_gap`` (NaN when the
    gap is 0); ``attrs`` hold ``actual``, ``expected`` and ``gap``.
    """
    v = _series(values, "values")
    s = _series(shares, "shares")
    e = _finite(expected, "expected")
    if set(v.index) != set(s.index):
        raise DiagnosisError(
            f"shares: members must be those of values; missing {sorted(set(v.index) - set(s.index))}, "
            f"extra {sorted(set(s.index) - set(v.index))}"
        )
    s = s.reindex(v.index)
    if s.isna().any() or (s < 0).any():
        raise DiagnosisError("shares: every share must be a number ≥ 0")
    total = float(s.sum())
    if total <= 0:
        raise DiagnosisError("shares: must sum to a positive number")
    share = s.to_numpy() / total
    a = v.to_numpy()
    reported = ~np.isnan(a)
    a0 = np.where(reported, a, 0.0)
    part = share * e
    contrib = a0 - part
    actual = float(a0.sum())
    gap = actual - e
    out = pd.DataFrame(
        {
            "member": v.index.to_numpy(),
            "value": a,
            "reported": reported,
            "share": share,
            "expected_part": part,
            "contribution": contrib,
            "share_of_gap": _share_of_gap(contrib, gap),
        }
    )
    out.attrs.update(actual=actual, expected=e, gap=gap, kind="sum")
    return out


def ratio_gap_contributions(
    numerators: Members, denominators: Members, *, expected: float, scale: float = 1.0
) -> pd.DataFrame:
    """Each member's contribution ``(k·n_i − E·d_i)/D`` to the gap ``R − E`` of a ratio ``R = k·ΣN/ΣD``.

    ``numerators`` / ``denominators``: member -> value (NaN = not reported, counted 0 as the
    aggregate's sums do, flagged ``reported = False``); ``expected``: the expected ratio;
    ``scale``: the constant ``k`` of unit conversions (e.g. 100 for a percentage).  Raises
    :class:`DiagnosisError` when the denominators do not sum to a positive number.  Returns per
    member ``numerator``, ``denominator``, ``reported``, ``ratio`` (NaN where ``d_i ≤ 0``),
    ``weight`` (``d_i/D``), ``contribution`` and ``share_of_gap``.
    """
    n = _series(numerators, "numerators")
    d = _series(denominators, "denominators")
    e = _finite(expected, "expected")
    k = _finite(scale, "scale")
    if k == 0:
        raise DiagnosisError("scale: must not be 0")
    if set(n.index) != set(d.index):
        raise DiagnosisError("denominators: members must be those of numerators")
    d = d.reindex(n.index)
    nv, dv = n.to_numpy(), d.to_numpy()
    reported = ~np.isnan(nv) & ~np.isnan(dv)
    n0, d0 = np.nan_to_num(nv, nan=0.0), np.nan_to_num(dv, nan=0.0)
    D = float(d0.sum())
    if not D > 0:
        raise DiagnosisError("denominators: must sum to a positive number (the ratio is not computable)")
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(d0 > 0, k * n0 / np.where(d0 > 0, d0, 1.0), np.nan)
    contrib = (k * n0 - e * d0) / D
    actual = k * float(n0.sum()) / D
    gap = actual - e
    out = pd.DataFrame(
        {
            "member": n.index.to_numpy(),
            "numerator": nv,
            "denominator": dv,
            "reported": reported,
            "ratio": ratio,
            "weight": d0 / D,
            "contribution": contrib,
            "share_of_gap": _share_of_gap(contrib, gap),
        }
    )
    out.attrs.update(actual=actual, expected=e, gap=gap, kind="ratio")
    return out


def ratio_change_inputs(
    n0: npt.ArrayLike, d0: npt.ArrayLike, n1: npt.ArrayLike, d1: npt.ArrayLike, *, scale: float = 1.0
) -> pd.DataFrame:
    """LMDI split of the change of ``R = k·N/D`` into its numerator and denominator parts.

    Array-likes of equal length (one element per unit or indicator).  Returns ``ratio_0``,
    ``ratio_1``, ``change``, ``num_growth`` / ``den_growth`` (relative changes), ``log_num``
    (``ln N1/N0``), ``log_den`` (``−ln D1/D0``), ``contrib_num``, ``contrib_den`` (summing to
    ``change``) and ``reason`` (None when decomposable; otherwise why not, and NaN contributions).
    """
    k = _finite(scale, "scale")
    arrs = []
    for name, x in (("n0", n0), ("d0", d0), ("n1", n1), ("d1", d1)):
        try:
            a = np.atleast_1d(np.asarray(x, dtype=float))
        except (TypeError, ValueError):
            raise DiagnosisError(f"{name}: must be numbers") from None
        if a.ndim != 1:
            raise DiagnosisError(f"{name}: must be one-dimensional")
        arrs.append(a)
    if len({a.size for a in arrs}) != 1:
        raise DiagnosisError("n0, d0, n1, d1: must have the same length")
    a0, b0, a1, b1 = arrs
    with np.errstate(divide="ignore", invalid="ignore"):
        r0 = np.where(b0 != 0, k * a0 / b0, np.nan)
        r1 = np.where(b1 != 0, k * a1 / b1, np.nan)
        missing = np.isnan(a0) | np.isnan(b0) | np.isnan(a1) | np.isnan(b1)
        nonpos = ~missing & ((a0 <= 0) | (b0 <= 0) | (a1 <= 0) | (b1 <= 0))
        ok = ~missing & ~nonpos
        ln_n = np.where(ok, np.log(np.where(ok, a1 / a0, 1.0)), np.nan)
        ln_d = np.where(ok, -np.log(np.where(ok, b1 / b0, 1.0)), np.nan)
        ln_r = ln_n + ln_d
        same = ok & np.isclose(r1, r0, rtol=1e-12, atol=0.0)
        L = np.where(same, r0, (r1 - r0) / np.where(same | ~ok, 1.0, ln_r))
        L = np.where(ok, L, np.nan)
    reason = np.full(a0.size, None, dtype=object)
    reason[missing] = "缺少基期或本期的分子/分母 / numerator or denominator missing in a period"
    reason[nonpos] = (
        "分子或分母非正，对数分解不适用 / a non-positive numerator or denominator: log decomposition undefined"
    )
    return pd.DataFrame(
        {
            "ratio_0": r0,
            "ratio_1": r1,
            "change": r1 - r0,
            "num_growth": a1 / np.where(a0 != 0, a0, np.nan) - 1,
            "den_growth": b1 / np.where(b0 != 0, b0, np.nan) - 1,
            "log_num": ln_n,
            "log_den": ln_d,
            "contrib_num": L * ln_n,
            "contrib_den": L * ln_d,
            "reason": reason,
        }
    )
