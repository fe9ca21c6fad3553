"""The command line: messages, formats and exit codes are part of the API."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from conftest import BASE, write_roles
from trackerkit import __version__
from trackerkit.cli import main

if TYPE_CHECKING:
    from pathlib import Path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_validate_bundled_roles(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate")
    assert (code, err) == (0, "")
    assert out == "the bundled roles: 7 roles, 24 competencies and 37 courses, all valid\n"


def test_validate_prints_each_problem_and_a_summary(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles, base=BASE.replace("level: 1", "level: 0"), extra="kind: role\n\tx: 1\n")
    code, out, err = run(capsys, "validate", "roles")
    assert code == 1
    assert out.splitlines() == [
        "roles/base.yaml:5:8: level: 0 is less than the minimum of 1",
        "roles/extra.yaml:2:1: a tab is used for indentation; indent with spaces",
    ]
    assert err == "2 problems in 2 files\n"


def test_validate_json_lists_problems_as_objects(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles, base=BASE.replace("level: 1", "level: 0"))
    code, out, _ = run(capsys, "validate", "roles", "--format", "json")
    assert code == 1
    assert json.loads(out) == [
        {
            "code": "schema.minimum",
            "file": "roles/base.yaml",
            "line": 5,
            "column": 8,
            "path": "level",
            "message": "0 is less than the minimum of 1",
        }
    ]


def test_validate_json_of_a_valid_folder_is_an_empty_list(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles)
    code, out, err = run(capsys, "validate", "roles", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    assert err == "roles: 2 roles, 3 competencies and 3 courses, all valid\n"


@pytest.mark.parametrize(
    "argv",
    [["frobnicate"], [], ["validate", "--format", "xml"], ["validate", "a", "b"]],
)
def test_usage_errors_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    assert caught.value.code == 2
    assert "usage: trackerkit" in capsys.readouterr().err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out == f"trackerkit {__version__}\n"


def test_unexpected_errors_are_one_line_without_traceback(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(_: object) -> object:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("trackerkit.cli.load_catalog", broken)
    code, out, err = run(capsys, "validate")
    assert (code, out) == (1, "")
    assert err == (
        "trackerkit: unexpected error (RuntimeError: disk on fire); "
        "run again with --debug and report it\n"
    )
    with pytest.raises(RuntimeError):
        main(["--debug", "validate"])


def test_python_dash_m_runs_the_cli(roles: Path) -> None:
    write_roles(roles, extra=b"\xff\xfe\x00garbage".decode("latin-1"))
    result = subprocess.run(
        [sys.executable, "-m", "trackerkit", "validate", "roles"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith("roles/extra.yaml:")


def test_an_empty_folder_argument_means_the_working_folder(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles)
    code, out, _ = run(capsys, "validate", "")
    assert (code, out) == (0, ".: 2 roles, 3 competencies and 3 courses, all valid\n")


def test_output_cut_short_by_the_reader_ends_quietly(roles: Path) -> None:
    many = "".join(f"  - id: missing-{n}\n    requirement: required\n" for n in range(3000))
    write_roles(roles, base=BASE.replace("courses:\n", "courses:\n" + many))
    with subprocess.Popen(
        [sys.executable, "-m", "trackerkit", "validate", "roles"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        first = process.stdout.readline()
        process.stdout.close()  # as `| head -1` does
        errors = process.stderr.read().decode()
        code = process.wait()
    assert code == 1
    assert first.startswith(b"roles/base.yaml:")
    assert errors == ""
