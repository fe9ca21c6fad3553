"""Properties of building: a tracker for any role opens cleanly and keeps every item.

Hypothesis draws whole catalogs (``tests/strategies.py``) and builds a tracker
for each role with :func:`trackerkit.writer.tracker_bytes`; each must open in
openpyxl without a warning and list every course and competency of the role
exactly once, in the role's order, with its texts intact. Dedicated tests
cover the edges a random draw rarely reaches: right-to-left text and emoji,
texts at Excel's cell limit, and roles with 0 or 200 courses and 0, 1 or 40
competencies.
"""

from __future__ import annotations

import tempfile
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.worksheet.cell_range import CellRange

from strategies import catalogs, lines
from trackerkit import (
    Catalog,
    Competency,
    Course,
    CourseFormat,
    ProficiencyLevel,
    Requirement,
    Role,
    RoleCompetency,
    RoleCourse,
    TrackerError,
)
from trackerkit import layout as lay
from trackerkit.testing import tracker_differences
from trackerkit.writer import tracker_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from openpyxl.workbook.workbook import Workbook

CELL_LIMIT = 32_767
"""The most characters an Excel cell holds."""
NEAR_LIMIT = "long words " * 2_908
"""31,988 characters: a definition near the cell limit, with room for a row number."""


# --- the check every built tracker must pass -----------------------------------------------


def _table_rows(book: Workbook, table: lay.Table, keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """The table's data rows as openpyxl reads them, one dict of ``keys`` per row."""
    sheet = book[table.sheet]
    min_col, min_row, max_col, max_row = CellRange(sheet.tables[table.name].ref).bounds
    rows = list(sheet.iter_rows(min_row, max_row, min_col, max_col, values_only=True))
    assert rows[0] == tuple(column.header for column in table.columns)
    return [{key: row[table.col(key)] for key in keys} for row in rows[1:]]


def _expected(items: list[dict[str, Any]], keys: tuple[str, ...]) -> list[dict[str, Any]]:
    """What the table must hold: an empty text reads back as None; an empty table, one blank row."""
    rows = [{key: item[key] if item[key] != "" else None for key in keys} for item in items]
    return rows or [dict.fromkeys(keys)]


def assert_tracker_keeps_every_item(role: Role, folder: Path) -> None:
    path = folder / f"{role.id}.xlsx"
    path.write_bytes(tracker_bytes(role))
    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    layout = lay.layout_for(role)
    course_keys = ("id", "title", "provider")
    competency_keys = ("id", "name", "category", "definition")
    courses = [
        {"id": item.id, "title": item.course.title, "provider": item.course.provider}
        for item in role.courses
    ]
    competencies = [
        {
            "id": item.id,
            "name": item.competency.name,
            "category": item.competency.category_name,
            "definition": item.competency.definition,
        }
        for item in role.competencies
    ]
    book = openpyxl.load_workbook(path)  # pytest turns any openpyxl warning into an error
    try:
        assert _table_rows(book, layout.courses, course_keys) == _expected(courses, course_keys)
        assert _table_rows(book, layout.competencies, competency_keys) == _expected(
            competencies, competency_keys
        )
    finally:
        book.close()
    assert tracker_differences(path, role) == []


# --- properties ----------------------------------------------------------------------------

FRAGMENTS = (
    "مهارات التواصل مع المرضى",  # Arabic
    "שירות מטופלים",  # Hebrew
    "Patient \u200fcare\u200e (مريض)",  # right-to-left and left-to-right marks
    "👩\u200d⚕\ufe0f 🩸💉 🏳\ufe0f\u200d🌈",  # emoji with zero-width joiners and variation selectors
    "𠜎𠜱 ᄀᄀᄀ각 e\u0301",  # astral CJK, conjoining jamo, a combining accent
    "=SUM(A1:A3)",
    "+1",
    "-2",
    "@name",
    "_x0041_ _x000D_",  # what Excel uses to escape characters; must stay literal
    "https://example.com/x",
    "1e5",
    "&amp; <b> 'quoted' \"double\"",
    "  padded  ",
)
exotic_lines = st.lists(st.sampled_from(FRAGMENTS) | lines, min_size=1, max_size=3).map(" ".join)


@st.composite
def exotic_roles(draw: st.DrawFn) -> list[Role]:
    """The roles of a drawn catalog, their visible texts redrawn from the fragments above."""
    catalog: Catalog = draw(catalogs())
    roles = []
    for role in catalog.roles.values():
        courses = tuple(
            replace(
                item,
                course=replace(item.course, title=draw(exotic_lines), provider=draw(exotic_lines)),
            )
            for item in role.courses
        )
        competencies = tuple(
            replace(
                item,
                competency=replace(
                    item.competency,
                    name=draw(exotic_lines),
                    category_name=draw(exotic_lines),
                    definition=draw(st.lists(exotic_lines, min_size=1, max_size=3).map("\n".join)),
                ),
            )
            for item in role.competencies
        )
        roles.append(
            replace(
                role,
                title=draw(exotic_lines),
                summary=draw(exotic_lines),
                courses=courses,
                competencies=competencies,
            )
        )
    return roles


@settings(max_examples=30)
@given(catalogs())
def test_every_role_of_a_catalog_gets_a_tracker_that_keeps_every_item(catalog: Catalog) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for role in catalog.roles.values():
            assert_tracker_keeps_every_item(role, Path(folder))


@settings(max_examples=30)
@given(exotic_roles())
def test_unicode_and_formula_like_texts_stay_as_written(roles: list[Role]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        for role in roles:
            assert_tracker_keeps_every_item(role, Path(folder))


# --- edges, built directly -----------------------------------------------------------------

SCALE = tuple(
    ProficiencyLevel(level, name, f"{name}: what level {level} looks like.")
    for level, name in enumerate(
        ("Learning", "Developing", "Proficient", "Advanced", "Expert"), start=1
    )
)


def make_role(
    courses: int,
    competencies: int,
    *,
    course_title: Callable[[int], str] = lambda n: f"Course {n}",
    competency_name: Callable[[int], str] = lambda n: f"Competency {n}",
    definition: Callable[[int], str] = lambda n: f"What competency {n} looks like at work.",
    title: str = "Generated role",
) -> Role:
    """A role of ``courses`` courses and ``competencies`` competencies, each course building two."""
    role_competencies = tuple(
        RoleCompetency(
            Competency(
                f"competency-{n}",
                competency_name(n),
                definition(n),
                f"category-{n % 3}",
                f"Category {n % 3}",
            ),
            target=1 + n % 5,
        )
        for n in range(competencies)
    )
    ids = [item.id for item in role_competencies]
    role_courses = tuple(
        RoleCourse(
            Course(
                id=f"course-{n:03}",
                title=course_title(n),
                provider="Learning team",
                format=list(CourseFormat)[n % len(CourseFormat)],
                hours=1 + n % 8 / 4,
                competencies=tuple(dict.fromkeys(ids[(n + k) % len(ids)] for k in (0, 1)))
                if ids
                else (),
                url=f"https://learning.example.com/course-{n}" if n % 2 else None,
            ),
            requirement=list(Requirement)[n % len(Requirement)],
            inherited_from="base-role" if n % 4 == 0 else None,
        )
        for n in range(courses)
    )
    return Role(
        id="generated-role",
        title=title,
        family="tests",
        level=2,
        version="1.0",
        summary="A role built in the test, to reach an edge.",
        work_settings=("Patient Service Center",),
        responsibilities=("Keep every item",),
        competencies=role_competencies,
        courses=role_courses,
        certifications=(),
        next_roles=(),
        scale=SCALE,
    )


ARABIC = "التعاطف والإصغاء الفعال في رعاية المرضى"
HEBREW = "אמפתיה והקשבה פעילה בטיפול במטופלים"
EMOJI = "Draws 🩸 with care 👩🏽‍⚕️💉 and a smile 😊"


@pytest.mark.parametrize(
    "role",
    [
        pytest.param(
            make_role(
                3,
                3,
                course_title=lambda n: f"{ARABIC} {n}",
                competency_name=lambda n: f"{ARABIC[:12]} {n}",
                definition=lambda _: ARABIC,
                title=f"أخصائي سحب الدم {ARABIC[:10]}",
            ),
            id="arabic",
        ),
        pytest.param(
            make_role(
                3,
                3,
                course_title=lambda n: f"{HEBREW} {n}",
                competency_name=lambda n: f"{HEBREW[:10]} {n}",
                definition=lambda _: (
                    f"{HEBREW}\n{ARABIC}\nMixed: {HEBREW[:6]} (PSR-II) {ARABIC[:6]}"
                ),
                title="נציג שירות מטופלים",
            ),
            id="hebrew-and-mixed-direction",
        ),
        pytest.param(
            make_role(
                3,
                3,
                course_title=lambda n: f"{EMOJI} {n}",
                competency_name=lambda n: f"🧪 {n}",
                definition=lambda _: EMOJI * 40,
                title="Phlebotomist 🩸",
            ),
            id="emoji",
        ),
        pytest.param(make_role(2, 2, definition=lambda n: f"{n} {NEAR_LIMIT}"), id="near-32000"),
        pytest.param(
            make_role(2, 2, definition=lambda _: "x" * CELL_LIMIT), id="definition-at-cell-limit"
        ),
        pytest.param(
            make_role(2, 2, definition=lambda _: ("A paragraph of evidence. " * 64 + "\n") * 19),
            id="many-lines",
        ),
        pytest.param(make_role(0, 3), id="0-courses"),
        pytest.param(make_role(200, 5), id="200-courses"),
        pytest.param(make_role(4, 0), id="0-competencies"),
        pytest.param(make_role(4, 1), id="1-competency"),
        pytest.param(make_role(6, 40), id="40-competencies"),
        pytest.param(make_role(200, 40), id="200-courses-40-competencies"),
    ],
)
def test_edge_roles_get_a_tracker_that_keeps_every_item(role: Role, tmp_path: Path) -> None:
    assert_tracker_keeps_every_item(role, tmp_path)


def test_a_role_title_at_the_schema_limit_gets_a_tracker(tmp_path: Path) -> None:
    """The role schema allows titles of 255 characters; the tracker must take them."""
    assert_tracker_keeps_every_item(make_role(2, 2, title="T" * 255), tmp_path)


def test_a_text_over_the_cell_limit_is_refused_with_the_cell() -> None:
    role = make_role(1, 1, definition=lambda _: "x" * (CELL_LIMIT + 1))
    with pytest.raises(TrackerError, match=r"'Competency Coverage'!D5: the text is longer"):
        tracker_bytes(role)
