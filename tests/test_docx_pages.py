"""The Word memo keeps the design's page budget (memo-design.md): for the rich
example (old-government-office) the client edition fits 5 A4 pages and the planner
edition 10, in English and Indonesian. Measured as LibreOffice lays the document
out (``libreoffice --headless --convert-to pdf``, then ``pdfinfo``); skipped where
LibreOffice or poppler is not installed. The memo is set in Times New Roman and
Arial, whose metric-compatible Liberation fonts LibreOffice uses, so the pages
break where Word breaks them (give or take Word's own line breaking).

The four memos are converted in one LibreOffice run per test session (starting the
office suite takes longer than laying out a memo)."""

import re
import shutil
import subprocess

import pytest

from tests.helpers import EXAMPLES, EXAMPLES_ID, invoke

LIBREOFFICE = shutil.which("libreoffice") or shutil.which("soffice")
PDFINFO = shutil.which("pdfinfo")

pytestmark = [
    pytest.mark.slow,  # an office suite
    pytest.mark.skipif(
        LIBREOFFICE is None or PDFINFO is None,
        reason="LibreOffice or pdfinfo missing (apt-get install libreoffice-writer poppler-utils)",
    ),
]

BUDGET = {"client": 5, "planner": 10}
MEMOS = [(edition, lang) for edition in BUDGET for lang in ("en", "id")]


@pytest.fixture(scope="session")
def word_pages(tmp_path_factory):
    """The page count of each memo in ``MEMOS``, as LibreOffice lays it out."""
    folder = tmp_path_factory.mktemp("word-pages")
    documents = []
    for edition, lang in MEMOS:
        case = (EXAMPLES_ID if lang == "id" else EXAMPLES) / "old-government-office.yaml"
        docx = folder / f"{edition}-{lang}.docx"
        made = invoke("advise", case, "--lang", lang, "--edition", edition, "-o", docx)
        assert made.returncode == 0, made.stderr
        documents.append(docx)
    profile = folder / "profile"
    done = subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, documents),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    pages = {}
    for (edition, lang), docx in zip(MEMOS, documents, strict=True):
        pdf = docx.with_suffix(".pdf")
        assert pdf.exists(), done.stderr[-2000:]
        info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True)
        pages[edition, lang] = int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))
    return pages


@pytest.mark.parametrize("edition,lang", MEMOS)
def test_the_word_memo_of_the_rich_example_keeps_the_page_budget(word_pages, edition, lang):
    assert word_pages[edition, lang] <= BUDGET[edition]
