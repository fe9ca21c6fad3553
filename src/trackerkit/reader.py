"""Read a filled-in tracker back into data, finding every input through the layout.

Inputs are found by their defined names and each row by its course or
competency id, so a sorted, filtered or row-inserted tracker reads the same;
when the names are gone (a Google Sheets export drops them) the headers and
labels the layout declares are the fallback. Every cell goes through its
kind's codec, and everything odd becomes a :class:`CellProblem` naming its
cell: reading collects them all instead of stopping at the first. Cached
formula results are never read; figures are recomputed by the Python twins.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

from trackerkit import layout as lay
from trackerkit import refs
from trackerkit.codecs import CODECS, CellError, Context, Decoded, decode_text, shown
from trackerkit.entries import (
    BLANK_STATUS,
    Archive,
    CertificationEntry,
    CompetencyEntry,
    CourseEntry,
    Discussion,
    Employee,
    Entries,
    NextStep,
    OwnCourse,
    certification_inconsistencies,
    course_inconsistencies,
)
from trackerkit.errors import CellProblem, Severity
from trackerkit.figures import Readiness, chosen_target, compute, readiness, today
from trackerkit.model import Role, role_digest
from trackerkit.problem_codes import Code
from trackerkit.refs import column_letters, column_number, parse_area
from trackerkit.untrusted import WorkbookError
from trackerkit.workbook_cells import read_cells

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from trackerkit.figures import Figures
    from trackerkit.model import Catalog
    from trackerkit.refs import Area
    from trackerkit.untrusted import Limits, WorkbookSource
    from trackerkit.workbook_cells import Cell, SheetCells, WorkbookCells

OPTIONAL_SHEETS = frozenset({lay.ARCHIVE, lay.NEXT_ROLE, lay.CERTIFICATIONS})
"""The sheets only some trackers have (by their role, or what they carry)."""
READ_SHEETS = frozenset(lay.SHEETS) - {lay.LISTS} | OPTIONAL_SHEETS
"""Everything reading needs: the hidden lists only feed the dropdowns."""
REQUIRED_SHEETS = READ_SHEETS - OPTIONAL_SHEETS
_ARCHIVE = lay.archive_tables(("?",), ("?",), ("?",))
_EXTRA = lay.extra_tables((), ("?",), ("?",), 0)
"""The Next Role sheet's input tables as the reader looks for them, whatever the target."""
_ARCHIVE_TABLES = tuple(table for table in _ARCHIVE if table is not None)
"""The archive's tables as the reader looks for them, in the sheet's order (courses,
competencies, certifications): their columns; the rows come from the file."""
_CERTIFICATIONS = lay.certifications_table()
"""The Certifications sheet's table as the reader looks for it: its columns."""
_AFTER_COVERAGE = lay.SHEETS.index(lay.COVERAGE) + 1
_SHEET_ORDER = (*lay.SHEETS[:_AFTER_COVERAGE], lay.CERTIFICATIONS, *lay.SHEETS[_AFTER_COVERAGE:])
"""The order problems are listed in, sheet by sheet, as the sheets stand in a tracker."""
HEADER_SLACK = 16
"""Columns beyond a table's own width searched for its headers, for inserted columns."""
_PLAIN = Context()
_VERSION = re.compile(r"[0-9]{1,6}")
MAX_LABEL = 200
"""Labels are short; longer texts are entries, and not indexed as possible labels."""
_META_KEY = column_letters(lay.METADATA_KEY_COL + 1)
_META_VALUE = column_letters(lay.METADATA_VALUE_COL + 1)


@dataclass(frozen=True)
class RoleRef:
    """The role a tracker was made from, as its metadata sheet records it."""

    id: str
    version: str
    title: str
    hash: str
    target: str = ""
    """The target role's id, when the tracker was made with one (a roster's)."""
    target_hash: str = ""
    next_roles: tuple[str, ...] = ()
    """The ids of the next roles its Target role dropdown offers (its Next Role sheet)."""


@dataclass(frozen=True)
class FilledTracker:
    """Everything read from one tracker, and every problem met on the way."""

    file: str
    format_version: int
    role: RoleRef
    entries: Entries
    problems: tuple[CellProblem, ...] = ()
    competency_rows: Mapping[str, int] = field(default_factory=dict)
    """The sheet row (1-based) each competency was found in: the sheet's formulas break ties
    between equal gaps by row, so the twins must see the rows as they are after a sort."""
    generated_on: dt.date | None = None
    """The day the tracker was made, as its metadata records it; None when it records none.
    The team report keeps the more recent of two trackers of one person by it."""
    readiness: Readiness | None = None
    """How ready the person is for the target role, when the tracker has one the roles know."""
    as_of: dt.date | None = None
    """The day the tracker was read as of: renewals due and readiness count from it."""

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        # competency_rows is a mapping proxy, which does not pickle: travel as a dict.
        parts = (self.file, self.format_version, self.role, self.entries, self.problems)
        return _filled_tracker, (
            parts,
            dict(self.competency_rows),
            self.generated_on,
            self.readiness,
            self.as_of,
        )

    @property
    def employee(self) -> Employee:
        return self.entries.employee

    @property
    def courses(self) -> Mapping[str, CourseEntry]:
        return self.entries.courses

    @property
    def competencies(self) -> Mapping[str, CompetencyEntry]:
        return self.entries.competencies

    @property
    def discussion(self) -> Discussion:
        return self.entries.discussion

    @property
    def own_courses(self) -> tuple[OwnCourse, ...]:
        """The person's own courses (the "Your own courses" rows with a title)."""
        return self.entries.own_courses

    @property
    def errors(self) -> tuple[CellProblem, ...]:
        return tuple(p for p in self.problems if p.severity is Severity.ERROR)

    def figures(self, role: Role, as_of: dt.date | None = None) -> Figures:
        """The tracker's derived figures, computed from what was entered (never from the file),
        on ``as_of`` (default: the day it was read as of, else today)."""
        day = as_of or self.as_of or today()
        table = lay.layout_for(role).competencies
        rows = {item: self.competency_rows.get(item, table.row(item) + 1) for item in table.ids}
        return compute(role, self.entries, day, rows)

    def to_dict(self) -> dict[str, Any]:
        """The tracker as JSON-ready data; ``schemas/filled-tracker.schema.json`` describes it."""
        employee = self.employee
        discussion = self.discussion
        return {
            "file": self.file,
            "format_version": self.format_version,
            "role": {"id": self.role.id, "version": self.role.version, "title": self.role.title},
            "employee": {
                "name": employee.name,
                "employee_id": employee.employee_id,
                "manager": employee.manager,
                "location": employee.location,
                "current_role": employee.current_role,
                "target_role": employee.target_role,
                "start_date": _iso(employee.start_date),
            },
            "courses": [_course_dict(key, entry) for key, entry in self.courses.items()],
            "competencies": [
                _competency_dict(key, entry) for key, entry in self.competencies.items()
            ],
            "discussion": {
                **{key: getattr(discussion, key) for key, _, _ in lay.NOTE_FIELDS},
                "meeting_date": _iso(discussion.meeting_date),
                "next_steps": [
                    {
                        "action": step.action,
                        "owner": step.owner,
                        "due": _iso(step.due),
                        "status": None if step.status is None else step.status.value,
                    }
                    for step in discussion.next_steps
                ],
            },
            "certifications": [
                _certification_dict(key, entry)
                for key, entry in self.entries.certifications.items()
            ],
            "own_courses": [_own_course_dict(course) for course in self.entries.own_courses],
            "readiness": None if self.readiness is None else self.readiness.to_dict(),
            "problems": [problem.to_dict() for problem in self.problems],
            **({"archived": self._archived()} if self.entries.archive else {}),
        }

    def _archived(self) -> dict[str, Any]:
        archive = self.entries.archive
        return {
            "courses": [_course_dict(key, entry) for key, entry in archive.courses.items()],
            "competencies": [
                _competency_dict(key, entry) for key, entry in archive.competencies.items()
            ],
            "certifications": [
                _certification_dict(key, entry) for key, entry in archive.certifications.items()
            ],
        }


def _filled_tracker(
    fields: tuple[str, int, RoleRef, Entries, tuple[CellProblem, ...]],
    rows: dict[str, int],
    generated_on: dt.date | None = None,
    ready: Readiness | None = None,
    as_of: dt.date | None = None,
) -> FilledTracker:
    return FilledTracker(*fields, MappingProxyType(rows), generated_on, ready, as_of)


def _course_dict(course_id: str, entry: CourseEntry) -> dict[str, Any]:
    return {
        "id": course_id,
        "status": None if entry.status is None else entry.status.value,
        "target_date": _iso(entry.target_date),
        "completed_on": _iso(entry.completed_on),
        "notes": entry.notes,
    }


def _certification_dict(certification_id: str, entry: CertificationEntry) -> dict[str, Any]:
    return {
        "id": certification_id,
        "obtained_on": _iso(entry.obtained_on),
        "expires_on": _iso(entry.expires_on),
    }


def _own_course_dict(course: OwnCourse) -> dict[str, Any]:
    return {
        "id": course.id,
        "title": course.title,
        "provider": course.provider,
        "hours": course.hours,
        "status": None if course.status is None else course.status.value,
        "target_date": _iso(course.target_date),
        "completed_on": _iso(course.completed_on),
        "notes": course.notes,
    }


def _competency_dict(competency_id: str, entry: CompetencyEntry) -> dict[str, Any]:
    return {
        "id": competency_id,
        "self_rating": entry.self_rating,
        "manager_rating": entry.manager_rating,
        "evidence": entry.evidence,
    }


def _iso(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


@cache
def _bundled_catalog() -> Catalog:
    from trackerkit.catalog import load_catalog

    return load_catalog()


def read_tracker(
    source: WorkbookSource,
    *,
    catalog: Catalog | None = None,
    limits: Limits | None = None,
    name: str | None = None,
    as_of: dt.date | None = None,
) -> FilledTracker:
    """Read a tracker against the roles of ``catalog`` (default: the bundled ones), as of the
    day ``as_of`` (default: today): readiness counts renewals due from it, and a completion
    date after it is a warning.

    ``source`` is the file's path, its content as ``bytes``, or a binary file
    object (an upload: it is read to its end and need not be seekable); the
    same limits hold for each. ``name`` is what messages and the result's
    ``file`` call it: by default the path, the file object's ``name``, or
    ``<upload>``. Raises :class:`~trackerkit.WorkbookError` when the file
    cannot be read at all (not a workbook, damaged, hostile, not a tracker, or
    from a newer trackerkit); everything else is reported in the result's ``problems``.
    """
    chosen = catalog if catalog is not None else _bundled_catalog()
    with _collector_paused():
        return _read(source, chosen, limits, name, as_of or today())


def _read(
    source: WorkbookSource,
    catalog: Catalog,
    limits: Limits | None,
    name: str | None = None,
    as_of: dt.date | None = None,
) -> FilledTracker:
    # The parsed parts are never held in a name, so they are freed as soon as the result
    # is made, before the collector is back: it then has only the result to look at.
    cells = read_cells(source, READ_SHEETS, limits, name=name)
    return _TrackerReader(cells, catalog, as_of or today()).read()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off Python's cycle collector during one read, which makes no cycles to collect.

    A read allocates some ten thousand XML elements that live until it ends; with the
    collector on, every 700 of them start a collection that scans them and moves them
    into the older generations, whose collections then scan the whole heap again.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass
class _Found:
    """Where one table sits in a sheet, as found in the file."""

    header_row: int
    columns: dict[str, str] = field(default_factory=dict)
    """Column key to column letters."""


@dataclass(frozen=True)
class _TableRead:
    """One table to read: where it is declared, what its rows are, and where they end."""

    table: lay.Table
    noun: str
    """What a row holds, for messages: course or competency."""
    section: str
    """The rows' place in the output, such as ``courses`` or ``archived.courses``."""
    expected: Mapping[str, str] | None
    """The role's ids and titles, when the rows are checked against the role."""
    end_row: int | None = None
    """Rows from here on belong to something else (the next table)."""
    required: bool = True
    """A table that is not required may be absent without a problem."""


@dataclass(frozen=True)
class _Placed:
    """A found table's columns: the inputs read, and the formulas checked, by letters."""

    header_row: int
    id_letters: str
    keys: tuple[str, ...]
    fields: tuple[str, ...]
    """Each input's place in the output, such as ``courses.status``."""
    kinds: tuple[lay.Kind, ...]
    letters: tuple[str, ...]
    formulas: tuple[tuple[str, str], ...]
    """Each formula column's letters and header."""


@dataclass
class _Rows:
    """A table's rows as read so far."""

    values: dict[str, dict[str, Decoded]] = field(default_factory=dict)
    """Each row's decoded inputs by row id."""
    first: dict[str, int] = field(default_factory=dict)
    """The sheet row each id was first found in."""
    cells: dict[str, dict[str, str]] = field(default_factory=dict)
    """Each row's input cells (A1) by the entry attribute they hold."""


class _TrackerReader:
    def __init__(self, cells: WorkbookCells, catalog: Catalog, as_of: dt.date) -> None:
        self.cells = cells
        self.catalog = catalog
        self.as_of = as_of
        self.problems: list[CellProblem] = []
        self.by_header = False
        self.context = Context(date1904=cells.date1904)
        self.names: dict[str, str | None] = {}
        self.label_index: dict[str, dict[str, list[tuple[int, str]]]] = {}

    def problem(
        self,
        code: Code,
        severity: Severity,
        sheet: str | None,
        cell: str | None,
        message: str,
        *,
        field: str | None = None,
        item: str | None = None,
        typed: str | None = None,
    ) -> None:
        self.problems.append(CellProblem(severity, sheet, cell, message, code, field, item, typed))

    def sheet(self, name: str) -> SheetCells | None:
        return self.cells.cells.get(name)

    def _lost(self, sheet: str, code: Code, message: str) -> None:
        """An error for a part of a sheet that cannot be found, unless the whole sheet is gone
        (which is reported once, for the sheet)."""
        if sheet in self.cells.sheets:
            self.problem(code, Severity.ERROR, sheet, None, message)

    # --- the whole file -------------------------------------------------------------------

    def read(self) -> FilledTracker:
        meta = self._metadata()
        role_ref = _role_ref(meta)
        role = self._role(role_ref)
        target = self.catalog.roles.get(role_ref.target) if role and role_ref.target else None
        offered = tuple(
            self.catalog.roles[i] for i in role_ref.next_roles if i in self.catalog.roles
        )
        targets = lay.next_roles_of(offered if role else (), target)
        facts = _role_facts(role or _NO_ROLE, targets)
        self._prepare(facts, role)
        if not role_ref.title:
            role_ref = replace(role_ref, title=self._title())
        strict = role is not None and facts.digest == role_ref.hash
        if strict and int(meta["format_version"]) >= lay.CERTIFICATIONS_FORMAT:
            self._require_certifications(facts.layout)
        entries, competency_rows = self._entries(facts, strict=strict)
        chosen = chosen_target(targets, entries.employee.target_role)
        return FilledTracker(
            readiness=readiness(role, chosen, entries, self.as_of) if role and chosen else None,
            file=self.cells.file,
            format_version=int(meta["format_version"]),  # checked by _metadata
            role=role_ref,
            entries=entries,
            problems=tuple(sorted(self.problems, key=self._order)),
            competency_rows=MappingProxyType(competency_rows),
            generated_on=_day_of(meta.get("generated_on", "")),
            as_of=self.as_of,
        )

    def _require_certifications(self, layout: lay.Layout) -> None:
        """A tracker made with a Certifications sheet must still have it when its role lists
        certifications (one of format 1 never had it, and reads without their dates)."""
        name = lay.CERTIFICATIONS
        if layout.certifications is not None and name not in self.cells.sheets:
            code, message = self._missing_sheet(name, layout)
            self.problem(code, Severity.ERROR, name, None, message)

    def _prepare(self, facts: _RoleFacts, role: Role | None) -> None:
        """Missing sheets, the decoding context and the defined names reading looks up."""
        for name in REQUIRED_SHEETS - set(self.cells.sheets):
            code, message = self._missing_sheet(name, facts.layout)
            self.problem(code, Severity.ERROR, name, None, message)
        scale = tuple(level.name for level in (role.scale if role else self.catalog.scale))
        self.context = Context(date1904=self.cells.date1904, scale=scale)
        defined = self.cells.defined_names
        self.names = {name: defined.get(name) for name in facts.wanted_names}
        if not any(self.names.get(name) for name in lay.INPUT_NAMES):
            self.by_header = True
            self.problem(
                Code.NAMES_LOST,
                Severity.WARNING,
                None,
                None,
                "the workbook has lost its defined names (as a Google Sheets export does); "
                "its inputs were found by their headers and labels instead",
            )

    def _entries(self, facts: _RoleFacts, *, strict: bool) -> tuple[Entries, dict[str, int]]:
        """Every input of the tracker, and the row each competency was found in."""
        layout = facts.layout
        employee_values = self._fields(lay.START, layout.employee)
        self._check_formula_fields(lay.START, layout.dashboard)
        self._check_formula_fields(lay.CHECKLIST, layout.checklist_totals)
        self._check_formula_fields(lay.DISCUSSION, layout.discussion_summary)
        notes = self._fields(lay.DISCUSSION, layout.discussion_notes)
        own = self._own_table(layout.own_courses)
        end = None if own is None else own.header_row - 2  # at the own courses' heading
        courses = self._table(
            _TableRead(layout.courses, "course", "courses", facts.courses if strict else None, end)
        )
        competencies = self._table(
            _TableRead(
                layout.competencies,
                "competency",
                "competencies",
                facts.competencies if strict else None,
            )
        )
        extra_courses, extra_competencies = self._extras(facts if strict else None)
        certifications = self._certification_rows(facts if strict else None)
        entries = Entries(
            employee=Employee(**employee_values),
            discussion=Discussion(**notes, next_steps=self._next_steps(layout)),
            courses=_courses({**extra_courses.values, **courses.values}),
            competencies=_competencies({**extra_competencies.values, **competencies.values}),
            archive=self._archive(),
            certifications=_certifications(certifications.values),
            own_courses=self._own_courses(layout.own_courses, own, employee_values["start_date"]),
        )
        for rows, sheet in ((courses, layout.courses.sheet), (extra_courses, lay.NEXT_ROLE)):
            self._check_consistency(sheet, rows, entries)
        self._check_certifications(certifications, entries)
        return entries, competencies.first

    def _certification_rows(self, facts: _RoleFacts | None) -> _Rows:
        """The Certifications sheet's dates, when the tracker has the sheet; checked against
        the role's certifications when the roles know it (``facts``)."""
        if lay.CERTIFICATIONS not in self.cells.sheets:
            return _Rows()
        expected = facts.certifications if facts else None
        return self._table(
            _TableRead(_CERTIFICATIONS, "certification", "certifications", expected, required=False)
        )

    def _check_certifications(self, rows: _Rows, entries: Entries) -> None:
        """A warning at the Expires on cell of a certification that expires before it was
        obtained; a row with a date that could not be read has its own problem instead."""
        for item, cells in rows.cells.items():
            if any(decoded.severity for decoded in rows.values[item].values()):
                continue
            for found in certification_inconsistencies(entries.certification(item)):
                address = cells.get(found.field)
                if address is not None:
                    self.problem(
                        found.code,
                        Severity.WARNING,
                        lay.CERTIFICATIONS,
                        address,
                        found.message,
                        field=f"certifications.{found.field}",
                        item=item,
                    )

    def _check_consistency(self, sheet: str, rows: _Rows, entries: Entries) -> None:
        """A warning at the cell of each course's status and dates that disagree; a row with
        a value that could not be read cleanly has its own problem instead."""
        start = entries.employee.start_date
        for item, cells in rows.cells.items():
            if any(decoded.severity for decoded in rows.values[item].values()):
                continue
            self._inconsistent(sheet, entries.course(item), cells, start, field=("courses", item))

    def _inconsistent(
        self,
        sheet: str,
        entry: CourseEntry | OwnCourse,
        cells: Mapping[str, str],
        start: dt.date | None,
        *,
        field: tuple[str, str],
    ) -> None:
        """A warning at the cell (``cells``, by entry attribute) of each of a course's status
        and dates that disagree with the others; ``field`` is its section and item."""
        section, item = field
        for found in course_inconsistencies(entry, start, self.as_of):
            address = cells.get(found.field)
            if address is not None:
                self.problem(
                    found.code,
                    Severity.WARNING,
                    sheet,
                    address,
                    found.message,
                    field=f"{section}.{found.field}",
                    item=item,
                )

    def _missing_sheet(self, name: str, layout: lay.Layout) -> tuple[Code, str]:
        """Why a sheet's entries cannot be read; a renamed sheet is still pointed to by name."""
        for defined, target in layout.names.items():
            area = parse_area(target)
            moved = parse_area(self.cells.defined_names.get(defined, ""))
            if area and moved and area.sheet == name and moved.sheet in self.cells.sheets:
                return (
                    Code.SHEET_RENAMED,
                    f"the sheet was renamed '{moved.sheet}'; rename it back to '{name}'",
                )
        return (
            Code.SHEET_MISSING,
            (
                "the sheet is missing, so its entries cannot be read; "
                "copy them into a newly built tracker"
            ),
        )

    def _order(self, problem: CellProblem) -> tuple[int, int, int]:
        sheet = _SHEET_ORDER.index(problem.sheet) + 1 if problem.sheet in _SHEET_ORDER else 0
        row, col = 0, 0
        if problem.cell:
            letters = problem.cell.rstrip("0123456789")
            row, col = int(problem.cell[len(letters) :] or 0), column_number(letters)
        return sheet, row, col

    def _metadata(self) -> dict[str, str]:
        file = self.cells.file
        if lay.METADATA not in self.cells.sheets:
            raise WorkbookError(
                file,
                f"is not a trackerkit tracker (it has no '{lay.METADATA}' sheet); only trackers "
                "made by trackerkit build can be read",
            )
        meta = _metadata_values(self.cells.cells[lay.METADATA])
        version = meta.get("format_version", "")
        if not _VERSION.fullmatch(version) or not meta.get("role_id"):
            raise WorkbookError(
                file,
                f"its '{lay.METADATA}' sheet is damaged (no format version or role); "
                "copy the entries into a newly built tracker",
            )
        if int(version) < 1:
            raise WorkbookError(
                file,
                f"its '{lay.METADATA}' sheet names tracker format {version}, which no "
                "trackerkit makes; copy the entries into a newly built tracker",
            )
        if int(version) > lay.FORMAT_VERSION:
            raise WorkbookError(
                file,
                f"was made by a newer trackerkit (tracker format {version}; this one reads "
                f"format {lay.FORMAT_VERSION}); upgrade trackerkit to read it",
            )
        return meta

    def _role(self, ref: RoleRef) -> Role | None:
        role = self.catalog.roles.get(ref.id)
        if role is None:
            self.problem(
                Code.ROLE_UNKNOWN,
                Severity.WARNING,
                None,
                None,
                f"the roles have no role {ref.id!r}, so the entries were read without checking "
                "them against it; read it with the roles folder it was made from",
            )
        elif _role_facts(role).digest != ref.hash:
            made = f"version {ref.version}" if ref.version else "an unknown version"
            now = (
                f"now has version {role.version}"
                if role.version != ref.version
                else "has changed since"
            )
            self.problem(
                Code.ROLE_CHANGED,
                Severity.WARNING,
                None,
                None,
                f"the tracker was made from {made} of {ref.id}, which {now}; its entries "
                "were read as the tracker has them, without checking them against the role",
            )
        return role

    def _title(self) -> str:
        found = self._field_cell(lay.START, lay.ROLE_TITLE)
        if found is None:
            return ""
        return str(decode_text(found[1].value if found[1] else None, self.context).value)

    # --- labelled fields ------------------------------------------------------------------

    def _field_cell(self, sheet: str, item: lay.Field) -> tuple[str, Cell | None] | None:
        """The A1 address and cell of a labelled field, by its name or else by its label."""
        cells = self.sheet(sheet)
        if cells is None:
            return None
        area = self._area(item.name, sheet)
        if area is not None and area.is_cell:
            address = f"{column_letters(area.first_col)}{area.first_row}"
            return address, cells.get(address)
        labels = self._labels(sheet, cells).get(item.label, [])
        if not labels:
            return None
        # An entry may read like a label ("Manager" as a name): prefer the layout's label column.
        label_column = column_letters(item.col)
        row, letters = min(
            labels, key=lambda at: (at[1] != label_column, abs(at[0] - (item.row + 1)))
        )
        address = f"{column_letters(column_number(letters) + 1)}{row}"
        return address, cells.get(address)

    def _labels(self, sheet: str, cells: SheetCells) -> dict[str, list[tuple[int, str]]]:
        """Where each text of a sheet stands, found once: labels are looked up by text."""
        if sheet not in self.label_index:
            index: dict[str, list[tuple[int, str]]] = {}
            for row, letters, cell in cells.cells():
                if isinstance(cell.value, str) and len(cell.value) <= MAX_LABEL:
                    index.setdefault(cell.value.strip(), []).append((row, letters))
            self.label_index[sheet] = index
        return self.label_index[sheet]

    def _area(self, name: str | None, sheet: str) -> Area | None:
        text = self.names.get(name) if name else None
        if not text:
            return None
        area = parse_area(text)
        if area is None or area.sheet != sheet:
            self.problem(
                Code.NAME_MISPLACED,
                Severity.WARNING,
                sheet,
                None,
                f"the defined name {name} no longer points to one range of this sheet "
                f"({shown(text)}); its cells were found by their header or label instead",
            )
            return None
        return area

    def _fields(self, sheet: str, fields: Iterable[lay.Field]) -> dict[str, Any]:
        """Each labelled field's value, by the entry attribute the layout says it holds."""
        values: dict[str, Any] = {}
        for item in fields:
            where = _entry_of(item.entry)
            key = where.rsplit(".", 1)[-1]
            found = self._field_cell(sheet, item)
            if found is None:
                self._lost(
                    sheet,
                    Code.FIELD_MISSING,
                    f"the {item.label!r} field cannot be found; put its label back "
                    "and its value to the label's right",
                )
                values[key] = CODECS[item.kind].decode(None, self.context).value
                continue
            address, cell = found
            values[key] = self._decode(sheet, address, cell, item.kind, field=where).value
        return values

    def _decode(
        self,
        sheet: str,
        address: str,
        cell: Cell | None,
        kind: lay.Kind,
        *,
        field: str,
        item: str | None = None,
    ) -> Decoded:
        """The cell through its kind's codec; a problem keeps what the cell held."""
        raw = None if cell is None else cell.value
        # A kind is a str equal to its codec's key, so it looks the codec up itself.
        decoded = CODECS[kind].decode(raw, self.context)
        if decoded.severity is not None:
            assert decoded.code is not None  # every codec gives a problem its code
            self.problem(
                decoded.code,
                decoded.severity,
                sheet,
                address,
                decoded.message,
                field=field,
                item=item,
                typed=_typed(raw),
            )
        elif cell is not None and cell.formula:
            self.problem(
                Code.INPUT_FORMULA,
                Severity.WARNING,
                sheet,
                address,
                "the cell holds a formula, so its last result was read; type the value "
                "itself so that it stays as entered",
                field=field,
                item=item,
            )
        return decoded

    def _check_formula_fields(self, sheet: str, fields: Iterable[lay.Field]) -> None:
        cells = self.sheet(sheet)
        if cells is None:
            return
        for item in fields:
            found = self._field_cell(sheet, item)
            if found is not None:
                formula = cells.formula(found[0])
                if not formula:
                    self._formula_lost(sheet, found[0], formula, item.label)

    def _formula_lost(self, sheet: str, address: str, formula: bool | None, label: str) -> None:
        """A formula cell that was ``formula``: False when typed over, None when cleared."""
        typed = "cleared" if formula is None else "typed over"
        self.problem(
            Code.FORMULA_LOST,
            Severity.WARNING,
            sheet,
            address,
            f"the {label} formula was {typed}, so the sheet no longer updates it "
            "(trackerkit recomputes it); rebuild the tracker to restore it",
        )

    # --- finding tables -------------------------------------------------------------------

    def _locate(
        self, table: lay.Table, search: Callable[[SheetCells], int | None] | None = None
    ) -> _Found | None:
        """The table's header row and columns: from the defined names, else from the headers
        (the header row found by ``search`` when a table shares its headers with another)."""
        cells = self.sheet(table.sheet)
        if cells is None:
            return None
        by_name = self._columns_by_name(table)
        if by_name:
            header = Counter(first - 1 for _, first in by_name.values()).most_common(1)[0][0]
            found = _Found(header, {k: column_letters(c) for k, (c, _) in by_name.items()})
        else:
            searched = (search or partial(_header_row, table=table))(cells)
            if searched is None:
                return None
            found = _Found(searched)
        if len(found.columns) < len(table.columns):
            self._find_by_header(cells, table, found)
        return found

    def _columns_by_name(self, table: lay.Table) -> dict[str, tuple[int, int]]:
        """Each column a defined name still points to: its column and first row."""
        by_name: dict[str, tuple[int, int]] = {}
        for column in table.columns:
            area = self._area(column.name, table.sheet)
            if area is not None and area.is_column_span:
                by_name[column.key] = (area.first_col, area.first_row)
            elif area is not None:
                self.problem(
                    Code.NAME_MISPLACED,
                    Severity.WARNING,
                    table.sheet,
                    None,
                    f"the defined name {column.name} spans several columns; the "
                    f"{column.header!r} column was found by its header instead",
                )
        return by_name

    def _find_by_header(self, cells: SheetCells, table: lay.Table, found: _Found) -> None:
        """Place columns by their header text: where the layout puts them first, then anywhere."""
        placed = found.columns
        shifts = Counter(
            column_number(placed[column.key]) - (index + 1)
            for index, column in enumerate(table.columns)
            if column.key in placed
        )
        shift = shifts.most_common(1)[0][0] if shifts else 0
        headers: dict[str, str] | None = None
        missing = [(i, c) for i, c in enumerate(table.columns) if c.key not in placed]
        for index, column in missing:
            letters = column_letters(index + 1 + shift)
            if _is_header(cells.get(f"{letters}{found.header_row}"), column.header):
                found.columns[column.key] = letters
                continue
            if headers is None:
                headers = _headers(cells, found.header_row, len(table.columns) + HEADER_SLACK)
            if column.header.casefold() in headers:
                found.columns[column.key] = headers[column.header.casefold()]

    def _placed(self, table: lay.Table, found: _Found, section: str) -> _Placed:
        """The found columns to read and check; an input column not found is an error."""
        columns = found.columns
        inputs = [c for c in table.columns if c.kind.is_input]
        for column in inputs:
            if column.key not in columns:
                self.problem(
                    Code.COLUMN_MISSING,
                    Severity.ERROR,
                    table.sheet,
                    None,
                    f"the {column.header!r} column cannot be found; put its header back "
                    "above its cells",
                )
        placed = [column for column in inputs if column.key in columns]
        return _Placed(
            header_row=found.header_row,
            id_letters=columns["id"],
            keys=tuple(_entry_of(column.entry) for column in placed),
            fields=tuple(f"{section}.{_entry_of(column.entry)}" for column in placed),
            kinds=tuple(column.kind for column in placed),
            letters=tuple(columns[column.key] for column in placed),
            formulas=tuple(
                (columns[c.key], c.header)
                for c in table.columns
                if c.kind is lay.Kind.FORMULA and c.key in columns
            ),
        )

    def _own_table(self, table: lay.Table) -> _Found | None:
        """The own courses' table: where its names say, when their heading and ID header
        stand there; else two rows below the heading, found by its text (it moves with the
        rows in every application, while a program's edit may leave the names behind)."""
        cells = self.sheet(table.sheet)
        found = self._locate(table, self._below_own_heading)
        if cells is None or found is None:
            return found
        letters = found.columns.get("id", "A")
        if not self._own_header_at(cells, letters, found.header_row):
            below = self._below_own_heading(cells)
            if below is not None:
                found.header_row = below
        return found

    @staticmethod
    def _own_header_at(cells: SheetCells, letters: str, row: int) -> bool:
        """Whether the own courses' heading stands two rows above ``row``, their ID header
        in it, in the column ``letters``."""
        heading = cells.get(f"{letters}{row - 2}")
        id_header = lay.OWN_COURSE_COLUMNS[0].header
        return _is_header(heading, lay.OWN_HEADING) and _is_header(
            cells.get(f"{letters}{row}"), id_header
        )

    def _below_own_heading(self, cells: SheetCells) -> int | None:
        """The own courses' header row: two rows below their heading, where the ID header
        stands under it (their headers are the checklist's, so the headers alone cannot tell
        the two tables apart)."""
        at = self._labels(lay.CHECKLIST, cells).get(lay.OWN_HEADING, [])
        rows = [row + 2 for row, letters in at if self._own_header_at(cells, letters, row + 2)]
        return rows[0] if rows else None

    # --- reading tables -------------------------------------------------------------------

    def _archive(self) -> Archive:
        """The archived entries, when the tracker has an archive sheet."""
        if lay.ARCHIVE not in self.cells.sheets:
            return Archive()
        read = []
        kinds = (
            ("course", "archived.courses"),
            ("competency", "archived.competencies"),
            ("certification", "archived.certifications"),
        )
        found = [self._locate(table) for table in _ARCHIVE_TABLES]
        for index, (table, (noun, section)) in enumerate(zip(_ARCHIVE_TABLES, kinds, strict=True)):
            # A table ends where the next one found starts, its heading above its header.
            below = [f.header_row - 1 for f in found[index + 1 :] if f is not None]
            end = below[0] if below else None
            read.append(self._table(_TableRead(table, noun, section, None, end, required=False)))
        courses, competencies, certifications = (rows.values for rows in read)
        return Archive(
            _courses(courses), _competencies(competencies), _certifications(certifications)
        )

    def _extras(self, facts: _RoleFacts | None) -> tuple[_Rows, _Rows]:
        """The Next Role sheet's inputs (what only the target has), when the tracker has them;
        checked against the target's items when the roles know it (``facts``)."""
        if lay.NEXT_ROLE not in self.cells.sheets:
            return _Rows(), _Rows()
        competencies_table, courses_table = _EXTRA
        assert competencies_table is not None
        assert courses_table is not None
        below = self._locate(courses_table)
        heading = courses_table.header_row - courses_table.heading_row
        end = None if below is None else below.header_row - heading
        competencies = self._table(
            _TableRead(
                competencies_table,
                "competency",
                "competencies",
                facts.extra_competencies if facts else None,
                end,
                required=False,
            )
        )
        courses = self._table(
            _TableRead(
                courses_table,
                "course",
                "courses",
                facts.extra_courses if facts else None,
                required=False,
            )
        )
        return courses, competencies

    def _table(self, spec: _TableRead) -> _Rows:
        """Each row's decoded inputs by row id, and the sheet row it was found in."""
        table = spec.table
        found = self._locate(table)
        if found is None and not spec.required:
            return _Rows()
        if found is None or "id" not in found.columns:
            self._lost(
                table.sheet,
                Code.TABLE_MISSING,
                f"the {table.name} table cannot be found (no ID header); "
                "copy the entries into a newly built tracker",
            )
            return _Rows()
        placed = self._placed(table, found, spec.section)
        cells = self.sheet(table.sheet)
        assert cells is not None  # _locate found the table in it
        rows = _Rows()
        for row in cells.rows:
            if row <= placed.header_row:
                continue
            if spec.end_row is not None and row >= spec.end_row:
                break
            self._row(spec, placed, cells, row, rows)
        if spec.expected is not None:
            self._missing_rows(spec, rows)
        return rows

    def _row(
        self, spec: _TableRead, placed: _Placed, cells: SheetCells, row: int, rows: _Rows
    ) -> None:
        """Read one row into ``rows``, unless it has no usable id."""
        number = str(row)
        where = placed.id_letters + number
        id_cell = cells.get(where)
        if id_cell is not None and isinstance(id_cell.value, CellError):
            self.problem(
                Code.ROW_ID_ERROR,
                Severity.ERROR,
                spec.table.sheet,
                where,
                f"the {spec.noun} ID cell shows an error, so the row was not read; "
                f"put the {spec.noun}'s ID back in {where}",
            )
            return
        item_id = _row_id(id_cell)
        addresses = [column + number for column in placed.letters]
        row_cells = [cells.get(address) for address in addresses]
        entered = partial(_entered, row_cells, placed.kinds)  # asked only when needed
        if (
            not item_id
            and spec.table.name == lay.CHECKLIST_TABLE
            and not _any_formula(cells, placed, number)
        ):
            if entered():
                self._inserted(spec.table.sheet, where)
            return
        if not self._new_id(spec, item_id, where, rows.first, entered=entered):
            return
        rows.first[item_id] = row
        rows.cells[item_id] = dict(zip(placed.keys, addresses, strict=True))
        self._check_known(spec, item_id, where, entered=entered)
        sheet = spec.table.sheet
        rows.values[item_id] = {
            key: self._decode(sheet, address, cell, kind, field=field, item=item_id)
            for key, field, address, cell, kind in zip(
                placed.keys, placed.fields, addresses, row_cells, placed.kinds, strict=True
            )
        }
        if spec.expected is None or item_id in spec.expected:
            self._check_row_formulas(spec.table.sheet, placed, cells, number)

    def _inserted(self, sheet: str, where: str) -> None:
        """A row inserted inside the checklist, typed in: its ID cell is locked and it has
        none of the checklist's formulas, so the own courses' rows are where it belongs."""
        self.problem(
            Code.ROW_INSERTED,
            Severity.ERROR,
            sheet,
            where,
            "this row was inserted inside the checklist and has entries but no course ID "
            "(and none of the checklist's formulas), so they were not read; enter the course "
            f"in one of the {lay.OWN_HEADING!r} rows below the checklist, then delete this row",
        )

    def _new_id(
        self,
        spec: _TableRead,
        item_id: str,
        where: str,
        first: Mapping[str, int],
        *,
        entered: Callable[[], bool],
    ) -> bool:
        """Whether the row has an id not met before; a row with entries that has not is an error."""
        if item_id and item_id not in first:
            return True
        if not item_id:
            code = Code.ROW_NO_ID
            message = (
                f"this row has entries but no {spec.noun} id, so they were not read; "
                f"put the {spec.noun}'s ID in {where}"
            )
        else:
            code = Code.ROW_DUPLICATE_ID
            message = (
                f"{spec.noun} {_id(item_id)} is listed again (first in row "
                f"{first[item_id]}), so this row's entries were not read; keep one row for it"
            )
        if entered():
            self.problem(code, Severity.ERROR, spec.table.sheet, where, message)
        return False

    def _check_known(
        self, spec: _TableRead, item_id: str, where: str, *, entered: Callable[[], bool]
    ) -> None:
        """A row whose id the role does not have is kept, with a problem."""
        if spec.expected is None or item_id in spec.expected:
            return
        self.problem(
            Code.ROW_UNKNOWN_ID,
            Severity.ERROR if entered() else Severity.WARNING,
            spec.table.sheet,
            where,
            f"{_id(item_id)} is not a {spec.noun} of this role; its entries were kept, "
            "but check the ID"
            + (
                f"; a course of your own belongs in the {lay.OWN_HEADING!r} rows"
                if spec.table.name == lay.CHECKLIST_TABLE
                else ""
            ),
            field=f"{spec.section}.id",
            item=item_id,
            typed=item_id,
        )

    def _check_row_formulas(
        self, sheet: str, placed: _Placed, cells: SheetCells, number: str
    ) -> None:
        for formula_letters, header in placed.formulas:
            address = formula_letters + number
            formula = cells.formula(address)
            if not formula:
                self._formula_lost(sheet, address, formula, header)

    def _missing_rows(self, spec: _TableRead, rows: _Rows) -> None:
        """A warning for each of the role's ids without a row; the rows in the role's order."""
        assert spec.expected is not None
        for item_id, title in spec.expected.items():
            if item_id not in rows.values:
                self.problem(
                    Code.ROW_MISSING,
                    Severity.WARNING,
                    spec.table.sheet,
                    None,
                    f"there is no row for {spec.noun} {item_id!r} ({title}); it was read as "
                    "empty, so put the row back if it was deleted by mistake",
                    field=f"{spec.section}.id",
                    item=item_id,
                )
        ordered = {i: rows.values.get(i, {}) for i in spec.expected}  # a missing row is blank
        ordered.update({i: v for i, v in rows.values.items() if i not in ordered})
        rows.values = ordered

    # --- own courses ----------------------------------------------------------------------

    def _own_courses(
        self, table: lay.Table, found: _Found | None, start: dt.date | None
    ) -> tuple[OwnCourse, ...]:
        """The own courses' rows that have a title, in sheet order (rows typed below the
        table too); a row with entries but no title is a warning at its title cell."""
        cells = self.sheet(table.sheet)
        if found is None or cells is None:
            return ()  # a tracker made before own courses existed has none
        placed = self._placed(table, found, "own_courses")
        own: list[tuple[OwnCourse, str]] = []
        for row in cells.rows:
            if row > placed.header_row:
                read = self._own_course(table.sheet, cells, placed, str(row), len(own))
                if read is not None:
                    own.append(read)
        for position, (course, number) in enumerate(own):
            self._check_own(table.sheet, placed, course, number, str(position), start=start)
        return tuple(course for course, _ in own)

    def _own_course(
        self, sheet: str, cells: SheetCells, placed: _Placed, number: str, position: int
    ) -> tuple[OwnCourse, str] | None:
        """One own course's row read, with its row number; None for a row that is no course."""
        addresses = [letters + number for letters in placed.letters]
        row_cells = [cells.get(address) for address in addresses]
        if not _entered(row_cells, placed.kinds):
            return None
        before = len(self.problems)
        values = {
            key: self._decode(sheet, address, cell, kind, field=field, item=str(position))
            for key, field, address, cell, kind in zip(
                placed.keys, placed.fields, addresses, row_cells, placed.kinds, strict=True
            )
        }
        course = _record(OwnCourse, values)
        if course.title:
            return course, number
        for index, problem in enumerate(self.problems[before:], start=before):
            self.problems[index] = replace(problem, item=None)  # no course, so no position
        title = dict(zip(placed.keys, addresses, strict=True)).get("title")
        self.problem(
            Code.OWN_COURSE_NO_TITLE,
            Severity.WARNING,
            sheet,
            title,
            "this own course has entries but no title, so it was not read; type its title "
            f"in {title}, or clear the row",
            field="own_courses.title",
        )
        return None

    def _check_own(
        self,
        sheet: str,
        placed: _Placed,
        course: OwnCourse,
        number: str,
        position: str,
        *,
        start: dt.date | None,
    ) -> None:
        """An own course's formulas (a row inserted among them has none) and its status and
        dates, checked as the checklist's are."""
        cells = self.sheet(sheet)
        assert cells is not None
        self._check_row_formulas(sheet, placed, cells, number)
        if course.status is None:
            return  # its own problem says why
        addresses = {
            key: letters + number for key, letters in zip(placed.keys, placed.letters, strict=True)
        }
        self._inconsistent(sheet, course, addresses, start, field=("own_courses", position))

    # --- next steps -----------------------------------------------------------------------

    def _sign_off_row(self, cells: SheetCells, header_row: int) -> int:
        """Where the next steps end: the sign-off lines, by name, else by their labels."""
        area = self._area(lay.SIGN_OFF_NAME, lay.DISCUSSION)
        if area is not None and area.is_cell and area.first_row > header_row:
            return area.first_row
        below = (row for row in cells.rows if row > header_row and _is_sign_off(cells, row))
        return next(below, refs.MAX_ROW + 1)

    def _next_steps(self, layout: lay.Layout) -> tuple[NextStep, ...]:
        table = layout.next_steps
        found = self._locate(table)
        sheet = table.sheet
        if found is None:
            self._lost(
                sheet,
                Code.TABLE_MISSING,
                "the agreed next steps table cannot be found; put its header row back",
            )
            return ()
        cells = self.sheet(sheet)
        assert cells is not None  # _locate found the table in it
        for column in table.columns:
            if column.key not in found.columns:
                self._lost(
                    sheet,
                    Code.COLUMN_MISSING,
                    f"the {column.header!r} column of the next steps cannot be found; put its "
                    "header back above its cells",
                )
        end = self._sign_off_row(cells, found.header_row)
        placed = [
            (_entry_of(column.entry), found.columns[column.key], column.kind)
            for column in table.columns
            if column.key in found.columns
        ]
        steps: list[NextStep] = []
        for row in cells.rows:
            if row <= found.header_row:
                continue
            if row >= end:
                break
            self._next_step(sheet, cells, str(row), placed, steps)
        return tuple(steps)

    def _next_step(
        self,
        sheet: str,
        cells: SheetCells,
        number: str,
        placed: Iterable[tuple[str, str, lay.Kind]],
        steps: list[NextStep],
    ) -> None:
        """Add the row's step to ``steps`` when anything was typed in it, even unreadably."""
        before = len(self.problems)
        position = str(len(steps))
        step = NextStep(
            **{
                key: self._decode(
                    sheet,
                    letters + number,
                    cells.get(letters + number),
                    kind,
                    field=f"discussion.next_steps.{key}",
                    item=position,
                ).value
                for key, letters, kind in placed
            }
        )
        found = self.problems[before:]
        if not step.is_blank or any(problem.typed for problem in found):
            steps.append(step)
        else:  # no step: its row's problems point to no position
            self.problems[before:] = [replace(problem, item=None) for problem in found]


def _role_ref(meta: Mapping[str, str]) -> RoleRef:
    return RoleRef(
        id=meta.get("role_id", ""),
        version=meta.get("role_version", ""),
        title=meta.get("role_title", ""),
        hash=meta.get("role_hash", ""),
        target=meta.get("target_role_id", ""),
        target_hash=meta.get("target_role_hash", ""),
        next_roles=tuple(i for i in meta.get("next_role_ids", "").split(lay.ID_SEPARATOR) if i),
    )


def _day_of(text: str) -> dt.date | None:
    """A metadata day (ISO text), or None when the tracker records none or no day."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _metadata_values(sheet: SheetCells) -> dict[str, str]:
    """The metadata sheet's keys and values, as text."""
    meta = {}
    for row in sheet.rows:
        key, value = sheet.get(f"{_META_KEY}{row}"), sheet.get(f"{_META_VALUE}{row}")
        if key is not None and isinstance(key.value, str):
            meta[key.value] = str(decode_text(None if value is None else value.value, _PLAIN).value)
    return meta


def _headers(cells: SheetCells, header_row: int, width: int) -> dict[str, str]:
    """The texts of a header row (its first ``width`` columns), casefolded, to their letters."""
    headers: dict[str, str] = {}
    for number in range(1, width + 1):
        candidate = column_letters(number)
        text = cells.get(f"{candidate}{header_row}")
        if text is not None and isinstance(text.value, str):
            headers.setdefault(text.value.strip().casefold(), candidate)
    return headers


def _typed(raw: object) -> str | None:
    """What a cell held, as text, for a problem about it (None for a damaged value)."""
    if raw is None:
        return None
    if isinstance(raw, CellError):
        return None if raw.damaged else raw.text
    return raw if isinstance(raw, str) else str(decode_text(raw, _PLAIN).value)


def _row_id(cell: Cell | None) -> str:
    """The id a row's ID cell holds, as text (an id typed as a number reads as its digits)."""
    if cell is None:
        return ""
    value = cell.value
    return (value if isinstance(value, str) else str(decode_text(value, _PLAIN).value)).strip()


def _id(item_id: str) -> str:
    """An id for a message, quoted like the others and cut short when someone typed a novel."""
    return repr(item_id if len(item_id) <= 60 else item_id[:60] + "…")


_R = TypeVar("_R")


def _entry_of(entry: str | None) -> str:
    """The entry attribute an input holds, as its layout declares it."""
    if entry is None:
        message = "an input of the layout declares no entry"
        raise AssertionError(message)
    return entry


def _record(kind: type[_R], values: Mapping[str, Decoded]) -> _R:
    """An entry from its decoded cells, each by the attribute its column declares.

    A blank cell leaves its attribute at the entry's default (a blank status is
    Not started); a cell that could not be read leaves it empty (None), never guessed.
    """
    return kind(
        **{
            key: decoded.value
            for key, decoded in values.items()
            if decoded.value is not None or decoded.severity is Severity.ERROR
        }
    )


def _courses(rows: Mapping[str, Mapping[str, Decoded]]) -> Mapping[str, CourseEntry]:
    return MappingProxyType({key: _record(CourseEntry, values) for key, values in rows.items()})


def _competencies(rows: Mapping[str, Mapping[str, Decoded]]) -> Mapping[str, CompetencyEntry]:
    return MappingProxyType({key: _record(CompetencyEntry, values) for key, values in rows.items()})


def _certifications(
    rows: Mapping[str, Mapping[str, Decoded]],
) -> Mapping[str, CertificationEntry]:
    return MappingProxyType(
        {key: _record(CertificationEntry, values) for key, values in rows.items()}
    )


def _is_sign_off(cells: SheetCells, row: int) -> bool:
    """Whether ``row`` holds a whole sign-off line: its label, and the date label beside it."""
    label_col, _, date_col, _ = (column_letters(col + 1) for col in lay.SIGN_OFF_COLS)
    label, date = cells.get(f"{label_col}{row}"), cells.get(f"{date_col}{row}")
    return (
        label is not None
        and label.value in lay.SIGN_OFF
        and date is not None
        and date.value == lay.SIGN_OFF_DATE
    )


def _is_header(cell: Cell | None, header: str) -> bool:
    return cell is not None and isinstance(cell.value, str) and cell.value.strip() == header


def _entered(cells: Iterable[Cell | None], kinds: Iterable[lay.Kind]) -> bool:
    """Whether a row's input cells hold anything; asked only of a row that is not read."""
    return any(map(_has_entry, cells, kinds))


def _any_formula(cells: SheetCells, placed: _Placed, number: str) -> bool:
    """Whether a row holds any of its table's formulas: a row inserted in Excel or
    LibreOffice holds none (its neighbours' are not copied into it)."""
    return any(cells.formula(letters + number) for letters, _ in placed.formulas)


def _has_entry(cell: Cell | None, kind: lay.Kind) -> bool:
    if cell is None or cell.value is None or cell.value == "":
        return False
    return not (kind is lay.Kind.STATUS and cell.value == BLANK_STATUS.value)


def _header_row(cells: SheetCells, table: lay.Table) -> int | None:
    """The row holding most of the table's headers, when it holds at least half of them."""
    wanted = {column.header.casefold() for column in table.columns if not column.hidden}
    counts: Counter[int] = Counter(
        row
        for row, _, cell in cells.cells()
        if isinstance(cell.value, str) and cell.value.strip().casefold() in wanted
    )
    if not counts:
        return None
    best, count = counts.most_common(1)[0]
    return best if count * 2 >= len(wanted) else None


_NO_ROLE = Role(
    id="",
    title="",
    family="",
    level=0,
    version="",
    summary="",
    work_settings=(),
    responsibilities=(),
    competencies=(),
    courses=(),
    certifications=(),
    next_roles=(),
)
"""Stands in for a role the catalog lacks: the layout's columns and names need no role."""


@dataclass(frozen=True)
class _RoleFacts:
    """What reading needs of a role that does not change from one tracker to the next."""

    role: Role
    digest: str
    layout: lay.Layout
    wanted_names: tuple[str, ...]
    """The defined names reading looks up: the layout's and the archive's."""
    courses: Mapping[str, str]
    """Each course id and its title, in the role's order."""
    competencies: Mapping[str, str]
    """Each competency id and its name, in the role's order."""
    extra_courses: Mapping[str, str] = field(default_factory=dict)
    """The target's required courses the role does not list: rows of the Next Role sheet."""
    extra_competencies: Mapping[str, str] = field(default_factory=dict)
    """The target's competencies the role does not have: rows of the Next Role sheet."""
    certifications: Mapping[str, str] = field(default_factory=dict)
    """Each certification id and its name, in the role's order."""


_FACTS: dict[tuple[int, ...], _RoleFacts] = {}
_MAX_FACTS = 256


def _role_facts(role: Role, targets: tuple[Role, ...] = ()) -> _RoleFacts:
    """The role's facts, remembered by the role object itself.

    ``role_digest`` and ``layout_for`` are cached by the role's hash, and a role's
    hash walks every course and competency in it (some 20 µs, several times a
    read); a folder of trackers is read against the same few role objects, so
    their identity is enough. The entry keeps its role alive, so the id stays its own.
    """
    key = (id(role), *map(id, targets))
    facts = _FACTS.get(key)
    if facts is None or facts.role is not role or facts.layout.targets != targets:
        layout = lay.layout_for(role, next_roles=targets)
        more = (
            c.name for t in (*_ARCHIVE, *_EXTRA, _CERTIFICATIONS) if t for c in t.columns if c.name
        )
        facts = _RoleFacts(
            role,
            role_digest(role),
            layout,
            tuple(dict.fromkeys((*layout.names, *more))),
            MappingProxyType({item.id: item.course.title for item in role.courses}),
            MappingProxyType({item.id: item.competency.name for item in role.competencies}),
            MappingProxyType(
                {i: _course_title(targets, i) for i in lay.extra_courses(role, targets)}
            ),
            MappingProxyType(
                {i: _competency_name(targets, i) for i in lay.extra_competencies(role, targets)}
            ),
            MappingProxyType({item.id: item.name for item in role.certifications}),
        )
        if len(_FACTS) >= _MAX_FACTS:
            _FACTS.clear()
        _FACTS[key] = facts
    return facts


def _course_title(roles: tuple[Role, ...], course_id: str) -> str:
    return next(c.course.title for r in roles for c in r.courses if c.id == course_id)


def _competency_name(roles: tuple[Role, ...], competency_id: str) -> str:
    return next(c.competency.name for r in roles for c in r.competencies if c.id == competency_id)


@dataclass(frozen=True)
class ReadReport:
    """What reading several files gave: the trackers, and the files that could not be read."""

    trackers: tuple[FilledTracker, ...]
    failures: tuple[WorkbookError, ...]

    @property
    def ok(self) -> bool:
        """True when every file was read and none has an error (warnings are fine)."""
        return not self.failures and not any(t.errors for t in self.trackers)


SPREADSHEET_SUFFIXES = frozenset(
    {".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".fods", ".numbers"}
)
"""What a returned tracker may have been saved as: a folder's files with these endings are
all read, so one that is not a readable .xlsx is listed with what to do, never skipped."""


def tracker_files(paths: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """The files to read: each path given, and the spreadsheets directly inside a folder.

    Excel's lock files (``~$name.xlsx``) are left out.
    """
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files += sorted(
                child
                for child in path.iterdir()
                if child.suffix.lower() in SPREADSHEET_SUFFIXES and not child.name.startswith("~$")
            )
        else:
            files.append(path)
    return files


def read_trackers(
    paths: Iterable[str | os.PathLike[str]],
    *,
    catalog: Catalog | None = None,
    jobs: int = 1,
    progress: TextIO | None = None,
    as_of: dt.date | None = None,
) -> ReadReport:
    """Read every tracker of ``paths`` (files or folders); one bad file never stops the rest.

    ``jobs`` above 1 reads in that many processes; the order of the result is
    the order of the files either way. ``progress`` gets a bar when it is a terminal.
    ``as_of`` is as for :func:`read_tracker`.
    """
    from trackerkit.parallel import in_order

    files = tracker_files(paths)
    work = partial(read_or_failure, catalog=catalog, as_of=as_of or today())
    results = list(in_order(work, files, jobs, progress))
    return ReadReport(
        tuple(r for r in results if isinstance(r, FilledTracker)),
        tuple(r for r in results if isinstance(r, WorkbookError)),
    )


def read_or_failure(
    file: Path, catalog: Catalog | None = None, as_of: dt.date | None = None
) -> FilledTracker | WorkbookError:
    try:
        return read_tracker(file, catalog=catalog, as_of=as_of)
    except WorkbookError as error:
        return error
    except Exception as error:  # noqa: BLE001 - one file's bug must not stop the others
        return WorkbookError(
            str(file),
            f"could not be read because of an unexpected error ({type(error).__name__}: "
            f"{error}); please report it with the file",
        )


def has_entries(source: WorkbookSource, *, limits: Limits | None = None) -> bool:
    """Whether someone has entered anything in the tracker ``source``: its work, not to be lost.

    :func:`why_filled` without a rebuild to compare with, as a yes or no. Raises
    :class:`~trackerkit.WorkbookError` for a file that is not a tracker it can read.
    """
    return why_filled(source, limits=limits) is not None


TRACKER_SHEETS = frozenset(lay.SHEETS) | OPTIONAL_SHEETS
"""Every sheet a tracker of any role can have."""
_SAME_CONTENT = tuple(
    key for key in lay.METADATA_KEYS if key not in ("generated_on", "trackerkit_version")
)
"""Metadata that, when equal, says two trackers put every cell in the same place."""


def why_filled(
    source: WorkbookSource, *, limits: Limits | None = None, rebuild: bytes | None = None
) -> str | None:
    """Why the tracker ``source`` is someone's work, not to be replaced; None when it is not.

    Anything :func:`read_tracker` would return counts, read against no role so a
    tracker of any role or version answers alike, by the entries' own rule of what
    a blank entry is (a course *Not started*, with nothing else, is blank); so does
    an entry that could not be read (an error at a cell), and a sheet no tracker
    has. ``rebuild``, the bytes that would replace the file, also finds what the
    person added that a rebuild would drop: a cell filled outside the inputs where
    the rebuild has nothing, or typed over a formula or a label. Raises
    :class:`~trackerkit.WorkbookError` for a file that is not a tracker it can read.
    """
    with _collector_paused():
        cells = read_cells(source, TRACKER_SHEETS, limits)
        tracker = _TrackerReader(cells, _no_roles(), today()).read()
        if _has_entered(tracker):
            return "this tracker has entries"
        added = [name for name in cells.sheets if name not in TRACKER_SHEETS]
        if added:
            return f"this tracker has a sheet trackerkit does not make ({shown(added[0])})"
        if rebuild is None:
            return None
        return _typed_outside(cells, read_cells(rebuild, TRACKER_SHEETS))


def _has_entered(tracker: FilledTracker) -> bool:
    entries = tracker.entries
    return (
        entries.employee != Employee()
        or entries.discussion != Discussion()
        or _any_entered(entries.courses, CourseEntry())
        or _any_entered(entries.competencies, CompetencyEntry())
        or _any_entered(entries.archive.courses, CourseEntry())
        or _any_entered(entries.archive.competencies, CompetencyEntry())
        or _any_entered(entries.certifications, CertificationEntry())
        or _any_entered(entries.archive.certifications, CertificationEntry())
        or bool(entries.own_courses)
        or any(
            (p.severity is Severity.ERROR and p.cell) or p.code is Code.OWN_COURSE_NO_TITLE
            for p in tracker.problems
        )
    )


def _typed_outside(cells: WorkbookCells, rebuild: WorkbookCells) -> str | None:
    """The first cell filled outside the inputs that the rebuild leaves empty, in words.

    Where the role is the one the tracker was made from, every cell the rebuild
    writes is where the tracker has it, so the comparison is cell by cell: a cell
    the rebuild leaves empty, or where it has a formula or other text. Where the
    role changed, its rows moved: only cells right of the rebuild's columns count, on
    the sheets whose columns are the same for every role.
    """
    same = _meta(cells) == _meta(rebuild)
    for name, sheet in cells.cells.items():
        fresh = rebuild.cells.get(name)
        if name == lay.METADATA:
            continue  # trackerkit's own record: its dates and versions change from build to build
        if fresh is None or not (same or name in _FIXED_WIDTH):
            continue  # a sheet that came and goes, or widens, with the role's next roles
        inputs = [
            area
            for text in rebuild.defined_names.values()
            if (area := parse_area(text)) is not None and area.sheet == name
        ]
        last_col = max((column_number(letters) for _, letters, _ in fresh.cells()), default=0)
        for row, letters, cell in sheet.cells():
            if cell.value is None or cell.value == "":
                continue
            col, new = column_number(letters), fresh.get(f"{letters}{row}")
            over = same and new is not None and _typed_over(cell, new)
            if not over and any(_inside(area, row, col) for area in inputs):
                continue
            if over or (new is None and (same or col > last_col)):
                return (
                    f"this tracker has {shown(cell.value)} in '{name}'!{letters}{row}, outside "
                    "its input cells, which a new tracker would not keep"
                )
    return None


def _typed_over(cell: Cell, new: Cell) -> bool:
    """Whether a person typed over what trackerkit wrote: a formula, or a fixed text or
    number outside the inputs (an input's value is judged by the reader)."""
    if cell.formula:
        return False
    return new.formula or new.value not in (None, cell.value)


_FIXED_WIDTH = frozenset(
    {lay.START, lay.CHECKLIST, lay.COVERAGE, lay.CERTIFICATIONS, lay.DISCUSSION, lay.ARCHIVE}
)
"""The sheets whose columns are the same for every role."""


def _meta(cells: WorkbookCells) -> tuple[str, ...]:
    sheet = cells.cells.get(lay.METADATA)
    values = _metadata_values(sheet) if sheet is not None else {}
    return tuple(values.get(key, "") for key in _SAME_CONTENT)


def _inside(area: refs.Area, row: int, col: int) -> bool:
    return area.first_row <= row <= area.last_row and area.first_col <= col <= area.last_col


def _any_entered(entries: Mapping[str, object], blank: object) -> bool:
    return any(entry != blank for entry in entries.values())


@cache
def _no_roles() -> Catalog:
    """A catalog without roles: a tracker is then read as it is, whatever role it was made from."""
    from trackerkit.model import Catalog

    empty: Mapping[str, Any] = MappingProxyType({})
    return Catalog(scale=(), categories=(), competencies=empty, courses=empty, roles=empty)
