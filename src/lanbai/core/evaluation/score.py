"""The weighted evaluation score and the 统一社会信用代码 check (GB 32100-2015), no Django."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


class EvaluationSchemeError(ValueError):
    """A scheme or a score breaks a rule; ``field`` names the key."""

    def __init__(self, message: str, *, field: str):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Criterion:
    """One criterion: its key, weight (share of 100) and the top of its scale (scores 0..scale_max)."""

    key: str
    weight: float
    scale_max: float


def credit_code_valid(code: str) -> bool:
    """Is ``code`` an 18-character 统一社会信用代码 with the right check character (GB 32100-2015)?"""
    if len(code) != 18 or any(c not in _CHARS for c in code):
        return False
    total = sum(_CHARS.index(c) * w for c, w in zip(code[:17], _WEIGHTS, strict=True))
    return _CHARS[(31 - total % 31) % 31] == code[17]


def weighted_score(criteria: Sequence[Criterion], scores: Mapping[str, float]) -> float:
    """Σ weight × score / scale_max over the criteria, rounded to 0.01 (0..Σ weights).

    Every criterion must be scored within its scale; an unknown key is refused.
    """
    keys = {c.key for c in criteria}
    for key in scores:
        if key not in keys:
            raise EvaluationSchemeError(f"未知评估指标 / unknown criterion {key!r}", field=key)
    total = 0.0
    for c in criteria:
        if c.key not in scores:
            raise EvaluationSchemeError(f"指标 {c.key} 未评分 / criterion not scored", field=c.key)
        s = float(scores[c.key])
        if not 0 <= s <= c.scale_max:
            raise EvaluationSchemeError(
                f"指标 {c.key} 的得分 {s:g} 超出 0–{c.scale_max:g} / score outside the scale", field=c.key
            )
        total += c.weight * s / c.scale_max
    return round(total, 2)
