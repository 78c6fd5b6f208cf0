"""The bundled example cases: their memos are checked in, their JSON keeps the contract.

To accept a deliberate change of the memos, run
``PERENCANA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_examples.py``
and read the diff before committing it.
"""

import json
import os

import jsonschema
import pytest

from tests.helpers import EXAMPLE_CASES, EXAMPLES, ROOT, run_perencana

GOLDEN = EXAMPLES / "memos"
ADVICE_SCHEMA = json.loads((ROOT / "engine" / "view" / "advice_schema.json").read_text())
RENDERINGS = [("md", "en"), ("md", "id"), ("json", "en")]


def test_there_are_the_four_promised_examples():
    assert {case.stem for case in EXAMPLE_CASES} >= {
        "young-community-group",
        "old-government-office",
        "ngo-hurting-stakeholders",
        "program-review",
    }


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize(("fmt", "lang"), RENDERINGS)
def test_memo_matches_the_checked_in_memo(case, fmt, lang):
    result = run_perencana("advise", case, "--format", fmt, "--lang", lang)
    assert result.returncode == 0, result.stderr
    golden = GOLDEN / f"{case.stem}.{lang}.{fmt}"
    if os.environ.get("PERENCANA_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_json_advice_keeps_the_contract(case):
    advice = json.loads(run_perencana("advise", case, "--format", "json").stdout)
    jsonschema.validate(advice, ADVICE_SCHEMA)
    assert [s["rank"] for s in advice["strategies"]] == list(
        range(1, len(advice["strategies"]) + 1)
    )
    assert advice["trace"], "every run records the rules that fired"
    for strategy in advice["strategies"]:
        assert strategy["because"] and strategy["sources"]


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_same_input_gives_the_same_bytes_whatever_the_hash_seed(case):
    outputs = {
        run_perencana("advise", case, "--format", fmt, env={"PYTHONHASHSEED": seed}).stdout
        for fmt in ("json",)
        for seed in ("1", "2", "12345")
    }
    assert len(outputs) == 1
