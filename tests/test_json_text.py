"""The JSON advice is the same text whether orjson or the standard encoder writes it.

orjson (the ``fast`` extra) writes the indented JSON in C; the standard library's
encoder, which writes it where orjson is not installed, is the reference: every
example's advice and that of 200 generated cases must come out byte for byte alike,
and what orjson refuses goes to the standard encoder.
"""

import json

import pytest

from perencana.engine.case.schema import field_specs
from perencana.engine.case.validation import normalize_case, validate_case
from perencana.engine.view import advice_json as writer
from tests.generated_cases import varied_case
from tests.helpers import EXAMPLE_CASES, EXAMPLES_ID

orjson = pytest.importorskip("orjson")


def reference(value):
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def advice_values(advisor):
    from perencana.engine.api import read_case

    for path in [*EXAMPLE_CASES, *sorted(EXAMPLES_ID.glob("*.yaml"))]:
        yield writer.advice_json(advisor.advise(read_case(str(path))))
    for number in range(200):
        raw = varied_case(number, field_specs())
        if not validate_case(raw):
            yield writer.advice_json(advisor.advise(normalize_case(raw)))


def test_orjson_writes_every_advice_as_the_standard_encoder_does(advisor):
    assert writer.orjson is orjson
    differing = [
        value["organization"]
        for value in advice_values(advisor)
        if writer.json_text(value) != reference(value)
    ]
    assert not differing


@pytest.mark.parametrize(
    "value",
    [
        {"text": '\x00\x1f\x7f\u2028 two\nlines "quoted" back\\slash / é 😀'},
        {"empty": [], "none": {}, "nested": [[], {}], "flags": [True, False, None]},
        {"big": 2**70},  # orjson refuses integers past 64 bits
        {"surrogate": "\ud800"},  # and lone surrogates
    ],
)
def test_every_kind_of_value_is_written_as_the_standard_encoder_writes_it(value):
    assert writer.json_text(value) == reference(value)


def test_without_orjson_the_standard_encoder_writes_it(monkeypatch):
    monkeypatch.setattr(writer, "orjson", None)
    value = {"a": ["b", 1, True, None, {}]}
    assert writer.json_text(value) == reference(value)
