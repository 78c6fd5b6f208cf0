"""experta extensions: the only code that touches experta's private names.

``compat`` lets experta 1.9.4 import on Python 3.10+ and is applied here, before any
module imports experta; ``matcher`` is the fast Rete matcher the engine plugs in
through experta's ``__matcher__`` hook; ``plain_fact`` is a Fact that is quicker to
make from plain values; ``agenda`` holds the conflict resolution (``__strategy__``),
the tracing agenda and the stepper's look at the agenda; ``engine`` is experta's
engine made to be reused; ``rules`` reads what experta keeps inside a rule.

Everything else imports experta's public names only (those ``experta`` itself
exports); ``tests/test_layout.py`` checks it.
"""

from perencana.engine.experta_ext import compat  # noqa: F401  (before experta is imported)
