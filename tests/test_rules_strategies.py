"""rules/strategies.py: the strategies that raise acceptance (¶62–¶73), their caveats
and first steps; with the ranking and the unknowns of the combined advice."""

import pytest

from perencana.engine.reasoning.facts import Caveat, FirstStep, Recommendation, Recommended
from perencana.engine.view.advice_json import texts
from tests.conftest import (
    answers_written,
    established,
    field,
    make_case,
    maturing,
    program,
    stakeholder,
)

SOME_SKILLS = field("change.skills_required", "some")
NO_SKILLS = field("change.skills_required", "none")
NOT_INVOLVED = field("staff.involved_in_design", False)
INVOLVED = field("staff.involved_in_design", True)
LITTLE_EXPERIENCE = field("staff.field_experience", "low")
SOME_EXPERIENCE = field("staff.field_experience", "medium")
NO_AUTHORITY = field("staff.authority_to_change", False)
AUTHORITY = field("staff.authority_to_change", True)
NO_FUNDS = field("funding.funds_for_change", "none")
PARTIAL_FUNDS = field("funding.funds_for_change", "partial")
SUFFICIENT_FUNDS = field("funding.funds_for_change", "sufficient")
NEW_STAFF = field("change.new_staff_required", True)
NO_NEW_STAFF = field("change.new_staff_required", False)
VIA_AGENCY = field("change.recruitment_via_agency", True)
DIRECT_HIRE = field("change.recruitment_via_agency", False)
CONSULTANT = field("partners.consultant_available", True)
NO_CONSULTANT = field("partners.consultant_available", False)
EXTERNAL_PROPOSAL = field("change.proposed_by", "external")
INTERNAL_PROPOSAL = field("change.proposed_by", "internal")
EXTERNAL_PLANNER = field("planner.origin", "external")
INTERNAL_PLANNER = field("planner.origin", "internal")
UNACKNOWLEDGED = field("resources.problems_acknowledged", False)
ACKNOWLEDGED = field("resources.problems_acknowledged", True)
PEER = field("partners.peer_institution_available", True)
NO_PEER = field("partners.peer_institution_available", False)
STRONGER = field("partners.peer_stronger", True)
NOT_STRONGER = field("partners.peer_stronger", False)
LONG_ROAD = field("organization.years_to_current_state", 15, band="long")
SHORT_ROAD = field("organization.years_to_current_state", 6, band="short")
WHOLE_ORG = field("change.scope", "organization-wide")
MANDATED = field("change.triggers", "policy-change")
OTHER_TRIGGER = field("change.triggers", "other")
PART_ORG = field("change.scope", "partial")

LOSER = "stakeholders[0] (shelter staff): directly_affected = true, impact = negative"
PROGRAM = "programs[0] (home visits): viable = true, performance = adequate"


# --------------------------------------------------------------------------- recommendations

# rule, facts declared, strategy, because (as the Recommendation cites it), matched facts
RECOMMENDATIONS = [
    (
        "strategy_education_new_skills",
        [SOME_SKILLS],
        "education",
        ("management-disruption", "change.skills_required = some"),
        ["change.skills_required = some", "cause management-disruption"],
    ),
    (
        "strategy_education_new_skills",
        [field("change.skills_required", "extensive")],
        "education",
        ("management-disruption", "change.skills_required = extensive"),
        ["change.skills_required = extensive", "cause management-disruption"],
    ),
    (
        "strategy_adapt_short_funds",
        [NO_FUNDS],
        "adapt-to-resources",
        ("financial", "funding.funds_for_change = none"),
        ["funding.funds_for_change = none", "cause financial"],
    ),
    (
        "strategy_adapt_short_funds",
        [PARTIAL_FUNDS],
        "adapt-to-resources",
        ("financial", "funding.funds_for_change = partial"),
        ["funding.funds_for_change = partial", "cause financial"],
    ),
    (
        "strategy_adapt_limited_resources",
        [field("resources.limited", True)],
        "adapt-to-resources",
        ("resources.limited = true",),
        ["resources.limited = true"],
    ),
    (
        "strategy_negotiate_financial",
        [NO_FUNDS],
        "negotiate-incentives",
        ("financial",),
        ["cause financial"],
    ),
    (
        "strategy_negotiate_financial",
        [field("funding.seen_as_costly", True)],
        "negotiate-incentives",
        ("financial",),
        ["cause financial"],
    ),
    (
        "strategy_expand_new_staff",
        [NEW_STAFF],
        "expand-expertise",
        ("management-disruption", "change.new_staff_required = true"),
        ["change.new_staff_required = true", "cause management-disruption"],
    ),
    (
        "strategy_expand_service_area",
        [field("change.triggers", "service-area-expansion")],
        "expand-expertise",
        ("change.triggers = service-area-expansion",),
        ["change.triggers = service-area-expansion"],
    ),
    (
        "strategy_consultants_skills",
        [CONSULTANT, SOME_SKILLS],
        "consultants",
        (
            "management-disruption",
            "partners.consultant_available = true",
            "change.skills_required = some",
        ),
        [
            "partners.consultant_available = true",
            "change.skills_required = some",
            "cause management-disruption",
        ],
    ),
    (
        "strategy_consultants_innovation",
        [CONSULTANT, field("change.triggers", "new-program-data")],
        "consultants",
        ("partners.consultant_available = true", "change.triggers = new-program-data"),
        ["partners.consultant_available = true", "change.triggers = new-program-data"],
    ),
    (
        "strategy_shake_up_unacknowledged",
        [*established(), UNACKNOWLEDGED],
        "shake-up",
        ("lifecycle = established", "resources.problems_acknowledged = false"),
        ["resources.problems_acknowledged = false", "lifecycle = established"],
    ),
    (
        "strategy_link_peer",
        [PEER],
        "link-institutions",
        ("partners.peer_institution_available = true",),
        ["partners.peer_institution_available = true"],
    ),
    (
        "strategy_link_stronger_peer",
        [PEER, STRONGER],
        "link-institutions",
        ("partners.peer_institution_available = true", "partners.peer_stronger = true"),
        ["partners.peer_institution_available = true", "partners.peer_stronger = true"],
    ),
    ("strategy_affected_losers", [stakeholder()], "affected-parties", (LOSER,), [LOSER]),
    (
        "strategy_gradual_status_quo",
        [LONG_ROAD, field("change.pace", "moderate")],
        "gradual-change",
        ("hard-won-status-quo",),
        ["cause hard-won-status-quo"],
    ),
    (
        "strategy_gradual_established",
        [*established()],
        "gradual-change",
        ("lifecycle = established",),
        ["lifecycle = established"],
    ),
    (
        "strategy_gradual_resisting_stakeholders",
        [stakeholder()],
        "gradual-change",
        (LOSER,),
        [LOSER],
    ),
    ("strategy_program_review", [program()], "program-review", (PROGRAM,), [PROGRAM]),
    (
        "strategy_collaborative_external_planner",
        [EXTERNAL_PLANNER],
        "collaborative-stance",
        ("planner.origin = external",),
        ["planner.origin = external"],
    ),
    (
        "strategy_collaborative_resisted",
        [field("planner.organization_resists_intervention", True)],
        "collaborative-stance",
        ("planner.organization_resists_intervention = true",),
        ["planner.organization_resists_intervention = true"],
    ),
    (
        "strategy_collaborative_outsider_cause",
        [EXTERNAL_PROPOSAL],
        "collaborative-stance",
        ("outsider-origin",),
        ["cause outsider-origin"],
    ),
]


@pytest.mark.parametrize(
    ("rule", "facts", "strategy", "because", "matched"),
    RECOMMENDATIONS,
    ids=[f"{entry[0]}-{index}" for index, entry in enumerate(RECOMMENDATIONS)],
)
def test_rule_recommends_its_strategy_with_its_reasons(
    run, rule, facts, strategy, because, matched
):
    result = run(*facts)

    assert result.of(Recommendation, rule=rule) == [
        {"strategy": strategy, "because": because, "rule": rule}
    ]
    assert result.of(Recommended, strategy=strategy) == [{"strategy": strategy}]
    step = result.step(rule)
    assert step.facts == matched
    assert step.concluded[-1] == f"strategy {strategy} recommended"


def test_a_strategy_is_recommended_once_whatever_the_number_of_reasons(run):
    result = run(*established(), stakeholder(), LONG_ROAD, field("change.pace", "rapid"))

    reasons = result.of(Recommendation, strategy="gradual-change")
    assert {r["rule"] for r in reasons} == {
        "strategy_gradual_status_quo",
        "strategy_gradual_established",
        "strategy_gradual_resisting_stakeholders",
    }
    assert result.of(Recommended, strategy="gradual-change") == [{"strategy": "gradual-change"}]


def test_program_review_is_recommended_for_each_program(run):
    result = run(program(0, "a"), program(1, "b", viable=False, performance="low"))

    assert len(result.steps("strategy_program_review")) == 2
    assert len(result.of(Recommendation, strategy="program-review")) == 2


# --------------------------------------------------------------------------- caveats, first step

# rule, facts declared, strategy, caveat, matched facts
CAVEATS = [
    (
        "strategy_education_caveat_not_involved",
        [SOME_SKILLS, NOT_INVOLVED],
        "education",
        "education-not-involved",
        ["staff.involved_in_design = false", "strategy education recommended"],
    ),
    (
        "strategy_education_caveat_no_field_experience",
        [SOME_SKILLS, LITTLE_EXPERIENCE],
        "education",
        "education-no-field-experience",
        ["staff.field_experience = low", "strategy education recommended"],
    ),
    (
        "strategy_education_caveat_no_authority",
        [SOME_SKILLS, NO_AUTHORITY],
        "education",
        "education-no-authority",
        ["staff.authority_to_change = false", "strategy education recommended"],
    ),
    (
        "strategy_negotiate_caveat_never_force",
        [NO_FUNDS],
        "negotiate-incentives",
        "negotiate-never-force",
        ["strategy negotiate-incentives recommended"],
    ),
    (
        "strategy_negotiate_caveat_negotiation_skill",
        [NO_FUNDS, field("planner.negotiation_skill", "low")],
        "negotiate-incentives",
        "negotiation-skill",
        ["planner.negotiation_skill = low", "strategy negotiate-incentives recommended"],
    ),
    (
        "strategy_expand_caveat_agency",
        [NEW_STAFF, VIA_AGENCY],
        "expand-expertise",
        "expand-agency-needs-detail",
        [
            "change.new_staff_required = true",
            "change.recruitment_via_agency = true",
            "strategy expand-expertise recommended",
        ],
    ),
    (
        "strategy_consultants_caveat_outsider",
        [CONSULTANT, SOME_SKILLS, EXTERNAL_PROPOSAL],
        "consultants",
        "consultants-also-outsiders",
        ["cause outsider-origin", "strategy consultants recommended"],
    ),
    (
        "strategy_shake_up_caveat_not_permanent",
        [*established(), UNACKNOWLEDGED],
        "shake-up",
        "shake-up-not-permanent",
        ["strategy shake-up recommended"],
    ),
    (
        "strategy_link_caveat_peer_not_stronger",
        [PEER, NOT_STRONGER],
        "link-institutions",
        "link-peer-not-stronger",
        ["partners.peer_stronger = false", "strategy link-institutions recommended"],
    ),
    (
        "strategy_gradual_caveat_scope",
        [*established(), WHOLE_ORG],
        "gradual-change",
        "gradual-not-every-area",
        ["change.scope = organization-wide", "strategy gradual-change recommended"],
    ),
    (
        "strategy_gradual_caveat_scope_mandated",
        [*established(), WHOLE_ORG, MANDATED],
        "gradual-change",
        "gradual-within-mandate",
        [
            "change.scope = organization-wide",
            "change.triggers = policy-change",
            "strategy gradual-change recommended",
        ],
    ),
    (
        "strategy_expand_caveat_recruitment_cost",
        [NEW_STAFF, NO_FUNDS],
        "expand-expertise",
        "recruitment-cost",
        ["funding.funds_for_change = none", "strategy expand-expertise recommended"],
    ),
    (
        "strategy_expand_caveat_recruitment_cost",
        [field("change.triggers", "service-area-expansion"), PARTIAL_FUNDS],
        "expand-expertise",
        "recruitment-cost",
        ["funding.funds_for_change = partial", "strategy expand-expertise recommended"],
    ),
]


@pytest.mark.parametrize(
    ("rule", "facts", "strategy", "caveat", "matched"),
    CAVEATS,
    ids=[entry[0] for entry in CAVEATS],
)
def test_caveat_rule_attaches_its_caveat(run, rule, facts, strategy, caveat, matched):
    result = run(*facts)

    assert result.of(Caveat, caveat=caveat) == [{"strategy": strategy, "caveat": caveat}]
    step = result.step(rule)
    assert step.facts == matched
    assert step.concluded == [f"caveat {caveat} on {strategy}"]


def test_education_first_step_when_none_of_its_conditions_holds(run):
    result = run(SOME_SKILLS, NOT_INVOLVED, LITTLE_EXPERIENCE, NO_AUTHORITY)

    assert result.of(FirstStep) == [
        {"strategy": "education", "step": "education-create-conditions"}
    ]
    step = result.step("strategy_education_first_step_conditions")
    assert step.facts == [
        "staff.involved_in_design = false",
        "staff.field_experience = low",
        "staff.authority_to_change = false",
        "strategy education recommended",
    ]
    assert step.concluded == ["first step education-create-conditions for education"]
    # and each unmet condition is a caveat of its own
    assert {c["caveat"] for c in result.of(Caveat, strategy="education")} == {
        "education-not-involved",
        "education-no-field-experience",
        "education-no-authority",
    }


# --------------------------------------------------------------------------- nearest misses

NEAREST_MISSES = [
    ("strategy_education_new_skills", [NO_SKILLS], "no new skills"),
    ("strategy_education_caveat_not_involved", [SOME_SKILLS, INVOLVED], "involved"),
    (
        "strategy_education_caveat_not_involved",
        [NO_SKILLS, NOT_INVOLVED],
        "education not recommended",
    ),
    (
        "strategy_education_caveat_no_field_experience",
        [SOME_SKILLS, SOME_EXPERIENCE],
        "medium experience",
    ),
    (
        "strategy_education_caveat_no_field_experience",
        [NO_SKILLS, LITTLE_EXPERIENCE],
        "education not recommended",
    ),
    ("strategy_education_caveat_no_authority", [SOME_SKILLS, AUTHORITY], "has authority"),
    (
        "strategy_education_caveat_no_authority",
        [NO_SKILLS, NO_AUTHORITY],
        "education not recommended",
    ),
    (
        "strategy_education_first_step_conditions",
        [SOME_SKILLS, INVOLVED, LITTLE_EXPERIENCE, NO_AUTHORITY],
        "involved",
    ),
    (
        "strategy_education_first_step_conditions",
        [SOME_SKILLS, NOT_INVOLVED, SOME_EXPERIENCE, NO_AUTHORITY],
        "medium experience",
    ),
    (
        "strategy_education_first_step_conditions",
        [SOME_SKILLS, NOT_INVOLVED, LITTLE_EXPERIENCE, AUTHORITY],
        "has authority",
    ),
    (
        "strategy_education_first_step_conditions",
        [SOME_SKILLS, NOT_INVOLVED, LITTLE_EXPERIENCE],
        "authority unknown",
    ),
    (
        "strategy_education_first_step_conditions",
        [NO_SKILLS, NOT_INVOLVED, LITTLE_EXPERIENCE, NO_AUTHORITY],
        "education not recommended",
    ),
    ("strategy_adapt_short_funds", [SUFFICIENT_FUNDS], "sufficient funds"),
    ("strategy_adapt_limited_resources", [field("resources.limited", False)], "not limited"),
    (
        "strategy_negotiate_financial",
        [SUFFICIENT_FUNDS, field("funding.seen_as_costly", False)],
        "no financial cause",
    ),
    (
        "strategy_negotiate_caveat_never_force",
        [SUFFICIENT_FUNDS, field("funding.seen_as_costly", False)],
        "negotiation not recommended",
    ),
    (
        "strategy_negotiate_caveat_negotiation_skill",
        [NO_FUNDS, field("planner.negotiation_skill", "medium")],
        "skilled enough",
    ),
    (
        "strategy_negotiate_caveat_negotiation_skill",
        [SUFFICIENT_FUNDS, field("planner.negotiation_skill", "low")],
        "negotiation not recommended",
    ),
    ("strategy_expand_new_staff", [NO_NEW_STAFF], "no new staff"),
    (
        "strategy_expand_service_area",
        [field("change.triggers", "new-program-data")],
        "another trigger",
    ),
    ("strategy_expand_caveat_agency", [NEW_STAFF, DIRECT_HIRE], "direct hire"),
    ("strategy_expand_caveat_agency", [NO_NEW_STAFF, VIA_AGENCY], "expansion not recommended"),
    ("strategy_consultants_skills", [NO_CONSULTANT, SOME_SKILLS], "no consultant"),
    ("strategy_consultants_skills", [CONSULTANT, NO_SKILLS], "no new skills"),
    (
        "strategy_consultants_innovation",
        [CONSULTANT, field("change.triggers", "service-area-expansion")],
        "another trigger",
    ),
    (
        "strategy_consultants_innovation",
        [NO_CONSULTANT, field("change.triggers", "new-program-data")],
        "no consultant",
    ),
    (
        "strategy_consultants_caveat_outsider",
        [CONSULTANT, SOME_SKILLS, INTERNAL_PROPOSAL, INTERNAL_PLANNER],
        "no outsider-origin",
    ),
    (
        "strategy_consultants_caveat_outsider",
        [NO_CONSULTANT, SOME_SKILLS, EXTERNAL_PROPOSAL],
        "consultants not recommended",
    ),
    ("strategy_shake_up_unacknowledged", [*established(), ACKNOWLEDGED], "acknowledged"),
    ("strategy_shake_up_unacknowledged", [*maturing(), UNACKNOWLEDGED], "maturing"),
    ("strategy_shake_up_unacknowledged", [UNACKNOWLEDGED], "stage unknown"),
    ("strategy_shake_up_caveat_not_permanent", [*maturing(), UNACKNOWLEDGED], "no shake-up"),
    ("strategy_link_peer", [NO_PEER], "no peer"),
    ("strategy_link_stronger_peer", [PEER, NOT_STRONGER], "peer not stronger"),
    ("strategy_link_stronger_peer", [NO_PEER, STRONGER], "no peer"),
    ("strategy_link_caveat_peer_not_stronger", [PEER, STRONGER], "peer stronger"),
    ("strategy_link_caveat_peer_not_stronger", [PEER], "strength unknown"),
    ("strategy_link_caveat_peer_not_stronger", [NO_PEER, NOT_STRONGER], "no link"),
    ("strategy_affected_losers", [stakeholder(impact="positive")], "gains"),
    ("strategy_affected_losers", [stakeholder(impact="neutral")], "neutral"),
    ("strategy_affected_losers", [stakeholder(impact="unknown")], "impact unknown"),
    ("strategy_affected_losers", [stakeholder(directly_affected=False)], "not directly"),
    (
        "strategy_gradual_status_quo",
        [SHORT_ROAD, field("change.pace", "rapid")],
        "no hard-won cause",
    ),
    ("strategy_gradual_established", [*maturing()], "maturing"),
    (
        "strategy_gradual_established",
        [field("organization.formalized_procedures", False)],
        "no age",
    ),
    (
        "strategy_gradual_resisting_stakeholders",
        [stakeholder(impact="positive")],
        "gains",
    ),
    (
        "strategy_gradual_resisting_stakeholders",
        [stakeholder(directly_affected=False)],
        "not directly",
    ),
    ("strategy_gradual_caveat_scope", [*established(), PART_ORG], "partial scope"),
    ("strategy_gradual_caveat_scope", [*maturing(), WHOLE_ORG], "no gradual change"),
    (
        "strategy_gradual_caveat_scope_mandated",
        [*established(), WHOLE_ORG, OTHER_TRIGGER],
        "not mandated",
    ),
    ("strategy_gradual_caveat_scope_mandated", [*established(), WHOLE_ORG], "triggers unknown"),
    (
        "strategy_gradual_caveat_scope_mandated",
        [*established(), PART_ORG, MANDATED],
        "partial scope",
    ),
    (
        "strategy_gradual_caveat_scope_mandated",
        [*maturing(), WHOLE_ORG, MANDATED],
        "no gradual change",
    ),
    (
        "strategy_expand_caveat_recruitment_cost",
        [NEW_STAFF, SUFFICIENT_FUNDS],
        "sufficient funds",
    ),
    ("strategy_expand_caveat_recruitment_cost", [NEW_STAFF], "funds unknown"),
    ("strategy_expand_caveat_recruitment_cost", [NO_NEW_STAFF, NO_FUNDS], "no expansion"),
    ("strategy_program_review", [stakeholder()], "no program"),
    ("strategy_collaborative_external_planner", [INTERNAL_PLANNER], "internal planner"),
    (
        "strategy_collaborative_resisted",
        [field("planner.organization_resists_intervention", False)],
        "no resistance",
    ),
    (
        "strategy_collaborative_outsider_cause",
        [INTERNAL_PROPOSAL, INTERNAL_PLANNER],
        "no outsider-origin",
    ),
    (
        "strategy_expand_service_area",
        [field("change.triggers", "service-area-expansion"), NO_NEW_STAFF],
        "no new staff needed",
    ),
]


@pytest.mark.parametrize(
    ("rule", "facts"),
    [entry[:2] for entry in NEAREST_MISSES],
    ids=[f"{rule}-{why}" for rule, _, why in NEAREST_MISSES],
)
def test_rule_does_not_fire_on_the_nearest_miss(run, rule, facts):
    assert run(*facts).did_not_fire(rule)


# --------------------------------------------------------------------------- combined (Advisor)


def strategies(advice):
    return {s.id: s for s in advice.strategies}


EDUCATION = {"change.skills_required": "extensive"}


@pytest.mark.parametrize(
    ("staff", "caveats", "first_steps"),
    [
        (
            {"involved_in_design": True, "field_experience": "high", "authority_to_change": True},
            [],
            [],
        ),
        (
            {"involved_in_design": False, "field_experience": "high", "authority_to_change": True},
            ["education-not-involved"],
            [],
        ),
        (
            {"involved_in_design": True, "field_experience": "low", "authority_to_change": True},
            ["education-no-field-experience"],
            [],
        ),
        (
            {"involved_in_design": True, "field_experience": "high", "authority_to_change": False},
            ["education-no-authority"],
            [],
        ),
        (
            {"involved_in_design": False, "field_experience": "low", "authority_to_change": True},
            ["education-not-involved", "education-no-field-experience"],
            [],
        ),
        (
            {"involved_in_design": False, "field_experience": "low", "authority_to_change": False},
            ["education-not-involved", "education-no-field-experience", "education-no-authority"],
            ["education-create-conditions"],
        ),
    ],
)
def test_each_unmet_education_condition_is_a_caveat(advisor, staff, caveats, first_steps):
    answers = {**EDUCATION, **{f"staff.{name}": value for name, value in staff.items()}}

    education = strategies(advisor.infer(make_case(answers)))["education"]

    assert education.caveats == caveats
    assert education.first_steps == first_steps


def test_no_education_and_so_no_caveats_when_no_new_skills_are_needed(advisor):
    answers = {
        "change.skills_required": "none",
        "staff.involved_in_design": False,
        "staff.field_experience": "low",
        "staff.authority_to_change": False,
    }

    assert "education" not in strategies(advisor.infer(make_case(answers)))


def test_shake_up_always_carries_its_not_permanent_caveat(advisor):
    for answers in (
        {"organization.formalized_procedures": True},
        {"organization.age_years": 40},
        {"organization.age_years": 40, "change.proposed_by": "external"},
    ):
        case = make_case({**answers, "resources.problems_acknowledged": False})

        shake_up = strategies(advisor.infer(case))["shake-up"]

        assert shake_up.caveats == ["shake-up-not-permanent"]
        assert texts(shake_up.because) == [
            "lifecycle = established",
            "resources.problems_acknowledged = false",
        ]


@pytest.mark.parametrize(
    "answers",
    [
        {"organization.formalized_procedures": True, "resources.problems_acknowledged": True},
        {"organization.formalized_procedures": False, "resources.problems_acknowledged": False},
        {"organization.formalized_procedures": True},
    ],
)
def test_no_shake_up_unless_established_and_blind_to_its_problems(advisor, answers):
    assert "shake-up" not in strategies(advisor.infer(make_case(answers)))


@pytest.mark.parametrize(
    ("answers", "caveats"),
    [
        ({"change.proposed_by": "external"}, ["consultants-also-outsiders"]),
        ({"change.proposed_by": "joint"}, ["consultants-also-outsiders"]),
        ({"change.proposed_by": "internal", "planner.origin": "internal"}, []),
    ],
)
def test_consultant_is_an_outsider_only_when_outsider_origin_holds(advisor, answers, caveats):
    case = make_case(
        {"partners.consultant_available": True, "change.skills_required": "some", **answers}
    )
    advice = advisor.infer(case)

    assert strategies(advice)["consultants"].caveats == caveats
    assert ("outsider-origin" in {c.id for c in advice.causes}) is bool(caveats)


def test_expand_expertise_with_an_agency_is_told_to_specify_the_staff(advisor):
    case = make_case({"change.new_staff_required": True, "change.recruitment_via_agency": True})
    advice = advisor.infer(case)

    assert strategies(advice)["expand-expertise"].caveats == ["expand-agency-needs-detail"]
    assert "recruitment-spec" in {g.id for g in advice.guidance}


@pytest.mark.parametrize(
    ("new_staff", "expands"), [(True, True), ("unknown", True), (False, False)]
)
def test_a_larger_service_area_calls_for_more_experts_unless_no_new_staff_are_needed(
    advisor, new_staff, expands
):
    # ¶66: more change, more experts; a case that says the change needs no new
    # staff is not told to hire them, nor warned what hiring costs (¶60).
    case = make_case(
        {
            "change.triggers": ["service-area-expansion"],
            "change.new_staff_required": new_staff,
            "funding.funds_for_change": "none",
        }
    )
    found = strategies(advisor.advise(case))
    assert ("expand-expertise" in found) == expands
    if expands:
        assert "change.triggers = service-area-expansion" in texts(
            found["expand-expertise"].because
        )
        assert "recruitment-cost" in found["expand-expertise"].caveats


ESTABLISHED_WHOLE = {
    "organization.age_years": 27,
    "organization.formalized_procedures": True,
    "change.scope": "organization-wide",
}


@pytest.mark.parametrize(
    ("triggers", "caveat"),
    [
        (["policy-change"], "gradual-within-mandate"),
        (["funding-change", "policy-change"], "gradual-within-mandate"),
        (["other"], "gradual-not-every-area"),
        ([], "gradual-not-every-area"),
        ("unknown", "gradual-not-every-area"),
    ],
)
def test_a_mandated_change_is_staged_within_the_mandate_instead_of_narrowed(
    advisor, triggers, caveat
):
    # Not beside: a change the law requires cannot be narrowed (¶65, ¶52, ¶71).
    case = make_case({**ESTABLISHED_WHOLE, "change.triggers": triggers})

    assert strategies(advisor.infer(case))["gradual-change"].caveats == [caveat]


def test_unknown_triggers_keep_the_usual_caveat_and_are_listed_as_changing_it(advisor):
    found = unknown_answers(advisor.advise(make_case(ESTABLISHED_WHOLE)))

    assert "[policy-change]" in found["change.triggers"]


def test_a_mandated_change_in_part_of_the_organization_has_no_scope_caveat(advisor):
    case = make_case(
        {**ESTABLISHED_WHOLE, "change.scope": "partial", "change.triggers": ["policy-change"]}
    )

    assert strategies(advisor.infer(case))["gradual-change"].caveats == []


@pytest.mark.parametrize(
    ("funds", "caveats"),
    [
        ("none", ["recruitment-cost"]),
        ("partial", ["recruitment-cost"]),
        ("sufficient", []),
    ],
)
def test_expanding_expertise_without_the_funds_is_told_recruiting_costs(advisor, funds, caveats):
    case = make_case(
        {
            "change.new_staff_required": True,
            "change.recruitment_via_agency": False,
            "funding.funds_for_change": funds,
        }
    )

    assert strategies(advisor.infer(case))["expand-expertise"].caveats == caveats
    # A case must answer funds_for_change; unknown funds (no fact) are a near miss above.


def test_recruitment_cost_comes_before_the_agency_caveat(advisor):
    case = make_case(
        {
            "change.new_staff_required": True,
            "change.recruitment_via_agency": True,
            "funding.funds_for_change": "none",
        }
    )

    assert strategies(advisor.infer(case))["expand-expertise"].caveats == [
        "recruitment-cost",
        "expand-agency-needs-detail",
    ]


# --------------------------------------------------------------------------- ranking

FULL_CASE = {
    "organization.age_years": 27,
    "organization.formalized_procedures": True,
    "organization.years_to_current_state": 15,
    "change.proposed_by": "external",
    "change.triggers": ["service-area-expansion", "new-program-data"],
    "change.skills_required": "extensive",
    "change.new_staff_required": True,
    "change.recruitment_via_agency": True,
    "change.pace": "rapid",
    "change.scope": "organization-wide",
    "funding.funds_for_change": "none",
    "funding.allocation": "fixed",
    "resources.limited": True,
    "resources.problems_acknowledged": False,
    "staff.involved_in_design": False,
    "partners.peer_institution_available": True,
    "partners.peer_stronger": True,
    "partners.consultant_available": True,
    "planner.origin": "external",
    "planner.organization_resists_intervention": True,
}
FULL_STAKEHOLDERS = [{"name": "field workers", "directly_affected": True, "impact": "negative"}]
FULL_PROGRAMS = [{"name": "home visits", "viable": True, "effectiveness": "low"}]


@pytest.fixture(scope="module")
def full_advice(advisor):
    return advisor.infer(make_case(FULL_CASE, FULL_STAKEHOLDERS, FULL_PROGRAMS))


def test_every_strategy_of_the_brief_is_recommended_in_the_full_case(full_advice):
    assert {s.id for s in full_advice.strategies} == {
        "education",
        "adapt-to-resources",
        "negotiate-incentives",
        "expand-expertise",
        "consultants",
        "shake-up",
        "link-institutions",
        "affected-parties",
        "gradual-change",
        "program-review",
        "collaborative-stance",
    }


def test_strategies_are_ranked_one_to_n_by_falling_score(full_advice):
    ranked = full_advice.strategies

    assert [s.rank for s in ranked] == list(range(1, len(ranked) + 1))
    scores = [s.score for s in ranked]
    assert scores == sorted(scores, reverse=True)
    assert ranked[0].score == max(scores)
    assert ranked[0].score > ranked[-1].score


def test_equal_scores_keep_the_order_of_the_source(full_advice, advisor):
    # the tie order (``ties_first``, ¶52, ¶71) first, then the source's list order
    ranking = advisor.knowledge.thresholds["ranking"]
    order = ranking["ties_first"] + [
        s for s in advisor.knowledge.strategies if s not in ranking["ties_first"]
    ]
    placed = ranking["min_place"]
    ranked = [s for s in full_advice.strategies if s.id not in placed]

    for higher, lower in zip(ranked, ranked[1:], strict=False):
        if higher.score == lower.score:
            assert order.index(higher.id) < order.index(lower.id)


def test_score_is_the_strongest_cited_cause_whatever_the_number_of_rules(full_advice):
    found = strategies(full_advice)

    # Three rules (R4 strong, established, a losing stakeholder): R4 strong, 3.
    assert found["gradual-change"].score == 3
    assert len(found["gradual-change"].rules) == 3
    # R1 strong, 3, however many rules cite facts besides.
    assert found["collaborative-stance"].score == 3
    # R2 strong
    assert found["negotiate-incentives"].score == 3
    # two fact-only rules (a peer, a stronger peer): facts only, 1
    assert found["link-institutions"].score == 1
    # one losing stakeholder: facts (1) and the source's emphasis on those who lose (2)
    assert found["affected-parties"].score == 3
    assert found["affected-parties"].rank == 3
    assert found["negotiate-incentives"].rank < found["link-institutions"].rank


@pytest.mark.parametrize(("funds", "score"), [("none", 3), ("partial", 2)])
def test_negotiation_weighs_by_the_strength_of_financial_resistance(advisor, funds, score):
    advice = advisor.infer(make_case({"funding.funds_for_change": funds}))

    ranked = [(s.id, s.rank, s.score) for s in advice.strategies]
    # Both answer the same financial resistance; on a tie the source's order holds.
    assert ranked == [("adapt-to-resources", 1, score), ("negotiate-incentives", 2, score)]


def test_a_strong_cause_outranks_facts_that_come_first_in_the_source(advisor):
    case = make_case(
        {
            "change.skills_required": "some",  # education (S1) via R3 moderate: 2
            "change.proposed_by": "external",  # collaborative-stance (S11) via R1 ...
            "organization.formalized_procedures": True,  # ... made strong by the stage: 3
        }
    )

    ranked = [s.id for s in advisor.infer(case).strategies]

    assert ranked.index("collaborative-stance") < ranked.index("education")


# --------------------------------------------------------------------------- unknowns


def unknown_answers(advice):
    return answers_written(advice)


def test_an_unknown_that_would_add_a_caveat_is_listed_with_the_answer(advisor):
    case = make_case(
        {
            "change.skills_required": "extensive",
            "staff.involved_in_design": False,
            "staff.field_experience": "low",
        }
    )

    found = unknown_answers(advisor.advise(case))

    assert found["staff.authority_to_change"] == ["false"]


def test_the_same_unknown_is_absent_when_no_answer_would_change_the_advice(advisor):
    case = make_case(
        {
            "change.skills_required": "none",
            "staff.involved_in_design": False,
            "staff.field_experience": "low",
        }
    )

    found = unknown_answers(advisor.advise(case))

    assert "staff.authority_to_change" not in found
    assert "organization.type" not in found  # no rule reads it


def test_unknown_peer_strength_matters_only_when_a_peer_is_available(advisor):
    with_peer = make_case({"partners.peer_institution_available": True})
    without_peer = make_case({"partners.peer_institution_available": False})

    # false adds the caveat; true only adds a reason, and a lone strategy keeps rank 1
    assert unknown_answers(advisor.advise(with_peer))["partners.peer_stronger"] == ["false"]
    assert "partners.peer_stronger" not in unknown_answers(advisor.advise(without_peer))


def test_unknown_peer_strength_true_no_longer_matters_for_a_second_reason(advisor):
    # expand-expertise (S4) and link-institutions (S7) both rest on facts (1); a
    # stronger peer would give link-institutions a second reason, which does not lift
    # its rank (the number of rules does not count), so only "false" (a caveat) matters.
    case = make_case(
        {
            "partners.peer_institution_available": True,
            "change.triggers": ["service-area-expansion"],
        }
    )

    assert unknown_answers(advisor.advise(case))["partners.peer_stronger"] == ["false"]


def test_answered_fields_are_never_listed_as_unknown(advisor):
    case = make_case(FULL_CASE, FULL_STAKEHOLDERS, FULL_PROGRAMS)

    found = unknown_answers(advisor.advise(case))

    assert found  # some fields are still unknown and matter, e.g. the staff's authority
    assert not set(found) & set(FULL_CASE)
    assert all(answers for answers in found.values())
