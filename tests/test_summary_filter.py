"""The batch summary's filter box works in a real browser, offline: headless Chromium
loads summary.html with a query typed in (set before the page's script runs) and the
table shows only the matching rows, with the count of rows shown. Skipped where
Chromium is missing (``apt-get install chromium``; ``.ci/run`` installs it)."""

import re
import subprocess

import pytest

from perencana.engine.memo.pdf import find_chromium
from tests.helpers import EXAMPLE_CASES, EXAMPLES, invoke

CHROMIUM = find_chromium()

pytestmark = [
    pytest.mark.slow,  # a browser
    pytest.mark.skipif(
        CHROMIUM is None, reason="no headless Chromium here (apt-get install chromium)"
    ),
]


def dom_after_typing(page, query, tmp_path):
    typed = page.replace(
        'var box = document.getElementById("filter");',
        f'var box = document.getElementById("filter"); box.value = "{query}";',
    )
    assert typed != page
    path = tmp_path / "typed.html"
    path.write_text(typed)
    done = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            path.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.parametrize(
    ("lang", "query", "shown"),
    [("en", "lembah hijau", "1 of {total} shown"), ("id", "Lembah   HIJAU", "1 dari {total}")],
)
def test_the_filter_box_hides_the_rows_that_do_not_match(tmp_path, lang, query, shown):
    out = tmp_path / "out"
    assert invoke("batch", EXAMPLES, "-o", out, "--lang", lang).returncode == 0
    dom = dom_after_typing((out / "summary.html").read_text(), query, tmp_path)
    table = dom[dom.index('<table id="portfolio">') :]
    rows = re.findall(r"<tr( hidden=\"\")?>\s*<td class=\"num\"", table)
    assert len(rows) == len(EXAMPLE_CASES)
    assert sum(1 for hidden in rows if not hidden) == 1
    assert shown.format(total=len(EXAMPLE_CASES)) in dom
