"""Fill a built tracker the way another application does: openpyxl writing its input cells.

The cells come from the layout, as a person would find them on screen; nothing here
knows a coordinate of its own. Used by the read-back tests and their properties.
"""

from __future__ import annotations

import io
import warnings
from typing import TYPE_CHECKING, Any

from trackerkit import layout as lay
from trackerkit.codecs import CODECS

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.worksheet.worksheet import Worksheet

    from trackerkit import Entries, Role


def open_book(source: Path | bytes) -> Any:
    """A workbook opened with openpyxl, from a file or from its bytes in memory."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl notes the data validations it keeps
        return openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)


def put(sheet: Worksheet, row: int, col: int, value: Any) -> None:
    """Set a cell by the layout's 0-based row and column; None clears it.

    Text is stored as text even when it starts with "=", which openpyxl would
    otherwise turn into a formula (a person types a leading apostrophe for that).
    """
    cell = sheet.cell(row + 1, col + 1)
    cell.value = None if value == "" else value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def fill(path: Path | bytes, role: Role, entries: Entries, out: Path | None = None) -> Path:
    """Write ``entries`` into the tracker at ``path`` (or given as bytes) with openpyxl and
    save it to ``out`` (by default, back to ``path``)."""
    layout = lay.layout_for(role)
    book = open_book(path)
    start, discussion = book[lay.START], book[lay.DISCUSSION]
    for item in layout.employee:
        put(start, item.row, item.col, getattr(entries.employee, item.key))
    for item in layout.discussion_notes:
        put(discussion, item.row, item.col, getattr(entries.discussion, item.key))
    steps = layout.next_steps
    if len(entries.discussion.next_steps) > len(steps.ids):
        message = f"the tracker has {len(steps.ids)} next-steps rows"
        raise ValueError(message)
    for row_id, step in zip(steps.ids, entries.discussion.next_steps, strict=False):
        for column in steps.columns:
            value = CODECS[column.kind.value].encode(getattr(step, column.key))
            put(discussion, steps.row(row_id), steps.col(column.key), value)
    checklist, coverage = book[lay.CHECKLIST], book[lay.COVERAGE]
    for course_id, entry in entries.courses.items():
        row = layout.courses.row(course_id)
        for key in ("status", "target_date", "completed_on", "notes"):
            value = getattr(entry, key)
            column = layout.courses.columns[layout.courses.col(key)]
            put(checklist, row, layout.courses.col(key), CODECS[column.kind.value].encode(value))
    own = layout.own_courses
    if len(entries.own_courses) > len(own.ids):
        message = f"the tracker has {len(own.ids)} own-course rows"
        raise ValueError(message)
    for row_id, course in zip(own.ids, entries.own_courses, strict=False):
        for column in own.columns:
            if column.kind.is_input:
                value = lay.input_value(course, column)
                put(checklist, own.row(row_id), own.col(column.key), value)
    for competency_id, rating in entries.competencies.items():
        row = layout.competencies.row(competency_id)
        for key in ("self_rating", "manager_rating", "evidence"):
            put(coverage, row, layout.competencies.col(key), getattr(rating, key))
    table = layout.certifications
    for certification_id, held in entries.certifications.items():
        assert table is not None, "the role lists no certifications"
        for key in ("obtained_on", "expires_on"):
            value = CODECS["date"].encode(getattr(held, key))
            put(book[table.sheet], table.row(certification_id), table.col(key), value)
    target = out or path
    if isinstance(target, bytes):
        raise TypeError("a tracker given as bytes needs an 'out' path")
    book.save(target)
    return target


def google_export(source: Path, target: Path, *, insert_checklist_column: bool = False) -> Path:
    """What a Google Sheets download does to a tracker: names, hiding and validations gone."""
    book = open_book(source)
    book.defined_names.clear()
    for sheet in book.worksheets:
        sheet.defined_names.clear()
        sheet.sheet_state = "visible"
        sheet.data_validations.dataValidation = []
    if insert_checklist_column:
        book[lay.CHECKLIST].insert_cols(1)
    book.save(target)
    return target
