"""A plan in order: each strategy's phase (knowledge/phases.yaml), the ones to start
with (at most ``ranking.start_with_at_most``, the first by rank), and the tensions
between recommended strategies with how they fit together (knowledge/tensions.yaml),
in the JSON advice and in every memo format and language."""

import io
import re

import jsonschema
import pytest

from perencana.engine.case.validation import normalize_case, validate_case
from perencana.engine.memo.render import render
from perencana.engine.view.advice_json import advice_json
from tests.helpers import picture_without_a_browser
from tests.test_examples import ADVICE_SCHEMA

LANGS = ("en", "id")


def advise(advisor, **sections):
    raw = {
        "organization": {"name": "Yayasan Uji", "age_years": 8},
        "change": {"summary": "a change", "proposed_by": "internal"},
        "funding": {"funds_for_change": "sufficient"},
    }
    for section, answers in sections.items():
        if isinstance(answers, list):
            raw[section] = answers
        else:
            raw.setdefault(section, {}).update(answers)
    assert not validate_case(raw)
    return advisor.advise(normalize_case(raw))


@pytest.fixture(scope="module")
def shake_up_case(advisor):
    """An established organization that does not see its problems: a shake-up, and
    step-by-step change because it is established."""
    return advise(
        advisor,
        organization={"age_years": 30, "formalized_procedures": True},
        resources={"problems_acknowledged": False},
    )


@pytest.fixture(scope="module")
def short_funds_case(advisor):
    """A change that needs new staff and is only partly funded."""
    return advise(
        advisor,
        change={"skills_required": "some", "new_staff_required": True},
        funding={"funds_for_change": "partial"},
    )


@pytest.fixture(scope="module")
def many_strategies(advisor):
    """A case for which more strategies are recommended than can be started with."""
    return advise(
        advisor,
        organization={"age_years": 30, "formalized_procedures": True},
        change={
            "proposed_by": "external",
            "skills_required": "extensive",
            "new_staff_required": True,
            "pace": "rapid",
            "triggers": ["service-area-expansion", "new-program-data"],
        },
        funding={"funds_for_change": "none"},
        resources={"limited": True, "problems_acknowledged": False},
        partners={"peer_institution_available": True, "consultant_available": True},
        planner={"origin": "external"},
        stakeholders=[{"name": "field staff", "directly_affected": True, "impact": "negative"}],
    )


def test_every_strategy_has_a_phase_from_the_knowledge(knowledge):
    assert list(knowledge.phases) == ["prepare", "start", "sustain"]
    for strategy_id, item in knowledge.strategies.items():
        assert item["phase"] in knowledge.phases, strategy_id
    # The source's order: study the organization and involve those who lose first
    # (¶73, ¶70), a shake-up starts (¶68), step-by-step change and program review
    # carry on (¶71, ¶72).
    phase = {s: item["phase"] for s, item in knowledge.strategies.items()}
    assert phase["collaborative-stance"] == phase["affected-parties"] == "prepare"
    assert phase["shake-up"] == "start"
    assert phase["gradual-change"] == phase["program-review"] == "sustain"


def test_strategies_stay_in_rank_order_and_the_first_ones_are_to_start_with(
    many_strategies, knowledge
):
    at_most = knowledge.thresholds["ranking"]["start_with_at_most"]
    assert at_most <= 5
    strategies = advice_json(many_strategies)["strategies"]
    assert len(strategies) > at_most
    assert [s["rank"] for s in strategies] == list(range(1, len(strategies) + 1))
    assert [s["start_with"] for s in strategies] == [s["rank"] <= at_most for s in strategies]
    assert sum(s["start_with"] for s in strategies) == at_most
    for strategy in strategies:
        assert strategy["phase"] == knowledge.strategies[strategy["id"]]["phase"]


def test_the_json_adds_phase_start_with_and_tensions_after_the_contract_keys(shake_up_case):
    advice = advice_json(shake_up_case)
    jsonschema.validate(advice, ADVICE_SCHEMA)
    keys = list(advice)
    assert keys[: keys.index("tensions")] == [
        "format",
        "organization",
        "lifecycle",
        "causes",
        "strategies",
        "programs",
        "guidance",
    ]
    for strategy in advice["strategies"]:
        assert list(strategy) == [
            "id",
            "rank",
            "because",
            "caveats",
            "first_steps",
            "sources",
            "phase",
            "start_with",
        ]


def test_a_shake_up_with_step_by_step_change_says_how_they_fit(shake_up_case):
    advice = advice_json(shake_up_case)
    recommended = {s["id"] for s in advice["strategies"]}
    assert {"shake-up", "gradual-change"} <= recommended
    assert advice["tensions"] == [
        {
            "id": "shake-up-then-steps",
            "strategies": ["shake-up", "gradual-change"],
            "sources": [68, 71],
        }
    ]


def test_new_experts_on_short_funds_say_how_they_fit(short_funds_case):
    advice = advice_json(short_funds_case)
    assert {"expand-expertise", "adapt-to-resources"} <= {s["id"] for s in advice["strategies"]}
    assert advice["tensions"] == [
        {
            "id": "experts-within-means",
            "strategies": ["expand-expertise", "adapt-to-resources"],
            "sources": [60, 64, 66],
        }
    ]


def test_new_experts_with_enough_funds_are_no_tension(advisor):
    # Both strategies, as resources are limited, but the change is funded.
    advice = advise(
        advisor,
        change={"skills_required": "some", "new_staff_required": True},
        resources={"limited": True},
    )
    assert {"expand-expertise", "adapt-to-resources"} <= {s.id for s in advice.strategies}
    assert advice.tensions == []


def test_no_tension_without_both_strategies(advisor):
    advice = advise(advisor, funding={"funds_for_change": "none"})
    assert "expand-expertise" not in {s.id for s in advice.strategies}
    assert advice.tensions == []


def _readable(fmt, output):
    if fmt == "md":
        return re.sub(r"\\(.)", r"\1", output)
    if fmt == "html":
        import html

        return html.unescape(re.sub(r"<[^>]+>", " ", output.split("<body", 1)[1]))
    if fmt == "docx":
        docx = pytest.importorskip("docx")
        document = docx.Document(io.BytesIO(output))
        # Paragraphs and tables in the order the document has them.
        texts = []
        for block in document.element.body.iterchildren():
            if block.tag.endswith("}p"):
                texts.append(docx.text.paragraph.Paragraph(block, document).text)
            elif block.tag.endswith("}tbl"):
                table = docx.table.Table(block, document)
                texts += [cell.text for row in table.rows for cell in row.cells]
        return "\n".join(texts)
    return output


def _flat(text):
    return " ".join(text.split())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["md", "html", "text", "docx"])
@pytest.mark.parametrize("case", ["shake_up_case", "short_funds_case"])
def test_every_memo_says_how_the_strategies_fit_together(request, knowledge, case, fmt, lang):
    advice = request.getfixturevalue(case)
    (tension,) = advice.tensions
    item = knowledge.tensions[tension.id]
    with picture_without_a_browser():  # the Word memo's text is read, not its picture
        memo = _flat(_readable(fmt, render(advice, knowledge, fmt, lang)))
    terms = knowledge.memo["terms"]
    fit = memo.index(_flat(terms["plan_fit_together"][lang]))
    assert memo.index(_flat(item["title"][lang]), fit) < memo.index(_flat(item["text"][lang]), fit)
    cited = ", ".join(f"¶{n}" for n in item["sources"])
    assert cited in memo[fit:]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["md", "html", "text", "docx"])
def test_every_memo_puts_start_with_by_phase_before_also_consider(
    many_strategies, knowledge, fmt, lang
):
    with picture_without_a_browser():  # the Word memo's text is read, not its picture
        memo = _flat(_readable(fmt, render(many_strategies, knowledge, fmt, lang)))
    terms = knowledge.memo["terms"]
    start = memo.index(_flat(terms["plan_start_with"][lang]) + " ")
    also = memo.index(_flat(terms["plan_also_consider"][lang]), start)
    phase = terms["phase"][lang]
    first = [s for s in many_strategies.strategies if s.start_with]
    shown = [p for p in knowledge.phases if any(s.phase == p for s in first)]
    places = [memo.index(f"{phase}: {knowledge.phases[p]['title'][lang]}", start) for p in shown]
    assert places == sorted(places) and places[-1] < also
    # Each strategy to start with is named after its phase and before "also consider".
    for strategy in first:
        title = knowledge.strategies[strategy.id]["title"][lang]
        at = memo.index(title, places[shown.index(strategy.phase)])
        assert at < also
