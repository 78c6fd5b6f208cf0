"""Output that is what it says: ``-o FILE`` takes its format from the extension, a
``--format`` that contradicts it is a usage error, an unknown extension is refused
with the allowed list, and ``--format pdf`` prints through a headless Chromium (or
says what to install). The Chromium here is a small stand-in script, so these run
everywhere; ``test_print_pdf.py`` prints with the real browser."""

import json
import os
import stat
import zipfile

import pytest

from perencana.engine import api
from tests.helpers import EXAMPLES, invoke, picture_without_a_browser

OLD_OFFICE = EXAMPLES / "old-government-office.yaml"


@pytest.mark.parametrize(
    ("name", "looks_like"),
    [
        ("memo.md", lambda data: data.startswith(b"# ")),
        ("memo.markdown", lambda data: data.startswith(b"# ")),
        ("memo.html", lambda data: data.lstrip().lower().startswith(b"<!doctype html>")),
        ("MEMO.HTM", lambda data: data.lstrip().lower().startswith(b"<!doctype html>")),
        ("memo.txt", lambda data: not data.startswith((b"#", b"<", b"{"))),
        ("memo.json", lambda data: json.loads(data)["format"] == "perencana-advice/1"),
        ("memo.docx", lambda data: data.startswith(b"PK")),
    ],
)
def test_advise_writes_the_format_its_file_name_says(tmp_path, name, looks_like):
    target = tmp_path / name
    with picture_without_a_browser():  # the kind of file is checked, not the Word picture
        done = invoke("advise", OLD_OFFICE, "-o", target)
    assert done.returncode == 0, done.stderr
    assert looks_like(target.read_bytes())


def test_a_matching_format_is_accepted_and_a_file_without_extension_takes_the_format(tmp_path):
    assert (
        invoke("advise", OLD_OFFICE, "--format", "html", "-o", tmp_path / "a.html").returncode == 0
    )
    done = invoke("advise", OLD_OFFICE, "--format", "json", "-o", tmp_path / "memo")
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp_path / "memo").read_text())["organization"]
    assert invoke("advise", OLD_OFFICE, "-o", tmp_path / "plain").returncode == 0
    assert (tmp_path / "plain").read_text().startswith("# ")


@pytest.mark.parametrize(
    ("command", "fmt", "name"),
    [
        (["advise", OLD_OFFICE], "md", "memo.html"),
        (["advise", OLD_OFFICE], "docx", "memo.pdf"),
        (["advise", OLD_OFFICE], "html", "memo.docx"),
        (["graph"], "dot", "network.svg"),
        (["graph", OLD_OFFICE], "svg", "network.mmd"),
    ],
)
def test_a_format_that_contradicts_the_extension_is_a_usage_error(tmp_path, command, fmt, name):
    target = tmp_path / name
    done = invoke(*command, "--format", fmt, "-o", target)
    assert done.returncode == 2
    assert f"--format {fmt}" in done.stderr and name in done.stderr
    assert "Usage:" in done.stderr
    assert not target.exists() and list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("command", "name", "allowed", "not_allowed"),
    [
        (["advise", OLD_OFFICE], "memo.rtf", ".md, .markdown, .html", ".svg"),
        (["advise", OLD_OFFICE], "memo.svg", ".docx, .pdf", ".dot"),
        (["graph"], "network.png", ".dot, .gv, .mmd, .svg", ".pdf"),
        (["graph"], "network.html", ".mmd, .svg", ".md"),
    ],
)
def test_an_extension_of_no_format_is_refused_with_the_allowed_list(
    tmp_path, command, name, allowed, not_allowed
):
    done = invoke(*command, "-o", tmp_path / name)
    assert done.returncode == 2
    message = done.stderr.splitlines()[-1]
    assert f"unknown extension {name[name.rindex('.') :]}" in message
    assert allowed in message and not_allowed not in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "start"),
    [("network.dot", "digraph"), ("network.gv", "digraph"), ("network.mmd", "flowchart")],
)
def test_graph_writes_the_format_its_file_name_says(tmp_path, name, start):
    done = invoke("graph", OLD_OFFICE, "-o", tmp_path / name)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / name).read_text().lstrip().startswith(start)


def test_graph_to_an_svg_file_is_a_picture(tmp_path):
    done = invoke("graph", "-o", tmp_path / "network.svg")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "network.svg").read_text().startswith("<svg")


def test_the_one_decision_serves_every_command():
    assert api.output_format("x.PDF", None, api.ADVISE_FORMATS, "md") == "pdf"
    assert api.output_format(None, None, api.ADVISE_FORMATS, "md") == "md"
    assert api.output_format(None, "text", api.ADVISE_FORMATS, "md") == "text"
    assert api.output_format("dir.v2/memo", "html", api.ADVISE_FORMATS, "md") == "html"
    assert api.output_format("g.mmd", "mermaid", api.GRAPH_FORMATS, "dot") == "mermaid"
    with pytest.raises(api.FormatConflict):
        api.output_format("g.mmd", "svg", api.GRAPH_FORMATS, "dot")


# ------------------------------------------------------------------ PDF, stand-in


def fake_chromium(folder, body):
    """An executable that takes Chromium's command line; ``body`` is its shell."""
    script = folder / "fake-chromium"
    script.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{folder}/arguments"\n'
        'for arg in "$@"; do case "$arg" in --print-to-pdf=*) out="${arg#--print-to-pdf=}";; '
        "esac; done\n" + body
    )
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return script


def test_pdf_is_printed_by_chromium_without_its_header_and_footer(tmp_path):
    browser = fake_chromium(tmp_path, 'printf "%%PDF-1.7 stand-in" > "$out"\n')
    target = tmp_path / "out" / "memo.pdf"
    target.parent.mkdir()
    done = invoke("advise", OLD_OFFICE, "-o", target, env={"PERENCANA_CHROMIUM": str(browser)})
    assert done.returncode == 0, done.stderr
    assert target.read_bytes() == b"%PDF-1.7 stand-in"
    assert os.listdir(target.parent) == ["memo.pdf"]  # written atomically, nothing beside
    arguments = (tmp_path / "arguments").read_text().splitlines()
    assert "--headless" in arguments
    assert "--no-pdf-header-footer" in arguments  # no date and file:// path on the pages
    assert "--disable-background-networking" in arguments
    page = arguments[-1]
    assert page.startswith("file://") and page.endswith(".html")


def test_pdf_needs_o_file():
    done = invoke("advise", OLD_OFFICE, "--format", "pdf")
    assert done.returncode == 2
    assert "-o FILE" in done.stderr


def test_without_chromium_pdf_says_what_to_install_and_writes_nothing(tmp_path):
    target = tmp_path / "memo.pdf"
    done = invoke(
        "advise",
        OLD_OFFICE,
        "-o",
        target,
        env={"PERENCANA_CHROMIUM": str(tmp_path / "no-such-browser")},
    )
    assert done.returncode == 1
    assert done.stderr.startswith("Error: the PDF format needs a headless Chromium")
    assert "apt-get install chromium" in done.stderr
    assert "PERENCANA_CHROMIUM" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_browser_that_prints_nothing_is_an_error_and_nothing_is_written(tmp_path):
    browser = fake_chromium(tmp_path, 'echo "no display" >&2\nexit 3\n')
    target = tmp_path / "out" / "memo.pdf"
    target.parent.mkdir()
    done = invoke("advise", OLD_OFFICE, "-o", target, env={"PERENCANA_CHROMIUM": str(browser)})
    assert done.returncode == 1
    assert "printed no PDF (exit code 3): no display" in done.stderr
    assert list(target.parent.iterdir()) == []


def test_a_docx_file_is_a_word_document(tmp_path):
    target = tmp_path / "memo.docx"
    with picture_without_a_browser():  # tests/test_docx.py checks the drawn picture
        assert invoke("advise", OLD_OFFICE, "--lang", "id", "-o", target).returncode == 0
    with zipfile.ZipFile(target) as document:
        assert "word/document.xml" in document.namelist()


def test_pdf_prints_the_html_memo_of_a_custom_template_folder(tmp_path):
    # The stand-in "prints" the page it is given: the PDF holds the HTML it printed.
    browser = fake_chromium(
        tmp_path,
        'for arg in "$@"; do last="$arg"; done\n'
        '{ printf "%%PDF-1.7\\n"; cat "${last#file://}"; } > "$out"\n',
    )
    folder = tmp_path / "letterhead"
    folder.mkdir()
    (folder / "memo.html.j2").write_text("<p>Kop surat: {{ header.organization }}</p>\n")
    target = tmp_path / "memo.pdf"
    done = invoke(
        "advise",
        OLD_OFFICE,
        "--template-dir",
        folder,
        "-o",
        target,
        env={"PERENCANA_CHROMIUM": str(browser)},
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text() == "%PDF-1.7\n<p>Kop surat: Dinas Sosial Kabupaten Lembah Hijau</p>\n"
