"""The command line as a user meets it: output, exit codes, files, errors."""

import json

import pytest

from perencana.cli import main
from tests.helpers import EXAMPLES, ROOT, invoke

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"


def test_advise_prints_a_markdown_memo_by_default():
    result = invoke("advise", OLD_OFFICE)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# ")
    assert "Dinas Sosial Kabupaten Lembah Hijau" in result.stdout


def test_advise_reads_the_case_from_standard_input():
    result = invoke("advise", "-", "--format", "json", stdin=OLD_OFFICE.read_text())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["organization"] == "Dinas Sosial Kabupaten Lembah Hijau"


def test_advise_writes_the_memo_to_a_file_and_never_overwrites_it_unasked(tmp_path):
    memo = tmp_path / "memo.html"
    first = invoke("advise", OLD_OFFICE, "--format", "html", "-o", memo)
    assert first.returncode == 0, first.stderr
    assert first.stdout == ""
    assert memo.read_text().lstrip().lower().startswith("<!doctype html>")
    memo.write_text("the client's notes")
    second = invoke("advise", OLD_OFFICE, "-o", memo)
    assert second.returncode == 1
    assert f"{memo}: already exists; use --force to overwrite it" in second.stderr
    assert memo.read_text() == "the client's notes"
    forced = invoke("advise", OLD_OFFICE, "-o", memo, "--force")
    assert forced.returncode == 0, forced.stderr
    # The file's extension says HTML: without --format, an HTML memo, not Markdown.
    assert memo.read_text().lstrip().lower().startswith("<!doctype html>")
    assert [p.name for p in tmp_path.iterdir()] == ["memo.html"]


def test_a_bad_case_leaves_the_output_file_untouched(tmp_path):
    memo = tmp_path / "memo.md"
    memo.write_text("earlier memo")
    bad = tmp_path / "bad.yaml"
    bad.write_text("organization: [1, 2]\n")
    result = invoke("advise", bad, "-o", memo, "--force")
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: {bad}: ")
    assert memo.read_text() == "earlier memo"


def test_validate_says_a_good_case_is_valid():
    result = invoke("validate", OLD_OFFICE)
    assert result.returncode == 0
    assert "valid" in result.stdout
    assert "Dinas Sosial Kabupaten Lembah Hijau" in result.stdout


def test_standard_input_has_one_name_in_every_message():
    good = invoke("validate", "-", stdin=OLD_OFFICE.read_text(encoding="utf-8"))
    assert good.stdout == "<stdin>: valid case for Dinas Sosial Kabupaten Lembah Hijau\n"
    bad = invoke("validate", "-", stdin="organization: [\n")
    assert bad.returncode == 1 and bad.stderr.startswith("Error: <stdin>: not valid YAML")


BAD_CASES = {
    "misspelled key": (
        "organization: {name: X, age_years: 3}\n"
        "change: {summary: s, propsed_by: external}\nfunding: {funds_for_change: none}\n",
        ["change.propsed_by", "proposed_by"],
    ),
    "wrong enum value": (
        "organization: {name: X, age_years: 3}\n"
        "change: {summary: s, proposed_by: external}\nfunding: {funds_for_change: nothing}\n",
        ["funding.funds_for_change", "'nothing'", "none, partial, sufficient"],
    ),
    "negative age": (
        "organization: {name: X, age_years: -4}\n"
        "change: {summary: s, proposed_by: external}\nfunding: {funds_for_change: none}\n",
        ["organization.age_years", "-4"],
    ),
    "broken yaml": ("organization: {name: X\nchange: [\n", ["line"]),
    "empty file": ("", ["empty"]),
    "list where a mapping belongs": (
        "organization: [X, 3]\nchange: {summary: s, proposed_by: external}\n"
        "funding: {funds_for_change: none}\n",
        ["organization", "list"],
    ),
}


@pytest.mark.parametrize("name", BAD_CASES)
def test_a_bad_case_gets_a_clear_message_and_a_non_zero_exit(tmp_path, name):
    text, expected = BAD_CASES[name]
    case = tmp_path / "case.yaml"
    case.write_text(text)
    result = invoke("validate", case)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Error: {case}: ")
    for fragment in expected:
        assert fragment in result.stderr


def test_every_problem_of_a_case_is_reported_at_once(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        "organization: {name: X, age_years: -1, typ: ngo}\n"
        "change: {summary: s, proposed_by: outside}\nfunding: {funds_for_change: none}\n"
    )
    result = invoke("advise", case)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 3, lines
    assert all(line.startswith("Error: ") for line in lines)


def test_a_missing_case_file_is_named(tmp_path):
    result = invoke("advise", tmp_path / "nowhere.yaml")
    assert result.returncode == 1
    assert "nowhere.yaml" in result.stderr and "not found" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_option_value_is_a_usage_error():
    result = invoke("advise", OLD_OFFICE, "--format", "rtf")
    assert result.returncode == 2
    assert "rtf" in result.stderr


def test_schema_prints_the_json_schema_the_validator_enforces():
    result = invoke("schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert schema == json.loads((ROOT / "engine" / "case" / "case_schema.json").read_text())


def test_every_command_has_help_with_an_example():
    for name, command in main.commands.items():
        result = invoke(name, "--help")
        assert result.returncode == 0
        assert command.help, name
        assert "Example" in result.stdout and f"perencana {name}" in result.stdout, name


def test_lang_defaults_from_the_environment():
    result = invoke("advise", OLD_OFFICE, env={"PERENCANA_LANG": "id"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Memo Rekomendasi: ")
    english = invoke("advise", OLD_OFFICE, env={"PERENCANA_LANG": "en"})
    assert english.stdout.startswith("# Advisory memo: ")
    assert result.stdout == invoke("advise", OLD_OFFICE, "--lang", "id").stdout


def test_the_language_may_be_given_in_capitals_on_the_line_or_in_perencana_lang():
    indonesian = "# Memo Rekomendasi: "
    assert invoke("advise", OLD_OFFICE, "--lang", "ID").stdout.startswith(indonesian)
    by_env = invoke("advise", OLD_OFFICE, env={"PERENCANA_LANG": "ID"})
    assert by_env.returncode == 0 and by_env.stdout.startswith(indonesian)
    shown = " ".join(invoke("advise", "--help").stdout.split())
    assert "[default: (PERENCANA_LANG if set, else en)]" in shown
