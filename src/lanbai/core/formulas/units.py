"""Units of measure for formulas: a scale factor times a product of base dimensions.

``万元`` is 10^4 × 元, ``万人`` is 10^4 × 人, ``%`` is 10^-2 (dimensionless), ``万元/人`` is
10^4 × 元 × 人^-1.  Adding or subtracting needs the same dimensions *and* the same scale (万元 + 亿元
is refused: write ``convert(x, "万元", "亿元")``); multiplying and dividing combine both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# name -> (scale, base dimension or None for dimensionless)
BASE_UNITS: dict[str, tuple[float, str | None]] = {
    "元": (1.0, "元"),
    "万元": (1e4, "元"),
    "亿元": (1e8, "元"),
    "人": (1.0, "人"),
    "万人": (1e4, "人"),
    "件": (1.0, "件"),
    "个": (1.0, "个"),
    "项": (1.0, "项"),
    "吨标准煤": (1.0, "吨标准煤"),
    "万吨标准煤": (1e4, "吨标准煤"),
    "%": (1e-2, None),
    "1": (1.0, None),
}


@dataclass(frozen=True)
class Unit:
    """A unit: ``scale`` × Π dim^exp over ``dims`` (a sorted tuple of (dimension, exponent))."""

    scale: float
    dims: tuple[tuple[str, int], ...] = ()

    def __mul__(self, other: Unit) -> Unit:
        return Unit(self.scale * other.scale, _combine(self.dims, other.dims, 1))

    def __truediv__(self, other: Unit) -> Unit:
        return Unit(self.scale / other.scale, _combine(self.dims, other.dims, -1))

    def same_dimension(self, other: Unit) -> bool:
        return self.dims == other.dims

    def same(self, other: Unit) -> bool:
        """Same dimensions and the same scale (values can be added without conversion)."""
        return self.dims == other.dims and math.isclose(self.scale, other.scale, rel_tol=1e-12)

    @property
    def label(self) -> str:
        """A readable name: a known unit name where one matches, else ``10^k·元/人``."""
        for name, (scale, dim) in BASE_UNITS.items():
            if Unit(scale, ((dim, 1),) if dim else ()).same(self):
                return name
        num = "·".join(d if e == 1 else f"{d}^{e}" for d, e in self.dims if e > 0) or "1"
        den = "·".join(d if e == -1 else f"{d}^{-e}" for d, e in self.dims if e < 0)
        text = num + (f"/{den}" if den else "")
        if not math.isclose(self.scale, 1.0, rel_tol=1e-12):
            exp = math.log10(self.scale)
            factor = f"10^{round(exp)}" if math.isclose(exp, round(exp), abs_tol=1e-9) else f"{self.scale:g}"
            text = f"{factor}·{text}"
        return text


DIMENSIONLESS = Unit(1.0, ())


def _combine(
    a: tuple[tuple[str, int], ...], b: tuple[tuple[str, int], ...], sign: int
) -> tuple[tuple[str, int], ...]:
    out = dict(a)
    for d, e in b:
        out[d] = out.get(d, 0) + sign * e
    return tuple(sorted((d, e) for d, e in out.items() if e != 0))


def parse_unit(text: str) -> Unit:
    """Parse ``亿元``, ``万元/人``, ``吨标准煤/万元``, ``人/万人``, ``%`` or ``1``.

    Raises ValueError naming the known unit names for anything else.
    """
    if not isinstance(text, str) or not text.strip():
        raise ValueError("单位不能为空 / a unit is required")
    parts = [p.strip() for p in text.strip().split("/")]
    if len(parts) > 2 or any(not p for p in parts):
        raise ValueError(f"单位 {text!r} 格式错误 / unit {text!r}: write A or A/B")
    units = []
    for p in parts:
        if p not in BASE_UNITS:
            known = "、".join(BASE_UNITS)
            raise ValueError(f"未知单位 {p!r}（可用：{known}）/ unknown unit {p!r}")
        scale, dim = BASE_UNITS[p]
        units.append(Unit(scale, ((dim, 1),) if dim else ()))
    return units[0] / units[1] if len(units) == 2 else units[0]
