"""The advisor's search for the unknown answers that would change the advice.

``Advisor.unknowns_that_matter`` runs the rules again only for answers that could let
a rule fire or take away a fact a rule used. These tests hold it to the plain
definition: run the rules again for every answer of every unknown field.
"""

import pytest
from experta import AS, NOT, Fact, Rule

from perencana.engine.case.loader import load_case
from perencana.engine.case.schema import spec_for
from perencana.engine.reasoning.advice import UnknownFinding
from perencana.engine.reasoning.advisor import Advisor
from perencana.engine.reasoning.facts import Cause, Field, Program, Stakeholder
from perencana.engine.reasoning.inference import AdvisoryEngine
from perencana.engine.reasoning.unknowns import (
    ONE_ITEM,
    candidate_answers,
    with_answer,
)
from perencana.engine.teaching.scenarios import load_scenario
from tests.conftest import make_case
from tests.helpers import EXAMPLE_CASES, ROOT

SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))


def every_answer_tried(advisor, case):
    """The unknowns that matter, by definition: a fresh run for each answer (of the
    fields reported when unknown: see ``Advisor.reported_unknowns``)."""
    signature = advisor.infer(case).signature()
    found = []
    for path in advisor.reported_unknowns(case):
        spec = None if "." not in path else spec_for(path)
        changing = [
            answer
            for answer in candidate_answers(path, spec, advisor.knowledge.thresholds)
            if advisor.infer(with_answer(case, path, answer)).signature() != signature
        ]
        if changing:
            found.append(UnknownFinding(path=path, changing_answers=changing))
    return found


def cases_to_check():
    for path in EXAMPLE_CASES:
        yield pytest.param(lambda path=path: load_case(path), id=path.stem)
    for path in SCENARIOS:
        yield pytest.param(lambda path=path: load_scenario(path).case, id=path.stem)


@pytest.mark.parametrize("load", list(cases_to_check()))
def test_the_unknowns_found_are_those_a_run_per_answer_finds(advisor, load):
    case = load()
    assert advisor.advise(case).unknowns == every_answer_tried(advisor, case)


def test_an_unknown_program_performance_that_would_change_a_decision_is_reported(advisor):
    # The old Program fact (performance unknown) is replaced, not added to: the
    # answer "low" turns a kept program into one to replace.
    case = make_case(
        programs=[
            {
                "name": "home visits",
                "viable": True,
                "effectiveness": "unknown",
                "efficiency": "high",
            }
        ]
    )
    found = {u.path: u.changing_answers for u in advisor.advise(case).unknowns}
    assert found == {u.path: u.changing_answers for u in every_answer_tried(advisor, case)}
    assert "programs[0].effectiveness" in found


class EngineWithARuleOnAnUnknown(AdvisoryEngine):
    """The shipped rules but the one on any program, and one more, which fires on a
    program whose performance is unknown: an answer then takes away a fact that a
    rule used, and no rule fires on the answered program instead."""

    strategy_program_review = None

    @Rule(AS.p << Program(performance="unknown"))
    def guidance_for_unknown_performance(self, p):
        self.guide("facilitator", p)


def test_an_answer_that_takes_away_a_fact_a_rule_used_is_tried():
    advisor = Advisor()
    advisor.engine = EngineWithARuleOnAnUnknown()
    # With viable unknown too, no shipped rule fires on the answered program: only
    # the loss of the old fact changes the advice.
    case = make_case(
        programs=[
            {
                "name": "home visits",
                "viable": "unknown",
                "effectiveness": "unknown",
                "efficiency": "high",
            }
        ]
    )
    found = {u.path: u.changing_answers for u in advisor.advise(case).unknowns}
    assert found == {u.path: u.changing_answers for u in every_answer_tried(advisor, case)}
    assert found["programs[0].effectiveness"] == ["low", "adequate", "high"]


def test_an_unknown_that_no_rule_could_use_is_not_reported(advisor):
    case = make_case()
    advice = advisor.advise(case)
    assert advice.unknowns == every_answer_tried(advisor, case)
    assert "change.summary" not in {u.path for u in advice.unknowns}


def test_the_negations_in_the_rules_are_those_the_search_knows(advisor):
    # The search above runs on from the last run's memory, which is exact only while
    # the rules are monotonic: a rule that fired on fewer facts fires on more. A NOT
    # on the Cause the rule itself concludes keeps that; a NOT on a case field does
    # not, and the search tries the answers it matches by a whole run of their own
    # (``AdvisoryEngine.blocking_answers``). A NOT on anything else would break it.
    negations = {
        rule.__name__: [type(pattern[0]) for pattern in rule if isinstance(pattern, NOT)]
        for rule in advisor.engine.get_rules()
    }
    assert {name: kinds for name, kinds in negations.items() if kinds} == {
        "cause_present": [Cause],
        "strategy_expand_service_area": [Field],
    }
    assert advisor.engine.blocking_answers() == {"change.new_staff_required": {False}}


def test_the_shortcuts_refuse_an_answer_that_may_block_a_rule(advisor):
    # Declared and taken out again, it would put the rule it blocked back on the
    # agenda, to fire a second time on the next run on.
    advisor.infer(make_case({"change.triggers": ["service-area-expansion"]}))
    blocking = Field(path="change.new_staff_required", value=False)
    with pytest.raises(ValueError, match="may block a rule"):
        advisor.engine.could_fire([blocking])
    with pytest.raises(ValueError, match="may block a rule"):
        advisor.engine.infer_added([blocking], only_if_fires=True)
    assert not advisor.engine.agenda.activations  # refused before anything was declared


def test_an_answer_that_blocks_a_rule_is_found_as_a_run_per_answer_finds_it(advisor):
    # A larger service area calls for more experts unless the change needs no new
    # staff: with that answer unknown, "no" takes the strategy away, and "yes" adds a
    # reason to it when disruption to management is a cause.
    case = make_case(
        {
            "change.triggers": ["service-area-expansion"],
            "change.skills_required": "extensive",
            "organization.age_years": 30,
        }
    )
    assert case["change"]["new_staff_required"] == "unknown"
    advice = advisor.advise(case)
    assert "expand-expertise" in {s.id for s in advice.strategies}
    found = {u.path: u.changing_answers for u in advice.unknowns}
    assert found == {u.path: u.changing_answers for u in every_answer_tried(advisor, case)}
    assert False in found["change.new_staff_required"]
    # The engine's memory is the case's again afterwards, as after ``infer``.
    searched = [step.rule for step in advisor.engine.trace]
    advisor.infer(case)
    assert searched == [step.rule for step in advisor.engine.trace]
    without = advisor.advise(with_answer(case, "change.new_staff_required", False))
    assert "expand-expertise" not in {s.id for s in without.strategies}


def test_items_alike_but_for_their_name_are_all_reported_as_one_of_them_is(advisor):
    # Each answer is tried on the first of such twins only; the others get its verdict.
    unknown_impact = {"directly_affected": True, "impact": "unknown"}
    unknown_viable = {"viable": "unknown", "effectiveness": "low", "efficiency": "high"}
    case = make_case(
        stakeholders=[
            {"name": "clients", **unknown_impact},
            {"name": "staff", "directly_affected": "unknown", "impact": "negative"},
            {"name": "families", **unknown_impact},
            {"name": "volunteers", **unknown_impact},
        ],
        programs=[
            {"name": "home visits", **unknown_viable},
            {"name": "day care", "viable": True, "effectiveness": "unknown", "efficiency": "low"},
            {"name": "meals", **unknown_viable},
        ],
    )
    found = {u.path: u.changing_answers for u in advisor.advise(case).unknowns}
    assert found == {u.path: u.changing_answers for u in every_answer_tried(advisor, case)}
    twins = ["stakeholders[0].impact", "stakeholders[2].impact", "stakeholders[3].impact"]
    assert [found.get(path) for path in twins] == [found["stakeholders[0].impact"]] * 3
    assert found["stakeholders[0].impact"]  # the verdict shared is that it matters
    assert found["programs[0].viable"] == found["programs[2].viable"]
    assert found["programs[0].viable"]


def patterns(element):
    """Every fact pattern in a rule's left-hand side, however deep."""
    if isinstance(element, Fact):
        yield element
    elif isinstance(element, tuple):  # experta's conditional elements are tuples
        for part in element:
            yield from patterns(part)


def test_no_rule_tells_listed_items_apart_by_their_name_or_place(advisor):
    # What lets the search above try an answer on one of several twins only.
    checked = 0
    for rule in advisor.engine.get_rules():
        for pattern in patterns(rule):
            if isinstance(pattern, (Stakeholder, Program)):
                checked += 1
                assert not {"name", "index"} & set(pattern), (rule.__name__, pattern)
    assert checked >= 5  # the rules on stakeholders and programs were all seen


def test_a_list_left_unknown_is_tried_with_one_item_about_which_nothing_is_known(advisor):
    case = make_case(
        {"change.proposed_by": "external", "funding.funds_for_change": "none"},
        stakeholders="unknown",
        programs="unknown",
    )
    advice = advisor.advise(case)
    assert advice.unknowns == every_answer_tried(advisor, case)
    # One program, even one about which nothing is known, is reviewed (¶72).
    assert {u.path: u.changing_answers for u in advice.unknowns}["programs"] == [ONE_ITEM]


def test_the_search_s_signature_is_the_full_advice_s(advisor):
    """The search works out only what it compares (``advice_signature``); for every
    answer of every unknown of varied cases, that is the full advice's signature."""
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import normalize_case, validate_case
    from perencana.engine.reasoning.advice_builder import advice_signature, build_advice
    from perencana.engine.reasoning.case_facts import case_facts
    from tests.generated_cases import varied_case

    knowledge, compared = advisor.knowledge, 0

    def same(case):
        memory = advisor.engine.infer(case_facts(case, knowledge.thresholds))
        full = build_advice(case, memory, [], knowledge).signature()
        assert advice_signature(case, memory, knowledge) == full
        return 1

    for number in range(40):
        raw = varied_case(number, field_specs())
        if validate_case(raw):
            continue
        case = normalize_case(raw)
        compared += same(case)
        for path in advisor.reported_unknowns(case):
            spec = None if "." not in path else spec_for(path)
            for answer in candidate_answers(path, spec, knowledge.thresholds):
                compared += same(with_answer(case, path, answer))
    assert compared > 500


def test_answers_that_replace_a_fact_a_rule_used_find_what_a_run_per_answer_finds():
    """An answer to a listed item's field replaces the item's fact; the search takes
    the fact and what only it supported out of the last run's memory (no fresh run)
    and puts them back afterwards. Over varied generated cases, what it finds is what
    a fresh run per answer finds, and each case's memory is put back as it was."""
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import normalize_case, validate_case
    from perencana.engine.reasoning.inference import content_key
    from tests.generated_cases import varied_case

    advisor = Advisor()
    engine = advisor.engine
    taken_out = []
    retract_supported = engine.retract_supported

    def counted(removed):
        taken_out.append(removed)
        return retract_supported(removed)

    engine.retract_supported = counted
    checked = 0
    for number in range(100):
        raw = varied_case(number, field_specs())
        if validate_case(raw):
            continue
        case = normalize_case(raw)
        advice = advisor.infer(case)
        memory = sorted(map(repr, map(content_key, engine.memory())))
        for fact in engine.memory():
            assert content_key(fact) == (type(fact), frozenset(fact.as_dict().items()))
        before = len(taken_out)
        found = advisor.unknowns_that_matter(case, advice)
        if len(taken_out) == before:
            continue
        assert sorted(map(repr, map(content_key, engine.memory()))) == memory
        assert found == every_answer_tried(advisor, case), number
        checked += 1
    assert checked >= 60, checked
