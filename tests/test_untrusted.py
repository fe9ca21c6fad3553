"""Hostile and broken workbook files: one clear sentence each, fast, bounded."""

from __future__ import annotations

import io
import os
import time
import zipfile
from typing import TYPE_CHECKING

import pytest

from trackerkit import build_tracker, load_catalog
from trackerkit.untrusted import OLE2_MAGIC, Limits, UntrustedWorkbook, WorkbookError

if TYPE_CHECKING:
    from pathlib import Path


def refused(path: Path, limits: Limits | None = None) -> str:
    with pytest.raises(WorkbookError) as caught:
        UntrustedWorkbook(path, limits).close()
    return str(caught.value)


def zip_of(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_real_tracker_opens_and_parses(tmp_path: Path) -> None:
    path = build_tracker(load_catalog().roles["psr-i"], tmp_path / "t.xlsx")
    with UntrustedWorkbook(path) as book:
        assert "xl/workbook.xml" in book.names()
        root = book.xml("xl/workbook.xml")
        assert root.tag.endswith("workbook")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_bytes(b"")
    assert refused(tmp_path / "t.xlsx") == (
        f"{tmp_path / 't.xlsx'}: the file is empty; save the tracker again from Excel"
    )


def test_not_a_zip(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_text("name,status\nAna,Completed\n", encoding="utf-8")
    assert refused(tmp_path / "t.xlsx").endswith(": is not an Excel workbook; save it as .xlsx")


def test_a_folder(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").mkdir()
    assert refused(tmp_path / "t.xlsx").endswith(": is a folder, not a workbook file")


def test_truncated_zip(tmp_path: Path) -> None:
    whole = (build_tracker(load_catalog().roles["psr-i"], tmp_path / "t.xlsx")).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(whole[: len(whole) // 2])
    assert refused(tmp_path / "cut.xlsx").endswith(
        ": the workbook is damaged or cut short; save it again as .xlsx"
    )


def test_legacy_xls(tmp_path: Path) -> None:
    workbook_stream = "Workbook".encode("utf-16-le")
    (tmp_path / "t.xls").write_bytes(OLE2_MAGIC + b"\x00" * 1000 + workbook_stream + b"\x00" * 100)
    assert refused(tmp_path / "t.xls").endswith(
        ": this is an old Excel 97-2003 file (.xls); save it as an Excel workbook (.xlsx)"
    )


def test_password_protected_workbook(tmp_path: Path) -> None:
    encrypted = "EncryptionInfo".encode("utf-16-le")
    (tmp_path / "t.xlsx").write_bytes(OLE2_MAGIC + b"\x00" * 1000 + encrypted + b"\x00" * 100)
    assert refused(tmp_path / "t.xlsx").endswith(
        ": the workbook is protected with a password; remove the password and save it again"
    )


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path) -> None:
    bomb = zip_of({"xl/worksheets/sheet1.xml": b"\0" * (300 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    (tmp_path / "bomb.xlsx").write_bytes(bomb)
    started = time.process_time()
    message = refused(tmp_path / "bomb.xlsx")
    assert time.process_time() - started < 5  # a bound on work done, not a speed claim
    assert message.endswith(
        ": the workbook would unpack to far more than a tracker holds; it is not read"
    )


def test_a_member_compressed_too_well_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_bytes(zip_of({"xl/sharedStrings.xml": b"\0" * (20 << 20)}))
    assert refused(tmp_path / "t.xlsx").endswith(
        ": the part xl/sharedStrings.xml is compressed suspiciously well (a zip bomb?); "
        "it is not read"
    )


def test_a_member_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_bytes(zip_of({"xl/a.xml": b"<a/>" * 1000}))
    assert refused(tmp_path / "t.xlsx", Limits(member_bytes=100)).endswith(
        ": the part xl/a.xml is larger than a tracker can be; it is not read"
    )


def test_a_member_lying_about_its_size_is_cut_at_the_limit(tmp_path: Path) -> None:
    data = bytearray(zip_of({"xl/big.xml": b"<a>" + b"x" * 5000 + b"</a>"}, zipfile.ZIP_STORED))
    # Shrink the declared sizes in the central directory so the checks pass...
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    (tmp_path / "liar.xlsx").write_bytes(bytes(data))
    limits = Limits(member_bytes=1000)
    with pytest.raises(WorkbookError), UntrustedWorkbook(tmp_path / "liar.xlsx", limits) as book:
        # ...but reading still stops at the limit (or zipfile notices the lie).
        book.read("xl/big.xml")


def test_too_many_members(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_bytes(zip_of({f"x/{n}.xml": b"<a/>" for n in range(50)}))
    assert refused(tmp_path / "t.xlsx", Limits(members=10)).endswith(
        ": the workbook has 50 parts; a tracker has ~30"
    )


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_bytes(zip_of({"a.xml": b"<a/>"}) + b"\0" * 3000)
    assert refused(tmp_path / "t.xlsx", Limits(file_bytes=2048)).endswith(
        ": the file is larger than 0 MB, far more than a tracker"
    )


def test_a_tracker_made_large_by_pasted_pictures_says_so(tmp_path: Path) -> None:
    tracker = build_tracker(load_catalog().roles["psr-i"], tmp_path / "t.xlsx")
    with zipfile.ZipFile(tracker, "a") as book:  # a photo does not compress: stored as it is
        book.writestr("xl/media/image1.jpeg", os.urandom(26 * 1024 * 1024), zipfile.ZIP_STORED)
    message = refused(tracker)
    assert message.endswith(
        ": the file is larger than 25 MB, far more than a tracker: 26.0 MB of its 26.0 MB are "
        "pictures pasted into it; delete them (or keep them elsewhere), save, and read it again"
    )


def test_a_large_file_without_pictures_gets_no_picture_hint(tmp_path: Path) -> None:
    members = {"xl/worksheets/sheet1.xml": os.urandom(4096), "xl/media/small.png": b"png"}
    (tmp_path / "t.xlsx").write_bytes(zip_of(members, zipfile.ZIP_STORED))
    assert refused(tmp_path / "t.xlsx", Limits(file_bytes=2048)).endswith(
        ": the file is larger than 0 MB, far more than a tracker"
    )


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>',
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>',
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY l0 "ha"><!ENTITY l1 "&l0;&l0;&l0;">]>'
        b"<a>&l1;</a>",
    ],
    ids=["entity", "external-entity", "billion-laughs"],
)
def test_xml_with_entities_is_refused(tmp_path: Path, xml: bytes) -> None:
    (tmp_path / "t.xlsx").write_bytes(zip_of({"xl/workbook.xml": xml}))
    with UntrustedWorkbook(tmp_path / "t.xlsx") as book, pytest.raises(WorkbookError) as caught:
        book.xml("xl/workbook.xml")
    assert str(caught.value).endswith(
        ": the part xl/workbook.xml declares XML entities, which a workbook never needs; "
        "the file may be malicious, so it is not read"
    )


def test_malformed_xml_and_missing_parts(tmp_path: Path) -> None:
    (tmp_path / "t.xlsx").write_bytes(zip_of({"xl/workbook.xml": b"<a><b></a>"}))
    with UntrustedWorkbook(tmp_path / "t.xlsx") as book:
        with pytest.raises(WorkbookError, match="is not well-formed XML"):
            book.xml("xl/workbook.xml")
        with pytest.raises(WorkbookError, match=r"the part xl/styles\.xml is missing"):
            book.read("xl/styles.xml")


def test_defusedxml_is_a_hard_dependency() -> None:
    from importlib.metadata import requires

    assert any(line.lower().startswith("defusedxml") for line in requires("trackerkit") or [])
