"""Reading filled-in trackers: every entry back, every oddity reported at its cell.

Files are changed the way people change spreadsheets (sorted, rows inserted and
deleted, formulas typed over, dates typed as text) with openpyxl; the cells to
change are found through the layout, as a person finds them on screen.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import re
import zipfile
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest

from conftest import BUNDLED_ROLES
from fills import fill, open_book, put
from trackerkit import (
    CompetencyEntry,
    CourseEntry,
    Discussion,
    Employee,
    Entries,
    FilledTracker,
    NextStep,
    Severity,
    Status,
    WorkbookError,
    build_tracker,
    read_tracker,
    read_trackers,
)
from trackerkit import layout as lay
from trackerkit.figures import compute
from trackerkit.problem_codes import Code

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog, Role

ERROR, WARNING = Severity.ERROR, Severity.WARNING


pytestmark = pytest.mark.usefixtures("codes_match_messages")


def rich_entries(role: Role) -> Entries:
    """Something in every input of the role's tracker, with every kind of value."""
    statuses = list(Status)
    courses = {
        item.id: CourseEntry(
            status=statuses[index % len(statuses)],
            target_date=dt.date(2026, 1 + index % 12, 1 + index % 28),
            # A completion date exactly where the status is Completed: they agree.
            completed_on=(
                dt.date(2025, 12, 31 - index) if statuses[index % 5] is Status.COMPLETED else None
            ),
            notes=f"note {index}: café ✓\nsecond line" if index % 3 else "",
        )
        for index, item in enumerate(role.courses)
    }
    competencies = {
        item.id: CompetencyEntry(
            self_rating=1 + index % 5,
            manager_rating=None if index % 2 else 1 + (index + 2) % 5,
            evidence="=starts like a formula" if index == 0 else f"evidence {index}",
        )
        for index, item in enumerate(role.competencies)
    }
    return Entries(
        employee=Employee(
            name="Ana Díaz",
            employee_id="00731",
            manager="Lee Park",
            location="Reno PSC",
            current_role=role.title,
            target_role="PSR III",
            start_date=dt.date(2024, 2, 29),
        ),
        discussion=Discussion(
            goals_1y="Lead the morning huddle",
            goals_3y="Group lead\n(two sites)",
            strengths="Calm with anxious patients",
            development="Scheduling",
            support="Time for the course",
            next_steps=(
                NextStep("Shadow the site lead", "Ana", dt.date(2027, 1, 15), Status.PLANNED),
                NextStep("Book the course", "Lee", None, None),
                NextStep(owner="Ana"),
            ),
        ),
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(competencies),
    )


def same_entries(read: Entries, written: Entries, role: Role) -> None:
    """Every input of the role reads back as written (untouched rows as blank)."""
    assert read.employee == written.employee
    assert read.discussion == written.discussion
    for course in role.courses:
        assert read.course(course.id) == written.course(course.id), course.id
    for competency in role.competencies:
        assert read.competency(competency.id) == written.competency(competency.id), competency.id
    assert set(read.courses) == {item.id for item in role.courses}
    assert set(read.competencies) == {item.id for item in role.competencies}


def messages(tracker: FilledTracker) -> list[tuple[str, str | None, str | None, str]]:
    return [(p.severity.value, p.sheet, p.cell, p.message) for p in tracker.problems]


@pytest.mark.parametrize("role_id", BUNDLED_ROLES)
def test_a_blank_tracker_reads_as_blank(bundled: Catalog, tmp_path: Path, role_id: str) -> None:
    role = bundled.roles[role_id]
    tracker = read_tracker(build_tracker(role, tmp_path / "t.xlsx"), catalog=bundled)
    assert tracker.problems == ()
    assert tracker.format_version == lay.FORMAT_VERSION
    assert (tracker.role.id, tracker.role.version, tracker.role.title) == (
        role.id,
        role.version,
        role.title,
    )
    same_entries(tracker.entries, Entries(), role)


@pytest.mark.parametrize("role_id", BUNDLED_ROLES)
def test_a_prefilled_tracker_reads_back_its_prefill(
    bundled: Catalog, tmp_path: Path, role_id: str
) -> None:
    role = bundled.roles[role_id]
    entries = rich_entries(role)
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries)
    tracker = read_tracker(path, catalog=bundled)
    assert tracker.problems == ()
    same_entries(tracker.entries, entries, role)


def test_more_next_steps_than_the_blank_rows_get_rows_and_read_back(
    bundled: Catalog, tmp_path: Path
) -> None:
    role = bundled.roles["psr-i"]
    steps = tuple(NextStep(f"step {n}", due=dt.date(2027, 1, n)) for n in range(1, 13))
    entries = Entries(discussion=Discussion(next_steps=steps))
    tracker = read_tracker(build_tracker(role, tmp_path / "t.xlsx", employee=entries))
    assert tracker.discussion.next_steps == steps


# --- what people do to spreadsheets --------------------------------------------------------


@pytest.fixture
def role(bundled: Catalog) -> Role:
    return bundled.roles["psr-ii"]


@pytest.fixture
def filled(role: Role, tmp_path: Path) -> Path:
    """A psr-ii tracker with every input filled, by openpyxl."""
    blank = build_tracker(role, tmp_path / "blank.xlsx")
    return fill(blank, role, rich_entries(role), tmp_path / "filled.xlsx")


def edit(path: Path, change: Any) -> Path:
    """Open with openpyxl, let ``change(book)`` edit, save under a new name."""
    book = open_book(path)
    change(book)
    out = path.with_name("edited.xlsx")
    book.save(out)
    return out


def test_openpyxl_fills_read_back_exactly(role: Role, filled: Path, bundled: Catalog) -> None:
    tracker = read_tracker(filled, catalog=bundled)
    assert tracker.problems == ()
    same_entries(tracker.entries, rich_entries(role), role)


def test_sorted_rows_are_found_by_id(role: Role, filled: Path, bundled: Catalog) -> None:
    table = lay.layout_for(role).courses

    def reverse_rows(book: Any) -> None:
        sheet = book[lay.CHECKLIST]
        rows = [
            [cell.value for cell in sheet[r + 1][: len(table.columns)]]
            for r in range(table.first_row, table.last_row + 1)
        ]
        for offset, values in enumerate(reversed(rows)):
            for col, value in enumerate(values):
                sheet.cell(table.first_row + offset + 1, col + 1).value = value

    tracker = read_tracker(edit(filled, reverse_rows), catalog=bundled)
    assert tracker.problems == ()
    same_entries(tracker.entries, rich_entries(role), role)
    assert list(tracker.courses) == [item.id for item in role.courses]  # the role's order


def test_a_deleted_row_is_reported_and_read_as_empty(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    table = lay.layout_for(role).courses
    gone = role.courses[1]
    path = edit(filled, lambda book: book[lay.CHECKLIST].delete_rows(table.row(gone.id) + 1))
    tracker = read_tracker(path, catalog=bundled)
    assert messages(tracker) == [
        (
            "warning",
            lay.CHECKLIST,
            None,
            f"there is no row for course {gone.id!r} ({gone.course.title}); it was read as "
            "empty, so put the row back if it was deleted by mistake",
        )
    ]
    assert tracker.courses[gone.id] == CourseEntry()
    assert tracker.courses[role.courses[2].id] == rich_entries(role).course(role.courses[2].id)


def test_an_inserted_row_with_entries_but_no_id_is_an_error(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    table = lay.layout_for(role).courses
    row = table.row(role.courses[3].id)  # 0-based; the new row takes its place

    def insert(book: Any) -> None:
        sheet = book[lay.CHECKLIST]
        sheet.insert_rows(row + 1)
        put(sheet, row, table.col("notes"), "my own course")

    tracker = read_tracker(edit(filled, insert), catalog=bundled)
    id_cell = f"{table.letter('id')}{row + 1}"
    assert messages(tracker) == [
        (
            "error",
            lay.CHECKLIST,
            id_cell,
            "this row was inserted inside the checklist and has entries but no course ID (and "
            "none of the checklist's formulas), so they were not read; enter the course in one "
            "of the 'Your own courses' rows below the checklist, then delete this row",
        )
    ]
    same_entries(tracker.entries, rich_entries(role), role)  # rows below still read by id


def test_an_empty_inserted_row_is_no_problem(role: Role, filled: Path, bundled: Catalog) -> None:
    row = lay.layout_for(role).courses.row(role.courses[0].id)
    tracker = read_tracker(
        edit(filled, lambda book: book[lay.CHECKLIST].insert_rows(row + 1)), catalog=bundled
    )
    assert tracker.problems == ()


def test_an_unknown_id_is_an_error_but_its_entries_are_kept(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    table = lay.layout_for(role).courses
    below = table.last_row + 1

    def add(book: Any) -> None:
        sheet = book[lay.CHECKLIST]
        put(sheet, below, table.col("id"), "my-own-course")
        put(sheet, below, table.col("status"), "Planned")

    tracker = read_tracker(edit(filled, add), catalog=bundled)
    assert messages(tracker) == [
        (
            "error",
            lay.CHECKLIST,
            f"A{below + 1}",
            "'my-own-course' is not a course of this role; its entries were kept, but check the "
            "ID; a course of your own belongs in the 'Your own courses' rows",
        )
    ]
    assert tracker.courses["my-own-course"] == CourseEntry(Status.PLANNED)


def test_a_row_listed_twice_is_an_error(role: Role, filled: Path, bundled: Catalog) -> None:
    table = lay.layout_for(role).courses
    below, first = table.last_row + 1, role.courses[0]

    def copy(book: Any) -> None:
        sheet = book[lay.CHECKLIST]
        put(sheet, below, table.col("id"), first.id)
        put(sheet, below, table.col("notes"), "again")

    tracker = read_tracker(edit(filled, copy), catalog=bundled)
    assert messages(tracker) == [
        (
            "error",
            lay.CHECKLIST,
            f"A{below + 1}",
            f"course {first.id!r} is listed again (first in row {table.row(first.id) + 1}), so "
            "this row's entries were not read; keep one row for it",
        )
    ]
    assert tracker.courses[first.id] == rich_entries(role).course(first.id)


def test_a_formula_typed_over_is_a_warning(role: Role, filled: Path, bundled: Catalog) -> None:
    layout = lay.layout_for(role)
    row = layout.competencies.row(role.competencies[0].id)
    dashboard = next(f for f in layout.dashboard if f.key == "overdue")

    def type_over(book: Any) -> None:
        put(book[lay.COVERAGE], row, layout.competencies.col("gap"), 0)
        put(book[lay.START], dashboard.row, dashboard.col, None)

    tracker = read_tracker(edit(filled, type_over), catalog=bundled)
    gap = f"{layout.competencies.letter('gap')}{row + 1}"
    overdue = f"{xl(dashboard.col)}{dashboard.row + 1}"
    assert messages(tracker) == [
        (
            "warning",
            lay.START,
            overdue,
            "the Overdue courses formula was cleared, so the sheet no longer updates it "
            "(trackerkit recomputes it); rebuild the tracker to restore it",
        ),
        (
            "warning",
            lay.COVERAGE,
            gap,
            "the Gap to target formula was typed over, so the sheet no longer updates it "
            "(trackerkit recomputes it); rebuild the tracker to restore it",
        ),
    ]


def xl(col: int) -> str:
    from trackerkit.refs import column_letters

    return column_letters(col + 1)


def test_values_other_applications_leave_are_understood(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    layout = lay.layout_for(role)
    courses, competencies = layout.courses, layout.competencies
    first, second, third = (item.id for item in role.courses[:3])
    rating = role.competencies[0].id
    employee_id = next(f for f in layout.employee if f.key == "employee_id")

    def odd_values(book: Any) -> None:
        checklist, coverage = book[lay.CHECKLIST], book[lay.COVERAGE]
        put(checklist, courses.row(first), courses.col("status"), "  in progress ")
        put(checklist, courses.row(first), courses.col("target_date"), 46112)  # a bare serial
        put(checklist, courses.row(second), courses.col("status"), "COMPLETED")
        put(checklist, courses.row(second), courses.col("target_date"), "2026-03-31")
        put(checklist, courses.row(third), courses.col("completed_on"), "3/31/2026")
        put(coverage, competencies.row(rating), competencies.col("self_rating"), "3")
        put(coverage, competencies.row(rating), competencies.col("manager_rating"), 4.0)
        put(book[lay.START], employee_id.row, employee_id.col, 731)

    tracker = read_tracker(edit(filled, odd_values), catalog=bundled)
    assert tracker.courses[first].status is Status.IN_PROGRESS
    assert tracker.courses[first].target_date == dt.date(2026, 3, 31)
    assert tracker.courses[second].status is Status.COMPLETED
    assert tracker.courses[second].target_date == dt.date(2026, 3, 31)
    assert tracker.courses[third].completed_on == dt.date(2026, 3, 31)
    assert tracker.competencies[rating] == replace(
        rich_entries(role).competency(rating), self_rating=3, manager_rating=4
    )
    assert tracker.employee.employee_id == "731"
    assert [(p.severity, p.sheet, p.cell) for p in tracker.problems] == [
        (WARNING, lay.CHECKLIST, f"{courses.letter('status')}{courses.row(first) + 1}"),
        (WARNING, lay.CHECKLIST, f"{courses.letter('target_date')}{courses.row(second) + 1}"),
        (WARNING, lay.CHECKLIST, f"{courses.letter('completed_on')}{courses.row(third) + 1}"),
    ]


def test_every_bad_value_of_a_file_is_reported_at_its_cell(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    courses = lay.layout_for(role).courses
    first, second = role.courses[0].id, role.courses[1].id

    def bad_values(book: Any) -> None:
        checklist = book[lay.CHECKLIST]
        put(checklist, courses.row(first), courses.col("status"), "Done")
        put(checklist, courses.row(second), courses.col("target_date"), "soon")

    tracker = read_tracker(edit(filled, bad_values), catalog=bundled)
    assert messages(tracker) == [
        (
            "error",
            lay.CHECKLIST,
            f"{courses.letter('status')}{courses.row(first) + 1}",
            '"Done" is not a status; use one of Not started, Planned, In progress, Completed, '
            "Waived",
        ),
        (
            "error",
            lay.CHECKLIST,
            f"{courses.letter('target_date')}{courses.row(second) + 1}",
            '"soon" is not a date; enter a date such as 2026-03-31',
        ),
    ]
    # A status that cannot be read is None, not guessed as Not started; its text is kept.
    assert tracker.courses[first].status is None
    assert tracker.courses[second].target_date is None
    assert tracker.errors == tracker.problems
    assert [(p.code, p.field, p.item, p.typed) for p in tracker.problems] == [
        (Code.STATUS_UNKNOWN, "courses.status", first, "Done"),
        (Code.DATE_INVALID, "courses.target_date", second, "soon"),
    ]


def test_next_steps_added_below_the_table_are_read(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    steps = lay.layout_for(role).next_steps

    def add_rows(book: Any) -> None:
        sheet = book[lay.DISCUSSION]
        sheet.insert_rows(steps.last_row + 2, amount=2)  # pushes the sign-off lines down
        put(sheet, steps.last_row + 1, steps.col("action"), "Extra step")
        put(sheet, steps.last_row + 2, steps.col("owner"), "Lee")

    tracker = read_tracker(edit(filled, add_rows), catalog=bundled)
    assert tracker.problems == ()
    assert tracker.discussion.next_steps == (
        *rich_entries(role).discussion.next_steps,
        NextStep("Extra step"),
        NextStep(owner="Lee"),
    )


def test_a_missing_sheet_is_an_error_and_the_rest_is_read(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    tracker = read_tracker(
        edit(filled, lambda book: book.remove(book[lay.DISCUSSION])), catalog=bundled
    )
    assert messages(tracker) == [
        (
            "error",
            lay.DISCUSSION,
            None,
            "the sheet is missing, so its entries cannot be read; copy them into a newly "
            "built tracker",
        )
    ]
    assert tracker.discussion == Discussion()
    assert tracker.courses == dict(rich_entries(role).courses)


def test_a_broken_defined_name_falls_back_to_the_header(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    def break_name(book: Any) -> None:
        book.defined_names["Course_Status"].attr_text = "#REF!"

    tracker = read_tracker(edit(filled, break_name), catalog=bundled)
    assert messages(tracker) == [
        (
            "warning",
            lay.CHECKLIST,
            None,
            'the defined name Course_Status no longer points to one range of this sheet ("#REF!"); '
            "its cells were found by their header or label instead",
        )
    ]
    same_entries(tracker.entries, rich_entries(role), role)


# --- which role, which version -------------------------------------------------------------


def test_a_tracker_of_an_older_role_version_is_read_with_a_warning(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    newer = replace(role, version="2027.1", courses=role.courses[1:])
    catalog = replace(bundled, roles=MappingProxyType({**bundled.roles, role.id: newer}))
    tracker = read_tracker(filled, catalog=catalog)
    assert messages(tracker) == [
        (
            "warning",
            None,
            None,
            f"the tracker was made from version {role.version} of {role.id}, which now has "
            "version 2027.1; its entries were read as the tracker has them, without checking "
            "them against the role",
        )
    ]
    # The course the new version dropped is kept: an upgrade must not lose it.
    assert tracker.courses[role.courses[0].id] == rich_entries(role).course(role.courses[0].id)


def test_a_tracker_of_an_unknown_role_is_read_as_found(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    others = {key: value for key, value in bundled.roles.items() if key != role.id}
    catalog = replace(bundled, roles=MappingProxyType(others))
    tracker = read_tracker(filled, catalog=catalog)
    assert [p.message for p in tracker.problems] == [
        f"the roles have no role {role.id!r}, so the entries were read without checking them "
        "against it; read it with the roles folder it was made from"
    ]
    same_entries(tracker.entries, rich_entries(role), role)


def test_a_workbook_without_the_metadata_sheet_is_not_a_tracker(
    filled: Path, bundled: Catalog
) -> None:
    path = edit(filled, lambda book: book.remove(book[lay.METADATA]))
    with pytest.raises(WorkbookError) as caught:
        read_tracker(path, catalog=bundled)
    assert str(caught.value) == (
        f"{path}: is not a trackerkit tracker (it has no 'trackerkit' sheet); only trackers "
        "made by trackerkit build can be read"
    )


def test_a_tracker_from_a_newer_trackerkit_is_refused(filled: Path, bundled: Catalog) -> None:
    row = lay.METADATA_KEYS.index("format_version")
    path = edit(filled, lambda book: put(book[lay.METADATA], row, 1, lay.FORMAT_VERSION + 1))
    with pytest.raises(WorkbookError) as caught:
        read_tracker(path, catalog=bundled)
    assert str(caught.value) == (
        f"{path}: was made by a newer trackerkit (tracker format {lay.FORMAT_VERSION + 1}; this "
        f"one reads format {lay.FORMAT_VERSION}); upgrade trackerkit to read it"
    )


# --- figures and JSON -----------------------------------------------------------------------


def test_figures_come_from_the_entries_not_from_cached_values(
    role: Role, tmp_path: Path, bundled: Catalog
) -> None:
    entries = rich_entries(role)
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries)
    tampered = tmp_path / "tampered.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                # Every cached formula result becomes 999: a reader trusting them would show it.
                data = re.sub(rb"(</f><v>)[^<]*(</v>)", rb"\g<1>999\g<2>", data)
            target.writestr(item, data)
    done = next(f for f in lay.layout_for(role).dashboard if f.key == "required_done")
    cached = openpyxl.load_workbook(tampered, data_only=True)[lay.START]
    assert cached.cell(done.row + 1, done.col + 1).value == 999  # the file now lies
    tracker = read_tracker(tampered, catalog=bundled)
    day = dt.date(2026, 6, 1)
    table = lay.layout_for(role).competencies
    expected = compute(role, entries, day, {i: table.row(i) + 1 for i in table.ids})
    assert tracker.figures(role, as_of=day) == expected
    assert tracker.figures(role, as_of=day).dashboard.required_done < len(role.courses)


def test_to_dict_matches_the_shipped_schema(role: Role, filled: Path, bundled: Catalog) -> None:
    from jsonschema import Draft202012Validator, FormatChecker

    from trackerkit.resources import bundled as bundled_folder

    schema = json.loads(
        (bundled_folder("schemas") / "filled-tracker.schema.json").read_text(encoding="utf-8")
    )
    validator = Draft202012Validator(schema, format_checker=FormatChecker())
    data = read_tracker(filled, catalog=bundled).to_dict()
    validator.validate(data)
    validator.validate([data, data])
    assert list(data) == [
        "file",
        "format_version",
        "role",
        "employee",
        "courses",
        "competencies",
        "discussion",
        "certifications",
        "own_courses",
        "readiness",
        "problems",
    ]
    assert data["employee"]["start_date"] == "2024-02-29"
    assert data["competencies"][0]["evidence"] == "=starts like a formula"  # JSON keeps text
    assert data["courses"][0]["id"] == role.courses[0].id
    broken = {**data, "courses": [{**data["courses"][0], "status": "Done"}]}
    assert not validator.is_valid(broken)


def test_a_next_step_that_reads_like_the_sign_off_is_still_a_step(
    bundled: Catalog, tmp_path: Path
) -> None:
    """Found by the round-trip property: the table's end comes from its name, not a label."""
    steps = (NextStep(lay.SIGN_OFF[0]), NextStep("after it", status=Status.PLANNED))
    path = build_tracker(
        bundled.roles["psr-i"],
        tmp_path / "t.xlsx",
        employee=Entries(discussion=Discussion(next_steps=steps)),
    )
    assert read_tracker(path, catalog=bundled).discussion.next_steps == steps
    without_names = edit(path, lambda book: book.defined_names.clear())
    assert read_tracker(without_names, catalog=bundled).discussion.next_steps == steps


def test_a_next_steps_column_lost_with_the_names_is_an_error(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    steps = lay.layout_for(role).next_steps

    def rename_owner(book: Any) -> None:
        book.defined_names.clear()
        put(book[lay.DISCUSSION], steps.header_row, steps.col("owner"), "Who")

    tracker = read_tracker(edit(filled, rename_owner), catalog=bundled)
    assert (
        "error",
        lay.DISCUSSION,
        None,
        "the 'Owner' column of the next steps cannot be found; put its header back above its cells",
    ) in messages(tracker)


def test_an_id_cell_showing_an_error_is_an_error_there(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    table = lay.layout_for(role).courses
    lost = role.courses[2]
    cell = f"{table.letter('id')}{table.row(lost.id) + 1}"
    tracker = read_tracker(
        edit(filled, lambda book: put(book[lay.CHECKLIST], table.row(lost.id), 0, "#REF!")),
        catalog=bundled,
    )
    assert (
        "error",
        lay.CHECKLIST,
        cell,
        f"the course ID cell shows an error, so the row was not read; put the course's ID back "
        f"in {cell}",
    ) in messages(tracker)
    assert "None" not in tracker.courses


def test_a_renamed_sheet_is_named_in_the_error(filled: Path, bundled: Catalog) -> None:
    def rename(book: Any) -> None:
        book[lay.COVERAGE].title = "Skills"
        for name in book.defined_names.values():  # as Excel and Calc do on a rename
            name.attr_text = name.attr_text.replace(f"'{lay.COVERAGE}'!", "Skills!")

    tracker = read_tracker(edit(filled, rename), catalog=bundled)
    assert (
        "error",
        lay.COVERAGE,
        None,
        f"the sheet was renamed 'Skills'; rename it back to '{lay.COVERAGE}'",
    ) in messages(tracker)


def test_a_tracker_read_in_another_process_is_the_same(filled: Path, bundled: Catalog) -> None:
    """--jobs reads in worker processes: what they send back must be what was read."""
    import pickle

    tracker = read_tracker(filled, catalog=bundled)
    copy = pickle.loads(pickle.dumps(tracker))  # noqa: S301 - our own bytes
    assert copy == tracker
    assert dict(copy.competency_rows) == dict(tracker.competency_rows)
    bad = filled.parent / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    parallel = read_trackers([filled, filled.parent / "blank.xlsx", bad], catalog=bundled, jobs=2)
    assert [t.entries for t in parallel.trackers] == [
        tracker.entries,
        read_tracker(filled.parent / "blank.xlsx", catalog=bundled).entries,
    ]
    assert [str(f) for f in parallel.failures] == [
        f"{bad}: is not an Excel workbook; save it as .xlsx"
    ]


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_garbage_collector_as_it_was(
    filled: Path, bundled: Catalog, enabled: bool
) -> None:
    """A read holds the collector off while it runs, and gives it back as it found it."""
    bad = filled.parent / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        read_tracker(filled, catalog=bundled)
        assert gc.isenabled() is enabled
        with pytest.raises(WorkbookError):
            read_tracker(bad, catalog=bundled)
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_a_role_equal_to_the_catalogs_but_another_object_reads_the_same(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    """What reading remembers of a role is kept by the role object; an equal copy agrees."""
    copy = replace(bundled, roles=MappingProxyType({**bundled.roles, role.id: replace(role)}))
    assert copy.roles[role.id] is not role
    assert read_tracker(filled, catalog=copy) == read_tracker(filled, catalog=bundled)
