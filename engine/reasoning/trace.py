"""The record of one run: every rule activation, in firing order."""


class TraceStep:
    """One rule firing: the rule's id, the facts that matched it, what it concluded
    (``FactRef``s).

    Written by hand rather than as a dataclass (whose making, at import, costs a
    one-case command more than the class is worth); it behaves as one: a fresh list
    for each default, equality field by field, not hashable, the same ``repr``."""

    __slots__ = ("rule", "facts", "concluded")
    __hash__ = None

    def __init__(self, rule, facts=None, concluded=None):
        self.rule = rule
        self.facts = [] if facts is None else facts
        self.concluded = [] if concluded is None else concluded

    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return (self.rule, self.facts, self.concluded) == (
                other.rule,
                other.facts,
                other.concluded,
            )
        return NotImplemented

    def __repr__(self):
        return (
            f"{type(self).__qualname__}(rule={self.rule!r}, facts={self.facts!r}, "
            f"concluded={self.concluded!r})"
        )
