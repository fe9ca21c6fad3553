"""trackerkit: career-path definitions in YAML, validated and turned into typed roles.

The public API is what ``__all__`` lists; everything else may change.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from trackerkit.build import BuildReport, build_tracker, build_trackers
from trackerkit.catalog import load_catalog
from trackerkit.dump import dump_catalog
from trackerkit.entries import CompetencyEntry, CourseEntry, Employee, Entries, Status
from trackerkit.errors import CatalogError, Problem, TrackerkitError
from trackerkit.model import (
    Catalog,
    Category,
    Certification,
    CertificationRequirement,
    Competency,
    Course,
    CourseFormat,
    ProficiencyLevel,
    Requirement,
    Role,
    RoleCompetency,
    RoleCourse,
)
from trackerkit.writer import TrackerError, TrackerOptions

try:
    __version__ = version("trackerkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "BuildReport",
    "Catalog",
    "CatalogError",
    "Category",
    "Certification",
    "CertificationRequirement",
    "Competency",
    "CompetencyEntry",
    "Course",
    "CourseEntry",
    "CourseFormat",
    "Employee",
    "Entries",
    "Problem",
    "ProficiencyLevel",
    "Requirement",
    "Role",
    "RoleCompetency",
    "RoleCourse",
    "Status",
    "TrackerError",
    "TrackerOptions",
    "TrackerkitError",
    "__version__",
    "build_tracker",
    "build_trackers",
    "dump_catalog",
    "load_catalog",
]
