"""Installing perencana: the experta shim imports cleanly, and a plain wheel works.

An install adds one import name, ``perencana``, to site-packages, with its
dist-info and ``perencana-experta-shim.pth`` (``setup.py``), which lets ``import
experta`` work before perencana is imported, on Python 3.10+. The wheel and the
editable install are each made in a fresh venv (slow: ``-m "not slow"`` skips them).
"""

import base64
import hashlib
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from tests.helpers import EXAMPLES, ROOT


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


@pytest.fixture(scope="module")
def setup_module_():
    """The project's setup.py, as a module (its ``setup()`` runs only as __main__)."""
    spec = importlib.util.spec_from_file_location("perencana_setup", ROOT / "setup.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pth_line_puts_back_the_alias_and_warns_of_nothing(setup_module_):
    line = setup_module_.SHIM_LINE
    assert line.startswith("import ") and line.count("\n") == 1  # site runs one line
    # In a fresh interpreter without site-packages' .pth files (-S), the line alone
    # lets frozendict's base class resolve, and nothing warns.
    check = (
        "import collections, collections.abc; assert collections.Mapping is collections.abc.Mapping"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-W", "error", "-c", f"{line.strip()}\n{check}"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr


def test_add_to_wheel_adds_the_file_and_its_record_line(setup_module_, tmp_path):
    wheel = tmp_path / "demo-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as target:
        target.writestr("demo/__init__.py", "")
        target.writestr("demo-1.0.dist-info/RECORD", "demo/__init__.py,,0\n")
    setup_module_.add_to_wheel(wheel, "x.pth", "import os\n")
    setup_module_.add_to_wheel(wheel, "x.pth", "import os\n")  # once only
    with zipfile.ZipFile(wheel) as source:
        names = source.namelist()
        record = source.read("demo-1.0.dist-info/RECORD").decode()
        assert source.read("x.pth") == b"import os\n"
    assert names.count("x.pth") == 1 and names[-1] == "demo-1.0.dist-info/RECORD"
    digest = base64.urlsafe_b64encode(hashlib.sha256(b"import os\n").digest()).rstrip(b"=")
    assert record.splitlines() == ["demo/__init__.py,,0", f"x.pth,sha256={digest.decode()},10"]


def _fresh_venv(tmp_path):
    """A fresh venv without pip of its own: the test's pip installs into it
    (``pip --python``), the same files as its own pip would, without the seconds
    ``ensurepip`` takes to install pip into every venv."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    return env_dir


def _pip_for(env_dir):
    return [sys.executable, "-m", "pip", "--python", env_dir / "bin" / "python"]


def _site_packages(env_dir):
    python = env_dir / "bin" / "python"
    out = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(out.stdout.strip())


def _pip(env_dir, *args):
    result = subprocess.run(
        [*_pip_for(env_dir), "install", "-q", "--disable-pip-version-check", *args],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return result


def _run_elsewhere(tmp_path, *command):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    return subprocess.run(
        list(command),
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )


def _assert_experta_imports_first(tmp_path, env_dir):
    python = env_dir / "bin" / "python"
    result = _run_elsewhere(
        tmp_path,
        python,
        "-W",
        "error",
        "-c",
        "import experta, perencana; print(perencana.__file__)",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


SHIM_PTH = "perencana-experta-shim.pth"
# What a build or an install reads from a copy of the project (not its caches).
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


def _source_copy(tmp_path):
    """A copy of the project: a build writes build/ and *.egg-info beside its
    source, which must not appear in the tree while other tests read it."""
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    return source


@pytest.mark.slow
def test_a_non_editable_wheel_in_a_fresh_venv_adds_one_import_name_and_works(tmp_path):
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            wheels,
            _source_copy(tmp_path),
        ],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("perencana-*.whl")
    env_dir = _fresh_venv(tmp_path)
    site_packages = _site_packages(env_dir)
    before = {path.name for path in site_packages.iterdir()}
    _pip(env_dir, "--no-deps", wheel)
    added = {path.name for path in site_packages.iterdir()} - before - {"__pycache__"}
    assert added == {"perencana", "perencana-0.1.0.dist-info", SHIM_PTH}
    assert not (site_packages / "perencana" / "setup.py").exists()
    _pip(env_dir, wheel)  # now its dependencies

    assert _assert_experta_imports_first(tmp_path, env_dir).startswith(str(site_packages))
    result = _run_elsewhere(
        tmp_path,
        env_dir / "bin" / "perencana",
        "advise",
        EXAMPLES / "old-government-office.yaml",
        "--format",
        "json",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["organization"] == "Dinas Sosial Kabupaten Lembah Hijau"
    result = _run_elsewhere(
        tmp_path, env_dir / "bin" / "perencana", "advise", EXAMPLES / "young-community-group.yaml"
    )
    assert result.returncode == 0, result.stderr
    assert "Kelompok Peduli Remaja Sukamaju" in result.stdout


def _test_venv_packages(tmp_path, site_packages):
    """Lets the fresh venv import what this test venv has installed, perencana's
    dependencies and setuptools among them, except perencana itself: a folder of links
    to the test venv's site-packages (less perencana's entries and the .pth files),
    named in a .pth file of the fresh venv. An install into it then needs neither the
    package index nor a build environment of its own."""
    packages = tmp_path / "test-venv-packages"
    packages.mkdir()
    for folder in dict.fromkeys(sysconfig.get_paths()[key] for key in ("purelib", "platlib")):
        for entry in Path(folder).iterdir():
            if entry.name.startswith(("perencana", "__editable__", "__pycache__")):
                continue
            if entry.suffix != ".pth" and not (packages / entry.name).exists():
                (packages / entry.name).symlink_to(entry)
    (site_packages / "test-venv-packages.pth").write_text(f"{packages}\n")


def _builds_editable_wheels_in_place():
    """Whether the test venv's setuptools builds an editable wheel by itself: from
    64 on (PEP 660), and before 70.1 only with the ``wheel`` package beside it."""
    from importlib.util import find_spec

    try:
        import setuptools
    except ImportError:
        return False
    version = tuple(int(part) for part in setuptools.__version__.split(".")[:2])
    return version >= (70, 1) or (version >= (64, 0) and find_spec("wheel") is not None)


@pytest.mark.slow
def test_an_editable_install_in_a_fresh_venv_lets_experta_import_first(tmp_path):
    """The editable wheel is built and installed without the package index: its
    dependencies come from the test venv (the wheel's test above installs them from
    the index), and setuptools builds it in place (``make`` builds .venv's editable
    install in an isolated environment, from pyproject.toml's build requirements)."""
    env_dir = _fresh_venv(tmp_path)
    source = _source_copy(tmp_path)
    site_packages = _site_packages(env_dir)
    if _builds_editable_wheels_in_place():
        _test_venv_packages(tmp_path, site_packages)
        _pip(env_dir, "--no-deps", "--no-build-isolation", "-e", source)
    else:  # an older .venv: built in isolation, the dependencies from the index
        _pip(env_dir, "-e", source)
    assert (site_packages / SHIM_PTH).is_file()
    assert _assert_experta_imports_first(tmp_path, env_dir) == str(source / "__init__.py")
    # pip uninstalls the .pth with the rest (it is in the editable wheel's RECORD)
    result = subprocess.run(
        [*_pip_for(env_dir), "uninstall", "-y", "-q", "perencana"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert not (site_packages / SHIM_PTH).exists()
