"""Server-side SVG charts for the CS report.

The report must open with the network off, so the charts are drawn here as
inline SVG rather than by a JavaScript charting library: nothing to vendor,
pin or license, no script to run before a chart appears, and the HTML is
the same on every machine (the browser test counts the <svg> elements).
Each chart is an <svg class="chart"> with a <title> (for screen readers)
and viewBox scaling, so it fits any page width.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape

Number = float | int
Formatter = Callable[[float], str]

SEGMENT_COLOURS = {
    "all": "#1f2937",
    "company": "#1f2937",
    "smb": "#2563eb",
    "SMB": "#2563eb",
    "mid_market": "#16a34a",
    "mid-market": "#16a34a",
    "enterprise": "#9333ea",
}
BAND_COLOURS = {"red": "#dc2626", "yellow": "#eab308", "green": "#16a34a"}
POSITIVE = "#16a34a"
NEGATIVE = "#dc2626"
NEUTRAL = "#64748b"
PALETTE = ["#2563eb", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#db2777", "#65a30d"]

WIDTH = 720
HEIGHT = 300
MARGIN_LEFT = 72
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 62


def usd(value: float) -> str:
    """$1.2M / $350k / $900 style axis labels."""
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e6:
        return f"{sign}${value / 1e6:.1f}M"
    if value >= 1e3:
        return f"{sign}${value / 1e3:.0f}k"
    return f"{sign}${value:.0f}"


def pct(value: float) -> str:
    return f"{value * 100:.0f}%"


def pct1(value: float) -> str:
    return f"{value * 100:.1f}%"


def plain(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 else f"{value:,.1f}"


def colour_for(name: str, index: int) -> str:
    return SEGMENT_COLOURS.get(name) or BAND_COLOURS.get(name) or PALETTE[index % len(PALETTE)]


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + (abs(low) or 1.0)
    step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= step)
    value = math.floor(low / step) * step
    ticks = [round(value, 10)]
    while ticks[-1] < high - step * 1e-9:
        value += step
        ticks.append(round(value, 10))
    return ticks


@dataclass
class Frame:
    """Plot area and the y scale of a chart."""

    title: str
    y_min: float
    y_max: float
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def left(self) -> float:
        return MARGIN_LEFT

    @property
    def right(self) -> float:
        return self.width - MARGIN_RIGHT

    @property
    def top(self) -> float:
        return MARGIN_TOP

    @property
    def bottom(self) -> float:
        return self.height - MARGIN_BOTTOM

    def y(self, value: float) -> float:
        span = (self.y_max - self.y_min) or 1.0
        return self.bottom - (value - self.y_min) / span * (self.bottom - self.top)


def _open(frame: Frame, kind: str) -> list[str]:
    return [
        f'<svg class="chart" data-kind="{kind}" viewBox="0 0 {frame.width} {frame.height}" '
        f'role="img" xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMidYMid meet">',
        f"<title>{escape(frame.title)}</title>",
    ]


def _y_axis(frame: Frame, ticks: Sequence[float], fmt: Formatter) -> list[str]:
    parts = []
    for tick in ticks:
        y = frame.y(tick)
        parts.append(
            f'<line x1="{frame.left}" x2="{frame.right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{frame.left - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{escape(fmt(tick))}</text>'
        )
    return parts


def _x_labels(frame: Frame, labels: Sequence[str], xs: Sequence[float]) -> list[str]:
    every = max(1, math.ceil(len(labels) / 10))
    shown = [i for i in range(len(labels)) if i % every == 0]
    if shown and shown[-1] != len(labels) - 1:
        # the last label always shows; drop the regular one it would overlap
        if len(labels) - 1 - shown[-1] < every:
            shown.pop()
        shown.append(len(labels) - 1)
    return [
        f'<text x="{xs[i]:.1f}" y="{frame.bottom + 16}" '
        f'text-anchor="{"end" if xs[i] > frame.right - 24 else "middle"}" class="tick">{escape(labels[i])}</text>'
        for i in shown
    ]


def _legend(frame: Frame, names: Sequence[str], colours: Sequence[str]) -> list[str]:
    parts = []
    x = frame.left
    for name, colour in zip(names, colours, strict=True):
        parts.append(
            f'<rect x="{x}" y="{frame.height - 14}" width="10" height="10" fill="{colour}"/>'
            f'<text x="{x + 14}" y="{frame.height - 5}" class="legend">{escape(name)}</text>'
        )
        x += 24 + 7 * len(name)
    return parts


def _range(values: Sequence[float | None], include_zero: bool) -> tuple[float, float]:
    present = [v for v in values if v is not None]
    low = min(present, default=0.0)
    high = max(present, default=1.0)
    if include_zero:
        low, high = min(low, 0.0), max(high, 0.0)
    if low == high:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.05
    return (low if include_zero and low == 0 else low - pad), high + pad


def line_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    fmt: Formatter,
    *,
    include_zero: bool = True,
    band: tuple[float | None, float | None] | None = None,
) -> str:
    """One line per series over shared x labels; an optional shaded target band."""
    values = [v for line in series.values() for v in line]
    if band:
        values += [b for b in band if b is not None]
    low, high = _range(values, include_zero)
    ticks = nice_ticks(low, high)
    frame = Frame(title, min(ticks), max(ticks))
    step = (frame.right - frame.left) / max(1, len(labels) - 1)
    xs = [frame.left + i * step for i in range(len(labels))]
    parts = _open(frame, "line") + _y_axis(frame, ticks, fmt)
    if band:
        top = frame.y(band[1] if band[1] is not None else frame.y_max)
        bottom = frame.y(band[0] if band[0] is not None else frame.y_min)
        parts.append(
            f'<rect x="{frame.left}" y="{top:.1f}" width="{frame.right - frame.left}" '
            f'height="{max(0.0, bottom - top):.1f}" class="band"/>'
        )
    colours = []
    for index, (name, line) in enumerate(series.items()):
        colour = colour_for(name, index)
        colours.append(colour)
        segments: list[list[str]] = [[]]
        for x, value in zip(xs, line, strict=True):
            if value is None:
                segments.append([])
            else:
                segments[-1].append(f"{x:.1f},{frame.y(value):.1f}")
        for points in segments:
            if len(points) > 1:
                parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>')
            elif len(points) == 1:
                cx, cy = points[0].split(",")
                parts.append(f'<circle cx="{cx}" cy="{cy}" r="2.5" fill="{colour}"/>')
    parts += _x_labels(frame, labels, xs) + _legend(frame, list(series), colours)
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    fmt: Formatter,
    *,
    stacked: bool = False,
    colours: dict[str, str] | None = None,
    bands: Sequence[tuple[float | None, float | None] | None] | None = None,
    annotations: Sequence[str] | None = None,
) -> str:
    """Grouped or stacked vertical bars; per-category target bands and notes (e.g. sample sizes)."""
    names = list(series)
    if stacked:
        tops = [sum(max(0.0, series[n][i] or 0.0) for n in names) for i in range(len(labels))]
        bottoms = [sum(min(0.0, series[n][i] or 0.0) for n in names) for i in range(len(labels))]
        low, high = _range([*tops, *bottoms], True)
        # no headroom above a stack: the ticks round up anyway, and a stack of
        # shares must end at 100 %, not 125 %
        high = max([*tops, 0.0]) or high
    else:
        extra = [b for band in (bands or []) if band for b in band if b is not None]
        low, high = _range([v for n in names for v in series[n]] + extra, True)
    ticks = nice_ticks(low, high)
    frame = Frame(title, min(ticks), max(ticks))
    slot = (frame.right - frame.left) / max(1, len(labels))
    parts = _open(frame, "stacked-bar" if stacked else "bar") + _y_axis(frame, ticks, fmt)
    palette = [(colours or {}).get(n) or colour_for(n, i) for i, n in enumerate(names)]
    centres = []
    for i in range(len(labels)):
        x0 = frame.left + i * slot
        centres.append(x0 + slot / 2)
        if bands and i < len(bands) and bands[i]:
            band_low, band_high = bands[i]
            top = frame.y(band_high if band_high is not None else frame.y_max)
            bottom = frame.y(band_low if band_low is not None else frame.y_min)
            parts.append(
                f'<rect x="{x0 + 2:.1f}" y="{top:.1f}" width="{slot - 4:.1f}" '
                f'height="{max(0.0, bottom - top):.1f}" class="band"/>'
            )
        up = down = 0.0
        width = slot * 0.7 if stacked else slot * 0.8 / max(1, len(names))
        for j, name in enumerate(names):
            value = series[name][i]
            if value is None:
                continue
            if stacked:
                base = up if value >= 0 else down
                y_a, y_b = frame.y(base), frame.y(base + value)
                if value >= 0:
                    up += value
                else:
                    down += value
                x = x0 + slot * 0.15
            else:
                y_a, y_b = frame.y(0), frame.y(value)
                x = x0 + slot * 0.1 + j * width
            parts.append(
                f'<rect x="{x:.1f}" y="{min(y_a, y_b):.1f}" width="{width:.1f}" '
                f'height="{max(0.5, abs(y_a - y_b)):.1f}" fill="{palette[j]}">'
                f"<title>{escape(name)} {escape(labels[i])}: {escape(fmt(value))}</title></rect>"
            )
            if not stacked and len(labels) * len(names) <= 16:
                label_y = min(y_a, y_b) - 3
                parts.append(
                    f'<text x="{x + width / 2:.1f}" y="{label_y:.1f}" text-anchor="middle" class="value">'
                    f"{escape(fmt(value))}</text>"
                )
        if annotations and i < len(annotations) and annotations[i]:
            parts.append(
                f'<text x="{x0 + slot / 2:.1f}" y="{frame.bottom + 29}" text-anchor="middle" class="note">'
                f"{escape(annotations[i])}</text>"
            )
    zero = frame.y(0)
    parts.append(f'<line x1="{frame.left}" x2="{frame.right}" y1="{zero:.1f}" y2="{zero:.1f}" class="axis"/>')
    parts += _x_labels(frame, labels, centres)
    if len(names) > 1 or stacked:
        parts += _legend(frame, names, palette)
    parts.append("</svg>")
    return "".join(parts)


def waterfall_chart(title: str, steps: Sequence[tuple[str, float]], fmt: Formatter) -> str:
    """Start total, signed movements, end total: the revenue bridge."""
    running = 0.0
    spans = []
    for index, (label, value) in enumerate(steps):
        is_total = index in (0, len(steps) - 1)
        if is_total:
            spans.append((label, 0.0, value, NEUTRAL))
            running = value
        else:
            spans.append((label, running, running + value, POSITIVE if value >= 0 else NEGATIVE))
            running += value
    low, high = _range([v for _, a, b, _ in spans for v in (a, b)], True)
    ticks = nice_ticks(low, high)
    frame = Frame(title, min(ticks), max(ticks))
    slot = (frame.right - frame.left) / len(spans)
    parts = _open(frame, "waterfall") + _y_axis(frame, ticks, fmt)
    centres = []
    for i, (label, start, end, colour) in enumerate(spans):
        x = frame.left + i * slot + slot * 0.15
        centres.append(x + slot * 0.35)
        y_a, y_b = frame.y(start), frame.y(end)
        delta = end - start if 0 < i < len(spans) - 1 else end
        parts.append(
            f'<rect x="{x:.1f}" y="{min(y_a, y_b):.1f}" width="{slot * 0.7:.1f}" '
            f'height="{max(0.5, abs(y_a - y_b)):.1f}" fill="{colour}">'
            f"<title>{escape(label)}: {escape(fmt(delta))}</title></rect>"
            f'<text x="{x + slot * 0.35:.1f}" y="{min(y_a, y_b) - 4:.1f}" text-anchor="middle" class="value">'
            f"{'+' if 0 < i < len(spans) - 1 and delta > 0 else ''}{escape(fmt(delta))}</text>"
        )
    parts += _x_labels(frame, [label for label, *_ in spans], centres)
    parts.append("</svg>")
    return "".join(parts)


def heatmap(
    title: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    values: Sequence[Sequence[float | None]],
    fmt: Formatter,
    *,
    higher_is_better: bool = True,
) -> str:
    """Cells shaded red (worst) to green (best) with their value printed."""
    present = [v for row in values for v in row if v is not None]
    low, high = min(present, default=0.0), max(present, default=1.0)
    cell_h = 18
    height = MARGIN_TOP + 24 + cell_h * len(row_labels) + 8
    frame = Frame(title, 0, 1, height=height)
    left = frame.left + 40  # room for "2025-06 (n=20)"
    cell_w = (frame.right - left) / max(1, len(column_labels))
    parts = _open(frame, "heatmap")
    for j, label in enumerate(column_labels):
        parts.append(
            f'<text x="{left + (j + 0.5) * cell_w:.1f}" y="{MARGIN_TOP + 10}" text-anchor="middle" '
            f'class="tick">{escape(label)}</text>'
        )
    for i, label in enumerate(row_labels):
        y = MARGIN_TOP + 18 + i * cell_h
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end" class="tick">{escape(label)}</text>')
        for j, value in enumerate(values[i]):
            if value is None:
                fill, text = "#f1f5f9", "-"
            else:
                share = 0.5 if high == low else (value - low) / (high - low)
                share = share if higher_is_better else 1 - share
                hue = 120 * share  # 0 red .. 120 green
                fill, text = f"hsl({hue:.0f},65%,72%)", fmt(value)
            x = left + j * cell_w
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{cell_w - 2:.1f}" height="{cell_h - 2}" fill="{fill}"/>'
                f'<text x="{x + cell_w / 2:.1f}" y="{y + 12}" text-anchor="middle" class="cell">{escape(text)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def funnel_chart(title: str, steps: Sequence[tuple[str, float, str]]) -> str:
    """Horizontal bars narrowing from the first step; each with its own caption."""
    frame = Frame(title, 0, 1, height=MARGIN_TOP + 44 * len(steps) + 8)
    widest = max((value for _, value, _ in steps), default=1.0) or 1.0
    parts = _open(frame, "funnel")
    span = frame.right - frame.left - 200
    for i, (label, value, caption) in enumerate(steps):
        y = MARGIN_TOP + i * 44
        width = max(2.0, span * value / widest)
        x = frame.left + (span - width) / 2
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="32" fill="{PALETTE[i % len(PALETTE)]}"/>'
            f'<text x="{frame.left - 6}" y="{y + 20}" text-anchor="end" class="tick">{escape(label)}</text>'
            f'<text x="{frame.left + span + 8}" y="{y + 20}" class="value">{escape(caption)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
