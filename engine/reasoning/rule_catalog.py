"""What each rule is, read from the rules themselves: conditions, conclusions, sources.

Conditions come from the experta patterns of each rule; conclusions from the calls
its body makes to the engine's conclusion helpers (``self.recommend("education", …)``),
read with ``ast``; the statement and ¶ sources from its docstring. The rule catalog,
the explanations, the reasoning graph and the knowledge-base checks all build on this,
so nothing about a rule is written twice.
"""

import ast
import contextlib
import inspect
import textwrap
from functools import cache, cached_property, lru_cache
from pathlib import Path

import yaml
from experta import NOT, L, W

from perencana.engine.case.vocabulary import ITEM_FACTS
from perencana.engine.errors import KnowledgeError
from perencana.engine.experta_ext.rules import OrConstraint, rule_function
from perencana.engine.reasoning.rule_ids import PASSAGE as PASSAGE
from perencana.engine.reasoning.rule_ids import rule_order as rule_order
from perencana.engine.records import Frozen, set_field
from perencana.knowledge.pycache import keep, kept_file, read_kept

CONCERNS = ("lifecycle", "cause", "strategy", "program", "guidance")


class Constraint(Frozen):
    """One key of a pattern: ``is`` a value, ``one_of`` several, or ``any`` value."""

    FIELDS = ("key", "kind", "values")
    __slots__ = FIELDS

    def __init__(self, key, kind, values=()):
        set_field(self, "key", key)
        set_field(self, "kind", kind)  # is | one_of | any
        set_field(self, "values", values)

    def allows(self, fact):
        if self.key not in fact:
            return False
        if self.kind == "any":
            return True
        return fact[self.key] in self.values


class Condition(Frozen):
    """One pattern of a rule: a fact of class ``fact`` with these constraints
    (``negated``: no such fact may exist)."""

    FIELDS = ("fact", "constraints", "negated")
    # no __slots__: the cached property below is kept in the instance's __dict__

    def __init__(self, fact, constraints, negated=False):
        fields = self.__dict__
        fields["fact"] = fact
        fields["constraints"] = constraints
        fields["negated"] = negated

    def get(self, key):
        """The constraint on ``key``, if any."""
        return next((c for c in self.constraints if c.key == key), None)

    def matches(self, fact):
        """Whether ``fact`` satisfies this pattern (ignoring ``negated``)."""
        return type(fact).__name__ == self.fact and all(c.allows(fact) for c in self.constraints)

    def holds(self, facts):
        """Whether the condition holds in a working memory of ``facts``."""
        found = any(self.matches(fact) for fact in facts)
        return not found if self.negated else found

    @cached_property  # the interview asks it of every condition after every answer
    def field_path(self):
        """For a Field pattern, the case path it reads."""
        path = self.get("path")
        return path.values[0] if self.fact == "Field" and path else None


class Conclusion(Frozen):
    """What one call in a rule's body concludes: ``kind`` (lifecycle, evidence, cause,
    recommendation, caveat, first-step, decision or guidance) and ``target`` (an id
    from the knowledge, or "*" when the rule concludes a bound value), with the
    strategy it belongs to (caveats, steps), for evidence the strength, and for a
    recommendation the cause ids it ``cites``."""

    FIELDS = ("kind", "target", "strategy", "strength", "cites")
    __slots__ = FIELDS

    def __init__(self, kind, target, strategy="", strength="", cites=()):
        set_field(self, "kind", kind)
        set_field(self, "target", target)
        set_field(self, "strategy", strategy)
        set_field(self, "strength", strength)
        set_field(self, "cites", cites)


class RuleInfo(Frozen):
    """One rule as the catalog shows it: its statement and ¶ sources (from its
    docstring), its conditions, what it concludes, its salience and its mixin."""

    FIELDS = (
        "id",
        "concern",
        "salience",
        "statement",
        "sources",
        "conditions",
        "conclusions",
        "mixin",
    )
    __slots__ = FIELDS

    def __init__(self, id, concern, salience, statement, sources, conditions, conclusions, mixin):
        set_field(self, "id", id)
        set_field(self, "concern", concern)
        set_field(self, "salience", salience)
        set_field(self, "statement", statement)
        set_field(self, "sources", sources)
        set_field(self, "conditions", conditions)
        set_field(self, "conclusions", conclusions)
        set_field(self, "mixin", mixin)


def _constraint(key, value):
    if isinstance(value, W):
        return Constraint(key, "any")
    if isinstance(value, OrConstraint):
        return Constraint(key, "one_of", tuple(part.value for part in value))
    if isinstance(value, L):
        return Constraint(key, "is", (value.value,))
    return Constraint(key, "is", (value,))


def _condition(pattern):
    if isinstance(pattern, NOT):
        (inner,) = pattern
        return _condition(inner).replace(negated=True)
    constraints = tuple(
        _constraint(key, value) for key, value in pattern.items() if not str(key).startswith("__")
    )
    return Condition(fact=type(pattern).__name__, constraints=constraints)


HELPER_KINDS = {
    "evidence": "evidence",
    "recommend": "recommendation",
    "caveat": "caveat",
    "first_step": "first-step",
    "decide": "decision",
    "guide": "guidance",
}


def _literal(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


# Bump when what _file_conclusions keeps changes shape.
CONCLUSIONS_FORMAT = 1


@cache
def _file_conclusions(filename):
    """{the line each function of the module in ``filename`` starts on (its first
    decorator's, as a code object counts it): (its name, its conclusions)}.

    Reading them takes one parse of the file and a walk of every rule's body, most
    of the time a picture takes in a fresh process; so the table is kept in
    ``__pycache__`` beside the file, as Python keeps compiled modules, named by a
    digest of the file's bytes so that an edited file is read afresh. A cache that
    cannot be read or written (a read-only install) is passed over."""
    path = Path(filename)
    source = path.read_bytes()
    prefix = f"{path.stem}.conclusions"
    cache_file = kept_file(path.parent, prefix, CONCLUSIONS_FORMAT, source)
    kept = read_kept(cache_file)
    if isinstance(kept, dict):
        with contextlib.suppress(TypeError, ValueError):  # another shape: read anew
            return {
                line: (name, tuple(Conclusion(*fields) for fields in found))
                for line, (name, found) in kept.items()
            }
    table = {}
    for node in ast.walk(ast.parse(source.decode("utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
            if first not in table:
                table[first] = (node.name, _node_conclusions(node))
    kept = {
        line: (name, tuple((c.kind, c.target, c.strategy, c.strength, c.cites) for c in found))
        for line, (name, found) in table.items()
    }
    keep(cache_file, prefix, kept)
    return table


def _conclusions(function):
    code = function.__code__
    try:
        name, found = _file_conclusions(code.co_filename).get(code.co_firstlineno, ("", ()))
    except (OSError, SyntaxError, ValueError):
        name = ""
    if name != function.__name__:  # pragma: no cover - no source file
        return _node_conclusions(ast.parse(textwrap.dedent(inspect.getsource(function))))
    return found


def _node_conclusions(function_node):
    found = []
    for node in ast.walk(function_node):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        if not (isinstance(node.func.value, ast.Name) and node.func.value.id == "self"):
            continue
        helper, args = node.func.attr, node.args
        literals = [_literal(arg) for arg in args]
        if helper == "conclude" and args and isinstance(args[0], ast.Call):
            found.append(_concluded_fact(args[0]))
        elif helper == "evidence":
            found.append(Conclusion("evidence", literals[0] or "*", strength=literals[1] or ""))
        elif helper == "recommend":
            cites = tuple(text for text in literals[1:] if text)
            found.append(Conclusion("recommendation", literals[0] or "*", cites=cites))
        elif helper in ("caveat", "first_step"):
            found.append(Conclusion(HELPER_KINDS[helper], literals[1] or "*", strategy=literals[0]))
        elif helper == "decide":
            found.append(Conclusion("decision", literals[1] or "*"))
        elif helper == "guide":
            found.append(Conclusion("guidance", literals[0] or "*"))
    return tuple(found)


def _concluded_fact(call):
    name = call.func.id if isinstance(call.func, ast.Name) else ""
    value = next((_literal(k.value) for k in call.keywords), None)
    kind = {"Lifecycle": "lifecycle", "Cause": "cause"}.get(name, name.lower())
    return Conclusion(kind, value or "*")


def _mixin_of(engine_class, name):
    for klass in engine_class.__mro__:
        if name in vars(klass):
            return klass.__name__
    return ""


@lru_cache(maxsize=1)
def rule_catalog():
    """Every rule of the composed engine, in the order of its mixins and their source."""
    from perencana.engine.reasoning.inference import AdvisoryEngine
    from perencana.rules import RULE_MIXINS

    engine_class = AdvisoryEngine
    rules = []
    for mixin in RULE_MIXINS:
        for name, member in vars(mixin).items():
            if type(member).__name__ != "Rule":
                continue
            function = rule_function(member)
            # The statement's white space is made single spaces below, so the raw
            # docstring serves as ``inspect.getdoc``'s cleaned one would (a third of
            # the catalog's time); getdoc still for a rule without one of its own.
            doc = function.__doc__ or inspect.getdoc(function) or ""
            rules.append(
                RuleInfo(
                    id=name,
                    concern=name.split("_", 1)[0],
                    salience=member.salience,
                    statement=" ".join(doc.split()),
                    sources=tuple(dict.fromkeys(int(n) for n in PASSAGE.findall(doc))),
                    conditions=tuple(_condition(pattern) for pattern in member),
                    conclusions=_conclusions(function),
                    mixin=_mixin_of(engine_class, name),
                )
            )
    return tuple(rules)


def rules_by_id():
    return {rule.id: rule for rule in rule_catalog()}


# Each rule's statement in Indonesian: the English one is its docstring.
STATEMENTS_FILE = Path(__file__).resolve().parents[2] / "knowledge" / "rule_statements.yaml"


@lru_cache(maxsize=4)
def _read_statements(path, stamp):
    try:
        with open(path, encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
    except yaml.YAMLError as error:
        raise KnowledgeError([f"{Path(path).name}: not valid YAML ({error})"]) from None
    return data if isinstance(data, dict) else {}


def rule_statements(path=STATEMENTS_FILE):
    """The Indonesian rule statements (rule id -> statement), or none if the file
    does not exist (yet)."""
    path = Path(path)
    if not path.is_file():
        return {}
    return _read_statements(str(path), path.stat().st_mtime_ns)


def statements_in(lang):
    """Each rule's statement in ``lang`` (rule id -> text, with its ¶): the docstring
    in English, ``knowledge/rule_statements.yaml`` in Indonesian."""
    if lang == "en":
        return {rule.id: rule.statement for rule in rule_catalog()}
    found = {}
    for rule_id, text in rule_statements().items():
        if isinstance(text, dict):
            text = text.get(lang)
        if isinstance(text, str) and text.strip():
            found[rule_id] = " ".join(text.split())
    return found


def rules_concluding(catalog, kind, target):
    """The rules of ``catalog`` whose body concludes ``kind`` about ``target`` (or a
    bound value, ``*``), each once."""
    return [
        rule
        for rule in catalog
        if any(c.kind == kind and c.target in (target, "*") for c in rule.conclusions)
    ]


# The list section each item fact kind comes from (the vocabulary's list, turned round).
ITEM_SECTIONS = {kind: section for section, kind in ITEM_FACTS.items()}
