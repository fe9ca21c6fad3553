"""What a sheet looks like filled in: no short figure reads as one with the text beside it.

A number is flush right in its cell and a text flush left in the next, so "3" beside "Yes"
reads "3 Yes" and -442 beside a file name reads "-442returned/…". Each test fills every
kind of row its workbook has (courses due, renewals lapsed, certifications expiring, own
courses, a course only the target requires) and looks at every visible sheet.
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import MappingProxyType
from typing import TYPE_CHECKING

import openpyxl

from trackerkit import (
    CertificationEntry,
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    OwnCourse,
    Status,
    TrackerOptions,
    build_tracker,
    read_trackers,
    team_report,
    write_report,
)
from trackerkit import layout as lay

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.cell import Cell, MergedCell

    from trackerkit import Catalog

AS_OF = dt.date(2026, 6, 1)


def reads_as_one(left: Cell | MergedCell, right: Cell | MergedCell) -> bool:
    """A number flush right against a text flush left in the next cell."""
    number = isinstance(left.value, int | float) and not isinstance(left.value, bool)
    text = isinstance(right.value, str) and right.value != ""
    left_flush = left.alignment.horizontal in (None, "general", "right")
    right_flush = right.alignment.horizontal in (None, "general", "left")
    return number and text and left_flush and right_flush


def touching(path: Path) -> list[str]:
    """Every pair of cells on a visible sheet of ``path`` that reads as one."""
    book = openpyxl.load_workbook(path, data_only=True)
    return [
        f"'{sheet.title}'!{left.coordinate}:{right.coordinate} ({left.value!r} {right.value!r})"
        for sheet in book.worksheets
        if sheet.sheet_state == "visible"
        for row in sheet.iter_rows()
        for left, right in itertools.pairwise(row)
        if reads_as_one(left, right)
    ]


def busy_entries(bundled: Catalog, name: str, employee_id: str) -> Entries:
    """A PSR II aiming at Site Lead with one of every kind of row filled in."""
    role, target = bundled.roles["psr-ii"], bundled.roles["psr-ii-site-lead"]
    first, second, third, *_ = (item.id for item in role.courses)
    courses = {
        first: CourseEntry(Status.COMPLETED, completed_on=AS_OF - dt.timedelta(days=400)),
        second: CourseEntry(Status.PLANNED, target_date=AS_OF - dt.timedelta(days=20)),
        third: CourseEntry(Status.COMPLETED, completed_on=AS_OF - dt.timedelta(days=30)),
        **{item: CourseEntry(Status.IN_PROGRESS) for item in lay.extra_courses(role, (target,))},
    }
    ratings = {item.id: CompetencyEntry(3, 2, "seen") for item in role.competencies[:4]}
    return Entries(
        employee=Employee(
            name=name,
            employee_id=employee_id,
            manager="Lee Park",
            location="Reno",
            current_role=role.title,
            target_role=target.title,
        ),
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(ratings),
        certifications=MappingProxyType(
            {
                item.id: CertificationEntry(
                    AS_OF - dt.timedelta(days=700), AS_OF + dt.timedelta(10)
                )
                for item in role.certifications
            }
        ),
        own_courses=(
            OwnCourse("Medical Spanish", "span-1", "College", 12, Status.COMPLETED, None, AS_OF),
            OwnCourse("Excel basics", hours=3, status=Status.PLANNED, target_date=AS_OF),
        ),
    )


def test_no_number_runs_into_the_next_cell_on_any_tracker_sheet(
    bundled: Catalog, tmp_path: Path
) -> None:
    role = bundled.roles["psr-ii"]
    path = build_tracker(
        role,
        tmp_path / "t.xlsx",
        employee=busy_entries(bundled, "Ana Díaz", "E1"),
        options=TrackerOptions(as_of=AS_OF),
        next_roles=bundled.next_roles(role),
    )
    assert touching(path) == []


def test_no_number_runs_into_the_next_cell_on_any_report_sheet(
    bundled: Catalog, tmp_path: Path
) -> None:
    role = bundled.roles["psr-ii"]
    files = [
        build_tracker(
            role,
            tmp_path / f"{employee_id}.xlsx",
            employee=busy_entries(bundled, name, employee_id),
            options=TrackerOptions(as_of=AS_OF, generated_on=AS_OF),
            next_roles=bundled.next_roles(role),
        )
        for name, employee_id in (("Ana Díaz", "E1"), ("Bo Li", "E2"))
    ]
    team = team_report(read_trackers(files, catalog=bundled, as_of=AS_OF), bundled, as_of=AS_OF)
    assert team.expiring_certifications  # the sheets whose rows end in a number are filled
    assert any(person.own_courses for person in team.people)
    assert touching(write_report(team, tmp_path / "team.xlsx")) == []
