"""perencana's domain knowledge, kept as data (YAML files beside this module).

``load_knowledge()`` reads every file once, checks it (``knowledge.checks``) and
returns a ``Knowledge``: causes, strategies, caveats, first steps, guidance,
program decisions, life-cycle stages, thresholds, field labels and memo wording,
each text in English (``en``) and Indonesian (``id``), each item with its ¶ sources.
"""

from perencana.knowledge.loader import Knowledge, load_knowledge

__all__ = ["Knowledge", "load_knowledge"]
