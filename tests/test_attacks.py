"""Issue 15: the attacks that once got through, each reproduced here.

Each test is named after what a user (or an attacker) did and checks what the user
sees now: one ``Error:`` line, no traceback, nothing half-written, nothing lost.
"""

import contextlib
import os
import re
import stat
import subprocess

import pytest

from tests.helpers import EXAMPLES, PERENCANA, invoke

GOOD = EXAMPLES / "young-community-group.yaml"


def _with_age(age):
    return re.sub(r"age_years: \d+", f"age_years: {age}", GOOD.read_text(encoding="utf-8"))


def _no_traceback(result):
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ") or result.stderr == ""


# ------------------------------------------------- 1: numbers of thousands of digits

HUGE_AGES = {
    "hexadecimal": "0x" + "f" * 3580,
    "binary": "0b" + "1" * 12000,
    "sexagesimal": "1" + ":59" * 2500,
    "decimal": "9" * 5000,
    "just too old": "1001",
}


@pytest.mark.parametrize("age", HUGE_AGES.values(), ids=HUGE_AGES.keys())
@pytest.mark.parametrize("command", ["validate", "advise"])
def test_a_huge_age_in_any_yaml_form_is_one_clear_error(tmp_path, command, age):
    case = tmp_path / "case.yaml"
    case.write_text(_with_age(age), encoding="utf-8")
    result = invoke(command, case)
    assert result.returncode == 1
    _no_traceback(result)
    assert "organization.age_years" in result.stderr or "too many digits" in result.stderr
    assert len(result.stderr) < 400  # the number is not echoed back in full


def test_a_batch_holding_a_huge_age_still_advises_the_good_case(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    (cases / "good.yaml").write_text(GOOD.read_text(encoding="utf-8"), encoding="utf-8")
    (cases / "huge.yaml").write_text(_with_age(HUGE_AGES["hexadecimal"]), encoding="utf-8")
    result = invoke("batch", cases, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "huge.yaml" in result.stderr
    memos = sorted(p.name for p in (tmp_path / "out").glob("*.md"))
    assert len(memos) == 1


@pytest.mark.parametrize(
    "assignment",
    [
        "organization.age_years=0x" + "f" * 3580,
        "organization.age_years=" + "9" * 5000,
        "organization.years_to_current_state=0b" + "1" * 5000,
        "stakeholders[" + "9" * 5000 + "].impact=positive",
    ],
    ids=["hex", "decimal", "binary", "list index"],
)
def test_a_huge_number_in_set_is_one_clear_error(assignment):
    result = invoke("whatif", GOOD, "--set", assignment)
    assert result.returncode == 1
    _no_traceback(result)
    assert len(result.stderr) < 400


# ------------------------------------- 2: -o onto a device, a FIFO, a socket, a folder


def _special_files(tmp_path):
    import socket

    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    sock = tmp_path / "socket"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock))
    # A private device node like /dev/null, never the system's own: on a build of
    # perencana that has the bug, the test would replace it.
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except PermissionError:
        pytest.skip("creating a device node needs root; the FIFO and socket cases still run")
    link = tmp_path / "link-to-null"
    link.symlink_to(device)
    folder = tmp_path / "folder"
    folder.mkdir()
    return {"device": device, "fifo": fifo, "socket": sock, "link": link, "folder": folder}


@pytest.mark.parametrize("kind", ["device", "fifo", "socket", "link", "folder"])
@pytest.mark.parametrize("force", [False, True])
def test_output_onto_what_is_no_regular_file_is_refused(tmp_path, kind, force):
    target = _special_files(tmp_path)[kind]
    before = os.stat(target).st_mode
    result = invoke("advise", GOOD, "-o", target, *(["--force"] if force else []))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert os.stat(target).st_mode == before  # still the device, FIFO, socket, folder
    assert not stat.S_ISREG(os.stat(target).st_mode)


def test_the_interview_does_not_replace_a_device_either(tmp_path):
    target = _special_files(tmp_path)["fifo"]
    result = invoke("interview", "-o", target, "--force", stdin="Yayasan X\n")
    assert result.returncode == 1
    assert "not a regular file" in result.stderr
    assert target.is_fifo()


# ------------------------------------------------- 6: a full disk, or a failing one


@pytest.mark.parametrize("failing", ["write", "fsync"])
@pytest.mark.parametrize("fmt", ["md", "docx"])
def test_a_full_disk_is_one_error_line_and_the_earlier_file_stays(
    tmp_path, monkeypatch, failing, fmt
):
    import errno
    import os

    from perencana.engine.memo import output

    target = tmp_path / f"memo.{fmt}"
    target.write_bytes(b"the earlier memo")

    def full(*args):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if failing == "fsync":
        monkeypatch.setattr(output.os, "fsync", full)
    else:
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, stream):
                self.stream = stream

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.stream.close()

            def write(self, data):
                full()

            def __getattr__(self, name):
                return getattr(self.stream, name)

        monkeypatch.setattr(output.os, "fdopen", lambda *a, **k: Full(real_fdopen(*a, **k)))
    result = invoke("advise", GOOD, "--format", fmt, "-o", target, "--force")
    assert result.returncode == 1
    assert result.stderr == f"Error: {target}: cannot be written (No space left on device)\n"
    assert target.read_bytes() == b"the earlier memo"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


TMPFS_NOTE = (
    "mounting a tmpfs needs root (or a user namespace) here; the full disk is simulated above"
)


@pytest.fixture
def full_disk(tmp_path):
    """A folder on a 64 KiB tmpfs, nearly full; skipped where mounting is not allowed."""
    import subprocess

    folder = tmp_path / "small"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(TMPFS_NOTE)
    try:
        # fill it to the last byte
        with open(folder / "filler", "wb") as filler, contextlib.suppress(OSError):
            for _ in range(64):
                filler.write(b"\0" * 1024)
                filler.flush()
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=False)


def test_a_full_tmpfs_gives_clean_errors_in_every_command(full_disk):
    from tests.helpers import run_perencana

    memo = full_disk / "memo.html"
    for args in (
        ("advise", GOOD, "--format", "html", "-o", memo),
        ("advise", GOOD, "--format", "docx", "-o", full_disk / "memo.docx"),
        ("interview", "-o", full_disk / "case.yaml"),
        ("batch", EXAMPLES, "-o", full_disk / "out"),
    ):
        stdin = "Yayasan X\n" * 3 if args[0] == "interview" else None
        result = run_perencana(*args, stdin=stdin)
        assert result.returncode != 0, args
        assert "Traceback" not in result.stderr, args
        assert "No space left on device" in result.stderr, args
    leftovers = [p.name for p in full_disk.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []
    assert not memo.exists()


# ------------------------------------------- 8: the partial file of interview --resume

HOSTILE_PARTIALS = {
    "bool tag": "organization: {name: !!bool maybe}\n",
    "timestamp tag": "organization: {name: !!timestamp x}\n",
    "escape past Unicode": 'organization: {name: "\\U00110000"}\n',
    "deep nesting": "organization: " + "[" * 10000 + "\n",
    "huge integer": "organization: {name: x, age_years: " + "9" * 5000 + "}\n",
    "alias": "organization: &o {name: x}\nchange: *o\n",
    "merge": "organization: {<<: {name: x}}\n",
    "duplicate key": "organization: {name: x}\norganization: {name: y}\n",
    "lone surrogate": 'organization: {name: "Yayasan \\ud800"}\n',
    "device": None,
}


@pytest.mark.parametrize("text", HOSTILE_PARTIALS.values(), ids=HOSTILE_PARTIALS.keys())
def test_a_hostile_resume_file_is_one_clear_error(tmp_path, text):
    partial = tmp_path / "partial.yaml"
    if text is None:
        partial.symlink_to("/dev/zero")
    else:
        partial.write_text(text, encoding="utf-8")
    result = invoke("interview", "--resume", partial, stdin="")
    assert result.returncode == 1
    _no_traceback(result)
    assert result.stderr.count("\n") >= 1 and str(partial) in result.stderr


# ------------------------------------------------ 9: unbounded reads of devices


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_a_table_that_is_dev_zero_is_refused_unread(tmp_path, suffix):
    table = tmp_path / f"cases{suffix}"
    table.symlink_to("/dev/zero")
    result = invoke("batch", table, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert "not a regular file" in result.stderr


def test_a_summary_that_links_to_dev_zero_is_not_read(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "summary.json").symlink_to("/dev/zero")
    result = invoke("batch", GOOD, "-o", out)
    assert result.returncode == 1
    assert "not a perencana batch summary" in result.stderr


def test_a_table_of_more_rows_than_the_limit_stops_at_the_limit(tmp_path, monkeypatch):
    from perencana.engine.case import limits

    monkeypatch.setitem(limits.limits(), "table_rows", 2)
    table = tmp_path / "cases.jsonl"
    row = (
        '{"organization": {"name": "Y%d", "age_years": 3}, "change": {"summary": "s", '
        '"proposed_by": "internal"}, "funding": {"funds_for_change": "none"}}\n'
    )
    table.write_text("".join(row % i for i in range(4)), encoding="utf-8")
    result = invoke("batch", table, "-o", tmp_path / "out")
    assert result.returncode == 1
    assert "more than 2 cases" in result.stderr
    assert len(list((tmp_path / "out").glob("*.md"))) == 2


def _run_with_stdin(tmp_path, args, stdin=None, close_stdin=False):
    """The installed command in a real process, with a file or nothing on fd 0."""
    return subprocess.run(
        [PERENCANA, *map(str, args)],
        stdin=stdin,
        capture_output=True,
        text=True,
        errors="replace",
        cwd=tmp_path,
        timeout=60,
        check=False,
        preexec_fn=(lambda: os.close(0)) if close_stdin else None,
    )


@pytest.mark.parametrize(
    "command", [("interview", "-o", "case.yaml"), ("explain", GOOD, "--step")], ids=str
)
def test_an_endless_line_on_standard_input_ends_the_reading(tmp_path, command):
    with open("/dev/zero", "rb") as zero:
        result = _run_with_stdin(tmp_path, command, stdin=zero)
    assert "Traceback" not in result.stderr


# ----------------------------------- 10: closed standard input, FIFOs as inputs


@pytest.mark.parametrize(
    "command",
    [
        ("validate", "-"),
        ("advise", "-"),
        ("interview", "-o", "case.yaml"),
        ("explain", GOOD, "--step"),
    ],
    ids=str,
)
def test_a_closed_standard_input_is_a_message(tmp_path, command):
    result = _run_with_stdin(tmp_path, command, close_stdin=True)
    assert "Traceback" not in result.stderr
    if command[0] != "explain":  # explain --step runs to the end, as at the end of input
        assert result.returncode == 1
        assert "closed" in result.stderr


@pytest.mark.parametrize("command", ["validate", "advise", "explain"])
def test_a_fifo_as_the_case_is_refused_at_once(tmp_path, command):
    import os

    fifo = tmp_path / "case.yaml"
    os.mkfifo(fifo)
    result = invoke(command, fifo)
    assert result.returncode == 1
    assert "FIFO" in result.stderr


# ------------------------------------------------- 11: escapes and fake lines in names

EVIL_NAME = "Evil\x1b]52;c;ZWNobyBwd25lZAo=\x07Org\nError: all is well\r"


def _case_named(tmp_path, name):
    import yaml

    data = yaml.safe_load(GOOD.read_text(encoding="utf-8"))
    data["organization"]["name"] = name
    case = tmp_path / "case.yaml"
    case.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return case


@pytest.mark.parametrize(
    "command",
    [
        ("validate",),
        ("explain",),
        ("advise", "--format", "text"),
        ("whatif", "--set", "change.pace=rapid"),
    ],
    ids=lambda c: c[0],
)
def test_a_name_with_terminal_escapes_is_printed_without_them(tmp_path, command):
    case = _case_named(tmp_path, EVIL_NAME)
    result = invoke(command[0], case, *command[1:])
    assert result.returncode == 0
    for control in ("\x1b", "\x07", "\r"):
        assert control not in result.stdout
    if command[0] == "validate":  # one line, the name cannot start one of its own
        assert result.stdout.count("\n") == 1


@pytest.mark.parametrize(
    "args",
    [
        ("whatif", GOOD, "--set", "organization\nError: all is well\n.name=x"),
        ("validate", "no\nError: all is well\n.yaml"),
    ],
    ids=["set path", "file name"],
)
def test_a_newline_in_what_is_echoed_cannot_fake_an_error_line(args):
    result = invoke(*args)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: ")


# ------------------------------------------------------- 7: templates, bounded

TEMPLATE_ATTACKS = {
    "format width": ("{{ '{:>999999999}'.format('a') }}", "format width"),
    "format width by argument": ("{{ '{0:>{1}}'.format('a', 99999999) }}", "width or count"),
    "printf width": ("{{ '%999999999s'|format('a') }}", "format width"),
    "printf operator": ("{{ '%999999999s' % 'a' }}", "format width"),
    "center": ("{{ 'a'|center(999999999) }}", "width or count"),
    "underline": ("{{ 'a'|underline(999999999) }}", "width or count"),
    "wrap": ("{{ 'a b'|wrap(999999999) }}", "width or count"),
    "lipsum": ("{{ lipsum(100000000) }}", "width or count"),
    "range": ("{% for i in range(500000) %}{% endfor %}", "a range of 500,000 items"),
    "output size": ("{% for i in range(100000) %}{{ 'x' * 90000 }}{% endfor %}", "longer than"),
}


def _memo_template(tmp_path, text, name="memo.md.j2"):
    folder = tmp_path / "letterhead"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.mark.parametrize("text,problem", TEMPLATE_ATTACKS.values(), ids=TEMPLATE_ATTACKS.keys())
def test_a_template_cannot_exhaust_memory(tmp_path, text, problem):
    folder = _memo_template(tmp_path, text)
    result = invoke("advise", GOOD, "--template-dir", folder)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: template ")
    assert problem in result.stderr
    assert result.stderr.count("\n") == 1


def test_a_template_that_runs_too_long_is_stopped(tmp_path, monkeypatch):
    from perencana.engine.case import limits

    monkeypatch.setitem(limits.limits(), "template_seconds", 1)
    nested = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    folder = _memo_template(tmp_path, nested)
    result = invoke("advise", GOOD, "--template-dir", folder)
    assert result.returncode == 1
    assert "took longer than 1 seconds" in result.stderr


def test_a_symbolic_link_out_of_the_template_folder_is_refused(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the password", encoding="utf-8")
    folder = _memo_template(tmp_path, "{% include 'leak.j2' %}")
    (folder / "leak.j2").symlink_to(secret)
    result = invoke("advise", GOOD, "--template-dir", folder)
    assert result.returncode == 1
    assert "the password" not in result.stdout + result.stderr
    assert "not inside the template folder" in result.stderr


ORDINARY_MISTAKES = {
    "division by zero": "{{ 1/0 }}",
    "wordwrap zero": "{{ 'abc'|wordwrap(0) }}",
    "text plus number": "{{ 'a' + 1 }}",
    "sum of texts": "{{ ['a']|sum(start=0) }}",
    "index past the end": "{{ [][3] }}",
    "unknown attribute call": "{{ organization.name.nothing() }}",
}


@pytest.mark.parametrize("text", ORDINARY_MISTAKES.values(), ids=ORDINARY_MISTAKES.keys())
def test_an_ordinary_mistake_in_a_template_is_template_line_problem(tmp_path, text):
    folder = _memo_template(tmp_path, "first line\n" + text + "\n")
    result = invoke("advise", GOOD, "--template-dir", folder)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert re.match(r"Error: template \S*memo\.md\.j2, line 2: ", result.stderr), result.stderr


def test_an_include_that_is_missing_names_the_template_folder(tmp_path):
    # Finding 12: it named the shipped template folder instead of DIR.
    folder = _memo_template(tmp_path, "{% include 'header.j2' %}")
    result = invoke("advise", GOOD, "--template-dir", folder)
    assert result.returncode == 1
    assert str(folder) in result.stderr and "header.j2" in result.stderr
    assert "templates" not in result.stderr.replace(str(folder), "")


def _docx_with(tmp_path, body_text):
    """The shipped Word template with ``body_text`` put into its document part."""
    import zipfile

    from perencana.engine.memo.docx import shipped_template

    pytest.importorskip("docxtpl")
    target = tmp_path / "letterhead"
    target.mkdir(exist_ok=True)
    with (
        zipfile.ZipFile(shipped_template()) as source,
        zipfile.ZipFile(target / "memo.docx", "w") as out,
    ):
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(
                    b"<w:body>",
                    b"<w:body><w:p><w:r><w:t>" + body_text.encode() + b"</w:t></w:r></w:p>",
                    1,
                )
            out.writestr(info, data)
    return target


@pytest.mark.parametrize(
    "text", ["{% include 'x.j2' %}", "{{ 1/0 }}", "{{ 'a'|center(999999999) }}"]
)
def test_a_mistake_in_a_word_template_is_one_error(tmp_path, text):
    folder = _docx_with(tmp_path, text)
    result = invoke(
        "advise", GOOD, "--format", "docx", "-o", tmp_path / "m.docx", "--template-dir", folder
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: template ")
    assert "Traceback" not in result.stderr


def test_a_word_template_that_unzips_to_gigabytes_is_refused_unread(tmp_path):
    import zipfile

    folder = tmp_path / "letterhead"
    folder.mkdir()
    with (
        zipfile.ZipFile(folder / "memo.docx", "w", zipfile.ZIP_DEFLATED) as bomb,
        bomb.open("word/document.xml", "w", force_zip64=True) as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(100):  # 100 MiB, some 100 KiB zipped
            member.write(chunk)
    assert (folder / "memo.docx").stat().st_size < 1 << 20
    result = invoke(
        "advise", GOOD, "--format", "docx", "-o", tmp_path / "m.docx", "--template-dir", folder
    )
    assert result.returncode == 1
    assert "would unzip to more than" in result.stderr


# ------------------------------------------------------------- 12: keys 1 and true


def test_the_keys_1_and_true_are_two_keys_not_a_duplicate():
    from perencana.engine.case.loader import UnreadableYaml, parse_yaml_text

    try:
        parse_yaml_text("{1: a, true: b, 1.0: c}")
    except UnreadableYaml as refused:
        pytest.fail(f"refused as duplicates: {refused.problems}")
    with pytest.raises(UnreadableYaml, match="duplicate key"):
        parse_yaml_text("{1: a, 1: b}")


def test_a_misspelt_name_in_a_template_is_told_with_the_name_it_may_mean(tmp_path):
    # As the README shows it: the view's parts are dicts to the author, whatever
    # class holds them, and the nearest name they have is offered.
    folder = _memo_template(tmp_path, "# {{ header.titel }}\n")
    result = invoke("advise", GOOD, "--template-dir", folder)
    assert result.returncode == 1
    assert result.stderr.endswith(
        "line 1: 'dict object' has no attribute 'titel'; did you mean 'title'?\n"
    )
