"""Hostile and broken files read through ``read_tracker`` and ``trackerkit read``.

A person gets one line that names the file and says what to do, never a
traceback; a hostile file is refused before it costs memory or leaks a byte
of anything it points at; a file that is merely odd still reads.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import tracemalloc
import warnings
import zipfile
from types import MappingProxyType
from typing import TYPE_CHECKING

import openpyxl
import pytest
from defusedxml import ElementTree as SafeElementTree

from trackerkit import (
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    FilledTracker,
    Severity,
    Status,
    WorkbookError,
    build_tracker,
    read_tracker,
)
from trackerkit import layout as lay
from trackerkit.cli import main
from trackerkit.problem_codes import Code
from trackerkit.refs import column_letters
from trackerkit.untrusted import OLE2_MAGIC

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from trackerkit import Catalog, Role

CHECKLIST = "Course Checklist"
COVERAGE = "Competency Coverage"
STRINGS = "xl/sharedStrings.xml"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
PEAK_BYTES = 50 * 1024 * 1024
"""Reading one tracker, however odd its cells, stays far below this (a tracker needs ~6 MB)."""
LEAK_MARKER = "trackerkit-secret-4f1c9e"
"""Text of a local file a hostile part points at; it must never reach any output."""
ENTITIES = (
    "declares XML entities, which a workbook never needs; "
    "the file may be malicious, so it is not read"
)
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_PACKAGE_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


pytestmark = pytest.mark.usefixtures("codes_match_messages")


# --- helpers ------------------------------------------------------------------------------


def members(path: Path) -> dict[str, bytes]:
    """Every part of a zip, by name, in the zip's order."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zip_of(parts: dict[str, bytes], stored: frozenset[str] = frozenset()) -> bytes:
    """A zip of ``parts``, deflated except the names in ``stored``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            archive.writestr(name, data, compress_type=method)
    return buffer.getvalue()


def write(path: Path, parts: dict[str, bytes]) -> Path:
    path.write_bytes(zip_of(parts))
    return path


def sheet_part(parts: dict[str, bytes], sheet: str) -> str:
    """The zip member holding ``sheet``, found through the workbook and its relationships."""
    book = SafeElementTree.fromstring(parts["xl/workbook.xml"])
    rel = next(
        element.get(_REL_ID, "")
        for element in book.iter(f"{_MAIN_NS}sheet")
        if element.get("name") == sheet
    )
    rels = SafeElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = next(
        element.get("Target", "")
        for element in rels.iter(f"{_PACKAGE_NS}Relationship")
        if element.get("Id") == rel
    )
    return f"xl/{target}"


def string_index(parts: dict[str, bytes], text: str) -> int:
    """The index of ``text`` among the workbook's shared strings."""
    items = SafeElementTree.fromstring(parts[STRINGS])
    return [item.findtext(f"{_MAIN_NS}t") for item in items].index(text)


def central_entry(data: bytes | bytearray, name: str) -> int:
    """The offset of ``name``'s record in a zip's central directory."""
    entry = data.index(b"PK\x01\x02")
    while True:
        length = struct.unpack_from("<H", data, entry + 28)[0]
        if data[entry + 46 : entry + 46 + length] == name.encode():
            return entry
        entry = data.index(b"PK\x01\x02", entry + 4)


def set_cell(xml: bytes, ref: str, cell: bytes) -> bytes:
    """``xml`` with the ``<c>`` element at ``ref`` (which must be there) replaced by ``cell``."""
    pattern = re.compile(rb'<c r="%s"(?:\s[^>]*?)?(?:/>|(?<!/)>.*?</c>)' % ref.encode())
    changed, count = pattern.subn(lambda _: cell, xml, count=1)
    assert count == 1, f"no cell {ref} in the part"
    return changed


def add_row(xml: bytes, row: bytes) -> bytes:
    """``xml`` with ``row`` appended as the last row of its sheet data."""
    assert xml.count(b"</sheetData>") == 1
    return xml.replace(b"</sheetData>", row + b"</sheetData>")


def address(role: Role, table: str, item_id: str, key: str) -> str:
    """The A1 address of one input cell, as the layout places it."""
    found = getattr(lay.layout_for(role), table)
    return f"{column_letters(found.col(key) + 1)}{found.row(item_id) + 1}"


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, list[str]]:
    """Exit code, standard output and standard error lines of ``trackerkit read``."""
    code = main(["read", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err.splitlines()


def refusal(path: Path, capsys: pytest.CaptureFixture[str], catalog: Catalog) -> str:
    """The reason a file is refused, checked to reach a person the same way from both doors.

    ``read_tracker`` raises a WorkbookError naming the file; the CLI prints
    exactly that as one line, then the summary, prints no data and exits 1.
    """
    with pytest.raises(WorkbookError) as caught:
        read_tracker(path, catalog=catalog)
    error = caught.value
    assert error.file == str(path)
    assert str(error) == f"{path}: {error.reason}"
    assert "\n" not in error.reason
    code, out, err = cli(capsys, str(path))
    assert (code, out) == (1, "")
    assert err == [
        f"{path}: {error.reason}",
        "0 trackers read: 0 errors, 0 warnings; 1 file could not be read",
    ]
    assert "Traceback" not in "\n".join(err)
    return error.reason


def measured(path: Path, catalog: Catalog) -> tuple[FilledTracker, int]:
    """A tracker read under tracemalloc, with the peak bytes Python allocated doing it."""
    tracemalloc.start()
    try:
        tracker = read_tracker(path, catalog=catalog)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return tracker, peak


def damaged(part: str, reason: str) -> bool:
    encoding = f"the part {part} is in a text encoding no workbook uses; save the file again"
    return reason == encoding or (
        reason.startswith(f"the part {part} is not well-formed XML (")
        and reason.endswith("); save the file again")
    )


# --- fixtures -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def role(bundled: Catalog) -> Role:
    return bundled.roles["psr-i"]


@pytest.fixture(scope="module")
def entries(role: Role) -> Entries:
    """Entries in every kind of input, so a damaged read would show."""
    first, second = role.courses[0].id, role.courses[1].id
    return Entries(
        employee=Employee(name="Ana Diaz", manager="Lee Park", start_date=dt.date(2025, 4, 1)),
        courses=MappingProxyType(
            {
                first: CourseEntry(Status.COMPLETED, dt.date(2026, 1, 10), dt.date(2026, 1, 9)),
                second: CourseEntry(Status.PLANNED, dt.date(2026, 2, 1), notes="book a slot"),
            }
        ),
        competencies=MappingProxyType(
            {role.competencies[0].id: CompetencyEntry(3, 2, "shadowed a lead")}
        ),
    )


@pytest.fixture(scope="module")
def filled(role: Role, entries: Entries, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real tracker with entries, built once; tests derive their files from its parts."""
    return build_tracker(role, tmp_path_factory.mktemp("filled") / "ana.xlsx", employee=entries)


@pytest.fixture
def parts(filled: Path) -> dict[str, bytes]:
    return members(filled)


def test_the_unmodified_tracker_reads_cleanly(filled: Path, bundled: Catalog) -> None:
    """The baseline every other test bends: no problems, so any problem below is the edit's."""
    tracker = read_tracker(filled, catalog=bundled)
    assert tracker.problems == ()


# --- files that are not trackers at all ---------------------------------------------------


def test_a_file_that_is_not_a_zip_is_not_an_excel_workbook(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog
) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("name,status\nAna,Completed\n", encoding="utf-8")
    assert refusal(path, capsys, bundled) == "is not an Excel workbook; save it as .xlsx"


def test_an_empty_file_says_it_is_empty(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog
) -> None:
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    assert refusal(path, capsys, bundled) == (
        "the file is empty; save the tracker again from Excel"
    )


@pytest.mark.parametrize(
    "keep",
    [lambda _: 200, lambda n: n // 2, lambda n: n - 22, lambda n: n - 1],
    ids=["first-200-bytes", "half", "end-record-cut", "last-byte-cut"],
)
def test_a_truncated_zip_says_it_is_damaged_or_cut_short(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bundled: Catalog,
    filled: Path,
    keep: Callable[[int], int],
) -> None:
    whole = filled.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: keep(len(whole))])
    assert refusal(path, capsys, bundled) == (
        "the workbook is damaged or cut short; save it again as .xlsx"
    )


def test_a_legacy_xls_says_save_it_as_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog
) -> None:
    path = tmp_path / "old.xls"
    stream = "Workbook".encode("utf-16-le")
    path.write_bytes(OLE2_MAGIC + b"\0" * 1016 + stream + b"\0" * 200)
    assert refusal(path, capsys, bundled) == (
        "this is an old Excel 97-2003 file (.xls); save it as an Excel workbook (.xlsx)"
    )


def test_a_password_protected_workbook_says_remove_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog
) -> None:
    path = tmp_path / "locked.xlsx"
    stream = "EncryptionInfo".encode("utf-16-le")
    package = "EncryptedPackage".encode("utf-16-le")
    path.write_bytes(OLE2_MAGIC + b"\0" * 1016 + stream + b"\0" * 114 + package + b"\0" * 200)
    assert refusal(path, capsys, bundled) == (
        "the workbook is protected with a password; remove the password and save it again"
    )


def test_an_opendocument_spreadsheet_renamed_xlsx_says_save_as_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog
) -> None:
    path = tmp_path / "tracker.xlsx"
    path.write_bytes(
        zip_of(
            {
                "mimetype": ODS_MIMETYPE,
                "content.xml": b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
                b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
                "META-INF/manifest.xml": b'<?xml version="1.0" encoding="UTF-8"?><manifest/>',
            },
            stored=frozenset({"mimetype"}),
        )
    )
    assert refusal(path, capsys, bundled) == (
        "is an OpenDocument spreadsheet (.ods); save it as .xlsx"
    )


def test_a_plain_workbook_says_it_is_not_a_trackerkit_tracker(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog
) -> None:
    path = tmp_path / "budget.xlsx"
    book = openpyxl.Workbook()
    book.active["A1"] = "Course Status"  # type: ignore[index]
    book.save(path)
    assert refusal(path, capsys, bundled) == (
        "is not a trackerkit tracker (it has no 'trackerkit' sheet); only trackers made by "
        "trackerkit build can be read"
    )


def with_format(parts: dict[str, bytes], version: int) -> dict[str, bytes]:
    """The tracker's parts with ``version`` as its format version on the metadata sheet."""
    part = sheet_part(parts, lay.METADATA)
    key = string_index(parts, "format_version")
    row = re.search(rb'<c r="A(\d+)"[^>]* t="s"><v>%d</v></c>' % key, parts[part])
    assert row is not None
    ref = f"B{row[1].decode()}"
    parts[part] = set_cell(parts[part], ref, b'<c r="%s"><v>%d</v></c>' % (ref.encode(), version))
    return parts


def test_a_tracker_from_a_newer_format_says_upgrade_trackerkit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog, parts: dict[str, bytes]
) -> None:
    newer = lay.FORMAT_VERSION + 1
    path = write(tmp_path / "newer.xlsx", with_format(parts, newer))
    assert refusal(path, capsys, bundled) == (
        f"was made by a newer trackerkit (tracker format {newer}; this one reads format "
        f"{lay.FORMAT_VERSION}); upgrade trackerkit to read it"
    )


def test_a_format_trackerkit_never_made_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog, parts: dict[str, bytes]
) -> None:
    path = write(tmp_path / "zero.xlsx", with_format(parts, 0))
    assert refusal(path, capsys, bundled) == (
        "its 'trackerkit' sheet names tracker format 0, which no trackerkit makes; "
        "copy the entries into a newly built tracker"
    )


# --- damaged trackers ---------------------------------------------------------------------


def test_a_missing_sheet_part_says_the_file_is_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog, parts: dict[str, bytes]
) -> None:
    """workbook.xml still lists the sheet and its relationship still points at the part."""
    del parts[sheet_part(parts, CHECKLIST)]
    path = write(tmp_path / "holed.xlsx", parts)
    assert refusal(path, capsys, bundled) == (
        f"the part for sheet '{CHECKLIST}' is missing; the file is damaged, save it again"
    )


@pytest.mark.parametrize(
    "damage",
    [
        lambda xml: xml[: len(xml) // 2],
        lambda xml: xml.replace(b"</row>", b"</rov>", 1),
        lambda xml: xml.replace(b"<sheetData>", b"<sheetData><c r='A1' <v>1</v></c>", 1),
    ],
    ids=["cut-in-half", "mismatched-tag", "broken-cell"],
)
def test_malformed_xml_in_a_sheet_part_says_save_again(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bundled: Catalog,
    parts: dict[str, bytes],
    damage: Callable[[bytes], bytes],
) -> None:
    part = sheet_part(parts, CHECKLIST)
    parts[part] = damage(parts[part])
    path = write(tmp_path / "broken.xlsx", parts)
    assert damaged(part, refusal(path, capsys, bundled))


# --- zip bombs ----------------------------------------------------------------------------


def test_a_member_that_inflates_hugely_is_refused_unread(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog, parts: dict[str, bytes]
) -> None:
    """16 MB of padding deflates ~1000:1; the zip's directory gives it away before inflating."""
    part = sheet_part(parts, CHECKLIST)
    parts[part] = parts[part].replace(b"</worksheet>", b" " * (16 << 20) + b"</worksheet>")
    path = write(tmp_path / "bomb.xlsx", parts)
    assert path.stat().st_size < 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError):
            read_tracker(path, catalog=bundled)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024  # far less than the 16 MB it would inflate to
    assert refusal(path, capsys, bundled) == (
        f"the part {part} is compressed suspiciously well (a zip bomb?); it is not read"
    )


def test_a_member_lying_about_its_size_is_cut_off_as_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog, parts: dict[str, bytes]
) -> None:
    """The directory claims the part's honest size while it inflates to 16 MB more."""
    part = sheet_part(parts, CHECKLIST)
    honest = len(parts[part])
    parts[part] = parts[part].replace(
        b"</worksheet>", b"<!--" + b" " * (16 << 20) + b"--></worksheet>", 1
    )
    data = bytearray(zip_of(parts))
    struct.pack_into("<I", data, central_entry(data, part) + 24, honest)  # the size it claims
    path = tmp_path / "liar.xlsx"
    path.write_bytes(bytes(data))
    assert refusal(path, capsys, bundled) == f"the part {part} is damaged; save the file again"


# --- XML that declares entities -----------------------------------------------------------


def billion_laughs(_: Path) -> tuple[str, str]:
    lols = ['<!ENTITY lol0 "lol">']
    lols += [f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10)]
    return "".join(lols), "&lol9;"


def external_entity(secret: Path) -> tuple[str, str]:
    return f'<!ENTITY xxe SYSTEM "{secret.as_uri()}">', "&xxe;"


def etc_passwd(_: Path) -> tuple[str, str]:
    return '<!ENTITY xxe SYSTEM "file:///etc/passwd">', "&xxe;"


def parameter_entity(secret: Path) -> tuple[str, str]:
    return f'<!ENTITY % xxe SYSTEM "{secret.as_uri()}"> %xxe;', "x"


PAYLOADS = {
    "billion-laughs": billion_laughs,
    "external-entity": external_entity,
    "etc-passwd": etc_passwd,
    "parameter-entity": parameter_entity,
}


def hostile(parts: dict[str, bytes], where: str, payload: str, secret: Path) -> tuple[str, str]:
    """Put a DTD into the part ``where`` names and use its entity; return the part and text.

    The text is the part as a str, its XML declaration removed, so a test can
    encode it as it likes; the part is left untouched in ``parts``.
    """
    declarations, reference = PAYLOADS[payload](secret)
    if where == "shared-strings":
        part, root = STRINGS, "sst"
        text = parts[part].decode("utf-8")
        text = re.sub(r"<t>[^<]*</t>", lambda _: f"<t>{reference}</t>", text, count=1)
    else:
        part, root = sheet_part(parts, CHECKLIST), "worksheet"
        text = parts[part].decode("utf-8")
        cell = f'<c r="K9" t="inlineStr"><is><t>{reference}</t></is></c>'  # any cell there
        text = set_cell(text.encode(), "K9", cell.encode()).decode()
    text = text[text.index("?>") + 2 :]
    return part, f"<!DOCTYPE {root} [{declarations}]>{text}"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(LEAK_MARKER, encoding="utf-8")
    return path


def assert_nothing_leaked(capsys: pytest.CaptureFixture[str], path: Path, catalog: Catalog) -> None:
    """Neither the API's message nor any CLI output carries the pointed-at files' text."""
    with pytest.raises(WorkbookError) as caught:
        read_tracker(path, catalog=catalog)
    code, out, err = cli(capsys, str(path), "--format", "csv")
    shown = "\n".join([str(caught.value), out, *err])
    assert code == 1
    assert LEAK_MARKER not in shown
    assert "root:" not in shown
    assert "lollol" not in shown


@pytest.mark.parametrize("payload", PAYLOADS)
@pytest.mark.parametrize("where", ["shared-strings", "worksheet"])
def test_a_dtd_with_entities_is_refused_and_nothing_leaks(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bundled: Catalog,
    *,
    parts: dict[str, bytes],
    secret: Path,
    where: str,
    payload: str,
) -> None:
    part, text = hostile(parts, where, payload, secret)
    parts[part] = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text.encode()
    path = write(tmp_path / "hostile.xlsx", parts)
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError):
            read_tracker(path, catalog=bundled)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < PEAK_BYTES  # the laughs were never expanded
    assert refusal(path, capsys, bundled) == f"the part {part} {ENTITIES}"
    assert_nothing_leaked(capsys, path, bundled)


def utf16(text: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-16" standalone="yes"?>' + text).encode("utf-16")


def utf16_be(text: str) -> bytes:
    xml = '<?xml version="1.0" encoding="UTF-16" standalone="yes"?>' + text
    return b"\xfe\xff" + xml.encode("utf-16-be")


def utf16_le_without_bom(text: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-16"?>' + text).encode("utf-16-le")


def utf16_without_declaration(text: str) -> bytes:
    return text.encode("utf-16")


def utf7(text: str) -> bytes:
    """UTF-7 with ``<`` and ``!`` shifted, so the bytes hold no ``<!DOCTYPE`` to search for."""
    encoded = text.replace("+", "+-").replace("<", "+ADw-").replace("!", "+ACE-")
    shifted = "".join(ch if ch.isascii() else ch.encode("utf-7").decode("ascii") for ch in encoded)
    data = b'<?xml version="1.0" encoding="UTF-7"?>' + shifted.encode("ascii")
    assert data.decode("utf-7").endswith(text)
    assert b"<!DOCTYPE" not in data
    return data


UTF16 = {
    "utf-16": utf16,
    "utf-16-be": utf16_be,
    "utf-16-le-no-bom": utf16_le_without_bom,
    "utf-16-no-declaration": utf16_without_declaration,
}


@pytest.mark.parametrize("payload", ["external-entity", "billion-laughs"])
@pytest.mark.parametrize("encoding", UTF16.values(), ids=UTF16.keys())
@pytest.mark.parametrize("where", ["shared-strings", "worksheet"])
def test_a_dtd_in_a_utf16_part_is_refused_as_declaring_entities(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bundled: Catalog,
    *,
    parts: dict[str, bytes],
    secret: Path,
    where: str,
    encoding: Callable[[str], bytes],
    payload: str,
) -> None:
    """A byte search for ``<!DOCTYPE`` misses UTF-16; the parser must still refuse the DTD."""
    part, text = hostile(parts, where, payload, secret)
    parts[part] = encoding(text)
    path = write(tmp_path / "hostile.xlsx", parts)
    assert refusal(path, capsys, bundled) == f"the part {part} {ENTITIES}"
    assert_nothing_leaked(capsys, path, bundled)


def shift_jis(text: str) -> bytes:
    """A multi-byte encoding expat cannot take; its ASCII range is plain, DTD and all."""
    return b'<?xml version="1.0" encoding="Shift_JIS"?>' + text.encode("shift_jis", "replace")


@pytest.mark.parametrize("payload", ["external-entity", "billion-laughs"])
@pytest.mark.parametrize("encoding", [utf7, shift_jis], ids=["utf-7", "shift-jis"])
@pytest.mark.parametrize("where", ["shared-strings", "worksheet"])
def test_a_dtd_in_an_encoding_expat_lacks_is_refused_or_rejected_as_damaged(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bundled: Catalog,
    *,
    parts: dict[str, bytes],
    secret: Path,
    where: str,
    encoding: Callable[[str], bytes],
    payload: str,
) -> None:
    """UTF-7 hides ``<!DOCTYPE`` from a byte search; such a part must never be expanded."""
    part, text = hostile(parts, where, payload, secret)
    parts[part] = encoding(text)
    path = write(tmp_path / "hostile.xlsx", parts)
    reason = refusal(path, capsys, bundled)
    assert reason == f"the part {part} {ENTITIES}" or damaged(part, reason)
    assert_nothing_leaked(capsys, path, bundled)


@pytest.mark.parametrize("where", ["shared-strings", "worksheet"])
def test_a_utf16_part_without_a_dtd_reads_like_utf8(
    tmp_path: Path,
    bundled: Catalog,
    parts: dict[str, bytes],
    filled: Path,
    where: str,
) -> None:
    """The refusals above are about the DTD, not about UTF-16, which Excel may write."""
    part = STRINGS if where == "shared-strings" else sheet_part(parts, CHECKLIST)
    text = parts[part].decode("utf-8")
    parts[part] = utf16(text[text.index("?>") + 2 :])
    tracker = read_tracker(write(tmp_path / "utf16.xlsx", parts), catalog=bundled)
    assert tracker.problems == ()
    assert tracker.entries == read_tracker(filled, catalog=bundled).entries


# --- odd but harmless: still read, within bounded memory ----------------------------------


def test_a_cell_at_xfd1048576_still_reads_in_bounded_memory(
    tmp_path: Path,
    bundled: Catalog,
    parts: dict[str, bytes],
    entries: Entries,
) -> None:
    """A dense reader would allocate 17 billion cells; a sparse one just one more."""
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>far away</t></is></c></row>'
    for sheet in (lay.START, CHECKLIST, COVERAGE, lay.DISCUSSION):
        part = sheet_part(parts, sheet)
        parts[part] = add_row(parts[part], far)
    tracker, peak = measured(write(tmp_path / "far.xlsx", parts), bundled)
    assert tracker.problems == ()
    assert tracker.entries.employee == entries.employee
    for course_id, entry in entries.courses.items():
        assert tracker.courses[course_id] == entry
    for competency_id, rating in entries.competencies.items():
        assert tracker.competencies[competency_id] == rating
    assert peak < PEAK_BYTES


def test_a_dimension_that_claims_the_whole_sheet_still_reads_in_bounded_memory(
    tmp_path: Path,
    bundled: Catalog,
    parts: dict[str, bytes],
    filled: Path,
    role: Role,
) -> None:
    """The ``<dimension>`` is a hint a file may get wrong; nothing is sized from it."""
    lied = 0
    for name in list(parts):
        if name.startswith("xl/worksheets/sheet"):
            parts[name], count = re.subn(
                rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', parts[name]
            )
            lied += count
    assert lied == len(lay.layout_for(role).sheets)
    tracker, peak = measured(write(tmp_path / "dimension.xlsx", parts), bundled)
    assert tracker.problems == ()
    assert tracker.entries == read_tracker(filled, catalog=bundled).entries
    assert peak < PEAK_BYTES


# --- error values in input cells ----------------------------------------------------------


def test_error_values_in_input_cells_are_errors_at_their_cells(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bundled: Catalog,
    parts: dict[str, bytes],
    role: Role,
) -> None:
    """A formula typed into an input that broke shows #N/A or #REF!; neither is a value."""
    course, competency = role.courses[0].id, role.competencies[0].id
    status = address(role, "courses", course, "status")
    rating = address(role, "competencies", competency, "self_rating")
    checklist, coverage = sheet_part(parts, CHECKLIST), sheet_part(parts, COVERAGE)
    parts[checklist] = set_cell(
        parts[checklist], status, b'<c r="%s" t="e"><v>#N/A</v></c>' % status.encode()
    )
    parts[coverage] = set_cell(
        parts[coverage],
        rating,
        b'<c r="%s" t="e"><f>#REF!+1</f><v>#REF!</v></c>' % rating.encode(),
    )
    path = write(tmp_path / "errors.xlsx", parts)
    tracker = read_tracker(path, catalog=bundled)
    assert [(p.severity, p.sheet, p.cell, p.message) for p in tracker.problems] == [
        (Severity.ERROR, CHECKLIST, status, "the cell shows the error #N/A; enter a status"),
        (
            Severity.ERROR,
            COVERAGE,
            rating,
            "the cell shows the error #REF!; enter a rating from 1 to 5",
        ),
    ]
    # An error value is no status: None, not guessed as Not started, and its text is kept.
    assert tracker.courses[course].status is None
    assert tracker.competencies[competency].self_rating is None
    assert [(p.code, p.field, p.item, p.typed) for p in tracker.problems] == [
        (Code.CELL_ERROR_VALUE, "courses.status", course, "#N/A"),
        (Code.CELL_ERROR_VALUE, "competencies.self_rating", competency, "#REF!"),
    ]
    code, out, err = cli(capsys, str(path))
    assert code == 1
    assert out.startswith("{")
    assert err == [
        f"{path}: '{CHECKLIST}'!{status}: the cell shows the error #N/A; enter a status",
        f"{path}: '{COVERAGE}'!{rating}: the cell shows the error #REF!; "
        "enter a rating from 1 to 5",
        "1 tracker read: 2 errors, 0 warnings",
    ]


def test_an_openpyxl_error_value_is_reported_the_same_way(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog, filled: Path, role: Role
) -> None:
    """openpyxl stores the text "#N/A" as an error cell, as another application would."""
    course = role.courses[1].id
    status = address(role, "courses", course, "status")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl notes the data validations it keeps
        book = openpyxl.load_workbook(filled)
    book[CHECKLIST][status] = "#N/A"
    path = tmp_path / "openpyxl.xlsx"
    book.save(path)
    tracker = read_tracker(path, catalog=bundled)
    assert (Severity.ERROR, CHECKLIST, status, "the cell shows the error #N/A; enter a status") in [
        (p.severity, p.sheet, p.cell, p.message) for p in tracker.problems
    ]
    code, _, err = cli(capsys, str(path))
    assert code == 1
    assert f"{path}: '{CHECKLIST}'!{status}: the cell shows the error #N/A; enter a status" in err


# --- found while writing these: each asserts what should happen ---------------------------


@pytest.mark.parametrize("number", ["NaN", "INF", "-inf"])
def test_a_nan_or_infinite_number_in_a_date_input_is_an_error_at_its_cell(
    tmp_path: Path, bundled: Catalog, parts: dict[str, bytes], role: Role, number: str
) -> None:
    target = address(role, "courses", role.courses[2].id, "target_date")
    checklist = sheet_part(parts, CHECKLIST)
    parts[checklist] = set_cell(
        parts[checklist], target, b'<c r="%s"><v>%s</v></c>' % (target.encode(), number.encode())
    )
    tracker = read_tracker(write(tmp_path / "nan.xlsx", parts), catalog=bundled)
    assert [(p.severity, p.sheet, p.cell) for p in tracker.problems] == [
        (Severity.ERROR, CHECKLIST, target)
    ]


def test_one_crashing_file_does_not_stop_the_others(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    parts: dict[str, bytes],
    filled: Path,
    role: Role,
) -> None:
    target = address(role, "courses", role.courses[2].id, "target_date")
    checklist = sheet_part(parts, CHECKLIST)
    parts[checklist] = set_cell(
        parts[checklist], target, b'<c r="%s"><v>NaN</v></c>' % target.encode()
    )
    bad = write(tmp_path / "a-bad.xlsx", parts)
    code, out, err = cli(capsys, str(bad), str(filled), "--format", "csv")
    assert code == 1
    assert f"{filled},psr-i," in out  # the good file's rows are still written
    assert any(line.startswith(f"{bad}: ") for line in err)
    assert not any("unexpected error" in line for line in err)


@pytest.mark.parametrize("ref", ["", "K"])
def test_a_cell_reference_without_a_row_in_a_tracker_without_names_is_not_a_crash(
    tmp_path: Path, bundled: Catalog, parts: dict[str, bytes], ref: str
) -> None:
    """Without defined names the reader scans every cell for headers and labels."""
    parts["xl/workbook.xml"] = re.sub(
        rb"<definedNames>.*</definedNames>", b"", parts["xl/workbook.xml"]
    )
    checklist = sheet_part(parts, CHECKLIST)
    parts[checklist] = set_cell(parts[checklist], "K9", b'<c r="%s"><v>1</v></c>' % ref.encode())
    path = write(tmp_path / "noref.xlsx", parts)
    try:
        tracker: FilledTracker | None = read_tracker(path, catalog=bundled)
    except WorkbookError:
        tracker = None  # refusing the file, with a message naming it, is fine too
    assert tracker is None or tracker.entries.employee.name == "Ana Diaz"


def test_a_negative_shared_string_index_is_an_error_at_its_cell(
    tmp_path: Path, bundled: Catalog, parts: dict[str, bytes], role: Role
) -> None:
    status = address(role, "courses", role.courses[2].id, "status")
    checklist = sheet_part(parts, CHECKLIST)
    parts[checklist] = set_cell(
        parts[checklist], status, b'<c r="%s" t="s"><v>-1</v></c>' % status.encode()
    )
    tracker = read_tracker(write(tmp_path / "negative.xlsx", parts), catalog=bundled)
    assert [(p.severity, p.sheet, p.cell, p.message) for p in tracker.problems] == [
        (Severity.ERROR, CHECKLIST, status, "the cell's value is damaged; enter a status again")
    ]


def test_a_damaged_number_is_an_error_at_its_sheet_and_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], parts: dict[str, bytes]
) -> None:
    """One damaged cell is reported where it is; the rest of the file is still read."""
    checklist = sheet_part(parts, CHECKLIST)
    parts[checklist] = set_cell(parts[checklist], "L10", b'<c r="L10"><v>1,5</v></c>')
    path = write(tmp_path / "comma.xlsx", parts)
    code, _, err = cli(capsys, str(path))
    assert code == 1
    assert err[0] == f"{path}: '{CHECKLIST}'!L10: the cell's value is damaged; enter text again"


# --- found in review: odd bytes that must give one sentence, or a problem at a cell --------


def test_a_member_with_a_broken_deflate_stream_is_damaged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], bundled: Catalog, parts: dict[str, bytes]
) -> None:
    """A download cut or garbled inside a part makes zlib fail, not zipfile."""
    part = sheet_part(parts, CHECKLIST)
    data = bytearray(zip_of(parts))
    start = central_entry(data, part)
    offset = struct.unpack_from("<I", data, start + 42)[0]  # the part's local header
    body = offset + 30 + struct.unpack_from("<HH", data, offset + 26)[0]
    body += struct.unpack_from("<HH", data, offset + 26)[1]
    data[body : body + 16] = b"\xff" * 16
    path = tmp_path / "garbled.xlsx"
    path.write_bytes(bytes(data))
    assert refusal(path, capsys, bundled) == f"the part {part} is damaged; save the file again"


@pytest.mark.parametrize("version", ["²", "1" * 5000, "-1", "1.0.0"])
def test_a_format_version_that_is_no_number_is_a_damaged_metadata_sheet(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    bundled: Catalog,
    parts: dict[str, bytes],
    version: str,
) -> None:
    """str.isdigit() takes "²" and int() refuses 5,000 digits: neither may crash reading."""
    meta = sheet_part(parts, "trackerkit")
    parts[meta] = set_cell(
        parts[meta], "B1", b'<c r="B1" t="inlineStr"><is><t>%s</t></is></c>' % version.encode()
    )
    assert refusal(write(tmp_path / "v.xlsx", parts), capsys, bundled) == (
        "its 'trackerkit' sheet is damaged (no format version or role); copy the entries into "
        "a newly built tracker"
    )


@pytest.mark.parametrize("ref", ["!9", "A" * 40_000 + "9", "XFE9", "A0"])
def test_a_cell_reference_no_application_writes_is_left_unplaced(
    tmp_path: Path, bundled: Catalog, parts: dict[str, bytes], filled: Path, ref: str
) -> None:
    """Without names every cell is scanned; a bad reference (then one without any) is skipped.

    "!9" followed by a reference-less cell once sent the column count below A and looped.
    """
    parts["xl/workbook.xml"] = re.sub(
        rb"<definedNames>.*</definedNames>", b"", parts["xl/workbook.xml"]
    )
    checklist = sheet_part(parts, CHECKLIST)
    odd = b'<row r="90"><c r="%s"><v>1</v></c><c><v>2</v></c></row>' % ref.encode()
    parts[checklist] = add_row(parts[checklist], odd)
    tracker, _ = measured(write(tmp_path / "refs.xlsx", parts), bundled)
    assert tracker.entries == read_tracker(filled, catalog=bundled).entries


def test_a_decoy_sheet_data_in_a_comment_is_not_what_is_read(
    tmp_path: Path, bundled: Catalog, parts: dict[str, bytes], role: Role
) -> None:
    """Only a parser sees past a comment: a byte search would read the decoy's cells."""
    status = address(role, "courses", role.courses[0].id, "status")
    checklist = sheet_part(parts, CHECKLIST)
    decoy = b'<!--<sheetData><row r="1"><c r="%s" t="inlineStr"><is><t>Done</t></is></c></row>'
    parts[checklist] = parts[checklist].replace(
        b"<sheetData>", decoy % status.encode() + b"</sheetData>--><sheetData>", 1
    )
    tracker = read_tracker(write(tmp_path / "decoy.xlsx", parts), catalog=bundled)
    assert tracker.problems == ()


def test_text_longer_than_a_cell_holds_is_damaged_at_its_cell(
    tmp_path: Path, bundled: Catalog, parts: dict[str, bytes], role: Role
) -> None:
    """No application writes more than 32,767 characters a cell; such text is not carried on."""
    notes = address(role, "courses", role.courses[0].id, "notes")
    checklist = sheet_part(parts, CHECKLIST)
    long_text = b"x" * 40_000
    parts[checklist] = set_cell(
        parts[checklist],
        notes,
        b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>'
        % (
            notes.encode(),
            long_text,
        ),
    )
    tracker = read_tracker(write(tmp_path / "long.xlsx", parts), catalog=bundled)
    assert [(p.severity, p.sheet, p.cell, p.message) for p in tracker.problems] == [
        (Severity.ERROR, CHECKLIST, notes, "the cell's value is damaged; enter text again")
    ]
    assert tracker.courses[role.courses[0].id].notes == ""
