"""trackerkit: career-path definitions in YAML, turned into tracker workbooks and read back.

The public API is what ``__all__`` lists; everything else may change. Names are
imported on first use, so ``trackerkit --version`` or a script that only reads
trackers does not pay for XlsxWriter, jsonschema or the report's machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from trackerkit.report import (
        TeamReport,
        report_bytes,
        report_trackers,
        team_report,
        write_report,
    )
    from trackerkit.untrusted import WorkbookError
    from trackerkit.upgrade import Carried, UpgradeResult, carry, upgrade_tracker, upgrade_trackers
    from trackerkit.writer import TrackerError, TrackerOptions

_EXPORTS = {
    "Archive": "trackerkit.entries",
    "BuildReport": "trackerkit.build",
    "Carried": "trackerkit.upgrade",
    "Catalog": "trackerkit.model",
    "CatalogError": "trackerkit.errors",
    "Category": "trackerkit.model",
    "CellProblem": "trackerkit.errors",
    "Certification": "trackerkit.model",
    "CertificationRequirement": "trackerkit.model",
    "Competency": "trackerkit.model",
    "CompetencyEntry": "trackerkit.entries",
    "Course": "trackerkit.model",
    "CourseEntry": "trackerkit.entries",
    "CourseFormat": "trackerkit.model",
    "Discussion": "trackerkit.entries",
    "Employee": "trackerkit.entries",
    "Entries": "trackerkit.entries",
    "FilledTracker": "trackerkit.reader",
    "NextStep": "trackerkit.entries",
    "Problem": "trackerkit.errors",
    "ProficiencyLevel": "trackerkit.model",
    "ReadReport": "trackerkit.reader",
    "Requirement": "trackerkit.model",
    "Role": "trackerkit.model",
    "RoleCompetency": "trackerkit.model",
    "RoleCourse": "trackerkit.model",
    "RoleRef": "trackerkit.reader",
    "Severity": "trackerkit.errors",
    "Status": "trackerkit.entries",
    "TeamReport": "trackerkit.report",
    "TrackerError": "trackerkit.writer",
    "TrackerOptions": "trackerkit.writer",
    "TrackerkitError": "trackerkit.errors",
    "UpgradeResult": "trackerkit.upgrade",
    "WorkbookError": "trackerkit.untrusted",
    "build_roster": "trackerkit.build",
    "build_tracker": "trackerkit.build",
    "build_trackers": "trackerkit.build",
    "carry": "trackerkit.upgrade",
    "dump_catalog": "trackerkit.dump",
    "load_catalog": "trackerkit.catalog",
    "read_tracker": "trackerkit.reader",
    "read_trackers": "trackerkit.reader",
    "report_bytes": "trackerkit.report",
    "report_trackers": "trackerkit.report",
    "team_report": "trackerkit.report",
    "upgrade_tracker": "trackerkit.upgrade",
    "upgrade_trackers": "trackerkit.upgrade",
    "write_report": "trackerkit.report",
}
"""Each public name and the module that defines it."""


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            found = version("trackerkit")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            found = "0+unknown"
    elif name in _EXPORTS:
        found = getattr(importlib.import_module(_EXPORTS[name]), name)
    else:
        message = f"module 'trackerkit' has no attribute {name!r}"
        raise AttributeError(message)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted(__all__)


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
    "report_trackers",
    "team_report",
    "upgrade_tracker",
    "upgrade_trackers",
    "write_report",
]
