"""Issue 16: a batch makes its memos durable in groups, not one fsync per memo, and
still a memo is written and recorded, or neither: ``--resume`` trusts only the memos
of a group that was synced (files, folder, then one journal line), and writes the
others again, whatever a kill or a power cut left in their files."""

import errno
import json

import pytest

from perencana.engine.batch import run as batch_run
from perencana.engine.batch.journal import JOURNAL, Journal
from perencana.engine.case.limits import limit
from tests.test_batch import memo_files, run, write_generated_cases


class _Killed(BaseException):
    """What SIGKILL is to the batch: nothing after it runs, no summary is written."""


class _Bar:
    """A progress bar that calls ``at[n]()`` once ``n`` memos are done."""

    def __init__(self, **at):
        self.at = {int(n.lstrip("_")): action for n, action in at.items()}
        self.done = 0

    def __call__(self, total):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        self.done += n
        if self.done in self.at:
            self.at[self.done]()


def _kill():
    raise _Killed


@pytest.fixture
def groups(monkeypatch):
    """Set the group bounds (memos, seconds) of the batches run in this test."""

    def bounds(memos, seconds=3600):
        chosen = {"batch_sync_memos": memos, "batch_sync_seconds": seconds}
        monkeypatch.setattr(batch_run, "limit", lambda name: chosen.get(name) or limit(name))

    return bounds


def _killed_batch(monkeypatch, inputs, outdir, bar):
    """Run a batch that ``bar`` kills: no summary, the journal left as it was."""
    with monkeypatch.context() as patch:
        patch.setattr(batch_run._Batch, "_write_summary", lambda self: None)
        with pytest.raises(_Killed):
            run([inputs], outdir, progress=bar)
    assert (outdir / JOURNAL).exists() and not (outdir / "summary.json").exists()


def _trusted(outdir):
    return sorted(entry["memo"] for *_, entry in Journal(outdir).done.values())


def test_the_limits_name_a_group_bound():
    assert limit("batch_sync_memos") > 1 and limit("batch_sync_seconds") >= 1


def test_a_memo_written_but_not_in_a_synced_group_is_redone_on_resume(
    tmp_path, monkeypatch, groups
):
    inputs = tmp_path / "in"
    write_generated_cases(inputs, 10)
    fresh, _ = run([inputs], tmp_path / "fresh")
    groups(4)
    outdir = tmp_path / "out"
    _killed_batch(monkeypatch, inputs, outdir, _Bar(_6=_kill))
    written = memo_files(outdir)
    assert len(written) == 6  # six memos on disk, only the first group of four synced
    assert _trusted(outdir) == written[:4]
    # A power cut may leave a memo of the unsynced group empty or torn, its name new.
    for name in written[4:]:
        (outdir / name).write_bytes(b"")
    kept = {name: (outdir / name).stat().st_mtime_ns for name in written[:4]}

    result, failures = run([inputs], outdir, resume=True)

    assert failures == []
    assert (result.written, result.skipped) == (6, 4)
    assert {name: (outdir / name).stat().st_mtime_ns for name in kept} == kept
    expected = {p.name: p.read_bytes() for p in (tmp_path / "fresh").iterdir()}
    assert {p.name: p.read_bytes() for p in outdir.iterdir()} == expected
    assert fresh.summary["complete"] is True


def test_a_group_is_also_synced_after_its_time_bound(tmp_path, monkeypatch, groups):
    import time

    inputs = tmp_path / "in"
    write_generated_cases(inputs, 6)
    groups(100, seconds=1)
    outdir = tmp_path / "out"
    # Memos 1 and 2 quickly, then a pause past the bound: memo 3 closes the group.
    _killed_batch(monkeypatch, inputs, outdir, _Bar(_2=lambda: time.sleep(1.1), _4=_kill))
    assert len(memo_files(outdir)) == 4
    assert _trusted(outdir) == memo_files(outdir)[:3]
    result, _ = run([inputs], outdir, resume=True)
    assert (result.written, result.skipped) == (3, 3)


def test_an_interrupted_batch_syncs_its_last_group_before_the_summary(tmp_path, groups):
    inputs = tmp_path / "in"
    write_generated_cases(inputs, 8)
    groups(100)
    outdir = tmp_path / "out"

    def ctrl_c():
        raise KeyboardInterrupt

    with pytest.raises(batch_run.BatchInterrupted):
        run([inputs], outdir, progress=_Bar(_3=ctrl_c))
    summary = json.loads((outdir / "summary.json").read_text())
    assert len(summary["cases"]) == 3 and not (outdir / JOURNAL).exists()
    result, _ = run([inputs], outdir, resume=True)
    assert (result.written, result.skipped) == (5, 3)


def test_a_disk_failing_at_the_sync_fails_the_group_and_records_nothing(
    tmp_path, monkeypatch, groups
):
    inputs = tmp_path / "in"
    write_generated_cases(inputs, 5)
    groups(2)
    outdir = tmp_path / "out"
    calls = []

    def failing(paths, threads=1):
        calls.append(len(paths))
        if len(calls) == 2:  # the second group: memos 3 and 4
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(batch_run, "sync_files", failing)
    result, failures = run([inputs], outdir)
    assert (result.written, result.failed) == (3, 2)
    assert [label for label, _ in failures] == [str(inputs / "2.json"), str(inputs / "3.json")]
    assert all("could not be made durable (Input/output error)" in p[0] for _, p in failures)
    assert [entry["memo"] for entry in result.summary["cases"]] == [
        "yayasan-nomor-0.json",
        "yayasan-nomor-1.json",
        "yayasan-nomor-4.json",
    ]
    assert result.exit_code == 1
    monkeypatch.undo()
    again, _ = run([inputs], outdir, resume=True)
    assert (again.written, again.skipped, again.failed) == (2, 3, 0)


def test_a_later_run_never_trusts_a_group_an_earlier_run_did_not_sync(tmp_path):
    def entry(number):
        return {"memo": f"m{number}.json", "source": {"file": f"{number}.json", "row": None}}

    run_of = ("json", "en", "engine", "planner")
    first = Journal(tmp_path)
    first.started("pid 1")
    first.plan(["m0.json", "m1.json"], *run_of[:3])
    first.record(entry(0), *run_of)  # group 0 of the first run, never synced
    first.close()
    second = Journal(tmp_path)
    second.started("pid 2")
    second.plan(["m0.json", "m1.json"], *run_of[:3])
    second.record(entry(1), *run_of)  # group 0 of the second run, synced
    second.synced()
    second.close()
    found = Journal(tmp_path)
    assert found.finished(("0.json", None), *run_of) is None
    assert found.finished(("1.json", None), *run_of) == entry(1)
    assert {"m0.json", "m1.json"} <= found.planned  # both still the batch's own files


@pytest.mark.parametrize("threads", [1, 4])
def test_syncing_a_group_tells_a_file_it_could_not_sync(tmp_path, threads):
    from perencana.engine.memo.output import sync_files

    paths = [tmp_path / f"{n}.json" for n in range(6)]
    for path in paths:
        path.write_text("{}")
    sync_files(paths, threads=threads)  # all there: nothing to tell
    paths[3].unlink()
    with pytest.raises(FileNotFoundError):
        sync_files(paths, threads=threads)
