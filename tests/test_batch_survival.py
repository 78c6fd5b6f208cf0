"""Issue 15, findings 3 to 5 and 12: a batch survives SIGKILL at any moment, refuses a
second batch into its folder, ends cleanly when a worker dies, and SIGTERM ends it.

Each test runs the installed command in real processes: only they can be killed.
"""

import contextlib
import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import PERENCANA, ROOT
from tests.test_batch import generated_case

JOURNAL = ".perencana-batch.journal"


def _inputs(folder, total):
    folder.mkdir()
    for number in range(total):
        case = generated_case(number, stakeholders=2, programs=2)
        (folder / f"{number:03d}.json").write_text(json.dumps(case), encoding="utf-8")
    return folder


def _command(inputs, outdir, *more):
    return [PERENCANA, "batch", inputs, "-o", outdir, "--format", "json", *map(str, more)]


def _start(command):
    return subprocess.Popen(
        [str(part) for part in command],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: a kill reaches the workers too
    )


def _finish(command):
    return subprocess.run(
        [str(part) for part in command], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def _contents(folder):
    """Every file of ``folder`` (but the journal, gone after a complete run) by name."""
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir())}


def _wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.005)
    return False


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """An uninterrupted run of 40 cases: what every resumed run must end as."""
    base = tmp_path_factory.mktemp("reference")
    inputs = _inputs(base / "in", 40)
    outdir = base / "out"
    result = _finish(_command(inputs, outdir))
    assert result.returncode == 0, result.stderr
    return inputs, _contents(outdir)


def _group_alive(group):
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def _memos(outdir):
    return sum(1 for p in Path(outdir).glob("*.json") if p.name != "summary.json")


# The moments a kill can land in, from the start of the command to after its end, each
# waited for (polling every 5 ms, so it lands anywhere in the writes of that phase):
# before the folder and journal exist; the journal taken, no memo yet; the first
# memos; half of them; the last ones; the summary being written, or after the end.
KILL_POINTS = {
    "starting": lambda outdir, total: True,
    "journal taken": lambda outdir, total: (outdir / JOURNAL).exists(),
    "first memo": lambda outdir, total: _memos(outdir) >= 1,
    "half the memos": lambda outdir, total: _memos(outdir) >= total // 2,
    "last memos": lambda outdir, total: _memos(outdir) >= total - 2,
    "summary": lambda outdir, total: (outdir / "summary.json").exists(),
}


def _killed_then_resumed(tmp_path, reference, name, jobs, when):
    inputs, expected = reference
    outdir = tmp_path / "out"
    command = _command(inputs, outdir, "--jobs", jobs)
    process = _start(command)
    when(process, outdir, sum(1 for n in expected if n.endswith(".json")) - 1)  # memos
    # It may have ended before the moment came: then a resume must change nothing.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    resumed = _finish([*command, "--resume"])
    assert resumed.returncode == 0, resumed.stderr
    assert "Traceback" not in resumed.stderr
    found = _contents(outdir)
    assert sorted(found) == sorted(expected), f"{name}: other files"
    different = [name for name in expected if found[name] != expected[name]]
    assert different == [], f"{name}: differ after --resume"


@pytest.mark.slow
@pytest.mark.parametrize(
    "point, jobs", [(point, 1 + number % 2) for number, point in enumerate(KILL_POINTS)]
)
def test_sigkill_in_every_phase_of_a_batch_then_resume_is_byte_identical(
    tmp_path, reference, point, jobs
):
    """Killed in each phase of its writes, then resumed, a batch ends as the
    uninterrupted one: the same files, byte for byte. One process and two take turns
    over the phases. (Twenty kills at random moments did this before; most of them
    fell into the middle memos or after the end.)"""
    reached = KILL_POINTS[point]

    def when(process, outdir, total):
        _wait_for(lambda: reached(outdir, total) or process.poll() is not None)

    _killed_then_resumed(tmp_path, reference, point, jobs, when)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(2))
def test_sigkill_at_a_random_moment_then_resume_is_byte_identical(tmp_path, reference, seed):
    def when(process, outdir, total):
        # A random moment: from before the first memo to after the last.
        time.sleep(random.Random(seed).uniform(0.0, 4.0))

    _killed_then_resumed(tmp_path, reference, f"seed {seed}", 1 + seed % 2, when)


def test_sigkill_then_resume_is_byte_identical(tmp_path, reference):
    # The quick one of the above: one kill once some memos are written.
    inputs, expected = reference
    outdir = tmp_path / "out"
    command = _command(inputs, outdir)
    process = _start(command)
    assert _wait_for(lambda: outdir.is_dir() and len(list(outdir.glob("*.json"))) >= 5)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    assert (outdir / JOURNAL).exists()  # the kill left the journal, not a summary
    resumed = _finish([*command, "--resume"])
    assert resumed.returncode == 0, resumed.stderr
    assert _contents(outdir) == expected


def test_a_second_batch_into_the_same_folder_stops_at_once_naming_the_first(tmp_path):
    # Enough cases that the first is still running when the second starts: once the
    # first has removed its journal, the second can only name "another process".
    inputs = _inputs(tmp_path / "in", 300)
    outdir = tmp_path / "out"
    first = _start(_command(inputs, outdir))
    try:
        assert _wait_for(lambda: (outdir / JOURNAL).exists())
        started = time.monotonic()
        second = _finish(_command(inputs, outdir))
        assert time.monotonic() - started < 30
        assert second.returncode == 1
        assert "another batch is writing into this folder" in second.stderr
        assert f"pid {first.pid}" in second.stderr
    finally:
        stdout, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["cases"]) == 300 and summary["complete"] is True


def _children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if not path.exists():
        return []
    return [int(child) for child in path.read_text().split()]


def _pool_batch_under_way(tmp_path):
    """A batch of 80 cases on two workers, started, with both workers running and
    three memos written: (inputs, outdir, the batch's process)."""
    inputs = _inputs(tmp_path / "in", 80)
    outdir = tmp_path / "out"
    batch = _start(_command(inputs, outdir, "--jobs", "2"))
    try:
        assert _wait_for(lambda: len(_children(batch.pid)) >= 2)
        assert _wait_for(lambda: outdir.is_dir() and _memos(outdir) >= 3)
    except BaseException:
        os.killpg(batch.pid, signal.SIGKILL)
        raise
    return inputs, outdir, batch


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux's /proc")
def test_a_killed_worker_is_replaced_and_every_case_is_advised(tmp_path):
    # kill -9 of one worker at a random moment, even while it sends a result: with
    # one pipe shared by the workers this once hung the batch for ever.
    inputs, outdir, batch = _pool_batch_under_way(tmp_path)
    try:
        killed = _children(batch.pid)[0]
        os.kill(killed, signal.SIGKILL)
        stdout, stderr = batch.communicate(timeout=120)
    finally:
        if batch.poll() is None:
            os.killpg(batch.pid, signal.SIGKILL)
    assert batch.returncode == 0, stderr
    assert "Traceback" not in stderr
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    assert (len(summary["cases"]), summary["failures"], summary["complete"]) == (80, [], True)
    assert not _group_alive(batch.pid)


@pytest.mark.parametrize(
    ("jobs", "to_group"), [(1, False), (2, False), (2, True)], ids=["1", "2", "2-group"]
)
def test_sigterm_always_ends_the_batch(tmp_path, jobs, to_group):
    # To the group, as a service manager or a closed terminal sends it: the workers
    # too are signalled, and must not die in the middle of sending a result.
    kill = os.killpg if to_group else os.kill
    inputs = _inputs(tmp_path / "in", 60)
    outdir = tmp_path / "out"
    batch = _start(_command(inputs, outdir, "--jobs", jobs))
    assert _wait_for(lambda: outdir.is_dir() and len(list(outdir.glob("*.json"))) >= 2)
    kill(batch.pid, signal.SIGTERM)
    kill(batch.pid, signal.SIGTERM)  # a second one, during the summary step perhaps
    try:
        stdout, stderr = batch.communicate(timeout=60)
        # No worker is left behind.
        assert _wait_for(lambda: not _group_alive(batch.pid), timeout=10)
    finally:
        if batch.poll() is None or _group_alive(batch.pid):
            os.killpg(batch.pid, signal.SIGKILL)
    assert batch.returncode == 128 + signal.SIGTERM, stderr
    assert "Traceback" not in stderr
    summary = json.loads((outdir / "summary.json").read_text(encoding="utf-8"))
    page = (outdir / "summary.html").read_text(encoding="utf-8")
    assert summary["complete"] is False
    assert all(entry["organization"] in page for entry in summary["cases"][:5])
    assert not (outdir / JOURNAL).exists()


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux")
def test_a_killed_batch_leaves_no_worker_waiting(tmp_path):
    # SIGKILL to the batch's process alone: its workers would wait for cases for
    # ever; they end with it.
    inputs, outdir, batch = _pool_batch_under_way(tmp_path)
    try:
        os.kill(batch.pid, signal.SIGKILL)
        batch.wait(timeout=30)
        assert _wait_for(lambda: not _group_alive(batch.pid), timeout=10)
    finally:
        if _group_alive(batch.pid):
            os.killpg(batch.pid, signal.SIGKILL)
    resumed = _finish([*_command(inputs, outdir, "--jobs", "2"), "--resume"])
    assert resumed.returncode == 0, resumed.stderr
