"""Resident memory over many cases advised by one ``Advisor``, in a fresh process.

    .venv/bin/python bench/memory.py [CASES] [WARMUP]

Advises the example cases round robin, CASES in all (10,000 by default), and prints
one JSON object: the resident memory (VmRSS) after start-up, after WARMUP cases
(500 by default), every tenth of the way and at the end, and the growth after the
warm-up. Run by ``bench/run.py``; a leak shows as growth that keeps climbing.
"""

import gc
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import example_cases, rss_bytes  # noqa: E402


def measure(total, warmup):
    from perencana.engine.reasoning.advisor import Advisor

    cases = example_cases()
    advisor = Advisor()
    start_rss = rss_bytes()
    samples = []
    step = max(1, total // 10)
    started = time.perf_counter()
    warm_rss = None
    for number in range(1, total + 1):
        advisor.advise(cases[number % len(cases)])
        if number == warmup:
            gc.collect()
            warm_rss = rss_bytes()
        if number % step == 0 or number == total:
            gc.collect()
            samples.append((number, rss_bytes()))
    if warm_rss is None:
        warm_rss = samples[0][1]
    end_rss = samples[-1][1]
    return {
        "cases": total,
        "warmup": warmup,
        "seconds": time.perf_counter() - started,
        "rss_start": start_rss,
        "rss_after_warmup": warm_rss,
        "rss_end": end_rss,
        "rss_peak_after_warmup": max(rss for number, rss in samples if number >= warmup)
        if any(number >= warmup for number, _ in samples)
        else end_rss,
        "growth_after_warmup": end_rss - warm_rss,
        "samples": samples,
    }


def main(argv):
    total = int(argv[1]) if len(argv) > 1 else 10_000
    warmup = int(argv[2]) if len(argv) > 2 else min(500, max(1, total // 10))
    print(json.dumps(measure(total, warmup)))


if __name__ == "__main__":
    main(sys.argv)
