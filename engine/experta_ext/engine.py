"""experta's engine, made to be reset and run many times."""

from experta import KnowledgeEngine


class ReusableEngine(KnowledgeEngine):
    """A ``KnowledgeEngine`` that looks its deffacts up once.

    experta looks them up with ``inspect.getmembers`` on every reset (its
    undocumented ``get_deffacts``), which costs more than a small run; a class's
    deffacts never change, so once will do.
    """

    def __init__(self):
        super().__init__()
        self._deffacts = None

    def get_deffacts(self):
        if self._deffacts is None:
            self._deffacts = super().get_deffacts()
        return self._deffacts

    def next_fact_id(self):
        """The id the next declared fact will get (experta's ``FactList.last_index``):
        every fact from it on was declared after this call."""
        return self.facts.last_index
