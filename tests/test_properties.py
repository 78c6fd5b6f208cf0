"""Property-based tests: perencana holds up for any case, valid or not.

The strategies are derived from ``engine/case_schema.json`` itself (the subset of
JSON Schema that ``engine/validation.py`` interprets), so a field added to the schema
is generated here without touching this file.

* Valid cases, across the whole schema, with ``unknown`` answers and lists of up to
  20 items: the engine always finishes, every recommended strategy has reasons and
  sources, ranks run 1..n, the JSON is the same on two runs, every format renders.
* Invalid documents (wrong types, unknown keys, random YAML and JSON, binary junk,
  empty input, deep nesting, huge numbers, random Unicode): always a ``CaseError``
  whose messages are non-empty single lines, the validator agreeing with
  ``jsonschema``; for a sample, the real command exits 1 with no traceback.

The examples are few (profile ``perencana-properties``, 60 by default) so that
``make test`` stays fast; ``PERENCANA_HYPOTHESIS_EXAMPLES=2000`` runs a deeper search.
Failures print the seed to reproduce them; no example database is written.
"""

import copy
import io
import json
import os
import re

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from perencana.engine.case import loader as case_loader
from perencana.engine.case.loader import load_case
from perencana.engine.case.schema import UNKNOWN, field_specs, load_schema
from perencana.engine.case.validation import AT_MOST, normalize_case, validate_case
from perencana.engine.case.vocabulary import CasePath
from perencana.engine.errors import CaseError
from perencana.engine.memo.render import render
from perencana.engine.reasoning.advisor import Advisor
from tests.helpers import invoke, picture_without_a_browser

settings.register_profile(
    "perencana-properties",
    max_examples=int(os.environ.get("PERENCANA_HYPOTHESIS_EXAMPLES", "60")),
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
PROFILE = settings.get_profile("perencana-properties")
# Tests whose every example is slow (a full engine run on a tiny case, a parse of
# 60,000 brackets) take a smaller sample.
SMALL_SAMPLE = settings(PROFILE, max_examples=max(8, PROFILE.max_examples // 4))

SCHEMA = load_schema()
MAX_LIST = 20  # items per generated list (the schema allows far more)
MAX_TEXT = 60  # characters per generated text, with a few at the schema's limit

# Text a hostile or careless user might write: Markdown and HTML syntax, control
# characters, bidirectional overrides, line separators, and any other character.
NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "**bold** _it_ `code` [link](http://x) | a | b |",
    "# heading",
    "1. list",
    "- item",
    "&amp; &lt;",
    "{{ 7*7 }} {% if %} {_{ x }_}",
    "\u202eevil\u202c \u2066iso\u2069",
    "a\x00b\x07c\x1b[31md\x7f",
    "line\nbreak\r\nand\ttab",
    "\u2028\u2029\x85",
    "\ufeff\ufffe\uffff",
    "   ",
    "名前 😀 اسم",
]
text_chars = st.characters(blacklist_categories=("Cs",))
any_text = st.one_of(st.sampled_from(NASTY), st.text(text_chars, max_size=MAX_TEXT))


# ------------------------------------------------------------- schema -> strategy


def _text(node):
    low = node.get("minLength", 0)
    high = node.get("maxLength", 10_000)
    short = st.one_of(any_text, st.text(text_chars, min_size=low, max_size=min(high, MAX_TEXT)))
    at_limit = st.builds(lambda c: c * high, st.sampled_from("x<*é名"))
    return st.one_of(short, short, short, at_limit).filter(lambda s: low <= len(s) <= high)


def _integer(node):
    low = node.get("minimum", -(10**6))
    high = node.get("maximum", 10**40)
    return st.one_of(
        st.integers(low, min(200, high)),
        st.integers(low, high),
        st.integers(low, 60).map(float),  # 3.0 is a whole number, as in JSON Schema
    )


def valid(node):
    """A strategy for values that ``node`` accepts."""
    if "anyOf" in node:
        return st.one_of([valid(option) for option in node["anyOf"]])
    if "const" in node:
        return st.just(node["const"])
    if "enum" in node:
        return st.sampled_from(node["enum"])
    kind = node.get("type")
    if kind == "object":
        properties = node.get("properties", {})
        required = set(node.get("required", ()))
        return st.fixed_dictionaries(
            {key: valid(child) for key, child in properties.items() if key in required},
            optional={
                key: valid(child) for key, child in properties.items() if key not in required
            },
        )
    if kind == "array":
        size = min(node.get("maxItems", MAX_LIST), MAX_LIST)
        unique = (
            (lambda item: json.dumps(item, sort_keys=True)) if node.get("uniqueItems") else None
        )
        return st.lists(valid(node.get("items", {})), max_size=size, unique_by=unique)
    if kind == "string":
        return _text(node)
    if kind == "integer":
        return _integer(node)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return json_values


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    any_text,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(any_text, inner, max_size=4)
    ),
    max_leaves=12,
)


def _consistent(case):
    """``case`` (which the schema accepts) with each field of ``AT_MOST`` lowered to
    the field that limits it where it is more: the schema cannot say so, the
    validator does (no more years to the present state than the organization's age)."""
    for path, (other, _) in AT_MOST.items():
        value, limit = CasePath.parse(path).get(case), CasePath.parse(other).get(case)
        numbers = all(type(x) in (int, float) for x in (value, limit))
        if numbers and value > limit:
            CasePath.parse(path).set(case, limit)
    return case


valid_cases = valid(SCHEMA).map(_consistent)

# Every place a value sits in a case: ("organization", "age_years"), ("stakeholders",
# 0, "impact") ... taken from the schema's own fields.
LEAF_PATHS = [tuple(spec.path.replace("[]", ".0").split(".")) for spec in field_specs()]
LEAF_PATHS = [tuple(int(p) if p.isdigit() else p for p in path) for path in LEAF_PATHS]
SECTIONS = [(name,) for name in SCHEMA["properties"]]


def _put(data, path, value):
    """``data`` with ``value`` at ``path``; whatever stands in the way (a missing item,
    a value where a mapping or list must be) is replaced by what the path needs."""
    here = data
    for step, following in zip(path, [*path[1:], None], strict=True):
        if isinstance(here, list):
            while len(here) <= step:
                here.append({"name": "filler"})
        if following is None:
            here[step] = value
            break
        needed = list if isinstance(following, int) else dict
        child = here[step] if isinstance(here, list) else here.get(step)
        if not isinstance(child, needed):
            child = here[step] = needed()
        here = child
    return data


@st.composite
def broken_cases(draw):
    """A valid case with one to three things wrong: a field or section given a value
    of any kind, an unknown key, a required field left out, an over-long list."""
    case = copy.deepcopy(draw(valid_cases))
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["value", "value", "extra", "missing", "long"]))
        if kind == "value":
            path = draw(st.sampled_from(LEAF_PATHS + SECTIONS))
            _put(case, path, draw(json_values))
        elif kind == "extra":
            parent = draw(st.sampled_from([(), *SECTIONS[:3], ("stakeholders", 0)]))
            key = draw(st.text(text_chars, min_size=1, max_size=20))
            _put(case, (*parent, key), draw(json_scalars)) if parent else case.update(
                {key: draw(json_scalars)}
            )
        elif kind == "missing":
            section = draw(st.sampled_from(SCHEMA["required"]))
            case.pop(section, None)
        else:
            case["stakeholders"] = [{"name": "same"}] * draw(st.integers(501, 520))
    return case


# ------------------------------------------------------------------------ helpers


@pytest.fixture(scope="module", autouse=True)
def _no_browser_for_the_pictures():
    """The Word memo of each generated case gets a stand-in picture (a browser start
    per case would double this file's time); ``tests/test_docx.py`` checks the drawn
    one."""
    with picture_without_a_browser():
        yield


@pytest.fixture(scope="module")
def second_advisor(knowledge):
    return Advisor(knowledge)


CHECKER = jsonschema.Draft202012Validator(SCHEMA)


def assert_clear(error):
    """A ``CaseError`` the user can read: one non-empty line per problem."""
    messages = error.messages()
    assert messages
    for message in messages:
        assert message.strip()
        assert len(message.splitlines()) == 1, repr(message)
        assert "Traceback" not in message
        message.encode("utf-8")


def load_or_refuse(data):
    """``load_case`` on raw input: the normalized case, or ``None`` after checking
    that the refusal is clear. Anything but a ``CaseError`` fails the test."""
    try:
        case = load_case("-", data)
    except CaseError as error:
        assert_clear(error)
        return None
    assert validate_case(case) == []
    return case


def as_yaml(data):
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


# --------------------------------------------------------------------- valid cases


@PROFILE
@given(case=valid_cases, lang=st.sampled_from(["en", "id"]))
def test_any_valid_case_gives_complete_advice_in_every_format(advisor, knowledge, case, lang):
    assert validate_case(case) == [], "the strategy made an invalid case"
    assert CHECKER.is_valid(case)
    normalized = normalize_case(case)
    advice = advisor.advise(copy.deepcopy(normalized))

    ranks = [strategy.rank for strategy in advice.strategies]
    assert ranks == list(range(1, len(ranks) + 1))
    for strategy in advice.strategies:
        assert strategy.because, strategy.id
        assert strategy.sources, strategy.id
    for cause in advice.causes:
        assert cause.sources and cause.evidence, cause.id
    for finding in advice.unknowns:
        assert finding.changing_answers, finding.path

    assert json.loads(render(advice, knowledge, "json", lang))["format"]
    for fmt in ("md", "html", "text"):
        memo = render(advice, knowledge, fmt, lang)
        assert memo.strip()
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", memo)
        memo.encode("utf-8")
    text = render(advice, knowledge, "text", lang)
    assert max(len(line) for line in text.split("\n")) <= 80


MINIMAL_CASE = {
    "organization": {"name": "<script>alert(1)</script>", "age_years": 0},
    "change": {"summary": "<script>alert(1)</script>", "proposed_by": "internal"},
    "funding": {"funds_for_change": "sufficient"},
}


@SMALL_SAMPLE
@given(case=valid_cases)
@example(case=MINIMAL_CASE)  # no strategy at all: found by a CI run
def test_two_runs_give_the_same_json_and_a_word_memo(advisor, second_advisor, knowledge, case):
    # Two full runs per example, on two engines (the costliest test here): a smaller
    # sample.
    normalized = normalize_case(case)
    first = render(advisor.advise(copy.deepcopy(normalized)), knowledge, "json", "en")
    advice = second_advisor.advise(copy.deepcopy(normalized))
    assert first == render(advice, knowledge, "json", "id")
    # The Word memo too (slower than the text formats, so here, on the smaller sample).
    docx = pytest.importorskip("docx")
    document = docx.Document(io.BytesIO(render(advice, knowledge, "docx", "id")))
    assert document.paragraphs
    # The strategy table is there exactly when something is recommended.
    if advice.strategies:
        assert document.tables


@PROFILE
@given(case=valid_cases)
def test_a_valid_case_written_as_yaml_or_json_loads_as_itself(case):
    loaded = load_case("-", json.dumps(case).encode("utf-8"))
    assert loaded == normalize_case(json.loads(json.dumps(case)))
    # PyYAML's writer is lossy for a few characters (it writes U+0085 as a line
    # break), so the YAML round trip is only checked to load as a valid case.
    assert validate_case(load_case("-", as_yaml(case).encode("utf-8"))) == []


@PROFILE
@given(case=valid_cases, as_json=st.booleans())
def test_libyaml_reads_a_plain_case_as_the_careful_reader_does(case, as_json):
    text = json.dumps(case, ensure_ascii=False) if as_json else as_yaml(case)
    assert outcome(case_loader._construct, text) == outcome(case_loader._construct_carefully, text)


def outcome(construct, text):
    """What reading ``text`` gives: the data, or the error and its message."""
    try:
        return construct(text)
    except Exception as error:  # noqa: BLE001 (the error is what is compared)
        return type(error), str(error)


@PROFILE
@given(case=valid_cases)
def test_normalizing_fills_every_field_and_keeps_the_case_valid(case):
    normalized = normalize_case(case)
    assert validate_case(normalized) == []
    assert normalize_case(normalized) == normalized
    for section, node in SCHEMA["properties"].items():
        if section == "memo" and section not in case:
            continue  # the memo's own details stay out when the case leaves them out
        assert section in normalized
        if node.get("type") == "object":
            assert set(normalized[section]) == set(node["properties"])
    for spec in field_specs():
        section, _, name = spec.path.partition(".")
        if section not in normalized:
            continue
        if "[]" not in section and not spec.required:
            value = normalized[section][name]
            assert value is not None and (value == UNKNOWN or value != "")


# ------------------------------------------------------------------- invalid input


@PROFILE
@given(data=st.one_of(broken_cases(), json_values))
def test_the_validator_agrees_with_jsonschema(data):
    ours = validate_case(data)
    # Fields held against each other (years beyond the age) are beyond JSON Schema.
    schema_problems = [problem for problem in ours if problem.code != "inconsistent"]
    assert (schema_problems == []) == CHECKER.is_valid(data), ours
    for message in ours:
        assert message.strip() and len(message.splitlines()) == 1, repr(message)


@PROFILE
@given(case=broken_cases(), as_json=st.booleans())
def test_a_broken_case_is_refused_with_clear_messages(case, as_json):
    assume(validate_case(case) != [])
    raw = json.dumps(case, ensure_ascii=False) if as_json else as_yaml(case)
    with pytest.raises(CaseError) as error:
        load_case("-", raw.encode("utf-8"))
    assert_clear(error.value)


def _junk_yaml():
    fragments = st.sampled_from(
        ["{", "}", "[", "]", ":", "- ", "? ", "&a ", "*a", "!!int ", "!!bool ", "!!binary ",
         "!!python/object:os.system ", "'", '"', "#", "\n", "  ", "---\n", "...\n",
         "organization:", "name: ", "age_years: ", "\\ud800", "\t", "|\n", ">\n", "%YAML 1.1\n"]
    )  # fmt: skip
    return st.lists(st.one_of(fragments, any_text), max_size=30).map("".join)


@PROFILE
@given(
    data=st.one_of(
        st.binary(max_size=400),
        _junk_yaml().map(lambda t: t.encode("utf-8")),
        st.text(text_chars, max_size=200).map(lambda t: t.encode("utf-8")),
        json_values.map(lambda v: json.dumps(v).encode()),
        json_values.map(lambda v: as_yaml(v).encode("utf-8")),
        st.sampled_from([b"", b"   \n\t\n", b"---\n", b"# only a comment\n", b"\xef\xbb\xbf"]),
    )
)
def test_any_input_gives_a_case_or_a_clear_error(data):
    load_or_refuse(data)


@SMALL_SAMPLE
@given(
    depth=st.integers(1, 30_000),
    opener=st.sampled_from(["[", "{a: ", "- ", "a:\n  "]),
)
def test_deep_nesting_is_a_clear_error(depth, opener):
    if opener == "a:\n  ":  # block mappings, indented one more level each time
        text = "".join(f"{'  ' * i}k{i}:\n" for i in range(min(depth, 2000))) + "  x"
    else:
        text = opener * depth
    assert load_or_refuse(text.encode()) is None


@PROFILE
@given(
    number=st.one_of(
        st.integers(4301, 6000).map(lambda digits: "9" * digits),
        st.sampled_from([".inf", "-.inf", ".nan", "1.0e+400", "-1.0e+400", "-1", "-0.5"]),
        st.integers(-(10**40), -1).map(str),
    )
)
def test_a_number_that_is_no_age_is_a_clear_error(number):
    text = (
        f"organization: {{name: X, age_years: {number}}}\n"
        "change: {summary: s, proposed_by: internal}\nfunding: {funds_for_change: none}\n"
    )
    assert load_or_refuse(text.encode()) is None


@SMALL_SAMPLE
@given(
    age=st.one_of(
        st.integers(10**20, 10**300).map(str),
        st.just("1.0e+300"),
        st.integers(1001, 10**6).map(str),
        st.integers(1001, 10**6).map(hex),
        st.integers(1001, 10**6).map(bin),
        st.integers(3, 400).map(lambda n: "0x" + "f" * n),
        st.integers(2, 400).map(lambda n: "1" + ":59" * n),
    )
)
def test_a_huge_age_in_any_yaml_form_is_refused_with_the_bound(age):
    # Once, 0x followed by thousands of f's was valid and then crashed the memo.
    text = (
        f"organization: {{name: X, age_years: {age}}}\n"
        "change: {summary: s, proposed_by: internal}\nfunding: {funds_for_change: none}\n"
    )
    with pytest.raises(CaseError) as raised:
        load_case("-", text.encode())
    assert "from 0 to 1000" in str(raised.value) or "too many digits" in str(raised.value)


# ---------------------------------------------------------- the command line


@SMALL_SAMPLE  # the command runs in this process now, not one process per example
@given(
    data=st.one_of(
        st.binary(min_size=1, max_size=200),
        _junk_yaml().map(lambda t: t.encode("utf-8")),
        broken_cases().map(lambda c: as_yaml(c).encode("utf-8")),
    ),
    command=st.sampled_from(["validate", "advise"]),
)
def test_the_command_refuses_bad_input_with_exit_1_and_no_traceback(
    tmp_path_factory, data, command
):
    try:
        load_case("-", data)
    except CaseError:
        pass
    else:
        assume(False)  # valid after all: not this test's business
    case = tmp_path_factory.mktemp("case") / "case.yaml"
    case.write_bytes(data)
    result = invoke(command, case)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert lines and all(line.startswith(f"Error: {case}: ") for line in lines), lines
    assert result.stdout == ""
