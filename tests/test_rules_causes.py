"""rules/causes.py: the four causes of resistance (¶53–¶57), built from evidence."""

import pytest

from perencana.engine.reasoning.facts import Cause, Evidence
from perencana.engine.view.advice_json import texts
from tests.conftest import established, field, make_case, maturing

EXTERNAL_PROPOSAL = field("change.proposed_by", "external")
JOINT_PROPOSAL = field("change.proposed_by", "joint")
INTERNAL_PROPOSAL = field("change.proposed_by", "internal")
EXTERNAL_PLANNER = field("planner.origin", "external")
INTERNAL_PLANNER = field("planner.origin", "internal")
NO_FUNDS = field("funding.funds_for_change", "none")
PARTIAL_FUNDS = field("funding.funds_for_change", "partial")
SUFFICIENT_FUNDS = field("funding.funds_for_change", "sufficient")
LONG_ROAD = field("organization.years_to_current_state", 15, band="long")
SHORT_ROAD = field("organization.years_to_current_state", 6, band="short")
SOME_SKILLS = field("change.skills_required", "some")
NO_SKILLS = field("change.skills_required", "none")


# --------------------------------------------------------------------------- cause_present


def test_cause_present_concludes_the_cause_of_its_evidence(run):
    result = run(NO_FUNDS)

    assert result.of(Cause) == [{"id": "financial"}]
    step = result.step("cause_present")
    assert step.facts == ["evidence for financial (strong)"]
    assert step.concluded == ["cause financial"]


def test_cause_present_fires_once_per_cause_not_once_per_evidence(run):
    result = run(NO_FUNDS, field("funding.seen_as_costly", True))

    assert len(result.of(Evidence, cause="financial")) == 2
    assert result.fired.count("cause_present") == 1
    assert result.of(Cause) == [{"id": "financial"}]


def test_cause_present_does_not_fire_for_a_cause_already_present(run):
    evidence = Evidence(cause="financial", strength="weak", facts=("x = y",), rule="test")

    result = run(Cause(id="financial"), evidence)

    assert result.did_not_fire("cause_present")


def test_cause_present_does_not_fire_without_evidence(run):
    result = run(SUFFICIENT_FUNDS, INTERNAL_PROPOSAL, NO_SKILLS)

    assert result.did_not_fire("cause_present")
    assert result.of(Evidence) == []
    assert result.of(Cause) == []


# --------------------------------------------------------------------------- base evidence

# rule, facts declared, cause, strength, descriptions of the matched facts
BASE_EVIDENCE = [
    (
        "cause_outsider_external_proposal",
        [EXTERNAL_PROPOSAL],
        "outsider-origin",
        "moderate",
        ["change.proposed_by = external"],
    ),
    (
        "cause_outsider_joint_proposal",
        [JOINT_PROPOSAL],
        "outsider-origin",
        "weak",
        ["change.proposed_by = joint"],
    ),
    (
        "cause_outsider_external_planner",
        [EXTERNAL_PLANNER],
        "outsider-origin",
        "raise",
        ["planner.origin = external"],
    ),
    (
        "cause_financial_no_funds",
        [NO_FUNDS],
        "financial",
        "strong",
        ["funding.funds_for_change = none"],
    ),
    (
        "cause_financial_partial_funds",
        [PARTIAL_FUNDS],
        "financial",
        "moderate",
        ["funding.funds_for_change = partial"],
    ),
    (
        "cause_financial_seen_as_costly",
        [field("funding.seen_as_costly", True)],
        "financial",
        "moderate",
        ["funding.seen_as_costly = true"],
    ),
    (
        "cause_disruption_extensive_skills",
        [field("change.skills_required", "extensive")],
        "management-disruption",
        "strong",
        ["change.skills_required = extensive"],
    ),
    (
        "cause_disruption_some_skills",
        [SOME_SKILLS],
        "management-disruption",
        "moderate",
        ["change.skills_required = some"],
    ),
    (
        "cause_disruption_new_staff",
        [field("change.new_staff_required", True)],
        "management-disruption",
        "moderate",
        ["change.new_staff_required = true"],
    ),
    (
        "cause_status_quo_moderate_pace",
        [LONG_ROAD, field("change.pace", "moderate")],
        "hard-won-status-quo",
        "weak",
        ["organization.years_to_current_state = 15", "change.pace = moderate"],
    ),
    (
        "cause_status_quo_rapid_pace",
        [LONG_ROAD, field("change.pace", "rapid")],
        "hard-won-status-quo",
        "moderate",
        ["organization.years_to_current_state = 15", "change.pace = rapid"],
    ),
]


@pytest.mark.parametrize(
    ("rule", "facts", "cause", "strength", "matched"),
    BASE_EVIDENCE,
    ids=[entry[0] for entry in BASE_EVIDENCE],
)
def test_evidence_rule_declares_its_evidence(run, rule, facts, cause, strength, matched):
    result = run(*facts)

    assert result.of(Evidence, rule=rule) == [
        {"cause": cause, "strength": strength, "facts": tuple(matched), "rule": rule}
    ]
    step = result.step(rule)
    assert step.facts == matched
    assert step.concluded == [f"evidence for {cause} ({strength})"]
    # any evidence makes the cause present
    assert {"id": cause} in result.of(Cause)


# --------------------------------------------------------------------------- supporting evidence

# rule, facts declared, cause, matched facts (trace, by fact id), facts the evidence cites
SUPPORTING_EVIDENCE = [
    (
        "cause_outsider_established",
        [*established(), EXTERNAL_PROPOSAL],
        "outsider-origin",
        ["change.proposed_by = external", "lifecycle = established", "cause outsider-origin"],
        ("lifecycle = established", "change.proposed_by = external"),
    ),
    (
        "cause_financial_fixed_allocation",
        [NO_FUNDS, field("funding.allocation", "fixed")],
        "financial",
        ["funding.allocation = fixed", "cause financial"],
        ("funding.allocation = fixed",),
    ),
    (
        "cause_financial_sunk_investments",
        [NO_FUNDS, field("funding.sunk_investments", "facilities")],
        "financial",
        ["funding.sunk_investments = facilities", "cause financial"],
        ("funding.sunk_investments = facilities",),
    ),
    (
        "cause_financial_funding_trigger",
        [PARTIAL_FUNDS, field("change.triggers", "funding-change")],
        "financial",
        ["change.triggers = funding-change", "cause financial"],
        ("change.triggers = funding-change",),
    ),
    (
        "cause_disruption_unclear_tasks",
        [SOME_SKILLS, field("resources.unclear_task_division", True)],
        "management-disruption",
        ["resources.unclear_task_division = true", "cause management-disruption"],
        ("resources.unclear_task_division = true",),
    ),
    (
        "cause_disruption_organization_wide",
        [SOME_SKILLS, field("change.scope", "organization-wide")],
        "management-disruption",
        ["change.scope = organization-wide", "cause management-disruption"],
        ("change.scope = organization-wide",),
    ),
    (
        "cause_status_quo_established",
        [*established(), LONG_ROAD, field("change.pace", "moderate")],
        "hard-won-status-quo",
        ["lifecycle = established", "cause hard-won-status-quo"],
        ("lifecycle = established",),
    ),
]


@pytest.mark.parametrize(
    ("rule", "facts", "cause", "matched", "because"),
    SUPPORTING_EVIDENCE,
    ids=[entry[0] for entry in SUPPORTING_EVIDENCE],
)
def test_supporting_rule_raises_a_present_cause(run, rule, facts, cause, matched, because):
    result = run(*facts)

    assert result.of(Evidence, rule=rule) == [
        {"cause": cause, "strength": "raise", "facts": because, "rule": rule}
    ]
    step = result.step(rule)
    assert step.facts == matched
    assert step.concluded == [f"evidence for {cause} (raise)"]


def test_sunk_investments_fire_once_per_member_as_one_supporting_rule(run):
    result = run(
        NO_FUNDS,
        field("funding.sunk_investments", "facilities"),
        field("funding.sunk_investments", "trained-staff"),
    )

    steps = result.steps("cause_financial_sunk_investments")
    assert sorted(step.facts[0] for step in steps) == [
        "funding.sunk_investments = facilities",
        "funding.sunk_investments = trained-staff",
    ]
    assert {e["rule"] for e in result.of(Evidence, strength="raise")} == {
        "cause_financial_sunk_investments"
    }


# --------------------------------------------------------------------------- nearest misses

NEAREST_MISSES = [
    ("cause_outsider_external_proposal", [INTERNAL_PROPOSAL], "internal proposal"),
    ("cause_outsider_external_proposal", [JOINT_PROPOSAL], "joint proposal"),
    ("cause_outsider_joint_proposal", [EXTERNAL_PROPOSAL], "external proposal"),
    ("cause_outsider_joint_proposal", [INTERNAL_PROPOSAL], "internal proposal"),
    ("cause_outsider_external_planner", [INTERNAL_PLANNER], "internal planner"),
    (
        "cause_outsider_established",
        [*maturing(), EXTERNAL_PROPOSAL],
        "maturing, not established",
    ),
    (
        "cause_outsider_established",
        [*established(), INTERNAL_PROPOSAL, EXTERNAL_PLANNER],
        "R1 from the planner only, proposal internal",
    ),
    ("cause_financial_no_funds", [PARTIAL_FUNDS], "partial funds"),
    ("cause_financial_no_funds", [SUFFICIENT_FUNDS], "sufficient funds"),
    ("cause_financial_partial_funds", [NO_FUNDS], "no funds"),
    ("cause_financial_partial_funds", [SUFFICIENT_FUNDS], "sufficient funds"),
    ("cause_financial_seen_as_costly", [field("funding.seen_as_costly", False)], "false"),
    (
        "cause_financial_fixed_allocation",
        [NO_FUNDS, field("funding.allocation", "flexible")],
        "flexible allocation",
    ),
    (
        "cause_financial_fixed_allocation",
        [SUFFICIENT_FUNDS, field("funding.allocation", "fixed")],
        "no financial cause",
    ),
    (
        "cause_financial_sunk_investments",
        [SUFFICIENT_FUNDS, field("funding.sunk_investments", "facilities")],
        "no financial cause",
    ),
    ("cause_financial_sunk_investments", [NO_FUNDS], "no sunk investments"),
    (
        "cause_financial_funding_trigger",
        [NO_FUNDS, field("change.triggers", "policy-change")],
        "another trigger",
    ),
    (
        "cause_financial_funding_trigger",
        [SUFFICIENT_FUNDS, field("change.triggers", "funding-change")],
        "no financial cause",
    ),
    ("cause_disruption_extensive_skills", [SOME_SKILLS], "some skills"),
    ("cause_disruption_some_skills", [field("change.skills_required", "extensive")], "extensive"),
    ("cause_disruption_some_skills", [NO_SKILLS], "no skills"),
    ("cause_disruption_new_staff", [field("change.new_staff_required", False)], "false"),
    (
        "cause_disruption_unclear_tasks",
        [SOME_SKILLS, field("resources.unclear_task_division", False)],
        "clear tasks",
    ),
    (
        "cause_disruption_unclear_tasks",
        [NO_SKILLS, field("resources.unclear_task_division", True)],
        "no disruption cause",
    ),
    (
        "cause_disruption_organization_wide",
        [SOME_SKILLS, field("change.scope", "partial")],
        "partial scope",
    ),
    (
        "cause_disruption_organization_wide",
        [NO_SKILLS, field("change.scope", "organization-wide")],
        "no disruption cause",
    ),
    (
        "cause_status_quo_moderate_pace",
        [SHORT_ROAD, field("change.pace", "moderate")],
        "short road",
    ),
    (
        "cause_status_quo_moderate_pace",
        [LONG_ROAD, field("change.pace", "gradual")],
        "gradual pace",
    ),
    ("cause_status_quo_moderate_pace", [field("change.pace", "moderate")], "years unknown"),
    ("cause_status_quo_rapid_pace", [SHORT_ROAD, field("change.pace", "rapid")], "short road"),
    ("cause_status_quo_rapid_pace", [LONG_ROAD, field("change.pace", "moderate")], "moderate"),
    (
        "cause_status_quo_established",
        [*maturing(), LONG_ROAD, field("change.pace", "rapid")],
        "maturing, not established",
    ),
    (
        "cause_status_quo_established",
        [*established(), LONG_ROAD, field("change.pace", "gradual")],
        "no hard-won cause",
    ),
]


@pytest.mark.parametrize(
    ("rule", "facts"),
    [entry[:2] for entry in NEAREST_MISSES],
    ids=[f"{rule}-{why}" for rule, _, why in NEAREST_MISSES],
)
def test_rule_does_not_fire_on_the_nearest_miss(run, rule, facts):
    assert run(*facts).did_not_fire(rule)


def test_gradual_pace_after_a_long_road_is_no_hard_won_status_quo(run):
    result = run(LONG_ROAD, field("change.pace", "gradual"))

    assert result.of(Cause, id="hard-won-status-quo") == []


# --------------------------------------------------------------------------- strengths (Advisor)


def strengths(advice):
    return {cause.id: cause.strength for cause in advice.causes}


@pytest.mark.parametrize(
    ("answers", "strength"),
    [
        ({"funding.funds_for_change": "none"}, "strong"),
        ({"funding.funds_for_change": "partial"}, "moderate"),
        ({"funding.funds_for_change": "partial", "funding.allocation": "fixed"}, "strong"),
        ({"funding.funds_for_change": "partial", "funding.allocation": "flexible"}, "moderate"),
        ({"funding.seen_as_costly": True}, "moderate"),
        (
            {
                "funding.funds_for_change": "partial",
                "funding.allocation": "fixed",
                "funding.sunk_investments": ["facilities", "trained-staff"],
            },
            "strong",  # never past the last level
        ),
        ({"funding.funds_for_change": "sufficient", "funding.allocation": "fixed"}, None),
        ({"funding.funds_for_change": "sufficient", "funding.seen_as_costly": False}, None),
    ],
)
def test_financial_strength(advisor, answers, strength):
    advice = advisor.infer(make_case(answers))

    assert strengths(advice).get("financial") == strength


@pytest.mark.parametrize(
    ("answers", "strength"),
    [
        ({"change.proposed_by": "joint"}, "weak"),
        ({"change.proposed_by": "external"}, "moderate"),
        (
            {"change.proposed_by": "external", "organization.formalized_procedures": True},
            "strong",
        ),
        ({"change.proposed_by": "external", "organization.age_years": 30}, "strong"),
        ({"change.proposed_by": "joint", "organization.formalized_procedures": True}, "moderate"),
        ({"change.proposed_by": "external", "planner.origin": "external"}, "strong"),
        ({"change.proposed_by": "joint", "planner.origin": "external"}, "moderate"),
        ({"change.proposed_by": "internal", "planner.origin": "internal"}, None),
    ],
)
def test_outsider_origin_strength(advisor, answers, strength):
    advice = advisor.infer(make_case(answers))

    assert strengths(advice).get("outsider-origin") == strength


@pytest.mark.parametrize(
    ("answers", "strength"),
    [
        ({"change.skills_required": "extensive"}, "strong"),
        ({"change.skills_required": "some"}, "moderate"),
        ({"change.new_staff_required": True}, "moderate"),
        ({"change.skills_required": "some", "change.scope": "organization-wide"}, "strong"),
        ({"change.skills_required": "none", "change.new_staff_required": False}, None),
    ],
)
def test_management_disruption_strength(advisor, answers, strength):
    advice = advisor.infer(make_case(answers))

    assert strengths(advice).get("management-disruption") == strength


ESTABLISHED_ORG = {"organization.formalized_procedures": True}
MATURING_ORG = {"organization.formalized_procedures": False}


@pytest.mark.parametrize(
    ("answers", "strength"),
    [
        ({"change.pace": "rapid", **ESTABLISHED_ORG}, "strong"),
        ({"change.pace": "rapid", **MATURING_ORG}, "moderate"),
        ({"change.pace": "moderate", **ESTABLISHED_ORG}, "moderate"),
        ({"change.pace": "moderate", **MATURING_ORG}, "weak"),
        ({"change.pace": "gradual", **ESTABLISHED_ORG}, None),
    ],
)
def test_hard_won_status_quo_strong_only_when_rapid_and_established(advisor, answers, strength):
    # 12 years to its present state (long), in an organization of 12 (mid-aged: its
    # life-cycle stage is the answers', not its age's).
    years = {"organization.age_years": 12, "organization.years_to_current_state": 12}
    case = make_case({**years, **answers})

    assert strengths(advisor.infer(case)).get("hard-won-status-quo") == strength


@pytest.mark.parametrize(("years", "present"), [(9, False), (10, True), (30, True)])
def test_hard_won_status_quo_needs_ten_years_or_more(advisor, years, present):
    # An organization as old as the years it took to reach its present state.
    case = make_case(
        {
            "organization.age_years": years,
            "organization.years_to_current_state": years,
            "change.pace": "rapid",
        }
    )

    assert ("hard-won-status-quo" in strengths(advisor.infer(case))) is present


def test_cause_finding_lists_its_evidence_and_rules(advisor):
    case = make_case({"funding.funds_for_change": "partial", "funding.allocation": "fixed"})

    (financial,) = advisor.infer(case).causes

    assert financial.id == "financial"
    assert set(texts(financial.evidence)) == {
        "funding.funds_for_change = partial",
        "funding.allocation = fixed",
    }
    assert set(financial.rules) == {
        "cause_financial_partial_funds",
        "cause_financial_fixed_allocation",
    }


def test_causes_are_listed_strongest_first(advisor):
    case = make_case(
        {
            "change.proposed_by": "joint",  # weak
            "funding.funds_for_change": "none",  # strong
            "change.skills_required": "some",  # moderate
        }
    )

    assert [(c.id, c.strength) for c in advisor.infer(case).causes] == [
        ("financial", "strong"),
        ("management-disruption", "moderate"),
        ("outsider-origin", "weak"),
    ]
