"""Small helpers shared by the command-line tests.

``invoke`` runs the ``perencana`` command in this process (click's ``CliRunner``) and
``run_perencana`` in a real process; both return a ``CompletedProcess`` (``returncode``,
``stdout``, ``stderr``), so a test can move from one to the other unchanged. Use
``invoke`` to check what the command says and writes; keep ``run_perencana`` for what
only a real process shows: the installed script, signals, a real standard input or
terminal, the hash seed, the environment a process starts with.
"""

import contextlib
import io
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from perencana.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_CASES = sorted(EXAMPLES.glob("*.yaml"))
# Each example's Indonesian twin: the same facts, its names and notes in Indonesian.
EXAMPLES_ID = EXAMPLES / "id"


def indonesian_case(case):
    """The Indonesian case file of the English example ``case`` (same name, in ``id/``)."""
    return EXAMPLES_ID / case.name


PERENCANA = str(Path(sys.executable).with_name("perencana"))


def run_perencana(*args, stdin=None, env=None, cwd=None):
    """Run the installed ``perencana`` command as a user would, in a real process."""
    command = [PERENCANA, *map(str, args)]
    return subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd or ROOT,
        timeout=120,
    )


def _runner():
    try:
        return CliRunner(mix_stderr=False)  # click 8.1 mixes stderr into stdout unless told
    except TypeError:
        return CliRunner()  # click >= 8.2 keeps them apart, and has no mix_stderr


@contextlib.contextmanager
def _current_folder(folder):
    """``folder`` as the current folder while the block runs (contextlib.chdir is 3.11+)."""
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


def _text(data):
    """Bytes as ``subprocess.run(text=True)`` gives them: UTF-8, universal newlines."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", newline=None).read()


def invoke(*args, stdin=None, env=None, cwd=None, color=False):
    """``perencana ARGS`` run in this process by click's ``CliRunner``, as
    ``run_perencana`` runs it in a real one: the same ``CompletedProcess`` back.

    ``stdin`` (text or bytes) is standard input: empty, and not a terminal, if None.
    ``env`` is added to the environment, and ``cwd`` (the project's root by default,
    as for ``run_perencana``) is the current folder, while the command runs; both are
    put back after. ``color`` keeps click's ANSI styles, as a terminal would (a pipe
    loses them). An exception that the command does not turn into a message and an
    exit code is raised here, as the traceback it would be.
    """
    arguments = [str(arg) for arg in args]
    with _current_folder(cwd or ROOT):
        result = _runner().invoke(
            main,
            arguments,
            input=stdin,
            env=env,
            catch_exceptions=False,
            color=color,
            prog_name="perencana",
        )
    return subprocess.CompletedProcess(
        ["perencana", *arguments],
        result.exit_code,
        _text(result.stdout_bytes),
        _text(result.stderr_bytes),
    )


def _one_white_pixel_png():
    """A valid PNG of one white pixel (what a picture program's output looks like to
    python-docx), made here without any drawing program."""
    import struct
    import zlib

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)  # 1 x 1, 8-bit RGB
    pixels = zlib.compress(b"\x00\xff\xff\xff")  # one row: no filter, white
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@contextlib.contextmanager
def picture_without_a_browser():
    """While the block runs, the Word memo's reasoning picture is a one-pixel PNG
    instead of the one ``rsvg-convert`` or headless Chromium draws (a browser start per
    picture, the costliest part of a Word memo). For tests of what a Word memo says,
    not of its picture: the memo keeps its picture, its size and its place, only the
    pixels differ. ``tests/test_docx.py`` and the page and print tests draw the real
    one."""
    from perencana.engine.memo import picture

    drawn = picture.svg_to_png
    png = _one_white_pixel_png()
    picture.svg_to_png = lambda svg: png if picture.svg_size(svg) else None
    try:
        yield
    finally:
        picture.svg_to_png = drawn
