"""The rendered memo, as a reader sees it: sections in order and in the reader's
language, strategies in rank order, case text kept literal, text within 80 columns,
JSON byte-stable, template mistakes reported as perencana errors."""

import copy
import json
import re

import pytest

from perencana.engine.case.schema import field_specs
from perencana.engine.errors import TemplateError
from perencana.engine.memo.render import render
from perencana.engine.memo.templating import (
    compile_template,
    environment,
    md_escape,
    render_template,
    wrap,
)
from perencana.engine.view.advice_json import advice_json
from perencana.engine.view.memo import memo_view
from perencana.engine.view.words import clean

U = "unknown"

CASE = {
    "organization": {
        "name": "Yayasan Harapan Bangsa",
        "type": "ngo",
        "sector": "child welfare",
        "age_years": 27,
        "formalized_procedures": True,
        "years_to_current_state": 15,
        "mission": "protect and educate street children",
    },
    "change": {
        "summary": "adopt community-based case management",
        "proposed_by": "external",
        "triggers": ["service-area-expansion", "new-program-data"],
        "skills_required": "extensive",
        "new_staff_required": True,
        "recruitment_via_agency": True,
        "pace": "rapid",
        "scope": "organization-wide",
    },
    "funding": {
        "funds_for_change": "none",
        "allocation": "fixed",
        "seen_as_costly": True,
        "sunk_investments": ["facilities", "trained-staff"],
    },
    "resources": {"limited": True, "unclear_task_division": False, "problems_acknowledged": False},
    "staff": {"involved_in_design": False, "field_experience": "high", "authority_to_change": U},
    "stakeholders": [
        {"name": "field social workers", "directly_affected": True, "impact": "negative"}
    ],
    "programs": [
        {"name": "home visits", "viable": True, "effectiveness": "low", "efficiency": "adequate"},
        {"name": "night shelter", "viable": False, "effectiveness": "low", "efficiency": "low"},
    ],
    "partners": {
        "peer_institution_available": True,
        "peer_stronger": True,
        "consultant_available": False,
        "other_agencies_same_area": "unknown",
        "coordinating_body": "unknown",
    },
    "planner": {
        "origin": "external",
        "ideology": "consensus",
        "character": "data-first",
        "position": "executive",
        "credibility": "medium",
        "organization_resists_intervention": True,
        "role": "unknown",
        "background": "unknown",
        "negotiation_skill": "unknown",
        "diagnosis_skill": "unknown",
    },
}

HOSTILE = "<script>alert(1)</script> *bold* _x_ [link](http://x) | # 1."
FORMATS = ("md", "html", "text")
LANGS = ("en", "id")


@pytest.fixture(scope="module")
def advice(advisor):
    return advisor.advise(copy.deepcopy(CASE))


@pytest.fixture(scope="module")
def hostile_advice(advisor):
    case = copy.deepcopy(CASE)
    case["organization"]["name"] = HOSTILE
    case["change"]["summary"] = "<b>merge</b> the\x07 units\x1b[31m"
    case["stakeholders"][0]["name"] = "<img src=x onerror=alert(2)>"
    case["programs"][0]["name"] = "a | b"
    return advisor.advise(case)


def headings(knowledge, lang):
    found = {key: text[lang] for key, text in knowledge.memo["headings"].items()}
    # The sections in partial templates have their words in a group of their own.
    for key in ("action_plan", "stakeholder_map", "summary", "risks"):
        found[key] = knowledge.memo[key]["heading"][lang]
    return found


# -- sections and language ---------------------------------------------------------


# The sections of the trainer edition, the one with every section (the reasoning
# picture, an HTML appendix, is numbered after the sources: see test_editions).
SECTIONS = ("summary", "organization", "causes", "strategies", "action_plan")
SECTIONS += ("stakeholder_map", "programs", "risks", "guidance", "unknowns", "sources")
SECTIONS += ("appendix",)


def heading_marker(fmt, number, heading):
    """How a numbered section heading appears in each format."""
    prefix = f"{number}. " if number else ""
    title = prefix + heading
    if fmt == "md":
        return f"\n## {prefix}{md_escape(heading)}\n"
    if fmt == "html":
        return (
            f'<h2><span class="number">{number}.</span> {heading}</h2>'
            if number
            else f"<h2>{heading}</h2>"
        )
    return f"\n{title}\n{'-' * len(title)}\n"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_section_heading_in_order(advice, knowledge, fmt, lang):
    memo = render(advice, knowledge, fmt, lang, edition="trainer")
    positions = []
    for number, key in enumerate(SECTIONS, start=1):
        marker = heading_marker(
            fmt, number if key != "appendix" else None, headings(knowledge, lang)[key]
        )
        assert marker in memo, (fmt, lang, key)
        positions.append(memo.index(marker))
    assert positions == sorted(positions)
    assert knowledge.memo["title"][lang] in memo


@pytest.mark.parametrize("fmt", FORMATS)
def test_indonesian_memo_has_no_english_wording(advice, knowledge, fmt):
    memo = render(advice, knowledge, fmt, "id", edition="trainer")
    case_words = {str(choice) for spec in field_specs() for choice in spec.choices}
    english = {
        text["en"]
        for group in ("headings", "terms")
        for text in knowledge.memo[group].values()
        if text["en"] != text["id"] and text["en"] not in case_words
    }
    english |= {knowledge.memo["title"]["en"], knowledge.memo["subtitle"]["en"]}
    if fmt == "md":
        english = {md_escape(text) for text in english}
    found = [text for text in english if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", memo)]
    assert found == []
    for label in ("kuat", "Ringkasan", "Sumber", "Lampiran"):
        assert label in memo


@pytest.mark.parametrize("fmt", ("md", "html"))
def test_markdown_and_html_headings_are_headings(advice, knowledge, fmt):
    memo = render(advice, knowledge, fmt, "id")
    if fmt == "md":
        assert memo.startswith("# ")
        assert f"## 1. {knowledge.memo['summary']['heading']['id']}" in memo
    else:
        assert heading_marker("html", 1, knowledge.memo["summary"]["heading"]["id"]) in memo


def test_html_is_standalone_and_print_ready(advice, knowledge):
    memo = render(advice, knowledge, "html", "id")
    assert memo.startswith("<!doctype html>")
    assert '<html lang="id">' in memo
    assert '<meta charset="utf-8">' in memo
    assert "@media print" in memo and "page-break-inside: avoid" in memo
    assert "<script" not in memo.lower()
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", memo)
    assert "<link" not in memo


# -- content ---------------------------------------------------------------------


def strategy_titles(advice, knowledge, lang):
    return [knowledge.strategies[s.id]["title"][lang] for s in advice.strategies]


def plan_order(advice, knowledge):
    """The strategies as the memo lists them: those to start with, then the others,
    each by phase (in the order of knowledge/phases.yaml), by rank within a phase."""
    order = []
    for start_with in (True, False):
        for phase in knowledge.phases:
            order += [
                s for s in advice.strategies if s.start_with is start_with and s.phase == phase
            ]
    return order


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_strategies_by_start_with_then_phase_then_rank(advice, knowledge, fmt, lang):
    memo = render(advice, knowledge, fmt, lang)
    heading = headings(knowledge, lang)
    section = memo.split(heading_marker(fmt, 4, heading["strategies"]), 1)[1]
    section = section.split(heading_marker(fmt, 5, heading["programs"]), 1)[0]
    view = memo_view(advice, knowledge, lang)
    assert [s["rank"] for s in view["strategies"]] == list(range(1, len(advice.strategies) + 1))
    positions = []
    for strategy in plan_order(advice, knowledge):
        marker = {
            "md": f"#### {strategy.rank}. ",
            "text": f"\n{strategy.rank}. ",
            "html": f'id="strategy-{strategy.id}"',
        }[fmt]
        positions.append(section.index(marker))
    assert positions == sorted(positions)
    assert len(advice.strategies) >= 3
    # Each phase that has a strategy to start with is named before its strategies.
    terms = knowledge.memo["terms"]
    for phase in {s.phase for s in advice.strategies if s.start_with}:
        title = knowledge.phases[phase]["title"][lang]
        assert f"{terms['phase'][lang]}: {title}" in section


def test_view_bottom_line_main_causes_and_first_strategies(advice, knowledge):
    view = memo_view(advice, knowledge, "en")
    top = knowledge.thresholds["strength"]["levels"][-1]
    assert [c["id"] for c in view["bottom_line"]["main_causes"]] == [
        c.id for c in advice.causes if c.strength == top
    ]
    start = knowledge.thresholds["ranking"]["start_with"]
    assert [s["id"] for s in view["bottom_line"]["start_with"]] == [
        s.id for s in advice.strategies[:start]
    ]
    for strategy in view["bottom_line"]["start_with"]:
        assert strategy["because"]


def test_view_lines_are_readable_and_keep_the_path(advice, knowledge):
    view = memo_view(advice, knowledge, "en", "trainer")
    financial = next(c for c in view["causes"] if c["id"] == "financial")
    line = next(f for f in financial["evidence"] if f["ref"] == "funding.funds_for_change")
    # A reason is a sentence (knowledge/reasons.yaml), not "label: value".
    label = knowledge.fields["funding.funds_for_change"]["label"]["en"]
    assert not line["text"].startswith(label)
    assert line["text"].endswith("(¶55).")
    assert "=" not in line["text"]
    gradual = next(s for s in view["strategies"] if s["id"] == "gradual-change")
    texts = [f["text"] for f in gradual["because"]]
    assert any(t.startswith("The present state was hard won") for t in texts)
    assert not any(t == "hard-won-status-quo" for t in texts)
    assert any(f["ref"] == "stakeholders[0]" for f in gradual["because"])
    assert all(" = " not in f["text"] for s in view["strategies"] for f in s["because"])
    for step in view["trace"]:
        assert all(" = " not in f["text"] for f in step["facts"] + step["concluded"])
    assert [step["number"] for step in view["trace"]] == list(range(1, len(advice.trace) + 1))


def test_view_programs_unknowns_and_sources(advice, knowledge):
    view = memo_view(advice, knowledge, "id")
    decisions = {p["name"]: p["decision_label"] for p in view["programs"]}
    assert decisions == {
        "home visits": knowledge.memo["decision"]["develop"]["id"],
        "night shelter": knowledge.memo["decision"]["replace"]["id"],
    }
    assert [u["path"] for u in view["unknowns"]] == [u.path for u in advice.unknowns]
    numbers = [p["number"] for p in view["sources"]["passages"]]
    assert numbers == sorted(set(numbers))
    cited = {
        n for item in advice.causes + advice.strategies + advice.guidance for n in item.sources
    }
    assert cited <= set(numbers)
    assert view["sources"]["document"]["title"] == knowledge.source["title"]
    assert view["sources"]["defaults_note"]


def test_no_unknowns_is_said(advisor, knowledge):
    case = copy.deepcopy(CASE)
    case["staff"]["authority_to_change"] = True
    advice = advisor.advise(case)
    assert advice.unknowns == []
    for fmt in FORMATS:
        memo = render(advice, knowledge, fmt, "en")
        no_unknowns = knowledge.memo["terms"]["no_unknowns"]["en"]
        assert (md_escape(no_unknowns) if fmt == "md" else no_unknowns) in memo


def test_renders_with_optional_knowledge_missing(advice, knowledge):
    trimmed = knowledge.replace(source={"title": "24. Perencanaan Sosial"})
    for fmt in FORMATS:
        assert render(advice, trimmed, fmt, "id")


# -- case text stays literal -------------------------------------------------------


def test_html_escapes_case_text(hostile_advice, knowledge):
    memo = render(hostile_advice, knowledge, "html", "en")
    assert "<script" not in memo.lower()
    assert "<img" not in memo.lower()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in memo
    assert "<b>merge</b>" not in memo


def test_markdown_escapes_case_text(hostile_advice, knowledge):
    memo = render(hostile_advice, knowledge, "md", "en")
    assert not re.search(r"(?<!\\)<(?:script|img|b>)", memo)
    assert r"\<script\>alert(1)\</script\>" in memo
    assert r"\*bold\*" in memo
    assert "*bold*" not in memo.replace(r"\*", "")
    assert r"\[link\](http://x)" in memo
    row = next(line for line in memo.splitlines() if line.startswith("| a"))
    assert row.startswith(r"| a \| b |")
    assert row.count(" | ") + 2 == 4  # three cells, none split by the name's |


def test_md_escape_rules():
    assert md_escape("*bold*") == r"\*bold\*"
    assert md_escape("1. first") == r"1\. first"
    assert md_escape("# title") == r"\# title"
    assert md_escape("a\nb") == "a b"
    for special in "\\`*_[]<>|#+-":
        assert md_escape(special) == "\\" + special
    assert md_escape("office-based care, #1 in town!") == "office-based care, #1 in town!"
    assert md_escape("&amp; & co") == r"\&amp; & co"


def test_remembered_texts_keep_equal_values_of_other_types_apart():
    # md_escape and clean remember their answers; 1 == True, yet each is its own.
    values = [1, True, 1.0]
    assert [md_escape(value) for value in values] == ["1", "True", r"1\.0"]
    assert [clean(value) for value in values] == ["1", "True", "1.0"]
    assert md_escape(["a*"]) == r"\['a\*'\]"  # not remembered, still escaped


def test_control_characters_are_stripped(hostile_advice, knowledge):
    for fmt in FORMATS:
        memo = render(hostile_advice, knowledge, fmt, "en")
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", memo)
    assert clean("a\x07b\nc\td\x1b") == "ab\nc\td"


# -- plain text within 80 columns --------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_text_lines_fit_80_columns(advice, hostile_advice, knowledge, lang):
    for item in (advice, hostile_advice):
        memo = render(item, knowledge, "text", lang)
        long = [line for line in memo.split("\n") if len(line) > 80]
        assert long == []
        assert all(line == line.rstrip() for line in memo.split("\n"))


def test_text_fits_80_columns_with_long_unbroken_names(advisor, knowledge):
    case = copy.deepcopy(CASE)
    case["organization"]["name"] = "Y" * 200
    case["organization"]["mission"] = "word " * 60
    case["stakeholders"][0]["name"] = "x" * 150
    memo = render(advisor.advise(case), knowledge, "text", "en")
    assert max(len(line) for line in memo.split("\n")) <= 80


def test_wrap_filter():
    text = "lorem ipsum " * 30
    lines = wrap(text, 40, "  - ").split("\n")
    assert all(len(line) <= 40 for line in lines)
    assert lines[0].startswith("  - ") and lines[1].startswith("    ")


def test_text_headings_are_underlined(advice, knowledge):
    memo = render(advice, knowledge, "text", "en").split("\n")
    heading = f"1. {knowledge.memo['summary']['heading']['en']}"
    index = memo.index(heading)
    assert memo[index + 1] == "-" * len(heading)
    assert set(memo[1]) == {"="}


# -- determinism and JSON ----------------------------------------------------------


def test_json_is_byte_stable_and_is_the_advice(advice, advisor, knowledge):
    first = render(advice, knowledge, "json", "en")
    again = render(advisor.advise(copy.deepcopy(CASE)), knowledge, "json", "id")
    assert first == again
    assert first.endswith("\n")
    assert json.loads(first) == advice_json(advice)


@pytest.mark.parametrize("fmt", FORMATS)
def test_memos_are_deterministic(advice, advisor, knowledge, fmt):
    again = advisor.advise(copy.deepcopy(CASE))
    assert render(advice, knowledge, fmt, "id") == render(again, knowledge, fmt, "id")


# -- template errors ---------------------------------------------------------------


def test_missing_variable_is_a_template_error():
    template = environment().from_string("line one\n{{ nowhere.to_be_found }}\n")
    with pytest.raises(TemplateError) as error:
        render_template(template, {})
    message = str(error.value)
    assert "nowhere" in message and "line 2" in message


def test_syntax_error_is_a_template_error():
    with pytest.raises(TemplateError) as error:
        compile_template("fine\n{% if %}\n")
    assert "line 2" in str(error.value)


def test_unknown_template_and_format():
    with pytest.raises(TemplateError):
        render_template("no-such-template.j2", {})
    with pytest.raises(ValueError):
        render(None, None, "rtf", "en")


def test_environment_is_cached_and_strict():
    env = environment()
    assert env is environment()
    assert env.keep_trailing_newline and env.trim_blocks and env.lstrip_blocks
    assert env.autoescape("memo.html.j2") and not env.autoescape("memo.md.j2")


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_program_row_says_what_to_do_then_why_without_saying_it_twice(advice, knowledge, lang):
    # The reason sentence already says the program is (or is no longer) viable, with
    # its name; the decision's general text would say it again. The row carries the
    # decision's action, then the reason.
    view = memo_view(advice, knowledge, lang)
    for row in view["programs"]:
        decision = knowledge.decisions[row["decision"]]
        assert row["decision_text"] == decision["action"][lang]
        assert decision["text"][lang] not in row["decision_text"]
        assert row["why"], row["name"]
        assert row["name"] in row["why"][0]["text"]


def test_each_printed_page_names_the_organization_in_its_footer(advice, hostile_advice, knowledge):
    # memo design: the organization's name in the footer of every printed page, as the
    # Word memo has it in its header. A name holding quotes, a backslash or a closing
    # style tag must stay one CSS string and leave the style sheet whole.
    memo = render(advice, knowledge, "html", "en")
    footer = re.search(r"@bottom-left \{ content: (\"[^\"]*\");", memo)
    assert footer and footer.group(1) == f'"{advice.case["organization"]["name"]}"'
    hostile = render(hostile_advice, knowledge, "html", "en")
    style = hostile[: hostile.index("</style>")]
    box = re.search(r"@bottom-left \{ content: (\"[^\"\n]*\"); font", style)
    assert box, "the organization's name broke out of its CSS string"
    assert "<" not in box.group(1) and "'" not in box.group(1)
    assert "\\3c " in box.group(1)  # '<' written as a CSS escape


@pytest.mark.parametrize("edition", ["client", "planner", "trainer"])
@pytest.mark.parametrize("lang", ["en", "id"])
def test_memos_rendered_together_are_the_memos_rendered_alone(
    advice, hostile_advice, lang, edition
):
    """A batch renders a Markdown memo and its HTML twin from one memo view: each is
    byte for byte the memo rendered alone."""
    from perencana.engine.memo.render import render_advice, render_advice_as

    formats = ("md", "html", "text", "json")
    for one in (advice, hostile_advice):
        together = render_advice_as(one, formats, lang, edition=edition)
        alone = tuple(render_advice(one, fmt, lang, edition=edition) for fmt in formats)
        assert together == alone


@pytest.mark.parametrize(("lang", "folder"), [("en", "examples"), ("id", "examples/id")])
def test_an_open_question_about_a_stakeholder_or_program_names_it_in_the_question(
    knowledge, lang, folder
):
    # The client reads the open questions as questions; one about a named group or
    # program asks about it by name ("Is the program “peer support groups” still
    # viable?"), not "peer support groups: Is the program still viable?".
    from perencana.engine import api

    advice = api.advise(api.read_case(f"{folder}/program-review.yaml"))
    view = memo_view(advice, knowledge, lang, edition="client")
    questions = [u["question"] for u in view["unknowns"]]
    stakeholder = advice.case["stakeholders"][0]["name"]
    program = advice.case["programs"][3]["name"]
    for name in (stakeholder, program):
        asked = [q for q in questions if name in q]
        assert len(asked) == 1, (name, questions)
        assert f"“{name}”" in asked[0] and asked[0].endswith("?")
        assert not asked[0].startswith(name)


@pytest.mark.parametrize("edition", ("client", "planner", "trainer"))
def test_a_program_row_cites_each_passage_once(advisor, knowledge, edition):
    """The reasons of a program decision cite their ¶ in their sentences; the row
    adds only a ¶ they do not cite, after them, with no ¶ column beside them."""
    from perencana.engine.case.loader import load_case
    from tests.helpers import EXAMPLES

    advice = advisor.advise(load_case(EXAMPLES / "program-review.yaml"))
    decided = advice.programs
    assert decided
    view = memo_view(advice, knowledge, "en", edition)
    for row in view["programs"]:
        cited = {n for reason in row["why"] for n in reason.get("cites", ())}
        assert row["sources_text"] == ", ".join(f"¶{n}" for n in row["sources"] if n not in cited)
    md = render(advice, knowledge, "md", "en", edition=edition)
    for program in decided:
        line = next(x for x in md.splitlines() if x.startswith(f"| {program.name} |"))
        assert line.count(" | ") == 2, line  # three cells
        for number in program.sources:
            assert line.count(f"¶{number}") == 1, (number, line)
    html = render(advice, knowledge, "html", "en", edition=edition)
    table = html.split('<table class="programs">')[1].split("</table>")[0]
    assert "<th>¶</th>" not in table
    for row, program in zip(table.split("<tr>")[2:], advice.programs, strict=False):
        for number in program.sources:
            assert len(re.findall(f"¶{number}(?!\\d)", row)) == 1, (number, row)


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_a_stage_the_facts_do_not_settle_is_said_in_a_sentence(advisor, knowledge, fmt, lang):
    """An unknown life-cycle stage is not left as a bare "unknown": the memo says the
    facts given do not settle it; a known stage gives its own text instead."""
    from tests.conftest import make_case

    unsettled = advisor.advise(make_case())
    assert unsettled.lifecycle == "unknown"
    sentence = knowledge.memo["terms"]["stage_unknown"][lang]
    memo = " ".join(render(unsettled, knowledge, fmt, lang, edition="client").split())
    assert sentence in memo
    settled = advisor.advise(
        make_case({"organization.age_years": 2, "organization.formalized_procedures": False})
    )
    assert settled.lifecycle == "young"
    memo = " ".join(render(settled, knowledge, fmt, lang, edition="client").split())
    assert sentence not in memo


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("fmt", ["md", "html", "text", "docx"])
def test_an_unknown_any_answer_to_which_changes_the_advice_says_so(advisor, knowledge, fmt, lang):
    """Listing every possible answer as "the answers that would change it" reads as a
    form; the memo says that any answer would, and names the answer when it is one."""
    from perencana.engine.api import read_case
    from tests.helpers import EXAMPLES
    from tests.test_editions import visible_text

    advice = advisor.advise(read_case(str(EXAMPLES / "program-review.yaml")))
    changing = {u.path: u.changing_answers for u in advice.unknowns}
    assert changing["organization.formalized_procedures"] == [True, False]
    assert changing["funding.seen_as_costly"] == [True]
    view = memo_view(advice, knowledge, lang, edition="client")
    by_label = {u["label"]: u for u in view["unknowns"]}
    terms = knowledge.memo["terms"]
    formalized = by_label[knowledge.fields["organization.formalized_procedures"]["label"][lang]]
    assert (formalized["lead"], formalized["answers"]) == (terms["changing_any"][lang], [])
    costly = by_label[knowledge.fields["funding.seen_as_costly"]["label"][lang]]
    assert costly["lead"] == terms["changing_answer"][lang] and len(costly["answers"]) == 1
    memo = render(advice, knowledge, fmt, lang, edition="client")
    text = " ".join(visible_text(memo, fmt).split())
    assert f"{terms['changing_any'][lang]}." in text
    assert f"{terms['changing_answer'][lang]}: {costly['answers'][0]}" in text
