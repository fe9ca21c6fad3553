"""Write a tracker workbook with XlsxWriter, walking the layout.

Every cell comes from :mod:`trackerkit.layout`; every formula is written
with the value its Python twin computes, so the figures are right before
anything recalculates. Text from YAML or people is always written as text,
and every XlsxWriter return code or warning becomes a :class:`TrackerError`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import warnings
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from trackerkit import layout as lay
from trackerkit.codecs import CODECS, RATINGS, STATUSES
from trackerkit.entries import Employee, Entries, Status
from trackerkit.errors import TrackerkitError
from trackerkit.figures import OVERDUE, compute
from trackerkit.model import Requirement

if TYPE_CHECKING:
    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    from trackerkit.figures import Figures
    from trackerkit.model import Role

FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
"""Document timestamps are fixed so the same input gives the same bytes."""

DATE_FORMAT = "yyyy-mm-dd"


class TrackerError(TrackerkitError):
    """A tracker could not be written; the message says which cell and why."""


@dataclass(frozen=True)
class TrackerOptions:
    """How a tracker is written.

    ``as_of`` is the day that cached "overdue" figures assume (TODAY() in
    the formulas); it defaults to ``generated_on``, then to today. A blank
    tracker has no target dates, so its bytes never depend on the day.
    """

    protect: bool = True
    generated_on: dt.date | None = None
    as_of: dt.date | None = None


def entry_problems(role: Role, entries: Entries) -> list[str]:
    """Everything in ``entries`` that does not fit ``role``'s tracker, one sentence each.

    Entries often come from other systems (an LMS export) through untyped code,
    so the values are checked here rather than trusted to their annotations.
    """
    problems = []
    courses = {item.id for item in role.courses}
    competencies = {item.id for item in role.competencies}
    problems += [
        f"course {course_id!r} is not one of the role's courses"
        for course_id in entries.courses
        if course_id not in courses
    ]
    problems += [
        f"competency {competency_id!r} is not one of the role's competencies"
        for competency_id in entries.competencies
        if competency_id not in competencies
    ]
    for course_id, entry in entries.courses.items():
        if not _is_status(entry.status):
            problems.append(f"course {course_id!r}: status {entry.status!r} is not a Status")
        for label, day in (
            ("target date", entry.target_date),
            ("completed on", entry.completed_on),
        ):
            if not _is_date_or_none(day):
                problems.append(f"course {course_id!r}: {label} {day!r} is not a date")
    for competency_id, rating in entries.competencies.items():
        for label, level in (
            ("self rating", rating.self_rating),
            ("manager rating", rating.manager_rating),
        ):
            if level is not None and not _is_level(level):
                problems.append(
                    f"competency {competency_id!r}: {label} {level!r} is not a whole number "
                    "from 1 to 5"
                )
    if not _is_date_or_none(entries.employee.start_date):
        problems.append(f"employee start date {entries.employee.start_date!r} is not a date")
    for number, step in enumerate(entries.discussion.next_steps, start=1):
        if step.status is not None and not _is_status(step.status):
            problems.append(f"next step {number}: status {step.status!r} is not a Status")
        if not _is_date_or_none(step.due):
            problems.append(f"next step {number}: due date {step.due!r} is not a date")
    return problems


def _is_status(value: object) -> bool:
    return isinstance(value, Status)


def _is_date_or_none(value: object) -> bool:
    return value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime))


def _is_level(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 5


@lru_cache(maxsize=256)
def role_digest(role: Role) -> str:
    """A hash of the role's resolved content, to tell whether a tracker is current.

    Cached: reading a folder of trackers asks it of the same few roles thousands of times.
    """
    canonical = json.dumps(asdict(role), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def tracker_bytes(
    role: Role,
    entries: Entries | None = None,
    options: TrackerOptions | None = None,
    *,
    target: Role | None = None,
) -> bytes:
    """The bytes of the tracker workbook for ``role``, prefilled with ``entries``.

    With a ``target`` role, the tracker gets a Next Role sheet: what that role adds, and
    how ready the person is for it.
    """
    options = options or TrackerOptions()
    entries = entries or Entries()
    problems = entry_problems(role, entries)
    if problems:
        raise TrackerError(f"the entries for {role.id} cannot be written: " + "; ".join(problems))
    archive = entries.archive
    layout = lay.layout_for(
        role,
        next_steps=max(lay.NEXT_STEP_ROWS, len(entries.discussion.next_steps)),
        archived=(tuple(archive.courses), tuple(archive.competencies)),
        target=target,
    )
    as_of = (
        options.as_of
        or options.generated_on
        or dt.datetime.now(dt.timezone.utc).astimezone().date()
    )
    rows = {item: layout.competencies.row(item) + 1 for item in layout.competencies.ids}
    figures = compute(role, entries, as_of, rows, target)
    stream = io.BytesIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _Writer(stream, layout, entries, figures, options).write()
    if caught:
        raise TrackerError(f"the tracker for {role.id} could not be written: {caught[0].message}")
    return stream.getvalue()


class _Writer:
    def __init__(
        self,
        stream: io.BytesIO,
        layout: lay.Layout,
        entries: Entries,
        figures: Figures,
        options: TrackerOptions,
    ) -> None:
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
        self.role = layout.role
        self.entries = entries
        self.figures = figures
        self.options = options
        self.formats = _formats(self.book)

    def write(self) -> None:
        self.book.set_properties(
            {"title": f"{self.role.title} career path tracker", "created": FIXED_CREATED}
        )
        sheets = {name: self.book.add_worksheet(name) for name in self.layout.sheets}
        self._start_here(sheets[lay.START])
        self._checklist(sheets[lay.CHECKLIST])
        self._coverage(sheets[lay.COVERAGE])
        self._discussion(sheets[lay.DISCUSSION])
        if lay.ARCHIVE in sheets:
            self._archive(sheets[lay.ARCHIVE])
        if lay.NEXT_ROLE in sheets:
            self._next_role(sheets[lay.NEXT_ROLE])
        self._lists(sheets[lay.LISTS])
        self._metadata(sheets[lay.METADATA])
        for name, reference in self.layout.names.items():
            _check(self.book.define_name(name, f"={reference}"), f"defined name {name}")
        for name, sheet in sheets.items():
            self._page(sheet, name)
        sheets[lay.START].activate()
        self.book.close()

    # --- cells -----------------------------------------------------------------------

    def put(self, sheet: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
        """Write a value as what it is; text is always text, never a formula or link."""
        if value is None or value == "":
            code = sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            if len(value) > 16_383 and len(value.encode("utf-16-le")) // 2 > 32_767:
                raise TrackerError(
                    f"{_where(sheet, row, col)}: the text is longer than a cell can hold "
                    "(32,767 characters); shorten it"
                )
            code = sheet.write_string(row, col, value, fmt)
        elif isinstance(value, dt.date):
            code = sheet.write_datetime(row, col, value, fmt)
        else:
            code = sheet.write_number(row, col, value, fmt)
        if code:  # the message is only built for a refusal: a tracker writes ~700 cells
            _check(code, _where(sheet, row, col))

    def formula(
        self, sheet: Worksheet, row: int, col: int, text: str, *, value: Any, fmt: Format
    ) -> None:
        cached = "" if value is None else value
        if isinstance(cached, str):
            cached = _escape_xstring(cached)
        code = sheet.write_formula(row, col, text, fmt, cached)
        if code:
            _check(code, _where(sheet, row, col))

    def validate(self, sheet: Worksheet, rows: tuple[int, int], col: int, kind: lay.Kind) -> None:
        options = CODECS[kind.value].validation(self.role) if kind.is_input else None
        if options is not None:
            where = f"'{sheet.name}' column {xl_col_to_name(col)}"
            _check(sheet.data_validation(rows[0], col, rows[1], col, options), where)

    # --- sheets ----------------------------------------------------------------------

    def _start_here(self, sheet: Worksheet) -> None:
        f = self.formats
        role = self.role
        sheet.set_column(0, 0, 28)
        sheet.set_column(1, 1, 34)
        sheet.set_column(2, 2, 3)
        sheet.set_column(3, 3, 34)
        sheet.set_column(4, 4, 14)
        self.put(sheet, lay.ROLE_TITLE.row, lay.ROLE_TITLE.col, role.title, f["title"])
        self.put(sheet, 1, 0, f"Level {role.level} · version {role.version}", f["muted"])
        paragraphs = (
            role.summary,
            "Work settings: " + "; ".join(role.work_settings),
            INSTRUCTIONS,
        )
        for row, text in enumerate(paragraphs, start=2):
            sheet.merge_range(row, 0, row, 4, "", f["wrap"])
            self.put(sheet, row, 0, text, f["wrap"])
            fit_row(sheet, row, [(text, 112)])
        self.put(sheet, 5, 0, "Yellow cells are yours to fill in", f["input"])
        self.put(sheet, 5, 1, "Grey figures update by themselves", f["computed"])
        self.put(sheet, 6, lay.START_VALUE_COL - 1, "About you", f["section"])
        self.put(sheet, 6, lay.DASHBOARD_COL, "Your progress", f["section"])
        employee = self.entries.employee
        for item in self.layout.employee:
            self.put(sheet, item.row, item.col - 1, item.label, f["label"])
            self.put(sheet, item.row, item.col, getattr(employee, item.key), f[_input(item.kind)])
            self.validate(sheet, (item.row, item.row), item.col, item.kind)
        for item in self.layout.dashboard:
            assert item.formula is not None
            assert item.twin is not None
            self.put(sheet, item.row, item.col - 1, item.label, f["label"])
            fmt = f["percent"] if item.key.endswith("share") else f["computed"]
            self.formula(
                sheet, item.row, item.col, item.formula, value=item.twin(self.figures), fmt=fmt
            )
        top = self.layout.dashboard[-1].row + 2
        self.put(sheet, top, 0, "Proficiency scale", f["section"])
        for offset, level in enumerate(self.role.scale, start=1):
            self.put(sheet, top + offset, 0, f"{level.level} · {level.name}", f["label"])
            sheet.merge_range(top + offset, 1, top + offset, 4, "", f["wrap"])
            self.put(sheet, top + offset, 1, level.description, f["wrap"])
            fit_row(sheet, top + offset, [(level.description, 84)])
        self._chart(sheet, top + len(self.role.scale) + 2)

    def _chart(self, sheet: Worksheet, row: int) -> None:
        table = self.layout.competencies
        chart = share_bars(
            self.book,
            (lay.COVERAGE, table.first_row, table.last_row),
            (table.col("name"), table.col("coverage")),
            series="Coverage by completed courses",
            title="Progress per competency",
        )
        if chart is None:
            raise TrackerError(f"'{sheet.name}': the progress chart could not be made")
        _check(sheet.insert_chart(row, 0, chart), f"'{sheet.name}' chart")

    def _table(
        self, sheet: Worksheet, table: lay.Table, values: dict[tuple[str, str], Any]
    ) -> None:
        """Write a table: static cells from ``values``, inputs, formulas with cached values."""
        f = self.formats
        if table.sheet in (lay.CHECKLIST, lay.COVERAGE):
            for index, column in enumerate(table.columns):
                sheet.set_column(index, index, column.width, None, {"hidden": column.hidden})
        options = {
            "name": table.name,
            "style": "Table Style Light 9",
            "columns": [
                {"header": column.header, "header_format": f["header"]} for column in table.columns
            ],
        }
        last_col = len(table.columns) - 1
        _check(
            sheet.add_table(table.header_row, 0, table.last_row, last_col, options),
            f"'{sheet.name}' table {table.name}",
        )
        if table.sheet in (lay.CHECKLIST, lay.COVERAGE):  # the others are read top to bottom
            sheet.freeze_panes(table.first_row, 2)
        fit_row(sheet, table.header_row, [(c.header, c.width) for c in table.columns], pad=True)
        for column_index, column in enumerate(table.columns):
            if column.kind.is_input:
                self.validate(sheet, (table.first_row, table.last_row), column_index, column.kind)
        for row_offset, item in enumerate(table.ids):
            row = table.first_row + row_offset
            for column_index, column in enumerate(table.columns):
                if column.kind is lay.Kind.FORMULA:
                    assert column.formula is not None
                    assert column.twin is not None
                    fmt = f["percent"] if column.key == "coverage" else f["computed"]
                    self.formula(
                        sheet,
                        row,
                        column_index,
                        column.formula(table, row),
                        value=column.twin(self.figures, item),
                        fmt=fmt,
                    )
                else:
                    value = values.get((item, column.key))
                    fmt = f[_input(column.kind)] if column.kind.is_input else f["wrap"]
                    self.put(sheet, row, column_index, value, fmt)
            fit_row(
                sheet,
                row,
                [
                    (values.get((item, column.key)), column.width)
                    for column in table.columns
                    if not column.hidden
                ],
            )

    def _checklist(self, sheet: Worksheet) -> None:
        f = self.formats
        table = self.layout.courses
        self.put(sheet, 0, 0, f"Course checklist: {self.role.title}", f["title"])
        self.put(sheet, 1, 0, CHECKLIST_HELP, f["muted"])
        for field in self.layout.checklist_totals:
            assert field.formula is not None
            assert field.twin is not None
            self.put(sheet, field.row, field.col - 1, field.label, f["label"])
            self.formula(
                sheet,
                field.row,
                field.col,
                field.formula,
                value=field.twin(self.figures),
                fmt=f["computed_left"],
            )
        names = {item.id: item.competency.name for item in self.role.competencies}
        values: dict[tuple[str, str], Any] = {}
        for item in self.role.courses:
            entry = self.entries.course(item.id)
            course = item.course
            values.update(
                {
                    (item.id, "id"): item.id,
                    (item.id, "title"): course.title,
                    (item.id, "provider"): course.provider,
                    (item.id, "format"): course.format.label,
                    (item.id, "hours"): course.hours,
                    (item.id, "requirement"): item.requirement.label,
                    (item.id, "builds"): ", ".join(
                        names[c] for c in course.competencies if c in names
                    ),
                    (item.id, "status"): "" if entry.status is None else entry.status.value,
                    (item.id, "target_date"): entry.target_date,
                    (item.id, "completed_on"): entry.completed_on,
                    (item.id, "notes"): entry.notes,
                    (item.id, "builds_ids"): lay.builds_key(course.competencies),
                }
            )
        self._table(sheet, table, values)
        for item in self.role.courses:
            if item.course.url:
                row, col = table.row(item.id), table.col("title")
                _check(
                    sheet.write_url(row, col, item.course.url, f["link"], item.course.title),
                    f"'{sheet.name}'!{xl_rowcol_to_cell(row, col)}",
                )
        first, last, width = table.first_row, table.last_row, len(table.columns) - 1
        status, overdue = table.letter("status"), table.letter("overdue")
        for criteria, fmt in (
            (f'=${status}{first + 1}="{Status.COMPLETED.value}"', f["done_row"]),
            (f'=${status}{first + 1}="{Status.WAIVED.value}"', f["waived_row"]),
            (f'=${overdue}{first + 1}="{OVERDUE}"', f["overdue_row"]),
        ):
            _check(
                sheet.conditional_format(
                    first, 0, last, width, {"type": "formula", "criteria": criteria, "format": fmt}
                ),
                f"'{sheet.name}' row colours",
            )

    def _coverage(self, sheet: Worksheet) -> None:
        f = self.formats
        table = self.layout.competencies
        self.put(sheet, 0, 0, f"Competency coverage: {self.role.title}", f["title"])
        self.put(sheet, 1, 0, COVERAGE_HELP, f["muted"])
        titles = {c.id: c.course.title for c in self.role.courses}
        values: dict[tuple[str, str], Any] = {}
        for item in self.role.competencies:
            entry = self.entries.competency(item.id)
            building = [c.id for c in self.role.courses if item.id in c.course.competencies]
            values.update(
                {
                    (item.id, "id"): item.id,
                    (item.id, "name"): item.competency.name,
                    (item.id, "category"): item.competency.category_name,
                    (item.id, "definition"): item.competency.definition,
                    (item.id, "target"): item.target,
                    (item.id, "self_rating"): entry.self_rating,
                    (item.id, "manager_rating"): entry.manager_rating,
                    (item.id, "courses"): "; ".join(titles[c] for c in building),
                    (item.id, "evidence"): entry.evidence,
                }
            )
        self._table(sheet, table, values)
        first, last = table.first_row, table.last_row
        coverage, gap = table.col("coverage"), table.col("gap")
        _check(
            sheet.conditional_format(
                first,
                coverage,
                last,
                coverage,
                {
                    "type": "data_bar",
                    "bar_color": "#63BE7B",
                    "min_type": "num",
                    "min_value": 0,
                    "max_type": "num",
                    "max_value": 1,
                },
            ),
            f"'{sheet.name}' coverage bars",
        )
        _check(
            sheet.conditional_format(
                first,
                gap,
                last,
                gap,
                GAP_SCALE,
            ),
            f"'{sheet.name}' gap colours",
        )

    def _discussion(self, sheet: Worksheet) -> None:
        f = self.formats
        for index, width in enumerate(lay.DISCUSSION_WIDTHS):
            sheet.set_column(index, index, width)
        self.put(sheet, 0, 0, f"Manager discussion: {self.role.title}", f["title"])
        self.put(sheet, 1, 0, DISCUSSION_HELP, f["muted"])
        for item in self.layout.discussion_summary:
            assert item.formula is not None
            assert item.twin is not None
            self.put(sheet, item.row, 0, item.label, f["label"])
            fmt = f["percent"] if item.key == "progress" else f["computed"]
            self.formula(
                sheet, item.row, item.col, item.formula, value=item.twin(self.figures), fmt=fmt
            )
        discussion = self.entries.discussion
        for item in self.layout.discussion_notes:
            self.put(sheet, item.row, 0, item.label, f["label"])
            sheet.merge_range(item.row, item.col, item.row, 3, "", f["input"])
            self.put(sheet, item.row, item.col, getattr(discussion, item.key), f["input"])
            sheet.set_row(item.row, 48)
        table = self.layout.next_steps
        self.put(sheet, table.heading_row, 0, "Agreed next steps", f["section"])
        steps = {
            (row_id, column.key): CODECS[column.kind.value].encode(getattr(step, column.key))
            for row_id, step in zip(table.ids, discussion.next_steps, strict=False)
            for column in table.columns
        }
        self._table(sheet, table, steps)
        label_col, signature_col, date_label_col, date_col = lay.SIGN_OFF_COLS
        for label, row in zip(lay.SIGN_OFF, self.layout.sign_off_rows, strict=True):
            self.put(sheet, row, label_col, label, f["label"])
            self.put(sheet, row, signature_col, "", f["signature"])
            self.put(sheet, row, date_label_col, lay.SIGN_OFF_DATE, f["label"])
            self.put(sheet, row, date_col, "", f["signature"])

    def _next_role(self, sheet: Worksheet) -> None:
        f = self.formats
        target = self.layout.target
        competencies, courses = self.layout.next_competencies, self.layout.next_courses
        assert target is not None
        assert competencies is not None
        assert courses is not None
        for index in range(max(len(competencies.columns), len(courses.columns))):
            widths = [
                t.columns[index].width for t in (competencies, courses) if index < len(t.columns)
            ]
            sheet.set_column(index, index, max(widths))
        self.put(sheet, 0, 0, f"Next role: {target.title}", f["title"])
        self.put(sheet, 1, 0, NEXT_ROLE_HELP, f["muted"])
        for figure in self.layout.next_fields:
            assert figure.formula is not None
            assert figure.twin is not None
            self.put(sheet, figure.row, figure.col - 1, figure.label, f["label"])
            fmt = f["percent"] if figure.key.endswith("share") else f["computed_left"]
            value = figure.twin(self.figures)
            self.formula(sheet, figure.row, figure.col, figure.formula, value=value, fmt=fmt)
        now_targets = {item.id: item.target for item in self.role.competencies}
        values: dict[tuple[str, str], Any] = {}
        for item in target.competencies:
            before = now_targets.get(item.id)
            change = (
                "New" if before is None else (f"Up from {before}" if item.target > before else "")
            )
            values.update(
                {
                    (item.id, "id"): item.id,
                    (item.id, "name"): item.competency.name,
                    (item.id, "change"): change,
                    (item.id, "target"): item.target,
                }
            )
        self.put(sheet, competencies.heading_row, 0, "Competencies", f["section"])
        self._table(sheet, competencies, values)
        now_required = {c.id: c.requirement for c in self.role.courses}
        values = {}
        for course_item in target.courses:
            if course_item.id not in courses.ids:
                continue
            before_requirement = now_required.get(course_item.id)
            change = (
                "New"
                if before_requirement is None
                else ("Now required" if before_requirement is not Requirement.REQUIRED else "")
            )
            values.update(
                {
                    (course_item.id, "id"): course_item.id,
                    (course_item.id, "title"): course_item.course.title,
                    (course_item.id, "change"): change,
                }
            )
        self.put(sheet, courses.heading_row, 0, "Required courses", f["section"])
        self._table(sheet, courses, values)

    def _archive(self, sheet: Worksheet) -> None:
        f = self.formats
        archive = self.entries.archive
        tables = self.layout.archive_tables
        for index in range(max(len(table.columns) for table in tables)):
            width = max(t.columns[index].width for t in tables if index < len(t.columns))
            sheet.set_column(index, index, width)
        self.put(sheet, 0, 0, f"Archived entries: {self.role.title}", f["title"])
        self.put(sheet, 1, 0, ARCHIVE_HELP, f["muted"])
        for table, entries in (
            (self.layout.archived_courses, archive.courses),
            (self.layout.archived_competencies, archive.competencies),
        ):
            if table is None:
                continue
            heading = "Courses" if table is self.layout.archived_courses else "Competencies"
            self.put(sheet, table.heading_row, 0, heading, f["section"])
            values = {
                (item_id, column.key): (
                    item_id
                    if column.key == "id"
                    else CODECS[column.kind.value].encode(getattr(entries[item_id], column.key))
                )
                for item_id in table.ids
                for column in table.columns
            }
            self._table(sheet, table, values)

    def _lists(self, sheet: Worksheet) -> None:
        names = {level.level: level.name for level in self.role.scale}
        columns = (
            ("status", "Status", STATUSES),
            ("rating", "Rating", RATINGS),
            ("level_name", "Level", tuple(names.get(n, "") for n in RATINGS)),
        )
        for key, heading, items in columns:
            col = lay.LIST_COLUMNS[key]
            self.put(sheet, 0, col, heading, self.formats["label"])
            for row, item in enumerate(items, start=1):
                self.put(sheet, row, col, item, None)
        sheet.hide()

    def _metadata(self, sheet: Worksheet) -> None:
        from trackerkit import __version__

        generated = self.options.generated_on
        values = {
            "format_version": lay.FORMAT_VERSION,
            "trackerkit_version": __version__,
            "role_id": self.role.id,
            "role_version": self.role.version,
            "role_title": self.role.title,
            "role_hash": role_digest(self.role),
            "generated_on": generated.isoformat() if generated else "",
            "target_role_id": self.layout.target.id if self.layout.target else "",
            "target_role_hash": role_digest(self.layout.target) if self.layout.target else "",
        }
        for index, key in enumerate(lay.METADATA_KEYS):
            self.put(sheet, index, lay.METADATA_KEY_COL, key, None)
            self.put(sheet, index, lay.METADATA_VALUE_COL, values[key], None)
        sheet.hide()

    def _page(self, sheet: Worksheet, name: str) -> None:
        sheet.set_row(0, 24)  # room for the 16-point title above its subtitle
        sheet.set_header(f"&L{_header_text(self.role.title, HEADER_ROOM)}&R&A")
        sheet.set_footer("&CPage &P of &N")
        sheet.fit_to_pages(1, 0)
        sheet.set_paper(1)  # US Letter: the career path is a US healthcare lab's
        if name in (lay.CHECKLIST, lay.COVERAGE):
            sheet.set_landscape()
            table = self.layout.courses if name == lay.CHECKLIST else self.layout.competencies
            sheet.repeat_rows(table.header_row)
            sheet.print_area(0, 0, table.last_row, len(table.columns) - 1)
        if self.options.protect and name not in (lay.LISTS, lay.METADATA):
            sheet.protect(
                "",
                {
                    "sort": True,
                    "insert_rows": True,
                    "autofilter": True,
                    "format_columns": True,
                    "format_rows": True,
                    "select_locked_cells": True,
                    "select_unlocked_cells": True,
                },
            )


def _where(sheet: Worksheet, row: int, col: int) -> str:
    return f"'{sheet.name}'!{xl_rowcol_to_cell(row, col)}"


def fit_row(
    sheet: Worksheet, row: int, cells: list[tuple[Any, float]], *, pad: bool = False
) -> None:
    """Give a row the height its wrapped text needs: LibreOffice keeps the default height.

    ``pad`` allows for bold text (headers), which runs wider than the estimate.
    """
    lines = 1
    for value, width in cells:
        if isinstance(value, str) and value:
            per_line = max(int(width * (0.9 if pad else 1.1)), 1)
            needed = sum(-(-max(len(part), 1) // per_line) for part in value.split("\n"))
            lines = max(lines, needed)
    if lines > 1:
        sheet.set_row(row, min(15 * lines, MAX_ROW_HEIGHT))


MAX_ROW_HEIGHT = 409
"""Excel's tallest row, in points; longer text scrolls inside the cell."""

HEADER_ROOM = 255 - len("&L&R&A")
"""Excel's page header holds 255 characters, codes included."""


def _header_text(text: str, room: int) -> str:
    """Text for a page header: '&' doubled (it starts a code there), cut to fit the room."""
    escaped = text.replace("&", "&&")
    if len(escaped) <= room:
        return escaped
    kept = ""
    for character in text:
        piece = "&&" if character == "&" else character
        if len(kept) + len(piece) > room - 1:
            break
        kept += piece
    return kept + "…"


_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def _escape_xstring(text: str) -> str:
    """Text as OOXML stores it: control characters as _xHHHH_, literal _xHHHH_ kept literal.

    XlsxWriter does this for cell text but not for a formula's cached text
    result, where a control character (say, in a pulled-in name) would make
    the sheet's XML invalid.
    """
    text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    return _CONTROL.sub(lambda match: f"_x{ord(match[0]):04X}_", text)


def _input(kind: lay.Kind) -> str:
    return "input_date" if kind is lay.Kind.DATE else "input"


def share_bars(
    book: xlsxwriter.Workbook,
    rows: tuple[str, int, int],
    cols: tuple[int, int],
    *,
    series: str,
    title: str,
) -> Chart | None:
    """A bar per row of a sheet's table: its share (0-100%) beside its name.

    ``rows`` is the sheet and its first and last row, ``cols`` the names' and the shares'
    columns; None when XlsxWriter cannot make the chart.
    """
    chart = book.add_chart({"type": "bar"})
    if chart is None:
        return None
    sheet, first, last = rows
    name, share = cols
    chart.add_series(
        {
            "name": series,
            "categories": [sheet, first, name, last, name],
            "values": [sheet, first, share, last, share],
            "data_labels": {"value": True, "num_format": "0%"},
        }
    )
    chart.set_title({"name": title})
    chart.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 720, "height": 24 * max(last - first + 1, 4) + 80})
    return chart


_REFUSALS = {
    -1: "the cell is outside the sheet",
    -2: "the text is longer than a cell can hold (32,767 characters); shorten it",
    -3: "the link is longer than Excel allows (2,079 characters); shorten the course url",
    -4: "the sheet has more links than Excel allows",
}


def _check(code: int | None, where: str) -> None:
    check_code(code, where, TrackerError)


def check_code(code: int | None, where: str, error: type[TrackerkitError]) -> None:
    """XlsxWriter signals refusals by return code; each becomes a sentence in ``error``."""
    if code not in (None, 0):
        reason = _REFUSALS.get(code, f"XlsxWriter refused it (code {code})")
        raise error(f"{where}: {reason}")


GAP_SCALE = {
    "type": "3_color_scale",
    "min_color": "#C6EFCE",
    "mid_color": "#FFEB9C",
    "max_color": "#FFC7CE",
    "min_type": "num",
    "min_value": 0,
    "mid_type": "num",
    "mid_value": 1,
    "max_type": "num",
    "max_value": 3,
}
"""A gap to target from green (none) through yellow (1) to red (3 or more): trackers and the
team report colour gaps alike."""


def _formats(book: xlsxwriter.Workbook) -> dict[str, Format]:
    base = {"font_name": "Calibri", "font_size": 11, "valign": "top"}
    specs: dict[str, dict[str, Any]] = {
        "title": {"bold": True, "font_size": 16},
        "section": {"bold": True, "font_size": 13, "bottom": 1},
        "label": {"bold": True},
        "muted": {"font_color": "#595959", "italic": True},
        "wrap": {"text_wrap": True},
        "header": {"bold": True, "text_wrap": True, "bg_color": "#1F4E78", "font_color": "#FFFFFF"},
        "input": {
            "locked": False,
            "bg_color": "#FFF2CC",
            "border": 1,
            "border_color": "#BFBFBF",
            "text_wrap": True,
        },
        "input_date": {
            "locked": False,
            "bg_color": "#FFF2CC",
            "border": 1,
            "border_color": "#BFBFBF",
            "num_format": DATE_FORMAT,
        },
        "computed": {"bg_color": "#F2F2F2", "font_color": "#404040"},
        "computed_left": {"bg_color": "#F2F2F2", "font_color": "#404040", "align": "left"},
        "centered": {"align": "center"},
        "waived_row": {"bg_color": "#E7E6E6", "font_color": "#595959"},
        "percent": {"bg_color": "#F2F2F2", "font_color": "#404040", "num_format": "0%"},
        "link": {"font_color": "#0563C1", "underline": 1, "text_wrap": True},
        "done_row": {"bg_color": "#C6EFCE"},
        "overdue_row": {"bg_color": "#FFC7CE"},
        "signature": {"bottom": 1},
    }
    return {name: book.add_format({**base, **spec}) for name, spec in specs.items()}


INSTRUCTIONS = (
    "Plan your courses on the Course Checklist, rate yourself on the Competency Coverage "
    "sheet, then use the Manager Discussion sheet to prepare the conversation about your "
    "next step. Figures on this page update as you fill in the other sheets."
)
CHECKLIST_HELP = (
    "Set each course's Status, Target date and, when done, Completed on. Completed rows turn "
    "green; rows past their target date turn red."
)
COVERAGE_HELP = (
    "Rate yourself from 1 to 5 (see the scale on Start Here); your manager adds theirs. "
    "The gap compares the target with your manager's rating, or yours until there is one."
)
DISCUSSION_HELP = "Fill this in before the conversation; print it on one page width."
NEXT_ROLE_HELP = (
    "What the next role asks beyond this one, and how far along you are: levels come from "
    "Competency Coverage, statuses from the Course Checklist."
)
ARCHIVE_HELP = (
    "Entries of courses and competencies this version of the role no longer lists, "
    "kept from the tracker they were made in."
)


def tracker_entries(employee: Entries | Employee | None) -> Entries:
    """Accept a bare :class:`Employee` where full :class:`Entries` are expected."""
    if isinstance(employee, Employee):
        return Entries(employee=employee)
    return employee or Entries()
