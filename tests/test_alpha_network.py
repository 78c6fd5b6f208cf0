"""The alpha network ``experta_ext.matcher.build_alpha_part`` builds is experta's: the
same test nodes in the same order under each node, and the same last node for each
pattern, for perencana's rules and for rules of other shapes (negations, alternatives,
bindings, predicates, wildcards, tests)."""

import pytest
from experta import AS, MATCH, NOT, TEST, Fact, P, Rule, W
from experta.fieldconstraint import L
from experta.matchers.rete import ReteMatcher
from experta.matchers.rete.check import FactCapture
from experta.matchers.rete.nodes import BusNode
from experta.matchers.rete.utils import extract_facts, prepare_rule

from perencana.engine.experta_ext.matcher import IndexedReteMatcher, build_alpha_part
from perencana.engine.reasoning.inference import AdvisoryEngine


def network(build, ruleset):
    """The tree of test nodes ``build`` makes for ``ruleset``, each node as (its
    class, its check), and {pattern: the path of child positions to its last node}.

    A pattern that binds no name is captured under a name made of its object's id;
    the ``InitialFact`` pattern each build adds is a new object every time, so its
    capture is shown as such rather than by its id."""
    root = BusNode()
    terminals = build(ruleset, root)
    ours = {f"__pattern_{id(fact)}__" for rule in ruleset for fact in extract_facts(rule)}
    places = {}

    def check(node):
        matcher = node.matcher
        if isinstance(matcher, FactCapture) and matcher.bind.startswith("__pattern_"):
            return matcher if matcher.bind in ours else "the InitialFact the build adds"
        return matcher

    def tree(node, path):
        places[id(node)] = path
        return [
            (type(child.node), check(child.node), tree(child.node, (*path, position)))
            for position, child in enumerate(node.children)
        ]

    shape = tree(root, ())
    return shape, {pattern: places[id(node)] for pattern, node in terminals.items()}


def assert_built_as_experta_builds(ruleset):
    mine = network(build_alpha_part, ruleset)
    assert mine == network(ReteMatcher.build_alpha_part, ruleset)
    assert mine[0], "a network was built"


def test_the_rules_alpha_network_is_experta_s():
    ruleset = IndexedReteMatcher.prepare_ruleset(AdvisoryEngine())
    assert len(ruleset) > 50
    assert_built_as_experta_builds(ruleset)


def test_the_engine_is_built_with_it():
    assert IndexedReteMatcher.build_alpha_part is build_alpha_part


class Thing(Fact):
    pass


class Other(Fact):
    pass


def shapes():
    """Rules of many shapes, made afresh (a rule is made once: its function set)."""
    made = [
        Rule(Thing(kind="a"), Thing(size=L(1) | L(2))),
        Rule(Thing(kind=~L("a")), Other(kind="a")),
        Rule(~Thing(kind="a")),
        Rule(NOT(Thing(kind="a")), Other()),
        Rule(Thing(kind="a") | Other(kind="b")),
        Rule(AS.thing << Thing(size=MATCH.size), Other(size=MATCH.size)),
        Rule(Thing(size=P(lambda size: size > 2)), Other(kind=W())),
        Rule(TEST(lambda: True), Thing(kind="a", size=3)),
        Rule(Thing(kind="a"), Thing(kind="a", size=3), Other(kind="a")),
        Rule(Thing(0, 1, kind="b")),
        Rule(),
    ]
    return [prepare_rule(rule(lambda self: None)) for rule in made]


def test_rules_of_every_shape_are_built_as_experta_builds_them():
    assert_built_as_experta_builds(set(shapes()))


@pytest.mark.parametrize("number", range(len(shapes())))
def test_each_shape_alone_is_built_as_experta_builds_it(number):
    assert_built_as_experta_builds({shapes()[number]})
