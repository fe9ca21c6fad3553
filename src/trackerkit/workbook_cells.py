"""The cells of an .xlsx from elsewhere, as plain values: a small, hardened OOXML reader.

Only what the tracker reader needs is read: the sheet list, the workbook's
defined names, its date system, the shared strings and the cells of the
sheets asked for, each as its value and whether it holds a formula. Cells
are kept sparse, so a cell typed in XFD1048576 or a ``<dimension>`` that
lies costs nothing, and every part is size-checked before it is parsed, so
memory stays within a fixed bound (see :class:`~trackerkit.untrusted.Limits`).
General readers (openpyxl, calamine) build a dense grid or a full object
model and take several times longer on a tracker, which a team roll-up
reads by the thousand.
"""

from __future__ import annotations

import datetime as dt
import math
import posixpath
import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from trackerkit.codecs import CellError
from trackerkit.refs import MAX_COLUMN, MAX_TEXT, column_letters, column_number, split_cell
from trackerkit.untrusted import DOCTYPE, UntrustedWorkbook, WorkbookError

if TYPE_CHECKING:
    from collections.abc import Collection, Mapping
    from xml.etree.ElementTree import Element

    from trackerkit.untrusted import Limits, WorkbookSource

MAX_CELLS = 250_000
"""Cells kept from one workbook; a tracker has about 1,000, a 200-course one about 4,000."""

_MAIN = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
_DIGITS = "0123456789"
_ROW = re.compile(r"[1-9][0-9]{0,6}")
_INDEX = re.compile(r"[0-9]{1,9}")
_DAMAGED = CellError("damaged", damaged=True)
"""What a cell holds when its stored value is something no application writes."""


class Cell(NamedTuple):
    value: float | str | bool | dt.date | CellError | None
    formula: bool
    """Whether the cell holds a formula (``value`` is then its cached result)."""


_new_cell = partial(tuple.__new__, Cell)
"""``Cell`` from a (value, formula) pair, without the Python-level ``__new__`` a read calls
hundreds of times."""


class SheetCells:
    """One sheet's cells by A1 address, each decoded only when it is asked for.

    A tracker sheet holds many static cells (titles, definitions) that reading
    never looks at; indexing the parsed elements and decoding on demand keeps
    their cost to a dictionary entry.
    """

    def __init__(
        self, reader: _Reader, elements: dict[str, Element], rows: list[int], tags: _SheetTags
    ) -> None:
        self._reader = reader
        self._elements = elements
        self._tags = tags
        self.rows = tuple(sorted(set(rows)))
        """The numbers of the rows the sheet has, in order."""

    def get(self, ref: str) -> Cell | None:
        """The cell at ``ref`` (such as ``"H12"``), or None when it is empty."""
        element = self._elements.get(ref)
        return None if element is None else self._reader.cell(element, self._tags)

    def formula(self, ref: str) -> bool | None:
        """Whether the cell at ``ref`` holds a formula; None when there is no such cell.

        Cheaper than :meth:`get`: nothing is decoded, which matters for the hundreds of
        formula cells a reader only checks are still formulas.
        """
        element = self._elements.get(ref)
        if element is None:
            return None
        return element.find(self._tags.formula) is not None or (
            None if self._reader.cell(element, self._tags) is None else False
        )

    def cells(self) -> list[tuple[int, str, Cell]]:
        """Every filled cell as (row, column letters, cell), row by row."""
        found = []
        for ref, element in self._elements.items():
            place = split_cell(ref)
            if place is None:
                continue  # a reference no application writes cannot be placed on the sheet
            cell = self._reader.cell(element, self._tags)
            if cell is not None:
                found.append((place[1], place[0], cell))
        found.sort(key=lambda item: (item[0], column_number(item[1])))
        return found


@dataclass(frozen=True)
class WorkbookCells:
    file: str
    sheets: tuple[str, ...]
    """Every sheet's name, in workbook order."""
    defined_names: Mapping[str, str]
    """Workbook-level defined names and their formula text."""
    date1904: bool
    cells: Mapping[str, SheetCells]
    """The cells of the sheets asked for that the workbook has."""


def read_cells(
    source: WorkbookSource,
    sheets: Collection[str],
    limits: Limits | None = None,
    *,
    name: str | None = None,
) -> WorkbookCells:
    """Read ``sheets`` of the workbook ``source`` (a path, bytes or a binary stream); raise
    :class:`WorkbookError` when it can't be. ``name`` is the file's name in messages.

    Sheets the workbook does not have are left out of ``cells``; the caller
    decides what their absence means.
    """
    with UntrustedWorkbook(source, limits, name=name) as book:
        return _Reader(book).read(sheets)


class _Reader:
    def __init__(self, book: UntrustedWorkbook) -> None:
        self.book = book
        self.file = book.file
        self.strings: dict[str, str | CellError] = {}
        """Shared strings decoded so far, by the index text a cell holds."""
        self.string_items: list[Element] = []
        self.string_tags = ("", "")

    def fail(self, message: str) -> WorkbookError:
        return WorkbookError(self.file, message)

    def read(self, wanted: Collection[str]) -> WorkbookCells:
        main = self._main_part()
        root = self.book.xml(main)
        ns = _namespace(root)
        if ns is None:
            raise self.fail("is not an Excel workbook; save it as .xlsx")
        targets = self._relationships(main)
        sheets: list[tuple[str, str]] = []
        for sheet in root.iter(f"{{{ns}}}sheet"):
            rel = next((value for key, value in sheet.attrib.items() if key.endswith("}id")), "")
            sheets.append((sheet.get("name", ""), targets.get(rel, "")))
        names = {
            element.get("name", ""): element.text or ""
            for element in root.iter(f"{{{ns}}}definedName")
            if element.get("localSheetId") is None
        }
        properties = root.find(f"{{{ns}}}workbookPr")
        date1904 = properties is not None and properties.get("date1904") in ("1", "true")
        strings_part = targets.get("#sharedStrings")
        if strings_part:
            self._shared_strings(strings_part)
        cells = {}
        for name, part in sheets:
            if name in wanted:
                if not part or not self.book.has(part):
                    raise self.fail(
                        f"the part for sheet '{name}' is missing; the file is damaged, "
                        "save it again"
                    )
                cells[name] = self._sheet(part)
        return WorkbookCells(self.file, tuple(name for name, _ in sheets), names, date1904, cells)

    def _main_part(self) -> str:
        if self.book.has("_rels/.rels"):
            for rel in self.book.xml("_rels/.rels").iter(f"{{{_REL}}}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    return _resolve("", rel.get("Target", ""))
        if self.book.has("xl/workbook.xml"):
            return "xl/workbook.xml"
        if self.book.has("mimetype") and b"opendocument" in self.book.read("mimetype"):
            raise self.fail("is an OpenDocument spreadsheet (.ods); save it as .xlsx")
        raise self.fail("is not an Excel workbook; save it as .xlsx")

    def _relationships(self, part: str) -> dict[str, str]:
        """rId to part name, plus ``#sharedStrings`` for the shared strings part."""
        folder, name = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", f"{name}.rels")
        if not self.book.has(rels):
            return {}
        targets = {}
        for rel in self.book.xml(rels).iter(f"{{{_REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = _resolve(folder, rel.get("Target", ""))
            targets[rel.get("Id", "")] = target
            if rel.get("Type", "").endswith("/sharedStrings"):
                targets["#sharedStrings"] = target
        return targets

    def _shared_strings(self, part: str) -> None:
        if self.book.has(part):
            root = self.book.xml(part)
            ns = _namespace(root) or _MAIN[0]
            self.string_tags = (f"{{{ns}}}t", f"{{{ns}}}r")
            self.string_items = list(root)

    def string(self, index: str) -> str | CellError:
        """The shared string a cell's ``index`` text points to; damaged when it points nowhere.

        Decoded the first time it is asked for, and remembered (:meth:`cell` looks first).
        """
        number = int(index) if _INDEX.fullmatch(index) else -1
        if not 0 <= number < len(self.string_items):
            value: str | CellError = _DAMAGED
        else:
            item = self.string_items[number]
            if len(item) == 1 and item[0].tag == self.string_tags[0]:  # most items: one <t>
                text = item[0].text or ""
            else:
                text = _rich_text(item, *self.string_tags)
            value = _fits(_unescape(text) if "_x" in text else text)
        self.strings[index] = value
        return value

    def _sheet(self, part: str) -> SheetCells:
        root = self._sheet_data(part)
        tags = _SheetTags(_namespace(root) or _MAIN[0])
        data = root.find(tags.sheet_data)
        elements: dict[str, Element] = {}
        rows: list[int] = []
        number = 0
        cell_tag = tags.cell
        for row in () if data is None else data.iter(tags.row):
            given = row.get("r", "")
            number = int(given) if _ROW.fullmatch(given) else number + 1
            rows.append(number)
            previous = ""
            for element in row:
                if element.tag != cell_tag:
                    continue
                ref = element.get("r")
                if ref is None:  # allowed: the cell then follows the one before it
                    before = split_cell(previous) if previous else ("", number)
                    if before is None or column_number(before[0]) >= MAX_COLUMN:
                        continue  # after a reference no application writes: it has no place
                    ref = f"{column_letters(column_number(before[0]) + 1)}{number}"
                elements[ref] = element
                previous = ref
        if len(elements) > MAX_CELLS:
            raise self.fail(f"a sheet has more than {MAX_CELLS:,} cells, far more than a tracker")
        return SheetCells(self, elements, rows, tags)

    def _sheet_data(self, part: str) -> Element:
        """The sheet's root with only its cells: the rest (validations, formats) is not needed.

        The root's start tag is kept, so every namespace prefix stays declared;
        anything unusual falls back to parsing the whole part.
        """
        data = self.book.read(part)
        if DOCTYPE not in data and b"<!--" not in data and b"<![CDATA[" not in data:
            # (a comment or CDATA could hold a decoy <sheetData> that only a parser sees past)
            opening = data.find(b"<worksheet")
            first = data.find(b"<sheetData")
            last = data.rfind(b"</sheetData>")
            head_end = data.find(b">", opening)
            if -1 < opening < head_end < first < last:
                piece = data[: head_end + 1] + data[first : last + 12] + b"</worksheet>"
                try:
                    return self.book.parse(part, piece)
                except WorkbookError:
                    pass
        return self.book.parse(part, data)

    def cell(self, element: Element, tags: _SheetTags) -> Cell | None:
        kind = element.get("t")
        text: str | None = None
        formula = False
        inline: Element | None = None
        value_tag = tags.value
        for child in element:
            tag = child.tag
            if tag == value_tag:
                text = child.text
            elif tag == tags.formula:
                formula = True
            elif tag == tags.inline:
                inline = child
        value: float | str | bool | dt.date | CellError | None
        if kind == "inlineStr":
            value = None if inline is None else _fits(_unescape(_rich_text(inline, *tags.rich)))
        elif text is None:
            value = None
        elif kind is None or kind == "n":
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            value = number if math.isfinite(number) else _DAMAGED
        elif kind == "s":
            value = self.strings.get(text)
            if value is None:
                value = self.string(text)
        elif kind == "str":
            value = _fits(_unescape(text))
        elif kind == "b":
            value = text.strip() in ("1", "true")
        elif kind == "e":
            value = CellError(text)
        elif kind == "d":
            day = _iso_date(text)
            value = _fits(day) if isinstance(day, str) else day
        else:
            value = _fits(text)
        if value is None and not formula:
            return None
        return _new_cell((value, formula))


class _SheetTags:
    """The qualified tag names of a sheet part, in its namespace."""

    def __init__(self, ns: str) -> None:
        self.sheet_data = f"{{{ns}}}sheetData"
        self.row = f"{{{ns}}}row"
        self.cell = f"{{{ns}}}c"
        self.value = f"{{{ns}}}v"
        self.formula = f"{{{ns}}}f"
        self.inline = f"{{{ns}}}is"
        self.text = f"{{{ns}}}t"
        self.run = f"{{{ns}}}r"
        self.rich = (self.text, self.run)


def _namespace(element: Element) -> str | None:
    tag = element.tag
    if tag.startswith("{"):
        ns = tag[1 : tag.index("}")]
        if ns in _MAIN:
            return ns
    return None


def _resolve(folder: str, target: str) -> str:
    """A relationship target as a zip member name."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    return posixpath.normpath(posixpath.join(folder, target))


def _rich_text(element: Element, text_tag: str, run_tag: str) -> str:
    """A string item's text: its ``<t>``, or its runs' ``<t>`` in order (phonetic runs left out)."""
    parts = []
    for child in element:
        if child.tag == text_tag:
            parts.append(child.text or "")
        elif child.tag == run_tag:
            parts.extend(t.text or "" for t in child if t.tag == text_tag)
    return "".join(parts)


def _fits(text: str) -> str | CellError:
    """``text``, or damaged when it is more than a cell can hold (no application wrote it)."""
    return _DAMAGED if len(text) > MAX_TEXT else text


def _unescape(text: str) -> str:
    """Undo OOXML's ``_xHHHH_`` escapes (a carriage return is stored as ``_x000D_``)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(_unescaped, text)


def _unescaped(match: re.Match[str]) -> str:
    code = int(match[1], 16)
    return match[0] if 0xD800 <= code <= 0xDFFF else chr(code)


def _iso_date(text: str) -> dt.date | str:
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        return text
