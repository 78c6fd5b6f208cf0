"""Salience by phase, so a run reads in the order a planner reasons.

Conclusions do not depend on it (no rule retracts, and ``cause_present`` guards
itself with NOT); it makes the trace teachable: the stage first, then the causes,
then what to do.
"""

LIFECYCLE = 50
EVIDENCE = 40
CAUSE = 35
SUPPORT = 30
STRATEGY = 20
CAVEAT = 15
PROGRAM = 10
GUIDANCE = 5
