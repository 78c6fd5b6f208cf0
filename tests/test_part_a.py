"""Part A of the source where it bears on the advice, as the JSON advice shows it: the
planner's role (¶11–¶19), other agencies in the same area (¶20–¶22), the skills the
strategies need (¶31) and the planner's background (¶35–¶48); and, left out, these
optional fields change nothing of the advice a case had before they existed."""

import json

import jsonschema
import pytest

from perencana.engine.case.validation import validate_case
from perencana.engine.view.advice_json import advice_json
from tests.conftest import BASE_CASE, make_case
from tests.generated_cases import PART_A_FIELDS
from tests.helpers import ROOT, invoke

# A case with resistance of every kind, so that Part A could only add to its advice.
BUSY_CASE = {
    "organization.age_years": 25,
    "organization.formalized_procedures": True,
    "organization.years_to_current_state": 15,
    "change.proposed_by": "external",
    "change.pace": "rapid",
    "change.skills_required": "extensive",
    "change.new_staff_required": True,
    "funding.funds_for_change": "none",
    "resources.limited": True,
    "resources.problems_acknowledged": False,
    "planner.origin": "external",
}
LOSERS = [{"name": "night shift", "directly_affected": True, "impact": "negative"}]


def advice_of(advisor, answers, stakeholders=None):
    return advice_json(advisor.advise(make_case(answers, stakeholders=stakeholders)))


def guidance_of(written):
    return {g["id"]: g for g in written["guidance"]}


def strategy(written, strategy_id):
    return next(s for s in written["strategies"] if s["id"] == strategy_id)


# --------------------------------------------------------------------------- role


@pytest.mark.parametrize(
    ("role", "guidance", "sources"),
    [
        ("sectoral-planning", "role-sectoral-planning", [12, 19, 22]),
        ("policy-input", "role-policy-input", [13, 19, 6, 9]),
        ("mobilize-support", "role-mobilize-support", [15, 52]),
        ("internal-change", "role-internal-change", [16]),
        ("service-areas", "role-service-areas", [17, 7, 8]),
        ("community-development", "role-community-development", [18, 10]),
    ],
)
def test_the_planners_role_gives_its_own_guidance_and_no_other(advisor, role, guidance, sources):
    written = advice_of(advisor, {"planner.role": role})

    given = guidance_of(written)
    assert given[guidance]["because"] == [f"planner.role = {role}"]
    assert given[guidance]["sources"] == sources
    assert [g for g in given if g.startswith("role-")] == [guidance]


# --------------------------------------------------------------------------- coordination


@pytest.mark.parametrize(
    ("others", "body", "expected"),
    [
        (True, True, ["cross-sectoral-coordinator", "coordinating-body"]),
        (True, False, ["cross-sectoral-coordinator"]),
        (True, "unknown", ["cross-sectoral-coordinator"]),
        (False, True, []),
        (False, False, []),
        ("unknown", True, []),
    ],
)
def test_other_agencies_in_the_same_area_call_for_coordination(advisor, others, body, expected):
    written = advice_of(
        advisor,
        {"partners.other_agencies_same_area": others, "partners.coordinating_body": body},
    )

    ids = [
        g for g in guidance_of(written) if g in ("cross-sectoral-coordinator", "coordinating-body")
    ]
    assert ids == expected


def test_a_coordinating_body_is_named_with_both_facts_and_its_passage(advisor):
    written = advice_of(
        advisor,
        {"partners.other_agencies_same_area": True, "partners.coordinating_body": True},
    )

    body = guidance_of(written)["coordinating-body"]
    assert body["because"] == [
        "partners.other_agencies_same_area = true",
        "partners.coordinating_body = true",
    ]
    assert body["sources"] == [20]
    assert guidance_of(written)["cross-sectoral-coordinator"]["sources"] == [22, 20, 21]


def memo_of(tmp_path, answers, lang="en"):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(make_case(answers)), encoding="utf-8")
    result = invoke("advise", case, "--lang", lang)
    assert result.returncode == 0, result.stderr
    return " ".join(result.stdout.split())


@pytest.mark.parametrize("lang", ["en", "id"])
def test_with_no_coordinating_body_the_memo_asks_for_one(tmp_path, knowledge, lang):
    item = knowledge.guidance["cross-sectoral-coordinator"]
    (variant,) = [
        v for v in item["variants"] if v["when"] == {"partners.coordinating_body": [False]}
    ]
    without_body = " ".join(variant["text"][lang].split())
    usual = " ".join(item["text"][lang].split())

    memo = memo_of(
        tmp_path,
        {"partners.other_agencies_same_area": True, "partners.coordinating_body": False},
        lang,
    )
    assert without_body in memo and usual not in memo

    memo = memo_of(
        tmp_path,
        {"partners.other_agencies_same_area": True, "partners.coordinating_body": True},
        lang,
    )
    assert usual in memo and without_body not in memo


# --------------------------------------------------------------------------- skills


@pytest.mark.parametrize(
    ("skill", "funds", "caveat"),
    [
        ("low", "none", True),
        ("low", "partial", True),
        ("medium", "none", False),
        ("high", "none", False),
        ("unknown", "none", False),
    ],
)
def test_negotiation_the_planner_lacks_is_a_caveat_on_negotiating(advisor, skill, funds, caveat):
    written = advice_of(
        advisor, {"planner.negotiation_skill": skill, "funding.funds_for_change": funds}
    )

    caveats = strategy(written, "negotiate-incentives")["caveats"]
    assert ("negotiation-skill" in caveats) is caveat
    assert caveats[0] == "negotiate-never-force"


def test_no_negotiation_caveat_where_negotiating_is_not_recommended(advisor):
    written = advice_of(advisor, {"planner.negotiation_skill": "low"})

    assert "negotiate-incentives" not in [s["id"] for s in written["strategies"]]
    assert all("negotiation-skill" not in s["caveats"] for s in written["strategies"])
    assert "negotiation-skill" not in guidance_of(written)


@pytest.mark.parametrize(("skill", "given"), [("low", True), ("medium", False), ("high", False)])
def test_a_planner_weak_at_diagnosis_is_told_to_get_help(advisor, skill, given):
    written = advice_of(advisor, {"planner.diagnosis_skill": skill})

    assert ("diagnosis-skill" in guidance_of(written)) is given


def test_the_diagnosis_text_says_the_organization_does_not_see_its_problems_only_then(
    tmp_path, knowledge
):
    item = knowledge.guidance["diagnosis-skill"]
    unseen = " ".join(item["variants"][0]["text"]["en"].split())
    usual = " ".join(item["text"]["en"].split())

    memo = memo_of(
        tmp_path,
        {"planner.diagnosis_skill": "low", "resources.problems_acknowledged": False},
    )
    assert unseen in memo and usual not in memo
    memo = memo_of(
        tmp_path,
        {"planner.diagnosis_skill": "low", "resources.problems_acknowledged": True},
    )
    assert usual in memo and unseen not in memo


# --------------------------------------------------------------------------- background


@pytest.mark.parametrize(
    ("background", "guidance", "sources"),
    [
        ("specialist", "background-specialist", [39, 36]),
        ("administrator", "background-administrator", [40, 44, 46]),
        ("social-science", "background-social-science", [41, 45, 47]),
        ("trained-planner", "background-trained-planner", [42, 37, 48, 73]),
    ],
)
def test_the_planners_background_names_its_blind_spot(advisor, background, guidance, sources):
    written = advice_of(advisor, {"planner.background": background})

    given = guidance_of(written)
    assert given[guidance]["because"] == [f"planner.background = {background}"]
    assert given[guidance]["sources"] == sources
    assert [g for g in given if g.startswith("background-")] == [guidance]


# ---------------------------------------------------------------- what Part A leaves alone

EVERY_ANSWER = {
    "partners.other_agencies_same_area": True,
    "partners.coordinating_body": False,
    "planner.role": "internal-change",
    "planner.background": "administrator",
    "planner.negotiation_skill": "low",
    "planner.diagnosis_skill": "low",
}


def test_part_a_adds_guidance_and_one_caveat_but_never_moves_causes_or_ranks(advisor):
    before = advice_of(advisor, BUSY_CASE, LOSERS)
    after = advice_of(advisor, BUSY_CASE | EVERY_ANSWER, LOSERS)

    assert after["causes"] == before["causes"]
    assert [(s["id"], s["rank"]) for s in after["strategies"]] == [
        (s["id"], s["rank"]) for s in before["strategies"]
    ]
    assert strategy(after, "negotiate-incentives")["caveats"] == [
        *strategy(before, "negotiate-incentives")["caveats"],
        "negotiation-skill",
    ]
    added = [g for g in guidance_of(after) if g not in guidance_of(before)]
    assert added == [
        "role-internal-change",
        "cross-sectoral-coordinator",
        "diagnosis-skill",
        "background-administrator",
    ]


def test_a_case_leaving_the_part_a_fields_out_is_advised_as_before(advisor):
    left_out = advice_of(advisor, BUSY_CASE, LOSERS)
    unknown = advice_of(advisor, BUSY_CASE | dict.fromkeys(PART_A_FIELDS, "unknown"), LOSERS)

    assert left_out == unknown
    assert not set(PART_A_FIELDS) & set(left_out["unknowns"])
    assert "guidance_role_internal_change" not in [step["rule"] for step in left_out["trace"]]


def test_a_wrong_role_names_the_field_and_the_roles():
    raw = json.loads(json.dumps(BASE_CASE))
    raw["planner"] = {"role": "fundraiser"}

    assert [str(problem) for problem in validate_case(raw)] == [
        "planner.role: 'fundraiser' is not allowed; use one of: sectoral-planning, "
        "policy-input, mobilize-support, internal-change, service-areas, "
        "community-development, unknown"
    ]


def test_advice_with_every_part_a_answer_keeps_the_advice_format(advisor):
    schema = json.loads((ROOT / "engine" / "view" / "advice_schema.json").read_text())
    written = advice_of(advisor, BUSY_CASE | EVERY_ANSWER, LOSERS)

    jsonschema.validate(written, schema)
    assert written["format"] == "perencana-advice/1"
