"""Start Here carries what the role is, and says which of its content is sample data."""

from __future__ import annotations

from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

import openpyxl
import pytest

from conftest import BUNDLED_ROLES
from trackerkit import (
    Catalog,
    Employee,
    Entries,
    build_tracker,
    has_entries,
    load_catalog,
    read_tracker,
)
from trackerkit import layout as lay
from trackerkit.grid import STYLES, Style

if TYPE_CHECKING:
    from pathlib import Path

    from openpyxl.worksheet.worksheet import Worksheet

    from trackerkit import Role

JOB_URL = "https://careers.example.com/jobs/psr-iv-group-lead?lang=en&view=full"
NOTICE_FILL = STYLES[Style.NOTICE]["bg_color"].lstrip("#").upper()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _start(path: Path) -> Worksheet:
    return openpyxl.load_workbook(path)["Start Here"]


def _texts(sheet: Worksheet) -> list[str]:
    return [str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _with_role(catalog: Catalog, role: Role) -> Catalog:
    return replace(catalog, roles=MappingProxyType({**catalog.roles, role.id: role}))


def _without_samples(role: Role) -> Role:
    courses = tuple(
        replace(entry, course=replace(entry.course, sample=None)) for entry in role.courses
    )
    return replace(role, sample=None, courses=courses)


@pytest.mark.parametrize("role_id", BUNDLED_ROLES)
def test_start_here_shows_the_roles_responsibilities_and_certifications(
    catalog: Catalog, role_id: str, tmp_path: Path
) -> None:
    role = catalog.roles[role_id]
    texts = _texts(_start(build_tracker(role, tmp_path / "t.xlsx")))
    about = texts.index("About the role")
    assert texts.index("First steps") < about < texts.index("Proficiency scale")
    responsibilities = texts.index("Responsibilities")
    assert texts[responsibilities + 1 : responsibilities + 1 + len(role.responsibilities)] == [
        f"• {item}" for item in role.responsibilities
    ]
    if role.certifications:
        lines = texts[texts.index("Certifications") + 1 :][: len(role.certifications)]
        for line, certification in zip(lines, role.certifications, strict=True):
            assert line.startswith(f"• {certification.name}: ")
            assert certification.requirement.label.lower() in line
            for given in (certification.issuer, certification.note):
                assert given is None or given in line
    else:
        assert "Certifications" not in texts


def test_a_certification_says_required_and_who_issues_it(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-i"]
    (cpt,) = role.certifications
    required = replace(cpt, requirement=type(cpt.requirement).REQUIRED, note=None)
    texts = _texts(
        _start(build_tracker(replace(role, certifications=(required,)), tmp_path / "t.xlsx"))
    )
    assert f"• {cpt.name}: required, issued by {cpt.issuer}." in texts


def test_the_job_description_is_a_real_link_when_given(catalog: Catalog, tmp_path: Path) -> None:
    role = catalog.roles["psr-iv-group-lead"]
    assert role.job_description_url is None
    assert "Job description" not in _texts(_start(build_tracker(role, tmp_path / "none.xlsx")))
    sheet = _start(
        build_tracker(replace(role, job_description_url=JOB_URL), tmp_path / "link.xlsx")
    )
    links = [
        (cell, cell.hyperlink.target)
        for row in sheet.iter_rows()
        for cell in row
        if cell.hyperlink is not None
    ]
    assert [(cell.value, target) for cell, target in links] == [(JOB_URL, JOB_URL)]
    ((link, _),) = links
    assert isinstance(link.row, int)
    assert isinstance(link.column, int)
    assert sheet.cell(link.row, link.column - 1).value == "Job description"
    assert link.font.underline == "single"


@pytest.mark.parametrize("role_id", BUNDLED_ROLES)
def test_start_here_names_the_sample_content_to_replace(
    catalog: Catalog, role_id: str, tmp_path: Path
) -> None:
    role = catalog.roles[role_id]
    assert role.samples()
    sheet = _start(build_tracker(role, tmp_path / "t.xlsx"))
    pointer = sheet.cell(2, lay.DASHBOARD_COL + 1)  # beside the level, near the top
    assert pointer.value == lay.SAMPLE_POINTER
    noticed = {
        cell.value
        for row in sheet.iter_rows()
        for cell in row
        if cell.value and cell.fill.fgColor.rgb.upper().endswith(NOTICE_FILL)
    }
    assert noticed == {lay.SAMPLE_POINTER, *role.samples()}
    texts = _texts(sheet)
    assert texts.index(lay.SAMPLES_HEADING) < texts.index("About the role")


def test_a_tracker_without_sample_content_says_nothing_of_samples(
    catalog: Catalog, tmp_path: Path
) -> None:
    role = _without_samples(catalog.roles["psr-ii"])
    sheet = _start(build_tracker(role, tmp_path / "t.xlsx"))
    texts = _texts(sheet)
    assert lay.SAMPLE_POINTER not in texts
    assert lay.SAMPLES_HEADING not in texts
    assert "About the role" in texts


def test_the_full_title_where_there_is_room_the_short_one_in_lists(
    catalog: Catalog, tmp_path: Path
) -> None:
    lead = catalog.roles["psr-ii-site-lead"]
    assert lead.long_title != lead.title
    book = openpyxl.load_workbook(build_tracker(lead, tmp_path / "lead.xlsx"))
    assert book["Start Here"]["A1"].value == lead.long_title
    assert book["Manager Discussion"]["A1"].value == f"Manager discussion: {lead.long_title}"
    assert book["Course Checklist"]["A1"].value == f"Course checklist: {lead.title}"
    header = book["Course Checklist"].oddHeader
    assert header is not None
    assert lead.long_title in str(header.left.text)
    cached = openpyxl.load_workbook(tmp_path / "lead.xlsx", data_only=True)
    role_cell = cached.defined_names["Discussion_Role"].destinations
    ((sheet, cell),) = list(role_cell)
    assert cached[sheet][cell.replace("$", "")].value == lead.long_title
    psr_ii = catalog.roles["psr-ii"]
    offered = build_tracker(psr_ii, tmp_path / "ii.xlsx", next_roles=catalog.next_roles(psr_ii))
    lists = openpyxl.load_workbook(offered)[lay.LISTS]
    titles = [cell.value for (cell,) in lists.iter_rows(min_col=4, max_col=4) if cell.value]
    assert lead.title in titles
    assert lead.long_title not in titles


def test_role_text_that_reads_like_a_label_is_never_read_as_an_input(
    catalog: Catalog, tmp_path: Path
) -> None:
    """Even with the defined names lost, the reader finds About you, not the role's text."""
    base = catalog.roles["psr-i"]
    (cpt,) = base.certifications
    role = replace(
        base,
        responsibilities=("Name", "Manager", *base.responsibilities),
        certifications=(replace(cpt, name="Employee ID"),),
        job_description_url=JOB_URL,
    )
    roles = _with_role(catalog, role)
    blank = build_tracker(role, tmp_path / "blank.xlsx")
    assert not has_entries(blank)
    assert read_tracker(blank, catalog=roles).problems == ()
    person = Employee(name="Ana Diaz", employee_id="E42", manager="Bo Lee")
    filled = build_tracker(role, tmp_path / "filled.xlsx", employee=Entries(employee=person))
    book = openpyxl.load_workbook(filled)
    for name in list(book.defined_names):
        del book.defined_names[name]
    book.save(tmp_path / "no-names.xlsx")
    employee = read_tracker(tmp_path / "no-names.xlsx", catalog=roles).entries.employee
    assert (employee.name, employee.employee_id, employee.manager) == (
        "Ana Diaz",
        "E42",
        "Bo Lee",
    )


def test_the_role_content_prints_with_start_here(catalog: Catalog, tmp_path: Path) -> None:
    """No print area cuts About the role off: Start Here prints one page wide, every row."""
    role = replace(catalog.roles["psr-iii"], job_description_url=JOB_URL)
    sheet = _start(build_tracker(role, tmp_path / "t.xlsx"))
    assert not sheet.print_area
    setup = sheet.sheet_properties.pageSetUpPr
    assert setup is not None
    assert setup.fitToPage
    assert (sheet.page_setup.fitToWidth or 1) == 1
    assert sheet.page_setup.fitToHeight == 0
    assert sheet.protection.sheet
    link_row = next(row for row in sheet.iter_rows() if row[0].value == "Job description")
    assert link_row[1].protection.locked  # text to read, not a cell to fill in
