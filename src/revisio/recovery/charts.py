"""Small line charts of a metric over time, as inline SVG (no JavaScript, works in the PDF dossier too).

Each chart shows one or two series (the patient's left and right of a paired metric, or one index)
against the date, with the procedure date marked, so change over recovery is visible at a glance.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH, HEIGHT = 320, 150
LEFT, RIGHT, TOP, BOTTOM = 44, 12, 12, 28
COLOURS = ("#2f5fb3", "#c2410c", "#1f7a4d")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[tuple[dt.date, float]]


def _ticks(low: float, high: float) -> list[float]:
    if high == low:
        return [low]
    step = (high - low) / 3
    return [low + i * step for i in range(4)]


def line_chart(
    title: str, series: Sequence[Series], *, unit: str = "", marks: Sequence[tuple[dt.date, str]] = ()
) -> str:
    """SVG markup for ``series`` (escaped; safe to mark safe in a template)."""
    points = [p for s in series for p in s.points]
    if not points:
        return ""
    dates = [d for d, _ in points] + [d for d, _ in marks]
    first, last = min(dates), max(dates)
    span_days = max((last - first).days, 1)
    values = [v for _, v in points]
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or abs(high) * 0.1 or 1.0
    low, high = low - pad, high + pad
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(date: dt.date) -> float:
        return LEFT + plot_w * (date - first).days / span_days

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#fff" stroke="#d9dee7"/>',
    ]
    for tick in _ticks(low, high):
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#eef1f5"/>')
        parts.append(
            f'<text x="{LEFT - 4}" y="{y(tick) + 3:.1f}" font-size="9" text-anchor="end" fill="#5b6475">'
            f"{tick:.3g}</text>"
        )
    for date, label in marks:
        parts.append(
            f'<line x1="{x(date):.1f}" x2="{x(date):.1f}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#1d2330" '
            f'stroke-dasharray="3 3"><title>{escape(label)}</title></line>'
        )
    for index, one in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        ordered = sorted(one.points)
        path = " ".join(f"{x(d):.1f},{y(v):.1f}" for d, v in ordered)
        if len(ordered) > 1:
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for d, v in ordered:
            parts.append(
                f'<circle cx="{x(d):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                f"<title>{escape(one.label)}: {v:.3g}{escape(unit)} ({d.isoformat()})</title></circle>"
            )
        parts.append(
            f'<text x="{LEFT + 4 + 90 * index}" y="{HEIGHT - 6}" font-size="10" fill="{colour}">'
            f"■ {escape(one.label)}</text>"
        )
    parts.append(
        f'<text x="{WIDTH - RIGHT}" y="{HEIGHT - 6}" font-size="9" text-anchor="end" fill="#5b6475">'
        f"{first.isoformat()} – {last.isoformat()}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
