"""The inference engine: the rule mixins composed into one experta engine, with a trace.

Build one ``AdvisoryEngine`` and reuse it: ``infer`` resets it, declares all the
case's facts at once and runs it. Every activation is recorded, in firing order,
with the facts that matched it and what it concluded (``reasoning.trace``).
"""

from contextlib import contextmanager

import perencana.engine.experta_ext  # noqa: F401  (the experta shim)
from perencana.engine.experta_ext.agenda import CaseOrderStrategy, TracingAgenda
from perencana.engine.experta_ext.engine import ReusableEngine
from perencana.engine.experta_ext.matcher import IndexedReteMatcher, could_match
from perencana.engine.reasoning.facts import (
    Caveat,
    Decision,
    Evidence,
    Field,
    FirstStep,
    Guidance,
    Recommendation,
    Recommended,
    cause_reason,
    ref_of,
)
from perencana.engine.reasoning.trace import TraceStep
from perencana.rules import RULE_MIXINS

# Among the answers a ``NOT(Field(...))`` matches: any answer (a pattern on the field
# that is no literal).
ANY_ANSWER = object()


class AdvisoryEngine(*RULE_MIXINS, ReusableEngine):
    """All of perencana's rules in one engine, with the helpers the rules conclude with."""

    __strategy__ = CaseOrderStrategy
    __matcher__ = IndexedReteMatcher

    def __init__(self):
        super().__init__()
        self.trace = []
        self.used_fact_ids = set()
        self.kept = {}
        self.firings = []  # per firing: (the facts it matched, the facts it concluded)
        # While False (the what-if runs of ``infer_added`` and ``retract_supported``,
        # whose trace and firings are thrown away afterwards), a firing records only
        # its rule's name, which the conclusions carry.
        self.recording = True
        self._rule = None
        self._keys = {}  # id(fact) -> (fact, content_key(fact)), see key_of
        self._firing_keys = None
        self._blocking = None

    def reset(self, **kwargs):
        super().reset(**kwargs)
        self.agenda = TracingAgenda(self._record_firing, self.agenda.activations)
        self.trace = []
        self.used_fact_ids = set()
        self.kept = {}
        self.firings = []
        self.recording = True
        self._rule = None
        self._keys = {}  # id(fact) -> (fact, content_key(fact)), see key_of
        self._firing_keys = None

    def infer(self, facts):
        """Run the rules on ``facts``; return the facts in working memory afterwards
        and the conclusions kept beside it (see ``conclude``)."""
        self.reset()
        self.declare(*facts)
        self.run()
        return self.memory()

    def memory(self):
        return [*self.facts.values(), *self.kept.values()]

    def _refuse_blocking(self, facts):
        """``could_fire`` and ``infer_added`` take facts out again afterwards, which
        for an answer a ``NOT(Field(...))`` matches would put the rule it blocked
        back on the agenda, to fire a second time: such an answer needs a run of
        its own (``Advisor.unknowns_that_matter``)."""
        for fact in facts:
            if type(fact) is Field and self.blocks(fact.get("path"), fact.get("value")):
                raise ValueError(f"{fact!r} may block a rule: run it on its own")

    def blocks(self, path, answer):
        """Whether ``answer`` to the case field ``path`` (generic) may block a rule:
        a ``NOT(Field(...))`` on ``path`` matches it (``blocking_answers``)."""
        values = self.blocking_answers().get(path, ())
        return ANY_ANSWER in values or answer in values

    def blocking_answers(self):
        """For each case field (generic path) that a rule's ``NOT(Field(...))``
        reads, the answers that pattern matches (``ANY_ANSWER``: any): an answer
        among them may block a rule, the one way a run on more facts can conclude
        less. Worked out once, from the rules."""
        if self._blocking is None:
            from experta import NOT  # after the shim, which this module imports first

            found = {}
            for rule in self.get_rules():
                for pattern in rule:
                    if isinstance(pattern, NOT) and isinstance(pattern[0], Field):
                        value = pattern[0].get("value", ANY_ANSWER)
                        if not isinstance(value, (bool, int, str)):
                            value = ANY_ANSWER
                        found.setdefault(pattern[0]["path"], set()).add(value)
            self._blocking = {path: frozenset(values) for path, values in found.items()}
        return self._blocking

    def could_fire(self, facts):
        """Whether adding ``facts`` to the working memory of the last run would let
        any rule fire; the memory is left as the run left it.

        After ``infer`` the agenda is empty, so any activation that declaring the
        facts puts on it is a rule that the facts would newly let fire.
        """
        self._refuse_blocking(facts)
        if not could_match(self.matcher, facts):
            return False  # no pattern of any rule admits them: nothing to try
        first_new = self.next_fact_id()
        self.declare(*facts)
        fires = bool(self.agenda.activations)
        self.retract_from(first_new)  # a fact already in memory was not declared again
        return fires

    def infer_added(self, facts, only_if_fires=False, new_only=False):
        """The working memory of the last run with ``facts`` added and the rules run on
        from there; the memory is then put back as the last run left it.

        For monotonic rules this is the memory a fresh run on all the facts would
        leave (in another order, with another trace). With ``only_if_fires``, it is
        None when the facts let no rule fire (see ``could_fire``), which costs one
        declaration where asking ``could_fire`` first would cost two. With
        ``new_only``, only the facts the run added to the memory are given, in the
        memory's order: as no rule retracts, the memory is the last run's with them.
        """
        self._refuse_blocking(facts)
        if only_if_fires and not could_match(self.matcher, facts):
            return None
        first_new = self.next_fact_id()
        kept = dict(self.kept)
        self.declare(*facts)
        memory = None
        if self.agenda.activations or not only_if_fires:
            with self._quietly():
                self.run()
            if new_only:
                memory = [fact for i, fact in self.facts.items() if i >= first_new]
                memory += [fact for k, fact in self.kept.items() if k not in kept]
            else:
                memory = self.memory()
        self.retract_from(first_new)
        self.kept = kept
        return memory

    @contextmanager
    def _quietly(self):
        """Run without recording the trace, the firings and the facts used: a what-if
        run's are thrown away, so they are not made (``_record_firing``)."""
        recording, rule = self.recording, self._rule
        self.recording = False
        try:
            yield
        finally:
            self.recording, self._rule = recording, rule

    def retract_supported(self, removed):
        """Take out of the last run's working memory the facts whose contents are in
        ``removed`` (``content_key``) and every conclusion that only they supported,
        and run on: for monotonic rules, the memory a fresh run without those facts
        would leave (in another order), at the cost of the part that depended on
        them. Give what this returns to ``put_back`` to have the last run's memory
        again.

        A firing is lost when a fact it matched is gone; a conclusion is gone when
        every firing that concluded it is lost. Running on fires what the facts gone
        had held back: the one negated pattern (a cause not yet concluded) guards
        the conclusion of its own rule, which another firing may now make.
        """
        key = self.key_of
        firings = self._keyed_firings()
        gone = set(removed)
        lost = [False] * len(firings)
        while True:
            for number, (matched, _) in enumerate(firings):
                if not lost[number] and not gone.isdisjoint(matched):
                    lost[number] = True
            still = set()
            for number, (_, concluded) in enumerate(firings):
                if not lost[number]:
                    still |= concluded
            newly = set()
            for number, (_, concluded) in enumerate(firings):
                if lost[number]:
                    newly |= concluded - still - gone
            if not newly:
                break
            gone |= newly
        taken = [fact for fact in self.facts.values() if key(fact) in gone]
        state = (dict(self.kept), taken)
        for fact in reversed(taken):
            self.facts.retract(fact)  # the run below brings the agenda up to date
        self.kept = {k: fact for k, fact in self.kept.items() if key(fact) not in gone}
        first_new = self.next_fact_id()
        with self._quietly():
            self.run()
        return (*state, first_new)

    def key_of(self, fact):
        """``content_key(fact)``, worked out once per fact until the next reset. The
        fact is kept beside its key, so that its ``id`` cannot be another's."""
        found = self._keys.get(id(fact))
        if found is None:
            found = self._keys[id(fact)] = (fact, content_key(fact))
        return found[1]

    def _keyed_firings(self):
        """The firings of the last run as the keys of the facts each matched and of
        those it concluded; worked out once for the run."""
        if self._firing_keys is None or self._firing_keys[0] != len(self.firings):
            key = self.key_of
            self._firing_keys = (
                len(self.firings),
                [
                    ({key(f) for f in matched}, {key(f) for f in concluded})
                    for matched, concluded in self.firings
                ],
            )
        return self._firing_keys[1]

    def put_back(self, state):
        """The working memory as it was before ``retract_supported`` gave ``state``."""
        kept, taken, first_new = state
        self.retract_from(first_new)
        self.declare(*taken)
        with self._quietly():
            self.run()
        self.kept = kept

    def _record_firing(self, activation):
        if not self.recording:
            self._rule = activation.rule.__name__
            return
        matched = sorted(activation.facts, key=lambda fact: fact["__factid__"])
        self.used_fact_ids.update(fact["__factid__"] for fact in matched)
        self.firings.append((matched, []))
        self.trace.append(
            TraceStep(
                rule=activation.rule.__name__,
                facts=[ref for ref in map(ref_of, matched) if ref is not None],
                concluded=[],
            )
        )

    # The helpers below are what rules call to conclude: each declares a fact and
    # records it on the current trace step.

    def conclude(self, fact):
        """Add a conclusion: to working memory if some rule matches its class, or
        else to ``kept``, where experta does not offer it to every rule in vain. As
        in working memory, a conclusion already there is not added again."""
        matched = getattr(self.matcher, "fact_types", None)
        if matched is None or type(fact) in matched:
            self.declare(fact)
        else:
            # An undeclared fact holds only its contents, already frozen (hashable).
            self.kept.setdefault((type(fact), frozenset(fact.items())), fact)
        if self.recording:
            self.trace[-1].concluded.append(fact.ref())
            self.firings[-1][1].append(fact)

    def _current_rule(self):
        return self.trace[-1].rule if self.recording else self._rule

    def evidence(self, cause, strength, *facts):
        self.conclude(
            Evidence(
                cause=cause,
                strength=strength,
                facts=_refs(facts),
                rule=self._current_rule(),
            )
        )

    def recommend(self, strategy, *because):
        self.conclude(
            Recommendation(strategy=strategy, because=_refs(because), rule=self._current_rule())
        )
        self.conclude(Recommended(strategy=strategy))

    def caveat(self, strategy, caveat):
        self.conclude(Caveat(strategy=strategy, caveat=caveat))

    def first_step(self, strategy, step):
        self.conclude(FirstStep(strategy=strategy, step=step))

    def decide(self, program, decision):
        self.conclude(Decision(index=program["index"], decision=decision, facts=_refs([program])))

    def guide(self, guidance, *because):
        self.conclude(Guidance(id=guidance, because=_refs(because), rule=self._current_rule()))


def content_key(fact):
    """A fact's kind and contents, without the id working memory gave it: what
    ``(type(fact), frozenset(fact.as_dict().items()))`` is for facts of plain values
    (the only ones perencana makes), without the copy."""
    return type(fact), frozenset(
        (key, value)
        for key, value in fact.items()
        if not (type(key) is str and key.startswith("__") and key.endswith("__"))
    )


def _refs(items):
    """Facts become their references; strings (cause ids) become cause reasons."""
    return tuple(cause_reason(item) if isinstance(item, str) else item.ref() for item in items)
