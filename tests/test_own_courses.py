"""Own courses: the "Your own courses" rows, from the checklist to every output that lists them;
and rows a person inserts inside the checklist, in LibreOffice and in a file shaped as Excel
leaves it."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fills import fill, open_book, put
from strategies import catalogs, own_courses
from test_parity import _a1, mismatches
from trackerkit import (
    CourseEntry,
    Employee,
    Entries,
    OwnCourse,
    Severity,
    Status,
    TrackerError,
    TrackerOptions,
    build_tracker,
    read_tracker,
    team_report,
    why_filled,
    write_report,
)
from trackerkit import layout as lay
from trackerkit.entries import OWN_COURSE_ROWS
from trackerkit.export import to_csv
from trackerkit.figures import compute, readiness
from trackerkit.problem_codes import Code
from trackerkit.reader import ReadReport
from trackerkit.report_data import TeamReport
from trackerkit.report_layout import own_table
from trackerkit.upgrade import carry
from trackerkit.writer import tracker_bytes

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from libreoffice import Calc
    from trackerkit import Catalog, FilledTracker, Role

DAY = dt.date(2026, 6, 1)
"""The day these tests read as of."""
OWN = (
    OwnCourse(
        "Excel for Everyone",
        "xl-101",
        "Community college",
        2.5,
        Status.COMPLETED,
        completed_on=dt.date(2026, 3, 2),
    ),
    OwnCourse("Medical Spanish", "", "", 3.0, Status.PLANNED, target_date=dt.date(2026, 5, 1)),
    OwnCourse("Conference day", provider="ASCP", hours=None, status=Status.WAIVED),
    OwnCourse("CPR refresher", "cpr", "Red Cross", 0.5, Status.IN_PROGRESS, notes="=not a formula"),
)
"""Every status that counts differently: completed hours, planned and in-progress hours, a
waived course with no hours, one planned and late (overdue on :data:`DAY`)."""


@pytest.fixture
def role(bundled: Catalog) -> Role:
    return bundled.roles["psr-i"]


def own_entries(own: tuple[OwnCourse, ...] = OWN) -> Entries:
    return Entries(employee=Employee(name="Ana Diaz"), own_courses=own)


def read(path: Path, catalog: Catalog) -> FilledTracker:
    return read_tracker(path, catalog=catalog, as_of=DAY)


def cell_messages(tracker: FilledTracker) -> list[tuple[Code, str | None, str | None]]:
    return [(p.code, p.sheet, p.cell) for p in tracker.problems]


def edited(path: Path, out: Path, edit: Callable[[Any], None]) -> Path:
    """The tracker at ``path`` with its checklist edited by ``edit`` (openpyxl), as ``out``."""
    book = open_book(path)
    edit(book[lay.CHECKLIST])
    book.save(out)
    return out


# --- reading and writing ----------------------------------------------------------------------


def test_a_blank_tracker_has_its_own_course_rows_and_reads_none(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    path = build_tracker(role, tmp_path / "blank.xlsx")
    own = lay.layout_for(role).own_courses
    assert len(own.ids) >= 5
    sheet = open_book(path)[lay.CHECKLIST]
    title = sheet.cell(own.header_row - 1, 1).value
    assert title == "Your own courses"
    for column in own.columns:  # every input of the rows is open to type in
        if column.kind.is_input:
            cell = sheet.cell(own.first_row + 1, own.col(column.key) + 1)
            assert cell.protection.locked is False, column.key
    tracker = read(path, bundled)
    assert tracker.own_courses == ()
    assert tracker.problems == ()


def test_own_courses_prefilled_read_back_exactly(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    path = build_tracker(role, tmp_path / "own.xlsx", employee=own_entries())
    assert read(path, bundled).own_courses == OWN


def test_own_courses_typed_in_with_openpyxl_read_back_exactly(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    blank = build_tracker(role, tmp_path / "blank.xlsx")
    tracker = read(fill(blank, role, own_entries(), tmp_path / "filled.xlsx"), bundled)
    assert tracker.own_courses == OWN
    assert tracker.problems == ()


def test_more_own_courses_than_rows_get_a_row_each(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    many = tuple(OwnCourse(f"Course {n}", hours=1.0) for n in range(OWN_COURSE_ROWS + 3))
    path = build_tracker(role, tmp_path / "many.xlsx", employee=own_entries(many))
    assert read(path, bundled).own_courses == many


def test_an_own_course_without_a_title_is_refused_when_written(role: Role) -> None:
    with pytest.raises(TrackerError, match="own course 2: it has no title"):
        tracker_bytes(role, own_entries((OWN[0], OwnCourse("", hours=1.0))))


def test_a_row_with_entries_but_no_title_is_a_warning_at_its_title_cell(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    own = lay.layout_for(role).own_courses
    path = build_tracker(role, tmp_path / "own.xlsx", employee=own_entries(OWN[:1]))
    row = own.row("3")  # a gap of one blank row, then a row with no title

    def untitled(sheet: Any) -> None:
        put(sheet, row, own.col("provider"), "LinkedIn")
        put(sheet, row, own.col("hours"), 4)

    tracker = read(edited(path, tmp_path / "untitled.xlsx", untitled), bundled)
    title = _a1(row, own.col("title"))
    assert cell_messages(tracker) == [(Code.OWN_COURSE_NO_TITLE, lay.CHECKLIST, title)]
    assert tracker.problems[0].severity is Severity.WARNING
    assert title in tracker.problems[0].message
    assert tracker.own_courses == OWN[:1]  # the untitled row is not counted anywhere


def test_own_course_hours_that_are_no_number_are_an_error_at_their_cell(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    own = lay.layout_for(role).own_courses

    def typed(sheet: Any) -> None:
        put(sheet, own.first_row, own.col("title"), "Phlebotomy podcast")
        put(sheet, own.first_row, own.col("hours"), "a few")

    blank = build_tracker(role, tmp_path / "blank.xlsx")
    tracker = read(edited(blank, tmp_path / "hours.xlsx", typed), bundled)
    assert cell_messages(tracker) == [
        (Code.HOURS_INVALID, lay.CHECKLIST, _a1(own.first_row, own.col("hours")))
    ]
    assert tracker.problems[0].field == "own_courses.hours"
    assert tracker.problems[0].typed == "a few"
    assert tracker.own_courses == (OwnCourse("Phlebotomy podcast"),)


def test_an_own_course_s_status_and_dates_are_checked_like_the_checklist_s(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    own = lay.layout_for(role).own_courses
    done_but_planned = OwnCourse("Notes", status=Status.PLANNED, completed_on=dt.date(2026, 1, 9))
    path = build_tracker(role, tmp_path / "own.xlsx", employee=own_entries((done_but_planned,)))
    tracker = read(path, bundled)
    completed_on = _a1(own.first_row, own.col("completed_on"))
    assert cell_messages(tracker) == [(Code.COURSE_DATE_NOT_COMPLETED, lay.CHECKLIST, completed_on)]
    assert tracker.problems[0].field == "own_courses.completed_on"
    assert tracker.problems[0].item == "0"


def test_a_tracker_with_only_an_own_course_or_an_untitled_row_is_someone_s_work(
    role: Role, tmp_path: Path
) -> None:
    own = lay.layout_for(role).own_courses
    titled = build_tracker(role, tmp_path / "own.xlsx", employee=Entries(own_courses=OWN[2:3]))
    assert why_filled(titled) == "this tracker has entries"
    blank = build_tracker(role, tmp_path / "blank.xlsx")
    assert why_filled(blank) is None
    untitled = edited(
        blank,
        tmp_path / "untitled.xlsx",
        lambda sheet: put(sheet, own.first_row, own.col("notes"), "which course was it?"),
    )
    assert why_filled(untitled) == "this tracker has entries"


# --- what they count in ---------------------------------------------------------------------


def test_own_courses_count_in_hours_and_all_courses_never_in_required_progress(
    role: Role,
) -> None:
    rows = {i: n for n, i in enumerate(lay.layout_for(role).competencies.ids, start=4)}
    before = compute(role, Entries(), DAY, rows).dashboard
    after = compute(role, own_entries(), DAY, rows)
    figures = after.dashboard
    assert figures.all_total == len(role.courses) + 4
    assert figures.all_done == 2  # the completed one and the waived one
    assert figures.hours_done == 2.5
    assert figures.hours_planned == 3.0 + 0.5
    assert figures.all_share == 2 / (len(role.courses) + 4)
    assert (figures.required_done, figures.required_total) == (
        before.required_done,
        before.required_total,
    )
    assert figures.overdue == before.overdue  # the dashboard counts the role's courses
    assert after.own_overdue == (False, True, False, False)  # planned for 1 May, read 1 June


def test_an_own_course_is_never_part_of_readiness(bundled: Catalog) -> None:
    role, target = bundled.roles["psr-i"], bundled.roles["psr-ii"]
    chosen = Employee(target_role=target.title)
    plain = readiness(role, target, Entries(employee=chosen), DAY)
    named = tuple(  # every course the target lists, typed in as the person's own, done
        OwnCourse(
            item.course.title,
            item.id,
            hours=1.0,
            status=Status.COMPLETED,
            completed_on=dt.date(2026, 1, 5),
        )
        for item in target.courses
    )
    with_own = readiness(role, target, Entries(employee=chosen, own_courses=named), DAY)
    assert with_own == plain
    assert plain.courses_done < plain.courses_required


# --- carried, exported, reported --------------------------------------------------------------


def test_upgrade_carries_own_courses_as_they_are(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    path = build_tracker(role, tmp_path / "own.xlsx", employee=own_entries())
    entries, counts = carry(read(path, bundled), role)
    assert entries.own_courses == OWN
    assert counts.carried == len(OWN)


def test_json_lists_own_courses_and_csv_gives_each_a_row(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    path = build_tracker(role, tmp_path / "own.xlsx", employee=own_entries())
    tracker = read(path, bundled)
    listed = tracker.to_dict()["own_courses"]
    assert listed[0] == {
        "id": "xl-101",
        "title": "Excel for Everyone",
        "provider": "Community college",
        "hours": 2.5,
        "status": "Completed",
        "target_date": None,
        "completed_on": "2026-03-02",
        "notes": "",
    }
    assert [item["title"] for item in listed] == [course.title for course in OWN]
    rows = [r for r in csv.DictReader(io.StringIO(to_csv([tracker]))) if r["kind"] == "own_course"]
    assert [(r["id"], r["title"], r["hours"], r["status"]) for r in rows] == [
        ("xl-101", "Excel for Everyone", "2.5", "Completed"),
        ("", "Medical Spanish", "3.0", "Planned"),
        ("", "Conference day", "", "Waived"),
        ("cpr", "CPR refresher", "0.5", "In progress"),
    ]
    assert rows[3]["notes"] == "'=not a formula"  # guarded like every CSV value


def test_the_team_report_lists_own_courses_in_json_csv_and_a_sheet(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    path = build_tracker(role, tmp_path / "own.xlsx", employee=own_entries())
    team = team_report(ReadReport((read(path, bundled),), ()), bundled, as_of=DAY)
    data = json.loads(json.dumps(team.to_dict()))
    assert [item["title"] for item in data["people"][0]["own_courses"]] == [c.title for c in OWN]
    assert TeamReport.from_dict(data) == team
    written = write_report(team, tmp_path / "team.xlsx")
    table = own_table()
    sheet = open_book(written)[table.sheet]
    first, title = table.first_row + 1, table.col("title")
    titles = [row[title] for row in sheet.iter_rows(min_row=first, values_only=True)]
    assert titles == [course.title for course in OWN]
    report_rows = list(csv.DictReader(io.StringIO(written_csv(team))))
    own_rows = [r for r in report_rows if r["requirement"] == "Your own"]
    assert [(r["course_title"], r["overdue"]) for r in own_rows] == [
        ("Excel for Everyone", "no"),
        ("Medical Spanish", "yes"),
        ("Conference day", "no"),
        ("CPR refresher", "no"),
    ]


def written_csv(team: TeamReport) -> str:
    from trackerkit.report import report_csv

    return report_csv(team)


# --- rows inserted inside the checklist --------------------------------------------------------


def test_the_checklist_declares_no_calculated_columns_for_excel_to_fill(
    role: Role, tmp_path: Path
) -> None:
    """What docs/sheets/course-checklist.md says Excel does rests on this: the checklist is
    an Excel table, but its formulas are written cell by cell, not as calculated columns,
    so a row Excel inserts inside the table gets none of them."""
    path = build_tracker(role, tmp_path / "blank.xlsx")
    with zipfile.ZipFile(path) as archive:
        tables = [n for n in archive.namelist() if n.startswith("xl/tables/")]
        parts = {name: archive.read(name).decode() for name in tables}
    checklist = [text for text in parts.values() if 'name="Courses"' in text]
    assert len(checklist) == 1
    assert all("calculatedColumnFormula" not in text for text in parts.values())


def excel_inserted(path: Path, role: Role, out: Path, *, row: int, values: dict[str, Any]) -> Path:
    """The file as Excel leaves it after inserting a row inside the checklist and typing
    ``values`` (by column key) there: the row has what was typed, and no formula."""
    table = lay.layout_for(role).courses
    book = open_book(path)
    sheet = book[lay.CHECKLIST]
    sheet.insert_rows(row + 1)
    for key, value in values.items():
        put(sheet, row, table.col(key), value)
    book.save(out)
    return out


def test_a_row_inserted_as_excel_leaves_it_is_an_error_saying_to_use_the_own_rows(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    table = lay.layout_for(role).courses
    entries = Entries(courses=MappingProxyType({role.courses[0].id: CourseEntry(Status.PLANNED)}))
    path = build_tracker(role, tmp_path / "filled.xlsx", employee=entries)
    row = table.row(role.courses[2].id)
    edited = excel_inserted(
        path,
        role,
        tmp_path / "inserted.xlsx",
        row=row,
        values={"status": "Planned", "target_date": dt.date(2026, 9, 1), "notes": "Spanish"},
    )
    tracker = read(edited, bundled)
    id_cell = _a1(row, table.col("id"))
    assert cell_messages(tracker) == [(Code.ROW_INSERTED, lay.CHECKLIST, id_cell)]
    problem = tracker.problems[0]
    assert problem.severity is Severity.ERROR
    assert "'Your own courses' rows below the checklist" in problem.message
    assert tracker.courses[role.courses[0].id] == CourseEntry(Status.PLANNED)
    assert tracker.own_courses == ()


def test_an_own_course_typed_below_the_own_rows_is_read_too(
    role: Role, bundled: Catalog, tmp_path: Path
) -> None:
    own = lay.layout_for(role).own_courses
    blank = build_tracker(role, tmp_path / "blank.xlsx")
    below = edited(
        blank,
        tmp_path / "below.xlsx",
        lambda sheet: put(sheet, own.last_row + 2, own.col("title"), "Found a ninth"),
    )
    tracker = read(below, bundled)
    assert tracker.own_courses == (OwnCourse("Found a ninth"),)
    overdue = _a1(own.last_row + 2, own.col("overdue"))
    assert cell_messages(tracker) == [(Code.FORMULA_LOST, lay.CHECKLIST, overdue)]


# --- in LibreOffice ---------------------------------------------------------------------------


def own_edits(own_table: lay.Table, own: tuple[OwnCourse, ...]) -> list[dict[str, Any]]:
    """Typing ``own`` into the own-course rows in Calc, a cell at a time."""
    edits: list[dict[str, Any]] = []
    for row_id, course in zip(own_table.ids, own, strict=False):
        row = own_table.row(row_id)
        for column in own_table.columns:
            if not column.kind.is_input:
                continue
            value = lay.input_value(course, column)
            if value is None or value == "":
                continue
            cell = {"sheet": own_table.sheet, "cell": _a1(row, own_table.col(column.key))}
            if isinstance(value, dt.date):
                edits.append({**cell, "date": value.isoformat()})
            elif isinstance(value, float):
                edits.append({**cell, "number": value})
            else:
                edits.append({**cell, "value": value})
    return edits


def calc_own(today: dt.date) -> tuple[OwnCourse, ...]:
    """:data:`OWN` with the late one late today, whatever day Calc's TODAY() is."""
    late = replace(OWN[1], target_date=today - dt.timedelta(days=31))
    return (OWN[0], late, *OWN[2:])


def prefilled_today(role: Role, path: Path, own: tuple[OwnCourse, ...], today: dt.date) -> Path:
    """A tracker prefilled with ``own``, its figures cached as of ``today``."""
    entries = Entries(own_courses=own)
    return build_tracker(role, path, employee=entries, options=TrackerOptions(as_of=today))


def test_own_courses_prefilled_have_calc_s_values(
    libreoffice: Calc, bundled: Catalog, tmp_path: Path
) -> None:
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    path = prefilled_today(bundled.roles["psr-ii"], tmp_path / "own.xlsx", calc_own(today), today)
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []


def test_own_courses_typed_in_calc_read_back_and_give_the_twins_figures(
    libreoffice: Calc, bundled: Catalog, tmp_path: Path
) -> None:
    role = bundled.roles["psr-ii"]
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    own = calc_own(today)
    layout = lay.layout_for(role)
    blank = build_tracker(role, tmp_path / "blank.xlsx")
    expected = prefilled_today(role, tmp_path / "expected.xlsx", own, today)
    saved = tmp_path / "typed-in-calc.xlsx"
    answer = libreoffice.run(
        blank, own_edits(layout.own_courses, own), recalculate=True, save_as=saved
    )
    assert mismatches(expected, answer) == []
    tracker = read_tracker(saved, catalog=bundled, as_of=today)
    assert tracker.own_courses == own
    assert tracker.problems == ()


def test_a_row_inserted_inside_the_checklist_in_calc_gets_no_formulas_and_is_reported(
    libreoffice: Calc, bundled: Catalog, tmp_path: Path
) -> None:
    """On the protected sheet, as a person has it: Calc inserts the row (the protection allows
    inserting rows) with none of the formulas of the rows around it; the person types a status,
    a date and a note (the cells the row above leaves unlocked), and reading names the row."""
    role = bundled.roles["psr-ii"]
    table = lay.layout_for(role).courses
    path = build_tracker(role, tmp_path / "blank.xlsx")
    row = table.row(role.courses[3].id)  # 0-based: the inserted row takes this one's place
    number = row + 1
    typed: list[dict[str, Any]] = [
        {"sheet": lay.CHECKLIST, "insert_row_before": number},
        {"sheet": lay.CHECKLIST, "cell": _a1(row, table.col("status")), "value": "Planned"},
        {"sheet": lay.CHECKLIST, "cell": _a1(row, table.col("target_date")), "date": "2026-09-01"},
        {"sheet": lay.CHECKLIST, "cell": _a1(row, table.col("notes")), "value": "Spanish"},
    ]
    saved = tmp_path / "inserted-in-calc.xlsx"
    answer = libreoffice.run(path, typed, recalculate=True, save_as=saved)
    cells = answer["cells"][lay.CHECKLIST]
    overdue = _a1(row, table.col("overdue"))
    above = _a1(row - 1, table.col("overdue"))
    assert cells[above]["formula"]  # the row above keeps its formula ...
    assert overdue not in cells or not cells[overdue]["formula"]  # ... the new row has none
    tracker = read(saved, bundled)
    assert cell_messages(tracker) == [(Code.ROW_INSERTED, lay.CHECKLIST, _a1(row, 0))]
    assert set(tracker.courses) == {item.id for item in role.courses}


def test_a_course_typed_into_a_row_inserted_among_the_own_rows_in_calc_is_read_and_counted(
    libreoffice: Calc, bundled: Catalog, tmp_path: Path
) -> None:
    """A row inserted inside the own courses takes their unlocked cells and widens their
    names, so Calc's totals count it; only its Overdue cell is empty, and reading says so."""
    role = bundled.roles["psr-ii"]
    layout = lay.layout_for(role)
    own = layout.own_courses
    path = build_tracker(role, tmp_path / "own.xlsx", employee=own_entries(OWN[:2]))
    row = own.row("2")
    typed: list[dict[str, Any]] = [
        {"sheet": lay.CHECKLIST, "insert_row_before": row + 1},
        {"sheet": lay.CHECKLIST, "cell": _a1(row, own.col("title")), "value": "Inserted one"},
        {"sheet": lay.CHECKLIST, "cell": _a1(row, own.col("hours")), "number": 4},
        {"sheet": lay.CHECKLIST, "cell": _a1(row, own.col("status")), "value": "Completed"},
        {"sheet": lay.CHECKLIST, "cell": _a1(row, own.col("completed_on")), "date": "2026-02-02"},
    ]
    saved = tmp_path / "own-inserted-in-calc.xlsx"
    answer = libreoffice.run(path, typed, recalculate=True, save_as=saved)
    tracker = read(saved, bundled)
    inserted = OwnCourse(
        "Inserted one", hours=4.0, status=Status.COMPLETED, completed_on=dt.date(2026, 2, 2)
    )
    assert tracker.own_courses == (OWN[0], inserted, OWN[1])
    assert cell_messages(tracker) == [
        (Code.FORMULA_LOST, lay.CHECKLIST, _a1(row, own.col("overdue")))
    ]
    start = answer["cells"][lay.START]
    figures = tracker.figures(role, as_of=DAY).dashboard
    for key in ("all_total", "all_done", "hours_done"):
        field = next(f for f in layout.dashboard if f.key == key)
        assert start[_a1(field.row, field.col)]["value"] == getattr(figures, key), key


# --- as a property ----------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_any_own_courses_read_back_as_written_and_count_by_their_status(
    data: st.DataObject,
) -> None:
    catalog = data.draw(catalogs())
    role = catalog.roles[data.draw(st.sampled_from(sorted(catalog.roles)))]
    own = tuple(data.draw(st.lists(own_courses(None), max_size=OWN_COURSE_ROWS + 4)))
    tracker = read_tracker(tracker_bytes(role, Entries(own_courses=own)), catalog=catalog)
    assert tracker.own_courses == own
    assert tracker.problems == ()
    board = tracker.figures(role, as_of=DAY).dashboard
    assert board.all_total == len(role.courses) + len(own)
    assert board.all_done == sum(c.status in (Status.COMPLETED, Status.WAIVED) for c in own)
    assert board.hours_done == sum(c.hours or 0 for c in own if c.status is Status.COMPLETED)
    assert board.required_total == sum(c.requirement.label == "Required" for c in role.courses)
