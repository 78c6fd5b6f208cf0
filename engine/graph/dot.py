"""The reasoning graph in Graphviz DOT: ``digraph``, left to right, one cluster per
layer (case facts | stage and causes | strategies, programs and guidance | caveats
and first steps), each edge labelled with its rule ids.

In a case, what fired is bold and coloured (``class="fired"``), the rest grey
(``class="idle"``); the whole network without a case is neutral
(``class="neutral"``). Identifiers are letters, digits and ``_``; every id and
label is quoted and escaped.
"""

from perencana.engine.graph.model import LAYER_NAMES, safe_ids

FONT = "Helvetica"
# Outline and fill of each kind when fired (as in the SVG picture).
COLOURS = {
    "any": ("#57606a", "#eef1f4"),
    "field": ("#57606a", "#eef1f4"),
    "stakeholders": ("#57606a", "#eef1f4"),
    "programs": ("#57606a", "#eef1f4"),
    "stage": ("#9a6700", "#fff4d6"),
    "cause": ("#a40e26", "#fde7ea"),
    "strategy": ("#0b4f6c", "#e1eff6"),
    "decision": ("#6f42c1", "#efe6fa"),
    "guidance": ("#1a7f37", "#e6f4ea"),
    "caveat": ("#9a6700", "#fff8e6"),
    "first-step": ("#9a6700", "#fff8e6"),
}
IDLE = "#c0c7cf"
IDLE_TEXT = "#8c959f"


def quote(text):
    """``text`` as a DOT double-quoted string."""
    text = "".join(char for char in str(text) if char >= " " or char == "\n")
    text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{text}"'


def _attributes(pairs):
    return ", ".join(f"{key}={quote(value)}" for key, value in pairs)


def _state(graph, item):
    if not graph.has_case:
        return "neutral"
    return "fired" if item.fired else "idle"


def _node(graph, node, name):
    state = _state(graph, node)
    outline, fill = COLOURS[node.kind]
    label = "\n".join([node.label, *node.details, *node.notes])
    pairs = [("label", label), ("class", f"{state} {node.kind}")]
    if state == "fired":
        pairs += [("color", outline), ("fillcolor", fill), ("style", "rounded,filled,bold")]
        pairs += [("penwidth", "2")]
    elif state == "idle":
        pairs += [("color", IDLE), ("fontcolor", IDLE_TEXT), ("style", "rounded")]
    else:
        pairs += [("color", outline), ("style", "rounded")]
    return f"    {quote(name)} [{_attributes(pairs)}];"


def _edge(graph, edge, names):
    state = _state(graph, edge)
    rules = edge.fired_rules if state == "fired" else edge.rules
    pairs = [("label", "\n".join(rules)), ("class", state)]
    if state == "fired":
        colour = COLOURS[graph.node(edge.source).kind][0]
        pairs += [("color", colour), ("fontcolor", colour), ("penwidth", "2"), ("style", "bold")]
    elif state == "idle":
        pairs += [("color", IDLE), ("fontcolor", IDLE_TEXT)]
    else:
        pairs += [("color", "#6e7781"), ("fontcolor", "#57606a")]
    return f"  {quote(names[edge.source])} -> {quote(names[edge.target])} [{_attributes(pairs)}];"


def dot(graph):
    """The DOT text of ``graph``."""
    names = safe_ids(graph)
    graph_attributes = [
        ("rankdir", "LR"),
        ("label", graph.title),
        ("labelloc", "t"),
        ("fontname", FONT),
        ("fontsize", "16"),
        ("nodesep", "0.15"),
        ("ranksep", "1.1"),
        ("newrank", "true"),
    ]
    node_attributes = [("shape", "box"), ("fontname", FONT), ("fontsize", "11")]
    edge_attributes = [("fontname", FONT), ("fontsize", "8"), ("arrowsize", "0.7")]
    out = [
        "digraph reasoning {",
        f"  graph [{_attributes(graph_attributes)}];",
        f"  node [{_attributes(node_attributes)}];",
        f"  edge [{_attributes(edge_attributes)}];",
    ]
    for layer, name in enumerate(LAYER_NAMES):
        nodes = [node for node in graph.nodes if node.layer == layer]
        if not nodes:
            continue
        cluster = [
            ("label", graph.layers.get(name, name)),
            ("style", "rounded,filled"),
            ("color", "#f6f8fa"),
            ("fontcolor", "#57606a"),
        ]
        out.append(f"  subgraph cluster_{name} {{")
        out.append(f"    graph [{_attributes(cluster)}];")
        out += [_node(graph, node, names[node.id]) for node in nodes]
        out.append("  }")
    out += [_edge(graph, edge, names) for edge in graph.edges]
    out.append("}")
    return "\n".join(out) + "\n"
