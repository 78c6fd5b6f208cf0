"""The case vocabulary (``engine/case/vocabulary.py``): one owner for paths, list
sections, languages, the reading of one answer and a program's performance; and the
structured problems of validation."""

import copy
import re
from pathlib import Path

import pytest

from perencana.engine.case import vocabulary
from perencana.engine.case.loader import load_case
from perencana.engine.case.schema import field_specs, spec_for
from perencana.engine.case.validation import CODES, ROOT_LABEL, Problem, validate_case
from perencana.engine.case.vocabulary import (
    LANGUAGES,
    LIST_SECTIONS,
    NOT_READ,
    UNKNOWN,
    CasePath,
    PathError,
    generic_path,
    read_answer,
)
from perencana.engine.errors import CaseError
from perencana.engine.interview.session import Interview, Question, check_partial
from perencana.engine.reasoning import case_facts
from perencana.engine.teaching.whatif import apply_sets, typed_value
from tests.helpers import EXAMPLES

ENGINE = Path(vocabulary.__file__).resolve().parents[1]
OLD_OFFICE = EXAMPLES / "old-government-office.yaml"


@pytest.fixture(scope="module")
def office():
    return load_case(OLD_OFFICE)


# ------------------------------------------------------------------------- paths


@pytest.mark.parametrize("spec", field_specs(), ids=lambda spec: spec.path)
def test_every_schema_path_parses_and_reads_back_as_the_same_text(spec):
    place = CasePath.parse(spec.path)
    assert str(place) == spec.path
    assert place.generic == spec.path
    if "[]" in spec.path:
        concrete = spec.path.replace("[]", "[3]")
        assert str(CasePath.parse(concrete)) == concrete
        assert CasePath.parse(concrete).generic == spec.path
        assert CasePath.parse(concrete).index == 3


@pytest.mark.parametrize(
    ("text", "section", "index", "name", "listed"),
    [
        ("change.pace", "change", None, "pace", False),
        ("stakeholders[0].impact", "stakeholders", 0, "impact", True),
        ("programs[12].viable", "programs", 12, "viable", True),
        ("programs[].viable", "programs", None, "viable", True),
        ("programs[2]", "programs", 2, None, True),
        ("programs", "programs", None, None, False),
        ("funding", "funding", None, None, False),
    ],
)
def test_a_path_has_its_parts(text, section, index, name, listed):
    place = CasePath.parse(text)
    assert (place.section, place.index, place.name, place.listed) == (
        section,
        index,
        name,
        listed,
    )
    assert str(place) == text
    assert place.is_list == (text in LIST_SECTIONS)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "bad-path"),
        ("change..pace", "bad-path"),
        ("change pace", "bad-path"),
        ("stakeholders[x].impact", "bad-path"),
        ("stakeholders[0.impact", "bad-path"),
        ("1change.pace", "bad-path"),
        ("change.pace.more", "too-deep"),
        ("stakeholders[0][1].impact", "too-deep"),
        ("stakeholders.impact.x", "too-deep"),
    ],
)
def test_a_malformed_path_is_a_path_error_with_a_code(text, code):
    with pytest.raises(PathError) as caught:
        CasePath.parse(text)
    assert (caught.value.path, caught.value.code) == (text, code)


def test_generic_path_drops_positions_and_leaves_other_text_alone():
    assert generic_path("stakeholders[2].impact") == "stakeholders[].impact"
    assert generic_path("change.pace") == "change.pace"
    assert generic_path("programs") == "programs"
    assert generic_path("stakeholders[3].x.y") == "stakeholders[].x.y"
    assert generic_path("not a path") == "not a path"


def test_get_reads_a_case_and_a_partial_one(office):
    assert CasePath.parse("change.pace").get(office) == office["change"]["pace"]
    first = office["stakeholders"][0]
    assert CasePath.parse("stakeholders[0].impact").get(office) == first["impact"]
    assert CasePath.parse("stakeholders[0]").get(office) == first
    assert CasePath.parse("stakeholders").get(office) == office["stakeholders"]
    assert CasePath.parse("stakeholders[99].impact").get(office) == UNKNOWN
    missing = object()
    partial = {"change": {"pace": "rapid"}, "programs": UNKNOWN}
    assert CasePath.parse("change.pace").get(partial, missing) == "rapid"
    assert CasePath.parse("change.scope").get(partial, missing) is missing
    assert CasePath.parse("funding.allocation").get(partial, missing) is missing
    assert CasePath.parse("programs[0].viable").get(partial, missing) is missing


def test_set_delete_and_replaced_write_into_a_case():
    case = {"stakeholders": [{"name": "a"}]}
    CasePath.parse("change.pace").set(case, "rapid")
    CasePath.parse("stakeholders[0].impact").set(case, "negative")
    assert case == {
        "stakeholders": [{"name": "a", "impact": "negative"}],
        "change": {"pace": "rapid"},
    }
    CasePath.parse("change.pace").delete(case)
    CasePath.parse("stakeholders[0].impact").delete(case)
    assert case == {"stakeholders": [{"name": "a"}]}  # the section emptied goes too
    before = copy.deepcopy(case)
    changed = CasePath.parse("stakeholders[0].name").replaced(case, "b")
    assert changed["stakeholders"][0]["name"] == "b"
    assert case == before  # the original is left alone


def test_the_list_sections_their_fact_kinds_and_the_languages():
    from perencana.engine.reasoning import facts
    from perencana.engine.reasoning.rule_catalog import ITEM_SECTIONS

    assert LIST_SECTIONS == ("stakeholders", "programs")
    for section, kind in vocabulary.ITEM_FACTS.items():
        assert hasattr(facts, kind)
        assert ITEM_SECTIONS[kind] == section
    assert LANGUAGES == ("en", "id")
    from perencana.engine import api

    assert api.LANGUAGES is LANGUAGES


# ------------------------------------------------------------------------ answers


def spec(path):
    return spec_for(path)


@pytest.mark.parametrize(
    ("path", "text", "value"),
    [
        ("resources.limited", "yes", True),
        ("resources.limited", " Yes ", True),
        ("resources.limited", "TRUE", True),
        ("resources.limited", "y", True),
        ("resources.limited", "ya", True),
        ("resources.limited", "no", False),
        ("resources.limited", "False", False),
        ("resources.limited", "n", False),
        ("resources.limited", "tidak", False),
        ("resources.limited", "maybe", NOT_READ),
        ("resources.limited", "unknown", UNKNOWN),
        ("resources.limited", "Tidak tahu", UNKNOWN),
        ("organization.age_years", "12", 12),
        ("organization.age_years", " 007 ", 7),
        ("organization.age_years", "-3", NOT_READ),
        ("organization.age_years", "3.0", NOT_READ),
        ("organization.age_years", "ten", NOT_READ),
        ("organization.age_years", "١٢", NOT_READ),  # digits, but not 0-9
        ("organization.age_years", "9" * 4000, int("9" * 4000)),
        ("organization.age_years", "9" * 4001, NOT_READ),
        ("change.pace", "rapid", "rapid"),
        ("change.pace", "Rapid", "rapid"),
        ("change.pace", "1", NOT_READ),  # numbers only where choices are listed
        ("change.pace", "swift", NOT_READ),
        ("change.triggers", "policy-change, other", ["policy-change", "other"]),
        ("change.triggers", "other;policy-change", ["policy-change", "other"]),
        ("change.triggers", "other other", ["other"]),
        ("change.triggers", "none", []),
        ("change.triggers", "-", []),
        ("change.triggers", "other, nonsense", NOT_READ),
        ("organization.name", "  Yayasan  ", "Yayasan"),
        ("organization.name", "unknown", UNKNOWN),
    ],
)
def test_read_answer(path, text, value):
    read = read_answer(spec(path), text)
    assert read == value
    assert type(read) is type(value)


def test_numbered_choices_are_read_when_the_choices_are_listed():
    pace = spec("change.pace")
    assert read_answer(pace, "1", numbered=True) == "gradual"
    assert read_answer(pace, "3", numbered=True) == "rapid"
    assert read_answer(pace, "4", numbered=True) is NOT_READ  # unknown is not numbered
    assert read_answer(spec("change.triggers"), "1, 5", numbered=True) == [
        "service-area-expansion",
        "other",
    ]


def test_the_default_answer_words_are_the_interviews():
    interview = Interview()
    assert interview.answer_words() == vocabulary.ANSWER_WORDS


def interview_reads(path, text):
    interview = Interview()
    question = Question(path, CasePath.parse(path).section, spec(path))
    value, problem = interview.parse(question, text)
    return NOT_READ if problem else value


def csv_reads(path, text):
    from perencana.engine.batch.inputs import cell_value

    return cell_value(path, text)


SHARED = [
    ("resources.limited", "ya", True),
    ("resources.limited", "No", False),
    ("resources.limited", "tidak tahu", UNKNOWN),
    ("change.pace", "Gradual", "gradual"),
    ("change.triggers", "other, policy-change", ["policy-change", "other"]),
    ("change.triggers", "none", []),
    ("organization.age_years", "12", 12),
]


@pytest.mark.parametrize(("path", "text", "value"), SHARED)
def test_the_interview_csv_cells_and_set_read_an_answer_alike(path, text, value):
    assert interview_reads(path, text) == value
    assert csv_reads(path, text) == value
    assert typed_value(path, text) == value


def test_what_each_reader_keeps_of_its_own():
    # The interview numbers the choices; a CSV cell and --set do not.
    assert interview_reads("change.pace", "2") == "moderate"
    assert csv_reads("change.pace", "2") == "2"
    # A CSV cell keeps a number that is no whole number for the validator to refuse.
    assert csv_reads("organization.age_years", "3.0") == 3.0
    assert csv_reads("organization.age_years", "-2") == -2
    assert interview_reads("organization.age_years", "-2") is NOT_READ
    # A text field keeps its words in a CSV cell and in --set.
    assert csv_reads("organization.sector", "Tidak tahu") == "Tidak tahu"
    assert typed_value("organization.sector", "Tidak tahu") == "Tidak tahu"
    # --set keeps what YAML read when it is not a text, and a path that is no field.
    assert typed_value("resources.limited", True) is True
    assert typed_value("stakeholders", "ya") == "ya"


def test_set_reads_a_typed_answer(office):
    changed = apply_sets(office, [("resources.limited", "ya"), ("change.pace", "Rapid")])
    assert changed["resources"]["limited"] is True
    assert changed["change"]["pace"] == "rapid"


# ------------------------------------------------------------------- performance


@pytest.mark.parametrize(
    ("effectiveness", "efficiency", "result"),
    [
        ("low", "high", "low"),
        ("adequate", "low", "low"),
        ("low", UNKNOWN, "low"),
        (UNKNOWN, "high", UNKNOWN),
        ("adequate", "high", "adequate"),
        ("high", "high", "adequate"),
    ],
)
def test_performance(effectiveness, efficiency, result):
    program = {"effectiveness": effectiveness, "efficiency": efficiency}
    assert vocabulary.performance(program) == result
    assert case_facts.performance is vocabulary.performance


# ------------------------------------------------------------- structured problems


def minimal():
    return {
        "organization": {"name": "A", "age_years": 3},
        "change": {"summary": "B", "proposed_by": "internal"},
        "funding": {"funds_for_change": "none"},
    }


def test_a_valid_minimal_case_has_no_problem():
    assert validate_case(minimal()) == []


@pytest.mark.parametrize(
    ("change", "path", "code"),
    [
        (lambda case: case["change"].pop("summary"), "change.summary", "missing"),
        (lambda case: case["change"].update(pase="rapid"), "change.pase", "unknown-field"),
        (lambda case: case.update(colour="red"), "colour", "unknown-field"),
        (lambda case: case["change"].update(pace="swift"), "change.pace", "not-allowed"),
        (lambda case: case["change"].update(pace=3), "change.pace", "type"),
        (
            lambda case: case["organization"].update(age_years="ten"),
            "organization.age_years",
            "type",
        ),
        (lambda case: case.update(stakeholders="staff"), "stakeholders", "not-allowed"),
        (lambda case: case.update(stakeholders=7), "stakeholders", "type"),
        (
            lambda case: case["organization"].update(age_years=-1),
            "organization.age_years",
            "not-allowed",
        ),
        (
            lambda case: case["organization"].update(name="x" * 5000),
            "organization.name",
            "too-long",
        ),
        (
            lambda case: case["change"].update(triggers=["other", "other"]),
            "change.triggers",
            "duplicate",
        ),
        (lambda case: case.update(stakeholders=[{"name": "a"}] * 5000), "stakeholders", "too-many"),
        (
            lambda case: case.update(stakeholders=[{"name": "a", "impact": "bad"}]),
            "stakeholders[0].impact",
            "not-allowed",
        ),
        (
            lambda case: case["organization"].update(age_years=3, years_to_current_state=20),
            "organization.years_to_current_state",
            "inconsistent",
        ),
    ],
)
def test_each_problem_has_a_path_and_a_code(change, path, code):
    case = minimal()
    change(case)
    problems = validate_case(case)
    assert [(problem.path, problem.code) for problem in problems] == [(path, code)]
    problem = problems[0]
    assert code in CODES
    assert str(problem) == problem.message
    assert str(problem).startswith(f"{path}: ")
    assert Problem(problem.path, problem.code, **problem.values) == problem


def test_problem_messages_are_the_words_they_always_were():
    case = minimal()
    case["change"]["pace"] = "swift"
    case["change"]["pase"] = 1
    del case["funding"]["funds_for_change"]
    assert validate_case(case) == [
        "change.pace: 'swift' is not allowed; use one of: gradual, moderate, rapid, unknown",
        "change.pase: unknown field; allowed here: summary, proposed_by, triggers, "
        "skills_required, new_staff_required, recruitment_via_agency, pace, scope",
        "funding.funds_for_change: missing; it is required (one of: none, partial, sufficient)",
    ]
    case = minimal()
    case["change"]["pase"] = "rapid"
    assert validate_case(case) == ["change.pase: unknown field; did you mean 'pace'?"]
    assert validate_case([]) == [
        f"{ROOT_LABEL}: a list is not allowed here; use a mapping of fields"
    ]
    assert validate_case([])[0].path == ""


def test_a_problem_told_about_another_path_keeps_its_words():
    problem = validate_case({**minimal(), "change": {"summary": "B", "proposed_by": "me"}})[0]
    moved = problem.at("given.change.proposed_by")
    assert moved == "given." + problem
    assert (moved.code, moved.values) == (problem.code, problem.values)


def test_problems_in_a_case_error_are_the_messages():
    problems = validate_case({})
    error = CaseError("case.yaml", problems)
    assert error.messages() == [f"case.yaml: {problem}" for problem in problems]


def test_a_partial_case_leaves_out_only_the_missing_answers():
    assert check_partial({"change": {"pace": "swift"}}) == [
        "change.pace: 'swift' is not allowed; use one of: gradual, moderate, rapid, unknown"
    ]


def test_the_interview_tells_a_schema_problem_at_the_question():
    interview = Interview()
    question = Question("organization.name", "organization", spec("organization.name"))
    value, problem = interview.parse(question, "x" * 5000)
    assert problem.path == "organization.name" and problem.code == "too-long"


# ---------------------------------------------------------------------- one owner

REDERIVED = [
    re.compile(r'partition\("\["\)'),
    re.compile(r'rstrip\("\]"\)'),
    re.compile(r'rstrip\("\[\]"\)'),
    re.compile(re.escape("\\[\\d+\\]")),
    re.compile(re.escape("\\[(\\d+)\\]")),
    re.compile(r"LANGUAGES = \("),
    re.compile(r"LIST_SECTIONS = \("),
    re.compile(r'UNKNOWN = "unknown"'),
    re.compile(r"def performance\("),
    re.compile(r"def generic_path\("),
    re.compile(r'"is not allowed" in|": missing; it is required"'),
]


def test_no_part_of_perencana_works_out_paths_or_the_vocabulary_again():
    root = ENGINE.parent
    sources = [*ENGINE.rglob("*.py"), *(root / "knowledge").glob("*.py"), root / "cli.py"]
    found = [
        f"{path.relative_to(root)}: {pattern.pattern}"
        for path in sources
        if path.name != "vocabulary.py"
        for pattern in REDERIVED
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert found == []
