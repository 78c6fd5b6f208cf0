"""The library API: a validated case in, an ``Advice`` out.

One ``Advisor`` builds the experta engine once and reuses it for every run: the
case itself and the what-if runs that find which unknown answers matter.
"""

from engine.advice import UnknownFinding
from engine.advice_builder import build_advice
from engine.case_facts import case_facts
from engine.case_schema import generic_path, spec_for
from engine.inference import AdvisoryEngine
from engine.rule_catalog import paths_read_by_rules
from engine.unknowns import candidate_answers, show_answer, unknown_paths, with_answer
from knowledge import load_knowledge


class Advisor:
    """Runs perencana's rules on cases; reuse one for many cases."""

    def __init__(self, knowledge=None):
        self.knowledge = knowledge or load_knowledge()
        self.engine = AdvisoryEngine()

    def infer(self, case):
        """Run the rules on ``case``: the advice without the unknown-answer check."""
        facts = self.engine.infer(case_facts(case, self.knowledge.thresholds))
        return build_advice(case, facts, self.engine.trace, self.knowledge)

    def advise(self, case):
        """The full advice for ``case``, with the unknowns that would change it."""
        advice = self.infer(case)
        advice.unknowns = self.unknowns_that_matter(case, advice)
        return advice

    def unknowns_that_matter(self, case, advice):
        signature = advice.signature()
        read = paths_read_by_rules()
        found = []
        for path in unknown_paths(case):
            if generic_path(path) not in read:
                continue  # no rule reads it: no answer can change the advice
            spec = None if "." not in path else spec_for(path)
            changing = [
                show_answer(answer)
                for answer in candidate_answers(path, spec, self.knowledge.thresholds)
                if self.infer(with_answer(case, path, answer)).signature() != signature
            ]
            if changing:
                found.append(UnknownFinding(path=path, changing_answers=changing))
        return found
