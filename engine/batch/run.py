"""Running ``perencana batch``: many cases, one memo each, and the portfolio summary.

A run has two passes over the case sources (``engine.batch_input``), both in input
order: the cases are read and validated, then named (each memo after its
organization: a safe, unique file name, given in input order); then each case not
already up to date is advised and rendered, and its memo written atomically. With
``jobs`` > 1 both passes run on worker processes (``engine.batch.pool``), each of
which builds one ``Advisor``, reused for every case; results come back in input
order, and only this process writes files, so the output does not depend on ``jobs``
and a worker can be killed at any moment without losing or spoiling a file.

Each memo is written atomically (a temporary file renamed) without waiting for the
disk, and noted in the journal; the memos are made durable in groups
(``batch_sync_memos`` memos or ``batch_sync_seconds``, in ``limits.yaml``): their
files, then the folder, are synced and one fsynced journal line records the group. A
memo is written and recorded, or neither: after SIGKILL or a power cut, ``resume``
trusts only the memos of a synced group and writes the others again.

A bad case fails alone. Ctrl-C or SIGTERM stops the run between two memos: every
memo written is whole (written atomically, with the signals held until its summary
entry is noted), no temporary file is left, the last group is synced, and
``summary.json`` and ``summary.html`` are written for what finished; ``resume`` then
skips each memo that is newer than its case and whose summary entry matches the case
as it is now.
"""

import contextlib
import gc
import hashlib
import os
import re
import signal
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from perencana.engine.batch.inputs import expand_inputs, load_source
from perencana.engine.batch.journal import BatchLock, Journal
from perencana.engine.batch.pool import STOP_SIGNALS, Pool, WorkerDied
from perencana.engine.batch.portfolio import (
    BROWSER_COMPANION,
    SUMMARY_HTML,
    build_summary,
    case_digest,
    case_entry,
    companion,
    failure_entry,
    read_summary,
    render_page,
    report_line,
    summary_json_text,
)
from perencana.engine.case.limits import limit
from perencana.engine.errors import CaseError, OutputError, PerencanaError
from perencana.engine.memo.output import sync_files, sync_folder, write_atomically
from perencana.engine.view.editions import DEFAULT_EDITION

EXTENSIONS = {"md": ".md", "html": ".html", "text": ".txt", "json": ".json"}
SUMMARY_JSON = "summary.json"
SLUG_LIMIT = 80
FALLBACK_SLUG = "organization"
# Names a memo must not take: the summaries', and the devices Windows reserves.
RESERVED_STEMS = frozenset(
    {"summary", "con", "prn", "aux", "nul"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(1, 10)}
)
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
# A temporary file of write_atomically: ``.NAME.XXXXXXXX.tmp``.
_TEMPORARY = re.compile(r"\.(?P<name>.+)\.[^.]+\.tmp")
DEAD_WORKER = (
    "the process advising this case ended unexpectedly, twice (killed, or out of "
    "memory: the case may be too large for this machine); run the same command with "
    "--resume to try it again"
)
# When the worker processes cannot even start, every case left is told so.
NO_WORKERS = (
    "the processes advising the cases ended unexpectedly as they started (killed, or "
    "out of memory); run the same command with --resume to try again"
)
# The files the advice depends on besides the case (see ``_fingerprint``).
FINGERPRINT_GLOBS = (("knowledge", "*.yaml"), ("rules", "*.py"), ("templates", "*.j2"))


class BatchInterrupted(PerencanaError):
    """Ctrl-C or SIGTERM stopped the batch; what finished is written and summarized."""

    def __init__(self, message, exit_code):
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class BatchResult:
    """What a run did: ``summary`` as written, and counts of this run's work."""

    summary: dict = field(default_factory=dict)
    written: int = 0
    skipped: int = 0
    failed: int = 0
    pending: int = 0
    outdir: str = ""
    lang: str = "en"

    @property
    def exit_code(self):
        return 1 if self.failed else 0

    def report(self, knowledge=None):
        """One line for the user, in the batch's language: what was written, skipped
        and failed, and where the summary is (``portfolio.report_line``)."""
        from perencana.knowledge import load_knowledge

        return report_line(self, knowledge or load_knowledge(), self.lang)


# ------------------------------------------------------------------------- naming


def slug(name, limit=SLUG_LIMIT):
    """A file-name stem for an organization's name: lower-case ASCII letters and digits
    joined by hyphens (accents dropped, no dots or path separators), at most
    ``limit`` characters, never empty."""
    ascii_text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    stem = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    if len(stem) > limit:
        stem = stem[:limit].rstrip("-")
    return stem or FALLBACK_SLUG


def memo_names(organizations, extension, taken=(), also=()):
    """A unique memo file name for each organization, in order: the slug of its name,
    then ``-2``, ``-3``... on a collision with an earlier one, a reserved name or a
    name in ``taken`` (compared without case, as some file systems do). The stem
    must also be free with each extension of ``also`` (a companion file's)."""
    used = {name.lower() for name in taken}
    extensions = (extension, *also)
    used |= {f"{stem}{ext}" for stem in RESERVED_STEMS for ext in extensions}
    names = []
    for organization in organizations:
        stem = slug(organization)
        candidate, number = stem, 1
        while any(f"{candidate}{ext}".lower() in used for ext in extensions):
            number += 1
            candidate = f"{stem}-{number}"
        used |= {f"{candidate}{ext}".lower() for ext in extensions}
        names.append(f"{candidate}{extension}")
    return names


# ---------------------------------------------------------------------------- run


def run_batch(
    inputs,
    outdir,
    fmt="md",
    lang="en",
    jobs=1,
    resume=False,
    progress=None,
    on_failure=None,
    edition=DEFAULT_EDITION,
):
    """Advise every case of ``inputs`` into ``outdir``, each memo in ``edition``
    (client, planner or trainer); returns a ``BatchResult``.

    ``progress(total)``, if given, returns a context manager whose ``update(n)`` is
    called as memos are done (``click.progressbar`` fits). ``on_failure(label,
    problems)`` is told each case that failed, in input order. Raises
    ``BatchInterrupted`` after Ctrl-C or SIGTERM, once the summary is written.
    """
    if fmt not in EXTENSIONS:
        raise ValueError(f"fmt must be one of {', '.join(EXTENSIONS)}, not {fmt!r}")
    from perencana.knowledge import load_knowledge

    # The inputs first: one that does not exist stops the batch before it makes or
    # touches its folder.
    sources = expand_inputs(inputs)
    folder = _prepare_folder(Path(outdir))
    journal = Journal(folder)
    with BatchLock(folder, journal):  # a second batch into this folder stops here, at once
        try:
            previous = _previous_summary(folder)
        except BaseException:
            journal.close()
            raise
        knowledge = load_knowledge()  # here, before forking: the workers share it
        batch = _Batch(folder, sources, knowledge, fmt, lang, previous, _fingerprint(), journal)
        batch.edition = edition
        batch.remove_orphans()
        try:
            with _workers(jobs, fmt, lang, len(sources), edition) as mapper:
                batch.run(mapper, resume, progress, on_failure)
        except KeyboardInterrupt:
            raise batch.interrupted(130) from None
        except SystemExit as stop:  # SIGTERM or SIGHUP, raised by exit_on_termination
            raise batch.interrupted(stop.code if isinstance(stop.code, int) else 1) from None
        except WorkerDied:  # the workers could not start while the cases were read
            raise OutputError(NO_WORKERS) from None
        finally:
            batch.journal.close()
        return batch.result


class _Batch:
    """One run's state: what each case became, as it becomes it."""

    def __init__(self, folder, sources, knowledge, fmt, lang, previous, engine, journal):
        self.folder = folder
        self.sources = sources
        self.knowledge = knowledge
        self.fmt = fmt
        self.lang = lang
        self.edition = DEFAULT_EDITION
        self.previous = previous or {}
        self.engine = engine
        self.entries = [None] * len(sources)  # the summary entry of each finished case
        self.failures = [None] * len(sources)
        self.planned = False
        self.result = BatchResult(outdir=str(folder), lang=lang)
        self.journal = journal
        self.unsynced = []  # (index, files) of the memos written since the last sync
        self.group_started = None  # when the first of them was written
        self.group_size = limit("batch_sync_memos")
        self.group_seconds = limit("batch_sync_seconds")
        self.sync_threads = limit("batch_sync_threads")

    def run(self, mapper, resume, progress, on_failure):
        reported = set()
        try:
            todo = self._plan(mapper, resume)
            self._report(on_failure, reported)  # before the progress bar is drawn
            items = [self._work_item(index) for index, _ in todo]
            with progress(len(todo)) if progress else contextlib.nullcontext() as bar:
                outcomes = mapper(_advise_task, items)
                for position, (index, memo) in enumerate(todo):
                    try:
                        outcome = next(outcomes)
                    except WorkerDied:
                        # The workers cannot start: the cases not finished are told
                        # as failed, and the batch ends cleanly.
                        for lost, _ in todo[position:]:
                            self._fail(lost, [NO_WORKERS])
                        break
                    self._finish(index, memo, outcome)
                    if bar is not None:
                        bar.update(1)
        finally:
            try:
                self._write_summary()
            finally:
                self._report(on_failure, reported)

    # -- the first pass: read, name, decide what to do

    def _plan(self, mapper, resume):
        loaded = list(mapper(_load_task, self.sources))
        cases = {}
        for index, (ok, value, digest) in enumerate(loaded):
            if ok:
                cases[index] = (value, digest)
            else:
                self._fail(index, value)
        ours = self._our_files()
        taken = {entry.name for entry in self.folder.iterdir()} - ours
        extension = EXTENSIONS[self.fmt]
        order = sorted(cases)
        names = memo_names(
            [cases[i][0]["organization"]["name"] for i in order],
            extension,
            taken,
            also=tuple(filter(None, [BROWSER_COMPANION.get(self.fmt)])),
        )
        self.cases, self.names = cases, dict(zip(order, names, strict=True))
        # Before any memo is written: every name this run may write is the batch's
        # own from now on, whatever happens to the run.
        beside = [companion(name, self.fmt) for name in names]
        self.journal.plan([*names, *filter(None, beside)], self.fmt, self.lang, self.engine)
        self.planned = True
        todo = []
        for index in order:
            memo = self.names[index]
            earlier = self._up_to_date(index, memo) if resume else None
            if earlier is not None:
                self.entries[index] = earlier
                self.result.skipped += 1
            else:
                todo.append((index, memo))
        self.result.pending = len(todo)
        return todo

    def remove_orphans(self):
        """Remove the temporary files a killed run left (``.NAME.XXXXXXXX.tmp``, for
        NAME a memo or summary of a batch here): with the folder locked, no other
        writer can own one."""
        names = self._our_files() | {SUMMARY_JSON, SUMMARY_HTML}
        for entry in self.folder.iterdir():
            found = _TEMPORARY.fullmatch(entry.name)
            if found and found["name"] in names and not entry.is_symlink() and entry.is_file():
                with contextlib.suppress(OSError):
                    entry.unlink()

    def _our_files(self):
        """The memo files earlier batches wrote or meant to write here (they may be
        written again): those of the summary, with the HTML memos beside them, and those
        of the journal of a run that was killed before it could write one."""
        ours = set(self.journal.planned)
        if self.previous:
            fmt = self.previous.get("memo_format")
            memos = {entry["memo"] for entry in self.previous.get("cases", ())}
            companions = {companion(memo, fmt) for memo in memos} - {None}
            ours |= set(self.previous.get("files", ())) | memos | companions
        return ours

    def _up_to_date(self, index, memo):
        """The earlier summary (or journal) entry of case ``index`` if its memo can be
        kept."""
        source = self.sources[index]
        key = (source.file, source.row)
        earlier = self.journal.finished(key, self.fmt, self.lang, self.engine, self.edition)
        previous = self.previous
        if earlier is None and previous:
            run = tuple(previous.get(f) for f in ("memo_format", "lang", "engine", "edition"))
            if run == (self.fmt, self.lang, self.engine, self.edition):
                earlier = _entries_by_source(previous).get(key)
        if not earlier or earlier.get("memo") != memo:
            return None
        if earlier.get("digest") != self.cases[index][1]:
            return None
        beside = companion(memo, self.fmt)
        try:
            newer = (self.folder / memo).stat().st_mtime_ns >= os.stat(source.file).st_mtime_ns
            if beside:
                (self.folder / beside).stat()
        except OSError:
            return None
        return earlier if newer else None

    # -- the second pass: advise and write

    def _work_item(self, index):
        case, digest = self.cases[index]
        return (case, self.sources[index].to_json(), self.names[index], digest)

    def _finish(self, index, memo, outcome):
        ok, value, entry = outcome
        if not ok:
            self._fail(index, value)
            return
        text, html = value
        beside = companion(memo, self.fmt)
        files = [self.folder / name for name in (beside, memo) if name]
        with _deferred_signals():  # a memo is written and noted, or neither
            try:
                if beside:
                    write_atomically(self.folder / beside, html, force=True, sync=False)
                write_atomically(self.folder / memo, text, force=True, sync=False)
                self.journal.record(entry, self.fmt, self.lang, self.engine, self.edition)
            except OutputError as error:
                self._fail(index, [str(error)])
                return
            self.entries[index] = entry
            self.result.written += 1
            self.result.pending -= 1
            if not self.unsynced:
                self.group_started = time.monotonic()
            self.unsynced.append((index, files))
        if (
            len(self.unsynced) >= self.group_size
            or time.monotonic() - self.group_started >= self.group_seconds
        ):
            self._sync_group()

    def _sync_group(self):
        """Make the memos written since the last sync durable, then the folder's names,
        then record the group in the journal (fsynced): from then on ``resume`` trusts
        them. If the disk fails meanwhile, the group's cases fail, never recorded."""
        if not self.unsynced:
            return
        with _deferred_signals():
            try:
                paths = [path for _, files in self.unsynced for path in files]
                sync_files(paths, threads=self.sync_threads)
                sync_folder(self.folder)
                self.journal.synced()
            except (OSError, OutputError) as error:
                reason = error.strerror if isinstance(error, OSError) else None
                message = (
                    f"{self.folder}: the memo could not be made durable ({reason})"
                    if reason
                    else str(error)
                )
                self.journal.abandon_group()
                for index, _ in self.unsynced:
                    self.entries[index] = None
                    self.result.written -= 1
                    self._fail(index, [message])
            self.unsynced = []
            self.group_started = None

    def _fail(self, index, problems):
        self.failures[index] = failure_entry(self.sources[index].to_json(), problems)
        self.result.failed += 1

    def _report(self, on_failure, reported):
        """Tell ``on_failure`` each failure not told yet, in input order."""
        for index, failure in enumerate(self.failures):
            if failure and index not in reported:
                reported.add(index)
                if on_failure is not None:
                    on_failure(self.sources[index].label, failure["messages"])

    # -- the summary

    def _write_summary(self):
        if not self.planned:
            return  # stopped while reading the cases: the earlier summary stays
        self._sync_group()  # the summary lists only durable memos
        entries = [entry for entry in self.entries if entry]
        memos = {entry["memo"] for entry in entries}
        files = self._our_files() | memos | ({companion(m, self.fmt) for m in memos} - {None})
        files = {name for name in files if (self.folder / name).is_file()}
        summary = build_summary(
            entries,
            [failure for failure in self.failures if failure],
            self.knowledge,
            fmt=self.fmt,
            lang=self.lang,
            edition=self.edition,
            engine=self.engine,
            complete=self.result.pending == 0,
            files=files,
        )
        page = render_page(summary, self.knowledge, self.lang)
        # Both summaries, then the journal's removal, as one step no signal splits:
        # a second Ctrl-C or SIGTERM waits until the page and the data agree. The data
        # first: it is what marks the folder as a batch's own, so a SIGKILL between the
        # two leaves a folder --resume takes up (a page without its data is refused,
        # as someone else's).
        with _deferred_signals():
            write_atomically(self.folder / SUMMARY_JSON, summary_json_text(summary), force=True)
            write_atomically(self.folder / SUMMARY_HTML, page, force=True)
            self.journal.remove()
        self.result.summary = summary

    def interrupted(self, exit_code):
        done = self.result.written + self.result.skipped
        left = f", {self.result.pending} not yet advised" if self.planned else ""
        return BatchInterrupted(
            f"interrupted: {done} memos done{left}; run the same command with --resume to finish",
            exit_code,
        )


def _entries_by_source(summary):
    found = {}
    for entry in summary.get("cases", ()):
        source = entry.get("source") or {}
        found[(source.get("file"), source.get("row"))] = entry
    return found


def _prepare_folder(folder):
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder}: is a file, not a folder; give a folder for the memos")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{folder}: cannot create the folder ({error.strerror})") from None
    return folder


def _previous_summary(folder):
    """The summary an earlier batch left in ``folder``; a ``summary.json`` or
    ``summary.html`` that is not a batch's own is never overwritten."""
    summary = read_summary(folder / SUMMARY_JSON)
    if summary is False:
        raise OutputError(
            f"{folder / SUMMARY_JSON}: exists and is not a perencana batch summary; "
            "move it or choose another folder"
        )
    if summary is None and (folder / SUMMARY_HTML).exists():
        raise OutputError(
            f"{folder / SUMMARY_HTML}: exists without the summary.json of a perencana "
            "batch; move it or choose another folder"
        )
    return summary


def _fingerprint():
    """What the advice depends on besides the case: the knowledge, the rules and the
    templates. A memo written with other ones is not up to date."""
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parents[2]  # the perencana package
    for folder, pattern in FINGERPRINT_GLOBS:
        for path in sorted((root / folder).glob(pattern)):
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _deferred_signals():
    """Ctrl-C, SIGTERM and SIGHUP wait until the block is done, then act as they
    would have. (Blocking them with a signal mask would not do: another thread, one
    syncing memos, would take them for the main thread.)"""
    caught, previous = _note_signals()
    try:
        yield
    finally:
        _restore(previous)
        _act_on(caught, previous)


@contextlib.contextmanager
def _signals_at_safe_points():
    """While the pool runs, Ctrl-C, SIGTERM and SIGHUP are only noted; the block calls
    the ``check`` it is given where stopping is safe, and that acts on them as they
    would have acted (a second one, while the block ends, is not acted on again).

    A handler that raises at any instruction could stop the batch in the middle of
    handing a worker its chunk or of reading its reply; between two replies the pool
    knows exactly which worker holds what. (With the standard library's pool it was
    worse: a raise just after the main thread took one of the pool's locks left its
    manager thread waiting for that lock for ever; a stack dump of a batch hung after
    two SIGTERMs showed it.)"""
    caught, previous = _note_signals()

    def check():
        first = caught[:1]
        caught.clear()
        _act_on(first, previous)

    try:
        yield check
    except BaseException:
        _restore(previous)
        raise
    _restore(previous)
    _act_on(caught, previous)


def _note_signals():
    """Handlers that only note Ctrl-C, SIGTERM and SIGHUP; the signals noted and the
    handlers replaced."""
    caught, previous = [], {}
    for number in STOP_SIGNALS:
        with contextlib.suppress(OSError, ValueError):  # not the main thread
            previous[number] = signal.signal(number, lambda number, frame: caught.append(number))
    return caught, previous


def _restore(previous):
    for number, handler in previous.items():
        signal.signal(number, handler)


def _act_on(caught, previous):
    """Do what the first signal of ``caught`` would have done under ``previous``."""
    if caught:
        handler = previous.get(caught[0])
        if callable(handler):
            handler(caught[0], None)
        elif handler == signal.SIG_DFL:
            signal.raise_signal(caught[0])


# ------------------------------------------------------------------------ workers

_WORKER = {}


def _init_worker(fmt, lang, in_pool=True, edition=DEFAULT_EDITION):
    """Set up a process to advise cases: one ``Advisor``, built once and reused. A
    failure to build it, an unforeseen one too, is kept and told with each case, not
    raised: a worker that died of it would print a traceback and end the batch."""
    _WORKER.update(fmt=fmt, lang=lang, edition=edition)
    _WORKER.pop("error", None)  # an earlier run's, in this process or the one it forked from
    if "advisor" not in _WORKER:
        try:
            from perencana.engine.reasoning.advisor import Advisor

            _WORKER["advisor"] = Advisor()
        except PerencanaError as error:
            _WORKER["error"] = error.messages()
        except Exception as error:  # noqa: BLE001 - told with each case, as a case's own bug is
            _WORKER["error"] = [f"internal error while setting up: {type(error).__name__}: {error}"]
    if in_pool:
        # What a pool's process holds from here on it holds for good (the advisor, the
        # knowledge, the modules): kept out of the collector's passes, which the many
        # short-lived dicts of each memo set off again and again (some 0.6 ms of an
        # HTML memo). Not in the caller's own process, whose objects are its own.
        gc.collect()
        gc.freeze()


def _load_task(source):
    """``(True, case, digest)`` for a source that is a valid case, else
    ``(False, problems, None)``."""
    try:
        case = load_source(source)
    except CaseError as error:
        return False, error.problems, None
    return True, case, case_digest(case)


def _advise_task(item):
    """``(True, (memo text, HTML memo or None), summary entry)`` for a case, or
    ``(False, problems, None)``; the HTML memo only where the format has a companion."""
    from perencana.engine.memo.render import render_advice, render_advice_as

    case, source, memo, digest = item
    if "error" in _WORKER:
        return False, _WORKER["error"], None
    try:
        advice = _WORKER["advisor"].advise(case)
        edition, fmt, lang = _WORKER["edition"], _WORKER["fmt"], _WORKER["lang"]
        html = None
        if fmt in BROWSER_COMPANION:
            # One memo view for the memo and its HTML twin.
            text, html = render_advice_as(advice, (fmt, "html"), lang, edition=edition)
        else:
            text = render_advice(advice, fmt, lang, edition=edition)
    except PerencanaError as error:
        return False, error.messages(), None
    except Exception as error:  # noqa: BLE001 - one case's bug must not stop the batch
        return False, [f"internal error while advising: {type(error).__name__}: {error}"], None
    return True, (text, html), case_entry(source, advice, memo, digest)


def _lost(item):
    """The outcome of a case whose process died twice while it held it alone."""
    return False, [DEAD_WORKER], None


@contextlib.contextmanager
def _workers(jobs, fmt, lang, size, edition=DEFAULT_EDITION):
    """A function ``mapper(task, items)`` that gives the results in input order: in
    this process with one job, on a pool of ``jobs`` processes otherwise. There a
    signal stops the wait for them within ``batch_stop_ms``; a worker that dies is
    replaced and its cases tried again one by one, and a case whose process dies
    again fails alone."""
    if jobs <= 1 or size <= 1:
        _init_worker(fmt, lang, in_pool=False, edition=edition)
        yield lambda task, items: map(task, items)
        return
    every = limit("batch_stop_ms") / 1000
    with (
        _signals_at_safe_points() as check,
        Pool(jobs, _init_worker, (fmt, lang, True, edition)) as pool,
    ):
        yield lambda task, items: pool.map(task, items, check, every, lost=_lost)
