"""The HTML memo, with its reasoning picture, as a browser draws it: a headless
Chromium screenshot. Chromium is not a project dependency; without it the test is
skipped."""

import shutil
import subprocess

import pytest

from perencana.engine import api
from tests.helpers import EXAMPLES

CHROMIUM = shutil.which("chromium")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow  # a browser
@pytest.mark.skipif(
    CHROMIUM is None,
    reason="chromium is not installed (apt-get install chromium) to screenshot the memo",
)
def test_html_memo_screenshot(tmp_path):
    advice = api.advise(api.read_case(str(EXAMPLES / "old-government-office.yaml")))
    memo = tmp_path / "memo.html"
    memo.write_text(api.render_advice(advice, "html", "en"), encoding="utf-8")
    picture = tmp_path / "memo.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    result = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--screenshot={picture}",
            "--window-size=1200,3000",
            memo.as_uri(),
        ],
        capture_output=True,
        timeout=180,
    )
    assert picture.exists(), result.stderr.decode(errors="replace")[-2000:]
    data = picture.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 50_000, "the screenshot looks empty"
