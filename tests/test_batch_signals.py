"""While a batch's pool runs, Ctrl-C and SIGTERM act only where the batch checks for
them: a handler raising at any instruction once left a lock of the pool taken for
ever, and the batch hung at exit (engine/batch/run.py, ``_signals_at_safe_points``)."""

import signal

import pytest

from perencana.engine.batch.run import _signals_at_safe_points


def _raise_exit(number, frame):
    raise SystemExit(128 + number)


@pytest.fixture
def sigterm_raises():
    previous = signal.signal(signal.SIGTERM, _raise_exit)
    yield
    signal.signal(signal.SIGTERM, previous)


def test_a_signal_waits_for_the_check_then_acts_as_it_would_have(sigterm_raises):
    reached = []
    with pytest.raises(SystemExit) as stopped, _signals_at_safe_points() as check:
        signal.raise_signal(signal.SIGTERM)
        reached.append("after the signal")  # not stopped in the middle
        check()
        reached.append("after the check")
    assert reached == ["after the signal"]
    assert stopped.value.code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is _raise_exit  # put back


def test_a_signal_no_check_saw_acts_when_the_block_ends(sigterm_raises):
    with pytest.raises(SystemExit) as stopped, _signals_at_safe_points():
        signal.raise_signal(signal.SIGTERM)
    assert stopped.value.code == 128 + signal.SIGTERM


def test_a_second_signal_while_stopping_is_not_acted_on_again(sigterm_raises):
    with pytest.raises(KeyboardInterrupt), _signals_at_safe_points() as check:
        signal.raise_signal(signal.SIGINT)
        try:
            check()
        finally:  # the batch's cleanup, during which SIGTERM comes
            signal.raise_signal(signal.SIGTERM)
    assert signal.getsignal(signal.SIGTERM) is _raise_exit


def test_without_a_signal_the_block_runs_through(sigterm_raises):
    with _signals_at_safe_points() as check:
        check()
    assert signal.getsignal(signal.SIGTERM) is _raise_exit
