"""Server-rendered SVG bar charts for the usage insights (no JavaScript).

Each chart is inline SVG with no <script>, no <style> and no style attribute,
so the admin's strict Content-Security-Policy (``style-src 'self'``) allows it:
colours and sizes are SVG presentation attributes, refined by classes in
``/admin/static/admin.css``. Bars are horizontal with each label on its own
line above its bar and the value just after the bar's end, so a label never
overlaps a bar, a value or another label; a label too long for the chart is
cut with "…" (its full text is the bar's tooltip and is in the table beside
the chart, which stays the accessible source of the numbers). The SVG has
``role="img"`` named by its <title> and described by its <desc>.

The drawing is 300 units wide and scales with the page (``width: 100%`` in
admin.css, at most 24rem), so on a 320 px screen its 14-unit text is about
13 px and on a wide one about 18 px.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 300
PAD = 4
FONT_SIZE = 14
# A generous average glyph width for the page's sans-serif fonts (em), so an
# estimated text width is never less than the drawn one.
GLYPH_EM = 0.62
LABEL_LINE = 18  # the label's line, above the bar
BAR_HEIGHT = 16
ROW_GAP = 10
ROW_HEIGHT = LABEL_LINE + BAR_HEIGHT + ROW_GAP
VALUE_GAP = 6
BAR_COLOUR = "#005eb8"  # NHS blue: 5.9:1 on white, 5.2:1 on the page's grey
TEXT_COLOUR = "#212b32"  # NHS black
ELLIPSIS = "…"

_ID = re.compile(r"[^A-Za-z0-9_-]")


@dataclass(frozen=True)
class Bar:
    label: str  # as drawn, possibly cut
    full_label: str
    value: int
    width: float  # of the bar, in drawing units


def text_width(text: str) -> float:
    return len(text) * FONT_SIZE * GLYPH_EM


def max_label_chars() -> int:
    return int((WIDTH - 2 * PAD) // (FONT_SIZE * GLYPH_EM))


def fit_label(label: str, limit: int | None = None) -> str:
    """``label`` as it fits on one line of the chart: cut with an ellipsis if too long."""
    limit = max_label_chars() if limit is None else limit
    if len(label) <= limit:
        return label
    return label[: limit - 1].rstrip() + ELLIPSIS


def layout(rows: Sequence[tuple[str, int]]) -> list[Bar]:
    """The bars for ``rows`` of (label, count): widths scaled to the largest
    count, leaving room after the longest bar for its value."""
    if not rows:
        return []
    top = max(max(count for _, count in rows), 1)
    value_room = text_width(str(top)) + VALUE_GAP
    span = WIDTH - 2 * PAD - value_room
    return [
        Bar(fit_label(label), label, count, round(span * max(count, 0) / top, 2))
        for label, count in rows
    ]


def bar_chart(
    rows: Sequence[tuple[str, int]], *, title: str, chart_id: str, description: str
) -> Markup:
    """An accessible horizontal bar chart of ``rows`` of (label, count), as inline SVG."""
    base = _ID.sub("-", chart_id)
    bars = layout(rows)
    height = max(len(bars) * ROW_HEIGHT - ROW_GAP, LABEL_LINE) + 2 * PAD
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="admin-chart" role="img" '
        f'id="{base}" aria-labelledby="{base}-title" aria-describedby="{base}-desc" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-size="{FONT_SIZE}" fill="{TEXT_COLOUR}">',
        f'<title id="{base}-title">{escape(title)}</title>',
        f'<desc id="{base}-desc">{escape(description)}</desc>',
    ]
    for index, bar in enumerate(bars):
        top = PAD + index * ROW_HEIGHT
        bar_y = top + LABEL_LINE
        text_y = bar_y + BAR_HEIGHT - 3
        parts.append(
            f'<g class="admin-chart__row">'
            f"<title>{escape(bar.full_label)}: {bar.value}</title>"
            f'<text class="admin-chart__label" x="{PAD}" y="{top + FONT_SIZE}">'
            f"{escape(bar.label)}</text>"
            f'<rect class="admin-chart__bar" x="{PAD}" y="{bar_y}" width="{bar.width}" '
            f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            f'<text class="admin-chart__value" x="{round(PAD + bar.width + VALUE_GAP, 2)}" '
            f'y="{text_y}">{bar.value}</text>'
            f"</g>"
        )
    parts.append("</svg>")
    # Every name, title and description above went through escape(); the rest is numbers.
    return Markup("".join(parts))  # noqa: S704


def usage_chart(rows: Sequence[tuple[str, int]], title: str, chart_id: str) -> Markup:
    """The chart for one of the usage insights' tables (names as the table shows them)."""
    return bar_chart(
        [(name.replace("_", " "), count) for name, count in rows],
        title=title,
        chart_id=chart_id,
        description=f"Bar chart with {len(rows)} bar{'' if len(rows) == 1 else 's'}; "
        "the same numbers are in the table beside it.",
    )
