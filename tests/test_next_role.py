"""The Next Role sheet: what the target role adds, and how ready the person is for it."""

from __future__ import annotations

import dataclasses
import datetime as dt
from types import MappingProxyType
from typing import TYPE_CHECKING

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from trackerkit import (
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    Requirement,
    Status,
    TrackerError,
    build_tracker,
    read_tracker,
    upgrade_tracker,
)
from trackerkit import layout as lay
from trackerkit.entries import entry_problems
from trackerkit.figures import next_role, readiness, today

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog, Role


DONE_ON = today() - dt.timedelta(days=30)
"""When the courses done here were completed: recently, so none is due for renewal."""


@pytest.fixture
def roles(bundled: Catalog) -> tuple[Role, Role]:
    return bundled.roles["psr-ii"], bundled.roles["psr-iii"]


@pytest.fixture
def entries(roles: tuple[Role, Role]) -> Entries:
    role, _ = roles
    courses = {item.id: CourseEntry(Status.COMPLETED, None, DONE_ON) for item in role.courses[::2]}
    ratings = {item.id: CompetencyEntry(5, None) for item in role.competencies[:3]}
    return Entries(courses=MappingProxyType(courses), competencies=MappingProxyType(ratings))


def rows_of(path: Path, table: lay.Table) -> dict[str, dict[str, object]]:
    sheet = openpyxl.load_workbook(path, data_only=True)[table.sheet]
    return {
        item: {
            column.key: sheet.cell(table.row(item) + 1, index + 1).value
            for index, column in enumerate(table.columns)
        }
        for item in table.ids
    }


def test_the_sheet_comes_only_with_a_target(roles: tuple[Role, Role], tmp_path: Path) -> None:
    role, target = roles
    plain = build_tracker(role, tmp_path / "plain.xlsx")
    aimed = build_tracker(role, tmp_path / "aimed.xlsx", target=target)
    assert lay.NEXT_ROLE not in openpyxl.load_workbook(plain).sheetnames
    assert openpyxl.load_workbook(aimed).sheetnames == [
        lay.START,
        lay.CHECKLIST,
        lay.COVERAGE,
        lay.CERTIFICATIONS,  # the role lists certifications
        lay.NEXT_ROLE,
        lay.DISCUSSION,
        lay.LISTS,
        lay.METADATA,
    ]


def test_it_lists_what_the_target_adds_and_the_person_s_standing(
    roles: tuple[Role, Role], entries: Entries, tmp_path: Path
) -> None:
    role, target = roles
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries, target=target)
    layout = lay.layout_for(role, target=target)
    assert layout.next_competencies is not None
    assert layout.next_courses is not None
    now = {item.id: item for item in role.competencies}
    competencies = rows_of(path, layout.next_competencies)
    assert list(competencies) == [item.id for item in target.competencies]
    for item in target.competencies:
        row = competencies[item.id]
        before = now.get(item.id)
        expected_change = (
            "New"
            if before is None
            else f"Up from {before.target}"
            if item.target > before.target
            else None
        )
        rating = entries.competency(item.id).self_rating if item.id in now else None
        assert row["change"] == expected_change, item.id
        assert row["target"] == item.target
        assert row["current"] == rating
        assert row["ready"] == ("Yes" if rating is not None and rating >= item.target else "No")
    required = [c for c in target.courses if c.requirement is Requirement.REQUIRED]
    courses = rows_of(path, layout.next_courses)
    assert list(courses) == [c.id for c in required]
    here = {c.id: c for c in role.courses}
    for course in required:
        row = courses[course.id]
        if course.id not in here:
            assert (row["change"], row["status"], row["done"]) == ("New", None, "No")
        else:
            entered = entries.course(course.id).status
            assert entered is not None  # generated entries always hold a status
            status = entered.value
            assert row["status"] == status
            assert row["done"] == ("Yes" if status == "Completed" else "No")
            assert row["change"] == (
                None if here[course.id].requirement is Requirement.REQUIRED else "Now required"
            )


def test_the_readiness_figures_count_the_target_s_courses_and_levels(
    roles: tuple[Role, Role], entries: Entries, tmp_path: Path
) -> None:
    role, target = roles
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries, target=target)
    sheet = openpyxl.load_workbook(path, data_only=True)[lay.NEXT_ROLE]
    shown = {
        f.key: sheet.cell(f.row + 1, f.col + 1).value
        for f in lay.layout_for(role, target=target).next_fields
    }
    required = [c.id for c in target.courses if c.requirement is Requirement.REQUIRED]
    done = [c for c in required if entries.courses.get(c, CourseEntry()).status is Status.COMPLETED]
    ready = [
        item.id
        for item in target.competencies
        if item.id in entries.competencies
        and entries.competency(item.id).self_rating >= item.target  # type: ignore[operator]
    ]
    to_go = len(required) - len(done) + len(target.competencies) - len(ready)
    assert shown == {
        "chosen": target.title,
        "verdict": f"Not yet: {to_go} to go",
        "courses_done": len(done),
        "courses_total": len(required),
        "courses_share": len(done) / len(required),
        "ready": len(ready),
        "competencies_total": len(target.competencies),
        "competencies_share": len(ready) / len(target.competencies),
    }
    assert 0 < len(done) < len(required)
    assert 0 < len(ready) < len(target.competencies)


def test_the_target_is_read_back_and_kept_by_an_upgrade(
    roles: tuple[Role, Role], entries: Entries, bundled: Catalog, tmp_path: Path
) -> None:
    role, target = roles
    path = build_tracker(role, tmp_path / "old" / "t.xlsx", employee=entries, target=target)
    tracker = read_tracker(path, catalog=bundled)
    assert tracker.role.target == target.id
    assert tracker.problems == ()
    result = upgrade_tracker(path, tmp_path / "new", catalog=bundled, force=True)
    assert result.outcome == "upgraded"
    assert lay.NEXT_ROLE in openpyxl.load_workbook(tmp_path / "new" / "t.xlsx").sheetnames
    assert read_tracker(tmp_path / "new" / "t.xlsx", catalog=bundled).role.target == target.id


def test_a_changed_target_role_makes_the_tracker_out_of_date(
    roles: tuple[Role, Role], bundled: Catalog, tmp_path: Path
) -> None:
    """The Next Role sheet shows the target: when only the target changes, upgrade rebuilds it."""
    from dataclasses import replace

    role, target = roles
    offered = bundled.next_roles(role)
    path = build_tracker(role, tmp_path / "old" / "t.xlsx", target=target, next_roles=offered)
    assert upgrade_tracker(path, tmp_path / "same", catalog=bundled).outcome == "current"
    newer = replace(target, version="2099.1", competencies=target.competencies[1:])
    catalog = replace(bundled, roles=MappingProxyType({**bundled.roles, target.id: newer}))
    assert upgrade_tracker(path, tmp_path / "new", catalog=catalog).outcome == "upgraded"
    layout = lay.layout_for(role, target=newer, next_roles=catalog.next_roles(role))
    assert layout.next_competencies is not None
    rows = rows_of(tmp_path / "new" / "t.xlsx", layout.next_competencies)
    asked = {item: row["target"] for item, row in rows.items() if row["target"] is not None}
    assert asked == {item.id: item.target for item in newer.competencies}


def test_a_tracker_without_its_next_roles_is_upgraded_to_offer_them(
    roles: tuple[Role, Role], bundled: Catalog, tmp_path: Path
) -> None:
    role, _ = roles
    path = build_tracker(role, tmp_path / "old" / "t.xlsx")
    assert upgrade_tracker(path, tmp_path / "new", catalog=bundled).outcome == "upgraded"
    again = read_tracker(tmp_path / "new" / "t.xlsx", catalog=bundled)
    assert again.role.next_roles == role.next_roles


def _everything_met(role: Role, target: Role) -> Entries:
    """Every course of the tracker done and every competency rated at the level asked."""
    courses = {
        item: CourseEntry(Status.COMPLETED, None, DONE_ON)
        for item in (*(c.id for c in role.courses), *lay.extra_courses(role, (target,)))
    }
    levels = {c.id: c.target for c in role.competencies}
    for item in target.competencies:
        levels[item.id] = max(levels.get(item.id, 0), item.target)
    ratings = {item: CompetencyEntry(None, level) for item, level in levels.items()}
    return Entries(courses=MappingProxyType(courses), competencies=MappingProxyType(ratings))


@pytest.mark.parametrize(
    ("role_id", "target_id"), [("psr-iii", "psr-iv-group-lead"), ("psr-ii-float", "psr-iii")]
)
def test_what_only_the_target_has_can_be_entered_so_readiness_reaches_100(
    bundled: Catalog, role_id: str, target_id: str, tmp_path: Path
) -> None:
    role, target = bundled.roles[role_id], bundled.roles[target_id]
    layout = lay.layout_for(role, target=target)
    assert layout.extra_competencies is not None
    assert layout.extra_competencies.ids == lay.extra_competencies(role, (target,))
    with pytest.raises(TrackerError, match="is not one of the role's"):
        build_tracker(role, tmp_path / "t.xlsx", employee=_everything_met(role, target))
    tracker = read_tracker(
        build_tracker(
            role,
            tmp_path / "aimed.xlsx",
            employee=_everything_met(role, target),
            target=target,
        ),
        catalog=bundled,
    )
    assert not tracker.problems
    assert tracker.readiness is not None
    assert tracker.readiness.ready
    assert tracker.readiness.courses_done == tracker.readiness.courses_required
    assert tracker.readiness.competencies_met == tracker.readiness.competencies_asked
    assert tracker.to_dict()["readiness"]["ready"] is True
    for item in lay.extra_competencies(role, (target,)):
        assert tracker.competencies[item].manager_rating == target.competency(item).target
    for item in lay.extra_courses(role, (target,)):
        assert tracker.courses[item].status is Status.COMPLETED
    fields = {f.key: f for f in layout.next_fields}
    sheet = openpyxl.load_workbook(tmp_path / "aimed.xlsx", data_only=True)[lay.NEXT_ROLE]
    for key in ("courses_share", "competencies_share"):
        assert sheet.cell(fields[key].row + 1, fields[key].col + 1).value == 1


def test_one_level_short_on_a_competency_only_the_target_asks_is_not_ready(
    bundled: Catalog, tmp_path: Path
) -> None:
    role, target = bundled.roles["psr-iii"], bundled.roles["psr-iv-group-lead"]
    full = _everything_met(role, target)
    short = lay.extra_competencies(role, (target,))[0]
    ratings = {
        **full.competencies,
        short: CompetencyEntry(None, target.competency(short).target - 1),
    }
    entries = Entries(courses=full.courses, competencies=MappingProxyType(ratings))
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries, target=target)
    readiness = read_tracker(path, catalog=bundled).readiness
    assert readiness is not None
    assert not readiness.ready
    assert readiness.competencies_met == readiness.competencies_asked - 1


def test_an_upgrade_carries_what_was_entered_for_the_target(
    bundled: Catalog, tmp_path: Path
) -> None:
    role, target = bundled.roles["psr-iii"], bundled.roles["psr-iv-group-lead"]
    entries = _everything_met(role, target)
    source = build_tracker(role, tmp_path / "old" / "t.xlsx", employee=entries, target=target)
    result = upgrade_tracker(source, tmp_path / "new", catalog=bundled, force=True)
    assert result.outcome == "upgraded", result.message
    again = read_tracker(tmp_path / "new" / "t.xlsx", catalog=bundled)
    assert again.entries.courses == read_tracker(source, catalog=bundled).entries.courses
    assert again.readiness is not None
    assert again.readiness.ready
    assert not again.entries.archive


def test_a_blank_tracker_with_a_target_reads_as_not_ready(bundled: Catalog, tmp_path: Path) -> None:
    role, target = bundled.roles["psr-iii"], bundled.roles["psr-iv-group-lead"]
    readiness = read_tracker(
        build_tracker(role, tmp_path / "t.xlsx", target=target), catalog=bundled
    ).readiness
    assert readiness is not None
    assert (readiness.courses_done, readiness.competencies_met, readiness.ready) == (0, 0, False)
    assert readiness.courses_required == sum(
        c.requirement is Requirement.REQUIRED for c in target.courses
    )
    assert readiness.competencies_asked == len(target.competencies)


def _pairs() -> list[tuple[str, str]]:
    from trackerkit import load_catalog

    roles = load_catalog().roles
    return [(role.id, target) for role in roles.values() for target in role.next_roles]


@given(data=st.data(), pair=st.sampled_from(_pairs()))
def test_readiness_is_100_exactly_when_everything_the_target_asks_is_met(
    bundled: Catalog, data: st.DataObject, pair: tuple[str, str]
) -> None:
    role, target = bundled.roles[pair[0]], bundled.roles[pair[1]]
    course_ids = (*(c.id for c in role.courses), *lay.extra_courses(role, (target,)))
    competency_ids = (
        *(c.id for c in role.competencies),
        *lay.extra_competencies(role, (target,)),
    )
    ratings = st.none() | st.integers(1, 5)
    entries = Entries(
        courses=MappingProxyType(
            {i: CourseEntry(data.draw(st.sampled_from(Status))) for i in course_ids}
        ),
        competencies=MappingProxyType(
            {i: CompetencyEntry(data.draw(ratings), data.draw(ratings)) for i in competency_ids}
        ),
    )
    assert not entry_problems(role, entries, (target,))

    def level(item: str) -> int:
        entry = entries.competency(item)
        found = entry.manager_rating if entry.manager_rating is not None else entry.self_rating
        return 0 if found is None else found

    everything = all(
        entries.course(c.id).status in {Status.COMPLETED, Status.WAIVED}
        for c in target.courses
        if c.requirement is Requirement.REQUIRED
    ) and all(level(c.id) >= c.target for c in target.competencies)
    found = readiness(role, target, entries)
    assert found.ready is everything
    full = (
        found.courses_done == found.courses_required
        and found.competencies_met == found.competencies_asked
    )
    assert full is everything


def test_what_you_still_need_lists_courses_first_then_the_largest_gaps(bundled: Catalog) -> None:
    role, target = bundled.roles["psr-iii"], bundled.roles["psr-iv-group-lead"]
    required = [c.id for c in target.courses if c.requirement is Requirement.REQUIRED]
    asked = {c.id: c.target for c in target.competencies}
    first, second, third, *_ = target.competencies
    ratings = {c: CompetencyEntry(None, level) for c, level in asked.items()}
    ratings[first.id] = CompetencyEntry(None, first.target - 1)  # one short
    ratings[second.id] = CompetencyEntry()  # not rated
    ratings[third.id] = CompetencyEntry(None, max(1, third.target - 2))  # two short
    courses = {c: CourseEntry(Status.COMPLETED, None, DONE_ON) for c in required[1:]}
    entries = Entries(
        Employee(target_role=target.title),
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(ratings),
    )
    figures = next_role(role, (target,), entries)
    short_by = third.target - max(1, third.target - 2)
    gaps = sorted([(short_by, third), (1, first)], key=lambda pair: -pair[0])
    assert [(line.what, line.kind) for line in figures.still_need] == [
        (target.course(required[0]).course.title, "Required course"),
        *((item.competency.name, "Competency") for _, item in gaps),
        (second.competency.name, "Competency"),
    ]
    assert figures.still_need[-1].now == "Not rated"
    assert figures.still_need[0].how == "Status: Not started"
    assert figures.verdict == "Not yet: 4 to go"
    done = Entries(
        entries.employee,
        courses=MappingProxyType({c: CourseEntry(Status.WAIVED) for c in required}),
        competencies=MappingProxyType({c: CompetencyEntry(n, None) for c, n in asked.items()}),
    )
    assert next_role(role, (target,), done).verdict == "Ready"
    assert next_role(role, (target,), done).still_need == ()
    assert next_role(role, (target,), Entries()).verdict == ""


def test_the_meeting_date_reads_back_and_is_carried(bundled: Catalog, tmp_path: Path) -> None:
    import datetime as dt

    from trackerkit import Discussion

    role = bundled.roles["psr-ii"]
    day = dt.date(2026, 11, 3)
    entries = Entries(discussion=Discussion(meeting_date=day))
    offered = bundled.next_roles(role)
    path = build_tracker(role, tmp_path / "old" / "t.xlsx", employee=entries, next_roles=offered)
    layout = lay.layout_for(role, next_roles=offered)
    assert lay.MEETING_DATE in layout.names
    tracker = read_tracker(path, catalog=bundled)
    assert tracker.discussion.meeting_date == day
    assert tracker.to_dict()["discussion"]["meeting_date"] == "2026-11-03"
    upgrade_tracker(path, tmp_path / "new", catalog=bundled, force=True)
    assert read_tracker(tmp_path / "new" / "t.xlsx").discussion.meeting_date == day


def test_the_discussion_shows_the_chosen_role_s_readiness(bundled: Catalog, tmp_path: Path) -> None:
    role, target = bundled.roles["psr-ii"], bundled.roles["psr-ii-site-lead"]
    offered = bundled.next_roles(role)
    entries = Entries(Employee(target_role=target.title))
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries, next_roles=offered)
    layout = lay.layout_for(role, next_roles=offered)
    summary = {f.key: f for f in layout.discussion_summary}
    sheet = openpyxl.load_workbook(path, data_only=True)[lay.DISCUSSION]
    figures = next_role(role, offered, entries)
    shown = {
        key: sheet.cell(summary[key].row + 1, summary[key].col + 1).value
        for key in ("next_verdict", "next_courses", "next_competencies", "overdue_names")
    }
    assert shown == {
        "next_verdict": figures.verdict,
        "next_courses": figures.courses_share,
        "next_competencies": figures.competencies_share,
        "overdue_names": "None",
    }
    plain = lay.layout_for(bundled.roles["psr-iv-group-lead"])
    assert "next_verdict" not in {f.key for f in plain.discussion_summary}


def test_readiness_is_in_read_csv_and_the_report(bundled: Catalog, tmp_path: Path) -> None:
    import csv
    import datetime as dt
    import io
    import json

    from trackerkit import read_trackers, report_bytes, team_report
    from trackerkit.export import to_csv

    role, target = bundled.roles["psr-iii"], bundled.roles["psr-iv-group-lead"]
    path = build_tracker(
        role, tmp_path / "t.xlsx", employee=_everything_met(role, target), target=target
    )
    read = read_trackers([path], catalog=bundled)
    rows = list(csv.DictReader(io.StringIO(to_csv(read.trackers))))
    assert {(r["target_role_id"], r["ready"], r["courses_done"]) for r in rows} == {
        (target.id, "yes", str(read.trackers[0].readiness.courses_required))  # type: ignore[union-attr]
    }
    team = team_report(read, bundled, as_of=dt.date(2026, 12, 1))
    data = json.loads(report_bytes(team, fmt="json"))
    assert data["people"][0]["readiness"]["ready"] is True
    report_rows = list(csv.DictReader(io.StringIO(report_bytes(team, fmt="csv").decode())))
    assert {r["ready"] for r in report_rows} == {"yes"}


def test_start_here_shows_the_chosen_role_s_readiness(bundled: Catalog, tmp_path: Path) -> None:
    role, target = bundled.roles["psr-iii"], bundled.roles["psr-iv-group-lead"]
    offered = bundled.next_roles(role)
    entries = dataclasses.replace(
        _everything_met(role, target), employee=Employee(target_role=target.title)
    )
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries, next_roles=offered)
    dashboard = {f.key: f for f in lay.layout_for(role, next_roles=offered).dashboard}
    book = openpyxl.load_workbook(path, data_only=True)
    shown = {
        key: book[lay.START].cell(dashboard[key].row + 1, dashboard[key].col + 1).value
        for key in ("next_verdict", "next_courses", "next_competencies")
    }
    assert shown == {"next_verdict": "Ready", "next_courses": 1, "next_competencies": 1}
    formulas = openpyxl.load_workbook(path)[lay.START]
    verdict = dashboard["next_verdict"]
    assert formulas.cell(verdict.row + 1, verdict.col + 1).value == (
        '=IF(NextRole_Verdict="","",NextRole_Verdict)'
    )
    plain = lay.layout_for(bundled.roles["psr-iv-group-lead"])
    assert "next_verdict" not in {f.key for f in plain.dashboard}
