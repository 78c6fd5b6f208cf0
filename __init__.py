"""perencana: a rule-based expert system that advises how to win a social-service
organization's acceptance of a change.

The one import name it installs. Inside it the client's top-level folders:
``rules`` (the experta rules), ``engine`` (everything between a case file and a
memo), ``knowledge`` (the domain data), ``templates`` (Jinja) and ``cli`` (the
``perencana`` command). The library API is ``perencana.engine.api``.

Importing perencana first makes experta importable on Python 3.10+ (see
``perencana.engine.experta_ext``).
"""

# The one place the version is written: setup.cfg reads it (``attr:``), and the memo's
# footer names it without importing importlib.metadata (which pulls in ``email``).
__version__ = "0.1.0"

from perencana.engine import experta_ext as _experta_ext  # noqa: E402, F401  (the shim first)
