"""The ``trackerkit`` command: argument parsing and printing around the public API.

Every subcommand returns an exit code: 0 when all went well, 1 when the input
has problems, 2 for usage errors. No traceback reaches the person at the
terminal unless they ask for it with ``--debug``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from trackerkit import __version__
from trackerkit.build import build_trackers
from trackerkit.catalog import load_catalog
from trackerkit.errors import CatalogError, TrackerkitError
from trackerkit.writer import TrackerOptions

if TYPE_CHECKING:
    from collections.abc import Sequence


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trackerkit",
        description="Turn career-path definitions into Excel tracker workbooks, and back.",
    )
    parser.add_argument("--version", action="version", version=f"trackerkit {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for unexpected errors"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    validate = commands.add_parser(
        "validate",
        help="check role, competency and course files",
        description="Check every YAML file in a roles folder and report each problem "
        "with its file, line and column.",
    )
    validate.add_argument(
        "roles_dir",
        nargs="?",
        metavar="ROLES_DIR",
        help="the folder of role files (default: the bundled career path)",
    )
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="'text' (default): one problem a line; 'json': a list of objects",
    )
    validate.set_defaults(run=_validate)
    build = commands.add_parser(
        "build",
        help="write one tracker workbook per role",
        description="Check the roles, then write one tracker per role into OUT_DIR. A tracker "
        "that is already up to date is left untouched; one that someone has filled in is "
        "never replaced unless --force is given.",
    )
    build.add_argument(
        "roles_dir",
        nargs="?",
        metavar="ROLES_DIR",
        help="the folder of role files (default: the bundled career path)",
    )
    build.add_argument(
        "-o",
        "--out",
        default="trackers",
        metavar="OUT_DIR",
        help="where to write the trackers (default: ./trackers)",
    )
    build.add_argument(
        "--role",
        action="append",
        metavar="ID",
        dest="roles",
        help="build only this role (repeat for several)",
    )
    build.add_argument(
        "--jobs",
        type=_positive,
        default=1,
        metavar="N",
        help="build N trackers at a time (default: 1)",
    )
    build.add_argument(
        "--force", action="store_true", help="replace trackers even when someone has filled them in"
    )
    build.add_argument(
        "--generated-on",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the generation date to record in each tracker (default: none, so an unchanged "
        "role gives an unchanged file)",
    )
    build.set_defaults(run=_build)
    return parser


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date like 2026-11-23, got {text!r}") from None


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return value


def _build(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.roles_dir)
    except CatalogError as error:
        for problem in error.problems:
            print(problem)
        count = len(error.problems)
        print(
            f"{count} {'problem' if count == 1 else 'problems'}; no tracker was written",
            file=sys.stderr,
        )
        return 1
    report = build_trackers(
        catalog,
        args.out,
        role_ids=args.roles,
        jobs=args.jobs,
        force=args.force,
        options=TrackerOptions(generated_on=args.generated_on),
        progress=sys.stderr,
    )
    for message in report.skipped:
        print(message)
    print(report.summary(args.out))
    return 1 if report.skipped else 0


def _validate(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.roles_dir)
    except CatalogError as error:
        if args.format == "json":
            print(json.dumps([problem.to_dict() for problem in error.problems], indent=2))
        else:
            for problem in error.problems:
                print(problem)
        files = len({problem.file for problem in error.problems})
        count = len(error.problems)
        print(
            f"{count} {'problem' if count == 1 else 'problems'} in "
            f"{files} {'file' if files == 1 else 'files'}",
            file=sys.stderr,
        )
        return 1
    if args.format == "json":
        print("[]")
    where = "the bundled roles" if args.roles_dir is None else Path(args.roles_dir).as_posix()
    print(
        f"{where}: {len(catalog.roles)} roles, {len(catalog.competencies)} competencies and "
        f"{len(catalog.courses)} courses, all valid",
        file=sys.stderr if args.format == "json" else sys.stdout,
    )
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except TrackerkitError as error:
        print(f"trackerkit: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("trackerkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``| head``): stop quietly, like other tools.
        sys.stderr.close()
        return 1
    except Exception as error:
        if args.debug:
            raise
        print(
            f"trackerkit: unexpected error ({type(error).__name__}: {error}); "
            "run again with --debug and report it",
            file=sys.stderr,
        )
        return 1
    return code
