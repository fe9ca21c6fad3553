"""Write trackers to disk: one at a time, or every role of a catalog in parallel.

Files are written atomically, a tracker whose bytes would not change is left
untouched (so regenerating only touches roles that changed), and a tracker
someone has filled in is never replaced unless ``force`` is given.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TextIO

from trackerkit import atomic
from trackerkit import layout as lay
from trackerkit.codecs import STATUSES
from trackerkit.entries import CourseEntry, Employee, Entries
from trackerkit.parallel import in_order
from trackerkit.writer import TrackerError, TrackerOptions, tracker_bytes, tracker_entries

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trackerkit.errors import Problem
    from trackerkit.model import Catalog, Role


def build_tracker(
    role: Role,
    path: str | os.PathLike[str],
    *,
    employee: Entries | Employee | None = None,
    options: TrackerOptions | None = None,
    force: bool = False,
    target: Role | None = None,
) -> Path:
    """Write the tracker for ``role`` to ``path`` and return the path.

    ``employee`` prefills the tracker (an :class:`Employee`, or full
    :class:`Entries` with course statuses and ratings); a ``target`` role adds
    the Next Role sheet. Raises :class:`TrackerError` rather than replace a
    tracker that has entries, unless ``force`` is true.
    """
    file = Path(path)
    data = tracker_bytes(role, tracker_entries(employee), options, target=target)
    write_file(file, data, force=force)
    return file


def write_file(target: Path, data: bytes, *, force: bool) -> bool:
    """Write a tracker unless unchanged; return whether it was written.

    Raises :class:`TrackerError` rather than replace a tracker with entries, unless ``force``.
    """
    if target.exists():
        current = target.read_bytes()
        if current == data:
            return False
        reason = None if force else why_kept(target)
        if reason is not None:
            raise TrackerError(
                f"{target}: {reason}; it was left as it is (use --force to replace it)"
            )
    atomic.write_bytes(target, data)
    return True


def why_kept(path: Path) -> str | None:
    """Why a file must not be replaced without --force, or None when it may be.

    A tracker with anything entered in an input region is someone's work; a
    file that is not a tracker trackerkit can read may be too.
    """
    import warnings

    import openpyxl

    from trackerkit.untrusted import UntrustedWorkbook

    try:
        UntrustedWorkbook(path).close()  # size, kind and zip-bomb checks before any parsing
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl's notes on other apps' files
            book = openpyxl.load_workbook(path, data_only=True)
    except Exception:  # noqa: BLE001 - WorkbookError or any other: unreadable, so leave it
        return "this file is not a tracker trackerkit can read"
    try:
        names = (lay.INPUT_NAMES | lay.ARCHIVE_NAMES) & set(book.defined_names)
        if not names:
            return "this file is not a tracker trackerkit can read"
        for name in names:
            for sheet_name, coordinates in book.defined_names[name].destinations:
                found = book[sheet_name][coordinates.replace("$", "")]
                rows = found if isinstance(found, tuple) else ((found,),)
                for row in rows:
                    for cell in row if isinstance(row, tuple) else (row,):
                        if cell.value not in (None, "", STATUSES[0]):
                            return "this tracker has entries"
        return None
    finally:
        book.close()


@dataclass
class BuildReport:
    """What a batch build did, file by file, and the problems of its input files."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Rows of a roster or completions file that were left out, with file and line."""

    def summary(self, out_dir: str | os.PathLike[str]) -> str:
        """The one line a batch run ends with."""
        line = (
            f"{os.fspath(out_dir)}: {len(self.written)} written, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )
        if self.problems:
            count = len(self.problems)
            line += f"; {count} {'row' if count == 1 else 'rows'} of the input left out"
        return line

    @property
    def ok(self) -> bool:
        return not self.skipped and not self.problems


@dataclass(frozen=True)
class _Job:
    """One tracker to write; plain data, so it pickles for the process pool."""

    role: Role
    path: Path
    options: TrackerOptions
    force: bool
    employee: Employee | None = None
    courses: dict[str, CourseEntry] | None = None
    target: Role | None = None


def _build_one(job: _Job) -> tuple[str, Path, str]:
    path = job.path
    entries = None
    if job.employee is not None:
        entries = Entries(employee=job.employee, courses=MappingProxyType(job.courses or {}))
    try:
        data = tracker_bytes(job.role, entries, job.options, target=job.target)
        written = write_file(path, data, force=job.force)
    except TrackerError as error:
        return "skipped", path, str(error)
    except OSError as error:  # one unwritable file must not stop the others
        reason = error.strerror or str(error)
        return "skipped", path, f"{path}: could not be written ({reason})"
    return ("written" if written else "unchanged"), path, ""


def build_trackers(
    catalog: Catalog,
    out_dir: str | os.PathLike[str],
    *,
    role_ids: Sequence[str] | None = None,
    jobs: int = 1,
    force: bool = False,
    options: TrackerOptions | None = None,
    progress: TextIO | None = None,
) -> BuildReport:
    """Write one blank tracker per role into ``out_dir`` as ``<role id>.xlsx``.

    ``progress`` receives a one-line progress bar when it is a terminal.
    """
    chosen = list(role_ids) if role_ids else list(catalog.roles)
    unknown = [role_id for role_id in chosen if role_id not in catalog.roles]
    if unknown:
        known = ", ".join(catalog.roles)
        raise TrackerError(f"unknown role {', '.join(unknown)}; the roles are {known}")
    folder = Path(out_dir)
    work = [
        _Job(catalog.roles[role_id], folder / f"{role_id}.xlsx", options or TrackerOptions(), force)
        for role_id in chosen
    ]
    return _run(work, BuildReport(), jobs, progress)


def build_roster(
    catalog: Catalog,
    roster: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    completions: str | os.PathLike[str] | None = None,
    jobs: int = 1,
    force: bool = False,
    options: TrackerOptions | None = None,
    progress: TextIO | None = None,
) -> BuildReport:
    """Write one prefilled tracker per employee of ``roster`` into ``out_dir``.

    Each tracker is of the employee's current role, with the target role and
    the completed courses of ``completions`` (a learning-system export)
    filled in. Rows with problems are left out and listed in the report's
    ``problems``; every good row is still built.
    """
    from trackerkit.roster import load_completions, load_roster, tracker_names

    people = load_roster(roster, catalog)
    done = load_completions(completions, catalog, people) if completions else None
    names = tracker_names(people.rows)
    folder = Path(out_dir)
    work = [
        _Job(
            catalog.roles[row.role_id],
            folder / names[row.employee.employee_id],
            options or TrackerOptions(),
            force,
            row.employee,
            dict(done.courses.get(row.employee.employee_id, {})) if done else None,
            catalog.roles[row.target_id] if row.target_id else None,
        )
        for row in people.rows
    ]
    report = BuildReport(problems=[*people.problems, *(done.problems if done else ())])
    return _run(work, report, jobs, progress)


def _run(work: list[_Job], report: BuildReport, jobs: int, progress: TextIO | None) -> BuildReport:
    for outcome, path, message in in_order(_build_one, work, jobs, progress):
        if outcome == "written":
            report.written.append(path)
        elif outcome == "unchanged":
            report.unchanged.append(path)
        else:
            report.skipped.append(message)
    return report
