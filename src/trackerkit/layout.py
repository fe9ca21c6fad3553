"""The tracker's layout, declared once: sheets, cells, headers, names, formulas.

The writer walks this description to make a workbook and the reader (like
the tests) walks it to find inputs again, so no coordinate, header text or
defined name is written anywhere else. Each formula is declared beside the
Python twin (from :mod:`trackerkit.figures`) that gives its cached value.

It is written with the vocabulary of :mod:`trackerkit.grid`: every sheet is a tuple
of blocks in the order the writer writes them (:attr:`Layout.book`), and every figure
is declared once (:data:`FIGURES`), with its name, label, formula, twin and style.

Rows and columns are 0-based here, as XlsxWriter counts; ``cell()`` turns
them into A1 text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

from trackerkit import grid
from trackerkit.codecs import (
    CHOICE_LIST,
    CODECS,
    RATING_LIST,
    RATINGS,
    STATUS_LIST,
    STATUSES,
    date_to_serial,
)
from trackerkit.entries import DONE_STATUSES, OWN_COURSE_ROWS, OWN_REQUIREMENT, Status
from trackerkit.figures import (
    COMPETENCY,
    EXPIRED,
    EXPIRING,
    EXPIRY_WINDOW_DAYS,
    LAPSED_SUFFIX,
    NO,
    NO_BUILDER,
    NOT_RATED,
    OVERDUE,
    RANK_SPACING,
    READY,
    RENEWAL_DUE,
    RENEWAL_WINDOW_DAYS,
    REQUIRED_COURSE,
    YES,
    building,
    due_again_formula,
    expiry_flag_formula,
    overdue_when,
    own_overdue_when,
    renewal_due_when,
    renewals_soon_count,
)
from trackerkit.grid import Figure, Formula, Page, Rule, Sheet, Style, Text, Width
from trackerkit.model import Requirement, role_digest
from trackerkit.refs import cell_ref, quote_sheet

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Iterable, Iterator

    from trackerkit.entries import Entries
    from trackerkit.figures import Figures, NextRoleFigures
    from trackerkit.grid import Block
    from trackerkit.model import Certification, Role, RoleCompetency, RoleCourse

FORMAT_VERSION = 2
"""Raised whenever the layout changes in a way a reader must know about. 2: the
Certifications sheet (a tracker of format 1 has none, and reads with no certification
entries)."""
CERTIFICATIONS_FORMAT = 2
"""The first format with a Certifications sheet (for a role that lists certifications)."""

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
CERTIFICATIONS = "Certifications"
"""Present only in a tracker of a role that lists certifications: their dates and expiry."""
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
    "next_role_ids",
)
"""The rows of the hidden metadata sheet: a key in column A, its value in column B."""
METADATA_KEY_COL, METADATA_VALUE_COL = 0, 1


Kind = grid.Kind
Field = grid.Field
Table: TypeAlias = grid.Table[str]
"""A tracker table: its rows are the ids of its courses, competencies or steps."""
Column: TypeAlias = grid.Column[str]
Twin = Callable[["Figures", str], Any]
"""Computes a row formula's value from the figures, for one row id."""


@dataclass(frozen=True)
class Written:
    """What a tracker is written from besides its role: the entries, their figures, and
    what the metadata sheet records."""

    entries: Entries
    figures: Figures
    generated_on: dt.date | None
    version: str
    protect: bool = True


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
    own_courses: Table
    """The "Your own courses" rows below the checklist: the person's courses, unlocked."""
    archived_courses: Table | None = None
    archived_competencies: Table | None = None
    archived_certifications: Table | None = None
    target: Role | None = None
    """The target role a roster gave: prefilled, and recorded in the metadata."""
    targets: tuple[Role, ...] = ()
    """The next roles the Target role dropdown offers: the role's next roles (and a roster's
    target beyond them); the Next Role sheet shows the chosen one."""
    choice: tuple[Field, ...] = ()
    """The chosen next role's number, on the hidden Lists sheet."""
    still_need: Table | None = None
    """What you still need for the chosen next role, at the top of the Next Role sheet."""
    next_competencies: Table | None = None
    next_courses: Table | None = None
    next_fields: tuple[Field, ...] = ()
    extra_competencies: Table | None = None
    """Ratings of the competencies only the next role asks."""
    extra_courses: Table | None = None
    """Statuses of the courses only the next role requires."""
    certifications: Table | None = None
    """The role's certifications and their dates; None for a role that lists none."""

    @property
    def archive_tables(self) -> tuple[Table, ...]:
        tables = (self.archived_courses, self.archived_competencies, self.archived_certifications)
        return tuple(t for t in tables if t)

    @property
    def sheets(self) -> tuple[str, ...]:
        """The workbook's sheets in order: Next Role before the discussion, the archive after."""
        sheets = list(SHEETS)
        if self.certifications:
            sheets.insert(sheets.index(COVERAGE) + 1, CERTIFICATIONS)
        if self.targets:
            sheets.insert(sheets.index(DISCUSSION), NEXT_ROLE)
        if self.archive_tables:
            sheets.insert(sheets.index(DISCUSSION) + 1, ARCHIVE)
        return tuple(sheets)

    @property
    def next_tables(self) -> tuple[Table, ...]:
        return tuple(
            t
            for t in (
                self.still_need,
                self.next_competencies,
                self.next_courses,
                self.extra_competencies,
                self.extra_courses,
            )
            if t
        )

    @property
    def extra_tables(self) -> tuple[Table, ...]:
        """The Next Role sheet's inputs: what only the next role has."""
        return tuple(t for t in (self.extra_competencies, self.extra_courses) if t)

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
            self.own_courses,
            self.competencies,
            self.next_steps,
            *self.archive_tables,
            *self.next_tables,
            *((self.certifications,) if self.certifications else ()),
        )
        for table in tables:
            names.update({c.name: table.span(c.key) for c in table.columns if c.name})
        first = cell_ref(self.sign_off_rows[0], SIGN_OFF_COLS[0], row_abs=True, col_abs=True)
        names[SIGN_OFF_NAME] = f"{quote_sheet(DISCUSSION)}!{first}"
        for sheet, fields in (
            (START, self.employee),
            (START, self.dashboard),
            (CHECKLIST, self.checklist_totals),
            (DISCUSSION, self.discussion_summary),
            (DISCUSSION, self.discussion_notes),
            (NEXT_ROLE, self.next_fields),
            (LISTS, self.choice),
        ):
            names.update({f.name: f.ref(sheet) for f in fields if f.name})
        return MappingProxyType(names)

    @cached_property
    def book(self) -> tuple[Sheet, ...]:
        """Every sheet with its blocks, in the order the writer writes them."""
        sheets = [
            _start_sheet(self),
            _checklist_sheet(self),
            _coverage_sheet(self),
            *((_certifications_sheet(self),) if self.certifications else ()),
            _discussion_sheet(self),
        ]
        if self.archive_tables:
            sheets.append(_archive_sheet(self))
        if self.targets:
            sheets.append(_next_role_sheet(self))
        sheets += [_lists_sheet(self), _metadata_sheet(self)]
        return tuple(sheets)

    def page(self, sheet: str) -> Page:
        """A sheet's print setup: the role named above, the tables' sheets landscape."""
        header = f"&L{grid.header_text(self.role.long_title, HEADER_ROOM)}&R&A"
        protect = sheet not in (LISTS, METADATA)
        tables = {CHECKLIST: self.courses, COVERAGE: self.competencies}
        if self.certifications:
            tables[CERTIFICATIONS] = self.certifications
        if sheet in tables:
            table = tables[sheet]
            last = self.own_courses.last_row if sheet == CHECKLIST else table.last_row
            return Page(
                header,
                landscape=True,
                repeat_rows=table.header_row,
                print_area=(0, 0, last, len(table.columns) - 1),
                protect=protect,
                title_height=TITLE_HEIGHT,
            )
        return Page(header, protect=protect, title_height=TITLE_HEIGHT)


CHECKLIST_TABLE = "Courses"
"""The checklist's table name (an Excel table of that name)."""
TITLE_HEIGHT = 24
"""Room for the 16-point title above its subtitle."""
HEADER_ROOM = 255 - len("&L&R&A")
"""Excel's page header holds 255 characters, codes included."""
TABLE_STYLE = "Table Style Light 9"

COMPLETED = Status.COMPLETED.value
ID_SEPARATOR = ";"
"""Joins the ids of a course's competencies, and closes them at both ends, so a
wildcard match on ";id;" finds exactly that id (ids hold no ';', '*' or '?')."""


NOT_LAPSED = f'Course_RenewalDue,"<>{RENEWAL_DUE}"'
"""The COUNTIFS criterion that leaves out courses whose renewal is due: they are not done."""
OWN_TITLED = 'OwnCourse_Title,"<>"'
"""The criterion that counts an own course: a row with a title (one without is not read)."""


def builds_key(competency_ids: Iterable[str]) -> str:
    """The hidden cell that lists a course's competency ids, for the coverage formulas."""
    return ID_SEPARATOR + ID_SEPARATOR.join(competency_ids) + ID_SEPARATOR


@dataclass(frozen=True)
class _Index:
    """A role's items by id, for the static cells' values."""

    courses: Mapping[str, RoleCourse]
    competencies: Mapping[str, RoleCompetency]

    @staticmethod
    def of(role: Role | None) -> _Index:
        if role is None:
            return _Index({}, {})
        return _Index(
            {item.id: item for item in role.courses},
            {item.id: item for item in role.competencies},
        )


def _course_columns(role: Role | None = None) -> tuple[Column, ...]:
    def overdue(table: Table, row: int) -> str:
        return overdue_when(table.cell("status", row), table.cell("target_date", row))

    def overdue_number(table: Table, row: int) -> str:
        # The n-th overdue course of the list has n, so the discussion can name them in order.
        here = table.cell("overdue", row)
        first = cell_ref(table.first_row, table.col("overdue"), row_abs=True, col_abs=True)
        return f'=IF({here}="{OVERDUE}",COUNTIF({first}:{here},"{OVERDUE}"),"")'

    def due(table: Table, row: int) -> str:
        return due_again_formula(
            table.cell("renew_every", row),
            table.cell("status", row),
            table.cell("completed_on", row),
        )

    def renewal(table: Table, row: int) -> str:
        return renewal_due_when(table.cell("due_again", row))

    index = _Index.of(role)
    course = index.courses
    names = {key: item.competency.name for key, item in index.competencies.items()}

    def builds(item: str) -> str:
        return ", ".join(names[c] for c in course[item].course.competencies if c in names)

    return (
        grid.Column("id", "ID", 24, Kind.STATIC, "Course_ID", value=_same),
        grid.Column(
            "title",
            "Course",
            44,
            Kind.STATIC,
            "Course_Title",
            value=lambda i: course[i].course.title,
            link=lambda i: course[i].course.url,
        ),
        grid.Column("provider", "Provider", 24, value=lambda i: course[i].course.provider),
        grid.Column("format", "Format", 16, value=lambda i: course[i].course.format.label),
        grid.Column(
            "hours", "Hours", 8, Kind.STATIC, "Course_Hours", value=lambda i: course[i].course.hours
        ),
        grid.Column(
            "renew_every",
            "Renew every (months)",
            10,
            Kind.STATIC,
            "Course_RenewEvery",
            value=lambda i: course[i].course.renew_every_months,
            style=Style.CENTER,
        ),
        grid.Column(
            "requirement",
            "Requirement",
            14,
            Kind.STATIC,
            "Course_Requirement",
            value=lambda i: course[i].requirement.label,
        ),
        grid.Column("builds", "Builds", 36, value=builds),
        grid.Column("status", "Status", 14, Kind.STATUS, "Course_Status", entry="status"),
        grid.Column(
            "target_date", "Target date", 13, Kind.DATE, "Course_TargetDate", entry="target_date"
        ),
        grid.Column(
            "completed_on",
            "Completed on",
            13,
            Kind.DATE,
            "Course_CompletedOn",
            entry="completed_on",
        ),
        grid.Column("notes", "Notes", 40, Kind.TEXT, "Course_Notes", entry="notes"),
        grid.Column(
            "overdue",
            "Overdue",
            10,
            Kind.FORMULA,
            "Course_Overdue",
            Formula(overdue, lambda figures, item: OVERDUE if figures.overdue[item] else ""),
        ),
        grid.Column(
            "due_again",
            "Due again on",
            13,
            Kind.FORMULA,
            "Course_DueAgain",
            Formula(due, _due_again),
            style=Style.COMPUTED_DATE,
        ),
        grid.Column(
            "renewal_due",
            "Renewal due",
            12,
            Kind.FORMULA,
            "Course_RenewalDue",
            Formula(renewal, lambda f, item: RENEWAL_DUE if f.renewal_due[item] else ""),
        ),
        grid.Column(
            "builds_ids",
            "Builds (ids)",
            12,
            Kind.STATIC,
            "Course_BuildsIds",
            value=lambda i: builds_key(course[i].course.competencies),
            hidden=True,
        ),
        grid.Column(
            "overdue_number",
            "Overdue #",
            8,
            Kind.FORMULA,
            "Course_OverdueNumber",
            Formula(overdue_number, _overdue_number),
            hidden=True,
        ),
    )


OWN_HEADING = "Your own courses"
OWN_HELP = (
    "Courses you take beyond the list above: type each one's ID (any you like), title, "
    "provider and hours, then its status and dates. They count in your hours and in all "
    "courses progress, not in required progress; a row with no title is not counted."
)
OWN_GAP = 2
"""Blank rows between the checklist's last row and the own courses' heading."""


def _own_record(entries: Entries, row_id: str) -> Any:
    own = entries.own_courses
    number = int(row_id)
    return own[number - 1] if number <= len(own) else None


def _own_overdue(figures: Figures, item: str) -> str:
    number = int(item)
    late = figures.own_overdue
    return OVERDUE if number <= len(late) and late[number - 1] else ""


def _own_course_columns() -> tuple[Column, ...]:
    """The own courses' columns, each under the checklist column of the same header, so the
    sheet's widths, row colours and print area serve both; what an own course does not
    have (format, renewals, competencies) stays blank."""

    def overdue(table: Table, row: int) -> str:
        return own_overdue_when(
            table.cell("title", row), table.cell("status", row), table.cell("target_date", row)
        )

    def blank(key: str, header: str, width: float) -> Column:
        return grid.Column(key, header, width, value=lambda _: None)

    def typed(key: str, header: str, width: float, kind: Kind, name: str) -> Column:
        return grid.Column(key, header, width, kind, name, entry=key)

    return (
        typed("id", "ID", 24, Kind.TEXT, "OwnCourse_ID"),
        typed("title", "Course", 44, Kind.TEXT, "OwnCourse_Title"),
        typed("provider", "Provider", 24, Kind.TEXT, "OwnCourse_Provider"),
        blank("format", "Format", 16),
        typed("hours", "Hours", 8, Kind.HOURS, "OwnCourse_Hours"),
        blank("renew_every", "Renew every (months)", 10),
        grid.Column("requirement", "Requirement", 14, value=lambda _: OWN_REQUIREMENT),
        blank("builds", "Builds", 36),
        typed("status", "Status", 14, Kind.STATUS, "OwnCourse_Status"),
        typed("target_date", "Target date", 13, Kind.DATE, "OwnCourse_TargetDate"),
        typed("completed_on", "Completed on", 13, Kind.DATE, "OwnCourse_CompletedOn"),
        typed("notes", "Notes", 40, Kind.TEXT, "OwnCourse_Notes"),
        grid.Column(
            "overdue",
            "Overdue",
            10,
            Kind.FORMULA,
            "OwnCourse_Overdue",
            Formula(overdue, _own_overdue),
        ),
    )


OWN_COURSE_COLUMNS = _own_course_columns()


def own_courses_table(below: int, rows: int = OWN_COURSE_ROWS) -> Table:
    """The own courses' ``rows`` rows (at least :data:`OWN_COURSE_ROWS`), their header
    ``OWN_GAP`` + 3 rows below the checklist's row ``below`` (a heading and a line of help
    stand between)."""
    return grid.Table(
        CHECKLIST,
        "OwnCourses",
        below + OWN_GAP + 3,
        OWN_COURSE_COLUMNS,
        tuple(str(n) for n in range(1, max(rows, OWN_COURSE_ROWS) + 1)),
        record=_own_record,
        style=TABLE_STYLE,
    )


def _same(value: Any) -> Any:
    return value


def _due_again(figures: Figures, item: str) -> Any:
    day = figures.due_again[item]
    return "" if day is None else date_to_serial(day)


def _overdue_number(figures: Figures, item: str) -> Any:
    late = [course for course, overdue in figures.overdue.items() if overdue]
    return late.index(item) + 1 if item in late else ""


def _blank_if_none(value: object) -> Any:
    return "" if value is None else value


def _competency_formulas() -> dict[str, Formula]:
    def current(table: Table, row: int) -> str:
        manager, own = table.cell("manager_rating", row), table.cell("self_rating", row)
        return f'=IF({manager}<>"",{manager},IF({own}<>"",{own},""))'

    def gap(table: Table, row: int) -> str:
        # Not rated is no gap: blank, so the colour scale, the ranking and the team's
        # averages all pass it by.
        target, level = table.cell("target", row), table.cell("current", row)
        return f'=IF({level}="","",MAX(0,{target}-{level}))'

    def at_target(table: Table, row: int) -> str:
        # From the gap, not by comparing the level: a rating typed as text compares
        # greater than any number, but counts as its number in the gap's subtraction.
        gap, level = table.cell("gap", row), table.cell("current", row)
        return f'=IF({level}="","{NOT_RATED}",IF({gap}=0,"{YES}","{NO}"))'

    def counted(table: Table, row: int, done: bool) -> str:
        # One fixed-length formula however many courses build the competency: Excel
        # caps a formula at 8,192 characters, and a term per course would pass it.
        key = f'"*{ID_SEPARATOR}"&{table.cell("id", row)}&"{ID_SEPARATOR}*"'
        status = f',Course_Status,"{COMPLETED}",{NOT_LAPSED}' if done else ""
        return f"=COUNTIFS(Course_BuildsIds,{key}{status})"

    def coverage(table: Table, row: int) -> str:
        done, total = table.cell("courses_done", row), table.cell("courses_total", row)
        return f'=IF({total}=0,"",{done}/{total})'

    def rank(table: Table, row: int) -> str:
        # Blank when not rated: LARGE skips text, so only rated competencies rank.
        gap = table.cell("gap", row)
        return f'=IF({gap}="","",{gap}-ROW()/{RANK_SPACING})'

    return {
        "current": Formula(current, lambda f, i: _blank_if_none(f.competencies[i].current)),
        "gap": Formula(gap, lambda f, i: _blank_if_none(f.competencies[i].gap)),
        "at_target": Formula(at_target, lambda f, i: f.competencies[i].at_target),
        "courses_done": Formula(
            lambda t, r: counted(t, r, done=True), lambda f, i: f.competencies[i].courses_done
        ),
        "courses_total": Formula(
            lambda t, r: counted(t, r, done=False), lambda f, i: f.competencies[i].courses_total
        ),
        "coverage": Formula(coverage, lambda f, i: _blank_if_none(f.competencies[i].coverage)),
        "rank": Formula(rank, lambda f, i: _blank_if_none(f.competencies[i].rank_key)),
    }


def _competency_columns(role: Role | None = None) -> tuple[Column, ...]:
    formulas = _competency_formulas()
    competency = _Index.of(role).competencies
    titles = {c.id: c.course.title for c in role.courses} if role else {}

    def courses(item: str) -> str:
        assert role is not None
        return "; ".join(titles[c.id] for c in role.courses if item in c.course.competencies)

    def computed(key: str, header: str, width: float, name: str | None, **more: Any) -> Column:
        return grid.Column(key, header, width, Kind.FORMULA, name, formulas[key], **more)

    return (
        grid.Column("id", "ID", 24, Kind.STATIC, "Competency_ID", value=_same),
        grid.Column(
            "name",
            "Competency",
            26,
            Kind.STATIC,
            "Competency_Name",
            value=lambda i: competency[i].competency.name,
        ),
        grid.Column(
            "category", "Category", 22, value=lambda i: competency[i].competency.category_name
        ),
        grid.Column(
            "definition",
            "What it looks like",
            60,
            value=lambda i: competency[i].competency.definition,
        ),
        grid.Column(
            "target",
            "Target level",
            10,
            Kind.STATIC,
            "Competency_Target",
            value=lambda i: competency[i].target,
        ),
        grid.Column(
            "self_rating",
            "Self rating",
            10,
            Kind.RATING,
            "Competency_SelfRating",
            entry="self_rating",
        ),
        grid.Column(
            "manager_rating",
            "Manager rating",
            10,
            Kind.RATING,
            "Competency_ManagerRating",
            entry="manager_rating",
        ),
        computed("current", "Current level", 10, "Competency_Current", style=Style.COMPUTED_CENTER),
        computed("gap", "Gap to target", 10, "Competency_Gap", style=Style.COMPUTED_CENTER),
        computed("at_target", "At target", 10, "Competency_AtTarget", style=Style.COMPUTED_CENTER),
        grid.Column("courses", "Courses that build it", 40, value=courses),
        computed("courses_done", "Courses completed", 11, None),
        computed("courses_total", "Courses listed", 10, None),
        computed(
            "coverage", "Coverage", 10, "Competency_Coverage", style=Style.COMPUTED_PERCENT_CENTER
        ),
        grid.Column(
            "evidence", "Evidence and notes", 44, Kind.TEXT, "Competency_Evidence", entry="evidence"
        ),
        computed("rank", "Gap rank", 8, "Competency_GapRank", hidden=True),
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
"""Each field's key is the :class:`~trackerkit.entries.Employee` attribute it holds."""

NOTE_FIELDS = (
    ("goals_1y", "Career goals: 1 year", "Goals_OneYear"),
    ("goals_3y", "Career goals: 3 years", "Goals_ThreeYears"),
    ("strengths", "Strengths", "Strengths"),
    ("development", "Development areas", "DevelopmentAreas"),
    ("support", "Support needed", "SupportNeeded"),
)
"""Each field's key is the :class:`~trackerkit.entries.Discussion` attribute it holds."""
MEETING_DATE = "Discussion_MeetingDate"
"""The day of the conversation: an input above the notes."""
NOTE_HEIGHT = 48
NOTE_LAST_COL = 3
"""The discussion notes span columns B to D."""

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
START_WIDTHS = (28, 34, 3, 34, 14)
"""Start Here: labels, the person's fields, a gap, the dashboard's labels and figures."""
START_LAST_COL = len(START_WIDTHS) - 1
START_VALUE_COL = 1
EMPLOYEE_FIRST_ROW = 8
DASHBOARD_COL = 3
PARAGRAPH_ROW = 2
"""The role's summary, work settings and instructions stand in rows 3 to 5."""
PARAGRAPH_WIDTH = 112
SCALE_WIDTH = 84
"""The width, in characters, that a proficiency level's description wraps in."""
LEGEND_ROW = 5
SECTION_ROW = 6


def _share(value: float | None) -> Any:
    return "" if value is None else value


def _figures(courses: Table) -> dict[str, Figure]:
    """Every figure of the dashboard, declared once; the other sheets show them again."""
    required = f'Course_Requirement,"{Requirement.REQUIRED.label}"'
    done = DONE_STATUSES
    rows: list[tuple[str, str, str, str, Callable[[Figures], Any], Style]] = [
        (
            "required_done",
            "Required courses done",
            "Dashboard_RequiredDone",
            "=" + "+".join(f'COUNTIFS({required},Course_Status,"{s}",{NOT_LAPSED})' for s in done),
            lambda f: f.dashboard.required_done,
            Style.COMPUTED,
        ),
        (
            "required_total",
            "Required courses",
            "Dashboard_RequiredTotal",
            f"=COUNTIF({required})",
            lambda f: f.dashboard.required_total,
            Style.COMPUTED,
        ),
        (
            "required_share",
            "Required progress",
            "Dashboard_RequiredProgress",
            '=IF(Dashboard_RequiredTotal=0,"",Dashboard_RequiredDone/Dashboard_RequiredTotal)',
            lambda f: _share(f.dashboard.required_share),
            Style.COMPUTED_PERCENT,
        ),
        (
            "all_done",
            "All courses done",
            "Dashboard_AllDone",
            "="
            + "+".join(f'COUNTIFS(Course_Status,"{s}",{NOT_LAPSED})' for s in done)
            + "".join(f'+COUNTIFS(OwnCourse_Status,"{s}",{OWN_TITLED})' for s in done),
            lambda f: f.dashboard.all_done,
            Style.COMPUTED,
        ),
        (
            "all_total",
            "All courses",
            "Dashboard_AllTotal",
            f"=COUNTA({courses.span('id')})+COUNTIF({OWN_TITLED})",
            lambda f: f.dashboard.all_total,
            Style.COMPUTED,
        ),
        (
            "all_share",
            "All courses progress",
            "Dashboard_AllProgress",
            '=IF(Dashboard_AllTotal=0,"",Dashboard_AllDone/Dashboard_AllTotal)',
            lambda f: _share(f.dashboard.all_share),
            Style.COMPUTED_PERCENT,
        ),
        (
            "hours_done",
            "Learning hours completed",
            "Dashboard_HoursDone",
            (
                f'=SUMIFS(Course_Hours,Course_Status,"{COMPLETED}")'
                f'+SUMIFS(OwnCourse_Hours,OwnCourse_Status,"{COMPLETED}",{OWN_TITLED})'
            ),
            lambda f: f.dashboard.hours_done,
            Style.COMPUTED,
        ),
        (
            "hours_planned",
            "Learning hours planned",
            "Dashboard_HoursPlanned",
            (
                "="
                + "+".join(
                    f'SUMIFS({hours},{status},"{planned}"{more})'
                    for hours, status, more in (
                        ("Course_Hours", "Course_Status", ""),
                        ("OwnCourse_Hours", "OwnCourse_Status", f",{OWN_TITLED}"),
                    )
                    for planned in (Status.PLANNED.value, Status.IN_PROGRESS.value)
                )
            ),
            lambda f: f.dashboard.hours_planned,
            Style.COMPUTED,
        ),
        (
            "at_target",
            "Competencies at or above target",
            "Dashboard_AtTarget",
            f'=COUNTIF(Competency_AtTarget,"{YES}")',
            lambda f: f.dashboard.at_target,
            Style.COMPUTED,
        ),
        (
            "rated",
            "Competencies rated",
            "Dashboard_CompetenciesRated",
            f'=COUNTIF(Competency_AtTarget,"{YES}")+COUNTIF(Competency_AtTarget,"{NO}")',
            lambda f: f.dashboard.rated,
            Style.COMPUTED,
        ),
        (
            "competencies",
            "Competencies",
            "Dashboard_Competencies",
            "=COUNTA(Competency_ID)",
            lambda f: f.dashboard.competencies_total,
            Style.COMPUTED,
        ),
        (
            "overdue",
            "Overdue courses",
            "Dashboard_Overdue",
            f'=COUNTIF(Course_Overdue,"{OVERDUE}")',
            lambda f: f.dashboard.overdue,
            Style.COMPUTED,
        ),
        (
            "renewals_due",
            "Courses due for renewal",
            "Dashboard_RenewalsDue",
            f'=COUNTIF(Course_RenewalDue,"{RENEWAL_DUE}")',
            lambda f: f.dashboard.renewals_due,
            Style.COMPUTED,
        ),
        (
            "renewals_soon",
            f"Renewals due in the next {RENEWAL_WINDOW_DAYS} days",
            "Dashboard_RenewalsSoon",
            renewals_soon_count("Course_DueAgain"),
            lambda f: f.dashboard.renewals_soon,
            Style.COMPUTED,
        ),
    ]
    return {
        key: Figure(key, label, name, Formula(text, twin), style)
        for key, label, name, text, twin, style in rows
    }


FIGURES = _figures(grid.Table(CHECKLIST, "Courses", 0, (grid.Column("id", "ID", 0),), ()))
"""The dashboard's figures by key, for the sheets that show them again (by name). The
"All courses" formula counts the checklist's rows, which depend on the role: a tracker's
own figures are its :attr:`Layout.dashboard`."""


def _certification_figures() -> tuple[Figure, ...]:
    """Start Here's counts of the certifications that need attention, from the flags."""
    return (
        Figure(
            "certifications_expired",
            "Certifications expired",
            "Dashboard_CertificationsExpired",
            Formula(
                f'=COUNTIF(Certification_Expiry,"{EXPIRED}")',
                lambda f: f.dashboard.certifications_expired,
            ),
            Style.COMPUTED,
        ),
        Figure(
            "certifications_expiring",
            f"Certifications expiring in {EXPIRY_WINDOW_DAYS} days",
            "Dashboard_CertificationsExpiring",
            Formula(
                f'=COUNTIF(Certification_Expiry,"{EXPIRING}")',
                lambda f: f.dashboard.certifications_expiring,
            ),
            Style.COMPUTED,
        ),
    )


def _dashboard(
    courses: Table, *, readiness: bool = False, certifications: bool = False
) -> tuple[Field, ...]:
    """The dashboard's figures, the certifications' counts when the role lists any, and,
    when the role has next roles, the chosen one's readiness."""
    figures = [
        *_figures(courses).values(),
        *(_certification_figures() if certifications else ()),
        *(_readiness("Dashboard") if readiness else ()),
    ]
    return tuple(
        figure.at(EMPLOYEE_FIRST_ROW + index, DASHBOARD_COL + 1)
        for index, figure in enumerate(figures)
    )


def _checklist_totals() -> tuple[Field, ...]:
    """Live totals above the checklist, pulled from the dashboard's figures."""
    rows = (
        ("done", "Courses done", "all_done"),
        ("total", "Courses listed", "all_total"),
        ("hours", "Hours completed", "hours_done"),
        ("overdue", "Overdue", "overdue"),
        ("renewals", "Renewal due", "renewals_due"),
    )
    return tuple(
        FIGURES[source]
        .pulled(key, label, f"Checklist_{key.title()}", f"={FIGURES[source].name}")
        .at(2 + index, 1, style=Style.COMPUTED_LEFT)
        for index, (key, label, source) in enumerate(rows)
    )


def _largest_gap(rank: int) -> str:
    key = f"LARGE(Competency_GapRank,{rank})"
    return f'=IFERROR(IF({key}<=0,"",INDEX(Competency_Name,MATCH({key},Competency_GapRank,0))),"")'


def _nth_gap(n: int) -> Callable[[Figures], Any]:
    return lambda figures: figures.dashboard.largest_gaps[n - 1]


OVERDUE_NAMED = 5
"""The overdue courses the discussion names; the rest are counted ("and 2 more")."""
NO_OVERDUE = "None"


def _overdue_names(role: Role | None) -> Callable[[Figures], str]:
    titles = {c.id: c.course.title for c in role.courses} if role else {}

    def names(figures: Figures) -> str:
        late = [titles[c] for c, overdue in figures.overdue.items() if overdue and c in titles]
        if not late:
            return NO_OVERDUE
        more = len(late) - OVERDUE_NAMED
        return "; ".join(late[:OVERDUE_NAMED]) + (f"; and {more} more" if more > 0 else "")

    return names


def _overdue_names_formula() -> str:
    def title(number: int) -> str:
        return f'IFERROR(INDEX(Course_Title,MATCH({number},Course_OverdueNumber,0)),"")'

    count = "Dashboard_Overdue"
    rest = "".join(f'&IF({count}>={n},"; "&{title(n)},"")' for n in range(2, OVERDUE_NAMED + 1))
    more = f'&IF({count}>{OVERDUE_NAMED},"; and "&({count}-{OVERDUE_NAMED})&" more","")'
    return f'=IF({count}=0,"{NO_OVERDUE}",{title(1)}{rest}{more})'


def _readiness(sheet: str) -> list[Figure]:
    """The chosen next role's readiness (the verdict and both figures), shown again on
    ``sheet`` ("Dashboard" or "Discussion", the start of each defined name)."""

    def shown(name: str) -> str:
        return f'=IF({name}="","",{name})'

    def share(value: float | None) -> Any:
        return _share(value)

    return [
        Figure(
            "next_verdict",
            "Ready for the target role?",
            f"{sheet}_Verdict",
            Formula(shown("NextRole_Verdict"), lambda f: _next(f).verdict),
            Style.COMPUTED_LEFT,
        ),
        Figure(
            "next_courses",
            "Target role: courses readiness",
            f"{sheet}_CoursesReadiness",
            Formula(shown("NextRole_CoursesReadiness"), lambda f: share(_next(f).courses_share)),
            Style.COMPUTED_PERCENT,
        ),
        Figure(
            "next_competencies",
            "Target role: competencies readiness",
            f"{sheet}_CompetenciesReadiness",
            Formula(
                shown("NextRole_CompetenciesReadiness"),
                lambda f: share(_next(f).competencies_share),
            ),
            Style.COMPUTED_PERCENT,
        ),
    ]


def _discussion_summary(role: Role | None = None, *, readiness: bool = False) -> tuple[Field, ...]:
    def pulled(name: str) -> str:
        return f'=IF({name}="","",{name})'

    rows: list[Figure] = [
        Figure(
            "employee",
            "Employee",
            "Discussion_Employee",
            Formula(pulled("Employee_Name"), lambda f: f.employee.name),
        ),
        Figure(
            "manager",
            "Manager",
            "Discussion_Manager",
            Formula(pulled("Employee_Manager"), lambda f: f.employee.manager),
        ),
        Figure(
            "role", "Role", "Discussion_Role", Formula(pulled("Role_Title"), lambda f: f.role_title)
        ),
        Figure(
            "target_role",
            "Target role",
            "Discussion_TargetRole",
            Formula(pulled("Employee_TargetRole"), lambda f: f.employee.target_role),
        ),
        FIGURES["required_share"].pulled("progress", "Required progress", "Discussion_Progress"),
        *(_readiness("Discussion") if readiness else ()),
        FIGURES["overdue"].pulled(
            "overdue", "Overdue courses", "Discussion_Overdue", "=Dashboard_Overdue"
        ),
        Figure(
            "overdue_names",
            "Overdue, by name",
            "Discussion_OverdueCourses",
            Formula(_overdue_names_formula(), _overdue_names(role)),
            Style.COMPUTED_LEFT,
        ),
    ]
    rows += [
        Figure(
            f"gap_{n}",
            f"Largest gap {n}",
            f"Discussion_Gap{n}",
            Formula(_largest_gap(n), _nth_gap(n)),
        )
        for n in (1, 2, 3)
    ]
    return tuple(figure.at(3 + index, 1) for index, figure in enumerate(rows))


LIST_COLUMNS = {"status": 0, "rating": 1, "level_name": 2, "next_role": 3}
"""Columns of the hidden Lists sheet; row 0 holds a heading, values start below."""

ROLE_TITLE = Field("role_title", "Role", 0, 0, Kind.STATIC, "Role_Title")


def _list_span(col: int, last_row: int, first_row: int = 1) -> str:
    """A list column's values, from ``first_row`` to ``last_row`` (row 0 is its heading)."""
    first = cell_ref(first_row, col, row_abs=True, col_abs=True)
    last = cell_ref(last_row, col, row_abs=True, col_abs=True)
    return f"{quote_sheet(LISTS)}!{first}:{last}"


def next_roles_of(next_roles: tuple[Role, ...], target: Role | None) -> tuple[Role, ...]:
    """What the Target role dropdown offers: the next roles, and a target beyond them last."""
    ids = {item.id for item in next_roles}
    return (*next_roles, target) if target and target.id not in ids else next_roles


def _choice_field() -> Field:
    """The chosen next role's number in the dropdown's list of next roles (0: none), for the
    Next Role sheet's formulas; MATCH, like the dropdown, ignores the case of the title."""
    return Figure(
        "choice",
        "Chosen next role",
        CHOICE_NAME,
        Formula(
            f"=IFERROR(MATCH(Employee_TargetRole,{TITLES_NAME},0),0)",
            lambda f: _next(f).choice,
        ),
    ).at(1, LIST_COLUMNS["next_role"] + 2)


NEXT_STEP_COLUMNS: tuple[Column, ...] = tuple(
    grid.Column(key, header, width, kind, name, entry=key)
    for (key, header, kind, name), width in zip(
        (
            ("action", "Agreed next step", Kind.TEXT, "NextSteps_Action"),
            ("owner", "Owner", Kind.TEXT, "NextSteps_Owner"),
            ("due", "Due date", Kind.DATE, "NextSteps_DueDate"),
            ("status", "Status", Kind.STATUS, "NextSteps_Status"),
        ),
        DISCUSSION_WIDTHS,
        strict=True,
    )
)
"""Each column's key is the :class:`~trackerkit.entries.NextStep` attribute it holds."""


def _next_step(entries: Entries, row_id: str) -> Any:
    steps = entries.discussion.next_steps
    number = int(row_id)
    return steps[number - 1] if number <= len(steps) else None


def _union_competencies(targets: tuple[Role, ...]) -> dict[str, RoleCompetency]:
    """Every competency some next role asks, by id, in the order the next roles list them."""
    found: dict[str, RoleCompetency] = {}
    for target in targets:
        for item in target.competencies:
            found.setdefault(item.id, item)
    return found


def _union_courses(targets: tuple[Role, ...]) -> dict[str, RoleCourse]:
    """Every course some next role requires, by id, in the order the next roles list them."""
    found: dict[str, RoleCourse] = {}
    for target in targets:
        for item in target.courses:
            if item.requirement is Requirement.REQUIRED:
                found.setdefault(item.id, item)
    return found


def _asked_columns(targets: tuple[Role, ...], what: Callable[[Role, str], Any]) -> list[Column]:
    """One column per next role, in the dropdown's order: what it asks of the row's item
    (blank: nothing), side by side to compare; the chosen one's is picked from them."""

    def of(target: Role) -> Callable[[str], Any]:
        return lambda item: what(target, item)

    return [
        grid.Column(f"option_{number}", _option_header(number, target), 14, value=of(target))
        for number, target in enumerate(targets, start=1)
    ]


OPTION_TITLE = 60
"""How much of a next role's title its column's header shows: a table header holds 255."""


def _option_header(number: int, target: Role) -> str:
    """A next role's column header: numbered, so two long titles cut alike stay apart."""
    title = target.title if len(target.title) <= OPTION_TITLE else target.title[:OPTION_TITLE] + "…"
    return f"{number}. {title}"


def _chosen(table: Table, row: int, count: int) -> str:
    """The chosen next role's cell among a row's hidden option columns."""
    first, last = table.cell("option_1", row), table.cell(f"option_{count}", row)
    return f"INDEX({first}:{last},1,{CHOICE_NAME})"


def _level_asked(target: Role, item: str) -> int | None:
    found = [c.target for c in target.competencies if c.id == item]
    return found[0] if found else None


def _required_by(target: Role, item: str) -> str | None:
    required = {c.id for c in target.courses if c.requirement is Requirement.REQUIRED}
    return YES if item in required else None


def _next_competency_columns(role: Role, targets: tuple[Role, ...]) -> tuple[Column, ...]:
    extra = bool(extra_competencies(role, targets))
    count = len(targets)
    now = {item.id: item.target for item in role.competencies}

    def asked(table: Table, row: int) -> str:
        chosen = _chosen(table, row, count)
        return f'=IF({CHOICE_NAME}=0,"",IF({chosen}="","",{chosen}))'

    def change(table: Table, row: int) -> str:
        level = table.cell("target", row)
        before = now.get(table.rows[row - table.first_row])
        if before is None:
            return f'=IF({level}="","","New")'
        return f'=IF({level}="","",IF({level}>{before},"Up from {before}",""))'

    def level(table: Table, row: int) -> str:
        item = table.cell("id", row)
        here = f"INDEX(Competency_Current,MATCH({item},Competency_ID,0))"
        there = f"INDEX(NextRole_ExtraCurrent,MATCH({item},NextRole_ExtraCompetencyID,0))"
        return f'=IFERROR({here},IFERROR({there},""))' if extra else f'=IFERROR({here},"")'

    def ready(table: Table, row: int) -> str:
        # By subtraction, as At target does: a rating typed as text still counts as its number.
        level, target = table.cell("current", row), table.cell("target", row)
        return f'=IF({target}="","",IF({level}="","{NO}",IF({target}-{level}<=0,"{YES}","{NO}")))'

    def changed(figures: Figures, item: str) -> str:
        asked = figures.next_role.competency_asked[item] if figures.next_role else None
        return "" if asked is None else _change(now.get(item), asked)

    def short(table: Table, row: int) -> str:
        ready, level, asked = (table.cell(k, row) for k in ("ready", "current", "target"))
        return f'=IF({ready}<>"{NO}","",IF({level}="","{NOT_RATED}",{asked}-{level}))'

    def need(table: Table, row: int) -> str:
        # Courses first, then the largest gaps (equal gaps in the table's order), then the
        # competencies not rated: a place in "What you still need" without FILTER or SORT.
        here = table.cell("short", row)
        first = cell_ref(table.first_row, table.col("short"), row_abs=True, col_abs=True)
        upto = f"{first}:{here}"
        courses = "NextRole_CoursesTotal-NextRole_CoursesDone"
        unrated = f'COUNT(NextRole_Short)+COUNTIF({upto},"{NOT_RATED}")'
        rated = f'COUNTIF(NextRole_Short,">"&{here})+COUNTIF({upto},{here})'
        return f'=IF({here}="","",{courses}+IF({here}="{NOT_RATED}",{unrated},{rated}))'

    wanted = _union_competencies(targets)
    return (
        grid.Column("id", "ID", 24, Kind.STATIC, "NextRole_CompetencyID", value=_same),
        grid.Column(
            "name",
            "Competency",
            30,
            Kind.STATIC,
            "NextRole_CompetencyName",
            value=lambda i: wanted[i].competency.name,
        ),
        grid.Column(
            "target",
            "Level asked",
            10,
            Kind.FORMULA,
            "NextRole_Target",
            Formula(asked, lambda f, i: _blank_if_none(_next(f).competency_asked.get(i))),
            style=Style.COMPUTED_CENTER,
        ),
        grid.Column(
            "current",
            "Your level now",
            10,
            Kind.FORMULA,
            "NextRole_Level",
            Formula(level, lambda f, i: _blank_if_none(_next(f).competency_level.get(i))),
            style=Style.COMPUTED_CENTER,
        ),
        grid.Column(
            "ready",
            "At the level asked",
            10,
            Kind.FORMULA,
            "NextRole_Ready",
            Formula(ready, lambda f, i: _next(f).competency_ready.get(i, "")),
            style=Style.COMPUTED_CENTER,
        ),
        grid.Column("change", "What changes", 16, Kind.FORMULA, None, Formula(change, changed)),
        grid.Column(
            "short",
            "Levels short",
            10,
            Kind.FORMULA,
            "NextRole_Short",
            Formula(short, lambda f, i: _next(f).competency_short.get(i, "")),
            style=Style.COMPUTED_LEFT,
        ),
        grid.Column(
            "need",
            "Still need #",
            10,
            Kind.FORMULA,
            "NextRole_CompetencyNeed",
            Formula(need, lambda f, i: _next(f).competency_need.get(i, "")),
            style=Style.COMPUTED_LEFT,
        ),
        grid.Column(
            "builders",
            "Courses here that build it",
            44,
            Kind.FORMULA,
            "NextRole_Builders",
            Formula(
                lambda t, r: _builders_formula(role, targets, t.rows[r - t.first_row]),
                lambda f, i: _next(f).builders.get(i, ""),
            ),
            style=Style.COMPUTED,
        ),
        *_asked_columns(targets, _level_asked),
    )


def _quoted(text: str) -> str:
    """Text as an Excel string literal."""
    return '"' + text.replace('"', '""') + '"'


def _status_of(role: Role, course_id: str) -> str:
    """A course's status wherever the tracker holds it, as the cell shows it."""
    item = _quoted(course_id)
    if course_id in {c.id for c in role.courses}:
        return f'IFERROR({_checklist_status(item)},"")'
    return f'IFERROR(""&INDEX(NextRole_ExtraStatus,MATCH({item},NextRole_ExtraCourseID,0)),"")'


def _checklist_status(item: str) -> str:
    """A checklist course's status, with :data:`LAPSED_SUFFIX` when its renewal is due (so it
    is no done status); ``item`` is the course id's cell or literal."""
    found = f"MATCH({item},Course_ID,0)"
    lapsed = f'IF(INDEX(Course_RenewalDue,{found})="{RENEWAL_DUE}","{LAPSED_SUFFIX}","")'
    return f'""&INDEX(Course_Status,{found})&{lapsed}'


def _builders_formula(role: Role, targets: tuple[Role, ...], competency_id: str) -> str:
    """The courses of this tracker that build a competency, each with its status, live."""
    found = building(role, targets, competency_id)
    if not found:
        return f"={_quoted(NO_BUILDER)}"
    parts = [f'{_quoted(c.course.title + " (")}&{_status_of(role, c.id)}&")"' for c in found]
    return "=" + '&"; "&'.join(parts)


def _still_need_rows(targets: tuple[Role, ...]) -> int:
    """Room for everything the most demanding next role asks."""
    return max(
        sum(c.requirement is Requirement.REQUIRED for c in t.courses) + len(t.competencies)
        for t in targets
    )


def _still_need_columns() -> tuple[Column, ...]:
    def lookup(kind: str) -> Callable[[Table, int], str]:
        def text(table: Table, row: int) -> str:
            k = table.cell("number", row)
            course = f"MATCH({k},NextRole_CourseNeed,0)"
            competency = f"MATCH({k},NextRole_CompetencyNeed,0)"
            level = f"INDEX(NextRole_Level,{competency})"
            return {
                "what": (
                    f"=IFERROR(INDEX(NextRole_CourseTitle,{course}),"
                    f'IFERROR(INDEX(NextRole_CompetencyName,{competency}),""))'
                ),
                "kind": (
                    f'=IF(ISNUMBER({course}),"{REQUIRED_COURSE}",'
                    f'IF(ISNUMBER({competency}),"{COMPETENCY}",""))'
                ),
                "asked": f'=IFERROR(INDEX(NextRole_Target,{competency}),"")',
                "now": f'=IFERROR(IF({level}="","{NOT_RATED}",{level}),"")',
                "how": (
                    f'=IFERROR("Status: "&INDEX(NextRole_CourseStatus,{course}),'
                    f'IFERROR(INDEX(NextRole_Builders,{competency}),""))'
                ),
            }[kind]

        return text

    def twin(kind: str) -> Callable[[Figures, str], Any]:
        def value(figures: Figures, item: str) -> Any:
            lines = _next(figures).still_need
            number = int(item)
            return getattr(lines[number - 1], kind) if number <= len(lines) else ""

        return value

    def computed(key: str, header: str, width: float, name: str | None = None) -> Column:
        return grid.Column(
            key,
            header,
            width,
            Kind.FORMULA,
            name,
            Formula(lookup(key), twin(key)),
            style=Style.COMPUTED_LEFT,
        )

    return (
        grid.Column("number", "#", 5, Kind.STATIC, None, value=int, style=Style.COMPUTED_CENTER),
        computed("what", "What you still need", 36, "NextRole_StillNeed"),
        computed("kind", "What it is", 16),
        computed("asked", "Level asked", 10),
        computed("now", "Level now", 10),
        computed("how", "How to get there", 60),
    )


def _next(figures: Figures) -> NextRoleFigures:
    """The next-role figures of a tracker that has a Next Role sheet."""
    assert figures.next_role is not None
    return figures.next_role


def _change(before: int | None, now: int) -> str:
    return "New" if before is None else (f"Up from {before}" if now > before else "")


def _next_course_columns(role: Role, targets: tuple[Role, ...]) -> tuple[Column, ...]:
    extra = bool(extra_courses(role, targets))
    count = len(targets)
    now = {c.id: c.requirement for c in role.courses}

    def required(table: Table, row: int) -> str:
        chosen = _chosen(table, row, count)
        return f'=IF({CHOICE_NAME}=0,"",IF({chosen}="","","{YES}"))'

    def status(table: Table, row: int) -> str:
        # ""& shows an empty cell as ""
        item = table.cell("id", row)
        here = _checklist_status(item)
        there = f'""&INDEX(NextRole_ExtraStatus,MATCH({item},NextRole_ExtraCourseID,0))'
        return f'=IFERROR({here},IFERROR({there},""))' if extra else f'=IFERROR({here},"")'

    def done(table: Table, row: int) -> str:
        cell, asked = table.cell("status", row), table.cell("required", row)
        either = ",".join(f'{cell}="{value}"' for value in DONE_STATUSES)
        return f'=IF({asked}="","",IF(OR({either}),"{YES}","{NO}"))'

    def change_text(item: str) -> str:
        before = now.get(item)
        if before is None:
            return "New"
        return "Now required" if before is not Requirement.REQUIRED else ""

    def change(table: Table, row: int) -> str:
        text = change_text(table.rows[row - table.first_row])
        return f'=IF({table.cell("required", row)}="","","{text}")'

    def changed(figures: Figures, item: str) -> str:
        return change_text(item) if _next(figures).course_required.get(item) else ""

    def need(table: Table, row: int) -> str:
        here = table.cell("done", row)
        first = cell_ref(table.first_row, table.col("done"), row_abs=True, col_abs=True)
        return f'=IF({here}="{NO}",COUNTIF({first}:{here},"{NO}"),"")'

    wanted = _union_courses(targets)
    return (
        grid.Column("id", "ID", 24, Kind.STATIC, "NextRole_CourseID", value=_same),
        grid.Column(
            "title",
            "Course",
            44,
            Kind.STATIC,
            "NextRole_CourseTitle",
            value=lambda i: wanted[i].course.title,
        ),
        grid.Column(
            "required",
            "Required by it",
            10,
            Kind.FORMULA,
            "NextRole_CourseRequired",
            Formula(required, lambda f, i: _next(f).course_required.get(i, "")),
            style=Style.COMPUTED_CENTER,
        ),
        grid.Column(
            "status",
            "Status here",
            24,
            Kind.FORMULA,
            "NextRole_CourseStatus",
            Formula(status, lambda f, i: _next(f).course_status.get(i, "")),
        ),
        grid.Column(
            "done",
            "Done",
            10,
            Kind.FORMULA,
            "NextRole_CourseDone",
            Formula(done, lambda f, i: _next(f).course_done.get(i, "")),
            style=Style.COMPUTED_CENTER,
        ),
        grid.Column("change", "What changes", 16, Kind.FORMULA, None, Formula(change, changed)),
        grid.Column(
            "need",
            "Still need #",
            10,
            Kind.FORMULA,
            "NextRole_CourseNeed",
            Formula(need, lambda f, i: _next(f).course_need.get(i, "")),
            style=Style.COMPUTED_LEFT,
        ),
        *_asked_columns(targets, _required_by),
    )


NEXT_ROLE_TOP = 3
"""The chosen next role's row on the Next Role sheet; the readiness figures and tables follow."""
CHOICE_NAME = "NextRole_Choice"
"""The chosen next role's place in the dropdown's list of next roles; 0 for none."""
TITLES_NAME = "NextRole_Titles"
"""The next roles' titles, in the dropdown's order (after None)."""
NO_CHOICE = "None chosen yet: choose your target role on Start Here"
TO_GO = (
    "(NextRole_CoursesTotal-NextRole_CoursesDone)+(NextRole_CompetenciesTotal-NextRole_ReadyCount)"
)
"""How many things the chosen next role still asks: courses not done, competencies short."""
NO_TARGET = "None"
"""The Target role dropdown's first choice: no next role."""


def _next_fields() -> tuple[Field, ...]:
    rows: tuple[tuple[str, str, str, str, Callable[[Figures], Any], Style], ...] = (
        (
            "chosen",
            "Next role",
            "NextRole_Chosen",
            f'=IF({CHOICE_NAME}=0,"{NO_CHOICE}",INDEX({TITLES_NAME},{CHOICE_NAME}))',
            lambda f: _next(f).chosen or NO_CHOICE,
            Style.COMPUTED_LEFT,
        ),
        (
            "verdict",
            "Ready for it?",
            "NextRole_Verdict",
            (f'=IF({CHOICE_NAME}=0,"",IF({TO_GO}=0,"{READY}","Not yet: "&{TO_GO}&" to go"))'),
            lambda f: _next(f).verdict,
            Style.COMPUTED_LEFT,
        ),
        (
            "courses_done",
            "Required courses done",
            "NextRole_CoursesDone",
            f'=COUNTIF(NextRole_CourseDone,"{YES}")',
            lambda f: _next(f).courses_done,
            Style.COMPUTED_LEFT,
        ),
        (
            "courses_total",
            "Required courses",
            "NextRole_CoursesTotal",
            f'=COUNTIF(NextRole_CourseRequired,"{YES}")',
            lambda f: _next(f).courses_total,
            Style.COMPUTED_LEFT,
        ),
        (
            "courses_share",
            "Courses readiness",
            "NextRole_CoursesReadiness",
            '=IF(NextRole_CoursesTotal=0,"",NextRole_CoursesDone/NextRole_CoursesTotal)',
            lambda f: _share(_next(f).courses_share),
            Style.COMPUTED_PERCENT,
        ),
        (
            "ready",
            "Competencies at the level asked",
            "NextRole_ReadyCount",
            f'=COUNTIF(NextRole_Ready,"{YES}")',
            lambda f: _next(f).ready,
            Style.COMPUTED_LEFT,
        ),
        (
            "competencies_total",
            "Competencies asked",
            "NextRole_CompetenciesTotal",
            "=COUNT(NextRole_Target)",
            lambda f: _next(f).competencies_total,
            Style.COMPUTED_LEFT,
        ),
        (
            "competencies_share",
            "Competencies readiness",
            "NextRole_CompetenciesReadiness",
            '=IF(NextRole_CompetenciesTotal=0,"",NextRole_ReadyCount/NextRole_CompetenciesTotal)',
            lambda f: _share(_next(f).competencies_share),
            Style.COMPUTED_PERCENT,
        ),
    )
    return tuple(
        Figure(key, label, name, Formula(text, twin), style).at(NEXT_ROLE_TOP + index, 1)
        for index, (key, label, name, text, twin, style) in enumerate(rows)
    )


def extra_competencies(role: Role, targets: tuple[Role, ...]) -> tuple[str, ...]:
    """The competencies some next role asks that the role does not have: rated on Next Role."""
    own = {item.id for item in role.competencies}
    return tuple(item for item in _union_competencies(targets) if item not in own)


def extra_courses(role: Role, targets: tuple[Role, ...]) -> tuple[str, ...]:
    """The courses some next role requires that the role does not list: their status on
    Next Role."""
    own = {item.id for item in role.courses}
    return tuple(item for item in _union_courses(targets) if item not in own)


def _extra_competency_columns(targets: tuple[Role, ...]) -> tuple[Column, ...]:
    wanted = _union_competencies(targets)

    def current(table: Table, row: int) -> str:
        manager, own = table.cell("manager_rating", row), table.cell("self_rating", row)
        return f'=IF({manager}<>"",{manager},IF({own}<>"",{own},""))'

    return (
        grid.Column("id", "ID", 24, Kind.STATIC, "NextRole_ExtraCompetencyID", value=_same),
        grid.Column("name", "Competency", 30, value=lambda i: wanted[i].competency.name),
        grid.Column(
            "definition",
            "What it looks like",
            44,
            value=lambda i: wanted[i].competency.definition,
        ),
        grid.Column(
            "self_rating",
            "Self rating",
            12,
            Kind.RATING,
            "NextRole_ExtraSelfRating",
            entry="self_rating",
        ),
        grid.Column(
            "manager_rating",
            "Manager rating",
            12,
            Kind.RATING,
            "NextRole_ExtraManagerRating",
            entry="manager_rating",
        ),
        grid.Column(
            "current",
            "Current level",
            12,
            Kind.FORMULA,
            "NextRole_ExtraCurrent",
            Formula(current, lambda f, i: _blank_if_none(_next(f).competency_level.get(i))),
        ),
        grid.Column(
            "evidence",
            "Evidence and notes",
            40,
            Kind.TEXT,
            "NextRole_ExtraEvidence",
            entry="evidence",
        ),
    )


def _extra_course_columns(targets: tuple[Role, ...]) -> tuple[Column, ...]:
    wanted = _union_courses(targets)
    return (
        grid.Column("id", "ID", 24, Kind.STATIC, "NextRole_ExtraCourseID", value=_same),
        grid.Column(
            "title",
            "Course",
            44,
            value=lambda i: wanted[i].course.title,
            link=lambda i: wanted[i].course.url,
        ),
        grid.Column(
            "hours", "Hours", 10, value=lambda i: wanted[i].course.hours, style=Style.CENTER
        ),
        grid.Column("status", "Status", 14, Kind.STATUS, "NextRole_ExtraStatus", entry="status"),
        grid.Column(
            "target_date",
            "Target date",
            13,
            Kind.DATE,
            "NextRole_ExtraTargetDate",
            entry="target_date",
        ),
        grid.Column(
            "completed_on",
            "Completed on",
            13,
            Kind.DATE,
            "NextRole_ExtraCompletedOn",
            entry="completed_on",
        ),
        grid.Column("notes", "Notes", 40, Kind.TEXT, "NextRole_ExtraNotes", entry="notes"),
    )


def extra_tables(
    targets: tuple[Role, ...],
    competency_ids: tuple[str, ...],
    course_ids: tuple[str, ...],
    top: int,
) -> tuple[Table | None, Table | None]:
    """The inputs for what only the next roles have, each table only when it has rows (the
    reader declares them with stand-in rows and no targets: the columns are what it needs)."""
    competencies = (
        grid.Table(
            NEXT_ROLE,
            "NextExtraCompetencies",
            top,
            _extra_competency_columns(targets),
            competency_ids,
            record=lambda entries, i: entries.competency(i),
            style=TABLE_STYLE,
        )
        if competency_ids
        else None
    )
    below = competencies.last_row + 3 if competencies else top
    courses = (
        grid.Table(
            NEXT_ROLE,
            "NextExtraCourses",
            below,
            _extra_course_columns(targets),
            course_ids,
            record=lambda entries, i: entries.course(i),
            style=TABLE_STYLE,
        )
        if course_ids
        else None
    )
    return competencies, courses


def _next_tables(role: Role, targets: tuple[Role, ...]) -> tuple[Table, Table, Table]:
    needs = grid.Table(
        NEXT_ROLE,
        "StillNeed",
        NEXT_ROLE_TOP + len(_next_fields()) + 2,
        _still_need_columns(),
        tuple(str(n) for n in range(1, _still_need_rows(targets) + 1)),
        style=TABLE_STYLE,
    )
    top = needs.last_row + 3
    competencies = grid.Table(
        NEXT_ROLE,
        "NextCompetencies",
        top,
        _next_competency_columns(role, targets),
        tuple(_union_competencies(targets)),
        style=TABLE_STYLE,
    )
    courses = grid.Table(
        NEXT_ROLE,
        "NextCourses",
        competencies.last_row + 3,
        _next_course_columns(role, targets),
        tuple(_union_courses(targets)),
        style=TABLE_STYLE,
    )
    return needs, competencies, courses


def _certification_dates(names: str) -> tuple[Column, Column]:
    """A certification's two inputs, their defined names starting with ``names``."""
    return (
        grid.Column(
            "obtained_on", "Date obtained", 13, Kind.DATE, f"{names}ObtainedOn", entry="obtained_on"
        ),
        grid.Column(
            "expires_on", "Expires on", 13, Kind.DATE, f"{names}ExpiresOn", entry="expires_on"
        ),
    )


def _certification_columns(role: Role | None = None) -> tuple[Column, ...]:
    held = {item.id: item for item in role.certifications} if role else {}

    def flag(table: Table, row: int) -> str:
        return expiry_flag_formula(table.cell("expires_on", row))

    return (
        grid.Column("id", "ID", 16, Kind.STATIC, "Certification_ID", value=_same),
        grid.Column(
            "name",
            "Certification",
            44,
            Kind.STATIC,
            "Certification_Name",
            value=lambda i: held[i].name,
        ),
        grid.Column(
            "requirement",
            "Requirement",
            12,
            Kind.STATIC,
            "Certification_Requirement",
            value=lambda i: held[i].requirement.label,
        ),
        grid.Column("issuer", "Issuer", 32, value=lambda i: held[i].issuer or ""),
        *_certification_dates("Certification_"),
        grid.Column(
            "expiry",
            "Expiry",
            22,
            Kind.FORMULA,
            "Certification_Expiry",
            Formula(flag, lambda figures, item: figures.expiry[item]),
        ),
    )


CERTIFICATIONS_TOP = 3
"""The Certifications sheet's header row, below its title and help."""


def certifications_table(role: Role | None = None) -> Table:
    """The Certifications sheet's table of ``role``'s certifications (without a role, its
    columns, as the reader looks for them)."""
    return grid.Table(
        CERTIFICATIONS,
        "Certifications",
        CERTIFICATIONS_TOP,
        _certification_columns(role),
        tuple(item.id for item in role.certifications) if role else (),
        record=lambda entries, i: entries.certification(i),
        style=TABLE_STYLE,
    )


ARCHIVED_COURSE_COLUMNS: tuple[Column, ...] = (
    grid.Column("id", "ID", 24, Kind.STATIC, "Archived_CourseID", value=_same),
    grid.Column("status", "Status", 14, Kind.STATUS, "Archived_CourseStatus", entry="status"),
    grid.Column(
        "target_date",
        "Target date",
        13,
        Kind.DATE,
        "Archived_CourseTargetDate",
        entry="target_date",
    ),
    grid.Column(
        "completed_on",
        "Completed on",
        13,
        Kind.DATE,
        "Archived_CourseCompletedOn",
        entry="completed_on",
    ),
    grid.Column("notes", "Notes", 44, Kind.TEXT, "Archived_CourseNotes", entry="notes"),
)
ARCHIVED_COMPETENCY_COLUMNS: tuple[Column, ...] = (
    grid.Column("id", "ID", 24, Kind.STATIC, "Archived_CompetencyID", value=_same),
    grid.Column(
        "self_rating", "Self rating", 10, Kind.RATING, "Archived_SelfRating", entry="self_rating"
    ),
    grid.Column(
        "manager_rating",
        "Manager rating",
        10,
        Kind.RATING,
        "Archived_ManagerRating",
        entry="manager_rating",
    ),
    grid.Column(
        "evidence", "Evidence and notes", 44, Kind.TEXT, "Archived_Evidence", entry="evidence"
    ),
)
ARCHIVED_CERTIFICATION_COLUMNS: tuple[Column, ...] = (
    grid.Column("id", "ID", 24, Kind.STATIC, "Archived_CertificationID", value=_same),
    *_certification_dates("Archived_Certification"),
)
ARCHIVE_TOP = 3
"""The archived courses' header row; the competencies, then the certifications, follow two
rows below the table before them."""
Archived: TypeAlias = tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]
"""The ids of the archived courses, competencies and certifications."""
NOTHING_ARCHIVED: Archived = ((), (), ())


_ARCHIVE_PARTS = (
    ("ArchivedCourses", ARCHIVED_COURSE_COLUMNS, "courses"),
    ("ArchivedCompetencies", ARCHIVED_COMPETENCY_COLUMNS, "competencies"),
    ("ArchivedCertifications", ARCHIVED_CERTIFICATION_COLUMNS, "certifications"),
)
"""Each archive table's name, columns and part of :class:`~trackerkit.entries.Archive`."""


def archive_tables(
    course_ids: tuple[str, ...],
    competency_ids: tuple[str, ...],
    certification_ids: tuple[str, ...] = (),
) -> tuple[Table | None, Table | None, Table | None]:
    """The archive's three tables, each only when it has rows, one below the other."""
    tables: list[Table | None] = []
    top = ARCHIVE_TOP
    every_ids = (course_ids, competency_ids, certification_ids)
    for (name, columns, part), ids in zip(_ARCHIVE_PARTS, every_ids, strict=True):
        table = (
            grid.Table(ARCHIVE, name, top, columns, ids, record=_archived(part), style=TABLE_STYLE)
            if ids
            else None
        )
        tables.append(table)
        top = table.last_row + 3 if table else top
    courses, competencies, certifications = tables
    return courses, competencies, certifications


def _archived(part: str) -> Callable[[Entries, str], Any]:
    """The archived entry of an id, from the part (courses, ...) of the entries' archive."""
    return lambda entries, item: getattr(entries.archive, part)[item]


INPUT_NAMES = frozenset(
    {name for _, _, name, _ in EMPLOYEE_FIELDS}
    | {name for _, _, name in NOTE_FIELDS}
    | {MEETING_DATE}
    | {
        column.name
        for column in (
            *_course_columns(),
            *OWN_COURSE_COLUMNS,
            *_competency_columns(),
            *NEXT_STEP_COLUMNS,
        )
        if column.kind.is_input and column.name
    }
)
"""The defined names of every input region, the same for every role."""
ARCHIVE_NAMES = frozenset(
    column.name
    for column in (
        *ARCHIVED_COURSE_COLUMNS,
        *ARCHIVED_COMPETENCY_COLUMNS,
        *ARCHIVED_CERTIFICATION_COLUMNS,
    )
    if column.kind.is_input and column.name
)
"""The input names of the archive sheet, in the trackers that have one."""


def fixed_texts(layout: Layout) -> Iterator[tuple[str, str, str]]:
    """Every text the tracker holds whatever is entered, as (sheet, cell, text): titles,
    labels, headers and the role's content, joined as its cells show it."""
    for sheet in layout.book:
        for block in sheet.blocks:
            if isinstance(block, grid.Text) and isinstance(block.text, str):
                yield sheet.name, cell_ref(block.row, block.col), block.text
            elif isinstance(block, grid.Field):
                yield sheet.name, cell_ref(block.row, block.col - 1), block.label
            elif isinstance(block, grid.Table):
                yield from _table_texts(sheet.name, block)


def _table_texts(sheet: str, table: grid.Table[str]) -> Iterator[tuple[str, str, str]]:
    for index, column in enumerate(table.columns):
        yield sheet, cell_ref(table.header_row, index), column.header
        if column.value is None:
            continue
        for row, item in table.at_rows():
            value = column.value(item)
            if isinstance(value, str):
                yield sheet, cell_ref(row, index), value


@lru_cache(maxsize=256)
def layout_for(
    role: Role,
    *,
    next_steps: int = NEXT_STEP_ROWS,
    own_courses: int = OWN_COURSE_ROWS,
    archived: Archived = NOTHING_ARCHIVED,
    target: Role | None = None,
    next_roles: tuple[Role, ...] = (),
) -> Layout:
    """The layout of the tracker for ``role``, with ``next_steps`` rows for agreed steps,
    ``own_courses`` rows for the person's own courses, and ``archived`` (course,
    competency and certification ids) entries a newer role version no longer has.
    ``next_roles`` (and ``target``, a roster's, when it is not one of them) are what the
    Target role dropdown offers.

    Cached: a folder of trackers reads against the same few roles again and again.
    """
    totals = _checklist_totals()
    courses = grid.Table(
        CHECKLIST,
        CHECKLIST_TABLE,
        totals[-1].row + 2,
        _course_columns(role),
        tuple(c.id for c in role.courses),
        record=lambda entries, i: entries.course(i),
        style=TABLE_STYLE,
    )
    competencies = grid.Table(
        COVERAGE,
        "Competencies",
        3,
        _competency_columns(role),
        tuple(c.id for c in role.competencies),
        record=lambda entries, i: entries.competency(i),
        style=TABLE_STYLE,
    )
    targets = next_roles_of(next_roles, target)
    employee = tuple(
        Field(
            key,
            label,
            EMPLOYEE_FIRST_ROW + index,
            START_VALUE_COL,
            Kind.CHOICE if key == "target_role" and targets else kind,
            name,
            entry=f"employee.{key}",
        )
        for index, (key, label, name, kind) in enumerate(EMPLOYEE_FIELDS)
    )
    summary = _discussion_summary(role, readiness=bool(targets))
    meeting = Field(
        "meeting_date",
        "Meeting date",
        summary[-1].row + 2,
        1,
        Kind.DATE,
        MEETING_DATE,
        entry="discussion.meeting_date",
    )
    notes_top = meeting.row + 2
    notes = (
        meeting,
        *(
            Field(
                key,
                label,
                notes_top + 2 * index,
                1,
                Kind.TEXT,
                name,
                entry=f"discussion.{key}",
                merge_to=NOTE_LAST_COL,
                height=NOTE_HEIGHT,
            )
            for index, (key, label, name) in enumerate(NOTE_FIELDS)
        ),
    )
    steps = grid.Table(
        DISCUSSION,
        "NextSteps",
        notes[-1].row + 3,
        NEXT_STEP_COLUMNS,
        tuple(str(n) for n in range(1, max(next_steps, 1) + 1)),
        record=_next_step,
        style=TABLE_STYLE,
    )
    lists = {
        STATUS_LIST: _list_span(LIST_COLUMNS["status"], len(STATUSES)),
        RATING_LIST: _list_span(LIST_COLUMNS["rating"], len(RATINGS)),
        "Role_Title": ROLE_TITLE.ref(START),
    }
    next_tables: tuple[Table | None, Table | None, Table | None] = (None, None, None)
    extra: tuple[Table | None, Table | None] = (None, None)
    if targets:
        col = LIST_COLUMNS["next_role"]
        lists[CHOICE_LIST] = _list_span(col, len(targets) + 1)
        lists[TITLES_NAME] = _list_span(col, len(targets) + 1, first_row=2)
        next_tables = _next_tables(role, targets)
        extra = extra_tables(
            targets,
            extra_competencies(role, targets),
            extra_courses(role, targets),
            next_tables[2].last_row + 3,
        )
    return Layout(
        role=role,
        courses=courses,
        competencies=competencies,
        employee=employee,
        dashboard=_dashboard(
            courses, readiness=bool(targets), certifications=bool(role.certifications)
        ),
        checklist_totals=totals,
        discussion_summary=summary,
        discussion_notes=notes,
        next_steps=steps,
        lists=lists,
        own_courses=own_courses_table(courses.last_row, own_courses),
        archived_courses=archive_tables(*archived)[0],
        archived_competencies=archive_tables(*archived)[1],
        archived_certifications=archive_tables(*archived)[2],
        target=target,
        targets=targets,
        choice=(_choice_field(),) if targets else (),
        still_need=next_tables[0],
        next_competencies=next_tables[1],
        next_courses=next_tables[2],
        next_fields=_next_fields() if targets else (),
        extra_competencies=extra[0],
        extra_courses=extra[1],
        certifications=certifications_table(role) if role.certifications else None,
    )


# --- the sheets, block by block, in writing order -------------------------------------------


def _heading(title: str, help_text: str) -> tuple[Text, Text]:
    """A sheet's title in row 1 and its line of help below."""
    return Text(0, 0, title, Style.TITLE), Text(1, 0, help_text, Style.MUTED)


def _start_sheet(layout: Layout) -> Sheet:
    role = layout.role
    paragraphs = (role.summary, "Work settings: " + "; ".join(role.work_settings), INSTRUCTIONS)
    steps_top = layout.dashboard[-1].row + 2
    steps = (
        Text(steps_top, 0, "First steps", Style.SECTION),
        *(
            Text(steps_top + n, 0, f"{n}. {step}", Style.WRAP, START_LAST_COL, fit=PARAGRAPH_WIDTH)
            for n, step in enumerate(FIRST_STEPS, start=1)
        ),
    )
    samples = _samples_block(role, steps_top + len(FIRST_STEPS) + 2)
    about = _about_block(role, _below(samples, steps_top + len(FIRST_STEPS)) + 2)
    top = _below(about, steps_top + len(FIRST_STEPS)) + 2
    scale: list[Block] = []
    for offset, level in enumerate(role.scale, start=1):
        scale += [
            Text(top + offset, 0, f"{level.level} · {level.name}", Style.LABEL),
            Text(top + offset, 1, level.description, Style.WRAP, START_LAST_COL, fit=SCALE_WIDTH),
        ]
    rule_row = top + len(role.scale) + 1
    competencies = layout.competencies
    blocks: tuple[Block, ...] = (
        Text(ROLE_TITLE.row, ROLE_TITLE.col, role.long_title, Style.TITLE),
        Text(1, 0, f"Level {role.level} · version {role.version}", Style.MUTED),
        *(
            (Text(1, DASHBOARD_COL, SAMPLE_POINTER, Style.NOTICE, START_LAST_COL),)
            if samples
            else ()
        ),
        *(
            Text(row, 0, text, Style.WRAP, START_LAST_COL, fit=PARAGRAPH_WIDTH)
            for row, text in enumerate(paragraphs, start=PARAGRAPH_ROW)
        ),
        Text(LEGEND_ROW, 0, "Yellow cells are yours to fill in", Style.INPUT),
        Text(LEGEND_ROW, 1, "Grey figures update by themselves", Style.COMPUTED),
        Text(SECTION_ROW, START_VALUE_COL - 1, "About you", Style.SECTION),
        Text(SECTION_ROW, DASHBOARD_COL, "Your progress", Style.SECTION),
        *layout.employee,
        *layout.dashboard,
        *steps,
        *samples,
        *about,
        Text(top, 0, "Proficiency scale", Style.SECTION),
        *scale,
        Text(rule_row, 0, CURRENT_LEVEL_RULE, Style.WRAP, START_LAST_COL, fit=PARAGRAPH_WIDTH),
        grid.Chart(
            rule_row + 2,
            0,
            COVERAGE,
            (competencies.first_row, competencies.last_row),
            (competencies.col("name"), competencies.col("coverage")),
            series=CHART_SERIES,
            title=CHART_TITLE,
            label_lines=_label_lines(item.competency.name for item in role.competencies),
        ),
    )
    widths = tuple(Width(col, col, width) for col, width in enumerate(START_WIDTHS))
    return Sheet(START, blocks, widths, page=layout.page(START))


def _below(blocks: tuple[Text, ...], row: int) -> int:
    """The last row of ``blocks``, or ``row`` when there are none."""
    return max((block.row for block in blocks), default=row)


def _paragraph(row: int, text: str, style: Style = Style.WRAP) -> Text:
    """A line of text across Start Here, as tall as its wrapped text needs."""
    return Text(row, 0, text, style, START_LAST_COL, fit=PARAGRAPH_WIDTH)


def _samples_block(role: Role, top: int) -> tuple[Text, ...]:
    """The sample notes of the role's files, shown where a person meets them, until replaced."""
    notes = role.samples()
    if not notes:
        return ()
    return (
        Text(top, 0, SAMPLES_HEADING, Style.SECTION),
        *(_paragraph(top + n, note, Style.NOTICE) for n, note in enumerate(notes, start=1)),
        _paragraph(top + len(notes) + 1, SAMPLES_HELP),
    )


def _about_block(role: Role, top: int) -> tuple[Text, ...]:
    """What the role is: its responsibilities, certifications and job description, so a
    printed tracker carries them."""
    blocks = [Text(top, 0, "About the role", Style.SECTION)]
    lines: list[tuple[str, tuple[str, ...]]] = [
        ("Responsibilities", role.responsibilities),
        ("Certifications", tuple(_certification_line(item) for item in role.certifications)),
    ]
    row = top + 1
    for heading, items in lines:
        if not items:
            continue
        blocks.append(Text(row, 0, heading, Style.LABEL))
        blocks += [_paragraph(row + n, f"• {item}") for n, item in enumerate(items, start=1)]
        row += len(items) + 1
    if role.job_description_url:
        blocks += [
            Text(row, 0, "Job description", Style.LABEL),
            Text(
                row,
                START_VALUE_COL,
                role.job_description_url,
                Style.LINK,
                START_LAST_COL,
                fit=sum(START_WIDTHS[START_VALUE_COL:]),
                link=role.job_description_url,
            ),
        ]
    return tuple(blocks) if len(blocks) > 1 else ()


def _certification_line(certification: Certification) -> str:
    """One certification in words: its name, whether it is required, who issues it, the note."""
    parts = [f"{certification.name}: {certification.requirement.label.lower()}"]
    if certification.issuer:
        parts.append(f", issued by {certification.issuer}")
    text = "".join(parts) + "."
    return f"{text} {certification.note}" if certification.note else text


CHART_LABEL_CHARS = 24
"""About the characters of a chart's name on one line before it wraps."""


def _label_lines(names: Iterable[str]) -> int:
    """How many lines the longest name may take beside its bar."""
    longest = max((len(name) for name in names), default=0)
    return max(2, -(-longest // CHART_LABEL_CHARS))


def _table_widths(table: Table) -> tuple[Width, ...]:
    return tuple(
        Width(index, index, column.width, column.hidden)
        for index, column in enumerate(table.columns)
    )


def _row_colours(table: Table) -> tuple[Rule, ...]:
    """Rows due for renewal red, completed rows green, waived grey, overdue red."""
    first, last, width = table.first_row, table.last_row, len(table.columns) - 1
    status, overdue = table.letter("status"), table.letter("overdue")
    keys = {column.key for column in table.columns}
    renewal = (
        ((f'=${table.letter("renewal_due")}{first + 1}="{RENEWAL_DUE}"', Style.OVERDUE_ROW),)
        if "renewal_due" in keys
        else ()
    )
    return tuple(
        Rule(first, 0, last, width, {"type": "formula", "criteria": criteria}, "row colours", style)
        for criteria, style in (
            *renewal,
            (f'=${status}{first + 1}="{Status.COMPLETED.value}"', Style.DONE_ROW),
            (f'=${status}{first + 1}="{Status.WAIVED.value}"', Style.WAIVED_ROW),
            (f'=${overdue}{first + 1}="{OVERDUE}"', Style.OVERDUE_ROW),
        )
    )


def _checklist_sheet(layout: Layout) -> Sheet:
    table, own = layout.courses, layout.own_courses
    blocks: tuple[Block, ...] = (
        *_heading(f"Course checklist: {layout.role.title}", CHECKLIST_HELP),
        *layout.checklist_totals,
        table,
        *_row_colours(table),
        Text(own.header_row - 2, 0, OWN_HEADING, Style.SECTION),
        Text(own.header_row - 1, 0, OWN_HELP, Style.MUTED),
        own,
        *_row_colours(own),
    )
    return Sheet(
        CHECKLIST,
        blocks,
        _table_widths(table),
        freeze=(table.first_row, FROZEN_COLS),
        page=layout.page(CHECKLIST),
    )


FROZEN_COLS = 2
"""The checklist and coverage keep their ID and name columns in view."""
COVERAGE_BARS = MappingProxyType(
    {
        "type": "data_bar",
        "bar_color": "#63BE7B",
        "min_type": "num",
        "min_value": 0,
        "max_type": "num",
        "max_value": 1,
    }
)


def _coverage_sheet(layout: Layout) -> Sheet:
    table = layout.competencies
    first, last = table.first_row, table.last_row
    coverage, gap, at_target = table.col("coverage"), table.col("gap"), table.col("at_target")
    blocks: tuple[Block, ...] = (
        *_heading(f"Competency coverage: {layout.role.title}", COVERAGE_HELP),
        table,
        Rule(first, coverage, last, coverage, COVERAGE_BARS, "coverage bars"),
        Rule(first, gap, last, gap, grid.GAP_SCALE, "gap colours"),
        Rule(
            first, at_target, last, at_target, grid.text_is(NOT_RATED), "not rated", Style.NOT_RATED
        ),
    )
    return Sheet(
        COVERAGE,
        blocks,
        _table_widths(table),
        freeze=(table.first_row, FROZEN_COLS),
        page=layout.page(COVERAGE),
    )


def _certifications_sheet(layout: Layout) -> Sheet:
    table = layout.certifications
    assert table is not None
    first, last, width = table.first_row, table.last_row, len(table.columns) - 1
    expiry = table.letter("expiry")
    blocks: tuple[Block, ...] = (
        *_heading(f"Certifications: {layout.role.title}", CERTIFICATIONS_HELP),
        table,
        *(
            Rule(
                first,
                0,
                last,
                width,
                {"type": "formula", "criteria": f'=${expiry}{first + 1}="{flag}"'},
                "row colours",
                style,
            )
            for flag, style in ((EXPIRED, Style.OVERDUE_ROW), (EXPIRING, Style.EXPIRING_ROW))
        ),
    )
    return Sheet(
        CERTIFICATIONS,
        blocks,
        _table_widths(table),
        freeze=(table.first_row, FROZEN_COLS),
        page=layout.page(CERTIFICATIONS),
    )


def _discussion_sheet(layout: Layout) -> Sheet:
    table = layout.next_steps
    label_col, signature_col, date_label_col, date_col = SIGN_OFF_COLS
    sign_off = tuple(
        text
        for label, row in zip(SIGN_OFF, layout.sign_off_rows, strict=True)
        for text in (
            Text(row, label_col, label, Style.LABEL),
            Text(row, signature_col, "", Style.SIGNATURE),
            Text(row, date_label_col, SIGN_OFF_DATE, Style.LABEL),
            Text(row, date_col, "", Style.SIGNATURE),
        )
    )
    blocks: tuple[Block, ...] = (
        *_heading(f"Manager discussion: {layout.role.long_title}", DISCUSSION_HELP),
        *layout.discussion_summary,
        *layout.discussion_notes,
        Text(table.heading_row, 0, "Agreed next steps", Style.SECTION),
        table,
        *sign_off,
    )
    widths = tuple(Width(col, col, width) for col, width in enumerate(DISCUSSION_WIDTHS))
    return Sheet(DISCUSSION, blocks, widths, page=layout.page(DISCUSSION))


def _next_role_sheet(layout: Layout) -> Sheet:
    needs, competencies, courses = layout.still_need, layout.next_competencies, layout.next_courses
    assert needs is not None
    assert competencies is not None
    assert courses is not None
    blocks: tuple[Block, ...] = (
        *_heading("Next role", NEXT_ROLE_HELP),
        *layout.next_fields,
        Text(needs.heading_row, 0, "What you still need", Style.SECTION),
        needs,
        Text(competencies.heading_row, 0, "Competencies", Style.SECTION),
        competencies,
        Text(courses.heading_row, 0, "Required courses", Style.SECTION),
        courses,
    )
    headings = {
        "NextExtraCompetencies": "Rate the competencies only the next role asks",
        "NextExtraCourses": "Courses only the next role requires",
    }
    for table in layout.extra_tables:
        blocks += (Text(table.heading_row, 0, headings[table.name], Style.SECTION), table)
    first, *rest = grid.widths_of(needs, competencies, courses, *layout.extra_tables)
    label = max(len(field.label) for field in layout.next_fields) + 2
    widths = (Width(0, 0, max(first.width, label)), *rest)  # labels in full, never cut
    return Sheet(NEXT_ROLE, blocks, widths, page=layout.page(NEXT_ROLE))


def _archive_sheet(layout: Layout) -> Sheet:
    tables = layout.archive_tables
    blocks: list[Block] = list(_heading(f"Archived entries: {layout.role.title}", ARCHIVE_HELP))
    headings = {
        "ArchivedCourses": "Courses",
        "ArchivedCompetencies": "Competencies",
        "ArchivedCertifications": "Certifications",
    }
    for table in tables:
        blocks += [Text(table.heading_row, 0, headings[table.name], Style.SECTION), table]
    return Sheet(ARCHIVE, tuple(blocks), grid.widths_of(*tables), page=layout.page(ARCHIVE))


def _lists_sheet(layout: Layout) -> Sheet:
    names = {level.level: level.name for level in layout.role.scale}
    columns: tuple[tuple[str, str, tuple[object, ...]], ...] = (
        ("status", "Status", STATUSES),
        ("rating", "Rating", RATINGS),
        ("level_name", "Level", tuple(names.get(n, "") for n in RATINGS)),
    )
    if layout.targets:
        titles = (NO_TARGET, *(target.title for target in layout.targets))
        columns += (("next_role", "Next role", titles),)
    blocks: list[Block] = []
    for key, heading, items in columns:
        col = LIST_COLUMNS[key]
        blocks.append(Text(0, col, heading, Style.LABEL))
        blocks += [Text(row, col, item) for row, item in enumerate(items, start=1)]
    blocks += layout.choice
    return Sheet(LISTS, tuple(blocks), hidden=True, page=layout.page(LISTS))


def _metadata_sheet(layout: Layout) -> Sheet:
    role, target = layout.role, layout.target
    values: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "trackerkit_version": lambda written: written.version,
        "role_id": role.id,
        "role_version": role.version,
        "role_title": role.title,
        "role_hash": role_digest(role),
        "generated_on": lambda written: (
            written.generated_on.isoformat() if written.generated_on else ""
        ),
        "target_role_id": target.id if target else "",
        "target_role_hash": role_digest(target) if target else "",
        "next_role_ids": ID_SEPARATOR.join(item.id for item in layout.targets),
    }
    blocks = tuple(
        text
        for row, key in enumerate(METADATA_KEYS)
        for text in (Text(row, METADATA_KEY_COL, key), Text(row, METADATA_VALUE_COL, values[key]))
    )
    return Sheet(METADATA, blocks, hidden=True, page=layout.page(METADATA))


INSTRUCTIONS = (
    "This tracker helps you plan your courses and prepare the conversation with your manager "
    "about your next step: start with the first steps below. Figures on this page update as "
    "you fill in the other sheets."
)
FIRST_STEPS = (
    "Fill in About you, on this page.",
    "Choose your target role: the role you are working toward, under About you.",
    "Plan your courses on the Course Checklist: a status and a target date for each.",
    "Rate yourself on Competency Coverage; your manager adds their rating beside yours.",
    "Prepare the Manager Discussion: your goals, strengths and the support you need.",
)
"""Start Here's numbered first steps, in the order a person takes them."""
SAMPLE_POINTER = "Sample content to replace: see below"
"""Beside the role's level at the top of Start Here, when the tracker carries sample notes."""
SAMPLES_HEADING = "Sample content to replace"
SAMPLES_HELP = (
    "The learning team replaces this sample content in the role files, deletes each note, "
    "and makes the trackers again; until then, treat it as an example."
)
CHART_TITLE = "Courses completed per competency (share of the courses that build it)"
CHART_SERIES = "Share of its courses completed"
"""The Start Here chart counts courses, not skill: its words say so."""
CHECKLIST_HELP = (
    "Set each course's Status, Target date and, when done, Completed on. Completed rows turn "
    "green; rows past their target date, or due for renewal, turn red."
)
CURRENT_LEVEL_RULE = (
    "Your current level in a competency is your manager's rating, or your own until your "
    f"manager rates it. With neither it is {NOT_RATED}: it has no gap, does not count as at "
    "target and is never one of the largest gaps."
)
COVERAGE_HELP = (
    "Rate yourself from 1 to 5 (see the scale on Start Here); your manager adds theirs. "
    "The gap compares the target with your manager's rating, or yours until there is one; "
    f"a row with neither shows {NOT_RATED}."
)
CERTIFICATIONS_HELP = (
    "The certifications the role lists. Enter the day you obtained each one you hold and the "
    "day it expires, as the certificate says; rows turn red once it has expired and orange "
    f"within {EXPIRY_WINDOW_DAYS} days before."
)
DISCUSSION_HELP = (
    "Fill this in before the conversation; print it on one page width. Readiness is for "
    "the target role chosen on Start Here (see the Next Role sheet)."
)
NEXT_ROLE_HELP = (
    "What the next role you chose in Target role on Start Here asks, and how far along you "
    "are: levels come from Competency Coverage, statuses from the Course Checklist, and what "
    "only the next role has is filled in at the bottom of this sheet."
)
ARCHIVE_HELP = (
    "Entries of courses, competencies and certifications this version of the role no longer "
    "lists, "
    "kept from the tracker they were made in."
)


def input_value(record: object, column: grid.Column[Any]) -> Any:
    """The value an input cell stores for ``record`` (None when the row has none)."""
    if record is None or column.entry is None:
        return None
    return CODECS[column.kind.value].encode(getattr(record, column.entry))
