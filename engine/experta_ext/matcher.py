"""experta's Rete network with two indexes, so a fact visits only the tests it can pass.

experta's matcher sends every fact to every child of a node, copying the token for
each before the child tests it: a ``Field`` fact is offered to every fact type at
the root, then to every ``path`` the rules name. That fan-out is most of a run's
time. ``IndexedReteMatcher`` builds experta's own network and then

- puts a ``DispatchNode`` in front of the children of a node that test the fact's
  type, or one key for a literal (``path == "change.proposed_by"``): one dictionary
  lookup picks the children that pass, and only they see the token. Such a test
  binds nothing and passes a token on unchanged, so with the fast nodes (below)
  the lookup stands for it and the token goes on to the tester's children;
- notes which conflict-set nodes a change reached, so collecting the activations
  after a change asks those instead of all of them;
- resets each node once, where experta resets a node once for each path to it;
- passes tokens on without what only guards against misuse or serves debugging:
  experta validates every token it makes, copies it before each node whatever the
  node does with it, and calls its debug logger at each step. The fast nodes
  (subclasses of experta's, one method each) make a token without the checks and
  copy one only to change it; no node changes a token it was given. While
  experta's MATCHER watcher logs at DEBUG level, the network is left as built.

It also answers two questions without touching the network's memory: which fact
classes some rule matches (``fact_types``, so the engine need not declare the
others), and whether one fact passes some pattern's one-fact tests
(``could_match``, so an answer no rule could use is not declared to find out).

The network, its nodes and their order are experta's; nothing is added to what
they match. ``tests/test_matcher.py`` runs the rules on both matchers and compares
every firing.
"""

import itertools
import math
from collections import defaultdict
from collections.abc import Mapping
from contextlib import suppress
from functools import update_wrapper
from logging import INFO

from experta import watchers
from experta.activation import Activation
from experta.conditionalelement import AND, EXISTS, FORALL, NOT, OR, TEST
from experta.fact import Fact, InitialFact
from experta.fieldconstraint import ANDFC, NOTFC, ORFC, L
from experta.matchers import ReteMatcher
from experta.matchers.rete.abstract import Node
from experta.matchers.rete.check import (
    FactCapture,
    FeatureCheck,
    SameContextCheck,
    TypeCheck,
    WhereCheck,
)
from experta.matchers.rete.mixins import AnyChild, ChildNode, NoMemory
from experta.matchers.rete.nodes import (
    BusNode,
    ConflictSetNode,
    FeatureTesterNode,
    NotNode,
    OrdinaryMatchNode,
    WhereNode,
)
from experta.matchers.rete.token import Token, TokenInfo
from experta.matchers.rete.utils import extract_facts, generate_checks, prepare_rule
from experta.rule import Rule

# Fewer children than this are tested one by one: a lookup would not pay.
MIN_CHILDREN_TO_INDEX = 3
# Above this many combinations of values, a DispatchNode works out its children
# for each fact instead of looking them up.
MAX_ROUTES = 4096


class DispatchNode(AnyChild, NoMemory, Node):
    """Passes a one-fact token on to the children whose test it could pass.

    ``tables`` maps a way of reading the fact (its type, or one of its keys) to a
    table from the value read to the positions of the children testing for it;
    ``always`` lists the positions of children tested for every token.

    Every child in a table tests just what the lookup found: the fact's exact type,
    or one key equal to a literal, binding nothing. Once the network is final,
    ``route`` may let such a child's test be skipped: a fact the lookup picks for it
    goes straight on to its children, as the test, passing, would send it.
    """

    def __init__(self, children, tables, always):
        super().__init__()
        self.children = list(children)
        self.tables = tables
        self.always = always
        self._callbacks = [(child.callback,) for child in self.children]
        self._by_value = self._routes = None

    def route(self, skip_implied_tests):
        """Fix what each child's position calls, and what each value read (or each
        combination of values, for more than one table) calls, in the children's
        order; call once the children are final."""
        always = set(self.always)
        if skip_implied_tests:
            self._callbacks = [
                (child.callback,)
                if position in always
                else tuple(grandchild.callback for grandchild in child.node.children)
                for position, child in enumerate(self.children)
            ]
        # What each combination of values read calls, a value no table names read
        # as _NO_VALUE: a product of the tables' sizes, small for experta's networks.
        choices = [(*table, _NO_VALUE) for _, table in self.tables]
        if math.prod(map(len, choices)) <= MAX_ROUTES:
            self._routes = {
                values: self._calls(self._positions_for(values))
                for values in itertools.product(*choices)
            }
        if len(self.tables) == 1 and self._routes is not None:  # looked up without a tuple
            ((read, _),) = self.tables
            by_value = {values[0]: calls for values, calls in self._routes.items()}
            self._by_value = (read, by_value, by_value.pop(_NO_VALUE))

    def _calls(self, positions):
        return tuple(call for position in positions for call in self._callbacks[position])

    def activate(self, token):
        (fact,) = token.data
        if self._by_value is not None:
            read, by_value, default = self._by_value
            try:
                calls = by_value.get(read(fact), default)
            except TypeError:  # an unhashable value equals no literal a rule names
                calls = default
        elif self._routes is not None:
            calls = self._routes[tuple(self._known(fact))]
        else:
            calls = self._calls(self.positions(fact))
        for call in calls:
            call(token)

    def _known(self, fact):
        for read, table in self.tables:
            value = read(fact)
            try:
                yield value if value in table else _NO_VALUE
            except TypeError:  # an unhashable value equals no literal a rule names
                yield _NO_VALUE

    def positions(self, fact):
        """The positions of the children whose test ``fact`` could pass, in order."""
        return self._positions_for(self._known(fact))

    def _positions_for(self, values):
        positions = list(self.always)
        for (_, table), value in zip(self.tables, values, strict=True):
            positions += table.get(value, ())
        return sorted(positions)


_NO_VALUE = object()
# The most answers of ``could_match`` kept, one per fact class and contents: the
# answers of a case's fields are a few hundred; listed items, named, are endless.
MAX_KEPT_ANSWERS = 4096


# ------------------------------------------------------------------ fast nodes
#
# A token is experta's own namedtuple, made with tuple.__new__: Token.__new__ only
# checks its arguments' types and copies the data into a new set, and the tokens
# made here are right by construction.

_VALID, _INVALID = Token.TagType.VALID, Token.TagType.INVALID
_make_token = tuple.__new__


class FastBusNode(BusNode):
    def add(self, fact):
        token = _make_token(Token, (_VALID, {fact}, {}))
        for child in self.children:
            child.callback(token)

    def remove(self, fact):
        token = _make_token(Token, (_INVALID, {fact}, {}))
        for child in self.children:
            child.callback(token)


class FastFeatureTesterNode(FeatureTesterNode):
    # The test itself: the node's matcher, or what it computes without its logging
    # (``quiet_test``), set by ``_use_fast_nodes``.
    test = None

    def activate(self, token):
        """experta's test of one fact, on a copy of the token made only when the
        test adds bindings to its context."""
        (fact,) = token.data  # a ValueError otherwise, as in experta
        match = self.test(fact)
        if not match:
            return
        if match is not True and (type(match) is dict or isinstance(match, Mapping)):
            context = token.context
            for key, value in match.items():
                if isinstance(key, tuple):  # a negated binding
                    if key[1] in context and context[key[1]] == value:
                        return
                else:
                    if context.get(key, value) != value:
                        return
                    if (False, key) in context and context[(False, key)] == value:
                        return
            context = dict(context)
            context.update(match)
            token = _make_token(Token, (token.tag, token.data, context))
        for child in self.children:
            child.callback(token)


class FastWhereNode(WhereNode):
    def activate(self, token):
        return self._activate(token)  # it only reads the token


class FastConflictSetNode(ConflictSetNode):
    def activate(self, token):
        return self._activate(token)  # it only reads the token


class QuietConflictSetNode(FastConflictSetNode):
    """experta's conflict set, making an activation only for a token it keeps or
    lets go (experta makes one for every token, and looks it up in an empty set)."""

    def activate(self, token):
        info = _make_token(TokenInfo, (frozenset(token.data), frozenset(token.context.items())))
        if token.tag is _VALID:
            if info in self.memory:
                return
            self.memory.add(info)
            activation = self._activation(info)
            if self.removed and activation in self.removed:
                self.removed.remove(activation)
            else:
                self.added.add(activation)
        else:
            try:
                self.memory.remove(info)
            except ValueError:  # as experta: a token it does not hold is an error
                pass
            else:
                activation = self._activation(info)
                if self.added and activation in self.added:
                    self.added.remove(activation)
                else:
                    self.removed.add(activation)

    def _activation(self, info):
        return Activation(
            self.rule, info.data, {k: v for k, v in info.context if isinstance(k, str)}
        )


class _UncopiedInputs:
    """Both inputs of a join or a negation: its own routines only read a token."""

    def activate_left(self, token):
        return self._activate_left(token)

    def activate_right(self, token):
        return self._activate_right(token)


class FastOrdinaryMatchNode(_UncopiedInputs, OrdinaryMatchNode):
    pass


class QuietOrdinaryMatchNode(FastOrdinaryMatchNode):
    """experta's join, without its log line for every pair it tests: for a network
    whose MATCH watcher logs nothing (see ``_use_fast_nodes``)."""

    def _activate_left(self, token):
        self._join(token, self.left_memory, self.right_memory, True)

    def _activate_right(self, token):
        self._join(token, self.right_memory, self.left_memory, False)

    def _join(self, token, branch_memory, matching_memory, is_left):
        """experta's ``OrdinaryMatchNode.__activation``, step for step."""
        info = _make_token(TokenInfo, (frozenset(token.data), frozenset(token.context.items())))
        if token.tag is _VALID:
            branch_memory.append(info)
        else:
            with suppress(ValueError):
                branch_memory.remove(info)
        context = token.context
        for other_data, other_context in matching_memory:
            other_context = dict(other_context)
            if is_left:
                match = self.matcher(context, other_context)
            else:
                match = self.matcher(other_context, context)
            if match:
                new_context = {k: v for k, v in context.items() if isinstance(k, str)}
                for k, v in other_context.items():
                    if not isinstance(k, tuple):  # negated values are not needed further
                        new_context[k] = v
                # A set already: what Token() makes of it, without checking it again.
                new_token = _make_token(Token, (token.tag, token.data | other_data, new_context))
                for child in self.children:
                    child.callback(new_token)


class FastNotNode(_UncopiedInputs, NotNode):
    pass


FAST_NODES = {
    BusNode: FastBusNode,
    FeatureTesterNode: FastFeatureTesterNode,
    WhereNode: FastWhereNode,
    ConflictSetNode: FastConflictSetNode,
    OrdinaryMatchNode: FastOrdinaryMatchNode,
    NotNode: FastNotNode,
}


# The fast nodes that also leave out experta's MATCH log lines.
QUIET_NODES = {
    FastConflictSetNode: QuietConflictSetNode,
    FastOrdinaryMatchNode: QuietOrdinaryMatchNode,
}


def _all_nodes(root):
    """Every node of the network once, parents before children."""
    nodes, seen, stack = [], set(), [root]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen.add(id(node))
            nodes.append(node)
            stack.extend(child.node for child in reversed(node.children))
    return nodes


def quiet_test(check):
    """What experta's ``check`` of one fact returns, computed the same way, without
    the log line it writes for every fact it tests: for its three one-fact checks
    (a fact's type, a binding of the whole fact, a key's value). Any other check is
    given back as it is."""
    if type(check) is TypeCheck:
        fact_type = check.fact_type

        def test_type(fact):
            return type(fact) == fact_type  # noqa: E721 (experta's own comparison)

        return test_type
    if type(check) is FactCapture:
        bind = check.bind

        def capture(fact):
            return {bind: fact}

        return capture
    if type(check) is FeatureCheck:
        return _quiet_feature_test(check.what, check.check, check.expected)
    return check


def _quiet_feature_test(what, compare, expected):
    """experta's ``FeatureCheck.__call__`` on a fact (``is_fact=True``), unlogged."""
    if isinstance(what, str) and (what.startswith("__") or what.endswith("__")):

        def whole_fact(fact):
            return compare(fact, expected)

        return whole_fact
    if isinstance(what, str):
        keys = tuple(int(part) if part.isnumeric() else part for part in what.split("__"))
    else:
        keys = (what,)
    if len(keys) == 1:
        (key,) = keys

        def one_key(fact):
            try:
                record = fact[key]
            except (IndexError, KeyError, TypeError):
                return False
            return compare(record, expected)

        return one_key

    def nested_keys(fact):
        record = fact
        try:
            for key in keys:
                record = record[key]
        except (IndexError, KeyError, TypeError):
            return False
        return compare(record, expected)

    return nested_keys


def _use_fast_nodes(root, quiet_tests=True):
    """Turn each node of a kind in ``FAST_NODES`` into its fast kind, and point the
    callbacks its parents hold at the fast methods. A kind not listed (a node type
    of a later experta) stays as it is and copies the tokens it is given. With
    ``quiet_tests``, a fact's tests are made without experta's log lines."""
    nodes = _all_nodes(root)
    for node in nodes:
        node.__class__ = FAST_NODES.get(type(node), type(node))
        if type(node) is FastFeatureTesterNode:
            node.test = quiet_test(node.matcher) if quiet_tests else node.matcher
        if quiet_tests:
            node.__class__ = QUIET_NODES.get(type(node), type(node))
    for node in nodes:
        node.children[:] = [
            ChildNode(child.node, getattr(child.node, child.callback.__name__))
            if getattr(child.callback, "__self__", None) is child.node
            else child
            for child in node.children
        ]


def _read_type(fact):
    return type(fact)


def _key_reader(key):
    def read(fact):
        # As experta's FeatureCheck reads a key: a missing key fails the test.
        try:
            return fact[key]
        except (IndexError, KeyError, TypeError):
            return _NO_VALUE

    return read


def _index_of(check):
    """How a child's test can be looked up: (reader id, value), or None."""
    if isinstance(check, TypeCheck):
        return ("type", check.fact_type)
    if (
        isinstance(check, FeatureCheck)
        and isinstance(check.how, L)
        and check.how.__bind__ is None
        and isinstance(check.what, str)
        and "__" not in check.what
        and not check.what.isnumeric()
    ):
        try:
            hash(check.how.value)
        except TypeError:
            return None
        return (check.what, check.how.value)
    return None


def _dispatch_node(children):
    """A DispatchNode over ``children``, or None when too few can be looked up."""
    tables = defaultdict(lambda: defaultdict(list))
    always = []
    for position, child in enumerate(children):
        index = None
        if isinstance(child.node, FeatureTesterNode) and child.callback == child.node.activate:
            index = _index_of(child.node.matcher)
        if index is None:
            always.append(position)
        else:
            reader, value = index
            tables[reader][value].append(position)
    if len(children) - len(always) < MIN_CHILDREN_TO_INDEX:
        return None
    readers = [
        (_read_type if reader == "type" else _key_reader(reader), dict(table))
        for reader, table in tables.items()
    ]
    return DispatchNode(children, readers, tuple(always))


def _passes_to_a_join(node, fact):
    if isinstance(node, DispatchNode):
        children = [node.children[position] for position in node.positions(fact)]
    else:
        children = node.children
    for child in children:
        if isinstance(child.node, DispatchNode):
            if _passes_to_a_join(child.node, fact):
                return True
        elif not isinstance(child.node, FeatureTesterNode):
            return True  # a join, a negation or a rule's conflict set: the fact got through
        elif child.node.matcher(fact) and _passes_to_a_join(child.node, fact):
            return True
    return False


def _matched_types(root):
    """The fact classes some rule matches, or None if a rule could match any class.

    experta tests a pattern's class first, so the root's children are class tests
    unless some pattern names no class.
    """
    tests = [child.node.matcher for child in root.children]
    if all(isinstance(test, TypeCheck) for test in tests):
        return frozenset(test.fact_type for test in tests)
    return None


def _simple_constraint(value):
    """Whether experta's DNF rewrite leaves a pattern's value as it is."""
    if isinstance(value, ORFC | ANDFC):
        return False
    return not isinstance(value, NOTFC) or not isinstance(value[0], NOTFC | ORFC | ANDFC)


def _in_normal_form(rule):
    """Whether ``rule`` is already what experta's DNF rewrite makes of it: a plain
    conjunction of patterns with no alternative (``|``) in them, of negated patterns
    and of tests. experta rewrites such a rule some five times over to find that out
    (about half of building the network); its result equals the rule."""
    for element in rule:
        if isinstance(element, AND | OR):
            return False
        if isinstance(element, NOT):
            if isinstance(element[0], NOT | OR | AND):
                return False
        elif isinstance(element, Fact) and not all(map(_simple_constraint, element.values())):
            return False
    return True


def _plain_constraint(value):
    """A value experta's DNF rewrite keeps as it is and splits nothing by."""
    return not isinstance(value, ORFC | ANDFC | NOTFC)


def _pattern_choices(fact):
    """The patterns experta's DNF rewrite splits ``fact`` into: one for each choice
    among the alternatives (``|``) of plain values its keys hold, the first key's
    choices varying slowest, each made as experta makes it; None if a value is more
    than that (alternatives of alternatives, ``&``, a negated alternative)."""
    keys, options = [], []
    for key, value in fact.items():
        if isinstance(value, ORFC):
            if not all(map(_plain_constraint, value)):
                return None
            keys.append(key)
            options.append(tuple(value))
        elif not _simple_constraint(value):
            return None
    if not keys:
        return [fact]
    made = []
    for choice in itertools.product(*options):
        chosen = dict(zip(keys, choice, strict=True))
        made.append(fact.__class__.from_iter((k, chosen.get(k, v)) for k, v in fact.items()))
    return made


def _split_alternatives(rule):
    """What experta's DNF rewrite makes of a rule of patterns, negated plain patterns
    and tests whose only alternatives are ``|`` between plain values of a pattern's
    key: one branch (an ``AND``, or the pattern itself for a rule of one pattern) for
    each choice of those values, the first element's choices varying slowest, with
    an ``InitialFact`` before a branch that starts with a negation, under one ``OR``;
    None for a rule of any other shape (experta's own rewrite handles it)."""
    parts = []
    for element in rule:
        if isinstance(element, Fact):
            choices = _pattern_choices(element)
            if choices is None:
                return None
            parts.append(choices)
        elif isinstance(element, TEST) or (
            isinstance(element, NOT)
            and isinstance(element[0], Fact)
            and all(map(_simple_constraint, element[0].values()))
        ):
            parts.append([element])
        else:
            return None
    if len(parts) == 1:
        return OR(*parts[0])
    return OR(
        *(
            AND(InitialFact(), *branch) if isinstance(branch[0], NOT) else AND(*branch)
            for branch in itertools.product(*parts)
        )
    )


def prepare_rule_quickly(rule):
    """experta's ``prepare_rule`` (DNF, then an ``InitialFact`` where a rule needs
    one), with the rewrite skipped for a rule that is in normal form already, and
    done directly for one whose only alternatives are ``|`` between plain values
    (``value=L("none") | L("partial")``): experta rewrites such a rule again and
    again until nothing changes, most of the time of preparing all the rules."""
    if not _in_normal_form(rule):
        split = _split_alternatives(rule)
        if split is None:
            return prepare_rule(rule)
        return _with_conditions(rule, split)
    if not rule:
        return _with_conditions(rule, InitialFact())
    if isinstance(rule[0], NOT) or not extract_facts(rule):
        return _with_conditions(rule, InitialFact(), *rule)
    return _with_conditions(rule, *rule)


def _with_conditions(rule, *conditions):
    """``rule.new_conditions(*conditions)``: a new rule with those conditions and the
    same salience and function, whose arguments are copied from ``rule`` where
    experta would read the function's signature again (``inspect.signature``)."""
    new = rule.__class__(*conditions, salience=rule.salience)
    if rule._wrapped:
        new._wrapped = rule._wrapped
        new._wrapped_args = rule._wrapped_args
        update_wrapper(new, rule._wrapped)
    return new


def _wire_test(elem, alpha_terminals):
    return WhereNode(WhereCheck(elem[0]))


def _wire_forall(elem, alpha_terminals):
    leader, followers = elem[0], elem[1:]
    initial_fact_node = _wire(InitialFact(), alpha_terminals)
    leader_node = _wire(leader, alpha_terminals)
    followers_node = _wire(AND(*followers), alpha_terminals)
    not_node_1 = NotNode(SameContextCheck())
    not_node_2 = NotNode(SameContextCheck())
    followers_node.add_child(not_node_1, not_node_1.activate_right)
    leader_node.add_child(not_node_1, not_node_1.activate_left)
    not_node_1.add_child(not_node_2, not_node_2.activate_right)
    initial_fact_node.add_child(not_node_2, not_node_2.activate_left)
    return not_node_2


def _wire_exists(elem, alpha_terminals):
    condition_node = _wire(elem[0], alpha_terminals)
    initial_fact_node = _wire(InitialFact(), alpha_terminals)
    not_node_1 = NotNode(SameContextCheck())
    not_node_2 = NotNode(SameContextCheck())
    condition_node.add_child(not_node_1, not_node_1.activate_right)
    initial_fact_node.add_child(not_node_1, not_node_1.activate_left)
    initial_fact_node.add_child(not_node_2, not_node_2.activate_left)
    not_node_1.add_child(not_node_2, not_node_2.activate_right)
    return not_node_2


def _wire_and(elem, alpha_terminals):
    if len(elem) == 1:
        if isinstance(elem[0], Fact):
            return alpha_terminals[elem[0]]
        return _wire(elem[0], alpha_terminals)
    current_node = None
    for f, s in itertools.pairwise(elem):
        if isinstance(s, TEST):
            if current_node is None:
                current_node = _wire(f, alpha_terminals)
            new_node = _wire(s, alpha_terminals)
            current_node.add_child(new_node, new_node.activate)
            current_node = new_node
        else:
            node_cls = NotNode if isinstance(s, NOT) else OrdinaryMatchNode
            if current_node is None:
                current_node = node_cls(SameContextCheck())
                left_branch = _wire(f, alpha_terminals)
                right_branch = _wire(s, alpha_terminals)
            else:
                left_branch = current_node
                right_branch = _wire(s, alpha_terminals)
                current_node = node_cls(SameContextCheck())
            left_branch.add_child(current_node, current_node.activate_left)
            right_branch.add_child(current_node, current_node.activate_right)
    return current_node


def _wire_or(elem, alpha_terminals):
    raise SyntaxError("You can't use an OR clause inside FORALL or EXISTS")


def _wire_fact(elem, alpha_terminals):
    return alpha_terminals[elem]


def _wire_not(elem, alpha_terminals):
    return alpha_terminals[elem[0]]


# experta's ``wire_rule`` dispatches on the element's class with a
# ``functools.singledispatch`` made anew for every rule, whose first calls work out
# the classes' method resolution order again each time: about a third of building
# the network. The same handlers, chosen by the first class in the element's MRO
# that has one (what singledispatch does for these classes, none of them abstract).
_WIRING = {
    TEST: _wire_test,
    FORALL: _wire_forall,
    EXISTS: _wire_exists,
    Rule: _wire_and,
    AND: _wire_and,
    OR: _wire_or,
    Fact: _wire_fact,
    NOT: _wire_not,
}


def _wire(elem, alpha_terminals):
    for klass in type(elem).__mro__:
        handler = _WIRING.get(klass)
        if handler is not None:
            return handler(elem, alpha_terminals)
    raise TypeError(f"Unknown type {type(elem)}")


def wire_rule(rule, alpha_terminals, lhs):
    """experta's ``wire_rule``: the beta network of ``rule`` (its ``lhs``), ending in
    the rule's conflict-set node."""
    last_node = _wire(lhs, alpha_terminals)
    conflict_set_node = ConflictSetNode(rule)
    last_node.add_child(conflict_set_node, conflict_set_node.activate)


def build_alpha_part(ruleset, root_node):
    """experta's ``ReteMatcher.build_alpha_part``: the same nodes in the same order,
    and the same last node for each pattern, made in two thirds of the time.

    experta ranks the one-fact tests (checks) by how many patterns share each, and
    sorts them by (rank, hash); it hashes a check each time it counts, looks up or
    sorts one, and a check's hash is worked out in Python every time (some 2,000
    times for our rules: a third of building the engine). Here each check is counted
    by identity, which is its equality (experta keeps one check object for each
    test, and no two are equal), and its sort key is worked out once. A pattern's
    checks are a list, not a set: they are sorted before use, by keys that differ
    for different checks unless two 64-bit hashes collide, so the order they come in
    does not matter. ``tests/test_alpha_network.py`` compares the two networks."""
    ruleset = ruleset.copy()
    ruleset.add(Rule(InitialFact()))
    rule_facts = {rule: extract_facts(rule) for rule in ruleset}
    fact_checks = {
        fact: list(generate_checks(fact))
        for fact in itertools.chain.from_iterable(rule_facts.values())
    }
    rank = defaultdict(int)  # id of a check -> how many patterns have it
    for checks in fact_checks.values():
        for check in checks:
            rank[id(check)] += 1
    keys = {}

    def check_key(check):
        key = keys.get(id(check))
        if key is None:
            if isinstance(check, TypeCheck):
                key = (math.inf, hash(check))
            elif isinstance(check, FactCapture):
                key = (-math.inf, hash(check))
            elif isinstance(check, FeatureCheck):
                key = (rank[id(check)], hash(check))
            else:  # pragma: no cover - experta makes no other
                raise TypeError("Unknown check type.")
            keys[id(check)] = key
        return key

    def rule_weight(rule):
        facts = rule_facts[rule]
        return sum(rank[id(check)] for fact in facts for check in fact_checks[fact]) / len(facts)

    terminals = {}
    for rule in sorted(ruleset, key=rule_weight, reverse=True):
        for fact in rule_facts[rule]:
            node = root_node
            for check in sorted(fact_checks[fact], key=check_key, reverse=True):
                for child in node.children:
                    if child.node.matcher is check:
                        node = child.node
                        break
                else:
                    tester = FeatureTesterNode(check)
                    node.add_child(tester, tester.activate)
                    node = tester
            terminals[fact] = node
    return terminals


class IndexedReteMatcher(ReteMatcher):
    """experta's ReteMatcher, with its alpha network indexed (see the module)."""

    @staticmethod
    def prepare_ruleset(engine):
        return {prepare_rule_quickly(rule) for rule in engine.get_rules()}

    build_alpha_part = staticmethod(build_alpha_part)

    @staticmethod
    def build_beta_part(ruleset, alpha_terminals):
        """experta's, with the wiring above."""
        for rule in ruleset:
            if isinstance(rule[0], OR):
                for subrule in rule[0]:
                    wire_rule(rule, alpha_terminals, lhs=subrule)
            else:
                wire_rule(rule, alpha_terminals, lhs=rule)

    def build_network(self):
        super().build_network()
        fast = not watchers.worth("MATCHER", "DEBUG")
        # experta's checks log each fact they test on its MATCH watcher.
        self._quiet = fast and not watchers.MATCH.isEnabledFor(INFO)
        self._answers = {}  # see could_match
        if fast:
            _use_fast_nodes(self.root_node, quiet_tests=self._quiet)
        self.fact_types = _matched_types(self.root_node)
        self._index_alpha_network(self.root_node)
        self._dirty = set()
        self._order = {}
        for position, node in enumerate(self._get_conflict_set_nodes()):
            self._order[node] = position
        self._nodes = []
        self._watch_conflict_sets(self.root_node, set())
        self._with_memory = [node for node in self._nodes if not isinstance(node, NoMemory)]
        for node in self._nodes:
            if isinstance(node, DispatchNode):
                node.route(skip_implied_tests=fast)

    def could_match(self, fact):
        """Whether ``fact`` passes all the one-fact tests of some rule's pattern, so
        that it could take part in an activation. No token is made and no memory
        changes; a test on variables bound earlier in a pattern is not made, so the
        answer may be yes where experta would find no match, never the other way.

        The answer depends on the fact's class and contents alone, so it is kept for
        the next fact alike (the same answers come up case after case), up to
        ``MAX_KEPT_ANSWERS`` of them, while no check logs what it tests."""
        if not self._quiet:
            return _passes_to_a_join(self.root_node, fact)
        try:
            key = (type(fact), frozenset(fact.items()))
            found = self._answers.get(key)
        except TypeError:  # a value that cannot be hashed: worked out every time
            return _passes_to_a_join(self.root_node, fact)
        if found is None:
            found = _passes_to_a_join(self.root_node, fact)
            if len(self._answers) < MAX_KEPT_ANSWERS:
                self._answers[key] = found
        return found

    def reset(self):
        """Empty the memory of every node of the network that has one."""
        for node in self._with_memory:
            node._reset()

    def _index_alpha_network(self, node):
        for child in node.children:
            if isinstance(child.node, FeatureTesterNode):
                self._index_alpha_network(child.node)
        dispatch = _dispatch_node(node.children)
        if dispatch is not None:
            node.children = [ChildNode(dispatch, dispatch.activate)]

    def _watch_conflict_sets(self, node, seen):
        if id(node) in seen:
            return
        seen.add(id(node))
        self._nodes.append(node)
        for position, child in enumerate(node.children):
            if isinstance(child.node, ConflictSetNode):
                node.children[position] = ChildNode(
                    child.node, self._noting(child.node, child.callback)
                )
            self._watch_conflict_sets(child.node, seen)

    def _noting(self, conflict_set, callback):
        dirty = self._dirty

        def note_and_activate(token):
            dirty.add(conflict_set)
            callback(token)

        return note_and_activate

    def changes(self, adding=None, deleting=None):
        """Pass the changes through the network; the activations they add and remove."""
        for fact in deleting or ():
            self.root_node.remove(fact)
        for fact in adding or ():
            self.root_node.add(fact)
        added, removed = [], []
        for conflict_set in sorted(self._dirty, key=self._order.__getitem__):
            now_added, now_removed = conflict_set.get_activations()
            added.extend(now_added)
            removed.extend(now_removed)
        self._dirty.clear()
        return added, removed


def could_match(matcher, facts):
    """Whether some of ``facts`` could match a pattern of ``matcher``'s rules.

    The indexed matcher answers without touching its memory (``could_match``); any
    other matcher, experta's own among them, cannot say, so every fact could.
    """
    ask = getattr(matcher, "could_match", None)
    return ask is None or any(map(ask, facts))
