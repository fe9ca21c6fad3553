"""Trackers saved by other applications read back exactly: LibreOffice, openpyxl, Google Sheets.

Every cell is found through the layout, never by a coordinate written here. The LibreOffice
runs are shared through module-scoped fixtures: one fills a blank tracker in Calc (entries
and figures), one sorts a filled tracker, inserts rows into it and types dates as text.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from fills import fill, google_export, open_book, put
from trackerkit import (
    CellProblem,
    CertificationEntry,
    CompetencyEntry,
    CourseEntry,
    Discussion,
    Employee,
    Entries,
    NextStep,
    OwnCourse,
    Severity,
    Status,
    TrackerOptions,
    build_tracker,
    read_tracker,
)
from trackerkit import layout as lay
from trackerkit.codecs import CODECS, Context, decode_date, serial_to_date
from trackerkit.problem_codes import Code
from trackerkit.refs import column_letters, split_cell
from trackerkit.workbook_cells import read_cells

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from libreoffice import Calc, Cell, Result
    from trackerkit import Catalog, FilledTracker, Role

ROLE_ID = "psr-ii"
LOST_NAMES = "the workbook has lost its defined names"
"""The start of the warning a file without its defined names reads with."""
TEXT_DATES = ("2026-03-31", "3/31/2026")
"""Target dates typed as text, ISO and US style; both mean 31 March 2026."""
TEXT_DAY = dt.date(2026, 3, 31)
STRAY_NOTE = "Typed into an inserted row"
NOTE_WITH_BREAK = "Zoë asked: café ✓ 日本語 — “quotes”\nsecond line"


def a1(row: int, col: int) -> str:
    """A1 text of the layout's 0-based row and column."""
    return f"{column_letters(col + 1)}{row + 1}"


def row_number(address: str | None) -> int | None:
    """12 for "H12"; None for no cell."""
    found = None if address is None else split_cell(address)
    return None if found is None else found[1]


def data_range(table: lay.Table) -> str:
    """The table's data rows, every column, as "A9:M27"."""
    last = column_letters(len(table.columns))
    return f"A{table.first_row + 1}:{last}{table.last_row + 1}"


# --- what is entered --------------------------------------------------------------------


def sample_entries(role: Role, today: dt.date) -> Entries:
    """An entry for every row: statuses of every kind, dates, ratings and unicode text."""
    statuses = (
        Status.COMPLETED,
        Status.IN_PROGRESS,
        Status.PLANNED,
        Status.WAIVED,
        Status.NOT_STARTED,
    )
    notes = (NOTE_WITH_BREAK, "=SUM(A1) stays text", "00123", "", "Ñandú · ok")
    courses = {}
    for index, item in enumerate(role.courses):
        status = statuses[index % len(statuses)]
        target = {
            Status.COMPLETED: today - dt.timedelta(days=20),
            Status.IN_PROGRESS: today + dt.timedelta(days=30),
            Status.PLANNED: today - dt.timedelta(days=10),  # overdue
            Status.NOT_STARTED: today - dt.timedelta(days=1) if index % 2 else None,
        }.get(status)
        done = today - dt.timedelta(days=3 + index) if status is Status.COMPLETED else None
        courses[item.id] = CourseEntry(status, target, done, notes[index % len(notes)])
    competencies = {}
    for index, competency in enumerate(role.competencies):
        own = index % 5 + 1
        manager = (index + 2) % 5 + 1 if index % 2 else None
        evidence = f"Beispiel {index}: Übung\nmacht den Meister" if index % 3 == 0 else ""
        competencies[competency.id] = CompetencyEntry(own, manager, evidence)
    return Entries(
        employee=Employee(
            name="Zoë O'Brien-Ñúñez",
            employee_id="00042",
            manager="Lee Park",
            location="Site 12, Downtown",
            current_role=role.title,
            target_role="PSR III",
            start_date=dt.date(2023, 5, 2),
        ),
        discussion=Discussion(
            goals_1y="Finish every required course\nand lead a huddle",
            goals_3y="Become a site lead 🚀",
            strengths="Calm with anxious patients",
            development="Difficult draws",
            support="Shadow shifts at the main site",
            next_steps=(
                NextStep("Shadow the site lead", "Ana Díaz", today + dt.timedelta(days=14)),
                NextStep("Finish the HIPAA refresher", "Me", None, Status.IN_PROGRESS),
                NextStep(
                    "Book the CPT exam", "Lee Park", today + dt.timedelta(days=60), Status.PLANNED
                ),
            ),
        ),
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(competencies),
        certifications=MappingProxyType(
            {
                item.id: CertificationEntry(
                    today - dt.timedelta(days=400 + index), today + dt.timedelta(days=30 * index)
                )
                for index, item in enumerate(role.certifications)
            }
        ),
        own_courses=(
            OwnCourse(
                "Lengua de señas · básico",
                "asl-1",
                "Colegio Comunitario",
                12.5,
                Status.COMPLETED,
                completed_on=today - dt.timedelta(days=40),
                notes=NOTE_WITH_BREAK,
            ),
            OwnCourse("=Not a formula", hours=0.25, status=Status.PLANNED, target_date=today),
        ),
    )


def calc_edit(sheet: str, row: int, col: int, kind: lay.Kind, value: Any) -> dict[str, Any]:
    """The Calc edit a person makes to enter ``value``: dates as dates, ratings as numbers."""
    cell = a1(row, col)
    if kind is lay.Kind.DATE:
        return {"sheet": sheet, "cell": cell, "date": value.isoformat()}
    if kind in (lay.Kind.RATING, lay.Kind.HOURS):
        return {"sheet": sheet, "cell": cell, "number": value}
    return {"sheet": sheet, "cell": cell, "value": CODECS[kind.value].encode(value)}


def calc_edits(layout: lay.Layout, entries: Entries) -> list[dict[str, Any]]:
    """Every entry of ``entries`` as Calc edits at the cells the layout gives; blanks skipped."""
    wanted: list[tuple[str, int, int, lay.Kind, Any]] = []
    wanted += [
        (lay.START, f.row, f.col, f.kind, getattr(entries.employee, f.key)) for f in layout.employee
    ]
    wanted += [
        (lay.DISCUSSION, f.row, f.col, f.kind, getattr(entries.discussion, f.key))
        for f in layout.discussion_notes
    ]
    steps = layout.next_steps
    for row_id, step in zip(steps.ids, entries.discussion.next_steps, strict=False):
        wanted += [
            (steps.sheet, steps.row(row_id), steps.col(c.key), c.kind, getattr(step, c.key))
            for c in steps.columns
        ]
    own = layout.own_courses
    for row_id, course in zip(own.ids, entries.own_courses, strict=False):
        wanted += [
            (own.sheet, own.row(row_id), own.col(c.key), c.kind, getattr(course, c.key))
            for c in own.columns
            if c.kind.is_input
        ]
    tables: tuple[tuple[lay.Table, Mapping[str, object]], ...] = (
        (layout.courses, entries.courses),
        (layout.competencies, entries.competencies),
        *(((layout.certifications, entries.certifications),) if layout.certifications else ()),
    )
    for table, rows in tables:
        for item_id, entry in rows.items():
            wanted += [
                (table.sheet, table.row(item_id), table.col(c.key), c.kind, getattr(entry, c.key))
                for c in table.columns
                if c.kind.is_input
            ]
    return [
        calc_edit(sheet, row, col, kind, value)
        for sheet, row, col, kind, value in wanted
        if value is not None and value != ""
    ]


# --- fixtures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """A file another application saved, and (for Calc) the cells it reported."""

    path: Path
    answer: Result | None = None

    def cells(self, sheet: str) -> dict[str, Cell]:
        assert self.answer is not None
        return self.answer["cells"][sheet]


@pytest.fixture(scope="module")
def role(bundled: Catalog) -> Role:
    return bundled.roles[ROLE_ID]


@pytest.fixture(scope="module")
def layout(role: Role) -> lay.Layout:
    return lay.layout_for(role)


@pytest.fixture(scope="module")
def today() -> dt.date:
    return dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date


@pytest.fixture(scope="module")
def entries(role: Role, today: dt.date) -> Entries:
    return sample_entries(role, today)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("read-apps")


@pytest.fixture(scope="module")
def blank(role: Role, folder: Path) -> Path:
    return build_tracker(role, folder / "blank.xlsx")


@pytest.fixture(scope="module")
def filled(role: Role, blank: Path, entries: Entries, folder: Path) -> Path:
    """The blank tracker filled with openpyxl, as tests/fills.py does."""
    return fill(blank, role, entries, folder / "filled.xlsx")


@pytest.fixture(scope="module")
def filled_in_calc(
    libreoffice: Calc, layout: lay.Layout, blank: Path, entries: Entries, folder: Path
) -> Saved:
    """The blank tracker filled in Calc, recalculated and saved as .xlsx."""
    target = folder / "filled-in-calc.xlsx"
    answer = libreoffice.run(blank, calc_edits(layout, entries), recalculate=True, save_as=target)
    return Saved(target, answer)


@dataclass(frozen=True)
class Rearranged:
    saved: Saved
    text_dated: dict[str, str]
    """Course id to the text typed into its target date."""
    empty_row: int
    note_row: int
    """1-based rows of the inserted checklist rows: left empty, and given only a note."""

    def row_of(self, table: lay.Table, item_id: str) -> int:
        """The 1-based row whose ID cell now holds ``item_id``, as Calc reported it."""
        letters = table.letter("id")
        found = [
            row_number(address)
            for address, cell in self.saved.cells(table.sheet).items()
            if address.rstrip("0123456789") == letters and cell["value"] == item_id
        ]
        assert len(found) == 1, (item_id, found)
        assert found[0] is not None
        return found[0]


@pytest.fixture(scope="module")
def rearranged(
    libreoffice: Calc, role: Role, layout: lay.Layout, entries: Entries, folder: Path
) -> Rearranged:
    """A filled tracker sorted, row-inserted and given text dates in Calc.

    Built unprotected: Calc refuses to insert rows into a protected sheet and leaves the
    locked cells of a protected sheet unsorted, so a person unprotects it first.
    """
    source = build_tracker(
        role, folder / "to-sort.xlsx", employee=entries, options=TrackerOptions(protect=False)
    )
    courses, competencies = layout.courses, layout.competencies
    dated = {role.courses[1].id: TEXT_DATES[0], role.courses[6].id: TEXT_DATES[1]}
    edits: list[dict[str, Any]] = [
        {"sheet": courses.sheet, "cell": a1(courses.row(i), courses.col("target_date")), "value": t}
        for i, t in dated.items()
    ]
    edits += [
        {
            "sheet": courses.sheet,
            "sort": data_range(courses),
            "by": courses.letter("title"),
            "descending": True,
        },
        {
            "sheet": competencies.sheet,
            "sort": data_range(competencies),
            "by": competencies.letter("name"),
            "descending": True,
        },
    ]
    empty_row = courses.first_row + 1 + len(courses.ids) // 2
    note_row = empty_row + 3
    edits += [
        {"sheet": courses.sheet, "insert_row_before": empty_row},
        {"sheet": courses.sheet, "insert_row_before": note_row},
        {
            "sheet": courses.sheet,
            "cell": f"{courses.letter('notes')}{note_row}",
            "value": STRAY_NOTE,
        },
    ]
    target = folder / "rearranged.xlsx"
    answer = libreoffice.run(source, edits, recalculate=True, save_as=target)
    return Rearranged(Saved(target, answer), dated, empty_row, note_row)


def read(path: Path, catalog: Catalog) -> FilledTracker:
    return read_tracker(path, catalog=catalog)


# --- 1. filled in LibreOffice -----------------------------------------------------------


def test_calc_keeps_a_line_break_typed_into_a_note(
    filled_in_calc: Saved, layout: lay.Layout, role: Role
) -> None:
    courses = layout.courses
    note = a1(courses.row(role.courses[0].id), courses.col("notes"))
    assert filled_in_calc.cells(courses.sheet)[note]["value"] == NOTE_WITH_BREAK


def test_entries_typed_in_calc_read_back_exactly(
    filled_in_calc: Saved, entries: Entries, bundled: Catalog
) -> None:
    tracker = read(filled_in_calc.path, bundled)
    assert tracker.entries == entries


def test_entries_typed_in_calc_read_with_no_errors(filled_in_calc: Saved, bundled: Catalog) -> None:
    assert read(filled_in_calc.path, bundled).errors == ()


# --- 3. figures recomputed by the reader equal LibreOffice's ------------------------------


def same_value(expected: Any, calc: Any) -> bool:
    if isinstance(expected, (int, float)) and isinstance(calc, (int, float)):
        return math.isclose(expected, calc, rel_tol=1e-12, abs_tol=1e-12)
    return bool(expected == calc)


def test_recomputed_dashboard_equals_calcs_dashboard(
    filled_in_calc: Saved, role: Role, layout: lay.Layout, today: dt.date, bundled: Catalog
) -> None:
    figures = read(filled_in_calc.path, bundled).figures(role, as_of=today)
    dashboard = figures.dashboard
    assert dashboard.overdue > 0
    assert dashboard.at_target > 0
    assert dashboard.hours_done > 0
    cells = filled_in_calc.cells(lay.START)
    differences = []
    for item in layout.dashboard:
        assert item.twin is not None
        cell = cells[a1(item.row, item.col)]
        assert cell["formula"], item.key
        if not same_value(item.twin(figures), cell["value"]):
            differences.append((item.key, item.twin(figures), cell["value"]))
    assert differences == []


def test_recomputed_largest_gaps_equal_calcs(
    filled_in_calc: Saved, role: Role, layout: lay.Layout, today: dt.date, bundled: Catalog
) -> None:
    gaps = read(filled_in_calc.path, bundled).figures(role, as_of=today).dashboard.largest_gaps
    cells = filled_in_calc.cells(lay.DISCUSSION)
    shown = tuple(
        cells[a1(item.row, item.col)]["value"]
        for item in layout.discussion_summary
        if item.key.startswith("gap_")
    )
    assert all(gaps)
    assert gaps == shown


def test_after_a_sort_equal_gaps_are_ranked_as_calc_ranks_them(
    rearranged: Rearranged, role: Role, layout: lay.Layout, today: dt.date, bundled: Catalog
) -> None:
    """Ties between equal gaps go by sheet row, so the twins must use the rows after the sort."""
    tracker = read(rearranged.saved.path, bundled)
    moved = {item: rearranged.row_of(layout.competencies, item) for item in layout.competencies.ids}
    assert moved != {i: layout.competencies.row(i) + 1 for i in layout.competencies.ids}
    assert dict(tracker.competency_rows) == moved
    cells = rearranged.saved.cells(lay.DISCUSSION)
    shown = tuple(
        cells[a1(item.row, item.col)]["value"]
        for item in layout.discussion_summary
        if item.key.startswith("gap_")
    )
    assert tracker.figures(role, as_of=today).dashboard.largest_gaps == shown


def test_recomputed_row_figures_equal_calcs(
    filled_in_calc: Saved, role: Role, layout: lay.Layout, today: dt.date, bundled: Catalog
) -> None:
    figures = read(filled_in_calc.path, bundled).figures(role, as_of=today)
    differences = []
    for table in (layout.courses, layout.competencies):
        cells = filled_in_calc.cells(table.sheet)
        for column in table.columns:
            if column.twin is None:
                continue
            for item_id in table.ids:
                cell = cells.get(a1(table.row(item_id), table.col(column.key)))
                value = None if cell is None else cell["value"]
                expected = column.twin(figures, item_id)
                if not same_value(expected, "" if value is None else value):
                    differences.append((item_id, column.key, expected, value))
    assert differences == []


# --- 2. sorted, row-inserted, dates typed as text, in LibreOffice ---------------------------


def test_calc_sorted_both_tables_and_inserted_the_rows(
    rearranged: Rearranged, layout: lay.Layout
) -> None:
    for table in (layout.courses, layout.competencies):
        rows = [rearranged.row_of(table, item_id) for item_id in table.ids]
        assert rows != sorted(rows), table.name
    checklist = rearranged.saved.cells(layout.courses.sheet)
    filled = {address: cell["value"] for address, cell in checklist.items()}
    assert [a for a in filled if row_number(a) == rearranged.empty_row] == []
    assert {a: v for a, v in filled.items() if row_number(a) == rearranged.note_row} == {
        f"{layout.courses.letter('notes')}{rearranged.note_row}": STRAY_NOTE
    }


def test_sorted_and_row_inserted_tracker_reads_every_entry(
    rearranged: Rearranged, entries: Entries, bundled: Catalog
) -> None:
    courses = dict(entries.courses)
    for course_id in rearranged.text_dated:
        courses[course_id] = replace(courses[course_id], target_date=TEXT_DAY)
    expected = replace(entries, courses=MappingProxyType(courses))
    assert read(rearranged.saved.path, bundled).entries == expected


def test_text_dates_warn_at_the_cells_they_moved_to(
    rearranged: Rearranged, layout: lay.Layout, bundled: Catalog
) -> None:
    courses = layout.courses
    expected = {
        CellProblem(
            Severity.WARNING,
            courses.sheet,
            f"{courses.letter('target_date')}{rearranged.row_of(courses, course_id)}",
            decode_date(text, Context()).message,
            Code.DATE_AS_TEXT,
            field="courses.target_date",
            item=course_id,
            typed=text,
        )
        for course_id, text in rearranged.text_dated.items()
    }
    cells = {problem.cell for problem in expected}
    problems = read(rearranged.saved.path, bundled).problems
    assert {p for p in problems if p.cell in cells} == expected


def test_an_inserted_empty_row_gives_no_problem(
    rearranged: Rearranged, layout: lay.Layout, bundled: Catalog
) -> None:
    problems = read(rearranged.saved.path, bundled).problems
    in_row = [
        p
        for p in problems
        if p.sheet == layout.courses.sheet and row_number(p.cell) == rearranged.empty_row
    ]
    assert in_row == []


def test_an_inserted_row_with_a_note_is_an_error_at_its_id_cell_pointing_to_the_own_rows(
    rearranged: Rearranged, layout: lay.Layout, bundled: Catalog
) -> None:
    id_cell = f"{layout.courses.letter('id')}{rearranged.note_row}"
    errors = read(rearranged.saved.path, bundled).errors
    assert [(p.sheet, p.cell, p.code) for p in errors] == [
        (layout.courses.sheet, id_cell, Code.ROW_INSERTED)
    ]
    assert "'Your own courses' rows below the checklist" in errors[0].message


def test_rearranged_tracker_has_no_other_problems(
    rearranged: Rearranged, layout: lay.Layout, bundled: Catalog
) -> None:
    courses = layout.courses
    date_cells = {
        f"{courses.letter('target_date')}{rearranged.row_of(courses, i)}"
        for i in rearranged.text_dated
    }
    id_cell = f"{courses.letter('id')}{rearranged.note_row}"
    problems = read(rearranged.saved.path, bundled).problems
    assert {(p.sheet, p.cell) for p in problems} == {
        (courses.sheet, cell) for cell in (*date_cells, id_cell)
    }


# --- 4. saved again by openpyxl -----------------------------------------------------------


def test_openpyxl_resave_reads_back_identically(
    filled: Path, entries: Entries, folder: Path, bundled: Catalog
) -> None:
    resaved = folder / "resaved.xlsx"
    open_book(filled).save(resaved)
    before, after = read(filled, bundled), read(resaved, bundled)
    assert before.entries == entries
    assert (after.entries, after.problems) == (before.entries, before.problems)


# --- 5. a Google Sheets export ------------------------------------------------------------


def test_google_export_reads_every_entry_by_headers_and_labels(
    filled: Path, entries: Entries, folder: Path, bundled: Catalog
) -> None:
    exported = google_export(filled, folder / "google.xlsx")
    assert read_cells(exported, ()).defined_names == {}
    tracker = read(exported, bundled)
    assert tracker.entries == entries
    assert tracker.errors == ()


def test_google_export_warns_that_the_defined_names_were_lost(
    filled: Path, folder: Path, bundled: Catalog
) -> None:
    tracker = read(google_export(filled, folder / "google-warn.xlsx"), bundled)
    lost = [p for p in tracker.problems if p.message.startswith(LOST_NAMES)]
    assert [(p.severity, p.sheet, p.cell) for p in lost] == [(Severity.WARNING, None, None)]


def test_google_export_with_a_column_inserted_left_of_the_checklist_reads_by_header(
    filled: Path, entries: Entries, layout: lay.Layout, folder: Path, bundled: Catalog
) -> None:
    exported = google_export(filled, folder / "google-moved.xlsx", insert_checklist_column=True)
    header = open_book(exported)[lay.CHECKLIST].cell(layout.courses.header_row + 1, 1).value
    assert header is None  # the headers moved one column right
    tracker = read(exported, bundled)
    assert tracker.entries == entries
    assert tracker.errors == ()


# --- 6. the 1904 date system ----------------------------------------------------------------


def test_a_1904_date_system_workbook_reads_the_same_dates(
    blank: Path, layout: lay.Layout, entries: Entries, folder: Path, bundled: Catalog
) -> None:
    book = open_book(blank)
    book.epoch = CALENDAR_MAC_1904
    start, checklist = book[lay.START], book[lay.CHECKLIST]
    start_date = next(f for f in layout.employee if f.kind is lay.Kind.DATE)
    put(start, start_date.row, start_date.col, entries.employee.start_date)
    courses = layout.courses
    for course_id, entry in entries.courses.items():
        for key in ("target_date", "completed_on"):
            put(checklist, courses.row(course_id), courses.col(key), getattr(entry, key))
    steps = layout.next_steps
    for row_id, step in zip(steps.ids, entries.discussion.next_steps, strict=False):
        put(book[steps.sheet], steps.row(row_id), steps.col("due"), step.due)
    target = folder / "mac-1904.xlsx"
    book.save(target)

    first = layout.courses.ids[0]
    cells = read_cells(target, {lay.CHECKLIST})
    stored = cells.cells[lay.CHECKLIST].get(a1(courses.row(first), courses.col("target_date")))
    assert cells.date1904
    assert stored is not None
    assert isinstance(stored.value, float)
    assert serial_to_date(stored.value, date1904=True) == entries.courses[first].target_date

    got = read(target, bundled).entries
    assert got.employee.start_date == entries.employee.start_date
    assert {i: (e.target_date, e.completed_on) for i, e in got.courses.items()} == {
        i: (e.target_date, e.completed_on) for i, e in entries.courses.items()
    }
    assert [s.due for s in got.discussion.next_steps] == [
        s.due for s in entries.discussion.next_steps if s.due is not None
    ]
