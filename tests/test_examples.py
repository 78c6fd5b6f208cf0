"""The bundled example cases: their memos are checked in, their JSON keeps the contract.

To accept a deliberate change of the memos, run
``PERENCANA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_examples.py``
and read the diff before committing it.
"""

import json
import os

import jsonschema
import pytest

from tests.helpers import EXAMPLE_CASES, EXAMPLES, ROOT, invoke, run_perencana

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


def golden_file(case, fmt, lang):
    return GOLDEN / f"{case.stem}.{lang}.{fmt}"


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize(("fmt", "lang"), RENDERINGS)
def test_memo_matches_the_checked_in_memo(case, fmt, lang):
    result = invoke("advise", case, "--format", fmt, "--lang", lang)
    assert result.returncode == 0, result.stderr
    golden = golden_file(case, fmt, lang)
    if os.environ.get("PERENCANA_UPDATE_GOLDEN"):
        GOLDEN.mkdir(exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_every_checked_in_memo_is_one_the_examples_give():
    expected = {
        golden_file(case, fmt, lang).name for case in EXAMPLE_CASES for fmt, lang in RENDERINGS
    }
    assert {path.name for path in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_json_advice_keeps_the_contract(case):
    advice = json.loads(invoke("advise", case, "--format", "json").stdout)
    jsonschema.validate(advice, ADVICE_SCHEMA)
    assert [s["rank"] for s in advice["strategies"]] == list(
        range(1, len(advice["strategies"]) + 1)
    )
    assert advice["trace"], "every run records the rules that fired"
    for strategy in advice["strategies"]:
        assert strategy["because"] and strategy["sources"]


def test_same_input_gives_the_same_bytes_whatever_the_hash_seed(tmp_path):
    # A real process for each seed (the seed is fixed when Python starts); one batch
    # advises every example, and its JSON memos are the bytes of ``advise --format json``.
    memos = []
    for seed in ("1", "2", "12345"):
        outdir = tmp_path / seed
        result = run_perencana(
            "batch", *EXAMPLE_CASES, "-o", outdir, "--format", "json", env={"PYTHONHASHSEED": seed}
        )
        assert result.returncode == 0, result.stderr
        memos.append({path.name: path.read_bytes() for path in outdir.iterdir()})
    assert memos[0] == memos[1] == memos[2]
    here = {invoke("advise", case, "--format", "json").stdout.encode() for case in EXAMPLE_CASES}
    assert {data for name, data in memos[0].items() if not name.startswith("summary.")} == here
