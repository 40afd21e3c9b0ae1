"""Resident identity numbers (公民身份号码, GB 11643-1999): check digit, masking, keyed fingerprint."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re

# GB 11643-1999 §5: weights 2^(17-i) mod 11 for positions 1..17; check code from the sum mod 11.
WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CODES = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


class IdNumberError(ValueError):
    """An identity number breaks a GB 11643 rule; the message names the field and the rule."""


def check_digit(first17: str) -> str:
    """The 18th character of an identity number whose first 17 digits are ``first17``."""
    total = sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True))
    return CHECK_CODES[total % 11]


def validate_id_number(value: str, field: str = "身份证号") -> str:
    """Return the normalised 18-character number or raise :class:`IdNumberError` naming ``field``."""
    number = value.strip().upper()
    if not _PATTERN.match(number):
        raise IdNumberError(f"{field}：应为 18 位，前 17 位为数字，末位为数字或 X（GB 11643）")
    try:
        dt.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise IdNumberError(f"{field}：第 7–14 位出生日期 {number[6:14]} 不是有效日期") from None
    expected = check_digit(number[:17])
    if number[17] != expected:
        raise IdNumberError(f"{field}：校验码应为 {expected}，实为 {number[17]}（GB 11643 第 5 条）")
    return number


def mask_id_number(number: str) -> str:
    """Masked display: first 4 and last 4 characters kept, e.g. ``6201**********1234``."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def id_fingerprint(number: str, key: bytes) -> str:
    """Keyed hash (HMAC-SHA256, hex) of a normalised number, for duplicate detection without the number."""
    return hmac.new(key, number.encode("ascii"), hashlib.sha256).hexdigest()
