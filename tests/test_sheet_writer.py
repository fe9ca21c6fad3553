"""The one text policy every workbook shares, tested once, through the one cell writer."""

from __future__ import annotations

import contextlib
import io
import re
import zipfile
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trackerkit.errors import TrackerkitError
from trackerkit.grid import Style
from trackerkit.refs import MAX_TEXT, too_long
from trackerkit.sheet_writer import Refusal, SheetWriter, escape_cached, refusal_reason

if TYPE_CHECKING:
    from collections.abc import Callable

    from xlsxwriter.worksheet import Worksheet


class RefusedError(TrackerkitError):
    """The error a test's workbook raises."""


def written(
    fill: Callable[[SheetWriter, Worksheet], None], *, constant_memory: bool = False
) -> str:
    """The sheet XML (with its shared strings) of a one-sheet workbook ``fill`` wrote."""
    stream = io.BytesIO()
    out = SheetWriter(stream, RefusedError, constant_memory=constant_memory)
    try:
        with out.warnings_as("the test workbook"):
            sheet = out.book.add_worksheet("My Sheet")
            fill(out, sheet)
    except RefusedError:
        with contextlib.suppress(Exception):  # frees a refused workbook's temporary files
            out.book.close()
        raise
    out.book.close()
    with zipfile.ZipFile(stream) as book:
        parts = [book.read("xl/worksheets/sheet1.xml").decode()]
        if "xl/sharedStrings.xml" in book.namelist():
            parts.append(book.read("xl/sharedStrings.xml").decode())
        return "\n".join(parts)


@pytest.mark.parametrize("constant_memory", [False, True], ids=["tracker", "report"])
@pytest.mark.parametrize(
    "text", ["=1+1", "+SUM(A1)", "-3", "@cmd", "123", "1e5", "http://example.com/x", "mailto:a@b"]
)
def test_text_that_looks_like_a_formula_number_or_url_is_written_as_text(
    text: str, *, constant_memory: bool
) -> None:
    xml = written(
        lambda out, sheet: out.put(sheet, 0, 0, text, Style.PLAIN), constant_memory=constant_memory
    )
    assert "<f>" not in xml
    assert "<hyperlink" not in xml
    assert re.search(r'<c r="A1"[^>]* t="(s|str|inlineStr)"', xml), xml
    assert text.replace("&", "&amp;") in xml


@pytest.mark.parametrize("constant_memory", [False, True], ids=["tracker", "report"])
def test_text_longer_than_a_cell_holds_is_refused_with_the_cell(*, constant_memory: bool) -> None:
    text = "x" * (MAX_TEXT + 1)
    expected = (
        r"^'My Sheet'!C4: the text is longer than a cell can hold \(32,767 characters\); "
        r"shorten it$"
    )
    with pytest.raises(RefusedError, match=expected):
        written(
            lambda out, sheet: out.put(sheet, 3, 2, text, Style.WRAP),
            constant_memory=constant_memory,
        )


def test_the_limit_counts_utf16_units_as_excel_does() -> None:
    wide = "\U0001f600"  # two UTF-16 units
    assert not too_long("x" * MAX_TEXT)
    assert too_long("x" * (MAX_TEXT + 1))
    assert not too_long(wide * (MAX_TEXT // 2))
    assert too_long(wide * (MAX_TEXT // 2) + "x" * 2)
    assert not too_long("x" * MAX_TEXT)
    xml = written(lambda out, sheet: out.put(sheet, 0, 0, "y" * MAX_TEXT, Style.PLAIN))
    assert "y" * MAX_TEXT in xml


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_a_cached_formula_text_is_stored_as_ooxml_escapes_it(text: str) -> None:
    escaped = escape_cached(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f]", escaped)
    unescaped = re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m[1], 16)), escaped)
    assert unescaped == text


@pytest.mark.parametrize("constant_memory", [False, True], ids=["tracker", "report"])
def test_control_characters_in_a_cached_result_are_escaped(*, constant_memory: bool) -> None:
    def fill(out: SheetWriter, sheet: Worksheet) -> None:
        out.formula(sheet, 0, 0, '=""', value="a\x01b _x0041_", style=Style.COMPUTED)

    xml = written(fill, constant_memory=constant_memory)
    assert "<v>a_x0001_b _x005F_x0041_</v>" in xml


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        (Refusal.OUT_OF_RANGE, "the cell is outside the sheet"),
        (Refusal.URL_TOO_LONG, "the link is longer than Excel allows"),
        (Refusal.TOO_MANY_URLS, "the sheet has more links than Excel allows"),
        (-9, "XlsxWriter refused it (code -9)"),
    ],
)
def test_each_refusal_has_a_name_and_a_reason(code: int, reason: str) -> None:
    assert refusal_reason(code).startswith(reason)


def test_a_cell_outside_the_sheet_is_refused_with_its_address() -> None:
    with pytest.raises(RefusedError, match=r"^'My Sheet'!A1048577: the cell is outside the sheet$"):
        written(lambda out, sheet: out.put(sheet, 1_048_576, 0, 1, Style.PLAIN))


def test_a_warning_from_xlsxwriter_becomes_the_error() -> None:
    def fill(_: SheetWriter, sheet: Worksheet) -> None:
        sheet.set_header("x" * 300)  # XlsxWriter only warns: a header holds 255 characters

    with pytest.raises(RefusedError, match=r"^the test workbook could not be written: "):
        written(fill)
