"""Every memo format keeps its bytes while perencana is made faster.

The digests in ``tests/data/memo-digests.json`` were recorded before the speed work
(issue 16): the memos (md, html, text, json; English and Indonesian) of every example,
as ``perencana advise`` prints them, and of the first generated cases that are valid,
as the library renders them. A faster start-up, case loader, JSON writer or picture
layout must leave each of them byte for byte as it was.
The memos are checked in pieces, one example or a few generated cases each, so that
parallel test workers share them out; one more test checks that the recorded memos
are exactly the ones the pieces render.
To accept a deliberate change of the memos, run
``PERENCANA_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_memo_bytes.py``.
"""

import functools
import hashlib
import json
import os

import pytest

from tests.generated_cases import varied_case
from tests.helpers import EXAMPLE_CASES, ROOT, indonesian_case, invoke

DIGESTS = ROOT / "tests" / "data" / "memo-digests.json"
FORMATS = ("md", "html", "text", "json")
LANGS = ("en", "id")
GENERATED = 30
# The generated cases are rendered in this many pieces of GENERATED / PIECES cases.
PIECES = 3


def digest(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def example_digests(case):
    found = {}
    for lang in LANGS:
        source = indonesian_case(case) if lang == "id" else case
        for fmt in FORMATS:
            result = invoke("advise", source, "--format", fmt, "--lang", lang)
            assert result.returncode == 0, result.stderr
            found[f"example {case.stem} {lang} {fmt}"] = digest(result.stdout)
    return found


@functools.cache
def valid_generated():
    """The numbers of the first GENERATED generated cases that are valid."""
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import validate_case

    numbers, number = [], 0
    while len(numbers) < GENERATED:
        if not validate_case(varied_case(number, field_specs())):
            numbers.append(number)
        number += 1
    return tuple(numbers)


def generated_piece(piece):
    """The numbers of the valid generated cases of piece ``piece`` (0 to PIECES - 1)."""
    numbers = valid_generated()
    size = -(-len(numbers) // PIECES)
    return numbers[piece * size : (piece + 1) * size]


def generated_digests(advisor, numbers):
    from perencana.engine.api import render_advice
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import normalize_case

    found = {}
    for number in numbers:
        advice = advisor.advise(normalize_case(varied_case(number, field_specs())))
        for lang in LANGS:
            for fmt in FORMATS:
                text = render_advice(advice, fmt, lang)
                found[f"generated {number} {lang} {fmt}"] = digest(text)
    return found


def rendered_keys():
    """The name of every memo the pieces render."""
    keys = [
        f"example {case.stem} {lang} {fmt}"
        for case in EXAMPLE_CASES
        for lang in LANGS
        for fmt in FORMATS
    ]
    keys += [
        f"generated {number} {lang} {fmt}"
        for number in valid_generated()
        for lang in LANGS
        for fmt in FORMATS
    ]
    return keys


def recorded():
    return json.loads(DIGESTS.read_text(encoding="utf-8"))


def assert_unchanged(found):
    digests = recorded()
    assert set(found) <= set(digests), sorted(set(found) - set(digests))
    changed = [key for key in found if digests[key] != found[key]]
    assert not changed, f"{len(changed)} memos changed, e.g. {changed[:10]}"


# First in the file, so that in a run that updates the digests the pieces after it
# compare with what it wrote.
def test_the_recorded_memos_are_the_ones_rendered(advisor):
    if os.environ.get("PERENCANA_UPDATE_GOLDEN"):
        found = {}
        for case in EXAMPLE_CASES:
            found.update(example_digests(case))
        found.update(generated_digests(advisor, valid_generated()))
        DIGESTS.write_text(json.dumps(found, indent=1) + "\n", encoding="utf-8")
    assert sorted(rendered_keys()) == sorted(recorded()), (
        "the recorded memos are not the ones rendered"
    )


@pytest.mark.parametrize("case", EXAMPLE_CASES, ids=lambda path: path.stem)
def test_every_memo_of_an_example_keeps_its_bytes(case):
    assert_unchanged(example_digests(case))


@pytest.mark.parametrize("piece", range(PIECES))
def test_every_memo_of_the_generated_cases_keeps_its_bytes(advisor, piece):
    numbers = generated_piece(piece)
    assert numbers
    assert_unchanged(generated_digests(advisor, numbers))


if __name__ == "__main__":  # pragma: no cover
    pytest.main([__file__])
