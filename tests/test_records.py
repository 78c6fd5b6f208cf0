"""The plain data classes written by hand (``engine.records`` and the few the lower
layers write out) behave as the dataclasses they replace: the same equality, hash,
immutability, defaults, ``repr``, copies; and a one-case memo makes no dataclass.

Each class is compared with a dataclass twin made here from its fields, so that a
difference in what the two do fails a test.
"""

import copy
import dataclasses
import inspect
import pickle
import subprocess
import sys

import pytest

from perencana.engine.case.schema import FieldSpec
from perencana.engine.case.vocabulary import AnswerWords, CasePath
from perencana.engine.graph.layout import Box, Column, Layout, Route, _Item
from perencana.engine.graph.model import Edge, Node, ReasoningGraph, _Network
from perencana.engine.reasoning.advice import (
    Advice,
    CauseFinding,
    GuidanceFinding,
    ProgramFinding,
    StrategyFinding,
    TensionFinding,
    UnknownFinding,
)
from perencana.engine.reasoning.facts import FactRef
from perencana.engine.reasoning.rule_catalog import Conclusion, Condition, Constraint, RuleInfo
from perencana.engine.reasoning.trace import TraceStep
from perencana.knowledge.loader import Knowledge
from tests.helpers import ROOT

FROZEN = (
    FactRef,
    CasePath,
    AnswerWords,
    FieldSpec,
    Knowledge,
    Constraint,
    Condition,
    Conclusion,
    RuleInfo,
    Node,
    Edge,
    ReasoningGraph,
    _Network,
)
MUTABLE = (
    CauseFinding,
    StrategyFinding,
    ProgramFinding,
    GuidanceFinding,
    TensionFinding,
    UnknownFinding,
    Advice,
    TraceStep,
    Box,
    Route,
    Column,
    Layout,
    _Item,
)
NOT_SHOWN = {Advice: {"case"}}  # fields a dataclass's repr left out (repr=False)


def parameters(cls):
    return list(inspect.signature(cls).parameters.values())


def field_names(cls):
    return [parameter.name for parameter in parameters(cls)]


def sample(cls, salt=""):
    """Arguments for every field of ``cls``: a distinct, hashable value each."""
    return {name: f"{name}{salt}" for name in field_names(cls)}


def twin(cls):
    """The dataclass ``cls`` stands for: the same name, fields and defaults (a fresh
    list where the hand-written class takes None for one), frozen or not."""
    fields = []
    for parameter in parameters(cls):
        default = parameter.default
        if default is inspect.Parameter.empty:
            spec = dataclasses.field(repr=parameter.name not in NOT_SHOWN.get(cls, ()))
        elif default is None and parameter.name in LIST_DEFAULTS.get(cls, ()):
            spec = dataclasses.field(default_factory=list)
        elif default is None and parameter.name in DICT_DEFAULTS.get(cls, ()):
            spec = dataclasses.field(
                default_factory=dict, repr=parameter.name not in NOT_SHOWN.get(cls, ())
            )
        else:
            spec = dataclasses.field(default=default)
        fields.append((parameter.name, object, spec))
    made = dataclasses.make_dataclass(cls.__name__, fields, frozen=cls in FROZEN)
    made.__qualname__ = cls.__qualname__
    return made


# The fields whose dataclass default was a fresh list or dict (``default_factory``).
LIST_DEFAULTS = {
    CauseFinding: {"rules"},
    StrategyFinding: {"first_steps", "rules"},
    ProgramFinding: {"facts"},
    GuidanceFinding: {"because"},
    Advice: {"tensions"},
    TraceStep: {"facts", "concluded"},
    _Item: {"up", "down"},
}
DICT_DEFAULTS = {Advice: {"case"}, Layout: {"order"}}


@pytest.mark.parametrize("cls", FROZEN + MUTABLE, ids=lambda cls: cls.__name__)
def test_a_record_is_equal_shown_and_defaulted_as_its_dataclass_twin(cls):
    Twin = twin(cls)
    values = sample(cls)
    record, expected = cls(**values), Twin(**values)
    assert repr(record) == repr(expected)
    assert record == cls(**values)
    assert record == cls(*values.values())  # positional, in field order
    for name in values:
        changed = {**values, name: "other"}
        assert record != cls(**changed), name
        assert getattr(cls(**changed), name) == "other"
    assert record != expected  # another class, as two dataclasses are
    assert record != tuple(values.values())
    required = {p.name: values[p.name] for p in parameters(cls) if p.default is p.empty}
    defaulted, twin_defaulted = cls(**required), Twin(**required)
    for name in values:
        assert getattr(defaulted, name) == getattr(twin_defaulted, name), name


@pytest.mark.parametrize("cls", FROZEN, ids=lambda cls: cls.__name__)
def test_a_frozen_record_is_immutable_hashable_and_copied_whole(cls):
    values = sample(cls)
    record = cls(**values)
    assert hash(record) == hash(cls(**values)) == hash(twin(cls)(**values))
    assert len({record, cls(**values), cls(**sample(cls, "2"))}) == 2
    name = field_names(cls)[0]
    with pytest.raises(AttributeError):
        setattr(record, name, "changed")
    with pytest.raises(AttributeError):
        delattr(record, name)
    with pytest.raises(AttributeError):
        record.not_a_field = 1
    assert getattr(record, name) == values[name]
    for copied in (copy.copy(record), copy.deepcopy(record), pickle.loads(pickle.dumps(record))):
        assert copied == record and type(copied) is cls
    if hasattr(record, "replace"):
        changed = record.replace(**{name: "new"})
        assert getattr(changed, name) == "new" and getattr(record, name) == values[name]
        assert changed == cls(**{**values, name: "new"})


@pytest.mark.parametrize("cls", MUTABLE, ids=lambda cls: cls.__name__)
def test_a_mutable_record_is_unhashable_and_its_list_defaults_are_its_own(cls):
    values = sample(cls)
    record = cls(**values)
    with pytest.raises(TypeError):
        hash(record)
    name = field_names(cls)[-1]
    setattr(record, name, "changed")
    assert getattr(record, name) == "changed" and record != cls(**values)
    required = {p.name: values[p.name] for p in parameters(cls) if p.default is p.empty}
    first, second = cls(**required), cls(**required)
    for name in LIST_DEFAULTS.get(cls, set()) | DICT_DEFAULTS.get(cls, set()):
        assert getattr(first, name) is not getattr(second, name), name
    for copied in (copy.deepcopy(record), pickle.loads(pickle.dumps(record))):
        assert copied == record and copied is not record and type(copied) is cls


def test_the_knowledge_keeps_its_fields_as_given_and_as_a_dict(knowledge):
    assert knowledge.as_dict() == {name: getattr(knowledge, name) for name in Knowledge.FIELDS}
    assert Knowledge(**knowledge.as_dict()) == knowledge
    assert knowledge.replace(memo={}).memo == {} and knowledge.memo != {}
    with pytest.raises(TypeError):
        Knowledge(**{**knowledge.as_dict(), "unknown_field": {}})


def test_a_field_spec_keeps_its_cached_properties_apart_from_its_fields():
    spec = FieldSpec(path="programs[].viable", kind="boolean")
    assert (spec.section, spec.name) == ("programs", "viable")
    assert spec == FieldSpec(path="programs[].viable", kind="boolean")
    assert hash(spec) == hash(FieldSpec(path="programs[].viable", kind="boolean"))


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_memo_makes_no_dataclass_nor_imports_the_json_writer(fmt):
    """A one-case memo makes none of perencana's classes with ``dataclasses`` (whose
    making costs start-up time) and leaves orjson, which only JSON needs, unimported."""
    script = (
        "import sys\n"
        "from perencana.engine.api import read_case, advise, render_advice\n"
        "case = read_case('examples/old-government-office.yaml')\n"
        f"render_advice(advise(case), {fmt!r}, 'en')\n"
        "made = []\n"
        "if 'dataclasses' in sys.modules:\n"
        "    import dataclasses\n"
        "    made = [f'{name}.{key}' for name, module in list(sys.modules.items())\n"
        "            if name.startswith('perencana') and module is not None\n"
        "            for key, value in vars(module).items()\n"
        "            if isinstance(value, type) and dataclasses.is_dataclass(value)]\n"
        "print(made, 'orjson' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[] False"
