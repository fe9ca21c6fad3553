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
import datetime as dt
import io
import json
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Literal, final

from trackerkit import atomic
from trackerkit.build import KeptError
from trackerkit.entries import OWN_REQUIREMENT, Status
from trackerkit.errors import Severity
from trackerkit.export import READINESS_COLUMNS, csv_safe, readiness_values
from trackerkit.figures import NOT_RATED, is_overdue, readiness
from trackerkit.files import existing_kind, open_regular
from trackerkit.model import Requirement
from trackerkit.problem_codes import Code
from trackerkit.report_data import (
    Bottleneck,
    CourseCounts,
    ExpiringCertification,
    Group,
    Heatmap,
    HeatmapCompetency,
    OverdueCourse,
    Person,
    PersonCertification,
    PersonCourse,
    ReportProblem,
    TeamReport,
    expiring_of,
    plain,
    ready_count,
    whose,
)
from trackerkit.report_layout import REPORT_TITLE
from trackerkit.report_workbook import ReportWorkbook, report_xlsx
from trackerkit.untrusted import UntrustedWorkbook, WorkbookError

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Mapping
    from typing import TextIO

    from trackerkit.model import Catalog, Role
    from trackerkit.reader import FilledTracker, ReadReport

__all__ = [
    "CSV_COLUMNS",
    "FORMATS",
    "Bottleneck",
    "CourseCounts",
    "ExpiringCertification",
    "Group",
    "Heatmap",
    "HeatmapCompetency",
    "OverdueCourse",
    "Person",
    "PersonCertification",
    "PersonCourse",
    "ReportFormat",
    "ReportProblem",
    "Rolled",
    "TeamReport",
    "one_per_employee",
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
    force: bool = False,
) -> TeamReport:
    """Read every tracker of ``paths`` and write their team report to ``out`` atomically.

    A file at ``out`` that is no report trackerkit made (someone's tracker, say) is
    replaced only with ``force``; else :class:`~trackerkit.KeptError` is raised before
    anything is read.

    The report is the one :func:`team_report` makes of :func:`read_trackers`, made
    in one pass: each tracker is rolled up in the process that reads it (``jobs``
    of them), so only each file's row of the report travels back. The workbook's
    people are written as they come in, so writing overlaps reading; should a later
    file hold a second tracker of a person already written (who then counts once),
    the workbook is written again once every file is read.
    """
    from trackerkit.parallel import in_order
    from trackerkit.reader import tracker_files

    _check_format(fmt)
    _check_replaceable(Path(out), force=force)
    team = _Team(catalog, as_of)
    work = partial(_read_and_roll, catalog=catalog, as_of=as_of)
    with _Streamed(as_of) if fmt == "xlsx" else nullcontext() as streamed:
        for rolled in in_order(work, tracker_files(paths), jobs, progress):
            team.add(rolled)
            if streamed is not None:
                streamed.add(rolled)
        result = team.report()
        data = streamed.finish(result) if streamed is not None else None
    atomic.write_bytes(Path(out), report_bytes(result, fmt=fmt) if data is None else data)
    return result


@final
class _Streamed:
    """The report workbook written person by person as files are read, on the bet that each
    person counts as read: no later file holds a second tracker of someone already written.

    The bet is checked as files come (an employee ID met again ends the writing, unless the
    tracker written is the more recent, so the new one is left out) and once more at the end
    (the people written must be the report's); when it is lost,
    :meth:`finish` gives None and the workbook is written from the whole report instead.
    """

    def __init__(self, as_of: dt.date) -> None:
        self.as_of = as_of
        self.stream = io.BytesIO()
        self.book: ReportWorkbook | None = ReportWorkbook(self.stream)
        self.people: list[Person] = []
        self.written: dict[str, Rolled] = {}
        """Each employee ID written, and the file it was written from."""

    def __enter__(self) -> _Streamed:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._drop()

    def add(self, rolled: Rolled) -> None:
        if self.book is None or rolled.person is None:
            return
        key = _employee_key(rolled)
        if key in self.written:
            if _recency(rolled) > _recency(self.written[key]):
                self._drop()  # the person written does not count: this tracker does
            return
        if key:
            self.written[key] = rolled
        person = dataclasses.replace(
            rolled.person, number=len(self.people) + 1, problems=len(rolled.problems)
        )
        self.people.append(person)
        self.book.add(person, overdue_of(person, self.as_of))

    def finish(self, team: TeamReport) -> bytes | None:
        """The workbook's bytes, or None when the people written are not ``team``'s."""
        if self.book is None or tuple(self.people) != team.people:
            return None
        self.book.finish(team)
        self.book = None
        return self.stream.getvalue()

    def _drop(self) -> None:
        if self.book is not None:
            self.book.discard()
            self.book = None


@dataclass(frozen=True)
class Rolled:
    """One file's part of a team report, worked out in the process that read the file."""

    file: str
    person: Person | None
    """None when the file is left out; numbered 0 until :class:`_Team` numbers it."""
    gaps: Mapping[str, int | str]
    """The person's gap per competency of their role, or "Not rated"."""
    problems: tuple[ReportProblem, ...]
    generated_on: dt.date | None = None
    """The day the tracker was made, which decides between two trackers of one person."""


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
    if result.readiness is not None and result.as_of != as_of:  # renewals count from as_of
        target = catalog.roles.get(result.readiness.target)
        ready = readiness(role, target, result.entries, as_of) if target else None
        result = replace(result, readiness=ready, as_of=as_of)
    person, gaps = _person(0, result, role, as_of)
    return Rolled(result.file, person, gaps, found, result.generated_on)


def _read_and_roll(file: Path, catalog: Catalog, as_of: dt.date) -> Rolled:
    """One file read and rolled up; a top-level function, so a process pool can run it."""
    from trackerkit.reader import read_or_failure

    return roll_up(read_or_failure(file, catalog, as_of), catalog, as_of)


class _Team:
    """A team report being gathered file by file, in the files' order, then summed up."""

    def __init__(self, catalog: Catalog, as_of: dt.date) -> None:
        self.catalog = catalog
        self.as_of = as_of
        self.rolled: list[Rolled] = []

    def add(self, rolled: Rolled) -> None:
        self.rolled.append(rolled)

    def report(self) -> TeamReport:
        kept, older = one_per_employee(self.rolled)
        problems = [p for rolled in self.rolled for p in rolled.problems]
        problems += [_duplicate(item, newer) for item, newer in older]
        per_file = Counter(problem.file for problem in problems)
        people: list[Person] = []
        overdue: list[OverdueCourse] = []
        for rolled, read in kept:
            person = dataclasses.replace(
                read, number=len(people) + 1, problems=per_file[rolled.file]
            )
            people.append(person)
            overdue += overdue_of(person, self.as_of)
        roles = [self.catalog.roles[person.role_id] for person in people]
        competencies = _competencies(roles, self.catalog)
        skipped = [r.file for r in self.rolled if r.person is None] + [r.file for r, _ in older]
        return TeamReport(
            as_of=self.as_of,
            people=tuple(people),
            courses=_course_counts(people, roles, self.catalog),
            heatmap=Heatmap(
                competencies,
                tuple(tuple(rolled.gaps.get(c.id) for c in competencies) for rolled, _ in kept),
            ),
            overdue=tuple(overdue),
            problems=tuple(sorted(problems, key=lambda problem: problem.file)),
            skipped=tuple(sorted(skipped)),
            managers=_groups(people, "manager"),
            locations=_groups(people, "location"),
            bottlenecks=_bottlenecks(people, self.catalog),
            expiring_certifications=expiring_of(people, self.as_of),
        )


def _recency(rolled: Rolled) -> tuple[dt.date, str, str]:
    """What makes a tracker the more recent of two: its day made (none counts as oldest),
    then, on the same day, the later file name, then the later path."""
    made = rolled.generated_on or dt.date.min
    return made, Path(rolled.file).name, rolled.file


def one_per_employee(
    rolled: Iterable[Rolled],
) -> tuple[list[tuple[Rolled, Person]], list[tuple[Rolled, Rolled]]]:
    """The files whose person counts, with the person, in order; and each older file of an
    employee ID with the newer one that counts instead.

    Of the trackers with one employee ID, the more recently generated counts (see
    :func:`_recency`); a blank employee ID is never the same as another.
    """
    people = [(item, item.person) for item in rolled if item.person is not None]
    newest: dict[str, Rolled] = {}
    for item, person in people:
        key = person.employee_id.strip()
        if key and (key not in newest or _recency(item) > _recency(newest[key])):
            newest[key] = item
    kept: list[tuple[Rolled, Person]] = []
    older: list[tuple[Rolled, Rolled]] = []
    for item, person in people:
        newer = newest.get(person.employee_id.strip())
        if newer is None or newer is item:
            kept.append((item, person))
        else:
            older.append((item, newer))
    return kept, older


def _employee_key(rolled: Rolled) -> str:
    return "" if rolled.person is None else rolled.person.employee_id.strip()


def _duplicate(older: Rolled, newer: Rolled) -> ReportProblem:
    return ReportProblem(
        older.file,
        None,
        None,
        Severity.WARNING,
        f"left out of the report: {newer.file} has the same employee ID "
        f"{_employee_key(older)!r} and {_why_newer(older, newer)}, so the report counts that "
        "one; remove the older tracker, or correct the employee ID",
        Code.REPORT_DUPLICATE_EMPLOYEE,
    )


def _why_newer(older: Rolled, newer: Rolled) -> str:
    """Why :func:`_recency` chose ``newer``, in words."""
    if older.generated_on != newer.generated_on:
        return f"was generated later ({plain(newer.generated_on)})"
    when = (
        "neither says when it was generated"
        if newer.generated_on is None
        else "was generated the same day"
    )
    if Path(older.file).name != Path(newer.file).name:
        return f"{when}, and its file name sorts later"
    return f"{when}, and its folder sorts later"


def _groups(people: list[Person], key: str) -> tuple[Group, ...]:
    """The people per value of ``key`` (manager or location), by name, those with none last.

    Names are compared exactly, as the workbook's EXACT() compares them.
    """
    members: dict[str, list[Person]] = {}
    for person in people:
        members.setdefault(getattr(person, key), []).append(person)
    ordered = sorted(members.items(), key=lambda pair: (pair[0] == "", pair[0].casefold(), pair[0]))
    return tuple(
        Group(
            name,
            len(group),
            _average([p.required_share for p in group if p.required_share is not None]),
            sum(p.overdue for p in group),
            ready_count(group),
        )
        for name, group in ordered
    )


def _average(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _bottlenecks(people: list[Person], catalog: Catalog) -> tuple[Bottleneck, ...]:
    """Each course required of someone, most people not done first, ties in catalog order."""
    titles: dict[str, str] = {}
    required: Counter[str] = Counter()
    not_done: Counter[str] = Counter()
    for person in people:
        for course in person.courses:
            if course.requirement is Requirement.REQUIRED:
                titles[course.course_id] = course.title
                required[course.course_id] += 1
                not_done[course.course_id] += not course.done
    found = [
        Bottleneck(course_id, title, required[course_id], not_done[course_id])
        for course_id, title in _in_catalog_order(titles, catalog.courses)
    ]
    return tuple(sorted(found, key=lambda item: -item.not_done))


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
) -> tuple[Person, dict[str, int | str]]:
    """The person's row, and their gap per competency of their role ("Not rated" when unrated)."""
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
                renewal_due=figures.renewal_due[item.id],
            )
        )
    person = Person(
        number=number,
        file=tracker.file,
        name=employee.name,
        employee_id=employee.employee_id,
        manager=employee.manager,
        location=employee.location,
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
        certifications=tuple(
            PersonCertification(
                certification_id=item.id,
                name=item.name,
                requirement=item.requirement,
                obtained_on=tracker.entries.certification(item.id).obtained_on,
                expires_on=tracker.entries.certification(item.id).expires_on,
                expiry=figures.expiry[item.id],
            )
            for item in role.certifications
        ),
        own_courses=tracker.entries.own_courses,
    )
    gaps = {item.id: figures.competencies[item.id].gap for item in role.competencies}
    return person, {key: NOT_RATED if gap is None else gap for key, gap in gaps.items()}


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
            **whose(person),
            course_id=course.course_id,
            title=course.title,
            target_date=course.target_date,
            days_late=(as_of - course.target_date).days,
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
    team: TeamReport,
    path: str | os.PathLike[str],
    fmt: ReportFormat = "xlsx",
    *,
    force: bool = False,
) -> Path:
    """Write the report to ``path`` atomically (the old file or the new one, never half).

    As :func:`report_trackers`, a file there that is no report is replaced only with ``force``.
    """
    target = Path(path)
    _check_replaceable(target, force=force)
    atomic.write_bytes(target, report_bytes(team, fmt=fmt))
    return target


_JSON_START = b'{\n  "as_of": '


def _check_replaceable(out: Path, *, force: bool) -> None:
    """Raise :class:`KeptError` when ``out`` is a file that is no report this command made."""
    if force or existing_kind(out) is not None or not out.is_file():
        return  # nothing there, or a device, pipe or folder: writing says what happens
    if not _is_report(out):
        raise KeptError(out, "it is not a team report trackerkit made")


def _is_report(path: Path) -> bool:
    """Whether the file at ``path`` is a report trackerkit wrote, in any of its formats."""
    try:
        with open_regular(path) as stream:
            head = stream.read(len(_JSON_START) + len(CSV_COLUMNS) * 20)
        if head.startswith(_JSON_START):
            return True
        if head.startswith((",".join(CSV_COLUMNS) + "\r\n").encode("utf-8")):
            return True
        with UntrustedWorkbook(path) as book:
            core = book.read("docProps/core.xml") if book.has("docProps/core.xml") else b""
    except (OSError, WorkbookError):
        return False
    return f"<dc:title>{REPORT_TITLE}</dc:title>".encode() in core


CSV_COLUMNS = (
    "file",
    "employee_id",
    "employee_name",
    "manager",
    "location",
    "role_id",
    "role_title",
    "target_role",
    "file_problems",
    "course_id",
    "course_title",
    "requirement",
    "status",
    "target_date",
    "completed_on",
    "overdue",
    "renewal_due",
    *READINESS_COLUMNS,
)
"""One row per person and course of their role, then one per course of their own (requirement
``Your own``, its ``course_id`` the ID they typed). ``file_problems`` is how many problems (errors
and warnings) the report lists for the person's file; the readiness columns repeat the person's
readiness for their target role on each of their rows (empty without one). The per-manager,
per-location and bottleneck summaries, and the certifications, are in the JSON and the
workbook, not here: they are not per course."""


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
            "location": person.location,
            "role_id": person.role_id,
            "role_title": person.role_title,
            "target_role": person.target_role,
            "file_problems": person.problems,
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
                "renewal_due": "yes" if course.renewal_due else "no",
            }
            writer.writerow({key: csv_safe(row[key]) for key in CSV_COLUMNS})
        for own in person.own_courses:
            late = is_overdue(own.status, own.target_date, team.as_of)
            row = {
                **common,
                "course_id": own.id,
                "course_title": own.title,
                "requirement": OWN_REQUIREMENT,
                "status": "" if own.status is None else own.status.value,
                "target_date": plain(own.target_date),
                "completed_on": plain(own.completed_on),
                "overdue": "yes" if late else "no",
                "renewal_due": "no",  # an own course names no renewal period
            }
            writer.writerow({key: csv_safe(row[key]) for key in CSV_COLUMNS})
    return stream.getvalue()
