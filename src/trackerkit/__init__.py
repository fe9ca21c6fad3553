"""trackerkit: career-path definitions in YAML, validated and turned into typed roles.

The public API is what ``__all__`` lists; everything else may change.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from trackerkit.catalog import load_catalog
from trackerkit.dump import dump_catalog
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

try:
    __version__ = version("trackerkit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "Catalog",
    "CatalogError",
    "Category",
    "Certification",
    "CertificationRequirement",
    "Competency",
    "Course",
    "CourseFormat",
    "Problem",
    "ProficiencyLevel",
    "Requirement",
    "Role",
    "RoleCompetency",
    "RoleCourse",
    "TrackerkitError",
    "__version__",
    "dump_catalog",
    "load_catalog",
]
