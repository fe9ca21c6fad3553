"""Carry a filled tracker into the current version of its role, losing nothing.

Roles change every year; people should not start over. Every entry is carried
by course, competency or certification id: statuses, dates, notes, ratings,
evidence, certification dates, the employee fields and the whole discussion.
An entry whose course, competency or certification left the role goes to the
tracker's "Archived entries" sheet, and comes back if a later version lists it
again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal, TypeVar

from trackerkit.entries import (
    Archive,
    CertificationEntry,
    CompetencyEntry,
    CourseEntry,
    Entries,
)
from trackerkit.layout import FORMAT_VERSION, extra_competencies, extra_courses, next_roles_of
from trackerkit.model import role_digest
from trackerkit.untrusted import WorkbookError
from trackerkit.writer import TrackerError, TrackerOptions, tracker_bytes

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Mapping, Sequence

    from trackerkit.build import Skipped
    from trackerkit.model import Catalog, Role
    from trackerkit.reader import FilledTracker

_BLANK_COURSE, _BLANK_COMPETENCY = CourseEntry(), CompetencyEntry()
_BLANK_CERTIFICATION = CertificationEntry()
E = TypeVar("E", CourseEntry, CompetencyEntry, CertificationEntry)


@dataclass(frozen=True)
class Carried:
    """What an upgrade did with a tracker's entries."""

    carried: int
    """Entries (non-blank) now in the new tracker's rows, own courses included."""
    archived: int
    """Entries kept on the archive sheet: their course, competency or certification left the
    role."""
    added: int
    """Courses and competencies the role has now that the old tracker had no row for."""


def carry(
    tracker: FilledTracker, role: Role, targets: tuple[Role, ...] = ()
) -> tuple[Entries, Carried]:
    """The entries of ``tracker`` laid out for ``role`` (and, on the Next Role sheet, for
    what only its next roles ``targets`` have): pure, nothing read or written."""
    old = tracker.entries
    more_courses = extra_courses(role, targets)
    more_competencies = extra_competencies(role, targets)
    courses, archived_courses, carried_courses = _split(
        {**old.archive.courses, **_filled(old.courses, _BLANK_COURSE)},
        {item.id for item in role.courses} | set(more_courses),
    )
    competencies, archived_competencies, carried_competencies = _split(
        {**old.archive.competencies, **_filled(old.competencies, _BLANK_COMPETENCY)},
        {item.id for item in role.competencies} | set(more_competencies),
    )
    certifications, archived_certifications, carried_certifications = _split(
        {**old.archive.certifications, **_filled(old.certifications, _BLANK_CERTIFICATION)},
        {item.id for item in role.certifications},
    )
    known = {*old.courses, *old.archive.courses, *old.competencies, *old.archive.competencies}
    ids = [
        *(item.id for item in role.courses),
        *(item.id for item in role.competencies),
        *more_courses,
        *more_competencies,
    ]
    added = sum(item_id not in known for item_id in ids)
    entries = Entries(
        employee=old.employee,
        discussion=old.discussion,
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(competencies),
        archive=Archive(
            MappingProxyType(archived_courses),
            MappingProxyType(archived_competencies),
            MappingProxyType(archived_certifications),
        ),
        certifications=MappingProxyType(certifications),
        own_courses=old.own_courses,  # the person's own: no role version changes them
    )
    counts = Carried(
        carried=carried_courses
        + carried_competencies
        + carried_certifications
        + len(old.own_courses),
        archived=len(archived_courses) + len(archived_competencies) + len(archived_certifications),
        added=added,
    )
    return entries, counts


def _filled(entries: Mapping[str, E], blank: E) -> dict[str, E]:
    """The entries someone filled in: a blank row carries nothing."""
    return {key: entry for key, entry in entries.items() if entry != blank}


def _split(entries: Mapping[str, E], ids: set[str]) -> tuple[dict[str, E], dict[str, E], int]:
    """(entries the role has a row for, entries to archive, how many were carried)."""
    kept = {key: entry for key, entry in entries.items() if key in ids}
    gone = {key: entry for key, entry in entries.items() if key not in ids}
    return kept, gone, len(kept)


@dataclass(frozen=True)
class UpgradeResult:
    source: Path
    target: Path
    outcome: Literal["upgraded", "current", "skipped"]
    counts: Carried | None = None
    message: str = ""
    kept: Skipped | None = None
    """Set when the file in the way was kept as someone's work (``force`` replaces it)."""

    def line(self, force: str = "force=True") -> str:
        """The line for the file; ``force`` is how the caller says "replace it anyway"."""
        if self.kept is not None:
            return self.kept.line(force)
        if self.outcome == "upgraded" and self.counts is not None:
            c = self.counts
            return (
                f"{self.source} -> {self.target}: {c.carried} carried, {c.archived} archived, "
                f"{c.added} added"
            )
        return self.message


def upgrade_tracker(
    path: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    catalog: Catalog,
    force: bool = False,
    options: TrackerOptions | None = None,
) -> UpgradeResult:
    """Write the tracker at ``path`` anew from its role's current definition, to ``out``.

    ``out`` is a file, or a folder to write a file of the same name into (ending in
    ``.xlsx``: a tracker saved as ``.xlsm`` comes back without macros, so not under a
    name that promises them). A tracker already made from the current role is left as
    it is unless ``force``; one with errors is skipped, since an unreadable entry cannot
    be carried.
    """
    from trackerkit.reader import read_tracker

    source = Path(path)
    target = output_path(source, out)
    try:
        tracker = read_tracker(source, catalog=catalog)
    except WorkbookError as error:
        return UpgradeResult(source, target, "skipped", message=str(error))
    plan = rebuild_plan(tracker, catalog, source, "upgrade")
    if isinstance(plan, str):
        return UpgradeResult(source, target, "skipped", message=plan)
    if plan.current and not force:
        role = plan.role
        return UpgradeResult(
            source,
            target,
            "current",
            message=f"{source}: already made from {role.id} {role.version}; left as it is",
        )
    entries, counts = carry(tracker, plan.role, plan.targets)
    failed = write_rebuilt(plan, entries, source, target, force=force, options=options)
    if failed is not None:
        return UpgradeResult(source, target, "skipped", message=failed.reason, kept=failed.kept)
    return UpgradeResult(source, target, "upgraded", counts)


def output_path(source: Path, out: str | os.PathLike[str]) -> Path:
    """Where the tracker ``source`` is written to: ``out`` when it is a ``.xlsx`` name,
    else a file of the same name (ending in ``.xlsx``) in the folder ``out``."""
    target = Path(out)
    if target.suffix.lower() != ".xlsx":
        target = target / Path(source.name).with_suffix(".xlsx")
    return target


@dataclass(frozen=True)
class Rebuild:
    """What a read tracker is written anew with: its role as the roles have it now, the
    target role it was made with, and the next roles its dropdown offers."""

    role: Role
    target: Role | None
    offered: tuple[Role, ...]
    targets: tuple[Role, ...]
    """The roles of the Next Role sheet: ``offered``, and a target beyond them."""
    current: bool
    """Whether the tracker was made from exactly these roles: a rebuild moves no row."""


def rebuild_plan(
    tracker: FilledTracker, catalog: Catalog, source: Path, verb: str
) -> Rebuild | str:
    """How to write ``tracker`` anew, or the line saying why it cannot be: its role is not
    in the roles, or an entry cannot be read (and so cannot be carried). ``verb`` is what
    was not done (``upgrade``)."""
    role = catalog.roles.get(tracker.role.id)
    if role is None:
        return f"{source}: the roles have no role {tracker.role.id!r}; it was left as it is"
    if tracker.errors:
        count = len(tracker.errors)
        return (
            f"{source}: {count} {'entry' if count == 1 else 'entries'} cannot be read, "
            f"so it was not {verb}d; fix what 'trackerkit read' lists, then {verb} again"
        )
    next_role = catalog.roles.get(tracker.role.target) if tracker.role.target else None
    offered = catalog.next_roles(role)
    targets = next_roles_of(offered, next_role)
    target_current = (
        next_role is None or tracker.role.target_hash == role_digest(next_role)
    ) and tracker.role.next_roles == tuple(item.id for item in targets)
    layout_current = tracker.format_version == FORMAT_VERSION
    current = tracker.role.hash == role_digest(role) and target_current and layout_current
    return Rebuild(role, next_role, offered, targets, current)


@dataclass(frozen=True)
class _Failed:
    reason: str
    kept: Skipped | None = None


def write_rebuilt(
    plan: Rebuild,
    entries: Entries,
    source: Path,
    target: Path,
    *,
    force: bool,
    options: TrackerOptions | None,
) -> _Failed | None:
    """Write the tracker ``plan`` describes, holding ``entries``, to ``target`` (atomically;
    a filled tracker in the way only with ``force``); None once written."""
    from trackerkit.build import KeptError, write_file

    try:
        data = tracker_bytes(
            plan.role, entries, options, target=plan.target, next_roles=plan.offered
        )
        write_file(target, data, force=force)
    except KeptError as error:
        return _Failed(str(error), error.skipped)
    except TrackerError as error:
        return _Failed(f"{source}: {error}")
    except OSError as error:
        return _Failed(f"{target}: could not be written ({error.strerror or error})")
    return None


def upgrade_trackers(
    paths: Iterable[str | os.PathLike[str]],
    out_dir: str | os.PathLike[str],
    *,
    catalog: Catalog,
    force: bool = False,
    options: TrackerOptions | None = None,
) -> Sequence[UpgradeResult]:
    """Upgrade every tracker of ``paths`` (files or folders) into ``out_dir``."""
    from trackerkit.reader import tracker_files

    return [
        upgrade_tracker(file, out_dir, catalog=catalog, force=force, options=options)
        for file in tracker_files(paths)
    ]
