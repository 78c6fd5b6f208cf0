"""The memo's action plan and stakeholder map (issue 13, parts 4 and 5): the plan's
steps name the case's own stakeholders and programs (never one the case lacks), say
who leads them as the case says, and cite their ¶; the map gives each stakeholder's
gain or loss (unknown read as unknown), the stance to expect and how to involve them,
in every format and both languages. The JSON advice does not change."""

import copy
import re

import pytest
import yaml

from perencana.engine.memo.render import render
from perencana.engine.view.advice_json import advice_json
from perencana.engine.view.memo import memo_view
from perencana.knowledge.checks import check_knowledge
from perencana.knowledge.loader import ITEM_FILES, KNOWLEDGE_DIR, _merge_wording, _read
from tests.conftest import make_case
from tests.helpers import EXAMPLES, invoke, picture_without_a_browser

LANGS = ("en", "id")

PEOPLE = [
    {"name": "intake clerks", "directly_affected": True, "impact": "negative"},
    {"name": "waiting families", "directly_affected": True, "impact": "positive"},
    {"name": "district council", "directly_affected": False, "impact": "negative"},
    {"name": "volunteer drivers", "directly_affected": True, "impact": "unknown"},
    {"name": "village heads", "directly_affected": "unknown", "impact": "neutral"},
]
PROGRAMS = [
    {"name": "home visits", "viable": True, "effectiveness": "high", "efficiency": "high"},
    {"name": "food parcels", "viable": True, "effectiveness": "low", "efficiency": "adequate"},
    {"name": "paper registry", "viable": False, "effectiveness": "low", "efficiency": "low"},
]


def advise(advisor, answers=None, stakeholders=PEOPLE, programs=PROGRAMS):
    return advisor.advise(make_case(answers, stakeholders=stakeholders, programs=programs))


def steps_of(view):
    return {s["id"]: s for g in view["action_plan"]["phases"] for s in g["steps"]}


@pytest.fixture(scope="module")
def advice(advisor):
    return advise(advisor, {"planner.position": "middle"})


# -- the plan names the case's own people and programs ------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_plan_names_those_who_lose_and_those_who_gain(advice, knowledge, lang):
    steps = steps_of(memo_view(advice, knowledge, lang))
    # Only the directly affected who lose: the council loses but is not directly
    # affected, the drivers' gain or loss is unknown.
    assert steps["meet-those-who-lose"]["concerns"] == ["intake clerks"]
    assert "(intake clerks)" in steps["meet-those-who-lose"]["text"]
    assert steps["allies-who-gain"]["concerns"] == ["waiting families"]
    assert steps["find-out-the-impact"]["concerns"] == ["volunteer drivers"]
    assert steps["meet-those-who-lose"]["sources"] == [70, 52]
    assert steps["meet-those-who-lose"]["strategy"] == "affected-parties"


def test_the_plan_names_the_programs_by_their_decision(advice, knowledge):
    steps = steps_of(memo_view(advice, knowledge, "en"))
    assert steps["keep-programs"]["concerns"] == ["home visits"]
    assert steps["develop-programs"]["concerns"] == ["food parcels"]
    assert steps["replace-programs"]["concerns"] == ["paper registry"]
    assert "(paper registry)" in steps["replace-programs"]["text"]
    assert steps["replace-programs"]["sources"] == [72, 71, 23]  # a middle planner (¶23)


def test_the_plan_never_names_what_the_case_does_not_have(advisor, knowledge):
    cases = [
        advise(advisor),
        advise(advisor, stakeholders=PEOPLE[:1], programs=PROGRAMS[1:2]),
        advise(advisor, stakeholders=[], programs=[]),
    ]
    for advice in cases:
        own = {p["name"] for p in advice.case["stakeholders"] + advice.case["programs"]}
        for step in steps_of(memo_view(advice, knowledge, "en")).values():
            if "{names}" in knowledge.plan_steps[step["id"]]["text"]["en"]:
                assert step["concerns"], step["id"]
            assert set(step["concerns"]) <= own, step["id"]
            assert "{" not in step["text"], step["id"]
    alone = steps_of(memo_view(cases[1], knowledge, "en"))
    assert "allies-who-gain" not in alone  # nobody gains
    assert "keep-programs" not in alone and "replace-programs" not in alone
    assert alone["develop-programs"]["concerns"] == ["food parcels"]
    empty = steps_of(memo_view(cases[2], knowledge, "en"))
    assert not {"meet-those-who-lose", "keep-programs", "find-out-the-impact"} & set(empty)


def test_several_names_are_joined_in_the_language(advisor, knowledge):
    people = [
        {"name": "intake clerks", "directly_affected": True, "impact": "negative"},
        {"name": "cashiers", "directly_affected": True, "impact": "negative"},
        {"name": "guards", "directly_affected": True, "impact": "negative"},
    ]
    advice = advise(advisor, stakeholders=people)
    en = steps_of(memo_view(advice, knowledge, "en"))["meet-those-who-lose"]
    id_ = steps_of(memo_view(advice, knowledge, "id"))["meet-those-who-lose"]
    assert "(intake clerks, cashiers and guards)" in en["text"]
    assert "(intake clerks, cashiers dan guards)" in id_["text"]
    assert en["concerns"] == ["intake clerks", "cashiers", "guards"]


def test_steps_follow_the_phases_and_are_numbered_through(advice, knowledge):
    plan = memo_view(advice, knowledge, "en")["action_plan"]
    phases = list(knowledge.phases)
    assert [g["id"] for g in plan["phases"]] == sorted(
        (g["id"] for g in plan["phases"]), key=phases.index
    )
    numbers = [s["number"] for g in plan["phases"] for s in g["steps"]]
    assert numbers == list(range(1, plan["count"] + 1))
    recommended = {s.id: s.phase for s in advice.strategies}
    for group in plan["phases"]:
        for step in group["steps"]:
            if step["strategy"]:
                assert recommended[step["strategy"]] == group["id"]


def test_a_step_of_a_strategy_not_recommended_is_left_out(advisor, knowledge):
    advice = advise(advisor, stakeholders=PEOPLE[1:2], programs=[])
    assert "affected-parties" not in {s.id for s in advice.strategies}
    steps = steps_of(memo_view(advice, knowledge, "en"))
    assert "meet-those-who-lose" not in steps and "allies-who-gain" not in steps


@pytest.mark.parametrize(
    ("new_staff", "steps", "sign"),
    [
        (True, {"profile-the-posts", "brief-the-agency"}, True),
        ("unknown", {"weigh-the-posts"}, False),
    ],
)
def test_posts_are_planned_only_when_the_case_says_new_staff_are_needed(
    advisor, knowledge, new_staff, steps, sign
):
    # A larger service area calls for more expertise (¶66) whether or not the case
    # says new staff are needed; no step or sign speaks of new posts until it does.
    answers = {
        "change.triggers": ["service-area-expansion"],
        "change.new_staff_required": new_staff,
        "change.recruitment_via_agency": True,
    }
    view = memo_view(advise(advisor, answers), knowledge, "en")
    assert {k for k in steps_of(view) if k.endswith(("-posts", "-agency"))} == steps
    signs = [
        sign["text"]
        for phase in view["action_plan"]["phases"]
        if phase["success"]
        for sign in phase["success"]["signs"]
    ]
    assert any("new posts" in text for text in signs) == sign


# -- who leads, where the case says ---------------------------------------------------


@pytest.mark.parametrize(
    ("position", "lead"),
    [("executive", "planner"), ("both", "planner"), ("middle", "leadership"), (None, "to-agree")],
)
def test_who_leads_the_negotiation_follows_the_planners_position(
    advisor, knowledge, position, lead
):
    answers = {"funding.funds_for_change": "none"}
    if position:
        answers["planner.position"] = position
    steps = steps_of(memo_view(advise(advisor, answers), knowledge, "en"))
    assert steps["negotiate-the-costs"]["lead"]["id"] == lead
    # The planner's position decides, and the step cites where the source says so.
    assert steps["negotiate-the-costs"]["sources"] == ([65, 23] if position else [65])


def test_staff_involved_in_the_design_lead_the_training(advisor, knowledge):
    answers = {"change.skills_required": "extensive", "planner.position": "executive"}
    involved = steps_of(
        memo_view(advise(advisor, {**answers, "staff.involved_in_design": True}), knowledge, "en")
    )
    assert involved["train-on-real-tasks"]["lead"]["id"] == "staff"
    assert "staff-in-the-design" not in involved  # they are in it already
    left_out = steps_of(
        memo_view(advise(advisor, {**answers, "staff.involved_in_design": False}), knowledge, "en")
    )
    assert left_out["staff-in-the-design"]["lead"]["id"] == "leadership"


def test_the_peer_step_says_stronger_only_when_the_case_does(advisor, knowledge):
    base = {"partners.peer_institution_available": True}
    stronger = steps_of(
        memo_view(advise(advisor, {**base, "partners.peer_stronger": True}), knowledge, "en")
    )
    assert "learn-from-the-stronger-peer" in stronger and "work-with-the-peer" not in stronger
    unknown = steps_of(memo_view(advise(advisor, base), knowledge, "en"))
    assert "work-with-the-peer" in unknown and "learn-from-the-stronger-peer" not in unknown
    assert "stronger" not in unknown["work-with-the-peer"]["text"]


# -- the stakeholder map ------------------------------------------------------------


def test_the_map_has_a_row_per_stakeholder_in_the_case_order(advice, knowledge):
    rows = memo_view(advice, knowledge, "en")["stakeholder_map"]["rows"]
    assert [r["name"] for r in rows] == [p["name"] for p in PEOPLE]
    got = {r["name"]: (r["directly_affected_label"], r["impact_label"], r["row"]) for r in rows}
    assert got == {
        "intake clerks": ("yes", "loses", "loses-directly"),
        "waiting families": ("yes", "gains", "gains-directly"),
        "district council": ("no", "loses", "loses-indirectly"),
        "volunteer drivers": ("yes", "unknown", "impact-unknown"),
        "village heads": ("unknown", "neither", "neither-gains-nor-loses"),
    }
    clerks = rows[0]
    assert clerks["stance"].startswith("Likely to resist")
    assert clerks["sources"] == [70, 52]


@pytest.mark.parametrize("lang", LANGS)
def test_an_unknown_impact_reads_as_unknown_never_as_gain_or_loss(advice, knowledge, lang):
    words = knowledge.memo["stakeholder_map"]
    row = memo_view(advice, knowledge, lang)["stakeholder_map"]["rows"][3]
    assert row["impact_label"] == words["impact_unknown"][lang]
    assert row["row"] == "impact-unknown"
    assert row["stance"] == " ".join(
        knowledge.stakeholder_map["impact-unknown"]["stance"][lang].split()
    )
    memo = render(advice, knowledge, "md", lang)
    line = next(line for line in memo.splitlines() if line.startswith("| volunteer drivers |"))
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    assert cells[2] == words["impact_unknown"][lang]


def test_every_combination_of_answers_finds_a_row_of_the_map(knowledge):
    rows = knowledge.stakeholder_map
    for row in rows.values():
        assert {s for s in row["sources"]} <= {52, 70}
    raw = raw_knowledge()
    raw["stakeholder_map"] = [r for r in raw["stakeholder_map"] if r["id"] != "impact-unknown"]
    problems = check_knowledge(raw, ITEM_FILES)
    assert any("no row for directly_affected True and impact unknown" in p for p in problems)


def test_a_plan_step_needs_a_known_lead_and_concern(knowledge):
    raw = raw_knowledge()
    step = raw["plan_steps"][0]
    step["lead"] = [{"who": "mayor"}]
    step["concerns"] = "everyone"
    problems = check_knowledge(raw, ITEM_FILES)
    assert any("study-the-organization: lead 1: who must be one of" in p for p in problems)
    assert any("study-the-organization: concerns 'everyone'" in p for p in problems)
    raw = raw_knowledge()
    raw["plan_steps"][0]["strategy"] = "no-such-strategy"
    assert any("no-such-strategy" in p for p in check_knowledge(raw, ITEM_FILES))


def raw_knowledge():
    raw = {name: _read(KNOWLEDGE_DIR, name) for name in (*ITEM_FILES, "source", "thresholds")}
    raw["memo"], _ = _merge_wording(KNOWLEDGE_DIR)
    assert not check_knowledge(copy.deepcopy(raw), ITEM_FILES)
    return raw


# -- in every format and both languages ------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_every_format_shows_the_plan_and_the_map(advice, knowledge, fmt, lang):
    memo = render(advice, knowledge, fmt, lang)
    flat = " ".join(re.sub(r"<[^>]+>", " ", memo).split()).replace("\\", "")
    for group in ("action_plan", "stakeholder_map"):
        assert knowledge.memo[group]["heading"][lang] in flat
    for name in ("intake clerks", "paper registry", "volunteer drivers"):
        assert name in flat
    lead = knowledge.memo["action_plan"]["lead_planner"][lang]
    assert lead in flat
    stance = knowledge.stakeholder_map["loses-directly"]["stance"][lang]
    assert " ".join(stance.split()) in flat
    assert "¶70, ¶52" in flat


def test_the_indonesian_plan_and_map_have_no_english_words(advice, knowledge):
    memo = render(advice, knowledge, "md", "id")
    for group in ("action_plan", "stakeholder_map"):
        for key, text in knowledge.memo[group].items():
            if text["en"] != text["id"] and len(text["en"]) > 3:
                assert f"| {text['en']} |" not in memo and f" {text['en']}\n" not in memo, key
    for step in knowledge.plan_steps.values():
        english = " ".join(step["text"]["en"].split()).split("{names}")[0]
        assert english not in " ".join(memo.split()), step["id"]


@pytest.mark.parametrize("lang", LANGS)
def test_the_word_memo_has_the_plan_and_the_map_tables(tmp_path, knowledge, lang):
    docx = pytest.importorskip("docx")
    out = tmp_path / "memo.docx"
    case = EXAMPLES / "old-government-office.yaml"
    with picture_without_a_browser():  # the tables are read, not the picture
        made = invoke("advise", case, "--lang", lang, "--format", "docx", "-o", out)
    assert made.returncode == 0, made.stderr
    document = docx.Document(str(out))
    plan_words = knowledge.memo["action_plan"]
    map_words = knowledge.memo["stakeholder_map"]
    plans = [t for t in document.tables if t.rows[0].cells[1].text == plan_words["step"][lang]]
    assert plans
    # The step's column is the widest in the grid Word lays the table out by.
    widths = [column.width for column in plans[0].columns]
    assert widths[1] == max(widths) > 2 * widths[2] and widths[0] == min(widths)
    steps = [row.cells for table in plans for row in table.rows[1:]]
    assert [c[0].text for c in steps] == [str(n) for n in range(1, len(steps) + 1)]
    losers = next(c for c in steps if "intake clerks" in c[1].text)
    assert losers[2].text == plan_words["lead_planner"][lang]
    assert losers[1].text.endswith("(¶70, ¶52)")  # the ¶ after the step, as in HTML
    people = [
        t for t in document.tables if t.rows[0].cells[0].text == map_words["stakeholder"][lang]
    ]
    assert len(people) == 1
    rows = [[c.text for c in row.cells] for row in people[0].rows[1:]]
    assert [r[0] for r in rows] == ["intake clerks", "families on the waiting list"]
    # The two short answers share a column, as in the HTML memo.
    assert rows[0][1].endswith(f" / {map_words['impact_negative'][lang]}")


def test_a_copied_memo_template_keeps_the_plan_through_its_includes(tmp_path):
    from perencana.engine.memo.templating import templates_dir

    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "memo.md.j2").write_text((templates_dir() / "memo.md.j2").read_text())
    case = EXAMPLES / "old-government-office.yaml"
    shipped = invoke("advise", case).stdout
    copied = invoke("advise", case, "--template-dir", folder)
    assert copied.returncode == 0, copied.stderr
    assert copied.stdout == shipped
    # A folder of its own: a template found once is remembered for its folder.
    folder = tmp_path / "with-a-section"
    (folder / "sections").mkdir(parents=True)
    (folder / "memo.md.j2").write_text((templates_dir() / "memo.md.j2").read_text())
    (folder / "sections" / "stakeholder_map.md.j2").write_text(
        "{% for r in stakeholder_map.rows %}WHO {{ r.name }}\n{% endfor %}"
    )
    replaced = invoke("advise", case, "--template-dir", folder).stdout
    assert "WHO intake clerks" in replaced
    assert "| intake clerks | yes | loses |" not in replaced
    assert "(intake clerks)" in replaced  # the plan's shipped partial still serves


def test_the_json_advice_has_no_plan_or_map(advice):
    data = advice_json(advice)
    contract = {"format", "organization", "lifecycle", "causes", "strategies", "programs"}
    contract |= {"guidance", "unknowns", "trace"}
    assert not {"action_plan", "stakeholder_map"} & set(data)
    assert contract <= set(data)


def test_the_old_government_office_plan_reads_as_the_case_says(knowledge):
    case = yaml.safe_load((EXAMPLES / "old-government-office.yaml").read_text())
    md = invoke("advise", EXAMPLES / "old-government-office.yaml").stdout
    plan = md.split("\n## 5. ")[1].split("\n## 7. ")[0]
    assert "(intake clerks)" in plan and "(families on the waiting list)" in plan
    assert case["planner"]["position"] == "executive"
    # An executive planner reaches top policy, not the work on the ground (¶23): the
    # stages are led by the leadership, the budget talks by the planner.
    assert re.search(
        r"\| Carry the change out in stages.*\| The organization's leadership \|", plan
    )
    assert re.search(r"\| Negotiate the costs.*\| The planner \|", plan)


def test_every_paragraph_the_plan_and_the_map_cite_is_among_the_sources(advisor, knowledge):
    # One stakeholder whose impact is unknown: the plan and the map cite ¶70 (those who
    # lose), which no finding of the advice does.
    advice = advise(advisor, stakeholders=PEOPLE[3:4], programs=[])
    view = memo_view(advice, knowledge, "en")
    listed = {p["number"] for p in view["sources"]["passages"]}
    steps = [s for g in view["action_plan"]["phases"] for s in g["steps"]]
    assert 70 in {n for s in steps for n in s["sources"]}
    for item in steps + view["stakeholder_map"]["rows"]:
        assert set(item["sources"]) <= listed


@pytest.mark.parametrize("lang", LANGS)
def test_unacknowledged_problems_call_for_the_facilitator_before_any_shake_up(
    advisor, knowledge, lang
):
    """¶61, as the knowledge brief's refinement reads it: an organization that does not
    see its own problems is first helped to name them, by the planner as facilitator;
    the shake-up (¶68) comes after. The step is there only when the case says so."""
    answers = {
        "resources.problems_acknowledged": False,
        "organization.age_years": 30,
        "organization.formalized_procedures": True,
    }
    advice = advise(advisor, answers)
    assert "shake-up" in {s.id for s in advice.strategies}
    view = memo_view(advice, knowledge, lang, edition="client")
    order = [s["id"] for g in view["action_plan"]["phases"] for s in g["steps"]]
    assert order.index("help-name-the-problems") < order.index("evidence-to-the-leadership")
    step = steps_of(view)["help-name-the-problems"]
    assert step["sources"] == [61] and step["lead"]["id"] == "planner"
    for known in (True, "unknown"):
        other = advise(advisor, {**answers, "resources.problems_acknowledged": known})
        assert "help-name-the-problems" not in steps_of(memo_view(other, knowledge, lang))


def test_a_step_about_one_group_or_program_reads_in_the_singular(advisor, knowledge):
    """English marks the plural: "the program that is no longer viable (day centre)"
    for one, "the programs ... (a and b)" for more (``text_one``)."""
    one = [{"name": "paper registry", "viable": False, "effectiveness": "low", "efficiency": "low"}]
    two = [*one, {**one[0], "name": "fax desk"}]
    for programs, wanted in ((one, "text_one"), (two, "text")):
        view = memo_view(advise(advisor, programs=programs), knowledge, "en")
        step = steps_of(view)["replace-programs"]
        names = " and ".join(p["name"] for p in programs)
        expected = " ".join(knowledge.plan_steps["replace-programs"][wanted]["en"].split())
        assert step["text"] == expected.format(names=names)
    losing = [PEOPLE[0]]
    view = memo_view(advise(advisor, stakeholders=losing), knowledge, "en")
    assert (
        "the directly affected group who loses by the change (intake clerks)"
        in (steps_of(view)["meet-those-who-lose"]["text"])
    )
