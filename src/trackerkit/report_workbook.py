"""The team report as a workbook, written as it goes, laid out by :mod:`trackerkit.report_layout`.

The workbook is written top to bottom, each row once (XlsxWriter's constant-memory
mode): a person's rows of the People, Overdue and Course Data sheets as soon as
their tracker is read, the other sheets and every total at the end, when the
whole team is known. Most of a large report is
therefore written while the rest of its trackers are still being read, and memory
holds no grid of cells. :func:`report_xlsx` writes a report already rolled up
the same way, so both give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import warnings
from contextlib import contextmanager, suppress
from typing import TYPE_CHECKING, Any, final

import xlsxwriter
from xlsxwriter.utility import xl_rowcol_to_cell

from trackerkit import report_layout as rl
from trackerkit.errors import TrackerkitError
from trackerkit.grid import DATE_FORMAT, GAP_SCALE
from trackerkit.sheet_writer import FIXED_CREATED, refusal_reason

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import BinaryIO

    from xlsxwriter.chart import Chart
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    from trackerkit.report import OverdueCourse, Person, TeamReport


class ReportError(TrackerkitError):
    """The report workbook could not be written; the message says which cell and why."""


MAX_TEXT = 32_767
"""Excel's longest cell text; a longer message or name is cut, not refused."""


def report_xlsx(team: TeamReport) -> bytes:
    """The report workbook; the same report always gives the same bytes."""
    stream = io.BytesIO()
    overdue: dict[int, list[OverdueCourse]] = {}
    for item in team.overdue:
        overdue.setdefault(item.person, []).append(item)
    with ReportWorkbook(stream) as book:
        for person in team.people:
            book.add(person, overdue.get(person.number, ()))
        book.finish(team)
    return stream.getvalue()


@final
class ReportWorkbook:
    """A report workbook being written: :meth:`add` each person in order, then :meth:`finish`.

    Use it as a context manager: one left unfinished, say because reading failed,
    still frees its temporary files.
    """

    def __init__(self, stream: BinaryIO) -> None:
        with _refusals():
            self.book = xlsxwriter.Workbook(
                stream,
                {
                    "constant_memory": True,
                    "strings_to_formulas": False,
                    "strings_to_urls": False,
                    "strings_to_numbers": False,
                },
            )
            self.formats = _formats(self.book)
            self.sheets = {name: self.book.add_worksheet(name) for name in rl.SHEETS}
            self.people, self.overdue, self.data = rl.streamed_tables()
            self.written = {rl.PEOPLE: 0, rl.OVERDUE: 0, rl.DATA: 0}
            self.finished = False
            self.plans = {t.sheet: self._plan(t) for t in (self.people, self.overdue, self.data)}
            for table in (self.people, self.overdue, self.data):
                self._heading(table.sheet)
                self._header(self.sheets[table.sheet], table)

    def __enter__(self) -> ReportWorkbook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if not self.finished:
            # Closing is XlsxWriter's one way to free the rows' temporary files; what it
            # writes is thrown away, and an error here must not hide the one being raised.
            with suppress(Exception):
                self.book.close()

    def add(self, person: Person, overdue: Iterable[OverdueCourse]) -> None:
        """Write the person's rows; people come in :attr:`Person.number` order."""
        if person.number != self.written[rl.PEOPLE] + 1:
            message = f"person {person.number} added as number {self.written[rl.PEOPLE] + 1}"
            raise ValueError(message)
        with _refusals():
            self._append(self.people, (person,))
            self._append(self.overdue, overdue)
            self._append(self.data, (rl.DataRow(person, course) for course in person.courses))

    def finish(self, team: TeamReport) -> None:
        """Write the rest, for the team whose people were added."""
        layout = rl.report_layout(team)
        for table in (layout.people, layout.overdue, layout.data):
            added = self.written[table.sheet]
            if len(table.rows) != added:
                message = f"{table.sheet}: the report has {len(table.rows)} rows, {added} added"
                raise ValueError(message)
        with _refusals():
            sheets = self.sheets
            self.book.set_properties({"title": "Team report", "created": FIXED_CREATED})
            for name in rl.HEADINGS:
                if name not in rl.STREAMED:
                    self._heading(name)
            self._summary(sheets[rl.SUMMARY], layout, team)
            self._heatmap_ids(sheets[rl.HEATMAP], layout, team)
            for table in layout.tables:
                sheet = sheets[table.sheet]
                if table.sheet not in rl.STREAMED:
                    self._header(sheet, table)
                    plan = self._plan(table)
                    for row, item in table.at_rows():
                        self._row(sheet, table, plan, row, item)
                self._totals(sheet, table, team)
            self._chart(sheets[rl.SUMMARY], layout)
            _page(sheets[rl.SUMMARY], landscape=False, width=rl.SUMMARY_PRINT_WIDTH)
            self._heatmap_colours(sheets[rl.HEATMAP], layout)
            for name, reference in layout.names.items():
                _check(self.book.define_name(name, f"={reference}"), f"defined name {name}")
            for name in rl.HIDDEN:
                sheets[name].hide()
            sheets[rl.SUMMARY].activate()
            self.finished = True
            self.book.close()

    def _append(self, table: rl.Table[Any], items: Iterable[object]) -> None:
        sheet, plan = self.sheets[table.sheet], self.plans[table.sheet]
        for item in items:
            self._row(sheet, table, plan, table.first_row + self.written[table.sheet], item)
            self.written[table.sheet] += 1

    def _heading(self, name: str) -> None:
        if name in rl.HEADINGS:
            title, help_text = rl.HEADINGS[name]
            self.sheets[name].set_row(0, 24)  # room for the 16-point title
            self.put(self.sheets[name], 0, 0, title, self.formats["title"])
            self.put(self.sheets[name], 1, 0, help_text, self.formats["muted"])

    # --- cells -------------------------------------------------------------------------------

    def put(self, sheet: Worksheet, row: int, col: int, value: Any, fmt: Format | None) -> None:
        """Write a value as what it is; text is always text, never a formula or link."""
        if value is None or value == "":
            code = sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            code = sheet.write_string(row, col, _fit(value), fmt)
        elif isinstance(value, dt.date):
            code = sheet.write_datetime(row, col, value, fmt)
        else:
            code = sheet.write_number(row, col, value, fmt)
        if code:
            _check(code, _where(sheet, row, col))

    def formula(
        self, sheet: Worksheet, row: int, col: int, text: str, *, value: Any, fmt: Format
    ) -> None:
        """A formula with its twin's value cached, so it is right before any recalculation."""
        code = sheet.write_formula(row, col, text, fmt, "" if value is None else value)
        if code:
            _check(code, _where(sheet, row, col))

    def style(self, style: rl.Style, *, computed: bool) -> Format:
        return self.formats[f"computed_{style.value}" if computed else style.value]

    def _plan(self, table: rl.Table[Any]) -> list[tuple[int, rl.Column[Any], Format, Format]]:
        """Each column's index, and its cells' format with a value and without one."""
        plan = []
        for index, column in enumerate(table.columns):
            fmt = self.style(column.style, computed=column.formula is not None)
            plan.append((index, column, fmt, self.formats[(column.missing or column.style).value]))
        return plan

    def _row(
        self,
        sheet: Worksheet,
        table: rl.Table[Any],
        plan: list[tuple[int, rl.Column[Any], Format, Format]],
        row: int,
        item: object,
    ) -> None:
        for index, column, fmt, missing in plan:
            value = column.value(item)
            if column.formula is not None:
                self.formula(sheet, row, index, column.formula(table, row), value=value, fmt=fmt)
            else:
                self.put(sheet, row, index, value, missing if value is None else fmt)

    # --- sections ----------------------------------------------------------------------------

    def _header(self, sheet: Worksheet, table: rl.Table[Any]) -> None:
        fit_row(sheet, table.header_row, [(c.header, c.width) for c in table.columns], pad=True)
        for index, column in enumerate(table.columns):
            _check(sheet.set_column(index, index, column.width), f"'{sheet.name}' widths")
            self.put(sheet, table.header_row, index, column.header, self.formats["header"])

    def _totals(self, sheet: Worksheet, table: rl.Table[Any], team: TeamReport) -> None:
        """The table's totals rows, its filter, frozen header and page setup."""
        for offset, totals in enumerate(table.totals):
            row = table.total_row(offset)
            label = self.formats["total_label"]
            self.put(sheet, row, table.col(totals.label_key), totals.label, label)
            for total in totals.cells:
                fmt = self.formats[f"total_{total.style.value}"]
                text, value = total.formula(table, row), total.value(team)
                self.formula(sheet, row, table.col(total.key), text, value=value, fmt=fmt)
        where = f"'{sheet.name}' filter"
        last_col = len(table.columns) - 1
        _check(sheet.autofilter(table.header_row, 0, table.last_row, last_col), where)
        sheet.freeze_panes(table.first_row, 0)
        pages = _page(sheet, landscape=True, width=sum(c.width for c in table.columns))
        sheet.repeat_rows(table.header_row)
        if pages > 1 and any(c.key == "name" for c in table.columns):
            sheet.repeat_columns(0, table.col("name"))  # whose row it is, on every page

    def _summary(self, sheet: Worksheet, layout: rl.ReportLayout, team: TeamReport) -> None:
        for col, width in enumerate(rl.SUMMARY_WIDTHS):
            _check(sheet.set_column(col, col, width), f"'{sheet.name}' widths")
        for field in layout.summary:
            self.put(sheet, field.row, 0, field.label, self.formats["label"])
            value = field.value(team)
            fmt = self.style(field.style, computed=field.formula is not None)
            if field.formula is None:
                self.put(sheet, field.row, rl.SUMMARY_COL, value, fmt)
            else:
                self.formula(sheet, field.row, rl.SUMMARY_COL, field.formula, value=value, fmt=fmt)

    def _chart(self, sheet: Worksheet, layout: rl.ReportLayout) -> None:
        """A bar per person, their required progress; for a large team, a bar per course."""
        people = layout.people
        if not people.rows:
            return
        if len(people.rows) <= rl.CHART_PEOPLE:
            table: rl.Table[Any] = people
            cols, series, title = ("name", "required_share"), "Required progress", "per person"
        else:
            table = layout.courses
            cols, series, title = ("title", "done_share"), "Done", "per course"
        chart = share_bars(
            self.book,
            (table.sheet, table.first_row, table.last_row),
            (table.col(cols[0]), table.col(cols[1])),
            series=series,
            title=f"Courses done, {title}",
        )
        if chart is None:
            raise ReportError(f"'{sheet.name}': the progress chart could not be made")
        _check(sheet.insert_chart(rl.CHART_ROW, 0, chart), f"'{sheet.name}' chart")

    def _heatmap_ids(self, sheet: Worksheet, layout: rl.ReportLayout, team: TeamReport) -> None:
        """Each competency's id above its name, so a column is known whatever it is called."""
        table = layout.heatmap
        for key, competency in zip(layout.gap_keys, team.heatmap.competencies, strict=True):
            self.put(sheet, rl.HEAT_IDS_ROW, table.col(key), competency.id, self.formats["muted"])

    def _heatmap_colours(self, sheet: Worksheet, layout: rl.ReportLayout) -> None:
        """The gaps coloured green (0) to red (3+)."""
        table, keys = layout.heatmap, layout.gap_keys
        if not keys:
            return
        first, last = table.col(keys[0]), table.col(keys[-1])
        _check(
            sheet.conditional_format(table.first_row, first, table.last_row, last, GAP_SCALE),
            f"'{sheet.name}' gap colours",
        )
        sheet.freeze_panes(table.first_row, first)


def _page(sheet: Worksheet, *, landscape: bool, width: float) -> int:
    """Print setup: Letter paper, the report and sheet named above, page numbers below,
    and as many pages across as keep the type readable; returns that number."""
    sheet.set_header("&LTeam report&R&A")
    sheet.set_footer("&CPage &P of &N")
    sheet.set_paper(1)  # US Letter, as the trackers
    if landscape:
        sheet.set_landscape()
    pages = max(1, math.ceil(width / (rl.PAGE_WIDTH if landscape else rl.PAGE_WIDTH * 0.75)))
    sheet.fit_to_pages(pages, 0)
    return pages


@contextmanager
def _refusals() -> Iterator[None]:
    """XlsxWriter's warnings (a refused value, a bad range) as one :class:`ReportError`."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        yield
    if caught:
        raise ReportError(f"the team report could not be written: {caught[0].message}")


def _where(sheet: Worksheet, row: int, col: int) -> str:
    return f"'{sheet.name}'!{xl_rowcol_to_cell(row, col)}"


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
        rl.Style.NOT_IN_ROLE.value: {"bg_color": "#D9D9D9"},
    }
    for style, number in numbers.items():
        specs[style.value] = dict(number)
        specs[f"computed_{style.value}"] = {**number, **computed}
        specs[f"total_{style.value}"] = {**number, **computed, **total}
    return {name: book.add_format({**base, **spec}) for name, spec in specs.items()}


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


def check_code(code: int | None, where: str, error: type[TrackerkitError]) -> None:
    """XlsxWriter signals refusals by return code; each becomes a sentence in ``error``."""
    if code not in (None, 0):
        reason = refusal_reason(code)
        raise error(f"{where}: {reason}")
