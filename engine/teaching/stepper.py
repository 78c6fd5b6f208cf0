"""A trainer's walk-through of a run: one rule firing at a time, with the agenda.

``firings`` drives the advisor's own (reused) engine the way ``AdvisoryEngine.infer``
does, ``reset()`` and one ``declare(*facts)``, but runs it with ``run(steps=1)``.
Before each firing it brings the agenda up to date with what the last firing
concluded (what ``run`` itself does first) and reads it: experta fires the last
activation of ``engine.agenda.activations`` first, so the agenda is shown reversed,
in firing order. Each ``Firing`` is plain data; ``walk`` shows them one by one
through ``templates/explain.text.j2`` (``Stepper.walk``), waiting for a line of input between them.
The firings are the run's trace, step for step.
"""

import json
from dataclasses import asdict, dataclass, field

from perencana.engine.experta_ext.agenda import pending, refresh_agenda
from perencana.engine.reasoning.case_facts import case_facts
from perencana.engine.reasoning.facts import ref_of
from perencana.engine.teaching.explanation import Explainer, ExplainError, run_case
from perencana.engine.view.advice_json import fact_text
from perencana.engine.view.safe_text import cut_line
from perencana.engine.view.words import sources_text

QUIT = "q"


@dataclass
class Firing:
    """One rule firing: the agenda before it, which rule fired and why first, and
    what it matched and concluded (``facts`` and ``concluded`` as in the trace)."""

    number: int
    total: int
    rule: str
    salience: int
    statement: str
    reason: str
    agenda: list = field(default_factory=list)
    facts: list = field(default_factory=list)
    concluded: list = field(default_factory=list)
    # The agenda's changes since the last firing (its rule gone, as it fired): the
    # activations new on it, and those gone from it without firing.
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    def to_json(self):
        return asdict(self)


def _fact_ids(activation):
    return sorted(fact["__factid__"] for fact in activation.facts)


class Stepper:
    """Steps through the run of one case on ``advisor``'s engine, in ``lang``."""

    def __init__(self, advisor, case, lang="en", case_label="CASE"):
        self.advisor = advisor
        self.case = case
        # A normal run first: its advice names things and its trace gives the total.
        self.advice, facts = run_case(advisor, case)
        self.explainer = Explainer(self.advice, facts, advisor.knowledge, lang, case_label)
        self.words = self.explainer.labels["explain_step"]
        self.total = len(self.advice.trace)

    def firings(self):
        """Yield each ``Firing`` as the engine makes it, one ``run(steps=1)`` at a time."""
        engine = self.advisor.engine
        engine.reset()
        engine.declare(*case_facts(self.case, self.advisor.knowledge.thresholds))
        before = None  # the agenda after the last firing, by activation
        while True:
            refresh_agenda(engine)
            waiting = pending(engine)
            if not waiting:
                return
            agenda = [self._activation(a) for a in waiting]
            now = {_key(entry): entry for entry in agenda}
            added = [] if before is None else [e for k, e in now.items() if k not in before]
            removed = [] if before is None else [e for k, e in before.items() if k not in now]
            before = dict(now)
            before.pop(_key(agenda[0]))  # it fires now
            fired = len(engine.trace)
            engine.run(steps=1)
            if len(engine.trace) == fired:  # pragma: no cover (the agenda was not empty)
                return
            step = engine.trace[-1]
            rule = self.explainer.rules.get(step.rule)
            yield Firing(
                number=len(engine.trace),
                total=max(self.total, len(engine.trace)),
                rule=step.rule,
                salience=waiting[0].rule.salience,
                statement=self.explainer.statement(rule) if rule else "",
                reason=self.reason(waiting),
                agenda=agenda,
                added=added,
                removed=removed,
                facts=[self.explainer.fact(d) for d in step.facts],
                concluded=[self.explainer.fact(d) for d in step.concluded],
            )

    def _activation(self, activation):
        facts = sorted(activation.facts, key=lambda fact: fact["__factid__"])
        return {
            "rule": activation.rule.__name__,
            "salience": activation.rule.salience,
            "facts": [
                {
                    "id": fact["__factid__"],
                    "fact": fact_text(ref) if ref is not None else "",
                    "start": ref is None,
                }
                for fact, ref in zip(facts, map(ref_of, facts), strict=True)
            ],
        }

    def reason(self, waiting):
        """Why the first activation fires before the second (``CaseOrderStrategy``)."""
        words = self.words
        first = waiting[0]
        if len(waiting) == 1:
            return words["why_only"]
        second = waiting[1]
        name = second.rule.__name__
        if first.rule.salience != second.rule.salience:
            return words["why_salience"].format(
                salience=first.rule.salience, next_rule=name, next_salience=second.rule.salience
            )
        mine, theirs = _fact_ids(first), _fact_ids(second)
        if mine[: len(theirs)] == theirs and len(mine) > len(theirs):
            return words["why_more_facts"].format(
                salience=first.rule.salience,
                next_rule=name,
                mine=_numbers(mine),
                theirs=_numbers(theirs),
            )
        if mine != theirs:
            return words["why_facts"].format(
                salience=first.rule.salience,
                next_rule=name,
                mine=_numbers(mine),
                theirs=_numbers(theirs),
            )
        return words["why_name"].format(next_rule=name)

    # -- showing it ----------------------------------------------------------------

    def render(self, mode, **context):
        from perencana.engine.memo.templating import render_template

        labels = self.explainer.labels
        text = render_template("explain.text.j2", {"mode": mode, "labels": labels, **context})
        return "\n".join(line.rstrip() for line in text.split("\n"))

    def head(self):
        return self.render("step_head", organization=self.advice.organization, total=self.total)

    def show(self, firing):
        return self.render("step", firing=firing)

    def end(self, number, stopped):
        return self.render("step_end", number=number, total=self.total, stopped=stopped)

    def prompt(self):
        return self.words["prompt"]

    def why(self, firing):
        """``why`` at the prompt: the conditions of the rule that fired, as they held
        on this case, its sources, and why it fired before the next one."""
        from perencana.engine.view.conditions import ConditionWriter

        rule = self.explainer.rules.get(firing.rule)
        writer = ConditionWriter(self.advisor.knowledge, self.explainer.lang)
        conditions = writer.conditions(rule) if rule is not None else []
        sources = sources_text(rule.sources) if rule else ""
        return self.render("step_why", firing=firing, conditions=conditions, sources_text=sources)

    def to_json(self):
        """Every firing, as JSON (no waiting)."""
        firings = [firing.to_json() for firing in self.firings()]
        return json.dumps(
            {
                "format": "perencana-steps/1",
                "organization": self.advice.organization,
                "total": self.total,
                "firings": firings,
            },
            ensure_ascii=False,
            indent=2,
        )

    def reject_id(self, item_id):
        """The walk-through covers the whole run: an ID with it is an error."""
        if item_id is not None:
            line = self.explainer.labels["explain_errors"]["step_with_id"].format(id=item_id)
            raise ExplainError([line], usage=True)

    def walk(self, write, read_line, interactive=False):
        """Show the walk-through: a firing, then wait for a line of input before the
        next. ``write(text)`` shows text; ``read_line()`` returns the line typed, or
        ``""`` at the end of the input, after which the rest is shown without
        waiting; an empty line or ``n`` shows the next, ``why`` why its rule fired,
        ``q`` quits, and any other line is told what the commands are. ``interactive``
        shows a prompt. Returns the number of firings shown."""
        write(self.head())
        shown, waiting, stopped = 0, True, False
        for firing in self.firings():
            write(self.show(firing))
            shown = firing.number
            if not waiting or firing.number >= self.total:
                continue
            while True:
                if interactive:
                    write(self.prompt())
                line = read_line()
                command = line.strip().casefold()
                if command in self._words("why_words"):
                    write(self.why(firing))  # answered, and the same prompt again
                elif command and command != QUIT and command not in self._words("next_words"):
                    write(self.render("step_not_a_command", line=cut_line(line, 40)))
                else:
                    break
            if not line:
                waiting = False
            elif command == QUIT:
                stopped = True
                break
        write(self.end(shown, stopped))
        return shown

    def _words(self, key):
        return {word.strip().casefold() for word in self.words[key].split("|")}


def _key(entry):
    return (entry["rule"], tuple(fact["id"] for fact in entry["facts"]))


def _numbers(ids):
    return ", ".join(f"#{number}" for number in ids)
