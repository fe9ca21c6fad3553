"""Malformed roster and completions rows: each costs only its own line, and the counts are true.

Every file here is written by the test, byte by byte, the way a careless export or a
hostile person would leave it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from expected_codes import ROSTER, expected_code
from trackerkit import read_tracker
from trackerkit.cli import main
from trackerkit.problem_codes import Code
from trackerkit.roster import load_completions, load_roster

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog

HEADER = "employee_id,name,manager,location,current_role,target_role\n"
HUGE = "x" * 200_000
"""Longer than the csv module's field limit (131,072), which stopped the whole file."""
LONG = "y" * 40_000
"""Within the csv module's limit, longer than a cell holds (32,767)."""

BAD_ROWS = {
    "stray quote": 'E{n},"Bo" Li,,,psr-i,',
    "unclosed quote": 'E{n},"Bo Li,,,psr-i,',
    "huge cell": f"E{{n}},{HUGE},,,psr-i,",
    "long name": f"E{{n}},{LONG},,,psr-i,",
    "extra cells": "E{n},Bo,,,psr-i,,surplus",
    "unknown role": "E{n},Bo,,,psr-x,",
    "two faults": ",Bo,,,psr-x,",
}
"""Rows that must be left out, each named by its own line; ``{n}`` keeps ids apart."""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lines(problems: object) -> list[str]:
    return [str(problem) for problem in problems]  # type: ignore[attr-defined]


def roster_text() -> tuple[str, list[int]]:
    """A roster whose bad rows sit between good ones, and the lines of the bad rows."""
    body, bad = [], []
    for n, kind in enumerate(BAD_ROWS, start=1):
        body.append(f"G{n},Good {n},,,psr-ii,")
        body.append(BAD_ROWS[kind].format(n=n))
        bad.append(2 * n + 1)  # line 1 is the header
    body.append("G99,Last One,,,psr-i,")
    return HEADER + "\n".join(body) + "\n", bad


def test_each_bad_roster_row_is_named_and_every_other_row_kept(
    here: Path, bundled: Catalog
) -> None:
    text, bad = roster_text()
    (here / "roster.csv").write_text(text, encoding="utf-8", newline="")
    roster = load_roster("roster.csv", bundled)
    assert [row.employee.employee_id for row in roster.rows] == [
        *(f"G{n}" for n in range(1, len(BAD_ROWS) + 1)),
        "G99",
    ]
    assert sorted({problem.line or 0 for problem in roster.problems}) == bad
    found = lines(roster.problems)
    assert found[0] == (
        "roster.csv:3: the row is not valid CSV (',' expected after '\"'); a cell that starts "
        'with a quote must end with one, and a quote inside it is written twice ("")'
    )
    assert found[1] == (
        "roster.csv:5: the row is not valid CSV (a quote is never closed); a cell that starts "
        'with a quote must end with one, and a quote inside it is written twice ("")'
    )
    assert found[2] == (
        "roster.csv:7: a cell of the row holds more than 131,072 characters; a spreadsheet "
        "cell holds at most 32,767, so shorten it"
    )
    assert found[3] == (
        "roster.csv:9: name: the value holds 40,000 characters; a spreadsheet cell holds at "
        "most 32,767, so shorten it"
    )
    for problem in roster.problems:
        assert problem.code is expected_code(problem.message, ROSTER), problem
    assert {p.code for p in roster.problems if p.line in (7, 9)} == {Code.ROSTER_TOO_LONG}


def test_the_command_builds_the_good_rows_and_counts_the_rows_left_out(
    here: Path, bundled: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    text, bad = roster_text()
    (here / "roster.csv").write_text(text, encoding="utf-8", newline="")
    code = main(["build", "--roster", "roster.csv", "-o", "out"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    good = len(BAD_ROWS) + 1
    # the row with two faults is two problems, but one row left out
    assert (
        out[-1]
        == f"out: {good} written, 0 unchanged, 0 skipped; {len(bad)} rows of the input left out"
    )
    assert len(out) == len(bad) + 2  # one line per problem, two for the row with two faults
    assert [line.split(":")[1] for line in out[:-1]] == [
        str(line) for line in bad for _ in range(2 if line == bad[-1] else 1)
    ]
    written = sorted(path.name for path in (here / "out").iterdir())
    assert len(written) == good
    last = read_tracker(here / "out" / "g99-last-one.xlsx", catalog=bundled)
    assert (last.employee.employee_id, last.employee.name) == ("G99", "Last One")


def test_a_stray_quote_that_pairs_with_one_lines_below_merges_no_rows(
    here: Path, bundled: Catalog
) -> None:
    """The merged record is as wide as the header: only the line break it puts into the
    name gives it away."""
    text = HEADER + 'E1,"Ann,,,psr-i,\nE2,Bo,,,psr-i,\nE3,Cat",,,psr-i,\nE4,Dee,,,psr-i,\n'
    (here / "roster.csv").write_text(text, encoding="utf-8", newline="")
    roster = load_roster("roster.csv", bundled)
    assert [row.employee.employee_id for row in roster.rows] == ["E2", "E3", "E4"]
    assert [problem.line for problem in roster.problems] == [2]
    assert lines(roster.problems)[0] == (
        "roster.csv:2: the row is not valid CSV (a quote opened on this line closes on line 4); "
        "a cell that starts with a quote must end with one, and a quote inside it is written "
        'twice ("")'
    )


def test_a_line_break_is_kept_in_a_column_trackerkit_does_not_use(
    here: Path, bundled: Catalog
) -> None:
    text = 'employee_id,name,current_role,notes\nE1,Ann,psr-i,"two\nlines"\nE2,Bo,psr-i,\n'
    (here / "roster.csv").write_text(text, encoding="utf-8", newline="")
    roster = load_roster("roster.csv", bundled)
    assert roster.problems == ()
    assert [row.employee.employee_id for row in roster.rows] == ["E1", "E2"]


def test_bad_completion_rows_cost_only_their_own_lines(here: Path, bundled: Catalog) -> None:
    (here / "roster.csv").write_text(HEADER + "E1,Ana,,,psr-ii,\n", encoding="utf-8")
    roster = load_roster("roster.csv", bundled)
    first, second, third = (course.id for course in bundled.roles["psr-ii"].courses[:3])
    text = (
        "employee_id,course_id,completed_on\n"
        f'E1,"{first}" x,2026-01-05\n'
        f"E1,{second},2026-01-06\n"
        f"E1,{HUGE},2026-01-07\n"
        f'E1,"{third},2026-01-08\n'
        f"E1,{third},2026-01-09\n"
    )
    (here / "done.csv").write_text(text, encoding="utf-8")
    done = load_completions("done.csv", bundled, roster)
    assert [problem.line for problem in done.problems] == [2, 4, 5]
    assert set(done.courses["E1"]) == {second, third}
    assert str(done.courses["E1"][third].completed_on) == "2026-01-09"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("\ufeffemployee_id;name;current_role\r\nE1;Díaz, Ana;psr-i\r\n", "utf-8"),
        ("employee_id\tname\tcurrent_role\nE1\tDíaz, Ana\tpsr-i\n", "utf-8"),
        ("employee_id\tname\tcurrent_role\r\nE1\tDíaz, Ana\tpsr-i\r\n", "utf-16"),
    ],
    ids=["bom-semicolons", "tabs", "excel-unicode-text"],
)
def test_excel_separators_and_marks_are_read_correctly(
    here: Path, bundled: Catalog, text: str, encoding: str
) -> None:
    (here / "roster.csv").write_bytes(text.encode(encoding))
    roster = load_roster("roster.csv", bundled)
    assert roster.problems == ()
    assert [(r.employee.employee_id, r.employee.name, r.role_id) for r in roster.rows] == [
        ("E1", "Díaz, Ana", "psr-i")
    ]


def test_latin_1_bytes_are_one_clear_line(here: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = HEADER + "E1,Ana,,,psr-i,\nE2,José,,,psr-i,\n"
    (here / "roster.csv").write_bytes(text.encode("latin-1"))
    assert main(["build", "--roster", "roster.csv", "-o", "out"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "roster.csv:3: is not UTF-8 text; save it from Excel as 'CSV UTF-8 (Comma delimited)'",
        "out: 0 written, 0 unchanged, 0 skipped; roster.csv not read",
    ]
    assert not (here / "out").exists() or not any((here / "out").iterdir())


# --- the property: good rows built, bad lines named, whatever the mix -------------------------

_WORD = st.text(alphabet="abcdefghij XYZ'-", min_size=1, max_size=12).filter(str.strip)
_QUOTED = st.text(alphabet='abc ,;"', min_size=1, max_size=12).filter(
    lambda s: s.strip() and s.strip()[0] not in '",;'
)
"""A cell that needs quotes (separators, quotes), as Excel writes it; a name is one line.
It does not start with a separator: a stray quote above it pairs with its opening quote,
and only a separator just after that quote could let the pair pass for a cell
(docs/safety.md)."""


@st.composite
def _good_row(draw: st.DrawFn, n: int) -> tuple[str, str]:
    name = draw(st.one_of(_WORD, _QUOTED)).strip()
    cell = '"' + name.replace('"', '""') + '"' if set(name) & set(',;"') else name
    role = draw(st.sampled_from(["psr-i", "psr-ii", "psr-iii"]))
    return f"G{n},{cell},,,{role},", name


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    kinds=st.lists(st.one_of(st.none(), st.sampled_from(sorted(BAD_ROWS))), max_size=14),
    data=st.data(),
)
def test_any_mix_builds_exactly_the_good_rows_and_names_exactly_the_bad_lines(
    here: Path, bundled: Catalog, kinds: list[str | None], data: st.DataObject
) -> None:
    text, line = HEADER, 2
    good: dict[str, str] = {}
    bad: set[int] = set()
    for n, kind in enumerate(kinds):
        if kind is None:
            row, name = data.draw(_good_row(n))
            good[f"G{n}"] = name
        else:
            row = BAD_ROWS[kind].format(n=f"B{n}")
            bad.add(line)
        text += row + "\n"
        line += row.count("\n") + 1
    (here / "roster.csv").write_text(text, encoding="utf-8", newline="")
    roster = load_roster("roster.csv", bundled)
    assert {r.employee.employee_id: r.employee.name for r in roster.rows} == good
    assert {problem.line for problem in roster.problems} == bad


def test_bad_completion_rows_are_counted_as_rows_and_the_good_ones_filled_in(
    here: Path, bundled: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "roster.csv").write_text(HEADER + "E1,Ana,,,psr-ii,\nE2,Bo,,,psr-ii,\n", "utf-8")
    course = bundled.roles["psr-ii"].courses[0].id
    (here / "done.csv").write_text(
        "employee_id,course_id,completed_on\n"
        f'E1,"{course}" x,2026-01-05\n'  # a stray quote
        "E9,no-such-course,soon\n"  # three problems, one row
        f"E2,{HUGE},2026-01-07\n"
        f"E2,{course},2026-01-08\n",
        "utf-8",
    )
    code = main(["build", "--roster", "roster.csv", "--completions", "done.csv", "-o", "out"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert [line.split(":")[:2] for line in out[:-1]] == [
        ["done.csv", "2"],
        ["done.csv", "3"],
        ["done.csv", "3"],
        ["done.csv", "3"],
        ["done.csv", "4"],
    ]
    assert out[-1] == "out: 2 written, 0 unchanged, 0 skipped; 3 rows of the input left out"
    bo = read_tracker(here / "out" / "e2-bo.xlsx", catalog=bundled)
    assert str(bo.courses[course].completed_on) == "2026-01-08"


def test_a_long_value_in_a_column_trackerkit_does_not_use_is_no_problem(
    here: Path, bundled: Catalog
) -> None:
    text = f"employee_id,name,current_role,notes\nE1,Ana,psr-i,{LONG}\nE2,{LONG},psr-i,\n"
    (here / "roster.csv").write_text(text, encoding="utf-8")
    roster = load_roster("roster.csv", bundled)
    assert [row.employee.employee_id for row in roster.rows] == ["E1"]
    assert lines(roster.problems) == [
        "roster.csv:3: name: the value holds 40,000 characters; a spreadsheet cell holds at "
        "most 32,767, so shorten it"
    ]
