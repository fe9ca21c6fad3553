"""The team roll-up: many filled trackers summed up for a manager or the learning team.

:func:`team_report` is pure: it turns what reading gave into a
:class:`TeamReport`, with every figure from the trackers' Python twins (never
from a file's cached results). A file that could not be read, or a tracker
of a role the catalog lacks, is listed among the problems and the rest is
reported. :func:`report_bytes` renders the report as a formula-driven
workbook (laid out by :mod:`trackerkit.report_layout`), as CSV or as JSON;
:func:`write_report` writes it atomically. :func:`report_trackers` does it all
in one pass over a folder, rolling each tracker up where it is read.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from trackerkit import atomic
from trackerkit.entries import Status
from trackerkit.errors import Severity
from trackerkit.export import READINESS_COLUMNS, csv_safe, readiness_values
from trackerkit.problem_codes import Code
from trackerkit.report_data import (
    CourseCounts,
    Heatmap,
    HeatmapCompetency,
    OverdueCourse,
    Person,
    PersonCourse,
    ReportProblem,
    TeamReport,
    plain,
)
from trackerkit.report_workbook import ReportWorkbook, report_xlsx
from trackerkit.untrusted import WorkbookError

if TYPE_CHECKING:
    import datetime as dt
    import os
    from collections.abc import Iterable, Mapping
    from typing import TextIO

    from trackerkit.model import Catalog, Role
    from trackerkit.reader import FilledTracker, ReadReport

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "CourseCounts",
    "Heatmap",
    "HeatmapCompetency",
    "OverdueCourse",
    "Person",
    "PersonCourse",
    "ReportFormat",
    "ReportProblem",
    "Rolled",
    "TeamReport",
    "overdue_of",
    "report_bytes",
    "report_csv",
    "report_trackers",
    "roll_up",
    "team_report",
    "write_report",
]

ReportFormat = Literal["xlsx", "csv", "json"]
FORMATS: tuple[ReportFormat, ...] = ("xlsx", "csv", "json")


# --- building it ---------------------------------------------------------------------------


def team_report(report: ReadReport, catalog: Catalog, *, as_of: dt.date) -> TeamReport:
    """Roll up what reading gave, as of ``as_of``; roles come from ``catalog``.

    Pure: the same report, catalog and day always give the same result.
    """
    team = _Team(catalog, as_of)
    results: tuple[FilledTracker | WorkbookError, ...] = (*report.failures, *report.trackers)
    for result in results:
        team.add(roll_up(result, catalog, as_of))
    return team.report()


def report_trackers(
    paths: Iterable[str | os.PathLike[str]],
    out: str | os.PathLike[str],
    catalog: Catalog,
    *,
    as_of: dt.date,
    fmt: ReportFormat = "xlsx",
    jobs: int = 1,
    progress: TextIO | None = None,
) -> TeamReport:
    """Read every tracker of ``paths`` and write their team report to ``out`` atomically.

    The report is the one :func:`team_report` makes of :func:`read_trackers`, made
    in one pass: each tracker is rolled up in the process that reads it (``jobs``
    of them), and the workbook's rows are written as the results come in, so
    writing a large report overlaps reading it.
    """
    from trackerkit.parallel import in_order
    from trackerkit.reader import tracker_files

    _check_format(fmt)
    team = _Team(catalog, as_of)
    stream = io.BytesIO()
    work = partial(_read_and_roll, catalog=catalog, as_of=as_of)
    with ReportWorkbook(stream) if fmt == "xlsx" else nullcontext() as book:
        for rolled in in_order(work, tracker_files(paths), jobs, progress):
            added = team.add(rolled)
            if added is not None and book is not None:
                book.add(*added)
        result = team.report()
        if book is not None:
            book.finish(result)
    data = stream.getvalue() if book is not None else report_bytes(result, fmt=fmt)
    atomic.write_bytes(Path(out), data)
    return result


@dataclass(frozen=True)
class Rolled:
    """One file's part of a team report, worked out in the process that read the file."""

    file: str
    person: Person | None
    """None when the file is left out; numbered 0 until :class:`_Team` numbers it."""
    gaps: Mapping[str, int]
    """The person's gap per competency of their role."""
    problems: tuple[ReportProblem, ...]


def roll_up(result: FilledTracker | WorkbookError, catalog: Catalog, as_of: dt.date) -> Rolled:
    """A tracker's row of the report, or why its file is left out, as of ``as_of``."""
    if isinstance(result, WorkbookError):
        failure = ReportProblem(
            result.file, None, None, Severity.ERROR, result.reason, Code.WORKBOOK_UNREADABLE
        )
        return Rolled(result.file, None, {}, (failure,))
    found = tuple(ReportProblem.of(result.file, problem) for problem in result.problems)
    role = catalog.roles.get(result.role.id)
    if role is None:
        return Rolled(result.file, None, {}, (_unknown_role(result), *found))
    person, gaps = _person(0, result, role, as_of)
    return Rolled(result.file, person, gaps, found)


def _read_and_roll(file: Path, catalog: Catalog, as_of: dt.date) -> Rolled:
    """One file read and rolled up; a top-level function, so a process pool can run it."""
    from trackerkit.reader import read_or_failure

    return roll_up(read_or_failure(file, catalog), catalog, as_of)


class _Team:
    """A team report being summed up file by file, in the files' order."""

    def __init__(self, catalog: Catalog, as_of: dt.date) -> None:
        self.catalog = catalog
        self.as_of = as_of
        self.people: list[Person] = []
        self.overdue: list[OverdueCourse] = []
        self.gaps: list[Mapping[str, int]] = []
        self.problems: list[ReportProblem] = []
        self.skipped: list[str] = []

    def add(self, rolled: Rolled) -> tuple[Person, tuple[OverdueCourse, ...]] | None:
        """Count the file in; its person, numbered, and their overdue courses, unless the
        file is left out."""
        self.problems += rolled.problems
        if rolled.person is None:
            self.skipped.append(rolled.file)
            return None
        person = dataclasses.replace(rolled.person, number=len(self.people) + 1)
        overdue = overdue_of(person, self.as_of)
        self.people.append(person)
        self.overdue += overdue
        self.gaps.append(rolled.gaps)
        return person, overdue

    def report(self) -> TeamReport:
        roles = [self.catalog.roles[person.role_id] for person in self.people]
        competencies = _competencies(roles, self.catalog)
        return TeamReport(
            as_of=self.as_of,
            people=tuple(self.people),
            courses=_course_counts(self.people, roles, self.catalog),
            heatmap=Heatmap(
                competencies,
                tuple(tuple(row.get(c.id) for c in competencies) for row in self.gaps),
            ),
            overdue=tuple(self.overdue),
            problems=tuple(sorted(self.problems, key=lambda problem: problem.file)),
            skipped=tuple(sorted(self.skipped)),
        )


def _unknown_role(tracker: FilledTracker) -> ReportProblem:
    return ReportProblem(
        tracker.file,
        None,
        None,
        Severity.ERROR,
        f"left out of the report: the roles have no role {tracker.role.id!r}; "
        "report with the roles folder the tracker was made from",
        Code.REPORT_UNKNOWN_ROLE,
    )


def _person(
    number: int, tracker: FilledTracker, role: Role, as_of: dt.date
) -> tuple[Person, dict[str, int]]:
    """The person's row, and their gap per competency of their role."""
    figures = tracker.figures(role, as_of)
    dashboard = figures.dashboard
    employee = tracker.employee
    courses = []
    for item in role.courses:
        entry = tracker.entries.course(item.id)
        courses.append(
            PersonCourse(
                course_id=item.id,
                title=item.course.title,
                requirement=item.requirement,
                status=entry.status,
                target_date=entry.target_date,
                completed_on=entry.completed_on,
                overdue=figures.overdue[item.id],
            )
        )
    person = Person(
        number=number,
        file=tracker.file,
        name=employee.name,
        employee_id=employee.employee_id,
        manager=employee.manager,
        role_id=role.id,
        role_title=role.title,
        target_role=employee.target_role,
        required_done=dashboard.required_done,
        required_total=dashboard.required_total,
        required_share=dashboard.required_share,
        overdue=dashboard.overdue,
        largest_gaps=tuple(name for name in dashboard.largest_gaps if name),
        courses=tuple(courses),
        readiness=tracker.readiness,
    )
    return person, {item.id: figures.competencies[item.id].gap for item in role.competencies}


def _in_catalog_order(ids: dict[str, str], order: Mapping[str, object]) -> list[tuple[str, str]]:
    """``ids`` (id to name) sorted as the catalog lists them; unknown ids last, as met."""
    index = {item: position for position, item in enumerate(order)}
    return sorted(ids.items(), key=lambda pair: index.get(pair[0], len(index)))


def _competencies(roles: list[Role], catalog: Catalog) -> tuple[HeatmapCompetency, ...]:
    names = {c.id: c.competency.name for role in roles for c in role.competencies}
    return tuple(HeatmapCompetency(i, n) for i, n in _in_catalog_order(names, catalog.competencies))


def _course_counts(
    people: list[Person], roles: list[Role], catalog: Catalog
) -> tuple[CourseCounts, ...]:
    titles = {c.id: c.course.title for role in roles for c in role.courses}
    statuses = Counter(
        (course.course_id, course.status) for person in people for course in person.courses
    )
    late = Counter(
        course.course_id for person in people for course in person.courses if course.overdue
    )
    return tuple(
        CourseCounts(
            course_id=course_id,
            title=title,
            **{status.name.lower(): statuses[(course_id, status)] for status in Status},
            overdue=late[course_id],
            unreadable=statuses[(course_id, None)],
        )
        for course_id, title in _in_catalog_order(titles, catalog.courses)
    )


def overdue_of(person: Person, as_of: dt.date) -> tuple[OverdueCourse, ...]:
    """The person's courses past their target date on ``as_of`` and not done, oldest first."""
    found = [
        OverdueCourse(
            person=person.number,
            name=person.name,
            employee_id=person.employee_id,
            role_title=person.role_title,
            course_id=course.course_id,
            title=course.title,
            target_date=course.target_date,
            days_late=(as_of - course.target_date).days,
            file=person.file,
        )
        for course in person.courses
        if course.overdue and course.target_date is not None
    ]
    return tuple(sorted(found, key=lambda item: item.target_date))


# --- rendering it --------------------------------------------------------------------------


def report_bytes(team: TeamReport, *, fmt: ReportFormat = "xlsx") -> bytes:
    """The report as a workbook, CSV (UTF-8, one row per person and course) or JSON."""
    kind: str = fmt  # checked at run time too: the CLI passes what was typed
    if kind == "xlsx":
        return report_xlsx(team)
    if kind == "csv":
        return report_csv(team).encode("utf-8")
    if kind == "json":
        return (json.dumps(team.to_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    _check_format(fmt)
    raise AssertionError(fmt)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        message = f"{fmt!r} is not a report format; use one of {', '.join(FORMATS)}"
        raise ValueError(message)


def write_report(
    team: TeamReport, path: str | os.PathLike[str], fmt: ReportFormat = "xlsx"
) -> Path:
    """Write the report to ``path`` atomically (the old file or the new one, never half)."""
    target = Path(path)
    atomic.write_bytes(target, report_bytes(team, fmt=fmt))
    return target


CSV_COLUMNS = (
    "file",
    "employee_id",
    "employee_name",
    "manager",
    "role_id",
    "role_title",
    "target_role",
    "course_id",
    "course_title",
    "requirement",
    "status",
    "target_date",
    "completed_on",
    "overdue",
    *READINESS_COLUMNS,
)
"""One row per person and course of their role; the readiness columns repeat the person's
readiness for their target role on each of their rows (empty without one)."""


def report_csv(team: TeamReport) -> str:
    """The report's people and courses as CSV; no value can run as a spreadsheet formula."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for person in team.people:
        common = {
            "file": person.file,
            "employee_id": person.employee_id,
            "employee_name": person.name,
            "manager": person.manager,
            "role_id": person.role_id,
            "role_title": person.role_title,
            "target_role": person.target_role,
            **readiness_values(None if person.readiness is None else person.readiness.to_dict()),
        }
        for course in person.courses:
            row = {
                **common,
                "course_id": course.course_id,
                "course_title": course.title,
                "requirement": course.requirement.label,
                "status": "" if course.status is None else course.status.value,
                "target_date": plain(course.target_date),
                "completed_on": plain(course.completed_on),
                "overdue": "yes" if course.overdue else "no",
            }
            writer.writerow({key: csv_safe(row[key]) for key in CSV_COLUMNS})
    return stream.getvalue()
