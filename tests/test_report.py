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
import json
import re
import zipfile
from collections import Counter
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
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
from trackerkit.problem_codes import Code
from trackerkit.report import (
    TeamReport,
    report_bytes,
    report_trackers,
    team_report,
    write_report,
)
from trackerkit.report_workbook import ReportWorkbook

if TYPE_CHECKING:
    from pathlib import Path

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
        Employee("Ana Diaz", "E-001", "Lee Park", target_role="PSR IV Group Lead"),
        {
            "hipaa-privacy-security": CourseEntry(Status.COMPLETED, days(-30), days(-35)),
            "annual-compliance": CourseEntry(Status.WAIVED),
            "bloodborne-pathogens": CourseEntry(Status.PLANNED, days(-10)),
            "lab-safety-infection-control": CourseEntry(Status.IN_PROGRESS, days(10)),
            "billing-basics-abn": CourseEntry(Status.PLANNED, days(-1)),
            "leading-through-change": CourseEntry(Status.COMPLETED),
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
        Employee("Ben Okafor", "-42", MANAGER_INJECTION, target_role="+PSR I"),
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
        Employee("Dee Moss"),
        {
            "hipaa-privacy-security": CourseEntry(Status.COMPLETED),
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
                "hipaa-privacy-security": CourseEntry(Status.COMPLETED),
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
        "Courses",
        "Heatmap",
        "Overdue",
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
        f"People!$H${first}:$H${first + len(team.people) - 1}",
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
    assert book["People"].page_setup.fitToWidth == 2  # ~290 characters wide: two pages
    assert book["People"].print_title_cols == "$A:$A"  # each page says whose row it is


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
        '=COUNTIFS(Data_Person,$M5,Data_Requirement,"Required",Data_Status,"Completed")'
        '+COUNTIFS(Data_Person,$M5,Data_Requirement,"Required",Data_Status,"Waived")',
    ),
    ("people", "required_total", '=COUNTIFS(Data_Person,$M5,Data_Requirement,"Required")'),
    ("people", "required_share", '=IF($G5=0,"",$F5/$G5)'),
    (
        "people",
        "overdue",
        '=COUNTIFS(Data_Person,$M5,Data_TargetDate,"<"&Report_AsOf,Data_Status,"<>Completed",'
        'Data_Status,"<>Waived")',
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
