"""The reasoning graph as an SVG picture, drawn in pure Python (no Graphviz).

Boxes come from ``engine.graph_layout``: columns of rounded boxes with wrapped text,
edges as cubic Bézier curves with arrowheads, a legend below. In a case, what fired
is coloured by kind with a strong outline, the rest grey; the whole network without
a case is drawn neutral. Each edge carries a ``<title>`` naming its rules (shown on
hover), each box one naming its kind. Classes are prefixed ``rg-`` so that a page
embedding the picture does not style it by accident.

Every text is XML-escaped here, and characters XML cannot hold are dropped, so the
result may be embedded in HTML as is. The output is deterministic: coordinates are
rounded, nothing depends on time or hashing. ``viewBox`` with ``width="100%"`` lets
the picture shrink to the page; it never grows past its own size (``max-width``).
"""

import re

from markupsafe import Markup

from perencana.engine.graph.layout import (
    HEADER_SIZE,
    LABEL_SIZE,
    LINE,
    MARGIN,
    PAD_X,
    PAD_Y,
    SMALL_SIZE,
    layout,
    text_width,
    wrap,
)

FONT = "'Helvetica Neue', Arial, 'Noto Sans', 'DejaVu Sans', sans-serif"
INK = "#1f2328"
MUTED = "#57606a"
IDLE_STROKE = "#d0d7de"
IDLE_TEXT = "#8c959f"
BAND = "#f6f8fa"
# Fill and outline of each group of kinds.
GROUPS = {
    "any": "fact",
    "field": "fact",
    "stakeholders": "fact",
    "programs": "fact",
    "stage": "stage",
    "cause": "cause",
    "strategy": "strategy",
    "decision": "decision",
    "guidance": "guidance",
    "caveat": "caveat",
    "first-step": "caveat",
}
STYLE = {
    "fact": ("#eef1f4", "#57606a"),
    "stage": ("#fff4d6", "#9a6700"),
    "cause": ("#fde7ea", "#a40e26"),
    "strategy": ("#e1eff6", "#0b4f6c"),
    "decision": ("#efe6fa", "#6f42c1"),
    "guidance": ("#e6f4ea", "#1a7f37"),
    "caveat": ("#fff8e6", "#9a6700"),
}
LEGEND_KINDS = ("field", "stage", "cause", "strategy", "decision", "guidance", "caveat")
TITLE_SIZE = 15.0


# What XML 1.0 cannot hold: the controls but tab, newline and return, the surrogates,
# U+FFFE and U+FFFF. None is printable (``str.isprintable``), so a printable text, as
# nearly all are, is passed without the regex, compiled only for the first text that
# is not: compiling it took half a millisecond of every HTML memo.
_NOT_XML = "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"


def _clean(text):
    """``text`` without the characters XML 1.0 cannot hold."""
    text = str(text)
    if text.isprintable():
        return text
    return re.sub(_NOT_XML, "", text)


def _escape(value):
    """``&``, ``<`` and ``>`` as entities (what ``xml.sax.saxutils.escape`` does,
    whose import pulls in urllib, http, ssl and email: some 27 ms of every HTML memo)."""
    return value.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def text(value):
    """Character data: escaped."""
    return _escape(_clean(value))


def attr(value):
    """An attribute value: escaped, quotes included."""
    return _escape(_clean(value)).replace('"', "&quot;").replace("'", "&#39;")


def number(value):
    """A coordinate, rounded to a tenth; the same value always prints the same."""
    found = _NUMBERS.get(value)
    if found is None:
        rounded = round(value, 1)
        found = str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"
        if len(_NUMBERS) >= _NUMBERS_KEPT:
            _NUMBERS.clear()
        _NUMBERS[value] = found
    return found


# The numbers printed lately: five in six of a picture's coordinates, sizes and
# widths were printed before in a batch's pictures (equal values print alike:
# 1, 1.0 and True, 0.0 and -0.0).
_NUMBERS = {}
_NUMBERS_KEPT = 16384


def _state(graph, item):
    if not graph.has_case:
        return "neutral"
    return "fired" if item.fired else "idle"


def _path(route):
    (x, y), *rest = route.points
    parts = [f"M{number(x)},{number(y)}"]
    for (x1, y1), straight in zip(rest, route.straight, strict=True):
        if straight:
            parts.append(f"L{number(x1)},{number(y1)}")
        else:
            half = (x1 - x) / 2
            parts.append(
                f"C{number(x + half)},{number(y)} {number(x1 - half)},{number(y1)} "
                f"{number(x1)},{number(y1)}"
            )
        x, y = x1, y1
    return " ".join(parts)


def _edge_look(graph, edge):
    """(state, stroke colour, marker id, width) of an edge."""
    state = _state(graph, edge)
    if state == "fired":
        group = GROUPS[graph.node(edge.source).kind]
        return state, STYLE[group][1], f"rg-arrow-{group}", 1.6
    if state == "idle":
        return state, IDLE_STROKE, "rg-arrow-idle", 1.0
    return state, IDLE_TEXT, "rg-arrow-neutral", 1.0


def _markers(colours):
    out = ["<defs>"]
    for name, colour in colours:
        out.append(
            f'<marker id="{attr(name)}" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        )
    out.append("</defs>")
    return out


def _edges(graph, routes):
    out = ['<g class="rg-edges" fill="none">']
    # Idle edges first, so what fired is drawn on top.
    for route in sorted(routes, key=lambda r: r.edge.fired):
        edge = route.edge
        state, colour, marker, width = _edge_look(graph, edge)
        rules = edge.fired_rules if state == "fired" else edge.rules
        tip = f"{graph.words['rules_label']}: {', '.join(rules)}"
        opacity = ' stroke-opacity="0.85"' if state == "fired" else ""
        out.append(
            f'<path class="rg-edge rg-{state}" d="{_path(route)}" stroke="{colour}" '
            f'stroke-width="{number(width)}"{opacity} marker-end="url(#{marker})">'
            f"<title>{text(tip)}</title></path>"
        )
    out.append("</g>")
    return out


def _box(graph, box):
    node = box.node
    state = _state(graph, node)
    fill, stroke = STYLE[GROUPS[node.kind]]
    ink, muted, width = INK, MUTED, 1.0
    if state == "fired":
        width = 2.0
    elif state == "idle":
        fill, stroke, ink, muted = "#ffffff", IDLE_STROKE, IDLE_TEXT, IDLE_TEXT
    else:
        fill = "#ffffff"
    kind = graph.kinds.get(node.kind, node.kind)
    tip = " · ".join([f"{kind}: {node.label}", *node.details, *node.notes])
    out = [
        f'<g class="rg-node rg-{state} rg-{attr(node.kind)}">',
        f"<title>{text(tip)}</title>",
        f'<rect x="{number(box.x)}" y="{number(box.y)}" width="{number(box.width)}" '
        f'height="{number(box.height)}" rx="6" ry="6" fill="{fill}" stroke="{stroke}" '
        f'stroke-width="{number(width)}"/>',
    ]
    x = number(box.x + PAD_X)
    y = box.y + PAD_Y
    lines = []
    for line in box.label:
        y += LABEL_SIZE * LINE
        lines.append((line, y - LABEL_SIZE * 0.3, LABEL_SIZE, ink, ' font-weight="bold"'))
    for line in box.details:
        y += SMALL_SIZE * LINE
        lines.append((line, y - SMALL_SIZE * 0.3, SMALL_SIZE, muted, ""))
    for line in box.notes:
        y += SMALL_SIZE * LINE
        lines.append((line, y - SMALL_SIZE * 0.3, SMALL_SIZE, muted, ' font-style="italic"'))
    for line, baseline, size, colour, extra in lines:
        out.append(
            f'<text x="{x}" y="{number(baseline)}" font-size="{number(size)}" '
            f'fill="{colour}"{extra}>{text(line)}</text>'
        )
    out.append("</g>")
    return out


def _columns(drawn):
    out = ['<g class="rg-columns">']
    for column in drawn.columns:
        out.append(
            f'<rect x="{number(column.x - 6)}" y="{number(drawn.top - 8)}" '
            f'width="{number(column.width + 12)}" '
            f'height="{number(drawn.bottom - drawn.top + 16)}" rx="8" fill="{BAND}"/>'
        )
        center = number(column.x + column.width / 2)
        for number_, line in enumerate(column.title):
            baseline = MARGIN + (number_ + 1) * HEADER_SIZE * LINE - HEADER_SIZE * 0.3
            out.append(
                f'<text x="{center}" y="{number(baseline)}" text-anchor="middle" '
                f'font-size="{number(HEADER_SIZE)}" font-weight="bold" fill="{MUTED}">'
                f"{text(line)}</text>"
            )
    out.append("</g>")
    return out


def _legend(graph, width, top):
    """The legend's elements and its height, flowing in rows across ``width``."""
    entries = []
    present = {GROUPS[node.kind] for node in graph.nodes}
    fired = graph.has_case
    for kind in LEGEND_KINDS:
        group = GROUPS[kind]
        if group in present:
            fill, stroke = STYLE[group]
            entries.append(
                (
                    "box",
                    fill if fired else "#ffffff",
                    stroke,
                    2.0 if fired else 1.0,
                    graph.kinds[kind],
                )
            )
    if fired and any(not node.fired for node in graph.nodes):
        entries.append(
            ("box", STYLE["strategy"][0], STYLE["strategy"][1], 2.0, graph.words["legend_fired"])
        )
        entries.append(("box", "#ffffff", IDLE_STROKE, 1.0, graph.words["legend_idle"]))
    entries.append(("edge", MUTED, MUTED, 1.4, graph.words["legend_link"]))
    out = ['<g class="rg-legend">']
    size = SMALL_SIZE + 0.5
    row = size * 1.9
    label = f"{graph.words['legend']}:"
    x = MARGIN
    y = top
    out.append(
        f'<text x="{number(x)}" y="{number(y + size)}" font-size="{number(size)}" '
        f'font-weight="bold" fill="{MUTED}">{text(label)}</text>'
    )
    x += text_width(label, size, bold=True) + 10
    for shape, fill, stroke, stroke_width, caption in entries:
        caption_width = min(text_width(caption, size), width - 2 * MARGIN - 40)
        caption = wrap(caption, caption_width + 1, size)[0]
        needed = 26 + caption_width + 18
        if x + needed > width - MARGIN and x > MARGIN:
            x = MARGIN
            y += row
        if shape == "box":
            out.append(
                f'<rect x="{number(x)}" y="{number(y + 1)}" width="20" height="{number(size)}" '
                f'rx="3" fill="{fill}" stroke="{stroke}" stroke-width="{number(stroke_width)}"/>'
            )
        else:
            middle = number(y + 1 + size / 2)
            out.append(
                f'<path d="M{number(x)},{middle} L{number(x + 20)},{middle}" stroke="{stroke}" '
                f'stroke-width="{number(stroke_width)}" fill="none" '
                'marker-end="url(#rg-arrow-legend)"/>'
            )
        out.append(
            f'<text x="{number(x + 26)}" y="{number(y + size)}" font-size="{number(size)}" '
            f'fill="{INK}">{text(caption)}</text>'
        )
        x += needed
    out.append("</g>")
    return out, y + row - top


def svg(graph, show_title=True):
    """The picture of ``graph`` as an SVG document (no XML declaration, so that it
    may also be embedded in HTML)."""
    drawn = layout(graph, graph.layers)
    width = drawn.width
    offset = 0.0
    title_lines = []
    if show_title:
        title_lines = wrap(graph.title, width - 2 * MARGIN, TITLE_SIZE, bold=True)
        offset = len(title_lines) * TITLE_SIZE * LINE + 8
    legend, legend_height = _legend(graph, width, drawn.bottom + 24)
    height = drawn.bottom + 24 + legend_height + MARGIN + offset
    colours = [(f"rg-arrow-{group}", stroke) for group, (_, stroke) in STYLE.items()]
    colours += [("rg-arrow-idle", IDLE_STROKE), ("rg-arrow-neutral", IDLE_TEXT)]
    colours += [("rg-arrow-legend", MUTED)]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="rg-reasoning-graph" '
        f'viewBox="0 0 {number(width)} {number(height)}" width="100%" '
        f'preserveAspectRatio="xMidYMin meet" role="img" aria-labelledby="rg-title" '
        f'font-family="{attr(FONT)}" style="max-width:{number(width)}px;height:auto">',
        f'<title id="rg-title">{text(graph.title)}</title>',
        *_markers(colours),
    ]
    if show_title:
        for index, line in enumerate(title_lines):
            baseline = MARGIN + (index + 1) * TITLE_SIZE * LINE - TITLE_SIZE * 0.3
            out.append(
                f'<text x="{number(MARGIN)}" y="{number(baseline)}" '
                f'font-size="{number(TITLE_SIZE)}" font-weight="bold" fill="{INK}">'
                f"{text(line)}</text>"
            )
    out.append(f'<g transform="translate(0,{number(offset)})">')
    out += _columns(drawn)
    out += _edges(graph, drawn.routes)
    out.append('<g class="rg-nodes">')
    for node in graph.nodes:
        out += _box(graph, drawn.boxes[node.id])
    out.append("</g>")
    out += legend
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def memo_picture(advice, knowledge, lang, graph=None):
    """The memo's picture of how the causes drive the strategies in ``advice``'s case,
    as ``Markup`` (safe: ``svg`` escaped every text), or empty ``Markup`` when no rule
    led to a strategy or program decision. ``graph``: the case's memo graph
    (``case_memo_graph``), when the caller has made it already."""
    from perencana.engine.graph.model import case_memo_graph

    graph = graph or case_memo_graph(knowledge, lang, advice)
    if not graph.of_kind("strategy", "decision"):
        return Markup("")
    # The memo is also printed: its legend names the rule without "point at it",
    # which the memo's text says on screen only.
    graph.words["legend_link"] = graph.words["legend_link_memo"]
    return Markup(svg(graph, show_title=False))
