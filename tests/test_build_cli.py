"""`trackerkit build` and the batch script: what they write, skip and report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import BASE, BUNDLED_ROLES, LEAD, write_roles
from trackerkit.cli import main
from trackerkit.testing import inspect_tracker

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = set(BUNDLED_ROLES)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_build_writes_one_tracker_per_bundled_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, "build", "-o", str(out))
    assert code == 0
    assert {path.stem for path in out.glob("*.xlsx")} == BUNDLED
    assert stdout == f"{out}: 7 written, 0 unchanged, 0 skipped\n"
    assert inspect_tracker(out / "psr-ii.xlsx").metadata["role_id"] == "psr-ii"


def test_a_second_build_leaves_current_trackers_untouched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    run(capsys, "build", "-o", str(out), "--jobs", "2")
    before = {path.name: path.stat().st_mtime_ns for path in out.glob("*.xlsx")}
    code, stdout, _ = run(capsys, "build", "-o", str(out), "--jobs", "2")
    assert (code, stdout) == (0, f"{out}: 0 written, 7 unchanged, 0 skipped\n")
    assert before == {path.name: path.stat().st_mtime_ns for path in out.glob("*.xlsx")}


def test_parallel_and_serial_builds_give_the_same_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run(capsys, "build", "-o", str(tmp_path / "one"))
    run(capsys, "build", "-o", str(tmp_path / "two"), "--jobs", "2")
    for path in (tmp_path / "one").glob("*.xlsx"):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes()


def test_build_only_the_named_roles(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, _ = run(capsys, "build", "-o", str(out), "--role", "psr-i", "--role", "psr-iii")
    assert code == 0
    assert {path.stem for path in out.glob("*.xlsx")} == {"psr-i", "psr-iii"}


def test_unknown_role_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, stderr = run(capsys, "build", "-o", str(tmp_path), "--role", "psr-v")
    assert code == 1
    assert stderr == (
        "trackerkit: unknown role psr-v; the roles are patient-service-representative, psr-i, "
        "psr-ii-float, psr-ii-site-lead, psr-ii, psr-iii, psr-iv-group-lead\n"
    )
    assert not list(tmp_path.glob("*.xlsx"))


def test_a_filled_tracker_is_skipped_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], roles: Path
) -> None:
    write_roles(roles)
    out = tmp_path / "out"
    run(capsys, "build", str(roles), "-o", str(out))
    tracker = out / "base.xlsx"
    book = openpyxl.load_workbook(tracker)
    ((_, cell),) = list(book.defined_names["Employee_Name"].destinations)
    book["Start Here"][cell.replace("$", "")] = "Ana Diaz"
    book.save(tracker)
    filled = tracker.read_bytes()
    (roles / "base.yaml").write_text(
        (roles / "base.yaml").read_text("utf-8").replace('version: "1.0"', 'version: "1.1"'),
        encoding="utf-8",
    )
    code, stdout, _ = run(capsys, "build", str(roles), "-o", str(out))
    assert code == 1
    assert stdout.splitlines() == [
        f"{tracker}: this tracker has entries; it was left as it is (use --force to replace it)",
        f"{out}: 0 written, 1 unchanged, 1 skipped",  # lead does not change with base's version
    ]
    assert tracker.read_bytes() == filled
    code, stdout, _ = run(capsys, "build", str(roles), "-o", str(out), "--force")
    assert (code, stdout) == (0, f"{out}: 1 written, 1 unchanged, 0 skipped\n")


def test_invalid_roles_write_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], roles: Path
) -> None:
    write_roles(roles, extra="kind: role\n\tid: x\n")
    code, stdout, stderr = run(capsys, "build", str(roles), "-o", str(tmp_path / "out"))
    assert code == 1
    assert stdout == "roles/extra.yaml:2:1: a tab is used for indentation; indent with spaces\n"
    assert stderr == "1 problem; no tracker was written\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("jobs", ["0", "two"])
def test_jobs_must_be_a_positive_number(jobs: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["build", "--jobs", jobs])
    assert caught.value.code == 2
    assert "expected a whole number of 1 or more" in capsys.readouterr().err


def test_batch_script_regenerates_the_bundled_trackers(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_trackers.py"), "-o", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"{tmp_path}: 7 written, 0 unchanged, 0 skipped\n"
    assert {path.stem for path in tmp_path.glob("*.xlsx")} == BUNDLED


def test_one_unwritable_file_does_not_stop_the_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / "psr-i.xlsx").mkdir(parents=True)
    code, stdout, _ = run(capsys, "build", "-o", str(out))
    assert code == 1
    assert stdout.splitlines() == [
        f"{out / 'psr-i.xlsx'}: could not be written (Is a directory)",
        f"{out}: 6 written, 0 unchanged, 1 skipped",
    ]


@pytest.mark.parametrize("content", [b"not a zip at all", b""])
def test_a_file_that_is_not_a_tracker_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "psr-i.xlsx").write_bytes(content)
    code, stdout, _ = run(capsys, "build", "-o", str(out), "--role", "psr-i")
    assert code == 1
    assert "this file is not a tracker trackerkit can read" in stdout
    assert (out / "psr-i.xlsx").read_bytes() == content


def test_a_workbook_that_is_not_a_tracker_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    other = openpyxl.Workbook()
    sheet = other.active
    assert sheet is not None
    sheet["A1"] = "budget"
    other.save(out / "psr-i.xlsx")
    code, stdout, _ = run(capsys, "build", "-o", str(out), "--role", "psr-i")
    assert code == 1
    assert "this file is not a tracker trackerkit can read" in stdout


def test_generated_on_is_recorded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    code, _, _ = run(
        capsys, "build", "-o", str(out), "--role", "psr-i", "--generated-on", "2026-11-23"
    )
    assert code == 0
    assert inspect_tracker(out / "psr-i.xlsx").metadata["generated_on"] == "2026-11-23"
    with pytest.raises(SystemExit) as caught:
        main(["build", "--generated-on", "23/11/2026"])
    assert caught.value.code == 2
    assert "expected a date like 2026-11-23, got '23/11/2026'" in capsys.readouterr().err


def test_progress_bar_on_a_terminal_only(tmp_path: Path) -> None:
    import io

    from trackerkit import build_trackers, load_catalog

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal, pipe = Terminal(), io.StringIO()
    build_trackers(load_catalog(), tmp_path / "a", progress=terminal)
    build_trackers(load_catalog(), tmp_path / "b", progress=pipe)
    assert terminal.getvalue().endswith("] 7/7\n")
    assert terminal.getvalue().count("\r") == 7
    assert pipe.getvalue() == ""


def test_a_zip_bomb_in_the_way_is_left_alone_unopened(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import zipfile

    out = tmp_path / "out"
    out.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"\0" * (300 << 20))
    (out / "psr-i.xlsx").write_bytes(buffer.getvalue())
    code, stdout, _ = run(capsys, "build", "-o", str(out), "--role", "psr-i")
    assert code == 1
    assert "psr-i.xlsx: this file is not a tracker trackerkit can read" in stdout


def test_a_role_whose_id_windows_keeps_for_a_device_gets_a_safe_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], roles: Path
) -> None:
    write_roles(roles, base=BASE.replace("id: base", "id: con"), lead=LEAD.replace("base", "con"))
    out = tmp_path / "out"
    code, stdout, _ = run(capsys, "build", str(roles), "-o", str(out))
    assert code == 0, stdout
    assert sorted(path.name for path in out.iterdir()) == ["lead.xlsx", "role-con.xlsx"]
    assert inspect_tracker(out / "role-con.xlsx").metadata["role_id"] == "con"
