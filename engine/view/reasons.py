"""Reasons as sentences: why a cause, a strategy, a program decision or an item of
guidance holds, said the way a consultant would say it, in the case's own names.

Each rule that gives a reason has a sentence template in ``knowledge/reasons.yaml``
(``reasons``, in English and Indonesian). The template is filled from the facts the
rule matched when it fired (the run's trace records them as ``FactRef``s): a field
by the last part of its case path, ``stakeholder``, ``program``, ``stage``, ``cause``
and ``strength``, and ``organization``. A rule that fired more than once for the
same finding (two stakeholders who lose) is said once, its values joined. The
engine's facts are only read here, never worded back into facts: the sentence is
made at the edge, like every other line of ``view.words``.

``perencana check`` holds the templates against the rule catalog with
``reason_problems``: every rule that can give a reason has a sentence in each
language, and every placeholder is one the rule's conditions provide.
"""

import re
from functools import lru_cache
from string import Formatter

from perencana.engine.case.vocabulary import LANGUAGES, UNKNOWN
from perencana.engine.reasoning.rule_ids import PASSAGE, rule_order
from perencana.engine.view.words import join_texts

# Conclusions that carry a reason, and the finding each one is a reason for.
REASON_KINDS = ("evidence", "recommendation", "decision", "guidance")
# What a matched fact provides to a template, by its class (rule catalog) or the kind
# of its reference (trace); a Field provides the last part of its path.
FACT_PLACEHOLDERS = {
    "Stakeholder": ("stakeholder",),
    "Program": ("program",),
    "Lifecycle": ("stage",),
    "Cause": ("cause", "strength"),
}
ALWAYS = ("organization",)


def finding_key(ref):
    """The finding a concluded fact reference gives a reason for, or None: a cause
    (``("cause", id)``), a strategy, a program (by its index) or guidance."""
    if ref.kind == "evidence":
        return ("cause", ref.value)
    if ref.kind == "recommendation":
        return ("strategy", ref.value)
    if ref.kind == "decision":
        return ("program", ref.index)
    if ref.kind == "guidance":
        return ("guidance", ref.value)
    return None


def field_placeholder(path):
    """The placeholder of a field: the last part of its case path."""
    return path.rsplit(".", 1)[-1]


def placeholders(text):
    """The names a ``str.format`` template uses."""
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def gives_reason(rule):
    """Whether a rule of the catalog gives a reason: it concludes evidence, a
    recommendation, a decision or guidance from some fact of the case."""
    concludes = any(c.kind in REASON_KINDS for c in rule.conclusions)
    return concludes and any(not c.negated for c in rule.conditions)


def provided(rule):
    """The placeholders the conditions of a rule of the catalog provide."""
    names = set(ALWAYS)
    for condition in rule.conditions:
        if condition.negated:
            continue
        if condition.fact == "Field" and condition.field_path:
            names.add(field_placeholder(condition.field_path))
        names.update(FACT_PLACEHOLDERS.get(condition.fact, ()))
    return names


def reason_problems(reasons, catalog):
    """``reasons`` (the ``reasons`` group of ``knowledge/reasons.yaml``, untranslated)
    held against the rule catalog: each rule that gives a reason has a sentence in
    each language; each placeholder is one its conditions provide, each word given
    for an answer is for a placeholder it provides; each ¶ a sentence cites is one
    its rule cites; no sentence is for a rule that is not there or gives no reason."""
    where = "reasons.yaml"
    reasons = reasons if isinstance(reasons, dict) else {}
    rules = {rule.id: rule for rule in catalog}
    problems = []
    for rule in catalog:
        if not gives_reason(rule):
            continue
        entry = reasons.get(rule.id)
        if not isinstance(entry, dict):
            problems.append(f"{where}: {rule.id}: gives a reason but has no sentence")
            continue
        offered = provided(rule)
        for language in LANGUAGES:
            text = entry.get(language)
            if not isinstance(text, str) or not text.strip():
                problems.append(f"{where}: {rule.id}: has no sentence in '{language}'")
                continue
            try:
                used = placeholders(text)
            except ValueError as error:
                problems.append(f"{where}: {rule.id}: '{language}' is not a template ({error})")
                continue
            for name in sorted(used - offered):
                problems.append(
                    f"{where}: {rule.id}: '{language}' uses {{{name}}}, which the rule's"
                    f" facts do not provide ({', '.join(sorted(offered))})"
                )
            cited = {int(n) for n in PASSAGE.findall(text)}
            for number in sorted(cited - set(rule.sources)):
                problems.append(
                    f"{where}: {rule.id}: '{language}' cites ¶{number}, which the rule does not"
                )
        for name in sorted(set(entry.get("words") or {}) - offered):
            problems.append(f"{where}: {rule.id}: words for {{{name}}}, which the rule lacks")
    for rule_id in reasons:
        if rule_id not in rules:
            problems.append(f"{where}: {rule_id}: is no rule")
        elif not gives_reason(rules[rule_id]):
            problems.append(f"{where}: {rule_id}: gives no reason, so it needs no sentence")
    return problems


class ReasonWriter:
    """The reasons of one advice as sentences in one language.

    ``reader`` is the ``view.words.FactReader`` of the same advice and language; it
    lends labels, names and titles. ``sentences(key)`` gives the reasons of a finding
    (``finding_key``) as ``{"text", "ref"}`` lines, ``ref`` the case paths the
    sentence rests on; None when the run recorded no reason for it.
    """

    def __init__(self, advice, knowledge, reader):
        self.reader = reader
        self.lang = reader.lang
        self.organization = advice.organization
        self.texts = reader.labels.get("reasons") or {}
        self.joins = reader.labels.get("reason_joins") or {}
        written = knowledge.memo.get("reasons") or {}
        self.words = {
            rule: (entry.get("words") or {}) if isinstance(entry, dict) else {}
            for rule, entry in written.items()
        }
        self.strengths = {cause.id: cause.strength for cause in advice.causes}
        self.order = rule_order()
        # finding -> rule -> the matched facts of each firing, in firing order
        self.firings = {}
        for step in advice.trace:
            if not step.facts:
                continue  # a rule that holds for every case gives no reason
            for ref in step.concluded:
                key = finding_key(ref)
                if key is not None:
                    by_rule = self.firings.setdefault(key, {})
                    firings = by_rule.setdefault(step.rule, [])
                    if step.facts not in firings:
                        firings.append(step.facts)

    def sentences(self, key):
        by_rule = self.firings.get(key)
        if not by_rule:
            return None
        rules = sorted(by_rule, key=lambda rule: self.order.get(rule, len(self.order)))
        return [self._sentence(rule, by_rule[rule]) for rule in rules]

    def _sentence(self, rule, firings):
        values, refs = {}, []
        for facts in firings:
            for ref in facts:
                for name, value in self._values(rule, ref):
                    values.setdefault(name, [])
                    if value not in values[name]:
                        values[name].append(value)
                if ref.path and ref.kind in ("field", "stakeholder", "program"):
                    refs.append(ref.path)
        filled = {name: self._joined(found) for name, found in values.items()}
        filled.setdefault("organization", str(self.organization))
        ref = ", ".join(dict.fromkeys(refs))
        template = self.texts.get(rule)
        if isinstance(template, str):
            try:
                text = _one_line(template.format_map(filled))
            except (KeyError, IndexError, ValueError):
                pass  # a broken template (``perencana check`` says so): the facts
            else:
                # ``cites``: the passages the sentence names, as its knowledge text
                # gives them, for a view that must not name them twice.
                cites = list(_cited(template))
                return {"text": text, "ref": ref, "cites": cites}
        facts = [r for facts in firings for r in facts if r.kind != "cause"]
        text = join_texts(self.reader.line(r)["text"] for r in dict.fromkeys(facts))
        return {"text": text, "ref": ref}

    def _values(self, rule, ref):
        reader = self.reader
        if ref.kind == "field":
            name = field_placeholder(ref.path)
            return [(name, self._answer(rule, name, ref.path, ref.value))]
        if ref.kind == "stakeholder":
            name = reader.item_name("stakeholders", ref.index, ref.name)
            return [("stakeholder", self._quoted(name))]
        if ref.kind == "program":
            return [("program", self._quoted(reader.item_name("programs", ref.index, ref.name)))]
        if ref.kind == "lifecycle":
            return [("stage", reader.title("lifecycle", ref.value))]
        if ref.kind == "cause":
            strength = self.strengths.get(ref.value)
            found = [("cause", reader.title("causes", ref.value))]
            if strength is not None:
                found.append(("strength", reader.strength(strength)))
            return found
        return []

    def _answer(self, rule, name, path, value):
        word = ((self.words.get(rule) or {}).get(name) or {}).get(str(value))
        if word is not None:
            return _in_language(word, self.lang)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        label = self.reader.value_label(path, value) if value != UNKNOWN else str(value)
        return _lowered(label)

    def _quoted(self, name):
        return self.joins.get("quoted", "“{name}”").format(name=name)

    def _joined(self, found):
        if len(found) == 1:
            return found[0]
        if len(found) == 2:
            return found[0] + self.joins.get("last", " and ") + found[1]
        comma, last = self.joins.get("comma", ", "), self.joins.get("serial", " and ")
        return comma.join(found[:-1]) + last + found[-1]


@lru_cache(maxsize=1024)
def _cited(template):
    """The passages a reason's text names, in order, once each (the same few dozen
    texts in every memo)."""
    return tuple(dict.fromkeys(int(n) for n in PASSAGE.findall(template)))


def _in_language(text, lang):
    if isinstance(text, dict):
        return str(text.get(lang) or text.get("en") or "")
    return str(text)


def _lowered(label):
    """A label as it reads inside a sentence: first letter in lower case, unless the
    label starts with an abbreviation (``NGO``)."""
    if len(label) > 1 and label[1].isupper():
        return label
    return label[:1].lower() + label[1:]


_SPACES = re.compile(r"[ \t]+")


def _one_line(text):
    return _SPACES.sub(" ", text).strip()
