"""Small helpers shared by the command-line tests."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLE_CASES = sorted(EXAMPLES.glob("*.yaml"))


def run_perencana(*args, stdin=None, env=None, cwd=None):
    """Run the installed ``perencana`` command as a user would, in a real process."""
    command = [str(Path(sys.executable).with_name("perencana")), *map(str, args)]
    return subprocess.run(
        command,
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        cwd=cwd or ROOT,
        timeout=120,
    )
