"""The team roll-up: many filled trackers summed up for a manager or the learning team.

:func:`team_report` is pure: it turns what reading gave into a
:class:`TeamReport`, with every figure from the trackers' Python twins (never
from a file's cached results). A file that could not be read, or a tracker
of a role the catalog lacks, is listed among the problems and the rest is
reported. :func:`report_bytes` renders the report as a formula-driven
workbook (laid out by :mod:`trackerkit.report_layout`), as CSV or as JSON;
:func:`write_report` writes it atomically.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import warnings
from collections import Counter
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from trackerkit import atomic
from trackerkit import report_layout as rl
from trackerkit.entries import DONE, Status
from trackerkit.errors import CellProblem, Severity, TrackerkitError
from trackerkit.export import csv_safe
from trackerkit.model import Requirement
from trackerkit.writer import DATE_FORMAT, FIXED_CREATED, GAP_SCALE, check_code

if TYPE_CHECKING:
    import os
    from collections.abc import Mapping

    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    from trackerkit.model import Catalog, Role
    from trackerkit.reader import FilledTracker, ReadReport

ReportFormat = Literal["xlsx", "csv", "json"]
FORMATS: tuple[ReportFormat, ...] = ("xlsx", "csv", "json")


class ReportError(TrackerkitError):
    """The report workbook could not be written; the message says which cell and why."""


# --- the report as data --------------------------------------------------------------------


@dataclass(frozen=True)
class PersonCourse:
    """One course of a person's role, as their tracker has it."""

    course_id: str
    title: str
    requirement: Requirement
    status: Status
    target_date: dt.date | None
    completed_on: dt.date | None
    overdue: bool


@dataclass(frozen=True)
class Person:
    """One readable tracker of a role the catalog has, with its figures."""

    number: int
    """1-based, in the order read; the workbook's formulas find a person's rows by it."""
    file: str
    name: str
    employee_id: str
    manager: str
    role_id: str
    role_title: str
    target_role: str
    required_done: int
    required_total: int
    required_share: float | None
    overdue: int
    largest_gaps: tuple[str, ...]
    """The names of up to three competencies with the largest gaps, largest first."""
    courses: tuple[PersonCourse, ...]
    """Every course of the person's role, in the role's order."""


@dataclass(frozen=True)
class CourseCounts:
    """How many people whose role lists a course are at each status."""

    course_id: str
    title: str
    not_started: int
    planned: int
    in_progress: int
    completed: int
    waived: int
    overdue: int

    def count(self, status: Status) -> int:
        return int(getattr(self, status.name.lower()))

    @property
    def listed(self) -> int:
        return sum(self.count(status) for status in Status)

    @property
    def done_share(self) -> float | None:
        done = sum(self.count(status) for status in DONE)
        return done / self.listed if self.listed else None


@dataclass(frozen=True)
class HeatmapCompetency:
    id: str
    name: str


@dataclass(frozen=True)
class Heatmap:
    """People by competencies: each person's gap to their role's target."""

    competencies: tuple[HeatmapCompetency, ...]
    """Every competency of the people's roles, in the catalog's order."""
    gaps: tuple[tuple[int | None, ...], ...]
    """One row per person (in :attr:`TeamReport.people` order), one gap per competency;
    None where the competency is not in that person's role."""


@dataclass(frozen=True)
class OverdueCourse:
    person: int
    """The person's :attr:`Person.number`."""
    name: str
    employee_id: str
    role_title: str
    course_id: str
    title: str
    target_date: dt.date
    days_late: int
    file: str


@dataclass(frozen=True)
class ReportProblem:
    """A file that could not be read, or one problem of a tracker, located by file and cell."""

    file: str
    sheet: str | None
    cell: str | None
    severity: Severity
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {CellProblem(self.severity, self.sheet, self.cell, self.message)}"


@dataclass(frozen=True)
class TeamReport:
    """Everything the team report shows, as plain immutable data."""

    as_of: dt.date
    """The day overdue figures are counted on."""
    people: tuple[Person, ...]
    courses: tuple[CourseCounts, ...]
    heatmap: Heatmap
    overdue: tuple[OverdueCourse, ...]
    """Oldest target date first."""
    problems: tuple[ReportProblem, ...]
    skipped: tuple[str, ...]
    """Files left out of the figures: unreadable, or of a role the catalog lacks."""

    @property
    def ok(self) -> bool:
        """True when every file was reported and none has an error (warnings are fine)."""
        return not self.skipped and all(p.severity is not Severity.ERROR for p in self.problems)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: lists, strings, numbers, None; dates as ISO text."""
        return dict(_plain(self))

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TeamReport:
        """The report back from :meth:`to_dict`'s data (say, a saved JSON report)."""
        heatmap = data["heatmap"]
        return cls(
            as_of=dt.date.fromisoformat(data["as_of"]),
            people=tuple(_person_from(item) for item in data["people"]),
            courses=tuple(CourseCounts(**item) for item in data["courses"]),
            heatmap=Heatmap(
                tuple(HeatmapCompetency(**item) for item in heatmap["competencies"]),
                tuple(tuple(row) for row in heatmap["gaps"]),
            ),
            overdue=tuple(
                OverdueCourse(**{**item, "target_date": dt.date.fromisoformat(item["target_date"])})
                for item in data["overdue"]
            ),
            problems=tuple(
                ReportProblem(**{**item, "severity": Severity(item["severity"])})
                for item in data["problems"]
            ),
            skipped=tuple(data["skipped"]),
        )


def _plain(value: object) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    return value


def _day(text: str | None) -> dt.date | None:
    return None if text is None else dt.date.fromisoformat(text)


def _person_from(data: Mapping[str, Any]) -> Person:
    courses = tuple(
        PersonCourse(
            **{
                **item,
                "requirement": Requirement(item["requirement"]),
                "status": Status(item["status"]),
                "target_date": _day(item["target_date"]),
                "completed_on": _day(item["completed_on"]),
            }
        )
        for item in data["courses"]
    )
    return Person(**{**data, "largest_gaps": tuple(data["largest_gaps"]), "courses": courses})


# --- building it ---------------------------------------------------------------------------


def team_report(report: ReadReport, catalog: Catalog, *, as_of: dt.date) -> TeamReport:
    """Roll up what reading gave, as of ``as_of``; roles come from ``catalog``.

    Pure: the same report, catalog and day always give the same result.
    """
    problems = [
        ReportProblem(failure.file, None, None, Severity.ERROR, failure.reason)
        for failure in report.failures
    ]
    skipped = [failure.file for failure in report.failures]
    people: list[Person] = []
    gaps: list[dict[str, int]] = []
    roles: list[Role] = []
    for tracker in report.trackers:
        role = catalog.roles.get(tracker.role.id)
        if role is None:
            problems.append(_unknown_role(tracker))
            skipped.append(tracker.file)
        else:
            person, person_gaps = _person(len(people) + 1, tracker, role, as_of)
            people.append(person)
            gaps.append(person_gaps)
            roles.append(role)
        problems += (
            ReportProblem(tracker.file, p.sheet, p.cell, p.severity, p.message)
            for p in tracker.problems
        )
    competencies = _competencies(roles, catalog)
    return TeamReport(
        as_of=as_of,
        people=tuple(people),
        courses=_course_counts(people, roles, catalog),
        heatmap=Heatmap(
            competencies,
            tuple(tuple(row.get(c.id) for c in competencies) for row in gaps),
        ),
        overdue=_overdue(people, as_of),
        problems=tuple(sorted(problems, key=lambda problem: problem.file)),
        skipped=tuple(sorted(skipped)),
    )


def _unknown_role(tracker: FilledTracker) -> ReportProblem:
    return ReportProblem(
        tracker.file,
        None,
        None,
        Severity.ERROR,
        f"left out of the report: the roles have no role {tracker.role.id!r}; "
        "report with the roles folder the tracker was made from",
    )


def _person(
    number: int, tracker: FilledTracker, role: Role, as_of: dt.date
) -> tuple[Person, dict[str, int]]:
    """The person's row, and their gap per competency of their role."""
    figures = tracker.figures(role, as_of)
    dashboard = figures.dashboard
    employee = tracker.employee
    courses = []
    for item in role.courses:
        entry = tracker.entries.course(item.id)
        courses.append(
            PersonCourse(
                course_id=item.id,
                title=item.course.title,
                requirement=item.requirement,
                status=entry.status,
                target_date=entry.target_date,
                completed_on=entry.completed_on,
                overdue=figures.overdue[item.id],
            )
        )
    person = Person(
        number=number,
        file=tracker.file,
        name=employee.name,
        employee_id=employee.employee_id,
        manager=employee.manager,
        role_id=role.id,
        role_title=role.title,
        target_role=employee.target_role,
        required_done=dashboard.required_done,
        required_total=dashboard.required_total,
        required_share=dashboard.required_share,
        overdue=dashboard.overdue,
        largest_gaps=tuple(name for name in dashboard.largest_gaps if name),
        courses=tuple(courses),
    )
    return person, {item.id: figures.competencies[item.id].gap for item in role.competencies}


def _in_catalog_order(ids: dict[str, str], order: Mapping[str, object]) -> list[tuple[str, str]]:
    """``ids`` (id to name) sorted as the catalog lists them; unknown ids last, as met."""
    index = {item: position for position, item in enumerate(order)}
    return sorted(ids.items(), key=lambda pair: index.get(pair[0], len(index)))


def _competencies(roles: list[Role], catalog: Catalog) -> tuple[HeatmapCompetency, ...]:
    names = {c.id: c.competency.name for role in roles for c in role.competencies}
    return tuple(HeatmapCompetency(i, n) for i, n in _in_catalog_order(names, catalog.competencies))


def _course_counts(
    people: list[Person], roles: list[Role], catalog: Catalog
) -> tuple[CourseCounts, ...]:
    titles = {c.id: c.course.title for role in roles for c in role.courses}
    statuses = Counter(
        (course.course_id, course.status) for person in people for course in person.courses
    )
    late = Counter(
        course.course_id for person in people for course in person.courses if course.overdue
    )
    return tuple(
        CourseCounts(
            course_id=course_id,
            title=title,
            **{status.name.lower(): statuses[(course_id, status)] for status in Status},
            overdue=late[course_id],
        )
        for course_id, title in _in_catalog_order(titles, catalog.courses)
    )


def _overdue(people: list[Person], as_of: dt.date) -> tuple[OverdueCourse, ...]:
    found = [
        OverdueCourse(
            person=person.number,
            name=person.name,
            employee_id=person.employee_id,
            role_title=person.role_title,
            course_id=course.course_id,
            title=course.title,
            target_date=course.target_date,
            days_late=(as_of - course.target_date).days,
            file=person.file,
        )
        for person in people
        for course in person.courses
        if course.overdue and course.target_date is not None
    ]
    return tuple(sorted(found, key=lambda item: item.target_date))


# --- rendering it --------------------------------------------------------------------------


def report_bytes(team: TeamReport, *, fmt: ReportFormat = "xlsx") -> bytes:
    """The report as a workbook, CSV (UTF-8, one row per person and course) or JSON."""
    kind: str = fmt  # checked at run time too: the CLI passes what was typed
    if kind == "xlsx":
        return report_xlsx(team)
    if kind == "csv":
        return report_csv(team).encode("utf-8")
    if kind == "json":
        return (json.dumps(team.to_dict(), indent=2, ensure_ascii=False) + "\n").encode("utf-8")
    message = f"{fmt!r} is not a report format; use one of {', '.join(FORMATS)}"
    raise ValueError(message)


def write_report(
    team: TeamReport, path: str | os.PathLike[str], fmt: ReportFormat = "xlsx"
) -> Path:
    """Write the report to ``path`` atomically (the old file or the new one, never half)."""
    target = Path(path)
    atomic.write_bytes(target, report_bytes(team, fmt=fmt))
    return target


CSV_COLUMNS = (
    "file",
    "employee_id",
    "employee_name",
    "manager",
    "role_id",
    "role_title",
    "target_role",
    "course_id",
    "course_title",
    "requirement",
    "status",
    "target_date",
    "completed_on",
    "overdue",
)
"""One row per person and course of their role."""


def report_csv(team: TeamReport) -> str:
    """The report's people and courses as CSV; no value can run as a spreadsheet formula."""
    stream = io.StringIO()
    writer = csv.DictWriter(stream, CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for person in team.people:
        common = {
            "file": person.file,
            "employee_id": person.employee_id,
            "employee_name": person.name,
            "manager": person.manager,
            "role_id": person.role_id,
            "role_title": person.role_title,
            "target_role": person.target_role,
        }
        for course in person.courses:
            row = {
                **common,
                "course_id": course.course_id,
                "course_title": course.title,
                "requirement": course.requirement.label,
                "status": course.status.value,
                "target_date": _plain(course.target_date),
                "completed_on": _plain(course.completed_on),
                "overdue": "yes" if course.overdue else "no",
            }
            writer.writerow({key: csv_safe(row[key]) for key in CSV_COLUMNS})
    return stream.getvalue()


def report_xlsx(team: TeamReport) -> bytes:
    """The report workbook; the same report always gives the same bytes."""
    stream = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _ReportWriter(stream, rl.report_layout(team), team).write()
    if caught:
        raise ReportError(f"the team report could not be written: {caught[0].message}")
    return stream.getvalue()


MAX_TEXT = 32_767
"""Excel's longest cell text; a longer message or name is cut, not refused."""


class _ReportWriter:
    def __init__(self, stream: io.BytesIO, layout: rl.ReportLayout, team: TeamReport) -> None:
        self.book = xlsxwriter.Workbook(
            stream,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self.layout = layout
        self.team = team
        self.formats = _formats(self.book)

    def write(self) -> None:
        self.book.set_properties({"title": "Team report", "created": FIXED_CREATED})
        sheets = {name: self.book.add_worksheet(name) for name in rl.SHEETS}
        for name, (title, help_text) in rl.HEADINGS.items():
            self.put(sheets[name], 0, 0, title, self.formats["title"])
            self.put(sheets[name], 1, 0, help_text, self.formats["muted"])
        self._summary(sheets[rl.PEOPLE])
        for table in self.layout.tables:
            self._table(sheets[table.sheet], table)
        self._chart(sheets[rl.PEOPLE])
        self._heatmap(sheets[rl.HEATMAP])
        for name, reference in self.layout.names.items():
            _check(self.book.define_name(name, f"={reference}"), f"defined name {name}")
        for name in rl.HIDDEN:
            sheets[name].hide()
        sheets[rl.PEOPLE].activate()
        self.book.close()

    # --- cells -------------------------------------------------------------------------------

    def put(self, sheet: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
        """Write a value as what it is; text is always text, never a formula or link."""
        where = f"'{sheet.name}'!{xl_rowcol_to_cell(row, col)}"
        if value is None or value == "":
            code = sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            code = sheet.write_string(row, col, _fit(value), fmt)
        elif isinstance(value, dt.date):
            code = sheet.write_datetime(row, col, value, fmt)
        else:
            code = sheet.write_number(row, col, value, fmt)
        _check(code, where)

    def formula(
        self, sheet: Worksheet, row: int, col: int, text: str, *, value: Any, fmt: Format
    ) -> None:
        """A formula with its twin's value cached, so it is right before any recalculation."""
        where = f"'{sheet.name}'!{xl_rowcol_to_cell(row, col)}"
        _check(sheet.write_formula(row, col, text, fmt, "" if value is None else value), where)

    def style(self, style: rl.Style, *, computed: bool) -> Format:
        return self.formats[f"computed_{style.value}" if computed else style.value]

    # --- sections ----------------------------------------------------------------------------

    def _summary(self, sheet: Worksheet) -> None:
        for field in self.layout.summary:
            self.put(sheet, field.row, 0, field.label, self.formats["label"])
            value = field.value(self.team)
            fmt = self.style(field.style, computed=field.formula is not None)
            if field.formula is None:
                self.put(sheet, field.row, rl.SUMMARY_COL, value, fmt)
            else:
                self.formula(sheet, field.row, rl.SUMMARY_COL, field.formula, value=value, fmt=fmt)

    def _table(self, sheet: Worksheet, table: rl.Table[Any]) -> None:
        """Headers, one row per item (data, or formulas with cached values), then totals."""
        f = self.formats
        last_col = len(table.columns) - 1
        for index, column in enumerate(table.columns):
            _check(sheet.set_column(index, index, column.width), f"'{sheet.name}' widths")
            self.put(sheet, table.header_row, index, column.header, f["header"])
        for row, item in table.at_rows():
            for index, column in enumerate(table.columns):
                value = column.value(item)
                fmt = self.style(column.style, computed=column.formula is not None)
                if column.formula is None:
                    self.put(sheet, row, index, value, fmt)
                else:
                    self.formula(
                        sheet, row, index, column.formula(table, row), value=value, fmt=fmt
                    )
        for offset, totals in enumerate(table.totals):
            row = table.total_row(offset)
            self.put(sheet, row, table.col(totals.label_key), totals.label, f["total_label"])
            for total in totals.cells:
                fmt = self.formats[f"total_{total.style.value}"]
                text, value = total.formula(table, row), total.value(self.team)
                self.formula(sheet, row, table.col(total.key), text, value=value, fmt=fmt)
        where = f"'{sheet.name}' filter"
        _check(sheet.autofilter(table.header_row, 0, table.last_row, last_col), where)
        sheet.freeze_panes(table.first_row, 0)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(table.header_row)

    def _chart(self, sheet: Worksheet) -> None:
        """A bar per person: their required progress."""
        table = self.layout.people
        if not table.rows:
            return
        chart = self.book.add_chart({"type": "bar"})
        if chart is None:
            raise ReportError(f"'{sheet.name}': the progress chart could not be made")
        rows = (table.first_row, table.last_row)
        name, share = table.col("name"), table.col("required_share")
        chart.add_series(
            {
                "name": "Required progress",
                "categories": [table.sheet, rows[0], name, rows[1], name],
                "values": [table.sheet, rows[0], share, rows[1], share],
                "data_labels": {"value": True, "num_format": "0%"},
            }
        )
        chart.set_title({"name": "Required courses done, per person"})
        chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})
        chart.set_y_axis({"reverse": True})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": 24 * max(len(table.rows), 4) + 80})
        below = table.total_row(len(table.totals)) + 1
        _check(sheet.insert_chart(below, 0, chart), f"'{sheet.name}' chart")

    def _heatmap(self, sheet: Worksheet) -> None:
        """Competency ids above the names, and the gaps coloured green (0) to red (3+)."""
        table, keys = self.layout.heatmap, self.layout.gap_keys
        if not keys:
            return
        for key, competency in zip(keys, self.team.heatmap.competencies, strict=True):
            self.put(sheet, rl.HEAT_IDS_ROW, table.col(key), competency.id, self.formats["muted"])
        for row, item in table.at_rows():
            for key, gap in zip(keys, item.gaps, strict=True):
                if gap is None:
                    self.put(sheet, row, table.col(key), None, self.formats["not_in_role"])
        first, last = table.col(keys[0]), table.col(keys[-1])
        _check(
            sheet.conditional_format(
                table.first_row,
                first,
                table.last_row,
                last,
                GAP_SCALE,
            ),
            f"'{sheet.name}' gap colours",
        )
        sheet.freeze_panes(table.first_row, first)


def _fit(text: str) -> str:
    """Text cut to what a cell holds (counted in UTF-16 units, as Excel does)."""
    if len(text) <= MAX_TEXT // 2 or len(text.encode("utf-16-le")) // 2 <= MAX_TEXT:
        return text
    kept = text[: MAX_TEXT - 1]
    while len(kept.encode("utf-16-le")) // 2 > MAX_TEXT - 1:
        kept = kept[:-1]
    return kept + "…"


def _check(code: int | None, where: str) -> None:
    check_code(code, where, ReportError)


def _formats(book: xlsxwriter.Workbook) -> dict[str, Format]:
    base: dict[str, Any] = {"font_name": "Calibri", "font_size": 11, "valign": "top"}
    numbers = {
        rl.Style.TEXT: {},
        rl.Style.INTEGER: {"num_format": "0"},
        rl.Style.DECIMAL: {"num_format": "0.0"},
        rl.Style.PERCENT: {"num_format": "0%"},
        rl.Style.DATE: {"num_format": DATE_FORMAT, "align": "left"},
    }
    computed = {"bg_color": "#F2F2F2", "font_color": "#404040"}
    total = {"bold": True, "top": 1}
    specs: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": 16},
        "muted": {"font_color": "#595959", "italic": True},
        "label": {"bold": True},
        "header": {"bold": True, "text_wrap": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"},
        "total_label": total,
        "not_in_role": {"bg_color": "#D9D9D9"},
    }
    for style, number in numbers.items():
        specs[style.value] = dict(number)
        specs[f"computed_{style.value}"] = {**number, **computed}
        specs[f"total_{style.value}"] = {**number, **computed, **total}
    return {name: book.add_format({**base, **spec}) for name, spec in specs.items()}
