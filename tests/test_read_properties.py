"""The round trip as a property: whatever is entered in a tracker reads back exactly.

Two ways in: a prefill written by trackerkit itself (XlsxWriter), and a fill
written by another application (openpyxl) into a blank tracker. Both run on
generated roles as well as the bundled ones.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from hypothesis import given, settings
from hypothesis import strategies as st

from fills import fill
from strategies import catalogs, entries_for, openpyxl_texts
from trackerkit import Severity, Status, build_tracker, load_catalog, read_tracker
from trackerkit.problem_codes import Code
from trackerkit.writer import tracker_bytes

if TYPE_CHECKING:
    from trackerkit import Catalog, Entries, FilledTracker, Role

BUNDLED = load_catalog()
ROUND_TRIPS = settings(max_examples=max(300, settings().max_examples))
"""The round trip is the product's core promise: hundreds of examples in every run."""


@st.composite
def roles(draw: st.DrawFn) -> tuple[Catalog, Role]:
    """A role of a generated catalog, or of the bundled one."""
    catalog = draw(st.just(BUNDLED) | catalogs())
    return catalog, catalog.roles[draw(st.sampled_from(sorted(catalog.roles)))]


def assert_reads_back(tracker: FilledTracker, entries: Entries, role: Role) -> None:
    assert tracker.problems == ()
    assert_same_entries(tracker, entries, role)


def assert_same_entries(tracker: FilledTracker, entries: Entries, role: Role) -> None:
    assert tracker.employee == entries.employee
    assert tracker.discussion == entries.discussion
    assert list(tracker.courses) == [item.id for item in role.courses]
    assert list(tracker.competencies) == [item.id for item in role.competencies]
    for course in role.courses:
        assert tracker.courses[course.id] == entries.course(course.id)
    for competency in role.competencies:
        assert tracker.competencies[competency.id] == entries.competency(competency.id)
    assert list(tracker.entries.certifications) == [item.id for item in role.certifications]
    for certification in role.certifications:
        held = tracker.entries.certifications[certification.id]
        assert held == entries.certification(certification.id)


@ROUND_TRIPS
@given(st.data())
def test_a_prefill_reads_back(data: st.DataObject) -> None:
    catalog, role = data.draw(roles())
    entries = data.draw(entries_for(role))
    with tempfile.TemporaryDirectory() as folder:
        path = build_tracker(role, Path(folder) / "t.xlsx", employee=entries)
        assert_reads_back(read_tracker(path, catalog=catalog), entries, role)


@functools.lru_cache(maxsize=64)
def blank_tracker(role: Role) -> bytes:
    """A role's blank tracker, built in memory once: the bundled roles come up again and again."""
    return tracker_bytes(role)


@ROUND_TRIPS
@given(st.data())
def test_a_fill_by_another_application_reads_back(data: st.DataObject) -> None:
    catalog, role = data.draw(roles())
    entries = data.draw(entries_for(role, openpyxl_texts, max_steps=8))
    with tempfile.TemporaryDirectory() as folder:
        filled = fill(blank_tracker(role), role, entries, Path(folder) / "filled.xlsx")
        assert_reads_back(read_tracker(filled, catalog=catalog), entries, role)


DISAGREEING = {
    Code.COURSE_DATE_NOT_COMPLETED,
    Code.COURSE_COMPLETED_NO_DATE,
    Code.COURSE_COMPLETED_IN_FUTURE,
    Code.COURSE_TARGET_BEFORE_START,
}


@settings(max_examples=max(60, settings().max_examples // 3))
@given(st.data())
def test_status_and_dates_that_disagree_read_back_as_typed_with_warnings_only(
    data: st.DataObject,
) -> None:
    catalog, role = data.draw(roles())
    entries = data.draw(entries_for(role, agreeing=False))
    with tempfile.TemporaryDirectory() as folder:
        path = build_tracker(role, Path(folder) / "t.xlsx", employee=entries)
        tracker = read_tracker(path, catalog=catalog)
    assert_same_entries(tracker, entries, role)
    found = {(p.severity, p.code) for p in tracker.problems}
    assert found <= {(Severity.WARNING, code) for code in DISAGREEING}
    courses = entries.courses.values()
    dated = any(c.completed_on and c.status is not Status.COMPLETED for c in courses)
    undated = any(c.status is Status.COMPLETED and c.completed_on is None for c in courses)
    assert ((Severity.WARNING, Code.COURSE_DATE_NOT_COMPLETED) in found) == dated
    assert ((Severity.WARNING, Code.COURSE_COMPLETED_NO_DATE) in found) == undated
