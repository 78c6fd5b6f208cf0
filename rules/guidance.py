"""Guidance to the planner beyond the eleven strategies (¶23–¶34, ¶52, ¶58–¶61, ¶65)."""

from experta import AS, L, Rule

from perencana.engine.reasoning.facts import Field, Lifecycle, Stakeholder
from perencana.rules import phases

INNOVATION_TRIGGERS = L("new-program-data") | L("service-area-expansion")
SHORT_FUNDS = L("none") | L("partial")


class GuidanceRules:
    @Rule(
        AS.f << Field(path="resources.problems_acknowledged", value=False),
        salience=phases.GUIDANCE,
    )
    def guidance_facilitator_unacknowledged(self, f):
        """Advises the planner to act as a facilitator when the organization does not
        see its own problems (¶61)."""
        self.guide("facilitator", f)

    @Rule(AS.f << Field(path="resources.limited", value=True), salience=phases.GUIDANCE)
    def guidance_facilitator_limited_resources(self, f):
        """Advises the planner to link the organization with resources when its own
        are limited (¶61)."""
        self.guide("facilitator", f)

    @Rule(salience=phases.GUIDANCE)
    def guidance_mission_alignment(self):
        """Advises keeping every step of the change in line with the organization's
        aims, vision and mission (¶58)."""
        self.guide("mission-alignment")

    @Rule(salience=phases.GUIDANCE)
    def guidance_values(self):
        """Advises naming the values at stake (human rights, humanity, justice):
        no social planning is value-free (¶27, ¶34)."""
        self.guide("values")

    @Rule(AS.s << Stakeholder(), salience=phases.GUIDANCE)
    def guidance_involve_stakeholders_listed(self, s):
        """Advises involving the people with a stake in the change, slowly and by
        persuasion (¶52)."""
        self.guide("involve-stakeholders", s)

    @Rule(AS.f << Field(path="staff.involved_in_design", value=False), salience=phases.GUIDANCE)
    def guidance_involve_stakeholders_staff(self, f):
        """Advises involving the staff, who are not yet part of the design (¶52)."""
        self.guide("involve-stakeholders", f)

    @Rule(AS.f << Field(path="planner.ideology", value="consensus"), salience=phases.GUIDANCE)
    def guidance_ideology_consensus(self, f):
        """Advises a consensus planner to build on compromise and negotiation, and to
        watch that avoiding conflict does not bury the losers' concerns (¶26)."""
        self.guide("ideology-consensus", f)

    @Rule(AS.f << Field(path="planner.ideology", value="conflict"), salience=phases.GUIDANCE)
    def guidance_ideology_conflict(self, f):
        """Advises a conflict planner that advocacy for one group risks losing the
        general interest (¶26)."""
        self.guide("ideology-conflict", f)

    @Rule(
        AS.f << Field(path="planner.character", value="operationalist"),
        salience=phases.GUIDANCE,
    )
    def guidance_character_operationalist(self, f):
        """Warns an operationalist planner against reusing old methods and picking
        problems to suit themselves (¶28)."""
        self.guide("character-operationalist", f)

    @Rule(AS.f << Field(path="planner.character", value="data-first"), salience=phases.GUIDANCE)
    def guidance_character_data_first(self, f):
        """Warns a data-first planner that long data gathering spends the energy the
        change will need later (¶29)."""
        self.guide("character-data-first", f)

    @Rule(
        AS.f << Field(path="planner.character", value="client-focused"),
        salience=phases.GUIDANCE,
    )
    def guidance_character_client_focused(self, f):
        """Advises a client-focused planner to keep process and outcome together and
        to act on what is feasible (¶30)."""
        self.guide("character-client-focused", f)

    @Rule(
        AS.f << Field(path="change.triggers", value=INNOVATION_TRIGGERS),
        salience=phases.GUIDANCE,
    )
    def guidance_innovation_check_trigger(self, f):
        """Reminds the planner that change is not innovation by itself, nor
        innovation better service by itself (¶59)."""
        self.guide("innovation-check", f)

    @Rule(AS.stage << Lifecycle(stage="young"), salience=phases.GUIDANCE)
    def guidance_innovation_check_young(self, stage):
        """Reminds a young, risk-taking organization that change does not by itself
        bring better services (¶59)."""
        self.guide("innovation-check", stage)

    @Rule(AS.f << Field(path="planner.position", value="executive"), salience=phases.GUIDANCE)
    def guidance_position_limits_executive(self, f):
        """Warns a planner at executive level that they reach policy but not its
        implementation (¶23)."""
        self.guide("position-limits", f)

    @Rule(AS.f << Field(path="change.triggers", value="policy-change"), salience=phases.GUIDANCE)
    def guidance_mandated_change(self, f):
        """Advises that a change imposed by law or policy must still be won: show its
        benefits, go in stages within the mandate, never force it (¶65, ¶52)."""
        self.guide("mandated-change", f)

    @Rule(AS.f << Field(path="change.triggers", value="funding-change"), salience=phases.GUIDANCE)
    def guidance_community_donor_funding_change(self, f):
        """Warns that a change driven by funding may pull the planner between the
        community's needs and the donor's wishes (¶33)."""
        self.guide("community-donor", f)

    @Rule(
        AS.f << Field(path="funding.funds_for_change", value=SHORT_FUNDS),
        salience=phases.GUIDANCE,
    )
    def guidance_community_donor_short_funds(self, f):
        """Warns that new money for an unfunded change may pull the planner between
        the community and a donor (¶33)."""
        self.guide("community-donor", f)

    @Rule(
        AS.staff << Field(path="change.new_staff_required", value=True),
        AS.agency << Field(path="change.recruitment_via_agency", value=True),
        salience=phases.GUIDANCE,
    )
    def guidance_recruitment_spec(self, staff, agency):
        """Advises telling a recruitment agency in detail which staff are needed
        (¶60)."""
        self.guide("recruitment-spec", staff, agency)

    @Rule(AS.f << Field(path="planner.credibility", value="low"), salience=phases.GUIDANCE)
    def guidance_credibility_low(self, f):
        """Warns a planner of low credibility to build it from knowledge, skill and
        experience before pressing for change (¶32)."""
        self.guide("credibility", f)
