"""The fact classes the rules match and conclude.

Input facts are made from a validated case by ``engine.case_facts``; numbers are
banded there so rules can match literals. Conclusion facts are declared by rules.
Each class can describe itself the way a user wrote the case
(``funding.funds_for_change = none``), which is what the trace and the evidence show.
"""

from perencana.engine.experta_ext.plain_fact import PlainFact


def show_value(value):
    """A fact value written as in a YAML case file."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


class Field(PlainFact):
    """One answered field of the case: ``path``, ``value`` and, for numbers, ``band``.

    A list field (triggers, sunk investments) gives one Field per member.
    """

    def describe(self):
        return f"{self['path']} = {show_value(self['value'])}"


class Stakeholder(PlainFact):
    """One stakeholder of the case (``index`` is its position in the list)."""

    def describe(self):
        return (
            f"stakeholders[{self['index']}] ({self['name']}): "
            f"directly_affected = {show_value(self['directly_affected'])}, "
            f"impact = {show_value(self['impact'])}"
        )


class Program(PlainFact):
    """One program of the case; ``performance`` is ``low`` when effectiveness or
    efficiency is low, ``adequate`` when both are adequate or high."""

    def describe(self):
        return (
            f"programs[{self['index']}] ({self['name']}): "
            f"viable = {show_value(self['viable'])}, performance = {self['performance']}"
        )


class Lifecycle(PlainFact):
    """Conclusion: the organization's life-cycle stage (¶59)."""

    def describe(self):
        return f"lifecycle = {self['stage']}"


class Evidence(PlainFact):
    """Conclusion: one piece of evidence for a cause of resistance.

    ``strength`` is ``weak``, ``moderate`` or ``strong`` for base evidence, or
    ``raise`` for supporting evidence that lifts the cause one level.
    ``facts`` are the descriptions of the facts it rests on.
    """

    def describe(self):
        return f"evidence for {self['cause']} ({self['strength']})"


class Cause(PlainFact):
    """Conclusion: a cause of resistance is present."""

    def describe(self):
        return f"cause {self['id']}"


class Recommendation(PlainFact):
    """Conclusion: a strategy is recommended ``because`` of a cause id or a fact."""

    def describe(self):
        return f"strategy {self['strategy']} (because {'; '.join(self['because'])})"


class Recommended(PlainFact):
    """Conclusion: a strategy is recommended (once, whatever the number of reasons)."""

    def describe(self):
        return f"strategy {self['strategy']} recommended"


class Caveat(PlainFact):
    """Conclusion: a caveat attached to a recommended strategy."""

    def describe(self):
        return f"caveat {self['caveat']} on {self['strategy']}"


class FirstStep(PlainFact):
    """Conclusion: a first step for a recommended strategy, chosen by the case."""

    def describe(self):
        return f"first step {self['step']} for {self['strategy']}"


class Decision(PlainFact):
    """Conclusion: keep, develop or replace one program (¶72)."""

    def describe(self):
        return f"programs[{self['index']}] decision = {self['decision']}"


class Guidance(PlainFact):
    """Conclusion: an item of guidance to the planner, ``because`` of a fact."""

    def describe(self):
        because = "; ".join(self["because"])
        return f"guidance {self['id']} (because {because})" if because else f"guidance {self['id']}"


def describe(fact):
    """Describe any fact; experta's InitialFact describes as nothing."""
    method = getattr(fact, "describe", None)
    return method() if method else None
