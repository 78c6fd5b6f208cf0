"""The library API: a validated case in, an ``Advice`` out.

One ``Advisor`` builds the experta engine once and reuses it for every run: the
case itself and the what-if runs that find which unknown answers matter.
"""

from engine.advice import UnknownFinding
from engine.advice_builder import build_advice
from engine.case_facts import case_facts
from engine.case_schema import spec_for
from engine.inference import AdvisoryEngine
from engine.unknowns import candidate_answers, show_answer, unknown_paths, with_answer
from knowledge import load_knowledge


class Advisor:
    """Runs perencana's rules on cases; reuse one for many cases."""

    def __init__(self, knowledge=None):
        self.knowledge = knowledge or load_knowledge()
        self.engine = AdvisoryEngine()

    def infer(self, case):
        """Run the rules on ``case``: the advice without the unknown-answer check."""
        facts = self.engine.infer(self.facts_of(case))
        return build_advice(case, facts, self.engine.trace, self.knowledge)

    def facts_of(self, case):
        return case_facts(case, self.knowledge.thresholds)

    def advise(self, case):
        """The full advice for ``case``, with the unknowns that would change it."""
        advice = self.infer(case)
        advice.unknowns = self.unknowns_that_matter(case, advice)
        return advice

    def unknowns_that_matter(self, case, advice):
        """The unknown fields some answer to which would change ``advice``.

        Each answer is first tried against the working memory ``advice`` was
        concluded from (``infer`` must have just run on ``case``): only an answer that
        lets a rule fire, or that takes away a fact some rule used, can change the
        advice, and only those get a run of their own. This is exact because the
        rules are monotonic (no rule retracts, and the one negation guards a rule's
        own conclusion): a run with more facts concludes all it did before, and more
        only through a rule the new facts let fire.
        """
        before = {_key(fact) for fact in self.facts_of(case)}
        used = {
            _key(fact)
            for fact in self.engine.facts.values()
            if fact["__factid__"] in self.engine.used_fact_ids
        }
        trials = [
            (path, answer, changed)
            for path in unknown_paths(case)
            for answer in candidate_answers(
                path, None if "." not in path else spec_for(path), self.knowledge.thresholds
            )
            if self._could_change(before, used, changed := with_answer(case, path, answer))
        ]
        signature = advice.signature()
        changing = {}
        for path, answer, changed in trials:
            if self.infer(changed).signature() != signature:
                changing.setdefault(path, []).append(show_answer(answer))
        return [
            UnknownFinding(path=path, changing_answers=answers)
            for path, answers in changing.items()
        ]

    def _could_change(self, before, used, changed):
        """Whether the facts of ``changed`` lose one a rule used (of ``used``) or let a
        rule fire, compared with the facts ``before``."""
        after = {_key(fact): fact for fact in self.facts_of(changed)}
        if not used.isdisjoint(before - after.keys()):
            return True
        return self.engine.could_fire([fact for key, fact in after.items() if key not in before])


def _key(fact):
    """A fact's kind and contents, without the id working memory gave it."""
    return type(fact), frozenset((k, v) for k, v in fact.items() if not fact.is_special(k))
