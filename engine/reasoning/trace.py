"""The record of one run: every rule activation, in firing order."""

from perencana.engine.records import Record


class TraceStep(Record):
    """One rule firing: the rule's id, the facts that matched it, what it concluded
    (``FactRef``s). An ``engine.records.Record``, as the dataclass it was."""

    FIELDS = ("rule", "facts", "concluded")
    __slots__ = FIELDS

    def __init__(self, rule, facts=None, concluded=None):
        self.rule = rule
        self.facts = [] if facts is None else facts
        self.concluded = [] if concluded is None else concluded
