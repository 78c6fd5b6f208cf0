"""Coverage-guided fuzzing of the case loader and the validator (atheris).

Each input is the raw bytes of a case file, read as ``perencana validate -`` reads
standard input. The only acceptable outcomes are a valid, normalized case or a
``CaseError`` whose messages are non-empty single lines; anything else (another
exception, a message spanning lines, a "valid" case that does not validate again
or cannot be written out as UTF-8) is a crash, saved by libFuzzer.

    make fuzz                                   # installs atheris, runs 60 s
    .venv/bin/python fuzz/fuzz_case_loader.py -max_total_time=300 CORPUS_DIR

With no corpus folder given, a temporary one is seeded from examples/*.yaml and
tests/fuzz_regressions/. Crashes are written where ``-artifact_prefix`` says
(``make fuzz`` keeps them in tests/fuzz_regressions/, whose inputs
tests/test_fuzz_regressions.py replays on every test run).
"""

import contextlib
import json
import shutil
import sys
import tempfile
from pathlib import Path

try:
    import atheris
except ImportError:  # tests/test_fuzz_regressions.py uses check_one_input without it
    atheris = None

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

with atheris.instrument_imports() if atheris else contextlib.nullcontext():
    import yaml  # noqa: F401  (instrumented: the pure-Python parser is what we drive)

    from perencana.engine.case.loader import load_case
    from perencana.engine.case.validation import validate_case
    from perencana.engine.errors import CaseError


def check_one_input(data):
    """Load ``data`` as a case; raise AssertionError when the outcome breaks a promise."""
    try:
        case = load_case("-", data)
    except CaseError as error:
        messages = error.messages()
        assert messages, "a CaseError without messages"
        for message in messages:
            assert isinstance(message, str), repr(message)
            assert message.strip(), "an empty message"
            assert len(message.splitlines()) == 1, repr(message)  # also \x85, \u2028
            message.encode("utf-8")  # printable on a UTF-8 terminal
        return
    assert validate_case(case) == [], "a normalized case fails validation"
    json.dumps(case, ensure_ascii=False).encode("utf-8")


def seed_corpus():
    """A temporary corpus folder seeded with the examples and the known crashes."""
    folder = Path(tempfile.mkdtemp(prefix="perencana-fuzz-"))
    seeds = [*sorted((ROOT / "examples").glob("*.yaml"))]
    seeds += sorted(p for p in (ROOT / "tests" / "fuzz_regressions").glob("*") if p.is_file())
    for index, seed in enumerate(seeds):
        shutil.copyfile(seed, folder / f"seed-{index:03d}")
    return folder


def main(argv):
    if atheris is None:
        sys.exit("atheris is not installed: pip install -e '.[fuzz]' (or run make fuzz)")
    args = list(argv)
    if not any(not arg.startswith("-") for arg in args[1:]):
        args.append(str(seed_corpus()))
    atheris.Setup(args, check_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main(sys.argv)
