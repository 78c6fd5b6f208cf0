"""Risks and what to do (``engine.view.risks``, ``templates/sections/risks.*``): every
caveat of a recommended strategy is a row of risk, sign to watch for and response,
tied to its strategy, in each memo format and both languages; ``perencana check``
fails when a caveat lacks them."""

import io
import shutil

import pytest
import yaml

from perencana.engine.memo.render import render
from perencana.engine.teaching import kb_check
from perencana.engine.view.memo import memo_view
from perencana.knowledge.loader import KNOWLEDGE_DIR
from tests.conftest import make_case
from tests.helpers import EXAMPLES, ROOT, invoke, picture_without_a_browser

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"
# Education without its three conditions (three caveats) and a peer that is not
# stronger (one caveat on linking institutions).
ANSWERS = {
    "change.skills_required": "extensive",
    "staff.involved_in_design": False,
    "staff.field_experience": "low",
    "staff.authority_to_change": False,
    "partners.peer_institution_available": True,
    "partners.peer_stronger": False,
}


@pytest.fixture(scope="module")
def advice(advisor):
    return advisor.advise(make_case(ANSWERS))


def item_text(knowledge, caveat, key, lang):
    return knowledge.caveats[caveat][key][lang].strip()


@pytest.mark.parametrize("lang", ["en", "id"])
def test_each_caveat_is_a_row_tied_to_its_strategy_in_rank_order(advice, knowledge, lang):
    rows = memo_view(advice, knowledge, lang)["risks"]
    expected = [(s.rank, s.id, c) for s in advice.strategies for c in s.caveats]
    assert [(r["strategy"]["rank"], r["strategy"]["id"], r["id"]) for r in rows] == expected
    assert {r["id"] for r in rows} >= {
        "education-not-involved",
        "education-no-field-experience",
        "education-no-authority",
        "link-peer-not-stronger",
    }
    for row in rows:
        for key in ("risk", "sign", "response"):
            assert row[key] == " ".join(item_text(knowledge, row["id"], key, lang).split())
        assert row["sources_text"] == ", ".join(
            f"¶{n}" for n in knowledge.caveats[row["id"]]["sources"]
        )
    titles = {r["strategy"]["id"]: r["strategy"]["title"] for r in rows}
    assert titles["education"] == knowledge.strategies["education"]["title"][lang]


@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("fmt", ["md", "html", "text"])
def test_every_text_format_shows_the_table(advice, knowledge, fmt, lang):
    memo = render(advice, knowledge, fmt, lang)
    labels = knowledge.memo["risks"]
    assert labels["heading"][lang] in memo
    flat = " ".join(memo.split())
    row = memo_view(advice, knowledge, lang)["risks"][0]
    for key in ("risk", "sign", "response"):
        assert labels[key][lang] in memo
        # The risk texts carry no character any format escapes.
        assert row[key] in flat
    if fmt == "md":
        header = f"| {labels['strategy'][lang]} | {labels['risk'][lang]} |"
        assert header in memo
        assert f"| {row['strategy']['rank']}. {row['strategy']['title']} | {row['risk']} |" in memo
    if fmt == "html":
        assert '<table class="risks">' in memo
        assert f'<tr id="risk-{row["id"]}">' in memo


def test_no_caveat_no_table(advisor, knowledge):
    advice = advisor.advise(make_case())
    assert all(not s.caveats for s in advice.strategies)
    assert memo_view(advice, knowledge, "en")["risks"] == []
    # The section keeps its number (memo-design: 8. Risks and responses) and says so.
    for fmt in ("md", "html", "text"):
        memo = render(advice, knowledge, fmt)
        assert knowledge.memo["risks"]["heading"]["en"] in memo
        assert knowledge.memo["risks"]["no_risks"]["en"] in " ".join(memo.split())
        assert knowledge.memo["risks"]["sign"]["en"] not in memo


def test_the_word_memo_has_the_table_in_indonesian(advice, knowledge):
    docx = pytest.importorskip("docx")
    with picture_without_a_browser():  # the table is read, not the picture
        data = render(advice, knowledge, "docx", "id")
    document = docx.Document(io.BytesIO(data))
    labels = knowledge.memo["risks"]
    heading = next(p for p in document.paragraphs if p.text.endswith(labels["heading"]["id"]))
    assert heading.style.name == "Heading 1"  # a section of its own, after the programs
    assert heading.text == f"8. {labels['heading']['id']}"
    table = next(t for t in document.tables if t.rows[0].cells[0].text == labels["risk"]["id"])
    # Three columns, as in the HTML memo: the strategy opens the risk's cell and the
    # ¶ closes the response's.
    assert [c.text for c in table.rows[0].cells] == [
        labels["risk"]["id"],
        labels["sign"]["id"],
        labels["response"]["id"],
    ]
    rows = memo_view(advice, knowledge, "id")["risks"]
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert body == [
        [
            f"{r['strategy']['rank']}. {r['strategy']['title']}\n{r['risk']}",
            r["sign"],
            f"{r['response']} ({r['sources_text']})",
        ]
        for r in rows
    ]


# --------------------------------------------------------------------------- check


@pytest.mark.parametrize("key", ["risk", "sign", "response"])
def test_a_caveat_without_its_risk_sign_or_response_fails_the_check(tmp_path, key):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = target / "caveats.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    del next(i for i in items if i["id"] == "shake-up-not-permanent")[key]
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = list(kb_check.check_knowledge_base(target).problems)
    assert problems == [f"caveats.yaml: shake-up-not-permanent: has no {key}"]


def test_a_caveat_with_one_language_missing_fails_the_check(tmp_path):
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    path = target / "caveats.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8"))
    del items[0]["sign"]["id"]
    path.write_text(yaml.safe_dump(items, allow_unicode=True, sort_keys=False), encoding="utf-8")
    problems = list(kb_check.check_knowledge_base(target).problems)
    assert problems == [f"caveats.yaml: {items[0]['id']}: sign has no text in 'id'"]


# --------------------------------------------------------------------------- templates


def test_a_custom_memo_template_can_include_the_shipped_section(tmp_path):
    folder = tmp_path / "letterhead"
    folder.mkdir()
    shutil.copy(ROOT / "templates" / "memo.md.j2", folder / "memo.md.j2")
    custom = invoke("advise", OLD_OFFICE, "--template-dir", folder)
    shipped = invoke("advise", OLD_OFFICE)
    assert custom.returncode == 0, custom.stderr
    assert custom.stdout == shipped.stdout
    assert "## 8. Risks and what to do" in custom.stdout


def test_a_custom_section_of_the_same_name_replaces_the_shipped_one(tmp_path):
    folder = tmp_path / "letterhead"
    (folder / "sections").mkdir(parents=True)
    shutil.copy(ROOT / "templates" / "memo.md.j2", folder / "memo.md.j2")
    (folder / "sections" / "risks.md.j2").write_text(
        "{% for x in risks %}RISK {{ x.strategy.rank }}: {{ x.risk|md }}\n{% endfor %}"
    )
    result = invoke("advise", OLD_OFFICE, "--template-dir", folder)
    assert result.returncode == 0, result.stderr
    assert "RISK 1: " in result.stdout
    assert "## 8. Risks and what to do" not in result.stdout


def test_the_client_edition_lists_the_risks_the_source_insists_on_whatever_the_rank(
    advisor, knowledge
):
    """The client edition lists the risks of the strategies to start with, and of the
    others only the caveats the source insists on (``essential``; the knowledge
    brief's refinements): a mandated change goes in stages within the mandate."""
    from perencana.engine.api import read_case

    essential = {c for c, item in knowledge.caveats.items() if item.get("essential")}
    assert essential == {"gradual-within-mandate"}
    kept_for_their_source = left_out = 0
    for path in sorted(EXAMPLES.glob("*.yaml")):
        advice = advisor.advise(read_case(str(path)))
        first = {s.id for s in advice.strategies if s.start_with}
        every = [(s.id, c) for s in advice.strategies for c in s.caveats]
        expected = [c for s, c in every if s in first or c in essential]
        rows = memo_view(advice, knowledge, "en", edition="client")["risks"]
        assert [row["id"] for row in rows] == expected, path.name
        kept_for_their_source += sum(s not in first and c in essential for s, c in every)
        left_out += len(every) - len(expected)
        # The planner's edition lists them all.
        assert [
            r["id"] for r in memo_view(advice, knowledge, "en", edition="planner")["risks"]
        ] == [c for _, c in every]
    assert kept_for_their_source and left_out


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_memo_on_a_mandated_change_says_to_stage_it_within_the_mandate_from_page_1(
    advisor, knowledge, lang
):
    from perencana.engine.api import read_case

    advice = advisor.advise(read_case(str(EXAMPLES / "mandated-care-standards.yaml")))
    gradual = next(s for s in advice.strategies if s.id == "gradual-change")
    assert not gradual.start_with and "gradual-within-mandate" in gradual.caveats
    memo = " ".join(render(advice, knowledge, "md", lang, edition="client").split())
    for key in ("risk", "response"):
        assert item_text(knowledge, "gradual-within-mandate", key, lang) in memo
    # The summary's main risks lead with it, for the reader who stops at page 1; as
    # many as before, the others the first strategies' (the strategies to start with
    # are untouched by it).
    for edition in ("client", "planner"):
        summary = memo_view(advice, knowledge, lang, edition)["summary"]
        risks = [risk["text"] for risk in summary["risks"]]
        assert risks[0] == item_text(knowledge, "gradual-within-mandate", "risk", lang)
        assert len(risks) == knowledge.thresholds["summary"]["risks"]
        first = [s["title"] for s in summary["strategies"]]
        assert all(risk["strategy"] in first for risk in summary["risks"][1:])
