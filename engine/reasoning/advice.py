"""The advice: a plain data model of what the engine concluded.

Evidence, reasons and trace steps hold ``FactRef``s, not text. The view
(``perencana.engine.view.words``, ``view.memo``) words it for the templates; ``view.advice_json``
writes the public ``perencana-advice/1`` object of ``case-format.md``.
"""

from dataclasses import dataclass, field


@dataclass
class CauseFinding:
    """A cause of resistance found, with its strength and the evidence for it."""

    id: str
    strength: str
    evidence: list
    sources: list
    rules: list = field(default_factory=list)


@dataclass
class StrategyFinding:
    """A strategy recommended, with its rank, its reasons, its caveats and first steps."""

    id: str
    rank: int
    because: list
    caveats: list
    sources: list
    first_steps: list = field(default_factory=list)
    score: int = 0
    rules: list = field(default_factory=list)
    phase: str = ""  # prepare, start or sustain (knowledge/phases.yaml)
    start_with: bool = False  # among the first by rank, the ones to start with


@dataclass
class ProgramFinding:
    """A decision on one of the organization's programs (keep, develop, replace)."""

    name: str
    decision: str
    sources: list
    facts: list = field(default_factory=list)
    index: int = 0


@dataclass
class GuidanceFinding:
    """A piece of guidance for the planner, and the facts it rests on."""

    id: str
    sources: list
    because: list = field(default_factory=list)


@dataclass
class TensionFinding:
    """Two or more recommended strategies that pull against each other, and the
    knowledge text (``knowledge/tensions.yaml``) that says how they fit together."""

    id: str
    strategies: list
    sources: list


@dataclass
class UnknownFinding:
    """A field left unknown whose answer would change the advice, and which answers
    (as typed: a boolean, a number, an enum value, a tuple for a list, or
    ``unknowns.ONE_ITEM`` for a whole list)."""

    path: str
    changing_answers: list


@dataclass
class Advice:
    """Everything the engine concluded for one case, and the trace of how."""

    organization: str
    lifecycle: str
    causes: list
    strategies: list
    programs: list
    guidance: list
    unknowns: list
    trace: list
    case: dict = field(default_factory=dict, repr=False)
    tensions: list = field(default_factory=list)

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
