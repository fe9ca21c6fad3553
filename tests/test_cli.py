"""The command line: messages, formats and exit codes are part of the API."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from conftest import BASE, COURSES, write_roles
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
    assert out == (
        "the bundled roles: 7 roles, 24 competencies and 37 courses, all valid; "
        "10 sample notes to replace (see --strict)\n"
    )


SAMPLED_BASE = BASE.replace('version: "1.0"\n', 'version: "1.0"\nsample: Targets are samples.\n')
SAMPLED_COURSES = COURSES.replace("kind: courses\n", "kind: courses\nsample: >-\n  Made up.\n")


def test_validate_counts_sample_notes_without_failing(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles, base=SAMPLED_BASE, courses=SAMPLED_COURSES)
    code, out, err = run(capsys, "validate", "roles")
    assert (code, err) == (0, "")
    assert out.endswith("all valid; 2 sample notes to replace (see --strict)\n")
    write_roles(roles)
    code, out, _ = run(capsys, "validate", "roles")
    assert code == 0
    assert out.endswith("all valid\n")


def test_validate_strict_fails_at_each_sample_note(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles, base=SAMPLED_BASE, courses=SAMPLED_COURSES)
    code, out, err = run(capsys, "validate", "roles", "--strict")
    assert code == 1
    what = "sample: this file is marked as sample content; replace the sample content, then "
    assert out.splitlines() == [
        f"roles/base.yaml:7:1: {what}delete this note",
        f"roles/courses.yaml:2:1: {what}delete this note",
    ]
    assert err == "2 problems in 2 files\n"
    code, out, _ = run(capsys, "validate", "roles", "--strict", "--format", "json")
    assert code == 1
    assert {(item["code"], item["file"], item["line"]) for item in json.loads(out)} == {
        ("sample.content", "roles/base.yaml", 7),
        ("sample.content", "roles/courses.yaml", 2),
    }


def test_validate_strict_passes_once_the_samples_are_replaced(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles)
    code, out, err = run(capsys, "validate", "roles", "--strict")
    assert (code, err) == (0, "")
    assert out.endswith("all valid\n")


def test_validate_strict_lists_samples_beside_other_problems(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles, base=SAMPLED_BASE.replace("level: 1", "level: 0"))
    code, out, _ = run(capsys, "validate", "roles", "--strict")
    assert code == 1
    assert [line.split(": ", 1)[0] for line in out.splitlines()] == [
        "roles/base.yaml:5:8",
        "roles/base.yaml:7:1",
    ]


def test_validate_strict_fails_on_the_bundled_samples(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--strict")
    assert code == 1
    files = [line.split(":", 1)[0] for line in out.splitlines()]
    assert len(files) == len(set(files)) == 10
    assert sum("/stories/" in file for file in files) == 2
    assert all(line.endswith("then delete this note") for line in out.splitlines())
    assert err == "10 problems in 10 files\n"


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
    def broken(*_: object, **__: object) -> object:
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


# --- one tool: commands, --roles, -o, folders, lock files, one form per file ----------------

USAGE = "usage: trackerkit [-h] [--version] [--debug] COMMAND ...\n"
COMMAND_LIST = (
    "commands:\n"
    "  validate  check role, competency and course files\n"
    "  build     write one tracker workbook per role\n"
    "  read      read filled-in trackers back into JSON or CSV\n"
    "  upgrade   carry filled-in trackers into the current version of their roles\n"
    "  update    bring a learning-system export's completions into filled-in trackers\n"
    "  report    one team workbook (or CSV or JSON) from a folder of returned trackers\n"
    "  site      write the career path resource center: web pages with the trackers\n"
)


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as caught:
        main(list(argv))
    assert caught.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    return captured.err


def test_trackerkit_alone_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert usage_error(capsys) == (
        USAGE + COMMAND_LIST + "Run 'trackerkit COMMAND --help' for its options.\n"
    )
    assert usage_error(capsys, "--debug").startswith(USAGE + COMMAND_LIST)


def test_help_lists_every_command_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["--help"])
    assert caught.value.code == 0
    shown = " ".join(capsys.readouterr().out.split())  # argparse wraps long help lines
    for line in COMMAND_LIST.splitlines()[1:]:
        name, purpose = line.split(maxsplit=1)
        assert name in shown
        assert purpose in shown


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("biuld", "did you mean 'build'?"),
        ("valdiate", "did you mean 'validate'?"),
        ("reports", "did you mean 'report'?"),
        ("frobnicate", "the commands are validate, build, read, upgrade, update, report, site"),
    ],
)
def test_a_mistyped_command_gets_a_suggestion(
    typed: str, hint: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert usage_error(capsys, typed, "roles") == (
        USAGE + f"trackerkit: error: unknown command '{typed}'; {hint}\n"
    )


@pytest.mark.parametrize("command", ["validate", "build", "read", "upgrade", "report"])
def test_every_command_takes_roles(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([command, "--help"])
    assert caught.value.code == 0
    assert "--roles ROLES_DIR" in capsys.readouterr().out


def test_validate_and_build_take_the_roles_either_way(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles)
    valid = "roles: 2 roles, 3 competencies and 3 courses, all valid\n"
    assert run(capsys, "validate", "--roles", "roles") == (0, valid, "")
    assert run(capsys, "validate", "roles") == (0, valid, "")
    assert run(capsys, "build", "--roles", "roles", "-o", "out") == (
        0,
        "out: 2 written, 0 unchanged, 0 skipped\n",
        "",
    )
    assert run(capsys, "build", "roles", "-o", "out") == (
        0,
        "out: 0 written, 2 unchanged, 0 skipped\n",
        "",
    )
    for command in ("validate", "build"):
        assert run(capsys, command, "roles", "--roles", "roles") == (
            2,
            "",
            f"trackerkit {command}: give the roles folder once, as ROLES_DIR or as --roles\n",
        )


def test_build_out_must_be_a_folder_or_one_workbook(
    roles: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_roles(roles)
    (roles.parent / "notes.txt").write_text("mine", encoding="utf-8")
    assert run(capsys, "build", "roles", "-o", "notes.txt") == (
        2,
        "",
        "trackerkit build: -o notes.txt is a file, not a folder; give a folder for the trackers\n",
    )
    several = (
        "trackerkit build: -o team.xlsx names one workbook, but several trackers are built; "
        "give a folder (or build one --role into it)\n"
    )
    assert run(capsys, "build", "roles", "-o", "team.xlsx") == (2, "", several)
    two = ("--role", "base", "--role", "lead")
    assert run(capsys, "build", "roles", "-o", "team.xlsx", *two) == (2, "", several)
    assert (roles.parent / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (roles.parent / "team.xlsx").exists()
    assert run(capsys, "build", "roles", "-o", "base.xlsx", "--role", "base") == (
        0,
        "base.xlsx: 1 written, 0 unchanged, 0 skipped\n",
        "",
    )
    assert (roles.parent / "base.xlsx").read_bytes()[:2] == b"PK"


@pytest.fixture
def two_trackers(roles: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """``trackers/base.xlsx`` and ``trackers/lead.xlsx``, built from ``roles/``."""
    write_roles(roles)
    assert main(["build", "roles", "-o", "trackers"]) == 0
    capsys.readouterr()
    return roles.parent / "trackers"


def test_upgrade_out_must_fit_what_is_upgraded(
    two_trackers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (two_trackers.parent / "notes.txt").write_text("mine", encoding="utf-8")
    assert run(capsys, "upgrade", "trackers", "-o", "one.xlsx", "--roles", "roles") == (
        2,
        "",
        "trackerkit upgrade: -o one.xlsx names one workbook, but 2 trackers are upgraded; "
        "give a folder\n",
    )
    assert run(capsys, "upgrade", "trackers", "-o", "notes.txt", "--roles", "roles") == (
        2,
        "",
        "trackerkit upgrade: -o notes.txt is a file, not a folder; give a folder or a .xlsx name\n",
    )
    code, out, _ = run(
        capsys, "upgrade", "trackers/base.xlsx", "-o", "one.xlsx", "--roles", "roles", "--force"
    )
    assert (code, out) == (0, "trackers/base.xlsx -> one.xlsx: 0 carried, 0 archived, 0 added\n")


@pytest.mark.parametrize("command", ["read", "report"])
def test_an_out_file_that_is_a_folder_is_a_usage_error(
    two_trackers: Path, command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (two_trackers.parent / "out").mkdir()
    assert run(capsys, command, "trackers", "-o", "out", "--roles", "roles") == (
        2,
        "",
        f"trackerkit {command}: -o out is a folder; give the name of a file to write\n",
    )


def test_a_folder_without_trackers_is_a_warning(
    two_trackers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (two_trackers.parent / "empty").mkdir()
    (two_trackers.parent / "empty" / "notes.txt").write_text("x", encoding="utf-8")
    warning = "empty: warning: the folder has no .xlsx files\n"
    assert run(capsys, "read", "empty", "--roles", "roles") == (
        0,
        "[]\n",
        warning + "0 trackers read: 0 errors, 0 warnings\n",
    )
    assert run(capsys, "upgrade", "empty", "-o", "new", "--roles", "roles") == (
        0,
        "",
        warning + "0 upgraded, 0 already current, 0 skipped\n",
    )
    code, out, err = run(capsys, "read", "empty", "trackers", "--roles", "roles")
    assert (code, err.splitlines()[0]) == (0, warning.strip())
    assert len(json.loads(out)) == 2
    code, _, err = run(capsys, "report", "empty", "trackers", "-o", "team.json", "--roles", "roles")
    assert (code, err) == (0, warning)


def test_an_excel_lock_file_is_said_to_be_open_in_excel(
    two_trackers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lock = two_trackers / "~$base.xlsx"
    lock.write_bytes(b"\x05Ana D" + b"\x20" * 50)
    line = (
        "trackers/~$base.xlsx: is not a tracker but the lock file Excel keeps while base.xlsx "
        "is open; close base.xlsx in Excel and run again"
    )
    code, _, err = run(capsys, "read", "trackers/~$base.xlsx", "--roles", "roles")
    assert (code, err.splitlines()[0]) == (1, line)
    code, _, err = run(capsys, "upgrade", "trackers/~$base.xlsx", "-o", "new", "--roles", "roles")
    assert (code, err.splitlines()[0]) == (1, line)
    code, _, err = run(capsys, "report", "trackers/~$base.xlsx", "-o", "t.json", "--roles", "roles")
    assert (code, err.splitlines()[0]) == (1, line)
    code, out, err = run(capsys, "read", "trackers", "--roles", "roles")  # a folder skips it
    assert (code, len(json.loads(out)), err) == (0, 2, "2 trackers read: 0 errors, 0 warnings\n")


def test_a_file_that_cannot_be_read_is_one_line_of_one_form_in_every_command(
    two_trackers: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (two_trackers / "notes.xlsx").write_text("not a workbook", encoding="utf-8")
    line = "trackers/notes.xlsx: is not an Excel workbook; save it as .xlsx"
    for argv in (
        ("read", "trackers", "--roles", "roles"),
        ("upgrade", "trackers", "-o", "new", "--roles", "roles"),
        ("report", "trackers", "-o", "team.json", "--roles", "roles"),
    ):
        code, _, err = run(capsys, *argv)
        assert code == 1
        assert err.splitlines()[0] == line, argv


def test_the_readme_counts_and_names_the_commands() -> None:
    from pathlib import Path

    from trackerkit.cli import COMMANDS

    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    found = re.search(r"lists its (\w+) commands\s+\(([^)]*)\)", readme)
    assert found is not None
    words = {5: "five", 6: "six", 7: "seven", 8: "eight"}
    assert found[1] == words[len(COMMANDS)]
    assert re.findall(r"`(\w+)`", found[2]) == list(COMMANDS)
