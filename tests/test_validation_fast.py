"""Reading a case the quick way gives what the careful way gives.

``validated_case`` checks and normalizes a valid case in one pass; it is held here to
its definition, ``validate_case`` then ``normalize_case``, on generated cases and on
each way a case can be wrong. libyaml's reader (``FastCaseYamlLoader``) builds values
without the careful reader's checks and leaves to it any mapping built with fewer
keys than it was written with; it is held to the careful reader.
"""

import copy
import random

import pytest
import yaml

from perencana.engine.case import loader as case_loader
from perencana.engine.case.schema import field_specs
from perencana.engine.case.validation import normalize_case, validate_case, validated_case
from tests.generated_cases import varied_case
from tests.helpers import EXAMPLE_CASES


def definition(data):
    problems = validate_case(data)
    return problems, (None if problems else normalize_case(data))


def assert_same(data):
    problems, case = validated_case(copy.deepcopy(data))
    expected_problems, expected_case = definition(copy.deepcopy(data))
    assert [(p.path, p.code, p.values, str(p)) for p in problems] == [
        (p.path, p.code, p.values, str(p)) for p in expected_problems
    ]
    assert case == expected_case
    if case is not None:  # the same keys in the same order, the same types
        assert yaml.safe_dump(case, sort_keys=False) == yaml.safe_dump(
            expected_case, sort_keys=False
        )


def spoiled(data, rng):
    """``data`` with one thing made wrong (or, now and then, right in another way)."""
    data = copy.deepcopy(data)
    section = rng.choice([key for key, value in data.items() if isinstance(value, dict)])
    fields = data[section]
    key = rng.choice(list(fields))
    how = rng.randrange(12)
    if how == 0:
        del data[section]  # a section left out (required or not)
    elif how == 1:
        fields[key + "x"] = "surplus"  # an unknown field
    elif how == 2:
        fields[key] = "not one of the choices"
    elif how == 3:
        fields[key] = 3.0  # a whole number written as a float, where it may not fit
    elif how == 4:
        fields[key] = [fields[key], fields[key]]  # a list, a repeated value
    elif how == 5:
        fields[key] = "x" * 5000
    elif how == 6:
        fields[key] = None
    elif how == 7:
        data["stakeholders"] = [{"name": "a"}] * 3  # items missing their fields
    elif how == 8:
        data["programs"] = "unknown"
    elif how == 9 and isinstance(data.get("organization"), dict):
        data["organization"]["age_years"] = 2  # fewer than the years to its state
        data["organization"]["years_to_current_state"] = 7
    elif how == 10:
        fields[key] = True
    else:
        data["surplus_section"] = {}
    return data


def test_a_valid_case_is_read_in_one_pass_as_in_two():
    specs = field_specs()
    valid = 0
    for number in range(300):
        data = varied_case(number, specs)
        valid += not validate_case(data)
        assert_same(data)
    assert valid > 100


def test_a_wrong_case_is_told_the_same_problems():
    specs, rng = field_specs(), random.Random("spoiled")
    wrong = 0
    for number in range(600):
        data = spoiled(varied_case(number, specs), rng)
        wrong += bool(validate_case(data))
        assert_same(data)
    assert wrong > 300


@pytest.mark.parametrize("path", EXAMPLE_CASES, ids=lambda path: path.stem)
def test_an_example_is_read_the_same(path):
    assert_same(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        "a case",
        {},
        {"organization": {"name": "A"}},  # required sections left out
        {"organization": {"name": "A", "age_years": 3.0}, "change": {}, "funding": {}},
        {"organization": {"name": "A", "age_years": 3.5}, "change": {}, "funding": {}},
        {"organization": {"name": "A"}, "change": {"triggers": ["x", "x"]}, "funding": {}},
    ],
)
def test_odd_data_is_told_the_same(data):
    assert_same(data)


@pytest.mark.parametrize(
    "triggers",
    [
        ["funding-change", "funding-change"],  # a value listed twice, each time allowed
        ["policy-change", "funding-change"],  # out of the schema's order
        ["policy-change", "funding-change", "other", "new-program-data"],
        [],
    ],
)
def test_a_valid_case_s_choices_are_checked_and_ordered_the_same(triggers):
    data = yaml.safe_load(EXAMPLE_CASES[0].read_text(encoding="utf-8"))
    data["change"]["triggers"] = triggers
    assert_same(data)


READS = [
    "a: 1\nb: 2\n",
    "a: 1\na: 2\n",  # a key given twice
    "a: {b: 1, b: 2}\n",  # twice, deeper down
    "1: a\ntrue: b\n1.0: c\n",  # keys the same only to Python
    "? a\n? a\n",  # a set's member given twice
    "!!merge <<: {a: 1}\na: 2\n",  # an explicit merge
    "a: !!set {x, y}\n",
    "a: [1, {b: 2, c: 3}]\n",
    "{[1]: a}\n",  # a key that cannot be hashed
    "a: !!int ten\n",  # a value its tag cannot read
    "a: =\n",  # a value PyYAML resolves to a tag it cannot build
]


@pytest.mark.parametrize("text", READS)
def test_libyaml_s_reader_gives_what_the_careful_reader_gives(text):
    def read(construct):
        try:
            return construct(text)
        except case_loader.UnreadableYaml as refused:
            return refused.problems
        except Exception as error:  # noqa: BLE001 (compared, not hidden)
            return type(error)

    assert not case_loader._needs_care(text)
    assert read(case_loader._construct) == read(case_loader._construct_carefully)


def test_a_key_given_twice_is_named_though_libyaml_reads_the_file(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text("organization:\n  name: A\n  name: B\nchange: {}\nfunding: {}\n")
    with pytest.raises(case_loader.CaseError) as caught:
        case_loader.load_case(path)
    assert caught.value.messages() == [
        f"{path}: organization.name: duplicate key at line 3 (first at line 2); "
        "give each field once"
    ]


SCALARS = (
    "a: [1, -2, +3, 0x1F, 0o17, 1_000, 1.5, 1e3, .inf, -.Inf, .nan, true, True, yes, no, on,"
    " off, null, Null, ~, '', '1', \"true\", 2024-01-02, 2024-01-02T10:00:00, <<,"
    " unknown, low, a b, 3.0]\n"
)


def test_libyaml_s_reader_resolves_each_scalar_as_the_careful_reader_does():
    for _ in range(2):  # the second time from the tags remembered
        assert case_loader._construct(SCALARS) == case_loader._construct_carefully(SCALARS)
        assert [type(v) for v in case_loader._construct(SCALARS)["a"]] == [
            type(v) for v in case_loader._construct_carefully(SCALARS)["a"]
        ]


def typed(value):
    """``value`` with the type of every part beside it (``1``, ``1.0`` and ``true``
    are equal in Python, not in a case)."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def test_libyaml_s_reader_builds_generated_cases_as_the_careful_reader_does():
    specs = field_specs()
    for number in range(200):
        text = yaml.safe_dump(varied_case(number, specs), allow_unicode=True)
        if case_loader._needs_care(text):
            continue
        assert typed(case_loader._construct(text)) == typed(case_loader._construct_carefully(text))


@pytest.mark.parametrize("text", [*READS, SCALARS, "a: !!binary aGk=\n", "[a, {b: [1, 2.5]}]\n"])
def test_libyaml_s_reader_builds_the_same_types(text):
    def read(construct):
        try:
            return typed(construct(text))
        except case_loader.UnreadableYaml as refused:
            return refused.problems
        except Exception as error:  # noqa: BLE001 (compared, not hidden)
            return type(error)

    assert read(case_loader._construct) == read(case_loader._construct_carefully)
