"""perencana's rules, one mixin per concern, composed by ``engine.inference``.

Every rule's method name is its id, prefixed by its concern (``lifecycle_``,
``cause_``, ``strategy_``, ``program_``, ``guidance_``), because experta keeps only
one of two rules that share a name across mixins.
"""

import engine  # noqa: F401  (the experta shim, before any rule module imports experta)
from rules.causes import CauseRules
from rules.guidance import GuidanceRules
from rules.lifecycle import LifecycleRules
from rules.programs import ProgramRules
from rules.strategies import StrategyRules

RULE_MIXINS = (LifecycleRules, CauseRules, StrategyRules, ProgramRules, GuidanceRules)
