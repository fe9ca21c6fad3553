"""What a person enters in a tracker: the inputs, as typed, immutable data.

The writer takes these to prefill a tracker; reading a filled tracker gives
them back. Derived figures are never stored here: they are computed from
these inputs by :mod:`trackerkit.figures`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING

from trackerkit.model import Requirement
from trackerkit.problem_codes import Code

if TYPE_CHECKING:
    from collections.abc import Mapping

    from trackerkit.model import Role


class Status(str, Enum):
    """A course's status, spelled as the dropdown shows it."""

    NOT_STARTED = "Not started"
    PLANNED = "Planned"
    IN_PROGRESS = "In progress"
    COMPLETED = "Completed"
    WAIVED = "Waived"


DONE = frozenset({Status.COMPLETED, Status.WAIVED})
"""Statuses that count a course as done for the role's requirements."""
DONE_STATUSES = tuple(status.value for status in Status if status in DONE)
"""The same, as the cells spell them, in the dropdown's order: for the formulas."""
BLANK_STATUS = Status.NOT_STARTED
"""A course's status when nobody chose one: a row at this status and nothing else is blank."""


@dataclass(frozen=True)
class Employee:
    name: str = ""
    employee_id: str = ""
    manager: str = ""
    location: str = ""
    current_role: str = ""
    target_role: str = ""
    start_date: dt.date | None = None


@dataclass(frozen=True)
class CourseEntry:
    status: Status | None = BLANK_STATUS
    """None when the tracker's cell held something that is no status (the problem keeps it)."""
    target_date: dt.date | None = None
    completed_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class OwnCourse:
    """A course the person adds in a "Your own courses" row: theirs to name and describe,
    counted in hours and in all-courses progress, never in required progress or readiness.
    A row reads as one only when it has a title (a row with entries but no title is a
    warning, so a half-filled row is never counted)."""

    title: str = ""
    id: str = ""
    provider: str = ""
    hours: float | None = None
    status: Status | None = BLANK_STATUS
    """None when the tracker's cell held something that is no status (the problem keeps it)."""
    target_date: dt.date | None = None
    completed_on: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True)
class CompetencyEntry:
    self_rating: int | None = None
    manager_rating: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class CertificationEntry:
    """A certification of the role as the person holds it: when obtained, when it expires."""

    obtained_on: dt.date | None = None
    expires_on: dt.date | None = None


@dataclass(frozen=True)
class NextStep:
    """One agreed next step; a row with nothing in it is no step."""

    action: str = ""
    owner: str = ""
    due: dt.date | None = None
    status: Status | None = None

    @property
    def is_blank(self) -> bool:
        return not (self.action or self.owner or self.due or self.status)


@dataclass(frozen=True)
class Discussion:
    """The manager discussion sheet's notes and its agreed next steps, in sheet order."""

    goals_1y: str = ""
    goals_3y: str = ""
    strengths: str = ""
    development: str = ""
    support: str = ""
    next_steps: tuple[NextStep, ...] = ()
    meeting_date: dt.date | None = None
    """The day of the conversation with the manager."""


def _empty() -> Mapping[str, object]:
    return MappingProxyType({})


@dataclass(frozen=True)
class Archive:
    """Entries of courses, competencies and certifications a newer role version no longer has:
    kept, not lost."""

    courses: Mapping[str, CourseEntry] = field(default_factory=_empty)  # type: ignore[arg-type]
    competencies: Mapping[str, CompetencyEntry] = field(default_factory=_empty)  # type: ignore[arg-type]
    certifications: Mapping[str, CertificationEntry] = field(default_factory=_empty)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return bool(self.courses or self.competencies or self.certifications)

    @property
    def ids(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """The ids of its courses, competencies and certifications: the archive sheet's rows."""
        return tuple(self.courses), tuple(self.competencies), tuple(self.certifications)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        parts = (self.courses, self.competencies, self.certifications)
        return _archive, tuple(dict(part) for part in parts)


def _archive(
    courses: dict[str, CourseEntry],
    competencies: dict[str, CompetencyEntry],
    certifications: dict[str, CertificationEntry],
) -> Archive:
    return Archive(
        MappingProxyType(courses),
        MappingProxyType(competencies),
        MappingProxyType(certifications),
    )


@dataclass(frozen=True)
class Entries:
    """Everything entered in one tracker; absent ids mean untouched rows."""

    employee: Employee = field(default_factory=Employee)
    discussion: Discussion = field(default_factory=Discussion)
    courses: Mapping[str, CourseEntry] = field(default_factory=_empty)  # type: ignore[arg-type]
    competencies: Mapping[str, CompetencyEntry] = field(default_factory=_empty)  # type: ignore[arg-type]
    archive: Archive = field(default_factory=Archive)
    certifications: Mapping[str, CertificationEntry] = field(default_factory=_empty)  # type: ignore[arg-type]
    """The dates of the role's certifications, by certification id."""
    own_courses: tuple[OwnCourse, ...] = ()
    """The "Your own courses" rows that have a title, in sheet order."""

    def course(self, course_id: str) -> CourseEntry:
        return self.courses.get(course_id, _BLANK_COURSE)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Mapping proxies do not pickle: travel as dicts (to and from worker processes).
        parts = (self.employee, self.discussion, dict(self.courses), dict(self.competencies))
        return _entries, (parts, self.archive, dict(self.certifications), self.own_courses)

    def competency(self, competency_id: str) -> CompetencyEntry:
        return self.competencies.get(competency_id, _BLANK_COMPETENCY)

    def certification(self, certification_id: str) -> CertificationEntry:
        return self.certifications.get(certification_id, _BLANK_CERTIFICATION)


def _entries(
    parts: tuple[Employee, Discussion, dict[str, CourseEntry], dict[str, CompetencyEntry]],
    archive: Archive,
    certifications: dict[str, CertificationEntry],
    own_courses: tuple[OwnCourse, ...],
) -> Entries:
    employee, discussion, courses, competencies = parts
    return Entries(
        employee,
        discussion,
        MappingProxyType(courses),
        MappingProxyType(competencies),
        archive,
        MappingProxyType(certifications),
        own_courses,
    )


_BLANK_COURSE = CourseEntry()
_BLANK_COMPETENCY = CompetencyEntry()
_BLANK_CERTIFICATION = CertificationEntry()


def entry_problems(role: Role, entries: Entries, targets: tuple[Role, ...] = ()) -> list[str]:
    """Everything in ``entries`` that does not fit ``role``'s tracker, one sentence each.

    A tracker that offers next roles (``targets``) also holds the courses they require and
    the competencies they ask, so entries for those fit too.

    Entries often come from other systems (an LMS export) through untyped code,
    so the values are checked here rather than trusted to their annotations.
    """
    problems = []
    courses = {item.id for item in role.courses}
    competencies = {item.id for item in role.competencies}
    for target in targets:
        courses |= {item.id for item in target.courses if item.requirement is Requirement.REQUIRED}
        competencies |= {item.id for item in target.competencies}
    problems += [
        f"course {course_id!r} is not one of the role's courses"
        for course_id in entries.courses
        if course_id not in courses
    ]
    problems += [
        f"competency {competency_id!r} is not one of the role's competencies"
        for competency_id in entries.competencies
        if competency_id not in competencies
    ]
    for course_id, entry in entries.courses.items():
        problems += _status_and_dates(f"course {course_id!r}", entry)
    for competency_id, rating in entries.competencies.items():
        for label, level in (
            ("self rating", rating.self_rating),
            ("manager rating", rating.manager_rating),
        ):
            if level is not None and not _is_level(level):
                problems.append(
                    f"competency {competency_id!r}: {label} {level!r} is not a whole number "
                    "from 1 to 5"
                )
    certifications = {item.id for item in role.certifications}
    for certification_id, held in entries.certifications.items():
        if certification_id not in certifications:
            problems.append(
                f"certification {certification_id!r} is not one of the role's certifications"
            )
        for label, day in (("obtained on", held.obtained_on), ("expires on", held.expires_on)):
            if not _is_date_or_none(day):
                problems.append(
                    f"certification {certification_id!r}: {label} {day!r} is not a date"
                )
    problems += _own_course_problems(entries.own_courses)
    if not _is_date_or_none(entries.employee.start_date):
        problems.append(f"employee start date {entries.employee.start_date!r} is not a date")
    if not _is_date_or_none(entries.discussion.meeting_date):
        problems.append(f"meeting date {entries.discussion.meeting_date!r} is not a date")
    for number, step in enumerate(entries.discussion.next_steps, start=1):
        if step.status is not None and not _is_status(step.status):
            problems.append(f"next step {number}: status {step.status!r} is not a Status")
        if not _is_date_or_none(step.due):
            problems.append(f"next step {number}: due date {step.due!r} is not a date")
    return problems


OWN_COURSE_ROWS = 8
"""The "Your own courses" rows a tracker has below its checklist; a prefill (or an upgrade)
with more own courses gets a row for each."""
OWN_REQUIREMENT = "Your own"
"""What an own course's requirement reads as (its checklist cell, the report's CSV): never one
the role requires."""
MAX_HOURS = 10_000
"""The most hours an own course's Hours cell takes (its validation and the reader agree)."""


def _own_course_problems(own: tuple[OwnCourse, ...]) -> list[str]:
    """What in the own courses cannot be written: no title, a value of the wrong kind."""
    problems = []
    for number, course in enumerate(own, start=1):
        where = f"own course {number}"
        if not isinstance(course.title, str) or not course.title:
            problems.append(f"{where}: it has no title")
        problems += _status_and_dates(where, course)
        hours = course.hours
        if hours is not None and not (
            isinstance(hours, (int, float))
            and not isinstance(hours, bool)
            and 0 <= hours <= MAX_HOURS
        ):
            problems.append(f"{where}: hours {hours!r} is not a number from 0 to {MAX_HOURS}")
    return problems


def _status_and_dates(where: str, entry: CourseEntry | OwnCourse) -> list[str]:
    """A course's status and dates that are not what their types say."""
    problems = []
    if not _is_status(entry.status):
        problems.append(f"{where}: status {entry.status!r} is not a Status")
    for label, day in (("target date", entry.target_date), ("completed on", entry.completed_on)):
        if not _is_date_or_none(day):
            problems.append(f"{where}: {label} {day!r} is not a date")
    return problems


@dataclass(frozen=True)
class Inconsistency:
    """Two entries of one course (or certification) that disagree: the code, the entry
    attribute whose cell the warning names, and the sentence for the person."""

    code: Code
    field: str
    message: str


def course_inconsistencies(
    entry: CourseEntry | OwnCourse, start: dt.date | None, as_of: dt.date
) -> tuple[Inconsistency, ...]:
    """What in one course's status and dates cannot all be true, read as of ``as_of``, for a
    person who started in the role on ``start``. A status that could not be read is left to
    its own problem."""
    found = []
    done, status = entry.completed_on, entry.status
    if status is not None and done is not None and status is not Status.COMPLETED:
        found.append(
            Inconsistency(
                Code.COURSE_DATE_NOT_COMPLETED,
                "completed_on",
                f"Completed on is {done.isoformat()} but the status is {status.value}; set the "
                "status to Completed, or clear the date",
            )
        )
    if status is Status.COMPLETED and done is None:
        found.append(
            Inconsistency(
                Code.COURSE_COMPLETED_NO_DATE,
                "completed_on",
                "the status is Completed but Completed on is empty; enter the day the course "
                "was completed",
            )
        )
    if done is not None and done > as_of:
        found.append(
            Inconsistency(
                Code.COURSE_COMPLETED_IN_FUTURE,
                "completed_on",
                f"Completed on is {done.isoformat()}, after {as_of.isoformat()} (the day the "
                "tracker was read as of); enter the day the course was completed",
            )
        )
    target = entry.target_date
    if target is not None and start is not None and target < start:
        found.append(
            Inconsistency(
                Code.COURSE_TARGET_BEFORE_START,
                "target_date",
                f"the target date {target.isoformat()} is before the start date in role "
                f"({start.isoformat()}); correct the target date, or the start date on Start Here",
            )
        )
    return tuple(found)


def certification_inconsistencies(entry: CertificationEntry) -> tuple[Inconsistency, ...]:
    """What in one certification's dates cannot be true: it expires before it was obtained."""
    obtained, expires = entry.obtained_on, entry.expires_on
    if obtained is None or expires is None or expires >= obtained:
        return ()
    return (
        Inconsistency(
            Code.CERTIFICATION_EXPIRES_BEFORE_OBTAINED,
            "expires_on",
            f"Expires on is {expires.isoformat()}, before Date obtained "
            f"({obtained.isoformat()}); correct one of the two dates",
        ),
    )


def _is_status(value: object) -> bool:
    return isinstance(value, Status)


def _is_date_or_none(value: object) -> bool:
    return value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime))


def _is_level(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5
