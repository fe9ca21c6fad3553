"""The Next Role sheet: what the target role adds, and how ready the person is for it."""

from __future__ import annotations

from types import MappingProxyType
from typing import TYPE_CHECKING

import openpyxl
import pytest

from trackerkit import (
    CompetencyEntry,
    CourseEntry,
    Entries,
    Requirement,
    Status,
    build_tracker,
    read_tracker,
    upgrade_tracker,
)
from trackerkit import layout as lay

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog, Role


@pytest.fixture
def roles(bundled: Catalog) -> tuple[Role, Role]:
    return bundled.roles["psr-ii"], bundled.roles["psr-iii"]


@pytest.fixture
def entries(roles: tuple[Role, Role]) -> Entries:
    role, _ = roles
    courses = {item.id: CourseEntry(Status.COMPLETED) for item in role.courses[::2]}
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
    assert shown == {
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
    path = build_tracker(role, tmp_path / "old" / "t.xlsx", target=target)
    assert upgrade_tracker(path, tmp_path / "same", catalog=bundled).outcome == "current"
    newer = replace(target, version="2099.1", competencies=target.competencies[1:])
    catalog = replace(bundled, roles=MappingProxyType({**bundled.roles, target.id: newer}))
    assert upgrade_tracker(path, tmp_path / "new", catalog=catalog).outcome == "upgraded"
    layout = lay.layout_for(role, target=newer)
    assert layout.next_competencies is not None
    assert list(rows_of(tmp_path / "new" / "t.xlsx", layout.next_competencies)) == [
        item.id for item in newer.competencies
    ]
