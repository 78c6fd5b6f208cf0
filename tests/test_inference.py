"""The engine's runs: a fresh run, a run on from the last one, a probe."""

import pytest

from perencana.engine.case.loader import load_case
from perencana.engine.reasoning.case_facts import case_facts
from perencana.engine.reasoning.facts import Field
from perencana.engine.reasoning.inference import AdvisoryEngine
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLES


def snapshot(engine):
    return (
        {fact_id: repr(fact) for fact_id, fact in engine.facts.items()},
        list(engine.agenda.activations),
        [(step.rule, step.concluded) for step in engine.trace],
        set(engine.used_fact_ids),
    )


def contents(memory):
    return sorted(repr(fact).split(": ", 1)[-1] for fact in memory)


@pytest.fixture
def engine_after_a_run():
    engine = AdvisoryEngine()
    case = load_case(EXAMPLES / "ngo-hurting-stakeholders.yaml")
    facts = case_facts(case, load_knowledge().thresholds)
    # staff.authority_to_change is unknown in this example, and false would matter.
    assert not any(fact["path"] == "staff.authority_to_change" for fact in facts if "path" in fact)
    engine.infer(facts)
    return engine, facts


def test_a_run_on_with_more_facts_concludes_what_a_fresh_run_does(engine_after_a_run):
    engine, facts = engine_after_a_run
    answer = Field(path="staff.authority_to_change", value=False)
    memory = engine.infer_added([answer])
    fresh = AdvisoryEngine().infer([*facts, Field(path="staff.authority_to_change", value=False)])
    assert contents(memory) == contents(fresh)
    assert len(memory) > len(facts)  # the answer let rules fire


def test_a_run_on_leaves_the_engine_as_the_last_run_left_it(engine_after_a_run):
    engine, _ = engine_after_a_run
    before = snapshot(engine)
    engine.infer_added([Field(path="staff.authority_to_change", value=False)])
    assert snapshot(engine) == before
    assert before[1] == []  # a finished run leaves nothing on the agenda


def test_a_probe_says_whether_a_fact_lets_a_rule_fire_and_changes_nothing(engine_after_a_run):
    engine, _ = engine_after_a_run
    before = snapshot(engine)
    assert engine.could_fire([Field(path="staff.authority_to_change", value=False)])
    assert not engine.could_fire([Field(path="change.summary", value="anything")])
    assert snapshot(engine) == before


def test_a_run_on_only_if_rules_fire_gives_nothing_for_facts_no_rule_takes_up(
    engine_after_a_run,
):
    engine, facts = engine_after_a_run
    before = snapshot(engine)
    # Matches no pattern at all, and matches one but activates nothing new.
    assert engine.infer_added([Field(path="change.summary", value="x")], only_if_fires=True) is None
    assert engine.infer_added([facts[0].copy()], only_if_fires=True) is None
    assert snapshot(engine) == before
    answer = Field(path="staff.authority_to_change", value=False)
    memory = engine.infer_added([answer], only_if_fires=True)
    assert contents(memory) == contents(engine.infer_added([answer]))
    assert snapshot(engine) == before


def test_conclusions_no_rule_matches_are_kept_out_of_working_memory(engine_after_a_run):
    engine, _ = engine_after_a_run
    in_memory = {type(fact).__name__ for fact in engine.facts.values()}
    kept = {type(fact).__name__ for fact in engine.kept.values()}
    assert kept == {"Recommendation", "Caveat", "Decision", "Guidance"}
    assert in_memory.isdisjoint(kept)
    assert {"Field", "Evidence", "Cause", "Recommended", "Lifecycle"} <= in_memory
    # Kept once, as working memory keeps a fact: the run reports each once.
    assert len(engine.memory()) == len(set(map(repr, engine.memory())))
