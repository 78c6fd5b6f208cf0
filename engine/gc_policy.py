"""Python's garbage collector, tuned for a command that runs once and ends.

A command's objects (the libraries' modules, the knowledge, the engine's network)
nearly all live until it ends. At Python's default thresholds the cyclic collector
still goes over them some twenty times during a one-case command (about 5 ms of the
125 it takes); a young generation of ``ONE_COMMAND_THRESHOLD`` objects lets such a
command end before the first pass (an HTML memo of the richest example keeps some
47,000 to 50,000 new objects, by Python version: the first figure tried, 50,000, was
passed on Python 3.10), while a run that makes more garbage is still collected.
The long-running commands (batch, interview) put Python's default back. As the
program ends, what it made is frozen, so that Python's shutdown does not go
over it all again (about a fifth of a one-case command's time).

Only ``cli`` calls these: a library caller's process keeps its own collection.
"""

import gc

ONE_COMMAND_THRESHOLD = 100_000
DEFAULT_THRESHOLDS = gc.get_threshold()


def for_one_command():
    """Collect the young generation only past ``ONE_COMMAND_THRESHOLD`` objects; call
    before the libraries are imported."""
    gc.set_threshold(max(ONE_COMMAND_THRESHOLD, DEFAULT_THRESHOLDS[0]), *DEFAULT_THRESHOLDS[1:])


def for_long_running():
    """Python's default collection, for a command that makes garbage as it goes."""
    gc.set_threshold(*DEFAULT_THRESHOLDS)


def freeze_for_exit():
    """Leave what the program made out of the shutdown's collection. Nothing else of
    the shutdown changes: output is flushed, files closed, exit handlers run."""
    gc.freeze()
