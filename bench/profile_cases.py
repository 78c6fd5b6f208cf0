"""Where the time of advising goes: cProfile over 200 cases with one reused Advisor.

    .venv/bin/python bench/profile_cases.py [CASES] [--infer] [--sort tottime]

Advises the example cases round robin (CASES, 200 by default; ``--infer`` runs the
rules only, without trying the unknown answers) and prints the functions that take
the most time, by ``--sort`` (``cumulative`` by default, or ``tottime``).
"""

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import example_cases  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("cases", nargs="?", type=int, default=200)
    parser.add_argument("--infer", action="store_true", help="profile infer, not advise")
    parser.add_argument("--sort", default="cumulative", choices=("cumulative", "tottime"))
    parser.add_argument("--top", type=int, default=35)
    options = parser.parse_args(argv)
    from perencana.engine.reasoning.advisor import Advisor

    advisor = Advisor()
    cases = example_cases()
    run = advisor.infer if options.infer else advisor.advise
    for case in cases:  # warm-up, outside the profile
        run(case)
    profile = cProfile.Profile()
    profile.enable()
    for number in range(options.cases):
        run(cases[number % len(cases)])
    profile.disable()
    stats = pstats.Stats(profile)
    stats.strip_dirs().sort_stats(options.sort).print_stats(options.top)


if __name__ == "__main__":
    main()
