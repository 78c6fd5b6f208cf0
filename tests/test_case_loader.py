"""Reading a case file as a user writes it: good files load, bad ones are named exactly."""

import io
import json
import sys
import time

import pytest
import yaml

from perencana.engine.case import loader as case_loader
from perencana.engine.case.loader import MAX_BYTES, load_case
from perencana.engine.errors import CaseError
from tests.helpers import EXAMPLE_CASES
from tests.test_validation import (
    FULL_CASE_YAML,
    MINIMAL_CASE_YAML,
    MINIMAL_NORMALIZED,
    with_later_fields_unknown,
)

REQUIRED_ONLY = (
    "organization: {name: X, age_years: 3}\n"
    "change: {summary: s, proposed_by: joint}\n"
    "funding: {funds_for_change: none}\n"
)


def write(tmp_path, content, name="case.yaml"):
    """A case file holding ``content`` (text is written as UTF-8, bytes as they are)."""
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def problems(source, text=None):
    """The problems ``load_case`` reports, which it must report as a ``CaseError``."""
    with pytest.raises(CaseError) as caught:
        load_case(source, text)
    for problem in caught.value.problems:
        assert "\n" not in problem and "Traceback" not in problem
    return caught.value.problems


# ------------------------------------------------------------------ good files


def test_the_contract_example_loads_as_written(tmp_path):
    case = load_case(write(tmp_path, FULL_CASE_YAML))
    assert case == with_later_fields_unknown(yaml.safe_load(FULL_CASE_YAML))
    assert case["change"]["triggers"] == ["service-area-expansion", "new-program-data"]
    assert case["stakeholders"][0]["impact"] == "negative"


def test_the_same_case_as_json_loads_the_same(tmp_path):
    as_json = json.dumps(yaml.safe_load(FULL_CASE_YAML), indent=2)
    assert load_case(write(tmp_path, as_json, "case.json")) == load_case(
        write(tmp_path, FULL_CASE_YAML)
    )


def test_a_minimal_case_loads_with_every_other_field_unknown(tmp_path):
    case = load_case(write(tmp_path, MINIMAL_CASE_YAML))
    assert case == MINIMAL_NORMALIZED
    assert list(case) == list(MINIMAL_NORMALIZED)


def test_the_path_may_be_given_as_text(tmp_path):
    assert load_case(str(write(tmp_path, MINIMAL_CASE_YAML))) == MINIMAL_NORMALIZED


def test_yes_and_no_are_booleans(tmp_path):
    text = REQUIRED_ONLY + "resources: {limited: yes, problems_acknowledged: no}\n"
    resources = load_case(write(tmp_path, text))["resources"]
    assert resources["limited"] is True and resources["problems_acknowledged"] is False


def test_a_date_like_answer_stays_the_text_written(tmp_path):
    text = REQUIRED_ONLY.replace("summary: s", "summary: 2024-07-01")
    assert load_case(write(tmp_path, text))["change"]["summary"] == "2024-07-01"


def test_a_byte_order_mark_is_tolerated(tmp_path):
    case = load_case(write(tmp_path, b"\xef\xbb\xbf" + MINIMAL_CASE_YAML.encode()))
    assert case == MINIMAL_NORMALIZED


def test_standard_input_is_read_from_the_text_given():
    assert load_case("-", MINIMAL_CASE_YAML) == MINIMAL_NORMALIZED
    assert load_case("-", MINIMAL_CASE_YAML.encode()) == MINIMAL_NORMALIZED


def test_standard_input_is_read_when_no_text_is_given(monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(MINIMAL_CASE_YAML.encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert load_case("-") == MINIMAL_NORMALIZED


# ---------------------------------------------------------- files that cannot be read


def test_a_missing_file(tmp_path):
    path = tmp_path / "nowhere.yaml"
    assert problems(path) == ["file not found"]


def test_a_directory(tmp_path):
    assert problems(tmp_path) == ["is a directory, not a case file"]


def test_an_unreadable_file(tmp_path, monkeypatch):
    # chmod cannot lock root out (CI runs as root), so the refusal is simulated.
    path = write(tmp_path, MINIMAL_CASE_YAML)
    real_open = open

    def refusing_open(file, *args, **kwargs):
        if str(file) == str(path):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing_open)
    assert problems(path) == ["cannot be read: permission denied"]


def test_a_file_that_is_not_utf8(tmp_path):
    path = write(tmp_path, b"organization:\n  name: Caf\xe9 Anak\n")
    assert problems(path) == ["the file is not UTF-8 text (byte 0xe9 on line 2); save it as UTF-8"]


def test_an_empty_file(tmp_path):
    expected = ["the file is empty; a case needs at least organization, change and funding"]
    assert problems(write(tmp_path, "")) == expected
    assert problems(write(tmp_path, "  \n\n")) == expected


def test_a_file_of_only_comments(tmp_path):
    assert problems(write(tmp_path, "# to be filled in\n")) == [
        "the file has no case in it; a case needs at least organization, change and funding"
    ]


def test_a_file_over_one_mebibyte_is_refused_before_parsing(tmp_path):
    # Broken YAML past the limit: the size is the only problem named, so it was not parsed.
    path = write(tmp_path, "organization: [\n" + "#" * MAX_BYTES)
    assert problems(path) == [
        "the file is larger than 1 MiB (1048576 bytes), the most a case file may be"
    ]


# ------------------------------------------------------------- YAML that is refused


def test_broken_yaml_names_the_line_column_and_problem(tmp_path):
    assert problems(write(tmp_path, "organization: {name: X\nchange: [\n")) == [
        "not valid YAML at line 2, column 7: "
        "while parsing a flow mapping (from line 1), expected ',' or '}', but got ':'"
    ]


def test_broken_json_is_told_in_json_s_words(tmp_path):
    """A case written as JSON gets JSON's message; YAML's flow style keeps YAML's."""
    # JSON's own words, which differ between Pythons ("Expecting property name
    # enclosed in double quotes"; 3.13: "Illegal trailing comma before end of object").
    (problem,) = problems(write(tmp_path, '{"organization": {"name": "x",}\n'))
    assert problem.startswith("not valid JSON at line 1, column ")
    assert problems(write(tmp_path, "{organization: {name: x,\n"))[0].startswith(
        "not valid YAML at line 2"
    )


def test_a_misplaced_colon(tmp_path):
    assert problems(write(tmp_path, "organization: name: X\n")) == [
        "not valid YAML at line 1, column 19: mapping values are not allowed here"
    ]


def test_a_control_character(tmp_path):
    assert problems(write(tmp_path, "organization:\n  name: a\x07b\n")) == [
        "not valid YAML at line 2, column 10: the character #x0007 is not allowed in YAML"
    ]


def test_a_python_tag_is_refused(tmp_path):
    assert problems(write(tmp_path, "organization: !!python/object/apply:os.system [ls]\n")) == [
        "not valid YAML at line 1, column 15: could not determine a constructor "
        "for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"
    ]


def test_a_duplicate_key_is_named_with_its_path_and_lines(tmp_path):
    text = (
        "organization:\n"
        "  name: X\n"
        "  age_years: 3\n"
        "  name: Y\n"
        "change: {summary: s, proposed_by: joint}\n"
        "funding: {funds_for_change: none}\n"
        "stakeholders:\n"
        "  - {name: a, impact: negative, impact: positive}\n"
    )
    assert problems(write(tmp_path, text)) == [
        "organization.name: duplicate key at line 4 (first at line 2); give each field once",
        "stakeholders[0].impact: duplicate key at line 8 (first at line 8); give each field once",
    ]


def test_an_alias_is_refused(tmp_path):
    text = REQUIRED_ONLY + "partners: &help {consultant_available: true}\nstaff: *help\n"
    assert problems(write(tmp_path, text)) == [
        "YAML aliases are not allowed in a case file (alias '*help' at line 5, column 8); "
        "write the value out in full"
    ]


def test_an_alias_bomb_is_refused_at_once(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"{chr(98 + i)}: &{chr(98 + i)} [" + f"*{chr(97 + i)}," * 9 + "]" for i in range(8)]
    started = time.monotonic()
    found = problems(write(tmp_path, "\n".join(lines) + "\n"))
    assert time.monotonic() - started < 1
    assert found == [
        "YAML aliases are not allowed in a case file (alias '*a' at line 2, column 8); "
        "write the value out in full"
    ]


def test_an_anchor_without_an_alias_is_refused_too(tmp_path):
    text = REQUIRED_ONLY + "partners: &help {consultant_available: true}\n"
    assert problems(write(tmp_path, text)) == [
        "YAML anchors are not allowed in a case file (anchor '&help' at line 4, column 11); "
        "remove it"
    ]


DEEPEST = "the file is nested more than 100 levels deep, the most perencana reads"


def test_deep_nesting_is_refused_without_a_crash(tmp_path):
    assert problems(write(tmp_path, "[" * 50_000)) == [DEEPEST]


@pytest.mark.parametrize("depth", [99, 100, 101, 900])
def test_the_careful_reader_stops_past_its_depth_bound(tmp_path, depth):
    # A backslash escape sends the file to the careful reader; the sequence nested
    # ``depth`` deep under the top-level mapping puts its innermost node at depth+1.
    text = 'organization: {name: "A\\tB"}\nchange: ' + "[" * depth + "]" * depth + "\n"
    found = problems(write(tmp_path, text))
    assert (DEEPEST in found) == (depth >= 100), found


def test_a_merge_key_is_an_ordinary_unknown_field(tmp_path):
    text = REQUIRED_ONLY.replace("age_years: 3", "age_years: 3, <<: {type: ngo}")
    assert problems(write(tmp_path, text)) == [
        "organization.<<: unknown field; allowed here: name, type, sector, age_years, "
        "formalized_procedures, years_to_current_state, mission"
    ]


# --------------------------------------------------------- cases that do not validate


def test_a_top_level_list(tmp_path):
    assert problems(write(tmp_path, "- organization\n- change\n")) == [
        "top level: a list is not allowed here; use a mapping of fields"
    ]


def test_a_list_where_a_mapping_belongs(tmp_path):
    text = REQUIRED_ONLY.replace("{name: X, age_years: 3}", "[X, 3]")
    assert problems(write(tmp_path, text)) == [
        "organization: a list is not allowed here; use a mapping of fields"
    ]


def test_every_problem_of_a_file_is_reported_at_once_with_the_file_name(tmp_path):
    path = write(
        tmp_path,
        "organization: {name: X, age_years: -3, typ: ngo}\n"
        "change: {summary: s, propsed_by: external}\n"
        "funding: {funds_for_change: nothing}\n"
        "resources: {limited: maybe}\n",
    )
    with pytest.raises(CaseError) as caught:
        load_case(path)
    assert caught.value.messages() == [
        f"{path}: organization.typ: unknown field; did you mean 'type'?",
        f"{path}: organization.age_years: -3 is not allowed; use a whole number from 0 to 1000",
        f"{path}: change.propsed_by: unknown field; did you mean 'proposed_by'?",
        f"{path}: change.proposed_by: missing; it is required (one of: internal, external, joint)",
        f"{path}: funding.funds_for_change: 'nothing' is not allowed; "
        "use one of: none, partial, sufficient",
        f"{path}: resources.limited: 'maybe' is not allowed; use true or false, or 'unknown'",
    ]


def test_age_as_text_or_as_a_boolean(tmp_path):
    twenty = REQUIRED_ONLY.replace("age_years: 3", "age_years: twenty")
    yes = REQUIRED_ONLY.replace("age_years: 3", "age_years: yes")
    assert problems(write(tmp_path, twenty)) == [
        "organization.age_years: 'twenty' is not allowed; use a whole number from 0 to 1000"
    ]
    assert problems(write(tmp_path, yes)) == [
        "organization.age_years: true is not allowed; use a whole number from 0 to 1000"
    ]


def test_unknown_for_a_required_field_is_refused(tmp_path):
    text = REQUIRED_ONLY.replace("funds_for_change: none", "funds_for_change: unknown")
    assert problems(write(tmp_path, text)) == [
        "funding.funds_for_change: 'unknown' is not allowed; use one of: none, partial, sufficient"
    ]


# ------------------------------------------------------------------ standard input


def test_standard_input_problems_are_named_as_stdin():
    with pytest.raises(CaseError) as caught:
        load_case("-", "")
    assert caught.value.messages() == [
        "<stdin>: the input is empty; a case needs at least organization, change and funding"
    ]


def test_standard_input_that_is_not_utf8():
    assert problems("-", b"organization: \xff\n") == [
        "the input is not UTF-8 text (byte 0xff on line 1); save it as UTF-8"
    ]


def test_standard_input_over_one_mebibyte():
    assert problems("-", "#" * (MAX_BYTES + 1)) == [
        "the input is larger than 1 MiB (1048576 bytes), the most a case file may be"
    ]


def test_a_number_too_long_to_read_is_refused_without_a_crash(tmp_path):
    text = REQUIRED_ONLY.replace("age_years: 3", "age_years: " + "9" * 5000)
    assert problems(write(tmp_path, text)) == [
        "a number in the case has too many digits to be read"
    ]


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda path: path.stem)
def test_an_example_is_plain_enough_for_libyaml_and_reads_the_same(path):
    text = path.read_text(encoding="utf-8")
    assert not case_loader._needs_care(text)
    assert case_loader._construct(text) == case_loader._construct_carefully(text)


def test_a_tab_that_stops_the_parser_is_named(tmp_path):
    found = problems(write(tmp_path, "organization:\n\tname: X\n"))
    assert len(found) == 1
    assert found[0].startswith("not valid YAML at line 2, column 1: ")
    assert found[0].endswith("; indent with spaces: YAML does not take tabs")
    # A tab inside a value is text, and no hint is given where the parser stopped
    # on something else.
    other = problems(write(tmp_path, "organization: {name: [\n"))
    assert "tabs" not in " ".join(other)
