"""What perencana works out once and keeps in ``__pycache__`` beside its sources, as
Python keeps compiled modules: the checked knowledge (``knowledge/loader.py``) and the
rules' conclusions (``engine/reasoning/rule_catalog.py``). It lives with the knowledge,
which the layout keeps a leaf of the engine, so that both may use it.

A kept file is named ``PREFIX.FORMAT-PYTHON.DIGEST.marshal``: its digest (CRC-32 and
length of the sources it was made from: an edit that keeps both is vanishingly
unlikely, and hashlib's import alone costs more than the check) makes an edited source
be read afresh, and its format and Python version keep a file of another shape or
another ``marshal`` from being read. It is written whole or not at all, and one that
cannot be read or written (a read-only install) is passed over.
"""

import contextlib
import marshal
import os
import sys
import zlib
from pathlib import Path

PYTHON = f"{sys.version_info[0]}{sys.version_info[1]}"  # marshal's format goes with it


def kept_file(folder, prefix, version, source):
    """Where the value made from ``source`` (bytes) of ``folder`` is kept."""
    digest = f"{zlib.crc32(source):08x}{len(source):x}"
    return Path(folder) / "__pycache__" / f"{prefix}.{version}-{PYTHON}.{digest}.marshal"


def read_kept(path):
    """The value kept at ``path``, or ``None`` when there is none that can be read."""
    try:
        return marshal.loads(Path(path).read_bytes())
    except Exception:  # noqa: BLE001 (a missing, damaged or foreign file: made anew)
        return None


def keep(path, prefix, value):
    """Keep ``value`` at ``path``, whole or not at all, and remove the older files
    of ``prefix`` beside it made by the same Python, whatever their format (another
    Python's stays, as its compiled modules do: one checkout run by two Pythons
    would otherwise read the sources afresh at every switch); any failure leaves
    nothing behind."""
    import tempfile  # only when a file is written: not on a command's short path

    path = Path(path)
    temporary = None
    try:
        path.parent.mkdir(exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(marshal.dumps(value))
        os.replace(temporary, path)
        temporary = None
        for old in path.parent.glob(f"{prefix}.*-{PYTHON}.*.marshal"):
            if old != path:
                old.unlink(missing_ok=True)
    except (OSError, ValueError):  # ValueError: a value marshal cannot write
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
