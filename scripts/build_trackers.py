"""Regenerate every bundled tracker into ./trackers: the learning team's batch job.

It uses only trackerkit's public API, so it doubles as an example. Trackers
that are already current are left untouched, and a tracker someone has
filled in is never replaced (pass --force to replace it anyway).
"""

from __future__ import annotations

import argparse
import sys

import trackerkit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("roles_dir", nargs="?", help="roles folder (default: the bundled roles)")
    parser.add_argument("-o", "--out", default="trackers", help="output folder")
    parser.add_argument("--force", action="store_true", help="replace filled-in trackers too")
    args = parser.parse_args(argv)
    try:
        catalog = trackerkit.load_catalog(args.roles_dir)
    except trackerkit.CatalogError as error:
        print(error)
        return 1
    report = trackerkit.build_trackers(
        catalog, args.out, force=args.force, jobs=2, progress=sys.stderr
    )
    for skipped in report.skipped:
        print(skipped.line(force="--force"))
    print(report.summary(args.out))
    return 1 if report.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
