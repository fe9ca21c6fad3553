"""A1 references read back from a workbook: cells, columns and the ranges of defined names.

Both directions, in one module the reader and the writer can import without pulling in
the other: row and column numbers to A1 text (for the layouts), and A1 text that came
from a file, which may be anything, back to numbers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CELL = re.compile(r"\$?([A-Z]{1,3})\$?([0-9]{1,7})")
_RANGE = re.compile(
    r"(?:'((?:[^']|'')+)'|([^'!:\s]+))!"  # the sheet, quoted or plain
    r"(\$?[A-Z]{1,3}\$?[0-9]{1,7})(?::(\$?[A-Z]{1,3}\$?[0-9]{1,7}))?"
)
MAX_COLUMN = 16_384
MAX_ROW = 1_048_576
MAX_TEXT = 32_767
"""Excel's longest cell text, in UTF-16 units (a character beyond the BMP counts two)."""


def text_units(text: str) -> int:
    """How long ``text`` is as Excel counts: in UTF-16 units."""
    return len(text.encode("utf-16-le")) // 2


def too_long(text: str) -> bool:
    """Whether ``text`` is longer than a cell holds; a short text is never counted out."""
    return len(text) > MAX_TEXT // 2 and text_units(text) > MAX_TEXT


@lru_cache(maxsize=4096)
def column_number(letters: str) -> int:
    """1 for A, 27 for AA (cached, as :func:`column_letters` is)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


@lru_cache(maxsize=4096)
def column_letters(number: int) -> str:
    """A for 1, AA for 27 (cached: a read asks it of the same few columns again and again)."""
    if not 1 <= number <= MAX_COLUMN:
        message = f"column {number} is outside Excel's grid"
        raise ValueError(message)
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def split_cell(ref: str) -> tuple[str, int] | None:
    """("H", 12) for "H12" or "$H$12"; None when it is not a cell inside Excel's grid."""
    match = _CELL.fullmatch(ref)
    if match is None:
        return None
    row = int(match[2])
    if not 1 <= row <= MAX_ROW or column_number(match[1]) > MAX_COLUMN:
        return None
    return match[1], row


@dataclass(frozen=True)
class Area:
    """A rectangle on one sheet, 1-based and inclusive, as a defined name points to it."""

    sheet: str
    first_col: int
    first_row: int
    last_col: int
    last_row: int

    @property
    def is_cell(self) -> bool:
        return self.first_col == self.last_col and self.first_row == self.last_row

    @property
    def is_column_span(self) -> bool:
        return self.first_col == self.last_col


@lru_cache(maxsize=1024)
def parse_area(text: str) -> Area | None:
    """The area of a defined name such as ``'Course Checklist'!$H$9:$H$30``.

    None for anything else (``#REF!`` after a deletion, several areas, a
    formula), which the reader then finds by its header or label instead.
    """
    match = _RANGE.fullmatch(text.strip())
    if match is None:
        return None
    sheet = match[1].replace("''", "'") if match[1] is not None else match[2]
    first = split_cell(match[3])
    last = split_cell(match[4] or match[3])
    if first is None or last is None:
        return None
    cols = sorted((column_number(first[0]), column_number(last[0])))
    rows = sorted((first[1], last[1]))
    return Area(sheet, cols[0], rows[0], cols[1], rows[1])


def cell_ref(row: int, col: int, *, row_abs: bool = False, col_abs: bool = False) -> str:
    """A1 text of a 0-based row and column: ``cell_ref(0, 0, row_abs=True)`` is ``A$1``."""
    return f"{'$' if col_abs else ''}{column_letters(col + 1)}{'$' if row_abs else ''}{row + 1}"


_PLAIN_SHEET = re.compile(r"[^\W\d][\w.]*")
_LOOKS_LIKE_A1 = re.compile(r"([A-Z]{1,3})([0-9]+)")
_LOOKS_LIKE_RC = re.compile(r"R[0-9]*C?[0-9]*|C[0-9]*")


def quote_sheet(name: str) -> str:
    """A sheet's name as a reference needs it: quoted when it is not a plain word, or when
    it could be read as a cell (``A1``, ``R1C1``) or starts with a digit."""
    upper = name.upper()
    a1 = _LOOKS_LIKE_A1.fullmatch(upper)
    plain = (
        _PLAIN_SHEET.fullmatch(name) is not None
        and _LOOKS_LIKE_RC.fullmatch(upper) is None
        and not (a1 is not None and column_number(a1[1]) <= MAX_COLUMN)
    )
    return name if plain else "'" + name.replace("'", "''") + "'"
