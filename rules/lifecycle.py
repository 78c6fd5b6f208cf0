"""The organization's life-cycle stage (¶59, ¶51).

Ages arrive banded (``new``, ``mid``, ``long-standing``) by ``reasoning.case_facts``
from the thresholds in ``knowledge/thresholds.yaml``.
"""

from perencana.engine.experta_ext.rules import Rule
from perencana.engine.reasoning.facts import Field, Lifecycle
from perencana.rules import phases


class LifecycleRules:
    @Rule(
        Field(path="organization.age_years", band="new"),
        Field(path="organization.formalized_procedures", value=False),
        salience=phases.LIFECYCLE,
    )
    def lifecycle_young(self):
        """A new organization without formalized procedures is young: still willing
        to take risks (¶59)."""
        self.conclude(Lifecycle(stage="young"))

    @Rule(
        Field(path="organization.age_years", band="mid"),
        Field(path="organization.formalized_procedures", value=False),
        salience=phases.LIFECYCLE,
    )
    def lifecycle_maturing(self):
        """An organization past the young years whose procedures are not yet
        formalized is maturing (¶59)."""
        self.conclude(Lifecycle(stage="maturing"))

    @Rule(Field(path="organization.age_years", band="long-standing"), salience=phases.LIFECYCLE)
    def lifecycle_established_by_age(self):
        """A long-standing organization is established: settled mechanisms make it
        reluctant to change (¶51, ¶59)."""
        self.conclude(Lifecycle(stage="established"))

    @Rule(
        Field(path="organization.formalized_procedures", value=True),
        salience=phases.LIFECYCLE,
    )
    def lifecycle_established_by_procedures(self):
        """An organization with formalized procedures and rules is established,
        whatever its age (¶59)."""
        self.conclude(Lifecycle(stage="established"))
