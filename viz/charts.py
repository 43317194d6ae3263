"""Small inline SVG charts for the report page: no library, no network, printable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    colour: str = "#2f6db5"
    note: str = ""  # shown in the bar's tooltip (<title>)


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    label_width: int = 290,
    bar_area: int = 360,
    row: int = 22,
) -> Markup:
    """A horizontal bar chart as inline SVG, with an accessible title and values."""
    top = max((b.value for b in bars), default=0) or 1
    height = row * len(bars) + 8
    width = label_width + bar_area + 70
    out = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, b in enumerate(bars):
        y = 4 + i * row
        w = max(0.0, bar_area * b.value / top)
        label = b.label if len(b.label) <= 44 else b.label[:43] + "…"
        tip = f"{b.label}: {b.value:,g}" + (f" — {b.note}" if b.note else "")
        out.append(
            f"<g><title>{escape(tip)}</title>"
            f'<text x="{label_width - 8}" y="{y + row * 0.68:.1f}" text-anchor="end" '
            f'class="chart-label">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 3}" width="{w:.1f}" height="{row - 7}" '
            f'fill="{escape(b.colour)}" rx="2"/>'
            f'<text x="{label_width + w + 5:.1f}" y="{y + row * 0.68:.1f}" '
            f'class="chart-value">{b.value:,g}</text></g>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def share_bar(value: float | None) -> Markup:
    """A percentage with a small inline bar (for coverage tables)."""
    if value is None:
        return Markup('<span class="na" title="fewer than two cities">—</span>')
    pct = max(0.0, min(1.0, float(value))) * 100
    hue = 5 + pct * 1.15  # red (low) to green (high)
    return Markup(
        f'<span class="share"><span class="share-bar" style="width:{pct:.0f}%;'
        f'background:hsl({hue:.0f},62%,48%)"></span></span> {pct:.0f}%'
    )
