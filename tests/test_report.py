"""The team report, from real trackers of the bundled roles: its figures, and its files.

Four people fill trackers of three roles (one with a cell that is not a status) and one
file is not a workbook at all. The expected figures are worked out here from what was
entered, by the tracker's published rules, never by calling the report's own code.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import itertools
import json
import re
import zipfile
from collections import Counter
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from defusedxml import ElementTree as SafeElementTree
from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter.utility import xl_rowcol_to_cell

from fills import open_book, put
from test_parity import mismatches
from trackerkit import (
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    ReadReport,
    Requirement,
    Severity,
    Status,
    TrackerOptions,
    WorkbookError,
    build_tracker,
    read_trackers,
)
from trackerkit import layout as tracker_layout
from trackerkit import report_layout as rl
from trackerkit.grid import Style
from trackerkit.problem_codes import Code
from trackerkit.report import (
    Person,
    Rolled,
    TeamReport,
    one_per_employee,
    report_bytes,
    report_trackers,
    team_report,
    write_report,
)
from trackerkit.report_workbook import ReportWorkbook, report_xlsx

if TYPE_CHECKING:
    from libreoffice import Calc
    from trackerkit import Catalog, Role
    from trackerkit.grid import Table

AS_OF = dt.date(2024, 6, 1)
DONE = (Status.COMPLETED, Status.WAIVED)
MANAGER_INJECTION = '=HYPERLINK("http://evil.example","click")'


def days(n: int) -> dt.date:
    return AS_OF + dt.timedelta(days=n)


@dataclasses.dataclass(frozen=True)
class Filled:
    """One person's tracker, and the entries it should read back as."""

    path: Path
    role: Role
    entries: Entries

    def status(self, course_id: str) -> Status | None:
        entry = self.entries.courses.get(course_id)
        return Status.NOT_STARTED if entry is None else entry.status

    def gap(self, competency_id: str) -> int | str:
        target = self.role.competency(competency_id).target
        entry = self.entries.competencies.get(competency_id, CompetencyEntry())
        level = entry.manager_rating if entry.manager_rating is not None else entry.self_rating
        return "Not rated" if level is None else max(0, target - level)


@dataclasses.dataclass(frozen=True)
class Scenario:
    people: tuple[Filled, ...]
    """In the order read, which gives each person's number."""
    broken: Path
    status_error_cell: str
    report: ReadReport


def entries(
    employee: Employee, courses: dict[str, CourseEntry], ratings: dict[str, CompetencyEntry]
) -> Entries:
    return Entries(
        employee=employee,
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(ratings),
    )


def ana(role: Role) -> Entries:
    """Two required courses done, one required and one recommended course late; two gaps and
    a competency not rated."""
    at_target = {c.id: CompetencyEntry(manager_rating=c.target) for c in role.competencies}
    return entries(
        Employee(
            "Ana Diaz", "E-001", "Lee Park", location="Downtown", target_role="PSR IV Group Lead"
        ),
        {
            "hipaa-privacy-security": CourseEntry(Status.COMPLETED, days(-30), days(-35)),
            "annual-compliance": CourseEntry(Status.WAIVED),
            "bloodborne-pathogens": CourseEntry(Status.PLANNED, days(-10)),
            "lab-safety-infection-control": CourseEntry(Status.IN_PROGRESS, days(10)),
            "billing-basics-abn": CourseEntry(Status.PLANNED, days(-1)),
            "leading-through-change": CourseEntry(Status.COMPLETED, completed_on=days(-90)),
        },
        {
            **at_target,
            "time-management": CompetencyEntry(self_rating=1),  # target 4: gap 3
            "composure": CompetencyEntry(self_rating=5, manager_rating=2),  # target 4: gap 2
            "customer-focus": CompetencyEntry(),  # target 4, unrated: no gap
            "compassion": CompetencyEntry(5, 5),  # target 3, above it: gap 0
        },
    )


def ben(role: Role) -> Entries:
    """Every required course done; a late recommended course; every rating one below target."""
    done = {
        c.id: CourseEntry(Status.COMPLETED, completed_on=days(-60))
        for c in role.courses
        if c.requirement is Requirement.REQUIRED
    }
    return entries(
        Employee("Ben Okafor", "-42", MANAGER_INJECTION, location="Downtown", target_role="+PSR I"),
        {
            **done,
            "empathy-and-listening": CourseEntry(Status.IN_PROGRESS),
            "lab-safety-infection-control": CourseEntry(Status.PLANNED, days(-5)),
        },
        {c.id: CompetencyEntry(self_rating=c.target - 1) for c in role.competencies},
    )


@pytest.fixture(scope="module")
def scenario(bundled: Catalog, tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    folder = tmp_path_factory.mktemp("team")
    roles = bundled.roles
    options = TrackerOptions(as_of=AS_OF, generated_on=AS_OF)
    planned = [
        ("a-ana.xlsx", roles["psr-iii"], ana(roles["psr-iii"])),
        (
            "b-ben.xlsx",
            roles["patient-service-representative"],
            ben(roles["patient-service-representative"]),
        ),
        ("c-cy.xlsx", roles["psr-i"], entries(Employee("Cy Lee"), {}, {})),
    ]
    people = [
        Filled(build_tracker(role, folder / name, employee=filled, options=options), role, filled)
        for name, role, filled in planned
    ]
    # Dee planned annual compliance, then typed "Done" over its status: no status can be read,
    # so it reads as None (counted at no status, and not done), its text kept in the problem.
    role = roles["psr-i"]
    written = entries(
        Employee("Dee Moss", manager="Lee Park", location="Uptown"),
        {
            "hipaa-privacy-security": CourseEntry(Status.COMPLETED, completed_on=days(-20)),
            "annual-compliance": CourseEntry(Status.PLANNED, days(-3)),
        },
        {},
    )
    dee = build_tracker(role, folder / "d-dee.xlsx", employee=written, options=options)
    table = tracker_layout.layout_for(role).courses
    row, col = table.row("annual-compliance"), table.col("status")
    book = open_book(dee)
    put(book[table.sheet], row, col, "Done")
    book.save(dee)
    read_back = dataclasses.replace(
        written,
        courses=MappingProxyType(
            {
                "hipaa-privacy-security": CourseEntry(Status.COMPLETED, completed_on=days(-20)),
                "annual-compliance": CourseEntry(None, days(-3)),
            }
        ),
    )
    people.append(Filled(dee, role, read_back))
    broken = folder / "broken.xlsx"
    broken.write_bytes(b"this is not a workbook")
    files = [people[0].path, people[1].path, broken, people[2].path, people[3].path]
    return Scenario(
        people=tuple(people),
        broken=broken,
        status_error_cell=str(xl_rowcol_to_cell(row, col)),
        report=read_trackers(files, catalog=bundled),
    )


@pytest.fixture(scope="module")
def team(scenario: Scenario, bundled: Catalog) -> TeamReport:
    return team_report(scenario.report, bundled, as_of=AS_OF)


# --- the figures ---------------------------------------------------------------------------


def test_per_person_figures_match_the_entries(scenario: Scenario, team: TeamReport) -> None:
    assert [p.name for p in team.people] == ["Ana Diaz", "Ben Okafor", "Cy Lee", "Dee Moss"]
    for number, (person, filled) in enumerate(zip(team.people, scenario.people, strict=True), 1):
        required = [c.id for c in filled.role.courses if c.requirement is Requirement.REQUIRED]
        done = sum(filled.status(c) in DONE for c in required)
        late = sum(
            entry.target_date is not None and entry.target_date < AS_OF and entry.status not in DONE
            for c, entry in filled.entries.courses.items()
            if c in {item.id for item in filled.role.courses}
        )
        assert person.number == number
        assert person.file == str(filled.path)
        assert (person.role_id, person.role_title) == (filled.role.id, filled.role.title)
        assert person.employee_id == filled.entries.employee.employee_id
        assert person.manager == filled.entries.employee.manager
        assert person.target_role == filled.entries.employee.target_role
        assert (person.required_done, person.required_total) == (done, len(required))
        assert person.required_share == done / len(required)
        assert person.overdue == late
    assert [(p.required_done, p.overdue) for p in team.people] == [(2, 2), (7, 1), (0, 0), (1, 1)]


def test_largest_gaps_are_the_three_largest_rated_by_name_ties_in_sheet_order(
    team: TeamReport,
) -> None:
    ana, ben, cy, _ = team.people
    assert ana.largest_gaps == ("Time Management", "Composure")  # Customer Focus: not rated
    assert ben.largest_gaps == ("Customer Focus", "Compassion", "Composure")
    assert cy.largest_gaps == ()  # nothing rated


def test_course_counts_tally_the_people_whose_role_lists_the_course(
    scenario: Scenario, team: TeamReport, bundled: Catalog
) -> None:
    listed_by = {
        course.id: [p for p in scenario.people if course.id in {c.id for c in p.role.courses}]
        for p in scenario.people
        for course in p.role.courses
    }
    assert {c.course_id for c in team.courses} == set(listed_by)
    assert [c.course_id for c in team.courses] == [c for c in bundled.courses if c in listed_by]
    for counts in team.courses:
        people = listed_by[counts.course_id]
        statuses = Counter(p.status(counts.course_id) for p in people)
        assert {s: counts.count(s) for s in Status} == {s: statuses[s] for s in Status}
        assert counts.unreadable == statuses[None]
        assert counts.listed == len(people)
        assert counts.title == bundled.courses[counts.course_id].title
    by_id = {c.course_id: c for c in team.courses}
    hipaa, lab = by_id["hipaa-privacy-security"], by_id["lab-safety-infection-control"]
    assert (hipaa.completed, hipaa.not_started, hipaa.listed, hipaa.overdue) == (3, 1, 4, 0)
    assert (lab.in_progress, lab.planned, lab.not_started, lab.overdue) == (1, 1, 2, 1)
    assert by_id["scheduling-system"].listed == 1  # only the front-office role lists it


def test_heatmap_gaps_are_target_minus_current_not_rated_or_blank_outside_the_role(
    scenario: Scenario, team: TeamReport
) -> None:
    competencies = [c.id for c in team.heatmap.competencies]
    union = {c.id for p in scenario.people for c in p.role.competencies}
    assert sorted(competencies) == sorted(union)
    assert len(team.heatmap.gaps) == len(team.people)
    for filled, gaps in zip(scenario.people, team.heatmap.gaps, strict=True):
        own = {c.id for c in filled.role.competencies}
        expected = [filled.gap(c) if c in own else None for c in competencies]
        assert list(gaps) == expected
    ana = dict(zip(competencies, team.heatmap.gaps[0], strict=True))
    assert (ana["time-management"], ana["composure"]) == (3, 2)
    assert ana["customer-focus"] == "Not rated"
    assert ana["compassion"] == 0
    assert ana["billing-and-insurance"] is None  # only the front-office role has it


def test_overdue_list_holds_the_late_courses_by_person_oldest_first(team: TeamReport) -> None:
    assert [(o.name, o.course_id, o.target_date, o.days_late) for o in team.overdue] == [
        ("Ana Diaz", "bloodborne-pathogens", days(-10), 10),
        ("Ana Diaz", "billing-basics-abn", days(-1), 1),
        ("Ben Okafor", "lab-safety-infection-control", days(-5), 5),
        ("Dee Moss", "annual-compliance", days(-3), 3),
    ]


def test_problems_list_the_unreadable_file_and_the_cell_problem(
    scenario: Scenario, team: TeamReport
) -> None:
    unreadable = [p for p in team.problems if p.file == str(scenario.broken)]
    assert len(unreadable) == 1
    assert (unreadable[0].sheet, unreadable[0].cell) == (None, None)
    assert unreadable[0].severity is Severity.ERROR
    assert unreadable[0].code is Code.WORKBOOK_UNREADABLE
    dee = str(scenario.people[3].path)
    cell = [p for p in team.problems if p.file == dee and p.cell == scenario.status_error_cell]
    assert len(cell) == 1
    assert cell[0].sheet == "Course Checklist"
    assert cell[0].severity is Severity.ERROR
    assert cell[0].message.startswith('"Done" is not a status')
    assert (cell[0].code, cell[0].field, cell[0].item, cell[0].typed) == (
        Code.STATUS_UNKNOWN,
        "courses.status",
        "annual-compliance",
        "Done",
    )
    assert team.skipped == (str(scenario.broken),)
    assert not team.ok


def test_a_tracker_of_a_role_the_catalog_lacks_is_reported_and_left_out(
    scenario: Scenario, bundled: Catalog
) -> None:
    roles = {key: role for key, role in bundled.roles.items() if key != "psr-i"}
    catalog = dataclasses.replace(bundled, roles=MappingProxyType(roles))
    team = team_report(scenario.report, catalog, as_of=AS_OF)
    assert [p.name for p in team.people] == ["Ana Diaz", "Ben Okafor"]
    left_out = {str(scenario.people[2].path), str(scenario.people[3].path)}
    assert set(team.skipped) == left_out | {str(scenario.broken)}
    messages = [p for p in team.problems if p.message.startswith("left out of the report")]
    assert {p.file for p in messages} == left_out
    assert all("'psr-i'" in p.message and p.severity is Severity.ERROR for p in messages)
    assert "billing-and-insurance" in {c.id for c in team.heatmap.competencies}
    assert "cpt-exam-prep" not in {c.course_id for c in team.courses}


def test_people_are_summed_up_per_manager_and_per_location(team: TeamReport) -> None:
    ana, ben, cy, dee = team.people
    assert [(g.name, g.people, g.overdue) for g in team.managers] == [
        (MANAGER_INJECTION, 1, ben.overdue),
        ("Lee Park", 2, ana.overdue + dee.overdue),
        ("", 1, 0),  # no manager given: last
    ]
    assert [g.average_progress for g in team.managers] == [
        ben.required_share,
        ((ana.required_share or 0) + (dee.required_share or 0)) / 2,
        cy.required_share,
    ]
    assert [(g.name, g.people, g.overdue) for g in team.locations] == [
        ("Downtown", 2, ana.overdue + ben.overdue),
        ("Uptown", 1, dee.overdue),
        ("", 1, 0),
    ]
    assert (
        team.locations[0].average_progress
        == ((ana.required_share or 0) + (ben.required_share or 0)) / 2
    )


def test_bottlenecks_are_the_required_courses_most_people_have_not_done_most_first(
    scenario: Scenario, team: TeamReport, bundled: Catalog
) -> None:
    required_of: Counter[str] = Counter()
    not_done: Counter[str] = Counter()
    for filled in scenario.people:
        for course in filled.role.courses:
            if course.requirement is Requirement.REQUIRED:
                required_of[course.id] += 1
                not_done[course.id] += filled.status(course.id) not in DONE
    catalog_order = list(bundled.courses)
    expected = sorted(required_of, key=lambda c: (-not_done[c], catalog_order.index(c)))
    assert [b.course_id for b in team.bottlenecks] == expected
    for item in team.bottlenecks:
        assert (item.required_of, item.not_done) == (
            required_of[item.course_id],
            not_done[item.course_id],
        )
        assert item.title == bundled.courses[item.course_id].title
    counts = [b.not_done for b in team.bottlenecks]
    assert counts == sorted(counts, reverse=True)
    # Cy has not started it, and Dee's status could not be read, which counts as not done.
    assert next(b for b in team.bottlenecks if b.course_id == "annual-compliance").not_done == 2


def test_people_show_how_many_problems_their_file_has(scenario: Scenario, team: TeamReport) -> None:
    per_file = Counter(problem.file for problem in team.problems)
    assert [p.problems for p in team.people] == [per_file[p.file] for p in team.people]
    dee = team.people[3]
    assert dee.file == str(scenario.people[3].path)
    assert dee.problems == 1  # the status that is no status
    assert [p.problems for p in team.people[:3]] == [0, 0, 0]


@pytest.fixture(scope="module")
def twins(bundled: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Trackers of people who appear twice: by the day made, by the file name, and blank IDs."""
    folder = tmp_path_factory.mktemp("twins")
    role = bundled.roles["psr-i"]
    made = {
        # E-7: the newer tracker has the name that sorts first.
        "z-eve-old.xlsx": ("Eve (old)", "E-7", dt.date(2024, 1, 5)),
        "a-eve-new.xlsx": ("Eve (new)", "E-7", dt.date(2024, 5, 20)),
        # E-9: made the same day; the later file name counts.
        "m-fay-1.xlsx": ("Fay (1)", " E-9 ", AS_OF),
        "m-fay-2.xlsx": ("Fay (2)", "E-9", AS_OF),
        # No employee ID: never the same person.
        "b-gus.xlsx": ("Gus", "", AS_OF),
        "c-hal.xlsx": ("Hal", "  ", AS_OF),
    }
    return {
        name: build_tracker(
            role,
            folder / name,
            employee=entries(Employee(person, employee_id), {}, {}),
            options=TrackerOptions(as_of=AS_OF, generated_on=day),
        )
        for name, (person, employee_id, day) in made.items()
    }


def test_a_tracker_reads_the_day_it_was_made(twins: dict[str, Path], bundled: Catalog) -> None:
    report = read_trackers([twins["z-eve-old.xlsx"]], catalog=bundled)
    assert report.trackers[0].generated_on == dt.date(2024, 1, 5)


def test_one_employee_id_in_two_files_counts_once_the_more_recent_tracker(
    twins: dict[str, Path], bundled: Catalog
) -> None:
    order = ["z-eve-old.xlsx", "m-fay-2.xlsx", "b-gus.xlsx", "a-eve-new.xlsx", "m-fay-1.xlsx"]
    files = [twins[name] for name in (*order, "c-hal.xlsx")]
    team = team_report(read_trackers(files, catalog=bundled), bundled, as_of=AS_OF)
    assert [(p.number, p.name) for p in team.people] == [
        (1, "Fay (2)"),
        (2, "Gus"),
        (3, "Eve (new)"),
        (4, "Hal"),
    ]
    assert len(team.heatmap.gaps) == 4
    old_eve, first_fay = str(twins["z-eve-old.xlsx"]), str(twins["m-fay-1.xlsx"])
    assert team.skipped == tuple(sorted([old_eve, first_fay]))
    duplicates = [p for p in team.problems if p.code is Code.REPORT_DUPLICATE_EMPLOYEE]
    assert [(p.file, p.severity, p.sheet, p.cell) for p in duplicates] == [
        (first_fay, Severity.WARNING, None, None),
        (old_eve, Severity.WARNING, None, None),
    ]
    fay, eve = (p.message for p in duplicates)
    assert eve == (
        f"left out of the report: {twins['a-eve-new.xlsx']} has the same employee ID 'E-7' "
        "and was generated later (2024-05-20), so the report counts that one; "
        "remove the older tracker, or correct the employee ID"
    )
    assert str(twins["m-fay-2.xlsx"]) in fay
    assert "generated the same day, and its file name sorts later" in fay
    assert "'E-9'" in fay
    assert not team.ok


def test_undated_twins_in_two_folders_are_told_apart_by_their_folder(
    tmp_path: Path, bundled: Catalog
) -> None:
    role = bundled.roles["psr-ii"]
    files = []
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        files.append(
            build_tracker(
                role,
                tmp_path / folder / "eve.xlsx",
                employee=entries(Employee("Eve", "E-7"), {}, {}),
                options=TrackerOptions(as_of=AS_OF),
            )
        )
    team = team_report(read_trackers(files, catalog=bundled), bundled, as_of=AS_OF)
    assert team.skipped == (str(files[0]),)
    (problem,) = (p for p in team.problems if p.code is Code.REPORT_DUPLICATE_EMPLOYEE)
    assert problem.message == (
        f"left out of the report: {files[1]} has the same employee ID 'E-7' and neither says "
        "when it was generated, and its folder sorts later, so the report counts that one; "
        "remove the older tracker, or correct the employee ID"
    )


def test_the_same_file_twice_counts_once(twins: dict[str, Path], bundled: Catalog) -> None:
    file = twins["a-eve-new.xlsx"]
    team = team_report(read_trackers([file, file], catalog=bundled), bundled, as_of=AS_OF)
    assert [p.name for p in team.people] == ["Eve (new)"]
    assert [p.code for p in team.problems] == [Code.REPORT_DUPLICATE_EMPLOYEE]
    assert team.people[0].problems == 1  # the file it was read from is the same


FILES = st.tuples(
    st.sampled_from(["", "E-1", " E-1", "E-2", "  "]),  # the employee ID
    st.none() | st.dates(dt.date(2024, 1, 1), dt.date(2024, 1, 4)),  # the day made
    st.sampled_from(["a.xlsx", "b.xlsx", "c.xlsx"]),  # the file name
    st.booleans(),  # whether the file was read, or is left out anyway
)
SOMEONE = Person(
    number=0,
    file="",
    name="Someone",
    employee_id="",
    manager="",
    location="",
    role_id="psr-i",
    role_title="PSR I",
    target_role="",
    required_done=0,
    required_total=0,
    required_share=None,
    overdue=0,
    largest_gaps=(),
    courses=(),
)


@given(st.lists(FILES, max_size=8))
def test_one_per_employee_keeps_each_id_once_the_most_recent_in_order(
    files: list[tuple[str, dt.date | None, str, bool]],
) -> None:
    given_files = [
        Rolled(
            f"{index}/{name}",
            dataclasses.replace(SOMEONE, employee_id=employee_id) if read else None,
            {},
            (),
            made,
        )
        for index, (employee_id, made, name, read) in enumerate(files)
    ]
    kept, older = one_per_employee(given_files)
    people = [item for item in given_files if item.person is not None]
    kept_files = [item for item, _ in kept]
    older_files = [item for item, _ in older]
    assert len(kept_files) + len(older_files) == len(people)
    assert kept_files == [item for item in people if any(item is k for k in kept_files)]
    assert all(any(item is k for k in kept_files + older_files) for item in people)
    ids = [person.employee_id.strip() for _, person in kept]
    assert len([i for i in ids if i]) == len({i for i in ids if i})  # each ID once
    for item in people:  # a blank ID is never the same as another
        if item.person is not None and not item.person.employee_id.strip():
            assert any(item is k for k in kept_files)
    for item, newer in older:  # what left it out is kept, has its ID, and is at least as new
        assert any(newer is k for k in kept_files)
        assert item.person is not None
        assert newer.person is not None
        assert newer.person.employee_id.strip() == item.person.employee_id.strip()
        made, made_newer = item.generated_on or dt.date.min, newer.generated_on or dt.date.min
        assert (made, Path(item.file).name) <= (made_newer, Path(newer.file).name)


# --- in one pass ---------------------------------------------------------------------------


def scenario_files(scenario: Scenario) -> list[Path]:
    people = [p.path for p in scenario.people]
    return [*people[:2], scenario.broken, *people[2:]]


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
@pytest.mark.parametrize("roles", ["all roles", "no psr-i"])
def test_report_trackers_gives_the_report_of_reading_then_rolling_up(
    scenario: Scenario, bundled: Catalog, tmp_path: Path, *, jobs: int, fmt: str, roles: str
) -> None:
    catalog = bundled
    if roles == "no psr-i":  # two people in the middle are left out, so numbering shifts
        kept = {key: role for key, role in bundled.roles.items() if key != "psr-i"}
        catalog = dataclasses.replace(bundled, roles=MappingProxyType(kept))
    files = scenario_files(scenario)
    out = tmp_path / f"team.{fmt}"
    made = report_trackers(files, out, catalog, as_of=AS_OF, fmt=fmt, jobs=jobs)  # type: ignore[arg-type]
    expected = team_report(read_trackers(files, catalog=catalog), catalog, as_of=AS_OF)
    assert made == expected
    assert out.read_bytes() == report_bytes(expected, fmt=fmt)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("names", "rewritten"),
    [
        (["a-eve-new.xlsx", "b-gus.xlsx", "m-fay-1.xlsx"], False),
        (["b-gus.xlsx", "c-hal.xlsx", "b-gus.xlsx"], False),  # no ID: never one person
        (["a-eve-new.xlsx", "b-gus.xlsx", "z-eve-old.xlsx"], False),  # the first one counts
        (["z-eve-old.xlsx", "b-gus.xlsx", "a-eve-new.xlsx"], True),  # the second one counts
        (["m-fay-1.xlsx", "m-fay-1.xlsx"], True),
    ],
)
@pytest.mark.parametrize("jobs", [1, 2])
def test_report_trackers_writes_people_as_read_and_again_when_an_id_comes_twice(
    twins: dict[str, Path],
    bundled: Catalog,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    *,
    names: list[str],
    rewritten: bool,
    jobs: int,
) -> None:
    import trackerkit.report

    whole: list[TeamReport] = []
    from_team = report_xlsx

    def counted(team: TeamReport) -> bytes:
        whole.append(team)
        return from_team(team)

    monkeypatch.setattr(trackerkit.report, "report_xlsx", counted)
    files = [twins[name] for name in names]
    out = tmp_path / "team.xlsx"
    made = report_trackers(files, out, bundled, as_of=AS_OF, jobs=jobs)
    assert whole == ([made] if rewritten else [])
    expected = team_report(read_trackers(files, catalog=bundled), bundled, as_of=AS_OF)
    assert made == expected
    assert out.read_bytes() == from_team(expected)


def test_report_trackers_refuses_an_unknown_format_before_reading(
    bundled: Catalog, tmp_path: Path
) -> None:
    out = tmp_path / "team.pdf"
    with pytest.raises(ValueError, match="'pdf' is not a report format"):
        report_trackers([tmp_path / "missing"], out, bundled, as_of=AS_OF, fmt="pdf")  # type: ignore[arg-type]
    assert not out.exists()


def test_the_workbook_takes_people_only_in_their_order(team: TeamReport) -> None:
    with ReportWorkbook(io.BytesIO()) as book, pytest.raises(ValueError, match="as number 1"):
        book.add(team.people[1], ())


def test_the_workbook_is_finished_only_for_the_people_added(team: TeamReport) -> None:
    with ReportWorkbook(io.BytesIO()) as book:
        book.add(team.people[0], ())
        with pytest.raises(ValueError, match="People: the report has 4 rows, 1 added"):
            book.finish(team)


# --- the workbook --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def workbook(team: TeamReport, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_report(team, tmp_path_factory.mktemp("out") / "team.xlsx")


def load(path: Path) -> Any:
    return openpyxl.load_workbook(path)


def test_workbook_has_the_report_sheets_a_chart_and_a_colour_scale(workbook: Path) -> None:
    book = load(workbook)
    assert book.sheetnames == [
        "Summary",
        "People",
        "Readiness",
        "Managers",
        "Locations",
        "Bottlenecks",
        "Courses",
        "Heatmap",
        "Overdue",
        "Certifications expiring",
        "Own Courses",
        "Problems",
        "Course Data",
    ]
    assert [s.title for s in book.worksheets if s.sheet_state == "hidden"] == ["Course Data"]
    rules = [
        (rule.type, rule.formula)
        for scope in book["Heatmap"].conditional_formatting
        for rule in scope.rules
    ]
    assert rules == [("colorScale", []), ("cellIs", ['"Not rated"'])]
    with zipfile.ZipFile(workbook) as parts:
        assert any(name.startswith("xl/charts/chart") for name in parts.namelist())


def chart_ranges(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as parts:
        chart = parts.read("xl/charts/chart1.xml").decode("utf-8")
    return re.findall(r"<c:f>([^<]+)</c:f>", chart)


def test_the_summary_chart_has_a_bar_per_person(team: TeamReport) -> None:
    first = rl.TABLE_HEADER_ROW + 2
    assert chart_ranges(report_bytes(team)) == [
        f"People!$A${first}:$A${first + len(team.people) - 1}",
        f"People!$L${first}:$L${first + len(team.people) - 1}",
    ]


def test_a_large_team_gets_a_bar_per_course_instead(team: TeamReport) -> None:
    size = rl.CHART_PEOPLE + 1
    people = tuple(
        dataclasses.replace(team.people[n % len(team.people)], number=n + 1) for n in range(size)
    )
    gaps = tuple(team.heatmap.gaps[n % len(team.people)] for n in range(size))
    large = dataclasses.replace(
        team, people=people, heatmap=dataclasses.replace(team.heatmap, gaps=gaps), overdue=()
    )
    first, last = rl.TABLE_HEADER_ROW + 2, rl.TABLE_HEADER_ROW + 1 + len(team.courses)
    assert chart_ranges(report_bytes(large)) == [
        f"Courses!$B${first}:$B${last}",
        f"Courses!$J${first}:$J${last}",  # id, title, people, 5 statuses, overdue, done
    ]


def test_every_sheet_prints_on_letter_with_the_report_named(workbook: Path) -> None:
    book = load(workbook)
    for name in ("Summary", "People", "Courses", "Heatmap", "Overdue", "Problems"):
        sheet = book[name]
        assert sheet.page_setup.paperSize == 1, name
        assert sheet.oddHeader.left.text == "Team report", name
        assert sheet.oddFooter.center.text == "Page &P of &N", name


def print_setup(data: bytes) -> dict[str, dict[str, Any]]:
    """Each sheet's print setup as the file's XML states it: its pageSetup and fitToPage
    attributes, and its print titles and area from the workbook's defined names."""
    with zipfile.ZipFile(io.BytesIO(data)) as parts:
        book = SafeElementTree.fromstring(parts.read("xl/workbook.xml"))
        sheets = [sheet.get("name") for sheet in book.iter(f"{{{MAIN}}}sheet")]
        names = {
            (int(name.get("localSheetId", "-1")), name.get("name")): name.text
            for name in book.iter(f"{{{MAIN}}}definedName")
        }
        found = {}
        for index, sheet in enumerate(sheets):
            xml = SafeElementTree.fromstring(parts.read(f"xl/worksheets/sheet{index + 1}.xml"))
            page = xml.find(f"{{{MAIN}}}pageSetup")
            fit = xml.find(f"{{{MAIN}}}sheetPr/{{{MAIN}}}pageSetUpPr")
            found[str(sheet)] = {
                "page": {} if page is None else dict(page.attrib),
                "fit_to_page": None if fit is None else fit.get("fitToPage"),
                "titles": names.get((index, "_xlnm.Print_Titles")),
                "area": names.get((index, "_xlnm.Print_Area")),
            }
    return found


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TABLE_SHEETS = (
    "People",
    "Readiness",
    "Managers",
    "Locations",
    "Bottlenecks",
    "Courses",
    "Heatmap",
    "Overdue",
    "Problems",
)


def test_each_sheet_prints_one_page_wide_landscape_with_its_header_row_repeated(
    team: TeamReport,
) -> None:
    setup = print_setup(report_bytes(team))
    header = rl.TABLE_HEADER_ROW + 1
    for name in ("Summary", *TABLE_SHEETS):
        page = setup[name]["page"]
        assert setup[name]["fit_to_page"] == "1", name
        assert page.get("fitToWidth", "1") == "1", name  # 1 is the schema's default
        assert page["fitToHeight"] == "0", name  # as many pages down as it takes
        assert page["orientation"] == "landscape", name
    for name in TABLE_SHEETS:
        row = rl.HEAT_IDS_ROW + 2 if name == "Heatmap" else header
        assert setup[name]["titles"] == f"{quote(name)}!${row}:${row}", name


def quote(sheet: str) -> str:
    return f"'{sheet}'" if " " in sheet else sheet


def test_bookkeeping_columns_are_left_off_the_printed_people_and_overdue(
    team: TeamReport,
) -> None:
    setup = print_setup(report_bytes(team))
    layout = rl.report_layout(team)
    people_last = layout.people.col("problems")
    assert layout.people.columns[people_last + 1].key == "number"
    last_row = layout.people.total_row(0) + 1
    letters = xl_rowcol_to_cell(0, people_last).rstrip("1")
    assert setup["People"]["area"] == f"People!$A$1:${letters}${last_row}"
    assert setup["Overdue"]["area"].startswith("Overdue!$A$1:$G$")  # all but the file


@pytest.mark.parametrize(
    "sheet",
    [
        "people",
        "readiness",
        "managers",
        "locations",
        "bottlenecks",
        "courses",
        "overdue",
        "problems",
    ],
)
def test_what_a_table_prints_fits_one_page_at_a_readable_size(team: TeamReport, sheet: str) -> None:
    assert rl.printed_width(getattr(rl.report_layout(team), sheet)) <= rl.PAGE_WIDTH


def test_role_titles_wrap_so_psr_i_ii_and_iii_show_in_full(
    workbook: Path, team: TeamReport, bundled: Catalog
) -> None:
    titles = [bundled.roles[key].title for key in ("psr-i", "psr-ii", "psr-iii")]
    assert len(set(titles)) == 3
    for title in titles:  # no word is cut: each wraps whole onto a line of the column
        assert max(len(word) for word in title.split()) <= rl.ROLE_WIDTH
    book, people = load(workbook), rl.report_layout(team).people
    sheet = book["People"]
    for row, person in people.at_rows():
        cell = sheet.cell(row + 1, people.col("role_title") + 1)
        assert cell.value == person.role_title
        assert cell.alignment.wrap_text
        lines = wrapped_words(person.role_title, rl.ROLE_WIDTH)
        height = sheet.row_dimensions[row + 1].height
        assert (height or 15) >= 15 * lines, person.role_title
    assert sheet.column_dimensions["E"].width >= rl.ROLE_WIDTH


NUMBERS = {
    Style.INTEGER,
    Style.DECIMAL,
    Style.PERCENT,
    Style.COMPUTED_INTEGER,
    Style.COMPUTED_DECIMAL,
    Style.COMPUTED_PERCENT,
}
"""Right-aligned: left-aligned text just after one reads as part of it ("0Time Management")."""


def test_no_printed_number_runs_into_the_text_after_it(team: TeamReport) -> None:
    for table in rl.report_layout(team).tables:
        if table.sheet in rl.HIDDEN:
            continue
        columns = rl.printed_columns(table)
        for before, after in itertools.pairwise(columns):
            ran_into = before.cell_style in NUMBERS and after.cell_style in {Style.TEXT, Style.WRAP}
            assert not ran_into, (table.sheet, before.key, after.key)


def test_heatmap_columns_are_as_wide_as_the_longest_word_of_a_competency(
    team: TeamReport,
) -> None:
    heat = rl.report_layout(team).heatmap
    longest = max(len(word) for c in team.heatmap.competencies for word in c.name.split())
    assert longest == len("Communication")
    assert {
        heat.columns[heat.col(f"gap{i}")].width for i in range(len(team.heatmap.competencies))
    } == {longest + 1}


def wrapped_words(text: str, width: int) -> int:
    """The lines ``text`` takes wrapped at word breaks in ``width`` characters."""
    lines, length = 1, 0
    for word in text.split():
        if length and length + 1 + len(word) > width:
            lines, length = lines + 1, len(word)
        else:
            length += len(word) + (1 if length else 0)
    return lines


@pytest.mark.parametrize(
    ("size", "title"),
    [(1, "Required courses done, per person"), (0, "Share of people who have done each course")],
)
def test_the_summary_chart_title_says_what_it_plots(
    team: TeamReport, size: int, title: str
) -> None:
    count = len(team.people) if size else rl.CHART_PEOPLE + 1
    people = tuple(
        dataclasses.replace(team.people[n % len(team.people)], number=n + 1) for n in range(count)
    )
    gaps = tuple(team.heatmap.gaps[n % len(team.people)] for n in range(count))
    sized = dataclasses.replace(
        team, people=people, heatmap=dataclasses.replace(team.heatmap, gaps=gaps), overdue=()
    )
    with zipfile.ZipFile(io.BytesIO(report_bytes(sized))) as parts:
        chart = parts.read("xl/charts/chart1.xml").decode("utf-8")
    assert re.findall(r"<a:t>([^<]+)</a:t>", chart) == [title]


def test_wrapped_headers_get_the_height_they_need(workbook: Path) -> None:
    header = load(workbook)["People"].row_dimensions[rl.TABLE_HEADER_ROW + 1]
    assert header.height is not None
    assert header.height >= 30  # "Required progress" wraps to two lines in 10 characters


def test_workbook_counts_and_totals_are_formulas(workbook: Path, team: TeamReport) -> None:
    layout = rl.report_layout(team)
    book = load(workbook)

    def cell(table: Table[Any], key: str, row: int) -> Any:
        return book[table.sheet].cell(row + 1, table.col(key) + 1)

    people, courses = layout.people, layout.courses
    for row, _ in people.at_rows():
        for key in ("required_done", "required_total", "required_share", "overdue"):
            assert cell(people, key, row).data_type == "f"
    assert cell(people, "required_done", people.first_row).value.startswith("=COUNTIFS(Data_Person")
    for row, _ in courses.at_rows():
        for key in ("listed", "planned", "in_progress", "completed", "waived", "not_started"):
            assert cell(courses, key, row).data_type == "f"
    team_row = people.total_row(0)
    assert cell(people, "overdue", team_row).value == f"=SUM({people.span('overdue')})"
    heat = layout.heatmap
    assert cell(heat, "gap0", heat.total_row(0)).value.startswith("=COUNTIF(")
    assert book["Summary"]["B3"].value.date() == AS_OF  # Report_AsOf
    assert book.defined_names["Report_AsOf"].attr_text == "Summary!$B$3"


FORMULA_TEXTS = [
    (
        "people",
        "required_done",
        '=COUNTIFS(Data_Person,$O5,Data_Requirement,"Required",Data_Status,"Completed",'
        'Data_RenewalDue,"<>Renewal due")'
        '+COUNTIFS(Data_Person,$O5,Data_Requirement,"Required",Data_Status,"Waived",'
        'Data_RenewalDue,"<>Renewal due")',
    ),
    ("people", "required_total", '=COUNTIFS(Data_Person,$O5,Data_Requirement,"Required")'),
    ("people", "required_share", '=IF($K5=0,"",$J5/$K5)'),
    (
        "people",
        "overdue",
        '=COUNTIFS(Data_Person,$O5,Data_TargetDate,"<"&Report_AsOf,Data_Status,"<>Completed",'
        'Data_Status,"<>Waived")',
    ),
    ("people", "problems", "=SUMPRODUCT(--EXACT(Problems_File,$Q5))"),
    ("managers", "people", "=SUMPRODUCT(--EXACT(People_Manager,$A5))"),
    (
        "managers",
        "average_progress",
        "=IFERROR(SUMPRODUCT(--EXACT(People_Manager,$A5),People_RequiredProgress)"
        '/SUMPRODUCT(--EXACT(People_Manager,$A5),--ISNUMBER(People_RequiredProgress)),"")',
    ),
    ("locations", "overdue", "=SUMPRODUCT(--EXACT(People_Location,$A5),People_Overdue)"),
    (
        "bottlenecks",
        "not_done",
        '=$C5-COUNTIFS(Data_Course,$A5,Data_Requirement,"Required",Data_Status,"Completed",'
        'Data_RenewalDue,"<>Renewal due")'
        '-COUNTIFS(Data_Course,$A5,Data_Requirement,"Required",Data_Status,"Waived",'
        'Data_RenewalDue,"<>Renewal due")',
    ),
    ("courses", "listed", "=COUNTIF(Data_Course,$A5)"),
    ("courses", "in_progress", '=COUNTIFS(Data_Course,$A5,Data_Status,"In progress")'),
    ("courses", "done_share", '=IF($C5=0,"",($G5+$H5)/$C5)'),
    ("overdue", "days_late", "=Report_AsOf-$F5"),
]


@pytest.mark.parametrize(("table", "key", "expected"), FORMULA_TEXTS)
def test_first_row_formula_texts(team: TeamReport, table: str, key: str, expected: str) -> None:
    laid_out: Table[Any] = getattr(rl.report_layout(team), table)
    column = laid_out.columns[laid_out.col(key)]
    assert column.formula is not None
    assert column.formula.excel(laid_out, laid_out.first_row) == expected


def test_text_from_the_trackers_is_written_as_text(workbook: Path, team: TeamReport) -> None:
    people = rl.report_layout(team).people
    manager = load(workbook)["People"].cell(people.first_row + 2, people.col("manager") + 1)
    assert (manager.data_type, manager.value) == ("s", MANAGER_INJECTION)


def empty_team(bundled: Catalog) -> TeamReport:
    failure = WorkbookError("gone.xlsx", "is not an Excel workbook; save it as .xlsx")
    return team_report(ReadReport((), (failure,)), bundled, as_of=AS_OF)


@pytest.mark.parametrize("which", ["team", "nobody readable"])
def test_workbook_cached_values_equal_calc_after_recalculation(
    libreoffice: Calc, team: TeamReport, bundled: Catalog, tmp_path: Path, which: str
) -> None:
    report = team if which == "team" else empty_team(bundled)
    path = write_report(report, tmp_path / "team.xlsx")
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    formulas = sum(len(cells) for cells in answer["cells"].values())
    assert formulas > (300 if which == "team" else 10)
    assert mismatches(path, answer) == []


def test_libreoffice_sums_up_managers_locations_and_bottlenecks_as_the_report_does(
    libreoffice: Calc, team: TeamReport, tmp_path: Path
) -> None:
    path = write_report(team, tmp_path / "team.xlsx")
    cells = libreoffice.run(path, recalculate=True, read="formulas")["cells"]
    layout = rl.report_layout(team)

    def calc(table: Table[Any], key: str) -> list[Any]:
        return [
            cells[table.sheet][xl_rowcol_to_cell(row, table.col(key))].get("value")
            for row, _ in table.at_rows()
        ]

    ana, ben, cy, dee = team.people
    assert calc(layout.managers, "people") == [1, 2, 1]
    assert calc(layout.managers, "overdue") == [ben.overdue, ana.overdue + dee.overdue, 0]
    progress = calc(layout.managers, "average_progress")
    assert progress == pytest.approx(
        [ben.required_share, ((ana.required_share or 0) + (dee.required_share or 0)) / 2, 0]
    )
    assert cy.required_share == 0
    assert calc(layout.locations, "people") == [2, 1, 1]
    assert calc(layout.bottlenecks, "not_done") == [b.not_done for b in team.bottlenecks]
    assert calc(layout.bottlenecks, "required_of") == [b.required_of for b in team.bottlenecks]
    assert calc(layout.people, "problems") == [0, 0, 0, 1]


def test_same_input_gives_the_same_bytes(scenario: Scenario, bundled: Catalog) -> None:
    files = [p.path for p in scenario.people] + [scenario.broken]
    first = team_report(read_trackers(files, catalog=bundled), bundled, as_of=AS_OF)
    again = team_report(read_trackers(files, catalog=bundled), bundled, as_of=AS_OF)
    assert report_bytes(first, fmt="xlsx") == report_bytes(again, fmt="xlsx")


def test_a_report_with_no_readable_tracker_lists_the_failure(bundled: Catalog) -> None:
    report = empty_team(bundled)
    assert (report.people, report.courses, report.overdue) == ((), (), ())
    assert [p.file for p in report.problems] == ["gone.xlsx"]
    book = openpyxl.load_workbook(io.BytesIO(report_bytes(report)))
    assert book["Problems"].cell(rl.TABLE_HEADER_ROW + 2, 1).value == "gone.xlsx"


# --- CSV and JSON --------------------------------------------------------------------------


def test_csv_has_a_row_per_person_and_course_and_resists_formula_injection(
    scenario: Scenario, team: TeamReport
) -> None:
    rows = list(csv.DictReader(io.StringIO(report_bytes(team, fmt="csv").decode("utf-8"))))
    assert len(rows) == sum(len(p.role.courses) for p in scenario.people)
    ben = [row for row in rows if row["employee_name"] == "Ben Okafor"]
    assert {row["manager"] for row in ben} == {"'" + MANAGER_INJECTION}
    assert {row["employee_id"] for row in ben} == {"'-42"}
    assert {row["target_role"] for row in ben} == {"'+PSR I"}
    assert {(row["employee_name"], row["location"], row["file_problems"]) for row in rows} == {
        ("Ana Diaz", "Downtown", "0"),
        ("Ben Okafor", "Downtown", "0"),
        ("Cy Lee", "", "0"),
        ("Dee Moss", "Uptown", "1"),
    }
    late = [row for row in rows if row["overdue"] == "yes"]
    assert [(row["employee_name"], row["course_id"], row["target_date"]) for row in late] == [
        ("Ana Diaz", "bloodborne-pathogens", "2024-05-22"),
        ("Ana Diaz", "billing-basics-abn", "2024-05-31"),
        ("Ben Okafor", "lab-safety-infection-control", "2024-05-27"),
        ("Dee Moss", "annual-compliance", "2024-05-29"),
    ]


def test_json_round_trips_the_report(team: TeamReport) -> None:
    data = json.loads(report_bytes(team, fmt="json"))
    assert data["as_of"] == "2024-06-01"
    assert data["people"][0]["courses"][0]["status"] == "Completed"
    assert (data["people"][3]["location"], data["people"][3]["problems"]) == ("Uptown", 1)
    assert data["managers"][1] == {
        "name": "Lee Park",
        "people": 2,
        "average_progress": team.managers[1].average_progress,
        "overdue": 3,
        "ready": 0,  # Ana's tracker offers no next role
    }
    assert [g["name"] for g in data["locations"]] == ["Downtown", "Uptown", ""]
    assert data["bottlenecks"][0] == dataclasses.asdict(team.bottlenecks[0])
    assert TeamReport.from_dict(data) == team


def test_write_report_writes_the_bytes_of_each_format(team: TeamReport, tmp_path: Path) -> None:
    for fmt in ("xlsx", "csv", "json"):
        path = write_report(team, tmp_path / f"team.{fmt}", fmt)
        assert path.read_bytes() == report_bytes(team, fmt=fmt)


def test_an_unknown_format_is_refused_with_the_choices(team: TeamReport) -> None:
    with pytest.raises(
        ValueError, match="'pdf' is not a report format; use one of xlsx, csv, json"
    ):
        report_bytes(team, fmt="pdf")  # type: ignore[arg-type]
