"""Run LibreOffice Calc from tests, through tests/lo_harness.py in the system Python.

python3-uno only imports in the Python it was built for (Debian's /usr/bin/python3), not in
the project's venv, so tests talk to tests/lo_harness.py as a subprocess, in JSON lines: one
harness, and one soffice, for the whole test session (starting soffice takes about 1.5 s).

Use the ``libreoffice`` fixture. tests/conftest.py imports it as ``libreoffice_fixture``,
a name apart so that the import never shadows a test's ``libreoffice`` argument (F811).
It skips with the reason when LibreOffice is missing locally, and fails instead when the CI
variable is set, because CI must never skip these tests (the rule is in tests/needs.py).
Install: apt-get install libreoffice-calc-nogui python3-uno
"""

from __future__ import annotations

import contextlib
import json
import queue
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal, TypedDict, cast

import pytest

from needs import in_ci, require

if TYPE_CHECKING:
    import os
    from collections.abc import Iterable, Iterator, Mapping

HARNESS = Path(__file__).with_name("lo_harness.py")
TIMEOUT = 180.0  # seconds for one request; the harness kills soffice after 150 s
EXIT_TIMEOUT = 60.0  # for the harness to stop soffice and exit once its input ends
PYTHON_CANDIDATES = ("/usr/bin/python3",)
INSTALL_HINT = "apt-get install libreoffice-calc-nogui python3-uno"


def _python_with_uno() -> str | None:
    """The first candidate Python that can import uno, checked once at import time."""
    for python in PYTHON_CANDIDATES:
        if not Path(python).is_file():
            continue
        try:
            found = subprocess.run(
                [python, "-I", "-c", "import uno"],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=60,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if found.returncode == 0:
            return python
    return None


SOFFICE = shutil.which("soffice")
SYSTEM_PYTHON = _python_with_uno()


def available() -> str | None:
    """None when LibreOffice can be driven from tests, else why not."""
    if SOFFICE is None:
        return f"LibreOffice (soffice) is not installed; {INSTALL_HINT}"
    if SYSTEM_PYTHON is None:
        return f"python3-uno is not importable by {' or '.join(PYTHON_CANDIDATES)}"
    return None


def require_libreoffice() -> None:
    """Skip the calling test when LibreOffice is missing, or fail it in CI."""
    require(available(), "LibreOffice tests")


# For tests that need no Calc object; prefer the fixture, which also fails clearly in CI.
# In CI this never skips: the test runs and fails when LibreOffice is missing.
requires_libreoffice = pytest.mark.skipif(
    available() is not None and not in_ci(), reason=available() or "LibreOffice is available"
)


class Cell(TypedDict):
    formula: str | None  # LibreOffice syntax: ";" between arguments, "$Sheet.A1" across sheets
    value: float | str | None  # a formula's result; for an error, the text shown ("#DIV/0!")
    type: Literal["VALUE", "TEXT", "FORMULA"]
    error: int | None  # LibreOffice's error code (532 #DIV/0!, 32767 #N/A, 525 #NAME?)


class Sheet(TypedDict):
    name: str
    visible: bool


class Result(TypedDict):
    cells: dict[str, dict[str, Cell]]  # sheet name -> A1 address -> cell, non-empty cells only
    sheets: list[Sheet]  # every sheet, hidden ones too, in workbook order
    null_date: str  # day 0 of serial dates: "1899-12-30", or "1904-01-01" for 1904 files


class Calc:
    """Runs requests through one harness process, and so one soffice, for the whole session.

    The harness starts on the first request and stops at close(). A request that finds the
    harness or soffice gone (a crash) is run once more on a new one, and ``restarts`` says
    why, for the summary at the end of the test run.
    """

    def __init__(self, python: str, soffice: str, harness: Path = HARNESS) -> None:
        self.python = python
        self.soffice = soffice
        self.harness = harness
        self.restarts: list[str] = []
        self.process: subprocess.Popen[str] | None = None
        self.answers: queue.Queue[str | None] = queue.Queue()
        self.scratch = Path(tempfile.mkdtemp(prefix="trackerkit-lo-client-"))
        self.stderr_path = self.scratch / "harness-stderr.txt"

    def run(
        self,
        file: str | os.PathLike[str],
        edits: Iterable[Mapping[str, object]] = (),
        *,
        recalculate: bool = True,
        save_as: str | os.PathLike[str] | None = None,
        read: Literal["formulas", "all"] = "all",
    ) -> Result:
        """Open file in Calc, apply edits in order, recalculate, maybe save, and read it back.

        An edit is {"sheet", "cell", "value": str} (text), {"sheet", "cell", "number": n},
        {"sheet", "cell", "date": "YYYY-MM-DD"}, {"sheet", "insert_row_before": row},
        {"sheet", "delete_row": row} (1-based rows; cells below shift up) or
        {"sheet", "sort": "A9:M34", "by": "B", "descending": bool (optional, default false)}:
        Data > Sort on the range's rows, no header row, by a column inside the range; whole
        rows move with their formats, and formulas move as copies do (a reference to the
        formula's own row follows it, absolute references stay put), as in Excel.
        """
        request = {
            "file": str(Path(file).resolve()),
            "edits": [dict(edit) for edit in edits],
            "recalculate": recalculate,
            "save_as": None if save_as is None else str(Path(save_as).resolve()),
            "read": read,
        }
        answer, stderr = self._ask(request)
        lost = answer is None or answer.get("lost") == "crash"
        if lost:
            what = "the harness exited" if answer is None else answer.get("error", "")
            self.restarts.append(
                f"{Path(file).name}: {str(what).splitlines()[0]}; "
                "ran the request again on a new LibreOffice"
            )
            answer, stderr = self._ask(request)
        if answer is None or "cells" not in answer:
            error = "the harness exited without answering" if answer is None else answer["error"]
            raise AssertionError(
                f"LibreOffice harness failed: {error}\n--- harness stderr ---\n{stderr.strip()}"
            )
        return cast("Result", answer)

    def _ask(self, request: Mapping[str, object]) -> tuple[dict[str, Any] | None, str]:
        """The harness's answer (None when it exited without one) and its stderr meanwhile."""
        process = self._harness()
        assert process.stdin is not None
        start = self.stderr_path.stat().st_size
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
        except BrokenPipeError:
            self._stop()
            return None, self._stderr_since(start)
        try:
            line = self.answers.get(timeout=TIMEOUT)
        except queue.Empty:
            # SIGTERM lets the harness kill soffice and delete its profile.
            self._stop(terminate=True)
            raise AssertionError(
                f"LibreOffice harness took longer than {TIMEOUT:.0f} s\n"
                f"--- harness stderr ---\n{self._stderr_since(start).strip()}"
            ) from None
        answer: Any = None if line is None else json.loads(line)
        if answer is None or answer.get("lost"):
            self._stop()  # it exits after losing soffice; the next request starts a new one
        return answer, self._stderr_since(start)

    def _harness(self) -> subprocess.Popen[str]:
        """The running harness, started when there is none."""
        if self.process is not None:
            status = self.process.poll()
            if status is None:
                return self.process
            self.restarts.append(f"the harness had exited with status {status}; started a new one")
            self._stop()
        with self.stderr_path.open("a", encoding="utf-8") as stderr:
            self.process = subprocess.Popen(
                [self.python, "-I", str(self.harness), "--serve", self.soffice],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=stderr,
                text=True,
                encoding="utf-8",
                start_new_session=True,  # Ctrl-C reaches pytest, which closes the harness
            )
        self.answers = queue.Queue()
        threading.Thread(
            target=_forward_lines, args=(self.process.stdout, self.answers), daemon=True
        ).start()
        return self.process

    def _stderr_since(self, offset: int) -> str:
        with self.stderr_path.open("rb") as stderr:
            stderr.seek(offset)
            return stderr.read().decode("utf-8", errors="replace")[-4000:]

    def _stop(self, *, terminate: bool = False) -> None:
        """End the harness: it stops soffice and deletes its profile when its input ends."""
        process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(OSError):
            assert process.stdin is not None
            process.stdin.close()
        if terminate:
            process.terminate()
        try:
            process.wait(EXIT_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                process.wait(EXIT_TIMEOUT)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout is not None:
            process.stdout.close()

    def close(self) -> None:
        """Stop the harness and its soffice, and delete the client's scratch folder."""
        try:
            self._stop()
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)


def _forward_lines(lines: IO[str], answers: queue.Queue[str | None]) -> None:
    """Put each line the harness prints on ``answers``, then None when it stops printing."""
    with contextlib.suppress(ValueError, OSError):
        for line in lines:
            answers.put(line)
    answers.put(None)


RUNNER = pytest.StashKey[Calc]()
"""The session's runner, for the restarts summary at the end of the run."""


@pytest.fixture(scope="session", name="libreoffice")
def libreoffice_fixture(request: pytest.FixtureRequest) -> Iterator[Calc]:
    """A Calc runner; skips when LibreOffice is missing, but fails when CI is set."""
    require_libreoffice()
    assert SYSTEM_PYTHON is not None
    assert SOFFICE is not None
    calc = Calc(SYSTEM_PYTHON, SOFFICE)
    request.config.stash[RUNNER] = calc
    try:
        yield calc
    finally:
        calc.close()


def report_restarts(reporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Say, at the end of the run, every time LibreOffice had to be started again."""
    calc = config.stash.get(RUNNER, None)
    if calc is not None and calc.restarts:
        reporter.section("LibreOffice restarts")
        for line in calc.restarts:
            reporter.write_line(line)
