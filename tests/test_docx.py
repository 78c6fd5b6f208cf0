"""``perencana advise --format docx``: a real Word document from the same view as the
other memo formats, built from ``templates/memo.docx`` (``scripts/make_docx_template.py``)."""

import io
import json
import sys
import zipfile

import pytest
from click.testing import CliRunner

from perencana.cli import main
from perencana.engine.errors import OutputError, TemplateError
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLES, ROOT, picture_without_a_browser

docx = pytest.importorskip("docx")
pytest.importorskip("docxtpl")

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"
PROGRAM_REVIEW = EXAMPLES / "program-review.yaml"


def invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def write_docx(tmp_path, case, *options):
    target = tmp_path / "memo.docx"
    result = invoke("advise", case, "--format", "docx", "-o", target, *options)
    assert result.exit_code == 0, result.output
    return docx.Document(str(target))


def advice_json(case):
    return json.loads(invoke("advise", case, "--format", "json").output)


# The tests of the picture itself draw it (rsvg-convert or a headless browser, a
# second or so each); the others read the document's words, tables and styles, with
# a stand-in picture in its place.
DRAWN = {
    "test_the_reasoning_graph_is_a_picture_or_the_memo_says_why_not",
    "test_without_a_program_to_draw_it_the_picture_is_left_out_with_a_note",
    "test_the_same_case_gives_the_same_word_bytes_at_any_time",
}


@pytest.fixture(autouse=True)
def _picture_drawn_only_where_it_is_checked(request):
    if request.node.originalname in DRAWN:
        yield
        return
    with picture_without_a_browser():
        yield


@pytest.fixture(scope="module")
def memo_labels():
    return load_knowledge().memo


@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_word_memo_has_the_numbered_sections_in_order(tmp_path, memo_labels, lang):
    document = write_docx(tmp_path, OLD_OFFICE, "--lang", lang)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    wanted = ["organization", "causes", "strategies", "action_plan", "stakeholder_map"]
    wanted += ["programs", "risks", "guidance", "unknowns", "sources", "reasoning"]
    titles = dict(memo_labels["headings"])
    titles |= {k: memo_labels[k]["heading"] for k in ("action_plan", "stakeholder_map", "risks")}
    titles["reasoning"] = memo_labels["graph"]["heading"]  # the picture, an appendix
    expected = [f"1. {memo_labels['summary']['heading'][lang]}"]
    expected += [f"{n}. {titles[k][lang]}" for n, k in enumerate(wanted, 2)]
    assert headings == expected  # the planner's edition: no trace appendix
    title = next(p.text for p in document.paragraphs if p.style.name == "Title")
    assert title == "Dinas Sosial Kabupaten Lembah Hijau"


def strategy_groups(strategies, knowledge):
    """The advice's strategies as section 4 lists them: those to start with, then
    those to also consider, each by phase."""
    groups = [
        [s for s in strategies if s["start_with"] is start_with and s["phase"] == phase]
        for start_with in (True, False)
        for phase in knowledge.phases
    ]
    return [group for group in groups if group]


def section_4(document, memo_labels, lang="en"):
    """The paragraphs of section 4 (strategies), as (style, text)."""
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    headings = memo_labels["headings"]
    start = paragraphs.index(("Heading 1", f"4. {headings['strategies'][lang]}"))
    end = paragraphs.index(("Heading 1", f"5. {memo_labels['action_plan']['heading'][lang]}"))
    return paragraphs[start + 1 : end]


def test_the_strategies_are_paragraphs_by_phase_and_rank(tmp_path, memo_labels):
    # Paragraphs, as in the HTML memo: a table's narrow "because" column ran the
    # planner's edition of the rich example to 13 pages (issue 13's page budget).
    document = write_docx(tmp_path, OLD_OFFICE)
    knowledge = load_knowledge()
    strategies = advice_json(OLD_OFFICE)["strategies"]
    assert not [t for t in document.tables if t.rows[0].cells[1].text == "Strategy"]
    expected = strategy_groups(strategies, knowledge)
    assert len(expected) > 1
    paragraphs = section_4(document, memo_labels)
    headings = [t for style, t in paragraphs if style in ("Heading 2", "Heading 3")]
    terms = memo_labels["terms"]
    also = headings.index(terms["plan_also_consider"]["en"])
    assert headings.index(terms["plan_start_with"]["en"]) < also
    named = [
        f"{terms['phase']['en']}: {knowledge.phases[group[0]['phase']]['title']['en']}"
        for group in expected
    ]
    assert [h for h in headings if h.startswith(terms["phase"]["en"] + ":")] == named
    # Each strategy a level-4 heading: its rank, title and ¶, in the plan's order,
    # then why (the planner's edition lists the reasons under a label).
    titles = [(i, t) for i, (style, t) in enumerate(paragraphs) if style == "Heading 4"]
    order = [s for group in expected for s in group]
    assert len(titles) == len(order) == len(strategies) > 3
    because = terms["because"]["en"] + ":"
    for (index, text), strategy in zip(titles, order, strict=True):
        title = knowledge.strategies[strategy["id"]]["title"]["en"]
        sources = ", ".join(f"¶{n}" for n in strategy["sources"])
        assert text.split() == f"{strategy['rank']}. {title} {sources}".split()
        following = [t for _, t in paragraphs[index + 1 : index + 6]]
        assert because in following, "every strategy says why"


def test_the_client_edition_lists_the_strategies_to_also_consider_compactly(tmp_path, memo_labels):
    # As in the HTML memo: a strategy to also consider is one paragraph, its title,
    # ¶ and reason; those to start with keep their heading and summary.
    document = write_docx(tmp_path, OLD_OFFICE, "--edition", "client")
    knowledge = load_knowledge()
    strategies = advice_json(OLD_OFFICE)["strategies"]
    paragraphs = section_4(document, memo_labels)
    compact = [t for style, t in paragraphs if style == "Strategy Compact"]
    headed = [t for style, t in paragraphs if style == "Heading 4"]
    others = [s for group in strategy_groups(strategies, knowledge) for s in group]
    others = [s for s in others if not s["start_with"]]
    assert len(compact) == len(others) > 0
    for text, strategy in zip(compact, others, strict=True):
        title = knowledge.strategies[strategy["id"]]["title"]["en"]
        # "8. Work as a partner: <its reason> (¶73)." (the ¶ beside the title only
        # where the reason does not cite it)
        assert text.startswith(f"{strategy['rank']}. {title}")
        reason = text.split(": ", 1)[1]
        assert len(reason) > 20 and "¶" in text
    assert len(headed) == len([s for s in strategies if s["start_with"]])


def test_causes_programs_guidance_unknowns_and_sources_are_there(tmp_path):
    document = write_docx(tmp_path, PROGRAM_REVIEW)
    advice = advice_json(PROGRAM_REVIEW)
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [[c.text for c in r.cells] for t in document.tables for r in t.rows]
    knowledge = load_knowledge()
    for cause in advice["causes"]:
        title = knowledge.causes[cause["id"]]["title"]["en"]
        strength = knowledge.memo["strength"][cause["strength"]]["en"]
        assert f"{title}: {strength}" in text
    programs = [row for row in cells if row[0] in {p["name"] for p in advice["programs"]}]
    assert len(programs) == len(advice["programs"]) > 0
    for item in advice["guidance"]:
        assert knowledge.guidance[item["id"]]["title"]["en"] in text
    assert "¶" in text and "Passages cited" in text
    unknowns = knowledge.memo["headings"]["unknowns"]["en"]
    assert unknowns in text


def test_the_document_is_a_well_formed_word_file(tmp_path):
    write_docx(tmp_path, OLD_OFFICE)
    with zipfile.ZipFile(tmp_path / "memo.docx") as archive:
        assert "word/document.xml" in archive.namelist()
        from lxml import etree

        etree.fromstring(archive.read("word/document.xml"))  # raises if malformed
        xml = archive.read("word/document.xml").decode()
    assert "{{" not in xml and "{%" not in xml, "every template tag was rendered"


def test_a_name_of_any_length_fits_the_document_title(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(
        f"organization: {{name: '{'&' * 2000}', age_years: 3}}\n"
        "change: {summary: s, proposed_by: internal}\nfunding: {funds_for_change: none}\n"
    )
    document = write_docx(tmp_path, case)
    title = document.core_properties.title
    assert len(title) == 255 and title.startswith("Advisory memo: &&&") and title.endswith("…")
    assert next(p.text for p in document.paragraphs if p.style.name == "Title") == "&" * 2000


def test_docx_needs_an_output_file():
    result = invoke("advise", OLD_OFFICE, "--format", "docx")
    assert result.exit_code == 2
    assert "-o FILE" in result.output


def test_docx_is_never_written_over_a_file_unasked(tmp_path):
    target = tmp_path / "memo.docx"
    target.write_text("notes")
    result = invoke("advise", OLD_OFFICE, "--format", "docx", "-o", target)
    assert result.exit_code == 1
    assert target.read_text() == "notes"


def test_a_missing_docxtpl_says_how_to_install_it(monkeypatch):
    from perencana.engine.memo.docx import render_docx

    monkeypatch.setitem(sys.modules, "docxtpl", None)
    with pytest.raises(OutputError, match=r"pip install perencana\[docx\]"):
        render_docx({})


def _custom_docx(folder, *paragraphs):
    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    folder.mkdir(exist_ok=True)
    document.save(str(folder / "memo.docx"))


def test_a_custom_word_template_is_used(tmp_path):
    folder = tmp_path / "letterhead"
    _custom_docx(
        folder,
        "KOP SURAT NUSANTARA",
        "{{ header.organization }}",
        "{%p for s in strategies %}",
        "{{ s.rank }}. {{ s.title }}",
        "{%p endfor %}",
    )
    document = write_docx(tmp_path, OLD_OFFICE, "--lang", "id", "--template-dir", folder)
    texts = [p.text for p in document.paragraphs]
    assert texts[:2] == ["KOP SURAT NUSANTARA", "Dinas Sosial Kabupaten Lembah Hijau"]
    assert texts[2].startswith("1. ") and len(texts) > 4


@pytest.mark.parametrize(
    ("paragraph", "problem"),
    [
        ("{{ ''.__class__.__mro__ }}", "refused as unsafe"),
        ("{{ no_such_thing }}", "'no_such_thing' is undefined"),
        ("{% if %}", "Expected an expression"),
    ],
)
def test_a_broken_or_unsafe_word_template_is_a_clear_error(tmp_path, paragraph, problem):
    folder = tmp_path / "bad"
    _custom_docx(folder, "fine", paragraph)
    result = invoke(
        "advise",
        OLD_OFFICE,
        "--format",
        "docx",
        "-o",
        tmp_path / "m.docx",
        "--template-dir",
        folder,
    )
    assert result.exit_code == 1
    assert f"template {folder / 'memo.docx'}: " in result.output
    assert problem in result.output
    assert not (tmp_path / "m.docx").exists()


def test_the_shipped_template_matches_its_script(tmp_path):
    # The script is the source of templates/memo.docx: what it builds renders the
    # same document text as the file that is committed.
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_docx_template
    finally:
        sys.path.pop(0)
    rebuilt = tmp_path / "memo.docx"
    make_docx_template.main(rebuilt)
    shipped = docx.Document(str(ROOT / "templates" / "memo.docx"))
    fresh = docx.Document(str(rebuilt))
    assert [p.text for p in fresh.paragraphs] == [p.text for p in shipped.paragraphs]
    assert len(fresh.tables) == len(shipped.tables)


def test_a_file_that_is_not_a_word_document_is_a_clear_error(tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "memo.docx").write_text("not a zip")
    from perencana.engine.memo.docx import render_docx

    with pytest.raises(TemplateError, match="not a usable Word document"):
        render_docx({}, folder / "memo.docx")


def test_the_same_case_gives_the_same_word_bytes_at_any_time(monkeypatch, advisor, knowledge):
    import time

    from perencana.engine.case.loader import load_case
    from perencana.engine.memo.render import render

    advice = advisor.advise(load_case(EXAMPLES / "young-community-group.yaml"))
    first = render(advice, knowledge, "docx", "id")
    later = time.time() + 3 * 3600  # python-docx stamps the zip entries with the time
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(time, "localtime", lambda secs=None: time.gmtime(later))
    assert render(advice, knowledge, "docx", "id") == first
    with zipfile.ZipFile(io.BytesIO(first)) as document:
        assert {info.date_time for info in document.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# ------------------------------------------------- Word the way consultants use it

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize(("lang", "tag"), [("en", "en-GB"), ("id", "id-ID")])
def test_the_language_of_the_memo_is_declared_in_the_styles(tmp_path, lang, tag):
    document = write_docx(tmp_path, OLD_OFFICE, "--lang", lang)
    defaults = document.styles.element.find(f"{W}docDefaults")
    languages = {e.get(f"{W}val") for e in document.styles.element.iter(f"{W}lang")}
    assert defaults.find(f"{W}rPrDefault/{W}rPr/{W}lang").get(f"{W}val") == tag
    assert languages == {tag}  # no style says otherwise
    body = document.element.body
    assert not [e for e in body.iter(f"{W}lang") if e.get(f"{W}val") != tag]
    assert document.core_properties.language == tag


def test_headings_are_word_heading_styles_the_navigation_pane_shows(tmp_path):
    document = write_docx(tmp_path, PROGRAM_REVIEW, "--lang", "id")
    for level in (1, 2):
        style = document.styles[f"Heading {level}"]
        assert style.type == 1 and style.builtin  # a paragraph style Word knows
        outline = style.element.find(f"{W}pPr/{W}outlineLvl")
        assert outline is not None and outline.get(f"{W}val") == str(level - 1)
    used = {p.style.name for p in document.paragraphs}
    assert {"Title", "Heading 1", "Heading 2"} <= used


def test_each_page_has_the_organization_at_its_head_and_its_number_at_its_foot(tmp_path):
    document = write_docx(tmp_path, OLD_OFFICE, "--lang", "id")
    section = document.sections[0]
    assert section.header.paragraphs[0].text == "Dinas Sosial Kabupaten Lembah Hijau"
    footer = section.footer.paragraphs[0]
    instructions = [e.text.strip() for e in footer._p.iter(f"{W}instrText")]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert footer.text.startswith("Memo Rekomendasi\t")


def test_tables_are_as_wide_as_the_text_and_keep_their_columns(tmp_path):
    document = write_docx(tmp_path, OLD_OFFICE)
    section = document.sections[0]
    text_width = docx.shared.Length(section.page_width - section.left_margin - section.right_margin)
    assert len(document.tables) >= 5  # plan phases, stakeholders, programs, risks
    for table in document.tables:
        grid = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
        assert abs(sum(grid) - text_width.twips) < 20  # the text's width (twips)
        layout = table._tbl.tblPr.find(f"{W}tblLayout")
        assert layout is not None and layout.get(f"{W}type") == "fixed"
    # The action plan's number column is narrow, its step column the widest.
    step = memo_labels_of("action_plan", "step")
    plan = next(t for t in document.tables if t.rows[0].cells[1].text == step)
    grid = [int(c.get(f"{W}w")) for c in plan._tbl.tblGrid.findall(f"{W}gridCol")]
    assert grid[0] == min(grid) and grid[1] == max(grid)


def memo_labels_of(group, key, lang="en"):
    return load_knowledge().memo[group][key][lang]


def test_caveats_follow_their_strategy(tmp_path, memo_labels, advisor, knowledge):
    from perencana.engine.case.loader import load_case
    from perencana.engine.view.memo import memo_view

    document = write_docx(tmp_path, OLD_OFFICE)
    view = memo_view(advisor.advise(load_case(OLD_OFFICE)), knowledge, "en")
    paragraphs = section_4(document, memo_labels)
    starts = [i for i, (style, _) in enumerate(paragraphs) if style.startswith("Heading")]
    label = memo_labels["terms"]["caveats"]["en"] + ": "
    assert any(s["caveats"] for s in view["strategies"])
    for strategy in view["strategies"]:
        index = next(
            i
            for i, (style, text) in enumerate(paragraphs)
            if style == "Heading 4" and text.startswith(f"{strategy['rank']}. {strategy['title']}")
        )
        end = next((i for i in starts if i > index), len(paragraphs))
        texts = [t for _, t in paragraphs[index + 1 : end]]
        caveats = [t for t in texts if t.startswith(label)]
        if strategy["caveats"]:
            # the caveats run on after their label, under their strategy's reasons
            assert caveats == [label + " ".join(strategy["caveats"])]
        else:
            assert caveats == []


def test_the_properties_name_the_memo_and_no_date_or_author_unless_given(tmp_path):
    document = write_docx(tmp_path, OLD_OFFICE, "--lang", "id")
    properties = document.core_properties
    assert properties.title == "Memo Rekomendasi: Dinas Sosial Kabupaten Lembah Hijau"
    assert properties.subject == "replace office-based intake with community-based case management"
    assert properties.author == ""  # not "python-docx", not "perencana"
    assert properties.last_modified_by == ""
    assert properties.created is None and properties.modified is None  # never 2013


def test_the_word_properties_take_the_author_and_date_the_memo_gives():
    from types import SimpleNamespace

    from perencana.engine.memo.docx import _render_properties, _set_dates

    view = {
        "lang": "en",
        "header": {
            "details": [
                {"key": "prepared_by", "label": "Prepared by", "value": "Sri Wahyuni"},
                {"key": "date", "label": "Date", "value": "2026-03-02"},
            ]
        },
    }
    document = docx.Document()
    document.core_properties.author = "{{ lang }}"
    _render_properties(SimpleNamespace(docx=document), view)
    _set_dates(document, view)
    assert document.core_properties.author == "Sri Wahyuni"
    assert document.core_properties.created.date().isoformat() == "2026-03-02"
    assert document.core_properties.modified.date().isoformat() == "2026-03-02"


def test_the_reasoning_graph_is_a_picture_or_the_memo_says_why_not(tmp_path, memo_labels):
    from perencana.engine.memo.picture import svg_to_png

    document = write_docx(tmp_path, OLD_OFFICE)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert f"12. {memo_labels['graph']['heading']['en']}" in headings  # after the sources
    pictures = document.inline_shapes
    texts = [" ".join(p.text.split()) for p in document.paragraphs]
    if svg_to_png('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"></svg>') is None:
        assert len(pictures) == 0
        assert " ".join(memo_labels["graph"]["no_picture"]["en"].split()) in texts
        return
    assert len(pictures) == 1
    assert pictures[0].width <= docx.shared.Mm(170)
    assert pictures[0].height <= docx.shared.Mm(200)
    # Its alternative text, for a screen reader and Word's accessibility check.
    described = pictures[0]._inline.docPr.get("descr")
    assert described == memo_labels["graph"]["heading"]["en"]
    with zipfile.ZipFile(tmp_path / "memo.docx") as package:
        media = [name for name in package.namelist() if name.startswith("word/media/")]
        assert len(media) == 1 and package.read(media[0]).startswith(b"\x89PNG")


def test_without_a_program_to_draw_it_the_picture_is_left_out_with_a_note(
    tmp_path, monkeypatch, memo_labels
):
    from perencana.engine.memo import picture

    picture.svg_to_png.cache_clear()
    monkeypatch.setenv("PATH", str(tmp_path))  # no rsvg-convert, no Chromium
    monkeypatch.delenv("PERENCANA_CHROMIUM", raising=False)
    try:
        document = write_docx(tmp_path, OLD_OFFICE, "--lang", "id")
    finally:
        picture.svg_to_png.cache_clear()
    assert len(document.inline_shapes) == 0
    texts = [" ".join(p.text.split()) for p in document.paragraphs]
    assert " ".join(memo_labels["graph"]["no_picture"]["id"].split()) in texts


def test_word_memos_rendered_one_after_another_are_each_the_memo_rendered_alone(tmp_path):
    # A batch renders Word memos one after another in one process, and the compiled
    # Word template is kept between them: each memo must still be exactly the memo
    # its own case gives alone, with nothing kept.
    from perencana.engine import api
    from perencana.engine.memo.custom_templates import sandboxed_environment

    cases = [EXAMPLES / "old-government-office.yaml", EXAMPLES / "program-review.yaml"]
    together = []
    for case in cases * 2:
        advice = api.advise(api.read_case(str(case)))
        together.append(api.render_advice(advice, "docx", "id", edition="client"))
    assert together[0] == together[2] and together[1] == together[3]
    assert together[0] != together[1]
    kept = sandboxed_environment(None, True).__dict__
    assert 0 < len(kept["_compiled"]) <= 16
    alone = []
    for case in cases:
        kept.pop("_compiled", None)
        out = tmp_path / f"{case.stem}.docx"
        result = invoke("advise", str(case), "--lang", "id", "--edition", "client", "-o", str(out))
        assert result.exit_code == 0, result.output
        alone.append(out.read_bytes())
    assert together[:2] == alone
