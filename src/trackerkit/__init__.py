"""trackerkit: career-path definitions in YAML, turned into tracker workbooks and read back.

The public API is what ``__all__`` lists; everything else may change. Names are
imported on first use, so ``trackerkit --version`` or a script that only reads
trackers does not pay for XlsxWriter, jsonschema or the report's machinery.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers and editors see; a test holds it to _EXPORTS
    # `import X as X` is how a strict type checker knows X is public; one statement a module.
    from trackerkit.build import (  # noqa: I001
        BuildReport as BuildReport,
        KeptError as KeptError,
        Skipped as Skipped,
        build_roster as build_roster,
        build_tracker as build_tracker,
        build_trackers as build_trackers,
    )
    from trackerkit.catalog import (
        load_catalog as load_catalog,
    )
    from trackerkit.dump import (
        dump_catalog as dump_catalog,
    )
    from trackerkit.entries import (
        Archive as Archive,
        CertificationEntry as CertificationEntry,
        CompetencyEntry as CompetencyEntry,
        CourseEntry as CourseEntry,
        Discussion as Discussion,
        Employee as Employee,
        Entries as Entries,
        NextStep as NextStep,
        OwnCourse as OwnCourse,
        Status as Status,
    )
    from trackerkit.errors import (
        CatalogError as CatalogError,
        CellProblem as CellProblem,
        Problem as Problem,
        Severity as Severity,
        TrackerkitError as TrackerkitError,
    )
    from trackerkit.model import (
        Catalog as Catalog,
        Category as Category,
        Certification as Certification,
        CertificationRequirement as CertificationRequirement,
        Competency as Competency,
        Course as Course,
        CourseFormat as CourseFormat,
        ProficiencyLevel as ProficiencyLevel,
        Requirement as Requirement,
        Role as Role,
        RoleCompetency as RoleCompetency,
        RoleCourse as RoleCourse,
        Story as Story,
    )
    from trackerkit.reader import (
        FilledTracker as FilledTracker,
        ReadReport as ReadReport,
        RoleRef as RoleRef,
        has_entries as has_entries,
        read_tracker as read_tracker,
        read_trackers as read_trackers,
        why_filled as why_filled,
    )
    from trackerkit.report import (
        TeamReport as TeamReport,
        report_bytes as report_bytes,
        report_trackers as report_trackers,
        team_report as team_report,
        write_report as write_report,
    )
    from trackerkit.report_workbook import (
        ReportError as ReportError,
    )
    from trackerkit.site import (
        SiteError as SiteError,
        SiteReport as SiteReport,
        build_site as build_site,
    )
    from trackerkit.roster import (
        ExportFormat as ExportFormat,
    )
    from trackerkit.untrusted import (
        Limits as Limits,
        WorkbookError as WorkbookError,
    )
    from trackerkit.upgrade import (
        Carried as Carried,
        UpgradeResult as UpgradeResult,
        carry as carry,
        upgrade_tracker as upgrade_tracker,
        upgrade_trackers as upgrade_trackers,
    )
    from trackerkit.update import (
        UpdateReport as UpdateReport,
        UpdateResult as UpdateResult,
        update_trackers as update_trackers,
    )
    from trackerkit.writer import (
        TrackerError as TrackerError,
        TrackerOptions as TrackerOptions,
    )

_EXPORTS: dict[str, tuple[str, ...]] = {
    "trackerkit.build": (
        "BuildReport",
        "KeptError",
        "Skipped",
        "build_roster",
        "build_tracker",
        "build_trackers",
    ),
    "trackerkit.catalog": ("load_catalog",),
    "trackerkit.dump": ("dump_catalog",),
    "trackerkit.entries": (
        "Archive",
        "CertificationEntry",
        "CompetencyEntry",
        "CourseEntry",
        "Discussion",
        "Employee",
        "Entries",
        "NextStep",
        "OwnCourse",
        "Status",
    ),
    "trackerkit.errors": (
        "CatalogError",
        "CellProblem",
        "Problem",
        "Severity",
        "TrackerkitError",
    ),
    "trackerkit.model": (
        "Catalog",
        "Category",
        "Certification",
        "CertificationRequirement",
        "Competency",
        "Course",
        "CourseFormat",
        "ProficiencyLevel",
        "Requirement",
        "Role",
        "RoleCompetency",
        "RoleCourse",
        "Story",
    ),
    "trackerkit.reader": (
        "FilledTracker",
        "ReadReport",
        "RoleRef",
        "has_entries",
        "read_tracker",
        "read_trackers",
        "why_filled",
    ),
    "trackerkit.report": (
        "TeamReport",
        "report_bytes",
        "report_trackers",
        "team_report",
        "write_report",
    ),
    "trackerkit.report_workbook": ("ReportError",),
    "trackerkit.roster": ("ExportFormat",),
    "trackerkit.site": ("SiteError", "SiteReport", "build_site"),
    "trackerkit.untrusted": ("Limits", "WorkbookError"),
    "trackerkit.upgrade": (
        "Carried",
        "UpgradeResult",
        "carry",
        "upgrade_tracker",
        "upgrade_trackers",
    ),
    "trackerkit.update": (
        "UpdateReport",
        "UpdateResult",
        "update_trackers",
    ),
    "trackerkit.writer": (
        "TrackerError",
        "TrackerOptions",
    ),
}
"""Each module of the public API and the names it gives; the one list of them."""

_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = ["__version__"]
__all__ += list(_MODULE_OF)
"""The public API: every name of ``_EXPORTS``, and ``__version__``."""


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from trackerkit.version import package_version

        found = package_version()
    elif name in _MODULE_OF:
        found = getattr(importlib.import_module(_MODULE_OF[name]), name)
    else:
        message = f"module 'trackerkit' has no attribute {name!r}"
        raise AttributeError(message)
    globals()[name] = found
    return found


def __dir__() -> list[str]:
    return sorted(__all__)
