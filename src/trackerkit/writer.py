"""Write a tracker workbook with XlsxWriter, walking the layout.

Every cell comes from :mod:`trackerkit.layout` (sheet by sheet, block by block); every
formula is written with the value its Python twin computes, so the figures are right
before anything recalculates. Cells go through :class:`~trackerkit.sheet_writer.SheetWriter`,
whose text policy and named refusals every workbook shares; each refusal or warning
becomes a :class:`TrackerError` naming the cell.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from trackerkit import layout as lay
from trackerkit.codecs import CODECS
from trackerkit.entries import Employee, Entries, entry_problems
from trackerkit.errors import TrackerkitError
from trackerkit.figures import compute
from trackerkit.grid import Chart, Field, Rule, Style, Table, Text
from trackerkit.sheet_writer import FIXED_CREATED, SheetWriter
from trackerkit.version import package_version

if TYPE_CHECKING:
    from xlsxwriter.worksheet import Worksheet

    from trackerkit.grid import Sheet
    from trackerkit.model import Role


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


def tracker_bytes(
    role: Role,
    entries: Entries | None = None,
    options: TrackerOptions | None = None,
    *,
    target: Role | None = None,
    next_roles: tuple[Role, ...] = (),
) -> bytes:
    """The bytes of the tracker workbook for ``role``, prefilled with ``entries``.

    With ``next_roles`` (``catalog.next_roles(role)``) or a ``target`` role, Target role on
    Start Here is a dropdown of them and the tracker gets a Next Role sheet: what the chosen
    one asks, and how ready the person is for it. A ``target`` (a roster's) is recorded in
    the metadata and chosen in Target role when the entries leave it blank.
    """
    options = options or TrackerOptions()
    entries = entries or Entries()
    if target is not None and not entries.employee.target_role:
        # A target with Target role left blank: chosen in the dropdown from the start.
        employee = replace(entries.employee, target_role=target.title)
        entries = replace(entries, employee=employee)
    problems = entry_problems(role, entries, lay.next_roles_of(next_roles, target))
    if problems:
        raise TrackerError(f"the entries for {role.id} cannot be written: " + "; ".join(problems))
    layout = lay.layout_for(
        role,
        next_steps=max(lay.NEXT_STEP_ROWS, len(entries.discussion.next_steps)),
        own_courses=len(entries.own_courses),
        archived=entries.archive.ids,
        target=target,
        next_roles=next_roles,
    )
    as_of = (
        options.as_of
        or options.generated_on
        or dt.datetime.now(dt.timezone.utc).astimezone().date()
    )
    rows = {item: layout.competencies.row(item) + 1 for item in layout.competencies.ids}
    figures = compute(role, entries, as_of, rows, layout.targets)
    written = lay.Written(
        entries, figures, options.generated_on, package_version(), options.protect
    )
    stream = io.BytesIO()
    out = SheetWriter(stream, TrackerError)
    with out.warnings_as(f"the tracker for {role.id}"):
        _Writer(out, layout, written).write()
    return stream.getvalue()


class _Writer:
    """Walks the layout's sheets, each block by the small function for its kind."""

    def __init__(self, out: SheetWriter, layout: lay.Layout, written: lay.Written) -> None:
        self.out = out
        self.layout = layout
        self.written = written
        self.blocks = {
            Text: self._text,
            Field: self._field,
            Table: self._table,
            Rule: self._rule,
            Chart: self._chart,
        }

    def write(self) -> None:
        book = self.out.book
        role = self.layout.role
        book.set_properties(
            {"title": f"{role.long_title} career path tracker", "created": FIXED_CREATED}
        )
        sheets = {name: book.add_worksheet(name) for name in self.layout.sheets}
        for sheet in self.layout.book:
            self._sheet(sheets[sheet.name], sheet)
        for name, reference in self.layout.names.items():
            self.out.check(book.define_name(name, f"={reference}"), f"defined name {name}")
        for sheet in self.layout.book:
            if sheet.page is not None:
                self.out.page(sheets[sheet.name], sheet.page, protect=self.written.protect)
        sheets[lay.START].activate()
        book.close()

    def _sheet(self, worksheet: Worksheet, sheet: Sheet) -> None:
        self.out.widths(worksheet, sheet.widths)
        for block in sheet.blocks:
            self.blocks[type(block)](worksheet, block)  # type: ignore[operator]
        if sheet.freeze is not None:
            worksheet.freeze_panes(*sheet.freeze)
        if sheet.hidden:
            worksheet.hide()

    def _text(self, sheet: Worksheet, text: Text) -> None:
        value = text.text(self.written) if callable(text.text) else text.text
        if text.merge_to is not None:
            self.out.merge(sheet, text.row, text.col, text.merge_to, text.style)
        if text.link is not None:
            self.out.link(sheet, text.row, text.col, text.link, value)
        else:
            self.out.put(sheet, text.row, text.col, value, text.style)
        if text.fit is not None:
            self.out.fit_row(sheet, text.row, [(value, text.fit)])

    def _field(self, sheet: Worksheet, field: Field) -> None:
        self.out.put(sheet, field.row, field.col - 1, field.label, Style.LABEL)
        if field.formula is not None:
            value = field.formula.twin(self.written.figures)
            text = field.formula.excel()
            self.out.formula(sheet, field.row, field.col, text, value=value, style=field.cell_style)
            return
        if field.merge_to is not None:
            self.out.merge(sheet, field.row, field.col, field.merge_to, field.cell_style)
        self.out.put(sheet, field.row, field.col, self._entry(field), field.cell_style)
        self._validate(sheet, (field.row, field.row), field.col, field.kind)
        if field.height is not None:
            sheet.set_row(field.row, field.height)

    def _entry(self, field: Field) -> Any:
        """An input field's value: its dotted path into the entries, encoded by its codec."""
        value: Any = self.written.entries
        for part in (field.entry or "").split("."):
            value = getattr(value, part)
        return CODECS[field.kind.value].encode(value)

    def _validate(self, sheet: Worksheet, rows: tuple[int, int], col: int, kind: lay.Kind) -> None:
        if kind.is_input:
            self.out.validate(sheet, rows, col, CODECS[kind.value].validation(self.layout.role))

    def _table(self, sheet: Worksheet, table: Table[str]) -> None:
        """A table: its header, validations, then each row's data, inputs and formulas."""
        out = self.out
        options = {
            "name": table.name,
            "style": table.style,
            "columns": [
                {"header": column.header, "header_format": out.format(Style.HEADER)}
                for column in table.columns
            ],
        }
        last_col = len(table.columns) - 1
        out.check(
            sheet.add_table(table.header_row, 0, table.last_row, last_col, options),
            f"'{sheet.name}' table {table.name}",
        )
        out.fit_row(sheet, table.header_row, [(c.header, c.width) for c in table.columns], pad=True)
        for index, column in enumerate(table.columns):
            self._validate(sheet, (table.first_row, table.last_row), index, column.kind)
        for row, item in table.at_rows():
            self._row(sheet, table, row, item)
        self._links(sheet, table)

    def _row(self, sheet: Worksheet, table: Table[str], row: int, item: str) -> None:
        record = table.record(self.written.entries, item) if table.record else None
        figures, out = self.written.figures, self.out
        fitted = []
        for index, column in enumerate(table.columns):
            style = column.style or column.cell_style  # settled when the column was made
            if column.formula is not None:
                text = column.formula.excel(table, row)
                out.formula(
                    sheet, row, index, text, value=column.formula.twin(figures, item), style=style
                )
                continue
            value = column.value(item) if column.value else lay.input_value(record, column)
            out.put(sheet, row, index, value, style)
            if not column.hidden:
                fitted.append((value, column.width))
        out.fit_row(sheet, row, fitted)

    def _links(self, sheet: Worksheet, table: Table[str]) -> None:
        for index, column in enumerate(table.columns):
            if column.link is None or column.value is None:
                continue
            for row, item in table.at_rows():
                url = column.link(item)
                if url:
                    self.out.link(sheet, row, index, url, column.value(item))

    def _rule(self, sheet: Worksheet, rule: Rule) -> None:
        self.out.rule(sheet, rule)

    def _chart(self, sheet: Worksheet, chart: Chart) -> None:
        self.out.chart(sheet, chart)


def tracker_entries(employee: Entries | Employee | None) -> Entries:
    """Accept a bare :class:`Employee` where full :class:`Entries` are expected."""
    if isinstance(employee, Employee):
        return Entries(employee=employee)
    return employee or Entries()
