"""The unified social credit code (统一社会信用代码, GB 32100-2015).

18 characters from a 31-character set (digits and capital letters without I, O, S, V, Z).  The 18th
is a check character: with ``w_i = 3^(i-1) mod 31`` for positions 1–17 and ``c_i`` the value of the
character (its index in :data:`ALPHABET`), ``check = 31 - (sum(c_i * w_i) mod 31)``, and 31 becomes 0.
"""

from __future__ import annotations

import numpy as np

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = tuple(
    pow(3, i, 31) for i in range(17)
)  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}

# byte -> character value, -1 for a byte outside the alphabet (vectorised check)
_LOOKUP = np.full(256, -1, dtype=np.int16)
for _i, _ch in enumerate(ALPHABET):
    _LOOKUP[ord(_ch)] = _i
_W = np.array(WEIGHTS, dtype=np.int64)


def check_character(first17: str) -> str:
    """The check character for the first 17 characters; ValueError naming a bad character."""
    if len(first17) != 17:
        raise ValueError(f"first17 must have 17 characters, got {len(first17)}")
    total = 0
    for pos, (ch, w) in enumerate(zip(first17, WEIGHTS, strict=True), start=1):
        if ch not in _VALUE:
            raise ValueError(f"character {ch!r} at position {pos} is not in the GB 32100 character set")
        total += _VALUE[ch] * w
    return ALPHABET[(31 - total % 31) % 31]


def classify(code: str) -> str | None:
    """None when ``code`` is a valid credit code, else the rule code: ``credit_code.format`` or ``.check``."""
    if len(code) != 18 or any(ch not in _VALUE for ch in code):
        return "credit_code.format"
    return None if check_character(code[:17]) == code[17] else "credit_code.check"


def is_valid(code: str) -> bool:
    """True when ``code`` is 18 characters of the set with a correct check character."""
    return classify(code) is None


def classify_many(codes: list[str]) -> np.ndarray:
    """Vectorised :func:`classify`: an int8 array, 0 valid, 1 format error, 2 check error."""
    n = len(codes)
    out = np.zeros(n, dtype=np.int8)
    if n == 0:
        return out
    lengths = np.fromiter(map(len, codes), dtype=np.int64, count=n)
    ok_len = lengths == 18
    good = codes if ok_len.all() else [c if ok else "0" * 18 for c, ok in zip(codes, ok_len, strict=True)]
    try:
        raw = "".join(good).encode("ascii")
    except UnicodeEncodeError:
        # non-ASCII characters: fall back per code (rare)
        for i, c in enumerate(codes):
            r = classify(c)
            out[i] = 0 if r is None else (1 if r == "credit_code.format" else 2)
        return out
    values = _LOOKUP[np.frombuffer(raw, dtype=np.uint8)].reshape(n, 18)
    bad_char = (values < 0).any(axis=1)
    total = values[:, :17] @ _W  # exact integer arithmetic (int64)
    check = (31 - total % 31) % 31
    wrong = check != values[:, 17]
    out[~ok_len | bad_char] = 1
    out[ok_len & ~bad_char & wrong] = 2
    return out
