"""The grid refuses a declaration that would leave the writer or the reader guessing."""

from __future__ import annotations

import pytest

from trackerkit.grid import Column, Field, Formula, Kind, Text


def test_an_input_column_must_name_the_entry_it_holds() -> None:
    with pytest.raises(ValueError, match="the input 'status' declares no entry"):
        Column("status", "Status", 14, Kind.STATUS, "Course_Status")
    assert Column("status", "Status", 14, Kind.STATUS, entry="status").entry == "status"


def test_an_input_field_must_name_the_entry_it_holds() -> None:
    with pytest.raises(ValueError, match="the input 'name' declares no entry"):
        Field("name", "Name", 8, 1, Kind.TEXT, "Employee_Name")


def test_a_computed_cell_must_have_its_formula() -> None:
    with pytest.raises(ValueError, match="the computed cell 'gap' declares no formula"):
        Column("gap", "Gap", 10, Kind.FORMULA)
    with pytest.raises(ValueError, match="the computed cell 'done' declares no formula"):
        Field("done", "Done", 3, 1, Kind.FORMULA, "Done")
    formula = Formula("=1+1", lambda *_: 2)
    assert Column("gap", "Gap", 10, Kind.FORMULA, formula=formula).twin is not None


def test_a_linked_text_links_only_to_a_web_address() -> None:
    for link in ("javascript:alert(1)", "=HYPERLINK(1)", "file:///etc/passwd", "careers"):
        with pytest.raises(ValueError, match="is not a web address"):
            Text(3, 0, "Job description", link=link)
    assert Text(3, 0, "Job description", link="https://example.com/job").link is not None
