"""Bar charts as SVG, made here so a page needs no script library and no other host.

A chart is horizontal bars, one row per item, each bar stacked (basic + project) or grouped
(budget beside actual). Rows are a label line above the bar, so long Chinese names stay legible
on a phone. Negative or blank figures draw no bar; the table beside every chart prints them as
they are.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 420  # viewBox units: on a phone about one CSS pixel each, so labels stay legible
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 10


@dataclass(frozen=True)
class Series:
    key: str  # a CSS class: bar colour
    label: str


@dataclass(frozen=True)
class Bar:
    label: str
    values: tuple[Decimal | None, ...]  # one per series
    href: str = ""  # where the bar leads (the next level down, or the figure's source), or nowhere
    aria: str = ""  # what a screen reader says for the link


def _width(value: Decimal | None, largest: Decimal) -> Decimal:
    if value is None or value <= 0 or largest <= 0:
        return Decimal(0)
    return (value / largest * WIDTH).quantize(Decimal("0.1"))


def bar_chart(chart_id: str, title: str, description: str, series: list[Series], bars: list[Bar], stacked: bool) -> str:
    """An SVG bar chart; a bar with `href` is a link (keyboard-focusable): the next level down, or the source."""
    if stacked:
        largest = max(
            (sum((v for v in b.values if v is not None and v > 0), Decimal(0)) for b in bars), default=Decimal(0)
        )
    else:
        largest = max((v for b in bars for v in b.values if v is not None), default=Decimal(0))
    thin = 9  # one grouped bar's height
    band = BAR_HEIGHT if stacked else thin * len(series)
    role = "group" if any(b.href for b in bars) else "img"  # links inside an img are hidden from screen readers
    row = LABEL_HEIGHT + band + ROW_GAP
    legend_items = []
    x, y = 0, 4
    drawn = [s for i, s in enumerate(series) if any(_width(b.values[i], largest) > 0 for b in bars)]
    for s in drawn or series:  # the legend names only what is drawn
        room = 24 + sum(13 if ord(c) > 0x2E80 else 7 for c in s.label)
        if x and x + room > WIDTH:
            x, y = 0, y + 18
        legend_items.append(f'<rect class="bar {s.key}" x="{x}" y="{y}" width="12" height="12"/>')
        legend_items.append(f'<text class="legend" x="{x + 16}" y="{y + 10}">{html.escape(s.label)}</text>')
        x += room
    legend = y + 18
    height = legend + row * len(bars) + 4
    out = [
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="{role}" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'focusable="false">',
        f'<title id="{chart_id}-t">{html.escape(title)}</title>',
        f'<desc id="{chart_id}-d">{html.escape(description)}</desc>',
        *legend_items,
    ]
    for number, bar in enumerate(bars):
        top = legend + number * row
        parts = [f'<text class="label" x="0" y="{top + LABEL_HEIGHT - 5}">{html.escape(bar.label)}</text>']
        offset = Decimal(0)
        for index, (s, value) in enumerate(zip(series, bar.values, strict=True)):
            width = _width(value, largest)
            if stacked:
                if width > 0:
                    parts.append(
                        f'<rect class="bar {s.key}" x="{offset}" y="{top + LABEL_HEIGHT}" width="{width}" '
                        f'height="{BAR_HEIGHT}"/>'
                    )
                offset += width
            else:
                if width > 0:
                    parts.append(
                        f'<rect class="bar {s.key}" x="0" y="{top + LABEL_HEIGHT + index * thin}" width="{width}" '
                        f'height="{thin - 1}"/>'
                    )
        if bar.href:
            out.append(
                f'<a class="drill" href="{html.escape(bar.href)}" aria-label="{html.escape(bar.aria or bar.label)}">'
                f'<rect class="hit" x="0" y="{top}" width="{WIDTH}" height="{LABEL_HEIGHT + band}"/>'
                + "".join(parts)
                + "</a>"
            )
        else:
            out.append("<g>" + "".join(parts) + "</g>")
    out.append("</svg>")
    return "".join(out)
