"""Run LibreOffice Calc from tests, through tests/lo_harness.py in the system Python.

python3-uno only imports in the Python it was built for (Debian's /usr/bin/python3), not in
the project's venv, so tests talk to tests/lo_harness.py as a subprocess, in JSON.

Use the ``libreoffice`` fixture. tests/conftest.py imports it as ``libreoffice_fixture``,
a name apart so that the import never shadows a test's ``libreoffice`` argument (F811).
It skips with the reason when LibreOffice is missing locally, and fails instead when the CI
variable is set, because CI must never skip these tests.
Install: apt-get install libreoffice-calc-nogui python3-uno
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypedDict, cast

import pytest

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

HARNESS = Path(__file__).with_name("lo_harness.py")
TIMEOUT = 180.0  # seconds for one harness run; the harness stops itself after 150 s
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


def in_ci() -> bool:
    """True when the CI variable is set (to anything but empty, 0, false or no)."""
    return os.environ.get("CI", "").strip().lower() not in {"", "0", "false", "no"}


def require_libreoffice() -> None:
    """Skip the calling test when LibreOffice is missing, or fail it in CI."""
    reason = available()
    if reason is None:
        return
    if in_ci():
        pytest.fail(f"{reason} (CI is set, and CI must not skip LibreOffice tests)")
    pytest.skip(reason)


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
    """Runs the harness: one fresh soffice per run, about 1.5 s each."""

    def __init__(self, python: str, soffice: str, harness: Path = HARNESS) -> None:
        self.python = python
        self.soffice = soffice
        self.harness = harness

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
            "soffice": self.soffice,
        }
        with tempfile.TemporaryDirectory(prefix="trackerkit-lo-request-") as scratch:
            request_file = Path(scratch) / "request.json"
            request_file.write_text(json.dumps(request), encoding="utf-8")
            status, stdout, stderr = self._call(request_file)
        try:
            answer: Any = json.loads(stdout)
        except json.JSONDecodeError:
            answer = None
        if status != 0 or not isinstance(answer, dict) or "cells" not in answer:
            error = answer.get("error") if isinstance(answer, dict) else stdout.strip()
            raise AssertionError(
                f"LibreOffice harness failed (exit status {status}): {error}\n"
                f"--- harness stderr ---\n{stderr.strip()}"
            )
        return cast("Result", answer)

    def _call(self, request_file: Path) -> tuple[int, str, str]:
        command = [self.python, "-I", str(self.harness), str(request_file)]
        with subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        ) as process:
            try:
                stdout, stderr = process.communicate(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                # SIGTERM lets the harness kill soffice and delete its profile.
                process.terminate()
                try:
                    _, stderr = process.communicate(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    _, stderr = process.communicate()
                raise AssertionError(
                    f"LibreOffice harness took longer than {TIMEOUT:.0f} s\n"
                    f"--- harness stderr ---\n{stderr.strip()}"
                ) from None
        return process.returncode, stdout, stderr


@pytest.fixture(scope="session", name="libreoffice")
def libreoffice_fixture() -> Calc:
    """A Calc runner; skips when LibreOffice is missing, but fails when CI is set."""
    require_libreoffice()
    assert SYSTEM_PYTHON is not None
    assert SOFFICE is not None
    return Calc(SYSTEM_PYTHON, SOFFICE)
