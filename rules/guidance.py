"""Guidance to the planner beyond the eleven strategies (¶23–¶34, ¶52, ¶58–¶61, ¶65),
and from Part A of the source: the planner's role, coordination with other agencies,
skills and background (¶6–¶22, ¶31, ¶36–¶48)."""

from experta import AS, L

from perencana.engine.experta_ext.rules import Rule
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

    # Part A of the source: the planner's role, coordination, skills and background.

    @Rule(
        AS.f << Field(path="planner.role", value="sectoral-planning"),
        salience=phases.GUIDANCE,
    )
    def guidance_role_sectoral_planning(self, f):
        """Advises a planner who plans for a whole service sector or population to
        weigh this organization's change against the sector's needs, as most
        community-level planning is sectoral (¶12, ¶19, ¶22)."""
        self.guide("role-sectoral-planning", f)

    @Rule(AS.f << Field(path="planner.role", value="policy-input"), salience=phases.GUIDANCE)
    def guidance_role_policy_input(self, f):
        """Advises a planner whose role is input to legislation or policy to turn the
        organization's experience of the change into evidence for policy, through an
        advisory committee or policy board (¶13, ¶19, ¶6, ¶9)."""
        self.guide("role-policy-input", f)

    @Rule(
        AS.f << Field(path="planner.role", value="mobilize-support"),
        salience=phases.GUIDANCE,
    )
    def guidance_role_mobilize_support(self, f):
        """Advises a planner who rallies support for a program, its funds or its ideas
        that outside backing does not replace acceptance inside the organization
        (¶15, ¶52)."""
        self.guide("role-mobilize-support", f)

    @Rule(AS.f << Field(path="planner.role", value="internal-change"), salience=phases.GUIDANCE)
    def guidance_role_internal_change(self, f):
        """Advises a planner who steers change inside the organization to plan staff
        quality, experts, facilities and funding as one change (¶16)."""
        self.guide("role-internal-change", f)

    @Rule(AS.f << Field(path="planner.role", value="service-areas"), salience=phases.GUIDANCE)
    def guidance_role_service_areas(self, f):
        """Advises a planner who decides service areas or programs to base the choice
        on an evaluation of the programs and on service models designed for the need
        (¶17, ¶7, ¶8)."""
        self.guide("role-service-areas", f)

    @Rule(
        AS.f << Field(path="planner.role", value="community-development"),
        salience=phases.GUIDANCE,
    )
    def guidance_role_community_development(self, f):
        """Advises a planner who develops a community or program beyond the
        organization's own service area to say why the work matters there and to
        work with the agencies already present (¶18, ¶10)."""
        self.guide("role-community-development", f)

    @Rule(
        AS.f << Field(path="partners.other_agencies_same_area", value=True),
        salience=phases.GUIDANCE,
    )
    def guidance_cross_sectoral_coordinator(self, f):
        """Advises planning across sectors when other agencies serve the same area or
        group, each with its own aims and population, under a coordinator who sees
        the whole (¶22, ¶20, ¶21)."""
        self.guide("cross-sectoral-coordinator", f)

    @Rule(
        AS.others << Field(path="partners.other_agencies_same_area", value=True),
        AS.body << Field(path="partners.coordinating_body", value=True),
        salience=phases.GUIDANCE,
    )
    def guidance_coordinating_body(self, others, body):
        """Advises bringing the change before the coordinating body that brings the
        agencies of the same area or group together (¶20)."""
        self.guide("coordinating-body", others, body)

    @Rule(AS.f << Field(path="planner.diagnosis_skill", value="low"), salience=phases.GUIDANCE)
    def guidance_diagnosis_skill(self, f):
        """Advises a planner with little skill in diagnosing problems to get that
        skill beside them before defining the problem the change answers (¶31, ¶61)."""
        self.guide("diagnosis-skill", f)

    @Rule(AS.f << Field(path="planner.background", value="specialist"), salience=phases.GUIDANCE)
    def guidance_background_specialist(self, f):
        """Warns a planner who broadened out from one specialty that the change may be
        seen through that specialty; a professional planner's gain is the wider view
        (¶39, ¶36)."""
        self.guide("background-specialist", f)

    @Rule(
        AS.f << Field(path="planner.background", value="administrator"),
        salience=phases.GUIDANCE,
    )
    def guidance_background_administrator(self, f):
        """Warns a planner from general administration or development planning that
        the change may be treated as a matter of procedure and budget, and points to
        social development and the roles of social planning (¶40, ¶44, ¶46)."""
        self.guide("background-administrator", f)

    @Rule(
        AS.f << Field(path="planner.background", value="social-science"),
        salience=phases.GUIDANCE,
    )
    def guidance_background_social_science(self, f):
        """Warns a planner from the social sciences that analysis may run ahead of
        planning practice, and points to government structure, planning methods and
        the basic techniques (¶41, ¶45, ¶47)."""
        self.guide("background-social-science", f)

    @Rule(
        AS.f << Field(path="planner.background", value="trained-planner"),
        salience=phases.GUIDANCE,
    )
    def guidance_background_trained_planner(self, f):
        """Warns a planner trained in social planning that general techniques need
        this organization's particulars, and that specializing follows training
        (¶42, ¶37, ¶48, ¶73)."""
        self.guide("background-trained-planner", f)
