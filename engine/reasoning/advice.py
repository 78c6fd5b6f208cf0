"""The advice: a plain data model of what the engine concluded.

Evidence, reasons and trace steps hold ``FactRef``s, not text. The view
(``perencana.engine.view.words``, ``view.memo``) words it for the templates; ``view.advice_json``
writes the public ``perencana-advice/1`` object of ``case-format.md``.

The classes are ``engine.records.Record``s, not dataclasses (making those cost a
one-case command about 2 ms): each behaves as the dataclass it replaces, with
keyword or positional arguments in field order and a fresh list for each list default.
"""

from perencana.engine.records import Record


class CauseFinding(Record):
    """A cause of resistance found, with its strength and the evidence for it."""

    FIELDS = ("id", "strength", "evidence", "sources", "rules")
    __slots__ = FIELDS

    def __init__(self, id, strength, evidence, sources, rules=None):
        self.id = id
        self.strength = strength
        self.evidence = evidence
        self.sources = sources
        self.rules = [] if rules is None else rules


class StrategyFinding(Record):
    """A strategy recommended, with its rank, its reasons, its caveats and first steps.

    ``phase`` is prepare, start or sustain (``knowledge/phases.yaml``); ``start_with``
    marks one of the first by rank, the ones to start with."""

    FIELDS = (
        "id",
        "rank",
        "because",
        "caveats",
        "sources",
        "first_steps",
        "score",
        "rules",
        "phase",
        "start_with",
    )
    __slots__ = FIELDS

    def __init__(
        self,
        id,
        rank,
        because,
        caveats,
        sources,
        first_steps=None,
        score=0,
        rules=None,
        phase="",
        start_with=False,
    ):
        self.id = id
        self.rank = rank
        self.because = because
        self.caveats = caveats
        self.sources = sources
        self.first_steps = [] if first_steps is None else first_steps
        self.score = score
        self.rules = [] if rules is None else rules
        self.phase = phase
        self.start_with = start_with


class ProgramFinding(Record):
    """A decision on one of the organization's programs (keep, develop, replace)."""

    FIELDS = ("name", "decision", "sources", "facts", "index")
    __slots__ = FIELDS

    def __init__(self, name, decision, sources, facts=None, index=0):
        self.name = name
        self.decision = decision
        self.sources = sources
        self.facts = [] if facts is None else facts
        self.index = index


class GuidanceFinding(Record):
    """A piece of guidance for the planner, and the facts it rests on."""

    FIELDS = ("id", "sources", "because")
    __slots__ = FIELDS

    def __init__(self, id, sources, because=None):
        self.id = id
        self.sources = sources
        self.because = [] if because is None else because


class TensionFinding(Record):
    """Two or more recommended strategies that pull against each other, and the
    knowledge text (``knowledge/tensions.yaml``) that says how they fit together."""

    FIELDS = ("id", "strategies", "sources")
    __slots__ = FIELDS

    def __init__(self, id, strategies, sources):
        self.id = id
        self.strategies = strategies
        self.sources = sources


class UnknownFinding(Record):
    """A field left unknown whose answer would change the advice, and which answers
    (as typed: a boolean, a number, an enum value, a tuple for a list, or
    ``unknowns.ONE_ITEM`` for a whole list)."""

    FIELDS = ("path", "changing_answers")
    __slots__ = FIELDS

    def __init__(self, path, changing_answers):
        self.path = path
        self.changing_answers = changing_answers


class Advice(Record):
    """Everything the engine concluded for one case, and the trace of how.

    ``case`` (the case as read) is left out of the ``repr``."""

    FIELDS = (
        "organization",
        "lifecycle",
        "causes",
        "strategies",
        "programs",
        "guidance",
        "unknowns",
        "trace",
        "case",
        "tensions",
    )
    SHOWN = tuple(name for name in FIELDS if name != "case")
    __slots__ = FIELDS

    def __init__(
        self,
        organization,
        lifecycle,
        causes,
        strategies,
        programs,
        guidance,
        unknowns,
        trace,
        case=None,
        tensions=None,
    ):
        self.organization = organization
        self.lifecycle = lifecycle
        self.causes = causes
        self.strategies = strategies
        self.programs = programs
        self.guidance = guidance
        self.unknowns = unknowns
        self.trace = trace
        self.case = {} if case is None else case
        self.tensions = [] if tensions is None else tensions

    def signature(self):
        """What the advice says, without how it got there: two runs that agree on this
        give the same recommendations."""
        return (
            self.lifecycle,
            tuple((c.id, c.strength) for c in self.causes),
            tuple((s.id, s.rank, tuple(s.caveats), tuple(s.first_steps)) for s in self.strategies),
            tuple((p.name, p.decision) for p in self.programs),
            tuple(g.id for g in self.guidance),
            tuple(t.id for t in self.tensions),
        )
