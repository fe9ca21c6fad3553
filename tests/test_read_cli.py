"""``trackerkit read``: output formats, messages and exit codes are part of the API."""

from __future__ import annotations

import csv
import io
import json
from typing import TYPE_CHECKING

import pytest

from conftest import BASE, write_roles
from fills import open_book, put
from trackerkit import Employee, Entries, build_tracker
from trackerkit import layout as lay
from trackerkit.cli import main
from trackerkit.export import CSV_COLUMNS, csv_safe

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def folder(bundled: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two trackers in ``trackers/`` under the working directory, so paths print short."""
    monkeypatch.chdir(tmp_path)
    out = tmp_path / "trackers"
    build_tracker(
        bundled.roles["psr-i"],
        out / "ana.xlsx",
        employee=Employee(name='=HYPERLINK("http://x")', employee_id="-7", manager="@lee"),
    )
    build_tracker(bundled.roles["psr-ii"], out / "bo.xlsx", employee=Employee(name="Bo"))
    (out / "~$bo.xlsx").write_bytes(b"an Excel lock file, not a tracker")
    return out


@pytest.mark.usefixtures("folder")
def test_one_file_prints_one_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "read", "trackers/bo.xlsx")
    assert (code, err) == (0, "1 tracker read: 0 errors, 0 warnings\n")
    data = json.loads(out)
    assert data["file"] == "trackers/bo.xlsx"
    assert data["role"]["id"] == "psr-ii"
    assert data["employee"]["name"] == "Bo"


@pytest.mark.usefixtures("folder")
def test_a_folder_prints_a_list_and_skips_lock_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "read", "trackers")
    assert (code, err) == (0, "2 trackers read: 0 errors, 0 warnings\n")
    data = json.loads(out)
    assert [item["file"] for item in data] == ["trackers/ana.xlsx", "trackers/bo.xlsx"]
    assert data[0]["employee"]["name"] == '=HYPERLINK("http://x")'  # JSON keeps the text


@pytest.mark.usefixtures("folder")
def test_csv_has_a_row_per_entry_and_defuses_formulas(
    bundled: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "read", "trackers/ana.xlsx", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    role = bundled.roles["psr-i"]
    assert tuple(rows[0]) == CSV_COLUMNS
    assert [(row["kind"], row["id"]) for row in rows] == [
        *(("course", item.id) for item in role.courses),
        *(("competency", item.id) for item in role.competencies),
        *(("certification", item.id) for item in role.certifications),
    ]
    first = rows[0]
    assert first["employee_name"] == '\'=HYPERLINK("http://x")'
    assert first["employee_id"] == "'-7"
    assert first["manager"] == "'@lee"
    assert first["status"] == "Not started"
    assert rows[-1]["self_rating"] == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("\x00=cmd|' /C calc'!A0", "'\x00=cmd|' /C calc'!A0"),
        ("\x1b=1", "'\x1b=1"),
        ("\x7f@x", "'\x7f@x"),
        ("\nplain", "'\nplain"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        (None, ""),
        (3, "3"),
    ],
)
def test_csv_safe(value: object, expected: str) -> None:
    assert csv_safe(value) == expected


def test_out_writes_a_file(folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "read", "trackers", "-o", "team.json")
    assert (code, out) == (0, "")
    assert len(json.loads((folder.parent / "team.json").read_text(encoding="utf-8"))) == 2


def test_out_refuses_to_write_over_a_workbook(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "read", "trackers/bo.xlsx", "-o", "trackers/ana.xlsx")
    assert (code, out) == (2, "")
    assert err == (
        "trackerkit read: -o trackers/ana.xlsx names a workbook; give a .json or .csv file\n"
    )
    assert (folder / "ana.xlsx").read_bytes()[:2] == b"PK"


def test_problems_are_listed_with_their_cell_and_exit_1(
    folder: Path, bundled: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    layout = lay.layout_for(bundled.roles["psr-ii"])
    course = bundled.roles["psr-ii"].courses[0].id
    book = open_book(folder / "bo.xlsx")
    checklist = book[lay.CHECKLIST]
    put(checklist, layout.courses.row(course), layout.courses.col("status"), "Done")
    put(checklist, layout.courses.row(course), layout.courses.col("target_date"), "2026-03-31")
    book.save(folder / "bo.xlsx")
    code, out, err = run(capsys, "read", "trackers/bo.xlsx")
    status = f"{layout.courses.letter('status')}{layout.courses.row(course) + 1}"
    target = f"{layout.courses.letter('target_date')}{layout.courses.row(course) + 1}"
    assert code == 1
    assert err.splitlines() == [
        f"trackers/bo.xlsx: 'Course Checklist'!{status}: \"Done\" is not a status; use one of "
        "Not started, Planned, In progress, Completed, Waived",
        f"trackers/bo.xlsx: 'Course Checklist'!{target}: warning: \"2026-03-31\" is text, read "
        "as 2026-03-31; enter it as a date so the tracker's own figures count it",
        "1 tracker read: 1 error, 1 warning",
    ]
    assert json.loads(out)["problems"][0]["cell"] == status


def test_an_unreadable_file_is_listed_and_the_rest_still_read(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    code, out, err = run(capsys, "read", "trackers")
    assert code == 1
    assert err.splitlines() == [
        "trackers/notes.xlsx: is not an Excel workbook; save it as .xlsx",
        "2 trackers read: 0 errors, 0 warnings; 1 file could not be read",
    ]
    assert len(json.loads(out)) == 2


@pytest.mark.usefixtures("folder")
def test_a_missing_file_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "read", "trackers/nobody.xlsx")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "trackers/nobody.xlsx: does not exist; check the file's name and folder",
        "0 trackers read: 0 errors, 0 warnings; 1 file could not be read",
    ]


@pytest.mark.usefixtures("folder")
def test_roles_with_problems_read_nothing(roles: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write_roles(roles, base=BASE.replace("level: 1", "level: 0"))
    code, out, err = run(capsys, "read", "trackers", "--roles", "roles")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "roles/base.yaml:5:8: level: 0 is less than the minimum of 1",
        "the roles have problems; no tracker was read",
    ]


def test_read_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["read"])
    assert caught.value.code == 2
    assert "the following arguments are required: FILE" in capsys.readouterr().err


def test_a_prefilled_tracker_reads_back_through_the_command(
    bundled: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    role = bundled.roles["psr-iii"]
    path = build_tracker(
        role, tmp_path / "t.xlsx", employee=Entries(employee=Employee(name="Ana", location="Reno"))
    )
    code, out, _ = run(capsys, "read", str(path))
    assert code == 0
    employee = json.loads(out)["employee"]
    assert (employee["name"], employee["location"], employee["start_date"]) == ("Ana", "Reno", None)


def test_a_name_that_starts_with_nul_cannot_run_in_any_csv(
    bundled: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A NUL before '=' is dropped by LibreOffice's CSV import, so it must not slip past the guard
    (the workbook stores it as ``_x0000_``, which our reader turns back into NUL)."""
    hostile = "\x00=cmd|' /C calc'!A0"
    path = build_tracker(
        bundled.roles["psr-i"], tmp_path / "t.xlsx", employee=Employee(name=hostile)
    )
    code, out, _ = run(capsys, "read", str(path), "--format", "csv")
    assert code == 0
    names = {row["employee_name"] for row in csv.DictReader(io.StringIO(out))}
    assert names == {"'" + hostile}  # guarded, and nothing of it lost
    report = tmp_path / "team.csv"
    code, _, _ = run(capsys, "report", str(path), "-o", str(report), "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert rows
    assert {row["employee_name"] for row in rows} == {"'" + hostile}
