"""A roster of employees and a learning-system export, read from CSV as Excel saves it.

Both files come from other systems, so every row is checked and every problem
names its file and line; the good rows are kept, so one bad row never stops a
batch. Excel's CSV habits are accepted: a byte-order mark, ``;`` or tab as
the separator (as it saves in many locales), headers in any case or with
spaces, blank lines, and quoted cells with line breaks.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
import unicodedata
from collections import deque
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

from trackerkit.codecs import Context, Decoded, decode_status, shown
from trackerkit.entries import CourseEntry, Employee, Status
from trackerkit.errors import Problem, Severity
from trackerkit.files import is_reserved, open_regular
from trackerkit.problem_codes import Code
from trackerkit.refs import MAX_TEXT, text_units, too_long

if TYPE_CHECKING:
    import os
    from collections.abc import Callable, Iterable, Iterator, Mapping

    from trackerkit.model import Catalog, Role

ROSTER_COLUMNS = ("employee_id", "name", "manager", "location", "current_role", "target_role")
ROSTER_REQUIRED = ("employee_id", "name", "current_role")
COMPLETION_COLUMNS = ("employee_id", "course_id", "completed_on", "status")
COMPLETION_REQUIRED = ("employee_id", "course_id", "completed_on")
_MAY_BREAK = frozenset({"location"})
"""The columns whose value may run over lines, as an address does; every other is one."""
MAX_CSV_BYTES = 50 * 1024 * 1024
"""A roster of a large company is a few megabytes; anything far larger is no roster."""

FILE_CODES = frozenset(
    {Code.CSV_UNREADABLE, Code.CSV_TOO_LARGE, Code.CSV_ENCODING, Code.CSV_EMPTY, Code.CSV_HEADER}
)
"""Problems that keep a whole file from being read, as opposed to one of its rows."""


@dataclass(frozen=True)
class RosterRow:
    """One employee of the roster, checked: their role exists, and so does the target."""

    line: int
    employee: Employee
    role_id: str
    target_id: str | None


@dataclass(frozen=True)
class Roster:
    rows: tuple[RosterRow, ...]
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()
    """Rows built anyway, with something to check (a target beyond the next roles)."""


@dataclass(frozen=True)
class Completions:
    """Completed courses per employee id, from a learning-system export."""

    courses: Mapping[str, Mapping[str, CourseEntry]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    problems: tuple[Problem, ...] = ()
    warnings: tuple[Problem, ...] = ()
    """Rows left out that need no fix: a course outside the person's role."""


# --- CSV as Excel writes it -----------------------------------------------------------------


def _text(path: str | os.PathLike[str]) -> tuple[str | None, Problem | None]:
    """The file's text, or the one problem that keeps it from being read."""
    file = str(path)
    try:
        with open_regular(path) as stream:  # one read, bounded
            data = stream.read(MAX_CSV_BYTES + 1)
    except OSError as error:
        message = f"cannot be read ({error.strerror or error})"
        return None, Problem(file, None, None, "", message, Code.CSV_UNREADABLE)
    if len(data) > MAX_CSV_BYTES:
        message = "is far larger than a roster; check the file"
        return None, Problem(file, None, None, "", message, Code.CSV_TOO_LARGE)
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        return data.decode(encoding), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        message = "is not UTF-8 text; save it from Excel as 'CSV UTF-8 (Comma delimited)'"
        return None, Problem(file, line, None, "", message, Code.CSV_ENCODING)


def left_out(problems: Iterable[Problem], what: str) -> str:
    """The end of a batch's summary line: how many rows of ``what`` (the input, the export)
    were left out, and the files that could not be read at all."""
    problems = list(problems)
    rows = {(p.file, p.line) for p in problems if p.code not in FILE_CODES}
    line = ""
    if rows:  # a row with two problems is one row left out
        line += f"; {len(rows)} {'row' if len(rows) == 1 else 'rows'} of {what} left out"
    unread = sorted({p.file for p in problems if p.code in FILE_CODES})
    if unread:
        line += f"; {', '.join(unread)} not read"
    return line


def _header_key(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", text.strip().casefold())


class _Lines:
    """The file's lines for :mod:`csv`, counting how many it has taken: a record that is
    refused is named by its first line, and reading starts again at the line after it."""

    def __init__(self, lines: list[str], at: int) -> None:
        self.lines = lines
        self.at = at

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.at >= len(self.lines):
            raise StopIteration
        self.at += 1
        return self.lines[self.at - 1]


_RAN_ON = "a quote is never closed"


@dataclass(frozen=True)
class _Refused:
    """A record :mod:`csv` would not read: why, and whether a cell was simply too long."""

    reason: str
    too_long: bool = False


def _records(
    text: str, delimiter: str, columns: tuple[str, ...]
) -> Iterator[tuple[int, list[str] | _Refused]]:
    """(first line, cells) of every record, or (line, why) for one :mod:`csv` refuses.

    A refused record (a stray or unclosed quote, a huge cell) costs only its first line:
    the lines it would have swallowed are read again as records of their own. A record
    over several lines (a quoted cell with line breaks) must be as wide as the header and
    keep its line breaks out of ``columns``, the one-line values trackerkit uses;
    otherwise its quote was a stray one that paired with a quote lines below.
    """
    lines = io.StringIO(text, newline="").readlines()
    feed = _Lines(lines, 0)
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    width: int | None = None  # the header's cells; Excel writes every row as wide
    one_line: list[int] = []  # where the header has one of ``columns``
    while feed.at < len(lines):
        start = feed.at
        refused: _Refused | None = None
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            # Past the field limit within the record's own line, a cell is too long;
            # past it only over later lines, a quote ran on.
            huge = "field larger than field limit" in str(error)
            own = huge and len(lines[start]) > csv.field_size_limit()
            refused = _Refused(_RAN_ON if huge and not own else str(error), too_long=own)
        else:
            if width is not None and feed.at - start > 1:
                refused = _ran_on(record, width, one_line, feed.at)
            elif width is None and any(cell.strip() for cell in record):
                width = len(record)
                one_line = [i for i, cell in enumerate(record) if _header_key(cell) in columns]
        if refused is None:
            yield start + 1, record
            continue
        yield start + 1, refused
        feed = _Lines(lines, start + 1)
        reader = csv.reader(feed, delimiter=delimiter, strict=True)


def _ran_on(record: list[str], width: int, one_line: list[int], end: int) -> _Refused | None:
    """Why a record read over several lines, up to line ``end``, is no row: a stray quote
    that paired with one lines below makes it too wide or too narrow, or puts a line break
    into a value that is one line."""
    if len(record) != width:
        return _Refused(_RAN_ON)
    if any("\n" in record[i] or "\r" in record[i] for i in one_line if i < len(record)):
        return _Refused(f"a quote opened on this line closes on line {end}")
    return None


def _row_problem(
    file: str, line: int, record: list[str] | _Refused, header: list[str], used: tuple[str, ...]
) -> Problem | None:
    """What makes one record unusable as a row, if anything: bad CSV, a ``used`` column's
    value longer than a cell holds, or more cells than the header names."""
    if isinstance(record, _Refused):
        if record.too_long:
            return _too_long(file, line, "", f"more than {csv.field_size_limit():,}")
        message = (
            f"the row is not valid CSV ({record.reason}); a cell that starts with a quote must "
            'end with one, and a quote inside it is written twice ("")'
        )
        return Problem(file, line, None, "", message, Code.CSV_SYNTAX)
    width = len(header)
    for column, cell in zip(header, record, strict=False):
        if column in used and too_long(cell):
            return _too_long(file, line, column, f"{text_units(cell):,}")
    if any(cell.strip() for cell in record[width:]):
        return Problem(
            file,
            line,
            None,
            "",
            f"the row has {len(record)} cells but the header names {width}; "
            "check for a stray separator",
            Code.CSV_EXTRA_CELLS,
        )
    return None


def _too_long(file: str, line: int, column: str, length: str) -> Problem:
    message = (
        f"{'the value' if column else 'a cell of the row'} holds {length} characters; a "
        f"spreadsheet cell holds at most {MAX_TEXT:,}, so shorten it"
    )
    return Problem(file, line, None, column, message, Code.ROSTER_TOO_LONG)


def _rows(
    path: str | os.PathLike[str],
    columns: tuple[str, ...],
    required: tuple[str, ...],
    named: Mapping[str, str] | None = None,
) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """(line, {column: value}) for every good data row, and a problem for every other row
    (or the one problem that keeps the whole file from being read). ``named`` gives the
    header text of columns the file calls otherwise (an export's own headers)."""
    file = str(path)
    text, problem = _text(path)
    if problem is not None or text is None:
        return [], [problem] if problem else []
    first_line = next((line for line in text.splitlines() if line.strip()), "")  # the header
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[Problem] = []
    header: list[str] | None = None
    one_line = tuple(column for column in columns if column not in _MAY_BREAK)
    for line, record in _records(text, delimiter, one_line):
        if not isinstance(record, _Refused) and not any(cell.strip() for cell in record):
            continue  # a blank line, or a row of empty cells Excel left behind
        if header is None:
            if isinstance(record, _Refused):
                message = f"the header is not a CSV row ({record.reason}); save the file again"
                return [], [Problem(file, line, None, "", message, Code.CSV_HEADER)]
            header = [_header_key(cell) for cell in record]
            renamed, wrong = _renamed(file, line, record, named or {})
            if wrong is not None:
                return [], [wrong]
            # A column the mapping gives another header for is not read under its own name.
            header = [renamed.get(key, "" if key in (named or {}) else key) for key in header]
            missing = [name for name in required if name not in header]
            if missing:
                message = (
                    f"the header has no {', '.join(missing)} column; the columns are "
                    f"{', '.join(columns)}"
                )
                return [], [Problem(file, line, None, "", message, Code.CSV_HEADER)]
            continue
        found = _row_problem(file, line, record, header, columns)
        if found is not None:
            problems.append(found)
            continue
        assert not isinstance(record, _Refused)  # _row_problem names every refused record
        values = dict.fromkeys(columns, "")
        for name, cell in zip(header, record, strict=False):
            if name in values:
                values[name] = cell.strip()
        rows.append((line, values))
    if header is None:
        message = "is empty; it needs a header row"
        problems.append(Problem(file, None, None, "", message, Code.CSV_EMPTY))
    return rows, problems


def _renamed(
    file: str, line: int, record: list[str], named: Mapping[str, str]
) -> tuple[dict[str, str], Problem | None]:
    """Each header key the mapping ``named`` gives, to the column it stands for; and the
    problem naming the first header it gives that the file's header does not have."""
    keys = {_header_key(cell) for cell in record}
    renamed: dict[str, str] = {}
    for column, text in named.items():
        key = _header_key(text)
        if key not in keys:
            found = ", ".join(f'"{cell.strip()}"' for cell in record if cell.strip())
            message = (
                f'the header has no column "{text}", which the column mapping gives for '
                f"{column}; its columns are {found}"
            )
            return {}, Problem(file, line, None, "", message, Code.COMPLETIONS_COLUMN)
        renamed[key] = column
    return renamed, None


def _by_line(problem: Problem) -> int:
    return problem.line or 0


def _suggest(value: str, known: Mapping[str, object]) -> str:
    """A likely meant id: one that starts with what was typed, else the closest spelling."""
    longer = sorted(key for key in known if value and key.startswith(value))
    close = longer[:1] or difflib.get_close_matches(value, list(known), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


# --- the roster ---------------------------------------------------------------------------


def load_roster(path: str | os.PathLike[str], catalog: Catalog) -> Roster:
    """Every employee of the roster whose row is good, and a problem for each that is not."""
    file = str(path)
    rows, problems = _rows(path, ROSTER_COLUMNS, ROSTER_REQUIRED)
    seen: dict[str, int] = {}
    good = []
    warnings: list[Problem] = []
    for line, values in rows:
        found = [
            Problem(
                file,
                line,
                None,
                name,
                f"is empty; every employee needs a {name}",
                Code.ROSTER_EMPTY_VALUE,
            )
            for name in ROSTER_REQUIRED
            if not values[name]
        ]
        for name in ("current_role", "target_role"):
            role_id = values[name]
            if role_id and role_id not in catalog.roles:
                found.append(
                    Problem(
                        file,
                        line,
                        None,
                        name,
                        f"unknown role {role_id!r}{_suggest(role_id, catalog.roles)}",
                        Code.ROSTER_UNKNOWN_ROLE,
                    )
                )
        employee_id = values["employee_id"]
        if employee_id in seen:
            found.append(
                Problem(
                    file,
                    line,
                    None,
                    "employee_id",
                    f"{employee_id!r} is listed again (first on line {seen[employee_id]}); "
                    "this row was skipped",
                    Code.ROSTER_DUPLICATE_EMPLOYEE,
                )
            )
        if not found and values["target_role"] == values["current_role"]:
            found.append(
                Problem(
                    file,
                    line,
                    None,
                    "target_role",
                    f"is the current role ({values['current_role']}); give the role they aim "
                    "at next, or leave it empty",
                    Code.ROSTER_TARGET_SAME,
                )
            )
        problems += found
        if found:
            continue
        seen[employee_id] = line
        role = catalog.roles[values["current_role"]]
        target = catalog.roles.get(values["target_role"]) if values["target_role"] else None
        if target is not None and target.id not in role.next_roles:
            warnings.append(_unreachable(file, line, role, target, catalog))
        employee = Employee(
            name=values["name"],
            employee_id=employee_id,
            manager=values["manager"],
            location=values["location"],
            current_role=role.title,
            target_role=target.title if target else "",
        )
        good.append(RosterRow(line, employee, role.id, target.id if target else None))
    return Roster(tuple(good), tuple(sorted(problems, key=_by_line)), tuple(warnings))


def path_of_next_roles(catalog: Catalog, start: str, goal: str) -> tuple[str, ...] | None:
    """The shortest chain of next roles from ``start`` to ``goal`` (both included), or None."""
    paths: dict[str, tuple[str, ...]] = {start: (start,)}
    queue = deque([start])
    while queue:
        here = queue.popleft()
        if here == goal:
            return paths[here]
        for step in catalog.roles[here].next_roles if here in catalog.roles else ():
            if step not in paths:
                paths[step] = (*paths[here], step)
                queue.append(step)
    return None


def _unreachable(file: str, line: int, role: Role, target: Role, catalog: Catalog) -> Problem:
    """The warning for a target that is not one of the role's next roles, with the path."""
    path = path_of_next_roles(catalog, role.id, target.id)
    if path is None:
        found = f"no path of next roles leads from {role.id} to {target.id}"
    else:
        found = "the path of next roles is " + " -> ".join(path)
    return Problem(
        file,
        line,
        None,
        "target_role",
        f"{target.id} is not a next role of {role.id} ({', '.join(role.next_roles) or 'none'}); "
        f"{found}; the tracker was made with it",
        Code.ROSTER_TARGET_UNREACHABLE,
    )


# --- completions --------------------------------------------------------------------------

_DATES = Context()
_EXAMPLE_DAY = dt.date(2026, 3, 31)


@dataclass(frozen=True)
class ExportFormat:
    """How a learning system writes its export: the header text of each column trackerkit
    reads, where it is not the column's own name, and the dates' format.

    ``columns`` maps ``employee_id``, ``course_id``, ``completed_on`` or ``status`` to the
    export's header (``{"employee_id": "User ID"}``); headers match in any case and
    spacing, as all headers do. ``date_format`` is a :func:`~datetime.datetime.strptime`
    format such as ``%m/%d/%Y``; by default dates are ISO (``2026-03-31``), or as Excel
    writes them (``3/31/2026``, ``2026-03-31 00:00:00``).
    """

    columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    date_format: str | None = None

    def __post_init__(self) -> None:
        unknown = [name for name in self.columns if name not in COMPLETION_COLUMNS]
        if unknown:
            message = (
                f"{unknown[0]!r} is not a column of a completions export; the columns are "
                f"{', '.join(COMPLETION_COLUMNS)}"
            )
            raise ValueError(message)
        if self.date_format is not None:
            check_date_format(self.date_format)


def check_date_format(text: str) -> str:
    """``text`` when it is a date format that writes a day and reads the same day back;
    ValueError saying why otherwise (``%H:%M`` has no day, ``%d.%m`` no year)."""
    try:
        back = dt.datetime.strptime(_EXAMPLE_DAY.strftime(text), text).date()  # noqa: DTZ007 - a day, no time zone
    except (ValueError, re.error):  # re.error: a code given twice, such as %d/%d/%Y
        back = None
    if back != _EXAMPLE_DAY:
        message = (
            f"{text!r} is not a date format with a day, a month and a year; use codes such "
            "as %m/%d/%Y or %d.%m.%Y"
        )
        raise ValueError(message)
    return text


def parse_columns(text: str) -> dict[str, str]:
    """``employee_id="User ID",course_id=Course`` as a mapping for :class:`ExportFormat`;
    ValueError saying what is wrong. A header with a comma is written in double quotes."""
    columns: dict[str, str] = {}
    for part in next(csv.reader([text], skipinitialspace=True), []):
        name, equals, header = part.partition("=")
        name, header = name.strip(), header.strip().strip('"').strip()
        if not equals or not name or not header:
            message = f"expected column=header pairs separated by commas, got {part!r}"
            raise ValueError(message)
        if name in columns:
            message = f"{name} is given twice"
            raise ValueError(message)
        columns[name] = header
    if not columns:
        message = "expected column=header pairs separated by commas"
        raise ValueError(message)
    ExportFormat(MappingProxyType(columns))  # the same check as from Python
    return columns


@dataclass(frozen=True)
class Completion:
    """One good row of a learning-system export: who, which course, and the entry it gives."""

    line: int
    employee_id: str
    course_id: str
    entry: CourseEntry


@dataclass(frozen=True)
class Export:
    """Every good row of a learning-system export, and a problem for every other row."""

    file: str
    rows: tuple[Completion, ...]
    problems: tuple[Problem, ...]


def read_export(
    path: str | os.PathLike[str],
    catalog: Catalog,
    export_format: ExportFormat | None = None,
    known: Callable[[str], str | None] | None = None,
) -> Export:
    """The rows of a learning-system export, each checked on its own: a known course, a
    date, a status; and, with ``known``, the employee (it gives what is wrong with an
    employee id, or None). Otherwise the caller checks whom a row is for."""
    shape = export_format or ExportFormat()
    file = str(path)
    rows, problems = _rows(path, COMPLETION_COLUMNS, COMPLETION_REQUIRED, shape.columns)
    good = []
    for line, values in rows:
        course_id = values["course_id"]
        unknown = known(values["employee_id"]) if known else None
        found = []
        if unknown is not None:
            found.append(
                Problem(file, line, None, "employee_id", unknown, Code.COMPLETIONS_UNKNOWN_EMPLOYEE)
            )
        if course_id not in catalog.courses:
            found.append(
                Problem(
                    file,
                    line,
                    None,
                    "course_id",
                    f"unknown course {course_id!r}{_suggest(course_id, catalog.courses)}",
                    Code.COMPLETIONS_UNKNOWN_COURSE,
                )
            )
        day = _completion_day(values["completed_on"], shape.date_format)
        if day.severity is Severity.ERROR or day.value is None:
            message = day.message or "is empty; enter the day the course was completed"
            found.append(Problem(file, line, None, "completed_on", message, Code.COMPLETIONS_DATE))
        status = Status.COMPLETED
        if values["status"]:
            decoded = decode_status(values["status"], _DATES)
            if decoded.value is None:
                found.append(
                    Problem(file, line, None, "status", decoded.message, Code.COMPLETIONS_STATUS)
                )
            else:
                status = decoded.value
        problems += found
        if not found:
            entry = CourseEntry(status, completed_on=day.value)
            good.append(Completion(line, values["employee_id"], course_id, entry))
    return Export(file, tuple(good), tuple(sorted(problems, key=_by_line)))


def _completion_day(text: str, date_format: str | None) -> Decoded:
    """The day a cell of the export gives, by ``date_format`` (strictly) or by default as
    ISO or Excel's text; a time after the day (``2026-03-31 00:00``) is ignored."""
    from trackerkit.codecs import decode_date

    if date_format is None:
        return decode_date(text.split(" ", maxsplit=1)[0], _DATES)
    for candidate in (text, text.split(" ", maxsplit=1)[0]):
        try:
            day = dt.datetime.strptime(candidate, date_format).date()  # noqa: DTZ007 - a day
        except ValueError:
            continue
        return decode_date(day, _DATES)
    if not text:
        return Decoded(None)
    example = _EXAMPLE_DAY.strftime(date_format)
    message = (
        f"{shown(text)} is not a date in the format {date_format} (such as {example}); "
        "correct the row, or give the export's date format"
    )
    return Decoded(None, Severity.ERROR, message, Code.COMPLETIONS_DATE)


def load_completions(
    path: str | os.PathLike[str],
    catalog: Catalog,
    roster: Roster,
    export_format: ExportFormat | None = None,
) -> Completions:
    """Completed courses by employee id; a course outside the employee's role is left out,
    with a warning naming its line."""
    roles = {row.employee.employee_id: catalog.roles[row.role_id] for row in roster.rows}

    def known(employee_id: str) -> str | None:
        return None if employee_id in roles else f"{employee_id!r} is not in the roster"

    export = read_export(path, catalog, export_format, known)
    warnings = []
    courses: dict[str, dict[str, CourseEntry]] = {}
    for row in export.rows:
        role = roles[row.employee_id]
        if row.course_id not in {c.id for c in role.courses}:
            warnings.append(outside_role(export.file, row, f"one of {role.id}'s courses"))
            continue
        earlier = courses.setdefault(row.employee_id, {}).get(row.course_id)
        if earlier is None or latest(earlier, row.entry) is row.entry:
            courses[row.employee_id][row.course_id] = row.entry
    return Completions(
        MappingProxyType({key: MappingProxyType(value) for key, value in courses.items()}),
        export.problems,
        tuple(warnings),
    )


def latest(first: CourseEntry, second: CourseEntry) -> CourseEntry:
    """The later of two completions of one course (the second, on the same day)."""
    if first.completed_on is not None and second.completed_on is not None:
        return first if first.completed_on > second.completed_on else second
    return second


def outside_role(file: str, row: Completion, what: str) -> Problem:
    """The warning for a completion of a course the person's tracker has no row for."""
    return Problem(
        file,
        row.line,
        None,
        "course_id",
        f"{row.course_id!r} is not {what}, so {row.employee_id}'s tracker has no row for it; "
        "the row was left out",
        Code.COMPLETIONS_OUTSIDE_ROLE,
    )


# --- file names ---------------------------------------------------------------------------

MAX_NAME = 80
"""Characters of a file name's readable part; also cut to :data:`MAX_NAME_BYTES`."""
MAX_NAME_BYTES = 200
"""Bytes (UTF-8) of a file name's readable part: file systems allow 255 a name, and a
number may be added to tell two people apart."""


def tracker_name(employee_id: str, name: str) -> str:
    """A file name from an employee's id and name: safe on every system, readable in any script.

    Letters and digits of any alphabet are kept (lowercased, so names that
    differ only in case cannot collide on Windows or macOS); everything else,
    path separators and dots included, becomes a hyphen. A name Windows keeps
    for a device is prefixed, and a long name is cut to fit any file system.
    """
    text = unicodedata.normalize("NFC", f"{employee_id} {name}").casefold()
    slug = re.sub(r"[\W_]+", "-", text).strip("-")[:MAX_NAME]
    while len(slug.encode("utf-8")) > MAX_NAME_BYTES:
        slug = slug[:-1]
    slug = slug.strip("-") or "employee"
    if is_reserved(slug):
        slug = f"employee-{slug}"
    return f"{slug}.xlsx"


def tracker_names(rows: Iterator[RosterRow] | tuple[RosterRow, ...]) -> dict[str, str]:
    """Each employee id's file name, unique even where two slugs would be the same."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for row in rows:
        base = tracker_name(row.employee.employee_id, row.employee.name)
        candidate, number = base, 1
        while candidate in taken:
            number += 1
            candidate = f"{base.removesuffix('.xlsx')}-{number}.xlsx"
        taken.add(candidate)
        names[row.employee.employee_id] = candidate
    return names
