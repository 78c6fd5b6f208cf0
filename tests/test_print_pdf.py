"""The HTML memo prints: ``perencana advise -o memo.pdf`` prints it in headless
Chromium, with the organization's name and page numbers ("1 / 9") at each page's foot
from the memo's print CSS, and none of the browser's header or footer (a date, the
page's file:// path). The client edition of every example, in English and Indonesian,
has its summary alone on page 1 and no heading at a page's foot, and that of the
richest case keeps to five pages and its planner edition to ten; the planner edition
keeps each strategy row whole.
Skipped, with the reason, when Chromium is not on the machine (it is not a dependency
of perencana: ``apt-get install chromium poppler-utils``; ``.ci/run`` installs both)."""

import json
import re
import shutil
import subprocess
from html import unescape

import pytest
import yaml

from perencana.engine.memo.pdf import find_chromium
from perencana.knowledge import load_knowledge
from tests.helpers import EXAMPLES, EXAMPLES_ID, invoke

CHROMIUM = find_chromium()
PDFTOTEXT = shutil.which("pdftotext")
PUNCTUATION = ".,;:()“”\"'"

pytestmark = [
    pytest.mark.slow,  # a browser
    pytest.mark.skipif(
        CHROMIUM is None, reason="no headless Chromium here (apt-get install chromium)"
    ),
]


def page_texts(pdf):
    done = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(pdf), "-"], capture_output=True)
    assert done.returncode == 0, done.stderr
    pages = done.stdout.decode("utf-8").split("\f")
    return [" ".join(page.split()) for page in pages if page.strip()]


@pytest.mark.parametrize("case", ["old-government-office", "program-review"])
def test_the_html_memo_prints_to_a_pdf_with_whole_strategy_rows(tmp_path, case):
    source = EXAMPLES / f"{case}.yaml"
    pdf = tmp_path / "memo.pdf"
    made = invoke("advise", source, "-o", pdf)
    assert made.returncode == 0, made.stderr
    raw = pdf.read_bytes()
    assert raw.startswith(b"%PDF-")
    if PDFTOTEXT is None:
        assert len(re.findall(rb"/Type\s*/Page[^s]", raw)) >= 2
        pytest.skip("pdftotext not installed (apt-get install poppler-utils): text not checked")

    pages = page_texts(pdf)
    assert len(pages) >= 2
    text = " ".join(pages)
    advice = json.loads(invoke("advise", source, "--format", "json").stdout)
    assert advice["organization"] in pages[0]
    # The planner's edition: the sources are section 11, after the risks and guidance.
    for heading in ("1. Summary", "4. Recommended strategies, by phase and rank", "11. Sources"):
        assert heading in text
    # Each strategy's summary sits in its table row. pdftotext reads a table's cells
    # interleaved, so the check is by words: every longer word of the summary must be
    # on the page where the row starts, or the row was cut by a page break.
    strategies = load_knowledge().strategies
    page_words = [{word.strip(PUNCTUATION) for word in page.split()} for page in pages]
    for strategy in advice["strategies"]:
        summary = strategies[strategy["id"]]["summary"]["en"]
        wanted = {word.strip(PUNCTUATION) for word in summary.split() if len(word) >= 6}
        assert any(wanted <= found for found in page_words), strategy["id"]


PDFINFO = shutil.which("pdfinfo")


def page_count(pdf):
    done = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return int(re.search(r"^Pages:\s+(\d+)", done.stdout, re.M).group(1))


@pytest.fixture(scope="session")
def client_pdfs(tmp_path_factory):
    """The client edition of an example, printed once per test session by perencana
    itself (``advise --edition client -o memo.pdf``) and shared by the tests that read
    it: ``client_pdfs(case, lang)`` is ``(html, pdf, organization)``, from the
    example's Indonesian twin for ``id``. The PDF is printed alone in a folder of its
    own, which must hold nothing else afterwards (no page or browser profile left)."""
    folder = tmp_path_factory.mktemp("client-pdfs")
    printed = {}

    def get(case, lang):
        if (case, lang) not in printed:
            source = (EXAMPLES_ID if lang == "id" else EXAMPLES) / f"{case}.yaml"
            common = ("advise", source, "--lang", lang, "--edition", "client")
            html = folder / f"{case}.{lang}.html"
            made = invoke(*common, "--format", "html", "-o", html)
            assert made.returncode == 0, made.stderr
            alone = folder / f"{case}.{lang}"
            alone.mkdir()
            pdf = alone / "memo.pdf"
            made = invoke(*common, "-o", pdf)
            assert made.returncode == 0, made.stderr
            assert list(alone.iterdir()) == [pdf]
            organization = yaml.safe_load(source.read_text(encoding="utf-8"))["organization"]
            printed[case, lang] = html, pdf, organization["name"]
        return printed[case, lang]

    return get


@pytest.mark.skipif(
    PDFTOTEXT is None or PDFINFO is None,
    reason="pdftotext or pdfinfo missing (apt-get install poppler-utils)",
)
@pytest.mark.parametrize("lang", ["en", "id"])
@pytest.mark.parametrize("case", sorted(path.stem for path in EXAMPLES.glob("*.yaml")))
def test_the_client_edition_of_every_example_prints_its_summary_alone_on_page_one(
    client_pdfs, case, lang
):
    from perencana.engine.view.words import translate

    words = translate(load_knowledge().memo, lang)
    html, pdf, organization = client_pdfs(case, lang)
    pages = page_texts(pdf)
    summary = words["summary"]
    # Page 1: the title block and the whole summary, to its last part; nothing after.
    assert f"1. {summary['heading']}" in pages[0]
    assert summary["open"] in pages[0]
    assert words["headings"]["causes"] not in pages[0]
    assert f"2. {words['headings']['organization']}" in pages[1]
    assert summary["open"] not in " ".join(pages[1:])
    # Each page carries its foot: the organization's name and "2 / 5" (pdftotext may
    # read it "2/5", and reads the name where it meets it among a table's cells); no
    # browser header or footer (a date, a file:// address).
    number_at_foot = re.compile(r"\s*(\d+) ?/ ?(\d+)$")
    for number, page in enumerate(pages, start=1):
        found = number_at_foot.search(page)
        assert found and found.groups() == (str(number), str(len(pages))), page[-120:]
        assert organization in page, number
        assert "file://" not in page and "memo.html" not in page
    # Chromium's own header would print the time of printing ("11/29/26, 11:55 PM")
    assert re.search(r"\d{1,2}:\d{2}\s?[AP]M", " ".join(pages)) is None
    # No page ends with a heading: each heading stays with what it heads.
    source = html.read_text(encoding="utf-8")
    headings = re.findall(r"<h[234][^>]*>(.*?)</h[234]>", source, re.S)
    headings = {" ".join(unescape(re.sub(r"<[^>]+>", " ", h)).split()) for h in headings}
    # Nor with the sentence that leads into the risks table.
    headings.add(" ".join(words["risks"]["intro"].split()))
    for number, page in enumerate(pages[:-1], start=1):
        body = " ".join(number_at_foot.sub("", page).removesuffix(organization).split())
        ended = [h for h in headings if len(h) > 3 and body.endswith(h)]
        assert ended == [], f"page {number} ends with a heading"


@pytest.mark.skipif(PDFINFO is None, reason="pdfinfo missing (apt-get install poppler-utils)")
@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_client_edition_of_the_richest_case_prints_on_five_pages(client_pdfs, lang):
    _, pdf, _ = client_pdfs("old-government-office", lang)
    assert page_count(pdf) <= 5


@pytest.mark.skipif(PDFINFO is None, reason="pdfinfo missing (apt-get install poppler-utils)")
@pytest.mark.parametrize("lang", ["en", "id"])
def test_the_planner_edition_of_the_richest_case_prints_on_ten_pages(tmp_path, lang):
    source = (EXAMPLES_ID if lang == "id" else EXAMPLES) / "old-government-office.yaml"
    pdf = tmp_path / "memo.pdf"
    made = invoke("advise", source, "--lang", lang, "--edition", "planner", "-o", pdf)
    assert made.returncode == 0, made.stderr
    assert page_count(pdf) <= 10
