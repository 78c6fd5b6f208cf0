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
    back the results of the items it held."""


class Pool:
    """``jobs`` worker processes, each set up once by ``initializer(*initargs)``.

    Used as a context manager: on leaving, workers with nothing to do are asked to
    end and are waited for; if any still holds items (the caller stopped early, a
    worker died, Ctrl-C), all are killed, which loses nothing: they write no file.
    """

    def __init__(self, jobs, initializer, initargs=()):
        context = multiprocessing.get_context(
            "fork" if sys.platform.startswith("linux") else "spawn"
        )
        self.workers = []
        self.busy = {}  # worker -> the number of the chunk it holds
        self.broken = False
        try:
            for _ in range(jobs):
                ours, theirs = context.Pipe()
                process = context.Process(
                    target=_serve, args=(theirs, initializer, initargs, os.getpid())
                )
                process.start()
                # Only the worker holds its end from now on: when it dies, reading
                # ours ends at once (a worker started later does not inherit it).
                theirs.close()
                self.workers.append(_Worker(process, ours))
        except BaseException:
            self.kill()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        if self.busy or self.broken or exc_info[0] is not None:
            self.kill()
        else:
            self.close()

    def map(self, task, items, check=lambda: None, every=0.2):
        """The results of ``task`` on each of ``items``, in order, worked out on the
        workers in chunks. ``check()`` is called at least every ``every`` seconds
        while the results are awaited, at points where stopping is safe. Raises
        ``WorkerDied`` at the first result a dead worker keeps from coming, and the
        exception a task raised at its result."""
        if self.busy:
            raise RuntimeError("the pool is still working out an earlier map")
        items = list(items)
        size = max(1, min(MAX_CHUNK, len(items) // (len(self.workers) * CHUNKS_PER_WORKER)))
        pending = deque(
            (number, items[start : start + size])
            for number, start in enumerate(range(0, len(items), size))
        )
        total = len(pending)
        done = {}
        for number in range(total):
            self._give_idle(task, pending, done)
            while number not in done:
                self._receive(task, pending, done, every)
                check()
            ok, value = done.pop(number)
            if not ok:
                raise value
            yield from value

    def _give_idle(self, task, pending, done):
        """The next chunks to the workers that hold none, unless enough are done
        ahead of the one awaited."""
        for worker in self.workers:
            if worker not in self.busy:
                self._give(worker, task, pending, done)

    def _give(self, worker, task, pending, done):
        if not pending or len(done) >= AHEAD_PER_WORKER * len(self.workers):
            return
        number, chunk = pending.popleft()
        self.busy[worker] = number
        try:
            worker.connection.send((task, chunk))
        except OSError:
            raise self._died(worker) from None

    def _receive(self, task, pending, done, every):
        by_connection = {worker.connection: worker for worker in self.busy}
        for connection in wait(list(by_connection), timeout=every):
            worker = by_connection[connection]
            try:
                reply = connection.recv()
            except (EOFError, OSError):
                raise self._died(worker) from None
            done[self.busy.pop(worker)] = reply
            self._give(worker, task, pending, done)

    def _died(self, worker):
        self.broken = True
        worker.process.join(timeout=1)
        return WorkerDied(f"worker process {worker.process.pid} ended ({worker.process.exitcode})")

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
    __slots__ = ("process", "connection")

    def __init__(self, process, connection):
        self.process = process
        self.connection = connection


def _serve(connection, initializer, initargs, parent):
    """A worker's life: set up, then run each chunk it is given and send back the
    results (or the exception a task raised), until told to end or its pipe closes.

    Ctrl-C, SIGTERM and SIGHUP are ignored: the batch stops its workers itself (a
    terminal, or a service manager, signals the whole process group)."""
    for number in STOP_SIGNALS:
        signal.signal(number, signal.SIG_IGN)
    _end_with_parent(parent)
    initializer(*initargs)
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request is None:
            return
        task, chunk = request
        try:
            reply = (True, [task(item) for item in chunk])
        except Exception as error:  # noqa: BLE001 - raised again in the batch, at its result
            reply = (False, error)
        try:
            connection.send(reply)  # pickled whole before a byte is sent
        except OSError:
            return
        except Exception as error:  # noqa: BLE001 - a result or an exception not picklable
            connection.send((False, RuntimeError(f"{type(error).__name__}: {error}")))


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
