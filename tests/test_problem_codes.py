"""Problem codes: one registry, tied to the docs and the schema, on every problem made.

And the promise that comes with them: a value that cannot be understood is
empty in the output, never guessed, and what was typed is kept in its problem,
in JSON and in CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import tempfile
from html import escape
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

from expected_codes import check_workbook
from fills import open_book, put
from test_read_hostile import members, set_cell, sheet_part, write
from trackerkit import (
    CourseEntry,
    Entries,
    NextStep,
    Status,
    build_tracker,
    read_tracker,
    upgrade_tracker,
)
from trackerkit import layout as lay
from trackerkit.export import csv_safe, to_csv, to_json
from trackerkit.problem_codes import Code, Scope, code_of, codes
from trackerkit.resources import bundled as bundled_folder

if TYPE_CHECKING:
    from trackerkit import Catalog, FilledTracker, Role

DOCS = Path(__file__).parent.parent / "docs"
PAGES = {Scope.ROLES: "authoring.md", Scope.ROSTER: "trackers.md", Scope.WORKBOOK: "reading.md"}
"""The page that lists each scope's codes, in a table whose rows start with the code."""
_DOC_ROW = re.compile(r"^\| `([a-z_]+(?:\.[a-z_]+)+)` \|", re.MULTILINE)
_START, _END = "<!-- problem codes -->", "<!-- end of problem codes -->"
"""The marks around a page's table of codes."""


# --- the registry -----------------------------------------------------------------------------


def test_every_code_is_dotted_lower_case_and_says_what_it_means_and_what_to_do() -> None:
    for code in Code:
        assert re.fullmatch(r"[a-z_]+\.[a-z_]+", code.value), code
        assert code.meaning.endswith(".")
        assert code.action.endswith(".")
        assert code_of(code.value) is code
    assert len({code.value for code in Code}) == len(Code)
    with pytest.raises(ValueError, match=r"'status\.done' is not a problem code"):
        code_of("status.done")


@pytest.mark.parametrize("scope", list(Scope))
def test_each_docs_page_lists_exactly_its_scopes_codes(scope: Scope) -> None:
    page = (DOCS / PAGES[scope]).read_text(encoding="utf-8")
    text = page[page.index(_START) : page.index(_END)]
    listed = _DOC_ROW.findall(text)
    assert len(listed) == len(set(listed)), "a code is listed twice"
    assert set(listed) == {code.value for code in codes(scope)}
    for code in codes(scope):  # each row gives the registry's meaning and what to do
        assert f"| `{code.value}` | {code.meaning} | {code.action} |" in text


def test_the_filled_tracker_schema_lists_the_workbook_codes() -> None:
    schema = json.loads(
        (bundled_folder("schemas") / "filled-tracker.schema.json").read_text(encoding="utf-8")
    )
    problem = schema["$defs"]["tracker"]["properties"]["problems"]["items"]
    assert problem["properties"]["code"]["enum"] == [code.value for code in codes(Scope.WORKBOOK)]
    assert {"code", "field", "item", "typed"} <= set(problem["required"])


# --- nothing typed is lost ----------------------------------------------------------------------


@pytest.fixture
def role(bundled: Catalog) -> Role:
    return bundled.roles["psr-ii"]


@pytest.fixture
def filled(role: Role, tmp_path: Path) -> Path:
    """A tracker whose first course is planned for a day long past."""
    first = role.courses[0].id
    entries = Entries(
        courses=MappingProxyType({first: CourseEntry(Status.PLANNED, dt.date(2026, 1, 31))})
    )
    return build_tracker(role, tmp_path / "filled.xlsx", employee=entries)


@pytest.fixture
def done_typed(role: Role, filled: Path) -> tuple[Path, str, str]:
    """The filled tracker with "Done" typed over its first course's status."""
    courses = lay.layout_for(role).courses
    course = role.courses[0].id
    book = open_book(filled)
    put(book[courses.sheet], courses.row(course), courses.col("status"), "Done")
    edited = filled.with_name("done.xlsx")
    book.save(edited)
    return edited, course, f"{courses.letter('status')}{courses.row(course) + 1}"


def test_a_status_typed_as_done_is_null_in_json_and_keeps_its_text(
    done_typed: tuple[Path, str, str], bundled: Catalog
) -> None:
    from jsonschema import Draft202012Validator, FormatChecker

    path, course, cell = done_typed
    tracker = read_tracker(path, catalog=bundled)
    assert tracker.courses[course].status is None
    data = json.loads(to_json([tracker], single=True))
    schema = json.loads(
        (bundled_folder("schemas") / "filled-tracker.schema.json").read_text(encoding="utf-8")
    )
    Draft202012Validator(schema, format_checker=FormatChecker()).validate(data)
    assert data["courses"][0] == {**data["courses"][0], "id": course, "status": None}
    assert data["problems"] == [
        {
            "code": "status.unknown",
            "severity": "error",
            "sheet": lay.CHECKLIST,
            "cell": cell,
            "message": '"Done" is not a status; use one of Not started, Planned, In progress, '
            "Completed, Waived",
            "field": "courses.status",
            "item": course,
            "typed": "Done",
        }
    ]


def test_a_status_typed_as_done_shows_in_its_csv_row(
    done_typed: tuple[Path, str, str], bundled: Catalog
) -> None:
    path, course, _ = done_typed
    rows = list(csv.DictReader(io.StringIO(to_csv([read_tracker(path, catalog=bundled)]))))
    row = next(r for r in rows if r["kind"] == "course" and r["id"] == course)
    assert row["status"] == ""
    assert row["problems"] == 'status.unknown status="Done"'
    assert all(r["problems"] == "" for r in rows if r is not row)


def test_the_csv_problems_column_lists_every_problem_of_the_row_and_stays_safe(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    courses = lay.layout_for(role).courses
    competencies = lay.layout_for(role).competencies
    course, competency = role.courses[1].id, role.competencies[0].id
    book = open_book(filled)
    put(book[courses.sheet], courses.row(course), courses.col("status"), '=Done"; x')
    put(book[courses.sheet], courses.row(course), courses.col("target_date"), "3/31/2027")
    put(book[competencies.sheet], competencies.row(competency), competencies.col("self_rating"), 9)
    book.save(filled)
    rows = list(csv.DictReader(io.StringIO(to_csv([read_tracker(filled, catalog=bundled)]))))
    course_row = next(r for r in rows if r["kind"] == "course" and r["id"] == course)
    rating_row = next(r for r in rows if r["kind"] == "competency" and r["id"] == competency)
    assert course_row["problems"] == (
        'status.unknown status="=Done\\"; x"; date.as_text target_date="3/31/2027"'
    )
    assert course_row["target_date"] == "2027-03-31"
    assert rating_row["problems"] == 'rating.out_of_range self_rating="9"'
    assert rating_row["self_rating"] == ""
    assert csv_safe("=x") == "'=x"  # the column goes through the same guard as every other


def test_a_tracker_with_an_unreadable_status_is_not_upgraded_to_not_started(
    done_typed: tuple[Path, str, str], bundled: Catalog, tmp_path: Path
) -> None:
    """Carrying it would write Not started, or nothing, where the person typed "Done"."""
    path, _, _ = done_typed
    result = upgrade_tracker(path, tmp_path / "out.xlsx", catalog=bundled, force=True)
    assert result.outcome == "skipped"
    assert "1 entry cannot be read" in result.message
    assert not (tmp_path / "out.xlsx").exists()


def test_an_unreadable_status_counts_as_not_done(
    done_typed: tuple[Path, str, str], role: Role, bundled: Catalog
) -> None:
    path, course, _ = done_typed
    tracker = read_tracker(path, catalog=bundled)
    figures = tracker.figures(role, as_of=dt.date(2030, 1, 1))
    assert tracker.courses[course].status is None
    assert tracker.courses[course].target_date == dt.date(2026, 1, 31)
    assert figures.overdue[course] is True  # past its target date and not done
    assert figures.dashboard.overdue == 1
    assert figures.dashboard.all_done == 0


def test_a_next_step_with_only_an_unreadable_date_is_kept_with_its_text(
    role: Role, filled: Path, bundled: Catalog
) -> None:
    steps = lay.layout_for(role).next_steps
    book = open_book(filled)
    put(book[steps.sheet], steps.first_row, steps.col("action"), "Shadow a lead")
    put(book[steps.sheet], steps.first_row + 1, steps.col("due"), "next week")
    formula_cell = book[steps.sheet].cell(steps.first_row + 3, steps.col("status") + 1)
    formula_cell.value = '=""'  # a formula (openpyxl stores no result for it)
    book.save(filled)
    tracker = read_tracker(filled, catalog=bundled)
    assert tracker.discussion.next_steps == (NextStep("Shadow a lead"), NextStep())
    due, formula = tracker.problems
    assert (due.code, due.field, due.item, due.typed) == (
        Code.DATE_INVALID,
        "discussion.next_steps.due",
        "1",
        "next week",
    )
    # a formula whose result is blank makes no step, so its problem points to none
    assert (formula.code, formula.field, formula.item) == (
        Code.INPUT_FORMULA,
        "discussion.next_steps.status",
        None,
    )


# --- every problem of a random fill has its code ------------------------------------------------

_VALUES = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
    st.sampled_from(["Done", "completed", " Planned ", "3/31/2026", "2026-02-30", "Expert", "7"]),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e7),
    st.booleans(),
    st.sampled_from(["#N/A", "#REF!", "#VALUE!"]).map(lambda text: ("error", text)),
)


def _cell_xml(ref: str, value: Any) -> bytes:
    if isinstance(value, tuple):
        return f'<c r="{ref}" t="e"><v>{value[1]}</v></c>'.encode()
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'.encode()
    if isinstance(value, float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'.encode()
    text = escape(value, quote=False)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'.encode()


@pytest.fixture(scope="module")
def blank_parts(tmp_path_factory: pytest.TempPathFactory) -> tuple[Role, dict[str, bytes]]:
    from trackerkit import load_catalog

    role = load_catalog().roles["psr-ii"]
    path = build_tracker(role, tmp_path_factory.mktemp("codes") / "blank.xlsx")
    return role, members(path)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_every_problem_of_a_random_fill_has_its_code_and_keeps_what_was_typed(
    data: st.DataObject, blank_parts: tuple[Role, dict[str, bytes]], bundled: Catalog
) -> None:
    role, parts = blank_parts
    layout = lay.layout_for(role)
    tables = (layout.courses, layout.competencies)
    typed: dict[tuple[str, str], Any] = {}
    parts = dict(parts)
    for _ in range(data.draw(st.integers(1, 8))):
        table = data.draw(st.sampled_from(tables))
        item = data.draw(st.sampled_from(table.ids))
        key = data.draw(st.sampled_from([c.key for c in table.columns if c.kind.is_input]))
        ref = f"{table.letter(key)}{table.row(item) + 1}"
        value: Any = data.draw(_VALUES)
        member = sheet_part(parts, table.sheet)
        parts[member] = set_cell(parts[member], ref, _cell_xml(ref, value))
        typed[(table.sheet, ref)] = value
    with tempfile.TemporaryDirectory() as folder:
        tracker = read_tracker(write(Path(folder) / "t.xlsx", parts), catalog=bundled)
    assert all(
        isinstance(p.code, Code) and p.code.scope is Scope.WORKBOOK for p in tracker.problems
    )
    check_workbook(tracker.problems)
    for problem in tracker.problems:
        event(problem.code.value)  # the statistics show which codes the fills reach
        held = typed.get((problem.sheet or "", problem.cell or ""))
        if held is not None and problem.code is not Code.INPUT_FORMULA:
            assert problem.typed == _as_typed(held), problem
            assert problem.field is not None
            assert problem.item is not None
    _assert_unreadable_values_are_empty(tracker)


def _as_typed(value: Any) -> str:
    if isinstance(value, tuple):
        return str(value[1])
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def _assert_unreadable_values_are_empty(tracker: FilledTracker) -> None:
    """An error about a value leaves that value empty: None, or "" for text."""
    for problem in tracker.errors:
        if problem.field is None or problem.item is None or problem.field.endswith(".id"):
            continue
        section, key = problem.field.split(".")
        entry = getattr(tracker, section)[problem.item]
        assert getattr(entry, key) in (None, ""), problem
