"""The advice: a plain data model of what the engine concluded, and its JSON form.

Templates render it; ``to_json`` gives the public ``perencana-advice/1`` object of
``case-format.md`` (with a few added keys: first steps, reasons for guidance, what
each rule concluded, and which answers to unknown questions would change the advice).
"""

import json
from dataclasses import dataclass, field

FORMAT = "perencana-advice/1"


@dataclass
class CauseFinding:
    id: str
    strength: str
    evidence: list
    sources: list
    rules: list = field(default_factory=list)


@dataclass
class StrategyFinding:
    id: str
    rank: int
    because: list
    caveats: list
    sources: list
    first_steps: list = field(default_factory=list)
    score: int = 0
    rules: list = field(default_factory=list)


@dataclass
class ProgramFinding:
    name: str
    decision: str
    sources: list
    facts: list = field(default_factory=list)
    index: int = 0


@dataclass
class GuidanceFinding:
    id: str
    sources: list
    because: list = field(default_factory=list)


@dataclass
class UnknownFinding:
    """A field left unknown whose answer would change the advice, and which answers."""

    path: str
    changing_answers: list


@dataclass
class Advice:
    organization: str
    lifecycle: str
    causes: list
    strategies: list
    programs: list
    guidance: list
    unknowns: list
    trace: list
    case: dict = field(default_factory=dict, repr=False)

    def signature(self):
        """What the advice says, without how it got there: two runs that agree on this
        give the same recommendations."""
        return (
            self.lifecycle,
            tuple((c.id, c.strength) for c in self.causes),
            tuple((s.id, s.rank, tuple(s.caveats), tuple(s.first_steps)) for s in self.strategies),
            tuple((p.name, p.decision) for p in self.programs),
            tuple(g.id for g in self.guidance),
        )

    def to_json_text(self):
        """The JSON advice as text: the same bytes for the same advice."""
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"

    def to_json(self):
        return {
            "format": FORMAT,
            "organization": self.organization,
            "lifecycle": self.lifecycle,
            "causes": [
                {"id": c.id, "strength": c.strength, "evidence": c.evidence, "sources": c.sources}
                for c in self.causes
            ],
            "strategies": [
                {
                    "id": s.id,
                    "rank": s.rank,
                    "because": s.because,
                    "caveats": s.caveats,
                    "first_steps": s.first_steps,
                    "sources": s.sources,
                }
                for s in self.strategies
            ],
            "programs": [
                {"name": p.name, "decision": p.decision, "sources": p.sources}
                for p in self.programs
            ],
            "guidance": [
                {"id": g.id, "because": g.because, "sources": g.sources} for g in self.guidance
            ],
            "unknowns": [u.path for u in self.unknowns],
            "unknown_answers": [
                {"field": u.path, "answers_that_change_advice": u.changing_answers}
                for u in self.unknowns
            ],
            "trace": [step.to_json() for step in self.trace],
        }
