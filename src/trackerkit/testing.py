"""Helpers for tests that check tracker workbooks, ours and other tools' alike.

``inspect_tracker`` opens a tracker with openpyxl and returns a plain, typed
view of it; ``assert_tracker_matches`` compares a tracker with a role and
explains every difference in a readable line. Nothing here imports pytest,
so any test runner can use it. This module is public API, like the names of
:mod:`trackerkit` itself (see docs/api.md).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from trackerkit import layout as lay
from trackerkit.model import role_digest

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from trackerkit.model import Role


@dataclass(frozen=True)
class TableView:
    """One table of a tracker: its header and, per row id, each column's value and formula."""

    sheet: str
    header: tuple[str, ...]
    values: Mapping[str, Mapping[str, Any]]
    formulas: Mapping[str, Mapping[str, str]]


@dataclass(frozen=True)
class TrackerView:
    sheets: tuple[str, ...]
    hidden: frozenset[str]
    defined_names: Mapping[str, str]
    tables: Mapping[str, TableView]
    metadata: Mapping[str, Any]


def inspect_tracker(path: str | os.PathLike[str]) -> TrackerView:
    """A plain view of a tracker file: sheets, tables by row id, names, metadata."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl's notes on files other apps saved
        formulas_book = openpyxl.load_workbook(path)
        values_book = openpyxl.load_workbook(path, data_only=True)
    try:
        tables = {}
        for sheet in formulas_book.worksheets:
            for table in sheet.tables.values():
                name = table.name
                cells = sheet[table.ref]
                header = tuple(str(cell.value) for cell in cells[0])
                values: dict[str, dict[str, Any]] = {}
                formulas: dict[str, dict[str, str]] = {}
                for row in cells[1:]:
                    row_id = values_book[sheet.title].cell(row[0].row, row[0].column).value
                    if row_id is None:
                        continue
                    cached = [values_book[sheet.title].cell(c.row, c.column).value for c in row]
                    values[str(row_id)] = dict(zip(header, cached, strict=True))
                    formulas[str(row_id)] = {
                        title: str(cell.value)
                        for title, cell in zip(header, row, strict=True)
                        if cell.data_type == "f"
                    }
                tables[name] = TableView(sheet.title, header, values, formulas)
        metadata = {}
        if lay.METADATA in values_book.sheetnames:
            for key, value in values_book[lay.METADATA].iter_rows(values_only=True, max_col=2):
                metadata[str(key)] = value
        return TrackerView(
            sheets=tuple(formulas_book.sheetnames),
            hidden=frozenset(
                s.title for s in formulas_book.worksheets if s.sheet_state != "visible"
            ),
            defined_names={
                name: str(definition.attr_text)
                for name, definition in formulas_book.defined_names.items()
            },
            tables=tables,
            metadata=metadata,
        )
    finally:
        formulas_book.close()
        values_book.close()


def tracker_differences(path: str | os.PathLike[str], role: Role) -> list[str]:
    """Every way the tracker at ``path`` differs from what ``role`` asks for."""
    view = inspect_tracker(path)
    layout = lay.layout_for(role)
    problems: list[str] = []
    if view.sheets != layout.sheets:
        problems.append(f"sheets are {list(view.sheets)}, expected {list(layout.sheets)}")
    for key, expected in (
        ("role_id", role.id),
        ("role_version", role.version),
        ("role_hash", role_digest(role)),
        ("format_version", lay.FORMAT_VERSION),
    ):
        if view.metadata.get(key) != expected:
            problems.append(f"metadata {key} is {view.metadata.get(key)!r}, expected {expected!r}")
    checks = [
        (layout.courses, {item.id: item.course.title for item in role.courses}, "Course"),
        (layout.competencies, {i.id: i.competency.name for i in role.competencies}, "Competency"),
    ]
    if layout.certifications is not None:
        names = {item.id: item.name for item in role.certifications}
        checks.append((layout.certifications, names, "Certification"))
    for table, titles, title_header in checks:
        found = view.tables.get(table.name)
        if found is None:
            problems.append(f"table {table.name} is missing from '{table.sheet}'")
            continue
        expected_header = tuple(column.header for column in table.columns)
        if found.header != expected_header:
            problems.append(f"'{table.sheet}' header is {found.header}, expected {expected_header}")
        problems.extend(
            f"'{table.sheet}' has no row for {missing}"
            for missing in titles.keys() - found.values.keys()
        )
        problems.extend(
            f"'{table.sheet}' has a row for {extra}, which the role does not list"
            for extra in found.values.keys() - titles.keys()
        )
        for item_id, title in titles.items():
            row = found.values.get(item_id)
            if row is not None and row.get(title_header) != title:
                problems.append(
                    f"'{table.sheet}' row {item_id}: {title_header} is "
                    f"{row.get(title_header)!r}, expected {title!r}"
                )
            problems.extend(
                f"'{table.sheet}' row {item_id}: {column.header} is not a formula"
                for column in table.columns
                if column.kind is lay.Kind.FORMULA
                and item_id in found.formulas
                and column.header not in found.formulas[item_id]
            )
    for name, reference in layout.names.items():
        if view.defined_names.get(name) != reference:
            problems.append(
                f"defined name {name} points to {view.defined_names.get(name)!r}, "
                f"expected {reference!r}"
            )
    return problems


def assert_tracker_matches(path: str | os.PathLike[str], role: Role) -> None:
    """Raise AssertionError listing every difference between a tracker and its role."""
    problems = tracker_differences(path, role)
    if problems:
        raise AssertionError("tracker does not match its role:\n" + "\n".join(problems))


__all__ = [
    "TableView",
    "TrackerView",
    "assert_tracker_matches",
    "inspect_tracker",
    "tracker_differences",
]
"""The public helpers for tests; docs/api.md lists them."""
