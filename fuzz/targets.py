"""Coverage-guided fuzzing of three more readers (atheris): the partial case file of
``interview --resume``, the ``PATH=VALUE`` of ``whatif --set`` and the rows of a CSV
table of ``batch``. Like fuzz/fuzz_case_loader.py, the only acceptable outcomes are a
value or a ``PerencanaError`` whose messages are non-empty single lines.

    .venv/bin/python fuzz/targets.py resume -max_total_time=600 \\
        -artifact_prefix=tests/fuzz_regressions/resume/

Crashes kept in tests/fuzz_regressions/{resume,set,csv}/ are replayed by
tests/test_fuzz_regressions.py on every test run.
"""

import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path

try:
    import atheris
except ImportError:  # the replay test uses the checks without it
    atheris = None

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    import yaml  # noqa: F401  (instrumented: the pure-Python parser is what we drive)

    from perencana.engine.batch.inputs import load_source, read_csv_rows
    from perencana.engine.case.loader import load_case
    from perencana.engine.errors import PerencanaError
    from perencana.engine.interview.console import read_partial
    from perencana.engine.teaching.whatif import apply_sets, parse_assignment

_SCRATCH = Path(tempfile.mkdtemp(prefix="perencana-fuzz-"))
_CASE = None


def _check_error(error):
    messages = error.messages()
    assert messages, "an error without messages"
    for message in messages:
        assert isinstance(message, str) and message.strip(), repr(message)
        assert len(message.splitlines()) == 1, repr(message)
        message.encode("utf-8")


def check_resume(data):
    """``data`` as the partial case file of ``interview --resume``."""
    path = _SCRATCH / "partial.yaml"
    path.write_bytes(data)
    try:
        read_partial(path)
    except PerencanaError as error:
        _check_error(error)


def check_set(data):
    """``data`` (UTF-8, lossily) as one ``--set PATH=VALUE`` on an example case."""
    global _CASE
    if _CASE is None:
        _CASE = load_case(ROOT / "examples" / "young-community-group.yaml")
    text = data.decode("utf-8", "replace")
    try:
        from perencana.knowledge import load_knowledge

        errors_knowledge = load_knowledge()
        path, value = parse_assignment(text, _errors(errors_knowledge))
        apply_sets(_CASE, [(path, value)], "en", errors_knowledge)
    except PerencanaError as error:
        _check_error(error)


def _errors(knowledge):
    from perencana.engine.teaching.whatif import _errors as whatif_errors

    return whatif_errors(knowledge, "en")


def check_csv(data):
    """``data`` as a CSV table of cases, every row read and validated."""
    path = _SCRATCH / "cases.csv"
    path.write_bytes(data)
    for source in read_csv_rows(path):
        try:
            load_source(source)
        except PerencanaError as error:
            _check_error(error)


TARGETS = {"resume": check_resume, "set": check_set, "csv": check_csv}
SEEDS = {
    "resume": [ROOT / "examples" / "young-community-group.yaml"],
    "set": [],
    "csv": sorted((ROOT / "tests" / "data").glob("*.csv")),
}
SEED_TEXTS = {
    "set": [b"organization.age_years=12", b"stakeholders[0].impact=positive", b"a=[x, y]"],
    "csv": [b"organization.name,organization.age_years\nYayasan,3\n"],
    "resume": [b"organization: {name: x}\n"],
}


def seed_corpus(name):
    folder = Path(tempfile.mkdtemp(prefix=f"perencana-fuzz-{name}-"))
    seeds = [p for p in SEEDS[name] if p.is_file()]
    seeds += sorted(p for p in (ROOT / "tests" / "fuzz_regressions" / name).glob("*"))
    for index, seed in enumerate(seeds):
        shutil.copyfile(seed, folder / f"seed-{index:03d}")
    for index, text in enumerate(SEED_TEXTS[name]):
        (folder / f"text-{index:03d}").write_bytes(text)
    return folder


def main(argv):
    if atheris is None:
        sys.exit("atheris is not installed: pip install -e '.[fuzz]' (or run make fuzz)")
    if len(argv) < 2 or argv[1] not in TARGETS:
        sys.exit(f"usage: {argv[0]} {{{','.join(TARGETS)}}} [libFuzzer options] [CORPUS]")
    name, args = argv[1], [argv[0], *argv[2:]]
    if not any(not arg.startswith("-") for arg in args[1:]):
        args.append(str(seed_corpus(name)))
    os.environ.setdefault("PERENCANA_LANG", "en")
    atheris.Setup(args, TARGETS[name])
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
