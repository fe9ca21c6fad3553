"""Text the tracker joins must fit a cell: `validate` refuses what `build` could not write.

A single value longer than a cell is refused while reading the YAML; these are texts
that fit alone and outgrow a cell once the tracker joins them with a bullet, a label
or each other. Each test writes the role files itself.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import openpyxl
import pytest

from trackerkit import CatalogError, build_trackers, load_catalog
from trackerkit.cli import main
from trackerkit.problem_codes import Code
from trackerkit.refs import MAX_TEXT
from trackerkit.resources import bundled

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def roles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled roles in the working directory, as ``roles``."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(bundled("roles"), tmp_path / "roles")
    return tmp_path / "roles"


def insert_after(file: Path, key: str, item: str) -> int:
    """Put ``item`` first in the list ``key`` of a role file; return its line (1-based)."""
    lines = file.read_text(encoding="utf-8").splitlines(keepends=True)
    at = lines.index(f"{key}:\n") + 1
    lines.insert(at, f"  - {item}\n")
    file.write_text("".join(lines), encoding="utf-8")
    return at + 1


def first_responsibility_cell(roles: Path) -> str:
    """Where Start Here shows psr-i's first responsibility, found in a tracker built."""
    catalog = load_catalog(roles)
    build_trackers(catalog, roles.parent / "look", role_ids=["psr-i"])
    book = openpyxl.load_workbook(roles.parent / "look" / "psr-i.xlsx", read_only=True)
    first = f"• {catalog.roles['psr-i'].responsibilities[0]}"
    try:  # a read-only workbook holds its file open until closed
        for row in book["Start Here"].iter_rows():
            for cell in row:
                if cell.value == first:
                    return str(cell.coordinate)
    finally:
        book.close()
    raise AssertionError("Start Here shows no responsibility")


def test_a_responsibility_that_outgrows_its_cell_with_its_bullet_is_refused(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cell = first_responsibility_cell(roles)
    line = insert_after(roles / "psr-i.yaml", "responsibilities", "x" * (MAX_TEXT - 1))
    assert main(["validate", "roles"]) == 1
    out = capsys.readouterr()
    assert out.out.splitlines() == [
        f"roles/psr-i.yaml:{line}:5: responsibilities[0]: in the tracker of psr-i, "
        f"'Start Here'!{cell} would hold {MAX_TEXT + 1:,} characters made from this text; a "
        f"spreadsheet cell holds at most {MAX_TEXT:,}, so shorten it"
    ]
    assert main(["build", "roles", "-o", "out"]) == 1  # nothing half built
    assert not (roles.parent / "out").exists()
    with pytest.raises(CatalogError) as caught:
        load_catalog(roles)
    assert [problem.code for problem in caught.value.problems] == [Code.TEXT_TOO_LONG]


def test_one_character_less_fits_and_builds(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    insert_after(roles / "psr-i.yaml", "responsibilities", "x" * (MAX_TEXT - 2))
    assert main(["build", "roles", "-o", "out", "--role", "psr-i"]) == 0
    assert capsys.readouterr().out == "out: 1 written, 0 unchanged, 0 skipped\n"


def test_characters_beyond_the_bmp_count_twice(roles: Path) -> None:
    insert_after(roles / "psr-i.yaml", "responsibilities", "\U0001f600" * (MAX_TEXT // 2))
    with pytest.raises(CatalogError) as caught:
        load_catalog(roles)
    (problem,) = caught.value.problems
    assert f"would hold {MAX_TEXT + 1:,} characters" in problem.message


def test_work_settings_joined_past_a_cell_name_the_longest(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    half = MAX_TEXT // 2
    insert_after(roles / "psr-ii.yaml", "work_settings", "a" * half)
    line = insert_after(roles / "psr-ii.yaml", "work_settings", "b" * (half + 1))
    assert main(["validate", "roles"]) == 1
    (message,) = capsys.readouterr().out.splitlines()
    assert message.startswith(
        f"roles/psr-ii.yaml:{line}:5: work_settings[0]: in the tracker of psr-ii, 'Start Here'!"
    )
    assert message.endswith(f"a spreadsheet cell holds at most {MAX_TEXT:,}, so shorten it")
