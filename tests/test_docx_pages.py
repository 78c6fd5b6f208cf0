"""The Word memo keeps the design's page budget (memo-design.md): for the rich
example (old-government-office) the client edition fits 5 A4 pages and the planner
edition 10, in English and Indonesian. Measured as LibreOffice lays the document
out (``libreoffice --headless --convert-to pdf``, then ``pdfinfo``); skipped where
LibreOffice or poppler is not installed. Word itself may break pages a little
differently, so this is the nearest check a machine without Word can make."""

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
# Not yet within the budget (measured 2026-11-30: client 7 en / 8 id, planner 13 / 15):
# the Word strategies are a table whose narrow "because" column runs long. Strict, so
# the mark must go when the layout is fixed.
OVER_BUDGET = pytest.mark.xfail(
    strict=True, reason="Word memo not yet within the page budget (issue 13)"
)


def word_pages(docx, tmp_path):
    profile = tmp_path / "profile"
    done = subprocess.run(
        [
            LIBREOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(docx),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    pdf = tmp_path / f"{docx.stem}.pdf"
    assert pdf.exists(), done.stderr[-2000:]
    info = subprocess.run([PDFINFO, str(pdf)], capture_output=True, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


@pytest.mark.parametrize(
    "edition,lang",
    [
        pytest.param(edition, lang, marks=OVER_BUDGET)
        for edition in ("client", "planner")
        for lang in ("en", "id")
    ],
)
def test_the_word_memo_of_the_rich_example_keeps_the_page_budget(tmp_path, edition, lang):
    case = (EXAMPLES_ID if lang == "id" else EXAMPLES) / "old-government-office.yaml"
    docx = tmp_path / "memo.docx"
    made = invoke("advise", case, "--lang", lang, "--edition", edition, "-o", docx)
    assert made.returncode == 0, made.stderr
    assert word_pages(docx, tmp_path) <= BUDGET[edition]
