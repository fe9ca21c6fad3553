"""The team report's workbook, declared once: sheets, columns, defined names, formulas.

As in :mod:`trackerkit.layout`, each formula stands beside its Python twin,
which gives the value the writer caches for it; a LibreOffice test proves the
two agree. The figures a manager reads (required progress, overdue counts,
per-course counts, team totals) are live formulas over the data the report
holds: one hidden row per person and course on the data sheet, and the gaps
of the heatmap. Formulas reach that data through workbook-level defined names
and their own row through its cells, so a sorted or filtered sheet keeps its
figures. The report's day is a cell (``Report_AsOf``), never TODAY(), so a
report opened next month still shows what was true on the day it was made.

Rows and columns are 0-based, as XlsxWriter counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from trackerkit.entries import DONE, Status
from trackerkit.model import Requirement

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from trackerkit.report import (
        CourseCounts,
        OverdueCourse,
        Person,
        PersonCourse,
        ReportProblem,
        TeamReport,
    )

SUMMARY = "Summary"
PEOPLE = "People"
COURSES = "Courses"
HEATMAP = "Heatmap"
OVERDUE = "Overdue"
PROBLEMS = "Problems"
DATA = "Course Data"
SHEETS = (SUMMARY, PEOPLE, COURSES, HEATMAP, OVERDUE, PROBLEMS, DATA)
HIDDEN = frozenset({DATA})
STREAMED = frozenset({PEOPLE, OVERDUE, DATA})
"""The sheets whose rows are written person by person, as their trackers are read: each
row depends on its person alone, and they come in the people's order."""

AS_OF = "Report_AsOf"
"""The defined name of the report's day, which every overdue figure compares with."""
DONE_STATUSES = tuple(status.value for status in Status if status in DONE)
REQUIRED = Requirement.REQUIRED.label

HEADINGS = {
    SUMMARY: ("Team report", "The team at a glance; every figure updates from the other sheets."),
    PEOPLE: ("People", "One row per tracker read; figures update from the Course Data sheet."),
    COURSES: ("Courses", "How many people whose role lists a course are at each status."),
    HEATMAP: (
        "Competency gaps",
        (
            "Gap to the role's target (manager rating, else self rating, else unrated); "
            "grey: not in that person's role."
        ),
    ),
    OVERDUE: (
        "Overdue courses",
        "Courses past their target date and not completed or waived, by person, oldest first.",
    ),
    PROBLEMS: ("Problems", "Every file or cell that could not be read as it should."),
}
"""Each visible sheet's title (row 0) and one line of help below it (row 1)."""


class Style(str, Enum):
    """How a value is shown; the writer keeps one cell format per style."""

    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATE = "date"
    NOT_IN_ROLE = "not_in_role"
    """A heatmap cell of a competency the person's role does not have."""


R = TypeVar("R")


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a table: its data, or its formula beside the twin that computes it."""

    key: str
    header: str
    width: float
    value: Callable[[R], Any]
    """The cell's value for a row; for a formula column, the formula's Python twin."""
    formula: Callable[[Table[R], int], str] | None = None
    style: Style = Style.TEXT
    name: str | None = None
    """The workbook-level defined name of the column's data cells."""
    missing: Style | None = None
    """The style of a cell whose value is None, where it differs from :attr:`style`."""


@dataclass(frozen=True)
class Total:
    """One cell of a totals row: its formula over the table and its twin over the report."""

    key: str
    """The column the cell stands under."""
    formula: Callable[[Table[Any], int], str]
    value: Callable[[TeamReport], Any]
    style: Style = Style.INTEGER


@dataclass(frozen=True)
class TotalRow:
    label: str
    label_key: str
    cells: tuple[Total, ...]


@dataclass(frozen=True)
class Table(Generic[R]):
    """A header row, one row per item, then its totals rows."""

    sheet: str
    header_row: int
    columns: tuple[Column[R], ...]
    rows: tuple[R, ...]
    totals: tuple[TotalRow, ...] = ()

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def last_row(self) -> int:
        """The last data row; an empty table keeps one blank row, so its ranges stay valid."""
        return self.first_row + max(len(self.rows), 1) - 1

    def total_row(self, index: int) -> int:
        return self.last_row + 1 + index

    def col(self, key: str) -> int:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def cell(self, key: str, row: int) -> str:
        return str(xl_rowcol_to_cell(row, self.col(key), col_abs=True))

    def span(self, key: str) -> str:
        """The column's data cells, sheet-qualified and absolute."""
        column = xl_col_to_name(self.col(key), col_abs=True)
        return (
            f"{quote_sheetname(self.sheet)}!{column}${self.first_row + 1}:"
            f"{column}${self.last_row + 1}"
        )

    def at_rows(self) -> list[tuple[int, R]]:
        """Each row's sheet row and item."""
        return [(self.first_row + offset, item) for offset, item in enumerate(self.rows)]


SUMMARY_COL = 1
"""The summary's values stand in column B, their labels in column A."""
SUMMARY_WIDTHS = (26, 14)
CHART_ROW = 7
"""Where the Summary sheet's chart starts, below the figures."""
CHART_PEOPLE = 40
"""Up to this many people the Summary's chart has a bar per person; a larger team gets a
bar per course instead, which stays readable."""
SUMMARY_PRINT_WIDTH = 105
"""The Summary's printed width in characters: its chart, 720 pixels at 7 a character."""
PAGE_WIDTH = 160
"""Column width (in characters) printed across one landscape page at a readable size."""


@dataclass(frozen=True)
class Field:
    """A labelled value in column B of the Summary sheet, data or formula."""

    label: str
    row: int
    value: Callable[[TeamReport], Any]
    formula: str | None = None
    name: str | None = None
    style: Style = Style.INTEGER

    @property
    def ref(self) -> str:
        cell = xl_rowcol_to_cell(self.row, SUMMARY_COL, row_abs=True, col_abs=True)
        return f"{quote_sheetname(SUMMARY)}!{cell}"


@dataclass(frozen=True)
class HeatRow:
    person: Person
    gaps: tuple[int | None, ...]


@dataclass(frozen=True)
class DataRow:
    person: Person
    course: PersonCourse


@dataclass(frozen=True)
class ReportLayout:
    summary: tuple[Field, ...]
    people: Table[Person]
    courses: Table[CourseCounts]
    heatmap: Table[HeatRow]
    gap_keys: tuple[str, ...]
    """The heatmap's competency columns, in order (none when nobody was read)."""
    overdue: Table[OverdueCourse]
    problems: Table[ReportProblem]
    data: Table[DataRow]

    @property
    def tables(self) -> tuple[Table[Any], ...]:
        return (self.people, self.courses, self.heatmap, self.overdue, self.problems, self.data)

    @cached_property
    def names(self) -> Mapping[str, str]:
        """Every workbook-level defined name and the range it points to."""
        names = {field.name: field.ref for field in self.summary if field.name}
        for table in self.tables:
            names.update({c.name: table.span(c.key) for c in table.columns if c.name})
        return MappingProxyType(names)


# --- People --------------------------------------------------------------------------------


def _required_done(table: Table[Person], row: int) -> str:
    person = table.cell("number", row)
    return "=" + "+".join(
        f'COUNTIFS(Data_Person,{person},Data_Requirement,"{REQUIRED}",Data_Status,"{status}")'
        for status in DONE_STATUSES
    )


def _required_total(table: Table[Person], row: int) -> str:
    return f'=COUNTIFS(Data_Person,{table.cell("number", row)},Data_Requirement,"{REQUIRED}")'


def _share(done: str, total: str) -> str:
    return f'=IF({total}=0,"",{done}/{total})'


def _blank(value: float | None) -> Any:
    return "" if value is None else value


def _gap_name(n: int) -> Callable[[Person], str]:
    return lambda person: person.largest_gaps[n] if n < len(person.largest_gaps) else ""


def _people_columns() -> tuple[Column[Person], ...]:
    return (
        Column("name", "Name", 24, lambda p: p.name),
        Column("employee_id", "Employee ID", 13, lambda p: p.employee_id),
        Column("manager", "Manager", 20, lambda p: p.manager),
        Column("role_title", "Role", 30, lambda p: p.role_title),
        Column("target_role", "Target role", 24, lambda p: p.target_role),
        Column(
            "required_done",
            "Required done",
            10,
            lambda p: p.required_done,
            _required_done,
            Style.INTEGER,
        ),
        Column(
            "required_total",
            "Required courses",
            10,
            lambda p: p.required_total,
            _required_total,
            Style.INTEGER,
        ),
        Column(
            "required_share",
            "Required progress",
            10,
            lambda p: _blank(p.required_share),
            lambda t, r: _share(t.cell("required_done", r), t.cell("required_total", r)),
            Style.PERCENT,
            "People_RequiredProgress",
        ),
        Column(
            "overdue",
            "Overdue",
            9,
            lambda p: p.overdue,
            lambda t, r: _overdue_count("Data_Person", t.cell("number", r)),
            Style.INTEGER,
        ),
        *(Column(f"gap_{n + 1}", f"Largest gap {n + 1}", 24, _gap_name(n)) for n in range(3)),
        Column(
            "number", "Person #", 9, lambda p: p.number, style=Style.INTEGER, name="People_Number"
        ),
        Column("role_id", "Role ID", 22, lambda p: p.role_id),
        Column("file", "File", 40, lambda p: p.file),
    )


def _sum(key: str) -> Callable[[Table[Any], int], str]:
    return lambda table, _: f"=SUM({table.span(key)})"


def _people_totals() -> tuple[TotalRow, ...]:
    def share(table: Table[Any], row: int) -> str:
        return _share(table.cell("required_done", row), table.cell("required_total", row))

    def team_share(team: TeamReport) -> Any:
        total = sum(p.required_total for p in team.people)
        return "" if total == 0 else sum(p.required_done for p in team.people) / total

    cells = (
        Total("required_done", _sum("required_done"), lambda t: _total(t, "required_done")),
        Total("required_total", _sum("required_total"), lambda t: _total(t, "required_total")),
        Total("required_share", share, team_share, Style.PERCENT),
        Total("overdue", _sum("overdue"), lambda t: _total(t, "overdue")),
    )
    return (TotalRow("Team", "name", cells),)


def _total(team: TeamReport, key: str) -> int:
    return sum(int(getattr(person, key)) for person in team.people)


# --- Courses -------------------------------------------------------------------------------

COUNTED = tuple(Status)
"""The per-course status counts, in the order of the status dropdown."""


def _status_key(status: Status) -> str:
    return status.name.lower()


def _status_count(status: Status) -> Callable[[Table[CourseCounts], int], str]:
    def formula(table: Table[CourseCounts], row: int) -> str:
        course = table.cell("course_id", row)
        return f'=COUNTIFS(Data_Course,{course},Data_Status,"{status.value}")'

    return formula


def _done_share(table: Table[Any], row: int) -> str:
    done = "+".join(table.cell(_status_key(s), row) for s in COUNTED if s in DONE)
    return _share(f"({done})", table.cell("listed", row))


def _course_columns() -> tuple[Column[CourseCounts], ...]:
    counts = tuple(
        Column(
            _status_key(status),
            status.value,
            11,
            _counter(status),
            _status_count(status),
            Style.INTEGER,
        )
        for status in COUNTED
    )
    return (
        Column("course_id", "Course ID", 30, lambda c: c.course_id),
        Column("title", "Course", 44, lambda c: c.title),
        Column(
            "listed",
            "People",
            9,
            lambda c: c.listed,
            lambda t, r: f"=COUNTIF(Data_Course,{t.cell('course_id', r)})",
            Style.INTEGER,
        ),
        *counts,
        Column(
            "overdue",
            "Overdue",
            9,
            lambda c: c.overdue,
            lambda t, r: _overdue_count("Data_Course", t.cell("course_id", r)),
            Style.INTEGER,
        ),
        Column("done_share", "Done", 9, lambda c: _blank(c.done_share), _done_share, Style.PERCENT),
    )


def _counter(status: Status) -> Callable[[CourseCounts], int]:
    return lambda counts: counts.count(status)


def _course_totals() -> tuple[TotalRow, ...]:
    def summed(key: str) -> Total:
        return Total(key, _sum(key), lambda team: sum(getattr(c, key) for c in team.courses))

    def team_share(team: TeamReport) -> Any:
        listed = sum(c.listed for c in team.courses)
        done = sum(c.count(s) for c in team.courses for s in COUNTED if s in DONE)
        return "" if listed == 0 else done / listed

    cells = (
        summed("listed"),
        *(Total(_status_key(s), _sum(_status_key(s)), _total_count(s)) for s in COUNTED),
        summed("overdue"),
        Total("done_share", _done_share, team_share, Style.PERCENT),
    )
    return (TotalRow("All courses", "title", cells),)


def _total_count(status: Status) -> Callable[[TeamReport], int]:
    return lambda team: sum(c.count(status) for c in team.courses)


# --- Heatmap -------------------------------------------------------------------------------

HEAT_IDS_ROW = 2
"""The row above the heatmap's header that holds each competency's id."""


def _gap_column(index: int, name: str) -> Column[HeatRow]:
    return Column(
        f"gap{index}",
        name,
        14,
        lambda row: row.gaps[index],
        style=Style.INTEGER,
        missing=Style.NOT_IN_ROLE,
    )


def _heatmap_columns(names: tuple[str, ...]) -> tuple[Column[HeatRow], ...]:
    def total_gap(table: Table[HeatRow], row: int) -> str:
        first, last = table.cell("gap0", row), table.cell(f"gap{len(names) - 1}", row)
        return f"=SUM({first}:{last})"

    total = (
        Column(
            "total",
            "Total gap",
            9,
            lambda row: sum(gap for gap in row.gaps if gap is not None),
            total_gap,
            Style.INTEGER,
        ),
    )
    return (
        Column("number", "#", 5, lambda row: row.person.number, style=Style.INTEGER),
        Column("name", "Name", 24, lambda row: row.person.name),
        Column("role_title", "Role", 30, lambda row: row.person.role_title),
        *(_gap_column(index, name) for index, name in enumerate(names)),
        *(total if names else ()),
    )


def _heatmap_totals(count: int) -> tuple[TotalRow, ...]:
    def below(index: int) -> Total:
        return Total(
            f"gap{index}",
            lambda table, _: f'=COUNTIF({table.span(f"gap{index}")},">0")',
            lambda team: sum(1 for gaps in team.heatmap.gaps if (gaps[index] or 0) > 0),
        )

    def average(index: int) -> Total:
        def twin(team: TeamReport) -> Any:
            gaps = [gap for row in team.heatmap.gaps if (gap := row[index]) is not None]
            return sum(gaps) / len(gaps) if gaps else ""

        return Total(
            f"gap{index}",
            lambda table, _: f'=IFERROR(AVERAGE({table.span(f"gap{index}")}),"")',
            twin,
            Style.DECIMAL,
        )

    return (
        TotalRow("People below target", "name", tuple(below(i) for i in range(count))),
        TotalRow("Average gap", "name", tuple(average(i) for i in range(count))),
    )


# --- Overdue, Problems, Course Data --------------------------------------------------------


def _overdue_columns() -> tuple[Column[OverdueCourse], ...]:
    return (
        Column("name", "Name", 24, lambda o: o.name),
        Column("employee_id", "Employee ID", 13, lambda o: o.employee_id),
        Column("role_title", "Role", 30, lambda o: o.role_title),
        Column("course_id", "Course ID", 30, lambda o: o.course_id),
        Column("title", "Course", 44, lambda o: o.title),
        Column("target_date", "Target date", 12, lambda o: o.target_date, style=Style.DATE),
        Column(
            "days_late",
            "Days late",
            9,
            lambda o: o.days_late,
            lambda t, r: f"={AS_OF}-{t.cell('target_date', r)}",
            Style.INTEGER,
        ),
        Column("file", "File", 40, lambda o: o.file),
    )


def _problem_columns() -> tuple[Column[ReportProblem], ...]:
    return (
        Column("file", "File", 40, lambda p: p.file, name="Problems_File"),
        Column("sheet", "Sheet", 22, lambda p: p.sheet or ""),
        Column("cell", "Cell", 8, lambda p: p.cell or ""),
        Column("severity", "Severity", 9, lambda p: p.severity.value),
        Column("message", "Message", 100, lambda p: p.message),
    )


def _overdue_count(key_range: str, key: str) -> str:
    """Courses of a person or a course past their target date and not done, in one formula.

    One COUNTIFS a row of People or Courses, rather than a formula on every row of the data
    (31,000 of them for 1,000 people, which made writing the report the slow part).
    """
    not_done = "".join(f',Data_Status,"<>{done}"' for done in DONE_STATUSES)
    return f'=COUNTIFS({key_range},{key},Data_TargetDate,"<"&{AS_OF}{not_done})'


def _data_columns() -> tuple[Column[DataRow], ...]:
    return (
        Column(
            "person", "#", 5, lambda d: d.person.number, style=Style.INTEGER, name="Data_Person"
        ),
        Column("name", "Name", 24, lambda d: d.person.name),
        Column("course_id", "Course ID", 30, lambda d: d.course.course_id, name="Data_Course"),
        Column(
            "requirement",
            "Requirement",
            12,
            lambda d: d.course.requirement.label,
            name="Data_Requirement",
        ),
        Column(
            "status",
            "Status",
            12,
            lambda d: "" if d.course.status is None else d.course.status.value,
            name="Data_Status",
        ),
        Column(
            "target_date",
            "Target date",
            12,
            lambda d: d.course.target_date,
            style=Style.DATE,
            name="Data_TargetDate",
        ),
        Column(
            "completed_on", "Completed on", 12, lambda d: d.course.completed_on, style=Style.DATE
        ),
    )


PEOPLE_COLUMNS = _people_columns()
PEOPLE_TOTALS = _people_totals()
OVERDUE_COLUMNS = _overdue_columns()
DATA_COLUMNS = _data_columns()


def _summary() -> tuple[Field, ...]:
    return (
        Field("As of", 2, lambda team: team.as_of, name=AS_OF, style=Style.DATE),
        Field("People in the report", 3, lambda t: len(t.people), "=COUNT(People_Number)"),
        Field("Files left out", 4, lambda t: len(t.skipped)),
        Field("Problems listed", 5, lambda t: len(t.problems), "=COUNTA(Problems_File)"),
    )


TABLE_HEADER_ROW = 3
"""Where the visible sheets' tables start, below their title, help and a gap."""


def report_layout(team: TeamReport) -> ReportLayout:
    """The report workbook's layout for ``team``: which rows and columns hold what."""
    names = tuple(c.name for c in team.heatmap.competencies)
    return ReportLayout(
        summary=_summary(),
        people=people_table(team.people),
        courses=Table(COURSES, TABLE_HEADER_ROW, _course_columns(), team.courses, _course_totals()),
        heatmap=Table(
            HEATMAP,
            HEAT_IDS_ROW + 1,
            _heatmap_columns(names),
            tuple(
                HeatRow(person, gaps)
                for person, gaps in zip(team.people, team.heatmap.gaps, strict=True)
            ),
            _heatmap_totals(len(names)),
        ),
        gap_keys=tuple(f"gap{index}" for index in range(len(names))),
        overdue=overdue_table(team.overdue),
        problems=Table(PROBLEMS, TABLE_HEADER_ROW, _problem_columns(), team.problems),
        data=data_table(
            tuple(DataRow(person, course) for person in team.people for course in person.courses)
        ),
    )


def people_table(rows: tuple[Person, ...] = ()) -> Table[Person]:
    """The People sheet's table; without rows, where its rows go before they are known."""
    return Table(PEOPLE, TABLE_HEADER_ROW, PEOPLE_COLUMNS, rows, PEOPLE_TOTALS)


def overdue_table(rows: tuple[OverdueCourse, ...] = ()) -> Table[OverdueCourse]:
    """The Overdue sheet's table; without rows, where its rows go before they are known."""
    return Table(OVERDUE, TABLE_HEADER_ROW, OVERDUE_COLUMNS, rows)


def data_table(rows: tuple[DataRow, ...] = ()) -> Table[DataRow]:
    """The Course Data sheet's table; without rows, where its rows go before they are known."""
    return Table(DATA, 0, DATA_COLUMNS, rows)


def streamed_tables() -> tuple[Table[Any], ...]:
    """The tables of :data:`STREAMED`, before their rows are known."""
    return (people_table(), overdue_table(), data_table())
