"""The indexed Rete matcher fires exactly what experta's own matcher fires.

``IndexedReteMatcher`` only skips the tests a fact cannot pass and asks only the
conflict sets a change reached; these tests run the rules on both matchers and
compare every firing, its facts and conclusions, and the working memory left.
"""

import copy

import pytest
from experta import watchers
from experta.matchers import ReteMatcher
from hypothesis import given

from perencana.engine.case.loader import load_case
from perencana.engine.case.schema import field_specs
from perencana.engine.case.validation import normalize_case
from perencana.engine.experta_ext import matcher
from perencana.engine.experta_ext.matcher import (
    FAST_NODES,
    DispatchNode,
    IndexedReteMatcher,
    _all_nodes,
)
from perencana.engine.reasoning.case_facts import case_facts
from perencana.engine.reasoning.facts import Field, ref_of
from perencana.engine.reasoning.inference import AdvisoryEngine
from perencana.engine.reasoning.unknowns import candidate_answers
from perencana.engine.teaching.scenarios import load_scenario
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLE_CASES, ROOT
from tests.test_properties import SMALL_SAMPLE, valid_cases

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


class StockEngine(AdvisoryEngine):
    """The same rules on experta's own matcher."""

    __matcher__ = ReteMatcher


@pytest.fixture(scope="module")
def engines():
    return AdvisoryEngine(), StockEngine()


def run(engine, case):
    memory = engine.infer(case_facts(case, load_knowledge().thresholds))
    return (
        [(step.rule, step.facts, step.concluded) for step in engine.trace],
        # Contents, not ids: the advisory engine keeps out of working memory the
        # conclusions no rule matches, so its ids differ from the stock engine's.
        sorted(f"{type(fact).__name__}{sorted(fact.as_dict().items())}" for fact in memory),
    )


def assert_same_run(engines, case):
    indexed, stock = engines
    indexed_run = run(indexed, copy.deepcopy(case))
    assert indexed_run == run(stock, copy.deepcopy(case))
    return indexed_run


def test_the_advisory_engine_uses_the_indexed_matcher(engines):
    indexed, stock = engines
    assert isinstance(indexed.matcher, IndexedReteMatcher)
    assert type(stock.matcher) is ReteMatcher
    # The root and the Field facts' busiest node are indexed, not scanned.
    assert [type(child.node) for child in indexed.matcher.root_node.children] == [DispatchNode]


def test_the_network_passes_tokens_through_the_fast_nodes(engines):
    indexed, stock = engines
    kinds = {type(node) for node in _all_nodes(indexed.matcher.root_node)}
    assert kinds & set(FAST_NODES.values())
    assert not kinds & set(FAST_NODES)  # no node of experta's own kinds is left
    assert not {type(node) for node in _all_nodes(stock.matcher.root_node)} & set(
        FAST_NODES.values()
    )


def test_while_experta_logs_the_matcher_the_network_is_experta_own():
    # The fast nodes skip experta's debug logging, so someone watching the matcher
    # at DEBUG level gets experta's nodes, which log every step.
    watchers.MATCHER.setLevel("DEBUG")
    try:
        engine = AdvisoryEngine()
    finally:
        watchers.MATCHER.setLevel("NOTSET")
    kinds = {type(node) for node in _all_nodes(engine.matcher.root_node)}
    assert not kinds & set(FAST_NODES.values())
    case = load_case(EXAMPLE_CASES[0])
    assert run(engine, copy.deepcopy(case)) == run(AdvisoryEngine(), case)


def answer_facts(thresholds):
    """A Field fact for each value each answer to a case field could give, but those
    a rule's NOT(Field(...)) matches: the unknown-answer search tries them by whole
    runs, as retracting one puts the rule it blocked back on the agenda
    (``AdvisoryEngine.blocking_answers``; ``could_fire`` refuses them)."""
    blocking = AdvisoryEngine().blocking_answers()
    for spec in field_specs():
        if "[]" in spec.path or spec.kind == "text":
            continue
        for answer in candidate_answers(spec.path, spec, thresholds):
            for value in answer if isinstance(answer, tuple) else (answer,):
                if value not in blocking.get(spec.path, ()):
                    yield Field(path=spec.path, value=value)


def agenda(engine):
    return sorted(
        (activation.rule.__name__, sorted(map(repr, map(ref_of, activation.facts))))
        for activation in engine.agenda.activations
    )


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda path: path.stem)
def test_both_matchers_agree_as_answers_are_declared_and_retracted(engines, path):
    # What the unknown-answer search does: after a run, declare an answer's fact,
    # look at the agenda, retract it. Retracting sends experta's INVALID tokens.
    case = load_case(path)
    thresholds = load_knowledge().thresholds
    for engine in engines:
        engine.infer(case_facts(case, thresholds))
    compared = 0
    for fact in answer_facts(thresholds):
        declared = [engine.declare(fact.copy()) for engine in engines]
        assert agenda(engines[0]) == agenda(engines[1]), fact
        compared += bool(engines[0].agenda.activations)
        for engine, added in zip(engines, declared, strict=True):
            if added is not None:
                engine.retract(added)
        assert agenda(engines[0]) == agenda(engines[1]) == []
    assert compared  # some answers did activate rules


CASES = [pytest.param(load_case, path, id=path.stem) for path in EXAMPLE_CASES] + [
    pytest.param(lambda path: load_scenario(path).case, path, id=path.stem) for path in SCENARIOS
]


@pytest.mark.parametrize(("load", "path"), CASES)
def test_both_matchers_fire_the_same_rules_on_the_same_facts(engines, load, path):
    trace, _ = assert_same_run(engines, load(path))
    assert trace  # the comparison is of real runs


def test_a_network_too_wide_to_route_by_table_still_matches(engines, monkeypatch):
    # Past MAX_ROUTES combinations a DispatchNode works out each fact's children.
    monkeypatch.setattr(matcher, "MAX_ROUTES", 1)
    narrow = AdvisoryEngine()
    dispatch = [n for n in _all_nodes(narrow.matcher.root_node) if isinstance(n, DispatchNode)]
    assert dispatch and all(node._routes is None for node in dispatch)
    for path in EXAMPLE_CASES:
        case = load_case(path)
        assert run(narrow, copy.deepcopy(case)) == run(engines[1], case)


def test_a_reused_engine_matches_as_a_fresh_one(engines):
    # Node memories are emptied on reset: the last case leaves nothing behind.
    cases = [load_case(path) for path in EXAMPLE_CASES]
    first = [run(engines[0], case) for case in cases]
    again = [run(engines[0], case) for case in reversed(cases)]
    assert first == list(reversed(again))
    assert first == [run(AdvisoryEngine(), case) for case in cases]


@SMALL_SAMPLE
@given(case=valid_cases)
def test_both_matchers_agree_on_any_valid_case(engines, case):
    assert_same_run(engines, normalize_case(case))


def test_a_fact_no_pattern_admits_is_told_apart_without_touching_the_network(engines):
    indexed, _ = engines
    indexed.infer([])
    assert indexed.matcher.could_match(Field(path="change.proposed_by", value="external"))
    assert not indexed.matcher.could_match(Field(path="change.summary", value="any text"))
    assert not indexed.matcher.could_match(Field(path="change.proposed_by", value="nobody"))
    assert indexed.facts and not indexed.agenda.activations  # nothing was declared


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda path: path.stem)
def test_every_answer_said_to_match_nothing_lets_no_rule_fire(engines, path):
    # could_match may say yes too often, never no too often: an answer it turns
    # away must not activate any rule when declared.
    indexed, _ = engines
    case = load_case(path)
    thresholds = load_knowledge().thresholds
    indexed.infer(case_facts(case, thresholds))
    turned_away = 0
    for fact in answer_facts(thresholds):
        if not indexed.matcher.could_match(fact):
            turned_away += 1
            declared = indexed.declare(fact)
            assert not indexed.agenda.activations, fact
            if declared is not None:
                indexed.retract(declared)
    assert turned_away  # the check is of real answers
