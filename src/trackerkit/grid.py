"""One small vocabulary for every workbook trackerkit writes: the tracker and the team report.

A layout is a tuple of :class:`Sheet` s, each a sequence of blocks in the order they are
written: :class:`Text` (titles, help lines, section headings, legends, sign-off lines, the
proficiency scale), :class:`Field` (a labelled cell: an input, a value or a formula),
:class:`Table` (a header row, one row per item, totals rows), :class:`Rule` (a conditional
format), :class:`Chart` (bars of a table's shares). A cell's look is a named :class:`Style`,
declared once in :data:`STYLES`; a computed cell's :class:`Formula` holds its Excel text and
its Python twin together, so a formula without a twin cannot be declared. Widths, merges,
row heights, validations, conditional formats, charts and print setup are declared here too,
so a writer only walks a layout (see :mod:`trackerkit.sheet_writer`).

Nothing here imports XlsxWriter: the reader walks the same declarations. Rows and columns
are 0-based, as XlsxWriter counts; :mod:`trackerkit.refs` makes the A1 text.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from trackerkit.refs import cell_ref, column_letters, quote_sheet

if TYPE_CHECKING:
    from collections.abc import Mapping


class Kind(str, Enum):
    """What a cell holds; an input kind is also its codec's key (see :mod:`trackerkit.codecs`):
    one declaration for writing the cell, validating it and reading it back."""

    STATIC = "static"
    FORMULA = "formula"
    TEXT = "text"
    STATUS = "status"
    DATE = "date"
    RATING = "rating"
    CHOICE = "choice"
    """Text chosen from a dropdown (the target role): read back as text."""
    HOURS = "hours"
    """A number of hours (an own course's): 0 or more, halves and tenths welcome."""

    @property
    def is_input(self) -> bool:
        return self not in (Kind.STATIC, Kind.FORMULA)


class Style(str, Enum):
    """How a cell looks; :data:`STYLES` gives each its properties, the writer one format each."""

    PLAIN = "plain"
    """No format at all (the hidden sheets)."""
    TITLE = "title"
    SECTION = "section"
    LABEL = "label"
    MUTED = "muted"
    WRAP = "wrap"
    CENTER = "center"
    """A short number among texts (a renewal period, a person's number, a gap), which must
    not read as one with the text beside it."""
    HEADER = "header"
    INPUT = "input"
    INPUT_DATE = "input_date"
    LINK = "link"
    SIGNATURE = "signature"
    COMPUTED = "computed"
    COMPUTED_LEFT = "computed_left"
    COMPUTED_CENTER = "computed_center"
    """Short figures side by side (a level, Yes or No), which must not read as one."""
    COMPUTED_PERCENT_CENTER = "computed_percent_center"
    COMPUTED_PERCENT = "computed_percent"
    COMPUTED_INTEGER = "computed_integer"
    COMPUTED_DECIMAL = "computed_decimal"
    COMPUTED_DATE = "computed_date"
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"
    PERCENT = "percent"
    DATE = "date"
    NOT_RATED = "not_rated"
    """A competency nobody rated: no gap, not at target."""
    NOT_IN_ROLE = "not_in_role"
    """A heatmap cell of a competency the person's role does not have."""
    TOTAL_LABEL = "total_label"
    TOTAL_TEXT = "total_text"
    TOTAL_INTEGER = "total_integer"
    TOTAL_DECIMAL = "total_decimal"
    TOTAL_PERCENT = "total_percent"
    TOTAL_DATE = "total_date"
    DONE_ROW = "done_row"
    WAIVED_ROW = "waived_row"
    OVERDUE_ROW = "overdue_row"
    EXPIRING_ROW = "expiring_row"
    """A certification that expires soon: a warning, not yet the red of an expired one."""
    NOTICE = "notice"
    """Sample content still to replace: seen at a glance, never taken for an input."""


DATE_FORMAT = "yyyy-mm-dd"
BASE_STYLE: Mapping[str, Any] = MappingProxyType(
    {"font_name": "Calibri", "font_size": 11, "valign": "top"}
)
"""What every format starts from."""
_INPUT = {"locked": False, "bg_color": "#FFF2CC", "border": 1, "border_color": "#BFBFBF"}
_COMPUTED = {"bg_color": "#F2F2F2", "font_color": "#404040"}
_TOTAL = {"bold": True, "top": 1}
_NUMBERS: dict[str, dict[str, Any]] = {
    "text": {},
    "integer": {"num_format": "0"},
    "decimal": {"num_format": "0.0"},
    "percent": {"num_format": "0%"},
    "date": {"num_format": DATE_FORMAT, "align": "left"},
}
STYLES: Mapping[Style, Mapping[str, Any]] = MappingProxyType(
    {
        Style.PLAIN: {},
        Style.TITLE: {"bold": True, "font_size": 16},
        Style.SECTION: {"bold": True, "font_size": 13, "bottom": 1},
        Style.LABEL: {"bold": True},
        Style.MUTED: {"font_color": "#595959", "italic": True},
        Style.WRAP: {"text_wrap": True},
        Style.HEADER: {
            "bold": True,
            "text_wrap": True,
            "bg_color": "#1F4E78",
            "font_color": "#FFFFFF",
        },
        Style.INPUT: {**_INPUT, "text_wrap": True},
        Style.INPUT_DATE: {**_INPUT, "num_format": DATE_FORMAT},
        Style.LINK: {"font_color": "#0563C1", "underline": 1, "text_wrap": True},
        Style.SIGNATURE: {"bottom": 1},
        Style.COMPUTED: _COMPUTED,
        Style.COMPUTED_LEFT: {**_COMPUTED, "align": "left"},
        Style.COMPUTED_CENTER: {**_COMPUTED, "align": "center"},
        Style.COMPUTED_PERCENT_CENTER: {**_NUMBERS["percent"], **_COMPUTED, "align": "center"},
        Style.CENTER: {"align": "center", "text_wrap": True},
        **{Style(f"computed_{n}"): {**v, **_COMPUTED} for n, v in _NUMBERS.items() if v},
        **{Style(name): number for name, number in _NUMBERS.items()},
        Style.NOT_RATED: {"font_color": "#7F7F7F", "italic": True},
        Style.NOT_IN_ROLE: {"bg_color": "#D9D9D9"},
        Style.TOTAL_LABEL: _TOTAL,
        **{Style(f"total_{n}"): {**v, **_COMPUTED, **_TOTAL} for n, v in _NUMBERS.items()},
        Style.DONE_ROW: {"bg_color": "#C6EFCE"},
        Style.WAIVED_ROW: {"bg_color": "#E7E6E6", "font_color": "#595959"},
        Style.OVERDUE_ROW: {"bg_color": "#FFC7CE"},
        Style.EXPIRING_ROW: {"bg_color": "#FCE4D6"},
        Style.NOTICE: {
            "bold": True,
            "text_wrap": True,
            "bg_color": "#FCE4D6",
            "font_color": "#843C0C",
        },
    }
)
"""Every style's format properties (on top of :data:`BASE_STYLE`), declared once."""

COMPUTED_STYLE = MappingProxyType(
    {
        Style.TEXT: Style.COMPUTED,
        Style.INTEGER: Style.COMPUTED_INTEGER,
        Style.DECIMAL: Style.COMPUTED_DECIMAL,
        Style.PERCENT: Style.COMPUTED_PERCENT,
        Style.DATE: Style.COMPUTED_DATE,
        Style.CENTER: Style.COMPUTED_CENTER,
    }
)
"""A number style's shaded twin, for a cell a formula fills."""
TOTAL_STYLE: Mapping[Style, Style] = MappingProxyType(
    {s: Style(f"total_{s.value}") for s in COMPUTED_STYLE if s is not Style.CENTER}
)
"""A number style's totals-row twin."""

GAP_SCALE: Mapping[str, Any] = MappingProxyType(
    {
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
)
"""A gap to target from green (none) through yellow (1) to red (3 or more): trackers and the
team report colour gaps alike."""


def text_is(text: str) -> Mapping[str, Any]:
    """A conditional format's options for cells that hold exactly ``text``."""
    return MappingProxyType({"type": "cell", "criteria": "==", "value": f'"{text}"'})


R = TypeVar("R")
RowText = Callable[[Any, int], str]
"""Builds a formula's text for one sheet row (0-based) of a table."""


@dataclass(frozen=True)
class Formula:
    """An Excel formula and the Python twin that computes its value, declared together.

    ``text`` is the formula of one cell, or, for a table's column or totals row, a builder
    called with the table and the sheet row. The twin takes what its owner's layout says
    (the tracker: figures, and the row id in a table; the report: the row's item, or the
    team for a total), and its value is cached in the file with the formula.
    """

    text: str | RowText
    twin: Callable[..., Any]

    def excel(self, table: Any = None, row: int = -1) -> str:
        """The formula's text, for ``row`` of ``table`` when it is a row formula."""
        return self.text if isinstance(self.text, str) else self.text(table, row)


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column of a table: header, width, style, and where its cells' values come from.

    A static column's ``value`` takes the row's item; an input column declares its codec
    (``kind``) and the attribute of the row's record it holds (``entry``, see
    :attr:`Table.record`); a computed column has a :class:`Formula`.
    """

    key: str
    header: str
    width: float
    kind: Kind = Kind.STATIC
    name: str | None = None
    """The workbook-level defined name of the column's data cells."""
    formula: Formula | None = None
    value: Callable[[R], Any] | None = None
    style: Style | None = None
    """Defaults by kind: inputs yellow, computed grey, static text wrapped."""
    missing: Style | None = None
    """The style of a cell whose value is None, where it differs from :attr:`style`."""
    hidden: bool = False
    entry: str | None = None
    """For an input: the attribute of the row's record (an entry) the column holds."""
    link: Callable[[R], str | None] | None = None
    """A URL the cell links to, when it has one."""

    def __post_init__(self) -> None:
        _check_declared(self.key, self.kind, self.formula, self.entry)
        if self.style is None:  # settled once: a writer asks it of every cell
            object.__setattr__(self, "style", _default_style(self.kind))

    @property
    def twin(self) -> Callable[..., Any] | None:
        return self.formula.twin if self.formula else None

    @property
    def cell_style(self) -> Style:
        return self.style or _default_style(self.kind)


def _check_declared(key: str, kind: Kind, formula: Formula | None, entry: str | None) -> None:
    """An input must say which entry it holds (the reader fills that entry from it), and a
    computed cell must have its formula: neither direction is left to guess by name."""
    if kind.is_input and entry is None:
        message = f"the input {key!r} declares no entry for the reader to fill"
        raise ValueError(message)
    if kind is Kind.FORMULA and formula is None:
        message = f"the computed cell {key!r} declares no formula"
        raise ValueError(message)


def _default_style(kind: Kind) -> Style:
    if kind is Kind.FORMULA:
        return Style.COMPUTED
    if kind is Kind.DATE:
        return Style.INPUT_DATE
    return Style.INPUT if kind.is_input else Style.WRAP


@dataclass(frozen=True)
class Total:
    """One cell of a totals row: its formula over the table, under the column ``key``."""

    key: str
    formula: Formula
    style: Style = Style.TOTAL_INTEGER


@dataclass(frozen=True)
class TotalRow:
    label: str
    label_key: str
    """The column the label stands in."""
    cells: tuple[Total, ...]


@dataclass(frozen=True)
class Table(Generic[R]):
    """A header row, one row per item (an id, or the report's data), then its totals rows."""

    sheet: str
    name: str
    header_row: int
    columns: tuple[Column[R], ...]
    rows: tuple[R, ...]
    totals: tuple[TotalRow, ...] = ()
    record: Callable[[Any, R], Any] | None = None
    """The record an input row holds (say, a course's entry), from the written data."""
    style: str | None = None
    """An Excel table style: the rows become an Excel table of that style; else a filter."""
    fit_rows: bool = True
    """Whether each row gets the height its wrapped text needs."""

    @property
    def ids(self) -> tuple[R, ...]:
        return self.rows

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
        return self.first_row + max(len(self.rows), 1) - 1

    def total_row(self, index: int) -> int:
        return self.last_row + 1 + index

    def col(self, key: str) -> int:
        for index, column in enumerate(self.columns):
            if column.key == key:
                return index
        raise KeyError(key)

    def row(self, item: R) -> int:
        return self.first_row + self.rows.index(item)

    def letter(self, key: str) -> str:
        """The column's letter, for row-relative rules such as conditional formats."""
        return column_letters(self.col(key) + 1)

    def cell(self, key: str, row: int, *, absolute_col: bool = True) -> str:
        return cell_ref(row, self.col(key), col_abs=absolute_col)

    def span(self, key: str) -> str:
        """The column's data cells, sheet-qualified and absolute."""
        column = "$" + column_letters(self.col(key) + 1)
        return (
            f"{quote_sheet(self.sheet)}!{column}${self.first_row + 1}:{column}${self.last_row + 1}"
        )

    def at_rows(self) -> list[tuple[int, R]]:
        """Each row's sheet row and item."""
        return [(self.first_row + offset, item) for offset, item in enumerate(self.rows)]


@dataclass(frozen=True)
class Field:
    """One labelled cell: the label to its left, the value (input, data or formula) at ``col``."""

    key: str
    label: str
    row: int
    col: int
    kind: Kind
    name: str | None
    formula: Formula | None = None
    style: Style | None = None
    entry: str | None = None
    """For an input: where the value lives in the written data, as a dotted path
    (``employee.name``)."""
    value: Callable[[Any], Any] | None = None
    """For a data cell: the value, from the written data."""
    merge_to: int | None = None
    """The last column the value's cell spans."""
    height: float | None = None

    def __post_init__(self) -> None:
        _check_declared(self.key, self.kind, self.formula, self.entry)

    @property
    def twin(self) -> Callable[..., Any] | None:
        return self.formula.twin if self.formula else None

    @property
    def cell_style(self) -> Style:
        return self.style or _default_style(self.kind)

    def ref(self, sheet: str) -> str:
        return f"{quote_sheet(sheet)}!{cell_ref(self.row, self.col, row_abs=True, col_abs=True)}"


@dataclass(frozen=True)
class Figure:
    """A derived figure declared once: its defined name, label, formula with twin, and style.

    Placed with :meth:`at`; another sheet shows it again with :meth:`pulled`.
    """

    key: str
    label: str
    name: str
    formula: Formula
    style: Style = Style.COMPUTED

    def at(self, row: int, col: int, *, style: Style | None = None) -> Field:
        return Field(
            self.key,
            self.label,
            row,
            col,
            Kind.FORMULA,
            self.name,
            self.formula,
            style or self.style,
        )

    def pulled(self, key: str, label: str, name: str, text: str | None = None) -> Figure:
        """The figure shown again under another name: by default blank while it is blank."""
        return Figure(
            key,
            label,
            name,
            Formula(text or f'=IF({self.name}="","",{self.name})', self.formula.twin),
            self.style,
        )


@dataclass(frozen=True)
class Text:
    """A static text block: a title, a help line, a heading, a legend, a line of a list.

    ``text`` is the text itself or a function of the written data (the role's title).
    """

    row: int
    col: int
    text: Any
    style: Style = Style.PLAIN
    merge_to: int | None = None
    """The last column the text spans."""
    fit: float | None = None
    """The width (in characters) the text wraps in: the row gets the height it needs."""
    link: str | None = None
    """A web address the text links to (a role's job description): http or https only."""

    def __post_init__(self) -> None:
        if self.link is not None and not self.link.startswith(("http://", "https://")):
            message = f"the link {self.link!r} is not a web address (http:// or https://)"
            raise ValueError(message)


@dataclass(frozen=True)
class Rule:
    """A conditional format over a block of cells; ``style`` is its format, when it has one."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int
    options: Mapping[str, Any]
    what: str
    """What the rule is, for an error message."""
    style: Style | None = None


@dataclass(frozen=True)
class Chart:
    """Bars of a table's shares (0-100%), each beside its name, anchored at ``row``, ``col``."""

    row: int
    col: int
    sheet: str
    rows: tuple[int, int]
    """The first and last row of the bars."""
    cols: tuple[int, int]
    """The names' column and the shares' column."""
    series: str
    title: str
    label_lines: int = 2
    """The lines the longest name may wrap to: each bar gets room for that many, so no
    application skips a name for want of room."""


@dataclass(frozen=True)
class Width:
    first: int
    last: int
    width: float
    hidden: bool = False


@dataclass(frozen=True)
class Page:
    """A sheet's print setup and protection."""

    header: str
    landscape: bool = False
    fit_width: int = 1
    """The sheet prints this many pages across."""
    repeat_rows: int | None = None
    repeat_columns: tuple[int, int] | None = None
    print_area: tuple[int, int, int, int] | None = None
    protect: bool = False
    title_height: float | None = None
    """The height of row 0, where a sheet's title stands."""


def header_text(text: str, room: int) -> str:
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


PAGE_FOOTER = "&CPage &P of &N"
LETTER = 1
"""XlsxWriter's paper code for US Letter: the career path is a US healthcare lab's."""
PROTECTION: Mapping[str, bool] = MappingProxyType(
    {
        "sort": True,
        "insert_rows": True,
        "autofilter": True,
        "format_columns": True,
        "format_rows": True,
        "select_locked_cells": True,
        "select_unlocked_cells": True,
    }
)
"""What a person may still do on a protected sheet."""

Block = Text | Field | Table[Any] | Rule | Chart


@dataclass(frozen=True)
class Sheet:
    """One sheet: its widths, blocks in the order they are written, and its page."""

    name: str
    blocks: tuple[Block, ...] = ()
    widths: tuple[Width, ...] = ()
    freeze: tuple[int, int] | None = None
    page: Page | None = None
    hidden: bool = False
    title_height: float | None = None
    """Row 0's height, set before anything is written (needed in a streamed sheet)."""


def widths_of(*tables: Table[Any]) -> tuple[Width, ...]:
    """Each column's width: the widest of the tables' columns at that index."""
    count = max((len(table.columns) for table in tables), default=0)
    return tuple(
        Width(
            index,
            index,
            max(t.columns[index].width for t in tables if index < len(t.columns)),
        )
        for index in range(count)
    )


def names_of(
    tables: tuple[Table[Any], ...], fields: tuple[tuple[str, Field], ...]
) -> dict[str, str]:
    """The defined names of tables' columns and of fields (on their sheets)."""
    names: dict[str, str] = {}
    for table in tables:
        names.update({c.name: table.span(c.key) for c in table.columns if c.name})
    names.update({f.name: f.ref(sheet) for sheet, f in fields if f.name})
    return names
