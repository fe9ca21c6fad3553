"""The tracker's layout, declared once: sheets, cells, headers, names, formulas.

The writer walks this description to make a workbook and the reader (like
the tests) walks it to find inputs again, so no coordinate, header text or
defined name is written anywhere else. Each formula is declared beside the
Python twin (from :mod:`trackerkit.figures`) that gives its cached value.

Rows and columns are 0-based here, as XlsxWriter counts; ``cell()`` turns
them into A1 text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from xlsxwriter.utility import quote_sheetname, xl_col_to_name, xl_rowcol_to_cell

from trackerkit.codecs import RATING_LIST, RATINGS, STATUS_LIST, STATUSES
from trackerkit.entries import DONE, Status
from trackerkit.figures import NO, OVERDUE, RANK_SPACING, YES
from trackerkit.model import Requirement

if TYPE_CHECKING:
    from collections.abc import Iterable

    from trackerkit.figures import Figures
    from trackerkit.model import Role

FORMAT_VERSION = 1
"""Raised whenever the layout changes in a way a reader must know about."""

START = "Start Here"
CHECKLIST = "Course Checklist"
COVERAGE = "Competency Coverage"
DISCUSSION = "Manager Discussion"
LISTS = "Lists"
METADATA = "trackerkit"
NEXT_ROLE = "Next Role"
"""Present only in a tracker made with a target role: what that role adds, and readiness."""
ARCHIVE = "Archived entries"
"""Present only in a tracker that carries entries a newer role version no longer has."""
SHEETS = (START, CHECKLIST, COVERAGE, DISCUSSION, LISTS, METADATA)

METADATA_KEYS = (
    "format_version",
    "trackerkit_version",
    "role_id",
    "role_version",
    "role_title",
    "role_hash",
    "generated_on",
    "target_role_id",
    "target_role_hash",
)
"""The rows of the hidden metadata sheet: a key in column A, its value in column B."""
METADATA_KEY_COL, METADATA_VALUE_COL = 0, 1


class Kind(str, Enum):
    """What a cell holds; inputs carry the codec that validates and formats them."""

    STATIC = "static"
    FORMULA = "formula"
    TEXT = "text"
    STATUS = "status"
    DATE = "date"
    RATING = "rating"

    @property
    def is_input(self) -> bool:
        return self not in (Kind.STATIC, Kind.FORMULA)


Twin = Callable[["Figures", str], Any]
"""Computes a formula's value from the figures, for one row id."""
RowFormula = Callable[["Table", int], str]
"""Builds a formula's text for one sheet row (0-based)."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: Kind
    name: str | None = None
    """The workbook-level defined name of the column's data cells."""
    formula: RowFormula | None = None
    twin: Twin | None = None
    hidden: bool = False


@dataclass(frozen=True)
class Table:
    """A block with a header row and one row per id."""

    sheet: str
    name: str
    header_row: int
    columns: tuple[Column, ...]
    ids: tuple[str, ...]

    @property
    def first_row(self) -> int:
        return self.header_row + 1

    @property
    def heading_row(self) -> int:
        """Where a section heading stands when the table has one: just above its header."""
        return self.header_row - 1

    @property
    def last_row(self) -> int:
        """The last data row; an empty table still keeps one blank row, as Excel needs."""
        return self.first_row + max(len(self.ids), 1) - 1

    def col(self, key: str) -> int:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def row(self, item_id: str) -> int:
        return self.first_row + self.ids.index(item_id)

    def letter(self, key: str) -> str:
        """The column's letter, for row-relative rules such as conditional formats."""
        return str(xl_col_to_name(self.col(key)))

    def cell(self, key: str, row: int, *, absolute_col: bool = True) -> str:
        return str(xl_rowcol_to_cell(row, self.col(key), col_abs=absolute_col))

    def span(self, key: str) -> str:
        """The column's data cells, sheet-qualified and absolute."""
        column = xl_col_to_name(self.col(key), col_abs=True)
        return (
            f"{quote_sheetname(self.sheet)}!{column}${self.first_row + 1}:"
            f"{column}${self.last_row + 1}"
        )


@dataclass(frozen=True)
class Field:
    """One labelled cell: a label to its left, the value (input or formula) at ``col``."""

    key: str
    label: str
    row: int
    col: int
    kind: Kind
    name: str
    formula: str | None = None
    twin: Callable[[Figures], Any] | None = None

    def ref(self, sheet: str) -> str:
        cell = xl_rowcol_to_cell(self.row, self.col, row_abs=True, col_abs=True)
        return f"{quote_sheetname(sheet)}!{cell}"


@dataclass(frozen=True)
class Layout:
    role: Role
    courses: Table
    competencies: Table
    employee: tuple[Field, ...]
    dashboard: tuple[Field, ...]
    discussion_summary: tuple[Field, ...]
    discussion_notes: tuple[Field, ...]
    checklist_totals: tuple[Field, ...]
    next_steps: Table
    lists: dict[str, str]
    archived_courses: Table | None = None
    archived_competencies: Table | None = None
    target: Role | None = None
    next_competencies: Table | None = None
    next_courses: Table | None = None
    next_fields: tuple[Field, ...] = ()

    @property
    def archive_tables(self) -> tuple[Table, ...]:
        return tuple(t for t in (self.archived_courses, self.archived_competencies) if t)

    @property
    def sheets(self) -> tuple[str, ...]:
        """The workbook's sheets in order: Next Role before the discussion, the archive after."""
        sheets = list(SHEETS)
        if self.target is not None:
            sheets.insert(sheets.index(DISCUSSION), NEXT_ROLE)
        if self.archive_tables:
            sheets.insert(sheets.index(DISCUSSION) + 1, ARCHIVE)
        return tuple(sheets)

    @property
    def next_tables(self) -> tuple[Table, ...]:
        return tuple(t for t in (self.next_competencies, self.next_courses) if t)

    @property
    def sign_off_rows(self) -> tuple[int, ...]:
        """The rows of the sign-off lines, in the order of :data:`SIGN_OFF`."""
        first = self.next_steps.last_row + SIGN_OFF_GAP
        return tuple(first + 2 * index for index in range(len(SIGN_OFF)))

    @cached_property
    def names(self) -> Mapping[str, str]:
        """Every workbook-level defined name and the range it points to."""
        names = dict(self.lists)
        tables = (
            self.courses,
            self.competencies,
            self.next_steps,
            *self.archive_tables,
            *self.next_tables,
        )
        for table in tables:
            names.update({c.name: table.span(c.key) for c in table.columns if c.name})
        first = xl_rowcol_to_cell(
            self.sign_off_rows[0], SIGN_OFF_COLS[0], row_abs=True, col_abs=True
        )
        names[SIGN_OFF_NAME] = f"{quote_sheetname(DISCUSSION)}!{first}"
        for sheet, fields in (
            (START, self.employee),
            (START, self.dashboard),
            (CHECKLIST, self.checklist_totals),
            (DISCUSSION, self.discussion_summary),
            (DISCUSSION, self.discussion_notes),
            (NEXT_ROLE, self.next_fields),
        ):
            names.update({f.name: f.ref(sheet) for f in fields})
        return MappingProxyType(names)


COMPLETED = Status.COMPLETED.value
DONE_STATUSES = tuple(status.value for status in Status if status in DONE)
ID_SEPARATOR = ";"
"""Joins the ids of a course's competencies, and closes them at both ends, so a
wildcard match on ";id;" finds exactly that id (ids hold no ';', '*' or '?')."""


def builds_key(competency_ids: Iterable[str]) -> str:
    """The hidden cell that lists a course's competency ids, for the coverage formulas."""
    return ID_SEPARATOR + ID_SEPARATOR.join(competency_ids) + ID_SEPARATOR


def _course_columns() -> tuple[Column, ...]:
    def overdue(table: Table, row: int) -> str:
        status, target = table.cell("status", row), table.cell("target_date", row)
        not_done = ",".join(f'{status}<>"{done}"' for done in DONE_STATUSES)
        return f'=IF(AND({target}<>"",{target}<TODAY(),{not_done}),"{OVERDUE}","")'

    return (
        Column("id", "ID", 24, Kind.STATIC, "Course_ID"),
        Column("title", "Course", 44, Kind.STATIC),
        Column("provider", "Provider", 24, Kind.STATIC),
        Column("format", "Format", 16, Kind.STATIC),
        Column("hours", "Hours", 8, Kind.STATIC, "Course_Hours"),
        Column("requirement", "Requirement", 14, Kind.STATIC, "Course_Requirement"),
        Column("builds", "Builds", 36, Kind.STATIC),
        Column("status", "Status", 14, Kind.STATUS, "Course_Status"),
        Column("target_date", "Target date", 13, Kind.DATE, "Course_TargetDate"),
        Column("completed_on", "Completed on", 13, Kind.DATE, "Course_CompletedOn"),
        Column("notes", "Notes", 40, Kind.TEXT, "Course_Notes"),
        Column(
            "overdue",
            "Overdue",
            10,
            Kind.FORMULA,
            "Course_Overdue",
            formula=overdue,
            twin=lambda figures, item: OVERDUE if figures.overdue[item] else "",
        ),
        Column("builds_ids", "Builds (ids)", 12, Kind.STATIC, "Course_BuildsIds", hidden=True),
    )


def _competency_columns() -> tuple[Column, ...]:
    def current(table: Table, row: int) -> str:
        manager, own = table.cell("manager_rating", row), table.cell("self_rating", row)
        return f'=IF({manager}<>"",{manager},IF({own}<>"",{own},""))'

    def gap(table: Table, row: int) -> str:
        target, level = table.cell("target", row), table.cell("current", row)
        return f'=IF({level}="",{target},MAX(0,{target}-{level}))'

    def at_target(table: Table, row: int) -> str:
        # From the gap, not by comparing the level: a rating typed as text compares
        # greater than any number, but counts as its number in the gap's subtraction.
        gap, level = table.cell("gap", row), table.cell("current", row)
        return f'=IF({level}="","",IF({gap}=0,"{YES}","{NO}"))'

    def counted(table: Table, row: int, done: bool) -> str:
        # One fixed-length formula however many courses build the competency: Excel
        # caps a formula at 8,192 characters, and a term per course would pass it.
        key = f'"*{ID_SEPARATOR}"&{table.cell("id", row)}&"{ID_SEPARATOR}*"'
        status = f',Course_Status,"{COMPLETED}"' if done else ""
        return f"=COUNTIFS(Course_BuildsIds,{key}{status})"

    def coverage(table: Table, row: int) -> str:
        done, total = table.cell("courses_done", row), table.cell("courses_total", row)
        return f'=IF({total}=0,"",{done}/{total})'

    def rank(table: Table, row: int) -> str:
        return f"={table.cell('gap', row)}-ROW()/{RANK_SPACING}"

    return (
        Column("id", "ID", 24, Kind.STATIC, "Competency_ID"),
        Column("name", "Competency", 26, Kind.STATIC, "Competency_Name"),
        Column("category", "Category", 22, Kind.STATIC),
        Column("definition", "What it looks like", 60, Kind.STATIC),
        Column("target", "Target level", 10, Kind.STATIC, "Competency_Target"),
        Column("self_rating", "Self rating", 10, Kind.RATING, "Competency_SelfRating"),
        Column("manager_rating", "Manager rating", 10, Kind.RATING, "Competency_ManagerRating"),
        Column(
            "current",
            "Current level",
            10,
            Kind.FORMULA,
            "Competency_Current",
            current,
            lambda f, i: f.competencies[i].current if f.competencies[i].current is not None else "",
        ),
        Column(
            "gap",
            "Gap to target",
            10,
            Kind.FORMULA,
            "Competency_Gap",
            gap,
            lambda f, i: f.competencies[i].gap,
        ),
        Column(
            "at_target",
            "At target",
            10,
            Kind.FORMULA,
            "Competency_AtTarget",
            at_target,
            lambda f, i: f.competencies[i].at_target,
        ),
        Column("courses", "Courses that build it", 40, Kind.STATIC),
        Column(
            "courses_done",
            "Courses completed",
            11,
            Kind.FORMULA,
            None,
            lambda t, r: counted(t, r, done=True),
            lambda f, i: f.competencies[i].courses_done,
        ),
        Column(
            "courses_total",
            "Courses listed",
            10,
            Kind.FORMULA,
            None,
            lambda t, r: counted(t, r, done=False),
            lambda f, i: f.competencies[i].courses_total,
        ),
        Column(
            "coverage",
            "Coverage",
            10,
            Kind.FORMULA,
            "Competency_Coverage",
            coverage,
            lambda f, i: "" if f.competencies[i].coverage is None else f.competencies[i].coverage,
        ),
        Column("evidence", "Evidence and notes", 44, Kind.TEXT, "Competency_Evidence"),
        Column(
            "rank",
            "Gap rank",
            8,
            Kind.FORMULA,
            "Competency_GapRank",
            rank,
            lambda f, i: f.competencies[i].rank_key,
            hidden=True,
        ),
    )


EMPLOYEE_FIELDS = (
    ("name", "Name", "Employee_Name", Kind.TEXT),
    ("employee_id", "Employee ID", "Employee_ID", Kind.TEXT),
    ("manager", "Manager", "Employee_Manager", Kind.TEXT),
    ("location", "Location", "Employee_Location", Kind.TEXT),
    ("current_role", "Current role", "Employee_CurrentRole", Kind.TEXT),
    ("target_role", "Target role", "Employee_TargetRole", Kind.TEXT),
    ("start_date", "Start date in role", "Employee_StartDate", Kind.DATE),
)

NOTE_FIELDS = (
    ("goals_1y", "Career goals: 1 year", "Goals_OneYear"),
    ("goals_3y", "Career goals: 3 years", "Goals_ThreeYears"),
    ("strengths", "Strengths", "Strengths"),
    ("development", "Development areas", "DevelopmentAreas"),
    ("support", "Support needed", "SupportNeeded"),
)

NEXT_STEP_ROWS = 8
"""Next-steps rows in a blank tracker; a prefill with more steps gets a row for each."""
SIGN_OFF = ("Employee signature", "Manager signature")
SIGN_OFF_DATE = "Date"
"""The label beside each sign-off line's signature, before the line for the date."""
SIGN_OFF_COLS = (0, 1, 2, 3)
"""Columns of a sign-off line: its label, the signature, the date label, the date."""
SIGN_OFF_NAME = "Discussion_SignOff"
"""The defined name of the first sign-off label: where the next steps end, however many."""
SIGN_OFF_GAP = 3
"""The sign-off lines start this many rows below the last next-steps row, two rows apart."""
DISCUSSION_WIDTHS = (36, 36, 14, 14)
"""The discussion sheet's columns serve both its labelled fields and the next-steps table."""
START_VALUE_COL = 1
EMPLOYEE_FIRST_ROW = 8
DASHBOARD_COL = 3


def _share(value: float | None) -> Any:
    return "" if value is None else value


def _dashboard(courses: Table) -> tuple[Field, ...]:
    required = f'Course_Requirement,"{Requirement.REQUIRED.label}"'
    done = DONE_STATUSES
    rows = [
        (
            "required_done",
            "Required courses done",
            "Dashboard_RequiredDone",
            "=" + "+".join(f'COUNTIFS({required},Course_Status,"{s}")' for s in done),
            lambda f: f.dashboard.required_done,
        ),
        (
            "required_total",
            "Required courses",
            "Dashboard_RequiredTotal",
            f"=COUNTIF({required})",
            lambda f: f.dashboard.required_total,
        ),
        (
            "required_share",
            "Required progress",
            "Dashboard_RequiredProgress",
            '=IF(Dashboard_RequiredTotal=0,"",Dashboard_RequiredDone/Dashboard_RequiredTotal)',
            lambda f: _share(f.dashboard.required_share),
        ),
        (
            "all_done",
            "All courses done",
            "Dashboard_AllDone",
            "=" + "+".join(f'COUNTIF(Course_Status,"{s}")' for s in done),
            lambda f: f.dashboard.all_done,
        ),
        (
            "all_total",
            "All courses",
            "Dashboard_AllTotal",
            f"=COUNTA({courses.span('id')})",
            lambda f: f.dashboard.all_total,
        ),
        (
            "all_share",
            "All courses progress",
            "Dashboard_AllProgress",
            '=IF(Dashboard_AllTotal=0,"",Dashboard_AllDone/Dashboard_AllTotal)',
            lambda f: _share(f.dashboard.all_share),
        ),
        (
            "hours_done",
            "Learning hours completed",
            "Dashboard_HoursDone",
            f'=SUMIFS(Course_Hours,Course_Status,"{COMPLETED}")',
            lambda f: f.dashboard.hours_done,
        ),
        (
            "hours_planned",
            "Learning hours planned",
            "Dashboard_HoursPlanned",
            (
                f'=SUMIFS(Course_Hours,Course_Status,"{Status.PLANNED.value}")'
                f'+SUMIFS(Course_Hours,Course_Status,"{Status.IN_PROGRESS.value}")'
            ),
            lambda f: f.dashboard.hours_planned,
        ),
        (
            "at_target",
            "Competencies at or above target",
            "Dashboard_AtTarget",
            f'=COUNTIF(Competency_AtTarget,"{YES}")',
            lambda f: f.dashboard.at_target,
        ),
        (
            "competencies",
            "Competencies",
            "Dashboard_Competencies",
            "=COUNTA(Competency_ID)",
            lambda f: f.dashboard.competencies_total,
        ),
        (
            "overdue",
            "Overdue courses",
            "Dashboard_Overdue",
            f'=COUNTIF(Course_Overdue,"{OVERDUE}")',
            lambda f: f.dashboard.overdue,
        ),
    ]
    return tuple(
        Field(
            key,
            label,
            EMPLOYEE_FIRST_ROW + index,
            DASHBOARD_COL + 1,
            Kind.FORMULA,
            name,
            formula,
            twin,
        )
        for index, (key, label, name, formula, twin) in enumerate(rows)
    )


def _checklist_totals() -> tuple[Field, ...]:
    """Live totals above the checklist, pulled from the dashboard's figures."""
    rows: tuple[tuple[str, str, str, Callable[[Figures], Any]], ...] = (
        ("done", "Courses done", "Dashboard_AllDone", lambda f: f.dashboard.all_done),
        ("total", "Courses listed", "Dashboard_AllTotal", lambda f: f.dashboard.all_total),
        ("hours", "Hours completed", "Dashboard_HoursDone", lambda f: f.dashboard.hours_done),
        ("overdue", "Overdue", "Dashboard_Overdue", lambda f: f.dashboard.overdue),
    )
    return tuple(
        Field(
            key,
            label,
            2 + index,
            1,
            Kind.FORMULA,
            f"Checklist_{key.title()}",
            f"={source}",
            twin,
        )
        for index, (key, label, source, twin) in enumerate(rows)
    )


def _largest_gap(rank: int) -> str:
    key = f"LARGE(Competency_GapRank,{rank})"
    return f'=IFERROR(IF({key}<=0,"",INDEX(Competency_Name,MATCH({key},Competency_GapRank,0))),"")'


def _nth_gap(n: int) -> Callable[[Figures], Any]:
    return lambda figures: figures.dashboard.largest_gaps[n - 1]


def _discussion_summary() -> tuple[Field, ...]:
    def pulled(name: str) -> str:
        return f'=IF({name}="","",{name})'

    rows: list[tuple[str, str, str, str, Callable[[Figures], Any]]] = [
        (
            "employee",
            "Employee",
            "Discussion_Employee",
            pulled("Employee_Name"),
            lambda f: f.employee.name,
        ),
        (
            "manager",
            "Manager",
            "Discussion_Manager",
            pulled("Employee_Manager"),
            lambda f: f.employee.manager,
        ),
        ("role", "Role", "Discussion_Role", pulled("Role_Title"), lambda f: f.role_title),
        (
            "target_role",
            "Target role",
            "Discussion_TargetRole",
            pulled("Employee_TargetRole"),
            lambda f: f.employee.target_role,
        ),
        (
            "progress",
            "Required progress",
            "Discussion_Progress",
            pulled("Dashboard_RequiredProgress"),
            lambda f: _share(f.dashboard.required_share),
        ),
        (
            "overdue",
            "Overdue courses",
            "Discussion_Overdue",
            "=Dashboard_Overdue",
            lambda f: f.dashboard.overdue,
        ),
    ]
    rows += [
        (
            f"gap_{n}",
            f"Largest gap {n}",
            f"Discussion_Gap{n}",
            _largest_gap(n),
            _nth_gap(n),
        )
        for n in (1, 2, 3)
    ]
    return tuple(
        Field(key, label, 3 + index, 1, Kind.FORMULA, name, formula, twin)
        for index, (key, label, name, formula, twin) in enumerate(rows)
    )


LIST_COLUMNS = {"status": 0, "rating": 1, "level_name": 2}
"""Columns of the hidden Lists sheet; row 0 holds a heading, values start below."""

ROLE_TITLE = Field("role_title", "Role", 0, 0, Kind.STATIC, "Role_Title")


def _list_span(col: int, count: int) -> str:
    first = xl_rowcol_to_cell(1, col, row_abs=True, col_abs=True)
    last = xl_rowcol_to_cell(count, col, row_abs=True, col_abs=True)
    return f"{quote_sheetname(LISTS)}!{first}:{last}"


NEXT_STEP_COLUMNS = (
    Column("action", "Agreed next step", DISCUSSION_WIDTHS[0], Kind.TEXT, "NextSteps_Action"),
    Column("owner", "Owner", DISCUSSION_WIDTHS[1], Kind.TEXT, "NextSteps_Owner"),
    Column("due", "Due date", DISCUSSION_WIDTHS[2], Kind.DATE, "NextSteps_DueDate"),
    Column("status", "Status", DISCUSSION_WIDTHS[3], Kind.STATUS, "NextSteps_Status"),
)


def _next_competency_columns() -> tuple[Column, ...]:
    def level(table: Table, row: int) -> str:
        found = f"MATCH({table.cell('id', row)},Competency_ID,0)"
        return f'=IFERROR(INDEX(Competency_Current,{found}),"")'

    def ready(table: Table, row: int) -> str:
        # By subtraction, as At target does: a rating typed as text still counts as its number.
        level, target = table.cell("current", row), table.cell("target", row)
        return f'=IF({level}="","{NO}",IF({target}-{level}<=0,"{YES}","{NO}"))'

    def shown(value: int | None) -> Any:
        return "" if value is None else value

    return (
        Column("id", "ID", 24, Kind.STATIC, "NextRole_CompetencyID"),
        Column("name", "Competency", 30, Kind.STATIC),
        Column("change", "What changes", 18, Kind.STATIC),
        Column("target", "Level the next role asks", 12, Kind.STATIC, "NextRole_Target"),
        Column(
            "current",
            "Your level now",
            12,
            Kind.FORMULA,
            "NextRole_Level",
            level,
            lambda f, i: shown(f.next_role.competency_level[i]) if f.next_role else "",
        ),
        Column(
            "ready",
            "At that level",
            12,
            Kind.FORMULA,
            "NextRole_Ready",
            ready,
            lambda f, i: f.next_role.competency_ready[i] if f.next_role else "",
        ),
    )


def _next_course_columns() -> tuple[Column, ...]:
    def status(table: Table, row: int) -> str:
        found = f"MATCH({table.cell('id', row)},Course_ID,0)"
        return f'=IFERROR(""&INDEX(Course_Status,{found}),"")'  # ""& shows an empty cell as ""

    def done(table: Table, row: int) -> str:
        cell = table.cell("status", row)
        either = ",".join(f'{cell}="{value}"' for value in DONE_STATUSES)
        return f'=IF(OR({either}),"{YES}","{NO}")'

    return (
        Column("id", "ID", 24, Kind.STATIC, "NextRole_CourseID"),
        Column("title", "Course", 44, Kind.STATIC),
        Column("change", "What changes", 18, Kind.STATIC),
        Column(
            "status",
            "Status here",
            14,
            Kind.FORMULA,
            "NextRole_CourseStatus",
            status,
            lambda f, i: f.next_role.course_status[i] if f.next_role else "",
        ),
        Column(
            "done",
            "Done",
            10,
            Kind.FORMULA,
            "NextRole_CourseDone",
            done,
            lambda f, i: f.next_role.course_done[i] if f.next_role else "",
        ),
    )


NEXT_ROLE_TOP = 3
"""The first readiness figure's row on the Next Role sheet; the tables follow below."""


def _next_fields() -> tuple[Field, ...]:
    def share(value: float | None) -> Any:
        return "" if value is None else value

    rows: tuple[tuple[str, str, str, str, Callable[[Figures], Any]], ...] = (
        (
            "courses_done",
            "Its required courses done",
            "NextRole_CoursesDone",
            f'=COUNTIF(NextRole_CourseDone,"{YES}")',
            lambda f: f.next_role.courses_done if f.next_role else "",
        ),
        (
            "courses_total",
            "Its required courses",
            "NextRole_CoursesTotal",
            "=COUNTA(NextRole_CourseID)",
            lambda f: f.next_role.courses_total if f.next_role else "",
        ),
        (
            "courses_share",
            "Readiness: courses",
            "NextRole_CoursesReadiness",
            '=IF(NextRole_CoursesTotal=0,"",NextRole_CoursesDone/NextRole_CoursesTotal)',
            lambda f: share(f.next_role.courses_share) if f.next_role else "",
        ),
        (
            "ready",
            "Competencies at its level",
            "NextRole_ReadyCount",
            f'=COUNTIF(NextRole_Ready,"{YES}")',
            lambda f: f.next_role.ready if f.next_role else "",
        ),
        (
            "competencies_total",
            "Its competencies",
            "NextRole_CompetenciesTotal",
            "=COUNTA(NextRole_CompetencyID)",
            lambda f: f.next_role.competencies_total if f.next_role else "",
        ),
        (
            "competencies_share",
            "Readiness: competencies",
            "NextRole_CompetenciesReadiness",
            '=IF(NextRole_CompetenciesTotal=0,"",NextRole_ReadyCount/NextRole_CompetenciesTotal)',
            lambda f: share(f.next_role.competencies_share) if f.next_role else "",
        ),
    )
    return tuple(
        Field(key, label, NEXT_ROLE_TOP + index, 1, Kind.FORMULA, name, formula, twin)
        for index, (key, label, name, formula, twin) in enumerate(rows)
    )


def _next_tables(target: Role) -> tuple[Table, Table]:
    required = tuple(c.id for c in target.courses if c.requirement is Requirement.REQUIRED)
    top = NEXT_ROLE_TOP + len(_next_fields()) + 2
    competencies = Table(
        NEXT_ROLE,
        "NextCompetencies",
        top,
        _next_competency_columns(),
        tuple(item.id for item in target.competencies),
    )
    courses = Table(
        NEXT_ROLE, "NextCourses", competencies.last_row + 3, _next_course_columns(), required
    )
    return competencies, courses


ARCHIVED_COURSE_COLUMNS = (
    Column("id", "ID", 24, Kind.STATIC, "Archived_CourseID"),
    Column("status", "Status", 14, Kind.STATUS, "Archived_CourseStatus"),
    Column("target_date", "Target date", 13, Kind.DATE, "Archived_CourseTargetDate"),
    Column("completed_on", "Completed on", 13, Kind.DATE, "Archived_CourseCompletedOn"),
    Column("notes", "Notes", 44, Kind.TEXT, "Archived_CourseNotes"),
)
ARCHIVED_COMPETENCY_COLUMNS = (
    Column("id", "ID", 24, Kind.STATIC, "Archived_CompetencyID"),
    Column("self_rating", "Self rating", 10, Kind.RATING, "Archived_SelfRating"),
    Column("manager_rating", "Manager rating", 10, Kind.RATING, "Archived_ManagerRating"),
    Column("evidence", "Evidence and notes", 44, Kind.TEXT, "Archived_Evidence"),
)
ARCHIVE_TOP = 3
"""The archived courses' header row; the competencies follow two rows below them."""


def archive_tables(
    course_ids: tuple[str, ...], competency_ids: tuple[str, ...]
) -> tuple[Table | None, Table | None]:
    """The archive's two tables, each only when it has rows."""
    courses = (
        Table(ARCHIVE, "ArchivedCourses", ARCHIVE_TOP, ARCHIVED_COURSE_COLUMNS, course_ids)
        if course_ids
        else None
    )
    top = courses.last_row + 3 if courses else ARCHIVE_TOP
    competencies = (
        Table(ARCHIVE, "ArchivedCompetencies", top, ARCHIVED_COMPETENCY_COLUMNS, competency_ids)
        if competency_ids
        else None
    )
    return courses, competencies


INPUT_NAMES = frozenset(
    {name for _, _, name, _ in EMPLOYEE_FIELDS}
    | {name for _, _, name in NOTE_FIELDS}
    | {
        column.name
        for column in (*_course_columns(), *_competency_columns(), *NEXT_STEP_COLUMNS)
        if column.kind.is_input and column.name
    }
)
"""The defined names of every input region, the same for every role."""
ARCHIVE_NAMES = frozenset(
    column.name
    for column in (*ARCHIVED_COURSE_COLUMNS, *ARCHIVED_COMPETENCY_COLUMNS)
    if column.kind.is_input and column.name
)
"""The input names of the archive sheet, in the trackers that have one."""


@lru_cache(maxsize=256)
def layout_for(
    role: Role,
    *,
    next_steps: int = NEXT_STEP_ROWS,
    archived: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
    target: Role | None = None,
) -> Layout:
    """The layout of the tracker for ``role``, with ``next_steps`` rows for agreed steps and
    ``archived`` (course ids, competency ids) entries a newer role version no longer has.

    Cached: a folder of trackers reads against the same few roles again and again.
    """
    totals = _checklist_totals()
    courses = Table(
        CHECKLIST,
        "Courses",
        totals[-1].row + 2,
        _course_columns(),
        tuple(c.id for c in role.courses),
    )
    competencies = Table(
        COVERAGE,
        "Competencies",
        3,
        _competency_columns(),
        tuple(c.id for c in role.competencies),
    )
    employee = tuple(
        Field(key, label, EMPLOYEE_FIRST_ROW + index, START_VALUE_COL, kind, name)
        for index, (key, label, name, kind) in enumerate(EMPLOYEE_FIELDS)
    )
    summary = _discussion_summary()
    notes_top = summary[-1].row + 2
    notes = tuple(
        Field(key, label, notes_top + 2 * index, 1, Kind.TEXT, name)
        for index, (key, label, name) in enumerate(NOTE_FIELDS)
    )
    steps = Table(
        DISCUSSION,
        "NextSteps",
        notes[-1].row + 3,
        NEXT_STEP_COLUMNS,
        tuple(str(n) for n in range(1, max(next_steps, 1) + 1)),
    )
    lists = {
        STATUS_LIST: _list_span(LIST_COLUMNS["status"], len(STATUSES)),
        RATING_LIST: _list_span(LIST_COLUMNS["rating"], len(RATINGS)),
        "Role_Title": ROLE_TITLE.ref(START),
    }
    return Layout(
        role=role,
        courses=courses,
        competencies=competencies,
        employee=employee,
        dashboard=_dashboard(courses),
        checklist_totals=totals,
        discussion_summary=summary,
        discussion_notes=notes,
        next_steps=steps,
        lists=lists,
        archived_courses=archive_tables(*archived)[0],
        archived_competencies=archive_tables(*archived)[1],
        target=target,
        next_competencies=_next_tables(target)[0] if target else None,
        next_courses=_next_tables(target)[1] if target else None,
        next_fields=_next_fields() if target else (),
    )
