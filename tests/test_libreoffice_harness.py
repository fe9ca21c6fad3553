"""The LibreOffice harness itself, on a small workbook whose cached values are wrong on purpose.

XlsxWriter stores each formula's cached value as given (here 0 or "stale"), so a right
answer from LibreOffice proves it computed the formula rather than echoing the file.
The ``libreoffice`` fixture comes from tests/libreoffice.py, through conftest.py.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from typing import TYPE_CHECKING

import openpyxl
import pytest
import xlsxwriter

import libreoffice as helpers

if TYPE_CHECKING:
    from pathlib import Path

    from libreoffice import Calc

EXCEL_DAY_ZERO = dt.date(1899, 12, 30)
DAY_ZERO_1904 = dt.date(1904, 1, 1)


def make_workbook(path: Path, *, date_1904: bool = False) -> Path:
    """Data: A1=2, A2=3, formulas with wrong cached values; Summary reads Data; Lists is hidden."""
    workbook = xlsxwriter.Workbook(str(path), {"date_1904": date_1904})
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    data = workbook.add_worksheet("Data")
    data.write_number("A1", 2)
    data.write_number("A2", 3)
    data.write_formula("A3", "=A1*A2", None, 0)
    data.write_formula("A4", '=IF(A1>1,"big","small")', None, "stale")
    data.write_formula("A5", "=1/0", None, 0)
    data.write_datetime("B1", dt.datetime(2026, 3, 1), date_format)  # noqa: DTZ001
    data.write_formula("B2", "=B1+1", date_format, 0)
    data.write_formula("D1", '=COUNTIF(C1:C3,"Completed")', None, 0)
    summary = workbook.add_worksheet("Summary")
    summary.write_formula("A1", "=Data!A3+1", None, 0)
    lists = workbook.add_worksheet("Lists")
    lists.write_string("A1", "Completed")
    lists.hide()
    workbook.close()
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    return make_workbook(tmp_path / "harness.xlsx")


def test_recalculation_replaces_the_cached_values(libreoffice: Calc, workbook: Path) -> None:
    result = libreoffice.run(workbook)

    data = result["cells"]["Data"]
    assert data["A3"] == {"formula": "=A1*A2", "value": 6, "type": "FORMULA", "error": None}
    assert data["A4"]["value"] == "big"
    assert data["A4"]["formula"] == '=IF(A1>1;"big";"small")'  # LibreOffice's own syntax
    assert data["A5"] == {"formula": "=1/0", "value": "#DIV/0!", "type": "FORMULA", "error": 532}
    assert data["A1"] == {"formula": None, "value": 2, "type": "VALUE", "error": None}
    assert data["B1"]["value"] == (dt.date(2026, 3, 1) - EXCEL_DAY_ZERO).days
    assert "C1" not in data  # empty cells are left out
    assert result["cells"]["Summary"]["A1"] == {
        "formula": "=$Data.A3+1",
        "value": 7,
        "type": "FORMULA",
        "error": None,
    }
    assert result["cells"]["Lists"]["A1"] == {
        "formula": None,
        "value": "Completed",
        "type": "TEXT",
        "error": None,
    }
    assert result["sheets"] == [
        {"name": "Data", "visible": True},
        {"name": "Summary", "visible": True},
        {"name": "Lists", "visible": False},
    ]
    assert result["null_date"] == EXCEL_DAY_ZERO.isoformat()


def test_without_recalculation_the_cached_values_stay(libreoffice: Calc, workbook: Path) -> None:
    # XlsxWriter asks for a full calculation on load; LibreOffice ignores that, because its
    # "recalculation on file load" setting for Excel files (OOXMLRecalcMode) is "never" by
    # default, and the harness pins it so in its fresh profile. Volatile functions such as
    # TODAY() are the exception: they and the cells that depend on them are recomputed anyway.
    with zipfile.ZipFile(workbook) as archive:
        assert b'fullCalcOnLoad="1"' in archive.read("xl/workbook.xml")

    result = libreoffice.run(workbook, recalculate=False, read="formulas")

    data = result["cells"]["Data"]
    assert data["A3"]["value"] == 0
    assert data["A4"]["value"] == "stale"
    assert data["A5"] == {"formula": "=1/0", "value": 0, "type": "FORMULA", "error": None}
    assert result["cells"]["Summary"]["A1"]["value"] == 0
    assert {cell["type"] for cells in result["cells"].values() for cell in cells.values()} == {
        "FORMULA"
    }
    assert "A1" not in data
    assert result["cells"]["Lists"] == {}


def test_edits_then_recalculation_change_the_results(libreoffice: Calc, workbook: Path) -> None:
    result = libreoffice.run(
        workbook,
        [
            {"sheet": "Data", "cell": "A1", "number": 5},
            {"sheet": "Data", "cell": "C2", "value": "Completed"},
        ],
    )

    data = result["cells"]["Data"]
    assert data["A1"]["value"] == 5
    assert data["A3"]["value"] == 15
    assert data["C2"] == {"formula": None, "value": "Completed", "type": "TEXT", "error": None}
    assert data["D1"]["value"] == 1
    assert result["cells"]["Summary"]["A1"]["value"] == 16


@pytest.mark.parametrize(
    ("date_1904", "day_zero"), [(False, EXCEL_DAY_ZERO), (True, DAY_ZERO_1904)]
)
def test_a_date_edit_lands_as_the_serial_number_of_the_workbook(
    libreoffice: Calc, tmp_path: Path, date_1904: bool, day_zero: dt.date
) -> None:
    workbook = make_workbook(tmp_path / "dates.xlsx", date_1904=date_1904)

    result = libreoffice.run(workbook, [{"sheet": "Data", "cell": "B1", "date": "2026-04-15"}])

    serial = (dt.date(2026, 4, 15) - day_zero).days
    assert result["null_date"] == day_zero.isoformat()
    assert result["cells"]["Data"]["B1"]["value"] == serial
    assert result["cells"]["Data"]["B2"]["value"] == serial + 1


def test_inserting_a_row_shifts_cells_and_references(libreoffice: Calc, workbook: Path) -> None:
    result = libreoffice.run(workbook, [{"sheet": "Data", "insert_row_before": 2}])

    data = result["cells"]["Data"]
    assert data["A1"]["value"] == 2
    assert "A2" not in data
    assert data["A3"]["value"] == 3
    assert data["A4"] == {"formula": "=A1*A3", "value": 6, "type": "FORMULA", "error": None}
    assert data["B3"]["formula"] == "=B1+1"
    assert result["cells"]["Summary"]["A1"]["formula"] == "=$Data.A4+1"
    assert result["cells"]["Summary"]["A1"]["value"] == 7


def test_save_as_writes_an_xlsx_that_openpyxl_reads(
    libreoffice: Calc, workbook: Path, tmp_path: Path
) -> None:
    saved = tmp_path / "saved.xlsx"

    libreoffice.run(workbook, [{"sheet": "Data", "cell": "A1", "number": 5}], save_as=saved)

    formulas = openpyxl.load_workbook(saved)
    values = openpyxl.load_workbook(saved, data_only=True)
    try:
        assert formulas.sheetnames == ["Data", "Summary", "Lists"]
        assert formulas["Lists"].sheet_state == "hidden"
        assert formulas["Data"]["A1"].value == 5
        assert formulas["Data"]["A3"].value == "=A1*A2"
        assert formulas["Summary"]["A1"].value == "=Data!A3+1"  # Excel syntax again on disk
        assert values["Data"]["A3"].value == 15  # LibreOffice stored what it computed
        assert values["Data"]["A4"].value == "big"
        assert values["Summary"]["A1"].value == 16
    finally:
        formulas.close()
        values.close()


def test_a_failed_run_raises_with_the_harness_message(libreoffice: Calc, workbook: Path) -> None:
    with pytest.raises(AssertionError, match="no sheet 'Nope'"):
        libreoffice.run(workbook, [{"sheet": "Nope", "cell": "A1", "number": 1}])
    with pytest.raises(AssertionError, match="exactly one of"):
        libreoffice.run(workbook, [{"sheet": "Data", "cell": "A1", "number": 1, "value": "x"}])


# --- when LibreOffice is missing: skip locally, fail in CI -------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("yes", True), ("", False), ("0", False), ("false", False)],
)
def test_ci_is_recognised(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("CI", value)
    assert helpers.in_ci() is expected


def test_missing_libreoffice_skips_locally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setattr(helpers, "SOFFICE", None)
    with pytest.raises(pytest.skip.Exception, match="soffice\\) is not installed"):
        helpers.require_libreoffice()


def test_missing_libreoffice_fails_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    monkeypatch.setattr(helpers, "SOFFICE", "/usr/bin/soffice")
    monkeypatch.setattr(helpers, "SYSTEM_PYTHON", None)
    with pytest.raises(pytest.fail.Exception, match="python3-uno is not importable"):
        helpers.require_libreoffice()
