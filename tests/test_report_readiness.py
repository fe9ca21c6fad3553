"""The team report says who is ready for their target role: the Readiness sheet, the
"Ready for their target" counts per manager and per location, and the Summary's count.

Five PSR I trackers offer PSR II as the next role, and four people choose it: two meet all of
it, one part of it, one none of it; the fifth chooses no target. The expected rows are worked
out here from PSR II's requirements and what each person entered, never by the report's code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xlsxwriter.utility import xl_rowcol_to_cell

from test_parity import mismatches
from trackerkit import (
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    Requirement,
    Status,
    TrackerOptions,
    build_tracker,
    read_trackers,
)
from trackerkit import report_layout as rl
from trackerkit.figures import Readiness
from trackerkit.report import TeamReport, report_bytes, team_report, write_report
from trackerkit.report_data import ready_first

if TYPE_CHECKING:
    from pathlib import Path

    from libreoffice import Calc
    from trackerkit import Catalog, Role
    from trackerkit.grid import Table

AS_OF = dt.date(2024, 6, 1)
TARGET = "Patient Services Representative II"


def required_courses(target: Role) -> list[str]:
    return [c.id for c in target.courses if c.requirement is Requirement.REQUIRED]


def filled(
    name: str, manager: str, location: str, target: Role | None, *, done: int, short: int
) -> Entries:
    """The first ``done`` of the target's required courses completed, and every
    competency it asks at its level but the last ``short`` (one below it)."""
    employee = Employee(
        name, f"E-{name}", manager, location=location, target_role=TARGET if target else ""
    )
    if target is None:
        return Entries(employee=employee)
    courses = required_courses(target)[:done]
    asked = target.competencies
    ratings = {
        item.id: CompetencyEntry(manager_rating=item.target - (index >= len(asked) - short))
        for index, item in enumerate(asked)
    }
    return Entries(
        employee=employee,
        courses=MappingProxyType({c: CourseEntry(Status.COMPLETED) for c in courses}),
        competencies=MappingProxyType(ratings),
    )


@pytest.fixture(scope="module")
def psr_ii(bundled: Catalog) -> Role:
    return bundled.roles["psr-ii"]


@pytest.fixture(scope="module")
def team(bundled: Catalog, psr_ii: Role, tmp_path_factory: pytest.TempPathFactory) -> TeamReport:
    folder = tmp_path_factory.mktemp("ready")
    role = bundled.roles["psr-i"]
    all_courses = len(required_courses(psr_ii))
    people = [
        (
            "a-jo",
            filled("Jo", "Lee Park", "Uptown", psr_ii, done=0, short=len(psr_ii.competencies)),
        ),  # nothing met yet
        ("b-ida", filled("Ida", "Lee Park", "Downtown", psr_ii, done=all_courses, short=0)),
        ("c-kai", filled("Kai", "Ann Ray", "Uptown", psr_ii, done=all_courses - 2, short=1)),
        ("d-lu", filled("Lu", "Lee Park", "Downtown", None, done=0, short=0)),  # no target
        ("e-max", filled("Max", "Ann Ray", "Downtown", psr_ii, done=all_courses, short=0)),
    ]
    options = TrackerOptions(as_of=AS_OF, generated_on=AS_OF)
    paths = [
        build_tracker(
            role,
            folder / f"{file}.xlsx",
            employee=entries,
            options=options,
            next_roles=bundled.next_roles(role),
        )
        for file, entries in people
    ]
    return team_report(read_trackers(paths, catalog=bundled), bundled, as_of=AS_OF)


def rows(team: TeamReport) -> list[dict[str, Any]]:
    table = rl.report_layout(team).readiness
    return [
        {column.key: column.value(item) for column in table.columns if column.value}
        for item in table.rows
    ]


def test_readiness_lists_who_chose_a_target_ready_first_then_the_most_met(
    team: TeamReport, psr_ii: Role
) -> None:
    courses, asked = len(required_courses(psr_ii)), len(psr_ii.competencies)
    assert courses > 2
    assert [(r["name"], r["verdict"], r["missing"]) for r in rows(team)] == [
        ("Ida", "Ready", ""),
        ("Max", "Ready", ""),
        ("Kai", "Not yet: 3 to go", "2 courses, 1 competency"),
        ("Jo", f"Not yet: {courses + asked} to go", f"{courses} courses, {asked} competencies"),
    ]
    kai = rows(team)[2]
    assert kai["courses_share"] == (courses - 2) / courses
    assert kai["competencies_share"] == (asked - 1) / asked
    assert (kai["role_title"], kai["target_role"]) == ("Patient Services Representative I", TARGET)
    assert (kai["manager"], kai["location"]) == ("Ann Ray", "Uptown")


def test_missing_names_one_course_or_competency_in_the_singular() -> None:
    assert rl.missing(1, 0) == "1 course"
    assert rl.missing(0, 1) == "1 competency"
    assert rl.missing(2, 3) == "2 courses, 3 competencies"
    assert rl.missing(0, 0) == ""


def test_managers_and_locations_count_the_people_ready_for_their_target(
    team: TeamReport,
) -> None:
    assert [(g.name, g.people, g.ready) for g in team.managers] == [
        ("Ann Ray", 2, 1),  # Max ready, Kai not yet
        ("Lee Park", 3, 1),  # Ida ready, Jo not yet, Lu without a target
    ]
    assert [(g.name, g.people, g.ready) for g in team.locations] == [
        ("Downtown", 3, 2),
        ("Uptown", 2, 0),
    ]


def test_json_gives_each_group_its_ready_count(team: TeamReport) -> None:
    data = json.loads(report_bytes(team, fmt="json"))
    assert [(g["name"], g["ready"]) for g in data["managers"]] == [("Ann Ray", 1), ("Lee Park", 1)]
    assert [(g["name"], g["ready"]) for g in data["locations"]] == [("Downtown", 2), ("Uptown", 0)]
    assert TeamReport.from_dict(data) == team
    older = {
        **data,
        "managers": [{k: v for k, v in g.items() if k != "ready"} for g in data["managers"]],
    }
    assert TeamReport.from_dict(older).managers[0].ready == 0  # a report saved before


def test_the_sheet_is_written_with_live_formulas_and_prints_like_the_others(
    team: TeamReport, tmp_path: Path
) -> None:
    path = write_report(team, tmp_path / "team.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:3] == ["Summary", "People", "Readiness"]
    layout = rl.report_layout(team)
    table = layout.readiness
    sheet = book["Readiness"]
    first = table.first_row + 1
    verdict = sheet.cell(first, table.col("verdict") + 1)
    assert verdict.data_type == "f"
    assert (
        verdict.value
        == '=IF(($K5-$J5)+($M5-$L5)=0,"Ready","Not yet: "&(($K5-$J5)+($M5-$L5))&" to go")'
    )
    assert sheet.cell(first, table.col("courses_share") + 1).value == '=IF($K5=0,"",$J5/$K5)'
    header = table.header_row + 1
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.page_setup.orientation == "landscape"
    assert rl.printed_width(table) <= rl.PAGE_WIDTH
    assert rl.printed_columns(table)[-1].key == "competencies_asked"  # Person # not printed
    managers = layout.managers
    ready = book["Managers"].cell(managers.first_row + 1, managers.col("ready") + 1)
    assert ready.value == (
        '=SUMPRODUCT(--EXACT(Readiness_Manager,$A5),--EXACT(Readiness_Verdict,"Ready"))'
    )
    assert book["Summary"]["A7"].value == "Ready for their target"
    assert book["Summary"]["B7"].value == '=COUNTIF(Readiness_Verdict,"Ready")'


def test_libreoffice_agrees_with_every_cached_value_and_counts_who_is_ready(
    libreoffice: Calc, team: TeamReport, tmp_path: Path
) -> None:
    path = write_report(team, tmp_path / "team.xlsx")
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []
    cells = answer["cells"]
    layout = rl.report_layout(team)

    def calc(table: Table[Any], key: str) -> list[Any]:
        return [
            cells[table.sheet][xl_rowcol_to_cell(row, table.col(key))].get("value")
            for row, _ in table.at_rows()
        ]

    assert calc(layout.readiness, "verdict")[:2] == ["Ready", "Ready"]
    assert calc(layout.readiness, "missing")[2] == "2 courses, 1 competency"
    assert calc(layout.managers, "ready") == [1, 1]
    assert calc(layout.locations, "ready") == [2, 0]
    assert cells["Summary"]["B7"]["value"] == 2


def test_nobody_with_a_target_leaves_the_sheet_empty_and_the_counts_zero(
    team: TeamReport, libreoffice: Calc, tmp_path: Path
) -> None:
    nobody = dataclasses.replace(
        team,
        people=tuple(dataclasses.replace(p, readiness=None) for p in team.people),
        managers=tuple(dataclasses.replace(g, ready=0) for g in team.managers),
        locations=tuple(dataclasses.replace(g, ready=0) for g in team.locations),
    )
    assert rl.report_layout(nobody).readiness.rows == ()
    path = write_report(nobody, tmp_path / "team.xlsx")
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []
    assert answer["cells"]["Summary"]["B7"]["value"] == 0


COUNTS = st.integers(min_value=0, max_value=30).flatmap(
    lambda total: st.tuples(st.integers(min_value=0, max_value=total), st.just(total))
)
"""How many of a target's courses or competencies are met, and how many it asks."""


@given(st.lists(st.tuples(COUNTS, COUNTS, st.booleans()), max_size=12))
def test_ready_people_come_first_then_the_most_met_and_only_they_read_ready(
    team: TeamReport, made: list[tuple[tuple[int, int], tuple[int, int], bool]]
) -> None:
    people = [
        dataclasses.replace(
            team.people[0],
            number=number,
            readiness=Readiness(
                "psr-ii", done, required, met, asked, ready=done == required and met == asked
            )
            if chose
            else None,
        )
        for number, ((done, required), (met, asked), chose) in enumerate(made, start=1)
    ]
    rows = ready_first(people)
    assert sorted(row.person.number for row in rows) == [p.number for p in people if p.readiness]
    met_share = []
    for row in rows:
        ready = row.readiness
        courses = ready.courses_required - ready.courses_done
        competencies = ready.competencies_asked - ready.competencies_met
        said = rl.verdict(row.to_go)
        assert (said == "Ready") == (courses == 0 and competencies == 0)
        assert (rl.missing(courses, competencies) == "") == (said == "Ready")
        asked = ready.courses_required + ready.competencies_asked
        met = ready.courses_done + ready.competencies_met
        met_share.append((said != "Ready", -(met / asked if asked else 1.0)))
    assert met_share == sorted(met_share)  # ready first, then the most of the target met
