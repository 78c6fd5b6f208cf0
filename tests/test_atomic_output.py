"""Writing the memo: atomic, never over a file unasked, and an interrupted run leaves
no half-written file. Real processes are interrupted with SIGINT, SIGTERM and SIGKILL
at various moments, and inside the write itself (a ``sitecustomize`` slows ``fsync``
so that the signal lands while the temporary file exists). After SIGINT or SIGTERM no
temporary file remains; after SIGKILL one may (``.memo.html.*.tmp``, hidden), but
the memo itself is always either absent or complete."""

import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import yaml

from perencana.engine.errors import OutputError
from perencana.engine.memo import output
from perencana.engine.memo.output import exit_on_termination, write_atomically
from tests.helpers import ROOT

PERENCANA = str(Path(sys.executable).with_name("perencana"))
SMALL_CASE = ROOT / "examples" / "old-government-office.yaml"
SLOW_FSYNC = """\
import os, time
_fsync = os.fsync
def _slow_fsync(fd):
    time.sleep(float(os.environ.get("PERENCANA_TEST_FSYNC_DELAY", "0")))
    _fsync(fd)
os.fsync = _slow_fsync
"""

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def temporaries(folder):
    return sorted(p.name for p in Path(folder).glob(".memo.*.tmp"))


# ------------------------------------------------------------------- in process


def test_text_and_bytes_are_written_whole_with_the_usual_mode(tmp_path):
    old = os.umask(0o022)
    try:
        write_atomically(tmp_path / "a.md", "é\n")
        write_atomically(tmp_path / "b.docx", b"PK\x03\x04")
    finally:
        os.umask(old)
    assert (tmp_path / "a.md").read_bytes() == "é\n".encode()
    assert (tmp_path / "b.docx").read_bytes() == b"PK\x03\x04"
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o644
    assert temporaries(tmp_path) == []


def test_force_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    target = tmp_path / "memo.md"
    target.write_text("old")
    target.chmod(0o600)
    write_atomically(target, "new", force=True)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_existing_file_is_refused_without_force(tmp_path):
    target = tmp_path / "memo.md"
    target.write_text("notes")
    with pytest.raises(OutputError, match="already exists; use --force"):
        write_atomically(target, "memo")
    assert target.read_text() == "notes"


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, SystemExit, OSError])
@pytest.mark.parametrize("force", [False, True])
def test_an_interrupted_write_leaves_no_temporary_and_no_partial_file(
    tmp_path, monkeypatch, interruption, force
):
    target = tmp_path / "memo.md"
    if force:
        target.write_text("the earlier memo")

    def interrupted(fd):
        raise interruption()

    monkeypatch.setattr(output.os, "fsync", interrupted)
    # A failing disk is the user's to see as one message; Ctrl-C and SIGTERM go on.
    with pytest.raises(OutputError if interruption is OSError else interruption):
        write_atomically(target, "x" * 100_000, force=force)
    assert temporaries(tmp_path) == []
    if force:
        assert target.read_text() == "the earlier memo"
    else:
        assert not target.exists()


def test_a_signal_while_the_temporary_is_created_is_held_until_cleanup_is_ready(
    tmp_path, monkeypatch
):
    real_mkstemp = tempfile.mkstemp

    def mkstemp_then_ctrl_c(*args, **kwargs):
        made = real_mkstemp(*args, **kwargs)
        # Ctrl-C to this thread, as it reaches the one thread of the command: blocked,
        # so delivered when mkstemp is done. (A signal to the whole process could go to
        # another thread of the test runner, e.g. an xdist worker's, that blocks none.)
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)
        return made

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_ctrl_c)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "memo.md", "memo")
        time.sleep(1)  # pragma: no cover - the interrupt comes first
    assert list(tmp_path.iterdir()) == []


def test_sigterm_becomes_system_exit_inside_the_block_only():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(SystemExit) as leaving, exit_on_termination():
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(1)  # pragma: no cover - the signal comes first
    assert leaving.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) == before


# ----------------------------------------------------------- real processes


@pytest.fixture(scope="module")
def big_case(tmp_path_factory):
    """A case whose HTML memo takes about a second to make and is some 300 kB."""
    folder = tmp_path_factory.mktemp("big")
    case = {
        "organization": {"name": "Big " + "x" * 200, "age_years": 12},
        "change": {"summary": "s " * 500, "proposed_by": "external"},
        "funding": {"funds_for_change": "none"},
        "stakeholders": [
            {"name": f"stakeholder {i} " + "y" * 1500, "impact": "negative"} for i in range(12)
        ],
        "programs": [{"name": f"program {i} " + "z" * 1500, "viable": True} for i in range(12)],
    }
    path = folder / "big.yaml"
    path.write_text(yaml.safe_dump(case))
    return path


@pytest.fixture(scope="module")
def reference(big_case, tmp_path_factory):
    """The complete memo, from an uninterrupted run."""
    target = tmp_path_factory.mktemp("reference") / "memo.html"
    done = subprocess.run(
        [PERENCANA, "advise", big_case, "--format", "html", "-o", target],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return target.read_bytes()


def start(case, folder, *extra, env=None):
    return subprocess.Popen(
        [PERENCANA, "advise", str(case), "--format", "html", "-o", "memo.html", *extra],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
    )


def slowed(tmp_path, delay=30):
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "sitecustomize.py").write_text(SLOW_FSYNC)
    path = os.pathsep.join(filter(None, [str(hooks), os.environ.get("PYTHONPATH")]))
    return {"PYTHONPATH": path, "PERENCANA_TEST_FSYNC_DELAY": str(delay)}


def wait_for_temporary(folder, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if temporaries(folder):
            return
        assert process.poll() is None, process.communicate()
        time.sleep(0.02)
    raise AssertionError("the temporary file never appeared")


@pytest.mark.parametrize(
    ("sent", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 128 + signal.SIGTERM)]
)
@pytest.mark.parametrize("force", [False, True])
def test_a_signal_during_the_write_removes_the_temporary(tmp_path, sent, code, force):
    work = tmp_path / "work"
    work.mkdir()
    if force:
        (work / "memo.html").write_text("the earlier memo")
    process = start(SMALL_CASE, work, *(["--force"] if force else []), env=slowed(tmp_path))
    wait_for_temporary(work, process)
    process.send_signal(sent)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert temporaries(work) == []
    if force:
        assert (work / "memo.html").read_text() == "the earlier memo"
    else:
        assert not (work / "memo.html").exists()


def test_sigkill_during_the_write_never_leaves_a_partial_memo(tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    process = start(SMALL_CASE, work, env=slowed(tmp_path))
    wait_for_temporary(work, process)
    process.kill()
    process.communicate(timeout=60)
    assert not (work / "memo.html").exists()
    assert len(temporaries(work)) == 1  # unavoidable after SIGKILL, and only hidden


@pytest.mark.parametrize(
    ("sent", "delays"),
    [
        (signal.SIGINT, (0.05, 0.5, 1.0, 1.8)),
        (signal.SIGTERM, (0.4, 1.2)),
        (signal.SIGKILL, (0.3, 0.9, 1.5)),
    ],
    ids=["SIGINT", "SIGTERM", "SIGKILL"],
)
def test_interrupted_at_any_moment_the_memo_is_absent_or_complete(
    tmp_path, big_case, reference, sent, delays
):
    runs = []
    for index, delay in enumerate(delays):
        work = tmp_path / f"run{index}"
        work.mkdir()
        runs.append((work, delay, start(big_case, work)))
    started = time.monotonic()
    for _, delay, process in sorted(runs, key=lambda run: run[1]):
        time.sleep(max(0.0, started + delay - time.monotonic()))
        if process.poll() is None:
            process.send_signal(sent)
    for work, delay, process in runs:
        # (A signal during Python's own start-up may print its traceback: the file is
        # what this test is about.)
        process.communicate(timeout=120)
        memo = work / "memo.html"
        assert not memo.exists() or memo.read_bytes() == reference, delay
        if sent != signal.SIGKILL:
            assert temporaries(work) == [], delay
