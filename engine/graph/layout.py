"""A layered layout of a reasoning graph, computed in pure Python for the SVG writer.

Columns, left to right: case facts, life-cycle stage, causes, what to do (strategies,
program decisions, guidance), caveats and first steps; empty columns are left out.
An edge that skips columns passes through each column between on a reserved slot
(a "dummy" item), so it never runs behind a box. Within each column the items are
ordered by the barycenter of their neighbours, sweeping left and right and keeping
the order with the fewest crossings; then each column's items are placed at the
mean height of their neighbours, as near as order and spacing allow (an isotonic
regression, solved exactly by pooling adjacent violators). Edges leave a box on its
right side and enter the next on its left, their ports spread along the side in the
order of the other ends.

Text is measured with an estimate of a sans-serif font's widths that errs wide, so
the labels fit whichever such font the reader has. Everything is deterministic:
same graph, same layout.
"""

import math
from bisect import bisect_right, insort
from functools import lru_cache
from itertools import pairwise

from perencana.engine.records import Record

COLUMN = {
    "any": 0,
    "field": 0,
    "stakeholders": 0,
    "programs": 0,
    "stage": 1,
    "cause": 2,
    "strategy": 3,
    "decision": 3,
    "guidance": 3,
    "caveat": 4,
    "first-step": 4,
}
# knowledge/graph.yaml ``graph_layers`` key of each column's heading ("strategies"
# for "actions" when no guidance is drawn), and its width.
COLUMN_NAMES = ("facts", "stage", "causes", "actions", "caveats")
COLUMN_WIDTHS = (184, 124, 152, 188, 196)

LABEL_SIZE = 12.0
SMALL_SIZE = 10.5
HEADER_SIZE = 12.5
LINE = 1.25  # line height, in font sizes
PAD_X = 8.0
PAD_Y = 6.0
MARGIN = 16.0
COLUMN_GAP = 52.0
BOX_GAP = 10.0
SLOT_GAP = 6.0  # between an edge passing through a column and its neighbours
SWEEPS = 12
PLACEMENT_ROUNDS = 40

# Advance widths in ems, erring wide (DejaVu Sans is among the widest sans fonts).
_NARROW = set("iljtf|!.,:;'’()[] ")
_WIDE = set("mwMW@%")


def text_width(text, size, bold=False):
    """An estimate of ``text``'s width in pixels at ``size``, erring wide."""
    width = 0.0
    for char in text:
        if char in _NARROW:
            width += 0.36
        elif char in _WIDE:
            width += 0.94
        elif char.isupper() or char.isdigit():
            width += 0.72
        else:
            width += 0.62
    return width * size * (1.08 if bold else 1.0)


def wrap(text, width, size, bold=False):
    """``text`` in lines no wider than ``width`` pixels (a word too long is cut)."""
    return list(_wrapped(str(text), width, size, bold))


# The pictures of a batch wrap the same titles, field labels and values again and
# again, at a few widths: the last few thousand are remembered.
@lru_cache(maxsize=4096)
def _wrapped(text, width, size, bold):
    """``wrap``'s lines, as a tuple."""
    lines = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if text_width(candidate, size, bold) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        while text_width(word, size, bold) > width:
            cut = max(1, int(len(word) * width / text_width(word, size, bold)) - 1)
            lines.append(word[:cut] + "-")
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return tuple(lines) or ("",)


class Box(Record):
    """A node's box: position (top left), size and its text in lines."""

    FIELDS = ("node", "column", "x", "y", "width", "height", "label", "details", "notes")
    __slots__ = FIELDS

    def __init__(self, node, column, x, y, width, height, label, details, notes):
        self.node = node
        self.column = column
        self.x = x
        self.y = y
        self.width = width
        self.height = height
        self.label = label
        self.details = details
        self.notes = notes

    @property
    def center(self):
        return self.y + self.height / 2


class Route(Record):
    """An edge's way: from the source's port through the slots it passes to the
    target's port. ``points`` are (x, y); ``straight[i]`` says whether the part from
    point i to point i+1 is a straight run across a column."""

    FIELDS = ("edge", "points", "straight")
    __slots__ = FIELDS

    def __init__(self, edge, points, straight):
        self.edge = edge
        self.points = points
        self.straight = straight


class Column(Record):
    FIELDS = ("index", "name", "title", "x", "width")
    __slots__ = FIELDS

    def __init__(self, index, name, title, x, width):
        self.index = index
        self.name = name
        self.title = title
        self.x = x
        self.width = width


class Layout(Record):
    """The picture laid out: its size, ``top`` (where the boxes start, below the
    column headings), ``bottom`` (where they end), the columns, the boxes by node id,
    the routes, and ``order``: each box's or slot's position in its column."""

    FIELDS = ("width", "height", "top", "columns", "boxes", "routes", "bottom", "order")
    __slots__ = FIELDS

    def __init__(self, width, height, top, columns, boxes, routes, bottom=0.0, order=None):
        self.width = width
        self.height = height
        self.top = top
        self.columns = columns
        self.boxes = boxes
        self.routes = routes
        self.bottom = bottom
        self.order = {} if order is None else order


class _Item(Record):
    """A box or an edge's slot in a column: its ``y`` is its center; ``up`` and
    ``down`` are its neighbours in the columns before and after."""

    FIELDS = ("key", "column", "height", "box", "y", "up", "down")
    __slots__ = FIELDS

    def __init__(self, key, column, height, box=None, y=0.0, up=None, down=None):
        self.key = key
        self.column = column
        self.height = height
        self.box = box
        self.y = y
        self.up = [] if up is None else up
        self.down = [] if down is None else down


def _box(node, column, width):
    inner = width - 2 * PAD_X
    label = wrap(node.label, inner, LABEL_SIZE, bold=True)
    details = [line for text in node.details for line in wrap(text, inner, SMALL_SIZE)]
    notes = [line for text in node.notes for line in wrap(text, inner, SMALL_SIZE)]
    height = 2 * PAD_Y + len(label) * LABEL_SIZE * LINE
    height += (len(details) + len(notes)) * SMALL_SIZE * LINE
    return Box(node, column, 0.0, 0.0, width, height, label, details, notes)


def _crossings(columns, items):
    total = 0
    for index, left in enumerate(columns[:-1]):
        position = {key: i for i, key in enumerate(left)}
        segments = []
        for key in left:
            for other in items[key].down:
                segments.append((position[key], other))
        if not segments:
            continue
        right = {key: i for i, key in enumerate(columns[index + 1])}
        # Two segments cross when one starts lower and ends higher. Sorted by start
        # (then end), those are the pairs whose ends come out of order: counted with
        # the ends seen so far kept sorted.
        seen = []
        for _, end in sorted((a, right[b]) for a, b in segments):
            total += len(seen) - bisect_right(seen, end)
            insort(seen, end)
    return total


def _sort_by(column, neighbours_of, positions):
    def barycenter(item_key):
        neighbours = neighbours_of(item_key)
        if not neighbours:
            return column.index(item_key) * 1.0
        return math.fsum(positions[n] for n in neighbours) / len(neighbours)

    keyed = [(barycenter(key), index, key) for index, key in enumerate(column)]
    return [key for _, _, key in sorted(keyed)]


def _order(columns, items, fixed=frozenset()):
    """Columns reordered by barycenter sweeps; the order with fewest crossings wins.
    The columns whose index is in ``fixed`` keep their order."""
    best = [list(c) for c in columns]
    best_count = _crossings(best, items)
    current = [list(c) for c in columns]
    seen = {tuple(map(tuple, current))}
    for _ in range(SWEEPS):
        for i in range(1, len(current)):
            if i in fixed:
                continue
            positions = _scaled(current[i - 1], len(current[i]))
            current[i] = _sort_by(current[i], lambda k: items[k].up, positions)
        for i in range(len(current) - 2, -1, -1):
            if i in fixed:
                continue
            positions = _scaled(current[i + 1], len(current[i]))
            current[i] = _sort_by(current[i], lambda k: items[k].down, positions)
        state = tuple(map(tuple, current))
        if state in seen:
            # A sweep's result depends only on the order it starts from: from an order
            # met before, the sweeps left would repeat orders already counted, none of
            # which beat the best. (Most cases come back to an order after two sweeps.)
            break
        seen.add(state)
        count = _crossings(current, items)
        if count < best_count:
            best, best_count = [list(c) for c in current], count
    return best


def _scaled(column, size):
    """Positions of a neighbouring column's items, scaled to this column's length."""
    if len(column) <= 1:
        return {key: (size - 1) / 2 for key in column}
    return {key: i * (size - 1) / (len(column) - 1) for i, key in enumerate(column)}


def _isotonic(targets, weights, gaps):
    """Centers ``y`` minimizing sum(w * (y - target)^2) with y[i+1] >= y[i] + gaps[i]."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    return _pooled(targets, weights, offsets)


def _pooled(targets, weights, offsets):
    """``_isotonic`` with the gaps given as ``offsets`` from the first center (their
    running sums): adjacent violators pooled into blocks of their weighted mean,
    kept on a stack of (mean, weight, count)."""
    blocks = []
    for target, offset, weight in zip(targets, offsets, weights, strict=True):
        mean, count = target - offset, 1
        while blocks and blocks[-1][0] > mean:
            previous_mean, previous_weight, previous_count = blocks.pop()
            total = previous_weight + weight
            mean = (previous_mean * previous_weight + mean * weight) / total
            weight = total
            count += previous_count
        blocks.append((mean, weight, count))
    if len(blocks) == len(offsets):  # no block pooled two items
        return [block[0] + o for block, o in zip(blocks, offsets, strict=True)]
    solved = []
    for mean, _, count in blocks:
        solved += [mean] * count
    return [z + o for z, o in zip(solved, offsets, strict=True)]


def _gap(a, b):
    if a.box is not None and b.box is not None:
        return (a.height + b.height) / 2 + BOX_GAP
    return (a.height + b.height) / 2 + SLOT_GAP


def _place(columns, items):
    for column in columns:
        y = 0.0
        for i, key in enumerate(column):
            if i:
                y += _gap(items[column[i - 1]], items[key])
            items[key].y = y
    # The rounds work on the centers as one list (``ys``, an item by its number); what
    # stays the same from round to round is worked out once: each column's items,
    # their neighbours and weights, and the gaps as offsets from the first center.
    number = {key: n for n, key in enumerate(key for column in columns for key in column)}
    ys = [items[key].y for key in number]
    plans = []
    for column in columns:
        if not column:
            continue
        members = [number[key] for key in column]
        neighbours = [tuple(number[n] for n in items[k].up + items[k].down) for k in column]
        weights = [float(len(near)) if near else 0.5 for near in neighbours]
        offsets = [0.0]
        for a, b in pairwise(column):
            offsets.append(offsets[-1] + _gap(items[a], items[b]))
        # Whether each item's target is read from other columns only: then the column
        # gets the same targets first thing in a round as last thing in the round
        # before (nothing moved in between), and stays where it is.
        own = set(members)
        elsewhere = all(near and own.isdisjoint(near) for near in neighbours)
        plans.append(
            (members, list(zip(members, neighbours, strict=True)), weights, offsets, elsewhere)
        )
    fsum = math.fsum
    for round_number in range(PLACEMENT_ROUNDS):
        # The columns left to right, then right to left: each round starts with the
        # column the round before ended with.
        order = plans if round_number % 2 == 0 else plans[::-1]
        moved = False
        for members, neighbours, weights, offsets, elsewhere in order:
            if elsewhere and round_number and members is order[0][0]:
                continue
            # The mean of each item's neighbours' centers. One or two are added as
            # fsum adds them: a sum of two floats is rounded once either way, and
            # adding 0.0 makes a negative zero positive, as fsum gives it.
            targets = [
                (ys[near[0]] + ys[near[1]] + 0.0) / 2
                if len(near) == 2
                else ys[near[0]] + 0.0
                if len(near) == 1
                else fsum([ys[n] for n in near]) / len(near)
                if near
                else ys[own]
                for own, near in neighbours
            ]
            for own, y in zip(members, _pooled(targets, weights, offsets), strict=True):
                if ys[own] != y:
                    ys[own] = y
                    moved = True
        if not moved:
            # Settled: a round that moved nothing left every column where its
            # neighbours put it, so every later round would move nothing either.
            break
    for key, own in number.items():
        items[key].y = ys[own]


def layout(graph, column_names=None):
    """The layout of ``graph``: boxes, routes, columns and the size of the drawing."""
    used = sorted({COLUMN[node.kind] for node in graph.nodes})
    compact = {column: i for i, column in enumerate(used)}
    items = {}
    columns = [[] for _ in used]
    widths = [COLUMN_WIDTHS[c] for c in used]
    for node in graph.nodes:
        column = compact[COLUMN[node.kind]]
        box = _box(node, column, widths[column])
        items[node.id] = _Item(node.id, column, box.height, box)
        columns[column].append(node.id)
    chains = []
    for number, edge in enumerate(graph.edges):
        start, end = items[edge.source].column, items[edge.target].column
        chain = [edge.source]
        for column in range(start + 1, end):
            key = f"~{number}~{column}"
            items[key] = _Item(key, column, 0.0)
            columns[column].append(key)
            chain.append(key)
        chain.append(edge.target)
        for a, b in pairwise(chain):
            items[a].down.append(b)
            items[b].up.append(a)
        chains.append(chain)
    # Slots start in the order of their sources, so the first sweep begins fairly.
    position = {key: i for column in columns for i, key in enumerate(column)}

    def start(key):
        item = items[key]
        return (1, position[item.up[0]]) if item.box is None else (0, position[key])

    for column in columns:
        column.sort(key=start)
    # A column of ranked strategies reads in rank order, top down (the decisions
    # after them): the order is the advice's, not the fewest crossings'.
    ranks = {node.id: node.rank for node in graph.nodes if node.rank}
    fixed = set()
    for index, column in enumerate(columns):
        if any(key in ranks for key in column):
            column.sort(key=lambda key: (key not in ranks, ranks.get(key, 0)))
            fixed.add(index)
    columns = _order(columns, items, frozenset(fixed))
    _place(columns, items)

    # Headings, then the drawing moved below them.
    names = column_names or {}
    x = MARGIN
    heads = []
    guidance = any(node.kind == "guidance" for node in graph.nodes)
    for index, column in enumerate(used):
        name = COLUMN_NAMES[column]
        if name == "actions" and not guidance:
            name = "strategies"
        title = wrap(names.get(name, name), widths[index], HEADER_SIZE, bold=True)
        heads.append(Column(index, name, title, x, widths[index]))
        x += widths[index] + COLUMN_GAP
    width = x - COLUMN_GAP + MARGIN
    header = max((len(h.title) for h in heads), default=1) * HEADER_SIZE * LINE
    top = MARGIN + header + 10
    lowest = min((items[k].y - items[k].height / 2 for c in columns for k in c), default=0)
    boxes = {}
    for column in columns:
        for key in column:
            item = items[key]
            item.y += top - lowest
            if item.box is not None:
                box = item.box
                box.x = heads[item.column].x
                box.y = item.y - box.height / 2
                boxes[key] = box
    bottom = max((items[k].y + items[k].height / 2 for c in columns for k in c), default=top)
    routes = _routes(graph, chains, items, heads)
    return Layout(
        width=width,
        height=bottom,
        top=top,
        columns=heads,
        boxes=boxes,
        routes=routes,
        bottom=bottom,
        order={key: i for column in columns for i, key in enumerate(column)},
    )


def _ports(chains, items):
    """{(chain index, "out"|"in"): y}: each box's ports spread along its side, in the
    order of the other ends' heights."""
    outgoing, incoming = {}, {}
    for number, chain in enumerate(chains):
        outgoing.setdefault(chain[0], []).append((items[chain[1]].y, number))
        incoming.setdefault(chain[-1], []).append((items[chain[-2]].y, number))
    ports = {}
    for side, table in (("out", outgoing), ("in", incoming)):
        for key, ends in table.items():
            box = items[key].box
            ends.sort()
            usable = max(box.height - 2 * PAD_Y, 0.0)
            for rank, (_, number) in enumerate(ends):
                ports[(number, side)] = box.y + PAD_Y + usable * (rank + 1) / (len(ends) + 1)
    return ports


def _routes(graph, chains, items, heads):
    ports = _ports(chains, items)
    routes = []
    for number, (edge, chain) in enumerate(zip(graph.edges, chains, strict=True)):
        source, target = items[chain[0]].box, items[chain[-1]].box
        points = [(source.x + source.width, ports[(number, "out")])]
        straight = []
        for key in chain[1:-1]:
            slot = items[key]
            head = heads[slot.column]
            points.append((head.x, slot.y))
            straight.append(False)
            points.append((head.x + head.width, slot.y))
            straight.append(True)
        points.append((target.x, ports[(number, "in")]))
        straight.append(False)
        routes.append(Route(edge, points, straight))
    return routes
