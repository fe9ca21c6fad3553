"""The LibreOffice harness itself, on a small workbook whose cached values are wrong on purpose.

XlsxWriter stores each formula's cached value as given (here 0 or "stale"), so a right
answer from LibreOffice proves it computed the formula rather than echoing the file.
The ``libreoffice`` fixture comes from tests/libreoffice.py, through conftest.py.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pytest
import xlsxwriter

import libreoffice as helpers
import needs

if TYPE_CHECKING:
    from collections.abc import Iterator

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


SORT_ROWS = ((3, "cherry"), (1, "date"), (4, "apple"), (2, "banana"))  # rows 2-5, by A, C


def make_sort_workbook(path: Path) -> Path:
    """Rows: header in row 1, data rows 2-5 (A n, B =A*2, C label, D =A*$F$1), then outside
    the data: A6=100, A7 =SUM(B2:B5), A8 =A2 and F1=10. The "date" label is bold."""
    workbook = xlsxwriter.Workbook(str(path))
    bold = workbook.add_format({"bold": True})
    rows = workbook.add_worksheet("Rows")
    rows.write_row("A1", ["n", "double", "label", "scaled"])
    rows.write_number("F1", 10)
    for row, (number, label) in enumerate(SORT_ROWS, 2):
        rows.write_number(f"A{row}", number)
        rows.write_formula(f"B{row}", f"=A{row}*2", None, 0)
        rows.write_string(f"C{row}", label, bold if label == "date" else None)
        rows.write_formula(f"D{row}", f"=A{row}*$F$1", None, 0)
    rows.write_number("A6", 100)
    rows.write_formula("A7", "=SUM(B2:B5)", None, 0)
    rows.write_formula("A8", "=A2", None, 0)
    workbook.close()
    return path


@pytest.fixture
def sort_workbook(tmp_path: Path) -> Path:
    return make_sort_workbook(tmp_path / "sort.xlsx")


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ({"by": "A", "descending": True}, [4, 3, 2, 1]),
        ({"by": "A", "descending": False}, [1, 2, 3, 4]),
        ({"by": "c"}, [4, 2, 3, 1]),  # by label, ascending by default: apple, banana, ...
    ],
)
def test_sorting_moves_whole_rows_and_formulas_keep_their_own_row(
    libreoffice: Calc,
    sort_workbook: Path,
    tmp_path: Path,
    sort: dict[str, object],
    order: list[int],
) -> None:
    saved = tmp_path / "sorted.xlsx"

    result = libreoffice.run(
        sort_workbook, [{"sheet": "Rows", "sort": "A2:D5", **sort}], save_as=saved
    )

    rows = result["cells"]["Rows"]
    labels = dict(SORT_ROWS)
    assert [rows[f"A{row}"]["value"] for row in range(2, 6)] == order
    for row, number in enumerate(order, 2):
        assert rows[f"B{row}"] == {
            "formula": f"=A{row}*2",
            "value": number * 2,
            "type": "FORMULA",
            "error": None,
        }
        assert rows[f"C{row}"]["value"] == labels[number]
        assert rows[f"D{row}"]["formula"] == f"=A{row}*$F$1"
        assert rows[f"D{row}"]["value"] == number * 10
    assert rows["A1"]["value"] == "n"  # the header row is not in the range
    assert rows["A6"]["value"] == 100  # nor is the row below it
    assert rows["A7"]["value"] == 20
    # References from outside the range keep their address (as in Excel), not the old cell.
    assert rows["A8"] == {"formula": "=A2", "value": order[0], "type": "FORMULA", "error": None}
    formats = openpyxl.load_workbook(saved)
    try:
        sheet = formats["Rows"]
        bold = [sheet[f"C{row}"].value for row in range(2, 6) if sheet[f"C{row}"].font.b]
        assert bold == ["date"]  # the format moved with its cell
    finally:
        formats.close()


def test_deleting_a_row_shifts_cells_up_and_references(
    libreoffice: Calc, sort_workbook: Path
) -> None:
    result = libreoffice.run(sort_workbook, [{"sheet": "Rows", "delete_row": 3}])

    rows = result["cells"]["Rows"]
    assert [rows[f"A{row}"]["value"] for row in range(2, 5)] == [3, 4, 2]
    assert [rows[f"C{row}"]["value"] for row in range(2, 5)] == ["cherry", "apple", "banana"]
    assert rows["B3"] == {"formula": "=A3*2", "value": 8, "type": "FORMULA", "error": None}
    assert rows["A5"]["value"] == 100
    assert rows["A6"] == {"formula": "=SUM(B2:B4)", "value": 18, "type": "FORMULA", "error": None}
    assert rows["A7"]["formula"] == "=A2"
    assert "A8" not in rows
    assert rows["F1"]["value"] == 10  # above the deleted row: unchanged


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


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"sort": "A2:D5", "by": "F"}, "edit 1: the 'by' column 'F' is outside the range 'A2:D5'"),
        ({"sort": "A2", "by": "A"}, "edit 1: 'sort': not an A1 range such as 'A9:M34': 'A2'"),
        ({"sort": "Rows", "by": "A"}, "not an A1 range"),
        ({"sort": 5, "by": "A"}, "'sort' must be an A1 range"),
        ({"sort": "D5:A2", "by": "A"}, "must go from its top left to its bottom right"),
        ({"sort": "A2:D5", "by": "A2"}, "'by' must be a column letter such as 'B', not 'A2'"),
        ({"sort": "A2:D5", "by": "A", "descending": "yes"}, "'descending' must be true or false"),
        ({"sort": "A2:D5"}, r"exactly the keys \['by', 'sheet', 'sort'\], and optionally"),
        ({"sort": "A2:D5", "by": "A", "cell": "A1"}, "exactly the keys"),
        ({"delete_row": 0}, "'delete_row' must be a row number from 1"),
        ({"delete_row": True}, "'delete_row' must be a row number from 1"),
        ({"delete_row": 3, "cell": "A3"}, r"exactly the keys \['delete_row', 'sheet'\]"),
        ({"delete_row": 3, "sort": "A2:D5", "by": "A"}, "exactly one of"),
    ],
)
def test_a_malformed_sort_or_delete_row_is_refused(
    libreoffice: Calc, sort_workbook: Path, edit: dict[str, object], message: str
) -> None:
    # Refused by check_edit before a document is opened, so these runs are quick.
    with pytest.raises(AssertionError, match=message):
        libreoffice.run(sort_workbook, [{"sheet": "Rows", **edit}])


def test_sorting_or_deleting_on_a_missing_sheet_fails(
    libreoffice: Calc, sort_workbook: Path
) -> None:
    with pytest.raises(AssertionError, match="no sheet 'Nope'"):
        libreoffice.run(
            sort_workbook,
            [{"sheet": "Rows", "delete_row": 2}, {"sheet": "Nope", "sort": "A2:D5", "by": "B"}],
        )


# --- one soffice for many requests, started again after a crash --------------------------


def harness_descendants(calc: Calc) -> list[int]:
    """The ids of the soffice processes of ``calc``'s harness, found by their pipe's name."""
    assert calc.process is not None
    marker = f"trackerkit_lo_{calc.process.pid}_".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                command = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if marker in command:
                found.append(int(entry.name))
    return found


def gone(pids: list[int]) -> bool:
    """Whether the processes have ended, given the few seconds a killed process takes."""
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{pid}").exists() for pid in pids):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


@pytest.fixture
def own_calc(libreoffice: Calc) -> Iterator[Calc]:
    """A runner apart from the session's, to crash on purpose."""
    calc = helpers.Calc(libreoffice.python, libreoffice.soffice)
    try:
        yield calc
    finally:
        calc.close()


def test_requests_share_one_soffice(libreoffice: Calc, workbook: Path) -> None:
    libreoffice.run(workbook)
    first = harness_descendants(libreoffice)
    restarts = len(libreoffice.restarts)

    result = libreoffice.run(workbook, [{"sheet": "Data", "cell": "A1", "number": 4}])

    assert result["cells"]["Data"]["A3"]["value"] == 12
    assert first
    assert harness_descendants(libreoffice) == first
    assert len(libreoffice.restarts) == restarts


def test_a_crashed_soffice_is_started_again_once_and_said(own_calc: Calc, workbook: Path) -> None:
    own_calc.run(workbook)
    for pid in harness_descendants(own_calc):
        os.kill(pid, signal.SIGKILL)  # soffice crashes between two requests

    result = own_calc.run(workbook, [{"sheet": "Data", "cell": "A1", "number": 4}])

    assert result["cells"]["Data"]["A3"]["value"] == 12
    assert len(own_calc.restarts) == 1
    assert own_calc.restarts[0].startswith("harness.xlsx: LibreOffice stopped during the request")
    assert own_calc.restarts[0].endswith("ran the request again on a new LibreOffice")


def test_a_stopped_harness_cleans_up_and_is_started_again(own_calc: Calc, workbook: Path) -> None:
    own_calc.run(workbook)
    soffices = harness_descendants(own_calc)
    assert own_calc.process is not None
    own_calc.process.terminate()  # SIGTERM: the harness kills soffice and deletes its profile
    own_calc.process.wait(30)

    result = own_calc.run(workbook)

    assert result["cells"]["Data"]["A3"]["value"] == 6
    assert own_calc.restarts == ["the harness had exited with status 1; started a new one"]
    assert gone(soffices)


def test_closing_stops_soffice_and_deletes_its_profile(own_calc: Calc, workbook: Path) -> None:
    own_calc.run(workbook)
    soffices = harness_descendants(own_calc)
    profiles = {
        argument.removeprefix(b"-env:UserInstallation=file://").decode()
        for pid in soffices
        for argument in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if argument.startswith(b"-env:UserInstallation=")
    }
    assert profiles

    own_calc.close()

    assert gone(soffices)
    assert not [profile for profile in profiles if Path(profile).exists()]
    assert not own_calc.scratch.exists()


# --- when LibreOffice is missing: skip locally, fail in CI -------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", True), ("1", True), ("yes", True), ("", False), ("0", False), ("false", False)],
)
def test_ci_is_recognised(monkeypatch: pytest.MonkeyPatch, value: str, expected: bool) -> None:
    monkeypatch.setenv("CI", value)
    assert needs.in_ci() is expected


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
