"""A1 references read back from a workbook: cells, columns and the ranges of defined names.

Writing uses XlsxWriter's own utilities (row and column numbers to A1); this
is the other direction, for text that came from a file and may be anything.
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
