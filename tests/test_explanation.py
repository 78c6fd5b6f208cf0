"""perencana.engine.teaching.explanation: how each conclusion was reached, and why one was not."""

import json

import pytest

from perencana.engine.case.loader import load_case
from perencana.engine.reasoning.facts import FactRef
from perencana.engine.reasoning.rule_catalog import rules_by_id
from perencana.engine.teaching.explanation import (
    Explainer,
    ExplainError,
    explain_case,
    render_explanation,
    rule_statements,
    run_case,
    strip_citations,
)
from perencana.engine.view.advice_json import fact_text
from tests.conftest import make_case
from tests.helpers import EXAMPLE_CASES, EXAMPLES

YOUNG = EXAMPLES / "young-community-group.yaml"
OLD_OFFICE = EXAMPLES / "old-government-office.yaml"
PROGRAM_REVIEW = EXAMPLES / "program-review.yaml"


def explainer(advisor, case, lang="en"):
    advice, facts = run_case(advisor, case)
    return Explainer(advice, facts, advisor.knowledge, lang, "case.yaml")


def only_item(model):
    assert len(model["items"]) == 1, [item["id"] for item in model["items"]]
    return model["items"][0]


def all_steps(steps):
    """Every step of a chain, nested ones included."""
    for step in steps:
        yield step
        for fact in step["facts"]:
            yield from all_steps(fact.get("reached_by", []))


def matched(steps):
    return [fact["fact"] for step in steps for fact in step["facts"]]


def condition(rule_check, text_part):
    found = [c for c in rule_check["conditions"] if text_part in c["text"]]
    assert len(found) == 1, [c["text"] for c in rule_check["conditions"]]
    return found[0]


def rule_check(item, rule):
    found = [r for r in item["why_not"]["rules"] if r["rule"] == rule]
    assert len(found) == 1, [r["rule"] for r in item["why_not"]["rules"]]
    return found[0]


# --------------------------------------------------------------------------- how


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_every_strategy_is_explained_by_its_rules_and_facts(advisor, path):
    advice, facts = run_case(advisor, load_case(path))
    model = Explainer(advice, facts, advisor.knowledge, "en", str(path)).explain()
    items = {(item["kind"], item["id"]): item for item in model["items"]}
    for strategy in advice.strategies:
        item = items[("strategy", strategy.id)]
        assert item["concluded"]
        assert list(dict.fromkeys(step["rule"] for step in item["steps"])) == strategy.rules
        facts_matched = matched(item["steps"])
        for reason in strategy.because:
            # A cause named as a reason is matched as the Cause fact it stands for.
            expected = FactRef("cause", value=reason.value) if reason.kind == "cause-id" else reason
            assert fact_text(expected) in facts_matched, (strategy.id, reason)
        assert all(step["statement"] and step["sources"] for step in item["steps"])


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_every_conclusion_of_the_advice_has_a_section(advisor, path):
    advice, facts = run_case(advisor, load_case(path))
    model = Explainer(advice, facts, advisor.knowledge, "en", str(path)).explain()
    ids = [(item["kind"], item["id"]) for item in model["items"]]
    assert ids[0][0] == "lifecycle"
    assert [key for kind, key in ids if kind == "cause"] == [c.id for c in advice.causes]
    assert [key for kind, key in ids if kind == "strategy"] == [s.id for s in advice.strategies]
    assert [key for kind, key in ids if kind == "guidance"] == [g.id for g in advice.guidance]
    decided = [p.name for p in advice.programs]
    programs = [item for item in model["items"] if item["kind"] == "program"]
    assert [p["id"] for p in programs if p["concluded"]] == decided
    for cause in advice.causes:
        item = next(i for i in model["items"] if i["kind"] == "cause" and i["id"] == cause.id)
        rules = [step["rule"] for step in item["steps"]]
        assert set(cause.rules) <= set(rules) and "cause_present" in rules
        concluded = [f["fact"] for step in item["steps"] for f in step["concluded"]]
        for evidence in cause.evidence:
            # A life-cycle stage that moved the strength is shown by the rule concluding it.
            assert fact_text(evidence) in matched(item["steps"]) + concluded


def test_a_strategy_on_a_cause_shows_the_rules_behind_the_cause_beneath_it(advisor):
    item = only_item(explainer(advisor, load_case(YOUNG)).explain("adapt-to-resources"))
    step = next(s for s in item["steps"] if s["rule"] == "strategy_adapt_short_funds")
    cause = next(f for f in step["facts"] if f["fact"] == "cause financial")
    assert cause["text"] == "Cause of resistance present: Cost and funding"
    assert [s["rule"] for s in cause["reached_by"]] == [
        "cause_financial_partial_funds",
        "cause_present",
    ]
    evidence = cause["reached_by"][0]
    assert evidence["facts"][0]["fact"] == "funding.funds_for_change = partial"
    assert evidence["facts"][0]["ref"] == "funding.funds_for_change"
    assert evidence["sources"] == [55] and evidence["sources_text"] == "¶55"
    # cause_present matched the evidence concluded just above: not explained twice.
    assert cause["reached_by"][1]["facts"][0]["explained_above"]


def test_chains_go_down_to_the_life_cycle_stage(advisor):
    item = only_item(explainer(advisor, load_case(OLD_OFFICE)).explain("gradual-change"))
    rules = [step["rule"] for step in all_steps(item["steps"])]
    assert "lifecycle_established_by_procedures" in rules
    assert "cause_status_quo_rapid_pace" in rules
    caveats = [step["rule"] for step in item["qualifiers"]]
    # The office carries out a policy change: the caveat worded for a mandate replaces
    # the usual one, whose rule fired too and is explained as replaced.
    assert caveats == ["strategy_gradual_caveat_scope_mandated", "strategy_gradual_caveat_scope"]
    replaced = item["qualifiers"][1]["concluded"][0]["text"]
    assert replaced.startswith("Caveat for Change step by step, left out of the advice")


def test_the_full_explanation_refers_to_sections_instead_of_repeating_them(advisor):
    model = explainer(advisor, load_case(OLD_OFFICE)).explain()
    number = {item["id"]: item["number"] for item in model["items"]}
    gradual = next(item for item in model["items"] if item["id"] == "gradual-change")
    step = next(s for s in gradual["steps"] if s["rule"] == "strategy_gradual_status_quo")
    assert step["facts"][0]["see_section"] == number["hard-won-status-quo"]
    assert "reached_by" not in step["facts"][0]


def test_programs_guidance_and_the_stage_are_explained_by_name_or_id(advisor):
    explain = explainer(advisor, load_case(PROGRAM_REVIEW)).explain
    develop = only_item(explain("develop"))
    assert develop["kind"] == "program" and develop["id"] == "home rehabilitation visits"
    assert [s["rule"] for s in develop["steps"]] == ["program_develop"]
    assert only_item(explain("  Vocational Training "))["steps"][0]["rule"] == "program_maintain"
    guidance = only_item(explain("values"))
    assert [s["rule"] for s in guidance["steps"]] == ["guidance_values"]
    assert guidance["steps"][0]["facts"] == []
    stage = only_item(explainer(advisor, load_case(YOUNG)).explain("lifecycle"))
    assert stage["id"] == "young" and stage["steps"][0]["rule"] == "lifecycle_young"


# --------------------------------------------------------------------------- why not


def test_shake_up_for_a_young_group_fails_on_the_life_cycle_stage(advisor):
    item = only_item(explainer(advisor, load_case(YOUNG)).explain("shake-up"))
    assert not item["concluded"]
    check = rule_check(item, "strategy_shake_up_unacknowledged")
    assert check["status"] == "unmet"
    stage = condition(check, "life-cycle stage")
    assert stage["status"] == "unmet" and stage["see"] == "lifecycle"
    assert "Young organization" in stage["note"]
    assert "perencana explain case.yaml lifecycle" in stage["note"]
    acknowledged = condition(check, "Problems acknowledged")
    assert acknowledged["answer"] == "true"
    assert "resources.problems_acknowledged: true" in acknowledged["note"]


def test_link_institutions_fails_where_no_peer_is_available(advisor):
    item = only_item(explainer(advisor, load_case(OLD_OFFICE)).explain("link-institutions"))
    assert {r["rule"] for r in item["why_not"]["rules"]} == {
        "strategy_link_peer",
        "strategy_link_stronger_peer",
    }
    for check in item["why_not"]["rules"]:
        peer = condition(check, "Peer agency available")
        assert peer["status"] == "unmet" and peer["answer"] == "false"
        assert peer["path"] == "partners.peer_institution_available"
        assert check["status"] == "unmet"


def test_education_needs_new_skills_and_the_disruption_cause(advisor):
    item = only_item(explainer(advisor, load_case(PROGRAM_REVIEW)).explain("education"))
    check = rule_check(item, "strategy_education_new_skills")
    skills = condition(check, "New skills required")
    assert skills["status"] == "unmet" and skills["answer"] == "none"
    cause = condition(check, "Disruption to management")
    assert cause["status"] == "not-concluded" and cause["see"] == "management-disruption"
    assert "perencana explain case.yaml management-disruption" in cause["note"]


def test_a_rule_blocked_by_an_unknown_answer_says_which_answer_would_let_it_fire(advisor):
    case = make_case(
        {"organization.formalized_procedures": True, "resources.problems_acknowledged": "unknown"}
    )
    item = only_item(explainer(advisor, case).explain("shake-up"))
    check = rule_check(item, "strategy_shake_up_unacknowledged")
    assert check["status"] == "blocked"
    assert condition(check, "life-cycle stage")["holds"]
    blocked = condition(check, "Problems acknowledged")
    assert blocked["status"] == "unknown" and blocked["answer"] == "unknown"
    assert blocked["answers"] == ["false"]
    assert "resources.problems_acknowledged: false" in blocked["note"]
    # The unknown answer is all that stands in the way: answering it fires the rule.
    answered = make_case(
        {"organization.formalized_procedures": True, "resources.problems_acknowledged": False}
    )
    assert only_item(explainer(advisor, answered).explain("shake-up"))["concluded"]


def test_a_cause_not_concluded_lists_only_the_rules_that_could_start_it(advisor):
    item = only_item(explainer(advisor, load_case(YOUNG)).explain("outsider-origin"))
    rules = [r["rule"] for r in item["why_not"]["rules"]]
    assert rules == [
        "cause_outsider_external_proposal",
        "cause_outsider_joint_proposal",
        "cause_outsider_external_planner",
    ]
    proposal = condition(item["why_not"]["rules"][0], "Origin of the proposal")
    assert proposal["answer"] == "internal"
    assert "(From inside the organization)" in proposal["note"]
    status_quo = only_item(explainer(advisor, load_case(YOUNG)).explain("hard-won-status-quo"))
    years = condition(status_quo["why_not"]["rules"][0], "Years taken")
    assert years["answer"] == "3" and years["status"] == "unmet"


def test_an_unknown_stage_and_an_undecided_program_are_blocked_by_unknowns(advisor):
    explain = explainer(advisor, load_case(PROGRAM_REVIEW)).explain
    stage = only_item(explain("lifecycle"))
    assert stage["id"] == "lifecycle" and stage["why_not"]["intro_key"] == "intro_lifecycle"
    statuses = {r["rule"]: r["status"] for r in stage["why_not"]["rules"]}
    assert statuses == {
        "lifecycle_young": "unmet",
        "lifecycle_maturing": "blocked",
        "lifecycle_established_by_age": "unmet",
        "lifecycle_established_by_procedures": "blocked",
    }
    program = only_item(explain("peer support groups"))
    assert not program["concluded"]
    replace = rule_check(program, "program_replace")
    assert replace["status"] == "blocked"
    (item,) = replace["conditions"][0]["items"]
    assert item["unknown"] == ["programs[3].viable"]
    # The words give the answer that would meet the condition, as for a field.
    assert item["text"].endswith("unknown, and blocking this rule: programs[3].viable: false")
    (kept,) = rule_check(program, "program_maintain")["conditions"][0]["items"]
    assert kept["text"].endswith("programs[3].viable: true")
    # Only this program is weighed, not the others that were decided.
    assert rule_check(program, "program_develop")["status"] == "unmet"


def test_a_decision_no_program_received_is_explained_by_why_not(advisor):
    item = only_item(explainer(advisor, load_case(YOUNG)).explain("replace"))
    assert item["kind"] == "decision" and not item["concluded"]
    check = rule_check(item, "program_replace")
    (found,) = check["conditions"]
    assert found["status"] == "unmet"
    assert "after-school tutoring" in found["items"][0]["text"]


def test_an_unknown_id_is_an_error_with_suggestions(advisor):
    with pytest.raises(ExplainError) as raised:
        explainer(advisor, load_case(YOUNG)).explain("shakeup")
    # One problem, one line: the near miss when there is one...
    assert raised.value.messages() == [
        "“shakeup” is not something perencana can explain for this case. Did you mean: shake-up?"
    ]
    # ...else every id it can explain, the programs' names too.
    with pytest.raises(ExplainError) as raised:
        explainer(advisor, load_case(YOUNG)).explain("zzzz")
    (line,) = raised.value.messages()
    assert line.startswith(
        "“zzzz” is not something perencana can explain for this case. "
        "Valid ids: lifecycle, young, maturing, established,"
    )
    assert "after-school tutoring" in line


# --------------------------------------------------------------------------- words


def test_statements_in_indonesian_come_from_the_statements_file_or_the_conditions(
    advisor, monkeypatch
):
    explain = explainer(advisor, load_case(YOUNG), "id")
    rule = rules_by_id()["strategy_link_peer"]
    written = rule_statements().get(rule.id)
    if written:
        assert explain.statement(rule) == strip_citations(written)
    monkeypatch.setattr("perencana.engine.teaching.explanation.rule_statements", lambda: {})
    assert explain.statement(rule) == (
        "Jika Ketersediaan lembaga sejenis: Tersedia, maka strategi "
        "“Bermitra dengan lembaga sejenis” disarankan."
    )
    values = rules_by_id()["guidance_values"]
    assert explain.statement(values).startswith("Dalam setiap kasus: perencana diberi arahan")


def test_statements_in_english_are_the_docstrings_without_citations(advisor):
    explain = explainer(advisor, load_case(YOUNG))
    rule = rules_by_id()["cause_financial_no_funds"]
    assert explain.statement(rule) == (
        "No funds for the change is strong evidence of resistance over cost and funding."
    )
    assert strip_citations("A rule (¶53–¶57), said (¶54, ¶59).") == "A rule, said."


def test_json_is_the_model_and_the_same_for_the_same_case(advisor):
    case = load_case(OLD_OFFICE)
    first = render_explanation(explain_case(advisor, case), advisor.knowledge, "json")
    second = render_explanation(explain_case(advisor, case), advisor.knowledge, "json")
    assert first == second
    model = json.loads(first)
    assert model["format"] == "perencana-explanation/1"
    assert model["organization"] == "Dinas Sosial Kabupaten Lembah Hijau"


@pytest.mark.parametrize("lang", ["en", "id"])
def test_text_stays_within_80_columns(advisor, lang):
    for path in EXAMPLE_CASES:
        model = explain_case(advisor, load_case(path), lang=lang, case_label=str(path))
        text = render_explanation(model, advisor.knowledge)
        assert max(len(line) for line in text.splitlines()) <= 80, path


def test_a_rule_another_section_explains_is_referred_to_not_repeated(advisor):
    """Explaining every conclusion, the rules that concluded the life-cycle stage are
    not printed again under each cause whose strength the stage moved: they point
    to the stage's section. Explaining the cause alone, they are given in full."""
    case = load_case(OLD_OFFICE)
    everything = explainer(advisor, case).explain()
    stage_section = next(i["number"] for i in everything["items"] if i["kind"] == "lifecycle")
    cause = next(i for i in everything["items"] if i["id"] == "outsider-origin")
    lifecycle_steps = [s for s in cause["steps"] if s["rule"].startswith("lifecycle_")]
    assert lifecycle_steps
    assert all(s["see_section"] == stage_section and s["facts"] == [] for s in lifecycle_steps)
    alone = explainer(advisor, case).explain("outsider-origin")["items"][0]
    assert all(
        "see_section" not in s and s["facts"]
        for s in alone["steps"]
        if s["rule"].startswith("lifecycle_")
    )
