"""Consistency warnings on read: a course's status and dates that cannot all be true.

Each is a warning at the cell to look at, with its code; the entries still read as typed.
"""

from __future__ import annotations

import datetime as dt
import functools
import tempfile
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from expected_codes import check_workbook
from fills import fill, open_book, put
from strategies import days
from trackerkit import (
    CourseEntry,
    Employee,
    Entries,
    Severity,
    Status,
    build_tracker,
    load_catalog,
    read_tracker,
)
from trackerkit.cli import main
from trackerkit.layout import layout_for
from trackerkit.problem_codes import Code
from trackerkit.refs import column_letters
from trackerkit.writer import tracker_bytes

if TYPE_CHECKING:
    import pytest

    from trackerkit import FilledTracker, Role

CATALOG = load_catalog()
ROLE = CATALOG.roles["psr-ii"]
AS_OF = dt.date(2026, 3, 15)
START = dt.date(2025, 6, 1)


def _cell(role: Role, course_id: str, key: str) -> str:
    """The A1 address of a course's input, from the layout the tracker was written with."""
    table = layout_for(role).courses
    return f"{column_letters(table.col(key) + 1)}{table.row(course_id) + 1}"


def _read(entries: Entries, folder: Path, as_of: dt.date = AS_OF) -> FilledTracker:
    path = build_tracker(ROLE, folder / "t.xlsx", employee=entries)
    tracker = read_tracker(path, catalog=CATALOG, as_of=as_of)
    check_workbook(tracker.problems)
    return tracker


def _found(tracker: FilledTracker) -> list[tuple[str | None, str | None, Code, str | None]]:
    return [(p.sheet, p.cell, p.code, p.item) for p in tracker.problems]


FIRST, SECOND, THIRD, FOURTH, FIFTH = (c.id for c in ROLE.courses[:5])


def _each_kind() -> Entries:
    """One course of each inconsistency, and one that is consistent."""
    return Entries(
        Employee(start_date=START),
        courses=MappingProxyType(
            {
                FIRST: CourseEntry(Status.IN_PROGRESS, None, dt.date(2026, 2, 3)),
                SECOND: CourseEntry(Status.COMPLETED),
                THIRD: CourseEntry(Status.COMPLETED, None, dt.date(2026, 5, 1)),
                FOURTH: CourseEntry(Status.PLANNED, dt.date(2025, 1, 10)),
                FIFTH: CourseEntry(Status.COMPLETED, dt.date(2025, 7, 1), dt.date(2025, 8, 1)),
            }
        ),
    )


def test_each_inconsistency_is_a_warning_at_its_cell_with_its_code(tmp_path: Path) -> None:
    tracker = _read(_each_kind(), tmp_path)
    sheet = "Course Checklist"
    assert _found(tracker) == [
        (sheet, _cell(ROLE, FIRST, "completed_on"), Code.COURSE_DATE_NOT_COMPLETED, FIRST),
        (sheet, _cell(ROLE, SECOND, "completed_on"), Code.COURSE_COMPLETED_NO_DATE, SECOND),
        (sheet, _cell(ROLE, THIRD, "completed_on"), Code.COURSE_COMPLETED_IN_FUTURE, THIRD),
        (sheet, _cell(ROLE, FOURTH, "target_date"), Code.COURSE_TARGET_BEFORE_START, FOURTH),
    ]
    assert all(p.severity is Severity.WARNING for p in tracker.problems)
    assert [p.field for p in tracker.problems] == [
        "courses.completed_on",
        "courses.completed_on",
        "courses.completed_on",
        "courses.target_date",
    ]
    assert tracker.courses[FIRST] == _each_kind().courses[FIRST]  # read as typed all the same


def test_the_messages_say_what_disagrees_and_what_to_do(tmp_path: Path) -> None:
    messages = [p.message for p in _read(_each_kind(), tmp_path).problems]
    assert messages == [
        "Completed on is 2026-02-03 but the status is In progress; set the status to "
        "Completed, or clear the date",
        "the status is Completed but Completed on is empty; enter the day the course was completed",
        "Completed on is 2026-05-01, after 2026-03-15 (the day the tracker was read as of); "
        "enter the day the course was completed",
        "the target date 2025-01-10 is before the start date in role (2025-06-01); correct "
        "the target date, or the start date on Start Here",
    ]


def test_a_completion_date_is_in_the_future_only_after_the_day_read_as_of(tmp_path: Path) -> None:
    entries = Entries(courses=MappingProxyType({FIRST: CourseEntry(Status.COMPLETED, None, AS_OF)}))
    assert _read(entries, tmp_path, AS_OF).problems == ()
    (late,) = _read(entries, tmp_path, AS_OF - dt.timedelta(days=1)).problems
    assert late.code is Code.COURSE_COMPLETED_IN_FUTURE


def test_a_waived_course_with_a_date_warns_and_a_target_on_the_start_day_does_not(
    tmp_path: Path,
) -> None:
    entries = Entries(
        Employee(start_date=START),
        courses=MappingProxyType(
            {
                FIRST: CourseEntry(Status.WAIVED, None, dt.date(2025, 9, 1)),
                SECOND: CourseEntry(Status.PLANNED, START),
            }
        ),
    )
    assert [p.code for p in _read(entries, tmp_path).problems] == [Code.COURSE_DATE_NOT_COMPLETED]


def test_without_a_start_date_no_target_date_is_too_early(tmp_path: Path) -> None:
    entries = Entries(
        courses=MappingProxyType({FIRST: CourseEntry(Status.PLANNED, dt.date(1999, 1, 1))})
    )
    assert _read(entries, tmp_path).problems == ()


def test_a_status_that_cannot_be_read_has_its_own_problem_only(tmp_path: Path) -> None:
    """ "Done" over a status, beside a completion date: one error for the status, no guess
    about what the status was meant to be."""
    entries = Entries(
        courses=MappingProxyType({FIRST: CourseEntry(Status.PLANNED, None, dt.date(2026, 1, 5))})
    )
    path = build_tracker(ROLE, tmp_path / "t.xlsx", employee=entries)
    table = layout_for(ROLE).courses
    book = open_book(path)
    put(book[table.sheet], table.row(FIRST), table.col("status"), "Done")
    book.save(path)
    tracker = read_tracker(path, catalog=CATALOG, as_of=AS_OF)
    assert [(p.code, p.cell) for p in tracker.problems] == [
        (Code.STATUS_UNKNOWN, _cell(ROLE, FIRST, "status"))
    ]


def test_a_course_only_the_next_role_requires_is_checked_on_the_next_role_sheet(
    tmp_path: Path,
) -> None:
    from trackerkit.layout import extra_courses

    role, offered = CATALOG.roles["psr-iii"], CATALOG.next_roles(CATALOG.roles["psr-iii"])
    extra = extra_courses(role, offered)[0]
    entries = Entries(courses=MappingProxyType({extra: CourseEntry(Status.COMPLETED)}))
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries, next_roles=offered)
    (problem,) = read_tracker(path, catalog=CATALOG, as_of=AS_OF).problems
    table = layout_for(role, next_roles=offered).extra_courses
    assert table is not None
    where = f"{column_letters(table.col('completed_on') + 1)}{table.row(extra) + 1}"
    assert (problem.sheet, problem.cell, problem.code) == (
        "Next Role",
        where,
        Code.COURSE_COMPLETED_NO_DATE,
    )


# --- as a property: any status and dates, typed by another application -----------------------


def _expected(entry: CourseEntry, start: dt.date | None) -> set[Code]:
    """The rule, spelled out case by case from the brief, apart from the reader's code."""
    codes = set()
    if entry.completed_on and entry.status is not Status.COMPLETED:
        codes.add(Code.COURSE_DATE_NOT_COMPLETED)
    if entry.status is Status.COMPLETED and not entry.completed_on:
        codes.add(Code.COURSE_COMPLETED_NO_DATE)
    if entry.completed_on and (entry.completed_on - AS_OF).days > 0:
        codes.add(Code.COURSE_COMPLETED_IN_FUTURE)
    if entry.target_date and start and (start - entry.target_date).days > 0:
        codes.add(Code.COURSE_TARGET_BEFORE_START)
    return codes


near = st.dates(AS_OF - dt.timedelta(days=800), AS_OF + dt.timedelta(days=400))
course_rows = st.builds(
    CourseEntry,
    status=st.sampled_from(list(Status)),
    target_date=st.none() | near,
    completed_on=st.none() | near | days,
)


@settings(max_examples=max(60, settings().max_examples // 3))
@given(
    st.lists(course_rows, min_size=1, max_size=len(ROLE.courses)),
    st.none() | near,
)
def test_any_status_and_dates_warn_exactly_as_the_rule_says(
    rows: list[CourseEntry], start: dt.date | None
) -> None:
    entries = Entries(
        Employee(start_date=start),
        courses=MappingProxyType(dict(zip((c.id for c in ROLE.courses), rows, strict=False))),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = fill(_blank(), ROLE, entries, Path(folder) / "filled.xlsx")
        tracker = read_tracker(path, catalog=CATALOG, as_of=AS_OF)
    check_workbook(tracker.problems)
    for course_id, entry in entries.courses.items():
        found = {p.code for p in tracker.problems if p.item == course_id}
        assert found == _expected(entry, start), (course_id, entry)
        assert tracker.courses[course_id] == entry
    assert {p.item for p in tracker.problems} <= set(entries.courses)


@functools.cache
def _blank() -> bytes:
    """The role's blank tracker, built once for every example."""
    return tracker_bytes(ROLE)


def test_read_as_of_on_the_command_line_decides_what_is_in_the_future(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = Entries(courses=MappingProxyType({FIRST: CourseEntry(Status.COMPLETED, None, AS_OF)}))
    path = build_tracker(ROLE, tmp_path / "t.xlsx", employee=entries)
    where = _cell(ROLE, FIRST, "completed_on")
    assert main(["read", str(path), "--as-of", AS_OF.isoformat()]) == 0
    assert capsys.readouterr().err == "1 tracker read: 0 errors, 0 warnings\n"
    assert main(["read", str(path), "--as-of", "2026-03-14"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == (
        f"{path}: 'Course Checklist'!{where}: warning: Completed on is 2026-03-15, after "
        "2026-03-14 (the day the tracker was read as of); enter the day the course was completed"
    )
