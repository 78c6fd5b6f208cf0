"""perencana's rules, one mixin per concern, composed by ``engine.reasoning.inference``.

Every rule's method name is its id, prefixed by its concern (``lifecycle_``,
``cause_``, ``strategy_``, ``program_``, ``guidance_``), because experta keeps only
one of two rules that share a name across mixins.
"""

import perencana.engine.experta_ext  # noqa: F401  (the experta shim)
from perencana.rules.causes import CauseRules
from perencana.rules.guidance import GuidanceRules
from perencana.rules.lifecycle import LifecycleRules
from perencana.rules.programs import ProgramRules
from perencana.rules.strategies import StrategyRules

RULE_MIXINS = (LifecycleRules, CauseRules, StrategyRules, ProgramRules, GuidanceRules)
