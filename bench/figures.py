"""The figures of issue 16, each as a ratio to a reference measured in the same run.

Used by ``bench/run.py`` (``make bench``). Times are CPU seconds (user + system, of
this process or of its finished children), not wall time, and the commands compared
take turns run after run, so that a busy machine weighs on both alike.

- start-up: ``perencana advise`` in json, md and html against the import floor;
- the engine floor: a bare experta engine declaring a case's facts, no rules;
- the language floor: the conditions of the 10 most-fired rules tested in plain
  Python on the same facts;
- the batch: ``perencana batch --jobs 2`` on varied generated cases, CPU per case
  against the engine floor, and md and html against json;
- the phases of a case (load, validate, declare, run, unknowns, advice, render,
  write) for json, md and html;
- the interview: time from an answer to the next question, over the examples.
"""

import collections
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import EXAMPLES, IMPORT_FLOOR, PERENCANA, PYTHON, ROOT

sys.path.insert(0, str(ROOT))  # so that ``tests.generated_cases`` imports

cpu = time.process_time


def ms(seconds):
    return f"{seconds * 1000:.2f} ms"


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cpu_of_commands(commands, runs, warmup=2):
    """CPU seconds of each whole process of ``commands``, run in turns."""
    times = [[] for _ in commands]
    for number in range(warmup + runs):
        for command, taken in zip(commands, times, strict=True):
            before = children_cpu()
            subprocess.run(
                command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            if number >= warmup:
                taken.append(children_cpu() - before)
    return times


def paired_ratio(a, b):
    """The median of the run-by-run ratios a/b."""
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def startup(runs):
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", "engine", "rules", "knowledge", "cli.py"],
        cwd=ROOT,
        check=True,
    )
    case = "examples/old-government-office.yaml"
    # The command freezes its objects as it ends (engine/gc_policy), which spares it
    # the shutdown's collection; the second floor does the same, so that the reader
    # can see what that alone is worth against the floor.
    commands = [
        [PYTHON, "-c", IMPORT_FLOOR],
        [PYTHON, "-c", f"{IMPORT_FLOOR}; import gc; gc.freeze()"],
    ] + [[PERENCANA, "advise", case, "--format", fmt] for fmt in ("json", "md", "html")]
    floor, frozen_floor, *formats = cpu_of_commands(commands, runs)
    figures = {"floor": statistics.median(floor), "frozen_floor": statistics.median(frozen_floor)}
    for fmt, taken in zip(("json", "md", "html"), formats, strict=True):
        figures[fmt] = statistics.median(taken)
        figures[f"{fmt}_ratio"] = paired_ratio(taken, floor)
        figures[f"{fmt}_frozen_ratio"] = paired_ratio(taken, frozen_floor)
    return figures


def varied_cases(count):
    """``count`` valid varied cases (``tests/generated_cases.py``), raw and normalized."""
    from perencana.engine.case.schema import field_specs
    from perencana.engine.case.validation import normalize_case, validate_case
    from tests.generated_cases import varied_case

    found, number, specs = [], 0, field_specs()
    while len(found) < count:
        raw = varied_case(number, specs)
        number += 1
        if not validate_case(raw):
            found.append((raw, normalize_case(raw)))
    return found


class _BareEngine:
    """A bare experta engine: the engine floor."""

    def __init__(self):
        from experta import KnowledgeEngine

        import perencana.engine.experta_ext  # noqa: F401  (the experta shim)

        self.engine = KnowledgeEngine()

    def run(self, facts):
        self.engine.reset()
        self.engine.declare(*facts)
        self.engine.run()


def per_case(function, items, repeat=3):
    """CPU seconds per item of ``function(item)``: the least of ``repeat`` passes."""
    best = None
    for _ in range(repeat):
        start = cpu()
        for item in items:
            function(item)
        taken = (cpu() - start) / len(items)
        best = taken if best is None else min(best, taken)
    return best


def floors(cases):
    """The engine floor and the language floor per case, beside the engine's run."""
    from perencana.engine.reasoning.advisor import Advisor
    from perencana.engine.reasoning.case_facts import case_facts
    from perencana.engine.reasoning.rule_catalog import rules_by_id

    advisor = Advisor()
    thresholds = advisor.knowledge.thresholds
    facts = [case_facts(case, thresholds) for _, case in cases]
    bare = _BareEngine()
    engine_floor = per_case(bare.run, facts)
    engine_run = per_case(advisor.engine.infer, facts)
    fired = collections.Counter()
    for _, case in cases:
        fired.update(step.rule for step in advisor.infer(case).trace)
    catalog = rules_by_id()
    top = [catalog[rule] for rule, _ in fired.most_common(10)]

    def plain(case_facts_):
        return [rule.id for rule in top if all(c.holds(case_facts_) for c in rule.conditions)]

    language_floor = per_case(plain, facts)
    return {
        "engine_floor": engine_floor,
        # Measured again beside each batch run, so that the batch's ratio is paired.
        "measure_engine_floor": lambda: per_case(bare.run, facts),
        "engine_run": engine_run,
        "language_floor": language_floor,
        "top_rules": [rule.id for rule in top],
        "facts_per_case": statistics.mean(len(f) for f in facts),
    }


def batch(cases, jobs, runs, reference):
    """CPU per case of ``perencana batch`` in json, md and html, the runs in turns,
    each run beside a measure of ``reference()`` (under "reference")."""
    import yaml

    folder = Path(tempfile.mkdtemp(prefix="perencana-bench-"))
    formats = ("json", "md", "html")
    taken = {name: [] for name in (*formats, "reference")}
    try:
        inputs = folder / "in"
        inputs.mkdir()
        for number, (raw, _) in enumerate(cases):
            (inputs / f"case-{number:05d}.yaml").write_text(
                yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8"
            )
        for run in range(runs):
            taken["reference"].append(reference())
            for fmt in formats:
                out = folder / f"out-{fmt}-{run}"
                command = [PERENCANA, "batch", str(inputs), "-o", str(out), "--format", fmt]
                before = children_cpu()
                done = subprocess.run(
                    [*command, "--jobs", str(jobs)], cwd=ROOT, capture_output=True, text=True
                )
                taken[fmt].append((children_cpu() - before) / len(cases))
                if done.returncode != 0:
                    raise SystemExit(f"perencana batch failed: {done.stderr}")
                shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return taken


def phases(cases, fmt):
    """CPU seconds per case of each phase of one case, for ``fmt``."""
    import yaml

    from perencana.engine.case import loader
    from perencana.engine.case.validation import validated_case
    from perencana.engine.memo.output import write_atomically
    from perencana.engine.memo.render import render_advice
    from perencana.engine.reasoning.advice_builder import build_advice
    from perencana.engine.reasoning.advisor import Advisor
    from perencana.engine.reasoning.case_facts import case_facts

    advisor = Advisor()
    engine = advisor.engine
    thresholds = advisor.knowledge.thresholds
    folder = Path(tempfile.mkdtemp(prefix="perencana-phases-"))
    sums = collections.Counter()
    try:
        paths = []
        for number, (raw, _) in enumerate(cases):
            path = folder / f"case-{number}.yaml"
            path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
            paths.append(path)
        for _round in range(2):  # the first round warms the caches
            sums.clear()
            for number, path in enumerate(paths):
                t0 = cpu()
                data = loader._parse(loader._decode(loader._read_file(path), "the file"), "")
                t1 = cpu()
                problems, case = validated_case(data)  # as load_case does
                assert not problems
                t2 = cpu()
                engine.reset()
                engine.declare(*case_facts(case, thresholds))
                t3 = cpu()
                engine.run()
                facts = engine.memory()
                t4 = cpu()
                advice = build_advice(case, facts, engine.trace, advisor.knowledge)
                t5 = cpu()
                advice.unknowns = advisor.unknowns_that_matter(case, advice)
                t6 = cpu()
                text = render_advice(advice, fmt, "en")
                t7 = cpu()
                write_atomically(folder / f"memo-{number}.{fmt}", text, force=True)
                t8 = cpu()
                for name, a, b in (
                    ("load", t0, t1),
                    ("validate", t1, t2),
                    ("declare", t2, t3),
                    ("run", t3, t4),
                    ("advice", t4, t5),
                    ("unknowns", t5, t6),
                    ("render", t6, t7),
                    ("write", t7, t8),
                ):
                    sums[name] += b - a
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return {name: total / len(paths) for name, total in sums.items()}


def interview_latency():
    """Seconds from an answer to the next question, every step of an interview
    answered with each example's facts: the median and the 95th percentile."""
    from perencana.engine.api import read_case
    from perencana.engine.interview.session import Interview
    from tests.test_interview import answer_line  # a planner who knows the case

    times = []
    for path in EXAMPLES:
        case = read_case(str(path))
        interview = Interview()
        question = interview.next_question()
        while question is not None:
            line = answer_line(interview, question, case)
            start = cpu()
            interview.handle(question, line)
            question = interview.next_question()
            times.append(cpu() - start)
    times.sort()
    return {
        "median": statistics.median(times),
        "p95": times[min(len(times) - 1, int(0.95 * len(times)))],
        "steps": len(times),
    }


def verdict(ok):
    return "MET" if ok else "NOT MET"


def report_startup(options, goals):
    """Measure and print the one-case start-up figures beside their goals; add them to
    ``goals``. Alone with ``bench/run.py --only e-startup``."""
    start = startup(options.runs)
    print(
        f"  import floor (python importing experta, jinja2, click, yaml): "
        f"{ms(start['floor'])} CPU per process, median of {options.runs}"
    )
    for fmt, goal in (("json", 1.2), ("md", 1.3), ("html", 1.4)):
        ratio = start[f"{fmt}_ratio"]
        print(
            f"  advise --format {fmt:<4}: {ms(start[fmt])} CPU, {ratio:.2f}x the floor "
            f"(goal <= {goal}x: {verdict(ratio <= goal)})"
        )
        goals.append((f"one case, --format {fmt}, vs the import floor", ratio, goal, "<="))
    print(
        f"  the same against a floor that also freezes its objects at exit, as perencana "
        f"does ({ms(start['frozen_floor'])}): "
        + ", ".join(f"{fmt} {start[f'{fmt}_frozen_ratio']:.2f}x" for fmt in ("json", "md", "html"))
    )
    return start


def report(options, only_startup=False):
    """Measure and print every figure of issue 16 beside its goal (only the start-up
    ones if ``only_startup``)."""
    print("(e) the figures of issue 16: CPU time, each a ratio to a reference of this run")
    goals = []
    start = report_startup(options, goals)
    if only_startup:
        return {"startup": start, "goals": goals}
    cases = varied_cases(options.cases)
    floor = floors(cases[:200])
    print(
        f"  engine floor (bare experta, {floor['facts_per_case']:.0f} facts per case, no rules): "
        f"{ms(floor['engine_floor'])} per case; perencana's reset, declare and run: "
        f"{ms(floor['engine_run'])} ({floor['engine_run'] / floor['engine_floor']:.1f}x)"
    )
    print(
        f"  language floor (the conditions of the 10 most-fired rules in plain Python): "
        f"{ms(floor['language_floor'])} per case; the engine floor is "
        f"{floor['engine_floor'] / floor['language_floor']:.1f}x it"
    )
    taken = batch(cases, options.jobs, options.batch_runs, floor["measure_engine_floor"])
    json_cpu = statistics.median(taken["json"])
    # Each run against the engine floor measured just before it, as the start-up
    # figures are paired with their floor.
    ratio = paired_ratio(taken["json"], taken["reference"])
    print(
        f"  batch --format json --jobs {options.jobs}, {len(cases)} varied cases: "
        f"{ms(json_cpu)} CPU per case (runs "
        + ", ".join(ms(t) for t in taken["json"])
        + f"), {ratio:.1f}x the engine floor measured beside each run ("
        + ", ".join(ms(t) for t in taken["reference"])
        + f"; goal <= 11x: {verdict(ratio <= 11)}); "
        f"{options.jobs / json_cpu:.0f} cases/s if {options.jobs} CPUs were free"
    )
    goals.append(("batch json: CPU per case vs the engine floor", ratio, 11, "<="))
    for fmt, goal in (("md", 0.8), ("html", 0.5)):
        speed = paired_ratio(taken["json"], taken[fmt])  # throughput = 1 / CPU per case
        print(
            f"  batch --format {fmt}: {ms(statistics.median(taken[fmt]))} CPU per case, "
            f"{speed:.2f}x the JSON batch's speed (goal >= {goal}x: {verdict(speed >= goal)})"
        )
        goals.append((f"batch {fmt} vs the JSON batch", speed, goal, ">="))
    print(f"  phases of one case, CPU per case over {min(len(cases), 200)} varied cases:")
    names = ("load", "validate", "declare", "run", "unknowns", "advice", "render", "write")
    print("      " + "".join(f"{name:>10}" for name in (*names, "total")))
    for fmt in ("json", "md", "html"):
        figures = phases(cases[:200], fmt)
        total = sum(figures.values())
        print(
            f"  {fmt:>4}"
            + "".join(f"{figures[name] * 1000:>8.2f}ms" for name in names)
            + f"{total * 1000:>8.2f}ms"
        )
    latency = interview_latency()
    print(
        f"  interview, answer to next question over the examples ({latency['steps']} steps): "
        f"median {ms(latency['median'])}, p95 {ms(latency['p95'])}"
    )
    print("  goals:")
    for name, value, goal, sense in goals:
        ok = value <= goal if sense == "<=" else value >= goal
        print(f"    {name}: {value:.2f}x, goal {sense} {goal}x: {verdict(ok)}")
    return {
        "startup": start,
        "floors": {name: value for name, value in floor.items() if not callable(value)},
        "batch": taken,
        "interview": latency,
        "goals": [(n, v, g, s) for n, v, g, s in goals],
    }
