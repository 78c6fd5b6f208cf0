"""The reasoning network: which facts lead, by which rules, to which conclusions.

Built from the rule catalog (``reasoning.rule_catalog``), never listed by hand: every
rule becomes one or more edges from what its conditions read (case fields, the
life-cycle stage, causes, recommended strategies) to what its body concludes
(stage, cause, strategy, caveat or first step, program decision, guidance). Edges
that join the same two nodes are merged and carry every rule's id.

Nodes, by layer (left to right):

0. case facts: one node per case field path (``funding.funds_for_change``), one for
   the stakeholders, one for the programs, and "every case" for rules without
   conditions;
1. the life-cycle stages and the four causes;
2. the eleven strategies, the program decisions and the guidance items;
3. the caveats and first steps, attached to their strategy.

A base-evidence edge into a cause also names ``cause_present``, the rule that turns
evidence into the cause. With an ``Advice``, nodes and edges that took part in the
case are marked ``fired``: an edge when one of its rules fired on a step that read
its source and concluded its target (from the trace), an outcome node when the
advice holds it, a fact node when a fired edge leaves it. Writers draw the model:
``engine.graph_dot``, ``engine.graph_mermaid``, ``engine.graph_svg``.

Labels are in one language, from the knowledge (titles) and ``knowledge/fields.yaml``
(field labels) through ``FactReader``; the wording of the graph itself is in
``knowledge/graph.yaml``.
"""

import contextlib
import re
from pathlib import Path

from perencana.engine.reasoning.rule_catalog import ITEM_SECTIONS, rule_catalog
from perencana.engine.records import Frozen, set_field
from perencana.engine.view.words import (
    FactReader,
    clean,
    generic_path,
    in_language,
    pair,
)

# Kinds of node, in the order they are listed; the layer of each.
KINDS = (
    "any",
    "field",
    "stakeholders",
    "programs",
    "stage",
    "cause",
    "strategy",
    "decision",
    "guidance",
    "caveat",
    "first-step",
)
FACT_KINDS = ("any", "field", "stakeholders", "programs")
OUTCOME_KINDS = ("stage", "cause", "strategy", "decision", "guidance", "caveat", "first-step")
LAYER = {
    **dict.fromkeys(FACT_KINDS, 0),
    "stage": 1,
    "cause": 1,
    "strategy": 2,
    "decision": 2,
    "guidance": 2,
    "caveat": 3,
    "first-step": 3,
}
# The names of the layers (knowledge/graph.yaml ``graph_layers``), left to right.
LAYER_NAMES = ("facts", "stage_causes", "actions", "caveats")
# The knowledge table of each outcome kind.
TABLES = {
    "stage": "lifecycle",
    "cause": "causes",
    "strategy": "strategies",
    "decision": "decisions",
    "guidance": "guidance",
    "caveat": "caveats",
    "first-step": "steps",
}
# Conclusion kinds of the rule catalog -> node kinds.
CONCLUDES = {
    "lifecycle": "stage",
    "evidence": "cause",
    "recommendation": "strategy",
    "caveat": "caveat",
    "first-step": "first-step",
    "decision": "decision",
    "guidance": "guidance",
}
# Condition facts that name an outcome node, and the key that names it.
READS = {
    "Lifecycle": ("stage", "stage"),
    "Cause": ("cause", "id"),
    "Recommended": ("strategy", "strategy"),
}
ANY = "any:case"

# The node kind of each kind of concluded fact (see ``reasoning.facts.FactRef``): a
# conclusion's own kind, and the two facts that stand for one already concluded.
CONCLUDED = {**CONCLUDES, "cause": "cause", "recommended": "strategy"}
# The node kind of each kind of fact a rule reads, besides the case's fields.
READ = {
    "stakeholder": "stakeholders",
    "program": "programs",
    "lifecycle": "stage",
    "cause": "cause",
    "recommended": "strategy",
}


def node_id(kind, key):
    return f"{kind}:{key}"


class Node(Frozen):
    """One node: ``kind`` (see ``KINDS``), its ``key`` (a field path or knowledge id),
    a readable ``label``, its ``layer``, whether it ``fired``, ``details`` (what the
    case says: values, strength, rank), ``notes`` (caveats folded into a strategy),
    ``base_label`` (a fact node's own label, when ``label`` shows its value) and
    ``rank`` (a recommended strategy's rank in the case, 0 for none; the layout keeps
    it). Immutable, as are the other classes here (``engine.records``)."""

    FIELDS = (
        "id",
        "kind",
        "key",
        "label",
        "layer",
        "fired",
        "details",
        "notes",
        "base_label",
        "rank",
    )
    __slots__ = FIELDS

    def __init__(
        self,
        id,
        kind,
        key,
        label,
        layer,
        fired=False,
        details=(),
        notes=(),
        base_label="",
        rank=0,
    ):
        set_field(self, "id", id)
        set_field(self, "kind", kind)
        set_field(self, "key", key)
        set_field(self, "label", label)
        set_field(self, "layer", layer)
        set_field(self, "fired", fired)
        set_field(self, "details", details)
        set_field(self, "notes", notes)
        set_field(self, "base_label", base_label)
        set_field(self, "rank", rank)


class Edge(Frozen):
    """The rules (ids, catalog order) by which ``source`` leads to ``target``;
    ``fired_rules`` are those that did so in the case, ``values`` what the case said
    of ``source`` when it fired (readable)."""

    FIELDS = ("source", "target", "rules", "fired", "fired_rules", "values")
    __slots__ = FIELDS

    def __init__(self, source, target, rules, fired=False, fired_rules=(), values=()):
        set_field(self, "source", source)
        set_field(self, "target", target)
        set_field(self, "rules", rules)
        set_field(self, "fired", fired)
        set_field(self, "fired_rules", fired_rules)
        set_field(self, "values", values)


class ReasoningGraph(Frozen):
    """The picture's nodes and edges, in ``lang``, with its ``title``; ``layers``
    (knowledge/graph.yaml ``graph_layers`` in ``lang``: names of columns), ``kinds``
    (``graph_kinds``: names of node kinds) and ``words`` (the rest of its wording);
    ``organization`` is the case's, or "" for the whole network."""

    FIELDS = (
        "nodes",
        "edges",
        "lang",
        "title",
        "layers",
        "kinds",
        "words",
        "organization",
        "has_case",
    )
    __slots__ = FIELDS

    def __init__(
        self, nodes, edges, lang, title, layers, kinds, words, organization="", has_case=False
    ):
        set_field(self, "nodes", nodes)
        set_field(self, "edges", edges)
        set_field(self, "lang", lang)
        set_field(self, "title", title)
        set_field(self, "layers", layers)
        set_field(self, "kinds", kinds)
        set_field(self, "words", words)
        set_field(self, "organization", organization)
        set_field(self, "has_case", has_case)

    def node(self, identifier):
        return next(node for node in self.nodes if node.id == identifier)

    def of_kind(self, *kinds):
        return [node for node in self.nodes if node.kind in kinds]

    def fired_nodes(self):
        return [node for node in self.nodes if node.fired]

    def fired_edges(self):
        return [edge for edge in self.edges if edge.fired]

    def rules(self):
        """Every rule id on some edge."""
        return {rule for edge in self.edges for rule in edge.rules}

    def fired_only(self):
        """The part that fired: fired nodes and the fired edges between them."""
        keep = {node.id for node in self.nodes if node.fired}
        edges = [e for e in self.edges if e.fired]
        return _restricted(self, [n for n in self.nodes if n.id in keep], edges)

    def folded(self, first_steps=True):
        """Caveats and first steps folded into their strategy as ``notes`` (first steps
        only if ``first_steps``); fact nodes left without any edge are dropped."""
        words = self.words
        notes = {}
        by_id = {node.id: node for node in self.nodes}
        for edge in self.edges:
            target = by_id[edge.target]
            source = by_id[edge.source]
            if target.kind in ("caveat", "first-step") and source.kind == "strategy":
                notes.setdefault(source.id, []).append(target)
        nodes = []
        for node in self.nodes:
            if node.kind in ("caveat", "first-step"):
                continue
            attached = [n for n in notes.get(node.id, []) if n.fired or not self.has_case]
            caveats = sum(1 for n in attached if n.kind == "caveat")
            text = []
            if caveats:
                text.append(
                    words["caveat_one" if caveats == 1 else "caveats"].format(count=caveats)
                )
            if first_steps and any(n.kind == "first-step" for n in attached):
                text.append(words["first_step"])
            nodes.append(node.replace(notes=tuple(text)) if text else node)
        return _restricted(self, nodes, self.edges)

    def without(self, *kinds):
        """The graph without nodes of ``kinds`` (and their edges); fact nodes left
        without any edge are dropped."""
        return _restricted(self, [n for n in self.nodes if n.kind not in kinds], self.edges)


def _restricted(graph, nodes, edges):
    """``graph`` with only ``nodes`` and the ``edges`` between them; fact nodes left
    without an edge are dropped, and in a case a fact node shows the values of its
    remaining fired edges only."""
    kept = {node.id for node in nodes}
    edges = tuple(e for e in edges if e.source in kept and e.target in kept)
    linked = {e.source for e in edges} | {e.target for e in edges}
    nodes = [n for n in nodes if n.kind not in FACT_KINDS or n.id in linked]
    if graph.has_case:
        said = {}  # what the fired edges leaving each node said, in their order
        for edge in edges:
            if edge.fired:
                said.setdefault(edge.source, []).extend(edge.values)
        nodes = [
            _with_values(n, tuple(dict.fromkeys(said.get(n.id, ())))) if n.kind in FACT_KINDS else n
            for n in nodes
        ]
    return graph.replace(nodes=tuple(nodes), edges=edges)


def _with_values(node, values):
    """A fact node labelled with ``values``, what the case said of it in its fired
    edges (the node itself when it is so labelled already)."""
    base = node.base_label or node.label
    if node.kind == "field" and len(values) == 1 and pair(base, values[0]) == values[0]:
        # "Seen as too costly: Seen as too costly" says it once.
        label, details = values[0], ()
    else:
        label, details = base, values
    if (node.label, node.details, node.base_label) == (label, details, base):
        return node
    return node.replace(label=label, details=details, base_label=base)


# -- the network from the rule catalog ----------------------------------------------


def _sources(rule, target):
    """The nodes a rule's (non-negated) conditions read, except ``target`` itself
    (a supporting rule's guard on the cause it raises)."""
    found = []
    for condition in rule.conditions:
        if condition.negated:
            continue
        if condition.fact == "Field":
            found.append(node_id("field", condition.field_path))
        elif condition.fact in ITEM_SECTIONS:
            section = ITEM_SECTIONS[condition.fact]
            found.append(node_id(section, section))
        elif condition.fact in READS:
            kind, key = READS[condition.fact]
            constraint = condition.get(key)
            if constraint is not None and constraint.kind != "any":
                found.extend(node_id(kind, value) for value in constraint.values)
    found = [source for source in dict.fromkeys(found) if source != target]
    return found


def _targets(rule, knowledge):
    for conclusion in rule.conclusions:
        kind = CONCLUDES.get(conclusion.kind)
        if kind is None:
            continue
        table = getattr(knowledge, TABLES[kind])
        keys = list(table) if conclusion.target == "*" else [conclusion.target]
        for key in keys:
            yield node_id(kind, key), conclusion


class _Network(Frozen):
    """What every picture drawn with one knowledge shares: the edges as {(source,
    target): (rule ids)} from the catalog, every node id, and the sort key of node
    ids. Not to be changed."""

    FIELDS = ("links", "identifiers", "order")
    __slots__ = FIELDS

    def __init__(self, links, identifiers, order):
        set_field(self, "links", links)
        set_field(self, "identifiers", identifiers)
        set_field(self, "order", order)


# The last knowledge's network: the same for every picture drawn with it.
_NETWORK = [None, None]


def _network(knowledge):
    """The ``_Network`` of ``knowledge``, worked out once for it (a batch draws many
    pictures with one)."""
    if _NETWORK[0] is not knowledge:
        links = _read_network(knowledge)
        identifiers = {ANY} | {identifier for link in links for identifier in link}
        for kind in ("cause", "strategy", "guidance", "decision", "stage"):
            identifiers |= {node_id(kind, key) for key in getattr(knowledge, TABLES[kind])}
        network = _Network(links, frozenset(identifiers), _order_key(knowledge))
        _NETWORK[:] = [knowledge, network]
    return _NETWORK[1]


# Bump when what _read_network keeps changes shape.
NETWORK_FORMAT = 1


def _read_network(knowledge):
    """The network's links, kept in ``__pycache__`` beside the rules as the rules'
    conclusions are: reading the rule catalog for them was most of the time a memo's
    picture took in a fresh process. Named by a digest of what they are made from:
    the rules' sources, this module's and the catalog's, and the knowledge's ids."""
    import sys

    from perencana.knowledge.pycache import keep, kept_file, read_kept
    from perencana.rules import RULE_MIXINS

    files = sorted(
        {sys.modules[mixin.__module__].__file__ for mixin in RULE_MIXINS}
        | {__file__, sys.modules[rule_catalog.__module__].__file__}
    )
    ids = "\0".join(
        f"{kind}:{key}" for kind in sorted(TABLES) for key in getattr(knowledge, TABLES[kind])
    )
    try:
        source = b"".join(Path(name).read_bytes() for name in files) + ids.encode()
    except OSError:
        return _work_out_network(knowledge)
    folder = Path(sys.modules[RULE_MIXINS[0].__module__].__file__).parent
    cache = kept_file(folder, "network", NETWORK_FORMAT, source)
    kept = read_kept(cache)
    if isinstance(kept, dict):
        with contextlib.suppress(TypeError, ValueError):  # another shape: worked out anew
            return {(str(a), str(b)): tuple(map(str, rules)) for (a, b), rules in kept.items()}
    links = _work_out_network(knowledge)
    keep(cache, "network", links)
    return links


def _work_out_network(knowledge):
    links = {}
    base_evidence = set()
    makers = []  # rules that turn evidence into a cause (cause_present)
    for rule in rule_catalog():
        if any(c.fact == "Evidence" and not c.negated for c in rule.conditions):
            makers.append(rule)
            continue
        for target, conclusion in _targets(rule, knowledge):
            sources = _sources(rule, target) or [ANY]
            for source in sources:
                links.setdefault((source, target), []).append(rule.id)
                if conclusion.kind == "evidence" and conclusion.strength != "raise":
                    base_evidence.add((source, target))
    for rule in makers:
        condition = next(c for c in rule.conditions if c.fact == "Evidence")
        constraint = condition.get("cause")
        causes = (
            constraint.values
            if constraint is not None and constraint.kind != "any"
            else tuple(knowledge.causes)
        )
        wanted = {node_id("cause", cause) for cause in causes}
        for key in links:
            if key in base_evidence and key[1] in wanted:
                links[key].append(rule.id)
    return {key: tuple(dict.fromkeys(rules)) for key, rules in links.items()}


def _order_key(knowledge):
    """Sort key of node ids: kind order, then knowledge (or fields.yaml) order."""
    positions = {}
    for kind, table in TABLES.items():
        for position, key in enumerate(getattr(knowledge, table)):
            positions[node_id(kind, key)] = position
    for position, path in enumerate(knowledge.fields):
        positions[node_id("field", path)] = position

    keys = {}  # the key of each id asked for: the same ids come back in every case

    def key(identifier):
        found = keys.get(identifier)
        if found is None:
            kind, _, name = identifier.partition(":")
            found = (KINDS.index(kind), positions.get(identifier, len(positions)), name)
            keys[identifier] = found
        return found

    return key


# -- reading the trace ----------------------------------------------------------------


def _read_node(ref):
    """The node a fact a rule matched stands for, or None."""
    if ref.kind == "field":
        return node_id("field", generic_path(ref.path))
    kind = READ.get(ref.kind)
    if kind in ("stakeholders", "programs"):
        return node_id(kind, kind)
    return node_id(kind, ref.value) if kind else None


def _concluded_node(ref):
    kind = CONCLUDED.get(ref.kind)
    return node_id(kind, ref.value) if kind else None


def _fired_links(trace, links):
    """{(source, target): (rule ids, the facts read at the source)} of the links
    that took part in the run, from the steps of the trace."""
    fired = {}
    for step in trace:
        read = {}
        for ref in step.facts:
            source = _read_node(ref)
            if source is not None:
                read.setdefault(source, []).append(ref)
        if not step.facts:
            read = {ANY: []}
        targets = {_concluded_node(ref) for ref in step.concluded} - {None}
        for source, refs in read.items():
            for target in targets:
                if step.rule in links.get((source, target), ()):
                    rules, seen = fired.setdefault((source, target), ([], []))
                    rules.append(step.rule)
                    seen.extend(refs)
    return {
        key: (tuple(dict.fromkeys(rules)), tuple(dict.fromkeys(seen)))
        for key, (rules, seen) in fired.items()
    }


def _advised(advice):
    """Node ids of the outcomes the advice holds."""
    found = {node_id("stage", advice.lifecycle)}
    found |= {node_id("cause", c.id) for c in advice.causes}
    for strategy in advice.strategies:
        found.add(node_id("strategy", strategy.id))
        found |= {node_id("caveat", c) for c in strategy.caveats}
        found |= {node_id("first-step", s) for s in strategy.first_steps}
    found |= {node_id("decision", p.decision) for p in advice.programs}
    found |= {node_id("guidance", g.id) for g in advice.guidance}
    return found


# -- labels -------------------------------------------------------------------------


def short(text, limit=64):
    """The first clause of a long knowledge text, cut at a word, for a node label."""
    text = " ".join(str(text).split())
    clause = re.split(r"[;:]|, so\b|, and\b", text, maxsplit=1)[0].strip().rstrip(",.")
    if len(clause) <= limit:
        return clause
    return clause[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


class _Labeller:
    def __init__(self, advice, knowledge, lang):
        self.knowledge = knowledge
        self.reader = FactReader(advice, knowledge, lang)
        self.words = self.reader.labels["graph"]
        self.lang = lang

    def label(self, kind, key):
        reader = self.reader
        if kind == "any":
            return self.words["any_case"]
        if kind == "field":
            return reader.field_label(key)
        if kind in ("stakeholders", "programs"):
            return reader.field_label(kind)
        if kind in ("caveat", "first-step"):
            item = getattr(self.knowledge, TABLES[kind]).get(key, {})
            return short(in_language(item.get("text"), self.lang)) or key
        return reader.title(TABLES[kind], key)


def _value(reader, ref):
    """What a fact says of its node, readable: a field's answer, or the name of a
    stakeholder or program."""
    if ref.kind in ("stakeholder", "program"):
        return reader.item_name(READ[ref.kind], ref.index, ref.name)
    if ref.kind == "field":
        return reader.value_label(ref.path, ref.value)
    return None


def _outcome_details(advice, labeller):
    """{node id: detail lines} for the outcome nodes of a case."""
    reader = labeller.reader
    words = labeller.words
    details = {}
    for cause in advice.causes:
        strength = reader.strength(cause.strength)
        details[node_id("cause", cause.id)] = (words["cause_strength"].format(strength=strength),)
    for strategy in advice.strategies:
        details[node_id("strategy", strategy.id)] = (words["rank"].format(rank=strategy.rank),)
    for program in advice.programs:
        identifier = node_id("decision", program.decision)
        details[identifier] = (*details.get(identifier, ()), program.name)
    return details


def reasoning_graph(knowledge, lang="en", advice=None):
    """The reasoning network in ``lang``; with ``advice``, what fired in its case."""
    return _graph(knowledge, lang, advice, fired_only=False)


def _graph(knowledge, lang, advice, fired_only):
    """``reasoning_graph``; with ``fired_only`` (and ``advice``), only its fired
    nodes and edges, as ``ReasoningGraph.fired_only`` would keep them, without
    labelling the rest of the network first."""
    labeller = _Labeller(advice, knowledge, lang)
    words = labeller.words
    network = _network(knowledge)
    links, order = network.links, network.order
    fired_links = _fired_links(advice.trace, links) if advice is not None else {}
    advised = _advised(advice) if advice is not None else set()
    # A caveat that another replaces in the advice was concluded, but is not advised:
    # the picture shows the advice, so no fired edge leads to it.
    fired_links = {
        link: found
        for link, found in fired_links.items()
        if not link[1].startswith("caveat:") or link[1] in advised
    }
    details = _outcome_details(advice, labeller) if advice is not None else {}
    ranks = {
        node_id("strategy", strategy.id): strategy.rank
        for strategy in (advice.strategies if advice is not None else ())
    }
    fired_sources = {source for source, _ in fired_links}
    identifiers = network.identifiers
    if fired_only:
        identifiers = (advised & identifiers) | fired_sources
    nodes = []
    for identifier in sorted(identifiers, key=order):
        kind, _, key = identifier.partition(":")
        fired = identifier in advised if kind in OUTCOME_KINDS else identifier in fired_sources
        nodes.append(
            Node(
                id=identifier,
                kind=kind,
                key=key,
                label=clean(labeller.label(kind, key)),
                layer=LAYER[kind],
                fired=fired,
                details=tuple(clean(text) for text in details.get(identifier, ())),
                rank=ranks.get(identifier, 0),
            )
        )
    edges = []
    for (source, target), rules in sorted(
        ((link, links[link]) for link in fired_links) if fired_only else links.items(),
        key=lambda item: (order(item[0][1]), order(item[0][0])),
    ):
        fired_rules, seen = fired_links.get((source, target), ((), ()))
        values = (_value(labeller.reader, ref) for ref in seen)
        edges.append(
            Edge(
                source=source,
                target=target,
                rules=rules,
                fired=bool(fired_rules),
                fired_rules=fired_rules,
                values=tuple(dict.fromkeys(clean(v) for v in values if v)),
            )
        )
    layer_words = labeller.reader.labels["graph_layers"]
    organization = clean(advice.organization) if advice is not None else ""
    title = (
        words["title_case"].format(organization=organization)
        if advice is not None
        else words["title_network"]
    )
    graph = ReasoningGraph(
        nodes=(),
        edges=(),
        lang=lang,
        title=title,
        layers=dict(layer_words),
        kinds=dict(labeller.reader.labels["graph_kinds"]),
        words=dict(words),
        organization=organization,
        has_case=advice is not None,
    )
    return _restricted(graph, nodes, edges)


def memo_graph(graph):
    """The part of a case's graph the memo shows: what fired, caveats folded into
    their strategies, and no guidance (the memo's guidance section gives its reasons).
    No "with a first step": only the trainer's edition shows first steps, and the
    action plan gives every edition its steps."""
    return graph.fired_only().folded(first_steps=False).without("guidance")


def case_memo_graph(knowledge, lang, advice):
    """``memo_graph(reasoning_graph(knowledge, lang, advice))``, made from the fired
    part alone: the rest of the network is neither labelled nor sorted (a memo's
    picture took some 2 ms of a batch's case for it)."""
    return memo_graph(_graph(knowledge, lang, advice, fired_only=True))


def safe_ids(graph):
    """{node id: an identifier of letters, digits and ``_``} for DOT and Mermaid,
    unique and stable (``cause:financial`` -> ``cause_financial``)."""
    taken = {}
    found = {}
    for node in graph.nodes:
        base = re.sub(r"[^A-Za-z0-9]+", "_", node.id).strip("_") or "node"
        name = base
        number = 1
        while name in taken:
            number += 1
            name = f"{base}_{number}"
        taken[name] = node.id
        found[node.id] = name
    return found
