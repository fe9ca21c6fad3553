"""trackerkit: career-path definitions in YAML, turned into tracker workbooks and read back.

The public API is what ``__all__`` lists; everything else may change.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from trackerkit.build import BuildReport, build_roster, build_tracker, build_trackers
from trackerkit.catalog import load_catalog
from trackerkit.dump import dump_catalog
from trackerkit.entries import (
    Archive,
    CompetencyEntry,
    CourseEntry,
    Discussion,
    Employee,
    Entries,
    NextStep,
    Status,
)
from trackerkit.errors import CatalogError, CellProblem, Problem, Severity, TrackerkitError
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
from trackerkit.reader import FilledTracker, ReadReport, RoleRef, read_tracker, read_trackers
from trackerkit.report import TeamReport, report_bytes, team_report, write_report
from trackerkit.untrusted import WorkbookError
from trackerkit.upgrade import Carried, UpgradeResult, carry, upgrade_tracker, upgrade_trackers
from trackerkit.writer import TrackerError, TrackerOptions

try:
    __version__ = version("trackerkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Archive",
    "BuildReport",
    "Carried",
    "Catalog",
    "CatalogError",
    "Category",
    "CellProblem",
    "Certification",
    "CertificationRequirement",
    "Competency",
    "CompetencyEntry",
    "Course",
    "CourseEntry",
    "CourseFormat",
    "Discussion",
    "Employee",
    "Entries",
    "FilledTracker",
    "NextStep",
    "Problem",
    "ProficiencyLevel",
    "ReadReport",
    "Requirement",
    "Role",
    "RoleCompetency",
    "RoleCourse",
    "RoleRef",
    "Severity",
    "Status",
    "TeamReport",
    "TrackerError",
    "TrackerOptions",
    "TrackerkitError",
    "UpgradeResult",
    "WorkbookError",
    "__version__",
    "build_roster",
    "build_tracker",
    "build_trackers",
    "carry",
    "dump_catalog",
    "load_catalog",
    "read_tracker",
    "read_trackers",
    "report_bytes",
    "team_report",
    "upgrade_tracker",
    "upgrade_trackers",
    "write_report",
]
