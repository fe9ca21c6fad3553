"""Learning-system exports as they come: their own headers, their own date formats.

A team names the export's columns (``--columns``) and its date format
(``--date-format``) instead of editing the file; a header the mapping names
but the file lacks is a usage error at the header's line, and a bad row is
named by its line without stopping the others.
"""

from __future__ import annotations

import datetime as dt
from types import MappingProxyType
from typing import TYPE_CHECKING

import pytest

from expected_codes import ROSTER, expected_code
from trackerkit import CourseEntry, ExportFormat, Status, build_tracker, read_tracker
from trackerkit.cli import main
from trackerkit.problem_codes import Code
from trackerkit.roster import check_date_format, parse_columns, read_export

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog

LMS = {"employee_id": "User ID", "course_id": "Course ID", "completed_on": "Completion Date"}
"""How one learning system heads the columns."""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def courses(bundled: Catalog) -> list[str]:
    return [item.id for item in bundled.roles["psr-ii"].courses]


def write(here: Path, text: str, name: str = "lms.csv") -> str:
    (here / name).write_text(text, encoding="utf-8", newline="")
    return name


def lines(problems: object) -> list[str]:
    return [str(problem) for problem in problems]  # type: ignore[attr-defined]


# --- the mapping and the formats, as given ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'employee_id="User ID",course_id="Course ID",completed_on="Completion Date"',
            LMS,
        ),
        # what the shell leaves of the quotes
        ("employee_id=User ID,course_id=Course ID,completed_on=Completion Date", LMS),
        ('"course_id=Course, code"', {"course_id": "Course, code"}),  # a comma in a header
        (" status = State ", {"status": "State"}),
    ],
)
def test_a_column_mapping_is_read_from_its_text(text: str, expected: dict[str, str]) -> None:
    assert parse_columns(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("employee_id", "expected column=header pairs separated by commas, got 'employee_id'"),
        ("employee_id=", "expected column=header pairs separated by commas, got 'employee_id='"),
        ("", "expected column=header pairs separated by commas"),
        (
            "user=User ID",
            "'user' is not a column of a completions export; the columns are "
            "employee_id, course_id, completed_on, status",
        ),
        ("course_id=A,course_id=B", "course_id is given twice"),
    ],
)
def test_a_mapping_that_is_not_one_says_why(text: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_columns(text)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", ["%m/%d/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %b %Y"])
def test_a_date_format_with_day_month_and_year_is_taken(text: str) -> None:
    assert check_date_format(text) == text


@pytest.mark.parametrize("text", ["%H:%M", "%d.%m", "%m/%Y", "dd/mm/yyyy", "%d/%d/%Y"])
def test_a_date_format_without_a_whole_date_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a date format with a day, a month and a year"):
        check_date_format(text)
    with pytest.raises(ValueError, match="is not a date format"):
        ExportFormat(date_format=text)


# --- reading an export by them -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date_format", "cells"),
    [
        ("%m/%d/%Y", ("03/31/2026", "1/5/2026 14:22")),  # a time after the day is ignored
        ("%d.%m.%Y", ("31.03.2026", "05.01.2026")),
    ],
)
def test_an_lms_export_is_read_by_its_own_headers_and_date_format(
    here: Path, bundled: Catalog, courses: list[str], date_format: str, cells: tuple[str, str]
) -> None:
    text = (
        "Course Title,User ID,Completion Date,Course ID,Score\r\n"
        f'"Privacy, basics",E1,{cells[0]},{courses[0]},98\r\n'
        f"Draws,E2,{cells[1]},{courses[1]},71\r\n"
    )
    export = read_export(
        write(here, text), bundled, ExportFormat(MappingProxyType(LMS), date_format)
    )
    assert export.problems == ()
    assert [(row.line, row.employee_id, row.course_id, row.entry) for row in export.rows] == [
        (2, "E1", courses[0], CourseEntry(Status.COMPLETED, completed_on=dt.date(2026, 3, 31))),
        (3, "E2", courses[1], CourseEntry(Status.COMPLETED, completed_on=dt.date(2026, 1, 5))),
    ]


def test_a_mapped_header_is_read_over_a_column_of_the_same_name(
    here: Path, bundled: Catalog, courses: list[str]
) -> None:
    """An export that also has an ``employee_id`` column (say, an internal number): the
    mapping says which column holds the id trackers know."""
    text = f"employee_id,User ID,course_id,completed_on\n7731,E1,{courses[0]},2026-03-31\n"
    export = read_export(
        write(here, text), bundled, ExportFormat(MappingProxyType({"employee_id": "User ID"}))
    )
    assert [row.employee_id for row in export.rows] == ["E1"]


def test_bad_rows_are_named_by_line_and_the_others_read(
    here: Path, bundled: Catalog, courses: list[str]
) -> None:
    text = (
        "\n"  # a blank line before the header: the header is line 2
        "User ID;Course ID;Completion Date\n"
        f"E1;{courses[0]};31.03.2026\n"
        f"E1;{courses[1]};2026-03-31\n"  # ISO is not the format given
        f"E1;{courses[2]};\n"
        f"E1;{courses[3]};32.01.2026\n"
        f"E2;{courses[4]};01.02.2026\n"
    )
    export = read_export(
        write(here, text), bundled, ExportFormat(MappingProxyType(LMS), "%d.%m.%Y")
    )
    assert lines(export.problems) == [
        'lms.csv:4: completed_on: "2026-03-31" is not a date in the format %d.%m.%Y (such as '
        "31.03.2026); correct the row, or give the export's date format",
        "lms.csv:5: completed_on: is empty; enter the day the course was completed",
        'lms.csv:6: completed_on: "32.01.2026" is not a date in the format %d.%m.%Y (such as '
        "31.03.2026); correct the row, or give the export's date format",
    ]
    for problem in export.problems:
        assert problem.code is expected_code(problem.message, ROSTER) is Code.COMPLETIONS_DATE
    assert [(row.line, row.course_id) for row in export.rows] == [(3, courses[0]), (7, courses[4])]


def test_a_mapped_column_the_header_lacks_is_one_problem_at_the_header_line(
    here: Path, bundled: Catalog
) -> None:
    text = "\nUser;Course ID;Completion Date\nE1;hipaa;31.03.2026\n"
    export = read_export(write(here, text), bundled, ExportFormat(MappingProxyType(LMS)))
    assert lines(export.problems) == [
        'lms.csv:2: the header has no column "User ID", which the column mapping gives for '
        'employee_id; its columns are "User", "Course ID", "Completion Date"'
    ]
    assert export.problems[0].code is expected_code(export.problems[0].message, ROSTER)
    assert export.rows == ()


# --- both commands take them -------------------------------------------------------------

COLUMNS = 'employee_id="User ID",course_id="Course ID",completed_on="Completion Date"'


def test_build_roster_takes_the_columns_and_date_format(
    here: Path, bundled: Catalog, courses: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    write(here, "employee_id,name,current_role\nE1,Ana,psr-ii\n", "roster.csv")
    outside = next(c for c in bundled.courses if c not in courses)
    write(
        here,
        f"User ID,Course ID,Completion Date\nE1,{courses[0]},03/31/2026\nE1,{outside},03/31/2026\n",
    )
    argv = ["build", "--roster", "roster.csv", "--completions", "lms.csv", "-o", "out"]
    assert main([*argv, "--columns", COLUMNS, "--date-format", "%m/%d/%Y"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        f"warning: lms.csv:3: course_id: {outside!r} is not one of psr-ii's courses, so E1's "
        "tracker has no row for it; the row was left out",
        "out: 1 written, 0 unchanged, 0 skipped",
    ]
    ana = read_tracker(here / "out" / "e1-ana.xlsx", catalog=bundled)
    assert ana.courses[courses[0]].completed_on == dt.date(2026, 3, 31)


def test_update_takes_the_columns_and_date_format(
    here: Path, bundled: Catalog, courses: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    from trackerkit import Employee, Entries

    role = bundled.roles["psr-ii"]
    build_tracker(
        role,
        here / "in" / "ana.xlsx",
        employee=Entries(Employee(employee_id="E1")),
        next_roles=bundled.next_roles(role),
    )
    write(here, f"User ID,Course ID,Completion Date\nE1,{courses[0]},31.03.2026\n")
    argv = ["update", "in", "--completions", "lms.csv", "-o", "out", "--columns", COLUMNS]
    assert main([*argv, "--date-format", "%d.%m.%Y"]) == 0
    assert capsys.readouterr().out == "in/ana.xlsx -> out/ana.xlsx: 1 course completed\n"
    after = read_tracker(here / "out" / "ana.xlsx", catalog=bundled)
    assert after.courses[courses[0]].completed_on == dt.date(2026, 3, 31)


@pytest.mark.parametrize("command", ["update", "build"])
def test_a_mapped_column_the_export_lacks_is_a_usage_error(
    here: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    write(here, "employee_id,name,current_role\nE1,Ana,psr-ii\n", "roster.csv")
    write(here, "User,Course ID,Completion Date\nE1,hipaa,03/31/2026\n")
    first = ["in"] if command == "update" else ["--roster", "roster.csv"]
    (here / "in").mkdir()
    argv = [command, *first, "--completions", "lms.csv", "-o", "out", "--columns", COLUMNS]
    assert main(argv) == 2
    err_and_out = capsys.readouterr()
    assert (
        'lms.csv:1: the header has no column "User ID", which the column mapping gives for '
        'employee_id; its columns are "User", "Course ID", "Completion Date"'
    ) in (err_and_out.err + err_and_out.out).splitlines()
    assert not (here / "out").exists()


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--columns", "user=User ID"], "argument --columns: 'user' is not a column"),
        (["--date-format", "%H:%M"], "argument --date-format: '%H:%M' is not a date format"),
    ],
)
@pytest.mark.parametrize("command", ["update", "build"])
def test_a_bad_mapping_or_format_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], command: str, option: list[str], message: str
) -> None:
    first = ["in", "-o", "out"] if command == "update" else ["--roster", "r.csv"]
    with pytest.raises(SystemExit) as caught:
        main([command, *first, "--completions", "c.csv", *option])
    assert caught.value.code == 2
    assert message in capsys.readouterr().err


def test_build_wants_completions_for_columns_and_date_format(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["build", "--roster", "r.csv", "--date-format", "%d.%m.%Y"]) == 2
    assert capsys.readouterr().err == (
        "trackerkit build: --columns and --date-format need --completions\n"
    )
