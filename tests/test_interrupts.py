"""A run with workers, killed: the workers end soon, and no half-written file is left.

Each test starts a real ``trackerkit build --roster ... --jobs 2`` in a child process,
waits until its workers are writing trackers, then kills the parent the way a person or
a scheduler would.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from trackerkit import load_catalog
from trackerkit.roster import ROSTER_COLUMNS

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="needs /proc to find the workers (Linux)"
)
ROWS = 600
"""Enough trackers that the build is still running when it is killed."""


def roster(path: Path) -> Path:
    roles = sorted(load_catalog().roles)
    with path.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(ROSTER_COLUMNS)
        for n in range(ROWS):
            writer.writerow((f"E{n:05d}", f"Person {n}", "Lee", "Site", roles[n % len(roles)], ""))
    return path


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text(encoding="ascii")
        found.update(int(child) for child in text.split())
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status is left to collect


def started(tmp_path: Path) -> tuple[subprocess.Popen[str], set[int], Path]:
    """The build, once two workers are running and a few trackers are written."""
    out = tmp_path / "out"
    command = ["build", "--roster", str(roster(tmp_path / "r.csv")), "-o", str(out)]
    build = subprocess.Popen(
        [sys.executable, "-m", "trackerkit", *command, "--jobs", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        workers = children(build.pid)
        if len(workers) >= 2 and out.is_dir() and len(list(out.glob("*.xlsx"))) >= 10:
            return build, workers, out
        time.sleep(0.05)
    build.kill()
    pytest.fail("the build did not start its workers within two minutes")


def gone_within(pids: set[int], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def test_workers_end_soon_after_their_parent_is_killed(tmp_path: Path) -> None:
    build, workers, out = started(tmp_path)
    build.kill()  # SIGKILL: the parent can do nothing about it
    build.communicate(timeout=30)
    try:
        assert gone_within(workers, 10)
    finally:
        for pid in workers:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
    assert not list(out.glob(".*.tmp"))  # each worker removed what it had half written
    assert len(list(out.glob("*.xlsx"))) < ROWS


def test_sigterm_ends_the_run_as_ctrl_c_does(tmp_path: Path) -> None:
    build, workers, out = started(tmp_path)
    build.terminate()
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130
    assert err.splitlines()[-1] == "trackerkit: interrupted"
    assert "Traceback" not in err
    assert gone_within(workers, 10)
    assert not list(out.glob(".*.tmp"))
    assert len(list(out.glob("*.xlsx"))) < ROWS
