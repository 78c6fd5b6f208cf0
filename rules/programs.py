"""Per-program decisions: keep, develop or replace (¶72, ¶71).

``performance`` is banded from effectiveness and efficiency by ``reasoning.case_facts``.
"""

from experta import AS

from perencana.engine.experta_ext.rules import Rule
from perencana.engine.reasoning.facts import Program
from perencana.rules import phases


class ProgramRules:
    @Rule(AS.p << Program(viable=True, performance="adequate"), salience=phases.PROGRAM)
    def program_maintain(self, p):
        """Keeps a program that is still viable and adequately effective and
        efficient: not every area needs change (¶72, ¶71)."""
        self.decide(p, "maintain")

    @Rule(AS.p << Program(viable=True, performance="low"), salience=phases.PROGRAM)
    def program_develop(self, p):
        """Develops a program that is viable but not effective or efficient
        enough (¶72)."""
        self.decide(p, "develop")

    @Rule(AS.p << Program(viable=False), salience=phases.PROGRAM)
    def program_replace(self, p):
        """Replaces a program that is no longer viable with a new one (¶72)."""
        self.decide(p, "replace")
