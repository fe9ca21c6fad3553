"""The one cell writer over XlsxWriter, for every workbook: one text policy, refusals named.

Both the tracker writer and the report writer write through :class:`SheetWriter`, so
a value is written the same way everywhere:

- text is always text: a string that looks like a formula, a number or a URL is never
  turned into one (the workbook's ``strings_to_*`` options are off, and strings go to
  ``write_string``);
- text longer than a cell holds (32,767 UTF-16 units, as Excel counts) is refused with
  the sheet and cell, never cut: nothing is lost without a word;
- a formula's cached text result has its control characters escaped as ``_xHHHH_``,
  as XlsxWriter does for cell text but not for cached results;
- XlsxWriter's refusals (return codes) are :class:`Refusal` s, and its warnings, each
  turned into the caller's error naming ``'Sheet'!Cell`` and what to do.

Formats come from the layout's named styles (:data:`trackerkit.grid.STYLES`), one per style.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from contextlib import contextmanager
from enum import IntEnum
from typing import TYPE_CHECKING, Any

import xlsxwriter

from trackerkit.grid import BASE_STYLE, LETTER, PAGE_FOOTER, PROTECTION, STYLES, Style
from trackerkit.refs import cell_ref, column_letters, too_long

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping
    from typing import BinaryIO

    from xlsxwriter.chart import Chart as XlsxChart
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

    from trackerkit.errors import TrackerkitError
    from trackerkit.grid import Chart, Page, Rule, Width

FIXED_CREATED = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
"""Document timestamps are fixed so the same input gives the same bytes."""
MAX_ROW_HEIGHT = 409
"""Excel's tallest row, in points; longer text scrolls inside the cell."""
LINE_HEIGHT = 15
"""Points a line of 11-point text takes."""
BAR_HEIGHT = 36
"""Pixels a bar chart gives each bar, so its name beside it fits on two lines."""
BAR_LINE = 14
"""Pixels more for each further line a name wraps to."""
BAR_FONT = 9
"""The points of a bar chart's names."""
TITLE_FONT = 12
"""The points of a chart's title: a title that says what it measures fits on one line."""


class Refusal(IntEnum):
    """XlsxWriter's return codes for what it will not write, by name."""

    OUT_OF_RANGE = -1
    TEXT_TOO_LONG = -2
    URL_TOO_LONG = -3
    TOO_MANY_URLS = -4

    @property
    def reason(self) -> str:
        return _REASONS[self]


_REASONS = {
    Refusal.OUT_OF_RANGE: "the cell is outside the sheet",
    Refusal.TEXT_TOO_LONG: (
        "the text is longer than a cell can hold (32,767 characters); shorten it"
    ),
    Refusal.URL_TOO_LONG: (
        "the link is longer than Excel allows (2,079 characters); shorten the course url"
    ),
    Refusal.TOO_MANY_URLS: "the sheet has more links than Excel allows",
}


def refusal_reason(code: int) -> str:
    """What a return code means, in words; an unknown code is named as XlsxWriter's."""
    try:
        return Refusal(code).reason
    except ValueError:
        return f"XlsxWriter refused it (code {code})"


_ESCAPE_LIKE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f]")


def escape_cached(text: str) -> str:
    """Text as OOXML stores it: control characters as _xHHHH_, literal _xHHHH_ kept literal.

    XlsxWriter does this for cell text but not for a formula's cached text result, where
    a control character (say, in a pulled-in name) would make the sheet's XML invalid.
    """
    text = _ESCAPE_LIKE.sub(r"_x005F\1", text)
    return _CONTROL.sub(lambda match: f"_x{ord(match[0]):04X}_", text)


def wrapped_lines(text: str, width: float, *, pad: bool = False) -> int:
    """The lines ``text`` takes wrapped in a column ``width`` characters wide.

    ``pad`` allows for bold text (headers), which runs wider than the estimate.
    """
    per_line = max(int(width * (0.9 if pad else 1.1)), 1)
    return sum(-(-max(len(part), 1) // per_line) for part in text.split("\n"))


class SheetWriter:
    """A workbook being written: cells, formulas and the rest, each refusal an ``error``."""

    def __init__(
        self, stream: BinaryIO, error: type[TrackerkitError], *, constant_memory: bool = False
    ) -> None:
        self.error = error
        memory = {"constant_memory": True} if constant_memory else {"in_memory": True}
        self.book = xlsxwriter.Workbook(
            stream,
            {
                **memory,
                "strings_to_formulas": False,
                "strings_to_urls": False,
                "strings_to_numbers": False,
            },
        )
        self._formats: dict[Style, Format | None] = {}

    # --- the text policy -----------------------------------------------------------------

    def put(self, sheet: Worksheet, row: int, col: int, value: Any, style: Style) -> None:
        """Write a value as what it is; text is always text, never a formula or link."""
        fmt = self.format(style)
        if value is None or value == "":
            code = sheet.write_blank(row, col, None, fmt)
        elif isinstance(value, str):
            if too_long(value):
                self.refuse(sheet, row, col, Refusal.TEXT_TOO_LONG)
            code = sheet.write_string(row, col, value, fmt)
        elif isinstance(value, dt.date):
            code = sheet.write_datetime(row, col, value, fmt)
        else:
            code = sheet.write_number(row, col, value, fmt)
        if code:  # the address is only built for a refusal: a tracker writes ~700 cells
            self.refuse(sheet, row, col, code)

    def formula(
        self, sheet: Worksheet, row: int, col: int, text: str, *, value: Any, style: Style
    ) -> None:
        """A formula with its twin's value cached, so it is right before any recalculation."""
        cached = "" if value is None else value
        if isinstance(cached, str):
            cached = escape_cached(cached)
        code = sheet.write_formula(row, col, text, self.format(style), cached)
        if code:
            self.refuse(sheet, row, col, code)

    def link(self, sheet: Worksheet, row: int, col: int, url: str, text: str) -> None:
        """A link shown as ``text``; the URL is the layout's, the text is written as text."""
        self.check(
            sheet.write_url(row, col, url, self.format(Style.LINK), text),
            f"'{sheet.name}'!{cell_ref(row, col)}",
        )

    def refuse(self, sheet: Worksheet, row: int, col: int, code: int) -> None:
        raise self.error(f"'{sheet.name}'!{cell_ref(row, col)}: {refusal_reason(code)}")

    def check(self, code: int | None, where: str) -> None:
        """XlsxWriter signals refusals by return code; each becomes a sentence in the error."""
        if code not in (None, 0):
            raise self.error(f"{where}: {refusal_reason(code)}")

    @contextmanager
    def warnings_as(self, what: str) -> Iterator[None]:
        """XlsxWriter's warnings (a refused value, a bad range) as one error about ``what``."""
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield
        if caught:
            raise self.error(f"{what} could not be written: {caught[0].message}")

    # --- formats and the rest ------------------------------------------------------------

    def format(self, style: Style) -> Format | None:
        """The format of a named style, made once; none for :attr:`Style.PLAIN`."""
        if style not in self._formats:
            made = None
            if style is not Style.PLAIN:
                made = self.book.add_format({**BASE_STYLE, **STYLES[style]})
            self._formats[style] = made
        return self._formats[style]

    def widths(self, sheet: Worksheet, widths: tuple[Width, ...]) -> None:
        for width in widths:
            options = {"hidden": True} if width.hidden else None
            self.check(
                sheet.set_column(width.first, width.last, width.width, None, options),
                f"'{sheet.name}' widths",
            )

    def merge(self, sheet: Worksheet, row: int, first: int, last: int, style: Style) -> None:
        self.check(
            sheet.merge_range(row, first, row, last, "", self.format(style)),
            f"'{sheet.name}'!{cell_ref(row, first)}",
        )

    def fit_row(
        self, sheet: Worksheet, row: int, cells: list[tuple[Any, float]], *, pad: bool = False
    ) -> None:
        """Give a row the height its wrapped text needs: LibreOffice keeps the default height."""
        lines = 1
        for value, width in cells:
            if isinstance(value, str) and value:
                lines = max(lines, wrapped_lines(value, width, pad=pad))
        if lines > 1:
            sheet.set_row(row, min(LINE_HEIGHT * lines, MAX_ROW_HEIGHT))

    def validate(
        self, sheet: Worksheet, rows: tuple[int, int], col: int, options: Mapping[str, Any] | None
    ) -> None:
        if options is not None:
            where = f"'{sheet.name}' column {column_letters(col + 1)}"
            self.check(sheet.data_validation(rows[0], col, rows[1], col, dict(options)), where)

    def rule(self, sheet: Worksheet, rule: Rule) -> None:
        options = dict(rule.options)
        if rule.style is not None:
            options["format"] = self.format(rule.style)
        self.check(
            sheet.conditional_format(
                rule.first_row, rule.first_col, rule.last_row, rule.last_col, options
            ),
            f"'{sheet.name}' {rule.what}",
        )

    def chart(self, sheet: Worksheet, chart: Chart) -> None:
        made = self._share_bars(chart)
        if made is None:
            raise self.error(f"'{sheet.name}': the progress chart could not be made")
        self.check(sheet.insert_chart(chart.row, chart.col, made), f"'{sheet.name}' chart")

    def _share_bars(self, chart: Chart) -> XlsxChart | None:
        """A bar per row of a sheet's table: its share (0-100%) beside its name."""
        made = self.book.add_chart({"type": "bar"})
        if made is None:
            return None
        first, last = chart.rows
        name, share = chart.cols
        made.add_series(
            {
                "name": chart.series,
                "categories": [chart.sheet, first, name, last, name],
                "values": [chart.sheet, first, share, last, share],
                "data_labels": {"value": True, "num_format": "0%"},
            }
        )
        made.set_title({"name": chart.title, "name_font": {"size": TITLE_FONT}})
        made.set_x_axis({"min": 0, "max": 1, "num_format": "0%"})
        # Every bar's name, however many: an interval of 1 (else LibreOffice skips names it
        # thinks crowded), a small font, and room for each bar.
        made.set_y_axis({"reverse": True, "interval_unit": 1, "num_font": {"size": BAR_FONT}})
        made.set_legend({"none": True})
        bar = BAR_HEIGHT + BAR_LINE * max(chart.label_lines - 2, 0)
        made.set_size({"width": 720, "height": bar * max(last - first + 1, 4) + 80})
        return made

    def page(self, sheet: Worksheet, page: Page, *, protect: bool = True) -> None:
        """Print setup: Letter paper, the header and footer, pages across, protection."""
        if page.title_height is not None:
            sheet.set_row(0, page.title_height)
        sheet.set_header(page.header)
        sheet.set_footer(PAGE_FOOTER)
        sheet.fit_to_pages(page.fit_width, 0)
        sheet.set_paper(LETTER)
        if page.landscape:
            sheet.set_landscape()
        if page.repeat_rows is not None:
            sheet.repeat_rows(page.repeat_rows)
        if page.repeat_columns is not None:
            sheet.repeat_columns(*page.repeat_columns)
        if page.print_area is not None:
            sheet.print_area(*page.print_area)
        if page.protect and protect:
            sheet.protect("", dict(PROTECTION))
