"""The memo's editions (``--edition client|planner|trainer``), its one-page summary and
its details (the case's ``memo`` section, ``--date``, ``--prepared-by``, versions).

Each edition is checked in every format a reader gets (Markdown, HTML, plain text,
Word) and in both languages, on the text a reader sees: the client edition shows no
field path, no rule id, no trace and no guidance to the planner; the planner edition
shows field paths only beside the unknowns, and no trace; the trainer edition shows
the trace. The JSON advice is the same whatever the edition.
"""

import io
import json
import re
import shutil
import subprocess

import pytest

from perencana.engine import api
from perencana.engine.view.editions import EDITIONS
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLE_CASES, EXAMPLES, invoke, picture_without_a_browser

FORMATS = ("md", "html", "text", "docx")
LANGS = ("en", "id")
# A case path as a memo would print it: organization.type, stakeholders[0].impact.
FIELD_PATH = re.compile(r"\b[a-z_]+(?:\[\d+\])?\.[a-z_]+\b")
ITEM_PATH = re.compile(r"\b(?:stakeholders|programs|partners)\[\d+\]")


@pytest.fixture(scope="module", autouse=True)
def _no_browser_for_the_pictures():
    """These tests read what the Word memos say, in every edition, format, language
    and example: the reasoning picture is a stand-in PNG here (``tests/test_docx.py``
    checks the drawn one), as a browser start per Word memo would cost more than all
    the rest of this file."""
    with picture_without_a_browser():
        yield


@pytest.fixture(scope="module")
def advices():
    return {case.stem: api.advise(api.read_case(str(case))) for case in EXAMPLE_CASES}


@pytest.fixture(scope="module")
def rule_ids():
    catalog = json.loads(api.rules_catalog("json", "en"))
    return [rule["id"] for rule in catalog["rules"]]


def visible_text(memo, fmt):
    """What a reader sees of a memo: HTML without its style sheet and tags, Word's
    paragraphs, tables, headers and footers."""
    if fmt == "docx":
        import docx

        document = docx.Document(io.BytesIO(memo))
        parts = [p.text for p in document.paragraphs]
        parts += [
            cell.text for table in document.tables for row in table.rows for cell in row.cells
        ]
        for section in document.sections:
            parts += [p.text for p in section.header.paragraphs + section.footer.paragraphs]
        return "\n".join(parts)
    if fmt == "html":
        memo = re.sub(r"<style>.*?</style>", " ", memo, flags=re.S)
        memo = re.sub(r"<[^>]+>", " ", memo)
        return memo.replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
    return memo


def render(advice, fmt, lang, edition, details=None):
    return api.render_advice(advice, fmt, lang, edition=edition, details=details)


def labels(lang):
    from perencana.engine.view.words import translate

    return translate(load_knowledge().memo, lang)


CASES = [case.stem for case in EXAMPLE_CASES]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_the_client_edition_shows_no_field_path_rule_id_trace_or_guidance(
    advices, rule_ids, case, fmt, lang
):
    advice = advices[case]
    text = visible_text(render(advice, fmt, lang, "client"), fmt)
    assert FIELD_PATH.findall(text) == [], "a field path in the client edition"
    assert ITEM_PATH.findall(text) == []
    assert [rule for rule in rule_ids if rule in text] == []
    words = labels(lang)
    assert words["headings"]["appendix"] not in text
    assert words["headings"]["guidance"] not in text
    assert "thresholds.yaml" not in text
    knowledge = load_knowledge()
    for item in advice.guidance:
        guidance = knowledge.guidance[item.id]
        assert guidance["title"][lang] not in text, item.id
    # Addressed to the organization's leadership, not to the planner.
    leadership = words["editions"]["recipient_client"].format(organization=advice.organization)
    assert leadership in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("case", CASES)
def test_the_planner_edition_has_field_paths_only_for_the_unknowns_and_no_trace(
    advices, rule_ids, case, fmt, lang
):
    advice = advices[case]
    text = visible_text(render(advice, fmt, lang, "planner"), fmt)
    if fmt == "html":  # the reasoning picture names its rules (on pointing): not prose
        text = re.sub(r"<svg.*?</svg>", " ", render(advice, fmt, lang, "planner"), flags=re.S)
        text = visible_text(text, fmt)
    unknown = {u.path for u in advice.unknowns}
    shown = set(FIELD_PATH.findall(text)) | set(ITEM_PATH.findall(text))
    shown.discard("thresholds.yaml")  # the planner learns where the defaults are kept
    assert shown <= unknown | {p.split(".")[0] for p in unknown}
    assert labels(lang)["headings"]["appendix"] not in text
    assert [rule for rule in rule_ids if rule in text] == []
    if advice.guidance:
        assert labels(lang)["headings"]["guidance"] in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", ["old-government-office", "program-review"])
def test_the_markdown_memo_draws_the_reasoning_as_a_flowchart(advices, rule_ids, case, lang):
    """memo-design.md: the planner's and trainer's memos end with the reasoning graph.
    In Markdown it is a Mermaid flowchart of what fired: every recommended strategy
    and program decision a node, no rule id (the trainer's trace names the rules);
    the client's memo has none; the text memo says where the picture is."""
    from tests.test_graph_writers import check_mermaid

    advice = advices[case]
    graph_words = labels(lang)["graph"]
    for edition in ("planner", "trainer"):
        memo = render(advice, "md", lang, edition)
        block = re.search(r"```mermaid\n(.*?)```", memo, flags=re.S)
        assert block and graph_words["intro_flowchart"] in " ".join(memo.split())
        nodes, edges, classes = check_mermaid(block[1], plain_parentheses=True)
        assert edges and set(classes.values()) == {"fired"}
        shown = " ".join(nodes.values())
        for strategy in advice.strategies:
            assert load_knowledge().strategies[strategy.id]["title"][lang] in shown
        assert [rule for rule in rule_ids if rule in block[1]] == []
        text = " ".join(render(advice, "text", lang, edition).split())
        assert graph_words["text_only"] in text
    assert "```mermaid" not in render(advice, "md", lang, "client")
    assert graph_words["text_only"] not in " ".join(render(advice, "text", lang, "client").split())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_trainer_trace_says_what_each_rule_says(advices, fmt, lang):
    """memo-design.md: the trainer's appendix is the rule trace with the rules'
    statements: the docstring in English, rule_statements.yaml in Indonesian."""
    from perencana.engine.reasoning.rule_catalog import rule_statements, rules_by_id

    advice = advices["ngo-hurting-stakeholders"]
    text = " ".join(visible_text(render(advice, fmt, lang, "trainer"), fmt).split())
    catalog = rules_by_id()
    for step in advice.trace:
        said = catalog[step.rule].statement if lang == "en" else rule_statements()[step.rule]
        assert " ".join(said.split()) in text, step.rule
    planner = " ".join(visible_text(render(advice, fmt, lang, "planner"), fmt).split())
    assert catalog[advice.trace[0].rule].statement not in planner


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_trainer_edition_has_the_trace_with_rule_ids_and_field_paths(advices, fmt, lang):
    advice = advices["old-government-office"]
    text = visible_text(render(advice, fmt, lang, "trainer"), fmt)
    assert labels(lang)["headings"]["appendix"] in text
    assert labels(lang)["headings"]["guidance"] in text
    for step in advice.trace:
        assert step.rule in text
    assert "funding.funds_for_change" in text


@pytest.mark.parametrize("case", CASES)
def test_the_json_advice_is_the_same_in_every_edition(advices, case):
    advice = advices[case]
    plain = api.render_advice(advice, "json")
    for edition in EDITIONS:
        assert api.render_advice(advice, "json", edition=edition) == plain


def test_an_unknown_edition_is_refused(advices):
    with pytest.raises(ValueError, match="edition must be one of client, planner, trainer"):
        render(advices["program-review"], "md", "en", "board")
    made = invoke("advise", EXAMPLES / "program-review.yaml", "--edition", "board")
    assert made.returncode == 2
    assert "'board' is not one of 'client', 'planner', 'trainer'" in made.stderr


def test_advise_batch_and_interview_share_the_edition_option():
    for command in ("advise", "batch", "interview"):
        shown = invoke(command, "--help").stdout
        assert "--edition [client|planner|trainer]" in shown, command
        assert "[default: planner]" in shown, command


def test_batch_writes_each_memo_in_the_edition_asked(tmp_path, rule_ids):
    made = invoke(
        "batch", EXAMPLES / "old-government-office.yaml", "-o", tmp_path, "--edition", "client"
    )
    assert made.returncode == 0, made.stderr
    memo = (tmp_path / "dinas-sosial-kabupaten-lembah-hijau.md").read_text(encoding="utf-8")
    assert labels("en")["editions"]["recipient_client"] in memo
    assert [rule for rule in rule_ids if rule in memo] == []
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["edition"] == "client"


# ------------------------------------------------------------------ the summary


def _summary_part(text, lang, fmt):
    """The summary: from its heading to the next numbered section's heading."""
    words = labels(lang)
    start = text.index(words["summary"]["heading"])
    end = text.index(words["headings"]["organization"], start)
    return text[start:end]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_summary_comes_first_with_the_program_decisions(advices, fmt, lang, edition):
    advice = advices["program-review"]
    text = visible_text(render(advice, fmt, lang, edition), fmt)
    words = labels(lang)
    summary = _summary_part(text, lang, fmt)
    assert text.index(words["summary"]["heading"]) < text.index(words["headings"]["causes"])
    assert words["summary"]["programs"] in summary
    for finding in advice.programs:
        assert finding.name in summary
        assert words["decision"][finding.decision] in summary
    assert words["terms"]["undecided"] in summary  # a program no rule could decide on
    assert words["summary"]["open"] in summary


@pytest.mark.parametrize("lang", LANGS)
def test_the_diagnosis_names_every_cause_in_lower_case_mid_sentence(advices, lang):
    """A cause is named in the diagnosis as a phrase of the sentence, never as its
    section heading with a capital in mid-sentence ("because of “Cost and funding”")."""
    knowledge = load_knowledge()
    for name, advice in advices.items():
        diagnosis = " ".join(_view(advice, lang, "client")["summary"]["diagnosis"])
        for cause in advice.causes:
            words = knowledge.causes[cause.id]
            assert words["in_sentence"][lang] in diagnosis, (name, cause.id)
            assert words["in_sentence"][lang][:1].islower(), cause.id
            assert words["title"][lang] not in diagnosis, (name, cause.id)
        assert "“" not in diagnosis, name


@pytest.mark.parametrize("lang", LANGS)
def test_the_summary_gives_diagnosis_first_strategies_risks_and_open_questions(advices, lang):
    advice = advices["old-government-office"]
    view = _view(advice, lang, "client")
    summary = view["summary"]
    knowledge = load_knowledge()
    # The diagnosis: two or three sentences naming the stage and the strongest causes.
    assert 2 <= len(summary["diagnosis"]) <= 3
    # The stage named in lower case mid-sentence ("at the established stage").
    stage = knowledge.lifecycle[advice.lifecycle]
    assert f" {stage['in_sentence'][lang]} " in summary["diagnosis"][0]
    assert stage["title"][lang] not in summary["diagnosis"][0]
    for cause in advice.causes:
        if cause.strength == "strong":
            assert knowledge.causes[cause.id]["in_sentence"][lang] in summary["diagnosis"][1]
    # The strategies to start with, in rank order, one reason each.
    first = [s for s in advice.strategies if s.start_with]
    assert [s["rank"] for s in summary["strategies"]] == [s.rank for s in first]
    assert all(s["reason"] for s in summary["strategies"])
    # The main risks, spread over the first strategies, as many as thresholds allow.
    limit = knowledge.thresholds["summary"]["risks"]
    assert 0 < len(summary["risks"]) <= limit
    assert len({risk["strategy"] for risk in summary["risks"]}) == len(summary["risks"])


def test_the_client_asks_its_open_questions_as_questions(advices):
    advice = advices["program-review"]
    view = _view(advice, "en", "client")
    assert view["summary"]["open"]
    for unknown in view["unknowns"]:
        assert unknown["question"].endswith("?")
        assert unknown["path"] == ""
    viable = next(u for u in view["unknowns"] if u["label"].startswith("Program viability"))
    assert viable["question"] == "Is the program “peer support groups” still viable?"
    planner = _view(advice, "en", "planner")
    assert [u["path"] for u in planner["unknowns"]] == [u.path for u in advice.unknowns]


def _view(advice, lang, edition, details=None):
    from perencana.engine.view.memo import memo_view

    return memo_view(advice, load_knowledge(), lang, edition, details)


# -------------------------------------------------------------- memo details


def _case_with_memo(tmp_path, memo):
    text = (EXAMPLES / "program-review.yaml").read_text(encoding="utf-8")
    lines = "".join(f"  {key}: {json.dumps(value)}\n" for key, value in memo.items())
    path = tmp_path / "case.yaml"
    path.write_text(f"{text.rstrip()}\nmemo:\n{lines}", encoding="utf-8")
    return path


@pytest.mark.parametrize("fmt", ("md", "html", "text"))
def test_the_memo_details_come_from_the_case_and_the_options_override_them(tmp_path, fmt):
    case = _case_with_memo(
        tmp_path,
        {
            "title": "Readiness review",
            "client_organization": "Dinas Sosial Provinsi",
            "prepared_by": "Ani Rahayu",
            "prepared_for": "The board of trustees",
            "date": "2026-11-30",
            "reference": "PS/2026/14",
        },
    )
    made = invoke("advise", case, "--format", fmt, "--edition", "client")
    assert made.returncode == 0, made.stderr
    for text in (
        "Readiness review",
        "Dinas Sosial Provinsi",
        "Ani Rahayu",
        "The board of trustees",
        "2026-11-30",
        "PS/2026/14",
    ):
        assert text in made.stdout, text
    # prepared_for names the reader: the title block, above the summary, has no other.
    title_block = made.stdout.split(labels("en")["summary"]["heading"])[0]
    assert "The board of trustees" in title_block
    assert labels("en")["editions"]["recipient_client"] not in title_block
    made = invoke(
        "advise", case, "--format", fmt, "--date", "1 December 2026", "--prepared-by", "Budi"
    )
    assert "1 December 2026" in made.stdout and "2026-11-30" not in made.stdout
    assert "Budi" in made.stdout and "Ani Rahayu" not in made.stdout


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_edition_is_named_only_beside_a_recipient_the_case_names(advices, fmt, edition):
    # "To: The social planner" names the edition already; a line "Edition: for the
    # planner" under it only repeated it. Beside "To: Ibu Sari", it tells.
    words = labels("en")["editions"]
    line = re.compile(rf"{re.escape(words['edition'])}:? {re.escape(words[edition])}")
    advice = advices["program-review"]
    plain = visible_text(render(advice, fmt, "en", edition), fmt)
    assert words[f"recipient_{edition}"] in plain
    assert f"{words['edition']}:" not in plain
    named = visible_text(render(advice, fmt, "en", edition, {"prepared_for": "Ibu Sari"}), fmt)
    assert "Ibu Sari" in named
    assert line.search(" ".join(named.replace("*", "").split())), named[:600]


def test_no_date_unless_given_and_the_same_input_gives_the_same_bytes(advices, tmp_path):
    advice = advices["program-review"]
    words = labels("en")["details"]
    for fmt in FORMATS:
        first = render(advice, fmt, "en", "planner")
        assert first == render(advice, fmt, "en", "planner"), fmt
        text = visible_text(first, fmt)
        assert f"{words['date']}:" not in text, fmt
        assert f"{words['prepared_by']}:" not in text, fmt
    dated = render(advice, "md", "en", "planner", {"date": "2026-11-30"})
    assert "**Date:** 2026-11-30" in dated


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_versions_are_in_the_footer(advices, fmt, lang):
    from importlib.metadata import version

    text = visible_text(render(advices["program-review"], fmt, lang, "client"), fmt)
    knowledge_version = load_knowledge().source["knowledge_version"]
    assert version("perencana") in text.split(labels(lang)["headings"]["sources"])[-1]
    assert knowledge_version in text


# ------------------------------------------------------------------ HTML memo


def test_the_html_sections_are_numbered_with_the_reasoning_picture(advices):
    html = render(advices["old-government-office"], "html", "en", "planner")
    numbers = re.findall(r'<h2><span class="number">(\d+)\.</span>', html)
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    assert re.search(r'<h2><span class="number">\d+\.</span> How the causes drive', html)
    assert "point at" not in re.sub(r'<span class="screen-only">.*?</span>', "", html).lower()
    assert ".screen-only { display: none; }" in html
    assert "counter(page)" in html
    client = render(advices["old-government-office"], "html", "en", "client")
    assert "<svg" not in client


def test_the_reasoning_picture_lists_the_strategies_in_rank_order(advices):
    from perencana.engine.graph.layout import layout
    from perencana.engine.graph.model import memo_graph, reasoning_graph

    for advice in advices.values():
        graph = memo_graph(reasoning_graph(load_knowledge(), "en", advice))
        drawn = layout(graph, graph.layers)
        ranks = {f"strategy:{s.id}": s.rank for s in advice.strategies}
        placed = sorted((key for key in drawn.order if key in ranks), key=drawn.order.get)
        assert [ranks[key] for key in placed] == sorted(ranks[key] for key in placed)


def test_a_custom_template_folder_still_finds_the_section_templates(tmp_path):
    from perencana.engine.memo.templating import templates_dir

    shipped = (templates_dir() / "memo.md.j2").read_text(encoding="utf-8")
    (tmp_path / "memo.md.j2").write_text("LETTERHEAD\n" + shipped, encoding="utf-8")
    made = invoke("advise", EXAMPLES / "program-review.yaml", "--template-dir", tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith("LETTERHEAD")
    assert "## 1. Summary" in made.stdout
    # A section template of the same name in the folder replaces the shipped one.
    own = tmp_path / "own"
    (own / "sections").mkdir(parents=True)
    (own / "memo.md.j2").write_text(shipped, encoding="utf-8")
    (own / "sections" / "summary.md.j2").write_text("OUR SUMMARY\n", encoding="utf-8")
    made = invoke("advise", EXAMPLES / "program-review.yaml", "--template-dir", own)
    assert "OUR SUMMARY" in made.stdout and "## 1. Summary" not in made.stdout


SOFFICE = shutil.which("soffice")
PDFTOTEXT = shutil.which("pdftotext")


@pytest.mark.slow  # an office suite
@pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None,
    reason="no LibreOffice or pdftotext here (apt-get install libreoffice-writer poppler-utils)",
)
@pytest.mark.parametrize("lang", LANGS)
def test_the_word_summary_is_page_one_alone(tmp_path, lang):
    words = labels(lang)
    memo = tmp_path / "memo.docx"
    made = invoke(
        "advise", EXAMPLES / "old-government-office.yaml", "--format", "docx", "--lang", lang,
        "--edition", "client", "-o", memo,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(memo)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert (tmp_path / "memo.pdf").exists(), done.stderr
    text = subprocess.run(
        [PDFTOTEXT, "-enc", "UTF-8", str(tmp_path / "memo.pdf"), "-"], capture_output=True
    ).stdout.decode("utf-8")
    pages = [" ".join(page.split()) for page in text.split("\f")]
    assert f"1. {words['summary']['heading']}" in pages[0]
    assert words["summary"]["open"] in pages[0]
    # Each page opens with its running header, the organization's name.
    body = pages[1].removeprefix("Dinas Sosial Kabupaten Lembah Hijau").strip()
    assert body.startswith(f"2. {words['headings']['organization']}")


def section_headings(advice, fmt, lang, edition):
    """The numbered section headings of a memo, in order, as ``(number, heading)``."""
    text = visible_text(render(advice, fmt, lang, edition), fmt)
    return [
        (int(number), heading.strip())
        for number, heading in re.findall(r"^[#\s]*(\d+)\.\s+([^\n]+?)\s*$", text, flags=re.M)
    ]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_sections_follow_the_design_in_every_format(advices, fmt, lang, edition):
    words = labels(lang)
    h = words["headings"]
    order = [
        words["summary"]["heading"],
        h["organization"],
        h["causes"],
        h["strategies"],
        words["action_plan"]["heading"],
        words["stakeholder_map"]["heading"],
        h["programs"],
        words["risks"]["heading"],
        *([h["guidance"]] if edition != "client" else []),
        # The client answers the open questions: its heading asks them as such.
        words["editions"]["unknowns_heading_client"] if edition == "client" else h["unknowns"],
        h["sources"],
        *([words["graph"]["heading"]] if edition != "client" and fmt in ("html", "docx") else []),
    ]
    found = dict(
        (heading, number)
        for number, heading in section_headings(advices["program-review"], fmt, lang, edition)
        if heading in order
    )
    assert [found.get(heading) for heading in order] == list(range(1, len(order) + 1))


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", FORMATS)
def test_the_client_plan_map_and_risks_name_the_case_and_never_the_machinery(
    advices, rule_ids, fmt, lang
):
    """The new sections of the client edition (action plan, stakeholder map, risks)
    are there, name the case's own people, and carry no field path, rule id or
    guidance to the planner."""
    from perencana.engine.view.memo import memo_view

    advice = advices["old-government-office"]
    knowledge = load_knowledge()
    view = memo_view(advice, knowledge, lang, "client")
    text = visible_text(render(advice, fmt, lang, "client"), fmt)
    words = labels(lang)
    for heading in (
        words["action_plan"]["heading"],
        words["stakeholder_map"]["heading"],
        words["risks"]["heading"],
    ):
        assert heading in text
    parts = [
        *(s["text"] for g in view["action_plan"]["phases"] for s in g["steps"]),
        *(f"{r['name']} {r['stance']} {r['involve']}" for r in view["stakeholder_map"]["rows"]),
        *(f"{x['risk']} {x['sign']} {x['response']}" for x in view["risks"]),
    ]
    assert view["risks"] and view["stakeholder_map"]["rows"] and len(parts) > 5
    for stakeholder in advice.case["stakeholders"]:
        assert stakeholder["name"] in text
    guidance = [in_text for g in knowledge.guidance.values() for in_text in [g["title"][lang]]]
    for part in parts:
        assert FIELD_PATH.findall(part) == [] and ITEM_PATH.findall(part) == [], part
        assert not [rule for rule in rule_ids if rule in part], part
        assert not [title for title in guidance if title in part], part


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ("md", "text", "docx"))
@pytest.mark.parametrize("edition", EDITIONS)
def test_sentences_are_joined_by_a_space_never_by_a_semicolon(advices, fmt, lang, edition):
    for case in ("old-government-office", "program-review"):
        text = visible_text(render(advices[case], fmt, lang, edition), fmt)
        assert not re.search(r"\)\.;|\.; ", text), case


@pytest.mark.parametrize("lang", LANGS)
def test_the_client_edition_asks_its_open_questions_and_cites_each_passage_once(advices, lang):
    """The client's open questions are headed as questions to settle; in the plan a
    strategy's reason stands once (on page 1 for the first strategies), and a title's
    ¶ is not repeated when its reason sentence cites it."""
    words = labels(lang)
    advice = advices["old-government-office"]
    client = visible_text(render(advice, "md", lang, "client"), "md")
    planner = visible_text(render(advice, "md", lang, "planner"), "md")
    assert words["editions"]["unknowns_heading_client"] in client
    assert words["headings"]["unknowns"] not in client
    assert words["headings"]["unknowns"] in planner
    terms = words["terms"]
    plan = client.split(words["headings"]["strategies"])[-1].split(words["action_plan"]["heading"])[
        0
    ]
    start_with, also = plan.split(terms["plan_also_consider"], 1)
    assert f"{terms['because']}:" not in start_with  # said once, in the summary
    # A strategy to also consider is one compact paragraph, "8. Title: its reason",
    # as in the HTML and Word memos: no label, and no title on a line of its own.
    assert f"{terms['because']}:" not in also
    others = [s for s in advice.strategies if not s.start_with]
    assert others
    for strategy in others:
        title = load_knowledge().strategies[strategy.id]["title"][lang]
        assert re.search(rf"^\**{strategy.rank}\. {re.escape(title)}[^\n]*: \S", also, re.M), title
    # "8. Work as a partner": its reason cites ¶73, so its title does not.
    for line in also.splitlines():
        if "(¶" in line:
            cited = set(re.findall(r"¶\d+", line))
            title = also.split(line)[0].strip().splitlines()[-1]
            assert not cited & set(re.findall(r"¶\d+", title)), title


# Words of the memo's own English wording that an Indonesian reader would stumble on
# (the Indonesian words "program", "memo", "diagnosis" and "staf" are not among them).
ENGLISH_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "with",
        "because",
        "change",
        "changes",
        "strategy",
        "strategies",
        "planner",
        "unknown",
        "stakeholder",
        "stakeholders",
        "step",
        "steps",
        "phase",
        "risk",
        "risks",
        "caveat",
        "caveats",
        "source",
        "sources",
        "default",
        "rank",
        "edition",
        "summary",
        "guidance",
        "evidence",
        "consultant",
        "review",
        "training",
        "workshop",
        "staff",
        "budget",
        "leadership",
        "organization",
        "yes",
        "none",
        "first",
        "start",
        "sustain",
        "prepare",
        "keep",
        "develop",
        "replace",
        "maintain",
        "should",
        "must",
        "would",
        "could",
    ]
)


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("fmt", ("md", "html"))
def test_an_indonesian_memo_has_no_english_word(edition, fmt):
    """Every Indonesian example, in every edition, reads in Indonesian: outside the
    field paths and rule ids of the trainer edition (in code), no English word of the
    memo's own wording."""
    for case in sorted((EXAMPLES / "id").glob("*.yaml")):
        advice = api.advise(api.read_case(str(case)))
        memo = render(advice, fmt, "id", edition)
        if fmt == "html":  # the reasoning picture names its rules on pointing: not prose
            memo = re.sub(r"<svg.*?</svg>", " ", memo, flags=re.S)
            memo = re.sub(r"<code[^>]*>.*?</code>", " ", memo, flags=re.S)
        text = re.sub(r"`[^`]*`", " ", visible_text(memo, fmt))
        found = sorted({w for w in re.findall(r"[A-Za-z]+", text) if w.lower() in ENGLISH_WORDS})
        assert found == [], (case.name, edition, found)


@pytest.mark.parametrize("case", CASES)
def test_the_client_edition_says_you_only_to_the_leadership(advices, case):
    """The client edition is read by the organization's leadership: a step, strategy or
    reason in it never says "you" to the planner ("agree with the leadership how you
    will work together"); only the memo's own words to its reader say "you"."""
    words = labels("en")
    text = " ".join(render(advices[case], "md", "en", "client").split())
    for own in (words["editions"]["disclaimer_client"], words["action_plan"]["success_lead"]):
        text = text.replace(" ".join(own.split()), " ")
    assert re.findall(r"\b(?:you|your|yours)\b", text, flags=re.I) == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_sources_name_each_strategy_and_cause_as_the_memo_does(lang):
    """A passage the Sources list titles "Strategy: ..." or "Resistance: ..." names the
    strategy or cause by the title the memo gives it elsewhere, so that a reader sees
    one name for one strategy ("Change step by step", not "slow, continuous, selective
    change")."""
    knowledge = load_knowledge()
    prefixes = {
        "strategies": {"en": "Strategy: ", "id": "Strategi: "}[lang],
        "causes": {"en": "Resistance: ", "id": "Penolakan: "}[lang],
    }
    for kind, prefix in prefixes.items():
        titles = {item["title"][lang].lower() for item in getattr(knowledge, kind).values()}
        named = [
            topic[lang][len(prefix) :]
            for topic in knowledge.source["topics"].values()
            if topic[lang].startswith(prefix)
        ]
        assert named, kind
        assert [name for name in named if name.lower() not in titles] == [], kind


def test_each_memo_gets_its_own_labels_whatever_was_rendered_before(advices):
    # The labels are worked out once per language and edition and shared by the
    # memos of a batch: a memo in another edition or language, or a view changed
    # by its user (a custom template, the Word writer), must not change the next.
    from perencana.engine.view.memo import memo_view

    knowledge = load_knowledge()
    advice = advices["old-government-office"]
    first = memo_view(advice, knowledge, "en", "client")
    first["labels"]["headings"]["unknowns"] = "changed by a user"
    first["labels"]["title"] = "changed by a user"
    planner = memo_view(advice, knowledge, "en", "planner")
    indonesian = memo_view(advice, knowledge, "id", "client")
    client = memo_view(advice, knowledge, "en", "client")
    words = labels("en")
    assert client["labels"]["headings"]["unknowns"] == words["editions"]["unknowns_heading_client"]
    assert planner["labels"]["headings"]["unknowns"] == words["headings"]["unknowns"]
    assert client["labels"]["title"] == planner["labels"]["title"] == words["title"]
    assert indonesian["labels"]["title"] == labels("id")["title"] != words["title"]
    assert client["labels"] == memo_view(advice, knowledge, "en", "client")["labels"]


def test_the_trainer_sources_list_every_passage_its_trace_cites(advices):
    """The trace's rule statements cite passages (¶53, say, for a cause being present)
    that no finding cites: the trainer's sources list them too."""
    from perencana.engine.reasoning.rule_catalog import rules_by_id
    from perencana.engine.view.memo import memo_view

    catalog = rules_by_id()
    for case in ("old-government-office", "program-review"):
        advice = advices[case]
        view = memo_view(advice, load_knowledge(), "en", "trainer")
        listed = {passage["number"] for passage in view["sources"]["passages"]}
        assert {n for step in advice.trace for n in catalog[step.rule].sources} <= listed


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_trainer_trace_gives_the_case_path_of_each_matched_fact(advices, fmt):
    advice = advices["old-government-office"]
    text = visible_text(render(advice, fmt, "en", "trainer"), fmt)
    trace = text[text.rindex(labels("en")["headings"]["appendix"]) :]
    for step in advice.trace:
        for fact in step.facts:
            if fact.path and fact.kind == "field":
                assert fact.path in trace, (step.rule, fact.path)


@pytest.mark.parametrize("fmt", ("md", "html", "text", "docx"))
def test_causes_and_guidance_are_numbered_alike_in_every_format(advices, fmt):
    """ "See 9.3" must lead to the same place whichever format the client holds."""
    from perencana.engine.view.memo import memo_view

    advice = advices["old-government-office"]
    view = memo_view(advice, load_knowledge(), "en", "planner")
    text = " ".join(visible_text(render(advice, fmt, "en", "planner"), fmt).split())
    for number, cause in enumerate(view["causes"], start=1):
        assert f"{view['numbers']['causes']}.{number} {cause['title']}" in text
    for number, item in enumerate(view["guidance"], start=1):
        assert f"{view['numbers']['guidance']}.{number} {item['title']}" in text
