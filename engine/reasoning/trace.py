"""The record of one run: every rule activation, in firing order."""

from dataclasses import dataclass, field


@dataclass
class TraceStep:
    """One rule firing: the rule's id, the facts that matched it, what it concluded
    (``FactRef``s)."""

    rule: str
    facts: list = field(default_factory=list)
    concluded: list = field(default_factory=list)
