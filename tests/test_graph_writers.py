"""The reasoning graph written as DOT, Mermaid and SVG, and drawn in the HTML memo."""

import re
import xml.etree.ElementTree as ET

import pydot
import pytest

from perencana.engine import api
from perencana.engine.graph.dot import dot
from perencana.engine.graph.layout import layout, text_width, wrap
from perencana.engine.graph.mermaid import mermaid
from perencana.engine.graph.model import memo_graph, reasoning_graph, safe_ids
from perencana.engine.graph.svg import memo_picture, svg
from perencana.engine.memo.render import render
from tests.helpers import EXAMPLE_CASES, EXAMPLES

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & \\N "quoted" [a] {b} | #1; end'


@pytest.fixture(scope="module")
def office(advisor):
    return advisor.advise(api.read_case(str(EXAMPLES / "old-government-office.yaml")))


@pytest.fixture(scope="module")
def hostile(advisor):
    case = api.read_case(str(EXAMPLES / "old-government-office.yaml"))
    case["organization"]["name"] = HOSTILE
    case["stakeholders"][0]["name"] = "<img src=x onerror=alert(2)>\x07"
    return advisor.advise(case)


@pytest.fixture(scope="module")
def graph(knowledge, office):
    return reasoning_graph(knowledge, "en", office)


@pytest.fixture(scope="module")
def network(knowledge):
    return reasoning_graph(knowledge, "en")


# -- DOT ------------------------------------------------------------------------------


def parse_dot(text):
    graphs = pydot.graph_from_dot_data(text)
    assert graphs and len(graphs) == 1
    return graphs[0]


def dot_nodes(parsed):
    found = {}
    for subgraph in [parsed, *parsed.get_subgraphs()]:
        for node in subgraph.get_nodes():
            if node.get_name().strip('"') not in ("graph", "node", "edge"):
                found[node.get_name().strip('"')] = node.get_attributes()
    return found


def graph_attributes(parsed):
    """The attributes of the ``graph [...]`` statement (pydot reads it as a node)."""
    return parsed.get_node("graph")[0].get_attributes()


def unquote(value):
    return value[1:-1] if value.startswith('"') and value.endswith('"') else value


@pytest.fixture(scope="module")
def office_dot(graph):
    """The old office's DOT text and pydot's reading of it (a slow parse: done once)."""
    text = dot(graph)
    return text, parse_dot(text)


def test_dot_parses_with_every_node_and_edge(graph, office_dot):
    text, parsed = office_dot
    assert text.startswith("digraph reasoning {")
    assert unquote(graph_attributes(parsed)["rankdir"]) == "LR"
    names = safe_ids(graph)
    nodes = dot_nodes(parsed)
    assert set(nodes) == set(names.values())
    edges = {
        (e.get_source().strip('"'), e.get_destination().strip('"')): e.get_attributes()
        for e in parsed.get_edges()
    }
    assert set(edges) == {(names[e.source], names[e.target]) for e in graph.edges}
    clusters = [unquote(s.get_name()) for s in parsed.get_subgraphs()]
    assert clusters == [
        "cluster_facts",
        "cluster_stage_causes",
        "cluster_actions",
        "cluster_caveats",
    ]


def test_dot_marks_fired_and_idle(graph, office_dot):
    text, parsed = office_dot
    assert text == dot(graph)  # the same text each time it is written
    names = safe_ids(graph)
    nodes = dot_nodes(parsed)
    for node in graph.nodes:
        attributes = nodes[names[node.id]]
        state = "fired" if node.fired else "idle"
        assert unquote(attributes["class"]) == f"{state} {node.kind}"
        if node.fired:
            assert unquote(attributes["penwidth"]) == "2"
            assert "bold" in unquote(attributes["style"])
        else:
            assert unquote(attributes["color"]) == "#c0c7cf"
            assert "penwidth" not in attributes
    edges = {
        (e.get_source().strip('"'), e.get_destination().strip('"')): e.get_attributes()
        for e in parsed.get_edges()
    }
    for edge in graph.edges:
        attributes = edges[(names[edge.source], names[edge.target])]
        assert unquote(attributes["class"]) == ("fired" if edge.fired else "idle")
        rules = edge.fired_rules if edge.fired else edge.rules
        assert unquote(attributes["label"]).split("\\n") == list(rules)
    affected = nodes["strategy_affected_parties"]
    assert unquote(affected["label"]) == "Attend to those who lose\\nrank 3"


def test_dot_without_a_case_is_neutral(network):
    parsed = parse_dot(dot(network))
    assert {unquote(a["class"]).split()[0] for a in dot_nodes(parsed).values()} == {"neutral"}
    assert len(parsed.get_edges()) == len(network.edges)


def test_dot_quotes_hostile_text(knowledge, hostile):
    text = dot(reasoning_graph(knowledge, "en", hostile))
    parsed = parse_dot(text)
    label = unquote(graph_attributes(parsed)["label"])
    assert label == "How the rules reasoned for " + HOSTILE.replace("\\", "\\\\").replace(
        '"', '\\"'
    )
    assert "\x07" not in text


# -- Mermaid -----------------------------------------------------------------------------

NODE = re.compile(r'^ {4}([A-Za-z][A-Za-z0-9_]*)\["([^"]*)"\]$')
SUBGRAPH = re.compile(r'^ {2}subgraph ([A-Za-z][A-Za-z0-9_]*) \["([^"]*)"\]$')
EDGE = re.compile(
    r"^ {2}([A-Za-z][A-Za-z0-9_]*) (-->|==>)(?:\|([A-Za-z0-9_, ]+)\|)? ([A-Za-z][A-Za-z0-9_]*)$"
)
CLASSDEF = re.compile(r"^ {2}classDef (fired|idle|neutral) [a-z-]+:[^ ;]+$")
CLASS = re.compile(r"^ {2}class ([A-Za-z0-9_,]+) (fired|idle|neutral)$")
LINKSTYLE = re.compile(r"^ {2}linkStyle ([0-9,]+) [a-z-]+:[^ ;]+$")


def check_mermaid(text, plain_parentheses=False):
    """A structural check of the flowchart: every line one known statement, labels
    quoted with no raw quote, bracket or other syntax inside, subgraphs closed, edges
    between declared nodes, classes and link styles pointing at what exists.
    Returns (nodes {id: label}, edges [(source, arrow, target)], classes {id: class})."""
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    nodes, edges, classes, defined, styled = {}, [], {}, set(), []
    depth = 0
    for line in lines[1:]:
        assert line.count('"') % 2 == 0, line
        outside = re.sub(r'"[^"]*"', '""', line)
        for opening, closing in ("[]", "()", "{}"):
            assert outside.count(opening) == outside.count(closing), line
        if plain_parentheses:  # as they are inside a quoted label, which Mermaid allows
            line = line.replace("(", "").replace(")", "")
        if match := SUBGRAPH.match(line):
            depth += 1
            assert match[1] not in nodes
        elif line == "  end":
            depth -= 1
            assert depth >= 0
        elif match := NODE.match(line):
            assert depth == 1, line
            assert match[1] not in nodes, f"{match[1]} declared twice"
            # Syntax characters only as entity codes (#91;), never raw.
            assert not re.search(r"[\[\]{}()<>|;`#&]", re.sub(r"#\w+;", "", match[2])), line
            nodes[match[1]] = match[2]
        elif match := EDGE.match(line):
            edges.append((match[1], match[2], match[4]))
        elif match := CLASSDEF.match(line):
            defined.add(match[1])
        elif match := CLASS.match(line):
            for name in match[1].split(","):
                classes[name] = match[2]
        elif match := LINKSTYLE.match(line):
            styled += [int(n) for n in match[1].split(",")]
        else:
            raise AssertionError(f"not a known statement: {line!r}")
    assert depth == 0
    for source, _, target in edges:
        assert source in nodes and target in nodes, (source, target)
    assert {"fired", "idle", "neutral"} <= defined
    assert set(classes) <= set(nodes) and set(classes.values()) <= defined
    assert all(0 <= n < len(edges) for n in styled) and len(styled) == len(set(styled))
    return nodes, edges, classes


def test_mermaid_is_well_formed(graph):
    nodes, edges, classes = check_mermaid(mermaid(graph))
    names = safe_ids(graph)
    assert set(nodes) == set(names.values())
    assert len(edges) == len(graph.edges)
    for edge, (source, arrow, target) in zip(graph.edges, edges, strict=True):
        assert (source, target) == (names[edge.source], names[edge.target])
        assert arrow == ("==>" if edge.fired else "-->")
    for node in graph.nodes:
        assert classes[names[node.id]] == ("fired" if node.fired else "idle")


def test_mermaid_without_a_case_is_neutral(network):
    _, edges, classes = check_mermaid(mermaid(network))
    assert set(classes.values()) == {"neutral"}
    assert {arrow for _, arrow, _ in edges} == {"-->"}


def test_mermaid_escapes_hostile_labels(knowledge, hostile):
    nodes, _, _ = check_mermaid(mermaid(reasoning_graph(knowledge, "en", hostile)))
    stakeholders = nodes["stakeholders_stakeholders"]
    assert "#lt;img src=x onerror=alert#40;2#41;#gt;" in stakeholders
    assert "\x07" not in stakeholders


# -- SVG ------------------------------------------------------------------------------------


def node_titles(root, state=None, kind=None):
    found = []
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if "rg-node" not in classes:
            continue
        if (state is None or f"rg-{state}" in classes) and (
            kind is None or f"rg-{kind}" in classes
        ):
            found.append(group.find(f"{SVG}title").text)
    return found


def test_svg_parses_and_scales(graph):
    root = ET.fromstring(svg(graph))
    assert root.tag == f"{SVG}svg"
    x, y, width, height = (float(v) for v in root.get("viewBox").split())
    assert (x, y) == (0, 0) and width > 300 and height > 300
    assert root.get("width") == "100%"
    assert root.find(f"{SVG}title").text == graph.title
    assert len(node_titles(root)) == len(graph.nodes)
    assert len(list(root.iter(f"{SVG}path"))) >= len(graph.edges)


def test_svg_shows_the_fired_strategies(graph, office, knowledge):
    root = ET.fromstring(svg(graph))
    fired = " ".join(node_titles(root, "fired", "strategy"))
    for strategy in office.strategies:
        assert knowledge.strategies[strategy.id]["title"]["en"] in fired
    idle = " ".join(node_titles(root, "idle", "strategy"))
    assert "Link with a peer agency" in idle
    texts = " ".join(t.text or "" for t in root.iter(f"{SVG}text"))
    assert "Change step by step" in texts


def test_svg_escapes_hostile_text(knowledge, hostile):
    text = svg(reasoning_graph(knowledge, "en", hostile))
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text and "&lt;img src=x" in text
    assert "\x07" not in text
    root = ET.fromstring(text)
    assert root.find(f"{SVG}title").text == f"How the rules reasoned for {HOSTILE}"


def test_svg_is_byte_identical_over_runs(knowledge, office):
    first = svg(reasoning_graph(knowledge, "en", office))
    second = svg(reasoning_graph(knowledge, "en", office))
    assert first == second
    assert memo_picture(office, knowledge, "id") == memo_picture(office, knowledge, "id")


def test_svg_boxes_do_not_overlap_and_edges_avoid_them(knowledge, office, graph):
    for drawn_graph in (graph, memo_graph(graph)):
        drawn = layout(drawn_graph, drawn_graph.layers)
        boxes = sorted(drawn.boxes.values(), key=lambda b: (b.x, b.y))
        for a, b in zip(boxes, boxes[1:], strict=False):
            if a.x == b.x:
                assert a.y + a.height < b.y, (a.node.id, b.node.id)
        for route in drawn.routes:
            # Straight runs across a column pass between the boxes of that column.
            for (x1, y), straight in zip(route.points[1:], route.straight[1:], strict=False):
                if not straight:
                    continue
                for box in drawn.boxes.values():
                    if box.x < x1 <= box.x + box.width + 1:
                        assert not box.y <= y <= box.y + box.height, (route.edge, box.node.id)


def test_svg_text_fits_its_box(graph):
    drawn = layout(graph, graph.layers)
    for box in drawn.boxes.values():
        for line in box.label:
            assert text_width(line, 12, bold=True) <= box.width - 16 or len(line.split()) == 1
    assert wrap("a " * 40, 50, 12) == [line for line in wrap("a " * 40, 50, 12) if line]


def test_memo_picture_is_the_fired_part(knowledge, office):
    picture = memo_picture(office, knowledge, "en")
    root = ET.fromstring(str(picture))
    assert not node_titles(root, "idle")
    assert not node_titles(root, kind="guidance")
    assert len(node_titles(root, kind="strategy")) == len(office.strategies)


# -- the HTML memo ---------------------------------------------------------------------


@pytest.mark.parametrize("case", [path.stem for path in EXAMPLE_CASES])
def test_html_memo_embeds_the_picture(case, advisor, knowledge):
    advice = advisor.advise(api.read_case(str(EXAMPLES / f"{case}.yaml")))
    memo = render(advice, knowledge, "html", "en")
    heading = knowledge.memo["graph"]["heading"]["en"]
    # The picture is a numbered appendix, after the sources (section 11 of the
    # planner's edition).
    marker = f'<h2><span class="number">12.</span> {heading}</h2>'
    section = memo.split(marker, 1)[1].split("</section>", 1)[0]
    sources = knowledge.memo["headings"]["sources"]["en"]
    assert memo.index(f'<h2><span class="number">11.</span> {sources}') < memo.index(marker)
    match = re.search(r"<svg .*?</svg>", section, re.S)
    assert match, case
    root = ET.fromstring(match[0])
    assert root.get("width") == "100%" and root.get("viewBox")
    titles = " ".join(node_titles(root, kind="strategy"))
    for strategy in advice.strategies[:3]:
        assert knowledge.strategies[strategy.id]["title"]["en"] in titles


def test_html_memo_picture_in_indonesian(advisor, knowledge, office):
    memo = render(office, knowledge, "html", "id")
    assert f"</span> {knowledge.memo['graph']['heading']['id']}</h2>" in memo
    root = ET.fromstring(re.search(r"<svg .*?</svg>", memo, re.S)[0])
    titles = " ".join(node_titles(root))
    assert "Perubahan bertahap" in titles and "Dana untuk perubahan" in titles
    assert "Change step by step" not in titles


def test_html_memo_escapes_hostile_text_in_the_picture(knowledge, hostile):
    memo = render(hostile, knowledge, "html", "en")
    assert "<script" not in memo.lower() and "<img" not in memo.lower()
    picture = re.search(r"<svg .*?</svg>", memo, re.S)[0]
    ET.fromstring(picture)


def test_memo_without_strategies_says_so(advisor, knowledge):
    case = {
        "organization": {"name": "Quiet office", "age_years": 8},
        "change": {"summary": "a small change", "proposed_by": "internal"},
        "funding": {"funds_for_change": "sufficient"},
    }
    advice = advisor.advise(api.read_case("-", __import__("json").dumps(case)))
    assert not advice.strategies and not advice.programs
    memo = render(advice, knowledge, "html", "en")
    assert "<svg" not in memo
    assert knowledge.memo["graph"]["none"]["en"] in memo


def test_the_layout_counts_crossings_as_every_pair_of_segments_does():
    """The sweeps keep the order with the fewest crossings: the count (ends seen so
    far kept sorted) is the pair-by-pair count on random columns."""
    import itertools
    import random

    from perencana.engine.graph.layout import _crossings, _Item

    def by_pairs(columns, items):
        total = 0
        for index, left in enumerate(columns[:-1]):
            right = {key: i for i, key in enumerate(columns[index + 1])}
            segments = [(i, right[b]) for i, a in enumerate(left) for b in items[a].down]
            for s1 in segments:
                for s2 in segments:
                    total += s2[0] > s1[0] and s2[1] < s1[1]
        return total

    chance = random.Random(16)
    for _ in range(200):
        sizes = [chance.randint(1, 7) for _ in range(chance.randint(2, 4))]
        columns = [[f"{c}-{i}" for i in range(size)] for c, size in enumerate(sizes)]
        items = {key: _Item(key, c, 10.0) for c, column in enumerate(columns) for key in column}
        for left, right in itertools.pairwise(columns):
            for key in left:
                items[key].down = chance.sample(right, chance.randint(0, len(right)))
        assert _crossings(columns, items) == by_pairs(columns, items)


def test_translated_labels_may_be_changed_without_changing_the_next_ones():
    from perencana.engine.view.words import translate
    from perencana.knowledge import load_knowledge

    memo = load_knowledge().memo
    first = translate(memo, "en")
    group = next(key for key, value in first.items() if isinstance(value, dict))
    first[group]["changed"] = "x"
    first["changed"] = "x"
    again = translate(memo, "en")
    assert "changed" not in again and "changed" not in again[group]
    assert translate(memo, "id") != again


def test_one_or_two_centers_are_added_as_fsum_adds_them():
    """The placement adds one or two neighbours' centers without fsum: the same
    float, signed zeros included, so the picture's bytes do not change."""
    import math
    import random
    import struct

    def bits(x):
        return struct.pack("<d", x)

    chance = random.Random(16)
    values = [0.0, -0.0, 1e-300, -1e-300, 0.1, 0.2, 1e16, -1e16, 3.0]
    values += [chance.uniform(-2000, 2000) for _ in range(300)]
    values += [chance.uniform(-1, 1) * 10 ** chance.randint(-20, 20) for _ in range(300)]
    for a in values:
        assert bits(a + 0.0) == bits(math.fsum([a]))
        for b in values[:60]:
            assert bits((a + b + 0.0) / 2) == bits(math.fsum([a, b]) / 2)


def test_the_picture_drops_every_character_xml_cannot_hold_and_only_those():
    """Over every code point: kept are tab, newline, return, U+0020-U+D7FF,
    U+E000-U+FFFD and from U+10000 on (XML 1.0's Char)."""
    from perencana.engine.graph.svg import _clean

    every = "".join(map(chr, range(0x110000)))
    kept = "".join(
        char
        for char in every
        if char in "\t\n\r"
        or (" " <= char <= "\ud7ff")
        or ("\ue000" <= char <= "\ufffd")
        or char >= "\U00010000"
    )
    assert _clean(every) == kept
    assert _clean(7) == "7"
