"""Checking a parsed case against the schema, and filling in what it leaves out."""

import copy

import jsonschema
import pytest
import yaml

from perencana.engine.case import validation
from perencana.engine.case.schema import LIST_SECTIONS, field_specs, load_schema
from perencana.engine.case.validation import normalize_case, validate_case
from tests.generated_cases import PART_A_FIELDS

# The example of the public contract (shared/case-format.md), as a user would write it.
FULL_CASE_YAML = """\
organization:
  name: Yayasan Harapan Bangsa
  type: ngo
  sector: child welfare
  age_years: 27
  formalized_procedures: true
  years_to_current_state: 15
  mission: protect and educate street children

change:
  summary: adopt community-based case management
  proposed_by: external
  triggers: [service-area-expansion, new-program-data]
  skills_required: extensive
  new_staff_required: true
  recruitment_via_agency: true
  pace: rapid
  scope: organization-wide

funding:
  funds_for_change: none
  allocation: fixed
  seen_as_costly: true
  sunk_investments: [facilities, trained-staff]

resources:
  limited: true
  unclear_task_division: false
  problems_acknowledged: false

staff:
  involved_in_design: false
  field_experience: high
  authority_to_change: false

stakeholders:
  - name: field social workers
    directly_affected: true
    impact: negative

programs:
  - name: home visits
    viable: true
    effectiveness: low
    efficiency: adequate

partners:
  peer_institution_available: true
  peer_stronger: true
  consultant_available: false

planner:
  origin: external
  ideology: consensus
  character: data-first
  position: executive
  credibility: medium
  organization_resists_intervention: true
"""

MINIMAL_CASE_YAML = """\
organization: {name: Karang Taruna Melati, age_years: 2}
change: {summary: start a youth savings group, proposed_by: internal}
funding: {funds_for_change: partial}
"""

# What the minimal case becomes: every field present, in schema order.
MINIMAL_NORMALIZED = {
    "organization": {
        "name": "Karang Taruna Melati",
        "type": "unknown",
        "sector": "unknown",
        "age_years": 2,
        "formalized_procedures": "unknown",
        "years_to_current_state": "unknown",
        "mission": "unknown",
    },
    "change": {
        "summary": "start a youth savings group",
        "proposed_by": "internal",
        "triggers": "unknown",
        "skills_required": "unknown",
        "new_staff_required": "unknown",
        "recruitment_via_agency": "unknown",
        "pace": "unknown",
        "scope": "unknown",
    },
    "funding": {
        "funds_for_change": "partial",
        "allocation": "unknown",
        "seen_as_costly": "unknown",
        "sunk_investments": "unknown",
    },
    "resources": {
        "limited": "unknown",
        "unclear_task_division": "unknown",
        "problems_acknowledged": "unknown",
    },
    "staff": {
        "involved_in_design": "unknown",
        "field_experience": "unknown",
        "authority_to_change": "unknown",
    },
    "stakeholders": "unknown",
    "programs": "unknown",
    "partners": {
        "peer_institution_available": "unknown",
        "peer_stronger": "unknown",
        "consultant_available": "unknown",
        "other_agencies_same_area": "unknown",
        "coordinating_body": "unknown",
    },
    "planner": {
        "origin": "unknown",
        "ideology": "unknown",
        "character": "unknown",
        "position": "unknown",
        "credibility": "unknown",
        "organization_resists_intervention": "unknown",
        "role": "unknown",
        "background": "unknown",
        "negotiation_skill": "unknown",
        "diagnosis_skill": "unknown",
    },
}
# The optional fields added after the contract example was written (Part A of the
# source): a case that leaves them out gets them as unknown, after the others.
LATER_FIELDS = {}
for _path in PART_A_FIELDS:
    _section, _, _name = _path.partition(".")
    LATER_FIELDS.setdefault(_section, []).append(_name)


def with_later_fields_unknown(case):
    """``case`` as normalizing a case written without the later fields gives it."""
    case = copy.deepcopy(case)
    for section, names in LATER_FIELDS.items():
        for name in names:
            case[section][name] = "unknown"
    return case


# The sections a case normalizes to: all but the memo's own details, which stay out
# when a case leaves them out (they describe the memo, not the organization).
SECTIONS = [section for section in load_schema()["properties"] if section != "memo"]


_FULL_CASE = yaml.safe_load(FULL_CASE_YAML)  # parsed once: a thousand tests copy it
_MINIMAL_CASE = yaml.safe_load(MINIMAL_CASE_YAML)


def full_case():
    """A fresh copy of the contract's example case."""
    return copy.deepcopy(_FULL_CASE)


def minimal_case():
    return copy.deepcopy(_MINIMAL_CASE)


def with_memo(case):
    """``case`` with every field of the optional memo section given."""
    case["memo"] = {
        "title": "Readiness for the new intake system",
        "client_organization": "Dinas Sosial",
        "prepared_by": "Ani Rahayu",
        "prepared_for": "The head of the office",
        "date": "2026-11-30",
        "reference": "PS/2026/14",
    }
    return case


def with_value(case, path, value):
    """``case`` with the dotted ``path`` (list items as ``stakeholders[0]``) set."""
    target, key = _parent(case, path)
    target[key] = value
    return case


def without(case, path):
    """``case`` without ``path`` (a field the case leaves out already stays out)."""
    target, key = _parent(case, path)
    if isinstance(target, dict):
        target.pop(key, None)
    else:
        del target[key]
    return case


def _parent(case, path):
    *heads, last = path.replace("[", ".").replace("]", "").split(".")
    target = case
    for head in heads:
        target = target[int(head)] if head.isdigit() else target[head]
    return target, int(last) if last.isdigit() else last


# ------------------------------------------------------------------ valid cases


def test_the_contract_example_is_valid_and_normalizes_to_itself():
    case = full_case()
    assert validate_case(case) == []
    normalized = normalize_case(case)
    assert normalized == with_later_fields_unknown(case)
    assert list(normalized) == SECTIONS
    assert list(normalized["change"]) == list(load_schema()["properties"]["change"]["properties"])


def test_a_minimal_case_gets_every_other_field_as_unknown_in_schema_order():
    case = minimal_case()
    assert validate_case(case) == []
    normalized = normalize_case(case)
    assert normalized == MINIMAL_NORMALIZED
    assert list(normalized) == SECTIONS
    for section, fields in MINIMAL_NORMALIZED.items():
        if isinstance(fields, dict):
            assert list(normalized[section]) == list(fields), section


def test_normalizing_returns_a_new_case_and_leaves_the_input_alone():
    case = minimal_case()
    before = copy.deepcopy(case)
    normalized = normalize_case(case)
    normalized["organization"]["name"] = "changed"
    assert case == before


def test_missing_fields_of_list_items_become_unknown():
    case = with_value(minimal_case(), "stakeholders", [{"name": "parents"}])
    case["programs"] = []
    normalized = normalize_case(case)
    assert normalized["stakeholders"] == [
        {"name": "parents", "directly_affected": "unknown", "impact": "unknown"}
    ]
    assert normalized["programs"] == []


def test_lists_of_choices_are_put_in_the_schema_order():
    case = with_value(minimal_case(), "change.triggers", ["other", "funding-change"])
    case["funding"]["sunk_investments"] = ["equipment", "facilities"]
    normalized = normalize_case(case)
    assert normalized["change"]["triggers"] == ["funding-change", "other"]
    assert normalized["funding"]["sunk_investments"] == ["facilities", "equipment"]


def test_a_whole_number_written_with_a_decimal_point_is_accepted_as_that_number():
    case = with_value(minimal_case(), "organization.age_years", 27.0)
    assert validate_case(case) == []
    assert normalize_case(case)["organization"]["age_years"] == 27
    assert type(normalize_case(case)["organization"]["age_years"]) is int


OPTIONAL_PATHS = [
    spec.path.replace("[]", "[0]")
    for spec in field_specs()
    if not spec.required and spec.kind != "text"
]


@pytest.mark.parametrize("path", OPTIONAL_PATHS)
def test_unknown_is_accepted_for_every_optional_field(path):
    assert validate_case(with_value(full_case(), path, "unknown")) == []


@pytest.mark.parametrize("section", ["stakeholders", "programs"])
def test_unknown_is_accepted_for_a_whole_list(section):
    assert validate_case(with_value(full_case(), section, "unknown")) == []


@pytest.mark.parametrize("value", [True, False])
def test_booleans_are_accepted(value):
    assert validate_case(with_value(full_case(), "resources.limited", value)) == []


# -------------------------------------------------------------- one bad answer


def problems_with(path, value):
    """The problems of the contract example with ``path`` set to ``value``."""
    return validate_case(with_value(full_case(), path, value))


def test_a_misspelled_key_names_the_field_it_probably_meant():
    case = full_case()
    case["change"]["propsed_by"] = case["change"].pop("proposed_by")
    assert validate_case(case) == [
        "change.propsed_by: unknown field; did you mean 'proposed_by'?",
        "change.proposed_by: missing; it is required (one of: internal, external, joint)",
    ]


def test_an_unknown_key_like_no_field_lists_the_fields_allowed_there():
    assert problems_with("partners.budget", 3) == [
        "partners.budget: unknown field; allowed here: "
        "peer_institution_available, peer_stronger, consultant_available, "
        "other_agencies_same_area, coordinating_body"
    ]


def test_an_unknown_section_lists_the_sections():
    assert problems_with("donors", []) == [
        "donors: unknown field; allowed here: organization, change, funding, resources, "
        "staff, stakeholders, programs, partners, planner, memo"
    ]


def test_a_wrong_choice_names_the_value_and_the_choices():
    assert problems_with("funding.funds_for_change", "nothing") == [
        "funding.funds_for_change: 'nothing' is not allowed; use one of: none, partial, sufficient"
    ]


def test_a_wrong_choice_where_unknown_is_allowed_lists_unknown_too():
    assert problems_with("change.pace", "slow") == [
        "change.pace: 'slow' is not allowed; use one of: gradual, moderate, rapid, unknown"
    ]


@pytest.mark.parametrize(
    ("value", "shown"),
    [(-3, "-3"), ("twenty", "'twenty'"), (2.5, "2.5"), (True, "true"), ("unknown", "'unknown'")],
)
def test_a_bad_age_says_a_whole_number_is_needed(value, shown):
    # age_years is required: "unknown" is not offered, and bool is not a number.
    assert problems_with("organization.age_years", value) == [
        f"organization.age_years: {shown} is not allowed; use a whole number from 0 to 1000"
    ]


def test_a_bad_optional_number_offers_unknown():
    assert problems_with("organization.years_to_current_state", -1) == [
        "organization.years_to_current_state: -1 is not allowed; "
        "use a whole number from 0 to 1000, or 'unknown'"
    ]


def test_unknown_is_rejected_for_a_required_choice():
    assert problems_with("change.proposed_by", "unknown") == [
        "change.proposed_by: 'unknown' is not allowed; use one of: internal, external, joint"
    ]


def test_a_boolean_field_rejects_other_words():
    assert problems_with("staff.involved_in_design", "maybe") == [
        "staff.involved_in_design: 'maybe' is not allowed; use true or false, or 'unknown'"
    ]


def test_empty_text_is_rejected_for_a_name():
    assert problems_with("organization.name", "") == [
        "organization.name: '' is not allowed; use non-empty text"
    ]


def test_an_empty_value_is_named_as_such():
    assert problems_with("planner.origin", None) == [
        "planner.origin: an empty value is not allowed; use one of: internal, external, unknown"
    ]


def test_a_list_where_a_mapping_belongs():
    assert problems_with("organization", ["Yayasan", 27]) == [
        "organization: a list is not allowed here; use a mapping of fields"
    ]


def test_a_mapping_where_a_list_belongs():
    # One stakeholder written without its "-": the list is what is missing.
    assert problems_with("stakeholders", {"name": "parents"}) == [
        "stakeholders: a mapping is one item; write a list, with '- ' before each item"
    ]


def test_one_value_where_a_list_of_them_belongs_is_told_to_be_a_list():
    # Not "'policy-change' is not allowed; use a list of values from: ..., policy-change":
    # the value is allowed, as an item of the list.
    assert problems_with("change.triggers", "policy-change") == [
        "change.triggers: 'policy-change' is one value; write it as a list: [policy-change]"
    ]


def test_a_bad_list_of_choices():
    assert problems_with("change.triggers", "policy") == [
        "change.triggers: 'policy' is not allowed; use a list of values from: "
        "service-area-expansion, new-program-data, funding-change, policy-change, other; "
        "or 'unknown'"
    ]


def test_a_bad_member_of_a_list_is_named_by_its_position():
    assert problems_with("funding.sunk_investments", ["facilities", "vehicles"]) == [
        "funding.sunk_investments[1]: 'vehicles' is not allowed; "
        "use one of: facilities, trained-staff, equipment, other"
    ]


def test_a_choice_listed_twice_is_reported_once():
    assert problems_with("change.triggers", ["other", "other", "other"]) == [
        "change.triggers: 'other' is listed more than once; list each value once"
    ]


def test_a_bad_field_of_a_list_item_is_named_by_its_position():
    case = full_case()
    case["stakeholders"].append({"name": "parents", "impact": "bad"})
    assert validate_case(case) == [
        "stakeholders[1].impact: 'bad' is not allowed; "
        "use one of: negative, neutral, positive, unknown"
    ]


def test_a_list_item_without_its_name():
    assert problems_with("programs[0]", {"viable": True}) == [
        "programs[0].name: missing; it is required (non-empty text)"
    ]


def test_a_missing_section_is_required():
    case = without(full_case(), "funding")
    assert validate_case(case) == ["funding: missing; it is required (a mapping of fields)"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "top level: a list is not allowed here; use a mapping of fields"),
        ("case", "top level: 'case' is not allowed; use a mapping of fields"),
        (None, "top level: an empty value is not allowed; use a mapping of fields"),
    ],
)
def test_a_top_level_that_is_not_a_mapping(data, message):
    assert validate_case(data) == [message]


# ---------------------------------------------------------- many bad answers


def test_every_problem_is_reported_at_once_in_schema_order():
    case = full_case()
    case["planner"]["credibility"] = "excellent"
    case["organization"]["age_years"] = -3
    case["organization"]["typ"] = case["organization"].pop("type")
    case["change"]["propsed_by"] = case["change"].pop("proposed_by")
    case["funding"]["funds_for_change"] = "nothing"
    case["stakeholders"][0]["impact"] = "bad"
    case["colour"] = "blue"
    assert validate_case(case) == [
        "organization.typ: unknown field; did you mean 'type'?",
        "organization.age_years: -3 is not allowed; use a whole number from 0 to 1000",
        "change.propsed_by: unknown field; did you mean 'proposed_by'?",
        "change.proposed_by: missing; it is required (one of: internal, external, joint)",
        "funding.funds_for_change: 'nothing' is not allowed; use one of: none, partial, sufficient",
        "stakeholders[0].impact: 'bad' is not allowed; "
        "use one of: negative, neutral, positive, unknown",
        "planner.credibility: 'excellent' is not allowed; use one of: low, medium, high, unknown",
        "colour: unknown field; allowed here: organization, change, funding, resources, staff, "
        "stakeholders, programs, partners, planner, memo",
    ]


# ------------------------------------------------- fields held against each other

YEARS, AGE = "organization.years_to_current_state", "organization.age_years"
YEARS_BEYOND_AGE = (
    "organization.years_to_current_state: 20 is more than organization.age_years (3); "
    "the years to reach the present state cannot exceed the organization's age"
)


def with_years(years, age, case=None):
    case = full_case() if case is None else case
    case["organization"]["years_to_current_state"] = years
    case["organization"]["age_years"] = age
    return case


def test_more_years_to_the_present_state_than_the_organization_is_old_is_refused():
    (problem,) = validate_case(with_years(20, 3))
    assert problem == YEARS_BEYOND_AGE
    assert (problem.path, problem.code) == (YEARS, "inconsistent")
    assert problem.values == {"value": 20, "other": AGE, "other_value": 3}


@pytest.mark.parametrize(
    ("years", "age"), [(3, 3), (0, 0), (2, 3), ("unknown", 3), ("unknown", 0), (3.0, 3)]
)
def test_years_up_to_the_age_or_unknown_are_consistent(years, age):
    assert validate_case(with_years(years, age)) == []


def test_years_left_out_leave_nothing_to_compare():
    case = full_case()
    del case["organization"]["years_to_current_state"]
    case["organization"]["age_years"] = 0
    assert validate_case(case) == []


@pytest.mark.parametrize(("years", "age"), [(20, -3), (-20, 3), ("many", 3), (20, "unknown")])
def test_a_value_the_schema_refuses_is_told_once_and_not_compared(years, age):
    problems = validate_case(with_years(years, age))
    assert [problem.code for problem in problems] in (["not-allowed"], ["type"])


def test_the_inconsistency_is_told_with_the_other_problems_of_the_case():
    case = with_years(20, 3)
    del case["change"]
    assert validate_case(case) == [
        "change: missing; it is required (a mapping of fields)",
        YEARS_BEYOND_AGE,
    ]


def test_every_field_held_against_another_is_a_whole_number_field():
    specs = {spec.path: spec for spec in field_specs()}
    for path, (other, reason) in validation.AT_MOST.items():
        assert specs[path].kind == specs[other].kind == "count"
        assert reason


def test_a_schema_keyword_the_validator_does_not_interpret_is_refused():
    # Otherwise a rule added to the schema would be printed but silently not enforced.
    with pytest.raises(ValueError, match="exclusiveMaximum"):
        validation._check_subset({"type": "integer", "exclusiveMaximum": 150}, "#/age")


# ------------------------------------------------- agreement with jsonschema

PROBES = [
    None,
    True,
    False,
    0,
    -1,
    3,
    2.5,
    27.0,
    "",
    "unknown",
    "some text",
    "none",
    "internal",
    "negative",
    [],
    ["other"],
    ["other", "other"],
    ["bogus"],
    [{"name": "x"}],
    [{"name": "x", "impact": "bad"}],
    [{"name": ""}],
    {},
    {"name": "x"},
]


def _documents():
    """Valid and invalid documents: the example and the minimal case with each field,
    section and the top level set to each probe value, left out, or joined by an extra
    key."""
    yield full_case()
    yield minimal_case()
    yield from (None, [], "case", 3, {})
    paths = [spec.path.replace("[]", "[0]") for spec in field_specs()] + [*SECTIONS, "memo"]
    for path in paths:
        for value in PROBES:
            yield with_value(with_memo(full_case()), path, copy.deepcopy(value))
        yield without(with_memo(full_case()), path)
        if path in MINIMAL_NORMALIZED:
            yield with_value(minimal_case(), path, copy.deepcopy(MINIMAL_NORMALIZED[path]))
    mappings = [section for section in SECTIONS if section not in LIST_SECTIONS]
    for parent in ["", *mappings, "memo", "stakeholders[0]", "programs[0]"]:
        yield with_value(with_memo(full_case()), f"{parent}.extra" if parent else "extra", 1)


def test_the_validator_agrees_with_jsonschema_on_what_is_valid():
    checker = jsonschema.Draft202012Validator(load_schema())
    documents = list(_documents())
    assert len(documents) > 900
    verdicts = {"valid": 0, "invalid": 0}
    disagreements = []
    for data in documents:
        # Fields held against each other (years > age) are beyond JSON Schema.
        ours = all(problem.code == "inconsistent" for problem in validate_case(data))
        theirs = checker.is_valid(data)
        verdicts["valid" if theirs else "invalid"] += 1
        if ours != theirs:
            disagreements.append((data, validate_case(data)))
    assert disagreements == []
    assert verdicts["valid"] > 100 and verdicts["invalid"] > 100


def test_the_memo_section_is_optional_checked_and_kept_as_given():
    case = minimal_case()
    case["memo"] = {"prepared_by": "Ani Rahayu", "date": "2026-11-30"}
    assert validate_case(case) == []
    assert normalize_case(case)["memo"] == {
        "title": "unknown",
        "client_organization": "unknown",
        "prepared_by": "Ani Rahayu",
        "prepared_for": "unknown",
        "date": "2026-11-30",
        "reference": "unknown",
    }
    assert "memo" not in normalize_case(minimal_case())
    assert [
        str(p) for p in validate_case({**with_memo(minimal_case()), "memo": {"author": "A"}})
    ] == [
        "memo.author: unknown field; allowed here: title, client_organization, prepared_by, "
        "prepared_for, date, reference"
    ]


@pytest.mark.parametrize("path", ["organization.name", "change.summary"])
def test_a_required_text_cannot_be_unknown(path):
    # The case format lets only the fields not required be unknown: "unknown" as an
    # organization's name would be printed as its name, in English in any language.
    assert problems_with(path, "unknown") == [
        f"{path}: 'unknown' is not an answer to a required field; use non-empty text"
    ]
    assert problems_with("organization.mission", "unknown") == []


def test_a_listed_item_needs_a_name_too():
    case = full_case()
    case["stakeholders"][0]["name"] = "unknown"
    assert validate_case(case) == [
        "stakeholders[0].name: 'unknown' is not an answer to a required field; use non-empty text"
    ]


def test_a_number_or_yes_no_where_text_belongs_is_told_to_be_quoted():
    # YAML reads "2024" as a number and "no" as false: quotes keep them text.
    assert problems_with("organization.name", 2024) == [
        "organization.name: 2024 is not allowed; use non-empty text; to keep it text, "
        "put it in quotes"
    ]
    assert problems_with("organization.mission", False)[0].endswith("put it in quotes")
    assert "quotes" not in problems_with("organization.age_years", "ten")[0]


def test_a_misspelt_answer_is_told_the_answer_it_probably_meant():
    assert problems_with("organization.type", "goverment") == [
        "organization.type: 'goverment' is not allowed (did you mean 'government'?); "
        "use one of: government, ngo, private, community, unknown"
    ]
    assert "(did you mean 'internal'?)" in problems_with("change.proposed_by", "Internal")[0]
    assert (
        "(did you mean 'policy-change'?)" in problems_with("change.triggers", ["polcy-change"])[0]
    )
    assert "did you mean" not in problems_with("funding.funds_for_change", "nothing")[0]
