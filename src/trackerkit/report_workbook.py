"""The team report as a workbook, laid out by :mod:`trackerkit.report_layout`.

The workbook is written top to bottom, each row once (XlsxWriter's constant-memory
mode): each person's rows of the People, Overdue and Course Data sheets in the
people's order, then the other sheets and every total, when the whole team is
known; memory holds no grid of cells. :class:`ReportWorkbook` takes the people
one by one; :func:`report_xlsx` feeds it a report already rolled up.
"""

from __future__ import annotations

import io
from contextlib import suppress
from typing import TYPE_CHECKING, Any, final

from trackerkit import report_layout as rl
from trackerkit.errors import TrackerkitError
from trackerkit.grid import Style
from trackerkit.sheet_writer import FIXED_CREATED, SheetWriter

if TYPE_CHECKING:
    from collections.abc import Iterable
    from typing import BinaryIO

    from xlsxwriter.worksheet import Worksheet

    from trackerkit.grid import Column, Field, Table
    from trackerkit.report_data import OverdueCourse, Person, TeamReport


class ReportError(TrackerkitError):
    """The report workbook could not be written; the message says which cell and why."""


WHAT = "the team report"
Plan = list[tuple[int, "Column[Any]", Style, Style]]
"""Each column's index, and its cells' style with a value and without one."""
WRAPPED = frozenset({Style.WRAP})
"""The styles whose text wraps, so a row is as tall as its longest such text needs."""


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
        self.out = SheetWriter(stream, ReportError, constant_memory=True)
        with self.out.warnings_as(WHAT):
            self.book = self.out.book
            self.sheets = {name: self.book.add_worksheet(name) for name in rl.SHEETS}
            self.people, self.overdue, self.data, self.own = rl.streamed_tables()
            streamed = (self.people, self.overdue, self.data, self.own)
            self.written = {table.sheet: 0 for table in streamed}
            self.finished = False
            self.plans = {t.sheet: self._plan(t) for t in streamed}
            for table in streamed:
                self._heading(table.sheet)
                self._header(self.sheets[table.sheet], table)

    def __enter__(self) -> ReportWorkbook:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.discard()

    def discard(self) -> None:
        """Give up a workbook not finished, freeing its temporary files; once finished, a no-op."""
        if not self.finished:
            self.finished = True
            # Closing is XlsxWriter's one way to free the rows' temporary files; what it
            # writes is thrown away, and an error here must not hide the one being raised.
            with suppress(Exception):
                self.book.close()

    def add(self, person: Person, overdue: Iterable[OverdueCourse]) -> None:
        """Write the person's rows; people come in :attr:`Person.number` order."""
        if person.number != self.written[rl.PEOPLE] + 1:
            message = f"person {person.number} added as number {self.written[rl.PEOPLE] + 1}"
            raise ValueError(message)
        with self.out.warnings_as(WHAT):
            self._append(self.people, (person,))
            self._append(self.overdue, overdue)
            self._append(self.data, (rl.DataRow(person, course) for course in person.courses))
            self._append(self.own, rl.own_rows((person,)))

    def finish(self, team: TeamReport) -> None:
        """Write the rest, for the team whose people were added."""
        layout = rl.report_layout(team)
        for table in (layout.people, layout.overdue, layout.data, layout.own):
            added = self.written[table.sheet]
            if len(table.rows) != added:
                message = f"{table.sheet}: the report has {len(table.rows)} rows, {added} added"
                raise ValueError(message)
        with self.out.warnings_as(WHAT):
            sheets = self.sheets
            self.book.set_properties({"title": rl.REPORT_TITLE, "created": FIXED_CREATED})
            for name in rl.HEADINGS:
                if name not in rl.STREAMED:
                    self._heading(name)
            self._summary(sheets[rl.SUMMARY], layout, team)
            for text in layout.heat_ids:
                self.out.put(sheets[rl.HEATMAP], text.row, text.col, text.text, text.style)
            for table in layout.tables:
                sheet = sheets[table.sheet]
                if table.sheet not in rl.STREAMED:
                    self._header(sheet, table)
                    plan = self._plan(table)
                    for row, item in table.at_rows():
                        self._row(sheet, table, plan, row, item)
                self._totals(sheet, table, team)
            self._summary_chart(sheets, layout)
            self._heatmap_colours(sheets[rl.HEATMAP], layout)
            for name, reference in layout.names.items():
                self.out.check(self.book.define_name(name, f"={reference}"), f"defined name {name}")
            for name in rl.HIDDEN:
                sheets[name].hide()
            sheets[rl.SUMMARY].activate()
            self.finished = True
            self.book.close()

    def _append(self, table: Table[Any], items: Iterable[object]) -> None:
        sheet, plan = self.sheets[table.sheet], self.plans[table.sheet]
        for item in items:
            self._row(sheet, table, plan, table.first_row + self.written[table.sheet], item)
            self.written[table.sheet] += 1

    def _heading(self, name: str) -> None:
        texts = rl.heading(name)
        if texts:
            self.sheets[name].set_row(texts[0].row, rl.TITLE_HEIGHT)  # before the row streams out
        for text in texts:
            self.out.put(self.sheets[name], text.row, text.col, text.text, text.style)

    def _plan(self, table: Table[Any]) -> Plan:
        """Each column's index, and its cells' style with a value and without one."""
        return [
            (index, column, column.cell_style, column.missing or column.cell_style)
            for index, column in enumerate(table.columns)
        ]

    def _row(self, sheet: Worksheet, table: Table[Any], plan: Plan, row: int, item: object) -> None:
        values = [column.value(item) if column.value else None for _, column, _, _ in plan]
        if table.fit_rows:  # before the row's cells: a streamed row is written out with them
            wrapped = [
                (value, column.width)
                for value, (_, column, style, _) in zip(values, plan, strict=True)
                if style in WRAPPED
            ]
            self.out.fit_row(sheet, row, wrapped)
        for value, (index, column, style, missing) in zip(values, plan, strict=True):
            if column.formula is not None:
                text = column.formula.excel(table, row)
                self.out.formula(sheet, row, index, text, value=value, style=style)
            else:
                self.out.put(sheet, row, index, value, missing if value is None else style)

    # --- sections ----------------------------------------------------------------------------

    def _header(self, sheet: Worksheet, table: Table[Any]) -> None:
        out = self.out
        out.fit_row(sheet, table.header_row, [(c.header, c.width) for c in table.columns], pad=True)
        out.widths(sheet, rl.table_widths(table))
        for index, column in enumerate(table.columns):
            out.put(sheet, table.header_row, index, column.header, Style.HEADER)

    def _totals(self, sheet: Worksheet, table: Table[Any], team: TeamReport) -> None:
        """The table's totals rows, its filter, frozen header and page setup."""
        out = self.out
        for offset, totals in enumerate(table.totals):
            row = table.total_row(offset)
            out.put(sheet, row, table.col(totals.label_key), totals.label, Style.TOTAL_LABEL)
            for total in totals.cells:
                text, value = total.formula.excel(table, row), total.formula.twin(team)
                out.formula(sheet, row, table.col(total.key), text, value=value, style=total.style)
        last_col = len(table.columns) - 1
        out.check(
            sheet.autofilter(table.header_row, 0, table.last_row, last_col),
            f"'{sheet.name}' filter",
        )
        sheet.freeze_panes(table.first_row, 0)
        out.page(sheet, rl.table_page(table))

    def _summary(self, sheet: Worksheet, layout: rl.ReportLayout, team: TeamReport) -> None:
        self.out.widths(sheet, rl.SUMMARY_COLUMN_WIDTHS)
        for field in layout.summary:
            self._field(sheet, field, team)

    def _field(self, sheet: Worksheet, field: Field, team: TeamReport) -> None:
        self.out.put(sheet, field.row, field.col - 1, field.label, Style.LABEL)
        if field.formula is None:
            value = field.value(team) if field.value else None
            self.out.put(sheet, field.row, field.col, value, field.cell_style)
        else:
            text, value = field.formula.excel(), field.formula.twin(team)
            self.out.formula(sheet, field.row, field.col, text, value=value, style=field.cell_style)

    def _summary_chart(self, sheets: dict[str, Worksheet], layout: rl.ReportLayout) -> None:
        chart = layout.chart
        if chart is not None:
            self.out.chart(sheets[rl.SUMMARY], chart)
        self.out.page(sheets[rl.SUMMARY], rl.SUMMARY_PAGE)

    def _heatmap_colours(self, sheet: Worksheet, layout: rl.ReportLayout) -> None:
        freeze = layout.heat_freeze
        for rule in (layout.gap_colours, layout.not_rated_look):
            if rule is not None:
                self.out.rule(sheet, rule)
        if freeze is not None:
            sheet.freeze_panes(*freeze)
