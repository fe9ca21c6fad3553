"""The ``trackerkit`` command: argument parsing and printing around the public API.

Every subcommand returns an exit code: 0 when all went well, 1 when the input
has problems, 2 for usage errors. No traceback reaches the person at the
terminal unless they ask for it with ``--debug``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import re
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, TextIO

from trackerkit.errors import CatalogError, TrackerkitError

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

    from trackerkit.errors import Problem
    from trackerkit.model import Catalog
    from trackerkit.reader import ReadReport
    from trackerkit.report import ReportFormat
    from trackerkit.roster import ExportFormat


COMMANDS = {
    "validate": "check role, competency and course files",
    "build": "write one tracker workbook per role",
    "read": "read filled-in trackers back into JSON or CSV",
    "upgrade": "carry filled-in trackers into the current version of their roles",
    "update": "bring a learning-system export's completions into filled-in trackers",
    "report": "one team workbook (or CSV or JSON) from a folder of returned trackers",
    "site": "write the career path resource center: web pages with the trackers",
}
"""Each command and what it is for, as the command list and each command's help show it."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trackerkit",
        description="Turn career-path definitions into Excel tracker workbooks, and back.",
    )
    parser.add_argument("--version", action=_Version, help="show the version and exit")
    parser.add_argument(
        "--debug", action="store_true", help="show Python tracebacks for unexpected errors"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    validate = commands.add_parser(
        "validate",
        help=COMMANDS["validate"],
        description="Check every YAML file in a roles folder and report each problem "
        "with its file, line and column.",
    )
    _roles_arguments(validate)
    validate.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="'text' (default): one problem a line; 'json': a list of objects",
    )
    validate.add_argument(
        "--strict",
        action="store_true",
        help="also fail while any file still has a 'sample' note (sample content to replace)",
    )
    validate.set_defaults(run=_validate)
    build = commands.add_parser(
        "build",
        help=COMMANDS["build"],
        description="Check the roles, then write one tracker per role into OUT_DIR. A tracker "
        "that is already up to date is left untouched; one that someone has filled in is "
        "never replaced unless --force is given.",
    )
    _roles_arguments(build)
    build.add_argument(
        "-o",
        "--out",
        default="trackers",
        metavar="OUT_DIR",
        help="the folder to write the trackers into (default: ./trackers), or one .xlsx file "
        "when one --role is built",
    )
    build.add_argument(
        "--role",
        action="append",
        metavar="ID",
        dest="role_ids",
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
        "--roster",
        metavar="ROSTER.csv",
        help="write one prefilled tracker per employee of this CSV (columns employee_id, "
        "name, manager, location, current_role, target_role) instead of one per role",
    )
    build.add_argument(
        "--completions",
        metavar="COMPLETIONS.csv",
        help="with --roster: a learning-system export of completed courses (columns "
        "employee_id, course_id, completed_on, and optionally status)",
    )
    _export_arguments(build, "with --completions: ")
    build.add_argument(
        "--generated-on",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the generation date to record in each tracker (default: none, so an unchanged "
        "role gives an unchanged file)",
    )
    build.set_defaults(run=_build)
    read = commands.add_parser(
        "read",
        help=COMMANDS["read"],
        description="Read each tracker (or every .xlsx in a folder) and print what was entered "
        "as JSON or CSV. Problems are listed on standard error with their sheet and cell; the "
        "exit code is 1 when any file has errors or could not be read.",
    )
    read.add_argument("files", nargs="+", metavar="FILE", help="a tracker, or a folder of them")
    read.add_argument(
        "--format",
        choices=("json", "csv"),
        default="json",
        help="'json' (default): one object per tracker; 'csv': one row per course and "
        "competency entry",
    )
    read.add_argument(
        "-o", "--out", metavar="OUT", help="write to this file instead of standard output"
    )
    _roles_option(
        read, "the roles folder the trackers were made from (default: the bundled career path)"
    )
    read.add_argument(
        "--as-of",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the day a completion date may not be after, and renewals are due from "
        "(default: today)",
    )
    read.set_defaults(run=_read)
    upgrade = commands.add_parser(
        "upgrade",
        help=COMMANDS["upgrade"],
        description="Write each tracker anew from its role's current definition, carrying every "
        "entry over by course and competency id. Entries whose course or competency left the "
        "role go to an 'Archived entries' sheet. A tracker already current is left as it is "
        "unless --force; writing over a tracker (upgrading in place) also needs --force.",
    )
    upgrade.add_argument("files", nargs="+", metavar="FILE_OR_DIR", help="a tracker or a folder")
    upgrade.add_argument(
        "-o", "--out", required=True, metavar="OUT", help="a folder, or one .xlsx file"
    )
    _roles_option(upgrade, "the current roles folder (default: the bundled career path)")
    upgrade.add_argument(
        "--force",
        action="store_true",
        help="upgrade trackers already current too, and replace trackers in the way",
    )
    upgrade.set_defaults(run=_upgrade)
    update = commands.add_parser(
        "update",
        help=COMMANDS["update"],
        description="Bring the completions of a learning-system export into each tracker "
        "(found by the Employee ID on Start Here): a course becomes Completed on the export's "
        "day, unless the tracker holds a later completion date, Waived, or Completed on "
        "another day; each such conflict is listed with its cell and the tracker's value "
        "kept. Nothing else in a tracker changes. Writing over a tracker (updating in place) "
        "needs --force.",
    )
    update.add_argument("files", nargs="+", metavar="FILE_OR_DIR", help="a tracker or a folder")
    update.add_argument(
        "--completions",
        required=True,
        metavar="COMPLETIONS.csv",
        help="the learning-system export (columns employee_id, course_id, completed_on, and "
        "optionally status; see --columns)",
    )
    update.add_argument(
        "-o", "--out", required=True, metavar="OUT", help="a folder, or one .xlsx file"
    )
    _export_arguments(update, "")
    _roles_option(update, "the current roles folder (default: the bundled career path)")
    update.add_argument(
        "--force", action="store_true", help="replace trackers in the way (to update in place)"
    )
    update.set_defaults(run=_update)
    report = commands.add_parser(
        "report",
        help=COMMANDS["report"],
        description="Read every tracker and write a team report: per person, per course, a "
        "competency heatmap, the overdue list and every problem met. A file that cannot be read "
        "is listed, and the rest reported; the exit code is then 1.",
    )
    report.add_argument("files", nargs="+", metavar="FILE_OR_DIR", help="trackers or folders")
    report.add_argument("-o", "--out", required=True, metavar="OUT", help="the report to write")
    report.add_argument(
        "--format",
        choices=("xlsx", "csv", "json"),
        help="the report's format (default: from OUT's extension, else xlsx)",
    )
    _roles_option(
        report, "the roles folder the trackers were made from (default: the bundled career path)"
    )
    report.add_argument(
        "--jobs", type=_positive, default=1, metavar="N", help="read N trackers at a time"
    )
    report.add_argument(
        "--as-of",
        type=_iso_date,
        metavar="YYYY-MM-DD",
        help="the day overdue courses and renewals due are counted from (default: today)",
    )
    report.add_argument(
        "--force",
        action="store_true",
        help="write OUT even when it is a file other than a team report (say, a tracker)",
    )
    report.set_defaults(run=_report)
    site = commands.add_parser(
        "site",
        help=COMMANDS["site"],
        description="Check the roles, then write a static web site into OUT_DIR: the career "
        "path map, a page per role with its tracker to download, the competencies and the "
        "career stories. The site is built beside OUT_DIR and swapped in whole; trackers "
        "already current are kept. A folder that is not a site trackerkit built is never "
        "replaced.",
    )
    _roles_arguments(site)
    site.add_argument(
        "-o",
        "--out",
        default="site",
        metavar="OUT_DIR",
        help="the folder to write the site into (default: ./site)",
    )
    site.set_defaults(run=_site)
    return parser


def _written(write: Callable[[], object], out: str) -> bool:
    """Run ``write``; say in one line why ``out`` could not be written, if it could not."""
    try:
        write()
    except OSError as error:
        _cannot_write(out, error)
        return False
    return True


def _cannot_write(out: str, error: OSError) -> None:
    _say(f"{out}: cannot be written ({error.strerror or error})", file=sys.stderr)


def _roles_or_report(roles_dir: str | None, nothing_done: str) -> Catalog | None:
    """The roles, or None after listing their problems and what was not done because of them."""
    try:
        return load_catalog(roles_dir)
    except CatalogError as error:
        for problem in error.problems:
            _say(problem, file=sys.stderr)
        _say(f"the roles have problems; {nothing_done}", file=sys.stderr)
        return None


def _export_arguments(parser: argparse.ArgumentParser, lead: str) -> None:
    """--columns and --date-format: how a learning system writes its export."""
    parser.add_argument(
        "--columns",
        type=_columns,
        metavar="MAP",
        help=f"{lead}the export's own header for each column, such as "
        'employee_id="User ID",course_id="Course ID",completed_on="Completion Date"',
    )
    parser.add_argument(
        "--date-format",
        type=_date_format,
        metavar="FORMAT",
        help=f"{lead}how the export writes dates, such as %%m/%%d/%%Y or %%d.%%m.%%Y "
        "(default: 2026-03-31, or as Excel writes it)",
    )


def _columns(text: str) -> dict[str, str]:
    from trackerkit.roster import parse_columns

    try:
        return parse_columns(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _date_format(text: str) -> str:
    from trackerkit.roster import check_date_format

    try:
        return check_date_format(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _export_format(args: argparse.Namespace) -> ExportFormat:
    from trackerkit.roster import ExportFormat

    return ExportFormat(MappingProxyType(args.columns or {}), args.date_format)


def _column_missing(problems: Sequence[Problem]) -> bool:
    """Whether the export's header lacks a column --columns names: a usage error (exit 2)."""
    from trackerkit.problem_codes import Code

    return any(problem.code is Code.COMPLETIONS_COLUMN for problem in problems)


def _roles_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    parser.add_argument("--roles", metavar="ROLES_DIR", help=help_text)


def _roles_arguments(parser: argparse.ArgumentParser) -> None:
    """ROLES_DIR as a positional (as it always was) or as --roles, like every other command."""
    parser.add_argument(
        "roles_dir",
        nargs="?",
        metavar="ROLES_DIR",
        help="the folder of role files (default: the bundled career path); the same as --roles",
    )
    _roles_option(parser, "the folder of role files (default: the bundled career path)")


def _roles_dir(args: argparse.Namespace) -> str | None:
    """The roles folder given as ROLES_DIR or --roles; a usage error when both are given."""
    if args.roles_dir is not None and args.roles is not None:
        _usage_error(args, "give the roles folder once, as ROLES_DIR or as --roles")
    roles_dir: str | None = args.roles if args.roles is not None else args.roles_dir
    return roles_dir


class _UsageError(Exception):
    """A usage error found after parsing: one line, then exit code 2."""


def _usage_error(args: argparse.Namespace, message: str) -> None:
    raise _UsageError(f"trackerkit {args.command}: {message}")


class _Version(argparse.Action):
    """--version, with the version looked up only when asked for: start-up stays short."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help=str(kwargs.get("help", "")))

    def __call__(self, parser: argparse.ArgumentParser, *_: object) -> None:
        from trackerkit.version import package_version

        sys.stdout.write(f"trackerkit {package_version()}\n")
        parser.exit()


def load_catalog(roles_dir: str | None, *, strict: bool = False) -> Catalog:
    """The catalog of ``roles_dir`` (default: the bundled roles), imported when first needed."""
    from trackerkit.catalog import load_catalog as load

    return load(roles_dir, strict=strict)


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
    from trackerkit.build import build_one, build_roster, build_trackers
    from trackerkit.writer import TrackerOptions

    if args.roster and args.role_ids:
        _say("trackerkit build: --role and --roster do not go together", file=sys.stderr)
        return 2
    if args.completions and not args.roster:
        _say("trackerkit build: --completions needs --roster", file=sys.stderr)
        return 2
    if (args.columns or args.date_format) and not args.completions:
        _say("trackerkit build: --columns and --date-format need --completions", file=sys.stderr)
        return 2
    roles_dir = _roles_dir(args)
    one_file = _build_out(args)
    try:
        catalog = load_catalog(roles_dir)
    except CatalogError as error:
        for problem in error.problems:
            _say(problem)
        count = len(error.problems)
        _say(
            f"{count} {'problem' if count == 1 else 'problems'}; no tracker was written",
            file=sys.stderr,
        )
        return 1
    options = TrackerOptions(generated_on=args.generated_on)
    if one_file:
        (role_id,) = args.role_ids
        report = build_one(
            catalog, role_id, args.out, force=args.force, options=options, progress=sys.stderr
        )
    elif args.roster:
        report = build_roster(
            catalog,
            args.roster,
            args.out,
            completions=args.completions,
            export_format=_export_format(args),
            jobs=args.jobs,
            force=args.force,
            options=options,
            progress=sys.stderr,
        )
    else:
        report = build_trackers(
            catalog,
            args.out,
            role_ids=args.role_ids,
            jobs=args.jobs,
            force=args.force,
            options=options,
            progress=sys.stderr,
        )
    for problem in report.problems:
        _say(problem)
    for warning in report.warnings:
        _say(f"warning: {warning}")
    for skipped in report.skipped:
        _say(skipped.line(force="--force"))
    _say(report.summary(args.out))
    if _column_missing(report.problems):
        return 2
    return 0 if report.ok else 1


def _read(args: argparse.Namespace) -> int:
    from trackerkit import atomic
    from trackerkit.export import to_csv, to_json
    from trackerkit.reader import read_trackers

    if args.out and Path(args.out).suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        _say(
            f"trackerkit read: -o {args.out} names a workbook; give a .json or .csv file",
            file=sys.stderr,
        )
        return 2
    _file_out(args)
    _warn_empty_folders(args.files)
    catalog = _roles_or_report(args.roles, "no tracker was read")
    if catalog is None:
        return 1
    report = read_trackers(args.files, catalog=catalog, as_of=args.as_of)
    for failure in report.failures:
        _say(failure, file=sys.stderr)
    for tracker in report.trackers:
        for found in tracker.problems:
            _say(f"{tracker.file}: {found}", file=sys.stderr)
    single = len(args.files) == 1 and not Path(args.files[0]).is_dir()
    if report.trackers or not single:
        text = (
            to_csv(report.trackers)
            if args.format == "csv"
            else to_json(report.trackers, single=single and len(report.trackers) == 1)
        )
        if args.out:
            if not _written(
                lambda: atomic.write_bytes(Path(args.out), text.encode("utf-8")), args.out
            ):
                return 1
        else:
            sys.stdout.write(text)
    _say(_read_summary(report), file=sys.stderr)
    return 0 if report.ok else 1


def _read_summary(report: ReadReport) -> str:
    errors = sum(len(t.errors) for t in report.trackers)
    warnings = sum(len(t.problems) for t in report.trackers) - errors
    count = len(report.trackers)
    line = (
        f"{count} {'tracker' if count == 1 else 'trackers'} read: "
        f"{errors} {'error' if errors == 1 else 'errors'}, "
        f"{warnings} {'warning' if warnings == 1 else 'warnings'}"
    )
    if report.failures:
        failed = len(report.failures)
        line += f"; {failed} {'file' if failed == 1 else 'files'} could not be read"
    return line


def _rewrite_inputs(args: argparse.Namespace, done: str) -> Catalog | None:
    """The checks of a command that writes each tracker given anew (``done``: upgraded,
    updated): -o fits the inputs, empty folders named; then the roles, or None."""
    _one_output_per_input(args, done)
    _warn_empty_folders(args.files)
    return _roles_or_report(args.roles, f"no tracker was {done}")


def _upgrade(args: argparse.Namespace) -> int:
    from trackerkit.upgrade import upgrade_trackers

    catalog = _rewrite_inputs(args, "upgraded")
    if catalog is None:
        return 1
    results = upgrade_trackers(args.files, args.out, catalog=catalog, force=args.force)
    for result in results:
        _say(
            result.line(force="--force"),
            file=sys.stdout if result.outcome != "skipped" else sys.stderr,
        )
    counts = {
        outcome: sum(r.outcome == outcome for r in results)
        for outcome in ("upgraded", "current", "skipped")
    }
    _say(
        f"{counts['upgraded']} upgraded, {counts['current']} already current, "
        f"{counts['skipped']} skipped",
        file=sys.stderr,
    )
    return 1 if counts["skipped"] else 0


def _update(args: argparse.Namespace) -> int:
    from trackerkit.update import update_trackers

    catalog = _rewrite_inputs(args, "updated")
    if catalog is None:
        return 1
    report = update_trackers(
        args.files,
        args.completions,
        args.out,
        catalog=catalog,
        export_format=_export_format(args),
        force=args.force,
    )
    for problem in report.problems:
        _say(problem, file=sys.stderr)
    for warning in report.warnings:
        _say(f"warning: {warning}", file=sys.stderr)
    if _column_missing(report.problems):
        return 2
    for result in report.results:
        _say(
            result.line(force="--force"),
            file=sys.stdout if result.outcome != "skipped" else sys.stderr,
        )
        # The cell is where trackerkit lays the course out: in the file written, if any.
        where = result.target if result.outcome == "updated" else result.source
        for conflict in result.conflicts:
            _say(f"{where}: {conflict}", file=sys.stderr)
    _say(report.summary(), file=sys.stderr)
    return 0 if report.ok else 1


def _report(args: argparse.Namespace) -> int:
    from trackerkit.build import KeptError
    from trackerkit.reader import tracker_files
    from trackerkit.report import report_trackers

    out = Path(args.out)
    suffixes: dict[str, ReportFormat] = {".csv": "csv", ".json": "json"}
    fmt: ReportFormat = args.format or suffixes.get(out.suffix.lower(), "xlsx")
    if out.resolve() in {file.resolve() for file in tracker_files(args.files)}:
        _say(f"trackerkit report: -o {args.out} is one of the trackers to read", file=sys.stderr)
        return 2
    _file_out(args)
    _warn_empty_folders(args.files)
    catalog = _roles_or_report(args.roles, "no report was written")
    if catalog is None:
        return 1
    as_of = args.as_of or dt.datetime.now(dt.timezone.utc).astimezone().date()
    try:
        team = report_trackers(
            args.files,
            out,
            catalog,
            as_of=as_of,
            fmt=fmt,
            jobs=args.jobs,
            progress=sys.stderr,
            force=args.force,
        )
    except KeptError as error:
        _say(error.skipped.line(force="--force"), file=sys.stderr)
        return 1
    except OSError as error:
        _cannot_write(args.out, error)
        return 1
    for met in team.problems:
        _say(met, file=sys.stderr)
    people = len(team.people)
    line = f"{args.out}: {people} {'person' if people == 1 else 'people'}"
    line += f", {len(team.problems)} {'problem' if len(team.problems) == 1 else 'problems'}"
    if team.skipped:
        line += f"; {len(team.skipped)} {'file' if len(team.skipped) == 1 else 'files'} left out"
    _say(line)
    return 0 if team.ok else 1


def _site(args: argparse.Namespace) -> int:
    from trackerkit.site import build_site

    roles_dir = _roles_dir(args)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        _usage_error(args, f"-o {args.out} is a file, not a folder; give a folder for the site")
    catalog = _roles_or_report(roles_dir, "no site was written")
    if catalog is None:
        return 1
    try:
        report = build_site(catalog, out)
    except OSError as error:
        _cannot_write(args.out, error)
        return 1
    _say(report.summary())
    return 0


def _validate(args: argparse.Namespace) -> int:
    roles_dir = _roles_dir(args)
    try:
        catalog = load_catalog(roles_dir, strict=args.strict)
    except CatalogError as error:
        if args.format == "json":
            print(json.dumps([problem.to_dict() for problem in error.problems], indent=2))
        else:
            for problem in error.problems:
                _say(problem)
        files = len({problem.file for problem in error.problems})
        count = len(error.problems)
        _say(
            f"{count} {'problem' if count == 1 else 'problems'} in "
            f"{files} {'file' if files == 1 else 'files'}",
            file=sys.stderr,
        )
        return 1
    if args.format == "json":
        print("[]")
    where = "the bundled roles" if roles_dir is None else Path(roles_dir).as_posix()
    _say(
        f"{where}: {len(catalog.roles)} roles, {len(catalog.competencies)} competencies and "
        f"{len(catalog.courses)} courses, all valid{_samples_left(catalog)}",
        file=sys.stderr if args.format == "json" else sys.stdout,
    )
    return 0


def _samples_left(catalog: Catalog) -> str:
    """The sample notes still to replace, for validate's summary: not problems without --strict."""
    notes = sum(role.sample is not None for role in catalog.roles.values())
    notes += len({course.sample for course in catalog.courses.values() if course.sample})
    notes += sum(story.sample is not None for story in catalog.stories)
    if not notes:
        return ""
    return f"; {notes} sample {'note' if notes == 1 else 'notes'} to replace (see --strict)"


def _check_command(parser: argparse.ArgumentParser, argv: Sequence[str]) -> None:
    """Exit 2 with the list of commands when none is given, or a suggestion for a mistyped one.

    No command is a usage error like any missing argument (exit 2, as argparse
    does); ``trackerkit --help`` prints the same list and exits 0.
    """
    given = next((arg for arg in argv if not arg.startswith("-")), None)
    if given is None:
        if not any(arg in ("-h", "--help", "--version") for arg in argv):
            parser.print_usage(sys.stderr)
            parser.exit(2, f"{_command_list()}\nRun 'trackerkit COMMAND --help' for its options.\n")
        return
    if given not in COMMANDS:
        close = difflib.get_close_matches(given, COMMANDS, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"the commands are {', '.join(COMMANDS)}"
        parser.error(f"unknown command '{given}'; {hint}")


def _command_list() -> str:
    width = max(map(len, COMMANDS))
    return "commands:\n" + "\n".join(
        f"  {name:<{width}}  {purpose}" for name, purpose in COMMANDS.items()
    )


_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What a terminal would act on rather than show: control characters (line breaks, escape
sequences), C1 controls, Unicode line separators and bidirectional overrides."""
_SPELLED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def printable(text: str) -> str:
    """``text`` with everything a terminal would act on spelled out (``\\n``, ``\\x1b``), so
    a file name, cell or roster value in a message cannot forge a line or recolour one."""
    return _UNPRINTABLE.sub(lambda found: _SPELLED.get(found[0], _escape(found[0])), text)


def _escape(character: str) -> str:
    code = ord(character)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def _say(message: object, file: TextIO | None = None) -> None:
    """Print one line for a person (never data: JSON and CSV go out as they are)."""
    print(printable(str(message)), file=file or sys.stdout)


def _interrupt(number: int, _: object) -> None:
    raise KeyboardInterrupt(signal.Signals(number).name)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = _parser()
    arguments = list(sys.argv[1:] if argv is None else argv)
    _check_command(parser, arguments)
    args = parser.parse_args(arguments)
    with _terminate_as_interrupt():
        return _run(args)


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM (a plain ``kill``) ends the run as Ctrl-C does: files are left whole, workers
    are stopped, and the exit code is 130. The previous handler is put back afterwards."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _run(args: argparse.Namespace) -> int:
    try:
        code: int = args.run(args)
    except _UsageError as error:
        _say(error, file=sys.stderr)
        return 2
    except TrackerkitError as error:
        _say(f"trackerkit: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        _say("trackerkit: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader of our output went away (``| head``): stop quietly, like other tools.
        sys.stderr.close()
        return 1
    except Exception as error:
        if args.debug:
            raise
        _say(
            f"trackerkit: unexpected error ({type(error).__name__}: {error}); "
            "run again with --debug and report it",
            file=sys.stderr,
        )
        return 1
    return code


def _build_out(args: argparse.Namespace) -> bool:
    """Whether ``-o`` names the one .xlsx file to build; a usage error when it cannot be one."""
    out = Path(args.out)
    if out.suffix.lower() == ".xlsx" and not out.is_dir():
        if args.roster or not args.role_ids or len(args.role_ids) != 1:
            _usage_error(
                args,
                f"-o {args.out} names one workbook, but several trackers are built; "
                "give a folder (or build one --role into it)",
            )
        return True
    if out.exists() and not out.is_dir():
        _usage_error(args, f"-o {args.out} is a file, not a folder; give a folder for the trackers")
    return False


def _one_output_per_input(args: argparse.Namespace, done: str) -> None:
    """A usage error when ``-o`` cannot hold one tracker per input (``done``: what is done
    to them): a file that is no folder, or one .xlsx name for several trackers."""
    from trackerkit.reader import tracker_files

    out = Path(args.out)
    if out.suffix.lower() == ".xlsx" and not out.is_dir():
        count = len(tracker_files(args.files))
        if count > 1:
            _usage_error(
                args,
                f"-o {args.out} names one workbook, but {count} trackers are {done}; give a folder",
            )
    elif out.exists() and not out.is_dir():
        _usage_error(args, f"-o {args.out} is a file, not a folder; give a folder or a .xlsx name")


def _file_out(args: argparse.Namespace) -> None:
    """A usage error when ``-o`` names a folder where a file is written."""
    if args.out and Path(args.out).is_dir():
        _usage_error(args, f"-o {args.out} is a folder; give the name of a file to write")


def _warn_empty_folders(paths: Sequence[str]) -> None:
    """Say so when a folder given holds no tracker: a mistyped folder otherwise reads as nothing."""
    from trackerkit.reader import tracker_files

    for path in paths:
        if Path(path).is_dir() and not tracker_files([path]):
            _say(f"{path}: warning: the folder has no .xlsx files", file=sys.stderr)
