"""``perencana batch`` as a user runs it: exit codes, messages on standard error (in
this process), and in real processes Ctrl-C in the middle, ``--resume``, a terminal."""

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pexpect
import pytest

from tests.helpers import EXAMPLE_CASES, EXAMPLES, EXAMPLES_ID, PERENCANA, ROOT, invoke
from tests.test_batch import generated_case, memo_files, write_mixed_inputs


def test_a_mixed_batch_reports_each_bad_case_and_exits_1(tmp_path):
    inputs, good, broken = write_mixed_inputs(tmp_path / "in", valid=20)
    result = invoke("batch", *inputs, "-o", tmp_path / "out", "--format", "json")
    assert result.returncode == 1, result.stderr
    lines = result.stderr.splitlines()
    assert all(line.startswith("Error: ") for line in lines), lines  # and no progress bar
    for label, message in broken.items():
        assert any(line.startswith(f"Error: {label}: ") and message in line for line in lines)
    assert result.stdout == (
        f"20 memos written, 0 up to date (skipped), 5 failed; "
        f"summary: {tmp_path / 'out' / 'summary.html'}\n"
    )
    assert len(memo_files(tmp_path / "out")) == 20
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert len(summary["cases"]) == 20 and len(summary["failures"]) == 5
    assert "Traceback" not in result.stderr


def test_a_clean_batch_exits_0_with_html_memos_and_the_summary_page(tmp_path):
    result = invoke("batch", EXAMPLES, "-o", tmp_path, "--format", "html", "--lang", "id")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert len(list(tmp_path.glob("*.html"))) == len(list(EXAMPLES.glob("*.yaml"))) + 1
    page = (tmp_path / "summary.html").read_text()
    assert 'lang="id"' in page and "<svg" in page


def test_usage_errors_exit_2(tmp_path):
    a_file = tmp_path / "file"
    a_file.write_text("x")
    for args in (
        ["batch", EXAMPLES],  # no -o
        ["batch", "-o", tmp_path / "out"],  # no INPUT
        ["batch", tmp_path / "missing.yaml", "-o", tmp_path / "out"],
        ["batch", EXAMPLES, "-o", a_file],  # OUTDIR is a file
        ["batch", EXAMPLES, "-o", tmp_path / "out", "--jobs", "0"],
        ["batch", EXAMPLES, "-o", tmp_path / "out", "--format", "pdf"],
    ):
        result = invoke(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
    assert a_file.read_text() == "x"


def test_ctrl_c_keeps_finished_memos_whole_and_resume_finishes_the_rest(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    total = 60
    for number in range(total):
        case = generated_case(number, stakeholders=3, programs=3)
        (inputs / f"{number:03d}.json").write_text(json.dumps(case))
    outdir = tmp_path / "out"
    command = [PERENCANA, "batch", inputs, "-o", outdir, "--format", "json", "--jobs", "2"]
    # Its own process group, like a terminal's foreground job: Ctrl-C reaches every
    # process of the batch, the pool's workers too.
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        if outdir.is_dir() and len(memo_files(outdir)) >= 3:
            break
        time.sleep(0.005)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (stdout, stderr)
    assert "Traceback" not in stderr
    assert "Error: interrupted: " in stderr and "--resume" in stderr

    finished = memo_files(outdir)
    assert 3 <= len(finished) < total
    assert not [p.name for p in outdir.iterdir() if p.name.startswith(".")]  # no temp file
    for name in finished:
        assert json.loads((outdir / name).read_text())["format"] == "perencana-advice/1"
    summary = json.loads((outdir / "summary.json").read_text())
    assert summary["complete"] is False
    assert sorted(entry["memo"] for entry in summary["cases"]) == finished
    times = {name: (outdir / name).stat().st_mtime_ns for name in finished}

    resumed = subprocess.run(
        [*command, "--resume"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert resumed.returncode == 0, resumed.stderr
    assert resumed.stdout.startswith(
        f"{total - len(finished)} memos written, {len(finished)} up to date (skipped), 0 failed"
    )
    assert {name: (outdir / name).stat().st_mtime_ns for name in finished} == times
    assert len(memo_files(outdir)) == total
    assert json.loads((outdir / "summary.json").read_text())["complete"] is True


@pytest.mark.slow  # a pseudo-terminal
def test_on_a_terminal_a_progress_bar_is_drawn_on_standard_error(tmp_path):
    child = pexpect.spawn(
        PERENCANA,
        ["batch", str(EXAMPLES), "-o", str(tmp_path / "out"), "--format", "json"],
        cwd=str(ROOT),
        encoding="utf-8",
        timeout=60,
        env={"TERM": "dumb", "PATH": str(Path(sys.executable).parent), "LANG": "C.UTF-8"},
    )
    output = child.read()
    child.close()
    assert child.exitstatus == 0, output
    assert "Advising" in output and "100%" in output
    assert f"{len(EXAMPLE_CASES)} memos written" in output


# ------------------------------------------------------- the summary page's links


def summary_links(page):
    """The memo links of the portfolio table: (organization link, file link or None)."""
    table = page[page.index('<table id="portfolio">') :]
    rows = re.findall(r"<tr>\s*<td class=\"num\".*?</tr>", table, re.S)
    links = []
    for row in rows:
        found = re.findall(r'<a (?:class="file" )?href="([^"]+)"', row)
        links.append((found[0], found[1] if len(found) > 1 else None))
    return links


def test_markdown_memos_get_an_html_memo_beside_them_that_the_summary_links(tmp_path):
    result = invoke("batch", EXAMPLES, "-o", tmp_path)  # Markdown, the default
    assert result.returncode == 0, result.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    page = (tmp_path / "summary.html").read_text()
    links = summary_links(page)
    assert len(links) == len(summary["cases"]) == len(EXAMPLE_CASES)
    for entry, (shown, file_link) in zip(summary["cases"], links, strict=True):
        memo = entry["memo"]
        assert memo.endswith(".md")
        assert shown == memo[: -len(".md")] + ".html"  # a browser shows it
        assert file_link == memo  # the Markdown file is linked too
        html = (tmp_path / shown).read_text()
        assert html.lstrip().lower().startswith("<!doctype html>")
        assert entry["organization"] in html
    # A second run with --resume keeps both files of each memo.
    again = invoke("batch", EXAMPLES, "-o", tmp_path, "--resume")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("0 memos written")


@pytest.mark.parametrize(("fmt", "extension"), [("html", ".html"), ("text", ".txt")])
def test_formats_a_browser_shows_are_linked_as_they_are(tmp_path, fmt, extension):
    result = invoke("batch", EXAMPLES, "-o", tmp_path, "--format", fmt)
    assert result.returncode == 0, result.stderr
    links = summary_links((tmp_path / "summary.html").read_text())
    assert links and all(shown.endswith(extension) and file is None for shown, file in links)
    memos = sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("summary."))
    assert memos == sorted(shown for shown, _ in links)  # no companion files


@pytest.mark.parametrize(
    ("lang", "one", "many"),
    [
        ("en", "1 organization advised.", "organizations advised"),
        ("id", "1 lembaga diberi saran.", "lembaga diberi"),
    ],
)
def test_the_summary_counts_one_case_in_the_singular(tmp_path, lang, one, many):
    single = invoke(
        "batch", EXAMPLES / "program-review.yaml", "-o", tmp_path / "one", "--lang", lang
    )
    assert single.returncode == 0, single.stderr
    assert f"<p>{one}</p>" in (tmp_path / "one" / "summary.html").read_text()
    several = invoke("batch", EXAMPLES, "-o", tmp_path / "all", "--lang", lang)
    assert several.returncode == 0, several.stderr
    assert f"<p>{len(EXAMPLE_CASES)} {many}" in (tmp_path / "all" / "summary.html").read_text()


def test_the_summary_has_a_filter_box_that_works_offline(tmp_path):
    assert invoke("batch", EXAMPLES, "-o", tmp_path, "--lang", "id").returncode == 0
    page = (tmp_path / "summary.html").read_text()
    assert '<input id="filter" type="search"' in page
    assert 'placeholder="lembaga, penyebab, strategi, atau program"' in page
    assert 'data-shown="{shown} dari {total} ditampilkan"' in page
    fetched = page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "http://" not in fetched and "https://" not in fetched  # works offline
    assert "<script src" not in page


def test_an_input_that_does_not_exist_stops_the_batch_before_it_writes(tmp_path):
    """A misspelt INPUT is a usage error in perencana's own words, and no folder is
    made or touched."""
    outdir = tmp_path / "memos"
    result = invoke(
        "batch", EXAMPLES / "program-review.yaml", tmp_path / "nothere.yaml", "-o", outdir
    )
    assert result.returncode == 2
    assert result.stderr == f"Error: {tmp_path / 'nothere.yaml'}: no such file or folder\n"
    assert not outdir.exists()


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("en", "1 memo written, 0 up to date (skipped), 0 failed; summary: "),
        ("id", "1 memo ditulis, 0 sudah mutakhir (dilewati), 0 gagal; ringkasan: "),
    ],
)
def test_the_closing_line_is_in_the_batch_s_language_and_counts_one_memo_as_one(
    tmp_path, lang, line
):
    source = EXAMPLES_ID if lang == "id" else EXAMPLES
    result = invoke("batch", source / "program-review.yaml", "-o", tmp_path / "out", "--lang", lang)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(line)
