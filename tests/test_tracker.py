"""Tracker workbooks as openpyxl sees them: content, formulas, names, protection, print."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import zipfile
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

import openpyxl
import pytest

from conftest import BUNDLED_ROLES
from trackerkit import (
    Catalog,
    CompetencyEntry,
    CourseEntry,
    Employee,
    Entries,
    Status,
    TrackerError,
    TrackerOptions,
    build_tracker,
    load_catalog,
)
from trackerkit.layout import INPUT_NAMES, layout_for
from trackerkit.testing import assert_tracker_matches, inspect_tracker, tracker_differences

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

    from trackerkit import Role

HEADER = layout_for(load_catalog().roles["psr-i"]).courses.header_row + 1
"""The checklist's header row, 1-based, wherever the layout puts it."""

SHEETS = (
    "Start Here",
    "Course Checklist",
    "Competency Coverage",
    "Manager Discussion",
    "Lists",
    "trackerkit",
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def trackers(catalog: Catalog, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("trackers")
    return {
        role_id: build_tracker(role, folder / f"{role_id}.xlsx")
        for role_id, role in catalog.roles.items()
    }


@pytest.mark.parametrize("role_id", BUNDLED_ROLES)
def test_every_bundled_tracker_matches_its_role(
    catalog: Catalog, trackers: dict[str, Path], role_id: str
) -> None:
    assert_tracker_matches(trackers[role_id], catalog.roles[role_id])


def test_a_tracker_for_another_role_does_not_match(
    catalog: Catalog, trackers: dict[str, Path]
) -> None:
    differences = tracker_differences(trackers["psr-ii"], catalog.roles["psr-iii"])
    assert "metadata role_id is 'psr-ii', expected 'psr-iii'" in differences
    assert "'Course Checklist' has no row for coaching-mentoring" in differences


def test_sheets_in_order_with_helpers_hidden(trackers: dict[str, Path]) -> None:
    view = inspect_tracker(trackers["psr-ii"])
    # PSR II lists certifications (inherited from PSR I): their sheet follows the coverage.
    assert view.sheets == (*SHEETS[:3], "Certifications", *SHEETS[3:])
    assert view.hidden == {"Lists", "trackerkit"}


def test_one_row_per_course_and_competency_inherited_ones_included(
    catalog: Catalog, trackers: dict[str, Path]
) -> None:
    role = catalog.roles["psr-iv-group-lead"]
    view = inspect_tracker(trackers[role.id])
    assert list(view.tables["Courses"].values) == [item.id for item in role.courses]
    assert list(view.tables["Competencies"].values) == [item.id for item in role.competencies]
    inherited = [item.id for item in role.courses if item.inherited_from == "psr-i"]
    assert inherited
    assert set(inherited) <= set(view.tables["Courses"].values)


def test_checklist_row_shows_the_course(catalog: Catalog, trackers: dict[str, Path]) -> None:
    row = inspect_tracker(trackers["psr-i"]).tables["Courses"].values["hipaa-privacy-security"]
    course = catalog.courses["hipaa-privacy-security"]
    assert row["Course"] == course.title
    assert row["Hours"] == course.hours
    assert row["Requirement"] == "Required"
    assert row["Status"] == "Not started"
    assert row["Format"] == "eLearning"


def test_derived_cells_are_formulas(trackers: dict[str, Path]) -> None:
    view = inspect_tracker(trackers["psr-ii"])
    courses = view.tables["Courses"].formulas
    derived_courses = {"Overdue", "Overdue #", "Due again on", "Renewal due"}
    assert all(set(formulas) == derived_courses for formulas in courses.values())
    competencies = view.tables["Competencies"].formulas
    derived = {
        "Current level",
        "Gap to target",
        "At target",
        "Courses completed",
        "Courses listed",
        "Coverage",
        "Gap rank",
    }
    assert all(set(formulas) == derived for formulas in competencies.values())
    certifications = view.tables["Certifications"].formulas
    assert all(set(formulas) == {"Expiry"} for formulas in certifications.values())
    book = openpyxl.load_workbook(trackers["psr-ii"])
    dashboard = [name for name in book.defined_names if name.startswith("Dashboard_")]
    assert len(dashboard) == 16  # 14, and the two certification counts
    for name in dashboard:
        assert str(cell_of(book, name).value).startswith("="), name


def test_formulas_use_only_portable_functions(trackers: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(trackers["psr-iv-group-lead"])
    allowed = {
        "IF",
        "AND",
        "COUNTIFS",
        "COUNTIF",
        "COUNTA",
        "SUMIFS",
        "MAX",
        "TODAY",
        "ROW",
        "IFERROR",
        "INDEX",
        "MATCH",
        "LARGE",
        "EDATE",  # the renewal date: Excel 2007+, LibreOffice and Google Sheets alike
        "ISNUMBER",
    }
    import re

    used: set[str] = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", str(cell.value)))
                    assert "[@" not in str(cell.value)
                    assert "#Data" not in str(cell.value)
    assert used <= allowed, used - allowed


def test_defined_names_point_at_the_input_columns(trackers: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(trackers["psr-ii"])
    sheet = book["Course Checklist"]
    header = [cell.value for cell in sheet[HEADER]]
    ((title, cells),) = list(book.defined_names["Course_Status"].destinations)
    assert title == "Course Checklist"
    column = cells.split(":")[0].strip("$")[0]
    assert sheet[f"{column}{HEADER}"].value == "Status" == header[ord(column) - ord("A")]
    for name in (
        "Employee_Name",
        "Employee_StartDate",
        "Goals_OneYear",
        "NextSteps_Action",
        "Competency_SelfRating",
        "Competency_ManagerRating",
        "Course_TargetDate",
    ):
        assert name in book.defined_names, name


def test_inputs_are_unlocked_and_sheets_protected(trackers: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(trackers["psr-ii"])
    checklist = book["Course Checklist"]
    assert checklist.protection.sheet
    assert not checklist.protection.sort
    assert not checklist.protection.autoFilter
    assert set(INPUT_NAMES) <= set(book.defined_names)
    for name in INPUT_NAMES:
        for cell in cells_of(book, name):
            assert cell.protection.locked is False, f"{name} {cell.coordinate} is locked"
    formulas = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    assert formulas
    assert all(cell.protection.locked is not False for cell in formulas)
    visible = [sheet for sheet in book.worksheets if sheet.sheet_state == "visible"]
    assert all(sheet.protection.sheet for sheet in visible)


def test_protection_can_be_switched_off(catalog: Catalog, tmp_path: Path) -> None:
    path = build_tracker(
        catalog.roles["psr-i"], tmp_path / "open.xlsx", options=TrackerOptions(protect=False)
    )
    book = openpyxl.load_workbook(path)
    assert not any(sheet.protection.sheet for sheet in book.worksheets)


def cells_of(book: openpyxl.Workbook, name: str) -> list[Cell]:
    """The cells a workbook-level defined name points to."""
    found: list[Cell] = []
    for sheet, reference in book.defined_names[name].destinations:
        cells = book[sheet][reference.replace("$", "")]
        rows = cells if isinstance(cells, tuple) else ((cells,),)
        found += [cell for row in rows for cell in (row if isinstance(row, tuple) else (row,))]
    return found


def cell_of(book: openpyxl.Workbook, name: str) -> Cell:
    (cell,) = cells_of(book, name)
    return cell


def validations(sheet: Worksheet) -> dict[str, str]:
    found = {}
    for validation in sheet.data_validations.dataValidation:
        for ref in str(validation.sqref).split():
            found[ref] = f"{validation.type}:{validation.formula1}"
    return found


def test_dropdowns_and_date_validation(trackers: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(trackers["psr-ii"])
    checklist = validations(book["Course Checklist"])
    assert "list:List_Status" in checklist.values()
    statuses = [book["Lists"].cell(row, 1).value for row in range(2, 7)]
    assert statuses == ["Not started", "Planned", "In progress", "Completed", "Waived"]
    assert any(kind.startswith("date:") for kind in checklist.values())
    coverage = validations(book["Competency Coverage"])
    assert any(kind == "list:List_Ratings" for kind in coverage.values())
    lists = book["Lists"]
    assert [lists.cell(row, 2).value for row in range(2, 7)] == [1, 2, 3, 4, 5]


def test_rows_are_coloured_by_status_and_due_date(trackers: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(trackers["psr-ii"])
    rules = [
        rule.formula[0]
        for formatting in book["Course Checklist"].conditional_formatting
        for rule in formatting.rules
    ]
    assert any('"Completed"' in rule for rule in rules)
    assert any('"Overdue"' in rule for rule in rules)
    coverage = {
        rule.type: rule.formula
        for formatting in book["Competency Coverage"].conditional_formatting
        for rule in formatting.rules
    }
    assert sorted(coverage) == ["cellIs", "colorScale", "dataBar"]
    assert coverage["cellIs"] == ['"Not rated"']


def test_course_titles_link_to_the_catalog(catalog: Catalog, trackers: dict[str, Path]) -> None:
    sheet = openpyxl.load_workbook(trackers["psr-i"])["Course Checklist"]
    links = {
        cell.value: cell.hyperlink.target
        for row in sheet.iter_rows()
        for cell in row
        if cell.hyperlink is not None
    }
    expected = {
        c.course.title: c.course.url for c in catalog.roles["psr-i"].courses if c.course.url
    }
    assert expected
    assert links == expected


def test_print_settings(trackers: dict[str, Path]) -> None:
    book = openpyxl.load_workbook(trackers["psr-ii"])
    checklist = book["Course Checklist"]
    assert checklist.page_setup.orientation == "landscape"
    assert checklist.page_setup.paperSize == 1  # US Letter
    assert checklist.sheet_properties.pageSetUpPr is not None
    assert checklist.sheet_properties.pageSetUpPr.fitToPage
    assert (checklist.page_setup.fitToWidth or 1) == 1  # 1 is the file format's default
    assert checklist.page_setup.fitToHeight == 0
    assert checklist.print_title_rows == f"${HEADER}:${HEADER}"
    assert checklist.oddHeader is not None
    assert checklist.oddFooter is not None
    header, footer = checklist.oddHeader.left, checklist.oddFooter.center
    assert header is not None
    assert footer is not None
    assert "Patient Services Representative II" in str(header.text)
    assert footer.text == "Page &P of &N"
    discussion = book["Manager Discussion"].sheet_properties.pageSetUpPr
    assert discussion is not None
    assert discussion.fitToPage


def test_metadata_sheet(catalog: Catalog, tmp_path: Path) -> None:
    from trackerkit import __version__

    role = catalog.roles["psr-ii"]
    path = build_tracker(
        role, tmp_path / "t.xlsx", options=TrackerOptions(generated_on=dt.date(2026, 11, 23))
    )
    metadata = inspect_tracker(path).metadata
    assert metadata["format_version"] == 2  # 2: the Certifications sheet
    assert metadata["trackerkit_version"] == __version__
    assert metadata["role_id"] == "psr-ii"
    assert metadata["role_version"] == "2026.1"
    assert metadata["generated_on"] == "2026-11-23"
    assert len(str(metadata["role_hash"])) == 64


def test_role_hash_changes_with_the_role(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-ii"]
    first = inspect_tracker(build_tracker(role, tmp_path / "a.xlsx")).metadata["role_hash"]
    raised = replace(
        role, competencies=(replace(role.competencies[0], target=5), *role.competencies[1:])
    )
    second = inspect_tracker(build_tracker(raised, tmp_path / "b.xlsx")).metadata["role_hash"]
    assert first != second


def test_same_input_gives_the_same_bytes(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-iii"]
    digests = {
        hashlib.sha256(build_tracker(role, tmp_path / f"{n}.xlsx").read_bytes()).hexdigest()
        for n in range(2)
    }
    assert len(digests) == 1


def test_text_that_looks_like_a_formula_link_or_number_stays_text(
    catalog: Catalog, tmp_path: Path
) -> None:
    role = catalog.roles["psr-i"]
    first = role.courses[0]
    tricky = replace(
        first,
        course=replace(
            first.course, title='=HYPERLINK("x")', provider="https://example.com", url=None
        ),
    )
    role = replace(role, title="+1 555 0100", courses=(tricky, *role.courses[1:]))
    entries = Entries(
        employee=Employee(name="@admin", employee_id="00123"),
        courses=MappingProxyType({first.id: CourseEntry(notes="-5 days late")}),
    )
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries)
    book = openpyxl.load_workbook(path)
    checklist = book["Course Checklist"]
    row = list(checklist[HEADER + 1])
    assert row[1].value == '=HYPERLINK("x")'
    assert row[1].data_type == "s"
    assert row[2].value == "https://example.com"
    assert row[2].hyperlink is None
    assert book["Start Here"]["A1"].value == "+1 555 0100"
    assert book["Start Here"]["A1"].data_type == "s"
    ((_, cell),) = list(book.defined_names["Employee_ID"].destinations)
    assert book["Start Here"][cell.replace("$", "")].value == "00123"
    assert row[[c.value for c in checklist[HEADER]].index("Notes")].value == "-5 days late"


def test_prefilled_tracker_holds_the_entries(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-i"]
    first, second = role.courses[0].id, role.courses[1].id
    entries = Entries(
        employee=Employee(name="Ana Diaz", manager="Lee Park", start_date=dt.date(2025, 4, 1)),
        courses=MappingProxyType(
            {
                first: CourseEntry(Status.COMPLETED, dt.date(2026, 1, 10), dt.date(2026, 1, 9)),
                second: CourseEntry(Status.PLANNED, dt.date(2026, 2, 1)),
            }
        ),
    )
    path = build_tracker(
        role,
        tmp_path / "ana.xlsx",
        employee=entries,
        options=TrackerOptions(as_of=dt.date(2026, 3, 1)),
    )
    view = inspect_tracker(path)
    rows = view.tables["Courses"].values
    assert rows[first]["Status"] == "Completed"
    assert rows[first]["Completed on"] == dt.datetime(2026, 1, 9)  # noqa: DTZ001 - Excel dates are naive
    assert rows[second]["Overdue"] == "Overdue"
    book = openpyxl.load_workbook(path, data_only=True)
    assert cell_of(book, "Discussion_Employee").value == "Ana Diaz"
    assert cell_of(book, "Discussion_Manager").value == "Lee Park"


def test_a_filled_tracker_is_not_replaced_without_force(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-i"]
    path = build_tracker(role, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    ((_, cells),) = list(book.defined_names["Course_Notes"].destinations)
    book["Course Checklist"][cells.split(":")[0].replace("$", "")] = "my note"
    book.save(path)
    filled = path.read_bytes()
    newer = replace(role, version="2027.1")
    with pytest.raises(TrackerError, match="this tracker has entries; it was left as it is"):
        build_tracker(newer, path)
    assert path.read_bytes() == filled
    build_tracker(newer, path, force=True)
    assert inspect_tracker(path).metadata["role_version"] == "2027.1"


def test_a_blank_tracker_is_regenerated_freely(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-i"]
    path = build_tracker(role, tmp_path / "t.xlsx")
    build_tracker(replace(role, version="2027.1"), path)
    assert inspect_tracker(path).metadata["role_version"] == "2027.1"


def test_a_role_without_courses_still_makes_a_tracker(catalog: Catalog, tmp_path: Path) -> None:
    role: Role = replace(catalog.roles["psr-i"], courses=())
    path = build_tracker(role, tmp_path / "t.xlsx")
    assert_tracker_matches(path, role)


def test_checklist_shows_live_totals(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-i"]
    entries = Entries(
        courses=MappingProxyType(
            {item.id: CourseEntry(Status.COMPLETED) for item in role.courses[:2]}
        )
    )
    path = build_tracker(role, tmp_path / "t.xlsx", employee=entries)
    book = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    names = {
        "Checklist_Done": 2,
        "Checklist_Total": len(role.courses),
        "Checklist_Hours": sum(item.course.hours for item in role.courses[:2]),
    }
    for name, expected in names.items():
        ((sheet, cell),) = list(book.defined_names[name].destinations)
        assert sheet == "Course Checklist"
        assert str(book[sheet][cell.replace("$", "")].value).startswith("=Dashboard_")
        assert values[sheet][cell.replace("$", "")].value == expected


def test_an_xlsxwriter_refusal_becomes_a_tracker_error(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-i"]
    first = role.courses[0]
    long_link = replace(first, course=replace(first.course, url="https://x.example/" + "a" * 3000))
    expected = (
        rf"^'Course Checklist'!B{HEADER + 1}: the link is longer than Excel allows "
        r"\(2,079 characters\); shorten the course url$"
    )
    with pytest.raises(TrackerError, match=expected):
        build_tracker(replace(role, courses=(long_link, *role.courses[1:])), tmp_path / "t.xlsx")
    assert not (tmp_path / "t.xlsx").exists()


def test_formulas_stay_within_excels_length_limit(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-i"]
    template = role.courses[0]
    only = role.competencies[0]
    many = tuple(
        replace(
            template, course=replace(template.course, id=f"course-{n}", competencies=(only.id,))
        )
        for n in range(200)
    )
    path = build_tracker(replace(role, courses=many, competencies=(only,)), tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    longest = max(
        len(str(cell.value))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    )
    assert longest < 8_192
    values = openpyxl.load_workbook(path, data_only=True)
    assert (
        values["Competency Coverage"]
        .cell(
            layout_for(role).competencies.first_row + 1,
            layout_for(role).competencies.col("courses_total") + 1,
        )
        .value
        == 200
    )


def test_trackers_get_the_usual_file_mode(catalog: Catalog, tmp_path: Path) -> None:
    import os

    mask = os.umask(0)
    os.umask(mask)
    path = build_tracker(catalog.roles["psr-i"], tmp_path / "t.xlsx")
    assert path.stat().st_mode & 0o777 == 0o666 & ~mask


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            Entries(courses=MappingProxyType({"no-such-course": CourseEntry()})),
            "course 'no-such-course' is not one of the role's courses",
        ),
        (
            Entries(competencies=MappingProxyType({"no-such": CompetencyEntry(self_rating=3)})),
            "competency 'no-such' is not one of the role's competencies",
        ),
        (
            Entries(competencies=MappingProxyType({"time-management": CompetencyEntry(9)})),
            "competency 'time-management': self rating 9 is not a whole number from 1 to 5",
        ),
        (
            Entries(
                competencies=MappingProxyType(
                    {"time-management": CompetencyEntry(manager_rating=2.5)}  # type: ignore[arg-type]
                )
            ),
            "competency 'time-management': manager rating 2.5 is not a whole number from 1 to 5",
        ),
        (
            Entries(courses=MappingProxyType({"hipaa-privacy-security": CourseEntry("Completed")})),  # type: ignore[arg-type]
            "course 'hipaa-privacy-security': status 'Completed' is not a Status",
        ),
        (
            Entries(
                courses=MappingProxyType(
                    {
                        "hipaa-privacy-security": CourseEntry(
                            target_date=dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
                        )
                    }
                )
            ),
            "course 'hipaa-privacy-security': target date datetime.datetime(2026, 1, 1, 0, 0, "
            "tzinfo=datetime.timezone.utc) is not a date",
        ),
    ],
)
def test_entries_that_do_not_fit_the_role_are_refused(
    catalog: Catalog, tmp_path: Path, entries: Entries, message: str
) -> None:
    with pytest.raises(TrackerError) as caught:
        build_tracker(catalog.roles["psr-i"], tmp_path / "t.xlsx", employee=entries)
    assert str(caught.value) == f"the entries for psr-i cannot be written: {message}"
    assert not (tmp_path / "t.xlsx").exists()


def test_every_name_a_formula_uses_is_defined(trackers: dict[str, Path]) -> None:
    import re

    book = openpyxl.load_workbook(trackers["psr-iv-group-lead"])
    defined = set(book.defined_names)
    used: set[str] = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    text = re.sub(r'"[^"]*"', "", str(cell.value))  # names never sit in strings
                    used |= set(re.findall(r"\b[A-Z][a-z]+_[A-Za-z]+\b", text))
    for validation in (v for s in book.worksheets for v in s.data_validations.dataValidation):
        if validation.type == "list" and not str(validation.formula1).startswith('"'):
            used.add(validation.formula1.lstrip("="))
    assert used
    assert used <= defined, used - defined


def test_start_here_lists_the_first_steps_in_order_and_the_current_level_rule(
    trackers: dict[str, Path],
) -> None:
    sheet = openpyxl.load_workbook(trackers["psr-i"])["Start Here"]
    texts = [str(cell.value) for row in sheet.iter_rows(max_col=1) for cell in row if cell.value]
    heading = texts.index("First steps")
    steps = texts[heading + 1 : heading + 6]
    assert [step.split(". ", 1)[0] for step in steps] == ["1", "2", "3", "4", "5"]
    for step, words in zip(
        steps,
        (
            "About you",
            "target role",
            "Course Checklist",
            "Competency Coverage",
            "Manager Discussion",
        ),
        strict=True,
    ):
        assert words in step
    rule = next(text for text in texts if text.startswith("Your current level"))
    assert "manager's rating, or your own" in rule
    assert "Not rated" in rule


def _chart_part(path: Path) -> tuple[str, str]:
    """The Start Here chart's XML and its drawing's."""
    with zipfile.ZipFile(path) as parts:
        return (
            parts.read("xl/charts/chart1.xml").decode("utf-8"),
            parts.read("xl/drawings/drawing1.xml").decode("utf-8"),
        )


def _chart_rows(drawing: str) -> int:
    """The rows the chart's anchor spans."""
    rows = [int(r) for r in re.findall(r"<xdr:row>(\d+)</xdr:row>", drawing)]
    return rows[1] - rows[0]


def test_the_competency_chart_says_what_it_measures_and_shows_every_name(
    catalog: Catalog, tmp_path: Path
) -> None:
    role = catalog.roles["psr-i"]
    chart, drawing = _chart_part(build_tracker(role, tmp_path / "psr-i.xlsx"))
    assert "Courses completed per competency (share of the courses that build it)" in chart
    cat_axis = re.search(r"<c:catAx>.*</c:catAx>", chart)
    assert cat_axis is not None
    assert '<c:tickLblSkip val="1"/>' in cat_axis.group(0)  # every name, none skipped
    many = tuple(
        replace(
            role.competencies[n % len(role.competencies)],
            competency=replace(
                role.competencies[n % len(role.competencies)].competency,
                id=f"c{n}",
                name=f"Competency {n}",
            ),
        )
        for n in range(40)
    )
    _, tall = _chart_part(build_tracker(replace(role, competencies=many), tmp_path / "40.xlsx"))
    assert _chart_rows(tall) > 3 * _chart_rows(drawing)  # room for each of 40 names
