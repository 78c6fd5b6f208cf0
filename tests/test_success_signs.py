"""Success made visible (issue 13, memo design): under each phase of the action plan,
one line saying how the client will see the change taking hold, made of at most two
signs of ``knowledge/success_signs.yaml``. The signs name the case's own groups and
programs, cite their ¶, hold for the case (never one it contradicts), show only under
a phase with steps, and read the same in every format, edition and language. The JSON
advice does not change."""

import copy
import re

import pytest
import yaml

from perencana.engine.api import advise, read_case
from perencana.engine.case.schema import field_specs
from perencana.engine.memo.render import render
from perencana.engine.teaching import kb_check
from perencana.engine.view.advice_json import advice_json
from perencana.engine.view.memo import memo_view
from perencana.knowledge.checks import check_knowledge
from perencana.knowledge.loader import ITEM_FILES, KNOWLEDGE_DIR, _merge_wording, _read
from tests.conftest import make_case
from tests.helpers import EXAMPLES, indonesian_case, invoke, picture_without_a_browser

LANGS = ("en", "id")
EDITIONS = ("client", "planner", "trainer")
LOSING_SIGNS = {"losers-shape-the-steps", "losers-in-the-first-changes", "no-group-still-refusing"}


def example(name):
    return advise(read_case(EXAMPLES / f"{name}.yaml"))


def lines(view):
    """{phase: its success line or None} of the memo view's action plan."""
    return {g["id"]: g["success"] for g in view["action_plan"]["phases"]}


def signs(view):
    return {
        s["id"]: s
        for g in view["action_plan"]["phases"]
        if g["success"]
        for s in g["success"]["signs"]
    }


def sentence(success):
    return f"{success['lead']} {success['rest']}"


def flat(text):
    """The words of a memo in any text format: no tags (inline ones joined to their
    neighbours), no Markdown emphasis or escapes, one space between words."""
    text = re.sub(r"</?(strong|em|span)\b[^>]*>", "", text)
    text = re.sub(r"<[^>]+>", " ", text).replace("**", "").replace("\\", "")
    return " ".join(text.split())


@pytest.fixture(scope="module")
def old_office():
    return example("old-government-office")


@pytest.fixture(scope="module")
def review():
    return example("program-review")


# -- the signs name the case's own groups and programs --------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_old_government_office_sees_its_own_losing_group_in_every_phase(
    old_office, knowledge, lang
):
    view = memo_view(old_office, knowledge, lang)
    by_phase = lines(view)
    assert list(by_phase) == ["prepare", "start", "sustain"]
    assert all(by_phase.values())
    found = signs(view)
    for sign in LOSING_SIGNS:
        assert found[sign]["concerns"] == ["intake clerks"]
        assert "(intake clerks)" in found[sign]["text"]
    assert found["losers-shape-the-steps"]["sources"] == [70, 52]
    # Its shake-up (problems it does not acknowledge) is seen taking hold too, with ¶68.
    assert found["problem-acknowledged"]["sources"] == [68, 61]
    # The families on the waiting list gain: no sign counts them among those who lose.
    assert not any("waiting list" in s["text"] for s in found.values())


@pytest.mark.parametrize("lang", LANGS)
def test_the_program_review_sees_its_own_programs_reviewed(review, knowledge, lang):
    view = memo_view(review, knowledge, lang)
    found = signs(view)
    assert found["replacements-designed"]["concerns"] == ["sheltered workshop"]
    assert "(sheltered workshop)" in found["replacements-designed"]["text"]
    assert found["developed-programs-on-target"]["concerns"] == ["home rehabilitation visits"]
    assert found["impact-known"]["concerns"] == ["sheltered workshop employees"]
    # Nobody loses in this case: no sign about those who lose, in any phase.
    assert not LOSING_SIGNS & set(found)
    # Its plan has no first changes, so no line says how they will be seen.
    assert set(lines(view)) == {"prepare", "sustain"}


def test_the_indonesian_twin_names_its_own_indonesian_programs(knowledge):
    twin = yaml.safe_load(indonesian_case(EXAMPLES / "program-review.yaml").read_text())
    view = memo_view(
        advise(read_case(indonesian_case(EXAMPLES / "program-review.yaml"))), knowledge, "id"
    )
    replaced = signs(view)["replacements-designed"]
    assert replaced["concerns"] == [twin["programs"][2]["name"]]
    assert f"({twin['programs'][2]['name']})" in replaced["text"]


def test_a_case_where_nobody_loses_gets_no_sign_about_those_who_lose(advisor, knowledge):
    people = [{"name": "waiting families", "directly_affected": True, "impact": "positive"}]
    advice = advisor.advise(
        make_case({"change.skills_required": "extensive"}, stakeholders=people, programs=[])
    )
    for lang in LANGS:
        view = memo_view(advice, knowledge, lang)
        assert lines(view), "the plan has steps and lines"
        assert not LOSING_SIGNS & set(signs(view))
        assert "waiting families" not in " ".join(sentence(s) for s in lines(view).values() if s)


def test_the_signs_never_name_what_the_case_does_not_have(advisor, knowledge):
    cases = [
        make_case({"change.skills_required": "some"}, stakeholders=[], programs=[]),
        make_case(
            {"funding.funds_for_change": "none"},
            stakeholders=[{"name": "cooks", "directly_affected": True, "impact": "negative"}],
            programs=[{"name": "soup run", "viable": False, "effectiveness": "low"}],
        ),
    ]
    for case in cases:
        view = memo_view(advisor.advise(case), knowledge, "en")
        own = {item["name"] for item in case["stakeholders"] + case["programs"]}
        for sign in signs(view).values():
            assert set(sign["concerns"]) <= own, sign["id"]
            if "{names}" in knowledge.success_signs[sign["id"]]["text"]["en"]:
                assert sign["concerns"], sign["id"]
            assert "{" not in sign["text"]


# -- never a sign the case contradicts -------------------------------------------------


def test_a_sign_about_a_stronger_peer_only_when_the_case_says_it_is_stronger(advisor, knowledge):
    base = {"partners.peer_institution_available": True}

    def shown(answers):
        return set(signs(memo_view(advisor.advise(make_case(answers)), knowledge, "en")))

    assert "know-how-from-the-stronger-peer" in shown({**base, "partners.peer_stronger": True})
    weaker = shown({**base, "partners.peer_stronger": False})
    assert "joint-work-with-the-peer" in weaker
    assert "know-how-from-the-stronger-peer" not in weaker
    assert "know-how-from-the-stronger-peer" not in shown(base)  # unknown: not said


def test_no_sign_asks_for_what_the_case_already_has(advisor, knowledge):
    answers = {"change.skills_required": "extensive"}
    left_out = memo_view(
        advisor.advise(make_case({**answers, "staff.involved_in_design": False})), knowledge, "en"
    )
    assert "staff-in-the-design" in signs(left_out)
    involved = memo_view(
        advisor.advise(make_case({**answers, "staff.involved_in_design": True})), knowledge, "en"
    )
    assert "staff-in-the-design" not in signs(involved)
    assert "skills-in-use" in signs(involved)  # the next sign of the phase takes its place


def test_a_sign_of_a_strategy_not_recommended_is_never_shown(advisor, knowledge):
    for case in (make_case(), make_case({"funding.funds_for_change": "none"})):
        advice = advisor.advise(case)
        recommended = {s.id for s in advice.strategies}
        for sign_id in signs(memo_view(advice, knowledge, "en")):
            strategy = knowledge.success_signs[sign_id].get("strategy")
            assert strategy is None or strategy in recommended, sign_id


# -- short: one line a phase, with the phase's steps -----------------------------------


def test_one_line_of_at_most_two_signs_under_each_phase_with_steps(knowledge):
    limit = knowledge.thresholds["success_signs"]["per_phase"]
    assert limit == 2
    for case in sorted(EXAMPLES.glob("*.yaml")):
        view = memo_view(advise(read_case(case)), knowledge, "en", edition="client")
        plan = view["action_plan"]["phases"]
        assert all(g["steps"] for g in plan)
        shown = [g["success"] for g in plan if g["success"]]
        assert len(shown) <= 3, case.name
        for success in shown:
            assert 1 <= len(success["signs"]) <= limit, case.name


def test_the_first_signs_in_the_files_order_are_chosen(old_office, knowledge):
    # Those who lose, then working as partners: the file's order, not the plan's.
    prepare = lines(memo_view(old_office, knowledge, "en"))["prepare"]
    assert [s["id"] for s in prepare["signs"]] == [
        "losers-shape-the-steps",
        "working-together-agreed",
    ]
    words = knowledge.memo["action_plan"]
    assert prepare["rest"] == (
        f"{prepare['signs'][0]['text']} (¶70, ¶52){words['success_and']['en']}"
        f"{prepare['signs'][1]['text']} (¶73)."
    )


def test_every_paragraph_a_sign_cites_is_among_the_memos_sources(old_office, review, knowledge):
    for advice in (old_office, review):
        view = memo_view(advice, knowledge, "en", edition="client")
        listed = {p["number"] for p in view["sources"]["passages"]}
        for sign in signs(view).values():
            assert set(sign["sources"]) <= listed, sign["id"]


# -- every format, edition and language ------------------------------------------------


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_every_format_and_edition_shows_the_lines(old_office, knowledge, fmt, lang, edition):
    memo = flat(render(old_office, knowledge, fmt, lang, edition=edition))
    view = memo_view(old_office, knowledge, lang, edition=edition)
    lead = knowledge.memo["action_plan"]["success_lead"][lang]
    assert memo.count(lead) == 3
    for success in lines(view).values():
        assert flat(sentence(success)) in memo
    assert "(intake clerks)" in memo


def test_the_indonesian_lines_have_no_english_words(old_office, knowledge):
    memo = flat(render(old_office, knowledge, "md", "id", edition="client"))
    assert knowledge.memo["action_plan"]["success_lead"]["en"] not in memo
    for sign in knowledge.success_signs.values():
        english = sign["text"]["en"].split("{names}")[0].strip()
        assert english not in memo, sign["id"]
    assert memo.count(knowledge.memo["action_plan"]["success_lead"]["id"]) == 3


@pytest.mark.parametrize("edition", ["client", "planner"])
@pytest.mark.parametrize("lang", LANGS)
def test_the_word_memo_shows_the_lines_under_the_plan(tmp_path, knowledge, lang, edition):
    docx = pytest.importorskip("docx")
    out = tmp_path / "memo.docx"
    case = EXAMPLES / "old-government-office.yaml"
    with picture_without_a_browser():  # the paragraphs are read, not the picture
        made = invoke("advise", case, "--lang", lang, "--edition", edition, "-o", out)
    assert made.returncode == 0, made.stderr
    document = docx.Document(str(out))
    lead = knowledge.memo["action_plan"]["success_lead"][lang]
    found = [p for p in document.paragraphs if p.text.startswith(lead)]
    assert len(found) == 3
    assert found[0].runs[0].bold  # the lead-in stands out
    assert "(intake clerks)" in found[0].text and "¶70, ¶52" in found[0].text
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    plan = next(h for h in headings if knowledge.memo["action_plan"]["heading"][lang] in h)
    texts = [p.text for p in document.paragraphs]
    # Under the plan's heading, before the next section's.
    after = headings[headings.index(plan) + 1 :]
    next_section = next(h for h in after if re.match(r"\d+\. ", h))
    assert texts.index(plan) < texts.index(found[0].text) < texts.index(next_section)


def test_the_json_advice_has_no_success_signs(old_office):
    data = advice_json(old_office)
    assert not [key for key in data if "success" in key]
    assert "success" not in str(data.get("strategies"))


# -- the knowledge checks --------------------------------------------------------------


def raw_knowledge():
    raw = {name: _read(KNOWLEDGE_DIR, name) for name in (*ITEM_FILES, "source", "thresholds")}
    raw["memo"], _ = _merge_wording(KNOWLEDGE_DIR)
    assert not check_knowledge(copy.deepcopy(raw), ITEM_FILES)
    return raw


def sign_problems(change):
    raw = raw_knowledge()
    change(next(s for s in raw["success_signs"] if s["id"] == "stages-reviewed"))
    return check_knowledge(raw, ITEM_FILES)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda s: s.update(sources=[99]), "stages-reviewed: cites ¶99"),
        (lambda s: s.update(sources=[]), "stages-reviewed: sources must be a non-empty list"),
        (lambda s: s["text"].pop("id"), "stages-reviewed: text has no text in 'id'"),
        (lambda s: s.update(phase="later"), "stages-reviewed: must name a phase"),
        (lambda s: s.update(strategy="pray"), "stages-reviewed: names strategy 'pray'"),
        (lambda s: s.update(concerns="everyone"), "stages-reviewed: concerns 'everyone'"),
        (lambda s: s.update(when={"staff.involved_in_design": []}), "must list the answers"),
        (
            lambda s: s["text"].update(en="the {names} are happy"),
            "stages-reviewed: text in 'en' has {names} but no concerns",
        ),
        (
            lambda s: s["text"].update(id="{nama} senang"),
            "stages-reviewed: text in 'id' has a placeholder other than {names}",
        ),
    ],
)
def test_a_broken_sign_fails_as_the_knowledge_loads(change, problem):
    problems = sign_problems(change)
    assert any(problem in p for p in problems), problems


def test_a_plan_step_too_may_use_names_only_with_concerns():
    raw = raw_knowledge()
    raw["plan_steps"][0]["text"]["en"] += " ({names})"
    problems = check_knowledge(raw, ITEM_FILES)
    assert any(
        "study-the-organization: text in 'en' has {names} but no concerns" in p for p in problems
    )


def test_the_check_command_reports_a_sign_whose_when_no_case_can_hold(knowledge):
    assert not kb_check.plan_text_problems(knowledge, field_specs())
    broken = copy.deepcopy(knowledge.success_signs)
    broken["stages-reviewed"]["when"] = {"partners.peer_strong": [True]}
    broken["joint-work-with-the-peer"]["when"] = {"partners.peer_stronger": ["maybe", "unknown"]}
    problems = kb_check.plan_text_problems(
        type(knowledge)(**{**knowledge.__dict__, "success_signs": broken}), field_specs()
    )
    assert any(
        "stages-reviewed: when: 'partners.peer_strong' is not a case field" in p for p in problems
    )
    assert any(
        "joint-work-with-the-peer: when: partners.peer_stronger can never be 'maybe'" in p
        for p in problems
    )
    assert not any("'unknown'" in p for p in problems)  # unknown is an answer here
