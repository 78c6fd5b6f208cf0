"""The engine's shortcuts give what experta's own way gives.

Each shortcut of the engine's hot paths (``experta_ext``, ``reasoning.inference``) is
held here to the straightforward way it stands for: a fact's tests without their log
lines, a reset of only the nodes with a memory, a run that does not word each firing
for a silent logger, and retractions that bring the agenda up to date once.
"""

import copy
import logging

import pytest
from experta import Fact, L, W, watchers
from experta.factlist import FactList
from experta.matchers.rete.check import FeatureCheck
from experta.matchers.rete.mixins import NoMemory

from perencana.engine.case.loader import load_case
from perencana.engine.experta_ext import matcher as matcher_module
from perencana.engine.experta_ext.engine import QuickFactList
from perencana.engine.experta_ext.matcher import (
    QUIET_NODES,
    FastFeatureTesterNode,
    _all_nodes,
    _passes_to_a_join,
    quiet_test,
)
from perencana.engine.reasoning.advice_builder import facts_by_type
from perencana.engine.reasoning.case_facts import case_facts
from perencana.engine.reasoning.facts import Field, Program, Stakeholder
from perencana.engine.reasoning.inference import AdvisoryEngine, content_key
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLE_CASES
from tests.test_inference import snapshot
from tests.test_matcher import answer_facts


@pytest.fixture(scope="module")
def engine():
    return AdvisoryEngine()


def feature_nodes(engine):
    return [
        node
        for node in _all_nodes(engine.matcher.root_node)
        if isinstance(node, FastFeatureTesterNode)
    ]


def facts_to_test(engine):
    """Every fact the runs of the examples leave, every answer's fact, and odd ones."""
    thresholds = load_knowledge().thresholds
    facts = []
    for path in EXAMPLE_CASES:
        facts += engine.infer(case_facts(load_case(path), thresholds))
    facts += answer_facts(thresholds)
    facts += [
        Field(path="change.proposed_by"),  # no value
        Field(value="external"),  # no path
        Field(path=["not", "hashable"], value={"a": 1}),
        Stakeholder(index=0, name="?"),
        Program(index=0, name="?", viable=True),
    ]
    return facts


def test_a_fact_s_quiet_tests_give_what_experta_s_checks_give(engine):
    nodes = feature_nodes(engine)
    assert nodes and all(node.test is not node.matcher for node in nodes)
    for fact in facts_to_test(engine):
        for node in nodes:
            assert node.test(fact) == node.matcher(fact), (node.matcher, fact)


@pytest.mark.parametrize(
    ("what", "fact"),
    [
        ("a__b", {"a": {"b": 1}}),  # a nested key
        ("a__0", {"a": [1, 2]}),  # a numeric part is an index
        ("a__1", {"a": [1]}),  # an index past the end fails the test
        ("a__b", {"a": 3}),  # a value that cannot be indexed fails it
        ("__factid__", {"x": 1}),  # experta tests the whole fact
        (0, {0: 1}),  # a positional key
        (0, {}),
    ],
)
def test_a_quiet_key_test_reads_a_key_as_experta_does(what, fact):
    for value in (1, "x", (1, 2)):
        check = FeatureCheck(what, value)
        assert quiet_test(check)(fact) == check(fact)


def test_while_experta_logs_its_checks_the_network_uses_them():
    watchers.MATCH.setLevel(logging.INFO)
    try:
        logged = AdvisoryEngine()
    finally:
        watchers.MATCH.setLevel(logging.NOTSET)
    assert all(node.test is node.matcher for node in feature_nodes(logged))


def test_a_reset_empties_every_node_that_has_a_memory(engine):
    engine.infer(case_facts(load_case(EXAMPLE_CASES[0]), load_knowledge().thresholds))
    engine.matcher.reset()
    for node in _all_nodes(engine.matcher.root_node):
        if isinstance(node, NoMemory):
            continue
        memories = [
            getattr(node, name)
            for name in ("memory", "left_memory", "right_memory")
            if hasattr(node, name)
        ]
        assert memories and not any(memories), node


def test_a_run_watched_by_experta_s_rules_logger_fires_the_same_rules(engine, caplog):
    case = load_case(EXAMPLE_CASES[0])
    facts = case_facts(case, load_knowledge().thresholds)
    engine.infer(copy.deepcopy(facts))
    quiet = [(step.rule, step.concluded) for step in engine.trace]
    watchers.RULES.setLevel(logging.INFO)
    try:
        with caplog.at_level(logging.INFO, logger=watchers.RULES.name):
            engine.infer(copy.deepcopy(facts))
    finally:
        watchers.RULES.setLevel(logging.NOTSET)
    assert [(step.rule, step.concluded) for step in engine.trace] == quiet
    fired = [record.getMessage() for record in caplog.records if "FIRE" in record.getMessage()]
    assert len(fired) == len(quiet)  # experta's own loop ran and logged each firing


@pytest.mark.parametrize("path", EXAMPLE_CASES[:3], ids=lambda path: path.stem)
def test_a_probe_answers_as_declaring_and_retracting_one_fact_at_a_time_does(engine, path):
    thresholds = load_knowledge().thresholds
    engine.infer(case_facts(load_case(path), thresholds))
    before = snapshot(engine)
    for fact in answer_facts(thresholds):
        # The straightforward way: declare, look at the agenda, retract, one by one.
        declared = engine.declare(fact.copy())
        fires = bool(engine.agenda.activations)
        if declared is not None:
            engine.retract(declared)
        assert snapshot(engine) == before
        assert engine.could_fire([fact.copy()]) == fires, fact
        assert snapshot(engine) == before


@pytest.mark.parametrize("path", EXAMPLE_CASES[:3], ids=lambda path: path.stem)
def test_a_run_on_s_new_facts_extend_the_last_memory_class_by_class(engine, path):
    # What the unknown-answer search builds its signature from: the last run's memory
    # by class, each class extended by the new facts, is the whole memory by class.
    thresholds = load_knowledge().thresholds
    engine.infer(case_facts(load_case(path), thresholds))
    base = facts_by_type(engine.memory())
    ran = 0
    for fact in answer_facts(thresholds):
        whole = engine.infer_added([fact.copy()])
        new = engine.infer_added([fact.copy()], new_only=True)
        extended = dict(base)
        for kind, facts in facts_by_type(new).items():
            extended[kind] = [*base.get(kind, ()), *facts]
        assert {kind: list(map(repr, facts)) for kind, facts in extended.items()} == {
            kind: list(map(repr, facts)) for kind, facts in facts_by_type(whole).items()
        }
        ran += len(new) > 1
    assert ran  # some answers let rules conclude


def test_a_fact_s_key_is_worked_out_once_and_is_its_content_key(engine):
    engine.infer(case_facts(load_case(EXAMPLE_CASES[0]), load_knowledge().thresholds))
    for fact in engine.memory():
        assert engine.key_of(fact) == content_key(fact)
        assert engine.key_of(fact) is engine.key_of(fact)


def test_the_network_joins_and_collects_activations_without_log_lines(engine):
    # test_matcher.py compares every run of these nodes with experta's own network.
    kinds = {type(node) for node in _all_nodes(engine.matcher.root_node)}
    assert set(QUIET_NODES.values()) <= kinds
    watchers.MATCH.setLevel(logging.INFO)
    try:
        logged = AdvisoryEngine()
    finally:
        watchers.MATCH.setLevel(logging.NOTSET)
    assert not {type(node) for node in _all_nodes(logged.matcher.root_node)} & set(
        QUIET_NODES.values()
    )


@pytest.mark.parametrize(
    "fact",
    [
        Field(path="change.scope", value="local", band=None),
        Stakeholder(index=0, name="a", directly_affected=True, impact="negative"),
        Field(path="change.scope", value=L("local") | L("wide")),  # a rule's pattern
        Field(path=W()),
        Field(path="a__b"),  # a key with a double underscore in its value only
        Fact(**{"a__b": 1}),
        Field(**{"a__b": 1}),  # a nested accessor
        Field(**{"a__b": 1, "c": 2}),
        Field(1, 2),
    ],
)
def test_a_plain_fact_s_checks_answer_as_experta_s(fact):
    for _ in range(2):  # the second time from what the first worked out
        assert fact.has_field_constraints() == Fact.has_field_constraints(fact)
        assert fact.has_nested_accessor() == Fact.has_nested_accessor(fact)


def test_the_fact_list_tells_facts_apart_as_experta_s(engine):
    facts = facts_to_test(engine) + [Fact(1, 2, __bind__="x"), Field(**{"__x": 1, "y__": 2})]
    assert type(engine.facts) is QuickFactList
    for fact in facts:
        assert QuickFactList._get_fact_id(fact) == FactList._get_fact_id(fact)


def test_a_probe_s_answer_kept_for_a_fact_alike_is_the_one_worked_out(engine, monkeypatch):
    monkeypatch.setattr(matcher_module, "MAX_KEPT_ANSWERS", 50)
    engine.matcher._answers.clear()
    facts = facts_to_test(engine)
    for _ in range(2):  # the second time, the kept answers
        for fact in facts:
            assert engine.matcher.could_match(fact) == _passes_to_a_join(
                engine.matcher.root_node, fact
            ), fact
    assert len(engine.matcher._answers) == 50  # no more than the most kept
