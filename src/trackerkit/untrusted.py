"""Open a workbook file that came from someone else, within fixed limits.

Everything here runs before any XML parser sees the file: the size, the kind
of file (an old .xls or a password-protected workbook is an OLE2 container,
not a zip), and the zip's directory (member count, total size, compression
ratio) are checked first, so a 2 MB file that inflates to gigabytes is
refused in milliseconds. Members are then read with a hard cap whatever
their headers claim, and XML is parsed with defusedxml, which refuses DTDs
and entity declarations (XXE, "billion laughs").

A workbook comes as a path, as ``bytes`` or as a binary file object (an
upload a web application received): each meets the same limits. Bytes and
streams are read into memory, never more than the file limit and one byte.
"""

from __future__ import annotations

import io
import os
import re
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import TYPE_CHECKING, Protocol, TypeAlias, final

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeElementTree

from trackerkit.errors import TrackerkitError
from trackerkit.files import NotAFileError, open_regular

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ENCRYPTED_STREAM = "EncryptionInfo".encode("utf-16-le")
DOCTYPE = b"<!DOCTYPE"
_DECLARATION = re.compile(rb"<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_ASCII_SAFE = {b"utf-8", b"utf8", b"us-ascii", b"ascii"}
_OLE2_SCAN = 512 * 1024
"""How much of an OLE2 container is searched for the stream that marks an encrypted workbook."""
UNNAMED = "<upload>"
"""The name messages give a workbook that came as bytes or as a stream without a name."""
LOCK_PREFIX = "~$"
"""How Excel names the lock file it keeps beside a workbook that is open."""


class BinaryStream(Protocol):
    """What a workbook from a stream needs: ``read(n)`` giving bytes (a file opened
    ``"rb"``, ``io.BytesIO``, a web framework's upload)."""

    def read(self, size: int, /) -> bytes: ...


WorkbookSource: TypeAlias = "str | os.PathLike[str] | bytes | BinaryStream"
"""A workbook: the path of a file, its whole content, or a binary stream to read it from."""


@dataclass(frozen=True)
class Limits:
    """Bounds for one untrusted workbook; a tracker is far inside every one."""

    file_bytes: int = 25 * 1024 * 1024
    members: int = 1_000
    total_bytes: int = 200 * 1024 * 1024
    member_bytes: int = 60 * 1024 * 1024
    ratio: int = 200
    """Uncompressed over compressed size, per member; real XML stays below 100."""
    xml_elements: int = 400_000
    """XML elements parsed from one workbook (a 200-course tracker has ~60,000), so the
    parsed parts stay small whatever the file holds."""


class WorkbookError(TrackerkitError):
    """A workbook file cannot be read; the message names the file and what to do."""

    def __init__(self, file: str, message: str) -> None:
        super().__init__(f"{file}: {message}")
        self.file = file
        self.reason = message

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        # Sent back from worker processes: rebuild from both parts, not the joined text.
        return type(self), (self.file, self.reason)


@final
class UntrustedWorkbook:
    """The parts of a checked .xlsx zip, read on demand within the limits."""

    def __init__(
        self, source: WorkbookSource, limits: Limits | None = None, *, name: str | None = None
    ) -> None:
        self.file = name if name is not None else source_name(source)
        self.limits = limits or Limits()
        self._zip = _open_checked(source, self.file, self.limits)
        self._elements = 0

    def __enter__(self) -> UntrustedWorkbook:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return self._zip.namelist()

    def has(self, name: str) -> bool:
        try:
            self._zip.getinfo(name)
        except KeyError:
            return False
        return True

    def read(self, name: str) -> bytes:
        """A member's bytes, never more than the member limit whatever its header says."""
        try:
            with self._zip.open(name) as member:
                data = member.read(self.limits.member_bytes + 1)
        except KeyError:
            raise WorkbookError(
                self.file, f"the part {name} is missing; the file is damaged, save it again"
            ) from None
        except (zipfile.BadZipFile, OSError, EOFError, zlib.error, NotImplementedError):
            raise WorkbookError(
                self.file, f"the part {name} is damaged; save the file again"
            ) from None
        except RuntimeError:  # zipfile's word for a member encrypted with a zip password
            raise WorkbookError(
                self.file, "the workbook is protected with a password; remove it and save again"
            ) from None
        if len(data) > self.limits.member_bytes:
            raise WorkbookError(self.file, f"the part {name} is larger than a tracker can be")
        return data

    def xml(self, name: str) -> Element:
        """A member parsed as XML, refusing DTDs, entities and external references.

        A part that is plain UTF-8 and has no DTD (which can only be declared
        with ``<!DOCTYPE``, so a byte search finds it) cannot declare an entity,
        and goes to the fast C parser; anything else goes through defusedxml,
        which refuses what is hostile. Counting ``<`` first bounds the tree's size.
        """
        return self.parse(name, self.read(name))

    def parse(self, name: str, data: bytes) -> Element:
        """``data``, which is the part ``name`` or a piece of it, parsed as :meth:`xml` does."""
        self._elements += data.count(b"<")
        if self._elements > self.limits.xml_elements:
            raise WorkbookError(
                self.file, f"the part {name} holds far more than a tracker can; it is not read"
            )
        try:
            if _plain_utf8(data) and DOCTYPE not in data:
                return ET.fromstring(data)  # noqa: S314 - checked above: no DTD, so no entities
            root: Element = SafeElementTree.fromstring(data, forbid_dtd=True)
        except DefusedXmlException:
            raise WorkbookError(self.file, _entities_message(name)) from None
        except ET.ParseError as error:
            raise WorkbookError(
                self.file, f"the part {name} is not well-formed XML ({error}); save the file again"
            ) from None
        except (ValueError, LookupError):  # an encoding expat cannot read (UTF-7, Shift_JIS)
            raise WorkbookError(
                self.file,
                f"the part {name} is in a text encoding no workbook uses; save the file again",
            ) from None
        return root


def _entities_message(name: str) -> str:
    return (
        f"the part {name} declares XML entities, which a workbook never needs; "
        "the file may be malicious, so it is not read"
    )


def _plain_utf8(head: bytes) -> bool:
    """Whether a part's first bytes declare UTF-8 (or ASCII), so a byte search sees its DTD."""
    head = head.removeprefix(b"\xef\xbb\xbf")
    if not head.startswith(b"<") or b"\x00" in head[:200]:
        return False
    declared = _DECLARATION.match(head)
    return declared is None or declared.group(1).lower() in _ASCII_SAFE


def source_name(source: WorkbookSource) -> str:
    """The name messages give ``source``: its path, a stream's ``name``, else :data:`UNNAMED`."""
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return os.fspath(name) if isinstance(name, (str, os.PathLike)) else UNNAMED


def _open_checked(source: WorkbookSource, file: str, limits: Limits) -> zipfile.ZipFile:
    if isinstance(source, (str, os.PathLike)):
        path, data = os.fspath(source), None
        head, size = _head_and_size(path, file)
    else:
        path, data = "", _in_memory(source, file, limits)
        head, size = data[: len(OLE2_MAGIC)], len(data)
    if PurePath(file).name.startswith(LOCK_PREFIX) and not head.startswith(ZIP_MAGIC):
        raise WorkbookError(file, _lock_message(file))
    if size == 0:
        raise WorkbookError(file, "the file is empty; save the tracker again from Excel")
    if size > limits.file_bytes:
        raise WorkbookError(file, _too_large(path, data, size, limits))
    if head.startswith(OLE2_MAGIC):
        directory = _first_bytes(path, _OLE2_SCAN) if data is None else data[:_OLE2_SCAN]
        raise WorkbookError(file, _ole2_message(directory))
    if not head.startswith(ZIP_MAGIC):
        raise WorkbookError(file, "is not an Excel workbook; save it as .xlsx")
    try:
        archive = zipfile.ZipFile(path if data is None else io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, EOFError):
        raise WorkbookError(
            file, "the workbook is damaged or cut short; save it again as .xlsx"
        ) from None
    try:
        _check_directory(file, archive.infolist(), limits)
    except WorkbookError:
        archive.close()
        raise
    return archive


MEDIA_FOLDER = "xl/media/"
"""Where a workbook keeps the pictures pasted into it."""
_END_OF_DIRECTORY = b"PK\x05\x06"
_TAIL = 64 * 1024 + 22
"""The zip's end record is in its last 22 bytes plus a comment of at most 64 KB."""
_MB = 1024 * 1024


def _too_large(path: str, data: bytes | None, size: int, limits: Limits) -> str:
    """Why a file is refused for its size, naming the pictures when they make it large."""
    limit = limits.file_bytes // _MB
    message = f"the file is larger than {limit} MB, far more than a tracker"
    pictures = _picture_bytes(path, data, limits)
    if pictures * 2 < size:
        return message
    return (
        f"{message}: {pictures / _MB:.1f} MB of its {size / _MB:.1f} MB are pictures pasted "
        "into it; delete them (or keep them elsewhere), save, and read it again"
    )


def _picture_bytes(path: str, data: bytes | None, limits: Limits) -> int:
    """The compressed size of the pictures in a zip, read from its directory alone, and only
    when that directory is small (0 when it is not, or the file is no zip)."""
    try:
        if data is None:
            with open_regular(path) as stream:
                stream.seek(max(0, stream.seek(0, 2) - _TAIL))
                tail = stream.read(_TAIL)
        else:
            tail = data[-_TAIL:]
        at = tail.rfind(_END_OF_DIRECTORY)
        if at < 0 or len(tail) < at + 22:
            return 0
        entries, directory_size = struct.unpack("<HI", tail[at + 10 : at + 16])
        if entries > limits.members or directory_size > _MB:
            return 0
        with zipfile.ZipFile(path if data is None else io.BytesIO(data)) as archive:
            return sum(
                member.compress_size
                for member in archive.infolist()
                if member.filename.startswith(MEDIA_FOLDER)
            )
    except (zipfile.BadZipFile, OSError, EOFError, struct.error):
        return 0


def _head_and_size(path: str, file: str) -> tuple[bytes, int]:
    """The first bytes of the file at ``path`` and its size, in one open."""
    try:
        with open_regular(path) as stream:  # one open for size and magic
            head = stream.read(len(OLE2_MAGIC))
            stream.seek(0, 2)
            return head, stream.tell()
    except NotAFileError as error:
        raise WorkbookError(file, f"is {error.kind}, not a workbook file") from None
    except IsADirectoryError:
        raise WorkbookError(file, "is a folder, not a workbook file") from None
    except FileNotFoundError:
        raise WorkbookError(file, "does not exist; check the file's name and folder") from None
    except OSError as error:
        raise WorkbookError(file, f"cannot be read ({error.strerror or error})") from None


def _first_bytes(path: str, count: int) -> bytes:
    with open_regular(path) as stream:
        return stream.read(count)


def _in_memory(source: bytes | BinaryStream, file: str, limits: Limits) -> bytes:
    """The whole workbook from bytes or a stream, never reading past the file limit.

    A stream may give fewer bytes than asked for (a pipe, a socket), so it is read
    until it ends or the limit is passed; it need not be seekable.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    wanted = limits.file_bytes + 1
    chunks: list[bytes] = []
    total = 0
    while total < wanted:
        try:
            chunk: object = source.read(wanted - total)  # a text stream gives str
        except OSError as error:
            raise WorkbookError(file, f"cannot be read ({error.strerror or error})") from None
        if not isinstance(chunk, (bytes, bytearray)):
            message = f"{file}: the stream gives {type(chunk).__name__}, not bytes; open it 'rb'"
            raise TypeError(message)
        if not chunk:
            break
        chunks.append(bytes(chunk))
        total += len(chunk)
    return b"".join(chunks)


def _lock_message(file: str) -> str:
    workbook = PurePath(file).name.removeprefix(LOCK_PREFIX)
    return (
        f"is not a tracker but the lock file Excel keeps while {workbook} is open; "
        f"close {workbook} in Excel and run again"
    )


def _check_directory(file: str, members: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(members) > limits.members:
        raise WorkbookError(file, f"the workbook has {len(members):,} parts; a tracker has ~30")
    total = sum(member.file_size for member in members)
    if total > limits.total_bytes:
        raise WorkbookError(
            file, "the workbook would unpack to far more than a tracker holds; it is not read"
        )
    for member in members:
        if member.file_size > limits.member_bytes:
            raise WorkbookError(
                file, f"the part {member.filename} is larger than a tracker can be; it is not read"
            )
        if member.file_size > 1024 * 1024 and member.file_size > limits.ratio * max(
            member.compress_size, 1
        ):
            raise WorkbookError(
                file,
                f"the part {member.filename} is compressed suspiciously well "
                "(a zip bomb?); it is not read",
            )


def _ole2_message(directory: bytes) -> str:
    """Tell an encrypted OOXML file from a legacy .xls: both are OLE2 containers."""
    if ENCRYPTED_STREAM in directory:
        return "the workbook is protected with a password; remove the password and save it again"
    return "this is an old Excel 97-2003 file (.xls); save it as an Excel workbook (.xlsx)"
