"""Which questions can still change the advice: the possibility fixpoint over the rules.

The last tests are the proof the interview rests on: for every example case, and for
random cases, every question the interview skipped can be answered any way at all
without changing the advice.
"""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from perencana.engine.api import read_case
from perencana.engine.case.schema import UNKNOWN, field_specs, spec_for
from perencana.engine.interview.relevance import Relevance, asked_regardless, relevance
from perencana.engine.reasoning.advisor import Advisor
from perencana.engine.reasoning.rule_catalog import rule_catalog
from perencana.engine.reasoning.unknowns import candidate_answers
from perencana.engine.view.advice_json import advice_json
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLE_CASES
from tests.test_interview import run_scripted, walk_example

# --------------------------------------------------------------- the brief's examples


def test_no_education_condition_questions_when_no_new_skills_are_needed():
    assert relevance({}).is_relevant("staff.field_experience")
    found = relevance({"change": {"skills_required": "none"}})
    assert not found.is_relevant("staff.field_experience")
    assert not found.is_relevant("staff.authority_to_change")
    assert found.waiting_for("staff.field_experience") == ()
    # involved_in_design is asked all the same: guidance on involving staff reads it.
    assert [r.id for r in found.waiting_for("staff.involved_in_design")] == [
        "guidance_involve_stakeholders_staff"
    ]


def test_education_questions_are_asked_while_new_skills_may_be_needed():
    found = relevance({"change": {"skills_required": "some", "new_staff_required": False}})
    waiting = [rule.id for rule in found.waiting_for("staff.field_experience")]
    assert waiting == [
        "strategy_education_caveat_no_field_experience",
        "strategy_education_first_step_conditions",
    ]


def test_no_consultant_question_when_no_consultant_could_be_recommended():
    answers = {
        "change": {
            "triggers": ["policy-change"],
            "skills_required": "none",
            "new_staff_required": True,
        }
    }
    assert not relevance(answers).is_relevant("partners.consultant_available")
    answers["change"]["triggers"] = ["new-program-data"]
    assert relevance(answers).is_relevant("partners.consultant_available")
    answers["change"].update(triggers=[], skills_required="extensive")
    assert relevance(answers).is_relevant("partners.consultant_available")


def test_no_peer_stronger_question_when_no_peer_is_available():
    assert relevance({}).is_relevant("partners.peer_stronger")
    for answer in (False, UNKNOWN):
        answers = {"partners": {"peer_institution_available": answer}}
        assert not relevance(answers).is_relevant("partners.peer_stronger"), answer


def test_no_agency_question_without_new_staff_or_service_area_expansion():
    answers = {"change": {"triggers": ["policy-change"], "new_staff_required": False}}
    assert not relevance(answers).is_relevant("change.recruitment_via_agency")
    answers["change"]["new_staff_required"] = True
    assert relevance(answers).is_relevant("change.recruitment_via_agency")


# --------------------------------------------------------------- how conditions hold


def test_an_open_field_may_hold_and_an_unknown_one_cannot():
    assert relevance({}).is_relevant("change.pace")  # years to the current state still open
    assert not relevance({"organization": {"years_to_current_state": UNKNOWN}}).is_relevant(
        "change.pace"
    )


def test_numbers_are_compared_by_their_band():
    thresholds = load_knowledge().thresholds
    long_from = next(
        band["below"]
        for entry in thresholds["bands"]
        if entry["path"] == "organization.years_to_current_state"
        for band in entry["bands"]
        if "below" in band
    )
    short = {"organization": {"years_to_current_state": long_from - 1}}
    long = {"organization": {"years_to_current_state": long_from}}
    assert not relevance(short).is_relevant("change.pace")
    assert relevance(long).is_relevant("change.pace")


def test_list_answers_hold_when_a_member_does():
    fixed_sunk = {"funding": {"funds_for_change": "sufficient", "seen_as_costly": False}}
    assert not relevance(fixed_sunk).is_relevant("funding.sunk_investments")
    found = relevance({"funding": {"funds_for_change": "none"}, "change": {"triggers": []}})
    assert found.is_relevant("funding.sunk_investments")
    rules = {rule.id for rule in found.may_fire}
    assert "cause_financial_funding_trigger" not in rules  # the empty list has no member
    assert "cause_financial_no_funds" in rules


def test_concluded_facts_follow_from_the_rules_that_may_fire():
    found = relevance(
        {
            "change": {"skills_required": "none", "new_staff_required": False},
        }
    )
    assert "management-disruption" not in found.possible["cause"]
    assert not found.is_relevant("resources.unclear_task_division")
    assert "education" not in found.possible["recommendation"]
    open_case = relevance({})
    assert open_case.possible["cause"] == open_case.possible["evidence"]
    assert {"financial", "management-disruption"} <= open_case.possible["cause"]


def test_stakeholder_conditions_follow_the_list():
    rule = "strategy_affected_losers"
    assert rule in _ids(relevance({}))  # not asked yet
    assert rule not in _ids(relevance({"stakeholders": UNKNOWN}))
    assert rule not in _ids(relevance({"stakeholders": []}, closed={"stakeholders"}))
    happy = [{"name": "a", "directly_affected": True, "impact": "positive"}]
    assert rule in _ids(relevance({"stakeholders": happy}))  # another may still be added
    assert rule not in _ids(relevance({"stakeholders": happy}, closed={"stakeholders"}))
    open_item = [{"name": "a", "directly_affected": True}]
    assert rule in _ids(relevance({"stakeholders": open_item}, closed={"stakeholders"}))


def test_a_program_answer_that_cannot_change_its_performance_is_not_asked():
    low = {"programs": [{"name": "p", "viable": True, "effectiveness": "low"}]}
    assert not relevance(low).is_relevant("programs[0].efficiency")
    for effectiveness in ("adequate", "high", UNKNOWN):
        answers = {"programs": [{"name": "p", "effectiveness": effectiveness}]}
        assert relevance(answers).is_relevant("programs[0].efficiency"), effectiveness
    assert relevance({"programs": [{"name": "p"}]}).is_relevant("programs[0].effectiveness")


def test_the_questions_come_from_the_rules_not_from_a_list():
    """Without the rules that read peer_stronger, it is never asked."""
    catalog = tuple(
        rule
        for rule in rule_catalog()
        if all(c.field_path != "partners.peer_stronger" for c in rule.conditions)
    )
    thresholds = load_knowledge().thresholds
    assert not Relevance({}, frozenset(), thresholds, catalog).is_relevant("partners.peer_stronger")
    assert Relevance({}, frozenset(), thresholds).is_relevant("partners.peer_stronger")


def test_required_and_shown_fields_are_always_asked():
    everything_unknown = {
        "organization": {"years_to_current_state": UNKNOWN, "formalized_procedures": UNKNOWN},
        "change": {"skills_required": UNKNOWN, "new_staff_required": UNKNOWN},
    }
    found = relevance(everything_unknown)
    for spec in field_specs():
        if "[]" in spec.path:
            continue
        if spec.required or spec.kind == "text":
            assert asked_regardless(spec), spec.path
            assert found.is_relevant(spec.path), spec.path
    assert found.is_relevant("organization.type")  # the memo shows it
    assert asked_regardless(spec_for("organization.type")) == "shown"
    assert asked_regardless(spec_for("stakeholders[].name")) == "required"


def test_possibility_only_shrinks_as_answers_come_in():
    smaller = relevance({"change": {"skills_required": "none"}})
    larger = relevance({})
    assert set(_ids(smaller)) <= set(_ids(larger))


def _ids(found):
    return [rule.id for rule in found.may_fire]


# --------------------------------------------------------------- the proof


def _said(advice):
    """Everything the advice says, without how it got there."""
    data = advice_json(advice)
    data.pop("trace")
    return advice.signature(), data


def _answers_to_try(path):
    spec = spec_for(path)
    if spec.kind == "enum-list":
        return (*candidate_answers(path, spec, load_knowledge().thresholds), UNKNOWN)
    if spec.kind == "count":
        return (*candidate_answers(path, spec, load_knowledge().thresholds), UNKNOWN)
    return (*spec.answers, UNKNOWN)


def _with(case, path, answer):
    changed = copy.deepcopy(case)
    head, _, name = path.rpartition(".")
    if "[" in head:
        section, _, index = head.partition("[")
        changed[section][int(index.rstrip("]"))][name] = answer
    else:
        changed[head][name] = list(answer) if isinstance(answer, tuple) else answer
    return changed


def _check_skipped(advisor, case, run):
    """Every answer to every question the interview skipped leaves the advice as it is."""
    interviewed = run.interview.final_case()
    said = _said(advisor.advise(interviewed))
    tried = 0
    for path in run.interview.skipped():
        if "." not in path:  # a whole list not asked: try it with one open item
            variants = [_with_list(interviewed, path)]
        else:
            variants = [_with(interviewed, path, a) for a in _answers_to_try(path)]
        for variant in variants:
            assert _said(advisor.advise(variant)) == said, (path, variant)
            tried += 1
    return tried


def _with_list(case, section):
    changed = copy.deepcopy(case)
    names = [s.path.rpartition(".")[2] for s in field_specs() if s.path.startswith(section)]
    changed[section] = [{name: UNKNOWN for name in names} | {"name": "?"}]
    return changed


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_every_skipped_question_of_an_example_cannot_change_its_advice(advisor, path):
    case = read_case(path)
    run = walk_example(path, advisor).run
    # Some examples need every answer (each one bears on the advice); most skip some.
    assert (_check_skipped(advisor, case, run) > 0) == bool(run.interview.skipped())


def test_most_examples_skip_a_question_that_cannot_change_their_advice(advisor):
    skipping = [p for p in EXAMPLE_CASES if walk_example(p, advisor).run.interview.skipped()]
    assert len(skipping) > len(EXAMPLE_CASES) / 2


def _random_cases():
    def answer(spec):
        if spec.kind == "boolean":
            return st.sampled_from([True, False, UNKNOWN])
        if spec.kind == "enum":
            options = list(spec.choices) if spec.required else [*spec.answers, UNKNOWN]
            return st.sampled_from(options)
        if spec.kind == "count":
            return st.integers(min_value=0, max_value=40)
        if spec.kind == "enum-list":
            return st.lists(st.sampled_from(spec.choices), unique=True, max_size=3)
        return st.just("text")

    def section(prefix):
        specs = [s for s in field_specs() if s.path.startswith(prefix + ".")]
        return st.fixed_dictionaries({s.path.rpartition(".")[2]: answer(s) for s in specs})

    def items(prefix):
        return st.one_of(st.just(UNKNOWN), st.lists(section(prefix), max_size=2))

    def within_age(case):  # never more years to its present state than its age
        organization = case["organization"]
        years = organization["years_to_current_state"]
        if years != UNKNOWN:
            organization["years_to_current_state"] = min(years, organization["age_years"])
        return case

    return st.fixed_dictionaries(
        {
            "organization": section("organization"),
            "change": section("change"),
            "funding": section("funding"),
            "resources": section("resources"),
            "staff": section("staff"),
            "stakeholders": items("stakeholders[]"),
            "programs": items("programs[]"),
            "partners": section("partners"),
            "planner": section("planner"),
        }
    ).map(within_age)


# Ten random cases (there were 25): the proof is per case, each costs a whole
# interview and an inference per answer tried, and the examples' proof above tries
# every answer to every skipped question of all eleven examples.
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=_random_cases())
def test_skipped_questions_of_random_cases_cannot_change_the_advice(case):
    advisor = Advisor()
    run = run_scripted(case)
    assert advisor.infer(run.interview.final_case()).signature() == (
        advisor.infer(case).signature()
    )
    interviewed = run.interview.final_case()
    signature = advisor.infer(interviewed).signature()
    for path in run.interview.skipped():
        if "." not in path:
            continue
        for answer in _answers_to_try(path):
            changed = _with(interviewed, path, answer)
            assert advisor.infer(changed).signature() == signature, (path, answer)
