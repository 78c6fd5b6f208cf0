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


def test_the_fuzzer_explains_how_to_get_atheris(monkeypatch):
    monkeypatch.setitem(sys.modules, "atheris", None)
    spec = importlib.util.spec_from_file_location(
        "fuzz_without_atheris", Path(ROOT / "fuzz" / "fuzz_case_loader.py")
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(SystemExit, match="atheris is not installed"):
        module.main(["fuzz_case_loader.py"])
