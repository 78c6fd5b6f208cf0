"""Writing a rendered memo to a file: atomically, and never over a file unasked."""

import os
import tempfile
from pathlib import Path

from engine.errors import OutputError


def write_atomically(path, text, force=False):
    """Write ``text`` to ``path`` through a temporary file in the same folder.

    A reader never sees a half-written memo: the temporary file is complete before
    it takes the name. Without ``force`` an existing file is left untouched, checked
    by the link itself so that no file appearing meanwhile is clobbered either.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"{path}: is a folder; give a file name for the memo")
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist")
    if target.exists() and not force:
        raise OutputError(f"{path}: already exists; use --force to overwrite it")
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as error:
        raise OutputError(f"{path}: cannot write here ({error.strerror})") from None
    # mkstemp makes the file private (0600); a memo gets the usual permissions.
    os.chmod(temporary, 0o666 & ~_current_umask())
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        if force:
            os.replace(temporary, target)
        else:
            _link_without_clobbering(temporary, target, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _current_umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _link_without_clobbering(temporary, target, path):
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise OutputError(f"{path}: already exists; use --force to overwrite it") from None
    except OSError:
        # Some file systems cannot hard-link; fall back to a checked rename.
        if target.exists():
            raise OutputError(f"{path}: already exists; use --force to overwrite it") from None
        os.replace(temporary, target)
