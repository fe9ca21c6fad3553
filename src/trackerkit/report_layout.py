"""The team report's workbook, declared once with :mod:`trackerkit.grid`: what is the report's own.

As in :mod:`trackerkit.layout`, each formula is a :class:`~trackerkit.grid.Formula` holding
its Python twin, which gives the value the writer caches for it; a LibreOffice test proves
the two agree. The figures a manager reads (required progress, overdue counts,
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
from functools import cached_property
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from trackerkit import grid
from trackerkit.entries import DONE, DONE_STATUSES, Status
from trackerkit.figures import (
    EXPIRY_WINDOW_DAYS,
    NOT_RATED,
    READY,
    RENEWAL_DUE,
    expiry_flag_formula,
    overdue_count,
)
from trackerkit.grid import (
    COMPUTED_STYLE,
    TOTAL_STYLE,
    Chart,
    Column,
    Field,
    Formula,
    Kind,
    Page,
    Rule,
    Style,
    Table,
    Text,
    Total,
    TotalRow,
    Width,
)
from trackerkit.model import Requirement
from trackerkit.report_data import ready_count, ready_first

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from trackerkit.entries import OwnCourse
    from trackerkit.report_data import (
        Bottleneck,
        CourseCounts,
        ExpiringCertification,
        Group,
        OverdueCourse,
        Person,
        PersonCourse,
        ReadinessRow,
        ReportProblem,
        TeamReport,
    )

REPORT_TITLE = "Team report"
"""The Summary sheet's title and the workbook's document title, by which a report is known."""
SUMMARY = "Summary"
PEOPLE = "People"
READINESS = "Readiness"
MANAGERS = "Managers"
LOCATIONS = "Locations"
BOTTLENECKS = "Bottlenecks"
COURSES = "Courses"
HEATMAP = "Heatmap"
OVERDUE = "Overdue"
CERTIFICATIONS = "Certifications expiring"
OWN = "Own Courses"
PROBLEMS = "Problems"
DATA = "Course Data"
SHEETS = (
    SUMMARY,
    PEOPLE,
    READINESS,
    MANAGERS,
    LOCATIONS,
    BOTTLENECKS,
    COURSES,
    HEATMAP,
    OVERDUE,
    CERTIFICATIONS,
    OWN,
    PROBLEMS,
    DATA,
)
HIDDEN = frozenset({DATA})
STREAMED = frozenset({PEOPLE, OVERDUE, OWN, DATA})
"""The sheets whose rows are written person by person, as their trackers are read: each
row depends on its person alone, and they come in the people's order."""

AS_OF = "Report_AsOf"
"""The defined name of the report's day, which every overdue figure compares with."""
REQUIRED = Requirement.REQUIRED.label

HEADINGS = {
    SUMMARY: (REPORT_TITLE, "The team at a glance; every figure updates from the other sheets."),
    PEOPLE: (
        "People",
        (
            "One row per person; figures update from the Course Data sheet. Problems: the "
            "errors and warnings the Problems sheet lists for the person's file."
        ),
    ),
    READINESS: (
        "Ready for their target role?",
        (
            "Each person who chose a target role: what of it they meet, ready first, then the "
            "most met. Figures update from the counts their trackers give."
        ),
    ),
    MANAGERS: (
        "Per manager",
        "The people of each manager, as their trackers name them; figures update from People.",
    ),
    LOCATIONS: (
        "Per location",
        "The people of each location, as their trackers give it; figures update from People.",
    ),
    BOTTLENECKS: (
        "Bottleneck courses",
        (
            "Required courses by how many people have not done them: counts update from the "
            "Course Data sheet, the order is the report's, as of its day."
        ),
    ),
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
    CERTIFICATIONS: (
        "Certifications expiring",
        (
            f"Certifications that have expired, or expire within {EXPIRY_WINDOW_DAYS} days, on "
            "the report's day, as the trackers give their dates; the earliest first."
        ),
    ),
    OWN: (
        "Own courses",
        (
            "The courses people added in the Your own courses rows of their trackers, by "
            "person: they count in their hours and all-courses progress, never in required "
            "progress or readiness."
        ),
    ),
    PROBLEMS: ("Problems", "Every file or cell that could not be read as it should."),
}
"""Each visible sheet's title (row 0) and one line of help below it (row 1)."""
TITLE_HEIGHT = 24
"""Room for the 16-point title."""


def heading(sheet: str) -> tuple[Text, ...]:
    """A visible sheet's title and line of help; none for the hidden data sheet."""
    if sheet not in HEADINGS:
        return ()
    title, help_text = HEADINGS[sheet]
    return Text(0, 0, title, Style.TITLE), Text(1, 0, help_text, Style.MUTED)


def _column(
    key: str,
    header: str,
    width: float,
    value: Callable[[Any], Any],
    formula: Callable[[Any, int], str] | None = None,
    *,
    style: Style = Style.TEXT,
    name: str | None = None,
    missing: Style | None = None,
) -> Column[Any]:
    """A report column: data, or a formula whose twin is ``value`` (then shaded)."""
    if formula is None:
        return Column(
            key, header, width, Kind.STATIC, name, value=value, style=style, missing=missing
        )
    return Column(
        key,
        header,
        width,
        Kind.FORMULA,
        name,
        Formula(formula, value),
        value=value,
        style=COMPUTED_STYLE[style],
        missing=missing,
    )


def _total(
    key: str,
    formula: Callable[[Any, int], str],
    twin: Callable[[TeamReport], Any],
    style: Style = Style.INTEGER,
) -> Total:
    return Total(key, Formula(formula, twin), TOTAL_STYLE[style])


SUMMARY_COL = 1
"""The summary's values stand in column B, their labels in column A."""
SUMMARY_WIDTHS = (26, 14)
CHART_ROW = 8
"""Where the Summary sheet's chart starts, below the figures."""
CHART_PEOPLE = 40
"""Up to this many people the Summary's chart has a bar per person; a larger team gets a
bar per course instead, which stays readable."""
SUMMARY_PRINT_WIDTH = 105
"""The Summary's printed width in characters: its chart, 720 pixels at 7 a character."""
PAGE_WIDTH = 200
"""The most column width (in characters) a table prints across its one landscape page: Letter
holds about 160 at full size, so this prints at no less than 80%. The heatmap, a column a
competency, may need more and prints smaller."""
PAGE_HEADER = "&LTeam report&R&A"


@dataclass(frozen=True)
class HeatRow:
    person: Person
    gaps: tuple[int | str | None, ...]


@dataclass(frozen=True)
class DataRow:
    person: Person
    course: PersonCourse


@dataclass(frozen=True)
class OwnRow:
    person: Person
    course: OwnCourse


@dataclass(frozen=True)
class ReportLayout:
    summary: tuple[Field, ...]
    people: Table[Person]
    readiness: Table[ReadinessRow]
    managers: Table[Group]
    locations: Table[Group]
    bottlenecks: Table[Bottleneck]
    courses: Table[CourseCounts]
    heatmap: Table[HeatRow]
    gap_keys: tuple[str, ...]
    """The heatmap's competency columns, in order (none when nobody was read)."""
    heat_ids: tuple[Text, ...]
    """Each competency's id above its name, so a column is known whatever it is called."""
    overdue: Table[OverdueCourse]
    problems: Table[ReportProblem]
    data: Table[DataRow]
    certifications: Table[ExpiringCertification]
    own: Table[OwnRow]

    @property
    def tables(self) -> tuple[Table[Any], ...]:
        return (
            self.people,
            self.readiness,
            self.managers,
            self.locations,
            self.bottlenecks,
            self.courses,
            self.heatmap,
            self.overdue,
            self.certifications,
            self.own,
            self.problems,
            self.data,
        )

    @cached_property
    def names(self) -> Mapping[str, str]:
        """Every workbook-level defined name and the range it points to."""
        names = grid.names_of((), tuple((SUMMARY, field) for field in self.summary))
        for table in self.tables:
            names.update({c.name: table.span(c.key) for c in table.columns if c.name})
        return MappingProxyType(names)

    @property
    def chart(self) -> Chart | None:
        """A bar per person, their required progress; for a large team, a bar per course, the
        share of its people who have done it. The title says which."""
        people = self.people
        if not people.rows:
            return None
        if len(people.rows) <= CHART_PEOPLE:
            table: Table[Any] = people
            cols, series = ("name", "required_share"), "Required progress"
            title = "Required courses done, per person"
        else:
            table = self.courses
            cols, series = ("title", "done_share"), "Done"
            title = "Share of people who have done each course"
        return Chart(
            CHART_ROW,
            0,
            table.sheet,
            (table.first_row, table.last_row),
            (table.col(cols[0]), table.col(cols[1])),
            series,
            title,
        )

    @property
    def gap_colours(self) -> Rule | None:
        """The heatmap's gaps coloured green (0) to red (3+)."""
        table, keys = self.heatmap, self.gap_keys
        if not keys:
            return None
        first, last = table.col(keys[0]), table.col(keys[-1])
        return Rule(table.first_row, first, table.last_row, last, grid.GAP_SCALE, "gap colours")

    @property
    def not_rated_look(self) -> Rule | None:
        """A competency the person has not rated: in its own look, no colour of a gap."""
        table, keys = self.heatmap, self.gap_keys
        if not keys:
            return None
        first, last = table.col(keys[0]), table.col(keys[-1])
        return Rule(
            table.first_row,
            first,
            table.last_row,
            last,
            grid.text_is(NOT_RATED),
            "not rated",
            Style.NOT_RATED,
        )

    @property
    def heat_freeze(self) -> tuple[int, int] | None:
        """The heatmap keeps its names in view as it scrolls across the gaps."""
        if not self.gap_keys:
            return None
        return self.heatmap.first_row, self.heatmap.col(self.gap_keys[0])


SUMMARY_PAGE = Page(PAGE_HEADER, landscape=True, fit_width=1)
"""The Summary prints landscape, one page wide (its width is :data:`SUMMARY_PRINT_WIDTH`)."""


def table_page(table: Table[Any]) -> Page:
    """A table's print setup: landscape, one page wide, the header row on every page; the
    bookkeeping columns (:data:`NOT_PRINTED`) are left off the page."""
    last_row = table.total_row(len(table.totals) - 1) if table.totals else table.last_row
    return Page(
        PAGE_HEADER,
        landscape=True,
        fit_width=1,
        repeat_rows=table.header_row,
        print_area=(0, 0, last_row, len(printed_columns(table)) - 1),
    )


def printed_columns(table: Table[Any]) -> tuple[Column[Any], ...]:
    """A table's columns up to the last one that is not bookkeeping: what its page shows."""
    keys = [column.key for column in table.columns]
    while len(keys) > 1 and keys[-1] in NOT_PRINTED:
        keys.pop()
    return table.columns[: len(keys)]


def printed_width(table: Table[Any]) -> float:
    """The width, in characters, of what a table prints: what its one page must hold."""
    return sum(column.width for column in printed_columns(table))


def table_widths(table: Table[Any]) -> tuple[Width, ...]:
    return tuple(Width(index, index, column.width) for index, column in enumerate(table.columns))


SUMMARY_COLUMN_WIDTHS = tuple(Width(col, col, width) for col, width in enumerate(SUMMARY_WIDTHS))


# --- People --------------------------------------------------------------------------------


DATA_NOT_LAPSED = f'Data_RenewalDue,"<>{RENEWAL_DUE}"'
"""Leaves out courses due for renewal, as the tracker does: they are not done."""


def _required_done(table: Table[Person], row: int) -> str:
    person = table.cell("number", row)
    return "=" + "+".join(
        f'COUNTIFS(Data_Person,{person},Data_Requirement,"{REQUIRED}",Data_Status,"{status}",'
        f"{DATA_NOT_LAPSED})"
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


def _overdue_count(key_range: str, key: str) -> str:
    """Courses of a person or a course past their target date and not done, in one formula.

    One COUNTIFS a row of People or Courses, rather than a formula on every row of the data
    (31,000 of them for 1,000 people, which made writing the report the slow part).
    """
    return overdue_count(f"{key_range},{key}", "Data_Status", "Data_TargetDate", AS_OF)


ROLE_WIDTH = 20
"""Role titles wrap in this width, so "Patient Services Representative" and its I, II or III
show on two lines rather than clipped to the same text."""
NOT_PRINTED = frozenset({"number", "role_id", "file"})
"""Bookkeeping columns: where they end a table, they are left off its printed page (which
stays one page wide and readable); they are on the sheet."""


def _people_columns() -> tuple[Column[Person], ...]:
    return (
        _column("name", "Name", 22, lambda p: p.name, style=Style.WRAP),
        _column("employee_id", "Employee ID", 11, lambda p: p.employee_id),
        _column(
            "manager", "Manager", 18, lambda p: p.manager, style=Style.WRAP, name="People_Manager"
        ),
        _column(
            "location",
            "Location",
            14,
            lambda p: p.location,
            style=Style.WRAP,
            name="People_Location",
        ),
        _column("role_title", "Role", ROLE_WIDTH, lambda p: p.role_title, style=Style.WRAP),
        _column("target_role", "Target role", 18, lambda p: p.target_role, style=Style.WRAP),
        *(
            _column(f"gap_{n + 1}", f"Largest gap {n + 1}", 16, _gap_name(n), style=Style.WRAP)
            for n in range(3)
        ),
        # the figures after the texts: a number right before left-aligned text runs into it
        _column(
            "required_done",
            "Required done",
            9,
            lambda p: p.required_done,
            _required_done,
            style=Style.INTEGER,
        ),
        _column(
            "required_total",
            "Required courses",
            9,
            lambda p: p.required_total,
            _required_total,
            style=Style.INTEGER,
        ),
        _column(
            "required_share",
            "Required progress",
            9,
            lambda p: _blank(p.required_share),
            lambda t, r: _share(t.cell("required_done", r), t.cell("required_total", r)),
            style=Style.PERCENT,
            name="People_RequiredProgress",
        ),
        _column(
            "overdue",
            "Overdue",
            8,
            lambda p: p.overdue,
            lambda t, r: _overdue_count("Data_Person", t.cell("number", r)),
            style=Style.INTEGER,
            name="People_Overdue",
        ),
        _column(
            "problems",
            "Problems",
            9,
            lambda p: p.problems,
            lambda t, r: f"=SUMPRODUCT(--EXACT(Problems_File,{t.cell('file', r)}))",
            style=Style.INTEGER,
        ),
        _column(
            "number", "Person #", 9, lambda p: p.number, style=Style.CENTER, name="People_Number"
        ),
        _column("role_id", "Role ID", 22, lambda p: p.role_id),
        _column("file", "File", 40, lambda p: p.file),
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
        _total("required_done", _sum("required_done"), lambda t: _summed(t, "required_done")),
        _total("required_total", _sum("required_total"), lambda t: _summed(t, "required_total")),
        _total("required_share", share, team_share, Style.PERCENT),
        _total("overdue", _sum("overdue"), lambda t: _summed(t, "overdue")),
    )
    return (TotalRow("Team", "name", cells),)


def _summed(team: TeamReport, key: str) -> int:
    return sum(int(getattr(person, key)) for person in team.people)


# --- Readiness -----------------------------------------------------------------------------


def _to_go(table: Table[ReadinessRow], row: int) -> tuple[str, str]:
    """The row's courses and competencies still to go, as formula terms."""

    def short(total: str, met: str) -> str:
        return f"({table.cell(total, row)}-{table.cell(met, row)})"

    return short("courses_required", "courses_done"), short(
        "competencies_asked", "competencies_met"
    )


def _verdict(table: Table[ReadinessRow], row: int) -> str:
    """As the tracker's NextRole_Verdict: Ready, or how many things are still to go."""
    courses, competencies = _to_go(table, row)
    to_go = f"{courses}+{competencies}"
    return f'=IF({to_go}=0,"{READY}","Not yet: "&({to_go})&" to go")'


def verdict(to_go: int) -> str:
    """The twin of the Readiness sheet's verdict."""
    return READY if to_go == 0 else f"Not yet: {to_go} to go"


MISSING_WORDS = (("course", "courses"), ("competency", "competencies"))
"""What the Readiness sheet's *Still missing* counts, one and more."""


def _missing(table: Table[ReadinessRow], row: int) -> str:
    """The counts still to go, worded: "2 courses, 1 competency"."""
    terms = _to_go(table, row)
    parts = [
        f'IF({term}>0,{term}&IF({term}=1," {one}"," {more}"),"")'
        for term, (one, more) in zip(terms, MISSING_WORDS, strict=True)
    ]
    both = f'IF(AND({terms[0]}>0,{terms[1]}>0),", ","")'
    return f"={parts[0]}&{both}&{parts[1]}"


def missing(courses: int, competencies: int) -> str:
    """The twin of the Readiness sheet's *Still missing*."""
    counts = zip((courses, competencies), MISSING_WORDS, strict=True)
    return ", ".join(f"{n} {one if n == 1 else more}" for n, (one, more) in counts if n > 0)


def _readiness_share(done: str, total: str) -> Callable[[Table[ReadinessRow], int], str]:
    return lambda table, row: _share(table.cell(done, row), table.cell(total, row))


def _person_text(
    key: str, header: str, width: float, name: str | None = None
) -> Column[ReadinessRow]:
    """A text of the person's, as People shows it."""
    return _column(
        key, header, width, lambda r: getattr(r.person, key), style=Style.WRAP, name=name
    )


def _count_column(key: str, header: str, width: float) -> Column[ReadinessRow]:
    return _column(key, header, width, lambda r: getattr(r.readiness, key), style=Style.INTEGER)


def _readiness_columns() -> tuple[Column[ReadinessRow], ...]:
    def shared(done: int, total: int) -> Any:
        return "" if total == 0 else done / total

    return (  # the texts first: a number right before left-aligned text would run into it
        _person_text("name", "Name", 22),
        _person_text("role_title", "Role", ROLE_WIDTH),
        _person_text("target_role", "Target role", 20),
        _person_text("manager", "Manager", 18, "Readiness_Manager"),
        _person_text("location", "Location", 14, "Readiness_Location"),
        _column(
            "verdict",
            "Ready for it?",
            16,
            lambda r: verdict(r.to_go),
            _verdict,
            name="Readiness_Verdict",
        ),
        _column(
            "missing",
            "Still missing",
            22,
            lambda r: missing(r.courses_to_go, r.competencies_to_go),
            _missing,
        ),
        _column(
            "courses_share",
            "Courses readiness",
            10,
            lambda r: shared(r.readiness.courses_done, r.readiness.courses_required),
            _readiness_share("courses_done", "courses_required"),
            style=Style.PERCENT,
        ),
        _column(
            "competencies_share",
            "Competencies readiness",
            13,
            lambda r: shared(r.readiness.competencies_met, r.readiness.competencies_asked),
            _readiness_share("competencies_met", "competencies_asked"),
            style=Style.PERCENT,
        ),
        _count_column("courses_done", "Required courses done", 9),
        _count_column("courses_required", "Required courses", 9),
        _count_column("competencies_met", "Competencies at level", 13),
        _count_column("competencies_asked", "Competencies asked", 13),
        _column("number", "Person #", 9, lambda r: r.person.number, style=Style.CENTER),
    )


# --- Per manager, per location ------------------------------------------------------------

NO_NAME = "(none given)"
"""What a group of people who gave no manager or location is called."""


def _group_columns(header: str, names: str, ready_names: str) -> tuple[Column[Group], ...]:
    """A group's name and figures over the People sheet's column ``names`` (People_Manager or
    People_Location), matched with EXACT(): no wildcard or comparison sign in a name counts.

    The count of people ready for their target is over the Readiness sheet's column
    ``ready_names``, whose rows carry each person's manager and location.
    """

    def match(table: Table[Group], row: int, names: str = names) -> str:
        group = table.rows[row - table.first_row]  # the name cell shows NO_NAME for ""
        against = table.cell("name", row) if group.name else '""'
        return f"EXACT({names},{against})"

    def ready_match(table: Table[Group], row: int) -> str:
        return match(table, row, ready_names)

    def progress(table: Table[Group], row: int) -> str:
        people = f"--{match(table, row)}"
        return (
            f"=IFERROR(SUMPRODUCT({people},People_RequiredProgress)"
            f'/SUMPRODUCT({people},--ISNUMBER(People_RequiredProgress)),"")'
        )

    return (
        _column("name", header, 28, lambda g: g.name or NO_NAME, style=Style.WRAP),
        _column(
            "people",
            "People",
            9,
            lambda g: g.people,
            lambda t, r: f"=SUMPRODUCT(--{match(t, r)})",
            style=Style.INTEGER,
        ),
        _column(
            "average_progress",
            "Average required progress",
            12,
            lambda g: _blank(g.average_progress),
            progress,
            style=Style.PERCENT,
        ),
        _column(
            "overdue",
            "Overdue courses",
            10,
            lambda g: g.overdue,
            lambda t, r: f"=SUMPRODUCT(--{match(t, r)},People_Overdue)",
            style=Style.INTEGER,
        ),
        _column(
            "ready",
            "Ready for their target",
            10,
            lambda g: g.ready,
            lambda t, r: f'=SUMPRODUCT(--{ready_match(t, r)},--EXACT(Readiness_Verdict,"{READY}"))',
            style=Style.INTEGER,
        ),
    )


def _bottleneck_columns() -> tuple[Column[Bottleneck], ...]:
    def required_of(table: Table[Bottleneck], row: int) -> str:
        return f'COUNTIFS(Data_Course,{table.cell("course_id", row)},Data_Requirement,"{REQUIRED}")'

    def not_done(table: Table[Bottleneck], row: int) -> str:
        course = table.cell("course_id", row)
        done = "".join(
            f'-COUNTIFS(Data_Course,{course},Data_Requirement,"{REQUIRED}",Data_Status,"{status}",'
            f"{DATA_NOT_LAPSED})"
            for status in DONE_STATUSES
        )
        return f"={table.cell('required_of', row)}{done}"

    return (
        _column("course_id", "Course ID", 30, lambda b: b.course_id),
        _column("title", "Course", 44, lambda b: b.title, style=Style.WRAP),
        _column(
            "required_of",
            "Required of",
            10,
            lambda b: b.required_of,
            lambda t, r: "=" + required_of(t, r),
            style=Style.INTEGER,
        ),
        _column("not_done", "Not done", 10, lambda b: b.not_done, not_done, style=Style.INTEGER),
    )


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
        _column(
            _status_key(status),
            status.value,
            11,
            _counter(status),
            _status_count(status),
            style=Style.INTEGER,
        )
        for status in COUNTED
    )
    return (
        _column("course_id", "Course ID", 30, lambda c: c.course_id),
        _column("title", "Course", 44, lambda c: c.title),
        _column(
            "listed",
            "People",
            9,
            lambda c: c.listed,
            lambda t, r: f"=COUNTIF(Data_Course,{t.cell('course_id', r)})",
            style=Style.INTEGER,
        ),
        *counts,
        _column(
            "overdue",
            "Overdue",
            9,
            lambda c: c.overdue,
            lambda t, r: _overdue_count("Data_Course", t.cell("course_id", r)),
            style=Style.INTEGER,
        ),
        _column(
            "done_share",
            "Done",
            9,
            lambda c: _blank(c.done_share),
            _done_share,
            style=Style.PERCENT,
        ),
    )


def _counter(status: Status) -> Callable[[CourseCounts], int]:
    return lambda counts: counts.count(status)


def _course_totals() -> tuple[TotalRow, ...]:
    def summed(key: str) -> Total:
        return _total(key, _sum(key), lambda team: sum(getattr(c, key) for c in team.courses))

    def team_share(team: TeamReport) -> Any:
        listed = sum(c.listed for c in team.courses)
        done = sum(c.count(s) for c in team.courses for s in COUNTED if s in DONE)
        return "" if listed == 0 else done / listed

    cells = (
        summed("listed"),
        *(_total(_status_key(s), _sum(_status_key(s)), _total_count(s)) for s in COUNTED),
        summed("overdue"),
        _total("done_share", _done_share, team_share, Style.PERCENT),
    )
    return (TotalRow("All courses", "title", cells),)


def _total_count(status: Status) -> Callable[[TeamReport], int]:
    return lambda team: sum(c.count(status) for c in team.courses)


# --- Heatmap -------------------------------------------------------------------------------

HEAT_IDS_ROW = 2
"""The row above the heatmap's header that holds each competency's id."""


GAP_WIDTHS = (8, 16)
"""The narrowest and widest a heatmap column is: as wide as the longest word of the
competencies' names, so a header wraps between words, and the sheet stays as narrow as
that allows on its one printed page."""


def _gap_width(names: tuple[str, ...]) -> int:
    longest = max((len(word) for name in names for word in name.split()), default=0)
    return min(max(longest + 1, GAP_WIDTHS[0]), GAP_WIDTHS[1])


def _gap_column(index: int, name: str, width: int) -> Column[HeatRow]:
    return _column(
        f"gap{index}",
        name,
        width,
        lambda row: row.gaps[index],
        style=Style.CENTER,
        missing=Style.NOT_IN_ROLE,
    )


def _heatmap_columns(names: tuple[str, ...]) -> tuple[Column[HeatRow], ...]:
    def total_gap(table: Table[HeatRow], row: int) -> str:
        first, last = table.cell("gap0", row), table.cell(f"gap{len(names) - 1}", row)
        return f"=SUM({first}:{last})"

    total = (
        _column(
            "total",
            "Total gap",
            9,
            lambda row: sum(gap for gap in row.gaps if isinstance(gap, int)),
            total_gap,
            style=Style.INTEGER,
        ),
    )
    width = _gap_width(names)
    return (  # text first: a number right before left-aligned text would run into it
        _column("name", "Name", 22, lambda row: row.person.name, style=Style.WRAP),
        _column(
            "role_title", "Role", ROLE_WIDTH, lambda row: row.person.role_title, style=Style.WRAP
        ),
        _column("number", "#", 5, lambda row: row.person.number, style=Style.CENTER),
        *(_gap_column(index, name, width) for index, name in enumerate(names)),
        *(total if names else ()),
    )


def _heatmap_totals(count: int) -> tuple[TotalRow, ...]:
    def below(index: int) -> Total:
        return _total(
            f"gap{index}",
            lambda table, _: f'=COUNTIF({table.span(f"gap{index}")},">0")',
            lambda team: sum(
                1 for gaps in team.heatmap.gaps if isinstance(gap := gaps[index], int) and gap > 0
            ),
        )

    def average(index: int) -> Total:
        def twin(team: TeamReport) -> Any:
            gaps = [gap for row in team.heatmap.gaps if isinstance(gap := row[index], int)]
            return sum(gaps) / len(gaps) if gaps else ""

        return _total(
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


def _whose() -> tuple[Column[Any], ...]:
    """The first columns of a sheet that lists people's items: whose item each row is."""
    return (
        _column("name", "Name", 22, lambda o: o.name, style=Style.WRAP),
        _column("employee_id", "Employee ID", 11, lambda o: o.employee_id),
        _column("role_title", "Role", ROLE_WIDTH, lambda o: o.role_title, style=Style.WRAP),
    )


def _overdue_columns() -> tuple[Column[OverdueCourse], ...]:
    return (
        *_whose(),
        _column("course_id", "Course ID", 28, lambda o: o.course_id),
        _column("title", "Course", 36, lambda o: o.title, style=Style.WRAP),
        _column("target_date", "Target date", 12, lambda o: o.target_date, style=Style.DATE),
        _column(
            "days_late",
            "Days late",
            9,
            lambda o: o.days_late,
            lambda t, r: f"={AS_OF}-{t.cell('target_date', r)}",
            style=Style.CENTER,
        ),
        _column("file", "File", 40, lambda o: o.file),
    )


def _certification_columns() -> tuple[Column[ExpiringCertification], ...]:
    return (
        *_whose(),
        _column(
            "certification_id",
            "Certification ID",
            16,
            lambda c: c.certification_id,
            name="Expiring_CertificationID",
        ),
        _column("certification", "Certification", 36, lambda c: c.certification, style=Style.WRAP),
        _column("requirement", "Requirement", 12, lambda c: c.requirement.label),
        _column("expires_on", "Expires on", 12, lambda c: c.expires_on, style=Style.DATE),
        _column(
            "expiry",
            "Expiry",
            22,
            lambda c: c.expiry,
            lambda t, r: expiry_flag_formula(t.cell("expires_on", r), AS_OF),
        ),
        _column(
            "days_left",
            "Days left",
            9,
            lambda c: c.days_left,
            lambda t, r: f"={t.cell('expires_on', r)}-{AS_OF}",
            style=Style.CENTER,
        ),
        _column("file", "File", 40, lambda c: c.file),
    )


def _own_columns() -> tuple[Column[OwnRow], ...]:
    return (
        _column("name", "Name", 22, lambda o: o.person.name, style=Style.WRAP),
        _column("employee_id", "Employee ID", 11, lambda o: o.person.employee_id),
        _column("id", "ID", 18, lambda o: o.course.id),
        _column("title", "Course", 36, lambda o: o.course.title, style=Style.WRAP),
        _column("provider", "Provider", 20, lambda o: o.course.provider, style=Style.WRAP),
        _column(
            "status",
            "Status",
            12,
            lambda o: "" if o.course.status is None else o.course.status.value,
        ),
        _column("hours", "Hours", 7, lambda o: o.course.hours, style=Style.DECIMAL),
        _column("target_date", "Target date", 12, lambda o: o.course.target_date, style=Style.DATE),
        _column(
            "completed_on", "Completed on", 12, lambda o: o.course.completed_on, style=Style.DATE
        ),
        _column("file", "File", 40, lambda o: o.person.file),
    )


def _problem_columns() -> tuple[Column[ReportProblem], ...]:
    return (
        _column("file", "File", 36, lambda p: p.file, style=Style.WRAP, name="Problems_File"),
        _column("sheet", "Sheet", 18, lambda p: p.sheet or "", style=Style.WRAP),
        _column("cell", "Cell", 7, lambda p: p.cell or ""),
        _column("severity", "Severity", 9, lambda p: p.severity.value),
        _column("code", "Code", 22, lambda p: p.code.value),
        _column("message", "Message", 90, lambda p: p.message, style=Style.WRAP),
    )


def _data_columns() -> tuple[Column[DataRow], ...]:
    return (
        _column(
            "person", "#", 5, lambda d: d.person.number, style=Style.INTEGER, name="Data_Person"
        ),
        _column("name", "Name", 24, lambda d: d.person.name),
        _column("course_id", "Course ID", 30, lambda d: d.course.course_id, name="Data_Course"),
        _column(
            "requirement",
            "Requirement",
            12,
            lambda d: d.course.requirement.label,
            name="Data_Requirement",
        ),
        _column(
            "status",
            "Status",
            12,
            lambda d: "" if d.course.status is None else d.course.status.value,
            name="Data_Status",
        ),
        _column(
            "target_date",
            "Target date",
            12,
            lambda d: d.course.target_date,
            style=Style.DATE,
            name="Data_TargetDate",
        ),
        _column(
            "completed_on", "Completed on", 12, lambda d: d.course.completed_on, style=Style.DATE
        ),
        _column(
            "renewal_due",
            "Renewal due",
            12,
            lambda d: RENEWAL_DUE if d.course.renewal_due else "",
            name="Data_RenewalDue",
        ),
    )


PEOPLE_COLUMNS = _people_columns()
PEOPLE_TOTALS = _people_totals()
OVERDUE_COLUMNS = _overdue_columns()
OWN_COLUMNS = _own_columns()
DATA_COLUMNS = _data_columns()


def _summary() -> tuple[Field, ...]:
    def data(label: str, row: int, value: Callable[[TeamReport], Any], **more: Any) -> Field:
        key = label.lower().replace(" ", "_")
        return Field(
            key, label, row, SUMMARY_COL, Kind.STATIC, more.pop("name", None), value=value, **more
        )

    def figure(label: str, row: int, text: str, twin: Callable[[TeamReport], Any]) -> Field:
        key = label.lower().replace(" ", "_")
        formula = Formula(text, twin)
        return Field(
            key, label, row, SUMMARY_COL, Kind.FORMULA, None, formula, Style.COMPUTED_INTEGER
        )

    return (
        data("As of", 2, lambda team: team.as_of, name=AS_OF, style=Style.DATE),
        figure("People in the report", 3, "=COUNT(People_Number)", lambda t: len(t.people)),
        data("Files left out", 4, lambda t: len(t.skipped), style=Style.INTEGER),
        figure("Problems listed", 5, "=COUNTA(Problems_File)", lambda t: len(t.problems)),
        figure(
            "Ready for their target",
            6,
            f'=COUNTIF(Readiness_Verdict,"{READY}")',
            lambda t: ready_count(t.people),
        ),
        figure(
            "Certifications to renew",
            7,
            "=COUNTA(Expiring_CertificationID)",
            lambda t: len(t.expiring_certifications),
        ),
    )


TABLE_HEADER_ROW = 3
"""Where the visible sheets' tables start, below their title, help and a gap."""


def report_layout(team: TeamReport) -> ReportLayout:
    """The report workbook's layout for ``team``: which rows and columns hold what."""
    names = tuple(c.name for c in team.heatmap.competencies)
    gap_keys = tuple(f"gap{index}" for index in range(len(names)))
    heatmap = Table(
        HEATMAP,
        HEATMAP,
        HEAT_IDS_ROW + 1,
        _heatmap_columns(names),
        tuple(
            HeatRow(person, gaps)
            for person, gaps in zip(team.people, team.heatmap.gaps, strict=True)
        ),
        _heatmap_totals(len(names)),
    )
    return ReportLayout(
        summary=_summary(),
        people=people_table(team.people),
        readiness=Table(
            READINESS, READINESS, TABLE_HEADER_ROW, _readiness_columns(), ready_first(team.people)
        ),
        managers=Table(
            MANAGERS,
            MANAGERS,
            TABLE_HEADER_ROW,
            _group_columns("Manager", "People_Manager", "Readiness_Manager"),
            team.managers,
        ),
        locations=Table(
            LOCATIONS,
            LOCATIONS,
            TABLE_HEADER_ROW,
            _group_columns("Location", "People_Location", "Readiness_Location"),
            team.locations,
        ),
        bottlenecks=Table(
            BOTTLENECKS, BOTTLENECKS, TABLE_HEADER_ROW, _bottleneck_columns(), team.bottlenecks
        ),
        courses=Table(
            COURSES, COURSES, TABLE_HEADER_ROW, _course_columns(), team.courses, _course_totals()
        ),
        heatmap=heatmap,
        gap_keys=gap_keys,
        heat_ids=tuple(
            Text(HEAT_IDS_ROW, heatmap.col(key), competency.id, Style.MUTED)
            for key, competency in zip(gap_keys, team.heatmap.competencies, strict=True)
        ),
        overdue=overdue_table(team.overdue),
        problems=Table(PROBLEMS, PROBLEMS, TABLE_HEADER_ROW, _problem_columns(), team.problems),
        data=data_table(
            tuple(DataRow(person, course) for person in team.people for course in person.courses)
        ),
        certifications=Table(
            CERTIFICATIONS,
            "Certifications",
            TABLE_HEADER_ROW,
            _certification_columns(),
            team.expiring_certifications,
        ),
        own=own_table(own_rows(team.people)),
    )


def people_table(rows: tuple[Person, ...] = ()) -> Table[Person]:
    """The People sheet's table; without rows, where its rows go before they are known."""
    return Table(PEOPLE, PEOPLE, TABLE_HEADER_ROW, PEOPLE_COLUMNS, rows, PEOPLE_TOTALS)


def overdue_table(rows: tuple[OverdueCourse, ...] = ()) -> Table[OverdueCourse]:
    """The Overdue sheet's table; without rows, where its rows go before they are known."""
    return Table(OVERDUE, OVERDUE, TABLE_HEADER_ROW, OVERDUE_COLUMNS, rows)


def own_rows(people: Iterable[Person]) -> tuple[OwnRow, ...]:
    """Each person's own courses, in the people's order."""
    return tuple(OwnRow(person, course) for person in people for course in person.own_courses)


def own_table(rows: tuple[OwnRow, ...] = ()) -> Table[OwnRow]:
    """The Own Courses sheet's table; without rows, where its rows go before they are known."""
    return Table(OWN, OWN, TABLE_HEADER_ROW, OWN_COLUMNS, rows)


def data_table(rows: tuple[DataRow, ...] = ()) -> Table[DataRow]:
    """The Course Data sheet's table; without rows, where its rows go before they are known."""
    return Table(DATA, DATA, 0, DATA_COLUMNS, rows, fit_rows=False)


def streamed_tables() -> tuple[Table[Any], ...]:
    """The tables of :data:`STREAMED`, before their rows are known."""
    return (people_table(), overdue_table(), data_table(), own_table())
