"""The bundled example cases: their memos are checked in, their JSON keeps the contract.

Each English example ``examples/NAME.yaml`` has an Indonesian twin ``examples/id/NAME.yaml``
with the same facts and its names and notes in Indonesian; the Indonesian memo is
rendered from the twin, so it reads in Indonesian throughout.

To accept a deliberate change of the memos, run
``PERENCANA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_examples.py``
and read the diff before committing it.
"""

import json
import os
import re

import jsonschema
import pytest
import yaml

from tests.helpers import (
    EXAMPLE_CASES,
    EXAMPLES,
    EXAMPLES_ID,
    ROOT,
    indonesian_case,
    invoke,
    run_perencana,
)

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


def test_there_are_examples_written_from_the_source_s_own_situations():
    assert {case.stem for case in EXAMPLE_CASES} >= {
        "mandated-care-standards",
        "young-volunteer-group",
        "merger-with-stronger-peer",
        "district-office-expansion",
        "ingrained-problems",
        "new-program-data",
        "donor-driven-change",
    }


def golden_file(case, fmt, lang):
    return GOLDEN / f"{case.stem}.{lang}.{fmt}"


def case_for(case, lang):
    """The case file a memo in ``lang`` is rendered from: Indonesian memos from the twin."""
    return indonesian_case(case) if lang == "id" else case


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
@pytest.mark.parametrize(("fmt", "lang"), RENDERINGS)
def test_memo_matches_the_checked_in_memo(case, fmt, lang):
    result = invoke("advise", case_for(case, lang), "--format", fmt, "--lang", lang)
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


# Free texts of a case: names and notes a translation changes; every other field is a fact.
TEXTS = {
    "organization": ("name", "sector", "mission"),
    "change": ("summary",),
}
ITEM_TEXTS = {"stakeholders": "name", "programs": "name"}


def facts_of(path):
    """The case file's data without its free texts."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for section, keys in TEXTS.items():
        for key in keys:
            data.get(section, {}).pop(key, None)
    for section, key in ITEM_TEXTS.items():
        for item in data.get(section, []):
            item.pop(key)
    return data


def texts_of(path):
    """The case file's free texts (names and notes), as written."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    texts = [data.get(section, {}).get(key) for section, keys in TEXTS.items() for key in keys]
    texts += [item[key] for section, key in ITEM_TEXTS.items() for item in data.get(section, [])]
    return [text for text in texts if text]


def test_every_example_has_an_indonesian_twin_and_nothing_else_is_there():
    assert sorted(p.name for p in EXAMPLES_ID.glob("*.yaml")) == [p.name for p in EXAMPLE_CASES]


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_the_indonesian_twin_states_the_same_facts(case):
    assert facts_of(indonesian_case(case)) == facts_of(case)


def without_names(advice):
    """JSON advice with the case's names and texts taken out, its facts and conclusions kept."""
    advice = {key: value for key, value in advice.items() if key != "organization"}
    advice["programs"] = [
        {key: value for key, value in program.items() if key != "name"}
        for program in advice["programs"]
    ]
    # "stakeholders[0] (intake clerks): ..." names the item; its index says which one.
    text = json.dumps(advice, ensure_ascii=False)
    return json.loads(re.sub(r"((?:stakeholders|programs)\[\d+\]) \([^)]*\)", r"\1", text))


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_the_indonesian_twin_gets_the_same_advice(case):
    english = json.loads(invoke("advise", case, "--format", "json").stdout)
    twin = json.loads(invoke("advise", indonesian_case(case), "--format", "json").stdout)
    # The same causes and strengths, strategies and ranks, decisions, guidance, caveats,
    # phases, tensions, unknowns and trace, down to every key.
    assert without_names(twin) == without_names(english)
    assert [p["decision"] for p in twin["programs"]] == [p["decision"] for p in english["programs"]]


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda p: p.stem)
def test_the_indonesian_memo_names_nothing_in_english(case):
    memo = golden_file(case, "md", "id").read_text(encoding="utf-8")
    shared = set(texts_of(indonesian_case(case)))  # a proper name reads the same in both
    english_only = [text for text in texts_of(case) if text not in shared]
    assert english_only, "the twin translates the case's names and notes"
    for text in english_only:
        assert text not in memo
    for text in texts_of(indonesian_case(case)):
        assert text in memo or text in shared
