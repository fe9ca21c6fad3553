"""Bringing a later learning-system export into trackers people have already filled in.

Only the courses the export completes change; the tracker's own value wins a
conflict, named at its cell; everything else read before is read after.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from expected_codes import ROSTER, expected_code
from fills import google_export, open_book, put
from strategies import PAST, catalogs, entries_for
from test_upgrade import changed
from trackerkit import (
    CourseEntry,
    Employee,
    Entries,
    Severity,
    Status,
    build_tracker,
    read_tracker,
    update_trackers,
)
from trackerkit import layout as lay
from trackerkit.cli import main
from trackerkit.codecs import EARLIEST_DATE
from trackerkit.problem_codes import Code

if TYPE_CHECKING:
    from trackerkit import Catalog, FilledTracker, Role

Row = tuple[str, str, dt.date]
"""An export's row: employee id, course id, completion day."""
DAY = dt.date(2026, 3, 1)
"""The day the export says the courses were completed."""


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory, so paths print short."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def role(bundled: Catalog) -> Role:
    return bundled.roles["psr-ii"]


def ids(role: Role) -> list[str]:
    """The role's courses, those that must be renewed last: a later completion of those is
    the course taken again, never a conflict."""
    return [
        item.id for item in sorted(role.courses, key=lambda i: i.course.renew_every_months or 0)
    ]


def renewed(role: Role) -> list[str]:
    return [item.id for item in role.courses if item.course.renew_every_months]


@pytest.fixture
def entries(role: Role) -> Entries:
    """Ana's tracker: one course of each kind the rules tell apart, and more typed around."""
    c = ids(role)
    return Entries(
        employee=Employee(name="Ana Díaz", employee_id="E1", manager="Lee Park"),
        courses=MappingProxyType(
            {
                c[0]: CourseEntry(Status.WAIVED, notes="done at my last job"),
                c[1]: CourseEntry(Status.COMPLETED, completed_on=dt.date(2025, 1, 10)),
                c[2]: CourseEntry(Status.PLANNED, target_date=dt.date(2026, 6, 30), notes="Q2"),
                c[3]: CourseEntry(Status.COMPLETED, completed_on=DAY),
                c[4]: CourseEntry(Status.IN_PROGRESS, completed_on=dt.date(2026, 4, 2)),
                c[5]: CourseEntry(Status.COMPLETED),
            }
        ),
    )


@pytest.fixture
def tracker(role: Role, entries: Entries, here: Path, bundled: Catalog) -> Path:
    """Ana's tracker as ``trackerkit build`` makes it: its role's next roles offered."""
    return build_tracker(
        role, here / "in" / "ana.xlsx", employee=entries, next_roles=bundled.next_roles(role)
    )


def export(here: Path, rows: list[str], name: str = "done.csv") -> Path:
    header = "employee_id,course_id,completed_on"
    (here / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return Path(name)


def every_course(role: Role, day: dt.date = DAY) -> list[str]:
    """A row completing each of the role's first seven courses for E1, on ``day``."""
    return [f"E1,{course},{day.isoformat()}" for course in ids(role)[:7]]


def cell_of(role: Role, bundled: Catalog, course: str, key: str) -> str:
    """The A1 address of a course's cell, found through the layout as a person finds it."""
    table = lay.layout_for(role, next_roles=bundled.next_roles(role)).courses
    return f"{table.letter(key)}{table.row(course) + 1}"


# --- the rules, course by course ---------------------------------------------------------------


@pytest.mark.usefixtures("tracker")
def test_a_course_the_lms_completed_becomes_completed_and_keeps_its_target_and_notes(
    role: Role, here: Path, bundled: Catalog
) -> None:
    c = ids(role)
    report = update_trackers(["in"], export(here, every_course(role)), "out", catalog=bundled)
    (result,) = report.results
    assert result.outcome == "updated"
    # c[2] was planned, c[5] Completed without a day, c[6] untouched: all take the export's day
    assert result.completed == (c[2], c[5], c[6])
    after = read_tracker(here / "out" / "ana.xlsx", catalog=bundled)
    assert after.courses[c[2]] == CourseEntry(
        Status.COMPLETED, target_date=dt.date(2026, 6, 30), completed_on=DAY, notes="Q2"
    )
    assert after.courses[c[5]] == CourseEntry(Status.COMPLETED, completed_on=DAY)
    assert after.courses[c[6]] == CourseEntry(Status.COMPLETED, completed_on=DAY)


@pytest.mark.usefixtures("tracker")
def test_each_conflict_names_its_cell_and_the_trackers_value_stays(
    role: Role, entries: Entries, here: Path, bundled: Catalog
) -> None:
    c = ids(role)
    report = update_trackers(["in"], export(here, every_course(role)), "out", catalog=bundled)
    (result,) = report.results
    checklist = "'Course Checklist'!"
    assert [str(conflict) for conflict in result.conflicts] == [
        f"{checklist}{cell_of(role, bundled, c[0], 'status')}: warning: the tracker has Waived; "
        "the export (done.csv:2) says Completed on 2026-03-01; the tracker's value was kept: "
        "correct whichever is wrong",
        f"{checklist}{cell_of(role, bundled, c[1], 'completed_on')}: warning: the tracker has "
        "Completed on 2025-01-10; the export (done.csv:3) says Completed on 2026-03-01; the "
        "tracker's value was kept: correct whichever is wrong",
        f"{checklist}{cell_of(role, bundled, c[4], 'completed_on')}: warning: the tracker has "
        "In progress with a completion date of 2026-04-02; the export (done.csv:6) says "
        "Completed on 2026-03-01; the tracker's value was kept: correct whichever is wrong",
    ]
    for conflict in result.conflicts:
        assert conflict.code is expected_code(conflict.message, ROSTER) is Code.COMPLETIONS_CONFLICT
        assert conflict.severity is Severity.WARNING
    after = read_tracker(here / "out" / "ana.xlsx", catalog=bundled)
    for course in (c[0], c[1], c[3], c[4]):  # the conflicts, and the day already there
        assert after.courses[course] == entries.course(course)
    # The cells named hold what the tracker kept, in the file written.
    sheet = open_book(here / "out" / "ana.xlsx")[lay.CHECKLIST]
    assert sheet[cell_of(role, bundled, c[0], "status")].value == "Waived"
    assert sheet[cell_of(role, bundled, c[1], "completed_on")].value.date() == dt.date(2025, 1, 10)


def test_an_earlier_completion_in_the_tracker_is_overtaken_unless_it_is_completed(
    role: Role, here: Path, bundled: Catalog
) -> None:
    """A day in the tracker before the export's, at a status other than Completed, is no
    later completion: the export's day goes in."""
    course = ids(role)[0]
    early = CourseEntry(Status.IN_PROGRESS, completed_on=dt.date(2026, 1, 5))
    build_tracker(
        role,
        here / "in" / "ana.xlsx",
        employee=Entries(Employee(employee_id="E1"), courses=MappingProxyType({course: early})),
        next_roles=bundled.next_roles(role),
    )
    report = update_trackers(
        ["in"], export(here, [f"E1,{course},2026-03-01"]), "out", catalog=bundled
    )
    assert report.results[0].conflicts == ()
    after = read_tracker(here / "out" / "ana.xlsx", catalog=bundled)
    assert after.courses[course] == CourseEntry(Status.COMPLETED, completed_on=DAY)


def test_a_renewal_taken_again_goes_in_and_an_older_one_is_a_conflict(
    role: Role, here: Path, bundled: Catalog
) -> None:
    """Completed last year, due again this year: the learning system's new day is the
    course taken again. A day before the tracker's is still a conflict."""
    again, older = renewed(role)[:2]
    typed = {
        again: CourseEntry(Status.COMPLETED, completed_on=dt.date(2025, 1, 10), notes="yearly"),
        older: CourseEntry(Status.COMPLETED, completed_on=dt.date(2026, 4, 2)),
    }
    build_tracker(
        role,
        here / "in" / "ana.xlsx",
        employee=Entries(Employee(employee_id="E1"), courses=MappingProxyType(typed)),
        next_roles=bundled.next_roles(role),
    )
    rows = [f"E1,{again},2026-03-01", f"E1,{older},2026-03-01"]
    report = update_trackers(["in"], export(here, rows), "out", catalog=bundled)
    (result,) = report.results
    assert result.completed == (again,)
    assert [(p.item, p.field) for p in result.conflicts] == [(older, "courses.completed_on")]
    after = read_tracker(here / "out" / "ana.xlsx", catalog=bundled)
    assert after.courses[again] == CourseEntry(Status.COMPLETED, None, DAY, "yearly")
    assert after.courses[older] == typed[older]


@pytest.mark.usefixtures("tracker")
def test_the_latest_completion_of_a_course_counts(role: Role, here: Path, bundled: Catalog) -> None:
    course = ids(role)[6]
    rows = [f"E1,{course},2026-02-01", f"E1,{course},2026-02-20", f"E1,{course},2026-01-01"]
    update_trackers(["in"], export(here, rows), "out", catalog=bundled)
    after = read_tracker(here / "out" / "ana.xlsx", catalog=bundled)
    assert after.courses[course].completed_on == dt.date(2026, 2, 20)


def test_a_course_only_the_next_role_requires_is_completed_on_the_next_role_sheet(
    role: Role, here: Path, bundled: Catalog
) -> None:
    extra = lay.extra_courses(role, bundled.next_roles(role))[0]
    build_tracker(
        role,
        here / "in" / "ana.xlsx",
        employee=Entries(Employee(employee_id="E1")),
        next_roles=bundled.next_roles(role),
    )
    report = update_trackers(
        ["in"], export(here, [f"E1,{extra},2026-03-01"]), "out", catalog=bundled
    )
    assert report.results[0].completed == (extra,)
    assert report.warnings == ()
    after = read_tracker(here / "out" / "ana.xlsx", catalog=bundled)
    assert after.courses[extra] == CourseEntry(Status.COMPLETED, completed_on=DAY)


def test_a_tracker_saved_by_google_sheets_is_updated_too(
    role: Role, entries: Entries, tracker: Path, here: Path, bundled: Catalog
) -> None:
    """Names, validations and hidden sheets gone: read by its headers, written anew whole."""
    google_export(tracker, tracker)
    report = update_trackers(["in"], export(here, every_course(role)), "out", catalog=bundled)
    assert report.results[0].completed == tuple(ids(role)[i] for i in (2, 5, 6))
    after = read_tracker(here / "out" / "ana.xlsx", catalog=bundled)
    assert after.courses[ids(role)[0]] == entries.course(ids(role)[0])
    assert after.courses[ids(role)[6]] == CourseEntry(Status.COMPLETED, completed_on=DAY)
    assert all(problem.code is not Code.NAMES_LOST for problem in after.problems)


# --- rows no tracker takes ----------------------------------------------------------------------


@pytest.mark.usefixtures("tracker")
def test_rows_no_tracker_takes_are_listed_with_their_line_and_code(
    role: Role, here: Path, bundled: Catalog
) -> None:
    outside = next(c for c in bundled.courses if c not in ids(role))
    course = ids(role)[6]
    text = (
        "employee_id,course_id,completed_on,status\n"
        f"E1,{course},2026-03-01,\n"
        f"E1,{outside},2026-03-01,\n"
        f"E7,{course},2026-03-01,\n"
        f"E1,{course},soon,\n"
        f"E1,{course},2026-03-01,Waived\n"
    )
    (here / "done.csv").write_text(text, encoding="utf-8")
    report = update_trackers(["in"], "done.csv", "out", catalog=bundled)
    assert [str(problem) for problem in report.problems] == [
        'done.csv:5: completed_on: "soon" is not a date; enter a date such as 2026-03-31'
    ]
    assert [str(warning) for warning in report.warnings] == [
        f"done.csv:3: course_id: {outside!r} is not a course of psr-ii, so E1's tracker has no "
        "row for it; the row was left out",
        "done.csv:4: employee_id: 'E7': none of the trackers updated is theirs (by the Employee "
        "ID on Start Here); the row was left out",
        "done.csv:6: status: the status is Waived; an update brings in completions only, so the "
        "row was left out",
    ]
    for problem in (*report.problems, *report.warnings):
        assert problem.code is expected_code(problem.message, ROSTER)
    assert report.results[0].completed == (ids(role)[6],)
    assert not report.ok
    assert report.summary() == (
        "1 updated, 0 unchanged, 0 skipped; 0 conflicts; 1 row of the export left out"
    )


@pytest.mark.usefixtures("tracker")
def test_a_tracker_the_export_brings_nothing_new_to_is_left_alone(
    role: Role, here: Path, bundled: Catalog
) -> None:
    rows = [f"E1,{ids(role)[3]},2026-03-01", f"E2,{ids(role)[6]},2026-03-01"]
    report = update_trackers(["in"], export(here, rows), "out", catalog=bundled)
    (result,) = report.results
    assert (result.outcome, result.line()) == (
        "unchanged",
        f"{Path('in') / 'ana.xlsx'}: nothing new in the export; left as it is",
    )
    assert not (here / "out").exists()


def test_a_tracker_without_an_employee_id_is_left_alone_and_says_why(
    role: Role, here: Path, bundled: Catalog
) -> None:
    build_tracker(role, here / "in" / "x.xlsx", next_roles=bundled.next_roles(role))
    report = update_trackers(["in"], export(here, every_course(role)), "out", catalog=bundled)
    assert report.results[0].line() == (
        f"{Path('in') / 'x.xlsx'}: no Employee ID on Start Here to find it in the export by; "
        "left as it is"
    )
    assert len(report.warnings) == 7  # every row: no tracker is E1's


# --- trackers that are not updated --------------------------------------------------------------


@pytest.mark.usefixtures("tracker")
def test_a_tracker_of_an_earlier_role_version_is_upgraded_first(
    role: Role, here: Path, bundled: Catalog
) -> None:
    catalog, _ = changed(bundled, role)
    report = update_trackers(["in"], export(here, every_course(role)), "out", catalog=catalog)
    assert report.results[0].line() == (
        f"{Path('in') / 'ana.xlsx'}: made from an earlier version of psr-ii (or of its next "
        "roles, or of trackerkit); upgrade it first (trackerkit upgrade), then update it"
    )
    assert not report.ok


def test_a_tracker_with_an_unreadable_entry_is_skipped(
    role: Role, tracker: Path, here: Path, bundled: Catalog
) -> None:
    book = open_book(tracker)
    table = lay.layout_for(role).courses
    put(book[lay.CHECKLIST], table.row(ids(role)[6]), table.col("status"), "Done")
    book.save(tracker)
    report = update_trackers(["in"], export(here, every_course(role)), "out", catalog=bundled)
    assert report.results[0].line() == (
        f"{Path('in') / 'ana.xlsx'}: 1 entry cannot be read, so it was not updated; fix what "
        "'trackerkit read' lists, then update again"
    )


# --- the command ---------------------------------------------------------------------------------


@pytest.mark.usefixtures("tracker")
def test_the_command_prints_each_file_its_conflicts_and_a_summary(
    role: Role, here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export(here, every_course(role))
    code = main(["update", "in", "--completions", "done.csv", "-o", "out"])
    captured = capsys.readouterr()
    assert code == 0  # conflicts are for a person to settle, not a failure
    assert captured.out.splitlines() == [
        "in/ana.xlsx -> out/ana.xlsx: 3 courses completed, 3 conflicts"
    ]
    err = captured.err.splitlines()
    assert len(err) == 4
    for line in err[:3]:  # each conflict with the file written, sheet and cell
        assert line.startswith("out/ana.xlsx: 'Course Checklist'!")
        assert ": warning: the tracker has " in line
    assert err[3] == "1 updated, 0 unchanged, 0 skipped; 3 conflicts"


def test_updating_in_place_needs_force_and_then_changes_only_the_merged_courses(
    role: Role, tracker: Path, here: Path, bundled: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    export(here, every_course(role))
    before_bytes = tracker.read_bytes()
    before = read_tracker(tracker, catalog=bundled)
    assert main(["update", "in", "--completions", "done.csv", "-o", "in"]) == 1
    assert (
        "in/ana.xlsx: this tracker has entries; it was left as it is (use --force to replace it)"
        in (capsys.readouterr().err)
    )
    assert tracker.read_bytes() == before_bytes
    assert main(["update", "in", "--completions", "done.csv", "-o", "in", "--force"]) == 0
    after = read_tracker(tracker, catalog=bundled)
    merged = {ids(role)[i] for i in (2, 5, 6)}
    changed_courses = {k for k in before.courses if after.courses[k] != before.courses[k]}
    assert changed_courses == merged
    assert after.generated_on == before.generated_on
    assert holds_besides_courses(after) == holds_besides_courses(before)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["in", "in2/b.xlsx", "-o", "one.xlsx"],
            "trackerkit update: -o one.xlsx names one workbook, but 2 trackers are updated; "
            "give a folder",
        ),
        (
            ["in", "-o", "done.csv"],
            "trackerkit update: -o done.csv is a file, not a folder; give a folder or a .xlsx name",
        ),
    ],
)
@pytest.mark.usefixtures("tracker")
def test_output_that_cannot_hold_the_trackers_is_a_usage_error(
    role: Role, here: Path, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    build_tracker(role, here / "in2" / "b.xlsx")
    export(here, every_course(role))
    assert main(["update", *argv, "--completions", "done.csv"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == message


@pytest.mark.usefixtures("tracker")
def test_one_tracker_may_be_written_to_a_file_name(
    role: Role, here: Path, bundled: Catalog
) -> None:
    export(here, every_course(role))
    assert main(["update", "in/ana.xlsx", "--completions", "done.csv", "-o", "ana-new.xlsx"]) == 0
    assert (
        read_tracker(here / "ana-new.xlsx", catalog=bundled).courses[ids(role)[6]].completed_on
        == DAY
    )


@pytest.mark.usefixtures("tracker")
def test_an_export_that_cannot_be_read_updates_nothing_and_exits_1(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (here / "done.csv").write_bytes(b"employee_id,course\n")
    assert main(["update", "in", "--completions", "done.csv", "-o", "out"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        "done.csv:1: the header has no course_id, completed_on column; the columns are "
        "employee_id, course_id, completed_on, status",
        "0 updated, 0 unchanged, 0 skipped; 0 conflicts; done.csv not read",
    ]
    assert not (here / "out").exists()


# --- the property: nothing typed is lost, exactly the allowed courses are set -------------------


def expected(before: CourseEntry, day: dt.date | None, renews: bool) -> tuple[CourseEntry, bool]:
    """What the issue's rule makes of a course the tracker holds as ``before`` when the
    export's latest completion of it is ``day``: the entry after, and whether it conflicts.
    A course that ``renews``, completed earlier, was taken again."""
    if day is None:
        return before, False
    if before.status is Status.WAIVED:
        return before, True
    if before.completed_on is not None and before.completed_on > day:
        return before, True
    # A day before the export's: a conflict when Completed, unless the course renews.
    if before.status is Status.COMPLETED and before.completed_on not in (None, day) and not renews:
        return before, True
    return replace(before, status=Status.COMPLETED, completed_on=day), False


def holds_besides_courses(tracker: FilledTracker) -> dict[str, Any]:
    """What ``read`` gives besides the courses: readiness and problems follow from them."""
    data = tracker.to_dict()
    return {k: v for k, v in data.items() if k not in ("file", "courses", "problems", "readiness")}


@st.composite
def exports(draw: st.DrawFn, catalog: Catalog, role: Role, entries: Entries) -> list[Row]:
    """Rows of an export, for E1 and for someone else: mostly of the role's courses, any of
    the catalog's too, on any day or on a day the tracker already holds."""
    if not catalog.courses:
        return []
    courses = st.sampled_from(sorted(catalog.courses))
    for ids_first in ([item.id for item in role.courses], sorted(entries.courses)):
        if ids_first:  # the courses the person typed in most often: where conflicts are
            courses = st.sampled_from(ids_first) | courses
    held = sorted({e.completed_on for e in entries.courses.values() if e.completed_on})
    days = st.dates(EARLIEST_DATE, PAST) | (st.sampled_from(held) if held else st.nothing())
    row = st.tuples(st.sampled_from(["E1", "E1", "E1", "E2"]), courses, days)
    return draw(st.lists(row, max_size=12))


@settings(max_examples=60)
@given(st.data())
def test_an_update_loses_nothing_typed_and_sets_exactly_the_allowed_courses(
    data: st.DataObject,
) -> None:
    catalog = data.draw(catalogs())
    with_courses = sorted(key for key, role in catalog.roles.items() if role.courses)
    role = catalog.roles[data.draw(st.sampled_from(with_courses or sorted(catalog.roles)))]
    typed = data.draw(entries_for(role, max_steps=9))
    entries = replace(typed, employee=replace(typed.employee, employee_id="E1"))
    rows = data.draw(exports(catalog, role, entries))
    with tempfile.TemporaryDirectory() as folder:
        here = Path(folder)
        old = build_tracker(
            role, here / "in" / "t.xlsx", employee=entries, next_roles=catalog.next_roles(role)
        )
        (here / "done.csv").write_text(
            "employee_id,course_id,completed_on\n"
            + "".join(f"{who},{course},{day.isoformat()}\n" for who, course, day in rows),
            encoding="utf-8",
        )
        before = read_tracker(old, catalog=catalog)
        report = update_trackers([old], here / "done.csv", here / "out", catalog=catalog)
        (result,) = report.results
        written = here / "out" / "t.xlsx"
        after = read_tracker(written, catalog=catalog) if written.exists() else before
    latest: dict[str, dt.date] = {}
    for who, course, day in rows:
        if who == "E1":
            latest[course] = max(day, latest.get(course, day))
    renews = {
        c.id
        for r in (role, *catalog.next_roles(role))
        for c in r.courses
        if c.course.renew_every_months
    }
    wanted = {c: expected(e, latest.get(c), c in renews) for c, e in before.courses.items()}
    assert dict(after.courses) == {c: entry for c, (entry, _) in wanted.items()}
    assert {p.item for p in result.conflicts} == {c for c, (_, clash) in wanted.items() if clash}
    set_now = {c for c, (entry, _) in wanted.items() if entry != before.courses[c]}
    assert set(result.completed) == set_now
    assert result.outcome == ("updated" if set_now else "unchanged")
    event(f"{result.outcome}, {'some' if result.conflicts else 'no'} conflicts")
    assert holds_besides_courses(after) == holds_besides_courses(before)
    assert after.entries.archive == before.entries.archive
    assert after.errors == ()
    # Every row for someone else, or of a course the tracker has no row for, is named.
    assert len(report.warnings) == sum(w != "E1" or c not in before.courses for w, c, _ in rows)
