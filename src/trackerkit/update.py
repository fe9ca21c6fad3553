"""Bring a later learning-system export into trackers people have already filled in.

The monthly export says who completed which course when. Each tracker takes
the completions of its employee: a course becomes Completed on that day,
unless the tracker already says otherwise (a later date, Waived, Completed on
another day), which is a conflict for a person to settle; the tracker's value
stays. Nothing else changes: the tracker is written anew through the same
path as ``upgrade``, from what was read plus the merged courses, so reading it
before and after differs only in those courses.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Literal

from trackerkit import layout as lay
from trackerkit.entries import CourseEntry, Entries, Status
from trackerkit.errors import CellProblem, Problem, Severity
from trackerkit.figures import today
from trackerkit.problem_codes import Code
from trackerkit.refs import cell_ref
from trackerkit.untrusted import WorkbookError
from trackerkit.upgrade import Rebuild, output_path, rebuild_plan, write_rebuilt
from trackerkit.writer import TrackerOptions

if TYPE_CHECKING:
    import datetime as dt
    import os
    from collections.abc import Callable, Iterable, Sequence

    from trackerkit.build import Skipped
    from trackerkit.model import Catalog
    from trackerkit.reader import FilledTracker
    from trackerkit.roster import Completion, ExportFormat


@dataclass(frozen=True)
class Merged:
    """What an export's completions did to one tracker's entries."""

    entries: Entries
    completed: tuple[str, ...]
    """The courses now Completed on the export's day, in the tracker's order."""
    conflicts: tuple[CellProblem, ...]
    """A warning per course where the tracker holds something else, at the cell to check."""


def merge_completions(
    tracker: FilledTracker, completions: Iterable[Completion], plan: Rebuild, file: str = ""
) -> Merged:
    """The tracker's entries with ``completions`` (of its employee) merged in: pure.

    The latest completion of each course counts. A course becomes Completed on that
    day unless the tracker holds Waived, Completed on another day, or a later completion
    date: then a conflict names the cell (in the tracker as ``plan`` writes it) and the
    tracker's value stays. A course that must be renewed, Completed on an earlier day,
    was taken again: the export's day goes in. Target date and notes are always kept.
    ``file`` is the export's name, for the conflicts' messages.
    """
    from trackerkit.roster import latest

    newest: dict[str, Completion] = {}
    for row in completions:
        if row.course_id in tracker.courses and row.entry.status is Status.COMPLETED:
            known = newest.get(row.course_id)
            if known is None or latest(known.entry, row.entry) is row.entry:
                newest[row.course_id] = row
    courses = dict(tracker.courses)
    completed, conflicts = [], []
    cells = _cells(plan)
    renewed = {
        item.id
        for role in (plan.role, *plan.targets)
        for item in role.courses
        if item.course.renew_every_months is not None
    }
    for course_id, entry in tracker.courses.items():
        chosen = newest.get(course_id)
        day = chosen.entry.completed_on if chosen else None
        if chosen is None or day is None:
            continue
        clash = _clash(entry, day, renews=course_id in renewed)
        if clash is None:
            if entry.status is not Status.COMPLETED or entry.completed_on != day:
                courses[course_id] = replace(entry, status=Status.COMPLETED, completed_on=day)
                completed.append(course_id)
            continue
        sheet, cell = cells(course_id, clash)
        where = f" ({file}:{chosen.line})" if file else ""
        conflicts.append(
            CellProblem(
                Severity.WARNING,
                sheet,
                cell,
                f"the tracker has {_held(entry)}; the export{where} says Completed on "
                f"{day.isoformat()}; the tracker's value was kept: correct whichever is wrong",
                Code.COMPLETIONS_CONFLICT,
                field=f"courses.{clash}",
                item=course_id,
            )
        )
    entries = replace(tracker.entries, courses=MappingProxyType(courses))
    return Merged(entries, tuple(completed), tuple(conflicts))


def _clash(entry: CourseEntry, day: dt.date, *, renews: bool) -> str | None:
    """The entry attribute that keeps ``day`` out of the tracker, or None when it may go in
    (for a course that ``renews``, a later completion is the course taken again)."""
    if entry.status is Status.WAIVED:
        return "status"
    if entry.completed_on is None:
        return None
    if entry.completed_on > day:
        return "completed_on"
    if entry.status is Status.COMPLETED and entry.completed_on != day and not renews:
        return "completed_on"
    return None


def _held(entry: CourseEntry) -> str:
    status = entry.status.value if entry.status else "no status"
    if entry.completed_on is None:
        return status
    if entry.status is Status.COMPLETED:
        return f"Completed on {entry.completed_on.isoformat()}"
    return f"{status} with a completion date of {entry.completed_on.isoformat()}"


def _cells(plan: Rebuild) -> Callable[[str, str], tuple[str, str]]:
    """The sheet and cell of a course's entry attribute, as ``plan`` writes the tracker:
    the checklist's row, or the Next Role sheet's for a course only a next role requires."""
    layout = lay.layout_for(plan.role, target=plan.target, next_roles=plan.offered)
    tables = [layout.courses, *([layout.extra_courses] if layout.extra_courses else [])]

    def cell(course_id: str, key: str) -> tuple[str, str]:
        table = next(table for table in tables if course_id in table.ids)
        return table.sheet, cell_ref(table.row(course_id), table.col(key))

    return cell


@dataclass(frozen=True)
class UpdateResult:
    """What an update did with one tracker file."""

    source: Path
    target: Path
    outcome: Literal["updated", "unchanged", "skipped"]
    completed: tuple[str, ...] = ()
    """The courses the export completed, by id."""
    conflicts: tuple[CellProblem, ...] = ()
    message: str = ""
    kept: Skipped | None = None
    """Set when the file in the way was kept as someone's work (``force`` replaces it)."""

    def line(self, force: str = "force=True") -> str:
        """The line for the file; ``force`` is how the caller says "replace it anyway"."""
        if self.kept is not None:
            return self.kept.line(force)
        clashes = len(self.conflicts)
        conflicts = f", {clashes} {'conflict' if clashes == 1 else 'conflicts'}" if clashes else ""
        if self.outcome == "updated":
            count = len(self.completed)
            return (
                f"{self.source} -> {self.target}: {count} "
                f"{'course' if count == 1 else 'courses'} completed{conflicts}"
            )
        return self.message + (f" ({conflicts.removeprefix(', ')})" if conflicts else "")


@dataclass(frozen=True)
class UpdateReport:
    """What an update did: a result per tracker file, and the export's rows left out."""

    results: tuple[UpdateResult, ...]
    problems: tuple[Problem, ...] = ()
    """Rows of the export that could not be read (or the one problem with the whole file)."""
    warnings: tuple[Problem, ...] = ()
    """Rows left out that need no fix: a course outside the person's tracker, a person
    with no tracker among those updated, a status other than Completed."""

    @property
    def ok(self) -> bool:
        return not self.problems and not any(r.outcome == "skipped" for r in self.results)

    def summary(self) -> str:
        """The one line an update ends with."""
        from trackerkit.roster import left_out

        counts = {
            outcome: sum(r.outcome == outcome for r in self.results)
            for outcome in ("updated", "unchanged", "skipped")
        }
        clashes = sum(len(r.conflicts) for r in self.results)
        line = (
            f"{counts['updated']} updated, {counts['unchanged']} unchanged, "
            f"{counts['skipped']} skipped; {clashes} {'conflict' if clashes == 1 else 'conflicts'}"
        )
        return line + left_out(self.problems, "the export")


def update_trackers(
    paths: Iterable[str | os.PathLike[str]],
    completions: str | os.PathLike[str],
    out: str | os.PathLike[str],
    *,
    catalog: Catalog,
    export_format: ExportFormat | None = None,
    force: bool = False,
    options: TrackerOptions | None = None,
) -> UpdateReport:
    """Bring the completions of the export ``completions`` into every tracker of ``paths``
    (files or folders), each written to ``out`` (a folder, or one ``.xlsx`` file).

    A tracker the export brings nothing new to is left as it is (``unchanged``). Like
    ``upgrade``: a tracker with an entry that cannot be read is skipped, and a filled
    tracker in the way (updating in place) is replaced only with ``force``. A tracker
    not made from its role's current version is skipped too: upgrade it first, so the
    update changes nothing but the completed courses. ``options`` (by default the
    tracker's own generation day) are how the trackers are written.
    """
    from trackerkit.reader import read_or_failure, tracker_files
    from trackerkit.roster import FILE_CODES, read_export

    export = read_export(completions, catalog, export_format)
    files = tracker_files(paths)
    if any(problem.code in FILE_CODES | {Code.COMPLETIONS_COLUMN} for problem in export.problems):
        return UpdateReport((), export.problems)
    read = [(Path(file), read_or_failure(file, catalog)) for file in files]
    people: dict[str, list[FilledTracker]] = {}
    for _, tracker in read:
        if not isinstance(tracker, WorkbookError) and tracker.employee.employee_id.strip():
            people.setdefault(tracker.employee.employee_id.strip(), []).append(tracker)
    warnings = _left_out(export.file, export.rows, people)
    by_person: dict[str, list[Completion]] = {}
    for row in export.rows:
        by_person.setdefault(row.employee_id, []).append(row)
    run = _Run(by_person, export.file, out, catalog, force, options)
    results = tuple(_update_one(run, source, tracker) for source, tracker in read)
    return UpdateReport(results, export.problems, warnings)


def _left_out(
    file: str, rows: Sequence[Completion], people: dict[str, list[FilledTracker]]
) -> tuple[Problem, ...]:
    """A warning for each row no tracker takes, in the export's order."""
    from trackerkit.roster import outside_role

    warnings = []
    for row in rows:
        trackers = people.get(row.employee_id)
        if row.entry.status is not Status.COMPLETED:
            status = row.entry.status.value if row.entry.status else ""
            message = (
                f"the status is {status}; an update brings in completions only, so the row "
                "was left out"
            )
            warnings.append(
                Problem(file, row.line, None, "status", message, Code.COMPLETIONS_NOT_COMPLETED)
            )
        elif not trackers:
            message = (
                f"{row.employee_id!r}: none of the trackers updated is theirs (by the Employee "
                "ID on Start Here); the row was left out"
            )
            warnings.append(
                Problem(file, row.line, None, "employee_id", message, Code.COMPLETIONS_NO_TRACKER)
            )
        elif not any(row.course_id in tracker.courses for tracker in trackers):
            roles = " or ".join(sorted({tracker.role.id for tracker in trackers}))
            warnings.append(outside_role(file, row, f"a course of {roles}"))
    return tuple(warnings)


@dataclass(frozen=True)
class _Run:
    """What every tracker of one update is updated with."""

    by_person: dict[str, list[Completion]]
    file: str
    out: str | os.PathLike[str]
    catalog: Catalog
    force: bool
    options: TrackerOptions | None


def _update_one(run: _Run, source: Path, tracker: FilledTracker | WorkbookError) -> UpdateResult:
    target = output_path(source, run.out)
    if isinstance(tracker, WorkbookError):
        return UpdateResult(source, target, "skipped", message=str(tracker))
    plan = rebuild_plan(tracker, run.catalog, source, "update")
    if isinstance(plan, str):
        return UpdateResult(source, target, "skipped", message=plan)
    if not plan.current:
        message = (
            f"{source}: made from an earlier version of {plan.role.id} (or of its next roles, or "
            "of trackerkit); upgrade it first (trackerkit upgrade), then update it"
        )
        return UpdateResult(source, target, "skipped", message=message)
    rows = run.by_person.get(tracker.employee.employee_id.strip(), [])
    merged = merge_completions(tracker, rows, plan, run.file)
    if not merged.completed:
        why = "nothing new in the export" if rows else "the export has nothing for it"
        if not tracker.employee.employee_id.strip():
            why = "no Employee ID on Start Here to find it in the export by"
        message = f"{source}: {why}; left as it is"
        return UpdateResult(
            source, target, "unchanged", conflicts=merged.conflicts, message=message
        )
    written = run.options or TrackerOptions(generated_on=tracker.generated_on, as_of=today())
    failed = write_rebuilt(plan, merged.entries, source, target, force=run.force, options=written)
    if failed is not None:
        return UpdateResult(source, target, "skipped", message=failed.reason, kept=failed.kept)
    return UpdateResult(source, target, "updated", merged.completed, merged.conflicts)
