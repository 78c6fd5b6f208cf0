"""The strategies that raise acceptance of change (¶62–¶73), with their caveats.

A strategy is recommended by one or more rules, each giving its reasons; caveats
and case-specific first steps attach to a recommended strategy. Ranking is done
from the reasons in ``reasoning.advice_builder``.
"""

from experta import AS, NOT, L

from perencana.engine.experta_ext.rules import Rule
from perencana.engine.reasoning.facts import (
    Cause,
    Field,
    Lifecycle,
    Program,
    Recommended,
    Stakeholder,
)
from perencana.rules import phases

NEW_SKILLS = L("some") | L("extensive")
SHORT_FUNDS = L("none") | L("partial")


class StrategyRules:
    # S1 education (¶63)

    @Rule(
        Cause(id="management-disruption"),
        AS.f << Field(path="change.skills_required", value=NEW_SKILLS),
        salience=phases.STRATEGY,
    )
    def strategy_education_new_skills(self, f):
        """Recommends education for change (workshops, seminars, training) against
        the disruption to management of a change that needs new skills (¶63, ¶56)."""
        self.recommend("education", "management-disruption", f)

    @Rule(
        Recommended(strategy="education"),
        Field(path="staff.involved_in_design", value=False),
        salience=phases.CAVEAT,
    )
    def strategy_education_caveat_not_involved(self):
        """Cautions that education works only when participants help design or run
        the program; here they do not (¶63)."""
        self.caveat("education", "education-not-involved")

    @Rule(
        Recommended(strategy="education"),
        Field(path="staff.field_experience", value="low"),
        salience=phases.CAVEAT,
    )
    def strategy_education_caveat_no_field_experience(self):
        """Cautions that education works only with participants who have field
        experience; here they have little (¶63)."""
        self.caveat("education", "education-no-field-experience")

    @Rule(
        Recommended(strategy="education"),
        Field(path="staff.authority_to_change", value=False),
        salience=phases.CAVEAT,
    )
    def strategy_education_caveat_no_authority(self):
        """Cautions that education works only when participants may use what they
        learn; here they lack the authority (¶63)."""
        self.caveat("education", "education-no-authority")

    @Rule(
        Recommended(strategy="education"),
        Field(path="staff.involved_in_design", value=False),
        Field(path="staff.field_experience", value="low"),
        Field(path="staff.authority_to_change", value=False),
        salience=phases.CAVEAT,
    )
    def strategy_education_first_step_conditions(self):
        """When none of education's three conditions holds, the first step is to
        create them before any training (¶63)."""
        self.first_step("education", "education-create-conditions")

    # S2 adapt to limited resources (¶64)

    @Rule(
        Cause(id="financial"),
        AS.f << Field(path="funding.funds_for_change", value=SHORT_FUNDS),
        salience=phases.STRATEGY,
    )
    def strategy_adapt_short_funds(self, f):
        """Recommends adapting services to the resources at hand against the
        resistance over cost and funding of a change that is not fully funded (¶64, ¶55)."""
        self.recommend("adapt-to-resources", "financial", f)

    @Rule(AS.f << Field(path="resources.limited", value=True), salience=phases.STRATEGY)
    def strategy_adapt_limited_resources(self, f):
        """Recommends adapting services to the resources at hand when resources are
        limited (¶64)."""
        self.recommend("adapt-to-resources", f)

    # S3 negotiate incentives (¶65)

    @Rule(Cause(id="financial"), salience=phases.STRATEGY)
    def strategy_negotiate_financial(self):
        """Recommends negotiating over money and showing the benefits whenever there
        is resistance over cost and funding (¶65)."""
        self.recommend("negotiate-incentives", "financial")

    @Rule(Recommended(strategy="negotiate-incentives"), salience=phases.CAVEAT)
    def strategy_negotiate_caveat_never_force(self):
        """Cautions that a change forced through is rejected; negotiate without
        harming the organization or community (¶65, ¶52)."""
        self.caveat("negotiate-incentives", "negotiate-never-force")

    @Rule(
        Recommended(strategy="negotiate-incentives"),
        Field(path="planner.negotiation_skill", value="low"),
        salience=phases.CAVEAT,
    )
    def strategy_negotiate_caveat_negotiation_skill(self):
        """Cautions a planner with little negotiation skill that this strategy rests on
        negotiating, and says how to make up for it (¶31, ¶65)."""
        self.caveat("negotiate-incentives", "negotiation-skill")

    # S4 expand expertise (¶66, ¶60)

    @Rule(
        Cause(id="management-disruption"),
        AS.f << Field(path="change.new_staff_required", value=True),
        salience=phases.STRATEGY,
    )
    def strategy_expand_new_staff(self, f):
        """Recommends expanding expertise, with new staff bringing new ideas and
        skills, against the disruption of a change that needs new staff (¶66, ¶60)."""
        self.recommend("expand-expertise", "management-disruption", f)

    @Rule(
        AS.f << Field(path="change.triggers", value="service-area-expansion"),
        NOT(Field(path="change.new_staff_required", value=False)),
        salience=phases.STRATEGY,
    )
    def strategy_expand_service_area(self, f):
        """Recommends expanding expertise when the change comes from a larger service
        area, unless the case says the change needs no new staff (¶60, ¶66)."""
        self.recommend("expand-expertise", f)

    @Rule(
        Recommended(strategy="expand-expertise"),
        Field(path="change.new_staff_required", value=True),
        Field(path="change.recruitment_via_agency", value=True),
        salience=phases.CAVEAT,
    )
    def strategy_expand_caveat_agency(self):
        """Cautions that a recruitment agency often misses what the organization
        wants unless told in detail which staff are needed (¶60)."""
        self.caveat("expand-expertise", "expand-agency-needs-detail")

    @Rule(
        Recommended(strategy="expand-expertise"),
        Field(path="funding.funds_for_change", value=SHORT_FUNDS),
        salience=phases.CAVEAT,
    )
    def strategy_expand_caveat_recruitment_cost(self):
        """Cautions that recruiting takes considerable time and money, which a change
        with no or partial funds does not have (¶60)."""
        self.caveat("expand-expertise", "recruitment-cost")

    # S5 consultants (¶67)

    @Rule(
        Cause(id="management-disruption"),
        AS.consultant << Field(path="partners.consultant_available", value=True),
        AS.skills << Field(path="change.skills_required", value=NEW_SKILLS),
        salience=phases.STRATEGY,
    )
    def strategy_consultants_skills(self, consultant, skills):
        """Recommends bringing in an available consultant when the change needs new
        skills: they share what they learned helping other agencies (¶67)."""
        self.recommend("consultants", "management-disruption", consultant, skills)

    @Rule(
        AS.consultant << Field(path="partners.consultant_available", value=True),
        AS.trigger << Field(path="change.triggers", value="new-program-data"),
        salience=phases.STRATEGY,
    )
    def strategy_consultants_innovation(self, consultant, trigger):
        """Recommends an available consultant when new program data calls for
        innovation (¶67)."""
        self.recommend("consultants", consultant, trigger)

    @Rule(
        Recommended(strategy="consultants"),
        Cause(id="outsider-origin"),
        salience=phases.CAVEAT,
    )
    def strategy_consultants_caveat_outsider(self):
        """Cautions that, where outside proposals already cause resistance, a
        consultant is one more outsider: they must share experience, not impose
        (¶67, ¶54)."""
        self.caveat("consultants", "consultants-also-outsiders")

    # S6 shake-up (¶68, ¶61)

    @Rule(
        AS.stage << Lifecycle(stage="established"),
        AS.f << Field(path="resources.problems_acknowledged", value=False),
        salience=phases.STRATEGY,
    )
    def strategy_shake_up_unacknowledged(self, stage, f):
        """Recommends a small shake-up for an established organization that does not
        see its own problems (¶68, ¶61)."""
        self.recommend("shake-up", stage, f)

    @Rule(Recommended(strategy="shake-up"), salience=phases.CAVEAT)
    def strategy_shake_up_caveat_not_permanent(self):
        """Cautions that a shake-up does not make change permanent: it must be
        followed by structural change toward the organization's goals (¶68)."""
        self.caveat("shake-up", "shake-up-not-permanent")

    # S7 link institutions (¶69)

    @Rule(
        AS.f << Field(path="partners.peer_institution_available", value=True),
        salience=phases.STRATEGY,
    )
    def strategy_link_peer(self, f):
        """Recommends linking with a peer agency that runs a similar program (¶69)."""
        self.recommend("link-institutions", f)

    @Rule(
        AS.peer << Field(path="partners.peer_institution_available", value=True),
        AS.f << Field(path="partners.peer_stronger", value=True),
        salience=phases.STRATEGY,
    )
    def strategy_link_stronger_peer(self, peer, f):
        """Recommends linking all the more when the peer agency is stronger, so that
        knowledge, skills and experience flow to the organization (¶69)."""
        self.recommend("link-institutions", peer, f)

    @Rule(
        Recommended(strategy="link-institutions"),
        Field(path="partners.peer_stronger", value=False),
        salience=phases.CAVEAT,
    )
    def strategy_link_caveat_peer_not_stronger(self):
        """Cautions that with a peer that is not stronger, less knowledge and skill
        will transfer: agree what each side brings (¶69)."""
        self.caveat("link-institutions", "link-peer-not-stronger")

    # S8 affected parties (¶70, ¶52)

    @Rule(AS.s << Stakeholder(directly_affected=True, impact="negative"), salience=phases.STRATEGY)
    def strategy_affected_losers(self, s):
        """Recommends attending to a party the change affects directly and harms:
        resistance usually comes from those who lose (¶70)."""
        self.recommend("affected-parties", s)

    # S9 gradual change (¶71, ¶52)

    @Rule(Cause(id="hard-won-status-quo"), salience=phases.STRATEGY)
    def strategy_gradual_status_quo(self):
        """Recommends slow, continuous change when the present state was hard won
        (¶71, ¶57)."""
        self.recommend("gradual-change", "hard-won-status-quo")

    @Rule(AS.stage << Lifecycle(stage="established"), salience=phases.STRATEGY)
    def strategy_gradual_established(self, stage):
        """Recommends slow, continuous change for an established organization, which
        closes itself off when pushed (¶71, ¶51)."""
        self.recommend("gradual-change", stage)

    @Rule(AS.s << Stakeholder(directly_affected=True, impact="negative"), salience=phases.STRATEGY)
    def strategy_gradual_resisting_stakeholders(self, s):
        """Recommends slow, continuous change when some stakeholders stand to lose
        and may close themselves off (¶71, ¶52)."""
        self.recommend("gradual-change", s)

    @Rule(
        Recommended(strategy="gradual-change"),
        Field(path="change.scope", value="organization-wide"),
        salience=phases.CAVEAT,
    )
    def strategy_gradual_caveat_scope(self):
        """Cautions that not every area needs to change: narrow an organization-wide
        change to where it is needed and keep what still works (¶71)."""
        self.caveat("gradual-change", "gradual-not-every-area")

    @Rule(
        Recommended(strategy="gradual-change"),
        Field(path="change.scope", value="organization-wide"),
        Field(path="change.triggers", value="policy-change"),
        salience=phases.CAVEAT,
    )
    def strategy_gradual_caveat_scope_mandated(self):
        """Cautions that a change required by law or policy cannot be narrowed: go in
        stages within the mandate and keep what works where it leaves room; in the
        advice this caveat replaces the one on narrowing (¶71, ¶65, ¶52)."""
        self.caveat("gradual-change", "gradual-within-mandate")

    # S10 program review (¶72): the per-program decisions are in rules/programs.py

    @Rule(AS.p << Program(), salience=phases.STRATEGY)
    def strategy_program_review(self, p):
        """Recommends reviewing each program (keep, develop or replace) when the case
        lists programs (¶72, ¶71)."""
        self.recommend("program-review", p)

    # S11 collaborative stance (¶73)

    @Rule(AS.f << Field(path="planner.origin", value="external"), salience=phases.STRATEGY)
    def strategy_collaborative_external_planner(self, f):
        """Recommends a collaborative stance for a planner from outside: study the
        organization, assume nothing (¶73)."""
        self.recommend("collaborative-stance", f)

    @Rule(
        AS.f << Field(path="planner.organization_resists_intervention", value=True),
        salience=phases.STRATEGY,
    )
    def strategy_collaborative_resisted(self, f):
        """Recommends a collaborative stance when the organization tries to keep the
        planner out: cooperation decides (¶73)."""
        self.recommend("collaborative-stance", f)

    @Rule(Cause(id="outsider-origin"), salience=phases.STRATEGY)
    def strategy_collaborative_outsider_cause(self):
        """Recommends a collaborative stance when outside proposals cause resistance
        (¶73, ¶54)."""
        self.recommend("collaborative-stance", "outsider-origin")
