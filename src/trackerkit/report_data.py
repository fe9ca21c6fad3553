"""The team report as plain, immutable data: what :mod:`trackerkit.report` rolls up and
:mod:`trackerkit.report_layout` lays out, in a module of its own so neither imports the other
for it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from trackerkit.entries import DONE, OwnCourse, Status
from trackerkit.errors import CellProblem, Severity
from trackerkit.figures import Readiness
from trackerkit.model import CertificationRequirement, Requirement
from trackerkit.problem_codes import Code, code_of

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping


@dataclass(frozen=True)
class PersonCourse:
    """One course of a person's role, as their tracker has it."""

    course_id: str
    title: str
    requirement: Requirement
    status: Status | None
    """None when the tracker's cell held something that is no status."""
    target_date: dt.date | None
    completed_on: dt.date | None
    overdue: bool
    renewal_due: bool = False
    """Completed, but past its renewal date on the report's day: counted as not done."""

    @property
    def done(self) -> bool:
        """Completed or waived, and not due for renewal: what counts toward progress."""
        return self.status in DONE and not self.renewal_due


@dataclass(frozen=True)
class PersonCertification:
    """One certification of a person's role, as their tracker has it."""

    certification_id: str
    name: str
    requirement: CertificationRequirement
    obtained_on: dt.date | None
    expires_on: dt.date | None
    expiry: str
    """Expired, Expires within 60 days, or empty, on the report's day."""


@dataclass(frozen=True)
class Person:
    """One readable tracker of a role the catalog has, with its figures."""

    number: int
    """1-based, in the order read; the workbook's formulas find a person's rows by it."""
    file: str
    name: str
    employee_id: str
    manager: str
    location: str
    role_id: str
    role_title: str
    target_role: str
    required_done: int
    required_total: int
    required_share: float | None
    overdue: int
    largest_gaps: tuple[str, ...]
    """The names of up to three competencies with the largest gaps, largest first."""
    courses: tuple[PersonCourse, ...]
    """Every course of the person's role, in the role's order."""
    problems: int = 0
    """How many problems (errors and warnings) the report lists for the person's file."""
    readiness: Readiness | None = None
    """How ready they are for their target role, when their tracker has one."""
    certifications: tuple[PersonCertification, ...] = ()
    """Every certification of the person's role, in the role's order."""
    own_courses: tuple[OwnCourse, ...] = ()
    """The courses of their own their tracker lists (never part of the role's figures)."""


@dataclass(frozen=True)
class CourseCounts:
    """How many people whose role lists a course are at each status."""

    course_id: str
    title: str
    not_started: int
    planned: int
    in_progress: int
    completed: int
    waived: int
    overdue: int
    unreadable: int = 0
    """People whose status cell held something that is no status: counted at none."""

    def count(self, status: Status) -> int:
        return int(getattr(self, status.name.lower()))

    @property
    def listed(self) -> int:
        return sum(self.count(status) for status in Status) + self.unreadable

    @property
    def done_share(self) -> float | None:
        done = sum(self.count(status) for status in DONE)
        return done / self.listed if self.listed else None


@dataclass(frozen=True)
class Group:
    """The people of one manager or one location, summed up."""

    name: str
    """As the trackers give it (the first spelling met; names differing only in case are one
    group, as the workbook's comparisons have them); empty for people who gave none."""
    people: int
    average_progress: float | None
    """The average of the group's required progress, over the people who have required
    courses; None when none has."""
    overdue: int
    ready: int = 0
    """The group's people whose tracker reads Ready for their target role."""


@dataclass(frozen=True)
class Bottleneck:
    """A course required of some people, and how many of them have not done it."""

    course_id: str
    title: str
    required_of: int
    """The people whose role requires the course."""
    not_done: int
    """Of those, the people who have not completed or waived it (a status that could not be
    read counts as not done)."""


@dataclass(frozen=True)
class ReadinessRow:
    """A person with a target role, and their readiness for it: a row of the Readiness sheet."""

    person: Person
    readiness: Readiness

    @property
    def to_go(self) -> int:
        """Required courses not done, and competencies below the level asked."""
        return self.courses_to_go + self.competencies_to_go

    @property
    def courses_to_go(self) -> int:
        return self.readiness.courses_required - self.readiness.courses_done

    @property
    def competencies_to_go(self) -> int:
        return self.readiness.competencies_asked - self.readiness.competencies_met

    @property
    def share(self) -> float:
        """What is met of all the target asks (courses and competencies together); 1 when it
        asks nothing."""
        ready = self.readiness
        asked = ready.courses_required + ready.competencies_asked
        return (ready.courses_done + ready.competencies_met) / asked if asked else 1.0


def ready_first(people: Iterable[Person]) -> tuple[ReadinessRow, ...]:
    """The people with a target role, ready ones first, then the most of it met, the fewest
    things to go, and the order read: the Readiness sheet's order."""
    rows = [ReadinessRow(p, p.readiness) for p in people if p.readiness is not None]
    return tuple(sorted(rows, key=lambda r: (r.to_go > 0, -r.share, r.to_go, r.person.number)))


def ready_count(people: Iterable[Person]) -> int:
    """How many of ``people`` are ready for their target: nothing to go."""
    return sum(1 for row in ready_first(people) if row.to_go == 0)


@dataclass(frozen=True)
class HeatmapCompetency:
    id: str
    name: str


@dataclass(frozen=True)
class Heatmap:
    """People by competencies: each person's gap to their role's target."""

    competencies: tuple[HeatmapCompetency, ...]
    """Every competency of the people's roles, in the catalog's order."""
    gaps: tuple[tuple[int | str | None, ...], ...]
    """One row per person (in :attr:`TeamReport.people` order), one gap per competency;
    "Not rated" where the person has no rating for it, None where the competency is not in
    that person's role."""


@dataclass(frozen=True)
class OverdueCourse:
    person: int
    """The person's :attr:`Person.number`."""
    name: str
    employee_id: str
    role_title: str
    course_id: str
    title: str
    target_date: dt.date
    days_late: int
    file: str


@dataclass(frozen=True)
class ExpiringCertification:
    """A person's certification that has expired, or expires within 60 days, on the report's
    day: a row of the Certifications expiring sheet."""

    person: int
    """The person's :attr:`Person.number`."""
    name: str
    employee_id: str
    role_title: str
    certification_id: str
    certification: str
    requirement: CertificationRequirement
    expires_on: dt.date
    expiry: str
    file: str
    days_left: int = 0
    """Days from the report's day to the expiry date; below 0 once expired."""


def whose(person: Person) -> dict[str, Any]:
    """Who a listed item (an overdue course, an expiring certification) belongs to, as the
    fields those rows share."""
    return {
        "person": person.number,
        "name": person.name,
        "employee_id": person.employee_id,
        "role_title": person.role_title,
        "file": person.file,
    }


def expiring_of(people: Iterable[Person], as_of: dt.date) -> tuple[ExpiringCertification, ...]:
    """The people's certifications expired or expiring on ``as_of``, the earliest expiry
    first (ties in the people's order)."""
    found = [
        ExpiringCertification(
            **whose(person),
            certification_id=held.certification_id,
            certification=held.name,
            requirement=held.requirement,
            expires_on=held.expires_on,
            expiry=held.expiry,
            days_left=(held.expires_on - as_of).days,
        )
        for person in people
        for held in person.certifications
        if held.expiry and held.expires_on is not None
    ]
    return tuple(sorted(found, key=lambda item: (item.expires_on, item.person)))


@dataclass(frozen=True)
class ReportProblem:
    """A file that could not be read, or one problem of a tracker, located by file and cell."""

    file: str
    sheet: str | None
    cell: str | None
    severity: Severity
    message: str
    code: Code
    field: str | None = None
    """As :attr:`CellProblem.field`; also ``item`` and ``typed``."""
    item: str | None = None
    typed: str | None = None

    def __str__(self) -> str:
        found = CellProblem(self.severity, self.sheet, self.cell, self.message, self.code)
        return f"{self.file}: {found}"

    @classmethod
    def of(cls, file: str, problem: CellProblem) -> ReportProblem:
        """A tracker's problem, as the report lists it."""
        return cls(
            file,
            problem.sheet,
            problem.cell,
            problem.severity,
            problem.message,
            problem.code,
            problem.field,
            problem.item,
            problem.typed,
        )


@dataclass(frozen=True)
class TeamReport:
    """Everything the team report shows, as plain immutable data."""

    as_of: dt.date
    """The day overdue figures are counted on."""
    people: tuple[Person, ...]
    courses: tuple[CourseCounts, ...]
    heatmap: Heatmap
    overdue: tuple[OverdueCourse, ...]
    """In the people's order; each person's oldest target date first."""
    problems: tuple[ReportProblem, ...]
    skipped: tuple[str, ...]
    """Files left out of the figures: unreadable, of a role the catalog lacks, or an older
    tracker of a person another file also holds."""
    managers: tuple[Group, ...] = ()
    """The people per manager, by name (people with no manager last)."""
    locations: tuple[Group, ...] = ()
    """The people per location, by name (people with no location last)."""
    bottlenecks: tuple[Bottleneck, ...] = ()
    """Every course required of someone, the most people not done first; ties in the
    catalog's order."""
    expiring_certifications: tuple[ExpiringCertification, ...] = ()
    """The people's certifications expired or expiring within 60 days on :attr:`as_of`."""

    @property
    def ok(self) -> bool:
        """True when every file was reported and none has an error (warnings are fine)."""
        return not self.skipped and all(p.severity is not Severity.ERROR for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: lists, strings, numbers, None; dates as ISO text."""
        return dict(plain(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TeamReport:
        """The report back from :meth:`to_dict`'s data (say, a saved JSON report)."""
        heatmap = data["heatmap"]
        return cls(
            as_of=dt.date.fromisoformat(data["as_of"]),
            people=tuple(_person_from(item) for item in data["people"]),
            courses=tuple(CourseCounts(**item) for item in data["courses"]),
            heatmap=Heatmap(
                tuple(HeatmapCompetency(**item) for item in heatmap["competencies"]),
                tuple(tuple(row) for row in heatmap["gaps"]),
            ),
            overdue=tuple(
                OverdueCourse(**{**item, "target_date": dt.date.fromisoformat(item["target_date"])})
                for item in data["overdue"]
            ),
            problems=tuple(
                ReportProblem(
                    **{
                        **item,
                        "severity": Severity(item["severity"]),
                        "code": code_of(item["code"]),
                    }
                )
                for item in data["problems"]
            ),
            skipped=tuple(data["skipped"]),
            managers=tuple(Group(**item) for item in data.get("managers", ())),
            locations=tuple(Group(**item) for item in data.get("locations", ())),
            bottlenecks=tuple(Bottleneck(**item) for item in data.get("bottlenecks", ())),
            expiring_certifications=tuple(
                ExpiringCertification(
                    **{
                        **item,
                        "requirement": CertificationRequirement(item["requirement"]),
                        "expires_on": dt.date.fromisoformat(item["expires_on"]),
                    }
                )
                for item in data.get("expiring_certifications", ())
            ),
        )


def plain(value: object) -> Any:
    """A value as JSON-ready data: dataclasses as dicts, enums as values, dates as ISO text."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [plain(item) for item in value]
    return value


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _person_from(data: Mapping[str, Any]) -> Person:
    courses = tuple(
        PersonCourse(
            **{
                **item,
                "requirement": Requirement(item["requirement"]),
                "status": None if item["status"] is None else Status(item["status"]),
                "target_date": _day(item["target_date"]),
                "completed_on": _day(item["completed_on"]),
            }
        )
        for item in data["courses"]
    )
    certifications = tuple(
        PersonCertification(
            **{
                **item,
                "requirement": CertificationRequirement(item["requirement"]),
                "obtained_on": _day(item["obtained_on"]),
                "expires_on": _day(item["expires_on"]),
            }
        )
        for item in data.get("certifications", ())
    )
    ready = data.get("readiness")
    own = tuple(
        OwnCourse(
            **{
                **item,
                "status": None if item["status"] is None else Status(item["status"]),
                "target_date": _day(item["target_date"]),
                "completed_on": _day(item["completed_on"]),
            }
        )
        for item in data.get("own_courses", ())  # a report saved before own courses
    )
    return Person(
        **{
            "location": "",  # a report saved before locations were reported
            **data,
            "largest_gaps": tuple(data["largest_gaps"]),
            "courses": courses,
            "readiness": None if ready is None else Readiness(**ready),
            "certifications": certifications,
            "own_courses": own,
        }
    )
