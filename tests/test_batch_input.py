"""What ``perencana batch`` reads: INPUTs expanded into case sources, CSV and JSON
Lines rows into raw cases, each told the messages ``perencana validate`` gives."""

import json

import pytest

from perencana.engine.batch.inputs import (
    BatchInputError,
    CaseSource,
    cell_value,
    expand_inputs,
    load_source,
    read_csv_rows,
    read_jsonl_rows,
)
from perencana.engine.case.loader import load_case
from perencana.engine.errors import CaseError
from tests.helpers import EXAMPLE_CASES, EXAMPLES

HEADER = (
    "organization.name,organization.age_years,change.summary,change.proposed_by,"
    "funding.funds_for_change"
)


def problems_of(source):
    with pytest.raises(CaseError) as caught:
        load_source(source)
    assert caught.value.source == source.label
    return caught.value.problems


def write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


# ------------------------------------------------------------------------ inputs


def test_a_folder_gives_its_case_files_in_name_order(tmp_path):
    for name in ("b.yaml", "a.json", "c.yml", ".hidden.yaml", "notes.txt", "d.csv"):
        write(tmp_path / name, "x")
    (tmp_path / "sub.yaml").mkdir()
    files = [source.file for source in expand_inputs([tmp_path])]
    assert files == [str(tmp_path / name) for name in ("a.json", "b.yaml", "c.yml")]


def test_inputs_keep_their_order_and_a_file_named_twice_is_read_once():
    first = EXAMPLE_CASES[1]
    sources = expand_inputs([first, EXAMPLES, first])
    assert [s.file for s in sources] == [str(first)] + [str(p) for p in EXAMPLE_CASES if p != first]
    assert all(s.row is None and s.label == s.file for s in sources)


def test_a_missing_input_or_no_case_at_all_is_a_usage_error(tmp_path):
    with pytest.raises(BatchInputError) as missing:
        expand_inputs([tmp_path / "nowhere.yaml"])
    assert missing.value.exit_code == 2
    assert "nowhere.yaml: no such file or folder" in str(missing.value)
    with pytest.raises(BatchInputError, match="no case found"):
        expand_inputs([tmp_path])


def test_a_case_file_source_is_loaded_like_validate_loads_it():
    source = CaseSource(str(EXAMPLE_CASES[0]))
    assert load_source(source) == load_case(EXAMPLE_CASES[0])


# --------------------------------------------------------------------------- CSV


def test_csv_cells_are_read_by_the_kind_of_their_field(tmp_path):
    table = write(
        tmp_path / "cases.csv",
        HEADER + ",organization.formalized_procedures,change.triggers,funding.sunk_investments,"
        "stakeholders,programs,organization.type\n"
        'Yayasan A,27,adopt it,external,none,TRUE,"[""policy-change"", ""other""]",'
        '"facilities; equipment","[{""name"": ""staff"", ""impact"": ""negative""}]",'
        "unknown,\n",
    )
    [source] = read_csv_rows(table)
    assert (source.file, source.row, source.label) == (str(table), 2, f"{table}:2")
    assert source.data == {
        "organization": {"name": "Yayasan A", "age_years": 27, "formalized_procedures": True},
        "change": {
            "summary": "adopt it",
            "proposed_by": "external",
            "triggers": ["policy-change", "other"],
        },
        "funding": {"funds_for_change": "none", "sunk_investments": ["facilities", "equipment"]},
        "stakeholders": [{"name": "staff", "impact": "negative"}],
        "programs": "unknown",
    }
    case = load_source(source)
    assert case["organization"]["type"] == "unknown"  # the empty cell left it out
    assert case["stakeholders"][0]["directly_affected"] == "unknown"


@pytest.mark.parametrize(
    ("column", "cell", "value"),
    [
        ("organization.age_years", " 12 ", 12),
        ("organization.age_years", "3.0", 3.0),
        ("organization.age_years", "ten", "ten"),
        ("organization.age_years", "9" * 5000, "9" * 5000),
        ("resources.limited", "No", False),
        ("resources.limited", "yes", True),
        ("resources.limited", "maybe", "maybe"),
        ("resources.limited", "unknown", "unknown"),
        ("change.triggers", "unknown", "unknown"),
        ("change.triggers", "other", ["other"]),
        ("organization.name", "[not json]", "[not json]"),
        ("organization.name", "  Yayasan  ", "Yayasan"),
        ("stakeholders", "[]", []),
    ],
)
def test_a_cell_value(column, cell, value):
    assert cell_value(column, cell) == value


def test_csv_quoting_commas_quotes_and_line_breaks_and_the_row_is_where_it_starts(tmp_path):
    table = write(
        tmp_path / "quoted.csv",
        "\ufeff" + HEADER + ",organization.mission\r\n"
        '"Yayasan ""Pelita"", Jakarta",8,"one, two",internal,partial,"line one\r\nline two"\r\n'
        "\r\n"
        "Yayasan B,3,s,joint,none,\r\n",
    )
    first, second = read_csv_rows(table)
    assert (first.row, second.row) == (2, 5)
    assert first.data["organization"] == {
        "name": 'Yayasan "Pelita", Jakarta',
        "age_years": 8,
        "mission": "line one\r\nline two",
    }
    assert first.data["change"]["summary"] == "one, two"
    assert load_source(second)["organization"]["name"] == "Yayasan B"


def test_a_bad_row_is_told_the_messages_of_validate_naming_the_field(tmp_path):
    table = write(
        tmp_path / "bad.csv",
        "organization.nmae,organization.age_years,change.summary,change.proposed_by,"
        "funding.funds_for_change\nA,ten,s,ext,none\n",
    )
    [source] = read_csv_rows(table)
    same_as_yaml = write(
        tmp_path / "bad.yaml",
        "organization: {nmae: A, age_years: ten}\n"
        "change: {summary: s, proposed_by: ext}\nfunding: {funds_for_change: none}\n",
    )
    with pytest.raises(CaseError) as from_yaml:
        load_case(same_as_yaml)
    problems = problems_of(source)
    assert problems == from_yaml.value.problems
    assert "organization.nmae: unknown field; did you mean 'name'?" in problems


def test_a_bad_json_cell_is_told_once_with_the_rest_of_the_row(tmp_path):
    table = write(
        tmp_path / "cells.csv",
        HEADER + ",stakeholders,programs\n"
        'A,ten,s,external,none,"[{""name"": 1","[{""name"": ""x"", ""name"": ""y""}]"\n',
    )
    [source] = read_csv_rows(table)
    assert problems_of(source) == [
        "stakeholders: the cell is not valid JSON at column 12: Expecting ',' delimiter",
        "programs: the cell gives the key 'name' twice; give each field once",
        "organization.age_years: 'ten' is not allowed; use a whole number from 0 to 1000",
    ]


def test_a_row_with_more_cells_than_columns_is_refused(tmp_path):
    table = write(tmp_path / "long.csv", HEADER + "\nA,3,s,internal,none,extra\n")
    [source] = read_csv_rows(table)
    assert problems_of(source)[0] == (
        "the row has 6 cells but the header names 5 columns; quote a cell that holds a comma"
    )


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (b"", "has no header row naming the columns"),
        (b"a,b,a\n1,2,3\n", "column 'a' appears twice in the header (columns 1 and 3)"),
        (b"organization.name\n\xff\n", "not UTF-8 text (byte 0xff on line 2)"),
    ],
)
def test_a_table_that_cannot_be_read_fails_as_a_whole(tmp_path, text, problem):
    table = tmp_path / "broken.csv"
    table.write_bytes(text)
    [source] = read_csv_rows(table)
    assert source.row is None and source.label == str(table)
    assert problem in problems_of(source)[0]


def test_a_column_and_a_column_inside_it_clash(tmp_path):
    table = write(
        tmp_path / "clash.csv",
        'organization,organization.name\n"{""name"": ""A""}",B\n',
    )
    [source] = read_csv_rows(table)
    assert "organization.name: clashes with the column 'organization'" in problems_of(source)


# --------------------------------------------------------------------- JSON Lines


def test_jsonl_rows_are_numbered_by_line_and_blank_lines_skipped(tmp_path):
    good = {
        "organization": {"name": "J", "age_years": 3},
        "change": {"summary": "s", "proposed_by": "joint"},
        "funding": {"funds_for_change": "none"},
    }
    table = write(
        tmp_path / "cases.jsonl",
        json.dumps(good)
        + "\n\n"
        + '{"a": 1, "a": 2}\nnot json\n[1]\n"\\ud800"\n'
        + json.dumps(good, ensure_ascii=False).replace('"J"', '"J\\u00e9"')
        + "\n",
    )
    sources = read_jsonl_rows(table)
    assert [s.row for s in sources] == [1, 3, 4, 5, 6, 7]
    assert load_source(sources[0])["organization"]["name"] == "J"
    assert problems_of(sources[1]) == ["the line gives the key 'a' twice; give each field once"]
    assert problems_of(sources[2]) == ["the line is not valid JSON at column 1: Expecting value"]
    assert problems_of(sources[3]) == [
        "top level: a list is not allowed here; use a mapping of fields"
    ]
    assert "surrogate" in problems_of(sources[4])[0]
    assert load_source(sources[5])["organization"]["name"] == "Jé"


def test_a_csv_cell_too_large_to_read_stops_the_table_there_and_says_so(tmp_path):
    table = write(
        tmp_path / "huge.csv",
        HEADER + "\nA,3,s,internal,none\n" + "B,3," + "x" * 200_000 + ",internal,none\n"
        "C,3,s,internal,none\n",
    )
    first, second = read_csv_rows(table)
    assert load_source(first)["organization"]["name"] == "A"
    assert second.row == 3
    assert problems_of(second)[0].endswith("this row and the rows after it were not read")
