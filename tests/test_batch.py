"""Running a batch (``engine.batch``): the memos, their names, the summary, failures,
``jobs``, interruption and ``resume``. ``generated_case`` and ``write_mixed_inputs``
are shared with the other batch tests."""

import csv
import json
import os
import random

import pytest
import yaml

from perencana.engine import api
from perencana.engine.batch import run as batch_run
from perencana.engine.batch.portfolio import case_digest
from perencana.engine.batch.run import BatchInterrupted, memo_names, run_batch, slug
from perencana.engine.case.schema import field_specs
from perencana.engine.case.validation import normalize_case
from perencana.engine.errors import OutputError
from perencana.engine.reasoning.advisor import Advisor
from tests.helpers import EXAMPLE_CASES

LEAF_COLUMNS = [
    spec.path
    for spec in field_specs()
    if spec.path.partition(".")[0] not in ("stakeholders[]", "programs[]")
]


def generated_case(number, name=None, stakeholders=1, programs=1):
    """A raw case with every field answered (so that no unknown answer has to be tried),
    chosen at random from the schema's answers, the same for the same ``number``."""
    rng = random.Random(number)
    case = {}
    for spec in field_specs():
        section, _, field = spec.path.partition(".")
        if section.endswith("[]"):
            continue
        if spec.kind == "text":
            value = f"{field} {number}"
        elif spec.kind == "count":
            value = rng.randrange(0, 40)
        elif spec.kind == "boolean":
            value = rng.random() < 0.5
        elif spec.kind == "enum":
            value = rng.choice([choice for choice in spec.choices if choice != "unknown"])
        else:
            value = rng.sample(spec.choices, rng.randrange(0, 3))
        case.setdefault(section, {})[field] = value
    case["organization"]["name"] = name or f"Yayasan Nomor {number}"
    organization = case["organization"]  # never more years to its state than its age
    organization["years_to_current_state"] = min(
        organization["years_to_current_state"], organization["age_years"]
    )
    levels = ["low", "adequate", "high"]
    case["stakeholders"] = [
        {
            "name": f"group {k}",
            "directly_affected": rng.random() < 0.5,
            "impact": rng.choice(["negative", "neutral", "positive"]),
        }
        for k in range(stakeholders)
    ]
    case["programs"] = [
        {
            "name": f"program {k}",
            "viable": rng.random() < 0.5,
            "effectiveness": rng.choice(levels),
            "efficiency": rng.choice(levels),
        }
        for k in range(programs)
    ]
    return case


def csv_row(case):
    """A case as one CSV row of ``LEAF_COLUMNS`` + stakeholders, programs."""
    row = []
    for path in LEAF_COLUMNS:
        section, _, field = path.partition(".")
        value = case.get(section, {}).get(field, "")
        row.append(json.dumps(value) if isinstance(value, (bool, list)) else str(value))
    return row + [json.dumps(case["stakeholders"]), json.dumps(case["programs"])]


def write_mixed_inputs(folder, valid=60):
    """Case files, a CSV and a JSON Lines file with ``valid`` good cases and 5 broken
    ones. Returns the inputs, the good raw cases in input order, and the broken ones
    as ``label -> a message expected for it``."""
    folder.mkdir(parents=True, exist_ok=True)
    cases_dir = folder / "cases"
    cases_dir.mkdir()
    per_file = valid // 2
    per_table = (valid - per_file) // 2
    good, broken = [], {}
    for number in range(per_file):
        case = generated_case(number)
        (cases_dir / f"case-{number:03d}.yaml").write_text(yaml.safe_dump(case, sort_keys=False))
        good.append(case)
    bad_value = generated_case(900)
    bad_value["change"]["proposed_by"] = "someone"
    (cases_dir / "zz-bad-value.yaml").write_text(yaml.safe_dump(bad_value))
    broken[str(cases_dir / "zz-bad-value.yaml")] = (
        "change.proposed_by: 'someone' is not allowed; use one of: internal, external, joint"
    )
    bad_yaml = cases_dir / "zz-bad-yaml.yaml"
    bad_yaml.write_text("organization: [unclosed\n")
    broken[str(bad_yaml)] = "not valid YAML"
    table = folder / "table.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([*LEAF_COLUMNS, "stakeholders", "programs"])
        for offset in range(per_table):
            case = generated_case(100 + offset)
            writer.writerow(csv_row(case))
            good.append(case)
            if offset == 3:  # two bad rows: lines 6 and 7 of the file
                bad = csv_row(generated_case(901))
                bad[LEAF_COLUMNS.index("organization.age_years")] = "-4"
                writer.writerow(bad)
                bad = csv_row(generated_case(902))
                bad[-1] = '[{"name": "x"'
                writer.writerow(bad)
    broken[f"{table}:6"] = "organization.age_years: -4 is not allowed"
    broken[f"{table}:7"] = "programs: the cell is not valid JSON"
    lines = folder / "rows.jsonl"
    with open(lines, "w", encoding="utf-8") as handle:
        for offset in range(valid - per_file - per_table):
            case = generated_case(200 + offset)
            handle.write(json.dumps(case, ensure_ascii=False) + "\n")
            good.append(case)
        handle.write('{"organization": {"name": "no change"}}\n')
    broken[f"{lines}:{valid - per_file - per_table + 1}"] = "change: missing"
    return [cases_dir, table, lines], good, broken


def write_generated_cases(folder, count):
    """``count`` generated cases as ``0.json``, ``1.json``... in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        (folder / f"{number}.json").write_text(json.dumps(generated_case(number)))


def memo_files(folder):
    # The journal (.perencana-batch.journal) is the running batch's own, not a memo.
    return sorted(
        p.name for p in folder.iterdir() if not p.name.startswith(("summary.", ".perencana-"))
    )


def run(inputs, outdir, **options):
    failures = []
    result = run_batch(
        [str(path) for path in inputs],
        str(outdir),
        on_failure=lambda label, problems: failures.append((label, problems)),
        **{"fmt": "json", **options},
    )
    return result, failures


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """The mixed batch, run once with one job and once with two."""
    folder = tmp_path_factory.mktemp("mixed")
    inputs, good, broken = write_mixed_inputs(folder / "in")
    one = run(inputs, folder / "one")
    two = run(inputs, folder / "two", jobs=2)
    return {
        "inputs": inputs,
        "good": good,
        "broken": broken,
        "one": (folder / "one", *one),
        "two": (folder / "two", *two),
    }


# ------------------------------------------------------------------------- names


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Yayasan Harapan Bangsa", "yayasan-harapan-bangsa"),
        ("../../etc/passwd", "etc-passwd"),
        ("<script>alert(1)</script>", "script-alert-1-script"),
        ("Ünïcödé Çare – Jakarta", "unicode-care-jakarta"),
        ("C:\\Windows\\system32", "c-windows-system32"),
        ("...", "organization"),
        ("慈善机构", "organization"),
        ("a" * 300, "a" * 80),
    ],
)
def test_a_memo_is_named_by_a_safe_slug_of_the_organization(name, expected):
    assert slug(name) == expected


def test_memo_names_are_unique_in_input_order_and_avoid_reserved_and_taken_names():
    names = memo_names(
        ["Same", "same", "Same 2", "SAME", "summary", "CON", "notes"], ".md", taken={"Notes.md"}
    )
    assert names == [
        "same.md",
        "same-2.md",
        "same-2-2.md",
        "same-3.md",
        "summary-2.md",
        "con-2.md",
        "notes-2.md",
    ]
    assert all("/" not in name and "\\" not in name and not name.startswith(".") for name in names)


# ------------------------------------------------------------------- mixed batch


def test_a_mixed_batch_writes_exactly_the_valid_memos(mixed):
    folder, result, failures = mixed["one"]
    good = mixed["good"]
    assert memo_files(folder) == sorted(
        memo_names([c["organization"]["name"] for c in good], ".json")
    )
    assert (result.written, result.skipped, result.failed, result.exit_code) == (60, 0, 5, 1)
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_each_failure_names_its_file_and_row_with_the_validate_messages(mixed):
    _, result, failures = mixed["one"]
    assert [label for label, _ in failures] == list(mixed["broken"])
    for label, problems in failures:
        assert any(mixed["broken"][label] in problem for problem in problems), problems
    summary = result.summary
    assert [f["source"] for f in summary["failures"]] == [
        {"file": label.rsplit(":", 1)[0], "row": int(label.rsplit(":", 1)[1])}
        if label.endswith(tuple("0123456789"))
        else {"file": label, "row": None}
        for label in mixed["broken"]
    ]
    assert summary["totals"]["failed"] == 5


def test_the_memos_are_the_advice_as_advise_renders_it(mixed):
    folder, result, _ = mixed["one"]
    advisor = Advisor()
    pairs = list(zip(mixed["good"], result.summary["cases"], strict=True))
    for raw, entry in pairs[::5]:  # a sample from each kind of input; all would be slow
        case = normalize_case(raw)
        advice = advisor.advise(case)
        assert (folder / entry["memo"]).read_text() == api.render_advice(advice, "json")
        assert entry["organization"] == raw["organization"]["name"]
        assert entry["digest"] == case_digest(case)
        assert entry["causes"] == [{"id": c.id, "strength": c.strength} for c in advice.causes]
        assert entry["strategies"] == [{"id": s.id, "rank": s.rank} for s in advice.strategies]
        assert entry["programs"] == [
            {"name": p.name, "decision": p.decision} for p in advice.programs
        ]


def test_the_summary_sources_are_in_input_order(mixed):
    _, result, _ = mixed["one"]
    sources = [entry["source"] for entry in result.summary["cases"]]
    files = [s for s in sources if s["row"] is None]
    rows = [s for s in sources if s["row"] is not None]
    assert sources == files + rows
    assert [s["file"] for s in files] == sorted(s["file"] for s in files)
    assert result.summary["complete"] is True


def test_two_jobs_give_byte_identical_memos_and_summary(mixed):
    one, result_one, failures_one = mixed["one"]
    two, result_two, failures_two = mixed["two"]
    assert memo_files(one) == memo_files(two)
    for name in [*memo_files(one), "summary.json", "summary.html"]:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
    assert failures_one == failures_two
    assert (result_two.written, result_two.failed) == (60, 5)


# ---------------------------------------------------------------- names in a run


def test_names_in_a_run_are_safe_and_unique(tmp_path):
    names = ["Same", "Same", "../../etc/passwd", "<script>alert(1)</script>", "summary"]
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number, name in enumerate(names):
        case = generated_case(number, name=name, stakeholders=0, programs=0)
        (inputs / f"{number}.json").write_text(json.dumps(case))
    result, _ = run([inputs], tmp_path / "out", fmt="md")
    assert [entry["memo"] for entry in result.summary["cases"]] == [
        "same.md",
        "same-2.md",
        "etc-passwd.md",
        "script-alert-1-script.md",
        "summary-2.md",
    ]
    # Each Markdown memo has its HTML memo beside it, for the summary page's links.
    memos = [entry["memo"] for entry in result.summary["cases"]]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(
        memos + [memo.replace(".md", ".html") for memo in memos] + ["summary.html", "summary.json"]
    )
    assert not (tmp_path / "etc").exists()


def test_a_file_of_the_users_in_outdir_is_never_overwritten(tmp_path):
    outdir = tmp_path / "out"
    outdir.mkdir()
    (outdir / "acme.json").write_text("the user's own notes")
    (tmp_path / "acme.json").write_text(json.dumps(generated_case(1, name="Acme")))
    result, _ = run([tmp_path / "acme.json"], outdir)
    assert (outdir / "acme.json").read_text() == "the user's own notes"
    assert result.summary["cases"][0]["memo"] == "acme-2.json"
    again, _ = run([tmp_path / "acme.json"], outdir)  # its own memo it may write again
    assert again.summary["cases"][0]["memo"] == "acme-2.json"
    assert sorted(p.name for p in outdir.iterdir()) == [
        "acme-2.json",
        "acme.json",
        "summary.html",
        "summary.json",
    ]


def test_an_outdir_that_is_a_file_or_holds_a_foreign_summary_is_an_error(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(json.dumps(generated_case(1)))
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    with pytest.raises(OutputError, match="is a file, not a folder"):
        run([case], not_a_folder)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "summary.json").write_text('{"mine": true}')
    with pytest.raises(OutputError, match="not a perencana batch summary"):
        run([case], foreign)
    assert (foreign / "summary.json").read_text() == '{"mine": true}'


def test_a_case_that_breaks_the_engine_fails_alone(tmp_path, monkeypatch):
    write_generated_cases(tmp_path, 3)
    original = Advisor.advise

    def advise(self, case):
        if case["organization"]["name"].endswith("1"):
            raise RuntimeError("boom")
        return original(self, case)

    monkeypatch.setattr(Advisor, "advise", advise)
    result, failures = run([tmp_path], tmp_path / "out")
    assert (result.written, result.failed) == (2, 1)
    assert failures == [
        (str(tmp_path / "1.json"), ["internal error while advising: RuntimeError: boom"])
    ]


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_engine_that_cannot_be_built_fails_each_case_with_its_reason(
    tmp_path, monkeypatch, capfd, jobs
):
    inputs = tmp_path / "in"
    write_generated_cases(inputs, 3)
    built = Advisor.__init__

    def broken(self, knowledge=None):
        raise RuntimeError("no rules")

    monkeypatch.setattr(Advisor, "__init__", broken)
    monkeypatch.setattr(batch_run, "_WORKER", {})  # no advisor built by an earlier test
    result, failures = run([inputs], tmp_path / "out", jobs=jobs)
    assert (result.written, result.failed) == (0, 3)
    reason = ["internal error while setting up: RuntimeError: no rules"]
    assert failures == [(str(inputs / f"{n}.json"), reason) for n in range(3)]
    assert "Traceback" not in capfd.readouterr().err
    # The cause mended, the next batch in this process advises: the reason is not kept.
    monkeypatch.setattr(Advisor, "__init__", built)
    result, failures = run([inputs], tmp_path / "again", jobs=jobs)
    assert (result.written, result.failed, failures) == (3, 0, [])


def test_memos_in_markdown_and_indonesian_are_those_advise_renders(tmp_path):
    result, failures = run(EXAMPLE_CASES[:2], tmp_path / "out", fmt="md", lang="id")
    assert not failures
    for path, entry in zip(EXAMPLE_CASES[:2], result.summary["cases"], strict=True):
        advice = api.advise(api.read_case(str(path)))
        expected = api.render_advice(advice, "md", "id")
        assert (tmp_path / "out" / entry["memo"]).read_text() == expected
        # Its HTML twin, made from the same view and reasoning graph, is advise's too.
        twin = tmp_path / "out" / entry["memo"].replace(".md", ".html")
        assert twin.read_text() == api.render_advice(advice, "html", "id")


# -------------------------------------------------------- interruption and resume


class _StopAfter:
    """A progress bar that presses Ctrl-C after ``count`` memos."""

    def __init__(self, count):
        self.count = count

    def __call__(self, total):
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n):
        self.count -= n
        if self.count <= 0:
            raise KeyboardInterrupt


def test_an_interrupted_batch_keeps_what_finished_and_resume_does_the_rest(tmp_path):
    inputs = tmp_path / "in"
    write_generated_cases(inputs, 12)
    outdir = tmp_path / "out"
    with pytest.raises(BatchInterrupted) as stopped:
        run([inputs], outdir, progress=_StopAfter(4))
    assert stopped.value.exit_code == 130
    assert "4 memos done, 8 not yet advised" in str(stopped.value)
    summary = json.loads((outdir / "summary.json").read_text())
    assert summary["complete"] is False
    assert [entry["memo"] for entry in summary["cases"]] == memo_files(outdir)
    assert len(memo_files(outdir)) == 4
    assert not [p for p in outdir.iterdir() if p.name.startswith(".")]
    done = {name: (outdir / name).stat().st_mtime_ns for name in memo_files(outdir)}

    result, _ = run([inputs], outdir, resume=True)
    assert (result.written, result.skipped) == (8, 4)
    assert {name: (outdir / name).stat().st_mtime_ns for name in done} == done
    assert result.summary["complete"] is True
    fresh, _ = run([inputs], tmp_path / "fresh")
    assert (outdir / "summary.json").read_bytes() == (tmp_path / "fresh/summary.json").read_bytes()


def test_resume_redoes_a_case_that_changed_or_is_newer_than_its_memo(tmp_path):
    inputs = tmp_path / "in"
    write_generated_cases(inputs, 3)
    outdir = tmp_path / "out"
    run([inputs], outdir)
    assert run([inputs], outdir, resume=True)[0].skipped == 3
    memo = outdir / "yayasan-nomor-0.json"
    newer = memo.stat().st_mtime_ns + 10**9
    os.utime(inputs / "0.json", ns=(newer, newer))  # touched after its memo was written
    changed = generated_case(1)
    changed["funding"]["funds_for_change"] = "none"
    changed["funding"]["seen_as_costly"] = not changed["funding"]["seen_as_costly"]
    (inputs / "1.json").write_text(json.dumps(changed))
    old = os.stat(outdir / "yayasan-nomor-1.json").st_mtime_ns
    os.utime(inputs / "1.json", ns=(old - 10**9, old - 10**9))  # older, yet changed
    result, _ = run([inputs], outdir, resume=True)
    assert (result.written, result.skipped) == (2, 1)
    other_format, _ = run([inputs], outdir, resume=True, fmt="text")
    assert (other_format.written, other_format.skipped) == (3, 0)


class _Killed(BaseException):
    """A SIGKILL, as far as the code under test can tell: nothing catches it."""


def test_a_batch_killed_between_its_two_summaries_is_taken_up_by_resume(tmp_path, monkeypatch):
    # The summary's data marks the folder as a batch's own: it is written before the
    # page, so a batch that dies between the two leaves a folder --resume finishes.
    # (Page first, a kill there left a page without its data, which resume refused as
    # someone else's file.)
    from perencana.engine.batch import run as batch_run

    inputs = tmp_path / "in"
    write_generated_cases(inputs, 4)
    reference = tmp_path / "reference"
    run([inputs], reference)
    written = batch_run.write_atomically

    summaries = []

    def dies_at_the_second_summary(path, *args, **kwargs):
        if path.name.startswith("summary."):
            summaries.append(path.name)
            if len(summaries) == 2:
                raise _Killed
        return written(path, *args, **kwargs)

    outdir = tmp_path / "out"
    monkeypatch.setattr(batch_run, "write_atomically", dies_at_the_second_summary)
    with pytest.raises(_Killed):
        run([inputs], outdir)
    monkeypatch.setattr(batch_run, "write_atomically", written)
    assert len(summaries) == 2
    run([inputs], outdir, resume=True)
    assert {p.name: p.read_bytes() for p in sorted(outdir.iterdir())} == {
        p.name: p.read_bytes() for p in sorted(reference.iterdir())
    }


def _as_the_advise_task(function):
    """``function`` under the name the pool sends the advise task by: the forked
    workers find it there."""
    from perencana.engine.batch import run as batch_run

    function.__module__, function.__qualname__ = batch_run.__name__, "_advise_task"
    return function


def test_a_case_whose_worker_died_is_advised_again_on_a_new_one(tmp_path, monkeypatch):
    # A worker killed from outside (kill -9, the out-of-memory killer taking the
    # largest process) loses nothing: it is replaced, and the cases it held are
    # advised again, one by one.
    import multiprocessing

    from perencana.engine.batch import run as batch_run

    marker = tmp_path / "one-worker-died"
    advise = batch_run._advise_task

    @_as_the_advise_task
    def dies_once(item):
        try:
            os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        except FileExistsError:
            return advise(item)
        os._exit(9)  # the first case any worker takes: that worker dies

    inputs = tmp_path / "in"
    write_generated_cases(inputs, 40)
    reference = tmp_path / "reference"
    run([inputs], reference)
    monkeypatch.setattr(batch_run, "_advise_task", dies_once)
    result, failures = run([inputs], tmp_path / "out", jobs=2)
    assert marker.exists()
    assert (result.written, result.failed, failures) == (40, 0, [])
    assert multiprocessing.active_children() == []
    assert {p.name: p.read_bytes() for p in sorted((tmp_path / "out").iterdir())} == {
        p.name: p.read_bytes() for p in sorted(reference.iterdir())
    }


def test_a_case_that_kills_its_worker_every_time_fails_alone(tmp_path, monkeypatch):
    import multiprocessing

    from perencana.engine.batch import run as batch_run

    advise = batch_run._advise_task

    @_as_the_advise_task
    def dies_on_the_killer(item):
        if item[2].startswith("killer"):
            os._exit(9)  # as the out-of-memory killer would end it
        return advise(item)

    inputs = tmp_path / "in"
    inputs.mkdir()
    for number in range(40):
        name = "Killer" if number == 7 else f"Yayasan {number}"
        (inputs / f"{number:02d}.json").write_text(json.dumps(generated_case(number, name)))
    monkeypatch.setattr(batch_run, "_advise_task", dies_on_the_killer)
    result, failures = run([inputs], tmp_path / "out", jobs=2)
    assert (result.written, result.failed) == (39, 1)
    assert failures == [(str(inputs / "07.json"), [batch_run.DEAD_WORKER])]
    assert multiprocessing.active_children() == []
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert len(summary["cases"]) == 39
    assert [entry["source"]["file"] for entry in summary["failures"]] == [str(inputs / "07.json")]
