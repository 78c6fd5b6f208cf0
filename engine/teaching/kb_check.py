"""``perencana check``: the knowledge base and the rules checked against each other.

Each check takes what it checks as parameters (the ``Knowledge``, the rule catalog of
``reasoning.rule_catalog``, the rule mixins, the Indonesian statements, the case
fields), so a test can feed it a broken copy, and returns a list of problems, each a
one-line message that names the file, the rule or the id at fault:

(a) ``load_problems``: the knowledge folder loads (``knowledge.loader.read_knowledge``),
    which includes that every caveat has its risk, sign and response in each language;
(b) ``coverage_problems``: every cause, strategy, caveat, first step, guidance item,
    program decision and life-cycle stage can be concluded by some rule;
(c) ``citation_problems`` and ``reference_problems``: every rule cites a ¶ that
    exists, and every id a rule concludes or matches is in the knowledge;
(d) ``reachability_problems``: every condition of every rule can hold for some case
    (fields and answers of the case schema, bands of ``thresholds.yaml``, facts some
    rule concludes);
(e) ``mixin_problems``: no two rule mixins define the same name (experta would keep
    only one of them, silently);
(f) ``language_problems``: every rule has an English statement (its docstring) and
    an Indonesian one in ``rule_statements.yaml``, which names no other rule;
(g) ``field_label_problems``: ``fields.yaml`` held against the case schema: every
    field has an entry with a label in each language, every answer of a closed
    field (each choice, true and false where values are labelled, and unknown) has a
    label in each language, and nothing is labelled that the schema does not have;
(h) ``case_text_problems``: texts true to the case: what a text asserts of the case
    (``asserts``) is required by every rule that makes the memo show it, or a
    variant shown instead (``variants``, each shown only when the case holds its
    ``when``) is; their paths and answers are the case schema's;
(i) ``passage_problems``: every passage of the source in the range of
    ``passages.yaml`` (¶4–¶73) is encoded, that is cited by a rule's docstring or by
    the ``sources`` of a knowledge item (read from them, see ``passage_encodings``),
    or listed in ``passages.yaml`` as deliberately not encoded with a one-line why;
    and nothing listed there is in fact cited;
(j) ``reason_problems`` (``view.reasons``): every rule that gives a reason has a
    sentence in each language in ``reasons.yaml``, whose placeholders its facts
    provide and whose ¶ it cites;
(k) ``plan_text_problems``: the ``when`` of each step of the action plan, of each of
    its leads and of each sign of success names case fields and answers they can take
    (``unknown`` among them: the plan reads it as an answer), so that a misspelt
    path cannot leave a step or a sign silently never shown.
"""

from dataclasses import dataclass
from itertools import product
from pathlib import Path

from perencana.engine.case.schema import field_specs
from perencana.engine.case.vocabulary import ITEM_FACTS as SECTION_FACTS
from perencana.engine.case.vocabulary import LANGUAGES, UNKNOWN
from perencana.engine.errors import CheckError, KnowledgeError
from perencana.engine.reasoning.rule_catalog import PASSAGE, rules_concluding
from perencana.engine.teaching.catalog_view import (
    STATEMENTS_FILE,
    TARGET_KINDS,
    read_rule_statements,
)
from perencana.engine.view.reasons import reason_problems

# The knowledge items a rule must be able to conclude: file -> conclusion kind.
CONCLUDED_ITEMS = {
    "causes": "cause",
    "strategies": "recommendation",
    "caveats": "caveat",
    "steps": "first-step",
    "guidance": "guidance",
    "decisions": "decision",
    "lifecycle": "lifecycle",
}
# Facts that rules conclude and other rules match: class -> (conclusion kind, id key).
CONCLUDED_FACTS = {
    "Lifecycle": ("lifecycle", "stage"),
    "Evidence": ("evidence", "cause"),
    "Cause": ("cause", "id"),
    "Recommendation": ("recommendation", "strategy"),
    "Recommended": ("recommendation", "strategy"),
    "Caveat": ("caveat", "caveat"),
    "FirstStep": ("first-step", "step"),
    "Decision": ("decision", "decision"),
    "Guidance": ("guidance", "id"),
}
# Concluded facts that belong to a strategy (their ``strategy`` key).
OWNED_FACTS = ("Caveat", "FirstStep")
# Facts made from the case: one per listed item, keyed like the case's list items.
ITEM_FACTS = {kind: section for section, kind in SECTION_FACTS.items()}
FIELD_KEYS = ("path", "value", "band")
WILDCARD = "*"


@dataclass(frozen=True)
class CheckReport:
    """What ``perencana check`` found: counts, problems and scenario results."""

    rules: int
    items: int
    problems: tuple
    scenarios: tuple = ()  # results of the scenarios, each with .name and .mismatches
    scenarios_run: bool = False
    passages: tuple = ()  # one PassageStatus per passage of the range, in order

    def lines(self):
        """The lines shown on success (and the scenario summary in any case)."""
        lines = []
        if not self.problems:
            lines.append(f"ok: {self.rules} rules, {self.items} knowledge items checked")
            if self.passages:
                lines.append(passage_summary(self.passages))
        if self.scenarios_run:
            failed = sum(1 for result in self.scenarios if result.mismatches)
            passed = len(self.scenarios) - failed
            lines.append(f"scenarios: {passed} passed, {failed} failed")
        return lines

    def raise_problems(self):
        """Raise a ``CheckError`` listing every problem, if there is any."""
        if self.problems:
            raise CheckError(self.problems)


def check_knowledge_base(knowledge_dir=None, scenarios_dir=None, run_scenarios=None):
    """Every check on the knowledge in ``knowledge_dir`` (the shipped folder by
    default) and the composed rules; with ``scenarios_dir``, the scenarios too."""
    from perencana.engine.reasoning.rule_catalog import rule_catalog
    from perencana.knowledge.loader import KNOWLEDGE_DIR
    from perencana.rules import RULE_MIXINS

    directory = Path(knowledge_dir) if knowledge_dir else KNOWLEDGE_DIR
    knowledge, problems = load_problems(directory)
    statements, statement_problems = statement_file_problems(directory)
    passages, passage_file_problems = read_passages(directory)
    catalog = rule_catalog()
    problems += statement_problems + passage_file_problems
    problems += run_checks(knowledge, catalog, RULE_MIXINS, statements, passages=passages)
    results, scenarios_run = (), False
    if scenarios_dir is not None:
        results = tuple(scenario_results(scenarios_dir, run_scenarios))
        scenarios_run = True
        problems += scenario_problems(results)
    items = count_items(knowledge) if knowledge is not None else 0
    statuses = ()
    if knowledge is not None and passages is not None and not passage_file_problems:
        statuses = passage_statuses(passages, passage_encodings(knowledge, catalog))
    return CheckReport(len(catalog), items, tuple(problems), results, scenarios_run, statuses)


def run_checks(knowledge, catalog, mixins, statements, specs=None, passages=None):
    """(b)–(j) on the given inputs; ``knowledge`` None (it did not load) skips the
    checks that need it, and ``passages`` None (``passages.yaml``) skips (i)."""
    specs = field_specs() if specs is None else specs
    problems = []
    if knowledge is not None:
        problems += coverage_problems(knowledge, catalog)
        problems += citation_problems(knowledge, catalog)
        problems += reference_problems(knowledge, catalog)
        problems += reachability_problems(catalog, specs, knowledge.thresholds)
        problems += field_label_problems(knowledge.fields, specs)
        problems += case_text_problems(knowledge, catalog, specs)
        problems += reason_problems(knowledge.memo.get("reasons"), catalog)
        problems += plan_text_problems(knowledge, specs)
        if passages is not None:
            last = knowledge.source.get("passages", 0)
            problems += passage_problems(passages, passage_encodings(knowledge, catalog), last)
    problems += mixin_problems(mixins)
    if statements is not None:
        problems += language_problems(catalog, statements)
    return problems


def count_items(knowledge):
    """How many knowledge items the checks cover (those a rule must conclude)."""
    return sum(len(getattr(knowledge, name)) for name in CONCLUDED_ITEMS)


# --------------------------------------------------------------------------- (a)


def load_problems(directory):
    """(a) The knowledge of ``directory`` and, if it does not load, its problems."""
    from perencana.knowledge.loader import read_knowledge

    try:
        return read_knowledge(directory), []
    except KnowledgeError as error:
        return None, list(error.problems)


def statement_file_problems(directory):
    """The Indonesian rule statements of ``directory``, or the problem reading them."""
    try:
        return read_rule_statements(directory), []
    except KnowledgeError as error:
        return None, list(error.problems)


# --------------------------------------------------------------------------- (b)


def concludable(catalog, kind):
    """The ids some rule of ``catalog`` concludes as ``kind`` (``*`` if one concludes
    a bound value). A cause concluded from bound evidence (``cause_present``) stands
    for every cause some rule gives evidence for."""
    targets = {c.target for rule in catalog for c in rule.conclusions if c.kind == kind}
    if kind == "cause" and WILDCARD in targets:
        targets.discard(WILDCARD)
        targets |= concludable(catalog, "evidence")
    return targets


def coverage_problems(knowledge, catalog):
    """(b) Knowledge items that no rule can conclude."""
    problems = []
    for name, kind in CONCLUDED_ITEMS.items():
        targets = concludable(catalog, kind)
        if WILDCARD in targets:
            continue
        for item_id in getattr(knowledge, name):
            if item_id not in targets:
                problems.append(f"{name}.yaml: {item_id}: no rule concludes it ({kind})")
    return problems


# --------------------------------------------------------------------------- (c)


def citation_problems(knowledge, catalog):
    """(c) Rules that cite no ¶, or a ¶ the source does not have."""
    last = knowledge.source.get("passages", 0)
    problems = []
    for rule in catalog:
        if not rule.sources:
            problems.append(f"rule {rule.id}: cites no ¶ of the source")
        problems += [
            f"rule {rule.id}: cites ¶{number}, which is not between 1 and {last}"
            for number in rule.sources
            if not 1 <= number <= last
        ]
    return problems


def reference_problems(knowledge, catalog):
    """(c) Ids that rules conclude or match but the knowledge does not have."""
    problems = []
    for rule in catalog:
        for conclusion in rule.conclusions:
            problems += _conclusion_references(knowledge, rule, conclusion)
        for condition in rule.conditions:
            kind, key = CONCLUDED_FACTS.get(condition.fact, (None, None))
            constraint = condition.get(key) if kind else None
            if constraint is not None:
                problems += _missing(knowledge, rule, TARGET_KINDS[kind], constraint.values)
            strategy = condition.get("strategy") if condition.fact in OWNED_FACTS else None
            if strategy is not None:
                problems += _missing(knowledge, rule, "strategies", strategy.values)
    return problems


def _conclusion_references(knowledge, rule, conclusion):
    kind = TARGET_KINDS.get(conclusion.kind)
    if kind is None:
        return [f"rule {rule.id}: concludes '{conclusion.kind}', a kind of fact unknown here"]
    problems = _missing(knowledge, rule, kind, [conclusion.target])
    problems += _missing(knowledge, rule, "causes", conclusion.cites)
    if conclusion.strategy:
        problems += _missing(knowledge, rule, "strategies", [conclusion.strategy])
        item = getattr(knowledge, kind).get(conclusion.target)
        owner = item.get("strategy") if item else None
        if owner and owner != conclusion.strategy:
            problems.append(
                f"rule {rule.id}: gives {conclusion.target} to strategy "
                f"'{conclusion.strategy}', but {kind}.yaml gives it to '{owner}'"
            )
    return problems


def _missing(knowledge, rule, kind, ids):
    items = getattr(knowledge, kind)
    return [
        f"rule {rule.id}: names {kind} id '{item_id}', which is not in {kind}.yaml"
        for item_id in ids
        if item_id != WILDCARD and item_id not in items
    ]


# --------------------------------------------------------------------------- (d)


def band_names(thresholds):
    """{path: the names of its bands} of ``thresholds.yaml``."""
    return {
        entry["path"]: [band["band"] for band in entry["bands"]]
        for entry in (thresholds or {}).get("bands", [])
    }


def reachability_problems(catalog, specs, thresholds):
    """(d) Conditions that no case can satisfy: a Field path that is not a case field
    the engine makes facts of, an answer the field cannot take, a band that
    ``thresholds.yaml`` does not define, a stakeholder or program value the case cannot
    give, or a concluded fact that no rule concludes."""
    fields = {spec.path: spec for spec in specs}
    bands = band_names(thresholds)
    problems = []
    for rule in catalog:
        for condition in rule.conditions:
            where = f"rule {rule.id}: {condition.fact}"
            if condition.fact == "Field":
                problems += _field_problems(where, condition, fields, bands)
            elif condition.fact in ITEM_FACTS:
                problems += _item_problems(where, condition, fields)
            elif condition.fact in CONCLUDED_FACTS:
                if not condition.negated:
                    problems += _produced_problems(where, condition, catalog)
            else:
                problems.append(f"{where}: no rule or case makes {condition.fact} facts")
        problems += _contradictions(rule, fields)
    return problems


def _field_problems(where, condition, fields, bands):
    problems = [
        f"{where}: has a key '{c.key}', which Field facts do not have"
        for c in condition.constraints
        if c.key not in FIELD_KEYS
    ]
    path_constraint = condition.get("path")
    if path_constraint is None or path_constraint.kind == "any":
        return problems
    for path in path_constraint.values:
        spec = fields.get(path)
        if spec is None:
            problems.append(f"{where}: '{path}' is not a case field")
            continue
        if "[]" in path or spec.kind == "text":
            problems.append(f"{where}: '{path}' is never made a Field fact ({spec.kind} field)")
            continue
        value = condition.get("value")
        if value is not None and value.kind != "any":
            problems += [
                f"{where}: {path} can never be {show(v)} (allowed: {allowed(spec)})"
                for v in value.values
                if not answer_allowed(spec, v)
            ]
        band = condition.get("band")
        if band is not None and band.kind != "any":
            if path not in bands:
                problems.append(f"{where}: {path} has no bands in thresholds.yaml")
                continue
            problems += [
                f"{where}: {path} has no band '{v}' in thresholds.yaml "
                f"(bands: {', '.join(bands[path])})"
                for v in band.values
                if v not in bands[path]
            ]
    return problems


# The knowledge texts that speak of a case, by table: the text key shown, and the kind
# of conclusion that makes the memo show the item.
CASE_TEXTS = {
    "causes": ("summary", "evidence"),
    "caveats": ("text", "caveat"),
    "guidance": ("text", "guidance"),
    "lifecycle": ("text", "lifecycle"),
}


def case_text_problems(knowledge, catalog, specs):
    """(h) Texts true to the case. An item's ``asserts`` and each variant's ``when``
    name case fields and answers they can take (a number by its band); and, over the
    rules, every rule that can make the memo show an item with ``asserts`` either
    requires what its text asserts, or requires the ``when`` of a variant that is
    then shown instead. A variant is shown only when the case holds its ``when``, so
    no text the memo shows can assert what the case contradicts."""
    fields = {spec.path: spec for spec in specs}
    bands = band_names(knowledge.thresholds)
    problems = []
    for table, (key, kind) in CASE_TEXTS.items():
        for item_id, item in getattr(knowledge, table).items():
            where = f"{table}.yaml: {item_id}"
            variants = [v for v in item.get("variants") or () if key in v]
            whens = [("asserts", item["asserts"])] if "asserts" in item else []
            whens += [(f"variant {n}", v["when"]) for n, v in enumerate(variants, start=1)]
            for label, when in whens:
                problems += _when_problems(f"{where}: {label}", when, fields, bands)
            if "asserts" not in item:
                continue
            for rule in _showing_rules(catalog, kind, item_id):
                if _requires(rule, item["asserts"]):
                    continue
                if any(_requires(rule, variant["when"]) for variant in variants):
                    continue
                problems.append(
                    f"{where}: its {key} asserts {_shown(item['asserts'])}, which rule "
                    f"{rule.id} does not require, and no variant shown instead does"
                )
    return problems


# The plan's files whose items (and their leads) show only when the case holds a
# ``when``: view.action_plan reads them, with ``unknown`` an answer like any other.
PLAN_TEXTS = ("plan_steps", "success_signs")


def plan_text_problems(knowledge, specs):
    """(k) Each ``when`` of the action plan's steps, their leads and the signs of
    success names a case field and answers it can take, ``unknown`` included."""
    fields = {spec.path: spec for spec in specs}
    bands = band_names(knowledge.thresholds)
    problems = []
    for table in PLAN_TEXTS:
        for item_id, item in getattr(knowledge, table).items():
            where = f"{table}.yaml: {item_id}"
            whens = [("when", item["when"])] if "when" in item else []
            whens += [
                (f"lead {number}", option["when"])
                for number, option in enumerate(item.get("lead") or (), start=1)
                if isinstance(option, dict) and "when" in option
            ]
            for label, when in whens:
                known = {
                    path: [a for a in answers if a != UNKNOWN] for path, answers in when.items()
                }
                problems += _when_problems(f"{where}: {label}", known, fields, bands)
    return problems


def _when_problems(where, when, fields, bands):
    problems = []
    for path, answers in when.items():
        spec = fields.get(path)
        if spec is None or "[]" in path or spec.kind == "text":
            problems.append(f"{where}: '{path}' is not a case field it can read")
            continue
        for answer in answers:
            fits = answer in bands[path] if path in bands else answer_allowed(spec, answer)
            if not fits:
                choices = ", ".join(bands[path]) if path in bands else allowed(spec)
                problems.append(f"{where}: {path} can never be {show(answer)} ({choices})")
    return problems


def _showing_rules(catalog, kind, item_id):
    """The rules whose conclusion makes the memo show the item. A cause is shown
    when base evidence starts it: rules that need the cause present only raise it."""
    rules = rules_concluding(catalog, kind, item_id)
    if kind != "evidence":
        return rules
    return [
        rule
        for rule in rules
        if not any(c.fact == "Cause" and not c.negated for c in rule.conditions)
    ]


def _requires(rule, when):
    """Whether every case in which ``rule`` fires answers each path of ``when`` with
    one of its answers (a Field condition on the path whose values, or bands, are
    among them)."""
    return all(
        any(
            condition.fact == "Field"
            and not condition.negated
            and condition.field_path == path
            and _within(condition, answers)
            for condition in rule.conditions
        )
        for path, answers in when.items()
    )


def _within(condition, answers):
    for key in ("value", "band"):
        constraint = condition.get(key)
        if constraint is not None and constraint.kind in ("is", "one_of"):
            return set(constraint.values) <= set(answers)
    return False


def _shown(when):
    return "; ".join(
        f"{path} = {', '.join(show(a) for a in answers)}" for path, answers in when.items()
    )


def answer_allowed(spec, value):
    """Whether a Field fact of ``spec`` can carry ``value`` (unknown answers make no
    fact; a list field makes one fact per member)."""
    if spec.kind == "boolean":
        return isinstance(value, bool)
    if spec.kind == "enum":
        return value in spec.choices and value != UNKNOWN
    if spec.kind == "enum-list":
        return value in spec.choices
    if spec.kind == "count":
        return isinstance(value, int) and not isinstance(value, bool) and value >= 0
    return True


def allowed(spec):
    if spec.kind == "boolean":
        return "true, false"
    if spec.kind == "count":
        return "whole numbers"
    return ", ".join(str(choice) for choice in spec.choices if choice != UNKNOWN)


def show(value):
    if isinstance(value, bool):
        return str(value).lower()
    return f"'{value}'"


def item_answers(fields, fact):
    """Key -> the values a Stakeholder or Program fact can carry (None: any value)."""
    from perencana.engine.case.vocabulary import performance

    section = ITEM_FACTS[fact]
    answers = {"index": None}
    for spec in fields.values():
        if spec.place.in_item and spec.section == section:
            answers[spec.name] = spec.answers if spec.kind != "text" else None
    if fact == "Program":
        levels = [fields[f"programs[].{name}"].answers for name in ("effectiveness", "efficiency")]
        results = {performance({"effectiveness": a, "efficiency": b}) for a, b in product(*levels)}
        answers["performance"] = tuple(sorted(results - {UNKNOWN}))
    return answers


def _item_problems(where, condition, fields):
    answers = item_answers(fields, condition.fact)
    problems = []
    for constraint in condition.constraints:
        if constraint.key not in answers:
            problems.append(f"{where}: has a key '{constraint.key}', which the case does not give")
            continue
        possible = answers[constraint.key]
        if constraint.kind == "any" or possible is None:
            continue
        problems += [
            f"{where}: {constraint.key} can never be {show(v)}"
            f" (allowed: {', '.join(show(p) for p in possible)})"
            for v in constraint.values
            if not any(v == p and type(v) is type(p) for p in possible)
        ]
    return problems


def _produced_problems(where, condition, catalog):
    kind, key = CONCLUDED_FACTS[condition.fact]
    targets = concludable(catalog, kind)
    if not targets:
        return [f"{where}: no rule concludes {condition.fact} facts"]
    constraint = condition.get(key)
    problems = []
    if constraint is not None and constraint.kind != "any" and WILDCARD not in targets:
        problems += [
            f"{where}: no rule concludes {condition.fact} '{value}'"
            for value in constraint.values
            if value not in targets
        ]
    strength = condition.get("strength") if condition.fact == "Evidence" else None
    if strength is not None and strength.kind != "any":
        strengths = {c.strength for rule in catalog for c in rule.conclusions if c.kind == kind}
        problems += [
            f"{where}: no rule gives evidence of strength '{value}'"
            for value in strength.values
            if value not in strengths
        ]
    return problems


def _contradictions(rule, fields):
    """Two Field conditions that need one single-valued field to hold two answers."""
    wanted = {}
    problems = []
    for condition in rule.conditions:
        path = condition.field_path
        spec = fields.get(path)
        if condition.negated or spec is None or spec.kind == "enum-list":
            continue
        for key in ("value", "band"):
            constraint = condition.get(key)
            if constraint is None or constraint.kind == "any":
                continue
            before = wanted.get((path, key))
            values = set(constraint.values)
            if before is not None and not before & values:
                problems.append(
                    f"rule {rule.id}: needs {path} to be both "
                    f"{' or '.join(map(show, sorted(before, key=str)))} and "
                    f"{' or '.join(map(show, sorted(values, key=str)))}"
                )
            wanted[(path, key)] = values if before is None else before & values
    return problems


# --------------------------------------------------------------------------- (e)


def mixin_problems(mixins):
    """(e) Names defined by two mixins: experta keeps only one of two same-named rules
    (and Python one of two same-named methods)."""
    owners = {}
    problems = []
    for mixin in mixins:
        for name, member in vars(mixin).items():
            if name.startswith("__") or not _is_rule_or_method(member):
                continue
            if name in owners:
                problems.append(
                    f"rules: '{name}' is defined in both {owners[name]} and "
                    f"{mixin.__name__}; experta keeps only one of them"
                )
            else:
                owners[name] = mixin.__name__
    return problems


def _is_rule_or_method(member):
    return type(member).__name__ == "Rule" or callable(member)


# --------------------------------------------------------------------------- (f)


def language_problems(catalog, statements):
    """(f) Rules without an English statement (docstring) or an Indonesian one; ids
    in rule_statements.yaml that are no rule; statements out of the catalog's order
    or citing other ¶ than the rule."""
    ids = [rule.id for rule in catalog]
    problems = []
    for rule in catalog:
        if not rule.statement.strip():
            problems.append(f"rule {rule.id}: has no docstring (its English statement)")
        text = statements.get(rule.id)
        if not isinstance(text, str) or not text.strip():
            problems.append(f"{STATEMENTS_FILE}: {rule.id}: has no Indonesian statement")
            continue
        cited = {int(number) for number in PASSAGE.findall(text)}
        if cited != set(rule.sources):
            problems.append(
                f"{STATEMENTS_FILE}: {rule.id}: cites {_passages(cited)}, "
                f"but the rule cites {_passages(rule.sources)}"
            )
    problems += [
        f"{STATEMENTS_FILE}: {name}: there is no rule of that name"
        for name in statements
        if name not in ids
    ]
    known = [name for name in statements if name in ids]
    expected = [name for name in ids if name in statements]
    if known != expected:
        first = next(a for a, b in zip(known, expected, strict=True) if a != b)
        problems.append(
            f"{STATEMENTS_FILE}: not in the order of the rule catalog (first out of place: {first})"
        )
    return problems


def _passages(numbers):
    return ", ".join(f"¶{n}" for n in sorted(numbers)) or "no ¶"


# --------------------------------------------------------------------------- (g)

FIELDS_FILE = "fields.yaml"


def field_label_problems(fields, specs):
    """(g) ``fields`` (``knowledge.fields``: path -> entry) held against the case
    fields ``specs``: a field with no entry or no label in a language, an answer
    with no label in a language, and an entry or a value the schema does not have."""
    problems = []
    known = {spec.path for spec in specs}
    for spec in specs:
        where = f"{FIELDS_FILE}: {spec.path}"
        entry = fields.get(spec.path)
        if not isinstance(entry, dict):
            problems.append(f"{where}: the field has no entry (it needs a label)")
            continue
        problems += [
            f"{where}: has no label in '{language}'"
            for language in LANGUAGES
            if not _has_text(entry.get("label"), language)
        ]
        values = entry.get("values") if isinstance(entry.get("values"), dict) else {}
        answers = labelled_answers(spec, values)
        for answer in answers:
            problems += [
                f"{where}: the value {show(answer)} has no label in '{language}'"
                for language in LANGUAGES
                if not _has_text(values.get(answer), language)
            ]
        problems += [
            f"{where}: labels the value {show(value)}, which the field does not take"
            for value in values
            if not any(_same_answer(value, answer) for answer in answers)
        ]
    problems += [
        f"{FIELDS_FILE}: {path}: is not a field of the case schema"
        for path in fields
        if path not in known
    ]
    return problems


def labelled_answers(spec, values):
    """The answers of ``spec`` that need a label: every choice of a closed field and
    ``unknown``; ``true``, ``false`` and ``unknown`` of a true-or-false field when its
    entry labels values at all (texts and numbers are shown as they are)."""
    if spec.kind in ("enum", "enum-list"):
        return (*spec.choices, *(() if UNKNOWN in spec.choices else (UNKNOWN,)))
    if spec.kind == "boolean" and values:
        return (True, False, UNKNOWN)
    return ()


def _same_answer(value, answer):
    return value == answer and isinstance(value, bool) == isinstance(answer, bool)


def _has_text(text, language):
    return isinstance(text, dict) and isinstance(text.get(language), str) and text[language].strip()


# --------------------------------------------------------------------------- (i)

PASSAGES_FILE = "passages.yaml"


@dataclass(frozen=True)
class PassageStatus:
    """One passage of the range: what encodes it (rules, knowledge items) or, if
    nothing does, why it is deliberately not encoded."""

    number: int
    encoded_by: tuple = ()
    why: str = ""

    def line(self):
        if self.encoded_by:
            return f"¶{self.number}: encoded by {', '.join(self.encoded_by)}"
        return f"¶{self.number}: not encoded: {' '.join(self.why.split())}"


def read_passages(directory):
    """``passages.yaml`` of ``directory`` (None if it cannot be read) and the problems
    reading it."""
    from perencana.knowledge.loader import _read

    try:
        data = _read(directory, PASSAGES_FILE.removesuffix(".yaml"))
    except KnowledgeError as error:
        return None, list(error.problems)
    if not isinstance(data, dict):
        return None, [f"{PASSAGES_FILE}: must be a mapping with range and not_encoded"]
    return data, []


def passage_encodings(knowledge, catalog):
    """{¶: what encodes it}, read from the data: each rule whose docstring cites the
    passage, each knowledge item whose ``sources`` name it, and each entry of
    ``thresholds.yaml`` that cites it."""
    from perencana.knowledge.loader import ITEM_FILES

    found = {}
    for rule in catalog:
        for number in rule.sources:
            found.setdefault(number, []).append(f"rule {rule.id}")
    for name in ITEM_FILES:
        for item_id, item in getattr(knowledge, name).items():
            for number in item.get("sources") or ():
                found.setdefault(number, []).append(f"{name}.yaml: {item_id}")
    for where, numbers in _cited_in(knowledge.thresholds):
        for number in numbers:
            found.setdefault(number, []).append(where)
    return {number: tuple(dict.fromkeys(names)) for number, names in found.items()}


def _cited_in(node, where=""):
    """(where, ¶ numbers) for every ``sources`` (or ``..._sources``) list in the
    thresholds ``node``; ``where`` names the entry (``ranking.emphasis``, ``bands
    organization.age_years``)."""
    if isinstance(node, dict):
        if isinstance(node.get("path"), str):
            where = f"{where} {node['path']}"
        for key, value in node.items():
            if key == "sources" or str(key).endswith("_sources"):
                if isinstance(value, list):
                    yield f"thresholds.yaml: {where}", [n for n in value if isinstance(n, int)]
            else:
                yield from _cited_in(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for entry in node:
            yield from _cited_in(entry, where)


def passage_range(passages):
    """The first and last passage ``passages.yaml`` accounts for (None if malformed)."""
    span = passages.get("range")
    if (
        isinstance(span, list)
        and len(span) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in span)
        and span[0] <= span[1]
    ):
        return span[0], span[1]
    return None


def passage_problems(passages, encodings, last):
    """(i) Passages of the range neither encoded nor listed as not encoded (with a
    why); passages listed as not encoded that something cites; a malformed file."""
    span = passage_range(passages)
    if span is None or not 1 <= span[0] <= span[1] <= last:
        return [f"{PASSAGES_FILE}: range must be [first, last] passages between 1 and {last}"]
    listed = passages.get("not_encoded") or {}
    if not isinstance(listed, dict):
        return [f"{PASSAGES_FILE}: not_encoded must map ¶ numbers to why each is not encoded"]
    first, final = span
    problems = []
    for number, why in listed.items():
        where = f"{PASSAGES_FILE}: ¶{number}"
        if not isinstance(number, int) or not first <= number <= final:
            problems.append(f"{where}: is not a passage of the range ¶{first}-¶{final}")
        elif number in encodings:
            problems.append(f"{where}: listed as not encoded, but {encodings[number][0]} cites it")
        if not isinstance(why, str) or not why.strip():
            problems.append(f"{where}: says not why it is not encoded")
    problems += [
        f"{PASSAGES_FILE}: ¶{number}: neither encoded (no rule or knowledge item cites "
        "it) nor listed as deliberately not encoded, with why"
        for number in range(first, final + 1)
        if number not in encodings and number not in listed
    ]
    return problems


def passage_statuses(passages, encodings):
    """One ``PassageStatus`` per passage of the range, in order."""
    span = passage_range(passages)
    if span is None:
        return ()
    listed = passages.get("not_encoded") or {}
    listed = listed if isinstance(listed, dict) else {}
    return tuple(
        PassageStatus(number, encodings.get(number, ()), str(listed.get(number) or ""))
        for number in range(span[0], span[1] + 1)
    )


def passage_summary(statuses):
    """One line: how many passages of the range are encoded, how many not."""
    encoded = sum(1 for status in statuses if status.encoded_by)
    first, final = statuses[0].number, statuses[-1].number
    return (
        f"passages ¶{first}–¶{final}: {encoded} encoded, {len(statuses) - encoded} "
        "deliberately not encoded (perencana check --passages lists them)"
    )


# --------------------------------------------------------------------------- scenarios


def scenario_results(directory, run_scenarios=None):
    """The results of ``perencana.engine.teaching.scenarios.run_scenarios`` on ``directory``."""
    if run_scenarios is None:
        from perencana.engine.teaching.scenarios import run_scenarios
    return run_scenarios(directory)


def scenario_problems(results):
    """One problem per mismatch of each scenario."""
    return [
        f"scenario {result.name}: {mismatch}"
        for result in results
        for mismatch in result.mismatches
    ]
