"""Certifications: the role's certifications on their own sheet, from the YAML to the flag,
the Start Here counts, reading back, upgrading and (in test_report_certifications.py) the
team report."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BASE, write_roles
from expected_codes import check_workbook
from fills import fill, open_book, put
from strategies import catalogs, entries_for
from test_parity import _a1, mismatches
from trackerkit import (
    CertificationEntry,
    Employee,
    Entries,
    Severity,
    TeamReport,
    TrackerError,
    TrackerOptions,
    build_tracker,
    has_entries,
    load_catalog,
    read_tracker,
    read_trackers,
    report_bytes,
    team_report,
    upgrade_tracker,
    write_report,
)
from trackerkit import layout as lay
from trackerkit.figures import EXPIRED, EXPIRING, compute, expiry_flag
from trackerkit.problem_codes import Code
from trackerkit.refs import column_letters
from trackerkit.testing import tracker_differences
from trackerkit.writer import tracker_bytes

if TYPE_CHECKING:
    from pathlib import Path

    from libreoffice import Calc
    from trackerkit import Catalog, Role

CATALOG = load_catalog()
ROLE = CATALOG.roles["patient-service-representative"]
"""The bundled role with two certifications (CMAA and CPSS), both optional."""
DAY = dt.date(2026, 3, 15)


def _held(**dates: tuple[dt.date | None, dt.date | None]) -> Entries:
    return Entries(
        certifications=MappingProxyType(
            {key: CertificationEntry(*pair) for key, pair in dates.items()}
        )
    )


def _cell(role: Role, certification_id: str, key: str) -> str:
    table = lay.layout_for(role).certifications
    assert table is not None
    return f"{column_letters(table.col(key) + 1)}{table.row(certification_id) + 1}"


# --- the twin -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expires", "expected"),
    [
        (None, ""),
        (DAY - dt.timedelta(days=1), EXPIRED),
        (DAY, EXPIRING),  # valid through its last day
        (DAY + dt.timedelta(days=60), EXPIRING),
        (DAY + dt.timedelta(days=61), ""),
    ],
    ids=["none", "day-after", "last-day", "60-days-before", "61-days-before"],
)
def test_a_certification_expires_the_day_after_its_expiry_date(
    expires: dt.date | None, expected: str
) -> None:
    assert expiry_flag(expires, DAY) == expected
    assert EXPIRING == "Expires within 60 days"


def test_the_flags_and_counts_follow_the_day() -> None:
    entries = _held(cmaa=(dt.date(2024, 1, 1), DAY - dt.timedelta(days=1)), cpss=(None, DAY))
    rows = {c.id: n for n, c in enumerate(ROLE.competencies, start=4)}
    figures = compute(ROLE, entries, DAY, rows)
    assert figures.expiry == {"cmaa": EXPIRED, "cpss": EXPIRING}
    board = figures.dashboard
    assert (board.certifications_expired, board.certifications_expiring) == (1, 1)
    earlier = compute(ROLE, entries, DAY - dt.timedelta(days=61), rows).dashboard
    assert (earlier.certifications_expired, earlier.certifications_expiring) == (0, 1)


# --- the sheet ------------------------------------------------------------------------------


def test_the_sheet_lists_the_role_s_certifications_with_requirement_and_issuer(
    tmp_path: Path,
) -> None:
    path = build_tracker(ROLE, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames.index(lay.CERTIFICATIONS) == book.sheetnames.index(lay.COVERAGE) + 1
    sheet = book[lay.CERTIFICATIONS]
    header = [cell.value for cell in sheet[lay.CERTIFICATIONS_TOP + 1]]
    assert header == [
        "ID",
        "Certification",
        "Requirement",
        "Issuer",
        "Date obtained",
        "Expires on",
        "Expiry",
    ]
    rows = [
        [cell.value for cell in row][:4]
        for row in sheet.iter_rows(min_row=lay.CERTIFICATIONS_TOP + 2)
    ]
    assert rows == [
        [
            "cmaa",
            "Certified Medical Administrative Assistant (CMAA)",
            "Optional",
            "National Healthcareer Association (NHA)",
        ],
        ["cpss", "Certified Patient Services Specialist (CPSS)", "Optional", None],
    ]
    assert sheet.protection.sheet
    for name in ("Certification_ObtainedOn", "Certification_ExpiresOn"):
        for _, area in book.defined_names[name].destinations:
            for (cell,) in sheet[area.replace("$", "")]:
                assert cell.protection.locked is False, cell.coordinate
                assert cell.number_format == "yyyy-mm-dd"
    dates = {str(v.sqref) for v in sheet.data_validations.dataValidation if v.type == "date"}
    assert dates == {
        f"{_cell(ROLE, 'cmaa', key)}:{_cell(ROLE, 'cpss', key)}"
        for key in ("obtained_on", "expires_on")
    }


def test_start_here_counts_the_certifications_expired_and_expiring(tmp_path: Path) -> None:
    entries = _held(cmaa=(None, DAY - dt.timedelta(days=3)), cpss=(None, DAY + dt.timedelta(9)))
    path = build_tracker(
        ROLE, tmp_path / "t.xlsx", employee=entries, options=TrackerOptions(as_of=DAY)
    )
    book = openpyxl.load_workbook(path, data_only=True)
    formulas = openpyxl.load_workbook(path)
    fields = {f.key: f for f in lay.layout_for(ROLE).dashboard}
    start = book[lay.START]
    for key, label, expected in (
        ("certifications_expired", "Certifications expired", 1),
        ("certifications_expiring", "Certifications expiring in 60 days", 1),
    ):
        field = fields[key]
        assert start.cell(field.row + 1, field.col).value == label
        assert start.cell(field.row + 1, field.col + 1).value == expected
        assert str(formulas[lay.START].cell(field.row + 1, field.col + 1).value).startswith(
            "=COUNTIF(Certification_Expiry,"
        )


def test_a_role_without_certifications_has_no_sheet_and_no_counts(tmp_path: Path) -> None:
    folder = write_roles(
        tmp_path / "roles", base=BASE.split("certifications:")[0] + "next_roles: [lead]\n"
    )
    catalog = load_catalog(folder)
    role = catalog.roles["base"]
    assert role.certifications == ()
    layout = lay.layout_for(role)
    assert layout.certifications is None
    assert lay.CERTIFICATIONS not in layout.sheets
    assert not [f for f in layout.dashboard if f.key.startswith("certifications")]
    path = build_tracker(role, tmp_path / "t.xlsx")
    assert lay.CERTIFICATIONS not in openpyxl.load_workbook(path).sheetnames
    tracker = read_tracker(path, catalog=catalog)
    assert tracker.problems == ()
    assert tracker.to_dict()["certifications"] == []


def test_the_tracker_check_names_a_certification_row_that_differs(tmp_path: Path) -> None:
    path = build_tracker(ROLE, tmp_path / "t.xlsx")
    assert tracker_differences(path, ROLE) == []
    renamed = replace(ROLE.certifications[1], name="Patient Services Specialist")
    other = replace(ROLE, certifications=(ROLE.certifications[0], renamed))
    assert "'Certifications' row cpss: Certification is " in "\n".join(
        tracker_differences(path, other)
    )
    fewer = replace(ROLE, certifications=ROLE.certifications[:1])
    assert "'Certifications' has a row for cpss, which the role does not list" in (
        tracker_differences(path, fewer)
    )


def test_dates_for_a_certification_the_role_does_not_list_are_refused() -> None:
    with pytest.raises(TrackerError, match="'nha' is not one of the role's certifications"):
        tracker_bytes(ROLE, _held(nha=(DAY, None)))


# --- reading back ---------------------------------------------------------------------------


def _filled(tmp_path: Path, edit: dict[tuple[str, str], Any]) -> Path:
    """A blank tracker with the certification cells ``edit`` (id, column key) set by openpyxl."""
    table = lay.layout_for(ROLE).certifications
    assert table is not None
    book = open_book(tracker_bytes(ROLE))
    for (item, key), value in edit.items():
        put(book[lay.CERTIFICATIONS], table.row(item), table.col(key), value)
    path = tmp_path / "filled.xlsx"
    book.save(path)
    return path


def test_dates_typed_in_another_application_read_back(tmp_path: Path) -> None:
    entries = _held(
        cmaa=(dt.date(2024, 5, 2), dt.date(2026, 5, 1)), cpss=(dt.date(2025, 1, 9), None)
    )
    path = fill(tracker_bytes(ROLE), ROLE, entries, tmp_path / "filled.xlsx")
    tracker = read_tracker(path, catalog=CATALOG, as_of=DAY)
    assert tracker.problems == ()
    assert dict(tracker.entries.certifications) == dict(entries.certifications)
    assert tracker.to_dict()["certifications"] == [
        {"id": "cmaa", "obtained_on": "2024-05-02", "expires_on": "2026-05-01"},
        {"id": "cpss", "obtained_on": "2025-01-09", "expires_on": None},
    ]
    assert tracker.figures(ROLE).expiry == {"cmaa": EXPIRING, "cpss": ""}  # 47 days left
    assert has_entries(path)


def test_an_expiry_before_the_date_obtained_is_a_warning_at_expires_on(tmp_path: Path) -> None:
    path = _filled(
        tmp_path,
        {
            ("cpss", "obtained_on"): dt.date(2025, 6, 1),
            ("cpss", "expires_on"): dt.date(2025, 5, 31),
        },
    )
    tracker = read_tracker(path, catalog=CATALOG, as_of=DAY)
    check_workbook(tracker.problems)
    (problem,) = tracker.problems
    assert problem.code is Code.CERTIFICATION_EXPIRES_BEFORE_OBTAINED
    assert problem.severity is Severity.WARNING
    assert (problem.sheet, problem.cell) == (lay.CERTIFICATIONS, _cell(ROLE, "cpss", "expires_on"))
    assert (problem.field, problem.item) == ("certifications.expires_on", "cpss")
    assert str(problem) == (
        "'Certifications'!F6: warning: Expires on is 2025-05-31, before Date obtained "
        "(2025-06-01); correct one of the two dates"
    )
    # The entries still read as typed.
    assert tracker.entries.certifications["cpss"] == CertificationEntry(
        dt.date(2025, 6, 1), dt.date(2025, 5, 31)
    )


def test_an_expiry_that_is_no_date_is_named_at_its_cell(tmp_path: Path) -> None:
    path = _filled(tmp_path, {("cmaa", "expires_on"): "next spring"})
    tracker = read_tracker(path, catalog=CATALOG, as_of=DAY)
    check_workbook(tracker.problems)
    (problem,) = tracker.problems
    assert (problem.code, problem.cell, problem.typed) == (
        Code.DATE_INVALID,
        _cell(ROLE, "cmaa", "expires_on"),
        "next spring",
    )
    assert tracker.entries.certifications["cmaa"].expires_on is None


def _without_sheet(source: Path, target: Path, *, format_version: int | None = None) -> Path:
    """``source`` with the Certifications sheet deleted (and, if given, another format)."""
    book = open_book(source)
    del book[lay.CERTIFICATIONS]
    for name in [n for n in book.defined_names if n.startswith("Certification_")]:
        del book.defined_names[name]
    if format_version is not None:
        row = lay.METADATA_KEYS.index("format_version")
        put(book[lay.METADATA], row, lay.METADATA_VALUE_COL, format_version)
    book.save(target)
    return target


def test_a_deleted_certifications_sheet_is_an_error(tmp_path: Path) -> None:
    path = _without_sheet(build_tracker(ROLE, tmp_path / "t.xlsx"), tmp_path / "deleted.xlsx")
    tracker = read_tracker(path, catalog=CATALOG)
    check_workbook(tracker.problems)
    codes = [(p.code, p.severity, p.sheet) for p in tracker.problems]
    assert (Code.SHEET_MISSING, Severity.ERROR, lay.CERTIFICATIONS) in codes


def test_a_format_1_tracker_reads_without_certifications_and_upgrades_to_the_sheet(
    tmp_path: Path,
) -> None:
    """A tracker made before the Certifications sheet (format 1) has none: it reads cleanly,
    and upgrade makes it anew with the sheet, though its role did not change."""
    entries = Entries(Employee("Ana Diaz", "E-1"))
    made = build_tracker(ROLE, tmp_path / "made.xlsx", employee=entries)
    old = _without_sheet(made, tmp_path / "old.xlsx", format_version=1)
    tracker = read_tracker(old, catalog=CATALOG)
    assert tracker.format_version == 1
    assert tracker.problems == ()
    assert tracker.entries.certifications == {}
    result = upgrade_tracker(old, tmp_path / "new.xlsx", catalog=CATALOG)
    assert result.outcome == "upgraded", result.line()
    new = read_tracker(tmp_path / "new.xlsx", catalog=CATALOG)
    assert new.format_version == lay.FORMAT_VERSION
    assert list(new.entries.certifications) == ["cmaa", "cpss"]
    assert new.employee == entries.employee
    # A tracker of the current format and role is left as it is.
    again = upgrade_tracker(tmp_path / "new.xlsx", tmp_path / "again.xlsx", catalog=CATALOG)
    assert again.outcome == "current"


def test_upgrade_carries_the_dates_by_certification_id(tmp_path: Path) -> None:
    held = _held(cmaa=(dt.date(2024, 5, 2), dt.date(2026, 5, 1)))
    old = build_tracker(ROLE, tmp_path / "old.xlsx", employee=held)
    # The role's next version lists CPSS first and drops CMAA's issuer: ids, not rows, carry.
    newer_role = replace(
        ROLE,
        version="2099.1",
        certifications=(ROLE.certifications[1], replace(ROLE.certifications[0], issuer=None)),
    )
    newer = _with(newer_role)
    result = upgrade_tracker(old, tmp_path / "new.xlsx", catalog=newer)
    assert result.outcome == "upgraded", result.line()
    new = read_tracker(tmp_path / "new.xlsx", catalog=newer)
    assert new.problems == ()
    assert list(new.entries.certifications) == ["cpss", "cmaa"]
    assert new.entries.certifications["cmaa"] == held.certifications["cmaa"]


def test_upgrade_archives_the_dates_of_a_certification_the_role_dropped(tmp_path: Path) -> None:
    """Dropped, then listed again: the dates go to the archive sheet and come back."""
    held = _held(cmaa=(dt.date(2024, 5, 2), dt.date(2026, 5, 1)), cpss=(None, DAY))
    old = build_tracker(ROLE, tmp_path / "old.xlsx", employee=held)
    dropped = _with(replace(ROLE, version="2099.1", certifications=ROLE.certifications[1:]))
    result = upgrade_tracker(old, tmp_path / "new.xlsx", catalog=dropped)
    assert result.outcome == "upgraded", result.line()
    assert result.counts is not None
    assert (result.counts.carried, result.counts.archived) == (1, 1)
    new = read_tracker(tmp_path / "new.xlsx", catalog=dropped)
    assert new.problems == ()
    assert dict(new.entries.certifications) == {"cpss": held.certifications["cpss"]}
    assert dict(new.entries.archive.certifications) == {"cmaa": held.certifications["cmaa"]}
    assert new.to_dict()["archived"]["certifications"] == [
        {"id": "cmaa", "obtained_on": "2024-05-02", "expires_on": "2026-05-01"}
    ]
    assert has_entries(tmp_path / "new.xlsx")
    listed_again = _with(replace(ROLE, version="2099.2"))
    again = upgrade_tracker(tmp_path / "new.xlsx", tmp_path / "again.xlsx", catalog=listed_again)
    assert again.outcome == "upgraded", again.line()
    back = read_tracker(tmp_path / "again.xlsx", catalog=listed_again)
    assert dict(back.entries.certifications) == dict(held.certifications)
    assert not back.entries.archive


def _with(role: Role) -> Catalog:
    """The bundled catalog with ``role`` in place of the role of its id."""
    return replace(CATALOG, roles=MappingProxyType({**CATALOG.roles, role.id: role}))


# --- LibreOffice: the formulas agree with the twins -----------------------------------------


def _expiring_entries(today: dt.date) -> Entries:
    """CMAA expired yesterday, CPSS expires in 30 days."""
    return _held(
        cmaa=(today - dt.timedelta(days=800), today - dt.timedelta(days=1)),
        cpss=(today - dt.timedelta(days=300), today + dt.timedelta(days=30)),
    )


def test_certification_flags_in_calc_equal_the_twins(libreoffice: Calc, tmp_path: Path) -> None:
    """Calc's full recalculation of TODAY() gives every cached value, the flags included."""
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    path = build_tracker(
        ROLE,
        tmp_path / "certifications.xlsx",
        employee=_expiring_entries(today),
        options=TrackerOptions(as_of=today),
    )
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []
    table = lay.layout_for(ROLE).certifications
    assert table is not None
    cells = answer["cells"][lay.CERTIFICATIONS]
    flags = {c: cells[_a1(table.row(c), table.col("expiry"))]["value"] for c in table.ids}
    assert flags == {"cmaa": EXPIRED, "cpss": EXPIRING}


def test_typing_the_dates_in_calc_gives_the_twins_flags(libreoffice: Calc, tmp_path: Path) -> None:
    """A blank tracker filled in Calc itself shows the flags and counts the twins compute."""
    today = dt.date.today()  # noqa: DTZ011 - TODAY() in Calc is the local date
    entries = _expiring_entries(today)
    blank = build_tracker(ROLE, tmp_path / "blank.xlsx")
    expected = build_tracker(
        ROLE, tmp_path / "expected.xlsx", employee=entries, options=TrackerOptions(as_of=today)
    )
    table = lay.layout_for(ROLE).certifications
    assert table is not None
    edits = [
        {
            "sheet": lay.CERTIFICATIONS,
            "cell": _a1(table.row(item), table.col(key)),
            "date": getattr(held, key).isoformat(),
        }
        for item, held in entries.certifications.items()
        for key in ("obtained_on", "expires_on")
    ]
    answer = libreoffice.run(blank, edits=edits, recalculate=True, read="formulas")
    assert mismatches(expected, answer) == []


def test_every_bundled_tracker_has_the_sheet() -> None:
    """Every bundled role lists certifications (PSR I's CPT is inherited up the path)."""
    for role in CATALOG.roles.values():
        assert role.certifications, role.id
        layout = lay.layout_for(role)
        assert layout.certifications is not None
        assert layout.certifications.ids == tuple(c.id for c in role.certifications)


# --- the team report ------------------------------------------------------------------------


def _team_folder(folder: Path) -> Path:
    """Three people as of :data:`DAY`: Ana (PSR) with CMAA expired 10 days before and CPSS
    expiring in 20 days; Bo (PSR I) whose CPT expires in 100 days; Cy (PSR I) whose CPT
    expired 400 days before."""
    psr_i = CATALOG.roles["psr-i"]
    people = (
        (
            "ana",
            ROLE,
            _held(cmaa=(None, DAY - dt.timedelta(10)), cpss=(None, DAY + dt.timedelta(20))),
        ),
        ("bo", psr_i, _held(cpt=(None, DAY + dt.timedelta(100)))),
        ("cy", psr_i, _held(cpt=(dt.date(2020, 1, 1), DAY - dt.timedelta(400)))),
    )
    for name, role, held in people:
        employee = Employee(name.title(), f"E-{name}", manager="Lee Park")
        build_tracker(
            role,
            folder / f"{name}.xlsx",
            employee=replace(held, employee=employee),
            options=TrackerOptions(as_of=DAY, generated_on=DAY),
        )
    return folder


@pytest.fixture(scope="module")
def team(tmp_path_factory: pytest.TempPathFactory) -> TeamReport:
    folder = _team_folder(tmp_path_factory.mktemp("team"))
    return team_report(read_trackers([folder], catalog=CATALOG, as_of=DAY), CATALOG, as_of=DAY)


def test_the_report_lists_the_certifications_expiring_earliest_first(team: TeamReport) -> None:
    listed = [
        (c.employee_id, c.certification_id, c.expires_on, c.expiry, c.days_left)
        for c in team.expiring_certifications
    ]
    assert listed == [
        ("E-cy", "cpt", DAY - dt.timedelta(400), EXPIRED, -400),
        ("E-ana", "cmaa", DAY - dt.timedelta(10), EXPIRED, -10),
        ("E-ana", "cpss", DAY + dt.timedelta(20), EXPIRING, 20),
    ]
    ana = next(p for p in team.people if p.employee_id == "E-ana")
    assert [(c.certification_id, c.expiry) for c in ana.certifications] == [
        ("cmaa", EXPIRED),
        ("cpss", EXPIRING),
    ]
    bo = next(p for p in team.people if p.employee_id == "E-bo")
    assert [(c.certification_id, c.expiry) for c in bo.certifications] == [("cpt", "")]


def test_the_report_s_json_carries_the_certifications_back(team: TeamReport) -> None:
    data = json.loads(report_bytes(team, fmt="json"))
    assert data["expiring_certifications"][0] == {
        "person": next(p.number for p in team.people if p.employee_id == "E-cy"),
        "name": "Cy",
        "employee_id": "E-cy",
        "role_title": CATALOG.roles["psr-i"].title,
        "certification_id": "cpt",
        "certification": "Certified Phlebotomy Technician (CPT)",
        "requirement": "optional",
        "expires_on": (DAY - dt.timedelta(400)).isoformat(),
        "expiry": EXPIRED,
        "file": next(p.file for p in team.people if p.employee_id == "E-cy"),
        "days_left": -400,
    }
    assert TeamReport.from_dict(data) == team


def test_the_report_workbook_s_certifications_sheet_agrees_with_calc(
    team: TeamReport, libreoffice: Calc, tmp_path: Path
) -> None:
    """The sheet lists the same rows; its flags and days left are formulas over the report's
    day (a fixed date, not TODAY()), and Calc's recalculation gives every cached value."""
    path = write_report(team, tmp_path / "team.xlsx")
    book = openpyxl.load_workbook(path, data_only=True)
    summary = {row[0].value: row[1].value for row in book["Summary"].iter_rows(max_col=2)}
    assert summary["Certifications to renew"] == len(team.expiring_certifications) == 3
    sheet = book["Certifications expiring"]
    rows: list[list[Any]] = [
        [cell.value for cell in row]
        for row in sheet.iter_rows(min_row=5, max_col=9)
        if row[0].value is not None
    ]
    assert [(r[1], r[3], r[6].date(), r[7], r[8]) for r in rows] == [
        (c.employee_id, c.certification_id, c.expires_on, c.expiry, c.days_left)
        for c in team.expiring_certifications
    ]
    answer = libreoffice.run(path, recalculate=True, read="formulas")
    assert mismatches(path, answer) == []


# --- as a property --------------------------------------------------------------------------


@settings(max_examples=max(100, settings().max_examples))
@given(st.data())
def test_once_expired_a_certification_stays_expired_and_the_counts_are_the_flags(
    data: st.DataObject,
) -> None:
    """On any later day, what had expired is still expired; Start Here's counts are exactly
    the flags, and a flag is set only for a certification with an expiry date."""
    catalog = data.draw(catalogs())
    role = catalog.roles[data.draw(st.sampled_from(sorted(catalog.roles)))]
    entries = data.draw(entries_for(role))
    first = data.draw(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)))
    later = first + dt.timedelta(days=data.draw(st.integers(0, 4000)))
    rows = {c.id: n for n, c in enumerate(role.competencies, start=4)}
    before, after = (compute(role, entries, day, rows) for day in (first, later))
    expired = {c for c, flag in before.expiry.items() if flag == EXPIRED}
    assert expired <= {c for c, flag in after.expiry.items() if flag == EXPIRED}
    for figures in (before, after):
        flags = list(figures.expiry.values())
        assert figures.dashboard.certifications_expired == flags.count(EXPIRED)
        assert figures.dashboard.certifications_expiring == flags.count(EXPIRING)
        assert all(
            entries.certification(c).expires_on is not None
            for c, flag in figures.expiry.items()
            if flag
        )
    assert list(before.expiry) == [c.id for c in role.certifications]
