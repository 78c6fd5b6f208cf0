"""The four causes of resistance (¶53–¶57), each built from evidence.

Base evidence carries a strength (weak, moderate, strong); supporting evidence
(``raise``) lifts the cause, at most one level however many supporting rules fire.
The strength of a cause is worked out from its evidence and the life-cycle stage in
``reasoning.advice_builder``, with the settings of ``knowledge/thresholds.yaml``.
"""

from experta import AS, MATCH, NOT, L

from perencana.engine.experta_ext.rules import Rule
from perencana.engine.reasoning.facts import Cause, Evidence, Field, Lifecycle
from perencana.rules import phases

EXTERNAL_OR_JOINT = L("external") | L("joint")


class CauseRules:
    @Rule(Evidence(cause=MATCH.cause), NOT(Cause(id=MATCH.cause)), salience=phases.CAUSE)
    def cause_present(self, cause):
        """A cause of resistance with any evidence is present (¶53)."""
        self.conclude(Cause(id=cause))

    # R1 outsider-origin (¶54)

    @Rule(AS.f << Field(path="change.proposed_by", value="external"), salience=phases.EVIDENCE)
    def cause_outsider_external_proposal(self, f):
        """A change proposed from outside the organization gives moderate evidence of
        resistance to change from outside: people feel slighted (¶54)."""
        self.evidence("outsider-origin", "moderate", f)

    @Rule(AS.f << Field(path="change.proposed_by", value="joint"), salience=phases.EVIDENCE)
    def cause_outsider_joint_proposal(self, f):
        """A change proposed jointly with outsiders gives weak evidence of
        resistance to change from outside (¶54)."""
        self.evidence("outsider-origin", "weak", f)

    @Rule(AS.f << Field(path="planner.origin", value="external"), salience=phases.EVIDENCE)
    def cause_outsider_external_planner(self, f):
        """A planner from outside is one more outsider: raises resistance to change
        from outside one level, and on its own makes it weak (¶54)."""
        self.evidence("outsider-origin", "raise", f)

    @Rule(
        Cause(id="outsider-origin"),
        AS.stage << Lifecycle(stage="established"),
        AS.f << Field(path="change.proposed_by", value=EXTERNAL_OR_JOINT),
        salience=phases.SUPPORT,
    )
    def cause_outsider_established(self, stage, f):
        """An established organization resents an outside proposal more: raises
        resistance to change from outside one level (¶54, ¶59)."""
        self.evidence("outsider-origin", "raise", stage, f)

    # R2 financial (¶55, ¶61)

    @Rule(AS.f << Field(path="funding.funds_for_change", value="none"), salience=phases.EVIDENCE)
    def cause_financial_no_funds(self, f):
        """No funds for the change is strong evidence of resistance over cost and funding (¶55)."""
        self.evidence("financial", "strong", f)

    @Rule(AS.f << Field(path="funding.funds_for_change", value="partial"), salience=phases.EVIDENCE)
    def cause_financial_partial_funds(self, f):
        """Only part of the funds is moderate evidence of resistance over cost and
        funding (¶55)."""
        self.evidence("financial", "moderate", f)

    @Rule(AS.f << Field(path="funding.seen_as_costly", value=True), salience=phases.EVIDENCE)
    def cause_financial_seen_as_costly(self, f):
        """A change seen as inefficient or too costly is moderate evidence of
        resistance over cost and funding (¶55)."""
        self.evidence("financial", "moderate", f)

    @Rule(
        Cause(id="financial"),
        AS.f << Field(path="funding.allocation", value="fixed"),
        salience=phases.SUPPORT,
    )
    def cause_financial_fixed_allocation(self, f):
        """A fixed budget allocation that the change would upset raises resistance over
        cost and funding one level (¶61)."""
        self.evidence("financial", "raise", f)

    @Rule(
        Cause(id="financial"),
        AS.f << Field(path="funding.sunk_investments"),
        salience=phases.SUPPORT,
    )
    def cause_financial_sunk_investments(self, f):
        """Money already sunk in the organization (its facilities, equipment, trained
        staff or any other investment the case lists) raises resistance over cost and
        funding one level (¶61)."""
        self.evidence("financial", "raise", f)

    @Rule(
        Cause(id="financial"),
        AS.f << Field(path="change.triggers", value="funding-change"),
        salience=phases.SUPPORT,
    )
    def cause_financial_funding_trigger(self, f):
        """A change set off by a change in funding ties the change to money trouble:
        raises resistance over cost and funding one level (¶50)."""
        self.evidence("financial", "raise", f)

    # R3 management-disruption (¶56, ¶60)

    @Rule(AS.f << Field(path="change.skills_required", value="extensive"), salience=phases.EVIDENCE)
    def cause_disruption_extensive_skills(self, f):
        """Extensive new skills and knowledge are strong evidence that the change
        disrupts management (¶56)."""
        self.evidence("management-disruption", "strong", f)

    @Rule(AS.f << Field(path="change.skills_required", value="some"), salience=phases.EVIDENCE)
    def cause_disruption_some_skills(self, f):
        """Some new skills are moderate evidence that the change disrupts
        management (¶56)."""
        self.evidence("management-disruption", "moderate", f)

    @Rule(AS.f << Field(path="change.new_staff_required", value=True), salience=phases.EVIDENCE)
    def cause_disruption_new_staff(self, f):
        """A change that needs new staff is moderate evidence that it disrupts
        management: recruiting costs time and money (¶56, ¶60)."""
        self.evidence("management-disruption", "moderate", f)

    @Rule(
        Cause(id="management-disruption"),
        AS.f << Field(path="resources.unclear_task_division", value=True),
        salience=phases.SUPPORT,
    )
    def cause_disruption_unclear_tasks(self, f):
        """An unclear division of tasks raises the disruption to management one level (¶61)."""
        self.evidence("management-disruption", "raise", f)

    @Rule(
        Cause(id="management-disruption"),
        AS.f << Field(path="change.scope", value="organization-wide"),
        salience=phases.SUPPORT,
    )
    def cause_disruption_organization_wide(self, f):
        """A change across the whole organization disturbs more of the status quo:
        raises the disruption to management one level (¶56)."""
        self.evidence("management-disruption", "raise", f)

    # R4 hard-won-status-quo (¶57, ¶51, ¶59)

    @Rule(
        AS.years << Field(path="organization.years_to_current_state", band="long"),
        AS.pace << Field(path="change.pace", value="moderate"),
        salience=phases.EVIDENCE,
    )
    def cause_status_quo_moderate_pace(self, years, pace):
        """A present state that took many years to reach, met by a change at a
        moderate pace, is weak evidence of resistance to giving up a hard-won status quo (¶57)."""
        self.evidence("hard-won-status-quo", "weak", years, pace)

    @Rule(
        AS.years << Field(path="organization.years_to_current_state", band="long"),
        AS.pace << Field(path="change.pace", value="rapid"),
        salience=phases.EVIDENCE,
    )
    def cause_status_quo_rapid_pace(self, years, pace):
        """A present state that took many years to reach, met by a change that
        demands quick risk-taking, is moderate evidence of resistance to giving
        up a hard-won status quo (¶57)."""
        self.evidence("hard-won-status-quo", "moderate", years, pace)

    @Rule(
        Cause(id="hard-won-status-quo"),
        AS.stage << Lifecycle(stage="established"),
        salience=phases.SUPPORT,
    )
    def cause_status_quo_established(self, stage):
        """An established organization guards what it has reached: raises
        resistance to giving up a hard-won status quo one level (¶51, ¶59)."""
        self.evidence("hard-won-status-quo", "raise", stage)
