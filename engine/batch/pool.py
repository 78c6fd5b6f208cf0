"""The batch's worker processes: each with a pipe of its own, nothing shared.

``concurrent.futures.ProcessPoolExecutor`` (like ``multiprocessing.Pool``) sends every
worker's results through one shared pipe guarded by a lock the workers share. A
worker killed (``kill -9``, the out-of-memory killer) while it held that lock, or in
the middle of writing a large result, left the pool's reader waiting for the rest of
a message that would never come, and the other workers waiting for the lock: the
batch hung for ever (3 runs in 150 of a test that kills a worker at a random
moment). Here each worker has its own pipe, which only it and the batch hold: a
worker that dies closes its end, and the batch reads the end of the pipe at once,
whatever the worker was doing. No lock is shared, so no other worker waits for it.

A worker is given one chunk of items at a time and sends back one message with their
results; the batch gives it the next chunk as soon as the message is read. The
results come out in input order.

A worker that dies is replaced, and the items it held are tried again one by one: a
worker killed from outside loses nothing, and a case that kills its worker (out of
memory, say) is found and given up alone, as ``lost(item)``, while the others are
worked out.
"""

import contextlib
import multiprocessing
import os
import signal
import sys
from collections import deque
from multiprocessing.connection import wait

# The signals a terminal or a service manager sends to the whole process group: a
# worker ignores them, and the batch, which gets them too, stops its workers.
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)
MAX_CHUNK = 16
CHUNKS_PER_WORKER = 8
# Chunks done ahead of the one awaited, per worker, before the workers are kept
# waiting: bounds the memory a batch holds behind one slow case.
AHEAD_PER_WORKER = 4


class WorkerDied(Exception):
    """Raised when a worker process ended (killed, or out of memory) before it sent
    back the results of the items it held, and they cannot be tried again: no
    ``lost`` was given, or the workers keep ending before they are even set up."""


class Pool:
    """``jobs`` worker processes, each set up once by ``initializer(*initargs)``.

    Used as a context manager: on leaving, workers with nothing to do are asked to
    end and are waited for; if any still holds items (the caller stopped early,
    Ctrl-C), all are killed, which loses nothing: they write no file.
    """

    def __init__(self, jobs, initializer, initargs=(), start_method=None):
        # fork on Linux (the workers start at once, sharing what this process has
        # loaded); spawn elsewhere, where fork is unsafe or missing.
        self.context = multiprocessing.get_context(
            start_method or ("fork" if sys.platform.startswith("linux") else "spawn")
        )
        self.initializer, self.initargs = initializer, initargs
        self.workers = []
        self.busy = {}  # worker -> the _Unit it holds
        self.unready_deaths = 0  # workers that died before they were set up
        try:
            for _ in range(jobs):
                self.workers.append(self._start())
        except BaseException:
            self.kill()
            raise

    def _start(self):
        ours, theirs = self.context.Pipe()
        process = self.context.Process(
            target=_serve, args=(theirs, self.initializer, self.initargs, os.getpid())
        )
        process.start()
        # Only the worker holds its end from now on: when it dies, reading ours ends
        # at once (a worker started later does not inherit it).
        theirs.close()
        return _Worker(process, ours)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.busy or exc_info[0] is not None:
            self.kill()
        else:
            self.close()

    def map(self, task, items, check=lambda: None, every=0.2, lost=None):
        """The results of ``task`` on each of ``items``, in order, worked out on the
        workers in chunks. ``check()`` is called at least every ``every`` seconds
        while the results are awaited, at points where stopping is safe. An item
        whose worker died when it held that item alone is given as ``lost(item)``;
        without ``lost``, a worker's death raises ``WorkerDied``. The exception a
        task raised is raised at its result."""
        if self.busy:
            raise RuntimeError("the pool is still working out an earlier map")
        items = list(items)
        size = max(1, min(MAX_CHUNK, len(items) // (len(self.workers) * CHUNKS_PER_WORKER)))
        run = _Run(task, lost, AHEAD_PER_WORKER * len(self.workers) * size)
        run.units.extend(
            _Unit(start, items[start : start + size]) for start in range(0, len(items), size)
        )
        for index in range(len(items)):
            run.awaited = index
            self._give_idle(run)
            while index not in run.done:
                self._receive(run, every)
                check()
            result = run.done.pop(index)
            if isinstance(result, _Raised):
                raise result.error
            yield result

    def _give_idle(self, run):
        """The next units to the workers that hold none, unless enough are done ahead
        of the one awaited (which is always given: the units wait in input order)."""
        for position, worker in enumerate(self.workers):
            while (
                worker not in self.busy
                and run.units
                and (len(run.done) < run.ahead or run.units[0].start <= run.awaited)
            ):
                unit = run.units.popleft()
                self.busy[worker] = unit
                try:
                    worker.connection.send((run.task, unit.items))
                except OSError:  # it died while it waited: the unit was not its fault
                    del self.busy[worker]
                    run.units.appendleft(unit)
                    worker = self._replace(position, worker)

    def _receive(self, run, every):
        by_connection = {worker.connection: worker for worker in self.busy}
        for connection in wait(list(by_connection), timeout=every):
            worker = by_connection[connection]
            unit = self.busy[worker]
            try:
                reply = connection.recv()
            except (EOFError, OSError):
                del self.busy[worker]
                self._lose(run, unit)
                self._replace(self.workers.index(worker), worker)
                continue
            if reply == _READY:
                worker.ready = True
                continue
            del self.busy[worker]
            results, error = reply
            run.done.update(enumerate(results, unit.start))
            if error is not None:
                run.done[unit.start + len(results)] = _Raised(error)
        self._give_idle(run)

    def _lose(self, run, unit):
        """The items of ``unit``, whose worker died: tried again one by one, or, for
        an item already tried alone, given up as ``lost(item)``."""
        if run.lost is None:
            raise WorkerDied("a worker process ended before it sent its results")
        if unit.alone:
            run.done[unit.start] = run.lost(unit.items[0])
            return
        alone = [_Unit(unit.start + n, [item], alone=True) for n, item in enumerate(unit.items)]
        run.units.extendleft(reversed(alone))

    def _replace(self, position, dead):
        """A new worker in the place of ``dead``; ``WorkerDied`` if workers keep
        ending before they are set up (they could not start at all)."""
        dead.process.join(timeout=1)
        dead.connection.close()
        if not dead.ready:
            self.unready_deaths += 1
            if self.unready_deaths > len(self.workers):
                raise WorkerDied("the worker processes end as they start")
        self.workers[position] = worker = self._start()
        return worker

    def close(self):
        """Ask every worker to end, and wait for it."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
        for worker in self.workers:
            worker.process.join()
            worker.connection.close()
        self.workers = []

    def kill(self):
        """End every worker at once, and wait for it to be gone."""
        for worker in self.workers:
            with contextlib.suppress(OSError):
                worker.process.kill()
        for worker in self.workers:
            worker.process.join()
            worker.connection.close()
        self.workers = []
        self.busy = {}


class _Worker:
    __slots__ = ("process", "connection", "ready")

    def __init__(self, process, connection):
        self.process = process
        self.connection = connection
        self.ready = False  # set up: its initializer returned


class _Unit:
    """Items handed to one worker at once: ``items[start:...]`` of the map; ``alone``
    for an item tried again by itself after its worker died."""

    __slots__ = ("start", "items", "alone")

    def __init__(self, start, items, alone=False):
        self.start, self.items, self.alone = start, items, alone


class _Run:
    """One map's state: the units not yet handed out, the results not yet given."""

    __slots__ = ("task", "lost", "ahead", "units", "done", "awaited")

    def __init__(self, task, lost, ahead):
        self.task, self.lost, self.ahead = task, lost, ahead
        self.units = deque()  # in input order: an item tried again goes first
        self.awaited = 0  # the index of the next result to give
        self.done = {}  # item index -> result


class _Raised:
    __slots__ = ("error",)

    def __init__(self, error):
        self.error = error


_READY = "ready"  # a worker's first message: set up


def _serve(connection, initializer, initargs, parent):
    """A worker's life: set up, then run each chunk it is given and send back the
    results (or the exception a task raised), until told to end or its pipe closes.

    Ctrl-C, SIGTERM and SIGHUP are ignored: the batch stops its workers itself (a
    terminal, or a service manager, signals the whole process group)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    _end_with_parent(parent)
    initializer(*initargs)
    connection.send(_READY)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        task, chunk = request
        results, error = [], None
        try:
            for item in chunk:
                results.append(task(item))
        except Exception as failure:  # noqa: BLE001 - raised again in the batch, at its result
            error = failure
        try:
            connection.send((results, error))  # pickled whole before a byte is sent
        except OSError:
            return
        except Exception as failure:  # noqa: BLE001 - a result or an exception not picklable
            connection.send(([], RuntimeError(f"{type(failure).__name__}: {failure}")))


def _end_with_parent(parent):
    """On Linux, have this process killed when the batch's process ends (SIGKILL, say):
    it would otherwise finish the chunk it holds for nobody. It writes no file, so
    nothing is lost."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    set_parent_death_signal = 1  # PR_SET_PDEATHSIG, from <linux/prctl.h>
    try:
        ctypes.CDLL(None, use_errno=True).prctl(set_parent_death_signal, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it ended before the request was made
        os._exit(1)
