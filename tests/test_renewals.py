"""Renewals: a course that must be taken again, from its YAML to every figure that counts it."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import COURSES, problems, write_roles
from strategies import catalogs, entries_for
from test_parity import _a1, mismatches
from trackerkit import (
    CourseEntry,
    Employee,
    Entries,
    Status,
    TrackerOptions,
    build_tracker,
    load_catalog,
    read_tracker,
    read_trackers,
    team_report,
    write_report,
)
from trackerkit.entries import DONE
from trackerkit.figures import (
    add_months,
    compute,
    due_again,
    is_renewal_due,
    next_role,
    readiness,
)
from trackerkit.layout import layout_for
from trackerkit.model import Course, CourseFormat, Requirement

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from libreoffice import Calc
    from trackerkit import Role


def _renewing(months: str) -> str:
    """The fixture catalogue with the privacy course renewed every ``months``."""
    return COURSES.replace("    hours: 1\n", f"    hours: 1\n    renew_every_months: {months}\n", 1)


def test_a_course_s_renewal_period_is_loaded(tmp_path: Path) -> None:
    catalog = load_catalog(write_roles(tmp_path, courses=_renewing("24")))
    assert catalog.courses["hipaa"].renew_every_months == 24
    assert catalog.courses["listen-101"].renew_every_months is None


@pytest.mark.parametrize(
    ("months", "message"),
    [
        ("0", "courses[0].renew_every_months: 0 is less than the minimum of 1"),
        ("121", "courses[0].renew_every_months: 121 is greater than the maximum of 120"),
    ],
)
def test_a_renewal_period_out_of_range_is_named_at_its_line(
    tmp_path: Path, months: str, message: str
) -> None:
    assert problems(write_roles(tmp_path, courses=_renewing(months))) == [
        f"{tmp_path / 'courses.yaml'}:8:25: {message}"
    ]


def test_the_bundled_compliance_courses_are_renewed_yearly_as_samples() -> None:
    catalog = load_catalog()
    for course_id in ("hipaa-privacy-security", "annual-compliance", "bloodborne-pathogens"):
        course = catalog.courses[course_id]
        assert course.renew_every_months == 12
        assert course.sample is not None
        assert "renewal periods" in course.sample


# --- the twins ------------------------------------------------------------------------------

DAY = dt.date(2026, 3, 15)
"""The as-of day of the tests that need no spreadsheet."""


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (dt.date(2025, 1, 31), 1, dt.date(2025, 2, 28)),
        (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),
        (dt.date(2025, 11, 30), 3, dt.date(2026, 2, 28)),
        (dt.date(2025, 12, 15), 1, dt.date(2026, 1, 15)),
        (dt.date(2025, 3, 15), 12, dt.date(2026, 3, 15)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),
        (dt.date(2020, 6, 1), 120, dt.date(2030, 6, 1)),
    ],
)
def test_months_are_added_as_edate_adds_them(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


def _course(months: int | None) -> Course:
    return Course("c", "C", "P", CourseFormat.ELEARNING, 1.0, (), renew_every_months=months)


@pytest.mark.parametrize(
    ("months", "entry", "expected"),
    [
        (12, CourseEntry(Status.COMPLETED, None, dt.date(2025, 3, 1)), dt.date(2026, 3, 1)),
        (None, CourseEntry(Status.COMPLETED, None, dt.date(2025, 3, 1)), None),
        (12, CourseEntry(Status.COMPLETED), None),
        (12, CourseEntry(Status.IN_PROGRESS, None, dt.date(2025, 3, 1)), None),
        (12, CourseEntry(Status.WAIVED, None, dt.date(2025, 3, 1)), None),
        (12, CourseEntry(None, None, dt.date(2025, 3, 1)), None),
    ],
    ids=["completed", "not-renewed", "no-date", "in-progress", "waived", "unreadable-status"],
)
def test_only_a_completed_course_with_a_date_and_a_period_is_due_again(
    months: int | None, entry: CourseEntry, expected: dt.date | None
) -> None:
    assert due_again(_course(months), entry) == expected


def test_a_renewal_is_due_the_day_after_its_date_as_a_target_date_is_overdue() -> None:
    due = dt.date(2026, 3, 15)
    assert not is_renewal_due(due, due)
    assert is_renewal_due(due, due + dt.timedelta(days=1))
    assert not is_renewal_due(None, due)


def _psr_i_entries(completed: Mapping[str, dt.date]) -> Entries:
    return Entries(
        courses=MappingProxyType(
            {c: CourseEntry(Status.COMPLETED, None, day) for c, day in completed.items()}
        )
    )


def test_a_lapsed_course_counts_as_not_done_in_progress_and_coverage() -> None:
    role = load_catalog().roles["psr-i"]
    required = [c.id for c in role.courses if c.requirement is Requirement.REQUIRED]
    # Every required course completed: the privacy course 13 months ago (lapsed), the rest
    # last week.
    completed = dict.fromkeys(required, DAY - dt.timedelta(days=7))
    completed["hipaa-privacy-security"] = dt.date(2025, 2, 14)
    entries = _psr_i_entries(completed)
    rows = {c.id: n for n, c in enumerate(role.competencies, start=10)}
    figures = compute(role, entries, DAY, rows)
    board = figures.dashboard
    assert figures.renewal_due["hipaa-privacy-security"]
    assert figures.due_again["hipaa-privacy-security"] == dt.date(2026, 2, 14)
    assert sum(figures.renewal_due.values()) == 1
    assert board.renewals_due == 1
    assert board.required_done == len(required) - 1
    assert board.all_done == len(required) - 1
    assert board.hours_done == sum(c.course.hours for c in role.courses if c.id in completed)
    privacy = figures.competencies["safety-and-compliance"]
    builders = [c.id for c in role.courses if "safety-and-compliance" in c.course.competencies]
    assert privacy.courses_done == sum(c in completed for c in builders) - 1
    # The day before it lapsed, it still counted.
    before = compute(role, entries, dt.date(2026, 2, 14), rows).dashboard
    assert (before.required_done, before.renewals_due) == (len(required), 0)


def test_renewals_due_in_the_next_60_days_are_counted_from_the_day() -> None:
    role = load_catalog().roles["psr-i"]
    rows = {c.id: n for n, c in enumerate(role.competencies, start=10)}
    entries = _psr_i_entries(
        {
            "hipaa-privacy-security": dt.date(2025, 3, 15),  # due today: counted
            "annual-compliance": dt.date(2025, 5, 14),  # due in 60 days: counted
            "bloodborne-pathogens": dt.date(2025, 5, 15),  # due in 61 days: not yet
        }
    )
    board = compute(role, entries, DAY, rows).dashboard
    assert (board.renewals_soon, board.renewals_due) == (2, 0)
    later = compute(role, entries, DAY + dt.timedelta(days=1), rows).dashboard
    assert (later.renewals_soon, later.renewals_due) == (2, 1)


def test_a_lapsed_required_course_is_not_done_for_readiness() -> None:
    catalog = load_catalog()
    role, target = catalog.roles["psr-ii"], catalog.roles["psr-iii"]
    required = [c.id for c in target.courses if c.requirement is Requirement.REQUIRED]
    assert "hipaa-privacy-security" in required
    entries = Entries(
        courses=MappingProxyType(
            {
                c: CourseEntry(Status.COMPLETED, None, dt.date(2025, 1, 10))
                for c in required
                if c in {item.id for item in role.courses}
            }
        )
    )
    before = readiness(role, target, entries, dt.date(2026, 1, 10))
    after = readiness(role, target, entries, dt.date(2026, 1, 11))
    renewed = {
        c.id for c in role.courses if c.course.renew_every_months and c.id in entries.courses
    }
    assert before.courses_done - after.courses_done == len(renewed) > 0
    figures = next_role(role, (target,), replace_target(entries, target), dt.date(2026, 1, 11))
    assert figures.course_status["hipaa-privacy-security"] == "Completed (renewal due)"
    assert figures.course_done["hipaa-privacy-security"] == "No"
    assert any(
        line.what == role.course("hipaa-privacy-security").course.title
        for line in figures.still_need
    )


def replace_target(entries: Entries, target: Role) -> Entries:
    return replace(entries, employee=Employee(target_role=target.title))


# --- LibreOffice: the formulas agree with the twins -----------------------------------------


def _renewal_entries(role: Role, today: dt.date) -> Entries:
    """Every checklist course completed: the privacy course 400 days ago (lapsed), annual
    compliance 330 days ago (due again within 60 days), bloodborne pathogens 10 days ago, and
    the rest 20 days ago; the target role is the first next role."""
    days = {"hipaa-privacy-security": 400, "annual-compliance": 330, "bloodborne-pathogens": 10}
    courses = {
        c.id: CourseEntry(Status.COMPLETED, None, today - dt.timedelta(days=days.get(c.id, 20)))
        for c in role.courses
    }
    catalog = load_catalog()
    target = catalog.next_roles(role)[0]
    return Entries(Employee(target_role=target.title), courses=MappingProxyType(courses))


def test_renewal_figures_in_calc_equal_the_twins(libreoffice: Calc, tmp_path: Path) -> None:
    """A PSR II tracker with one lapsed and one soon-due course: Calc's full recalculation
    of TODAY() gives every cached value, and the flags and counts read as the twins say."""
    catalog = load_catalog()
    role = catalog.roles["psr-ii"]
    offered = catalog.next_roles(role)
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    path = build_tracker(
        role,
        tmp_path / "renewals.xlsx",
        employee=_renewal_entries(role, today),
        options=TrackerOptions(as_of=today),
        next_roles=offered,
    )
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []
    layout = layout_for(role, next_roles=offered)
    courses = layout.courses
    checklist = answer["cells"][courses.sheet]
    flags = {
        c.id: checklist[_a1(courses.row(c.id), courses.col("renewal_due"))].get("value")
        for c in role.courses
    }
    assert {c for c, flag in flags.items() if flag} == {"hipaa-privacy-security"}
    assert flags["hipaa-privacy-security"] == "Renewal due"
    dashboard = {f.key: f for f in layout.dashboard}
    start = answer["cells"]["Start Here"]

    def shown(key: str) -> Any:
        return start[_a1(dashboard[key].row, dashboard[key].col)]["value"]

    assert (shown("renewals_due"), shown("renewals_soon")) == (1, 1)
    required = sum(c.requirement is Requirement.REQUIRED for c in role.courses)
    assert shown("required_done") == required - 1


def test_typing_completion_dates_in_calc_gives_the_twins_renewals(
    libreoffice: Calc, tmp_path: Path
) -> None:
    """A blank PSR I tracker filled in Calc (statuses and completion dates) shows the
    renewal dates, flags and counts the twins compute for the same entries."""
    role = load_catalog().roles["psr-i"]
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    entries = _renewal_entries(role, today)
    blank = build_tracker(role, tmp_path / "blank.xlsx", next_roles=())
    expected = build_tracker(
        role,
        tmp_path / "expected.xlsx",
        employee=replace(entries, employee=Employee()),
        options=TrackerOptions(as_of=today),
    )
    courses = layout_for(role).courses
    edits: list[dict[str, Any]] = []
    for course_id, entry in entries.courses.items():
        row = courses.row(course_id)
        assert entry.status is not None
        assert entry.completed_on is not None
        edits.append(
            {
                "sheet": courses.sheet,
                "cell": _a1(row, courses.col("status")),
                "value": entry.status.value,
            }
        )
        edits.append(
            {
                "sheet": courses.sheet,
                "cell": _a1(row, courses.col("completed_on")),
                "date": entry.completed_on.isoformat(),
            }
        )
    answer = libreoffice.run(blank, edits=edits, recalculate=True, read="formulas")
    assert mismatches(expected, answer) == []


# --- reading back, and the team report ------------------------------------------------------

REPORT_DAY = dt.date(2026, 3, 15)


def _lapsed_tracker(folder: Path) -> tuple[Role, Path]:
    """A PSR II tracker whose required courses are all completed, the privacy course 13
    months before :data:`REPORT_DAY` (so its renewal is due), the rest a month before."""
    catalog = load_catalog()
    role = catalog.roles["psr-ii"]
    courses = {
        c.id: CourseEntry(Status.COMPLETED, None, REPORT_DAY - dt.timedelta(days=30))
        for c in role.courses
        if c.requirement is Requirement.REQUIRED
    }
    courses["hipaa-privacy-security"] = CourseEntry(Status.COMPLETED, None, dt.date(2025, 2, 1))
    target = catalog.roles["psr-iii"]
    entries = Entries(
        Employee("Ana Diaz", "E-1", target_role=target.title),
        courses=MappingProxyType(courses),
    )
    path = build_tracker(
        role,
        folder / "ana.xlsx",
        employee=entries,
        options=TrackerOptions(as_of=REPORT_DAY, generated_on=REPORT_DAY),
        next_roles=catalog.next_roles(role),
    )
    return role, path


def test_readiness_read_back_counts_renewals_from_the_day_read_as_of(tmp_path: Path) -> None:
    _, path = _lapsed_tracker(tmp_path)
    before = read_tracker(path, as_of=dt.date(2026, 2, 1))
    after = read_tracker(path, as_of=REPORT_DAY)
    assert (before.as_of, after.as_of) == (dt.date(2026, 2, 1), REPORT_DAY)
    assert before.readiness is not None
    assert after.readiness is not None
    assert before.readiness.courses_done - after.readiness.courses_done == 1
    role = load_catalog().roles["psr-ii"]
    assert after.figures(role).renewal_due["hipaa-privacy-security"]
    assert not before.figures(role).renewal_due["hipaa-privacy-security"]


def test_the_team_report_counts_a_lapsed_course_as_not_done(
    libreoffice: Calc, tmp_path: Path
) -> None:
    """Required progress and the bottlenecks leave the lapsed course out, as the tracker
    does, in the report's data and in Calc's recalculation of its workbook."""
    role, path = _lapsed_tracker(tmp_path)
    catalog = load_catalog()
    required = sum(c.requirement is Requirement.REQUIRED for c in role.courses)
    # Read a month earlier: the report still counts from its own day.
    read = read_trackers([path], catalog=catalog, as_of=dt.date(2026, 2, 1))
    team = team_report(read, catalog, as_of=REPORT_DAY)
    (person,) = team.people
    assert person.required_done == required - 1
    lapsed = [c.course_id for c in person.courses if c.renewal_due]
    assert lapsed == ["hipaa-privacy-security"]
    assert person.readiness is not None
    assert person.readiness == readiness(
        role, catalog.roles["psr-iii"], read.trackers[0].entries, REPORT_DAY
    )
    not_done = {b.course_id: b.not_done for b in team.bottlenecks}
    assert not_done["hipaa-privacy-security"] == 1
    assert sum(not_done.values()) == 1
    report = write_report(team, tmp_path / "team.xlsx")
    answer = libreoffice.run(report, recalculate=True, read="formulas")
    assert mismatches(report, answer) == []


def test_the_report_csv_says_which_course_is_due_for_renewal(tmp_path: Path) -> None:
    _, path = _lapsed_tracker(tmp_path)
    catalog = load_catalog()
    team = team_report(read_trackers([path], catalog=catalog), catalog, as_of=REPORT_DAY)
    out = write_report(team, tmp_path / "team.csv", fmt="csv")
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    due = {row["course_id"] for row in rows if row["renewal_due"] == "yes"}
    assert due == {"hipaa-privacy-security"}
    assert {row["renewal_due"] for row in rows} == {"yes", "no"}


# --- as a property: the counts drop by exactly the lapsed courses ---------------------------


@settings(max_examples=max(100, settings().max_examples))
@given(st.data())
def test_progress_leaves_out_exactly_the_completed_courses_past_their_renewal(
    data: st.DataObject,
) -> None:
    catalog = data.draw(catalogs())
    role = catalog.roles[data.draw(st.sampled_from(sorted(catalog.roles)))]
    entries = data.draw(entries_for(role))
    as_of = data.draw(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))
    rows = {c.id: n for n, c in enumerate(role.competencies, start=4)}
    figures = compute(role, entries, as_of, rows)
    dues = {}
    for item in role.courses:
        entry, months = entries.course(item.id), item.course.renew_every_months
        if months and entry.status is Status.COMPLETED and entry.completed_on:
            dues[item.id] = add_months(entry.completed_on, months)
    lapsed = {c for c, due in dues.items() if due < as_of}
    assert {c for c, flag in figures.renewal_due.items() if flag} == lapsed
    done = {c.id for c in role.courses if entries.course(c.id).status in DONE}
    required = {c.id for c in role.courses if c.requirement is Requirement.REQUIRED}
    board = figures.dashboard
    own_done = sum(course.status in DONE for course in entries.own_courses)  # never lapse
    assert board.all_done == len(done - lapsed) + own_done
    assert board.required_done == len((done - lapsed) & required)
    assert board.renewals_due == len(lapsed)
    soon = {c for c, due in dues.items() if as_of <= due <= as_of + dt.timedelta(days=60)}
    assert board.renewals_soon == len(soon)
