"""perencana's speed and memory figures, each printed beside what it is compared with.

    .venv/bin/python bench/run.py            # or: make bench
    .venv/bin/python bench/run.py --only a,b --cases 400 --runs 21

(a) start-up: one case through the CLI (``perencana advise ... --format json``, the
    whole process, median of --runs runs) against the import floor (a bare Python
    importing experta, jinja2, click and yaml), the two run in turns; target at
    most 1.3 times the floor.
    perencana's modules are byte-compiled first, as pip does when it installs them.
(b) throughput: ``perencana batch`` on --jobs processes, --cases cases (the examples
    repeated, JSON memos, to a temporary folder), the median of --batch-runs runs, with
    the CPU time it took per case; target 600 cases/s, reference about 490 cases/s
    for a synthetic 49-rule engine. Also the time per case in one process
    with one reused Advisor (``advise`` and ``infer``), reference 3.9 ms.
(c) scaling: the time per case with 2, 10, 50, 200 and 400 stakeholders and programs,
    and the log-log slope between 50 and 400; target at most 1.1 (linear). Also shown:
    the same with every item's answer left unknown, so that each is tried.
(d) memory: resident memory over --memory-cases cases with one Advisor, in a fresh
    process; target: less than 5 MiB of growth after the warm-up.
(e) issue 16's figures, each beside its goal with MET or NOT MET (``bench/figures.py``):
    CPU time, not wall time, each a ratio to a reference measured in the same run and
    the commands compared run in turns: start-up in json, md and html against the
    import floor; the batch (--cases varied generated cases, --jobs processes) against
    the engine floor (a bare experta engine declaring the same facts, no rules), md
    and html against json; the engine floor against the language floor (the 10
    most-fired rules' conditions in plain Python); the phases of a case; and the
    interview's time from an answer to the next question.
The default is e, c and d; a and b (wall time) on request. ``--only e-startup`` runs
only (e)'s start-up figures (json, md and html against the import floor), in about a
tenth of the time of the whole of (e).

These are benchmarks, not tests: the figures depend on the machine and on what else
runs on it. Run them on a quiet machine and compare runs made on the same one.
"""

import argparse
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    EXAMPLES,
    IMPORT_FLOOR,
    PERENCANA,
    PYTHON,
    ROOT,
    children_cpu_seconds,
    cpu_count,
    example_cases,
    ms,
    per_call,
    sized_case,
    wall_times,
)

SIZES = (2, 10, 50, 200, 400)
MIB = 1024 * 1024


def verdict(ok):
    return "met" if ok else "NOT MET"


def row(figure, measured, reference, target):
    print(
        f"  {figure}\n      measured:  {measured}\n      reference: {reference}\n"
        f"      target:    {target}"
    )


def startup(runs):
    # pip compiles an installed package's modules as it installs it; an editable
    # install under PYTHONDONTWRITEBYTECODE=1 would compile them again on every run.
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", "engine", "rules", "knowledge", "cli.py"],
        cwd=ROOT,
        check=True,
    )
    advise, floor = wall_times(
        [
            [PERENCANA, "advise", "examples/old-government-office.yaml", "--format", "json"],
            [PYTHON, "-c", IMPORT_FLOOR],
        ],
        runs,
    )
    ratio = statistics.median(advise) / statistics.median(floor)
    print("(a) start-up: one case through the CLI")
    row(
        f"perencana advise examples/old-government-office.yaml --format json ({runs} runs)",
        f"median {ms(statistics.median(advise))} (min {ms(min(advise))}, max {ms(max(advise))})",
        f"import floor median {ms(statistics.median(floor))} (min {ms(min(floor))})",
        f"<= 1.30x the floor: {ratio:.2f}x, {verdict(ratio <= 1.3)}",
    )
    return {
        "advise_median": statistics.median(advise),
        "floor_median": statistics.median(floor),
        "ratio": ratio,
    }


def throughput(cases, jobs, runs):
    print(
        f"(b) throughput: perencana batch, {cases} cases, --jobs {jobs} "
        f"({cpu_count()} CPUs available), {runs} runs"
    )
    folder = Path(tempfile.mkdtemp(prefix="perencana-bench-"))
    seconds, cpu = [], []
    try:
        inputs = folder / "in"
        inputs.mkdir()
        texts = [path.read_text(encoding="utf-8") for path in EXAMPLES]
        for number in range(cases):
            (inputs / f"case-{number:05d}.yaml").write_text(texts[number % len(texts)])
        for run in range(runs):
            command = [
                PERENCANA,
                "batch",
                str(inputs),
                "-o",
                str(folder / f"out-{run}"),
                "--format",
                "json",
                "--jobs",
                str(jobs),
            ]
            before = children_cpu_seconds()
            start = time.perf_counter()
            done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            seconds.append(time.perf_counter() - start)
            cpu.append(children_cpu_seconds() - before)
            if done.returncode != 0:
                raise SystemExit(f"perencana batch failed: {done.stderr}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    middle = statistics.median(seconds)
    rate = cases / middle
    row(
        "cases per second, whole command (start-up, reading, advising, writing, summary)",
        f"{rate:.0f} cases/s (median {middle:.2f} s for {cases} cases; runs "
        + ", ".join(f"{cases / taken:.0f}" for taken in seconds)
        + f" cases/s); CPU, the command and its workers: "
        f"{ms(statistics.median(cpu) / cases)} per case",
        "about 490 cases/s for a synthetic 49-rule engine; "
        f"600 cases/s on {jobs} CPUs leaves {ms(jobs / 600)} of CPU per case",
        f">= 600 cases/s: {verdict(rate >= 600)}",
    )
    from perencana.engine.reasoning.advisor import Advisor

    advisor = Advisor()
    examples = example_cases()
    for case in examples:  # warm-up: first runs build caches
        advisor.advise(case)
    advise = statistics.mean(per_call(advisor.advise, case) for case in examples)
    infer = statistics.mean(per_call(advisor.infer, case) for case in examples)
    row(
        "in-process time per case, one reused Advisor (mean over the examples of the median)",
        f"advise {ms(advise)}, infer {ms(infer)}; so at most "
        f"{jobs / advise:.0f} cases/s on {jobs} processes",
        "3.9 ms per case",
        f"advise <= 3.9 ms: {verdict(advise <= 0.0039)}; infer <= 3.9 ms: "
        f"{verdict(infer <= 0.0039)}",
    )
    for path, case in zip(EXAMPLES, examples, strict=True):
        print(
            f"      {path.name}: advise {ms(per_call(advisor.advise, case))}, "
            f"infer {ms(per_call(advisor.infer, case))}"
        )
    return {
        "cases_per_second": rate,
        "runs_cases_per_second": [cases / taken for taken in seconds],
        "cpu_per_case": statistics.median(cpu) / cases,
        "advise": advise,
        "infer": infer,
    }


def scaling():
    from perencana.engine.reasoning.advisor import Advisor

    print("(c) scaling: time per case by the number of stakeholders and programs")
    advisor = Advisor()
    advise, infer = {}, {}
    for size in SIZES:
        case = sized_case(size)
        advisor.advise(case)  # warm-up
        advise[size] = per_call(advisor.advise, case, min_seconds=1.0)
        infer[size] = per_call(advisor.infer, case, min_seconds=1.0)
        print(
            f"      {size:>3} stakeholders and {size:>3} programs: "
            f"advise {ms(advise[size])}, infer {ms(infer[size])}"
        )

    def slope(times):
        return math.log(times[400] / times[50]) / math.log(400 / 50)

    row(
        "log-log slope of the time per case between 50 and 400",
        f"advise {slope(advise):.2f}, infer {slope(infer):.2f}",
        "1.0 is linear, 2.0 quadratic",
        f"<= 1.1: advise {verdict(slope(advise) <= 1.1)}, infer {verdict(slope(infer) <= 1.1)}",
    )
    # Not one of the figures: the same cases with every stakeholder's impact
    # and every program's viability unknown, so each item's answers are tried.
    unknown = {}
    for size in SIZES:
        case = sized_case(size, unknown_items=True)
        advisor.advise(case)  # warm-up
        unknown[size] = per_call(advisor.advise, case, min_seconds=1.0)
    print(
        "      with every listed item's answer unknown: advise "
        + ", ".join(f"{size}: {ms(unknown[size])}" for size in SIZES)
        + f"; slope {slope(unknown):.2f}"
    )
    return {
        "advise": advise,
        "infer": infer,
        "slope_advise": slope(advise),
        "slope_infer": slope(infer),
        "advise_unknown_items": unknown,
        "slope_advise_unknown_items": slope(unknown),
    }


def memory(cases):
    print(f"(d) memory: resident memory over {cases} cases with one Advisor")
    done = subprocess.run(
        [PYTHON, str(Path(__file__).with_name("memory.py")), str(cases)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout)
    growth = figures["growth_after_warmup"]
    row(
        f"VmRSS after {figures['warmup']} warm-up cases and after {cases} "
        f"({figures['seconds']:.0f} s)",
        f"{figures['rss_after_warmup'] / MIB:.1f} MiB -> {figures['rss_end'] / MIB:.1f} MiB: "
        f"growth {growth / MIB:+.2f} MiB",
        f"start-up {figures['rss_start'] / MIB:.1f} MiB; samples (cases: MiB): "
        + ", ".join(f"{n}: {rss / MIB:.1f}" for n, rss in figures["samples"]),
        f"< 5 MiB growth: {verdict(growth < 5 * MIB)}",
    )
    return figures


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--only",
        default="e,c,d",
        help="which figures: e (issue 16's, with their goals), c, d; a and b are the "
        "older wall-time start-up and the batch of repeated examples; e-startup is only "
        "e's start-up figures",
    )
    parser.add_argument("--runs", type=int, default=15, help="runs of each command in (a)")
    parser.add_argument("--cases", type=int, default=1000, help="cases in the batch of (b)")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the batch of (b)")
    parser.add_argument("--batch-runs", type=int, default=3, help="runs of the batch in (b)")
    parser.add_argument("--memory-cases", type=int, default=10_000, help="cases in (d)")
    parser.add_argument("--json", metavar="FILE", help="also write the figures to FILE")
    options = parser.parse_args(argv)
    wanted = set(options.only.split(","))
    print(
        f"perencana benchmarks on Python {sys.version.split()[0]}, {cpu_count()} CPUs "
        "(figures depend on the machine and its load)\n"
    )
    results = {}
    if "a" in wanted:
        results["a"] = startup(max(options.runs, 15))
    if "b" in wanted:
        results["b"] = throughput(options.cases, options.jobs, options.batch_runs)
    if "e" in wanted or "e-startup" in wanted:
        import figures

        results["e"] = figures.report(options, only_startup="e" not in wanted)
        print()
    if "c" in wanted:
        results["c"] = scaling()
    if "d" in wanted:
        results["d"] = memory(options.memory_cases)
    if options.json:
        Path(options.json).write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
