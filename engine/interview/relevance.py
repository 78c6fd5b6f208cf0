"""Which questions of the interview can still change the advice, read from the rules.

Nothing here lists questions by hand: the rules' conditions come from
``reasoning.rule_catalog`` and the answers so far decide, by a *possibility fixpoint*,
which rules MAY still fire:

- a rule MAY fire when each of its conditions may hold;
- a ``Field`` condition may hold when its field is still open (not asked yet) or its
  answer is among the condition's values; a field answered ``unknown`` gives no fact,
  so it can match nothing; numbers are compared by their band
  (``knowledge/thresholds.yaml``, ``perencana.engine.reasoning.case_facts.band_for``); a list answer
  (triggers) may hold when one of its members does;
- a ``Stakeholder`` or ``Program`` condition may hold while its list is not asked yet
  or may still grow, or when one of the items listed may match (an item's open
  answers may be anything; a program's ``performance`` is worked out from what its
  effectiveness and efficiency may still be);
- a ``Lifecycle``, ``Evidence``, ``Cause`` or ``Recommended`` condition may hold when
  some rule that MAY fire concludes it; a rule that concludes a value it bound
  (``cause_present`` concludes the cause of its evidence) may conclude any value its
  conditions on concluded facts may bind. This repeats until nothing changes;
- a negated condition may always hold (conservative).

A question about field F can change the advice only if a rule that MAY fire has a
condition on F; the others are skipped. An item of a list is matched as a whole (its
whole description becomes the evidence of the rule that matched it), so each answer
of an item that such a rule may match is asked, except an answer that only feeds a
derived key (a program's performance) once the other answers fix that key.

Some questions are asked whatever the rules need: the required fields (the case needs
them) and the fields the memo shows about the organization and the change (its text
fields, such as sector and mission, and its type), which no rule reads.

Possibility only shrinks as answers come in, so a question skipped once stays
irrelevant: no later answer can make it matter again.
"""

import itertools
from dataclasses import dataclass, field
from functools import lru_cache

from perencana.engine.case.schema import spec_for
from perencana.engine.case.vocabulary import LIST_SECTIONS, UNKNOWN, CasePath, performance
from perencana.engine.reasoning.advice_builder import cause_strength
from perencana.engine.reasoning.case_facts import DERIVED_FROM, band_for
from perencana.engine.reasoning.rule_catalog import ITEM_SECTIONS, rule_catalog

MISSING = object()  # a question not answered yet
ANY = "*"  # "any value" among the possible conclusions

# Facts the rules conclude and other rules match: class -> (conclusion kind, its key).
CONCLUDED_FACTS = {
    "Lifecycle": ("lifecycle", "stage"),
    "Evidence": ("evidence", "cause"),
    "Cause": ("cause", "id"),
    "Recommended": ("recommendation", "strategy"),
}
# How a derived item key is worked out from the item's answers (reasoning.case_facts).
DERIVERS = {"programs[].performance": performance}
# Fields no rule reads that the memo shows about the organization (besides the text
# fields and the required ones): see ``perencana.engine.view.memo._organization``.
SHOWN_IN_MEMO = ("organization.type",)


def asked_regardless(spec):
    """Why a field is asked whatever the rules need: ``required``, ``shown`` or ``""``."""
    if spec.required:
        return "required"
    if spec.kind == "text" or spec.path in SHOWN_IN_MEMO:
        return "shown"
    return ""


def lookup(answers, path):
    """The answer at a concrete ``path`` (``funding.allocation``, ``programs[1].viable``
    or a whole list ``programs``) in a partial case, or ``MISSING``."""
    return CasePath.parse(path).get(answers, MISSING)


def _same(value, options):
    """``value`` is among ``options`` (``True`` is not ``1``)."""
    return any(value == option and type(value) is type(option) for option in options)


def _open_values(generic):
    """Every value an unanswered item field may take, ``unknown`` included."""
    spec = spec_for(generic)
    if spec.kind in ("boolean", "enum"):
        return (*spec.answers, UNKNOWN)
    return (ANY,)


def _node(conclusion, target=None):
    """A conclusion as ``reach`` follows it: ``(kind, target, strength)``; for a
    recommendation the strength is what it answers: ``cause`` when it cites a cause,
    else ``fact`` (its score in the ranking depends on it)."""
    strength = conclusion.strength
    if conclusion.kind == "recommendation":
        strength = "cause" if conclusion.cites else "fact"
    return (conclusion.kind, conclusion.target if target is None else target, strength)


def _level(strengths, levels, settings):
    """The level a cause's evidence of these strengths gives it (before the life
    cycle's adjustment, which moves every level alike)."""
    evidence = [{"strength": strength} for strength in strengths]
    return levels.index(cause_strength(evidence, levels, settings.get("max_raise", 1)))


@lru_cache(maxsize=1)
def _derived_sources():
    """item field -> the derived key it feeds (``programs[].efficiency`` ->
    ``programs[].performance``)."""
    return {source: derived for derived, sources in DERIVED_FROM.items() for source in sources}


@dataclass
class Relevance:
    """The rules that MAY still fire given ``answers`` (a partial case: only what is
    answered; lists as lists of partial items) and ``closed`` (the list sections to
    which no item will be added)."""

    answers: dict
    closed: frozenset = frozenset()
    thresholds: dict = None
    catalog: tuple = None
    bar: int = 0  # the score a strategy needs to enter the first ones (0: any may)
    may_fire: tuple = field(init=False)
    possible: dict = field(init=False)
    certain: frozenset = field(init=False)

    def __post_init__(self):
        if self.thresholds is None:
            from perencana.knowledge import load_knowledge

            self.thresholds = load_knowledge().thresholds
        if self.catalog is None:
            self.catalog = rule_catalog()
        self.closed = frozenset(self.closed)
        self._bands = {entry["path"]: entry["bands"] for entry in self.thresholds["bands"]}
        self.may_fire, self.possible = self._fixpoint()
        self.certain = self._certain_fixpoint()
        self._certain_pairs = frozenset((kind, target) for kind, target, _ in self.certain)

    # ------------------------------------------------------------------ the fixpoint

    def _fixpoint(self):
        fired, possible = self._saturate(self._may_hold)
        # In the catalog's order (ids are unique: no rule compared field by field).
        return tuple(rule for rule in self.catalog if rule.id in fired), possible

    def _certain_fixpoint(self):
        """The conclusions the answers so far already give, whatever the open answers:
        ``{(kind, target, strength)}`` of the rules whose conditions all hold already (a
        negated condition on a concluded fact counts as holding: ``cause_present``
        concludes the cause, or it is there already)."""
        certain = set()

        def record(conclusion, targets):
            certain.update((conclusion.kind, target, conclusion.strength) for target in targets)

        self._saturate(self._holds, record)
        return frozenset(certain)

    def _saturate(self, holds, record=None):
        """Fire the catalog's rules whose conditions all ``holds(condition, found)``,
        round after round until none is left to fire: the ids of those that fired and
        ``found``, the concluded facts by kind. ``record(conclusion, targets)`` is told
        each conclusion as its rule fires."""
        found = {kind: set() for kind, _ in CONCLUDED_FACTS.values()}
        fired = set()
        changed = True
        while changed:
            changed = False
            for rule in self.catalog:
                if rule.id in fired:
                    continue
                if all(holds(condition, found) for condition in rule.conditions):
                    fired.add(rule.id)
                    changed = True
                    for conclusion in rule.conclusions:
                        targets = self._targets(rule, conclusion, found)
                        found.setdefault(conclusion.kind, set()).update(targets)
                        if record is not None:
                            record(conclusion, targets)
        return fired, found

    def _holds(self, condition, found):
        """Whether ``condition`` holds whatever the open answers (see ``certain``)."""
        if condition.negated:
            return condition.fact in CONCLUDED_FACTS
        if condition.fact == "Field":
            value = lookup(self.answers, condition.field_path)
            if value is MISSING or value == UNKNOWN:
                return False
            return self._field_may_hold(condition)
        if condition.fact in ITEM_SECTIONS:
            items = self.answers.get(ITEM_SECTIONS[condition.fact], MISSING)
            if not isinstance(items, list):
                return False
            section = ITEM_SECTIONS[condition.fact]
            return any(self._item_matches(condition, section, item) for item in items)
        if condition.fact in CONCLUDED_FACTS:
            kind, key = CONCLUDED_FACTS[condition.fact]
            constraint = condition.get(key)
            values = found.get(kind, set()) - {ANY}
            if constraint is None or constraint.kind == "any":
                return bool(values)
            return any(value in values for value in constraint.values)
        return False

    def _item_matches(self, condition, section, item):
        for constraint in condition.constraints:
            if constraint.kind == "any":
                continue
            values = self._item_values(section, item, constraint.key)
            if len(values) != 1 or not _same(next(iter(values)), constraint.values):
                return False
        return True

    @staticmethod
    def _targets(rule, conclusion, possible):
        if conclusion.target != ANY:
            return {conclusion.target}
        bound = set()
        for condition in rule.conditions:
            if condition.negated or condition.fact not in CONCLUDED_FACTS:
                continue
            kind, key = CONCLUDED_FACTS[condition.fact]
            constraint = condition.get(key)
            if constraint is not None and constraint.kind == "any":
                bound |= possible.get(kind, set())
        return bound or {ANY}

    def _may_hold(self, condition, possible):
        if condition.negated:
            return True
        if condition.fact == "Field":
            return self._field_may_hold(condition)
        if condition.fact in ITEM_SECTIONS:
            return self._list_may_hold(condition)
        if condition.fact in CONCLUDED_FACTS:
            kind, key = CONCLUDED_FACTS[condition.fact]
            found = possible.get(kind, set())
            constraint = condition.get(key)
            if constraint is None or constraint.kind == "any" or ANY in found:
                return bool(found)
            return any(value in found for value in constraint.values)
        return True  # a fact the analysis does not know: assume it may hold

    def _field_may_hold(self, condition):
        path = condition.field_path
        value = lookup(self.answers, path)
        if value is MISSING:
            return True
        if value == UNKNOWN:
            return False
        members = value if isinstance(value, list) else [value]
        others = [c for c in condition.constraints if c.key != "path"]
        return any(all(self._allows(c, path, m) for c in others) for m in members)

    def _allows(self, constraint, path, member):
        if constraint.kind == "any":
            return True
        if constraint.key == "value":
            return _same(member, constraint.values)
        if constraint.key == "band":
            bands = self._bands.get(path)
            return bands is None or band_for(member, bands) in constraint.values
        return True

    def _list_may_hold(self, condition):
        section = ITEM_SECTIONS[condition.fact]
        items = self.answers.get(section, MISSING)
        if items is MISSING:
            return True
        if items == UNKNOWN:
            return False
        if section not in self.closed:
            return True  # an item yet to be added may be anything
        return any(self._item_may_match(condition, section, item) for item in items)

    def _item_may_match(self, condition, section, item):
        for constraint in condition.constraints:
            if constraint.kind == "any":
                continue
            values = self._item_values(section, item, constraint.key)
            if ANY not in values and not any(_same(v, constraint.values) for v in values):
                return False
        return True

    def _item_values(self, section, item, key):
        """Every value key ``key`` of an item's fact may still take."""
        generic = f"{section}[].{key}"
        derive = DERIVERS.get(generic)
        if derive is not None:
            names = [path.rpartition(".")[2] for path in DERIVED_FROM[generic]]
            choices = [self._item_values(section, item, name) for name in names]
            return {
                derive(dict(zip(names, combo, strict=True)))
                for combo in itertools.product(*choices)
            }
        if key in item:
            return {item[key]} if not isinstance(item[key], list) else {ANY}
        try:
            return set(_open_values(generic))
        except KeyError:
            return {ANY}

    # ------------------------------------------------------------------- questions

    def waiting_for(self, path):
        """The rules that MAY fire and wait for the answer at concrete ``path``: a field
        (``change.pace``), an item's field (``programs[1].efficiency``) or a list
        (``stakeholders``: whether it has items at all)."""
        if path in LIST_SECTIONS:
            facts = {fact for fact, section in ITEM_SECTIONS.items() if section == path}
            return tuple(r for r in self.may_fire if any(c.fact in facts for c in r.conditions))
        if CasePath.parse(path).in_item:
            return self._waiting_for_item(path)
        return self._waiting_by_path().get(path, ())

    def _waiting_by_path(self):
        """field path -> the rules of ``may_fire`` with a condition on it, in their
        order: worked out once, as the interview asks it of many paths per answer."""
        if "_by_path" not in self.__dict__:
            by_path = {}
            for rule in self.may_fire:
                for path in dict.fromkeys(c.field_path for c in rule.conditions):
                    if path is not None:
                        by_path.setdefault(path, []).append(rule)
            self.__dict__["_by_path"] = {path: tuple(rules) for path, rules in by_path.items()}
        return self.__dict__["_by_path"]

    def _waiting_for_item(self, path):
        place = CasePath.parse(path)
        section, name = place.section, place.name
        item = CasePath.item(section, place.index).get(self.answers, {})
        derived = _derived_sources().get(place.generic)
        if derived is not None and not self._changes_derived(section, item, name, derived):
            return ()
        facts = {fact for fact, owner in ITEM_SECTIONS.items() if owner == section}
        return tuple(
            rule
            for rule in self.may_fire
            if any(
                condition.fact in facts
                and (condition.negated or self._item_may_match(condition, section, item))
                for condition in rule.conditions
            )
        )

    def _changes_derived(self, section, item, name, derived):
        """Whether some answer to ``name`` gives the item another derived value than
        another answer would, for some answers to the item's other open fields."""
        names = [path.rpartition(".")[2] for path in DERIVED_FROM[derived]]
        others = [n for n in names if n != name]
        other_choices = [
            [item[n]] if n in item else _open_values(f"{section}[].{n}") for n in others
        ]
        derive = DERIVERS[derived]
        for combo in itertools.product(*other_choices):
            base = dict(zip(others, combo, strict=True))
            results = {
                derive({**base, name: value}) for value in _open_values(f"{section}[].{name}")
            }
            if len(results) > 1:
                return True
        return False

    # ------------------------------------------------------------------- decisiveness

    def reach(self, rules):
        """The conclusions ``rules`` and the rules that MAY fire after them can still
        add: ``{(kind, target, strength)}``, following each concluded fact to the
        rules that match it (a rule concluding the value it bound, ``cause_present``,
        passes on the value it was reached by). A conclusion the answers so far already
        give (``certain``) adds nothing and is not followed: what it leads to is there
        already or waits for other answers; evidence that would make a cause present
        already stronger is kept (``strengthens``), not followed either."""
        found = set()
        queue = [_node(c) for rule in rules for c in rule.conclusions]
        while queue:
            node = queue.pop()
            if node in found or not self.moves(*node):
                continue
            found.add(node)
            kind, target, _ = node
            if kind == "evidence" and self.present(target):
                continue
            for rule in self._readers().get(kind, ()):
                binds = self._reads(rule, kind, target)
                if binds is None:
                    continue
                for conclusion in rule.conclusions:
                    reached = conclusion.target
                    if reached == ANY and binds:
                        reached = target
                    queue.append(_node(conclusion, reached))
        return found

    def _per_further(self, strategy):
        emphasis = self.thresholds.get("ranking", {}).get("emphasis", {}).get(strategy, {})
        return bool(emphasis.get("per_further_loser"))

    def present(self, cause):
        """Whether the answers so far already give ``cause``."""
        return ("cause", cause) in self._certain_pairs

    def moves(self, kind, target, strength):
        """Whether concluding ``(kind, target, strength)`` would add to what the answers
        so far already give: a new conclusion, or evidence stronger than the cause's
        evidence so far (a supporting ``raise`` when none is there yet)."""
        if target == ANY:
            return True
        if kind == "recommendation" and self._per_further(target):
            return True  # each further item that recommends it moves it up the ranking
        if kind != "evidence":
            return (kind, target) not in self._certain_pairs
        given = [s for k, t, s in self.certain if k == kind and t == target]
        if not given:
            return True
        settings = self.thresholds.get("strength", {})
        levels = settings.get("levels", [])
        if strength != "raise" and strength not in levels:
            return True
        return _level([*given, strength], levels, settings) > _level(given, levels, settings)

    def _readers(self):
        """conclusion kind -> the rules that MAY fire with a condition on it."""
        if not hasattr(self, "_readers_cache"):
            readers = {}
            for rule in self.may_fire:
                for condition in rule.conditions:
                    if condition.negated or condition.fact not in CONCLUDED_FACTS:
                        continue
                    kind = CONCLUDED_FACTS[condition.fact][0]
                    if rule not in readers.setdefault(kind, []):
                        readers[kind].append(rule)
            self._readers_cache = readers
        return self._readers_cache

    @staticmethod
    def _reads(rule, kind, target):
        """Whether ``rule`` matches a concluded ``kind`` fact about ``target``:
        ``None`` when it does not, ``True`` when it binds the value, else ``False``."""
        for condition in rule.conditions:
            if condition.negated or condition.fact not in CONCLUDED_FACTS:
                continue
            fact_kind, key = CONCLUDED_FACTS[condition.fact]
            if fact_kind != kind:
                continue
            constraint = condition.get(key)
            if constraint is None or constraint.kind == "any":
                return True
            if target == ANY or target in constraint.values:
                return False
        return None

    def weight(self, path):
        """How much the answer at ``path`` can still change the advice: the weight
        (``thresholds.yaml``, ``interview_order``) of every conclusion it can still
        add through the rules waiting for it and the rules after them, each once
        (evidence by its strength; evidence that would make a cause present already
        stronger by ``strengthen_weight``, as it moves the ranks; a recommendation the
        ranking keeps among the first weighs more), plus, for each rule waiting for
        it, what it concludes itself (more rules, more ways the answer changes the
        advice); 0 when no rule waits for it. What the answers so far already conclude
        adds nothing (``moves``)."""
        settings = self.thresholds.get("interview_order", {})
        kinds = settings.get("kind_weight", {})
        evidence = settings.get("evidence_weight", {})
        waiting = self.waiting_for(path)
        direct = settings.get("direct_weight", {})
        total = sum(
            direct.get(c.kind, 0)
            for rule in waiting
            for c in rule.conclusions
            if self.moves(c.kind, c.target, c.strength)
        )
        for kind, target, strength in self.reach(waiting):
            if kind == "evidence":
                total += evidence.get(strength, 1)
                if self.present(target):
                    total += settings.get("strengthen_weight", 0)
            else:
                total += kinds.get(kind, 1)
                if kind == "recommendation" and self.may_lead(target, strength):
                    total += settings.get("placed_weight", 0)
        return total

    def may_lead(self, strategy, answers):
        """Whether a recommendation of ``strategy`` that answers ``answers`` (``cause``
        or ``fact``, see ``_node``) may enter the strategies to start with: the ranking
        places it there (``ranking.min_place``), or its best possible score (a strong
        cause, or a fact; plus the source's emphasis) reaches ``bar``."""
        ranking = self.thresholds.get("ranking", {})
        place = ranking.get("min_place", {}).get(strategy)
        if place is not None and place <= ranking.get("start_with", 3):
            return True
        weights = ranking.get("cause_weight", {})
        best = max(weights.values(), default=0) if answers == "cause" else ranking.get("fact", 0)
        best += (ranking.get("emphasis") or {}).get(strategy, {}).get("bonus", 0)
        return best >= self.bar

    def headline_moves(self, path):
        """How many ways the answer at ``path`` can still change the headline of the
        advice: each cause it may add or make stronger, and each strategy it may bring
        among the first ones (``may_lead``); 0 when it can only add guidance, caveats,
        first steps or program decisions."""
        moves = set()
        for kind, target, strength in self.reach(self.waiting_for(path)):
            if kind == "evidence" or kind == "cause":
                moves.add(("cause", target))
            elif kind == "recommendation" and self.may_lead(target, strength):
                moves.add((kind, target))
        return len(moves)

    def is_relevant(self, path):
        """Whether the interview asks the question at ``path`` (see the module text)."""
        if path not in LIST_SECTIONS and asked_regardless(spec_for(path)):
            return True
        return bool(self.waiting_for(path))


def relevance(answers, closed=(), thresholds=None):
    """The ``Relevance`` of a partial case (see ``Relevance``)."""
    return Relevance(answers=answers, closed=frozenset(closed), thresholds=thresholds)
