"""Limits on what a case file may hold: size, YAML aliases and anchors, list lengths
(``maxItems``) and text lengths (``maxLength``), all in the schema and all refused
with a message naming the field, the size and the limit."""

import copy

import jsonschema
import pytest

from perencana.engine.case import validation
from perencana.engine.case.loader import MAX_BYTES, load_case
from perencana.engine.case.schema import load_schema
from perencana.engine.case.validation import validate_case
from perencana.engine.errors import CaseError

BASE = {
    "organization": {"name": "Yayasan", "age_years": 3},
    "change": {"summary": "s", "proposed_by": "internal"},
    "funding": {"funds_for_change": "none"},
}
CHECKER = jsonschema.Draft202012Validator(load_schema())


def case(**changes):
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        section, _, name = path.partition("__")
        if name:
            data.setdefault(section, {})[name] = value
        else:
            data[section] = value
    return data


def schema_nodes(node):
    yield node
    for child in node.get("properties", {}).values():
        yield from schema_nodes(child)
    for option in node.get("anyOf", ()):
        yield from schema_nodes(option)
    if "items" in node:
        yield from schema_nodes(node["items"])


def test_every_list_and_every_text_in_the_schema_has_a_limit():
    nodes = list(schema_nodes(load_schema()))
    assert all(n.get("maxItems") == 500 for n in nodes if n.get("type") == "array")
    assert all(n.get("maxLength") == 2000 for n in nodes if n.get("type") == "string")


@pytest.mark.parametrize("section", ["stakeholders", "programs"])
def test_a_list_of_more_than_500_items_is_refused_in_one_message(section):
    items = [{"name": f"item {i}"} for i in range(501)]
    data = case(**{section: items})
    assert validate_case(data) == [f"{section}: 501 {section} are too many; list at most 500"]
    assert not CHECKER.is_valid(data)
    assert validate_case(case(**{section: items[:500]})) == []


def test_the_list_limit_names_items_for_a_list_of_values():
    data = case(change__triggers=["other"] * 501)
    assert validate_case(data) == ["change.triggers: 501 items are too many; list at most 500"]


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        ("organization__name", "organization.name"),
        ("organization__mission", "organization.mission"),
        ("change__summary", "change.summary"),
    ],
)
def test_a_text_over_2000_characters_is_refused(path, shown):
    data = case(**{path: "é" * 2001})
    (message,) = validate_case(data)
    assert message.startswith(f"{shown}: 'ééé")
    assert message.endswith("is too long (2,001 characters); keep it to 2,000 characters or fewer")
    assert not CHECKER.is_valid(data)
    assert validate_case(case(**{path: "é" * 2000})) == []


def test_a_long_name_in_a_list_item_is_refused_with_its_path():
    data = case(stakeholders=[{"name": "ok"}, {"name": "x" * 3000}])
    (message,) = validate_case(data)
    assert message.startswith("stakeholders[1].name: 'xxx")
    assert "(3,000 characters)" in message


def test_the_validator_refuses_a_limit_keyword_in_the_wrong_place():
    with pytest.raises(ValueError, match="maxItems needs type 'array'"):
        validation._check_subset({"type": "string", "maxItems": 3}, "#/x")
    with pytest.raises(ValueError, match="maxLength needs type 'string'"):
        validation._check_subset({"type": "array", "maxLength": 3}, "#/x")


def test_the_file_size_aliases_and_anchors_are_still_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(CaseError, match="larger than 1 MiB"):
        load_case(big)
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(CaseError, match="aliases are not allowed"):
        load_case("-", bomb.encode())
    with pytest.raises(CaseError, match="anchors are not allowed"):
        load_case("-", b"organization: &o {name: X, age_years: 3}\n")


def test_a_case_at_every_limit_still_loads_quickly(tmp_path):
    import json
    import time

    data = case(
        organization__name="n" * 2000,
        stakeholders=[{"name": "s" * 1000, "impact": "neutral"} for _ in range(500)],
    )
    path = tmp_path / "case.json"
    path.write_text(json.dumps(data))
    assert path.stat().st_size < MAX_BYTES
    started = time.perf_counter()
    loaded = load_case(path)
    assert len(loaded["stakeholders"]) == 500
    assert time.perf_counter() - started < 10
