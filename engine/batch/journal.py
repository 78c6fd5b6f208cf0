"""What a batch keeps in its OUTDIR besides the memos and summaries: a lock, so that
two batches never write into one folder at once, and a journal, so that a batch
killed at any moment (SIGKILL, the out-of-memory killer, a full disk) can be resumed.

The journal (``.perencana-batch.journal``) is JSON Lines, appended as the batch goes:
a ``run`` line naming who runs it, a ``plan`` line naming every memo the run may write
(so that a memo renamed into place just before a kill is known as the batch's own,
never taken for a file of the user's), both fsynced; then one ``done`` line per memo
as it is written, not waited for, each in a numbered group of the run; and once the
group's memos and the folder are synced, one ``synced`` line for the group, fsynced.
Only a ``done`` line whose group is synced is trusted by ``--resume``: a memo written
but not yet synced (its data may not have reached the disk before a power cut) is
written again. The summary written at the end holds all of it, and the journal is
removed. A torn last line (a kill in the middle of an append) is ignored.
"""

import contextlib
import json
import os
import time

from perencana.engine.case.limits import limit
from perencana.engine.errors import OutputError

JOURNAL = ".perencana-batch.journal"
FORMAT = "perencana-batch-journal/1"


class BatchLock:
    """An exclusive ``flock`` on OUTDIR itself for the whole run.

    A second batch into the same folder stops at once, naming the first: its process
    id and start time, the ``run`` line of the journal. The kernel releases the lock
    when the process ends, however it ends: a killed batch never leaves the folder
    locked, and no lock file is left among the memos.
    """

    def __init__(self, folder, journal):
        self.folder = folder
        self.journal = journal
        self.fd = None

    def __enter__(self):
        import fcntl

        try:
            fd = os.open(self.folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError as error:
            raise OutputError(f"{self.folder}: cannot be opened ({error.strerror})") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            holder = Journal(self.folder).holder or "another process"
            raise OutputError(
                f"{self.folder}: another batch is writing into this folder ({holder}); "
                "wait for it to finish, or give another folder"
            ) from None
        except OSError as error:
            os.close(fd)
            raise OutputError(f"{self.folder}: cannot be locked ({error.strerror})") from None
        self.fd = fd
        started = time.strftime("%Y-%m-%d %H:%M:%S %Z", time.localtime())
        self.journal.started(f"pid {os.getpid()}, started {started}")
        return self

    def __exit__(self, *exc):
        if self.fd is not None:
            os.close(self.fd)  # closing the descriptor releases the lock
            self.fd = None


class Journal:
    """The journal of ``folder``: what earlier, interrupted runs planned and finished,
    and the appending of this run's."""

    def __init__(self, folder):
        self.path = folder / JOURNAL
        self.planned = set()  # memo names any run planned to write
        self.done = {}  # (file, row) -> (memo_format, lang, engine, edition, entry)
        self.holder = None  # who runs (or last ran) a batch here: pid and start time
        self.kept = False  # whether the journal holds more than who started it
        self._read()
        self.handle = None
        self.group = 0  # this run's group of memos being written, not yet synced

    def _read(self):
        most = limit("summary_bytes")
        try:
            with open(self.path, "rb") as handle:
                if not os.path.isfile(self.path):
                    return
                raw = handle.read(most + 1)
        except OSError:
            return
        if len(raw) > most:
            return
        unsynced = {}  # group -> the done records of this run's group not yet synced
        for line in raw.split(b"\n"):
            try:
                record = json.loads(line)
            except ValueError:
                continue  # a torn last line, or not ours
            if not isinstance(record, dict) or record.get("format") != FORMAT:
                continue
            kind = record.get("kind")
            if kind == "run" and isinstance(record.get("holder"), str):
                self.holder = record["holder"]
                unsynced = {}  # a new run: the groups an earlier one never synced are lost
                continue
            self.kept = True
            if kind == "plan" and isinstance(record.get("memos"), list):
                self.planned.update(name for name in record["memos"] if isinstance(name, str))
            elif kind == "done" and isinstance(record.get("entry"), dict):
                memo = record["entry"].get("memo")
                if isinstance(memo, str):
                    self.planned.add(memo)
                group = record.get("group")
                if group is None:  # a journal of a version that fsynced every line
                    self._trust(record)
                else:
                    unsynced.setdefault(group, []).append(record)
            elif kind == "synced":
                for done in unsynced.pop(record.get("group"), ()):
                    self._trust(done)

    def _trust(self, record):
        source = record["entry"].get("source") or {}
        key = (source.get("file"), source.get("row"))
        run = (record.get("memo_format"), record.get("lang"), record.get("engine"))
        self.done[key] = (*run, record.get("edition"), record["entry"])

    def finished(self, key, fmt, lang, engine, edition):
        """The entry an interrupted run recorded for the case at ``key`` with the same
        format, language, engine and edition, or ``None``."""
        found = self.done.get(key)
        if found and found[:4] == (fmt, lang, engine, edition):
            return found[4]
        return None

    def started(self, holder):
        """Note who holds the folder (for a second batch's message)."""
        self._append({"kind": "run", "holder": holder})

    def plan(self, memos, fmt, lang, engine):
        self.kept = True
        self._append({"kind": "plan", "memos": sorted(memos)})

    def record(self, entry, fmt, lang, engine, edition):
        """Note a memo written in the current group; not trusted until ``synced``."""
        self._append(
            {
                "kind": "done",
                "group": self.group,
                "memo_format": fmt,
                "lang": lang,
                "engine": engine,
                "edition": edition,
                "entry": entry,
            },
            sync=False,
        )

    def synced(self):
        """Record the current group as durable (its memos and the folder are synced),
        then start the next one."""
        self._append({"kind": "synced", "group": self.group})
        self.group += 1

    def abandon_group(self):
        """Leave the current group unsynced for ever (its memos could not be made
        durable): the next group gets a number of its own."""
        self.group += 1

    def _append(self, record, sync=True):
        """Append one line; with ``sync``, fsync the journal: once this returns, a kill
        loses nothing of it nor of any line before it."""
        line = json.dumps({"format": FORMAT, **record}, ensure_ascii=False) + "\n"
        try:
            if self.handle is None:
                fd = os.open(
                    self.path, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o644
                )
                # Unbuffered: a write the disk refuses leaves nothing pending that a
                # later close (or the garbage collector) would try, and fail, to flush.
                self.handle = os.fdopen(fd, "ab", buffering=0)
            self.handle.write(line.encode("utf-8"))
            if sync:
                os.fsync(self.handle.fileno())
        except OSError as error:
            raise OutputError(f"{self.path}: cannot be written ({error.strerror})") from None

    def close(self):
        """Stop appending; a journal that only says who started is removed."""
        if not self.kept:
            self.remove()
            return
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.close()
            self.handle = None

    def remove(self):
        """Once the summary holds everything, the journal goes."""
        if self.handle is not None:
            with contextlib.suppress(OSError):
                self.handle.close()
            self.handle = None
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        self.kept = False
