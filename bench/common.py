"""Shared pieces of the benchmarks: timing, resident memory, the cases they run.

Only the standard library and perencana itself: ``time.perf_counter`` for time,
``/proc/self/status`` (or ``resource`` where there is no /proc) for memory,
``subprocess`` for whole processes.
"""

import copy
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PYTHON = sys.executable
PERENCANA = str(Path(PYTHON).with_name("perencana"))
# The import floor: what any perencana command must import before it does anything.
# The shim is needed for experta to import at all on Python 3.10+.
IMPORT_FLOOR = (
    "import collections, collections.abc; collections.Mapping = collections.abc.Mapping; "
    "import experta, jinja2, click, yaml"
)


def wall_times(commands, runs, warmup=2, cwd=ROOT):
    """Wall-clock seconds of ``runs`` runs of each of ``commands`` (a whole process
    each), after ``warmup`` runs that fill the file cache; output is discarded.

    The commands take turns, run after run, so that a machine getting busier or
    quieter meanwhile weighs on each of them alike: the figures are compared."""
    times = [[] for _ in commands]
    for number in range(warmup + runs):
        for command, taken in zip(commands, times, strict=True):
            start = time.perf_counter()
            subprocess.run(
                command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if number >= warmup:
                taken.append(time.perf_counter() - start)
    return times


def per_call(function, argument, min_seconds=0.5, min_runs=3):
    """Seconds per call of ``function(argument)``: the median of at least ``min_runs``
    calls, and of as many as fit in ``min_seconds``."""
    times = []
    started = time.perf_counter()
    while len(times) < min_runs or time.perf_counter() - started < min_seconds:
        start = time.perf_counter()
        function(argument)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def children_cpu_seconds():
    """User and system CPU seconds of this process's finished children (and theirs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rss_bytes():
    """The resident memory of this process now (its peak where there is no /proc)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def example_cases():
    """The normalized example cases, in name order."""
    from perencana.engine.api import read_case

    return [read_case(str(path)) for path in EXAMPLES]


def sized_case(size, unknown_items=False):
    """The old government office with ``size`` stakeholders and ``size`` programs,
    every answer of theirs given (so only the case's own unknowns are tried), or with
    ``unknown_items`` each stakeholder's impact and each program's viability unknown."""
    from perencana.engine.api import read_case
    from perencana.engine.case.validation import normalize_case

    case = copy.deepcopy(read_case(str(ROOT / "examples" / "old-government-office.yaml")))
    impacts = ("negative", "neutral", "positive")
    levels = ("low", "adequate", "high")
    case["stakeholders"] = [
        {
            "name": f"group {i}",
            "directly_affected": i % 2 == 0,
            "impact": "unknown" if unknown_items else impacts[i % 3],
        }
        for i in range(size)
    ]
    case["programs"] = [
        {
            "name": f"program {i}",
            "viable": "unknown" if unknown_items else i % 4 != 0,
            "effectiveness": levels[i % 3],
            "efficiency": levels[(i // 3) % 3],
        }
        for i in range(size)
    ]
    return normalize_case(case)


def ms(seconds):
    return f"{seconds * 1000:.1f} ms"


def cpu_count():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
