"""Installing perencana: the experta shim imports cleanly, and a plain wheel works."""

import os
import shutil
import subprocess
import sys
import venv

import pytest

from tests.helpers import EXAMPLES, ROOT

NOT_SOURCE = (
    ".git",
    ".venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".*cache",
    ".hypothesis",
)


@pytest.mark.parametrize(
    "module",
    [
        "perencana",
        "perencana.engine.reasoning.inference",
        "perencana.rules",
        "perencana.knowledge",
        "perencana.cli",
        "perencana.engine.api",
    ],
)
def test_modules_import_without_warnings(module):
    result = subprocess.run(
        [sys.executable, "-W", "error", "-c", f"import {module}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.slow  # builds a wheel and installs it in a fresh venv
def test_a_non_editable_wheel_in_a_fresh_venv_gives_a_working_command(tmp_path):
    # Built from a copy of the project, so that the build's own files (build/,
    # *.egg-info) are not written into the tree while other tests read it.
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", wheels, source],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("perencana-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", "--disable-pip-version-check", wheel],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run(
        [env_dir / "bin" / "perencana", "advise", EXAMPLES / "young-community-group.yaml"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert result.returncode == 0, result.stderr
    assert "Kelompok Peduli Remaja Sukamaju" in result.stdout
