"""The rule catalog: the composed engine holds exactly the rules of the five mixins,
each named by its concern and citing the source."""

import ast
import inspect
import re
import textwrap
from collections import Counter
from pathlib import Path

import pytest
from experta import KnowledgeEngine, Rule

from perencana.rules import RULE_MIXINS

# module of a mixin -> the prefix every one of its rules carries
PREFIXES = {
    "perencana.rules.lifecycle": "lifecycle_",
    "perencana.rules.causes": "cause_",
    "perencana.rules.strategies": "strategy_",
    "perencana.rules.programs": "program_",
    "perencana.rules.guidance": "guidance_",
}
CITATION = re.compile(r"¶(\d+)")
TESTS = Path(__file__).parent


def defined_rules(mixin):
    """The rules a mixin defines itself, by attribute name."""
    return {name: value for name, value in vars(mixin).items() if isinstance(value, Rule)}


def all_defined_names():
    return [name for mixin in RULE_MIXINS for name in defined_rules(mixin)]


def test_there_is_one_mixin_per_concern_module():
    assert sorted(mixin.__module__ for mixin in RULE_MIXINS) == sorted(PREFIXES)


def test_engine_rules_are_exactly_the_rules_the_mixins_define(engine):
    engine_names = [rule.__name__ for rule in engine.get_rules()]
    defined = all_defined_names()

    # no two mixins define a rule of the same name (one would hide the other)
    assert [name for name, n in Counter(defined).items() if n > 1] == []
    assert [name for name, n in Counter(engine_names).items() if n > 1] == []
    assert len(engine_names) == len(defined)
    assert set(engine_names) == set(defined)


def test_a_shared_name_would_be_caught_by_the_count():
    # The premise of the check above: experta keeps one of two same-named rules.
    class First:
        @Rule()
        def shared(self):
            """x (¶1)."""

    class Second:
        @Rule()
        def shared(self):
            """y (¶1)."""

    class Both(First, Second, KnowledgeEngine):
        pass

    defined = [name for mixin in (First, Second) for name in defined_rules(mixin)]
    assert len(Both().get_rules()) == 1 < len(defined)


def test_every_rule_is_named_after_its_attribute(engine):
    for mixin in RULE_MIXINS:
        for name, rule in defined_rules(mixin).items():
            assert rule.__name__ == name


@pytest.mark.parametrize("mixin", RULE_MIXINS, ids=lambda mixin: mixin.__name__)
def test_every_rule_carries_the_prefix_of_its_module(mixin):
    prefix = PREFIXES[mixin.__module__]
    names = list(defined_rules(mixin))

    assert names, f"{mixin.__name__} defines no rules"
    assert [name for name in names if not name.startswith(prefix)] == []


def test_no_rule_carries_the_prefix_of_another_module():
    for mixin in RULE_MIXINS:
        others = [p for m, p in PREFIXES.items() if m != mixin.__module__]
        for name in defined_rules(mixin):
            assert not any(name.startswith(p) for p in others), name


def test_every_rule_has_a_docstring_citing_the_source(engine):
    for rule in engine.get_rules():
        doc = rule.__doc__ or ""
        cited = [int(n) for n in CITATION.findall(doc)]
        assert doc.strip(), f"{rule.__name__} has no docstring"
        assert cited, f"{rule.__name__} cites no ¶N"
        assert all(1 <= n <= 75 for n in cited), f"{rule.__name__} cites {cited}"


def test_every_rule_is_named_in_the_test_module_of_its_concern():
    # The rule tests mirror the rule modules one to one; each rule has a test where it
    # fires and one where it must not, so its name appears there at least twice.
    for mixin in RULE_MIXINS:
        concern = mixin.__module__.rpartition(".")[2]
        text = (TESTS / f"test_rules_{concern}.py").read_text(encoding="utf-8")
        for name in defined_rules(mixin):
            assert len(re.findall(rf"\b{name}\b", text)) >= 2, f"{name}: tests missing"


# ------------------------------------------------- the conclusions kept on disk


RULE_FILE = """
class Mixin:
    @Rule(Fact())
    def strategy_one(self):
        self.recommend("education", "structural")
        self.caveat("education", "slow")
"""


def test_a_rule_files_conclusions_are_read_once_and_then_from_the_cache(tmp_path):
    """The conclusions read from the cache are the ones the parse found, and an
    edited file is read afresh (its old cache left behind)."""
    from perencana.engine.reasoning.rule_catalog import CONCLUSIONS_FORMAT, _file_conclusions

    source = tmp_path / "rules_copy.py"
    source.write_text(RULE_FILE, encoding="utf-8")
    parsed = _file_conclusions.__wrapped__(str(source))
    kept = sorted((tmp_path / "__pycache__").glob(f"rules_copy.conclusions.{CONCLUSIONS_FORMAT}-*"))
    assert len(kept) == 1
    assert _file_conclusions.__wrapped__(str(source)) == parsed
    ((name, conclusions),) = parsed.values()
    assert name == "strategy_one"
    assert [(c.kind, c.target, c.strategy, c.cites) for c in conclusions] == [
        ("recommendation", "education", "", ("structural",)),
        ("caveat", "slow", "education", ()),
    ]
    source.write_text(RULE_FILE.replace('"slow"', '"costly"'), encoding="utf-8")
    edited = _file_conclusions.__wrapped__(str(source))
    assert [c.target for c in next(iter(edited.values()))[1]] == ["education", "costly"]
    assert len(list((tmp_path / "__pycache__").glob("rules_copy.conclusions.*"))) == 1


def test_the_shipped_rules_conclusions_are_the_same_from_the_cache_as_parsed():
    """Each rule's conclusions from the file's table (cached) equal a parse of the
    rule's own source."""
    from perencana.engine.reasoning.rule_catalog import _file_conclusions, _node_conclusions

    checked = 0
    for mixin in RULE_MIXINS:
        table = _file_conclusions.__wrapped__(inspect.getsourcefile(mixin))
        for name, rule in defined_rules(mixin).items():
            code = rule._wrapped.__code__
            assert table[code.co_firstlineno][0] == name
            source = textwrap.dedent(inspect.getsource(rule._wrapped))
            assert table[code.co_firstlineno][1] == _node_conclusions(ast.parse(source)), name
            checked += 1
    assert checked >= 90
