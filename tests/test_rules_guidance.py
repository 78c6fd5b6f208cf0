"""rules/guidance.py: guidance to the planner beyond the eleven strategies
(¶23–¶34, ¶52, ¶58–¶61), and from Part A of the source (¶6–¶22, ¶31, ¶36–¶48)."""

import json

import pytest

from perencana.engine.reasoning.facts import Guidance
from perencana.engine.view.advice_json import advice_json, texts
from tests.conftest import established, field, make_case, maturing, program, stakeholder, young
from tests.helpers import invoke

LOSER = "stakeholders[0] (shelter staff): directly_affected = true, impact = negative"
GAINER = "stakeholders[0] (children): directly_affected = true, impact = positive"
NEW_STAFF = field("change.new_staff_required", True)
VIA_AGENCY = field("change.recruitment_via_agency", True)
OTHER_AGENCIES = field("partners.other_agencies_same_area", True)

# rule, facts declared, guidance id, because (as the Guidance cites it), matched facts
GUIDANCE = [
    (
        "guidance_facilitator_unacknowledged",
        [field("resources.problems_acknowledged", False)],
        "facilitator",
        ("resources.problems_acknowledged = false",),
        ["resources.problems_acknowledged = false"],
    ),
    (
        "guidance_facilitator_limited_resources",
        [field("resources.limited", True)],
        "facilitator",
        ("resources.limited = true",),
        ["resources.limited = true"],
    ),
    ("guidance_mission_alignment", [], "mission-alignment", (), []),
    ("guidance_values", [], "values", (), []),
    (
        "guidance_involve_stakeholders_listed",
        [stakeholder()],
        "involve-stakeholders",
        (LOSER,),
        [LOSER],
    ),
    (
        "guidance_involve_stakeholders_listed",
        [stakeholder(name="children", impact="positive")],
        "involve-stakeholders",
        (GAINER,),
        [GAINER],
    ),
    (
        "guidance_involve_stakeholders_staff",
        [field("staff.involved_in_design", False)],
        "involve-stakeholders",
        ("staff.involved_in_design = false",),
        ["staff.involved_in_design = false"],
    ),
    (
        "guidance_ideology_consensus",
        [field("planner.ideology", "consensus")],
        "ideology-consensus",
        ("planner.ideology = consensus",),
        ["planner.ideology = consensus"],
    ),
    (
        "guidance_ideology_conflict",
        [field("planner.ideology", "conflict")],
        "ideology-conflict",
        ("planner.ideology = conflict",),
        ["planner.ideology = conflict"],
    ),
    (
        "guidance_character_operationalist",
        [field("planner.character", "operationalist")],
        "character-operationalist",
        ("planner.character = operationalist",),
        ["planner.character = operationalist"],
    ),
    (
        "guidance_character_data_first",
        [field("planner.character", "data-first")],
        "character-data-first",
        ("planner.character = data-first",),
        ["planner.character = data-first"],
    ),
    (
        "guidance_character_client_focused",
        [field("planner.character", "client-focused")],
        "character-client-focused",
        ("planner.character = client-focused",),
        ["planner.character = client-focused"],
    ),
    (
        "guidance_innovation_check_trigger",
        [field("change.triggers", "new-program-data")],
        "innovation-check",
        ("change.triggers = new-program-data",),
        ["change.triggers = new-program-data"],
    ),
    (
        "guidance_innovation_check_trigger",
        [field("change.triggers", "service-area-expansion")],
        "innovation-check",
        ("change.triggers = service-area-expansion",),
        ["change.triggers = service-area-expansion"],
    ),
    (
        "guidance_innovation_check_young",
        [*young()],
        "innovation-check",
        ("lifecycle = young",),
        ["lifecycle = young"],
    ),
    (
        "guidance_position_limits_executive",
        [field("planner.position", "executive")],
        "position-limits",
        ("planner.position = executive",),
        ["planner.position = executive"],
    ),
    (
        "guidance_community_donor_funding_change",
        [field("change.triggers", "funding-change")],
        "community-donor",
        ("change.triggers = funding-change",),
        ["change.triggers = funding-change"],
    ),
    (
        "guidance_community_donor_short_funds",
        [field("funding.funds_for_change", "none")],
        "community-donor",
        ("funding.funds_for_change = none",),
        ["funding.funds_for_change = none"],
    ),
    (
        "guidance_community_donor_short_funds",
        [field("funding.funds_for_change", "partial")],
        "community-donor",
        ("funding.funds_for_change = partial",),
        ["funding.funds_for_change = partial"],
    ),
    (
        "guidance_recruitment_spec",
        [NEW_STAFF, VIA_AGENCY],
        "recruitment-spec",
        ("change.new_staff_required = true", "change.recruitment_via_agency = true"),
        ["change.new_staff_required = true", "change.recruitment_via_agency = true"],
    ),
    (
        "guidance_mandated_change",
        [field("change.triggers", "policy-change")],
        "mandated-change",
        ("change.triggers = policy-change",),
        ["change.triggers = policy-change"],
    ),
    (
        "guidance_credibility_low",
        [field("planner.credibility", "low")],
        "credibility",
        ("planner.credibility = low",),
        ["planner.credibility = low"],
    ),
    (
        "guidance_role_sectoral_planning",
        [field("planner.role", "sectoral-planning")],
        "role-sectoral-planning",
        ("planner.role = sectoral-planning",),
        ["planner.role = sectoral-planning"],
    ),
    (
        "guidance_role_policy_input",
        [field("planner.role", "policy-input")],
        "role-policy-input",
        ("planner.role = policy-input",),
        ["planner.role = policy-input"],
    ),
    (
        "guidance_role_mobilize_support",
        [field("planner.role", "mobilize-support")],
        "role-mobilize-support",
        ("planner.role = mobilize-support",),
        ["planner.role = mobilize-support"],
    ),
    (
        "guidance_role_internal_change",
        [field("planner.role", "internal-change")],
        "role-internal-change",
        ("planner.role = internal-change",),
        ["planner.role = internal-change"],
    ),
    (
        "guidance_role_service_areas",
        [field("planner.role", "service-areas")],
        "role-service-areas",
        ("planner.role = service-areas",),
        ["planner.role = service-areas"],
    ),
    (
        "guidance_role_community_development",
        [field("planner.role", "community-development")],
        "role-community-development",
        ("planner.role = community-development",),
        ["planner.role = community-development"],
    ),
    (
        "guidance_background_specialist",
        [field("planner.background", "specialist")],
        "background-specialist",
        ("planner.background = specialist",),
        ["planner.background = specialist"],
    ),
    (
        "guidance_background_administrator",
        [field("planner.background", "administrator")],
        "background-administrator",
        ("planner.background = administrator",),
        ["planner.background = administrator"],
    ),
    (
        "guidance_background_social_science",
        [field("planner.background", "social-science")],
        "background-social-science",
        ("planner.background = social-science",),
        ["planner.background = social-science"],
    ),
    (
        "guidance_background_trained_planner",
        [field("planner.background", "trained-planner")],
        "background-trained-planner",
        ("planner.background = trained-planner",),
        ["planner.background = trained-planner"],
    ),
    (
        "guidance_cross_sectoral_coordinator",
        [OTHER_AGENCIES],
        "cross-sectoral-coordinator",
        ("partners.other_agencies_same_area = true",),
        ["partners.other_agencies_same_area = true"],
    ),
    (
        "guidance_coordinating_body",
        [OTHER_AGENCIES, field("partners.coordinating_body", True)],
        "coordinating-body",
        ("partners.other_agencies_same_area = true", "partners.coordinating_body = true"),
        ["partners.other_agencies_same_area = true", "partners.coordinating_body = true"],
    ),
    (
        "guidance_diagnosis_skill",
        [field("planner.diagnosis_skill", "low")],
        "diagnosis-skill",
        ("planner.diagnosis_skill = low",),
        ["planner.diagnosis_skill = low"],
    ),
]


@pytest.mark.parametrize(
    ("rule", "facts", "guidance", "because", "matched"),
    GUIDANCE,
    ids=[f"{entry[0]}-{index}" for index, entry in enumerate(GUIDANCE)],
)
def test_rule_gives_its_guidance(run, rule, facts, guidance, because, matched):
    result = run(*facts)

    assert result.of(Guidance, rule=rule) == [{"id": guidance, "because": because, "rule": rule}]
    step = result.step(rule)
    assert step.facts == matched
    assert len(step.concluded) == 1
    expected = f"guidance {guidance}" + (f" (because {'; '.join(because)})" if because else "")
    assert step.concluded[0] == expected


NEAREST_MISSES = [
    (
        "guidance_facilitator_unacknowledged",
        [field("resources.problems_acknowledged", True)],
        "acknowledged",
    ),
    ("guidance_facilitator_limited_resources", [field("resources.limited", False)], "ample"),
    ("guidance_involve_stakeholders_listed", [program()], "no stakeholder"),
    ("guidance_involve_stakeholders_staff", [field("staff.involved_in_design", True)], "involved"),
    ("guidance_ideology_consensus", [field("planner.ideology", "conflict")], "conflict"),
    ("guidance_ideology_conflict", [field("planner.ideology", "consensus")], "consensus"),
    (
        "guidance_character_operationalist",
        [field("planner.character", "client-focused")],
        "client-focused",
    ),
    (
        "guidance_character_data_first",
        [field("planner.character", "operationalist")],
        "operationalist",
    ),
    (
        "guidance_character_client_focused",
        [field("planner.character", "data-first")],
        "data-first",
    ),
    (
        "guidance_innovation_check_trigger",
        [field("change.triggers", "funding-change")],
        "funding trigger",
    ),
    (
        "guidance_innovation_check_trigger",
        [field("change.triggers", "policy-change")],
        "policy trigger",
    ),
    ("guidance_innovation_check_young", [*maturing()], "maturing"),
    ("guidance_innovation_check_young", [*established()], "established"),
    ("guidance_position_limits_executive", [field("planner.position", "middle")], "middle"),
    ("guidance_position_limits_executive", [field("planner.position", "both")], "both"),
    (
        "guidance_community_donor_funding_change",
        [field("change.triggers", "policy-change")],
        "policy trigger",
    ),
    (
        "guidance_community_donor_short_funds",
        [field("funding.funds_for_change", "sufficient")],
        "sufficient funds",
    ),
    (
        "guidance_recruitment_spec",
        [NEW_STAFF, field("change.recruitment_via_agency", False)],
        "direct hire",
    ),
    (
        "guidance_recruitment_spec",
        [field("change.new_staff_required", False), VIA_AGENCY],
        "no new staff",
    ),
    ("guidance_recruitment_spec", [VIA_AGENCY], "new staff unknown"),
    ("guidance_credibility_low", [field("planner.credibility", "medium")], "medium"),
    (
        "guidance_mandated_change",
        [field("change.triggers", "funding-change"), field("change.triggers", "other")],
        "other triggers",
    ),
    ("guidance_mandated_change", [], "triggers unknown"),
    ("guidance_role_sectoral_planning", [field("planner.role", "policy-input")], "policy-input"),
    (
        "guidance_role_policy_input",
        [field("planner.role", "sectoral-planning")],
        "sectoral-planning",
    ),
    (
        "guidance_role_mobilize_support",
        [field("planner.role", "internal-change")],
        "internal-change",
    ),
    (
        "guidance_role_internal_change",
        [field("planner.role", "mobilize-support")],
        "mobilize-support",
    ),
    (
        "guidance_role_service_areas",
        [field("planner.role", "community-development")],
        "community-development",
    ),
    (
        "guidance_role_community_development",
        [field("planner.role", "service-areas")],
        "service-areas",
    ),
    (
        "guidance_background_specialist",
        [field("planner.background", "trained-planner")],
        "trained-planner",
    ),
    (
        "guidance_background_administrator",
        [field("planner.background", "social-science")],
        "social-science",
    ),
    (
        "guidance_background_social_science",
        [field("planner.background", "administrator")],
        "administrator",
    ),
    (
        "guidance_background_trained_planner",
        [field("planner.background", "specialist")],
        "specialist",
    ),
    (
        "guidance_cross_sectoral_coordinator",
        [
            field("partners.other_agencies_same_area", False),
            field("partners.coordinating_body", True),
        ],
        "no other agency",
    ),
    (
        "guidance_coordinating_body",
        [OTHER_AGENCIES, field("partners.coordinating_body", False)],
        "no coordinating body",
    ),
    (
        "guidance_coordinating_body",
        [
            field("partners.other_agencies_same_area", False),
            field("partners.coordinating_body", True),
        ],
        "no other agency",
    ),
    ("guidance_coordinating_body", [OTHER_AGENCIES], "coordinating body unknown"),
    ("guidance_diagnosis_skill", [field("planner.diagnosis_skill", "medium")], "medium"),
    ("guidance_diagnosis_skill", [field("planner.negotiation_skill", "low")], "negotiation low"),
]


@pytest.mark.parametrize(
    ("rule", "facts"),
    [entry[:2] for entry in NEAREST_MISSES],
    ids=[f"{rule}-{why}" for rule, _, why in NEAREST_MISSES],
)
def test_rule_does_not_fire_on_the_nearest_miss(run, rule, facts):
    assert run(*facts).did_not_fire(rule)


# mission-alignment and values hold for every case (¶58, ¶27, ¶34): they have no
# condition to miss; what can go wrong is firing never, or more than once.


@pytest.mark.parametrize("rule", ["guidance_mission_alignment", "guidance_values"])
@pytest.mark.parametrize(
    "facts",
    [
        [],
        [field("funding.funds_for_change", "none"), stakeholder(), program()],
        [*established(), field("planner.ideology", "conflict"), stakeholder(1), stakeholder(2)],
    ],
    ids=["no facts", "some facts", "many facts"],
)
def test_unconditional_guidance_fires_exactly_once_per_run(run, rule, facts):
    assert run(*facts).fired.count(rule) == 1


def test_guidance_on_several_grounds_is_one_item_with_every_reason(advisor):
    case = make_case(
        {"resources.problems_acknowledged": False, "resources.limited": True},
        stakeholders=[{"name": "staff", "directly_affected": True, "impact": "negative"}],
    )

    guidance = {g.id: g for g in advisor.infer(case).guidance}

    assert set(texts(guidance["facilitator"].because)) == {
        "resources.problems_acknowledged = false",
        "resources.limited = true",
    }
    assert guidance["facilitator"].sources == [61]


def test_advice_guidance_for_a_minimal_case_is_the_unconditional_items(advisor):
    advice = advisor.infer(make_case())

    assert [g.id for g in advice.guidance] == ["mission-alignment", "values"]


@pytest.mark.parametrize(
    ("ideology", "present", "absent"),
    [
        ("consensus", "ideology-consensus", "ideology-conflict"),
        ("conflict", "ideology-conflict", "ideology-consensus"),
    ],
)
def test_advice_adapts_to_the_planners_ideology(advisor, ideology, present, absent):
    ids = {g.id for g in advisor.infer(make_case({"planner.ideology": ideology})).guidance}

    assert present in ids
    assert absent not in ids


# --------------------------------------------------------------------------- a mandated change

MANDATED_CASE = {
    "organization.age_years": 27,
    "organization.formalized_procedures": True,
    "change.triggers": ["policy-change"],
    "change.scope": "organization-wide",
}


@pytest.mark.parametrize(
    ("triggers", "given"),
    [
        (["policy-change"], True),
        (["funding-change", "policy-change"], True),
        (["funding-change", "other"], False),
        ([], False),
        ("unknown", False),
    ],
)
def test_a_change_imposed_by_law_or_policy_must_still_be_won(advisor, triggers, given):
    advice = advisor.infer(make_case({"change.triggers": triggers}))

    assert ("mandated-change" in {g.id for g in advice.guidance}) is given


def test_json_advice_of_a_mandated_change_holds_its_guidance_and_its_caveat(advisor):
    written = advice_json(advisor.advise(make_case(MANDATED_CASE)))

    guidance = {g["id"]: g for g in written["guidance"]}
    assert guidance["mandated-change"]["because"] == ["change.triggers = policy-change"]
    assert guidance["mandated-change"]["sources"] == [65, 52]
    gradual = next(s for s in written["strategies"] if s["id"] == "gradual-change")
    assert gradual["caveats"] == ["gradual-within-mandate"]


def test_the_indonesian_memo_words_a_mandated_change_for_a_mandate(tmp_path, knowledge):
    case = tmp_path / "mandated.json"
    case.write_text(json.dumps(make_case(MANDATED_CASE)), encoding="utf-8")

    result = invoke("advise", case, "--lang", "id", "--edition", "trainer")

    assert result.returncode == 0, result.stderr
    memo = " ".join(result.stdout.split())
    for text in (
        knowledge.guidance["mandated-change"]["title"]["id"],
        knowledge.guidance["mandated-change"]["text"]["id"],
        knowledge.caveats["gradual-within-mandate"]["text"]["id"],
    ):
        assert " ".join(text.split()) in memo
    # The rule for the usual caveat fires too (the rules never retract): the advice
    # leaves its caveat out, and the reasoning appendix says it was replaced.
    usual = " ".join(knowledge.caveats["gradual-not-every-area"]["text"]["id"].split())
    advice_part, appendix = memo.split(knowledge.memo["headings"]["appendix"]["id"])
    assert usual not in advice_part
    assert f"digantikan oleh catatan yang dirumuskan untuk kasus ini: {usual}" in appendix
