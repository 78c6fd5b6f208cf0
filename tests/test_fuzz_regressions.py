"""Replays every input in tests/fuzz_regressions/: each once crashed the case loader
(found by ``make fuzz``, fuzz/fuzz_case_loader.py) or is a close relative of such a
crash. Each must now give a valid case or a clear ``CaseError``, and the real command
must exit 1 (or 0) with no traceback."""

import importlib.util
import sys
from pathlib import Path

import pytest

from perencana.engine.case.loader import load_case
from perencana.engine.errors import CaseError
from tests.helpers import ROOT, invoke

REGRESSIONS = sorted(p for p in (ROOT / "tests" / "fuzz_regressions").iterdir() if p.is_file())


def fuzz_target():
    """``check_one_input`` of the fuzzer, imported without atheris being needed."""
    spec = importlib.util.spec_from_file_location(
        "fuzz_case_loader", ROOT / "fuzz" / "fuzz_case_loader.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.check_one_input


def test_there_are_regression_inputs():
    assert len(REGRESSIONS) >= 5


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.name)
def test_a_former_crash_keeps_the_fuzzers_promises(path):
    fuzz_target()(path.read_bytes())


@pytest.mark.parametrize("path", REGRESSIONS, ids=lambda p: p.name)
def test_a_former_crash_is_a_clear_error_on_the_command_line(path):
    try:
        load_case("-", path.read_bytes())
        expected = 0
    except CaseError:
        expected = 1
    result = invoke("validate", path)
    assert result.returncode == expected, result.stderr
    assert "Traceback" not in result.stderr
    if expected:
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith(f"Error: {path}: ") for line in lines)


def more_targets():
    """fuzz/targets.py (the resume reader, --set and CSV rows), without atheris."""
    spec = importlib.util.spec_from_file_location("fuzz_targets", ROOT / "fuzz" / "targets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TARGET_REGRESSIONS = [
    (name, path)
    for name in ("resume", "set", "csv")
    for path in sorted((ROOT / "tests" / "fuzz_regressions" / name).glob("*"))
    if path.is_file()
]
# Inputs that crashed these readers before issue 15, kept with the ones fuzzing finds.
KNOWN = {
    "resume": [
        b"organization: {name: !!bool maybe}\n",
        b"a: " + b"[" * 10000,
        b"a: 0x" + b"f" * 4000,
    ],
    "set": [b"organization.age_years=" + b"9" * 5000, b"stakeholders[" + b"9" * 5000 + b"].name=x"],
    "csv": [b"organization.name,organization.age_years\nX,0x" + b"f" * 4000 + b"\n"],
}


@pytest.mark.parametrize(
    "name,data",
    [(name, data) for name, inputs in KNOWN.items() for data in inputs]
    + [(name, path.read_bytes()) for name, path in TARGET_REGRESSIONS],
    ids=lambda value: value if isinstance(value, str) else f"{len(value)} bytes",
)
def test_the_other_readers_keep_the_fuzzers_promises(name, data):
    more_targets().TARGETS[name](data)


def test_the_fuzzer_explains_how_to_get_atheris(monkeypatch):
    monkeypatch.setitem(sys.modules, "atheris", None)
    spec = importlib.util.spec_from_file_location(
        "fuzz_without_atheris", Path(ROOT / "fuzz" / "fuzz_case_loader.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(SystemExit, match="atheris is not installed"):
        module.main(["fuzz_case_loader.py"])
