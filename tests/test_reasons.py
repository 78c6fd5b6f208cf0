"""Reasons as sentences (``engine.view.reasons``, ``knowledge/reasons.yaml``): the memo
says why a cause, a strategy, a program decision or guidance holds in a sentence
filled with the case's own names and values, in English and Indonesian, and
``perencana check`` holds every sentence against the rule that gives it."""

import shutil

import pytest
import yaml

from perencana.engine.memo.render import render
from perencana.engine.teaching import kb_check
from perencana.engine.view.memo import memo_view
from perencana.knowledge.loader import KNOWLEDGE_DIR
from tests.conftest import make_case

LOSERS = [
    {"name": "intake clerks", "directly_affected": True, "impact": "negative"},
    {"name": "outreach volunteers", "directly_affected": True, "impact": "negative"},
    {"name": "district council", "directly_affected": False, "impact": "positive"},
]


def view_of(advisor, knowledge, lang="en", answers=None, edition="planner", **lists):
    return memo_view(advisor.advise(make_case(answers, **lists)), knowledge, lang, edition)


def strategy(view, strategy_id):
    return next(s for s in view["strategies"] if s["id"] == strategy_id)


def cause(view, cause_id):
    return next(c for c in view["causes"] if c["id"] == cause_id)


def texts(lines):
    return [line["text"] for line in lines]


# --------------------------------------------------------------------------- the memo


def test_those_who_lose_are_named_in_one_sentence_with_the_reason_and_its_passage(
    advisor, knowledge
):
    # The trainer edition keeps the case path beside each reason.
    view = view_of(advisor, knowledge, edition="trainer", stakeholders=LOSERS)
    (because,) = strategy(view, "affected-parties")["because"]
    assert because["text"] == (
        "The change affects “intake clerks” and “outreach volunteers” directly and to "
        "their cost, and resistance usually comes from those who lose (¶70)."
    )
    assert because["ref"] == "stakeholders[0], stakeholders[1]"
    assert "district council" not in because["text"]


def test_the_indonesian_sentence_names_them_in_indonesian_word_order(advisor, knowledge):
    view = view_of(advisor, knowledge, "id", stakeholders=LOSERS)
    (because,) = strategy(view, "affected-parties")["because"]
    assert because["text"] == (
        "Perubahan ini berdampak langsung dan merugikan bagi “intake clerks” dan "
        "“outreach volunteers”; penolakan biasanya datang dari pihak yang "
        "dirugikan (¶70)."
    )


def test_three_names_are_listed_as_each_language_lists_them(advisor, knowledge):
    three = [*LOSERS[:2], {**LOSERS[0], "name": "night guards"}]
    en = view_of(advisor, knowledge, stakeholders=three)
    id_ = view_of(advisor, knowledge, "id", stakeholders=three)
    assert (
        "“intake clerks”, “outreach volunteers” and “night guards” directly"
        in (strategy(en, "affected-parties")["because"][0]["text"])
    )
    assert (
        "“intake clerks”, “outreach volunteers”, dan “night guards”; penolakan"
        in (strategy(id_, "affected-parties")["because"][0]["text"])
    )


def test_a_name_is_data_never_a_template(advisor, knowledge):
    odd = [
        {"name": "{stakeholder} {0} {program!r}", "directly_affected": True, "impact": "negative"}
    ]
    (because,) = strategy(view_of(advisor, knowledge, stakeholders=odd), "affected-parties")[
        "because"
    ]
    assert because["text"].startswith("The change affects “{stakeholder} {0} {program!r}” directly")


def test_a_rule_without_a_sentence_falls_back_to_its_facts(advisor, knowledge):
    memo = dict(knowledge.memo)
    memo["reasons"] = {k: v for k, v in memo["reasons"].items() if k != "program_replace"}
    trimmed = knowledge.replace(memo=memo)
    programs = [{"name": "soup kitchen", "viable": False}]
    (row,) = memo_view(advisor.advise(make_case(programs=programs)), trimmed, "en", "trainer")[
        "programs"
    ]
    assert row["why"] == [
        {
            "text": "Program “soup kitchen”: Program viability: No longer viable; "
            "Performance (effectiveness and efficiency): unknown",
            "ref": "programs[0]",
        }
    ]


def test_a_reason_citing_a_cause_says_how_strong_the_cause_is(advisor, knowledge):
    answers = {"change.skills_required": "some"}
    en = strategy(view_of(advisor, knowledge, answers=answers, edition="trainer"), "education")[
        "because"
    ]
    id_ = strategy(view_of(advisor, knowledge, "id", answers=answers), "education")["because"]
    assert texts(en) == [
        "The change calls for some new skills, and the disruption to management this "
        "brings is a moderate cause of resistance: training builds those skills and the "
        "confidence to use them (¶63, ¶56)."
    ]
    assert id_[0]["text"].startswith(
        "Perubahan ini menuntut sejumlah keterampilan baru, dan gangguan pada manajemen "
        "yang ditimbulkannya merupakan penyebab penolakan yang tergolong sedang"
    )
    assert en[0]["ref"] == "change.skills_required"


def test_the_evidence_of_a_cause_is_one_sentence_per_rule_with_the_case_values(advisor, knowledge):
    answers = {
        "organization.age_years": 30,
        "organization.years_to_current_state": 25,
        "change.pace": "rapid",
        "funding.funds_for_change": "none",
        "funding.sunk_investments": ["facilities", "trained-staff"],
    }
    view = view_of(advisor, knowledge, answers=answers)
    assert texts(cause(view, "hard-won-status-quo")["evidence"]) == [
        "It took 25 years to reach the present state, and the change asks people to take "
        "risks quickly (¶57).",
        "The organization is established, and an established organization guards what it "
        "has reached (¶51, ¶59).",
    ]
    financial = texts(cause(view, "financial")["evidence"])
    assert financial[-1] == (
        "The organization has already invested in its facilities and the training of "
        "its staff, which the change could make worth less (¶61)."
    )
    view_id = view_of(advisor, knowledge, "id", answers=answers)
    assert texts(cause(view_id, "hard-won-status-quo")["evidence"])[0].startswith(
        "Lembaga membutuhkan 25 tahun untuk mencapai kondisinya sekarang"
    )


def test_a_program_decision_gives_its_reason_naming_the_program(advisor, knowledge):
    programs = [
        {"name": "home visits", "viable": True, "effectiveness": "low", "efficiency": "high"},
        {"name": "soup kitchen", "viable": False},
    ]
    for lang, develop, replace in (
        (
            "en",
            "The program “home visits” is still viable but falls short in effectiveness or "
            "efficiency (¶72).",
            "The program “soup kitchen” is no longer viable (¶72).",
        ),
        (
            "id",
            "Program “home visits” masih layak, tetapi efektivitas atau efisiensinya belum "
            "memadai (¶72).",
            "Program “soup kitchen” sudah tidak layak lagi dijalankan (¶72).",
        ),
    ):
        rows = view_of(advisor, knowledge, lang, edition="trainer", programs=programs)["programs"]
        assert [texts(row["why"]) for row in rows] == [[develop], [replace]]
        assert [row["why"][0]["ref"] for row in rows] == ["programs[0]", "programs[1]"]


def test_guidance_gives_its_reason_as_a_sentence(advisor, knowledge):
    view = view_of(advisor, knowledge, answers={"planner.credibility": "low"})
    credibility = next(g for g in view["guidance"] if g["id"] == "credibility")
    assert texts(credibility["because"]) == [
        "The planner's credibility with the organization is still low (¶32)."
    ]


def test_guidance_that_holds_for_every_case_has_no_empty_reason(advisor, knowledge):
    view = view_of(advisor, knowledge)
    always = [g for g in view["guidance"] if g["id"] in ("mission-alignment", "values")]
    assert len(always) == 2
    assert all(g["because"] == [] for g in always)
    memo = render(advisor.advise(make_case()), knowledge, "md")
    assert "*Because:* \n" not in memo


def test_no_reason_line_is_a_join_of_field_labels(advisor, knowledge):
    view = view_of(
        advisor,
        knowledge,
        answers={"change.proposed_by": "external", "funding.funds_for_change": "none"},
        stakeholders=LOSERS,
    )
    lines = [line for s in view["strategies"] for line in s["because"]]
    lines += [line for c in view["causes"] for line in c["evidence"]]
    assert lines
    for line in lines:
        assert "¶" in line["text"], line
        assert not line["text"].startswith("Stakeholder “"), line
        assert ": From outside" not in line["text"], line


def test_a_name_from_the_case_is_escaped_as_data_in_the_markdown_memo(advisor, knowledge):
    losers = [{"name": "*clerks* | [x](y)", "directly_affected": True, "impact": "negative"}]
    memo = render(advisor.advise(make_case(stakeholders=losers)), knowledge, "md")
    assert "The change affects “\\*clerks\\* \\| \\[x\\](y)” directly" in memo
    html = render(advisor.advise(make_case(stakeholders=losers)), knowledge, "html")
    assert "*clerks* | [x](y)" in html  # HTML escapes only what HTML needs
    assert "<x>" not in html


# --------------------------------------------------------------------------- the check


@pytest.fixture
def kb_copy(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit_reasons(directory, change):
    path = directory / "reasons.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data["reasons"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def problems_of(directory):
    return list(kb_check.check_knowledge_base(directory).problems)


def test_the_shipped_sentences_pass_the_check():
    assert problems_of(KNOWLEDGE_DIR) == []


def test_a_placeholder_the_rule_does_not_provide_fails_the_check(kb_copy):
    def break_it(reasons):
        reasons["strategy_affected_losers"]["id"] = "Program {program} merugikan (¶70)."

    edit_reasons(kb_copy, break_it)
    assert problems_of(kb_copy) == [
        "reasons.yaml: strategy_affected_losers: 'id' uses {program}, which the rule's "
        "facts do not provide (organization, stakeholder)"
    ]


def test_a_rule_without_a_sentence_fails_the_check(kb_copy):
    edit_reasons(kb_copy, lambda reasons: reasons.pop("program_develop"))
    assert problems_of(kb_copy) == [
        "reasons.yaml: program_develop: gives a reason but has no sentence"
    ]


def test_a_missing_language_fails_the_check(kb_copy):
    def drop_id(reasons):
        reasons["cause_financial_no_funds"]["id"] = " "

    edit_reasons(kb_copy, drop_id)
    problems = problems_of(kb_copy)
    assert problems
    assert all("cause_financial_no_funds" in p and "'id'" in p for p in problems)


def test_a_passage_the_rule_does_not_cite_or_a_sentence_for_no_rule_fails_the_check(kb_copy):
    def break_it(reasons):
        reasons["program_replace"]["en"] = "{program} is no longer viable (¶70)."
        reasons["program_retire"] = {"en": "Gone (¶72).", "id": "Hilang (¶72)."}
        reasons["strategy_negotiate_caveat_never_force"] = {"en": "x", "id": "x"}
        words = reasons["strategy_education_new_skills"]["words"]
        words["pace"] = {"rapid": {"en": "x", "id": "x"}}

    edit_reasons(kb_copy, break_it)
    assert problems_of(kb_copy) == [
        "reasons.yaml: strategy_education_new_skills: words for {pace}, which the rule lacks",
        "reasons.yaml: program_replace: 'en' cites ¶70, which the rule does not",
        "reasons.yaml: program_retire: is no rule",
        "reasons.yaml: strategy_negotiate_caveat_never_force: gives no reason, so it needs "
        "no sentence",
    ]


@pytest.mark.parametrize(("lang", "outsider"), [("en", "outsider"), ("id", "orang luar")])
def test_a_planner_from_inside_is_never_called_an_outsider(advisor, knowledge, lang, outsider):
    """Texts state only what the case holds: the change proposed from outside calls for
    working as a partner (¶73, ¶54) whoever the planner is, and the reason given for it
    does not make a planner from inside an outsider."""
    answers = {"change.proposed_by": "external", "planner.origin": "internal"}
    reasons = knowledge.memo["reasons"]

    def said(rule, lines):
        start = " ".join(reasons[rule][lang].split()).split("{")[0][:40]
        return any(line["text"].startswith(start) for line in lines)

    because = strategy(view_of(advisor, knowledge, lang, answers), "collaborative-stance")[
        "because"
    ]
    assert len(because) == 1 and said("strategy_collaborative_outsider_cause", because)
    assert outsider not in because[0]["text"]
    external = {**answers, "planner.origin": "external"}
    because = strategy(view_of(advisor, knowledge, lang, external), "collaborative-stance")[
        "because"
    ]
    assert said("strategy_collaborative_external_planner", because)
