"""The record of one run: every rule activation, in firing order."""

from dataclasses import dataclass, field


@dataclass
class TraceStep:
    """One rule firing: the rule's id, the facts that matched it, what it concluded."""

    rule: str
    facts: list = field(default_factory=list)
    concluded: list = field(default_factory=list)

    def to_json(self):
        return {"rule": self.rule, "facts": list(self.facts), "concluded": list(self.concluded)}
