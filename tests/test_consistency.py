"""An impossible case is refused wherever a case comes in: more years to reach the
present state than the organization is old (``organization.years_to_current_state``
more than ``organization.age_years``). Equal values are fine, and so is either one
unknown. Each entry point is tried as a user meets it: validate, advise, batch (case
files, CSV rows, JSON Lines rows), whatif --set and the interview (piped answers,
resuming)."""

import csv
import json

import pytest
import yaml

from perencana.engine.api import read_case
from perencana.engine.case.schema import field_specs
from perencana.engine.case.validation import AT_MOST, validate_case
from perencana.engine.interview.session import INCONSISTENT_WORDING, Interview
from perencana.knowledge import load_knowledge
from tests.generated_cases import varied_case
from tests.helpers import EXAMPLES, invoke
from tests.test_batch import LEAF_COLUMNS, csv_row, generated_case
from tests.test_interview import run_scripted

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"  # 38 years old, 20 years to its state
YEARS, AGE = "organization.years_to_current_state", "organization.age_years"
REASON_EN = "the years to reach the present state cannot exceed the organization's age"
REASON_ID = "waktu untuk mencapai kondisi sekarang tidak mungkin lebih lama daripada usia lembaga"


def beyond(years, age):
    """The validator's message for ``years`` more than ``age``."""
    return f"{YEARS}: {years} is more than {AGE} ({age}); {REASON_EN}"


def office(age, years):
    """The old office's case file data with its age and its years to its state set."""
    data = yaml.safe_load(OLD_OFFICE.read_text(encoding="utf-8"))
    data["organization"]["age_years"] = age
    data["organization"]["years_to_current_state"] = years
    return data


def write_case(path, data):
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# -------------------------------------------------------------- validate, advise


def test_validate_refuses_the_impossible_case_naming_both_fields(tmp_path):
    case = write_case(tmp_path / "case.yaml", office(age=3, years=20))
    result = invoke("validate", case)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: {case}: {beyond(20, 3)}\n"


@pytest.mark.parametrize(
    ("age", "years"), [(20, 20), (0, 0), (38, "unknown")], ids=["equal", "zero", "unknown"]
)
def test_validate_takes_years_up_to_the_age_and_unknown_years(tmp_path, age, years):
    case = write_case(tmp_path / "case.yaml", office(age=age, years=years))
    result = invoke("validate", case)
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout


def test_advise_refuses_it_and_writes_no_memo(tmp_path):
    case = write_case(tmp_path / "case.yaml", office(age=3, years=20))
    memo = tmp_path / "memo.md"
    result = invoke("advise", case, "-o", memo)
    assert result.returncode == 1
    assert result.stderr == f"Error: {case}: {beyond(20, 3)}\n"
    assert not memo.exists()
    piped = invoke("advise", "-", stdin=yaml.safe_dump(office(age=3, years=20)))
    assert piped.returncode == 1
    assert piped.stderr == f"Error: <stdin>: {beyond(20, 3)}\n"


def test_advise_takes_equal_values(tmp_path):
    case = write_case(tmp_path / "case.yaml", office(age=20, years=20))
    result = invoke("advise", case, "--format", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["organization"] == "Dinas Sosial Kabupaten Lembah Hijau"


# ------------------------------------------------------------------------ batch


def test_batch_reports_each_impossible_case_and_advises_the_others(tmp_path):
    cases = tmp_path / "in"
    cases.mkdir()
    for number in range(3):
        write_case(cases / f"good-{number}.yaml", generated_case(number))
    bad_file = write_case(cases / "impossible.yaml", office(age=3, years=20))
    table = tmp_path / "table.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*LEAF_COLUMNS, "stakeholders", "programs"])
        for number, (age, years) in enumerate([(10, 10), (2, 9), (7, "unknown")]):
            case = generated_case(100 + number)
            case["organization"].update(age_years=age, years_to_current_state=years)
            writer.writerow(csv_row(case))
    rows = tmp_path / "rows.jsonl"
    good_row, bad_row = generated_case(200), generated_case(201)
    bad_row["organization"].update(age_years=0, years_to_current_state=1)
    rows.write_text(
        "".join(json.dumps(case) + "\n" for case in (bad_row, good_row)), encoding="utf-8"
    )

    out = tmp_path / "out"
    result = invoke("batch", cases, table, rows, "-o", out, "--format", "json")

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {bad_file}: {beyond(20, 3)}",
        f"Error: {table}:3: {beyond(9, 2)}",  # the header is line 1
        f"Error: {rows}:1: {beyond(1, 0)}",
    ]
    assert result.stdout.startswith("6 memos written, 0 up to date (skipped), 3 failed; ")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["cases"]) == 6
    assert [failure["messages"] for failure in summary["failures"]] == [
        [beyond(20, 3)],
        [beyond(9, 2)],
        [beyond(1, 0)],
    ]


# ----------------------------------------------------------------------- whatif


def test_whatif_refuses_a_change_that_makes_the_case_impossible():
    result = invoke("whatif", OLD_OFFICE, "--set", f"{AGE}=3")
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == f"Error: --set: {beyond(20, 3)}\n"
    assert "Traceback" not in result.stderr


def test_whatif_takes_the_two_changed_together_and_unknown_years():
    both = invoke("whatif", OLD_OFFICE, "--set", f"{AGE}=3", "--set", f"{YEARS}=3")
    assert both.returncode == 0, both.stderr
    unknown = invoke("whatif", OLD_OFFICE, "--set", f"{AGE}=3", "--set", f"{YEARS}=unknown")
    assert unknown.returncode == 0, unknown.stderr
    equal = invoke("whatif", OLD_OFFICE, "--set", f"{AGE}=20")
    assert equal.returncode == 0, equal.stderr


# -------------------------------------------------------------------- interview


def lines(items):
    return "".join(f"{item}\n" for item in items)


def scripted_with_a_refused_answer(lang):
    """The answers to the old office made 3 years old, with 20 years to its state
    typed first (refused) and then 3; returns the case the interview makes of them,
    the script and the position of the refused answer."""
    case = read_case(OLD_OFFICE)
    case["organization"]["age_years"] = 3
    case["organization"]["years_to_current_state"] = 3
    run = run_scripted(case, lang=lang)
    at = [question.path for question in run.questions].index(YEARS)
    script = list(run.lines)
    script.insert(at, "20")
    return run.interview.final_case(), script, at


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", beyond(20, 3)),
        ("id", f"{YEARS}: 20 lebih besar daripada {AGE} (3); {REASON_ID}"),
    ],
)
def test_the_interview_refuses_years_beyond_the_age_and_asks_again(tmp_path, lang, message):
    case, script, at = scripted_with_a_refused_answer(lang)
    target = tmp_path / "case.yaml"
    result = invoke(
        "interview", "-o", target, "--lang", lang, "--format", "json",
        stdin=lines(script), cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    err = result.stderr.splitlines()
    position = err.index(message)
    asked = err[position - 1]
    assert asked.startswith(f"{at + 1}. ")
    assert err[position + 1] == asked  # the same question, asked again
    organization = yaml.safe_load(target.read_text(encoding="utf-8"))["organization"]
    assert organization["years_to_current_state"] == 3
    assert read_case(target) == case


def test_the_interview_takes_years_equal_to_the_age(tmp_path):
    interview = Interview()
    while (question := interview.next_question()).path != YEARS:
        line = {
            "organization.name": "X",
            "change.summary": "Y",
            "change.proposed_by": "internal",
            "funding.funds_for_change": "none",
            AGE: "12",
        }.get(question.path)
        assert interview.handle(question, line or "unknown").ok, question.path
    assert interview.handle(question, "13").kind == "error"
    assert interview.handle(question, "12").ok
    assert interview.data["organization"]["years_to_current_state"] == 12


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", f"{AGE}: 3 is less than {YEARS} (20), answered already; {REASON_EN}"),
        ("id", f"{AGE}: 3 lebih kecil daripada {YEARS} (20) yang sudah dijawab; {REASON_ID}"),
    ],
)
def test_a_resumed_interview_refuses_an_age_below_the_years_already_answered(
    tmp_path, lang, message
):
    # A partial file may hold the years before the age (written by hand, or the age
    # left out): then the age is the second answer, and it is the one refused.
    target = tmp_path / "case.yaml"
    target.write_text(
        "organization:\n  name: X\n  type: ngo\n  years_to_current_state: 20\n", encoding="utf-8"
    )
    script = ["a change", "3", "25"]  # the change (named first), then the age twice
    result = invoke(
        "interview", "--resume", target, "--lang", lang, stdin=lines(script), cwd=tmp_path
    )
    assert result.returncode == 1  # the input ends before the interview does
    err = result.stderr.splitlines()
    position = err.index(message)
    assert err[position + 1] == err[position - 1]  # the age asked again
    organization = yaml.safe_load(target.read_text(encoding="utf-8"))["organization"]
    assert (organization["age_years"], organization["years_to_current_state"]) == (25, 20)


def test_an_impossible_partial_file_is_not_resumed(tmp_path):
    target = tmp_path / "case.yaml"
    text = "organization:\n  name: X\n  age_years: 3\n  years_to_current_state: 20\n"
    target.write_text(text, encoding="utf-8")
    result = invoke("interview", "--resume", target, stdin="", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == f"Error: {target}: {beyond(20, 3)}\n"
    assert target.read_text(encoding="utf-8") == text


def test_the_interview_says_why_in_both_languages_and_in_the_validators_english():
    reasons = load_knowledge().memo[INCONSISTENT_WORDING]
    assert set(reasons) == set(AT_MOST)
    for path, (_, reason) in AT_MOST.items():
        assert reasons[path]["en"] == reason
        assert reasons[path]["id"].strip()


# ------------------------------------------------------------- shipped cases


def test_the_generated_cases_keep_their_years_within_their_age():
    specs = field_specs()
    for number in range(300):
        for case in (generated_case(number), varied_case(number, specs)):
            assert validate_case(case) == [], number
