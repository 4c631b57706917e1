"""Server-rendered SVG bar charts: no JavaScript, no inline styles (CSP), readable without the picture.

``bar_chart`` returns a ``<figure>`` with the SVG (``role="img"``, a ``<title>`` and ``<desc>``) followed by a
table of the same figures, so screen readers, text browsers and tests read the numbers themselves.
Colours come from CSS classes in haat.css (``chart-bar``, ``chart-axis``…), with presentation attributes
as the fallback.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 360
HEIGHT = 180
TOP = 12
BOTTOM = 28
LEFT = 4
_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
    label: str  # short, under the bar ("Jan")
    full_label: str  # for the table and the bar's tooltip ("January 2026")
    value: int
    value_text: str  # formatted for people ("US$12.50")


def bar_chart(title: str, bars: list[Bar], *, value_heading: str, label_heading: str) -> SafeString:
    """An accessible bar chart of non-negative ``bars`` plus its text table."""
    chart_id = f"chart-{next(_ids)}"
    top = max((bar.value for bar in bars), default=0)
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT * 2) / max(len(bars), 1)
    width = max(slot * 0.7, 1)
    shapes = []
    for i, bar in enumerate(bars):
        height = round(plot_height * bar.value / top, 1) if top and bar.value > 0 else 0
        x = round(LEFT + i * slot + (slot - width) / 2, 1)
        y = round(TOP + plot_height - height, 1)
        shapes.append(
            format_html(
                '<rect class="chart-bar" x="{}" y="{}" width="{}" height="{}" fill="#1f7a5a">'
                "<title>{}: {}</title></rect>"
                '<text class="chart-label" x="{}" y="{}" text-anchor="middle" font-size="10" fill="#555">{}</text>',
                x,
                y,
                round(width, 1),
                height,
                bar.full_label,
                bar.value_text,
                round(x + width / 2, 1),
                HEIGHT - 10,
                bar.label,
            )
        )
    baseline = TOP + plot_height
    svg = format_html(
        '<svg class="chart" viewBox="0 0 {w} {h}" width="100%" role="img" aria-labelledby="{id}-title {id}-desc"'
        ' xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '<line class="chart-axis" x1="0" y1="{b}" x2="{w}" y2="{b}" stroke="#999" stroke-width="1"></line>'
        "{shapes}</svg>",
        w=WIDTH,
        h=HEIGHT,
        id=chart_id,
        title=title,
        desc="; ".join(f"{bar.full_label}: {bar.value_text}" for bar in bars),
        b=baseline,
        shapes=format_html_join("", "{}", ((shape,) for shape in shapes)),
    )
    rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td class="amount">{}</td></tr>',
        ((b.full_label, b.value_text) for b in bars),
    )
    table = format_html(
        '<details class="chart-table"><summary>{summary}</summary><div class="table-scroll"><table>'
        '<caption class="visually-hidden">{title}</caption>'
        '<thead><tr><th scope="col">{lh}</th><th scope="col">{vh}</th></tr></thead><tbody>{rows}</tbody>'
        "</table></div></details>",
        summary=escape(_figures_label()),
        title=title,
        lh=label_heading,
        vh=value_heading,
        rows=rows,
    )
    return format_html('<figure class="chart-figure">{}{}</figure>', svg, table)


def _figures_label() -> str:
    from django.utils.translation import gettext as _

    return _("The figures as a table")
