"""perencana's facts hold what experta's facts hold, however they were made."""

import pytest
from experta import Fact, KnowledgeEngine

from perencana.engine.reasoning.facts import Evidence, FactRef, Field, PlainFact

CONTENTS = [
    {"path": "change.proposed_by", "value": "external"},
    {"path": "organization.age_years", "value": 12, "band": "established"},
    {"path": "funding.share", "value": 0.25},
    {"path": "staff.involved_in_design", "value": True},
    {"path": "partners.peer_stronger", "value": None},
    {"cause": "financial", "strength": "strong", "facts": ("funding.x = none",), "rule": "r"},
]


@pytest.mark.parametrize("contents", CONTENTS)
def test_a_fact_of_plain_values_holds_what_experta_would_store(contents):
    made = Evidence(**contents)
    stock = Fact(**contents)
    assert dict(made) == dict(stock)
    assert made.as_dict() == stock.as_dict() == contents
    with pytest.raises(KeyError):
        made["missing"]


def test_values_that_need_freezing_are_frozen_as_experta_freezes_them():
    made = Field(path="triggers", value=["a", "b"])
    assert dict(made) == dict(Fact(path="triggers", value=["a", "b"]))
    hash(made["value"])  # a list is stored as experta's hashable frozen list
    assert made.as_dict() == {"path": "triggers", "value": ["a", "b"]}


def test_a_declared_fact_cannot_be_changed_and_equal_facts_are_declared_once():
    engine = KnowledgeEngine()
    engine.reset()
    first = engine.declare(Field(path="change.proposed_by", value="external"))
    again = engine.declare(Field(path="change.proposed_by", value="external"))
    assert again is None  # experta keeps one of two equal facts
    with pytest.raises(RuntimeError):
        first["value"] = "internal"
    assert first.ref() == FactRef("field", path="change.proposed_by", value="external")


def test_every_fact_class_of_perencana_is_a_plain_fact():
    import perencana.engine.reasoning.facts as facts

    classes = [
        value
        for value in vars(facts).values()
        if isinstance(value, type)
        and issubclass(value, Fact)
        and value.__module__ == "perencana.engine.reasoning.facts"
    ]
    assert len(classes) > 10
    assert all(issubclass(kind, PlainFact) for kind in classes)
