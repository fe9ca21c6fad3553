"""Golden files: every bundled tracker, compared part by part with a reviewed copy.

Each tracker is unzipped and every XML part pretty-printed, one element per
line, so an unintended layout change shows up as a readable line diff (the
idea of XlsxWriter's ``excel_comparison_test``). The copies live in
``tests/golden/<role id>/<part name>``.

When a change to the tracker is intended, regenerate the golden files and
review their diff before committing it::

    python tests/test_golden.py --update

Only what must differ between two correct builds is blanked (see
``BLANKED``); everything else, timestamps included, is fixed by the writer.
The files also change when a new XlsxWriter release writes its XML
differently: review that diff like any other.
"""

from __future__ import annotations

import argparse
import difflib
import io
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING
from xml.parsers import expat

import pytest

from trackerkit import build_tracker, load_catalog
from trackerkit import layout as lay

if TYPE_CHECKING:
    from collections.abc import Mapping

    from trackerkit import Role

GOLDEN = Path(__file__).resolve().parent / "golden"
MAX_DIFF_LINES = 80

BLANKED = "(blanked: the trackerkit version)"
"""Stands in for the trackerkit version in the metadata sheet's shared string.

The version comes from the installed package's metadata, so it changes with
every release (and reads ``0+unknown`` from a bare source tree); it is the
only thing that differs between two correct builds. The document properties
(``docProps/core.xml``, ``docProps/app.xml``) hold no version or date that
varies (the writer fixes the timestamps), and the generation date is empty
with the default options, so nothing else is blanked.
"""


# --- pretty-printing ---------------------------------------------------------------------


@dataclass
class _Element:
    name: str
    attributes: list[tuple[str, str]]
    children: list[_Element | str] = field(default_factory=list)


def _parse(data: bytes) -> tuple[str, _Element]:
    """The XML declaration (re-rendered) and the root element, attributes in document order."""
    parser = expat.ParserCreate()
    parser.ordered_attributes = True
    parser.buffer_text = True
    document = _Element("", [])
    stack = [document]
    declaration: list[str] = []

    def start(name: str, attributes: list[str]) -> None:
        element = _Element(name, list(zip(attributes[::2], attributes[1::2], strict=True)))
        stack[-1].children.append(element)
        stack.append(element)

    def end(_name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        children = stack[-1].children
        if children and isinstance(children[-1], str):
            children[-1] += data
        else:
            children.append(data)

    def xml_declaration(version: str, encoding: str | None, standalone: int) -> None:
        parts = [f'version="{version}"']
        if encoding:
            parts.append(f'encoding="{encoding}"')
        if standalone != -1:
            parts.append(f'standalone="{"yes" if standalone else "no"}"')
        declaration.append(f"<?xml {' '.join(parts)}?>")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.XmlDeclHandler = xml_declaration
    parser.Parse(data, True)  # noqa: FBT003 - expat's isfinal is positional-only
    (root,) = (child for child in document.children if isinstance(child, _Element))
    return "".join(declaration), root


def _escape(text: str, *, attribute: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("\r", "&#13;")
    if attribute:
        text = text.replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    return text


def _render(element: _Element, depth: int, lines: list[str]) -> None:
    """One element per line; an element holding only text keeps it on its own line."""
    pad = "  " * depth
    start = element.name + "".join(
        f' {name}="{_escape(value, attribute=True)}"' for name, value in element.attributes
    )
    if not element.children:
        lines.append(f"{pad}<{start}/>")
    elif all(isinstance(child, str) for child in element.children):
        content = "".join(child for child in element.children if isinstance(child, str))
        lines.append(f"{pad}<{start}>{_escape(content)}</{element.name}>")
    else:
        lines.append(f"{pad}<{start}>")
        for child in element.children:
            if isinstance(child, _Element):
                _render(child, depth + 1, lines)
            elif child.strip():  # mixed content, which the writer does not produce
                lines.append(f"{pad}  {_escape(child)}")
        lines.append(f"{pad}</{element.name}>")


def _lines(declaration: str, root: _Element) -> str:
    lines = [declaration] if declaration else []
    _render(root, 0, lines)
    return "\n".join(lines) + "\n"


def pretty(data: bytes) -> str:
    """An XML part as stable, line-oriented text.

    Written here rather than with ``xml.dom.minidom.toprettyxml``, whose
    escaping changed in Python 3.13: the golden files must not depend on the
    Python version that runs the tests.
    """
    return _lines(*_parse(data))


# --- blanking ----------------------------------------------------------------------------


def _text(element: _Element) -> str:
    return "".join(child if isinstance(child, str) else _text(child) for child in element.children)


def _find(element: _Element, name: str) -> list[_Element]:
    return [
        child for child in element.children if isinstance(child, _Element) and child.name == name
    ]


def _attribute(element: _Element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def _metadata_part(trees: Mapping[str, tuple[str, _Element]]) -> str:
    """The part name of the metadata sheet, through the workbook and its relationships."""
    (sheets,) = _find(trees["xl/workbook.xml"][1], "sheets")
    (rel_id,) = (
        _attribute(sheet, "r:id")
        for sheet in _find(sheets, "sheet")
        if _attribute(sheet, "name") == lay.METADATA
    )
    (target,) = (
        _attribute(relationship, "Target") or ""
        for relationship in _find(trees["xl/_rels/workbook.xml.rels"][1], "Relationship")
        if _attribute(relationship, "Id") == rel_id
    )
    return target[1:] if target.startswith("/") else f"xl/{target}"


def _blank_version(trees: Mapping[str, tuple[str, _Element]]) -> None:
    """Put ``BLANKED`` in place of the shared string the metadata sheet's version row shows."""
    strings = _find(trees["xl/sharedStrings.xml"][1], "si")
    (data,) = _find(trees[_metadata_part(trees)][1], "sheetData")
    found = []
    for row in _find(data, "row"):
        shared = [
            int(_text(value)) if _attribute(cell, "t") == "s" else None
            for cell in _find(row, "c")
            for value in _find(cell, "v")
        ]
        if len(shared) != 2:
            continue
        key, value = shared
        if key is not None and value is not None and _text(strings[key]) == "trackerkit_version":
            found.append(value)
    assert len(found) == 1, "the metadata sheet has no single trackerkit_version row"
    strings[found[0]].children = [_Element("t", [], [BLANKED])]


def _parse_part(name: str, data: bytes) -> tuple[str, _Element]:
    try:
        return _parse(data)
    except expat.ExpatError as error:
        raise AssertionError(f"{name} is not well-formed XML: {error}") from error


def normalized_parts(xlsx: bytes) -> dict[str, str]:
    """Every part of a tracker, pretty-printed, with what always differs blanked."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        trees = {name: _parse_part(name, archive.read(name)) for name in archive.namelist()}
    _blank_version(trees)
    return {name: _lines(*tree) for name, tree in trees.items()}


# --- comparing ---------------------------------------------------------------------------


def _diff(part: str, expected: str, actual: str) -> str:
    lines = list(
        difflib.unified_diff(
            expected.splitlines(),
            actual.splitlines(),
            f"golden/{part}",
            f"built/{part}",
            lineterm="",
        )
    )
    if len(lines) > MAX_DIFF_LINES:
        hidden = len(lines) - MAX_DIFF_LINES
        lines = [*lines[:MAX_DIFF_LINES], f"... ({hidden} more diff lines)"]
    return "\n".join(lines)


def part_differences(actual: Mapping[str, str], expected: Mapping[str, str]) -> dict[str, str]:
    """Each part that differs, with why: missing, unexpected, or a unified diff."""
    differences = {}
    for part in sorted(expected.keys() | actual.keys()):
        if part not in actual:
            differences[part] = f"{part}: in the golden files, missing from the tracker"
        elif part not in expected:
            differences[part] = f"{part}: in the tracker, not in the golden files"
        elif actual[part] != expected[part]:
            differences[part] = _diff(part, expected[part], actual[part])
    return differences


def golden_parts(role_id: str) -> dict[str, str]:
    folder = GOLDEN / role_id
    return {
        path.relative_to(folder).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def built_parts(role: Role, folder: Path) -> dict[str, str]:
    """Build the tracker as ``trackerkit build`` does (default options, the role's next roles
    in Target role) into ``folder`` and normalize its parts."""
    path = build_tracker(role, folder / f"{role.id}.xlsx", next_roles=CATALOG.next_roles(role))
    return normalized_parts(path.read_bytes())


# --- tests -------------------------------------------------------------------------------

CATALOG = load_catalog()
"""The bundled roles; loaded once, at collection, to name each test after its role."""


def test_there_is_one_golden_folder_per_bundled_role() -> None:
    folders = {path.name for path in GOLDEN.iterdir() if path.is_dir()}
    assert folders == set(CATALOG.roles), "run `python tests/test_golden.py --update`"


@pytest.mark.parametrize("role_id", list(CATALOG.roles))
def test_tracker_matches_its_golden_files(role_id: str, tmp_path: Path) -> None:
    actual = built_parts(CATALOG.roles[role_id], tmp_path)
    expected = golden_parts(role_id)
    assert sorted(actual) == sorted(expected), "the tracker's parts differ from the golden files"
    differences = part_differences(actual, expected)
    assert not differences, (
        f"{role_id}: {len(differences)} part(s) differ from tests/golden/{role_id} "
        "(if intended, run `python tests/test_golden.py --update` and review the diff)\n"
        + "\n".join(differences.values())
    )


def test_a_changed_course_title_shows_in_the_shared_strings(tmp_path: Path) -> None:
    # The last role: no next role shows the course's title again on a Next Role sheet.
    role = CATALOG.roles["psr-iv-group-lead"]
    assert not role.next_roles
    first, *rest = role.courses
    renamed = replace(first, course=replace(first.course, title="A title nobody wrote"))
    changed = replace(role, courses=(renamed, *rest))
    differences = part_differences(built_parts(changed, tmp_path), golden_parts(role.id))
    assert "xl/sharedStrings.xml" in differences
    diff = differences["xl/sharedStrings.xml"]
    assert f"-    <t>{_escape(first.course.title)}</t>" in diff.splitlines()
    assert "+    <t>A title nobody wrote</t>" in diff.splitlines()


def test_the_trackerkit_version_is_blanked(tmp_path: Path) -> None:
    import trackerkit

    text = built_parts(CATALOG.roles["psr-i"], tmp_path)["xl/sharedStrings.xml"]
    assert text.count(BLANKED) == 1
    assert f"<t>{trackerkit.__version__}</t>" not in text


def test_a_long_diff_is_cut_short() -> None:
    expected = {"part.xml": "".join(f"<a>{n}</a>\n" for n in range(200))}
    actual = {"part.xml": "".join(f"<b>{n}</b>\n" for n in range(200))}
    diff = part_differences(actual, expected)["part.xml"]
    assert len(diff.splitlines()) == MAX_DIFF_LINES + 1
    assert diff.endswith("more diff lines)")


def test_pretty_printing_keeps_text_and_attributes_exactly() -> None:
    data = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<a z="1" b="x&quot;y&#10;"><b/><c xml:space="preserve"> two\nlines &amp; &lt;</c></a>'
    )
    assert pretty(data) == (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<a z="1" b="x&quot;y&#10;">\n'
        "  <b/>\n"
        '  <c xml:space="preserve"> two\nlines &amp; &lt;</c>\n'
        "</a>\n"
    )


# --- regenerating ------------------------------------------------------------------------


def update() -> None:
    """Rewrite every golden folder from the trackers the current code builds."""
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    with tempfile.TemporaryDirectory() as folder:
        for role_id, role in CATALOG.roles.items():
            for part, text in built_parts(role, Path(folder)).items():
                target = GOLDEN / role_id / part
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8", newline="\n")
            print(f"wrote {GOLDEN / role_id}")


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument(
        "--update", action="store_true", help="rewrite tests/golden from the current code"
    )
    if not arguments.parse_args().update:
        arguments.print_help()
        sys.exit(2)
    update()
