"""Lets experta 1.9.4 import on Python 3.10+.

experta pins frozendict 1.2, which subclasses ``collections.Mapping``; that alias
was removed from ``collections`` in Python 3.10. We keep experta's pins and put the
alias back, once, here. ``engine/__init__`` imports this module before anything
imports experta.
"""

import collections
import collections.abc

if not hasattr(collections, "Mapping"):
    collections.Mapping = collections.abc.Mapping
