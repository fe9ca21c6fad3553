"""Problems found in user input, and the exceptions that carry them.

A problem is data, not an exception: loading collects every problem of every
file before raising once, so a person fixes a whole directory in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from trackerkit.problem_codes import Code


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a source file, located as precisely as we can."""

    file: str
    line: int | None
    column: int | None
    path: str
    message: str
    code: Code
    """What kind of problem it is, for programs: see :mod:`trackerkit.problem_codes`."""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.path}: {self.message}" if self.path else f"{where}: {self.message}"

    def to_dict(self) -> dict[str, str | int | None]:
        return {
            "code": self.code.value,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": self.path,
            "message": self.message,
        }


class Severity(str, Enum):
    ERROR = "error"
    """Something entered could not be read: the file needs a fix."""
    WARNING = "warning"
    """Read, but not as the tracker's own formulas would count it, or worth a look."""


@dataclass(frozen=True)
class CellProblem:
    """One thing wrong in a workbook, located by sheet and cell (A1) where it has one.

    A problem with a value also says which value of the output it concerns
    (``field`` and ``item``) and what the cell held (``typed``), so what a person
    typed is kept even when it could not be understood.
    """

    severity: Severity
    sheet: str | None
    cell: str | None
    message: str
    code: Code
    """What kind of problem it is, for programs: see :mod:`trackerkit.problem_codes`."""
    field: str | None = None
    """The value it concerns, as the output names it: ``courses.status``, ``employee.name``."""
    item: str | None = None
    """The row of a table field: a course's or competency's id, or a next step's position
    in ``discussion.next_steps`` (from 0)."""
    typed: str | None = None
    """The cell's content as text, when the problem is about what was typed in it."""

    @property
    def where(self) -> str:
        if self.sheet is None:
            return ""
        quoted = "'" + self.sheet.replace("'", "''") + "'"
        return f"{quoted}!{self.cell}" if self.cell else quoted

    def __str__(self) -> str:
        label = "warning: " if self.severity is Severity.WARNING else ""
        return f"{self.where}: {label}{self.message}" if self.where else f"{label}{self.message}"

    def to_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code.value,
            "severity": self.severity.value,
            "sheet": self.sheet,
            "cell": self.cell,
            "message": self.message,
            "field": self.field,
            "item": self.item,
            "typed": self.typed,
        }


class TrackerkitError(Exception):
    """Base class of every error trackerkit raises on purpose."""

    exit_code = 1


class CatalogError(TrackerkitError):
    """The role definitions have problems; ``problems`` lists all of them."""

    def __init__(self, problems: tuple[Problem, ...] | list[Problem]) -> None:
        self.problems = tuple(sorted(problems, key=_problem_order))
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(f"{count} {noun} in the role definitions")

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *map(str, self.problems)])


def _problem_order(problem: Problem) -> tuple[str, int, int, str, str]:
    return (problem.file, problem.line or 0, problem.column or 0, problem.path, problem.message)
