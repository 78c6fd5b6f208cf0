"""The reasoning graph as a Mermaid flowchart (``flowchart LR``), for Markdown
viewers that draw Mermaid (GitHub, GitLab, many wikis).

One subgraph per layer; node ids are letters, digits and ``_``; labels are quoted,
with quotes, brackets and other characters Mermaid reads as syntax written as
entity codes (``#quot;``, ``#91;``...). In a case, fired nodes get the class
``fired`` and their edges are thick (``==>``); the rest get ``idle``. Without a
case every node is ``neutral``. Edge labels are the rule ids.
"""

import re

from perencana.engine.graph.model import LAYER_NAMES, safe_ids

# Characters written as Mermaid entity codes inside a quoted label ("#" first).
ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#38;",
    "<": "#lt;",
    ">": "#gt;",
    "[": "#91;",
    "]": "#93;",
    "(": "#40;",
    ")": "#41;",
    "{": "#123;",
    "}": "#125;",
    "|": "#124;",
    ";": "#59;",
    "`": "#96;",
}
_SPECIAL = re.compile("|".join(re.escape(char) for char in ENTITIES))
CLASSES = (
    ("fired", "fill:#e1eff6,stroke:#0b4f6c,stroke-width:2px,color:#1f2328"),
    ("idle", "fill:#ffffff,stroke:#c0c7cf,color:#8c959f"),
    ("neutral", "fill:#ffffff,stroke:#57606a,color:#1f2328"),
)


# Written as they are inside a quoted label, where Mermaid reads them as text: a
# Markdown memo's flowchart is mostly read as it is, not drawn ("(years)", not
# "#40;years#41;").
_PLAIN = "()"
_SPECIAL_BUT_PLAIN = re.compile("|".join(re.escape(c) for c in ENTITIES if c not in _PLAIN))


def label(text, plain_parentheses=False):
    """``text`` as a quoted Mermaid label on one line."""
    text = " ".join(str(text).split())
    special = _SPECIAL_BUT_PLAIN if plain_parentheses else _SPECIAL
    return '"' + special.sub(lambda match: ENTITIES[match[0]], text) + '"'


def _edge_text(rules):
    # Rule ids are Python names; anything else is dropped rather than escaped.
    return ", ".join(re.sub(r"[^A-Za-z0-9_]", "", rule) for rule in rules)


def _state(graph, item):
    if not graph.has_case:
        return "neutral"
    return "fired" if item.fired else "idle"


def memo_flowchart(advice, knowledge, lang, graph=None):
    """The memo's picture (``svg.memo_picture``: what fired, from the facts to the
    strategies and program decisions) as Mermaid text, for the Markdown memo; empty
    when no rule led to a strategy or program decision. ``graph``: the case's memo
    graph (``case_memo_graph``), when the caller has made it already."""
    from perencana.engine.graph.model import case_memo_graph

    graph = graph or case_memo_graph(knowledge, lang, advice)
    if not graph.of_kind("strategy", "decision"):
        return ""
    # Plain node ids and unlabelled arrows: the rules' ids are the machinery the
    # trainer's edition shows in its trace, and the HTML picture on pointing.
    names = {node.id: f"n{number}" for number, node in enumerate(graph.nodes, start=1)}
    return mermaid(graph, names, rule_labels=False, plain_parentheses=True)


def mermaid(graph, names=None, rule_labels=True, plain_parentheses=False):
    """The Mermaid text of ``graph``: its nodes named ``names`` (node id -> Mermaid
    id; by default made from the node ids), its arrows labelled with their rules
    unless ``rule_labels`` is false, parentheses in labels as they are if
    ``plain_parentheses``."""
    names = names or safe_ids(graph)
    out = ["flowchart LR"]
    for layer, name in enumerate(LAYER_NAMES):
        nodes = [node for node in graph.nodes if node.layer == layer]
        if not nodes:
            continue
        title = label(graph.layers.get(name, name), plain_parentheses)
        out.append(f"  subgraph layer_{name} [{title}]")
        for node in nodes:
            text = " · ".join([node.label, *node.details, *node.notes])
            out.append(f"    {names[node.id]}[{label(text, plain_parentheses)}]")
        out.append("  end")
    fired_links, idle_links = [], []
    for number, edge in enumerate(graph.edges):
        state = _state(graph, edge)
        arrow = "==>" if state == "fired" else "-->"
        rules = edge.fired_rules if state == "fired" else edge.rules
        text = f"|{_edge_text(rules)}| " if rule_labels else " "
        out.append(f"  {names[edge.source]} {arrow}{text}{names[edge.target]}")
        (fired_links if state == "fired" else idle_links).append(str(number))
    for name, style in CLASSES:
        out.append(f"  classDef {name} {style}")
    members = {}
    for node in graph.nodes:
        members.setdefault(_state(graph, node), []).append(names[node.id])
    for name, _ in CLASSES:
        if members.get(name):
            out.append(f"  class {','.join(members[name])} {name}")
    if graph.has_case and fired_links:
        out.append(f"  linkStyle {','.join(fired_links)} stroke:#0b4f6c,stroke-width:2px")
    if graph.has_case and idle_links:
        out.append(f"  linkStyle {','.join(idle_links)} stroke:#c0c7cf")
    return "\n".join(out) + "\n"
