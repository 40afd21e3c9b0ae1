"""Vectorised number formatting and string building for the assessment's rule texts.

Each function formats a whole array at once with ``numpy.strings`` (C loops over NumPy's
variable-width ``StringDType``) and gives, element by element, exactly the text Python's own
formatting gives:

* :func:`fmt_n`: ``str(int(x))`` for integral ``|x| < 1e15``, else ``f"{x:.6g}"``; "—" when not finite;
* :func:`fmt_pct`: ``f"{x * 100:.1f}%"``; "—" when not finite.

Decimal rounding is done on scaled doubles; an element whose scaled value lies within a
tolerance of a rounding tie (where the double arithmetic could round the other way), or whose
magnitude is extreme, is formatted by Python instead, so the result is always the exact one.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

S = np.dtypes.StringDType()
DASH = "—"
_TIE = 1e-6  # |fraction − 0.5| below this: let Python round (the double error is < 1e-9 here)


def strings(values: npt.ArrayLike) -> np.ndarray:
    """``values`` (texts) as a StringDType array."""
    return np.asarray(values, dtype=object).astype(S)


def cat(*parts: np.ndarray | str) -> np.ndarray:
    """Element-wise concatenation of StringDType arrays and plain strings (at least one array).

    Joined as a balanced tree, so that each character is copied about log2(len(parts)) times
    rather than once per later part."""
    out = _join(list(parts))
    assert isinstance(out, np.ndarray)
    return out


def _join(parts: list[np.ndarray | str]) -> np.ndarray | str:
    if len(parts) == 1:
        return parts[0]
    half = len(parts) // 2
    left, right = _join(parts[:half]), _join(parts[half:])
    if isinstance(left, str) and isinstance(right, str):
        return left + right
    return np.strings.add(left, right)


def _ints(a: np.ndarray) -> np.ndarray:
    return a.astype(np.int64).astype(S)


def _trimmed_fraction(frac: np.ndarray, width: np.ndarray | int) -> np.ndarray:
    """``frac`` (an integer below 10**width) as ``width`` digits without trailing zeros."""
    return np.strings.rstrip(np.strings.zfill(_ints(frac), width), "0")


def _g6(a: np.ndarray) -> np.ndarray:
    """``f"{x:.6g}"`` of finite non-zero ``a``."""
    with np.errstate(all="ignore"):
        return _g6_unchecked(a)


def _g6_unchecked(a: np.ndarray) -> np.ndarray:
    out = np.empty(a.shape, dtype=S)
    ax = np.abs(a)
    e = np.floor(np.log10(ax)).astype(np.int64)
    k = 5 - e
    scaled = np.where(k >= 0, ax * np.power(10.0, np.maximum(k, 0)), ax / np.power(10.0, np.maximum(-k, 0)))
    # log10 can be one off next to a power of ten
    low, high = scaled < 1e5, scaled >= 1e6
    e = e - low + high
    scaled = np.where(low, scaled * 10, np.where(high, scaled / 10, scaled))
    frac = scaled - np.floor(scaled)
    python = (np.abs(frac - 0.5) < _TIE) | (np.abs(scaled - 1e5) < 1e-3) | (ax < 1e-280) | (ax > 1e280)
    python |= ~((scaled >= 1e5) & (scaled < 1e6))
    m = np.rint(scaled).astype(np.int64)
    up = m == 1_000_000  # rounded up to the next power of ten
    m = np.where(up, 100_000, m)
    x = e + up
    sign = np.where(a < 0, "-", "")
    fixed = ~python & (x >= -4) & (x < 6)
    if fixed.any():
        dec = 5 - x[fixed]
        p10 = 10**dec
        mf = m[fixed]
        f = _trimmed_fraction(mf % p10, dec)
        out[fixed] = cat(sign[fixed], _ints(mf // p10), np.where(f != "", cat(".", f), ""))
    sci = ~python & ~fixed
    if sci.any():
        ms, xs = m[sci], x[sci]
        f = _trimmed_fraction(ms % 100_000, 5)
        exp = np.strings.zfill(_ints(np.abs(xs)), 2)
        out[sci] = cat(sign[sci], _ints(ms // 100_000), np.where(f != "", cat(".", f), ""), "e",
                       np.where(xs < 0, "-", "+"), exp)  # fmt: skip
    if python.any():
        out[python] = strings([f"{v:.6g}" for v in a[python].tolist()])
    return out


def fmt_n(values: npt.ArrayLike) -> np.ndarray:
    """Numbers as the rule texts show them: integers in full, else 6 significant digits."""
    a = np.asarray(values, dtype=float)
    out = np.full(a.shape, DASH, dtype=S)
    finite = np.isfinite(a)
    with np.errstate(invalid="ignore"):
        integral = finite & (np.abs(a) < 1e15) & (a == np.trunc(a))
    if integral.any():
        out[integral] = _ints(a[integral])
    rest = finite & ~integral
    if rest.any():
        out[rest] = _g6(a[rest])
    return out


def fmt_pct(values: npt.ArrayLike) -> np.ndarray:
    """Fractions as percentages with one decimal (0.1234 → "12.3%")."""
    x = np.asarray(values, dtype=float)
    with np.errstate(over="ignore"):
        y = x * 100
    out = np.full(y.shape, DASH, dtype=S)
    finite = np.isfinite(x)
    s = np.abs(np.where(np.isfinite(y), y, 0.0)) * 10
    frac = s - np.floor(s)
    python = finite & ((np.abs(frac - 0.5) < _TIE) | (s >= 1e9) | ~np.isfinite(y))
    fast = finite & ~python
    if fast.any():
        m = np.rint(s[fast]).astype(np.int64)
        out[fast] = cat(np.where(np.signbit(y[fast]), "-", ""), _ints(m // 10), ".", _ints(m % 10), "%")
    if python.any():
        out[python] = strings([f"{v:.1f}%" for v in y[python].tolist()])
    return out


def _str_dtype() -> Any:
    return pd.Series([""]).dtype  # the dtype pandas gives a column of texts (str, pyarrow-backed by default)


def column(values: np.ndarray) -> Any:
    """``values`` (a StringDType array, or an object array of texts) as the frame column pandas
    makes of the same texts, built from Arrow without a Python object per row where pandas keeps
    its texts in Arrow; anything else (missing or non-text values) is left to pandas."""
    dtype = _str_dtype()
    if not len(values) or not (isinstance(dtype, pd.StringDtype) and dtype.storage == "pyarrow"):
        return values.astype(object) if values.dtype == S else values
    import pyarrow as pa

    if values.dtype == S:
        return pd.array(pa.array(values, type=pa.large_string()), dtype=dtype)
    codes, uniques = pd.factorize(values)
    if (codes < 0).any() or not all(type(u) is str for u in uniques):
        return values
    dictionary = pa.DictionaryArray.from_arrays(
        pa.array(codes), pa.array(list(uniques), type=pa.large_string())
    )
    return pd.array(dictionary.cast(pa.large_string()), dtype=dtype)
