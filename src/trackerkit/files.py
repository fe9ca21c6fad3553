"""Only regular files are read, and only regular files are replaced.

A named pipe (FIFO) blocks whoever opens it until another program opens its other
end, so one named ``*.xlsx`` or ``*.yaml`` in a folder would hang a command forever;
a device, a socket or a folder is no file to read either. Everything that reads a
person's file opens it through :func:`open_regular`, which never blocks and says
what the path is instead. Writing follows the same rule from the other side: see
:func:`trackerkit.atomic.write_bytes`.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import TYPE_CHECKING, BinaryIO

if TYPE_CHECKING:
    from pathlib import Path

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")


class NotAFileError(OSError):
    """The path is something other than a regular file; ``strerror`` says what."""

    def __init__(self, path: str | os.PathLike[str], kind: str) -> None:
        super().__init__(errno.EINVAL, f"it is {kind}, not a file", os.fspath(path))
        self.kind = kind


def open_regular(path: str | os.PathLike[str]) -> BinaryIO:
    """``path`` opened for reading, when it is a regular file (a link to one is fine).

    Opened without blocking, so a named pipe is refused at once rather than waited on.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    handle = os.open(path, flags)
    kind = kind_of(os.fstat(handle).st_mode)
    if kind is not None:
        os.close(handle)
        raise NotAFileError(path, kind)
    return os.fdopen(handle, "rb")


def existing_kind(path: Path) -> str | None:
    """What ``path`` is when it exists and is no regular file (links followed), else None."""
    try:
        return kind_of(path.stat().st_mode)
    except FileNotFoundError:
        return None


_SUPERSCRIPT_DIGITS = "\u00b9\u00b2\u00b3"
WINDOWS_RESERVED = frozenset(
    {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"{port}{n}" for port in ("COM", "LPT") for n in (*"0123456789", *_SUPERSCRIPT_DIGITS)),
    }
)
"""Names Windows keeps for devices, whatever follows them after a dot (``nul.xlsx`` too)."""


def is_reserved(stem: str) -> bool:
    """Whether Windows refuses ``stem`` (or ``stem.anything``) as a file name."""
    return stem.split(".", 1)[0].upper() in WINDOWS_RESERVED
