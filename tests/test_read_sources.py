"""``read_tracker`` from a path, bytes or a file object, and ``has_entries``: one way to read.

A web application that receives an upload hands over bytes or a stream; each
must meet the same limits as a file on disk, and name itself sensibly in messages.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import TYPE_CHECKING

import pytest

from fills import open_book, put
from trackerkit import (
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    Status,
    WorkbookError,
    build_tracker,
    has_entries,
    read_tracker,
)
from trackerkit import layout as lay
from trackerkit.untrusted import Limits

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog, Role


@pytest.fixture
def role(bundled: Catalog) -> Role:
    return bundled.roles["psr-i"]


@pytest.fixture
def tracker(role: Role, tmp_path: Path) -> Path:
    return build_tracker(role, tmp_path / "ana.xlsx", employee=Employee(name="Ana"))


class Trickle:
    """A stream that cannot seek and gives at most 1,000 bytes a read, as a socket may."""

    def __init__(self, data: bytes) -> None:
        self._data = data
        self.reads = 0

    def read(self, size: int = -1) -> bytes:
        self.reads += 1
        size = 1_000 if size < 0 else min(size, 1_000)
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk

    def seekable(self) -> bool:
        return False


def zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"\0" * (50 << 20))
    return buffer.getvalue()


def refusal(source: object, **options: object) -> str:
    with pytest.raises(WorkbookError) as caught:
        read_tracker(source, **options)  # type: ignore[arg-type]
    return str(caught.value)


# --- each kind of source reads the same ----------------------------------------------------


def test_bytes_a_file_object_and_a_stream_read_as_the_path_does(
    tracker: Path, bundled: Catalog
) -> None:
    from_path = read_tracker(tracker, catalog=bundled)
    data = tracker.read_bytes()
    with tracker.open("rb") as opened:
        from_file = read_tracker(opened, catalog=bundled)
    trickle = Trickle(data)
    from_stream = read_tracker(trickle, catalog=bundled)
    from_bytes = read_tracker(data, catalog=bundled)
    assert from_path.employee.name == "Ana"
    for other in (from_file, from_stream, from_bytes):
        assert (other.entries, other.role, other.problems) == (
            from_path.entries,
            from_path.role,
            from_path.problems,
        )
    assert trickle.reads > len(data) // 1_000  # read to its end in pieces, never sought


def test_the_name_in_messages_and_results(tracker: Path, bundled: Catalog) -> None:
    data = tracker.read_bytes()
    with tracker.open("rb") as opened:
        assert read_tracker(opened, catalog=bundled).file == str(tracker)
    assert read_tracker(data, catalog=bundled).file == "<upload>"
    assert read_tracker(io.BytesIO(data), catalog=bundled).file == "<upload>"
    named = read_tracker(data, catalog=bundled, name="jordan.xlsx")
    assert named.file == "jordan.xlsx"
    assert refusal(b"name,status\n", name="jordan.xlsx") == (
        "jordan.xlsx: is not an Excel workbook; save it as .xlsx"
    )
    assert refusal(io.BytesIO(b"")) == (
        "<upload>: the file is empty; save the tracker again from Excel"
    )


# --- the limits hold for every source ------------------------------------------------------


@pytest.mark.parametrize("wrap", [bytes, io.BytesIO, Trickle], ids=["bytes", "BytesIO", "stream"])
def test_a_zip_bomb_is_refused_from_memory_too(wrap: type) -> None:
    assert refusal(wrap(zip_bomb())) == (
        "<upload>: the part xl/workbook.xml is compressed suspiciously well (a zip bomb?); "
        "it is not read"
    )


def test_a_stream_is_read_no_further_than_the_file_limit() -> None:
    stream = io.BytesIO(b"PK\x03\x04" + b"\0" * 5_000)
    assert refusal(stream, limits=Limits(file_bytes=1_000)).startswith(
        "<upload>: the file is larger than 0 MB"
    )
    assert stream.tell() == 1_001


@pytest.mark.parametrize("wrap", [bytes, io.BytesIO], ids=["bytes", "BytesIO"])
def test_too_many_parts_and_entities_are_refused_from_memory(wrap: type) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(20):
            archive.writestr(f"part{number}.xml", b"<a/>")
    assert refusal(wrap(buffer.getvalue()), limits=Limits(members=10)) == (
        "<upload>: the workbook has 20 parts; a tracker has ~30"
    )
    hostile = io.BytesIO()
    with zipfile.ZipFile(hostile, "w") as archive:
        archive.writestr(
            "xl/workbook.xml",
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><workbook>&a;</workbook>',
        )
    assert refusal(wrap(hostile.getvalue())) == (
        "<upload>: the part xl/workbook.xml declares XML entities, which a workbook never "
        "needs; the file may be malicious, so it is not read"
    )


def test_old_xls_bytes_are_told_apart() -> None:
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert refusal(data).endswith(
        ": this is an old Excel 97-2003 file (.xls); save it as an Excel workbook (.xlsx)"
    )


def test_a_text_stream_is_a_programming_error(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_text("x", encoding="utf-8")
    with (tmp_path / "t.xlsx").open(encoding="utf-8") as text, pytest.raises(TypeError) as caught:
        read_tracker(text)  # type: ignore[arg-type]
    assert (
        str(caught.value) == f"{tmp_path / 't.xlsx'}: the stream gives str, not bytes; open it 'rb'"
    )


# --- Excel's lock files ----------------------------------------------------------------------


def test_a_lock_file_is_said_to_be_one(tmp_path: Path) -> None:
    lock = tmp_path / "~$ana.xlsx"
    lock.write_bytes(b"\x07Ana Diaz" + b" " * 100)
    message = (
        "is not a tracker but the lock file Excel keeps while ana.xlsx is open; "
        "close ana.xlsx in Excel and run again"
    )
    assert refusal(lock) == f"{lock}: {message}"
    assert refusal(lock.read_bytes(), name="~$ana.xlsx") == f"~$ana.xlsx: {message}"


# --- has_entries: the reader decides what "filled in" means --------------------------------


def test_a_blank_tracker_has_no_entries(role: Role, tmp_path: Path) -> None:
    path = build_tracker(role, tmp_path / "blank.xlsx")
    assert has_entries(path) is False
    assert has_entries(path.read_bytes()) is False


@pytest.mark.parametrize(
    "entries",
    [
        Entries(employee=Employee(name="Ana")),
        Entries(courses={"hipaa-privacy-security": CourseEntry(Status.PLANNED)}),
        Entries(courses={"hipaa-privacy-security": CourseEntry(notes="asked Lee")}),
        Entries(courses={"hipaa-privacy-security": CourseEntry(target_date=dt.date(2027, 1, 4))}),
        Entries(competencies={"composure": CompetencyEntry(self_rating=2)}),
    ],
    ids=["employee", "status", "notes", "date", "rating"],
)
def test_anything_entered_counts(role: Role, tmp_path: Path, entries: Entries) -> None:
    known = {item.id for item in role.courses} | {item.id for item in role.competencies}
    assert set(entries.courses) | set(entries.competencies) <= known
    assert has_entries(build_tracker(role, tmp_path / "t.xlsx", employee=entries)) is True


def test_not_started_typed_in_is_still_blank(role: Role, tmp_path: Path) -> None:
    path = build_tracker(role, tmp_path / "t.xlsx")
    layout = lay.layout_for(role)
    book = open_book(path)
    course = role.courses[0].id
    put(
        book[lay.CHECKLIST], layout.courses.row(course), layout.courses.col("status"), "Not started"
    )
    book.save(path)
    assert has_entries(path) is False


def test_an_entry_that_cannot_be_read_counts(role: Role, tmp_path: Path) -> None:
    path = build_tracker(role, tmp_path / "t.xlsx")
    layout = lay.layout_for(role)
    book = open_book(path)
    course = role.courses[0].id
    put(book[lay.CHECKLIST], layout.courses.row(course), layout.courses.col("status"), "Done")
    book.save(path)
    assert read_tracker(path).courses[course].status is None  # not understood: kept empty
    assert has_entries(path) is True


def test_a_tracker_of_a_role_nobody_has_is_still_judged(bundled: Catalog, tmp_path: Path) -> None:
    from dataclasses import replace

    stranger = replace(bundled.roles["psr-i"], id="not-in-any-catalog")
    assert has_entries(build_tracker(stranger, tmp_path / "a.xlsx")) is False
    filled = build_tracker(stranger, tmp_path / "b.xlsx", employee=Employee(manager="Lee"))
    assert has_entries(filled) is True


def test_a_file_that_is_no_tracker_cannot_be_judged(tmp_path: Path) -> None:
    (tmp_path / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    with pytest.raises(WorkbookError):
        has_entries(tmp_path / "notes.xlsx")


def test_build_keeps_a_filled_tracker_and_names_force_true(role: Role, tracker: Path) -> None:
    from trackerkit import KeptError, TrackerError

    before = tracker.read_bytes()
    with pytest.raises(KeptError) as caught:
        build_tracker(role, tracker)
    assert isinstance(caught.value, TrackerError)
    assert str(caught.value) == (
        f"{tracker}: this tracker has entries; it was left as it is (use force=True to replace it)"
    )
    assert caught.value.skipped.line(force="--force").endswith("(use --force to replace it)")
    assert tracker.read_bytes() == before
    build_tracker(role, tracker, force=True)
    assert has_entries(tracker) is False
