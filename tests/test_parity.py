"""LibreOffice Calc as the reference calculator for every formula of a tracker.

Two promises are proven here with a real spreadsheet application:
- every cached value trackerkit writes equals what Calc computes on a full
  recalculation, for every bundled role and for a prefilled tracker;
- filling a blank tracker in Calc itself and recalculating gives the figures
  the Python twins compute for the same entries.
"""

from __future__ import annotations

import datetime as dt
import math
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest

from trackerkit import (
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    Status,
    TrackerOptions,
    build_tracker,
    load_catalog,
)
from trackerkit.codecs import date_to_serial
from trackerkit.layout import layout_for

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

    from libreoffice import Calc
    from trackerkit import Role

ROLES = sorted(load_catalog().roles)


def cached_formula_values(path: Path) -> dict[tuple[str, str], Any]:
    """Each formula cell's cached value as stored in the file."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    found = {}
    for sheet in formulas.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    found[(sheet.title, cell.coordinate)] = values[sheet.title][
                        cell.coordinate
                    ].value
    return found


def calc_values(answer: Mapping[str, Any]) -> dict[tuple[str, str], Any]:
    return {
        (sheet, address): cell
        for sheet, cells in answer["cells"].items()
        for address, cell in cells.items()
        if cell.get("formula")
    }


def same(cached: Any, calc: dict[str, Any]) -> bool:
    if calc.get("error"):
        return False
    value = calc.get("value")
    if cached is None or cached == "":
        return value in (None, "")
    if isinstance(cached, dt.datetime):  # a formula's date, cached as its serial
        cached = date_to_serial(cached.date())
    if isinstance(cached, (int, float)) and isinstance(value, (int, float)):
        return math.isclose(cached, value, rel_tol=1e-12, abs_tol=1e-12)
    return bool(cached == value)


def mismatches(path: Path, answer: Mapping[str, Any]) -> list[str]:
    cached = cached_formula_values(path)
    calc = calc_values(answer)
    assert cached.keys() == calc.keys()
    return [
        f"'{sheet}'!{address}: cached {cached[(sheet, address)]!r}, Calc {calc[(sheet, address)]}"
        for sheet, address in sorted(cached)
        if not same(cached[(sheet, address)], calc[(sheet, address)])
    ]


@pytest.mark.parametrize("role_id", ROLES)
def test_cached_values_equal_calc_after_full_recalculation(
    libreoffice: Calc, tmp_path: Path, role_id: str
) -> None:
    path = build_tracker(load_catalog().roles[role_id], tmp_path / f"{role_id}.xlsx")
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []


def sample_entries(role: Role, today: dt.date) -> Entries:
    """Statuses of every kind, an overdue course, ratings above, at and below target."""
    courses = {}
    statuses = [
        Status.COMPLETED,
        Status.IN_PROGRESS,
        Status.PLANNED,
        Status.WAIVED,
        Status.NOT_STARTED,
    ]
    for index, item in enumerate(role.courses):
        status = statuses[index % len(statuses)]
        target = (
            today - dt.timedelta(days=10)
            if status is Status.PLANNED
            else (today + dt.timedelta(days=30))
        )
        done = today - dt.timedelta(days=3) if status is Status.COMPLETED else None
        courses[item.id] = CourseEntry(status, target, done, f"note {index}")
    ratings = {}
    for index, competency in enumerate(role.competencies):
        own = max(1, min(5, competency.target + (index % 3) - 1))
        manager = own if index % 2 else None
        ratings[competency.id] = CompetencyEntry(own, manager, "")
    return Entries(
        employee=Employee(name="Ana Diaz", manager="Lee Park"),
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(ratings),
    )


@pytest.mark.parametrize(
    ("role_id", "target_id"), [("psr-ii", "psr-iii"), ("psr-i", "psr-ii"), ("psr-i", "psr-iii")]
)
def test_a_next_role_sheet_s_cached_values_equal_calc(
    libreoffice: Calc, tmp_path: Path, role_id: str, target_id: str
) -> None:
    """The Next Role sheet pulls levels and statuses from the other sheets: Calc agrees."""
    catalog = load_catalog()
    role = catalog.roles[role_id]
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    path = build_tracker(
        role,
        tmp_path / "next.xlsx",
        employee=sample_entries(role, today),
        options=TrackerOptions(as_of=today),
        target=catalog.roles[target_id],
        next_roles=catalog.next_roles(role),  # as a roster makes it: psr-iii is beyond them
    )
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert "Next Role" in answer["cells"]
    assert mismatches(path, answer) == []


def _with_the_target_s_items(role: Role, target: Role, entries: Entries, level: int) -> Entries:
    """``entries`` and, for what only the target has, every course done and each competency
    at ``level`` below the level asked (0: exactly at it)."""
    from trackerkit.layout import extra_competencies, extra_courses

    courses = {
        **entries.courses,
        **dict.fromkeys(extra_courses(role, (target,)), CourseEntry(Status.COMPLETED)),
    }
    ratings = {
        **entries.competencies,
        **{
            item: CompetencyEntry(target.competency(item).target - level, None)
            for item in extra_competencies(role, (target,))
        },
    }
    return Entries(
        entries.employee, entries.discussion, MappingProxyType(courses), MappingProxyType(ratings)
    )


@pytest.mark.parametrize("level", [0, 1])
def test_what_only_the_target_has_is_counted_alike_in_calc(
    libreoffice: Calc, tmp_path: Path, level: int
) -> None:
    """Ratings and statuses entered on the Next Role sheet count toward readiness in Calc
    as the twins count them."""
    catalog = load_catalog()
    role, target = catalog.roles["psr-iii"], catalog.roles["psr-iv-group-lead"]
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    entries = _with_the_target_s_items(role, target, sample_entries(role, today), level)
    path = build_tracker(
        role,
        tmp_path / "next.xlsx",
        employee=entries,
        options=TrackerOptions(as_of=today),
        target=target,
    )
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []


def test_prefilled_cached_values_equal_calc(libreoffice: Calc, tmp_path: Path) -> None:
    role = load_catalog().roles["psr-ii-site-lead"]
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    path = build_tracker(
        role,
        tmp_path / "prefilled.xlsx",
        employee=sample_entries(role, today),
        options=TrackerOptions(as_of=today),
    )
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []


def test_filling_in_calc_gives_the_twins_figures(libreoffice: Calc, tmp_path: Path) -> None:
    role = load_catalog().roles["psr-iii"]
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    entries = sample_entries(role, today)
    blank = build_tracker(role, tmp_path / "blank.xlsx")
    expected = build_tracker(
        role, tmp_path / "expected.xlsx", employee=entries, options=TrackerOptions(as_of=today)
    )
    layout = layout_for(role)
    edits: list[dict[str, Any]] = []
    employee_cells = {field.key: field for field in layout.employee}
    for key in ("name", "manager"):
        target = employee_cells[key]
        edits.append(
            {
                "sheet": "Start Here",
                "cell": _a1(target.row, target.col),
                "value": getattr(entries.employee, key),
            }
        )
    courses = layout.courses
    for course_id, entry in entries.courses.items():
        row = courses.row(course_id)
        assert entry.status is not None  # generated entries always hold a status
        edits.append(
            {
                "sheet": courses.sheet,
                "cell": _a1(row, courses.col("status")),
                "value": entry.status.value,
            }
        )
        for key, day in (("target_date", entry.target_date), ("completed_on", entry.completed_on)):
            if day:  # the completion date counts too: renewals are due from it
                edits.append(
                    {"sheet": courses.sheet, "cell": _a1(row, courses.col(key)), "date": str(day)}
                )
    table = layout.competencies
    for competency_id, rating in entries.competencies.items():
        row = table.row(competency_id)
        for key, value in (
            ("self_rating", rating.self_rating),
            ("manager_rating", rating.manager_rating),
        ):
            if value is not None:
                edits.append(
                    {"sheet": table.sheet, "cell": _a1(row, table.col(key)), "number": value}
                )
    answer = libreoffice.run(blank, edits=edits, recalculate=True, read="formulas")
    assert mismatches(expected, answer) == []


def _a1(row: int, col: int) -> str:
    from xlsxwriter.utility import xl_rowcol_to_cell

    return str(xl_rowcol_to_cell(row, col))


def test_a_rating_typed_as_text_gives_consistent_figures(libreoffice: Calc, tmp_path: Path) -> None:
    role = load_catalog().roles["psr-ii"]
    path = build_tracker(role, tmp_path / "t.xlsx")
    table = layout_for(role).competencies
    first = role.competencies[0]
    row = table.row(first.id)
    edit = {"sheet": table.sheet, "cell": _a1(row, table.col("self_rating")), "value": "1"}
    cells = libreoffice.run(path, edits=[edit], recalculate=True, read="all")["cells"]
    coverage = cells[table.sheet]
    gap = coverage[_a1(row, table.col("gap"))]["value"]
    assert gap == first.target - 1
    assert coverage[_a1(row, table.col("at_target"))]["value"] == "No"
    dashboard = {field.key: field for field in layout_for(role).dashboard}
    at_target = dashboard["at_target"]
    assert cells["Start Here"][_a1(at_target.row, at_target.col)]["value"] == 0


def _discussion_gaps(layout: Any, cells: Mapping[str, Any]) -> list[Any]:
    fields = {field.key: field for field in layout.discussion_summary}
    sheet = cells["Manager Discussion"]
    return [sheet[_a1(fields[f"gap_{n}"].row, fields[f"gap_{n}"].col)]["value"] for n in (1, 2, 3)]


def _dashboard_value(layout: Any, cells: Mapping[str, Any], key: str) -> Any:
    field = {field.key: field for field in layout.dashboard}[key]
    return cells["Start Here"][_a1(field.row, field.col)]["value"]


def test_nothing_rated_names_no_largest_gap_in_calc(libreoffice: Calc, tmp_path: Path) -> None:
    """A blank tracker: every competency Not rated, no gap, and no largest gap, in Calc too."""
    role = load_catalog().roles["psr-ii-site-lead"]
    path = build_tracker(role, tmp_path / "blank.xlsx")
    answer = libreoffice.run(path, recalculate=True, read="all")
    assert mismatches(path, answer) == []
    layout = layout_for(role)
    cells = answer["cells"]
    assert _discussion_gaps(layout, cells) == ["", "", ""]
    table = layout.competencies
    for item in role.competencies:
        row = table.row(item.id)
        assert cells[table.sheet][_a1(row, table.col("at_target"))]["value"] == "Not rated"
        assert cells[table.sheet][_a1(row, table.col("gap"))]["value"] in (None, "")
    assert _dashboard_value(layout, cells, "rated") == 0
    assert _dashboard_value(layout, cells, "at_target") == 0


def test_one_real_gap_rated_in_calc_is_the_only_largest_gap(
    libreoffice: Calc, tmp_path: Path
) -> None:
    """The manager rates Coaching and Mentoring 2 of 3 and nothing else: it alone is named."""
    role = load_catalog().roles["psr-ii-site-lead"]
    assert role.competency("coaching-and-mentoring").target == 3
    entries = Entries(
        competencies=MappingProxyType({"coaching-and-mentoring": CompetencyEntry(manager_rating=2)})
    )
    blank = build_tracker(role, tmp_path / "blank.xlsx")
    expected = build_tracker(role, tmp_path / "expected.xlsx", employee=entries)
    layout = layout_for(role)
    table = layout.competencies
    edit = {
        "sheet": table.sheet,
        "cell": _a1(table.row("coaching-and-mentoring"), table.col("manager_rating")),
        "number": 2,
    }
    answer = libreoffice.run(blank, edits=[edit], recalculate=True, read="all")
    assert mismatches(expected, answer) == []
    cells = answer["cells"]
    assert _discussion_gaps(layout, cells) == ["Coaching and Mentoring", "", ""]
    assert _dashboard_value(layout, cells, "rated") == 1
    row = table.row("coaching-and-mentoring")
    assert cells[table.sheet][_a1(row, table.col("gap"))]["value"] == 1
    assert cells[table.sheet][_a1(row, table.col("at_target"))]["value"] == "No"


def _fill_edits(layout: Any, entries: Entries) -> list[dict[str, Any]]:
    """The edits that type ``entries`` into a blank tracker of ``layout`` in Calc: Target
    role, course statuses and ratings, on whichever sheet holds each row."""
    employee = {field.key: field for field in layout.employee}
    chosen = employee["target_role"]
    edits: list[dict[str, Any]] = [
        {
            "sheet": "Start Here",
            "cell": _a1(chosen.row, chosen.col),
            "value": entries.employee.target_role,
        }
    ]
    courses = [t for t in (layout.courses, layout.extra_courses) if t is not None]
    for course_id, entry in entries.courses.items():
        table = next(t for t in courses if course_id in t.ids)
        assert entry.status is not None
        edits.append(
            {
                "sheet": table.sheet,
                "cell": _a1(table.row(course_id), table.col("status")),
                "value": entry.status.value,
            }
        )
    competencies = [t for t in (layout.competencies, layout.extra_competencies) if t is not None]
    for competency_id, rating in entries.competencies.items():
        table = next(t for t in competencies if competency_id in t.ids)
        for key in ("self_rating", "manager_rating"):
            value = getattr(rating, key)
            if value is not None:
                edits.append(
                    {
                        "sheet": table.sheet,
                        "cell": _a1(table.row(competency_id), table.col(key)),
                        "number": value,
                    }
                )
    return edits


@pytest.mark.parametrize("target_id", load_catalog().roles["psr-ii"].next_roles)
def test_choosing_a_next_role_in_calc_and_filling_gives_the_twins_figures(
    libreoffice: Calc, tmp_path: Path, target_id: str
) -> None:
    """A blank PSR II tracker: the next role chosen in the Target role dropdown and the
    tracker filled in Calc shows what the twins compute for that choice."""
    from dataclasses import replace

    from trackerkit.layout import extra_competencies, extra_courses

    catalog = load_catalog()
    role, target = catalog.roles["psr-ii"], catalog.roles[target_id]
    offered = catalog.next_roles(role)
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    sample = sample_entries(role, today)
    courses = {
        item: replace(entry, target_date=None, completed_on=None)
        for item, entry in sample.courses.items()
    }
    courses.update(dict.fromkeys(extra_courses(role, offered)[::2], CourseEntry(Status.WAIVED)))
    ratings = {
        **sample.competencies,
        **{
            item: CompetencyEntry(3, None if index % 2 else 4)
            for index, item in enumerate(extra_competencies(role, offered))
        },
    }
    entries = Entries(
        Employee(target_role=target.title),
        courses=MappingProxyType(courses),
        competencies=MappingProxyType(ratings),
    )
    blank = build_tracker(role, tmp_path / "blank.xlsx", next_roles=offered)
    expected = build_tracker(role, tmp_path / "expected.xlsx", employee=entries, next_roles=offered)
    layout = layout_for(role, next_roles=offered)
    answer = libreoffice.run(
        blank, edits=_fill_edits(layout, entries), recalculate=True, read="formulas"
    )
    assert mismatches(expected, answer) == []
    shares = {f.key: f for f in layout.next_fields}
    chosen = shares["chosen"]
    shown = answer["cells"]["Next Role"]
    assert shown[_a1(chosen.row, chosen.col)]["value"] == target.title
    assert str(shown[_a1(shares["verdict"].row, shares["verdict"].col)]["value"]).startswith(
        "Not yet: "
    )
    needs = layout.still_need
    assert needs is not None
    kinds = [shown[_a1(row, needs.col("kind"))].get("value") or "" for row, _ in needs.at_rows()]
    listed = [kind for kind in kinds if kind]
    assert listed == sorted(listed, key=lambda kind: kind != "Required course")
    assert kinds == listed + [""] * (len(kinds) - len(listed))


def test_a_tracker_filled_to_100_percent_reads_full_in_calc(
    libreoffice: Calc, tmp_path: Path
) -> None:
    from trackerkit.layout import extra_competencies, extra_courses

    catalog = load_catalog()
    role, target = catalog.roles["psr-iii"], catalog.roles["psr-iv-group-lead"]
    offered = catalog.next_roles(role)
    courses = dict.fromkeys(
        (*(c.id for c in role.courses), *extra_courses(role, offered)),
        CourseEntry(Status.COMPLETED),
    )
    levels = {c.id: c.target for c in role.competencies}
    for asked in target.competencies:
        levels[asked.id] = max(levels.get(asked.id, 1), asked.target)
    for other in extra_competencies(role, offered):
        levels.setdefault(other, 1)
    entries = Entries(
        Employee(target_role=target.title),
        courses=MappingProxyType(courses),
        competencies=MappingProxyType({i: CompetencyEntry(n, None) for i, n in levels.items()}),
    )
    blank = build_tracker(role, tmp_path / "blank.xlsx", next_roles=offered)
    expected = build_tracker(role, tmp_path / "expected.xlsx", employee=entries, next_roles=offered)
    layout = layout_for(role, next_roles=offered)
    answer = libreoffice.run(
        blank, edits=_fill_edits(layout, entries), recalculate=True, read="formulas"
    )
    assert mismatches(expected, answer) == []
    fields = {f.key: f for f in layout.next_fields}
    shown = answer["cells"]["Next Role"]
    for key in ("courses_share", "competencies_share"):
        assert shown[_a1(fields[key].row, fields[key].col)]["value"] == 1
    assert shown[_a1(fields["verdict"].row, fields["verdict"].col)]["value"] == "Ready"
    needs = layout.still_need
    assert needs is not None
    first = _a1(needs.first_row, needs.col("what"))
    assert shown[first]["value"] in (None, "")


def test_the_discussion_names_five_overdue_courses_then_counts_the_rest_in_calc(
    libreoffice: Calc, tmp_path: Path
) -> None:
    catalog = load_catalog()
    role = catalog.roles["psr-ii"]
    offered = catalog.next_roles(role)
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    late = role.courses[:7]
    entries = Entries(
        Employee(target_role=offered[0].title),
        courses=MappingProxyType(
            {
                c.id: CourseEntry(Status.PLANNED, target_date=today - dt.timedelta(days=3))
                for c in late
            }
        ),
    )
    path = build_tracker(
        role,
        tmp_path / "late.xlsx",
        employee=entries,
        options=TrackerOptions(as_of=today),
        next_roles=offered,
    )
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []
    summary = {f.key: f for f in layout_for(role, next_roles=offered).discussion_summary}
    shown = answer["cells"]["Manager Discussion"]
    names = summary["overdue_names"]
    assert shown[_a1(names.row, names.col)]["value"] == (
        "; ".join(c.course.title for c in late[:5]) + "; and 2 more"
    )
    verdict = summary["next_verdict"]
    assert str(shown[_a1(verdict.row, verdict.col)]["value"]).startswith("Not yet: ")
