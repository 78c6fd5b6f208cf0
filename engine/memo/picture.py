"""The memo's SVG picture as PNG, for the Word memo (Word's SVG support needs a PNG
beside it, and older Word and LibreOffice show only the PNG).

No Python dependency draws SVG; two programs on the machine can: ``rsvg-convert``
(librsvg) first, else the headless Chromium that prints PDFs
(``perencana.engine.memo.pdf``). With neither, ``svg_to_png`` gives ``None`` and the
Word memo says the picture is left out. The same SVG gives the same PNG bytes on the
same machine, so a Word memo stays byte-identical for the same case.
"""

import re
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from perencana.engine.memo.pdf import chromium_command, find_chromium

SCALE = 2  # pixels per SVG unit: sharp when printed at the text's width
TIMEOUT = 120
_NUMBER = r"([0-9]+(?:\.[0-9]+)?)"


def svg_size(svg):
    """The SVG's width and height in its own units (from ``viewBox``, else the
    ``width`` and ``height`` attributes), or ``None``."""
    head = svg[: svg.find(">") + 1]
    box = re.search(rf'viewBox="\s*[-0-9.]+[ ,]+[-0-9.]+[ ,]+{_NUMBER}[ ,]+{_NUMBER}\s*"', head)
    if box:
        return float(box.group(1)), float(box.group(2))
    width = re.search(rf'\swidth="{_NUMBER}', head)
    height = re.search(rf'\sheight="{_NUMBER}', head)
    if width and height:
        return float(width.group(1)), float(height.group(1))
    return None


@lru_cache(maxsize=32)
def svg_to_png(svg):
    """The PNG (bytes) of ``svg`` (text) on a white ground, or ``None`` when no
    program here can draw it (or the SVG has no size)."""
    size = svg_size(svg)
    if not svg or size is None:
        return None
    width, height = (max(1, round(side)) for side in size)
    with tempfile.TemporaryDirectory(prefix="perencana-png-") as scratch:
        source = Path(scratch, "picture.svg")
        source.write_text(svg, encoding="utf-8")
        target = Path(scratch, "picture.png")
        for command in _commands(source, target, width, height, Path(scratch, "profile")):
            try:
                subprocess.run(
                    command,
                    capture_output=True,
                    timeout=TIMEOUT,
                    stdin=subprocess.DEVNULL,
                    check=False,
                )
            except (OSError, subprocess.TimeoutExpired):
                continue
            if target.is_file() and target.read_bytes().startswith(b"\x89PNG"):
                return target.read_bytes()
    return None


def _commands(source, target, width, height, profile):
    rsvg = shutil.which("rsvg-convert")
    if rsvg:
        yield [rsvg, "--zoom", str(SCALE),
               "--background-color", "white", "--output", str(target), str(source)]  # fmt: skip
    chromium = find_chromium()
    if chromium:
        page = source.with_suffix(".html")
        page.write_text(
            "<!doctype html><html><head><style>html,body{margin:0;background:#fff}"
            f"svg{{display:block;width:{width}px;height:{height}px}}</style></head>"
            f"<body>{source.read_text(encoding='utf-8')}</body></html>",
            encoding="utf-8",
        )
        command = chromium_command(chromium, page, target, profile)
        printing = next(arg for arg in command if arg.startswith("--print-to-pdf="))
        command[command.index(printing)] = f"--screenshot={target}"
        command[-1:-1] = [
            f"--window-size={width},{height}",
            f"--force-device-scale-factor={SCALE}",
            "--hide-scrollbars",
        ]
        yield command
