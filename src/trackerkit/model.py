"""The typed, immutable career-path model that every other part reads.

Roles here are already resolved: a role that builds on another carries the
inherited competencies, courses and certifications itself, each marked with
the role it came from, so nothing downstream needs to know about inheritance.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from enum import Enum
from functools import lru_cache
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from collections.abc import Mapping


class Requirement(str, Enum):
    """How strongly a role expects a course."""

    REQUIRED = "required"
    RECOMMENDED = "recommended"
    ELECTIVE = "elective"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CertificationRequirement(str, Enum):
    REQUIRED = "required"
    OPTIONAL = "optional"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class CourseFormat(str, Enum):
    ELEARNING = "elearning"
    INSTRUCTOR_LED = "instructor-led"
    VIRTUAL_CLASSROOM = "virtual-classroom"
    ON_THE_JOB = "on-the-job"
    SELF_STUDY = "self-study"

    @property
    def label(self) -> str:
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    CourseFormat.ELEARNING: "eLearning",
    CourseFormat.INSTRUCTOR_LED: "Instructor-led",
    CourseFormat.VIRTUAL_CLASSROOM: "Virtual classroom",
    CourseFormat.ON_THE_JOB: "On the job",
    CourseFormat.SELF_STUDY: "Self-study",
}


@dataclass(frozen=True)
class ProficiencyLevel:
    level: int
    name: str
    description: str


@dataclass(frozen=True)
class Competency:
    id: str
    name: str
    definition: str
    category: str
    category_name: str = ""


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    description: str | None
    competencies: tuple[str, ...]


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    provider: str
    format: CourseFormat
    hours: float
    competencies: tuple[str, ...]
    url: str | None = None
    description: str | None = None
    sample: str | None = None
    """The note of a catalogue file marked as sample content, if this course's file is."""
    renew_every_months: int | None = None
    """How often the course must be taken again; None for a course taken once."""


@dataclass(frozen=True)
class RoleCompetency:
    """A competency as one role asks for it."""

    competency: Competency
    target: int
    inherited_from: str | None = None

    @property
    def id(self) -> str:
        return self.competency.id


@dataclass(frozen=True)
class RoleCourse:
    """A course as one role lists it."""

    course: Course
    requirement: Requirement
    inherited_from: str | None = None

    @property
    def id(self) -> str:
        return self.course.id


@dataclass(frozen=True)
class Certification:
    id: str
    name: str
    requirement: CertificationRequirement
    issuer: str | None = None
    note: str | None = None
    inherited_from: str | None = None


@dataclass(frozen=True)
class Story:
    """A coworker's career story: the step from one role to another, in their words."""

    person: str
    from_role: str
    to_role: str
    text: str
    sample: str | None = None
    """The note of a story file marked as a sample to replace."""

    def mentions(self, role_id: str) -> bool:
        return role_id in (self.from_role, self.to_role)


_Item = TypeVar("_Item", RoleCompetency, RoleCourse)


@dataclass(frozen=True)
class Role:
    """One role of the career path, with inheritance resolved."""

    id: str
    title: str
    family: str
    level: int
    version: str
    summary: str
    work_settings: tuple[str, ...]
    responsibilities: tuple[str, ...]
    competencies: tuple[RoleCompetency, ...]
    courses: tuple[RoleCourse, ...]
    certifications: tuple[Certification, ...]
    next_roles: tuple[str, ...]
    builds_on: str | None = None
    scale: tuple[ProficiencyLevel, ...] = ()
    """The catalog's proficiency scale, carried so a role alone can make a tracker."""
    full_title: str | None = None
    job_description_url: str | None = None
    sample: str | None = None
    """What in the role's file is sample content to replace, as the file says."""

    @property
    def long_title(self) -> str:
        """The full title where there is room for it; the short title when none is given."""
        return self.full_title or self.title

    def samples(self) -> tuple[str, ...]:
        """Every sample note a tracker of this role carries: the role's own, then its courses'."""
        notes = [self.sample] if self.sample else []
        for entry in self.courses:
            if entry.course.sample and entry.course.sample not in notes:
                notes.append(entry.course.sample)
        return tuple(notes)

    def competency(self, competency_id: str) -> RoleCompetency:
        """The role's entry for a competency; KeyError names the id when absent."""
        return _find(self.competencies, competency_id)

    def course(self, course_id: str) -> RoleCourse:
        """The role's entry for a course; KeyError names the id when absent."""
        return _find(self.courses, course_id)


def _find(items: tuple[_Item, ...], wanted: str) -> _Item:
    for item in items:
        if item.id == wanted:
            return item
    raise KeyError(wanted)


@dataclass(frozen=True)
class Catalog:
    """Everything loaded from one roles directory."""

    scale: tuple[ProficiencyLevel, ...]
    categories: tuple[Category, ...]
    competencies: Mapping[str, Competency]
    courses: Mapping[str, Course]
    roles: Mapping[str, Role]
    stories: tuple[Story, ...] = ()
    """Career stories, in the order of their files; the site shows them, trackers do not."""

    def next_roles(self, role: Role) -> tuple[Role, ...]:
        """The roles ``role`` leads to, as its ``next_roles`` lists them (the ones loaded)."""
        return tuple(self.roles[i] for i in role.next_roles if i in self.roles)

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # Mapping proxies do not pickle: travel to worker processes as dicts.
        mappings = (dict(self.competencies), dict(self.courses), dict(self.roles))
        return _catalog, (self.scale, self.categories, mappings, self.stories)


def _catalog(
    scale: tuple[ProficiencyLevel, ...],
    categories: tuple[Category, ...],
    mappings: tuple[dict[str, Competency], dict[str, Course], dict[str, Role]],
    stories: tuple[Story, ...],
) -> Catalog:
    from types import MappingProxyType

    competencies, courses, roles = mappings
    return Catalog(
        scale,
        categories,
        MappingProxyType(competencies),
        MappingProxyType(courses),
        MappingProxyType(roles),
        stories,
    )


@lru_cache(maxsize=256)
def role_digest(role: Role) -> str:
    """A hash of the role's resolved content, to tell whether a tracker is current.

    Cached: reading a folder of trackers asks it of the same few roles thousands of times.
    """
    canonical = json.dumps(asdict(role), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
