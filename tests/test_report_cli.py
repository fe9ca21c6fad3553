"""``trackerkit report``: a folder of returned trackers in, one report out, problems listed."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import openpyxl
import pytest

from trackerkit import Employee, build_tracker
from trackerkit.cli import main

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog


@pytest.fixture
def returned(bundled: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "returned"
    build_tracker(bundled.roles["psr-i"], folder / "ana.xlsx", employee=Employee(name="Ana"))
    build_tracker(bundled.roles["psr-ii"], folder / "bo.xlsx", employee=Employee(name="Bo"))
    (folder / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    return folder


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_unreadable_file_is_listed_and_the_rest_reported(
    returned: Path, capsys: pytest.CaptureFixture[str], jobs: str
) -> None:
    code = main(["report", "returned", "-o", "team.xlsx", "--as-of", "2026-12-01", "--jobs", jobs])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.splitlines() == [
        "returned/notes.xlsx: is not an Excel workbook; save it as .xlsx"
    ]
    assert captured.out == "team.xlsx: 2 people, 1 problem; 1 file left out\n"
    book = openpyxl.load_workbook(returned.parent / "team.xlsx")
    assert {"People", "Courses", "Heatmap", "Overdue", "Problems"} <= set(book.sheetnames)


def test_the_format_follows_the_extension(
    returned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (returned / "notes.xlsx").unlink()
    assert main(["report", "returned", "-o", "team.json", "--as-of", "2026-12-01"]) == 0
    data = json.loads((returned.parent / "team.json").read_text(encoding="utf-8"))
    assert sorted(person["name"] for person in data["people"]) == ["Ana", "Bo"]
    assert capsys.readouterr().out == "team.json: 2 people, 0 problems\n"


def test_the_report_may_not_overwrite_a_tracker_it_reads(
    returned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (returned / "ana.xlsx").read_bytes()
    assert main(["report", "returned", "-o", "returned/ana.xlsx"]) == 2
    assert capsys.readouterr().err == (
        "trackerkit report: -o returned/ana.xlsx is one of the trackers to read\n"
    )
    assert (returned / "ana.xlsx").read_bytes() == before


def test_an_output_that_cannot_be_written_is_one_line(
    returned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (returned.parent / "taken").write_text("a file, not a folder", encoding="utf-8")
    assert main(["report", "returned", "-o", "taken/team.xlsx"]) == 1
    err = capsys.readouterr().err  # the reason in brackets is the operating system's words
    assert err.splitlines()[-1].startswith("taken/team.xlsx: cannot be written (")
    assert "Traceback" not in err
    assert "unexpected error" not in err
    assert main(["read", "returned/ana.xlsx", "-o", "taken/ana.json"]) == 1
    last = capsys.readouterr().err.splitlines()[-1]
    assert last.startswith("taken/ana.json: cannot be written (")


def test_a_filled_tracker_at_out_is_kept_without_force(
    bundled: Catalog, returned: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (returned / "notes.xlsx").unlink()  # every tracker readable: exit code 0 when written
    keep = returned.parent / "someone.xlsx"
    build_tracker(bundled.roles["psr-i"], keep, employee=Employee(name="Noor"))
    before = keep.read_bytes()
    assert main(["report", str(returned), "-o", str(keep)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"{keep}: it is not a team report trackerkit made; it was left as it is "
        "(use --force to replace it)\n"
    )
    assert keep.read_bytes() == before
    assert main(["report", str(returned), "-o", str(keep), "--force"]) == 0
    book = openpyxl.load_workbook(keep, read_only=True)
    try:
        assert book.sheetnames[0] == "Summary"
    finally:
        book.close()


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_a_report_at_out_is_replaced_by_the_next_one(
    returned: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (returned / "notes.xlsx").unlink()  # every tracker readable: exit code 0 when written
    out = returned.parent / f"team.{fmt}"
    assert main(["report", str(returned), "-o", str(out)]) == 0
    assert main(["report", str(returned), "-o", str(out), "--as-of", "2030-01-01"]) == 0
    capsys.readouterr()
    other = returned.parent / f"notes.{fmt}"
    other.write_text("my own notes\n", encoding="utf-8")
    assert main(["report", str(returned), "-o", str(other)]) == 1
    assert other.read_text(encoding="utf-8") == "my own notes\n"
