"""The library API: a validated case in, an ``Advice`` out.

One ``Advisor`` builds the experta engine once and reuses it for every run: the
case itself and the what-if runs that find which unknown answers matter.
"""

from collections import defaultdict

from perencana.engine.case.schema import spec_for
from perencana.engine.case.vocabulary import CasePath, generic_path
from perencana.engine.reasoning.advice import UnknownFinding
from perencana.engine.reasoning.advice_builder import (
    advice_signature,
    build_advice,
    facts_by_type,
)
from perencana.engine.reasoning.case_facts import case_facts, contents_holding
from perencana.engine.reasoning.inference import AdvisoryEngine
from perencana.engine.reasoning.unknowns import (
    candidate_answers,
    unknown_paths,
    with_answer,
)
from perencana.knowledge import load_knowledge


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
        """The unknown fields some answer to which would change ``advice``.

        ``infer`` must just have run on ``case``. The rules are monotonic (no rule
        retracts, and the one negation guards a rule's own conclusion), so a run on
        more facts concludes all that a run on fewer did, and more only through a
        rule the new facts let fire. That makes each answer cheap to try, and exact:

        - an answer adds facts (a field's) or replaces one (a listed program's, when
          one of its fields is answered);
        - if it adds facts none of which lets a rule fire against the memory the
          run left, and replaces none that a rule used, it changes nothing;
        - one that only adds facts is run on from that memory;
        - one that replaces a fact is run on from the memory without that fact and
          the conclusions only it supported (``retract_supported``: no fresh run),
          made once for all the answers that replace it and then put back;
        - the rules treat listed items by what they say, not by their name or place
          (``tests/test_advisor.py`` checks the rules' patterns), so an answer to an
          item's field changes the advice just when the same answer to the same field
          of an item alike in all but its name does: it is tried for the first only.
          Without this, a case with many unknowns in its lists took a run of the
          whole case per item, time that grew with the square of the list.

        One kind of rule is not monotonic: a rule that a case field's answer blocks
        (``NOT(Field(...))``: the service area's growth calls for more experts unless
        the case says the change needs no new staff). An answer that such a pattern
        matches may take conclusions away, so it is tried by a whole run of its own,
        after the others (``AdvisoryEngine.blocks``); the engine then runs
        the case again, so that its memory is the case's, as after ``infer``.
        """
        paths = self.reported_unknowns(case)
        if not paths:
            return []
        thresholds = self.knowledge.thresholds
        used = None  # the keys of the facts some rule used: made when first needed
        tried, changing, replacing = [], set(), defaultdict(list)
        first_of_twins = {}  # (twin key, answer) -> the first (path, answer) tried
        signature = advice.signature()
        whole_runs = []  # (path, answer, changed case): answers a NOT(Field) matches
        # The last run's memory by class, which an answer that only adds facts extends.
        base = facts_by_type(self.engine.memory())
        for path in paths:
            spec = None if "." not in path else spec_for(path)
            field = generic_path(path)  # as the rules read it
            twins = _twin_key(case, path)
            before = {_key(*pair) for pair in contents_holding(case, path, thresholds)}
            for answer in candidate_answers(path, spec, thresholds):
                # The (path, answer) whose verdict this one takes: its own, or its
                # first twin's.
                decided_by = (path, answer)
                if twins is not None:
                    decided_by = first_of_twins.setdefault((twins, answer), decided_by)
                tried.append((path, answer, decided_by))
                if decided_by != (path, answer):
                    continue
                changed = with_answer(case, path, answer)
                if self.engine.blocks(field, answer):
                    whole_runs.append((path, answer, changed))
                    continue
                after = {_key(*pair): pair for pair in contents_holding(changed, path, thresholds)}
                added = [
                    kind(**contents) for key, (kind, contents) in after.items() if key not in before
                ]
                removed = frozenset(before - after.keys())
                if removed and used is None:
                    used = {
                        self.engine.key_of(fact)
                        for fact in self.engine.facts.values()
                        if fact["__factid__"] in self.engine.used_fact_ids
                    }
                if removed and (not used.isdisjoint(removed) or self.engine.could_fire(added)):
                    replacing[removed].append((path, answer, changed, added))
                elif not removed:
                    new = self.engine.infer_added(added, only_if_fires=True, new_only=True)
                    if new is not None and self._changes(changed, base, new, signature):
                        changing.add((path, answer))
        # Last, as each of these takes facts out of the engine's memory for a while.
        for removed, trials in replacing.items():
            # The run without the facts an answer replaces: the last run's memory
            # without them and what only they supported, then run on.
            state = self.engine.retract_supported(removed)
            without = facts_by_type(self.engine.memory())
            for path, answer, changed, added in trials:
                # None when the answer's facts let no rule fire: the memory is as is.
                new = self.engine.infer_added(added, only_if_fires=True, new_only=True)
                if self._changes(changed, without, new or [], signature):
                    changing.add((path, answer))
            self.engine.put_back(state)
        if whole_runs:
            for path, answer, changed in whole_runs:
                if self.infer(changed).signature() != signature:
                    changing.add((path, answer))
            self.infer(case)
        found = {}
        for path, answer, decided_by in tried:
            if decided_by in changing:
                found.setdefault(path, []).append(answer)
        return [
            UnknownFinding(path=path, changing_answers=answers) for path, answers in found.items()
        ]

    def reported_unknowns(self, case):
        """The unknown paths of ``case`` worth reporting: all but the fields whose
        entry in ``fields.yaml`` says ``report_if_unknown: false`` (details of the
        planner that only sharpen the guidance, which most cases leave out)."""
        fields = self.knowledge.fields
        return [
            path
            for path in unknown_paths(case)
            if (fields.get(generic_path(path)) or {}).get("report_if_unknown", True)
        ]

    def _changes(self, changed, base, new, signature):
        """Whether the advice for ``changed`` has another signature than ``signature``,
        from the last run's memory, by class (``base``), and the facts a run on from
        it added (``new``): grouped as ``facts_by_type`` groups the memory they make,
        each class's new facts after its old ones (a class's facts are all declared,
        or all kept beside)."""
        by_type = dict(base)
        for kind, facts in facts_by_type(new).items():
            by_type[kind] = [*base.get(kind, ()), *facts]
        return advice_signature(changed, None, self.knowledge, by_type=by_type) != signature


def _twin_key(case, path):
    """For a listed item's field, what its twins share: the list, the field and the
    item's other answers; None for any other path."""
    place = CasePath.parse(path)
    if not place.in_item or place.name is None:
        return None
    section, name = place.section, place.name
    item = CasePath.item(section, place.index).get(case)
    try:
        return section, name, frozenset((k, v) for k, v in item.items() if k != "name")
    except TypeError:  # a value that cannot be compared as a key: no twins
        return None


def _key(kind, contents):
    """A fact's kind and contents, without the id working memory gave it."""
    return kind, frozenset(contents.items())
