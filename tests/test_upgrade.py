"""Carrying filled trackers into a new role version: every entry lands somewhere, none is lost."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fills import google_export, open_book, put
from strategies import catalogs, entries_for
from trackerkit import (
    Carried,
    CertificationEntry,
    CompetencyEntry,
    CourseEntry,
    Discussion,
    Employee,
    Entries,
    NextStep,
    Status,
    build_tracker,
    carry,
    read_tracker,
    upgrade_tracker,
)
from trackerkit import layout as lay
from trackerkit.cli import main

if TYPE_CHECKING:
    from trackerkit import Catalog, FilledTracker, Role


def changed(catalog: Catalog, role: Role, **fields: object) -> tuple[Catalog, Role]:
    """The catalog with a newer version of ``role``."""
    newer = replace(role, version="2099.1", **fields)  # type: ignore[arg-type]
    return replace(catalog, roles=MappingProxyType({**catalog.roles, role.id: newer})), newer


@pytest.fixture
def role(bundled: Catalog) -> Role:
    return bundled.roles["psr-ii"]


@pytest.fixture
def entries(role: Role) -> Entries:
    first, second, third = (item.id for item in role.courses[:3])
    return Entries(
        employee=Employee(name="Ana Díaz", manager="Lee Park", start_date=dt.date(2024, 5, 1)),
        discussion=Discussion(goals_1y="Lead", next_steps=(NextStep("Shadow", "Ana"),)),
        courses=MappingProxyType(
            {
                first: CourseEntry(Status.COMPLETED, completed_on=dt.date(2025, 9, 1), notes="ok"),
                second: CourseEntry(Status.PLANNED, target_date=dt.date(2027, 1, 31)),
                third: CourseEntry(),  # a blank row carries nothing
            }
        ),
        competencies=MappingProxyType({role.competencies[0].id: CompetencyEntry(2, 3, "ev")}),
    )


@pytest.fixture
def old(role: Role, entries: Entries, tmp_path: Path, bundled: Catalog) -> Path:
    """The tracker as ``trackerkit build`` makes it: its role's next roles offered."""
    return build_tracker(
        role, tmp_path / "old" / "ana.xlsx", employee=entries, next_roles=bundled.next_roles(role)
    )


def test_entries_are_carried_by_id_and_the_rest_archived(
    role: Role, entries: Entries, old: Path, bundled: Catalog
) -> None:
    catalog, newer = changed(
        bundled, role, courses=role.courses[1:], competencies=role.competencies[1:]
    )
    tracker = read_tracker(old, catalog=catalog)
    new_entries, counts = carry(tracker, newer)
    gone_course, kept_course = role.courses[0].id, role.courses[1].id
    assert counts == Carried(carried=1, archived=2, added=0)
    assert dict(new_entries.archive.courses) == {gone_course: entries.course(gone_course)}
    assert dict(new_entries.archive.competencies) == {
        role.competencies[0].id: entries.competency(role.competencies[0].id)
    }
    assert dict(new_entries.courses) == {kept_course: entries.course(kept_course)}
    assert new_entries.employee == entries.employee
    assert new_entries.discussion == entries.discussion


def test_an_upgraded_tracker_reads_back_with_its_archive(
    role: Role, entries: Entries, old: Path, bundled: Catalog, tmp_path: Path
) -> None:
    # No next roles in the new version: the course left every sheet, so it is archived
    # (a course a next role still requires moves to the Next Role sheet instead).
    catalog, _ = changed(bundled, role, courses=role.courses[1:], next_roles=())
    result = upgrade_tracker(old, tmp_path / "new", catalog=catalog)
    assert result.line() == (
        f"{old} -> {tmp_path / 'new' / 'ana.xlsx'}: 2 carried, 1 archived, 0 added"
    )
    new = read_tracker(tmp_path / "new" / "ana.xlsx", catalog=catalog)
    assert new.problems == ()
    assert lay.ARCHIVE in open_book(tmp_path / "new" / "ana.xlsx").sheetnames
    assert dict(new.entries.archive.courses) == {
        role.courses[0].id: entries.course(role.courses[0].id)
    }
    assert new.courses[role.courses[1].id] == entries.course(role.courses[1].id)
    assert new.to_dict()["archived"]["courses"][0]["id"] == role.courses[0].id


def test_a_google_export_of_an_upgraded_tracker_keeps_its_archive(
    role: Role, entries: Entries, old: Path, bundled: Catalog, tmp_path: Path
) -> None:
    # No next roles in the new version: the course left every sheet, so it is archived
    # (a course a next role still requires moves to the Next Role sheet instead).
    catalog, _ = changed(bundled, role, courses=role.courses[1:], next_roles=())
    upgrade_tracker(old, tmp_path / "new", catalog=catalog)
    exported = google_export(tmp_path / "new" / "ana.xlsx", tmp_path / "google.xlsx")
    new = read_tracker(exported, catalog=catalog)
    assert new.errors == ()
    assert dict(new.entries.archive.courses) == {
        role.courses[0].id: entries.course(role.courses[0].id)
    }


def test_an_archived_entry_comes_back_when_the_role_lists_it_again(
    role: Role, entries: Entries, old: Path, bundled: Catalog, tmp_path: Path
) -> None:
    # No next roles in the new version: the course left every sheet, so it is archived
    # (a course a next role still requires moves to the Next Role sheet instead).
    catalog, _ = changed(bundled, role, courses=role.courses[1:], next_roles=())
    upgrade_tracker(old, tmp_path / "new", catalog=catalog)
    result = upgrade_tracker(tmp_path / "new" / "ana.xlsx", tmp_path / "back", catalog=bundled)
    offered = bundled.next_roles(role)  # back in the role: its next roles' rows are added
    added = len(lay.extra_courses(role, offered)) + len(lay.extra_competencies(role, offered))
    assert result.counts == Carried(carried=3, archived=0, added=added)
    back = read_tracker(tmp_path / "back" / "ana.xlsx", catalog=bundled)
    assert back.courses[role.courses[0].id] == entries.course(role.courses[0].id)
    assert not back.entries.archive
    assert lay.ARCHIVE not in open_book(tmp_path / "back" / "ana.xlsx").sheetnames


def test_new_courses_and_competencies_are_counted_as_added(
    role: Role, old: Path, bundled: Catalog, tmp_path: Path
) -> None:
    extra = next(c for c in bundled.courses.values() if c.id not in {i.id for i in role.courses})
    from trackerkit import Requirement, RoleCourse

    catalog, _ = changed(
        bundled, role, courses=(*role.courses, RoleCourse(extra, Requirement.REQUIRED))
    )
    result = upgrade_tracker(old, tmp_path / "new", catalog=catalog)
    assert result.counts is not None
    assert result.counts.added == 1
    new = read_tracker(tmp_path / "new" / "ana.xlsx", catalog=catalog)
    assert new.courses[extra.id] == CourseEntry()


def test_a_current_tracker_is_left_as_it_is(old: Path, bundled: Catalog, tmp_path: Path) -> None:
    result = upgrade_tracker(old, tmp_path / "new", catalog=bundled)
    assert (result.outcome, result.line()) == (
        "current",
        f"{old}: already made from psr-ii 2026.1; left as it is",
    )
    assert not (tmp_path / "new").exists()
    forced = upgrade_tracker(old, tmp_path / "new", catalog=bundled, force=True)
    assert forced.outcome == "upgraded"


def test_a_tracker_with_unreadable_entries_is_not_upgraded(
    role: Role, old: Path, bundled: Catalog, tmp_path: Path
) -> None:
    book = open_book(old)
    table = lay.layout_for(role).courses
    put(book[lay.CHECKLIST], table.row(role.courses[0].id), table.col("status"), "Done")
    book.save(old)
    catalog, _ = changed(bundled, role)
    result = upgrade_tracker(old, tmp_path / "new", catalog=catalog)
    assert (result.outcome, result.line()) == (
        "skipped",
        f"{old}: 1 entry cannot be read, so it was not upgraded; fix what 'trackerkit read' "
        "lists, then upgrade again",
    )


def test_upgrading_in_place_needs_force(role: Role, old: Path, bundled: Catalog) -> None:
    # No next roles in the new version: the course left every sheet, so it is archived
    # (a course a next role still requires moves to the Next Role sheet instead).
    catalog, _ = changed(bundled, role, courses=role.courses[1:], next_roles=())
    before = old.read_bytes()
    result = upgrade_tracker(old, old.parent, catalog=catalog)
    assert result.outcome == "skipped"
    assert result.line() == (
        f"{old}: this tracker has entries; it was left as it is (use force=True to replace it)"
    )
    assert result.line(force="--force") == (
        f"{old}: this tracker has entries; it was left as it is (use --force to replace it)"
    )
    assert old.read_bytes() == before
    assert upgrade_tracker(old, old.parent, catalog=catalog, force=True).outcome == "upgraded"
    assert read_tracker(old, catalog=catalog).entries.archive


def test_the_command_prints_what_it_did_per_file(
    old: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old" / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    code = main(["upgrade", "old", "-o", "new", "--force"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out.splitlines() == [
        "old/ana.xlsx -> new/ana.xlsx: 3 carried, 0 archived, 0 added"
    ]
    assert captured.err.splitlines() == [
        "old/notes.xlsx: is not an Excel workbook; save it as .xlsx",
        "1 upgraded, 0 already current, 1 skipped",
    ]
    assert old.name == "ana.xlsx"


# --- the property: everything read(old) holds is in read(new) or its archive ----------------


@st.composite
def role_changes(draw: st.DrawFn) -> tuple[Role, Catalog, Role]:
    """A role of a generated catalog, and the catalog with a changed version of it."""
    catalog = draw(catalogs())
    role = catalog.roles[draw(st.sampled_from(sorted(catalog.roles)))]
    from trackerkit import Requirement, RoleCompetency, RoleCourse

    kept_courses = [item for item in role.courses if draw(st.booleans())]
    new_courses = [
        RoleCourse(course, draw(st.sampled_from(list(Requirement))))
        for course in catalog.courses.values()
        if course.id not in {i.id for i in role.courses} and draw(st.booleans())
    ]
    kept_competencies = [item for item in role.competencies if draw(st.booleans())]
    new_competencies = [
        RoleCompetency(competency, draw(st.integers(1, 5)))
        for competency in catalog.competencies.values()
        if competency.id not in {i.id for i in role.competencies} and draw(st.booleans())
    ]
    newer_catalog, newer = changed(
        catalog,
        role,
        courses=(*kept_courses, *new_courses),
        competencies=(*kept_competencies, *new_competencies),
        certifications=tuple(item for item in role.certifications if draw(st.booleans())),
    )
    return role, newer_catalog, newer


def holds(tracker: FilledTracker) -> dict[tuple[str, str], object]:
    """Every non-blank entry a tracker holds, rows, archive and own courses alike, by kind and
    id (an own course by its place)."""
    entries = tracker.entries
    found: dict[tuple[str, str], object] = {}
    no_dates = CertificationEntry()
    for kind, rows, archive, blank in (
        ("course", entries.courses, entries.archive.courses, CourseEntry()),
        ("competency", entries.competencies, entries.archive.competencies, CompetencyEntry()),
        ("certification", entries.certifications, entries.archive.certifications, no_dates),
    ):
        found.update({(kind, key): e for key, e in {**archive, **rows}.items() if e != blank})
    found.update({("own_course", str(n)): own for n, own in enumerate(entries.own_courses)})
    return found


@settings(max_examples=100)
@given(st.data())
def test_an_upgrade_loses_no_entry(data: st.DataObject) -> None:
    role, newer_catalog, newer = data.draw(role_changes())
    entries = data.draw(entries_for(role, max_steps=9))
    with tempfile.TemporaryDirectory() as folder:
        old = build_tracker(role, Path(folder) / "old.xlsx", employee=entries)
        before = read_tracker(old, catalog=newer_catalog)
        result = upgrade_tracker(old, Path(folder) / "new.xlsx", catalog=newer_catalog)
        assert result.outcome == "upgraded", result.line()
        after = read_tracker(Path(folder) / "new.xlsx", catalog=newer_catalog)
    assert after.problems == ()
    assert holds(after) == holds(before)
    assert after.employee == before.employee
    assert after.discussion == before.discussion
    offered = newer_catalog.next_roles(newer)  # the next roles' own courses are rows too
    assert set(after.courses) == {item.id for item in newer.courses} | set(
        lay.extra_courses(newer, offered)
    )
    assert set(after.entries.archive.courses).isdisjoint(after.courses)
    assert result.counts is not None
    assert result.counts.carried + result.counts.archived == len(holds(before))
