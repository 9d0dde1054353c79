"""Small charts for the HR dashboard, rendered on the server as inline SVG.

No script and no CDN: each chart is a list of labelled bars, drawn with a
title and a text alternative so that screen readers get the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 120
CHART_WIDTH = 420
COLOURS = {"ok": "#1a7f37", "warn": "#9a6700", "bad": "#b3261e", "info": "#0b5cad", "muted": "#6e7781"}


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    tone: str = "info"


@dataclass(frozen=True)
class StackedBar:
    label: str
    parts: list[tuple[str, int, str]]  # (part label, value, tone)


def bars_svg(*, title: str, bars: list[Bar]) -> SafeString:
    """Horizontal bars, one per label, scaled to the largest value."""
    top = max((b.value for b in bars), default=0) or 1
    height = len(bars) * (BAR_HEIGHT + GAP) + GAP
    inner = CHART_WIDTH - LABEL_WIDTH - 50
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        "<desc>" + escape("; ".join(f"{b.label}: {b.value}" for b in bars)) + "</desc>",
    ]
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_HEIGHT + GAP)
        width = round(inner * bar.value / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" font-size="13">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="{COLOURS.get(bar.tone, COLOURS["info"])}"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR_HEIGHT - 6}" font-size="13">{bar.value}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def stacked_svg(*, title: str, rows: list[StackedBar]) -> SafeString:
    """One stacked bar per row (e.g. done / on pace / behind per department), as shares of the row."""
    height = len(rows) * (BAR_HEIGHT + GAP) + GAP + 20
    inner = CHART_WIDTH - LABEL_WIDTH - 10
    described = []
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {CHART_WIDTH} {height}" '
        f'xmlns="http://www.w3.org/2000/svg" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for i, row in enumerate(rows):
        y = GAP + i * (BAR_HEIGHT + GAP)
        total = sum(v for _, v, _ in row.parts) or 1
        x = LABEL_WIDTH
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" font-size="13">'
            f"{escape(row.label)}</text>"
        )
        for label, value, tone in row.parts:
            width = round(inner * value / total)
            if width:
                parts.append(
                    f'<rect x="{x}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
                    f'fill="{COLOURS.get(tone, COLOURS["info"])}"><title>{escape(label)}: {value}</title></rect>'
                )
            x += width
        described.append(f"{row.label}: " + ", ".join(f"{label} {value}" for label, value, _ in row.parts))
    parts.insert(2, "<desc>" + escape("; ".join(described)) + "</desc>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
