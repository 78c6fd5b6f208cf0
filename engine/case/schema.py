"""The case file's JSON Schema (``case_schema.json``) and what the engine reads from it.

The schema is the one source of truth for the case format: the validator interprets
it, ``perencana schema`` prints it, and the facts, the unknown-answer checks and the
interview take the fields and their allowed values from it.
"""

import json
from functools import cached_property, lru_cache
from pathlib import Path

# UNKNOWN, LIST_SECTIONS and generic_path belong to the vocabulary (read them there);
# this module only uses them.
from perencana.engine.case.vocabulary import LIST_SECTIONS, UNKNOWN, CasePath, generic_path
from perencana.engine.records import Frozen

SCHEMA_PATH = Path(__file__).with_name("case_schema.json")


@lru_cache(maxsize=1)
def load_schema():
    """The case JSON Schema as a dict (read once)."""
    with open(SCHEMA_PATH, encoding="utf-8") as handle:
        return json.load(handle)


class FieldSpec(Frozen):
    """One leaf field of the case: its dotted path (``funding.allocation``; list items
    as ``programs[].viable``), its kind (text, enum, boolean, count or enum-list) and,
    for closed kinds, the allowed answers.

    An ``engine.records.Frozen``, as the frozen dataclass it was: immutable, equal and
    hashed by its five fields. It keeps a ``__dict__`` for its cached properties."""

    FIELDS = ("path", "kind", "choices", "required", "description")

    def __init__(self, path, kind, choices=(), required=False, description=""):
        fields = self.__dict__
        fields["path"] = path
        fields["kind"] = kind
        fields["choices"] = choices
        fields["required"] = required
        fields["description"] = description

    @cached_property
    def place(self):
        """The field's path as a ``CasePath`` (generic for a list item's field)."""
        return CasePath.parse(self.path)

    @cached_property
    def section(self):
        """``programs`` of ``programs[].viable``."""
        return self.place.section

    @cached_property
    def name(self):
        """``viable`` of ``programs[].viable``."""
        return self.place.name

    @property
    def answers(self):
        """Every answer the field can take that the rules could tell apart."""
        if self.kind == "boolean":
            return (True, False)
        if self.kind == "enum":
            return tuple(choice for choice in self.choices if choice != UNKNOWN)
        if self.kind == "enum-list":
            return ((),) + tuple((choice,) for choice in self.choices)
        return ()


def _kind(node):
    """The kind of a schema node, looking through an ``anyOf`` with 'unknown'."""
    options = node.get("anyOf", [node])
    for option in options:
        if option.get("const") == UNKNOWN:
            continue
        if "enum" in option:
            return "enum", tuple(option["enum"])
        kind = option.get("type")
        if kind == "boolean":
            return "boolean", ()
        if kind == "integer":
            return "count", ()
        if kind == "string":
            return "text", ()
        if kind == "array" and "enum" in option.get("items", {}):
            return "enum-list", tuple(option["items"]["enum"])
        if kind in ("array", "object"):
            return kind, ()
    raise ValueError(f"case_schema.json: cannot tell the kind of {node}")


def _item_schema(node):
    for option in node.get("anyOf", [node]):
        if option.get("type") == "array":
            return option["items"]
    raise ValueError("case_schema.json: a list section has no item schema")


@lru_cache(maxsize=1)
def field_specs():
    """Every leaf field of the case, in the schema's order."""
    schema = load_schema()
    specs = []
    for section, node in schema["properties"].items():
        if section in LIST_SECTIONS:
            node = _item_schema(node)
            listed = True
        else:
            listed = False
        required = set(node.get("required", ()))
        for name, child in node["properties"].items():
            kind, choices = _kind(child)
            specs.append(
                FieldSpec(
                    path=str(CasePath(section, None, name, listed)),
                    kind=kind,
                    choices=choices,
                    required=name in required,
                    description=child.get("description", ""),
                )
            )
    return tuple(specs)


def spec_for(path):
    """The spec of a concrete path (``programs[2].viable`` -> ``programs[].viable``)."""
    generic = generic_path(path)
    for spec in field_specs():
        if spec.path == generic:
            return spec
    raise KeyError(path)
