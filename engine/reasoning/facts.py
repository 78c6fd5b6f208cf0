"""The fact classes the rules match and conclude, and the references that stand for them.

Input facts are made from a validated case by ``reasoning.case_facts``; numbers are
banded there so rules can match literals. Conclusion facts are declared by rules.
Each class gives a ``FactRef``: plain data naming the fact (its kind, the case path
it stands for, an item's index and name, a value, and further details), which is
what the evidence, the reasons and the trace hold. Nothing here words a fact: the
view (``perencana.engine.view``) and the JSON writer do, each in one place.
"""

from perencana.engine.experta_ext.plain_fact import PlainFact
from perencana.engine.records import Frozen, set_field


class FactRef(Frozen):
    """A reference to one fact: what it is, not how it reads.

    ``kind`` is the fact's kind (``field``, ``stakeholder``, ``program``,
    ``lifecycle``, ``evidence``, ``cause``, ``recommendation``, ``recommended``,
    ``caveat``, ``first-step``, ``decision``, ``guidance``) or ``cause-id`` for a
    cause named as a reason. ``path`` is the case path it stands for (a field's
    ``funding.allocation``, an item's ``stakeholders[0]``) or ``""``; ``index`` and
    ``name`` are a listed item's; ``value`` is a field's answer or the id a
    conclusion concludes (a stage, a cause, a strategy); ``details`` holds the rest
    as (key, value) pairs in a fixed order. Hashable, so facts can hold it.

    An ``engine.records.Frozen``, as the frozen dataclass it was: immutable, equal and
    hashed by its six fields.
    """

    FIELDS = ("kind", "path", "index", "name", "value", "details")
    __slots__ = FIELDS

    def __init__(self, kind, path="", index=None, name=None, value=None, details=()):
        set_field(self, "kind", kind)
        set_field(self, "path", path)
        set_field(self, "index", index)
        set_field(self, "name", name)
        set_field(self, "value", value)
        set_field(self, "details", details)

    def get(self, key, default=None):
        """One of the ``details`` by its key."""
        for name, value in self.details:
            if name == key:
                return value
        return default


def cause_reason(cause_id):
    """A cause named as the reason for a recommendation."""
    return FactRef("cause-id", value=cause_id)


class Field(PlainFact):
    """One answered field of the case: ``path``, ``value`` and, for numbers, ``band``.

    A list field (triggers, sunk investments) gives one Field per member.
    """

    def ref(self):
        return FactRef("field", path=self["path"], value=self["value"])


class Stakeholder(PlainFact):
    """One stakeholder of the case (``index`` is its position in the list)."""

    def ref(self):
        return FactRef(
            "stakeholder",
            path=f"stakeholders[{self['index']}]",
            index=self["index"],
            name=self["name"],
            details=(
                ("directly_affected", self["directly_affected"]),
                ("impact", self["impact"]),
            ),
        )


class Program(PlainFact):
    """One program of the case; ``performance`` is ``low`` when effectiveness or
    efficiency is low, ``adequate`` when both are adequate or high."""

    def ref(self):
        return FactRef(
            "program",
            path=f"programs[{self['index']}]",
            index=self["index"],
            name=self["name"],
            details=(("viable", self["viable"]), ("performance", self["performance"])),
        )


class Lifecycle(PlainFact):
    """Conclusion: the organization's life-cycle stage (¶59)."""

    def ref(self):
        return FactRef("lifecycle", value=self["stage"])


class Evidence(PlainFact):
    """Conclusion: one piece of evidence for a cause of resistance.

    ``strength`` is ``weak``, ``moderate`` or ``strong`` for base evidence, or
    ``raise`` for supporting evidence that lifts the cause one level.
    ``facts`` are the references of the facts it rests on.
    """

    def ref(self):
        return FactRef("evidence", value=self["cause"], details=(("strength", self["strength"]),))


class Cause(PlainFact):
    """Conclusion: a cause of resistance is present."""

    def ref(self):
        return FactRef("cause", value=self["id"])


class Recommendation(PlainFact):
    """Conclusion: a strategy is recommended ``because`` of causes and facts (refs)."""

    def ref(self):
        return FactRef(
            "recommendation", value=self["strategy"], details=(("because", self["because"]),)
        )


class Recommended(PlainFact):
    """Conclusion: a strategy is recommended (once, whatever the number of reasons)."""

    def ref(self):
        return FactRef("recommended", value=self["strategy"])


class Caveat(PlainFact):
    """Conclusion: a caveat attached to a recommended strategy."""

    def ref(self):
        return FactRef("caveat", value=self["caveat"], details=(("strategy", self["strategy"]),))


class FirstStep(PlainFact):
    """Conclusion: a first step for a recommended strategy, chosen by the case."""

    def ref(self):
        return FactRef("first-step", value=self["step"], details=(("strategy", self["strategy"]),))


class Decision(PlainFact):
    """Conclusion: keep, develop or replace one program (¶72)."""

    def ref(self):
        return FactRef(
            "decision",
            path=f"programs[{self['index']}]",
            index=self["index"],
            value=self["decision"],
        )


class Guidance(PlainFact):
    """Conclusion: an item of guidance to the planner, ``because`` of facts (refs)."""

    def ref(self):
        return FactRef("guidance", value=self["id"], details=(("because", self["because"]),))


def ref_of(fact):
    """The reference of any fact; experta's InitialFact has none."""
    method = getattr(fact, "ref", None)
    return method() if method else None
