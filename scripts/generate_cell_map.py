"""Write docs/cell-map.md from the tracker layout (trackerkit.layout).

The layout is the single source of every cell, header, defined name and
formula of a tracker: run this script after changing it. ``--check`` exits 1
when the file on disk is stale, which the test suite uses so a forgotten
regeneration fails CI.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path
from typing import NamedTuple

import trackerkit
from generated_file import write_or_check
from trackerkit import grid
from trackerkit import layout as lay

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "docs" / "cell-map.md"
ROLE = "psr-ii"
"""The representative role whose ranges the map shows."""
TARGET = "psr-iii"
"""The map shows a tracker made with a target role (one of the role's next roles), so the
Next Role sheet is in it too."""

KINDS = {
    lay.Kind.STATIC: "from the role",
    lay.Kind.FORMULA: "formula",
    lay.Kind.TEXT: "input: text",
    lay.Kind.STATUS: "input: status (dropdown)",
    lay.Kind.DATE: "input: date",
    lay.Kind.RATING: "input: rating 1-5 (dropdown)",
    lay.Kind.CHOICE: "input: next role (dropdown)",
    lay.Kind.HOURS: "input: hours (a number from 0)",
}

LIST_NAMES = {
    "Role_Title": ("Role title (the page heading)", "from the role"),
    "List_Status": ("The statuses the Status dropdowns offer", "fixed list"),
    "List_Ratings": ("The ratings 1 to 5 the rating dropdowns offer", "fixed list"),
    "NextRole_Choices": (
        "What the Target role dropdown offers: None, then the next roles",
        "from the role",
    ),
    "NextRole_Titles": ("The next roles' titles, in the dropdown's order", "from the role"),
}
"""What the names of ``Layout.lists`` hold; a name missing here is still listed."""

PULLED = re.compile(r'=(?:(?P<plain>[A-Za-z_]\w*)|IF\((?P<name>[A-Za-z_]\w*)="","",(?P=name)\))')
"""A formula that only shows another named cell: ``=Name`` or ``=IF(Name="","",Name)``."""

SHEET_NOTES = {
    lay.LISTS: "Hidden. Holds the choices of the dropdowns; nobody fills it in.",
    lay.CERTIFICATIONS: (
        "In every tracker whose role lists certifications (a role that lists none has no such "
        "sheet, and Start Here no certification counts): one row per certification, its two "
        "dates as inputs and its Expiry flag."
    ),
    lay.NEXT_ROLE: (
        "In every tracker whose role has next roles (and one made with a target role): the "
        "competencies and required courses of the next role chosen in Target role (here "
        f"`{TARGET}`), each with what changes, and readiness figures; one column per next "
        "role shows what each asks. The last two tables are inputs: ratings of the "
        "competencies and statuses of the courses that only a next role has."
    ),
}


class Entry(NamedTuple):
    sheet: str
    row: int
    col: int
    name: str | None
    where: str
    holds: str
    kind: str
    formula: str | None
    table: str | None = None

    @property
    def described(self) -> str:
        """What the map's Holds column says."""
        if self.table:
            return f"{self.holds} (column of table `{self.table}`)"
        pulled = PULLED.fullmatch(self.formula or "")
        if pulled:
            return f"{self.holds} (shows `{pulled['plain'] or pulled['name']}`)"
        return self.holds


def split_reference(reference: str) -> tuple[str, str]:
    """``'Start Here'!$B$9`` -> (``Start Here``, ``B9``)."""
    sheet, _, cells = reference.rpartition("!")
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    return sheet, cells.replace("$", "")


def table_entries(table: lay.Table) -> list[Entry]:
    entries = []
    for index, column in enumerate(table.columns):
        _, where = split_reference(table.span(column.key))
        kind = KINDS[column.kind] + (" (hidden column)" if column.hidden else "")
        if table.name == lay.own_courses_table(0).name and column.kind is lay.Kind.STATIC:
            kind = "fixed text"  # an own course's row takes nothing from the role
        formula = column.formula.excel(table, table.first_row) if column.formula else None
        entries.append(
            Entry(
                table.sheet,
                table.first_row,
                index,
                column.name,
                where,
                column.header,
                kind,
                formula,
                table.name,
            )
        )
    return entries


def entries_for(layout: lay.Layout) -> list[Entry]:
    """Every region of the layout, found by walking the Layout dataclass, then any other name."""
    names = layout.names
    groups: list[list[Entry]] = []
    for attribute in dataclasses.fields(layout):
        value = getattr(layout, attribute.name)
        if isinstance(value, grid.Table):
            groups.append(table_entries(value))
        elif isinstance(value, tuple) and all(isinstance(f, lay.Field) for f in value):
            group = []
            for field in value:
                sheet, where = split_reference(names[field.name])
                group.append(
                    Entry(
                        sheet,
                        field.row,
                        field.col,
                        field.name,
                        where,
                        field.label,
                        KINDS[field.kind],
                        field.formula.excel() if field.formula else None,
                    )
                )
            if group:
                groups.append(group)
    listed = {entry.name for group in groups for entry in group}
    for name, reference in names.items():
        if name not in listed:
            sheet, where = split_reference(reference)
            holds, kind = LIST_NAMES.get(name, ("", "fixed"))
            groups.append([Entry(sheet, -1, -1, name, where, holds, kind, None)])
    groups.sort(key=lambda group: (group[0].row, group[0].col))
    return [entry for group in groups for entry in group]


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def render() -> str:
    catalog = trackerkit.load_catalog()
    role = catalog.roles[ROLE]
    layout = lay.layout_for(role, target=catalog.roles[TARGET], next_roles=catalog.next_roles(role))
    entries = entries_for(layout)
    courses, competencies = len(layout.courses.ids), len(layout.competencies.ids)
    lines = [
        "# Cell map",
        "",
        "Where everything is in a tracker: every input region and every computed",
        "figure, with its defined name. Generated from the tracker layout",
        "(`src/trackerkit/layout.py`) by `scripts/generate_cell_map.py`; do not edit",
        "this page by hand, change the layout and run the script again.",
        "",
        "**Use the names, not the cells.** The cells below are those of the tracker",
        f"for `{role.id}` ({role.title}: {courses} courses, {competencies} competencies).",
        "A role with more or fewer courses or competencies has longer or shorter",
        "tables, and everything below a table moves with it. Every input region and",
        "most computed figures have a workbook-level defined name that always points",
        "to the right cells, in Excel, LibreOffice and openpyxl alike; the name of a",
        "table column covers its data rows, not the header.",
        "",
        f"Tracker format version {lay.FORMAT_VERSION} (the `format_version` row of the hidden",
        "`trackerkit` sheet). Kinds: *input* cells are unlocked and yellow; *formula*",
        "cells are computed and protected; *from the role* cells are written from the",
        "YAML and protected; *fixed text* cells are the same in every tracker (an own",
        "course's blank Format, its Requirement *Your own*) and protected. A dash means",
        "the region has no defined name.",
        "",
    ]
    for sheet in layout.sheets:
        rows = [entry for entry in entries if entry.sheet == sheet]
        if not rows:
            continue
        lines += [f"## {sheet}", ""]
        if sheet in SHEET_NOTES:
            lines += [SHEET_NOTES[sheet], ""]
        lines += ["| Defined name | Cells | Holds | Kind |", "|---|---|---|---|"]
        lines += [
            f"| {f'`{e.name}`' if e.name else '-'} | `{e.where}` | {cell(e.described)} | {e.kind} |"
            for e in rows
        ]
        lines.append("")
    lines += [
        "## Formulas",
        "",
        "The Excel text of every computed cell. For a table column, the formula of",
        "its first data row is shown; the other rows have the same formula with",
        "their own row number, except *Courses completed* and *Courses listed*, which",
        "name the courses that build each competency. Each formula has a Python",
        "twin in `src/trackerkit/figures.py` that gives the value stored with it.",
        "",
    ]
    for sheet in layout.sheets:
        computed = [e for e in entries if e.sheet == sheet and e.formula]
        if not computed:
            continue
        lines += [f"### {sheet}", ""]
        for e in computed:
            first_cell = e.where.partition(":")[0]
            name = f"`{e.name}`" if e.name else "no defined name"
            lines += [f"**{e.holds}**: {name}, `{first_cell}`", "", "```text", str(e.formula)]
            lines += ["```", ""]
    return "\n".join(lines).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    about = __doc__.splitlines()[0] if __doc__ else ""
    return write_or_check(OUTPUT, render, "generate_cell_map.py", argv, about)


if __name__ == "__main__":
    sys.exit(main())
