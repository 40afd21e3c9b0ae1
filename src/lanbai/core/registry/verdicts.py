"""Four-valued verdicts shared by the recognition rules and policy matching.

Verdicts are ordered ``pass < needs_review < not_decidable < fail`` and coded 0…3, so that

* **all of** several checks is the *maximum* code (one failure fails; else one missing figure makes it
  not decidable; else one judgement leaves it to a reviewer; else it passes), and
* **any of** several checks is the *minimum* code (one pass passes; else a judgement; else a missing
  figure; else it fails).

The codes work element-wise on NumPy arrays, one element per profile.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

Verdict = Literal["pass", "needs_review", "not_decidable", "fail"]
PASS, REVIEW, MISSING, FAIL = 0, 1, 2, 3
VERDICTS: tuple[Verdict, ...] = ("pass", "needs_review", "not_decidable", "fail")
VERDICT_ZH: dict[str, str] = {
    "pass": "符合",
    "needs_review": "待人工审核",
    "not_decidable": "无法判定",
    "fail": "不符合",
}

# Relative tolerance of threshold comparisons: decimal figures written at exactly the threshold
# (1.5 %, 1000.00 万元) count as at the threshold despite binary floating point.
REL_TOL = 1e-9


def all_of(*codes: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.maximum.reduce([np.asarray(c, dtype=np.int8) for c in codes])
    return out


def any_of(*codes: np.ndarray) -> np.ndarray:
    out: np.ndarray = np.minimum.reduce([np.asarray(c, dtype=np.int8) for c in codes])
    return out


def compare(values: np.ndarray, op: str, threshold: np.ndarray | float) -> np.ndarray:
    """Verdict codes of ``values op threshold``; NaN on either side is MISSING."""
    v = np.asarray(values, dtype=float)
    t = np.broadcast_to(np.asarray(threshold, dtype=float), v.shape)
    tol = REL_TOL * np.maximum(np.abs(v), np.abs(t))
    with np.errstate(invalid="ignore"):
        if op == ">=":
            ok = v >= t - tol
        elif op == ">":
            ok = v > t + tol
        elif op == "<=":
            ok = v <= t + tol
        elif op == "<":
            ok = v < t - tol
        elif op == "==":
            ok = np.abs(v - t) <= tol
        elif op == "!=":
            ok = np.abs(v - t) > tol
        else:
            raise ValueError(f"op must be one of >=, >, <=, <, ==, != (got {op!r})")
    out = np.where(ok, PASS, FAIL).astype(np.int8)
    out[np.isnan(v) | np.isnan(t)] = MISSING
    return out


def name(code: int) -> Verdict:
    return VERDICTS[int(code)]
