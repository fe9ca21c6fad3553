"""Messages cannot forge a line or recolour the terminal: what came from a file is spelled out."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from fills import open_book, put
from trackerkit import build_tracker
from trackerkit import layout as lay
from trackerkit.cli import main, printable

if TYPE_CHECKING:
    from pathlib import Path

    from trackerkit import Catalog


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, é and 漢字", "plain text, é and 漢字"),
        ("two\nlines", "two\\nlines"),
        ("tab\tand\rreturn", "tab\\tand\\rreturn"),
        ("\x1b[31mred\x1b[0m", "\\x1b[31mred\\x1b[0m"),
        ("nul\x00 del\x7f c1\x9b", "nul\\x00 del\\x7f c1\\x9b"),
        ("line\u2028sep", "line\\u2028sep"),
        ("bidi\u202eflip\u2066", "bidi\\u202eflip\\u2066"),
    ],
)
def test_printable_spells_out_what_a_terminal_would_act_on(text: str, shown: str) -> None:
    assert printable(text) == shown


def test_a_file_name_cannot_forge_a_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    (folder / "evil\x1b[32m\ntrackerkit: all good.xlsx").write_text("hello", encoding="utf-8")
    assert main(["read", str(folder), "-o", str(tmp_path / "out.json")]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"{folder}/evil\\x1b[32m\\ntrackerkit: all good.xlsx: is not an Excel workbook; "
        "save it as .xlsx",
        "0 trackers read: 0 errors, 0 warnings; 1 file could not be read",
    ]


def test_a_cell_cannot_recolour_the_terminal(
    bundled: Catalog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    role = bundled.roles["psr-i"]
    path = build_tracker(role, tmp_path / "t.xlsx")
    layout = lay.layout_for(role)
    book = open_book(path)
    status = layout.courses.col("status")
    put(book[lay.CHECKLIST], layout.courses.row(role.courses[0].id), status, "\x9b31mDone\u202e")
    book.save(path)
    assert main(["read", str(path), "-o", str(tmp_path / "out.json")]) == 1
    err = capsys.readouterr().err
    assert "\x9b" not in err
    assert "\u202e" not in err
    assert '"\\x9b31mDone\\u202e" is not a status' in err
