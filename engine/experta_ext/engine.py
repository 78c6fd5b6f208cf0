"""experta's engine, made to be reset and run many times."""

import inspect
import logging
from itertools import chain

from experta import KnowledgeEngine, watchers
from experta.agenda import Agenda
from experta.factlist import FactList


class ReusableEngine(KnowledgeEngine):
    """A ``KnowledgeEngine`` that looks its deffacts up once, and runs without
    the work experta does for its watchers while they would log nothing.

    experta looks the deffacts up with ``inspect.getmembers`` on every reset (its
    undocumented ``get_deffacts``), and reads each one's signature with
    ``inspect.signature``, which together cost more than a small run; a class's
    deffacts never change, so once will do. experta's ``run`` words every firing
    for its RULES watcher (a string of the facts' ids) before the logger drops it.
    """

    def __init__(self):
        super().__init__()
        self._deffacts = None
        self._deffact_args = None

    def get_deffacts(self):
        if self._deffacts is None:
            self._deffacts = super().get_deffacts()
        return self._deffacts

    def next_fact_id(self):
        """The id the next declared fact will get (experta's ``FactList.last_index``):
        every fact from it on was declared after this call."""
        return self.facts.last_index

    def retract_from(self, first_new):
        """Retract every fact declared from id ``first_new`` on (``next_fact_id``),
        newest first, and bring the agenda up to date once, not after each fact as
        ``retract`` does: the same agenda in the end, as a change the network undoes
        within the batch never reaches it."""
        for fact_id in sorted((i for i in self.facts if i >= first_new), reverse=True):
            self.facts.retract(fact_id)
        self.strategy.update_agenda(self.agenda, *self.get_activations())

    def reset(self, **kwargs):
        """experta's ``reset``, with each deffact's parameters read once."""
        deffacts = self.get_deffacts()
        if self._deffact_args is None:
            self._deffact_args = [_parameters(deffact) for deffact in deffacts]
        self.agenda = Agenda()
        self.facts = QuickFactList()
        self.matcher.reset()
        made = [
            deffact(**kwargs)
            if names is None
            else deffact(**{k: v for k, v in kwargs.items() if k in names})
            for deffact, names in zip(deffacts, self._deffact_args, strict=True)
        ]
        # experta's private declare, as its reset calls it (the name-mangled method).
        self._KnowledgeEngine__declare(*chain.from_iterable(made))
        self.running = False

    def run(self, steps=float("inf")):
        """experta's ``run``: the same firings in the same order. While its RULES or
        AGENDA watchers would log, experta's own loop runs, so they log as ever."""
        if watchers.RULES.isEnabledFor(logging.INFO) or watchers.worth("AGENDA", "DEBUG"):
            return super().run(steps)
        self.running = True
        while steps > 0 and self.running:
            added, removed = self.get_activations()
            self.strategy.update_agenda(self.agenda, added, removed)
            activation = self.agenda.get_next()
            if activation is None:
                break
            steps -= 1
            activation.rule(
                self, **{k: v for k, v in activation.context.items() if not k.startswith("__")}
            )
        self.running = False
        return None


def _parameters(deffact):
    """The names a deffact takes, or None if it takes any (``**kwargs``), as experta's
    ``reset`` reads them."""
    parameters = inspect.signature(deffact).parameters.values()
    if any(p.kind == inspect.Parameter.VAR_KEYWORD for p in parameters):
        return None
    return {p.name for p in parameters}


class QuickFactList(FactList):
    """experta's fact list, telling facts apart by their contents the same way with
    fewer calls (experta calls ``Fact.is_special`` for each key of each fact)."""

    @staticmethod
    def _get_fact_id(fact):
        return frozenset(
            [fact.__class__]
            + [
                (k, v)
                for k, v in fact.items()
                if not (isinstance(k, str) and k.startswith("__") and k.endswith("__"))
            ]
        )
