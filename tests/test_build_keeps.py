"""`build` keeps a tracker someone worked on: what `read` returns, and what a rebuild would drop.

Each test makes the tracker, changes it as a person would (with openpyxl, as another
application saves it), runs `trackerkit build` over it, and checks the exit code, the
one line that names the file and why it was kept, and that its bytes are untouched.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING, Any

import pytest

from fills import open_book, put
from trackerkit import has_entries, read_tracker, why_filled
from trackerkit import layout as lay
from trackerkit.cli import main
from trackerkit.resources import bundled

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from trackerkit import Catalog

ROLE = "psr-ii"
YESTERDAY, TODAY = "2026-03-01", "2026-03-02"


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory, with a blank psr-ii tracker built yesterday in ``out``."""
    monkeypatch.chdir(tmp_path)
    assert main(["build", "-o", "out", "--role", ROLE, "--generated-on", YESTERDAY]) == 0
    return tmp_path


def build(capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, list[str]]:
    """Today's build of the same tracker, as the learning team runs it every day."""
    code = main(["build", "-o", "out", "--role", ROLE, "--generated-on", TODAY, *more])
    return code, capsys.readouterr().out.splitlines()


def edit(path: Path, change: Callable[[Any], None]) -> bytes:
    """Change the workbook at ``path`` as a person would, and return its new bytes."""
    book = open_book(path)
    change(book)
    book.save(path)
    return path.read_bytes()


def kept_line(reason: str) -> str:
    return f"out/{ROLE}.xlsx: {reason}; it was left as it is (use --force to replace it)"


def test_a_blank_tracker_is_replaced_by_the_next_days_build(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = (here / "out" / f"{ROLE}.xlsx").read_bytes()
    code, out = build(capsys)
    assert (code, out) == (0, ["out: 1 written, 0 unchanged, 0 skipped"])
    assert (here / "out" / f"{ROLE}.xlsx").read_bytes() != before


def test_a_blank_dated_tracker_is_replaced_by_an_undated_build(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --generated-on the rebuild leaves the metadata's date empty: trackerkit's
    own record, never someone's note."""
    before = (here / "out" / f"{ROLE}.xlsx").read_bytes()
    assert main(["build", "-o", "out", "--role", ROLE]) == 0
    assert capsys.readouterr().out.splitlines() == ["out: 1 written, 0 unchanged, 0 skipped"]
    assert (here / "out" / f"{ROLE}.xlsx").read_bytes() != before


def test_a_next_step_typed_just_below_the_table_keeps_the_tracker(
    here: Path, bundled: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    role = bundled.roles[ROLE]
    steps = lay.layout_for(role, next_roles=bundled.next_roles(role)).next_steps
    path = here / "out" / f"{ROLE}.xlsx"
    before = edit(path, lambda book: put(book[steps.sheet], steps.last_row + 1, 0, "Ask Lee"))
    assert [step.action for step in read_tracker(path).discussion.next_steps] == ["Ask Lee"]
    code, out = build(capsys)
    assert code == 1
    assert out == [kept_line("this tracker has entries"), "out: 0 written, 0 unchanged, 1 skipped"]
    assert path.read_bytes() == before


def test_a_sheet_the_person_added_keeps_the_tracker(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = here / "out" / f"{ROLE}.xlsx"

    def add_sheet(book: Any) -> None:
        book.create_sheet("My plan")["A1"] = "Shadow the site lead"

    before = edit(path, add_sheet)
    code, out = build(capsys)
    assert code == 1
    assert out[0] == kept_line('this tracker has a sheet trackerkit does not make ("My plan")')
    assert path.read_bytes() == before
    assert has_entries(path) is True  # no rebuild needed to see a sheet no tracker has


@pytest.mark.parametrize(
    ("sheet", "cell"),
    [
        (lay.START, "H40"),  # beside the text
        (lay.START, "A1"),  # over the title
        (lay.CHECKLIST, "B3"),  # over a formula
        (lay.DISCUSSION, "A60"),  # below everything
        (lay.COVERAGE, "Z1"),
    ],
)
def test_a_note_typed_outside_the_inputs_keeps_the_tracker(
    here: Path, capsys: pytest.CaptureFixture[str], sheet: str, cell: str
) -> None:
    path = here / "out" / f"{ROLE}.xlsx"
    before = edit(path, lambda book: book[sheet].__setitem__(cell, "call HR back"))
    assert has_entries(path) is False  # nothing `read` returns: only the rebuild shows it
    code, out = build(capsys)
    assert code == 1
    assert out[0] == kept_line(
        f"this tracker has \"call HR back\" in '{sheet}'!{cell}, outside its input cells, "
        "which a new tracker would not keep"
    )
    assert path.read_bytes() == before
    code, out = build(capsys, "--force")
    assert (code, out) == (0, ["out: 1 written, 0 unchanged, 0 skipped"])


def test_not_started_typed_in_an_input_is_still_blank(
    here: Path, bundled: Catalog, capsys: pytest.CaptureFixture[str]
) -> None:
    role = bundled.roles[ROLE]
    courses = lay.layout_for(role, next_roles=bundled.next_roles(role)).courses
    row, col = courses.row(role.courses[0].id), courses.col("status")
    edit(
        here / "out" / f"{ROLE}.xlsx",
        lambda book: put(book[courses.sheet], row, col, "Not started"),
    )
    assert build(capsys) == (0, ["out: 1 written, 0 unchanged, 0 skipped"])


def _changed_roles(
    here: Path, old: str = "summary: >-\n", new: str = "summary: >-\n  Reworded.\n"
) -> Path:
    """The bundled roles with ``old`` replaced by ``new`` in psr-ii's file."""
    roles = here / "roles"
    shutil.copytree(bundled("roles"), roles)
    role_file = roles / f"{ROLE}.yaml"
    text = role_file.read_text(encoding="utf-8")
    assert old in text
    role_file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return roles


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("summary: >-\n", "summary: >-\n  Reworded.\n"),
        ("  - psr-ii-float\n", ""),  # a next role fewer: Next Role and Lists narrow
        ("next_roles:\n", "next_roles:\n  - psr-iv-group-lead\n"),
    ],
    ids=["summary", "next-role-dropped", "next-role-added"],
)
def test_a_blank_tracker_of_a_changed_role_is_replaced(
    here: Path, capsys: pytest.CaptureFixture[str], old: str, new: str
) -> None:
    roles = _changed_roles(here, old, new)
    code, out = build(capsys, "--roles", str(roles))
    assert (code, out) == (0, ["out: 1 written, 0 unchanged, 0 skipped"])


def test_a_note_beside_a_changed_roles_tracker_keeps_it(
    here: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = here / "out" / f"{ROLE}.xlsx"
    before = edit(path, lambda book: book[lay.START].__setitem__("AA2", "ask about Reno"))
    roles = _changed_roles(here)
    code, out = build(capsys, "--roles", str(roles))
    assert code == 1
    assert out[0] == kept_line(
        "this tracker has \"ask about Reno\" in 'Start Here'!AA2, outside its input cells, "
        "which a new tracker would not keep"
    )
    assert path.read_bytes() == before


def test_why_filled_is_none_for_a_blank_tracker_and_its_rebuild(here: Path) -> None:
    path = here / "out" / f"{ROLE}.xlsx"
    assert why_filled(path) is None
    assert why_filled(path, rebuild=path.read_bytes()) is None
