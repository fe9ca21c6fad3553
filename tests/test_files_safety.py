"""Only regular files are read or replaced: pipes, devices, links and huge files in the way.

Each case builds its hostile input itself and runs the command in a child process with a
time limit, so a regression that hangs (a named pipe opened for reading blocks until a
writer comes) fails the test instead of stalling the run.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from trackerkit import build_tracker
from trackerkit.untrusted import OLE2_MAGIC

if TYPE_CHECKING:
    from trackerkit import Catalog

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX only")


def trackerkit(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "trackerkit", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def said(done: subprocess.CompletedProcess[str]) -> str:
    """Everything a command printed: some print their per-file lines on stdout."""
    return done.stdout + done.stderr


def test_a_pipe_named_xlsx_in_a_folder_is_listed_not_waited_on(
    bundled: Catalog, tmp_path: Path
) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    build_tracker(bundled.roles["psr-i"], folder / "ana.xlsx")
    os.mkfifo(folder / "pipe.xlsx")
    done = trackerkit("read", "returned", cwd=tmp_path)
    assert done.returncode == 1
    assert "returned/pipe.xlsx: is a named pipe (FIFO), not a workbook file" in said(done)
    assert [t["file"] for t in json.loads(done.stdout)] == ["returned/ana.xlsx"]  # JSON alone


def test_a_pipe_at_a_trackers_place_is_refused_and_the_rest_are_built(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "psr-i.xlsx")
    done = trackerkit("build", "-o", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "out/psr-i.xlsx: could not be written "
        "(it is a named pipe (FIFO) that no program is reading)"
    ) in said(done)
    assert stat.S_ISFIFO((out / "psr-i.xlsx").lstat().st_mode)  # not replaced
    assert len([p for p in out.iterdir() if p.is_file()]) == 6


def test_a_pipe_named_yaml_in_a_roles_folder_is_a_problem(tmp_path: Path) -> None:
    roles = tmp_path / "roles"
    roles.mkdir()
    os.mkfifo(roles / "psr-v.yaml")
    done = trackerkit("validate", "--roles", "roles", cwd=tmp_path)
    assert done.returncode == 1
    assert "roles/psr-v.yaml: cannot be read (it is a named pipe (FIFO), not a file)" in (
        said(done)
    )


def test_a_pipe_as_a_roster_is_a_problem(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "roster.csv")
    done = trackerkit("build", "--roster", "roster.csv", "-o", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert "roster.csv: cannot be read (it is a named pipe (FIFO), not a file)" in said(done)


def test_output_to_a_device_writes_through_and_leaves_it_a_device(
    bundled: Catalog, tmp_path: Path
) -> None:
    build_tracker(bundled.roles["psr-i"], tmp_path / "t.xlsx")
    done = trackerkit("read", "t.xlsx", "-o", os.devnull, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert stat.S_ISCHR(Path(os.devnull).stat().st_mode)


def test_output_through_a_link_writes_the_file_it_points_to(
    bundled: Catalog, tmp_path: Path
) -> None:
    build_tracker(bundled.roles["psr-i"], tmp_path / "t.xlsx")
    real = tmp_path / "kept" / "team.json"
    real.parent.mkdir()
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "team.json"
    link.symlink_to(real)
    done = trackerkit("read", "t.xlsx", "-o", "team.json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["role"]["id"] == "psr-i"


def test_a_huge_file_at_a_trackers_place_is_kept_and_the_rest_are_built(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    huge = out / "psr-i.xlsx"
    with huge.open("wb") as stream:
        stream.truncate(3 * 1024**3)  # sparse: 3 GB to look at, no disk or memory spent
    done = trackerkit("build", "-o", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert "out/psr-i.xlsx: this file is not a tracker trackerkit can read" in said(done)
    assert huge.stat().st_size == 3 * 1024**3  # kept as it was
    assert len(list(out.glob("*.xlsx"))) == 7


def test_every_spreadsheet_in_a_folder_is_read_or_listed_never_skipped(
    bundled: Catalog, tmp_path: Path
) -> None:
    folder = tmp_path / "returned"
    folder.mkdir()
    build_tracker(bundled.roles["psr-i"], folder / "ana.xlsx")
    build_tracker(bundled.roles["psr-ii"], folder / "ben.xlsm")  # saved with macros enabled
    with zipfile.ZipFile(folder / "cy.ods", "w") as ods:
        ods.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        ods.writestr("content.xml", "<office:document-content/>")
    (folder / "dee.xls").write_bytes(OLE2_MAGIC + bytes(600))
    (folder / "notes.txt").write_text("not a spreadsheet", encoding="utf-8")
    done = trackerkit("read", "returned", cwd=tmp_path)
    assert done.returncode == 1
    assert [t["file"] for t in json.loads(done.stdout)] == [
        "returned/ana.xlsx",
        "returned/ben.xlsm",
    ]
    assert "returned/cy.ods: is an OpenDocument spreadsheet (.ods); save it as .xlsx" in (
        said(done)
    )
    assert "returned/dee.xls: this is an old Excel 97-2003 file (.xls)" in said(done)
    assert "notes.txt" not in said(done)
    report = trackerkit("report", "returned", "-o", "team.json", "--format", "json", cwd=tmp_path)
    assert report.returncode == 1
    team = json.loads((tmp_path / "team.json").read_text(encoding="utf-8"))
    assert len(team["people"]) == 2
    assert sorted(team["skipped"]) == ["returned/cy.ods", "returned/dee.xls"]


def test_upgrade_names_the_file_it_could_not_write(bundled: Catalog, tmp_path: Path) -> None:
    build_tracker(bundled.roles["psr-i"], tmp_path / "in" / "ana.xlsx")
    (tmp_path / "out" / "ana.xlsx").mkdir(parents=True)  # a folder where the file would go
    done = trackerkit("upgrade", "in", "-o", "out", "--force", cwd=tmp_path)
    assert done.returncode == 1
    assert "out/ana.xlsx: could not be written (Is a directory)" in said(done)
    assert (tmp_path / "out" / "ana.xlsx").is_dir()


def test_an_xlsm_tracker_is_upgraded_into_an_xlsx(bundled: Catalog, tmp_path: Path) -> None:
    build_tracker(bundled.roles["psr-i"], tmp_path / "in" / "ana.xlsm")  # saved with macros on
    done = trackerkit("upgrade", "in", "-o", "out", "--force", cwd=tmp_path)
    assert done.returncode == 0, said(done)
    assert "in/ana.xlsm -> out/ana.xlsx: " in said(done)
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["ana.xlsx"]
