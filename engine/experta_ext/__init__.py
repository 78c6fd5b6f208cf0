"""experta extensions: the only code that touches experta's private names.

``compat`` lets experta 1.9.4 import on Python 3.10+ and is applied here, before any
module imports experta; ``matcher`` is the fast Rete matcher the engine plugs in
through experta's ``__matcher__`` hook; ``plain_fact`` is a Fact that is quicker to
make from plain values.
"""

from perencana.engine.experta_ext import compat  # noqa: F401  (before experta is imported)
