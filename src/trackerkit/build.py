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
from trackerkit.entries import CourseEntry, Employee, Entries
from trackerkit.files import existing_kind, is_reserved, open_regular
from trackerkit.parallel import in_order
from trackerkit.problem_codes import Code
from trackerkit.writer import TrackerError, TrackerOptions, tracker_bytes, tracker_entries

if TYPE_CHECKING:
    from collections.abc import Sequence

    from trackerkit.errors import Problem
    from trackerkit.model import Catalog, Role
    from trackerkit.roster import ExportFormat


def build_tracker(
    role: Role,
    path: str | os.PathLike[str],
    *,
    employee: Entries | Employee | None = None,
    options: TrackerOptions | None = None,
    force: bool = False,
    target: Role | None = None,
    next_roles: tuple[Role, ...] = (),
) -> Path:
    """Write the tracker for ``role`` to ``path`` and return the path.

    ``employee`` prefills the tracker (an :class:`Employee`, or full
    :class:`Entries` with course statuses and ratings); ``next_roles``
    (``catalog.next_roles(role)``) and a ``target`` role make Target role a dropdown of
    them and add the Next Role sheet. Raises :class:`KeptError` rather than replace a
    tracker that has entries, unless ``force`` is true.
    """
    file = Path(path)
    data = tracker_bytes(
        role, tracker_entries(employee), options, target=target, next_roles=next_roles
    )
    write_file(file, data, force=force)
    return file


def role_file_name(role_id: str) -> str:
    """The file a role's blank tracker is written to: its id, unless Windows keeps that
    name for a device (``con``, ``nul``, ``com1`` …), which gets ``role-`` in front."""
    return f"role-{role_id}.xlsx" if is_reserved(role_id) else f"{role_id}.xlsx"


def write_file(target: Path, data: bytes, *, force: bool) -> bool:
    """Write a tracker unless unchanged; return whether it was written.

    Raises :class:`KeptError` rather than replace a tracker with entries, unless ``force``.
    """
    if target.exists() and existing_kind(target) is None:  # a file: unchanged, or someone's?
        if _holds(target, data):
            return False
        reason = None if force else why_kept(target, data)
        if reason is not None:
            raise KeptError(target, reason)
    atomic.write_bytes(target, data)  # refuses a folder; a device or a read pipe gets the bytes
    return True


def _holds(path: Path, data: bytes) -> bool:
    """Whether the file at ``path`` is a regular file holding exactly ``data``: read no more
    than that, so a huge file or a named pipe in the way costs nothing."""
    try:
        with open_regular(path) as stream:
            return stream.read(len(data) + 1) == data
    except OSError:
        return False


@dataclass(frozen=True)
class Skipped:
    """A tracker a build left as it was, and why."""

    file: Path
    reason: str
    kept: bool = False
    """True when the file in the way was kept as someone's work: ``force`` would replace it."""

    def line(self, force: str = "force=True") -> str:
        """The sentence for a person; ``force`` is how the caller says "replace it anyway"
        (``force=True`` in Python, ``--force`` on the command line)."""
        if self.kept:
            return f"{self.file}: {self.reason}; it was left as it is (use {force} to replace it)"
        return f"{self.file}: {self.reason}"

    def __str__(self) -> str:
        return self.line()


class KeptError(TrackerError):
    """A file in the way was not replaced: it has entries, or is not a tracker trackerkit
    can read. ``force=True`` replaces it; ``skipped`` says which file and why."""

    def __init__(self, file: Path, reason: str) -> None:
        self.skipped = Skipped(file, reason, kept=True)
        super().__init__(str(self.skipped))

    def __reduce__(self) -> tuple[object, tuple[Path, str]]:
        return type(self), (self.skipped.file, self.skipped.reason)


def why_kept(path: Path, rebuild: bytes | None = None) -> str | None:
    """Why a file must not be replaced without ``force``, or None when it may be.

    A tracker with anything entered, or added that ``rebuild`` (the bytes that would
    replace it) would drop, is someone's work (the reader decides, by
    :func:`~trackerkit.why_filled`); a file that is not a tracker trackerkit can read
    may be too.
    """
    from trackerkit.reader import why_filled

    try:
        return why_filled(path, rebuild=rebuild)
    except Exception:  # noqa: BLE001 - WorkbookError or a reader's bug: unreadable, so leave it
        return "this file is not a tracker trackerkit can read"


@dataclass
class BuildReport:
    """What a batch build did, file by file, and the problems of its input files."""

    written: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    """Rows of a roster or completions file that were left out, with file and line."""
    warnings: list[Problem] = field(default_factory=list)
    """Rows built anyway, with something to check (a target beyond the next roles), and
    completions left out that need no fix (a course outside the person's role)."""

    def summary(self, out_dir: str | os.PathLike[str]) -> str:
        """The one line a batch run ends with."""
        line = (
            f"{os.fspath(out_dir)}: {len(self.written)} written, "
            f"{len(self.unchanged)} unchanged, {len(self.skipped)} skipped"
        )
        from trackerkit.roster import left_out

        return line + left_out(self.problems, "the input")

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
    next_roles: tuple[Role, ...] = ()


def _build_one(job: _Job) -> tuple[str, Path, Skipped | None]:
    path = job.path
    entries = None
    if job.employee is not None:
        entries = Entries(employee=job.employee, courses=MappingProxyType(job.courses or {}))
    try:
        data = tracker_bytes(
            job.role, entries, job.options, target=job.target, next_roles=job.next_roles
        )
        written = write_file(path, data, force=job.force)
    except KeptError as error:
        return "skipped", path, error.skipped
    except TrackerError as error:  # the entries of one row of a roster cannot be written
        return "skipped", path, Skipped(path, str(error))
    except OSError as error:  # one unwritable file must not stop the others
        reason = error.strerror or str(error)
        return "skipped", path, Skipped(path, f"could not be written ({reason})")
    return ("written" if written else "unchanged"), path, None


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
    _check_roles(catalog, chosen)
    folder = Path(out_dir)
    work = [
        _Job(
            catalog.roles[role_id],
            folder / role_file_name(role_id),
            options or TrackerOptions(),
            force,
            next_roles=catalog.next_roles(catalog.roles[role_id]),
        )
        for role_id in chosen
    ]
    return _run(work, BuildReport(), jobs, progress)


def _check_roles(catalog: Catalog, role_ids: Sequence[str]) -> None:
    unknown = [role_id for role_id in role_ids if role_id not in catalog.roles]
    if unknown:
        known = ", ".join(catalog.roles)
        raise TrackerError(f"unknown role {', '.join(unknown)}; the roles are {known}")


def build_one(
    catalog: Catalog,
    role_id: str,
    path: str | os.PathLike[str],
    *,
    force: bool = False,
    options: TrackerOptions | None = None,
    progress: TextIO | None = None,
) -> BuildReport:
    """Write the blank tracker of one role to the file ``path``, reported as a batch of one:
    what ``trackerkit build --role ID -o FILE.xlsx`` runs."""
    _check_roles(catalog, [role_id])
    role = catalog.roles[role_id]
    job = _Job(
        role, Path(path), options or TrackerOptions(), force, next_roles=catalog.next_roles(role)
    )
    return _run([job], BuildReport(), 1, progress)


def build_roster(
    catalog: Catalog,
    roster: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    completions: str | os.PathLike[str] | None = None,
    export_format: ExportFormat | None = None,
    jobs: int = 1,
    force: bool = False,
    options: TrackerOptions | None = None,
    progress: TextIO | None = None,
) -> BuildReport:
    """Write one prefilled tracker per employee of ``roster`` into ``out_dir``.

    Each tracker is of the employee's current role, with the target role and
    the completed courses of ``completions`` (a learning-system export, its columns and
    dates as ``export_format`` says) filled in. Rows with problems are left out and
    listed in the report's ``problems``, a completion of a course outside the role in its
    ``warnings``; every good row is still built.
    """
    from trackerkit.roster import load_completions, load_roster, tracker_names

    people = load_roster(roster, catalog)
    done = load_completions(completions, catalog, people, export_format) if completions else None
    if done is not None and any(p.code is Code.COMPLETIONS_COLUMN for p in done.problems):
        # The mapping was given for this export: nothing is built without what it names.
        return BuildReport(problems=list(done.problems))
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
            catalog.next_roles(catalog.roles[row.role_id]),
        )
        for row in people.rows
    ]
    report = BuildReport(
        problems=[*people.problems, *(done.problems if done else ())],
        warnings=[*people.warnings, *(done.warnings if done else ())],
    )
    return _run(work, report, jobs, progress)


def _run(work: list[_Job], report: BuildReport, jobs: int, progress: TextIO | None) -> BuildReport:
    for outcome, path, skipped in in_order(_build_one, work, jobs, progress):
        if skipped is not None:
            report.skipped.append(skipped)
        elif outcome == "written":
            report.written.append(path)
        else:
            report.unchanged.append(path)
    return report
