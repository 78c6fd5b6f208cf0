"""Writing a rendered memo to a file: atomically, and never over a file unasked."""

import contextlib
import errno
import os
import signal
import stat
from pathlib import Path

from perencana.engine.errors import OutputError, OutputExistsError

# Signals held back while the temporary file is created, so that it cannot exist
# without the code that removes it being in charge (see ``_held_signals``).
_HELD = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def write_atomically(path, content, force=False, sync=True):
    """Write ``content`` (text, written as UTF-8, or bytes) to ``path`` through a
    temporary file in the same folder.

    With ``sync`` the file's data reach the disk before it takes the name; without,
    the caller makes them durable later (``sync_files`` then ``sync_folder``), as a
    batch does for a group of memos at once.

    A reader never sees a half-written memo: the temporary file is complete before
    it takes the name. Without ``force`` an existing file is left untouched, checked
    by the link itself so that no file appearing meanwhile is clobbered either. If
    the write is interrupted (an error, Ctrl-C, or SIGTERM when ``cli`` turns it into
    an exception), the temporary file is removed; only SIGKILL can leave one behind
    (``.NAME.*.tmp``), never a partial ``path``.
    """
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    target = Path(path)
    _refuse_what_is_no_regular_file(target, path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise OutputError(f"{path}: the folder {folder} does not exist")
    if _exists(target) and not force:
        raise OutputExistsError(f"{path}: already exists; use --force to overwrite it")
    temporary = None
    try:
        with _held_signals():
            try:
                import tempfile  # only when a file is written

                handle, temporary = tempfile.mkstemp(
                    dir=folder, prefix=f".{target.name}.", suffix=".tmp"
                )
            except OSError as error:
                raise OutputError(f"{path}: cannot write here ({error.strerror})") from None
        try:
            with os.fdopen(handle, "wb") as stream:
                # mkstemp makes the file private (0600); a memo gets the usual mode.
                os.fchmod(stream.fileno(), _mode_for(target, force))
                stream.write(data)
                stream.flush()
                if sync:
                    os.fsync(stream.fileno())
            # Checked again just before the name is taken: a device or FIFO put there
            # meanwhile is not replaced either.
            _refuse_what_is_no_regular_file(target, path)
            if force:
                os.replace(temporary, target)
            else:
                _link_without_clobbering(temporary, target, path)
        except OSError as error:
            # A full disk (ENOSPC), a quota (EDQUOT) or a failing device (EIO): the
            # temporary file goes, and the file at ``path``, if any, is untouched.
            raise OutputError(f"{path}: cannot be written ({_reason(error)})") from None
    finally:
        if temporary is not None and os.path.lexists(temporary):
            with contextlib.suppress(OSError):
                os.unlink(temporary)


def sync_files(paths, threads=1):
    """Make the data of each file of ``paths`` durable (fsync); an ``OSError`` (EIO,
    ENOSPC on a delayed allocation) is raised once all are tried.

    With ``threads`` > 1 the files are synced side by side, so that the file system
    can commit them together rather than one journal commit after another; the
    threads end before this returns (a batch forks no process while they run)."""
    paths = list(paths)
    if threads <= 1 or len(paths) <= 1:
        for path in paths:
            _sync_file(path)
        return
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(threads, len(paths))) as pool:
        futures = [pool.submit(_sync_file, path) for path in paths]
    for future in futures:
        future.result()  # the first error, if any


def _sync_file(path):
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sync_folder(folder):
    """Make the names in ``folder`` durable (fsync of the folder itself), so that a
    file renamed into it survives a power cut; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # Windows, say: a rename there is made durable with the file
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP):  # some systems refuse
            raise
    finally:
        os.close(fd)


def _reason(error):
    return error.strerror or type(error).__name__


def _exists(target):
    """Whether ``target`` names anything, a dangling symbolic link included."""
    return os.path.lexists(target)


def _refuse_what_is_no_regular_file(target, path):
    """A memo replaces only a regular file: never a folder, a device (``/dev/null``),
    a FIFO or a socket, with ``--force`` or not (followed through a symbolic link)."""
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return  # nothing there, or a dangling link: the memo takes the name
    except OSError as error:
        raise OutputError(f"{path}: cannot be written ({_reason(error)})") from None
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise OutputError(f"{path}: is a folder; give a file name for the memo")
    kind = (
        "a device"
        if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
        else "a FIFO (named pipe)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "not a regular file"
    )
    raise OutputError(
        f"{path}: is {kind}, not a regular file; perencana writes only regular files "
        "(--force does not change that); give another file name"
    )


@contextlib.contextmanager
def _held_signals():
    """Block Ctrl-C and SIGTERM for the few statements that create the temporary file
    and note its name; one arriving meanwhile is delivered right after, when the
    ``finally`` that removes the file is already in place."""
    can_block = hasattr(signal, "pthread_sigmask")
    if can_block:
        try:
            previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
        except (OSError, ValueError):  # pragma: no cover - not the main thread, say
            can_block = False
    try:
        yield
    finally:
        if can_block:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _mode_for(target, force):
    """The mode a new memo gets: the replaced file's mode with ``force``, otherwise
    what the umask allows for an ordinary file (0644 under the usual umask)."""
    if force:
        with contextlib.suppress(OSError):
            return target.stat().st_mode & 0o7777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _link_without_clobbering(temporary, target, path):
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise OutputExistsError(f"{path}: already exists; use --force to overwrite it") from None
    except OSError:
        # Some file systems cannot hard-link; fall back to a checked rename.
        if target.exists():
            raise OutputExistsError(
                f"{path}: already exists; use --force to overwrite it"
            ) from None
        os.replace(temporary, target)


@contextlib.contextmanager
def exit_on_termination():
    """While the block runs, SIGTERM (and SIGHUP) raise ``SystemExit(128 + signal)``
    instead of killing the process outright, so that ``finally`` blocks run and no
    temporary file is left behind; the previous handlers are put back after."""
    previous = {}
    for number in _HELD:
        if number == getattr(signal, "SIGINT", None):
            continue  # Python already raises KeyboardInterrupt for Ctrl-C
        with contextlib.suppress(OSError, ValueError):  # not the main thread, say
            previous[number] = signal.signal(number, _raise_exit)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _raise_exit(number, frame):
    raise SystemExit(128 + number)
