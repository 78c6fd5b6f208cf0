"""The reasoning network built from the rule catalog, and what fired in a case."""

import re
import sys
from pathlib import Path

import pytest

from perencana.engine import api
from perencana.engine.graph.model import (
    ANY,
    FACT_KINDS,
    case_memo_graph,
    memo_graph,
    node_id,
    reasoning_graph,
    safe_ids,
)
from perencana.engine.reasoning.rule_catalog import rule_catalog
from tests.generated_cases import varied_case
from tests.helpers import EXAMPLE_CASES, EXAMPLES


@pytest.fixture(scope="module")
def network(knowledge):
    return reasoning_graph(knowledge, "en")


@pytest.fixture(scope="module", params=[path.stem for path in EXAMPLE_CASES])
def example(request, advisor):
    case = api.read_case(str(EXAMPLES / f"{request.param}.yaml"))
    return advisor.advise(case)


def ids(graph, kind):
    return {node.key for node in graph.of_kind(kind)}


# -- the whole network ---------------------------------------------------------------


def test_every_item_of_the_knowledge_is_a_node(network, knowledge):
    assert ids(network, "cause") == set(knowledge.causes)
    assert ids(network, "strategy") == set(knowledge.strategies)
    assert ids(network, "guidance") == set(knowledge.guidance)
    assert ids(network, "decision") == set(knowledge.decisions)
    assert ids(network, "stage") == set(knowledge.lifecycle)
    assert ids(network, "caveat") == set(knowledge.caveats)
    assert ids(network, "first-step") == set(knowledge.steps)


def test_every_rule_is_at_least_one_edge(network):
    assert {rule.id for rule in rule_catalog()} <= network.rules()


def test_fact_nodes_are_the_fields_the_rules_read(network, knowledge):
    read = {
        condition.field_path
        for rule in rule_catalog()
        for condition in rule.conditions
        if condition.field_path
    }
    assert ids(network, "field") == read
    assert ids(network, "field") <= set(knowledge.fields)
    assert {n.id for n in network.of_kind("stakeholders", "programs", "any")} == {
        "stakeholders:stakeholders",
        "programs:programs",
        ANY,
    }


def test_edges_join_known_nodes_left_to_right(network):
    nodes = {node.id: node for node in network.nodes}
    assert len(nodes) == len(network.nodes)
    pairs = [(edge.source, edge.target) for edge in network.edges]
    assert len(pairs) == len(set(pairs)), "edges between the same nodes are merged"
    for edge in network.edges:
        source, target = nodes[edge.source], nodes[edge.target]
        assert source.layer <= target.layer, edge
        assert source.id != target.id
        assert edge.rules
        assert target.kind not in FACT_KINDS


def test_the_edges_of_a_rule_follow_its_conditions(network):
    edges = {(e.source, e.target): e.rules for e in network.edges}
    expected = {
        ("field:funding.funds_for_change", "cause:financial"): "cause_financial_no_funds",
        ("cause:financial", "strategy:negotiate-incentives"): "strategy_negotiate_financial",
        ("stage:established", "strategy:gradual-change"): "strategy_gradual_established",
        ("stakeholders:stakeholders", "strategy:affected-parties"): "strategy_affected_losers",
        ("programs:programs", "decision:replace"): "program_replace",
        (ANY, "guidance:values"): "guidance_values",
        ("strategy:shake-up", "caveat:shake-up-not-permanent"): (
            "strategy_shake_up_caveat_not_permanent"
        ),
        ("field:planner.position", "guidance:position-limits"): (
            "guidance_position_limits_executive"
        ),
    }
    for link, rule in expected.items():
        assert rule in edges[link], link
    # A base evidence rule's edge also names the rule that turns evidence into a cause;
    # a supporting rule's guard on its own cause is no edge.
    assert "cause_present" in edges[("field:funding.funds_for_change", "cause:financial")]
    assert "cause_present" not in edges[("field:funding.allocation", "cause:financial")]
    assert ("cause:financial", "cause:financial") not in edges


def test_without_a_case_nothing_fired(network):
    assert not network.has_case
    assert not network.fired_nodes() and not network.fired_edges()
    assert all(not node.details for node in network.nodes)


# -- a case ------------------------------------------------------------------------------


def test_fired_nodes_are_exactly_the_advice(example, knowledge):
    graph = reasoning_graph(knowledge, "en", example)
    fired = {kind: {n.key for n in graph.of_kind(kind) if n.fired} for kind in knowledge_kinds()}
    assert fired["cause"] == {c.id for c in example.causes}
    assert fired["strategy"] == {s.id for s in example.strategies}
    assert fired["decision"] == {p.decision for p in example.programs}
    assert fired["guidance"] == {g.id for g in example.guidance}
    assert fired["caveat"] == {c for s in example.strategies for c in s.caveats}
    assert fired["first-step"] == {f for s in example.strategies for f in s.first_steps}
    stages = {n.key for n in graph.of_kind("stage") if n.fired}
    assert stages == ({example.lifecycle} if example.lifecycle in knowledge.lifecycle else set())


def knowledge_kinds():
    return ("cause", "strategy", "decision", "guidance", "caveat", "first-step")


def test_fired_edges_come_from_the_trace(example, knowledge):
    graph = reasoning_graph(knowledge, "en", example)
    fired_nodes = {node.id for node in graph.fired_nodes()}
    traced = {step.rule for step in example.trace}
    for edge in graph.fired_edges():
        assert {edge.source, edge.target} <= fired_nodes, edge
        assert set(edge.fired_rules) <= traced & set(edge.rules)
    on_edges = {rule for edge in graph.fired_edges() for rule in edge.fired_rules}
    # Every rule that fired shows on a fired edge, but cause_present, which every
    # base-evidence edge names already, and a rule whose caveat another replaces in
    # the advice (a mandated change's).
    carried = {c for s in example.strategies for c in s.caveats}
    replaced = {
        step.rule
        for step in example.trace
        if step.concluded
        and all(ref.kind == "caveat" and ref.value not in carried for ref in step.concluded)
    }
    assert traced - on_edges <= {"cause_present"} | replaced
    # A fact node fired exactly when a fired edge leaves it.
    for node in graph.nodes:
        if node.kind in FACT_KINDS:
            assert node.fired == any(e.source == node.id for e in graph.fired_edges())


def test_a_case_labels_what_it_said(knowledge, advisor):
    advice = advisor.advise(api.read_case(str(EXAMPLES / "old-government-office.yaml")))
    graph = reasoning_graph(knowledge, "en", advice)
    funds = graph.node("field:funding.funds_for_change")
    assert funds.label == "Funds for the change" and funds.details == ("No funds",)
    assert graph.node("field:funding.seen_as_costly").label == "Seen as too costly"
    assert graph.node("field:funding.seen_as_costly").details == ()
    stakeholders = graph.node("stakeholders:stakeholders")
    assert stakeholders.details == ("intake clerks", "families on the waiting list")
    top = advice.strategies[0]
    assert graph.node(node_id("strategy", top.id)).details == ("rank 1",)
    assert graph.node("cause:financial").details == ("strong cause",)
    assert "Dinas Sosial Kabupaten Lembah Hijau" in graph.title


def test_the_memo_shows_the_fired_part_with_caveats_folded(knowledge, advisor):
    advice = advisor.advise(api.read_case(str(EXAMPLES / "old-government-office.yaml")))
    graph = memo_graph(reasoning_graph(knowledge, "en", advice))
    assert all(node.fired for node in graph.nodes)
    assert all(edge.fired for edge in graph.edges)
    assert not graph.of_kind("caveat", "first-step", "guidance")
    assert ids(graph, "strategy") == {s.id for s in advice.strategies}
    assert ids(graph, "cause") == {c.id for c in advice.causes}
    education = graph.node("strategy:education")
    # No "with a first step": only the trainer's edition shows first steps.
    assert education.notes == ("with 3 caveats",)
    folded = reasoning_graph(knowledge, "en", advice).fired_only().folded()
    assert folded.node("strategy:education").notes == ("with 3 caveats", "with a first step")
    assert graph.node("strategy:shake-up").notes == ("with 1 caveat",)
    # The stakeholder who only got guidance is not said to drive a strategy.
    assert graph.node("stakeholders:stakeholders").details == ("intake clerks",)
    linked = {e.source for e in graph.edges} | {e.target for e in graph.edges}
    assert all(node.id in linked for node in graph.nodes)
    # Staff fields fed only caveats and guidance: gone with them.
    assert not any(node.key.startswith("staff.") for node in graph.nodes)


def test_labels_are_in_the_chosen_language(knowledge, advisor):
    advice = advisor.advise(api.read_case(str(EXAMPLES / "program-review.yaml")))
    graph = reasoning_graph(knowledge, "id", advice)
    for node in graph.of_kind("strategy"):
        assert node.label == knowledge.strategies[node.key]["title"]["id"]
    for node in graph.of_kind("field"):
        assert node.label == knowledge.fields[node.key]["label"]["id"] or node.details == ()
    assert graph.node("field:funding.funds_for_change").label == "Dana untuk perubahan"
    assert graph.layers["facts"] == "Fakta kasus"
    assert graph.node(ANY).label == "Setiap kasus"
    assert graph.title.startswith("Cara aturan menalar untuk ")
    assert "peringkat 1" in {d for n in graph.of_kind("strategy") for d in n.details}


def test_case_text_is_cleaned_of_control_characters(knowledge, advisor):
    case = api.read_case(str(EXAMPLES / "old-government-office.yaml"))
    case["organization"]["name"] = "Office\x07 <b>one</b>"
    case["stakeholders"][0]["name"] = "clerks\x1b[31m"
    graph = reasoning_graph(knowledge, "en", advisor.advise(case))
    assert graph.organization == "Office <b>one</b>"
    assert graph.node("stakeholders:stakeholders").details[0] == "clerks[31m"


def test_safe_ids_are_unique_and_plain(network):
    names = safe_ids(network)
    assert len(set(names.values())) == len(network.nodes)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name) for name in names.values())
    assert names["cause:financial"] == "cause_financial"


def test_the_memo_picture_is_drawn_from_the_fired_part_of_the_whole_network(
    knowledge, advisor, example
):
    # The memo's picture is made from what fired alone, for speed: it must be the
    # very graph that the whole network of the case, cut down, gives.
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import normalize_case, validate_case

    advices = [example]
    number = 0
    while len(advices) < 8:
        raw = varied_case(number + 7 * len(example.strategies), field_specs())
        number += 1
        if not validate_case(raw):
            advices.append(advisor.advise(normalize_case(raw)))
    for advice in advices:
        for lang in ("en", "id"):
            whole = memo_graph(reasoning_graph(knowledge, lang, advice))
            assert case_memo_graph(knowledge, lang, advice) == whole


def test_the_kept_network_is_the_one_worked_out_from_the_catalog(knowledge):
    """The picture's links are kept in rules/__pycache__ (reading the rule catalog for
    them was most of a fresh process's picture): read back, or after a damaged file,
    they are the links the catalog gives."""
    from perencana.engine.graph import model
    from perencana.rules import RULE_MIXINS

    folder = Path(sys.modules[RULE_MIXINS[0].__module__].__file__).parent / "__pycache__"
    for old in folder.glob("network.*.marshal"):
        old.unlink()
    worked_out = model._work_out_network(knowledge)
    assert model._read_network(knowledge) == worked_out  # made and kept
    (kept,) = folder.glob("network.*.marshal")
    assert model._read_network(knowledge) == worked_out  # read back
    kept.write_bytes(b"not marshal")
    assert model._read_network(knowledge) == worked_out  # damaged: made anew
