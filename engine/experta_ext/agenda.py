"""experta's agenda and conflict resolution, as the engine and the stepper use them.

experta leaves these to its internals (``experta.agenda``, ``experta.strategies``,
the engine's ``get_activations`` and the strategy's ``update_agenda``); they are
reached from here only, so a change in experta meets this module first.
"""

from functools import cache

from experta.agenda import Agenda
from experta.strategies import DepthStrategy


class CaseOrderStrategy(DepthStrategy):
    """Conflict resolution: salience first, then the facts in the order they came.

    experta's depth strategy fires the newest facts first, so a trace would list the
    last stakeholder before the first; here, among rules of equal salience, the one
    on the earliest facts fires first (salience already orders the phases), and the
    rule's name breaks a remaining tie, which hashing would otherwise decide.
    """

    def get_key(self, activation):
        salience = activation.rule.salience
        facts = tuple(-fact_id for fact_id in sorted(f["__factid__"] for f in activation.facts))
        # The agenda fires its largest key first: negated ids put older facts first,
        # and the inverted name puts rules in alphabetical order on a tie.
        return (salience, facts, _name_key(activation.rule.__name__))


@cache
def _name_key(name):
    return tuple(-ord(char) for char in name)


class TracingAgenda(Agenda):
    """An agenda that tells the engine which activation fires next."""

    def __init__(self, on_fire, activations):
        super().__init__()
        self.activations = activations
        self.on_fire = on_fire

    def get_next(self):
        activation = super().get_next()
        if activation is not None:
            self.on_fire(activation)
        return activation


def refresh_agenda(engine):
    """Put on ``engine``'s agenda the activations of the facts declared since it was
    last updated (experta's ``run`` does the same before it picks an activation)."""
    engine.strategy.update_agenda(engine.agenda, *engine.get_activations())


def pending(engine):
    """The activations ready to fire, in the order they will fire: experta fires the
    last activation of its agenda first."""
    return list(reversed(engine.agenda.activations))
