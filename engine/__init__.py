"""perencana's engine: case loading, facts, inference, trace and advice.

The compatibility shim is imported first so that every later ``import experta``
(here or in ``rules``) finds ``collections.Mapping``.
"""

from engine import compat  # noqa: F401  (must run before experta is imported)
