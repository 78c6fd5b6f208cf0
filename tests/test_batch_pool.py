"""The batch's worker processes (engine/batch/pool.py): results in input order, a
task's error raised at its result, and a worker killed at any moment, even in the
middle of sending a large result, ends the wait instead of hanging it."""

import multiprocessing
import os
import signal
import sys
import time
from pathlib import Path

import pytest

from perencana.engine.batch.pool import AHEAD_PER_WORKER, Pool, WorkerDied

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the tasks here are found by fork"
)
BIG = 32 * 1024 * 1024  # far more than a pipe holds: the worker waits to send the rest


def _nothing():
    pass


def _square(number):
    return number * number


def _fails_on_seven(number):
    if number == 7:
        raise ValueError("seven is not allowed")
    return number


def _big_after_marker(item):
    kind, marker = item
    if kind == "small":
        return b"small"
    Path(marker).write_text(str(os.getpid()))
    return b"x" * BIG


def _slow_first(item):
    """Item 0 waits, then tells how many items were worked out meanwhile."""
    number, log = item
    if number == 0:
        time.sleep(1.5)
        return len(Path(log).read_text().split())
    with open(log, "a") as file:
        file.write(f"{number}\n")
    return number


def _dies_on_five(number):
    if number == 5:
        os._exit(9)
    return number


def _exits_at_once():
    os._exit(3)


def _unpicklable(number):
    return lambda: number


def _kill_while_it_sends(marker):
    """Kill the worker working out the big item once it is sending its result,
    which the pipe cannot hold while nobody reads it; its process id."""
    deadline = time.monotonic() + 60
    while not (marker.exists() and marker.read_text()):
        assert time.monotonic() < deadline
        time.sleep(0.01)
    time.sleep(0.3)  # the result is made at once; from then on it is being sent
    pid = int(marker.read_text())
    os.kill(pid, signal.SIGKILL)
    return pid


def test_results_come_in_input_order_whatever_worker_made_them():
    with Pool(2, _nothing) as pool:
        assert list(pool.map(_square, range(500))) == [n * n for n in range(500)]
        # The same workers serve a second map.
        assert list(pool.map(_square, [3, 4])) == [9, 16]
    assert multiprocessing.active_children() == []


def test_workers_wait_rather_than_pile_up_results_behind_a_slow_case(tmp_path):
    # The results come out in order: behind one slow case the others are held,
    # and the memory they take is bounded.
    log = tmp_path / "done"
    log.touch()
    with Pool(2, _nothing) as pool:
        results = list(pool.map(_slow_first, [(n, str(log)) for n in range(400)]))
    chunk = 16  # 400 items on 2 workers
    assert results[1:] == list(range(1, 400))
    assert results[0] <= AHEAD_PER_WORKER * 2 * chunk < 399


def test_a_tasks_error_is_raised_at_its_result_and_the_workers_are_ended():
    seen = []
    with pytest.raises(ValueError, match="seven"), Pool(2, _nothing) as pool:
        for value in pool.map(_fails_on_seven, range(20)):
            seen.append(value)
    assert seen == list(range(7))
    assert multiprocessing.active_children() == []


def test_a_result_that_cannot_be_sent_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError), Pool(2, _nothing) as pool:
        list(pool.map(_unpicklable, range(4)))
    assert multiprocessing.active_children() == []


def test_a_worker_killed_while_sending_a_large_result_ends_the_wait(tmp_path):
    # With one pipe and one lock shared by every worker (the standard library's
    # pools), this left the reader waiting for the rest of the message for ever.
    marker = tmp_path / "sending"
    items = [("small", str(marker)), ("big", str(marker))]
    with pytest.raises(WorkerDied), Pool(2, _nothing) as pool:
        results = pool.map(_big_after_marker, items, every=0.05)
        assert next(results) == b"small"
        _kill_while_it_sends(marker)
        next(results)
    assert multiprocessing.active_children() == []


def test_a_stop_asked_while_waiting_ends_every_worker_at_once():
    def check():
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), Pool(2, _nothing) as pool:
        list(pool.map(time.sleep, [5.0] * 4, check, every=0.05))
    assert time.monotonic() - started < 4
    assert multiprocessing.active_children() == []


def test_the_workers_ignore_a_signal_to_the_whole_group():
    # A terminal's Ctrl-C or a service manager's SIGTERM reaches the workers too:
    # they leave it to the batch, which stops them itself.
    with Pool(2, _nothing) as pool:
        assert list(pool.map(_square, range(10))) == [n * n for n in range(10)]  # serving
        for worker in pool.workers:
            os.kill(worker.process.pid, signal.SIGTERM)
            os.kill(worker.process.pid, signal.SIGINT)
        assert list(pool.map(_square, range(10))) == [n * n for n in range(10)]


def test_a_worker_killed_while_sending_is_replaced_and_nothing_is_lost(tmp_path):
    marker = tmp_path / "sending"
    items = [("small", str(marker)), ("big", str(marker))]
    with Pool(2, _nothing) as pool:
        results = pool.map(_big_after_marker, items, every=0.05, lost=lambda item: None)
        assert next(results) == b"small"
        killed = _kill_while_it_sends(marker)
        assert next(results) == b"x" * BIG  # worked out again, on a new worker
        assert killed not in [worker.process.pid for worker in pool.workers]
        assert list(pool.map(_square, range(5))) == [0, 1, 4, 9, 16]
    assert multiprocessing.active_children() == []


def test_an_item_that_kills_every_worker_it_is_given_to_is_lost_alone():
    with Pool(2, _nothing) as pool:
        results = list(pool.map(_dies_on_five, range(40), lost=lambda item: ("lost", item)))
    assert results == [*range(5), ("lost", 5), *range(6, 40)]
    assert multiprocessing.active_children() == []


def test_workers_that_end_as_they_start_end_the_map_instead_of_restarting_for_ever():
    with pytest.raises(WorkerDied), Pool(2, _exits_at_once) as pool:
        list(pool.map(_square, range(40), lost=lambda item: None))
    assert multiprocessing.active_children() == []


def test_workers_started_by_spawn_work_the_same_and_a_killed_one_is_replaced(tmp_path):
    # macOS and Windows start the workers by spawn: a fresh interpreter that finds
    # the task by its module's name, and is given its end of the pipe.
    marker = tmp_path / "sending"
    items = [("small", str(marker)), ("big", str(marker))]
    with Pool(2, _nothing, start_method="spawn") as pool:
        assert list(pool.map(_square, range(50))) == [n * n for n in range(50)]
        results = pool.map(_big_after_marker, items, every=0.05, lost=lambda item: None)
        assert next(results) == b"small"
        _kill_while_it_sends(marker)
        assert next(results) == b"x" * BIG
    assert multiprocessing.active_children() == []
