"""Personalised trackers from a roster and a learning-system export.

The roster and the export come from other systems and are saved by Excel:
every row is checked, every problem names its file and line, and the good
rows are still built.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from expected_codes import ROSTER, expected_code
from trackerkit import CourseEntry, Status, build_roster, read_tracker
from trackerkit import roster as roster_module
from trackerkit.cli import main
from trackerkit.errors import Problem
from trackerkit.files import is_reserved
from trackerkit.roster import (
    MAX_NAME,
    MAX_NAME_BYTES,
    load_completions,
    load_roster,
    tracker_name,
    tracker_names,
)

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog

HEADER = "employee_id,name,manager,location,current_role,target_role\n"


def write(folder: Path, name: str, text: str | bytes) -> Path:
    """Write ``name`` in ``folder`` (the working directory) and return it as a short path."""
    path = folder / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path.relative_to(folder)


@pytest.fixture(autouse=True)
def codes_match_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every problem of a roster or completions file carries the code its message calls for."""

    def checked(*parts: Any) -> Problem:
        problem = Problem(*parts)
        assert problem.code is expected_code(problem.message, ROSTER), problem
        return problem

    monkeypatch.setattr(roster_module, "Problem", checked)


def lines(problems: object) -> list[str]:
    return [str(problem) for problem in problems]  # type: ignore[attr-defined]


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory, so paths print short."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# --- reading the roster ---------------------------------------------------------------------


def test_an_excel_csv_with_bom_semicolons_and_spaced_headers_is_read(
    here: Path, bundled: Catalog
) -> None:
    text = (
        "\ufeffEmployee ID;Name;Manager;Location;Current Role;Target-Role\r\n"
        "E1;Ana Díaz;Lee Park;Reno;psr-i;psr-ii\r\n"
        "\r\n"
        ";;;;;\r\n"
        'E2;"Bo ""Bobby"" Li";Lee Park;"Reno,\r\nSite 2";psr-ii;\r\n'
    )
    roster = load_roster(write(here, "roster.csv", text), bundled)
    assert roster.problems == ()
    assert [
        (row.line, row.employee.employee_id, row.role_id, row.target_id) for row in roster.rows
    ] == [
        (2, "E1", "psr-i", "psr-ii"),
        (5, "E2", "psr-ii", None),
    ]
    ana, bo = (row.employee for row in roster.rows)
    assert (ana.name, ana.current_role, ana.target_role) == (
        "Ana Díaz",
        bundled.roles["psr-i"].title,
        bundled.roles["psr-ii"].title,
    )
    assert (bo.name, bo.location, bo.target_role) == ('Bo "Bobby" Li', "Reno,\r\nSite 2", "")


def test_every_bad_row_is_reported_with_its_line_and_the_good_ones_kept(
    here: Path, bundled: Catalog
) -> None:
    text = HEADER + (
        "E1,Ana,,,psr-i,\n"
        "E2,Bo,,,psr-x,\n"
        "E3,Cy,,,psr-i,psr-iv\n"
        "E1,Ana again,,,psr-i,\n"
        ",Dee,,,psr-i,\n"
        "E5,Eve,,,,\n"
        "E6,Fay,,,psr-i,,surplus\n"
        "E7,Gus,,,psr-ii,\n"
    )
    roster = load_roster(write(here, "roster.csv", text), bundled)
    assert lines(roster.problems) == [
        "roster.csv:3: current_role: unknown role 'psr-x'; did you mean 'psr-i'?",
        "roster.csv:4: target_role: unknown role 'psr-iv'; did you mean 'psr-iv-group-lead'?",
        "roster.csv:5: employee_id: 'E1' is listed again (first on line 2); this row was skipped",
        "roster.csv:6: employee_id: is empty; every employee needs a employee_id",
        "roster.csv:7: current_role: is empty; every employee needs a current_role",
        "roster.csv:8: the row has 7 cells but the header names 6; check for a stray separator",
    ]
    assert [row.employee.employee_id for row in roster.rows] == ["E1", "E7"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "name,current_role\nAna,psr-i\n",
            "roster.csv:1: the header has no employee_id column; "
            "the columns are employee_id, name, manager, location, current_role, target_role",
        ),
        ("", "roster.csv: is empty; it needs a header row"),
        (
            HEADER + 'E1,"Ana,,,psr-i,\n',
            "roster.csv:2: the row is not valid CSV (unexpected end of data); a cell that starts "
            'with a quote must end with one, and a quote inside it is written twice ("")',
        ),
        (
            b"employee_id,name,current_role\nE1,Jos\xe9,psr-i\n",
            "roster.csv:2: is not UTF-8 text; save it from Excel as 'CSV UTF-8 (Comma delimited)'",
        ),
    ],
)
def test_a_roster_that_is_not_a_roster_is_one_problem(
    here: Path, bundled: Catalog, text: str | bytes, expected: str
) -> None:
    roster = load_roster(write(here, "roster.csv", text), bundled)
    assert lines(roster.problems) == [expected]
    assert roster.rows == ()


# --- reading completions --------------------------------------------------------------------


def test_completions_are_checked_row_by_row(here: Path, bundled: Catalog) -> None:
    roster = load_roster(write(here, "roster.csv", HEADER + "E1,Ana,,,psr-ii,\n"), bundled)
    required = bundled.roles["psr-ii"].courses[0].id
    other = bundled.roles["psr-ii"].courses[1].id
    outside = next(
        c for c in bundled.courses if c not in {i.id for i in bundled.roles["psr-ii"].courses}
    )
    text = (
        "Employee ID,Course ID,Completed On,Status\n"
        f"E1,{required},2025-10-08,\n"
        f"E1,{required},3/1/2026,\n"  # a later completion of the same course wins
        f"E1,{other},2026-02-01 00:00:00,waived\n"  # Excel's date-and-time, a status in any case
        f"E1,{outside},2026-01-01,\n"  # not in this role: not part of the tracker, said so
        "E9,annual-compliance,2026-01-01,\n"
        "E1,dificult-draws,2026-01-01,\n"
        f"E1,{other},soon,\n"
        f"E1,{other},2026-01-01,Done\n"
    )
    completions = load_completions(write(here, "done.csv", text), bundled, roster)
    assert lines(completions.problems) == [
        "done.csv:6: employee_id: 'E9' is not in the roster",
        "done.csv:7: course_id: unknown course 'dificult-draws'; did you mean 'difficult-draws'?",
        'done.csv:8: completed_on: "soon" is not a date; enter a date such as 2026-03-31',
        'done.csv:9: status: "Done" is not a status; use one of Not started, Planned, In progress, '
        "Completed, Waived",
    ]
    assert lines(completions.warnings) == [
        f"done.csv:5: course_id: {outside!r} is not one of psr-ii's courses, so E1's tracker has "
        "no row for it; the row was left out"
    ]
    assert dict(completions.courses["E1"]) == {
        required: CourseEntry(Status.COMPLETED, completed_on=dt.date(2026, 3, 1)),
        other: CourseEntry(Status.WAIVED, completed_on=dt.date(2026, 2, 1)),
    }


# --- file names -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employee_id", "name", "expected"),
    [
        ("E1042", "Jordan Rivera", "e1042-jordan-rivera.xlsx"),
        ("E7", "José Núñez", "e7-josé-núñez.xlsx"),
        ("E7", "Jose\u0301", "e7-josé.xlsx"),  # the same name, decomposed, gives the same file
        ("E8", "李 小龙", "e8-李-小龙.xlsx"),
        ("../..", "etc/passwd", "etc-passwd.xlsx"),
        ("E9", 'a<b>c:d"e|f?g*h\\i', "e9-a-b-c-d-e-f-g-h-i.xlsx"),
        ("", "CON", "employee-con.xlsx"),
        ("", "...", "employee.xlsx"),
        ("E10", "x" * 200, "e10-" + "x" * (MAX_NAME - 4) + ".xlsx"),
        ("", "nul", "employee-nul.xlsx"),
        ("", "com1", "employee-com1.xlsx"),
        ("", "LPT0", "employee-lpt0.xlsx"),
        ("", "com\u00b9", "employee-com\u00b9.xlsx"),
        ("", "lpt\u00b3", "employee-lpt\u00b3.xlsx"),
        ("", "con x", "con-x.xlsx"),  # only the whole name is kept for a device
        ("E1", "\U00010000" * 79, "e1-" + "\U00010000" * 49 + ".xlsx"),  # 4 bytes each: 200
    ],
)
def test_tracker_names_are_safe_and_readable(employee_id: str, name: str, expected: str) -> None:
    assert tracker_name(employee_id, name) == expected


@given(st.text(max_size=40), st.text(max_size=120))
def test_any_id_and_name_give_a_safe_file_name(employee_id: str, name: str) -> None:
    file = tracker_name(employee_id, name)
    stem = file.removesuffix(".xlsx")
    assert file.endswith(".xlsx")
    assert re.fullmatch(r"[^\W_](?:[\w-]*[^\W_])?", stem), file
    assert "_" not in stem
    assert len(stem) <= MAX_NAME + len("employee-")
    assert len(file.encode("utf-8")) <= MAX_NAME_BYTES + len("employee-.xlsx")
    assert not is_reserved(stem)


def test_names_that_would_collide_get_numbered(here: Path, bundled: Catalog) -> None:
    text = HEADER + "E1,Ana,,,psr-i,\ne1,ana,,,psr-i,\nE1-,Ana,,,psr-i,\n"
    roster = load_roster(write(here, "roster.csv", text), bundled)
    assert tracker_names(roster.rows) == {
        "E1": "e1-ana.xlsx",
        "e1": "e1-ana-2.xlsx",
        "E1-": "e1-ana-3.xlsx",
    }


# --- building ---------------------------------------------------------------------------------


@pytest.fixture
def inputs(here: Path, bundled: Catalog) -> tuple[Path, Path]:
    course = bundled.roles["psr-ii"].courses[0].id
    roster = write(
        here,
        "roster.csv",
        HEADER
        + "E1,Ana Díaz,Lee,Reno,psr-ii,psr-iii\nE2,Bo,Lee,Reno,psr-x,\nE3,Cy,Lee,Reno,psr-i,\n",
    )
    done = write(here, "done.csv", f"employee_id,course_id,completed_on\nE1,{course},2025-10-08\n")
    return roster, done


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_employee_gets_a_prefilled_tracker(
    here: Path, bundled: Catalog, inputs: tuple[Path, Path], jobs: int
) -> None:
    roster, done = inputs
    report = build_roster(bundled, roster, here / "out", completions=done, jobs=jobs)
    assert lines(report.problems) == [
        "roster.csv:3: current_role: unknown role 'psr-x'; did you mean 'psr-i'?"
    ]
    assert sorted(path.name for path in report.written) == ["e1-ana-díaz.xlsx", "e3-cy.xlsx"]
    assert not report.ok
    ana = read_tracker(here / "out" / "e1-ana-díaz.xlsx", catalog=bundled)
    assert ana.problems == ()
    assert ana.role.id == "psr-ii"
    assert (ana.employee.name, ana.employee.employee_id, ana.employee.manager) == (
        "Ana Díaz",
        "E1",
        "Lee",
    )
    assert ana.employee.target_role == bundled.roles["psr-iii"].title
    course = bundled.roles["psr-ii"].courses[0].id
    assert ana.courses[course] == CourseEntry(Status.COMPLETED, completed_on=dt.date(2025, 10, 8))
    assert ana.role.target == "psr-iii"  # the target role gets its Next Role sheet
    cy = read_tracker(here / "out" / "e3-cy.xlsx", catalog=bundled)
    assert cy.role.id == "psr-i"
    assert cy.role.target == ""
    assert all(entry == CourseEntry() for entry in cy.courses.values())


def test_the_command_lists_problems_builds_the_rest_and_exits_1(
    inputs: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    roster, done = inputs
    code = main(["build", "--roster", str(roster), "--completions", str(done), "-o", "out"])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines() == [
        "roster.csv:3: current_role: unknown role 'psr-x'; did you mean 'psr-i'?",
        "out: 2 written, 0 unchanged, 0 skipped; 1 row of the input left out",
    ]
    again = main(["build", "--roster", str(roster), "--completions", str(done), "-o", "out"])
    assert capsys.readouterr().out.splitlines()[-1] == (
        "out: 0 written, 2 unchanged, 0 skipped; 1 row of the input left out"
    )
    assert again == 1


def test_a_tracker_with_entries_is_not_replaced_without_force(
    here: Path, bundled: Catalog, inputs: tuple[Path, Path]
) -> None:
    """A prefilled tracker may have been filled in since: a new export needs --force."""
    roster, done = inputs
    build_roster(bundled, roster, here / "out")
    report = build_roster(bundled, roster, here / "out", completions=done)
    assert report.written == []
    assert [str(skipped) for skipped in report.skipped] == [
        f"{here / 'out' / 'e1-ana-díaz.xlsx'}: this tracker has entries; it was left as it is "
        "(use force=True to replace it)"
    ]
    assert [p.name for p in report.unchanged] == ["e3-cy.xlsx"]  # the export changes nothing
    forced = build_roster(bundled, roster, here / "out", completions=done, force=True)
    assert [p.name for p in forced.written] == ["e1-ana-díaz.xlsx"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--roster", "r.csv", "--role", "psr-i"], "--role and --roster do not go together"),
        (["--completions", "c.csv"], "--completions needs --roster"),
    ],
)
def test_roster_options_that_do_not_go_together_are_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    assert main(["build", *argv]) == 2
    assert capsys.readouterr().err == f"trackerkit build: {message}\n"


def test_a_target_that_is_the_current_role_is_an_error(
    bundled: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster = write(tmp_path, "roster.csv", HEADER + "E1,Ana,Sam,Reno,psr-ii,psr-ii\n")
    loaded = load_roster(roster, bundled)
    assert loaded.rows == ()
    assert [str(p) for p in loaded.problems] == [
        "roster.csv:2: target_role: is the current role (psr-ii); give the role they aim at "
        "next, or leave it empty"
    ]


def test_a_target_beyond_the_next_roles_is_a_warning_naming_the_path(
    bundled: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    roster = write(
        tmp_path,
        "roster.csv",
        HEADER + "E1,Ana,Sam,Reno,psr-i,psr-iii\nE2,Lee,Sam,Reno,psr-iii,psr-i\n",
    )
    loaded = load_roster(roster, bundled)
    assert [row.target_id for row in loaded.rows] == ["psr-iii", "psr-i"]
    assert loaded.problems == ()
    assert [str(p) for p in loaded.warnings] == [
        "roster.csv:2: target_role: psr-iii is not a next role of psr-i (psr-ii); the path of "
        "next roles is psr-i -> psr-ii -> psr-iii; the tracker was made with it",
        "roster.csv:3: target_role: psr-i is not a next role of psr-iii (psr-iv-group-lead); "
        "no path of next roles leads from psr-iii to psr-i; the tracker was made with it",
    ]
    report = build_roster(bundled, roster, tmp_path / "out")
    assert len(report.written) == 2
    assert report.ok
    assert len(report.warnings) == 2
    tracker = read_tracker(report.written[0], catalog=bundled)
    assert tracker.readiness is not None
    assert tracker.readiness.target in {"psr-iii", "psr-i"}


def test_the_cli_prints_a_roster_warning_and_succeeds(
    bundled: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    del bundled
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "roster.csv", HEADER + "E1,Ana,Sam,Reno,psr-i,psr-iii\n")
    assert main(["build", "--roster", "roster.csv", "-o", "out"]) == 0
    out = capsys.readouterr().out
    assert "warning: roster.csv:2: target_role: psr-iii is not a next role of psr-i" in out
