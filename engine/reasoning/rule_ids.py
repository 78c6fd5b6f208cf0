"""The rules' ids in the rule catalog's order, and the pattern of a cited passage.

What a memo's reasons need from the catalog (``rule_catalog``), kept apart from it
so that writing a memo does not import the catalog's reading of the rules' bodies
(``ast``, ``inspect``, its records): importing those is a good part of a one-case
command's start.
"""

import re
from functools import lru_cache

# A passage of the source, as a rule's docstring or a knowledge text cites it: "¶71".
PASSAGE = re.compile(r"¶(\d+)")


@lru_cache(maxsize=1)
def rule_order():
    """Each rule's id and its place in ``rule_catalog``'s order, without reading the
    rules' bodies (what a memo's reasons are sorted by)."""
    from perencana.rules import RULE_MIXINS

    ids = (
        name
        for mixin in RULE_MIXINS
        for name, member in vars(mixin).items()
        if type(member).__name__ == "Rule"
    )
    return {name: number for number, name in enumerate(ids)}
