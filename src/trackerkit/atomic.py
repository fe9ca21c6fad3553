"""Write files so that a crash leaves either the old file or the new one, never half.

Only a regular file (or nothing) is ever replaced: a symbolic link is followed, so the
file it points to gets the bytes and the link stays; a device or a named pipe gets the
bytes written through to it (``-o /dev/stdout``), a pipe only when a program is reading
it; anything else (a folder, a socket) is refused with what it is.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

from trackerkit.files import NotAFileError, existing_kind


def umask() -> int:
    """The process's file-creation mask, read without changing it."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place."""
    target = Path(os.path.realpath(path))  # a link is followed, never replaced
    kind = existing_kind(target)
    if kind is not None:
        mode = target.stat().st_mode
        if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
            _write_through(target, data)
            return
        if stat.S_ISDIR(mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), os.fspath(path))
        raise NotAFileError(path, kind)
    _replace(target, data)


def _replace(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # mkstemp makes the file private (0600); give it the mode any new file gets here.
        Path(temporary).chmod(0o666 & ~umask())
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _write_through(path: Path, data: bytes) -> None:
    """Write to a device, or to a pipe a program is reading (never wait for one to start)."""
    try:
        handle = os.open(path, os.O_WRONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if error.errno == errno.ENXIO:
            message = "it is a named pipe (FIFO) that no program is reading"
            raise OSError(errno.ENXIO, message, os.fspath(path)) from None
        raise
    os.set_blocking(handle, True)
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)
