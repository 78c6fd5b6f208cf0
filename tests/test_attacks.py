"""Issue 15: the attacks that once got through, each reproduced here.

Each test is named after what a user (or an attacker) did and checks what the user
sees now: one ``Error:`` line, no traceback, nothing half-written, nothing lost.
"""

import re

import pytest

from tests.helpers import EXAMPLES, invoke

GOOD = EXAMPLES / "young-community-group.yaml"


def _with_age(age):
    return re.sub(r"age_years: \d+", f"age_years: {age}", GOOD.read_text(encoding="utf-8"))


def _no_traceback(result):
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ") or result.stderr == ""


# ------------------------------------------------- 1: numbers of thousands of digits

HUGE_AGES = {
    "hexadecimal": "0x" + "f" * 3580,
    "binary": "0b" + "1" * 12000,
    "sexagesimal": "1" + ":59" * 2500,
    "decimal": "9" * 5000,
    "just too old": "1001",
}


@pytest.mark.parametrize("age", HUGE_AGES.values(), ids=HUGE_AGES.keys())
@pytest.mark.parametrize("command", ["validate", "advise"])
def test_a_huge_age_in_any_yaml_form_is_one_clear_error(tmp_path, command, age):
    case = tmp_path / "case.yaml"
    case.write_text(_with_age(age), encoding="utf-8")
    result = invoke(command, case)
    assert result.returncode == 1
    _no_traceback(result)
    assert "organization.age_years" in result.stderr or "too many digits" in result.stderr
    assert len(result.stderr) < 400  # the number is not echoed back in full


def test_a_batch_holding_a_huge_age_still_advises_the_good_case(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "good.yaml").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    (cases / "huge.yaml").write_text(_with_age(HUGE_AGES["hexadecimal"]), encoding="utf-8")
    result = invoke("batch", cases, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "huge.yaml" in result.stderr
    memos = sorted(p.name for p in (tmp_path / "out").glob("*.md"))
    assert len(memos) == 1


@pytest.mark.parametrize(
    "assignment",
    [
        "organization.age_years=0x" + "f" * 3580,
        "organization.age_years=" + "9" * 5000,
        "organization.years_to_current_state=0b" + "1" * 5000,
        "stakeholders[" + "9" * 5000 + "].impact=positive",
    ],
    ids=["hex", "decimal", "binary", "list index"],
)
def test_a_huge_number_in_set_is_one_clear_error(assignment):
    result = invoke("whatif", GOOD, "--set", assignment)
    assert result.returncode == 1
    _no_traceback(result)
    assert len(result.stderr) < 400
