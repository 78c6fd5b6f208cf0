"""Horizontal bar charts as inline SVG, drawn in Python: no binary, no JavaScript.

``bar_chart`` draws one bar per row; a bar stacks one segment per series (causes by
strength: strong, moderate, weak). Every text is escaped here, so the markup can be
put into an autoescaped page as it is. The same rows give the same bytes.
"""

from dataclasses import dataclass
from html import escape

FONT = "Helvetica Neue, Arial, Noto Sans, sans-serif"
FONT_SIZE = 12
CHAR_WIDTH = 6.6  # an average character of FONT at FONT_SIZE, in pixels
BAR_HEIGHT = 18
GAP = 8
LEGEND_HEIGHT = 22
MAX_LABEL = 42  # characters; a longer label is cut, and shown whole on hover
INK = "#1f2328"
MUTED = "#57606a"
GRID = "#d0d7de"


@dataclass(frozen=True)
class Series:
    """One kind of segment: its name (legend, tooltip) and its fill colour."""

    name: str
    color: str


@dataclass(frozen=True)
class Bar:
    """One row of the chart: its label and one value per series."""

    label: str
    values: tuple


def bar_chart(bars, series, title, chart_id, width=640):
    """An ``<svg>`` drawing ``bars`` (a list of ``Bar``) stacked by ``series``.

    ``title`` is the chart's accessible name; ``chart_id`` makes its element ids
    unique in the page. With no bars, an empty string: the page says so in words.
    """
    bars = list(bars)
    if not bars:
        return ""
    label_width = _label_width(bars)
    legend = LEGEND_HEIGHT if len(series) > 1 else 0
    total_width = max((sum(bar.values) for bar in bars), default=0) or 1
    number_width = CHAR_WIDTH * (len(str(total_width)) + 1)
    plot_width = max(width - label_width - number_width - 12, 60)
    scale = plot_width / total_width
    height = legend + len(bars) * (BAR_HEIGHT + GAP) + GAP
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{_n(height)}" viewBox="0 0 {width} {_n(height)}" '
        f'aria-labelledby="{_a(chart_id)}-title" font-family="{_a(FONT)}" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{_a(chart_id)}-title">{_t(title)}</title>',
    ]
    if legend:
        parts += _legend(series, label_width)
    x0 = label_width + 4
    parts.append(
        f'<line x1="{_n(x0)}" y1="{legend}" x2="{_n(x0)}" y2="{_n(height)}" stroke="{GRID}"/>'
    )
    for row, bar in enumerate(bars):
        y = legend + GAP / 2 + row * (BAR_HEIGHT + GAP)
        parts += _bar(bar, series, x0, y, scale, label_width)
    parts.append("</svg>")
    return "\n".join(parts)


def _bar(bar, series, x0, y, scale, label_width):
    middle = y + BAR_HEIGHT / 2
    label = _cut(bar.label)
    parts = [
        f'<text x="{_n(label_width)}" y="{_n(middle)}" text-anchor="end" '
        f'dominant-baseline="central" fill="{INK}">{_t(label)}'
        + (f"<title>{_t(bar.label)}</title>" if label != bar.label else "")
        + "</text>"
    ]
    x = x0
    for kind, value in zip(series, bar.values, strict=False):
        if value <= 0:
            continue
        length = value * scale
        parts.append(
            f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(length)}" height="{BAR_HEIGHT}" '
            # "Adapt to limited resources — ranked 1 to 3: 4", not "ranked 1 to 3 4".
            f'fill="{_a(kind.color)}"><title>{_t(bar.label)} — {_t(kind.name)}: {value}'
            "</title></rect>"
        )
        x += length
    parts.append(
        f'<text x="{_n(x + 4)}" y="{_n(middle)}" dominant-baseline="central" '
        f'fill="{MUTED}">{sum(bar.values)}</text>'
    )
    return parts


def _legend(series, label_width):
    parts, x = [], label_width + 4
    for kind in series:
        parts.append(
            f'<rect x="{_n(x)}" y="4" width="12" height="12" fill="{_a(kind.color)}"/>'
            f'<text x="{_n(x + 16)}" y="10" dominant-baseline="central" '
            f'fill="{INK}">{_t(kind.name)}</text>'
        )
        x += 16 + CHAR_WIDTH * len(kind.name) + 14
    return parts


def _label_width(bars):
    longest = max(len(_cut(bar.label)) for bar in bars)
    return round(CHAR_WIDTH * longest + 8)


def _cut(label):
    label = " ".join(str(label).split())
    return label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1].rstrip() + "…"


def _n(number):
    """A coordinate with at most one decimal, always written the same way."""
    text = f"{number:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _t(text):
    return escape(str(text), quote=False)


def _a(text):
    return escape(str(text), quote=True)
