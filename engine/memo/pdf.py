"""The memo as PDF (``--format pdf``): the HTML memo printed by a headless Chromium.

Chromium is not a Python dependency: it is found on the PATH as ``chromium``,
``chromium-browser`` or ``google-chrome`` (or at the path in ``PERENCANA_CHROMIUM``),
and without it the PDF format stops with a message saying what to install. The
browser's own header and footer (a date and a ``file://`` path) are switched off; the
page numbers come from the memo's print CSS (``@page`` margin boxes in
``templates/memo.html.j2``).
"""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from perencana.engine.errors import OutputError

ENVIRONMENT = "PERENCANA_CHROMIUM"
NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT = 180  # seconds; a rich memo prints in two or three
INSTALL_HINT = (
    "install Chromium (Debian/Ubuntu: apt-get install chromium) "
    f"or set {ENVIRONMENT} to the browser's path"
)


def find_chromium():
    """The path of a Chromium to print with, or ``None``."""
    named = os.environ.get(ENVIRONMENT)
    if named:
        return shutil.which(named) or (named if Path(named).is_file() else None)
    return next((found for name in NAMES if (found := shutil.which(name))), None)


def chromium_command(chromium, html, pdf, profile):
    """The command line printing the page ``html`` to the file ``pdf``."""
    return [
        chromium,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        # No browser header or footer: the first switch for Chromium 120 and later,
        # the second for older ones (each ignores the switch it does not know).
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",
        # Offline and quiet: no updates, sync, crash reports or first-run pages.
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-breakpad",
        "--metrics-recording-only",
        f"--user-data-dir={profile}",
        f"--print-to-pdf={pdf}",
        Path(html).as_uri(),
    ]


def html_to_pdf(html):
    """The PDF (bytes) of the HTML memo ``html`` (text), printed by headless Chromium."""
    chromium = find_chromium()
    if chromium is None:
        where = os.environ.get(ENVIRONMENT)
        found = f"{ENVIRONMENT}={where} is not a program" if where else "no Chromium found"
        raise OutputError(f"the PDF format needs a headless Chromium ({found}): {INSTALL_HINT}")
    with tempfile.TemporaryDirectory(prefix="perencana-pdf-") as scratch:
        page = Path(scratch, "memo.html")
        page.write_text(html, encoding="utf-8")
        pdf = Path(scratch, "memo.pdf")
        profile = Path(scratch, "profile")
        try:
            done = subprocess.run(
                chromium_command(chromium, page, pdf, profile),
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise OutputError(f"{chromium} did not print the memo in {TIMEOUT} s") from None
        except OSError as error:
            raise OutputError(f"{chromium} cannot run ({error.strerror}): {INSTALL_HINT}") from None
        data = pdf.read_bytes() if pdf.is_file() else b""
        if not data.startswith(b"%PDF-"):
            said = " ".join(done.stderr.split()[-40:])
            raise OutputError(
                f"{chromium} printed no PDF (exit code {done.returncode})"
                + (f": {said}" if said else "")
            )
        return data
