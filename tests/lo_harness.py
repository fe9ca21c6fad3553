"""Open an .xlsx in LibreOffice Calc, edit it, recalculate, and report every cell as JSON.

Run by the system Python, the only one that can import python3-uno (not the project's venv).
It answers requests from one soffice for as long as it runs:

    /usr/bin/python3 tests/lo_harness.py --serve SOFFICE     # one JSON request a line on
                                                            # stdin, one answer a line out
    /usr/bin/python3 tests/lo_harness.py REQUEST.json        # one request, then stop

A request::

    {"file": "/abs/in.xlsx",
     "edits": [{"sheet": "S", "cell": "H5", "value": "Completed"},   # text, setString
               {"sheet": "S", "cell": "B2", "number": 3},            # setValue
               {"sheet": "S", "cell": "C2", "date": "2026-03-01"},   # serial from NullDate
               {"sheet": "S", "insert_row_before": 7},               # 1-based, like Excel
               {"sheet": "S", "delete_row": 12},                     # 1-based, cells shift up
               {"sheet": "S", "sort": "A9:M34", "by": "B",           # rows, no header row;
                "descending": false}],                               # optional, default false
     "recalculate": true, "save_as": "/abs/out.xlsx", "read": "all" | "formulas",
     "soffice": "/usr/bin/soffice"}                                   # default: soffice on PATH

The answer, on stdout::

    {"cells": {"S": {"A1": {"formula": "=..." | null, "value": 1.0 | "text" | null,
                            "type": "VALUE" | "TEXT" | "FORMULA", "error": 532 | null}}},
     "sheets": [{"name": "S", "visible": true}], "null_date": "1899-12-30"}

Formulas are in LibreOffice's own syntax (";" between arguments, "$Sheet.A1" for other
sheets). A formula cell's value is its result: a number, a text, or for an error the
text LibreOffice shows ("#DIV/0!", "#N/A", "Err:502"), with the code in "error".
On failure the answer is {"error": "..."}, a traceback goes to stderr, and the exit status is 1.

A "sort" is Data > Sort on the rows of the range (its data rows only, no header): whole rows
move together, with their formats, ordered by the values in column "by", which must be
inside the range. Formulas move the way they do when copied, so a reference to a cell in the
formula's own row still points to its own row afterwards, and absolute references stay put;
this is Excel's behaviour, and the profile pins LibreOffice's "update references when
sorting" option (UpdateReferenceOnSort) to off, its default, to keep it so.

The harness starts soffice on the first request that passes its checks, with a fresh profile,
and opens and closes each request's document in it; at the end of its input (or on SIGTERM or
SIGHUP) it stops soffice and deletes the profile. A request that finds soffice gone gets an
answer with "lost": "crash", or "overrun" when the harness killed it for taking longer than
RUN_TIMEOUT, and the harness exits, so that its caller can start a new one. The profile pins
"recalculation on load" of OOXML files to "never" (LibreOffice's default), so without
"recalculate" the values are the cached ones stored in the file.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import uuid
from pathlib import Path
from typing import IO, Any

import uno  # type: ignore[import-not-found]

CONNECT_TIMEOUT = 60.0  # seconds for soffice to accept the UNO connection
RUN_TIMEOUT = 150.0  # whole run; the pytest helper gives up at 180 s
EXIT_TIMEOUT = 30.0  # for soffice to exit after terminate()
SOFFICE_FLAGS = (
    "--headless",
    "--invisible",
    "--nologo",
    "--norestore",
    "--nodefault",
    "--nolockcheck",
)
XLSX_FILTER = "Calc MS Excel 2007 XML"
# com.sun.star.sheet.CellFlags and FormulaResult constants
FORMULA_FLAG = 16
ERROR_RESULT = 4
# /org.openoffice.Office.Calc/Formula/Load/OOXMLRecalcMode: 0 always, 1 never, 2 ask
RECALC_NEVER = 1
STOP_SIGNALS = frozenset({signal.SIGTERM, signal.SIGHUP})
CELL_REF = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})")
COLUMN_REF = re.compile(r"[A-Z]{1,3}")
EDIT_KINDS = ("value", "number", "date", "insert_row_before", "delete_row", "sort")
ROW_KINDS = ("insert_row_before", "delete_row")

UnoException: Any = uno.getClass("com.sun.star.uno.Exception")
NoConnectException: Any = uno.getClass("com.sun.star.connection.NoConnectException")


class HarnessError(Exception):
    """A failure worth a plain message rather than a traceback."""


def registry_modifications() -> str:
    """The fresh profile's settings, LibreOffice's defaults pinned.

    Keep cached values on load, and let sorting move formulas as copies (relative references
    follow their row) rather than rewrite references to follow the moved cells.
    """
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry"'
        ' xmlns:xs="http://www.w3.org/2001/XMLSchema"'
        ' xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
        f'<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>{RECALC_NEVER}</value></prop>'
        "</item>\n"
        '<item oor:path="/org.openoffice.Office.Calc/Input">'
        '<prop oor:name="UpdateReferenceOnSort" oor:op="fuse"><value>false</value></prop>'
        "</item>\n"
        "</oor:items>\n"
    )


def property_value(name: str, value: object) -> Any:
    prop = uno.createUnoStruct("com.sun.star.beans.PropertyValue")
    prop.Name = name
    prop.Value = value
    return prop


def column_letters(index: int) -> str:
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def a1(column: int, row: int) -> str:
    return f"{column_letters(column)}{row + 1}"


def column_index(letters: str) -> int:
    """0-based index of a column given by its letters ("A" is 0)."""
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - ord("A") + 1
    return column - 1


def parse_a1(ref: str) -> tuple[int, int]:
    match = CELL_REF.fullmatch(ref.strip().upper())
    if match is None:
        raise HarnessError(f"not a single-cell A1 reference: {ref!r}")
    return column_index(match.group(1)), int(match.group(2)) - 1


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """(first column, first row, last column, last row), 0-based, of "A9:M34"."""
    first, colon, last = ref.partition(":")
    if not colon or not all(CELL_REF.fullmatch(end.strip().upper()) for end in (first, last)):
        raise HarnessError(f"not an A1 range such as 'A9:M34': {ref!r}")
    (start_column, start_row), (end_column, end_row) = parse_a1(first), parse_a1(last)
    if start_column > end_column or start_row > end_row:
        raise HarnessError(f"the range {ref!r} must go from its top left to its bottom right")
    return start_column, start_row, end_column, end_row


# --- the request -------------------------------------------------------------------------


def check_request(raw: object) -> dict[str, Any]:
    """Refuse a malformed request before soffice is started."""
    if not isinstance(raw, dict):
        raise HarnessError("the request must be a JSON object")
    request: dict[str, Any] = raw
    unknown = set(request) - {"file", "edits", "recalculate", "save_as", "read", "soffice"}
    if unknown:
        raise HarnessError(f"unknown request keys: {sorted(unknown)}")
    file = request.get("file")
    if not isinstance(file, str) or not Path(file).is_absolute():
        raise HarnessError("'file' must be an absolute path")
    if not Path(file).is_file():
        raise HarnessError(f"no such file: {file}")
    if not isinstance(request.get("recalculate", False), bool):
        raise HarnessError("'recalculate' must be true or false")
    if request.get("read", "all") not in {"all", "formulas"}:
        raise HarnessError("'read' must be 'all' or 'formulas'")
    save_as = request.get("save_as")
    if save_as is not None and (not isinstance(save_as, str) or not Path(save_as).is_absolute()):
        raise HarnessError("'save_as' must be an absolute path")
    edits = request.get("edits", [])
    if not isinstance(edits, list):
        raise HarnessError("'edits' must be a list")
    for number, edit in enumerate(edits, 1):
        check_edit(number, edit)
    return request


def check_edit(number: int, edit: object) -> None:
    where = f"edit {number}"
    if not isinstance(edit, dict) or not isinstance(edit.get("sheet"), str):
        raise HarnessError(f"{where} must be an object with a 'sheet' name")
    kinds = [kind for kind in EDIT_KINDS if kind in edit]
    if len(kinds) != 1:
        raise HarnessError(f"{where} must have exactly one of {', '.join(EDIT_KINDS)}")
    kind = kinds[0]
    if kind in ROW_KINDS:
        required = allowed = {"sheet", kind}
    elif kind == "sort":
        required, allowed = {"sheet", "sort", "by"}, {"sheet", "sort", "by", "descending"}
    else:
        required = allowed = {"sheet", "cell", kind}
    if not required <= set(edit) <= allowed:
        optional = f", and optionally {sorted(allowed - required)}" if allowed != required else ""
        raise HarnessError(f"{where} must have exactly the keys {sorted(required)}{optional}")
    value = edit[kind]
    if kind in ROW_KINDS:
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise HarnessError(f"{where}: {kind!r} must be a row number from 1")
        return
    if kind == "sort":
        check_sort(where, edit)
        return
    parse_a1(str(edit["cell"]))
    if kind == "value" and not isinstance(value, str):
        raise HarnessError(f"{where}: 'value' must be a string (use 'number' for numbers)")
    if kind == "number" and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        raise HarnessError(f"{where}: 'number' must be a number")
    if kind == "date":
        try:
            dt.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise HarnessError(f"{where}: 'date' must be YYYY-MM-DD, not {value!r}") from None


def check_sort(where: str, edit: dict[str, Any]) -> None:
    ref, by = edit["sort"], edit["by"]
    if not isinstance(ref, str):
        raise HarnessError(f"{where}: 'sort' must be an A1 range such as 'A9:M34'")
    try:
        start_column, _, end_column, _ = parse_range(ref)
    except HarnessError as error:
        raise HarnessError(f"{where}: 'sort': {error}") from None
    if not isinstance(by, str) or COLUMN_REF.fullmatch(by.strip().upper()) is None:
        raise HarnessError(f"{where}: 'by' must be a column letter such as 'B', not {by!r}")
    if not start_column <= column_index(by.strip().upper()) <= end_column:
        raise HarnessError(f"{where}: the 'by' column {by!r} is outside the range {ref!r}")
    if not isinstance(edit.get("descending", False), bool):
        raise HarnessError(f"{where}: 'descending' must be true or false")


# --- soffice -----------------------------------------------------------------------------


class Watchdog(threading.Thread):
    """Kill soffice when a request overruns; on SIGTERM/SIGHUP, also clean up and exit.

    The main thread can be stuck inside a UNO call, where a Python signal handler never
    runs; so those signals are blocked in every thread and collected here instead. Killing
    soffice makes the stuck call fail, and its request is answered with the reason.
    """

    def __init__(self, office: Office) -> None:
        super().__init__(name="soffice-watchdog", daemon=True)
        self.office = office
        self.deadline: float | None = None
        self.seconds = 0.0
        self.finished = threading.Event()
        self.reason: str | None = None

    def arm(self, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds

    def disarm(self) -> None:
        self.deadline = None

    def run(self) -> None:
        while not self.finished.is_set():
            received = signal.sigtimedwait(STOP_SIGNALS, 0.25)
            if received is not None:
                # The main thread may be waiting for the next request: clean up from here.
                self.reason = f"stopped by {signal.Signals(received.si_signo).name}"
                print(f"lo_harness: {self.reason}", file=sys.stderr, flush=True)
                self.office.kill()
                if self.office.process is not None:
                    with contextlib.suppress(subprocess.TimeoutExpired):
                        self.office.process.wait(EXIT_TIMEOUT)
                shutil.rmtree(self.office.workdir, ignore_errors=True)
                os._exit(1)
            deadline = self.deadline
            if deadline is not None and time.monotonic() > deadline:
                self.reason = f"the request took longer than {self.seconds:.0f} s"
                self.deadline = None
                self.office.kill()

    def stop(self) -> None:
        self.finished.set()
        self.join()


def kill_group(process_group: int, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process_group, sig)


class Office:
    """One soffice process with a throwaway profile, reached over a uniquely named pipe."""

    def __init__(self, soffice: str) -> None:
        self.soffice = soffice
        self.workdir = Path(tempfile.mkdtemp(prefix="trackerkit-lo-"))
        self.profile = self.workdir / "profile"
        self.log_path = self.workdir / "soffice.log"
        self.pipe = f"trackerkit_lo_{os.getpid()}_{uuid.uuid4().hex}"
        self.process: subprocess.Popen[bytes] | None = None
        self.log: IO[bytes] | None = None
        self.watchdog: Watchdog | None = None
        self.desktop: Any = None
        self.saved_log = ""

    def start(self) -> Any:
        """Start soffice, connect, and return its Desktop."""
        user = self.profile / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(registry_modifications(), "utf-8")
        command = [
            self.soffice,
            *SOFFICE_FLAGS,
            f"-env:UserInstallation={self.profile.as_uri()}",
            f"--accept=pipe,name={self.pipe};urp;",
        ]
        self.log = self.log_path.open("wb")
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so it can be killed whole
        )
        # From here on SIGTERM/SIGHUP are the watchdog's (see Watchdog); soffice has already
        # been started with the default mask, so it can still be stopped by them. One soffice
        # a harness process: a new one would inherit the blocked mask.
        signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
        self.watchdog = Watchdog(self)
        self.watchdog.arm(CONNECT_TIMEOUT + 10)
        self.watchdog.start()
        context = self.connect()
        self.watchdog.disarm()
        self.desktop = context.ServiceManager.createInstanceWithContext(
            "com.sun.star.frame.Desktop", context
        )
        return self.desktop

    def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:  # not reaped yet
            kill_group(self.process.pid, signal.SIGKILL)

    def alive(self) -> bool:
        """Whether soffice still runs, answers, and was not killed for overrunning."""
        if self.process is None or self.process.poll() is not None or self.stopped_reason():
            return False
        try:
            self.desktop.getComponents()  # raises at once when the bridge is gone
        except Exception:  # noqa: BLE001 - any failure here means soffice is gone
            return False
        return True

    def connect(self) -> Any:
        assert self.process is not None
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        url = f"uno:pipe,name={self.pipe};urp;StarOffice.ComponentContext"
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            status = self.process.poll()
            if status is not None:
                raise HarnessError(f"soffice exited with status {status} before accepting")
            try:
                return resolver.resolve(url)
            except NoConnectException:
                if time.monotonic() > deadline:
                    raise HarnessError(
                        f"soffice did not accept a connection within {CONNECT_TIMEOUT:.0f} s"
                    ) from None
                time.sleep(0.1)

    def stopped_reason(self) -> str | None:
        return None if self.watchdog is None else self.watchdog.reason

    def log_tail(self) -> str:
        """The end of soffice's own output, kept by close() before the profile goes."""
        return self.saved_log

    def close(self) -> None:
        """Stop soffice (politely, then by force) and delete the profile."""
        try:
            self.stop_soffice()
        finally:
            if self.watchdog is not None:
                self.watchdog.stop()
            if self.log is not None:
                self.log.close()
                with contextlib.suppress(OSError):
                    lines = self.log_path.read_text("utf-8", errors="replace").splitlines()
                    # javaldx's warning is on every run and means nothing for Calc
                    kept = [line for line in lines if line.strip() and "javaldx" not in line]
                    self.saved_log = "\n".join(kept)[-2000:]
            shutil.rmtree(self.workdir, ignore_errors=True)

    def stop_soffice(self) -> None:
        if self.process is None:
            return
        connected = self.desktop is not None
        if connected:
            # Whatever goes wrong here (the bridge is often disposed before terminate()
            # returns), the process is waited for or killed below.
            with contextlib.suppress(Exception):
                self.desktop.terminate()
        try:
            self.process.wait(EXIT_TIMEOUT if connected else 0)
        except subprocess.TimeoutExpired:
            # Not reaped yet, so its process group cannot have been reused.
            kill_group(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                kill_group(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --- the document ------------------------------------------------------------------------


def null_date(doc: Any) -> dt.date:
    """Day 0 of the document's serial dates: 1899-12-30 normally, 1904-01-01 for 1904 files."""
    date = doc.getNumberFormatSettings().getPropertyValue("NullDate")
    return dt.date(date.Year, date.Month, date.Day)


def sheet_named(doc: Any, name: str) -> Any:
    sheets = doc.getSheets()
    if not sheets.hasByName(name):
        raise HarnessError(f"no sheet {name!r}; the sheets are {list(sheets.getElementNames())}")
    return sheets.getByName(name)


def apply_edit(doc: Any, edit: dict[str, Any], day_zero: dt.date) -> None:
    sheet = sheet_named(doc, edit["sheet"])
    if "insert_row_before" in edit:
        sheet.getRows().insertByIndex(edit["insert_row_before"] - 1, 1)
        return
    if "delete_row" in edit:
        sheet.getRows().removeByIndex(edit["delete_row"] - 1, 1)
        return
    if "sort" in edit:
        sort_rows(sheet, edit)
        return
    column, row = parse_a1(edit["cell"])
    cell = sheet.getCellByPosition(column, row)
    if "value" in edit:
        cell.setString(edit["value"])
    elif "number" in edit:
        cell.setValue(float(edit["number"]))
    else:
        cell.setValue(float((dt.date.fromisoformat(edit["date"]) - day_zero).days))


def sort_rows(sheet: Any, edit: dict[str, Any]) -> None:
    """Data > Sort on the range's rows (no header row), by one column, formats moving along."""
    start_column, start_row, end_column, end_row = parse_range(edit["sort"])
    cell_range = sheet.getCellRangeByPosition(start_column, start_row, end_column, end_row)
    field = uno.createUnoStruct("com.sun.star.table.TableSortField")
    field.Field = column_index(edit["by"].strip().upper()) - start_column
    field.IsAscending = not edit.get("descending", False)
    settings: dict[str, Any] = {
        "SortFields": uno.Any("[]com.sun.star.table.TableSortField", (field,)),
        "ContainsHeader": False,
        "IsSortColumns": False,  # move rows, not columns
        "BindFormatsToContent": True,
    }
    descriptor = [prop for prop in cell_range.createSortDescriptor() if prop.Name not in settings]
    descriptor += [property_value(name, value) for name, value in settings.items()]
    # uno.invoke, so that the typed Any reaches sort() as a sequence of TableSortField
    uno.invoke(cell_range, "sort", (tuple(descriptor),))


def range_positions(ranges: Any) -> set[tuple[int, int]]:
    """Every (column, row) inside a SheetCellRanges, relative to the sheet."""
    positions: set[tuple[int, int]] = set()
    for address in ranges.getRangeAddresses():
        for row in range(address.StartRow, address.EndRow + 1):
            for column in range(address.StartColumn, address.EndColumn + 1):
                positions.add((column, row))
    return positions


def read_sheet(sheet: Any, formulas_only: bool) -> dict[str, dict[str, Any]]:
    """The sheet's non-empty cells, in a handful of UNO calls (each one costs about 1 ms).

    getDataArray gives what getValue()/getString() would per cell: a float for a number
    (or a formula with a number result), a str for text, None for an error result.
    """
    cursor = sheet.createCursor()
    cursor.gotoStartOfUsedArea(False)  # noqa: FBT003 - UNO takes no keyword arguments
    cursor.gotoEndOfUsedArea(True)  # noqa: FBT003 - True: expand the selection
    area = cursor.getRangeAddress()
    used = sheet.getCellRangeByPosition(
        area.StartColumn, area.StartRow, area.EndColumn, area.EndRow
    )
    data = used.getDataArray()
    texts = used.getFormulaArray()
    # A text cell can read "=..." in getFormulaArray, so ask which cells hold formulas.
    formula_cells = range_positions(used.queryContentCells(FORMULA_FLAG))
    error_cells = range_positions(used.queryFormulaCells(ERROR_RESULT))
    cells: dict[str, dict[str, Any]] = {}
    for row_offset, (data_row, text_row) in enumerate(zip(data, texts, strict=True)):
        for column_offset, (data_value, text) in enumerate(zip(data_row, text_row, strict=True)):
            column, row = area.StartColumn + column_offset, area.StartRow + row_offset
            value: float | str | None = data_value
            formula: str | None = None
            error: int | None = None
            if (column, row) in formula_cells:
                kind, formula = "FORMULA", text
                if (column, row) in error_cells:
                    cell = sheet.getCellByPosition(column, row)
                    error, value = cell.getError(), cell.getString()
            elif formulas_only or value is None or value == "":
                continue
            else:
                kind = "VALUE" if isinstance(value, float) else "TEXT"
            cells[a1(column, row)] = {
                "formula": formula,
                "value": value,
                "type": kind,
                "error": error,
            }
    return cells


def run(request: dict[str, Any], desktop: Any) -> dict[str, Any]:
    doc = desktop.loadComponentFromURL(
        Path(request["file"]).as_uri(), "_blank", 0, (property_value("Hidden", value=True),)
    )
    if doc is None or not hasattr(doc, "getSheets"):
        raise HarnessError(f"LibreOffice could not open {request['file']} as a spreadsheet")
    try:
        day_zero = null_date(doc)
        for edit in request.get("edits", []):
            apply_edit(doc, edit, day_zero)
        if request.get("recalculate", False):
            doc.calculateAll()
        if request.get("save_as"):
            doc.storeToURL(
                Path(request["save_as"]).as_uri(),
                (
                    property_value("FilterName", XLSX_FILTER),
                    property_value("Overwrite", value=True),
                ),
            )
        formulas_only = request.get("read", "all") == "formulas"
        cells: dict[str, Any] = {}
        sheets: list[dict[str, Any]] = []
        for sheet in doc.getSheets():
            name: str = sheet.getName()
            sheets.append({"name": name, "visible": bool(sheet.IsVisible)})
            cells[name] = read_sheet(sheet, formulas_only)
        return {"cells": cells, "sheets": sheets, "null_date": day_zero.isoformat()}
    finally:
        with contextlib.suppress(UnoException):
            doc.close(True)  # noqa: FBT003 - True: give up ownership, UNO takes no keywords


def describe(error: BaseException) -> str:
    message = getattr(error, "Message", None) or str(error)
    return message if isinstance(error, HarnessError) else f"{type(error).__name__}: {message}"


class Session:
    """Requests answered one after another by one soffice, started for the first of them."""

    def __init__(self, soffice: str) -> None:
        self.soffice = soffice
        self.office: Office | None = None

    def answer(self, raw: object) -> dict[str, Any]:
        """The answer to one request: its cells, or {"error"} (and "lost" when soffice is gone)."""
        try:
            request = check_request(raw)
            if self.office is None:
                self.office = Office(self.soffice)
                self.office.start()
            watchdog = self.office.watchdog
            assert watchdog is not None
            watchdog.arm(RUN_TIMEOUT)
            try:
                return run(request, self.office.desktop)
            finally:
                watchdog.disarm()
        except Exception as error:  # noqa: BLE001 - every failure must reach the caller as JSON
            traceback.print_exc()
            return self.failure(error)

    def failure(self, error: BaseException) -> dict[str, Any]:
        message = describe(error)
        office = self.office
        if office is None or office.alive():
            return {"error": message}
        reason = office.stopped_reason()
        if reason is not None:
            message = f"LibreOffice was killed: {reason} ({message})"
        else:
            message = f"LibreOffice stopped during the request ({message})"
        office.close()
        self.office = None
        tail = office.log_tail()
        if tail:
            message += f"\nsoffice output:\n{tail}"
        return {"error": message, "lost": "crash" if reason is None else "overrun"}

    def close(self) -> None:
        if self.office is not None:
            self.office.close()


def serve(soffice: str) -> int:
    """Answer each line of stdin on a line of stdout, until the input ends or soffice is lost."""
    session = Session(soffice)
    try:
        for line in sys.stdin:
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as error:
                answer: dict[str, Any] = {"error": f"the request is not JSON: {error}"}
            else:
                answer = session.answer(raw)
            print(json.dumps(answer, allow_nan=False, ensure_ascii=False), flush=True)
            if answer.get("lost"):
                return 1
    finally:
        session.close()
    return 0


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "--serve":
        return serve(argv[2])
    if len(argv) != 2:
        print(json.dumps({"error": "usage: lo_harness.py REQUEST.json | --serve SOFFICE"}))
        return 1
    try:
        raw = json.loads(Path(argv[1]).read_text("utf-8"))
    except (OSError, ValueError) as error:
        print(json.dumps({"error": f"cannot read the request: {error}"}))
        return 1
    soffice = (raw.get("soffice") if isinstance(raw, dict) else None) or shutil.which("soffice")
    if not soffice:
        print(json.dumps({"error": "soffice is not on PATH"}))
        return 1
    session = Session(soffice)
    try:
        answer = session.answer(raw)
    finally:
        session.close()
    print(json.dumps(answer, allow_nan=False, ensure_ascii=False))
    return 1 if "error" in answer else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
