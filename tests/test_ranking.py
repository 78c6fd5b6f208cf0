"""Cause strength and strategy ranking follow the source (issue 12): a cause is as strong
as its strongest direct evidence, raised one level at most, and a young organization
lowers outsider-origin, management-disruption and hard-won-status-quo (¶59); a
strategy ranks by the strongest cause it answers and the source's emphasis, and those
who lose (¶70, ¶52) come among the first three; among equals, step by step comes first
(¶52, ¶71). The scale and weights are data in
``knowledge/thresholds.yaml`` and every memo names them as the project's defaults."""

import copy
import io
import zipfile

import pytest

from perencana.engine.api import render_advice
from perencana.engine.case.loader import load_case
from perencana.engine.reasoning.advice_builder import build_advice, cause_strength
from perencana.engine.reasoning.case_facts import case_facts
from perencana.engine.reasoning.facts import FactRef
from perencana.engine.view.advice_json import advice_json
from perencana.engine.view.memo import memo_view
from tests.conftest import make_case
from tests.helpers import EXAMPLES, picture_without_a_browser

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"
LEVELS = ["weak", "moderate", "strong"]


def strengths(advice):
    return {cause.id: cause.strength for cause in advice.causes}


def ranks(advice):
    return {strategy.id: strategy.rank for strategy in advice.strategies}


def evidence(strength, rule="r"):
    return {"cause": "c", "strength": strength, "facts": (), "rule": rule}


# --------------------------------------------------------------------------- strength


def test_strength_is_the_strongest_direct_evidence():
    assert cause_strength([evidence("weak"), evidence("moderate")], LEVELS) == "moderate"
    assert cause_strength([evidence("strong"), evidence("weak")], LEVELS) == "strong"


def test_many_supporting_rules_raise_one_level_only():
    many = [evidence("weak")] + [evidence("raise", f"support_{n}") for n in range(3)]

    assert cause_strength(many, LEVELS) == "moderate"
    assert cause_strength(many[1:], LEVELS) == "weak"  # supporting evidence alone


def test_partial_funds_a_fixed_budget_and_sunk_money_make_a_strong_cause_not_more(advisor):
    case = make_case(
        {
            "funding.funds_for_change": "partial",
            "funding.allocation": "fixed",
            "funding.sunk_investments": ["facilities"],
            "change.triggers": ["funding-change"],
        }
    )
    (financial,) = advisor.infer(case).causes

    assert financial.strength == "strong"
    assert len([r for r in financial.rules if r != "cause_financial_partial_funds"]) == 3


def test_seen_as_costly_and_partial_funds_stay_moderate(advisor):
    case = make_case(
        {
            "funding.funds_for_change": "partial",
            "funding.seen_as_costly": True,
            "funding.allocation": "flexible",
        }
    )

    assert strengths(advisor.infer(case)) == {"financial": "moderate"}


# A young organization cannot have taken ten years or more to reach its present state
# (the years are at most its age), so the hard-won status quo, which needs them, is
# never a young organization's cause.
YOUNG = {
    "organization.age_years": 2,
    "organization.formalized_procedures": False,
    "organization.years_to_current_state": 2,
}
MATURING = {
    "organization.age_years": 12,
    "organization.formalized_procedures": False,
    "organization.years_to_current_state": 12,  # with a rapid pace: hard-won, moderate
}
CAUSES_OF_ALL_KINDS = {
    "change.proposed_by": "external",  # outsider-origin: moderate
    "funding.funds_for_change": "none",  # financial: strong
    "change.skills_required": "extensive",  # management-disruption: strong
    "change.pace": "rapid",
}


def test_a_young_organization_lowers_three_causes_but_not_the_financial_one(advisor):
    young = advisor.infer(make_case({**CAUSES_OF_ALL_KINDS, **YOUNG}))
    maturing = advisor.infer(make_case({**CAUSES_OF_ALL_KINDS, **MATURING}))

    assert young.lifecycle == "young" and maturing.lifecycle == "maturing"
    assert strengths(maturing) == {
        "outsider-origin": "moderate",
        "financial": "strong",
        "management-disruption": "strong",
        "hard-won-status-quo": "moderate",
    }
    assert strengths(young) == {
        "outsider-origin": "weak",
        "financial": "strong",
        "management-disruption": "moderate",
    }


def test_a_lowered_cause_shows_the_young_stage_among_its_evidence_and_cites_59(advisor):
    advice = advisor.infer(make_case({**CAUSES_OF_ALL_KINDS, **YOUNG}))
    causes = {c.id: c for c in advice.causes}
    stage = FactRef("lifecycle", value="young")

    assert stage in causes["management-disruption"].evidence
    assert 59 in causes["management-disruption"].sources
    assert stage not in causes["financial"].evidence
    assert 59 not in causes["financial"].sources
    memo = render_advice(advice, "md", "en")
    section = memo[memo.index("### 3.") :]
    section = section[section.index("Disruption to management: moderate") :]
    assert (
        "- Young organization: this cause counts 1 level lower (¶59)"
        in section[: section.index("\n## ")]
    )


def test_a_weak_cause_stays_present_in_a_young_organization(advisor):
    advice = advisor.infer(make_case({"change.proposed_by": "joint", **YOUNG}))

    assert strengths(advice) == {"outsider-origin": "weak"}


def test_an_outside_planner_alone_gives_at_most_a_weak_outsider_origin(advisor):
    case = make_case(
        {
            "change.proposed_by": "internal",
            "planner.origin": "external",
            "organization.formalized_procedures": True,
        }
    )

    assert strengths(advisor.infer(case)) == {"outsider-origin": "weak"}


# --------------------------------------------------------------------------- ranking


def office_with_losers(count):
    case = load_case(OLD_OFFICE)
    case = copy.deepcopy(case)
    keep = [s for s in case["stakeholders"] if s["impact"] != "negative"]
    losers = [
        {"name": f"losing group {n}", "directly_affected": True, "impact": "negative"}
        for n in range(count)
    ]
    case["stakeholders"] = losers + keep
    return case


def test_those_who_lose_come_among_the_first_three_where_they_ranked_last(advisor):
    advice = advisor.infer(office_with_losers(1))

    assert len(advice.strategies) == 9  # it ranked 9th of 9 before issue 12
    assert ranks(advice)["affected-parties"] <= 3


def test_the_more_who_lose_the_higher_they_rank(advisor):
    found = [ranks(advisor.infer(office_with_losers(n)))["affected-parties"] for n in (1, 2, 3)]
    scores = [
        next(s.score for s in advisor.infer(office_with_losers(n)).strategies if s.id == key)
        for n in (1, 2, 3)
        for key in ["affected-parties"]
    ]

    assert found == [3, 1, 1]
    assert scores == sorted(scores) and scores[0] < scores[-1]


def test_no_one_who_loses_no_place_for_them(advisor):
    advice = advisor.infer(office_with_losers(0))

    assert "affected-parties" not in ranks(advice)


def test_a_stakeholder_who_loses_indirectly_gets_no_such_place(advisor):
    case = make_case(
        {"funding.funds_for_change": "none"},
        [{"name": "neighbours", "directly_affected": False, "impact": "negative"}],
    )

    assert "affected-parties" not in ranks(advisor.infer(case))


def test_more_rules_on_weaker_causes_do_not_outrank_a_strong_cause(advisor):
    # gradual-change has three rules (a hard-won status quo that is only weak, an
    # established stage...); negotiate-incentives one, on a strong financial cause.
    case = make_case(
        {
            "organization.formalized_procedures": True,
            "organization.age_years": 20,
            "organization.years_to_current_state": 12,
            "change.pace": "moderate",
            "funding.funds_for_change": "none",
        }
    )
    advice = advisor.infer(case)
    found = {s.id: s for s in advice.strategies}

    assert len(found["gradual-change"].rules) > len(found["negotiate-incentives"].rules)
    assert found["negotiate-incentives"].rank < found["gradual-change"].rank


def test_ties_keep_the_source_order(advisor):
    advice = advisor.infer(make_case({"funding.funds_for_change": "none"}))

    assert [(s.id, s.score) for s in advice.strategies] == [
        ("adapt-to-resources", 3),
        ("negotiate-incentives", 3),
    ]


def test_among_equals_a_step_by_step_change_comes_first(advisor, knowledge):
    # The old office: every cause strong, so seven strategies score the same; the
    # source's rule for all change is to go slowly (¶52, ¶71), so step by step leads
    # them, where the source's list order had placed it seventh.
    advice = advisor.infer(load_case(OLD_OFFICE))
    found = {s.id: s for s in advice.strategies}

    assert found["gradual-change"].score == found["education"].score == 3
    assert [s.id for s in advice.strategies][:3] == [
        "gradual-change",
        "education",
        "affected-parties",
    ]

    def list_order(thresholds):
        thresholds["ranking"]["ties_first"] = []

    plain = rerun(advisor, load_case(OLD_OFFICE), with_thresholds(knowledge, list_order))
    assert ranks(plain)["gradual-change"] == 7


def test_a_step_by_step_change_on_facts_only_does_not_pass_a_stronger_strategy(advisor):
    # Established and resisted by those who lose, with no hard-won status quo: step by
    # step rests on facts only (1) and stays below strategies answering a strong cause.
    case = make_case(
        {"organization.formalized_procedures": True, "funding.funds_for_change": "none"},
        [{"name": "clerks", "directly_affected": True, "impact": "negative"}],
    )
    order = [(s.id, s.score) for s in advisor.infer(case).strategies]

    assert order.index(("gradual-change", 1)) > order.index(("negotiate-incentives", 3))


def test_the_json_advice_carries_the_new_rank(advisor):
    data = advice_json(advisor.infer(office_with_losers(1)))
    affected = next(s for s in data["strategies"] if s["id"] == "affected-parties")

    assert affected["rank"] == 3


# --------------------------------------------------------------------------- the data


def with_thresholds(knowledge, change):
    thresholds = copy.deepcopy(knowledge.thresholds)
    change(thresholds)
    return knowledge.replace(thresholds=thresholds)


def rerun(advisor, case, knowledge):
    """The advice of ``case`` built with ``knowledge`` from the same run's facts."""
    facts = advisor.engine.infer(case_facts(case, knowledge.thresholds))
    return build_advice(case, facts, advisor.engine.trace, knowledge)


def test_the_ranking_weights_are_data(advisor, knowledge):
    case = office_with_losers(1)
    shipped = rerun(advisor, case, knowledge)

    def no_emphasis(thresholds):
        thresholds["ranking"]["emphasis"] = {}
        thresholds["ranking"]["min_place"] = {}

    changed = rerun(advisor, case, with_thresholds(knowledge, no_emphasis))

    assert ranks(shipped)["affected-parties"] == 3
    assert ranks(changed)["affected-parties"] == len(changed.strategies)


def test_the_strength_settings_are_data(advisor, knowledge):
    case = make_case({**CAUSES_OF_ALL_KINDS, **YOUNG})

    def no_lifecycle(thresholds):
        thresholds["strength"]["lifecycle"] = {}

    def two_levels(thresholds):
        thresholds["strength"]["max_raise"] = 2

    assert strengths(rerun(advisor, case, with_thresholds(knowledge, no_lifecycle))) == {
        "outsider-origin": "moderate",
        "financial": "strong",
        "management-disruption": "strong",
    }
    raised = make_case({"funding.seen_as_costly": True, "funding.allocation": "fixed"})
    assert strengths(rerun(advisor, raised, knowledge)) == {"financial": "strong"}
    weak = make_case(
        {
            "change.proposed_by": "joint",
            "planner.origin": "external",
            "organization.formalized_procedures": True,
        }
    )
    assert strengths(rerun(advisor, weak, knowledge)) == {"outsider-origin": "moderate"}
    assert strengths(rerun(advisor, weak, with_thresholds(knowledge, two_levels))) == {
        "outsider-origin": "strong"
    }


# --------------------------------------------------------------------------- the memo


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", ["Strength of a cause", "Order of strategies", "never below place 3", "¶59"]),
        ("id", ["Kekuatan penyebab", "Urutan strategi", "urutan ke-3", "¶59"]),
    ],
)
@pytest.mark.parametrize("fmt", ["md", "html", "text", "docx"])
def test_every_memo_names_the_scale_and_the_weights_as_defaults(advisor, lang, words, fmt):
    with picture_without_a_browser():  # the Word memo's text is read, not its picture
        memo = render_advice(advisor.infer(load_case(OLD_OFFICE)), fmt, lang)
    if fmt == "docx":
        with zipfile.ZipFile(io.BytesIO(memo)) as document:
            memo = document.read("word/document.xml").decode()

    for word in words:
        assert word in memo, (fmt, lang, word)


def test_the_defaults_disclosed_follow_the_data(advisor, knowledge):
    advice = advisor.infer(load_case(OLD_OFFICE))

    def strong_counts_five(thresholds):
        thresholds["ranking"]["cause_weight"]["strong"] = 5

    changed = with_thresholds(knowledge, strong_counts_five)
    lines = [d["text"] for d in memo_view(advice, changed, "en")["sources"]["defaults"]]

    assert any("strong 5" in line for line in lines)
