"""Server-side SVG charts: offline, printable, accessible (no JavaScript, no CDN).

A chart is a self-contained ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (referenced by
``aria-labelledby``), labelled axes and a legend in text.  Colours are dark enough for a contrast of
at least 4.5:1 on white; series are also told apart by the line style (solid values, dashed target
path), so the chart survives printing in black and white.

Policies: a missing value (``None`` or non-finite) is a gap in the line, never 0, and a solid
series marks each gap 缺报 (a dotted rule and the word, with a tooltip) so a missing report never
reads as a decline.  A value between two gaps keeps its marker even when the series draws none
(one missing report never blanks its neighbours).  A chart without any value draws its axes and
says "无数据 / no data" in the plot area.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Okabe–Ito hues darkened for >= 4.5:1 contrast on white.
PALETTE = ("#0b5394", "#b3261e", "#1e6b34", "#7a4a00", "#6a3d9a", "#00606b", "#8c2d6b", "#3d3d3d")
TEXT = "#1b1b1b"
GRID = "#d0d0d0"


@dataclass(frozen=True)
class Series:
    """One line: a name for the legend, one value per x label (None for a gap), and its style."""

    name: str
    values: Sequence[float | None]
    dashed: bool = False
    colour: str | None = None
    markers: bool = True
    short: str | None = None  # the name in each point's tooltip (defaults to ``name``)
    gap_label: str | None = "缺报"  # how a missing value of a solid series is marked (None: unmarked)


def _finite(v) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def nice_ticks(lo: float, hi: float, *, count: int = 5) -> list[float]:
    """Round tick values covering ``[lo, hi]`` (1, 2, 2.5 or 5 times a power of ten apart)."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise ValueError("nice_ticks: lo and hi must be finite")
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo <= 1e-9 * max(abs(lo), abs(hi)) or hi - lo < 1e-200:  # equal up to float noise: pad
        pad = abs(hi) * 0.1 if abs(hi) > 1e-200 else 1.0
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(count - 1, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    digits = max(0, 2 - math.floor(math.log10(step)))
    k = math.floor(lo / step)
    ticks = [round(k * step, digits)]
    while ticks[-1] < hi and len(ticks) < 60:
        k += 1
        ticks.append(round(k * step, digits))
    return ticks


def _fmt(v: float) -> str:
    """Four significant digits, thousands separators, never an exponent (``0.000028``, not ``2.8e-05``)."""
    if abs(v) >= 1000:
        return f"{v:,.0f}"
    if v == 0:
        return "0"
    decimals = min(12, max(0, 3 - math.floor(math.log10(abs(v)))))
    text = f"{v:.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str,
    desc: str,
    y_label: str,
    x_label: str = "报告期",
    chart_id: str = "chart",
    width: int = 640,
    height: int = 320,
    marks: Sequence[int] = (),
    mark_symbol: str = "×",
    mark_label: str = "",
    note: str = "",
) -> str:
    """Render a line chart as an SVG string (values escaped; safe to mark safe in templates).

    ``x_labels`` are the categories (periods) in order; every ``Series.values`` has one entry per label.
    Raises ``ValueError`` naming the parameter when a series has the wrong length or a size is too small.
    ``marks``: x positions whose points are not drawn (e.g. confidential) and are marked with
    ``mark_symbol`` on the axis, explained by ``mark_label``; ``note`` is printed top right (模拟数据).
    """
    if width < 200 or height < 150:
        raise ValueError("line_chart: width must be >= 200 and height >= 150")
    labels = [str(x) for x in x_labels]
    for s in series:
        if len(s.values) != len(labels):
            raise ValueError(
                f"line_chart: series {s.name!r} has {len(s.values)} values but x_labels has {len(labels)}"
            )
    left, right, top = 64, 16, 40
    legend_rows = max(1, math.ceil(len(series) / 2))
    bottom = 52 + 18 * legend_rows
    pw, ph = width - left - right, height - top - bottom
    if ph < 40:
        raise ValueError("line_chart: height too small for the legend")
    values = [f for s in series for f in (_finite(v) for v in s.values) if f is not None]
    cid = escape(chart_id, quote=True)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" aria-labelledby="{cid}-t {cid}-d" class="chart" '
        f"style=\"max-width:{width}px;font-family:'Noto Sans CJK SC',sans-serif\">",
        f'<title id="{cid}-t">{escape(title)}</title>',
        f'<desc id="{cid}-d">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{left}" y="20" font-size="14" font-weight="700" fill="{TEXT}">{escape(title)}</text>',
    ]
    if values:
        ticks = nice_ticks(min(values), max(values))
        lo, hi = ticks[0], ticks[-1]
        if hi <= lo:  # pragma: no cover - nice_ticks always spans a positive range
            hi = lo + 1.0
    else:
        ticks, lo, hi = [0.0, 1.0], 0.0, 1.0

    def y_of(v: float) -> float:
        return top + ph - (v - lo) / (hi - lo) * ph

    n = len(labels)

    def x_of(i: int) -> float:
        return left + (pw / 2 if n <= 1 else i * pw / (n - 1))

    for t in ticks:
        y = y_of(t)
        out.append(f'<line x1="{left}" x2="{left + pw}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" fill="{TEXT}">{_fmt(t)}</text>'
        )
    out.append(
        f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + ph}" stroke="{TEXT}"/>'
        f'<line x1="{left}" x2="{left + pw}" y1="{top + ph}" y2="{top + ph}" stroke="{TEXT}"/>'
    )
    step = max(1, math.ceil(n / 8))
    for i, lab in enumerate(labels):
        if i % step == 0 or i == n - 1:
            out.append(
                f'<text x="{x_of(i):.1f}" y="{top + ph + 16}" font-size="11" text-anchor="middle" '
                f'fill="{TEXT}">{escape(lab)}</text>'
            )
    out.append(
        f'<text x="{left + pw / 2:.1f}" y="{top + ph + 34}" font-size="12" text-anchor="middle" '
        f'fill="{TEXT}" class="axis-label">{escape(x_label)}</text>'
    )
    out.append(
        f'<text x="14" y="{top + ph / 2:.1f}" font-size="12" text-anchor="middle" fill="{TEXT}" '
        f'transform="rotate(-90 14 {top + ph / 2:.1f})" class="axis-label">{escape(y_label)}</text>'
    )
    if not values:
        out.append(
            f'<text x="{left + pw / 2:.1f}" y="{top + ph / 2:.1f}" font-size="14" text-anchor="middle" '
            f'fill="{TEXT}">无数据 / no data</text>'
        )
    if note:
        out.append(
            f'<text x="{width - right}" y="20" font-size="12" font-weight="700" text-anchor="end" '
            f'fill="{PALETTE[1]}" class="chart-note">{escape(note)}</text>'
        )
    for i in marks:
        if 0 <= i < n:
            out.append(
                f'<text x="{x_of(i):.1f}" y="{top + ph - 4:.1f}" font-size="14" text-anchor="middle" '
                f'fill="{TEXT}" class="suppressed-mark">{escape(mark_symbol)}'
                f"<title>{escape(labels[i])}: {escape(mark_label)}</title></text>"
            )
    for k, s in enumerate(series):
        colour = s.colour or PALETTE[k % len(PALETTE)]
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        segments: list[list[tuple[float, float]]] = [[]]
        for i, v in enumerate(s.values):
            f = _finite(v)
            if f is None:
                if segments[-1]:
                    segments.append([])
                continue
            segments[-1].append((x_of(i), y_of(f)))
        out.append(f'<g class="series" aria-label="{escape(s.name, quote=True)}">')
        for seg in segments:
            if len(seg) > 1:
                pts = " ".join(f"{x:.1f},{y:.1f}" for x, y in seg)
                out.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        finite = [_finite(v) for v in s.values]
        if s.gap_label and not s.dashed and any(f is not None for f in finite):
            for i, f in enumerate(finite):
                if f is None:
                    x = x_of(i)
                    out.append(
                        f'<g class="gap"><title>{escape(s.short or s.name)} {escape(labels[i])}: '
                        f'{escape(s.gap_label)}</title><line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" '
                        f'y2="{top + ph}" stroke="{colour}" stroke-dasharray="1 3"/>'
                        f'<text x="{x:.1f}" y="{top + ph - 4}" font-size="10" text-anchor="middle" '
                        f'fill="{TEXT}">{escape(s.gap_label)}</text></g>'
                    )
        for i, f in enumerate(finite):
            isolated = (i == 0 or finite[i - 1] is None) and (i == n - 1 or finite[i + 1] is None)
            if f is not None and (s.markers or isolated):
                out.append(
                    f'<circle cx="{x_of(i):.1f}" cy="{y_of(f):.1f}" r="3" fill="{colour}">'
                    f"<title>{escape(s.short or s.name)} {escape(labels[i])}: {_fmt(f)}</title></circle>"
                )
        out.append("</g>")
    ly = top + ph + 50
    for k, s in enumerate(series):
        colour = s.colour or PALETTE[k % len(PALETTE)]
        lx = left + (k % 2) * (pw / 2)
        yy = ly + (k // 2) * 18
        dash = ' stroke-dasharray="6 4"' if s.dashed else ""
        out.append(
            f'<line x1="{lx:.1f}" x2="{lx + 24:.1f}" y1="{yy - 4}" y2="{yy - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash}/><text x="{lx + 30:.1f}" y="{yy}" font-size="12" fill="{TEXT}">'
            f"{escape(s.name)}</text>"
        )
    out.append("</svg>")
    return "".join(out)


def contrast_ratio(fg: str, bg: str = "#ffffff") -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""

    def lum(c: str) -> float:
        c = c.lstrip("#")
        if len(c) != 6:
            raise ValueError(f"contrast_ratio: colour must be #rrggbb, got {c!r}")
        chans = [int(c[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in chans]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    a, b = sorted((lum(fg), lum(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)
